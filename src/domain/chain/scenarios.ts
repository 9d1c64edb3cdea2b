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
import { createSimulation, detectWarmup } from './simulate.ts';
import type {
  ReplicationResult,
  SimulationOptions,
  SimulationResult,
  WarmupChoice,
} from './simulate.ts';
import { estimate, holm, pairedPValue, tMultiplier } from './stats.ts';
import type { Estimate } from './stats.ts';
import { readTypology, typologyCell } from './typology.ts';
import type { TypologyColumn, TypologyReading, TypologySuggestion } from './typology.ts';
import {
  FAMILY_DEFINITIONS,
  MEASURES,
  MEASURE_FAMILIES,
  compareMeasures,
  pairedSamples,
  describeMovement,
  familyMovement,
  measureValue,
} from './measures.ts';
import type {
  MeasureComparison,
  MeasureKey,
  MeasuredChain,
  Movement,
  Verdict,
} from './measures.ts';
import { duration, fmt, pct, pctPrecise, signedChange, signedSignificant } from './explain.ts';

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
  /**
   * Simulation settings, or false for analytics only (default: 104 weeks, starting with 10
   * replications). `replications` is where sequential stopping starts; see `maxReplications`.
   */
  readonly simulation?: SimulationOptions | false;
  /** Smallest relative change that counts as material (default 0.01 = 1%). */
  readonly materiality?: number;
  /**
   * Precision to reach: the half-width of every paired difference's interval (at the
   * Bonferroni level 1 − α/m) within this share of the baseline value (default materiality / 2,
   * so a change of the materiality threshold cannot be mistaken for none).
   */
  readonly precision?: number;
  /** Most replications per scenario sequential stopping may run (default 40). */
  readonly maxReplications?: number;
}

/** How the simulated comparison was judged, for the page and the JSON download. */
export interface ComparisonStatistics {
  /** Replications run per scenario (the same for all: they are paired). */
  readonly replications: number;
  readonly minReplications: number;
  readonly maxReplications: number;
  /** Target half-width of each difference, as a share of the baseline. */
  readonly precision: number;
  /** True when every difference reached the precision (or was clearly material) before the maximum. */
  readonly precisionReached: boolean;
  /** Measures (with scenario) that had not reached it when the maximum was reached. */
  readonly notReached: readonly string[];
  readonly warmup: WarmupChoice;
  readonly alpha: number;
  /** Simulated measures judged together. */
  readonly tests: number;
  readonly correction: 'holm';
  /** Plain-words statements of all the above. */
  readonly explanation: readonly string[];
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
  /** Null when compared on the closed forms only. */
  readonly statistics: ComparisonStatistics | null;
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
      // Simulated: say what the noise allows, with the interval, never a gain inside the noise.
      const test = tp.test;
      const opening =
        test === undefined
          ? null
          : test.verdict === 'immaterial'
            ? 'No material effect on throughput'
            : 'No detectable effect on throughput';
      const interval =
        test === undefined
          ? ` (${change})`
          : `; the difference is ${differenceInWords(tp, `${unit} a week`, hpw)}`;
      if (touched.length > 0 && !touched.includes(b0.stageId)) {
        out.push(
          `${opening ?? 'No effect on throughput'}: ${listNames(names)} ${names.length === 1 ? 'is' : 'are'} not the bottleneck (${b0.name} is). Throughput stays at ${fmt(t1)} ${unit} a week${interval}.`,
        );
      } else if (opening !== null) {
        out.push(`${opening}: ${fmt(t0)} → ${fmt(t1)} ${unit} a week${interval}.`);
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

interface Version {
  readonly chain: DeliveryChain;
  readonly analysis: ChainAnalysis;
}

/** Simulated measures, paired by replication, of a scenario against the baseline. */
function pairsOf(
  base: MeasuredChain,
  scen: MeasuredChain,
): { key: MeasureKey; label: string; pairs: (readonly [number, number])[] }[] {
  return MEASURES.flatMap((m) => {
    const pairs = pairedSamples(m, base, scen);
    return pairs === null ? [] : [{ key: m.key, label: m.label, pairs }];
  });
}

function withRuns(
  v: Version,
  sim: { summarise(runs: readonly ReplicationResult[]): SimulationResult },
  runs: readonly ReplicationResult[],
): MeasuredChain {
  return { ...v, simulation: sim.summarise(runs) };
}

/**
 * Runs every version with the same replication seeds (common random numbers), adding replications
 * until each paired difference is as precise as asked — its half-width at the Bonferroni level
 * 1 − α/m at most `precision` × the baseline, or the difference clearly beyond the materiality
 * threshold — or the maximum is reached.
 */
function simulateSequentially(
  versions: readonly Version[],
  names: readonly string[],
  simOptions: SimulationOptions,
  settings: { min: number; max: number; precision: number; materiality: number; alpha: number },
): {
  measured: MeasuredChain[];
  warmup: WarmupChoice;
  reached: boolean;
  notReached: string[];
  replications: number;
} {
  // One warm-up for every version, so the runs stay paired: the longest any of them needs.
  const choices = versions.map((v) => detectWarmup(v.chain, simOptions));
  const longest = choices.reduce((a, b) => (b.hours > a.hours ? b : a));
  const unsettled = choices.find((c) => !c.settled);
  const shared =
    choices.length > 1
      ? ` The longest warm-up found among the ${choices.length} versions compared, ${duration(longest.hours, versions[0]?.chain.hoursPerWeek ?? 37.5)}, is left out of every one, so the runs stay paired.`
      : '';
  const warmup: WarmupChoice = {
    hours: longest.hours,
    method: longest.method,
    settled: unsettled === undefined,
    explanation: `${(unsettled ?? longest).explanation}${shared}`,
  };
  const sims = versions.map((v) => createSimulation(v.chain, simOptions, warmup));
  const runs: ReplicationResult[][] = versions.map(() => []);
  let n = Math.min(settings.min, settings.max);
  for (;;) {
    sims.forEach((sim, k) => {
      const list = runs[k] as ReplicationResult[];
      for (let r = list.length; r < n; r++) list.push(sim.run(r));
    });
    const measured = versions.map((v, k) => withRuns(v, sims[k] as Simulation, runs[k] ?? []));
    const base = measured[0] as MeasuredChain;
    const tests = measured.slice(1).map((m) => pairsOf(base, m));
    const count = Math.max(
      1,
      tests.reduce((sum, t) => sum + t.length, 0),
    );
    const notReached: string[] = [];
    tests.forEach((list, k) => {
      for (const t of list) {
        if (t.pairs.length < 2) continue;
        const b = estimate(t.pairs.map(([x]) => x));
        const d = t.pairs.map(([x, y]) => y - x);
        const e = estimate(d);
        const sd = e.halfWidth / tMultiplier(0.95, d.length - 1);
        const halfWidth = sd * tMultiplier(1 - settings.alpha / count, d.length - 1);
        const scale = Math.abs(b.mean);
        const precise = halfWidth <= settings.precision * scale || halfWidth === 0;
        const clearlyMaterial = Math.abs(e.mean) - halfWidth > settings.materiality * scale;
        if (!precise && !clearlyMaterial) notReached.push(`${t.label} (${names[k + 1] ?? ''})`);
      }
    });
    if (notReached.length === 0 || n >= settings.max) {
      return { measured, warmup, reached: notReached.length === 0, notReached, replications: n };
    }
    n = Math.min(settings.max, n + Math.max(2, Math.ceil(n / 2)));
  }
}

type Simulation = ReturnType<typeof createSimulation>;

const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  moved: 'moved',
  'no-detectable-effect': 'no detectable effect',
  immaterial: 'too small to matter',
};

/**
 * Judges every simulated measure of every scenario together: a paired t-test per measure, Holm's
 * step-down procedure over all of them (family-wise error ≤ α), and the materiality threshold. Each
 * difference interval is restated at the level Holm judged it at, so the interval and the verdict
 * agree: "no detectable effect" always comes with an interval that includes zero.
 */
function judgeTogether(
  base: MeasuredChain,
  scenarios: { measured: MeasuredChain; measures: MeasureComparison[] }[],
  alpha: number,
  materiality: number,
): { measures: MeasureComparison[][]; tests: number } {
  const slots: { s: number; i: number; diffs: number[]; baseline: number[] }[] = [];
  scenarios.forEach(({ measured, measures }, s) => {
    measures.forEach((m, i) => {
      if (m.basis !== 'simulation') return;
      const def = MEASURES.find((d) => d.key === m.key);
      const pairs = def === undefined ? null : pairedSamples(def, base, measured);
      if (pairs === null) return;
      slots.push({
        s,
        i,
        diffs: pairs.map(([x, y]) => y - x),
        baseline: pairs.map(([x]) => x),
      });
    });
  });
  const decisions = holm(
    slots.map((x) => pairedPValue(x.diffs)),
    alpha,
  );
  const out = scenarios.map((x) => [...x.measures]);
  slots.forEach((slot, k) => {
    const decision = decisions[k];
    const list = out[slot.s];
    const m = list?.[slot.i];
    if (decision === undefined || list === undefined || m === undefined || m.simulated === null)
      return;
    const difference: Estimate =
      slot.diffs.length > 1 ? estimate(slot.diffs, 1 - decision.level) : m.simulated.difference;
    const baseMean = Math.abs(m.simulated.baseline.mean);
    const material = Math.abs(difference.mean) > materiality * Math.max(baseMean, 1e-12);
    const verdict: Verdict = !decision.rejected
      ? 'no-detectable-effect'
      : material
        ? 'moved'
        : 'immaterial';
    const moved = verdict === 'moved';
    const better = m.higherIsBetter ? difference.mean > 0 : difference.mean < 0;
    list[slot.i] = {
      ...m,
      simulated: { ...m.simulated, difference },
      moved,
      direction: moved ? (better ? 'better' : 'worse') : 'unchanged',
      test: {
        pValue: decision.pValue,
        level: decision.level,
        tests: slots.length,
        rejected: decision.rejected,
        verdict,
      },
    };
  });
  return { measures: out, tests: slots.length };
}

/**
 * A simulated difference in words: "between −0.12 and +0.08 applications a week (−1.0% to +0.7%;
 * 99.6% interval)", or that every run gave the same figure.
 */
export function differenceInWords(
  m: MeasureComparison,
  unit: string,
  hoursPerWeek: number,
): string {
  if (m.simulated === null) return '';
  const d = m.simulated.difference;
  if (d.low === 0 && d.high === 0) return 'zero: every run gave exactly the same figure';
  const b = Math.abs(m.simulated.baseline.mean);
  const scale = Math.max(Math.abs(d.low), Math.abs(d.high));
  const level = m.test === undefined ? '' : `${pctPrecise(1 - m.test.level)} interval`;
  const values =
    m.format === 'hours'
      ? `between ${d.low < 0 ? '−' : '+'}${duration(Math.abs(d.low), hoursPerWeek)} and ${d.high < 0 ? '−' : '+'}${duration(Math.abs(d.high), hoursPerWeek)}`
      : `between ${signedSignificant(d.low, scale)} and ${signedSignificant(d.high, scale)}${unit === '' ? '' : ` ${unit}`}`;
  const rel =
    b > 0
      ? `${signedSignificant((d.low / b) * 100, (scale / b) * 100)}% to ${signedSignificant((d.high / b) * 100, (scale / b) * 100)}%`
      : '';
  const parts = [rel, level].filter((x) => x !== '');
  return `${values}${parts.length > 0 ? ` (${parts.join('; ')})` : ''}`;
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
  const alpha = 1 - confidence;
  const precision = options.precision ?? materiality / 2;
  const minReplications = Math.max(2, Math.floor(simOptions?.replications ?? 10));
  const maxReplications = Math.max(minReplications, Math.floor(options.maxReplications ?? 40));

  const applied = specs.map((spec) => {
    const chosen = spec.interventions.map((id) => {
      const found = byId.get(id);
      if (found === undefined) throw new Error(`scenario "${spec.id}": no intervention "${id}"`);
      return found;
    });
    const result = applyInterventions(chain, chosen);
    if (!result.ok) {
      throw new Error(`scenario "${spec.id}": ${result.issues.map((i) => i.message).join('; ')}`);
    }
    return { spec, chosen, chain: result.chain };
  });
  const versions: Version[] = [chain, ...applied.map((x) => x.chain)].map((c) => ({
    chain: c,
    analysis: analyseChain(c),
  }));
  const sequential =
    simOptions === null
      ? null
      : simulateSequentially(versions, ['Baseline', ...specs.map((x) => x.name)], simOptions, {
          min: minReplications,
          max: maxReplications,
          precision,
          materiality,
          alpha,
        });
  const measuredVersions: MeasuredChain[] =
    sequential?.measured ?? versions.map((v) => ({ ...v, simulation: null }));
  const base = measuredVersions[0] as MeasuredChain;

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

  const raw = applied.map((x, k) => {
    const result = measuredVersions[k + 1] as MeasuredChain;
    return {
      ...x,
      result,
      measured: result,
      measures: compareMeasures(base, result, materiality, confidence),
    };
  });
  const judged = sequential === null ? null : judgeTogether(base, raw, alpha, materiality);
  const measured = raw.map((x, k) => ({ ...x, measures: judged?.measures[k] ?? x.measures }));

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

  let statistics: ComparisonStatistics | null = null;
  const notes: string[] = [
    'Budgetary efficiency is the price of each unit of input, operational efficiency is inputs turned into outputs (with the flow of work), and effectiveness is outcomes per output (paper section 2.2.1, Figure 1). Outcomes a week and the all-in cost per output are shown for context and count towards none of them.',
  ];
  if (sequential === null || simOptions === null) {
    notes.push(
      `A measure "moved" when it changed by more than ${pct(materiality)} on the queueing formulas. Prices are not random, so they are always compared on the closed forms.`,
    );
  } else {
    const tests = judged?.tests ?? 0;
    const weeks = fmt((simOptions.horizonHours ?? 52 * chain.hoursPerWeek) / chain.hoursPerWeek, 0);
    const explanation = [
      `Common random numbers: every scenario is run with the same ${sequential.replications} seeds, and each stage’s service times, each stage’s routing and the arrivals have their own random stream, so a change at one stage leaves the others’ draws exactly as they were and each difference is measured run by run.`,
      sequential.reached
        ? `Replications: ${sequential.replications} per scenario (${weeks} weeks each), added until every difference was known to within ${pctPrecise(precision)} of its baseline value, or was clearly larger than the ${pct(materiality)} that counts (started at ${minReplications}, at most ${maxReplications}).`
        : `Replications: ${sequential.replications} per scenario (${weeks} weeks each), the most allowed, before every difference was known to within ${pctPrecise(precision)} of its baseline value. Not reached for: ${sequential.notReached.join('; ')}. Read those intervals: they are wider than asked.`,
      `${tests} simulated measures are judged together with the Holm–Bonferroni correction, so the chance of calling any unchanged measure "moved" is at most ${pct(alpha)}. Each interval is at the confidence level its test was judged at. A measure "moved" only when the difference is beyond that interval's noise and larger than ${pct(materiality)}; otherwise it shows "no detectable effect" (the interval includes zero) or "too small to matter" (real but under ${pct(materiality)}).`,
      sequential.warmup.explanation,
    ];
    statistics = {
      replications: sequential.replications,
      minReplications,
      maxReplications,
      precision,
      precisionReached: sequential.reached,
      notReached: sequential.notReached,
      warmup: sequential.warmup,
      alpha,
      tests,
      correction: 'holm',
      explanation,
    };
    notes.push(
      `A measure "moved" when it changed by more than ${pct(materiality)} and its difference is beyond the noise after allowing for the ${tests} measures tested at once (Holm–Bonferroni). Prices are not random, so they are compared on the closed forms.`,
      ...explanation,
    );
  }
  return { baseline, scenarios, materiality, notes, statistics };
}

export { VERDICT_WORDS };
