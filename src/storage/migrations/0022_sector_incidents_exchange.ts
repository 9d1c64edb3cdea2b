// Sector stewardship, part two (issue 15, points 6 and 7; paper sections 4.1, 4.3, 4.4, 4.6, 4.7).
//  - `sector_incident_rules`: every version of an institution's published threshold for
//    independent review (none stored: the built-in rule, version 0, applies). Versions are only
//    added, never changed, so a report names the version it was judged by.
//  - `sector_incidents`: reports of incidents and near misses with AI systems, kept by the member
//    organisation whose staff reported them, under one institution's rule. `reporter_user_id` is
//    null for an anonymous report: nothing else records who reported it (the audit entry's actor is
//    "Anonymous reporter", and `reported_on` is a date, not a time). Lists order by date and a
//    random id, never by anything that follows the reporter.
//  - `sector_exchange_items` and `sector_exchange_joins`: what members publish to their
//    institution's sector (case studies, components, problem statements, skills offers, lessons),
//    and which members use a component or join a problem statement. Full text: SQLite FTS5 (Porter
//    stemmer) over `search_text`, kept by triggers; PostgreSQL a generated tsvector with a GIN index
//    — the same two indexes the lessons repository uses, behind one repository method.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

const isSqlite = (db: AnyDb): boolean => db.getExecutor().adapter instanceof SqliteAdapter;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('sector_incident_rules')
    .addColumn('institution_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sector_incident_rules_pk', ['institution_id', 'version'])
    .execute();

  await db.schema
    .createTable('sector_incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('institution_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('incident', 'near_miss')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('system_name', 'text', (c) => c.notNull())
    .addColumn('system_key', 'text', (c) => c.notNull())
    .addColumn('competency', 'text', (c) => c.notNull())
    .addColumn('what_happened', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('harm_to_public', 'integer', (c) => c.notNull())
    .addColumn('severity', 'integer', (c) => c.notNull().check(sql`severity between 1 and 5`))
    /** Null when the report is anonymous; read only by the triage role. */
    .addColumn('reporter_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reported_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('open', 'triaged', 'closed')`),
    )
    .addColumn('answers', 'text')
    .addColumn('class', 'text')
    .addColumn('follow_up', 'text')
    .addColumn('triaged_on', 'text')
    .addColumn('rule_version', 'integer')
    .addColumn('refer', 'integer')
    .addColumn('review_reasons', 'text')
    .addColumn('closing_note', 'text')
    .addColumn('closed_on', 'text')
    .addColumn('lesson_id', 'text', (c) => c.references('lessons.id').onDelete('set null'))
    .addColumn('exchange_item_id', 'text')
    .execute();
  await db.schema
    .createIndex('sector_incidents_org')
    .on('sector_incidents')
    .columns(['organisation_id', 'reported_on'])
    .execute();
  await db.schema
    .createIndex('sector_incidents_institution')
    .on('sector_incidents')
    .columns(['institution_id', 'reported_on'])
    .execute();

  await db.schema
    .createTable('sector_exchange_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('institution_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('case_study', 'component', 'problem', 'skills', 'lesson')`),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('capability_id', 'text')
    /** The template's fields, JSON. */
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('endorsed_at', 'text')
    .addColumn('endorsed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('withdrawn_at', 'text')
    .execute();
  await db.schema
    .createIndex('sector_exchange_items_institution')
    .on('sector_exchange_items')
    .columns(['institution_id', 'kind', 'created_at'])
    .execute();
  await db.schema
    .createTable('sector_exchange_joins')
    .addColumn('item_id', 'text', (c) =>
      c.notNull().references('sector_exchange_items.id').onDelete('cascade'),
    )
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('joined_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sector_exchange_joins_pk', ['item_id', 'organisation_id'])
    .execute();

  if (isSqlite(db)) {
    await sql`create virtual table sector_exchange_fts using fts5(search_text, content='sector_exchange_items', content_rowid='rowid', tokenize='porter unicode61')`.execute(
      db,
    );
    await sql`create trigger sector_exchange_fts_insert after insert on sector_exchange_items begin
      insert into sector_exchange_fts(rowid, search_text) values (new.rowid, new.search_text);
    end`.execute(db);
    await sql`create trigger sector_exchange_fts_delete after delete on sector_exchange_items begin
      insert into sector_exchange_fts(sector_exchange_fts, rowid, search_text) values ('delete', old.rowid, old.search_text);
    end`.execute(db);
    await sql`create trigger sector_exchange_fts_update after update of search_text on sector_exchange_items begin
      insert into sector_exchange_fts(sector_exchange_fts, rowid, search_text) values ('delete', old.rowid, old.search_text);
      insert into sector_exchange_fts(rowid, search_text) values (new.rowid, new.search_text);
    end`.execute(db);
  } else {
    await sql`alter table sector_exchange_items add column search tsvector generated always as (to_tsvector('english', search_text)) stored`.execute(
      db,
    );
    await sql`create index sector_exchange_search_idx on sector_exchange_items using gin (search)`.execute(
      db,
    );
  }
}

export async function down(db: AnyDb): Promise<void> {
  if (isSqlite(db)) await sql`drop table if exists sector_exchange_fts`.execute(db);
  for (const table of [
    'sector_exchange_joins',
    'sector_exchange_items',
    'sector_incidents',
    'sector_incident_rules',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
