// Invitations by email (issue 12, point 8): who was sent an invitation to answer a round or to
// join the organisation, whether it arrived at the mail server, and which reminders before the
// round's closing date have gone. The address is kept only while it is needed for reminders: it
// is removed once the person has answered, or the round is finalised or archived (see the mail
// service's README). Reminders are recorded with a unique key, so each is sent once at most.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('mail_recipients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    /** 'respondent' (a link to answer a round) or 'member' (an invitation to join). */
    .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['respondent', 'member'])))
    .addColumn('round_id', 'text', (c) => c.references('assessment_rounds.id').onDelete('cascade'))
    .addColumn('response_id', 'text', (c) => c.references('responses.id').onDelete('cascade'))
    .addColumn('invitation_id', 'text', (c) => c.references('invitations.id').onDelete('cascade'))
    /** Null once removed (answered, finalised or archived). */
    .addColumn('email', 'text')
    /** Where the links point (the address the service was reached at when the invitation was made). */
    .addColumn('link_origin', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sqlIn('status', ['pending', 'sent', 'failed'])),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('purged_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('mail_recipients_response')
    .on('mail_recipients')
    .column('response_id')
    .unique()
    .execute();
  await db.schema
    .createIndex('mail_recipients_round')
    .on('mail_recipients')
    .columns(['organisation_id', 'round_id'])
    .execute();
  await db.schema
    .createIndex('mail_recipients_invitation')
    .on('mail_recipients')
    .column('invitation_id')
    .execute();

  await db.schema
    .createTable('mail_reminders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('recipient_id', 'text', (c) =>
      c.notNull().references('mail_recipients.id').onDelete('cascade'),
    )
    /** Which reminder: the number of days before the closing date it belongs to. */
    .addColumn('days_before', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('mail_reminders_once')
    .on('mail_reminders')
    .columns(['recipient_id', 'days_before'])
    .unique()
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('mail_reminders').execute();
  await db.schema.dropTable('mail_recipients').execute();
}

function sqlIn(column: string, values: readonly string[]) {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}
