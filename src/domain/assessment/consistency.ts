// A gentle check while answering (issue 3, point 3): when the best-fit level a respondent chose is far
// from the levels of the indicators they ticked, say so and let them decide. The paper asks for a
// "flexible diagnostic tool, not a rigid checklist" (section 3), so this never blocks an answer.
import { findIndicator, getCapability } from '../framework/index.ts';
import type { Framework } from '../framework/index.ts';
import type { Level } from './types.ts';
import { levelWithName, plural } from './words.ts';

/** A level holding more than half of the ticked indicators this far from the chosen level is questioned. */
export const CONSISTENCY_MAJORITY_DISTANCE = 2;
/** Any ticked indicator this far from the chosen level is questioned (e.g. 5 Inadequate beside 1 Outstanding, or 4 beside 1). */
export const CONSISTENCY_FAR_DISTANCE = 3;

const CLOSING = 'You can keep your answer or change it.';

/**
 * Undefined when the answer looks consistent (or there is nothing to compare), otherwise one message.
 * Ticks for other capabilities or unknown ids are ignored. A "don't know" (null) is never questioned.
 */
export function checkAnswerConsistency(
  framework: Framework,
  capabilityId: string,
  level: Level | null,
  indicatorsSeen: readonly string[],
): string | undefined {
  if (level === null || !getCapability(framework, capabilityId)) return undefined;
  const counts = new Map<Level, number>();
  let total = 0;
  for (const id of new Set(indicatorsSeen)) {
    const found = findIndicator(framework, id);
    if (!found || found.capability.id !== capabilityId) continue;
    counts.set(found.level, (counts.get(found.level) ?? 0) + 1);
    total += 1;
  }
  if (total === 0) return undefined;

  // Rule 1: most of what was ticked sits at one level, two or more away from the chosen level.
  for (const [seenLevel, count] of counts) {
    if (count * 2 > total && Math.abs(seenLevel - level) >= CONSISTENCY_MAJORITY_DISTANCE) {
      return `You chose ${levelWithName(level)}, but most of what you said you see is described at ${levelWithName(seenLevel)}. ${CLOSING}`;
    }
  }
  // Rule 2: something ticked is described three or more levels away; the farthest is named.
  let farthest: Level | undefined;
  for (const seenLevel of counts.keys()) {
    const distance = Math.abs(seenLevel - level);
    if (
      distance >= CONSISTENCY_FAR_DISTANCE &&
      (farthest === undefined || distance > Math.abs(farthest - level))
    ) {
      farthest = seenLevel;
    }
  }
  if (farthest !== undefined) {
    const count = counts.get(farthest) ?? 0;
    return `You chose ${levelWithName(level)}, but you also said you see ${plural(count, 'thing')} described at ${levelWithName(farthest)}. ${CLOSING}`;
  }
  return undefined;
}
