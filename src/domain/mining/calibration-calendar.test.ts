// Calibration with the calendar read from the log (issue 13, point 4) and zero-time stages merged
// (point 2): an office open on weekdays only gets a Monday-to-Friday roster and its weekend shows
// in the lead time; a helpdesk worked at all hours gets none; delays never get one; instantaneous
// steps that lead one way are merged, decision points kept.
import { describe, expect, it } from 'vitest';
import { parseChain, type DeliveryChainInput } from '../chain/model.ts';
import { simulateChain } from '../chain/simulate.ts';
import { mergeInstantStages, type CalibratedStage, type FittedTime } from './calibrate.ts';
import { calibrateDeliveryChain } from './calibration.ts';
import { readCsvLog } from './import/csv.ts';
import { helpdeskRows, rowsToCsv, weekdayOfficeRows } from './testLogs.ts';

const byName = (stages: readonly CalibratedStage[], name: string): CalibratedStage => {
  const found = stages.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no stage ${name}`);
  return found;
};

function leadTimes(document: DeliveryChainInput) {
  const parsed = parseChain(document);
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join('; '));
  return simulateChain(parsed.chain, {
    seed: 7,
    replications: 2,
    maxArrivals: 2000,
    horizonHours: Infinity,
    warmupHours: 0,
  }).leadTimeHours;
}

describe('an office open on weekdays 08:00–18:00 only', async () => {
  const log = await readCsvLog([rowsToCsv(weekdayOfficeRows(2000, 3))]);
  const result = calibrateDeliveryChain(log, { seed: 1 });
  const plain = calibrateDeliveryChain(log, { seed: 1, calendar: false });
  const assess = byName(result.calibrated.stages, 'Assess');

  it('gives the staffed stage a Monday-to-Friday roster, staff counted over the hours on duty', () => {
    expect(assess.role).toBe('staffed');
    expect(assess.roster).toEqual({
      shifts: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00', servers: 2 },
      ],
    });
    expect(assess.staffMethod).toMatch(/^2 on duty: .* over its 50 hours on duty a week\)\.$/);
    const doc = result.document.stages.find((s) => s.id === assess.id);
    expect(doc?.roster?.shifts[0]?.days).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
  });

  it('fits demand by hour of the week: none at weekends, and says on what evidence', () => {
    const weekly = result.chain.calendar?.weekly?.hours ?? [];
    expect(weekly).toHaveLength(168);
    expect(weekly.slice(120).every((x) => x === 0)).toBe(true);
    expect(weekly.slice(0, 120).some((x) => x > 0)).toBe(true);
    expect(result.chain.calendar?.start).toBe('2024-01-01');
    const notes = result.notes.join(' ');
    expect(notes).toContain('No case started on Saturdays or Sundays in 24 weeks (2,000 cases).');
    expect(notes).toContain(
      '“Assess” works to hours read from the log: 100 % of “Assess” events fall between 08:00 and 18:00 on weekdays (2,000 events), so its staff are on duty Monday to Friday, 08:00–18:00 (50 hours a week)',
    );
    expect(notes).toContain('Demand by month is not fitted: the log spans under a year');
  });

  it('simulates a longer lead time than the same staff round the clock, and a longer tail than more weekly hours', () => {
    const without = (servers: number): DeliveryChainInput => ({
      ...result.document,
      stages: result.document.stages.map(({ roster: _roster, ...s }) =>
        s.id === assess.id ? { ...s, servers } : s,
      ),
    });
    const rostered = leadTimes(result.document);
    // The same 2 people round the clock (336 staff-hours a week against the roster's 100).
    const same = leadTimes(without(2));
    expect(rostered.mean.mean).toBeGreaterThan(2 * same.mean.mean);
    expect(rostered.median.mean).toBeGreaterThan(same.median.mean);
    expect(rostered.p90.mean).toBeGreaterThan(3 * same.p90.mean);
    // One person round the clock (168 staff-hours, more than the roster's 100) is overloaded while
    // cases arrive, yet the roster's tail is longer: a case that comes late on Friday waits the weekend.
    const one = leadTimes(without(1));
    expect(rostered.p90.mean).toBeGreaterThan(1.2 * one.p90.mean);
  });

  it('reproduces the log’s lead times far better than staff round the clock', () => {
    const on = result.chainCheck;
    const off = plain.chainCheck;
    expect(Math.abs(on.p90Error)).toBeLessThan(0.3);
    expect(Math.abs(on.medianError)).toBeLessThan(0.3);
    expect(Math.abs(off.p90Error)).toBeGreaterThan(0.6);
    expect(Math.abs(on.p90Error)).toBeLessThan(Math.abs(off.p90Error) / 2);
    expect(on.statement).toContain('on duty to the hours read from the log');
  });

  it('switched off: no calendar, no roster, and the notes say so', () => {
    expect(plain.chain.calendar).toBeUndefined();
    expect(byName(plain.calibrated.stages, 'Assess').roster).toBeNull();
    expect(plain.notes.join(' ')).toContain(
      'Opening hours and demand patterns were not fitted (switched off)',
    );
  });
});

describe('a helpdesk worked at all hours', async () => {
  const log = await readCsvLog([rowsToCsv(helpdeskRows(1200, 5, true))]);
  const result = calibrateDeliveryChain(log, { seed: 1 });

  it('keeps the agents round the clock and gives no delay a roster', () => {
    const reply = byName(result.calibrated.stages, 'Reply');
    expect(reply.roster).toBeNull();
    expect(reply.hours).toMatch(/^“Reply” is worked at all hours \(.*every day.*more than 120\)/);
    expect(result.chain.stages.every((s) => s.roster === undefined)).toBe(true);
    expect(byName(result.calibrated.stages, 'Wait before Closed').roster).toBeNull();
    expect(result.notes.join(' ')).toContain('Cases start on every day of the week');
  });
});

describe('merging zero-time stages', () => {
  const time = (hours: number): FittedTime => ({
    kind: 'deterministic',
    mean: hours,
    cv: 0,
    samples: Array.from({ length: 1001 }, () => hours),
  });
  const stage = (
    id: string,
    routing: { to: string; probability: number }[],
    instant: boolean,
  ): CalibratedStage => ({
    id,
    name: id.toUpperCase(),
    visits: 100,
    servers: null,
    staffMethod: null,
    role: instant ? 'delay' : 'capacity-unknown',
    delay: instant ? { kind: 'instant', reason: 'automatic' } : null,
    capacityUnknown: instant ? null : 'not known',
    waitKind: null,
    waitKindCorrected: false,
    waitBefore: null,
    statement: '',
    serviceTime: null,
    timePerVisit: time(instant ? 0 : 5),
    routing: routing.map((r) => ({ ...r, rework: false })),
    roster: null,
    hours: null,
  });

  it('merges an instantaneous step that leads one way (ending a few cases aside), keeps a decision point', () => {
    // register (instant) → assess; assess → check (instant, a decision: 70 % b, 30 % c);
    // b → send (instant) → 98 % done, 2 % end; c → exit.
    const stages = [
      stage('register', [{ to: 'assess', probability: 1 }], true),
      stage('assess', [{ to: 'check', probability: 1 }], false),
      stage(
        'check',
        [
          { to: 'b', probability: 0.7 },
          { to: 'c', probability: 0.3 },
        ],
        true,
      ),
      stage('b', [{ to: 'send', probability: 1 }], false),
      stage(
        'send',
        [
          { to: 'done', probability: 0.98 },
          { to: 'exit', probability: 0.02 },
        ],
        true,
      ),
      stage('c', [{ to: 'exit', probability: 1 }], false),
      stage('done', [{ to: 'exit', probability: 1 }], true),
    ];
    const out = mergeInstantStages(stages, new Map([['register', 1]]));
    expect(out.stages.map((s) => s.id)).toEqual(['assess', 'check', 'b', 'c']);
    expect(out.merged).toEqual([
      { name: 'REGISTER', into: 'ASSESS' },
      { name: 'SEND', into: 'DONE' },
      { name: 'DONE', into: 'B' },
    ]);
    expect([...out.starts]).toEqual([['assess', 1]]);
    // b's flow passes on exactly: all of it ends (98 % through the merged steps, 2 % at once).
    expect(out.stages.find((s) => s.id === 'b')?.routing).toEqual([
      { to: 'exit', probability: 1, rework: false },
    ]);
    expect(out.stages.find((s) => s.id === 'check')?.routing.map((r) => r.to)).toEqual(['b', 'c']);
  });

  it('keeps a stage that takes time, even when it leads one way', () => {
    const stages = [
      stage('a', [{ to: 'b', probability: 1 }], false),
      stage('b', [{ to: 'exit', probability: 1 }], false),
    ];
    expect(mergeInstantStages(stages, new Map([['a', 1]])).merged).toEqual([]);
  });
});
