import { describe, expect, it } from 'vitest';
import { capabilityBenchmarks, serviceBenchmarks, type LevelCount } from './benchmarks.ts';
import { quartileRanks } from './statistics.ts';

const capabilities = [
  { id: 'organisational-learning', name: 'Organisational Learning' },
  { id: 'managing-risk', name: 'Managing Risk' },
];

const row = (peerGroup: string, level: number, count: number): LevelCount => ({
  peerGroup,
  capabilityId: 'organisational-learning',
  level,
  count,
  from: '2026-03-01T00:00:00.000Z',
  to: '2026-11-01T00:00:00.000Z',
});

// 6 metropolitan (levels 2,2,3,3,3,4), 5 districts (3,3,4,4,5), 3 unitaries (1,2,2).
const counts = [
  row('Metropolitan', 2, 2),
  row('Metropolitan', 3, 3),
  row('Metropolitan', 4, 1),
  row('Districts', 3, 2),
  row('Districts', 4, 2),
  row('Districts', 5, 1),
  row('Unitaries', 1, 1),
  row('Unitaries', 2, 2),
];

describe('capability benchmarks', () => {
  it('gives the distribution over all sharing members with its count and period', () => {
    const [learning, risk] = capabilityBenchmarks({ capabilities, counts, minimum: 5 });
    expect(learning?.all).toEqual({
      shown: true,
      count: 14,
      distribution: { count: 14, lowerQuartile: 2, median: 3, upperQuartile: 3.75 },
      period: { from: '2026-03-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' },
    });
    expect(risk?.all).toEqual({ shown: false, reason: 'no-data' });
  });

  it('hides a small group, and the group whose difference from the whole would reveal it', () => {
    const pick = (group: string) =>
      capabilityBenchmarks({ capabilities, counts, minimum: 5, group })[0]?.group;
    expect(pick('Metropolitan')).toMatchObject({ shown: true, count: 6 });
    expect(pick('Unitaries')).toEqual({ shown: false, reason: 'too-few' });
    // All 14 minus Metropolitan 6 minus Districts 5 would give the 3 unitaries: Districts hidden.
    expect(pick('Districts')).toEqual({ shown: false, reason: 'protects-another-group' });
    // A hidden figure carries no number at all.
    expect(JSON.stringify(pick('Unitaries'))).not.toMatch(/\d/);
  });

  it('hides everything when fewer than the minimum share, and honours a raised minimum', () => {
    const few = capabilityBenchmarks({ capabilities, counts: counts.slice(0, 3), minimum: 5 });
    expect(few[0]?.all).toMatchObject({ shown: true, count: 6 });
    const raised = capabilityBenchmarks({ capabilities, counts: counts.slice(0, 3), minimum: 7 });
    expect(raised[0]?.all).toEqual({ shown: false, reason: 'too-few' });
    const lowered = capabilityBenchmarks({ capabilities, counts: counts.slice(6), minimum: 2 });
    expect(lowered[0]?.all).toEqual({ shown: false, reason: 'too-few' });
  });

  it('places the member by its own level (lower is better)', () => {
    const [learning] = capabilityBenchmarks({
      capabilities,
      counts,
      minimum: 5,
      own: new Map([['organisational-learning', 2]]),
    });
    expect(learning?.own).toEqual({ value: 2, quarter: 'best' });
  });
});

describe('service benchmarks', () => {
  const values = [120, 80, 100, 90, 150, 110];
  const sorted = [...values].sort((a, b) => a - b);
  const ranks = quartileRanks(values.length).map((rank) => ({
    serviceType: 'planning-applications',
    measure: 'cost_per_output' as const,
    rank,
    count: values.length,
    value: sorted[rank] as number,
  }));

  it('gives quartiles from the values at a few ranks and the member’s quarter', () => {
    const [planning] = serviceBenchmarks({
      ranks,
      periods: new Map(),
      minimum: 5,
      own: new Map([['planning-applications', { cost_per_output: 85 }]]),
    });
    const cost = planning?.measures.find((m) => m.key === 'cost_per_output');
    expect(cost?.figure).toMatchObject({
      shown: true,
      count: 6,
      distribution: { lowerQuartile: 92.5, median: 105, upperQuartile: 117.5 },
    });
    expect(cost?.own).toEqual({ value: 85, quarter: 'best' });
    const lead = planning?.measures.find((m) => m.key === 'lead_time_hours');
    expect(lead?.figure).toEqual({ shown: false, reason: 'no-data' });
  });

  it('hides a kind of service with fewer than the minimum organisations', () => {
    const [planning] = serviceBenchmarks({ ranks, periods: new Map(), minimum: 7 });
    expect(planning?.measures[0]?.figure).toEqual({ shown: false, reason: 'too-few' });
  });
});
