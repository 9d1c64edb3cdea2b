// Closed forms against simulation: where the queueing formulas (analyse.ts, queueing.ts) and the
// simulator (simulate.ts) give different figures, say which to trust and why — in the words a
// service manager uses. The formulas are exact only for exponential service times, random (Poisson)
// arrivals at a constant rate and a chain that keeps up; otherwise they approximate (Allen–Cunneen
// for general service times, checked against simulation over a grid of coefficients of variation
// in queueing.test.ts), and an overloaded chain has no steady state for them to describe.
import type { DeliveryChain } from './model.ts';
import type { ChainAnalysis } from './analyse.ts';
import type { SimulationResult } from './simulate.ts';
import type { Estimate } from './stats.ts';
import { fmt, pct } from './explain.ts';

export type Trust = 'either' | 'formulas' | 'simulation';

export interface AgreementRow {
  readonly label: string;
  readonly format: 'hours' | 'number' | 'percent';
  /** Closed form; null where the formulas give none (no steady state). */
  readonly closedForm: number | null;
  readonly simulated: Estimate;
  /** Within the simulation's interval, or within 5% of the closed form. */
  readonly agrees: boolean;
}

export interface Agreement {
  readonly trust: Trust;
  /** One sentence: which figures to use and why. */
  readonly summary: string;
  /** Why the two can differ for this chain (empty when the formulas are exact and agree). */
  readonly reasons: readonly string[];
  readonly rows: readonly AgreementRow[];
}

/** Share of the closed form within which a simulated mean counts as agreeing, whatever its interval. */
export const AGREEMENT_TOLERANCE = 0.05;

function row(
  label: string,
  format: AgreementRow['format'],
  closedForm: number | null,
  simulated: Estimate,
): AgreementRow {
  const agrees =
    closedForm !== null &&
    Number.isFinite(closedForm) &&
    Number.isFinite(simulated.mean) &&
    (Math.abs(closedForm - simulated.mean) <= simulated.halfWidth ||
      Math.abs(closedForm - simulated.mean) <= AGREEMENT_TOLERANCE * Math.abs(closedForm));
  return { label, format, closedForm, simulated, agrees };
}

/** Compares the closed forms of a chain with its simulation and says which to trust. */
export function closedFormVersusSimulation(
  chain: DeliveryChain,
  analysis: ChainAnalysis,
  simulation: SimulationResult,
): Agreement {
  const hpw = chain.hoursPerWeek;
  const unit = chain.unitOfWork.plural;
  const weeks = fmt((simulation.horizonHours - simulation.warmupHours) / hpw, 0);
  const bottleneck = analysis.stages.find((s) => s.id === analysis.bottleneck.stageId);
  const simBottleneck = simulation.stages.find((s) => s.id === analysis.bottleneck.stageId);
  const rows: AgreementRow[] = [
    row(
      `Outputs a week (throughput)`,
      'number',
      analysis.throughputPerWeek,
      simulation.throughputPerWeek,
    ),
    row('Mean lead time', 'hours', analysis.leadTimeHours, simulation.leadTimeHours.mean),
  ];
  if (bottleneck !== undefined && simBottleneck !== undefined) {
    rows.push(
      row(
        `Wait before ${bottleneck.name} (the bottleneck)`,
        'hours',
        bottleneck.waitingHours,
        simBottleneck.waitingHours,
      ),
      row(
        `${bottleneck.name}: share of time busy`,
        'percent',
        Math.min(1, bottleneck.utilisation),
        simBottleneck.utilisation,
      ),
    );
  }

  const reasons: string[] = [];
  const general = analysis.stages.filter((a) => Math.abs(a.serviceScv - 1) > 1e-9);
  if (general.length > 0) {
    const names = general.map((a) => {
      const kind = chain.stages.find((s) => s.id === a.id)?.service.kind ?? 'general';
      return `${a.name} (${kind}, variability ${fmt(Math.sqrt(a.serviceScv), 2)})`;
    });
    reasons.push(
      `Times at ${names.join(', ')} are not exponential, so the formulas use the Allen–Cunneen approximation. For one stage with random arrivals it is within about 10% of simulation (checked in tests for variability 0.5 to 2 and 50% to 90% busy); behind other stages, where arrivals are more regular or more bunched than random, it can be further out.`,
    );
  }
  const rework = chain.stages.filter((s) => s.routes.some((r) => r.rework === true));
  if (rework.length > 0) {
    reasons.push(
      `Rework sends cases back (from ${rework.map((s) => s.name).join(', ')}): the formulas count the extra visits exactly but treat the returning cases as arriving at random, which they are only with exponential times.`,
    );
  }
  if (chain.demand.some((d) => d.profile !== undefined)) {
    reasons.push(
      'Demand varies over time: the formulas use the average rate and so miss the queues that build at peaks; the simulation follows the pattern.',
    );
  }
  if (chain.calendar !== undefined || (chain.pools?.length ?? 0) > 0) {
    reasons.push(
      'Staff work to rosters (or share a pool): the formulas use the average staff on duty over the week and a smoothed model of the work that piles up while nobody is on duty; the simulation follows the rosters hour by hour, so use it for waiting and lead time.',
    );
  }
  if (!analysis.stable) {
    reasons.push(
      `Demand exceeds what ${analysis.bottleneck.name} can handle (${pct(analysis.bottleneck.utilisation)} of capacity): the backlog grows, so there is no steady state. The formulas give no lead time; the simulated one is only for the ${weeks} weeks simulated and grows with a longer run.`,
    );
  }
  if (!simulation.warmup.settled) {
    reasons.push(simulation.warmup.explanation);
  }
  reasons.push(
    `The simulation covers ${weeks} weeks after its warm-up, ${simulation.replications} times; each simulated figure carries its ${pct(simulation.confidence)} interval, which narrows with more or longer runs.`,
  );

  const compared = rows.filter((r) => r.closedForm !== null);
  const disagree = compared.filter((r) => !r.agrees);
  const exact = analysis.method === 'exact' && analysis.stable;
  let trust: Trust;
  let summary: string;
  if (!analysis.stable) {
    trust = 'simulation';
    summary = `Use the simulation: demand exceeds capacity, so the formulas can only say that a backlog builds (${fmt(analysis.backlogGrowthPerWeek)} ${unit} a week) and that throughput is capped at the bottleneck; how long ${unit} take depends on how long the backlog has been growing.`;
  } else if (disagree.length === 0) {
    trust = 'either';
    summary = exact
      ? 'The formulas and the simulation agree; for this chain the formulas are exact, so either can be used.'
      : 'The formulas and the simulation agree within the simulation’s uncertainty, so the approximations hold well here; either can be used.';
  } else if (exact) {
    trust = 'formulas';
    summary = `Use the formulas: they are exact for this chain (exponential times, random arrivals at a steady rate, every stage keeps up). The simulation differs on ${disagree.map((r) => r.label.toLowerCase()).join(', ')} only by chance or because the run is short; run it longer to see it close in.`;
  } else {
    trust = 'simulation';
    summary = `Use the simulation for ${disagree.map((r) => r.label.toLowerCase()).join(', ')}: it draws the actual distributions and routing, where the formulas approximate (reasons below). The formulas remain a quick first estimate.`;
  }
  return { trust, summary, reasons, rows };
}
