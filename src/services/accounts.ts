// People and access: signing in and out, sessions, invitations and personal API tokens.
// Routes call these; these call storage. No HTTP here.
import { nowIso } from '../lib/ids.ts';
import type {
  OrgScope,
  Role,
  SessionPrincipal,
  Storage,
  TokenPrincipal,
} from '../storage/index.ts';
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

export type AcceptResult =
  | { ok: true; userId: string; organisationId: string }
  | { ok: false; field: 'password' | 'name' | 'token'; message: string };

export class AccountService {
  constructor(
    private readonly storage: Storage,
    private readonly options: { readonly sessionHours: number },
  ) {}

  /**
   * Checks an e-mail address and password; on success opens a session in the person's first
   * organisation and returns its secret cookie value. The same answer, at the same speed, whether
   * the address is unknown or the password wrong.
   */
  async signIn(
    email: string,
    password: string,
  ): Promise<{ token: string; principal: SessionPrincipal } | undefined> {
    const user = await this.storage.platform.findUserByEmail(email);
    const hash = user?.passwordHash ?? (await dummyPasswordHash());
    const valid = await verifyPassword(password, hash);
    if (!user || !valid || user.disabled) return undefined;
    const [membership] = await this.storage.platform.membershipsOf(user.id);
    if (!membership) return undefined;
    return this.openSession(user.id, membership.organisationId);
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

  async resolveSession(token: string): Promise<SessionPrincipal | undefined> {
    if (token.length < 20 || token.length > 100) return undefined;
    return this.storage.platform.findSession(sha256(token));
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

  async resolveApiToken(token: string): Promise<TokenPrincipal | undefined> {
    if (!token.startsWith('tl_pat_') || token.length > 200) return undefined;
    return this.storage.platform.findApiToken(sha256(token));
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

  /** Creates a personal API token; the secret is returned once and only its hash is kept. */
  async createApiToken(scope: OrgScope, name: string): Promise<{ id: string; token: string }> {
    const token = newSecretToken('tl_pat_', 32);
    const id = await scope.createApiToken({
      name: name.trim(),
      tokenHash: sha256(token),
      prefix: token.slice(0, 12),
    });
    return { id, token };
  }

  async pruneSessions(): Promise<number> {
    return this.storage.platform.deleteExpiredSessions(nowIso());
  }
}

export function actorLabel(p: { userName: string; email: string }): string {
  return `${p.userName} <${p.email}>`;
}
