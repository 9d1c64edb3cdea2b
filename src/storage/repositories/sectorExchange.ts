// The sector exchange (issue 15, point 7; paper sections 4.1, 4.3, 4.6, 4.7): what members publish
// to their institution's sector. `ExchangeStore` (OrgScope.sectorExchange) acts for the caller's
// organisation; every read across organisations is here and joins, in SQL, that the caller is the
// institution or an active member of it, and that the publisher is still an active member (a
// member that leaves takes its items with it). Members' names appear beside their items: what a
// member publishes to the sector is published under its name, unlike benchmarks.
import { sql, type SqlBool } from 'kysely';
import type { ExpressionBuilder } from 'kysely';
import { newId, newOrderedId, nowIso } from '../../lib/ids.ts';
import type { AuditAction } from '../audit.ts';
import type { Database, SectorExchangeItemsTable } from '../schema.ts';
import { fts5Query, pgTsQuery } from './initiatives.ts';
import type { Actor } from './scoped.ts';
import { inTransaction, type Executor } from './tx.ts';

export type ExchangeKindValue = SectorExchangeItemsTable['kind'];

export interface ExchangeItem {
  readonly id: string;
  readonly institutionId: string;
  readonly organisationId: string;
  readonly memberName: string;
  readonly kind: ExchangeKindValue;
  readonly title: string;
  readonly capabilityId: string | null;
  readonly body: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly endorsed: boolean;
  readonly endorsedAt: string | null;
  /** Other active members that use it or joined it (the publisher not counted). */
  readonly joinedCount: number;
  /** Whether the caller's organisation uses or joined it. */
  readonly joinedByUs: boolean;
  readonly ours: boolean;
}

export interface ExchangeQuery {
  readonly q?: string;
  readonly kind?: ExchangeKindValue;
  readonly capabilityId?: string;
  /** A publishing member's organisation id. */
  readonly memberId?: string;
  readonly endorsedOnly?: boolean;
}

export interface NewExchangeItem {
  readonly kind: ExchangeKindValue;
  readonly title: string;
  readonly capabilityId: string | null;
  readonly body: Readonly<Record<string, string>>;
  readonly searchText: string;
}

type Eb = ExpressionBuilder<Database & { x: SectorExchangeItemsTable }, 'x'>;

export class ExchangeStore {
  constructor(
    private readonly db: Executor,
    readonly organisationId: string,
    private readonly actor: Actor,
    private readonly isSqlite: boolean,
  ) {}

  private tx<T>(work: (store: ExchangeStore) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (tx) =>
      work(new ExchangeStore(tx, this.organisationId, this.actor, this.isSqlite)),
    );
  }

  private async audit(
    organisationId: string,
    action: AuditAction,
    entityId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    const here = organisationId === this.organisationId;
    const ours = here
      ? ''
      : ((
          await this.db
            .selectFrom('organisations')
            .select('name')
            .where('id', '=', this.organisationId)
            .executeTakeFirst()
        )?.name ?? '');
    await this.db
      .insertInto('audit_events')
      .values({
        id: newOrderedId(),
        organisation_id: organisationId,
        actor_user_id: here ? this.actor.userId : null,
        actor_label: here
          ? this.actor.label
          : `${this.actor.label.replace(/\s*<[^>]*>\s*$/, '')} (${ours})`,
        action,
        entity_type: 'sector_exchange_item',
        entity_id: entityId,
        details: JSON.stringify(details),
        at: nowIso(),
      })
      .execute();
  }

  /** True when this organisation may see the exchange of an institution (it is it, or an active member). */
  async canSee(institutionId: string): Promise<boolean> {
    if (institutionId === this.organisationId) {
      const row = await this.db
        .selectFrom('organisations')
        .select('kind')
        .where('id', '=', institutionId)
        .executeTakeFirst();
      return row?.kind === 'strategic_institution';
    }
    return this.isActiveMember(institutionId);
  }

  async isActiveMember(institutionId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('sector_memberships')
      .select('id')
      .where('institution_id', '=', institutionId)
      .where('member_id', '=', this.organisationId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The items of an institution's exchange the caller may see, with the caller's filters. */
  private visible(institutionId: string) {
    const viewer = this.organisationId;
    return this.db
      .selectFrom('sector_exchange_items as x')
      .innerJoin('organisations as o', 'o.id', 'x.organisation_id')
      .where('x.institution_id', '=', institutionId)
      .where('x.withdrawn_at', 'is', null)
      .where((eb) => activeMember(eb, 'x.organisation_id', institutionId))
      .where((eb) =>
        eb.or([
          eb.and([
            eb(eb.val(viewer), '=', institutionId),
            eb.exists(
              eb
                .selectFrom('organisations as io')
                .select('io.id')
                .where('io.id', '=', institutionId)
                .where('io.kind', '=', 'strategic_institution'),
            ),
          ]),
          viewerIsActiveMember(eb, viewer, institutionId),
        ]),
      )
      .select((eb) => [
        'x.id',
        'x.institution_id',
        'x.organisation_id',
        'o.name as member_name',
        'x.kind',
        'x.title',
        'x.capability_id',
        'x.body',
        'x.created_at',
        'x.updated_at',
        'x.endorsed_at',
        eb
          .selectFrom('sector_exchange_joins as j')
          .innerJoin('sector_memberships as jm', (join) =>
            join
              .onRef('jm.member_id', '=', 'j.organisation_id')
              .on('jm.institution_id', '=', institutionId)
              .on('jm.status', '=', 'active'),
          )
          .select((e) => e.fn.countAll<string | number>().as('n'))
          .whereRef('j.item_id', '=', 'x.id')
          .whereRef('j.organisation_id', '!=', 'x.organisation_id')
          .as('joined_count'),
        eb
          .selectFrom('sector_exchange_joins as mine')
          .select((e) => e.fn.countAll<string | number>().as('n'))
          .whereRef('mine.item_id', '=', 'x.id')
          .where('mine.organisation_id', '=', viewer)
          .as('joined_by_us'),
      ]);
  }

  async search(institutionId: string, query: ExchangeQuery = {}): Promise<ExchangeItem[]> {
    let q = this.visible(institutionId);
    if (query.kind) q = q.where('x.kind', '=', query.kind);
    if (query.capabilityId) q = q.where('x.capability_id', '=', query.capabilityId);
    if (query.memberId) q = q.where('x.organisation_id', '=', query.memberId);
    if (query.endorsedOnly) q = q.where('x.endorsed_at', 'is not', null);
    const words = query.q?.trim() ?? '';
    if (words !== '') {
      if (this.isSqlite) {
        const match = fts5Query(words);
        if (match === null) return [];
        const rows = await q
          .where(
            sql<SqlBool>`x.rowid in (select rowid from sector_exchange_fts where sector_exchange_fts match ${match})`,
          )
          .orderBy('x.endorsed_at', 'desc')
          .orderBy('x.created_at', 'desc')
          .orderBy('x.id')
          .limit(200)
          .execute();
        return rows.map((r) => this.toItem(r));
      }
      const terms = pgTsQuery(words);
      if (terms === null) return [];
      const tsQuery = sql`to_tsquery('english', ${terms})`;
      const rows = await q
        .where(sql<SqlBool>`x.search @@ ${tsQuery}`)
        .orderBy('x.endorsed_at', 'desc')
        .orderBy('x.created_at', 'desc')
        .orderBy('x.id')
        .limit(200)
        .execute();
      return rows.map((r) => this.toItem(r));
    }
    const rows = await q.orderBy('x.created_at', 'desc').orderBy('x.id').limit(200).execute();
    return rows.map((r) => this.toItem(r));
  }

  /** One item, when the caller may see it; undefined for anyone else's (404). */
  async item(id: string): Promise<ExchangeItem | undefined> {
    const found = await this.db
      .selectFrom('sector_exchange_items')
      .select('institution_id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!found) return undefined;
    const row = await this.visible(found.institution_id).where('x.id', '=', id).executeTakeFirst();
    return row ? this.toItem(row) : undefined;
  }

  /** Members that published to an institution's exchange, for the filter. */
  async publishers(institutionId: string): Promise<{ id: string; name: string }[]> {
    const items = await this.search(institutionId);
    const seen = new Map<string, string>();
    for (const i of items) seen.set(i.organisationId, i.memberName);
    return [...seen]
      .map(([id, name]) => ({ id, name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private toItem(r: {
    id: string;
    institution_id: string;
    organisation_id: string;
    member_name: string;
    kind: ExchangeKindValue;
    title: string;
    capability_id: string | null;
    body: string;
    created_at: string;
    updated_at: string;
    endorsed_at: string | null;
    joined_count: string | number | null;
    joined_by_us: string | number | null;
  }): ExchangeItem {
    return {
      id: r.id,
      institutionId: r.institution_id,
      organisationId: r.organisation_id,
      memberName: r.member_name,
      kind: r.kind,
      title: r.title,
      capabilityId: r.capability_id,
      body: JSON.parse(r.body) as Record<string, string>,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      endorsed: r.endorsed_at !== null,
      endorsedAt: r.endorsed_at,
      joinedCount: Number(r.joined_count ?? 0),
      joinedByUs: Number(r.joined_by_us ?? 0) > 0,
      ours: r.organisation_id === this.organisationId,
    };
  }

  /** Publishes an item as this organisation; undefined when it is not an active member. */
  async publish(institutionId: string, item: NewExchangeItem): Promise<string | undefined> {
    return this.tx(async (store) => {
      if (!(await store.isActiveMember(institutionId))) return undefined;
      const id = newId();
      const now = nowIso();
      await store.db
        .insertInto('sector_exchange_items')
        .values({
          id,
          institution_id: institutionId,
          organisation_id: store.organisationId,
          kind: item.kind,
          title: item.title,
          capability_id: item.capabilityId,
          body: JSON.stringify(item.body),
          search_text: item.searchText,
          created_by: store.actor.userId,
          created_at: now,
          updated_at: now,
          endorsed_at: null,
          endorsed_by: null,
          withdrawn_at: null,
        })
        .execute();
      const institution = await store.db
        .selectFrom('organisations')
        .select('name')
        .where('id', '=', institutionId)
        .executeTakeFirst();
      const details = { title: item.title, kind: item.kind, institution: institution?.name ?? '' };
      await store.audit(store.organisationId, 'sector.exchange_published', id, details);
      await store.audit(institutionId, 'sector.exchange_published', id, details);
      return id;
    });
  }

  /** Withdraws one of this organisation's own items. */
  async withdraw(id: string): Promise<boolean> {
    return this.tx(async (store) => {
      const item = await store.item(id);
      if (!item || !item.ours) return false;
      await store.db
        .updateTable('sector_exchange_items')
        .set({ withdrawn_at: nowIso() })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.organisationId, 'sector.exchange_withdrawn', id, {
        title: item.title,
      });
      await store.audit(item.institutionId, 'sector.exchange_withdrawn', id, {
        title: item.title,
      });
      return true;
    });
  }

  /** Says this organisation uses a component or joins a problem statement (or stops). */
  async setJoined(id: string, joined: boolean): Promise<boolean> {
    return this.tx(async (store) => {
      const item = await store.item(id);
      if (!item || item.ours || !(await store.isActiveMember(item.institutionId))) return false;
      if (item.joinedByUs === joined) return true;
      if (joined) {
        await store.db
          .insertInto('sector_exchange_joins')
          .values({
            item_id: id,
            organisation_id: store.organisationId,
            joined_by: store.actor.userId,
            joined_at: nowIso(),
          })
          .execute();
      } else {
        await store.db
          .deleteFrom('sector_exchange_joins')
          .where('item_id', '=', id)
          .where('organisation_id', '=', store.organisationId)
          .execute();
      }
      const details = { title: item.title, kind: item.kind };
      const action = joined ? 'sector.exchange_joined' : 'sector.exchange_left';
      await store.audit(store.organisationId, action, id, details);
      await store.audit(item.organisationId, action, id, details);
      return true;
    });
  }

  /** The institution endorses one of its exchange's items as recommended practice (or stops). */
  async setEndorsed(id: string, endorsed: boolean): Promise<boolean> {
    return this.tx(async (store) => {
      const item = await store.item(id);
      if (!item || item.institutionId !== store.organisationId) return false;
      if (item.endorsed === endorsed) return true;
      await store.db
        .updateTable('sector_exchange_items')
        .set({
          endorsed_at: endorsed ? nowIso() : null,
          endorsed_by: endorsed ? store.actor.userId : null,
        })
        .where('id', '=', id)
        .where('institution_id', '=', store.organisationId)
        .execute();
      const details = { title: item.title, endorsed };
      await store.audit(store.organisationId, 'sector.exchange_endorsed', id, details);
      await store.audit(item.organisationId, 'sector.exchange_endorsed', id, details);
      return true;
    });
  }

  /**
   * Every item of an institution's exchange the caller may see (no page limit), reduced to what the
   * sector view counts: kind, when published, endorsement, joins and the publisher.
   */
  async activityItems(institutionId: string): Promise<
    {
      kind: ExchangeKindValue;
      createdAt: string;
      endorsed: boolean;
      joinedCount: number;
      organisationId: string;
    }[]
  > {
    const rows = await this.visible(institutionId)
      .orderBy('x.created_at')
      .orderBy('x.id')
      .execute();
    return rows.map((r) => {
      const item = this.toItem(r);
      return {
        kind: item.kind,
        createdAt: item.createdAt,
        endorsed: item.endorsed,
        joinedCount: item.joinedCount,
        organisationId: item.organisationId,
      };
    });
  }

  /** Counts of an institution's visible items by kind, and joins, for the sector view. */
  async activity(
    institutionId: string,
  ): Promise<{ kind: ExchangeKindValue; items: number; joins: number; endorsed: number }[]> {
    const items = await this.search(institutionId);
    const out = new Map<ExchangeKindValue, { items: number; joins: number; endorsed: number }>();
    for (const i of items) {
      const c = out.get(i.kind) ?? { items: 0, joins: 0, endorsed: 0 };
      c.items += 1;
      c.joins += i.joinedCount;
      if (i.endorsed) c.endorsed += 1;
      out.set(i.kind, c);
    }
    return [...out].map(([kind, c]) => ({ kind, ...c }));
  }
}

function activeMember(eb: Eb, organisation: 'x.organisation_id', institutionId: string) {
  return eb.exists(
    eb
      .selectFrom('sector_memberships as am')
      .select('am.id')
      .where('am.institution_id', '=', institutionId)
      .where('am.status', '=', 'active')
      .whereRef('am.member_id', '=', organisation),
  );
}

function viewerIsActiveMember(eb: Eb, viewer: string, institutionId: string) {
  return eb.exists(
    eb
      .selectFrom('sector_memberships as vm')
      .select('vm.id')
      .where('vm.institution_id', '=', institutionId)
      .where('vm.status', '=', 'active')
      .where('vm.member_id', '=', viewer),
  );
}
