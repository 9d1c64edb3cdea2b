// Event logs for one organisation (issue 5): uploaded files waiting for their column mapping, and
// imported logs with their analysis. Reached only through OrgScope.logs, so every query is filtered
// by the organisation. An imported log is written in one transaction with its audit entry and the
// removal of its upload: it is stored whole or not at all.
import { newId, nowIso } from '../../lib/ids.ts';
import type { EventLogCorrectionsTable, EventLogsTable, EventLogUploadsTable } from '../schema.ts';
import { ScopedStore, inTransaction } from './tx.ts';

export type LogFormat = 'csv' | 'xes';

export type CorrectedKind = EventLogCorrectionsTable['kind'];

/** A person's correction of the wait kind before one activity of a log. */
export interface StoredCorrection {
  readonly activity: string;
  readonly kind: CorrectedKind;
  readonly reason: string;
  /** The name of the person who made it ("a former user" once they are gone). */
  readonly by: string;
  readonly at: string;
}

export interface LogUpload {
  readonly id: string;
  readonly fileName: string;
  readonly format: LogFormat;
  readonly sizeBytes: number;
  readonly storedBytes: number;
  readonly columns: readonly string[];
  readonly sample: readonly (readonly string[])[];
  readonly createdBy: string | null;
  readonly createdAt: string;
}

export interface LogSummary {
  readonly id: string;
  readonly name: string;
  readonly fileName: string;
  readonly format: LogFormat;
  readonly cases: number;
  readonly events: number;
  readonly activities: number;
  readonly variants: number;
  readonly firstEventAt: string | null;
  readonly lastEventAt: string | null;
  readonly finding: string;
  readonly dataBytes: number;
  readonly importMs: number;
  readonly createdAt: string;
}

export interface StoredLog extends LogSummary {
  readonly settings: Readonly<Record<string, unknown>>;
  /** The engine's `LogAnalysis` of the whole log, as stored. */
  readonly analysis: unknown;
}

export interface NewLog {
  readonly name: string;
  readonly fileName: string;
  readonly format: LogFormat;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly counts: { cases: number; events: number; activities: number; variants: number };
  readonly period: { first: string; last: string } | null;
  readonly finding: string;
  readonly analysis: unknown;
  /** From `encodeEventLog`. */
  readonly data: Buffer;
  readonly importMs: number;
}

type UploadRow = Omit<EventLogUploadsTable, 'content'> & { stored_bytes: number | string };

function toUpload(row: UploadRow): LogUpload {
  return {
    id: row.id,
    fileName: row.file_name,
    format: row.format,
    sizeBytes: Number(row.size_bytes),
    storedBytes: Number(row.stored_bytes),
    columns: JSON.parse(row.columns) as string[],
    sample: JSON.parse(row.sample) as string[][],
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function toSummary(row: Omit<EventLogsTable, 'data' | 'analysis' | 'settings'>): LogSummary {
  return {
    id: row.id,
    name: row.name,
    fileName: row.file_name,
    format: row.format,
    cases: Number(row.cases),
    events: Number(row.events),
    activities: Number(row.activities),
    variants: Number(row.variants),
    firstEventAt: row.first_event_at,
    lastEventAt: row.last_event_at,
    finding: row.finding,
    dataBytes: Number(row.data_bytes),
    importMs: Number(row.import_ms),
    createdAt: row.created_at,
  };
}

const SUMMARY_COLUMNS = [
  'id',
  'organisation_id',
  'name',
  'file_name',
  'format',
  'cases',
  'events',
  'activities',
  'variants',
  'first_event_at',
  'last_event_at',
  'finding',
  'data_bytes',
  'import_ms',
  'created_by',
  'created_at',
] as const;

const UPLOAD_COLUMNS = [
  'id',
  'organisation_id',
  'file_name',
  'format',
  'size_bytes',
  'columns',
  'sample',
  'created_by',
  'created_at',
] as const;

export class LogStore extends ScopedStore {
  // ---- uploads waiting to be imported ----

  async createUpload(input: {
    fileName: string;
    format: LogFormat;
    sizeBytes: number;
    content: Buffer;
    columns: readonly string[];
    sample: readonly (readonly string[])[];
  }): Promise<string> {
    return inTransaction(this.db, async (tx) => {
      const id = newId();
      await tx
        .insertInto('event_log_uploads')
        .values({
          id,
          organisation_id: this.organisationId,
          file_name: input.fileName,
          format: input.format,
          size_bytes: input.sizeBytes,
          content: input.content,
          columns: JSON.stringify(input.columns),
          sample: JSON.stringify(input.sample),
          created_by: this.actorUserId,
          created_at: nowIso(),
        })
        .execute();
      await this.audit(tx, {
        action: 'eventlog.uploaded',
        entityType: 'event_log_upload',
        entityId: id,
        details: { fileName: input.fileName, format: input.format, bytes: input.sizeBytes },
      });
      return id;
    });
  }

  async uploads(): Promise<LogUpload[]> {
    const rows = await this.db
      .selectFrom('event_log_uploads')
      .select(UPLOAD_COLUMNS)
      .select((eb) => eb.fn<number>('length', ['content']).as('stored_bytes'))
      .where('organisation_id', '=', this.organisationId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toUpload);
  }

  async upload(id: string): Promise<LogUpload | undefined> {
    const row = await this.db
      .selectFrom('event_log_uploads')
      .select(UPLOAD_COLUMNS)
      .select((eb) => eb.fn<number>('length', ['content']).as('stored_bytes'))
      .where('id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return row ? toUpload(row) : undefined;
  }

  /** The uploaded file, gzip-compressed. */
  async uploadContent(id: string): Promise<Buffer | undefined> {
    const row = await this.db
      .selectFrom('event_log_uploads')
      .select('content')
      .where('id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return row ? Buffer.from(row.content) : undefined;
  }

  async discardUpload(id: string): Promise<boolean> {
    return inTransaction(this.db, async (tx) => {
      const result = await tx
        .deleteFrom('event_log_uploads')
        .where('id', '=', id)
        .where('organisation_id', '=', this.organisationId)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) return false;
      await this.audit(tx, {
        action: 'eventlog.upload_discarded',
        entityType: 'event_log_upload',
        entityId: id,
      });
      return true;
    });
  }

  /** Removes uploads left waiting since before `before` (their owner never finished them). */
  async discardUploadsBefore(before: string): Promise<number> {
    return inTransaction(this.db, async (tx) => {
      const old = await tx
        .selectFrom('event_log_uploads')
        .select(['id', 'file_name'])
        .where('organisation_id', '=', this.organisationId)
        .where('created_at', '<', before)
        .execute();
      for (const upload of old) {
        await tx.deleteFrom('event_log_uploads').where('id', '=', upload.id).execute();
        await this.audit(tx, {
          action: 'eventlog.upload_expired',
          entityType: 'event_log_upload',
          entityId: upload.id,
          details: { fileName: upload.file_name },
        });
      }
      return old.length;
    });
  }

  // ---- imported logs ----

  /** Stores an imported log and removes its upload, with the audit entry, in one transaction. */
  async saveImported(uploadId: string | null, log: NewLog): Promise<string> {
    return inTransaction(this.db, async (tx) => {
      const id = newId();
      await tx
        .insertInto('event_logs')
        .values({
          id,
          organisation_id: this.organisationId,
          name: log.name,
          file_name: log.fileName,
          format: log.format,
          settings: JSON.stringify(log.settings),
          cases: log.counts.cases,
          events: log.counts.events,
          activities: log.counts.activities,
          variants: log.counts.variants,
          first_event_at: log.period?.first ?? null,
          last_event_at: log.period?.last ?? null,
          finding: log.finding,
          analysis: JSON.stringify(log.analysis),
          data: log.data,
          data_bytes: log.data.length,
          import_ms: Math.round(log.importMs),
          created_by: this.actorUserId,
          created_at: nowIso(),
        })
        .execute();
      if (uploadId !== null) {
        await tx
          .deleteFrom('event_log_uploads')
          .where('id', '=', uploadId)
          .where('organisation_id', '=', this.organisationId)
          .execute();
      }
      await this.audit(tx, {
        action: 'eventlog.imported',
        entityType: 'event_log',
        entityId: id,
        details: { name: log.name, fileName: log.fileName, ...log.counts },
      });
      return id;
    });
  }

  async list(): Promise<LogSummary[]> {
    const rows = await this.db
      .selectFrom('event_logs')
      .select(SUMMARY_COLUMNS)
      .where('organisation_id', '=', this.organisationId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toSummary);
  }

  async get(id: string): Promise<StoredLog | undefined> {
    const row = await this.db
      .selectFrom('event_logs')
      .select([...SUMMARY_COLUMNS, 'settings', 'analysis'])
      .where('id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      ...toSummary(row),
      settings: JSON.parse(row.settings) as Record<string, unknown>,
      analysis: JSON.parse(row.analysis) as unknown,
    };
  }

  /** The stored compact log (see logs-codec.ts). */
  async data(id: string): Promise<Buffer | undefined> {
    const row = await this.db
      .selectFrom('event_logs')
      .select('data')
      .where('id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return row ? Buffer.from(row.data) : undefined;
  }

  // ---- corrections of wait kinds (issue 13, point 1) ----

  /** The corrections of a log's wait kinds, by activity name. */
  async corrections(logId: string): Promise<StoredCorrection[]> {
    const rows = await this.db
      .selectFrom('event_log_corrections as c')
      .leftJoin('users as u', 'u.id', 'c.created_by')
      .select(['c.activity', 'c.kind', 'c.reason', 'c.created_at', 'u.name as by'])
      .where('c.log_id', '=', logId)
      .where('c.organisation_id', '=', this.organisationId)
      .orderBy('c.activity')
      .execute();
    return rows.map((r) => ({
      activity: r.activity,
      kind: r.kind,
      reason: r.reason,
      by: r.by ?? 'a former user',
      at: r.created_at,
    }));
  }

  /**
   * Sets (or, with kind null, removes) the correction of the wait kind before `activity`, with its
   * audit entry, in one transaction. False when the log is not this organisation's.
   */
  async correctWaitKind(
    logId: string,
    change: { activity: string; kind: CorrectedKind | null; reason: string; detected: string },
  ): Promise<boolean> {
    return inTransaction(this.db, async (tx) => {
      const log = await tx
        .selectFrom('event_logs')
        .select(['name'])
        .where('id', '=', logId)
        .where('organisation_id', '=', this.organisationId)
        .executeTakeFirst();
      if (!log) return false;
      const previous = await tx
        .selectFrom('event_log_corrections')
        .select(['kind', 'reason'])
        .where('log_id', '=', logId)
        .where('organisation_id', '=', this.organisationId)
        .where('activity', '=', change.activity)
        .executeTakeFirst();
      await tx
        .deleteFrom('event_log_corrections')
        .where('log_id', '=', logId)
        .where('organisation_id', '=', this.organisationId)
        .where('activity', '=', change.activity)
        .execute();
      if (change.kind !== null) {
        await tx
          .insertInto('event_log_corrections')
          .values({
            id: newId(),
            organisation_id: this.organisationId,
            log_id: logId,
            activity: change.activity,
            kind: change.kind,
            reason: change.reason,
            created_by: this.actorUserId,
            created_at: nowIso(),
          })
          .execute();
      } else if (previous === undefined) {
        return true;
      }
      await this.audit(tx, {
        action:
          change.kind === null
            ? 'eventlog.wait_kind_correction_removed'
            : 'eventlog.wait_kind_corrected',
        entityType: 'event_log',
        entityId: logId,
        details: {
          name: log.name,
          activity: change.activity,
          detected: change.detected,
          kind: change.kind,
          reason: change.reason,
          previous:
            previous === undefined ? null : { kind: previous.kind, reason: previous.reason },
        },
      });
      return true;
    });
  }

  async remove(id: string): Promise<boolean> {
    return inTransaction(this.db, async (tx) => {
      const row = await tx
        .selectFrom('event_logs')
        .select(['name'])
        .where('id', '=', id)
        .where('organisation_id', '=', this.organisationId)
        .executeTakeFirst();
      if (!row) return false;
      await tx
        .deleteFrom('event_log_corrections')
        .where('log_id', '=', id)
        .where('organisation_id', '=', this.organisationId)
        .execute();
      await tx
        .deleteFrom('event_logs')
        .where('id', '=', id)
        .where('organisation_id', '=', this.organisationId)
        .execute();
      await this.audit(tx, {
        action: 'eventlog.deleted',
        entityType: 'event_log',
        entityId: id,
        details: { name: row.name },
      });
      return true;
    });
  }
}
