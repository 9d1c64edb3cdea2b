// The shape of a set of waits: the tests that tell a timer or a policy period from a queue
// (issue 13). A closure rule or a legal period fires a fixed time after an earlier event, so its
// waits pile up at one duration, land on whole days (or whole working days), or sit at a fixed
// distance from an event further back than the previous one — and they do so whether the queue is
// short or long. Spread and queue correlation alone misread them as contention (RESEARCH.md,
// "Timers look like queues unless you look at the shape"). Thresholds live in WAIT_RULES
// (waits.ts); the functions here only measure.
import { startOrComplete, type EventLog } from '../model.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The tolerance around a fixed duration: ±max(`minMs`, `share` × the duration). */
export interface Tolerance {
  readonly minMs: number;
  readonly share: number;
}

const within = (tol: Tolerance, centre: number): number => Math.max(tol.minMs, tol.share * centre);

export interface FixedDuration {
  readonly ms: number;
  /** Values within tolerance of `ms`. */
  readonly count: number;
  /**
   * Values within ±max(10 %, 1.5 days) of `ms`: on a clock of dates only a mode is a real one
   * only if it stands out from the days beside it.
   */
  readonly around: number;
}

/**
 * The most common duration of at least `floorMs` in ascending `sorted` (ms): the value with the
 * most values within tolerance of it (a histogram whose bins are centred on the data, so a mode
 * is never split across a bin edge), and how many values lie within tolerance of it. Two pointers
 * sweep the sorted values once: both ends of ±max(minMs, share × centre) only move up as the
 * centre does. Where several centres hold as many, the one most often repeated exactly (else
 * the middle one) is the mode.
 *
 * (Until issue 13's independent checks this took the densest window of width 2 × tolerance and
 * counted again around its median: a window spanning two nearby clusters won, and the count
 * around its median could be half of it — a mode of 6 reported where 10 waits shared one
 * duration; `shape.test.ts` reproduces it.)
 */
export function fixedDuration(
  sorted: Float64Array,
  floorMs: number,
  tol: Tolerance,
): FixedDuration | null {
  const n = sorted.length;
  const counts = new Uint32Array(n);
  let bestCount = 0;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const centre = sorted[i] as number;
    if (centre < floorMs) continue;
    const half = within(tol, centre);
    while ((sorted[lo] as number) < centre - half) lo++;
    if (hi < i) hi = i;
    while (hi < n && (sorted[hi] as number) <= centre + half) hi++;
    counts[i] = hi - lo;
    if (hi - lo > bestCount) bestCount = hi - lo;
  }
  if (bestCount === 0) return null;
  // Among centres that hold as many, the value repeated most often exactly (a rule's own
  // duration, e.g. 46 days where some cases took 46 days less the hour of a clock change), else
  // the middle one (a duration with a few minutes' jitter either side).
  const tied: number[] = [];
  for (let i = 0; i < n; i++) if (counts[i] === bestCount) tied.push(i);
  let ms = sorted[tied[Math.floor((tied.length - 1) / 2)] as number] as number;
  let most = 1;
  for (let k = 0; k < tied.length;) {
    let end = k;
    while (end + 1 < tied.length && sorted[tied[end + 1] as number] === sorted[tied[k] as number])
      end++;
    if (end - k + 1 > most) {
      most = end - k + 1;
      ms = sorted[tied[k] as number] as number;
    }
    k = end + 1;
  }
  return {
    ms,
    count: bestCount,
    around: countNear(sorted, ms, Math.max(0.1 * ms, 1.5 * DAY)),
  };
}

function countNear(sorted: Float64Array, centre: number, half: number): number {
  let count = 0;
  for (let k = 0; k < sorted.length; k++)
    if (Math.abs((sorted[k] as number) - centre) <= half) count++;
  return count;
}

export function isNear(value: number, centre: number, tol: Tolerance): boolean {
  return Math.abs(value - centre) <= within(tol, centre);
}

/** Whole days: waits of a day or more within ±`toleranceMs` of a whole number of days. */
export interface WholeDays {
  /** Share of all waits that are a whole number of days (± tolerance), at least one day. */
  readonly share: number;
  /**
   * The share expected if each wait's end fell at a time of day independent of its start, with the
   * log's own times of day (so a log that records dates only, where every wait is whole days,
   * expects as much as it sees).
   */
  readonly expected: number;
}

export function wholeDays(
  arrivals: Float64Array,
  waits: Float64Array,
  toleranceMs: number,
): WholeDays {
  const n = waits.length;
  if (n === 0) return { share: 0, expected: 0 };
  const bins = 1440;
  const startBins = new Float64Array(bins);
  const endBins = new Float64Array(bins);
  let long = 0;
  let near = 0;
  for (let i = 0; i < n; i++) {
    const w = waits[i] as number;
    if (w < DAY - toleranceMs) continue;
    long++;
    const a = arrivals[i] as number;
    const rest = Math.abs(w - Math.round(w / DAY) * DAY);
    if (rest <= toleranceMs) near++;
    (startBins[minuteOfDay(a)] as number)++;
    (endBins[minuteOfDay(a + w)] as number)++;
  }
  if (long === 0) return { share: 0, expected: 0 };
  const reach = Math.round(toleranceMs / MINUTE);
  let agree = 0;
  for (let s = 0; s < bins; s++) {
    const p = startBins[s] as number;
    if (p === 0) continue;
    let q = 0;
    for (let d = -reach; d <= reach; d++) q += endBins[(s + d + bins) % bins] as number;
    agree += p * q;
  }
  return { share: near / n, expected: ((agree / (long * long)) * long) / n };
}

const minuteOfDay = (ms: number): number => Math.floor((((ms % DAY) + DAY) % DAY) / MINUTE);

/** Monday to Friday (UTC) days from the day of `from` (exclusive) to the day of `to` (inclusive). */
export function workingDaysBetween(from: number, to: number): number {
  const d0 = Math.floor(from / DAY);
  const d1 = Math.floor(to / DAY);
  let count = 0;
  for (let d = d0 + 1; d <= d1; d++) {
    const weekday = (d + 4) % 7; // 1 January 1970 was a Thursday (4); 0 = Sunday.
    if (weekday !== 0 && weekday !== 6) count++;
  }
  return count;
}

/**
 * Among waits that are whole days (± tolerance), the most common number of working days and how
 * many waits have it. A deadline of ten working days is 14 calendar days from a weekday but more
 * over a holiday-free weekend pair, so it shows here more sharply than in calendar days.
 */
export function workingDayDeadline(
  arrivals: Float64Array,
  waits: Float64Array,
  toleranceMs: number,
): { readonly days: number; readonly count: number } | null {
  const counts = new Map<number, number>();
  for (let i = 0; i < waits.length; i++) {
    const w = waits[i] as number;
    if (w < DAY - toleranceMs || Math.abs(w - Math.round(w / DAY) * DAY) > toleranceMs) continue;
    const a = arrivals[i] as number;
    const days = workingDaysBetween(a, a + w);
    if (days > 0) counts.set(days, (counts.get(days) ?? 0) + 1);
  }
  let best: { days: number; count: number } | null = null;
  for (const [days, count] of counts)
    if (best === null || count > best.count) best = { days, count };
  return best;
}

/** How far each occurrence of one activity lies from an earlier event of its case. */
export interface AnchoredDeadline {
  /** The earlier activity, or null for the case's start. */
  readonly from: string | null;
  readonly ms: number;
  /** Occurrences within tolerance of `ms` after the anchor. */
  readonly count: number;
  /** Occurrences within ±max(10 %, 1.5 days) of it. */
  readonly around: number;
  /** Occurrences that have the anchor earlier in their case (not as the previous event). */
  readonly observed: number;
}

/** At most this many earlier events of a case are looked at for each occurrence. */
const LOOK_BACK = 200;

/**
 * Deadlines measured from an earlier event than the previous one: for each occurrence of
 * `activity`, the time from the case's start and from the last earlier occurrence of every other
 * activity (skipping the previous event, whose wait is the ordinary one), and the anchor whose
 * distances pile up most at one fixed duration.
 */
export function anchoredDeadline(
  log: EventLog,
  activity: number,
  floorMs: number,
  tol: Tolerance,
  minObserved: number,
): AnchoredDeadline | null {
  const byAnchor = new Map<number, number[]>();
  const offsets = log.caseOffsets;
  const seen = new Set<number>();
  for (let c = 0; c + 1 < offsets.length; c++) {
    const from = offsets[c] as number;
    const to = offsets[c + 1] as number;
    for (let i = from + 2; i < to; i++) {
      if (log.activity[i] !== activity) continue;
      const at = startOrComplete(log, i);
      seen.clear();
      seen.add(log.activity[i - 1] as number);
      for (let j = i - 2; j >= from && i - j <= LOOK_BACK; j--) {
        const anchor = j === from ? -1 : (log.activity[j] as number);
        if (anchor === activity || seen.has(anchor)) continue;
        seen.add(anchor);
        let list = byAnchor.get(anchor);
        if (list === undefined) byAnchor.set(anchor, (list = []));
        list.push(at - (log.complete[j] as number));
      }
    }
  }
  let best: AnchoredDeadline | null = null;
  for (const [anchor, list] of byAnchor) {
    if (list.length < minObserved) continue;
    const sorted = Float64Array.from(list).sort();
    const mode = fixedDuration(sorted, floorMs, tol);
    if (mode === null || (best !== null && mode.count <= best.count)) continue;
    best = {
      from: anchor < 0 ? null : (log.activityNames[anchor] as string),
      ms: mode.ms,
      count: mode.count,
      around: mode.around,
      observed: list.length,
    };
  }
  return best;
}
