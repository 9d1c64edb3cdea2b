// Delivery chains (paper section 2.2.1): each organisation's chain models, stored as the engine's
// JSON document (checked by parseChain before every write), and named scenarios that combine the
// chain's interventions for comparison. Every table carries organisation_id so that every query
// can be scoped without a join.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('delivery_chains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    /** The chain document (version `schema_version` of the engine's format) as JSON text. */
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('schema_version', 'integer', (c) => c.notNull())
    /** 1 when created, plus one for every saved change. */
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('delivery_chains_org_idx')
    .on('delivery_chains')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('chain_scenarios')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('chain_id', 'text', (c) =>
      c.notNull().references('delivery_chains.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    /** JSON array of the chain's intervention ids, applied together in this order. */
    .addColumn('interventions', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('chain_scenarios_chain_idx')
    .on('chain_scenarios')
    .column('chain_id')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('chain_scenarios').ifExists().execute();
  await db.schema.dropTable('delivery_chains').ifExists().execute();
}
