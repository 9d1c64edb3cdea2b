// Capability assessments as pure functions (issue 3; Hoskins 2025, sections 3–4): consensus and spread
// per capability, perception gaps between groups, the order to look at capabilities in, gentle
// consistency checks while answering, moderation flags, the roadmap to the next level, comparison of
// rounds, and exports. Levels use the paper's numbering: 1 = Outstanding … 5 = Inadequate, LOWER IS BETTER.
export * from './types.ts';
export {
  summariseCapability,
  summariseRound,
  protectCapabilityResult,
  protectSummary,
  orderForAttention,
  resolveOptions,
  DISAGREEMENT_MIN_RATED,
  DISAGREEMENT_MIN_IQR,
  DISAGREEMENT_MIN_RANGE,
  DISAGREEMENT_MIN_AT_EACH_END,
  PERCEPTION_GAP_MIN_LEVELS,
  PREREQUISITE_WEAK_FROM,
} from './results.ts';
export { medianOfSorted, tukeyHinges, consensusLevel } from './statistics.ts';
export type { Hinges } from './statistics.ts';
export {
  checkAnswerConsistency,
  CONSISTENCY_MAJORITY_DISTANCE,
  CONSISTENCY_FAR_DISTANCE,
} from './consistency.ts';
export {
  moderationFlags,
  differenceFromConsensus,
  EVIDENCE_STRENGTHS,
  HIGH_CLAIM_FROM,
  EVIDENCE_FOR_HIGH_CLAIM,
  breaksEvidenceRule,
  checkEvidenceRule,
  evidenceOverrideText,
} from './moderation.ts';
export type {
  EvidenceStrength,
  EvidenceOverride,
  EvidenceRuleDecision,
  AgreedLevel,
  ModerationFlag,
  ModerationFlagCode,
} from './moderation.ts';
export {
  roadmap,
  capabilityRoadmap,
  describeTarget,
  indicatorAsAction,
  countIndicatorsSeen,
  evidenceGiven,
  indicatorStance,
  isOverdue,
  roadmapItemsToCsv,
  ROADMAP_ITEM_STATUSES,
  ROADMAP_ITEM_STATUS_TAGS,
  ROADMAP_ITEMS_CSV_COLUMNS,
  SHORTCOMINGS_AT_GOOD,
} from './roadmap.ts';
export type {
  Roadmap,
  RoadmapAction,
  RoadmapTarget,
  RoadmapOptions,
  RoadmapItemRow,
  RoadmapItemStatus,
} from './roadmap.ts';
export {
  compareRounds,
  describeChange,
  trendAcrossRounds,
  trendRows,
  NOT_ASSESSED_TEXT,
  TREND_CSV_COLUMNS,
} from './history.ts';
export type {
  RoundForComparison,
  RoundComparison,
  CapabilityComparison,
  ComparisonStatus,
  Trend,
  TrendRound,
  TrendRoundInput,
  TrendPoint,
  CapabilityTrend,
} from './history.ts';
export {
  attentionTable,
  resultsTable,
  resultsToCsv,
  roundReport,
  csvField,
  CSV_COLUMNS,
  ALL_RESPONDENTS,
  REPORT_FORMAT,
  REPORT_FORMAT_VERSION,
} from './exports.ts';
export type { RoundReport, RoundReportCapability, RoundReportExtras } from './exports.ts';
export { levelWithName, levelDifference, formatNumber } from './words.ts';
export { responsesToCsv, RESPONSE_CSV_COLUMNS } from './responsesCsv.ts';
export { disclosureControl, labelledGroups, HIDDEN_GROUPS_LABEL } from './disclosure.ts';
export type { DisclosureCell, DisclosureDecision, DisclosureInput } from './disclosure.ts';
export {
  summarisePerceptionGaps,
  leadershipFrontline,
  groupRole,
  normaliseGroupName,
  LEADERSHIP_NAMES,
  FRONTLINE_NAMES,
} from './perceptionGaps.ts';
export type { ResponseRow } from './responsesCsv.ts';
export { effectiveLevels, effectiveLevelsById, effectiveLevelText } from './levels.ts';
export type { EffectiveLevel, LevelsInput } from './levels.ts';
export { groupNameClashes, groupNameKey, tidyGroupName } from './groups.ts';
export type { GroupNameClash } from './groups.ts';
export { attentionOrderNote } from './order-note.ts';
export { targetsAsOf } from './versions.ts';
export type { TargetNow, TargetChange, TargetsAsOf } from './versions.ts';
