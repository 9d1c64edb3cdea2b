// The `eventlog.import` job (issue 5): reads an uploaded event log with the column mapping the
// person chose, analyses it, and stores the compact log and its analysis in one transaction — or,
// if the file cannot be read, fails with the engine's message (naming the line or element) and
// stores nothing. `importEventLog` is the same work without a job, for the demo seed. The job reads
// the file in a worker thread (eventlog-read.ts), off the web process's event loop, with the caps
// of one upload (bytes once uncompressed, events); a file over a cap is refused and not kept.
import { countOf } from '../lib/plural.ts';
import { z } from 'zod';
import type { CsvColumns, LogLimits } from '../domain/mining/index.ts';
import type { OrgScope } from '../storage/index.ts';
import {
  ReadError,
  readAndAnalyse,
  readInWorker,
  storedAnalysis,
  type ReadLog,
  type ReadRequest,
} from './eventlog-read.ts';
import { JobFailure, type JobContext, type JobHandler } from './types.ts';

export const EVENTLOG_IMPORT = 'eventlog.import';

const columnsSchema = z.object({
  caseId: z.string(),
  activity: z.string(),
  timestamp: z.string(),
  startTimestamp: z.string().nullable(),
  lifecycle: z.string().nullable(),
  resource: z.string().nullable(),
  group: z.string().nullable(),
  caseAttributes: z.array(z.string()),
});

export const importPayload = z.object({
  uploadId: z.uuid(),
  name: z.string().min(1).max(120),
  columns: columnsSchema.nullable(),
  dateOrder: z.enum(['auto', 'dmy', 'mdy']),
  timeZone: z.string().min(1),
});

export type ImportPayload = z.output<typeof importPayload>;

export interface ImportResult {
  readonly logId: string;
  readonly cases: number;
  readonly events: number;
}

export interface ImportInput {
  readonly name: string;
  readonly fileName: string;
  readonly format: 'csv' | 'xes';
  /** The file (plain or gzip-compressed). */
  readonly content: Buffer;
  readonly columns: CsvColumns | null;
  readonly dateOrder: 'auto' | 'dmy' | 'mdy';
  readonly timeZone: string;
  /** The upload to remove once the log is stored. */
  readonly uploadId: string | null;
}

export interface ImportOptions {
  readonly limits?: LogLimits;
  /** Read in a worker thread (the job does); the seed reads on this thread. */
  readonly inWorker?: boolean;
}

export { storedAnalysis };

/**
 * Reads, analyses and stores a log. Throws `JobFailure` with a plain message if it cannot be read
 * or is over a cap of one upload (`limits`); nothing is stored then.
 */
export async function importEventLog(
  scope: OrgScope,
  input: ImportInput,
  progress: JobContext['progress'] = () => undefined,
  signal?: AbortSignal,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const began = performance.now();
  const request: ReadRequest = {
    format: input.format,
    columns: input.columns,
    dateOrder: input.dateOrder,
    timeZone: input.timeZone,
    limits: options.limits ?? {},
  };
  progress(0, 'Reading the file');
  let read: ReadLog;
  try {
    read =
      options.inWorker === true
        ? await readInWorker(input.content, request, progress, signal)
        : await readAndAnalyse(input.content, request, progress, signal);
  } catch (error) {
    if (signal?.aborted === true) throw error;
    if (error instanceof ReadError) {
      if (error.failure.kind === 'import')
        throw new JobFailure(`The file could not be imported: ${error.failure.message}`);
      throw new CapFailure(error.failure.message);
    }
    throw error;
  }
  const analysis = read.analysis;
  progress(0.92, 'Saving the log and its analysis');
  const logId = await scope.logs.saveImported(input.uploadId, {
    name: input.name,
    fileName: input.fileName,
    format: input.format,
    settings: {
      columns: read.columns,
      dateOrder: input.dateOrder,
      usedDateOrder: read.usedDateOrder,
      timeZone: input.timeZone,
      caseAttributes: read.caseAttributes,
    },
    counts: analysis.counts,
    period: analysis.period,
    finding: analysis.bottleneck.summary,
    analysis,
    data: read.data,
    importMs: performance.now() - began,
  });
  return { logId, cases: analysis.counts.cases, events: analysis.counts.events };
}

/** A file over a cap of one upload, or too large to analyse: trying again with it cannot help. */
export class CapFailure extends JobFailure {}

/** The `eventlog.import` handler, with the caps of one upload. */
export function eventLogImport(limits: LogLimits = {}): JobHandler<ImportPayload, ImportResult> {
  return {
    ...eventLogImportHandler,
    run: (payload, context) => runImport(payload, context, limits),
  };
}

async function runImport(
  payload: ImportPayload,
  context: JobContext,
  limits: LogLimits,
): Promise<ImportResult> {
  const upload = await context.scope.logs.upload(payload.uploadId);
  const content = await context.scope.logs.uploadContent(payload.uploadId);
  if (upload === undefined || content === undefined) {
    throw new JobFailure(
      'The uploaded file is no longer here (it was discarded or already imported). Upload it again.',
    );
  }
  try {
    return await importEventLog(
      context.scope,
      {
        name: payload.name,
        fileName: upload.fileName,
        format: upload.format,
        content,
        columns: payload.columns,
        dateOrder: payload.dateOrder,
        timeZone: payload.timeZone,
        uploadId: upload.id,
      },
      context.progress,
      context.signal,
      { limits, inWorker: true },
    );
  } catch (error) {
    // An XES file has no mapping to correct, and a file over a cap cannot be mapped into one: a
    // file that cannot be read is not kept.
    if (error instanceof CapFailure || (error instanceof JobFailure && upload.format === 'xes')) {
      await context.scope.logs.discardUpload(upload.id);
    }
    throw error;
  }
}

export const eventLogImportHandler: JobHandler<ImportPayload, ImportResult> = {
  kind: EVENTLOG_IMPORT,
  parse: (payload) => importPayload.parse(payload),
  run: (payload, context) => runImport(payload, context, {}),
  doneMessage: (result) =>
    `Imported ${countOf(result.events, 'event')} in ${countOf(result.cases, 'case')}`,
};
