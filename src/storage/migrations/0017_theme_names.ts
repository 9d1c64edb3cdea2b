// Readable theme names (issue 14, point 1): the themes table's `label` now holds the name people see
// (built from the comments, or a person's rename); the key words that used to be the label move to
// `key_words`, beside a one-sentence `description` and the theme a name nearly repeats
// (`similar_to`). All three are empty for analyses stored before: pages then show the label alone.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('themes').addColumn('key_words', 'text').execute();
  await db.schema.alterTable('themes').addColumn('description', 'text').execute();
  await db.schema.alterTable('themes').addColumn('similar_to', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('themes').dropColumn('similar_to').execute();
  await db.schema.alterTable('themes').dropColumn('description').execute();
  await db.schema.alterTable('themes').dropColumn('key_words').execute();
}
