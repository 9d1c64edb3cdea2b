// People and access: signing in and out, sessions, passwords, invitations and personal API tokens.
// Routes call these; these call storage. No HTTP here.
//
// Sign-in is throttled per account and per address through the database, so the limits hold
// across every web process: each attempt is first recorded, then counted in its sliding window (so
// attempts made at the same moment cannot all slip under the limit), and only failures stay
// recorded. An unknown address is counted exactly as a known one, so the answer, and its timing,
// never reveal who has an account.
import { nowIso } from '../lib/ids.ts';
import { passwordResetMessage, type MailMessage } from './mail/messages.ts';
import type {
  AuditAction,
  OrgScope,
  Repositories,
  Role,
  SessionPrincipal,
  Storage,
  TokenPrincipal,
} from '../storage/index.ts';
import { ALL_SCOPES, formatScopes, parseScopes, shouldTouch, type Scope } from './tokens.ts';
import {
  dummyPasswordHash,
  hashPassword,
  newSecretToken,
  passwordProblem,
  sha256,
  verifyPassword,
} from './secrets.ts';

export const ROLES: readonly Role[] = ['admin', 'lead', 'member', 'viewer'];

export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  admin: 'Manages members, roles, invitations and API tokens, and can do everything a lead can',
  lead: 'Runs assessments, models delivery chains and registers initiatives',
  member: 'Answers assessments and contributes evidence',
  viewer: 'Reads results and reports',
};

const INVITATION_DAYS = 14;
/** A session's last-seen time is written at most this often, to spare a write on every request. */
const TOUCH_EVERY_MS = 60_000;
/** Requests for a reset link: per account and per address, in an hour. */
const RESET_LIMITS = {
  account: { max: 3, windowMs: 3_600_000 },
  address: { max: 10, windowMs: 3_600_000 },
} as const;

export interface AccountOptions {
  readonly sessionHours: number;
  /** A session unused for this long ends (default 30). */
  readonly sessionIdleMinutes?: number;
  /** Failed sign-ins allowed from one address in a window (default 10 in 5 minutes). */
  readonly signInRateLimit?: { readonly max: number; readonly windowMs: number };
  /** Failed sign-ins allowed against one account in a window (default 10 in 15 minutes). */
  readonly signInAccountLimit?: { readonly max: number; readonly windowMs: number };
  /** How long a password-reset link works (default 60). */
  readonly passwordResetMinutes?: number;
}

export type SignInResult =
  | { readonly ok: true; readonly token: string; readonly principal: SessionPrincipal }
  | { readonly ok: false; readonly reason: 'refused' }
  /** Too many failures: try again after this many minutes. */
  | { readonly ok: false; readonly reason: 'throttled'; readonly minutes: number };

export type ApiTokenResolution =
  | {
      readonly ok: true;
      readonly principal: TokenPrincipal;
      /** What the token was made to do; the owner's role in `principal` is the ceiling. */
      readonly scopes: ReadonlySet<Scope>;
    }
  /** Unknown, revoked, or its owner gone; or expired at `expiredAt`. */
  | { readonly ok: false; readonly expiredAt?: string };

export type PasswordResult =
  { readonly ok: true } | { readonly ok: false; readonly field: string; readonly message: string };

/** Sends one email; the error in plain words when it did not reach the server. */
export type SendMail = (to: string, message: MailMessage) => Promise<string | undefined>;

/** The key an account's attempts are counted under: the normalised address, hashed. */
function accountKey(email: string): string {
  return sha256(`account:${email.trim().toLowerCase()}`);
}

function addressKey(address: string): string {
  return sha256(`address:${address}`);
}

const minutesOf = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

export type AcceptResult =
  | { ok: true; userId: string; organisationId: string }
  | { ok: false; field: 'password' | 'name' | 'token'; message: string };

export class AccountService {
  private readonly idleMs: number;
  private readonly addressLimit: { readonly max: number; readonly windowMs: number };
  private readonly accountLimit: { readonly max: number; readonly windowMs: number };
  private readonly resetMs: number;
  /** Work carried on after its request was answered (a reset email), awaited on shutdown. */
  private readonly background = new Set<Promise<void>>();

  constructor(
    private readonly storage: Storage,
    private readonly options: AccountOptions,
  ) {
    this.idleMs = (options.sessionIdleMinutes ?? 30) * 60_000;
    this.addressLimit = options.signInRateLimit ?? { max: 10, windowMs: 300_000 };
    this.accountLimit = options.signInAccountLimit ?? { max: 10, windowMs: 900_000 };
    this.resetMs = (options.passwordResetMinutes ?? 60) * 60_000;
  }

  /**
   * Checks an e-mail address and password from a client address; on success opens a session in
   * the person's first organisation and returns its secret cookie value. The same answer, at the
   * same speed, whether the e-mail address is unknown or the password wrong; too many failures for
   * the account (from any address) or from the address (for any account) pause signing in, even
   * with the right password, for known and unknown accounts alike.
   */
  async signIn(email: string, password: string, address: string): Promise<SignInResult> {
    const platform = this.storage.platform;
    const now = Date.now();
    const keys = { account: accountKey(email), address: addressKey(address) };
    const ids = [
      await platform.recordAuthAttempt('sign_in:account', keys.account),
      await platform.recordAuthAttempt('sign_in:address', keys.address),
    ];
    const since = (windowMs: number) => new Date(now - windowMs).toISOString();
    const onAccount = await platform.countAuthAttempts(
      'sign_in:account',
      keys.account,
      since(this.accountLimit.windowMs),
    );
    const fromAddress = await platform.countAuthAttempts(
      'sign_in:address',
      keys.address,
      since(this.addressLimit.windowMs),
    );
    // The longest window of the limits passed says how long to wait.
    const waitMs = Math.max(
      onAccount > this.accountLimit.max ? this.accountLimit.windowMs : 0,
      fromAddress > this.addressLimit.max ? this.addressLimit.windowMs : 0,
    );
    if (waitMs > 0) {
      // Not a failure (no password was checked): only failures count.
      await platform.deleteAuthAttempts(ids);
      return { ok: false, reason: 'throttled', minutes: minutesOf(waitMs) };
    }
    const user = await platform.findUserByEmail(email);
    const hash = user?.passwordHash ?? (await dummyPasswordHash());
    const valid = await verifyPassword(password, hash);
    const [membership] = user ? await platform.membershipsOf(user.id) : [];
    if (!user || !valid || user.disabled || !membership) {
      if (user && onAccount === this.accountLimit.max) {
        await this.auditForPerson(user, {
          action: 'account.sign_in_throttled',
          details: {
            failures: this.accountLimit.max,
            minutes: minutesOf(this.accountLimit.windowMs),
          },
        });
      }
      return { ok: false, reason: 'refused' };
    }
    await platform.deleteAuthAttempts(ids);
    const session = await this.openSession(user.id, membership.organisationId);
    return session ? { ok: true, ...session } : { ok: false, reason: 'refused' };
  }

  /** Records an event about a person's account in the audit log of every organisation they belong to. */
  private async auditForPerson(
    user: { id: string; name: string; email: string },
    event: { action: AuditAction; details?: Record<string, unknown> },
    repositories: Repositories = this.storage,
  ): Promise<void> {
    const label = actorLabel({ userName: user.name, email: user.email });
    for (const membership of await repositories.platform.membershipsOf(user.id)) {
      await repositories
        .scope(membership.organisationId, { userId: user.id, label })
        .audit({ ...event, entityType: 'user', entityId: user.id });
    }
  }

  /** Opens a session for a member of an organisation and records it in that organisation's audit log. */
  async openSession(
    userId: string,
    organisationId: string,
  ): Promise<{ token: string; principal: SessionPrincipal } | undefined> {
    const token = newSecretToken('', 32);
    const expiresAt = new Date(Date.now() + this.options.sessionHours * 3_600_000).toISOString();
    await this.storage.platform.createSession({
      idHash: sha256(token),
      userId,
      organisationId,
      expiresAt,
    });
    const principal = await this.storage.platform.findSession(sha256(token));
    if (!principal) return undefined;
    await this.storage
      .scope(principal.organisationId, { userId, label: actorLabel(principal) })
      .audit({ action: 'session.signed_in', entityType: 'user', entityId: userId });
    return { token, principal };
  }

  /**
   * The live session a cookie holds. A session unused for longer than the idle timeout is ended
   * here; otherwise its last-seen time is brought up to date (at most once a minute).
   */
  async resolveSession(token: string, now = Date.now()): Promise<SessionPrincipal | undefined> {
    if (token.length < 20 || token.length > 100) return undefined;
    const idHash = sha256(token);
    const principal = await this.storage.platform.findSession(idHash, new Date(now).toISOString());
    if (!principal) return undefined;
    const idle = now - Date.parse(principal.lastSeenAt);
    if (idle > this.idleMs) {
      await this.storage.platform.deleteSession(idHash);
      return undefined;
    }
    if (idle >= TOUCH_EVERY_MS) await this.storage.platform.touchSession(idHash);
    return principal;
  }

  /** Ends a session without an audit entry (a cookie left from before signing in again). */
  async dropSession(token: string): Promise<void> {
    if (token.length < 20 || token.length > 100) return;
    await this.storage.platform.deleteSession(sha256(token));
  }

  /** Ends every session of the person, on every device and in every organisation. */
  async signOutEverywhere(principal: SessionPrincipal | PrincipalLike): Promise<number> {
    return this.storage.transaction(async (repositories) => {
      const ended = await repositories.platform.deleteSessionsOfUser(principal.userId);
      await repositories
        .scope(principal.organisationId, {
          userId: principal.userId,
          label: actorLabel(principal),
        })
        .audit({
          action: 'account.signed_out_everywhere',
          entityType: 'user',
          entityId: principal.userId,
          details: { sessionsEnded: ended },
        });
      return ended;
    });
  }

  /**
   * Changes a signed-in person's password: the current one must be given (a wrong one counts as a
   * failed sign-in for the account); every other session of theirs ends, and any reset link they
   * asked for stops working.
   */
  async changePassword(
    principal: PrincipalLike & { sessionToken: string },
    input: { currentPassword: string; newPassword: string },
  ): Promise<PasswordResult> {
    const platform = this.storage.platform;
    const user = await platform.findUserById(principal.userId);
    if (!user) return { ok: false, field: 'currentPassword', message: 'Sign in again' };
    const key = accountKey(user.email);
    const since = new Date(Date.now() - this.accountLimit.windowMs).toISOString();
    if (
      (await platform.countAuthAttempts('sign_in:account', key, since)) >= this.accountLimit.max
    ) {
      return {
        ok: false,
        field: 'currentPassword',
        message: `Too many wrong passwords. Wait ${minutesOf(this.accountLimit.windowMs)} minutes, then try again`,
      };
    }
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      await platform.recordAuthAttempt('sign_in:account', key);
      return {
        ok: false,
        field: 'currentPassword',
        message: 'Enter your current password correctly',
      };
    }
    if (input.newPassword === input.currentPassword)
      return {
        ok: false,
        field: 'newPassword',
        message: 'Your new password must be different from your current one',
      };
    const problem = passwordProblem(input.newPassword, user.email);
    if (problem) return { ok: false, field: 'newPassword', message: problem };
    const passwordHash = await hashPassword(input.newPassword);
    await this.storage.transaction(async (repositories) => {
      await repositories.platform.setPasswordHash(user.id, passwordHash);
      const ended = await repositories.platform.deleteSessionsOfUser(
        user.id,
        sha256(principal.sessionToken),
      );
      await repositories.platform.useAllPasswordResets(user.id);
      await this.auditForPerson(
        user,
        { action: 'account.password_changed', details: { otherSessionsEnded: ended } },
        repositories,
      );
    });
    return { ok: true };
  }

  /**
   * Starts a password reset for whoever owns an e-mail address, after the request has been
   * answered (so the answer, and its timing, are the same whether or not the account exists). A
   * single-use link, kept only as a hash, is emailed to a live account; nothing happens for an
   * unknown address or once the limits on reset requests are reached.
   */
  requestPasswordReset(
    email: string,
    address: string,
    linkFor: (token: string) => string,
    send: SendMail,
    onError: (error: unknown) => void,
  ): void {
    const work = this.sendPasswordReset(email, address, linkFor, send).catch(onError);
    this.background.add(work);
    void work.finally(() => this.background.delete(work));
  }

  private async sendPasswordReset(
    email: string,
    address: string,
    linkFor: (token: string) => string,
    send: SendMail,
  ): Promise<void> {
    const platform = this.storage.platform;
    const now = Date.now();
    for (const [bucket, key, limit] of [
      ['reset:account', accountKey(email), RESET_LIMITS.account],
      ['reset:address', addressKey(address), RESET_LIMITS.address],
    ] as const) {
      await platform.recordAuthAttempt(bucket, key);
      const since = new Date(now - limit.windowMs).toISOString();
      if ((await platform.countAuthAttempts(bucket, key, since)) > limit.max) return;
    }
    const user = await platform.findUserByEmail(email);
    if (!user || user.disabled || (await platform.membershipsOf(user.id)).length === 0) return;
    const token = newSecretToken('', 32);
    const expiresAt = new Date(Date.now() + this.resetMs).toISOString();
    await platform.createPasswordReset({ userId: user.id, tokenHash: sha256(token), expiresAt });
    const error = await send(
      user.email,
      passwordResetMessage({
        name: user.name,
        link: linkFor(token),
        minutes: this.resetMs / 60_000,
      }),
    );
    await this.auditForPerson(user, {
      action: 'account.password_reset_requested',
      details: error === undefined ? { sent: true } : { sent: false, error },
    });
  }

  /**
   * A reset link made by the people who run the service (`throughline user reset-link`), for a
   * person whose service cannot send email: the same single-use, expiring link as the emailed one,
   * handed over by a channel the operator trusts. Audited in each of the person's organisations.
   * Undefined for an unknown, disabled or organisation-less account.
   */
  async makePasswordResetLink(
    email: string,
    linkFor: (token: string) => string,
  ): Promise<{ link: string; minutes: number } | undefined> {
    const platform = this.storage.platform;
    const user = await platform.findUserByEmail(email);
    if (!user || user.disabled || (await platform.membershipsOf(user.id)).length === 0)
      return undefined;
    const token = newSecretToken('', 32);
    const expiresAt = new Date(Date.now() + this.resetMs).toISOString();
    await platform.createPasswordReset({ userId: user.id, tokenHash: sha256(token), expiresAt });
    await this.auditForPerson(user, {
      action: 'account.password_reset_requested',
      details: { by: 'operator' },
    });
    return { link: linkFor(token), minutes: this.resetMs / 60_000 };
  }

  /** Resolves once the work carried on after answering (reset emails) has finished. */
  async whenIdle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /** The address a live reset link was made for, or undefined when it is not one. */
  async findPasswordReset(token: string): Promise<{ email: string } | undefined> {
    if (token.length < 20 || token.length > 100) return undefined;
    const found = await this.storage.platform.findPasswordReset(sha256(token));
    return found ? { email: found.email } : undefined;
  }

  /**
   * Sets a new password with a reset link: the link is used up (exactly once, even if sent twice
   * at the same moment), every session of the person ends, and the failed sign-ins counted against
   * the account are forgotten.
   */
  async resetPassword(token: string, newPassword: string): Promise<PasswordResult> {
    const expired = {
      ok: false,
      field: 'token',
      message: 'This link has expired or has already been used',
    } as const;
    if (token.length < 20 || token.length > 100) return expired;
    const found = await this.storage.platform.findPasswordReset(sha256(token));
    if (!found) return expired;
    const problem = passwordProblem(newPassword, found.email);
    if (problem) return { ok: false, field: 'newPassword', message: problem };
    const passwordHash = await hashPassword(newPassword);
    return this.storage.transaction(async (repositories) => {
      const platform = repositories.platform;
      if (!(await platform.usePasswordReset(found.id, found.userId))) return expired;
      const user = await platform.findUserById(found.userId);
      if (!user) return expired;
      await platform.setPasswordHash(user.id, passwordHash);
      await platform.deleteSessionsOfUser(user.id);
      await platform.clearAuthAttempts('sign_in:account', accountKey(user.email));
      await this.auditForPerson(user, { action: 'account.password_reset' }, repositories);
      return { ok: true } as const;
    });
  }

  async signOut(
    token: string,
    principal:
      Pick<SessionPrincipal, 'userId' | 'userName' | 'email' | 'organisationId'> | undefined,
  ): Promise<void> {
    await this.storage.platform.deleteSession(sha256(token));
    if (principal) {
      await this.storage
        .scope(principal.organisationId, { userId: principal.userId, label: actorLabel(principal) })
        .audit({ action: 'session.signed_out', entityType: 'user', entityId: principal.userId });
    }
  }

  /**
   * The token an API request carries: its owner (with their role now) and scopes, or why it is
   * refused. Its last-used time is written at most once a minute.
   */
  async resolveApiToken(token: string, now = Date.now()): Promise<ApiTokenResolution> {
    if (!token.startsWith('tl_pat_') || token.length > 200) return { ok: false };
    const found = await this.storage.platform.findApiToken(sha256(token));
    if (!found) return { ok: false };
    if (found.expiresAt !== null && Date.parse(found.expiresAt) <= now)
      return { ok: false, expiredAt: found.expiresAt };
    if (shouldTouch(found.lastUsedAt, now))
      await this.storage.platform.touchApiToken(found.tokenId, new Date(now).toISOString());
    const { scopes, expiresAt: _expiresAt, lastUsedAt: _lastUsedAt, ...principal } = found;
    return { ok: true, principal, scopes: parseScopes(scopes) };
  }

  /** Creates a single-use invitation and returns the secret for its link (shown once). */
  async invite(
    scope: OrgScope,
    input: { email: string; name: string; role: Role },
  ): Promise<{ invitationId: string; token: string }> {
    const token = newSecretToken('', 24);
    const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000).toISOString();
    const invitationId = await scope.createInvitation({
      email: input.email.trim().toLowerCase(),
      name: input.name.trim(),
      role: input.role,
      tokenHash: sha256(token),
      expiresAt,
    });
    return { invitationId, token };
  }

  async findInvitation(token: string) {
    if (token.length < 20 || token.length > 100) return undefined;
    const invitation = await this.storage.platform.findPendingInvitation(sha256(token));
    if (!invitation) return undefined;
    const existing = await this.storage.platform.findUserByEmail(invitation.email);
    return { ...invitation, hasAccount: existing !== undefined };
  }

  /**
   * Accepts an invitation: a new person sets their name and password; someone who already has an
   * account confirms it with their password. The membership, the used invitation and the audit
   * entry are written in one transaction.
   */
  async acceptInvitation(
    token: string,
    input: { name: string; password: string },
  ): Promise<AcceptResult> {
    const invitation = await this.findInvitation(token);
    if (!invitation) {
      return {
        ok: false,
        field: 'token',
        message: 'This invitation link has expired, been used or been withdrawn',
      };
    }
    const existing = await this.storage.platform.findUserByEmail(invitation.email);
    if (existing) {
      if (!(await verifyPassword(input.password, existing.passwordHash))) {
        return {
          ok: false,
          field: 'password',
          message: 'Enter the password for your existing account',
        };
      }
    } else {
      if (input.name.trim() === '')
        return { ok: false, field: 'name', message: 'Enter your full name' };
      const problem = passwordProblem(input.password, invitation.email);
      if (problem) return { ok: false, field: 'password', message: problem };
    }
    const passwordHash = existing ? undefined : await hashPassword(input.password);
    return this.storage.transaction(async ({ platform, scope: scopeFor }) => {
      const userId =
        existing?.id ??
        (await platform.createUser({
          email: invitation.email,
          name: input.name.trim(),
          passwordHash: passwordHash ?? '',
        }));
      const scope = scopeFor(invitation.organisationId, {
        userId,
        label: `${existing?.name ?? input.name.trim()} <${invitation.email}>`,
      });
      if (!(await scope.markInvitationAccepted(invitation.id))) {
        return {
          ok: false,
          field: 'token',
          message: 'This invitation link has already been used',
        } as const;
      }
      if (!(await scope.memberByUserId(userId))) {
        await scope.addMember(userId, invitation.role, `invitation ${invitation.id}`);
      }
      return { ok: true, userId, organisationId: invitation.organisationId } as const;
    });
  }

  /**
   * Creates a personal API token; the secret is returned once and only its hash is kept. Without
   * options (scripts and tests), every scope and 90 days.
   */
  async createApiToken(
    scope: OrgScope,
    name: string,
    options: { scopes?: readonly Scope[]; expiresAt?: string } = {},
  ): Promise<{ id: string; token: string }> {
    const token = newSecretToken('tl_pat_', 32);
    const id = await scope.tokens.create({
      name: name.trim(),
      tokenHash: sha256(token),
      prefix: token.slice(0, 12),
      scopes: formatScopes(options.scopes ?? ALL_SCOPES),
      expiresAt: options.expiresAt ?? new Date(Date.now() + 90 * 86_400_000).toISOString(),
    });
    return { id, token };
  }

  /** Removes expired sessions, and attempts and reset links too old to matter. */
  async pruneSessions(): Promise<number> {
    const now = nowIso();
    const longest = Math.max(
      this.addressLimit.windowMs,
      this.accountLimit.windowMs,
      RESET_LIMITS.account.windowMs,
      RESET_LIMITS.address.windowMs,
    );
    await this.storage.platform.deleteAuthAttemptsBefore(
      new Date(Date.now() - longest).toISOString(),
    );
    await this.storage.platform.deletePasswordResetsBefore(now);
    return this.storage.platform.deleteExpiredSessions(now);
  }
}

/** What account changes need to know of the person acting. */
export interface PrincipalLike {
  readonly userId: string;
  readonly userName: string;
  readonly email: string;
  readonly organisationId: string;
}

export function actorLabel(p: { userName: string; email: string }): string {
  return `${p.userName} <${p.email}>`;
}
