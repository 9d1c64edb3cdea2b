// The CSV export of comment → theme: one row per uploaded row, in the file's order, with the
// redacted comment, its theme (id and name) or why it has none. Cells that a spreadsheet would run
// as a formula are prefixed with an apostrophe.
import type { StoredTheme } from '../../storage/index.ts';

export interface ExportRow {
  readonly row: number;
  readonly line: number;
  readonly text: string;
  readonly date: string | null;
  readonly channel: string | null;
  readonly area: string | null;
  readonly group: string | null;
  readonly themeKey: string | null;
  readonly reason: string | null;
}

const STATUS: Readonly<Record<string, string>> = {
  blank: 'set aside: blank',
  duplicate: 'set aside: repeat of an earlier comment',
  other: 'other: fits no theme',
};

export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvExport(rows: readonly ExportRow[], themes: readonly StoredTheme[]): string {
  const labels = new Map(themes.map((t) => [t.key, t.label]));
  const lines = ['row,line,date,channel,area,respondent_group,comment,theme_id,theme,status'];
  for (const r of rows) {
    lines.push(
      [
        r.row,
        r.line,
        r.date,
        r.channel,
        r.area,
        r.group,
        r.text,
        r.themeKey,
        r.themeKey === null ? null : (labels.get(r.themeKey) ?? r.themeKey),
        r.themeKey !== null ? 'theme' : (STATUS[r.reason ?? 'other'] ?? r.reason),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
