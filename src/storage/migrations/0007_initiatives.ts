// AI initiatives (issue 11; paper sections 3 and 3.1–3.5): the register, the readiness verdicts kept
// when an initiative is approved, risks, evaluations, the lessons repository with a full-text index
// (SQLite FTS5 on the embedded default, a PostgreSQL tsvector on the scale-out path), and the
// organisation's versioned settings for the initiatives feature (readiness table, portfolio
// weights, risk appetite, innovation fund). Every table carries organisation_id so that every
// query can be scoped without a join. Documents the domain validates are stored as JSON text,
// checked before every write, as delivery chains are.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

const isSqlite = (db: AnyDb): boolean => db.getExecutor().adapter instanceof SqliteAdapter;

function orgColumn(db: AnyDb, table: string) {
  return db.schema
    .createTable(table)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    );
}

export async function up(db: AnyDb): Promise<void> {
  await orgColumn(db, 'initiatives')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`status in ('idea', 'assessed', 'approved', 'in-delivery', 'live', 'evaluated', 'stopped')`,
        ),
    )
    /** The initiative as the domain's schema accepts it (everything but id and lifecycle), JSON. */
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('chain_id', 'text', (c) => c.references('delivery_chains.id').onDelete('set null'))
    .addColumn('stopped_reason', 'text')
    .addColumn('live_from', 'text')
    /** Ethics review, DPIA screening and status, pre-mortem answers, transparency extras: JSON. */
    .addColumn('governance', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('initiatives_org_idx')
    .on('initiatives')
    .columns(['organisation_id', 'status'])
    .execute();

  // A verdict as it stood, with its inputs and the table version: never rewritten.
  await orgColumn(db, 'readiness_snapshots')
    .addColumn('initiative_id', 'text', (c) =>
      c.notNull().references('initiatives.id').onDelete('cascade'),
    )
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('readiness_snapshots_initiative_idx')
    .on('readiness_snapshots')
    .column('initiative_id')
    .execute();

  await orgColumn(db, 'initiative_risks')
    .addColumn('initiative_id', 'text', (c) =>
      c.notNull().references('initiatives.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('operational', 'ethical')`))
    .addColumn('likelihood', 'integer', (c) => c.notNull().check(sql`likelihood between 1 and 5`))
    .addColumn('impact', 'integer', (c) => c.notNull().check(sql`impact between 1 and 5`))
    .addColumn('status', 'text', (c) => c.notNull())
    /** The risk as the domain's schema accepts it, JSON. */
    .addColumn('risk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('initiative_risks_initiative_idx')
    .on('initiative_risks')
    .column('initiative_id')
    .execute();

  await orgColumn(db, 'initiative_evaluations')
    .addColumn('initiative_id', 'text', (c) =>
      c.notNull().references('initiatives.id').onDelete('cascade'),
    )
    .addColumn('log_id', 'text', (c) => c.references('event_logs.id').onDelete('set null'))
    /** What people typed and what was computed from the log, JSON. */
    .addColumn('evaluation', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('initiative_evaluations_initiative_idx')
    .on('initiative_evaluations')
    .column('initiative_id')
    .execute();

  await orgColumn(db, 'lessons')
    .addColumn('initiative_id', 'text', (c) => c.references('initiatives.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('competency', 'text')
    .addColumn('ambition', 'text')
    .addColumn('outcome', 'text')
    /** JSON array of capability ids the lesson bears on (a filter). */
    .addColumn('capabilities', 'text', (c) => c.notNull())
    /** The lesson as the domain's schema accepts it, JSON. */
    .addColumn('lesson', 'text', (c) => c.notNull())
    /** Everything a full-text search should find, as the domain builds it. */
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lessons_org_idx').on('lessons').column('organisation_id').execute();
  if (isSqlite(db)) {
    // An external-content FTS5 index over lessons.search_text, kept in step by triggers, with the
    // Porter stemmer so "evaluated" finds "evaluation". rowid is the lessons table's own rowid.
    await sql`create virtual table lessons_fts using fts5(search_text, content='lessons', content_rowid='rowid', tokenize='porter unicode61')`.execute(
      db,
    );
    await sql`create trigger lessons_fts_insert after insert on lessons begin
      insert into lessons_fts(rowid, search_text) values (new.rowid, new.search_text);
    end`.execute(db);
    await sql`create trigger lessons_fts_delete after delete on lessons begin
      insert into lessons_fts(lessons_fts, rowid, search_text) values ('delete', old.rowid, old.search_text);
    end`.execute(db);
    await sql`create trigger lessons_fts_update after update of search_text on lessons begin
      insert into lessons_fts(lessons_fts, rowid, search_text) values ('delete', old.rowid, old.search_text);
      insert into lessons_fts(rowid, search_text) values (new.rowid, new.search_text);
    end`.execute(db);
  } else {
    await sql`alter table lessons add column search tsvector generated always as (to_tsvector('english', search_text)) stored`.execute(
      db,
    );
    await sql`create index lessons_search_idx on lessons using gin (search)`.execute(db);
  }

  // Versioned documents: every change appends a version, so any earlier one can be shown and a
  // verdict can name the version it used.
  await db.schema
    .createTable('initiative_settings')
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('readiness-table', 'portfolio-weights', 'risk-appetite', 'innovation-fund')`,
        ),
    )
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('initiative_settings_pk', ['organisation_id', 'kind', 'version'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('initiative_settings').ifExists().execute();
  if (isSqlite(db)) await sql`drop table if exists lessons_fts`.execute(db);
  await db.schema.dropTable('lessons').ifExists().execute();
  await db.schema.dropTable('initiative_evaluations').ifExists().execute();
  await db.schema.dropTable('initiative_risks').ifExists().execute();
  await db.schema.dropTable('readiness_snapshots').ifExists().execute();
  await db.schema.dropTable('initiatives').ifExists().execute();
}
