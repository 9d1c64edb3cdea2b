// Jobs that survive a crash (issue 16, point 2): the runner running a job writes a heartbeat every
// few seconds, so a job whose process died (kill -9, a lost machine) is noticed within a minute —
// not only at the next start-up, ten minutes later — and run again, up to `max_attempts` tries in
// all, then failed with a message saying so. `runner` names the process running it (host and
// process id); `queue_ref` is the id of the pg-boss job carrying it, when pg-boss runs jobs.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('heartbeat_at', 'text').execute();
  await db.schema
    .alterTable('jobs')
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
    .execute();
  await db.schema.alterTable('jobs').addColumn('runner', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('queue_ref', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('queue_ref').execute();
  await db.schema.alterTable('jobs').dropColumn('runner').execute();
  await db.schema.alterTable('jobs').dropColumn('max_attempts').execute();
  await db.schema.alterTable('jobs').dropColumn('heartbeat_at').execute();
}
