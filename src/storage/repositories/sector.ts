// Sector membership, consent and benchmarks (issue 15, points 1 and 2). Two doors, both narrow:
//
//  - `SectorStore` (OrgScope.sector) acts for the caller's organisation only: as an institution it
//    invites, ends memberships and sets its minimum group size; as a member it accepts, declines,
//    leaves, shares and withdraws; and it keeps the figures derived from its own rounds and chains.
//    Every change to a membership or consent is audited on BOTH sides, in one transaction.
//  - `SectorReader` (OrgScope.sectorReader) is the only read across organisations. Each query joins
//    a current consent (not withdrawn) of an active membership of THIS institution for THIS kind of
//    data, and returns aggregates (counts per level, values at a few ranks), never a member's name
//    beside its figures. Nothing else in the code reads another organisation's data.
import { sql } from 'kysely';
import { newId, newOrderedId, nowIso } from '../../lib/ids.ts';
import type { AuditAction } from '../audit.ts';
import type { OrganisationKind, SectorDataKind, SectorMembershipStatus } from '../schema.ts';
import { parseChain, type DeliveryChain } from '../../domain/chain/index.ts';
import { onlyStageFiguresChanged, structureChanges } from '../../domain/sector/sharedChain.ts';
import type { Actor } from './scoped.ts';
import { inTransaction, type Executor } from './tx.ts';

export interface SectorMembership {
  readonly id: string;
  readonly institutionId: string;
  readonly institutionName: string;
  readonly memberId: string;
  readonly memberName: string;
  readonly memberSector: string;
  readonly status: SectorMembershipStatus;
  readonly peerGroup: string;
  readonly invitedAt: string;
  readonly respondedAt: string | null;
  readonly endedAt: string | null;
  readonly endedBySide: 'institution' | 'member' | null;
  /** The kinds of data the member shares with this institution now. */
  readonly sharing: readonly SectorDataKind[];
}

export interface DirectoryEntry {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  readonly sector: string;
}

export interface LevelCountRow {
  readonly peerGroup: string;
  readonly capabilityId: string;
  readonly level: number;
  readonly count: number;
  readonly from: string;
  readonly to: string;
}

export interface RankRow {
  readonly serviceType: string;
  readonly measure: ChainMeasureColumn;
  readonly rank: number;
  readonly count: number;
  readonly value: number;
}

export type ChainMeasureColumn =
  'cost_per_output' | 'lead_time_hours' | 'outputs_per_staff_hour' | 'outcomes_per_output';

export const CHAIN_MEASURE_COLUMNS: readonly ChainMeasureColumn[] = [
  'cost_per_output',
  'lead_time_hours',
  'outputs_per_staff_hour',
  'outcomes_per_output',
];

export interface ChainTag {
  readonly chainId: string;
  readonly serviceType: string;
  readonly revision: number;
  readonly measures: Readonly<Record<ChainMeasureColumn, number | null>>;
  readonly updatedAt: string;
}

export interface OwnLevel {
  readonly capabilityId: string;
  readonly level: number;
  readonly roundId: string;
  readonly finalisedAt: string;
}

interface AuditBoth {
  readonly action: AuditAction;
  readonly membershipId: string;
  readonly institutionId: string;
  readonly memberId: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

const DEFAULT_MINIMUM = 5;

type MembershipRow = {
  id: string;
  institution_id: string;
  member_id: string;
  status: SectorMembershipStatus;
  peer_group: string;
  invited_at: string;
  responded_at: string | null;
  ended_at: string | null;
  ended_by_side: 'institution' | 'member' | null;
  institution_name: string;
  member_name: string;
  member_sector: string;
};

export class SectorStore {
  constructor(
    private readonly db: Executor,
    readonly organisationId: string,
    private readonly actor: Actor,
  ) {}

  private tx<T>(work: (store: SectorStore) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (tx) =>
      work(new SectorStore(tx, this.organisationId, this.actor)),
    );
  }

  /** Writes the same event into the institution's and the member's audit logs. */
  private async auditBoth(event: AuditBoth): Promise<void> {
    const names = await this.db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('id', 'in', [event.institutionId, event.memberId])
      .execute();
    const nameOf = (id: string) => names.find((n) => n.id === id)?.name ?? '';
    const mine = this.organisationId;
    const ourName = nameOf(mine);
    for (const organisationId of [event.institutionId, event.memberId]) {
      const here = organisationId === mine;
      await this.db
        .insertInto('audit_events')
        .values({
          id: newOrderedId(),
          organisation_id: organisationId,
          // In the other side's log the person is named with their organisation, not linked.
          actor_user_id: here ? this.actor.userId : null,
          actor_label: here
            ? this.actor.label
            : `${this.actor.label.replace(/\s*<[^>]*>\s*$/, '')} (${ourName})`,
          action: event.action,
          entity_type: 'sector_membership',
          entity_id: event.membershipId,
          details: JSON.stringify({
            institution: nameOf(event.institutionId),
            member: nameOf(event.memberId),
            ...(event.details ?? {}),
          }),
          at: nowIso(),
        })
        .execute();
    }
  }

  private membershipQuery() {
    return this.db
      .selectFrom('sector_memberships as m')
      .innerJoin('organisations as i', 'i.id', 'm.institution_id')
      .innerJoin('organisations as o', 'o.id', 'm.member_id')
      .select([
        'm.id',
        'm.institution_id',
        'm.member_id',
        'm.status',
        'm.peer_group',
        'm.invited_at',
        'm.responded_at',
        'm.ended_at',
        'm.ended_by_side',
        'i.name as institution_name',
        'o.name as member_name',
        'o.sector as member_sector',
      ]);
  }

  private async withSharing(rows: readonly MembershipRow[]): Promise<SectorMembership[]> {
    const ids = rows.map((r) => r.id);
    const consents =
      ids.length === 0
        ? []
        : await this.db
            .selectFrom('sector_consents')
            .select(['membership_id', 'data_kind'])
            .where('membership_id', 'in', ids)
            .where('withdrawn_at', 'is', null)
            .execute();
    return rows.map((r) => ({
      id: r.id,
      institutionId: r.institution_id,
      institutionName: r.institution_name,
      memberId: r.member_id,
      memberName: r.member_name,
      memberSector: r.member_sector,
      status: r.status,
      peerGroup: r.peer_group,
      invitedAt: r.invited_at,
      respondedAt: r.responded_at,
      endedAt: r.ended_at,
      endedBySide: r.ended_by_side,
      sharing: consents.filter((c) => c.membership_id === r.id).map((c) => c.data_kind),
    }));
  }

  // ---- as an institution ----

  /** This institution's members and invitations, current first, then by name. */
  async members(): Promise<SectorMembership[]> {
    const rows = await this.membershipQuery()
      .where('m.institution_id', '=', this.organisationId)
      .orderBy('o.name')
      .orderBy('m.invited_at', 'desc')
      .execute();
    return this.withSharing(rows);
  }

  /** One membership where this organisation is either side; undefined for anyone else's. */
  async membership(id: string): Promise<SectorMembership | undefined> {
    const rows = await this.membershipQuery()
      .where('m.id', '=', id)
      .where((eb) =>
        eb.or([
          eb('m.institution_id', '=', this.organisationId),
          eb('m.member_id', '=', this.organisationId),
        ]),
      )
      .execute();
    return (await this.withSharing(rows))[0];
  }

  async countActiveMembers(): Promise<number> {
    const row = await this.db
      .selectFrom('sector_memberships')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('institution_id', '=', this.organisationId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Public bodies on the platform an institution can invite, found by a word of their name or their
   * short name (slug). Only the name, slug and sector are read: what any public body's name says
   * about it already, nothing of its data. At most `limit`, by name.
   */
  async directory(query: string, limit = 20): Promise<DirectoryEntry[]> {
    const words = query.trim().toLowerCase();
    if (words === '') return [];
    const like = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.db
      .selectFrom('organisations')
      .select(['id', 'name', 'slug', 'sector'])
      .where('kind', '=', 'public_body')
      .where('id', '!=', this.organisationId)
      .where((eb) =>
        eb.or([
          eb(sql`lower(name)`, 'like', sql`${like} escape '\\'`),
          eb(sql`lower(slug)`, 'like', sql`${like} escape '\\'`),
        ]),
      )
      .orderBy('name')
      .limit(limit)
      .execute();
  }

  async organisationKind(id: string): Promise<OrganisationKind | undefined> {
    const row = await this.db
      .selectFrom('organisations')
      .select('kind')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.kind;
  }

  /** The status of the current (invited or active) membership between this institution and an organisation. */
  async currentStatusWith(memberId: string): Promise<SectorMembershipStatus | undefined> {
    const row = await this.db
      .selectFrom('sector_memberships')
      .select('status')
      .where('institution_id', '=', this.organisationId)
      .where('member_id', '=', memberId)
      .where('status', 'in', ['invited', 'active'])
      .executeTakeFirst();
    return row?.status;
  }

  async invite(memberId: string, peerGroup: string): Promise<string> {
    return this.tx(async (store) => {
      const id = newId();
      await store.db
        .insertInto('sector_memberships')
        .values({
          id,
          institution_id: store.organisationId,
          member_id: memberId,
          status: 'invited',
          peer_group: peerGroup,
          invited_by: store.actor.userId,
          invited_at: nowIso(),
          responded_at: null,
          ended_at: null,
          ended_by_side: null,
        })
        .execute();
      await store.auditBoth({
        action: 'sector.member_invited',
        membershipId: id,
        institutionId: store.organisationId,
        memberId,
        details: peerGroup === '' ? {} : { peerGroup },
      });
      return id;
    });
  }

  /** The institution's grouping of a member (e.g. "District councils"), used as a filter. */
  async setPeerGroup(id: string, peerGroup: string): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.membership(id);
      if (!before || before.institutionId !== store.organisationId) return false;
      if (before.peerGroup === peerGroup) return true;
      await store.db
        .updateTable('sector_memberships')
        .set({ peer_group: peerGroup })
        .where('id', '=', id)
        .where('institution_id', '=', store.organisationId)
        .execute();
      await store.auditBoth({
        action: 'sector.peer_group_set',
        membershipId: id,
        institutionId: before.institutionId,
        memberId: before.memberId,
        details: { before: before.peerGroup || 'none', after: peerGroup || 'none' },
      });
      return true;
    });
  }

  // ---- either side ----

  /**
   * Ends a membership or withdraws an invitation, from either side; every consent ends with it.
   * False when the membership is not this organisation's or is not invited or active.
   */
  async end(id: string): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.membership(id);
      if (!before || (before.status !== 'active' && before.status !== 'invited')) return false;
      const side = before.institutionId === store.organisationId ? 'institution' : 'member';
      const now = nowIso();
      await store.db
        .updateTable('sector_memberships')
        .set({ status: 'ended', ended_at: now, ended_by_side: side })
        .where('id', '=', id)
        .execute();
      await store.db
        .updateTable('sector_consents')
        .set({ withdrawn_at: now, withdrawn_by: store.actor.userId })
        .where('membership_id', '=', id)
        .where('withdrawn_at', 'is', null)
        .execute();
      await store.auditBoth({
        action:
          before.status === 'invited' ? 'sector.invitation_withdrawn' : 'sector.membership_ended',
        membershipId: id,
        institutionId: before.institutionId,
        memberId: before.memberId,
        details: {
          endedBy: side === 'institution' ? 'the institution' : 'the member',
          ...(before.sharing.length > 0 ? { sharingStopped: before.sharing.length } : {}),
        },
      });
      return true;
    });
  }

  // ---- as a member ----

  /** True when this organisation is a member of an institution, or has an invitation waiting. */
  async isInSector(): Promise<boolean> {
    const row = await this.db
      .selectFrom('sector_memberships')
      .select('id')
      .where('member_id', '=', this.organisationId)
      .where('status', 'in', ['invited', 'active'])
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The institutions this organisation belongs to or is invited by, current first. */
  async memberships(): Promise<SectorMembership[]> {
    const rows = await this.membershipQuery()
      .where('m.member_id', '=', this.organisationId)
      .orderBy('m.invited_at', 'desc')
      .execute();
    return this.withSharing(rows);
  }

  /** Accepts or declines an invitation to this organisation; false when there is none waiting. */
  async respond(id: string, answer: 'accept' | 'decline'): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.membership(id);
      if (!before || before.memberId !== store.organisationId || before.status !== 'invited')
        return false;
      await store.db
        .updateTable('sector_memberships')
        .set({ status: answer === 'accept' ? 'active' : 'declined', responded_at: nowIso() })
        .where('id', '=', id)
        .where('member_id', '=', store.organisationId)
        .where('status', '=', 'invited')
        .execute();
      await store.auditBoth({
        action: answer === 'accept' ? 'sector.invitation_accepted' : 'sector.invitation_declined',
        membershipId: id,
        institutionId: before.institutionId,
        memberId: before.memberId,
      });
      return true;
    });
  }

  /**
   * Starts or stops sharing one kind of data with an institution this organisation is an active
   * member of. True when it changed or already stood so; false when there is no such membership.
   */
  async setSharing(id: string, kind: SectorDataKind, share: boolean): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.membership(id);
      if (!before || before.memberId !== store.organisationId || before.status !== 'active')
        return false;
      const sharing = before.sharing.includes(kind);
      if (sharing === share) return true;
      const now = nowIso();
      if (share) {
        await store.db
          .insertInto('sector_consents')
          .values({
            id: newId(),
            membership_id: id,
            institution_id: before.institutionId,
            member_id: before.memberId,
            data_kind: kind,
            shared_by: store.actor.userId,
            shared_at: now,
            withdrawn_by: null,
            withdrawn_at: null,
          })
          .execute();
      } else {
        await store.db
          .updateTable('sector_consents')
          .set({ withdrawn_at: now, withdrawn_by: store.actor.userId })
          .where('membership_id', '=', id)
          .where('member_id', '=', store.organisationId)
          .where('data_kind', '=', kind)
          .where('withdrawn_at', 'is', null)
          .execute();
      }
      await store.auditBoth({
        action: share ? 'sector.data_shared' : 'sector.data_withdrawn',
        membershipId: id,
        institutionId: before.institutionId,
        memberId: before.memberId,
        details: { dataKind: kind },
      });
      return true;
    });
  }

  // ---- the institution's settings ----

  async minimumGroupSize(): Promise<number> {
    const row = await this.db
      .selectFrom('sector_settings')
      .select('min_group_size')
      .where('institution_id', '=', this.organisationId)
      .executeTakeFirst();
    return row ? Number(row.min_group_size) : DEFAULT_MINIMUM;
  }

  async setMinimumGroupSize(value: number): Promise<void> {
    if (!Number.isInteger(value) || value < DEFAULT_MINIMUM)
      throw new Error('The minimum group size is a whole number of at least 5');
    await this.tx(async (store) => {
      const before = await store.minimumGroupSize();
      if (before === value) return;
      const now = nowIso();
      await store.db
        .insertInto('sector_settings')
        .values({
          institution_id: store.organisationId,
          min_group_size: value,
          updated_by: store.actor.userId,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column('institution_id').doUpdateSet({
            min_group_size: value,
            updated_by: store.actor.userId,
            updated_at: now,
          }),
        )
        .execute();
      await store.db
        .insertInto('audit_events')
        .values({
          id: newOrderedId(),
          organisation_id: store.organisationId,
          actor_user_id: store.actor.userId,
          actor_label: store.actor.label,
          action: 'sector.minimum_changed',
          entity_type: 'sector_settings',
          entity_id: null,
          details: JSON.stringify({ before, after: value }),
          at: now,
        })
        .execute();
    });
  }

  // ---- this organisation's own figures, as benchmarks read them ----

  /** What this organisation's levels were last computed from (undefined: never). */
  async levelStamp(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sector_level_sources')
      .select('stamp')
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return row?.stamp;
  }

  /** A stamp naming this organisation's finalised versions: any new version changes it. */
  async currentLevelStamp(): Promise<string> {
    return (
      (await snapshotStamps(this.db, [this.organisationId])).get(this.organisationId) ?? 'none'
    );
  }

  /** Replaces this organisation's levels with those of its latest finalised round. */
  async replaceLevels(stamp: string, levels: readonly OwnLevel[]): Promise<void> {
    await this.tx(async (store) => {
      await store.db
        .deleteFrom('sector_levels')
        .where('organisation_id', '=', store.organisationId)
        .execute();
      if (levels.length > 0) {
        await store.db
          .insertInto('sector_levels')
          .values(
            levels.map((l) => ({
              organisation_id: store.organisationId,
              capability_id: l.capabilityId,
              level: l.level,
              round_id: l.roundId,
              finalised_at: l.finalisedAt,
            })),
          )
          // Two requests refreshing the same organisation at once write the same rows.
          .onConflict((oc) =>
            oc.columns(['organisation_id', 'capability_id']).doUpdateSet((eb) => ({
              level: eb.ref('excluded.level'),
              round_id: eb.ref('excluded.round_id'),
              finalised_at: eb.ref('excluded.finalised_at'),
            })),
          )
          .execute();
      }
      const now = nowIso();
      await store.db
        .insertInto('sector_level_sources')
        .values({ organisation_id: store.organisationId, stamp, refreshed_at: now })
        .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ stamp, refreshed_at: now }))
        .execute();
    });
  }

  async ownLevels(): Promise<OwnLevel[]> {
    const rows = await this.db
      .selectFrom('sector_levels')
      .select(['capability_id', 'level', 'round_id', 'finalised_at'])
      .where('organisation_id', '=', this.organisationId)
      .execute();
    return rows.map((r) => ({
      capabilityId: r.capability_id,
      level: Number(r.level),
      roundId: r.round_id,
      finalisedAt: r.finalised_at,
    }));
  }

  /** This organisation's chains tagged with a kind of service, and their measures. */
  async chainTags(): Promise<ChainTag[]> {
    const rows = await this.db
      .selectFrom('sector_chain_measures')
      .selectAll()
      .where('organisation_id', '=', this.organisationId)
      .execute();
    return rows.map((r) => ({
      chainId: r.chain_id,
      serviceType: r.service_type,
      revision: Number(r.chain_revision),
      measures: {
        cost_per_output: numberOrNull(r.cost_per_output),
        lead_time_hours: numberOrNull(r.lead_time_hours),
        outputs_per_staff_hour: numberOrNull(r.outputs_per_staff_hour),
        outcomes_per_output: numberOrNull(r.outcomes_per_output),
      },
      updatedAt: r.updated_at,
    }));
  }

  /**
   * Tags one of this organisation's chains with a kind of service (null removes the tag), with its
   * measures at the given revision. Returns a message when another chain already has that kind.
   */
  async tagChain(
    chainId: string,
    serviceType: string | null,
    revision: number,
    measures: Readonly<Record<ChainMeasureColumn, number | null>>,
  ): Promise<string | undefined> {
    return this.tx(async (store) => {
      const owned = await store.db
        .selectFrom('delivery_chains')
        .select(['id', 'name'])
        .where('id', '=', chainId)
        .where('organisation_id', '=', store.organisationId)
        .executeTakeFirst();
      if (!owned) return 'No such chain';
      const before = (await store.chainTags()).find((t) => t.chainId === chainId);
      if (serviceType === null) {
        if (!before) return undefined;
        await store.db
          .deleteFrom('sector_chain_measures')
          .where('chain_id', '=', chainId)
          .where('organisation_id', '=', store.organisationId)
          .execute();
      } else {
        const clash = (await store.chainTags()).find(
          (t) => t.serviceType === serviceType && t.chainId !== chainId,
        );
        if (clash)
          return 'Another of your chains already has this kind of service: benchmarks count each organisation once';
        const now = nowIso();
        const values = {
          service_type: serviceType,
          chain_revision: revision,
          ...measures,
          set_by: store.actor.userId,
          updated_at: now,
        };
        await store.db
          .insertInto('sector_chain_measures')
          .values({ chain_id: chainId, organisation_id: store.organisationId, ...values })
          .onConflict((oc) => oc.column('chain_id').doUpdateSet(values))
          .execute();
        if (before?.serviceType === serviceType) return undefined;
      }
      await store.db
        .insertInto('audit_events')
        .values({
          id: newOrderedId(),
          organisation_id: store.organisationId,
          actor_user_id: store.actor.userId,
          actor_label: store.actor.label,
          action: 'sector.service_tagged',
          entity_type: 'delivery_chain',
          entity_id: chainId,
          details: JSON.stringify({
            name: owned.name,
            before: before?.serviceType ?? 'none',
            after: serviceType ?? 'none',
          }),
          at: nowIso(),
        })
        .execute();
      return undefined;
    });
  }

  /** Chains of this organisation whose stored measures are of an older revision. */
  async staleChainTags(): Promise<{ chainId: string; revision: number; serviceType: string }[]> {
    const rows = await this.db
      .selectFrom('sector_chain_measures as cm')
      .innerJoin('delivery_chains as d', 'd.id', 'cm.chain_id')
      .select(['cm.chain_id', 'd.revision', 'cm.service_type'])
      .where('cm.organisation_id', '=', this.organisationId)
      .whereRef('d.revision', '!=', 'cm.chain_revision')
      .execute();
    return rows.map((r) => ({
      chainId: r.chain_id,
      revision: Number(r.revision),
      serviceType: r.service_type,
    }));
  }
}

/**
 * The consent rule, in one place: consents to share `kind` that hold now — the consent not
 * withdrawn and its membership active — joined to their membership (`c`, `m`). Callers narrow it to
 * one institution or one member.
 */
function consentsNow(db: Executor, kind: SectorDataKind) {
  return db
    .selectFrom('sector_consents as c')
    .innerJoin('sector_memberships as m', 'm.id', 'c.membership_id')
    .where('c.data_kind', '=', kind)
    .where('c.withdrawn_at', 'is', null)
    .where('m.status', '=', 'active');
}

/**
 * The same rule for the raw-SQL reads (window functions, joins kysely cannot type): consent rows `c`
 * joined to memberships `m`, sharing `kind` (or any kind) with this institution now.
 */
function sharingNowSql(institutionId: string, kind?: SectorDataKind) {
  const ofKind = kind === undefined ? sql`` : sql`and c.data_kind = ${kind}`;
  return sql`c.institution_id = ${institutionId} and m.institution_id = ${institutionId}
    ${ofKind} and c.withdrawn_at is null and m.status = 'active'`;
}

/** Members sharing `kind` with this institution now. */
function sharingWithInstitution(db: Executor, institutionId: string, kind: SectorDataKind) {
  return consentsNow(db, kind)
    .where('c.institution_id', '=', institutionId)
    .where('m.institution_id', '=', institutionId);
}

/**
 * The one read across organisations: figures of members that share `kind` with this institution
 * now (an active membership and a consent not withdrawn), as aggregates.
 */
export class SectorReader {
  constructor(
    private readonly db: Executor,
    readonly institutionId: string,
  ) {}

  /** Ids of members sharing this kind now; used only to refresh their derived figures. */
  private sharing(kind: SectorDataKind) {
    return sharingWithInstitution(this.db, this.institutionId, kind);
  }

  /**
   * Members sharing results whose derived levels are missing or older than their latest finalised
   * version, in one query: the stamp ("count:latest" of its versions of organisation-level rounds,
   * or "none") is compared with the one the levels were computed from.
   */
  async staleLevelMembers(): Promise<string[]> {
    const { rows } = await sql<{ member_id: string }>`
      select c.member_id as member_id
      from sector_consents c
      join sector_memberships m on m.id = c.membership_id
      left join sector_level_sources src on src.organisation_id = c.member_id
      left join (
        select s.organisation_id as organisation_id, count(*) as n, max(s.created_at) as latest
        from round_snapshots s
        join assessment_rounds r on r.id = s.round_id
        where r.scope = 'organisation'
        group by s.organisation_id
      ) v on v.organisation_id = c.member_id
      where ${sharingNowSql(this.institutionId, 'results')}
        and (src.stamp is null
          or src.stamp <> coalesce(cast(v.n as varchar(20)) || ':' || v.latest, 'none'))
    `.execute(this.db);
    return rows.map((r) => r.member_id);
  }

  /** Members sharing chain measures with a tagged chain changed since its measures were stored. */
  async staleChainMembers(): Promise<string[]> {
    const rows = await this.sharing('chain_measures')
      .innerJoin('sector_chain_measures as cm', 'cm.organisation_id', 'c.member_id')
      .innerJoin('delivery_chains as d', 'd.id', 'cm.chain_id')
      .whereRef('d.revision', '!=', 'cm.chain_revision')
      .select('c.member_id')
      .distinct()
      .execute();
    return rows.map((r) => r.member_id);
  }

  /** How many members share each kind now. */
  async sharingCounts(): Promise<Record<SectorDataKind, number>> {
    const rows = await this.db
      .selectFrom('sector_consents as c')
      .innerJoin('sector_memberships as m', 'm.id', 'c.membership_id')
      .select(['c.data_kind', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where(sql<boolean>`${sharingNowSql(this.institutionId)}`)
      .groupBy('c.data_kind')
      .execute();
    const out: Record<SectorDataKind, number> = {
      results: 0,
      chain_measures: 0,
      evaluations: 0,
      register: 0,
    };
    for (const r of rows) out[r.data_kind] = Number(r.n);
    return out;
  }

  /**
   * Organisations at each level of each capability, by the institution's peer group, over members
   * sharing results now; with the earliest and latest finalising date behind each count.
   */
  async levelCounts(): Promise<LevelCountRow[]> {
    const rows = await this.sharing('results')
      .innerJoin('sector_levels as l', 'l.organisation_id', 'c.member_id')
      .select((eb) => [
        'm.peer_group',
        'l.capability_id',
        'l.level',
        eb.fn.countAll<string | number>().as('n'),
        eb.fn.min('l.finalised_at').as('from'),
        eb.fn.max('l.finalised_at').as('to'),
      ])
      .groupBy(['m.peer_group', 'l.capability_id', 'l.level'])
      .execute();
    return rows.map((r) => ({
      peerGroup: r.peer_group,
      capabilityId: r.capability_id,
      level: Number(r.level),
      count: Number(r.n),
      from: String(r.from),
      to: String(r.to),
    }));
  }

  /** The peer groups of this institution's active members, for the filter. */
  async peerGroups(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('sector_memberships')
      .select('peer_group')
      .distinct()
      .where('institution_id', '=', this.institutionId)
      .where('status', '=', 'active')
      .execute();
    return rows.map((r) => r.peer_group);
  }

  /**
   * For each kind of service and chain measure, the number of organisations with a value and the
   * values at the ranks the quartiles need (type 7: ⌊(n−1)p⌋ and ⌈(n−1)p⌉ for p = ¼, ½, ¾), with
   * the period the measures were stored over. Ranks are found with window functions, in the database.
   */
  async chainRanks(): Promise<{
    ranks: RankRow[];
    periods: Map<string, { from: string; to: string }>;
  }> {
    const ranks: RankRow[] = [];
    for (const measure of CHAIN_MEASURE_COLUMNS) {
      const column = sql.ref(`cm.${measure}`);
      const rows = await sql<{
        service_type: string;
        rk: number | string;
        n: number | string;
        value: number | string;
      }>`
        with v as (
          select cm.service_type as service_type, ${column} as value
          from sector_consents c
          join sector_memberships m on m.id = c.membership_id
          join sector_chain_measures cm on cm.organisation_id = c.member_id
          where ${sharingNowSql(this.institutionId, 'chain_measures')}
            and ${column} is not null
        ), r as (
          select service_type, value,
            row_number() over (partition by service_type order by value) - 1 as rk,
            count(*) over (partition by service_type) as n
          from v
        )
        select service_type, rk, n, value from r
        where rk in ((n - 1) / 4, (n - 1 + 3) / 4, (n - 1) / 2, (n - 1 + 1) / 2,
                     (3 * (n - 1)) / 4, (3 * (n - 1) + 3) / 4)
      `.execute(this.db);
      for (const r of rows.rows)
        ranks.push({
          serviceType: r.service_type,
          measure,
          rank: Number(r.rk),
          count: Number(r.n),
          value: Number(r.value),
        });
    }
    const periodRows = await this.sharing('chain_measures')
      .innerJoin('sector_chain_measures as cm', 'cm.organisation_id', 'c.member_id')
      .select((eb) => [
        'cm.service_type',
        eb.fn.min('cm.updated_at').as('from'),
        eb.fn.max('cm.updated_at').as('to'),
      ])
      .groupBy('cm.service_type')
      .execute();
    const periods = new Map(
      periodRows.map((r) => [r.service_type, { from: String(r.from), to: String(r.to) }]),
    );
    return { ranks, periods };
  }
}

/** The institution's view of its members' register entries and supplier reports (consent-joined). */
export class SectorRegisterReader {
  constructor(
    private readonly db: Executor,
    readonly institutionId: string,
  ) {}

  private consented(kind: SectorDataKind) {
    return sharingWithInstitution(this.db, this.institutionId, kind);
  }

  /** Published entries of members that share register entries with this institution now. */
  async registerEntries(): Promise<RegisterEntry[]> {
    const rows = await this.consented('register')
      .innerJoin('sector_register_entries as e', 'e.organisation_id', 'c.member_id')
      .innerJoin('organisations as o', 'o.id', 'e.organisation_id')
      .select([
        'e.organisation_id',
        'o.name',
        'e.level',
        'e.basis',
        'e.evidence',
        'e.round_id',
        'e.round_title',
        'e.finalised_at',
        'e.published_at',
      ])
      .orderBy('o.name')
      .execute();
    return rows.map(toRegisterEntry);
  }

  /**
   * Supplier reports of members that share initiative evaluations with this institution now, with
   * the member's name and the evaluated initiative's title for tracing a figure to its evaluations.
   * Callers aggregate them (src/domain/sector/suppliers.ts); no page shows one report's answers.
   */
  async supplierReports(): Promise<
    (StoredSupplierReport & { memberName: string; initiativeTitle: string })[]
  > {
    const rows = await this.consented('evaluations')
      .innerJoin('sector_supplier_reports as r', 'r.organisation_id', 'c.member_id')
      .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
      .innerJoin('initiative_evaluations as e', (j) =>
        j
          .onRef('e.id', '=', 'r.evaluation_id')
          .onRef('e.organisation_id', '=', 'r.organisation_id'),
      )
      .innerJoin('initiatives as i', 'i.id', 'e.initiative_id')
      .select([
        'r.id',
        'r.organisation_id',
        'r.evaluation_id',
        'r.supplier',
        'r.delivered',
        'r.on_time',
        'r.benefits',
        'r.lock_in',
        'r.created_at',
        'o.name as member_name',
        'i.title as initiative_title',
      ])
      .orderBy('r.created_at')
      .execute();
    return rows.map((r) => ({
      ...toSupplierReport(r),
      memberName: r.member_name,
      initiativeTitle: r.initiative_title,
    }));
  }
}

/** For each organisation, "count:latest" of its finalised versions of organisation-level rounds. */
async function snapshotStamps(
  db: Executor,
  organisations: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks(organisations, 500)) {
    const rows = await db
      .selectFrom('round_snapshots as s')
      .innerJoin('assessment_rounds as r', 'r.id', 's.round_id')
      .select((eb) => [
        's.organisation_id',
        eb.fn.countAll<string | number>().as('n'),
        eb.fn.max('s.created_at').as('latest'),
      ])
      .where('s.organisation_id', 'in', part)
      .where('r.scope', '=', 'organisation')
      .groupBy('s.organisation_id')
      .execute();
    for (const r of rows) out.set(r.organisation_id, `${Number(r.n)}:${String(r.latest)}`);
  }
  return out;
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

// ---- shared delivery chains and the registers (issue 15, points 3, 4 and 5; migration 0021) ----
//
// Three more narrow doors, each with its rule in its SQL:
//  - `SharedChainStore` (OrgScope.sharedChains): an institution convenes one of ITS OWN chains and
//    names the member that owns each stage; a member reads a shared chain only while it owns a stage
//    of it, is an active member and shares "chain measures" with that institution, and changes only
//    the stages it owns (the owner, membership and consent are checked in the same statement's
//    transaction as the write). Every change is written in the institution's and the member's logs.
//  - `SectorReader.registerEntries` / `supplierReports`: the institution's view of its members'
//    register entries and supplier reports, joined to a current consent like every other read.
//  - `publishedRegister`: the public client-capability register, only entries that their
//    organisation published and that it still shares as register entries with an institution.

export interface SharedChainStage {
  readonly stageId: string;
  readonly ownerId: string;
  readonly ownerName: string;
}

export interface SharedChainSummary {
  readonly id: string;
  readonly institutionId: string;
  readonly institutionName: string;
  readonly chainId: string;
  readonly name: string;
  readonly revision: number;
  readonly updatedAt: string;
  readonly convenedAt: string;
  readonly stages: readonly SharedChainStage[];
}

export interface SharedChain extends SharedChainSummary {
  readonly model: DeliveryChain;
  /** How the caller sees it: as the convening institution, or as a member owning stages. */
  readonly as: 'institution' | 'member';
}

export interface MemberSharedChain extends SharedChainSummary {
  /** False while the member does not share chain measures with the institution. */
  readonly visible: boolean;
}

export interface RegisterEntry {
  readonly organisationId: string;
  readonly organisationName: string;
  readonly level: number;
  readonly basis: readonly {
    readonly capabilityId: string;
    readonly name: string;
    readonly level: number;
    readonly evidence: string;
  }[];
  readonly evidence: string;
  readonly roundId: string;
  readonly roundTitle: string;
  readonly finalisedAt: string;
  readonly publishedAt: string;
}

export interface StoredSupplierReport {
  readonly id: string;
  readonly organisationId: string;
  readonly evaluationId: string;
  readonly supplier: string;
  readonly delivered: boolean;
  readonly onTime: boolean;
  readonly benefits: 'realised' | 'partly' | 'not-realised';
  readonly lockIn: boolean;
  readonly createdAt: string;
}

type RegisterRow = {
  organisation_id: string;
  name: string;
  level: number | string;
  basis: string;
  evidence: string;
  round_id: string;
  round_title: string;
  finalised_at: string;
  published_at: string;
};

const toRegisterEntry = (r: RegisterRow): RegisterEntry => ({
  organisationId: r.organisation_id,
  organisationName: r.name,
  level: Number(r.level),
  basis: JSON.parse(r.basis) as RegisterEntry['basis'],
  evidence: r.evidence,
  roundId: r.round_id,
  roundTitle: r.round_title,
  finalisedAt: r.finalised_at,
  publishedAt: r.published_at,
});

const toSupplierReport = (r: {
  id: string;
  organisation_id: string;
  evaluation_id: string;
  supplier: string;
  delivered: number | string;
  on_time: number | string;
  benefits: 'realised' | 'partly' | 'not-realised';
  lock_in: number | string;
  created_at: string;
}): StoredSupplierReport => ({
  id: r.id,
  organisationId: r.organisation_id,
  evaluationId: r.evaluation_id,
  supplier: r.supplier,
  delivered: Number(r.delivered) === 1,
  onTime: Number(r.on_time) === 1,
  benefits: r.benefits,
  lockIn: Number(r.lock_in) === 1,
  createdAt: r.created_at,
});

/** Writes one event into the logs of several organisations; the caller's own entry names the person. */
async function auditAcross(
  db: Executor,
  here: string,
  actor: Actor,
  organisations: readonly string[],
  event: {
    readonly action: AuditAction;
    readonly entityType: string;
    readonly entityId: string | null;
    readonly details: Readonly<Record<string, unknown>>;
  },
): Promise<void> {
  const ours = await db
    .selectFrom('organisations')
    .select('name')
    .where('id', '=', here)
    .executeTakeFirst();
  const at = nowIso();
  for (const organisationId of new Set(organisations)) {
    const mine = organisationId === here;
    await db
      .insertInto('audit_events')
      .values({
        id: newOrderedId(),
        organisation_id: organisationId,
        actor_user_id: mine ? actor.userId : null,
        actor_label: mine
          ? actor.label
          : `${actor.label.replace(/\s*<[^>]*>\s*$/, '')} (${ours?.name ?? ''})`,
        action: event.action,
        entity_type: event.entityType,
        entity_id: event.entityId,
        details: JSON.stringify(event.details),
        at,
      })
      .execute();
  }
}

export class SharedChainStore {
  constructor(
    private readonly db: Executor,
    readonly organisationId: string,
    private readonly actor: Actor,
  ) {}

  private tx<T>(work: (store: SharedChainStore) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (tx) =>
      work(new SharedChainStore(tx, this.organisationId, this.actor)),
    );
  }

  private summaries() {
    return this.db
      .selectFrom('sector_shared_chains as s')
      .innerJoin('delivery_chains as d', (j) =>
        j.onRef('d.id', '=', 's.chain_id').onRef('d.organisation_id', '=', 's.institution_id'),
      )
      .innerJoin('organisations as i', 'i.id', 's.institution_id')
      .select([
        's.id',
        's.institution_id',
        'i.name as institution_name',
        's.chain_id',
        'd.name',
        'd.revision',
        'd.updated_at',
        's.convened_at',
        'd.model',
      ]);
  }

  private async stagesOf(ids: readonly string[]): Promise<Map<string, SharedChainStage[]>> {
    const out = new Map<string, SharedChainStage[]>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .selectFrom('sector_shared_chain_stages as st')
      .innerJoin('organisations as o', 'o.id', 'st.owner_id')
      .select(['st.shared_chain_id', 'st.stage_id', 'st.owner_id', 'o.name'])
      .where('st.shared_chain_id', 'in', ids)
      .execute();
    for (const r of rows)
      out.set(r.shared_chain_id, [
        ...(out.get(r.shared_chain_id) ?? []),
        { stageId: r.stage_id, ownerId: r.owner_id, ownerName: r.name },
      ]);
    return out;
  }

  private async withStages(
    rows: readonly {
      id: string;
      institution_id: string;
      institution_name: string;
      chain_id: string;
      name: string;
      revision: number;
      updated_at: string;
      convened_at: string;
    }[],
  ): Promise<SharedChainSummary[]> {
    const stages = await this.stagesOf(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      institutionId: r.institution_id,
      institutionName: r.institution_name,
      chainId: r.chain_id,
      name: r.name,
      revision: Number(r.revision),
      updatedAt: r.updated_at,
      convenedAt: r.convened_at,
      stages: stages.get(r.id) ?? [],
    }));
  }

  /** The chains this institution has convened. */
  async convened(): Promise<SharedChainSummary[]> {
    const rows = await this.summaries()
      .where('s.institution_id', '=', this.organisationId)
      .orderBy('d.name')
      .execute();
    return this.withStages(rows);
  }

  /**
   * The shared chains in which this organisation owns a stage, of institutions it is an active
   * member of; `visible` says whether it shares chain measures with that institution now.
   */
  async ownedStages(): Promise<MemberSharedChain[]> {
    const rows = await this.summaries()
      .innerJoin('sector_memberships as m', (j) =>
        j
          .onRef('m.institution_id', '=', 's.institution_id')
          .on('m.member_id', '=', this.organisationId)
          .on('m.status', '=', 'active'),
      )
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('sector_shared_chain_stages as st')
            .select('st.stage_id')
            .whereRef('st.shared_chain_id', '=', 's.id')
            .where('st.owner_id', '=', this.organisationId),
        ),
      )
      .orderBy('d.name')
      .execute();
    const sharing = new Set(
      (
        await consentsNow(this.db, 'chain_measures')
          .select('c.institution_id')
          .where('c.member_id', '=', this.organisationId)
          .where('m.member_id', '=', this.organisationId)
          .execute()
      ).map((r) => r.institution_id),
    );
    const summaries = await this.withStages(rows);
    return summaries.map((s, i) => ({
      ...s,
      visible: sharing.has(rows[i]?.institution_id ?? ''),
    }));
  }

  /**
   * One shared chain, whole, for its institution or for a member that owns a stage of it, is an
   * active member and shares chain measures with the institution now; undefined for anyone else.
   */
  async get(id: string): Promise<SharedChain | undefined> {
    const row = await this.summaries().where('s.id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    let as: 'institution' | 'member';
    if (row.institution_id === this.organisationId) as = 'institution';
    else {
      const allowed = await sharingWithInstitution(this.db, row.institution_id, 'chain_measures')
        .innerJoin('sector_shared_chain_stages as st', 'st.owner_id', 'c.member_id')
        .select('st.stage_id')
        .where('st.shared_chain_id', '=', id)
        .where('c.member_id', '=', this.organisationId)
        .where('m.member_id', '=', this.organisationId)
        .limit(1)
        .executeTakeFirst();
      if (!allowed) return undefined;
      as = 'member';
    }
    const parsed = parseChain(JSON.parse(row.model));
    if (!parsed.ok) return undefined;
    const [summary] = await this.withStages([row]);
    if (!summary) return undefined;
    return { ...summary, model: parsed.chain, as };
  }

  /** Convenes one of this institution's own chains; undefined when it is not one, or is already shared. */
  async convene(chainId: string): Promise<string | undefined> {
    return this.tx(async (store) => {
      const chain = await store.db
        .selectFrom('delivery_chains')
        .select(['id', 'name'])
        .where('id', '=', chainId)
        .where('organisation_id', '=', store.organisationId)
        .executeTakeFirst();
      if (!chain) return undefined;
      const taken = await store.db
        .selectFrom('sector_shared_chains')
        .select('id')
        .where('chain_id', '=', chainId)
        .executeTakeFirst();
      if (taken) return undefined;
      const id = newId();
      await store.db
        .insertInto('sector_shared_chains')
        .values({
          id,
          institution_id: store.organisationId,
          chain_id: chainId,
          convened_by: store.actor.userId,
          convened_at: nowIso(),
        })
        .execute();
      await auditAcross(store.db, store.organisationId, store.actor, [store.organisationId], {
        action: 'sector.chain_convened',
        entityType: 'sector_shared_chain',
        entityId: id,
        details: { name: chain.name },
      });
      return id;
    });
  }

  /**
   * Names the member that owns a stage (null: nobody, the institution keeps it). The owner must be
   * an active member of this institution. False when the chain or stage is not this institution's.
   */
  async assignStage(id: string, stageId: string, ownerId: string | null): Promise<boolean> {
    return this.tx(async (store) => {
      const shared = await store.get(id);
      if (!shared || shared.as !== 'institution') return false;
      const stage = shared.model.stages.find((s) => s.id === stageId);
      if (!stage) return false;
      const before = shared.stages.find((s) => s.stageId === stageId);
      if ((before?.ownerId ?? null) === ownerId) return true;
      if (ownerId !== null) {
        const member = await store.db
          .selectFrom('sector_memberships')
          .select('id')
          .where('institution_id', '=', store.organisationId)
          .where('member_id', '=', ownerId)
          .where('status', '=', 'active')
          .executeTakeFirst();
        if (!member) return false;
      }
      await store.db
        .deleteFrom('sector_shared_chain_stages')
        .where('shared_chain_id', '=', id)
        .where('stage_id', '=', stageId)
        .execute();
      if (ownerId !== null)
        await store.db
          .insertInto('sector_shared_chain_stages')
          .values({
            shared_chain_id: id,
            stage_id: stageId,
            owner_id: ownerId,
            assigned_at: nowIso(),
          })
          .execute();
      const names = await store.db
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('id', 'in', [ownerId ?? '', before?.ownerId ?? ''])
        .execute();
      const nameOf = (x: string | null | undefined) =>
        names.find((n) => n.id === x)?.name ?? 'nobody';
      await auditAcross(
        store.db,
        store.organisationId,
        store.actor,
        [store.organisationId, ...(ownerId ? [ownerId] : []), ...(before ? [before.ownerId] : [])],
        {
          action: 'sector.chain_stage_assigned',
          entityType: 'sector_shared_chain',
          entityId: id,
          details: {
            name: shared.name,
            stage: stage.name,
            before: nameOf(before?.ownerId),
            after: nameOf(ownerId),
          },
        },
      );
      return true;
    });
  }

  /** Stops sharing a chain: the members no longer see it; the chain stays the institution's. */
  async stop(id: string): Promise<boolean> {
    return this.tx(async (store) => {
      const shared = await store.get(id);
      if (!shared || shared.as !== 'institution') return false;
      await store.db.deleteFrom('sector_shared_chains').where('id', '=', id).execute();
      await auditAcross(
        store.db,
        store.organisationId,
        store.actor,
        [store.organisationId, ...shared.stages.map((s) => s.ownerId)],
        {
          action: 'sector.chain_unshared',
          entityType: 'sector_shared_chain',
          entityId: id,
          details: { name: shared.name },
        },
      );
      return true;
    });
  }

  /**
   * Writes a member's new figures for a stage it owns into the shared chain. Refused (false) unless
   * this organisation owns the stage, is an active member and shares chain measures with the
   * institution, and the chain is still at `revision` (someone else's change is never overwritten:
   * 'conflict'). The model must differ from the stored one only in that stage (checked by the caller
   * through the engine's own changes).
   */
  async updateOwnStage(
    id: string,
    stageId: string,
    revision: number,
    model: DeliveryChain,
    details: Readonly<Record<string, unknown>>,
  ): Promise<'updated' | 'conflict' | false> {
    const checkedModel = parseChain(JSON.parse(JSON.stringify(model)));
    if (!checkedModel.ok) return false;
    return this.tx(async (store) => {
      const shared = await store.get(id);
      if (!shared || shared.as !== 'member') return false;
      if (!shared.stages.some((s) => s.stageId === stageId && s.ownerId === store.organisationId))
        return false;
      if (shared.revision !== revision) return 'conflict';
      // The structure is the convening institution's: a member's write may change nothing but
      // the figures of its own stage, whatever the caller built.
      if (!onlyStageFiguresChanged(shared.model, checkedModel.chain, stageId)) return false;
      const updated = await store.db
        .updateTable('delivery_chains')
        .set({
          model: JSON.stringify(checkedModel.chain),
          revision: revision + 1,
          updated_at: nowIso(),
        })
        .where('id', '=', shared.chainId)
        .where('organisation_id', '=', shared.institutionId)
        .where('revision', '=', revision)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return 'conflict';
      const stage = shared.model.stages.find((s) => s.id === stageId);
      await auditAcross(
        store.db,
        store.organisationId,
        store.actor,
        [store.organisationId, shared.institutionId],
        {
          action: 'sector.chain_stage_updated',
          entityType: 'sector_shared_chain',
          entityId: id,
          details: {
            name: shared.name,
            stage: stage?.name ?? stageId,
            revision: revision + 1,
            ...details,
          },
        },
      );
      return 'updated';
    });
  }
}

export interface OwnEvaluation {
  readonly id: string;
  readonly initiativeId: string;
  readonly initiativeTitle: string;
  readonly createdAt: string;
}

export interface PublishInput {
  readonly level: number;
  readonly basis: RegisterEntry['basis'];
  readonly evidence: string;
  readonly roundId: string;
  readonly roundTitle: string;
  readonly finalisedAt: string;
}

export interface SupplierReportInput {
  readonly evaluationId: string;
  readonly supplier: string;
  readonly supplierKey: string;
  readonly delivered: boolean;
  readonly onTime: boolean;
  readonly benefits: 'realised' | 'partly' | 'not-realised';
  readonly lockIn: boolean;
}

/**
 * This organisation's own entries in the sector's registers: its client-capability register entry
 * and its supplier reports. Publishing needs a current consent for the kind of data ("register
 * entries", "initiative evaluations"); every change is audited here and in each institution it
 * shares that kind with.
 */
export class SectorRegisterStore {
  constructor(
    private readonly db: Executor,
    readonly organisationId: string,
    private readonly actor: Actor,
  ) {}

  private tx<T>(work: (store: SectorRegisterStore) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (tx) =>
      work(new SectorRegisterStore(tx, this.organisationId, this.actor)),
    );
  }

  /** The institutions this organisation shares a kind of data with now (active membership). */
  async sharingWith(kind: SectorDataKind): Promise<{ id: string; name: string }[]> {
    return consentsNow(this.db, kind)
      .innerJoin('organisations as i', 'i.id', 'c.institution_id')
      .select(['i.id', 'i.name'])
      .where('c.member_id', '=', this.organisationId)
      .where('m.member_id', '=', this.organisationId)
      .orderBy('i.name')
      .execute();
  }

  async entry(): Promise<RegisterEntry | undefined> {
    const row = await this.db
      .selectFrom('sector_register_entries as e')
      .innerJoin('organisations as o', 'o.id', 'e.organisation_id')
      .select([
        'e.organisation_id',
        'o.name',
        'e.level',
        'e.basis',
        'e.evidence',
        'e.round_id',
        'e.round_title',
        'e.finalised_at',
        'e.published_at',
      ])
      .where('e.organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return row ? toRegisterEntry(row) : undefined;
  }

  /** Publishes (or replaces) the entry; false when the organisation shares register entries with no institution. */
  async publish(input: PublishInput): Promise<boolean> {
    return this.tx(async (store) => {
      const institutions = await store.sharingWith('register');
      if (institutions.length === 0) return false;
      const values = {
        level: input.level,
        basis: JSON.stringify(input.basis),
        evidence: input.evidence,
        round_id: input.roundId,
        round_title: input.roundTitle,
        finalised_at: input.finalisedAt,
        published_by: store.actor.userId,
        published_at: nowIso(),
      };
      await store.db
        .insertInto('sector_register_entries')
        .values({ organisation_id: store.organisationId, ...values })
        .onConflict((oc) => oc.column('organisation_id').doUpdateSet(values))
        .execute();
      const me = await store.db
        .selectFrom('organisations')
        .select('name')
        .where('id', '=', store.organisationId)
        .executeTakeFirstOrThrow();
      await auditAcross(
        store.db,
        store.organisationId,
        store.actor,
        [store.organisationId, ...institutions.map((i) => i.id)],
        {
          action: 'sector.register_published',
          entityType: 'sector_register_entry',
          entityId: store.organisationId,
          details: { organisation: me.name, rating: `${input.level}`, round: input.roundTitle },
        },
      );
      return true;
    });
  }

  async unpublish(): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.entry();
      if (!before) return false;
      await store.db
        .deleteFrom('sector_register_entries')
        .where('organisation_id', '=', store.organisationId)
        .execute();
      const institutions = await store.sharingWith('register');
      await auditAcross(
        store.db,
        store.organisationId,
        store.actor,
        [store.organisationId, ...institutions.map((i) => i.id)],
        {
          action: 'sector.register_unpublished',
          entityType: 'sector_register_entry',
          entityId: store.organisationId,
          details: { organisation: before.organisationName },
        },
      );
      return true;
    });
  }

  /** This organisation's post-implementation evaluations, newest first, to report a supplier from. */
  async evaluations(): Promise<OwnEvaluation[]> {
    const rows = await this.db
      .selectFrom('initiative_evaluations as e')
      .innerJoin('initiatives as i', (j) =>
        j
          .onRef('i.id', '=', 'e.initiative_id')
          .onRef('i.organisation_id', '=', 'e.organisation_id'),
      )
      .select(['e.id', 'e.initiative_id', 'i.title', 'e.created_at'])
      .where('e.organisation_id', '=', this.organisationId)
      .orderBy('e.created_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      initiativeId: r.initiative_id,
      initiativeTitle: r.title,
      createdAt: r.created_at,
    }));
  }

  async supplierReports(): Promise<StoredSupplierReport[]> {
    const rows = await this.db
      .selectFrom('sector_supplier_reports')
      .selectAll()
      .where('organisation_id', '=', this.organisationId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toSupplierReport);
  }

  /**
   * Adds a report on a supplier from one of this organisation's evaluations. Refused with a reason
   * when the evaluation is not this organisation's, already has a report, or no institution is
   * shared initiative evaluations with.
   */
  async addSupplierReport(input: SupplierReportInput): Promise<string | { refused: string }> {
    return this.tx(async (store) => {
      const evaluation = await store.db
        .selectFrom('initiative_evaluations')
        .select('id')
        .where('id', '=', input.evaluationId)
        .where('organisation_id', '=', store.organisationId)
        .executeTakeFirst();
      if (!evaluation) return { refused: 'Choose one of your evaluations' };
      const taken = await store.db
        .selectFrom('sector_supplier_reports')
        .select('id')
        .where('evaluation_id', '=', input.evaluationId)
        .executeTakeFirst();
      if (taken)
        return { refused: 'This evaluation already has a supplier report: remove it first' };
      const institutions = await store.sharingWith('evaluations');
      if (institutions.length === 0)
        return {
          refused:
            'Share initiative evaluations with an institution first (under Sector memberships)',
        };
      const id = newId();
      await store.db
        .insertInto('sector_supplier_reports')
        .values({
          id,
          organisation_id: store.organisationId,
          evaluation_id: input.evaluationId,
          supplier: input.supplier,
          supplier_key: input.supplierKey,
          delivered: input.delivered ? 1 : 0,
          on_time: input.onTime ? 1 : 0,
          benefits: input.benefits,
          lock_in: input.lockIn ? 1 : 0,
          created_by: store.actor.userId,
          created_at: nowIso(),
        })
        .execute();
      await auditAcross(
        store.db,
        store.organisationId,
        store.actor,
        [store.organisationId, ...institutions.map((i) => i.id)],
        {
          action: 'sector.supplier_reported',
          entityType: 'sector_supplier_report',
          entityId: id,
          details: { supplier: input.supplier },
        },
      );
      return id;
    });
  }

  async removeSupplierReport(id: string): Promise<boolean> {
    return this.tx(async (store) => {
      const before = (await store.supplierReports()).find((r) => r.id === id);
      if (!before) return false;
      await store.db
        .deleteFrom('sector_supplier_reports')
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      const institutions = await store.sharingWith('evaluations');
      await auditAcross(
        store.db,
        store.organisationId,
        store.actor,
        [store.organisationId, ...institutions.map((i) => i.id)],
        {
          action: 'sector.supplier_report_removed',
          entityType: 'sector_supplier_report',
          entityId: id,
          details: { supplier: before.supplier },
        },
      );
      return true;
    });
  }
}

/**
 * The public client-capability register: entries their organisations published and that each still
 * shares as register entries with an institution it is an active member of. Nothing else of any
 * organisation is read.
 */
export async function publishedRegister(db: Executor): Promise<RegisterEntry[]> {
  const rows = await db
    .selectFrom('sector_register_entries as e')
    .innerJoin('organisations as o', 'o.id', 'e.organisation_id')
    .select([
      'e.organisation_id',
      'o.name',
      'e.level',
      'e.basis',
      'e.evidence',
      'e.round_id',
      'e.round_title',
      'e.finalised_at',
      'e.published_at',
    ])
    .where(
      'e.organisation_id',
      'in',
      consentsNow(db, 'register').whereRef('m.member_id', '=', 'c.member_id').select('c.member_id'),
    )
    .orderBy('o.name')
    .execute();
  return rows.map(toRegisterEntry);
}

/**
 * Called by the institution's own chain store inside the transaction of every change to one of its
 * chains: when the chain is convened with members, an owner whose stage no longer exists loses it,
 * and a change to the structure (or to a stage a member owns) is written in the institution's log
 * (`writeOwn`, with the person who made it) and in the log of every member owning a stage — the
 * members' notice, since the structure is the institution's alone to change. Nothing for a chain
 * that is not shared, or a change that touches only figures of stages nobody owns.
 */
export async function recordConvenedChainChange(
  db: Executor,
  input: {
    readonly institutionId: string;
    readonly chainId: string;
    readonly before: DeliveryChain;
    readonly after: DeliveryChain;
    readonly writeOwn: (event: {
      action: AuditAction;
      entityType: string;
      entityId: string;
      details: Readonly<Record<string, unknown>>;
    }) => Promise<void>;
  },
): Promise<void> {
  const shared = await db
    .selectFrom('sector_shared_chains')
    .select('id')
    .where('chain_id', '=', input.chainId)
    .where('institution_id', '=', input.institutionId)
    .executeTakeFirst();
  if (!shared) return;
  const owners = await db
    .selectFrom('sector_shared_chain_stages')
    .select(['stage_id', 'owner_id'])
    .where('shared_chain_id', '=', shared.id)
    .execute();
  const changes = structureChanges(
    input.before,
    input.after,
    new Set(owners.map((o) => o.stage_id)),
  );
  if (changes.length === 0) return;
  const kept = new Set(input.after.stages.map((s) => s.id));
  const gone = owners.filter((o) => !kept.has(o.stage_id));
  if (gone.length > 0)
    await db
      .deleteFrom('sector_shared_chain_stages')
      .where('shared_chain_id', '=', shared.id)
      .where(
        'stage_id',
        'in',
        gone.map((o) => o.stage_id),
      )
      .execute();
  const details = { name: input.after.name, changes: changes.join('; ') };
  const event = {
    action: 'sector.chain_structure_changed' as const,
    entityType: 'sector_shared_chain',
    entityId: shared.id,
    details,
  };
  await input.writeOwn(event);
  const institution = await db
    .selectFrom('organisations')
    .select('name')
    .where('id', '=', input.institutionId)
    .executeTakeFirst();
  const at = nowIso();
  for (const ownerId of new Set(owners.map((o) => o.owner_id)))
    await db
      .insertInto('audit_events')
      .values({
        id: newOrderedId(),
        organisation_id: ownerId,
        actor_user_id: null,
        actor_label: `${institution?.name ?? 'The convening institution'} (convener)`,
        action: event.action,
        entity_type: event.entityType,
        entity_id: event.entityId,
        details: JSON.stringify(details),
        at,
      })
      .execute();
}

/**
 * Called by the institution's chain store before it deletes one of its chains: when the chain is
 * convened, each member owning a stage is told in its own log that the chain is no longer shared.
 */
export async function recordConvenedChainRemoved(
  db: Executor,
  institutionId: string,
  chainId: string,
  name: string,
): Promise<void> {
  const owners = await db
    .selectFrom('sector_shared_chains as s')
    .innerJoin('sector_shared_chain_stages as st', 'st.shared_chain_id', 's.id')
    .innerJoin('organisations as i', 'i.id', 's.institution_id')
    .select(['s.id', 'st.owner_id', 'i.name as institution_name'])
    .where('s.chain_id', '=', chainId)
    .where('s.institution_id', '=', institutionId)
    .execute();
  const at = nowIso();
  for (const ownerId of new Set(owners.map((o) => o.owner_id))) {
    const row = owners.find((o) => o.owner_id === ownerId);
    await db
      .insertInto('audit_events')
      .values({
        id: newOrderedId(),
        organisation_id: ownerId,
        actor_user_id: null,
        actor_label: `${row?.institution_name ?? 'The convening institution'} (convener)`,
        action: 'sector.chain_unshared',
        entity_type: 'sector_shared_chain',
        entity_id: row?.id ?? null,
        details: JSON.stringify({ name, deleted: true }),
        at,
      })
      .execute();
  }
}
