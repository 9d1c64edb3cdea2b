// A discrete-event simulator of a delivery chain, for what the closed forms cannot assume: any
// service-time distribution, time-varying demand, a finite horizon, an initial backlog and the
// build-up of backlog when demand exceeds capacity. Seeded and reproducible; several independent
// replications give Student-t confidence intervals. The hot loop uses typed arrays, a binary-heap
// event list and an allocation-free generator.
import type { DeliveryChain, ServiceTime } from './model.ts';
import { isQueued } from './model.ts';
import { EventQueue } from './eventQueue.ts';
import { createRandom, sampleGamma, streamSeed } from './rng.ts';
import type { Random } from './rng.ts';
import { estimate, mser5, quantileSorted } from './stats.ts';
import type { Estimate } from './stats.ts';
import { fmt, pct } from './explain.ts';
import { compileRota, rotaCapacityAt, rotaNextChange, streamCalendar } from './simulateRota.ts';
import type { Rota, StreamCalendar } from './simulateRota.ts';

export interface SimulationOptions {
  /** Seed of replication 1; replication r uses a stream derived from (seed, r). Default 1. */
  readonly seed?: number;
  /** Independent replications (default 5; at least 2 for an interval). */
  readonly replications?: number;
  /** Simulated working hours per replication (default 52 weeks). */
  readonly horizonHours?: number;
  /**
   * Hours discarded at the start before statistics are collected. Default: detected by MSER-5 on
   * the number of cases in the chain over time (see `detectWarmup`), not fixed.
   */
  readonly warmupHours?: number;
  /** If set, each replication admits this many arrivals, then runs until the chain is empty. */
  readonly maxArrivals?: number;
  /** Interval between backlog samples, hours (default: horizon / 52). */
  readonly sampleEveryHours?: number;
  /** Cases already waiting at time 0. */
  readonly initialBacklog?: readonly { readonly stage: string; readonly cases: number }[];
  /** Confidence level of the intervals (default 0.95). */
  readonly confidence?: number;
}

/** What one replication measured (exported for paired scenario comparisons). */
export interface ReplicationResult {
  readonly seed: number;
  /** Arrivals and service completions processed (backlog samples not counted). */
  readonly events: number;
  readonly observedHours: number;
  readonly throughputPerWeek: number;
  readonly departures: number;
  readonly meanLeadTimeHours: number;
  readonly medianLeadTimeHours: number;
  readonly p90LeadTimeHours: number;
  /** Time-average cases in the chain after warm-up. */
  readonly wip: number;
  readonly backlogAtEnd: number;
  readonly utilisation: readonly number[];
  readonly meanAtStage: readonly number[];
  readonly waitingHours: readonly number[];
  readonly visitsPerWeek: readonly number[];
  /** Services finished per week at each stage after warm-up: what a per-case charge is paid on. */
  readonly completionsPerWeek: readonly number[];
  readonly outputsPerWeek: readonly number[];
  readonly outcomesPerWeek: number;
  readonly costPerWeek: number;
  readonly costPerOutput: number;
  readonly resourceHoursPerOutput: number;
  readonly bindingStage: number;
  readonly sampleTimes: readonly number[];
  /** Cases in the chain at each sample time (row per sample: total). */
  readonly sampleTotal: readonly number[];
  /** Cases at each stage at each sample time, row-major samples × stages. */
  readonly sampleByStage: readonly number[];
}

/** How the warm-up was chosen, in plain words for the page. */
export interface WarmupChoice {
  readonly hours: number;
  /** `mser-5`: detected; `fixed`: given by the caller; `none`: a run that admits N cases and empties. */
  readonly method: 'mser-5' | 'fixed' | 'none';
  /** False when MSER-5 found no point after which the output settles (e.g. a growing backlog). */
  readonly settled: boolean;
  readonly explanation: string;
}

export interface SimulationResult {
  readonly replications: number;
  readonly confidence: number;
  readonly horizonHours: number;
  readonly warmupHours: number;
  readonly warmup: WarmupChoice;
  readonly hoursPerWeek: number;
  readonly events: number;
  readonly throughputPerWeek: Estimate;
  readonly leadTimeHours: {
    readonly mean: Estimate;
    readonly median: Estimate;
    readonly p90: Estimate;
  };
  readonly wip: Estimate;
  readonly backlogAtEnd: Estimate;
  readonly stages: readonly {
    readonly id: string;
    readonly name: string;
    readonly utilisation: Estimate;
    readonly meanAtStage: Estimate;
    readonly waitingHours: Estimate;
    readonly visitsPerWeek: Estimate;
  }[];
  readonly outputs: readonly {
    readonly id: string;
    readonly name: string;
    readonly perWeek: Estimate;
  }[];
  readonly outcomesPerWeek: Estimate;
  readonly costPerWeek: Estimate;
  readonly costPerOutput: Estimate;
  readonly resourceHoursPerOutput: Estimate;
  readonly bindingConstraint: {
    readonly stageId: string;
    readonly name: string;
    /** Replications in which this stage had the highest utilisation. */
    readonly replications: number;
    readonly explanation: string;
  };
  /** Backlog over time: cases in the chain at each sample time, mean over replications. */
  readonly backlog: {
    readonly timesHours: readonly number[];
    readonly total: readonly Estimate[];
    readonly byStage: Readonly<Record<string, readonly number[]>>;
  };
  readonly perReplication: readonly ReplicationResult[];
  readonly notes: readonly string[];
}

const TICK = -1_000_000;
const WARMUP = -1_000_001;
/** Shift change of staff resource r: code SHIFT − r. */
const SHIFT = -2_000_000;
const SVC_EXP = 0;
const SVC_DET = 1;
const SVC_LOGNORMAL = 2;
const SVC_GAMMA = 3;
const SVC_EMPIRICAL = 4;
/** Servers of a stage that forms no queue: every case is served at once (an infinite server). */
const UNLIMITED = 0x3fffffff;

interface Model {
  readonly ids: readonly string[];
  readonly n: number;
  readonly m: number;
  readonly servers: Int32Array;
  /** 1 for a stage that forms no queue (a delay, or capacity unknown): never busy, never binding. */
  readonly unqueued: Uint8Array;
  /** 1 where work in service is put down when staff go off duty (`atShiftEnd: "pause"`). */
  readonly pauses: Uint8Array;
  readonly svcKind: Int8Array;
  readonly svcA: Float64Array;
  readonly svcB: Float64Array;
  readonly empirical: readonly Float64Array[];
  readonly routeStart: Int32Array;
  readonly routeCum: Float64Array;
  readonly routeTarget: Int32Array;
  readonly streams: readonly {
    readonly name: string;
    readonly stage: number;
    readonly maxRate: number;
    readonly baseRate: number;
    readonly periodHours: number;
    readonly multipliers: Float64Array | null;
    /** Demand by hour of the week and season (a chain with a calendar), else null. */
    readonly calendar: StreamCalendar | null;
  }[];
  /** Rosters and shared staff (a chain with a calendar or pools), else null: fixed servers. */
  readonly rota: Rota | null;
  readonly costPerServerHour: Float64Array;
  readonly costPerCase: Float64Array;
  readonly outcome: Float64Array;
  readonly inputsPerWeek: number;
  readonly hoursPerWeek: number;
}

function compileService(service: ServiceTime): {
  kind: number;
  a: number;
  b: number;
  samples: Float64Array;
} {
  const empty = new Float64Array(0);
  switch (service.kind) {
    case 'exponential':
      return { kind: SVC_EXP, a: service.mean, b: 0, samples: empty };
    case 'deterministic':
      return { kind: SVC_DET, a: service.mean, b: 0, samples: empty };
    case 'lognormal': {
      const s2 = Math.log(1 + service.cv * service.cv);
      return {
        kind: SVC_LOGNORMAL,
        a: Math.log(service.mean) - s2 / 2,
        b: Math.sqrt(s2),
        samples: empty,
      };
    }
    case 'gamma': {
      const shape = 1 / (service.cv * service.cv);
      return { kind: SVC_GAMMA, a: shape, b: service.mean / shape, samples: empty };
    }
    case 'erlang':
      return {
        kind: SVC_GAMMA,
        a: service.phases,
        b: service.mean / service.phases,
        samples: empty,
      };
    case 'empirical':
      return { kind: SVC_EMPIRICAL, a: 0, b: 0, samples: Float64Array.from(service.samples) };
  }
}

function compileModel(chain: DeliveryChain): Model {
  const n = chain.stages.length;
  const m = chain.outputs.length;
  const stageIndex = new Map(chain.stages.map((s, i) => [s.id, i]));
  const outputIndex = new Map(chain.outputs.map((o, k) => [o.id, k]));
  const servers = new Int32Array(n);
  const svcKind = new Int8Array(n);
  const svcA = new Float64Array(n);
  const svcB = new Float64Array(n);
  const empirical: Float64Array[] = [];
  const routeStart = new Int32Array(n + 1);
  const cum: number[] = [];
  const target: number[] = [];
  chain.stages.forEach((stage, i) => {
    servers[i] = isQueued(stage) ? stage.servers : UNLIMITED;
    const svc = compileService(stage.service);
    svcKind[i] = svc.kind;
    svcA[i] = svc.a;
    svcB[i] = svc.b;
    empirical.push(svc.samples);
    routeStart[i] = cum.length;
    let c = 0;
    for (const route of stage.routes) {
      if (route.probability <= 0) continue;
      c += route.probability;
      cum.push(c);
      const j = stageIndex.get(route.to);
      const k = outputIndex.get(route.to);
      // ≥ 0: next stage; −1: leaves with no output ("exit"); ≤ −2: leaves as output −2 − code.
      target.push(j !== undefined ? j : k !== undefined ? -2 - k : -1);
    }
    // Guard against rounding: the last route takes whatever remains.
    if (cum.length > (routeStart[i] ?? 0)) cum[cum.length - 1] = Infinity;
  });
  routeStart[n] = cum.length;
  const streams = chain.demand.map((d) => {
    const base = d.per === 'hour' ? d.rate : d.rate / chain.hoursPerWeek;
    const mult = d.profile ? Float64Array.from(d.profile.multipliers) : null;
    const maxMult = mult ? Math.max(...mult) : 1;
    const calendar = streamCalendar(chain);
    return {
      name: `arrivals:${d.stage}`,
      stage: stageIndex.get(d.stage) ?? 0,
      baseRate: base,
      maxRate: base * maxMult * (calendar?.maxMultiplier ?? 1),
      periodHours: d.profile?.periodHours ?? 1,
      multipliers: mult,
      calendar,
    };
  });
  return {
    ids: chain.stages.map((st) => st.id),
    n,
    m,
    servers,
    unqueued: Uint8Array.from(chain.stages.map((st) => (isQueued(st) ? 0 : 1))),
    pauses: Uint8Array.from(chain.stages.map((st) => (st.atShiftEnd === 'pause' ? 1 : 0))),
    svcKind,
    svcA,
    svcB,
    empirical,
    routeStart,
    routeCum: Float64Array.from(cum),
    routeTarget: Int32Array.from(target),
    streams,
    costPerServerHour: Float64Array.from(chain.stages.map((s) => s.costPerServerHour)),
    costPerCase: Float64Array.from(chain.stages.map((s) => s.costPerCase)),
    outcome: Float64Array.from(chain.outputs.map((o) => o.outcomeContribution)),
    inputsPerWeek: chain.inputs.reduce((s, x) => s + x.costPerWeek, 0),
    hoursPerWeek: chain.hoursPerWeek,
    rota: compileRota(chain),
  };
}

/** A growable FIFO of case ids. */
class CaseQueue {
  buf = new Int32Array(64);
  head = 0;
  length = 0;
  push(k: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      for (let i = 0; i < this.length; i++)
        next[i] = this.buf[(this.head + i) % this.buf.length] as number;
      this.buf = next;
      this.head = 0;
    }
    this.buf[(this.head + this.length) % this.buf.length] = k;
    this.length++;
  }
  shift(): number {
    const k = this.buf[this.head] as number;
    this.head = (this.head + 1) % this.buf.length;
    this.length--;
    return k;
  }
  /** Puts a case back at the head (work put down at a shift end is picked up first). */
  unshift(k: number): void {
    this.push(k);
    this.length--;
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.buf[this.head] = k;
    this.length++;
  }
}

interface RunSettings {
  readonly horizon: number;
  readonly warmup: number;
  readonly maxArrivals: number;
  readonly sampleEvery: number;
  readonly backlog: readonly { readonly stage: number; readonly cases: number }[];
}

/** Time-averaged cases in the chain and departures, per bin of equal width (for MSER-5). */
interface Trace {
  readonly width: number;
  readonly wip: Float64Array;
  readonly departures: Float64Array;
}

function runReplication(
  model: Model,
  settings: RunSettings,
  seed: number,
  trace: Trace | null = null,
): ReplicationResult {
  const { n, m, servers, svcKind, svcA, svcB, empirical, routeStart, routeCum, routeTarget } =
    model;
  // Common random numbers: one stream per demand stream, per stage's service times and per stage's
  // routing, each keyed by name. A change at one stage then leaves the draws of every other stage
  // (and the arrivals) exactly as they were, so baseline and scenario differ only where they differ.
  const rArrs = model.streams.map((st, s) => createRandom(streamSeed(seed, `${st.name}#${s}`)));
  const rSvcs = model.ids.map((id) => createRandom(streamSeed(seed, `service:${id}`)));
  const rRoutes = model.ids.map((id) => createRandom(streamSeed(seed, `routing:${id}`)));
  const sample = (i: number, r: Random): number => {
    switch (svcKind[i]) {
      case SVC_EXP:
        return -(svcA[i] as number) * Math.log(r.next());
      case SVC_DET:
        return svcA[i] as number;
      case SVC_LOGNORMAL:
        return Math.exp((svcA[i] as number) + (svcB[i] as number) * r.normal());
      case SVC_GAMMA:
        return sampleGamma(r, svcA[i] as number) * (svcB[i] as number);
      default: {
        const s = empirical[i] as Float64Array;
        return s[Math.floor(r.next() * s.length)] as number;
      }
    }
  };

  const queue = new EventQueue(4096);
  let capacity = 1024;
  let caseArrival = new Float64Array(capacity);
  let caseEnter = new Float64Array(capacity);
  let caseStage = new Int32Array(capacity);
  // When the case in service is due to finish (−1 when not in service), and the work left on a
  // case put down at a shift end (0 when none): a stale completion event is recognised by its time.
  let caseDue = new Float64Array(capacity).fill(-1);
  let caseLeft = new Float64Array(capacity);
  let free = new Int32Array(capacity);
  let freeCount = 0;
  let nextId = 0;
  const allocate = (): number => {
    if (freeCount > 0) return free[--freeCount] as number;
    if (nextId === capacity) {
      capacity *= 2;
      const a = new Float64Array(capacity);
      a.set(caseArrival);
      caseArrival = a;
      const e = new Float64Array(capacity);
      e.set(caseEnter);
      caseEnter = e;
      const s = new Int32Array(capacity);
      s.set(caseStage);
      caseStage = s;
      const due = new Float64Array(capacity).fill(-1);
      due.set(caseDue);
      caseDue = due;
      const left = new Float64Array(capacity);
      left.set(caseLeft);
      caseLeft = left;
      const f = new Int32Array(capacity);
      f.set(free);
      free = f;
    }
    return nextId++;
  };

  const waiting: CaseQueue[] = Array.from({ length: n }, () => new CaseQueue());
  const busy = new Int32Array(n);
  const atStage = new Int32Array(n);
  const last = new Float64Array(n);
  const busyArea = new Float64Array(n);
  const numArea = new Float64Array(n);
  const waitSum = new Float64Array(n);
  const starts = new Float64Array(n);
  const visits = new Float64Array(n);
  const completions = new Float64Array(n);
  const outputs = new Float64Array(m);
  let leadTimes = new Float64Array(4096);
  let leadCount = 0;
  let departures = 0;
  let inChain = 0;
  let measuring = settings.warmup <= 0;
  let now = 0;
  let events = 0;
  let lastFlow = 0;
  let arrivalsLeft = settings.maxArrivals;
  const samples: number[] = [];
  const sampleStages: number[] = [];
  const sampleTimes: number[] = [];

  const touch = (i: number): void => {
    const dt = now - (last[i] as number);
    if (dt > 0) {
      busyArea[i] = (busyArea[i] as number) + (busy[i] as number) * dt;
      numArea[i] = (numArea[i] as number) + (atStage[i] as number) * dt;
    }
    last[i] = now;
  };
  // Rosters and pools: servers on duty per staff resource, changing at shift edges; a case in
  // service when a shift ends is finished (non-preemptive), and none starts until someone is on duty.
  const rota = model.rota;
  const nRes = rota === null ? 0 : rota.resources;
  const cap = new Float64Array(nRes);
  const rBusy = new Int32Array(nRes);
  const capArea = new Float64Array(nRes);
  const rLast = new Float64Array(nRes);
  const touchRes = (r: number): void => {
    const dt = now - (rLast[r] as number);
    if (dt > 0) capArea[r] = (capArea[r] as number) + (cap[r] as number) * dt;
    rLast[r] = now;
  };
  const startService = (k: number, i: number): void => {
    busy[i] = (busy[i] as number) + 1;
    if (rota !== null && model.unqueued[i] === 0) {
      const r = rota.resourceOf[i] as number;
      rBusy[r] = (rBusy[r] as number) + 1;
    }
    const left = caseLeft[k] as number;
    let due: number;
    if (left > 0) {
      // Work put down at the last shift end, picked up again: no new draw, no second wait.
      caseLeft[k] = 0;
      due = now + left;
    } else {
      if (measuring) {
        waitSum[i] = (waitSum[i] as number) + (now - (caseEnter[k] as number));
        starts[i] = (starts[i] as number) + 1;
      }
      due = now + sample(i, rSvcs[i] as Random);
    }
    caseDue[k] = due;
    queue.push(due, k);
  };
  /**
   * Staff of resource r going off duty put down work at stages marked `atShiftEnd: "pause"` until
   * no more are busy than are on duty (the files with most work left first); each goes back to the
   * head of its stage's queue with the work left on it.
   */
  const putDown = (r: number): void => {
    if (rota === null || (rBusy[r] as number) <= (cap[r] as number)) return;
    const held: number[] = [];
    for (let k = 0; k < nextId; k++) {
      if ((caseDue[k] as number) < 0) continue;
      const i = caseStage[k] as number;
      if (model.pauses[i] === 1 && model.unqueued[i] === 0 && rota.resourceOf[i] === r)
        held.push(k);
    }
    held.sort((a, b) => (caseDue[b] as number) - (caseDue[a] as number));
    for (const k of held) {
      if ((rBusy[r] as number) <= (cap[r] as number)) break;
      const i = caseStage[k] as number;
      touch(i);
      busy[i] = (busy[i] as number) - 1;
      rBusy[r] = (rBusy[r] as number) - 1;
      caseLeft[k] = (caseDue[k] as number) - now;
      caseDue[k] = -1;
      (waiting[i] as CaseQueue).unshift(k);
    }
  };
  const enter = (k: number, i: number): void => {
    touch(i);
    caseStage[k] = i;
    caseEnter[k] = now;
    atStage[i] = (atStage[i] as number) + 1;
    if (measuring) visits[i] = (visits[i] as number) + 1;
    if (rota !== null && model.unqueued[i] === 0) {
      // Free staff never leave work queued (dispatch runs whenever staff free up), so a free
      // server here means the pool's queues are empty and this case starts at once.
      const r = rota.resourceOf[i] as number;
      if ((rBusy[r] as number) < (cap[r] as number)) startService(k, i);
      else (waiting[i] as CaseQueue).push(k);
    } else if ((busy[i] as number) < (servers[i] as number)) startService(k, i);
    else (waiting[i] as CaseQueue).push(k);
  };
  /** Starts queued work while staff of resource r are free: first come, first served across its stages. */
  const dispatch = (r: number): void => {
    if (rota === null) return;
    const stages = rota.stagesOf[r] as Int32Array;
    while ((rBusy[r] as number) < (cap[r] as number)) {
      let pick = -1;
      let earliest = Infinity;
      for (let q = 0; q < stages.length; q++) {
        const i = stages[q] as number;
        const w = waiting[i] as CaseQueue;
        if (w.length === 0) continue;
        const head = caseEnter[w.buf[w.head] as number] as number;
        if (head < earliest) {
          earliest = head;
          pick = i;
        }
      }
      if (pick < 0) return;
      touch(pick);
      startService((waiting[pick] as CaseQueue).shift(), pick);
    }
  };
  let traceLast = 0;
  const bins = trace === null ? 0 : trace.wip.length;
  /** Adds cases-in-chain × time up to `to` into the trace's bins. */
  const accrue = (to: number): void => {
    if (trace === null) return;
    while (traceLast < to) {
      let b = Math.floor(traceLast / trace.width);
      let edge = (b + 1) * trace.width;
      if (edge <= traceLast) edge = (++b + 1) * trace.width;
      const end = Math.min(to, edge);
      if (b < bins) trace.wip[b] = (trace.wip[b] as number) + inChain * (end - traceLast);
      traceLast = end;
      if (b >= bins) break;
    }
  };
  const newCase = (i: number): void => {
    const k = allocate();
    caseArrival[k] = now;
    accrue(now);
    inChain++;
    enter(k, i);
  };
  const nextArrival = (s: number): void => {
    const stream = model.streams[s];
    if (stream === undefined || stream.maxRate <= 0 || arrivalsLeft <= 0) return;
    arrivalsLeft--;
    const rArr = rArrs[s] as Random;
    let t = now;
    const mult = stream.multipliers;
    const cal = stream.calendar;
    for (;;) {
      t -= Math.log(rArr.next()) / stream.maxRate;
      if (cal !== null) {
        // Thinning by the calendar's hour-of-week and seasonal multipliers (and any profile).
        const p =
          mult === null ? 1 : (mult[Math.floor(t / stream.periodHours) % mult.length] as number);
        if (rArr.next() * stream.maxRate <= stream.baseRate * p * cal.at(t)) break;
        continue;
      }
      if (mult === null) break;
      // Thinning (Lewis–Shedler): keep a candidate with probability rate(t) / max rate.
      const period = Math.floor(t / stream.periodHours) % mult.length;
      if (rArr.next() * stream.maxRate <= stream.baseRate * (mult[period] as number)) break;
    }
    queue.push(t, -1 - s);
  };

  if (rota !== null) {
    for (let r = 0; r < nRes; r++) {
      cap[r] = rotaCapacityAt(rota, r, 0);
      const t = rotaNextChange(rota, r, 0);
      if (Number.isFinite(t)) queue.push(t, SHIFT - r);
    }
  }
  for (const b of settings.backlog) for (let c = 0; c < b.cases; c++) newCase(b.stage);
  model.streams.forEach((_, s) => nextArrival(s));
  queue.push(0, TICK);
  if (settings.warmup > 0) queue.push(settings.warmup, WARMUP);

  const horizon = settings.horizon;
  while (queue.size > 0) {
    const t = queue.peekTime();
    if (t > horizon) break;
    const code = queue.peekCode();
    queue.pop();
    now = t;
    if (code >= 0) {
      const k = code;
      // A completion for work that was put down at a shift end (and is now due later): stale.
      if (caseDue[k] !== now) continue;
      caseDue[k] = -1;
      events++;
      lastFlow = now;
      const i = caseStage[k] as number;
      touch(i);
      busy[i] = (busy[i] as number) - 1;
      atStage[i] = (atStage[i] as number) - 1;
      if (measuring) completions[i] = (completions[i] as number) + 1;
      const w = waiting[i] as CaseQueue;
      if (rota !== null && model.unqueued[i] === 0) {
        const r = rota.resourceOf[i] as number;
        rBusy[r] = (rBusy[r] as number) - 1;
        dispatch(r);
      } else if (w.length > 0) startService(w.shift(), i);
      const u = (rRoutes[i] as Random).next();
      let r = routeStart[i] as number;
      while (u > (routeCum[r] as number)) r++;
      const to = routeTarget[r] as number;
      if (to >= 0) {
        enter(k, to);
      } else {
        accrue(now);
        inChain--;
        if (trace !== null) {
          const b = Math.floor(now / trace.width);
          if (b < bins) trace.departures[b] = (trace.departures[b] as number) + 1;
        }
        if (measuring) {
          departures++;
          if (to <= -2) outputs[-2 - to] = (outputs[-2 - to] as number) + 1;
          if (leadCount === leadTimes.length) {
            const grown = new Float64Array(leadTimes.length * 2);
            grown.set(leadTimes);
            leadTimes = grown;
          }
          leadTimes[leadCount++] = now - (caseArrival[k] as number);
        }
        free[freeCount++] = k;
      }
    } else if (code === TICK) {
      sampleTimes.push(now);
      samples.push(inChain);
      for (let i = 0; i < n; i++) sampleStages.push(atStage[i] as number);
      const more = Number.isFinite(horizon) || inChain > 0 || arrivalsLeft > 0;
      if (more) queue.push(now + settings.sampleEvery, TICK);
    } else if (code === WARMUP) {
      for (let i = 0; i < n; i++) {
        touch(i);
        busyArea[i] = 0;
        numArea[i] = 0;
      }
      for (let r = 0; r < nRes; r++) {
        touchRes(r);
        capArea[r] = 0;
      }
      measuring = true;
    } else if (code <= SHIFT && rota !== null) {
      const r = SHIFT - code;
      touchRes(r);
      cap[r] = rotaCapacityAt(rota, r, now);
      putDown(r);
      dispatch(r);
      // With no horizon (a run by number of cases), stop once every case has left.
      if (Number.isFinite(horizon) || inChain > 0 || arrivalsLeft > 0)
        queue.push(rotaNextChange(rota, r, now), code);
    } else {
      events++;
      lastFlow = now;
      const s = -1 - code;
      const stream = model.streams[s];
      if (stream !== undefined) newCase(stream.stage);
      nextArrival(s);
    }
  }
  // A finite run ends at the horizon; an arrival-limited run ends with its last case.
  now = Number.isFinite(horizon) ? horizon : lastFlow;
  for (let i = 0; i < n; i++) touch(i);
  for (let r = 0; r < nRes; r++) touchRes(r);
  accrue(now);
  if (trace !== null)
    for (let b = 0; b < bins; b++) trace.wip[b] = (trace.wip[b] as number) / trace.width;

  const observed = Math.max(1e-12, now - settings.warmup);
  const hpw = model.hoursPerWeek;
  const sorted = leadTimes.subarray(0, leadCount).sort();
  let leadSum = 0;
  for (let i = 0; i < leadCount; i++) leadSum += sorted[i] as number;
  const utilisation = new Float64Array(n);
  const meanAtStage = new Float64Array(n);
  const waitingHours = new Float64Array(n);
  const visitsPerWeek = new Float64Array(n);
  const completionsPerWeek = new Float64Array(n);
  let wipArea = 0;
  let busyHours = 0;
  let cost = model.inputsPerWeek * (observed / hpw);
  for (let i = 0; i < n; i++) {
    // A delay's time is not work: it has no staff to be busy, and its time is not staff time.
    const queued = model.unqueued[i] === 0;
    utilisation[i] = queued ? (busyArea[i] as number) / ((servers[i] as number) * observed) : 0;
    if (rota !== null && queued) {
      // Busy share of the hours staff were on duty; a pool's stages share its figure.
      const r = rota.resourceOf[i] as number;
      let area = 0;
      for (const j of rota.stagesOf[r] as Int32Array) area += busyArea[j] as number;
      const onDuty = capArea[r] as number;
      utilisation[i] = onDuty > 0 ? area / onDuty : area > 0 ? Infinity : 0;
    }
    meanAtStage[i] = (numArea[i] as number) / observed;
    waitingHours[i] =
      (starts[i] as number) > 0 ? (waitSum[i] as number) / (starts[i] as number) : 0;
    visitsPerWeek[i] = ((visits[i] as number) / observed) * hpw;
    completionsPerWeek[i] = ((completions[i] as number) / observed) * hpw;
    wipArea += numArea[i] as number;
    // A stage of unknown capacity holds its waiting in its time: not counted as work either.
    if (queued) busyHours += busyArea[i] as number;
    if (queued && rota === null) {
      cost += (servers[i] as number) * (model.costPerServerHour[i] as number) * observed;
    }
    cost += (completions[i] as number) * (model.costPerCase[i] as number);
  }
  // Staff are paid for the hours they are on duty.
  for (let r = 0; r < nRes; r++) cost += (capArea[r] as number) * (rota?.cost[r] ?? 0);
  let outputCount = 0;
  let outcomes = 0;
  const outputsPerWeek = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    outputCount += outputs[k] as number;
    outcomes += (outputs[k] as number) * (model.outcome[k] as number);
    outputsPerWeek[k] = ((outputs[k] as number) / observed) * hpw;
  }
  let binding = 0;
  while (binding < n - 1 && model.unqueued[binding] === 1) binding++;
  for (let i = binding + 1; i < n; i++) {
    if (model.unqueued[i] === 1) continue;
    const du = (utilisation[i] as number) - (utilisation[binding] as number);
    // Near-equal utilisation (both saturated): the stage with the longer queue binds.
    if (
      du > 0.01 ||
      (Math.abs(du) <= 0.01 && (meanAtStage[i] as number) > (meanAtStage[binding] as number))
    ) {
      binding = i;
    }
  }
  return {
    seed,
    events,
    observedHours: observed,
    throughputPerWeek: (outputCount / observed) * hpw,
    departures,
    meanLeadTimeHours: leadCount > 0 ? leadSum / leadCount : Number.NaN,
    medianLeadTimeHours: quantileSorted(sorted, 0.5),
    p90LeadTimeHours: quantileSorted(sorted, 0.9),
    wip: wipArea / observed,
    backlogAtEnd: inChain,
    utilisation: Array.from(utilisation),
    meanAtStage: Array.from(meanAtStage),
    waitingHours: Array.from(waitingHours),
    visitsPerWeek: Array.from(visitsPerWeek),
    completionsPerWeek: Array.from(completionsPerWeek),
    outputsPerWeek: Array.from(outputsPerWeek),
    outcomesPerWeek: (outcomes / observed) * hpw,
    costPerWeek: (cost / observed) * hpw,
    costPerOutput: outputCount > 0 ? cost / outputCount : Number.NaN,
    resourceHoursPerOutput: outputCount > 0 ? busyHours / outputCount : Number.NaN,
    bindingStage: binding,
    sampleTimes,
    sampleTotal: samples,
    sampleByStage: sampleStages,
  };
}

/** Seed of replication r (0-based) for a base seed; shared by scenarios for common random numbers. */
export function replicationSeed(seed: number, r: number): number {
  return (Math.floor(seed) * 1_000_003 + r * 7_919) % 2_147_483_647;
}

/** Bins of the output series MSER-5 reads: 100 batches of 5. */
const TRACE_BINS = 500;
/** Replications whose averaged series MSER-5 reads. */
const PILOT_REPLICATIONS = 5;
/** A fifth of a calendar week (hours): five bins make one week. */
const WEEK_BIN = 168 / 5;

interface Prepared {
  readonly model: Model;
  readonly settings: Omit<RunSettings, 'warmup'>;
  readonly confidence: number;
}

function prepare(chain: DeliveryChain, options: SimulationOptions): Prepared {
  const hpw = chain.hoursPerWeek;
  const maxArrivals = options.maxArrivals ?? Infinity;
  const horizon = options.maxArrivals !== undefined ? Infinity : (options.horizonHours ?? 52 * hpw);
  const totalRate = chain.demand.reduce(
    (sum, d) => sum + (d.per === 'hour' ? d.rate : d.rate / hpw),
    0,
  );
  const sampleEvery =
    options.sampleEveryHours ??
    (Number.isFinite(horizon)
      ? horizon / 52
      : totalRate > 0 && Number.isFinite(maxArrivals)
        ? maxArrivals / totalRate / 100
        : hpw);
  const stageIndex = new Map(chain.stages.map((s, i) => [s.id, i]));
  const backlog = (options.initialBacklog ?? []).map((b) => {
    const stage = stageIndex.get(b.stage);
    if (stage === undefined)
      throw new RangeError(`initial backlog at "${b.stage}", which is not a stage`);
    return { stage, cases: Math.max(0, Math.floor(b.cases)) };
  });
  return {
    model: compileModel(chain),
    settings: { horizon, maxArrivals, sampleEvery, backlog },
    confidence: options.confidence ?? 0.95,
  };
}

function weeksText(hours: number, hpw: number): string {
  const weeks = hours / hpw;
  return weeks >= 1 ? `${fmt(weeks, weeks >= 10 ? 0 : 1)} weeks` : `${fmt(hours, 1)} hours`;
}

function detectFrom(chain: DeliveryChain, p: Prepared, seed: number, pilots: number): WarmupChoice {
  const hpw = chain.hoursPerWeek;
  const horizon = p.settings.horizon;
  if (!Number.isFinite(horizon)) {
    return {
      hours: 0,
      method: 'none',
      settled: true,
      explanation:
        'No warm-up: each run admits a set number of cases and runs until the chain is empty, so every case is counted.',
    };
  }
  // With a calendar the series has a weekly cycle: bins of a fifth of a week make each batch of
  // five that MSER-5 averages one whole week, so the cycle is not read as a trend.
  const weekly = chain.calendar !== undefined && horizon >= 20 * WEEK_BIN;
  const TRACE = weekly ? Math.floor(horizon / WEEK_BIN) : TRACE_BINS;
  const width = weekly ? WEEK_BIN : horizon / TRACE_BINS;
  const wip = new Float64Array(TRACE);
  const out = new Float64Array(TRACE);
  for (let r = 0; r < pilots; r++) {
    const trace: Trace = {
      width,
      wip: new Float64Array(TRACE),
      departures: new Float64Array(TRACE),
    };
    runReplication(p.model, { ...p.settings, warmup: horizon }, replicationSeed(seed, r), trace);
    for (let b = 0; b < TRACE; b++) {
      wip[b] = (wip[b] as number) + (trace.wip[b] as number) / pilots;
      out[b] = (out[b] as number) + (trace.departures[b] as number) / pilots;
    }
  }
  const onWip = mser5(wip);
  if (onWip.settled) {
    const hours = onWip.truncate * width;
    return {
      hours,
      method: 'mser-5',
      settled: true,
      explanation:
        hours === 0
          ? `Warm-up detected by MSER-5 on the number of ${chain.unitOfWork.plural} in the chain over time (average of ${pilots} runs): none needed, the chain starts close to its usual state.`
          : `Warm-up detected by MSER-5 on the number of ${chain.unitOfWork.plural} in the chain over time (average of ${pilots} runs${weekly ? ', in whole weeks because of the weekly opening hours' : ''}): the first ${weeksText(hours, hpw)} are left out, while the chain fills from empty.`,
    };
  }
  // The number in the chain never settles (a backlog that keeps growing): use the output rate,
  // which does settle once the bottleneck is saturated, and say so.
  const onOutput = mser5(out);
  const hours = onOutput.truncate * width;
  return {
    hours,
    method: 'mser-5',
    settled: false,
    explanation: `The number of ${chain.unitOfWork.plural} in the chain never settles (the backlog keeps growing), so there is no steady state; MSER-5 on the output rate leaves out the first ${weeksText(hours, hpw)}. Lead times depend on how long the run is.`,
  };
}

/**
 * The warm-up to discard, detected by MSER-5 on the time-averaged number of cases in the chain
 * (500 bins over the horizon, averaged over the first five replications). Same seeds give the same
 * answer. A fixed `warmupHours` in the options is returned as given.
 */
export function detectWarmup(chain: DeliveryChain, options: SimulationOptions = {}): WarmupChoice {
  const p = prepare(chain, options);
  if (options.warmupHours !== undefined) return fixedWarmup(chain, options.warmupHours);
  const pilots = Math.min(PILOT_REPLICATIONS, Math.max(1, Math.floor(options.replications ?? 5)));
  return detectFrom(chain, p, options.seed ?? 1, pilots);
}

function fixedWarmup(chain: DeliveryChain, hours: number): WarmupChoice {
  return {
    hours,
    method: 'fixed',
    settled: true,
    explanation:
      hours === 0
        ? 'No warm-up left out (set by the caller).'
        : `The first ${weeksText(hours, chain.hoursPerWeek)} of each run are left out (a fixed warm-up).`,
  };
}

/** A prepared simulation: replications can be run one at a time (for sequential stopping). */
export interface Simulation {
  readonly warmup: WarmupChoice;
  /** Replication r (0-based), from the seed shared by every scenario. */
  run(r: number): ReplicationResult;
  summarise(runs: readonly ReplicationResult[]): SimulationResult;
}

/** Prepares a simulation: checks the options and settles the warm-up (detected unless given). */
export function createSimulation(
  chain: DeliveryChain,
  options: SimulationOptions = {},
  warmupChoice?: WarmupChoice,
): Simulation {
  const p = prepare(chain, options);
  const warmup =
    warmupChoice ??
    (options.warmupHours !== undefined
      ? fixedWarmup(chain, options.warmupHours)
      : detectWarmup(chain, options));
  const horizon = p.settings.horizon;
  if (Number.isFinite(horizon) && warmup.hours >= horizon) {
    throw new RangeError(
      `warm-up (${warmup.hours} h) must be shorter than the horizon (${horizon} h)`,
    );
  }
  const settings: RunSettings = { ...p.settings, warmup: warmup.hours };
  const seed = options.seed ?? 1;
  return {
    warmup,
    run: (r) => runReplication(p.model, settings, replicationSeed(seed, r)),
    summarise: (runs) => summarise(chain, runs, { horizon, warmup, confidence: p.confidence }),
  };
}

/** Simulates the chain; identical options give identical results. */
export function simulateChain(
  chain: DeliveryChain,
  options: SimulationOptions = {},
): SimulationResult {
  const replications = Math.max(1, Math.floor(options.replications ?? 5));
  const sim = createSimulation(chain, options);
  const runs: ReplicationResult[] = [];
  for (let r = 0; r < replications; r++) runs.push(sim.run(r));
  return sim.summarise(runs);
}

function summarise(
  chain: DeliveryChain,
  runs: readonly ReplicationResult[],
  s: { horizon: number; warmup: WarmupChoice; confidence: number },
): SimulationResult {
  const c = s.confidence;
  const pick = (f: (r: ReplicationResult) => number): Estimate =>
    estimate(
      runs.map(f).filter((x) => Number.isFinite(x)),
      c,
    );
  const stages = chain.stages.map((stage, i) => ({
    id: stage.id,
    name: stage.name,
    utilisation: pick((r) => r.utilisation[i] ?? 0),
    meanAtStage: pick((r) => r.meanAtStage[i] ?? 0),
    waitingHours: pick((r) => r.waitingHours[i] ?? 0),
    visitsPerWeek: pick((r) => r.visitsPerWeek[i] ?? 0),
  }));
  const votes = new Array<number>(chain.stages.length).fill(0);
  for (const r of runs) votes[r.bindingStage] = (votes[r.bindingStage] ?? 0) + 1;
  let b = 0;
  for (let i = 1; i < votes.length; i++) {
    const better = (votes[i] ?? 0) > (votes[b] ?? 0);
    const tie = (votes[i] ?? 0) === (votes[b] ?? 0);
    if (better || (tie && (stages[i]?.utilisation.mean ?? 0) > (stages[b]?.utilisation.mean ?? 0)))
      b = i;
  }
  const bs = stages[b];
  const stage = chain.stages[b];
  const backlogGrowth =
    runs.length > 0
      ? runs.reduce((sum, r) => {
          const times = r.sampleTimes;
          const last = times.length - 1;
          if (last < 1) return sum;
          const dt = ((times[last] as number) - (times[0] as number)) / chain.hoursPerWeek;
          return (
            sum +
            ((r.sampleTotal[last] as number) - (r.sampleTotal[0] as number)) / Math.max(dt, 1e-12)
          );
        }, 0) / runs.length
      : 0;
  const explanation =
    bs === undefined || stage === undefined
      ? ''
      : !isQueued(stage)
        ? 'No stage has a capacity that can be stated (every stage is a delay or of unknown capacity), so none constrains the chain.'
        : bs.utilisation.mean === 0
          ? 'No cases were processed after the warm-up, so no stage constrained the chain.'
          : `${bs.name} (${stage.organisation}) is the binding constraint in ${votes[b]} of ${runs.length} replications: its ${stage.servers === 1 ? 'server is' : 'servers are'} busy ${pct(bs.utilisation.mean)} of the time` +
            (bs.utilisation.mean > 0.97
              ? ` and work queues in front of it (${fmt(bs.meanAtStage.mean)} ${chain.unitOfWork.plural} there on average).`
              : ', the highest of any stage.');

  const minSamples = Math.min(...runs.map((r) => r.sampleTimes.length));
  const timesHours = (runs[0]?.sampleTimes ?? []).slice(0, minSamples);
  const total = timesHours.map((_, j) =>
    estimate(
      runs.map((r) => r.sampleTotal[j] ?? 0),
      c,
    ),
  );
  const byStage: Record<string, number[]> = {};
  chain.stages.forEach((st, i) => {
    byStage[st.id] = timesHours.map(
      (_, j) =>
        runs.reduce((sum, r) => sum + (r.sampleByStage[j * chain.stages.length + i] ?? 0), 0) /
        runs.length,
    );
  });
  const notes: string[] = [];
  if (runs.length < 2) notes.push('One replication: no confidence interval can be given.');
  if (Number.isFinite(s.horizon) && backlogGrowth > 0.05 * Math.max(1, chain.demand.length)) {
    const mean = total.length > 0 ? (total[total.length - 1]?.mean ?? 0) : 0;
    if (mean > (runs[0]?.wip ?? 0) * 1.5) {
      notes.push(
        `The backlog keeps growing (about ${fmt(backlogGrowth)} ${chain.unitOfWork.plural} a week): demand exceeds capacity, so lead times depend on the horizon chosen.`,
      );
    }
  }
  return {
    replications: runs.length,
    confidence: c,
    horizonHours: s.horizon,
    warmupHours: s.warmup.hours,
    warmup: s.warmup,
    hoursPerWeek: chain.hoursPerWeek,
    events: runs.reduce((sum, r) => sum + r.events, 0),
    throughputPerWeek: pick((r) => r.throughputPerWeek),
    leadTimeHours: {
      mean: pick((r) => r.meanLeadTimeHours),
      median: pick((r) => r.medianLeadTimeHours),
      p90: pick((r) => r.p90LeadTimeHours),
    },
    wip: pick((r) => r.wip),
    backlogAtEnd: pick((r) => r.backlogAtEnd),
    stages,
    outputs: chain.outputs.map((o, k) => ({
      id: o.id,
      name: o.name,
      perWeek: pick((r) => r.outputsPerWeek[k] ?? 0),
    })),
    outcomesPerWeek: pick((r) => r.outcomesPerWeek),
    costPerWeek: pick((r) => r.costPerWeek),
    costPerOutput: pick((r) => r.costPerOutput),
    resourceHoursPerOutput: pick((r) => r.resourceHoursPerOutput),
    bindingConstraint: {
      stageId: bs?.id ?? '',
      name: bs?.name ?? '',
      replications: votes[b] ?? 0,
      explanation,
    },
    backlog: { timesHours, total, byStage },
    perReplication: runs,
    notes,
  };
}
