// Calibration: turns a discovered process into a delivery-chain model (paper section 2.2.1,
// Figure 1) that the chains feature can simulate. Stages are the activities; routing
// probabilities come from directly-follows frequencies (a → b over all occurrences of a, ends of
// cases leave the chain; a return to an earlier activity is marked as rework); the arrival rate
// is cases per hour between the first and the last case start; the time per visit of a stage is
// fitted (mean and coefficient of variation → deterministic, exponential or log-normal) and kept
// as empirical quantiles too; servers are the distinct resources where the log names them.
// The report says how well the model reproduces the observed lead time: an analytic mean from
// the traffic equations and a seeded Monte-Carlo run of the fitted routing and times.
import { startOrComplete, type EventLog } from './model.ts';
import { caseDurations } from './analysis/activities.ts';
import { transitionTimes } from './analysis/dfg.ts';
import { quantileSorted, summariseMs } from './analysis/stats.ts';
import { simulateLeadTimes } from './montecarlo.ts';

export const EXIT_STAGE = 'exit';

/** A fitted time distribution, in hours. */
export interface FittedTime {
  readonly kind: 'deterministic' | 'exponential' | 'lognormal';
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

export interface CalibratedStage {
  readonly id: string;
  readonly name: string;
  /** Visits (events) observed. */
  readonly visits: number;
  /** Distinct resources that performed it; null when the log names none. */
  readonly servers: number | null;
  /** Start to completion, where the log records starts; null otherwise. */
  readonly serviceTime: FittedTime | null;
  /**
   * The time a case spends per visit: the wait before the stage (edge time from the previous
   * event; 0 at a case start) plus its service time where known. With completion times only,
   * this is all the stage's time and waiting cannot be separated from work.
   */
  readonly timePerVisit: FittedTime;
  readonly routing: readonly CalibratedRoute[];
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
  /** True when service times were measured (the log has starts); else stages are pure delays. */
  readonly serviceMeasured: boolean;
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
    readonly statement: string;
  };
}

export interface CalibrateOptions {
  /** Monte-Carlo cases (default 20,000). */
  readonly cases?: number;
  readonly seed?: number;
}

const HOUR = 3_600_000;

/** Deterministic below cv 0.1, exponential within 0.15 of cv 1, log-normal otherwise. */
export function chooseDistribution(cv: number): FittedTime['kind'] {
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

export function calibrateChain(log: EventLog, options: CalibrateOptions = {}): CalibratedChain {
  const a = log.activityNames.length;
  const n = log.complete.length;
  const times = transitionTimes(log);
  const durations = caseDurations(log);
  const ids = stageIds(log.activityNames);

  const visits = new Float64Array(a);
  const starts = new Float64Array(a);
  const ends = new Float64Array(a);
  const flows = new Map<number, number>();
  const positionSum = new Float64Array(a);
  const resources = Array.from({ length: a }, () => new Set<number>());
  let firstArrival = Infinity;
  let lastArrival = -Infinity;
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
      (positionSum[act] as number) += to - from > 1 ? (i - from) / (to - from - 1) : 0;
      if ((log.resource[i] as number) >= 0)
        (resources[act] as Set<number>).add(log.resource[i] as number);
      if (i > from) {
        const key = (log.activity[i - 1] as number) * a + act;
        flows.set(key, (flows.get(key) ?? 0) + 1);
      }
    }
  }
  const position = Array.from(positionSum, (s, k) =>
    (visits[k] as number) > 0 ? s / (visits[k] as number) : 0,
  );

  // Time per visit and service time, grouped by activity.
  const perVisit: number[][] = Array.from({ length: a }, () => []);
  const service: number[][] = Array.from({ length: a }, () => []);
  for (let i = 0; i < n; i++) {
    const act = log.activity[i] as number;
    const s = log.start[i] as number;
    const work = Number.isNaN(s) ? 0 : (log.complete[i] as number) - s;
    const wait = Number.isNaN(times[i] as number) ? 0 : (times[i] as number);
    (perVisit[act] as number[]).push(wait + work);
    if (!Number.isNaN(s)) (service[act] as number[]).push(work);
  }

  const stages: CalibratedStage[] = [];
  const kept: number[] = [];
  for (let act = 0; act < a; act++) {
    if (visits[act] === 0) continue;
    kept.push(act);
    const routing: CalibratedRoute[] = [];
    for (let b = 0; b < a; b++) {
      const f = flows.get(act * a + b);
      if (f === undefined) continue;
      routing.push({
        to: ids[b] as string,
        probability: f / (visits[act] as number),
        rework: (position[b] as number) <= (position[act] as number),
      });
    }
    if ((ends[act] as number) > 0)
      routing.push({
        to: EXIT_STAGE,
        probability: (ends[act] as number) / (visits[act] as number),
        rework: false,
      });
    routing.sort((x, y) => y.probability - x.probability);
    stages.push({
      id: ids[act] as string,
      name: log.activityNames[act] as string,
      visits: visits[act] as number,
      servers:
        (resources[act] as Set<number>).size > 0 ? (resources[act] as Set<number>).size : null,
      serviceTime:
        (service[act] as number[]).length > 0
          ? fit(Float64Array.from(service[act] as number[]))
          : null,
      timePerVisit: fit(Float64Array.from(perVisit[act] as number[])),
      routing,
    });
  }
  const caseCount = log.caseIds.length;
  const spanHours = (lastArrival - firstArrival) / HOUR;
  const rate = caseCount > 1 && spanHours > 0 ? (caseCount - 1) / spanHours : 0;
  const arrivals = kept
    .filter((act) => (starts[act] as number) > 0)
    .map((act) => ({
      stageId: ids[act] as string,
      ratePerHour: (rate * (starts[act] as number)) / caseCount,
    }));

  const observedSorted = Float64Array.from(durations.perCase);
  const observedStats = summariseMs(observedSorted);
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
  const empiricalMedianError =
    observed.medianHours > 0
      ? (simulatedEmpirical.medianHours - observed.medianHours) / observed.medianHours
      : 0;
  const meanError =
    observed.meanHours > 0 ? (simulated.meanHours - observed.meanHours) / observed.meanHours : 0;
  const medianError =
    observed.medianHours > 0
      ? (simulated.medianHours - observed.medianHours) / observed.medianHours
      : 0;
  const pct = (x: number): string => `${x >= 0 ? '+' : ''}${Math.round(x * 1000) / 10}%`;
  const hours = (h: number): string =>
    h >= 48 ? `${Math.round((h / 24) * 10) / 10} days` : `${Math.round(h * 10) / 10} hours`;
  const statement =
    `Observed lead time: mean ${hours(observed.meanHours)}, median ${hours(observed.medianHours)}. ` +
    `The calibrated model gives mean ${hours(simulated.meanHours)} (${pct(meanError)}) and median ${hours(simulated.medianHours)} (${pct(medianError)}) over ${simulatedCases.toLocaleString('en-GB')} simulated cases; ` +
    `the traffic equations give a mean of ${hours(analyticMeanHours)}. ` +
    (Math.abs(medianError) > 0.25
      ? `The median is off by more than a quarter (drawing times from the observed distribution instead gives ${hours(simulatedEmpirical.medianHours)}, ${pct(empiricalMedianError)}): ` +
        (Math.abs(empiricalMedianError) < Math.abs(medianError) / 2
          ? 'the fitted distributions do not capture the shape of the times (many near zero, a long tail), so prefer empirical times for this log.'
          : 'routing in this process depends on more than the last activity, or times depend on each other, so treat the model as a rough guide.')
      : 'The model reproduces the observed lead time well enough to compare interventions.');
  return {
    cases: caseCount,
    stages,
    arrivals,
    serviceMeasured: log.hasStartTimes,
    fit: {
      observed,
      analyticMeanHours,
      simulated: { ...simulated, cases: simulatedCases, seed },
      simulatedEmpirical,
      meanError,
      medianError,
      statement,
    },
  };
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
