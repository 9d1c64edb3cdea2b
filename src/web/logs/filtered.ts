// Filtered views of large logs, off the web process's event loop. Filtering a log of millions of
// events means decoding it and analysing the cases kept — seconds of work that would stop every
// other page (and /healthz) meanwhile, and hundreds of megabytes held by the cache. For a log above
// LARGE_LOG_EVENTS the work runs in a worker thread, one at a time, and each filtered analysis is
// kept (a few dozen, least recently used first out): opening the same view again is served from
// that summary without reading the log again. A log is never changed once stored, so the key is
// the organisation, the log and the filter.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LogAnalysis, LogFilter } from '../../domain/mining/index.ts';

/** Above this many events, filtered views are worked out in a worker thread and kept. */
export const LARGE_LOG_EVENTS = 500_000;
const KEPT = 32;
const WORKER_HEAP_MB = 3072;

export type FilteredOutcome =
  | { readonly ok: true; readonly analysis: LogAnalysis | null }
  | { readonly ok: false; readonly message: string };

const kept = new Map<string, FilteredOutcome>();
let queue: Promise<unknown> = Promise.resolve();

function bootstrap(): URL {
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./filter-worker.ts', import.meta.url).href;
  const code = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

function inWorker(data: Buffer, filter: LogFilter): Promise<FilteredOutcome> {
  const own = new Uint8Array(data.length);
  own.set(data);
  return new Promise((resolve, reject) => {
    const worker = new Worker(bootstrap(), {
      workerData: { data: own, filter },
      transferList: [own.buffer],
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    let settled = false;
    worker.on(
      'message',
      (m: { type: 'done'; analysis: LogAnalysis | null } | { type: 'failed'; message: string }) => {
        settled = true;
        void worker.terminate();
        resolve(
          m.type === 'done'
            ? { ok: true, analysis: m.analysis }
            : { ok: false, message: m.message },
        );
      },
    );
    worker.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the filtered view stopped unexpectedly (code ${code})`));
    });
  });
}

/** The analysis of a large log's filtered cases: kept, or worked out in a worker thread. */
export async function filteredAnalysis(
  organisationId: string,
  logId: string,
  filterKey: string,
  filter: LogFilter,
  load: () => Promise<Buffer | undefined>,
): Promise<FilteredOutcome | undefined> {
  const key = `${organisationId}/${logId}?${filterKey}`;
  const hit = kept.get(key);
  if (hit !== undefined) {
    kept.delete(key);
    kept.set(key, hit);
    return hit;
  }
  // One at a time: each holds a decoded log in memory while it works.
  const run = queue.then(async () => {
    const again = kept.get(key);
    if (again !== undefined) return again;
    const data = await load();
    if (data === undefined) return undefined;
    const outcome = await inWorker(data, filter);
    kept.set(key, outcome);
    while (kept.size > KEPT) kept.delete(kept.keys().next().value as string);
    return outcome;
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Forgets a deleted log's filtered views. */
export function forgetFiltered(organisationId: string, logId: string): void {
  const prefix = `${organisationId}/${logId}?`;
  for (const key of [...kept.keys()]) if (key.startsWith(prefix)) kept.delete(key);
}
