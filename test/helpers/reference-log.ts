// A deliberately naive second reading of an event log, to check the mining engine against
// (issue 13, point 6). Nothing here is shared with src/domain/mining: the CSV is parsed by
// `csv-parse` into one object per row, the XES by a plain `saxes` walk into the same objects,
// timestamps by `Date.parse` after a few textual fixes, and every measure is computed with plain
// arrays, `Array.prototype.sort` and the textbook formulas, at O(n²) where that is simplest. It is
// slow and memory-hungry on purpose: it must be easy to read and check by hand, not fast.
//
// Definitions (src/domain/mining/README.md, "Definitions"): events of a case ordered by start
// (completion where none), then completion, then file order; the wait before an event is
// max(0, its start − the previous event's completion); service is completion − start where a
// start is recorded; a case lasts from its first start to its last completion; quantiles
// interpolate linearly between closest ranks (numpy's default).
import { parse } from 'csv-parse/sync';
import { SaxesParser } from 'saxes';

export interface RefEvent {
  readonly caseId: string;
  readonly activity: string;
  /** UTC ms, or null when the log records no start for this event. */
  readonly start: number | null;
  readonly complete: number;
  /** Position in the file (row or event number), to break ties in time. */
  readonly order: number;
}

export interface RefColumns {
  readonly caseId: string;
  readonly activity: string;
  readonly timestamp: string;
  readonly start?: string;
  readonly lifecycle?: string;
}

/**
 * A timestamp as the shared logs write it, to UTC ms: `2014/10/22 11:15:41.000` (no offset: UTC),
 * `2011-10-11 13:45:40.276000+02:00`, `2014-04-10T22:00:00+0000`, `2015-01-05T09:02:50.000+00:00`.
 */
export function parseInstant(text: string): number {
  let s = text.trim().replace(/^(\d{4})\/(\d\d)\/(\d\d)/, '$1-$2-$3');
  s = s.replace(' ', 'T');
  s = s.replace(/(\.\d{3})\d+/, '$1'); // microseconds: keep the milliseconds
  s = s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'); // +0000 → +00:00
  if (!/(Z|[+-]\d\d:\d\d)$/.test(s)) s += 'Z';
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) throw new Error(`reference: cannot read the timestamp "${text}"`);
  return ms;
}

/**
 * Rows of a CSV text as events. Rows with an empty case id, activity or timestamp are returned in
 * `skipped` with their record number (the first row after the header is 1; csv-parse's own line
 * count ends a record where its last line ends and counts a quoted CR LF twice, so it is not used). Only `complete` rows are read (the
 * shared logs have no others); any other lifecycle value is an error, so the reference never
 * pretends to pair what it does not.
 */
export function readCsvReference(
  text: string,
  columns: RefColumns,
): { events: RefEvent[]; skipped: { record: number; reason: string }[] } {
  const rows = parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<
    string,
    string
  >[];
  const events: RefEvent[] = [];
  const skipped: { record: number; reason: string }[] = [];
  rows.forEach((record, k) => {
    const caseId = record[columns.caseId] ?? '';
    const activity = record[columns.activity] ?? '';
    const timestamp = record[columns.timestamp] ?? '';
    const at = k + 1;
    if (caseId === '') return skipped.push({ record: at, reason: 'empty case id' });
    if (activity === '') return skipped.push({ record: at, reason: 'empty activity' });
    if (timestamp === '') return skipped.push({ record: at, reason: 'no timestamp' });
    const lifecycle = columns.lifecycle === undefined ? 'complete' : record[columns.lifecycle];
    if (lifecycle !== undefined && lifecycle !== '' && lifecycle.toLowerCase() !== 'complete')
      throw new Error(`reference: lifecycle "${lifecycle}" in record ${at} is not supported`);
    const startText = columns.start === undefined ? '' : (record[columns.start] ?? '');
    events.push({
      caseId,
      activity,
      start: startText === '' ? null : parseInstant(startText),
      complete: parseInstant(timestamp),
      order: k,
    });
  });
  return { events, skipped };
}

/** Events of an XES text: trace `concept:name`, event `concept:name`, `time:timestamp`, `start_timestamp`. */
export function readXesReference(text: string): RefEvent[] {
  const parser = new SaxesParser();
  const events: RefEvent[] = [];
  let depth = 0;
  let traceDepth = -1;
  let eventDepth = -1;
  let caseId = '';
  let pending: { activity: string; complete: string; start: string; lifecycle: string }[] = [];
  let current: { activity: string; complete: string; start: string; lifecycle: string } | null =
    null;
  parser.on('opentag', (tag) => {
    depth++;
    const key = String(tag.attributes.key ?? '');
    const value = String(tag.attributes.value ?? '');
    if (tag.name === 'trace') {
      traceDepth = depth;
      caseId = '';
      pending = [];
    } else if (tag.name === 'event' && traceDepth > 0) {
      eventDepth = depth;
      current = { activity: '', complete: '', start: '', lifecycle: 'complete' };
    } else if (current !== null && depth === eventDepth + 1) {
      if (key === 'concept:name') current.activity = value;
      if (key === 'time:timestamp') current.complete = value;
      if (key === 'start_timestamp') current.start = value;
      if (key === 'lifecycle:transition') current.lifecycle = value;
    } else if (traceDepth > 0 && eventDepth < 0 && depth === traceDepth + 1) {
      if (key === 'concept:name') caseId = value;
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'event' && current !== null) {
      pending.push(current);
      current = null;
      eventDepth = -1;
    } else if (tag.name === 'trace') {
      for (const e of pending) {
        if (e.lifecycle.toLowerCase() !== 'complete')
          throw new Error(`reference: lifecycle "${e.lifecycle}" is not supported`);
        events.push({
          caseId,
          activity: e.activity,
          start: e.start === '' ? null : parseInstant(e.start),
          complete: parseInstant(e.complete),
          order: events.length,
        });
      }
      traceDepth = -1;
    }
    depth--;
  });
  parser.write(text).close();
  return events;
}

/** numpy's default percentile: linear interpolation between closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

export interface RefSummary {
  readonly count: number;
  readonly mean: number;
  readonly median: number;
  readonly p90: number;
}

/** Count, mean, median and 90th percentile of durations in ms, reported in seconds. */
export function summary(valuesMs: readonly number[]): RefSummary {
  const seconds = valuesMs.map((v) => v / 1000);
  return {
    count: seconds.length,
    mean: seconds.reduce((s, v) => s + v, 0) / seconds.length,
    median: quantile(seconds, 0.5),
    p90: quantile(seconds, 0.9),
  };
}

export interface RefWait {
  readonly caseId: string;
  readonly activity: string;
  /** When the wait began: the previous event's completion (UTC ms). */
  readonly from: number;
  readonly ms: number;
}

export interface RefAnalysis {
  readonly cases: number;
  readonly events: number;
  readonly variants: number;
  /** Per activity: every wait before it (ms) and every service time (ms). */
  readonly waits: Map<string, RefWait[]>;
  readonly services: Map<string, number[]>;
  readonly occurrences: Map<string, number>;
  /** "a → b" → how many times b directly followed a. */
  readonly directlyFollows: Map<string, number>;
  /** "a → b" → each time between a's completion and b's start (ms, at least 0). */
  readonly edgeTimes: Map<string, number[]>;
  /** Per activity, how many cases contain it; and how many cases begin and end with it. */
  readonly casesWith: Map<string, number>;
  readonly starts: Map<string, number>;
  readonly ends: Map<string, number>;
  /** Per case, last completion − first start (ms). */
  readonly caseDurations: number[];
}

const startOf = (e: RefEvent): number => e.start ?? e.complete;

/** Groups events by case, orders each case, and measures everything the checks compare. */
export function referenceAnalysis(all: readonly RefEvent[]): RefAnalysis {
  const byCase = new Map<string, RefEvent[]>();
  for (const e of all) {
    const list = byCase.get(e.caseId) ?? [];
    list.push(e);
    byCase.set(e.caseId, list);
  }
  const waits = new Map<string, RefWait[]>();
  const services = new Map<string, number[]>();
  const occurrences = new Map<string, number>();
  const directlyFollows = new Map<string, number>();
  const edgeTimes = new Map<string, number[]>();
  const casesWith = new Map<string, number>();
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  const add = (map: Map<string, number>, name: string) => map.set(name, (map.get(name) ?? 0) + 1);
  const caseDurations: number[] = [];
  const sequences = new Set<string>();
  for (const [caseId, list] of byCase) {
    list.sort((a, b) => startOf(a) - startOf(b) || a.complete - b.complete || a.order - b.order);
    sequences.add(JSON.stringify(list.map((e) => e.activity)));
    for (const name of new Set(list.map((e) => e.activity))) add(casesWith, name);
    add(starts, (list[0] as RefEvent).activity);
    add(ends, (list[list.length - 1] as RefEvent).activity);
    caseDurations.push(
      Math.max(...list.map((e) => e.complete)) - Math.min(...list.map((e) => startOf(e))),
    );
    list.forEach((e, k) => {
      occurrences.set(e.activity, (occurrences.get(e.activity) ?? 0) + 1);
      if (e.start !== null) {
        const s = services.get(e.activity) ?? [];
        s.push(e.complete - e.start);
        services.set(e.activity, s);
      }
      if (k === 0) return;
      const before = list[k - 1] as RefEvent;
      const w = waits.get(e.activity) ?? [];
      w.push({
        caseId,
        activity: e.activity,
        from: before.complete,
        ms: Math.max(0, startOf(e) - before.complete),
      });
      waits.set(e.activity, w);
      const key = `${before.activity} → ${e.activity}`;
      directlyFollows.set(key, (directlyFollows.get(key) ?? 0) + 1);
      const times = edgeTimes.get(key) ?? [];
      times.push(Math.max(0, startOf(e) - before.complete));
      edgeTimes.set(key, times);
    });
  }
  return {
    cases: byCase.size,
    events: all.length,
    variants: sequences.size,
    waits,
    services,
    occurrences,
    directlyFollows,
    edgeTimes,
    casesWith,
    starts,
    ends,
    caseDurations,
  };
}

const DAY = 86_400_000;

/**
 * The evidence for a wait's kind, computed the plain way:
 * - `modeShare`: the largest share of waits (of an hour or more) within ±max(15 min, 1 %) of any
 *   one of them, and that duration;
 * - `wholeDayShare`: the share of all waits within ±15 minutes of 1, 2, 3, … days;
 * - `queueCorrelation`: Spearman's rank correlation between each wait and the number of other
 *   waits for the same activity still running at the instant it began (started at or before
 *   that instant, ending after it);
 * - `simultaneousShare`: the share of the activity's completions at the very instant of another;
 * - `wholeDayExpected`: the share of waits that would fall within 15 minutes of a whole number of
 *   days by chance, given the log's times of day: over every pair (i, j) of waits of a day or more,
 *   how often wait j's end time of day (to the minute) lies within 15 minutes of wait i's start
 *   time of day (around midnight too), times the share of all waits that are a day or more;
 * - `modeShareByQueue`: the share at the mode among waits begun with a short queue and with a long
 *   one (split at the median queue), or null on fewer than 20 of either.
 */
export function waitEvidence(
  waits: readonly RefWait[],
  completions: readonly number[],
): {
  modeSeconds: number | null;
  modeShare: number;
  wholeDayShare: number;
  queueCorrelation: number;
  simultaneousShare: number;
  wholeDayExpected: number;
  modeShareByQueue: [number, number] | null;
} {
  const n = waits.length;
  let modeMs: number | null = null;
  let modeCount = 0;
  const values = waits.map((w) => w.ms);
  for (const centre of new Set(values)) {
    if (centre < 3_600_000) continue;
    const tolerance = Math.max(900_000, 0.01 * centre);
    const count = values.filter((v) => Math.abs(v - centre) <= tolerance).length;
    if (count > modeCount) [modeMs, modeCount] = [centre, count];
  }
  let onWholeDays = 0;
  for (const v of values) {
    for (let days = 1; days * DAY <= v + 900_000; days++) {
      if (Math.abs(v - days * DAY) <= 900_000) {
        onWholeDays++;
        break;
      }
    }
  }
  const queue = waits.map(
    (w, i) => waits.filter((o, j) => j !== i && o.from <= w.from && o.from + o.ms > w.from).length,
  );
  const simultaneous = completions.filter(
    (c, i) => completions.findIndex((d, j) => j !== i && d === c) >= 0,
  ).length;
  const minute = (ms: number) => Math.floor((((ms % DAY) + DAY) % DAY) / 60_000);
  const long = waits.filter((w) => w.ms >= DAY - 900_000);
  let agree = 0;
  for (const a of long) {
    const start = minute(a.from);
    for (const b of long) {
      const gap = Math.abs(start - minute(b.from + b.ms));
      if (Math.min(gap, 1440 - gap) <= 15) agree++;
    }
  }
  // The share at the mode among waits begun with fewer cases waiting than the median queue, and
  // among the others (the median queue is the middle value, the upper one of an even count).
  let modeShareByQueue: [number, number] | null = null;
  if (modeMs !== null && n >= 40) {
    const middle = [...queue].sort((a, b) => a - b)[Math.floor(n / 2)] as number;
    const tolerance = Math.max(900_000, 0.01 * modeMs);
    const share = (part: number[]) =>
      part.filter((i) => Math.abs((values[i] as number) - (modeMs as number)) <= tolerance).length /
      part.length;
    const low = queue.flatMap((q, i) => (q < middle ? [i] : []));
    const high = queue.flatMap((q, i) => (q >= middle ? [i] : []));
    if (low.length >= 20 && high.length >= 20) modeShareByQueue = [share(low), share(high)];
  }
  return {
    modeShareByQueue,
    wholeDayExpected: long.length === 0 ? 0 : (agree / long.length ** 2) * (long.length / n),
    modeSeconds: modeMs === null ? null : modeMs / 1000,
    modeShare: modeCount / n,
    wholeDayShare: onWholeDays / n,
    queueCorrelation: spearman(values, queue),
    simultaneousShare: simultaneous / completions.length,
  };
}

/** Ranks from 1, ties given their average rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const result = new Array<number>(values.length);
  for (let k = 0; k < order.length;) {
    let end = k;
    while (end + 1 < order.length && order[end + 1]?.v === order[k]?.v) end++;
    for (let m = k; m <= end; m++) result[(order[m] as { i: number }).i] = (k + end) / 2 + 1;
    k = end + 1;
  }
  return result;
}

/** Spearman's rank correlation: Pearson's correlation of the ranks. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const rx = ranks(x);
  const ry = ranks(y);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const mx = mean(rx);
  const my = mean(ry);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += ((rx[i] as number) - mx) * ((ry[i] as number) - my);
    sxx += ((rx[i] as number) - mx) ** 2;
    syy += ((ry[i] as number) - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * A deadline counted from an earlier event: for each occurrence of `activity` that is neither a
 * case's first nor second event, its start (completion where none) minus the completion of the
 * case's first event ("the case's start", null) and of the last earlier occurrence (after the
 * first event) of every other activity, except the activity of the event just before it, whose
 * wait is the ordinary one. For each anchor seen by at least `minObserved` occurrences: the
 * largest number of them within ±max(15 min, 1 %) of one duration of an hour or more, and that
 * duration.
 */
export function anchoredEvidence(
  events: readonly RefEvent[],
  activity: string,
  minObserved: number,
): Map<string | null, { seconds: number; count: number; observed: number }> {
  const byCase = new Map<string, RefEvent[]>();
  for (const e of events) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
  const distances = new Map<string | null, number[]>();
  for (const list of byCase.values()) {
    list.sort((a, b) => startOf(a) - startOf(b) || a.complete - b.complete || a.order - b.order);
    list.forEach((e, k) => {
      if (e.activity !== activity || k < 2) return;
      const previous = (list[k - 1] as RefEvent).activity;
      const first = list[0] as RefEvent;
      const anchors = new Map<string | null, number>([[null, first.complete]]);
      for (const earlier of list.slice(1, k - 1)) {
        if (earlier.activity === activity || earlier.activity === previous) continue;
        anchors.set(earlier.activity, earlier.complete); // the last one wins
      }
      for (const [from, at] of anchors)
        distances.set(from, [...(distances.get(from) ?? []), startOf(e) - at]);
    });
  }
  const byAnchor = new Map<string | null, { seconds: number; count: number; observed: number }>();
  for (const [from, list] of distances) {
    if (list.length < minObserved) continue;
    for (const centre of new Set(list)) {
      if (centre < 3_600_000) continue;
      const tolerance = Math.max(900_000, 0.01 * centre);
      const count = list.filter((v) => Math.abs(v - centre) <= tolerance).length;
      if (count > (byAnchor.get(from)?.count ?? 0))
        byAnchor.set(from, { seconds: centre / 1000, count, observed: list.length });
    }
  }
  return byAnchor;
}
