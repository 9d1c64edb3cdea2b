// The three measures of Figure 1 on a two-stage chain whose every figure is worked out by hand
// (testChains.ts, `costedChain`): budgetary efficiency is a price, operational efficiency is inputs
// per output, effectiveness is outcomes per output, and volumes are context only.
import { describe, expect, it } from 'vitest';
import { analyseChain } from './analyse.ts';
import { applyInterventions } from './interventions.ts';
import { compareMeasures, describeMovement, familyMovement } from './measures.ts';
import type { MeasureComparison, MeasuredChain } from './measures.ts';
import type { Change, DeliveryChain } from './model.ts';
import { simulateChain } from './simulate.ts';
import { costedChain } from './testChains.ts';

const closedForm = (chain: DeliveryChain): MeasuredChain => ({
  chain,
  analysis: analyseChain(chain),
  simulation: null,
});

function changed(chain: DeliveryChain, ...changes: Change[]): DeliveryChain {
  const applied = applyInterventions(chain, [{ id: 'x', name: 'X', changes }]);
  if (!applied.ok) throw new Error(applied.issues.map((i) => i.message).join('; '));
  return applied.chain;
}

function compare(chain: DeliveryChain, ...changes: Change[]): MeasureComparison[] {
  return compareMeasures(closedForm(chain), closedForm(changed(chain, ...changes)));
}

const byKey = (ms: readonly MeasureComparison[], key: string): MeasureComparison => {
  const m = ms.find((x) => x.key === key);
  if (m === undefined) throw new Error(`no measure ${key}`);
  return m;
};

describe('the three measures on a hand-computed chain (0.5 cases an hour, 20 a week)', () => {
  const chain = costedChain(0.5);
  const ms = compareMeasures(closedForm(chain), closedForm(chain));
  const value = (key: string): number | null => byKey(ms, key).analytic.value;

  it('budgetary efficiency is the price of a unit of input', () => {
    // (1 × 20 + 2 × 40) / 3 hours = 33.33 an hour; the licence per case is 5; 300 / 3 licences = 100.
    expect(value('costPerStaffHour')).toBeCloseTo(100 / 3, 10);
    expect(value('costPerCaseUse')).toBeCloseTo(5, 10);
    expect(value('costPerInputUnit')).toBeCloseTo(100, 10);
    expect(ms.filter((m) => m.family === 'budgetary').map((m) => m.key)).toEqual([
      'costPerStaffHour',
      'costPerCaseUse',
      'costPerInputUnit',
    ]);
  });

  it('operational efficiency is outputs per unit of input, and the flow of work', () => {
    // 20 outputs / (3 × 40 paid hours) = 0.1667; (4,000 staff + 20 × 5 licences + 300) / 20 = 220.
    expect(value('outputsPerStaffHour')).toBeCloseTo(20 / 120, 10);
    expect(value('costPerOutputAtBaselinePrices')).toBeCloseTo(220, 10);
    expect(value('throughputPerWeek')).toBeCloseTo(20, 10);
    // M/M/1 intake 1/(2 − 0.5) = 0.667 h; M/M/2 assessment: Erlang C = 1/3, wait (1/3)/(1 − 0.5) = 0.667 h, plus 2 h.
    expect(value('leadTimeHours')).toBeCloseTo(2 / 3 + 2 / 3 + 2, 10);
    expect(value('backlogGrowthPerWeek')).toBe(0);
  });

  it('effectiveness is outcomes per output: 0.8 × 0.9 + 0.2 × 0.5 = 0.82', () => {
    expect(value('outcomeShare')).toBeCloseTo(0.82, 10);
    expect(ms.filter((m) => m.family === 'effectiveness').map((m) => m.key)).toEqual([
      'outcomeShare',
    ]);
  });

  it('keeps volumes and the all-in cost as context, in no family', () => {
    expect(byKey(ms, 'outcomesPerWeek')).toMatchObject({ family: 'context' });
    expect(value('outcomesPerWeek')).toBeCloseTo(16.4, 10);
    expect(byKey(ms, 'costPerOutput')).toMatchObject({ family: 'context' });
    expect(value('costPerOutput')).toBeCloseTo(220, 10);
    expect(value('costPerWeek')).toBeCloseTo(4400, 10);
    expect(value('resourceHoursPerOutput')).toBeCloseTo(2.5, 10);
  });
});

describe('which family a change moves', () => {
  const stable = costedChain(0.5);
  // 1.25 cases an hour: the assessors are asked for 125% of their capacity, so 80% is served.
  const saturated = costedChain(1.25);

  it('a volume-only gain is operational, not effectiveness', () => {
    const ms = compare(saturated, { kind: 'scaleServiceTime', stage: 'assess', factor: 0.7 });
    // Throughput 40 → 50 a week at the same 82% of outputs achieving the outcome.
    expect(byKey(ms, 'throughputPerWeek').analytic).toEqual({ baseline: 40, value: 50 });
    expect(byKey(ms, 'outcomesPerWeek').analytic.baseline).toBeCloseTo(32.8, 10);
    expect(byKey(ms, 'outcomesPerWeek').analytic.value).toBeCloseTo(41, 10);
    expect(byKey(ms, 'outcomesPerWeek').moved).toBe(true);
    expect(byKey(ms, 'outcomeShare').moved).toBe(false);
    // 40 / 120 → 50 / 120 outputs per staff hour; (4,000 + 40 × 5 + 300) / 40 = 112.5 → (4,000 + 50 × 5 + 300) / 50 = 91.
    expect(byKey(ms, 'outputsPerStaffHour').analytic.value).toBeCloseTo(50 / 120, 10);
    expect(byKey(ms, 'costPerOutputAtBaselinePrices').analytic.baseline).toBeCloseTo(112.5, 10);
    expect(byKey(ms, 'costPerOutputAtBaselinePrices').analytic.value).toBeCloseTo(91, 10);
    expect(familyMovement(ms)).toEqual({
      budgetary: 'no',
      operational: 'better',
      effectiveness: 'no',
    });
  });

  it('the same input bought more cheaply moves budgetary efficiency only', () => {
    const ms = compare(stable, { kind: 'setInputCost', input: 'case-system', costPerWeek: 240 });
    expect(byKey(ms, 'costPerInputUnit').analytic.value).toBeCloseTo(80, 10);
    expect(byKey(ms, 'costPerInputUnit').relativeChange).toBeCloseTo(-0.2, 10);
    // At the baseline's prices the inputs used per output are unchanged; the all-in cost falls 3 / 220.
    expect(byKey(ms, 'costPerOutputAtBaselinePrices').moved).toBe(false);
    expect(byKey(ms, 'costPerOutput').analytic.value).toBeCloseTo(4340 / 20, 10);
    expect(familyMovement(ms)).toEqual({
      budgetary: 'better',
      operational: 'no',
      effectiveness: 'no',
    });
  });

  it('an hour bought more cheaply lowers the cost per staff hour: (20 + 2 × 36) / 3', () => {
    const ms = compare(stable, { kind: 'setCost', stage: 'assess', costPerServerHour: 36 });
    expect(byKey(ms, 'costPerStaffHour').analytic.value).toBeCloseTo(92 / 3, 10);
    expect(familyMovement(ms).budgetary).toBe('better');
    expect(familyMovement(ms).operational).toBe('no');
  });

  it('buying more or fewer hours is not a change of price (the baseline’s mix is kept)', () => {
    const ms = compare(stable, { kind: 'addServers', stage: 'assess', delta: 2 });
    // A plain average would fall to (20 + 4 × 40) / 5 = 36 → rise; at the baseline's mix it stays 33.33.
    expect(byKey(ms, 'costPerStaffHour').analytic.value).toBeCloseTo(100 / 3, 10);
    expect(familyMovement(ms).budgetary).toBe('no');
    // 20 outputs from 5 × 40 paid hours instead of 3 × 40.
    expect(byKey(ms, 'outputsPerStaffHour').analytic.value).toBeCloseTo(0.1, 10);
    expect(byKey(ms, 'outputsPerStaffHour').direction).toBe('worse');
  });

  it('an input exchanged for a cheaper one is compared unit for unit with the one it replaces', () => {
    const ms = compare(stable, {
      kind: 'addInput',
      input: {
        id: 'cloud-system',
        name: 'Cloud case system',
        kind: 'equipment',
        costPerWeek: 210,
        quantity: 3,
        replaces: 'case-system',
      },
    });
    expect(byKey(ms, 'costPerInputUnit').analytic.value).toBeCloseTo(70, 10);
    // Valued at the old price per licence, the three new licences cost what the old ones did.
    expect(byKey(ms, 'costPerOutputAtBaselinePrices').analytic.value).toBeCloseTo(220, 10);
    expect(familyMovement(ms)).toEqual({
      budgetary: 'better',
      operational: 'no',
      effectiveness: 'no',
    });
  });

  it('a new input is not a price: it shows as more input per output', () => {
    const ms = compare(stable, { kind: 'setCost', stage: 'intake', costPerCase: 3 });
    // The baseline has no charge at intake, so the price of per-case inputs stays at 5.
    expect(byKey(ms, 'costPerCaseUse').analytic.value).toBeCloseTo(5, 10);
    expect(byKey(ms, 'costPerOutputAtBaselinePrices').analytic.value).toBeCloseTo(4460 / 20, 10);
    expect(familyMovement(ms)).toEqual({
      budgetary: 'no',
      operational: 'worse',
      effectiveness: 'no',
    });
  });

  it('a removed per-case charge is no price either, and one removed everywhere leaves no price', () => {
    const ms = compare(stable, { kind: 'setCost', stage: 'assess', costPerCase: 0 });
    expect(byKey(ms, 'costPerCaseUse').analytic).toEqual({ baseline: 5, value: null });
    expect(byKey(ms, 'costPerCaseUse').moved).toBe(false);
    expect(byKey(ms, 'costPerOutputAtBaselinePrices').analytic.value).toBeCloseTo(4300 / 20, 10);
  });

  it('more outcomes per output is effectiveness', () => {
    const ms = compare(stable, {
      kind: 'setOutcomeContribution',
      output: 'approved',
      outcomeContribution: 0.95,
    });
    expect(byKey(ms, 'outcomeShare').analytic.value).toBeCloseTo(0.86, 10);
    expect(familyMovement(ms)).toEqual({
      budgetary: 'no',
      operational: 'no',
      effectiveness: 'better',
    });
  });

  it('a lead time that stops growing without limit is a real change', () => {
    const ms = compare(saturated, { kind: 'addServers', stage: 'assess', delta: 1 });
    expect(byKey(ms, 'leadTimeHours').analytic.baseline).toBeNull();
    expect(byKey(ms, 'leadTimeHours')).toMatchObject({ moved: true, direction: 'better' });
    expect(describeMovement(byKey(ms, 'leadTimeHours'), 40)).toMatch(
      /^Mean lead time: down from growing without limit to \d/,
    );
  });
});

describe('simulated measures', () => {
  const chain = costedChain(0.5);
  const options = { seed: 7, replications: 3, horizonHours: 30 * 40, warmupHours: 2 * 40 };
  const base = { chain, analysis: analyseChain(chain), simulation: simulateChain(chain, options) };
  const cheaper = changed(chain, { kind: 'setCost', stage: 'assess', costPerServerHour: 30 });
  const scen = {
    chain: cheaper,
    analysis: analyseChain(cheaper),
    simulation: simulateChain(cheaper, options),
  };
  const ms = compareMeasures(base, scen);

  it('the cost per output at baseline prices of the baseline is its own cost per output', () => {
    const own = byKey(ms, 'costPerOutput').simulated?.baseline.mean ?? Number.NaN;
    const atBase = byKey(ms, 'costPerOutputAtBaselinePrices').simulated?.baseline.mean;
    expect(atBase).toBeCloseTo(own, 8);
  });

  it('a cheaper hour moves the all-in cost per output but not the operational one', () => {
    expect(byKey(ms, 'costPerOutput')).toMatchObject({ basis: 'simulation', moved: true });
    const atBase = byKey(ms, 'costPerOutputAtBaselinePrices');
    expect(atBase.basis).toBe('simulation');
    expect(atBase.simulated?.difference.mean).toBeCloseTo(0, 8);
    expect(atBase.moved).toBe(false);
    expect(byKey(ms, 'costPerStaffHour')).toMatchObject({ basis: 'analytic', moved: true });
    expect(familyMovement(ms)).toEqual({
      budgetary: 'better',
      operational: 'no',
      effectiveness: 'no',
    });
  });
});
