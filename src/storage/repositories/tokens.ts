// Personal API tokens of one organisation (issue 17, point 2): made with scopes and an expiry,
// listed for their owner or, for an admin, every member's, and revoked. Reached only through
// OrgScope.tokens, so every query is filtered by the organisation; each change is audited in the
// same transaction. Finding a token by its secret is in platform.ts (before the organisation is known).
import { newId, nowIso } from '../../lib/ids.ts';
import { ScopedStore } from './tx.ts';

export interface ApiTokenRecord {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly ownerUserId: string;
  readonly ownerName: string;
  readonly ownerEmail: string;
  /** Space-separated `area:read` / `area:write`. */
  readonly scopes: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  /** True for a token made before scopes existed, given every area and 90 days by migration 0023. */
  readonly expiryMigrated: boolean;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export class TokenStore extends ScopedStore {
  /** The organisation's tokens, newest first: one person's (`ownerUserId`) or everyone's. */
  async list(ownerUserId?: string): Promise<ApiTokenRecord[]> {
    let query = this.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select([
        't.id as id',
        't.name as name',
        't.prefix as prefix',
        't.user_id as ownerUserId',
        'u.name as ownerName',
        'u.email as ownerEmail',
        't.scopes as scopes',
        't.created_at as createdAt',
        't.expires_at as expiresAt',
        't.expiry_migrated as expiryMigrated',
        't.last_used_at as lastUsedAt',
        't.revoked_at as revokedAt',
      ])
      .where('t.organisation_id', '=', this.organisationId);
    if (ownerUserId !== undefined) query = query.where('t.user_id', '=', ownerUserId);
    const rows = await query.orderBy('t.created_at', 'desc').orderBy('t.id').execute();
    return rows.map((row) => ({ ...row, expiryMigrated: Number(row.expiryMigrated) === 1 }));
  }

  async create(input: {
    name: string;
    tokenHash: string;
    prefix: string;
    scopes: string;
    expiresAt: string;
  }): Promise<string> {
    const userId = this.actorUserId;
    if (userId === null) throw new Error('An API token belongs to a person');
    return this.tx(async (store) => {
      const id = newId();
      await store.db
        .insertInto('api_tokens')
        .values({
          id,
          organisation_id: store.organisationId,
          user_id: userId,
          name: input.name,
          token_hash: input.tokenHash,
          prefix: input.prefix,
          scopes: input.scopes,
          created_at: nowIso(),
          expires_at: input.expiresAt,
          expiry_migrated: 0,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
      await store.audit(store.db, {
        action: 'api_token.created',
        entityType: 'api_token',
        entityId: id,
        details: {
          name: input.name,
          prefix: input.prefix,
          scopes: input.scopes,
          expiresAt: input.expiresAt,
        },
      });
      return id;
    });
  }

  /**
   * Revokes a live token of this organisation: one of `ownerUserId`'s, or, without it (an admin),
   * anyone's. False when there is no such live token. The audit entry names whose it was.
   */
  async revoke(id: string, ownerUserId?: string): Promise<boolean> {
    return this.tx(async (store) => {
      const token = (await store.list(ownerUserId)).find((t) => t.id === id);
      if (!token || token.revokedAt !== null) return false;
      const result = await store.db
        .updateTable('api_tokens')
        .set({ revoked_at: nowIso() })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await store.audit(store.db, {
        action: 'api_token.revoked',
        entityType: 'api_token',
        entityId: id,
        details: { name: token.name, owner: token.ownerEmail },
      });
      return true;
    });
  }
}
