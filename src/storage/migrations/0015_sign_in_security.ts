// Sign-in hardening (issue 17, point 1): the recent attempts that count towards a limit, shared by
// every web process through the database (failed sign-ins per account and per address, requests
// for a password reset), and single-use password-reset links, kept only as hashes. Sessions
// already carry `last_seen_at`, which the idle timeout reads.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('auth_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** What is counted, e.g. `sign_in:account` or `reset:address`. */
    .addColumn('bucket', 'text', (c) => c.notNull())
    /** SHA-256 of the normalised e-mail address or of the client's address: neither is kept. */
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('auth_attempts_bucket_key_at')
    .on('auth_attempts')
    .columns(['bucket', 'key_hash', 'at'])
    .execute();
  await db.schema.createIndex('auth_attempts_at').on('auth_attempts').column('at').execute();

  await db.schema
    .createTable('password_resets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('password_resets_user')
    .on('password_resets')
    .column('user_id')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('password_resets').execute();
  await db.schema.dropTable('auth_attempts').execute();
}
