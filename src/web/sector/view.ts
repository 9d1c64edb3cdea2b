// Sector benchmarks in words, tables, one JSON document, CSV and XLSX. The page, the downloads and the API
// are all drawn from `benchmarksDocument`, so a figure hidden in one is hidden in all: a hidden
// figure carries its reason and no number.
import type { Level } from '../../domain/assessment/index.ts';
import { levelWithName } from '../../domain/assessment/words.ts';
import {
  QUARTER_WORDS,
  suppressionWords,
  type Figure,
  type Quarter,
} from '../../domain/sector/index.ts';
import type { SectorBenchmarks } from '../../services/sector.ts';
import {
  columns,
  tableToCsv,
  type Table,
  type TableCell,
  type WorkbookAbout,
} from '../../lib/table.ts';
import { csvCell } from '../themes/export.ts';

export interface FigureDocument {
  readonly shown: boolean;
  readonly organisations?: number;
  readonly lowerQuartile?: number;
  readonly median?: number;
  readonly upperQuartile?: number;
  readonly periodFrom?: string;
  readonly periodTo?: string;
  /** Why the figure is hidden: too few organisations, protecting another group, or no data. */
  readonly hidden?: 'too-few' | 'protects-another-group' | 'no-data';
}

export interface OwnDocument {
  readonly value: number;
  readonly quarter: Quarter | null;
}

export interface BenchmarksDocument {
  readonly institution: string;
  readonly minimumOrganisations: number;
  readonly computedAt: string;
  readonly percentileMethod: string;
  readonly membersSharing: { readonly results: number; readonly chainMeasures: number };
  readonly peerGroups: readonly string[];
  readonly peerGroup: string | null;
  readonly capabilities: ReadonlyArray<{
    readonly capabilityId: string;
    readonly name: string;
    readonly allMembers: FigureDocument;
    readonly peerGroupFigure: FigureDocument | null;
    readonly own: OwnDocument | null;
  }>;
  readonly services: ReadonlyArray<{
    readonly serviceType: string;
    readonly name: string;
    readonly measures: ReadonlyArray<{
      readonly key: string;
      readonly name: string;
      readonly lowerIsBetter: boolean;
      readonly allMembers: FigureDocument;
      readonly own: OwnDocument | null;
    }>;
  }>;
}

export const PERCENTILE_METHOD =
  'Quartiles by linear interpolation between closest ranks (type 7, as PostgreSQL percentile_cont and Excel PERCENTILE.INC), over one figure per organisation.';

function figureDocument(f: Figure): FigureDocument {
  if (!f.shown) return { shown: false, hidden: f.reason };
  return {
    shown: true,
    organisations: f.count,
    lowerQuartile: round(f.distribution.lowerQuartile),
    median: round(f.distribution.median),
    upperQuartile: round(f.distribution.upperQuartile),
    periodFrom: f.period.from,
    periodTo: f.period.to,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function benchmarksDocument(b: SectorBenchmarks, institution: string): BenchmarksDocument {
  return {
    institution,
    minimumOrganisations: b.minimum,
    computedAt: b.computedAt,
    percentileMethod: PERCENTILE_METHOD,
    membersSharing: b.sharing,
    peerGroups: b.peerGroups,
    peerGroup: b.group,
    capabilities: b.capabilities.map((c) => ({
      capabilityId: c.capabilityId,
      name: c.name,
      allMembers: figureDocument(c.all),
      peerGroupFigure: c.group ? figureDocument(c.group) : null,
      own: c.own ? { value: c.own.value, quarter: c.own.quarter } : null,
    })),
    services: b.services.map((s) => ({
      serviceType: s.serviceType,
      name: s.label,
      measures: s.measures.map((m) => ({
        key: m.key,
        name: m.label,
        lowerIsBetter: m.lowerIsBetter,
        allMembers: figureDocument(m.figure),
        own: m.own ? { value: round(m.own.value), quarter: m.own.quarter } : null,
      })),
    })),
  };
}

// ---- words ----

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

export function dateWords(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}

export function periodWords(from?: string, to?: string): string {
  const a = dateWords(from);
  const b = dateWords(to);
  if (!a) return '';
  return a === b ? a : `${a} to ${b}`;
}

/** A level figure: "3 Adequate", or "2.5 (between 2 Good and 3 Adequate)". */
export function levelFigure(x: number | undefined): string {
  if (x === undefined) return '';
  if (Number.isInteger(x) && x >= 1 && x <= 5) return levelWithName(x as Level);
  const lo = Math.floor(x) as Level;
  const hi = Math.ceil(x) as Level;
  return `${round(x)} (between ${levelWithName(lo)} and ${levelWithName(hi)})`;
}

const money = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  maximumFractionDigits: 2,
});
const number = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const small = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 3 });

export function measureFigure(x: number | undefined, key: string): string {
  if (x === undefined) return '';
  switch (key) {
    case 'cost_per_output':
      return money.format(x);
    case 'lead_time_hours':
      return x >= 48 ? `${number.format(x / 24)} days` : `${number.format(x)} hours`;
    case 'outcomes_per_output':
      return `${number.format(x * 100)}%`;
    default:
      return Math.abs(x) < 1 ? small.format(x) : number.format(x);
  }
}

export function hiddenWords(doc: FigureDocument, minimum: number): string {
  if (doc.hidden === 'no-data') return 'No shared figures yet';
  return suppressionWords(doc.hidden ?? 'too-few', minimum);
}

export function quarterWords(q: Quarter | null): string {
  return q === null ? 'Not compared: the sector figure is hidden' : QUARTER_WORDS[q];
}

// ---- CSV ----

const CSV_HEAD = [
  'Benchmark',
  'Item',
  'Who',
  'Organisations',
  'Lower quartile',
  'Median',
  'Upper quartile',
  'Period from',
  'Period to',
  'Note',
];

/**
 * The benchmarks as one table, for the CSV and the spreadsheet alike: each figure for all members,
 * the peer group asked for and your organisation, a hidden figure with its reason and no number.
 */
export function benchmarksTable(doc: BenchmarksDocument): Table {
  const rows: TableCell[][] = [];
  const push = (cells: TableCell[]) => rows.push(cells);
  const figure = (what: string, item: string, who: string, f: FigureDocument) =>
    push([
      what,
      item,
      who,
      f.shown ? (f.organisations ?? null) : null,
      f.lowerQuartile ?? null,
      f.median ?? null,
      f.upperQuartile ?? null,
      f.periodFrom?.slice(0, 10) ?? null,
      f.periodTo?.slice(0, 10) ?? null,
      f.shown ? '' : hiddenWords(f, doc.minimumOrganisations),
    ]);
  for (const c of doc.capabilities) {
    figure('Capability level (1 Outstanding to 5 Inadequate)', c.name, 'All members', c.allMembers);
    if (c.peerGroupFigure && doc.peerGroup)
      figure(
        'Capability level (1 Outstanding to 5 Inadequate)',
        c.name,
        doc.peerGroup,
        c.peerGroupFigure,
      );
    if (c.own)
      push([
        'Capability level (1 Outstanding to 5 Inadequate)',
        c.name,
        'Your organisation',
        null,
        null,
        c.own.value,
        null,
        null,
        null,
        quarterWords(c.own.quarter),
      ]);
  }
  for (const s of doc.services)
    for (const m of s.measures) {
      figure(`${s.name}: ${m.name}`, m.name, 'All members', m.allMembers);
      if (m.own)
        push([
          `${s.name}: ${m.name}`,
          m.name,
          'Your organisation',
          null,
          null,
          m.own.value,
          null,
          null,
          null,
          quarterWords(m.own.quarter),
        ]);
    }
  return { name: 'Benchmarks', columns: columns(CSV_HEAD, ['Period from', 'Period to']), rows };
}

export function benchmarksCsv(doc: BenchmarksDocument): string {
  return tableToCsv(benchmarksTable(doc), csvCell);
}

/** The About sheet of the benchmarks spreadsheet. */
export function benchmarksAbout(doc: BenchmarksDocument): WorkbookAbout {
  const periods = [
    ...doc.capabilities.flatMap((c) => [c.allMembers, c.peerGroupFigure]),
    ...doc.services.flatMap((s) => s.measures.map((m) => m.allMembers)),
  ].filter((f): f is FigureDocument => f !== null && f.shown);
  const from = periods
    .map((f) => f.periodFrom ?? '')
    .filter((x) => x !== '')
    .sort()[0];
  const to = periods
    .map((f) => f.periodTo ?? '')
    .filter((x) => x !== '')
    .sort()
    .at(-1);
  return {
    title: `Sector benchmarks${doc.peerGroup ? `, peer group ${doc.peerGroup}` : ''}`,
    source: `Throughline sector benchmarks of ${doc.institution}, computed ${doc.computedAt.slice(0, 10)}: ${doc.membersSharing.results} members share finalised assessment results, ${doc.membersSharing.chainMeasures} share delivery-chain measures. ${doc.percentileMethod}`,
    period:
      from && to
        ? `Figures from ${from.slice(0, 10)} to ${to.slice(0, 10)} (each figure's own period is in its row).`
        : 'No figure is shown, so there is no period.',
    privacy: `A figure is shown only where at least ${doc.minimumOrganisations} organisations give it, and a peer group is hidden too where its difference from all members would reveal a smaller group; a hidden figure has its reason and no number, as on the page and in the CSV and JSON. Only members sharing that kind of data with this institution are counted.`,
  };
}
