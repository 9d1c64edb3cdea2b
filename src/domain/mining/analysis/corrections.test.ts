// Corrections of wait kinds (issue 13, point 1): a corrected kind changes the finding exactly as a
// detected one would, keeps the engine's reading and the reason, and names the capacity bottleneck
// again; corrections of activities that are not candidate waits change nothing.
import { describe, expect, it } from 'vitest';
import { readCsvLog } from '../import/csv.ts';
import { importLines } from '../import/report.ts';
import { seededRandom } from '../montecarlo.ts';
import { findBottleneck } from '../index.ts';
import { analyseLog } from './analyse.ts';
import { applyCorrections } from './corrections.ts';
import type { WaitKindCorrection } from './waits.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 1);

/** One clerk at 90 % utilisation ("Review"), then a 2-day cooling-off period (a timer). */
async function queueThenTimer() {
  const random = seededRandom(7);
  const exp = (mean: number) => -mean * Math.log(random());
  const rows: string[] = ['case:concept:name,concept:name,time:timestamp'];
  let t = T0;
  let free = T0;
  for (let i = 0; i < 600; i++) {
    t += exp(HOUR);
    const done = Math.max(t, free) + exp(0.9 * HOUR);
    free = done;
    const at = (ms: number) => new Date(ms).toISOString();
    rows.push(`c${i},Register,${at(t)}`, `c${i},Review,${at(done)}`);
    rows.push(`c${i},Cooling-off period ends,${at(done + 2 * DAY + 60_000)}`);
    rows.push(`c${i},Decide,${at(done + 2 * DAY + 120_000)}`);
  }
  return readCsvLog([rows.join('\n')]);
}

const by = (activity: string, kind: WaitKindCorrection['kind']): WaitKindCorrection => ({
  activity,
  kind,
  reason: 'We know the service',
  by: 'Priya Shah',
  at: '2026-12-07T14:00:00.000Z',
});

describe('corrections of wait kinds', () => {
  it('renames the bottleneck by the same rule once a person corrects a kind', async () => {
    const finding = findBottleneck(await queueThenTimer());
    expect(finding.bottleneck).toMatchObject({ activity: 'Review', kind: 'contention' });
    expect(finding.capacityBottleneck?.activity).toBe('Review');

    // Someone who knows the service says Review waits on the applicant, not on staff.
    const corrected = applyCorrections(finding, [by('Review', 'external')]);
    const review = corrected.candidates.find((c) => c.activity === 'Review');
    expect(review).toMatchObject({ kind: 'external', detectedKind: 'contention' });
    expect(review?.explanation).toMatch(
      /^Corrected by Priya Shah to external or customer wait: “We know the service”\. The log’s evidence read it as resource contention: The wait grows/,
    );
    // No contention is left: no capacity bottleneck, and the named wait is not one for more staff.
    expect(corrected.capacityBottleneck).toBeNull();
    expect(corrected.bottleneck?.capacity).toBe(false);
    expect(corrected.bottleneck).toMatchObject({
      activity: 'Cooling-off period ends',
      kind: 'timer',
    });
    expect(corrected.statement).toContain('more staff would not shorten these waits');
    expect(corrected.statement).toContain('One wait kind was corrected');
    // The original is untouched.
    expect(finding.bottleneck?.activity).toBe('Review');
  });

  it('ignores corrections of activities that are not classified waits', async () => {
    const finding = findBottleneck(await queueThenTimer());
    expect(applyCorrections(finding, [by('Register', 'timer')])).toBe(finding);
    expect(applyCorrections(finding, [])).toBe(finding);
  });
});

describe('the import report (the same lines for the CLI and the web)', () => {
  it('lists every kind of row set aside with its line numbers, pairing and the zone', async () => {
    const csv = [
      'case,activity,time,lifecycle',
      'c1,A,2024-01-01T09:00:00+01:00,start',
      'c1,A,2024-01-01T10:00:00+01:00,complete',
      ',B,2024-01-01T11:00:00+01:00,complete',
      'c1,B,,complete',
      'c1,C,2024-01-01T12:00:00+01:00,suspend',
      'c1,D,2024-01-01T12:30:00,start',
      'c1,,2024-01-01T13:00:00+01:00,complete',
      'c1,E,2024-01-01T13:00:00+01:00,complete',
    ].join('\n');
    const log = await readCsvLog([csv], {
      columns: { caseId: 'case', activity: 'activity', timestamp: 'time', lifecycle: 'lifecycle' },
      timeZone: 'Europe/London',
    });
    const lines = Object.fromEntries(importLines(log.report).map((l) => [l.label, l.value]));
    expect(lines).toEqual({
      'Rows read': '8 rows after the header',
      'Rows set aside': '4 rows not used (listed below)',
      'Set aside: an empty case id': '1 row, file line 4',
      'Set aside: an empty activity': '1 row, file line 8',
      'Set aside: no timestamp': '1 row, file line 5',
      'Set aside: a lifecycle transition other than start or complete': '1 row, file line 6',
      'Events paired':
        '1 start event paired with its completion; 1 start event with no later completion of the same activity in the case not used',
      'Lifecycle transitions ignored':
        '1 (transitions other than start and complete, such as schedule or suspend)',
      'Time zone':
        '1 timestamp had no offset and was read as Europe/London time; the others carried an offset, most often +01:00',
    });
  });
  it('does not say an interval log has completions only: its events carry their own start', async () => {
    const csv = [
      'case,activity,start,end',
      'c1,A,2024-01-01T09:00:00Z,2024-01-01T10:00:00Z',
      'c1,B,2024-01-01T12:00:00Z,2024-01-01T12:30:00Z',
    ].join('\n');
    const log = await readCsvLog([csv], {
      columns: { caseId: 'case', activity: 'activity', timestamp: 'end', startTimestamp: 'start' },
    });
    const timing = analyseLog(log).timing;
    expect(timing.kind).toBe('start-and-complete');
    const paired = importLines(log.report, timing).find((l) => l.label === 'Events paired');
    expect(paired?.value).toBe('Not needed: every event carries its own start time');
  });
});

describe('the statement for a corrected or shape-found kind', () => {
  it('gives a corrected kind with the person’s reason, not measures the wait does not show', async () => {
    // The cooling-off period is nearly constant and does not grow with the queue; a person says
    // it is contention. The statement must not claim the wait grows with the cases waiting (it
    // did, before the independent checks of issue 13).
    const finding = findBottleneck(await queueThenTimer());
    const corrected = applyCorrections(finding, [by('Cooling-off period ends', 'contention')]);
    expect(corrected.bottleneck).toMatchObject({
      activity: 'Cooling-off period ends',
      kind: 'contention',
    });
    expect(corrected.statement).toContain(
      "The bottleneck is the wait before 'Cooling-off period ends' (",
    );
    expect(corrected.statement).toContain(
      'resource contention, as Priya Shah corrected it (“We know the service”): a shortage of capacity at this step limits the whole service.',
    );
    expect(corrected.statement).not.toContain('The wait grows with the number of cases');
    // And a wait corrected to a timer is not said to be "nearly the same length every time".
    const timer = applyCorrections(finding, [
      by('Review', 'timer'),
      by('Cooling-off period ends', 'external'),
    ]);
    expect(timer.bottleneck).toMatchObject({ activity: 'Review', kind: 'timer' });
    expect(timer.statement).toContain(
      'a policy or timer wait, not a shortage of capacity, as Priya Shah corrected it',
    );
    expect(timer.statement).not.toContain('nearly the same length every time');
  });

  it('describes a timer found by its shape by that shape', async () => {
    // Two thirds of the tickets close exactly 15 days after the reply, the rest at any time.
    const random = seededRandom(3);
    const rows: string[] = ['case:concept:name,concept:name,time:timestamp'];
    let t = T0;
    for (let i = 0; i < 300; i++) {
      t += -3 * HOUR * Math.log(random());
      const wait = random() < 2 / 3 ? 15 * DAY : HOUR + random() * 10 * DAY;
      const at = (ms: number) => new Date(ms).toISOString();
      rows.push(`t${i},Reply,${at(t)}`, `t${i},Closed,${at(t + wait)}`);
    }
    const finding = findBottleneck(await readCsvLog([rows.join('\n')]));
    expect(finding.bottleneck).toMatchObject({ activity: 'Closed', kind: 'timer' });
    expect(finding.statement).toMatch(
      /a policy or timer wait, not a shortage of capacity\. \d\d% of the 300 waits before 'Closed' are exactly 15 days .*: a rule or a set period decides its length, not the work waiting\./,
    );
    expect(finding.statement).not.toContain('nearly the same length every time');
  });
});
