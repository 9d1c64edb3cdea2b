// The engine on the public logs in ../shared/data/eventlogs (see its README). The expected
// numbers were checked independently: per-activity waits and edge times with the pandas script
// bench/mining_pandas.py (receipt, BPIC 2015, sepsis), the interval log with a separate Python
// reading of the XES, and the running example by reading its six traces by hand.
import { createReadStream, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyseLog,
  calibrateChain,
  filterLog,
  findBottleneck,
  readCsvLog,
  readXesLog,
  type EventLog,
  type LogAnalysis,
} from './index.ts';

const DIR = new URL('../../../../shared/data/eventlogs/', import.meta.url);
const path = (name: string): URL => new URL(name, DIR);
const present = existsSync(path('receipt.csv'));
const SKIP = '(skipped: ../shared/data/eventlogs is absent)';

const activity = (a: LogAnalysis, name: string) => {
  const found = a.activities.find((x) => x.activity === name);
  if (found === undefined) throw new Error(`no activity ${name}`);
  return found;
};
const edge = (a: LogAnalysis, from: string, to: string) => {
  const found = a.edges.find((e) => e.from === from && e.to === to);
  if (found === undefined) throw new Error(`no edge ${from} → ${to}`);
  return found;
};

describe.skipIf(!present)(`public event logs ${SKIP}`, () => {
  it('receipt.csv: counts, pandas-checked times, and batching rather than a bottleneck', async () => {
    const a = analyseLog(await readCsvLog(createReadStream(path('receipt.csv'))));
    expect(a.counts).toEqual({
      cases: 1434,
      events: 8577,
      activities: 27,
      variants: 116,
      resources: 48,
    });
    expect(a.edges.length).toBe(99);
    const t02 = activity(a, 'T02 Check confirmation of receipt').waitingTime;
    expect(t02.count).toBe(1368);
    expect(t02.mean).toBeCloseTo(100581.243292, 5);
    expect(t02.median).toBeCloseTo(41.301, 6);
    expect(t02.p90).toBeCloseTo(146321.8079, 4);
    const e = edge(a, 'Confirmation of receipt', 'T02 Check confirmation of receipt');
    expect(e.frequency).toBe(1079);
    expect(e.time.mean).toBeCloseTo(72163.838023, 5);
    expect(e.time.median).toBeCloseTo(35.189, 6);
    expect(e.time.p90).toBeCloseTo(8940.7606, 4);
    expect(a.bottleneck.bottleneck).toMatchObject({
      activity: 'T06 Determine necessity of stop advice',
      kind: 'batching',
      capacity: false,
    });
    expect(a.bottleneck.candidates[0]).toMatchObject({
      activity: 'T06 Determine necessity of stop advice',
      kind: 'batching',
    });
    expect(a.bottleneck.candidates[0]?.evidence.meanSeconds).toBeCloseTo(186313.286238, 5);
    expect(a.bottleneck.statement).toMatch(/waiting and service cannot be told apart/);
  });

  it('bpic15-1-building-permits.csv: offsets without a colon, plain column names, its finding', async () => {
    const log = await readCsvLog(createReadStream(path('bpic15-1-building-permits.csv')));
    expect(log.report.columns).toMatchObject({
      caseId: 'case_id',
      activity: 'activity',
      timestamp: 'timestamp',
    });
    expect(new Date(log.complete[0] as number).toISOString()).toBe('2014-04-10T22:00:00.000Z');
    const a = analyseLog(log);
    expect(a.counts).toMatchObject({ cases: 1199, events: 52217, activities: 289 });
    expect(a.edges.length).toBe(2338);
    const treat = a.bottleneck.candidates[0];
    expect(treat).toMatchObject({ activity: 'treat subcases completeness', kind: 'batching' });
    expect(treat?.evidence.medianSeconds).toBe(8);
    expect(treat?.evidence.meanSeconds).toBeCloseTo(910217.760563, 5);
    // No wait grows with the queue, so the bottleneck named is the largest batching delay.
    expect(a.bottleneck.bottleneck).toMatchObject({
      activity: 'treat subcases completeness',
      kind: 'batching',
      capacity: false,
    });
    // Before the shape tests (issue 13) this was an external wait: its spread is wide (coefficient
    // of variation 0.94), but 41 % of the cases reach it 46 days after the decision's send
    // date — the objection period (six weeks) and a few days of handling, a legal period.
    const irrevocable = a.bottleneck.candidates.find(
      (c) => c.activity === 'set phase: phase permitting irrevocable',
    );
    expect(irrevocable?.kind).toBe('timer');
    expect(irrevocable?.explanation).toMatch(
      /^41% of the 133 cases reach 'set phase: phase permitting irrevocable' about 46 days after 'enter senddate decision environmental permit': a deadline counted from that event\./,
    );
    expect(a.bottleneck.capacityBottleneck).toBeNull();
  });

  it('sepsis.csv: year-first slashes, rows without a case id counted, a patient wait classed external', async () => {
    const log = await readCsvLog(createReadStream(path('sepsis.csv')));
    expect(log.report.emptyCaseIdRows).toBe(24);
    expect(log.report.timestamps.withoutOffset).toBe(15190);
    const a = analyseLog(log);
    expect(a.counts).toMatchObject({ cases: 1049, events: 15190, activities: 16 });
    const top = a.bottleneck.candidates[0];
    expect(top).toMatchObject({ activity: 'Return ER', kind: 'external' });
    expect(top?.evidence.medianSeconds).toBe(4083842);
    expect(top?.evidence.waitingShare).toBeCloseTo(0.797017707, 8);
    // The patient's return is outside the hospital's control: the bottleneck named is the largest
    // wait of a kind the hospital can act on, the batched Leucocytes test, and the statement says so.
    expect(a.bottleneck.bottleneck).toMatchObject({ activity: 'Leucocytes', kind: 'batching' });
    expect(a.bottleneck.statement).toMatch(
      /^The longest wait, before 'Return ER' \(median 47 days, 80% of case time\), is an external or customer wait/,
    );
  });

  it('running-example.xes: the six hand-checkable traces', async () => {
    const a = analyseLog(await readXesLog(createReadStream(path('running-example.xes'))));
    expect(a.counts).toEqual({ cases: 6, events: 42, activities: 8, variants: 6, resources: 6 });
    expect(a.startActivities).toEqual([{ activity: 'register request', count: 6 }]);
    expect(a.endActivities).toEqual([
      { activity: 'pay compensation', count: 3 },
      { activity: 'reject request', count: 3 },
    ]);
    // decide → reinitiate request: once in case 3, twice in case 5.
    expect(edge(a, 'decide', 'reinitiate request').frequency).toBe(3);
    expect(edge(a, 'reinitiate request', 'examine thoroughly').frequency).toBe(1);
    // Case 3: register 30 Dec 14:32 (+01:00) → examine casually 15:06, the quickest of three.
    expect(edge(a, 'register request', 'examine casually').time.min).toBe(34 * 60);
    expect(a.bottleneck.candidates[0]?.kind).toBe('insufficient-data');
  });

  it('interval_event_log.xes: service and waiting told apart, a reminder timer found', async () => {
    const a = analyseLog(await readXesLog(createReadStream(path('interval_event_log.xes'))));
    expect(a.timing.kind).toBe('start-and-complete');
    expect(a.counts).toMatchObject({ cases: 1266, events: 8109, activities: 8 });
    const pay = activity(a, 'pay');
    expect(pay.serviceTime?.median).toBe(352);
    expect(pay.waitingTime.median).toBe(596805);
    expect(activity(a, 'send reminder').waitingTime.median).toBe(612749.5);
    expect(activity(a, 'place order').serviceTime?.median).toBe(568);
    // Start and complete sit on one event: no activity follows itself by starting.
    expect(a.edges.some((e) => e.from === e.to && e.from === 'place order')).toBe(false);
    const reminder = a.bottleneck.candidates.find((c) => c.activity === 'send reminder');
    expect(reminder?.kind).toBe('timer');
    // A timer before issue 13 too (most waits within 10 % of the median); the evidence is now its
    // shape: a third of the waits at one duration, as many with a long queue as with a short one.
    expect(reminder?.explanation).toMatch(
      /^32% of the 936 waits before 'send reminder' are about 7 days — as often when many cases were waiting as when few were \(26% and 37%\)\. That is an automatic rule or a set period/,
    );
    expect(a.bottleneck.candidates.find((c) => c.activity === 'pay')?.kind).toBe('external');
    expect(a.bottleneck.caveat).toBeNull();
  });

  it.each(['receipt.csv', 'bpic15-1-building-permits.csv', 'sepsis.csv', 'interval_event_log.xes'])(
    '%s: the three longest waits keep their kind on a tenth of the cases, or the finding says the evidence is too thin',
    async (name) => {
      // Issue 13: a 100-case extract and the whole log of one process must agree, or say why not.
      const stream = createReadStream(path(name));
      const log = name.endsWith('.xes') ? await readXesLog(stream) : await readCsvLog(stream);
      const full = findBottleneck(log);
      for (const seed of [1, 2, 3]) {
        const sample = findBottleneck(filterLog(log, { sample: { share: 0.1, seed } }));
        for (const c of full.candidates.slice(0, 3)) {
          const kind = sample.candidates.find((x) => x.activity === c.activity)?.kind;
          // Absent: in this sample the wait fell under 2 % of case time, so it is not classified.
          if (kind === undefined || c.kind === 'insufficient-data') continue;
          expect([c.kind, 'insufficient-data'], `${c.activity}, seed ${seed}`).toContain(kind);
        }
      }
    },
  );

  it('calibrates a chain that reproduces the interval log’s lead time within 5 %', async () => {
    const chain = calibrateChain(
      await readXesLog(createReadStream(path('interval_event_log.xes'))),
      {
        cases: 5000,
      },
    );
    expect(chain.serviceMeasured).toBe(true);
    expect(Math.abs(chain.fit.meanError)).toBeLessThan(0.05);
    expect(Math.abs(chain.fit.medianError)).toBeLessThan(0.05);
  });
  it.each(['receipt.csv', 'bpic15-1-building-permits.csv', 'sepsis.csv', 'interval_event_log.xes'])(
    '%s: the first 100 cases and the whole log never give a wait two different kinds',
    async (name) => {
      // Issue 13: the same process as a small extract and as the whole log must agree, or the
      // extract must say its evidence is too thin (before the shape rules' confidence bound,
      // BPIC 2015's first 100 cases read 'OLO messaging active' as a timer, the whole log as
      // external).
      const stream = createReadStream(path(name));
      const log = name.endsWith('.xes') ? await readXesLog(stream) : await readCsvLog(stream);
      const end = log.caseOffsets[100] as number;
      const first: EventLog = {
        ...log,
        caseIds: log.caseIds.slice(0, 100),
        caseOffsets: log.caseOffsets.slice(0, 101),
        activity: log.activity.slice(0, end),
        resource: log.resource.slice(0, end),
        group: log.group.slice(0, end),
        start: log.start.slice(0, end),
        complete: log.complete.slice(0, end),
        caseAttributes: new Map(
          [...log.caseAttributes].map(([k, a]) => [k, { ...a, codes: a.codes.slice(0, 100) }]),
        ),
      };
      const whole = new Map(findBottleneck(log).candidates.map((c) => [c.activity, c.kind]));
      for (const c of findBottleneck(first).candidates) {
        const kind = whole.get(c.activity);
        if (kind === undefined || kind === 'insufficient-data' || c.kind === 'insufficient-data')
          continue;
        expect(c.kind, `${c.activity}: ${c.explanation}`).toBe(kind);
      }
    },
  );
});
