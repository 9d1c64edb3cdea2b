// Figure 2 read the paper's way: the row from the test of each change (exchanged → substitution,
// the same made better → technical), the column only where Figure 1's measures moved.
import { describe, expect, it } from 'vitest';
import { chosenTypologyCells, readTypology, suggestTypologyCells } from './typology.ts';
import { demoChains } from './demo.ts';
import { costedChain } from './testChains.ts';
import type { Intervention } from './model.ts';

const stable = costedChain(0.5);
const saturated = costedChain(1.25);
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

describe('the paper’s test: substitution or technical improvement', () => {
  it('an input exchanged for a cheaper, different one is cell 1, with the reason and the evidence', () => {
    const s = suggestTypologyCells(
      intervention([
        {
          kind: 'addInput',
          input: {
            id: 'cloud-system',
            name: 'Cloud case system',
            kind: 'equipment',
            costPerWeek: 210,
            quantity: 3,
            replaces: 'case-system',
          },
        },
      ]),
      stable,
    );
    expect(s).toEqual([
      expect.objectContaining({
        cell: 1,
        row: 'substitution',
        column: 'budgetary',
        effect: 'improves',
        reasons: [
          'An input is exchanged for a different one: Cloud case system is bought instead of Case management system.',
        ],
        evidence: ['Cost per unit of other inputs, a week: down from 100 to 70 (−30.0%).'],
      }),
    ]);
  });

  it('staff exchanged for a cheaper automated stage is cell 1', () => {
    const s = suggestTypologyCells(
      intervention([
        {
          kind: 'replaceStage',
          stage: 'intake',
          with: {
            id: 'intake',
            name: 'Automated intake',
            organisation: 'Test',
            servers: 1,
            service: { kind: 'exponential', mean: 0.5 },
            costPerServerHour: 8,
            costPerCase: 0,
            routes: [{ to: 'assess', probability: 1 }],
          },
        },
      ]),
      stable,
    );
    // (8 + 2 × 40) / 3 = 29.33 an hour; the time per case is unchanged, so nothing operational moves.
    expect(s.map((x) => [x.cell, x.effect])).toEqual([[1, 'improves']]);
    expect(s[0]?.reasons).toEqual([
      'A task is exchanged for a different one: Intake is replaced by Automated intake.',
    ]);
    expect(s[0]?.evidence).toEqual([
      'Cost per staff or machine hour: down from 33.33 to 29.33 (−12.0%).',
    ]);
  });

  it('the same input bought more cheaply is cell 4', () => {
    const s = suggestTypologyCells(
      intervention([{ kind: 'setInputCost', input: 'case-system', costPerWeek: 240 }]),
      stable,
    );
    expect(s).toEqual([
      expect.objectContaining({
        cell: 4,
        row: 'technical',
        effect: 'improves',
        reasons: [
          'The same input at a lower price: Case management system costs 240.00 a week instead of 300.00.',
        ],
      }),
    ]);
    const hour = suggestTypologyCells(
      intervention([{ kind: 'setCost', stage: 'assess', costPerServerHour: 36 }]),
      stable,
    );
    expect(hour.map((x) => x.cell)).toEqual([4]);
    expect(hour[0]?.reasons[0]).toBe(
      'The same input at a lower price: an hour at Assessment costs 36.00 instead of 40.00.',
    );
  });

  it('the same task made quicker is cell 5 when the measures move', () => {
    const s = suggestTypologyCells(
      intervention([{ kind: 'scaleServiceTime', stage: 'assess', factor: 0.7 }]),
      saturated,
    );
    expect(s).toEqual([
      expect.objectContaining({
        cell: 5,
        row: 'technical',
        column: 'operational',
        effect: 'improves',
        reasons: ['The same task made quicker: Assessment takes 30% less time per case.'],
      }),
    ]);
    expect(s[0]?.evidence).toContain('Outputs a week (throughput): up from 40.0 to 50.0 (+25.0%).');
  });

  it('more outcomes from the same output or task is cell 6; cases sent to a different output is cell 3', () => {
    const potent = suggestTypologyCells(
      intervention([
        { kind: 'setOutcomeContribution', output: 'approved', outcomeContribution: 0.95 },
      ]),
      stable,
    );
    expect(potent.map((x) => [x.cell, x.effect])).toEqual([[6, 'improves']]);
    expect(potent[0]?.reasons[0]).toBe(
      'The same output made more effective: 90% → 95% of “Approved” achieve outcomes.',
    );
    // Same two outputs, more cases approved: 0.9 × 0.9 + 0.1 × 0.5 = 0.86.
    const sameTask = suggestTypologyCells(
      intervention([
        {
          kind: 'setRoutes',
          stage: 'assess',
          routes: [
            { to: 'approved', probability: 0.9 },
            { to: 'declined', probability: 0.1 },
          ],
        },
      ]),
      stable,
    );
    expect(sameTask.map((x) => x.cell)).toEqual([6]);
    // Declined cases referred to a specialist instead: 0.8 × 0.9 + 0.2 × 0.7 = 0.86.
    const exchanged = suggestTypologyCells(
      intervention([
        {
          kind: 'setRoutes',
          stage: 'assess',
          routes: [
            { to: 'approved', probability: 0.8 },
            { to: 'referred', probability: 0.2 },
          ],
        },
      ]),
      stable,
    );
    expect(exchanged.map((x) => [x.cell, x.row])).toEqual([[3, 'substitution']]);
    expect(exchanged[0]?.reasons[0]).toBe(
      'A task is exchanged: Assessment now sends cases on a different path (to “Referred to a specialist”), replacing what was done with them before.',
    );
  });

  it('records harm: a less effective output is cell 6, worsening', () => {
    const s = suggestTypologyCells(
      intervention([
        { kind: 'setOutcomeContribution', output: 'approved', outcomeContribution: 0.8 },
      ]),
      stable,
    );
    expect(s.map((x) => [x.cell, x.effect])).toEqual([[6, 'worsens']]);
  });
});

describe('no "improves" where the measures do not move', () => {
  it('a faster stage away from a saturated bottleneck gets no cell, and says why', () => {
    const faster = intervention([{ kind: 'scaleServiceTime', stage: 'intake', factor: 0.9 }]);
    const reading = readTypology(faster, saturated);
    expect(reading.suggestions).toEqual([]);
    expect(reading.columns.map((c) => [c.column, c.moved, c.cells])).toEqual([
      ['budgetary', 'no', []],
      ['operational', 'no', []],
      ['effectiveness', 'no', []],
    ]);
    expect(reading.columns[1]?.note).toBe(
      'No operational efficiency measure moved, so no cell is suggested here, although: The same task made quicker: Intake takes 10% less time per case.',
    );
    expect(suggestTypologyCells(faster, saturated)).toEqual([]);
  });

  it('faster printing off the planning bottleneck suggests nothing', () => {
    const printing = planning.interventions.find((i) => i.id === 'faster-printing');
    if (printing === undefined) throw new Error('demo intervention missing');
    expect(suggestTypologyCells(printing, planning)).toEqual([]);
  });

  it('more staff moves the measures but is no cell of Figure 2', () => {
    const reading = readTypology(
      intervention([{ kind: 'addServers', stage: 'assess', delta: 1 }]),
      saturated,
    );
    expect(reading.suggestions).toEqual([]);
    const operational = reading.columns.find((c) => c.column === 'operational');
    expect(operational?.moved).toBe('mixed');
    expect(operational?.note).toBe(
      'Operational efficiency moved, but no change in this intervention exchanges or improves an input or task here, so no cell is suggested: 1 more member of staff at Assessment: more or less of the same input is neither an exchange nor an improvement of a task, so Figure 2 has no cell for it; its effect shows in the measures.',
    );
  });

  it('judges movement on the measures it is given (as a simulated comparison does)', () => {
    const faster = intervention([{ kind: 'scaleServiceTime', stage: 'assess', factor: 0.7 }]);
    expect(suggestTypologyCells(faster, saturated, [])).toEqual([]);
  });

  it('says so when the intervention cannot be applied', () => {
    const reading = readTypology(
      intervention([{ kind: 'addServers', stage: 'assess', delta: -5 }]),
      stable,
    );
    expect(reading.suggestions).toEqual([]);
    expect(reading.problem).toMatch(/cannot remove 5 of 2 servers/);
  });
});

describe('the demo interventions', () => {
  it('AI review support: the same review made quicker, cell 5; the licence is a new input, no cell', () => {
    const ai = planning.interventions.find((i) => i.id === 'ai-review-support');
    if (ai === undefined) throw new Error('demo intervention missing');
    const reading = readTypology(ai, planning);
    expect(reading.suggestions.map((x) => [x.cell, x.effect])).toEqual([[5, 'improves']]);
    expect(reading.columns.find((c) => c.column === 'operational')?.note).toBe(
      'Also: A new input is bought: 6.00 per application at Manual review (for example a licence per use). Buying an input is not an improvement in itself; its cost counts in the cost per output.',
    );
  });

  it('the online portal: the submission task exchanged (2) and fewer errors at validation (5)', () => {
    const portal = planning.interventions.find((i) => i.id === 'online-portal');
    if (portal === undefined) throw new Error('demo intervention missing');
    const s = suggestTypologyCells(portal, planning);
    expect(s.map((x) => [x.cell, x.effect])).toEqual([
      [2, 'improves'],
      [5, 'improves'],
    ]);
    expect(s[1]?.reasons).toEqual([
      'The same task with fewer errors: Validation sends 10% → 4% of its applications back for rework.',
    ]);
  });

  it('witness statements across the chain: cells 5 and 6, both worsening', () => {
    const chain = demoChains.policeProsecutionCourts;
    const ai = chain.interventions.find((i) => i.id === 'ai-statements');
    if (ai === undefined) throw new Error('demo intervention missing');
    const s = suggestTypologyCells(ai, chain);
    expect(s.map((x) => [x.cell, x.effect])).toEqual([
      [5, 'worsens'],
      [6, 'worsens'],
    ]);
    expect(s[0]?.reasons).toHaveLength(5);
  });

  it('keeps the user’s final choice over the suggestion', () => {
    const i = intervention([{ kind: 'scaleServiceTime', stage: 'assess', factor: 0.7 }], [2, 5]);
    expect(chosenTypologyCells(i, saturated)).toEqual([2, 5]);
    expect(chosenTypologyCells({ ...i, typologyCells: undefined }, saturated)).toEqual([5]);
  });
});
