import { describe, expect, it } from 'vitest';
import { readCsvLog } from '../import/csv.ts';
import { seededRandom } from '../montecarlo.ts';
import { filterLog, findBottleneck } from '../index.ts';
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

const WEEK = 7 * DAY;

/**
 * Issue 13, point 6: one log, three known waits. Cases arrive at random (every 8 hours on
 * average); "Review" is a single clerk (service 7.2 hours on average, utilisation 0.9, first come
 * first served), so its wait grows with the work in progress; "Approve" is released once a week,
 * every Friday at 16:30, all waiting cases together; "Close" is an automatic closure exactly 15
 * days after approval (a few minutes' jitter), except for a fifth of cases closed early by hand.
 */
function threeKinds(cases: number, seed: number): Row[] {
  const random = seededRandom(seed);
  const rows: Row[] = [];
  let t = T0;
  let free = T0;
  const friday = T0 + 4 * DAY + 16.5 * HOUR; // 1 January 2024 was a Monday.
  for (let i = 0; i < cases; i++) {
    t += exponential(random, 8 * HOUR);
    const reviewed = Math.max(t, free) + exponential(random, 7.2 * HOUR);
    free = reviewed;
    const approved = friday + Math.ceil((reviewed - friday) / WEEK) * WEEK;
    const closed =
      random() < 0.2
        ? approved + HOUR + random() * 14 * DAY
        : approved + 15 * DAY + (random() - 0.5) * 10 * 60_000;
    rows.push(
      [`c${i}`, 'Register', t],
      [`c${i}`, 'Review', reviewed],
      [`c${i}`, 'Approve', approved],
      [`c${i}`, 'Close', closed],
    );
  }
  return rows;
}

describe('wait kinds that hold on real logs (issue 13)', () => {
  it('gets a known timer, a known batch and a known capacity queue right, and names the queue', async () => {
    const finding = findBottleneck(await logOf(threeKinds(800, 13)));
    const kinds = Object.fromEntries(finding.candidates.map((c) => [c.activity, c.kind]));
    expect(kinds).toEqual({ Close: 'timer', Approve: 'batching', Review: 'contention' });
    expect(finding.candidates[0]?.activity).toBe('Close');
    expect(finding.bottleneck).toMatchObject({
      activity: 'Review',
      kind: 'contention',
      capacity: true,
    });
    expect(finding.capacityBottleneck?.activity).toBe('Review');
    const close = finding.candidates.find((c) => c.activity === 'Close') as BottleneckCandidate;
    expect(close.explanation).toMatch(
      /^\d\d% of the 800 waits before 'Close' are exactly 15 days — as often when many cases were waiting as when few were \(\d+% and \d+%\)/,
    );
    expect(close.explanation).toContain('not a queue: more staff would not shorten it.');
    const approve = finding.candidates.find((c) => c.activity === 'Approve') as BottleneckCandidate;
    expect(approve.explanation).toMatch(
      /^\d+% of the completions of 'Approve' happen at the very same moment as another case's/,
    );
    expect(finding.statement).toMatch(
      /^The longest wait, before 'Close' \(median 15 days, \d+% of case time\), is a policy or timer wait, outside what more staff or faster work could change\. The bottleneck is the wait before 'Review' \(\d+% of case time\): resource contention\./,
    );
  });

  it('keeps each kind on a tenth of the cases, or says the evidence is too thin', async () => {
    const log = await logOf(threeKinds(800, 13));
    const full = findBottleneck(log);
    for (const seed of [1, 2, 3, 4, 5]) {
      const sample = findBottleneck(filterLog(log, { sample: { share: 0.1, seed } }));
      for (const c of full.candidates) {
        const kind = sample.candidates.find((x) => x.activity === c.activity)?.kind;
        expect([c.kind, 'insufficient-data'], `${c.activity}, seed ${seed}`).toContain(kind);
      }
      // The timer and the batch show at a tenth as clearly as on the whole log.
      expect(sample.candidates.find((x) => x.activity === 'Close')?.kind).toBe('timer');
      expect(sample.candidates.find((x) => x.activity === 'Approve')?.kind).toBe('batching');
    }
  });

  it('reads a helpdesk closure rule as a timer even when the waits track the queue', async () => {
    // A third of the tickets close automatically exactly 15 days after the last reply, a few
    // more after exactly 7 or 30 days (other rules); the rest are closed by hand, later as more
    // tickets arrive. Before issue 13 this was read as resource contention.
    const random = seededRandom(17);
    const rows: Row[] = [];
    let t = T0 + 9 * HOUR;
    for (let i = 0; i < 1200; i++) {
      t += exponential(random, (8 - (7 * i) / 1200) * HOUR);
      const u = random();
      const wait =
        u < 0.34
          ? 15 * DAY
          : u < 0.4
            ? (random() < 0.5 ? 7 : 30) * DAY
            : exponential(random, (0.2 + (8 * i) / 1200) * DAY);
      rows.push([`t${i}`, 'Reply', t], [`t${i}`, 'Closed', t + wait]);
    }
    const finding = findBottleneck(await logOf(rows));
    const closed = finding.candidates[0] as BottleneckCandidate;
    expect(closed.activity).toBe('Closed');
    // What the spread and the queue alone said: the wait varies, and it grows with a queue that
    // grows across the log — the rule for resource contention (correlation ≥ 0.15, growth ≥ 50 %).
    expect(closed.evidence.cv).toBeGreaterThan(0.25);
    expect(closed.evidence.nearMedianShare).toBeLessThan(0.6);
    expect(closed.evidence.queueCorrelation).toBeGreaterThan(0.15);
    expect(closed.evidence.queueGrowth).toBeGreaterThan(0.5);
    expect(closed.kind).toBe('timer');
    expect(closed.explanation).toMatch(
      /^3\d% of the 1,200 waits before 'Closed' are exactly 15 days — as often when many cases were waiting as when few were \(\d+% and \d+%\); and 4\d% fall within 15 minutes of a whole number of days, where this log's times of day would give [\d.]+% by chance/,
    );
    expect(finding.bottleneck).toMatchObject({
      activity: 'Closed',
      kind: 'timer',
      capacity: false,
    });
    expect(finding.capacityBottleneck).toBeNull();
    expect(finding.statement).toContain(
      'No large wait grows with the number of cases waiting, so no capacity bottleneck is evident: more staff would not shorten these waits.',
    );
  });

  it('finds a deadline counted from the case’s start rather than the previous event', async () => {
    // A decision is due exactly 60 days after the application, whatever happened in between.
    const random = seededRandom(23);
    const rows: Row[] = [];
    let t = T0;
    for (let i = 0; i < 300; i++) {
      t += exponential(random, 5 * HOUR);
      const checked = t + Math.min(50 * DAY, exponential(random, 10 * DAY));
      rows.push(
        [`a${i}`, 'Apply', t],
        [`a${i}`, 'Check', checked],
        [`a${i}`, 'Decide', t + 60 * DAY],
      );
    }
    const finding = findBottleneck(await logOf(rows));
    const decide = finding.candidates.find((c) => c.activity === 'Decide') as BottleneckCandidate;
    expect(decide.kind).toBe('timer');
    expect(decide.explanation).toMatch(
      /100% of the 300 cases reach 'Decide' exactly 60 days after the case started: a deadline counted from that event/,
    );
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

describe('a shape that holds only on the waits seen', () => {
  /** `n` waits: a quarter exactly one day (and a few minutes), the rest spread over 2–7 days. */
  async function quarterAtOneDay(n: number) {
    const random = seededRandom(31);
    const rows: Row[] = [];
    let t = T0;
    for (let i = 0; i < n; i++) {
      t += exponential(random, 6 * HOUR);
      const wait = i % 4 === 0 ? DAY + random() * 300_000 : 2 * DAY + random() * 5 * DAY;
      rows.push([`c${i}`, 'Send', t], [`c${i}`, 'Acknowledged', t + wait]);
    }
    return findBottleneck(await logOf(rows));
  }

  it('says too few to tell where the share at one duration could be under the threshold', async () => {
    // 25 % of 100 waits at exactly 1 day: its 90 % lower bound is 19 %, under the 20 % rule —
    // BPIC 2015's first 100 cases showed this for 'OLO messaging active', which the whole log
    // reads as external (found by the independent checks of issue 13).
    const few = (await quarterAtOneDay(100)).candidates[0] as BottleneckCandidate;
    expect(few.kind).toBe('insufficient-data');
    expect(few.explanation).toMatch(
      /^2\d% of the 100 waits before 'Acknowledged' are exactly 1 day.*; but on 100 waits that share could be as low as 1\d%, under the 20% that marks a set period: too few to tell a rule from chance\.$/,
    );
    // On ten times as many waits the same share is clear: a timer.
    const many = (await quarterAtOneDay(1000)).candidates[0] as BottleneckCandidate;
    expect(many.kind).toBe('timer');
  });
});
