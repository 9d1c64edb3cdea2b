// Single sign-on (issue 17, point 3): an organisation's identity provider settings, the link between
// a person at the provider (issuer + subject) and a person here, and sign-ins under way.
// `SsoStore` is reached through OrgScope.sso, so every query is filtered by the organisation and
// every change audited in the same transaction. `SsoDirectory` answers the questions asked before
// anyone is signed in (which organisation a link or an e-mail domain belongs to; which sign-in a
// provider's answer finishes).
import type { Selectable } from 'kysely';
import { newId, nowIso } from '../../lib/ids.ts';
import type { Role, SsoConfigsTable, SsoLoginsTable } from '../schema.ts';
import type { Executor } from './tx.ts';
import { ScopedStore } from './tx.ts';

export interface SsoConfig {
  readonly organisationId: string;
  readonly displayName: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly allowedDomains: readonly string[];
  readonly newUserRole: Role;
  readonly enabled: boolean;
  readonly updatedAt: string;
}

export interface SsoSettingsInput {
  readonly displayName: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly allowedDomains: readonly string[];
  readonly newUserRole: Role;
  readonly enabled: boolean;
}

export interface PendingSsoLogin {
  readonly organisationId: string;
  readonly browserHash: string;
  readonly codeVerifier: string;
  readonly nonce: string;
  readonly returnTo: string;
  readonly expiresAt: string;
}

function toConfig(row: Selectable<SsoConfigsTable>): SsoConfig {
  return {
    organisationId: row.organisation_id,
    displayName: row.display_name,
    issuer: row.issuer,
    clientId: row.client_id,
    allowedDomains: row.allowed_domains.split(' ').filter((d) => d !== ''),
    newUserRole: row.new_user_role,
    enabled: Number(row.enabled) === 1,
    updatedAt: row.updated_at,
  };
}

function toLogin(row: Selectable<SsoLoginsTable>): PendingSsoLogin {
  return {
    organisationId: row.organisation_id,
    browserHash: row.browser_hash,
    codeVerifier: row.code_verifier,
    nonce: row.nonce,
    returnTo: row.return_to,
    expiresAt: row.expires_at,
  };
}

export class SsoStore extends ScopedStore {
  async config(): Promise<SsoConfig | undefined> {
    const row = await this.db
      .selectFrom('sso_configs')
      .selectAll()
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return row ? toConfig(row) : undefined;
  }

  /** The client secret as stored (encrypted), or undefined when none is kept. */
  async encryptedSecret(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sso_secrets')
      .select('client_secret')
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return row?.client_secret;
  }

  /**
   * Saves the provider settings, and the client secret when a new one is given (`undefined` keeps
   * the one stored). The audit entry names what changed, never the secret.
   */
  async save(input: SsoSettingsInput, encryptedSecret: string | undefined): Promise<void> {
    await this.tx(async (store) => {
      const now = nowIso();
      const before = await store.config();
      const row = {
        display_name: input.displayName,
        issuer: input.issuer,
        client_id: input.clientId,
        allowed_domains: input.allowedDomains.join(' '),
        new_user_role: input.newUserRole,
        enabled: input.enabled ? 1 : 0,
        updated_at: now,
      };
      if (before) {
        await store.db
          .updateTable('sso_configs')
          .set(row)
          .where('organisation_id', '=', store.organisationId)
          .execute();
      } else {
        await store.db
          .insertInto('sso_configs')
          .values({ organisation_id: store.organisationId, created_at: now, ...row })
          .execute();
      }
      if (encryptedSecret !== undefined) {
        await store.db
          .deleteFrom('sso_secrets')
          .where('organisation_id', '=', store.organisationId)
          .execute();
        await store.db
          .insertInto('sso_secrets')
          .values({
            organisation_id: store.organisationId,
            client_secret: encryptedSecret,
            updated_at: now,
          })
          .execute();
      }
      await store.audit(store.db, {
        action: 'sso.configured',
        entityType: 'organisation',
        entityId: store.organisationId,
        details: {
          provider: input.displayName,
          issuer: input.issuer,
          clientId: input.clientId,
          domains: input.allowedDomains.join(', '),
          role: input.newUserRole,
          enabled: input.enabled,
          secretChanged: encryptedSecret !== undefined,
        },
      });
    });
  }

  /** Removes the settings, the secret and every link to the provider's people. */
  async remove(): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.config();
      if (!before) return false;
      for (const table of ['sso_logins', 'sso_identities', 'sso_secrets', 'sso_configs'] as const)
        await store.db
          .deleteFrom(table)
          .where('organisation_id', '=', store.organisationId)
          .execute();
      await store.audit(store.db, {
        action: 'sso.removed',
        entityType: 'organisation',
        entityId: store.organisationId,
        details: { provider: before.displayName, issuer: before.issuer },
      });
      return true;
    });
  }

  /** The person here that a person at the provider was linked to. */
  async findIdentity(issuer: string, subject: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sso_identities')
      .select('user_id')
      .where('organisation_id', '=', this.organisationId)
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row?.user_id;
  }

  async linkIdentity(userId: string, issuer: string, subject: string): Promise<void> {
    const now = nowIso();
    await this.db
      .insertInto('sso_identities')
      .values({
        id: newId(),
        organisation_id: this.organisationId,
        user_id: userId,
        issuer,
        subject,
        created_at: now,
        last_signed_in_at: now,
      })
      .execute();
  }

  async touchIdentity(issuer: string, subject: string): Promise<void> {
    await this.db
      .updateTable('sso_identities')
      .set({ last_signed_in_at: nowIso() })
      .where('organisation_id', '=', this.organisationId)
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .execute();
  }

  async startLogin(input: {
    stateHash: string;
    browserHash: string;
    codeVerifier: string;
    nonce: string;
    returnTo: string;
    expiresAt: string;
  }): Promise<void> {
    await this.db
      .insertInto('sso_logins')
      .values({
        id: input.stateHash,
        organisation_id: this.organisationId,
        browser_hash: input.browserHash,
        code_verifier: input.codeVerifier,
        nonce: input.nonce,
        return_to: input.returnTo,
        created_at: nowIso(),
        expires_at: input.expiresAt,
      })
      .execute();
  }
}

export class SsoDirectory {
  constructor(private readonly db: Executor) {}

  /** The organisation with this short name and its single sign-on settings, if it has any. */
  async bySlug(
    slug: string,
  ): Promise<{ organisationId: string; organisationName: string; config: SsoConfig } | undefined> {
    const row = await this.db
      .selectFrom('organisations as o')
      .innerJoin('sso_configs as c', 'c.organisation_id', 'o.id')
      .selectAll('c')
      .select(['o.name as organisationName', 'o.id as organisationId'])
      .where('o.slug', '=', slug)
      .executeTakeFirst();
    if (!row) return undefined;
    const { organisationName, organisationId, ...config } = row;
    return { organisationId, organisationName, config: toConfig(config) };
  }

  /** Organisations whose switched-on single sign-on accepts addresses at this domain. */
  async byDomain(
    domain: string,
  ): Promise<{ slug: string; organisationName: string; displayName: string }[]> {
    const rows = await this.db
      .selectFrom('organisations as o')
      .innerJoin('sso_configs as c', 'c.organisation_id', 'o.id')
      .select([
        'o.slug as slug',
        'o.name as organisationName',
        'c.display_name as displayName',
        'c.allowed_domains as domains',
      ])
      .where('c.enabled', '=', 1)
      .orderBy('o.name')
      .execute();
    const wanted = domain.toLowerCase();
    return rows
      .filter((r) => r.domains.split(' ').includes(wanted))
      .map(({ domains: _domains, ...rest }) => rest);
  }

  /**
   * Takes a sign-in under way by its state, exactly once: the row is deleted as it is read, so a
   * replayed answer from the provider finds nothing, even when two arrive at the same moment.
   */
  async takeLogin(stateHash: string): Promise<PendingSsoLogin | undefined> {
    const row = await this.db
      .deleteFrom('sso_logins')
      .where('id', '=', stateHash)
      .returningAll()
      .executeTakeFirst();
    return row ? toLogin(row) : undefined;
  }

  async deleteLoginsBefore(before: string): Promise<number> {
    const result = await this.db
      .deleteFrom('sso_logins')
      .where('expires_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
