// The plain data that capability assessments are made of (issue 3): answers from respondents in named
// groups, and the results computed from them. Levels use the paper's numbering, 1 = Outstanding …
// 5 = Inadequate, so a LOWER number is a BETTER level everywhere in this module.
import type { MaturityLevel, Scope } from '../framework/index.ts';

export type Level = MaturityLevel;
export type { Scope };

export type Confidence = 'low' | 'medium' | 'high';
export const CONFIDENCES: readonly Confidence[] = ['low', 'medium', 'high'];

/** One respondent's answer for one capability. */
export interface Answer {
  readonly responseId: string;
  readonly groupId: string;
  readonly capabilityId: string;
  /** Best-fit level, or null for "don't know". */
  readonly level: Level | null;
  /** Indicator ids ticked as "I see this here". */
  readonly indicatorsSeen: readonly string[];
  readonly evidence: string;
  readonly confidence: Confidence | null;
}

export interface Group {
  readonly id: string;
  readonly name: string;
}

export interface ResultOptions {
  /** A group's figures are shown only when at least this many of its members gave a level. */
  readonly minGroupSize: number;
}

export const DEFAULT_MIN_GROUP_SIZE = 3;
export const DEFAULT_RESULT_OPTIONS: ResultOptions = { minGroupSize: DEFAULT_MIN_GROUP_SIZE };

export type LevelDistribution = Readonly<Record<Level, number>>;

/** One group's view of a capability. When `hidden`, every figure is null: nothing about the group leaks. */
export interface GroupResult {
  readonly groupId: string;
  readonly name: string;
  readonly hidden: boolean;
  /** Responses from the group, including don't-knows; null when hidden. */
  readonly responses: number | null;
  /** Responses with a level; null when hidden. */
  readonly rated: number | null;
  /** The group's median before rounding (e.g. 2.5); null when hidden or no one gave a level. */
  readonly median: number | null;
  readonly consensus: Level | null;
  readonly explanation: string;
}

/** Two visible groups whose consensus differs by at least PERCEPTION_GAP_MIN_LEVELS (section 3.1). */
export interface PerceptionGap {
  readonly capabilityId: string;
  /** The group that sees the capability as weaker (the higher level number). */
  readonly weakerGroupId: string;
  readonly weakerGroupName: string;
  readonly weakerConsensus: Level;
  readonly strongerGroupId: string;
  readonly strongerGroupName: string;
  readonly strongerConsensus: Level;
  /** How many levels apart, always positive. */
  readonly levels: number;
  readonly explanation: string;
}

/** Two groups recognised as leadership and as frontline staff (perceptionGaps.ts) and how far apart. */
export interface LeadershipFrontline {
  readonly leadershipGroupName: string;
  readonly frontlineGroupName: string;
  /** Null when the two see the capability at the same level. */
  readonly gap: PerceptionGap | null;
  readonly text: string;
}

/** Perception gaps summarised for reading (issue 12, point 7). */
export interface PerceptionGapSummary {
  /** The largest gap (leadership against frontline when it is among the largest). */
  readonly largest: PerceptionGap;
  /** Set when groups recognised as leadership and as frontline are both shown. */
  readonly leadershipFrontline: LeadershipFrontline | null;
  /** Every other gap, largest first, for a details element. */
  readonly others: readonly PerceptionGap[];
  /** One sentence to lead with. */
  readonly headline: string;
}

export interface CapabilityResultExplanations {
  readonly responses: string;
  readonly distribution: string;
  readonly consensus: string;
  readonly spread: string;
  readonly range: string;
  readonly disagreement: string;
  readonly groups: string;
  readonly perceptionGaps: string;
}

export interface CapabilityResult {
  readonly capabilityId: string;
  /** Every answer for the capability, including don't-knows. */
  readonly responses: number;
  /**
   * False when fewer than the minimum group size gave a level (disclosure.ts): then no figure
   * that could show someone's answer is kept — `rated`, `dontKnows`, `distribution`, the median,
   * quartiles, best and worst, `confidence` are null and `indicatorsSeen` is empty.
   */
  readonly shown: boolean;
  /** Answers with a level; null when not `shown`. */
  readonly rated: number | null;
  /** Null when not `shown`. */
  readonly dontKnows: number | null;
  /** Null when not `shown`. */
  readonly distribution: LevelDistribution | null;
  /** Median of the ratings before rounding; may end in .5 for an even count. */
  readonly median: number | null;
  /** The median as a level: an even count's half-way median is rounded towards the weaker level. */
  readonly consensus: Level | null;
  /** Tukey's hinges. */
  readonly lowerQuartile: number | null;
  readonly upperQuartile: number | null;
  readonly interQuartileRange: number | null;
  /** Best (lowest-numbered) and worst (highest-numbered) rating given. */
  readonly best: Level | null;
  readonly worst: Level | null;
  /** worst − best, in levels. */
  readonly range: number | null;
  readonly disagreement: boolean;
  /** Plain-word reasons the disagreement flag is set; empty when it is not. */
  readonly disagreementReasons: readonly string[];
  /** Null when not `shown`. */
  readonly confidence: Readonly<Record<Confidence | 'unstated', number>> | null;
  /**
   * How many respondents ticked each indicator of this capability (ids of other capabilities are
   * ignored), so that a finalised snapshot still holds what the roadmap needs. Never per group.
   */
  readonly indicatorsSeen: Readonly<Record<string, number>>;
  /** In the order of the `groups` argument. */
  readonly groups: readonly GroupResult[];
  /** Largest gap first; only between groups that are shown. */
  readonly perceptionGaps: readonly PerceptionGap[];
  /** The gaps in brief: the largest first, leadership against frontline named. Null with no gaps. */
  readonly perceptionGapSummary: PerceptionGapSummary | null;
  readonly explanations: CapabilityResultExplanations;
}

export interface AttentionEntry {
  readonly capabilityId: string;
  /** 1 = look at this first. */
  readonly position: number;
  readonly result: CapabilityResult;
  /** The level the order used: agreed in moderation where there is one, else the consensus. */
  readonly level: Level | null;
  readonly levelSource: 'agreed' | 'median' | 'none';
  /** Set when this capability was moved up because a weaker-placed capability depends on it. */
  readonly prerequisiteOf: readonly string[];
  readonly reason: string;
}

export interface RoundSummary {
  readonly frameworkId: string;
  readonly frameworkVersion: string;
  readonly scope: Scope;
  readonly options: ResultOptions;
  /** One per capability of the scope, in the framework's order. */
  readonly results: readonly CapabilityResult[];
  /** The same results, weakest first, prerequisites respected. */
  readonly attention: readonly AttentionEntry[];
}
