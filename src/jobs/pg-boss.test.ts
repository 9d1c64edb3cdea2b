// The pg-boss queue against a real PostgreSQL (TEST_POSTGRES_URL; skipped without one): the same
// handler runs to the same outcome as with the in-process runner, progress and failures included.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage, openDatabase, type Db, type OrgScope } from '../storage/index.ts';
import { testScope } from '../../test/helpers/scope.ts';
import { createJobQueue } from './index.ts';
import { PgBossJobQueue } from './pg-boss.ts';
import { LOST_JOB } from './run.ts';
import { JobFailure, type JobHandler } from './types.ts';

const adminUrl = process.env.TEST_POSTGRES_URL;

describe.skipIf(adminUrl === undefined)('PgBossJobQueue (PostgreSQL)', () => {
  const name = `throughline_boss_${randomBytes(5).toString('hex')}`;
  let url: string;
  let db: Db;
  let scope: OrgScope;
  let queue: PgBossJobQueue;

  const handlers: JobHandler[] = [
    {
      kind: 'test.square',
      parse: (p) => p as { n: number },
      async run(payload, context) {
        context.progress(0.5, 'Squaring');
        await new Promise((r) => setTimeout(r, 300));
        return { square: (payload as { n: number }).n ** 2 };
      },
      doneMessage: () => 'Squared',
    },
    {
      kind: 'test.refuse',
      parse: (p) => p,
      run: () => Promise.reject(new JobFailure('The file ends before </log> (truncated?)')),
    },
  ];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(adminUrl as string);
    u.pathname = `/${name}`;
    url = u.toString();
    const t = await testScope({ kind: 'postgres', url });
    ({ db, scope } = t);
    const storage = t.storage;
    queue = new PgBossJobQueue(storage, handlers, {
      connectionString: url,
      pollingIntervalSeconds: 0.5,
    });
    await queue.start();
  }, 60_000);

  afterAll(async () => {
    await queue?.stop();
    await db?.close();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }, 60_000);

  async function settled(id: string) {
    for (let i = 0; i < 100; i++) {
      const job = await scope.jobs.get(id);
      if (job?.status === 'succeeded' || job?.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('job did not finish');
  }

  it('runs a job to success with its result', async () => {
    const id = await queue.enqueue(scope, 'test.square', { n: 12 });
    expect(await settled(id)).toMatchObject({
      status: 'succeeded',
      progress: 1,
      message: 'Squared',
      result: { square: 144 },
      attempts: 1,
    });
  }, 20_000);

  it('records a failure with its message and an audit entry', async () => {
    const id = await queue.enqueue(scope, 'test.refuse', {});
    expect(await settled(id)).toMatchObject({
      status: 'failed',
      error: 'The file ends before </log> (truncated?)',
    });
    expect((await scope.auditLog()).map((e) => e.action)).toContain('job.failed');
  }, 20_000);

  it('lets an enqueue-only web process hand work to a separate worker (JOB_CONCURRENCY=0)', async () => {
    // What JOB_QUEUE=pg-boss builds from the configuration …
    expect(
      createJobQueue(createStorage(db), {
        jobs: {
          kind: 'pg-boss',
          concurrency: 0,
          heartbeatMs: 5000,
          staleAfterMs: 30_000,
          maxAttempts: 3,
        },
        database: { kind: 'postgres', url },
      }),
    ).toBeInstanceOf(PgBossJobQueue);
    // … here with the test's handlers: a web process that only enqueues.
    const web = new PgBossJobQueue(createStorage(db), handlers, {
      connectionString: url,
      concurrency: 0,
    });
    await web.start();
    try {
      const id = await web.enqueue(scope, 'test.square', { n: 7 });
      // Only the worker queue (`queue`, two workers per kind) can have run it.
      expect(await settled(id)).toMatchObject({ status: 'succeeded', result: { square: 49 } });
    } finally {
      await web.stop();
    }
  }, 30_000);

  it('a paused worker hands its running job to another and still accepts new jobs until stopped', async () => {
    // A web process closing (preClose pauses the queue): its running job must go to another
    // worker at once, and a request still in flight may queue one more.
    const looping: JobHandler = {
      kind: 'test.handover',
      parse: (p) => p,
      async run(_p, context) {
        while (!context.signal.aborted) await new Promise((r) => setTimeout(r, 20));
        throw new Error('stopped');
      },
    };
    const finishing: JobHandler = {
      kind: 'test.handover',
      parse: (p) => p,
      run: () => Promise.resolve({ by: 'the other worker' }),
    };
    const options = { connectionString: url, pollingIntervalSeconds: 0.5, concurrency: 1 };
    const closing = new PgBossJobQueue(createStorage(db), [looping], options);
    await closing.start();
    let other: PgBossJobQueue | undefined;
    try {
      const running = await closing.enqueue(scope, 'test.handover', {});
      for (let i = 0; i < 100 && (await scope.jobs.get(running))?.status !== 'running'; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect((await scope.jobs.get(running))?.status).toBe('running');
      await closing.pause();
      expect(await scope.jobs.get(running)).toMatchObject({ status: 'queued' });
      // Paused, it still queues work — and runs none of it.
      const late = await closing.enqueue(scope, 'test.handover', {});
      await new Promise((r) => setTimeout(r, 1200));
      expect(await scope.jobs.get(late)).toMatchObject({ status: 'queued' });
      other = new PgBossJobQueue(createStorage(db), [finishing], options);
      await other.start();
      for (const id of [running, late])
        expect(await settled(id)).toMatchObject({
          status: 'succeeded',
          result: { by: 'the other worker' },
        });
      expect((await scope.jobs.get(running))?.attempts).toBe(2);
    } finally {
      await closing.stop();
      await other?.stop();
    }
  }, 40_000);

  it('follows pg-boss when pg-boss fails a job (its expiry passed), and stops the runner', async () => {
    let stoppedBecause: unknown;
    const slow = new PgBossJobQueue(
      createStorage(db),
      [
        {
          kind: 'test.slow',
          parse: (p) => p,
          async run(_p, context) {
            while (!context.signal.aborted) await new Promise((r) => setTimeout(r, 20));
            stoppedBecause = (context.signal.reason as Error).message;
            return 'finished anyway';
          },
        },
      ],
      {
        connectionString: url,
        pollingIntervalSeconds: 0.5,
        expireInSeconds: 1,
        heartbeatMs: 200,
        staleAfterMs: 60_000,
      },
    );
    await slow.start();
    try {
      const id = await slow.enqueue(scope, 'test.slow', {});
      for (let i = 0; i < 100 && (await scope.jobs.get(id))?.status !== 'running'; i++)
        await new Promise((r) => setTimeout(r, 100));
      // pg-boss gives up on the job after a second; the next sweep carries that to our record.
      for (let i = 0; i < 100 && (await scope.jobs.get(id))?.status === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        await slow.sweep();
      }
      const job = await scope.jobs.get(id);
      expect(job).toMatchObject({ status: 'failed', attempts: 1 });
      expect(job?.error).toContain('ran for longer than the 1 minute allowed');
      // The runner hears at its next heartbeat, stops, and writes nothing over the failure.
      for (let i = 0; i < 100 && stoppedBecause === undefined; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(stoppedBecause).toBe(LOST_JOB);
      await new Promise((r) => setTimeout(r, 300));
      expect(await scope.jobs.get(id)).toMatchObject({ status: 'failed', result: null });
    } finally {
      await slow.stop();
    }
  }, 30_000);
});

describe.skipIf(adminUrl === undefined)(
  'PgBossJobQueue starting in several processes at once',
  () => {
    const name = `throughline_boss_${randomBytes(5).toString('hex')}`;
    let url: string;
    let dbs: Db[] = [];

    beforeAll(async () => {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(adminUrl as string);
      u.pathname = `/${name}`;
      url = u.toString();
      const t = await testScope({ kind: 'postgres', url });
      dbs.push(t.db);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(dbs.map((d) => d.close()));
      dbs = [];
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }, 60_000);

    // Each worker process installs pg-boss's schema and creates its queues on start. Started
    // together on a new database they used to deadlock in PostgreSQL ("deadlock detected", seen in
    // CI with two workers); set-up is now one process at a time.
    it('starts six queues together on a new database without a deadlock', async () => {
      const kinds = ['test.a', 'test.b', 'test.c', 'test.d', 'test.e'];
      const queues = Array.from({ length: 6 }, () => {
        const db = openDatabase({ kind: 'postgres', url });
        dbs.push(db);
        return new PgBossJobQueue(
          createStorage(db),
          kinds.map((kind) => ({ kind, parse: (p: unknown) => p, run: () => Promise.resolve(1) })),
          { connectionString: url, concurrency: 1 },
        );
      });
      const outcomes = await Promise.allSettled(queues.map((q) => q.start()));
      try {
        expect(
          outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'started')),
        ).toEqual(queues.map(() => 'started'));
        for (const q of queues) expect((await q.readiness()).ready).toBe(true);
      } finally {
        await Promise.all(queues.map((q) => q.stop()));
      }
    }, 60_000);
  },
);
