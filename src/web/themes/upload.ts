// Receiving a comments upload as a stream: the file goes to a temporary file as it arrives, counted
// and refused once it passes the size limit, so no upload is ever held whole in memory. It is then
// checked in full with the theme engine's streamed reader, which refuses wrong encodings, runaway
// fields and oversized files with a message naming the line, before anything is stored. A CSV waits
// for its column mapping gzip-compressed (as text, in the set's pending_file column); a first look at
// its header and rows suggests the mapping.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import {
  CommentImportError,
  checkComments,
  readComments,
  type ColumnMapping,
  type ImportResult,
} from '../../domain/themes/index.ts';
import { UploadError, megabytes } from '../uploads.ts';

export { UploadError, megabytes };

/** Largest upload accepted by default: room for a million comments of a sentence or two. */
export const COMMENT_UPLOAD_LIMIT = 200 * 1024 * 1024;
/** Longest single comment (a field larger than this is a missing closing quote, not a comment). */
export const MAX_FIELD_BYTES = 100_000;
/** How much of a CSV the column-mapping preview reads. */
const PREVIEW_BYTES = 256 * 1024;
/** Marks a pending file stored gzip-compressed and base64-encoded (older rows hold plain text). */
const PENDING_GZIP = 'gzip+base64:';

export function tooLarge(limitBytes: number): UploadError {
  return new UploadError(
    `The file is too large. Upload a file smaller than ${megabytes(limitBytes)}, or split it into several files`,
    413,
  );
}

/** An upload received to a temporary file; `discard()` removes it (always call it). */
export interface ReceivedFile {
  readonly fileName: string;
  readonly path: string;
  readonly sizeBytes: number;
  discard(): Promise<void>;
}

/**
 * Streams an uploaded file to a temporary file, with back-pressure, counting its bytes. `isTruncated`
 * tells whether the multipart limit cut the stream short; either way a file over the limit is
 * refused (413) and its temporary copy removed.
 */
export async function receiveComments(
  stream: Readable,
  fileName: string,
  limitBytes: number,
  isTruncated: () => boolean,
): Promise<ReceivedFile> {
  const dir = await mkdtemp(path.join(tmpdir(), 'throughline-comments-'));
  const discard = () => rm(dir, { recursive: true, force: true });
  const file = path.join(dir, 'upload');
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      // Stop writing at once past the limit; the multipart parser then drains the rest.
      if (size > limitBytes) done(tooLarge(limitBytes));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(stream, counter, createWriteStream(file));
    if (isTruncated() || size > limitBytes) throw tooLarge(limitBytes);
  } catch (error) {
    stream.resume();
    await discard();
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(limitBytes);
    throw error;
  }
  return { fileName, path: file, sizeBytes: size, discard };
}

/** The first `bytes` of a file. */
export async function headOf(file: string, bytes = PREVIEW_BYTES): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Compresses a received CSV for keeping until its columns are mapped (streamed, never whole). */
export async function packPending(file: string): Promise<string> {
  const chunks: Buffer[] = [];
  await pipeline(createReadStream(file), createGzip({ level: 4 }), async (source) => {
    for await (const chunk of source as AsyncIterable<Buffer>) chunks.push(chunk);
  });
  return PENDING_GZIP + Buffer.concat(chunks).toString('base64');
}

/** The bytes of a pending CSV, as a stream (decompressed as it is read). */
export function pendingStream(pending: string): Readable {
  if (!pending.startsWith(PENDING_GZIP)) return Readable.from([Buffer.from(pending, 'utf8')]);
  const gunzip = createGunzip();
  gunzip.end(Buffer.from(pending.slice(PENDING_GZIP.length), 'base64'));
  return gunzip;
}

/** The first bytes of a pending CSV, for the preview (only that much is decompressed). */
export async function pendingHead(pending: string, bytes = PREVIEW_BYTES): Promise<Buffer> {
  const stream = pendingStream(pending);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= bytes) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, bytes);
}

export type FileFormat = 'csv' | 'text';

export function formatOf(fileName: string): FileFormat {
  return /\.txt$/i.test(fileName) ? 'text' : 'csv';
}

export interface CsvPreview {
  readonly columns: readonly string[];
  /** The first rows, as the file has them (the page redacts before showing). */
  readonly rows: readonly Record<string, string>[];
  /** A suggested mapping: the column with the longest text, and columns named like dates etc. */
  readonly suggested: ColumnMapping;
  /** Columns with letters in at least one sampled row. */
  readonly textColumns: readonly string[];
}

function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t', '|']) {
    const count = headerLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Reads the header and the first rows of a CSV from its start (only the first 256 KB are looked at;
 * give `headOf` or `pendingHead`, or the whole file).
 */
export function previewCsv(bytes: Buffer, sampleRows = 200): CsvPreview {
  const partial = bytes.length >= PREVIEW_BYTES;
  const head = new TextDecoder('utf-8')
    .decode(bytes.subarray(0, PREVIEW_BYTES))
    .replace(/^\uFEFF/, '');
  // Only whole lines when the file goes on past what was read.
  const complete = partial ? head.slice(0, head.lastIndexOf('\n') + 1) : head;
  const delimiter = detectDelimiter(complete.split('\n')[0] ?? '');
  const options = { delimiter, relax_column_count: true, skip_empty_lines: true };
  const safely = (text: string, extra: object): string[][] => {
    try {
      return parse(text, { ...options, ...extra }) as string[][];
    } catch {
      // The full check (readUpload) gives the precise error; a preview does its best.
      return [];
    }
  };
  // The header alone first, so a broken row further down still leaves the column names.
  const columns = (safely(complete.split('\n')[0] ?? '', {})[0] ?? []).map((c) => c.trim());
  const records = safely(complete, { to_line: sampleRows + 1 });
  const rows = records
    .slice(1)
    .map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? ''])));
  const averageLength = (c: string) =>
    rows.reduce((s, r) => s + (r[c] ?? '').length, 0) / Math.max(rows.length, 1);
  const textColumns = columns.filter((c) => rows.some((r) => /\p{L}/u.test(r[c] ?? '')));
  const byLength = [...textColumns].sort((a, b) => averageLength(b) - averageLength(a));
  const named = (pattern: RegExp) => columns.find((c) => pattern.test(c));
  return {
    columns,
    rows: rows.slice(0, 5),
    textColumns,
    suggested: {
      text:
        named(/^(comment|comments|text|response|feedback|message|description)$/i) ??
        byLength[0] ??
        columns[0] ??
        '',
      date: named(/date|submitted|received|created|when/i),
      channel: named(/channel|source|via|method/i),
      area: named(/area|ward|district|neighbourhood|location|postcode area/i),
      group: named(/group|respondent|type of (customer|respondent)|segment/i),
    },
  };
}

/** Reads the whole stream with the engine's reader; throws CommentImportError with a plain message. */
export async function readUpload(
  source: AsyncIterable<Uint8Array | string>,
  format: FileFormat,
  mapping: ColumnMapping | undefined,
): Promise<ImportResult> {
  return readComments(source, { format, columns: mapping, maxFieldBytes: MAX_FIELD_BYTES });
}

/** Checks the whole stream as readUpload does, keeping no comment (bounded memory). */
export async function checkUpload(
  source: AsyncIterable<Uint8Array | string>,
  format: FileFormat,
  mapping: ColumnMapping | undefined,
): Promise<{ readonly rows: number }> {
  return checkComments(source, { format, columns: mapping, maxFieldBytes: MAX_FIELD_BYTES });
}

/** The engine's message, in a sentence for the page. */
export function importErrorMessage(error: unknown): string {
  if (error instanceof CommentImportError) {
    const text = error.message.replace(/^line (\d+): /, 'Line $1: ');
    return `The file could not be read. ${text.charAt(0).toUpperCase()}${text.slice(1)}.`.replace(
      /\.\.$/,
      '.',
    );
  }
  throw error;
}
