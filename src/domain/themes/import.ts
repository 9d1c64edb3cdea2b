// Reading comments from an upload: CSV with a column mapping, or plain text with one comment per
// line. Streamed, so a million comments never sit in memory as one string; every error names the
// line. Blank and duplicate comments are kept in place (so results line up with the input rows) but
// counted and marked, and set aside from the analysis. `readComments` keeps every comment;
// `streamComments` hands them on one at a time (waiting while the receiver stores them) and keeps
// none, for files too large to hold.
import { parseSimpleCsv } from './csv.ts';
import { detectDelimiter } from './delimiter.ts';
import { setAsideReasons, setAsideTracker } from './setaside.ts';
import type { CommentInput, NoThemeReason } from './types.ts';

export interface ColumnMapping {
  readonly text: string;
  readonly date?: string | undefined;
  readonly channel?: string | undefined;
  readonly area?: string | undefined;
  readonly group?: string | undefined;
}

export interface ReadOptions {
  readonly format: 'csv' | 'text';
  /** Required for CSV: which column holds what. */
  readonly columns?: ColumnMapping | undefined;
  /** A single field longer than this is an error, not a slow crawl (default 1 MB). */
  readonly maxFieldBytes?: number | undefined;
  /** Refuse files with more comments than this (default 1,000,000). */
  readonly maxComments?: number | undefined;
}

export interface ImportedComment extends CommentInput {
  /** Line of the file the comment ends on (1-based, counting the header). */
  readonly line: number;
}

export interface ImportResult {
  readonly comments: readonly ImportedComment[];
  /** Column names found in the header (CSV only). */
  readonly columns: readonly string[];
  readonly setAside: readonly (NoThemeReason | null)[];
  readonly counts: { readonly rows: number; readonly blank: number; readonly duplicate: number };
}

export class CommentImportError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line !== undefined ? `line ${line}: ${message}` : message);
    this.name = 'CommentImportError';
  }
}

/** Decodes a byte stream as UTF-8, failing with the line number at the first invalid byte. */
async function* decodeUtf8(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let line = 1;
  let first = true;
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    if (first && chunk.length >= 2) {
      const b0 = chunk[0];
      const b1 = chunk[1];
      if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
        throw new CommentImportError(
          'the file is UTF-16; save it as UTF-8 (CSV UTF-8 in Excel)',
          1,
        );
      }
    }
    first = false;
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      // Find the first bad byte of this chunk to name its line: the shortest start of the chunk a
      // fresh decoder refuses (a start cut inside a character is not refused while streaming), by
      // halving. If the whole chunk reads alone, the bad bytes were those carried over from the
      // chunk before, on the line so far.
      const refuses = (end: number): boolean => {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, end), {
            stream: true,
          });
          return false;
        } catch {
          return true;
        }
      };
      let low = 1;
      let high = chunk.length;
      if (refuses(high)) {
        while (low < high) {
          const mid = (low + high) >>> 1;
          if (refuses(mid)) high = mid;
          else low = mid + 1;
        }
      } else high = 1;
      const at = high - 1;
      for (let i = 0; i < at; i++) if (chunk[i] === 10) line++;
      throw new CommentImportError(
        'the text is not valid UTF-8 (is the file saved as UTF-8?)',
        line,
      );
    }
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

async function* prepend(first: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** Files up to this many characters are read whole and tried with the fast CSV reader first. */
const SMALL_CSV_CHARACTERS = 8_000_000;

/**
 * Receives each comment as it is read; keeping them is the caller's choice. When it returns a
 * promise, reading waits for it (back-pressure for a receiver that stores comments as they come).
 */
type Sink = (comment: ImportedComment) => void | Promise<void>;

async function readCsv(
  text: AsyncIterator<string>,
  options: ReadOptions,
  sink: Sink,
): Promise<{ rows: number; columns: string[] }> {
  const mapping = options.columns;
  if (!mapping)
    throw new CommentImportError('a CSV file needs a column mapping (which column holds the text)');
  const maxComments = options.maxComments ?? 1_000_000;
  // Peek at the header line to choose the delimiter.
  let head = '';
  while (!head.includes('\n')) {
    const next = await text.next();
    if (next.done) break;
    head += next.value;
  }
  if (head.trim() === '') throw new CommentImportError('the file is empty');
  const delimiter = detectDelimiter(head.split('\n')[0] ?? '');
  const maxFieldBytes = options.maxFieldBytes ?? 1_000_000;
  const checkColumns = (names: string[]): void => {
    const wanted = [mapping.text, mapping.date, mapping.channel, mapping.area, mapping.group];
    for (const name of wanted) {
      if (name !== undefined && !names.includes(name)) {
        throw new CommentImportError(
          `no column named "${name}"; the columns are: ${names.join(', ')}`,
          1,
        );
      }
    }
  };
  // A small file is read whole and, when it is plain, well-formed CSV, parsed by the fast reader
  // (csv.ts); anything it does not read exactly as csv-parse would goes to csv-parse below.
  let ended = false;
  while (head.length <= SMALL_CSV_CHARACTERS) {
    const next = await text.next();
    if (next.done) {
      ended = true;
      break;
    }
    head += next.value;
  }
  const simple = ended ? parseSimpleCsv(head, delimiter, maxFieldBytes) : null;
  if (simple !== null && simple.records.length <= maxComments) {
    const columns = [...simple.header];
    checkColumns(columns);
    const index = (name: string | undefined): number =>
      name === undefined ? -1 : columns.indexOf(name);
    const textAt = index(mapping.text);
    const optional = [mapping.date, mapping.channel, mapping.area, mapping.group].map(index);
    const field = (fields: readonly string[], at: number | undefined): string | undefined => {
      if (at === undefined || at < 0) return undefined;
      const value = fields[at]?.trim();
      return value === '' ? undefined : value;
    };
    for (let i = 0; i < simple.records.length; i++) {
      const fields = simple.records[i] ?? [];
      const waiting = sink({
        line: simple.lines[i] ?? 0,
        text: fields[textAt] ?? '',
        date: field(fields, optional[0]),
        channel: field(fields, optional[1]),
        area: field(fields, optional[2]),
        group: field(fields, optional[3]),
      });
      if (waiting !== undefined) await waiting;
    }
    return { rows: simple.records.length, columns };
  }
  // Loaded only when needed: a small plain file never pays for it.
  const { parse } = await import('csv-parse');
  let columns: string[] = [];
  const parser = parse({
    bom: true,
    delimiter,
    columns: (header: string[]) => {
      columns = header.map((h) => h.trim());
      checkColumns(columns);
      return columns;
    },
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: maxFieldBytes,
  });
  let rows = 0;
  const feeding = (async () => {
    try {
      for await (const chunk of prepend(head, text)) {
        if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
      }
      parser.end();
    } catch (error) {
      parser.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  try {
    for await (const entry of parser as AsyncIterable<{
      record: Record<string, string | undefined>;
      info: { lines: number };
    }>) {
      const { record, info } = entry;
      if (rows >= maxComments) {
        throw new CommentImportError(
          `more than ${maxComments.toLocaleString('en-GB')} comments; split the file`,
          info.lines,
        );
      }
      rows++;
      const field = (name: string | undefined): string | undefined => {
        if (name === undefined) return undefined;
        const value = record[name]?.trim();
        return value === '' ? undefined : value;
      };
      const waiting = sink({
        line: info.lines,
        text: record[mapping.text] ?? '',
        date: field(mapping.date),
        channel: field(mapping.channel),
        area: field(mapping.area),
        group: field(mapping.group),
      });
      if (waiting !== undefined) await waiting;
    }
  } catch (error) {
    if (error instanceof CommentImportError) throw error;
    const e = error as { message?: string; lines?: number; code?: string };
    if (e.code === 'CSV_MAX_RECORD_SIZE') {
      throw new CommentImportError(
        'a field is larger than the limit; is a closing quote missing?',
        e.lines,
      );
    }
    const message = (e.message ?? String(error)).replace(/\s*(?:at|on) line \d+\s*$/, '');
    throw new CommentImportError(message, e.lines);
  }
  await feeding;
  return { rows, columns };
}

async function readLines(
  text: AsyncIterator<string>,
  options: ReadOptions,
  sink: Sink,
): Promise<{ rows: number; columns: string[] }> {
  const maxComments = options.maxComments ?? 1_000_000;
  const maxBytes = options.maxFieldBytes ?? 1_000_000;
  let pending = '';
  let line = 0;
  const push = (raw: string): void | Promise<void> => {
    line++;
    const value = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line > maxComments) {
      throw new CommentImportError(
        `more than ${maxComments.toLocaleString('en-GB')} comments; split the file`,
        line,
      );
    }
    return sink({ line, text: value.replace(/\r$/, '') });
  };
  for (let next = await text.next(); !next.done; next = await text.next()) {
    pending += next.value;
    let at = pending.indexOf('\n');
    while (at >= 0) {
      const waiting = push(pending.slice(0, at));
      pending = pending.slice(at + 1);
      if (waiting !== undefined) await waiting;
      at = pending.indexOf('\n');
    }
    if (pending.length > maxBytes)
      throw new CommentImportError('a line is longer than the limit', line + 1);
  }
  if (pending !== '') await push(pending);
  return { rows: line, columns: [] };
}

/**
 * Reads comments from a stream of bytes (for example `fs.createReadStream(path)`).
 * Throws CommentImportError, whose message names the line, for anything it cannot read.
 */
export async function readComments(
  source: AsyncIterable<Uint8Array | string>,
  options: ReadOptions,
): Promise<ImportResult> {
  const comments: ImportedComment[] = [];
  const text = decodeUtf8(source)[Symbol.asyncIterator]();
  const sink: Sink = (comment) => {
    comments.push(comment);
  };
  const read =
    options.format === 'csv'
      ? await readCsv(text, options, sink)
      : await readLines(text, options, sink);
  const setAside = setAsideReasons(comments);
  let blank = 0;
  let duplicate = 0;
  for (const reason of setAside) {
    if (reason === 'blank') blank++;
    else if (reason === 'duplicate') duplicate++;
  }
  return {
    comments,
    columns: read.columns,
    setAside,
    counts: { rows: comments.length, blank, duplicate },
  };
}

/** Counts of a read: rows, and how many were set aside as blank or as repeats. */
export interface ImportCounts {
  readonly rows: number;
  readonly blank: number;
  readonly duplicate: number;
}

/**
 * Reads the stream as readComments does, with the same errors and the same set-aside rules and
 * counts, but hands each comment with its set-aside reason to `receive` as it is read (waiting for
 * it when it returns a promise) and keeps none: memory stays bounded by the receiver, plus a digest
 * of each distinct comment for finding repeats. A comment handed on before an error was found
 * later in the file is the receiver's to undo.
 */
export async function streamComments(
  source: AsyncIterable<Uint8Array | string>,
  options: ReadOptions,
  receive: (
    comment: ImportedComment,
    setAside: 'blank' | 'duplicate' | null,
  ) => void | Promise<void>,
): Promise<{ readonly columns: readonly string[]; readonly counts: ImportCounts }> {
  const text = decodeUtf8(source)[Symbol.asyncIterator]();
  const reasonOf = setAsideTracker();
  let blank = 0;
  let duplicate = 0;
  const sink: Sink = (comment) => {
    const reason = reasonOf(comment.text);
    if (reason === 'blank') blank++;
    else if (reason === 'duplicate') duplicate++;
    return receive(comment, reason);
  };
  const read =
    options.format === 'csv'
      ? await readCsv(text, options, sink)
      : await readLines(text, options, sink);
  return { columns: read.columns, counts: { rows: read.rows, blank, duplicate } };
}

/**
 * Reads the whole stream as readComments does, with the same errors, but keeps no comment: memory
 * stays bounded whatever the file's size. `look`, if given, sees each comment as it goes by.
 * Resolves to the number of rows and the CSV header.
 */
export async function checkComments(
  source: AsyncIterable<Uint8Array | string>,
  options: ReadOptions,
  look: (comment: ImportedComment) => void = () => undefined,
): Promise<{ readonly rows: number; readonly columns: readonly string[] }> {
  const text = decodeUtf8(source)[Symbol.asyncIterator]();
  const sink: Sink = (comment) => look(comment);
  return options.format === 'csv' ? readCsv(text, options, sink) : readLines(text, options, sink);
}
