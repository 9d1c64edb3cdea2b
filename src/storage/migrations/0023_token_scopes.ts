// API tokens with scopes and an expiry (issue 17, point 2).
//
// A token now names what it may do (`scopes`: space-separated `area:read` / `area:write`, the areas
// of src/web/api.ts) and when it stops working (`expires_at`). Tokens made before scopes existed
// keep working on every area, but for 90 days from this migration only (`expiry_migrated` marks
// them, so the tokens page can say why they expire).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

/** Every scope that existed when this migration was written: what an older token could do. */
const ALL_SCOPES_2026 = [
  'assessments',
  'chains',
  'logs',
  'themes',
  'initiatives',
  'sector',
  'organisation',
]
  .flatMap((area) => [`${area}:read`, `${area}:write`])
  .join(' ');

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
  await db.schema
    .alterTable('api_tokens')
    .addColumn('expiry_migrated', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  const in90Days = new Date(Date.now() + 90 * 86_400_000).toISOString();
  await db
    .updateTable('api_tokens')
    .set({ scopes: ALL_SCOPES_2026, expires_at: in90Days, expiry_migrated: 1 })
    .where('expires_at', 'is', null)
    .execute();
  await db.schema
    .createIndex('api_tokens_organisation')
    .on('api_tokens')
    .columns(['organisation_id', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('api_tokens_organisation').execute();
  await db.schema.alterTable('api_tokens').dropColumn('expiry_migrated').execute();
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
  await db.schema.alterTable('api_tokens').dropColumn('scopes').execute();
}
