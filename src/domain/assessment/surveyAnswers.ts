// A respondent's answers collected in an organisation's own survey tool and sent through the API:
// the same rules as answering on the question pages (respond.ts), checked all at once so a survey
// tool learns every problem in one answer. Every capability of the round answered exactly once —
// a level 1 (Outstanding) … 5 (Inadequate), or "don't know"; a confidence with every level; evidence
// of at most 5,000 characters; indicators only those the capability has. Pure: no storage.
import type { Capability, MaturityLevel } from '../framework/index.ts';

export const EVIDENCE_MAX = 5000;

export interface SurveyAnswer {
  readonly capabilityId: string;
  readonly level: MaturityLevel | 'dont-know';
  readonly confidence?: 'low' | 'medium' | 'high' | undefined;
  readonly evidence?: string | undefined;
  readonly indicators?: readonly string[] | undefined;
}

export interface CheckedAnswer {
  readonly capabilityId: string;
  readonly level: MaturityLevel | null;
  readonly dontKnow: boolean;
  readonly indicatorsSeen: readonly string[];
  readonly evidence: string;
  readonly confidence: 'low' | 'medium' | 'high' | null;
}

export interface AnswerIssue {
  readonly path: string;
  readonly message: string;
}

export function checkSurveyAnswers(
  capabilities: readonly Capability[],
  answers: readonly SurveyAnswer[],
): { ok: true; answers: CheckedAnswer[] } | { ok: false; issues: AnswerIssue[] } {
  const issues: AnswerIssue[] = [];
  const byId = new Map(capabilities.map((c) => [c.id, c]));
  const seen = new Set<string>();
  const checked: CheckedAnswer[] = [];
  for (const [i, answer] of answers.entries()) {
    const path = `answers.${i}`;
    const capability = byId.get(answer.capabilityId);
    if (!capability) {
      issues.push({
        path: `${path}.capabilityId`,
        message: `"${answer.capabilityId}" is not a capability this round asks about`,
      });
      continue;
    }
    if (seen.has(capability.id)) {
      issues.push({
        path: `${path}.capabilityId`,
        message: `${capability.name} is answered more than once`,
      });
      continue;
    }
    seen.add(capability.id);
    const dontKnow = answer.level === 'dont-know';
    if (!dontKnow && answer.confidence === undefined)
      issues.push({
        path: `${path}.confidence`,
        message: `Say how confident the respondent is in their answer for ${capability.name}`,
      });
    const evidence = (answer.evidence ?? '').trim();
    if (evidence.length > EVIDENCE_MAX)
      issues.push({
        path: `${path}.evidence`,
        message: `Evidence for ${capability.name} must be ${EVIDENCE_MAX.toLocaleString('en-GB')} characters or fewer`,
      });
    const known = new Set(capability.levels.flatMap((l) => l.indicators.map((x) => x.id)));
    const unknown = (answer.indicators ?? []).filter((id) => !known.has(id));
    if (unknown.length > 0)
      issues.push({
        path: `${path}.indicators`,
        message: `${capability.name} has no indicator ${unknown.map((u) => `"${u}"`).join(', ')}`,
      });
    checked.push({
      capabilityId: capability.id,
      level: dontKnow ? null : (answer.level as MaturityLevel),
      dontKnow,
      indicatorsSeen: [...new Set(answer.indicators ?? [])],
      evidence,
      confidence: answer.confidence ?? null,
    });
  }
  for (const capability of capabilities)
    if (!seen.has(capability.id))
      issues.push({
        path: 'answers',
        message: `Answer ${capability.name} (${capability.id}); "dont-know" is an answer`,
      });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, answers: checked };
}
