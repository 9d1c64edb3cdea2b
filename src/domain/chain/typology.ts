// The paper's typology of productivity improvement (section 2.2.1, Figure 2): two rows by three
// columns, numbered 1–6. The rows are the paper's test of a change: a **substitution** exchanges one
// input or task for a different one (an input removed or replaced, a task replaced or automated),
// a **technical** improvement makes the same input or task better (the same input bought more
// cheaply, the same task done faster or with fewer errors). The columns are Figure 1's three
// measures, and a column is suggested only when its measures actually moved (measures.ts), so that
// a faster stage away from the bottleneck is not reported as an improvement. Each suggestion gives
// its reasons in plain words; the user makes the final choice, stored as `typologyCells`.
import { EXIT, serviceMoments } from './model.ts';
import type {
  Change,
  DeliveryChain,
  Intervention,
  Route,
  Stage,
  TypologyCellNumber,
} from './model.ts';
import { analyseChain } from './analyse.ts';
import { applyInterventions } from './interventions.ts';
import {
  FAMILY_DEFINITIONS,
  MEASURE_FAMILIES,
  compareMeasures,
  describeMovement,
  familyMovement,
} from './measures.ts';
import type { MeasureComparison, MeasureFamily, Movement } from './measures.ts';
import { fmt, pct } from './explain.ts';

export type TypologyRow = 'substitution' | 'technical';
export type TypologyColumn = MeasureFamily;

export interface TypologyCell {
  readonly cell: TypologyCellNumber;
  readonly row: TypologyRow;
  readonly column: TypologyColumn;
  /** Figure 2's wording, paraphrased. */
  readonly meaning: string;
}

export const TYPOLOGY_CELLS: readonly TypologyCell[] = [
  {
    cell: 1,
    row: 'substitution',
    column: 'budgetary',
    meaning: 'an input is removed or exchanged for a cheaper one',
  },
  {
    cell: 2,
    row: 'substitution',
    column: 'operational',
    meaning: 'a task is exchanged for one needing less time or resource',
  },
  {
    cell: 3,
    row: 'substitution',
    column: 'effectiveness',
    meaning: 'a task is exchanged for one contributing more to outcomes',
  },
  {
    cell: 4,
    row: 'technical',
    column: 'budgetary',
    meaning: 'the same input is bought at lower cost',
  },
  {
    cell: 5,
    row: 'technical',
    column: 'operational',
    meaning: 'a task is adapted to take less time or resource',
  },
  {
    cell: 6,
    row: 'technical',
    column: 'effectiveness',
    meaning: 'a task is adapted to contribute more to outcomes',
  },
];

export function typologyCell(cell: TypologyCellNumber): TypologyCell {
  const found = TYPOLOGY_CELLS.find((c) => c.cell === cell);
  if (found === undefined) throw new RangeError(`no typology cell ${String(cell)}`);
  return found;
}

function cellAt(row: TypologyRow, column: TypologyColumn): TypologyCell {
  const found = TYPOLOGY_CELLS.find((c) => c.row === row && c.column === column);
  if (found === undefined) throw new RangeError(`no typology cell for ${row}/${column}`);
  return found;
}

export interface TypologySuggestion extends TypologyCell {
  /** The measured direction of the column: a cell can hold a side effect as well as a gain. */
  readonly effect: 'improves' | 'worsens' | 'mixed';
  /** Why each change behind this cell is a substitution or a technical improvement. */
  readonly reasons: readonly string[];
  /** The measures of this column that moved, in plain words. */
  readonly evidence: readonly string[];
}

/** One column of Figure 2 for an intervention: did its measures move, and what follows. */
export interface TypologyColumnReading {
  readonly column: TypologyColumn;
  readonly label: string;
  readonly moved: Movement;
  /** The measures of the column that moved, in plain words (empty when none moved). */
  readonly evidence: readonly string[];
  /** The cells suggested in this column (none when its measures did not move). */
  readonly cells: readonly TypologyCellNumber[];
  /** Why nothing, or not everything, is suggested here; null when the cells say it all. */
  readonly note: string | null;
}

export interface TypologyReading {
  readonly suggestions: readonly TypologySuggestion[];
  readonly columns: readonly TypologyColumnReading[];
  /** Set when the intervention cannot be applied to the chain, so nothing could be measured. */
  readonly problem: string | null;
}

/** What one change is under the paper's test, and which measures it can move. */
interface Hint {
  /** null: neither an exchange nor an improvement of a task or input (more staff, more demand). */
  readonly row: TypologyRow | null;
  readonly columns: readonly TypologyColumn[];
  readonly reason: string;
}

function percent(factor: number): string {
  return `${Math.round(Math.abs(1 - factor) * 100)}%`;
}

function stageCalled(chain: DeliveryChain, id: string): string {
  return chain.stages.find((s) => s.id === id)?.name ?? id;
}

/** A route target in words: a stage, an output, or leaving the chain. */
function placeCalled(chain: DeliveryChain, id: string): string {
  if (id === EXIT) return 'leaving the chain';
  const output = chain.outputs.find((o) => o.id === id);
  return output !== undefined ? `“${output.name}”` : stageCalled(chain, id);
}

function inputCalled(chain: DeliveryChain, id: string): string {
  return chain.inputs.find((i) => i.id === id)?.name ?? id;
}

/**
 * Expected outcome contribution of a case routed to each stage or output: v = P v + r, solved by
 * iteration (every stage can reach the exit, so it converges). Tells whether re-routing sends cases
 * towards outputs with more effect on outcomes.
 */
function outcomeValues(chain: DeliveryChain): Map<string, number> {
  const values = new Map<string, number>(chain.outputs.map((o) => [o.id, o.outcomeContribution]));
  for (const s of chain.stages) values.set(s.id, 0);
  for (let iteration = 0; iteration < 2000; iteration++) {
    let delta = 0;
    for (const s of chain.stages) {
      const v = s.routes.reduce((acc, r) => acc + r.probability * (values.get(r.to) ?? 0), 0);
      delta = Math.max(delta, Math.abs(v - (values.get(s.id) ?? 0)));
      values.set(s.id, v);
    }
    if (delta < 1e-12) break;
  }
  return values;
}

function reworkShare(routes: readonly Route[]): number {
  return routes.filter((r) => r.rework === true).reduce((s, r) => s + r.probability, 0);
}

/** The stage's routes after the change alone, when it can be applied to the chain as it is. */
function routesAfter(
  chain: DeliveryChain,
  change: Change,
  stageId: string,
): readonly Route[] | null {
  const applied = applyInterventions(chain, [
    { id: 'one-change', name: 'One change', changes: [change] },
  ]);
  if (!applied.ok) return null;
  return applied.chain.stages.find((s) => s.id === stageId)?.routes ?? null;
}

/** Hints for a change of a stage's routes: fewer errors on the same task, or cases sent elsewhere. */
function routingHints(
  chain: DeliveryChain,
  stage: Stage,
  after: readonly Route[],
  unit: string,
): Hint[] {
  const hints: Hint[] = [];
  const before = stage.routes;
  const targets = (routes: readonly Route[]): string =>
    routes
      .filter((r) => r.probability > 0)
      .map((r) => r.to)
      .sort()
      .join(',');
  const values = outcomeValues(chain);
  const outcome = (routes: readonly Route[]): number =>
    routes.reduce((acc, r) => acc + r.probability * (values.get(r.to) ?? 0), 0);
  const o0 = outcome(before);
  const o1 = outcome(after);
  const outcomeMoves = Math.abs(o1 - o0) > 1e-9;
  const r0 = reworkShare(before);
  const r1 = reworkShare(after);
  if (targets(before) !== targets(after)) {
    const fresh = after.filter(
      (r) => r.probability > 0 && !before.some((b) => b.to === r.to && b.probability > 0),
    );
    const goneTo = fresh.map((r) => placeCalled(chain, r.to));
    hints.push({
      row: 'substitution',
      columns: outcomeMoves ? ['operational', 'effectiveness'] : ['operational'],
      reason: `A task is exchanged: ${stage.name} now sends ${unit} on a different path${goneTo.length > 0 ? ` (to ${goneTo.join(', ')})` : ''}, replacing what was done with them before.`,
    });
    return hints;
  }
  if (Math.abs(r1 - r0) > 1e-9) {
    hints.push({
      row: 'technical',
      columns: outcomeMoves ? ['operational', 'effectiveness'] : ['operational'],
      reason: `The same task with ${r1 < r0 ? 'fewer' : 'more'} errors: ${stage.name} sends ${pct(r0)} → ${pct(r1)} of its ${unit} back for rework.`,
    });
  } else if (outcomeMoves) {
    hints.push({
      row: 'technical',
      columns: ['effectiveness'],
      reason: `The same task with better results: ${stage.name} sends more of its ${unit} to outputs that achieve ${chain.outcomeName} (expected contribution ${pct(o0)} → ${pct(o1)}).`,
    });
  } else {
    hints.push({
      row: 'technical',
      columns: ['operational'],
      reason: `The same task, routed differently: ${stage.name} sends its ${unit} on in other proportions.`,
    });
  }
  return hints;
}

function hintsFor(change: Change, chain: DeliveryChain): Hint[] {
  const unit = chain.unitOfWork.plural;
  const one = chain.unitOfWork.singular;
  const stage =
    'stage' in change && change.stage !== undefined
      ? chain.stages.find((s) => s.id === change.stage)
      : undefined;
  const name =
    'stage' in change && change.stage !== undefined ? stageCalled(chain, change.stage) : '';
  switch (change.kind) {
    case 'scaleServiceTime':
      if (change.factor === 1) return [];
      return [
        {
          row: 'technical',
          columns: ['operational'],
          reason:
            change.factor < 1
              ? `The same task made quicker: ${name} takes ${percent(change.factor)} less time per ${one}.`
              : `The same task made slower: ${name} takes ${percent(change.factor)} more time per ${one}.`,
        },
      ];
    case 'setService': {
      const before = stage === undefined ? null : serviceMoments(stage.service).mean;
      const after = serviceMoments(change.service).mean;
      return [
        {
          row: 'technical',
          columns: ['operational'],
          reason:
            before === null || before === after
              ? `The same task re-timed: ${name} takes ${fmt(after)} hours per ${one} with a different spread.`
              : `The same task re-timed: ${name} takes ${fmt(after)} hours per ${one} instead of ${fmt(before)}.`,
        },
      ];
    }
    case 'setServers':
    case 'addServers': {
      const delta =
        change.kind === 'addServers'
          ? change.delta
          : stage === undefined
            ? 0
            : change.servers - stage.servers;
      if (delta === 0) return [];
      const noun = stage?.serverName ?? { singular: 'member of staff', plural: 'staff' };
      const who = Math.abs(delta) === 1 ? noun.singular : noun.plural;
      return [
        {
          row: null,
          columns: ['operational'],
          reason: `${Math.abs(delta)} ${delta > 0 ? 'more' : 'fewer'} ${who} at ${name}: more or less of the same input is neither an exchange nor an improvement of a task, so Figure 2 has no cell for it; its effect shows in the measures.`,
        },
      ];
    }
    case 'setRoster':
    case 'extendHours':
      return [
        {
          row: null,
          columns: ['operational'],
          reason: `Staff on duty at other hours${name === '' ? '' : ` at ${name}`}: more or fewer hours of the same input is neither an exchange nor an improvement of a task, so Figure 2 has no cell for it; its effect shows in the measures.`,
        },
      ];
    case 'setCost': {
      const hints: Hint[] = [];
      if (
        change.costPerServerHour !== undefined &&
        stage !== undefined &&
        change.costPerServerHour !== stage.costPerServerHour
      ) {
        const cheaper = change.costPerServerHour < stage.costPerServerHour;
        hints.push({
          row: 'technical',
          columns: ['budgetary'],
          reason: `The same input at a ${cheaper ? 'lower' : 'higher'} price: an hour at ${name} costs ${fmt(change.costPerServerHour, 2)} instead of ${fmt(stage.costPerServerHour, 2)}.`,
        });
      }
      if (
        change.costPerCase !== undefined &&
        stage !== undefined &&
        change.costPerCase !== stage.costPerCase
      ) {
        const before = stage.costPerCase;
        const after = change.costPerCase;
        hints.push(
          before === 0
            ? {
                row: null,
                columns: ['operational'],
                reason: `A new input is bought: ${fmt(after, 2)} per ${one} at ${name} (for example a licence per use). Buying an input is not an improvement in itself; its cost counts in the cost per output.`,
              }
            : after === 0
              ? {
                  row: 'substitution',
                  columns: ['budgetary', 'operational'],
                  reason: `An input is removed: the charge of ${fmt(before, 2)} per ${one} at ${name} is no longer paid.`,
                }
              : {
                  row: 'technical',
                  columns: ['budgetary'],
                  reason: `The same input at a ${after < before ? 'lower' : 'higher'} price: the charge per ${one} at ${name} is ${fmt(after, 2)} instead of ${fmt(before, 2)}.`,
                },
        );
      }
      return hints;
    }
    case 'scaleRework':
    case 'addRework':
    case 'setRoutes': {
      if (stage === undefined) return [];
      if (change.kind === 'scaleRework' && change.factor === 1) return [];
      if (change.kind === 'addRework' && change.share === 0) return [];
      const after = routesAfter(chain, change, stage.id);
      if (after === null) {
        return [
          {
            row: 'technical',
            columns: ['operational'],
            reason: `The same task, routed differently: ${name} sends its ${unit} on in other proportions.`,
          },
        ];
      }
      return routingHints(chain, stage, after, unit);
    }
    case 'replaceStage': {
      const next = change.with;
      const columns: TypologyColumn[] = ['operational'];
      if (
        stage === undefined ||
        next.costPerServerHour !== stage.costPerServerHour ||
        next.costPerCase !== stage.costPerCase
      ) {
        columns.unshift('budgetary');
      }
      if (stage !== undefined) {
        const values = outcomeValues(chain);
        const value = (routes: readonly Route[]): number =>
          routes.reduce((acc, r) => acc + r.probability * (values.get(r.to) ?? 0), 0);
        if (Math.abs(value(next.routes) - value(stage.routes)) > 1e-9)
          columns.push('effectiveness');
      }
      return [
        {
          row: 'substitution',
          columns,
          reason: `A task is exchanged for a different one: ${name} is replaced by ${next.name}.`,
        },
      ];
    }
    case 'setOutcomeContribution': {
      const output = chain.outputs.find((o) => o.id === change.output);
      if (output === undefined || output.outcomeContribution === change.outcomeContribution)
        return [];
      const more = change.outcomeContribution > output.outcomeContribution;
      return [
        {
          row: 'technical',
          columns: ['effectiveness'],
          reason: `The same output made ${more ? 'more' : 'less'} effective: ${pct(output.outcomeContribution)} → ${pct(change.outcomeContribution)} of “${output.name}” achieve ${chain.outcomeName}.`,
        },
      ];
    }
    case 'scaleDemand':
      if (change.factor === 1) return [];
      return [
        {
          row: null,
          columns: ['operational'],
          reason: `${change.factor > 1 ? 'More' : 'Less'} work arrives (demand × ${fmt(change.factor, 2)}): a change in workload, not in how inputs become outputs and outcomes, so Figure 2 has no cell for it.`,
        },
      ];
    case 'addInput': {
      const input = change.input;
      if (input.replaces === undefined) {
        return [
          {
            row: null,
            columns: ['operational'],
            reason: `A new input is bought: ${input.name} (${fmt(input.costPerWeek, 2)} a week). Buying an input is not an improvement in itself; its cost counts in the cost per output.`,
          },
        ];
      }
      return [
        {
          row: 'substitution',
          columns: ['budgetary', 'operational'],
          reason: `An input is exchanged for a different one: ${input.name} is bought instead of ${inputCalled(chain, input.replaces)}.`,
        },
      ];
    }
    case 'removeInput':
      return [
        {
          row: 'substitution',
          columns: ['budgetary', 'operational'],
          reason: `An input is removed: ${inputCalled(chain, change.input)} is no longer bought.`,
        },
      ];
    case 'setInputCost': {
      const input = chain.inputs.find((i) => i.id === change.input);
      if (input === undefined || input.costPerWeek === change.costPerWeek) return [];
      const cheaper = change.costPerWeek < input.costPerWeek;
      return [
        {
          row: 'technical',
          columns: ['budgetary'],
          reason: `The same input at a ${cheaper ? 'lower' : 'higher'} price: ${input.name} costs ${fmt(change.costPerWeek, 2)} a week instead of ${fmt(input.costPerWeek, 2)}.`,
        },
      ];
    }
  }
}

const EFFECT: Record<Exclude<Movement, 'no'>, TypologySuggestion['effect']> = {
  better: 'improves',
  worse: 'worsens',
  mixed: 'mixed',
};

/** The closed-form measures of the intervention alone against the chain, or why they cannot be had. */
function measureAlone(
  intervention: Intervention,
  chain: DeliveryChain,
): { measures: MeasureComparison[] } | { problem: string } {
  const applied = applyInterventions(chain, [intervention]);
  if (!applied.ok) return { problem: applied.issues.map((i) => i.message).join('; ') };
  const base = { chain, analysis: analyseChain(chain), simulation: null };
  const scen = { chain: applied.chain, analysis: analyseChain(applied.chain), simulation: null };
  return { measures: compareMeasures(base, scen) };
}

/**
 * Reads an intervention against Figure 2: the paper's test of each change (substitution or
 * technical) and, per column, whether its measures moved. Pass `measures` from a scenario
 * comparison of this intervention alone to judge movement as the simulation does; otherwise the
 * closed forms are used, with the default 1% materiality.
 */
export function readTypology(
  intervention: Intervention,
  chain: DeliveryChain,
  measures?: readonly MeasureComparison[],
): TypologyReading {
  let measured = measures;
  let problem: string | null = null;
  if (measured === undefined) {
    const alone = measureAlone(intervention, chain);
    if ('problem' in alone) problem = alone.problem;
    else measured = alone.measures;
  }
  const movement = familyMovement(measured ?? []);
  const hints = intervention.changes.flatMap((change) => hintsFor(change, chain));
  const suggestions: TypologySuggestion[] = [];
  const columns = MEASURE_FAMILIES.map((column): TypologyColumnReading => {
    const label = FAMILY_DEFINITIONS[column].label;
    const moved = movement[column];
    const inColumn = hints.filter((h) => h.columns.includes(column));
    const evidence = (measured ?? [])
      .filter((m) => m.family === column && m.moved)
      .map((m) => `${describeMovement(m, chain.hoursPerWeek)}.`);
    const base = { column, label, moved, evidence };
    if (problem !== null) {
      return { ...base, cells: [], note: `Not measured: ${problem}` };
    }
    if (moved === 'no') {
      const claims = inColumn.filter((h) => h.row !== null);
      return {
        ...base,
        cells: [],
        note:
          claims.length > 0
            ? `No ${label.toLowerCase()} measure moved, so no cell is suggested here, although: ${claims.map((h) => h.reason).join(' ')}`
            : null,
      };
    }
    const cells: TypologyCellNumber[] = [];
    for (const row of ['substitution', 'technical'] as const) {
      const behind = inColumn.filter((h) => h.row === row);
      if (behind.length === 0) continue;
      const cell = cellAt(row, column);
      cells.push(cell.cell);
      suggestions.push({
        ...cell,
        effect: EFFECT[moved],
        reasons: behind.map((h) => h.reason),
        evidence,
      });
    }
    const unclassified = inColumn.filter((h) => h.row === null);
    const note =
      cells.length === 0
        ? `${label} moved, but no change in this intervention exchanges or improves an input or task here, so no cell is suggested${unclassified.length > 0 ? `: ${unclassified.map((h) => h.reason).join(' ')}` : '; the movement comes from elsewhere in the chain.'}`
        : unclassified.length > 0
          ? `Also: ${unclassified.map((h) => h.reason).join(' ')}`
          : null;
    return { ...base, cells, note };
  });
  suggestions.sort((a, b) => a.cell - b.cell);
  return { suggestions, columns, problem };
}

/**
 * The Figure 2 cells an intervention belongs in, each with its reasons and evidence: only where the
 * column's measures moved (see `readTypology`).
 */
export function suggestTypologyCells(
  intervention: Intervention,
  chain: DeliveryChain,
  measures?: readonly MeasureComparison[],
): TypologySuggestion[] {
  return [...readTypology(intervention, chain, measures).suggestions];
}

/** The cells to report for an intervention: the user's choice if made, else the suggestion. */
export function chosenTypologyCells(
  intervention: Intervention,
  chain: DeliveryChain,
  measures?: readonly MeasureComparison[],
): TypologyCellNumber[] {
  if (intervention.typologyCells !== undefined) {
    return [...new Set(intervention.typologyCells)].sort((a, b) => a - b) as TypologyCellNumber[];
  }
  return suggestTypologyCells(intervention, chain, measures).map((s) => s.cell);
}
