import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readXesLog } from './xes.ts';
import type { CaseAttribute } from '../model.ts';

const FIXTURES = new URL('../../../../test/fixtures/eventlogs/', import.meta.url);
const NESTED = readFileSync(new URL('nested.xes', FIXTURES));
async function* chunks(buffer: Buffer | string, size = 11): AsyncGenerator<Buffer> {
  const b = typeof buffer === 'string' ? Buffer.from(buffer) : buffer;
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
const iso = (t: number): string => (Number.isNaN(t) ? 'none' : new Date(t).toISOString());
const RUNNING = '/work/shared/data/eventlogs/running-example.xes';

describe('readXesLog', () => {
  it('reads traces, pairs lifecycle start/complete, takes start_timestamp, and skips nested attributes', async () => {
    const log = await readXesLog(chunks(NESTED));
    expect(log.caseIds).toEqual(['case-1', 'case-2']);
    expect(log.activityNames).toEqual(['Receive', 'Review']);
    expect(Array.from(log.activity, (a) => log.activityNames[a])).toEqual([
      'Receive',
      'Review',
      'Receive',
      'Review',
    ]);
    expect(Array.from(log.start, iso)).toEqual([
      '2024-05-01T06:00:00.000Z',
      '2024-05-01T07:00:00.000Z',
      'none',
      '2024-05-02T06:45:00.000Z',
    ]);
    expect(Array.from(log.complete, iso)).toEqual([
      '2024-05-01T06:20:00.000Z',
      '2024-05-01T08:30:00.000Z',
      '2024-05-02T06:00:00.000Z',
      '2024-05-02T07:00:00.000Z',
    ]);
    expect(log.resourceNames).toEqual(['Dee']);
    expect(log.groupNames).toEqual(['Planning']);
    const channel = log.caseAttributes.get('channel') as CaseAttribute;
    expect(channel.values[channel.codes[0] as number]).toBe('Desk');
    // A list has no single value: it is parsed and skipped, and its nested concept:name is not the case id.
    expect(log.caseAttributes.has('documents')).toBe(false);
    expect(log.report.declarations).toEqual({
      globals: { trace: ['concept:name'], event: ['concept:name', 'lifecycle:transition'] },
      classifiers: { 'Activity and transition': ['concept:name', 'lifecycle:transition'] },
    });
    expect(log.report.lifecycle).toEqual({ start: 2, complete: 4, other: 0, unmatchedStarts: 0 });
  });

  it('uses a declared classifier for the activity when asked', async () => {
    const log = await readXesLog(chunks(NESTED), { classifier: 'Activity and transition' });
    expect(log.activityNames).toContain('Receive+complete');
    await expect(readXesLog(chunks(NESTED), { classifier: 'nope' })).rejects.toThrow(
      'the log declares no classifier "nope" (declared: Activity and transition)',
    );
  });

  it('detects gzip by its magic bytes, whatever the chunking, and reports progress', async () => {
    const gz = gzipSync(NESTED);
    const seen: { bytes: number; rows: number }[] = [];
    const log = await readXesLog(chunks(gz, 1), {
      onProgress: (p) => seen.push(p),
      progressEveryRows: 4,
    });
    expect(log.complete.length).toBe(4);
    expect(seen).toEqual([expect.objectContaining({ rows: 4 }), { bytes: gz.length, rows: 6 }]);
  });

  it('rejects truncated, malformed and non-XES files with the line and element', async () => {
    const truncated = NESTED.subarray(0, NESTED.indexOf('<trace>', 1000));
    await expect(readXesLog(chunks(truncated))).rejects.toThrow(
      /the file ends before <\/log> \(truncated\?\); still open: <log>/,
    );
    await expect(readXesLog(chunks('<log><trace><event></trace></log>'))).rejects.toThrow(
      /^line 1 \(inside <log> › <trace>\): the XML is not well-formed: unexpected close tag\.$/,
    );
    await expect(readXesLog(chunks('<html><body/></html>'))).rejects.toThrow(
      'an XES file starts with <log>, not <html>',
    );
    await expect(readXesLog(chunks(''))).rejects.toThrow('the file is empty');
    await expect(readXesLog(chunks(gzipSync(NESTED).subarray(0, 200)))).rejects.toThrow(
      /gzip-compressed file cannot be read|ends before/,
    );
    const bad = NESTED.toString().replace('2024-05-02T07:00:00Z', '2024-02-30T07:00:00Z');
    await expect(readXesLog(chunks(bad))).rejects.toThrow(
      /<event> 2 of trace "case-2" \(line 58\): timestamp "2024-02-30T07:00:00Z" is not a valid date/,
    );
    await expect(
      readXesLog(chunks('<log><trace><string key="concept:name" value="a"/></trace></log>')),
    ).rejects.toThrow('the log holds no events');
  });

  describe.skipIf(!existsSync(RUNNING))(
    'running-example.xes (skipped: ../shared/data/eventlogs is absent)',
    () => {
      it('reads the six traces with their 42 events', async () => {
        const log = await readXesLog(createReadStream(RUNNING));
        expect(log.caseIds.length).toBe(6);
        expect(log.complete.length).toBe(42);
        expect(log.activityNames.length).toBe(8);
        expect(log.report.declarations?.classifiers).toEqual({
          Activity: ['Activity'],
          'activity classifier': ['Activity'],
        });
      });
    },
  );

  it('refuses a gigabyte of garbage after reading only its start', async () => {
    let pulled = 0;
    async function* gigabyte(): AsyncGenerator<Buffer> {
      const block = Buffer.alloc(1 << 20, 'garbage, not XML ');
      for (let sent = 0; sent < 1 << 30; sent += block.length) {
        pulled += block.length;
        yield block;
      }
    }
    await expect(readXesLog(gigabyte())).rejects.toThrow(
      'line 1: the XML is not well-formed: text data outside of root node',
    );
    expect(pulled).toBeLessThan(64 << 20);
  });
});
