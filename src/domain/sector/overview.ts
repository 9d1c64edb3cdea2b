// The sector view's time series (issue 15, point 8; paper section 4): AI incidents by just-culture
// class and the exchange's activity, by calendar quarter. Plain functions over plain rows.
//
// Incident counts describe events, not organisations, and the institution's incidents page already
// shows its all-time totals by class. What a time series adds is the chance to pin a quarter's
// reports on the one or two members that reported in it (a quarter in which only one member
// reported is that member's quarter). So periods are never hidden but WIDENED: consecutive quarters
// are merged until each period's reports come from at least the minimum number of distinct members
// (the benchmarks' minimum, 5 or the institution's higher figure). No count is dropped, so the
// periods always add up to the incidents page's totals, and because periods never overlap and each
// stands on at least the minimum number of members, no difference between two figures isolates a
// member (the differencing the benchmarks guard against). When all reports together come from
// fewer members than the minimum, there is one period: the totals the incidents page shows.
//
// Exchange items are published to the sector under the member's name, so their counts need no
// protection; they are counted by the quarter they were published in.
import type { ExchangeKind } from './exchange.ts';
import { EXCHANGE_KINDS } from './exchange.ts';
import { JUST_CULTURE_CLASSES, type IncidentKind, type JustCultureClass } from './incidents.ts';
import { MIN_ORGANISATIONS } from './disclosure.ts';

/** A calendar quarter, "2026-Q3". */
export type QuarterKey = `${number}-Q${1 | 2 | 3 | 4}`;

/** The quarter of an ISO date or timestamp ("2026-08-14…" → "2026-Q3"); undefined if unreadable. */
export function quarterKey(date: string): QuarterKey | undefined {
  const m = /^(\d{4})-(\d{2})/.exec(date);
  if (!m) return undefined;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  return `${Number(m[1])}-Q${Math.ceil(month / 3) as 1 | 2 | 3 | 4}`;
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

const parts = (q: QuarterKey): [number, number] => {
  const [year, quarter] = q.split('-Q');
  return [Number(year), Number(quarter)];
};

/** "July to September 2026". */
export function quarterWords(q: QuarterKey): string {
  const [year, n] = parts(q);
  return `${MONTHS[(n - 1) * 3]} to ${MONTHS[(n - 1) * 3 + 2]} ${year}`;
}

/** A run of quarters in words: one quarter as `quarterWords`, several as "July 2025 to March 2026". */
export function periodOfQuarters(from: QuarterKey, to: QuarterKey): string {
  if (from === to) return quarterWords(from);
  const [y1, n1] = parts(from);
  const [y2, n2] = parts(to);
  return `${MONTHS[(n1 - 1) * 3]} ${y1} to ${MONTHS[(n2 - 1) * 3 + 2]} ${y2}`;
}

/** The quarters from `from` to `to`, both included, in order. */
export function quartersBetween(from: QuarterKey, to: QuarterKey): QuarterKey[] {
  const out: QuarterKey[] = [];
  let [year, n] = parts(from);
  const [endYear, endN] = parts(to);
  while (year < endYear || (year === endYear && n <= endN)) {
    out.push(`${year}-Q${n as 1 | 2 | 3 | 4}`);
    n += 1;
    if (n > 4) {
      n = 1;
      year += 1;
    }
  }
  return out;
}

// ---- incidents ----

/** One count of reports: by month it happened, member (an opaque key), class (null: untriaged), kind. */
export interface IncidentCountRow {
  readonly month: string;
  readonly memberKey: string;
  readonly class: string | null;
  readonly kind: IncidentKind;
  readonly count: number;
}

export type ClassColumn = JustCultureClass | 'untriaged';
export const CLASS_COLUMNS: readonly ClassColumn[] = [...JUST_CULTURE_CLASSES, 'untriaged'];

export interface ClassCounts {
  readonly incidents: number;
  readonly nearMisses: number;
}

export interface IncidentPeriod {
  readonly from: QuarterKey;
  readonly to: QuarterKey;
  /** More than one quarter, merged so that its reports come from enough members. */
  readonly merged: boolean;
  readonly byClass: Readonly<Record<ClassColumn, ClassCounts>>;
  readonly total: number;
}

export interface IncidentSeries {
  readonly minimum: number;
  readonly periods: readonly IncidentPeriod[];
  /** The totals by class over every period (equal to the incidents page's). */
  readonly totals: Readonly<Record<ClassColumn, ClassCounts>>;
  readonly total: number;
  /** All reports together come from fewer members than the minimum: one period only. */
  readonly tooFewMembers: boolean;
  /** Whether any period had to be widened. */
  readonly widened: boolean;
}

const emptyCounts = (): Record<ClassColumn, { incidents: number; nearMisses: number }> =>
  Object.fromEntries(CLASS_COLUMNS.map((c) => [c, { incidents: 0, nearMisses: 0 }])) as Record<
    ClassColumn,
    { incidents: number; nearMisses: number }
  >;

const columnOf = (cls: string | null): ClassColumn =>
  cls !== null && (JUST_CULTURE_CLASSES as readonly string[]).includes(cls)
    ? (cls as JustCultureClass)
    : 'untriaged';

/**
 * Reports by class and period: calendar quarters, oldest first, each widened (merged with the
 * quarters after it, and a short last run with the period before) until its reports come from at
 * least `minimum` distinct members (never below `MIN_ORGANISATIONS`). Quarters with no reports
 * between the first and the last count as quarters with none.
 */
export function incidentSeries(
  rows: readonly IncidentCountRow[],
  minimum: number = MIN_ORGANISATIONS,
): IncidentSeries {
  const min = Math.max(minimum, MIN_ORGANISATIONS);
  const byQuarter = new Map<QuarterKey, IncidentCountRow[]>();
  for (const r of rows) {
    const q = quarterKey(r.month);
    if (!q || r.count <= 0) continue;
    byQuarter.set(q, [...(byQuarter.get(q) ?? []), r]);
  }
  const totals = emptyCounts();
  let total = 0;
  for (const r of rows) {
    if (r.count <= 0 || !quarterKey(r.month)) continue;
    const c = totals[columnOf(r.class)];
    if (r.kind === 'near_miss') c.nearMisses += r.count;
    else c.incidents += r.count;
    total += r.count;
  }
  const known = [...byQuarter.keys()].sort(compareQuarters);
  const first = known[0];
  const last = known.at(-1);
  if (!first || !last)
    return { minimum: min, periods: [], totals, total, tooFewMembers: false, widened: false };
  const quarters = quartersBetween(first, last);
  const everyone = new Set(rows.filter((r) => r.count > 0).map((r) => r.memberKey));
  const tooFewMembers = everyone.size < min;

  // Runs of quarters, each closed once enough distinct members stand behind it.
  const runs: QuarterKey[][] = [];
  let current: QuarterKey[] = [];
  let members = new Set<string>();
  for (const q of quarters) {
    current.push(q);
    for (const r of byQuarter.get(q) ?? []) members.add(r.memberKey);
    if (!tooFewMembers && members.size >= min) {
      runs.push(current);
      current = [];
      members = new Set();
    }
  }
  if (current.length > 0) {
    const previous = runs.pop();
    runs.push(previous ? [...previous, ...current] : current);
  }

  const periods = runs.map((run): IncidentPeriod => {
    const counts = emptyCounts();
    let sum = 0;
    for (const q of run)
      for (const r of byQuarter.get(q) ?? []) {
        const c = counts[columnOf(r.class)];
        if (r.kind === 'near_miss') c.nearMisses += r.count;
        else c.incidents += r.count;
        sum += r.count;
      }
    const from = run[0] as QuarterKey;
    const to = run.at(-1) as QuarterKey;
    return { from, to, merged: run.length > 1, byClass: counts, total: sum };
  });
  return {
    minimum: min,
    periods,
    totals,
    total,
    tooFewMembers,
    widened: periods.some((p) => p.merged),
  };
}

function compareQuarters(a: QuarterKey, b: QuarterKey): number {
  const [ya, na] = parts(a);
  const [yb, nb] = parts(b);
  return ya - yb || na - nb;
}

// ---- the exchange ----

export interface ExchangeActivityItem {
  readonly kind: ExchangeKind;
  readonly createdAt: string;
  readonly endorsed: boolean;
  /** Other active members that use or joined it. */
  readonly joinedCount: number;
  readonly organisationKey: string;
}

export interface ExchangeQuarter {
  readonly quarter: QuarterKey;
  readonly byKind: Readonly<Record<ExchangeKind, number>>;
  readonly total: number;
}

export interface ExchangeSeries {
  readonly quarters: readonly ExchangeQuarter[];
  readonly byKind: Readonly<Record<ExchangeKind, number>>;
  readonly total: number;
  readonly endorsed: number;
  /** Distinct members that published. */
  readonly publishers: number;
  /** Problem statements, and how many other members joined them in all. */
  readonly problems: number;
  readonly problemJoins: number;
}

const zeroKinds = (): Record<ExchangeKind, number> =>
  Object.fromEntries(EXCHANGE_KINDS.map((k) => [k, 0])) as Record<ExchangeKind, number>;

/** Items published per quarter by kind (every quarter from the first to the last), and the totals. */
export function exchangeSeries(items: readonly ExchangeActivityItem[]): ExchangeSeries {
  const byQuarter = new Map<QuarterKey, Record<ExchangeKind, number>>();
  const byKind = zeroKinds();
  for (const i of items) {
    const q = quarterKey(i.createdAt);
    if (!q) continue;
    const counts = byQuarter.get(q) ?? zeroKinds();
    counts[i.kind] += 1;
    byQuarter.set(q, counts);
    byKind[i.kind] += 1;
  }
  const known = [...byQuarter.keys()].sort(compareQuarters);
  const first = known[0];
  const last = known.at(-1);
  const quarters =
    first && last
      ? quartersBetween(first, last).map((quarter) => {
          const counts = byQuarter.get(quarter) ?? zeroKinds();
          return {
            quarter,
            byKind: counts,
            total: Object.values(counts).reduce((a, b) => a + b, 0),
          };
        })
      : [];
  const problems = items.filter((i) => i.kind === 'problem');
  return {
    quarters,
    byKind,
    total: quarters.reduce((a, q) => a + q.total, 0),
    endorsed: items.filter((i) => i.endorsed).length,
    publishers: new Set(items.map((i) => i.organisationKey)).size,
    problems: problems.length,
    problemJoins: problems.reduce((a, p) => a + p.joinedCount, 0),
  };
}
