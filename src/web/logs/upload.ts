// Receives an uploaded event-log file as a stream: it is gzip-compressed on the way in (kept as
// sent if it already is), never held uncompressed, and refused once it passes the size limit. The
// first 64 KiB are read as text to tell CSV from XES, to refuse an empty or binary file at once,
// and (for CSV) to show the columns and first rows so the person can map them. A file sent already
// compressed is inflated as it arrives only to count what it expands to (nothing is kept): one
// that would expand past the cap of one upload is refused there, before it is stored.
import { Transform, type Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { sizeInWords } from '../../domain/mining/index.ts';
import { UploadError, megabytes } from '../uploads.ts';

export { UploadError, megabytes };

const HEAD_BYTES = 64 * 1024;
const SAMPLE_ROWS = 5;

export interface ReceivedLog {
  readonly fileName: string;
  readonly format: 'csv' | 'xes';
  /** Bytes as uploaded. */
  readonly sizeBytes: number;
  /** The file, gzip-compressed. */
  readonly content: Buffer;
  /** CSV header (empty for XES). */
  readonly columns: readonly string[];
  /** CSV: the first rows. */
  readonly sample: readonly (readonly string[])[];
}

/** Collects the uncompressed start of the file while the rest flows past. */
class HeadTap extends Transform {
  head: Buffer = Buffer.alloc(0);
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: () => void) {
    if (this.head.length < HEAD_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    }
    done();
  }
}

async function gunzipHead(content: Buffer): Promise<Buffer> {
  const tap = new HeadTap();
  const gunzip = createGunzip();
  // Only the start is needed: stop once 64 KiB are out.
  const done = new Promise<void>((resolve) => {
    tap.on('finish', resolve);
    gunzip.on('error', () => resolve());
  });
  gunzip.pipe(tap);
  gunzip.end(content.subarray(0, Math.min(content.length, 1024 * 1024)));
  await done;
  return tap.head;
}

/** Said when a file would expand past the cap. */
export function expandsTooFar(maxExpandedBytes: number): UploadError {
  return new UploadError(
    `This file expands to more than ${sizeInWords(maxExpandedBytes)} once uncompressed, the most one upload may hold. Upload a smaller extract of the log (for example one year), or ask the people who run the service to raise the limit.`,
    413,
  );
}

/**
 * Counts the bytes a gzip stream expands to, keeping none of them; `over()` is true once they
 * pass the cap (the inflater is then stopped, so a gzip bomb is never inflated whole).
 */
class ExpandedCounter {
  private readonly gunzip = createGunzip();
  private expanded = 0;
  private failed = false;
  constructor(private readonly cap: number) {
    this.gunzip.on('data', (out: Buffer) => {
      this.expanded += out.length;
      if (this.expanded > this.cap) this.gunzip.destroy();
    });
    // A corrupt stream is the import's to report, with its own message.
    this.gunzip.on('error', () => (this.failed = true));
  }
  over(): boolean {
    return this.expanded > this.cap;
  }
  /** Feeds the next compressed chunk, waiting while the inflater is busy. */
  async write(chunk: Buffer): Promise<void> {
    if (this.over() || this.failed || this.gunzip.destroyed) return;
    if (!this.gunzip.write(chunk))
      await new Promise<void>((resolve) => {
        const done = () => {
          this.gunzip.off('drain', done);
          this.gunzip.off('close', done);
          resolve();
        };
        this.gunzip.on('drain', done);
        this.gunzip.on('close', done);
      });
  }
  async end(): Promise<void> {
    if (this.gunzip.destroyed) return;
    await new Promise<void>((resolve) => {
      this.gunzip.on('end', resolve);
      this.gunzip.on('close', resolve);
      this.gunzip.end();
    });
  }
  destroy(): void {
    this.gunzip.destroy();
  }
}

/**
 * Reads the upload stream to its end. `isTruncated` tells whether the multipart limit cut it
 * short (the stream then simply ends early).
 */
export async function receiveLog(
  stream: Readable,
  fileName: string,
  limitBytes: number,
  isTruncated: () => boolean,
  maxExpandedBytes = Infinity,
): Promise<ReceivedLog> {
  let size = 0;
  let expanded: ExpandedCounter | null = null;
  let first: Buffer | null = null;
  const chunks: Buffer[] = [];
  let head: Buffer = Buffer.alloc(0);
  let gzipIn = false;
  let gzip: ReturnType<typeof createGzip> | null = null;
  let gzipDone: Promise<void> | null = null;

  for await (const raw of stream) {
    const chunk = raw as Buffer;
    size += chunk.length;
    if (first === null) {
      first = chunk;
      gzipIn = chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
      if (gzipIn && Number.isFinite(maxExpandedBytes))
        expanded = new ExpandedCounter(maxExpandedBytes);
      if (!gzipIn) {
        gzip = createGzip({ level: 4 });
        gzip.on('data', (out: Buffer) => chunks.push(out));
        gzipDone = new Promise((resolve, reject) => {
          gzip?.on('end', resolve);
          gzip?.on('error', reject);
        });
      }
    }
    if (gzipIn) {
      // Once over the cap, the rest of the request is read to its end but not kept.
      if (expanded?.over() === true) continue;
      chunks.push(chunk);
      await expanded?.write(chunk);
      if (expanded?.over() === true) chunks.length = 0;
    } else {
      if (head.length < HEAD_BYTES) {
        head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
      }
      // Respect back-pressure so a large file is compressed as it arrives, not buffered.
      if (gzip?.write(chunk) === false) await new Promise((r) => gzip?.once('drain', r));
    }
  }
  if (isTruncated() || size > limitBytes) {
    gzip?.destroy();
    expanded?.destroy();
    throw new UploadError(
      `The selected file is larger than ${megabytes(limitBytes)}. Upload a smaller extract of the log (for example one year), or compress it with gzip first.`,
      413,
    );
  }
  if (gzip !== null) {
    gzip.end();
    await gzipDone;
  }
  if (expanded !== null) {
    if (!expanded.over()) await expanded.end();
    if (expanded.over()) throw expandsTooFar(maxExpandedBytes);
  }
  // A plain file is its own expanded size.
  if (!gzipIn && size > maxExpandedBytes) throw expandsTooFar(maxExpandedBytes);
  if (size === 0) throw new UploadError('The selected file is empty');
  const content = Buffer.concat(chunks);
  if (gzipIn) head = await gunzipHead(content);
  return { fileName, sizeBytes: size, content, ...describe(head) };
}

/** Tells CSV from XES by the first characters, and reads a CSV header and first rows. */
export function describe(head: Buffer): Pick<ReceivedLog, 'format' | 'columns' | 'sample'> {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new UploadError('The selected file is empty');
  if (text.includes('\u0000')) {
    throw new UploadError(
      'The selected file is not a CSV or XES event log: it looks like a binary file (a spreadsheet or a zip archive?). Save the log as CSV, or export it as XES.',
    );
  }
  if (text.trimStart().startsWith('<')) {
    if (!/<log[\s>]/.test(text)) {
      throw new UploadError(
        'The selected file is XML but not an XES event log: it has no <log> element near the start.',
      );
    }
    return { format: 'xes', columns: [], sample: [] };
  }
  // Only whole lines: the 64 KiB may end in the middle of one.
  const lastNewline = text.lastIndexOf('\n');
  const whole =
    lastNewline > 0 && text.length >= HEAD_BYTES - 4 ? text.slice(0, lastNewline) : text;
  let rows: string[][];
  try {
    rows = parse(whole, {
      to_line: SAMPLE_ROWS + 1,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (error) {
    throw new UploadError(
      `The first lines of the file cannot be read as CSV: ${(error as Error).message}`,
    );
  }
  const header = (rows[0] ?? []).map((h) => h.trim());
  if (header.length < 3) {
    throw new UploadError(
      `The file’s first line has ${header.length} column${header.length === 1 ? '' : 's'}: an event log needs at least a case id, an activity and a timestamp, each in its own column, with their names in the first line.`,
    );
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '')
      throw new UploadError(
        'A column in the file’s first line has no name. Give every column a name.',
      );
    if (seen.has(name))
      throw new UploadError(
        `Two columns in the file’s first line are both called “${name}”. Give each column its own name.`,
      );
    seen.add(name);
  }
  return { format: 'csv', columns: header, sample: rows.slice(1) };
}
