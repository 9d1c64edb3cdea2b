// Closed forms under rosters (issue 13, point 4): a stage's queue when its staff work to a roster,
// and the plain-words statements of what the formulas assume and where to trust the simulation.
// Capacity is the average servers on duty × service rate (paper section 3.2: the bottleneck is the
// stage with the least capacity for its load); waiting is the fluid backlog of the week (work that
// piles up while nobody is on duty, cleared at the rate of the staff on duty) plus, for work that
// finds a clear desk, the M/M/c (Allen–Cunneen) wait of the opening hours.
import { WEEKDAYS, dayName } from './calendar.ts';
import type { DeliveryChain } from './model.ts';
import { stageQueue } from './queueing.ts';
import type { StageQueue } from './queueing.ts';
import type { StageRoster } from './rosters.ts';
import { duration, pct } from './explain.ts';

/** A stage's mean wait, time in stage and cases there when its staff work to a roster. */
export function rosterQueue(
  arrivalRate: number,
  roster: StageRoster,
  meanService: number,
  scv: number,
): StageQueue {
  const utilisation =
    roster.effectiveServers > 0 ? (arrivalRate * meanService) / roster.effectiveServers : Infinity;
  const exact = false;
  if (!(utilisation < 1) || roster.backlogWaitHours === null) {
    return { utilisation, waiting: Infinity, sojourn: Infinity, wip: Infinity, exact };
  }
  const openShare = Math.max(1e-9, roster.openHoursPerWeek / 168);
  // The queue of the opening hours: the week's work arrives in them, to the staff on duty then.
  const open = stageQueue(
    arrivalRate / openShare,
    roster.effectiveServers / openShare,
    meanService,
    scv,
  );
  const waiting =
    roster.backlogWaitHours +
    roster.clearShare * (Number.isFinite(open.waiting) ? open.waiting : 0);
  const sojourn = waiting + meanService;
  return { utilisation, waiting, sojourn, wip: arrivalRate * sojourn, exact };
}

/** "Monday 09:00" for an hour of the week. */
export function hourOfWeekName(hour: number): string {
  const day = WEEKDAYS[Math.floor(hour / 24) % 7] ?? 'mon';
  const h = Math.floor(hour % 24);
  return `${dayName(day)} ${String(h).padStart(2, '0')}:00`;
}

/** What the closed forms assume when staff work to rosters, and where to trust the simulation. */
export function describeRosterAssumptions(
  chain: DeliveryChain,
  stages: readonly {
    readonly name: string;
    readonly utilisation: number;
    readonly roster?: StageRoster;
  }[],
): string[] {
  const out: string[] = [];
  if (chain.calendar !== undefined) {
    out.push(
      'Approximate: staff work to rosters, so the clock runs in calendar hours (168 a week). Capacity is the average number of staff on duty over the week × the service rate; waiting adds the work that piles up while nobody is on duty (nights, weekends, closures averaged over the year) to the queue of the opening hours. Trust the simulation for waiting and lead time: it follows the rosters hour by hour.',
    );
    const paused = chain.stages.filter((s) => s.atShiftEnd === 'pause').map((s) => s.name);
    const finished = chain.stages.filter(
      (s) => s.atShiftEnd !== 'pause' && (s.roster !== undefined || s.pool !== undefined),
    );
    if (finished.length > 0 || paused.length === 0) {
      out.push(
        `${paused.length > 0 ? `At ${finished.map((s) => s.name).join(', ')}, a` : 'A'} case in service when a shift ends is finished (non-preemptive, the usual rule for short casework); no new case starts until staff are on duty again.`,
      );
    }
    if (paused.length > 0) {
      out.push(
        `At ${paused.join(', ')}, work in hand when a shift ends is put down and picked up again at the next shift with the work left on it (a file that takes more than a day), so no work is done off duty.`,
      );
    }
    const weekly = chain.calendar.weekly !== undefined;
    const season = chain.calendar.season !== undefined;
    if (weekly || season) {
      out.push(
        `Demand varies ${[weekly ? 'by hour of the week' : '', season ? 'by season' : ''].filter((x) => x !== '').join(' and ')}: the multipliers are scaled to average 1, so each stated rate is the average rate over the ${season ? 'year' : 'week'}, and the simulation draws arrivals from that pattern (thinning).`,
      );
    }
    const own = [...chain.stages, ...(chain.pools ?? [])].flatMap((x) =>
      (x.roster?.closures ?? []).map((c) => `${c.name} (${x.name})`),
    );
    const all = [...(chain.calendar.closures ?? []).map((c) => c.name), ...own];
    if (all.length > 0) {
      out.push(
        `Approximate: closures (${all.join(', ')}) take rostered staff off duty while demand continues. The formulas spread them over the year as lost capacity; the backlog that builds during a long closure and the weeks it takes to clear show only in the simulation.`,
      );
    }
  }
  const pools = new Map<string, string[]>();
  stages.forEach((s) => {
    const pool = s.roster?.pool;
    if (pool != null) pools.set(pool.name, [...(pools.get(pool.name) ?? []), s.name]);
  });
  for (const [pool, names] of pools) {
    out.push(
      `${pool} is a shared pool of staff serving ${names.join(', ')}: first come, first served across those stages (the oldest case waiting at any of them is taken next), and the analytics share its staff between them in proportion to their work.`,
    );
  }
  const seen = new Set<string>();
  for (const s of stages) {
    const r = s.roster;
    if (r === undefined || r.peakUtilisation === null || r.peakHourOfWeek === null) continue;
    const key = r.pool?.id ?? s.name;
    if (seen.has(key)) continue;
    seen.add(key);
    if (s.utilisation < 1 && r.peakUtilisation > 1) {
      out.push(
        `Approximate: ${r.pool?.name ?? s.name} keeps up over the week (${pct(s.utilisation)} of capacity) but not at its busiest staffed hour (${hourOfWeekName(r.peakHourOfWeek)}: ${pct(r.peakUtilisation)} of the staff on duty then), so a queue builds at peaks and clears later. The weekly average hides this; trust the simulation.`,
      );
    }
    if (r.offDutyWaitHours >= 1) {
      out.push(
        `${s.name}: work reaching it while nobody is on duty waits ${duration(r.offDutyWaitHours, chain.hoursPerWeek)} on average for staff to come on duty.`,
      );
    }
  }
  return out;
}
