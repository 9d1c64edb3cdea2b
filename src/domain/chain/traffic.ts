// The traffic equations of a delivery chain (an open Jackson network): the rate of visits to every
// stage, counting rework, from λ = γ (I − P)⁻¹, and the rates at which outputs leave the chain.
import { EXIT, ratePerHour } from './model.ts';
import type { DeliveryChain } from './model.ts';

/** The chain as index-based arrays: the routing matrix P, output and exit shares, arrivals γ. */
export interface CompiledChain {
  readonly stageIds: readonly string[];
  readonly outputIds: readonly string[];
  /** n×n row-major: routing[i*n + j] = P(stage i → stage j). */
  readonly routing: Float64Array;
  /** n×m row-major: probability that a case finishing stage i leaves as output k. */
  readonly toOutput: Float64Array;
  /** Probability that a case finishing stage i leaves with no output. */
  readonly toExit: Float64Array;
  /** External arrivals per hour at each stage (time-averaged when the rate varies). */
  readonly arrivals: Float64Array;
}

export function compileChain(chain: DeliveryChain): CompiledChain {
  const stageIds = chain.stages.map((s) => s.id);
  const outputIds = chain.outputs.map((o) => o.id);
  const n = stageIds.length;
  const m = outputIds.length;
  const stageIndex = new Map(stageIds.map((id, i) => [id, i]));
  const outputIndex = new Map(outputIds.map((id, k) => [id, k]));
  const routing = new Float64Array(n * n);
  const toOutput = new Float64Array(n * m);
  const toExit = new Float64Array(n);
  chain.stages.forEach((stage, i) => {
    for (const route of stage.routes) {
      const j = stageIndex.get(route.to);
      const k = outputIndex.get(route.to);
      if (j !== undefined) routing[i * n + j] = (routing[i * n + j] ?? 0) + route.probability;
      else if (k !== undefined)
        toOutput[i * m + k] = (toOutput[i * m + k] ?? 0) + route.probability;
      else if (route.to === EXIT) toExit[i] = (toExit[i] ?? 0) + route.probability;
    }
  });
  const arrivals = new Float64Array(n);
  for (const demand of chain.demand) {
    const i = stageIndex.get(demand.stage);
    if (i !== undefined) arrivals[i] = (arrivals[i] ?? 0) + ratePerHour(demand, chain.hoursPerWeek);
  }
  return { stageIds, outputIds, routing, toOutput, toExit, arrivals };
}

export interface TrafficSolution {
  /** Visits per hour at each stage, rework included (λ). */
  readonly visitRate: Float64Array;
  /** Mean visits to each stage per arriving case (λᵢ / Σγ). */
  readonly visitsPerCase: Float64Array;
  /** Rate (per hour) at which each output leaves the chain if every stage keeps up. */
  readonly outputRate: Float64Array;
  /** Rate (per hour) of cases leaving with no output. */
  readonly exitRate: number;
  /** Total external arrivals per hour (Σγ). */
  readonly totalArrivals: number;
}

/**
 * Solves λ (I − P) = γ by Gaussian elimination with partial pivoting. `checkChain` guarantees
 * every stage can reach the exit, so I − P is non-singular.
 */
export function solveTraffic(compiled: CompiledChain): TrafficSolution {
  const n = compiled.stageIds.length;
  const m = compiled.outputIds.length;
  // Transpose: (I − P)ᵀ λᵀ = γᵀ, augmented matrix n × (n+1).
  const a = new Float64Array(n * (n + 1));
  const w = n + 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      a[j * w + i] = (i === j ? 1 : 0) - (compiled.routing[i * n + j] ?? 0);
    }
    a[i * w + n] = compiled.arrivals[i] ?? 0;
  }
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(a[r * w + col] ?? 0) > Math.abs(a[pivot * w + col] ?? 0)) pivot = r;
    }
    if (Math.abs(a[pivot * w + col] ?? 0) < 1e-12) {
      throw new Error('Traffic equations are singular: some cases can never leave the chain.');
    }
    if (pivot !== col) {
      for (let k = col; k < w; k++) {
        const t = a[col * w + k] ?? 0;
        a[col * w + k] = a[pivot * w + k] ?? 0;
        a[pivot * w + k] = t;
      }
    }
    const d = a[col * w + col] ?? 1;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = (a[r * w + col] ?? 0) / d;
      if (f === 0) continue;
      for (let k = col; k < w; k++) a[r * w + k] = (a[r * w + k] ?? 0) - f * (a[col * w + k] ?? 0);
    }
  }
  const visitRate = new Float64Array(n);
  for (let i = 0; i < n; i++) visitRate[i] = (a[i * w + n] ?? 0) / (a[i * w + i] ?? 1);
  const totalArrivals = compiled.arrivals.reduce((s, x) => s + x, 0);
  const visitsPerCase = visitRate.map((x) => (totalArrivals > 0 ? x / totalArrivals : 0));
  const outputRate = new Float64Array(m);
  let exitRate = 0;
  for (let i = 0; i < n; i++) {
    const li = visitRate[i] ?? 0;
    for (let k = 0; k < m; k++)
      outputRate[k] = (outputRate[k] ?? 0) + li * (compiled.toOutput[i * m + k] ?? 0);
    exitRate += li * (compiled.toExit[i] ?? 0);
  }
  return { visitRate, visitsPerCase, outputRate, exitRate, totalArrivals };
}
