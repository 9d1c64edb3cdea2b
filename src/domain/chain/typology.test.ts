import { describe, expect, it } from 'vitest';
import { chosenTypologyCells, suggestTypologyCells } from './typology.ts';
import { demoChains } from './demo.ts';
import type { Intervention } from './model.ts';

const planning = demoChains.planningPermit;
const intervention = (
  changes: Intervention['changes'],
  typologyCells?: Intervention['typologyCells'],
): Intervention => ({
  id: 'i',
  name: 'I',
  changes,
  ...(typologyCells === undefined ? {} : { typologyCells }),
});

describe('suggestTypologyCells (Figure 2)', () => {
  it('puts a faster task in cell 5 (technical, operational) with a reason', () => {
    const s = suggestTypologyCells(
      intervention([{ kind: 'scaleServiceTime', stage: 'manual-review', factor: 0.7 }]),
      planning,
    );
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({
      cell: 5,
      row: 'technical',
      column: 'operational',
      effect: 'improves',
    });
    expect(s[0]?.reasons[0]).toBe('Manual review is adapted to take 30% less time per case');
  });

  it('puts the paper’s NLP review example in cells 1 and 5 (fewer staff, faster task)', () => {
    const s = suggestTypologyCells(
      intervention([
        { kind: 'scaleServiceTime', stage: 'manual-review', factor: 0.6 },
        { kind: 'addServers', stage: 'manual-review', delta: -1 },
      ]),
      planning,
    );
    expect(s.map((x) => x.cell)).toEqual([1, 5]);
  });

  it('tells cheaper inputs (4) from exchanged inputs (1) and tasks (2)', () => {
    expect(
      suggestTypologyCells(
        intervention([{ kind: 'setCost', stage: 'printing', costPerServerHour: 20 }]),
        planning,
      )[0],
    ).toMatchObject({ cell: 4, effect: 'improves' });
    expect(
      suggestTypologyCells(
        intervention([{ kind: 'removeInput', input: 'case-system' }]),
        planning,
      )[0]?.cell,
    ).toBe(1);
    const portal = planning.interventions.find((i) => i.id === 'online-portal');
    if (portal === undefined) throw new Error('demo intervention missing');
    expect(suggestTypologyCells(portal, planning).map((x) => x.cell)).toEqual([1, 2, 5]);
  });

  it('places effectiveness changes in 6 (adapted) or 3 (exchanged), including harm', () => {
    const worse = suggestTypologyCells(
      intervention([
        { kind: 'setOutcomeContribution', output: 'granted', outcomeContribution: 0.8 },
      ]),
      planning,
    );
    expect(worse[0]).toMatchObject({ cell: 6, effect: 'worsens' });
    const reroute = suggestTypologyCells(
      intervention([
        { kind: 'setRoutes', stage: 'approval', routes: [{ to: 'printing', probability: 1 }] },
      ]),
      planning,
    );
    expect(reroute[0]).toMatchObject({ cell: 3, effect: 'improves' });
  });

  it('marks a cell mixed when one change helps and another hurts (witness statements)', () => {
    const ai = demoChains.policeProsecutionCourts.interventions.find(
      (i) => i.id === 'ai-statements',
    );
    if (ai === undefined) throw new Error('demo intervention missing');
    const s = suggestTypologyCells(ai, demoChains.policeProsecutionCourts);
    expect(s.map((x) => [x.cell, x.effect])).toEqual([
      [5, 'mixed'],
      [6, 'worsens'],
    ]);
    expect(s[0]?.reasons).toHaveLength(5);
  });

  it('keeps the user’s final choice over the suggestion', () => {
    const i = intervention([{ kind: 'scaleServiceTime', stage: 'printing', factor: 0.5 }], [2, 5]);
    expect(chosenTypologyCells(i, planning)).toEqual([2, 5]);
    expect(chosenTypologyCells({ ...i, typologyCells: undefined }, planning)).toEqual([5]);
  });
});
