// The analysis of an event log as files (issue 13, point 5): JSON with the finding, the import
// report and the measures, and CSV with one row per activity — both from the same analysis the log
// page shows (corrections of wait kinds applied, the same filters), so a download never disagrees
// with the page; and XLSX with the activities, waits and paths from the same tables.
import { WAIT_KIND_LABELS, importLines, type LogAnalysis } from '../../domain/mining/index.ts';
import type { StoredCorrection, StoredLog } from '../../storage/index.ts';
import {
  columns,
  tableToCsv,
  type Table,
  type TableCell,
  type WorkbookAbout,
} from '../../lib/table.ts';
import { csvCell } from '../themes/export.ts';
import type { DisplayZone } from './zone.ts';

export interface ReadAnalysis {
  readonly whole: LogAnalysis;
  readonly analysis: LogAnalysis | null;
  readonly read: { readonly label: string };
  readonly zone: DisplayZone;
  readonly corrections: readonly StoredCorrection[];
}

export function analysisExportJson(stored: StoredLog, read: ReadAnalysis): unknown {
  const a = read.analysis;
  return {
    log: { id: stored.id, name: stored.name, fileName: stored.fileName, format: stored.format },
    filter: read.read.label === '' ? null : read.read.label,
    timesShownIn: read.zone.label,
    importReport: importLines(read.whole.import, read.whole.timing),
    import: read.whole.import,
    corrections: read.corrections,
    analysis:
      a === null
        ? null
        : {
            counts: a.counts,
            period: a.period,
            timing: a.timing,
            bottleneck: a.bottleneck.bottleneck,
            capacityBottleneck: a.bottleneck.capacityBottleneck,
            statement: a.bottleneck.statement,
            waits: a.bottleneck.candidates.map((c) => ({
              activity: c.activity,
              kind: c.kind,
              kindLabel: c.kindLabel,
              detectedKind: c.detectedKind ?? c.kind,
              correction: c.correction ?? null,
              explanation: c.explanation,
              evidence: c.evidence,
            })),
            activities: a.activities,
            edges: a.edges,
            startActivities: a.startActivities,
            endActivities: a.endActivities,
            caseDuration: a.caseDuration,
            variants: a.variants.slice(0, 50),
            flow: a.flow,
          },
  };
}

const HEADER = [
  'activity',
  'times',
  'cases',
  'median_wait_seconds',
  'mean_wait_seconds',
  'p90_wait_seconds',
  'share_of_case_time_waiting',
  'median_service_seconds',
  'wait_kind',
  'wait_kind_read_from_log',
  'corrected_by',
  'correction_reason',
  'bottleneck',
  'capacity_bottleneck',
];

const round = (n: number) => Math.round(n * 1000) / 1000;

/** One row per activity: the CSV download and the spreadsheet's first sheet. */
export function activitiesTable(a: LogAnalysis | null): Table {
  const rows: TableCell[][] = [];
  const candidates = new Map((a?.bottleneck.candidates ?? []).map((c) => [c.activity, c]));
  for (const m of a?.activities ?? []) {
    const c = candidates.get(m.activity);
    rows.push([
      m.activity,
      m.count,
      m.cases,
      m.waitingTime.count === 0 ? null : round(m.waitingTime.median),
      m.waitingTime.count === 0 ? null : round(m.waitingTime.mean),
      m.waitingTime.count === 0 ? null : round(m.waitingTime.p90),
      round(m.waitingShare),
      m.serviceTime === null ? null : round(m.serviceTime.median),
      c === undefined ? null : c.kindLabel,
      c === undefined ? null : WAIT_KIND_LABELS[c.detectedKind ?? c.kind],
      c?.correction?.by ?? null,
      c?.correction?.reason ?? null,
      a?.bottleneck.bottleneck?.activity === m.activity ? 'yes' : 'no',
      a?.bottleneck.capacityBottleneck?.activity === m.activity ? 'yes' : 'no',
    ]);
  }
  return { name: 'Activities', columns: columns(HEADER), rows };
}

export function analysisExportCsv(a: LogAnalysis | null): string {
  return tableToCsv(activitiesTable(a), csvCell);
}

/**
 * Every table of the analysis a spreadsheet carries: the activities (as the CSV), the waits that
 * could be the bottleneck with their kinds and reasons (as the JSON's `waits`), and the most common
 * paths (the JSON's first 50 variants).
 */
export function analysisTables(a: LogAnalysis | null): readonly Table[] {
  const waits: Table = {
    name: 'Waits and their kinds',
    columns: columns(
      [
        'rank',
        'activity',
        'wait_kind',
        'wait_kind_read_from_log',
        'why_this_kind',
        'corrected_by',
        'correction_reason',
        'corrected_on',
        'bottleneck',
      ],
      ['corrected_on'],
    ),
    rows: (a?.bottleneck.candidates ?? []).map((c) => [
      c.rank,
      c.activity,
      c.kindLabel,
      WAIT_KIND_LABELS[c.detectedKind ?? c.kind],
      c.explanation,
      c.correction?.by ?? null,
      c.correction?.reason ?? null,
      c.correction?.at.slice(0, 10) ?? null,
      a?.bottleneck.bottleneck?.activity === c.activity ? 'yes' : 'no',
    ]),
  };
  const paths: Table = {
    name: 'Paths',
    columns: columns(['rank', 'cases', 'share_of_cases', 'steps', 'path']),
    rows: (a?.variants ?? [])
      .slice(0, 50)
      .map((v, i) => [
        i + 1,
        v.cases,
        round(v.share),
        v.activities.length,
        v.activities.join(' → '),
      ]),
  };
  return [activitiesTable(a), waits, paths];
}

/** The About sheet of the analysis spreadsheet: the log, the filter, the period and the finding. */
export function analysisAbout(stored: StoredLog, read: ReadAnalysis): WorkbookAbout {
  const a = read.analysis;
  return {
    title: `Analysis of the event log "${stored.name}"`,
    source: `Throughline event-log analysis of ${stored.fileName} (${stored.format.toUpperCase()})${
      read.read.label === '' ? ', every case' : `, cases ${read.read.label}`
    }; wait kinds as people corrected them. Times in seconds; times of day in ${read.zone.label}.`,
    period:
      a?.period == null
        ? 'No cases match these filters.'
        : `First event ${a.period.first}, last event ${a.period.last} (UTC); ${a.counts.cases} cases, ${a.counts.events} events.`,
    privacy:
      'Figures per activity and per path only: no case numbers, no names of the people or teams who did the work, and no other columns of the log.',
    more: a === null ? [] : [['Finding', a.bottleneck.statement]],
  };
}
