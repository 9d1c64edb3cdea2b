import { describe, expect, it } from 'vitest';
import { createRandom, sampleGamma } from './rng.ts';

describe('random numbers', () => {
  it('repeats a stream for a seed and differs between seeds', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('draws uniforms in (0, 1) with the right mean and variance', () => {
    const r = createRandom(7);
    let sum = 0;
    let sq = 0;
    let min = 1;
    let max = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
      sq += u * u;
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 3);
  });

  it('draws gamma variates with mean = shape and variance = shape', () => {
    for (const shape of [0.5, 2, 9]) {
      const r = createRandom(shape * 10);
      const n = 100_000;
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const x = sampleGamma(r, shape);
        sum += x;
        sq += x * x;
      }
      const mean = sum / n;
      expect(mean / shape).toBeCloseTo(1, 1);
      expect((sq / n - mean * mean) / shape).toBeCloseTo(1, 1);
    }
  });
});
