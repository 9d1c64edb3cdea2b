import { describe, expect, it } from 'vitest';
import { readCsvLog } from '../import/csv.ts';
import { seededRandom } from '../montecarlo.ts';
import { findBottleneck } from '../index.ts';
import { queueAtArrival, formatDuration, type BottleneckCandidate } from './waits.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 1);

type Row = [caseId: string, activity: string, complete: number];

async function logOf(rows: readonly Row[]) {
  const text =
    'case:concept:name,concept:name,time:timestamp\n' +
    rows.map(([c, a, t]) => `${c},${a},${new Date(t).toISOString()}`).join('\n');
  return readCsvLog([text]);
}

const exponential = (random: () => number, mean: number): number => -mean * Math.log(random());

/** One clerk, first come first served, at 90 % utilisation: cases queue for "Review". */
function contention(
  cases: number,
  seed: number,
  after?: (c: string, t: number, rows: Row[]) => void,
): Row[] {
  const random = seededRandom(seed);
  const rows: Row[] = [];
  let t = T0;
  let free = T0;
  for (let i = 0; i < cases; i++) {
    t += exponential(random, HOUR);
    const done = Math.max(t, free) + exponential(random, 0.9 * HOUR);
    free = done;
    rows.push([`c${i}`, 'Register', t], [`c${i}`, 'Review', done]);
    if (after === undefined) rows.push([`c${i}`, 'Close', done + 5 * 60_000 + random() * 60_000]);
    else after(`c${i}`, done, rows);
  }
  return rows;
}

describe('findBottleneck: classifying long waits', () => {
  it('names resource contention as the bottleneck when the wait grows with the queue', async () => {
    const finding = findBottleneck(await logOf(contention(600, 7)));
    const review = finding.candidates[0] as BottleneckCandidate;
    expect(review.activity).toBe('Review');
    expect(review.kind).toBe('contention');
    expect(review.evidence.queueCorrelation).toBeGreaterThan(0.5);
    expect(finding.bottleneck).toMatchObject({ activity: 'Review', kind: 'contention' });
    expect(finding.statement).toMatch(
      /^The bottleneck is the wait before 'Review' \(9\d% of case time\): resource contention\. The wait grows with the number of cases already waiting/,
    );
    expect(finding.caveat).toMatch(/waiting and service cannot be told apart/);
  });

  it('calls a near-constant wait a policy or timer wait, not a shortage of capacity', async () => {
    const random = seededRandom(3);
    const rows: Row[] = [];
    let t = T0;
    for (let i = 0; i < 200; i++) {
      t += exponential(random, 3 * HOUR);
      rows.push([`c${i}`, 'Notify', t], [`c${i}`, 'Penalty', t + 60 * DAY + random() * 600_000]);
    }
    const finding = findBottleneck(await logOf(rows));
    expect(finding.candidates[0]).toMatchObject({ activity: 'Penalty', kind: 'timer' });
    expect((finding.candidates[0] as BottleneckCandidate).evidence.cv).toBeLessThan(0.01);
    expect(finding.bottleneck).toMatchObject({
      activity: 'Penalty',
      kind: 'timer',
      capacity: false,
    });
    expect(finding.statement).toMatch(
      /^The bottleneck is the wait before 'Penalty' \(100% of case time\): a policy or timer wait, not a shortage of capacity\. It is nearly the same length every time \(median 60 days\).*Only changing the rule or the schedule would shorten it\. No large wait grows with the number of cases waiting/,
    );
  });

  it('calls a wait with a near-zero median and a long mean batching', async () => {
    const random = seededRandom(5);
    const rows: Row[] = [];
    let t = T0;
    for (let i = 0; i < 200; i++) {
      t += exponential(random, 2 * HOUR);
      const parked = random() < 0.25;
      const wait = parked ? 2 * DAY + random() * 8 * DAY : random() * 120_000;
      rows.push([`c${i}`, 'Collect', t], [`c${i}`, 'Process', t + wait]);
    }
    const finding = findBottleneck(await logOf(rows));
    expect(finding.candidates[0]).toMatchObject({ activity: 'Process', kind: 'batching' });
    expect((finding.candidates[0] as BottleneckCandidate).evidence.medianToMean).toBeLessThan(0.1);
    expect(finding.bottleneck).toMatchObject({
      activity: 'Process',
      kind: 'batching',
      capacity: false,
    });
    expect(finding.statement).toContain('a batching delay, not a shortage of capacity');
    expect(finding.statement).toContain(
      'Releasing work more often would shorten lead times; more staff would not.',
    );
  });

  it('calls a long, variable wait unrelated to the workload an external wait', async () => {
    const random = seededRandom(11);
    const rows: Row[] = [];
    let t = T0;
    for (let i = 0; i < 400; i++) {
      t += exponential(random, 2 * HOUR);
      const z = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
      rows.push(
        [`c${i}`, 'Request information', t],
        [`c${i}`, 'Receive information', t + 5 * DAY * Math.exp(0.8 * z)],
      );
    }
    const finding = findBottleneck(await logOf(rows));
    const c = finding.candidates[0] as BottleneckCandidate;
    expect(c).toMatchObject({ activity: 'Receive information', kind: 'external' });
    expect(Math.abs(c.evidence.queueCorrelation as number)).toBeLessThan(0.2);
    expect(finding.bottleneck).toMatchObject({ activity: 'Receive information', kind: 'external' });
    expect(finding.statement).toContain('an external or customer wait, not a shortage of capacity');
  });

  it('looks past a longer timer wait to name the contention behind it', async () => {
    const rows = contention(600, 7, (c, done, out) => {
      out.push(
        [c, 'Cooling-off period ends', done + 2 * DAY + 60_000],
        [c, 'Decide', done + 2 * DAY + 120_000],
      );
    });
    const finding = findBottleneck(await logOf(rows));
    expect(finding.candidates.map((x) => [x.activity, x.kind])).toEqual([
      ['Cooling-off period ends', 'timer'],
      ['Review', 'contention'],
    ]);
    expect(finding.bottleneck).toMatchObject({
      activity: 'Review',
      kind: 'contention',
      capacity: true,
    });
    expect(finding.statement).toMatch(
      /^The longest wait, before 'Cooling-off period ends' \(median 2 days, \d+% of case time\), is a policy or timer wait, outside what more staff or faster work could change\. The bottleneck is the wait before 'Review' \([\d.]+% of case time\): resource contention\./,
    );
  });

  it('does not classify waits seen too rarely', async () => {
    const finding = findBottleneck(await logOf(contention(10, 1)));
    expect((finding.candidates[0] as BottleneckCandidate).kind).toBe('insufficient-data');
    expect(finding.bottleneck).toBeNull();
  });
});

describe('queueAtArrival', () => {
  it('counts the others still waiting at each arrival', () => {
    const arrivals = Float64Array.from([0, 1, 2, 2, 10]);
    const waits = Float64Array.from([5, 1, 0, 3, 1]);
    // At 0: nobody. At 1: case 0. At 2: case 0 (case 1 left at 2; case 2's zero wait is not waiting) and case 3 arriving with it.
    expect(Array.from(queueAtArrival(arrivals, waits))).toEqual([0, 1, 2, 1, 0]);
  });
});

describe('formatDuration', () => {
  it('picks a readable unit', () => {
    expect(formatDuration(40)).toBe('40 seconds');
    expect(formatDuration(1)).toBe('1 second');
    expect(formatDuration(90)).toBe('1.5 minutes');
    expect(formatDuration(3.1 * 86400)).toBe('3.1 days');
    expect(formatDuration(12 * 3600)).toBe('12 hours');
  });
});
