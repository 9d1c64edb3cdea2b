// Readiness for an AI initiative (issue 11; Hoskins 2025, section 3 and appendix Tables 1–2): the
// readiness table as versioned data, the verdict against an organisation's assessed capability
// levels with the gaps that block it and the first actions, and a snapshot to keep with an approved
// initiative. Pure: plain data in, plain data out. Levels: 1 = Outstanding … 5 = Inadequate, lower is better.
export { assessReadiness, MAX_CONDITION_GAP, VERDICT_RULE } from './assess.ts';
export type {
  BlockingCapability,
  CapabilityReadiness,
  FirstActions,
  ReadinessInput,
  ReadinessResult,
  ReadinessVerdict,
  RequirementSource,
  RoadmapEvidence,
} from './assess.ts';
export {
  DEFAULT_READINESS_TABLE,
  FAILURE_GUARDS,
  READINESS_TABLE_SCHEMA_VERSION,
  parseReadinessTable,
  parseReadinessTableOrThrow,
  readinessTableJsonSchema,
  readinessTableSchema,
  requiredLevelText,
} from './table.ts';
export type {
  AmbitionTier,
  FailureGuard,
  ReadinessRequirement,
  ReadinessTable,
  ReadinessTableIssue,
  ReadinessTableParseResult,
  RiskRule,
} from './table.ts';
export { FACT_DESCRIPTIONS, INITIATIVE_FACTS, initiativeFacts, isInitiativeFact } from './facts.ts';
export type { InitiativeFact, ReadinessInitiative, SituationFact } from './facts.ts';
export { capabilityLevels } from './levels.ts';
export { readinessInputsFromReport } from './report.ts';
export type { AssessmentReference, ReportInputs, ReportReadResult } from './report.ts';
export { READINESS_SNAPSHOT_VERSION, snapshotReadiness } from './snapshot.ts';
export type { ReadinessSnapshot, SnapshotContext } from './snapshot.ts';
