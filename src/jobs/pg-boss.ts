// The scale-out queue: pg-boss 10.x, a proven job queue kept in PostgreSQL (its own `pgboss`
// schema). Behind the same `JobQueue` interface as the in-process runner, and running jobs with
// the same `runJob`, so handlers cannot tell which queue ran them. Our `jobs` table stays the
// record people see (organisation, progress, result or error); pg-boss only carries the job id to
// a worker — in this process or in separate worker processes that call `start()` and never serve
// pages. Retries stay off, as in the in-process runner: a half-run import must not run twice.
import PgBoss from 'pg-boss';
import { JobRecords, type OrgScope, type Storage } from '../storage/index.ts';
import { runJob } from './run.ts';
import type { JobHandler, JobLogger, JobQueue } from './types.ts';

export interface PgBossOptions {
  /** The PostgreSQL database (usually the product's own `DATABASE_URL`). */
  readonly connectionString: string;
  /** Jobs of each kind this process runs at once (default 2). 0: only enqueue, never run. */
  readonly concurrency?: number;
  /** How often an idle worker asks for work, in seconds (pg-boss's minimum is 0.5; default 2). */
  readonly pollingIntervalSeconds?: number;
}

export class PgBossJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly boss: PgBoss;
  private readonly concurrency: number;
  private controller = new AbortController();
  private log: JobLogger | undefined;
  private started = false;

  constructor(
    private readonly storage: Storage,
    handlers: readonly JobHandler[],
    private readonly options: PgBossOptions,
  ) {
    for (const handler of handlers) this.handlers.set(handler.kind, handler);
    this.concurrency = options.concurrency ?? 2;
    this.boss = new PgBoss({ connectionString: options.connectionString, max: 4 });
    this.boss.on('error', (error) => this.log?.error({ err: error }, 'pg-boss error'));
  }

  async enqueue(scope: OrgScope, kind: string, payload: unknown): Promise<string> {
    if (!this.handlers.has(kind)) throw new Error(`no handler for job kind "${kind}"`);
    if (!this.started) throw new Error('the job queue has not been started');
    const id = await scope.jobs.create(kind, payload);
    try {
      await this.boss.send(kind, { jobId: id }, { retryLimit: 0 });
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
    await this.boss.start();
    for (const kind of this.handlers.keys()) {
      await this.boss.createQueue(kind);
      // pg-boss 10 runs one job per worker at a time: several workers give the concurrency.
      for (let i = 0; i < this.concurrency; i++) {
        await this.boss.work<{ jobId: string }>(
          kind,
          { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 },
          async ([job]) => {
            if (job === undefined) return;
            // Claiming our record keeps the same rule as the in-process runner: run once at most.
            const record = await new JobRecords(this.storage.db.kysely).claim(job.data.jobId);
            if (record === undefined) return;
            await runJob(record, {
              storage: this.storage,
              handler: this.handlers.get(record.kind),
              signal: this.controller.signal,
              log: this.log,
            });
          },
        );
      }
    }
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.controller.abort();
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
