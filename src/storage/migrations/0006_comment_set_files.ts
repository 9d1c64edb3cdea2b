// Comment uploads of up to a million comments (issue 6): an uploaded CSV or text file waits for its
// column mapping and its import as gzip-compressed chunks of about 1 MiB, one row each, instead of
// one base64 value in `comment_sets.pending_file`. The import job reads them one at a time, so
// neither the upload nor the import ever holds the whole file, and a page that only needs a set's
// details never reads its file. `comment_sets.pending_file` keeps a marker ('gzip-chunks') while the
// chunks wait (values written by older versions — 'gzip+base64:…' or plain text — are still read).
//
// Also an index on `comment_assignments.comment_id`: every comment deleted (a set deleted, an import
// that failed part-way undone) has its foreign key checked against that table, and without the
// index each check read the whole table (deleting 65,000 comments beside the demo's analyses took
// 13 s on SQLite; a million, hours).
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('comment_set_files')
    .addColumn('set_id', 'text', (c) =>
      c.notNull().references('comment_sets.id').onDelete('cascade'),
    )
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    /** 0, 1, 2 …: the chunks in file order. */
    .addColumn('seq', 'integer', (c) => c.notNull())
    /** A slice of the gzip-compressed file. */
    .addColumn('data', binary, (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_set_files_pk', ['set_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('comment_assignments_comment_idx')
    .on('comment_assignments')
    .column('comment_id')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('comment_assignments_comment_idx').ifExists().execute();
  await db.schema.dropTable('comment_set_files').ifExists().execute();
}
