// Roadmap items (issue 12, point 6): an action of a round's roadmap that someone has taken on, with
// an owner (a member of the organisation), a due date, a status, notes and optionally the AI
// initiative it feeds. The item keeps the action's words, capability and indicator, so it survives
// the roadmap being generated again. One item per action of a round (the unique index).
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('roadmap_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('round_id', 'text', (c) =>
      c.notNull().references('assessment_rounds.id').onDelete('cascade'),
    )
    .addColumn('capability_id', 'text', (c) => c.notNull())
    .addColumn('indicator_id', 'text', (c) => c.notNull())
    /** The action's words when the item was created ("Make sure that …", "Tackle this: …"). */
    .addColumn('action_text', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    /** YYYY-MM-DD or null. */
    .addColumn('due_on', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('not-started', 'in-progress', 'blocked', 'done')`),
    )
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('initiative_id', 'text', (c) => c.references('initiatives.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('roadmap_items_action_idx')
    .on('roadmap_items')
    .columns(['organisation_id', 'round_id', 'capability_id', 'indicator_id'])
    .unique()
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('roadmap_items_action_idx').ifExists().execute();
  await db.schema.dropTable('roadmap_items').ifExists().execute();
}
