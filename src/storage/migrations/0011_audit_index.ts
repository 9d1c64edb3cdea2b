// The audit log is read by person and by kind of action, newest first (issue 12, readable records):
// an index on each, after the organisation, keeps a filtered page and its count from reading the
// whole of a large organisation's log.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('audit_events_actor_idx')
    .on('audit_events')
    .columns(['organisation_id', 'actor_user_id', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_events_action_idx')
    .on('audit_events')
    .columns(['organisation_id', 'action', 'id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('audit_events_action_idx').ifExists().execute();
  await db.schema.dropIndex('audit_events_actor_idx').ifExists().execute();
}
