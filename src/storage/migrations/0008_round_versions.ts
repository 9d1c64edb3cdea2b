// Finalised means frozen, and the evidence rule (issue 12, points 3 and 4). A finalised round's
// snapshot now carries its own targets, framework and roadmap (JSON in `round_snapshots.snapshot`,
// so no column is needed for them); this migration adds what an agreed level needs to record an
// administrator's explicit override of the evidence rule (a claim of Good or Outstanding needs
// documented or independently verified evidence): the written reason, who overrode it and when.
// All three are empty for every agreed level recorded without an override.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('agreed_ratings').addColumn('override_reason', 'text').execute();
  // The administrator's user id, read with their name; a plain column (no foreign key) so that
  // `down` can drop it on SQLite too. A deleted account reads as "a former administrator".
  await db.schema.alterTable('agreed_ratings').addColumn('override_by', 'text').execute();
  await db.schema.alterTable('agreed_ratings').addColumn('override_at', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('agreed_ratings').dropColumn('override_at').execute();
  await db.schema.alterTable('agreed_ratings').dropColumn('override_by').execute();
  await db.schema.alterTable('agreed_ratings').dropColumn('override_reason').execute();
}
