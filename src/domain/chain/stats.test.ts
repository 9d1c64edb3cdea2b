import { describe, expect, it } from 'vitest';
import { estimate, quantileSorted, studentTQuantile } from './stats.ts';

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
