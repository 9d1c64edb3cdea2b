// The CSV of individual responses (issue 3, point 9): one row per respondent and capability, for
// the lead's own analysis. Invitation tokens never appear; respondents are numbered rather than
// named unless the lead chooses to include identities.
import { getCapability, levelName, type Framework } from '../framework/index.ts';
import { csvField } from './exports.ts';
import type { Answer } from './types.ts';

export interface ResponseRow {
  readonly responseId: string;
  readonly groupName: string;
  /** The respondent's name (members) or the link's label; used only with identities. */
  readonly label: string;
  readonly submittedAt: string | null;
  readonly answers: readonly Answer[];
}

export const RESPONSE_CSV_COLUMNS = [
  'Respondent',
  'Group',
  'Sent',
  'Capability number',
  'Capability',
  'Level',
  'Level name',
  "Don't know",
  'Indicators seen',
  'Evidence',
  'Confidence',
] as const;

export function responsesToCsv(
  framework: Framework,
  responses: readonly ResponseRow[],
  options: { readonly identities: boolean },
): string {
  const lines = [RESPONSE_CSV_COLUMNS.map(csvField).join(',')];
  responses.forEach((response, index) => {
    const who = options.identities ? response.label : `Respondent ${index + 1}`;
    const byCapability = new Map(response.answers.map((a) => [a.capabilityId, a]));
    for (const capability of framework.capabilities) {
      const answer = byCapability.get(capability.id);
      if (!answer) continue;
      lines.push(
        [
          who,
          response.groupName,
          response.submittedAt ?? '',
          capability.number,
          getCapability(framework, capability.id)?.name ?? capability.id,
          answer.level ?? '',
          answer.level === null ? '' : levelName(answer.level),
          answer.level === null ? 'yes' : 'no',
          answer.indicatorsSeen.join('; '),
          answer.evidence,
          answer.confidence ?? '',
        ]
          .map(csvField)
          .join(','),
      );
    }
  });
  return lines.join('\r\n') + '\r\n';
}
