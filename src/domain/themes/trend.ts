// A theme's trend over time: comments per calendar month, or per week (weeks start on Monday) when
// all dated comments fall within about three months. Periods with no comments are shown as zero.

export interface TrendPoint {
  /** First day of the period, YYYY-MM-DD. */
  readonly start: string;
  readonly count: number;
}

export interface Trend {
  readonly period: 'month' | 'week';
  readonly points: readonly TrendPoint[];
}

const DAY = 86_400_000;

function periodStart(date: number, period: 'month' | 'week'): number {
  const d = new Date(date);
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - weekday * DAY;
}

function nextPeriod(start: number, period: 'month' | 'week'): number {
  if (period === 'week') return start + 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The earliest and latest of many dates (a loop: spreading a million values would overflow the stack). */
export function dateRange(dates: readonly number[]): { first: number; last: number } | undefined {
  if (dates.length === 0) return undefined;
  let first = Infinity;
  let last = -Infinity;
  for (const t of dates) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return { first, last };
}

/** The period that suits a span of dates (milliseconds since the epoch). */
export function choosePeriod(first: number, last: number): 'month' | 'week' {
  return last - first <= 92 * DAY ? 'week' : 'month';
}

/** Counts per period of the given dates, from the period of `first` to that of `last`. */
export function trendOf(
  dates: readonly number[],
  period: 'month' | 'week',
  first: number,
  last: number,
): Trend {
  const counts = new Map<number, number>();
  for (const date of dates) {
    const start = periodStart(date, period);
    counts.set(start, (counts.get(start) ?? 0) + 1);
  }
  const points: TrendPoint[] = [];
  const end = periodStart(last, period);
  for (let t = periodStart(first, period); t <= end; t = nextPeriod(t, period)) {
    points.push({ start: new Date(t).toISOString().slice(0, 10), count: counts.get(t) ?? 0 });
  }
  return { period, points };
}

/** Parses a date written as ISO (2025-03-14, with or without time) or UK style (14/03/2025). */
export function parseCommentDate(value: string): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  let match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(text);
  let year: number;
  let month: number;
  let day: number;
  if (match) {
    year = Number(match[1]);
    month = Number(match[2]);
    day = Number(match[3]);
  } else {
    match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s.*)?$/.exec(text);
    if (!match) return undefined;
    day = Number(match[1]);
    month = Number(match[2]);
    year = Number(match[3]);
  }
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return time;
}
