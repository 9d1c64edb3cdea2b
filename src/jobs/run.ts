// Runs one claimed job with its handler and records the outcome: the result and "succeeded", or
// the error and "failed" with an audit entry in the same transaction. Shared by every queue, so
// handlers behave the same whichever queue ran them.
import { JobRecords, OrgScope, type JobRecord, type Storage } from '../storage/index.ts';
import { JobFailure, type JobContext, type JobHandler, type JobLogger } from './types.ts';

/** Progress is written at most this often (ms); the last report always gets through. */
const PROGRESS_INTERVAL_MS = 250;

export const GENERIC_FAILURE =
  'Something went wrong while running this job. Try again; if it fails again, tell your administrator.';

export interface RunOptions {
  readonly storage: Storage;
  readonly handler: JobHandler | undefined;
  readonly signal: AbortSignal;
  readonly log?: JobLogger | undefined;
}

export async function runJob(job: JobRecord, options: RunOptions): Promise<void> {
  const { storage, handler, signal } = options;
  const records = new JobRecords(storage.db.kysely);
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
      .then(() => records.progress(job.id, fraction, message))
      .catch(() => undefined);
  };
  const context: JobContext = {
    jobId: job.id,
    scope,
    signal,
    progress(fraction, message) {
      pending = { fraction, message };
      const wait = PROGRESS_INTERVAL_MS - (Date.now() - lastWrite);
      if (wait <= 0) flush();
      else timer ??= setTimeout(flush, wait);
    },
  };

  let outcome: { ok: true; result: unknown; message: string } | { ok: false; error: string };
  try {
    if (handler === undefined)
      throw new JobFailure(`No worker knows how to run a “${job.kind}” job.`);
    const payload = handler.parse(job.payload);
    const result = await handler.run(payload, context);
    outcome = { ok: true, result, message: handler.doneMessage?.(result) ?? 'Finished' };
  } catch (error) {
    if (error instanceof JobFailure) outcome = { ok: false, error: error.message };
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
  if (timer !== null) clearTimeout(timer);
  pending = null;
  await writing;
  if (outcome.ok) {
    await records.succeed(job.id, outcome.result, outcome.message);
    return;
  }
  const error = outcome.error;
  await storage.db.kysely.transaction().execute(async (tx) => {
    await new JobRecords(tx).fail(job.id, error);
    await new OrgScope(tx, job.organisationId, actor).audit({
      action: 'job.failed',
      entityType: 'job',
      entityId: job.id,
      details: { kind: job.kind, error },
    });
  });
}
