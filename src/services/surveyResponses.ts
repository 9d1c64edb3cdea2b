// Assessment answers collected in an organisation's own survey tool, recorded through the API as
// one submitted response: the round must be open, the group one of the round's, the answers those
// the question pages would accept (domain/assessment/surveyAnswers.ts), and the respondent's
// reference new in the round, so a retried request never counts twice. The response, its answers
// and its submission are written in one transaction — all of it or nothing — and audited as a
// respondent added and a response sent.
import {
  checkSurveyAnswers,
  type AnswerIssue,
  type CheckedAnswer,
  type SurveyAnswer,
} from '../domain/assessment/surveyAnswers.ts';
import { capabilitiesByScope } from '../domain/framework/index.ts';
import type { OrgScope } from '../storage/index.ts';
import type { FrameworkRegistry } from './frameworks.ts';

export interface SurveyResponseInput {
  readonly groupId: string;
  /** How the respondent is named in the round: the survey tool's own reference, say. */
  readonly respondent: string;
  readonly answers: readonly SurveyAnswer[];
}

export type SurveyResponseOutcome =
  | { readonly ok: true; readonly responseId: string }
  | {
      readonly ok: false;
      readonly status: 400 | 404 | 409;
      readonly error: string;
      readonly message: string;
      readonly issues?: readonly AnswerIssue[];
      readonly responseId?: string;
    };

export async function recordSurveyResponse(
  scope: OrgScope,
  frameworks: FrameworkRegistry,
  roundId: string,
  input: SurveyResponseInput,
): Promise<SurveyResponseOutcome> {
  const round = await scope.assessments.round(roundId);
  if (!round)
    return {
      ok: false,
      status: 404,
      error: 'not_found',
      message: 'No such round in your organisation',
    };
  if (round.status !== 'open')
    return {
      ok: false,
      status: 409,
      error: 'round_not_open',
      message: `The round is ${round.status}; answers are taken only while it is open`,
    };
  if (!round.groups.some((g) => g.id === input.groupId))
    return {
      ok: false,
      status: 400,
      error: 'invalid_group',
      message: 'That group is not one of this round’s',
      issues: [
        {
          path: 'groupId',
          message: `Use one of the round’s groups: ${round.groups.map((g) => `${g.name} (${g.id})`).join(', ')}`,
        },
      ],
    };
  const framework = await frameworks.forRound(scope, round);
  const checked = checkSurveyAnswers(capabilitiesByScope(framework, round.scope), input.answers);
  if (!checked.ok)
    return {
      ok: false,
      status: 400,
      error: 'invalid_answers',
      message: 'The answers have problems; nothing was stored',
      issues: checked.issues,
    };
  const respondent = input.respondent.trim();
  try {
    return await record(scope, round.id, input.groupId, respondent, checked.answers);
  } catch (error) {
    if (!(error instanceof RoundClosedError)) throw error;
    return {
      ok: false,
      status: 409,
      error: 'round_not_open',
      message: 'The round closed while the answers were being recorded; nothing was stored',
    };
  }
}

class RoundClosedError extends Error {}

function record(
  scope: OrgScope,
  roundId: string,
  groupId: string,
  respondent: string,
  answers: readonly CheckedAnswer[],
): Promise<SurveyResponseOutcome> {
  return scope.transaction(async (tx) => {
    const earlier = (await tx.assessments.responses(roundId)).find(
      (r) => r.label === respondent && r.revokedAt === null,
    );
    if (earlier)
      return {
        ok: false,
        status: 409,
        error: 'duplicate_response',
        message: `The round already has a response from "${respondent}"; withdraw it on the round’s page before sending it again`,
        responseId: earlier.id,
      } as const;
    const responseId = await tx.assessments.createResponse({
      roundId,
      groupId,
      label: respondent,
    });
    for (const answer of answers)
      if (!(await tx.assessments.saveAnswer(responseId, answer.capabilityId, answer)))
        throw new RoundClosedError();
    if (!(await tx.assessments.submitResponse(responseId))) throw new RoundClosedError();
    return { ok: true, responseId } as const;
  });
}
