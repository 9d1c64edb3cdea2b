// Calibration: turns a discovered process into a delivery-chain model (paper section 2.2.1,
// Figure 1) that the chains feature can simulate, using only what the log can support (issue 13,
// point 2). Stages are the activities; routing probabilities come from directly-follows
// frequencies (a → b over all occurrences of a, ends of cases leave the chain; a return to an
// earlier activity is marked as rework), with rare stages and routes folded (fold.ts); the
// arrival rate is cases per hour between the first and the last case start.
//
// What each stage is comes from the same wait-kind finding as the log page (with people's
// corrections, when given): a wait that is a timer or set period, a wait on someone outside or a
// batch becomes a delay — never servers; with start times it is a delay stage of its own before
// the activity. Service times are used only where the log measures them (start and complete);
// staff are estimated from the resources the log names (method in `staffMethod`); where the log
// has no starts or no resources, the stage's capacity is marked unknown instead of invented. An
// automatic step that takes no time is marked instantaneous. The fit reports how well the model
// reproduces the observed lead time (mean, median and 90th percentile): the traffic equations'
// mean and a seeded Monte-Carlo walk of the fitted routing and times.
import { startOrComplete, type EventLog } from './model.ts';
import { activityMeasures, caseDurations } from './analysis/activities.ts';
import { choosePeriodUnit } from './analysis/backlog.ts';
import { transitionTimes } from './analysis/dfg.ts';
import { quantileSorted, summariseMs } from './analysis/stats.ts';
import {
  WAIT_KIND_LABELS,
  findBottleneck,
  formatDuration,
  type BottleneckCandidate,
  type BottleneckFinding,
  type WaitKind,
} from './analysis/waits.ts';
import { DEFAULT_FOLD, FOLD_EXIT, MAX_FOLD, foldProcess, type FoldResult } from './fold.ts';
import { simulateLeadTimes } from './montecarlo.ts';
import { fitCalendar, type FittedActivityHours, type FittedShift } from './calendar.ts';
export const EXIT_STAGE = 'exit';

/** A fitted time distribution, in hours. */
export interface FittedTime {
  /**
   * 'empirical' for a delay (a timer, a batch, a wait outside): its times are drawn from the
   * observed quantiles, since a point mass at a set period or at zero is no smooth curve.
   */
  readonly kind: 'deterministic' | 'exponential' | 'lognormal' | 'empirical';
  readonly mean: number;
  readonly cv: number;
  /** 1,001 quantiles (0 %, 0.1 %, … 100 %) of the observed times, for an empirical model. */
  readonly samples: readonly number[];
}

export interface CalibratedRoute {
  readonly to: string;
  readonly probability: number;
  /** True when the target usually comes earlier in a case (a loop back for rework). */
  readonly rework: boolean;
}

/** What a calibrated stage is: staffed (capacity stated), a pure delay, or of unknown capacity. */
export type CalibratedRole = 'staffed' | 'delay' | 'capacity-unknown';
/** The kinds of delay (the chain engine's `delay.kind`). */
export type CalibratedDelayKind = 'timer' | 'external' | 'batching' | 'instant';

export interface CalibratedStage {
  readonly id: string;
  readonly name: string;
  /** Visits (events) observed. */
  readonly visits: number;
  /** Staff estimated from the resources the log names; null unless the stage is staffed. */
  readonly servers: number | null;
  /** How `servers` was estimated, in plain words; null unless staffed. */
  readonly staffMethod: string | null;
  readonly role: CalibratedRole;
  /** Set for a delay: its kind and why. */
  readonly delay: { readonly kind: CalibratedDelayKind; readonly reason: string } | null;
  /** Set when the capacity cannot be stated: why. */
  readonly capacityUnknown: string | null;
  /** The kind of the wait before this activity on the log page (null: not a long wait). */
  readonly waitKind: WaitKind | null;
  /** True when a person corrected that kind. */
  readonly waitKindCorrected: boolean;
  /** For a wait stage inserted before an activity: that activity's stage id. */
  readonly waitBefore: string | null;
  /** One sentence: what the stage is in the model and why. */
  readonly statement: string;
  /** Start to completion, where the log records starts; null otherwise. */
  readonly serviceTime: FittedTime | null;
  /**
   * The time a case spends per visit: the wait before the stage (edge time from the previous
   * event; 0 at a case start) plus its service time where known. With completion times only,
   * this is all the stage's time and waiting cannot be separated from work.
   */
  readonly timePerVisit: FittedTime;
  readonly routing: readonly CalibratedRoute[];
  /**
   * Working hours read from the log (a staffed stage whose work is confined to hours): the chain's
   * `roster`, with `servers` on duty in them. Null: round the clock, or not staffed.
   */
  readonly roster: { readonly shifts: readonly FittedShift[] } | null;
  /** For a staffed stage with the calendar fitted: its hours and the evidence, in plain words. */
  readonly hours: string | null;
}

/** The fitted calendar of a calibrated chain (the chain's `calendar` field), or why not fitted. */
export interface CalibratedCalendar {
  /** The chain's `calendar`: demand by hour of the week (and month over a year), from `start`. */
  readonly calendar: {
    readonly start: string;
    readonly weekly?: { readonly hours: readonly number[] };
    readonly season?: { readonly months: readonly number[] };
  } | null;
  /** What was fitted and on what evidence, and what was not and why, in plain words. */
  readonly notes: readonly string[];
}

/** A zero-time stage merged into its neighbour (see `mergeInstantStages`). */
export interface MergedStage {
  readonly name: string;
  /** The stage it now flows into, or null when it ended cases (merged into what came before). */
  readonly into: string | null;
}

export interface LeadTimeSummary {
  readonly meanHours: number;
  readonly medianHours: number;
  readonly p90Hours: number;
}

export interface CalibratedChain {
  /** Cases in the log the model was fitted to. */
  readonly cases: number;
  readonly stages: readonly CalibratedStage[];
  readonly arrivals: readonly { readonly stageId: string; readonly ratePerHour: number }[];
  /** True when service times were measured (the log has starts). */
  readonly serviceMeasured: boolean;
  /** What was folded away to keep the model readable, and the threshold used. */
  readonly fold: {
    readonly share: number;
    readonly stageShare: number;
    readonly foldedStages: FoldResult['foldedStages'];
    readonly droppedRoutes: FoldResult['droppedRoutes'];
  };
  /** Instantaneous stages with one way on, merged into the stage they lead to. */
  readonly merged: readonly MergedStage[];
  /** Opening hours and demand patterns read from the log; null when switched off. */
  readonly calendar: CalibratedCalendar | null;
  /**
   * The plain statements of what the model is — its delays and why, its staff and how they were
   * estimated, what capacity cannot be stated, what was folded. The log page, the chain made from
   * it and the CLI all show these same lines.
   */
  readonly summary: readonly string[];
  readonly fit: {
    readonly observed: LeadTimeSummary;
    /** Σ expected visits × mean time per visit (traffic equations). */
    readonly analyticMeanHours: number;
    /** Monte-Carlo with the fitted distributions (what the chain model receives). */
    readonly simulated: LeadTimeSummary & { readonly cases: number; readonly seed: number };
    /** Monte-Carlo drawing times from the observed quantiles instead. */
    readonly simulatedEmpirical: LeadTimeSummary;
    /** (fitted model − observed) ÷ observed. */
    readonly meanError: number;
    readonly medianError: number;
    readonly p90Error: number;
    /** The tolerance the median and the 90th percentile are judged by (0.15 = ±15 %). */
    readonly tolerance: number;
    readonly statement: string;
  };
}

export interface CalibrateOptions {
  /** Monte-Carlo cases (default 20,000). */
  readonly cases?: number;
  readonly seed?: number;
  /**
   * Routes under this share of a stage's exits are folded, and stages reached by under a fifth of
   * it of the cases (default 0.05; 0 keeps everything; at most 0.3).
   */
  readonly fold?: number;
  /**
   * The wait-kind finding to read (the log page's, with people's corrections applied). Left out,
   * it is found from the log as the log page finds it.
   */
  readonly finding?: BottleneckFinding;
  /**
   * Fit the arrival pattern (hour of the week, month over a year) and staffed stages' working
   * hours from the log's timestamps (default true); false keeps demand even and staff round the
   * clock.
   */
  readonly calendar?: boolean;
  /** Merge instantaneous stages with one way on into their neighbour (default true). */
  readonly merge?: boolean;
}

/**
 * A staffed stage gets a roster only when its work is confined to hours: the hours holding 90 % of
 * its work (fitCalendar) make at most this many a week (at least 48 of the 168 with under a tenth
 * of its work). Weekdays 08:00–18:00 is 50; every day 00:00–22:00 is 154, round the clock.
 */
export const MAX_ROSTER_HOURS = 120;

/** The tolerance the fit is judged by: median and 90th percentile within ±15 % of the log's. */
export const FIT_TOLERANCE = 0.15;
/** A stage whose 90th percentile of time (or of service, where measured) is under a minute is instantaneous. */
const INSTANT_SECONDS = 60;

const HOUR = 3_600_000;

/** Deterministic below cv 0.1, exponential within 0.15 of cv 1, log-normal otherwise. */
export function chooseDistribution(cv: number): Exclude<FittedTime['kind'], 'empirical'> {
  if (cv < 0.1) return 'deterministic';
  if (Math.abs(cv - 1) <= 0.15) return 'exponential';
  return 'lognormal';
}

function fit(valuesMs: Float64Array): FittedTime {
  const stats = summariseMs(valuesMs); // sorts in place
  const samples: number[] = [];
  for (let q = 0; q <= 1000; q++) {
    samples.push(valuesMs.length > 0 ? quantileSorted(valuesMs, q / 1000) / HOUR : 0);
  }
  return {
    kind: chooseDistribution(stats.cv),
    mean: stats.mean / 3600,
    cv: stats.cv,
    samples,
  };
}

/** Lower-case hyphenated ids, unique ("T02 Check receipt" → "t02-check-receipt"). */
export function stageIds(names: readonly string[]): string[] {
  const used = new Set<string>([EXIT_STAGE]);
  return names.map((name) => {
    const base =
      name
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60)
        .replace(/-+$/, '') || 'stage';
    let id = /^[a-z0-9]/.test(base) ? base : `s-${base}`;
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    used.add(id);
    return id;
  });
}

const DELAY_OF: Partial<Record<WaitKind, CalibratedDelayKind>> = {
  timer: 'timer',
  external: 'external',
  batching: 'batching',
};

const WEEK = 7 * 24 * HOUR;
const HOURS_PER_WEEK = 168;
const DAY_NAMES: Record<string, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

function clockOf(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h ?? 0) + (m ?? 0) / 60;
}

/** Hours a week a one-block shift covers. */
function shiftHours(shift: FittedShift): number {
  return shift.days.length * Math.max(0, clockOf(shift.to) - clockOf(shift.from));
}

/** "Monday to Friday, 08:00–18:00" */
export function rosterText(shift: FittedShift): string {
  const order = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const idx = shift.days.map((d) => order.indexOf(d)).sort((x, y) => x - y);
  const run = idx.every((d, k) => k === 0 || d === (idx[k - 1] as number) + 1);
  const name = (d: number): string => DAY_NAMES[order[d] ?? ''] ?? '';
  const days =
    idx.length === 7
      ? 'every day'
      : run && idx.length > 2
        ? `${name(idx[0] as number)} to ${name(idx[idx.length - 1] as number)}`
        : idx.map(name).join(', ');
  return `${days}, ${shift.from}–${shift.to}`;
}

/** Monday on or before an instant's date, at an offset ("2024-01-01"). */
function mondayOf(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000);
  const back = (local.getUTCDay() + 6) % 7;
  const monday = new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - back),
  );
  return monday.toISOString().slice(0, 10);
}

/**
 * The arrival pattern and working hours read from the log (fitCalendar), as the chain's calendar
 * and the plain notes of what was fitted on what evidence and what was not.
 */
function calendarOf(
  log: EventLog,
  firstArrival: number,
): { calendar: CalibratedCalendar; hours: Map<string, FittedActivityHours> } {
  // 95 % of the work: a 90 % window would cut an hour off an office open 08:00–18:00.
  const fitted = fitCalendar(log, { coverage: 0.95 });
  const notes: string[] = [];
  const { weekly, season } = fitted.calendar;
  const evidence = fitted.evidence.join(' ');
  if (weekly !== undefined) {
    notes.push(
      `Demand follows the log’s week: new cases arrive by hour of the week as they did in the log${season !== undefined ? ', and by month as they did over its span' : ''}. ${evidence}`,
    );
  } else {
    notes.push(`Demand is left even over the week. ${evidence}`);
  }
  if (weekly !== undefined && season === undefined) {
    notes.push(
      'Demand by month is not fitted: the log spans under a year, so a season cannot be told from a trend.',
    );
  }
  const calendar =
    weekly === undefined && season === undefined
      ? null
      : {
          start: mondayOf(Number.isFinite(firstArrival) ? firstArrival : 0, fitted.offsetMinutes),
          ...(weekly === undefined ? {} : { weekly: { hours: weekly.hours.slice() } }),
          ...(season === undefined ? {} : { season: { months: season.months.slice() } }),
        };
  return {
    calendar: { calendar, notes },
    hours: new Map(fitted.activities.map((x) => [x.activity, x])),
  };
}

/**
 * Zero-time stages merged into their neighbour: an instantaneous stage (its whole time per visit
 * in the model under a minute for 90 % of visits, ten minutes on average at most) that is not a
 * decision point — it leads on to one stage only, apart from repeating itself or ending a case —
 * is taken out: the routes into it (and cases starting at it) go where it leads, in the shares it
 * leads there, so the flow is kept exactly and only its time, under a minute, is dropped. One that
 * only ends cases is merged into what came before it (the routes into it end the case). An
 * instantaneous stage where cases go different ways is a decision point and is kept.
 */
export function mergeInstantStages(
  stages: readonly CalibratedStage[],
  starts: ReadonlyMap<string, number>,
): { stages: CalibratedStage[]; starts: Map<string, number>; merged: MergedStage[] } {
  let current = [...stages];
  const startMap = new Map(starts);
  const merged: MergedStage[] = [];
  const onward = (s: CalibratedStage): CalibratedRoute[] =>
    s.routing.filter((r) => r.to !== s.id && r.to !== EXIT_STAGE);
  for (;;) {
    const x = current.find(
      (s) =>
        s.delay?.kind === 'instant' &&
        instant(s.timePerVisit) &&
        (s.routing.find((r) => r.to === s.id)?.probability ?? 0) < 1 - 1e-12 &&
        onward(s).length <= 1,
    );
    if (x === undefined || current.length <= 1) break;
    const self = x.routing.find((r) => r.to === x.id)?.probability ?? 0;
    const ways = x.routing.filter((r) => r.to !== x.id);
    const before = current.filter((s) => s !== x && s.routing.some((r) => r.to === x.id));
    current = current
      .filter((s) => s !== x)
      .map((s) => {
        if (!s.routing.some((r) => r.to === x.id)) return s;
        const routes = new Map<string, CalibratedRoute>();
        const add = (to: string, probability: number, rework: boolean): void => {
          const had = routes.get(to);
          routes.set(to, {
            to,
            probability: (had?.probability ?? 0) + probability,
            rework: (had?.rework ?? false) || rework,
          });
        };
        for (const r of s.routing) {
          if (r.to !== x.id) add(r.to, r.probability, r.rework);
          else
            for (const w of ways)
              add(w.to, (r.probability * w.probability) / (1 - self), r.rework || w.rework);
        }
        return {
          ...s,
          routing: [...routes.values()].sort((p, q) => q.probability - p.probability),
        };
      });
    const started = startMap.get(x.id);
    if (started !== undefined) {
      startMap.delete(x.id);
      for (const w of ways) {
        if (w.to !== EXIT_STAGE)
          startMap.set(w.to, (startMap.get(w.to) ?? 0) + (started * w.probability) / (1 - self));
      }
    }
    const main = onward(x);
    const name = (id: string | undefined): string | null =>
      stages.find((s) => s.id === id)?.name ?? null;
    merged.push({
      name: x.name,
      into:
        main.length === 1 ? name(main[0]?.to) : before.length === 1 ? name(before[0]?.id) : null,
    });
  }
  const total = [...startMap.values()].reduce((a, b) => a + b, 0);
  for (const [k, v] of startMap) startMap.set(k, total > 0 ? v / total : 0);
  return { stages: current, starts: startMap, merged };
}

/** The first sentence of an explanation, kept short enough for a table. */
function firstSentence(text: string): string {
  const cut = text.search(/[.:;](\s|$)/);
  const sentence = cut > 0 ? text.slice(0, cut) : text;
  return sentence.length > 280 ? `${sentence.slice(0, 279)}…` : sentence;
}

/** The kinds of wait as a phrase after "is". */
const KIND_PHRASE: Record<WaitKind, string> = {
  contention: 'resource contention',
  timer: 'a policy or timer wait',
  batching: 'batching',
  external: 'an external or customer wait',
  'insufficient-data': WAIT_KIND_LABELS['insufficient-data'],
};

/** Why the wait before an activity is a delay, from the finding's own words. */
function delayReason(candidate: BottleneckCandidate): string {
  const label = KIND_PHRASE[candidate.kind];
  if (candidate.correction !== undefined) {
    return `the wait before it is ${label}, as corrected by ${candidate.correction.by} (“${candidate.correction.reason}”)`;
  }
  const first = firstSentence(candidate.explanation);
  return `the wait before it is ${label}: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return ((sorted[Math.floor(mid)] as number) + (sorted[Math.ceil(mid)] as number)) / 2;
}

/** A delay's times as observed (see FittedTime.kind). */
function asEmpirical(t: FittedTime): FittedTime {
  return { ...t, kind: 'empirical' };
}

/** 90 % of the times under a minute and the mean under ten: an automatic step. */
function instant(t: FittedTime): boolean {
  return (t.samples[900] ?? 0) * 3600 < INSTANT_SECONDS && t.mean * 3600 < 10 * INSTANT_SECONDS;
}

const share = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** The stages, routing and arrivals of the calibrated model, without the lead-time check. */
export type CalibratedStructure = Omit<CalibratedChain, 'fit'>;

/**
 * What the model will be — stages, which are delays and why, staff and the method, what was
 * folded — without the lead-time check (cheap enough for a page preview).
 */
export function calibrateStructure(
  log: EventLog,
  options: CalibrateOptions = {},
): CalibratedStructure & { readonly observedMs: Float64Array } {
  const a = log.activityNames.length;
  const n = log.complete.length;
  const times = transitionTimes(log);
  const durations = caseDurations(log);
  const ids = stageIds([...log.activityNames, ...log.activityNames.map((x) => `wait before ${x}`)]);
  const foldShare = Math.min(MAX_FOLD, Math.max(0, options.fold ?? DEFAULT_FOLD));

  let finding = options.finding;
  if (finding === undefined) {
    let first = Infinity;
    let last = -Infinity;
    for (let c = 0; c < durations.firstStart.length; c++) {
      first = Math.min(first, durations.firstStart[c] as number);
      last = Math.max(last, durations.lastComplete[c] as number);
    }
    const unit = choosePeriodUnit(Number.isFinite(first) ? last - first : 0);
    finding = findBottleneck(log, times, activityMeasures(log, times, durations), durations, unit);
  }
  const candidates = new Map(finding.candidates.map((c) => [c.activity, c]));

  const visits = new Float64Array(a);
  const casesWith = new Float64Array(a);
  const starts = new Float64Array(a);
  const ends = new Float64Array(a);
  const flows = new Map<number, number>();
  const positionSum = new Float64Array(a);
  const resources = Array.from({ length: a }, () => new Set<number>());
  const weekly = Array.from({ length: a }, () => new Map<number, Set<number>>());
  const seenInCase = new Int32Array(a).fill(-1);
  let firstArrival = Infinity;
  let lastArrival = -Infinity;
  let firstEvent = Infinity;
  let lastEvent = -Infinity;
  for (let c = 0; c + 1 < log.caseOffsets.length; c++) {
    const from = log.caseOffsets[c] as number;
    const to = log.caseOffsets[c + 1] as number;
    if (to === from) continue;
    (starts[log.activity[from] as number] as number)++;
    (ends[log.activity[to - 1] as number] as number)++;
    const arrival = startOrComplete(log, from);
    firstArrival = Math.min(firstArrival, arrival);
    lastArrival = Math.max(lastArrival, arrival);
    for (let i = from; i < to; i++) {
      const act = log.activity[i] as number;
      (visits[act] as number)++;
      if (seenInCase[act] !== c) {
        seenInCase[act] = c;
        (casesWith[act] as number)++;
      }
      const done = log.complete[i] as number;
      firstEvent = Math.min(firstEvent, startOrComplete(log, i));
      lastEvent = Math.max(lastEvent, done);
      (positionSum[act] as number) += to - from > 1 ? (i - from) / (to - from - 1) : 0;
      const r = log.resource[i] as number;
      if (r >= 0) {
        (resources[act] as Set<number>).add(r);
        const week = Math.floor(done / WEEK);
        const set = (weekly[act] as Map<number, Set<number>>).get(week) ?? new Set<number>();
        set.add(r);
        (weekly[act] as Map<number, Set<number>>).set(week, set);
      }
      if (i > from) {
        const key = (log.activity[i - 1] as number) * a + act;
        flows.set(key, (flows.get(key) ?? 0) + 1);
      }
    }
  }
  const position = Array.from(positionSum, (s, k) =>
    (visits[k] as number) > 0 ? s / (visits[k] as number) : 0,
  );

  // Waits (edge time into an occurrence that is not a case's first) and service times.
  const waits: number[][] = Array.from({ length: a }, () => []);
  const perVisit: number[][] = Array.from({ length: a }, () => []);
  const service: number[][] = Array.from({ length: a }, () => []);
  for (let i = 0; i < n; i++) {
    const act = log.activity[i] as number;
    const s = log.start[i] as number;
    const work = Number.isNaN(s) ? 0 : (log.complete[i] as number) - s;
    const t = times[i] as number;
    const wait = Number.isNaN(t) ? 0 : t;
    if (!Number.isNaN(t)) (waits[act] as number[]).push(t);
    (perVisit[act] as number[]).push(wait + work);
    if (!Number.isNaN(s)) (service[act] as number[]).push(work);
  }

  // Fold rare stages and routes on the directly-follows routing.
  const caseCount = log.caseIds.length;
  const kept = [...Array(a).keys()].filter((act) => (visits[act] as number) > 0);
  const startShares = new Map<string, number>();
  for (const act of kept) {
    if ((starts[act] as number) > 0)
      startShares.set(ids[act] as string, (starts[act] as number) / caseCount);
  }
  const folded = foldProcess(
    kept.map((act) => {
      const routes: { to: string; probability: number }[] = [];
      for (let b = 0; b < a; b++) {
        const f = flows.get(act * a + b);
        if (f !== undefined)
          routes.push({ to: ids[b] as string, probability: f / (visits[act] as number) });
      }
      if ((ends[act] as number) > 0)
        routes.push({
          to: FOLD_EXIT,
          probability: (ends[act] as number) / (visits[act] as number),
        });
      return {
        id: ids[act] as string,
        name: log.activityNames[act] as string,
        cases: casesWith[act] as number,
        routes,
      };
    }),
    startShares,
    caseCount,
    foldShare,
  );
  const actOf = new Map(kept.map((act) => [ids[act] as string, act]));
  const spanHours = Math.max(1e-9, (lastEvent - firstEvent) / HOUR);
  const fitted = options.calendar === false ? null : calendarOf(log, firstArrival);
  const hoursOf = fitted?.hours ?? new Map<string, FittedActivityHours>();

  // Each kept activity: what it is in the model, and (with start times) a wait stage before it
  // when its wait is a delay.
  const stages: CalibratedStage[] = [];
  const waitStageOf = new Map<string, string>();
  for (const f of folded.stages) {
    const act = actOf.get(f.id) as number;
    const name = f.name;
    const candidate = candidates.get(name);
    const waitKind = candidate?.kind ?? null;
    const corrected = candidate?.correction !== undefined;
    const delayKind = waitKind === null ? undefined : DELAY_OF[waitKind];
    const serviceValues = service[act] as number[];
    const measured =
      serviceValues.length > 0 && serviceValues.length >= 0.5 * (visits[act] as number);
    const perVisitFit = fit(Float64Array.from(perVisit[act] as number[]));
    const serviceFit = measured ? fit(Float64Array.from(serviceValues)) : null;
    const routing = (): CalibratedRoute[] =>
      f.routes.map((r) => ({
        to: r.to,
        probability: r.probability,
        rework:
          r.to !== FOLD_EXIT &&
          (position[actOf.get(r.to) ?? 0] as number) <= (position[act] as number),
      }));
    const base = {
      id: f.id,
      name,
      visits: visits[act] as number,
      waitKind,
      waitKindCorrected: corrected,
      waitBefore: null,
      serviceTime: serviceFit,
      routing: routing(),
      roster: null,
      hours: null,
    };
    const noStaff = { servers: null, staffMethod: null };
    if (!measured) {
      // Completion times only: the time per visit is the wait before the activity (and its work).
      if (instant(perVisitFit)) {
        const reason = `an automatic step: 90% of its visits take under a minute after the previous event, ten minutes on average at most`;
        stages.push({
          ...base,
          ...noStaff,
          role: 'delay',
          delay: { kind: 'instant', reason },
          capacityUnknown: null,
          timePerVisit: perVisitFit,
          statement: `“${name}” is instantaneous (${reason}); it has no capacity to state.`,
        });
      } else if (delayKind !== undefined && candidate !== undefined) {
        const reason = delayReason(candidate);
        stages.push({
          ...base,
          ...noStaff,
          role: 'delay',
          delay: { kind: delayKind, reason },
          capacityUnknown: null,
          timePerVisit: asEmpirical(perVisitFit),
          statement: `“${name}” is a delay with no staff: ${reason}. More staff would not shorten it.`,
        });
      } else {
        const why =
          waitKind === 'contention'
            ? 'the wait before it grows with the cases waiting (resource contention), but the log records completion times only, so how much of its time is work and how many staff do it cannot be told'
            : 'the log records completion times only, so work cannot be told from waiting';
        stages.push({
          ...base,
          ...noStaff,
          role: 'capacity-unknown',
          delay: null,
          capacityUnknown: why,
          timePerVisit: asEmpirical(perVisitFit),
          statement: `The capacity of “${name}” cannot be calibrated from this log: ${why}. Its time per visit (${formatDuration(perVisitFit.mean * 3600)} on average) is taken as observed.`,
        });
      }
      continue;
    }
    // Start times measured: the wait before the activity and its work can be told apart.
    const waitValues = waits[act] as number[];
    const splitWait = delayKind !== undefined && candidate !== undefined && waitValues.length > 0;
    if (splitWait) {
      const waitId = ids[act + a] as string;
      waitStageOf.set(f.id, waitId);
      const reason = delayReason(candidate);
      stages.push({
        id: waitId,
        name: `Wait before ${name}`,
        visits: waitValues.length,
        servers: null,
        staffMethod: null,
        role: 'delay',
        delay: { kind: delayKind, reason },
        capacityUnknown: null,
        waitKind,
        waitKindCorrected: corrected,
        waitBefore: f.id,
        roster: null,
        hours: null,
        serviceTime: null,
        timePerVisit: asEmpirical(fit(Float64Array.from(waitValues))),
        routing: [{ to: f.id, probability: 1, rework: false }],
        statement: `The wait before “${name}” is a delay with no staff: ${reason}. More staff would not shorten it.`,
      });
    }
    // The stage's own time in the walk: its work alone when its wait is a stage of its own.
    const own = splitWait ? (serviceFit as FittedTime) : perVisitFit;
    if (instant(serviceFit as FittedTime)) {
      const reason =
        'an automatic step: 90% of its recorded work takes under a minute, ten minutes on average at most';
      stages.push({
        ...base,
        ...noStaff,
        role: 'delay',
        delay: { kind: 'instant', reason },
        capacityUnknown: null,
        timePerVisit: own,
        statement: `“${name}” is instantaneous (${reason}); it has no capacity to state.`,
      });
      continue;
    }
    const people = resources[act] as Set<number>;
    if (people.size === 0) {
      const why = 'the log names no resources for it, so how many staff do it cannot be told';
      stages.push({
        ...base,
        ...noStaff,
        role: 'capacity-unknown',
        delay: null,
        capacityUnknown: why,
        timePerVisit: asEmpirical(own),
        statement: `The capacity of “${name}” cannot be calibrated from this log: ${why}. Its time per visit is taken as observed.`,
      });
      continue;
    }
    const weeklyCounts = [...(weekly[act] as Map<number, Set<number>>).values()].map((x) => x.size);
    const typical = Math.max(1, Math.ceil(median(weeklyCounts)));
    // Working hours: a roster where the log shows the work confined to hours, else round the clock.
    const worked = hoursOf.get(name);
    const shift = worked?.roster?.shifts[0];
    const openHours = shift === undefined ? HOURS_PER_WEEK : shiftHours(shift);
    const rostered = shift !== undefined && openHours <= MAX_ROSTER_HOURS;
    const dutyHours = rostered ? openHours : HOURS_PER_WEEK;
    // Busy people while on duty: recorded work ÷ the hours on duty over the log's span.
    const busy =
      serviceValues.reduce((sum, x) => sum + x, 0) /
      HOUR /
      (spanHours * (dutyHours / HOURS_PER_WEEK));
    const servers = Math.max(typical, Math.ceil(busy * 1.05));
    const over = rostered
      ? `over its ${Math.round(dutyHours * 10) / 10} hours on duty a week`
      : 'round the clock';
    const staffMethod =
      `${servers}${rostered ? ' on duty' : ''}: ${servers === typical ? 'the median number of different people recorded doing it in a week it was done' : `enough to do the recorded work (its busy time ÷ the log’s ${rostered ? 'hours on duty' : 'span'}, plus 5%), more than the median number of different people recorded doing it in a week`} ` +
      `(${people.size} seen in the whole log; its recorded work keeps ${Math.round(busy * 100) / 100} of them busy on average ${over}).`;
    const hours =
      worked === undefined
        ? null
        : rostered
          ? `“${name}” works to hours read from the log: ${worked.evidence.replace(/\.$/, '')}, so its staff are on duty ${rosterText(shift)} (${Math.round(openHours)} hours a week) and cases that reach it outside them wait.`
          : shift === undefined
            ? `“${name}” keeps its staff round the clock: ${worked.evidence.replace(/\.$/, '')}.`
            : `“${name}” is worked at all hours (${worked.evidence.replace(/\.$/, '')}: ${Math.round(openHours)} hours a week, more than ${MAX_ROSTER_HOURS}), so its staff are on duty round the clock.`;
    stages.push({
      ...base,
      servers,
      staffMethod,
      roster: rostered ? { shifts: [{ ...shift, servers }] } : null,
      hours,
      role: 'staffed',
      delay: null,
      capacityUnknown: null,
      timePerVisit: own,
      statement: `“${name}” is staffed: ${staffMethod} Its work is the recorded time from start to completion (${formatDuration((serviceFit as FittedTime).mean * 3600)} on average)${waitKind === 'contention' ? '; the wait before it grows with the cases waiting, so it is modelled as a queue for these staff' : ''}.`,
    });
  }
  // Routes into an activity whose wait is a stage of its own go to that wait first.
  const routed = stages.map((st) =>
    st.waitBefore !== null
      ? st
      : {
          ...st,
          routing: st.routing.map((r) => ({ ...r, to: waitStageOf.get(r.to) ?? r.to })),
        },
  );

  const rate =
    caseCount > 1 && lastArrival > firstArrival
      ? (caseCount - 1) / ((lastArrival - firstArrival) / HOUR)
      : 0;
  const joined =
    options.merge === false
      ? { stages: routed, starts: new Map(folded.starts), merged: [] as MergedStage[] }
      : mergeInstantStages(routed, folded.starts);
  const arrivals = [...joined.starts]
    .filter(([, p]) => p > 0)
    .map(([stageId, p]) => ({ stageId, ratePerHour: rate * p }));

  const summary = summarise(
    joined.stages,
    finding,
    log.hasStartTimes,
    {
      share: foldShare,
      foldedStages: folded.foldedStages,
      droppedRoutes: folded.droppedRoutes,
    },
    joined.merged,
    fitted?.calendar ?? null,
  );
  return {
    cases: caseCount,
    stages: joined.stages,
    merged: joined.merged,
    calendar: fitted?.calendar ?? null,
    arrivals,
    serviceMeasured: log.hasStartTimes,
    fold: {
      share: foldShare,
      stageShare: foldShare / 5,
      foldedStages: folded.foldedStages,
      droppedRoutes: folded.droppedRoutes,
    },
    summary,
    observedMs: Float64Array.from(durations.perCase),
  };
}

/** The model in plain sentences (one source for the log page, the chain page and the CLI). */
function summarise(
  stages: readonly CalibratedStage[],
  finding: BottleneckFinding,
  hasStarts: boolean,
  fold: {
    share: number;
    foldedStages: FoldResult['foldedStages'];
    droppedRoutes: FoldResult['droppedRoutes'];
  },
  merged: readonly MergedStage[],
  calendar: CalibratedCalendar | null,
): string[] {
  const lines: string[] = [];
  const delays = stages.filter((s) => s.role === 'delay' && s.delay?.kind !== 'instant');
  const instant = stages.filter((s) => s.delay?.kind === 'instant');
  const staffed = stages.filter((s) => s.role === 'staffed');
  const unknown = stages.filter((s) => s.role === 'capacity-unknown');
  lines.push(
    `${stages.length} ${stages.length === 1 ? 'stage' : 'stages'}: ${staffed.length} staffed with a capacity stated, ${delays.length} ${delays.length === 1 ? 'delay' : 'delays'} (timers, waits outside or batches: no staff), ${instant.length} instantaneous, ${unknown.length} whose capacity cannot be calibrated from this log.`,
  );
  if (!hasStarts) {
    lines.push(
      'The log records completion times only: service times are not measured, so no stage is given staff or a capacity; each stage’s time is its time per visit as observed.',
    );
  }
  if (merged.length > 0) {
    const list = merged
      .slice(0, 8)
      .map((m) => `“${m.name}” into ${m.into === null ? 'the stage before it' : `“${m.into}”`}`)
      .join('; ');
    lines.push(
      `${merged.length} instantaneous ${merged.length === 1 ? 'stage was' : 'stages were'} merged into the stage ${merged.length === 1 ? 'it leads' : 'they lead'} to (${list}${merged.length > 8 ? `; and ${merged.length - 8} more` : ''}): each takes under a minute for 90% of its visits and leads only one way, so it is no decision point and has no capacity to state. An instantaneous stage where cases go different ways is kept.`,
    );
  }
  for (const s of delays) lines.push(s.statement);
  if (staffed.length > 0) {
    const rostered = staffed.some((s) => s.roster !== null);
    lines.push(
      `Staff per stage are estimated from the resources the log names: the median number of different people recorded doing the activity in a week it was done, raised where needed to do the recorded work (busy time ÷ the hours on duty over the log’s span). People who work at several stages are counted at each, so capacity may be overstated; ${rostered ? 'a stage whose work the log shows confined to hours has those hours as its roster, with the staff on duty in them; the others work round the clock (168 hours a week).' : 'staff work round the clock (168 hours a week), as the log’s clock does.'}`,
    );
  }
  if (calendar !== null) {
    lines.push(...calendar.notes);
    for (const s of staffed) if (s.hours !== null) lines.push(s.hours);
    if (staffed.length === 0)
      lines.push(
        'No working hours are fitted: no stage’s staff can be estimated from this log (working hours need start times and named resources), so only demand follows the calendar.',
      );
  } else {
    lines.push(
      'Opening hours and demand patterns were not fitted (switched off): demand is even over the week and staff work round the clock.',
    );
  }
  const cap = finding.capacityBottleneck;
  if (cap !== null) {
    const st = stages.find((s) => s.name === cap.activity);
    lines.push(
      st?.role === 'staffed'
        ? `The log page names “${cap.activity}” as the capacity bottleneck (its wait grows with the work waiting); in the model it is a queue for its staff.`
        : `The log page names “${cap.activity}” as the capacity bottleneck (its wait grows with the work waiting), but without start times and resources its capacity cannot be stated in the model.`,
    );
  } else {
    lines.push(
      'The log page finds no capacity bottleneck (no long wait grows with the work waiting), so none is claimed here.',
    );
  }
  if (fold.share === 0) {
    lines.push('Nothing was folded: every stage and route of the log is kept.');
  } else {
    const parts: string[] = [];
    const rare = fold.foldedStages.filter((x) => x.unreached !== true);
    const unreached = fold.foldedStages.filter((x) => x.unreached === true);
    const names = (list: typeof rare): string =>
      list
        .slice(0, 8)
        .map((x) => `“${x.name}”, ${share(x.caseShare)}`)
        .join('; ') + (list.length > 8 ? `; and ${list.length - 8} more` : '');
    if (rare.length > 0)
      parts.push(
        `${rare.length} ${rare.length === 1 ? 'stage' : 'stages'} reached by under ${share(fold.share / 5)} of cases (${names(rare)}) ${rare.length === 1 ? 'was' : 'were'} folded into ${rare.length === 1 ? 'its' : 'their'} neighbours`,
      );
    if (fold.droppedRoutes.length > 0)
      parts.push(
        `${fold.droppedRoutes.length} ${fold.droppedRoutes.length === 1 ? 'route' : 'routes'} taking under ${share(fold.share)} of a stage’s cases ${fold.droppedRoutes.length === 1 ? 'was' : 'were'} dropped (the other routes take up their share)`,
      );
    if (unreached.length > 0)
      parts.push(
        `${unreached.length} ${unreached.length === 1 ? 'stage' : 'stages'} reached only by those routes (${names(unreached)}) ${unreached.length === 1 ? 'was' : 'were'} left out`,
      );
    lines.push(
      parts.length === 0
        ? `Nothing fell under the folding threshold (${share(fold.share)} of a stage’s routes, ${share(fold.share / 5)} of cases for a stage).`
        : `To keep the diagram readable, ${parts.join('; ')}. The threshold (${share(fold.share)}) can be changed; 0 keeps everything.`,
    );
  }
  return lines;
}

export function calibrateChain(log: EventLog, options: CalibrateOptions = {}): CalibratedChain {
  const { observedMs, ...structure } = calibrateStructure(log, options);
  const { stages, arrivals } = structure;
  const observedStats = summariseMs(observedMs);
  const observed: LeadTimeSummary = {
    meanHours: observedStats.mean / 3600,
    medianHours: observedStats.median / 3600,
    p90Hours: observedStats.p90 / 3600,
  };
  const analyticMeanHours = analyticMean(stages, arrivals);
  const seed = options.seed ?? 1;
  const simulatedCases = options.cases ?? 20_000;
  const simulated = simulateLeadTimes(stages, arrivals, {
    cases: simulatedCases,
    seed,
    timeModel: 'fitted',
  });
  const simulatedEmpirical = simulateLeadTimes(stages, arrivals, {
    cases: simulatedCases,
    seed,
    timeModel: 'empirical',
  });
  const rel = (x: number, y: number): number => (y > 0 ? (x - y) / y : 0);
  const meanError = rel(simulated.meanHours, observed.meanHours);
  const medianError = rel(simulated.medianHours, observed.medianHours);
  const p90Error = rel(simulated.p90Hours, observed.p90Hours);
  const empiricalMedianError = rel(simulatedEmpirical.medianHours, observed.medianHours);
  const statement =
    `Observed lead time: mean ${hours(observed.meanHours)}, median ${hours(observed.medianHours)}, 90th percentile ${hours(observed.p90Hours)}. ` +
    `The calibrated model gives mean ${hours(simulated.meanHours)} (${signed(meanError)}), median ${hours(simulated.medianHours)} (${signed(medianError)}) and 90th percentile ${hours(simulated.p90Hours)} (${signed(p90Error)}) over ${simulatedCases.toLocaleString('en-GB')} simulated cases; ` +
    `the traffic equations give a mean of ${hours(analyticMeanHours)}. ` +
    fitVerdict(
      medianError,
      p90Error,
      empiricalMedianError,
      simulatedEmpirical.medianHours,
      observed,
    );
  return {
    ...structure,
    fit: {
      observed,
      analyticMeanHours,
      simulated: { ...simulated, cases: simulatedCases, seed },
      simulatedEmpirical,
      meanError,
      medianError,
      p90Error,
      tolerance: FIT_TOLERANCE,
      statement,
    },
  };
}

/** "+3.1%" */
export function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${Math.round(x * 1000) / 10}%`;
}

/** Hours, or days from 48 hours. */
export function hours(h: number): string {
  return h >= 48 ? `${Math.round((h / 24) * 10) / 10} days` : `${Math.round(h * 10) / 10} hours`;
}

/** Whether the median and the 90th percentile are within the tolerance, and why not if not. */
function fitVerdict(
  medianError: number,
  p90Error: number,
  empiricalMedianError: number,
  empiricalMedianHours: number,
  observed: LeadTimeSummary,
): string {
  const tol = `±${Math.round(FIT_TOLERANCE * 100)}%`;
  const medianOk = Math.abs(medianError) <= FIT_TOLERANCE;
  const p90Ok = Math.abs(p90Error) <= FIT_TOLERANCE;
  if (medianOk && p90Ok)
    return `The median and the 90th percentile are within ${tol} of the log’s: the model reproduces the observed lead times well enough to compare interventions.`;
  const off = [medianOk ? '' : 'the median', p90Ok ? '' : 'the 90th percentile']
    .filter((x) => x !== '')
    .join(' and ');
  const why =
    observed.medianHours < observed.meanHours / 20
      ? 'most cases finish almost at once while a few take very long, a shape a fitted distribution cannot hold'
      : Math.abs(empiricalMedianError) < Math.abs(medianError) / 2
        ? `the fitted distributions do not capture the shape of the times (drawing from the observed times gives a median of ${hours(empiricalMedianHours)}, ${signed(empiricalMedianError)})`
        : 'routing in this process depends on more than the last activity (the model is first-order), or times depend on each other';
  return `Outside the ${tol} tolerance: ${off} — ${why}. Treat the model’s lead times as a rough guide.`;
}

/**
 * Expected lead time of the fitted network: visits v solve v = a + vP (a = share of cases
 * starting at each stage); the mean is Σ vᵢ × mean time per visitᵢ. Gaussian elimination.
 */
export function analyticMean(
  stages: readonly CalibratedStage[],
  arrivals: readonly { readonly stageId: string; readonly ratePerHour: number }[],
): number {
  const k = stages.length;
  const index = new Map(stages.map((s, i) => [s.id, i]));
  const total = arrivals.reduce((s, x) => s + x.ratePerHour, 0);
  if (k === 0 || total === 0) return 0;
  // Solve (I − Pᵀ) v = a by Gauss–Jordan elimination with partial pivoting, on a flat
  // row-major k × (k + 1) matrix whose last column is a.
  const w = k + 1;
  const m = new Float64Array(k * w);
  const get = (r: number, c: number): number => m[r * w + c] ?? 0;
  const add = (r: number, c: number, x: number): void => {
    m[r * w + c] = get(r, c) + x;
  };
  for (let i = 0; i < k; i++) add(i, i, 1);
  stages.forEach((s, i) => {
    for (const route of s.routing) {
      const j = index.get(route.to);
      if (j !== undefined) add(j, i, -route.probability);
    }
  });
  for (const x of arrivals) {
    const i = index.get(x.stageId);
    if (i !== undefined) add(i, k, x.ratePerHour / total);
  }
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) {
      if (Math.abs(get(r, col)) > Math.abs(get(pivot, col))) pivot = r;
    }
    if (pivot !== col) {
      const rowA = m.slice(col * w, col * w + w);
      m.copyWithin(col * w, pivot * w, pivot * w + w);
      m.set(rowA, pivot * w);
    }
    const p = get(col, col);
    if (Math.abs(p) < 1e-12) continue;
    for (let r = 0; r < k; r++) {
      const f = r === col ? 0 : get(r, col) / p;
      if (f === 0) continue;
      for (let c = col; c <= k; c++) add(r, c, -f * get(col, c));
    }
  }
  let mean = 0;
  stages.forEach((stage, i) => {
    const p = get(i, i);
    if (Math.abs(p) >= 1e-12) mean += (get(i, k) / p) * stage.timePerVisit.mean;
  });
  return mean;
}
