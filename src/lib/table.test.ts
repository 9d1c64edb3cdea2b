import { describe, expect, it } from 'vitest';
import { columns, csvField, tableToCsv, type Table } from './table.ts';

describe('tableToCsv', () => {
  const table: Table = {
    name: 'T',
    columns: columns(['Name', 'Count', 'From'], ['From']),
    rows: [
      ['=1+1', -2, '2026-03-01'],
      ['a, "b"', null, null],
    ],
  };

  it('writes the header, then each row, quoted as RFC 4180 asks, with CRLF ends', () => {
    expect(tableToCsv(table)).toBe('Name,Count,From\r\n\'=1+1,-2,2026-03-01\r\n"a, ""b""",,\r\n');
  });

  it('starts with a byte-order mark when asked, and uses the field writer given', () => {
    expect(tableToCsv(table, (v) => String(v ?? '-'), { bom: true })).toBe(
      '\uFEFFName,Count,From\r\n=1+1,-2,2026-03-01\r\na, "b",-,-\r\n',
    );
  });

  it('marks only the named columns as dates', () => {
    expect(table.columns.map((c) => c.kind ?? 'text')).toEqual(['text', 'text', 'date']);
    expect(csvField('@x')).toBe("'@x");
    expect(csvField(-1)).toBe('-1');
  });
});
