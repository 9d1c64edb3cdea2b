// Long waits and the bottleneck. A long wait is not always a capacity bottleneck (Theory of
// Constraints, paper section 3.2; diagnostic investigation, section 3.1): each candidate wait is
// classified from its own shape before anything is named —
//   timer     a policy period, a legal deadline or an automatic rule, told by its shape: nearly
//             constant (low coefficient of variation, or most waits within 10 % of the median);
//             or much of it at one fixed duration, on whole days or whole working days far more
//             often than the log's clock would give by chance, or at a fixed distance from the
//             case's start or an earlier event — in each case as much when the queue is long as
//             when it is short (a timer does not grow with the work waiting);
//   batching  median near zero but a long mean: most cases pass straight through, some are
//             parked and released later; or most completions released at one instant together;
//   contention the wait grows with the number of cases already waiting when a case arrives
//             (rank correlation), or the queue grows over the log: cases compete for busy staff;
//   external  long and variable but unrelated to the workload: a wait on the applicant, another
//             body or the customer.
// Where the waits are too few for a statistic to fall clearly on one side of its threshold (a
// median in the gap between short and long waits, a weak correlation on a small sample) the kind
// is "too few observations", with the reason: an extract and the whole log must not disagree.
// The bottleneck named is the largest wait (at least 5 % of case time) of the most actionable kind
// the evidence supports: contention first (a shortage of capacity, the Theory of Constraints
// sense), then batching (work held back by the way it is released), then a policy or timer wait,
// then an external wait. Its kind is always said, with what would and would not shorten it, so a
// batching delay or a set period is never mistaken for a need for more staff; `capacityBottleneck`
// names the stage that does show contention, if any. Thresholds are in WAIT_RULES.
import { formatCount, type EventLog } from '../model.ts';
import type { ActivityMeasures, CaseDurations } from './activities.ts';
import { queueGrowth, queuePerPeriod, type PeriodUnit } from './backlog.ts';
import {
  anchoredDeadline,
  fixedDuration,
  isNear,
  wholeDays,
  workingDayDeadline,
  type Tolerance,
} from './shape.ts';
import { round, sortNumbers, spearman } from './stats.ts';

export const WAIT_RULES = {
  /** Waits of at least this share of all case time are candidates. */
  minCandidateShare: 0.02,
  /** At most this many candidates are classified and listed. */
  maxCandidates: 10,
  /** Fewer waits than this: too few to classify. */
  minObservations: 20,
  /** A candidate must hold at least this share of case time to be named the bottleneck. */
  minBottleneckShare: 0.05,
  /**
   * Fewer waits than this: too few for the shape tests (a mode, whole days, a deadline) to be
   * told from chance; the kind is then "too few observations" unless the spread rule holds.
   */
  minShapeObservations: 40,
  /** Timer: coefficient of variation at most this … */
  timerMaxCv: 0.25,
  /** … or at least this share of waits within ±10 % of the median … */
  timerMinNearMedian: 0.6,
  /** … and a median of at least one hour (seconds). */
  timerMinMedian: 3600,
  /**
   * Timer by shape, fixed duration: at least this share of all waits within the tolerance of the
   * most common duration of an hour or more (a smooth spread puts about 1–2 % there) …
   */
  timerMinFixedShare: 0.2,
  /** … the tolerance: ±max(15 minutes, 1 % of the duration). */
  fixedTolerance: { minSeconds: 900, share: 0.01 },
  /**
   * Where an activity's clock records dates only (half its completions or more on a whole hour),
   * the fixed duration must also hold at least half the waits within ±max(10 %, 1.5 days)
   * of it: a real period stands out from the days beside it, a spread over a few days does not.
   */
  timerMinPeakOnDates: 0.5,
  /**
   * Timer by shape, whole days: at least this share of all waits within ±15 minutes of a whole
   * number of days (one day or more) …
   */
  timerMinWholeDayShare: 0.25,
  /** … and at least this many times the share the log's own times of day would give by chance. */
  timerMinWholeDayLift: 3,
  wholeDayToleranceSeconds: 900,
  /**
   * Timer by shape, working days: at least this share of all waits a whole number of days and the
   * same number of working days (Monday to Friday).
   */
  timerMinWorkingDayShare: 0.2,
  /**
   * Timer by shape, a deadline from an earlier event: at least this share of the occurrences lie
   * at one fixed duration after the case's start or an earlier activity (not the previous one) …
   */
  timerMinAnchoredShare: 0.3,
  /**
   * Not explained by work in progress: a shape rule holds only if, among the waits that began with
   * more cases waiting than the median and among those with fewer, each shows the shape in at
   * least this fraction of the rule's threshold.
   */
  timerQueueSteadiness: 0.5,
  /** Batching: median at most this share of the mean (or under a minute) … */
  batchingMaxMedianToMean: 0.1,
  /** … and a mean of at least one hour (seconds). */
  batchingMinMean: 3600,
  /**
   * Batching by release: at least this share of completions at the very instant of another case's
   * completion of the same activity, in a log whose clock is fine (under half of all events on a
   * whole hour; a log of dates only completes everything "together").
   */
  batchingMinSimultaneous: 0.5,
  /** Contention: Spearman correlation of wait with cases already waiting, at least this … */
  contentionMinCorrelation: 0.3,
  /** … or a queue that grows by at least this share of its mean while correlation ≥ 0.15. */
  contentionMinGrowth: 0.5,
  /**
   * External: the wait does not grow with the queue — the correlation's one-sided 90 % upper
   * bound (this z) stays below contentionMinCorrelation; otherwise too few waits to tell.
   */
  externalConfidenceZ: 1.2816,
} as const;

export type WaitKind = 'contention' | 'timer' | 'batching' | 'external' | 'insufficient-data';

export const WAIT_KIND_LABELS: Record<WaitKind, string> = {
  contention: 'resource contention',
  timer: 'policy or timer wait',
  batching: 'batching',
  external: 'external or customer wait',
  'insufficient-data': 'too few observations to classify',
};

export interface WaitEvidence {
  readonly observations: number;
  readonly medianSeconds: number;
  readonly meanSeconds: number;
  readonly p90Seconds: number;
  /** Share of all case time spent waiting before this activity. */
  readonly waitingShare: number;
  readonly cv: number;
  /** Share of waits within ±10 % of the median (0 when the median is 0). */
  readonly nearMedianShare: number;
  readonly medianToMean: number;
  /** Spearman correlation of the wait with the number of cases already waiting on arrival. */
  readonly queueCorrelation: number | null;
  /** Growth of the average queue across the log (see backlog.ts), or null. */
  readonly queueGrowth: number | null;
  readonly queueFirst: number | null;
  readonly queueLast: number | null;
  /** Busy share of the activity's resources (24-hour basis), where starts and resources are known. */
  readonly utilisation: number | null;
  /** Share of completions at the very same instant as another case's completion of it. */
  readonly simultaneousShare: number;
  /** The most common wait of an hour or more, and the share of all waits within tolerance of it. */
  readonly fixedSeconds: number | null;
  readonly fixedShare: number;
  /** Of the waits within ±max(10 %, 1.5 days) of that duration, the share at it. */
  readonly fixedPeak: number;
  /**
   * A 90 % confidence range of the median (order statistics n/2 ± 1.645 √n / 2), in seconds:
   * batching is named only when the whole range sits below the rule's threshold.
   */
  readonly medianRange: readonly [number, number];
  /** Under half of the activity's completions on a whole hour: its clock records times. */
  readonly clockFine: boolean;
  /** That share among waits begun with fewer cases waiting than the median, and with more. */
  readonly fixedShareByQueue: readonly [number, number] | null;
  /** Share of waits within ±15 minutes of a whole number of days (one or more). */
  readonly wholeDayShare: number;
  /** The share the log's own times of day would give by chance. */
  readonly wholeDayExpected: number;
  readonly wholeDayShareByQueue: readonly [number, number] | null;
  /** The most common whole number of working days, and the share of all waits that have it. */
  readonly workingDays: { readonly days: number; readonly share: number } | null;
  /**
   * A fixed distance from the case's start (`from` null) or an earlier activity: the share of
   * occurrences at it, among those with that anchor.
   */
  readonly anchored: {
    readonly from: string | null;
    readonly seconds: number;
    readonly share: number;
    readonly peak: number;
    readonly observed: number;
  } | null;
}

export interface BottleneckCandidate {
  readonly rank: number;
  readonly activity: string;
  readonly kind: WaitKind;
  readonly kindLabel: string;
  readonly evidence: WaitEvidence;
  /** Plain-language reasons for the kind. */
  readonly explanation: string;
  /** Set when a person corrected the kind (see corrections.ts): the kind the engine detected. */
  readonly detectedKind?: WaitKind;
  readonly correction?: WaitKindCorrection;
}

/** A person's correction of a wait kind, kept with the log and audited. */
export interface WaitKindCorrection {
  readonly activity: string;
  readonly kind: NamedKind;
  readonly reason: string;
  /** The name of the person who made it. */
  readonly by: string;
  /** ISO 8601. */
  readonly at: string;
}

/** The kinds of wait that can be named as the bottleneck, most actionable first. */
export type NamedKind = Exclude<WaitKind, 'insufficient-data'>;
const NAMING_ORDER: readonly NamedKind[] = ['contention', 'batching', 'timer', 'external'];

export interface BottleneckFinding {
  /** The named bottleneck, or null when the evidence does not support naming one. */
  readonly bottleneck: {
    readonly activity: string;
    readonly kind: NamedKind;
    readonly kindLabel: string;
    /** True only for resource contention: a shortage of capacity, which more staff would relieve. */
    readonly capacity: boolean;
    readonly waitingShare: number;
    readonly medianWaitSeconds: number;
  } | null;
  /**
   * The stage that would be the capacity bottleneck: the largest candidate wait that grows with
   * the work waiting (resource contention), whatever its share, or null when none does. A timer,
   * a batch or an external wait is never this, however long.
   */
  readonly capacityBottleneck: {
    readonly activity: string;
    readonly waitingShare: number;
    readonly medianWaitSeconds: number;
  } | null;
  /** The finding in plain language (why this one, or why none). */
  readonly statement: string;
  /** One line for lists: "T06 … – batching, not a shortage of capacity (39% of case time)". */
  readonly summary: string;
  /** Present when the log has completion times only. */
  readonly caveat: string | null;
  readonly candidates: readonly BottleneckCandidate[];
}

/** "3.1 days", "5.2 hours", "12 minutes", "40 seconds". */
export function formatDuration(seconds: number): string {
  const one = (value: number, unit: string): string => {
    const shown =
      value >= 10 ? Math.round(value).toString() : (Math.round(value * 10) / 10).toString();
    return `${shown} ${unit}${shown === '1' ? '' : 's'}`;
  };
  if (seconds >= 86_400) return one(seconds / 86_400, 'day');
  if (seconds >= 3600) return one(seconds / 3600, 'hour');
  if (seconds >= 60) return one(seconds / 60, 'minute');
  return one(seconds, 'second');
}

function percent(share: number): string {
  const p = share * 100;
  return p >= 10 ? `${Math.round(p)}%` : `${Math.round(p * 10) / 10}%`;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * For each wait [a, a + w) — or only those at `positions` — how many other cases were waiting
 * at the instant a.
 */
export function queueAtArrival(
  arrivals: Float64Array,
  waits: Float64Array,
  positions?: Uint32Array,
): Float64Array {
  const n = arrivals.length;
  const sortedStarts = sortNumbers(Float64Array.from(arrivals));
  const sortedEnds = new Float64Array(n);
  for (let i = 0; i < n; i++) sortedEnds[i] = (arrivals[i] as number) + (waits[i] as number);
  sortNumbers(sortedEnds);
  const m = positions === undefined ? n : positions.length;
  const result = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const i = positions === undefined ? k : (positions[k] as number);
    const a = arrivals[i] as number;
    const open = upperBound(sortedStarts, a) - upperBound(sortedEnds, a);
    result[k] = open - ((waits[i] as number) > 0 ? 1 : 0);
  }
  return result;
}

const CORRELATION_SAMPLE = 20_000;

function evenSample(n: number, max: number): Uint32Array | undefined {
  if (n <= max) return undefined;
  return Uint32Array.from({ length: max }, (_, k) => Math.floor((k * n) / max));
}

/** A shape rule that holds on the waits seen: its sentence, its share, of how many, and its threshold. */
interface ShapeRule {
  readonly reason: string;
  readonly share: number;
  readonly n: number;
  /** What n counts: waits, or cases (for a deadline from an earlier event). */
  readonly unit: 'waits' | 'cases';
  readonly threshold: number;
}

/**
 * The one-sided lower confidence bound of a share p of n (normal approximation), at the level of
 * WAIT_RULES.externalConfidenceZ: a shape rule is sure only when this is still over its threshold.
 */
export function shareLowerBound(p: number, n: number): number {
  return n <= 0 ? 0 : p - WAIT_RULES.externalConfidenceZ * Math.sqrt((p * (1 - p)) / n);
}

/**
 * Which shape rules of a timer hold, each as a plain sentence; empty when none does. A rule holds
 * only where its share is clearly over the threshold — its 90 % lower bound too — so an extract
 * of a log cannot read a timer that the whole log does not (issue 13: BPIC 2015's first 100 cases
 * put 25 % of the waits before 'OLO messaging active' at exactly 1 day; the whole log, under 10 %
 * at any one duration). `timerShapeUnsure` says when a rule holds only on the point estimate.
 */
export function timerShape(e: WaitEvidence, activity: string): string[] {
  return shapeRules(e, activity)
    .filter((r) => shareLowerBound(r.share, r.n) >= r.threshold)
    .map((r) => r.reason);
}

/** When a shape rule holds on the waits seen but not clearly (see timerShape): why, or null. */
export function timerShapeUnsure(e: WaitEvidence, activity: string): string | null {
  const rules = shapeRules(e, activity);
  if (rules.length === 0 || timerShape(e, activity).length > 0) return null;
  const r = rules[0] as ShapeRule;
  return `${capitalise(r.reason)}; but on ${formatCount(r.n)} ${r.unit} that share could be as low as ${percent(Math.max(0, shareLowerBound(r.share, r.n)))}, under the ${percent(r.threshold)} that marks a set period: too few to tell a rule from chance.`;
}

function shapeRules(e: WaitEvidence, activity: string): ShapeRule[] {
  const R = WAIT_RULES;
  const clockFine = e.clockFine;
  const reasons: ShapeRule[] = [];
  if (e.observations < R.minShapeObservations) return reasons;
  const steady = (byQueue: readonly [number, number] | null, threshold: number): boolean =>
    byQueue === null || Math.min(...byQueue) >= R.timerQueueSteadiness * threshold;
  const byQueue = (pair: readonly [number, number] | null): string =>
    pair === null
      ? ''
      : ` — as often when many cases were waiting as when few were (${percent(pair[1])} and ${percent(pair[0])})`;
  const of = `of the ${formatCount(e.observations)} waits before '${activity}'`;
  const wholeDayRule =
    e.wholeDayShare >= R.timerMinWholeDayShare &&
    e.wholeDayShare >= R.timerMinWholeDayLift * e.wholeDayExpected &&
    steady(e.wholeDayShareByQueue, R.timerMinWholeDayShare);
  // On a clock of dates only, a short wait spread over a few days puts a large share on each
  // day: there a mode counts only if it stands out from the days beside it.
  const peaked = (peak: number): boolean => clockFine || peak >= R.timerMinPeakOnDates;
  if (
    e.fixedSeconds !== null &&
    e.fixedShare >= R.timerMinFixedShare &&
    steady(e.fixedShareByQueue, R.timerMinFixedShare) &&
    peaked(e.fixedPeak)
  ) {
    reasons.push({
      reason: `${percent(e.fixedShare)} ${of} are ${exactly(e.fixedSeconds)}${byQueue(e.fixedShareByQueue)}`,
      share: e.fixedShare,
      n: e.observations,
      unit: 'waits',
      threshold: R.timerMinFixedShare,
    });
  }
  if (wholeDayRule) {
    reasons.push({
      reason: `${percent(e.wholeDayShare)} fall within 15 minutes of a whole number of days, where this log's times of day would give ${percent(e.wholeDayExpected)} by chance`,
      share: e.wholeDayShare,
      n: e.observations,
      unit: 'waits',
      threshold: R.timerMinWholeDayShare,
    });
  }
  if (
    e.workingDays !== null &&
    e.workingDays.share >= R.timerMinWorkingDayShare &&
    // Only where working days fit better than calendar days (15 days is 11 working days too).
    e.workingDays.share > e.fixedShare &&
    e.wholeDayShare >= R.timerMinWholeDayLift * e.wholeDayExpected
  ) {
    reasons.push({
      reason: `${percent(e.workingDays.share)} are exactly ${e.workingDays.days} working day${e.workingDays.days === 1 ? '' : 's'}`,
      share: e.workingDays.share,
      n: e.observations,
      unit: 'waits',
      threshold: R.timerMinWorkingDayShare,
    });
  }
  if (
    e.anchored !== null &&
    e.anchored.share >= R.timerMinAnchoredShare &&
    e.anchored.share > e.fixedShare &&
    peaked(e.anchored.peak)
  ) {
    reasons.push({
      reason: `${percent(e.anchored.share)} of the ${formatCount(e.anchored.observed)} cases reach '${activity}' ${exactly(e.anchored.seconds)} after ${e.anchored.from === null ? 'the case started' : `'${e.anchored.from}'`}: a deadline counted from that event`,
      share: e.anchored.share,
      n: e.anchored.observed,
      unit: 'cases',
      threshold: R.timerMinAnchoredShare,
    });
  }
  return reasons;
}

function exactly(seconds: number): string {
  const days = seconds / 86_400;
  if (
    days >= 1 &&
    Math.abs(days - Math.round(days)) * 86_400 <= WAIT_RULES.wholeDayToleranceSeconds
  ) {
    const d = Math.round(days);
    return `exactly ${d} day${d === 1 ? '' : 's'}`;
  }
  return `about ${formatDuration(seconds)}`;
}

const unsure = (explanation: string): { kind: WaitKind; explanation: string } => ({
  kind: 'insufficient-data',
  explanation,
});

function classify(e: WaitEvidence, activity: string): { kind: WaitKind; explanation: string } {
  const R = WAIT_RULES;
  const median = formatDuration(e.medianSeconds);
  const mean = formatDuration(e.meanSeconds);
  if (e.observations < R.minObservations) {
    return {
      kind: 'insufficient-data',
      explanation: `Only ${e.observations} waits were observed: too few to tell what kind of wait this is.`,
    };
  }
  const shape = timerShape(e, activity);
  if (shape.length > 0) {
    const [first, ...rest] = shape;
    const joined =
      rest.length === 0
        ? first
        : `${[first, ...rest.slice(0, -1)].join('; ')}; and ${rest[rest.length - 1]}`;
    return {
      kind: 'timer',
      explanation: `${capitalise(joined as string)}. That is an automatic rule or a set period — a closure or reminder rule, a legal deadline — not a queue: more staff would not shorten it.`,
    };
  }
  if (
    e.medianSeconds >= R.timerMinMedian &&
    (e.cv <= R.timerMaxCv || e.nearMedianShare >= R.timerMinNearMedian)
  ) {
    return {
      kind: 'timer',
      explanation: `The wait is nearly constant (median ${median}; ${percent(e.nearMedianShare)} of waits within 10% of it; coefficient of variation ${round(e.cv, 2)}). That is the mark of a policy or timer wait — a fixed period such as a legal deadline or a scheduled run — which more staff would not shorten.`,
    };
  }
  // A shape that holds on these waits but not clearly: neither a timer nor anything else yet.
  const shapeUnsure = timerShapeUnsure(e, activity);
  if (shapeUnsure !== null) return unsure(shapeUnsure);
  if (
    e.clockFine &&
    e.observations >= R.minShapeObservations &&
    e.meanSeconds >= R.batchingMinMean &&
    e.simultaneousShare >= R.batchingMinSimultaneous
  ) {
    return {
      kind: 'batching',
      explanation: `${percent(e.simultaneousShare)} of the completions of '${activity}' happen at the very same moment as another case's (median wait ${median}, mean ${mean}). That is a batching pattern — work held and released together — not a shortage of capacity.`,
    };
  }
  if (
    e.meanSeconds >= R.batchingMinMean &&
    (e.medianSeconds <= R.batchingMaxMedianToMean * e.meanSeconds || e.medianSeconds < 60)
  ) {
    // The median of a wait that is either very short or very long can jump the gap on a few
    // hundred waits: batching needs its confidence range to sit below the threshold.
    if (e.medianRange[1] <= R.batchingMaxMedianToMean * e.meanSeconds || e.medianRange[1] < 60) {
      return {
        kind: 'batching',
        explanation: `Most cases pass straight through (median ${median}) while some wait a long time (mean ${mean}). That is a batching pattern — work parked and released in batches — not a shortage of capacity.`,
      };
    }
    return unsure(
      `Most cases may pass straight through (median ${median}, mean ${mean}), but on ${formatCount(e.observations)} waits the median could be as long as ${formatDuration(e.medianRange[1])}: too few to tell a batching pattern from a long wait.`,
    );
  }
  if (
    e.meanSeconds >= R.batchingMinMean &&
    e.medianRange[0] <= R.batchingMaxMedianToMean * e.meanSeconds
  ) {
    return unsure(
      `The median wait is ${median} against a mean of ${mean}, but on ${formatCount(e.observations)} waits the median could be as short as ${formatDuration(e.medianRange[0])}: too few to tell whether most cases pass straight through (a batching pattern) or not.`,
    );
  }
  const correlation = e.queueCorrelation ?? 0;
  const growth = e.queueGrowth ?? 0;
  const sampled = Math.min(e.observations, CORRELATION_SAMPLE);
  if (
    e.queueCorrelation !== null &&
    (correlation >= R.contentionMinCorrelation ||
      (growth >= R.contentionMinGrowth && correlation >= 0.15)) &&
    -correlationUpperBound(-correlation, sampled) < 0.15
  ) {
    return unsure(
      `The wait seems to grow with the number of cases waiting (rank correlation ${round(correlation, 2)}), but on ${formatCount(e.observations)} waits that correlation could be as low as ${round(-correlationUpperBound(-correlation, sampled), 2)}: too few to call it a queue for staff.`,
    );
  }
  if (
    e.queueCorrelation !== null &&
    (correlation >= R.contentionMinCorrelation ||
      (growth >= R.contentionMinGrowth && correlation >= 0.15))
  ) {
    const grew =
      e.queueGrowth !== null && e.queueFirst !== null && e.queueLast !== null && growth > 0.1
        ? `; the queue grew from ${round(e.queueFirst, 1)} to ${round(e.queueLast, 1)} cases on average across the log`
        : '';
    return {
      kind: 'contention',
      explanation: `The wait grows with the number of cases already waiting when a case arrives (rank correlation ${round(correlation, 2)}${grew}). That points to resource contention: cases queue for busy staff.`,
    };
  }
  // External means the wait does not grow with the queue: on few waits a weak correlation cannot
  // rule a queue out, and a sample of a log thins the queue it can see.
  const upper = correlationUpperBound(correlation, Math.min(e.observations, CORRELATION_SAMPLE));
  if (upper >= R.contentionMinCorrelation) {
    return {
      kind: 'insufficient-data',
      explanation: `The wait is long and variable (median ${median}, mean ${mean}) and grows little with the number of cases waiting (rank correlation ${round(correlation, 2)}), but on ${formatCount(e.observations)} waits that correlation could be as high as ${round(upper, 2)}: too few to tell a queue for staff from a wait on someone outside the team.`,
    };
  }
  return {
    kind: 'external',
    explanation: `The wait is long and variable (median ${median}, mean ${mean}) but does not grow with the number of cases waiting (rank correlation ${round(correlation, 2)}). It looks like a wait on someone outside the team — the applicant, another body — rather than a queue for staff.`,
  };
}

/**
 * The one-sided upper confidence bound of a Spearman correlation of `n` pairs (Fisher's z with
 * Fieller's variance 1.06 / (n − 3)), at the level of WAIT_RULES.externalConfidenceZ.
 */
export function correlationUpperBound(r: number, n: number): number {
  if (n <= 3) return 1;
  const z = Math.atanh(Math.max(-0.999999, Math.min(0.999999, r)));
  return Math.tanh(z + WAIT_RULES.externalConfidenceZ * Math.sqrt(1.06 / (n - 3)));
}

/**
 * Classifies the longest waits and names the bottleneck only where the evidence supports it.
 * `times` are the per-event transition times from `transitionTimes`.
 */
export function findBottleneck(
  log: EventLog,
  times: Float64Array,
  activities: readonly ActivityMeasures[],
  durations: CaseDurations,
  unit: PeriodUnit,
): BottleneckFinding {
  const R = WAIT_RULES;
  const chosen = activities
    .filter((a) => a.waitingShare >= R.minCandidateShare && a.waitingTime.count > 0)
    .slice(0, R.maxCandidates);
  const indexOf = new Map(log.activityNames.map((name, i) => [name, i]));
  const slot = new Int32Array(log.activityNames.length).fill(-1);
  chosen.forEach((a, k) => (slot[indexOf.get(a.activity) as number] = k));
  // Per candidate: when each wait began (the previous event's completion), how long it was,
  // and every completion of the activity.
  const collected = chosen.map((a) => ({
    arrivals: new Float64Array(a.waitingTime.count),
    waits: new Float64Array(a.waitingTime.count),
    completions: new Float64Array(a.count),
    waited: 0,
    done: 0,
  }));
  for (let i = 0; i < log.complete.length; i++) {
    const c = collected[slot[log.activity[i] as number] as number];
    if (c === undefined) continue;
    c.completions[c.done++] = log.complete[i] as number;
    const t = times[i] as number;
    if (Number.isNaN(t)) continue;
    c.arrivals[c.waited] = log.complete[i - 1] as number;
    c.waits[c.waited++] = t;
  }
  const utilisation = resourceUtilisation(log);

  const candidates: BottleneckCandidate[] = chosen.map((a, k) => {
    const w = a.waitingTime;
    const { arrivals, waits: waitsMs, completions } = collected[k] as (typeof collected)[number];
    const median = w.median * 1000;
    let near = 0;
    if (median > 0) {
      for (let i = 0; i < waitsMs.length; i++)
        if (Math.abs((waitsMs[i] as number) - median) <= 0.1 * median) near++;
    }
    // The correlation is estimated on at most CORRELATION_SAMPLE evenly spread waits (its
    // standard error is then below 0.01); the queue lengths count every wait.
    const positions = evenSample(waitsMs.length, CORRELATION_SAMPLE);
    const queue = waitsMs.length >= 3 ? queueAtArrival(arrivals, waitsMs, positions) : null;
    const sampledWaits =
      positions === undefined ? waitsMs : Float64Array.from(positions, (i) => waitsMs[i] as number);
    const correlation = queue === null ? NaN : spearman(sampledWaits, queue);
    const growth = queueGrowth(queuePerPeriod(arrivals, waitsMs, unit));
    const done = sortNumbers(completions);
    let simultaneous = 0;
    for (let i = 0; i < done.length; i++) {
      if ((i > 0 && done[i - 1] === done[i]) || (i + 1 < done.length && done[i + 1] === done[i]))
        simultaneous++;
    }
    const shape = waitShape(
      log,
      indexOf.get(a.activity) as number,
      arrivals,
      waitsMs,
      positions,
      queue,
    );
    const evidence: WaitEvidence = {
      observations: w.count,
      medianSeconds: w.median,
      meanSeconds: w.mean,
      p90Seconds: w.p90,
      waitingShare: a.waitingShare,
      cv: w.cv,
      nearMedianShare: waitsMs.length > 0 ? near / waitsMs.length : 0,
      medianToMean: w.mean > 0 ? w.median / w.mean : 0,
      queueCorrelation: Number.isNaN(correlation) ? null : correlation,
      queueGrowth: growth?.growth ?? null,
      queueFirst: growth?.first ?? null,
      queueLast: growth?.last ?? null,
      utilisation: utilisation?.get(indexOf.get(a.activity) as number) ?? null,
      simultaneousShare: done.length > 0 ? simultaneous / done.length : 0,
      ...shape,
      clockFine: hasFineClock(done),
    };
    const { kind, explanation } = classify(evidence, a.activity);
    return {
      rank: k + 1,
      activity: a.activity,
      kind,
      kindLabel: WAIT_KIND_LABELS[kind],
      evidence,
      explanation,
    };
  });

  const caveat = log.hasStartTimes
    ? null
    : 'This log records completion times only, so each wait includes the work of the activity itself: waiting and service cannot be told apart.';
  return nameBottleneck(candidates, caveat);
}

/**
 * Names the bottleneck among classified candidates (the rule in the header): used on the engine's
 * own classification and again after a person corrects a kind (see corrections.ts), so a
 * corrected kind changes the finding exactly as a detected one would.
 */
export function nameBottleneck(
  candidates: readonly BottleneckCandidate[],
  caveat: string | null,
): BottleneckFinding {
  const R = WAIT_RULES;
  const describe = (c: BottleneckCandidate): string =>
    `'${c.activity}' (median ${formatDuration(c.evidence.medianSeconds)}, ${percent(c.evidence.waitingShare)} of case time)`;
  const top = candidates[0];
  let named: BottleneckCandidate | undefined;
  for (const kind of NAMING_ORDER) {
    named = candidates.find(
      (c) => c.kind === kind && c.evidence.waitingShare >= R.minBottleneckShare,
    );
    if (named !== undefined) break;
  }
  // Only contention is a capacity bottleneck (Theory of Constraints): never a timer, a batch or
  // an outside party, however long.
  const capacity = candidates.find((c) => c.kind === 'contention');
  let statement: string;
  if (top === undefined) {
    statement =
      'No bottleneck can be named from this log: no wait before any activity takes as much as 2% of case time.';
  } else if (named === undefined) {
    statement = `No bottleneck can be named from this log: the longest wait, before ${describe(top)}, is ${articled(top.kind)}, and no wait of a kind that can be classified takes as much as ${percent(R.minBottleneckShare)} of case time.`;
  } else {
    const before =
      named === top
        ? ''
        : `The longest wait, before ${describe(top)}, is ${articled(top.kind)}${top.kind === 'external' || top.kind === 'timer' ? ', outside what more staff or faster work could change' : ''}. `;
    statement = `${before}The bottleneck is the wait before '${named.activity}' (${percent(named.evidence.waitingShare)} of case time): ${namedReason(named)}`;
    if (named.kind !== 'contention') {
      statement +=
        capacity !== undefined
          ? ` The capacity bottleneck — the largest wait that does grow with the number of cases waiting — is before ${describe(capacity)}; it takes less than ${percent(R.minBottleneckShare)} of case time, so no stage is clearly short of capacity.`
          : ' No large wait grows with the number of cases waiting, so no capacity bottleneck is evident: more staff would not shorten these waits.';
    }
  }
  if (caveat !== null) statement += ` ${caveat}`;
  const summary =
    named === undefined
      ? top === undefined
        ? 'No bottleneck named: no wait takes 2% or more of case time.'
        : 'No bottleneck named: no classified wait takes 5% or more of case time.'
      : `${named.activity} – ${named.kindLabel}${named.kind === 'contention' ? '' : ', not a shortage of capacity'} (${percent(named.evidence.waitingShare)} of case time)`;
  return {
    summary,
    bottleneck:
      named === undefined
        ? null
        : {
            activity: named.activity,
            kind: named.kind as NamedKind,
            kindLabel: named.kindLabel,
            capacity: named.kind === 'contention',
            waitingShare: named.evidence.waitingShare,
            medianWaitSeconds: named.evidence.medianSeconds,
          },
    capacityBottleneck:
      capacity === undefined
        ? null
        : {
            activity: capacity.activity,
            waitingShare: capacity.evidence.waitingShare,
            medianWaitSeconds: capacity.evidence.medianSeconds,
          },
    statement,
    caveat,
    candidates,
  };
}

/**
 * Why the named wait is the bottleneck, of its kind, and what would and would not shorten it. The
 * evidence is said only where it holds: a kind a person chose (a correction) is given with their
 * reason and the remedy, not with the measures of another kind (before issue 13's independent
 * checks a wait corrected to contention "grew with the number of cases waiting" whatever its
 * correlation); a timer found by its shape (a third of the waits at exactly 15 days, the rest
 * spread) is given that shape, not "nearly the same length every time", which is said only of a
 * wait whose coefficient of variation is at most WAIT_RULES.timerMaxCv.
 */
function namedReason(c: BottleneckCandidate): string {
  const e = c.evidence;
  if (c.correction !== undefined) {
    const as = `as ${c.correction.by} corrected it (“${c.correction.reason}”)`;
    switch (c.kind) {
      case 'contention':
        return `resource contention, ${as}: a shortage of capacity at this step limits the whole service. More capacity here, or less work arriving, would shorten it.`;
      case 'batching':
        return `a batching delay, not a shortage of capacity, ${as}. Releasing work more often would shorten lead times; more staff would not.`;
      case 'timer':
        return `a policy or timer wait, not a shortage of capacity, ${as}. Only changing the rule or the schedule would shorten it.`;
      case 'external':
        return `an external or customer wait, not a shortage of capacity, ${as}. Clearer requests, reminders or a deadline might shorten it; more staff would not.`;
      case 'insufficient-data':
        break;
    }
  }
  if (c.kind === 'timer' && e.cv > WAIT_RULES.timerMaxCv) {
    const shape = timerShape(e, c.activity);
    const evidence =
      shape.length > 0
        ? `${capitalise(shape[0] as string)}: a rule or a set period decides its length, not the work waiting.`
        : `${percent(e.nearMedianShare)} of the waits are within 10% of the median (${formatDuration(e.medianSeconds)}), as a legal period or a scheduled run is.`;
    return `a policy or timer wait, not a shortage of capacity. ${evidence} Only changing the rule or the schedule would shorten it.`;
  }
  switch (c.kind) {
    case 'contention':
      return 'resource contention. The wait grows with the number of cases already waiting, so cases are queuing for busy people or machines: a shortage of capacity at this step limits the whole service. More capacity here, or less work arriving, would shorten it.';
    case 'batching':
      return `a batching delay, not a shortage of capacity. Most cases pass straight through (median ${formatDuration(e.medianSeconds)}) while some wait much longer (mean ${formatDuration(e.meanSeconds)}): work is held and released in batches. Releasing work more often would shorten lead times; more staff would not.`;
    case 'timer':
      return `a policy or timer wait, not a shortage of capacity. It is nearly the same length every time (median ${formatDuration(e.medianSeconds)}), as a legal period or a scheduled run is. Only changing the rule or the schedule would shorten it.`;
    case 'external':
      return `an external or customer wait, not a shortage of capacity. It is long and variable (median ${formatDuration(e.medianSeconds)}, mean ${formatDuration(e.meanSeconds)}) but does not grow with the work waiting: the service is waiting on someone outside the team, such as the applicant or another body. Clearer requests, reminders or a deadline might shorten it; more staff would not.`;
    case 'insufficient-data':
      return 'observed too rarely to classify.';
  }
}

function articled(kind: WaitKind): string {
  switch (kind) {
    case 'timer':
      return 'a policy or timer wait';
    case 'batching':
      return 'a batching pattern';
    case 'external':
      return 'an external or customer wait';
    case 'insufficient-data':
      return 'observed too rarely to classify';
    case 'contention':
      return 'resource contention';
  }
}

/** Under half of these instants on a whole hour: the log records times here, not only dates. */
function hasFineClock(instants: Float64Array): boolean {
  let whole = 0;
  for (let i = 0; i < instants.length; i++) if ((instants[i] as number) % 3_600_000 === 0) whole++;
  return whole < 0.5 * instants.length;
}

type ShapeEvidence = Pick<
  WaitEvidence,
  | 'fixedSeconds'
  | 'fixedShare'
  | 'medianRange'
  | 'fixedPeak'
  | 'fixedShareByQueue'
  | 'wholeDayShare'
  | 'wholeDayExpected'
  | 'wholeDayShareByQueue'
  | 'workingDays'
  | 'anchored'
>;

/** The shape tests of shape.ts on one activity's waits (ms), with the queue split at its median. */
function waitShape(
  log: EventLog,
  activity: number,
  arrivals: Float64Array,
  waits: Float64Array,
  positions: Uint32Array | undefined,
  queue: Float64Array | null,
): ShapeEvidence {
  const R = WAIT_RULES;
  const n = waits.length;
  const tol: Tolerance = {
    minMs: R.fixedTolerance.minSeconds * 1000,
    share: R.fixedTolerance.share,
  };
  const dayTol = R.wholeDayToleranceSeconds * 1000;
  const sorted = sortNumbers(Float64Array.from(waits));
  const fixed = fixedDuration(sorted, R.timerMinMedian * 1000, tol);
  const days = wholeDays(arrivals, waits, dayTol);
  const working = workingDayDeadline(arrivals, waits, dayTol);
  const anchored = anchoredDeadline(
    log,
    activity,
    R.timerMinMedian * 1000,
    tol,
    Math.max(R.minShapeObservations, Math.ceil(n / 2)),
  );
  // The shape among waits begun with a short queue and with a long one (the queue at arrival is
  // known for the sampled positions only).
  const byQueue = (test: (w: number) => boolean): readonly [number, number] | null => {
    if (queue === null || queue.length < 2 * R.minObservations) return null;
    const sortedQueue = sortNumbers(Float64Array.from(queue));
    const middle = sortedQueue[Math.floor(sortedQueue.length / 2)] as number;
    let lowHits = 0;
    let lowCount = 0;
    let highHits = 0;
    let highCount = 0;
    for (let k = 0; k < queue.length; k++) {
      const w = waits[positions === undefined ? k : (positions[k] as number)] as number;
      const hit = test(w) ? 1 : 0;
      if ((queue[k] as number) < middle) {
        lowCount++;
        lowHits += hit;
      } else {
        highCount++;
        highHits += hit;
      }
    }
    if (lowCount < R.minObservations || highCount < R.minObservations) return null;
    return [lowHits / lowCount, highHits / highCount];
  };
  const onWholeDay = (w: number): boolean =>
    w >= 86_400_000 - dayTol && Math.abs(w - Math.round(w / 86_400_000) * 86_400_000) <= dayTol;
  const spread = 1.645 * Math.sqrt(n) * 0.5;
  const rank = (k: number): number =>
    n === 0 ? 0 : (sorted[Math.min(n - 1, Math.max(0, Math.round(k)))] as number) / 1000;
  return {
    medianRange: [rank((n - 1) / 2 - spread), rank((n - 1) / 2 + spread)],
    fixedSeconds: fixed === null ? null : fixed.ms / 1000,
    fixedShare: fixed === null || n === 0 ? 0 : fixed.count / n,
    fixedPeak: fixed === null || fixed.around === 0 ? 0 : fixed.count / fixed.around,
    fixedShareByQueue: fixed === null ? null : byQueue((w) => isNear(w, fixed.ms, tol)),
    wholeDayShare: days.share,
    wholeDayExpected: days.expected,
    wholeDayShareByQueue: byQueue(onWholeDay),
    workingDays:
      working === null || n === 0 ? null : { days: working.days, share: working.count / n },
    anchored:
      anchored === null
        ? null
        : {
            from: anchored.from,
            seconds: anchored.ms / 1000,
            share: anchored.count / anchored.observed,
            peak: anchored.around === 0 ? 0 : anchored.count / anchored.around,
            observed: anchored.observed,
          },
  };
}

/**
 * Per activity: the busy share of the resources performing it (summed service time over each
 * resource's active span, on a 24-hour basis), weighted by the activity's events. Null when the
 * log lacks starts or resources.
 */
function resourceUtilisation(log: EventLog): Map<number, number> | null {
  if (!log.hasStartTimes || log.resourceNames.length === 0) return null;
  const r = log.resourceNames.length;
  // Busy time is the union of each resource's task intervals: overlapping tasks (several cases
  // open at once) count once, so the share never exceeds 1.
  const intervals: number[][] = Array.from({ length: r }, () => []);
  for (let i = 0; i < log.complete.length; i++) {
    const res = log.resource[i] as number;
    const s = log.start[i] as number;
    if (res < 0 || Number.isNaN(s)) continue;
    (intervals[res] as number[]).push(s, log.complete[i] as number);
  }
  const busy = new Float64Array(r);
  const first = new Float64Array(r).fill(Infinity);
  const last = new Float64Array(r).fill(-Infinity);
  intervals.forEach((flat, res) => {
    const order = Array.from({ length: flat.length / 2 }, (_, k) => k).sort(
      (x, y) => (flat[2 * x] as number) - (flat[2 * y] as number),
    );
    let open = -Infinity;
    let close = -Infinity;
    for (const k of order) {
      const s = flat[2 * k] as number;
      const e = flat[2 * k + 1] as number;
      if (s > close) {
        if (close > open) (busy[res] as number) += close - open;
        open = s;
        close = e;
      } else if (e > close) close = e;
      first[res] = Math.min(first[res] as number, s);
      last[res] = Math.max(last[res] as number, e);
    }
    if (close > open) (busy[res] as number) += close - open;
  });
  const share = Array.from(busy, (b, k) =>
    (last[k] as number) > (first[k] as number)
      ? b / ((last[k] as number) - (first[k] as number))
      : NaN,
  );
  const sum = new Float64Array(log.activityNames.length);
  const weight = new Float64Array(log.activityNames.length);
  for (let i = 0; i < log.complete.length; i++) {
    const res = log.resource[i] as number;
    if (res < 0 || Number.isNaN(share[res] as number)) continue;
    (sum[log.activity[i] as number] as number) += share[res] as number;
    (weight[log.activity[i] as number] as number)++;
  }
  const result = new Map<number, number>();
  for (let a = 0; a < sum.length; a++)
    if ((weight[a] as number) > 0) result.set(a, (sum[a] as number) / (weight[a] as number));
  return result;
}
