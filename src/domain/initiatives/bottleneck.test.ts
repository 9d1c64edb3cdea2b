// The bottleneck check on the paper's own examples (planning permits, section 3.2; police →
// prosecution → courts with the witness-statement rework, section 2.2.1) and on small chains whose
// loads are worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { compareScenarios, demoChains, parseChainOrThrow } from '../chain/index.ts';
import type { DeliveryChain, DeliveryChainInput, ScenarioResult } from '../chain/index.ts';
import { checkBottleneck } from './bottleneck.ts';

function scenario(chain: DeliveryChain, id: string): ScenarioResult {
  const found = compareScenarios(chain, { simulation: false }).scenarios.find((s) => s.id === id);
  if (found === undefined) throw new Error(`no scenario ${id}`);
  return found;
}

const stage = (id: string, mean: number, servers: number, to: string) => ({
  id,
  name: id.charAt(0).toUpperCase() + id.slice(1),
  organisation: 'Test council',
  servers,
  service: { kind: 'exponential' as const, mean },
  routes: [{ to, probability: 1 }],
});

function chain(
  stages: DeliveryChainInput['stages'],
  ratePerHour: number,
  interventions: DeliveryChainInput['interventions'] = [],
): DeliveryChain {
  return parseChainOrThrow({
    version: 1,
    id: 'hand-made',
    name: 'Hand-made chain',
    timeUnit: 'hour',
    hoursPerWeek: 40,
    unitOfWork: { singular: 'request', plural: 'requests' },
    stages,
    outputs: [{ id: 'done', name: 'Done', outcomeContribution: 1 }],
    demand: [{ stage: stages[0]?.id ?? '', rate: ratePerHour, per: 'hour' }],
    interventions,
  });
}

describe('planning permits (section 3.2): manual review is the bottleneck', () => {
  const permits = demoChains.planningPermit;

  it('faster permit printing does not address it, and the warning gives the numbers', () => {
    const check = checkBottleneck(permits, 'printing');
    expect(check.position).toBe('not-the-bottleneck');
    expect(check.bottleneck?.id).toBe('manual-review');
    // Printing: 14.2 a week × 85% granted × 0.5 h ÷ 37.5 h = 16%; review: 14.2 × 12.5 ÷ (4 × 37.5) = 118%.
    expect(check.stage.utilisation).toBeCloseTo((14.2 * 0.85 * 0.5) / 37.5, 12);
    expect(check.bottleneck?.utilisation).toBeCloseTo((14.2 * 12.5) / (4 * 37.5), 12);
    // Four planners at 12.5 h each: 4 × 37.5 ÷ 12.5 = 12 applications a week at most.
    expect(check.maxThroughputPerWeek).toBeCloseTo(12, 12);
    expect(check.verdict).toBe(
      'This initiative does not address the bottleneck: Manual review sets the pace of the chain, not Permit printing.',
    );
    expect(check.warnings).toEqual([
      {
        kind: 'not-the-bottleneck',
        stageId: 'printing',
        stageName: 'Permit printing',
        utilisation: check.stage.utilisation,
        downstream: false,
        message:
          'Permit printing runs at 16% of its capacity; the bottleneck is Manual review at 118%. ' +
          "Making Permit printing faster cannot raise the chain's throughput above 12.0 applications a week, the most Manual review can handle " +
          '(Theory of Constraints, paper section 2.2.1: investment away from the bottleneck yields little or nothing).',
      },
    ]);
    expect(check.scenario).toBeNull();
  });

  it('the modelled printing intervention moves nothing that matters, as the scenario engine says', () => {
    const check = checkBottleneck(permits, 'printing', scenario(permits, 'faster-printing'));
    expect(check.warnings.map((w) => w.kind)).toEqual(['not-the-bottleneck']);
    expect(check.scenario?.bottleneckMoves).toBe(false);
    const throughput = check.scenario?.effects.find((e) => e.key === 'throughputPerWeek');
    expect(throughput).toMatchObject({ baseline: 12, value: 12, moved: false, basis: 'analytic' });
    expect(throughput?.statement).toBe(
      'Outputs a week (throughput): 12.0 → 12.0 (0.0%). No material change, from the queueing formulas (not simulated, so no interval).',
    );
  });

  it('AI review support addresses it, and the constraint moves downstream to the decision stage', () => {
    const ai = scenario(permits, 'ai-review-support');
    const check = checkBottleneck(permits, 'manual-review', ai);
    expect(check.position).toBe('bottleneck');
    expect(check.verdict).toBe(
      'This initiative addresses the bottleneck: Manual review runs at 118% of its capacity and sets the pace of the chain (Theory of Constraints, paper section 2.2.1). ' +
        'Relieving it can raise throughput only until Decision and approval (now at 91%) becomes the constraint.',
    );
    // Approval: 14.2 a week × 2.4 h ÷ 37.5 h = 90.9%; its capacity, 37.5 ÷ 2.4 = 15.6 a week, is the new ceiling.
    expect(check.warnings).toEqual([
      {
        kind: 'new-constraint',
        stageId: 'approval',
        stageName: 'Decision and approval',
        utilisation: expect.closeTo((14.2 * 2.4) / 37.5, 12),
        downstream: true,
        message:
          'With "AI review support for planners", the bottleneck would move from Manual review to Decision and approval, downstream of it. ' +
          'Benefits depend on Decision and approval, which would then run at 91% of its capacity. The chain could then deliver at most 15.6 applications a week.',
      },
    ]);
    const throughput = check.scenario?.effects.find((e) => e.key === 'throughputPerWeek');
    expect(throughput).toMatchObject({ moved: true, direction: 'better', difference: null });
    expect(throughput?.relativeChange).toBeCloseTo(14.2 / 12 - 1, 12);
    // Every measure the engine compares, with the paper's measure it belongs to (Figure 1).
    expect(check.scenario?.effects.map((e) => e.key)).toEqual(ai.measures.map((m) => m.key));
    expect(check.scenario?.effects.find((e) => e.key === 'outcomeShare')?.family).toBe(
      'effectiveness',
    );
    expect(check.scenario?.effects.find((e) => e.key === 'costPerStaffHour')?.family).toBe(
      'budgetary',
    );
    expect(check.scenario?.findings).toBe(ai.findings);
  });

  it('says when the modelled intervention changes another stage than the one named', () => {
    const check = checkBottleneck(permits, 'manual-review', scenario(permits, 'faster-printing'));
    const w = check.warnings.find((x) => x.kind === 'models-another-stage');
    expect(w?.message).toBe(
      'The modelled intervention "Faster permit printing" changes Permit printing, not Manual review, the stage this initiative addresses: check that the model describes the initiative.',
    );
  });
});

describe('police → prosecution → courts (section 2.2.1): the witness-statement example', () => {
  const criminal = demoChains.policeProsecutionCourts;
  // Few, short replications keep the test quick; the check only passes the engine's numbers on.
  const comparison = compareScenarios(criminal, {
    simulation: { replications: 4, horizonHours: 40 * criminal.hoursPerWeek },
  });
  const simulated = (id: string): ScenarioResult => {
    const s = comparison.scenarios.find((x) => x.id === id);
    if (s === undefined) throw new Error(`no scenario ${id}`);
    return s;
  };

  it('AI statements across the chain: the courts become the constraint and prosecutors get more work', () => {
    const check = checkBottleneck(criminal, 'police', simulated('ai-statements'));
    expect(check.position).toBe('bottleneck');
    const kinds = check.warnings.map((w) => [w.kind, w.stageId, w.downstream]);
    expect(kinds).toEqual([
      ['new-constraint', 'courts', true],
      ['more-work', 'prosecution', true],
      ['more-work', 'courts', true],
    ]);
    expect(check.warnings[0]?.message).toBe(
      'With "AI-drafted witness statements (whole chain)", the bottleneck would move from Investigation and witness statements to Court hearings, downstream of it. ' +
        'Benefits depend on Court hearings, which would then run at 114% of its capacity. ' +
        'It could not keep up: a backlog would build there, growing by 3.6 cases a week, and the chain would deliver at most 26.4 cases a week.',
    );
    // Prosecution: visits 30 ÷ (1 − 0.1 − 0.09 × 0.9) = 36.6 a week (files back to police come
    // round again) at 4.8 h instead of 33.3 at 4 h: 36.6 × 4.8 ÷ (33.3 × 4) − 1 = +31.9%.
    expect(check.warnings[1]?.message).toBe(
      '"AI-drafted witness statements (whole chain)" adds work at Prosecution file review: +31.9% hours of work a week ' +
        '(4.8 hours of work per visit instead of 4.0; 36.6 cases a week reach it instead of 33.3). ' +
        'Benefits depend on Prosecution file review, which would then run at 94% of its capacity (now 71%).',
    );
    expect(check.warnings[1]?.utilisation).toBeCloseTo(
      ((30 / (1 - 0.1 - 0.081)) * 4.8) / (5 * 37.5),
      9,
    );
  });

  it('passes on the scenario engine’s intervals unchanged, with the confidence level', () => {
    const s = simulated('ai-statements');
    const check = checkBottleneck(criminal, 'police', s);
    for (const key of ['throughputPerWeek', 'outcomesPerWeek'] as const) {
      const engine = s.measures.find((m) => m.key === key);
      const effect = check.scenario?.effects.find((e) => e.key === key);
      expect(effect?.basis).toBe('simulation');
      expect(effect?.difference).toEqual({
        mean: engine?.simulated?.difference.mean,
        low: engine?.simulated?.difference.low,
        high: engine?.simulated?.difference.high,
        confidence: 0.95,
      });
      expect(effect?.baseline).toBe(engine?.simulated?.baseline.mean);
      expect(effect?.moved).toBe(engine?.moved);
      expect(effect?.direction).toBe('worse');
      expect(effect?.statement).toMatch(
        /Worse, beyond its uncertainty: the 95% interval of the change is −/,
      );
    }
  });

  it('seen from the police alone: no extra work, but the courts would still set the pace', () => {
    const check = checkBottleneck(criminal, 'police', simulated('ai-statements-police-view'));
    expect(check.warnings.map((w) => w.kind)).toEqual(['new-constraint']);
    expect(check.warnings[0]?.message).toContain(
      'Benefits depend on Court hearings, which would then run at 88% of its capacity.',
    );
    expect(check.verdict).toContain(
      'Every stage keeps up today, so demand sets throughput: relieving Investigation and witness statements shortens queues and lead time rather than raising output',
    );
    const throughput = check.scenario?.effects.find((e) => e.key === 'throughputPerWeek');
    expect(throughput?.moved).toBe(false);
    expect(throughput?.statement).toMatch(
      /No change beyond its uncertainty: .*which includes zero\.$/,
    );
  });
});

describe('hand-made chains', () => {
  it('two equally busy stages: relieving one alone cannot raise capacity', () => {
    // 0.4 requests an hour; review and issue each take 2 h on one server: 0.4 × 2 = 80% both;
    // capacity 40 h ÷ 2 h = 20 requests a week.
    const c = chain(
      [
        stage('intake', 1, 1, 'review'),
        stage('review', 2, 1, 'issue'),
        stage('issue', 2, 1, 'done'),
      ],
      0.4,
    );
    const check = checkBottleneck(c, 'issue');
    expect(check.position).toBe('joint-bottleneck');
    expect(check.warnings[0]?.message).toBe(
      "Issue is one of 2 equally busy stages, all at 80% of capacity (with Review). Relieving Issue alone cannot raise the chain's throughput above 20.0 requests a week: Review must be relieved too (Theory of Constraints, paper section 2.2.1).",
    );
    expect(checkBottleneck(c, 'intake').position).toBe('not-the-bottleneck');
  });

  it('speeding the first stage but sending a fifth of cases back moves the constraint and adds work', () => {
    // Before: A 0.5 × 1 h = 50%, B 0.5 × 1.5 h ÷ 2 = 37.5%: A is the bottleneck.
    // After: visits λ = 0.5 ÷ (1 − 0.2) = 0.625 an hour at both; A 0.625 × 0.5 = 31.25%,
    // B 0.625 × 1.5 ÷ 2 = 46.875%: B becomes the constraint. B's hours of work: 0.625 ÷ 0.5 − 1 = +25%,
    // 25 requests a week reach it instead of 20. Ceiling after: 2 × 40 ÷ 1.5 ÷ 1.25 visits per request = 42.7.
    const c = chain([stage('a', 1, 1, 'b'), stage('b', 1.5, 2, 'done')], 0.5, [
      {
        id: 'quick-a',
        name: 'Quicker A',
        changes: [
          { kind: 'scaleServiceTime', stage: 'a', factor: 0.5 },
          { kind: 'addRework', stage: 'b', share: 0.2, to: 'a' },
        ],
      },
    ]);
    const check = checkBottleneck(c, 'a', scenario(c, 'quick-a'));
    expect(check.position).toBe('bottleneck');
    expect(check.warnings).toEqual([
      {
        kind: 'new-constraint',
        stageId: 'b',
        stageName: 'B',
        utilisation: expect.closeTo(0.46875, 12),
        downstream: true,
        message:
          'With "Quicker A", the bottleneck would move from A to B, downstream of it. Benefits depend on B, which would then run at 47% of its capacity. The chain could then deliver at most 42.7 requests a week.',
      },
      {
        kind: 'more-work',
        stageId: 'b',
        stageName: 'B',
        utilisation: expect.closeTo(0.46875, 12),
        downstream: true,
        message:
          '"Quicker A" adds work at B: +25.0% hours of work a week (25.0 requests a week reach it instead of 20.0).',
      },
    ]);
  });

  it('work sent back upstream is more work elsewhere, not downstream', () => {
    // B sends a tenth of requests back to A; re-checking doubles that to a fifth. Visits at both
    // stages: 0.5 ÷ 0.9 = 0.556 an hour before, 0.5 ÷ 0.8 = 0.625 after (+12.5%).
    // A: 55.6% → 62.5%, returned requests 0.056 × 40 = 2.2 → 0.125 × 40 = 5.0 a week;
    // B: 0.556 × 1.5 ÷ 2 = 41.7% → 46.9%, requests reaching it 22.2 → 25.0 a week.
    const c = chain(
      [
        stage('a', 1, 1, 'b'),
        {
          ...stage('b', 1.5, 2, 'done'),
          routes: [
            { to: 'done', probability: 0.9 },
            { to: 'a', probability: 0.1, rework: true },
          ],
        },
      ],
      0.5,
      [
        {
          id: 'recheck',
          name: 'Re-check at B',
          changes: [{ kind: 'scaleRework', stage: 'b', factor: 2 }],
        },
      ],
    );
    const check = checkBottleneck(c, 'b', scenario(c, 'recheck'));
    expect(check.warnings.map((w) => [w.kind, w.stageId, w.downstream])).toEqual([
      ['not-the-bottleneck', 'b', false],
      ['more-work', 'a', false],
      ['more-work', 'b', false],
    ]);
    expect(check.warnings[1]?.message).toBe(
      '"Re-check at B" adds work at A: +12.5% hours of work a week (5.0 requests a week returned for rework instead of 2.2). Benefits depend on A, which would then run at 63% of its capacity (now 56%).',
    );
    expect(check.warnings[2]?.message).toBe(
      '"Re-check at B" adds work at B (the initiative’s own stage): +12.5% hours of work a week (25.0 requests a week reach it instead of 22.2). Benefits depend on B, which would then run at 47% of its capacity (now 42%).',
    );
  });

  it('with no demand, says which stage would constrain the chain', () => {
    const c = chain([stage('a', 1, 1, 'b'), stage('b', 3, 1, 'done')], 0);
    const check = checkBottleneck(c, 'a');
    expect(check.position).toBe('not-the-bottleneck');
    expect(check.warnings[0]?.message).toBe(
      'No demand arrives in the model, so no stage is busy; if work arrived, B would be the constraint and the chain could deliver at most 13.3 requests a week. Making A faster cannot raise that (Theory of Constraints, paper section 2.2.1).',
    );
  });
});

describe('bad input', () => {
  const permits = demoChains.planningPermit;

  it('names the stages when the stage is unknown', () => {
    expect(() => checkBottleneck(permits, 'printer')).toThrow(
      'the chain "Planning permit applications" has no stage "printer" (its stages: "submission", "validation", "manual-review", "approval", "printing")',
    );
  });

  it('refuses a scenario compared on another chain, another version of it, or the baseline', () => {
    const criminal = demoChains.policeProsecutionCourts;
    expect(() =>
      checkBottleneck(permits, 'manual-review', scenario(criminal, 'ai-statements')),
    ).toThrow(
      'the scenario "AI-drafted witness statements (whole chain)" was compared on chain "police-prosecution-courts", not "planning-permit"',
    );
    const oneMorePlanner: DeliveryChain = {
      ...permits,
      // One more planner on the office's weekday shift (the demo works to a roster).
      stages: permits.stages.map((s) =>
        s.id === 'manual-review'
          ? {
              ...s,
              servers: 5,
              roster: { shifts: (s.roster?.shifts ?? []).map((sh) => ({ ...sh, servers: 5 })) },
            }
          : s,
      ),
    };
    expect(() =>
      checkBottleneck(oneMorePlanner, 'manual-review', scenario(permits, 'ai-review-support')),
    ).toThrow(
      'the scenario "AI review support for planners" was compared on another version of the chain "Planning permit applications" (throughput 12.0 there, 14.2 now): compare the scenarios again',
    );
    const baseline = compareScenarios(permits, { simulation: false }).baseline;
    expect(() => checkBottleneck(permits, 'manual-review', baseline)).toThrow(
      'the scenario given is the baseline, not an intervention',
    );
  });
});

describe('a chain with no stage of known capacity (calibrated from completion times only)', () => {
  it('claims no bottleneck rather than naming a delay', () => {
    const chain = parseChainOrThrow({
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
          capacityUnknown: { reason: 'completion times only' },
          service: { kind: 'exponential', mean: 3 },
          routes: [{ to: 'closed', probability: 1 }],
        },
        {
          id: 'closed',
          name: 'Closed',
          organisation: 'Desk',
          delay: { kind: 'timer', reason: 'closed 15 days after the reply' },
          service: { kind: 'deterministic', mean: 360 },
          routes: [{ to: 'done', probability: 1 }],
        },
      ],
      outputs: [{ id: 'done', name: 'Done', outcomeContribution: 1 }],
      demand: [{ stage: 'reply', rate: 1, per: 'hour' }],
    });
    const check = checkBottleneck(chain, 'closed');
    expect(check.bottleneck).toBeNull();
    expect(check.warnings).toEqual([]);
    expect(check.verdict).toMatch(
      /^Whether this initiative addresses the bottleneck cannot be told/,
    );
  });
});
