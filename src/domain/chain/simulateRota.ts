// The simulator's view of calendars, rosters and pools (issue 13, point 4), compiled once per
// chain into flat arrays: which staff resource serves each stage, the servers on duty at any model
// time (weekly roster, closure days) and when that next changes; and each demand stream's
// hour-of-week and seasonal multiplier for thinning (Lewis and Shedler 1979). The model clock of a
// chain with a calendar is in calendar hours from `calendar.start` (00:00).
import {
  DAYS_PER_YEAR,
  HOURS_PER_CALENDAR_WEEK,
  nextEdge,
  scheduleAt,
  seasonalDemand,
  startHourOfWeek,
  weeklyDemand,
} from './calendar.ts';
import type { WeeklySchedule } from './calendar.ts';
import type { DeliveryChain } from './model.ts';
import { hasRota, staffResources } from './rosters.ts';

export interface Rota {
  readonly resources: number;
  readonly resourceOf: Int32Array;
  readonly stagesOf: readonly Int32Array[];
  readonly schedules: readonly WeeklySchedule[];
  /** Closure days of each resource (rostered staff), or null. */
  readonly closed: readonly (Uint8Array | null)[];
  readonly startHour: number;
  readonly cost: Float64Array;
}

export function compileRota(chain: DeliveryChain): Rota | null {
  if (!hasRota(chain)) return null;
  const { resources, resourceOf } = staffResources(chain);
  return {
    resources: resources.length,
    resourceOf: Int32Array.from(resourceOf),
    stagesOf: resources.map((r) => Int32Array.from(r.stages)),
    schedules: resources.map((r) => r.staffing.schedule),
    closed: resources.map((r) => r.closed),
    startHour: startHourOfWeek(chain.calendar),
    cost: Float64Array.from(resources, (r) => r.costPerServerHour),
  };
}

function hourOfWeek(rota: Rota, t: number): number {
  const h = (rota.startHour + t) % HOURS_PER_CALENDAR_WEEK;
  return h < 0 ? h + HOURS_PER_CALENDAR_WEEK : h;
}

/** Servers of resource r on duty at model time t. */
export function rotaCapacityAt(rota: Rota, r: number, t: number): number {
  const closed = rota.closed[r];
  if (closed != null) {
    const day = Math.floor(t / 24 + 1e-9) % DAYS_PER_YEAR;
    if (closed[day] === 1) return 0;
  }
  return scheduleAt(rota.schedules[r] as WeeklySchedule, hourOfWeek(rota, t + 1e-9));
}

/** The next model time after t at which resource r's servers on duty may change (∞ if never). */
export function rotaNextChange(rota: Rota, r: number, t: number): number {
  const schedule = rota.schedules[r] as WeeklySchedule;
  const closures = rota.closed[r] != null;
  let next = Infinity;
  if (schedule.starts.length > 1) {
    const h = hourOfWeek(rota, t);
    // Whole weeks are counted exactly, so shift edges do not drift over a long run.
    const week = Math.round((t - h + rota.startHour) / HOURS_PER_CALENDAR_WEEK);
    next = week * HOURS_PER_CALENDAR_WEEK - rota.startHour + nextEdge(schedule, h);
  }
  if (closures) next = Math.min(next, (Math.floor(t / 24 + 1e-9) + 1) * 24);
  return next;
}

/** Calendar multiplier of a demand stream at model time t (weekly pattern × season). */
export interface StreamCalendar {
  readonly maxMultiplier: number;
  at(t: number): number;
}

export function streamCalendar(chain: DeliveryChain): StreamCalendar | null {
  const calendar = chain.calendar;
  if (calendar === undefined) return null;
  const weekly = weeklyDemand(calendar);
  const season = seasonalDemand(calendar);
  if (weekly === null && season === null) return null;
  const startHour = startHourOfWeek(calendar);
  const maxWeekly = weekly === null ? 1 : Math.max(...weekly);
  const maxSeason = season === null ? 1 : Math.max(...season);
  return {
    maxMultiplier: maxWeekly * maxSeason,
    at(t: number): number {
      let m = 1;
      if (weekly !== null)
        m *= weekly[Math.floor(startHour + t) % HOURS_PER_CALENDAR_WEEK] as number;
      if (season !== null) m *= season[Math.floor(t / 24) % DAYS_PER_YEAR] as number;
      return m;
    },
  };
}
