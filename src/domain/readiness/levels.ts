// The organisation's capability levels as the readiness check reads them: the assessment's one rule
// (`effectiveLevels`, src/domain/assessment/levels.ts) — the level agreed in moderation where there
// is one, else the respondents' median (the consensus) — so the gate and every results surface
// always state the same level. A capability nobody rated and nobody agreed gets no level at all.
import { effectiveLevels } from '../assessment/levels.ts';
import type { AgreedLevel } from '../assessment/moderation.ts';
import type { CapabilityResult } from '../assessment/types.ts';
import type { CapabilityLevel } from '../initiatives/types.ts';

export function capabilityLevels(
  results: readonly Pick<CapabilityResult, 'capabilityId' | 'consensus'>[],
  agreed: readonly Pick<AgreedLevel, 'capabilityId' | 'agreedLevel'>[] = [],
): CapabilityLevel[] {
  return effectiveLevels({ results }, agreed).flatMap((entry): CapabilityLevel[] =>
    entry.level === null || entry.source === 'none'
      ? []
      : [{ capabilityId: entry.capabilityId, level: entry.level, source: entry.source }],
  );
}
