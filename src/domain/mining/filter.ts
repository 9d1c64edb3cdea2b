// Filters over an imported log — by period, by variant, by case attribute, a seeded sample of
// cases — each returning a new, smaller `EventLog` of whole cases (a case is never cut in half,
// so its waits stay true).
import type { CaseAttribute, EventLog } from './model.ts';
import { startOrComplete } from './model.ts';
import { seededRandom } from './montecarlo.ts';

export interface LogFilter {
  /** Keep cases by time: ISO 8601 instants or UTC milliseconds. */
  readonly period?: {
    readonly from?: string | number;
    readonly to?: string | number;
    /**
     * `contained` (default): the whole case lies within [from, to); `started`: the case began in
     * it; `intersecting`: some part of the case lies in it.
     */
    readonly mode?: 'contained' | 'started' | 'intersecting';
  };
  /** Keep cases whose activity sequence is one of these. */
  readonly variants?: readonly (readonly string[])[];
  /** Keep cases whose attribute has one of these values. */
  readonly caseAttribute?: { readonly name: string; readonly values: readonly string[] };
  /**
   * Keep each case with probability `share`, drawn from `seed` (the same seed keeps the same
   * cases): a smaller extract of the same process, to check that a finding holds on one.
   */
  readonly sample?: { readonly share: number; readonly seed: number };
}

function instant(value: string | number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const t = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`the filter's ${what} "${value}" is not a date`);
  return t;
}

/** Returns the cases that pass every given filter. */
export function filterLog(log: EventLog, filter: LogFilter): EventLog {
  const caseCount = log.caseIds.length;
  const keep = new Uint8Array(caseCount).fill(1);
  if (filter.period !== undefined) {
    const from = instant(filter.period.from, -Infinity, 'start');
    const to = instant(filter.period.to, Infinity, 'end');
    const mode = filter.period.mode ?? 'contained';
    for (let c = 0; c < caseCount; c++) {
      let first = Infinity;
      let last = -Infinity;
      for (let i = log.caseOffsets[c] as number; i < (log.caseOffsets[c + 1] as number); i++) {
        first = Math.min(first, startOrComplete(log, i));
        last = Math.max(last, log.complete[i] as number);
      }
      const ok =
        mode === 'started'
          ? first >= from && first < to
          : mode === 'intersecting'
            ? last >= from && first < to
            : first >= from && last < to;
      if (!ok) keep[c] = 0;
    }
  }
  if (filter.variants !== undefined) {
    const index = new Map(log.activityNames.map((name, i) => [name, i]));
    const wanted = new Set(
      filter.variants.map((v) => v.map((name) => index.get(name) ?? -1).join(',')),
    );
    for (let c = 0; c < caseCount; c++) {
      if (keep[c] === 0) continue;
      const key = Array.from(
        log.activity.subarray(log.caseOffsets[c] as number, log.caseOffsets[c + 1] as number),
      ).join(',');
      if (!wanted.has(key)) keep[c] = 0;
    }
  }
  if (filter.caseAttribute !== undefined) {
    const attribute = log.caseAttributes.get(filter.caseAttribute.name);
    if (attribute === undefined) {
      const known = [...log.caseAttributes.keys()].join(', ') || 'none';
      throw new Error(
        `the log has no case attribute "${filter.caseAttribute.name}" (it has: ${known})`,
      );
    }
    const wanted = new Set(filter.caseAttribute.values);
    for (let c = 0; c < caseCount; c++) {
      const code = attribute.codes[c] as number;
      if (code < 0 || !wanted.has(attribute.values[code] as string)) keep[c] = 0;
    }
  }
  if (filter.sample !== undefined) {
    const random = seededRandom(filter.sample.seed);
    for (let c = 0; c < caseCount; c++) if (random() >= filter.sample.share) keep[c] = 0;
  }
  return subset(log, keep);
}

function subset(log: EventLog, keep: Uint8Array): EventLog {
  const cases: number[] = [];
  let events = 0;
  for (let c = 0; c < keep.length; c++) {
    if (keep[c] === 1) {
      cases.push(c);
      events += (log.caseOffsets[c + 1] as number) - (log.caseOffsets[c] as number);
    }
  }
  const caseOffsets = new Uint32Array(cases.length + 1);
  const activity = new Uint32Array(events);
  const resource = new Int32Array(events);
  const group = new Int32Array(events);
  const start = new Float64Array(events);
  const complete = new Float64Array(events);
  let out = 0;
  cases.forEach((c, k) => {
    const from = log.caseOffsets[c] as number;
    const to = log.caseOffsets[c + 1] as number;
    activity.set(log.activity.subarray(from, to), out);
    resource.set(log.resource.subarray(from, to), out);
    group.set(log.group.subarray(from, to), out);
    start.set(log.start.subarray(from, to), out);
    complete.set(log.complete.subarray(from, to), out);
    out += to - from;
    caseOffsets[k + 1] = out;
  });
  const caseAttributes = new Map<string, CaseAttribute>();
  for (const [name, attribute] of log.caseAttributes) {
    caseAttributes.set(name, {
      values: attribute.values,
      codes: Int32Array.from(cases, (c) => attribute.codes[c] as number),
    });
  }
  let hasStart = false;
  for (let i = 0; i < events && !hasStart; i++)
    if (!Number.isNaN(start[i] as number)) hasStart = true;
  return {
    ...log,
    caseIds: cases.map((c) => log.caseIds[c] as string),
    caseOffsets,
    activity,
    resource,
    group,
    start,
    complete,
    caseAttributes,
    hasStartTimes: hasStart,
  };
}
