// Flow over time: per week or month (UTC), the cases that arrived, the cases that finished
// (throughput) and the cases still open at the end of the period (backlog); the average number
// of cases waiting before one activity per period (to see whether a queue grows); and the
// workload of each resource.
import type { EventLog } from '../model.ts';
import type { CaseDurations } from './activities.ts';
import { slope } from './stats.ts';

export type PeriodUnit = 'week' | 'month';

export interface PeriodFlow {
  /** "2014-W15" (ISO week, weeks start on Monday) or "2014-04". */
  readonly period: string;
  /** First instant of the period, ISO 8601 UTC. */
  readonly start: string;
  readonly arrived: number;
  readonly completed: number;
  /** Cases begun and not yet finished at the end of the period. */
  readonly openAtEnd: number;
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** 1970-01-01 was a Thursday: shifting by 3 days makes weeks start on Monday. */
const MONDAY_SHIFT = 3 * DAY;

/** Weekly for logs shorter than about 6 months, monthly otherwise. */
export function choosePeriodUnit(spanMs: number): PeriodUnit {
  return spanMs <= 183 * DAY ? 'week' : 'month';
}

export function periodIndex(t: number, unit: PeriodUnit): number {
  if (unit === 'week') return Math.floor((t + MONDAY_SHIFT) / WEEK);
  return monthIndex(t);
}

/**
 * year × 12 + month (0-based) of a UTC instant, as `new Date(t)`'s getUTCFullYear() × 12 +
 * getUTCMonth() but without making a Date (H. Hinnant's civil_from_days).
 */
function monthIndex(t: number): number {
  if (!(Math.abs(t) <= 8.64e15)) return NaN;
  const z = Math.floor(t / DAY) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 2 : mp - 10;
  const year = yoe + era * 400 + (month <= 1 ? 1 : 0);
  return year * 12 + month;
}

export function periodStart(index: number, unit: PeriodUnit): number {
  if (unit === 'week') return index * WEEK - MONDAY_SHIFT;
  return Date.UTC(Math.floor(index / 12), index % 12, 1);
}

function periodLabel(index: number, unit: PeriodUnit): string {
  const start = new Date(periodStart(index, unit));
  if (unit === 'month') {
    return `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
  }
  // ISO week number: the week belongs to the year of its Thursday.
  const thursday = new Date(start.getTime() + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function caseFlow(durations: CaseDurations, unit: PeriodUnit): PeriodFlow[] {
  const n = durations.firstStart.length;
  if (n === 0) return [];
  let first = Infinity;
  let last = -Infinity;
  for (let c = 0; c < n; c++) {
    first = Math.min(first, durations.firstStart[c] as number);
    last = Math.max(last, durations.lastComplete[c] as number);
  }
  const p0 = periodIndex(first, unit);
  const periods = periodIndex(last, unit) - p0 + 1;
  const arrived = new Uint32Array(periods);
  const completed = new Uint32Array(periods);
  for (let c = 0; c < n; c++) {
    (arrived[periodIndex(durations.firstStart[c] as number, unit) - p0] as number)++;
    (completed[periodIndex(durations.lastComplete[c] as number, unit) - p0] as number)++;
  }
  const flows: PeriodFlow[] = [];
  let open = 0;
  for (let p = 0; p < periods; p++) {
    open += (arrived[p] as number) - (completed[p] as number);
    flows.push({
      period: periodLabel(p0 + p, unit),
      start: new Date(periodStart(p0 + p, unit)).toISOString(),
      arrived: arrived[p] as number,
      completed: completed[p] as number,
      openAtEnd: open,
    });
  }
  return flows;
}

/**
 * Average number of cases waiting in each period, for waits [arrival, arrival + wait).
 * Returns one number per period between the first and the last wait.
 */
export function queuePerPeriod(
  arrivals: Float64Array,
  waits: Float64Array,
  unit: PeriodUnit,
): number[] {
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < arrivals.length; i++) {
    first = Math.min(first, arrivals[i] as number);
    last = Math.max(last, (arrivals[i] as number) + (waits[i] as number));
  }
  if (!Number.isFinite(first)) return [];
  const p0 = periodIndex(first, unit);
  const count = periodIndex(last, unit) - p0 + 1;
  const waiting = new Float64Array(count);
  // bounds[p] is the first instant of period p0 + p.
  const bounds = Float64Array.from({ length: count + 1 }, (_, p) => periodStart(p0 + p, unit));
  for (let i = 0; i < arrivals.length; i++) {
    let a = arrivals[i] as number;
    const b = a + (waits[i] as number);
    let p = periodIndex(a, unit) - p0;
    while (a < b) {
      const end = Math.min(b, bounds[p + 1] as number);
      (waiting[p] as number) += end - a;
      a = end;
      p++;
    }
  }
  return Array.from(waiting, (w, p) => w / ((bounds[p + 1] as number) - (bounds[p] as number)));
}

/**
 * How much a queue grew across the log: (mean of the last third − mean of the first third) ÷
 * overall mean, after leaving out the first and last tenth of the periods (the log's warm-up
 * and cut-off). Null when fewer than 6 periods remain.
 */
export function queueGrowth(
  queue: readonly number[],
): { growth: number; first: number; last: number } | null {
  const trim = Math.floor(queue.length / 10);
  const core = queue.slice(trim, queue.length - trim);
  if (core.length < 6) return null;
  const third = Math.floor(core.length / 3);
  const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const overall = mean(core);
  if (overall === 0) return null;
  const firstThird = mean(core.slice(0, third));
  const lastThird = mean(core.slice(core.length - third));
  const growth =
    slope(core) > 0
      ? (lastThird - firstThird) / overall
      : Math.min(0, (lastThird - firstThird) / overall);
  return { growth, first: firstThird, last: lastThird };
}

export interface ResourceWorkload {
  readonly resource: string;
  readonly events: number;
  readonly cases: number;
  readonly activities: number;
  /** Summed service time in seconds (where starts are recorded), else null. */
  readonly busySeconds: number | null;
  /** Events per week between the resource's first and last event (at least one week). */
  readonly eventsPerWeek: number;
  readonly firstEvent: string;
  readonly lastEvent: string;
}

export function resourceWorkload(log: EventLog): ResourceWorkload[] {
  const r = log.resourceNames.length;
  const events = new Uint32Array(r);
  const cases = new Uint32Array(r);
  const lastCase = new Int32Array(r).fill(-1);
  const busy = new Float64Array(r);
  const withStart = new Uint32Array(r);
  const first = new Float64Array(r).fill(Infinity);
  const last = new Float64Array(r).fill(-Infinity);
  const acts = Array.from({ length: r }, () => new Set<number>());
  for (let c = 0; c + 1 < log.caseOffsets.length; c++) {
    for (let i = log.caseOffsets[c] as number; i < (log.caseOffsets[c + 1] as number); i++) {
      const res = log.resource[i] as number;
      if (res < 0) continue;
      (events[res] as number)++;
      if (lastCase[res] !== c) {
        lastCase[res] = c;
        (cases[res] as number)++;
      }
      const t = log.complete[i] as number;
      if (t < (first[res] as number)) first[res] = t;
      if (t > (last[res] as number)) last[res] = t;
      const s = log.start[i] as number;
      if (!Number.isNaN(s)) {
        (busy[res] as number) += t - s;
        (withStart[res] as number)++;
      }
      (acts[res] as Set<number>).add(log.activity[i] as number);
    }
  }
  const result: ResourceWorkload[] = [];
  for (let k = 0; k < r; k++) {
    if (events[k] === 0) continue;
    const weeks = Math.max(1, ((last[k] as number) - (first[k] as number)) / WEEK);
    result.push({
      resource: log.resourceNames[k] as string,
      events: events[k] as number,
      cases: cases[k] as number,
      activities: (acts[k] as Set<number>).size,
      busySeconds: (withStart[k] as number) > 0 ? (busy[k] as number) / 1000 : null,
      eventsPerWeek: (events[k] as number) / weeks,
      firstEvent: new Date(first[k] as number).toISOString(),
      lastEvent: new Date(last[k] as number).toISOString(),
    });
  }
  return result.sort((x, y) => y.events - x.events || x.resource.localeCompare(y.resource));
}
