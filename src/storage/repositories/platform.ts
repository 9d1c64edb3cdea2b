// Queries that come before an organisation is known: signing in, resolving a session, an API token or
// an invitation link. Everything else goes through an OrgScope (scoped.ts).
import { newId, nowIso } from '../../lib/ids.ts';
import type { OrganisationKind, Role } from '../schema.ts';
import type { Executor } from './tx.ts';
import { inTransaction } from './tx.ts';

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  readonly kind: OrganisationKind;
  readonly sector: string;
  readonly createdAt: string;
}

export interface UserRecord {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly passwordHash: string;
  readonly disabled: boolean;
}

export interface SessionPrincipal {
  readonly sessionId: string;
  readonly userId: string;
  readonly userName: string;
  readonly email: string;
  readonly organisationId: string;
  readonly role: Role;
  readonly expiresAt: string;
  /** When the session last answered a request (written at most once a minute): the idle timeout reads it. */
  readonly lastSeenAt: string;
}

export interface TokenPrincipal {
  readonly tokenId: string;
  readonly userId: string;
  readonly userName: string;
  readonly email: string;
  readonly organisationId: string;
  /** The owner's role now, not when the token was made: the ceiling of what the token can do. */
  readonly role: Role;
}

/** A live token as found by its hash, with what its checks need. */
export interface FoundApiToken extends TokenPrincipal {
  /** Space-separated `area:read` / `area:write`. */
  readonly scopes: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
}

export interface PendingInvitation {
  readonly id: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly expiresAt: string;
}

export function toOrganisation(row: {
  id: string;
  name: string;
  slug: string;
  kind: OrganisationKind;
  sector: string;
  created_at: string;
}): Organisation {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    kind: row.kind,
    sector: row.sector,
    createdAt: row.created_at,
  };
}

/** A users row as the rest of the product sees it. */
function toUserRecord(row: {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  disabled_at: string | null;
}): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    disabled: row.disabled_at !== null,
  };
}

export class PlatformRepository {
  constructor(private readonly db: Executor) {}

  async countOrganisations(): Promise<number> {
    const row = await this.db
      .selectFrom('organisations')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findOrganisation(id: string): Promise<Organisation | undefined> {
    const row = await this.db
      .selectFrom('organisations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toOrganisation(row) : undefined;
  }

  async createOrganisation(input: {
    name: string;
    slug: string;
    kind: OrganisationKind;
    sector: string;
  }): Promise<Organisation> {
    const row = { id: newId(), created_at: nowIso(), ...input };
    await this.db.insertInto('organisations').values(row).execute();
    return toOrganisation(row);
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', normaliseEmail(email))
      .executeTakeFirst();
    return row ? toUserRecord(row) : undefined;
  }

  async createUser(input: { email: string; name: string; passwordHash: string }): Promise<string> {
    const id = newId();
    await this.db
      .insertInto('users')
      .values({
        id,
        email: normaliseEmail(input.email),
        name: input.name,
        password_hash: input.passwordHash,
        created_at: nowIso(),
        disabled_at: null,
      })
      .execute();
    return id;
  }

  /** The organisations a person belongs to, oldest membership first. */
  async membershipsOf(userId: string): Promise<{ organisationId: string; role: Role }[]> {
    const rows = await this.db
      .selectFrom('memberships')
      .select(['organisation_id', 'role'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ organisationId: r.organisation_id, role: r.role }));
  }

  async createSession(input: {
    idHash: string;
    userId: string;
    organisationId: string;
    expiresAt: string;
  }): Promise<void> {
    const now = nowIso();
    await this.db
      .insertInto('sessions')
      .values({
        id: input.idHash,
        user_id: input.userId,
        organisation_id: input.organisationId,
        created_at: now,
        last_seen_at: now,
        expires_at: input.expiresAt,
      })
      .execute();
  }

  /**
   * A live session with the person's current role. A session whose membership was removed, whose
   * user was disabled, or which has expired resolves to nothing.
   */
  async findSession(idHash: string, now = nowIso()): Promise<SessionPrincipal | undefined> {
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .innerJoin('memberships as m', (join) =>
        join
          .onRef('m.user_id', '=', 's.user_id')
          .onRef('m.organisation_id', '=', 's.organisation_id'),
      )
      .select([
        's.id as sessionId',
        's.user_id as userId',
        'u.name as userName',
        'u.email as email',
        's.organisation_id as organisationId',
        'm.role as role',
        's.expires_at as expiresAt',
        's.last_seen_at as lastSeenAt',
      ])
      .where('s.id', '=', idHash)
      .where('s.expires_at', '>', now)
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    return row;
  }

  async touchSession(idHash: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: nowIso() })
      .where('id', '=', idHash)
      .execute();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', idHash).execute();
  }

  /** Ends every session of a person (all organisations, all devices) but `exceptIdHash`; how many ended. */
  async deleteSessionsOfUser(userId: string, exceptIdHash?: string): Promise<number> {
    let query = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptIdHash !== undefined) query = query.where('id', '!=', exceptIdHash);
    const result = await query.execute();
    return Number(result[0]?.numDeletedRows ?? 0);
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', userId)
      .execute();
  }

  /** The e-mail address and name of a person, by id. */
  async findUserById(userId: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirst();
    return row ? toUserRecord(row) : undefined;
  }

  // ---- attempts that count towards a limit (shared by every process) ----

  /** Records one attempt and returns its id. */
  async recordAuthAttempt(bucket: string, keyHash: string, at = nowIso()): Promise<string> {
    const id = newId();
    await this.db
      .insertInto('auth_attempts')
      .values({ id, bucket, key_hash: keyHash, at })
      .execute();
    return id;
  }

  /** Attempts recorded for a key since a time (the sliding window). */
  async countAuthAttempts(bucket: string, keyHash: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('auth_attempts')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('bucket', '=', bucket)
      .where('key_hash', '=', keyHash)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async deleteAuthAttempts(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('auth_attempts').where('id', 'in', ids).execute();
  }

  /** Forgets every attempt for a key (after a password reset, say). */
  async clearAuthAttempts(bucket: string, keyHash: string): Promise<void> {
    await this.db
      .deleteFrom('auth_attempts')
      .where('bucket', '=', bucket)
      .where('key_hash', '=', keyHash)
      .execute();
  }

  async deleteAuthAttemptsBefore(before: string): Promise<number> {
    const result = await this.db.deleteFrom('auth_attempts').where('at', '<=', before).execute();
    return Number(result[0]?.numDeletedRows ?? 0);
  }

  // ---- password-reset links ----

  async createPasswordReset(input: {
    userId: string;
    tokenHash: string;
    expiresAt: string;
  }): Promise<string> {
    const id = newId();
    await this.db
      .insertInto('password_resets')
      .values({
        id,
        user_id: input.userId,
        token_hash: input.tokenHash,
        created_at: nowIso(),
        expires_at: input.expiresAt,
        used_at: null,
      })
      .execute();
    return id;
  }

  /** The person a live (unused, unexpired) reset link was made for, if it is one. */
  async findPasswordReset(
    tokenHash: string,
    now = nowIso(),
  ): Promise<{ id: string; userId: string; email: string; expiresAt: string } | undefined> {
    return this.db
      .selectFrom('password_resets as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select([
        'r.id as id',
        'r.user_id as userId',
        'u.email as email',
        'r.expires_at as expiresAt',
      ])
      .where('r.token_hash', '=', tokenHash)
      .where('r.used_at', 'is', null)
      .where('r.expires_at', '>', now)
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
  }

  /**
   * Uses a reset link: true for exactly one caller, even when two use it at once. Every other live
   * link of the same person is used up with it.
   */
  async usePasswordReset(id: string, userId: string, now = nowIso()): Promise<boolean> {
    const result = await this.db
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await this.db
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .execute();
    return true;
  }

  /** Uses up every live reset link of a person (after they change their password). */
  async useAllPasswordResets(userId: string, now = nowIso()): Promise<void> {
    await this.db
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .execute();
  }

  async deletePasswordResetsBefore(before: string): Promise<number> {
    const result = await this.db
      .deleteFrom('password_resets')
      .where('expires_at', '<=', before)
      .execute();
    return Number(result[0]?.numDeletedRows ?? 0);
  }

  async deleteExpiredSessions(now = nowIso()): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
    return Number(result[0]?.numDeletedRows ?? 0);
  }

  /**
   * A token that has not been revoked, whose owner is still a member with a live account, with the
   * owner's current role. Expiry and scopes are for the caller to check (an expired token gets its
   * own message).
   */
  async findApiToken(tokenHash: string): Promise<FoundApiToken | undefined> {
    return this.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .innerJoin('memberships as m', (join) =>
        join
          .onRef('m.user_id', '=', 't.user_id')
          .onRef('m.organisation_id', '=', 't.organisation_id'),
      )
      .select([
        't.id as tokenId',
        't.user_id as userId',
        'u.name as userName',
        'u.email as email',
        't.organisation_id as organisationId',
        'm.role as role',
        't.scopes as scopes',
        't.expires_at as expiresAt',
        't.last_used_at as lastUsedAt',
      ])
      .where('t.token_hash', '=', tokenHash)
      .where('t.revoked_at', 'is', null)
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
  }

  async touchApiToken(tokenId: string, at = nowIso()): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: at })
      .where('id', '=', tokenId)
      .execute();
  }

  /** An invitation link is its own authority: the token hash finds the one invitation it was made for. */
  async findPendingInvitation(
    tokenHash: string,
    now = nowIso(),
  ): Promise<PendingInvitation | undefined> {
    const row = await this.db
      .selectFrom('invitations as i')
      .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
      .select([
        'i.id as id',
        'i.organisation_id as organisationId',
        'o.name as organisationName',
        'i.email as email',
        'i.name as name',
        'i.role as role',
        'i.expires_at as expiresAt',
      ])
      .where('i.token_hash', '=', tokenHash)
      .where('i.accepted_at', 'is', null)
      .where('i.revoked_at', 'is', null)
      .where('i.expires_at', '>', now)
      .executeTakeFirst();
    return row;
  }

  /**
   * The response a single-use assessment link was made for. The link reaches exactly that one
   * response and nothing else: routes build the organisation scope from what this returns.
   */
  async findResponseByLink(
    tokenHash: string,
  ): Promise<
    { responseId: string; roundId: string; organisationId: string; label: string } | undefined
  > {
    const row = await this.db
      .selectFrom('responses')
      .select([
        'id as responseId',
        'round_id as roundId',
        'organisation_id as organisationId',
        'label',
      ])
      .where('link_token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row;
  }

  async getSetting(key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('app_settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value;
  }

  /** Stores a value unless one is already there, and returns whichever value won (safe across processes). */
  async getOrCreateSetting(key: string, make: () => string): Promise<string> {
    return inTransaction(this.db, async (tx) => {
      await tx
        .insertInto('app_settings')
        .values({ key, value: make() })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const row = await tx
        .selectFrom('app_settings')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      return row.value;
    });
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
