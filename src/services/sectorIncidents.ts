// Incident and near-miss reporting, put together (issue 15, point 6; paper section 4.4): the rule
// in force for a report (the institution's latest version, or the built-in version 0), triage with
// the decision aid and the threshold for independent review, and a closed report turned into a
// lesson in the organisation's lessons repository — shared with the sector's exchange when the
// member agrees. The reporter is never part of what this returns.
import type { Lesson } from '../domain/initiatives/lessons.ts';
import { lessonIndex } from '../domain/initiatives/lessons.ts';
import type { Ambition, CompetencyId } from '../domain/initiatives/types.ts';
import type { EvaluationOutcome } from '../domain/initiatives/evaluation.ts';
import {
  CLASS_WORDS,
  DEFAULT_REVIEW_RULE,
  INCIDENT_KIND_WORDS,
  SEVERITY_WORDS,
  exchangeSearchText,
  isJustCultureClass,
  isSeverity,
  parseStoredRule,
  reviewDecision,
  triage,
  answersOnPath,
  type ReviewRule,
  type TriageAnswers,
} from '../domain/sector/index.ts';
import type { OrgScope, StoredIncident } from '../storage/index.ts';

export interface RuleInForce {
  readonly version: number;
  readonly rule: ReviewRule;
  readonly publishedAt: string | null;
}

/** The rule an institution has in force (version 0: the built-in rule, until it publishes one). */
export async function ruleInForce(scope: OrgScope, institutionId: string): Promise<RuleInForce> {
  const stored = await scope.sectorIncidents.rule(institutionId);
  return stored
    ? { version: stored.version, rule: parseStoredRule(stored.rule), publishedAt: stored.createdAt }
    : { version: 0, rule: DEFAULT_REVIEW_RULE, publishedAt: null };
}

/** A version of an institution's rule, as a report was judged by it. */
export async function ruleVersion(
  scope: OrgScope,
  institutionId: string,
  version: number,
): Promise<ReviewRule> {
  if (version === 0) return DEFAULT_REVIEW_RULE;
  const stored = await scope.sectorIncidents.rule(institutionId, version);
  return stored ? parseStoredRule(stored.rule) : DEFAULT_REVIEW_RULE;
}

const daysBefore = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

export type TriageResult =
  | { readonly ok: true; readonly refer: boolean; readonly reasons: readonly string[] }
  | { readonly ok: false; readonly reason: 'undecided' | 'gone' };

/**
 * Triages a report: the class follows from the answers on the decision aid's path; the rule in
 * force decides independent review, counting reports about the same system in its window.
 */
export async function triageIncident(
  scope: OrgScope,
  incident: StoredIncident,
  answers: TriageAnswers,
  followUp: string,
): Promise<TriageResult> {
  const outcome = triage(answers);
  if (outcome.class === null) return { ok: false, reason: 'undecided' };
  const { version, rule } = await ruleInForce(scope, incident.institutionId);
  const sameSystem = await scope.sectorIncidents.countSameSystem(
    incident.systemKey,
    daysBefore(incident.occurredOn, rule.windowDays),
  );
  const decision = reviewDecision(rule, {
    harmToPublic: incident.harmToPublic,
    severity: isSeverity(incident.severity) ? incident.severity : 1,
    sameSystemInWindow: sameSystem,
    class: outcome.class,
  });
  const saved = await scope.sectorIncidents.triage(incident.id, {
    answers: answersOnPath(answers) as Record<string, boolean>,
    class: outcome.class,
    classLabel: CLASS_WORDS[outcome.class].label,
    followUp,
    ruleVersion: version,
    refer: decision.refer,
    reasons: decision.reasons,
  });
  return saved
    ? { ok: true, refer: decision.refer, reasons: decision.reasons }
    : { ok: false, reason: 'gone' };
}

/** The lesson a closed report becomes: the report's words, the triage and its follow-up. */
export function lessonFromIncident(
  incident: StoredIncident,
  extra: {
    readonly whatWeWouldDoDifferently: string;
    readonly ambition: Ambition;
    readonly outcome: EvaluationOutcome;
  },
): Lesson {
  const cls = isJustCultureClass(incident.class) ? CLASS_WORDS[incident.class] : null;
  const kind = INCIDENT_KIND_WORDS[incident.kind];
  const severity = isSeverity(incident.severity) ? SEVERITY_WORDS[incident.severity].label : '';
  return {
    title: `${kind}: ${incident.title}`.slice(0, 200),
    initiativeId: null,
    initiativeTitle: incident.systemName,
    competency: incident.competency as CompetencyId,
    capabilityIds: ['managing-risk', 'organisational-learning'],
    ambition: extra.ambition,
    outcome: extra.outcome,
    whatHappened: incident.whatHappened,
    whatWeLearned: [
      cls ? `Triaged as ${cls.label.toLowerCase()}: ${cls.response.toLowerCase()}.` : '',
      incident.followUp ?? '',
      incident.closingNote ?? '',
    ]
      .filter((s) => s.trim() !== '')
      .join('\n\n'),
    whatWeWouldDoDifferently: extra.whatWeWouldDoDifferently,
    evidence: [
      `${kind} reported on ${incident.reportedOn}; severity ${severity}${incident.harmToPublic ? '; harm reached the public' : ''}.`,
    ],
    tags: [
      incident.kind === 'near_miss' ? 'near-miss' : 'incident',
      ...(incident.class ? [incident.class.replace(/_/g, '-')] : []),
    ],
  };
}

/**
 * Keeps a closed report as a lesson in the organisation's repository and, when the member agrees,
 * publishes it to the institution's exchange under the organisation's name (never the reporter's).
 */
export async function incidentToLesson(
  scope: OrgScope,
  incident: StoredIncident,
  lesson: Lesson,
  share: boolean,
): Promise<{ lessonId: string; exchangeItemId: string | null }> {
  return scope.transaction(async (tx) => {
    const lessonId = await tx.initiatives.createLesson(lessonIndex(lesson), {
      ...lesson,
      evaluationId: null,
    });
    let exchangeItemId: string | null = null;
    if (share) {
      const body = {
        whatHappened: lesson.whatHappened,
        whatWeLearned: lesson.whatWeLearned,
        whatWeWouldDoDifferently: lesson.whatWeWouldDoDifferently,
      };
      const draft = {
        kind: 'lesson' as const,
        title: lesson.title,
        capabilityId: 'managing-risk',
        body,
      };
      exchangeItemId =
        (await tx.sectorExchange.publish(incident.institutionId, {
          ...draft,
          searchText: exchangeSearchText(draft, 'Managing risk'),
        })) ?? null;
    }
    await tx.sectorIncidents.linkLesson(incident.id, lessonId, exchangeItemId);
    return { lessonId, exchangeItemId };
  });
}
