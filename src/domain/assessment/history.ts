// Comparing a round with an earlier one (issue 3, point 8). Rounds are matched by stable capability
// id, so they can be compared across framework versions; where the descriptors changed between the
// two versions, that is said, because a change of level may then partly reflect a change of wording.
// Each round's level is its effective level (levels.ts): agreed in moderation where it was, else the
// consensus, so a round's comparison states the same level as its results page.
import { compareFrameworkVersions, levelName } from '../framework/index.ts';
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

// ---- Trend across every round (issue 12, point 5) ----
// The level of each capability in every round with results, oldest first, by the same one level as
// each round's results page (agreed where agreed, else the median). Where the framework version
// changed between two rounds it is marked, with what changed for the capability; a capability the
// version did not assess is a gap in the line, not a zero.

export interface TrendRoundInput {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  /** When the round closed (ISO), used for the order; the opening date breaks ties. */
  readonly closedAt: string;
  readonly framework: Framework;
  /** The round's effective levels (RoundResults.levels). */
  readonly levels: readonly EffectiveLevel[];
}

export interface TrendRound {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly closedAt: string;
  readonly frameworkId: string;
  readonly frameworkVersion: string;
  /** The framework id or version differs from the round before. */
  readonly frameworkChanged: boolean;
  /** "Framework 1.1.0 (was 1.0.0)" where it changed, else null. */
  readonly frameworkNote: string | null;
}

export interface TrendPoint {
  readonly roundId: string;
  /** The capability is in this round's framework version. */
  readonly assessed: boolean;
  readonly level: EffectiveLevel | null;
  /** "agreed 4 Needs Improvement, median 3 Adequate", "No ratings", "Not in this framework version". */
  readonly text: string;
  /** The capability's descriptors changed since the round before (a new framework version). */
  readonly descriptorsChanged: boolean;
}

export interface CapabilityTrend {
  readonly capabilityId: string;
  readonly name: string;
  readonly points: readonly TrendPoint[];
  /** From the first to the latest round with a level: "improved by 1 level" or "no change". */
  readonly overall: string;
}

export interface Trend {
  readonly rounds: readonly TrendRound[];
  readonly capabilities: readonly CapabilityTrend[];
}

export const NOT_ASSESSED_TEXT = 'Not in this framework version';

export function trendAcrossRounds(input: readonly TrendRoundInput[]): Trend {
  const ordered = [...input].sort(
    (a, b) => a.closedAt.localeCompare(b.closedAt) || a.id.localeCompare(b.id),
  );
  const rounds: TrendRound[] = ordered.map((round, index) => {
    const before = index > 0 ? ordered[index - 1] : undefined;
    const changed =
      before !== undefined &&
      (before.framework.id !== round.framework.id ||
        before.framework.version !== round.framework.version);
    return {
      id: round.id,
      title: round.title,
      status: round.status,
      closedAt: round.closedAt,
      frameworkId: round.framework.id,
      frameworkVersion: round.framework.version,
      frameworkChanged: changed,
      frameworkNote:
        changed && before
          ? `Framework ${round.framework.version} (was ${before.framework.version})`
          : null,
    };
  });

  // Capabilities in the latest round's order, then any only earlier rounds assessed.
  const names = new Map<string, string>();
  for (const round of [...ordered].reverse()) {
    for (const capability of round.framework.capabilities) {
      if (!names.has(capability.id)) names.set(capability.id, capability.name);
    }
  }
  const assessedIds = new Set(ordered.flatMap((r) => r.levels.map((l) => l.capabilityId)));
  const ids = [...names.keys()].filter((id) => assessedIds.has(id));

  // What changed per capability between consecutive rounds' framework versions.
  const changedAt = ordered.map((round, index) => {
    const before = index > 0 ? ordered[index - 1] : undefined;
    if (!before || !rounds[index]?.frameworkChanged) return new Set<string>();
    const diff = compareFrameworkVersions(before.framework, round.framework);
    return new Set(
      diff.capabilities.filter((c) => c.status !== 'unchanged').map((c) => c.capabilityId),
    );
  });

  const capabilities = ids.map((capabilityId): CapabilityTrend => {
    const points = ordered.map((round, index): TrendPoint => {
      const level = round.levels.find((l) => l.capabilityId === capabilityId) ?? null;
      const assessed = level !== null;
      return {
        roundId: round.id,
        assessed,
        level,
        text: level ? effectiveLevelText(level) : NOT_ASSESSED_TEXT,
        descriptorsChanged: changedAt[index]?.has(capabilityId) ?? false,
      };
    });
    const withLevel = points.filter((p) => p.level?.level != null);
    const first = withLevel[0]?.level?.level;
    const last = withLevel.at(-1)?.level?.level;
    const overall =
      withLevel.length < 2 || first == null || last == null
        ? 'only one round with a level'
        : describeChange(last - first);
    return { capabilityId, name: names.get(capabilityId) ?? capabilityId, points, overall };
  });
  return { rounds, capabilities };
}

export const TREND_CSV_COLUMNS = [
  'Capability',
  'Round',
  'Round status',
  'Closed',
  'Framework',
  'Framework version',
  'Framework changed since the round before',
  'Level',
  'Level name',
  'Level source',
  'Median',
  'Level in words',
] as const;

/** One row per capability and round, in the page's order; the cells the page's tables show. */
export function trendRows(trend: Trend): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [];
  for (const capability of trend.capabilities) {
    capability.points.forEach((point, index) => {
      const round = trend.rounds[index];
      if (!round) return;
      const level = point.level;
      rows.push([
        capability.name,
        round.title,
        round.status,
        round.closedAt.slice(0, 10),
        round.frameworkId,
        round.frameworkVersion,
        round.frameworkChanged ? 'Yes' : 'No',
        level?.level ?? null,
        level?.level != null ? levelName(level.level) : null,
        point.assessed ? (level?.source ?? null) : 'not assessed',
        level?.median ?? null,
        point.text,
      ]);
    });
  }
  return rows;
}
