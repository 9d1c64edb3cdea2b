// Invitations by email, for one organisation (reached through OrgScope.mail): who was sent a link
// to answer a round or to join, whether the message reached the mail server, the reminders sent,
// and removing addresses once they are no longer needed. Every change is audited.
import { newId, nowIso } from '../../lib/ids.ts';
import type { MailRecipientKind, MailStatus } from '../schema.ts';
import { ScopedStore, type Executor } from './tx.ts';

export interface MailRecipient {
  readonly id: string;
  readonly kind: MailRecipientKind;
  readonly roundId: string | null;
  readonly responseId: string | null;
  readonly invitationId: string | null;
  /** Null once removed. */
  readonly email: string | null;
  readonly linkOrigin: string;
  readonly status: MailStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly sentAt: string | null;
  readonly purgedAt: string | null;
  /** Reminders sent, by their number of days before closing. */
  readonly remindersSent: readonly number[];
}

/** A respondent invited by email, with what the reminder planner and the message need. */
export interface ReminderRow {
  readonly recipientId: string;
  readonly responseId: string;
  readonly email: string | null;
  readonly linkOrigin: string;
  readonly sentAt: string | null;
  readonly roundId: string;
  readonly roundTitle: string;
  readonly roundScope: 'organisation' | 'sector';
  readonly closesOn: string;
  readonly roundStatus: string;
  readonly responseStatus: 'not_started' | 'in_progress' | 'submitted';
  readonly revoked: boolean;
  readonly remindersSent: readonly number[];
}

export class MailStore extends ScopedStore {
  /** Records a person to be sent an invitation (status pending until the server accepts it). */
  async addRecipient(input: {
    kind: MailRecipientKind;
    roundId?: string;
    responseId?: string;
    invitationId?: string;
    email: string | null;
    linkOrigin: string;
  }): Promise<string> {
    const id = newId();
    await this.db
      .insertInto('mail_recipients')
      .values({
        id,
        organisation_id: this.organisationId,
        kind: input.kind,
        round_id: input.roundId ?? null,
        response_id: input.responseId ?? null,
        invitation_id: input.invitationId ?? null,
        email: input.email,
        link_origin: input.linkOrigin,
        status: 'pending',
        attempts: 0,
        last_error: null,
        sent_at: null,
        purged_at: null,
        created_by: this.actorUserId,
        created_at: nowIso(),
      })
      .execute();
    return id;
  }

  /** Records that the server accepted the invitation (or did not, with its error), audited. */
  async recordAttempt(
    id: string,
    outcome: { ok: true } | { ok: false; error: string },
    details: Readonly<Record<string, unknown>> = {},
  ): Promise<void> {
    await this.tx(async (store) => {
      const row = await store.db
        .selectFrom('mail_recipients')
        .select(['attempts', 'kind'])
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .executeTakeFirst();
      if (!row) return;
      const now = nowIso();
      await store.db
        .updateTable('mail_recipients')
        .set({
          attempts: Number(row.attempts) + 1,
          status: outcome.ok ? 'sent' : 'failed',
          last_error: outcome.ok ? null : outcome.error,
          ...(outcome.ok ? { sent_at: now } : {}),
        })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: outcome.ok ? 'mail.invitation_sent' : 'mail.invitation_failed',
        entityType: 'mail_recipient',
        entityId: id,
        details: { kind: row.kind, ...details, ...(outcome.ok ? {} : { error: outcome.error }) },
      });
    });
  }

  private async list(
    filter: (q: ReturnType<MailStore['baseQuery']>) => ReturnType<MailStore['baseQuery']>,
  ): Promise<MailRecipient[]> {
    const rows = await filter(this.baseQuery()).orderBy('created_at').orderBy('id').execute();
    const reminders =
      rows.length === 0
        ? []
        : await this.db
            .selectFrom('mail_reminders')
            .select(['recipient_id', 'days_before'])
            .where('organisation_id', '=', this.organisationId)
            .where(
              'recipient_id',
              'in',
              rows.map((r) => r.id),
            )
            .execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      roundId: r.round_id,
      responseId: r.response_id,
      invitationId: r.invitation_id,
      email: r.email,
      linkOrigin: r.link_origin,
      status: r.status,
      attempts: Number(r.attempts),
      lastError: r.last_error,
      sentAt: r.sent_at,
      purgedAt: r.purged_at,
      remindersSent: reminders
        .filter((m) => m.recipient_id === r.id)
        .map((m) => Number(m.days_before))
        .sort((a, b) => b - a),
    }));
  }

  private baseQuery() {
    return this.db
      .selectFrom('mail_recipients')
      .selectAll()
      .where('organisation_id', '=', this.organisationId);
  }

  /** The respondents of a round invited by email. */
  recipientsOfRound(roundId: string): Promise<MailRecipient[]> {
    return this.list((q) => q.where('round_id', '=', roundId).where('kind', '=', 'respondent'));
  }

  async recipientOfResponse(responseId: string): Promise<MailRecipient | undefined> {
    return (await this.list((q) => q.where('response_id', '=', responseId)))[0];
  }

  /** The latest email sent for each member invitation, by invitation id. */
  recipientsOfInvitations(): Promise<MailRecipient[]> {
    return this.list((q) => q.where('kind', '=', 'member'));
  }

  /** Replaces the secret of a response's link (a new link is being sent); false if it cannot be. */
  async replaceResponseLink(responseId: string, linkTokenHash: string): Promise<boolean> {
    const result = await this.db
      .updateTable('responses')
      .set({ link_token_hash: linkTokenHash })
      .where('id', '=', responseId)
      .where('organisation_id', '=', this.organisationId)
      .where('link_token_hash', 'is not', null)
      .where('revoked_at', 'is', null)
      .where('status', '!=', 'submitted')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Replaces the secret of a waiting member invitation (a new link is being sent). */
  async replaceInvitationToken(invitationId: string, tokenHash: string): Promise<boolean> {
    const result = await this.db
      .updateTable('invitations')
      .set({ token_hash: tokenHash })
      .where('id', '=', invitationId)
      .where('organisation_id', '=', this.organisationId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', nowIso())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Respondents invited by email whose address is still kept, with their round and answers. */
  async reminderRows(): Promise<ReminderRow[]> {
    const rows = await this.db
      .selectFrom('mail_recipients as m')
      .innerJoin('responses as r', 'r.id', 'm.response_id')
      .innerJoin('assessment_rounds as a', 'a.id', 'r.round_id')
      .select([
        'm.id as recipientId',
        'r.id as responseId',
        'm.email as email',
        'm.link_origin as linkOrigin',
        'm.sent_at as sentAt',
        'a.id as roundId',
        'a.title as roundTitle',
        'a.scope as roundScope',
        'a.closes_on as closesOn',
        'a.status as roundStatus',
        'r.status as responseStatus',
        'r.revoked_at as revokedAt',
      ])
      .where('m.organisation_id', '=', this.organisationId)
      .where('m.kind', '=', 'respondent')
      .where('m.email', 'is not', null)
      .where('m.status', '=', 'sent')
      .execute();
    const sent =
      rows.length === 0
        ? []
        : await this.db
            .selectFrom('mail_reminders')
            .select(['recipient_id', 'days_before'])
            .where('organisation_id', '=', this.organisationId)
            .execute();
    return rows.map(({ revokedAt, ...r }) => ({
      ...r,
      revoked: revokedAt !== null,
      remindersSent: sent
        .filter((s) => s.recipient_id === r.recipientId)
        .map((s) => Number(s.days_before)),
    }));
  }

  /**
   * Claims a reminder before it is sent: true for the one caller that records it, false if it
   * was already recorded (by another process, or an earlier run).
   */
  async claimReminder(recipientId: string, daysBefore: number): Promise<string | undefined> {
    const id = newId();
    try {
      await this.db
        .insertInto('mail_reminders')
        .values({
          id,
          organisation_id: this.organisationId,
          recipient_id: recipientId,
          days_before: daysBefore,
          sent_at: nowIso(),
        })
        .execute();
      return id;
    } catch (error) {
      const exists = await this.db
        .selectFrom('mail_reminders')
        .select('id')
        .where('recipient_id', '=', recipientId)
        .where('days_before', '=', daysBefore)
        .executeTakeFirst();
      if (exists) return undefined;
      throw error;
    }
  }

  /** The reminder reached the server: its new link replaces the old one, audited. */
  async reminderSent(
    claimId: string,
    recipient: { recipientId: string; responseId: string; roundId: string },
    daysBefore: number,
    linkTokenHash: string,
  ): Promise<void> {
    await this.tx(async (store) => {
      await store.replaceResponseLink(recipient.responseId, linkTokenHash);
      await store.audit(store.db, {
        action: 'mail.reminder_sent',
        entityType: 'mail_recipient',
        entityId: recipient.recipientId,
        details: { roundId: recipient.roundId, daysBefore, reminderId: claimId },
      });
    });
  }

  /** The reminder did not reach the server: its claim is withdrawn (a later run tries again). */
  async reminderFailed(
    claimId: string,
    recipient: { recipientId: string; roundId: string },
    daysBefore: number,
    error: string,
  ): Promise<void> {
    await this.tx(async (store) => {
      await store.db
        .deleteFrom('mail_reminders')
        .where('id', '=', claimId)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: 'mail.reminder_failed',
        entityType: 'mail_recipient',
        entityId: recipient.recipientId,
        details: { roundId: recipient.roundId, daysBefore, error },
      });
    });
  }

  /**
   * Removes the addresses no longer needed: of people who have answered or whose link was
   * withdrawn, and of every round that is no longer draft, open or closed (finalised or archived).
   * Returns how many were removed (audited once, with the count).
   */
  async removeUnneededAddresses(): Promise<number> {
    return this.tx(async (store) => {
      const rows = await store.unneededAddresses();
      if (rows.length === 0) return 0;
      await store.db
        .updateTable('mail_recipients')
        .set({ email: null, purged_at: nowIso() })
        .where('organisation_id', '=', store.organisationId)
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      await store.audit(store.db, {
        action: 'mail.addresses_removed',
        entityType: 'organisation',
        entityId: store.organisationId,
        details: { count: rows.length },
      });
      return rows.length;
    });
  }

  /** The recipients whose address is still kept but no longer needed (see removeUnneededAddresses). */
  async unneededAddresses(): Promise<{ id: string }[]> {
    return this.db
      .selectFrom('mail_recipients as m')
      .innerJoin('responses as r', 'r.id', 'm.response_id')
      .innerJoin('assessment_rounds as a', 'a.id', 'r.round_id')
      .select(['m.id as id'])
      .where('m.organisation_id', '=', this.organisationId)
      .where('m.email', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('r.status', '=', 'submitted'),
          eb('r.revoked_at', 'is not', null),
          eb('a.status', 'not in', ['draft', 'open', 'closed']),
        ]),
      )
      .execute();
  }
}

/** Organisations holding addresses of people invited by email (for the reminder run). */
export async function organisationsWithMailAddresses(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('mail_recipients')
    .select('organisation_id')
    .distinct()
    .where('email', 'is not', null)
    .execute();
  return rows.map((r) => r.organisation_id);
}
