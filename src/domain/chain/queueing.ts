// Closed-form queueing results for one stage: M/M/c with Erlang's C formula, and the
// Allen–Cunneen approximation for general service times (exact for M/G/1: Pollaczek–Khinchine).

/** Probability that an arriving case must wait in an M/M/c queue with offered load a = λ/μ. */
export function erlangC(servers: number, offeredLoad: number): number {
  const rho = offeredLoad / servers;
  if (rho >= 1) return 1;
  // Erlang B by its stable recursion, then C = B / (1 − ρ (1 − B)).
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return b / (1 - rho * (1 - b));
}

export interface StageQueue {
  /** ρ = λ E[S] / c. */
  readonly utilisation: number;
  /** Mean wait before service starts, hours (Infinity when ρ ≥ 1). */
  readonly waiting: number;
  /** Mean time in the stage per visit: waiting + service, hours. */
  readonly sojourn: number;
  /** Mean number of cases at the stage, waiting or in service (Little: L = λ W). */
  readonly wip: number;
  /** True when the result is exact (exponential service, Poisson arrivals). */
  readonly exact: boolean;
}

/**
 * Mean performance of a c-server stage with Poisson arrivals at rate λ (per hour) and service
 * times with the given mean (hours) and squared coefficient of variation. With exponential
 * service (scv = 1) this is exact M/M/c; otherwise Allen–Cunneen: Wq ≈ Wq(M/M/c)·(1 + scv)/2,
 * which equals Pollaczek–Khinchine when c = 1.
 */
export function stageQueue(
  arrivalRate: number,
  servers: number,
  meanService: number,
  scv: number,
  arrivalScv = 1,
): StageQueue {
  const offeredLoad = arrivalRate * meanService;
  const utilisation = offeredLoad / servers;
  const exact = Math.abs(scv - 1) < 1e-12 && Math.abs(arrivalScv - 1) < 1e-12;
  if (utilisation >= 1) {
    return { utilisation, waiting: Infinity, sojourn: Infinity, wip: Infinity, exact };
  }
  const serviceRate = 1 / meanService;
  const waitingMmc =
    arrivalRate === 0 ? 0 : erlangC(servers, offeredLoad) / (servers * serviceRate - arrivalRate);
  const waiting = waitingMmc * ((arrivalScv + scv) / 2);
  const sojourn = waiting + meanService;
  return { utilisation, waiting, sojourn, wip: arrivalRate * sojourn, exact };
}
