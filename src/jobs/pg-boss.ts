// The scale-out queue: pg-boss 10.x, a proven job queue kept in PostgreSQL (its own `pgboss`
// schema). Behind the same `JobQueue` interface as the in-process runner, and running jobs with
// the same `runJob`, so handlers cannot tell which queue ran them. Our `jobs` table stays the
// record people see (organisation, progress, result or error); pg-boss carries the job id to a
// worker — in this process or in separate worker processes that call `start()` and never serve
// pages — and `queue_ref` names the pg-boss job that carries it now.
//
// Surviving a worker that dies (issue 16): pg-boss 10 has no heartbeat, and its expiry must allow
// the longest import, so it cannot notice a dead worker quickly. Our runner writes a heartbeat
// instead, and every process running this queue sweeps: a job whose heartbeat stopped is put back
// in our queue and its pg-boss job failed ("the worker stopped") and sent again, so any live worker
// picks it up — or, after its last try, failed in both. The record also follows pg-boss: when
// pg-boss fails a job (its expiry passed), the record is failed with that reason, and a queued
// record whose pg-boss job is gone is sent again. pg-boss's own retries stay off (`retryLimit: 0`):
// our tries are counted on our record, once.
import { sql } from 'kysely';
import PgBoss from 'pg-boss';
import {
  DEFAULT_MAX_ATTEMPTS,
  JobRecords,
  OrgScope,
  type JobRecord,
  type Storage,
} from '../storage/index.ts';
import { DEFAULT_HEARTBEAT_MS, runJob, runnerName } from './run.ts';
import { DEFAULT_STALE_AFTER_MS, sweepStaleJobs } from './sweeper.ts';
import type { JobHandler, JobLogger, JobQueue, QueueReadiness } from './types.ts';

export interface PgBossOptions {
  /** The PostgreSQL database (usually the product's own `DATABASE_URL`). */
  readonly connectionString: string;
  /** Jobs of each kind this process runs at once (default 2). 0: only enqueue, never run. */
  readonly concurrency?: number;
  /** How often an idle worker asks for work, in seconds (pg-boss's minimum is 0.5; default 2). */
  readonly pollingIntervalSeconds?: number;
  /** How often a running job's heartbeat is written (ms, default 5,000). */
  readonly heartbeatMs?: number;
  /** A running job not heard from for this long (ms) has lost its worker (default 30 s). */
  readonly staleAfterMs?: number;
  /** How often to sweep (ms; default a third of `staleAfterMs`, at most 10 s). */
  readonly sweepMs?: number;
  /** Tries a job gets when its worker dies (default 3). */
  readonly maxAttempts?: number;
  /** The longest a job may run before pg-boss fails it (seconds, default 4 hours). */
  readonly expireInSeconds?: number;
}

/** Why pg-boss failed a job, in words for the person who started it. */
export function queueFailureMessage(output: unknown, expireInSeconds: number): string {
  const text =
    typeof output === 'object' && output !== null
      ? JSON.stringify((output as { value?: unknown }).value ?? output)
      : String(output);
  // pg-boss's words: "handler execution exceeded …ms" (the worker's wait) or "job failed by
  // timeout in active state" (its maintenance, when no worker is left to notice).
  if (text.includes('timeout') || text.includes('exceeded')) {
    const hours = expireInSeconds / 3600;
    const minutes = Math.max(1, Math.round(expireInSeconds / 60));
    const limit =
      hours >= 1
        ? `${Number(hours.toFixed(1))} hour${hours === 1 ? '' : 's'}`
        : `${minutes} minute${minutes === 1 ? '' : 's'}`;
    return `The job queue stopped this job because it ran for longer than the ${limit} allowed. Start it again; if it stops again, tell your administrator.`;
  }
  return 'The job queue gave up on this job. Start it again; if it fails again, tell your administrator.';
}

/** The advisory lock under which one process at a time installs pg-boss and creates its queues. */
const BOSS_SETUP_LOCK = 7_311_020_016;

export class PgBossJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly boss: PgBoss;
  private readonly concurrency: number;
  private readonly heartbeatMs: number;
  private readonly staleAfterMs: number;
  private readonly sweepMs: number;
  private readonly maxAttempts: number;
  private readonly expireInSeconds: number;
  private readonly runner = runnerName();
  private readonly runningIds = new Set<string>();
  private controller = new AbortController();
  private log: JobLogger | undefined;
  private started = false;
  /** Workers are taking jobs (false once paused; `send` still works until `stop`). */
  private working = false;
  private readonly runs = new Set<Promise<unknown>>();
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly storage: Storage,
    handlers: readonly JobHandler[],
    private readonly options: PgBossOptions,
  ) {
    for (const handler of handlers) this.handlers.set(handler.kind, handler);
    this.concurrency = options.concurrency ?? 2;
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.sweepMs = options.sweepMs ?? Math.min(10_000, Math.max(100, this.staleAfterMs / 3));
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.expireInSeconds = options.expireInSeconds ?? 4 * 3600;
    this.boss = new PgBoss({ connectionString: options.connectionString, max: 4 });
    this.boss.on('error', (error) => this.log?.error({ err: error }, 'pg-boss error'));
  }

  private get kinds(): string[] {
    return [...this.handlers.keys()];
  }

  /** Hands our job to pg-boss (again) and notes which pg-boss job carries it. */
  private async send(kind: string, jobId: string): Promise<void> {
    const ref = await this.boss.send(
      kind,
      { jobId },
      { retryLimit: 0, expireInSeconds: this.expireInSeconds },
    );
    if (ref !== null) await new JobRecords(this.storage.db.kysely).setQueueRef(jobId, ref);
  }

  async enqueue(scope: OrgScope, kind: string, payload: unknown): Promise<string> {
    if (!this.handlers.has(kind)) throw new Error(`no handler for job kind "${kind}"`);
    if (!this.started) throw new Error('the job queue has not been started');
    const id = await scope.jobs.create(kind, payload, undefined, this.maxAttempts);
    try {
      await this.send(kind, id);
    } catch (error) {
      // The record must not wait for ever for a job that was never sent.
      await new JobRecords(this.storage.db.kysely).fail(
        id,
        'The job could not be queued. Try again; if it fails again, tell your administrator.',
      );
      throw error;
    }
    return id;
  }

  async start(log?: JobLogger): Promise<void> {
    if (this.started) return;
    this.log = log;
    this.controller = new AbortController();
    // Two workers starting together both install pg-boss's schema and create its queues; in
    // PostgreSQL that can deadlock (seen in CI: "deadlock detected"). One process at a time sets
    // up, under a session advisory lock held on one connection of our own pool.
    await this.storage.db.kysely.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${BOSS_SETUP_LOCK})`.execute(conn);
      try {
        await this.boss.start();
        for (const kind of this.handlers.keys()) await this.boss.createQueue(kind);
      } finally {
        await sql`select pg_advisory_unlock(${BOSS_SETUP_LOCK})`.execute(conn);
      }
    });
    for (const kind of this.handlers.keys()) {
      // pg-boss 10 runs one job per worker at a time: several workers give the concurrency.
      for (let i = 0; i < this.concurrency; i++) {
        await this.boss.work<{ jobId: string }>(
          kind,
          { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 },
          async ([job]) => {
            if (job === undefined) return;
            // Claiming our record keeps the same rule as the in-process runner: one runner at a
            // time. A record still "running" whose heartbeat stopped can be claimed too.
            const staleBefore = new Date(Date.now() - this.staleAfterMs).toISOString();
            const record = await new JobRecords(this.storage.db.kysely).claim(job.data.jobId, {
              runner: this.runner,
              queueRef: job.id,
              staleBefore,
            });
            if (record === undefined) return;
            this.runningIds.add(record.id);
            let done: () => void = () => undefined;
            const run = new Promise<void>((resolve) => (done = resolve));
            this.runs.add(run);
            try {
              await runJob(record, {
                storage: this.storage,
                handler: this.handlers.get(record.kind),
                signal: this.controller.signal,
                log: this.log,
                heartbeatMs: this.heartbeatMs,
                // This worker is stopping: another worker (or this one's next start) takes it.
                onHandedBack: async (handed) => {
                  try {
                    await this.send(handed.kind, handed.id);
                  } catch (error) {
                    // The sweep of any running process sends a queued job nothing carries.
                    this.log?.error({ err: error, jobId: handed.id }, 'could not send a job again');
                  }
                },
              });
            } finally {
              this.runningIds.delete(record.id);
              this.runs.delete(run);
              done();
            }
          },
        );
      }
    }
    this.started = true;
    this.working = true;
    await this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), this.sweepMs);
    this.sweeper.unref();
  }

  async readiness(): Promise<QueueReadiness> {
    if (!this.started) return { ready: false, detail: 'pg-boss is not started (or is stopping)' };
    try {
      return (await this.boss.isInstalled())
        ? { ready: true, detail: 'pg-boss answers and its schema is installed' }
        : { ready: false, detail: 'pg-boss answers but its schema is not installed' };
    } catch (error) {
      return {
        ready: false,
        detail: `pg-boss cannot be reached: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  /**
   * Stops this process's workers and hands its running jobs back — sent again while pg-boss is
   * still open, so another worker takes them at once — but keeps sending: a request still in
   * flight while the web process closes can queue a job, which another worker runs.
   */
  async pause(): Promise<void> {
    if (!this.working) return;
    this.working = false;
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
    await this.sweeping;
    for (const kind of this.handlers.keys()) await this.boss.offWork(kind);
    this.controller.abort();
    await Promise.allSettled([...this.runs]);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    await this.pause();
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  /** One sweep now (tests; the queue sweeps by itself every few seconds). */
  sweep(): Promise<void> {
    if (this.sweeping !== null) return this.sweeping;
    this.sweeping = this.sweepOnce()
      .catch((error: unknown) => this.log?.error({ err: error }, 'job sweep failed'))
      .finally(() => {
        this.sweeping = null;
      });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    // 1. Jobs whose worker died: another try (a fresh pg-boss job), or failed after the last.
    await sweepStaleJobs(this.storage, {
      staleAfterMs: this.staleAfterMs,
      kinds: this.kinds,
      running: this.runningIds,
      log: this.log,
      onRequeued: async (job) => {
        if (job.queueRef !== null)
          await this.boss.fail(job.kind, job.queueRef, {
            message: 'the worker running this job stopped; sent again',
          });
        await this.send(job.kind, job.id);
      },
      onFailed: async (job, error) => {
        if (job.queueRef !== null) await this.boss.fail(job.kind, job.queueRef, { message: error });
      },
    });
    // 2. The record follows pg-boss.
    const records = new JobRecords(this.storage.db.kysely);
    const settled = new Date(Date.now() - this.staleAfterMs).toISOString();
    for (const job of await records.unfinished(this.kinds)) {
      const carrier =
        job.queueRef === null ? null : await this.boss.getJobById(job.kind, job.queueRef);
      const gone =
        carrier === null ||
        carrier.state === 'completed' ||
        carrier.state === 'failed' ||
        carrier.state === 'cancelled';
      if (job.status === 'running' && carrier?.state === 'failed') {
        await this.failFromQueue(job, queueFailureMessage(carrier.output, this.expireInSeconds));
      } else if (job.status === 'queued' && gone && job.updatedAt < settled) {
        // Queued, but nothing in pg-boss will ever run it (a send that failed, a lost queue).
        await this.send(job.kind, job.id);
      }
    }
  }

  /** pg-boss failed the job carrying this record: the record says so (if still this try). */
  private async failFromQueue(job: JobRecord, error: string): Promise<void> {
    await this.storage.db.kysely.transaction().execute(async (tx) => {
      if (!(await new JobRecords(tx).fail(job.id, error, job.attempts))) return;
      await new OrgScope(tx, job.organisationId, {
        userId: job.createdBy,
        label: job.createdByLabel,
      }).audit({
        action: 'job.failed',
        entityType: 'job',
        entityId: job.id,
        details: { kind: job.kind, error, runner: job.runner },
      });
    });
  }
}
