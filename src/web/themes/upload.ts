// Receiving a comments upload as a stream: the file goes to a temporary file as it arrives, counted
// and refused once it passes the size limit, so no upload is ever held whole in memory. It is then
// checked in full with the theme engine's streamed reader, which refuses wrong encodings, runaway
// fields and oversized files with a message naming the line, before anything is stored. The file
// then waits in its set, gzip-compressed in chunks of 1 MiB (comment_set_files), for the
// `themes.import` job that stores its comments (src/jobs/themes-import.ts) — a CSV's once its
// columns are mapped; a first look at its header and rows suggests the mapping.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import {
  CommentImportError,
  checkComments,
  detectDelimiter,
  isBlankComment,
  suggestColumns,
  type ColumnMapping,
  type ColumnRole,
  type ImportedComment,
} from '../../domain/themes/index.ts';
import {
  MAX_FIELD_BYTES,
  importErrorMessage as readerMessage,
  pendingContent,
  tooManyCommentsMessage,
} from '../../jobs/themes-import.ts';
import type { PendingFile } from '../../storage/index.ts';
import { UploadError, megabytes } from '../uploads.ts';

export { UploadError, megabytes, MAX_FIELD_BYTES };

/** Largest upload accepted by default: room for a million comments of a sentence or two. */
export const COMMENT_UPLOAD_LIMIT = 200 * 1024 * 1024;
/** How much of a CSV the column-mapping preview reads. */
const PREVIEW_BYTES = 256 * 1024;
/** Size of each stored chunk of a waiting file (compressed). */
const PENDING_CHUNK_BYTES = 1024 * 1024;

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

/**
 * Compresses a received file beside it (streamed, never whole) and returns the compressed file's
 * chunks, to be stored until the comments are imported. The temporary directory's `discard()`
 * removes the compressed copy too.
 */
export async function packPending(file: string): Promise<AsyncIterable<Buffer>> {
  const packed = `${file}.gz`;
  await pipeline(createReadStream(file), createGzip({ level: 4 }), createWriteStream(packed));
  // Opened only when read, and closed when the reader stops.
  return (async function* () {
    yield* createReadStream(packed, {
      highWaterMark: PENDING_CHUNK_BYTES,
    }) as AsyncIterable<Buffer>;
  })();
}

/** The first bytes of a waiting file, for the preview (only the first stored chunks are read). */
export async function pendingHead(file: PendingFile, bytes = PREVIEW_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of pendingContent(file)) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= bytes) break;
  }
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
  /**
   * A suggested mapping from the columns' names and what their first rows hold (columns.ts): free
   * text for the comments, dates for the date, a few repeated labels for channel, area and group.
   */
  readonly suggested: ColumnMapping;
  /** Why each field has its suggestion (or why a likely-named column was not suggested). */
  readonly reasons: Readonly<Record<ColumnRole, string | null>>;
  /** Columns with letters in at least one sampled row. */
  readonly textColumns: readonly string[];
  /** Columns with at least one comment that is not blank (a letter or digit) in the sampled rows. */
  readonly commentColumns: readonly string[];
}

/**
 * Reads the header and the first rows of a CSV from its start (only the first 256 KB are looked at;
 * give `headOf` or `pendingHead`, or the whole file).
 */
export function previewCsv(bytes: Buffer, sampleRows = 5000): CsvPreview {
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
  const textColumns = columns.filter((c) => rows.some((r) => /\p{L}/u.test(r[c] ?? '')));
  const commentColumns = columns.filter((c) => rows.some((r) => !isBlankComment(r[c] ?? '')));
  const { mapping, reasons } = suggestColumns(columns, rows);
  return {
    columns,
    rows: rows.slice(0, 5),
    textColumns,
    commentColumns,
    suggested: mapping,
    reasons,
  };
}

/**
 * Checks the whole stream as the import job will read it, keeping no comment (bounded memory);
 * `look` sees each comment as it goes by. Throws CommentImportError naming the line.
 */
export async function checkUpload(
  source: AsyncIterable<Uint8Array | string>,
  format: FileFormat,
  mapping: ColumnMapping | undefined,
  look?: (comment: ImportedComment) => void,
  maxComments = Infinity,
): Promise<{ readonly rows: number }> {
  let seen = 0;
  return checkComments(
    source,
    { format, columns: mapping, maxFieldBytes: MAX_FIELD_BYTES },
    (comment) => {
      // Stopped at the cap, before the rest of the file is read.
      if (++seen > maxComments) throw new UploadError(tooManyCommentsMessage(maxComments), 413);
      look?.(comment);
    },
  );
}

/** The engine's message, in a sentence for the page (any other error is thrown again). */
export function importErrorMessage(error: unknown): string {
  if (error instanceof CommentImportError) return readerMessage(error);
  if (error instanceof UploadError) return error.message;
  throw error;
}
