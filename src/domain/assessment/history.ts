// Comparing a round with an earlier one (issue 3, point 8). Rounds are matched by stable capability
// id, so they can be compared across framework versions; where the descriptors changed between the
// two versions, that is said, because a change of level may then partly reflect a change of wording.
// Each round's level is its effective level (levels.ts): agreed in moderation where it was, else the
// consensus, so a round's comparison states the same level as its results page.
import { compareFrameworkVersions } from '../framework/index.ts';
import type { CapabilityChange, Framework } from '../framework/index.ts';
import { effectiveLevelsById, effectiveLevelText } from './levels.ts';
import type { EffectiveLevel } from './levels.ts';
import type { AgreedLevel } from './moderation.ts';
import type { CapabilityResult, Level } from './types.ts';
import { formatNumber, levelWithName, levels } from './words.ts';

export interface RoundForComparison {
  readonly framework: Framework;
  readonly results: readonly CapabilityResult[];
  /** Levels agreed in moderation; where given they are the round's level, not the median. */
  readonly agreed?: readonly Pick<AgreedLevel, 'capabilityId' | 'agreedLevel'>[];
}

export type ComparisonStatus = 'both' | 'only-earlier' | 'only-later';

export interface CapabilityComparison {
  readonly capabilityId: string;
  readonly status: ComparisonStatus;
  /** The respondents' medians (consensus) of each round. */
  readonly earlierConsensus: Level | null;
  readonly laterConsensus: Level | null;
  /** Each round's effective level (agreed, else the median): the change is measured between these. */
  readonly earlierLevel: EffectiveLevel | null;
  readonly laterLevel: EffectiveLevel | null;
  /** later − earlier in levels: NEGATIVE means improved (the scale counts down to Outstanding). */
  readonly change: number | null;
  readonly direction: 'improved' | 'worsened' | 'unchanged' | null;
  /** "improved by 1 level", "worsened by 2 levels", "no change". */
  readonly changeInWords: string;
  /** The change is larger than the inter-quartile range of either round. */
  readonly beyondSpread: boolean;
  readonly descriptorsChanged: boolean;
  /** Where the descriptors changed, in words ("Level 2: 1 indicator reworded"). */
  readonly descriptorChanges: readonly string[];
  readonly explanation: string;
}

export interface RoundComparison {
  readonly earlierFramework: { readonly id: string; readonly version: string };
  readonly laterFramework: { readonly id: string; readonly version: string };
  readonly sameFrameworkVersion: boolean;
  /** Capabilities of the later round in its order, then those only in the earlier round. */
  readonly capabilities: readonly CapabilityComparison[];
}

export function compareRounds(
  earlier: RoundForComparison,
  later: RoundForComparison,
): RoundComparison {
  const frameworkChanges = compareFrameworkVersions(earlier.framework, later.framework);
  const changeOf = new Map(frameworkChanges.capabilities.map((c) => [c.capabilityId, c]));
  const earlierById = new Map(earlier.results.map((result) => [result.capabilityId, result]));
  const earlierLevels = effectiveLevelsById(earlier, earlier.agreed ?? []);
  const laterLevels = effectiveLevelsById(later, later.agreed ?? []);
  const laterIds = new Set(later.results.map((result) => result.capabilityId));

  const capabilities: CapabilityComparison[] = later.results.map((result) =>
    compareCapability(
      earlierById.get(result.capabilityId),
      result,
      earlierLevels.get(result.capabilityId) ?? null,
      laterLevels.get(result.capabilityId) ?? null,
      changeOf.get(result.capabilityId),
    ),
  );
  for (const result of earlier.results) {
    if (!laterIds.has(result.capabilityId)) {
      capabilities.push(
        compareCapability(
          result,
          undefined,
          earlierLevels.get(result.capabilityId) ?? null,
          null,
          changeOf.get(result.capabilityId),
        ),
      );
    }
  }
  return {
    earlierFramework: { id: earlier.framework.id, version: earlier.framework.version },
    laterFramework: { id: later.framework.id, version: later.framework.version },
    sameFrameworkVersion:
      earlier.framework.id === later.framework.id &&
      earlier.framework.version === later.framework.version,
    capabilities,
  };
}

/** Words for a change of level; `change` is later − earlier, so a negative change is an improvement. */
export function describeChange(change: number): string {
  if (change === 0) return 'no change';
  return `${change < 0 ? 'improved' : 'worsened'} by ${levels(Math.abs(change))}`;
}

function compareCapability(
  before: CapabilityResult | undefined,
  after: CapabilityResult | undefined,
  earlierLevel: EffectiveLevel | null,
  laterLevel: EffectiveLevel | null,
  frameworkChange: CapabilityChange | undefined,
): CapabilityComparison {
  const capabilityId = (after ?? before)?.capabilityId ?? '';
  const descriptorChanges = describeDescriptorChanges(frameworkChange);
  const descriptorsChanged = descriptorChanges.length > 0;
  const descriptorNote = descriptorsChanged
    ? ` The descriptors changed between the two framework versions (${descriptorChanges.join('; ')}), so part of any change may come from the new wording.`
    : '';
  const earlierConsensus = before?.consensus ?? null;
  const laterConsensus = after?.consensus ?? null;
  const earlierAt = earlierLevel?.level ?? null;
  const laterAt = laterLevel?.level ?? null;
  const base = {
    capabilityId,
    earlierConsensus,
    laterConsensus,
    earlierLevel,
    laterLevel,
    descriptorsChanged,
    descriptorChanges,
  };

  if (!before || !after) {
    return {
      ...base,
      status: before ? 'only-earlier' : 'only-later',
      change: null,
      direction: null,
      changeInWords: before ? 'only in the earlier round' : 'only in the later round',
      beyondSpread: false,
      explanation: `This capability was assessed only in the ${before ? 'earlier' : 'later'} round, so there is nothing to compare.${descriptorNote}`,
    };
  }
  if (earlierAt === null || laterAt === null) {
    return {
      ...base,
      status: 'both',
      change: null,
      direction: null,
      changeInWords: 'cannot compare',
      beyondSpread: false,
      explanation: `No one gave a level in the ${earlierAt === null ? 'earlier' : 'later'} round, so the rounds cannot be compared.${descriptorNote}`,
    };
  }

  const change = laterAt - earlierAt;
  // The larger of the two rounds' inter-quartile ranges is the noise a change must rise above.
  const spread = Math.max(before.interQuartileRange ?? 0, after.interQuartileRange ?? 0);
  const beyondSpread = Math.abs(change) > spread;
  const direction = change < 0 ? 'improved' : change > 0 ? 'worsened' : 'unchanged';
  const spreadSentence =
    change === 0
      ? ''
      : beyondSpread
        ? ` The change of ${levels(Math.abs(change))} is larger than the spread of either round (the larger inter-quartile range is ${formatNumber(spread)}), so it is beyond the spread.`
        : ` The change of ${levels(Math.abs(change))} is not larger than the spread of the ratings (the larger inter-quartile range is ${formatNumber(spread)}), so it may not be a real change.`;
  return {
    ...base,
    status: 'both',
    change,
    direction,
    changeInWords: describeChange(change),
    beyondSpread,
    explanation: `${
      earlierLevel?.source === 'agreed' || laterLevel?.source === 'agreed'
        ? `Level went from ${levelInComparison(earlierLevel)} to ${levelInComparison(laterLevel)}`
        : `Consensus went from ${levelWithName(earlierAt)} to ${levelWithName(laterAt)}`
    }: ${describeChange(change)}.${spreadSentence}${descriptorNote}`,
  };
}

function levelInComparison(level: EffectiveLevel | null): string {
  return level === null ? 'no level' : effectiveLevelText(level);
}

function describeDescriptorChanges(change: CapabilityChange | undefined): string[] {
  if (!change || change.status === 'unchanged') return [];
  if (change.status === 'added') return ['capability added in the later version'];
  if (change.status === 'removed') return ['capability removed in the later version'];
  const notes: string[] = [];
  if (change.fieldsChanged.length > 0) notes.push(`changed: ${change.fieldsChanged.join(', ')}`);
  for (const level of change.levels) {
    const parts: string[] = [];
    if (level.descriptionChanged) parts.push('description reworded');
    if (level.changedIndicators.length > 0) {
      parts.push(`indicators reworded: ${level.changedIndicators.join(', ')}`);
    }
    if (level.addedIndicators.length > 0) {
      parts.push(`indicators added: ${level.addedIndicators.join(', ')}`);
    }
    if (level.removedIndicators.length > 0) {
      parts.push(`indicators removed: ${level.removedIndicators.join(', ')}`);
    }
    notes.push(`level ${levelWithName(level.level)}: ${parts.join(', ')}`);
  }
  return notes;
}
