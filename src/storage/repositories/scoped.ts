// Every query of an organisation's own data goes through an OrgScope, built from the signed-in
// caller's session or API token. Each method filters by that organisation, so a route cannot forget
// to: an id belonging to another organisation simply finds nothing. Every change writes an audit
// entry in the same transaction.
import { SqliteAdapter } from 'kysely';
import { newId, newOrderedId, nowIso } from '../../lib/ids.ts';
import type { AuditAction } from '../audit.ts';
import type { Role } from '../schema.ts';
import { toOrganisation, type Organisation } from './platform.ts';
import { inTransaction, type Executor } from './tx.ts';
import { AssessmentStore } from './assessments.ts';
import { ChainStore } from './chains.ts';
import { InitiativeStore } from './initiatives.ts';
import { RoadmapItemStore } from './roadmapItems.ts';
import { ThemeStore } from './themes.ts';
import { JobStore } from './jobs.ts';
import { LogStore } from './logs.ts';
import { AuditReader } from './audit-reader.ts';
import { MailStore } from './mail.ts';
import {
  SectorReader,
  SectorRegisterReader,
  SectorRegisterStore,
  SectorStore,
  SharedChainStore,
} from './sector.ts';
import { TokenStore } from './tokens.ts';
import { IncidentReader, IncidentStore } from './sectorIncidents.ts';
import { ExchangeStore } from './sectorExchange.ts';
import { SsoStore } from './sso.ts';

export interface Actor {
  /** Null for the system itself (for example the demo seed). */
  readonly userId: string | null;
  /** Who it was, as the audit log shows it (a name and e-mail address, or "System"). */
  readonly label: string;
  /** The web request acting, when one is: kept with the jobs it queues, for the logs. */
  readonly requestId?: string | undefined;
}

export interface Member {
  readonly membershipId: string;
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  readonly joinedAt: string;
}

export interface Invitation {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly invitedByName: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly acceptedAt: string | null;
  readonly revokedAt: string | null;
}

export interface AuditEvent {
  readonly id: string;
  readonly at: string;
  readonly actorLabel: string;
  readonly actorUserId: string | null;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AuditInput {
  readonly action: AuditAction;
  readonly entityType: string;
  readonly entityId: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

export class OrgScope {
  constructor(
    private readonly db: Executor,
    readonly organisationId: string,
    readonly actor: Actor,
  ) {}

  /** The same scope inside a transaction, for a unit of work spanning several calls. */
  async transaction<T>(work: (scope: OrgScope) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (tx) => work(new OrgScope(tx, this.organisationId, this.actor)));
  }

  /** Assessment rounds, responses, moderation and targets of this organisation. */
  get assessments(): AssessmentStore {
    return new AssessmentStore(this.db, this.organisationId, this.actor.userId, (db, event) =>
      new OrgScope(db, this.organisationId, this.actor).audit(event),
    );
  }

  /** Event logs of this organisation: uploads awaiting import, imported logs and their analyses. */
  get logs(): LogStore {
    return new LogStore(this.db, this.organisationId, this.actor.userId, (db, event) =>
      new OrgScope(db, this.organisationId, this.actor).audit(event),
    );
  }

  /** Background jobs of this organisation (imports, analyses) and their progress. */
  get jobs(): JobStore {
    return new JobStore(this.db, this.organisationId, this.actor, (db, event) =>
      new OrgScope(db, this.organisationId, this.actor).audit(event),
    );
  }

  /** Delivery-chain models and their scenarios, of this organisation. */
  get chains(): ChainStore {
    return new ChainStore(this.db, this.organisationId, this.actor.userId, (db, event) =>
      new OrgScope(db, this.organisationId, this.actor).audit(event),
    );
  }

  /** Comment sets, their theme analyses, people's edits and links, of this organisation. */
  get themes(): ThemeStore {
    return new ThemeStore(this.db, this.organisationId, this.actor.userId, (db, event) =>
      new OrgScope(db, this.organisationId, this.actor).audit(event),
    );
  }

  /** AI initiatives, their risks, verdicts, evaluations, lessons and settings, of this organisation. */
  get initiatives(): InitiativeStore {
    return new InitiativeStore(this.db, this.organisationId, this.actor.userId, (db, event) =>
      new OrgScope(db, this.organisationId, this.actor).audit(event),
    );
  }

  /** Roadmap actions taken on as trackable items (owner, due date, status), of this organisation. */
  get roadmapItems(): RoadmapItemStore {
    return new RoadmapItemStore(this.db, this.organisationId, this.actor.userId, (db, event) =>
      new OrgScope(db, this.organisationId, this.actor).audit(event),
    );
  }

  /** Invitations by email of this organisation: recipients, reminders, addresses kept. */
  get mail(): MailStore {
    return new MailStore(this.db, this.organisationId, this.actor.userId, (db, event) =>
      new OrgScope(db, this.organisationId, this.actor).audit(event),
    );
  }

  /** Personal API tokens of this organisation: made, listed and revoked (issue 17, point 2). */
  get tokens(): TokenStore {
    return new TokenStore(this.db, this.organisationId, this.actor.userId, (db, event) =>
      new OrgScope(db, this.organisationId, this.actor).audit(event),
    );
  }

  /** Single sign-on: the identity provider's settings and links to its people (issue 17, point 3). */
  get sso(): SsoStore {
    return new SsoStore(this.db, this.organisationId, this.actor.userId, (db, event) =>
      new OrgScope(db, this.organisationId, this.actor).audit(event),
    );
  }

  /** Sector membership and consent, from this organisation's side (institution or member). */
  get sector(): SectorStore {
    return new SectorStore(this.db, this.organisationId, this.actor);
  }

  /** This organisation's client-capability register entry and supplier reports. */
  get sectorRegister(): SectorRegisterStore {
    return new SectorRegisterStore(this.db, this.organisationId, this.actor);
  }

  /** As an institution: its members' register entries and supplier reports, consent-joined. */
  get sectorRegisterReader(): SectorRegisterReader {
    return new SectorRegisterReader(this.db, this.organisationId);
  }

  /** Delivery chains shared across a sector: convened by an institution, stages owned by members. */
  get sharedChains(): SharedChainStore {
    return new SharedChainStore(this.db, this.organisationId, this.actor);
  }

  /**
   * The one read across organisations: aggregates of the members that share a kind of data with
   * this organisation as their institution now. Empty for an organisation with no members.
   */
  get sectorReader(): SectorReader {
    return new SectorReader(this.db, this.organisationId);
  }

  /** AI incident and near-miss reports of this organisation, and as an institution its review rule. */
  get sectorIncidents(): IncidentStore {
    return new IncidentStore(this.db, this.organisationId, this.actor);
  }

  /** An institution's read of its active members' incident reports: aggregates and referrals. */
  get sectorIncidentReader(): IncidentReader {
    return new IncidentReader(this.db, this.organisationId);
  }

  /** The sector exchange of the institutions this organisation is, or is an active member of. */
  get sectorExchange(): ExchangeStore {
    return new ExchangeStore(
      this.db,
      this.organisationId,
      this.actor,
      this.db.getExecutor().adapter instanceof SqliteAdapter,
    );
  }

  async organisation(): Promise<Organisation> {
    const row = await this.db
      .selectFrom('organisations')
      .selectAll()
      .where('id', '=', this.organisationId)
      .executeTakeFirstOrThrow();
    return toOrganisation(row);
  }

  async updateOrganisation(changes: { name: string; sector: string }): Promise<void> {
    await this.transaction(async (scope) => {
      const before = await scope.organisation();
      await scope.db
        .updateTable('organisations')
        .set(changes)
        .where('id', '=', scope.organisationId)
        .execute();
      await scope.audit({
        action: 'organisation.updated',
        entityType: 'organisation',
        entityId: scope.organisationId,
        details: { before: { name: before.name, sector: before.sector }, after: changes },
      });
    });
  }

  // ---- members ----

  async members(): Promise<Member[]> {
    const rows = await this.db
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select([
        'm.id as membershipId',
        'u.id as userId',
        'u.name as name',
        'u.email as email',
        'm.role as role',
        'm.created_at as joinedAt',
      ])
      .where('m.organisation_id', '=', this.organisationId)
      .orderBy('u.name')
      .orderBy('u.email')
      .execute();
    return rows;
  }

  async member(membershipId: string): Promise<Member | undefined> {
    return (await this.members()).find((m) => m.membershipId === membershipId);
  }

  async memberByUserId(userId: string): Promise<Member | undefined> {
    return (await this.members()).find((m) => m.userId === userId);
  }

  async countAdmins(): Promise<number> {
    return (await this.members()).filter((m) => m.role === 'admin').length;
  }

  async addMember(userId: string, role: Role, via: string): Promise<string> {
    return this.transaction(async (scope) => {
      const id = newId();
      await scope.db
        .insertInto('memberships')
        .values({
          id,
          organisation_id: scope.organisationId,
          user_id: userId,
          role,
          created_at: nowIso(),
        })
        .execute();
      await scope.audit({
        action: 'member.added',
        entityType: 'membership',
        entityId: id,
        details: { userId, role, via },
      });
      return id;
    });
  }

  /** Returns false when no such membership exists in this organisation. */
  async changeRole(membershipId: string, role: Role): Promise<boolean> {
    return this.transaction(async (scope) => {
      const before = await scope.member(membershipId);
      if (!before) return false;
      if (before.role === role) return true;
      await scope.db
        .updateTable('memberships')
        .set({ role })
        .where('id', '=', membershipId)
        .where('organisation_id', '=', scope.organisationId)
        .execute();
      await scope.audit({
        action: 'member.role_changed',
        entityType: 'membership',
        entityId: membershipId,
        details: { email: before.email, before: before.role, after: role },
      });
      return true;
    });
  }

  async removeMember(membershipId: string): Promise<boolean> {
    return this.transaction(async (scope) => {
      const before = await scope.member(membershipId);
      if (!before) return false;
      await scope.db
        .deleteFrom('memberships')
        .where('id', '=', membershipId)
        .where('organisation_id', '=', scope.organisationId)
        .execute();
      // Their sessions and tokens for this organisation end with the membership.
      await scope.db
        .deleteFrom('sessions')
        .where('user_id', '=', before.userId)
        .where('organisation_id', '=', scope.organisationId)
        .execute();
      await scope.db
        .updateTable('api_tokens')
        .set({ revoked_at: nowIso() })
        .where('user_id', '=', before.userId)
        .where('organisation_id', '=', scope.organisationId)
        .where('revoked_at', 'is', null)
        .execute();
      await scope.audit({
        action: 'member.removed',
        entityType: 'membership',
        entityId: membershipId,
        details: { email: before.email, role: before.role },
      });
      return true;
    });
  }

  // ---- invitations ----

  async invitations(): Promise<Invitation[]> {
    const rows = await this.db
      .selectFrom('invitations as i')
      .innerJoin('users as u', 'u.id', 'i.invited_by')
      .select([
        'i.id as id',
        'i.email as email',
        'i.name as name',
        'i.role as role',
        'u.name as invitedByName',
        'i.created_at as createdAt',
        'i.expires_at as expiresAt',
        'i.accepted_at as acceptedAt',
        'i.revoked_at as revokedAt',
      ])
      .where('i.organisation_id', '=', this.organisationId)
      .orderBy('i.created_at', 'desc')
      .orderBy('i.id')
      .execute();
    return rows;
  }

  async invitation(id: string): Promise<Invitation | undefined> {
    return (await this.invitations()).find((i) => i.id === id);
  }

  async createInvitation(input: {
    email: string;
    name: string;
    role: Role;
    tokenHash: string;
    expiresAt: string;
  }): Promise<string> {
    if (this.actor.userId === null) throw new Error('An invitation needs a person who sends it');
    const invitedBy = this.actor.userId;
    return this.transaction(async (scope) => {
      const id = newId();
      await scope.db
        .insertInto('invitations')
        .values({
          id,
          organisation_id: scope.organisationId,
          email: input.email,
          name: input.name,
          role: input.role,
          token_hash: input.tokenHash,
          invited_by: invitedBy,
          created_at: nowIso(),
          expires_at: input.expiresAt,
          accepted_at: null,
          revoked_at: null,
        })
        .execute();
      await scope.audit({
        action: 'invitation.created',
        entityType: 'invitation',
        entityId: id,
        details: { email: input.email, role: input.role, expiresAt: input.expiresAt },
      });
      return id;
    });
  }

  async revokeInvitation(id: string): Promise<boolean> {
    return this.transaction(async (scope) => {
      const result = await scope.db
        .updateTable('invitations')
        .set({ revoked_at: nowIso() })
        .where('id', '=', id)
        .where('organisation_id', '=', scope.organisationId)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await scope.audit({ action: 'invitation.revoked', entityType: 'invitation', entityId: id });
      return true;
    });
  }

  /** Marks a pending invitation used; false if it was accepted or revoked meanwhile (single use). */
  async markInvitationAccepted(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('invitations')
      .set({ accepted_at: nowIso() })
      .where('id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  // ---- audit ----

  async audit(event: AuditInput): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        id: newOrderedId(),
        organisation_id: this.organisationId,
        actor_user_id: this.actor.userId,
        actor_label: this.actor.label,
        action: event.action,
        entity_type: event.entityType,
        entity_id: event.entityId,
        details: JSON.stringify(event.details ?? {}),
        at: nowIso(),
      })
      .execute();
  }

  /** The audit log read with filters, pages and the names of what its events point at. */
  get auditRecords(): AuditReader {
    return new AuditReader(this.db, this.organisationId);
  }

  /** The newest events first. */
  async auditLog(limit = 100, before?: string): Promise<AuditEvent[]> {
    let query = this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('organisation_id', '=', this.organisationId);
    if (before !== undefined) query = query.where('id', '<', before);
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actorLabel: r.actor_label,
      actorUserId: r.actor_user_id,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }
}
