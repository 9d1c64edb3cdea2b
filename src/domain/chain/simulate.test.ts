// The simulator validated against closed forms (M/M/1, M/M/c with Erlang C, a Jackson tandem, a
// rework loop, M/D/1 by Pollaczek–Khinchine), Little's law, reproducibility and backlog growth.
// Moderate utilisation keeps the runs short; the tolerances are stated with each test.
import { describe, expect, it } from 'vitest';
import { simulateChain } from './simulate.ts';
import { analyseChain } from './analyse.ts';
import { stageQueue } from './queueing.ts';
import { reworkLoop, singleStage, tandem } from './testChains.ts';
import type { Estimate } from './stats.ts';

function within(e: Estimate, theory: number, relative: number): void {
  expect(Math.abs(e.mean - theory) / theory).toBeLessThan(relative);
  // The theory should also lie in the confidence interval, widened by a hair for rounding.
  expect(theory).toBeGreaterThanOrEqual(e.low - 1e-9 - relative * theory * 0.25);
  expect(theory).toBeLessThanOrEqual(e.high + 1e-9 + relative * theory * 0.25);
}

describe('simulateChain against closed forms', () => {
  it('M/M/1 at ρ = 0.5: mean lead time 1/(μ − λ) = 2 within 2%', () => {
    const r = simulateChain(singleStage(0.5, 1, { kind: 'exponential', mean: 1 }), {
      replications: 5,
      maxArrivals: 100_000,
      warmupHours: 100,
    });
    within(r.leadTimeHours.mean, 2, 0.02);
    within(r.stages[0]?.utilisation ?? r.wip, 0.5, 0.02);
    // The median of an exponential sojourn with rate μ − λ is ln 2 / 0.5.
    expect(r.leadTimeHours.median.mean).toBeCloseTo(Math.log(2) / 0.5, 1);
    expect(r.leadTimeHours.p90.mean).toBeCloseTo(Math.log(10) / 0.5, 1);
  });

  it('M/M/3 at ρ = 2/3: waiting from Erlang C within 2%', () => {
    const theory = stageQueue(2, 3, 1, 1);
    const r = simulateChain(singleStage(2, 3, { kind: 'exponential', mean: 1 }), {
      replications: 5,
      maxArrivals: 100_000,
      warmupHours: 100,
    });
    within(r.leadTimeHours.mean, theory.sojourn, 0.02);
    within(r.stages[0]?.waitingHours ?? r.wip, theory.waiting, 0.05);
  });

  it('a tandem of three M/M/1 stages: Jackson lead time Σ 1/(μᵢ − λ) within 2%', () => {
    const chain = tandem(0.6, [1, 0.8, 1.2]);
    const theory = 1 / (1 - 0.6) + 1 / (1.25 - 0.6) + 1 / (1 / 1.2 - 0.6);
    expect(analyseChain(chain).leadTimeHours).toBeCloseTo(theory, 10);
    const r = simulateChain(chain, { replications: 5, maxArrivals: 60_000, warmupHours: 200 });
    within(r.leadTimeHours.mean, theory, 0.02);
  });

  it('a rework loop: visits follow the traffic equations and lead time the Jackson formula', () => {
    const chain = reworkLoop(0.6, 0.25);
    const analysis = analyseChain(chain);
    const r = simulateChain(chain, { replications: 5, maxArrivals: 60_000, warmupHours: 100 });
    const hpw = chain.hoursPerWeek;
    within(r.stages[0]?.visitsPerWeek ?? r.wip, 0.8 * hpw, 0.02);
    within(r.stages[1]?.visitsPerWeek ?? r.wip, 0.8 * hpw, 0.02);
    within(r.leadTimeHours.mean, analysis.leadTimeHours ?? 0, 0.03);
  });

  it("obeys Little's law: time-average WIP = throughput × mean lead time", () => {
    const chain = reworkLoop(0.6, 0.25);
    const r = simulateChain(chain, { replications: 3, horizonHours: 40_000, warmupHours: 500 });
    for (const rep of r.perReplication) {
      const lambda = rep.departures / rep.observedHours;
      expect(rep.wip / (lambda * rep.meanLeadTimeHours)).toBeCloseTo(1, 1);
    }
  });

  it('M/D/1 matches Pollaczek–Khinchine (the analytics call it approximate in general)', () => {
    const chain = singleStage(0.5, 1, { kind: 'deterministic', mean: 1 });
    const analysis = analyseChain(chain);
    expect(analysis.method).toBe('approximate');
    expect(analysis.leadTimeHours).toBeCloseTo(1.5, 12);
    const r = simulateChain(chain, { replications: 5, maxArrivals: 80_000, warmupHours: 100 });
    within(r.leadTimeHours.mean, 1.5, 0.02);
  });

  it('samples log-normal, gamma, Erlang and empirical service times with the stated mean', () => {
    const services = [
      { kind: 'lognormal', mean: 0.8, cv: 1.5 },
      { kind: 'gamma', mean: 0.8, cv: 0.5 },
      { kind: 'erlang', mean: 0.8, phases: 3 },
      { kind: 'empirical', samples: [0.2, 0.6, 1.6] },
    ] as const;
    for (const service of services) {
      // Utilisation equals λ E[S] whatever the distribution: a check on the sampler's mean.
      const r = simulateChain(singleStage(0.5, 2, service), {
        replications: 4,
        horizonHours: 20_000,
      });
      within(r.stages[0]?.utilisation ?? r.wip, 0.2, 0.03);
    }
  });
});

describe('simulateChain behaviour', () => {
  it('is reproducible for a seed and varies with it', () => {
    const chain = reworkLoop(0.6, 0.25);
    const a = simulateChain(chain, { seed: 11, replications: 2, horizonHours: 2000 });
    const b = simulateChain(chain, { seed: 11, replications: 2, horizonHours: 2000 });
    const c = simulateChain(chain, { seed: 12, replications: 2, horizonHours: 2000 });
    expect(b.leadTimeHours).toEqual(a.leadTimeHours);
    expect(b.backlog).toEqual(a.backlog);
    expect(c.leadTimeHours.mean).not.toBe(a.leadTimeHours.mean);
  });

  it('shows an overloaded chain as a backlog growing at λ − capacity', () => {
    // λ = 1.25 per hour into one server at rate 1: backlog grows 0.25 an hour = 10 a 40-hour week.
    const chain = singleStage(1.25, 1, { kind: 'exponential', mean: 1 });
    const analysis = analyseChain(chain);
    expect(analysis.stable).toBe(false);
    expect(analysis.backlogGrowthPerWeek).toBeCloseTo(10, 10);
    const r = simulateChain(chain, { replications: 4, horizonHours: 40 * 100, warmupHours: 0 });
    const series = r.backlog.total;
    const growthPerWeek = ((series[series.length - 1]?.mean ?? 0) - (series[0]?.mean ?? 0)) / 100;
    expect(growthPerWeek).toBeGreaterThan(8.5);
    expect(growthPerWeek).toBeLessThan(11.5);
    expect(r.stages[0]?.utilisation.mean).toBeGreaterThan(0.98);
    expect(r.throughputPerWeek.mean).toBeCloseTo(40, -1);
    expect(r.notes.some((n) => n.includes('backlog keeps growing'))).toBe(true);
  });

  it('serves an initial backlog and then settles', () => {
    const chain = singleStage(0.5, 1, { kind: 'exponential', mean: 1 });
    const r = simulateChain(chain, {
      replications: 3,
      horizonHours: 2000,
      warmupHours: 0,
      initialBacklog: [{ stage: 's0', cases: 300 }],
      sampleEveryHours: 100,
    });
    expect(r.backlog.total[0]?.mean).toBe(300);
    // The backlog drains at about μ − λ = 0.5 an hour: after 400 hours it is mostly gone.
    expect(r.backlog.total[4]?.mean ?? 999).toBeLessThan(150);
    expect(r.backlog.total[10]?.mean ?? 999).toBeLessThan(20);
  });

  it('follows a time-varying arrival rate (thinning) with the average throughput', () => {
    const chain = singleStage(0.5, 2, { kind: 'exponential', mean: 1 });
    const peaky = {
      ...chain,
      demand: [
        {
          stage: 's0',
          rate: 0.5,
          per: 'hour' as const,
          profile: { periodHours: 8, multipliers: [0.5, 1.5, 0.4, 1.6] },
        },
      ],
    };
    expect(analyseChain(peaky).method).toBe('approximate');
    const r = simulateChain(peaky, { replications: 4, horizonHours: 20_000 });
    within(r.throughputPerWeek, 0.5 * 40, 0.02);
  });

  it('costs outputs from staff time, per-case costs and fixed inputs', () => {
    const base = singleStage(0.5, 2, { kind: 'deterministic', mean: 1 });
    const chain = {
      ...base,
      stages: base.stages.map((s) => ({ ...s, costPerServerHour: 30, costPerCase: 5 })),
      inputs: [{ id: 'kit', name: 'Kit', kind: 'equipment' as const, costPerWeek: 400 }],
    };
    const r = simulateChain(chain, { replications: 3, horizonHours: 40_000 });
    // Per hour: 2 × 30 staff + 0.5 × 5 per case + 400/40 inputs = 72.5; per output: 72.5 / 0.5 = 145.
    within(r.costPerOutput, 145, 0.02);
    expect(analyseChain(chain).cost.perOutput).toBeCloseTo(145, 10);
  });
});

describe('warm-up detected by MSER-5, not fixed', () => {
  const chain = singleStage(0.8, 1, { kind: 'exponential', mean: 1 });

  it('leaves out the time an initial backlog takes to clear, and says so', () => {
    // 300 cases waiting at the start clear at about μ − λ = 0.2 an hour: roughly 1,500 hours.
    const r = simulateChain(chain, {
      seed: 1,
      replications: 3,
      horizonHours: 10_000,
      initialBacklog: [{ stage: 's0', cases: 300 }],
    });
    expect(r.warmup.method).toBe('mser-5');
    expect(r.warmup.settled).toBe(true);
    expect(r.warmupHours).toBeGreaterThan(1000);
    expect(r.warmupHours).toBeLessThan(3000);
    expect(r.warmup.explanation).toMatch(/^Warm-up detected by MSER-5/);
    // What is left is the steady state: W = 1 / (μ − λ) = 5 hours, within 15% on this short run.
    expect(Math.abs(r.leadTimeHours.mean.mean / 5 - 1)).toBeLessThan(0.15);
  });

  it('uses a fixed warm-up when one is given, and none for a run that empties', () => {
    const fixed = simulateChain(chain, {
      seed: 1,
      replications: 2,
      horizonHours: 2000,
      warmupHours: 100,
    });
    expect(fixed.warmup.method).toBe('fixed');
    expect(fixed.warmupHours).toBe(100);
    const drained = simulateChain(chain, { seed: 1, replications: 2, maxArrivals: 1000 });
    expect(drained.warmup.method).toBe('none');
    expect(drained.warmupHours).toBe(0);
  });
});
