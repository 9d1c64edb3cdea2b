// Shared delivery chains and the two registers of a sector (issue 15, points 3, 4 and 5; paper
// sections 2.2.1, 4.2 and Table 3).
//  - `sector_shared_chains`: an institution's own delivery chain (a row of `delivery_chains`, so the
//    one chain engine and its pages serve it) convened with its members; `sector_shared_chain_stages`
//    names the member that owns each stage: only that member may change the stage's figures.
//  - `sector_register_entries`: a member's published entry in the client-capability register, as it
//    stood when published (the rating, the capabilities it counts, the round, its date and evidence).
//    Unpublishing deletes the row; the audit log keeps the history.
//  - `sector_supplier_reports`: a member's structured account of a supplier's part in one of its
//    post-implementation evaluations (delivered, on time, benefits realised, lock-in problems). No
//    free text: the register only ever shows counts over several organisations.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('sector_shared_chains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('institution_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('chain_id', 'text', (c) =>
      c.notNull().unique().references('delivery_chains.id').onDelete('cascade'),
    )
    .addColumn('convened_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('convened_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sector_shared_chains_institution')
    .on('sector_shared_chains')
    .column('institution_id')
    .execute();

  await db.schema
    .createTable('sector_shared_chain_stages')
    .addColumn('shared_chain_id', 'text', (c) =>
      c.notNull().references('sector_shared_chains.id').onDelete('cascade'),
    )
    .addColumn('stage_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sector_shared_chain_stages_pk', ['shared_chain_id', 'stage_id'])
    .execute();
  await db.schema
    .createIndex('sector_shared_chain_stages_owner')
    .on('sector_shared_chain_stages')
    .column('owner_id')
    .execute();

  await db.schema
    .createTable('sector_register_entries')
    .addColumn('organisation_id', 'text', (c) =>
      c.primaryKey().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('level', 'integer', (c) => c.notNull().check(sql`level between 1 and 5`))
    /** JSON: the capabilities counted, each with its level and evidence. */
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('round_id', 'text', (c) => c.notNull())
    .addColumn('round_title', 'text', (c) => c.notNull())
    .addColumn('finalised_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('published_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sector_supplier_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('evaluation_id', 'text', (c) =>
      c.notNull().unique().references('initiative_evaluations.id').onDelete('cascade'),
    )
    /** The supplier's name as entered, and the key names are compared by (case and spaces folded). */
    .addColumn('supplier', 'text', (c) => c.notNull())
    .addColumn('supplier_key', 'text', (c) => c.notNull())
    .addColumn('delivered', 'integer', (c) => c.notNull())
    .addColumn('on_time', 'integer', (c) => c.notNull())
    .addColumn('benefits', 'text', (c) =>
      c.notNull().check(sql`benefits in ('realised', 'partly', 'not-realised')`),
    )
    .addColumn('lock_in', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sector_supplier_reports_supplier')
    .on('sector_supplier_reports')
    .columns(['supplier_key', 'organisation_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'sector_supplier_reports',
    'sector_register_entries',
    'sector_shared_chain_stages',
    'sector_shared_chains',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
