// Themes from free text (issue 6): uploaded comment sets and their comments, analyses (runs of the
// theme engine) with their themes and each comment's theme, the edits people make to a run, and
// links from a theme to a delivery-chain stage or a capability. Every table carries
// organisation_id so that every query can be scoped without a join.
//
// Comments keep their original text (`text`) beside a redacted copy (`redacted`): a re-run must read
// exactly what was uploaded, or its themes would differ from the first run's and edits could not be
// found again. Pages and exports only ever show the redacted copy; deleting a set deletes both.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('comment_sets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('csv', 'text')`))
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('mapping', 'text')
    // Held only between the upload and the column mapping, then cleared.
    .addColumn('pending_file', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('awaiting_mapping', 'ready')`),
    )
    .addColumn('comment_count', 'integer', (c) => c.notNull())
    .addColumn('blank_count', 'integer', (c) => c.notNull())
    .addColumn('duplicate_count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('comment_sets_org_idx')
    .on('comment_sets')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('set_id', 'text', (c) =>
      c.notNull().references('comment_sets.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('redacted', 'text', (c) => c.notNull())
    .addColumn('submitted_on', 'text')
    .addColumn('channel', 'text')
    .addColumn('area', 'text')
    .addColumn('respondent_group', 'text')
    .addColumn('set_aside', 'text', (c) => c.check(sql`set_aside in ('blank', 'duplicate')`))
    .addUniqueConstraint('comments_position_unique', ['set_id', 'position'])
    .execute();

  await db.schema
    .createTable('theme_analyses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('set_id', 'text', (c) =>
      c.notNull().references('comment_sets.id').onDelete('cascade'),
    )
    .addColumn('previous_id', 'text')
    .addColumn('seed', 'integer', (c) => c.notNull())
    .addColumn('requested_themes', 'integer')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed')`),
    )
    .addColumn('progress', 'integer', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('job_id', 'text')
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    // The engine's own themes and centres before any edit: edits are re-applied over them.
    .addColumn('raw_themes', 'text', (c) => c.notNull())
    .addColumn('not_applied', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('theme_analyses_set_idx')
    .on('theme_analyses')
    .columns(['organisation_id', 'set_id'])
    .execute();

  await db.schema
    .createTable('themes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('analysis_id', 'text', (c) =>
      c.notNull().references('theme_analyses.id').onDelete('cascade'),
    )
    .addColumn('theme_key', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('key_phrases', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('share', 'double precision', (c) => c.notNull())
    .addColumn('cohesion', 'double precision', (c) => c.notNull())
    .addColumn('quotes', 'text', (c) => c.notNull())
    .addColumn('trend', 'text')
    .addUniqueConstraint('themes_key_unique', ['analysis_id', 'theme_key'])
    .execute();

  await db.schema
    .createTable('comment_assignments')
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('analysis_id', 'text', (c) =>
      c.notNull().references('theme_analyses.id').onDelete('cascade'),
    )
    .addColumn('comment_id', 'text', (c) =>
      c.notNull().references('comments.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('raw_theme_key', 'text')
    .addColumn('theme_key', 'text')
    .addColumn('reason', 'text', (c) => c.check(sql`reason in ('blank', 'duplicate', 'other')`))
    .addPrimaryKeyConstraint('comment_assignments_pk', ['analysis_id', 'comment_id'])
    .execute();
  await db.schema
    .createIndex('comment_assignments_theme_idx')
    .on('comment_assignments')
    .columns(['analysis_id', 'theme_key', 'position'])
    .execute();

  await db.schema
    .createTable('theme_edits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('analysis_id', 'text', (c) =>
      c.notNull().references('theme_analyses.id').onDelete('cascade'),
    )
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('edit', 'text', (c) => c.notNull())
    .addColumn('carried', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('theme_edits_seq_unique', ['analysis_id', 'seq'])
    .execute();

  await db.schema
    .createTable('theme_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('analysis_id', 'text', (c) =>
      c.notNull().references('theme_analyses.id').onDelete('cascade'),
    )
    .addColumn('theme_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('stage', 'capability')`))
    .addColumn('chain_id', 'text')
    .addColumn('stage_id', 'text')
    .addColumn('capability_id', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('theme_links_theme_idx')
    .on('theme_links')
    .columns(['analysis_id', 'theme_key'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'theme_links',
    'theme_edits',
    'comment_assignments',
    'themes',
    'theme_analyses',
    'comments',
    'comment_sets',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
