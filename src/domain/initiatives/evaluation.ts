// Post-implementation evaluation of an AI initiative (paper section 3.1, the third organisational
// learning process): did it genuinely raise productivity across the delivery chain — money saved
// (budgetary efficiency), staff time and resources (operational efficiency), beneficial impact
// (effectiveness) — and what determined the result, from system logs and frontline staff? Two
// halves: `evaluateFromLog` measures before and after go-live from a case-management event log
// with the mining engine's own measures, and says how far the comparison can be trusted;
// `buildEvaluation` joins those figures to what the team types (the three measures, the
// bottleneck, determinants, unintended consequences, staff views, outcome), checked by
// `evaluationInputSchema`. `describeChange` says "better" or "worse" the right way round for
// measures where lower is better (cost per output, lead time) and higher is better.
import { z } from 'zod';
import { formatDuration } from '../mining/index.ts';
import type { DurationStats, EventLog } from '../mining/index.ts';
import { caseDurations } from '../mining/analysis/activities.ts';
import { transitionTimes } from '../mining/analysis/dfg.ts';
import { quantileSorted, sortNumbers, summariseMs } from '../mining/analysis/stats.ts';
import { createRandom } from '../chain/rng.ts';

// ---------------------------------------------------------------------------------------------
// Describing a change

/** Whether a smaller figure is the better one (cost per output, lead time) or a larger one. */
export type Polarity = 'lower-is-better' | 'higher-is-better';

export interface ChangeDescription {
  readonly before: number;
  readonly after: number;
  /** after − before. */
  readonly difference: number;
  /** after ÷ before − 1; null when before is 0. */
  readonly relative: number | null;
  readonly direction: 'rose' | 'fell' | 'unchanged';
  readonly verdict: 'better' | 'worse' | 'unchanged';
  /** "Median lead time fell from 9.1 days to 6.4 days (−30%): better." */
  readonly sentence: string;
}

/** A change smaller than this share of the earlier figure shows as 0% and counts as no change. */
export const UNCHANGED_BELOW = 0.005;

const plainNumber = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/**
 * Describes a before-and-after pair in plain words. `polarity` says which way is better: a fall in
 * cost per output or lead time is better, a fall in outcomes per output is worse.
 */
export function describeChange(
  label: string,
  before: number,
  after: number,
  options: { readonly polarity: Polarity; readonly format?: (x: number) => string },
): ChangeDescription {
  if (!Number.isFinite(before) || !Number.isFinite(after)) {
    throw new Error(`${label}: both figures must be numbers (got ${before} and ${after})`);
  }
  const format = options.format ?? ((x: number) => plainNumber.format(x));
  const difference = after - before;
  const relative = before === 0 ? null : difference / Math.abs(before);
  const unchanged = difference === 0 || (relative !== null && Math.abs(relative) < UNCHANGED_BELOW);
  const direction = unchanged ? 'unchanged' : difference > 0 ? 'rose' : 'fell';
  const better = options.polarity === 'lower-is-better' ? difference < 0 : difference > 0;
  const verdict = unchanged ? 'unchanged' : better ? 'better' : 'worse';
  const name = label.charAt(0).toUpperCase() + label.slice(1);
  const percent = relative === null ? '' : ` (${signedPercent(relative)})`;
  const sentence =
    direction === 'unchanged'
      ? `${name} stayed at ${format(after) === format(before) ? '' : 'about '}${format(before)}${difference === 0 ? '' : percent}.`
      : `${name} ${direction} from ${format(before)} to ${format(after)}${percent}: ${verdict}.`;
  return { before, after, difference, relative, direction, verdict, sentence };
}

/** "−30%", "+4.2%": whole percentages from 10% up, one decimal below, a true minus sign. */
export function signedPercent(share: number): string {
  const p = share * 100;
  // −99.8% must not read as −100% (which would mean the figure fell to nothing).
  const whole = Math.abs(p) >= 10 && (Math.abs(p) < 99.5 || Math.abs(p) >= 100.5);
  const shown = whole ? Math.round(Math.abs(p)).toString() : Math.abs(p).toFixed(1);
  const sign = shown === '0.0' ? '' : p > 0 ? '+' : '−';
  return `${sign}${shown}%`;
}

// ---------------------------------------------------------------------------------------------
// Before and after go-live, from an event log

export interface LogEvaluationOptions {
  /** Go-live: a Date, `yyyy-mm-dd` (midnight UTC) or an ISO 8601 instant with its zone. */
  readonly goLive: Date | string;
  /** The targeted stage's activity, exactly as the log names it. */
  readonly activity?: string;
  /** Compare equal windows of this many days either side of go-live instead of the whole log. */
  readonly windowDays?: number;
  /** Seed of the bootstrap (default 1): the same seed gives the same interval. */
  readonly seed?: number;
  /** Bootstrap resamples (default 2,000; fewer for very large logs, see `MAX_BOOTSTRAP_DRAWS`). */
  readonly resamples?: number;
}

/** The wait before the targeted activity in one period. */
export interface ActivityWait {
  readonly activity: string;
  /** Waits measured (occurrences that do not begin a case), seconds. */
  readonly wait: DurationStats;
  /** Total wait before the activity ÷ total duration of the period's cases. */
  readonly shareOfCaseTime: number;
  /** Cases of the period in which the activity occurs at least once. */
  readonly casesVisiting: number;
}

export interface PeriodFigures {
  /** ISO 8601 instants; the period is [from, to) before go-live and [from, to] after. */
  readonly from: string;
  readonly to: string;
  readonly weeks: number;
  /** Cases wholly inside the period: they give the lead time and the waits. */
  readonly cases: number;
  /** Case duration (first start to last completion), seconds. */
  readonly leadTime: DurationStats;
  /** Every case that finished in the period, including those begun before go-live. */
  readonly completed: number;
  readonly throughputPerWeek: number;
  /** New cases a week: demand. */
  readonly arrivalsPerWeek: number;
  /** Cases open on average during the period (work in progress). */
  readonly meanWip: number;
  readonly activity: ActivityWait | null;
}

export interface LogChanges {
  readonly leadTimeMedian: ChangeDescription | null;
  readonly leadTimeMean: ChangeDescription | null;
  readonly leadTimeP90: ChangeDescription | null;
  readonly throughput: ChangeDescription | null;
  readonly waitMedian: ChangeDescription | null;
  readonly waitMean: ChangeDescription | null;
  readonly waitShare: ChangeDescription | null;
}

/** A percentile-bootstrap interval for the change in median lead time (after − before). */
export interface BootstrapInterval {
  /** Point estimate, seconds (negative: lead time fell). */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number;
  readonly excludesZero: boolean;
}

export interface LogConfidence {
  /** Fewer than `MIN_CASES_PER_SIDE` cases before or after. */
  readonly smallSample: boolean;
  readonly leadTimeMedianChange: BootstrapInterval | null;
  readonly statements: readonly string[];
}

export interface LogEvaluation {
  readonly goLive: string;
  readonly windowDays: number | null;
  readonly activity: string | null;
  /** First and last instants in the log. */
  readonly logFrom: string;
  readonly logTo: string;
  readonly before: PeriodFigures;
  readonly after: PeriodFigures;
  /** Cases that began before go-live and finished on or after it: left out of both groups. */
  readonly spanning: number;
  /** With windows: other cases not wholly inside either window. */
  readonly outsideWindows: number;
  readonly changes: LogChanges;
  readonly confidence: LogConfidence;
  /** Reasons a before-and-after comparison may mislead, with the numbers where they are known. */
  readonly cautions: readonly string[];
  /** The comparison in plain words. */
  readonly findings: readonly string[];
}

/** Below this many cases on a side the comparison is flagged as a small sample. */
export const MIN_CASES_PER_SIDE = 30;
/** Confidence level of the bootstrap interval. */
export const BOOTSTRAP_CONFIDENCE = 0.95;
/** Resamples × cases above which fewer resamples are drawn, so a large log still answers in about a second. */
export const MAX_BOOTSTRAP_DRAWS = 20_000_000;
/** A fall in arrivals a week at least this large is named as a possible cause of shorter waits. */
export const DEMAND_FALL = 0.1;
/**
 * When the log's throughput changed within this many percentage points of its arrivals, the service
 * was completing what arrived on both sides: the change in volume follows demand and says nothing
 * about efficiency (outputs per input, section 2.2.1), so it is judged neither better nor worse.
 */
export const DEMAND_LED_MARGIN = 0.05;
/**
 * A change in median lead time of at least this share between the first and second halves of the
 * before period is named as a trend that was already under way before go-live.
 */
export const TREND_SHIFT = 0.1;
/** Cases needed in each half of the before period to judge a trend. */
export const MIN_CASES_FOR_TREND = 10;
/** A change of at least this many percentage points in the share of cases passing the activity is named as a change of mix. */
export const MIX_SHIFT = 0.1;

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const longDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/**
 * Compares the cases of an event log before and after go-live. Cases that ran across go-live are
 * counted and left out of both groups. Throws with a plain message for a go-live outside the log,
 * an unknown activity or a bad window.
 */
export function evaluateFromLog(log: EventLog, options: LogEvaluationOptions): LogEvaluation {
  const goLive = parseGoLive(options.goLive);
  const durations = caseDurations(log);
  const caseCount = log.caseIds.length;
  if (caseCount === 0) throw new Error('the event log has no cases to compare');
  let logFrom = Infinity;
  let logTo = -Infinity;
  for (let c = 0; c < caseCount; c++) {
    logFrom = Math.min(logFrom, durations.firstStart[c] as number);
    logTo = Math.max(logTo, durations.lastComplete[c] as number);
  }
  const when = longDate.format(goLive);
  if (goLive <= logFrom) {
    throw new Error(
      `go-live (${when}) is not after the log's first event (${longDate.format(logFrom)}): there is nothing before it to compare`,
    );
  }
  if (goLive >= logTo) {
    throw new Error(
      `go-live (${when}) is not before the log's last event (${longDate.format(logTo)}): there is nothing after it to compare`,
    );
  }
  const activityIndex = options.activity === undefined ? -1 : findActivity(log, options.activity);

  let windowDays: number | null = null;
  let windowNote: string | null = null;
  let beforeFrom = logFrom;
  let afterTo = logTo;
  if (options.windowDays !== undefined) {
    const asked = options.windowDays;
    if (!Number.isFinite(asked) || asked <= 0) {
      throw new Error(`the window must be a positive number of days (got ${asked})`);
    }
    // Equal windows either side, so neither side has more weeks, or other seasons, than the other.
    const room = Math.min(goLive - logFrom, logTo - goLive) / DAY;
    windowDays = Math.min(asked, room);
    if (windowDays < asked) {
      windowNote = `The log covers only ${formatDays(room)} on one side of go-live, so both windows were shortened from ${formatDays(asked)} to ${formatDays(windowDays)} to stay equal.`;
    }
    beforeFrom = goLive - windowDays * DAY;
    afterTo = goLive + windowDays * DAY;
  }

  const group = new Int8Array(caseCount); // 1 before, 2 after, 0 neither
  let spanning = 0;
  let outsideWindows = 0;
  for (let c = 0; c < caseCount; c++) {
    const first = durations.firstStart[c] as number;
    const last = durations.lastComplete[c] as number;
    if (first < goLive && last >= goLive) spanning++;
    else if (first >= beforeFrom && last < goLive) group[c] = 1;
    else if (first >= goLive && last <= afterTo) group[c] = 2;
    else outsideWindows++;
  }

  const times = activityIndex >= 0 ? transitionTimes(log) : null;
  const period = (which: 1 | 2, from: number, to: number): PeriodFigures =>
    periodFigures(log, durations, group, which, from, to, activityIndex, times);
  const before = period(1, beforeFrom, goLive);
  const after = period(2, goLive, afterTo);

  const changes = compare(before, after);
  const leadBefore = groupDurations(durations.perCase, group, 1);
  const leadAfter = groupDurations(durations.perCase, group, 2);
  const confidence = assessConfidence(before, after, leadBefore, leadAfter, options);
  const trend = trendBefore(durations, group, beforeFrom, goLive);
  const cautions = cautionsFor(log, before, after, changes, spanning, windowNote, trend);
  const findings = describeComparison(before, after, changes, spanning, outsideWindows, goLive);

  return {
    goLive: new Date(goLive).toISOString(),
    windowDays,
    activity: activityIndex >= 0 ? (log.activityNames[activityIndex] as string) : null,
    logFrom: new Date(logFrom).toISOString(),
    logTo: new Date(logTo).toISOString(),
    before,
    after,
    spanning,
    outsideWindows,
    changes,
    confidence,
    cautions,
    findings,
  };
}

function parseGoLive(value: Date | string): number {
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) throw new Error('go-live is not a valid date');
    return t;
  }
  const text = value.trim();
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date !== null) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const t = Date.UTC(y, m - 1, d);
    const back = new Date(t);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
      throw new Error(`go-live "${value}" is not a real date`);
    }
    return t;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) {
    throw new Error(
      `go-live "${value}" has a time but no time zone: add one, as in ${text}Z or ${text}+01:00`,
    );
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const t = Date.parse(text);
    if (!Number.isNaN(t)) return t;
  }
  throw new Error(
    `go-live "${value}" is not a date: write it as yyyy-mm-dd, for example 2011-06-01`,
  );
}

function findActivity(log: EventLog, name: string): number {
  const index = log.activityNames.indexOf(name);
  if (index >= 0) return index;
  const wanted = name.trim().toLowerCase();
  const near = log.activityNames.filter(
    (a) => wanted.length > 0 && a.toLowerCase().includes(wanted),
  );
  const list = (names: readonly string[]): string =>
    names
      .slice(0, 5)
      .map((a) => `"${a}"`)
      .join(', ') + (names.length > 5 ? ', …' : '');
  throw new Error(
    near.length > 0
      ? `the log has no activity "${name}" (did you mean ${list(near)}?)`
      : `the log has no activity "${name}" (its activities: ${list(log.activityNames)})`,
  );
}

function groupDurations(perCase: Float64Array, group: Int8Array, which: 1 | 2): Float64Array {
  let n = 0;
  for (let c = 0; c < group.length; c++) if (group[c] === which) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let c = 0; c < group.length; c++) if (group[c] === which) out[k++] = perCase[c] as number;
  return out;
}

function periodFigures(
  log: EventLog,
  durations: ReturnType<typeof caseDurations>,
  group: Int8Array,
  which: 1 | 2,
  from: number,
  to: number,
  activityIndex: number,
  times: Float64Array | null,
): PeriodFigures {
  const weeks = (to - from) / WEEK;
  const inPeriod = (t: number): boolean =>
    which === 1 ? t >= from && t < to : t >= from && t <= to;
  let completed = 0;
  let arrived = 0;
  let openTime = 0;
  for (let c = 0; c < log.caseIds.length; c++) {
    const first = durations.firstStart[c] as number;
    const last = durations.lastComplete[c] as number;
    if (inPeriod(last)) completed++;
    if (inPeriod(first)) arrived++;
    openTime += Math.max(0, Math.min(last, to) - Math.max(first, from));
  }
  const lead = groupDurations(durations.perCase, group, which);
  const cases = lead.length;
  let totalCaseTime = 0;
  for (let k = 0; k < cases; k++) totalCaseTime += lead[k] as number;

  let activity: ActivityWait | null = null;
  if (activityIndex >= 0 && times !== null) {
    const waits: number[] = [];
    let visiting = 0;
    for (let c = 0; c < log.caseIds.length; c++) {
      if (group[c] !== which) continue;
      let seen = false;
      for (let i = log.caseOffsets[c] as number; i < (log.caseOffsets[c + 1] as number); i++) {
        if (log.activity[i] !== activityIndex) continue;
        seen = true;
        const t = times[i] as number;
        if (!Number.isNaN(t)) waits.push(t);
      }
      if (seen) visiting++;
    }
    const wait = summariseMs(Float64Array.from(waits));
    activity = {
      activity: log.activityNames[activityIndex] as string,
      wait,
      shareOfCaseTime: totalCaseTime > 0 ? (wait.total * 1000) / totalCaseTime : 0,
      casesVisiting: visiting,
    };
  }
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    weeks,
    cases,
    leadTime: summariseMs(lead),
    completed,
    throughputPerWeek: weeks > 0 ? completed / weeks : 0,
    arrivalsPerWeek: weeks > 0 ? arrived / weeks : 0,
    meanWip: to > from ? openTime / (to - from) : 0,
    activity,
  };
}

const days = (seconds: number): string => formatDuration(seconds);

function compare(before: PeriodFigures, after: PeriodFigures): LogChanges {
  const both = before.cases > 0 && after.cases > 0;
  const lead = (label: string, pick: (s: DurationStats) => number): ChangeDescription | null =>
    both
      ? describeChange(label, pick(before.leadTime), pick(after.leadTime), {
          polarity: 'lower-is-better',
          format: days,
        })
      : null;
  const wb = before.activity;
  const wa = after.activity;
  const waits = wb !== null && wa !== null && wb.wait.count > 0 && wa.wait.count > 0;
  const wait = (label: string, pick: (s: DurationStats) => number): ChangeDescription | null =>
    waits && wb !== null && wa !== null
      ? describeChange(`${label} before ${wb.activity}`, pick(wb.wait), pick(wa.wait), {
          polarity: 'lower-is-better',
          format: days,
        })
      : null;
  return {
    leadTimeMedian: lead('median lead time', (s) => s.median),
    leadTimeMean: lead('mean lead time', (s) => s.mean),
    leadTimeP90: lead('lead time of the slowest tenth of cases (90th percentile)', (s) => s.p90),
    throughput: describeChange('throughput', before.throughputPerWeek, after.throughputPerWeek, {
      polarity: 'higher-is-better',
      format: (x) => `${x.toFixed(1)} cases a week`,
    }),
    waitMedian: wait('the median wait', (s) => s.median),
    waitMean: wait('the mean wait', (s) => s.mean),
    waitShare:
      waits && wb !== null && wa !== null
        ? describeChange(
            `the share of case time spent waiting for ${wb.activity}`,
            wb.shareOfCaseTime,
            wa.shareOfCaseTime,
            { polarity: 'lower-is-better', format: (x) => `${(x * 100).toFixed(1)}%` },
          )
        : null,
  };
}

/**
 * Percentile bootstrap of the change in median lead time. Each resample's median is read from
 * the sorted durations at the order statistics of the drawn indices (counted, not sorted), so a
 * resample costs one pass over the cases.
 */
export function bootstrapMedianChange(
  before: Float64Array,
  after: Float64Array,
  options: {
    readonly seed?: number;
    readonly resamples?: number;
    readonly confidence?: number;
  } = {},
): BootstrapInterval {
  if (before.length < 2 || after.length < 2) {
    throw new Error('a bootstrap interval needs at least 2 cases on each side');
  }
  const seed = options.seed ?? 1;
  const confidence = options.confidence ?? BOOTSTRAP_CONFIDENCE;
  const asked = options.resamples ?? 2000;
  if (!Number.isInteger(asked) || asked < 100) {
    throw new Error(`resamples must be a whole number of at least 100 (got ${asked})`);
  }
  const resamples = Math.max(
    100,
    Math.min(asked, Math.floor(MAX_BOOTSTRAP_DRAWS / (before.length + after.length))),
  );
  const b = sortNumbers(Float64Array.from(before));
  const a = sortNumbers(Float64Array.from(after));
  const random = createRandom(seed);
  const countsB = new Uint32Array(b.length);
  const countsA = new Uint32Array(a.length);
  const diffs = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    diffs[r] = resampledMedian(a, countsA, random) - resampledMedian(b, countsB, random);
  }
  sortNumbers(diffs);
  const estimate = (quantileSorted(a, 0.5) as number) - (quantileSorted(b, 0.5) as number);
  const low = quantileSorted(diffs, (1 - confidence) / 2);
  const high = quantileSorted(diffs, 1 - (1 - confidence) / 2);
  return {
    estimate: estimate / 1000,
    low: low / 1000,
    high: high / 1000,
    confidence,
    resamples,
    seed,
    excludesZero: low > 0 || high < 0,
  };
}

function resampledMedian(
  sorted: Float64Array,
  counts: Uint32Array,
  random: ReturnType<typeof createRandom>,
): number {
  const n = sorted.length;
  counts.fill(0);
  for (let k = 0; k < n; k++) (counts[Math.floor(random.next() * n)] as number)++;
  // The median interpolates between order statistics lo and lo + 1 (numpy's rule, as the mining engine).
  const pos = (n - 1) / 2;
  const lo = Math.floor(pos);
  let seen = 0;
  let low = Number.NaN;
  for (let i = 0; i < n; i++) {
    seen += counts[i] as number;
    if (Number.isNaN(low) && seen > lo) low = sorted[i] as number;
    if (seen > lo + 1 || (seen > lo && pos === lo)) {
      const high = sorted[i] as number;
      return low + (high - low) * (pos - lo);
    }
  }
  return low;
}

function assessConfidence(
  before: PeriodFigures,
  after: PeriodFigures,
  leadBefore: Float64Array,
  leadAfter: Float64Array,
  options: LogEvaluationOptions,
): LogConfidence {
  const statements: string[] = [];
  const smallSample = before.cases < MIN_CASES_PER_SIDE || after.cases < MIN_CASES_PER_SIDE;
  if (smallSample) {
    statements.push(
      `Small sample: ${count(before.cases, 'case')} before go-live and ${count(after.cases, 'case')} after. With fewer than ${MIN_CASES_PER_SIDE} on a side the figures can move a long way by chance; treat them as a first indication.`,
    );
  }
  let interval: BootstrapInterval | null = null;
  if (leadBefore.length >= 2 && leadAfter.length >= 2) {
    interval = bootstrapMedianChange(leadBefore, leadAfter, {
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.resamples === undefined ? {} : { resamples: options.resamples }),
    });
    const way = (x: number): string =>
      x < 0 ? `a fall of ${days(-x)}` : x > 0 ? `a rise of ${days(x)}` : 'no change';
    const level = `${Math.round(interval.confidence * 100)}%`;
    const range = `from ${way(interval.low)} to ${way(interval.high)}`;
    statements.push(
      `Median lead time: ${way(interval.estimate)}. A ${level} bootstrap interval (${interval.resamples.toLocaleString('en-GB')} resamples of the cases, seed ${interval.seed}) runs ${range}. ` +
        (interval.excludesZero
          ? 'It does not include zero, so chance alone is an unlikely explanation of the change, though not the only other one (see the cautions).'
          : 'It includes zero: the change could be chance.'),
    );
  } else {
    statements.push(
      'Too few cases on one side for an interval: at least 2 before and 2 after go-live are needed.',
    );
  }
  return { smallSample, leadTimeMedianChange: interval, statements };
}

function cautionsFor(
  log: EventLog,
  before: PeriodFigures,
  after: PeriodFigures,
  changes: LogChanges,
  spanning: number,
  windowNote: string | null,
  trend: { first: number; second: number } | null,
): string[] {
  const out = [
    'A before-and-after comparison from a log is not a controlled trial: the season, other changes made at the same time and a different mix of cases can all move these figures, and a wait that fell while work in progress also fell may reflect lighter demand rather than the initiative.',
  ];
  // Fewer cases in progress alone proves nothing: by Little's law it follows from shorter waits at
  // steady demand. Fewer arrivals is what points to demand as the cause.
  const fell = (c: ChangeDescription | null): boolean => c?.direction === 'fell';
  const shorter =
    before.activity !== null
      ? fell(changes.waitMedian) || fell(changes.waitMean)
      : fell(changes.leadTimeMedian);
  const demand =
    before.arrivalsPerWeek > 0 ? after.arrivalsPerWeek / before.arrivalsPerWeek - 1 : 0;
  if (shorter && demand <= -DEMAND_FALL) {
    const what =
      before.activity !== null ? `The wait before ${before.activity.activity}` : 'Lead time';
    out.push(
      `${what} fell, but so did demand: ${before.arrivalsPerWeek.toFixed(1)} cases arrived a week before go-live and ${after.arrivalsPerWeek.toFixed(1)} after (${signedPercent(demand)}), with ${before.meanWip.toFixed(1)} and ${after.meanWip.toFixed(1)} cases in progress on average. Part or all of the fall may come from lighter demand rather than the initiative.`,
    );
  }
  const lead = changes.leadTimeMedian;
  if (trend !== null && lead !== null && lead.direction !== 'unchanged' && trend.first > 0) {
    const drift = trend.second / trend.first - 1;
    const same = lead.direction === 'fell' ? drift <= -TREND_SHIFT : drift >= TREND_SHIFT;
    if (same) {
      out.push(
        `Median lead time was already ${lead.direction === 'fell' ? 'falling' : 'rising'} before go-live: ${days(trend.first)} for cases that started in the first half of the before period and ${days(trend.second)} in the second half (${signedPercent(drift)}). Part of the change may continue a trend that began before the initiative.`,
      );
    }
  }
  const vb = before.activity;
  const va = after.activity;
  if (vb !== null && va !== null && before.cases > 0 && after.cases > 0) {
    const shareBefore = vb.casesVisiting / before.cases;
    const shareAfter = va.casesVisiting / after.cases;
    if (Math.abs(shareAfter - shareBefore) >= MIX_SHIFT) {
      out.push(
        `The mix of cases changed: ${Math.round(shareBefore * 100)}% of cases passed through ${vb.activity} before go-live and ${Math.round(shareAfter * 100)}% after, so the two periods are not like for like.`,
      );
    }
  }
  if (spanning > 0) {
    out.push(
      `${count(spanning, 'case')} ran across go-live and ${spanning === 1 ? 'is' : 'are'} left out of the lead times and waits; ${spanning === 1 ? 'it counts' : 'they count'} towards throughput in the period ${spanning === 1 ? 'it' : 'they'} finished.`,
    );
  }
  if (!log.hasStartTimes) {
    out.push(
      'The log records completion times only, so each wait includes the work of the activity itself: waiting and working cannot be told apart.',
    );
  }
  if (windowNote !== null) out.push(windowNote);
  return out;
}

/**
 * Median lead time of the before group's cases that started in the first and in the second half
 * of the before period: a change already under way before go-live is not the initiative's doing.
 */
function trendBefore(
  durations: ReturnType<typeof caseDurations>,
  group: Int8Array,
  from: number,
  goLive: number,
): { first: number; second: number } | null {
  const middle = from + (goLive - from) / 2;
  const first: number[] = [];
  const second: number[] = [];
  for (let c = 0; c < group.length; c++) {
    if (group[c] !== 1) continue;
    const d = durations.perCase[c] as number;
    if ((durations.firstStart[c] as number) < middle) first.push(d);
    else second.push(d);
  }
  if (first.length < MIN_CASES_FOR_TREND || second.length < MIN_CASES_FOR_TREND) return null;
  return {
    first: summariseMs(Float64Array.from(first)).median,
    second: summariseMs(Float64Array.from(second)).median,
  };
}

function describeComparison(
  before: PeriodFigures,
  after: PeriodFigures,
  changes: LogChanges,
  spanning: number,
  outsideWindows: number,
  goLive: number,
): string[] {
  const left = [
    spanning > 0 ? `${count(spanning, 'case')} ran across go-live` : '',
    outsideWindows > 0 ? `${count(outsideWindows, 'other case')} fell outside the windows` : '',
  ].filter((s) => s !== '');
  const out = [
    `Compared ${count(before.cases, 'case')} that started and finished before go-live on ${longDate.format(goLive)} with ${count(after.cases, 'case')} that started on or after it` +
      (left.length > 0
        ? `; ${left.join(' and ')} and ${spanning + outsideWindows === 1 ? 'is' : 'are'} left out.`
        : '.'),
  ];
  for (const c of [
    changes.leadTimeMedian,
    changes.throughput,
    changes.waitMedian,
    changes.waitShare,
  ]) {
    if (c !== null) out.push(c.sentence);
  }
  return out;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? noun : `${noun}s`}`;
}

function formatDays(d: number): string {
  return `${Math.round(d * 10) / 10} days`;
}

// ---------------------------------------------------------------------------------------------
// The evaluation the team writes

/** How the initiative turned out, in the team's judgement. */
export type EvaluationOutcome = 'succeeded' | 'partly' | 'failed' | 'stopped';
export const EVALUATION_OUTCOMES: readonly EvaluationOutcome[] = [
  'succeeded',
  'partly',
  'failed',
  'stopped',
];
export const OUTCOME_WORDS: Readonly<Record<EvaluationOutcome, string>> = {
  succeeded: 'succeeded',
  partly: 'partly succeeded',
  failed: 'failed',
  stopped: 'was stopped',
};

/** A figure before go-live and after; null where it is not known. */
export interface FigurePair {
  readonly before: number | null;
  readonly after: number | null;
}

/** The three measures of Figure 1. */
export type MeasureFamily = 'budgetary' | 'operational' | 'effectiveness';

/** What the team types for a post-implementation evaluation (section 3.1). */
export interface EvaluationInput {
  readonly initiativeId: string;
  /** yyyy-mm-dd. */
  readonly evaluatedOn: string;
  /** Budgetary efficiency: how well inputs are bought (section 2.2.1). */
  readonly budgetary: {
    /** What one unit of input is: "staff hour", "licence", "vehicle". */
    readonly inputUnit: string;
    /** Pounds per unit of input. */
    readonly costPerUnitOfInput: FigurePair;
    /** Pounds spent on the service a year; the fall is the money saved. */
    readonly spendPerYear: FigurePair;
  };
  /** Operational efficiency: inputs turned into outputs. */
  readonly operational: {
    readonly outputsPerStaffHour: FigurePair;
    /** Pounds per output. */
    readonly costPerOutput: FigurePair;
    /** Median days from a case's start to its end; the event log fills it when left blank. */
    readonly leadTimeDays: FigurePair;
    /** Outputs a week; the event log fills it when left blank. */
    readonly throughputPerWeek: FigurePair;
  };
  /** Effectiveness: outputs turned into outcomes. */
  readonly effectiveness: {
    /** What counts as an outcome: "decisions not overturned on appeal". */
    readonly outcomeName: string;
    readonly outcomesPerOutput: FigurePair;
  };
  /** The stage that constrained the chain before and after; empty when not known. */
  readonly bottleneck: { readonly before: string; readonly after: string };
  /** Why it succeeded or failed: from system logs and frontline staff (section 3.1). */
  readonly determinants: string;
  readonly unintendedConsequences: string;
  readonly staffPerspectives: string;
  readonly outcome: EvaluationOutcome;
}

export type FigureKey =
  | 'costPerUnitOfInput'
  | 'spendPerYear'
  | 'outputsPerStaffHour'
  | 'costPerOutput'
  | 'leadTimeDays'
  | 'throughputPerWeek'
  | 'outcomesPerOutput';

export interface EvaluationFigure {
  readonly key: FigureKey;
  readonly family: MeasureFamily;
  readonly label: string;
  readonly polarity: Polarity;
  readonly before: number | null;
  readonly after: number | null;
  /** Where the pair came from; null when neither side is known. */
  readonly source: 'typed' | 'event log' | null;
  /** Null unless both sides are known. */
  readonly change: ChangeDescription | null;
}

export type FamilyVerdict = 'better' | 'worse' | 'mixed' | 'unchanged' | 'not measured';

export interface Evaluation {
  readonly input: EvaluationInput;
  readonly figures: readonly EvaluationFigure[];
  /** Per measure of Figure 1: did its figures move, and which way. */
  readonly measures: Readonly<Record<MeasureFamily, FamilyVerdict>>;
  /** Spend before − spend after, pounds a year; null when either is unknown. */
  readonly moneySavedPerYear: number | null;
  readonly constraint: {
    readonly before: string | null;
    readonly after: string | null;
    /** Null when either side is not known. */
    readonly moved: boolean | null;
    readonly statement: string;
  };
  readonly fromLog: LogEvaluation | null;
  /** The evaluation in plain words, figures included. */
  readonly summary: readonly string[];
}

const pounds = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  maximumFractionDigits: 2,
});

const FIGURES: readonly {
  key: FigureKey;
  family: MeasureFamily;
  label: (input: EvaluationInput) => string;
  polarity: Polarity;
  format: (x: number) => string;
  pick: (input: EvaluationInput) => FigurePair;
}[] = [
  {
    key: 'costPerUnitOfInput',
    family: 'budgetary',
    label: (i) => `cost per ${i.budgetary.inputUnit.trim() || 'unit of input'}`,
    polarity: 'lower-is-better',
    format: (x) => pounds.format(x),
    pick: (i) => i.budgetary.costPerUnitOfInput,
  },
  {
    key: 'spendPerYear',
    family: 'budgetary',
    label: () => 'spend a year',
    polarity: 'lower-is-better',
    format: (x) => pounds.format(x),
    pick: (i) => i.budgetary.spendPerYear,
  },
  {
    key: 'outputsPerStaffHour',
    family: 'operational',
    label: () => 'outputs per staff hour',
    polarity: 'higher-is-better',
    format: (x) => plainNumber.format(x),
    pick: (i) => i.operational.outputsPerStaffHour,
  },
  {
    key: 'costPerOutput',
    family: 'operational',
    label: () => 'cost per output',
    polarity: 'lower-is-better',
    format: (x) => pounds.format(x),
    pick: (i) => i.operational.costPerOutput,
  },
  {
    key: 'leadTimeDays',
    family: 'operational',
    label: () => 'median lead time',
    polarity: 'lower-is-better',
    format: (x) => formatDuration(x * 86_400),
    pick: (i) => i.operational.leadTimeDays,
  },
  {
    key: 'throughputPerWeek',
    family: 'operational',
    label: () => 'throughput',
    polarity: 'higher-is-better',
    format: (x) => `${plainNumber.format(x)} a week`,
    pick: (i) => i.operational.throughputPerWeek,
  },
  {
    key: 'outcomesPerOutput',
    family: 'effectiveness',
    label: (i) =>
      i.effectiveness.outcomeName.trim() === ''
        ? 'outcomes per output'
        : `${i.effectiveness.outcomeName.trim()} per output`,
    polarity: 'higher-is-better',
    format: (x) => plainNumber.format(x),
    pick: (i) => i.effectiveness.outcomesPerOutput,
  },
];

/**
 * Joins what the team typed with the figures from an event log: the log fills lead time and
 * throughput when the team left either side blank (what was typed wins, so a figure from a wider
 * source is not overwritten). Says which way each of the three measures moved.
 */
export function buildEvaluation(
  input: EvaluationInput,
  fromLog: LogEvaluation | null = null,
): Evaluation {
  const fromLogPair = (key: FigureKey): FigurePair | null => {
    if (fromLog === null || fromLog.before.cases === 0 || fromLog.after.cases === 0) return null;
    if (key === 'leadTimeDays') {
      return {
        before: fromLog.before.leadTime.median / 86_400,
        after: fromLog.after.leadTime.median / 86_400,
      };
    }
    if (key === 'throughputPerWeek') {
      return { before: fromLog.before.throughputPerWeek, after: fromLog.after.throughputPerWeek };
    }
    return null;
  };
  const figures = FIGURES.map((f): EvaluationFigure => {
    const typed = f.pick(input);
    const complete = typed.before !== null && typed.after !== null;
    const logged = complete ? null : fromLogPair(f.key);
    const pair = logged ?? typed;
    const source =
      logged !== null
        ? 'event log'
        : typed.before !== null || typed.after !== null
          ? 'typed'
          : null;
    const label = f.label(input);
    const described =
      pair.before !== null && pair.after !== null
        ? describeChange(label, pair.before, pair.after, {
            polarity: f.polarity,
            format: f.format,
          })
        : null;
    return {
      key: f.key,
      family: f.family,
      label,
      polarity: f.polarity,
      before: pair.before,
      after: pair.after,
      source,
      change:
        described !== null && logged !== null && f.key === 'throughputPerWeek' && fromLog
          ? demandLed(described, fromLog)
          : described,
    };
  });
  const measures = Object.fromEntries(
    (['budgetary', 'operational', 'effectiveness'] as const).map((family) => {
      const verdicts = figures
        .filter((f) => f.family === family && f.change !== null)
        .map((f) => f.change?.verdict);
      const better = verdicts.includes('better');
      const worse = verdicts.includes('worse');
      const verdict: FamilyVerdict =
        verdicts.length === 0
          ? 'not measured'
          : better && worse
            ? 'mixed'
            : better
              ? 'better'
              : worse
                ? 'worse'
                : 'unchanged';
      return [family, verdict];
    }),
  ) as Record<MeasureFamily, FamilyVerdict>;

  const spend = input.budgetary.spendPerYear;
  const moneySavedPerYear =
    spend.before !== null && spend.after !== null ? spend.before - spend.after : null;
  const constraint = describeConstraint(input.bottleneck);

  const familyWords: Record<MeasureFamily, string> = {
    budgetary: 'budgetary efficiency',
    operational: 'operational efficiency',
    effectiveness: 'effectiveness',
  };
  const summary = [
    `Across the delivery chain (section 3.1): ${(
      ['budgetary', 'operational', 'effectiveness'] as const
    )
      .map((f) => `${familyWords[f]} ${measures[f]}`)
      .join('; ')}. The team judges that the initiative ${OUTCOME_WORDS[input.outcome]}.`,
    ...figures.flatMap((f) => {
      const sentence = figureSentence(f);
      return sentence === null ? [] : [sentence];
    }),
  ];
  if (moneySavedPerYear !== null) {
    summary.push(
      moneySavedPerYear >= 0
        ? `Money saved: ${pounds.format(moneySavedPerYear)} a year.`
        : `No money saved: spending rose by ${pounds.format(-moneySavedPerYear)} a year.`,
    );
  }
  summary.push(constraint.statement);
  return { input, figures, measures, moneySavedPerYear, constraint, fromLog, summary };
}

/**
 * Throughput from a log that moved with the arrivals is demand, not efficiency: a service that keeps
 * up completes what arrives, so fewer cases arriving means fewer completed. Judged unchanged, and
 * said so; a throughput that moved apart from the arrivals keeps its verdict.
 */
function demandLed(change: ChangeDescription, fromLog: LogEvaluation): ChangeDescription {
  const { before, after } = fromLog;
  if (change.relative === null || before.arrivalsPerWeek <= 0) return change;
  const demand = after.arrivalsPerWeek / before.arrivalsPerWeek - 1;
  if (Math.abs(change.relative - demand) > DEMAND_LED_MARGIN) return change;
  const sentence = change.sentence.replace(
    /: (better|worse|unchanged)\.$/,
    `, as arrivals did (${signedPercent(demand)}): the service completed what arrived, so this follows demand and is neither better nor worse.`,
  );
  return { ...change, verdict: 'unchanged', sentence };
}

/** A figure's change in words, saying so when the event log supplied it; null without a pair. */
export function figureSentence(figure: EvaluationFigure): string | null {
  if (figure.change === null) return null;
  const sentence = figure.change.sentence;
  return figure.source === 'event log'
    ? `${sentence.replace(/\.$/, '')} (from the event log).`
    : sentence;
}

function describeConstraint(b: EvaluationInput['bottleneck']): Evaluation['constraint'] {
  const before = b.before.trim() === '' ? null : b.before.trim();
  const after = b.after.trim() === '' ? null : b.after.trim();
  if (before === null || after === null) {
    return {
      before,
      after,
      moved: null,
      statement:
        before === null && after === null
          ? 'Whether the constraint moved was not recorded.'
          : `Whether the constraint moved is not known: only the bottleneck ${before === null ? 'after' : 'before'} go-live was recorded (${before ?? after}).`,
    };
  }
  const moved = before.toLowerCase() !== after.toLowerCase();
  return {
    before,
    after,
    moved,
    statement: moved
      ? `The constraint moved from ${before} to ${after}: the next improvement should look there (Theory of Constraints, section 2.2.1).`
      : `${before} is still the constraint: the initiative did not move the bottleneck.`,
  };
}

// ---------------------------------------------------------------------------------------------
// What users type

/** Largest figure accepted (pounds, hours, counts): larger is a typing error. */
export const MAX_FIGURE = 1_000_000_000;
/** Longest free-text answer, in characters. */
export const MAX_TEXT = 5000;
/** Longest short answer (a unit, an outcome's name, a stage), in characters. */
export const MAX_SHORT_TEXT = 200;

/**
 * A figure as typed: a number, or text such as "1,250" or "£42.50"; blank means not known. zod's
 * coercion would turn a blank into 0, so blanks are caught first.
 */
function figure(what: string) {
  return z.preprocess(
    (raw) => {
      if (raw === undefined || raw === null) return null;
      if (typeof raw === 'string') {
        const text = raw.trim().replace(/^£/, '').replace(/,/g, '');
        if (text === '') return null;
        return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : raw;
      }
      return raw;
    },
    z
      .number({ error: `Enter ${what} as a number, like 42.50` })
      .min(0, { error: `${capitalise(what)} must be 0 or more` })
      .max(MAX_FIGURE, {
        error: `${capitalise(what)} must be ${MAX_FIGURE.toLocaleString('en-GB')} or less`,
      })
      .nullable(),
  );
}

function pair(what: string) {
  return z.object({
    before: figure(`${what} before go-live`),
    after: figure(`${what} after go-live`),
  });
}

function required(what: string, empty: string, max = MAX_TEXT) {
  return z
    .string({ error: empty })
    .trim()
    .min(1, { error: empty })
    .max(max, {
      error: `${capitalise(what)} must be ${max.toLocaleString('en-GB')} characters or fewer`,
    });
}

function optional(what: string, max = MAX_SHORT_TEXT) {
  return z
    .string({ error: `${capitalise(what)} must be text` })
    .trim()
    .max(max, {
      error: `${capitalise(what)} must be ${max.toLocaleString('en-GB')} characters or fewer`,
    })
    .default('');
}

/** The evaluation as typed, with a specific message for each mistake. */
export const evaluationInputSchema = z.object({
  initiativeId: z
    .string({ error: 'Choose the initiative this evaluation is about' })
    .trim()
    .min(1, { error: 'Choose the initiative this evaluation is about' })
    .max(100, { error: 'The initiative id must be 100 characters or fewer' }),
  evaluatedOn: z
    .string({ error: 'Enter the date of the evaluation' })
    .trim()
    .refine((s) => isRealDate(s), {
      error: 'Enter the date of the evaluation as yyyy-mm-dd, for example 2025-03-31',
    }),
  budgetary: z.object({
    inputUnit: optional('the unit of input'),
    costPerUnitOfInput: pair('the cost per unit of input'),
    spendPerYear: pair('the spend a year'),
  }),
  operational: z.object({
    outputsPerStaffHour: pair('outputs per staff hour'),
    costPerOutput: pair('the cost per output'),
    leadTimeDays: pair('the median lead time in days'),
    throughputPerWeek: pair('the throughput a week'),
  }),
  effectiveness: z.object({
    outcomeName: optional('the name of the outcome'),
    outcomesPerOutput: pair('outcomes per output'),
  }),
  bottleneck: z.object({
    before: optional('the bottleneck before go-live'),
    after: optional('the bottleneck after go-live'),
  }),
  determinants: required(
    'what decided the result',
    'Enter what decided the result: why it succeeded or failed, from the logs and from staff',
  ),
  unintendedConsequences: required(
    'the unintended consequences',
    'Enter any unintended consequences, or write "None found"',
  ),
  staffPerspectives: required(
    'what frontline staff said',
    'Enter what frontline staff said about the change',
  ),
  outcome: z.enum(EVALUATION_OUTCOMES as [EvaluationOutcome, ...EvaluationOutcome[]], {
    error: 'Select the outcome: succeeded, partly succeeded, failed or stopped',
  }),
});

function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
