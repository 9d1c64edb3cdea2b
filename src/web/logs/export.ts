// The analysis of an event log as files (issue 13, point 5): JSON with the finding, the import
// report and the measures, and CSV with one row per activity — both from the same analysis the log
// page shows (corrections of wait kinds applied, the same filters), so a download never disagrees
// with the page.
import { WAIT_KIND_LABELS, importLines, type LogAnalysis } from '../../domain/mining/index.ts';
import type { StoredCorrection, StoredLog } from '../../storage/index.ts';
import { csvCell } from '../themes/export.ts';
import type { DisplayZone } from './zone.ts';

interface ReadAnalysis {
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

export function analysisExportCsv(a: LogAnalysis | null): string {
  const rows: string[] = [HEADER.join(',')];
  if (a === null) return `${rows[0] as string}\r\n`;
  const candidates = new Map(a.bottleneck.candidates.map((c) => [c.activity, c]));
  const round = (n: number) => Math.round(n * 1000) / 1000;
  for (const m of a.activities) {
    const c = candidates.get(m.activity);
    rows.push(
      [
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
        a.bottleneck.bottleneck?.activity === m.activity ? 'yes' : 'no',
        a.bottleneck.capacityBottleneck?.activity === m.activity ? 'yes' : 'no',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}
