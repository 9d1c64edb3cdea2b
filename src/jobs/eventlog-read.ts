// Reading, analysing and encoding an uploaded event log — the CPU-heavy part of an import — in a
// worker thread, so the web process's event loop keeps answering pages (and /healthz) while a log
// of millions of events is read. The worker gets the stored upload (gzip-compressed, its memory
// handed over, not copied) and gives back only what is stored: the compact encoded log and its
// analysis; the job writes them in one transaction on the main thread. The caps of one upload
// (decompressed bytes, events) are enforced by the reader while it streams. If a worker cannot be
// started at all, the same work runs here, in slices.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  LogImportError,
  LogLimitError,
  analyseLog,
  readCsvLog,
  readXesLog,
  type CsvColumns,
  type EventLog,
  type LogAnalysis,
  type LogLimits,
} from '../domain/mining/index.ts';
import { encodeEventLog } from '../storage/repositories/logs-codec.ts';

/** Variants kept in the stored analysis (the count of all of them is kept too). */
const STORED_VARIANTS = 500;
/** A case attribute with more distinct values than this (dates, names) is not offered as a filter. */
const MAX_FILTER_VALUES = 30;
/** The worker's own heap: a log too large for it fails its import, never the web process. */
const WORKER_HEAP_MB = 3072;

export interface ReadRequest {
  readonly format: 'csv' | 'xes';
  readonly columns: CsvColumns | null;
  readonly dateOrder: 'auto' | 'dmy' | 'mdy';
  readonly timeZone: string;
  readonly limits: LogLimits;
}

/** What is stored of a read log. */
export interface ReadLog {
  readonly analysis: LogAnalysis;
  readonly data: Buffer;
  readonly columns: EventLog['report']['columns'];
  readonly usedDateOrder: EventLog['report']['timestamps']['dateOrder'];
  readonly caseAttributes: { name: string; values: string[] }[];
}

/** Why a read failed, as the worker reports it. */
export type ReadFailure =
  | { readonly kind: 'import'; readonly message: string }
  | { readonly kind: 'limit'; readonly message: string; readonly cap: 'bytes' | 'events' }
  | { readonly kind: 'other'; readonly message: string };

export class ReadError extends Error {
  constructor(readonly failure: ReadFailure) {
    super(failure.message);
    this.name = 'ReadError';
  }
}

export type ReadProgress = (fraction: number, message: string) => void;

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

function count(n: number): string {
  return n.toLocaleString('en-GB');
}

/** The file as slices (lets other work run between them when this runs on the main thread). */
async function* slices(content: Uint8Array, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const size = 256 * 1024;
  for (let at = 0; at < content.length; at += size) {
    if (signal?.aborted === true) throw new Error('stopped');
    yield content.subarray(at, at + size);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Reads, analyses and encodes a log. Throws `ReadError` when the file cannot be read. */
export async function readAndAnalyse(
  content: Uint8Array,
  request: ReadRequest,
  progress: ReadProgress,
  signal?: AbortSignal,
): Promise<ReadLog> {
  const total = Math.max(1, content.length);
  const options = {
    dateOrder: request.dateOrder,
    timeZone: request.timeZone,
    limits: request.limits,
    progressEveryRows: 5000,
    onProgress: ({ bytes, rows }: { bytes: number; rows: number }) =>
      progress(
        0.8 * Math.min(1, bytes / total),
        `Read ${count(rows)} ${request.format === 'csv' ? 'rows' : 'events'}`,
      ),
  };
  let log: EventLog;
  try {
    log =
      request.format === 'csv'
        ? await readCsvLog(slices(content, signal), {
            ...options,
            ...(request.columns ? { columns: request.columns } : {}),
          })
        : await readXesLog(slices(content, signal), options);
  } catch (error) {
    if (error instanceof LogLimitError)
      throw new ReadError({ kind: 'limit', message: error.message, cap: error.cap });
    if (error instanceof LogImportError && signal?.aborted !== true)
      throw new ReadError({ kind: 'import', message: error.message });
    throw error;
  }
  progress(
    0.82,
    `Read ${count(log.complete.length)} events in ${count(log.caseIds.length)} cases; analysing`,
  );
  await new Promise((resolve) => setImmediate(resolve));
  const analysis = storedAnalysis(analyseLog(log));
  progress(0.9, 'Compressing the log');
  await new Promise((resolve) => setImmediate(resolve));
  return {
    analysis,
    data: encodeEventLog(log),
    columns: log.report.columns,
    usedDateOrder: log.report.timestamps.dateOrder,
    caseAttributes: caseAttributeChoices(log),
  };
}

/**
 * A worker does not inherit the main thread's TypeScript loader on Node 20, so its entry module
 * is a small bootstrap that registers tsx and then imports the worker's module.
 */
function workerBootstrap(): URL {
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./eventlog-worker.ts', import.meta.url).href;
  const code = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

type WorkerMessage =
  | { type: 'progress'; fraction: number; message: string }
  | { type: 'done'; result: ReadLog }
  | { type: 'failed'; failure: ReadFailure };

/**
 * `readAndAnalyse` in a worker thread. `content` is handed over to the worker (do not use it
 * afterwards). Aborting `signal` stops the worker.
 */
export function readInWorker(
  content: Buffer,
  request: ReadRequest,
  progress: ReadProgress,
  signal?: AbortSignal,
): Promise<ReadLog> {
  // A Buffer read from the database may share a pooled ArrayBuffer: hand over a copy of its own.
  const own = new Uint8Array(content.length);
  own.set(content);
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(workerBootstrap(), {
        workerData: { content: own, request },
        transferList: [own.buffer],
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      });
    } catch {
      // No worker here (no loader, say): the same work on this thread, in slices.
      readAndAnalyse(content, request, progress, signal).then(resolve, reject);
      return;
    }
    let settled = false;
    const stop = () => void worker.terminate();
    signal?.addEventListener('abort', stop, { once: true });
    const finish = () => {
      settled = true;
      signal?.removeEventListener('abort', stop);
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') progress(message.fraction, message.message);
      else if (message.type === 'done') {
        finish();
        const result = message.result;
        const data = result.data as Uint8Array;
        resolve({ ...result, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) });
      } else {
        finish();
        reject(new ReadError(message.failure));
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (settled) return;
      finish();
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        reject(
          new ReadError({
            kind: 'other',
            message: `The log is too large to analyse in the ${count(WORKER_HEAP_MB)} MB this service gives one import. Upload a smaller extract of the log (for example one year).`,
          }),
        );
        return;
      }
      reject(error);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      signal?.removeEventListener('abort', stop);
      settled = true;
      reject(
        new Error(
          signal?.aborted === true ? 'stopped' : `The import stopped unexpectedly (code ${code})`,
        ),
      );
    });
  });
}
