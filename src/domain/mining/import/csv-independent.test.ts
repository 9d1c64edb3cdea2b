// Issue 13, point 6: the CSV reader against an independent parse. Generated logs with every
// awkward thing a real export has — quoted commas, doubled quotes, line breaks and CR LF inside
// quotes, leading spaces, accents and characters outside the Basic Multilingual Plane, a byte
// order mark, CR LF line ends, rows without a case id or a timestamp — are cut into byte chunks of
// random sizes (so a character's UTF-8 bytes and a CR LF fall across chunk edges) and read by
// readCsvLog; csv-parse reads the same text whole (test/helpers/reference-log.ts). Every activity
// name, count and wait must agree, and every row set aside must be reported on the file line
// where its record starts, as the generator placed it.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  readCsvReference,
  referenceAnalysis,
  summary,
} from '../../../../test/helpers/reference-log.ts';
import { random } from '../../../../test/helpers/synthetic-logs.ts';
import { analyseLog } from '../analysis/analyse.ts';
import { readCsvLog } from './csv.ts';

const NAMES = [
  'Plain',
  'Comma, inside',
  'Quote "inside"',
  'New\nline',
  'CR\r\nLF inside',
  ' leading space',
  'Ünïcödé – dash',
  'Emoji 📄 outside the BMP',
];

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function generate(seed: number, eol: string, bom: boolean) {
  const next = random(seed);
  const records: string[] = [];
  const emptyCaseId: number[] = [];
  const noTimestamp: number[] = [];
  let line = 2; // the header is line 1
  let t = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 500; i++) {
    t += Math.floor(next() * 3_600_000);
    const name = NAMES[Math.floor(next() * NAMES.length)] as string;
    const roll = next();
    const caseId = roll > 0.97 ? '' : `c${Math.floor(next() * 60)}`;
    const timestamp = roll < 0.03 ? '' : new Date(t).toISOString();
    if (caseId === '') emptyCaseId.push(line);
    else if (timestamp === '') noTimestamp.push(line);
    const record = [quote(caseId), quote(name), timestamp].join(',');
    records.push(record);
    line += record.split('\n').length; // a line break inside quotes moves the next record down
  }
  const text = `${bom ? '\ufeff' : ''}case_id,activity,timestamp${eol}${records.join(eol)}${eol}`;
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length;) {
    const size = 1 + Math.floor(next() * 40);
    chunks.push(bytes.subarray(i, i + size));
    i += size;
  }
  return { text, chunks, emptyCaseId, noTimestamp };
}

describe('readCsvLog against csv-parse on awkward generated CSV', () => {
  for (const [eol, bom] of [
    ['\n', false],
    ['\r\n', false],
    ['\n', true],
    ['\r\n', true],
  ] as const) {
    it(`${eol === '\n' ? 'LF' : 'CR LF'} line ends${bom ? ', with a byte order mark' : ''}`, async () => {
      const { text, chunks, emptyCaseId, noTimestamp } = generate(
        eol.length * 10 + (bom ? 1 : 0),
        eol,
        bom,
      );
      const log = await readCsvLog(Readable.from(chunks));
      const a = analyseLog(log);
      const { events, skipped } = readCsvReference(text, {
        caseId: 'case_id',
        activity: 'activity',
        timestamp: 'timestamp',
      });
      const r = referenceAnalysis(events);
      expect(a.activities.map((x) => x.activity).sort()).toEqual([...r.occurrences.keys()].sort());
      expect(a.counts).toMatchObject({ cases: r.cases, events: r.events, variants: r.variants });
      for (const x of a.activities) {
        expect(x.count).toBe(r.occurrences.get(x.activity));
        const waits = (r.waits.get(x.activity) ?? []).map((w) => w.ms);
        const s = summary(waits);
        expect(x.waitingTime.count, x.activity).toBe(s.count);
        if (s.count > 0) expect(Math.abs(x.waitingTime.mean - s.mean)).toBeLessThan(1e-6);
      }
      // Rows set aside: as many as the reference skips, each on the line its record starts.
      const setAside = Object.fromEntries((log.report.setAside ?? []).map((s) => [s.reason, s]));
      expect(setAside['empty-case-id']?.count ?? 0).toBe(
        skipped.filter((s) => s.reason === 'empty case id').length,
      );
      expect(setAside['empty-timestamp']?.count ?? 0).toBe(
        skipped.filter((s) => s.reason === 'no timestamp').length,
      );
      expect(setAside['empty-case-id']?.lines ?? []).toEqual(emptyCaseId.slice(0, 20));
      expect(setAside['empty-timestamp']?.lines ?? []).toEqual(noTimestamp.slice(0, 20));
      expect(log.report.rowsRead).toBe(500);
    });
  }
});
