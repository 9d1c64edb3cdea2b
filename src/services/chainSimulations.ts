// Simulating a delivery chain, shared by its page (src/web/chains/results.ts, run in the request)
// and the API (a `chains.simulate` job, src/jobs/chain-simulate.ts): the bounds that keep one run
// quick, the engine's options built from the page's settings (seed, runs, weeks), and the figures
// of a run as plain JSON — the same numbers the page shows, without the per-replication detail.
import {
  analyseChain,
  applyInterventions,
  simulateChain,
  type DeliveryChain,
  type SimulationOptions,
  type SimulationResult,
} from '../domain/chain/index.ts';
import { JobFailure } from '../jobs/types.ts';
import type { OrgScope } from '../storage/index.ts';

/** Bounds that keep a simulation inside one quick request. */
export const SIMULATION_LIMITS = {
  replications: { min: 2, max: 20, default: 10 },
  weeks: { min: 8, max: 104, default: 52 },
  seed: { min: 1, max: 2_147_483_647, default: 1 },
  /** Rough number of simulated events (arrivals and service completions) one request may run. */
  events: 3_000_000,
} as const;
/** Replications MSER-5 reads to find the warm-up (simulate.ts), counted in the event budget. */
export const PILOT_RUNS = 5;

/** What the person chooses: the seed of the first run, how many runs, and how many weeks each. */
export interface SimulationSettings {
  readonly seed: number;
  readonly replications: number;
  readonly weeks: number;
}

export function simulationOptions(chain: DeliveryChain, s: SimulationSettings): SimulationOptions {
  return {
    seed: s.seed,
    replications: s.replications,
    horizonHours: s.weeks * chain.hoursPerWeek,
    sampleEveryHours: (s.weeks * chain.hoursPerWeek) / 26,
  };
}

/** Roughly how many events simulating the chain would take (arrivals plus one per stage visit). */
export function simulationEvents(chain: DeliveryChain, s: SimulationSettings): number {
  const a = analyseChain(chain);
  const visits = a.stages.reduce((sum, st) => sum + st.visitsPerCase, 0);
  return a.demandPerWeek * s.weeks * (s.replications + PILOT_RUNS) * (1 + visits);
}

export function tooBusyMessage(chain: DeliveryChain): string {
  return `This chain has too many ${chain.unitOfWork.plural} to simulate here quickly. Use fewer runs or weeks, or run it on your own computer with the command line: throughline chain simulate FILE (download the chain’s JSON first).`;
}

/**
 * The chain as simulated: the stored chain with the chosen interventions applied in order, or why
 * it cannot be (an intervention that is not the chain's, or one whose change no longer fits it).
 */
export function chainWithInterventions(
  chain: DeliveryChain,
  interventionIds: readonly string[],
): { ok: true; chain: DeliveryChain } | { ok: false; message: string } {
  const chosen = [];
  for (const id of interventionIds) {
    const found = chain.interventions.find((i) => i.id === id);
    if (!found) return { ok: false, message: `The chain has no intervention "${id}"` };
    chosen.push(found);
  }
  if (chosen.length === 0) return { ok: true, chain };
  const applied = applyInterventions(chain, chosen);
  if (!applied.ok)
    return {
      ok: false,
      message: `The interventions cannot be applied together: ${applied.issues.map((i) => i.message).join('; ')}`,
    };
  return { ok: true, chain: applied.chain };
}

/** A run's figures as plain JSON (every number finite or null), as the simulation page shows them. */
export function simulationSummary(result: SimulationResult) {
  const e = (x: { mean: number; halfWidth: number; low: number; high: number }) => ({
    mean: finite(x.mean),
    halfWidth: finite(x.halfWidth),
    low: finite(x.low),
    high: finite(x.high),
  });
  return {
    replications: result.replications,
    confidence: result.confidence,
    horizonHours: result.horizonHours,
    warmupHours: result.warmupHours,
    warmup: {
      method: result.warmup.method,
      settled: result.warmup.settled,
      explanation: result.warmup.explanation,
    },
    hoursPerWeek: result.hoursPerWeek,
    events: result.events,
    throughputPerWeek: e(result.throughputPerWeek),
    leadTimeHours: {
      mean: e(result.leadTimeHours.mean),
      median: e(result.leadTimeHours.median),
      p90: e(result.leadTimeHours.p90),
    },
    wip: e(result.wip),
    backlogAtEnd: e(result.backlogAtEnd),
    outcomesPerWeek: e(result.outcomesPerWeek),
    costPerOutput: e(result.costPerOutput),
    stages: result.stages.map((s) => ({
      id: s.id,
      name: s.name,
      utilisation: e(s.utilisation),
      waitingHours: e(s.waitingHours),
      meanAtStage: e(s.meanAtStage),
    })),
    outputs: result.outputs.map((o) => ({ id: o.id, name: o.name, perWeek: e(o.perWeek) })),
    bindingConstraint: {
      stageId: result.bindingConstraint.stageId,
      name: result.bindingConstraint.name,
      replications: result.bindingConstraint.replications,
      explanation: result.bindingConstraint.explanation,
    },
    notes: [...result.notes],
  };
}

export type SimulationSummary = ReturnType<typeof simulationSummary>;

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** What the API asks for: one chain, at the revision it saw, with these settings and interventions. */
export interface SimulationRequest {
  readonly chainId: string;
  readonly revision: number;
  readonly settings: SimulationSettings;
  readonly interventions: readonly string[];
}

/**
 * Runs a simulation asked for through the API (inside a job). The chain must still be at the
 * revision the request saw, so the figures always belong to a chain someone can read back.
 */
export async function runChainSimulation(
  scope: OrgScope,
  request: SimulationRequest,
): Promise<SimulationSummary> {
  const stored = await scope.chains.get(request.chainId);
  if (!stored) throw new JobFailure('The delivery chain was deleted before it was simulated');
  if (stored.revision !== request.revision)
    throw new JobFailure(
      `The delivery chain changed (revision ${request.revision} became ${stored.revision}) before it was simulated; ask again`,
    );
  const simulated = chainWithInterventions(stored.model, request.interventions);
  if (!simulated.ok) throw new JobFailure(simulated.message);
  if (simulationEvents(simulated.chain, request.settings) > SIMULATION_LIMITS.events)
    throw new JobFailure(tooBusyMessage(simulated.chain));
  return simulationSummary(
    simulateChain(simulated.chain, simulationOptions(simulated.chain, request.settings)),
  );
}
