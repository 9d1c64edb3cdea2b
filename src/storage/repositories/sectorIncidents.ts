// Incident and near-miss reports (issue 15, point 6; paper section 4.4). Two doors, like sector.ts:
//
//  - `IncidentStore` (OrgScope.sectorIncidents) acts for the caller's organisation only: its staff
//    report, its reviewers triage and close, and as an institution it publishes versions of the
//    threshold rule. Reads never return who reported: `reporter(id)` is the one method that does,
//    and only the triage role's pages call it. An anonymous report stores no reporter at all. The
//    audit entry of any report names no user, and carries its day, not its time.
//  - `IncidentReader` (OrgScope.sectorIncidentReader) is the institution's read across its active
//    members: counts by class and month, and the reports its rule sends to independent review —
//    never a reporter, never a member that has left.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { newId, newOrderedId, nowIso } from '../../lib/ids.ts';
import type { AuditAction } from '../audit.ts';
import type { SectorIncidentsTable } from '../schema.ts';
import type { Actor } from './scoped.ts';
import { inTransaction, type Executor } from './tx.ts';

export interface StoredIncident {
  readonly id: string;
  readonly organisationId: string;
  readonly institutionId: string;
  readonly kind: 'incident' | 'near_miss';
  readonly title: string;
  readonly systemName: string;
  readonly systemKey: string;
  readonly competency: string;
  readonly whatHappened: string;
  readonly occurredOn: string;
  readonly harmToPublic: boolean;
  readonly severity: number;
  /** Whether a name was given; who it was is only in `reporter(id)`. */
  readonly named: boolean;
  readonly reportedOn: string;
  readonly status: 'open' | 'triaged' | 'closed';
  readonly answers: Readonly<Record<string, boolean>> | null;
  readonly class: string | null;
  readonly followUp: string | null;
  readonly triagedOn: string | null;
  readonly ruleVersion: number | null;
  readonly refer: boolean | null;
  readonly reviewReasons: readonly string[];
  readonly closingNote: string | null;
  readonly closedOn: string | null;
  readonly lessonId: string | null;
  readonly exchangeItemId: string | null;
}

export interface NewIncident {
  readonly institutionId: string;
  readonly kind: 'incident' | 'near_miss';
  readonly title: string;
  readonly systemName: string;
  readonly systemKey: string;
  readonly competency: string;
  readonly whatHappened: string;
  readonly occurredOn: string;
  readonly harmToPublic: boolean;
  readonly severity: number;
  readonly anonymous: boolean;
}

export interface StoredRule {
  readonly version: number;
  readonly rule: unknown;
  readonly createdAt: string;
}

export interface ReferredIncident {
  readonly id: string;
  readonly memberName: string;
  readonly kind: 'incident' | 'near_miss';
  readonly title: string;
  readonly systemName: string;
  readonly whatHappened: string;
  readonly severity: number;
  readonly harmToPublic: boolean;
  readonly class: string | null;
  readonly followUp: string | null;
  readonly reasons: readonly string[];
  readonly ruleVersion: number | null;
  readonly reportedOn: string;
  readonly status: 'open' | 'triaged' | 'closed';
}

export interface ClassMonthCount {
  readonly month: string;
  readonly class: string | null;
  readonly kind: 'incident' | 'near_miss';
  readonly count: number;
}

const today = (): string => nowIso().slice(0, 10);

const ANONYMOUS_LABEL = 'Anonymous reporter';

/** A UUIDv7 whose time is the start of a day (UTC) and whose other bits are random. */
function dayOrderedId(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const bytes = randomBytes(16);
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = (ms >>> 24) & 0xff;
  bytes[3] = (ms >>> 16) & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Row = Omit<SectorIncidentsTable, 'reporter_user_id'> & { named: number | string | boolean };

function toIncident(r: Row): StoredIncident {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    institutionId: r.institution_id,
    kind: r.kind,
    title: r.title,
    systemName: r.system_name,
    systemKey: r.system_key,
    competency: r.competency,
    whatHappened: r.what_happened,
    occurredOn: r.occurred_on,
    harmToPublic: Number(r.harm_to_public) === 1,
    severity: Number(r.severity),
    named: Number(r.named) === 1 || r.named === true,
    reportedOn: r.reported_on,
    status: r.status,
    answers: r.answers === null ? null : (JSON.parse(r.answers) as Record<string, boolean>),
    class: r.class,
    followUp: r.follow_up,
    triagedOn: r.triaged_on,
    ruleVersion: r.rule_version === null ? null : Number(r.rule_version),
    refer: r.refer === null ? null : Number(r.refer) === 1,
    reviewReasons: r.review_reasons === null ? [] : (JSON.parse(r.review_reasons) as string[]),
    closingNote: r.closing_note,
    closedOn: r.closed_on,
    lessonId: r.lesson_id,
    exchangeItemId: r.exchange_item_id,
  };
}

// Every column but the reporter; whether one was given is a yes or no.
const COLUMNS = [
  'id',
  'organisation_id',
  'institution_id',
  'kind',
  'title',
  'system_name',
  'system_key',
  'competency',
  'what_happened',
  'occurred_on',
  'harm_to_public',
  'severity',
  'reported_on',
  'status',
  'answers',
  'class',
  'follow_up',
  'triaged_on',
  'rule_version',
  'refer',
  'review_reasons',
  'closing_note',
  'closed_on',
  'lesson_id',
  'exchange_item_id',
] as const;

export class IncidentStore {
  constructor(
    private readonly db: Executor,
    readonly organisationId: string,
    private readonly actor: Actor,
  ) {}

  private tx<T>(work: (store: IncidentStore) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (tx) =>
      work(new IncidentStore(tx, this.organisationId, this.actor)),
    );
  }

  private async audit(
    action: AuditAction,
    entityId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        id: newOrderedId(),
        organisation_id: this.organisationId,
        actor_user_id: this.actor.userId,
        actor_label: this.actor.label,
        action,
        entity_type: 'sector_incident',
        entity_id: entityId,
        details: JSON.stringify(details),
        at: nowIso(),
      })
      .execute();
  }

  /**
   * The audit entry of a new report names no one, named or not (the name stays with the report,
   * for the triage role), and is dated to the start of its day with an id that sorts there: an
   * entry at the exact time, next to a sign-in or another action, would point at the reporter.
   */
  private async auditReport(entityId: string, details: Record<string, unknown>, named: boolean) {
    const day = today();
    await this.db
      .insertInto('audit_events')
      .values({
        id: dayOrderedId(day),
        organisation_id: this.organisationId,
        actor_user_id: null,
        actor_label: named ? 'A member of staff (named to the triage role only)' : ANONYMOUS_LABEL,
        action: 'sector.incident_reported',
        entity_type: 'sector_incident',
        entity_id: entityId,
        details: JSON.stringify(details),
        at: `${day}T00:00:00.000Z`,
      })
      .execute();
  }

  private select() {
    return this.db
      .selectFrom('sector_incidents')
      .select([
        ...COLUMNS,
        sql<number>`case when reporter_user_id is null then 0 else 1 end`.as('named'),
      ])
      .where('organisation_id', '=', this.organisationId);
  }

  /** Reports a new incident. Anonymous: no reporter is stored, and the audit names nobody. */
  async report(input: NewIncident): Promise<string> {
    return this.tx(async (store) => {
      const id = newId();
      await store.db
        .insertInto('sector_incidents')
        .values({
          id,
          organisation_id: store.organisationId,
          institution_id: input.institutionId,
          kind: input.kind,
          title: input.title,
          system_name: input.systemName,
          system_key: input.systemKey,
          competency: input.competency,
          what_happened: input.whatHappened,
          occurred_on: input.occurredOn,
          harm_to_public: input.harmToPublic ? 1 : 0,
          severity: input.severity,
          reporter_user_id: input.anonymous ? null : store.actor.userId,
          reported_on: today(),
          status: 'open',
          answers: null,
          class: null,
          follow_up: null,
          triaged_on: null,
          rule_version: null,
          refer: null,
          review_reasons: null,
          closing_note: null,
          closed_on: null,
          lesson_id: null,
          exchange_item_id: null,
        })
        .execute();
      await store.auditReport(id, { kind: input.kind, title: input.title }, !input.anonymous);
      return id;
    });
  }

  /** This organisation's reports, newest date first; within a day in an order that means nothing. */
  async list(): Promise<StoredIncident[]> {
    const rows = await this.select().orderBy('reported_on', 'desc').orderBy('id').execute();
    return rows.map((r) => toIncident(r as Row));
  }

  async get(id: string): Promise<StoredIncident | undefined> {
    const row = await this.select().where('id', '=', id).executeTakeFirst();
    return row ? toIncident(row as Row) : undefined;
  }

  /** Who reported it, for the triage role only; null when anonymous (nothing was stored). */
  async reporter(id: string): Promise<{ name: string; email: string } | null> {
    const row = await this.db
      .selectFrom('sector_incidents as i')
      .innerJoin('users as u', 'u.id', 'i.reporter_user_id')
      .select(['u.name', 'u.email'])
      .where('i.id', '=', id)
      .where('i.organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Reports of this organisation about the same system since a date (inclusive). */
  async countSameSystem(systemKey: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('sector_incidents')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('organisation_id', '=', this.organisationId)
      .where('system_key', '=', systemKey)
      .where('occurred_on', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async triage(
    id: string,
    t: {
      answers: Record<string, boolean>;
      class: string;
      classLabel: string;
      followUp: string;
      ruleVersion: number;
      refer: boolean;
      reasons: readonly string[];
    },
  ): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.get(id);
      if (!before || before.status === 'closed') return false;
      await store.db
        .updateTable('sector_incidents')
        .set({
          status: 'triaged',
          answers: JSON.stringify(t.answers),
          class: t.class,
          follow_up: t.followUp,
          triaged_on: today(),
          rule_version: t.ruleVersion,
          refer: t.refer ? 1 : 0,
          review_reasons: JSON.stringify(t.reasons),
        })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit('sector.incident_triaged', id, {
        title: before.title,
        classLabel: t.classLabel,
        refer: t.refer,
        ruleVersion: t.ruleVersion,
      });
      return true;
    });
  }

  async close(id: string, note: string): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.get(id);
      if (!before || before.status !== 'triaged') return false;
      await store.db
        .updateTable('sector_incidents')
        .set({ status: 'closed', closing_note: note, closed_on: today() })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit('sector.incident_closed', id, { title: before.title });
      return true;
    });
  }

  async linkLesson(id: string, lessonId: string, exchangeItemId: string | null): Promise<void> {
    await this.tx(async (store) => {
      const before = await store.get(id);
      if (!before) return;
      await store.db
        .updateTable('sector_incidents')
        .set({ lesson_id: lessonId, exchange_item_id: exchangeItemId })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit('sector.incident_lesson', id, {
        title: before.title,
        shared: exchangeItemId !== null,
      });
    });
  }

  // ---- as an institution: the threshold rule ----

  /** A version of the rule of an institution (the latest without `version`); any caller may read it. */
  async rule(institutionId: string, version?: number): Promise<StoredRule | undefined> {
    let q = this.db
      .selectFrom('sector_incident_rules')
      .selectAll()
      .where('institution_id', '=', institutionId);
    if (version !== undefined) q = q.where('version', '=', version);
    const row = await q.orderBy('version', 'desc').limit(1).executeTakeFirst();
    return row
      ? { version: Number(row.version), rule: JSON.parse(row.rule), createdAt: row.created_at }
      : undefined;
  }

  async ruleHistory(institutionId: string): Promise<StoredRule[]> {
    const rows = await this.db
      .selectFrom('sector_incident_rules')
      .selectAll()
      .where('institution_id', '=', institutionId)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((row) => ({
      version: Number(row.version),
      rule: JSON.parse(row.rule),
      createdAt: row.created_at,
    }));
  }

  /** Publishes a new version of this institution's rule; earlier versions stay. */
  async publishRule(rule: unknown): Promise<number> {
    return this.tx(async (store) => {
      const latest = await store.rule(store.organisationId);
      const version = (latest?.version ?? 0) + 1;
      await store.db
        .insertInto('sector_incident_rules')
        .values({
          institution_id: store.organisationId,
          version,
          rule: JSON.stringify(rule),
          created_by: store.actor.userId,
          created_at: nowIso(),
        })
        .execute();
      await store.audit('sector.review_rule_published', String(version), { version, rule });
      return version;
    });
  }
}

/** The institution's read of its active members' reports: aggregates and referred reports only. */
export class IncidentReader {
  constructor(
    private readonly db: Executor,
    readonly institutionId: string,
  ) {}

  private ofActiveMembers() {
    return this.db
      .selectFrom('sector_incidents as i')
      .innerJoin('sector_memberships as m', (join) =>
        join
          .onRef('m.member_id', '=', 'i.organisation_id')
          .on('m.institution_id', '=', this.institutionId)
          .on('m.status', '=', 'active'),
      )
      .where('i.institution_id', '=', this.institutionId);
  }

  /** Reports by month reported, class (null: not yet triaged) and kind. */
  async classCounts(): Promise<ClassMonthCount[]> {
    const rows = await this.ofActiveMembers()
      .select((eb) => [
        sql<string>`substr(i.reported_on, 1, 7)`.as('month'),
        'i.class',
        'i.kind',
        eb.fn.countAll<string | number>().as('n'),
      ])
      .groupBy([sql`substr(i.reported_on, 1, 7)`, 'i.class', 'i.kind'])
      .execute();
    return rows.map((r) => ({
      month: r.month,
      class: r.class,
      kind: r.kind,
      count: Number(r.n),
    }));
  }

  /**
   * Reports by the month the incident happened, member organisation, class and kind, for the
   * sector view's series over time: the member is needed only to count how many members stand
   * behind a period, and is never shown.
   */
  async classCountsByMember(): Promise<(ClassMonthCount & { memberId: string })[]> {
    const rows = await this.ofActiveMembers()
      .select((eb) => [
        sql<string>`substr(i.occurred_on, 1, 7)`.as('month'),
        'i.organisation_id',
        'i.class',
        'i.kind',
        eb.fn.countAll<string | number>().as('n'),
      ])
      .groupBy([sql`substr(i.occurred_on, 1, 7)`, 'i.organisation_id', 'i.class', 'i.kind'])
      .execute();
    return rows.map((r) => ({
      month: r.month,
      memberId: r.organisation_id,
      class: r.class,
      kind: r.kind,
      count: Number(r.n),
    }));
  }

  /** Reports its rule sent to independent review, newest first: never who reported them. */
  async referred(): Promise<ReferredIncident[]> {
    const rows = await this.ofActiveMembers()
      .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
      .select([
        'i.id',
        'o.name as member_name',
        'i.kind',
        'i.title',
        'i.system_name',
        'i.what_happened',
        'i.severity',
        'i.harm_to_public',
        'i.class',
        'i.follow_up',
        'i.review_reasons',
        'i.rule_version',
        'i.reported_on',
        'i.status',
      ])
      .where('i.refer', '=', 1)
      .orderBy('i.reported_on', 'desc')
      .orderBy('i.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      memberName: r.member_name,
      kind: r.kind,
      title: r.title,
      systemName: r.system_name,
      whatHappened: r.what_happened,
      severity: Number(r.severity),
      harmToPublic: Number(r.harm_to_public) === 1,
      class: r.class,
      followUp: r.follow_up,
      reasons: r.review_reasons === null ? [] : (JSON.parse(r.review_reasons) as string[]),
      ruleVersion: r.rule_version === null ? null : Number(r.rule_version),
      reportedOn: r.reported_on,
      status: r.status,
    }));
  }
}
