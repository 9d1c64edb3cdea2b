import { describe, expect, it } from 'vitest';
import { estimate, holm, mser5, pairedPValue, quantileSorted, studentTQuantile } from './stats.ts';
import { createRandom } from './rng.ts';

describe('statistics', () => {
  it('gives Student t quantiles from the tables', () => {
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776, 3);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262, 3);
    expect(studentTQuantile(0.95, 1)).toBeCloseTo(6.314, 3);
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.962, 2);
  });

  it('builds a t interval around the mean', () => {
    const e = estimate([1, 2, 3, 4, 5]);
    expect(e.mean).toBe(3);
    // sd = 1.5811, se = 0.7071, t(0.975, 4) = 2.7764
    expect(e.halfWidth).toBeCloseTo(1.9632, 3);
    expect(estimate([7]).halfWidth).toBe(0);
  });

  it('interpolates quantiles', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([0, 10], 0.9)).toBe(9);
  });
});

describe('tests of many measures at once', () => {
  it('gives the paired t-test p-value from the t distribution', () => {
    // Differences 1, 2, 3, 4, 5 − 2: mean 1, sd √2.5, t = 1 / (√2.5/√5) = √2, df 4: p ≈ 0.2302.
    expect(pairedPValue([-1, 0, 1, 2, 3])).toBeCloseTo(0.2302, 3);
    expect(pairedPValue([0, 0, 0])).toBe(1);
    expect(pairedPValue([0.5, 0.5, 0.5])).toBe(0);
  });

  it('applies Holm’s step-down procedure (Holm 1979) and stops at the first it keeps', () => {
    // m = 4, α = 0.05: thresholds 0.0125, 0.0167, 0.025, 0.05.
    const d = holm([0.01, 0.04, 0.012, 0.03], 0.05);
    expect(d.map((x) => x.rejected)).toEqual([true, false, true, false]);
    expect(d[0]?.level).toBeCloseTo(0.0125, 12);
    expect(d[2]?.level).toBeCloseTo(0.05 / 3, 12);
    // 0.03 > 0.025 stops the procedure; 0.04 is judged at the level where it stopped.
    expect(d[3]?.level).toBeCloseTo(0.025, 12);
    expect(d[1]?.level).toBeCloseTo(0.025, 12);
    // Uncorrected, 0.04 and 0.03 would both have been called significant.
    expect(d.filter((x) => x.pValue < 0.05).length).toBe(4);
  });

  it('keeps the family-wise error near α when nothing changed (20 measures, 200 trials)', () => {
    const r = createRandom(11);
    let anyUncorrected = 0;
    let anyHolm = 0;
    for (let trial = 0; trial < 200; trial++) {
      const ps = Array.from({ length: 20 }, () =>
        pairedPValue(Array.from({ length: 10 }, () => r.normal())),
      );
      if (ps.some((p) => p < 0.05)) anyUncorrected++;
      if (holm(ps, 0.05).some((x) => x.rejected)) anyHolm++;
    }
    // Uncorrected, about 1 − 0.95^20 = 64% of trials report some "effect"; Holm keeps it ≤ 5%.
    expect(anyUncorrected / 200).toBeGreaterThan(0.5);
    expect(anyHolm / 200).toBeLessThanOrEqual(0.08);
  });
});

describe('MSER-5 warm-up', () => {
  it('cuts a start-up transient and nothing of a stationary series', () => {
    const r = createRandom(5);
    // 100 observations climbing from 0 to 10, then 900 around 10.
    const series = Array.from({ length: 1000 }, (_, i) =>
      i < 100 ? i / 10 + r.normal() * 0.5 : 10 + r.normal() * 0.5,
    );
    const cut = mser5(series);
    expect(cut.settled).toBe(true);
    expect(cut.truncate).toBeGreaterThanOrEqual(60);
    expect(cut.truncate).toBeLessThanOrEqual(130);
    expect(cut.truncate % 5).toBe(0);
    const flat = mser5(Array.from({ length: 1000 }, () => 10 + r.normal()));
    expect(flat.truncate).toBeLessThan(100);
  });

  it('says when a series never settles (a backlog that keeps growing)', () => {
    const growing = Array.from({ length: 500 }, (_, i) => i + Math.sin(i));
    const cut = mser5(growing);
    expect(cut.settled).toBe(false);
    expect(cut.truncate).toBe(250);
  });
});
