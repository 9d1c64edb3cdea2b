// The directly-follows graph with performance, by pm4py's definition: for consecutive events
// a → b of a case, the edge time is max(0, start(b) − complete(a)), where start(b) is b's
// completion when the log has no start for it. Start and complete events were already paired
// into one task instance on import, so a task never follows itself merely by having started.
import { startOrComplete, type EventLog } from '../model.ts';
import { summariseMs, type DurationStats } from './stats.ts';

export interface DfgEdge {
  readonly from: string;
  readonly to: string;
  /** How many times b directly followed a. */
  readonly frequency: number;
  /** In how many cases. */
  readonly cases: number;
  /** Time between a's completion and b's start, in seconds. */
  readonly time: DurationStats;
}

export interface ActivityCount {
  readonly activity: string;
  readonly count: number;
}

export interface DirectlyFollowsGraph {
  readonly edges: readonly DfgEdge[];
  /** First activities of cases, with how many cases start there. */
  readonly startActivities: readonly ActivityCount[];
  readonly endActivities: readonly ActivityCount[];
}

/**
 * Per event: the time (ms) since the previous event of its case completed, by the edge-time rule;
 * NaN for the first event of a case. This is the "wait before" the event's activity.
 */
export function transitionTimes(log: EventLog): Float64Array {
  const n = log.complete.length;
  const times = new Float64Array(n);
  const offsets = log.caseOffsets;
  for (let c = 0; c + 1 < offsets.length; c++) {
    const from = offsets[c] as number;
    const to = offsets[c + 1] as number;
    if (to > from) times[from] = NaN;
    for (let i = from + 1; i < to; i++) {
      const gap = startOrComplete(log, i) - (log.complete[i - 1] as number);
      times[i] = gap > 0 ? gap : 0;
    }
  }
  return times;
}

/** Builds the directly-follows graph; `times` from `transitionTimes`. */
export function directlyFollows(log: EventLog, times: Float64Array): DirectlyFollowsGraph {
  const a = log.activityNames.length;
  // Edge ids by from × a + to: in a table when it is small (as it is for most logs), else a map.
  const dense = a * a <= 1 << 20 ? new Int32Array(a * a).fill(-1) : null;
  const ids = new Map<number, number>();
  const fromOf: number[] = [];
  const toOf: number[] = [];
  const n = log.complete.length;
  const edgeOf = new Int32Array(n).fill(-1);
  const starts = new Uint32Array(a);
  const ends = new Uint32Array(a);
  const offsets = log.caseOffsets;
  for (let c = 0; c + 1 < offsets.length; c++) {
    const from = offsets[c] as number;
    const to = offsets[c + 1] as number;
    if (to === from) continue;
    (starts[log.activity[from] as number] as number)++;
    (ends[log.activity[to - 1] as number] as number)++;
    for (let i = from + 1; i < to; i++) {
      const key = (log.activity[i - 1] as number) * a + (log.activity[i] as number);
      let id = dense !== null ? (dense[key] as number) : (ids.get(key) ?? -1);
      if (id < 0) {
        id = fromOf.length;
        if (dense !== null) dense[key] = id;
        else ids.set(key, id);
        fromOf.push(log.activity[i - 1] as number);
        toOf.push(log.activity[i] as number);
      }
      edgeOf[i] = id;
    }
  }
  // Group the transition times by edge (counting sort), then summarise each group.
  const m = fromOf.length;
  const counts = new Uint32Array(m + 1);
  const cases = new Uint32Array(m);
  const lastCase = new Int32Array(m).fill(-1);
  for (let c = 0; c + 1 < offsets.length; c++) {
    for (let i = (offsets[c] as number) + 1; i < (offsets[c + 1] as number); i++) {
      const e = edgeOf[i] as number;
      (counts[e + 1] as number)++;
      if (lastCase[e] !== c) {
        lastCase[e] = c;
        (cases[e] as number)++;
      }
    }
  }
  for (let e = 0; e < m; e++) (counts[e + 1] as number) += counts[e] as number;
  const grouped = new Float64Array(counts[m] as number);
  const cursor = counts.slice(0, m);
  for (let i = 0; i < n; i++) {
    const e = edgeOf[i] as number;
    if (e >= 0) grouped[(cursor[e] as number)++] = times[i] as number;
  }
  const edges: DfgEdge[] = [];
  for (let e = 0; e < m; e++) {
    edges.push({
      from: log.activityNames[fromOf[e] as number] as string,
      to: log.activityNames[toOf[e] as number] as string,
      frequency: (counts[e + 1] as number) - (counts[e] as number),
      cases: cases[e] as number,
      time: summariseMs(grouped.subarray(counts[e] as number, counts[e + 1] as number)),
    });
  }
  edges.sort(
    (x, y) => y.frequency - x.frequency || x.from.localeCompare(y.from) || x.to.localeCompare(y.to),
  );
  const list = (values: Uint32Array): ActivityCount[] =>
    Array.from(values, (count, i) => ({ activity: log.activityNames[i] as string, count }))
      .filter((x) => x.count > 0)
      .sort((x, y) => y.count - x.count || x.activity.localeCompare(y.activity));
  return { edges, startActivities: list(starts), endActivities: list(ends) };
}
