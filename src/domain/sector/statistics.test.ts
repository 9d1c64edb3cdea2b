import { describe, expect, it } from 'vitest';
import {
  distributionFromCounts,
  distributionFromRanks,
  percentile,
  quarterOf,
  quartileRanks,
} from './statistics.ts';

/** The reference: type-7 percentiles over every value, sorted. */
function reference(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return percentile(sorted.length, p, (r) => sorted[r] as number);
}

describe('benchmark statistics', () => {
  it('interpolates between closest ranks (type 7, as PostgreSQL percentile_cont)', () => {
    // 1..5: quartiles 2, 3, 4; 1..4: 1.75, 2.5, 3.25.
    expect(reference([5, 1, 3, 2, 4], 0.25)).toBe(2);
    expect(reference([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(reference([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(reference([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(reference([7], 0.75)).toBe(7);
  });

  it('needs only the values at a few ranks, and gets the same answer as sorting everything', () => {
    for (let n = 1; n <= 40; n++) {
      const values = Array.from({ length: n }, (_, i) => ((i * 37) % 11) + i / 10);
      const sorted = [...values].sort((a, b) => a - b);
      const ranks = quartileRanks(n);
      expect(ranks.length).toBeLessThanOrEqual(6);
      const d = distributionFromRanks(n, new Map(ranks.map((r) => [r, sorted[r] as number])));
      expect(d.lowerQuartile).toBeCloseTo(reference(values, 0.25), 10);
      expect(d.median).toBeCloseTo(reference(values, 0.5), 10);
      expect(d.upperQuartile).toBeCloseTo(reference(values, 0.75), 10);
    }
  });

  it('reads quartiles of levels from counts per level', () => {
    // Levels 2,2,3,3,3,4,5 → quartiles 2.5, 3, 3.5.
    const d = distributionFromCounts([
      { value: 3, count: 3 },
      { value: 2, count: 2 },
      { value: 5, count: 1 },
      { value: 4, count: 1 },
    ]);
    expect(d).toEqual({ count: 7, lowerQuartile: 2.5, median: 3, upperQuartile: 3.5 });
    expect(distributionFromCounts([])).toBeUndefined();
  });

  it('places a member in a quarter, lower better for levels and costs, higher for outputs', () => {
    const d = { count: 8, lowerQuartile: 2, median: 3, upperQuartile: 4 };
    expect(quarterOf(1, d, true)).toBe('best');
    expect(quarterOf(2, d, true)).toBe('best');
    expect(quarterOf(2.5, d, true)).toBe('better-than-median');
    expect(quarterOf(3, d, true)).toBe('at-median');
    expect(quarterOf(3.5, d, true)).toBe('worse-than-median');
    expect(quarterOf(4, d, true)).toBe('worst');
    expect(quarterOf(5, d, false)).toBe('best');
    expect(quarterOf(1, d, false)).toBe('worst');
    expect(quarterOf(3.5, d, false)).toBe('better-than-median');
  });

  it('says "at the median" for a tie, however many members share the level', () => {
    // Levels 3,3,3,3,4: every quartile below the top is 3; a member at 3 is not "in the best quarter".
    const d = distributionFromCounts([
      { value: 3, count: 4 },
      { value: 4, count: 1 },
    ]);
    expect(d && quarterOf(3, d, true)).toBe('at-median');
    expect(d && quarterOf(4, d, true)).toBe('worst');
  });
});
