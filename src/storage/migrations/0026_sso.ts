// Single sign-on with OpenID Connect (issue 17, point 3).
//
// - `sso_configs`: one organisation's identity provider (issuer, client id, the e-mail domains it
//   vouches for, the role a new person gets). Organisation rows: carried by an organisation archive.
// - `sso_secrets`: the client secret, encrypted with this instance's key (src/services/secrets.ts).
//   Kept apart so an archive never carries it: another instance could not decrypt it anyway, and the
//   admin enters it again there.
// - `sso_identities`: who at the provider (issuer + subject) is which person here, written on their
//   first single sign-on, so a later change of e-mail at the provider still finds them.
// - `sso_logins`: sign-ins under way (state, nonce, PKCE verifier), each used at most once and only
//   by the browser that started it; kept only as long as a sign-in may take.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('sso_configs')
    .addColumn('organisation_id', 'text', (c) =>
      c.primaryKey().references('organisations.id').onDelete('cascade'),
    )
    /** What the button says: "Sign in with <display_name>". */
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    /** Lower-case domains separated by spaces: only addresses at these may sign in. */
    .addColumn('allowed_domains', 'text', (c) => c.notNull())
    .addColumn('new_user_role', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sso_secrets')
    .addColumn('organisation_id', 'text', (c) =>
      c.primaryKey().references('organisations.id').onDelete('cascade'),
    )
    /** `v1.<iv>.<tag>.<ciphertext>` (AES-256-GCM, base64url), bound to the organisation's id. */
    .addColumn('client_secret', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sso_identities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_signed_in_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sso_identities_subject', ['organisation_id', 'issuer', 'subject'])
    .execute();
  await db.schema
    .createIndex('sso_identities_user')
    .on('sso_identities')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('sso_logins')
    /** SHA-256 of the `state` sent to the provider. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    /** SHA-256 of the value in the browser's sign-in cookie: only that browser may finish. */
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_logins_expires').on('sso_logins').column('expires_at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('sso_logins').execute();
  await db.schema.dropTable('sso_identities').execute();
  await db.schema.dropTable('sso_secrets').execute();
  await db.schema.dropTable('sso_configs').execute();
}
