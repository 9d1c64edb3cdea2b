// Two levels of themes (issue 14, point 4): each theme may belong to a broad theme. The themes table
// gains `parent_key` (the broad theme's key, "broad-1"), and an analysis keeps its broad themes —
// name, description, key words and phrases, size, share and their themes' keys — as JSON in
// `broad_themes`, and the number of broad themes asked for in `requested_broad_themes`. All are null
// for analyses stored before: pages then show one level.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('themes').addColumn('parent_key', 'text').execute();
  await db.schema.alterTable('theme_analyses').addColumn('broad_themes', 'text').execute();
  await db.schema
    .alterTable('theme_analyses')
    .addColumn('requested_broad_themes', 'integer')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('theme_analyses').dropColumn('requested_broad_themes').execute();
  await db.schema.alterTable('theme_analyses').dropColumn('broad_themes').execute();
  await db.schema.alterTable('themes').dropColumn('parent_key').execute();
}
