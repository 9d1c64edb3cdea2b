import { createReadStream, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCsvLog } from './csv.ts';
import type { CaseAttribute } from '../model.ts';

const FIXTURES = new URL('../../../../test/fixtures/eventlogs/', import.meta.url);
const fixture = (name: string): ReturnType<typeof createReadStream> =>
  createReadStream(new URL(name, FIXTURES));
/** A source that yields the text in small chunks, as a slow upload would. */
async function* chunks(text: string | Buffer, size = 7): AsyncGenerator<Buffer> {
  const buffer = typeof text === 'string' ? Buffer.from(text) : text;
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}
const HEADER = 'case:concept:name,concept:name,time:timestamp\n';

describe('readCsvLog', () => {
  it('reads the XES column names by default, converts offsets to UTC and keeps a case named NA', async () => {
    const log = await readCsvLog(fixture('small.csv'));
    expect(log.caseIds).toEqual(['c1', 'c2', 'NA']);
    expect(log.complete.length).toBe(9);
    expect(log.report.emptyCaseIdRows).toBe(1);
    expect(log.report.warnings).toContain('1 rows had an empty case id and were not used.');
    // c2's first event was written 10:30 at +01:00, i.e. 09:30 UTC.
    expect(new Date(log.complete[log.caseOffsets[1] as number] as number).toISOString()).toBe(
      '2024-01-01T09:30:00.000Z',
    );
    expect(new Date(log.complete[log.caseOffsets[2] as number] as number).toISOString()).toBe(
      '2024-01-02T07:00:00.000Z',
    );
    expect(log.report.columns.caseAttributes).toBe('case:channel');
    const channel = log.caseAttributes.get('case:channel') as CaseAttribute;
    expect(Array.from(log.caseIds, (_, c) => channel.values[channel.codes[c] as number])).toEqual([
      'Internet',
      'Paper',
      'Internet',
    ]);
    expect(log.resourceNames).toEqual(['Ann', 'Bob', 'Cy']);
    expect(log.hasStartTimes).toBe(false);
  });

  it('falls back to plain column names and pairs start and complete events into one task', async () => {
    const log = await readCsvLog(fixture('lifecycle.csv'));
    expect(log.report.columns).toMatchObject({
      caseId: 'case',
      activity: 'activity',
      lifecycle: 'lifecycle',
    });
    expect(log.report.lifecycle).toEqual({ start: 7, complete: 7, other: 1, unmatchedStarts: 1 });
    const x = Array.from({ length: 3 }, (_, k) => log.activityNames[log.activity[k] as number]);
    expect(x).toEqual(['A', 'B', 'B']);
    expect(log.complete.length).toBe(7);
    expect(log.hasStartTimes).toBe(true);
    expect(log.report.warnings.join(' ')).toMatch(/1 start events had no later complete/);
    expect(log.report.warnings.join(' ')).toMatch(/1 rows had a lifecycle transition other/);
  });

  it('ignores an optional column set to null, even when the default name exists', async () => {
    const log = await readCsvLog(fixture('lifecycle.csv'), {
      columns: { lifecycle: null, resource: null },
    });
    expect(log.report.columns).toMatchObject({ lifecycle: null, resource: null });
    // Without the lifecycle column every row is a completed task of its own.
    expect(log.complete.length).toBe(15);
    expect(log.resourceNames).toEqual([]);
  });

  it('pairs a zero-length task even when its complete row comes first', async () => {
    const text =
      'case,activity,timestamp,lifecycle\na,X,2020-01-01T10:00:00Z,complete\na,X,2020-01-01T10:00:00Z,start\n';
    const log = await readCsvLog(chunks(text));
    expect(log.complete.length).toBe(1);
    expect(log.start[0]).toBe(log.complete[0]);
    expect(log.report.lifecycle.unmatchedStarts).toBe(0);
  });

  it('reads a gzip-compressed CSV given in small chunks and reports progress', async () => {
    const gz = gzipSync(readFileSync(new URL('small.csv', FIXTURES)));
    const seen: { bytes: number; rows: number }[] = [];
    const log = await readCsvLog(chunks(gz, 5), {
      onProgress: (p) => seen.push(p),
      progressEveryRows: 4,
    });
    expect(log.complete.length).toBe(9);
    expect(seen.map((p) => p.rows)).toEqual([4, 8, 10]);
    expect(seen.at(-1)?.bytes).toBe(gz.length);
  });

  it('uses the month-first reading for earlier rows once a later row settles it', async () => {
    const text = `${HEADER}a,X,01/02/2014 10:00\na,Y,01/03/2014 10:00\nb,X,12/25/2014 09:00\n`;
    const log = await readCsvLog(chunks(text));
    expect(log.report.timestamps).toMatchObject({
      dateOrder: 'mdy',
      detected: true,
      evidence: 'line 4: "12/25/2014 09:00"',
    });
    expect(new Date(log.complete[0] as number).toISOString()).toBe('2014-01-02T10:00:00.000Z');
  });

  it('refuses dates that fit both orders unless the order is given', async () => {
    const text = `${HEADER}a,X,01/02/2014 10:00\na,Y,03/04/2014 10:00\n`;
    await expect(readCsvLog(chunks(text))).rejects.toThrow(
      'every date such as "01/02/2014 10:00" (line 2) fits both day-first and month-first; choose the date order (dmy or mdy)',
    );
    const log = await readCsvLog(chunks(text), { dateOrder: 'dmy' });
    expect(new Date(log.complete[0] as number).toISOString()).toBe('2014-02-01T10:00:00.000Z');
  });

  it('names the line of an impossible date, with thousands separators', async () => {
    const rows = Array.from({ length: 1202 }, (_, i) => `c${i},X,01/01/2020 00:00\n`).join('');
    const text = `${HEADER}${rows}bad,X,31/02/2020\n`;
    await expect(readCsvLog(chunks(text, 4096), { dateOrder: 'dmy' })).rejects.toThrow(
      'line 1,204: timestamp "31/02/2020" is not a valid date (day-first)',
    );
  });

  it('explains a wrong column mapping, listing the columns there are', async () => {
    await expect(
      readCsvLog(fixture('small.csv'), { columns: { caseId: 'ticket' } }),
    ).rejects.toThrow(
      'line 1: there is no column "ticket" for the case id; the columns are "case:concept:name", "concept:name"',
    );
    await expect(readCsvLog(chunks('id,step,when\n1,a,2020-01-01\n'))).rejects.toThrow(
      /line 1: no case id column: expected "case:concept:name".*Map the case id column by name/,
    );
    await expect(
      readCsvLog(fixture('small.csv'), { columns: { activity: 'case:concept:name' } }),
    ).rejects.toThrow('is mapped to both the case id and the activity');
  });

  it('rejects a start after its completion (events out of order) naming the line', async () => {
    const text =
      'case,activity,start_timestamp,timestamp\na,X,2020-01-01T10:00:00Z,2020-01-01T09:00:00Z\n';
    await expect(readCsvLog(chunks(text))).rejects.toThrow(
      'line 2: the start "2020-01-01T10:00:00Z" is after the completion "2020-01-01T09:00:00Z" (events out of order)',
    );
  });

  it('reads quoted fields with separators, doubled quotes and line breaks, CRLF and a BOM', async () => {
    const text =
      '\uFEFFcase:concept:name,concept:name,time:timestamp\r\n' +
      'a,"Check, then ""sign""",2020-01-01T09:00:00Z\r\n' +
      'a,"Two\r\nlines",2020-01-01T10:00:00Z\r\n' +
      '\r\n' +
      'b,X,2020-01-01T11:00:00Z';
    for (const size of [1, 3, 7, 1000]) {
      const log = await readCsvLog(chunks(text, size));
      expect(log.activityNames).toEqual(['Check, then "sign"', 'Two\r\nlines', 'X']);
      expect(log.caseIds).toEqual(['a', 'b']);
    }
    // Line numbers count the line break inside the quoted field (the bad row is on line 5).
    const bad = 'case,activity,timestamp\na,"multi\nline",2020-01-01\nb,X,2020-01-01\nc,Y,later\n';
    await expect(readCsvLog(chunks(bad, 5))).rejects.toThrow('line 5: timestamp "later"');
  });

  it('reads the same log whatever the chunk sizes, with quotes, CRLF and UTF-8 split across chunks', async () => {
    const text =
      '\ufeffcase:concept:name,concept:name,time:timestamp,org:resource,case:channel\r\n' +
      'c1,Prüfung,2024-01-01T09:00:00.250+01:00,Zoë,Internet\r\n' +
      'c1,"Review, then ""approve""",2024-01-01 10:00:00Z,Zoë,\r\n' +
      'c2,"Two\nlines",2024-01-02T08:00:00+0000,,Post\r\n' +
      'c2,審査,2024-01-02T09:30:00.5-02:00,Ann,Post\r\n' +
      'c1,Prüfung,2024-01-03 08:00:00,Ann,Desk';
    const read = async (size: number) => {
      const log = await readCsvLog(chunks(text, size));
      return {
        cases: log.caseIds,
        activities: Array.from(log.activity, (a) => log.activityNames[a]),
        resources: Array.from(log.resource, (r) => (r < 0 ? null : log.resourceNames[r])),
        times: Array.from(log.complete, (t) => new Date(t).toISOString()),
        channel: log.caseAttributes.get('case:channel'),
      };
    };
    const whole = await read(1 << 20);
    expect(whole.activities).toEqual([
      'Prüfung',
      'Review, then "approve"',
      'Prüfung',
      'Two\nlines',
      '審査',
    ]);
    expect(whole.resources).toEqual(['Zoë', 'Zoë', 'Ann', null, 'Ann']);
    expect(whole.times).toEqual([
      '2024-01-01T08:00:00.250Z',
      '2024-01-01T10:00:00.000Z',
      '2024-01-03T08:00:00.000Z',
      '2024-01-02T08:00:00.000Z',
      '2024-01-02T11:30:00.500Z',
    ]);
    expect(whole.channel?.values).toEqual(['Internet', 'Post']);
    for (const size of [1, 2, 3, 5, 16, 61]) expect(await read(size)).toEqual(whole);
  });

  it('does not take a malformed year for another one', async () => {
    await expect(readCsvLog(chunks(`${HEADER}a,X,201x-10-11 13:45:40+02:00\n`))).rejects.toThrow(
      'line 2: timestamp "201x-10-11 13:45:40+02:00" is not in a recognised format',
    );
  });

  it('sorts rows that arrive out of time order within a case', async () => {
    const text = `${HEADER}a,Second,2020-01-01T10:00:00Z\nb,Only,2020-01-01T08:00:00Z\na,First,2020-01-01T09:00:00Z\n`;
    const log = await readCsvLog(chunks(text));
    expect(Array.from(log.activity.subarray(0, 2), (k) => log.activityNames[k])).toEqual([
      'First',
      'Second',
    ]);
  });

  it('gives clear errors for empty, header-only, ragged, unclosed and garbage files', async () => {
    await expect(readCsvLog(chunks(''))).rejects.toThrow('the file is empty');
    await expect(readCsvLog(chunks(HEADER))).rejects.toThrow('the file has a header but no events');
    await expect(readCsvLog(chunks(`${HEADER}a,X\n`))).rejects.toThrow(
      'line 2: expected 3 fields (as in the header), found 2',
    );
    await expect(readCsvLog(chunks(`${HEADER}a,"X,2020-01-01\n`))).rejects.toThrow(
      'a quoted field is never closed',
    );
    const garbage = Buffer.alloc(3 << 20);
    for (let i = 0; i < garbage.length; i++) garbage[i] = 65 + ((i * 7919) % 26);
    await expect(readCsvLog(chunks(garbage, 65536))).rejects.toThrow(
      'this does not look like a CSV event log',
    );
    await expect(readCsvLog(chunks(`${HEADER}a,X,not a date\n`))).rejects.toThrow(
      'line 2: timestamp "not a date" is not in a recognised format',
    );
  });

  it('refuses a gigabyte of garbage after reading only its start, in bounded memory', async () => {
    let pulled = 0;
    const GIB = 1 << 30;
    async function* gigabyte(): AsyncGenerator<Buffer> {
      const block = Buffer.alloc(1 << 20);
      for (let i = 0; i < block.length; i++) block[i] = 33 + ((i * 7919) % 90);
      for (let sent = 0; sent < GIB; sent += block.length) {
        pulled += block.length;
        yield block;
      }
    }
    await expect(readCsvLog(gigabyte())).rejects.toThrow('this does not look like a CSV event log');
    // It stops at the first over-long row, long before the end of the file.
    expect(pulled).toBeLessThan(64 << 20);
  });
});
