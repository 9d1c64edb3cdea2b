// Invitations by email (issue 12, point 8): orchestration over the mail store, the SMTP mailer and
// the message builders. Nothing is created when the mail server cannot be reached: the server is
// checked first, so an administrator sees the error in plain words and can simply try again.
// Each message sent or failed is recorded and audited; a failed one can be sent again (with a new
// link: the one in the failed message never reached anyone).
import type { Config } from '../../config.ts';
import { planReminders } from '../../domain/mail/index.ts';
import { capabilitiesByScope, type Framework } from '../../domain/framework/index.ts';
import { nowIso } from '../../lib/ids.ts';
import {
  organisationsWithMailAddresses,
  type OrgScope,
  type Round,
  type Storage,
} from '../../storage/index.ts';
import { newSecretToken, sha256 } from '../secrets.ts';
import { memberInvitation, reminder, respondentInvitation } from './messages.ts';
import { createMailer, MailError, type Mailer } from './transport.ts';

export { MailError, createMailer, describeSmtpError, type Mailer } from './transport.ts';
export * from './messages.ts';

/** The system, as audit entries of reminders sent by the job runner or the CLI name it. */
const REMINDER_ACTOR = { userId: null, label: 'Throughline (reminders by email)' } as const;

/** The person sending, as a message names them: their name without the address. */
function senderName(scope: OrgScope): string {
  return scope.actor.label.replace(/\s*<[^>]*>\s*$/, '').trim() || 'Someone';
}

export interface RespondentInvite {
  readonly email: string;
  readonly groupId: string;
}

export interface InviteResult {
  readonly responseId: string;
  readonly label: string;
  readonly email: string;
  readonly groupName: string;
  readonly url: string;
  readonly sent: boolean;
  readonly error?: string;
}

export interface ReminderRun {
  readonly sent: number;
  readonly failed: number;
  readonly removed: number;
  readonly errors: readonly string[];
}

export class MailService {
  constructor(
    private readonly storage: Storage,
    private readonly mailer: Mailer | undefined,
    private readonly framework: Framework,
    readonly reminderDays: readonly number[] = [3, 1],
  ) {}

  static fromConfig(storage: Storage, config: Config, framework: Framework): MailService {
    return new MailService(
      storage,
      config.mail ? createMailer(config.mail) : undefined,
      framework,
      config.mail?.reminderDays,
    );
  }

  /** False when no SMTP server is configured: links must be copied by hand. */
  get enabled(): boolean {
    return this.mailer !== undefined;
  }

  close(): void {
    this.mailer?.close();
  }

  /** Checks the server answers; a MailError with its problem in plain words if it does not. */
  async check(): Promise<void> {
    if (!this.mailer) throw new MailError('Email is not set up on this service.');
    await this.mailer.verify();
  }

  private capabilities(round: Pick<Round, 'scope'>): number {
    return capabilitiesByScope(this.framework, round.scope).length;
  }

  /**
   * Makes a single-use link for each person and emails it. The server is checked first (a
   * MailError, and nothing made, if it cannot be reached); the links are made together, then
   * sent one by one, each recorded as sent or failed with the server's error.
   */
  async inviteRespondents(
    scope: OrgScope,
    round: Round,
    invites: readonly RespondentInvite[],
    origin: string,
  ): Promise<InviteResult[]> {
    await this.check();
    const organisation = await scope.organisation();
    const made = await scope.transaction(async (tx) => {
      const existing = (await tx.assessments.responses(round.id)).filter((r) => r.viaLink).length;
      const out: (Omit<InviteResult, 'sent' | 'error'> & { recipientId: string })[] = [];
      for (const [i, invite] of invites.entries()) {
        const group = round.groups.find((g) => g.id === invite.groupId);
        if (!group) throw new Error('That group is not part of this round');
        const token = newSecretToken('', 24);
        const label = `${group.name} email ${existing + i + 1}`;
        const responseId = await tx.assessments.createResponse({
          roundId: round.id,
          groupId: group.id,
          label,
          linkTokenHash: sha256(token),
        });
        const recipientId = await tx.mail.addRecipient({
          kind: 'respondent',
          roundId: round.id,
          responseId,
          email: invite.email,
          linkOrigin: origin,
        });
        out.push({
          responseId,
          recipientId,
          label,
          email: invite.email,
          groupName: group.name,
          url: `${origin}/respond/${token}`,
        });
      }
      return out;
    });
    const results: InviteResult[] = [];
    for (const item of made) {
      const { recipientId, ...rest } = item;
      const message = respondentInvitation({
        organisationName: organisation.name,
        senderName: senderName(scope),
        roundTitle: round.title,
        groupName: item.groupName,
        closesOn: round.closesOn,
        capabilities: this.capabilities(round),
        link: item.url,
      });
      const error = await this.trySend(item.email, message);
      await scope.mail.recordAttempt(
        recipientId,
        error === undefined ? { ok: true } : { ok: false, error },
        { roundId: round.id, responseId: item.responseId, label: item.label },
      );
      results.push({ ...rest, sent: error === undefined, ...(error ? { error } : {}) });
    }
    return results;
  }

  /**
   * Sends a respondent invited by email a new link (after a failure, or when they lost it); the
   * old link stops working once the new one has reached the server.
   */
  async resendToRespondent(
    scope: OrgScope,
    round: Round,
    responseId: string,
  ): Promise<{ ok: true; email: string } | { ok: false; error: string }> {
    const recipient = await scope.mail.recipientOfResponse(responseId);
    const response = await scope.assessments.response(responseId);
    if (!recipient?.email || !response || response.roundId !== round.id)
      return {
        ok: false,
        error: 'This person was not invited by email, or their address has been removed.',
      };
    if (response.revokedAt !== null || response.status === 'submitted')
      return { ok: false, error: 'This person has already answered, or their link was withdrawn.' };
    try {
      await this.check();
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
    const organisation = await scope.organisation();
    const token = newSecretToken('', 24);
    const url = `${recipient.linkOrigin}/respond/${token}`;
    const group = round.groups.find((g) => g.id === response.groupId);
    const error = await this.trySend(
      recipient.email,
      respondentInvitation({
        organisationName: organisation.name,
        senderName: senderName(scope),
        roundTitle: round.title,
        groupName: group?.name ?? response.groupName,
        closesOn: round.closesOn,
        capabilities: this.capabilities(round),
        link: url,
      }),
    );
    if (error === undefined) {
      await scope.transaction(async (tx) => {
        await tx.mail.replaceResponseLink(responseId, sha256(token));
        await tx.mail.recordAttempt(
          recipient.id,
          { ok: true },
          {
            roundId: round.id,
            responseId,
            label: response.label,
            resent: true,
          },
        );
      });
      return { ok: true, email: recipient.email };
    }
    await scope.mail.recordAttempt(
      recipient.id,
      { ok: false, error },
      {
        roundId: round.id,
        responseId,
        label: response.label,
        resent: true,
      },
    );
    return { ok: false, error };
  }

  /** Emails the link of a member invitation just made, recording whether it reached the server. */
  async sendMemberInvitation(
    scope: OrgScope,
    invitation: { id: string; email: string; name: string; role: string; expiresAt: string },
    roleDescription: string,
    link: string,
    origin: string,
    existingRecipientId?: string,
  ): Promise<{ sent: boolean; error?: string }> {
    const organisation = await scope.organisation();
    const recipientId =
      existingRecipientId ??
      (await scope.mail.addRecipient({
        kind: 'member',
        invitationId: invitation.id,
        // The invitation keeps the address (it is needed to join); it is not copied here.
        email: null,
        linkOrigin: origin,
      }));
    const error = await this.trySend(
      invitation.email,
      memberInvitation({
        organisationName: organisation.name,
        senderName: senderName(scope),
        inviteeName: invitation.name,
        role: invitation.role,
        roleDescription,
        expiresAt: invitation.expiresAt,
        link,
      }),
    );
    await scope.mail.recordAttempt(
      recipientId,
      error === undefined ? { ok: true } : { ok: false, error },
      { invitationId: invitation.id, name: invitation.name },
    );
    return error === undefined ? { sent: true } : { sent: false, error };
  }

  /**
   * Sends the reminders due today for one organisation (the planner in src/domain/mail decides
   * which), after removing the addresses no longer needed. Each reminder is claimed before it is
   * sent, so it goes once even if two processes run at once; one that fails is released so a
   * later run tries again. Each carries a new link, which replaces the old once it is sent.
   */
  async sendReminders(organisationId: string, today = nowIso().slice(0, 10)): Promise<ReminderRun> {
    const scope = this.storage.scope(organisationId, REMINDER_ACTOR);
    const removed = await scope.mail.removeUnneededAddresses();
    if (!this.mailer) return { sent: 0, failed: 0, removed, errors: [] };
    const rows = await scope.mail.reminderRows();
    const due = planReminders(
      rows.map((r) => ({ ...r, invitationSentAt: r.sentAt, hasAddress: r.email !== null })),
      today,
      this.reminderDays,
    );
    if (due.length === 0) return { sent: 0, failed: 0, removed, errors: [] };
    const organisation = await scope.organisation();
    let sent = 0;
    const errors: string[] = [];
    for (const d of due) {
      const row = rows.find((r) => r.recipientId === d.recipientId);
      if (!row?.email) continue;
      const claim = await scope.mail.claimReminder(row.recipientId, d.daysBefore);
      if (claim === undefined) continue;
      const token = newSecretToken('', 24);
      const error = await this.trySend(
        row.email,
        reminder({
          organisationName: organisation.name,
          roundTitle: row.roundTitle,
          closesOn: row.closesOn,
          daysLeft: d.daysLeft,
          started: row.responseStatus === 'in_progress',
          capabilities: this.capabilities({ scope: row.roundScope }),
          link: `${row.linkOrigin}/respond/${token}`,
        }),
      );
      if (error === undefined) {
        await scope.mail.reminderSent(claim, row, d.daysBefore, sha256(token));
        sent++;
      } else {
        await scope.mail.reminderFailed(claim, row, d.daysBefore, error);
        errors.push(error);
      }
    }
    return { sent, failed: errors.length, removed, errors: [...new Set(errors)] };
  }

  /** The organisations a reminder run should visit (those still holding addresses). */
  organisationsToRemind(): Promise<string[]> {
    return organisationsWithMailAddresses(this.storage.db.kysely);
  }

  /**
   * The organisations with reminders due today or addresses to remove (what the hourly schedule
   * queues a `mail.reminders` job for).
   */
  async organisationsWithWork(today = nowIso().slice(0, 10)): Promise<string[]> {
    const out: string[] = [];
    for (const organisationId of await this.organisationsToRemind()) {
      const scope = this.storage.scope(organisationId, REMINDER_ACTOR);
      const rows = await scope.mail.reminderRows();
      const removable = (await scope.mail.unneededAddresses()).length > 0;
      const due =
        this.mailer !== undefined &&
        planReminders(
          rows.map((r) => ({ ...r, invitationSentAt: r.sentAt, hasAddress: r.email !== null })),
          today,
          this.reminderDays,
        ).length > 0;
      if (removable || due) out.push(organisationId);
    }
    return out;
  }

  /** Reminders for every organisation (the CLI command). */
  async sendAllReminders(today?: string): Promise<ReminderRun> {
    const total = { sent: 0, failed: 0, removed: 0, errors: [] as string[] };
    for (const organisationId of await this.organisationsToRemind()) {
      const run = await this.sendReminders(organisationId, today);
      total.sent += run.sent;
      total.failed += run.failed;
      total.removed += run.removed;
      total.errors.push(...run.errors);
    }
    return { ...total, errors: [...new Set(total.errors)] };
  }

  /**
   * Sends one message to one person (a password-reset link, say); the error in plain words if it
   * did not reach the server, undefined when it did.
   */
  sendMessage(to: string, message: { subject: string; text: string }): Promise<string | undefined> {
    return this.trySend(to, message);
  }

  /** Sends one message; the error in plain words if it did not reach the server. */
  private async trySend(
    to: string,
    message: { subject: string; text: string },
  ): Promise<string | undefined> {
    if (!this.mailer) return 'Email is not set up on this service.';
    try {
      await this.mailer.send(to, message);
      return undefined;
    } catch (error) {
      return error instanceof MailError ? error.message : String(error);
    }
  }
}
