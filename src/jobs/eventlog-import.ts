// The `eventlog.import` job (issue 5): reads an uploaded event log with the column mapping the
// person chose, analyses it, and stores the compact log and its analysis in one transaction — or,
// if the file cannot be read, fails with the engine's message (naming the line or element) and
// stores nothing. `importEventLog` is the same work without a job, for the demo seed.
import { countOf } from '../lib/plural.ts';
import { z } from 'zod';
import {
  LogImportError,
  analyseLog,
  readCsvLog,
  readXesLog,
  type CsvColumns,
  type EventLog,
  type LogAnalysis,
  type LogSource,
} from '../domain/mining/index.ts';
import { encodeEventLog, type OrgScope } from '../storage/index.ts';
import { JobFailure, type JobContext, type JobHandler } from './types.ts';

export const EVENTLOG_IMPORT = 'eventlog.import';

/** Variants kept in the stored analysis (the count of all of them is kept too). */
const STORED_VARIANTS = 500;
/** A case attribute with more distinct values than this (dates, names) is not offered as a filter. */
const MAX_FILTER_VALUES = 30;

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

/** The file as slices that let other work (web requests) run between them. */
async function* slices(content: Buffer, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const size = 256 * 1024;
  for (let at = 0; at < content.length; at += size) {
    if (signal?.aborted === true) throw new Error('stopped');
    yield content.subarray(at, at + size);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function count(n: number): string {
  return n.toLocaleString('en-GB');
}

/** The analysis as stored: the variants list is cut to the most frequent. */
export function storedAnalysis(analysis: LogAnalysis): LogAnalysis {
  return { ...analysis, variants: analysis.variants.slice(0, STORED_VARIANTS) };
}

/** Case attributes with few enough values to filter by (a channel, a department). */
function caseAttributeChoices(log: EventLog): { name: string; values: string[] }[] {
  const out: { name: string; values: string[] }[] = [];
  for (const [name, attribute] of log.caseAttributes) {
    if (attribute.values.length < 2 || attribute.values.length > MAX_FILTER_VALUES) continue;
    out.push({ name, values: [...attribute.values].sort((a, b) => a.localeCompare(b)) });
  }
  return out;
}

/** Reads, analyses and stores a log. Throws `JobFailure` with a plain message if it cannot be read. */
export async function importEventLog(
  scope: OrgScope,
  input: ImportInput,
  progress: JobContext['progress'] = () => undefined,
  signal?: AbortSignal,
): Promise<ImportResult> {
  const began = performance.now();
  const total = Math.max(1, input.content.length);
  const source: LogSource = slices(input.content, signal);
  const options = {
    dateOrder: input.dateOrder,
    timeZone: input.timeZone,
    progressEveryRows: 5000,
    onProgress: ({ bytes, rows }: { bytes: number; rows: number }) =>
      progress(
        0.8 * Math.min(1, bytes / total),
        `Read ${count(rows)} ${input.format === 'csv' ? 'rows' : 'events'}`,
      ),
  };
  progress(0, 'Reading the file');
  let log: EventLog;
  try {
    log =
      input.format === 'csv'
        ? await readCsvLog(source, {
            ...options,
            ...(input.columns ? { columns: input.columns } : {}),
          })
        : await readXesLog(source, options);
  } catch (error) {
    if (signal?.aborted === true) throw error;
    if (error instanceof LogImportError) {
      throw new JobFailure(`The file could not be imported: ${error.message}`);
    }
    throw error;
  }
  progress(
    0.82,
    `Read ${countOf(log.complete.length, 'event')} in ${countOf(log.caseIds.length, 'case')}; analysing`,
  );
  await new Promise((resolve) => setImmediate(resolve));
  const analysis = analyseLog(log);
  progress(0.92, 'Saving the log and its analysis');
  await new Promise((resolve) => setImmediate(resolve));
  const data = encodeEventLog(log);
  const logId = await scope.logs.saveImported(input.uploadId, {
    name: input.name,
    fileName: input.fileName,
    format: input.format,
    settings: {
      columns: log.report.columns,
      dateOrder: input.dateOrder,
      usedDateOrder: log.report.timestamps.dateOrder,
      timeZone: input.timeZone,
      caseAttributes: caseAttributeChoices(log),
    },
    counts: analysis.counts,
    period: analysis.period,
    finding: analysis.bottleneck.summary,
    analysis: storedAnalysis(analysis),
    data,
    importMs: performance.now() - began,
  });
  return { logId, cases: analysis.counts.cases, events: analysis.counts.events };
}

export const eventLogImportHandler: JobHandler<ImportPayload, ImportResult> = {
  kind: EVENTLOG_IMPORT,
  parse: (payload) => importPayload.parse(payload),
  async run(payload, context) {
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
      );
    } catch (error) {
      // An XES file has no mapping to correct: a file that cannot be read is not kept.
      if (error instanceof JobFailure && upload.format === 'xes') {
        await context.scope.logs.discardUpload(upload.id);
      }
      throw error;
    }
  },
  doneMessage: (result) =>
    `Imported ${countOf(result.events, 'event')} in ${countOf(result.cases, 'case')}`,
};
