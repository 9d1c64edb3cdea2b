// Results of an assessment round (issue 3, point 4): per capability the consensus level, its spread,
// a disagreement flag, each group's view (hidden for small groups) and the perception gaps between
// groups; and the order in which to look at the capabilities, weakest first, with the paper's
// prerequisites respected (section 3: organisational learning is a prerequisite for effective planning).
import { capabilitiesByScope, MATURITY_LEVELS } from '../framework/index.ts';
import type { Framework } from '../framework/index.ts';
import { effectiveLevelsById, effectiveLevelText } from './levels.ts';
import type { EffectiveLevel } from './levels.ts';
import type { AgreedLevel } from './moderation.ts';
import { disclosureControl } from './disclosure.ts';
import { summarisePerceptionGaps } from './perceptionGaps.ts';
import { consensusLevel, sortedLevels, tukeyHinges } from './statistics.ts';
import { DEFAULT_RESULT_OPTIONS } from './types.ts';
import type {
  Answer,
  AttentionEntry,
  CapabilityResult,
  Confidence,
  Group,
  GroupResult,
  Level,
  LevelDistribution,
  PerceptionGap,
  ResultOptions,
  RoundSummary,
  Scope,
} from './types.ts';
import { formatNumber, levels, levelWithName, listInWords, plural } from './words.ts';

/** Below this many ratings no disagreement is claimed: two people differing is not a pattern. */
export const DISAGREEMENT_MIN_RATED = 3;
/** Disagreement when the middle half of the ratings spans at least this many levels. */
export const DISAGREEMENT_MIN_IQR = 2;
/** …or when ratings lie at least this many levels apart (e.g. 1 Outstanding and 4 Needs Improvement)… */
export const DISAGREEMENT_MIN_RANGE = 3;
/** …with at least this many respondents at each end, so that one outlier does not set the flag. */
export const DISAGREEMENT_MIN_AT_EACH_END = 2;
/** Groups whose consensus differs by at least this many levels have a perception gap. */
export const PERCEPTION_GAP_MIN_LEVELS = 1;
/**
 * A prerequisite is moved ahead of a capability that depends on it only when the prerequisite is
 * itself at this level or weaker (3 Adequate: practice inconsistent and reactive). At Good or
 * Outstanding it is already in place and need not hold the dependent capability back.
 */
export const PREREQUISITE_WEAK_FROM: Level = 3;

export function resolveOptions(options: Partial<ResultOptions> = {}): ResultOptions {
  const minGroupSize = options.minGroupSize ?? DEFAULT_RESULT_OPTIONS.minGroupSize;
  if (!Number.isInteger(minGroupSize) || minGroupSize < 1) {
    throw new RangeError(`minGroupSize must be a whole number of at least 1, not ${minGroupSize}`);
  }
  return { minGroupSize };
}

function emptyDistribution(): Record<Level, number> {
  return { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
}

/**
 * Consensus, spread, disagreement, group views and perception gaps for one capability.
 * `answers` may hold answers for other capabilities too; only `capabilityId`'s are used.
 * Answers whose group is not in `groups` count towards the totals but appear in no group.
 */
export function summariseCapability(
  capabilityId: string,
  answers: readonly Answer[],
  groups: readonly Group[],
  options: Partial<ResultOptions> = {},
): CapabilityResult {
  const { minGroupSize } = resolveOptions(options);
  const mine = answers.filter((answer) => answer.capabilityId === capabilityId);
  const ratings = sortedLevels(
    mine.flatMap((answer) => (answer.level === null ? [] : [answer.level])),
  );
  const rated = ratings.length;
  const responses = mine.length;
  const dontKnows = responses - rated;

  const distribution = emptyDistribution();
  for (const level of ratings) distribution[level] += 1;

  const confidence: Record<Confidence | 'unstated', number> = {
    low: 0,
    medium: 0,
    high: 0,
    unstated: 0,
  };
  for (const answer of mine) confidence[answer.confidence ?? 'unstated'] += 1;

  const indicatorsSeen: Record<string, number> = {};
  const prefix = `${capabilityId}.`;
  for (const answer of mine) {
    for (const id of new Set(answer.indicatorsSeen)) {
      if (id.startsWith(prefix)) indicatorsSeen[id] = (indicatorsSeen[id] ?? 0) + 1;
    }
  }

  const hinges = rated > 0 ? tukeyHinges(ratings) : undefined;
  const median = hinges?.median ?? null;
  const consensus = median === null ? null : consensusLevel(median);
  const best = ratings[0] ?? null;
  const worst = ratings[rated - 1] ?? null;
  const range = best === null || worst === null ? null : worst - best;
  const interQuartileRange = hinges ? hinges.upper - hinges.lower : null;

  const disagreementReasons = disagreementReasonsFor(ratings, distribution, interQuartileRange);

  const groupResults = groups.map((group) =>
    summariseGroup(
      group,
      mine.filter((answer) => answer.groupId === group.id),
      minGroupSize,
    ),
  );

  // Every figure first, then disclosure control decides what of it may be kept (disclosure.ts).
  return protectCapabilityResult(
    {
      capabilityId,
      responses,
      shown: true,
      rated,
      dontKnows,
      distribution,
      median,
      consensus,
      lowerQuartile: hinges?.lower ?? null,
      upperQuartile: hinges?.upper ?? null,
      interQuartileRange,
      best,
      worst,
      range,
      disagreement: disagreementReasons.length > 0,
      disagreementReasons,
      confidence,
      indicatorsSeen,
      groups: groupResults,
      perceptionGaps: [],
      perceptionGapSummary: null,
      explanations: {
        responses: `${plural(responses, 'response')}: ${rated} gave a level and ${dontKnows} said don't know.`,
        distribution:
          rated === 0
            ? 'No one gave a level.'
            : `Number of ratings at each level: ${MATURITY_LEVELS.map((level) => `${levelWithName(level)}: ${distribution[level]}`).join('; ')}.`,
        consensus: explainConsensus(ratings, median, consensus),
        spread:
          hinges && interQuartileRange !== null
            ? `Half the ratings lie between ${formatNumber(hinges.lower)} and ${formatNumber(hinges.upper)} (inter-quartile range ${formatNumber(interQuartileRange)}; quartiles are the medians of the lower and upper halves of the ratings, Tukey's hinges).`
            : 'No spread: no one gave a level.',
        range:
          best !== null && worst !== null && range !== null
            ? `Ratings run from ${levelWithName(best)} to ${levelWithName(worst)}, ${levels(range)} apart.`
            : 'No range: no one gave a level.',
        disagreement:
          disagreementReasons.length > 0
            ? `Respondents disagree: ${disagreementReasons.join(' ')}`
            : rated < DISAGREEMENT_MIN_RATED
              ? `Too few ratings to judge disagreement (at least ${DISAGREEMENT_MIN_RATED} needed).`
              : `No marked disagreement: the middle half of the ratings spans less than ${levels(DISAGREEMENT_MIN_IQR)}, and ratings ${levels(DISAGREEMENT_MIN_RANGE)} or more apart are not each held by at least ${DISAGREEMENT_MIN_AT_EACH_END} respondents.`,
        groups: '',
        perceptionGaps: `A perception gap is reported when two groups' consensus levels are ${levels(PERCEPTION_GAP_MIN_LEVELS)} or more apart; hidden groups are never compared.`,
      },
    },
    minGroupSize,
  );
}

/**
 * A capability's result with only what disclosure control allows (disclosure.ts): groups too small
 * hidden, a further group hidden where the hidden ones could otherwise be found by subtracting the
 * shown groups from the total, and no distribution at all when fewer than `minGroupSize` gave a
 * level. Perception gaps are worked out again between the groups still shown. Safe to apply again
 * (to a stored snapshot, say): a result already protected comes back the same.
 */
export function protectCapabilityResult(
  result: CapabilityResult,
  minGroupSize: number,
): CapabilityResult {
  const decision = disclosureControl({
    minGroupSize,
    overall: { rated: result.rated ?? 0, responses: result.responses },
    groups: result.groups.map((g) => ({
      id: g.groupId,
      rated: g.hidden ? null : g.rated,
      responses: g.hidden ? null : g.responses,
    })),
  });
  const shownIds = new Set(decision.shown);
  const groups = result.groups.map((g): GroupResult => {
    if (shownIds.has(g.groupId)) return g;
    return {
      groupId: g.groupId,
      name: g.name,
      hidden: true,
      responses: null,
      rated: null,
      median: null,
      consensus: null,
      // One wording for both reasons, as agencies mark primary and secondary suppression alike:
      // telling them apart would say which hidden group is the small one.
      explanation: hiddenExplanation(minGroupSize),
    };
  });
  const perceptionGaps = findPerceptionGaps(result.capabilityId, groups);
  const hiddenCount = groups.filter((g) => g.hidden).length;
  // The same words whichever rule hid a group, so that the explanation cannot say which did.
  const groupsExplanation =
    `A group's figures are shown only when at least ${minGroupSize} of its members gave a level, and another group is hidden too where a hidden group's figures could otherwise be worked out by taking the groups shown away from the total, so that no one's answer can be identified` +
    (hiddenCount > 0 ? `; ${plural(hiddenCount, 'group is', 'groups are')} hidden here.` : '.');
  const protectedResult: CapabilityResult = {
    ...result,
    groups,
    perceptionGaps,
    perceptionGapSummary: summarisePerceptionGaps(groups, perceptionGaps),
    explanations: { ...result.explanations, groups: groupsExplanation },
  };
  if (decision.overallShown) return protectedResult;
  const why = `Fewer than ${minGroupSize} people gave a level, so no figures are shown: they would show someone's answer.`;
  return {
    ...protectedResult,
    shown: false,
    rated: null,
    dontKnows: null,
    distribution: null,
    median: null,
    consensus: null,
    lowerQuartile: null,
    upperQuartile: null,
    interQuartileRange: null,
    best: null,
    worst: null,
    range: null,
    disagreement: false,
    disagreementReasons: [],
    confidence: null,
    indicatorsSeen: {},
    explanations: {
      ...protectedResult.explanations,
      responses: `${plural(result.responses, 'response')}. ${why}`,
      distribution: why,
      consensus: why,
      spread: why,
      range: why,
      disagreement: why,
    },
  };
}

/** A round's summary with disclosure control applied to every capability (for stored snapshots). */
export function protectSummary(summary: RoundSummary): RoundSummary {
  return {
    ...summary,
    results: summary.results.map((r) =>
      protectCapabilityResult(
        {
          ...r,
          // Snapshots written before disclosure control had neither of these.
          shown: r.shown ?? true,
          perceptionGapSummary: r.perceptionGapSummary ?? null,
        },
        summary.options.minGroupSize,
      ),
    ),
  };
}

function hiddenExplanation(minGroupSize: number): string {
  return `Hidden: fewer than ${minGroupSize} people in this group gave a level, or showing it would let a small group's answers be worked out from the total.`;
}

function explainConsensus(
  ratings: readonly Level[],
  median: number | null,
  consensus: Level | null,
): string {
  if (median === null || consensus === null) {
    return "No consensus: no one gave a level (don't know answers are not counted).";
  }
  const n = ratings.length;
  const base = `Median of ${plural(n, 'rating')} (don't know excluded)`;
  if (Number.isInteger(median)) return `${base}: ${levelWithName(consensus)}.`;
  const lower = ratings[n / 2 - 1] as Level;
  const upper = ratings[n / 2] as Level;
  return `${base}: the two middle ratings are ${lower} and ${upper}, so the median is ${formatNumber(median)}, rounded towards the weaker level: ${levelWithName(consensus)}.`;
}

function disagreementReasonsFor(
  ratings: readonly Level[],
  distribution: LevelDistribution,
  interQuartileRange: number | null,
): string[] {
  if (ratings.length < DISAGREEMENT_MIN_RATED || interQuartileRange === null) return [];
  const reasons: string[] = [];
  if (interQuartileRange >= DISAGREEMENT_MIN_IQR) {
    reasons.push(
      `the middle half of the ratings spans ${levels(interQuartileRange)} (at least ${DISAGREEMENT_MIN_IQR} counts as disagreement).`,
    );
  }
  const best = ratings[0] as Level;
  const worst = ratings[ratings.length - 1] as Level;
  if (
    worst - best >= DISAGREEMENT_MIN_RANGE &&
    distribution[best] >= DISAGREEMENT_MIN_AT_EACH_END &&
    distribution[worst] >= DISAGREEMENT_MIN_AT_EACH_END
  ) {
    reasons.push(
      `${distribution[best]} respondents chose ${levelWithName(best)} and ${distribution[worst]} chose ${levelWithName(worst)}, ${levels(worst - best)} apart.`,
    );
  }
  return reasons;
}

function summariseGroup(
  group: Group,
  answers: readonly Answer[],
  minGroupSize: number,
): GroupResult {
  const ratings = sortedLevels(
    answers.flatMap((answer) => (answer.level === null ? [] : [answer.level])),
  );
  // Hidden by the number of ratings, not of responses: with 3 responses of which 2 are "don't know",
  // the group's median would be one person's answer.
  if (ratings.length < minGroupSize) {
    return {
      groupId: group.id,
      name: group.name,
      hidden: true,
      responses: null,
      rated: null,
      median: null,
      consensus: null,
      explanation: hiddenExplanation(minGroupSize),
    };
  }
  const median = tukeyHinges(ratings).median;
  const consensus = consensusLevel(median);
  return {
    groupId: group.id,
    name: group.name,
    hidden: false,
    responses: answers.length,
    rated: ratings.length,
    median,
    consensus,
    explanation: `Median of the ${plural(ratings.length, 'rating')} from ${group.name} (don't know excluded): ${levelWithName(consensus)}${Number.isInteger(median) ? '' : ` (median ${formatNumber(median)}, rounded towards the weaker level)`}.`,
  };
}

function findPerceptionGaps(capabilityId: string, groups: readonly GroupResult[]): PerceptionGap[] {
  const visible = groups.filter(
    (group): group is GroupResult & { consensus: Level } =>
      !group.hidden && group.consensus !== null,
  );
  const gaps: PerceptionGap[] = [];
  visible.forEach((a, i) => {
    for (const b of visible.slice(i + 1)) {
      const difference = Math.abs(a.consensus - b.consensus);
      if (difference < PERCEPTION_GAP_MIN_LEVELS) continue;
      // The higher number is the weaker level.
      const [weaker, stronger] = a.consensus > b.consensus ? [a, b] : [b, a];
      gaps.push({
        capabilityId,
        weakerGroupId: weaker.groupId,
        weakerGroupName: weaker.name,
        weakerConsensus: weaker.consensus,
        strongerGroupId: stronger.groupId,
        strongerGroupName: stronger.name,
        strongerConsensus: stronger.consensus,
        levels: difference,
        explanation: `${weaker.name} see this capability as weaker (${levelWithName(weaker.consensus)}) than ${stronger.name} do (${levelWithName(stronger.consensus)}): ${levels(difference)} apart.`,
      });
    }
  });
  // Stable sort: largest gap first, then the order of the groups as given.
  return gaps.sort((x, y) => y.levels - x.levels);
}

/** Results for every capability of `scope`, in the framework's order, and the order for attention. */
export function summariseRound(
  framework: Framework,
  scope: Scope,
  answers: readonly Answer[],
  groups: readonly Group[],
  options: Partial<ResultOptions> = {},
): RoundSummary {
  const resolved = resolveOptions(options);
  const results = capabilitiesByScope(framework, scope).map((capability) =>
    summariseCapability(capability.id, answers, groups, resolved),
  );
  return {
    frameworkId: framework.id,
    frameworkVersion: framework.version,
    scope,
    options: resolved,
    results,
    attention: orderForAttention(results, framework),
  };
}

/**
 * Weakest first, by each capability's effective level (levels.ts): the level agreed in moderation
 * where there is one, else the consensus. Capabilities are sorted by that level (the highest number,
 * the weakest level, first),
 * ties broken by disagreement, then by the wider inter-quartile range, then by the wider range, then
 * by the paper's numbering; capabilities no one rated come last. Then the paper's dependencies are
 * respected: before any capability, each of its prerequisites that is itself weak (consensus
 * PREREQUISITE_WEAK_FROM or worse) and not yet listed is placed first — building planning on weak
 * organisational learning would not hold (section 3). Without `agreed`, the consensus throughout.
 */
export function orderForAttention<A extends Pick<AgreedLevel, 'capabilityId' | 'agreedLevel'>>(
  results: readonly CapabilityResult[],
  framework: Framework,
  agreed: readonly A[] = [],
): AttentionEntry[] {
  const numberOf = new Map(framework.capabilities.map((c) => [c.id, c.number]));
  const capabilityOf = new Map(framework.capabilities.map((c) => [c.id, c]));
  const byId = new Map(results.map((result) => [result.capabilityId, result]));
  const effective = effectiveLevelsById({ results }, agreed);
  const levelOf = (result: CapabilityResult): EffectiveLevel =>
    effective.get(result.capabilityId) ?? {
      capabilityId: result.capabilityId,
      level: null,
      source: 'none',
      median: null,
    };
  const isWeak = (result: CapabilityResult): boolean => {
    const level = levelOf(result).level;
    return level !== null && level >= PREREQUISITE_WEAK_FROM;
  };

  const sorted = [...results].sort((a, b) =>
    compareForAttention(a, b, levelOf(a).level, levelOf(b).level, numberOf),
  );

  const placed = new Set<string>();
  const visiting = new Set<string>();
  const ordered: CapabilityResult[] = [];
  const place = (result: CapabilityResult): void => {
    const id = result.capabilityId;
    // `visiting` guards against a cycle; the framework loader forbids them.
    if (placed.has(id) || visiting.has(id)) return;
    visiting.add(id);
    for (const prerequisite of capabilityOf.get(id)?.prerequisites ?? []) {
      const other = byId.get(prerequisite.capabilityId);
      if (other && isWeak(other)) place(other);
    }
    visiting.delete(id);
    placed.add(id);
    ordered.push(result);
  };
  for (const result of sorted) place(result);

  // For each weak prerequisite, the weak capabilities that depend on it, in the order they are listed.
  const entries = ordered.map((result) => ({
    result,
    prerequisiteOf: isWeak(result)
      ? ordered
          .filter(
            (other) =>
              isWeak(other) &&
              (capabilityOf.get(other.capabilityId)?.prerequisites ?? []).some(
                (prerequisite) => prerequisite.capabilityId === result.capabilityId,
              ),
          )
          .map((other) => other.capabilityId)
      : [],
  }));

  return entries.map(({ result, prerequisiteOf }, index) => {
    const name = (id: string) => capabilityOf.get(id)?.name ?? id;
    const effectiveLevel = levelOf(result);
    const disagreement = result.disagreement ? ', with disagreement among respondents' : '';
    const level =
      effectiveLevel.level === null
        ? 'No one gave a level, so it is listed last.'
        : effectiveLevel.source === 'agreed'
          ? `${capitalise(effectiveLevelText(effectiveLevel))}${disagreement}.`
          : `Consensus ${levelWithName(effectiveLevel.level)}${disagreement}.`;
    const dependency =
      prerequisiteOf.length > 0
        ? ` Listed before ${listInWords(prerequisiteOf.map(name))}, which ${prerequisiteOf.length === 1 ? 'depends' : 'depend'} on it (${prerequisiteSections(result.capabilityId, prerequisiteOf, capabilityOf)}).`
        : '';
    return {
      capabilityId: result.capabilityId,
      position: index + 1,
      result,
      level: effectiveLevel.level,
      levelSource: effectiveLevel.source,
      prerequisiteOf,
      reason: `${level}${dependency}`,
    };
  });
}

/** "the paper, section 3": where the paper states the dependencies that moved a capability up. */
function prerequisiteSections(
  prerequisiteId: string,
  dependents: readonly string[],
  capabilityOf: ReadonlyMap<string, Framework['capabilities'][number]>,
): string {
  const sections = new Set<string>();
  for (const dependent of dependents) {
    const link = capabilityOf
      .get(dependent)
      ?.prerequisites.find((prerequisite) => prerequisite.capabilityId === prerequisiteId);
    if (link) sections.add(link.section);
  }
  return `the paper, section ${[...sections].join(', ')}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function compareForAttention(
  a: CapabilityResult,
  b: CapabilityResult,
  levelA: Level | null,
  levelB: Level | null,
  numberOf: ReadonlyMap<string, number>,
): number {
  if (levelA === null || levelB === null) {
    if (levelA !== levelB) return levelA === null ? 1 : -1;
  } else if (levelA !== levelB) {
    return levelB - levelA;
  }
  if (a.disagreement !== b.disagreement) return a.disagreement ? -1 : 1;
  const iqr = (b.interQuartileRange ?? 0) - (a.interQuartileRange ?? 0);
  if (iqr !== 0) return iqr;
  const range = (b.range ?? 0) - (a.range ?? 0);
  if (range !== 0) return range;
  return (
    (numberOf.get(a.capabilityId) ?? Number.MAX_SAFE_INTEGER) -
      (numberOf.get(b.capabilityId) ?? Number.MAX_SAFE_INTEGER) ||
    a.capabilityId.localeCompare(b.capabilityId)
  );
}
