// The paper's three measures of a delivery chain (section 2.2.1, Figure 1), each the ratio the paper
// means, and the test of whether a measure moved between two versions of a chain:
//   - budgetary efficiency, how well inputs are bought: the price of one unit of input (an hour of
//     staff or machine time, one use of a per-case charge such as a licence, one unit of a fixed
//     input), compared at the baseline's quantities so that buying more or less is not a price;
//   - operational efficiency, inputs turned into outputs: outputs per staff hour, cost per output
//     at the baseline's prices (so a cheaper input is not counted twice), and the flow of work that
//     the Theory of Constraints watches (throughput, lead time, backlog);
//   - effectiveness, outputs turned into outcomes: outcomes per output.
// Outcomes a week and the all-in cost per output are shown as context and belong to no family:
// outcomes a week rise with volume alone, and the all-in cost per output mixes price and quantity
// (RESEARCH.md, "The three measures are ratios of different things").
import type { DeliveryChain } from './model.ts';
import { isQueued } from './model.ts';
import type { ChainAnalysis } from './analyse.ts';
import type { ReplicationResult, SimulationResult } from './simulate.ts';
import { estimate } from './stats.ts';
import type { Estimate } from './stats.ts';
import { duration, fmt, pct, signedChange } from './explain.ts';

/** Figure 1's three measures; also the columns of Figure 2. */
export type MeasureFamily = 'budgetary' | 'operational' | 'effectiveness';
/** A family, or "context": shown beside the measures but never counted in a family. */
export type MeasureGroup = MeasureFamily | 'context';
export type Movement = 'better' | 'worse' | 'mixed' | 'no';
export type MeasureFormat = 'money' | 'percent' | 'number' | 'hours';

export const MEASURE_FAMILIES: readonly MeasureFamily[] = [
  'budgetary',
  'operational',
  'effectiveness',
];

/** What each family measures, in plain words, for pages and reports (Figure 1). */
export const FAMILY_DEFINITIONS: Readonly<
  Record<MeasureFamily, { readonly label: string; readonly definition: string }>
> = {
  budgetary: {
    label: 'Budgetary efficiency',
    definition:
      'How well inputs are bought: the price paid for each unit of input, such as an hour of staff time, a licence or a charge per case (paper section 2.2.1, Figure 1).',
  },
  operational: {
    label: 'Operational efficiency',
    definition:
      'How inputs are turned into outputs: outputs per staff hour, cost per output at unchanged prices, and how fast work flows through the chain (paper section 2.2.1, Figure 1).',
  },
  effectiveness: {
    label: 'Effectiveness',
    definition:
      'How outputs achieve outcomes: the share of outputs that achieve the outcome the service exists for (paper section 2.2.1, Figure 1).',
  },
};

export const CONTEXT_DEFINITION =
  'Volumes and totals, shown for context: they can rise with the amount of work alone, so they do not count towards any of the three measures.';

export type MeasureKey =
  | 'costPerStaffHour'
  | 'costPerCaseUse'
  | 'costPerInputUnit'
  | 'throughputPerWeek'
  | 'leadTimeHours'
  | 'backlogGrowthPerWeek'
  | 'outputsPerStaffHour'
  | 'costPerOutputAtBaselinePrices'
  | 'outcomeShare'
  | 'outcomesPerWeek'
  | 'costPerOutput'
  | 'costPerWeek'
  | 'resourceHoursPerOutput';

export interface MeasureComparison {
  readonly key: MeasureKey;
  readonly family: MeasureGroup;
  readonly label: string;
  /** What the measure is, in one plain sentence. */
  readonly definition: string;
  readonly format: MeasureFormat;
  readonly higherIsBetter: boolean;
  /**
   * Closed-form values. null means no steady state (lead time of a chain whose backlog grows) for
   * flow measures, and "no such input" for prices (a chain with no per-case charge).
   */
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
  /**
   * The test behind `moved` when simulated and judged with the other measures (scenarios.ts):
   * paired t-test p-value, the level Holm's procedure judged it at, and the verdict. The simulated
   * `difference` interval is then at confidence 1 − level, so it agrees with the verdict.
   */
  readonly test?: MeasureTest;
  readonly direction: 'better' | 'worse' | 'unchanged';
  readonly basis: 'simulation' | 'analytic';
}

/** What a simulated difference amounts to once every test in the comparison is allowed for. */
export type Verdict = 'moved' | 'no-detectable-effect' | 'immaterial';

export interface MeasureTest {
  readonly pValue: number;
  /** Significance level this test was judged at (Holm–Bonferroni over `tests` tests). */
  readonly level: number;
  readonly tests: number;
  readonly rejected: boolean;
  readonly verdict: Verdict;
}

/** One version of a chain with its closed-form analysis and, optionally, its simulation. */
export interface MeasuredChain {
  readonly chain: DeliveryChain;
  readonly analysis: ChainAnalysis;
  readonly simulation: SimulationResult | null;
}

// ---- units of input and their prices ----

type LineKind = 'stage-hour' | 'case-use' | 'fixed';

/** One kind of input the chain buys: its price per unit and how many units it uses a week. */
interface InputLine {
  /** Matches the same input across versions of a chain (an exchanged input takes the key of the one it replaces). */
  readonly key: string;
  readonly kind: LineKind;
  readonly unitPrice: number;
  readonly unitsPerWeek: number;
}

/** Share of each stage's demand that is served: 1 unless the bottleneck cannot keep up. */
function servedShare(analysis: ChainAnalysis): number {
  const rhoMax = Math.max(0, ...analysis.stages.map((s) => s.utilisation));
  return analysis.stable || rhoMax <= 0 ? 1 : 1 / rhoMax;
}

/**
 * The units of input a chain buys. `casesPerWeek` gives the services finished per week at each stage
 * (from a simulation run); without it, the closed-form flows are used.
 */
function inputLines(
  chain: DeliveryChain,
  analysis: ChainAnalysis,
  casesPerWeek?: readonly number[],
): InputLine[] {
  const served = servedShare(analysis);
  const lines: InputLine[] = [];
  chain.stages.forEach((stage, i) => {
    // A delay (or a stage whose staff are unknown) buys no staff hours.
    if (isQueued(stage))
      lines.push({
        key: `stage:${stage.id}`,
        kind: 'stage-hour',
        unitPrice: staffPrice(chain, stage),
        unitsPerWeek: staffOnDuty(analysis, i, stage) * chain.hoursPerWeek,
      });
    // A per-case charge of 0 is no input at all: nothing is bought.
    if (stage.costPerCase > 0) {
      const flow = casesPerWeek?.[i] ?? (analysis.stages[i]?.visitsPerWeek ?? 0) * served;
      lines.push({
        key: `case:${stage.id}`,
        kind: 'case-use',
        unitPrice: stage.costPerCase,
        unitsPerWeek: flow,
      });
    }
  });
  for (const input of chain.inputs) {
    const quantity = input.quantity ?? 1;
    lines.push({
      key: `input:${input.replaces ?? input.id}`,
      kind: 'fixed',
      unitPrice: input.costPerWeek / quantity,
      unitsPerWeek: quantity,
    });
  }
  return lines;
}

/**
 * The price of one unit of input of a kind, over the inputs bought in both versions, weighted by
 * the baseline's quantities (a fixed-basket price, as a price index is): buying more hours or fewer
 * licences leaves it unchanged, a cheaper hour or an input exchanged for a cheaper one lowers it.
 * null when the baseline buys no input of this kind, or none of them is still bought.
 */
function priceAtBaselineQuantities(
  kind: LineKind,
  scenario: readonly InputLine[],
  baseline: readonly InputLine[],
): number | null {
  const now = new Map(scenario.filter((l) => l.kind === kind).map((l) => [l.key, l]));
  let weight = 0;
  let value = 0;
  let plain = 0;
  let matched = 0;
  for (const b of baseline) {
    const s = b.kind === kind ? now.get(b.key) : undefined;
    if (s === undefined) continue;
    weight += b.unitsPerWeek;
    value += b.unitsPerWeek * s.unitPrice;
    plain += s.unitPrice;
    matched += 1;
  }
  if (matched === 0) return null;
  // With no demand, per-case charges have no weight: fall back to the plain average price.
  return weight > 0 ? value / weight : plain / matched;
}

/**
 * What the scenario's inputs cost a week at the baseline's prices. An input new in the scenario has
 * no baseline price and is valued at its own; an exchanged input at the price of the one it replaces.
 */
function costAtBaselinePrices(
  scenario: readonly InputLine[],
  baseline: readonly InputLine[],
): number {
  const price = new Map(baseline.map((l) => [l.key, l.unitPrice]));
  return scenario.reduce((sum, l) => sum + l.unitsPerWeek * (price.get(l.key) ?? l.unitPrice), 0);
}

/**
 * Staff a stage pays for on average over the week: its servers round the clock, or the average on
 * duty under a roster (a pool's staff shared between its stages by their work), so that staff are
 * counted for the hours they are paid, not for all 168 hours of a calendar week.
 */
function staffOnDuty(
  analysis: ChainAnalysis,
  i: number,
  stage: DeliveryChain['stages'][number],
): number {
  return analysis.stages[i]?.serversOnDuty ?? stage.servers;
}

/** Price of an hour of a stage's staff: its own, or its pool's. */
function staffPrice(chain: DeliveryChain, stage: DeliveryChain['stages'][number]): number {
  if (stage.pool === undefined) return stage.costPerServerHour;
  return chain.pools?.find((p) => p.id === stage.pool)?.costPerServerHour ?? 0;
}

function paidStaffHoursPerWeek(chain: DeliveryChain, analysis: ChainAnalysis): number {
  return chain.stages.reduce(
    (s, st, i) => s + (isQueued(st) ? staffOnDuty(analysis, i, st) * chain.hoursPerWeek : 0),
    0,
  );
}

function perOutput(totalPerWeek: number, outputsPerWeek: number): number {
  return outputsPerWeek > 0 ? totalPerWeek / outputsPerWeek : Number.NaN;
}

// ---- the measures ----

export interface MeasureDef {
  readonly key: MeasureKey;
  readonly family: MeasureGroup;
  readonly label: string;
  readonly definition: string;
  readonly format: MeasureFormat;
  readonly higherIsBetter: boolean;
  /** What a null value means: no steady state (a real change when one side has it) or no such input. */
  readonly whenMissing: 'unbounded' | 'none';
  readonly analytic: (scenario: MeasuredChain, baseline: MeasuredChain) => number | null;
  readonly simulated:
    ((r: ReplicationResult, scenario: MeasuredChain, baseline: MeasuredChain) => number) | null;
}

const lines = (m: MeasuredChain): InputLine[] => inputLines(m.chain, m.analysis);
const price =
  (kind: LineKind) =>
  (s: MeasuredChain, b: MeasuredChain): number | null =>
    priceAtBaselineQuantities(kind, lines(s), lines(b));

export const MEASURES: readonly MeasureDef[] = [
  {
    key: 'costPerStaffHour',
    family: 'budgetary',
    label: 'Cost per staff or machine hour',
    definition:
      'The price of an hour of work at the stages, on the baseline’s mix of hours: it moves when an hour is bought more cheaply or staff are exchanged for a cheaper resource, not when more or fewer hours are bought.',
    format: 'money',
    higherIsBetter: false,
    whenMissing: 'none',
    analytic: price('stage-hour'),
    simulated: null,
  },
  {
    key: 'costPerCaseUse',
    family: 'budgetary',
    label: 'Cost per use of per-case inputs',
    definition:
      'The price paid each time a case uses an input charged per case, such as a licence per use or a fee, on the baseline’s mix of uses.',
    format: 'money',
    higherIsBetter: false,
    whenMissing: 'none',
    analytic: price('case-use'),
    simulated: null,
  },
  {
    key: 'costPerInputUnit',
    family: 'budgetary',
    label: 'Cost per unit of other inputs, a week',
    definition:
      'The weekly price of one unit of the chain’s other inputs (a system licence, a vehicle), an exchanged input compared unit for unit with the one it replaces.',
    format: 'money',
    higherIsBetter: false,
    whenMissing: 'none',
    analytic: price('fixed'),
    simulated: null,
  },
  {
    key: 'outputsPerStaffHour',
    family: 'operational',
    label: 'Outputs per staff hour',
    definition:
      'Outputs delivered for each paid hour of staff or machine time at the stages: time saved only counts when it turns into more outputs or fewer hours.',
    format: 'number',
    higherIsBetter: true,
    whenMissing: 'unbounded',
    analytic: (s) => s.analysis.throughputPerWeek / paidStaffHoursPerWeek(s.chain, s.analysis),
    simulated: (r, s) => r.throughputPerWeek / paidStaffHoursPerWeek(s.chain, s.analysis),
  },
  {
    key: 'costPerOutputAtBaselinePrices',
    family: 'operational',
    label: 'Cost per output at baseline prices',
    definition:
      'What the inputs used for one output cost at the baseline’s prices, so that it shows how much input an output takes and a cheaper input is counted under budgetary efficiency only.',
    format: 'money',
    higherIsBetter: false,
    whenMissing: 'unbounded',
    analytic: (s, b) => {
      const v = perOutput(costAtBaselinePrices(lines(s), lines(b)), s.analysis.throughputPerWeek);
      return Number.isFinite(v) ? v : null;
    },
    simulated: (r, s, b) =>
      perOutput(
        costAtBaselinePrices(inputLines(s.chain, s.analysis, r.completionsPerWeek), lines(b)),
        r.throughputPerWeek,
      ),
  },
  {
    key: 'throughputPerWeek',
    family: 'operational',
    label: 'Outputs a week (throughput)',
    definition:
      'How many outputs the chain delivers a week: the pace the bottleneck sets (Theory of Constraints, section 2.2.1).',
    format: 'number',
    higherIsBetter: true,
    whenMissing: 'unbounded',
    analytic: (s) => s.analysis.throughputPerWeek,
    simulated: (r) => r.throughputPerWeek,
  },
  {
    key: 'leadTimeHours',
    family: 'operational',
    label: 'Mean lead time',
    definition: 'How long a case takes on average from arriving to leaving the chain.',
    format: 'hours',
    higherIsBetter: false,
    whenMissing: 'unbounded',
    analytic: (s) => s.analysis.leadTimeHours,
    simulated: (r) => r.meanLeadTimeHours,
  },
  {
    key: 'backlogGrowthPerWeek',
    family: 'operational',
    label: 'Backlog growth a week',
    definition: 'Cases added each week to a queue that never clears, when demand exceeds capacity.',
    format: 'number',
    higherIsBetter: false,
    whenMissing: 'unbounded',
    analytic: (s) => s.analysis.backlogGrowthPerWeek,
    simulated: null,
  },
  {
    key: 'outcomeShare',
    family: 'effectiveness',
    label: 'Outcomes per output',
    definition:
      'The share of outputs that achieve the desired outcome: more outputs at the same share is an operational gain, not an effectiveness gain.',
    format: 'percent',
    higherIsBetter: true,
    whenMissing: 'none',
    analytic: (s) => (s.analysis.throughputPerWeek > 0 ? s.analysis.outcomeShare : null),
    simulated: (r) =>
      r.throughputPerWeek > 0 ? r.outcomesPerWeek / r.throughputPerWeek : Number.NaN,
  },
  {
    key: 'outcomesPerWeek',
    family: 'context',
    label: 'Outcomes a week',
    definition: 'How many outcomes are achieved a week: a volume, which rises with outputs alone.',
    format: 'number',
    higherIsBetter: true,
    whenMissing: 'none',
    analytic: (s) => s.analysis.outcomesPerWeek,
    simulated: (r) => r.outcomesPerWeek,
  },
  {
    key: 'costPerOutput',
    family: 'context',
    label: 'All-in cost per output',
    definition:
      'What one output costs at the scenario’s own prices: it mixes the price of inputs (budgetary) with how many are used (operational).',
    format: 'money',
    higherIsBetter: false,
    whenMissing: 'unbounded',
    analytic: (s) =>
      Number.isFinite(s.analysis.cost.perOutput) ? s.analysis.cost.perOutput : null,
    simulated: (r) => r.costPerOutput,
  },
  {
    key: 'costPerWeek',
    family: 'context',
    label: 'Spending a week',
    definition: 'What the chain’s inputs cost a week in total.',
    format: 'money',
    higherIsBetter: false,
    whenMissing: 'none',
    analytic: (s) => s.analysis.cost.totalPerWeek,
    simulated: (r) => r.costPerWeek,
  },
  {
    key: 'resourceHoursPerOutput',
    family: 'context',
    label: 'Hours of work per output',
    definition:
      'Hours staff or machines spend working on cases per output. Time saved here raises productivity only if it is used: see outputs per staff hour.',
    format: 'number',
    higherIsBetter: false,
    whenMissing: 'unbounded',
    analytic: (s) =>
      Number.isFinite(s.analysis.resourceHoursPerOutput) ? s.analysis.resourceHoursPerOutput : null,
    simulated: (r) => r.resourceHoursPerOutput,
  },
];

/**
 * The measure in each replication of the baseline and the scenario, paired by replication (the same
 * random numbers), finite pairs only; null when either side was not simulated or no pair is finite.
 */
export function pairedSamples(
  m: MeasureDef,
  base: MeasuredChain,
  scen: MeasuredChain,
): (readonly [number, number])[] | null {
  if (m.simulated === null || base.simulation === null || scen.simulation === null) return null;
  const f = m.simulated;
  const r1 = scen.simulation.perReplication;
  const pairs = base.simulation.perReplication
    .slice(0, r1.length)
    .map((r, i) => [f(r, base, base), f(r1[i] as ReplicationResult, scen, base)] as const)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  return pairs.length > 0 ? pairs : null;
}

function compareMeasure(
  m: MeasureDef,
  base: MeasuredChain,
  scen: MeasuredChain,
  materiality: number,
  confidence: number,
): MeasureComparison {
  const clean = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : x);
  const analytic = {
    baseline: clean(m.analytic(base, base)),
    value: clean(m.analytic(scen, base)),
  };
  let simulated: MeasureComparison['simulated'] = null;
  let relativeChange: number | null = null;
  let moved = false;
  let delta = 0;
  let basis: MeasureComparison['basis'] = 'analytic';
  const pairs = pairedSamples(m, base, scen);
  if (pairs !== null) {
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
  if (basis === 'analytic') {
    if (analytic.baseline !== null && analytic.value !== null) {
      delta = analytic.value - analytic.baseline;
      const scale = Math.max(Math.abs(analytic.baseline), Math.abs(analytic.value));
      relativeChange = analytic.baseline !== 0 ? delta / Math.abs(analytic.baseline) : null;
      moved = scale > 0 && Math.abs(delta) > materiality * scale;
    } else if (
      m.whenMissing === 'unbounded' &&
      (analytic.baseline === null) !== (analytic.value === null)
    ) {
      // One side has no steady state (e.g. lead time grows without limit): that is a real change.
      moved = true;
      delta = (analytic.value === null) === m.higherIsBetter ? -Infinity : Infinity;
    }
    // A price with no input on one side (a per-case charge added or dropped) is no price change.
  }
  const better = m.higherIsBetter ? delta > 0 : delta < 0;
  return {
    key: m.key,
    family: m.family,
    label: m.label,
    definition: m.definition,
    format: m.format,
    higherIsBetter: m.higherIsBetter,
    analytic,
    simulated,
    relativeChange,
    moved,
    direction: moved ? (better ? 'better' : 'worse') : 'unchanged',
    basis,
  };
}

/**
 * Every measure of `scenario` against `baseline`. A measure moved when its change exceeds
 * `materiality` (relative) and, when both are simulated with the same seeds, the confidence
 * interval of the paired difference excludes zero.
 */
export function compareMeasures(
  baseline: MeasuredChain,
  scenario: MeasuredChain,
  materiality = 0.01,
  confidence = 0.95,
): MeasureComparison[] {
  return MEASURES.map((m) => compareMeasure(m, baseline, scenario, materiality, confidence));
}

/** Whether any measure of each family moved, and which way. Context measures never count. */
export function familyMovement(
  measures: readonly MeasureComparison[],
): Readonly<Record<MeasureFamily, Movement>> {
  const out = { budgetary: 'no', operational: 'no', effectiveness: 'no' } as Record<
    MeasureFamily,
    Movement
  >;
  for (const f of MEASURE_FAMILIES) {
    const moved = measures.filter((x) => x.family === f && x.moved);
    const better = moved.some((x) => x.direction === 'better');
    const worse = moved.some((x) => x.direction === 'worse');
    out[f] = better && worse ? 'mixed' : better ? 'better' : worse ? 'worse' : 'no';
  }
  return out;
}

/** The value a comparison reports on its basis: the simulated mean, else the closed form. */
export function measureValue(m: MeasureComparison, which: 'baseline' | 'value'): number | null {
  return m.simulated !== null ? m.simulated[which].mean : m.analytic[which];
}

/** A measure's value in plain words ("£33.33" is left to the page: money has no symbol here). */
export function formatMeasure(
  x: number | null,
  format: MeasureFormat,
  hoursPerWeek: number,
  whenMissing: 'unbounded' | 'none' = 'none',
  /** The largest value shown beside it, so that both get the same number of decimals. */
  scale: number = x ?? 0,
): string {
  if (x === null || !Number.isFinite(x)) {
    return whenMissing === 'unbounded' ? 'growing without limit' : 'none';
  }
  switch (format) {
    case 'money':
      return fmt(x, Math.max(Math.abs(x), Math.abs(scale)) >= 100 ? 0 : 2);
    case 'percent':
      return pct(x);
    case 'hours':
      return duration(x, hoursPerWeek);
    case 'number': {
      const size = Math.max(Math.abs(x), Math.abs(scale));
      if (size === 0) return '0';
      return fmt(x, size >= 10 ? 1 : size >= 1 ? 2 : 3);
    }
  }
}

/** "Cost per staff or machine hour: down from 33.33 to 29.33 (−12.0%)". */
export function describeMovement(m: MeasureComparison, hoursPerWeek: number): string {
  const missing = MEASURES.find((d) => d.key === m.key)?.whenMissing ?? 'none';
  const b = measureValue(m, 'baseline');
  const v = measureValue(m, 'value');
  const scale = Math.max(Math.abs(b ?? 0), Math.abs(v ?? 0));
  const v0 = formatMeasure(b, m.format, hoursPerWeek, missing, Number.isFinite(scale) ? scale : 0);
  const v1 = formatMeasure(v, m.format, hoursPerWeek, missing, Number.isFinite(scale) ? scale : 0);
  const up =
    b !== null && v !== null && Number.isFinite(b) && Number.isFinite(v)
      ? v > b
      : m.higherIsBetter === (m.direction === 'better');
  const change = signedChange(m.relativeChange);
  return `${m.label}: ${up ? 'up' : 'down'} from ${v0} to ${v1}${change === '' ? '' : ` (${change})`}`;
}
