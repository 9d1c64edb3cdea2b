// Jobs that survive a crash (issue 16, point 2), with real processes and SIGKILL:
// - SQLite, the in-process runner: the web process importing a large event log is killed mid-job;
//   the record still says "running" (nothing could say otherwise) — and once the service is
//   started again, the job is tried again and finishes, or, on its last try, fails with a message
//   saying why.
// - PostgreSQL, pg-boss with two worker processes: the worker running a comment analysis is killed;
//   the other worker finishes it, and pg-boss's record of the first try says it failed.
// Deterministic: each step polls the database for a state with a generous timeout; nothing here
// asserts how fast anything is.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readComments } from '../../src/domain/themes/index.ts';
import { PgBossJobQueue, jobHandlers } from '../../src/jobs/index.ts';
import { commentsCsv, generateComments } from '../../src/seed/comments.ts';
import { queueAnalysis } from '../../src/services/themes/queue.ts';
import type { JobRecord } from '../../src/storage/index.ts';
import { testDatabases } from '../helpers/databases.ts';
import { generatedLog, queueImport } from '../helpers/imports.ts';
import { startChild, startWeb, waitFor, type ChildService } from '../helpers/processes.ts';
import { testScope, type TestScope } from '../helpers/scope.ts';

/** Heartbeats every second; a job silent for 5 s lost its process (the defaults are 5 s and 30 s). */
const FAST_SWEEP = { JOB_HEARTBEAT_SECONDS: '1', JOB_STALE_SECONDS: '5' };

const pidOf = (job: JobRecord | undefined) => Number(job?.runner?.split(':')[1]);

describe('a job whose process is killed (SQLite, in-process runner)', () => {
  let dir: string;
  let t: TestScope;
  let web: ChildService | undefined;
  const port = 3260;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'throughline-jobs-crash-'));
    const file = path.join(dir, 'crash.sqlite');
    // One organisation already there, so the service does not seed the demo.
    t = await testScope({ kind: 'sqlite', file });
    // One job at a time, so the second import waits while the first runs.
    env = { DATABASE_URL: `sqlite:${file}`, DATA_DIR: dir, JOB_CONCURRENCY: '1', ...FAST_SWEEP };
  });

  afterAll(async () => {
    await web?.crash();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const job = (id: string) => () => t.scope.jobs.get(id);

  it('is tried again after a restart and finishes; on its last try it fails saying why', async () => {
    const content = generatedLog(800_000);
    const first = await queueImport(t.scope, content, 'Killed once', 3);

    // 1. The service takes the first import; it is killed part-way through.
    web = await startWeb(port, env);
    const running = await waitFor(
      'the first import to be under way',
      job(first),
      (j) => j?.status === 'running' && j.progress > 0,
    );
    expect(pidOf(running)).toBe(web.pid);
    await web.crash();
    const dead = await t.scope.jobs.get(first);
    expect(dead).toMatchObject({ status: 'running', attempts: 1 });
    expect(dead?.progress).toBeLessThan(1);

    // 2. Started again, the service notices the silent job, runs it again and finishes it.
    web = await startWeb(port, env);
    const done = await waitFor(
      'the first import to finish on its second try',
      job(first),
      (j) => j?.status === 'succeeded' || j?.status === 'failed',
      180_000,
    );
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, error: null });
    expect(done?.result).toMatchObject({ events: 800_000, cases: 200_000 });
    expect(pidOf(done)).toBe(web.pid);
    const logs = await t.scope.logs.list();
    expect(logs.filter((l) => l.name === 'Killed once')).toHaveLength(1);
    const audit = await t.scope.auditLog();
    expect(audit.filter((e) => e.action === 'job.requeued' && e.entityId === first)).toHaveLength(
      1,
    );

    // 3. The second import (one try only) is killed too: after the restart it fails, saying why,
    //    and nothing of it is stored. Queued only now: queued at the start, it could run and
    //    finish while the checks above read the first one's results, before it could be killed.
    const last = await queueImport(t.scope, content, 'Killed on its last try', 1);
    await waitFor(
      'the second import to be under way',
      job(last),
      (j) => j?.status === 'running' && j.progress > 0,
    );
    await web.crash();
    web = await startWeb(port, env);
    const failed = await waitFor(
      'the second import to be failed',
      job(last),
      (j) => j?.status !== 'running' && j?.status !== 'queued',
      60_000,
    );
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed?.error).toContain('stopped before it finished');
    expect(failed?.error).toContain('Start it again');
    expect((await t.scope.logs.list()).filter((l) => l.name.includes('last try'))).toHaveLength(0);
    await web.stop();
    web = undefined;
  }, 400_000);
});

const postgres = testDatabases.find((d) => d.name === 'postgres');

describe.skipIf(postgres === undefined)(
  'a job whose worker is killed (PostgreSQL, pg-boss, two workers)',
  () => {
    let t: TestScope;
    let drop: () => Promise<void>;
    let url: string;
    let workers: ChildService[] = [];
    let web: PgBossJobQueue | undefined;

    beforeAll(async () => {
      const database = await (postgres as NonNullable<typeof postgres>).create();
      drop = () => database.drop();
      if (database.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
      url = database.config.url;
      t = await testScope(database.config);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(workers.map((w) => w.crash()));
      await web?.stop();
      await t?.close();
      await drop?.();
    }, 60_000);

    it('is finished by the other worker, and the records of both queues say so', async () => {
      // A comment set large enough for the analysis to take a while.
      const read = await readComments(Readable.from([commentsCsv(generateComments(40_000, 7))]), {
        format: 'csv',
        columns: { text: 'comment' },
      });
      const setId = await t.scope.themes.createSet({
        name: 'Comments',
        fileName: 'comments.csv',
        format: 'csv',
        columns: ['submitted', 'channel', 'ward', 'respondent', 'comment'],
        mapping: { text: 'comment' },
        read,
      });

      const workerEnv = {
        DATABASE_URL: url,
        JOB_QUEUE: 'pg-boss',
        JOB_CONCURRENCY: '1',
        ...FAST_SWEEP,
      };
      workers = [startChild('src/worker.ts', workerEnv), startChild('src/worker.ts', workerEnv)];
      for (const worker of workers)
        await waitFor(
          'a worker to start',
          () => Promise.resolve(worker.output()),
          (o) => o.includes('worker running'),
        );

      // A web process that only enqueues (JOB_CONCURRENCY=0).
      web = new PgBossJobQueue(t.storage, jobHandlers(), {
        connectionString: url,
        concurrency: 0,
        heartbeatMs: 1000,
        staleAfterMs: 5000,
      });
      await web.start();
      const analysisId = await queueAnalysis(web, t.scope, setId, { seed: 3, themes: null });
      if (analysisId === undefined) throw new Error('the analysis was not queued');
      const jobId = (await t.scope.themes.analysis(analysisId))?.jobId;
      if (jobId == null) throw new Error('the analysis has no job');
      const job = () => t.scope.jobs.get(jobId);

      const running = await waitFor(
        'the analysis to be under way',
        job,
        (j) => j?.status === 'running' && j.progress > 0.05,
      );
      const victim = workers.find((w) => w.pid === pidOf(running));
      const survivor = workers.find((w) => w.pid !== pidOf(running));
      if (victim === undefined || survivor === undefined)
        throw new Error(`the job's runner ${running?.runner} is neither worker`);
      const firstRef = running?.queueRef;
      await victim.crash();

      const done = await waitFor(
        'the analysis to finish on the other worker',
        job,
        (j) => j?.status === 'succeeded' || j?.status === 'failed',
        180_000,
      );
      expect(done).toMatchObject({ status: 'succeeded', attempts: 2, error: null });
      expect(pidOf(done)).toBe(survivor.pid);
      expect((await t.scope.themes.analysis(analysisId))?.status).toBe('done');
      expect((await t.scope.themes.themes(analysisId)).length).toBeGreaterThan(0);
      // pg-boss agrees: the dead worker's job failed, the new one completed.
      const states = await sql<{ id: string; state: string }>`
        select id::text, state::text from pgboss.job where data->>'jobId' = ${jobId}
        union all select id::text, state::text from pgboss.archive where data->>'jobId' = ${jobId}
      `.execute(t.db.kysely);
      const byId = new Map(states.rows.map((r) => [r.id, r.state]));
      expect(byId.get(String(firstRef))).toBe('failed');
      expect(byId.get(String(done?.queueRef))).toBe('completed');
      const audit = await t.scope.auditLog();
      expect(audit.some((e) => e.action === 'job.requeued' && e.entityId === jobId)).toBe(true);
    }, 400_000);
  },
);
