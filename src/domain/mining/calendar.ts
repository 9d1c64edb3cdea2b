// Opening hours and demand patterns read from an event log (issue 13, point 4): when cases arrive by
// hour of the week (and by month when the log spans a year or more), and per activity the hours when
// work is done and how many people do it — the calendar and roster fields of a delivery chain
// (paper section 2.2.1), with the evidence in plain words. Times of day are read in the log's own
// offset (the commonest one in the file, from the import report), not the server's. Pure function.
import type { EventLog } from './model.ts';

const HOURS = 168;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const DAY_PLURALS = DAY_NAMES.map((d) => `${d}s`);
const MS_HOUR = 3_600_000;
const MS_DAY = 24 * MS_HOUR;

export interface FitCalendarOptions {
  /** Share of an activity's work a roster's hours must cover (default 0.9). */
  readonly coverage?: number;
  /** Fewest case starts or events to read a pattern from (default 50 and 30). */
  readonly minCases?: number;
  readonly minEvents?: number;
}

export interface FittedShift {
  readonly days: readonly Day[];
  readonly from: string;
  readonly to: string;
  readonly servers: number;
}

export interface FittedActivityHours {
  readonly activity: string;
  readonly events: number;
  /** Events (their start, else their completion) by hour of the week, Monday 00:00 first. */
  readonly byHourOfWeek: readonly number[];
  /** A one-shift-a-day roster covering `coverage` of the work, or null when the log cannot say. */
  readonly roster: { readonly shifts: readonly FittedShift[] } | null;
  /** How the number on duty was estimated, in plain words. */
  readonly serversMethod: string | null;
  readonly evidence: string;
}

export interface FittedCalendar {
  /** The offset times of day are read in (minutes east of UTC), and how it was chosen. */
  readonly offsetMinutes: number;
  readonly offsetNote: string;
  readonly spanDays: number;
  readonly cases: number;
  /** Case starts by hour of the week (Monday 00:00 first), in the log's offset. */
  readonly arrivalsByHourOfWeek: readonly number[];
  /** Fields for a chain's `calendar` (multipliers; the engine scales them to average 1). */
  readonly calendar: {
    readonly weekly?: { readonly hours: readonly number[] };
    readonly season?: { readonly months: readonly number[] };
  };
  /** True when the timestamps carry dates only (all at one time of day): no hours can be read. */
  readonly datesOnly: boolean;
  readonly activities: readonly FittedActivityHours[];
  /** The evidence for the calendar, in plain words. */
  readonly evidence: readonly string[];
}

function clock(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

function pct(x: number): string {
  return `${Math.round(x * 100)} %`;
}

function spanText(days: number): string {
  if (days >= 730) return `${Math.floor(days / 365)} years`;
  if (days >= 365) return 'a year';
  if (days >= 14) return `${Math.round(days / 7)} weeks`;
  return `${Math.max(1, Math.round(days))} days`;
}

function listDays(idx: readonly number[]): string {
  const names = idx.map((d) => DAY_PLURALS[d] ?? '');
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] ?? ''}`;
}

/** Local hour of the week and month of an instant, at a fixed offset. */
function localParts(
  ms: number,
  offsetMinutes: number,
): { how: number; month: number; day: number } {
  const local = new Date(ms + offsetMinutes * 60_000);
  const dow = (local.getUTCDay() + 6) % 7;
  return {
    how: dow * 24 + local.getUTCHours(),
    month: local.getUTCMonth(),
    day: Math.floor((ms + offsetMinutes * 60_000) / MS_DAY),
  };
}

/** Smallest window of whole hours of the day holding at least `share` of the counts. */
function coveringWindow(byHour: readonly number[], share: number): { from: number; to: number } {
  const total = byHour.reduce((s, x) => s + x, 0);
  let best = { from: 0, to: 24 };
  for (let a = 0; a < 24; a++) {
    let sum = 0;
    for (let b = a; b < 24; b++) {
      sum += byHour[b] ?? 0;
      if (sum >= share * total - 1e-9) {
        if (b + 1 - a < best.to - best.from) best = { from: a, to: b + 1 };
        break;
      }
    }
  }
  return best;
}

/**
 * Reads the calendar a chain needs from an event log: the arrival pattern by hour of the week (and
 * by month over a year or more) from case starts, and per activity the days and hours work is done
 * (the smallest daily window holding `coverage` of its events, on the days with at least 1 % of
 * them) with the people on duty estimated from the resources the log names.
 */
export function fitCalendar(log: EventLog, options: FitCalendarOptions = {}): FittedCalendar {
  const coverage = options.coverage ?? 0.9;
  const minCases = options.minCases ?? 50;
  const minEvents = options.minEvents ?? 30;
  const ts = log.report.timestamps;
  const offsetMinutes = ts.offsetMinutes ?? 0;
  const offsetNote =
    ts.offsetMinutes !== undefined && ts.offsetMinutes !== null
      ? `Times of day are read at ${offsetLabel(offsetMinutes)}, the commonest offset in the log.`
      : `The log's times carry no offset; they were read as ${ts.timeZone}, and times of day here are in UTC.`;
  const nCases = log.caseIds.length;
  const arrivals = new Array<number>(HOURS).fill(0);
  const monthCount = new Array<number>(12).fill(0);
  let first = Infinity;
  let last = -Infinity;
  const caseStarts: number[] = [];
  for (let c = 0; c < nCases; c++) {
    const a = log.caseOffsets[c] as number;
    const b = log.caseOffsets[c + 1] as number;
    let t0 = Infinity;
    for (let e = a; e < b; e++) {
      const s = log.start[e] as number;
      const t = Number.isFinite(s) ? s : (log.complete[e] as number);
      if (t < t0) t0 = t;
      const done = log.complete[e] as number;
      if (done > last) last = done;
      if (t < first) first = t;
    }
    if (Number.isFinite(t0)) caseStarts.push(t0);
  }
  const spanDays = Number.isFinite(first) ? Math.max(0, (last - first) / MS_DAY) : 0;
  const evidence: string[] = [offsetNote];
  // Case starts written as dates only: read their days (moved to the date meant), not their hours.
  const startMinutes = new Map<number, number>();
  for (const t of caseStarts) {
    const m = minuteOf(t, offsetMinutes);
    startMinutes.set(m, (startMinutes.get(m) ?? 0) + 1);
  }
  const reading = datesOnlyReading(startMinutes);
  const datesOnly = reading.datesOnly;
  for (const t0 of caseStarts) {
    const p = localParts(t0 + reading.shift * 60_000, offsetMinutes);
    arrivals[p.how] = (arrivals[p.how] ?? 0) + 1;
    monthCount[p.month] = (monthCount[p.month] ?? 0) + 1;
  }
  if (datesOnly) {
    evidence.push(
      `${pct(reading.share)} of cases start ${
        reading.second === null
          ? `at the same time of day${reading.shift !== 0 ? ` (${clockMinutes(-reading.shift)})` : ''}`
          : `at ${[clockMinutes(-reading.shift), clockMinutes(reading.second)].sort().join(' or ')} (midnight of the date meant, written an hour apart as summer time comes and goes)`
      }, so their start times are dates without times: the days of the week are read from the date meant, the hours cannot be read.`,
    );
  }

  // Arrivals by day and hour.
  const byDay = DAYS.map((_, d) => arrivals.slice(d * 24, d * 24 + 24).reduce((s, x) => s + x, 0));
  const starts = byDay.reduce((s, x) => s + x, 0);
  const calendar: { weekly?: { hours: number[] }; season?: { months: number[] } } = {};
  const weeks = spanDays / 7;
  if (starts >= minCases && weeks >= 2) {
    const closed = byDay.map((n, d) => (n === 0 ? d : -1)).filter((d) => d >= 0);
    if (closed.length > 0) {
      evidence.push(
        `No case started on ${listDays(closed)} in ${spanText(spanDays)} (${starts.toLocaleString('en-GB')} cases).`,
      );
    } else {
      const weekendCases = (byDay[5] ?? 0) + (byDay[6] ?? 0);
      const weekend = weekendCases / starts;
      evidence.push(
        weekend < 0.01
          ? `Cases start almost only on weekdays: ${weekendCases.toLocaleString('en-GB')} of ${starts.toLocaleString('en-GB')} in ${spanText(spanDays)} started on a Saturday or Sunday.`
          : `Cases start on every day of the week; ${pct(weekend)} of them on Saturdays and Sundays (${starts.toLocaleString('en-GB')} cases in ${spanText(spanDays)}).`,
      );
    }
    if (datesOnly) {
      // Spread each day's arrivals evenly over its hours: the times of day are not known.
      calendar.weekly = {
        hours: Array.from({ length: HOURS }, (_, h) => (byDay[Math.floor(h / 24)] ?? 0) / 24),
      };
    } else {
      calendar.weekly = { hours: arrivals.slice() };
      const window = coveringWindow(
        Array.from({ length: 24 }, (_, h) =>
          DAYS.reduce((s, _d, d) => s + (arrivals[d * 24 + h] ?? 0), 0),
        ),
        coverage,
      );
      evidence.push(
        `${pct(coverage)} of cases start between ${clock(window.from)} and ${clock(window.to % 24 === 0 && window.to > 0 ? 24 : window.to)}.`,
      );
    }
  } else {
    evidence.push(
      `Too few cases (${starts}) or too short a log (${spanText(spanDays)}) to read a weekly pattern of arrivals: demand is left even over the week.`,
    );
  }
  if (starts >= minCases && spanDays >= 365) {
    // Arrivals per day observed in each month, so a month seen twice is not counted double.
    const daysSeen = new Array<number>(12).fill(0);
    for (let t = first; t <= last; t += MS_DAY) {
      const m = localParts(t, offsetMinutes).month;
      daysSeen[m] = (daysSeen[m] ?? 0) + 1;
    }
    const rate = monthCount.map((n, m) => ((daysSeen[m] ?? 0) > 0 ? n / (daysSeen[m] ?? 1) : 0));
    const mean = rate.reduce((s, x) => s + x, 0) / 12;
    if (mean > 0) {
      calendar.season = { months: rate.map((r) => Math.round((r / mean) * 100) / 100) };
      const hi = rate.indexOf(Math.max(...rate));
      const lo = rate.indexOf(Math.min(...rate));
      evidence.push(
        `Over ${spanText(spanDays)}, the busiest month for new cases is ${MONTHS[hi] ?? ''} (${Math.round(((rate[hi] ?? 0) / mean) * 100)} % of an average month) and the quietest ${MONTHS[lo] ?? ''} (${Math.round(((rate[lo] ?? 0) / mean) * 100)} %).`,
      );
    }
  }

  const activities = fitActivities(log, offsetMinutes, coverage, minEvents);
  return {
    offsetMinutes,
    offsetNote,
    spanDays,
    cases: nCases,
    arrivalsByHourOfWeek: arrivals,
    calendar,
    datesOnly,
    activities,
    evidence,
  };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * Whether times are dates without times of day: at least 90 % at one minute of the day, or at two
 * an hour apart (midnight in a zone with summer time, written in UTC). `shift` moves such a time to
 * midnight of the date meant (22:00 UTC → +120 minutes).
 */
function datesOnlyReading(minuteOfDay: ReadonlyMap<number, number>): {
  datesOnly: boolean;
  shift: number;
  share: number;
  /** The minute of the day an hour from the commonest that also holds many (summer time), if any. */
  second: number | null;
} {
  let top = 0;
  let topCount = 0;
  let total = 0;
  for (const [m, k] of minuteOfDay) {
    total += k;
    if (k > topCount) {
      top = m;
      topCount = k;
    }
  }
  const later = (top + 60) % 1440;
  const earlier = (top + 1380) % 1440;
  const laterCount = minuteOfDay.get(later) ?? 0;
  const earlierCount = minuteOfDay.get(earlier) ?? 0;
  const secondCount = Math.max(laterCount, earlierCount);
  const near = topCount + secondCount;
  const datesOnly = total > 0 && near >= 0.9 * total;
  return {
    datesOnly,
    shift: datesOnly ? (top >= 720 ? 1440 - top : -top) : 0,
    share: near / Math.max(1, total),
    // Worth naming only if it is more than a stray few (a tenth of the commonest).
    second: secondCount >= 0.1 * topCount ? (laterCount >= earlierCount ? later : earlier) : null,
  };
}

function minuteOf(ms: number, offsetMinutes: number): number {
  const local = ms + offsetMinutes * 60_000;
  return Math.floor((((local % MS_DAY) + MS_DAY) % MS_DAY) / 60_000);
}

function clockMinutes(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function offsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC (+00:00)';
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function fitActivities(
  log: EventLog,
  offsetMinutes: number,
  coverage: number,
  minEvents: number,
): FittedActivityHours[] {
  const nA = log.activityNames.length;
  const byHour = Array.from({ length: nA }, () => new Array<number>(HOURS).fill(0));
  const count = new Array<number>(nA).fill(0);
  // People seen at work per activity in each (local date, hour): the mean over the hours in which
  // anyone was, within the roster's window, estimates those on duty.
  const slots = Array.from({ length: nA }, () => new Map<number, Set<number>>());
  const hasResources = log.resourceNames.length > 0;
  const minutes = Array.from({ length: nA }, () => new Map<number, number>());
  const when = (e: number): number => {
    const s = log.start[e] as number;
    return Number.isFinite(s) ? s : (log.complete[e] as number);
  };
  for (let e = 0; e < log.activity.length; e++) {
    const map = minutes[log.activity[e] as number] as Map<number, number>;
    const m = minuteOf(when(e), offsetMinutes);
    map.set(m, (map.get(m) ?? 0) + 1);
  }
  const readings = minutes.map(datesOnlyReading);
  for (let e = 0; e < log.activity.length; e++) {
    const a = log.activity[e] as number;
    const t = when(e) + (readings[a]?.shift ?? 0) * 60_000;
    const p = localParts(t, offsetMinutes);
    const row = byHour[a] as number[];
    row[p.how] = (row[p.how] ?? 0) + 1;
    count[a] = (count[a] ?? 0) + 1;
    const r = log.resource[e] as number;
    if (r >= 0) {
      const key = Math.floor((t + offsetMinutes * 60_000) / MS_HOUR);
      const set = (slots[a] as Map<number, Set<number>>).get(key) ?? new Set<number>();
      set.add(r);
      (slots[a] as Map<number, Set<number>>).set(key, set);
    }
  }
  return log.activityNames.map((name, a) => {
    const row = byHour[a] as number[];
    const n = count[a] ?? 0;
    if (n < minEvents) {
      return {
        activity: name,
        events: n,
        byHourOfWeek: row,
        roster: null,
        serversMethod: null,
        evidence: `“${name}”: too few events (${n}) to read its working hours.`,
      };
    }
    const byDay = DAYS.map((_, d) => row.slice(d * 24, d * 24 + 24).reduce((s, x) => s + x, 0));
    const worked = DAYS.map((_, d) => d).filter((d) => (byDay[d] ?? 0) >= 0.01 * n);
    const workedShare = worked.reduce((s, d) => s + (byDay[d] ?? 0), 0) / n;
    const hourOfDay = Array.from({ length: 24 }, (_, h) =>
      worked.reduce((s, d) => s + (row[d * 24 + h] ?? 0), 0),
    );
    const datesOnly = readings[a]?.datesOnly === true;
    const window = datesOnly ? { from: 0, to: 24 } : coveringWindow(hourOfDay, coverage);
    const inWindow =
      worked.reduce((s, d) => {
        let x = 0;
        for (let h = window.from; h < window.to; h++) x += row[d * 24 + h] ?? 0;
        return s + x;
      }, 0) / n;
    let servers = 1;
    let serversMethod: string;
    if (hasResources && (slots[a] as Map<number, Set<number>>).size > 0) {
      let sum = 0;
      let k = 0;
      for (const [key, set] of slots[a] as Map<number, Set<number>>) {
        const hourOfDayKey = ((key % 24) + 24) % 24;
        if (hourOfDayKey < window.from || hourOfDayKey >= window.to) continue;
        sum += set.size;
        k++;
      }
      servers = Math.max(1, Math.round(k > 0 ? sum / k : 1));
      serversMethod = `Staff on duty: the average number of different people recorded doing “${name}” in an hour in which anyone did (${k.toLocaleString('en-GB')} such hours). People who were on duty but recorded nothing are not seen, so this is a lower bound.`;
    } else {
      serversMethod = `The log names no resources for “${name}”, so the number on duty is not known (1 is entered; set the real number).`;
    }
    const dayText =
      worked.length === 7
        ? 'every day'
        : worked.length === 5 && worked.every((d) => d < 5)
          ? 'weekdays'
          : worked.map((d) => DAY_NAMES[d] ?? '').join(', ');
    const evidence = datesOnly
      ? `${pct(workedShare)} of “${name}” events fall on ${dayText} (${n.toLocaleString('en-GB')} events, recorded as dates without times, so its hours cannot be read).`
      : `${pct(inWindow)} of “${name}” events fall between ${clock(window.from)} and ${clock(window.to)} on ${dayText} (${n.toLocaleString('en-GB')} events).`;
    return {
      activity: name,
      events: n,
      byHourOfWeek: row,
      roster: {
        shifts: [
          {
            days: worked.map((d) => DAYS[d] ?? 'mon'),
            from: clock(window.from),
            to: window.to === 24 ? '24:00' : clock(window.to),
            servers,
          },
        ],
      },
      serversMethod,
      evidence,
    };
  });
}
