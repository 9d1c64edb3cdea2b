// The paper's typology of productivity improvement (section 2.2.1, Figure 2): two rows —
// substitution (a resource or task exchanged for a different one) and technical improvement (the
// same resource or task made better) — by three columns of the delivery chain — budgetary
// efficiency, operational efficiency, effectiveness — numbered 1–6. `suggestTypologyCells` reads
// what an intervention changes and suggests cells with a reason each; the user makes the final
// choice, stored on the intervention as `typologyCells`.
import { serviceMoments } from './model.ts';
import type { Change, DeliveryChain, Intervention, Stage, TypologyCellNumber } from './model.ts';

export type TypologyRow = 'substitution' | 'technical';
export type TypologyColumn = 'budgetary' | 'operational' | 'effectiveness';

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

export interface TypologySuggestion extends TypologyCell {
  /** Whether the changes placed here improve, worsen, or both (a cell can hold a side effect). */
  readonly effect: 'improves' | 'worsens' | 'mixed';
  /** One reason per change that points to this cell. */
  readonly reasons: readonly string[];
}

interface Hint {
  readonly cell: TypologyCellNumber;
  readonly effect: 'improves' | 'worsens';
  readonly reason: string;
}

function pctChange(factor: number): string {
  return `${Math.round(Math.abs(1 - factor) * 100)}%`;
}

function stageName(chain: DeliveryChain | undefined, id: string): string {
  return chain?.stages.find((s) => s.id === id)?.name ?? id;
}

function stageCostPerVisit(stage: Stage): number {
  const { mean } = serviceMoments(stage.service);
  return stage.costPerServerHour * mean + stage.costPerCase;
}

/**
 * Expected outcome contribution of a case routed to each stage or output: v = P v + r, solved by
 * iteration (every stage can reach the exit, so it converges). Used to tell whether re-routing
 * sends cases towards outputs with more effect on outcomes.
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

function routeOutcome(routes: Stage['routes'], values: ReadonlyMap<string, number>): number {
  return routes.reduce((acc, r) => acc + r.probability * (values.get(r.to) ?? 0), 0);
}

function hintsFor(change: Change, chain: DeliveryChain | undefined): Hint[] {
  const stage =
    'stage' in change && change.stage !== undefined
      ? chain?.stages.find((s) => s.id === change.stage)
      : undefined;
  const name =
    'stage' in change && change.stage !== undefined ? stageName(chain, change.stage) : '';
  switch (change.kind) {
    case 'scaleServiceTime':
      if (change.factor === 1) return [];
      return [
        change.factor < 1
          ? {
              cell: 5,
              effect: 'improves',
              reason: `${name} is adapted to take ${pctChange(change.factor)} less time per case`,
            }
          : {
              cell: 5,
              effect: 'worsens',
              reason: `${name} takes ${pctChange(change.factor)} more time per case (extra work)`,
            },
      ];
    case 'setService': {
      const before = stage === undefined ? undefined : serviceMoments(stage.service).mean;
      const after = serviceMoments(change.service).mean;
      const sameKind = stage?.service.kind === change.service.kind;
      const cell = sameKind ? 5 : 2;
      if (before === undefined)
        return [{ cell, effect: 'improves', reason: `${name} is done a different way` }];
      if (after === before) return [];
      return [
        {
          cell,
          effect: after < before ? 'improves' : 'worsens',
          reason: `${name} ${sameKind ? 'is adapted' : 'is done a different way'} and takes ${after < before ? 'less' : 'more'} time per case`,
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
      if (delta < 0) {
        return [
          {
            cell: 1,
            effect: 'improves',
            reason: `${name} needs ${-delta} fewer staff or machines: an input is removed`,
          },
        ];
      }
      // Buying more of the same input raises capacity but is not, by itself, a productivity improvement.
      return [];
    }
    case 'setCost': {
      const hints: Hint[] = [];
      const pairs: [number | undefined, number | undefined, string][] = [
        [change.costPerServerHour, stage?.costPerServerHour, 'an hour of work'],
        [change.costPerCase, stage?.costPerCase, 'each case'],
      ];
      for (const [next, before, what] of pairs) {
        if (next === undefined || next === before) continue;
        const cheaper = before === undefined || next < before;
        hints.push({
          cell: 4,
          effect: cheaper ? 'improves' : 'worsens',
          reason: `${name}: ${what} costs ${cheaper ? 'less' : 'more'} for the same resource`,
        });
      }
      return hints;
    }
    case 'scaleRework':
      if (change.factor === 1) return [];
      return [
        change.factor < 1
          ? {
              cell: 5,
              effect: 'improves',
              reason: `${name} sends ${pctChange(change.factor)} fewer cases back for rework, so less work is done twice`,
            }
          : {
              cell: 5,
              effect: 'worsens',
              reason: `${name} sends ${pctChange(change.factor)} more cases back for rework`,
            },
      ];
    case 'addRework':
      if (change.share === 0) return [];
      return [
        {
          cell: 5,
          effect: 'worsens',
          reason: `${Math.round(change.share * 100)}% of cases at ${name} are sent back for re-checking${change.to !== undefined && change.to !== change.stage ? ` at ${stageName(chain, change.to)}` : ''}: more work per output`,
        },
      ];
    case 'setRoutes': {
      if (chain === undefined || stage === undefined) {
        return [
          {
            cell: 2,
            effect: 'improves',
            reason: `${name} sends its cases on by a different route`,
          },
        ];
      }
      const hints: Hint[] = [];
      const rework = (routes: Stage['routes']): number =>
        routes.filter((r) => r.rework === true).reduce((s, r) => s + r.probability, 0);
      const values = outcomeValues(chain);
      const outcome = (routes: Stage['routes']): number => routeOutcome(routes, values);
      const dr = rework(change.routes) - rework(stage.routes);
      if (Math.abs(dr) > 1e-9) {
        hints.push({
          cell: 5,
          effect: dr < 0 ? 'improves' : 'worsens',
          reason: `${name} sends ${dr < 0 ? 'fewer' : 'more'} cases back for rework`,
        });
      }
      const dout = outcome(change.routes) - outcome(stage.routes);
      if (Math.abs(dout) > 1e-9) {
        hints.push({
          cell: 3,
          effect: dout > 0 ? 'improves' : 'worsens',
          reason: `${name} shifts cases to outputs with ${dout > 0 ? 'more' : 'less'} effect on outcomes`,
        });
      }
      if (hints.length === 0)
        hints.push({
          cell: 2,
          effect: 'improves',
          reason: `${name} sends its cases on by a different route`,
        });
      return hints;
    }
    case 'replaceStage': {
      const next = change.with;
      const hints: Hint[] = [];
      if (stage === undefined) {
        return [{ cell: 2, effect: 'improves', reason: `${name} is replaced by ${next.name}` }];
      }
      const capBefore = stage.servers / serviceMoments(stage.service).mean;
      const capAfter = next.servers / serviceMoments(next.service).mean;
      const timeBefore = serviceMoments(stage.service).mean;
      const timeAfter = serviceMoments(next.service).mean;
      if (timeAfter !== timeBefore || capAfter !== capBefore) {
        hints.push({
          cell: 2,
          effect: timeAfter <= timeBefore ? 'improves' : 'worsens',
          reason: `${name} is replaced by ${next.name}, which takes ${timeAfter <= timeBefore ? 'less' : 'more'} time per case`,
        });
      }
      const staffBefore = stage.servers * stage.costPerServerHour;
      const staffAfter = next.servers * next.costPerServerHour;
      if (staffAfter < staffBefore || stageCostPerVisit(next) < stageCostPerVisit(stage)) {
        hints.push({
          cell: 1,
          effect: 'improves',
          reason: `${next.name} replaces costlier inputs at ${name}`,
        });
      } else if (staffAfter > staffBefore) {
        hints.push({
          cell: 1,
          effect: 'worsens',
          reason: `${next.name} costs more to run than ${name}`,
        });
      }
      if (chain !== undefined) {
        const values = outcomeValues(chain);
        const d = routeOutcome(next.routes, values) - routeOutcome(stage.routes, values);
        if (Math.abs(d) > 1e-9) {
          hints.push({
            cell: 3,
            effect: d > 0 ? 'improves' : 'worsens',
            reason: `${next.name} leads to outputs with ${d > 0 ? 'more' : 'less'} effect on outcomes`,
          });
        }
      }
      if (hints.length === 0)
        hints.push({ cell: 2, effect: 'improves', reason: `${name} is replaced by ${next.name}` });
      return hints;
    }
    case 'setOutcomeContribution': {
      const output = chain?.outputs.find((o) => o.id === change.output);
      const before = output?.outcomeContribution;
      if (before === change.outcomeContribution) return [];
      const better = before === undefined || change.outcomeContribution > before;
      return [
        {
          cell: 6,
          effect: better ? 'improves' : 'worsens',
          reason: `${output?.name ?? change.output} ${better ? 'contributes more' : 'contributes less'} to outcomes (${before === undefined ? '' : `${Math.round(before * 100)}% → `}${Math.round(change.outcomeContribution * 100)}%)`,
        },
      ];
    }
    case 'removeInput':
      return [
        { cell: 1, effect: 'improves', reason: `input "${change.input}" is no longer needed` },
      ];
    case 'addInput':
      return [
        { cell: 1, effect: 'worsens', reason: `a new input is bought: ${change.input.name}` },
      ];
    case 'setInputCost': {
      const before = chain?.inputs.find((i) => i.id === change.input)?.costPerWeek;
      if (before === change.costPerWeek) return [];
      const cheaper = before === undefined || change.costPerWeek < before;
      return [
        {
          cell: 4,
          effect: cheaper ? 'improves' : 'worsens',
          reason: `input "${change.input}" is bought ${cheaper ? 'more cheaply' : 'at a higher price'}`,
        },
      ];
    }
    case 'scaleDemand':
      // A change in demand (e.g. channel shift) changes workload, not how well inputs become outcomes.
      return [];
  }
}

/**
 * Suggests Figure 2 cells for an intervention from what it changes, with a reason per change.
 * Pass the chain for sharper suggestions (whether a cost or a contribution went up or down).
 */
export function suggestTypologyCells(
  intervention: Intervention,
  chain?: DeliveryChain,
): TypologySuggestion[] {
  const byCell = new Map<TypologyCellNumber, Hint[]>();
  for (const change of intervention.changes) {
    for (const hint of hintsFor(change, chain)) {
      byCell.set(hint.cell, [...(byCell.get(hint.cell) ?? []), hint]);
    }
  }
  return [...byCell.entries()]
    .sort(([a], [b]) => a - b)
    .map(([cell, hints]) => {
      const improves = hints.some((h) => h.effect === 'improves');
      const worsens = hints.some((h) => h.effect === 'worsens');
      return {
        ...typologyCell(cell),
        effect: improves && worsens ? 'mixed' : worsens ? 'worsens' : 'improves',
        reasons: hints.map((h) => h.reason),
      };
    });
}

/** The cells to report for an intervention: the user's choice if made, else the suggestion. */
export function chosenTypologyCells(
  intervention: Intervention,
  chain?: DeliveryChain,
): TypologyCellNumber[] {
  if (intervention.typologyCells !== undefined) {
    return [...new Set(intervention.typologyCells)].sort((a, b) => a - b) as TypologyCellNumber[];
  }
  return suggestTypologyCells(intervention, chain).map((s) => s.cell);
}
