// Real product processes for crash tests: `src/main.ts` (a web process, with the in-process job
// runner or enqueuing to pg-boss) or `src/worker.ts` (a pg-boss worker), started as children with
// their own environment, waited for, and ended — gracefully, or with SIGKILL as a crash would.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ChildService {
  readonly pid: number;
  readonly output: () => string;
  /** The exit code once the process has exited (null while it runs, or if a signal ended it). */
  readonly exitCode: () => number | null;
  /** Resolves once the process has exited (at once if it already has). */
  exited(): Promise<void>;
  /** SIGKILL: the process dies mid-work, as in a crash or a lost machine. */
  crash(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..', '..');

/** Starts `node --import tsx <script>` in the checkout with `env` added to this one's. */
export function startChild(script: string, env: Record<string, string>): ChildService {
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const pid = child.pid;
  return {
    pid,
    output: () => out,
    exitCode: () => child.exitCode,
    exited: () => gone,
    async crash() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await gone;
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await gone;
        clearTimeout(timer);
      }
    },
  };
}

/** A web process (`src/main.ts`) on `port`, once `/healthz` answers. */
export async function startWeb(port: number, env: Record<string, string>): Promise<ChildService> {
  const child = startChild('src/main.ts', { PORT: String(port), HOST: '127.0.0.1', ...env });
  let exited = false;
  void child.exited().then(() => (exited = true));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`the web process exited early:\n${child.output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await child.crash();
      throw new Error(`the web process did not become healthy in 90 s:\n${child.output()}`);
    }
    await sleep(200);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until `done` holds of its value, or throws after `timeoutMs` naming `what`. */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 120_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await sleep(everyMs);
  }
}
