// Analytics of a delivery chain under the queueing assumptions: visits from the traffic equations,
// utilisation of every stage, the bottleneck (the stage with the highest utilisation — Theory of
// Constraints, paper section 2.2.1) and the maximum sustainable throughput, and — when every stage
// keeps up — waiting, work in progress and lead time of the Jackson network (exact with exponential
// service, Allen–Cunneen otherwise). Demand above capacity is reported as a growing backlog.
import { isQueued, serviceMoments, serverNoun, stageRole } from './model.ts';
import type { DeliveryChain, StageRole } from './model.ts';
import { stageQueue } from './queueing.ts';
import { compileChain, solveTraffic } from './traffic.ts';
import { count, duration, fmt, pct } from './explain.ts';
import { hasRota, rosterEffects, staffResources } from './rosters.ts';
import type { StageRoster } from './rosters.ts';
import { describeRosterAssumptions, rosterQueue } from './rosterAnalysis.ts';

export interface StageAnalysis {
  readonly id: string;
  readonly name: string;
  readonly organisation: string;
  readonly servers: number;
  /**
   * "delay": a pure delay (no staff, no queue, no capacity); "capacity-unknown": staffed, but its
   * capacity cannot be known, so its time is taken as observed. Both have utilisation 0 and an
   * unbounded capacity, are never the bottleneck, and add only their time to the lead time.
   */
  readonly role: StageRole;
  /** Mean service time per visit, hours. */
  readonly meanServiceHours: number;
  /** Squared coefficient of variation of the service time. */
  readonly serviceScv: number;
  /** Visits that reach the stage per week, rework included. */
  readonly visitsPerWeek: number;
  /** Of which returned for rework from this or another stage. */
  readonly reworkVisitsPerWeek: number;
  /** Mean visits per arriving case. */
  readonly visitsPerCase: number;
  /** Visits the stage can complete per week with every server busy. */
  readonly capacityPerWeek: number;
  /** ρ = visits / capacity; above 1 the stage cannot keep up. */
  readonly utilisation: number;
  /** Mean wait before work starts and time in stage per visit, hours; null when ρ ≥ 1. */
  readonly waitingHours: number | null;
  readonly timeInStageHours: number | null;
  /** Mean cases at the stage (Little's law); null when ρ ≥ 1. */
  readonly wip: number | null;
  /**
   * Growth of the queue in front of the stage, visits per week, if it receives its full demand
   * (0 when it keeps up). Exact for the bottleneck; a stage behind it receives less.
   */
  readonly backlogGrowthPerWeek: number;
  /** Staff cost plus per-case cost per week at the achieved throughput. */
  readonly costPerWeek: number;
  /** Average servers on duty over the week (= `servers` with no roster; a pool's share by load). */
  readonly serversOnDuty?: number;
  /** Opening hours, peak-hour loading and off-duty waits, when the chain has a calendar or pools. */
  readonly roster?: StageRoster;
}

export interface BottleneckAnalysis {
  readonly stageId: string;
  readonly name: string;
  readonly utilisation: number;
  /** Extra servers so the stage keeps up (unstable) or drops below the next stage (stable). */
  readonly extraServersNeeded: number;
  /** Cut in mean service time with the same aim, as a share (0.16 = 16% faster). */
  readonly fasterServiceNeeded: number;
  /** The stage that would constrain the chain next, if any. */
  readonly nextStageId: string | null;
  readonly nextName: string | null;
  /** Why this stage is the bottleneck and what would relieve it, in plain words. */
  readonly explanation: string;
}

export interface ChainAnalysis {
  readonly chainId: string;
  readonly timeUnit: 'hour';
  readonly hoursPerWeek: number;
  readonly stages: readonly StageAnalysis[];
  readonly bottleneck: BottleneckAnalysis;
  /** New cases arriving per week. */
  readonly demandPerWeek: number;
  /** True when every stage keeps up (ρ < 1 everywhere). */
  readonly stable: boolean;
  /** Outputs per week actually delivered (capped by the bottleneck when unstable). */
  readonly throughputPerWeek: number;
  /** Outputs per week if demand rose (same mix) until the bottleneck is fully busy. */
  readonly maxThroughputPerWeek: number;
  /** Cases per week added to the backlog when demand exceeds capacity (0 when stable). */
  readonly backlogGrowthPerWeek: number;
  /** Mean time from arrival to leaving the chain, hours; null when unstable. */
  readonly leadTimeHours: number | null;
  /** Mean cases in the chain; null when unstable. */
  readonly wip: number | null;
  readonly outputs: readonly {
    readonly id: string;
    readonly name: string;
    readonly perWeek: number;
    readonly outcomeContribution: number;
  }[];
  /** Outcomes delivered per week: Σ outputs × outcome contribution. */
  readonly outcomesPerWeek: number;
  /** Outcomes per output (effectiveness). */
  readonly outcomeShare: number;
  readonly cost: {
    readonly staffPerWeek: number;
    readonly perCasePerWeek: number;
    readonly inputsPerWeek: number;
    readonly totalPerWeek: number;
    readonly perOutput: number;
  };
  /** Busy server-hours per output (operational efficiency). */
  readonly resourceHoursPerOutput: number;
  /** "exact" only for exponential service and constant Poisson demand. */
  readonly method: 'exact' | 'approximate';
  readonly assumptions: readonly string[];
  readonly findings: readonly string[];
}

/** Analyses a chain with the closed forms. Pure; never throws for a chain `parseChain` accepted. */
export function analyseChain(chain: DeliveryChain): ChainAnalysis {
  const hpw = chain.hoursPerWeek;
  const compiled = compileChain(chain);
  const traffic = solveTraffic(compiled);
  const n = chain.stages.length;
  const unit = chain.unitOfWork;
  const stageIndex = new Map(chain.stages.map((s, i) => [s.id, i]));

  const reworkIn = new Float64Array(n);
  chain.stages.forEach((stage, i) => {
    for (const route of stage.routes) {
      const j = stageIndex.get(route.to);
      if (route.rework === true && j !== undefined) {
        reworkIn[j] = (reworkIn[j] ?? 0) + (traffic.visitRate[i] ?? 0) * route.probability;
      }
    }
  });

  const moments = chain.stages.map((s) => serviceMoments(s.service));
  // Rosters and pools: capacity from the average servers on duty (a pool shared by load).
  const rota = hasRota(chain)
    ? rosterEffects(
        chain,
        traffic.visitRate,
        moments.map((m) => m.mean),
        compiled.arrivals,
        chain.stages.flatMap((st, i) =>
          st.routes.flatMap((r) => {
            const j = stageIndex.get(r.to);
            return j === undefined
              ? []
              : [{ from: i, to: j, rate: (traffic.visitRate[i] ?? 0) * r.probability }];
          }),
        ),
      )
    : null;
  const onDuty = (i: number): number =>
    rota?.[i]?.effectiveServers ?? chain.stages[i]?.servers ?? 1;
  // A delay or a stage of unknown capacity has no staff to be busy.
  const utilisation = chain.stages.map((s, i) =>
    isQueued(s) ? ((traffic.visitRate[i] ?? 0) * (moments[i]?.mean ?? 0)) / onDuty(i) : 0,
  );
  const rhoMax = Math.max(0, ...utilisation);
  const stable = rhoMax < 1;
  // When a stage cannot keep up, it throttles the whole flow: every stage then serves its visits
  // scaled by 1/ρmax (the proportional-flow view of a saturated network).
  const served = stable ? 1 : 1 / rhoMax;

  // Cost of an hour of a stage's staff: its own, or its pool's.
  const staffCost = ((): number[] => {
    if (rota === null) return chain.stages.map((st) => st.costPerServerHour);
    const { resources, resourceOf } = staffResources(chain);
    return resourceOf.map((r) => resources[r]?.costPerServerHour ?? 0);
  })();
  // Staff cost per hour of a stage: none for a delay or a stage whose staff are unknown.
  const staffPerHour = (i: number): number => {
    const stage = chain.stages[i];
    return stage !== undefined && isQueued(stage) ? onDuty(i) * (staffCost[i] ?? 0) : 0;
  };
  const stages: StageAnalysis[] = chain.stages.map((stage, i) => {
    const lambda = traffic.visitRate[i] ?? 0;
    const { mean, scv } = moments[i] ?? { mean: 0, scv: 1 };
    const queued = isQueued(stage);
    const roster = queued ? rota?.[i] : undefined;
    const q = !queued
      ? pureDelay(lambda, mean)
      : roster === undefined
        ? stageQueue(lambda, stage.servers, mean, scv)
        : rosterQueue(lambda, roster, mean, scv);
    const capacityPerWeek = queued ? (onDuty(i) / mean) * hpw : Infinity;
    const ok = q.utilisation < 1;
    return {
      id: stage.id,
      name: stage.name,
      organisation: stage.organisation,
      servers: roster?.rostered === true ? roster.maxOnDuty : stage.servers,
      role: stageRole(stage),
      meanServiceHours: mean,
      serviceScv: scv,
      visitsPerWeek: lambda * hpw,
      reworkVisitsPerWeek: (reworkIn[i] ?? 0) * hpw,
      visitsPerCase: traffic.visitsPerCase[i] ?? 0,
      capacityPerWeek,
      utilisation: q.utilisation,
      waitingHours: ok ? q.waiting : null,
      timeInStageHours: ok ? q.sojourn : null,
      wip: ok ? q.wip : null,
      backlogGrowthPerWeek: ok ? 0 : lambda * hpw - capacityPerWeek,
      costPerWeek: staffPerHour(i) * hpw + lambda * served * hpw * stage.costPerCase,
      ...(roster === undefined ? {} : { roster }),
      ...(roster?.rostered === true ? { serversOnDuty: onDuty(i) } : {}),
    };
  });

  // With no demand at all, rank stages by the load that one arrival an hour at each entry stage
  // would put on them, so the would-be constraint and the ceiling on throughput can still be named.
  const idle = traffic.totalArrivals === 0;
  const probe = idle
    ? solveTraffic({
        ...compiled,
        arrivals: compiled.arrivals.map((_, i) =>
          chain.demand.some((d) => stageIndex.get(d.stage) === i) ? 1 : 0,
        ),
      })
    : traffic;
  // A delay or a stage of unknown capacity is never the bottleneck: it ranks below every staffed one.
  const load = chain.stages.map((st, i) =>
    isQueued(st) ? ((probe.visitRate[i] ?? 0) * (moments[i]?.mean ?? 0)) / onDuty(i) : -1,
  );
  const order = stages.map((_, i) => i).sort((a, b) => (load[b] ?? 0) - (load[a] ?? 0));
  const b = order[0] ?? 0;
  const next = order.length > 1 && (load[order[1] ?? 0] ?? -1) >= 0 ? (order[1] ?? null) : null;
  const loadMax = Math.max(0, load[b] ?? 0);
  const probeOutputsPerWeek = probe.outputRate.reduce((sum, r) => sum + r * hpw, 0);
  const maxThroughputPerWeek = loadMax > 0 ? probeOutputsPerWeek / loadMax : Infinity;
  const bottleneck =
    (load[b] ?? -1) < 0
      ? noStaffedBottleneck(chain, stages, b)
      : idle
        ? idleBottleneck(chain, stages, b, next, maxThroughputPerWeek)
        : explainBottleneck(chain, stages, b, next, stable);

  const demandPerWeek = traffic.totalArrivals * hpw;
  const outputsFull = Array.from(traffic.outputRate, (r) => r * hpw);
  const fullOutputsPerWeek = outputsFull.reduce((s, x) => s + x, 0);
  const throughputPerWeek = fullOutputsPerWeek * served;
  const backlogGrowthPerWeek = stable ? 0 : demandPerWeek * (1 - served);

  let leadTimeHours: number | null = null;
  let wip: number | null = null;
  if (stable && traffic.totalArrivals > 0) {
    wip = stages.reduce((s, st) => s + (st.wip ?? 0), 0);
    // Jackson network: lead time = Σ visitsᵢ × Wᵢ, which equals L / Σγ by Little's law.
    leadTimeHours = stages.reduce((s, st) => s + st.visitsPerCase * (st.timeInStageHours ?? 0), 0);
  }

  const outputs = chain.outputs.map((o, k) => ({
    id: o.id,
    name: o.name,
    perWeek: (outputsFull[k] ?? 0) * served,
    outcomeContribution: o.outcomeContribution,
  }));
  const outcomesPerWeek = outputs.reduce((s, o) => s + o.perWeek * o.outcomeContribution, 0);

  const staffPerWeek = chain.stages.reduce((s, _st, i) => s + staffPerHour(i) * hpw, 0);
  const perCasePerWeek = chain.stages.reduce(
    (s, st, i) => s + (traffic.visitRate[i] ?? 0) * served * hpw * st.costPerCase,
    0,
  );
  const inputsPerWeek = chain.inputs.reduce((s, input) => s + input.costPerWeek, 0);
  const totalPerWeek = staffPerWeek + perCasePerWeek + inputsPerWeek;
  // Working hours count only staffed stages' service: a delay is not work, and the time of a stage
  // of unknown capacity holds its waiting too.
  const busyHoursPerWeek = stages.reduce(
    (s, st) => s + (st.role === 'staffed' ? st.visitsPerWeek * served * st.meanServiceHours : 0),
    0,
  );

  const assumptions = describeAssumptions(chain, moments, stable);
  if (rota !== null) assumptions.push(...describeRosterAssumptions(chain, stages));
  const method = assumptions.some((a) => a.startsWith('Approximate')) ? 'approximate' : 'exact';
  const findings = [bottleneck.explanation];
  if (!stable && backlogGrowthPerWeek < 0.05) {
    // ρ = 1 (to the precision shown): on average the bottleneck just keeps up, but with no slack
    // every uneven arrival adds to a queue that never clears.
    findings.push(
      `Demand equals capacity: ${fmt(demandPerWeek)} ${unit.plural} a week arrive and the bottleneck can handle just that many, with no slack. Because cases never arrive perfectly evenly, the queue and waiting times keep growing.`,
    );
  } else if (!stable) {
    findings.push(
      `Demand is above capacity: ${fmt(demandPerWeek)} ${unit.plural} a week arrive, the backlog grows by ${fmt(backlogGrowthPerWeek)} ${unit.plural} a week, and waiting times keep rising.`,
    );
  } else if (leadTimeHours !== null) {
    findings.push(
      `Every stage keeps up. A ${unit.singular} takes ${duration(leadTimeHours, hpw)} on average from arrival to leaving the chain${method === 'exact' ? '' : ' (approximate)'}; ${fmt(wip ?? 0)} ${unit.plural} are in progress at any time.`,
    );
  }
  return {
    chainId: chain.id,
    timeUnit: 'hour',
    hoursPerWeek: hpw,
    stages,
    bottleneck,
    demandPerWeek,
    stable,
    throughputPerWeek,
    maxThroughputPerWeek,
    backlogGrowthPerWeek,
    leadTimeHours,
    wip,
    outputs,
    outcomesPerWeek,
    outcomeShare: throughputPerWeek > 0 ? outcomesPerWeek / throughputPerWeek : 0,
    cost: {
      staffPerWeek,
      perCasePerWeek,
      inputsPerWeek,
      totalPerWeek,
      perOutput: throughputPerWeek > 0 ? totalPerWeek / throughputPerWeek : Infinity,
    },
    resourceHoursPerOutput: throughputPerWeek > 0 ? busyHoursPerWeek / throughputPerWeek : Infinity,
    method,
    assumptions,
    findings,
  };
}

function describeAssumptions(
  chain: DeliveryChain,
  moments: readonly { mean: number; scv: number }[],
  stable: boolean,
): string[] {
  const out: string[] = [
    'Cases arrive at random (Poisson) and are served first come, first served; routing is random with the stated probabilities.',
  ];
  const general = chain.stages.filter(
    (s, i) => isQueued(s) && Math.abs((moments[i]?.scv ?? 1) - 1) > 1e-12,
  );
  if (general.length > 0) {
    out.push(
      `Approximate: ${general.map((s) => s.name).join(', ')} ${general.length === 1 ? 'has' : 'have'} non-exponential service times, so waiting uses the Allen–Cunneen approximation (exact for a single server fed by Poisson arrivals); simulate for a distribution-free answer.`,
    );
  }
  out.push(...describeUnqueued(chain));
  if (chain.demand.some((d) => d.profile !== undefined)) {
    out.push(
      'Approximate: demand varies over time; the analytics use its average rate, which understates queues at peaks — simulate to see them.',
    );
  }
  if (!stable) {
    out.push(
      'Demand exceeds capacity: no steady state exists, so waiting and lead time grow without limit; output is capped by the bottleneck.',
    );
  }
  return out;
}

/** A delay holds each case for its time with no queue: an infinite-server stage. */
function pureDelay(
  arrivalRate: number,
  mean: number,
): { utilisation: number; waiting: number; sojourn: number; wip: number } {
  return { utilisation: 0, waiting: 0, sojourn: mean, wip: arrivalRate * mean };
}

/** The assumption lines that name the delays and the stages of unknown capacity. */
function describeUnqueued(chain: DeliveryChain): string[] {
  const out: string[] = [];
  const delays = chain.stages.filter((s) => s.delay !== undefined);
  const unknown = chain.stages.filter((s) => s.capacityUnknown !== undefined);
  if (delays.length > 0) {
    out.push(
      `${delays.map((s) => s.name).join(', ')} ${delays.length === 1 ? 'is a delay' : 'are delays'} (a timer, a wait outside or a batch): ${delays.length === 1 ? 'it adds its' : 'they add their'} time to the lead time but ${delays.length === 1 ? 'has' : 'have'} no staff, no queue and no capacity, so more staff would not shorten ${delays.length === 1 ? 'it' : 'them'}.`,
    );
  }
  if (unknown.length > 0) {
    out.push(
      `The capacity of ${unknown.map((s) => s.name).join(', ')} cannot be known from the evidence: ${unknown.length === 1 ? 'its' : 'their'} time per visit is taken as observed (waiting included), with no queue modelled, no utilisation and no working hours.`,
    );
  }
  return out;
}

/** When no stage has a known capacity, no bottleneck can be named. */
function noStaffedBottleneck(
  chain: DeliveryChain,
  stages: readonly StageAnalysis[],
  b: number,
): BottleneckAnalysis {
  const s = stages[b];
  if (s === undefined) throw new Error('chain has no stages');
  return {
    stageId: '',
    name: '',
    utilisation: 0,
    extraServersNeeded: 0,
    fasterServiceNeeded: 0,
    nextStageId: null,
    nextName: null,
    explanation: `No stage of ${chain.name} has a capacity that can be stated (every stage is a delay or of unknown capacity), so no capacity bottleneck can be named; the lead time is the sum of the stages' times.`,
  };
}

function idleBottleneck(
  chain: DeliveryChain,
  stages: readonly StageAnalysis[],
  b: number,
  next: number | null,
  maxThroughputPerWeek: number,
): BottleneckAnalysis {
  const s = stages[b];
  const n = next === null ? undefined : stages[next];
  if (s === undefined) throw new Error('chain has no stages');
  return {
    stageId: s.id,
    name: s.name,
    utilisation: 0,
    extraServersNeeded: 0,
    fasterServiceNeeded: 0,
    nextStageId: n?.id ?? null,
    nextName: n?.name ?? null,
    explanation: `No demand arrives, so no stage is busy. If work arrived at the entry stages, ${s.name} (${s.organisation}) would be the constraint: the chain could deliver at most ${fmt(maxThroughputPerWeek)} outputs a week.`,
  };
}

function explainBottleneck(
  chain: DeliveryChain,
  stages: readonly StageAnalysis[],
  b: number,
  next: number | null,
  stable: boolean,
): BottleneckAnalysis {
  const stage = chain.stages[b];
  const s = stages[b];
  if (stage === undefined || s === undefined) throw new Error('chain has no stages');
  const unit = chain.unitOfWork.plural;
  const n = next === null ? undefined : stages[next];
  // Aim: keep up (ρ < 1) when the chain is unstable; otherwise drop below the next-busiest stage.
  const target = stable ? (n?.utilisation ?? 0) : 1;
  const load = s.utilisation * (s.serversOnDuty ?? s.servers); // offered load a = λ E[S]
  let extraServersNeeded = 0;
  let fasterServiceNeeded = 0;
  if (target > 0 && s.utilisation >= target) {
    extraServersNeeded =
      s.serversOnDuty === undefined
        ? Math.floor(load / target) + 1 - s.servers
        : // A roster: staff to add to every shift (its busiest shift scaled by the shortfall).
          Math.max(1, Math.ceil(s.servers * (s.utilisation / target) - 1e-9) - s.servers);
    fasterServiceNeeded = 1 - target / s.utilisation;
  }
  const who = `${s.name} (${s.organisation})`;
  const reach =
    s.reworkVisitsPerWeek > 0.05
      ? ` (${fmt(s.reworkVisitsPerWeek)} of them returned for rework)`
      : '';
  const canDo =
    s.serversOnDuty === undefined
      ? `its ${count(s.servers, serverNoun(stage, 1), serverNoun(stage, 2))} can handle ${fmt(s.capacityPerWeek)}`
      : `its staff (up to ${count(s.servers, serverNoun(stage, 1), serverNoun(stage, 2))} on duty, ${fmt(s.serversOnDuty)} on average over the week) can handle ${fmt(s.capacityPerWeek)}`;
  const help = (aim: string): string =>
    `It needs ${extraServersNeeded} more ${serverNoun(stage, extraServersNeeded)} (or work ${Math.max(1, Math.ceil(fasterServiceNeeded * 100 - 1e-9))}% faster) ${aim}`;
  let explanation: string;
  if (!stable) {
    // With the extra servers, is this stage still the busiest? Only say the constraint moves if so.
    const perShift = s.serversOnDuty === undefined ? 1 : s.serversOnDuty / Math.max(1, s.servers);
    const after = load / ((s.servers + extraServersNeeded) * perShift);
    const staff = count(s.servers + extraServersNeeded, serverNoun(stage, 1), serverNoun(stage, 2));
    explanation =
      `${who} is the bottleneck: it runs at ${pct(s.utilisation)} of capacity — ${fmt(s.visitsPerWeek)} ${unit} a week reach it${reach} and ${canDo}. ` +
      `${help('to keep up')}` +
      (n === undefined
        ? '.'
        : n.utilisation >= 1
          ? `; ${n.name} is also over capacity (${pct(n.utilisation)}) and would then constrain the chain.`
          : after > n.utilisation
            ? `; with ${staff} it would run at ${pct(after)}, still the busiest stage, with ${n.name} (${pct(n.utilisation)}) next in line.`
            : `; then ${n.name} becomes the constraint (now at ${pct(n.utilisation)}).`);
  } else if (n === undefined) {
    explanation = `${who} is the only stage, at ${pct(s.utilisation)} of capacity.`;
  } else if (n.utilisation >= s.utilisation * (1 - 1e-9)) {
    const tied = stages
      .filter((x) => x.utilisation >= s.utilisation * (1 - 1e-9))
      .map((x) => x.name);
    extraServersNeeded = 0;
    fasterServiceNeeded = 0;
    explanation =
      `${tied.join(', ')} are equally busy at ${pct(s.utilisation)} of capacity, so no single stage is the bottleneck: ` +
      `${s.name} is named first, but relieving one of them alone will not raise the chain's capacity.`;
  } else {
    explanation =
      `${who} is the bottleneck: at ${pct(s.utilisation)} of capacity it is the busiest stage — ${fmt(s.visitsPerWeek)} ${unit} a week reach it${reach} and ${canDo} — so it sets the pace and the longest queues form there. ` +
      `${help(`to fall below ${n.name} (${pct(n.utilisation)})`)}, which would then become the constraint.`;
  }
  return {
    stageId: s.id,
    name: s.name,
    utilisation: s.utilisation,
    extraServersNeeded,
    fasterServiceNeeded,
    nextStageId: n?.id ?? null,
    nextName: n?.name ?? null,
    explanation,
  };
}
