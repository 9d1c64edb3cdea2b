// Several themes per comment, stance and sentiment (issue 14, point 3): an analysis may carry the
// consultation question its comments answer (`question`) and, once finished, each theme's counts of
// primary and also-mentions with its sentiment and stance splits (`mentions`, JSON); each comment's
// assignment carries its themes with score, sentiment and stance (`mentions`, JSON). All are null for
// analyses stored before, whose pages show one theme a comment as they did.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('theme_analyses').addColumn('question', 'text').execute();
  await db.schema.alterTable('theme_analyses').addColumn('mentions', 'text').execute();
  await db.schema.alterTable('comment_assignments').addColumn('mentions', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('comment_assignments').dropColumn('mentions').execute();
  await db.schema.alterTable('theme_analyses').dropColumn('mentions').execute();
  await db.schema.alterTable('theme_analyses').dropColumn('question').execute();
}
