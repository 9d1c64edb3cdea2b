import { describe, expect, it } from 'vitest';
import { erlangC, stageQueue } from './queueing.ts';
import { compileChain, solveTraffic } from './traffic.ts';
import { reworkLoop } from './testChains.ts';

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
