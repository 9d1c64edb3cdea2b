// Scenario comparison: the baseline chain against any number of interventions, alone or combined,
// side by side — analytically and (by default) by simulation with common random numbers, so each
// difference carries a paired confidence interval. For every scenario it states which of the
// paper's three measures (Figure 1: budgetary efficiency, operational efficiency, effectiveness)
// actually moved beyond their uncertainty, and says so in plain words — including the near-zero
// effect of investing away from the bottleneck (Theory of Constraints, section 2.2.1 and 3.2).
import type { DeliveryChain, Intervention, TypologyCellNumber } from './model.ts';
import { analyseChain } from './analyse.ts';
import type { ChainAnalysis } from './analyse.ts';
import { applyInterventions, stagesTouched } from './interventions.ts';
import { simulateChain } from './simulate.ts';
import type { ReplicationResult, SimulationOptions, SimulationResult } from './simulate.ts';
import { estimate } from './stats.ts';
import type { Estimate } from './stats.ts';
import { chosenTypologyCells, suggestTypologyCells, typologyCell } from './typology.ts';
import type { TypologyColumn, TypologySuggestion } from './typology.ts';
import { duration, fmt, pct } from './explain.ts';

export interface ScenarioSpec {
  readonly id: string;
  readonly name: string;
  /** Ids of the interventions applied together, in order. */
  readonly interventions: readonly string[];
}

export interface CompareOptions {
  /** Interventions to draw on (default: those stored on the chain). */
  readonly interventions?: readonly Intervention[];
  /** Scenarios to compare (default: each intervention alone). The baseline is always included. */
  readonly scenarios?: readonly ScenarioSpec[];
  /** Simulation settings, or false for analytics only (default: 10 replications of 104 weeks). */
  readonly simulation?: SimulationOptions | false;
  /** Smallest relative change that counts as material (default 0.01 = 1%). */
  readonly materiality?: number;
}

export type MeasureKey =
  | 'costPerOutput'
  | 'costPerWeek'
  | 'throughputPerWeek'
  | 'leadTimeHours'
  | 'resourceHoursPerOutput'
  | 'backlogGrowthPerWeek'
  | 'outcomesPerWeek'
  | 'outcomeShare';

export interface MeasureComparison {
  readonly key: MeasureKey;
  readonly family: TypologyColumn;
  readonly label: string;
  readonly higherIsBetter: boolean;
  /** Closed-form values (null where no steady state exists, e.g. lead time of an unstable chain). */
  readonly analytic: { readonly baseline: number | null; readonly value: number | null };
  /** Simulated values and the paired difference (scenario − baseline), when simulated. */
  readonly simulated: {
    readonly baseline: Estimate;
    readonly value: Estimate;
    readonly difference: Estimate;
  } | null;
  /** Relative change (value / baseline − 1) on the basis used. */
  readonly relativeChange: number | null;
  /** True when the change is beyond its uncertainty and at least the materiality threshold. */
  readonly moved: boolean;
  readonly direction: 'better' | 'worse' | 'unchanged';
  readonly basis: 'simulation' | 'analytic';
}

export interface ScenarioResult {
  readonly id: string;
  readonly name: string;
  readonly interventions: readonly {
    readonly id: string;
    readonly name: string;
    readonly typologyCells: readonly TypologyCellNumber[];
    readonly suggestedCells: readonly TypologySuggestion[];
  }[];
  readonly chain: DeliveryChain;
  readonly analysis: ChainAnalysis;
  readonly simulation: SimulationResult | null;
  readonly measures: readonly MeasureComparison[];
  /** Whether any measure of each family moved, and which way. */
  readonly moved: Readonly<Record<TypologyColumn, 'better' | 'worse' | 'mixed' | 'no'>>;
  readonly findings: readonly string[];
}

export interface ScenarioComparison {
  readonly baseline: ScenarioResult;
  readonly scenarios: readonly ScenarioResult[];
  readonly materiality: number;
  readonly notes: readonly string[];
}

const MEASURES: readonly {
  key: MeasureKey;
  family: TypologyColumn;
  label: string;
  higherIsBetter: boolean;
  analytic: (a: ChainAnalysis) => number | null;
  simulated: ((r: ReplicationResult) => number) | null;
}[] = [
  {
    key: 'costPerOutput',
    family: 'budgetary',
    label: 'Cost per output',
    higherIsBetter: false,
    analytic: (a) => a.cost.perOutput,
    simulated: (r) => r.costPerOutput,
  },
  {
    key: 'costPerWeek',
    family: 'budgetary',
    label: 'Input cost per week',
    higherIsBetter: false,
    analytic: (a) => a.cost.totalPerWeek,
    simulated: (r) => r.costPerWeek,
  },
  {
    key: 'throughputPerWeek',
    family: 'operational',
    label: 'Throughput (outputs a week)',
    higherIsBetter: true,
    analytic: (a) => a.throughputPerWeek,
    simulated: (r) => r.throughputPerWeek,
  },
  {
    key: 'leadTimeHours',
    family: 'operational',
    label: 'Mean lead time (hours)',
    higherIsBetter: false,
    analytic: (a) => a.leadTimeHours,
    simulated: (r) => r.meanLeadTimeHours,
  },
  {
    key: 'resourceHoursPerOutput',
    family: 'operational',
    label: 'Working hours per output',
    higherIsBetter: false,
    analytic: (a) => a.resourceHoursPerOutput,
    simulated: (r) => r.resourceHoursPerOutput,
  },
  {
    key: 'backlogGrowthPerWeek',
    family: 'operational',
    label: 'Backlog growth a week',
    higherIsBetter: false,
    analytic: (a) => a.backlogGrowthPerWeek,
    simulated: null,
  },
  {
    key: 'outcomesPerWeek',
    family: 'effectiveness',
    label: 'Outcomes a week',
    higherIsBetter: true,
    analytic: (a) => a.outcomesPerWeek,
    simulated: (r) => r.outcomesPerWeek,
  },
  {
    key: 'outcomeShare',
    family: 'effectiveness',
    label: 'Outcomes per output',
    higherIsBetter: true,
    analytic: (a) => a.outcomeShare,
    simulated: (r) =>
      r.throughputPerWeek > 0 ? r.outcomesPerWeek / r.throughputPerWeek : Number.NaN,
  },
];

function compareMeasure(
  m: (typeof MEASURES)[number],
  base: { analysis: ChainAnalysis; simulation: SimulationResult | null },
  scen: { analysis: ChainAnalysis; simulation: SimulationResult | null },
  materiality: number,
  confidence: number,
): MeasureComparison {
  const a0 = m.analytic(base.analysis);
  const a1 = m.analytic(scen.analysis);
  const clean = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : x);
  const analytic = { baseline: clean(a0), value: clean(a1) };
  let simulated: MeasureComparison['simulated'] = null;
  let relativeChange: number | null = null;
  let moved = false;
  let delta = 0;
  let basis: MeasureComparison['basis'] = 'analytic';
  if (m.simulated !== null && base.simulation !== null && scen.simulation !== null) {
    const f = m.simulated;
    const r0 = base.simulation.perReplication;
    const r1 = scen.simulation.perReplication;
    const pairs = r0
      .map((r, i) => [f(r), f(r1[i] as ReplicationResult)] as const)
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pairs.length > 0) {
      const b = estimate(
        pairs.map(([x]) => x),
        confidence,
      );
      const v = estimate(
        pairs.map(([, y]) => y),
        confidence,
      );
      const d = estimate(
        pairs.map(([x, y]) => y - x),
        confidence,
      );
      simulated = { baseline: b, value: v, difference: d };
      basis = 'simulation';
      delta = d.mean;
      relativeChange = b.mean !== 0 ? d.mean / Math.abs(b.mean) : null;
      const beyondNoise = pairs.length > 1 ? d.low > 0 || d.high < 0 : d.mean !== 0;
      moved = beyondNoise && Math.abs(d.mean) > materiality * Math.max(Math.abs(b.mean), 1e-12);
    }
  }
  if (basis === 'analytic') {
    if (analytic.baseline !== null && analytic.value !== null) {
      delta = analytic.value - analytic.baseline;
      const scale = Math.max(Math.abs(analytic.baseline), Math.abs(analytic.value));
      relativeChange = analytic.baseline !== 0 ? delta / Math.abs(analytic.baseline) : null;
      moved = scale > 0 && Math.abs(delta) > materiality * scale;
    } else if ((analytic.baseline === null) !== (analytic.value === null)) {
      // One side has no steady state (e.g. lead time grows without limit): that is a real change.
      moved = true;
      delta = analytic.value === null ? Infinity : -Infinity;
    }
  }
  const better = m.higherIsBetter ? delta > 0 : delta < 0;
  return {
    key: m.key,
    family: m.family,
    label: m.label,
    higherIsBetter: m.higherIsBetter,
    analytic,
    simulated,
    relativeChange,
    moved,
    direction: moved ? (better ? 'better' : 'worse') : 'unchanged',
    basis,
  };
}

function signed(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '';
  const p = Math.round(x * 1000) / 10;
  return `${p > 0 ? '+' : ''}${p.toFixed(1)}%`;
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

function describe(
  chain: DeliveryChain,
  base: ScenarioResult | null,
  result: Omit<ScenarioResult, 'findings'>,
  touched: readonly string[],
): string[] {
  if (base === null) return [...result.analysis.findings];
  const unit = chain.unitOfWork.plural;
  const out: string[] = [];
  const m = (k: MeasureKey): MeasureComparison | undefined =>
    result.measures.find((x) => x.key === k);
  const value = (x: MeasureComparison | undefined, which: 'baseline' | 'value'): number | null =>
    x === undefined ? null : x.simulated !== null ? x.simulated[which].mean : x.analytic[which];
  const b0 = base.analysis.bottleneck;
  const b1 = result.analysis.bottleneck;

  const tp = m('throughputPerWeek');
  if (tp !== undefined) {
    const t0 = value(tp, 'baseline') ?? 0;
    const t1 = value(tp, 'value') ?? 0;
    if (!tp.moved) {
      const names = touched.map((id) => chain.stages.find((s) => s.id === id)?.name ?? id);
      if (touched.length > 0 && !touched.includes(b0.stageId)) {
        out.push(
          `No effect on throughput: ${listNames(names)} ${names.length === 1 ? 'is' : 'are'} not the bottleneck (${b0.name} is). Throughput stays at ${fmt(t1)} ${unit} a week (${signed(tp.relativeChange) || '0.0%'}).`,
        );
      } else {
        out.push(
          `No material effect on throughput: ${fmt(t0)} → ${fmt(t1)} ${unit} a week (${signed(tp.relativeChange) || '0.0%'}).`,
        );
      }
      if (
        base.analysis.stable &&
        result.analysis.stable &&
        tp.moved === false &&
        touched.includes(b0.stageId)
      ) {
        out.push(
          'Every stage already keeps up, so demand, not capacity, sets throughput; relieving the bottleneck shortens queues instead.',
        );
      }
    } else {
      out.push(
        `Throughput ${t1 > t0 ? 'rises' : 'falls'} from ${fmt(t0)} to ${fmt(t1)} ${unit} a week (${signed(tp.relativeChange)}).`,
      );
    }
  }
  if (b1.stageId !== b0.stageId) {
    out.push(
      `The bottleneck moves from ${b0.name} to ${b1.name} (now at ${pct(b1.utilisation)} of capacity).`,
    );
  } else {
    out.push(
      `${b1.name} is still the bottleneck (${pct(b0.utilisation)} → ${pct(b1.utilisation)} of capacity).`,
    );
  }
  if (!base.analysis.stable && result.analysis.stable) {
    out.push('The backlog stops growing: every stage now keeps up with demand.');
  } else if (base.analysis.stable && !result.analysis.stable) {
    out.push(
      `A backlog now builds at ${b1.name}: it grows by ${fmt(result.analysis.backlogGrowthPerWeek)} ${unit} a week.`,
    );
  } else if (!result.analysis.stable) {
    out.push(
      `The backlog still grows, by ${fmt(result.analysis.backlogGrowthPerWeek)} ${unit} a week (was ${fmt(base.analysis.backlogGrowthPerWeek)}).`,
    );
  }
  const lt = m('leadTimeHours');
  if (lt?.moved === true) {
    const l0 = value(lt, 'baseline');
    const l1 = value(lt, 'value');
    if (l0 !== null && l1 !== null && Number.isFinite(l0) && Number.isFinite(l1)) {
      out.push(
        `Mean lead time ${l1 < l0 ? 'falls' : 'rises'} from ${duration(l0, chain.hoursPerWeek)} to ${duration(l1, chain.hoursPerWeek)} (${signed(lt.relativeChange)})${lt.basis === 'simulation' && !(base.analysis.stable && result.analysis.stable) ? ' over the simulated horizon' : ''}.`,
      );
    }
  }
  const oc = m('outcomesPerWeek');
  if (oc?.moved === true) {
    const o0 = value(oc, 'baseline') ?? 0;
    const o1 = value(oc, 'value') ?? 0;
    out.push(
      `${chain.outcomeName.charAt(0).toUpperCase()}${chain.outcomeName.slice(1)} ${o1 > o0 ? 'rise' : 'fall'} from ${fmt(o0)} to ${fmt(o1)} a week (${signed(oc.relativeChange)}).`,
    );
  }
  const cpo = m('costPerOutput');
  if (cpo?.moved === true) {
    out.push(
      `Cost per output ${cpo.direction === 'better' ? 'falls' : 'rises'} from ${fmt(value(cpo, 'baseline') ?? 0, 0)} to ${fmt(value(cpo, 'value') ?? 0, 0)} (${signed(cpo.relativeChange)}).`,
    );
  }
  const families: TypologyColumn[] = ['budgetary', 'operational', 'effectiveness'];
  const label: Record<TypologyColumn, string> = {
    budgetary: 'budgetary efficiency',
    operational: 'operational efficiency',
    effectiveness: 'effectiveness',
  };
  const cells = [...new Set(result.interventions.flatMap((i) => i.typologyCells))].sort(
    (a, b) => a - b,
  );
  const measured = families
    .map((f) =>
      result.moved[f] === 'no'
        ? `${label[f]} did not move`
        : `${label[f]} moved (${result.moved[f]})`,
    )
    .join('; ');
  if (cells.length > 0) {
    out.push(
      `Typology (Figure 2): cell${cells.length === 1 ? '' : 's'} ${cells.join(', ')}. Measured: ${measured}.`,
    );
    for (const f of families) {
      const claimed = cells.filter((c) => typologyCell(c).column === f);
      if (claimed.length > 0 && result.moved[f] === 'no') {
        out.push(
          `Classified under ${label[f]} (cell ${claimed.join(', ')}), but no ${label[f]} measure moved beyond its uncertainty.`,
        );
      }
    }
  } else {
    out.push(`Measured: ${measured}.`);
  }
  return out;
}

/** Compares the baseline with each scenario. Throws only if an intervention is unknown or breaks the chain. */
export function compareScenarios(
  chain: DeliveryChain,
  options: CompareOptions = {},
): ScenarioComparison {
  const interventions = options.interventions ?? chain.interventions;
  const byId = new Map(interventions.map((i) => [i.id, i]));
  const specs: readonly ScenarioSpec[] =
    options.scenarios ??
    interventions.map((i) => ({ id: i.id, name: i.name, interventions: [i.id] }));
  const materiality = options.materiality ?? 0.01;
  const simOptions: SimulationOptions | null =
    options.simulation === false
      ? null
      : { replications: 10, horizonHours: 104 * chain.hoursPerWeek, ...(options.simulation ?? {}) };
  const confidence = simOptions?.confidence ?? 0.95;

  const run = (
    c: DeliveryChain,
  ): { analysis: ChainAnalysis; simulation: SimulationResult | null } => ({
    analysis: analyseChain(c),
    // Same options and seed for every scenario: common random numbers make the paired differences tight.
    simulation: simOptions === null ? null : simulateChain(c, simOptions),
  });

  const base = run(chain);
  const families: TypologyColumn[] = ['budgetary', 'operational', 'effectiveness'];
  const noMove = { budgetary: 'no', operational: 'no', effectiveness: 'no' } as const;
  const baseline: ScenarioResult = {
    id: 'baseline',
    name: 'Baseline',
    interventions: [],
    chain,
    ...base,
    measures: MEASURES.map((m) => compareMeasure(m, base, base, materiality, confidence)),
    moved: noMove,
    findings: [...base.analysis.findings],
  };

  const scenarios = specs.map((spec): ScenarioResult => {
    const chosen = spec.interventions.map((id) => {
      const found = byId.get(id);
      if (found === undefined) throw new Error(`scenario "${spec.id}": no intervention "${id}"`);
      return found;
    });
    const applied = applyInterventions(chain, chosen);
    if (!applied.ok) {
      throw new Error(`scenario "${spec.id}": ${applied.issues.map((i) => i.message).join('; ')}`);
    }
    const result = run(applied.chain);
    const measures = MEASURES.map((m) => compareMeasure(m, base, result, materiality, confidence));
    const moved = Object.fromEntries(
      families.map((f) => {
        const ms = measures.filter((x) => x.family === f && x.moved);
        const better = ms.some((x) => x.direction === 'better');
        const worse = ms.some((x) => x.direction === 'worse');
        return [f, better && worse ? 'mixed' : better ? 'better' : worse ? 'worse' : 'no'];
      }),
    ) as ScenarioResult['moved'];
    const partial = {
      id: spec.id,
      name: spec.name,
      interventions: chosen.map((i) => ({
        id: i.id,
        name: i.name,
        typologyCells: chosenTypologyCells(i, chain),
        suggestedCells: suggestTypologyCells(i, chain),
      })),
      chain: applied.chain,
      ...result,
      measures,
      moved,
    };
    const touched = [...new Set(chosen.flatMap((i) => stagesTouched(i)))];
    return { ...partial, findings: describe(chain, baseline, partial, touched) };
  });

  const notes: string[] = [
    `A measure "moved" when it changed by more than ${pct(materiality)} and, when simulated, the ${pct(confidence)} confidence interval of the paired difference excludes zero.`,
  ];
  if (simOptions !== null) {
    notes.push(
      `Simulated: ${simOptions.replications ?? 5} replications per scenario with the same seeds (common random numbers), ${fmt((simOptions.horizonHours ?? 52 * chain.hoursPerWeek) / chain.hoursPerWeek, 0)} weeks each.`,
    );
  }
  return { baseline, scenarios, materiality, notes };
}
