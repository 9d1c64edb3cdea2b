// Runs one claimed job with its handler and records the outcome: the result and "succeeded", or
// the error and "failed" with an audit entry in the same transaction. Shared by every queue, so
// handlers behave the same whichever queue ran them.
//
// While the job runs, a heartbeat is written every `heartbeatMs` (progress reports count too), so
// a sweeper in any process can tell a job whose runner died from one that is slow. Every write is
// fenced by the try this runner claimed: if the heartbeat finds the job no longer its own (a
// sweeper judged it dead and handed it to another try, or failed it), the handler is asked to stop
// and nothing more is written.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { JobRecords, OrgScope, type JobRecord, type Storage } from '../storage/index.ts';
import { JobFailure, type JobContext, type JobHandler, type JobLogger } from './types.ts';

/** Progress is written at most this often (ms); the last report always gets through. */
const PROGRESS_INTERVAL_MS = 250;

/** How often a running job's heartbeat is written, unless the queue says otherwise (ms). */
export const DEFAULT_HEARTBEAT_MS = 5000;

/** Said to the handler's signal when the job was handed to another try while it ran. */
export const LOST_JOB = 'the job was handed to another runner';

export const GENERIC_FAILURE =
  'Something went wrong while running this job. Try again; if it fails again, tell your administrator.';

/** A job's message once a stopping runner has put it back in the queue. */
export const HANDED_BACK =
  'Waiting to start again: the service restarted while this job was running';

/** This process, as a job's `runner` names it: host, process id and a random instance. */
export function runnerName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export interface RunOptions {
  readonly storage: Storage;
  readonly handler: JobHandler | undefined;
  readonly signal: AbortSignal;
  readonly log?: JobLogger | undefined;
  /** How often to write the heartbeat (ms, default 5,000). */
  readonly heartbeatMs?: number;
  /** Called once a stopping runner has put the job back in the queue (pg-boss sends it again). */
  readonly onHandedBack?: (job: JobRecord) => Promise<void>;
}

export async function runJob(job: JobRecord, options: RunOptions): Promise<void> {
  const { storage, handler } = options;
  const records = new JobRecords(storage.db.kysely);
  const attempt = job.attempts;
  // Stops the handler when the runner stops, or when the job is found to be no longer ours.
  const controller = new AbortController();
  const stopped = () => controller.abort(options.signal.reason);
  if (options.signal.aborted) stopped();
  else options.signal.addEventListener('abort', stopped, { once: true });
  const signal = controller.signal;
  let lost = false;
  let beating: Promise<void> = Promise.resolve();
  const heartbeat = setInterval(() => {
    beating = beating
      .then(async () => {
        if (lost || (await records.heartbeat(job.id, attempt))) return;
        lost = true;
        controller.abort(new Error(LOST_JOB));
      })
      .catch((error: unknown) =>
        options.log?.error({ err: error, jobId: job.id }, 'could not write a job heartbeat'),
      );
  }, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();
  const actor = { userId: job.createdBy, label: job.createdByLabel };
  const scope = storage.scope(job.organisationId, actor);

  let lastWrite = 0;
  let pending: { fraction: number; message: string } | null = null;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    timer = null;
    if (pending === null) return;
    const { fraction, message } = pending;
    pending = null;
    lastWrite = Date.now();
    writing = writing
      .then(() => records.progress(job.id, fraction, message, attempt))
      .catch(() => undefined);
  };
  const context: JobContext = {
    jobId: job.id,
    attempt,
    scope,
    signal,
    progress(fraction, message) {
      pending = { fraction, message };
      const wait = PROGRESS_INTERVAL_MS - (Date.now() - lastWrite);
      if (wait <= 0) flush();
      else timer ??= setTimeout(flush, wait);
    },
  };

  let outcome:
    | { ok: true; result: unknown; message: string }
    | { ok: false; error: string }
    | { ok: 'handed back' };
  try {
    if (handler === undefined)
      throw new JobFailure(`No worker knows how to run a “${job.kind}” job.`);
    const payload = handler.parse(job.payload);
    const result = await handler.run(payload, context);
    outcome = { ok: true, result, message: handler.doneMessage?.(result) ?? 'Finished' };
  } catch (error) {
    if (error instanceof JobFailure) outcome = { ok: false, error: error.message };
    // The runner is stopping (a deploy, a restart): the job goes back in the queue, for this
    // process's next start or another runner, rather than failing.
    else if (options.signal.aborted && !lost) outcome = { ok: 'handed back' };
    else if (signal.aborted)
      outcome = {
        ok: false,
        error: 'The job was stopped because the service was shutting down. Start it again.',
      };
    else {
      options.log?.error({ err: error, jobId: job.id, kind: job.kind }, 'background job failed');
      outcome = { ok: false, error: GENERIC_FAILURE };
    }
  }
  clearInterval(heartbeat);
  options.signal.removeEventListener('abort', stopped);
  if (timer !== null) clearTimeout(timer);
  pending = null;
  await writing;
  await beating;
  // Another try owns the job now (or it was failed): its outcome is not ours to write.
  if (lost) return;
  if (outcome.ok === 'handed back') {
    const handedBack = await storage.db.kysely.transaction().execute(async (tx) => {
      if (!(await new JobRecords(tx).requeue(job.id, attempt, HANDED_BACK))) return false;
      await new OrgScope(tx, job.organisationId, actor).audit({
        action: 'job.requeued',
        entityType: 'job',
        entityId: job.id,
        details: { kind: job.kind, reason: 'the service was stopping', attempt },
      });
      return true;
    });
    if (handedBack) await options.onHandedBack?.(job);
    return;
  }
  if (outcome.ok) {
    await records.succeed(job.id, outcome.result, outcome.message, attempt);
    return;
  }
  const error = outcome.error;
  await storage.db.kysely.transaction().execute(async (tx) => {
    if (!(await new JobRecords(tx).fail(job.id, error, attempt))) return;
    await new OrgScope(tx, job.organisationId, actor).audit({
      action: 'job.failed',
      entityType: 'job',
      entityId: job.id,
      details: { kind: job.kind, error },
    });
  });
}
