// Spreadsheet (XLSX) downloads (issue 17, point 5), written from the same tables as the CSVs
// (src/lib/table.ts), so both carry the same figures. A first "About" sheet says where the figures
// come from, for which period, when the file was made and which privacy rule kept what out; then a
// sheet per table with a frozen header row, numbers as numbers, ISO dates as dates, and columns wide
// enough to read. The workbook is streamed to the response as it is written (exceljs's streaming
// writer), so a large export is never held whole in memory. Text in a spreadsheet cell is never run as
// a formula, so it is written as it is, without the CSV's protective apostrophe.
import { PassThrough, type Stream } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import type { Table, TableCell, WorkbookAbout } from '../lib/table.ts';

export type { WorkbookAbout } from '../lib/table.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Excel's own limits: a sheet name of 31 characters, a cell of 32,767, a sheet of 1,048,576 rows. */
const SHEET_NAME_MAX = 31;
export const CELL_TEXT_MAX = 32_767;
const SHEET_ROWS_MAX = 1_048_576;
/**
 * Rows written between yields to the event loop: 20,000 rows × 16 columns took 3.4 s here with the
 * loop held at most 0.1–0.3 s (99th percentile 75 ms), so other requests go on during a download.
 */
const YIELD_EVERY_ROWS = 100;

/** A sheet name Excel accepts (no []:*?/\, at most 31 characters, not blank) and unique in `taken`. */
export function sheetName(wanted: string, taken: Set<string>): string {
  const base =
    wanted
      .replace(/[[\]:*?/\\]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^'+|'+$/g, '')
      .slice(0, SHEET_NAME_MAX)
      .trim() || 'Sheet';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    name = `${base.slice(0, SHEET_NAME_MAX - suffix.length).trimEnd()}${suffix}`;
  }
  taken.add(name.toLowerCase());
  return name;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A cell's value in the workbook: ISO dates of a date column as dates, long text cut to fit. */
function cellValue(value: TableCell, isDate: boolean): string | number | Date | null {
  if (typeof value !== 'string') return value;
  const date = isDate ? ISO_DATE.exec(value) : null;
  if (date) return new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])));
  return value.length > CELL_TEXT_MAX ? `${value.slice(0, CELL_TEXT_MAX - 1)}…` : value;
}

/** A width in characters for each column: the longest of the header and the first 500 cells, 8–60. */
function widths(table: Table): number[] {
  return table.columns.map((column, i) => {
    let longest = column.header.length;
    for (const row of table.rows.slice(0, 500)) {
      const cell = row[i];
      const length =
        column.kind === 'date' && typeof cell === 'string' && ISO_DATE.test(cell)
          ? 10
          : String(cell ?? '').length;
      if (length > longest) longest = length;
    }
    return Math.min(60, Math.max(8, longest + 2));
  });
}

const bold = { bold: true } as const;

/** Writes the workbook to `stream`: the About sheet, then each table (split where Excel's row limit asks). */
export async function writeWorkbook(
  stream: NodeJS.WritableStream,
  about: WorkbookAbout,
  tables: readonly Table[],
  generatedAt: Date = new Date(),
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: stream as unknown as Stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Throughline';
  workbook.created = generatedAt;
  const taken = new Set<string>();
  const parts = tables.flatMap((table) => {
    const size = SHEET_ROWS_MAX - 1;
    if (table.rows.length <= size) return [table];
    const pieces: Table[] = [];
    for (let at = 0; at < table.rows.length; at += size)
      pieces.push({ ...table, rows: table.rows.slice(at, at + size) });
    return pieces;
  });
  const names = [sheetName('About', taken), ...parts.map((t) => sheetName(t.name, taken))];

  const info = workbook.addWorksheet(names[0]);
  info.columns = [{ width: 24 }, { width: 100 }];
  const line = (label: string, value: string | number | Date) => {
    const row = info.addRow([label, value]);
    row.getCell(1).font = bold;
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(1).alignment = { vertical: 'top' };
    if (value instanceof Date) row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm:ss "UTC"';
    row.commit();
  };
  line('Title', about.title);
  line('Source', about.source);
  line('Period', about.period);
  line('Generated', generatedAt);
  line('Privacy', about.privacy);
  for (const [label, value] of about.more ?? []) line(label, value);
  line(
    'Sheets',
    parts
      .map((t, i) => `${names[i + 1]}: ${t.rows.length} ${t.rows.length === 1 ? 'row' : 'rows'}`)
      .join('; '),
  );
  line(
    'Made by',
    'Throughline, from the same figures as the page and the CSV download. Text in a cell is never a formula.',
  );
  info.commit();

  for (const [i, table] of parts.entries()) {
    const sheet = workbook.addWorksheet(names[i + 1], {
      views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    });
    const dates = table.columns.map((c) => c.kind === 'date');
    sheet.columns = widths(table).map((width, c) => ({
      width,
      ...(dates[c] ? { style: { numFmt: 'yyyy-mm-dd' } } : {}),
    }));
    const header = sheet.addRow(table.columns.map((c) => c.header));
    header.font = bold;
    header.commit();
    for (const [r, row] of table.rows.entries()) {
      sheet.addRow(row.map((cell, c) => cellValue(cell, dates[c] === true))).commit();
      // Rows are written synchronously: let other requests (and the zip stream) run between batches.
      if (r % YIELD_EVERY_ROWS === YIELD_EVERY_ROWS - 1) await new Promise(setImmediate);
    }
    sheet.commit();
  }
  await workbook.commit();
}

/**
 * Sends the workbook as a download named `fileName` (which ends in .xlsx), streamed as it is written,
 * never kept by a browser or a cache on the way.
 */
export function sendWorkbook(
  reply: FastifyReply,
  fileName: string,
  about: WorkbookAbout,
  tables: readonly Table[],
): FastifyReply {
  const stream = new PassThrough();
  writeWorkbook(stream, about, tables).catch((error: unknown) => {
    reply.log.error({ err: error }, 'writing a spreadsheet download failed');
    stream.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return reply
    .type(XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(stream);
}
