// A download's table as plain data: named columns and rows of text, numbers and blanks. Each export
// (results, benchmarks, log analysis, themes) builds its tables once, and both the CSV and the
// spreadsheet (src/web/xlsx.ts) are written from them, so the two files never disagree.

export type TableCell = string | number | null;

export interface TableColumn {
  readonly header: string;
  /**
   * 'date' marks a column of ISO dates ("2026-03-31"), written as real dates in a spreadsheet and as
   * the same text in CSV; any other value of the column is kept as text.
   */
  readonly kind?: 'date';
}

export interface Table {
  /** The sheet's name in a workbook (shortened to 31 characters and made unique there). */
  readonly name: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly (readonly TableCell[])[];
}

/** Columns from their headers; `dates` names the columns holding ISO dates. */
export function columns(
  headers: readonly string[],
  dates: readonly string[] = [],
): readonly TableColumn[] {
  return headers.map((header) => (dates.includes(header) ? { header, kind: 'date' } : { header }));
}

/**
 * One CSV field as RFC 4180 asks: quoted when it holds a comma, quote, CR or LF, quotes doubled.
 * Text starting with = + - @ or a tab is prefixed with an apostrophe so that a spreadsheet does not
 * run a typed name as a formula.
 */
export function csvField(value: TableCell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV with CRLF line ends: the header row, then every row. */
export function tableToCsv(
  table: Table,
  field: (value: TableCell) => string = csvField,
  options: { readonly bom?: boolean } = {},
): string {
  const lines = [table.columns.map((c) => field(c.header)), ...table.rows.map((r) => r.map(field))];
  return `${options.bom ? '\uFEFF' : ''}${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}

/** What a workbook's first sheet says about its figures (src/web/xlsx.ts). */
export interface WorkbookAbout {
  /** What the file is: "Results of Readiness 2027". */
  readonly title: string;
  /** Where the figures come from: the page or record they were read from. */
  readonly source: string;
  /** The period the figures cover, in words ("Opened 4 January 2027, closed 29 January 2027"). */
  readonly period: string;
  /** The privacy rule applied: what was kept out of the file and why. */
  readonly privacy: string;
  /** Further lines, as label and value. */
  readonly more?: readonly (readonly [string, string | number])[];
}
