// Scenario comparison: the baseline chain against any number of interventions, alone or combined,
// side by side — analytically and (by default) by simulation with common random numbers, so each
// difference carries a paired confidence interval. For every scenario it states which of the
// paper's three measures (Figure 1, measures.ts: budgetary efficiency is the price of inputs,
// operational efficiency is inputs turned into outputs, effectiveness is outcomes per output)
// actually moved beyond their uncertainty, and says so in plain words — including the near-zero
// effect of investing away from the bottleneck (Theory of Constraints, section 2.2.1 and 3.2) and
// a typology cell (Figure 2) that the measures do not bear out.
import type { DeliveryChain, Intervention, TypologyCellNumber } from './model.ts';
import { analyseChain } from './analyse.ts';
import type { ChainAnalysis } from './analyse.ts';
import { applyInterventions, stagesTouched } from './interventions.ts';
import { simulateChain } from './simulate.ts';
import type { SimulationOptions, SimulationResult } from './simulate.ts';
import { readTypology, typologyCell } from './typology.ts';
import type { TypologyColumn, TypologyReading, TypologySuggestion } from './typology.ts';
import {
  FAMILY_DEFINITIONS,
  MEASURE_FAMILIES,
  compareMeasures,
  describeMovement,
  familyMovement,
  measureValue,
} from './measures.ts';
import type { MeasureComparison, MeasureKey, Movement } from './measures.ts';
import { duration, fmt, pct, signedChange } from './explain.ts';

export type { MeasureComparison, MeasureKey, Movement } from './measures.ts';

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

export interface ScenarioResult {
  readonly id: string;
  readonly name: string;
  readonly interventions: readonly {
    readonly id: string;
    readonly name: string;
    readonly typologyCells: readonly TypologyCellNumber[];
    readonly suggestedCells: readonly TypologySuggestion[];
    /** The paper's test per change and, per column, whether its measures moved (Figure 2). */
    readonly typology: TypologyReading;
  }[];
  readonly chain: DeliveryChain;
  readonly analysis: ChainAnalysis;
  readonly simulation: SimulationResult | null;
  readonly measures: readonly MeasureComparison[];
  /** Whether any measure of each family moved, and which way (context measures never count). */
  readonly moved: Readonly<Record<TypologyColumn, Movement>>;
  readonly findings: readonly string[];
}

export interface ScenarioComparison {
  readonly baseline: ScenarioResult;
  readonly scenarios: readonly ScenarioResult[];
  readonly materiality: number;
  readonly notes: readonly string[];
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

const ROW_WORDS = {
  substitution: 'a substitution',
  technical: 'a technical improvement',
} as const;

/** Whether the measures bear out the cells the scenario is classified in (Figure 2). */
function typologyFindings(
  chain: DeliveryChain,
  result: Omit<ScenarioResult, 'findings'>,
): string[] {
  const out: string[] = [];
  const cells = [...new Set(result.interventions.flatMap((i) => i.typologyCells))].sort(
    (a, b) => a - b,
  );
  const label = (f: TypologyColumn): string => FAMILY_DEFINITIONS[f].label.toLowerCase();
  const measured = MEASURE_FAMILIES.map((f) =>
    result.moved[f] === 'no'
      ? `${label(f)} did not move`
      : `${label(f)} moved (${result.moved[f]})`,
  ).join('; ');
  if (cells.length === 0) {
    out.push(`Measured: ${measured}.`);
    return out;
  }
  out.push(
    `Typology (Figure 2): cell${cells.length === 1 ? '' : 's'} ${cells.join(', ')}. Measured: ${measured}.`,
  );
  const volume = result.measures.find((m) => m.key === 'outcomesPerWeek');
  for (const f of MEASURE_FAMILIES) {
    const claimed = cells.filter((c) => typologyCell(c).column === f);
    if (claimed.length === 0) continue;
    const where = `Classified under ${label(f)} (cell ${claimed.join(', ')})`;
    if (result.moved[f] === 'no') {
      // Say where the gain went instead, for the two confusions the paper's ratios guard against.
      const instead =
        f === 'effectiveness' && volume?.moved === true
          ? ` ${capitalise(chain.outcomeName)} a week changed only with the number of outputs, which is operational efficiency.`
          : f === 'budgetary' && result.moved.operational !== 'no'
            ? ' The price of each input is unchanged; using fewer or more inputs per output is operational efficiency.'
            : '';
      out.push(`${where}, but no ${label(f)} measure moved beyond its uncertainty.${instead}`);
      continue;
    }
    if (result.moved[f] === 'worse') {
      const first = result.measures.find((m) => m.family === f && m.moved);
      out.push(
        `${where}, but ${label(f)} got worse${first === undefined ? '' : ` – ${describeMovement(first, chain.hoursPerWeek)}`}.`,
      );
      continue;
    }
    // The column moved: check the row against the paper's test of the changes behind it.
    const suggested = result.interventions.flatMap((i) =>
      i.typology.suggestions.filter((s) => s.column === f),
    );
    if (suggested.length > 0 && !suggested.some((s) => claimed.includes(s.cell))) {
      const fit = suggested[0] as TypologySuggestion;
      const claimedRow = typologyCell(claimed[0] as TypologyCellNumber).row;
      out.push(
        `${where} as ${ROW_WORDS[claimedRow]}, but under the paper’s test the changes are ${ROW_WORDS[fit.row]} (cell ${fit.cell}): ${fit.reasons[0] ?? ''}`,
      );
    }
  }
  return out;
}

function describe(
  chain: DeliveryChain,
  base: ScenarioResult,
  result: Omit<ScenarioResult, 'findings'>,
  touched: readonly string[],
): string[] {
  const unit = chain.unitOfWork.plural;
  const hpw = chain.hoursPerWeek;
  const out: string[] = [];
  const m = (k: MeasureKey): MeasureComparison | undefined =>
    result.measures.find((x) => x.key === k);
  const value = (x: MeasureComparison | undefined, which: 'baseline' | 'value'): number | null =>
    x === undefined ? null : measureValue(x, which);
  const b0 = base.analysis.bottleneck;
  const b1 = result.analysis.bottleneck;

  const tp = m('throughputPerWeek');
  if (tp !== undefined) {
    const t0 = value(tp, 'baseline') ?? 0;
    const t1 = value(tp, 'value') ?? 0;
    const change = signedChange(tp.relativeChange) || '0.0%';
    if (!tp.moved) {
      const names = touched.map((id) => chain.stages.find((s) => s.id === id)?.name ?? id);
      if (touched.length > 0 && !touched.includes(b0.stageId)) {
        out.push(
          `No effect on throughput: ${listNames(names)} ${names.length === 1 ? 'is' : 'are'} not the bottleneck (${b0.name} is). Throughput stays at ${fmt(t1)} ${unit} a week (${change}).`,
        );
      } else {
        out.push(
          `No material effect on throughput: ${fmt(t0)} → ${fmt(t1)} ${unit} a week (${change}).`,
        );
      }
      if (base.analysis.stable && result.analysis.stable && touched.includes(b0.stageId)) {
        out.push(
          'Every stage already keeps up, so demand, not capacity, sets throughput; relieving the bottleneck shortens queues instead.',
        );
      }
    } else {
      out.push(
        `Throughput ${t1 > t0 ? 'rises' : 'falls'} from ${fmt(t0)} to ${fmt(t1)} ${unit} a week (${signedChange(tp.relativeChange)}).`,
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
        `Mean lead time ${l1 < l0 ? 'falls' : 'rises'} from ${duration(l0, hpw)} to ${duration(l1, hpw)} (${signedChange(lt.relativeChange)})${lt.basis === 'simulation' && !(base.analysis.stable && result.analysis.stable) ? ' over the simulated horizon' : ''}.`,
      );
    }
  }
  // The ratios of each family, in Figure 1's order.
  const family: Record<TypologyColumn, string> = {
    budgetary: 'budgetary efficiency: the price of inputs',
    operational: 'operational efficiency: inputs turned into outputs',
    effectiveness: 'effectiveness: outputs turned into outcomes',
  };
  for (const key of [
    'costPerStaffHour',
    'costPerCaseUse',
    'costPerInputUnit',
    'outputsPerStaffHour',
    'costPerOutputAtBaselinePrices',
  ] as const) {
    const x = m(key);
    if (x?.moved === true && x.family !== 'context') {
      out.push(`${describeMovement(x, hpw)} – ${family[x.family]}.`);
    }
  }
  const share = m('outcomeShare');
  if (share?.moved === true) {
    out.push(
      `The share of outputs achieving ${chain.outcomeName} ${share.direction === 'better' ? 'rises' : 'falls'} from ${pct(value(share, 'baseline') ?? 0)} to ${pct(value(share, 'value') ?? 0)} (${signedChange(share.relativeChange)}) – ${family.effectiveness}.`,
    );
  }
  const oc = m('outcomesPerWeek');
  if (oc?.moved === true) {
    const o0 = value(oc, 'baseline') ?? 0;
    const o1 = value(oc, 'value') ?? 0;
    const why =
      share?.moved === true
        ? ''
        : `, only because the number of outputs ${o1 > o0 ? 'rises' : 'falls'}: the share of outputs achieving them is unchanged, so this is a change in volume, not in effectiveness`;
    out.push(
      `${capitalise(chain.outcomeName)} ${o1 > o0 ? 'rise' : 'fall'} from ${fmt(o0)} to ${fmt(o1)} a week (${signedChange(oc.relativeChange)})${why}.`,
    );
  }
  const cpo = m('costPerOutput');
  if (cpo?.moved === true) {
    out.push(`${describeMovement(cpo, hpw)}.`);
  }
  out.push(...typologyFindings(chain, result));
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
  ): { chain: DeliveryChain; analysis: ChainAnalysis; simulation: SimulationResult | null } => ({
    chain: c,
    analysis: analyseChain(c),
    // Same options and seed for every scenario: common random numbers make the paired differences tight.
    simulation: simOptions === null ? null : simulateChain(c, simOptions),
  });

  const base = run(chain);
  const noMove = { budgetary: 'no', operational: 'no', effectiveness: 'no' } as const;
  const baseline: ScenarioResult = {
    id: 'baseline',
    name: 'Baseline',
    interventions: [],
    ...base,
    measures: compareMeasures(base, base, materiality, confidence),
    moved: noMove,
    findings: [...base.analysis.findings],
  };

  const measured = specs.map((spec) => {
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
    const measures = compareMeasures(base, result, materiality, confidence);
    return { spec, chosen, result, measures };
  });

  // An intervention's cells are judged on its own measures: from its own scenario when there is
  // one (simulated if the comparison is), otherwise from the closed forms.
  const alone = new Map<string, readonly MeasureComparison[]>();
  for (const x of measured) {
    const only = x.spec.interventions[0];
    if (x.spec.interventions.length === 1 && only !== undefined && !alone.has(only)) {
      alone.set(only, x.measures);
    }
  }
  const readings = new Map<string, TypologyReading>();
  const readingOf = (i: Intervention): TypologyReading => {
    const known = readings.get(i.id);
    if (known !== undefined) return known;
    const reading = readTypology(i, chain, alone.get(i.id));
    readings.set(i.id, reading);
    return reading;
  };

  const scenarios = measured.map(({ spec, chosen, result, measures }): ScenarioResult => {
    const partial = {
      id: spec.id,
      name: spec.name,
      interventions: chosen.map((i) => {
        const typology = readingOf(i);
        return {
          id: i.id,
          name: i.name,
          typologyCells:
            i.typologyCells !== undefined
              ? ([...new Set(i.typologyCells)].sort((a, b) => a - b) as TypologyCellNumber[])
              : typology.suggestions.map((s) => s.cell),
          suggestedCells: typology.suggestions,
          typology,
        };
      }),
      ...result,
      measures,
      moved: familyMovement(measures),
    };
    const touched = [...new Set(chosen.flatMap((i) => stagesTouched(i)))];
    return { ...partial, findings: describe(chain, baseline, partial, touched) };
  });

  const notes: string[] = [
    'Budgetary efficiency is the price of each unit of input, operational efficiency is inputs turned into outputs (with the flow of work), and effectiveness is outcomes per output (paper section 2.2.1, Figure 1). Outcomes a week and the all-in cost per output are shown for context and count towards none of them.',
    `A measure "moved" when it changed by more than ${pct(materiality)} and, when simulated, the ${pct(confidence)} confidence interval of the paired difference excludes zero. Prices are not random, so they are compared on the closed forms.`,
  ];
  if (simOptions !== null) {
    notes.push(
      `Simulated: ${simOptions.replications ?? 5} replications per scenario with the same seeds (common random numbers), ${fmt((simOptions.horizonHours ?? 52 * chain.hoursPerWeek) / chain.hoursPerWeek, 0)} weeks each.`,
    );
  }
  return { baseline, scenarios, materiality, notes };
}
