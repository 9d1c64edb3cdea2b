// The bottleneck check for an AI initiative: does it address the stage that sets the pace of its
// delivery chain? Table 1 (Planning and Prioritisation, level 2) asks that every business case
// identify the bottleneck a project addresses, and section 2.2.1 gives the reason: by the Theory of
// Constraints, investment anywhere but the bottleneck yields little or nothing, and speeding one
// stage can create a worse bottleneck downstream (the witness-statement example). The numbers come
// from the chain engine (`analyseChain`, and `compareScenarios` when the initiative is modelled as
// an intervention); nothing here recomputes the engine's statistics, it only puts them in words.
import { analyseChain, formatMeasure } from '../chain/index.ts';
import type {
  ChainAnalysis,
  DeliveryChain,
  MeasureComparison,
  ScenarioResult,
  StageAnalysis,
} from '../chain/index.ts';

/** A stage's load as the check reports it. */
export interface StageLoad {
  readonly id: string;
  readonly name: string;
  readonly organisation: string;
  /** Share of capacity in use at today's demand (1.18 = 118%: the stage cannot keep up). */
  readonly utilisation: number;
  /** Visits the stage can complete a week with every server busy. */
  readonly capacityPerWeek: number;
}

/**
 * `bottleneck`: the stage is the chain's single busiest stage. `joint-bottleneck`: it is one of
 * several equally busy stages, so relieving it alone cannot raise capacity. `not-the-bottleneck`:
 * another stage sets the pace.
 */
export type BottleneckPosition = 'bottleneck' | 'joint-bottleneck' | 'not-the-bottleneck';

/**
 * `not-the-bottleneck` / `joint-bottleneck`: investing here cannot raise throughput (section 2.2.1).
 * `new-constraint`: the modelled intervention makes another stage the busiest one.
 * `more-work`: the intervention adds work at a stage (rework, longer work per case, more cases).
 * `models-another-stage`: the modelled intervention does not change the stage the initiative names.
 */
export type BottleneckWarningKind =
  | 'not-the-bottleneck'
  | 'joint-bottleneck'
  | 'new-constraint'
  | 'more-work'
  | 'models-another-stage';

export interface BottleneckWarning {
  readonly kind: BottleneckWarningKind;
  /** The stage the warning is about. */
  readonly stageId: string;
  readonly stageName: string;
  /** That stage's utilisation the warning quotes (after the intervention for scenario warnings). */
  readonly utilisation: number;
  /** True when the stage lies after the initiative's stage on the chain's forward routes. */
  readonly downstream: boolean;
  readonly message: string;
}

/** One measure the scenario engine compared, as it reported it, with a plain statement. */
export interface ScenarioEffect {
  readonly key: MeasureComparison['key'];
  /** The paper's measure it belongs to (Figure 1), or context. */
  readonly family: MeasureComparison['family'];
  readonly label: string;
  readonly higherIsBetter: boolean;
  /** Today and with the intervention, on the engine's basis (simulated means, else closed forms). */
  readonly baseline: number | null;
  readonly value: number | null;
  readonly relativeChange: number | null;
  /** The engine's verdict: beyond its uncertainty and at least material. */
  readonly moved: boolean;
  readonly direction: 'better' | 'worse' | 'unchanged';
  readonly basis: 'simulation' | 'analytic';
  /** The paired difference (scenario − baseline) and its interval, when simulated. */
  readonly difference: {
    readonly mean: number;
    readonly low: number;
    readonly high: number;
    readonly confidence: number;
  } | null;
  readonly statement: string;
}

export interface ScenarioCheck {
  readonly id: string;
  readonly name: string;
  /** The busiest stage once the intervention is in place. */
  readonly bottleneckAfter: StageLoad;
  readonly bottleneckMoves: boolean;
  readonly effects: readonly ScenarioEffect[];
  /** The scenario engine's own findings, unchanged. */
  readonly findings: readonly string[];
}

export interface BottleneckCheck {
  readonly chainId: string;
  readonly chainName: string;
  readonly stage: StageLoad;
  /** null when no stage of the chain has a capacity that can be stated. */
  readonly bottleneck: StageLoad | null;
  readonly position: BottleneckPosition;
  /** Outputs a week the chain could deliver with its bottleneck fully busy. */
  readonly maxThroughputPerWeek: number;
  /** The chain engine's explanation of its bottleneck. */
  readonly bottleneckExplanation: string;
  /** One sentence: does the initiative address the bottleneck? */
  readonly verdict: string;
  readonly warnings: readonly BottleneckWarning[];
  readonly scenario: ScenarioCheck | null;
}

/** Smallest relative rise in a stage's hours of work a week that counts as "more work" (as the scenario engine's default materiality). */
export const MORE_WORK_THRESHOLD = 0.01;

const TOC = 'Theory of Constraints, paper section 2.2.1';

/**
 * Checks whether an initiative aimed at `stageId` addresses its chain's bottleneck, and — given the
 * `compareScenarios` result of an intervention that models the initiative on the same chain —
 * where the constraint would go and what would move. Throws for an unknown stage, or a scenario
 * compared on another chain or another version of it.
 */
export function checkBottleneck(
  chain: DeliveryChain,
  stageId: string,
  scenario?: ScenarioResult,
): BottleneckCheck {
  const analysis = analyseChain(chain);
  const target = analysis.stages.find((s) => s.id === stageId);
  if (target === undefined) {
    const known = chain.stages.map((s) => `"${s.id}"`).join(', ');
    throw new Error(`the chain "${chain.name}" has no stage "${stageId}" (its stages: ${known})`);
  }
  if (analysis.bottleneck.stageId === '') {
    // Every stage is a delay or of unknown capacity (a chain calibrated from a log with completion
    // times only): no capacity bottleneck can be named, so none is claimed.
    return {
      chainId: chain.id,
      chainName: chain.name,
      stage: load(target),
      bottleneck: null,
      position: 'not-the-bottleneck',
      maxThroughputPerWeek: analysis.maxThroughputPerWeek,
      bottleneckExplanation: analysis.bottleneck.explanation,
      verdict: `Whether this initiative addresses the bottleneck cannot be told from this chain: no stage has a capacity that can be stated (its stages are delays, or their capacity could not be calibrated from the log).`,
      warnings: [],
      scenario: null,
    };
  }
  const top = analysis.stages.find((s) => s.id === analysis.bottleneck.stageId);
  if (top === undefined) throw new Error(`the chain "${chain.name}" has no stages`);
  const unit = chain.unitOfWork.plural;
  const idle = analysis.demandPerWeek === 0;
  const tied = analysis.stages.filter(
    (s) => !idle && s.utilisation >= top.utilisation * (1 - 1e-9),
  );
  const position: BottleneckPosition =
    tied.length > 1 && tied.includes(target)
      ? 'joint-bottleneck'
      : target.id === top.id
        ? 'bottleneck'
        : 'not-the-bottleneck';
  const downstream = downstreamOf(chain, stageId);
  const ceiling = `${fmt(analysis.maxThroughputPerWeek)} ${unit} a week`;

  const warnings: BottleneckWarning[] = [];
  let verdict: string;
  if (position === 'not-the-bottleneck') {
    const message = idle
      ? `No demand arrives in the model, so no stage is busy; if work arrived, ${top.name} would be the constraint and the chain could deliver at most ${ceiling}. ` +
        `Making ${target.name} faster cannot raise that (${TOC}).`
      : `${target.name} runs at ${pct(target.utilisation)} of its capacity; the bottleneck is ${top.name} at ${pct(top.utilisation)}. ` +
        `Making ${target.name} faster cannot raise the chain's throughput above ${ceiling}, the most ${top.name} can handle (${TOC}: investment away from the bottleneck yields little or nothing).`;
    warnings.push(warning('not-the-bottleneck', target, target.utilisation, downstream, message));
    verdict = `This initiative does not address the bottleneck: ${top.name} sets the pace of the chain, not ${target.name}.`;
  } else if (position === 'joint-bottleneck') {
    const others = tied.filter((s) => s.id !== target.id).map((s) => s.name);
    const message =
      `${target.name} is one of ${tied.length} equally busy stages, all at ${pct(target.utilisation)} of capacity (with ${listNames(others)}). ` +
      `Relieving ${target.name} alone cannot raise the chain's throughput above ${ceiling}: ${listNames(others)} must be relieved too (${TOC}).`;
    warnings.push(warning('joint-bottleneck', target, target.utilisation, downstream, message));
    verdict = `This initiative addresses one of ${tied.length} equally busy stages; on its own it cannot raise the chain's capacity.`;
  } else {
    const next = analysis.stages.find((s) => s.id === analysis.bottleneck.nextStageId);
    verdict = `This initiative addresses the bottleneck: ${target.name} runs at ${pct(target.utilisation)} of its capacity and sets the pace of the chain (${TOC}).`;
    if (next !== undefined && !idle && !analysis.stable) {
      verdict += ` Relieving it can raise throughput only until ${next.name} (now at ${pct(next.utilisation)}) becomes the constraint.`;
    } else if (next !== undefined && !idle) {
      verdict += ` Every stage keeps up today, so demand sets throughput: relieving ${target.name} shortens queues and lead time rather than raising output, and once it is less busy than ${next.name} (now at ${pct(next.utilisation)}), that stage becomes the constraint.`;
    }
  }

  let scenarioCheck: ScenarioCheck | null = null;
  if (scenario !== undefined) {
    checkSameChain(chain, analysis, scenario);
    scenarioCheck = checkScenario(chain, analysis, target, downstream, scenario, warnings);
  }

  return {
    chainId: chain.id,
    chainName: chain.name,
    stage: load(target),
    bottleneck: load(top),
    position,
    maxThroughputPerWeek: analysis.maxThroughputPerWeek,
    bottleneckExplanation: analysis.bottleneck.explanation,
    verdict,
    warnings,
    scenario: scenarioCheck,
  };
}

function checkScenario(
  chain: DeliveryChain,
  before: ChainAnalysis,
  target: StageAnalysis,
  downstream: ReadonlySet<string>,
  scenario: ScenarioResult,
  warnings: BottleneckWarning[],
): ScenarioCheck {
  const after = scenario.analysis;
  const unit = chain.unitOfWork.plural;

  const touched = stagesChanged(chain, scenario);
  if (touched !== null && !touched.includes(target.id)) {
    const names = touched.map((id) => chain.stages.find((s) => s.id === id)?.name ?? id);
    warnings.push(
      warning(
        'models-another-stage',
        target,
        target.utilisation,
        downstream,
        `The modelled intervention "${scenario.name}" ${names.length === 0 ? 'changes no stage' : `changes ${listNames(names)}`}, not ${target.name}, the stage this initiative addresses: check that the model describes the initiative.`,
      ),
    );
  }

  const newTop = after.stages.find((s) => s.id === after.bottleneck.stageId);
  if (newTop === undefined) throw new Error(`scenario "${scenario.id}" has no stages`);
  const moves = newTop.id !== before.bottleneck.stageId;
  if (moves) {
    const where = downstream.has(newTop.id) ? ', downstream of it' : '';
    const strain =
      newTop.utilisation >= 1
        ? ` It could not keep up: a backlog would build there, growing by ${fmt(after.backlogGrowthPerWeek)} ${unit} a week, and the chain would deliver at most ${fmt(after.maxThroughputPerWeek)} ${unit} a week.`
        : ` The chain could then deliver at most ${fmt(after.maxThroughputPerWeek)} ${unit} a week.`;
    warnings.push(
      warning(
        'new-constraint',
        newTop,
        newTop.utilisation,
        downstream,
        `With "${scenario.name}", the bottleneck would move from ${before.bottleneck.name} to ${newTop.name}${where}. ` +
          `Benefits depend on ${newTop.name}, which would then run at ${pct(newTop.utilisation)} of its capacity.${strain}`,
      ),
    );
  }

  // More work is measured as hours of work a week (visits × mean time per visit), so extra staff
  // added at the same stage do not hide the extra work the initiative creates there.
  for (const s1 of after.stages) {
    const s0 = before.stages.find((s) => s.id === s1.id);
    if (s0 === undefined) continue;
    const work0 = s0.visitsPerWeek * s0.meanServiceHours;
    const work1 = s1.visitsPerWeek * s1.meanServiceHours;
    if (!(work1 > work0 * (1 + MORE_WORK_THRESHOLD))) continue;
    const reasons: string[] = [];
    if (s1.reworkVisitsPerWeek > s0.reworkVisitsPerWeek * (1 + MORE_WORK_THRESHOLD) + 1e-9) {
      reasons.push(
        `${fmt(s1.reworkVisitsPerWeek)} ${unit} a week returned for rework instead of ${fmt(s0.reworkVisitsPerWeek)}`,
      );
    }
    if (s1.meanServiceHours > s0.meanServiceHours * (1 + MORE_WORK_THRESHOLD)) {
      reasons.push(
        `${fmt(s1.meanServiceHours)} hours of work per visit instead of ${fmt(s0.meanServiceHours)}`,
      );
    }
    const fresh0 = s0.visitsPerWeek - s0.reworkVisitsPerWeek;
    const fresh1 = s1.visitsPerWeek - s1.reworkVisitsPerWeek;
    if (fresh1 > fresh0 * (1 + MORE_WORK_THRESHOLD) + 1e-9) {
      reasons.push(`${fmt(fresh1)} ${unit} a week reach it instead of ${fmt(fresh0)}`);
    }
    const role = s1.id === target.id ? ' (the initiative’s own stage)' : '';
    const dependence =
      moves && s1.id === newTop.id
        ? ''
        : ` Benefits depend on ${s1.name}, which would then run at ${pct(s1.utilisation)} of its capacity (now ${pct(s0.utilisation)}).`;
    warnings.push(
      warning(
        'more-work',
        s1,
        s1.utilisation,
        downstream,
        `"${scenario.name}" adds work at ${s1.name}${role}: ${signedPercent(work1 / work0 - 1)} hours of work a week${reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}.${dependence}`,
      ),
    );
  }

  // Every measure the engine compares, family by family (Figure 1: budgetary efficiency, operational
  // efficiency, effectiveness; then context figures that belong to none of them).
  const effects = scenario.measures.map((m) => effect(chain, scenario, m));
  return {
    id: scenario.id,
    name: scenario.name,
    bottleneckAfter: load(newTop),
    bottleneckMoves: moves,
    effects,
    findings: scenario.findings,
  };
}

function effect(
  chain: DeliveryChain,
  scenario: ScenarioResult,
  m: MeasureComparison,
): ScenarioEffect {
  const simulated = m.basis === 'simulation' ? m.simulated : null;
  const baseline = simulated !== null ? simulated.baseline.mean : m.analytic.baseline;
  const value = simulated !== null ? simulated.value.mean : m.analytic.value;
  const confidence = scenario.simulation?.confidence ?? 0.95;
  const difference =
    simulated !== null
      ? {
          mean: simulated.difference.mean,
          low: simulated.difference.low,
          high: simulated.difference.high,
          confidence,
        }
      : null;
  const whenMissing = m.key === 'leadTimeHours' ? 'unbounded' : 'none';
  const show = (x: number | null): string =>
    formatMeasure(x, m.format, chain.hoursPerWeek, whenMissing);
  const signed = (x: number): string =>
    `${x > 0 ? '+' : x < 0 ? '−' : ''}${formatMeasure(Math.abs(x), m.format, chain.hoursPerWeek)}`;
  const change = m.relativeChange === null ? '' : ` (${signedPercent(m.relativeChange)})`;
  let evidence: string;
  if (difference !== null) {
    const interval = `the ${pct(confidence)} interval of the change is ${signed(difference.low)} to ${signed(difference.high)}`;
    const excludesZero = difference.low > 0 || difference.high < 0;
    evidence = m.moved
      ? `${capitalise(m.direction)}, beyond its uncertainty: ${interval}.`
      : excludesZero
        ? `Too small to count as a change: ${interval}.`
        : `No change beyond its uncertainty: ${interval}, which includes zero.`;
  } else {
    evidence = m.moved
      ? `${capitalise(m.direction)}, from the queueing formulas (not simulated, so no interval).`
      : 'No material change, from the queueing formulas (not simulated, so no interval).';
  }
  return {
    key: m.key,
    family: m.family,
    label: m.label,
    higherIsBetter: m.higherIsBetter,
    baseline,
    value,
    relativeChange: m.relativeChange,
    moved: m.moved,
    direction: m.direction,
    basis: m.basis,
    difference,
    statement: `${m.label}: ${show(baseline)} → ${show(value)}${change}. ${evidence}`,
  };
}

/**
 * The comparison must come from this chain as it stands: a scenario compared on an older version
 * would give warnings about stages and loads that no longer exist.
 */
function checkSameChain(
  chain: DeliveryChain,
  analysis: ChainAnalysis,
  scenario: ScenarioResult,
): void {
  if (scenario.interventions.length === 0) {
    throw new Error(
      'the scenario given is the baseline, not an intervention: pass one of the compared scenarios',
    );
  }
  if (scenario.chain.id !== chain.id) {
    throw new Error(
      `the scenario "${scenario.name}" was compared on chain "${scenario.chain.id}", not "${chain.id}"`,
    );
  }
  const pairs: [string, number | null, number][] = [
    [
      'throughput',
      measure(scenario, 'throughputPerWeek').analytic.baseline,
      analysis.throughputPerWeek,
    ],
    ['cost a week', measure(scenario, 'costPerWeek').analytic.baseline, analysis.cost.totalPerWeek],
  ];
  for (const [what, there, here] of pairs) {
    if (there === null || Math.abs(there - here) > 1e-9 * Math.max(1, Math.abs(here))) {
      throw new Error(
        `the scenario "${scenario.name}" was compared on another version of the chain "${chain.name}" (${what} ${there === null ? 'unknown' : fmt(there)} there, ${fmt(here)} now): compare the scenarios again`,
      );
    }
  }
}

function measure(scenario: ScenarioResult, key: MeasureComparison['key']): MeasureComparison {
  const m = scenario.measures.find((x) => x.key === key);
  if (m === undefined) throw new Error(`the scenario "${scenario.name}" has no measure "${key}"`);
  return m;
}

/** Ids of the stages the scenario's interventions change, or null when they are not on the chain. */
function stagesChanged(chain: DeliveryChain, scenario: ScenarioResult): string[] | null {
  const ids = new Set<string>();
  for (const used of scenario.interventions) {
    const intervention = chain.interventions.find((i) => i.id === used.id);
    if (intervention === undefined) return null;
    for (const change of intervention.changes) {
      if ('stage' in change && change.stage !== undefined) ids.add(change.stage);
      if (change.kind === 'addRework' && change.to !== undefined) ids.add(change.to);
    }
  }
  return [...ids];
}

/** Stages reachable from `stageId` by forward routes (rework returns are not "downstream"). */
function downstreamOf(chain: DeliveryChain, stageId: string): ReadonlySet<string> {
  const byId = new Map(chain.stages.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const queue = [stageId];
  while (queue.length > 0) {
    const stage = byId.get(queue.pop() as string);
    for (const route of stage?.routes ?? []) {
      if (route.rework === true || !byId.has(route.to) || seen.has(route.to)) continue;
      seen.add(route.to);
      queue.push(route.to);
    }
  }
  seen.delete(stageId);
  return seen;
}

function warning(
  kind: BottleneckWarningKind,
  stage: StageAnalysis,
  utilisation: number,
  downstream: ReadonlySet<string>,
  message: string,
): BottleneckWarning {
  return {
    kind,
    stageId: stage.id,
    stageName: stage.name,
    utilisation,
    downstream: downstream.has(stage.id),
    message,
  };
}

function load(s: StageAnalysis): StageLoad {
  return {
    id: s.id,
    name: s.name,
    organisation: s.organisation,
    utilisation: s.utilisation,
    capacityPerWeek: s.capacityPerWeek,
  };
}

function fmt(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return x > 0 ? 'unbounded' : 'none';
  return x.toFixed(digits);
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** "+18.3%", "−11.9%" (a true minus sign, as in the rest of the product's text). */
function signedPercent(x: number): string {
  const p = Math.round(x * 1000) / 10;
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${Math.abs(p).toFixed(1)}%`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}
