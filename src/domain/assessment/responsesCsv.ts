// The CSV of individual responses (issue 3, point 9; issue 12, point 2): one row per respondent and
// capability, for the lead's own analysis. Invitation tokens never appear. By default respondents
// are numbered, not named, and nothing in the file can tie a row to a person the results hide:
//  - a group's label appears only for a group shown on every capability that shows figures; every
//    other respondent is labelled HIDDEN_GROUPS_LABEL, one bucket for all such groups (global
//    recoding, as agencies do for microdata: a marker per group would still single the group out),
//    and the bucket itself holds no fewer than the minimum group size (disclosure.ts);
//  - the time each response was sent is left out, since it could be matched with who sent when;
//  - rows are ordered by group label and then by the answers themselves, not in the order people
//    were invited or answered, so the numbering follows no one's identity.
// Names (`identities`) are for admins only, with a warning and an audit entry (the routes' job).
import { getCapability, levelName, type Framework } from '../framework/index.ts';
import { HIDDEN_GROUPS_LABEL, labelledGroups } from './disclosure.ts';
import { csvField } from './exports.ts';
import type { Answer, CapabilityResult } from './types.ts';

export interface ResponseRow {
  readonly responseId: string;
  readonly groupId: string;
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

export interface ResponsesCsvOptions {
  /** Names and the time sent, for admins only. */
  readonly identities: boolean;
  /** The round's results, after disclosure control: which groups are shown where. */
  readonly results: readonly CapabilityResult[];
  readonly minGroupSize: number;
}

/**
 * The groups whose label may stand beside individual answers: shown (after disclosure control) on
 * every capability that shows figures, with the combined bucket of the others large enough.
 */
export function responseGroupLabels(
  responses: readonly Pick<ResponseRow, 'groupId'>[],
  results: readonly CapabilityResult[],
  minGroupSize: number,
): Set<string> {
  const counts = new Map<string, number>();
  for (const r of responses) counts.set(r.groupId, (counts.get(r.groupId) ?? 0) + 1);
  const shownEverywhere = new Set(
    [...counts.keys()].filter((groupId) =>
      results
        .filter((result) => result.shown)
        .every((result) => result.groups.some((g) => g.groupId === groupId && !g.hidden)),
    ),
  );
  return labelledGroups(minGroupSize, counts, responses.length, shownEverywhere);
}

function fingerprint(response: ResponseRow): string {
  return JSON.stringify(
    [...response.answers]
      .sort((a, b) => a.capabilityId.localeCompare(b.capabilityId))
      .map((a) => [a.capabilityId, a.level, a.confidence, a.indicatorsSeen, a.evidence]),
  );
}

export function responsesToCsv(
  framework: Framework,
  responses: readonly ResponseRow[],
  options: ResponsesCsvOptions,
): string {
  const labelled = responseGroupLabels(responses, options.results, options.minGroupSize);
  const groupOf = (r: ResponseRow) => (labelled.has(r.groupId) ? r.groupName : HIDDEN_GROUPS_LABEL);
  const ordered = options.identities
    ? responses
    : [...responses]
        .map((r) => ({ r, group: groupOf(r), key: fingerprint(r) }))
        .sort((a, b) => a.group.localeCompare(b.group) || a.key.localeCompare(b.key))
        .map(({ r }) => r);
  const lines = [RESPONSE_CSV_COLUMNS.map(csvField).join(',')];
  ordered.forEach((response, index) => {
    const who = options.identities ? response.label : `Respondent ${index + 1}`;
    const byCapability = new Map(response.answers.map((a) => [a.capabilityId, a]));
    for (const capability of framework.capabilities) {
      const answer = byCapability.get(capability.id);
      if (!answer) continue;
      lines.push(
        [
          who,
          groupOf(response),
          options.identities ? (response.submittedAt ?? '') : '',
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
