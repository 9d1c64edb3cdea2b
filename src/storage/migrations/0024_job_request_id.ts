// The request that queued a job (issue 16, point 3): the web process's request id is kept with the
// job, so the runner — in the same process or a pg-boss worker elsewhere — logs the job's lines with
// it, and an engineer can follow one person's click from the web log into the job log.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('request_id', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('request_id').execute();
}
