// Graceful shutdown (issue 16, point 3), with a real web process on SQLite (the in-process runner):
// on SIGTERM it stops taking connections, finishes a request in flight (its body still arriving),
// puts the import it was running back in the queue — not failed, with an audit entry — and exits 0;
// started again, it runs the import to the end. Deterministic: each step polls for a state.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDED_BACK } from '../../src/jobs/run.ts';
import { generatedLog, queueImport } from '../helpers/imports.ts';
import { startWeb, waitFor, type ChildService } from '../helpers/processes.ts';
import { testScope, type TestScope } from '../helpers/scope.ts';

/**
 * Starts a POST whose body arrives in two halves; `finish()` sends the second half and resolves
 * with the response's status (or the error if the connection was cut).
 */
async function slowRequest(port: number) {
  const body = 'email=someone%40example.org&password=not-the-password';
  let settle: (value: number | Error) => void = () => undefined;
  const answered = new Promise<number | Error>((resolve) => (settle = resolve));
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/sign-in',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
    },
  });
  req.on('response', (res) => {
    res.resume();
    res.on('end', () => settle(res.statusCode ?? 0));
  });
  req.on('error', (error) => settle(error));
  req.write(body.slice(0, 10));
  req.flushHeaders();
  // The server has the request once its headers are in: give it a moment to read them.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    finish: () => {
      req.end(body.slice(10));
      return answered;
    },
  };
}

describe('a web process told to stop (SIGTERM) on SQLite', () => {
  let dir: string;
  let t: TestScope;
  let web: ChildService | undefined;
  const port = 3262;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'throughline-shutdown-'));
    const file = path.join(dir, 'shutdown.sqlite');
    t = await testScope({ kind: 'sqlite', file });
    env = {
      DATABASE_URL: `sqlite:${file}`,
      DATA_DIR: dir,
      JOB_CONCURRENCY: '1',
      SHUTDOWN_GRACE_SECONDS: '30',
    };
  });

  afterAll(async () => {
    await web?.crash();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the request in flight, hands the running import back, exits 0, and runs it on its next start', async () => {
    const id = await queueImport(t.scope, generatedLog(3_000_000), 'Handed back', 3);
    web = await startWeb(port, env);
    const running = await waitFor(
      'the import to be under way',
      () => t.scope.jobs.get(id),
      // Still reading the file (the first 80 %), so it cannot finish before the signal lands;
      // large enough that the reading lasts, even on a busy machine.
      (j) => j?.status === 'running' && j.progress > 0 && j.progress < 0.8,
    );
    expect(running?.attempts).toBe(1);

    const inFlight = await slowRequest(port);
    const child = web;
    const exited = child.exited();
    process.kill(child.pid, 'SIGTERM');
    // The request in flight is answered, not cut, although the process is stopping.
    const status = await inFlight.finish();
    expect(status).not.toBeInstanceOf(Error);
    expect(typeof status).toBe('number');
    await exited;
    expect(child.exitCode()).toBe(0);

    // The import is back in the queue, not failed, and the audit log says why.
    const handed = await t.scope.jobs.get(id);
    expect(handed).toMatchObject({ status: 'queued', message: HANDED_BACK, error: null });
    const audit = await t.scope.auditLog();
    const entry = audit.find((e) => e.action === 'job.requeued' && e.entityId === id);
    expect(entry?.details).toMatchObject({ reason: 'the service was stopping' });
    expect(await t.scope.logs.list()).toHaveLength(0);

    // Started again, the service runs it to the end.
    web = await startWeb(port, env);
    const done = await waitFor(
      'the import to finish after the restart',
      () => t.scope.jobs.get(id),
      (j) => j?.status === 'succeeded' || j?.status === 'failed',
      300_000,
    );
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(done?.result).toMatchObject({ events: 3_000_000 });
    await web.stop();
    web = undefined;
  }, 500_000);
});
