// The paper's two examples, end to end: the planning-permit bottleneck (section 3.2) and the
// witness-statement chain (section 2.2.1), with analytics and simulation side by side.
import { describe, expect, it } from 'vitest';
import { compareScenarios } from './scenarios.ts';
import { analyseChain } from './analyse.ts';
import { demoChains } from './demo.ts';
import type { ScenarioComparison, ScenarioResult } from './scenarios.ts';

function scenario(c: ScenarioComparison, id: string): ScenarioResult {
  const s = c.scenarios.find((x) => x.id === id);
  if (s === undefined) throw new Error(`no scenario ${id}`);
  return s;
}

function measure(s: ScenarioResult, key: string) {
  const m = s.measures.find((x) => x.key === key);
  if (m === undefined) throw new Error(`no measure ${key}`);
  return m;
}

describe('planning-permit demo chain', () => {
  const chain = demoChains.planningPermit;
  const c = compareScenarios(chain, {
    scenarios: [
      ...chain.interventions.map((i) => ({ id: i.id, name: i.name, interventions: [i.id] })),
      {
        id: 'portal-and-printing',
        name: 'Portal and printing',
        interventions: ['online-portal', 'faster-printing'],
      },
    ],
    simulation: { replications: 8, horizonHours: 80 * chain.hoursPerWeek },
  });

  it('the portal and faster printing leave throughput unchanged (< 2%), and say why', () => {
    for (const id of ['online-portal', 'faster-printing', 'portal-and-printing']) {
      const s = scenario(c, id);
      const tp = measure(s, 'throughputPerWeek');
      expect(tp.moved).toBe(false);
      expect(Math.abs((tp.analytic.value ?? 0) / (tp.analytic.baseline ?? 1) - 1)).toBeLessThan(
        0.02,
      );
      expect(Math.abs(tp.relativeChange ?? 1)).toBeLessThan(0.02);
      expect(s.analysis.bottleneck.stageId).toBe('manual-review');
      expect(s.findings[0]).toMatch(
        /^No effect on throughput: .* not the bottleneck \(Manual review is\)/,
      );
    }
    expect(scenario(c, 'faster-printing').findings[0]).toMatch(
      /^No effect on throughput: Permit printing is not the bottleneck/,
    );
  });

  it('flags a classification that the measurements do not bear out', () => {
    const printing = scenario(c, 'faster-printing');
    expect(printing.moved.operational).toBe('no');
    expect(printing.findings).toContain(
      'Classified under operational efficiency (cell 5), but no operational efficiency measure moved beyond its uncertainty.',
    );
  });

  it('AI review support raises throughput and moves the constraint to the decision stage', () => {
    const ai = scenario(c, 'ai-review-support');
    const tp = measure(ai, 'throughputPerWeek');
    expect(tp.moved).toBe(true);
    expect(tp.direction).toBe('better');
    expect(tp.analytic.value).toBeCloseTo(14.2, 6);
    expect(tp.simulated?.difference.low).toBeGreaterThan(0);
    expect(ai.analysis.stable).toBe(true);
    expect(ai.analysis.bottleneck.stageId).toBe('approval');
    expect(ai.findings).toContain(
      'The bottleneck moves from Manual review to Decision and approval (now at 91% of capacity).',
    );
    expect(ai.findings).toContain(
      'The backlog stops growing: every stage now keeps up with demand.',
    );
    expect(ai.moved.operational).toBe('better');
    expect(ai.moved.effectiveness).toBe('better');
  });

  it('the simulator names the same binding constraint as the analytics', () => {
    expect(c.baseline.simulation?.bindingConstraint.stageId).toBe('manual-review');
    expect(scenario(c, 'ai-review-support').simulation?.bindingConstraint.stageId).toBe('approval');
  });
});

describe('police → prosecution → courts demo chain', () => {
  const chain = demoChains.policeProsecutionCourts;
  const c = compareScenarios(chain, {
    simulation: { replications: 8, horizonHours: 80 * chain.hoursPerWeek },
  });

  it('starts with the police stage as the bottleneck, every stage keeping up', () => {
    const a = analyseChain(chain);
    expect(a.stable).toBe(true);
    expect(a.bottleneck.stageId).toBe('police');
    expect(c.baseline.simulation?.bindingConstraint.stageId).toBe('police');
  });

  it('seen from the police alone, AI statements only look good', () => {
    const s = scenario(c, 'ai-statements-police-view');
    expect(measure(s, 'leadTimeHours').direction).toBe('better');
    expect(measure(s, 'outcomesPerWeek').moved).toBe(false);
  });

  it('across the chain, AI statements move the bottleneck downstream and lower just outcomes', () => {
    const s = scenario(c, 'ai-statements');
    expect(s.analysis.bottleneck.stageId).toBe('courts');
    expect(s.simulation?.bindingConstraint.stageId).toBe('courts');
    expect(s.analysis.stable).toBe(false);
    const tp = measure(s, 'throughputPerWeek');
    expect(tp.direction).toBe('worse');
    const outcomes = measure(s, 'outcomesPerWeek');
    expect(outcomes.direction).toBe('worse');
    expect(outcomes.simulated?.difference.high).toBeLessThan(0);
    expect(s.moved.effectiveness).toBe('worse');
    expect(s.findings).toContain(
      'The bottleneck moves from Investigation and witness statements to Court hearings (now at 114% of capacity).',
    );
    expect(s.findings.some((f) => f.startsWith('Just outcomes fall from'))).toBe(true);
    expect(s.findings.some((f) => f.startsWith('A backlog now builds at Court hearings'))).toBe(
      true,
    );
  });

  it('works without simulation, on the closed forms alone', () => {
    const quick = compareScenarios(chain, { simulation: false });
    const s = scenario(quick, 'ai-statements');
    expect(s.simulation).toBeNull();
    expect(measure(s, 'throughputPerWeek').basis).toBe('analytic');
    expect(measure(s, 'throughputPerWeek').moved).toBe(true);
  });
});
