// Builders for the assessment tests: answers from lists of levels, so expectations stay hand-checkable.
import type { Answer, Confidence, Level } from './types.ts';

let counter = 0;

/** One answer per entry of `levels` (null = don't know), all in `groupId`, for `capabilityId`. */
export function answersFor(
  capabilityId: string,
  groupId: string,
  levels: readonly (Level | null)[],
  extra: { indicatorsSeen?: readonly string[]; evidence?: string; confidence?: Confidence } = {},
): Answer[] {
  return levels.map((level) => {
    counter += 1;
    return {
      responseId: `response-${counter}`,
      groupId,
      capabilityId,
      level,
      indicatorsSeen: extra.indicatorsSeen ?? [],
      evidence: extra.evidence ?? '',
      confidence: extra.confidence ?? null,
    };
  });
}
