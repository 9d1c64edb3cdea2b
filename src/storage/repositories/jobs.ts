// Background jobs: a record per job — its kind, JSON payload, status, progress (0–1 with a
// message), and result or error — kept per organisation so any web process can show it.
// `JobStore` is an organisation's view (reached through OrgScope.jobs: queue a job, read one);
// `JobRecords` is the runner's side, across organisations (claim the next job, report progress,
// finish it). A runner — in-process, or pg-boss on PostgreSQL — moves a job through
// queued → running → succeeded | failed; a running job whose runner died (its heartbeat stopped)
// goes back to queued for another try, up to its `max_attempts`, then fails with a message.
//
// Every write a runner makes about a job it runs is fenced by the attempt it claimed (`attempts`):
// once a job has been handed to another try, the old runner's writes change nothing, and its next
// heartbeat tells it that it has lost the job.
import { newId, nowIso } from '../../lib/ids.ts';
import type { JobStatus, JobsTable } from '../schema.ts';
import type { Actor, AuditInput } from './scoped.ts';
import { inTransaction, type Executor } from './tx.ts';
import { sql } from 'kysely';

export type { JobStatus };

/** Tries a job gets when its runner dies, unless the queue says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 3;

export interface JobRecord {
  readonly id: string;
  readonly organisationId: string;
  readonly kind: string;
  readonly payload: unknown;
  readonly status: JobStatus;
  /** 0 to 1. */
  readonly progress: number;
  readonly message: string;
  readonly result: unknown;
  readonly error: string | null;
  readonly attempts: number;
  /** Tries before a job whose runner keeps dying is failed. */
  readonly maxAttempts: number;
  /** When the runner last said it was alive (null unless running). */
  readonly heartbeatAt: string | null;
  /** The process running it (`host:pid:instance`), null unless running. */
  readonly runner: string | null;
  /** The pg-boss job carrying it, when pg-boss runs jobs. */
  readonly queueRef: string | null;
  /** The id of the web request that queued it (its log lines carry it), if a request did. */
  readonly requestId: string | null;
  readonly createdBy: string | null;
  readonly createdByLabel: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly updatedAt: string;
}

function toRecord(row: JobsTable): JobRecord {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    kind: row.kind,
    payload: JSON.parse(row.payload) as unknown,
    status: row.status,
    progress: Number(row.progress),
    message: row.message,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    error: row.error,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    heartbeatAt: row.heartbeat_at,
    runner: row.runner,
    queueRef: row.queue_ref,
    requestId: row.request_id ?? null,
    createdBy: row.created_by,
    createdByLabel: row.created_by_label,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
  };
}

/** An organisation's jobs. */
export class JobStore {
  constructor(
    private readonly db: Executor,
    readonly organisationId: string,
    private readonly actor: Actor,
    private readonly audit: (db: Executor, event: AuditInput) => Promise<void>,
  ) {}

  /** Records a queued job; a runner picks it up. Use `JobQueue.enqueue`, which also wakes the runner. */
  async create(
    kind: string,
    payload: unknown,
    message = 'Waiting to start',
    maxAttempts = DEFAULT_MAX_ATTEMPTS,
  ): Promise<string> {
    return inTransaction(this.db, async (tx) => {
      const id = newId();
      const now = nowIso();
      await tx
        .insertInto('jobs')
        .values({
          id,
          organisation_id: this.organisationId,
          kind,
          payload: JSON.stringify(payload),
          status: 'queued',
          progress: 0,
          message,
          result: null,
          error: null,
          attempts: 0,
          max_attempts: Math.max(1, Math.floor(maxAttempts)),
          heartbeat_at: null,
          runner: null,
          queue_ref: null,
          request_id: this.actor.requestId ?? null,
          created_by: this.actor.userId,
          created_by_label: this.actor.label,
          created_at: now,
          started_at: null,
          finished_at: null,
          updated_at: now,
        })
        .execute();
      await this.audit(tx, {
        action: 'job.queued',
        entityType: 'job',
        entityId: id,
        details: { kind },
      });
      return id;
    });
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** The newest first. */
  async list(options: { kind?: string; limit?: number } = {}): Promise<JobRecord[]> {
    let query = this.db
      .selectFrom('jobs')
      .selectAll()
      .where('organisation_id', '=', this.organisationId);
    if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(options.limit ?? 20)
      .execute();
    return rows.map(toRecord);
  }
}

/** The runner's side: every organisation's jobs. Not for routes. */
export class JobRecords {
  constructor(private readonly db: Executor) {}

  async get(id: string): Promise<JobRecord | undefined> {
    const row = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /**
   * Claims the oldest queued job of one of these kinds for this runner, or returns undefined.
   * The update only succeeds while the job is still queued, so two processes never both run it.
   */
  async claimNext(
    kinds: readonly string[],
    runner: string | null = null,
  ): Promise<JobRecord | undefined> {
    if (kinds.length === 0) return undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = await this.db
        .selectFrom('jobs')
        .select(['id', 'attempts'])
        .where('status', '=', 'queued')
        .where('kind', 'in', kinds)
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (!next) return undefined;
      const claimed = await this.claim(next.id, { runner });
      if (claimed) return claimed;
    }
    return undefined;
  }

  /**
   * Marks a job running for this runner, counting a try; undefined if someone else got there
   * first. A queued job can be claimed; so can a running one whose heartbeat is older than
   * `staleBefore` and which has tries left (pg-boss handing over a job whose worker died).
   */
  async claim(
    id: string,
    options: { runner?: string | null; queueRef?: string; staleBefore?: string } = {},
  ): Promise<JobRecord | undefined> {
    const now = nowIso();
    const { staleBefore } = options;
    const result = await this.db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        started_at: now,
        updated_at: now,
        heartbeat_at: now,
        progress: 0,
        message: 'Started',
        runner: options.runner ?? null,
        attempts: eb('attempts', '+', 1),
        ...(options.queueRef !== undefined ? { queue_ref: options.queueRef } : {}),
      }))
      .where('id', '=', id)
      .where((eb) =>
        staleBefore === undefined
          ? eb('status', '=', 'queued')
          : eb.or([
              eb('status', '=', 'queued'),
              eb.and([
                eb('status', '=', 'running'),
                eb(sql<string>`coalesce(heartbeat_at, updated_at)`, '<', staleBefore),
                eb('attempts', '<', eb.ref('max_attempts')),
              ]),
            ]),
      )
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return undefined;
    return this.get(id);
  }

  /**
   * The runner is alive and still holds this try of the job. False when the job is no longer
   * its own (handed to another try, or failed): the runner should stop working on it.
   */
  async heartbeat(id: string, attempt: number): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({ heartbeat_at: nowIso() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('attempts', '=', attempt)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Progress of a running job (also a heartbeat); with `attempt`, only while that try holds it. */
  async progress(id: string, progress: number, message: string, attempt?: number): Promise<void> {
    const now = nowIso();
    let query = this.db
      .updateTable('jobs')
      .set({
        progress: Math.max(0, Math.min(1, progress)),
        message,
        updated_at: now,
        heartbeat_at: now,
      })
      .where('id', '=', id)
      .where('status', '=', 'running');
    if (attempt !== undefined) query = query.where('attempts', '=', attempt);
    await query.execute();
  }

  /** Records success; with `attempt`, only while that try holds the job. True if written. */
  async succeed(id: string, result: unknown, message: string, attempt?: number): Promise<boolean> {
    const now = nowIso();
    let query = this.db
      .updateTable('jobs')
      .set({
        status: 'succeeded',
        progress: 1,
        message,
        result: JSON.stringify(result ?? null),
        finished_at: now,
        updated_at: now,
        heartbeat_at: null,
      })
      .where('id', '=', id);
    if (attempt !== undefined)
      query = query.where('status', '=', 'running').where('attempts', '=', attempt);
    const written = await query.executeTakeFirst();
    return Number(written.numUpdatedRows) === 1;
  }

  /**
   * Records failure; with `attempt`, only while that try holds the job, and without it only while
   * the job is unfinished. True if written.
   */
  async fail(id: string, error: string, attempt?: number): Promise<boolean> {
    const now = nowIso();
    let query = this.db
      .updateTable('jobs')
      .set({
        status: 'failed',
        message: 'Failed',
        error,
        finished_at: now,
        updated_at: now,
        heartbeat_at: null,
      })
      .where('id', '=', id);
    query =
      attempt !== undefined
        ? query.where('status', '=', 'running').where('attempts', '=', attempt)
        : query.where('status', 'in', ['queued', 'running']);
    const written = await query.executeTakeFirst();
    return Number(written.numUpdatedRows) === 1;
  }

  /**
   * Puts a running job back in the queue for another try, if `attempt` still holds it (so two
   * sweepers never both do it). `giveBack` (a runner stopping on purpose) does not count the try.
   */
  async requeue(id: string, attempt: number, message: string, giveBack = false): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'queued',
        message,
        progress: 0,
        runner: null,
        heartbeat_at: null,
        updated_at: nowIso(),
        ...(giveBack ? { attempts: eb('attempts', '-', 1) } : {}),
      }))
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('attempts', '=', attempt)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Notes which pg-boss job now carries this one. */
  async setQueueRef(id: string, queueRef: string): Promise<void> {
    await this.db.updateTable('jobs').set({ queue_ref: queueRef }).where('id', '=', id).execute();
  }

  /** Running jobs whose runner has not been heard from since `before` (it died, or hangs). */
  async stale(before: string, kinds?: readonly string[]): Promise<JobRecord[]> {
    let query = this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'running')
      .where(sql<string>`coalesce(heartbeat_at, updated_at)`, '<', before);
    if (kinds !== undefined) {
      if (kinds.length === 0) return [];
      query = query.where('kind', 'in', kinds);
    }
    return (await query.execute()).map(toRecord);
  }

  /** Unfinished jobs of these kinds (for a queue to compare with its own state). */
  async unfinished(kinds: readonly string[]): Promise<JobRecord[]> {
    if (kinds.length === 0) return [];
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', 'in', ['queued', 'running'])
      .where('kind', 'in', kinds)
      .execute();
    return rows.map(toRecord);
  }
}
