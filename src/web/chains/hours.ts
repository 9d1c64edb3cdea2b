// Opening hours, demand by hour and season, and staff rosters of a delivery chain (issue 13, point
// 4): the chain page's week chart (new cases and staff on duty across the week, an SVG with a table
// of the same figures) and the "Opening hours and rosters" form, one table of weekdays × hours per
// stage, that works without JavaScript. Every number is bounded and every error names its field;
// the engine's parseChain checks the result before it is saved (audited as chain.updated).
import type { FastifyPluginAsync } from 'fastify';
import {
  HOURS_PER_CALENDAR_WEEK,
  WEEKDAYS,
  clockHours,
  dayName,
  describeShift,
  hourlyValues,
  staffResources,
  weeklyDemand,
} from '../../domain/chain/index.ts';
import type { DeliveryChain, Weekday, WeeklySchedule } from '../../domain/chain/index.ts';
import { FieldReader, draftOf, formValues, issueErrors } from './edit.ts';
import type { FormErrors } from '../forms.ts';
import { requireRole } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { chainFrom, editCrumbs, saveDraft } from './shared.ts';
import { notFound } from '../plugins/errors.ts';
import {
  escapeXml,
  BLUE,
  GRID_COLOUR as GRID,
  TEXT_COLOUR as TEXT,
  SECONDARY_TEXT_COLOUR as SECONDARY,
} from '../charts/svg.ts';
import { num } from './format.ts';

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
const LINE_STYLES = [
  { colour: '#d4351c', dash: '' },
  { colour: '#00703c', dash: '8 4' },
  { colour: '#4c2c92', dash: '3 3' },
  { colour: '#f47738', dash: '12 4 3 4' },
  { colour: '#0b0c0c', dash: '1 4' },
];
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Blocks of a day with someone on duty, from the roster's own times: "09:00–16:30: 4". */
function dayBlocks(
  schedule: WeeklySchedule,
  day: number,
): { from: string; to: string; value: number }[] {
  const clock = (h: number): string => {
    const minutes = Math.round(h * 60);
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  };
  const out: { from: string; to: string; value: number }[] = [];
  const n = schedule.starts.length;
  for (let k = 0; k < n; k++) {
    const a = Math.max(schedule.starts[k] as number, day * 24);
    const b = Math.min(k + 1 < n ? (schedule.starts[k + 1] as number) : 168, day * 24 + 24);
    const value = schedule.values[k] as number;
    if (b > a && value > 0) out.push({ from: clock(a - day * 24), to: clock(b - day * 24), value });
  }
  return out;
}

interface Series {
  readonly name: string;
  readonly hourly: Float64Array;
  readonly schedule: WeeklySchedule;
}

function weekSeries(chain: DeliveryChain): {
  demand: Float64Array;
  staff: Series[];
  perWeek: number;
} {
  const perWeek = chain.demand.reduce(
    (s, d) => s + (d.per === 'week' ? d.rate : d.rate * chain.hoursPerWeek),
    0,
  );
  const m = weeklyDemand(chain.calendar);
  const demand = Float64Array.from({ length: HOURS_PER_CALENDAR_WEEK }, (_, h) =>
    chain.calendar === undefined ? 0 : (perWeek / HOURS_PER_CALENDAR_WEEK) * (m?.[h] ?? 1),
  );
  const { resources } = staffResources(chain);
  const staff = resources
    .filter((r) => r.staffing.rostered || r.pool)
    .map((r) => ({
      name: r.pool ? `${r.name} (shared by ${r.stages.length} stages)` : r.name,
      hourly: hourlyValues(r.staffing.schedule),
      schedule: r.staffing.schedule,
    }));
  return { demand, staff, perWeek };
}

/** The week chart and its table for the chain page; null when the chain has no opening hours. */
export function weekView(chain: DeliveryChain) {
  if (chain.calendar === undefined && (chain.pools?.length ?? 0) === 0) return null;
  const { demand, staff, perWeek } = weekSeries(chain);
  const unit = chain.unitOfWork.plural;
  const left = 56;
  const plotW = 504;
  const panel = 110;
  const top1 = 40;
  const top2 = top1 + panel + 50;
  const legendTop = top2 + panel + 34;
  const height = legendTop + staff.length * 20 + 10;
  const width = left + plotW + 20;
  const sx = (h: number): number => left + (h / HOURS_PER_CALENDAR_WEEK) * plotW;
  const dMax = Math.max(1e-9, ...demand);
  const sMax = Math.max(1, ...staff.flatMap((s) => Array.from(s.hourly)));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="week-title week-desc" width="100%" viewBox="0 0 ${width} ${height}" font-family="Arial, Helvetica, sans-serif" font-size="14">`,
    `<title id="week-title">New ${escapeXml(unit)} and staff on duty across the week</title>`,
    `<desc id="week-desc">${escapeXml(
      `Top: new ${unit} an hour, from Monday to Sunday (${num(perWeek, 1)} a week on average). Bottom: staff on duty at ${staff.map((s) => s.name).join(', ') || 'no rostered stage'}. The table below gives the same figures day by day.`,
    )}</desc>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="${top1 - 14}" font-size="13" fill="${TEXT}">New ${escapeXml(unit)} an hour</text>`,
    `<text x="${left}" y="${top2 - 14}" font-size="13" fill="${TEXT}">Staff on duty</text>`,
  ];
  for (const [top, max, label] of [
    [top1, dMax, (v: number) => num(v, v < 10 ? 1 : 0)],
    [top2, sMax, (v: number) => num(v, 0)],
  ] as const) {
    out.push(
      `<line x1="${left}" y1="${top + panel}" x2="${left + plotW}" y2="${top + panel}" stroke="${TEXT}"/>`,
      `<text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="12" fill="${SECONDARY}">${escapeXml(label(max))}</text>`,
      `<text x="${left - 6}" y="${top + panel + 4}" text-anchor="end" font-size="12" fill="${SECONDARY}">0</text>`,
    );
    for (let d = 0; d <= 7; d++) {
      out.push(
        `<line x1="${sx(d * 24)}" y1="${top}" x2="${sx(d * 24)}" y2="${top + panel}" stroke="${GRID}"/>`,
      );
      if (d < 7) {
        out.push(
          `<text x="${sx(d * 24 + 12)}" y="${top + panel + 16}" text-anchor="middle" font-size="12" fill="${SECONDARY}">${dayName(WEEKDAYS[d] ?? 'mon').slice(0, 3)}</text>`,
        );
      }
    }
  }
  for (let h = 0; h < HOURS_PER_CALENDAR_WEEK; h++) {
    const v = demand[h] as number;
    if (v <= 0) continue;
    const barH = (v / dMax) * panel;
    out.push(
      `<rect x="${sx(h)}" y="${top1 + panel - barH}" width="${plotW / HOURS_PER_CALENDAR_WEEK}" height="${barH}" fill="${BLUE}"/>`,
    );
  }
  staff.forEach((s, k) => {
    const style = LINE_STYLES[k % LINE_STYLES.length] ?? { colour: TEXT, dash: '' };
    const sy = (v: number): number => top2 + panel - (v / sMax) * panel;
    const points: string[] = [];
    const n = s.schedule.starts.length;
    for (let k = 0; k < n; k++) {
      const v = s.schedule.values[k] as number;
      const a = s.schedule.starts[k] as number;
      const b = k + 1 < n ? (s.schedule.starts[k + 1] as number) : HOURS_PER_CALENDAR_WEEK;
      points.push(`${sx(a)},${sy(v)}`, `${sx(b)},${sy(v)}`);
    }
    out.push(
      `<polyline points="${points.join(' ')}" fill="none" stroke="${style.colour}" stroke-width="2.5"${style.dash === '' ? '' : ` stroke-dasharray="${style.dash}"`}/>`,
      `<line x1="${left}" y1="${legendTop + k * 20}" x2="${left + 30}" y2="${legendTop + k * 20}" stroke="${style.colour}" stroke-width="3"${style.dash === '' ? '' : ` stroke-dasharray="${style.dash}"`}/>`,
      `<text x="${left + 38}" y="${legendTop + k * 20 + 5}" font-size="13" fill="${TEXT}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</svg>');

  const head = [
    { text: 'Day' },
    { text: `New ${unit} (share of the week)`, format: 'numeric' },
    ...staff.map((s) => ({ text: `${s.name}: on duty` })),
  ];
  const rows = WEEKDAYS.map((day, d) => {
    let dayDemand = 0;
    for (let h = d * 24; h < d * 24 + 24; h++) dayDemand += demand[h] as number;
    return [
      { text: dayName(day) },
      {
        text:
          perWeek > 0
            ? `${num(dayDemand, 1)} (${num((dayDemand / perWeek) * 100, 0)}%)`
            : num(dayDemand, 1),
        format: 'numeric',
      },
      ...staff.map((s) => {
        const blocks = dayBlocks(s.schedule, d);
        return {
          text:
            blocks.length === 0
              ? 'Nobody'
              : blocks
                  .map(
                    (b) => `${b.from}–${b.to}: ${num(b.value, Number.isInteger(b.value) ? 0 : 1)}`,
                  )
                  .join('; '),
        };
      }),
    ];
  });
  const notes: string[] = [];
  if (chain.calendar?.season !== undefined)
    notes.push('Demand also varies by season (not drawn: the chart shows an average week).');
  if ((chain.calendar?.closures?.length ?? 0) > 0)
    notes.push(
      `Closed: ${(chain.calendar?.closures ?? []).map((c) => `${c.name} (${c.from} to ${c.to})`).join(', ')}.`,
    );
  return {
    chart: out.join(''),
    table: { caption: `New ${unit} and staff on duty, day by day`, head, rows },
    notes,
  };
}

// ---- the form ----

type Values = Record<string, string>;

const stageField = (stage: string, day: Weekday, part: 'from' | 'to' | 'servers'): string =>
  `roster-${stage}-${day}-${part}`;

/** Whether a roster can be shown on the form: at most one shift a day. */
function oneShiftADay(roster: {
  readonly shifts: readonly { readonly days: readonly Weekday[] }[];
}): boolean {
  const seen = new Set<string>();
  for (const shift of roster.shifts) {
    for (const day of shift.days) {
      if (seen.has(day)) return false;
      seen.add(day);
    }
  }
  return true;
}

/** 09:00 plus a fifth of the working week, to the minute (37.5 hours → 16:30). */
function suggestedEnd(hoursPerWeek: number): string {
  const minutes = Math.round((9 + Math.min(15, hoursPerWeek / 5)) * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function formValuesOf(chain: DeliveryChain): Values {
  const v: Values = { mode: chain.calendar === undefined ? 'none' : 'roster' };
  const bands = chain.calendar?.weekly?.bands;
  for (const band of bands ?? []) {
    for (const day of band.days) {
      v[`demand-${day}-from`] = band.from;
      v[`demand-${day}-to`] = band.to;
      v[`demand-${day}-level`] = String(band.multiplier);
    }
  }
  if (chain.calendar?.weekly?.otherwise !== undefined)
    v['demand-otherwise'] = String(chain.calendar.weekly.otherwise);
  chain.calendar?.season?.months?.forEach((m, k) => {
    v[`month-${k + 1}`] = String(m);
  });
  for (const stage of chain.stages) {
    if (stage.pool !== undefined) continue;
    const shifts =
      stage.roster?.shifts ??
      (chain.calendar === undefined
        ? // A suggestion when opening hours are first set: today's staff on weekdays from 09:00
          // for a fifth of the working week, so capacity is unchanged until the user says more.
          [
            {
              days: WEEKDAYS.slice(0, 5),
              from: '09:00',
              to: suggestedEnd(chain.hoursPerWeek),
              servers: stage.servers,
            },
          ]
        : []);
    for (const shift of shifts) {
      for (const day of shift.days) {
        v[stageField(stage.id, day, 'from')] = shift.from;
        v[stageField(stage.id, day, 'to')] = shift.to;
        v[stageField(stage.id, day, 'servers')] = String(shift.servers);
      }
    }
  }
  return v;
}

function readClock(r: FieldReader, field: string, what: string): string | undefined {
  const raw = r.body[field];
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return undefined;
  const padded = /^\d:\d\d$/.test(text) ? `0${text}` : text;
  if (!CLOCK.test(padded)) {
    r.fail(field, `${what} must be a 24-hour time such as 09:00 or 17:30`);
    return undefined;
  }
  return padded;
}

/** One row of the day table: both times or neither, the end after the start. */
function readBlock(
  r: FieldReader,
  prefix: string,
  what: string,
): { from: string; to: string } | null {
  const from = readClock(r, `${prefix}-from`, `The start on ${what}`);
  const to = readClock(r, `${prefix}-to`, `The end on ${what}`);
  if (from === undefined && to === undefined) return null;
  if (from === undefined) {
    if (String(r.body[`${prefix}-from`] ?? '').trim() === '')
      r.fail(`${prefix}-from`, `Enter the start on ${what}, or clear the end`);
    return null;
  }
  if (to === undefined) {
    if (String(r.body[`${prefix}-to`] ?? '').trim() === '')
      r.fail(`${prefix}-to`, `Enter the end on ${what}, or clear the start`);
    return null;
  }
  if (clockHours(to) <= clockHours(from)) {
    r.fail(`${prefix}-to`, `The end on ${what} must be after the start (${from})`);
    return null;
  }
  return { from, to };
}

type Draft = ReturnType<typeof draftOf>;

/** Both times of a row left empty (so a number beside them has no hours to go with). */
function blankBlock(r: FieldReader, prefix: string): boolean {
  const empty = (field: string): boolean => String(r.body[field] ?? '').trim() === '';
  return empty(`${prefix}-from`) && empty(`${prefix}-to`);
}

/** Reads the form into the draft; returns the errors or null. */
function readHours(
  chain: DeliveryChain,
  body: Record<string, unknown>,
  draft: Draft,
): FormErrors | null {
  const r = new FieldReader(body);
  const mode = r.choice(
    'mode',
    ['none', 'roster'] as const,
    'Select whether staff work to opening hours',
  );
  if (r.errors !== null) return r.errors;
  if (mode === 'none') {
    // Back to working hours: the same staff every working hour, no calendar.
    const wasCalendar = chain.calendar !== undefined;
    delete draft.calendar;
    for (const s of draft.stages) delete s.roster;
    for (const p of draft.pools ?? []) delete p.roster;
    if (wasCalendar) draft.hoursPerWeek = 37.5;
    return null;
  }
  // Demand by hour of the week: one band a day.
  const bands: { days: Weekday[]; from: string; to: string; multiplier: number }[] = [];
  for (const day of WEEKDAYS) {
    const block = readBlock(r, `demand-${day}`, `${dayName(day)} (new cases)`);
    const level = r.optionalNumber(`demand-${day}-level`, `how busy ${dayName(day)} is`, {
      min: 0,
      max: 1000,
    });
    if (block !== null) bands.push({ days: [day], ...block, multiplier: level ?? 1 });
    else if (level !== undefined && blankBlock(r, `demand-${day}`))
      r.fail(
        `demand-${day}-from`,
        `Enter the hours new cases arrive on ${dayName(day)}, or clear how busy it is`,
      );
  }
  const otherwise = r.optionalNumber('demand-otherwise', 'how busy the other hours are', {
    min: 0,
    max: 1000,
  });
  const months = MONTHS.map((name, k) =>
    r.optionalNumber(`month-${k + 1}`, `how busy ${name} is`, { min: 0, max: 1000 }),
  );
  if (months.some((m) => m !== undefined) && months.some((m) => m === undefined)) {
    const k = months.findIndex((m) => m === undefined);
    r.fail(`month-${k + 1}`, `Enter how busy ${MONTHS[k] ?? ''} is, or clear every month`);
  }
  const rosters = new Map<
    string,
    { days: Weekday[]; from: string; to: string; servers: number }[]
  >();
  for (const stage of chain.stages) {
    if (stage.pool !== undefined) continue;
    const shifts: { days: Weekday[]; from: string; to: string; servers: number }[] = [];
    for (const day of WEEKDAYS) {
      const prefix = `roster-${stage.id}-${day}`;
      const what = `${dayName(day)} at ${stage.name}`;
      const block = readBlock(r, prefix, what);
      const servers = r.optionalNumber(`${prefix}-servers`, `the staff on duty on ${what}`, {
        integer: true,
        min: 0,
        max: 1000,
      });
      if (block !== null) {
        if (servers === undefined)
          r.fail(`${prefix}-servers`, `Enter the staff on duty on ${what}`);
        else shifts.push({ days: [day], ...block, servers });
      } else if (servers !== undefined && servers > 0 && blankBlock(r, prefix)) {
        r.fail(`${prefix}-from`, `Enter the hours on ${what}, or clear the staff on duty`);
      }
    }
    if (shifts.length > 0 && shifts.every((s) => s.servers === 0)) {
      r.fail(
        `roster-${stage.id}-mon-servers`,
        `${stage.name} has nobody on duty at any time: enter the staff on duty, or clear the table for staff round the clock`,
      );
    }
    rosters.set(stage.id, shifts);
  }
  if (r.errors !== null) return r.errors;
  if (chain.calendar === undefined) {
    // Calendar hours from now on: demand given per working hour is restated per week.
    for (const d of draft.demand) {
      if (d.per === 'hour') {
        d.rate = d.rate * chain.hoursPerWeek;
        d.per = 'week';
      }
    }
  }
  draft.hoursPerWeek = HOURS_PER_CALENDAR_WEEK;
  const calendar: NonNullable<Draft['calendar']> = {
    ...(chain.calendar?.start === undefined ? {} : { start: chain.calendar.start }),
  };
  if (bands.length > 0) {
    // Days with the same hours and level are kept as one band.
    const merged: typeof bands = [];
    for (const b of bands) {
      const same = merged.find(
        (m) => m.from === b.from && m.to === b.to && m.multiplier === b.multiplier,
      );
      if (same !== undefined) same.days.push(...b.days);
      else merged.push({ ...b, days: [...b.days] });
    }
    calendar.weekly = { bands: merged, otherwise: otherwise ?? 0 };
  }
  if (months.every((m) => m !== undefined)) calendar.season = { months: months as number[] };
  else if (chain.calendar?.season?.terms !== undefined) {
    calendar.season = JSON.parse(JSON.stringify(chain.calendar.season)) as NonNullable<
      typeof calendar.season
    >;
  }
  if (chain.calendar?.closures !== undefined) {
    calendar.closures = JSON.parse(JSON.stringify(chain.calendar.closures)) as NonNullable<
      typeof calendar.closures
    >;
  }
  draft.calendar = calendar;
  for (const s of draft.stages) {
    const shifts = rosters.get(s.id);
    if (shifts === undefined) continue;
    const original = chain.stages.find((x) => x.id === s.id)?.roster;
    if (original !== undefined && !oneShiftADay(original)) continue; // kept as imported
    if (shifts.length === 0) delete s.roster;
    else {
      const merged: typeof shifts = [];
      for (const sh of shifts) {
        const same = merged.find(
          (m) => m.from === sh.from && m.to === sh.to && m.servers === sh.servers,
        );
        if (same !== undefined) same.days.push(...sh.days);
        else merged.push({ ...sh, days: [...sh.days] });
      }
      // Closures set in the chain's file (a court's vacations) are kept.
      s.roster = {
        shifts: merged,
        ...(s.roster?.closures === undefined ? {} : { closures: s.roster.closures }),
      };
    }
  }
  return null;
}

function hoursPage(chain: DeliveryChain, values: Values) {
  return {
    title: 'Opening hours and rosters',
    unit: chain.unitOfWork.plural,
    values,
    days: WEEKDAYS.map((d) => ({ id: d, name: dayName(d) })),
    months: MONTHS.map((name, k) => ({ name, field: `month-${k + 1}` })),
    stages: chain.stages.map((s) => ({
      id: s.id,
      name: s.name,
      servers: s.servers,
      pool:
        s.pool === undefined ? null : (chain.pools?.find((p) => p.id === s.pool)?.name ?? s.pool),
      fixed: s.roster !== undefined && !oneShiftADay(s.roster),
      shifts: s.roster?.shifts.map((sh) => describeShift(sh)) ?? [],
    })),
    pools: (chain.pools ?? []).map((p) => ({
      name: p.name,
      servers: p.servers,
      shifts: p.roster?.shifts.map((sh) => describeShift(sh)) ?? [],
    })),
    hasTerms: chain.calendar?.season?.terms !== undefined,
    wasWorkingHours: chain.calendar === undefined ? chain.hoursPerWeek : null,
  };
}

export const chainHoursRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const lead = { preHandler: requireRole('lead') };

  app.get('/chains/:id/hours', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    return reply.page('pages/chains/hours.njk', {
      ...hoursPage(stored.model, formValuesOf(stored.model)),
      stored,
      breadcrumbs: editCrumbs(stored, 'Opening hours and rosters'),
    });
  });

  app.post('/chains/:id/hours', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    const chain = stored.model;
    const body = formValues(request.body);
    const values: Values = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') values[k] = v;
    const again = (e: FormErrors) => {
      reply.code(400);
      return reply.page('pages/chains/hours.njk', {
        ...hoursPage(chain, values),
        stored,
        errors: e.list,
        fieldErrors: e.byField,
        breadcrumbs: editCrumbs(stored, 'Opening hours and rosters'),
      });
    };
    const draft = draftOf(chain);
    const errors = readHours(chain, body, draft);
    if (errors !== null) return again(errors);
    const saved = await saveDraft(request, stored, draft, 'chain.updated', { part: 'hours' });
    if (!saved.ok) return again(issueErrors(saved.issues, 'mode'));
    reply.flash('Opening hours and rosters saved');
    return reply.redirect(`/chains/${stored.id}#week`, 303);
  });
};
