// The organisation's capability levels as the readiness check reads them: for each capability the
// level agreed in moderation where there is one, else the respondents' median (the consensus). A
// moderated level is the organisation's considered view with a rationale and evidence, so it wins
// over the raw median; this is the same choice the assessment's own roadmap makes
// (`capabilityRoadmap`). A capability nobody rated and nobody agreed gets no level at all.
import type { AgreedLevel } from '../assessment/moderation.ts';
import type { CapabilityResult } from '../assessment/types.ts';
import type { CapabilityLevel } from '../initiatives/types.ts';

export function capabilityLevels(
  results: readonly Pick<CapabilityResult, 'capabilityId' | 'consensus'>[],
  agreed: readonly Pick<AgreedLevel, 'capabilityId' | 'agreedLevel'>[] = [],
): CapabilityLevel[] {
  const agreedById = new Map(agreed.map((entry) => [entry.capabilityId, entry.agreedLevel]));
  return results.flatMap((result): CapabilityLevel[] => {
    const agreedLevel = agreedById.get(result.capabilityId);
    if (agreedLevel !== undefined) {
      return [{ capabilityId: result.capabilityId, level: agreedLevel, source: 'agreed' }];
    }
    return result.consensus === null
      ? []
      : [{ capabilityId: result.capabilityId, level: result.consensus, source: 'median' }];
  });
}
