// One source of a capability's level (paper section 3, Tables 1–5): the level agreed in moderation
// where there is one, else the respondents' consensus (the median, rounded towards the weaker
// level). Every surface that states an organisation's level, and the readiness gate of an AI
// initiative, reads it from here, so a moderated level is never silently replaced by the median.
import type { AgreedLevel } from './moderation.ts';
import type { CapabilityResult, Level } from './types.ts';
import { levelWithName } from './words.ts';

export interface EffectiveLevel {
  readonly capabilityId: string;
  /** The level to act on: agreed if agreed, else the consensus; null when nobody gave a level. */
  readonly level: Level | null;
  readonly source: 'agreed' | 'median' | 'none';
  /** The respondents' consensus, shown beside an agreed level ("agreed 4, median 3"). */
  readonly median: Level | null;
}

/** Only what the rule reads, so that stored snapshots and the readiness check can use it too. */
export interface LevelsInput {
  readonly results: readonly Pick<CapabilityResult, 'capabilityId' | 'consensus'>[];
}

export function effectiveLevels<A extends Pick<AgreedLevel, 'capabilityId' | 'agreedLevel'>>(
  summary: LevelsInput,
  agreed: readonly A[],
): EffectiveLevel[] {
  const byCapability = new Map(agreed.map((a) => [a.capabilityId, a.agreedLevel]));
  return summary.results.map((r) => {
    const agreedLevel = byCapability.get(r.capabilityId);
    if (agreedLevel !== undefined) {
      return {
        capabilityId: r.capabilityId,
        level: agreedLevel,
        source: 'agreed',
        median: r.consensus,
      };
    }
    return {
      capabilityId: r.capabilityId,
      level: r.consensus,
      source: r.consensus === null ? 'none' : 'median',
      median: r.consensus,
    };
  });
}

/** The effective level of each capability by id, for surfaces that look one up at a time. */
export function effectiveLevelsById<A extends Pick<AgreedLevel, 'capabilityId' | 'agreedLevel'>>(
  summary: LevelsInput,
  agreed: readonly A[],
): Map<string, EffectiveLevel> {
  return new Map(effectiveLevels(summary, agreed).map((e) => [e.capabilityId, e]));
}

/**
 * The level in words, saying where it comes from: "agreed 4 Needs Improvement, median 3 Adequate"
 * where moderation moved it, "agreed 3 Adequate, as the median" where it did not, "median 3 Adequate"
 * where nothing was agreed, and `none` when nobody gave a level.
 */
export function effectiveLevelText(level: EffectiveLevel, none = 'No ratings'): string {
  if (level.level === null) return none;
  if (level.source === 'median') return `median ${levelWithName(level.level)}`;
  if (level.median === null) return `agreed ${levelWithName(level.level)}, no median`;
  if (level.median === level.level) return `agreed ${levelWithName(level.level)}, as the median`;
  return `agreed ${levelWithName(level.level)}, median ${levelWithName(level.median)}`;
}
