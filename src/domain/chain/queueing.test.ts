import { describe, expect, it } from 'vitest';
import { erlangC, stageQueue } from './queueing.ts';
import { compileChain, solveTraffic } from './traffic.ts';
import { reworkLoop, singleStage } from './testChains.ts';
import { simulateChain } from './simulate.ts';

describe('closed forms', () => {
  it("computes Erlang's C formula", () => {
    // c = 2, a = 1: C = (a²/2 · 1/(1−ρ)) / (1 + a + a²/2 · 1/(1−ρ)) = 1/3
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(1, 0.8)).toBeCloseTo(0.8, 12);
    expect(erlangC(3, 3)).toBe(1);
  });

  it('gives M/M/1 W = 1/(μ − λ) and M/M/c from Erlang C', () => {
    const mm1 = stageQueue(0.8, 1, 1, 1);
    expect(mm1.sojourn).toBeCloseTo(5, 12);
    expect(mm1.wip).toBeCloseTo(4, 12);
    expect(mm1.exact).toBe(true);
    const mm2 = stageQueue(1, 2, 1, 1);
    expect(mm2.waiting).toBeCloseTo(1 / 3, 12);
  });

  it('gives Pollaczek–Khinchine for one server with deterministic service', () => {
    // M/D/1: Wq = ρ E[S] / (2 (1 − ρ)) = 0.5 / 1 = 0.5 with λ = 0.5, E[S] = 1
    const md1 = stageQueue(0.5, 1, 1, 0);
    expect(md1.waiting).toBeCloseTo(0.5, 12);
    expect(md1.exact).toBe(false);
  });

  it('reports an overloaded stage as unbounded rather than failing', () => {
    expect(stageQueue(2, 1, 1, 1).waiting).toBe(Infinity);
  });
});

describe('traffic equations', () => {
  it('counts rework visits: λ = γ / (1 − p) on a loop', () => {
    const t = solveTraffic(compileChain(reworkLoop(0.6, 0.25)));
    expect(t.visitRate[0]).toBeCloseTo(0.8, 12);
    expect(t.visitRate[1]).toBeCloseTo(0.8, 12);
    expect(t.visitsPerCase[0]).toBeCloseTo(4 / 3, 12);
    // Every arriving case leaves once: outputs equal arrivals.
    expect(t.outputRate[0]).toBeCloseTo(0.6, 12);
  });
});

/**
 * The closed form for general service times (Allen–Cunneen; Pollaczek–Khinchine when c = 1)
 * against simulation across coefficients of variation. Stated tolerance on the mean wait: 6% for
 * one server, where the formula is exact (only simulation noise remains), and 12% for three
 * servers, where it is an approximation (measured: gamma service times, ρ 0.5–0.9, at most 9% off;
 * it overstates the wait for cv above 1 and understates it below). The heavier grid (1–3 servers,
 * ρ = 0.5, 0.7, 0.9) is in bench/suites/allen-cunneen.ts.
 */
describe('Allen–Cunneen against simulation over a grid of coefficients of variation', () => {
  const cvs = [0.5, 1, 1.5, 2];
  for (const [servers, tolerance] of [
    [1, 0.06],
    [3, 0.12],
  ] as const) {
    it(`${servers} server${servers === 1 ? '' : 's'} at ρ = 0.6, cv ${cvs.join(', ')}: within ${tolerance * 100}%`, () => {
      for (const cv of cvs) {
        const rate = 0.6 * servers;
        const theory = stageQueue(rate, servers, 1, cv * cv);
        const r = simulateChain(singleStage(rate, servers, { kind: 'gamma', mean: 1, cv }), {
          seed: 7,
          replications: 4,
          maxArrivals: 40_000,
        });
        const simulated = r.stages[0]?.waitingHours.mean ?? 0;
        expect(Math.abs(simulated / theory.waiting - 1), `cv ${cv}`).toBeLessThan(tolerance);
      }
    });
  }

  it('would catch a formula that ignored the variability of service times', () => {
    const r = simulateChain(singleStage(0.6, 1, { kind: 'gamma', mean: 1, cv: 2 }), {
      seed: 7,
      replications: 4,
      maxArrivals: 40_000,
    });
    const ignoring = stageQueue(0.6, 1, 1, 1).waiting;
    expect(Math.abs((r.stages[0]?.waitingHours.mean ?? 0) / ignoring - 1)).toBeGreaterThan(0.5);
  });
});
