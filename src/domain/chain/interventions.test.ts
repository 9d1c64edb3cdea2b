import { describe, expect, it } from 'vitest';
import { applyInterventions, scaleService } from './interventions.ts';
import { demoChains } from './demo.ts';
import type { Change, DeliveryChain } from './model.ts';

function apply(chain: DeliveryChain, ...changes: Change[]): DeliveryChain {
  const r = applyInterventions(chain, [{ id: 'test', name: 'Test', changes }]);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.chain;
}

const planning = demoChains.planningPermit;
const police = demoChains.policeProsecutionCourts;

describe('applyInterventions', () => {
  it('returns a new chain and leaves the original untouched', () => {
    const before = JSON.stringify(planning);
    const after = apply(planning, { kind: 'setServers', stage: 'manual-review', servers: 6 });
    expect(after.stages[2]?.servers).toBe(6);
    expect(planning.stages[2]?.servers).toBe(4);
    expect(JSON.stringify(planning)).toBe(before);
  });

  it('scales every distribution, empirical samples included', () => {
    expect(scaleService({ kind: 'lognormal', mean: 10, cv: 0.5 }, 0.7)).toEqual({
      kind: 'lognormal',
      mean: 7,
      cv: 0.5,
    });
    expect(scaleService({ kind: 'empirical', samples: [1, 2] }, 2)).toEqual({
      kind: 'empirical',
      samples: [2, 4],
    });
  });

  it('scales rework and lets the other routes take up the rest', () => {
    const after = apply(planning, { kind: 'scaleRework', stage: 'validation', factor: 0.4 });
    const routes = after.stages[1]?.routes ?? [];
    expect(routes.find((r) => r.to === 'submission')?.probability).toBeCloseTo(0.04, 12);
    expect(routes.find((r) => r.to === 'manual-review')?.probability).toBeCloseTo(0.96, 12);
  });

  it('adds re-checking work downstream, to the stage itself or an earlier one', () => {
    const after = apply(police, { kind: 'addRework', stage: 'prosecution', share: 0.25 });
    const routes = after.stages[1]?.routes ?? [];
    expect(routes.find((r) => r.to === 'prosecution')).toEqual({
      to: 'prosecution',
      probability: 0.25,
      rework: true,
    });
    expect(routes.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 12);
    const back = apply(police, {
      kind: 'addRework',
      stage: 'prosecution',
      share: 0.1,
      to: 'police',
    });
    expect(back.stages[1]?.routes.find((r) => r.to === 'police')?.probability).toBeCloseTo(
      0.19,
      12,
    );
  });

  it('replaces a stage but keeps its id so routes still reach it', () => {
    const replacement = {
      ...planning.stages[0],
      id: 'portal',
      name: 'Portal',
      servers: 1,
    } as DeliveryChain['stages'][number];
    const after = apply(planning, { kind: 'replaceStage', stage: 'submission', with: replacement });
    expect(after.stages[0]?.id).toBe('submission');
    expect(after.stages[0]?.name).toBe('Portal');
  });

  it('changes outcomes, demand and inputs', () => {
    const after = apply(
      planning,
      { kind: 'setOutcomeContribution', output: 'granted', outcomeContribution: 0.99 },
      { kind: 'scaleDemand', factor: 2 },
      { kind: 'setInputCost', input: 'case-system', costPerWeek: 100 },
    );
    expect(after.outputs[0]?.outcomeContribution).toBe(0.99);
    expect(after.demand[0]?.rate).toBeCloseTo(28.4, 12);
    expect(after.inputs[0]?.costPerWeek).toBe(100);
  });

  it('exchanges an input for the one it replaces, in its place', () => {
    const after = apply(planning, {
      kind: 'addInput',
      input: {
        id: 'cloud-system',
        name: 'Cloud case system',
        kind: 'equipment',
        costPerWeek: 250,
        replaces: 'case-system',
      },
    });
    expect(after.inputs.map((i) => i.id)).toEqual(['cloud-system']);
    const missing = applyInterventions(planning, [
      {
        id: 'swap',
        name: 'Swap',
        changes: [
          { kind: 'removeInput', input: 'case-system' },
          {
            kind: 'addInput',
            input: {
              id: 'new',
              name: 'New',
              kind: 'equipment',
              costPerWeek: 1,
              replaces: 'case-system',
            },
          },
        ],
      },
    ]);
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.issues[0]?.message).toBe(
      'intervention "swap": "new" replaces "case-system", which is not an input',
    );
  });

  it('reports an intervention that would break the chain, by name', () => {
    const r = applyInterventions(planning, [
      { id: 'cuts', name: 'Cuts', changes: [{ kind: 'addServers', stage: 'printing', delta: -1 }] },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]?.message).toBe(
      'intervention "cuts": stage "printing": cannot remove 1 of 1 servers (at least 1 must remain)',
    );
    const routes = applyInterventions(planning, [
      {
        id: 'loop',
        name: 'Loop',
        changes: [
          { kind: 'setRoutes', stage: 'printing', routes: [{ to: 'granted', probability: 0.5 }] },
        ],
      },
    ]);
    expect(routes.ok).toBe(false);
    if (routes.ok) return;
    expect(routes.issues[0]?.message).toBe(
      'after "loop": stage "printing": routing probabilities sum to 0.5, expected 1',
    );
  });

  it('adds staff to a rostered stage as one more on each staffed shift, and refuses to leave a shift empty', () => {
    // The planners work Mon–Fri 09:00–16:30; "one more planner" is on duty in those hours too.
    const more = applyInterventions(demoChains.planningPermit, [
      {
        id: 'hire',
        name: 'Hire',
        changes: [{ kind: 'addServers', stage: 'manual-review', delta: 1 }],
      },
    ]);
    if (!more.ok) throw new Error(more.issues[0]?.message);
    const review = more.chain.stages.find((s) => s.id === 'manual-review');
    expect(review?.servers).toBe(5);
    expect(review?.roster?.shifts.map((sh) => sh.servers)).toEqual([5]);
    const set = applyInterventions(demoChains.planningPermit, [
      {
        id: 'set',
        name: 'Set',
        changes: [{ kind: 'setServers', stage: 'manual-review', servers: 2 }],
      },
    ]);
    if (!set.ok) throw new Error(set.issues[0]?.message);
    expect(set.chain.stages.find((s) => s.id === 'manual-review')?.roster?.shifts[0]?.servers).toBe(
      2,
    );
    const none = applyInterventions(demoChains.planningPermit, [
      {
        id: 'cut',
        name: 'Cut',
        changes: [{ kind: 'addServers', stage: 'manual-review', delta: -4 }],
      },
    ]);
    expect(none.ok).toBe(false);
  });
});
