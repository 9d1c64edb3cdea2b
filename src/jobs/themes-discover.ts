// Theme discovery off the main thread (themes-worker.ts), with the engine's stages reported as
// progress. Falls back to running in this thread if a worker cannot be started, so an analysis
// never fails only because of where it runs.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  discoverThemes,
  type CommentInput,
  type DiscoverOptions,
  type ThemeRun,
} from '../domain/themes/index.ts';

export type DiscoverProgress = (stage: string, fraction: number) => void;

/** Where each engine stage sits in the whole analysis (0 … 1 of the discovery part). */
const STAGES: Readonly<Record<string, [number, number]>> = {
  'reading words': [0, 0.45],
  'building vectors': [0.45, 0.65],
  'finding themes': [0.65, 0.85],
  'assigning comments': [0.85, 1],
};

function fractionOf(stage: string, done: number, total: number): number {
  const [from, to] = STAGES[stage] ?? [0, 1];
  return from + (to - from) * (total > 0 ? Math.min(1, done / total) : 0);
}

/**
 * A worker does not inherit the main thread's TypeScript loader on Node 20, so its entry module is a
 * small bootstrap that registers tsx and then imports themes-worker.ts.
 */
function workerBootstrap(): URL {
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./themes-worker.ts', import.meta.url).href;
  const code = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

export function discoverInWorker(
  comments: readonly CommentInput[],
  options: Omit<DiscoverOptions, 'onProgress'>,
  onProgress: DiscoverProgress,
  signal?: AbortSignal,
): Promise<ThemeRun> {
  const plain = comments.map((c) => ({
    text: c.text,
    date: c.date,
    channel: c.channel,
    area: c.area,
    group: c.group,
  }));
  const here = () =>
    discoverThemes(plain, {
      ...options,
      onProgress: (stage, done, total) => onProgress(stage, fractionOf(stage, done, total)),
    });
  let heard = false;
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(workerBootstrap(), { workerData: { comments: plain, options } });
    } catch {
      resolve(here());
      return;
    }
    let settled = false;
    const stop = () => void worker.terminate();
    signal?.addEventListener('abort', stop, { once: true });
    worker.on(
      'message',
      (message: {
        type: string;
        stage?: string;
        done?: number;
        total?: number;
        run?: ThemeRun;
      }) => {
        heard = true;
        if (message.type === 'progress' && message.stage !== undefined)
          onProgress(
            message.stage,
            fractionOf(message.stage, message.done ?? 0, message.total ?? 0),
          );
        else if (message.type === 'done' && message.run) {
          settled = true;
          signal?.removeEventListener('abort', stop);
          resolve(message.run);
          void worker.terminate();
        }
      },
    );
    worker.on('error', (error) => {
      settled = true;
      signal?.removeEventListener('abort', stop);
      // A worker that could not even start (no loader, say): do the work here instead.
      if (!heard && !signal?.aborted) resolve(here());
      else reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) {
        signal?.removeEventListener('abort', stop);
        reject(
          new Error(
            signal?.aborted
              ? 'The analysis was stopped'
              : `The analysis stopped unexpectedly (code ${code})`,
          ),
        );
      }
    });
  });
}
