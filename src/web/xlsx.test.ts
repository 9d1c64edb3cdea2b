import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { columns, type Table } from '../lib/table.ts';
import { CELL_TEXT_MAX, sheetName, writeWorkbook } from './xlsx.ts';

async function written(tables: readonly Table[]): Promise<ExcelJS.Workbook> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => stream.on('end', resolve));
  await writeWorkbook(
    stream,
    { title: 'A test', source: 'Nowhere', period: 'March 2026', privacy: 'None needed' },
    tables,
    new Date(Date.UTC(2026, 2, 31, 12, 30)),
  );
  await ended;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  return workbook;
}

describe('sheet names', () => {
  it('keeps names within 31 characters, without forbidden characters, and unique', () => {
    const taken = new Set<string>();
    expect(sheetName('About', taken)).toBe('About');
    expect(sheetName('about', taken)).toBe('about (2)');
    expect(sheetName('Waits: kinds / reasons [all]?', taken)).toBe('Waits kinds reasons all');
    const long = 'A very long name for a sheet of figures';
    expect(sheetName(long, taken)).toBe('A very long name for a sheet of');
    expect(sheetName(long, taken)).toBe('A very long name for a shee (2)');
    expect(sheetName(long, taken)).toHaveLength(31);
    expect(sheetName('   ', taken)).toBe('Sheet');
  });
});

describe('writeWorkbook', () => {
  const table: Table = {
    name: 'Figures',
    columns: columns(['Name', 'Count', 'From'], ['From']),
    rows: [
      ['=SUM(A1)', 3, '2026-03-01'],
      ['Plain', 2.5, 'not a date'],
      [null, null, null],
    ],
  };

  it('writes an About sheet first, then a sheet per table with a frozen header', async () => {
    const book = await written([table, { ...table, name: 'figures' }]);
    expect(book.worksheets.map((s) => s.name)).toEqual(['About', 'Figures', 'figures (2)']);
    const about = book.getWorksheet('About');
    const lines = new Map<string, unknown>();
    about?.eachRow((row) => lines.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(lines.get('Source')).toBe('Nowhere');
    expect(lines.get('Privacy')).toBe('None needed');
    expect(lines.get('Generated')).toEqual(new Date(Date.UTC(2026, 2, 31, 12, 30)));
    expect(lines.get('Sheets')).toBe('Figures: 3 rows; figures (2): 3 rows');
    const sheet = book.getWorksheet('Figures');
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet?.getRow(1).values).toEqual([undefined, 'Name', 'Count', 'From']);
    expect(sheet?.getRow(1).font?.bold).toBe(true);
  });

  it('keeps numbers as numbers, ISO dates as dates, formulas as plain text and blanks blank', async () => {
    const sheet = (await written([table])).getWorksheet('Figures');
    expect(sheet?.getCell('A2').value).toBe('=SUM(A1)');
    expect(sheet?.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet?.getCell('B2').value).toBe(3);
    expect(sheet?.getCell('B3').value).toBe(2.5);
    expect(sheet?.getCell('C2').value).toEqual(new Date(Date.UTC(2026, 2, 1)));
    expect(sheet?.getCell('C2').numFmt).toBe('yyyy-mm-dd');
    expect(sheet?.getCell('C3').value).toBe('not a date');
    expect(sheet?.getCell('A4').value).toBeNull();
    expect(sheet?.getColumn(1).width).toBeGreaterThanOrEqual(10);
  });

  it('cuts text longer than a cell can hold, saying so with an ellipsis', async () => {
    const long = 'x'.repeat(CELL_TEXT_MAX + 10);
    const sheet = (
      await written([{ name: 'Long', columns: columns(['Text']), rows: [[long]] }])
    ).getWorksheet('Long');
    const value = String(sheet?.getCell('A2').value);
    expect(value).toHaveLength(CELL_TEXT_MAX);
    expect(value.endsWith('…')).toBe(true);
  });
});
