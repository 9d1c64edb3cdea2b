// The `themes.import` job (issue 6): stores the comments of an uploaded file that waits in its set —
// a CSV once its columns are mapped, a text file straight after the upload — and then finds their
// themes, as the `themes.analyse` job does, on the same analysis record, whose page shows the
// progress of both.
//
// Up to a million comments, in bounded memory: the file is read a compressed chunk at a time
// (`pendingContent`), decompressed and parsed as a stream (`streamComments`, which finds blank and
// repeated comments by the same rules as the rest of the engine, keeping only a digest of each
// distinct comment), and the comments are written in batches of a few thousand, each in its own
// short transaction, so pages keep answering meanwhile (even on SQLite's single connection). Nothing
// reads a set's comments before the set is ready, and one last short transaction makes it ready.
// If anything fails — a bad row deep in the file, the service stopping — the rows written so far are
// removed, the set keeps its file and stays waiting for its columns, and the analysis fails with the
// reader's message, naming the line and what is wrong.
import { countOf } from '../lib/plural.ts';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import {
  CommentImportError,
  streamComments,
  type ColumnMapping,
  type ImportCounts,
} from '../domain/themes/index.ts';
import type { OrgScope, PendingFile, StagedComment } from '../storage/index.ts';
import { GENERIC_FAILURE } from './run.ts';
import { analyseInJob } from './themes-analysis.ts';
import { JobFailure, type JobContext, type JobHandler } from './types.ts';

export const THEMES_IMPORT = 'themes.import';

/** Longest single comment (a field larger than this is a missing closing quote, not a comment). */
export const MAX_FIELD_BYTES = 100_000;
/** Comments written per transaction. */
const STAGE_BATCH = 5000;
/** The part of the progress bar (percent) storing the comments takes; the analysis has the rest. */
export const IMPORT_SHARE = 40;
/** Progress is written to the analysis at most this often (ms). */
const PROGRESS_INTERVAL_MS = 250;

const mappingSchema = z.object({
  text: z.string().min(1),
  date: z.string().optional(),
  channel: z.string().optional(),
  area: z.string().optional(),
  group: z.string().optional(),
});

const payloadSchema = z.object({
  setId: z.uuid(),
  analysisId: z.uuid(),
  /** Null for a plain text file (one comment per line). */
  mapping: mappingSchema.nullable(),
});

export type ThemesImportPayload = z.output<typeof payloadSchema>;

export interface ThemesImportResult {
  readonly comments: number;
  readonly themes: number;
}

function count(n: number): string {
  return n.toLocaleString('en-GB');
}

/** The reader's message, in a sentence for a page. */
export function importErrorMessage(error: CommentImportError): string {
  const text = error.message.replace(/^line (\d+): /, 'Line $1: ');
  const sentence = `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  return `The file could not be read. ${sentence}${/[.?!]$/.test(sentence) ? '' : '.'}`;
}

/** Said when a file holds more comments than one upload may. */
export function tooManyCommentsMessage(limit: number): string {
  return `This file has more than ${limit.toLocaleString('en-GB')} comments, the most one upload may hold. Split it into several files, or ask the people who run the service to raise the limit.`;
}

/** Said when the chosen column holds no comment at all. */
export function noCommentsMessage(mapping: ColumnMapping | null): string {
  return mapping === null
    ? 'The file has no comments in it'
    : `The column “${mapping.text}” has no comments in it. Choose the column that holds the comments`;
}

/**
 * The bytes of a waiting file, decompressed as they are read, a stored chunk at a time;
 * `onStored` hears how many stored (compressed) bytes each chunk had, for progress.
 */
export async function* pendingContent(
  file: PendingFile,
  onStored: (bytes: number) => void = () => undefined,
): AsyncGenerator<Buffer> {
  async function* stored(): AsyncGenerator<Buffer> {
    for await (const chunk of file.chunks()) {
      onStored(chunk.length);
      yield chunk;
    }
  }
  if (!file.compressed) {
    yield* stored();
    return;
  }
  const input = Readable.from(stored(), { objectMode: false });
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}

/**
 * Reads a set's waiting file with `mapping` (null: plain text) and stores its comments in batches,
 * then makes the set ready. Throws JobFailure with a message for the person (the line and what is
 * wrong) when the file cannot be read, after removing what it wrote; the set keeps its file.
 * `report` hears how far through the file it is (0–1) and how many comments are stored.
 */
export async function importComments(
  scope: OrgScope,
  input: { readonly setId: string; readonly mapping: ColumnMapping | null },
  report: (fraction: number, stored: number) => void = () => undefined,
  signal?: AbortSignal,
  maxComments = Infinity,
): Promise<ImportCounts> {
  const themes = scope.themes;
  const { setId, mapping } = input;
  const set = await themes.set(setId);
  const file = await themes.pendingFile(setId);
  if (!set || set.status !== 'awaiting_mapping' || !file)
    throw new JobFailure(
      'The uploaded file is no longer here (its comments were stored already, or it was deleted).',
    );
  let writing: Promise<void> = Promise.resolve();
  try {
    // Rows an interrupted import (the process stopped) may have left behind.
    await themes.clearStagedComments(setId);
    let storedBytes = 0;
    let position = 0;
    let batch: StagedComment[] = [];
    // One batch is written while the next is read (PostgreSQL works meanwhile; SQLite's driver
    // writes at once), never more, so memory stays at two batches.
    const flush = async () => {
      await writing;
      if (signal?.aborted === true) throw new Error('stopped');
      writing = themes.stageComments(setId, batch);
      // Its failure is seen at the next flush or at the end; never unhandled meanwhile.
      writing.catch(() => undefined);
      batch = [];
      report(file.storedBytes > 0 ? Math.min(1, storedBytes / file.storedBytes) : 0, position);
      // Let requests waiting for the database (or the event loop) in between.
      await new Promise((resolve) => setImmediate(resolve));
    };
    let counts: ImportCounts;
    try {
      ({ counts } = await streamComments(
        pendingContent(file, (bytes) => (storedBytes += bytes)),
        { format: set.format, columns: mapping ?? undefined, maxFieldBytes: MAX_FIELD_BYTES },
        (comment, setAside) => {
          if (position >= maxComments) throw new JobFailure(tooManyCommentsMessage(maxComments));
          batch.push({ position: position++, comment, setAside });
          return batch.length >= STAGE_BATCH ? flush() : undefined;
        },
      ));
    } catch (error) {
      if (error instanceof CommentImportError) throw new JobFailure(importErrorMessage(error));
      throw error;
    }
    await flush();
    await writing;
    if (counts.rows === 0 || counts.blank === counts.rows)
      throw new JobFailure(noCommentsMessage(mapping));
    if (!(await themes.completeImport(setId, mapping, counts)))
      throw new JobFailure(
        'The comments could not be stored because the set changed while they were being read. Try again.',
      );
    return counts;
  } catch (error) {
    // Nothing half-written: the set stays as it was, waiting, with its file. (Should even this
    // fail, the rows stay unseen — nothing reads a waiting set's comments — and the next import
    // of the set removes them first.) A batch still being written lands first.
    await writing.catch(() => undefined);
    await themes.clearStagedComments(setId).catch(() => undefined);
    throw error;
  }
}

/** The `themes.import` handler, with the cap on comments in one upload. */
export function themesImport(
  maxComments = Infinity,
): JobHandler<ThemesImportPayload, ThemesImportResult> {
  return {
    ...themesImportHandler,
    run: (payload, context) => runThemesImport(payload, context, maxComments),
  };
}

async function runThemesImport(
  { setId, analysisId, mapping }: ThemesImportPayload,
  context: JobContext,
  maxComments: number,
): Promise<ThemesImportResult> {
  const themes = context.scope.themes;
  const analysis = await themes.analysis(analysisId);
  // A later try (the process running the first one died) starts again from what is stored:
  // comments half-written are removed by importComments; if they were all stored, only the
  // analysis is left to do.
  const resume = context.attempt > 1;
  // (A try stopped with the service during the analysis left it marked failed: that resumes too.)
  if (
    resume &&
    analysis?.setId === setId &&
    (analysis.status === 'running' || analysis.status === 'failed')
  ) {
    const set = await themes.set(setId);
    if (set?.status === 'ready') {
      const found = await analyseInJob(analysisId, context, IMPORT_SHARE);
      return { comments: set.commentCount, themes: found };
    }
  }
  if (
    analysis?.setId !== setId ||
    !(await themes.beginImport(analysisId, 'storing comments', resume))
  )
    throw new JobFailure('This import is not waiting to start (it was started already).');
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  let counts: ImportCounts;
  try {
    counts = await importComments(
      context.scope,
      { setId, mapping },
      (fraction, stored) => {
        const percent = IMPORT_SHARE * fraction;
        const stage = `storing comments: ${count(stored)} so far`;
        context.progress(percent / 100, stage);
        if (Date.now() - lastWrite < PROGRESS_INTERVAL_MS) return;
        lastWrite = Date.now();
        writing = writing
          .then(() => themes.reportProgress(analysisId, percent, stage))
          .catch(() => undefined);
      },
      context.signal,
      maxComments,
    );
  } catch (error) {
    await writing;
    // The service is stopping: the job goes back in the queue and its next try starts again
    // from what is stored, so the analysis stays as it is.
    if (context.signal.aborted && !(error instanceof JobFailure)) throw error;
    await themes.markFailed(
      analysisId,
      error instanceof JobFailure
        ? error.message
        : context.signal.aborted
          ? 'The service was shutting down, so the comments were not stored. Choose the columns again to start again.'
          : GENERIC_FAILURE,
    );
    throw error;
  }
  await writing;
  context.progress(IMPORT_SHARE / 100, `stored ${count(counts.rows)} comments`);
  return { comments: counts.rows, themes: await analyseInJob(analysisId, context, IMPORT_SHARE) };
}

export const themesImportHandler: JobHandler<ThemesImportPayload, ThemesImportResult> = {
  kind: THEMES_IMPORT,
  parse: (payload) => payloadSchema.parse(payload),
  run: (payload, context) => runThemesImport(payload, context, Infinity),
  doneMessage: (result) =>
    `Stored ${countOf(result.comments, 'comment')} and found ${countOf(result.themes, 'theme')}`,
};
