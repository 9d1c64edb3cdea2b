// Comparison over time (issue 14, point 7): a comment set can be a later wave of an earlier set of
// the same organisation (next quarter's survey), so its themes are compared with the earlier
// wave's. `previous_set_id` names the earlier set, or is null. No foreign key, like
// theme_analyses.previous_id: deleting the earlier set leaves the later one standing, and the pages
// then say the earlier wave is gone; the organisation check is the repository's.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('comment_sets').addColumn('previous_set_id', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('comment_sets').dropColumn('previous_set_id').execute();
}
