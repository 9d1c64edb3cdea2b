import { createGzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCsvLog } from './csv.ts';
import { LogLimitError, sizeInWords } from './limits.ts';
import { readXesLog } from './xes.ts';

const HEADER = 'case:concept:name,concept:name,time:timestamp\n';

function csvOf(events: number): string {
  const rows: string[] = [];
  for (let i = 0; i < events; i++)
    rows.push(
      `c${Math.floor(i / 4)},A${i % 4},2024-01-01T${String(i % 24).padStart(2, '0')}:00:00Z`,
    );
  return HEADER + rows.join('\n') + '\n';
}

function xesOf(events: number): string {
  const traces: string[] = [];
  for (let c = 0; c < events / 2; c++) {
    traces.push(
      `<trace><string key="concept:name" value="c${c}"/>` +
        `<event><string key="concept:name" value="A"/><date key="time:timestamp" value="2024-01-01T09:00:00Z"/></event>` +
        `<event><string key="concept:name" value="B"/><date key="time:timestamp" value="2024-01-01T10:00:00Z"/></event></trace>`,
    );
  }
  return `<?xml version="1.0"?><log xes.version="1.0">${traces.join('')}</log>`;
}

/** A CSV header then `megabytes` MB of zeros, gzip-compressed as a stream (never held whole). */
async function gzipBomb(megabytes: number): Promise<Buffer> {
  const gzip = createGzip();
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write(HEADER);
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i++)
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  gzip.end();
  await done;
  return Buffer.concat(out);
}

/** The buffer in chunks, counting how many bytes the reader pulled. */
function pulled(buffer: Buffer, size = 16 * 1024) {
  const seen = { bytes: 0 };
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let i = 0; i < buffer.length; i += size) {
      const chunk = buffer.subarray(i, i + size);
      seen.bytes += chunk.length;
      yield chunk;
    }
  }
  return { chunks: chunks(), seen };
}

async function refusal(promise: Promise<unknown>): Promise<LogLimitError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LogLimitError);
  return error as LogLimitError;
}

describe('the caps of one upload', () => {
  it('stops a gzip bomb at the cap on expanded bytes, without inflating the rest of it', async () => {
    // 256 MB of zeros after a header: about 250 KB compressed.
    const bomb = await gzipBomb(256);
    const { chunks, seen } = pulled(bomb, 1024);
    const error = await refusal(readCsvLog(chunks, { limits: { maxBytes: 1024 * 1024 } }));
    expect(error.cap).toBe('bytes');
    expect(error.message).toBe(
      'This file expands to more than 1 MB once uncompressed, the most one upload may hold. Upload a smaller extract of the log (for example one year), or ask the people who run the service to raise the limit.',
    );
    // Only the first part of the compressed file was read: it was never inflated whole.
    expect(seen.bytes).toBeLessThan(bomb.length / 4);
  });

  it('counts a plain file’s own bytes against the same cap', async () => {
    const error = await refusal(readCsvLog(csvOf(2000), { limits: { maxBytes: 10_000 } }));
    expect(error.message).toContain('more than 10 KB once uncompressed');
  });

  it('refuses a CSV and an XES log with more events than the cap, naming it', async () => {
    const csv = await refusal(readCsvLog(csvOf(1001), { limits: { maxEvents: 1000 } }));
    expect(csv.cap).toBe('events');
    expect(csv.message).toMatch(
      /^This log has more than 1,000 events, the most one upload may hold\./,
    );
    const xes = await refusal(readXesLog([gzipSync(xesOf(1002))], { limits: { maxEvents: 1000 } }));
    expect(xes.message).toMatch(/^This log has more than 1,000 events/);
  });

  it('reads a log exactly at the caps', async () => {
    const text = csvOf(1000);
    const log = await readCsvLog(text, {
      limits: { maxEvents: 1000, maxBytes: Buffer.byteLength(text) },
    });
    expect(log.complete.length).toBe(1000);
    const xes = await readXesLog(xesOf(1000), { limits: { maxEvents: 1000 } });
    expect(xes.complete.length).toBe(1000);
  });

  it('says sizes in words', () => {
    expect(sizeInWords(2 * 1024 ** 3)).toBe('2 GB');
    expect(sizeInWords(1.5 * 1024 ** 3)).toBe('1.5 GB');
    expect(sizeInWords(500 * 1024 ** 2)).toBe('500 MB');
  });
});
