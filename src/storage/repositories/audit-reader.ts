// Reading an organisation's audit log: one page of events matching a filter (by person, kinds of
// action and a date range), how many match, who appears in it, and the names of the records its
// events point at. Every query is scoped to the organisation; an id from elsewhere names nothing.
import type { Executor } from './tx.ts';
import type { AuditEvent } from './scoped.ts';

export interface AuditFilter {
  /** A person's user id, or null for events the system did by itself; undefined for everyone. */
  readonly actorUserId?: string | null;
  /** Only these actions; undefined for all. */
  readonly actions?: readonly string[];
  /** From the start of this day (YYYY-MM-DD, UTC). */
  readonly from?: string;
  /** To the end of this day (YYYY-MM-DD, UTC). */
  readonly to?: string;
}

export interface AuditActor {
  /** Null for the system. */
  readonly userId: string | null;
  /** The name recorded with the person's newest event. */
  readonly label: string;
}

/** Ids by kind, as auditReferences() collects them. */
export interface AuditIds {
  readonly users: readonly string[];
  readonly memberships: readonly string[];
  readonly rounds: readonly string[];
  readonly groups: readonly string[];
  readonly responses: readonly string[];
  readonly chains: readonly string[];
  readonly logs: readonly string[];
  readonly commentSets: readonly string[];
  readonly analyses: readonly string[];
  readonly initiatives: readonly string[];
  readonly risks: readonly string[];
  readonly lessons: readonly string[];
  readonly invitations: readonly string[];
  readonly apiTokens: readonly string[];
}

export interface AuditRecordNames {
  readonly users: Map<string, string>;
  readonly memberships: Map<string, string>;
  readonly rounds: Map<string, string>;
  readonly groups: Map<string, string>;
  readonly responseRounds: Map<string, string>;
  readonly chains: Map<string, string>;
  readonly interventions: Map<string, string>;
  readonly logs: Map<string, string>;
  readonly commentSets: Map<string, string>;
  readonly analyses: Map<string, string>;
  readonly initiatives: Map<string, string>;
  readonly risks: Map<string, string>;
  readonly lessons: Map<string, string>;
  readonly invitations: Map<string, string>;
  readonly apiTokens: Map<string, string>;
}

/** The day after a YYYY-MM-DD date, as YYYY-MM-DD. */
function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Ids are looked up in slices, well under either database's limit on bound parameters. */
const SLICE = 500;

export class AuditReader {
  constructor(
    private readonly db: Executor,
    private readonly organisationId: string,
  ) {}

  private filtered(filter: AuditFilter) {
    let query = this.db
      .selectFrom('audit_events')
      .where('organisation_id', '=', this.organisationId);
    if (filter.actorUserId === null) query = query.where('actor_user_id', 'is', null);
    else if (filter.actorUserId !== undefined)
      query = query.where('actor_user_id', '=', filter.actorUserId);
    if (filter.actions !== undefined) {
      if (filter.actions.length === 0) query = query.where('action', '=', '');
      else query = query.where('action', 'in', [...filter.actions]);
    }
    // `at` is an ISO 8601 UTC time, so text order is time order.
    if (filter.from !== undefined) query = query.where('at', '>=', `${filter.from}T00:00:00`);
    if (filter.to !== undefined) query = query.where('at', '<', `${dayAfter(filter.to)}T00:00:00`);
    return query;
  }

  /** Events matching the filter, newest first. */
  async events(filter: AuditFilter, offset: number, limit: number): Promise<AuditEvent[]> {
    const rows = await this.filtered(filter)
      .selectAll()
      .orderBy('id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute();
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

  async count(filter: AuditFilter): Promise<number> {
    const row = await this.filtered(filter)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Everyone who appears in the log as having done something, with the system. */
  async actors(): Promise<AuditActor[]> {
    const rows = await this.db
      .selectFrom('audit_events')
      .select(['actor_user_id', (eb) => eb.fn.max('actor_label').as('label')])
      .where('organisation_id', '=', this.organisationId)
      .groupBy('actor_user_id')
      .execute();
    return rows.map((r) => ({ userId: r.actor_user_id, label: String(r.label ?? '') }));
  }

  /** The names of the records the ids point at, where they still exist in this organisation. */
  async names(ids: AuditIds): Promise<AuditRecordNames> {
    const org = this.organisationId;
    const db = this.db;
    async function lookup<R>(
      list: readonly string[],
      fetch: (slice: string[]) => Promise<R[]>,
    ): Promise<R[]> {
      const out: R[] = [];
      for (let i = 0; i < list.length; i += SLICE) {
        const slice = list.slice(i, i + SLICE);
        if (slice.length > 0) out.push(...(await fetch(slice)));
      }
      return out;
    }
    const pairs = (rows: readonly { id: string; name: string }[]) =>
      new Map(rows.map((r) => [r.id, r.name]));

    // People are named only if they belong, or once belonged, to this organisation's log.
    const users = pairs(
      await lookup(ids.users, (slice) =>
        db
          .selectFrom('users')
          .select(['id', 'name'])
          .where('id', 'in', slice)
          .where((eb) =>
            eb.or([
              eb.exists(
                eb
                  .selectFrom('memberships')
                  .select('memberships.id')
                  .whereRef('memberships.user_id', '=', 'users.id')
                  .where('memberships.organisation_id', '=', org),
              ),
              eb.exists(
                eb
                  .selectFrom('audit_events')
                  .select('audit_events.id')
                  .whereRef('audit_events.actor_user_id', '=', 'users.id')
                  .where('audit_events.organisation_id', '=', org),
              ),
            ]),
          )
          .execute(),
      ),
    );
    const memberships = pairs(
      await lookup(ids.memberships, (slice) =>
        db
          .selectFrom('memberships as m')
          .innerJoin('users as u', 'u.id', 'm.user_id')
          .select(['m.id as id', 'u.name as name'])
          .where('m.id', 'in', slice)
          .where('m.organisation_id', '=', org)
          .execute(),
      ),
    );
    const responseRows = await lookup(ids.responses, (slice) =>
      db
        .selectFrom('responses')
        .select(['id', 'round_id'])
        .where('id', 'in', slice)
        .where('organisation_id', '=', org)
        .execute(),
    );
    const responseRounds = new Map(responseRows.map((r) => [r.id, r.round_id]));
    const roundIds = [...new Set([...ids.rounds, ...responseRounds.values()])];
    const rounds = pairs(
      await lookup(roundIds, (slice) =>
        db
          .selectFrom('assessment_rounds')
          .select(['id', 'title as name'])
          .where('id', 'in', slice)
          .where('organisation_id', '=', org)
          .execute(),
      ),
    );
    const groups = pairs(
      await lookup(ids.groups, (slice) =>
        db
          .selectFrom('round_groups')
          .select(['id', 'name'])
          .where('id', 'in', slice)
          .where('organisation_id', '=', org)
          .execute(),
      ),
    );
    const chainRows = await lookup(ids.chains, (slice) =>
      db
        .selectFrom('delivery_chains')
        .select(['id', 'name', 'model'])
        .where('id', 'in', slice)
        .where('organisation_id', '=', org)
        .execute(),
    );
    const interventions = new Map<string, string>();
    for (const chain of chainRows) {
      try {
        const model = JSON.parse(chain.model) as {
          interventions?: { id?: unknown; name?: unknown }[];
        };
        for (const i of model.interventions ?? []) {
          if (typeof i.id === 'string' && typeof i.name === 'string')
            interventions.set(`${chain.id}/${i.id}`, i.name);
        }
      } catch {
        // A model that does not parse names no interventions; the sentence says "an intervention".
      }
    }
    const named = async (
      table: 'event_logs' | 'comment_sets' | 'api_tokens',
      list: readonly string[],
    ) =>
      pairs(
        await lookup(list, (slice) =>
          db
            .selectFrom(table)
            .select(['id', 'name'])
            .where('id', 'in', slice)
            .where('organisation_id', '=', org)
            .execute(),
        ),
      );
    const titled = async (table: 'initiatives' | 'lessons', list: readonly string[]) =>
      pairs(
        await lookup(list, (slice) =>
          db
            .selectFrom(table)
            .select(['id', 'title as name'])
            .where('id', 'in', slice)
            .where('organisation_id', '=', org)
            .execute(),
        ),
      );
    const analyses = pairs(
      await lookup(ids.analyses, (slice) =>
        db
          .selectFrom('theme_analyses as a')
          .innerJoin('comment_sets as s', 's.id', 'a.set_id')
          .select(['a.id as id', 's.name as name'])
          .where('a.id', 'in', slice)
          .where('a.organisation_id', '=', org)
          .execute(),
      ),
    );
    const riskRows = await lookup(ids.risks, (slice) =>
      db
        .selectFrom('initiative_risks')
        .select(['id', 'risk'])
        .where('id', 'in', slice)
        .where('organisation_id', '=', org)
        .execute(),
    );
    const risks = new Map<string, string>();
    for (const r of riskRows) {
      try {
        const title = (JSON.parse(r.risk) as { title?: unknown }).title;
        if (typeof title === 'string') risks.set(r.id, title);
      } catch {
        // Unnamed.
      }
    }
    const invitations = pairs(
      await lookup(ids.invitations, (slice) =>
        db
          .selectFrom('invitations')
          .select(['id', 'email as name'])
          .where('id', 'in', slice)
          .where('organisation_id', '=', org)
          .execute(),
      ),
    );
    return {
      users,
      memberships,
      rounds,
      groups,
      responseRounds,
      chains: pairs(chainRows),
      interventions,
      logs: await named('event_logs', ids.logs),
      commentSets: await named('comment_sets', ids.commentSets),
      analyses,
      initiatives: await titled('initiatives', ids.initiatives),
      risks,
      lessons: await titled('lessons', ids.lessons),
      invitations,
      apiTokens: await named('api_tokens', ids.apiTokens),
    };
  }
}
