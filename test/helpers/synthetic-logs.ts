// Event logs whose waits are known because the test made them (issue 13, point 6): a generator
// simulates the process with a seeded random stream, records every wait it creates, and writes
// the same events as CSV and as XES. Nothing here uses the mining engine.
//
// threeKinds: one log with a known capacity queue, a known batch and a known timer.
//   Register   cases arrive at random, on average every 8 hours;
//   Review     one clerk, first come first served, 7.2 hours' work on average (utilisation 0.9):
//              the wait is the time queued behind earlier cases — contention;
//   Approve    released once a week, every Friday at 16:30 UTC, all reviewed cases together —
//              batching;
//   Close      an automatic closure exactly 15 days after approval (± 5 minutes of jitter),
//              except a fifth closed by hand at a random time within 14 days — a timer.
//
// helpdesk: tickets opened, answered by a small team (a real multi-server queue), and closed
// automatically exactly 15 days after the reply (± a few minutes) unless the customer closes
// them first; times written in UK local time, +01:00 in summer, some rows in UTC.

export interface SynthEvent {
  readonly caseId: string;
  readonly activity: string;
  /** UTC ms, or null for none. */
  readonly start: number | null;
  readonly complete: number;
  readonly resource?: string;
}

export interface SynthLog {
  readonly events: SynthEvent[];
  /** The wait the generator created before each (case, activity), in ms. */
  readonly waits: Map<string, number>;
  /** Service times it created, in ms, by the same key. */
  readonly services: Map<string, number>;
}

export const key = (caseId: string, activity: string): string => `${caseId}\u0000${activity}`;

/** mulberry32: a small, well-known seeded generator (its own copy; the engine has another). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** An exponential draw with the given mean, in whole milliseconds (at least 1). */
const exponential = (next: () => number, mean: number): number =>
  Math.max(1, Math.round(-mean * Math.log(1 - next())));

export function threeKinds(cases: number, seed: number): SynthLog {
  const next = random(seed);
  const events: SynthEvent[] = [];
  const waits = new Map<string, number>();
  const services = new Map<string, number>();
  const t0 = Date.UTC(2024, 0, 1); // a Monday
  const firstFriday = t0 + 4 * DAY + 16.5 * HOUR;
  let arrival = t0;
  let clerkFree = t0;
  for (let i = 0; i < cases; i++) {
    const id = `case-${String(i + 1).padStart(4, '0')}`;
    arrival += exponential(next, 8 * HOUR);
    const reviewStart = Math.max(arrival, clerkFree);
    const reviewed = reviewStart + exponential(next, 7.2 * HOUR);
    clerkFree = reviewed;
    const approved = firstFriday + Math.ceil((reviewed - firstFriday) / WEEK) * WEEK;
    const closed =
      next() < 0.2
        ? approved + HOUR + Math.round(next() * 14 * DAY)
        : approved + 15 * DAY + Math.round((next() - 0.5) * 10 * MINUTE);
    events.push(
      { caseId: id, activity: 'Register', start: arrival, complete: arrival },
      { caseId: id, activity: 'Review', start: reviewStart, complete: reviewed },
      { caseId: id, activity: 'Approve', start: approved, complete: approved },
      { caseId: id, activity: 'Close', start: closed, complete: closed },
    );
    waits.set(key(id, 'Review'), reviewStart - arrival);
    waits.set(key(id, 'Approve'), approved - reviewed);
    waits.set(key(id, 'Close'), closed - approved);
    services.set(key(id, 'Review'), reviewed - reviewStart);
  }
  return { events, waits, services };
}

export interface HelpdeskOptions {
  readonly tickets: number;
  readonly seed: number;
  /** Staff answering tickets. */
  readonly staff: number;
  /** Mean hours between tickets and mean hours of work per reply. */
  readonly hoursBetweenTickets: number;
  readonly hoursPerReply: number;
  /** When the first ticket is opened (UTC ms). */
  readonly start: number;
}

/**
 * Tickets opened at random; each is answered by the first free member of the team in order of
 * arrival (the queue is real when the team is busy); then closed automatically exactly 15 days
 * after the reply, within a few minutes either way, unless (a third of tickets) the customer
 * closes it first. The log records completions only, with the resource for replies.
 */
export function helpdesk(options: HelpdeskOptions): SynthLog {
  const next = random(options.seed);
  const events: SynthEvent[] = [];
  const waits = new Map<string, number>();
  const free = new Array<number>(options.staff);
  let opened = options.start;
  free.fill(opened);
  for (let i = 0; i < options.tickets; i++) {
    const id = `T${String(1001 + i)}`;
    if (i > 0) opened += exponential(next, options.hoursBetweenTickets * HOUR);
    let who = 0;
    for (let s = 1; s < free.length; s++) if ((free[s] as number) < (free[who] as number)) who = s;
    const begin = Math.max(opened, free[who] as number);
    const replied = begin + exponential(next, options.hoursPerReply * HOUR);
    free[who] = replied;
    const closed =
      next() < 1 / 3
        ? replied + HOUR + Math.round(next() * 10 * DAY)
        : replied + 15 * DAY + Math.round((next() - 0.5) * 6 * MINUTE);
    events.push(
      { caseId: id, activity: 'Ticket opened', start: null, complete: opened },
      {
        caseId: id,
        activity: 'Reply sent',
        start: null,
        complete: replied,
        resource: `Agent ${who + 1}`,
      },
      { caseId: id, activity: 'Closed', start: null, complete: closed },
    );
    waits.set(key(id, 'Reply sent'), replied - opened);
    waits.set(key(id, 'Closed'), closed - replied);
  }
  return { events, waits, services: new Map() };
}

/** ISO 8601 with milliseconds at a fixed offset (minutes east of UTC), e.g. +01:00. */
export function isoAt(ms: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(ms).toISOString();
  const local = new Date(ms + offsetMinutes * MINUTE).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const h = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const m = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
  return `${local}${sign}${h}:${m}`;
}

/** The events as CSV (pm4py's plain column names), one row each, in the order given. */
export function toCsv(
  events: readonly SynthEvent[],
  offsetOf: (e: SynthEvent, row: number) => number = () => 0,
): string {
  const withStart = events.some((e) => e.start !== null);
  const withResource = events.some((e) => e.resource !== undefined);
  const header = ['case_id', 'activity', 'timestamp'];
  if (withStart) header.push('start_timestamp');
  if (withResource) header.push('resource');
  const lines = [header.join(',')];
  events.forEach((e, row) => {
    const offset = offsetOf(e, row);
    const cells = [e.caseId, e.activity, isoAt(e.complete, offset)];
    if (withStart) cells.push(e.start === null ? '' : isoAt(e.start, offset));
    if (withResource) cells.push(e.resource ?? '');
    lines.push(cells.join(','));
  });
  return `${lines.join('\n')}\n`;
}

const attribute = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The events as IEEE 1849 XES, one trace per case in order of first appearance. */
export function toXes(events: readonly SynthEvent[]): string {
  const traces = new Map<string, SynthEvent[]>();
  for (const e of events) traces.set(e.caseId, [...(traces.get(e.caseId) ?? []), e]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<log xes.version="1.0">'];
  for (const [id, list] of traces) {
    out.push('  <trace>', `    <string key="concept:name" value="${attribute(id)}"/>`);
    for (const e of list) {
      out.push(
        '    <event>',
        `      <string key="concept:name" value="${attribute(e.activity)}"/>`,
        `      <date key="time:timestamp" value="${new Date(e.complete).toISOString()}"/>`,
      );
      if (e.start !== null)
        out.push(`      <date key="start_timestamp" value="${new Date(e.start).toISOString()}"/>`);
      if (e.resource !== undefined)
        out.push(`      <string key="org:resource" value="${attribute(e.resource)}"/>`);
      out.push('    </event>');
    }
    out.push('  </trace>');
  }
  out.push('</log>');
  return `${out.join('\n')}\n`;
}

/** Where the helpdesk CSV sets rows aside, by file line (the header is line 1). */
export const HELPDESK_EMPTY_CASE_ID_LINES = [7, 50, 123] as const;
export const HELPDESK_NO_TIMESTAMP_LINES = [15, 88, 200, 301] as const;

/**
 * The helpdesk (issue 13's acceptance): 600 tickets, the first opened at 23:30 UTC on 31 March 2024
 * — 00:30 on 1 April in London, where the log's clock runs at +01:00 (every fifth row is written in
 * UTC instead) — with three rows that have no case id and four that have no timestamp at the file
 * lines above. `busy`: two agents for a ticket every 2 hours, 3.9 hours' work each (utilisation
 * 0.975: replies queue); idle: four agents, a ticket every 8 hours, an hour's work each.
 */
export function helpdeskCsv(variant: 'busy' | 'idle'): { csv: string; log: SynthLog } {
  const log = helpdesk({
    tickets: 600,
    seed: 1,
    start: Date.UTC(2024, 2, 31, 23, 30),
    ...(variant === 'busy'
      ? { staff: 2, hoursBetweenTickets: 2, hoursPerReply: 3.9 }
      : { staff: 4, hoursBetweenTickets: 8, hoursPerReply: 1 }),
  });
  const lines = toCsv(log.events, (_, row) => (row % 5 === 4 ? 0 : 60))
    .trimEnd()
    .split('\n');
  const inserts = [
    ...HELPDESK_EMPTY_CASE_ID_LINES.map((line) => ({
      line,
      row: `,Reply sent,2024-04-02T10:00:00.000+01:00,Agent 1`,
    })),
    ...HELPDESK_NO_TIMESTAMP_LINES.map((line) => ({ line, row: `T1002,Reply sent,,Agent 2` })),
  ].sort((a, b) => a.line - b.line);
  for (const { line, row } of inserts) lines.splice(line - 1, 0, row);
  return { csv: `${lines.join('\n')}\n`, log };
}
