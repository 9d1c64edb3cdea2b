// The bytes of an event-log file as the readers see them: any Node Readable or async iterable of
// chunks, gunzipped on the fly when it starts with the gzip magic bytes (1f 8b), with a count of
// the bytes read for progress reports. Opening files is the caller's job (CLI, web upload).
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { tooManyBytes } from './limits.ts';

/** What a background job can show while a log is read. */
export interface ImportProgress {
  /** Bytes read from the source (compressed bytes for a gzip file). */
  readonly bytes: number;
  /** Data rows (CSV) or events (XES) read so far. */
  readonly rows: number;
}

export type ProgressCallback = (progress: ImportProgress) => void;

/** A Node Readable, an async iterable of chunks, or (in tests) an array of chunks or one string. */
export type LogSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

function iterate(
  source: LogSource,
): AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string> {
  if (typeof source === 'string') return [source][Symbol.iterator]();
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  return source[Symbol.iterator]();
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  return typeof chunk === 'string'
    ? Buffer.from(chunk, 'utf8')
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Counts bytes as they pass. */
export class ByteCounter {
  bytes = 0;
}

/**
 * Yields the decoded bytes of the source; gzip is detected by its magic bytes, not the name.
 * The gzip stream's own errors (a truncated or corrupt file) surface as one plain message.
 * Past `maxBytes` decoded bytes it throws `LogLimitError`: the gzip stream is pulled a chunk at a
 * time, so a file that would inflate to gigabytes is stopped at the cap, never inflated whole.
 */
export async function* openSource(
  source: LogSource,
  counter: ByteCounter,
  maxBytes = Infinity,
): AsyncGenerator<Buffer> {
  let decoded = 0;
  const capped = (chunk: Buffer): Buffer => {
    decoded += chunk.length;
    if (decoded > maxBytes) throw tooManyBytes(maxBytes);
    return chunk;
  };
  const iterator = iterate(source);
  let head: Buffer = Buffer.alloc(0);
  let done = false;
  // Read until two bytes are known (a first chunk can be a single byte).
  while (head.length < 2) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    const chunk = toBuffer(next.value);
    counter.bytes += chunk.length;
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
  }
  async function* raw(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      const chunk = toBuffer(next.value);
      counter.bytes += chunk.length;
      yield chunk;
    }
  }
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (!gzip) {
    for await (const chunk of raw()) yield capped(chunk);
    return;
  }
  const input = Readable.from(raw());
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield capped(chunk as Buffer);
  } catch (error) {
    if (error instanceof Error && error.name === 'LogLimitError') throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`the gzip-compressed file cannot be read: ${message}`, { cause: error });
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}
