// Reading a comments upload: the multipart form (fields and one file, with the CSRF token among the
// fields so the app's one CSRF hook checks it), a first look at a CSV's header and rows to suggest
// the column mapping, and the full check of the file with the theme engine's streamed reader, which
// refuses wrong encodings, runaway fields and oversized files with a message naming the line.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import {
  CommentImportError,
  readComments,
  type ColumnMapping,
  type ImportResult,
} from '../../domain/themes/index.ts';

/** Largest upload accepted (a few hundred thousand comments). */
export const COMMENT_UPLOAD_LIMIT = 20 * 1024 * 1024;
/** Longest single comment (a field larger than this is a missing closing quote, not a comment). */
export const MAX_FIELD_BYTES = 100_000;

export interface UploadedFile {
  readonly fileName: string;
  readonly bytes: Buffer;
}

export interface MultipartForm {
  readonly fields: Record<string, string>;
  readonly files: Record<string, UploadedFile>;
}

/** Parses a buffered multipart/form-data body with the platform's own parser. */
export async function parseMultipart(contentType: string, body: Buffer): Promise<MultipartForm> {
  const form = await new Response(new Uint8Array(body), {
    headers: { 'content-type': contentType },
  }).formData();
  const fields: Record<string, string> = {};
  const files: Record<string, UploadedFile> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') fields[key] = value;
    else files[key] = { fileName: value.name, bytes: Buffer.from(await value.arrayBuffer()) };
  }
  return { fields, files };
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

/** Reads the header and the first rows of a CSV (only the first 256 KB are looked at). */
export function previewCsv(bytes: Buffer, sampleRows = 200): CsvPreview {
  const head = new TextDecoder('utf-8')
    .decode(bytes.subarray(0, 256 * 1024))
    .replace(/^\uFEFF/, '');
  const complete = head.length < bytes.length ? head.slice(0, head.lastIndexOf('\n') + 1) : head;
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

/** Reads the whole file with the engine's reader; throws CommentImportError with a plain message. */
export async function readUpload(
  bytes: Buffer,
  format: FileFormat,
  mapping: ColumnMapping | undefined,
): Promise<ImportResult> {
  return readComments(Readable.from([bytes]), {
    format,
    columns: mapping,
    maxFieldBytes: MAX_FIELD_BYTES,
  });
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
