// Delay stages and stages of unknown capacity (issue 13, point 2): a delay holds a case for its
// time with no staff and no queue, so it adds exactly its time to the lead time, is never the
// bottleneck, has no utilisation, capacity or staff cost, and staff cannot be added to it.
import { describe, expect, it } from 'vitest';
import { analyseChain } from './analyse.ts';
import { applyInterventions } from './interventions.ts';
import { parseChain, parseChainOrThrow, staffLabel } from './model.ts';
import type { DeliveryChainInput } from './model.ts';
import { simulateChain } from './simulate.ts';

const D = 360; // a 15-day timer, in hours

function chainInput(extra: Partial<DeliveryChainInput['stages'][number]> = {}): DeliveryChainInput {
  return {
    version: 1,
    id: 'helpdesk',
    name: 'Helpdesk',
    timeUnit: 'hour',
    hoursPerWeek: 168,
    stages: [
      {
        id: 'reply',
        name: 'Reply',
        organisation: 'Desk',
        servers: 2,
        costPerServerHour: 30,
        service: { kind: 'exponential', mean: 1 },
        routes: [{ to: 'closed', probability: 1 }],
      },
      {
        id: 'closed',
        name: 'Closed',
        organisation: 'Desk',
        delay: { kind: 'timer', reason: 'closed automatically 15 days after the last reply' },
        service: { kind: 'deterministic', mean: D },
        routes: [{ to: 'done', probability: 1 }],
        ...extra,
      },
    ],
    outputs: [{ id: 'done', name: 'Done', outcomeContribution: 1 }],
    demand: [{ stage: 'reply', rate: 1, per: 'hour' }],
  };
}

function stage(i: number): DeliveryChainInput['stages'][number] {
  const found = chainInput().stages[i];
  if (found === undefined) throw new Error(`no stage ${i}`);
  return found;
}

describe('a delay stage', () => {
  const chain = parseChainOrThrow(chainInput());

  it('is read from JSON without servers, and existing chains keep theirs', () => {
    const closed = chain.stages[1];
    expect(closed?.delay?.kind).toBe('timer');
    expect(staffLabel(closed as NonNullable<typeof closed>)).toBe(
      'none: a delay (a timer or set period)',
    );
    expect(chain.stages[0]?.servers).toBe(2);
  });

  it('adds its time to the lead time, and is never the bottleneck', () => {
    const a = analyseChain(chain);
    const closed = a.stages.find((s) => s.id === 'closed');
    expect(closed?.role).toBe('delay');
    expect(closed?.utilisation).toBe(0);
    expect(closed?.capacityPerWeek).toBe(Infinity);
    expect(closed?.waitingHours).toBe(0);
    expect(closed?.timeInStageHours).toBe(D);
    expect(a.bottleneck.stageId).toBe('reply');
    expect(a.bottleneck.explanation).not.toContain('Closed');
    // Reply alone: M/M/2 at ρ = 0.5 → W = 1 + C(2, 1)/(2 − 1) = 1 + 1/3 hours.
    expect(a.leadTimeHours).toBeCloseTo(D + 4 / 3, 6);
    // Little's law counts the cases held by the timer: λ × D of them.
    expect(a.wip).toBeCloseTo(D + 4 / 3, 6);
  });

  it('counts only staffed service as working hours and staff cost', () => {
    const a = analyseChain(chain);
    expect(a.resourceHoursPerOutput).toBeCloseTo(1, 6);
    expect(a.cost.staffPerWeek).toBeCloseTo(2 * 30 * 168, 6);
  });

  it('agrees with the simulation: a pure delay of D hours adds D to the lead time', () => {
    const withDelay = simulateChain(chain, { seed: 7, replications: 3, horizonHours: 4000 });
    const without = parseChainOrThrow({
      ...chainInput(),
      stages: [{ ...stage(0), routes: [{ to: 'done', probability: 1 }] }],
    });
    const plain = simulateChain(without, { seed: 7, replications: 3, horizonHours: 4000 });
    const added = withDelay.leadTimeHours.mean.mean - plain.leadTimeHours.mean.mean;
    expect(added).toBeGreaterThan(D - 1);
    expect(added).toBeLessThan(D + 1);
    const closed = withDelay.stages.find((s) => s.id === 'closed');
    expect(closed?.utilisation.mean).toBe(0);
    expect(closed?.waitingHours.mean).toBe(0);
    expect(withDelay.bindingConstraint.stageId).toBe('reply');
    // Working hours per output: the reply's hour, not the timer's 360.
    expect(withDelay.resourceHoursPerOutput.mean).toBeLessThan(1.2);
  });

  it('stays a pure delay in a chain with opening hours (rosters queue only staffed stages)', () => {
    // Reply staffed Monday to Friday 9–5; the timer runs round the clock and never waits for staff.
    const input = chainInput();
    const rostered = parseChainOrThrow({
      ...input,
      calendar: {},
      stages: [
        {
          ...stage(0),
          servers: 4,
          roster: {
            shifts: [
              { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00', servers: 4 },
            ],
          },
        },
        stage(1),
      ],
      demand: [{ stage: 'reply', rate: 0.5, per: 'hour' }],
    });
    const a = analyseChain(rostered);
    expect(a.stages[1]?.utilisation).toBe(0);
    expect(a.stages[1]?.waitingHours).toBe(0);
    expect(a.bottleneck.stageId).toBe('reply');
    const sim = simulateChain(rostered, { seed: 7, replications: 3, horizonHours: 6000 });
    const closed = sim.stages.find((s) => s.id === 'closed');
    expect(closed?.waitingHours.mean).toBe(0);
    expect(closed?.utilisation.mean).toBe(0);
    expect(sim.bindingConstraint.stageId).toBe('reply');
    // The reply waits for opening hours; the timer adds exactly its 360 hours on top.
    const reply = sim.stages.find((s) => s.id === 'reply');
    expect(reply?.waitingHours.mean).toBeGreaterThan(5);
  });

  it('refuses staff changes with the stage named, and shortens by a policy change', () => {
    const add = applyInterventions(chain, [
      {
        id: 'more',
        name: 'More staff',
        changes: [{ kind: 'addServers', stage: 'closed', delta: 3 }],
      },
    ]);
    expect(add.ok).toBe(false);
    if (!add.ok) expect(add.issues[0]?.message).toMatch(/stage "closed".*“Closed” is a delay/);
    const set = applyInterventions(chain, [
      {
        id: 'set',
        name: 'Set staff',
        changes: [{ kind: 'setServers', stage: 'closed', servers: 3 }],
      },
    ]);
    expect(set.ok).toBe(false);
    const shorter = applyInterventions(chain, [
      {
        id: 'policy',
        name: 'Close after 7 days',
        changes: [{ kind: 'scaleServiceTime', stage: 'closed', factor: 7 / 15 }],
      },
    ]);
    expect(shorter.ok).toBe(true);
    if (shorter.ok) {
      const a = analyseChain(shorter.chain);
      expect(a.leadTimeHours).toBeCloseTo(168 + 4 / 3, 6);
    }
  });

  it('cannot cost per server-hour, nor be of unknown capacity too', () => {
    const costed = parseChain(chainInput({ costPerServerHour: 10 }));
    expect(costed.ok).toBe(false);
    if (!costed.ok) expect(costed.issues[0]?.message).toContain('stage "closed"');
    const both = parseChain(chainInput({ capacityUnknown: { reason: 'no starts' } }));
    expect(both.ok).toBe(false);
  });
});

describe('a stage of unknown capacity', () => {
  const chain = parseChainOrThrow({
    ...chainInput(),
    stages: [
      {
        ...stage(0),
        capacityUnknown: { reason: 'the log records completions only' },
        servers: 1,
        service: { kind: 'exponential', mean: 5 },
      },
      stage(1),
    ],
  });

  it('states no utilisation or capacity, takes its time as observed and names no bottleneck', () => {
    const a = analyseChain(chain);
    const reply = a.stages[0];
    expect(reply?.role).toBe('capacity-unknown');
    expect(reply?.utilisation).toBe(0);
    // One server with a 5-hour mean at one case an hour would be far over capacity; unknown
    // capacity means no queue is modelled: the time is what the log showed.
    expect(a.stable).toBe(true);
    expect(a.leadTimeHours).toBeCloseTo(5 + D, 6);
    expect(a.bottleneck.stageId).toBe('');
    expect(a.bottleneck.explanation).toContain('no capacity bottleneck can be named');
    expect(a.resourceHoursPerOutput).toBe(0);
    expect(a.assumptions.join(' ')).toContain('cannot be known');
  });
});
