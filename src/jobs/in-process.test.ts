// The in-process job runner against a real (temporary SQLite) database: jobs move queued →
// running → succeeded or failed, progress is stored, concurrency is bounded, a failure's message
// reaches the record and the audit log, and jobs left running by a dead process are tried again
// (or failed after their last try).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db, OrgScope, Storage } from '../storage/index.ts';
import { testScope, type TestScope } from '../../test/helpers/scope.ts';
import { JobRecords } from '../storage/index.ts';
import { GENERIC_FAILURE, HANDED_BACK, LOST_JOB } from './run.ts';
import { InProcessJobRunner } from './in-process.ts';
import { sweepStaleJobs } from './sweeper.ts';
import { JobFailure, type JobHandler } from './types.ts';

let t: TestScope;
let db: Db;
let storage: Storage;
let scope: OrgScope;

beforeEach(async () => {
  t = await testScope();
  ({ db, storage, scope } = t);
});

afterEach(() => t.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('InProcessJobRunner', () => {
  it('runs a job, stores its progress and result, and names the person who queued it', async () => {
    const seen: number[] = [];
    const handler: JobHandler<{ n: number }, { doubled: number }> = {
      kind: 'test.double',
      parse: (p) => p as { n: number },
      async run(payload, context) {
        context.progress(0.5, 'Half way');
        await sleep(400);
        const record = await context.scope.jobs.get(context.jobId);
        seen.push(record?.progress ?? -1);
        return { doubled: payload.n * 2 };
      },
      doneMessage: (r) => `Doubled to ${r.doubled}`,
    };
    const runner = new InProcessJobRunner(storage, [handler as JobHandler], { pollMs: 50 });
    await runner.start();
    const id = await runner.enqueue(scope, 'test.double', { n: 21 });
    await runner.idle();
    const job = await scope.jobs.get(id);
    expect(job).toMatchObject({
      status: 'succeeded',
      progress: 1,
      message: 'Doubled to 42',
      result: { doubled: 42 },
      createdByLabel: 'Tester',
      attempts: 1,
    });
    expect(seen).toEqual([0.5]);
    expect((await scope.auditLog()).map((e) => e.action)).toContain('job.queued');
    await runner.stop();
  });

  it('runs at most `concurrency` jobs at once', async () => {
    let running = 0;
    let most = 0;
    const handler: JobHandler = {
      kind: 'test.wait',
      parse: (p) => p,
      async run() {
        running++;
        most = Math.max(most, running);
        await sleep(60);
        running--;
        return null;
      },
    };
    const runner = new InProcessJobRunner(storage, [handler], { concurrency: 2, pollMs: 20 });
    await runner.start();
    for (let i = 0; i < 6; i++) await runner.enqueue(scope, 'test.wait', {});
    await runner.idle();
    expect(most).toBe(2);
    const jobs = await scope.jobs.list({ kind: 'test.wait' });
    expect(jobs.every((j) => j.status === 'succeeded')).toBe(true);
    await runner.stop();
  });

  it('fails a job with its own message, or a plain one for an unexpected error, with audit entries', async () => {
    const errors: string[] = [];
    const handlers: JobHandler[] = [
      {
        kind: 'test.refuse',
        parse: (p) => p,
        run: () => Promise.reject(new JobFailure('line 3: "soon" is not a date')),
      },
      {
        kind: 'test.crash',
        parse: (p) => p,
        run: () => Promise.reject(new Error('internal detail that must not be shown')),
      },
    ];
    const runner = new InProcessJobRunner(storage, handlers, {
      pollMs: 20,
      log: { error: (_details, message) => errors.push(message) },
    });
    await runner.start();
    const refused = await runner.enqueue(scope, 'test.refuse', {});
    const crashed = await runner.enqueue(scope, 'test.crash', {});
    await runner.idle();
    expect(await scope.jobs.get(refused)).toMatchObject({
      status: 'failed',
      error: 'line 3: "soon" is not a date',
    });
    expect(await scope.jobs.get(crashed)).toMatchObject({
      status: 'failed',
      error: GENERIC_FAILURE,
    });
    expect(errors).toEqual(['background job failed']);
    const failures = (await scope.auditLog()).filter((e) => e.action === 'job.failed');
    expect(failures).toHaveLength(2);
    await runner.stop();
  });

  it('refuses a kind it has no handler for', async () => {
    const runner = new InProcessJobRunner(storage, []);
    await expect(runner.enqueue(scope, 'test.unknown', {})).rejects.toThrow('no handler');
  });

  it('tries again a job whose process died (its heartbeat stopped), on start', async () => {
    const id = await scope.jobs.create('test.wait', {});
    await db.kysely
      .updateTable('jobs')
      .set({ status: 'running', attempts: 1, heartbeat_at: '2000-01-01T00:00:00.000Z' })
      .where('id', '=', id)
      .execute();
    const runner = new InProcessJobRunner(
      storage,
      [{ kind: 'test.wait', parse: (p) => p, run: (_p, c) => Promise.resolve(c.attempt) }],
      { pollMs: 20 },
    );
    await runner.start();
    await runner.idle();
    expect(await scope.jobs.get(id)).toMatchObject({ status: 'succeeded', attempts: 2, result: 2 });
    expect((await scope.auditLog()).map((e) => e.action)).toContain('job.requeued');
    await runner.stop();
  });

  it('fails, with a message saying so, a job whose process died on its last try', async () => {
    const id = await scope.jobs.create('test.wait', {}, undefined, 2);
    await db.kysely
      .updateTable('jobs')
      .set({ status: 'running', attempts: 2, heartbeat_at: '2000-01-01T00:00:00.000Z' })
      .where('id', '=', id)
      .execute();
    const runner = new InProcessJobRunner(storage, [
      { kind: 'test.wait', parse: (p) => p, run: () => Promise.resolve(null) },
    ]);
    await runner.start();
    const job = await scope.jobs.get(id);
    expect(job).toMatchObject({ status: 'failed', attempts: 2 });
    expect(job?.error).toContain('stopped before it finished');
    expect(job?.error).toContain('twice');
    await runner.stop();
  });

  it('lets only one of two sweepers acting at once put a dead job back, or fail it', async () => {
    const requeue = await scope.jobs.create('test.wait', {});
    const last = await scope.jobs.create('test.wait', {}, undefined, 1);
    await db.kysely
      .updateTable('jobs')
      .set({ status: 'running', attempts: 1, heartbeat_at: '2000-01-01T00:00:00.000Z' })
      .where('id', 'in', [requeue, last])
      .execute();
    const sweep = () => sweepStaleJobs(storage, { staleAfterMs: 1000, kinds: ['test.wait'] });
    const results = await Promise.all([sweep(), sweep(), sweep()]);
    expect(results.flatMap((r) => r.requeued)).toEqual([requeue]);
    expect(results.flatMap((r) => r.failed)).toEqual([last]);
    expect(await scope.jobs.get(requeue)).toMatchObject({ status: 'queued', attempts: 1 });
    expect((await scope.jobs.get(requeue))?.message).toContain('try 2 of 3 next');
    const audit = (await scope.auditLog()).map((e) => `${e.action} ${e.entityId}`);
    expect(audit.filter((e) => e === `job.requeued ${requeue}`)).toHaveLength(1);
    expect(audit.filter((e) => e === `job.failed ${last}`)).toHaveLength(1);
  });

  it('keeps a job whose heartbeat is fresh, and stops a runner whose try was handed on', async () => {
    const seen: string[] = [];
    const handler: JobHandler = {
      kind: 'test.held',
      parse: (p) => p,
      async run(_p, context) {
        if (context.attempt === 1) {
          // The first try works until it is told to stop, then fails in its own way.
          while (!context.signal.aborted) await sleep(10);
          seen.push(String((context.signal.reason as Error).message));
          throw new JobFailure('first try gave up');
        }
        return `try ${context.attempt}`;
      },
    };
    // The first runner writes heartbeats; another sweeps as a second process would.
    const first = new InProcessJobRunner(storage, [handler], { pollMs: 20, heartbeatMs: 50 });
    await first.start();
    const id = await first.enqueue(scope, 'test.held', {});
    while ((await scope.jobs.get(id))?.status !== 'running') await sleep(10);
    const other = new InProcessJobRunner(storage, [handler], {
      pollMs: 20,
      heartbeatMs: 50,
      staleAfterMs: 400,
      sweepMs: 50,
    });
    await other.start();
    // Well past the stale time, the heartbeat keeps the job on the first runner's try.
    await sleep(1000);
    expect(await scope.jobs.get(id)).toMatchObject({ status: 'running', attempts: 1 });
    // A sweeper that took the first runner for dead hands the job to another try …
    expect(await new JobRecords(db.kysely).requeue(id, 1, 'again')).toBe(true);
    // … which the other runner finishes; the first hears at its next heartbeat and stops, writing
    // nothing over the second try's outcome.
    while (seen.length === 0) await sleep(10);
    await other.idle();
    expect(seen).toEqual([LOST_JOB]);
    expect(await scope.jobs.get(id)).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      result: 'try 2',
    });
    await first.stop();
    await other.stop();
    expect(await scope.jobs.get(id)).toMatchObject({ status: 'succeeded', result: 'try 2' });
  });

  it('asks running jobs to stop when it stops, and puts them back in the queue', async () => {
    const runner = new InProcessJobRunner(
      storage,
      [
        {
          kind: 'test.long',
          parse: (p) => p,
          async run(_p, context) {
            while (!context.signal.aborted) await sleep(10);
            throw new Error('stopped');
          },
        },
      ],
      { pollMs: 20 },
    );
    await runner.start();
    const id = await runner.enqueue(scope, 'test.long', {});
    while ((await scope.jobs.get(id))?.status !== 'running') await sleep(10);
    await runner.stop();
    // Handed back for the next start (or another runner), not failed: the try still counts.
    expect(await scope.jobs.get(id)).toMatchObject({
      status: 'queued',
      message: HANDED_BACK,
      error: null,
      attempts: 1,
    });
    const again = new InProcessJobRunner(
      storage,
      [{ kind: 'test.long', parse: (p) => p, run: () => Promise.resolve('second try') }],
      { pollMs: 20 },
    );
    await again.start();
    await again.idle();
    await again.stop();
    expect(await scope.jobs.get(id)).toMatchObject({
      status: 'succeeded',
      result: 'second try',
      attempts: 2,
    });
  });
});
