// Synthetic event logs whose truth is known, for the calibration tests (unit and through HTTP and
// the CLI): a helpdesk whose tickets close automatically 15 days after the reply.
import { seededRandom } from './montecarlo.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 1, 9);

/** case id, activity, start (null: none recorded), completion, resource ('' for none). */
export type TestRow = readonly [
  caseId: string,
  activity: string,
  start: number | null,
  complete: number,
  resource: string,
];

/** A CSV with a start time column (empty where none) and a resource column. */
export function rowsToCsv(rows: readonly TestRow[]): string {
  const iso = (t: number): string => new Date(t).toISOString();
  return (
    'case_id,activity,start_timestamp,timestamp,resource\n' +
    rows.map(([c, a, s, t, r]) => `${c},${a},${s === null ? '' : iso(s)},${iso(t)},${r}`).join('\n')
  );
}

const exponential = (random: () => number, mean: number): number => -mean * Math.log(random());

/**
 * A helpdesk: tickets are logged (an instant system step), wait for one of three agents (replies
 * take 2 hours on average, first come first served, about two thirds busy), and are closed by the
 * system exactly 15 days after the reply (a few minutes' jitter) unless the customer closes them
 * earlier (a third, at random within 6 days).
 */
export function helpdeskRows(cases: number, seed: number, withStarts: boolean): TestRow[] {
  const random = seededRandom(seed);
  const rows: TestRow[] = [];
  const free = [T0, T0, T0];
  let t = T0;
  for (let i = 0; i < cases; i++) {
    t += exponential(random, HOUR);
    let agent = 0;
    for (let k = 1; k < 3; k++) if ((free[k] as number) < (free[agent] as number)) agent = k;
    const start = Math.max(t, free[agent] as number);
    const done = start + exponential(random, 2 * HOUR);
    free[agent] = done;
    const closed =
      random() < 0.34 ? done + random() * 6 * DAY : done + 15 * DAY + (random() - 0.5) * 6 * MINUTE;
    rows.push(
      [`t${i}`, 'Logged', withStarts ? t : null, t, 'system'],
      [`t${i}`, 'Reply', withStarts ? start : null, done, `agent-${agent + 1}`],
      [`t${i}`, 'Closed', withStarts ? closed : null, closed, 'system'],
    );
  }
  return rows;
}

/** Whether an instant falls in Monday–Friday 08:00–18:00 UTC, and the next such instant. */
function nextOpen(t: number): number {
  for (let k = 0; k < 24 * 8; k++) {
    const d = new Date(t);
    const dow = (d.getUTCDay() + 6) % 7;
    const h = d.getUTCHours();
    if (dow < 5 && h >= 8 && h < 18) return t;
    // On to the next whole hour.
    t = Math.floor(t / HOUR) * HOUR + HOUR;
  }
  return t;
}

/**
 * An office open on weekdays only: applications arrive Monday to Friday 08:00–18:00 UTC (on
 * average `perHour` an hour while open), are registered at once by the system, and are assessed by
 * `clerks` people who start work only in those hours (a case begun before 18:00 is finished, about
 * an hour's work on average); the decision is sent at once.
 */
export function weekdayOfficeRows(
  cases: number,
  seed: number,
  clerks = 2,
  perHour = 1.5,
): TestRow[] {
  const random = seededRandom(seed);
  const rows: TestRow[] = [];
  const free = Array.from({ length: clerks }, () => T0);
  let t = nextOpen(T0 - HOUR);
  for (let i = 0; i < cases; i++) {
    t = nextOpen(t + exponential(random, HOUR / perHour));
    let clerk = 0;
    for (let k = 1; k < clerks; k++) if ((free[k] as number) < (free[clerk] as number)) clerk = k;
    const start = nextOpen(Math.max(t, free[clerk] as number));
    const done = start + exponential(random, HOUR);
    free[clerk] = done;
    rows.push(
      [`a${i}`, 'Register', t, t, 'system'],
      [`a${i}`, 'Assess', start, done, `clerk-${clerk + 1}`],
      [`a${i}`, 'Send decision', done, done, 'system'],
    );
  }
  return rows;
}
