import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsvLog } from '../import/csv.ts';
import { readXesLog } from '../import/xes.ts';
import { analyseLog } from './analyse.ts';
import type { ActivityMeasures } from './activities.ts';
import type { DfgEdge } from './dfg.ts';

const FIXTURES = new URL('../../../../test/fixtures/eventlogs/', import.meta.url);
const fixture = (name: string): ReturnType<typeof createReadStream> =>
  createReadStream(new URL(name, FIXTURES));

describe('analyseLog on small.csv (hand-computed, completion times only)', async () => {
  const analysis = analyseLog(await readCsvLog(fixture('small.csv')));
  const edge = (from: string, to: string) =>
    analysis.edges.find((e) => e.from === from && e.to === to);
  const activity = (name: string) =>
    analysis.activities.find((a) => a.activity === name) as ActivityMeasures;

  it('counts cases, events, activities and variants', () => {
    expect(analysis.counts).toEqual({
      cases: 3,
      events: 9,
      activities: 3,
      variants: 3,
      resources: 3,
    });
    expect(analysis.variants.map((v) => v.activities.join(''))).toEqual(['ABC', 'ABBC', 'AC']);
    expect(analysis.startActivities).toEqual([{ activity: 'A', count: 3 }]);
    expect(analysis.endActivities).toEqual([{ activity: 'C', count: 3 }]);
  });

  it('annotates each directly-follows edge with frequency and time (seconds)', () => {
    // A→B: c1 waits 1 h, c2 15 min.
    expect(edge('A', 'B')).toMatchObject({ frequency: 2, cases: 2 });
    expect((edge('A', 'B') as DfgEdge).time).toMatchObject({
      mean: 2250,
      median: 2250,
      p90: 3330,
      min: 900,
      max: 3600,
    });
    expect((edge('B', 'B') as DfgEdge).time).toMatchObject({ count: 1, mean: 7200 });
    expect((edge('B', 'C') as DfgEdge).time).toMatchObject({ count: 2, mean: 4050, median: 4050 });
    expect((edge('A', 'C') as DfgEdge).time.mean).toBe(7200);
    expect(analysis.edges.length).toBe(4);
  });

  it('measures the wait before each activity and its share of all case time', () => {
    // Case durations 3 h + 2.5 h + 2 h = 27,000 s.
    expect(analysis.caseDuration).toMatchObject({ count: 3, total: 27000, median: 9000 });
    expect(activity('B').waitingTime).toMatchObject({ count: 3, total: 11700, median: 3600 });
    expect(activity('B').waitingShare).toBeCloseTo(11700 / 27000, 12);
    expect(activity('C').waitingShare).toBeCloseTo(15300 / 27000, 12);
    expect(activity('A')).toMatchObject({ count: 3, caseStarts: 3, serviceTime: null });
    expect(activity('A').waitingTime.count).toBe(0);
    expect((analysis.activities[0] as ActivityMeasures).activity).toBe('C');
    expect(analysis.timing.kind).toBe('completion-only');
    expect(analysis.timing.note).toMatch(/waiting and service cannot be told apart/);
  });

  it('reports throughput and backlog per week', () => {
    expect(analysis.periodUnit).toBe('week');
    expect(analysis.flow).toEqual([
      {
        period: '2024-W01',
        start: '2024-01-01T00:00:00.000Z',
        arrived: 3,
        completed: 3,
        openAtEnd: 0,
      },
    ]);
    expect(analysis.resources.map((r) => [r.resource, r.events, r.cases])).toEqual([
      ['Ann', 5, 3],
      ['Bob', 3, 3],
      ['Cy', 1, 1],
    ]);
  });
});

describe('analyseLog with start and complete events (lifecycle.csv, nested.xes)', () => {
  it('pairs start and complete, so no task follows itself merely by starting', async () => {
    const analysis = analyseLog(await readCsvLog(fixture('lifecycle.csv')));
    const pairs = analysis.edges.map((e) => `${e.from}>${e.to}:${e.frequency}`).sort();
    expect(pairs).toEqual(['A>B:2', 'A>C:1', 'B>B:1']);
    // x: B starts 30 min after A completes; z: B starts before A completes → max(0, …) = 0.
    expect(
      (analysis.edges.find((e) => e.from === 'A' && e.to === 'B') as DfgEdge).time,
    ).toMatchObject({
      min: 0,
      max: 1800,
    });
    // The real rework loop: x's second B starts 10 min after the first completes.
    expect((analysis.edges.find((e) => e.from === 'B' && e.to === 'B') as DfgEdge).time.mean).toBe(
      600,
    );
    // C has no start event: its start defaults to its completion (y: 10:00 − 09:20).
    expect((analysis.edges.find((e) => e.from === 'A' && e.to === 'C') as DfgEdge).time.mean).toBe(
      2400,
    );
    const b = analysis.activities.find((a) => a.activity === 'B') as ActivityMeasures;
    expect(b.serviceTime).toMatchObject({ count: 3, median: 2400, min: 1800, max: 3600 });
    expect(
      (analysis.activities.find((a) => a.activity === 'C') as ActivityMeasures).serviceTime,
    ).toBeNull();
    expect(analysis.timing.kind).toBe('partial');
  });

  it('reports the utilisation of the resources behind a wait, counting overlapping tasks once', async () => {
    const analysis = analyseLog(await readCsvLog(fixture('lifecycle.csv')));
    const candidate = (name: string) =>
      analysis.bottleneck.candidates.find((c) => c.activity === name);
    // r2 works 09:10–09:50, 10:00–11:00 and 11:10–11:40: 130 of the 150 minutes it is active.
    expect(candidate('B')?.evidence.utilisation).toBeCloseTo(130 / 150, 12);
    expect(candidate('B')?.evidence.waitingShare).toBeCloseTo(2400 / 16200, 12);
    // C's resource never records a start: no utilisation can be measured.
    expect(candidate('C')?.evidence.utilisation).toBeNull();
  });

  it('separates service from waiting on an XES log', async () => {
    const analysis = analyseLog(await readXesLog(fixture('nested.xes')));
    const review = analysis.activities.find((a) => a.activity === 'Review') as ActivityMeasures;
    expect(review.serviceTime).toMatchObject({ count: 2, mean: 3150 });
    expect(review.waitingTime).toMatchObject({ count: 2, mean: 2550 });
    expect(review.waitingShare).toBeCloseTo(5100 / (9000 + 3600), 12);
  });
});
