// Finds jobs whose runner died — still marked running, but no heartbeat for `staleAfterMs` — and
// hands each to another try, or fails it with a message once it has had all its tries. Every
// process that runs a queue sweeps now and then; each change is a conditional update fenced by the
// try it replaces, so when two processes sweep at once only one acts on a job.
import { JobRecords, OrgScope, type JobRecord, type Storage } from '../storage/index.ts';
import type { JobLogger } from './types.ts';

/** A running job not heard from for this long (ms) has lost its runner, unless told otherwise. */
export const DEFAULT_STALE_AFTER_MS = 30_000;

/** The message a job shows while it waits for its next try. */
export function retryMessage(job: Pick<JobRecord, 'attempts' | 'maxAttempts'>): string {
  return `Waiting to start again: the process running it stopped before it finished (try ${job.attempts + 1} of ${job.maxAttempts} next)`;
}

/** The error of a job whose runner died on every try. */
export function gaveUpMessage(job: Pick<JobRecord, 'attempts'>): string {
  const times =
    job.attempts === 1 ? 'once' : job.attempts === 2 ? 'twice' : `${job.attempts} times`;
  return `The process running this job stopped before it finished (a crash or a restart) — ${times}, so it was not tried again. Start it again; if it stops again, tell your administrator.`;
}

export interface SweepOptions {
  readonly staleAfterMs: number;
  /** Only jobs of these kinds (those this queue runs). */
  readonly kinds: readonly string[];
  /** Jobs this process is running itself (never stale, whatever their heartbeat says). */
  readonly running?: ReadonlySet<string>;
  readonly log?: JobLogger | undefined;
  /** Called once a job is back in the queue (pg-boss sends it again). */
  readonly onRequeued?: (job: JobRecord) => Promise<void>;
  /** Called once a job has been failed for good. */
  readonly onFailed?: (job: JobRecord, error: string) => Promise<void>;
}

export interface SweepResult {
  readonly requeued: string[];
  readonly failed: string[];
}

export async function sweepStaleJobs(
  storage: Storage,
  options: SweepOptions,
): Promise<SweepResult> {
  const db = storage.db.kysely;
  const before = new Date(Date.now() - options.staleAfterMs).toISOString();
  const requeued: string[] = [];
  const failed: string[] = [];
  for (const job of await new JobRecords(db).stale(before, options.kinds)) {
    if (options.running?.has(job.id) === true) continue;
    const actor = { userId: job.createdBy, label: job.createdByLabel };
    const again = job.attempts < job.maxAttempts;
    const error = gaveUpMessage(job);
    const acted = await db.transaction().execute(async (tx) => {
      const records = new JobRecords(tx);
      const done = again
        ? await records.requeue(job.id, job.attempts, retryMessage(job))
        : await records.fail(job.id, error, job.attempts);
      if (!done) return false;
      await new OrgScope(tx, job.organisationId, actor).audit({
        action: again ? 'job.requeued' : 'job.failed',
        entityType: 'job',
        entityId: job.id,
        details: again
          ? { kind: job.kind, after: job.attempts, of: job.maxAttempts, runner: job.runner }
          : { kind: job.kind, error, runner: job.runner },
      });
      return true;
    });
    if (!acted) continue;
    if (again) {
      requeued.push(job.id);
      await options.onRequeued?.(job);
    } else {
      failed.push(job.id);
      await options.onFailed?.(job, error);
    }
  }
  return { requeued, failed };
}
