// Post-implementation evaluation: small logs whose answers are worked out by hand in the comments,
// the demo's real receipt log checked against a plain loop over its cases, the bootstrap against a
// brute-force resampling, and the typed half (describeChange, buildEvaluation, the schema).
import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { filterLog, readCsvLog } from '../mining/index.ts';
import type { EventLog } from '../mining/index.ts';
import { createRandom } from '../chain/rng.ts';
import {
  bootstrapMedianChange,
  buildEvaluation,
  DEMAND_LED_MARGIN,
  describeChange,
  evaluateFromLog,
  evaluationInputSchema,
} from './evaluation.ts';
import type { EvaluationInput, LogEvaluation } from './evaluation.ts';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const T0 = Date.UTC(2024, 0, 1);

type Row = [caseId: string, activity: string, day: number];

async function logOf(rows: readonly Row[]): Promise<EventLog> {
  const text =
    'case:concept:name,concept:name,time:timestamp\n' +
    rows.map(([c, a, d]) => `${c},${a},${new Date(T0 + d * DAY).toISOString()}`).join('\n');
  return readCsvLog([text]);
}

/** Register, Review, Decide on the given days. */
const steps = (id: string, register: number, review: number, decide: number): Row[] => [
  [id, 'Register', register],
  [id, 'Review', review],
  [id, 'Decide', decide],
];

// Go-live on day 31 (1 February 2024). Before: 2, 4 and 6 days long, waiting 1, 3 and 5 days for
// Review. One case runs across go-live (days 29 to 34). After: 1, 1 and 2 days, waiting 0.5, 0.5
// and 1 day. The log runs from day 0 to day 52.
const small = (): Promise<EventLog> =>
  logOf([
    ...steps('b1', 0, 1, 2),
    ...steps('b2', 5, 8, 9),
    ...steps('b3', 10, 15, 16),
    ...steps('s1', 29, 33, 34),
    ...steps('a1', 40, 40.5, 41),
    ...steps('a2', 45, 45.5, 46),
    ...steps('a3', 50, 51, 52),
  ]);

describe('evaluateFromLog on a small log worked out by hand', () => {
  it('splits cases at go-live and measures each side', async () => {
    const e = evaluateFromLog(await small(), { goLive: '2024-02-01', activity: 'Review' });
    expect(e.goLive).toBe('2024-02-01T00:00:00.000Z');
    expect([e.before.cases, e.after.cases, e.spanning, e.outsideWindows]).toEqual([3, 3, 1, 0]);
    // Lead times [2, 4, 6] days: median 4, mean 4, p90 at position 1.8: 4 + 0.8 × 2 = 5.6.
    expect(e.before.leadTime.median).toBeCloseTo(4 * 86_400, 6);
    expect(e.before.leadTime.mean).toBeCloseTo(4 * 86_400, 6);
    expect(e.before.leadTime.p90).toBeCloseTo(5.6 * 86_400, 6);
    // [1, 1, 2]: median 1, mean 4/3, p90 1 + 0.8 × 1 = 1.8.
    expect(e.after.leadTime.median).toBeCloseTo(86_400, 6);
    expect(e.after.leadTime.mean).toBeCloseTo((4 / 3) * 86_400, 6);
    expect(e.after.leadTime.p90).toBeCloseTo(1.8 * 86_400, 6);
    // Before: days 0–31 (31/7 weeks), 3 finished, 4 arrived (s1 on day 29). After: days 31–52
    // (3 weeks), 4 finished (s1 on day 34 counts: it was delivered then), 3 arrived.
    expect(e.before.weeks).toBeCloseTo(31 / 7, 12);
    expect(e.before.throughputPerWeek).toBeCloseTo(3 / (31 / 7), 12);
    expect(e.before.arrivalsPerWeek).toBeCloseTo(4 / (31 / 7), 12);
    expect(e.after.throughputPerWeek).toBeCloseTo(4 / 3, 12);
    expect(e.after.arrivalsPerWeek).toBeCloseTo(1, 12);
    // Open case-days: before 2 + 4 + 6 + 2 (s1, days 29–31) = 14 over 31; after 3 + 1 + 1 + 2 = 7 over 21.
    expect(e.before.meanWip).toBeCloseTo(14 / 31, 12);
    expect(e.after.meanWip).toBeCloseTo(7 / 21, 12);
    // Waits before Review: [1, 3, 5] days, 9 of 12 case-days; after [0.5, 0.5, 1], 2 of 4.
    expect(e.before.activity?.wait.median).toBeCloseTo(3 * 86_400, 6);
    expect(e.before.activity?.wait.count).toBe(3);
    expect(e.before.activity?.shareOfCaseTime).toBeCloseTo(0.75, 12);
    expect(e.after.activity?.wait.mean).toBeCloseTo((2 / 3) * 86_400, 6);
    expect(e.after.activity?.shareOfCaseTime).toBeCloseTo(0.5, 12);
    expect(e.findings).toEqual([
      'Compared 3 cases that started and finished before go-live on 1 February 2024 with 3 cases that started on or after it; 1 case ran across go-live and is left out.',
      'Median lead time fell from 4 days to 1 day (−75%): better.',
      'Throughput rose from 0.7 cases a week to 1.3 cases a week (+97%): better.',
      'The median wait before Review fell from 3 days to 12 hours (−83%): better.',
      'The share of case time spent waiting for Review fell from 75.0% to 50.0% (−33%): better.',
    ]);
  });

  it('flags the small sample and says what cannot be told apart', async () => {
    const e = evaluateFromLog(await small(), { goLive: '2024-02-01', activity: 'Review' });
    expect(e.confidence.smallSample).toBe(true);
    expect(e.confidence.statements[0]).toBe(
      'Small sample: 3 cases before go-live and 3 cases after. With fewer than 30 on a side the figures can move a long way by chance; treat them as a first indication.',
    );
    expect(e.cautions).toEqual([
      'A before-and-after comparison from a log is not a controlled trial: the season, other changes made at the same time and a different mix of cases can all move these figures, and a wait that fell while work in progress also fell may reflect lighter demand rather than the initiative.',
      '1 case ran across go-live and is left out of the lead times and waits; it counts towards throughput in the period it finished.',
      'The log records completion times only, so each wait includes the work of the activity itself: waiting and working cannot be told apart.',
    ]);
  });

  it('compares equal windows, shortened to what the log holds', async () => {
    // 25 days asked; the log holds only 21 after go-live, so both windows are 21 days: before
    // days 10–31 holds b3 only (b1 and b2 began earlier), after days 31–52 holds a1–a3.
    const e = evaluateFromLog(await small(), { goLive: '2024-02-01', windowDays: 25 });
    expect(e.windowDays).toBe(21);
    expect([e.before.cases, e.after.cases, e.spanning, e.outsideWindows]).toEqual([1, 3, 1, 2]);
    expect(e.before.from).toBe(new Date(T0 + 10 * DAY).toISOString());
    // In days 10–31: b3 finished (day 16), b3 and s1 arrived.
    expect(e.before.throughputPerWeek).toBeCloseTo(1 / 3, 12);
    expect(e.before.arrivalsPerWeek).toBeCloseTo(2 / 3, 12);
    expect(e.findings[0]).toBe(
      'Compared 1 case that started and finished before go-live on 1 February 2024 with 3 cases that started on or after it; 1 case ran across go-live and 2 other cases fell outside the windows and are left out.',
    );
    expect(e.cautions).toContain(
      'The log covers only 21 days on one side of go-live, so both windows were shortened from 25 days to 21 days to stay equal.',
    );
    // One case before: no interval can be drawn.
    expect(e.confidence.leadTimeMedianChange).toBeNull();
    expect(e.confidence.statements).toContain(
      'Too few cases on one side for an interval: at least 2 before and 2 after go-live are needed.',
    );
  });

  it('accepts a Date or an instant with its zone, the same as a date', async () => {
    const log = await small();
    const a = evaluateFromLog(log, { goLive: new Date(Date.UTC(2024, 1, 1)) });
    const b = evaluateFromLog(log, { goLive: '2024-02-01T01:00+01:00' });
    expect(b.before.cases).toBe(a.before.cases);
    expect(b.goLive).toBe(a.goLive);
  });
});

describe('cautions that need numbers from the log', () => {
  // Before go-live (day 20): one case a day, days 0–17, each waiting 2 days for Review.
  const busyBefore: Row[] = Array.from({ length: 18 }, (_, k) =>
    steps(`b${k}`, k, k + 2, k + 2.1),
  ).flat();

  it('names a fall in demand when the wait fell with it', async () => {
    // After: a case every 2 days, days 20–38, waiting 1 day. Arrivals: 18 in 20 days = 6.3 a
    // week, then 10 in 19.1 days (to the last event, day 39.1) = 3.66 a week: −42%. Cases in
    // progress: 18 × 2.1 ÷ 20 = 1.9, then 10 × 1.1 ÷ 19.1 = 0.6.
    const after = Array.from({ length: 10 }, (_, j) =>
      steps(`a${j}`, 20 + 2 * j, 21 + 2 * j, 21.1 + 2 * j),
    ).flat();
    const e = evaluateFromLog(await logOf([...busyBefore, ...after]), {
      goLive: '2024-01-21',
      activity: 'Review',
    });
    expect(e.cautions).toContain(
      'The wait before Review fell, but so did demand: 6.3 cases arrived a week before go-live and 3.7 after (−42%), with 1.9 and 0.6 cases in progress on average. Part or all of the fall may come from lighter demand rather than the initiative.',
    );
  });

  it('does not blame demand when as many cases arrived', async () => {
    // A case a day after go-live as before: 19 in 19.1 days, 7.0 a week. Fewer cases are in
    // progress (the waits are shorter), which by Little's law is what a real improvement looks like.
    const after = Array.from({ length: 19 }, (_, j) =>
      steps(`a${j}`, 20 + j, 21 + j, 21.1 + j),
    ).flat();
    const e = evaluateFromLog(await logOf([...busyBefore, ...after]), {
      goLive: '2024-01-21',
      activity: 'Review',
    });
    expect(e.changes.waitMedian?.direction).toBe('fell');
    expect(e.after.meanWip).toBeLessThan(e.before.meanWip);
    expect(e.cautions.some((c) => c.includes('so did demand'))).toBe(false);
  });

  it('names a trend already under way before go-live', async () => {
    // Go-live day 60. Cases starting days 0–22 take 4 days, days 30–52 take 2: the median halved
    // inside the before period. After go-live they take 1 day.
    const rows = [
      ...Array.from({ length: 12 }, (_, k) => steps(`e${k}`, 2 * k, 2 * k + 3, 2 * k + 4)),
      ...Array.from({ length: 12 }, (_, k) => steps(`l${k}`, 30 + 2 * k, 31 + 2 * k, 32 + 2 * k)),
      ...Array.from({ length: 12 }, (_, k) => steps(`a${k}`, 60 + 2 * k, 60.5 + 2 * k, 61 + 2 * k)),
    ].flat();
    const e = evaluateFromLog(await logOf(rows), { goLive: '2024-03-01' });
    expect(e.cautions).toContain(
      'Median lead time was already falling before go-live: 4 days for cases that started in the first half of the before period and 2 days in the second half (−50%). Part of the change may continue a trend that began before the initiative.',
    );
  });

  it('names a change in the mix of cases', async () => {
    // Every case passes Review before go-live (day 30); after it, half skip it.
    const rows = [
      ...Array.from({ length: 10 }, (_, k) => steps(`b${k}`, 2 * k, 2 * k + 1, 2 * k + 2)),
      ...Array.from({ length: 10 }, (_, k): Row[] =>
        k % 2 === 0
          ? steps(`a${k}`, 30 + 2 * k, 31 + 2 * k, 32 + 2 * k)
          : [
              [`a${k}`, 'Register', 30 + 2 * k],
              [`a${k}`, 'Decide', 31 + 2 * k],
            ],
      ),
    ].flat();
    const e = evaluateFromLog(await logOf(rows), { goLive: '2024-01-31', activity: 'Review' });
    expect(e.cautions).toContain(
      'The mix of cases changed: 100% of cases passed through Review before go-live and 50% after, so the two periods are not like for like.',
    );
  });
});

describe('bad input to evaluateFromLog', () => {
  it('says what is wrong with the go-live date', async () => {
    const log = await small();
    const go = (goLive: string) => () => evaluateFromLog(log, { goLive });
    expect(go('2023-12-01')).toThrow(
      "go-live (1 December 2023) is not after the log's first event (1 January 2024): there is nothing before it to compare",
    );
    expect(go('2024-03-01')).toThrow(
      "go-live (1 March 2024) is not before the log's last event (22 February 2024): there is nothing after it to compare",
    );
    expect(go('01/02/2024')).toThrow(
      'go-live "01/02/2024" is not a date: write it as yyyy-mm-dd, for example 2011-06-01',
    );
    expect(go('2024-02-30')).toThrow('go-live "2024-02-30" is not a real date');
    expect(go('2024-02-01T09:00')).toThrow(
      'go-live "2024-02-01T09:00" has a time but no time zone: add one, as in 2024-02-01T09:00Z or 2024-02-01T09:00+01:00',
    );
    expect(() => evaluateFromLog(log, { goLive: new Date(Number.NaN) })).toThrow(
      'go-live is not a valid date',
    );
  });

  it('names the activities when the one given is not in the log', async () => {
    const log = await small();
    expect(() => evaluateFromLog(log, { goLive: '2024-02-01', activity: 'review' })).toThrow(
      'the log has no activity "review" (did you mean "Review"?)',
    );
    expect(() => evaluateFromLog(log, { goLive: '2024-02-01', activity: 'Triage' })).toThrow(
      'the log has no activity "Triage" (its activities: "Register", "Review", "Decide")',
    );
  });

  it('refuses a window that is not a positive number of days, and an empty log', async () => {
    const log = await small();
    expect(() => evaluateFromLog(log, { goLive: '2024-02-01', windowDays: 0 })).toThrow(
      'the window must be a positive number of days (got 0)',
    );
    expect(() =>
      evaluateFromLog(filterLog(log, { variants: [] }), { goLive: '2024-02-01' }),
    ).toThrow('the event log has no cases to compare');
  });
});

describe('bootstrapMedianChange', () => {
  /** The same resampling done the slow way: draw indices, sort each resample, take its median. */
  function bruteForce(before: number[], after: number[], seed: number, resamples: number) {
    const median = (xs: number[]): number => {
      const s = [...xs].sort((a, b) => a - b);
      const pos = (s.length - 1) / 2;
      const lo = Math.floor(pos);
      const a = s[lo] as number;
      return a + ((s[Math.min(lo + 1, s.length - 1)] as number) - a) * (pos - lo);
    };
    const quantile = (s: number[], q: number): number => {
      const pos = (s.length - 1) * q;
      const lo = Math.floor(pos);
      const a = s[lo] as number;
      return a + ((s[Math.min(lo + 1, s.length - 1)] as number) - a) * (pos - lo);
    };
    const b = [...before].sort((x, y) => x - y);
    const a = [...after].sort((x, y) => x - y);
    const random = createRandom(seed);
    const draw = (xs: number[]): number[] =>
      xs.map(() => xs[Math.floor(random.next() * xs.length)] as number);
    const diffs: number[] = [];
    for (let r = 0; r < resamples; r++) {
      const ra = draw(a);
      const rb = draw(b);
      diffs.push(median(ra) - median(rb));
    }
    diffs.sort((x, y) => x - y);
    return { low: quantile(diffs, 0.025), high: quantile(diffs, 0.975) };
  }

  const random = createRandom(7);
  const before = Array.from({ length: 40 }, () => Math.round(random.next() * 10 * DAY));
  const after = Array.from({ length: 37 }, () => Math.round(random.next() * 6 * DAY));

  it('gives the interval a brute-force bootstrap gives (even and odd sample sizes)', () => {
    const fast = bootstrapMedianChange(Float64Array.from(before), Float64Array.from(after), {
      seed: 3,
      resamples: 500,
    });
    const slow = bruteForce(before, after, 3, 500);
    expect(fast.low).toBeCloseTo(slow.low / 1000, 6);
    expect(fast.high).toBeCloseTo(slow.high / 1000, 6);
    expect(fast.low).toBeLessThanOrEqual(fast.estimate);
    expect(fast.high).toBeGreaterThanOrEqual(fast.estimate);
  });

  it('is the same for the same seed and differs for another', () => {
    const b = Float64Array.from(before);
    const a = Float64Array.from(after);
    expect(bootstrapMedianChange(b, a, { seed: 5 })).toEqual(
      bootstrapMedianChange(b, a, { seed: 5 }),
    );
    expect(bootstrapMedianChange(b, a, { seed: 5 }).low).not.toBe(
      bootstrapMedianChange(b, a, { seed: 6 }).low,
    );
  });

  it('collapses to the difference when every case takes the same time', () => {
    const r = bootstrapMedianChange(
      new Float64Array(5).fill(10_000),
      new Float64Array(4).fill(4_000),
    );
    expect([r.estimate, r.low, r.high, r.excludesZero]).toEqual([-6, -6, -6, true]);
  });

  it('includes zero when both sides come from the same cases', () => {
    const b = Float64Array.from(before);
    expect(bootstrapMedianChange(b, b).excludesZero).toBe(false);
  });

  it('draws fewer resamples for a very large log, and refuses too few', () => {
    const big = new Float64Array(50_000).map((_, i) => i);
    expect(bootstrapMedianChange(big, big).resamples).toBe(200);
    expect(() =>
      bootstrapMedianChange(Float64Array.from(before), Float64Array.from(after), { resamples: 10 }),
    ).toThrow('resamples must be a whole number of at least 100 (got 10)');
  });
});

describe('the demo receipt log (examples/eventlogs), checked against a plain loop over its cases', async () => {
  const log = await readCsvLog(
    createReadStream(new URL('../../../examples/eventlogs/receipt.csv.gz', import.meta.url)),
  );
  const T06 = 'T06 Determine necessity of stop advice';
  const goLive = Date.UTC(2011, 5, 1);

  /** Lead times, waits before T06 and completions, by a loop that shares nothing with the engine. */
  function byHand(from: number, to: number) {
    const median = (xs: number[]) => quantile(xs, 0.5);
    const quantile = (xs: number[], q: number) => {
      const s = [...xs].sort((a, b) => a - b);
      const pos = (s.length - 1) * q;
      const lo = Math.floor(pos);
      const a = s[lo] as number;
      return a + ((s[Math.min(lo + 1, s.length - 1)] as number) - a) * (pos - lo);
    };
    const groups = { before: [] as number[], after: [] as number[] };
    const waits = { before: [] as number[], after: [] as number[] };
    let spanning = 0;
    let completedBefore = 0;
    let completedAfter = 0;
    for (let c = 0; c < log.caseIds.length; c++) {
      const begin = log.caseOffsets[c] as number;
      const end = log.caseOffsets[c + 1] as number;
      let first = Infinity;
      let last = -Infinity;
      const caseWaits: number[] = [];
      for (let i = begin; i < end; i++) {
        const start = Number.isNaN(log.start[i] as number)
          ? (log.complete[i] as number)
          : (log.start[i] as number);
        first = Math.min(first, start);
        last = Math.max(last, log.complete[i] as number);
        if (i > begin && log.activityNames[log.activity[i] as number] === T06) {
          caseWaits.push(Math.max(0, start - (log.complete[i - 1] as number)));
        }
      }
      if (last >= from && last < goLive) completedBefore++;
      if (last >= goLive && last <= to) completedAfter++;
      const side = last < goLive ? 'before' : first >= goLive ? 'after' : null;
      if (side === null) spanning++;
      else {
        groups[side].push(last - first);
        waits[side].push(...caseWaits);
      }
    }
    const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
    const stats = (side: 'before' | 'after') => ({
      cases: groups[side].length,
      median: median(groups[side]) / 1000,
      mean: sum(groups[side]) / groups[side].length / 1000,
      p90: quantile(groups[side], 0.9) / 1000,
      waitCount: waits[side].length,
      waitMedian: median(waits[side]) / 1000,
      waitMean: sum(waits[side]) / waits[side].length / 1000,
      waitShare: sum(waits[side]) / sum(groups[side]),
    });
    return {
      before: stats('before'),
      after: stats('after'),
      spanning,
      completedBefore,
      completedAfter,
    };
  }

  const e: LogEvaluation = evaluateFromLog(log, { goLive: '2011-06-01', activity: T06 });
  const from = Date.parse(e.logFrom);
  const to = Date.parse(e.logTo);
  const hand = byHand(from, to);

  it('splits the 1,434 cases as the loop does', () => {
    expect([e.before.cases, e.after.cases, e.spanning]).toEqual([754, 666, 14]);
    expect([hand.before.cases, hand.after.cases, hand.spanning]).toEqual([754, 666, 14]);
  });

  it('gives the lead times, throughput and waits before T06 the loop gives', () => {
    for (const side of ['before', 'after'] as const) {
      const p = e[side];
      const h = hand[side];
      expect(p.leadTime.median).toBeCloseTo(h.median, 6);
      expect(p.leadTime.mean).toBeCloseTo(h.mean, 6);
      expect(p.leadTime.p90).toBeCloseTo(h.p90, 6);
      expect(p.activity?.wait.count).toBe(h.waitCount);
      expect(p.activity?.wait.median).toBeCloseTo(h.waitMedian, 6);
      expect(p.activity?.wait.mean).toBeCloseTo(h.waitMean, 6);
      expect(p.activity?.shareOfCaseTime).toBeCloseTo(h.waitShare, 9);
    }
    expect(e.before.throughputPerWeek).toBeCloseTo(
      hand.completedBefore / ((goLive - from) / WEEK),
      9,
    );
    expect(e.after.throughputPerWeek).toBeCloseTo(hand.completedAfter / ((to - goLive) / WEEK), 9);
    expect(e.changes.leadTimeMedian?.sentence).toBe(
      'Median lead time fell from 1.8 days to 4.6 minutes (−99.8%): better.',
    );
  });

  it('gives a seeded interval that excludes zero, and names the trend that began before go-live', () => {
    const ci = e.confidence.leadTimeMedianChange;
    expect(e.confidence.smallSample).toBe(false);
    expect(ci?.excludesZero).toBe(true);
    expect(ci?.estimate).toBeCloseTo(hand.after.median - hand.before.median, 6);
    expect(ci?.high).toBeLessThan(0);
    expect(evaluateFromLog(log, { goLive: '2011-06-01' }).confidence.leadTimeMedianChange).toEqual(
      ci,
    );
    // Receipt's cases got shorter month by month from early 2011: the comparison is not the
    // initiative's effect alone, and the evaluation must say so.
    expect(
      e.cautions.some((c) => c.startsWith('Median lead time was already falling before go-live')),
    ).toBe(true);
  });

  it('judges the log’s throughput neither better nor worse when it followed the arrivals', () => {
    const none = { before: null, after: null };
    const ev = buildEvaluation(
      {
        ...typed,
        operational: { ...typed.operational, throughputPerWeek: none },
      },
      e,
    );
    const throughput = ev.figures.find((f) => f.key === 'throughputPerWeek');
    const arrivals = e.after.arrivalsPerWeek / e.before.arrivalsPerWeek - 1;
    const completions = e.after.throughputPerWeek / e.before.throughputPerWeek - 1;
    // Fewer cases arrived after go-live, and about as many fewer were completed: demand, not
    // efficiency (section 2.2.1: a volume is not an output per input).
    expect(Math.abs(completions - arrivals)).toBeLessThanOrEqual(DEMAND_LED_MARGIN);
    expect(throughput?.change?.verdict).toBe('unchanged');
    expect(throughput?.change?.sentence).toContain('as arrivals did');
    expect(throughput?.change?.sentence).toContain('neither better nor worse');
  });
});

describe('describeChange', () => {
  const days = (x: number) => `${x.toFixed(1)} days`;

  it('says better or worse the right way round for each polarity', () => {
    const leadTime = describeChange('median lead time', 9.1, 6.4, {
      polarity: 'lower-is-better',
      format: days,
    });
    expect(leadTime.sentence).toBe(
      'Median lead time fell from 9.1 days to 6.4 days (−30%): better.',
    );
    expect([leadTime.direction, leadTime.verdict]).toEqual(['fell', 'better']);
    expect(leadTime.relative).toBeCloseTo(6.4 / 9.1 - 1, 12);
    const outcomes = describeChange('outcomes per output', 0.85, 0.78, {
      polarity: 'higher-is-better',
    });
    expect(outcomes.sentence).toBe('Outcomes per output fell from 0.85 to 0.78 (−8.2%): worse.');
    const cost = describeChange('cost per output', 40, 44, { polarity: 'lower-is-better' });
    expect([cost.direction, cost.verdict]).toEqual(['rose', 'worse']);
  });

  it('calls a change under half a percent no change, and gives no percentage from zero', () => {
    expect(
      describeChange('throughput', 200, 200.8, { polarity: 'higher-is-better' }).sentence,
    ).toBe('Throughput stayed at about 200 (+0.4%).');
    expect(describeChange('throughput', 200, 200, { polarity: 'higher-is-better' }).sentence).toBe(
      'Throughput stayed at 200.',
    );
    const fromZero = describeChange('complaints a week', 0, 3, { polarity: 'lower-is-better' });
    expect([fromZero.relative, fromZero.sentence]).toEqual([
      null,
      'Complaints a week rose from 0 to 3: worse.',
    ]);
    expect(() => describeChange('cost', Number.NaN, 3, { polarity: 'lower-is-better' })).toThrow(
      'cost: both figures must be numbers (got NaN and 3)',
    );
  });
});

const blank = { before: null, after: null };
const typed: EvaluationInput = {
  initiativeId: 'ai-review',
  evaluatedOn: '2025-03-31',
  budgetary: {
    inputUnit: 'planner hour',
    costPerUnitOfInput: { before: 45, after: 45 },
    spendPerYear: { before: 700_000, after: 660_000 },
  },
  operational: {
    outputsPerStaffHour: { before: 0.08, after: 0.11 },
    costPerOutput: { before: 1136, after: 966 },
    leadTimeDays: blank,
    throughputPerWeek: { before: 12, after: null },
  },
  effectiveness: {
    outcomeName: 'sound decisions',
    outcomesPerOutput: { before: 0.95, after: 0.93 },
  },
  bottleneck: { before: 'Manual review', after: 'Decision and approval' },
  determinants: 'Planners trusted the summaries after two weeks of side-by-side checking.',
  unintendedConsequences: 'Senior planners became the constraint.',
  staffPerspectives: 'Planners said the policy checks saved the most time.',
  outcome: 'partly',
};

describe('buildEvaluation', () => {
  it('fills blank operational figures from the log and keeps what was typed', async () => {
    const fromLog = evaluateFromLog(await small(), { goLive: '2024-02-01' });
    const ev = buildEvaluation(typed, fromLog);
    const figure = (key: string) => ev.figures.find((f) => f.key === key);
    // Lead time left blank: the log's medians, 4 days and 1 day.
    expect(figure('leadTimeDays')).toMatchObject({ before: 4, after: 1, source: 'event log' });
    // Throughput half typed: the log's pair replaces it whole (0.68 and 1.33 a week).
    expect(figure('throughputPerWeek')?.source).toBe('event log');
    expect(figure('throughputPerWeek')?.before).toBeCloseTo(3 / (31 / 7), 12);
    expect(figure('costPerOutput')).toMatchObject({ before: 1136, after: 966, source: 'typed' });
    expect(figure('costPerOutput')?.change?.sentence).toBe(
      'Cost per output fell from £1,136.00 to £966.00 (−15%): better.',
    );
    expect(figure('outcomesPerOutput')?.change?.sentence).toBe(
      'Sound decisions per output fell from 0.95 to 0.93 (−2.1%): worse.',
    );
    expect(ev.fromLog).toBe(fromLog);
  });

  it('says which way each of the three measures moved, the money saved and where the constraint went', () => {
    const ev = buildEvaluation(typed);
    // Budgetary: cost per planner hour unchanged, spend down: better. Operational: outputs per
    // hour up and cost per output down: better. Effectiveness: outcomes per output down: worse.
    expect(ev.measures).toEqual({
      budgetary: 'better',
      operational: 'better',
      effectiveness: 'worse',
    });
    expect(ev.moneySavedPerYear).toBe(40_000);
    expect(ev.constraint).toEqual({
      before: 'Manual review',
      after: 'Decision and approval',
      moved: true,
      statement:
        'The constraint moved from Manual review to Decision and approval: the next improvement should look there (Theory of Constraints, section 2.2.1).',
    });
    expect(ev.summary[0]).toBe(
      'Across the delivery chain (section 3.1): budgetary efficiency better; operational efficiency better; effectiveness worse. The team judges that the initiative partly succeeded.',
    );
    expect(ev.summary).toContain('Money saved: £40,000.00 a year.');
    expect(ev.figures.find((f) => f.key === 'throughputPerWeek')).toMatchObject({
      before: 12,
      after: null,
      source: 'typed',
      change: null,
    });
  });

  it('reports mixed, unmeasured and unmoved measures honestly', () => {
    const ev = buildEvaluation({
      ...typed,
      budgetary: { inputUnit: '', costPerUnitOfInput: blank, spendPerYear: blank },
      operational: { ...typed.operational, outputsPerStaffHour: { before: 0.1, after: 0.09 } },
      bottleneck: { before: 'Manual review', after: 'manual review ' },
    });
    expect(ev.measures.budgetary).toBe('not measured');
    expect(ev.measures.operational).toBe('mixed');
    expect(ev.moneySavedPerYear).toBeNull();
    expect(ev.constraint.moved).toBe(false);
    expect(ev.constraint.statement).toBe(
      'Manual review is still the constraint: the initiative did not move the bottleneck.',
    );
    const unknown = buildEvaluation({ ...typed, bottleneck: { before: '', after: 'Approval' } });
    expect(unknown.constraint.statement).toBe(
      'Whether the constraint moved is not known: only the bottleneck after go-live was recorded (Approval).',
    );
  });
});

describe('evaluationInputSchema', () => {
  const asTyped = {
    ...typed,
    budgetary: {
      inputUnit: ' planner hour ',
      costPerUnitOfInput: { before: '£45', after: '45.00' },
      spendPerYear: { before: '700,000', after: '660000' },
    },
    operational: {
      outputsPerStaffHour: { before: '0.08', after: '0.11' },
      costPerOutput: { before: '1,136', after: '966' },
      leadTimeDays: { before: '', after: '  ' },
      throughputPerWeek: { before: '12', after: '' },
    },
  };

  it('reads figures as people type them; blanks are unknown, not 0', () => {
    const parsed = evaluationInputSchema.parse(asTyped);
    expect(parsed.budgetary.costPerUnitOfInput).toEqual({ before: 45, after: 45 });
    expect(parsed.budgetary.spendPerYear).toEqual({ before: 700_000, after: 660_000 });
    expect(parsed.budgetary.inputUnit).toBe('planner hour');
    expect(parsed.operational.leadTimeDays).toEqual({ before: null, after: null });
    expect(parsed.operational.throughputPerWeek).toEqual({ before: 12, after: null });
    const asInput: EvaluationInput = parsed;
    expect(buildEvaluation(asInput).moneySavedPerYear).toBe(40_000);
  });

  it('gives a specific message for each mistake', () => {
    const messages = (value: unknown): string[] => {
      const result = evaluationInputSchema.safeParse(value);
      return result.success
        ? []
        : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(
      messages({
        ...asTyped,
        evaluatedOn: '31/03/2025',
        operational: {
          ...asTyped.operational,
          costPerOutput: { before: 'about 40', after: '-3' },
          throughputPerWeek: { before: '2000000000', after: '' },
        },
        determinants: '   ',
        unintendedConsequences: 'x'.repeat(5001),
        outcome: 'done',
      }),
    ).toEqual([
      'evaluatedOn: Enter the date of the evaluation as yyyy-mm-dd, for example 2025-03-31',
      'operational.costPerOutput.before: Enter the cost per output before go-live as a number, like 42.50',
      'operational.costPerOutput.after: The cost per output after go-live must be 0 or more',
      'operational.throughputPerWeek.before: The throughput a week before go-live must be 1,000,000,000 or less',
      'determinants: Enter what decided the result: why it succeeded or failed, from the logs and from staff',
      'unintendedConsequences: The unintended consequences must be 5,000 characters or fewer',
      'outcome: Select the outcome: succeeded, partly succeeded, failed or stopped',
    ]);
    expect(
      messages({ ...asTyped, staffPerspectives: undefined, evaluatedOn: '2025-02-30' }),
    ).toEqual([
      'evaluatedOn: Enter the date of the evaluation as yyyy-mm-dd, for example 2025-03-31',
      'staffPerspectives: Enter what frontline staff said about the change',
    ]);
  });
});
