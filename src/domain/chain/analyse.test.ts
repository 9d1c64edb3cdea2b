import { describe, expect, it } from 'vitest';
import { analyseChain } from './analyse.ts';
import { applyInterventions } from './interventions.ts';
import { demoChains } from './demo.ts';
import { reworkLoop, tandem } from './testChains.ts';

describe('analyseChain', () => {
  it('names the planning bottleneck and says why, in plain words', () => {
    const a = analyseChain(demoChains.planningPermit);
    expect(a.bottleneck.stageId).toBe('manual-review');
    expect(a.stable).toBe(false);
    expect(a.bottleneck.utilisation).toBeCloseTo(14.2 / 12, 10);
    // The planners work weekdays 09:00–16:30: 4 × 37.5 / 168 = 0.89 on duty on average.
    expect(a.bottleneck.explanation).toBe(
      'Manual review (Council planning service) is the bottleneck: it runs at 118% of capacity — 14.2 applications a week reach it and its staff (up to 4 planners on duty, 0.9 on average over the week) can handle 12.0. ' +
        'It needs 1 more planner (or work 16% faster) to keep up; with 5 planners it would run at 95%, still the busiest stage, with Decision and approval (91%) next in line.',
    );
    // Unstable: a growing backlog, output capped at the bottleneck's capacity, no lead time.
    expect(a.backlogGrowthPerWeek).toBeCloseTo(2.2, 10);
    expect(a.throughputPerWeek).toBeCloseTo(12, 10);
    expect(a.leadTimeHours).toBeNull();
    expect(a.findings[1]).toContain('the backlog grows by 2.2 applications a week');
  });

  it('the capacity it names is enough: one more planner makes review keep up', () => {
    const chain = demoChains.planningPermit;
    const a = analyseChain(chain);
    const more = applyInterventions(chain, [
      {
        id: 'hire',
        name: 'Hire',
        changes: [
          { kind: 'addServers', stage: 'manual-review', delta: a.bottleneck.extraServersNeeded },
        ],
      },
    ]);
    if (!more.ok) throw new Error('intervention failed');
    const after = analyseChain(more.chain);
    expect(after.stages.find((s) => s.id === 'manual-review')?.utilisation).toBeLessThan(1);
    expect(after.stable).toBe(true);
    // As the explanation said: review stays the busiest stage, approval next in line.
    expect(after.bottleneck.stageId).toBe('manual-review');
    expect(after.bottleneck.nextStageId).toBe('approval');
    const fewer = applyInterventions(chain, [
      {
        id: 'hire',
        name: 'Hire',
        changes: [
          {
            kind: 'addServers',
            stage: 'manual-review',
            delta: a.bottleneck.extraServersNeeded - 1,
          },
        ],
      },
    ]);
    if (!fewer.ok) throw new Error('intervention failed');
    expect(analyseChain(fewer.chain).stable).toBe(false);
  });

  it('raises the throughput ceiling to the next-lowest capacity when the bottleneck is relieved', () => {
    const chain = tandem(0.5, [1, 1.6, 1.25]);
    const a = analyseChain(chain);
    expect(a.bottleneck.stageId).toBe('s1');
    expect(a.maxThroughputPerWeek).toBeCloseTo((1 / 1.6) * 40, 10);
    const faster = applyInterventions(chain, [
      { id: 'x', name: 'x', changes: [{ kind: 'scaleServiceTime', stage: 's1', factor: 0.5 }] },
    ]);
    if (!faster.ok) throw new Error('intervention failed');
    const b = analyseChain(faster.chain);
    expect(b.bottleneck.stageId).toBe('s2');
    expect(b.maxThroughputPerWeek).toBeCloseTo((1 / 1.25) * 40, 10);
  });

  it('uses Little and Jackson for a stable chain, exact with exponential service', () => {
    const a = analyseChain(reworkLoop(0.6, 0.25));
    expect(a.method).toBe('exact');
    expect(a.stable).toBe(true);
    expect((a.wip ?? 0) / 0.6).toBeCloseTo(a.leadTimeHours ?? 0, 10);
    expect(a.throughputPerWeek).toBeCloseTo(0.6 * 40, 10);
    expect(a.stages[1]?.reworkVisitsPerWeek).toBeCloseTo(0, 10);
    expect(a.stages[0]?.reworkVisitsPerWeek).toBeCloseTo(0.2 * 40, 10);
  });

  it('at exactly 100% says there is no slack, not that the backlog grows by nothing', () => {
    const a = analyseChain(tandem(1, [1, 0.5]));
    expect(a.stable).toBe(false);
    expect(a.bottleneck.utilisation).toBeCloseTo(1, 12);
    expect(a.bottleneck.explanation).toContain('(or work 1% faster) to keep up');
    expect(a.bottleneck.explanation).not.toContain('0% faster');
    expect(a.findings[1]).toMatch(/^Demand equals capacity: .* with no slack\./);
    expect(a.findings.join(' ')).not.toContain('grows by 0.0');
  });

  it('says so when stages are equally busy rather than inventing a bottleneck', () => {
    const a = analyseChain(tandem(0.5, [1, 1, 1]));
    expect(a.bottleneck.explanation).toContain('are equally busy at 50% of capacity');
  });

  it('copes with no demand: nothing is busy, the would-be constraint is still named', () => {
    const chain = tandem(0, [1, 1.6, 1.25]);
    const a = analyseChain(chain);
    expect(a.stable).toBe(true);
    expect(a.throughputPerWeek).toBe(0);
    expect(a.leadTimeHours).toBeNull();
    expect(a.bottleneck.stageId).toBe('s1');
    expect(a.maxThroughputPerWeek).toBeCloseTo((1 / 1.6) * 40, 10);
    expect(a.bottleneck.explanation).toMatch(/^No demand arrives/);
  });

  it('marks results approximate for non-exponential service', () => {
    const a = analyseChain(demoChains.policeProsecutionCourts);
    expect(a.method).toBe('approximate');
    expect(a.assumptions.join(' ')).toContain('Allen–Cunneen');
    expect(a.bottleneck.stageId).toBe('police');
  });
});
