import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseChain } from '../chain/model.ts';
import { calibrateChain, chooseDistribution, stageIds, type CalibratedStage } from './calibrate.ts';
import { toDeliveryChain } from './chain-adapter.ts';
import { filterLog } from './filter.ts';
import { readCsvLog } from './import/csv.ts';

const FIXTURES = new URL('../../../test/fixtures/eventlogs/', import.meta.url);
const small = () => readCsvLog(createReadStream(new URL('small.csv', FIXTURES)));

describe('calibrateChain on small.csv', async () => {
  const chain = calibrateChain(await small(), { cases: 4000, seed: 3, fold: 0 });
  const stage = (name: string) => chain.stages.find((s) => s.name === name) as CalibratedStage;

  it('routes by directly-follows frequencies, marking loops back as rework', () => {
    // A occurs 3 times: twice followed by B, once by C.
    expect(stage('A').routing).toEqual([
      { to: 'b', probability: 2 / 3, rework: false },
      { to: 'c', probability: 1 / 3, rework: false },
    ]);
    // B occurs 3 times: B→C twice, B→B once (a rework loop).
    expect(stage('B').routing).toEqual([
      { to: 'c', probability: 2 / 3, rework: false },
      { to: 'b', probability: 1 / 3, rework: true },
    ]);
    expect(stage('C').routing).toEqual([{ to: 'exit', probability: 1, rework: false }]);
  });

  it('fits the arrival rate, the time per visit and the servers', () => {
    // 3 cases start between 09:00 on 1 Jan and 07:00 on 2 Jan (22 h): 2 intervals in 22 h.
    expect(chain.arrivals.map((a) => a.stageId)).toEqual(['a']);
    expect(chain.arrivals[0]?.ratePerHour).toBeCloseTo(2 / 22, 12);
    expect(stage('B').timePerVisit.mean).toBeCloseTo((1 + 0.25 + 2) / 3, 12);
    // Completion times only: no servers are invented, the capacity is said to be unknown.
    expect(stage('B').servers).toBeNull();
    expect(stage('B').role).toBe('capacity-unknown');
    expect(stage('B').capacityUnknown).toMatch(/completion times only/);
    expect(stage('B').serviceTime).toBeNull();
    expect(chain.serviceMeasured).toBe(false);
  });

  it('reproduces the observed mean lead time analytically and by simulation', () => {
    expect(chain.fit.observed.meanHours).toBeCloseTo(2.5, 12);
    expect(chain.fit.analyticMeanHours).toBeCloseTo(2.5, 9);
    // Times are drawn from the observed quantiles of three cases: a few per cent of noise.
    expect(Math.abs(chain.fit.meanError)).toBeLessThan(0.08);
    expect(chain.fit.statement).toMatch(
      /^Observed lead time: mean 2.5 hours, median 2.5 hours, 90th percentile [\d.]+ hours\./,
    );
  });

  it('maps to a delivery chain that the chain schema accepts', () => {
    const { chain: document, notes } = toDeliveryChain(chain, {
      id: 'permits',
      organisation: 'Council',
    });
    const parsed = parseChain(document);
    expect(parsed.ok).toBe(true);
    expect(document.stages.find((s) => s.id === 'b')?.routes).toContainEqual({
      to: 'b',
      probability: 1 / 3,
      rework: true,
    });
    expect(document.stages.find((s) => s.id === 'c')?.routes).toEqual([
      { to: 'completed', probability: 1 },
    ]);
    expect(notes[1]).toMatch(/completion times only/);
    expect(
      document.stages.every((s) => s.capacityUnknown !== undefined || s.delay !== undefined),
    ).toBe(true);
  });
});

describe('calibration helpers', () => {
  it('chooses a distribution from the coefficient of variation', () => {
    expect(chooseDistribution(0.05)).toBe('deterministic');
    expect(chooseDistribution(0.9)).toBe('exponential');
    expect(chooseDistribution(2.5)).toBe('lognormal');
  });

  it('makes unique, schema-safe stage ids', () => {
    expect(stageIds(['T02 Check receipt', 'T02 check receipt!', 'Exit', '€', '_x'])).toEqual([
      't02-check-receipt',
      't02-check-receipt-2',
      'exit-2',
      'stage',
      'x',
    ]);
  });
});

describe('filterLog', async () => {
  const log = await small();
  it('keeps cases by attribute, variant and period', () => {
    expect(
      filterLog(log, { caseAttribute: { name: 'case:channel', values: ['Internet'] } }).caseIds,
    ).toEqual(['c1', 'NA']);
    expect(filterLog(log, { variants: [['A', 'B', 'B', 'C']] }).caseIds).toEqual(['c2']);
    expect(filterLog(log, { period: { from: '2024-01-02T00:00:00Z' } }).caseIds).toEqual(['NA']);
    expect(
      filterLog(log, { period: { to: '2024-01-01T11:00:00Z', mode: 'started' } }).caseIds,
    ).toEqual(['c1', 'c2']);
    const internet = filterLog(log, {
      caseAttribute: { name: 'case:channel', values: ['Internet'] },
    });
    expect(internet.complete.length).toBe(5);
    expect(Array.from(internet.caseOffsets)).toEqual([0, 3, 5]);
  });
  it('names an unknown attribute', () => {
    expect(() => filterLog(log, { caseAttribute: { name: 'colour', values: [] } })).toThrow(
      'the log has no case attribute "colour" (it has: case:channel)',
    );
  });
});
