// Assessment rounds, respondents, answers, moderation, snapshots and targets for one organisation.
// Reached only through OrgScope.assessments, so every query is filtered by the organisation.
import { newId, nowIso } from '../../lib/ids.ts';
import { groupNameClashes } from '../../domain/assessment/groups.ts';
import type { AuditAction } from '../audit.ts';
import type { EvidenceStrength, ResponseStatus, RoundStatus } from '../schema.ts';
import { ScopedStore } from './tx.ts';

/** The audit entry of a round moved to each status (a round never goes back to draft). */
const STATUS_ACTIONS: Readonly<Record<Exclude<RoundStatus, 'draft'>, AuditAction>> = {
  open: 'assessment.round_opened',
  closed: 'assessment.round_closed',
  finalised: 'assessment.round_finalised',
};

export type AssessmentScope = 'organisation' | 'sector';
export type Confidence = 'low' | 'medium' | 'high';

export interface RoundGroup {
  readonly id: string;
  readonly name: string;
  readonly position: number;
}

export interface Round {
  readonly id: string;
  readonly scope: AssessmentScope;
  readonly title: string;
  readonly opensOn: string;
  readonly closesOn: string;
  readonly status: RoundStatus;
  readonly frameworkId: string;
  readonly frameworkVersion: string;
  readonly minGroupSize: number;
  readonly createdAt: string;
  readonly openedAt: string | null;
  readonly closedAt: string | null;
  readonly finalisedAt: string | null;
  readonly groups: readonly RoundGroup[];
}

export interface RoundSummary extends Omit<Round, 'groups'> {
  readonly responses: number;
  readonly submitted: number;
}

export interface ResponseRecord {
  readonly id: string;
  readonly roundId: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly userId: string | null;
  readonly viaLink: boolean;
  readonly label: string;
  readonly status: ResponseStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt: string | null;
  readonly revokedAt: string | null;
}

export interface StoredAnswer {
  readonly responseId: string;
  readonly groupId: string;
  readonly capabilityId: string;
  /** Null when the respondent does not know (or has not chosen yet). */
  readonly level: 1 | 2 | 3 | 4 | 5 | null;
  readonly dontKnow: boolean;
  readonly indicatorsSeen: string[];
  readonly evidence: string;
  readonly confidence: Confidence | null;
  readonly updatedAt: string;
}

export interface AnswerInput {
  readonly level: 1 | 2 | 3 | 4 | 5 | null;
  readonly dontKnow: boolean;
  readonly indicatorsSeen: readonly string[];
  readonly evidence: string;
  readonly confidence: Confidence | null;
}

export interface AgreedRating {
  readonly capabilityId: string;
  readonly agreedLevel: 1 | 2 | 3 | 4 | 5;
  readonly rationale: string;
  readonly evidenceStrength: EvidenceStrength;
  readonly recordedBy: string;
  readonly recordedAt: string;
  /** An administrator's override of the evidence rule, with the reason; null when none. */
  readonly evidenceOverride: {
    readonly reason: string;
    readonly byUserId: string | null;
    readonly byName: string;
    readonly at: string;
  } | null;
}

export interface RoundSnapshot {
  readonly id: string;
  readonly version: number;
  readonly snapshot: unknown;
  readonly reason: string;
  readonly createdBy: string;
  /** The name of who made this version, as the account is named now. */
  readonly createdByName: string;
  readonly createdAt: string;
}

/** One audited change of a target (from the audit log): for rebuilding older snapshots' targets. */
export interface TargetChangeRecord {
  readonly capabilityId: string;
  readonly before: Level | null;
  readonly after: Level;
  readonly at: string;
}

export interface CapabilityTarget {
  readonly capabilityId: string;
  readonly targetLevel: 1 | 2 | 3 | 4 | 5;
  readonly rationale: string;
  readonly setAt: string;
}

type Level = 1 | 2 | 3 | 4 | 5;

export class AssessmentStore extends ScopedStore {
  private requireActor(): string {
    if (this.actorUserId === null) throw new Error('This change needs a signed-in person');
    return this.actorUserId;
  }

  // ---- framework documents (shared, not per organisation: they are public) ----

  /** Keeps the exact framework a round was answered against, once per id and version. */
  async storeFrameworkDocument(
    frameworkId: string,
    version: string,
    document: unknown,
  ): Promise<void> {
    await this.db
      .insertInto('framework_documents')
      .values({
        framework_id: frameworkId,
        version,
        document: JSON.stringify(document),
        stored_at: nowIso(),
      })
      .onConflict((oc) => oc.columns(['framework_id', 'version']).doNothing())
      .execute();
  }

  async frameworkDocument(frameworkId: string, version: string): Promise<unknown> {
    const row = await this.db
      .selectFrom('framework_documents')
      .select('document')
      .where('framework_id', '=', frameworkId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? (JSON.parse(row.document) as unknown) : undefined;
  }

  // ---- rounds ----

  async rounds(): Promise<RoundSummary[]> {
    const rows = await this.db
      .selectFrom('assessment_rounds as r')
      .selectAll('r')
      .where('r.organisation_id', '=', this.organisationId)
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id')
      .execute();
    const counts = await this.db
      .selectFrom('responses')
      .select(['round_id', 'status'])
      .where('organisation_id', '=', this.organisationId)
      .where('revoked_at', 'is', null)
      .execute();
    return rows.map((r) => {
      const mine = counts.filter((c) => c.round_id === r.id);
      return {
        ...toRound(r),
        responses: mine.length,
        submitted: mine.filter((c) => c.status === 'submitted').length,
      };
    });
  }

  async round(id: string): Promise<Round | undefined> {
    const row = await this.db
      .selectFrom('assessment_rounds')
      .selectAll()
      .where('id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    if (!row) return undefined;
    const groups = await this.db
      .selectFrom('round_groups')
      .select(['id', 'name', 'position'])
      .where('round_id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .orderBy('position')
      .execute();
    return { ...toRound(row), groups };
  }

  async createRound(input: {
    scope: AssessmentScope;
    title: string;
    opensOn: string;
    closesOn: string;
    groups: readonly string[];
    minGroupSize: number;
    framework: { id: string; version: string; document: unknown };
  }): Promise<string> {
    const createdBy = this.requireActor();
    return this.tx(async (store) => {
      await store.storeFrameworkDocument(
        input.framework.id,
        input.framework.version,
        input.framework.document,
      );
      const id = newId();
      await store.db
        .insertInto('assessment_rounds')
        .values({
          id,
          organisation_id: store.organisationId,
          scope: input.scope,
          title: input.title,
          opens_on: input.opensOn,
          closes_on: input.closesOn,
          status: 'draft',
          framework_id: input.framework.id,
          framework_version: input.framework.version,
          min_group_size: input.minGroupSize,
          created_by: createdBy,
          created_at: nowIso(),
          opened_at: null,
          closed_at: null,
          finalised_at: null,
        })
        .execute();
      let position = 0;
      for (const name of input.groups) {
        await store.db
          .insertInto('round_groups')
          .values({
            id: newId(),
            organisation_id: store.organisationId,
            round_id: id,
            name,
            position: position++,
          })
          .execute();
      }
      await store.audit(store.db, {
        action: 'assessment.round_created',
        entityType: 'assessment_round',
        entityId: id,
        details: {
          title: input.title,
          scope: input.scope,
          groups: input.groups,
          framework: `${input.framework.id} ${input.framework.version}`,
        },
      });
      return id;
    });
  }

  /**
   * Changes a round's details and groups before it is finalised: rename or add groups at any time,
   * remove only groups nobody has answered in. Returns a problem in words, or undefined when saved.
   */
  async updateRound(
    id: string,
    input: {
      title: string;
      opensOn: string;
      closesOn: string;
      minGroupSize: number;
      renames: ReadonlyArray<{ groupId: string; name: string }>;
      removals: readonly string[];
      additions: readonly string[];
    },
  ): Promise<string | undefined> {
    return this.tx(async (store) => {
      const before = await store.round(id);
      if (!before) return 'No such round';
      if (before.status === 'finalised') return 'A finalised round cannot be changed';
      const responses = await store.responses(id);
      for (const groupId of input.removals) {
        if (responses.some((r) => r.groupId === groupId)) {
          const name = before.groups.find((g) => g.id === groupId)?.name ?? 'that group';
          return `${name} has respondents, so it cannot be removed`;
        }
      }
      const finalNames = [
        ...before.groups
          .filter((g) => !input.removals.includes(g.id))
          .map((g) => input.renames.find((r) => r.groupId === g.id)?.name ?? g.name),
        ...input.additions,
      ];
      if (finalNames.length === 0) return 'A round needs at least one group';
      const clash = groupNameClashes(finalNames)[0];
      if (clash) return clash.message;
      await store.db
        .updateTable('assessment_rounds')
        .set({
          title: input.title,
          opens_on: input.opensOn,
          closes_on: input.closesOn,
          min_group_size: input.minGroupSize,
        })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      for (const groupId of input.removals) {
        await store.db
          .deleteFrom('round_groups')
          .where('id', '=', groupId)
          .where('round_id', '=', id)
          .where('organisation_id', '=', store.organisationId)
          .execute();
      }
      // Renames go through temporary names so that swapping two names does not collide.
      const renames = input.renames.filter((r) =>
        before.groups.some((g) => g.id === r.groupId && g.name !== r.name),
      );
      for (const r of renames) {
        await store.db
          .updateTable('round_groups')
          .set({ name: `${r.groupId} (renaming)` })
          .where('id', '=', r.groupId)
          .where('organisation_id', '=', store.organisationId)
          .execute();
      }
      for (const r of renames) {
        await store.db
          .updateTable('round_groups')
          .set({ name: r.name })
          .where('id', '=', r.groupId)
          .where('organisation_id', '=', store.organisationId)
          .execute();
      }
      let position = Math.max(-1, ...before.groups.map((g) => g.position)) + 1;
      for (const name of input.additions) {
        await store.db
          .insertInto('round_groups')
          .values({
            id: newId(),
            organisation_id: store.organisationId,
            round_id: id,
            name,
            position: position++,
          })
          .execute();
      }
      const after = await store.round(id);
      await store.audit(store.db, {
        action: 'assessment.round_updated',
        entityType: 'assessment_round',
        entityId: id,
        details: {
          before: {
            title: before.title,
            opensOn: before.opensOn,
            closesOn: before.closesOn,
            minGroupSize: before.minGroupSize,
            groups: before.groups.map((g) => g.name),
          },
          after: {
            title: after?.title,
            opensOn: after?.opensOn,
            closesOn: after?.closesOn,
            minGroupSize: after?.minGroupSize,
            groups: after?.groups.map((g) => g.name),
          },
        },
      });
      return undefined;
    });
  }

  /** Moves a round from one of the allowed states to the next; false if it was not in one of them. */
  async changeStatus(
    id: string,
    from: readonly RoundStatus[],
    to: Exclude<RoundStatus, 'draft'>,
  ): Promise<boolean> {
    return this.tx(async (store) => {
      const now = nowIso();
      const result = await store.db
        .updateTable('assessment_rounds')
        .set({
          status: to,
          ...(to === 'open' ? { opened_at: now, closed_at: null } : {}),
          ...(to === 'closed' ? { closed_at: now } : {}),
          ...(to === 'finalised' ? { finalised_at: now } : {}),
        })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .where('status', 'in', [...from])
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await store.audit(store.db, {
        action: STATUS_ACTIONS[to],
        entityType: 'assessment_round',
        entityId: id,
      });
      return true;
    });
  }

  // ---- responses ----

  /** Responses with their group's name: one round's, or one response (never a whole round to find one). */
  private responseQuery() {
    return this.db
      .selectFrom('responses as r')
      .innerJoin('round_groups as g', 'g.id', 'r.group_id')
      .select([
        'r.id as id',
        'r.round_id as roundId',
        'r.group_id as groupId',
        'g.name as groupName',
        'r.user_id as userId',
        'r.link_token_hash as linkTokenHash',
        'r.label as label',
        'r.status as status',
        'r.created_at as createdAt',
        'r.updated_at as updatedAt',
        'r.submitted_at as submittedAt',
        'r.revoked_at as revokedAt',
      ])
      .where('r.organisation_id', '=', this.organisationId);
  }

  async responses(roundId: string): Promise<ResponseRecord[]> {
    const rows = await this.responseQuery()
      .where('r.round_id', '=', roundId)
      .orderBy('g.position')
      .orderBy('r.created_at')
      .orderBy('r.id')
      .execute();
    return rows.map(toResponseRecord);
  }

  async response(id: string): Promise<ResponseRecord | undefined> {
    const row = await this.responseQuery().where('r.id', '=', id).executeTakeFirst();
    return row && toResponseRecord(row);
  }

  async responseOfUser(roundId: string, userId: string): Promise<ResponseRecord | undefined> {
    const row = await this.responseQuery()
      .where('r.round_id', '=', roundId)
      .where('r.user_id', '=', userId)
      .where('r.revoked_at', 'is', null)
      .orderBy('g.position')
      .orderBy('r.created_at')
      .orderBy('r.id')
      .executeTakeFirst();
    return row && toResponseRecord(row);
  }

  async createResponse(input: {
    roundId: string;
    groupId: string;
    label: string;
    userId?: string;
    linkTokenHash?: string;
  }): Promise<string> {
    const createdBy = this.requireActor();
    return this.tx(async (store) => {
      const group = await store.db
        .selectFrom('round_groups')
        .select('id')
        .where('id', '=', input.groupId)
        .where('round_id', '=', input.roundId)
        .where('organisation_id', '=', store.organisationId)
        .executeTakeFirst();
      if (!group) throw new Error('That group is not part of this round');
      const id = newId();
      const now = nowIso();
      await store.db
        .insertInto('responses')
        .values({
          id,
          organisation_id: store.organisationId,
          round_id: input.roundId,
          group_id: input.groupId,
          user_id: input.userId ?? null,
          link_token_hash: input.linkTokenHash ?? null,
          label: input.label,
          status: 'not_started',
          created_by: createdBy,
          created_at: now,
          updated_at: now,
          submitted_at: null,
          revoked_at: null,
        })
        .execute();
      await store.audit(store.db, {
        action: input.linkTokenHash ? 'assessment.link_created' : 'assessment.respondent_added',
        entityType: 'response',
        entityId: id,
        details: { roundId: input.roundId, groupId: input.groupId, label: input.label },
      });
      return id;
    });
  }

  /**
   * Deletes a round that was never opened, with its groups and any links made for it, and records
   * what it was. Returns false, deleting nothing, when the round is not (or no longer) a draft.
   */
  async deleteDraftRound(id: string): Promise<boolean> {
    return this.tx(async (store) => {
      const round = await store.round(id);
      if (!round || round.status !== 'draft') return false;
      const responses = await store.responses(id);
      const responseIds = responses.map((r) => r.id);
      if (responseIds.length > 0) {
        await store.db
          .deleteFrom('answers')
          .where('organisation_id', '=', store.organisationId)
          .where('response_id', 'in', responseIds)
          .execute();
      }
      for (const table of [
        'responses',
        'round_groups',
        'agreed_ratings',
        'round_snapshots',
      ] as const) {
        await store.db
          .deleteFrom(table)
          .where('organisation_id', '=', store.organisationId)
          .where('round_id', '=', id)
          .execute();
      }
      const result = await store.db
        .deleteFrom('assessment_rounds')
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw new Error('The round changed while deleting');
      await store.audit(store.db, {
        action: 'assessment.round_deleted',
        entityType: 'assessment_round',
        entityId: id,
        details: {
          title: round.title,
          scope: round.scope,
          opensOn: round.opensOn,
          closesOn: round.closesOn,
          groups: round.groups.map((g) => g.name),
          linksWithdrawn: responses.length,
        },
      });
      return true;
    });
  }

  async revokeResponse(id: string): Promise<boolean> {
    return this.tx(async (store) => {
      const result = await store.db
        .updateTable('responses')
        .set({ revoked_at: nowIso() })
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .where('revoked_at', 'is', null)
        .where('status', '!=', 'submitted')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await store.audit(store.db, {
        action: 'assessment.response_revoked',
        entityType: 'response',
        entityId: id,
      });
      return true;
    });
  }

  /** Answers joined with their response's group: the columns every answer query reads. */
  private answerQuery() {
    return this.db
      .selectFrom('answers as a')
      .innerJoin('responses as r', 'r.id', 'a.response_id')
      .select([
        'a.response_id as responseId',
        'r.group_id as groupId',
        'a.capability_id as capabilityId',
        'a.level as level',
        'a.dont_know as dontKnow',
        'a.indicators_seen as indicatorsSeen',
        'a.evidence as evidence',
        'a.confidence as confidence',
        'a.updated_at as updatedAt',
      ]);
  }

  async answers(responseId: string): Promise<StoredAnswer[]> {
    const rows = await this.answerQuery()
      .where('a.response_id', '=', responseId)
      .where('a.organisation_id', '=', this.organisationId)
      .execute();
    return rows.map(toAnswer);
  }

  /** The answers of every submitted, unrevoked response of a round: what results are computed from. */
  async submittedAnswers(roundId: string): Promise<StoredAnswer[]> {
    const rows = await this.answerQuery()
      .where('r.round_id', '=', roundId)
      .where('a.organisation_id', '=', this.organisationId)
      .where('r.status', '=', 'submitted')
      .where('r.revoked_at', 'is', null)
      .orderBy('r.submitted_at')
      .orderBy('a.capability_id')
      .execute();
    return rows.map(toAnswer);
  }

  /** Saves one answer of a draft response (insert or replace), only while the round is open. */
  async saveAnswer(
    responseId: string,
    capabilityId: string,
    answer: AnswerInput,
  ): Promise<boolean> {
    return this.tx(async (store) => {
      const open = await store.db
        .selectFrom('responses as r')
        .innerJoin('assessment_rounds as ar', 'ar.id', 'r.round_id')
        .select('r.id')
        .where('r.id', '=', responseId)
        .where('r.organisation_id', '=', store.organisationId)
        .where('r.revoked_at', 'is', null)
        .where('r.status', '!=', 'submitted')
        .where('ar.status', '=', 'open')
        .executeTakeFirst();
      if (!open) return false;
      const now = nowIso();
      const values = {
        level: answer.dontKnow ? null : answer.level,
        dont_know: answer.dontKnow ? 1 : 0,
        indicators_seen: JSON.stringify([...new Set(answer.indicatorsSeen)]),
        evidence: answer.evidence,
        confidence: answer.confidence,
        updated_at: now,
      };
      await store.db
        .insertInto('answers')
        .values({
          id: newId(),
          organisation_id: store.organisationId,
          response_id: responseId,
          capability_id: capabilityId,
          ...values,
        })
        .onConflict((oc) => oc.columns(['response_id', 'capability_id']).doUpdateSet(values))
        .execute();
      await store.db
        .updateTable('responses')
        .set({ status: 'in_progress', updated_at: now })
        .where('id', '=', responseId)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      return true;
    });
  }

  /** Submits a response while its round is open; false if it is closed, revoked or already sent. */
  async submitResponse(responseId: string): Promise<boolean> {
    return this.tx(async (store) => {
      const open = await store.db
        .selectFrom('responses as r')
        .innerJoin('assessment_rounds as ar', 'ar.id', 'r.round_id')
        .select(['r.id', 'r.round_id'])
        .where('r.id', '=', responseId)
        .where('r.organisation_id', '=', store.organisationId)
        .where('r.revoked_at', 'is', null)
        .where('r.status', '!=', 'submitted')
        .where('ar.status', '=', 'open')
        .executeTakeFirst();
      if (!open) return false;
      const now = nowIso();
      await store.db
        .updateTable('responses')
        .set({ status: 'submitted', submitted_at: now, updated_at: now })
        .where('id', '=', responseId)
        .execute();
      await store.audit(store.db, {
        action: 'assessment.response_submitted',
        entityType: 'response',
        entityId: responseId,
        details: { roundId: open.round_id },
      });
      return true;
    });
  }

  // ---- moderation, snapshots and targets ----

  async agreedRatings(roundId: string): Promise<AgreedRating[]> {
    const rows = await this.db
      .selectFrom('agreed_ratings as a')
      .leftJoin('users as u', 'u.id', 'a.override_by')
      .selectAll('a')
      .select('u.name as override_by_name')
      .where('a.round_id', '=', roundId)
      .where('a.organisation_id', '=', this.organisationId)
      .execute();
    return rows.map((r) => ({
      capabilityId: r.capability_id,
      agreedLevel: Number(r.agreed_level) as Level,
      rationale: r.rationale,
      evidenceStrength: r.evidence_strength,
      recordedBy: r.recorded_by,
      recordedAt: r.recorded_at,
      evidenceOverride:
        r.override_reason === null
          ? null
          : {
              reason: r.override_reason,
              byUserId: r.override_by,
              byName: r.override_by_name ?? 'a former administrator',
              at: r.override_at ?? r.recorded_at,
            },
    }));
  }

  /**
   * Records the agreed level for a capability of a closed (not yet finalised) round. An override of
   * the evidence rule (already decided by the domain's `checkEvidenceRule` for an administrator) is
   * kept with its reason, and audited as an entry of its own.
   */
  async saveAgreedRating(
    roundId: string,
    input: {
      capabilityId: string;
      agreedLevel: Level;
      rationale: string;
      evidenceStrength: EvidenceStrength;
      overrideReason?: string;
    },
  ): Promise<boolean> {
    const recordedBy = this.requireActor();
    return this.tx(async (store) => {
      const round = await store.round(roundId);
      if (!round || round.status !== 'closed') return false;
      const now = nowIso();
      const override = input.overrideReason !== undefined && input.overrideReason !== '';
      const values = {
        agreed_level: input.agreedLevel,
        rationale: input.rationale,
        evidence_strength: input.evidenceStrength,
        recorded_by: recordedBy,
        recorded_at: now,
        override_reason: override ? (input.overrideReason ?? null) : null,
        override_by: override ? recordedBy : null,
        override_at: override ? now : null,
      };
      const before = (await store.agreedRatings(roundId)).find(
        (a) => a.capabilityId === input.capabilityId,
      );
      await store.db
        .insertInto('agreed_ratings')
        .values({
          id: newId(),
          organisation_id: store.organisationId,
          round_id: roundId,
          capability_id: input.capabilityId,
          ...values,
        })
        .onConflict((oc) => oc.columns(['round_id', 'capability_id']).doUpdateSet(values))
        .execute();
      await store.audit(store.db, {
        action: 'assessment.rating_agreed',
        entityType: 'assessment_round',
        entityId: roundId,
        details: {
          capabilityId: input.capabilityId,
          before: before ? { level: before.agreedLevel, evidence: before.evidenceStrength } : null,
          after: { level: input.agreedLevel, evidence: input.evidenceStrength },
          rationale: input.rationale,
          ...(override ? { evidenceRuleOverride: input.overrideReason } : {}),
        },
      });
      if (override) {
        await store.audit(store.db, {
          action: 'assessment.evidence_rule_overridden',
          entityType: 'assessment_round',
          entityId: roundId,
          details: {
            capabilityId: input.capabilityId,
            level: input.agreedLevel,
            evidence: input.evidenceStrength,
            reason: input.overrideReason,
          },
        });
      }
      return true;
    });
  }

  async snapshots(roundId: string): Promise<RoundSnapshot[]> {
    const rows = await this.db
      .selectFrom('round_snapshots as s')
      .leftJoin('users as u', 'u.id', 's.created_by')
      .selectAll('s')
      .select('u.name as created_by_name')
      .where('s.round_id', '=', roundId)
      .where('s.organisation_id', '=', this.organisationId)
      .orderBy('s.version')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      version: Number(r.version),
      snapshot: JSON.parse(r.snapshot) as unknown,
      reason: r.reason,
      createdBy: r.created_by,
      createdByName: r.created_by_name ?? 'a former member',
      createdAt: r.created_at,
    }));
  }

  /** Every audited change of a target, oldest first (what `setTarget` recorded). */
  async targetHistory(): Promise<TargetChangeRecord[]> {
    const rows = await this.db
      .selectFrom('audit_events')
      .select(['entity_id', 'details', 'at'])
      .where('organisation_id', '=', this.organisationId)
      .where('action', '=', 'assessment.target_set')
      .orderBy('id')
      .execute();
    const changes: TargetChangeRecord[] = [];
    for (const r of rows) {
      const details = JSON.parse(r.details) as { before?: unknown; after?: unknown };
      const after = Number(details.after);
      if (r.entity_id === null || !Number.isInteger(after) || after < 1 || after > 5) continue;
      const before = details.before === null ? null : Number(details.before);
      changes.push({
        capabilityId: r.entity_id,
        before: before === null || !Number.isInteger(before) ? null : (before as Level),
        after: after as Level,
        at: r.at,
      });
    }
    return changes;
  }

  /**
   * Finalises a closed round into version 1 of its snapshot, or adds a correction as the next
   * version of a finalised one. Snapshots are never changed once written.
   */
  async addSnapshot(
    roundId: string,
    snapshot: unknown,
    reason: string,
  ): Promise<number | undefined> {
    const createdBy = this.requireActor();
    return this.tx(async (store) => {
      const round = await store.round(roundId);
      if (!round || (round.status !== 'closed' && round.status !== 'finalised')) return undefined;
      const existing = await store.snapshots(roundId);
      if (round.status === 'closed' && existing.length > 0) return undefined;
      const version = (existing.at(-1)?.version ?? 0) + 1;
      await store.db
        .insertInto('round_snapshots')
        .values({
          id: newId(),
          organisation_id: store.organisationId,
          round_id: roundId,
          version,
          snapshot: JSON.stringify(snapshot),
          reason,
          created_by: createdBy,
          created_at: nowIso(),
        })
        .execute();
      if (round.status === 'closed') {
        await store.db
          .updateTable('assessment_rounds')
          .set({ status: 'finalised', finalised_at: nowIso() })
          .where('id', '=', roundId)
          .where('organisation_id', '=', store.organisationId)
          .execute();
      }
      await store.audit(store.db, {
        action: version === 1 ? 'assessment.round_finalised' : 'assessment.round_corrected',
        entityType: 'assessment_round',
        entityId: roundId,
        details: { version, reason },
      });
      return version;
    });
  }

  async targets(): Promise<CapabilityTarget[]> {
    const rows = await this.db
      .selectFrom('capability_targets')
      .selectAll()
      .where('organisation_id', '=', this.organisationId)
      .execute();
    return rows.map((r) => ({
      capabilityId: r.capability_id,
      targetLevel: r.target_level as Level,
      rationale: r.rationale,
      setAt: r.set_at,
    }));
  }

  async setTarget(capabilityId: string, targetLevel: Level, rationale: string): Promise<void> {
    const setBy = this.requireActor();
    await this.tx(async (store) => {
      const before = (await store.targets()).find((t) => t.capabilityId === capabilityId);
      const values = { target_level: targetLevel, rationale, set_by: setBy, set_at: nowIso() };
      await store.db
        .insertInto('capability_targets')
        .values({
          id: newId(),
          organisation_id: store.organisationId,
          capability_id: capabilityId,
          ...values,
        })
        .onConflict((oc) => oc.columns(['organisation_id', 'capability_id']).doUpdateSet(values))
        .execute();
      await store.audit(store.db, {
        action: 'assessment.target_set',
        entityType: 'capability_target',
        entityId: capabilityId,
        details: { before: before?.targetLevel ?? null, after: targetLevel, rationale },
      });
    });
  }
}

function toRound(r: {
  id: string;
  scope: AssessmentScope;
  title: string;
  opens_on: string;
  closes_on: string;
  status: RoundStatus;
  framework_id: string;
  framework_version: string;
  min_group_size: number;
  created_at: string;
  opened_at: string | null;
  closed_at: string | null;
  finalised_at: string | null;
}): Omit<Round, 'groups'> {
  return {
    id: r.id,
    scope: r.scope,
    title: r.title,
    opensOn: r.opens_on,
    closesOn: r.closes_on,
    status: r.status,
    frameworkId: r.framework_id,
    frameworkVersion: r.framework_version,
    minGroupSize: Number(r.min_group_size),
    createdAt: r.created_at,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    finalisedAt: r.finalised_at,
  };
}

function toAnswer(r: {
  responseId: string;
  groupId: string;
  capabilityId: string;
  level: number | null;
  dontKnow: number;
  indicatorsSeen: string;
  evidence: string;
  confidence: Confidence | null;
  updatedAt: string;
}): StoredAnswer {
  return {
    responseId: r.responseId,
    groupId: r.groupId,
    capabilityId: r.capabilityId,
    level: r.level === null ? null : (Number(r.level) as Level),
    dontKnow: Number(r.dontKnow) === 1,
    indicatorsSeen: JSON.parse(r.indicatorsSeen) as string[],
    evidence: r.evidence,
    confidence: r.confidence,
    updatedAt: r.updatedAt,
  };
}

function toResponseRecord({
  linkTokenHash,
  ...r
}: Omit<ResponseRecord, 'viaLink'> & { linkTokenHash: string | null }): ResponseRecord {
  return { ...r, viaLink: linkTokenHash !== null };
}
