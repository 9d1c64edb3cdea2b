// Theme discovery, and finding every theme each comment speaks to, off the main thread
// (themes-worker.ts), with the engine's stages reported as progress. Falls back to running in this
// thread if a worker cannot be started, so an analysis never fails only because of where it runs.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  discoverThemes,
  findMentions,
  loadWordVectors,
  type CommentInput,
  type DiscoverOptions,
  type MentionOptions,
  type MentionsResult,
  type ThemeRun,
} from '../domain/themes/index.ts';
import type { WorkerTask } from './themes-worker.ts';

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

/**
 * Runs `task` in a worker thread: resolves to its result, reports its progress messages, stops it
 * when `signal` aborts, and does the work in this thread (`here`) if a worker cannot be started.
 */
function inWorker<T>(
  task: WorkerTask,
  here: () => T,
  onMessage: (message: { stage?: string; done?: number; total?: number }) => void,
  signal?: AbortSignal,
): Promise<T> {
  let heard = false;
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(workerBootstrap(), { workerData: task });
    } catch {
      resolve(here());
      return;
    }
    let settled = false;
    const stop = () => void worker.terminate();
    signal?.addEventListener('abort', stop, { once: true });
    worker.on(
      'message',
      (message: { type: string; stage?: string; done?: number; total?: number; result?: T }) => {
        heard = true;
        if (message.type === 'progress') onMessage(message);
        else if (message.type === 'done' && message.result !== undefined) {
          settled = true;
          signal?.removeEventListener('abort', stop);
          resolve(message.result);
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
  return inWorker<ThemeRun>(
    { task: 'discover', comments: plain, options },
    () =>
      discoverThemes(plain, {
        ...options,
        onProgress: (stage, done, total) => onProgress(stage, fractionOf(stage, done, total)),
      }),
    (message) => {
      if (message.stage !== undefined)
        onProgress(message.stage, fractionOf(message.stage, message.done ?? 0, message.total ?? 0));
    },
    signal,
  );
}

/**
 * Every theme each comment speaks to, with sentiment and stance (mentions.ts), in a worker thread:
 * it takes longer than finding the themes (3.9 s for 40,000 comments, where discovery took 2.1 s),
 * and on the job's own thread it stopped the heartbeat, so the job was taken for dead and run again.
 */
export function mentionsInWorker(
  texts: readonly string[],
  primary: readonly (string | null)[],
  themeIds: readonly string[],
  options: MentionOptions,
  signal?: AbortSignal,
): Promise<MentionsResult> {
  return inWorker<MentionsResult>(
    {
      task: 'mentions',
      texts: [...texts],
      primary: [...primary],
      themeIds: [...themeIds],
      options,
    },
    () => findMentions(texts, primary, themeIds, loadWordVectors(), options),
    () => undefined,
    signal,
  );
}
