import { describe, expect, it } from 'vitest';
import { sortNumbers, summariseMs } from './stats.ts';

/** A small deterministic generator, so a failure can be reproduced. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('sortNumbers', () => {
  it('sorts exactly as the built-in sort, whatever the span (radix passes of every width)', () => {
    const random = seeded(7);
    const cases: [number, number, number][] = [
      [5_000, 100, 0], // one pass
      [5_000, 1e6, -5e5], // negatives, two passes
      [50_000, 3e10, 1.3e12], // instants in ms (more than 32 bits of span)
      [50_000, 2 ** 47, -1e14], // close to the largest span taken
      [3_000, 2 ** 50, 0], // too wide: the built-in sort
      [2_000, 0, 7], // all equal
      [100, 1e9, 0], // short: the built-in sort
    ];
    for (const [n, span, offset] of cases) {
      const values = Float64Array.from({ length: n }, () => Math.floor(random() * span) + offset);
      const expected = values.slice().sort();
      expect(sortNumbers(values)).toEqual(expected);
    }
  });

  it('falls back to the built-in order for fractions, NaN and −0', () => {
    const values = Float64Array.from({ length: 3_000 }, (_, i) =>
      i % 7 === 0 ? NaN : i % 5 === 0 ? -0 : i % 3 === 0 ? i / 3 + 0.5 : 1_500 - i,
    );
    const expected = values.slice().sort();
    const sorted = sortNumbers(values);
    for (let i = 0; i < values.length; i++) expect(Object.is(sorted[i], expected[i])).toBe(true);
  });

  it('leaves summariseMs sorting in place, as calibration relies on', () => {
    const values = Float64Array.from({ length: 2_000 }, (_, i) => ((i * 7_919) % 2_000) * 1000);
    const stats = summariseMs(values);
    expect(stats.median).toBe(999.5);
    expect(stats.p90).toBeCloseTo(1799.1, 9);
    expect(values[0]).toBe(0);
    expect(values[1_999]).toBe(1_999_000);
  });
});
