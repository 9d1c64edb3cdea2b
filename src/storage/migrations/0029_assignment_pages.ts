// Comment assignments read a page at a time, in the file's order (issue 17, point 4: the API's
// GET …/assignments): an index on (analysis, position) lets each page start where the last ended
// (keyset pagination) instead of sorting every assignment of the analysis for each page — a
// million comments are a thousand pages of a thousand, each read straight from the index.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('comment_assignments_position_idx')
    .ifNotExists()
    .on('comment_assignments')
    .columns(['analysis_id', 'position'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('comment_assignments_position_idx').ifExists().execute();
}
