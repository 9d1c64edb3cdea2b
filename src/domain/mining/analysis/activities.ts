// Measures per activity: how often it happens, its service time (completion − start, only where
// the log records starts), the wait before it (the edge time from the previous event of the case,
// see dfg.ts) and the share of all case time spent waiting for it. Also case durations and
// variants (distinct activity sequences, with how many cases follow each).
import { startOrComplete, type EventLog } from '../model.ts';
import { summariseMs, type DurationStats } from './stats.ts';

export interface ActivityMeasures {
  readonly activity: string;
  /** Events (completed task instances) of this activity. */
  readonly count: number;
  /** Cases in which it occurs at least once. */
  readonly cases: number;
  /** Occurrences that begin a case (no wait is measured before these). */
  readonly caseStarts: number;
  /** Completion − start, seconds; null when no occurrence has a recorded start. */
  readonly serviceTime: DurationStats | null;
  /** Time from the previous event's completion to this one's start (or completion), seconds. */
  readonly waitingTime: DurationStats;
  /** Total wait before this activity ÷ total duration of all cases. */
  readonly waitingShare: number;
  /** Distinct resources that performed it (0 when the log names none). */
  readonly resources: number;
}

export interface CaseDurations {
  /** Per case: last completion − first start (ms). */
  readonly perCase: Float64Array;
  /** Per case: first start (ms). */
  readonly firstStart: Float64Array;
  /** Per case: last completion (ms). */
  readonly lastComplete: Float64Array;
  readonly totalMs: number;
}

export function caseDurations(log: EventLog): CaseDurations {
  const cases = log.caseIds.length;
  const perCase = new Float64Array(cases);
  const firstStart = new Float64Array(cases);
  const lastComplete = new Float64Array(cases);
  let total = 0;
  for (let c = 0; c < cases; c++) {
    const from = log.caseOffsets[c] as number;
    const to = log.caseOffsets[c + 1] as number;
    let first = Infinity;
    let last = -Infinity;
    for (let i = from; i < to; i++) {
      const s = startOrComplete(log, i);
      if (s < first) first = s;
      const e = log.complete[i] as number;
      if (e > last) last = e;
    }
    firstStart[c] = first;
    lastComplete[c] = last;
    perCase[c] = last - first;
    total += last - first;
  }
  return { perCase, firstStart, lastComplete, totalMs: total };
}

/** Per-activity measures, ordered by total wait before the activity (largest first). */
export function activityMeasures(
  log: EventLog,
  times: Float64Array,
  durations: CaseDurations,
): ActivityMeasures[] {
  const a = log.activityNames.length;
  const n = log.complete.length;
  const count = new Uint32Array(a);
  const cases = new Uint32Array(a);
  const caseStarts = new Uint32Array(a);
  const withStart = new Uint32Array(a);
  const lastCase = new Int32Array(a).fill(-1);
  const resourceSets = Array.from({ length: a }, () => new Set<number>());
  for (let c = 0; c + 1 < log.caseOffsets.length; c++) {
    for (let i = log.caseOffsets[c] as number; i < (log.caseOffsets[c + 1] as number); i++) {
      const act = log.activity[i] as number;
      (count[act] as number)++;
      if (lastCase[act] !== c) {
        lastCase[act] = c;
        (cases[act] as number)++;
      }
      if (Number.isNaN(times[i] as number)) (caseStarts[act] as number)++;
      if (!Number.isNaN(log.start[i] as number)) (withStart[act] as number)++;
      const r = log.resource[i] as number;
      if (r >= 0) (resourceSets[act] as Set<number>).add(r);
    }
  }
  // Group waits and service times by activity with counting sorts.
  const waitOffsets = new Uint32Array(a + 1);
  const serviceOffsets = new Uint32Array(a + 1);
  for (let act = 0; act < a; act++) {
    waitOffsets[act + 1] =
      (waitOffsets[act] as number) + (count[act] as number) - (caseStarts[act] as number);
    serviceOffsets[act + 1] = (serviceOffsets[act] as number) + (withStart[act] as number);
  }
  const waits = new Float64Array(waitOffsets[a] as number);
  const services = new Float64Array(serviceOffsets[a] as number);
  const waitCursor = waitOffsets.slice(0, a);
  const serviceCursor = serviceOffsets.slice(0, a);
  for (let i = 0; i < n; i++) {
    const act = log.activity[i] as number;
    const t = times[i] as number;
    if (!Number.isNaN(t)) waits[(waitCursor[act] as number)++] = t;
    const s = log.start[i] as number;
    if (!Number.isNaN(s))
      services[(serviceCursor[act] as number)++] = (log.complete[i] as number) - s;
  }
  const result: ActivityMeasures[] = [];
  for (let act = 0; act < a; act++) {
    // An activity seen only in unused events (unmatched starts, a filtered-out case) is left out.
    if (count[act] === 0) continue;
    const waitingTime = summariseMs(
      waits.subarray(waitOffsets[act] as number, waitOffsets[act + 1] as number),
    );
    const service = services.subarray(
      serviceOffsets[act] as number,
      serviceOffsets[act + 1] as number,
    );
    result.push({
      activity: log.activityNames[act] as string,
      count: count[act] as number,
      cases: cases[act] as number,
      caseStarts: caseStarts[act] as number,
      serviceTime: service.length > 0 ? summariseMs(service) : null,
      waitingTime,
      waitingShare: durations.totalMs > 0 ? (waitingTime.total * 1000) / durations.totalMs : 0,
      resources: (resourceSets[act] as Set<number>).size,
    });
  }
  result.sort(
    (x, y) =>
      y.waitingTime.total - x.waitingTime.total ||
      y.count - x.count ||
      x.activity.localeCompare(y.activity),
  );
  return result;
}

export interface Variant {
  readonly activities: readonly string[];
  readonly cases: number;
  /** Share of all cases. */
  readonly share: number;
}

/** Per case: its variant number (index into the returned list, most frequent first). */
export function variants(log: EventLog): { variants: Variant[]; variantOfCase: Uint32Array } {
  const caseCount = log.caseIds.length;
  const a = log.activityNames.length;
  // A trie of activity sequences: a case's variant is the node its sequence ends at. Children
  // are found by the number node × activities + activity (no string per case is made).
  const child = new Map<number, number>();
  let nodes = 1;
  const variantOfNode = new Map<number, number>();
  const firstCase: number[] = [];
  const counts: number[] = [];
  const raw = new Uint32Array(caseCount);
  for (let c = 0; c < caseCount; c++) {
    let node = 0;
    for (let i = log.caseOffsets[c] as number; i < (log.caseOffsets[c + 1] as number); i++) {
      const key = node * a + (log.activity[i] as number);
      let next = child.get(key);
      if (next === undefined) {
        next = nodes++;
        child.set(key, next);
      }
      node = next;
    }
    let v = variantOfNode.get(node);
    if (v === undefined) {
      v = counts.length;
      variantOfNode.set(node, v);
      firstCase.push(c);
      counts.push(0);
    }
    (counts[v] as number)++;
    raw[c] = v;
  }
  const order = counts
    .map((_, v) => v)
    .sort((x, y) => (counts[y] as number) - (counts[x] as number) || x - y);
  const rank = new Uint32Array(counts.length);
  order.forEach((v, r) => (rank[v] = r));
  const variantOfCase = raw.map((v) => rank[v] as number);
  return {
    variants: order.map((v) => {
      const c = firstCase[v] as number;
      const sequence = log.activity.subarray(
        log.caseOffsets[c] as number,
        log.caseOffsets[c + 1] as number,
      );
      return {
        activities: Array.from(sequence, (act) => log.activityNames[act] as string),
        cases: counts[v] as number,
        share: caseCount > 0 ? (counts[v] as number) / caseCount : 0,
      };
    }),
    variantOfCase,
  };
}
