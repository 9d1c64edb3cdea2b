// Corrections of wait kinds on event logs (issue 13, point 1): a person who knows the service says
// that the wait before an activity is, say, a legal period rather than a queue for staff. One row
// per log and activity (a new correction replaces the last; each change is in the audit log),
// removed with the log.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('event_log_corrections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('log_id', 'text', (c) => c.notNull().references('event_logs.id').onDelete('cascade'))
    .addColumn('activity', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('contention', 'batching', 'timer', 'external')`),
    )
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('event_log_corrections_log_activity', ['log_id', 'activity'])
    .execute();
  await db.schema
    .createIndex('event_log_corrections_org_idx')
    .on('event_log_corrections')
    .columns(['organisation_id', 'log_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('event_log_corrections').execute();
}
