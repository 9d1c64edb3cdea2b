// Closed forms against simulation: which to trust, and why, on chains where the answer is known.
import { describe, expect, it } from 'vitest';
import { closedFormVersusSimulation } from './agreement.ts';
import { analyseChain } from './analyse.ts';
import { demoChains } from './demo.ts';
import { simulateChain } from './simulate.ts';
import { singleStage, tandem } from './testChains.ts';

describe('closed forms against simulation', () => {
  it('exponential times at random: the formulas are exact and agree with the simulation', () => {
    const chain = tandem(0.5, [1, 1]);
    const a = closedFormVersusSimulation(
      chain,
      analyseChain(chain),
      simulateChain(chain, { seed: 2, replications: 5, maxArrivals: 30_000 }),
    );
    expect(a.trust).toBe('either');
    expect(a.summary).toMatch(/exact/);
    expect(a.rows.every((r) => r.agrees)).toBe(true);
  });

  it('an overloaded chain has no steady state: use the simulation, and say why', () => {
    const chain = demoChains.planningPermit;
    const s = simulateChain(chain, { seed: 1, replications: 3, horizonHours: 52 * 37.5 });
    const a = closedFormVersusSimulation(chain, analyseChain(chain), s);
    expect(a.trust).toBe('simulation');
    expect(a.rows.find((r) => r.label === 'Mean lead time')?.closedForm).toBeNull();
    expect(a.reasons.join(' ')).toMatch(/no steady state/);
    expect(a.reasons.join(' ')).toMatch(/Allen–Cunneen/);
    expect(a.reasons.join(' ')).toMatch(/Rework sends cases back \(from Validation\)/);
  });

  it('an exact model run briefly from empty: the simulation is biased low, trust the formulas', () => {
    const chain = singleStage(0.9, 1, { kind: 'exponential', mean: 1 });
    // 30 hours from an empty queue at ρ = 0.9, nothing left out: the queue never builds up.
    const s = simulateChain(chain, { seed: 1, replications: 30, horizonHours: 30, warmupHours: 0 });
    const a = closedFormVersusSimulation(chain, analyseChain(chain), s);
    expect(a.rows.find((r) => r.label === 'Mean lead time')?.agrees).toBe(false);
    expect(a.trust).toBe('formulas');
    expect(a.summary).toMatch(/^Use the formulas: they are exact for this chain/);
  });

  it('general service times that the approximation misses: trust the simulation', () => {
    // Three servers, cv 2: Allen–Cunneen overstates the wait by about 9% at ρ = 0.5.
    const chain = singleStage(1.5, 3, { kind: 'gamma', mean: 1, cv: 2 });
    const s = simulateChain(chain, { seed: 3, replications: 5, maxArrivals: 100_000 });
    const a = closedFormVersusSimulation(chain, analyseChain(chain), s);
    const wait = a.rows.find((r) => r.label.startsWith('Wait before'));
    expect(wait?.agrees).toBe(false);
    expect(a.trust).toBe('simulation');
    expect(a.summary).toMatch(/^Use the simulation for .*wait before stage 0/);
  });
});
