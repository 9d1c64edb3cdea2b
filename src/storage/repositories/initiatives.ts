// AI initiatives of one organisation (issue 11): the register, readiness snapshots kept at approval,
// risks, evaluations, lessons with full-text search, and the versioned settings of the feature.
// Reached only through OrgScope.initiatives, so every query is filtered by the organisation. This
// store only reads and writes: the documents it keeps are validated by the domain's schemas in the
// service before they reach it (src/services/initiatives.ts), and every change writes an audit
// entry in the same transaction.
import { sql, SqliteAdapter } from 'kysely';
import type { Initiative, InitiativeStatus } from '../../domain/initiatives/types.ts';
import { newId, nowIso } from '../../lib/ids.ts';
import type { InitiativeSettingKind, InitiativesTable, LessonsTable } from '../schema.ts';
import { ScopedStore } from './tx.ts';

/** An initiative as registered: everything but its id and lifecycle, as the user typed it. */
export type InitiativeFields = Omit<Initiative, 'id' | 'status' | 'stoppedReason' | 'liveFrom'>;

/** Governance records kept with an initiative (ethics review, DPIA, pre-mortem …), as JSON. */
export type Governance = Readonly<Record<string, unknown>>;

export interface StoredInitiative {
  readonly initiative: Initiative;
  readonly governance: Governance;
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface StoredSnapshot<T = unknown> {
  readonly id: string;
  readonly initiativeId: string;
  readonly reason: string;
  readonly snapshot: T;
  readonly createdAt: string;
}

export interface StoredRisk<T = unknown> {
  readonly id: string;
  readonly initiativeId: string;
  readonly risk: T;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface StoredEvaluation<T = unknown> {
  readonly id: string;
  readonly initiativeId: string;
  readonly logId: string | null;
  readonly evaluation: T;
  readonly createdAt: string;
}

/** The columns a lesson is filtered by, beside its whole document. */
export interface LessonIndex {
  readonly title: string;
  readonly initiativeId: string | null;
  readonly competency: string | null;
  readonly ambition: string | null;
  readonly outcome: string | null;
  readonly capabilities: readonly string[];
  readonly searchText: string;
}

export interface StoredLesson<T = unknown> extends LessonIndex {
  readonly id: string;
  readonly lesson: T;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface LessonQuery {
  /** Words to find anywhere in a lesson (full text, stemmed). */
  readonly q?: string;
  readonly competency?: string;
  readonly capability?: string;
  readonly ambition?: string;
  readonly outcome?: string;
}

export interface StoredSetting<T = unknown> {
  readonly kind: InitiativeSettingKind;
  readonly version: number;
  readonly document: T;
  readonly createdAt: string;
  readonly createdBy: string | null;
}

/** The words of a search (letters and digits only, at most 20), so no search syntax gets through. */
function searchWords(q: string): string[] {
  return (q.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 20);
}

/** Words of a search as an FTS5 query: each word quoted, as a prefix, and all of them required. */
export function fts5Query(q: string): string | null {
  const words = searchWords(q);
  return words.length === 0 ? null : words.map((w) => `"${w}"*`).join(' ');
}

/** The same for PostgreSQL's to_tsquery: each word a prefix, all of them required. */
export function pgTsQuery(q: string): string | null {
  const words = searchWords(q);
  return words.length === 0 ? null : words.map((w) => `${w}:*`).join(' & ');
}

function toInitiative(row: InitiativesTable): StoredInitiative {
  const fields = JSON.parse(row.model) as InitiativeFields;
  return {
    initiative: {
      ...fields,
      id: row.id,
      status: row.status,
      stoppedReason: row.stopped_reason,
      liveFrom: row.live_from,
    },
    governance: JSON.parse(row.governance) as Governance,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toLesson<T>(row: LessonsTable): StoredLesson<T> {
  return {
    id: row.id,
    title: row.title,
    initiativeId: row.initiative_id,
    competency: row.competency,
    ambition: row.ambition,
    outcome: row.outcome,
    capabilities: JSON.parse(row.capabilities) as string[],
    searchText: row.search_text,
    lesson: JSON.parse(row.lesson) as T,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class InitiativeStore extends ScopedStore {
  private get isSqlite(): boolean {
    return this.db.getExecutor().adapter instanceof SqliteAdapter;
  }

  // ---- the register ----

  async list(): Promise<StoredInitiative[]> {
    const rows = await this.db
      .selectFrom('initiatives')
      .selectAll()
      .where('organisation_id', '=', this.organisationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toInitiative);
  }

  /**
   * The initiative as it stands, for a change made in the caller's transaction: on PostgreSQL the
   * row is locked first, so two changes at once (an ethics review and a DPIA record, say) take turns
   * instead of one overwriting the other. SQLite's one writer already makes them take turns.
   */
  private async forChange(id: string): Promise<StoredInitiative | undefined> {
    if (!this.isSqlite) {
      await this.db
        .selectFrom('initiatives')
        .select('id')
        .where('id', '=', id)
        .where('organisation_id', '=', this.organisationId)
        .forUpdate()
        .executeTakeFirst();
    }
    return this.get(id);
  }

  async get(id: string): Promise<StoredInitiative | undefined> {
    const row = await this.db
      .selectFrom('initiatives')
      .selectAll()
      .where('id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return row ? toInitiative(row) : undefined;
  }

  async create(
    fields: InitiativeFields,
    how: 'created' | 'seeded' | 'api' = 'created',
  ): Promise<string> {
    return this.tx(async (store) => {
      const id = newId();
      const now = nowIso();
      await store.db
        .insertInto('initiatives')
        .values({
          id,
          organisation_id: store.organisationId,
          title: fields.title,
          status: 'idea',
          model: JSON.stringify(fields),
          chain_id: fields.chainId,
          stopped_reason: null,
          live_from: null,
          governance: '{}',
          revision: 1,
          created_by: store.actorUserId,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await store.audit(store.db, {
        action: 'initiative.created',
        entityType: 'initiative',
        entityId: id,
        details: { title: fields.title, ambition: fields.ambition, how },
      });
      return id;
    });
  }

  /** Replaces what was registered; false if there is no such initiative here. */
  async update(id: string, fields: InitiativeFields): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.forChange(id);
      if (!before) return false;
      const changed = Object.keys(fields).filter(
        (k) =>
          JSON.stringify(fields[k as keyof InitiativeFields]) !==
          JSON.stringify(before.initiative[k as keyof InitiativeFields]),
      );
      await store.db
        .updateTable('initiatives')
        .set({
          title: fields.title,
          model: JSON.stringify(fields),
          chain_id: fields.chainId,
          revision: before.revision + 1,
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: 'initiative.updated',
        entityType: 'initiative',
        entityId: id,
        details: { title: fields.title, changed, revision: before.revision + 1 },
      });
      return true;
    });
  }

  /** Moves the initiative through its lifecycle; false if there is no such initiative here. */
  async setStatus(
    id: string,
    status: InitiativeStatus,
    extra: { stoppedReason?: string | null; liveFrom?: string | null } = {},
  ): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.forChange(id);
      if (!before) return false;
      await store.db
        .updateTable('initiatives')
        .set({
          status,
          ...(extra.stoppedReason === undefined ? {} : { stopped_reason: extra.stoppedReason }),
          ...(extra.liveFrom === undefined ? {} : { live_from: extra.liveFrom }),
          revision: before.revision + 1,
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: 'initiative.status_changed',
        entityType: 'initiative',
        entityId: id,
        details: {
          title: before.initiative.title,
          from: before.initiative.status,
          to: status,
          ...extra,
        },
      });
      return true;
    });
  }

  /** Replaces one governance record (e.g. `ethicsReview`); false if there is no such initiative. */
  async setGovernance(id: string, key: string, value: unknown): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.forChange(id);
      if (!before) return false;
      await store.db
        .updateTable('initiatives')
        .set({
          governance: JSON.stringify({ ...before.governance, [key]: value }),
          revision: before.revision + 1,
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: 'initiative.governance_recorded',
        entityType: 'initiative',
        entityId: id,
        details: { title: before.initiative.title, record: key, value },
      });
      return true;
    });
  }

  async remove(id: string): Promise<boolean> {
    return this.tx(async (store) => {
      const before = await store.get(id);
      if (!before) return false;
      for (const table of [
        'readiness_snapshots',
        'initiative_risks',
        'initiative_evaluations',
      ] as const) {
        await store.db
          .deleteFrom(table)
          .where('initiative_id', '=', id)
          .where('organisation_id', '=', store.organisationId)
          .execute();
      }
      await store.db
        .updateTable('lessons')
        .set({ initiative_id: null })
        .where('initiative_id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.db
        .deleteFrom('initiatives')
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: 'initiative.deleted',
        entityType: 'initiative',
        entityId: id,
        details: { title: before.initiative.title },
      });
      return true;
    });
  }

  // ---- readiness snapshots: a verdict as it stood, never rewritten ----

  async addSnapshot(initiativeId: string, reason: string, snapshot: unknown): Promise<string> {
    return this.tx(async (store) => {
      const id = newId();
      await store.db
        .insertInto('readiness_snapshots')
        .values({
          id,
          organisation_id: store.organisationId,
          initiative_id: initiativeId,
          reason,
          snapshot: JSON.stringify(snapshot),
          created_by: store.actorUserId,
          created_at: nowIso(),
        })
        .execute();
      await store.audit(store.db, {
        action: 'initiative.readiness_kept',
        entityType: 'initiative',
        entityId: initiativeId,
        details: { reason, snapshotId: id },
      });
      return id;
    });
  }

  async snapshots<T>(initiativeId: string): Promise<StoredSnapshot<T>[]> {
    const rows = await this.db
      .selectFrom('readiness_snapshots')
      .selectAll()
      .where('initiative_id', '=', initiativeId)
      .where('organisation_id', '=', this.organisationId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      initiativeId: r.initiative_id,
      reason: r.reason,
      snapshot: JSON.parse(r.snapshot) as T,
      createdAt: r.created_at,
    }));
  }

  // ---- risks ----

  /** The risks of one initiative, or of every initiative here when none is named. */
  async risks<T>(initiativeId?: string): Promise<StoredRisk<T>[]> {
    let query = this.db
      .selectFrom('initiative_risks')
      .selectAll()
      .where('organisation_id', '=', this.organisationId);
    if (initiativeId !== undefined) query = query.where('initiative_id', '=', initiativeId);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      initiativeId: r.initiative_id,
      risk: JSON.parse(r.risk) as T,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async addRisk(
    initiativeId: string,
    risk: {
      kind: 'operational' | 'ethical';
      likelihood: number;
      impact: number;
      status: string;
      title: string;
    },
  ): Promise<string> {
    return this.tx(async (store) => {
      const id = newId();
      const now = nowIso();
      await store.db
        .insertInto('initiative_risks')
        .values({
          id,
          organisation_id: store.organisationId,
          initiative_id: initiativeId,
          kind: risk.kind,
          likelihood: risk.likelihood,
          impact: risk.impact,
          status: risk.status,
          risk: JSON.stringify(risk),
          created_at: now,
          updated_at: now,
        })
        .execute();
      await store.audit(store.db, {
        action: 'risk.created',
        entityType: 'initiative_risk',
        entityId: id,
        details: { initiativeId, title: risk.title, kind: risk.kind },
      });
      return id;
    });
  }

  async updateRisk(
    initiativeId: string,
    riskId: string,
    risk: {
      kind: 'operational' | 'ethical';
      likelihood: number;
      impact: number;
      status: string;
      title: string;
    },
  ): Promise<boolean> {
    return this.tx(async (store) => {
      const result = await store.db
        .updateTable('initiative_risks')
        .set({
          kind: risk.kind,
          likelihood: risk.likelihood,
          impact: risk.impact,
          status: risk.status,
          risk: JSON.stringify(risk),
          updated_at: nowIso(),
        })
        .where('id', '=', riskId)
        .where('initiative_id', '=', initiativeId)
        .where('organisation_id', '=', store.organisationId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await store.audit(store.db, {
        action: 'risk.updated',
        entityType: 'initiative_risk',
        entityId: riskId,
        details: { initiativeId, title: risk.title, status: risk.status },
      });
      return true;
    });
  }

  async removeRisk(initiativeId: string, riskId: string): Promise<boolean> {
    return this.tx(async (store) => {
      const result = await store.db
        .deleteFrom('initiative_risks')
        .where('id', '=', riskId)
        .where('initiative_id', '=', initiativeId)
        .where('organisation_id', '=', store.organisationId)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) return false;
      await store.audit(store.db, {
        action: 'risk.deleted',
        entityType: 'initiative_risk',
        entityId: riskId,
        details: { initiativeId },
      });
      return true;
    });
  }

  // ---- evaluations ----

  async addEvaluation(
    initiativeId: string,
    logId: string | null,
    evaluation: unknown,
  ): Promise<string> {
    return this.tx(async (store) => {
      const id = newId();
      await store.db
        .insertInto('initiative_evaluations')
        .values({
          id,
          organisation_id: store.organisationId,
          initiative_id: initiativeId,
          log_id: logId,
          evaluation: JSON.stringify(evaluation),
          created_by: store.actorUserId,
          created_at: nowIso(),
        })
        .execute();
      await store.audit(store.db, {
        action: 'initiative.evaluated',
        entityType: 'initiative',
        entityId: initiativeId,
        details: { evaluationId: id, logId },
      });
      return id;
    });
  }

  async evaluations<T>(initiativeId: string): Promise<StoredEvaluation<T>[]> {
    const rows = await this.db
      .selectFrom('initiative_evaluations')
      .selectAll()
      .where('initiative_id', '=', initiativeId)
      .where('organisation_id', '=', this.organisationId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      initiativeId: r.initiative_id,
      logId: r.log_id,
      evaluation: JSON.parse(r.evaluation) as T,
      createdAt: r.created_at,
    }));
  }

  // ---- lessons ----

  async createLesson(index: LessonIndex, lesson: unknown): Promise<string> {
    return this.tx(async (store) => {
      const id = newId();
      const now = nowIso();
      await store.db
        .insertInto('lessons')
        .values({
          id,
          organisation_id: store.organisationId,
          initiative_id: index.initiativeId,
          title: index.title,
          competency: index.competency,
          ambition: index.ambition,
          outcome: index.outcome,
          capabilities: JSON.stringify(index.capabilities),
          lesson: JSON.stringify(lesson),
          search_text: index.searchText,
          created_by: store.actorUserId,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await store.audit(store.db, {
        action: 'lesson.created',
        entityType: 'lesson',
        entityId: id,
        details: { title: index.title, initiativeId: index.initiativeId },
      });
      return id;
    });
  }

  async updateLesson(id: string, index: LessonIndex, lesson: unknown): Promise<boolean> {
    return this.tx(async (store) => {
      const result = await store.db
        .updateTable('lessons')
        .set({
          initiative_id: index.initiativeId,
          title: index.title,
          competency: index.competency,
          ambition: index.ambition,
          outcome: index.outcome,
          capabilities: JSON.stringify(index.capabilities),
          lesson: JSON.stringify(lesson),
          search_text: index.searchText,
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await store.audit(store.db, {
        action: 'lesson.updated',
        entityType: 'lesson',
        entityId: id,
        details: { title: index.title },
      });
      return true;
    });
  }

  async lesson<T>(id: string): Promise<StoredLesson<T> | undefined> {
    const row = await this.db
      .selectFrom('lessons')
      .selectAll()
      .where('id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return row ? toLesson<T>(row) : undefined;
  }

  /**
   * Lessons matching the filters; with words, only those whose text contains every word (stemmed:
   * SQLite FTS5 with the Porter stemmer, PostgreSQL's English text search), best match first.
   */
  async lessons<T>(query: LessonQuery = {}): Promise<StoredLesson<T>[]> {
    let q = this.db
      .selectFrom('lessons')
      .selectAll('lessons')
      .where('lessons.organisation_id', '=', this.organisationId);
    if (query.competency) q = q.where('lessons.competency', '=', query.competency);
    if (query.ambition) q = q.where('lessons.ambition', '=', query.ambition);
    if (query.outcome) q = q.where('lessons.outcome', '=', query.outcome);
    if (query.capability) {
      // capabilities is a JSON array of ids; ids are plain slugs, so a quoted match is exact.
      q = q.where('lessons.capabilities', 'like', `%${JSON.stringify(query.capability)}%`);
    }
    const words = query.q?.trim() ?? '';
    if (words !== '') {
      if (this.isSqlite) {
        const match = fts5Query(words);
        if (match === null) return [];
        const rows = await q
          .innerJoin(sql<{ rowid: number }>`lessons_fts`.as('f'), (join) =>
            join.on(sql`f.rowid`, '=', sql`lessons.rowid`),
          )
          .where(sql<boolean>`lessons_fts match ${match}`)
          .orderBy(sql`bm25(lessons_fts)`)
          .orderBy('lessons.id')
          .execute();
        return rows.map((r) => toLesson<T>(r));
      }
      const terms = pgTsQuery(words);
      if (terms === null) return [];
      const tsQuery = sql`to_tsquery('english', ${terms})`;
      const rows = await q
        .where(sql<boolean>`lessons.search @@ ${tsQuery}`)
        .orderBy(sql`ts_rank(lessons.search, ${tsQuery})`, 'desc')
        .orderBy('lessons.id')
        .execute();
      return rows.map((r) => toLesson<T>(r));
    }
    const rows = await q.orderBy('lessons.created_at', 'desc').orderBy('lessons.id').execute();
    return rows.map((r) => toLesson<T>(r));
  }

  // ---- versioned settings: readiness table, portfolio weights, risk appetite, fund ----

  async setting<T>(
    kind: InitiativeSettingKind,
    version?: number,
  ): Promise<StoredSetting<T> | undefined> {
    let q = this.db
      .selectFrom('initiative_settings')
      .selectAll()
      .where('organisation_id', '=', this.organisationId)
      .where('kind', '=', kind);
    if (version !== undefined) q = q.where('version', '=', version);
    const row = await q.orderBy('version', 'desc').limit(1).executeTakeFirst();
    return row
      ? {
          kind: row.kind,
          version: row.version,
          document: JSON.parse(row.document) as T,
          createdAt: row.created_at,
          createdBy: row.created_by,
        }
      : undefined;
  }

  async settingHistory(kind: InitiativeSettingKind): Promise<StoredSetting[]> {
    const rows = await this.db
      .selectFrom('initiative_settings')
      .selectAll()
      .where('organisation_id', '=', this.organisationId)
      .where('kind', '=', kind)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((row) => ({
      kind: row.kind,
      version: row.version,
      document: JSON.parse(row.document) as unknown,
      createdAt: row.created_at,
      createdBy: row.created_by,
    }));
  }

  /** Keeps a new version of a setting; earlier versions stay readable. Returns the new version. */
  async saveSetting(kind: InitiativeSettingKind, document: unknown): Promise<number> {
    return this.tx(async (store) => {
      const latest = await store.setting(kind);
      const version = (latest?.version ?? 0) + 1;
      await store.db
        .insertInto('initiative_settings')
        .values({
          organisation_id: store.organisationId,
          kind,
          version,
          document: JSON.stringify(document),
          created_by: store.actorUserId,
          created_at: nowIso(),
        })
        .execute();
      await store.audit(store.db, {
        action: 'initiative.setting_changed',
        entityType: 'initiative_setting',
        entityId: `${kind}@${version}`,
        details: { kind, version, document },
      });
      return version;
    });
  }
}
