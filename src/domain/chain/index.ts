// The delivery-chain engine's public face (paper section 2.2.1): parse a chain, analyse it, simulate
// it, compare interventions, place them in the six-cell typology, and the paper's demo chains.
// Everything here is pure: plain data in, plain data out. The detail lives in the modules below.
export {
  parseChain,
  parseChainOrThrow,
  chainJsonSchema,
  deliveryChainSchema,
  CHAIN_SCHEMA_VERSION,
  EXIT,
  DELAY_KINDS,
  DELAY_KIND_LABELS,
  isDelay,
  isQueued,
  stageRole,
  staffLabel,
} from './model.ts';
export type {
  DeliveryChain,
  DeliveryChainInput,
  Stage,
  Route,
  Output,
  Input,
  Demand,
  ServiceTime,
  Intervention,
  Change,
  ChainIssue,
  ParseResult,
  TypologyCellNumber,
  DelayKind,
  StageRole,
} from './model.ts';
export { analyseChain } from './analyse.ts';
export type { ChainAnalysis, StageAnalysis, BottleneckAnalysis } from './analyse.ts';
export { simulateChain } from './simulate.ts';
export type { SimulationOptions, SimulationResult, ReplicationResult } from './simulate.ts';
export { compareScenarios } from './scenarios.ts';
export type {
  CompareOptions,
  ScenarioSpec,
  ScenarioResult,
  ScenarioComparison,
} from './scenarios.ts';
export {
  CONTEXT_DEFINITION,
  FAMILY_DEFINITIONS,
  MEASURES,
  MEASURE_FAMILIES,
  compareMeasures,
  describeMovement,
  familyMovement,
  formatMeasure,
  measureValue,
} from './measures.ts';
export { signedChange } from './explain.ts';
export type {
  MeasureComparison,
  MeasureFamily,
  MeasureFormat,
  MeasureGroup,
  MeasureKey,
  MeasuredChain,
  Movement,
} from './measures.ts';
export { applyInterventions } from './interventions.ts';
export {
  readTypology,
  suggestTypologyCells,
  chosenTypologyCells,
  typologyCell,
  TYPOLOGY_CELLS,
} from './typology.ts';
export type {
  TypologySuggestion,
  TypologyCell,
  TypologyRow,
  TypologyColumn,
  TypologyColumnReading,
  TypologyReading,
} from './typology.ts';
export type { Estimate } from './stats.ts';
export {
  demoChains,
  householdRecyclingChainJson,
  planningPermitChainJson,
  policeProsecutionCourtsChainJson,
} from './demo.ts';
export { closedFormVersusSimulation, AGREEMENT_TOLERANCE } from './agreement.ts';
export type { Agreement, AgreementRow, Trust } from './agreement.ts';
export { createSimulation, detectWarmup } from './simulate.ts';
export type { Simulation, WarmupChoice } from './simulate.ts';
export { differenceInWords, VERDICT_WORDS } from './scenarios.ts';
export type { ComparisonStatistics } from './scenarios.ts';
export type { MeasureTest, Verdict } from './measures.ts';
export {
  WEEKDAYS,
  HOURS_PER_CALENDAR_WEEK,
  calendarSchema,
  rosterSchema,
  shiftSchema,
  poolSchema,
  describeShift,
  describeDays,
  dayName,
  rosterSchedule,
  hourlyValues,
  weeklyDemand,
  seasonalDemand,
  clockHours,
} from './calendar.ts';
export type {
  Weekday,
  Shift,
  Calendar,
  Pool,
  CalendarRo,
  RosterRo,
  WeeklySchedule,
} from './calendar.ts';
export { staffResources, hasRota, rosterEffects } from './rosters.ts';
export { magistratesCourtChainJson } from './demoCourts.ts';
export type { StageRoster, StaffResource } from './rosters.ts';
