import { describe, expect, it } from 'vitest';
import { choosePeriod, dateRange, parseCommentDate, trendOf } from './trend.ts';

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

describe('parseCommentDate', () => {
  it('reads ISO and UK dates and rejects impossible ones', () => {
    expect(parseCommentDate('2025-03-14')).toBe(day('2025-03-14'));
    expect(parseCommentDate('2025-03-14T09:30:00Z')).toBe(day('2025-03-14'));
    expect(parseCommentDate('14/03/2025')).toBe(day('2025-03-14'));
    expect(parseCommentDate('4.3.2025')).toBe(day('2025-03-04'));
    expect(parseCommentDate('31/02/2025')).toBeUndefined();
    expect(parseCommentDate('March 2025')).toBeUndefined();
    expect(parseCommentDate('')).toBeUndefined();
  });
});

describe('dateRange', () => {
  it('finds the span of a million dates without overflowing the stack', () => {
    const dates = Array.from(
      { length: 1_000_000 },
      (_, i) => day('2025-01-01') + (i % 400) * 86_400_000,
    );
    expect(dateRange(dates)).toEqual({
      first: day('2025-01-01'),
      last: day('2025-01-01') + 399 * 86_400_000,
    });
    expect(dateRange([])).toBeUndefined();
  });
});

describe('trendOf', () => {
  it('counts per month over the whole span, with empty months as zero', () => {
    const dates = ['2025-01-05', '2025-01-30', '2025-03-02'].map(day);
    const trend = trendOf(dates, 'month', day('2024-12-20'), day('2025-03-31'));
    expect(trend).toEqual({
      period: 'month',
      points: [
        { start: '2024-12-01', count: 0 },
        { start: '2025-01-01', count: 2 },
        { start: '2025-02-01', count: 0 },
        { start: '2025-03-01', count: 1 },
      ],
    });
  });

  it('counts per week starting on Monday', () => {
    // 2025-03-09 is a Sunday, 2025-03-10 a Monday.
    const trend = trendOf(
      ['2025-03-09', '2025-03-10', '2025-03-16'].map(day),
      'week',
      day('2025-03-09'),
      day('2025-03-16'),
    );
    expect(trend.points).toEqual([
      { start: '2025-03-03', count: 1 },
      { start: '2025-03-10', count: 2 },
    ]);
  });

  it('chooses weeks for spans up to about three months, months beyond', () => {
    expect(choosePeriod(day('2025-01-01'), day('2025-03-15'))).toBe('week');
    expect(choosePeriod(day('2025-01-01'), day('2025-06-01'))).toBe('month');
  });
});
