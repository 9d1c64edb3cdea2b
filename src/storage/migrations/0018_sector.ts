// Sector stewardship, membership and benchmarks (issue 15, points 1 and 2; paper section 4).
// An institution invites organisations to be its members; a member chooses, per kind of data, what
// it shares with that institution (nothing by default); benchmarks read only what sharing members
// share. Consents are never deleted: a withdrawal closes the row, so the history stays.
// `sector_levels` and `sector_chain_measures` hold figures derived from an organisation's own
// finalised rounds and chains (refreshed when those change), so benchmarks aggregate in SQL.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('sector_memberships')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('institution_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('member_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sqlIn('status', ['invited', 'active', 'declined', 'ended'])),
    )
    /** The institution's own grouping of its members (e.g. "District councils"), for filters. */
    .addColumn('peer_group', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('invited_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('invited_at', 'text', (c) => c.notNull())
    .addColumn('responded_at', 'text')
    .addColumn('ended_at', 'text')
    /** Which side ended it: 'institution' or 'member'. */
    .addColumn('ended_by_side', 'text')
    .execute();
  await db.schema
    .createIndex('sector_memberships_institution')
    .on('sector_memberships')
    .columns(['institution_id', 'status'])
    .execute();
  await db.schema
    .createIndex('sector_memberships_member')
    .on('sector_memberships')
    .columns(['member_id', 'status'])
    .execute();

  await db.schema
    .createTable('sector_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('membership_id', 'text', (c) =>
      c.notNull().references('sector_memberships.id').onDelete('cascade'),
    )
    .addColumn('institution_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('data_kind', 'text', (c) =>
      c
        .notNull()
        .check(sqlIn('data_kind', ['results', 'chain_measures', 'evaluations', 'register'])),
    )
    .addColumn('shared_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('shared_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('withdrawn_at', 'text')
    .execute();
  await db.schema
    .createIndex('sector_consents_current')
    .on('sector_consents')
    .columns(['institution_id', 'data_kind', 'withdrawn_at', 'member_id'])
    .execute();
  await db.schema
    .createIndex('sector_consents_membership')
    .on('sector_consents')
    .columns(['membership_id', 'data_kind'])
    .execute();

  await db.schema
    .createTable('sector_settings')
    .addColumn('institution_id', 'text', (c) =>
      c.primaryKey().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('min_group_size', 'integer', (c) => c.notNull().check(sql`min_group_size >= 5`))
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // The level of each capability in an organisation's latest finalised round (agreed, else median).
  await db.schema
    .createTable('sector_levels')
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('capability_id', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('round_id', 'text', (c) => c.notNull())
    .addColumn('finalised_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sector_levels_pk', ['organisation_id', 'capability_id'])
    .execute();
  await db.schema
    .createIndex('sector_levels_capability')
    .on('sector_levels')
    .columns(['capability_id', 'level'])
    .execute();
  // What `sector_levels` was computed from, so a newer snapshot is noticed.
  await db.schema
    .createTable('sector_level_sources')
    .addColumn('organisation_id', 'text', (c) =>
      c.primaryKey().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('stamp', 'text', (c) => c.notNull())
    .addColumn('refreshed_at', 'text', (c) => c.notNull())
    .execute();

  // A member's chain tagged with the kind of service it delivers, and its measures at that revision.
  await db.schema
    .createTable('sector_chain_measures')
    .addColumn('chain_id', 'text', (c) =>
      c.primaryKey().references('delivery_chains.id').onDelete('cascade'),
    )
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('service_type', 'text', (c) => c.notNull())
    /** The chain revision the measures below were computed from (0: not yet computed). */
    .addColumn('chain_revision', 'integer', (c) => c.notNull())
    .addColumn('cost_per_output', sql`double precision`)
    .addColumn('lead_time_hours', sql`double precision`)
    .addColumn('outputs_per_staff_hour', sql`double precision`)
    .addColumn('outcomes_per_output', sql`double precision`)
    .addColumn('set_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sector_chain_measures_service')
    .on('sector_chain_measures')
    .columns(['organisation_id', 'service_type'])
    // One chain per kind of service and organisation: benchmarks count organisations, not chains.
    .unique()
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'sector_chain_measures',
    'sector_level_sources',
    'sector_levels',
    'sector_settings',
    'sector_consents',
    'sector_memberships',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

function sqlIn(column: string, values: readonly string[]) {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}
