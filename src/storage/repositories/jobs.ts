// Background jobs: a record per job — its kind, JSON payload, status, progress (0–1 with a
// message), and result or error — kept per organisation so any web process can show it.
// `JobStore` is an organisation's view (reached through OrgScope.jobs: queue a job, read one);
// `JobRecords` is the runner's side, across organisations (claim the next job, report progress,
// finish it). A runner — in-process today, a PostgreSQL queue such as pg-boss later — only ever
// moves a job forward through queued → running → succeeded | failed.
import { newId, nowIso } from '../../lib/ids.ts';
import type { JobStatus, JobsTable } from '../schema.ts';
import type { Actor, AuditInput } from './scoped.ts';
import { inTransaction, type Executor } from './tx.ts';

export type { JobStatus };

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
  async create(kind: string, payload: unknown, message = 'Waiting to start'): Promise<string> {
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
  async claimNext(kinds: readonly string[]): Promise<JobRecord | undefined> {
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
      const claimed = await this.claim(next.id);
      if (claimed) return claimed;
    }
    return undefined;
  }

  /** Marks a queued job running; undefined if someone else got there first. */
  async claim(id: string): Promise<JobRecord | undefined> {
    const now = nowIso();
    const result = await this.db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        started_at: now,
        updated_at: now,
        message: 'Started',
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return undefined;
    return this.get(id);
  }

  async progress(id: string, progress: number, message: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ progress: Math.max(0, Math.min(1, progress)), message, updated_at: nowIso() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  async succeed(id: string, result: unknown, message: string): Promise<void> {
    const now = nowIso();
    await this.db
      .updateTable('jobs')
      .set({
        status: 'succeeded',
        progress: 1,
        message,
        result: JSON.stringify(result ?? null),
        finished_at: now,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async fail(id: string, error: string): Promise<void> {
    const now = nowIso();
    await this.db
      .updateTable('jobs')
      .set({ status: 'failed', message: 'Failed', error, finished_at: now, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** Running jobs not heard from since `before` (their process died): ids, for failing them. */
  async stale(before: string): Promise<JobRecord[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'running')
      .where('updated_at', '<', before)
      .execute();
    return rows.map(toRecord);
  }
}
