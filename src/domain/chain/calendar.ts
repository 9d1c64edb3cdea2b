// Calendars, rosters and shared staff for a delivery chain (issue 13, point 4). Public services open
// on weekdays and courts sit in terms, so a stage's capacity and its demand change over the week and
// the year (paper section 2.2.1: the delivery chain; section 3.2: the bottleneck that sets its pace).
//
// A chain with a `calendar` runs its clock in calendar hours (168 a week) from `calendar.start`
// (a date, Monday 00:00 by default). Demand then varies by hour of the week and by season, each as
// multipliers scaled to average 1, so the stated rate stays the average rate (and says so). A stage
// may have a `roster` (shifts: days, from, to, servers on duty) instead of the same staff round the
// clock, and several stages may share a `pool` of staff. Closures (bank holidays, term breaks) take
// every rostered stage and pool off duty for those days. Pure functions, no I/O.
import { z } from 'zod';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const HOURS_PER_CALENDAR_WEEK = 168;
/** Days in the model's year (leap days are not modelled). */
export const DAYS_PER_YEAR = 365;

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'use a 24-hour time such as "09:00" or "17:30"');
const monthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'use a month and day such as "12-25"');
const weekdaySchema = z.enum(WEEKDAYS);
const bounded = (max: number): z.ZodNumber => z.number().min(0).max(max);

/** A block of hours on some weekdays, e.g. Monday to Friday 09:00–17:00. */
export const shiftSchema = z.object({
  days: z.array(weekdaySchema).min(1),
  from: clock,
  to: clock,
  /** Staff on duty in this block (shifts that overlap add up). */
  servers: z.number().int().min(0).max(10_000),
});

export const closureSchema = z.object({
  name: z.string().min(1).max(100),
  /** First and last closed day, every year ("12-25" to "12-26"). */
  from: monthDay,
  to: monthDay,
});

/** Who is on duty when: the number of servers changes over the week. */
export const rosterSchema = z.object({
  shifts: z.array(shiftSchema).min(1).max(100),
  /** Days these staff alone are off, every year (a court's vacations between its terms). */
  closures: z.array(closureSchema).max(50).optional(),
});

/** A block of hours with a demand multiplier (compact form of the weekly demand pattern). */
export const demandBandSchema = z.object({
  days: z.array(weekdaySchema).min(1),
  from: clock,
  to: clock,
  multiplier: bounded(1000),
});

export const termSchema = z.object({
  name: z.string().min(1).max(100),
  from: monthDay,
  to: monthDay,
  multiplier: bounded(1000),
});

export const calendarSchema = z.object({
  /** Date the model clock starts (00:00); a Monday by default. */
  start: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date such as "2026-01-05"')
    .optional(),
  /** Demand by hour of the week: 168 multipliers from Monday 00:00, or bands (other hours: `otherwise`). */
  weekly: z
    .object({
      hours: z.array(bounded(1000)).length(HOURS_PER_CALENDAR_WEEK).optional(),
      bands: z.array(demandBandSchema).min(1).max(100).optional(),
      /** Multiplier outside the bands (0 by default: no arrivals then). */
      otherwise: bounded(1000).optional(),
    })
    .optional(),
  /** Demand by season: 12 monthly multipliers, or named terms (other days: `otherwise`, default 1). */
  season: z
    .object({
      months: z.array(bounded(1000)).length(12).optional(),
      terms: z.array(termSchema).min(1).max(50).optional(),
      otherwise: bounded(1000).optional(),
    })
    .optional(),
  /** Days every rostered stage and pool is closed (bank holidays, term breaks). */
  closures: z.array(closureSchema).max(100).optional(),
});

/** Staff shared by several stages (a stage joins with `pool: "<id>"`). */
export const poolSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and hyphens'),
  name: z.string().min(1).max(200),
  /** Staff in the pool when there is no roster (on duty round the clock). */
  servers: z.number().int().min(1).max(10_000),
  serverName: z.object({ singular: z.string().min(1), plural: z.string().min(1) }).optional(),
  roster: rosterSchema.optional(),
  costPerServerHour: z.number().min(0).max(1e9).optional(),
});

export type Shift = z.output<typeof shiftSchema>;
export type Roster = { readonly shifts: readonly Readonly<Shift>[] };
export type Calendar = z.output<typeof calendarSchema>;
export type Pool = z.output<typeof poolSchema>;

type DeepRo<T> = T extends (infer U)[]
  ? readonly DeepRo<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepRo<T[K]> }
    : T;
export type CalendarRo = DeepRo<Calendar>;
export type RosterRo = DeepRo<z.output<typeof rosterSchema>>;
export type PoolRo = DeepRo<Pool>;

const DEFAULT_START = '2026-01-05';
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** Hours since midnight of "HH:MM". */
export function clockHours(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h ?? 0) + (m ?? 0) / 60;
}

/** Problems with a block of hours ("to" must be after "from"). */
export function blockProblem(block: { readonly from: string; readonly to: string }): string | null {
  return clockHours(block.to) > clockHours(block.from)
    ? null
    : `ends at ${block.to}, which is not after its start at ${block.from}`;
}

/** A week as segments: from hour-of-week `start` (Monday 00:00 = 0) the value holds until the next. */
export interface WeeklySchedule {
  readonly starts: Float64Array;
  readonly values: Float64Array;
}

function blocksToSchedule(
  blocks: readonly {
    readonly days: readonly Weekday[];
    readonly from: string;
    readonly to: string;
    readonly value: number;
  }[],
  otherwise: number,
): WeeklySchedule {
  const edges = new Set<number>([0]);
  const spans: { a: number; b: number; value: number }[] = [];
  for (const block of blocks) {
    for (const day of new Set(block.days)) {
      const base = WEEKDAYS.indexOf(day) * 24;
      const a = base + clockHours(block.from);
      const b = base + clockHours(block.to);
      if (b <= a) continue;
      spans.push({ a, b, value: block.value });
      edges.add(a);
      if (b < HOURS_PER_CALENDAR_WEEK) edges.add(b);
    }
  }
  const starts = [...edges].sort((x, y) => x - y);
  const values = starts.map((s) => {
    const covering = spans.filter((sp) => sp.a <= s && s < sp.b);
    return covering.length === 0 ? otherwise : covering.reduce((sum, sp) => sum + sp.value, 0);
  });
  // Merge neighbours with the same value (fewer events in the simulator).
  const mergedStarts: number[] = [];
  const mergedValues: number[] = [];
  starts.forEach((s, k) => {
    const v = values[k] ?? 0;
    if (mergedValues.length > 0 && mergedValues[mergedValues.length - 1] === v) return;
    mergedStarts.push(s);
    mergedValues.push(v);
  });
  return { starts: Float64Array.from(mergedStarts), values: Float64Array.from(mergedValues) };
}

/** Servers on duty over the week for a roster. */
export function rosterSchedule(roster: RosterRo): WeeklySchedule {
  return blocksToSchedule(
    roster.shifts.map((s) => ({ days: s.days, from: s.from, to: s.to, value: s.servers })),
    0,
  );
}

/** The value of a schedule at an hour of the week. */
export function scheduleAt(schedule: WeeklySchedule, hourOfWeek: number): number {
  let lo = 0;
  let hi = schedule.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((schedule.starts[mid] as number) <= hourOfWeek) lo = mid;
    else hi = mid - 1;
  }
  return schedule.values[lo] as number;
}

/** The first segment edge strictly after an hour of the week (168 + first edge when it wraps). */
export function nextEdge(schedule: WeeklySchedule, hourOfWeek: number): number {
  for (const s of schedule.starts) if (s > hourOfWeek + 1e-9) return s;
  return HOURS_PER_CALENDAR_WEEK + (schedule.starts[0] as number);
}

/** Weekly mean of a schedule (hour-weighted). */
export function scheduleMean(schedule: WeeklySchedule): number {
  let area = 0;
  for (let k = 0; k < schedule.starts.length; k++) {
    const end = k + 1 < schedule.starts.length ? schedule.starts[k + 1] : HOURS_PER_CALENDAR_WEEK;
    area += (schedule.values[k] as number) * ((end as number) - (schedule.starts[k] as number));
  }
  return area / HOURS_PER_CALENDAR_WEEK;
}

/** Hours a week with a positive value (opening hours of a roster). */
export function scheduleOpenHours(schedule: WeeklySchedule): number {
  let hours = 0;
  for (let k = 0; k < schedule.starts.length; k++) {
    const end = k + 1 < schedule.starts.length ? schedule.starts[k + 1] : HOURS_PER_CALENDAR_WEEK;
    if ((schedule.values[k] as number) > 0)
      hours += (end as number) - (schedule.starts[k] as number);
  }
  return hours;
}

/** The value in each of the 168 hours of the week (averaged within an hour). */
export function hourlyValues(schedule: WeeklySchedule): Float64Array {
  const out = new Float64Array(HOURS_PER_CALENDAR_WEEK);
  for (let k = 0; k < schedule.starts.length; k++) {
    const a = schedule.starts[k] as number;
    const b = (k + 1 < schedule.starts.length ? schedule.starts[k + 1] : 168) as number;
    for (let h = Math.floor(a); h < Math.ceil(b); h++) {
      const overlap = Math.min(b, h + 1) - Math.max(a, h);
      if (overlap > 0) out[h] = (out[h] as number) + (schedule.values[k] as number) * overlap;
    }
  }
  return out;
}

/** Demand multipliers by hour of the week, scaled to average 1; null when the calendar has none. */
export function weeklyDemand(calendar: CalendarRo | undefined): Float64Array | null {
  const weekly = calendar?.weekly;
  if (weekly === undefined) return null;
  let raw: Float64Array;
  if (weekly.hours !== undefined) raw = Float64Array.from(weekly.hours);
  else if (weekly.bands !== undefined) {
    raw = hourlyValues(
      blocksToSchedule(
        weekly.bands.map((b) => ({ days: b.days, from: b.from, to: b.to, value: b.multiplier })),
        weekly.otherwise ?? 0,
      ),
    );
  } else return null;
  const mean = raw.reduce((s, x) => s + x, 0) / HOURS_PER_CALENDAR_WEEK;
  if (!(mean > 0)) return null;
  return raw.map((x) => x / mean);
}

interface DayOfYear {
  readonly month: number;
  readonly day: number;
}

function parseStart(calendar: CalendarRo | undefined): Date {
  const d = new Date(`${calendar?.start ?? DEFAULT_START}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? new Date(`${DEFAULT_START}T00:00:00Z`) : d;
}

/** Hour of the week (Monday 00:00 = 0) at which the model clock starts. */
export function startHourOfWeek(calendar: CalendarRo | undefined): number {
  const dow = (parseStart(calendar).getUTCDay() + 6) % 7; // Monday 0
  return dow * 24;
}

/** Month and day of each of the 365 model days from the start. */
function modelDays(calendar: CalendarRo | undefined): DayOfYear[] {
  const start = parseStart(calendar);
  const days: DayOfYear[] = [];
  let month = start.getUTCMonth();
  let day = start.getUTCDate();
  for (let k = 0; k < DAYS_PER_YEAR; k++) {
    days.push({ month, day });
    day++;
    if (day > (MONTH_DAYS[month] ?? 31)) {
      day = 1;
      month = (month + 1) % 12;
    }
  }
  return days;
}

function mdValue(text: string): number {
  const [m, d] = text.split('-').map(Number);
  return (m ?? 1) * 100 + (d ?? 1);
}

function inRange(day: DayOfYear, from: string, to: string): boolean {
  const v = (day.month + 1) * 100 + day.day;
  const a = mdValue(from);
  const b = mdValue(to);
  return a <= b ? v >= a && v <= b : v >= a || v <= b; // a range may wrap the new year
}

/** Demand multiplier of each model day (365, from the start), scaled to average 1; null when none. */
export function seasonalDemand(calendar: CalendarRo | undefined): Float64Array | null {
  const season = calendar?.season;
  if (season === undefined || (season.months === undefined && season.terms === undefined))
    return null;
  const days = modelDays(calendar);
  const raw = Float64Array.from(days, (d) => {
    if (season.months !== undefined) return season.months[d.month] ?? 1;
    const term = season.terms?.find((t) => inRange(d, t.from, t.to));
    return term !== undefined ? term.multiplier : (season.otherwise ?? 1);
  });
  const mean = raw.reduce((s, x) => s + x, 0) / DAYS_PER_YEAR;
  if (!(mean > 0)) return null;
  return raw.map((x) => x / mean);
}

/** Whether each model day (365, from the start) is a closure day; null when there are none. */
export function closedDays(
  calendar: CalendarRo | undefined,
  own: readonly { readonly from: string; readonly to: string }[] = [],
): Uint8Array | null {
  const closures = [...(calendar?.closures ?? []), ...own];
  if (closures.length === 0) return null;
  return Uint8Array.from(modelDays(calendar), (d) =>
    closures.some((c) => inRange(d, c.from, c.to)) ? 1 : 0,
  );
}

/** The staffing of one stage or pool over time. */
export interface Staffing {
  /** Servers on duty by hour of the week (before closures). */
  readonly schedule: WeeklySchedule;
  /** True when closures apply (rostered staff); staff round the clock work through them. */
  readonly rostered: boolean;
}

/** Average servers on duty over a year: the weekly mean, less closure days. */
export function averageOnDuty(staffing: Staffing, closed: Uint8Array | null): number {
  const mean = scheduleMean(staffing.schedule);
  if (!staffing.rostered || closed === null) return mean;
  const open = 1 - closed.reduce((s, x) => s + x, 0) / DAYS_PER_YEAR;
  return mean * open;
}

/** Constant staffing (no roster): `servers` round the clock. */
export function constantStaffing(servers: number): Staffing {
  return {
    schedule: { starts: Float64Array.of(0), values: Float64Array.of(servers) },
    rostered: false,
  };
}

/** Staffing from a roster, or round the clock when there is none. */
export function staffingOf(roster: RosterRo | undefined, servers: number): Staffing {
  return roster === undefined
    ? constantStaffing(servers)
    : { schedule: rosterSchedule(roster), rostered: true };
}

/** "Monday to Friday 09:00–17:00, 3 on duty" for a shift. */
export function describeShift(shift: Readonly<Shift> | DeepRo<Shift>, noun = 'on duty'): string {
  return `${describeDays(shift.days)} ${shift.from}–${shift.to}, ${shift.servers} ${noun}`;
}

/** "Monday to Friday", "Saturday", "Monday, Wednesday and Friday". */
export function describeDays(days: readonly Weekday[]): string {
  const idx = [...new Set(days)].map((d) => WEEKDAYS.indexOf(d)).sort((a, b) => a - b);
  const contiguous = idx.length > 2 && idx.every((d, k) => k === 0 || d === (idx[k - 1] ?? 0) + 1);
  const name = (k: number): string => DAY_NAMES[WEEKDAYS[k] ?? 'mon'];
  if (contiguous) return `${name(idx[0] ?? 0)} to ${name(idx[idx.length - 1] ?? 0)}`;
  const names = idx.map(name);
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

export function dayName(day: Weekday): string {
  return DAY_NAMES[day];
}
