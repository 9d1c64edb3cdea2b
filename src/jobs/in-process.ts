// The embedded default queue: jobs run inside the web process, at most `concurrency` at a time.
// Queued jobs are claimed from the database (an update that only succeeds while the job is still
// queued), so several web processes sharing PostgreSQL never run one job twice; each also polls
// now and then, so a job queued by another process is picked up. On start, jobs left "running" by
// a process that died are failed with a message saying so (they are not retried automatically:
// an import is cheap to start again, and a half-run job must not run twice).
import { nowIso } from '../lib/ids.ts';
import { JobRecords, OrgScope, type Storage } from '../storage/index.ts';
import { runJob } from './run.ts';
import type { JobHandler, JobLogger, JobQueue } from './types.ts';

export interface InProcessOptions {
  /** Jobs run at once (default 2). */
  readonly concurrency?: number;
  /** How often to look for jobs queued elsewhere, in ms (default 2,000). */
  readonly pollMs?: number;
  /** A running job not heard from for this long (ms) has died with its process (default 10 min). */
  readonly staleAfterMs?: number;
  readonly log?: JobLogger;
}

export class InProcessJobRunner implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly running = new Set<Promise<void>>();
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly staleAfterMs: number;
  private controller = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private draining: Promise<void> | null = null;
  private again = false;

  private log: JobLogger | undefined;

  constructor(
    private readonly storage: Storage,
    handlers: readonly JobHandler[],
    options: InProcessOptions = {},
  ) {
    this.log = options.log;
    for (const handler of handlers) this.handlers.set(handler.kind, handler as JobHandler);
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.pollMs = options.pollMs ?? 2000;
    this.staleAfterMs = options.staleAfterMs ?? 10 * 60_000;
  }

  /** The kinds this runner can run. */
  get kinds(): string[] {
    return [...this.handlers.keys()];
  }

  async enqueue(scope: OrgScope, kind: string, payload: unknown): Promise<string> {
    if (!this.handlers.has(kind)) throw new Error(`no handler for job kind "${kind}"`);
    const id = await scope.jobs.create(kind, payload);
    this.wake();
    return id;
  }

  async start(log?: JobLogger): Promise<void> {
    if (this.started) return;
    this.log = log ?? this.log;
    this.started = true;
    this.controller = new AbortController();
    await this.failStale();
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.controller.abort();
    await this.draining?.catch(() => undefined);
    await Promise.allSettled([...this.running]);
  }

  /** Resolves once no job is running and none is queued for this runner (for tests and the seed). */
  async idle(): Promise<void> {
    for (;;) {
      await this.draining?.catch(() => undefined);
      if (this.running.size === 0) {
        const queued = await this.storage.db.kysely
          .selectFrom('jobs')
          .select('id')
          .where('status', '=', 'queued')
          .where('kind', 'in', this.kinds)
          .limit(1)
          .executeTakeFirst();
        if (!queued || !this.started) return;
        this.wake();
      }
      await Promise.race([...this.running, new Promise((r) => setTimeout(r, 20))]);
    }
  }

  private wake(): void {
    if (!this.started) return;
    if (this.draining !== null) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => this.log?.error({ err: error }, 'job queue poll failed'))
      .finally(() => {
        this.draining = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    const records = new JobRecords(this.storage.db.kysely);
    while (this.started && this.running.size < this.concurrency) {
      const job = await records.claimNext(this.kinds);
      if (!job) return;
      const signal = this.controller.signal;
      const run = runJob(job, {
        storage: this.storage,
        handler: this.handlers.get(job.kind),
        signal,
        log: this.log,
      })
        .catch((error: unknown) =>
          this.log?.error({ err: error, jobId: job.id }, 'could not record a job outcome'),
        )
        .finally(() => {
          this.running.delete(run);
          this.wake();
        });
      this.running.add(run);
    }
  }

  private async failStale(): Promise<void> {
    const records = new JobRecords(this.storage.db.kysely);
    const before = new Date(Date.now() - this.staleAfterMs).toISOString();
    for (const job of await records.stale(before)) {
      const error =
        'The service restarted while this job was running, so it did not finish. Start it again.';
      await this.storage.db.kysely.transaction().execute(async (tx) => {
        await new JobRecords(tx).fail(job.id, error);
        await new OrgScope(tx, job.organisationId, {
          userId: job.createdBy,
          label: job.createdByLabel,
        }).audit({
          action: 'job.failed',
          entityType: 'job',
          entityId: job.id,
          details: { kind: job.kind, error, at: nowIso() },
        });
      });
    }
  }
}
