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
    return this.db
      .selectFrom('sector_consents as c')
      .innerJoin('sector_memberships as m', 'm.id', 'c.membership_id')
      .where('c.institution_id', '=', this.institutionId)
      .where('m.institution_id', '=', this.institutionId)
      .where('c.data_kind', '=', kind)
      .where('c.withdrawn_at', 'is', null)
      .where('m.status', '=', 'active');
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
      where c.institution_id = ${this.institutionId} and m.institution_id = ${this.institutionId}
        and c.data_kind = 'results' and c.withdrawn_at is null and m.status = 'active'
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
      .where('c.institution_id', '=', this.institutionId)
      .where('c.withdrawn_at', 'is', null)
      .where('m.status', '=', 'active')
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
          where c.institution_id = ${this.institutionId} and m.institution_id = ${this.institutionId}
            and c.data_kind = 'chain_measures' and c.withdrawn_at is null and m.status = 'active'
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
