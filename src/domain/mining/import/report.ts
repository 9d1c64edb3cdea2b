// What an import did, in plain words (issue 13, point 5): the same lines on the web log page and
// from `throughline log analyse`, so nothing is dropped silently in one and reported in the other.
// Rows read, rows set aside and why (with example line numbers), events paired, lifecycle
// transitions ignored, and the time zone assumed.
import { formatCount, type ImportReport, type SetAside } from '../model.ts';

export interface ImportLine {
  /** What the line is about: "Rows read", "Set aside: empty case id", … */
  readonly label: string;
  readonly value: string;
}

const REASONS: Record<SetAside['reason'], string> = {
  'empty-case-id': 'an empty case id',
  'empty-activity': 'an empty activity',
  'empty-timestamp': 'no timestamp',
  'other-lifecycle': 'a lifecycle transition other than start or complete',
};

/** "+01:00", "−05:30", "UTC" for minutes east of UTC. */
export function offsetText(minutes: number): string {
  if (minutes === 0) return 'UTC (+00:00)';
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}

function lineList(s: SetAside, unit: 'row' | 'event'): string {
  const shown = s.lines.map((l) => formatCount(l)).join(', ');
  const more = s.count > s.lines.length ? `, … (the first ${s.lines.length} shown)` : '';
  return `${unit === 'row' ? 'file line' : 'at file line'}${s.lines.length === 1 ? '' : 's'} ${shown}${more}`;
}

/**
 * The import report as labelled lines, in the order a person checks them. `timing` (the analysis's
 * own reading of start times) lets the pairing line say when events carry their start time
 * themselves, as an interval log's do, instead of claiming the log has completions only.
 */
export function importLines(
  report: ImportReport,
  timing?: { readonly kind: 'completion-only' | 'start-and-complete' | 'partial' },
): ImportLine[] {
  const unit = report.format === 'csv' ? 'row' : 'event';
  const plural = (n: number) => `${formatCount(n)} ${unit}${n === 1 ? '' : 's'}`;
  const lines: ImportLine[] = [];
  lines.push({
    label: report.format === 'csv' ? 'Rows read' : 'Events read',
    value:
      report.format === 'csv'
        ? `${plural(report.rowsRead)} after the header`
        : `${plural(report.rowsRead)} in the file`,
  });
  const setAside = report.setAside ?? legacySetAside(report);
  const total = setAside.reduce((sum, s) => sum + s.count, 0);
  lines.push({
    label: `${unit === 'row' ? 'Rows' : 'Events'} set aside`,
    value:
      total === 0 ? `None: every ${unit} was used` : `${plural(total)} not used (listed below)`,
  });
  for (const s of setAside) {
    lines.push({
      label: `Set aside: ${REASONS[s.reason]}`,
      value: `${plural(s.count)}${s.lines.length > 0 ? `, ${lineList(s, unit)}` : ''}`,
    });
  }
  const l = report.lifecycle;
  const paired = Math.max(0, l.start - l.unmatchedStarts);
  lines.push({
    label: 'Events paired',
    value:
      l.start === 0
        ? timing?.kind === 'start-and-complete'
          ? 'Not needed: every event carries its own start time'
          : timing?.kind === 'partial'
            ? 'None as separate events: some events carry their own start time, the others completions only'
            : 'None: the log records no start events, only completions'
        : `${formatCount(paired)} start event${paired === 1 ? '' : 's'} paired with ${paired === 1 ? 'its' : 'their'} completion${l.unmatchedStarts > 0 ? `; ${formatCount(l.unmatchedStarts)} start event${l.unmatchedStarts === 1 ? '' : 's'} with no later completion of the same activity in the case not used` : ''}`,
  });
  lines.push({
    label: 'Lifecycle transitions ignored',
    value:
      l.other === 0
        ? 'None'
        : `${formatCount(l.other)} (transitions other than start and complete, such as schedule or suspend)`,
  });
  const t = report.timestamps;
  const offset = t.offsetMinutes ?? null;
  const zoneParts: string[] = [];
  if (t.withoutOffset > 0)
    zoneParts.push(
      `${formatCount(t.withoutOffset)} timestamp${t.withoutOffset === 1 ? '' : 's'} had no offset and ${t.withoutOffset === 1 ? 'was' : 'were'} read as ${t.timeZone} time`,
    );
  if (offset !== null)
    zoneParts.push(
      `${t.withoutOffset > 0 ? 'the others' : 'every timestamp'} carried an offset, most often ${offsetText(offset)}`,
    );
  lines.push({
    label: 'Time zone',
    value: zoneParts.length === 0 ? `Read as ${t.timeZone} time` : capitalise(zoneParts.join('; ')),
  });
  if (t.dateOrder !== null) {
    lines.push({
      label: 'Date order',
      value: `${t.dateOrder === 'dmy' ? 'Day first' : t.dateOrder === 'mdy' ? 'Month first' : 'Year first'}${t.detected && t.evidence !== null ? ` (inferred from ${t.evidence})` : ''}`,
    });
  }
  return lines;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Logs imported before line numbers were kept: the counts alone. */
function legacySetAside(report: ImportReport): SetAside[] {
  const out: SetAside[] = [];
  const add = (reason: SetAside['reason'], count: number) => {
    if (count > 0) out.push({ reason, count, lines: [] });
  };
  add('empty-case-id', report.emptyCaseIdRows);
  add('empty-activity', report.emptyActivityRows);
  add('empty-timestamp', report.emptyTimestampRows);
  add('other-lifecycle', report.lifecycle.other);
  return out;
}
