// The embedded default queue: jobs run inside the web process, at most `concurrency` at a time.
// Queued jobs are claimed from the database (an update that only succeeds while the job is still
// queued), so several web processes sharing PostgreSQL never run one job twice; each also polls
// now and then, so a job queued by another process is picked up. A running job writes a heartbeat;
// on start and every few seconds the runner sweeps for jobs whose heartbeat stopped (their process
// died) and puts them back in the queue, or fails them once they have had all their tries.
import { DEFAULT_MAX_ATTEMPTS, JobRecords, type OrgScope, type Storage } from '../storage/index.ts';
import { DEFAULT_HEARTBEAT_MS, runJob, runnerName } from './run.ts';
import { DEFAULT_STALE_AFTER_MS, sweepStaleJobs } from './sweeper.ts';
import type { JobHandler, JobLogger, JobQueue, QueueReadiness } from './types.ts';

export interface InProcessOptions {
  /** Jobs run at once (default 2). */
  readonly concurrency?: number;
  /** How often to look for jobs queued elsewhere, in ms (default 2,000). */
  readonly pollMs?: number;
  /** How often a running job's heartbeat is written (ms, default 5,000). */
  readonly heartbeatMs?: number;
  /** A running job not heard from for this long (ms) has died with its process (default 30 s). */
  readonly staleAfterMs?: number;
  /** How often to look for such jobs (ms; default a third of `staleAfterMs`, at most 10 s). */
  readonly sweepMs?: number;
  /** Tries a job gets when its runner dies (default 3). */
  readonly maxAttempts?: number;
  readonly log?: JobLogger;
}

export class InProcessJobRunner implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly running = new Set<Promise<void>>();
  private readonly runningIds = new Set<string>();
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly heartbeatMs: number;
  private readonly staleAfterMs: number;
  private readonly sweepMs: number;
  private readonly maxAttempts: number;
  private readonly runner = runnerName();
  private controller = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
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
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.sweepMs = options.sweepMs ?? Math.min(10_000, Math.max(100, this.staleAfterMs / 3));
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  /** The kinds this runner can run. */
  get kinds(): string[] {
    return [...this.handlers.keys()];
  }

  async enqueue(scope: OrgScope, kind: string, payload: unknown): Promise<string> {
    if (!this.handlers.has(kind)) throw new Error(`no handler for job kind "${kind}"`);
    const id = await scope.jobs.create(kind, payload, undefined, this.maxAttempts);
    this.wake();
    return id;
  }

  async start(log?: JobLogger): Promise<void> {
    if (this.started) return;
    this.log = log ?? this.log;
    this.started = true;
    this.controller = new AbortController();
    await this.sweep();
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.sweeper = setInterval(() => void this.sweep(), this.sweepMs);
    this.sweeper.unref();
    this.wake();
  }

  readiness(): Promise<QueueReadiness> {
    return Promise.resolve(
      this.started
        ? { ready: true, detail: 'the in-process runner is taking jobs' }
        : { ready: false, detail: 'the in-process runner is not started (or is stopping)' },
    );
  }

  /** Enqueueing only writes the record, so a paused runner still accepts jobs: pausing is stopping. */
  pause(): Promise<void> {
    return this.stop();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.timer !== null) clearInterval(this.timer);
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.timer = null;
    this.sweeper = null;
    this.controller.abort();
    await this.sweeping;
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
      const job = await records.claimNext(this.kinds, this.runner);
      if (!job) return;
      const signal = this.controller.signal;
      this.runningIds.add(job.id);
      const run = runJob(job, {
        storage: this.storage,
        handler: this.handlers.get(job.kind),
        signal,
        log: this.log,
        heartbeatMs: this.heartbeatMs,
      })
        .catch((error: unknown) =>
          this.log?.error({ err: error, jobId: job.id }, 'could not record a job outcome'),
        )
        .finally(() => {
          this.running.delete(run);
          this.runningIds.delete(job.id);
          this.wake();
        });
      this.running.add(run);
    }
  }

  /** Puts jobs whose runner died back in the queue (or fails them after their last try). */
  private sweep(): Promise<void> {
    if (this.sweeping !== null) return this.sweeping;
    this.sweeping = sweepStaleJobs(this.storage, {
      staleAfterMs: this.staleAfterMs,
      kinds: this.kinds,
      running: this.runningIds,
      log: this.log,
    })
      .then((swept) => {
        if (swept.requeued.length > 0) this.wake();
      })
      .catch((error: unknown) => this.log?.error({ err: error }, 'job sweep failed'))
      .finally(() => {
        this.sweeping = null;
      });
    return this.sweeping;
  }
}
