// Rosters and shared staff of a chain (issue 13, point 4): the checks a calendar needs, who serves
// each stage (its own staff or a pool), the effective capacity the closed forms use (average
// servers on duty × service rate, a pool shared by load), the peak-hour loading they cannot see,
// and the time a case waits because nobody is on duty. Pure functions over a parsed chain.
import {
  HOURS_PER_CALENDAR_WEEK,
  averageOnDuty,
  blockProblem,
  closedDays,
  constantStaffing,
  hourlyValues,
  scheduleOpenHours,
  staffingOf,
  weeklyDemand,
} from './calendar.ts';
import type { RosterRo, Staffing } from './calendar.ts';
import type { ChainIssue, DeliveryChain } from './model.ts';

/** Who serves a set of stages: a stage's own staff or a shared pool. */
export interface StaffResource {
  readonly id: string;
  readonly name: string;
  /** Indexes of the stages it serves. */
  readonly stages: readonly number[];
  readonly staffing: Staffing;
  readonly costPerServerHour: number;
  readonly pool: boolean;
  /** Closure days (chain-wide and the roster's own) of rostered staff, from the start; else null. */
  readonly closed: Uint8Array | null;
}

/** Closure days of rostered staff (none for staff round the clock, or without a calendar). */
function closuresOf(chain: DeliveryChain, roster: RosterRo | undefined): Uint8Array | null {
  if (chain.calendar === undefined || roster === undefined) return null;
  return closedDays(chain.calendar, roster.closures ?? []);
}

/** True when the chain has a calendar or shares staff: the simulator then follows rosters. */
export function hasRota(chain: DeliveryChain): boolean {
  return (
    chain.calendar !== undefined ||
    chain.stages.some((s) => s.pool !== undefined) ||
    (chain.pools?.length ?? 0) > 0
  );
}

/** Every stage's staff: its own (roster or round the clock) or its pool's. */
export function staffResources(chain: DeliveryChain): {
  readonly resources: readonly StaffResource[];
  readonly resourceOf: readonly number[];
} {
  const resources: StaffResource[] = [];
  const resourceOf: number[] = [];
  const poolIndex = new Map<string, number>();
  for (const pool of chain.pools ?? []) {
    poolIndex.set(pool.id, resources.length);
    resources.push({
      id: pool.id,
      name: pool.name,
      stages: [],
      staffing:
        chain.calendar === undefined
          ? constantStaffing(pool.servers)
          : staffingOf(pool.roster, pool.servers),
      costPerServerHour: pool.costPerServerHour ?? 0,
      pool: true,
      closed: closuresOf(chain, pool.roster),
    });
  }
  chain.stages.forEach((stage, i) => {
    const p = stage.pool === undefined ? undefined : poolIndex.get(stage.pool);
    if (p !== undefined) {
      (resources[p]?.stages as number[]).push(i);
      resourceOf.push(p);
      return;
    }
    resourceOf.push(resources.length);
    resources.push({
      id: stage.id,
      name: stage.name,
      stages: [i],
      staffing:
        chain.calendar === undefined
          ? constantStaffing(stage.servers)
          : staffingOf(stage.roster, stage.servers),
      costPerServerHour: stage.costPerServerHour,
      pool: false,
      closed: closuresOf(chain, stage.roster),
    });
  });
  return { resources, resourceOf };
}

function checkRoster(roster: RosterRo, owner: string, path: string): ChainIssue[] {
  const issues: ChainIssue[] = [];
  roster.shifts.forEach((shift, k) => {
    const problem = blockProblem(shift);
    if (problem !== null) {
      issues.push({ path: `${path}.shifts.${k}`, message: `${owner}: shift ${k + 1} ${problem}` });
    }
  });
  if (issues.length === 0 && roster.shifts.every((s) => s.servers === 0)) {
    issues.push({
      path: `${path}.shifts`,
      message: `${owner}: the roster has nobody on duty at any time, so no work could ever be done`,
    });
  }
  return issues;
}

/** Checks of calendars, rosters and pools, naming the stage or pool. */
export function checkCalendar(chain: DeliveryChain): ChainIssue[] {
  const issues: ChainIssue[] = [];
  const calendar = chain.calendar;
  if (calendar !== undefined && chain.hoursPerWeek !== HOURS_PER_CALENDAR_WEEK) {
    issues.push({
      path: 'hoursPerWeek',
      message: `a chain with a calendar counts time in calendar hours: hoursPerWeek must be 168, not ${chain.hoursPerWeek}`,
    });
  }
  if (calendar?.start !== undefined && Number.isNaN(Date.parse(`${calendar.start}T00:00:00Z`))) {
    issues.push({
      path: 'calendar.start',
      message: `calendar start "${calendar.start}" is not a date`,
    });
  }
  calendar?.weekly?.bands?.forEach((band, k) => {
    const problem = blockProblem(band);
    if (problem !== null)
      issues.push({
        path: `calendar.weekly.bands.${k}`,
        message: `demand band ${k + 1} ${problem}`,
      });
  });
  if (calendar?.weekly !== undefined && weeklyDemand(calendar) === null) {
    issues.push({
      path: 'calendar.weekly',
      message: 'the weekly demand pattern has no hour with demand (every multiplier is 0)',
    });
  }
  const poolIds = new Set<string>();
  (chain.pools ?? []).forEach((pool, k) => {
    if (poolIds.has(pool.id) || chain.stages.some((s) => s.id === pool.id)) {
      issues.push({
        path: `pools.${k}.id`,
        message: `pool "${pool.id}": id is already used by a stage or pool`,
      });
    }
    poolIds.add(pool.id);
    if (pool.roster !== undefined) {
      if (calendar === undefined) {
        issues.push({
          path: `pools.${k}.roster`,
          message: `pool "${pool.id}": a roster needs a calendar (opening hours) on the chain`,
        });
      } else issues.push(...checkRoster(pool.roster, `pool "${pool.id}"`, `pools.${k}.roster`));
    }
  });
  chain.stages.forEach((stage, i) => {
    const owner = `stage "${stage.id}"`;
    if (stage.pool !== undefined && !poolIds.has(stage.pool)) {
      issues.push({
        path: `stages.${i}.pool`,
        message: `${owner}: shares staff pool "${stage.pool}", which is not a pool`,
      });
    }
    if (stage.roster === undefined) return;
    if (calendar === undefined) {
      issues.push({
        path: `stages.${i}.roster`,
        message: `${owner}: a roster needs a calendar (opening hours) on the chain`,
      });
    } else if (stage.pool !== undefined) {
      issues.push({
        path: `stages.${i}.roster`,
        message: `${owner}: shares pool "${stage.pool}", so the pool's roster applies, not its own`,
      });
    } else issues.push(...checkRoster(stage.roster, owner, `stages.${i}.roster`));
  });
  chain.interventions.forEach((intervention, i) => {
    intervention.changes.forEach((change, j) => {
      if (change.kind !== 'setRoster' && change.kind !== 'extendHours') return;
      const path = `interventions.${i}.changes.${j}`;
      const owner = `intervention "${intervention.id}"`;
      if (calendar === undefined) {
        issues.push({ path, message: `${owner}: a roster change needs a calendar on the chain` });
      }
      if ((change.stage === undefined) === (change.pool === undefined)) {
        issues.push({ path, message: `${owner}: a roster change names either a stage or a pool` });
      } else if (change.pool !== undefined && !poolIds.has(change.pool)) {
        issues.push({
          path,
          message: `${owner}: changes pool "${change.pool}", which is not a pool`,
        });
      }
      const problem =
        change.kind === 'extendHours'
          ? blockProblem(change.shift)
          : change.roster.shifts.map(blockProblem).find((p) => p !== null);
      if (problem !== undefined && problem !== null) {
        issues.push({ path, message: `${owner}: a shift ${problem}` });
      }
    });
  });
  return issues;
}

/** What rosters do to one stage, for the closed forms and the page. */
export interface StageRoster {
  /** Average servers on duty over the year (the pool's share by load for a pooled stage). */
  readonly effectiveServers: number;
  /** Hours a week with someone on duty. */
  readonly openHoursPerWeek: number;
  /** True when the stage works to a roster or shares a pool (not the same staff round the clock). */
  readonly rostered: boolean;
  /** Most servers on duty at once (the busiest shift; a pool's total). */
  readonly maxOnDuty: number;
  /** Highest utilisation in any staffed hour of the week (demand pattern × roster); null if unknown. */
  readonly peakUtilisation: number | null;
  /** The hour of the week (Monday 00:00 = 0) of that peak. */
  readonly peakHourOfWeek: number | null;
  /** Mean hours a case arriving at the stage waits because nobody is on duty. */
  readonly offDutyWaitHours: number;
  /** Id and name of the pool it shares, if any. */
  readonly pool: { readonly id: string; readonly name: string } | null;
  /**
   * Mean wait behind the work that piles up while nobody is on duty (a fluid model of the week:
   * work arrives by hour of the week and is cleared at the rate of the staff on duty), hours; null
   * when the staff cannot keep up over the week.
   */
  readonly backlogWaitHours: number | null;
  /** Share of the work that arrives when staff are on duty and nothing is piled up. */
  readonly clearShare: number;
}

/** Fluid model of one week, repeated until it settles: mean wait and the share arriving to a clear desk. */
function fluidWeek(
  work: Float64Array,
  onDuty: Float64Array,
  meanServers: number,
): { wait: number | null; clear: number } {
  const total = work.reduce((s, x) => s + x, 0);
  if (total <= 0) return { wait: 0, clear: 1 };
  if (total >= meanServers * HOURS_PER_CALENDAR_WEEK * (1 - 1e-9)) return { wait: null, clear: 0 };
  const steps = 10;
  const dt = 1 / steps;
  let backlog = 0;
  let area = 0;
  let clear = 0;
  for (let week = 0; week < 20; week++) {
    const before = backlog;
    area = 0;
    clear = 0;
    for (let h = 0; h < HOURS_PER_CALENDAR_WEEK; h++) {
      const inflow = work[h] as number;
      const c = onDuty[h] as number;
      for (let k = 0; k < steps; k++) {
        if (backlog <= 1e-12 && c > inflow) clear += inflow * dt;
        backlog = Math.max(0, backlog + (inflow - c) * dt);
        area += backlog * dt;
      }
    }
    if (week > 0 && Math.abs(backlog - before) < 1e-9) break;
  }
  // Little's law in hours of work: mean work waiting / work arriving per hour = mean wait.
  return { wait: area / total, clear: clear / total };
}

/** Hours from the middle of each hour of the week until someone is next on duty (0 when on duty). */
function offDutyDelay(onDuty: Float64Array): Float64Array {
  const out = new Float64Array(HOURS_PER_CALENDAR_WEEK);
  if (!onDuty.some((x) => x > 0)) return out.fill(Infinity);
  for (let h = 0; h < HOURS_PER_CALENDAR_WEEK; h++) {
    if ((onDuty[h] as number) > 0) continue;
    let k = 1;
    while ((onDuty[(h + k) % HOURS_PER_CALENDAR_WEEK] as number) <= 0) k++;
    out[h] = k - 0.5;
  }
  return out;
}

/**
 * Effective capacity and roster effects per stage. `visitRate` (per hour) and `meanService`
 * (hours) come from the traffic equations; `predecessors[i]` lists (stage, rate) sending work to i.
 */
export function rosterEffects(
  chain: DeliveryChain,
  visitRate: ArrayLike<number>,
  meanService: readonly number[],
  externalRate: ArrayLike<number>,
  flows: readonly { readonly from: number; readonly to: number; readonly rate: number }[],
): StageRoster[] {
  const { resources, resourceOf } = staffResources(chain);
  const demand = weeklyDemand(chain.calendar);
  const hourly = resources.map((r) => hourlyValues(r.staffing.schedule));
  const average = resources.map((r) => averageOnDuty(r.staffing, r.closed));
  const load = chain.stages.map((_, i) => (visitRate[i] ?? 0) * (meanService[i] ?? 0));
  const resourceLoad = resources.map((r) => r.stages.reduce((s, i) => s + (load[i] ?? 0), 0));
  const delays = hourly.map(offDutyDelay);
  const openFraction = resources.map((r) =>
    hourlyValues({
      starts: r.staffing.schedule.starts,
      values: r.staffing.schedule.values.map((v) => (v > 0 ? 1 : 0)),
    }),
  );
  // When each stage's work arrives over the week: external demand follows the demand pattern;
  // work passed on from a stage arrives while that stage's staff are on duty.
  const arrivalShape = (i: number): Float64Array => {
    const shape = new Float64Array(HOURS_PER_CALENDAR_WEEK);
    const ext = externalRate[i] ?? 0;
    for (let h = 0; h < HOURS_PER_CALENDAR_WEEK; h++) shape[h] = ext * (demand?.[h] ?? 1);
    for (const f of flows) {
      if (f.to !== i || f.rate <= 0) continue;
      const on = openFraction[resourceOf[f.from] ?? 0] as Float64Array;
      const open = on.reduce((s, x) => s + x, 0);
      for (let h = 0; h < HOURS_PER_CALENDAR_WEEK; h++) {
        shape[h] = (shape[h] as number) + (f.rate * 168 * (on[h] as number)) / open;
      }
    }
    return shape;
  };
  const shapes = chain.stages.map((_, i) => arrivalShape(i));
  // Work reaching each staff resource in each hour of the week (stage loads in their arrival
  // shapes); work arriving while nobody is on duty waits, so the week's work is done in the staffed
  // hours, shared out in proportion to what arrives in them.
  const peaks = resources.map((res, r) => {
    if (chain.calendar === undefined) return { u: null, h: null, fluid: { wait: 0, clear: 1 } };
    const on = hourly[r] as Float64Array;
    const work = new Float64Array(HOURS_PER_CALENDAR_WEEK);
    for (const i of res.stages) {
      const shape = shapes[i] as Float64Array;
      const sum = shape.reduce((s, x) => s + x, 0);
      if (sum <= 0) continue;
      for (let h = 0; h < HOURS_PER_CALENDAR_WEEK; h++) {
        work[h] = (work[h] as number) + ((load[i] ?? 0) * (shape[h] as number) * 168) / sum;
      }
    }
    const all = work.reduce((s, x) => s + x, 0);
    // Share of each hour with someone on duty (a shift ending at 16:30 staffs half of 16:00–17:00).
    const frac = openFraction[r] as Float64Array;
    let open = 0;
    let openHours = 0;
    for (let h = 0; h < HOURS_PER_CALENDAR_WEEK; h++) {
      open += (work[h] as number) * (frac[h] as number);
      openHours += frac[h] as number;
    }
    let u: number | null = null;
    let at: number | null = null;
    for (let h = 0; h < HOURS_PER_CALENDAR_WEEK; h++) {
      const c = on[h] as number;
      if (c <= 0) continue;
      const f = frac[h] as number;
      const w =
        open > 0 ? ((work[h] as number) * f * all) / open : (all * f) / Math.max(1, openHours);
      const x = w / c;
      if (u === null || x > u + 1e-12) {
        u = x;
        at = h;
      }
    }
    const fluid = fluidWeek(work, on, scheduleMeanOf(on));
    return { u, h: at, fluid };
  });
  return chain.stages.map((_, i) => {
    const r = resourceOf[i] ?? 0;
    const res = resources[r];
    const share = (resourceLoad[r] ?? 0) > 0 ? (load[i] ?? 0) / (resourceLoad[r] as number) : 1;
    const effectiveServers = (average[r] ?? 0) * (res?.stages.length === 1 ? 1 : share);
    const shape = shapes[i] as Float64Array;
    const total = shape.reduce((s, x) => s + x, 0);
    let offDutyWaitHours = 0;
    if (total > 0) {
      const delay = delays[r] as Float64Array;
      for (let h = 0; h < HOURS_PER_CALENDAR_WEEK; h++) {
        offDutyWaitHours += ((shape[h] as number) / total) * (delay[h] as number);
      }
    }
    const peakUtilisation = peaks[r]?.u ?? null;
    const peakHourOfWeek = peaks[r]?.h ?? null;
    const fluid = peaks[r]?.fluid ?? { wait: 0, clear: 1 };
    return {
      effectiveServers,
      openHoursPerWeek: scheduleOpenHours(res?.staffing.schedule ?? constantStaffing(1).schedule),
      peakUtilisation,
      peakHourOfWeek,
      offDutyWaitHours,
      pool: res?.pool === true ? { id: res.id, name: res.name } : null,
      rostered: res?.pool === true || res?.staffing.rostered === true,
      maxOnDuty: Math.max(...(res?.staffing.schedule.values ?? [0])),
      backlogWaitHours: fluid.wait,
      clearShare: fluid.clear,
    };
  });
}

function scheduleMeanOf(hourly: Float64Array): number {
  return hourly.reduce((s, x) => s + x, 0) / HOURS_PER_CALENDAR_WEEK;
}
