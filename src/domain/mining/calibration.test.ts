// Calibration that respects the log's evidence (issue 13, point 2): synthetic logs whose truth is
// known — a helpdesk whose tickets close automatically 15 days after the reply, a log with
// completion times only, a log with starts and named staff — and the shared public logs.
import { createReadStream, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseChain } from '../chain/analyse.ts';
import { calibrateChain, type CalibratedStage } from './calibrate.ts';
import { calibrateDeliveryChain } from './calibration.ts';
import { applyCorrections } from './analysis/corrections.ts';
import { analyseLog } from './analysis/analyse.ts';
import { readCsvLog } from './import/csv.ts';
import { readXesLog } from './import/xes.ts';
import { seededRandom } from './montecarlo.ts';
import { helpdeskRows as helpdesk, rowsToCsv, type TestRow } from './testLogs.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1, 9);

type Row = TestRow;

async function logOf(rows: readonly Row[]) {
  return readCsvLog([rowsToCsv(rows)]);
}

const exponential = (random: () => number, mean: number): number => -mean * Math.log(random());

const byName = (stages: readonly CalibratedStage[], name: string): CalibratedStage => {
  const found = stages.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no stage ${name}`);
  return found;
};

describe('a helpdesk with an automatic closure 15 days after the reply', async () => {
  const log = await logOf(helpdesk(1500, 5, true));
  const page = analyseLog(log);
  const result = calibrateDeliveryChain(log, { cases: 5000, seed: 2 });
  const { calibrated, chain } = result;

  it('reads the closure wait as the log page does: a timer, modelled as a delay with no servers', () => {
    const closure = page.bottleneck.candidates.find((c) => c.activity === 'Closed');
    expect(closure?.kind).toBe('timer');
    const wait = byName(calibrated.stages, 'Wait before Closed');
    expect(wait.role).toBe('delay');
    expect(wait.delay?.kind).toBe('timer');
    expect(wait.waitKind).toBe(closure?.kind);
    expect(wait.servers).toBeNull();
    const doc = chain.stages.find((s) => s.id === wait.id);
    expect(doc?.delay?.kind).toBe('timer');
    // The closing and logging steps take no time and lead one way: merged, not stages with a
    // capacity of 604,800 a week.
    expect(calibrated.stages.map((s) => s.name).sort()).toEqual(['Reply', 'Wait before Closed']);
    expect(calibrated.merged).toEqual([
      { name: 'Logged', into: 'Reply' },
      { name: 'Closed', into: 'Wait before Closed' },
    ]);
    expect(calibrated.arrivals.map((x) => x.stageId)).toEqual(['reply']);
    expect(wait.routing).toEqual([{ to: 'exit', probability: 1, rework: false }]);
  });

  it('estimates the agents from the resources the log names, with the method stated', () => {
    const reply = byName(calibrated.stages, 'Reply');
    expect(reply.role).toBe('staffed');
    expect(reply.servers).toBe(3);
    expect(reply.staffMethod).toMatch(
      /^3: the median number of different people recorded doing it in a week/,
    );
    expect(reply.serviceTime?.mean).toBeGreaterThan(1.8);
    expect(reply.serviceTime?.mean).toBeLessThan(2.2);
  });

  it('names no capacity bottleneck at the closure: the agents are the only staffed stage', () => {
    const a = analyseChain(chain);
    expect(a.bottleneck.name).toBe('Reply');
    expect(a.bottleneck.explanation).not.toMatch(/Closed/);
    const closure = a.stages.find((s) => s.name === 'Wait before Closed');
    expect(closure?.role).toBe('delay');
    expect(closure?.utilisation).toBe(0);
    // Working hours per ticket: the reply's two hours, not the 15-day wait.
    expect(a.resourceHoursPerOutput).toBeGreaterThan(1.8);
    expect(a.resourceHoursPerOutput).toBeLessThan(2.2);
  });

  it('reproduces the median and the 90th percentile of the lead time within ±15 %, both ways', () => {
    expect(Math.abs(calibrated.fit.medianError)).toBeLessThan(0.15);
    expect(Math.abs(calibrated.fit.p90Error)).toBeLessThan(0.15);
    expect(Math.abs(result.chainCheck.medianError)).toBeLessThan(0.15);
    expect(Math.abs(result.chainCheck.p90Error)).toBeLessThan(0.15);
    expect(result.chainCheck.withinTolerance).toBe(true);
    expect(calibrated.fit.statement).toContain('within ±15% of the log’s');
  });

  it('says the same in its summary as the model holds', () => {
    expect(result.notes[0]).toBe(
      '2 stages: 1 staffed with a capacity stated, 1 delay (timers, waits outside or batches: no staff), 0 instantaneous, 0 whose capacity cannot be calibrated from this log.',
    );
    expect(result.notes.join(' ')).toContain('The wait before “Closed” is a delay with no staff');
  });

  it('follows a person’s correction of the kind, as the log page does', () => {
    const corrected = applyCorrections(page.bottleneck, [
      {
        activity: 'Closed',
        kind: 'external',
        reason: 'customers confirm',
        by: 'Ann',
        at: '2024-05-01T00:00:00Z',
      },
    ]);
    const again = calibrateChain(log, { cases: 2000, finding: corrected });
    const wait = byName(again.stages, 'Wait before Closed');
    expect(wait.delay?.kind).toBe('external');
    expect(wait.waitKindCorrected).toBe(true);
    expect(wait.delay?.reason).toContain('as corrected by Ann (“customers confirm”)');
  });
});

describe('a log with completion times only', async () => {
  const log = await logOf(helpdesk(1500, 5, false));
  const result = calibrateDeliveryChain(log, { cases: 5000, seed: 2 });

  it('states no capacity: the closure is a timer delay, the reply of unknown capacity, no servers anywhere', () => {
    const closed = byName(result.calibrated.stages, 'Closed');
    expect(closed.role).toBe('delay');
    expect(closed.delay?.kind).toBe('timer');
    const reply = byName(result.calibrated.stages, 'Reply');
    expect(reply.role).toBe('capacity-unknown');
    expect(reply.servers).toBeNull();
    expect(
      result.chain.stages.every((s) => s.delay !== undefined || s.capacityUnknown !== undefined),
    ).toBe(true);
    const a = analyseChain(result.chain);
    expect(a.bottleneck.stageId).toBe('');
    expect(a.resourceHoursPerOutput).toBe(0);
    expect(result.notes.some((n) => n.startsWith('The log records completion times only'))).toBe(
      true,
    );
  });

  it('still reproduces the lead-time distribution', () => {
    expect(Math.abs(result.calibrated.fit.medianError)).toBeLessThan(0.15);
    expect(Math.abs(result.calibrated.fit.p90Error)).toBeLessThan(0.15);
    expect(result.chainCheck.withinTolerance).toBe(true);
  });
});

describe('folding rare paths', async () => {
  // 97 % of cases go A → B → C; 3 % take a detour through D; 4 % of B's visits loop back to A.
  const random = seededRandom(9);
  const rows: Row[] = [];
  let t = T0;
  for (let i = 0; i < 1000; i++) {
    t += HOUR;
    let u = t;
    const step = (activity: string): void => {
      u += exponential(random, HOUR);
      rows.push([`c${i}`, activity, null, u, '']);
    };
    step('A');
    if (random() < 0.03) step('D');
    step('B');
    if (random() < 0.04) {
      step('A');
      step('B');
    }
    step('C');
  }
  const log = await logOf(rows);

  it('folds routes and stages under the threshold and says what it folded', () => {
    const folded = calibrateChain(log, { cases: 2000, fold: 0.05, merge: false });
    // D is reached by 3 % of cases, above a fifth of 5 %, but only by A's 3 % route, which is
    // dropped: D is left out too, and said to be.
    expect(folded.stages.map((s) => s.name).sort()).toEqual(['A', 'B', 'C']);
    expect(folded.fold.foldedStages).toEqual([
      { name: 'D', caseShare: expect.closeTo(0.03, 1) as number, unreached: true },
    ]);
    expect(folded.summary.join(' ')).toMatch(
      /1 stage reached only by those routes \(“D”, [\d.]+%\) was left out/,
    );
    expect(byName(folded.stages, 'A').routing.map((r) => r.to)).toEqual(['b']);
    expect(byName(folded.stages, 'B').routing.some((r) => r.rework)).toBe(false);
    expect(folded.fold.droppedRoutes.map((r) => `${r.from}→${r.to}`).sort()).toEqual([
      'A→D',
      'B→A',
    ]);
    expect(folded.summary.join(' ')).toContain(
      '2 routes taking under 5% of a stage’s cases were dropped',
    );
  });

  it('keeps everything at 0, and folds a stage under a fifth of a higher threshold', () => {
    const all = calibrateChain(log, { cases: 2000, fold: 0, merge: false });
    expect(
      byName(all.stages, 'A')
        .routing.map((r) => r.to)
        .sort(),
    ).toEqual(['b', 'd']);
    expect(byName(all.stages, 'B').routing.some((r) => r.rework && r.to === 'a')).toBe(true);
    expect(all.summary.join(' ')).toContain('Nothing was folded');
    const coarse = calibrateChain(log, { cases: 2000, fold: 0.2, merge: false });
    expect(coarse.stages.map((s) => s.name)).not.toContain('D');
    expect(coarse.fold.foldedStages[0]?.name).toBe('D');
    expect(coarse.summary.join(' '), coarse.summary.join('\n')).toMatch(
      /1 stage reached by under 4% of cases \(“D”, [\d.]+%\) was folded/,
    );
  });
});

const DATA = new URL('../../../../shared/data/eventlogs/', import.meta.url);
const path = (name: string): URL => new URL(name, DATA);
const shared = existsSync(path('receipt.csv'));

describe.skipIf(!shared)('calibrating the shared public logs', () => {
  if (!shared)
    console.warn(
      'Skipped: /work/shared/data/eventlogs is absent (public logs for the calibration checks).',
    );

  it('interval log: starts measured, waits outside and a reminder timer as delays, median and p90 within ±15 % in the chain', async () => {
    const log = await readXesLog(createReadStream(path('interval_event_log.xes')));
    const r = calibrateDeliveryChain(log, { cases: 5000 });
    const kinds = Object.fromEntries(
      r.calibrated.stages.filter((s) => s.delay !== null).map((s) => [s.name, s.delay?.kind]),
    );
    expect(kinds['Wait before send reminder']).toBe('timer');
    expect(kinds['Wait before pay']).toBe('external');
    // No resources in this log: no staff invented.
    expect(r.calibrated.stages.filter((s) => s.role === 'staffed')).toEqual([]);
    expect(Math.abs(r.calibrated.fit.medianError)).toBeLessThan(0.05);
    expect(Math.abs(r.chainCheck.medianError)).toBeLessThan(0.15);
    expect(Math.abs(r.chainCheck.p90Error)).toBeLessThan(0.15);
  });

  it('receipt: no servers for its batching waits, and the fit says why the median is off', async () => {
    const log = await readCsvLog(createReadStream(path('receipt.csv')));
    const r = calibrateDeliveryChain(log, { cases: 5000 });
    const t06 = r.calibrated.stages.find((s) => s.name.startsWith('T06'));
    expect(t06?.delay?.kind).toBe('batching');
    expect(
      r.chain.stages.some((s) => s.delay === undefined && s.capacityUnknown === undefined),
    ).toBe(false);
    expect(Math.abs(r.chainCheck.p90Error)).toBeLessThan(0.15);
    expect(r.calibrated.fit.statement).toContain('most cases finish almost at once');
  });
});
