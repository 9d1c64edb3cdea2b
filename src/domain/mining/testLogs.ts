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
