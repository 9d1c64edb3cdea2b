// Event logs (issue 5) and background jobs. An imported log is stored whole or not at all: one
// row holding the engine's compact log (binary, gzip-compressed, see repositories/logs-codec.ts)
// and its analysis as JSON, written in one transaction when the import job succeeds. Until then
// the uploaded file waits in `event_log_uploads` (gzip-compressed, bounded in size) for its column
// mapping; it is deleted when the import succeeds, or by its owner. `jobs` records every
// background job — kind, JSON payload, progress, result or error — per organisation, so a page
// reload shows where a job has got to, whichever process runs it.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // Binary columns: SQLite's BLOB, PostgreSQL's bytea. Both drivers read and write Buffers.
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? sql`bytea` : sql`blob`;

  await db.schema
    .createTable('event_log_uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('csv', 'xes')`))
    /** Bytes as uploaded (before our compression). */
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    /** The file, gzip-compressed (kept as sent if it already was). */
    .addColumn('content', binary, (c) => c.notNull())
    /** CSV: JSON array of the header's column names; XES: []. */
    .addColumn('columns', 'text', (c) => c.notNull())
    /** CSV: JSON array of the first rows (arrays of strings), to help map the columns. */
    .addColumn('sample', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('event_log_uploads_org_idx')
    .on('event_log_uploads')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('event_logs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('csv', 'xes')`))
    /** JSON: how the file was read (column mapping, date order, time zone). */
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('activities', 'integer', (c) => c.notNull())
    .addColumn('variants', 'integer', (c) => c.notNull())
    .addColumn('first_event_at', 'text')
    .addColumn('last_event_at', 'text')
    /** The bottleneck finding in plain language, for lists. */
    .addColumn('finding', 'text', (c) => c.notNull())
    /** JSON: the engine's analysis of the whole log. */
    .addColumn('analysis', 'text', (c) => c.notNull())
    /** The engine's compact log, serialised and gzip-compressed, for filtered analyses. */
    .addColumn('data', binary, (c) => c.notNull())
    .addColumn('data_bytes', 'integer', (c) => c.notNull())
    /** Milliseconds the import and analysis took. */
    .addColumn('import_ms', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('event_logs_org_idx')
    .on('event_logs')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    /** Named kind, e.g. `eventlog.import`; the runner finds its handler by this name. */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed')`),
    )
    /** 0 to 1. */
    .addColumn('progress', 'real', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    /** Who queued it, as the audit log shows them: the job's own changes are made in their name. */
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    /** Refreshed with every progress report: a running job not heard from for long has died. */
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('jobs_org_idx')
    .on('jobs')
    .columns(['organisation_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('jobs_status_idx')
    .on('jobs')
    .columns(['status', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('jobs').ifExists().execute();
  await db.schema.dropTable('event_logs').ifExists().execute();
  await db.schema.dropTable('event_log_uploads').ifExists().execute();
}
