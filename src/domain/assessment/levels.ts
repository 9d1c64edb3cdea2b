// One source of a capability's level (paper section 3, Tables 1–5): the level agreed in moderation
// where there is one, else the respondents' consensus (the median, rounded towards the weaker
// level). Every surface that states an organisation's level, and the readiness gate of an AI
// initiative, reads it from here, so a moderated level is never silently replaced by the median.
import type { AgreedLevel } from './moderation.ts';
import type { Level, RoundSummary } from './types.ts';

export interface EffectiveLevel {
  readonly capabilityId: string;
  /** The level to act on: agreed if agreed, else the consensus; null when nobody gave a level. */
  readonly level: Level | null;
  readonly source: 'agreed' | 'median' | 'none';
  /** The respondents' consensus, shown beside an agreed level ("agreed 4, median 3"). */
  readonly median: Level | null;
}

export function effectiveLevels(
  summary: RoundSummary,
  agreed: readonly AgreedLevel[],
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
