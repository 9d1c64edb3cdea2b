// Capability assessments: rounds with respondent groups, responses (by signed-in members or
// single-use links), answers per capability, moderation, finalised snapshots and targets.
// Every table carries organisation_id so that every query can be scoped without a join.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('framework_documents')
    .addColumn('framework_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('framework_documents_pk', ['framework_id', 'version'])
    .execute();

  await db.schema
    .createTable('assessment_rounds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('organisation', 'sector')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('opens_on', 'text', (c) => c.notNull())
    .addColumn('closes_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft', 'open', 'closed', 'finalised')`),
    )
    .addColumn('framework_id', 'text', (c) => c.notNull())
    .addColumn('framework_version', 'text', (c) => c.notNull())
    .addColumn('min_group_size', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('finalised_at', 'text')
    .addForeignKeyConstraint(
      'assessment_rounds_framework_fk',
      ['framework_id', 'framework_version'],
      'framework_documents',
      ['framework_id', 'version'],
    )
    .execute();
  await db.schema
    .createIndex('assessment_rounds_org_idx')
    .on('assessment_rounds')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('round_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('round_id', 'text', (c) =>
      c.notNull().references('assessment_rounds.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('round_groups_name_unique', ['round_id', 'name'])
    .execute();

  await db.schema
    .createTable('responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('round_id', 'text', (c) =>
      c.notNull().references('assessment_rounds.id').onDelete('cascade'),
    )
    .addColumn('group_id', 'text', (c) => c.notNull().references('round_groups.id'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('link_token_hash', 'text', (c) => c.unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('not_started', 'in_progress', 'submitted')`),
    )
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('responses_round_idx').on('responses').column('round_id').execute();
  await db.schema
    .createIndex('responses_user_round_unique')
    .on('responses')
    .columns(['round_id', 'user_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('answers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('response_id', 'text', (c) =>
      c.notNull().references('responses.id').onDelete('cascade'),
    )
    .addColumn('capability_id', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.check(sql`level between 1 and 5`))
    .addColumn('dont_know', 'integer', (c) => c.notNull())
    .addColumn('indicators_seen', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('confidence', 'text', (c) => c.check(sql`confidence in ('low', 'medium', 'high')`))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('answers_response_capability_unique', ['response_id', 'capability_id'])
    .execute();

  await db.schema
    .createTable('agreed_ratings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('round_id', 'text', (c) =>
      c.notNull().references('assessment_rounds.id').onDelete('cascade'),
    )
    .addColumn('capability_id', 'text', (c) => c.notNull())
    .addColumn('agreed_level', 'integer', (c) =>
      c.notNull().check(sql`agreed_level between 1 and 5`),
    )
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('evidence_strength', 'text', (c) =>
      c
        .notNull()
        .check(sql`evidence_strength in ('asserted', 'documented', 'independently-verified')`),
    )
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('agreed_ratings_unique', ['round_id', 'capability_id'])
    .execute();

  await db.schema
    .createTable('round_snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('round_id', 'text', (c) =>
      c.notNull().references('assessment_rounds.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('round_snapshots_version_unique', ['round_id', 'version'])
    .execute();

  await db.schema
    .createTable('capability_targets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('capability_id', 'text', (c) => c.notNull())
    .addColumn('target_level', 'integer', (c) =>
      c.notNull().check(sql`target_level between 1 and 5`),
    )
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('capability_targets_unique', ['organisation_id', 'capability_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'capability_targets',
    'round_snapshots',
    'agreed_ratings',
    'answers',
    'responses',
    'round_groups',
    'assessment_rounds',
    'framework_documents',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
