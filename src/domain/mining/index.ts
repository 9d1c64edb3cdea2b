// The process-mining engine's public face (issue 5; paper section 3.1, Table 1: organisational
// learning starts from systematic monitoring and diagnostic investigation of the delivery
// chain, from case files rather than opinion). Read a log, analyse it, name the bottleneck only
// where the evidence supports it, filter, and calibrate a delivery-chain model. The detailed
// modules live under import/ and analysis/; see README.md for the rules and their sources.
import type { EventLog } from './model.ts';
import { activityMeasures, caseDurations } from './analysis/activities.ts';
import { choosePeriodUnit, type PeriodUnit } from './analysis/backlog.ts';
import { transitionTimes } from './analysis/dfg.ts';
import { findBottleneck as classifyWaits, type BottleneckFinding } from './analysis/waits.ts';

export { readCsvLog, LogImportError } from './import/csv.ts';
export { LogLimitError, sizeInWords, type LogLimits } from './import/limits.ts';
export type { CsvColumns, CsvLogOptions, ReadOptions } from './import/csv.ts';
export { readXesLog } from './import/xes.ts';
export type { XesLogOptions } from './import/xes.ts';
export type { ImportProgress, ProgressCallback, LogSource } from './import/source.ts';
export type { DateOrderOption } from './import/timestamps.ts';
export { importLines, offsetText, type ImportLine } from './import/report.ts';
export { analyseLog } from './analysis/analyse.ts';
export type { AnalyseOptions, LogAnalysis } from './analysis/analyse.ts';
export type { ActivityMeasures, Variant } from './analysis/activities.ts';
export type { DfgEdge, ActivityCount } from './analysis/dfg.ts';
export type { PeriodFlow, PeriodUnit, ResourceWorkload } from './analysis/backlog.ts';
export type { DurationStats } from './analysis/stats.ts';
export {
  WAIT_RULES,
  WAIT_KIND_LABELS,
  formatDuration,
  type BottleneckCandidate,
  type BottleneckFinding,
  type WaitEvidence,
  type WaitKind,
  type NamedKind,
  type WaitKindCorrection,
} from './analysis/waits.ts';
export {
  applyCorrections,
  correctableActivities,
  CORRECTABLE_KINDS,
  MAX_CORRECTION_REASON,
} from './analysis/corrections.ts';
export { filterLog, type LogFilter } from './filter.ts';
export {
  calibrateChain,
  calibrateStructure,
  FIT_TOLERANCE,
  MAX_ROSTER_HOURS,
  mergeInstantStages,
  rosterText,
} from './calibrate.ts';
export {
  calibrateDeliveryChain,
  type DeliveryChainCalibration,
  type CalibrationOptions,
} from './calibration.ts';
export { DEFAULT_FOLD, MAX_FOLD } from './fold.ts';
export type {
  CalibratedChain,
  CalibratedStage,
  CalibratedRoute,
  CalibrateOptions,
  CalibratedStructure,
  FittedTime,
} from './calibrate.ts';
export { toDeliveryChain, type ChainAdapterOptions } from './chain-adapter.ts';
export { fitCalendar, type FittedCalendar, type FitCalendarOptions } from './calendar.ts';
export type { EventLog, ImportReport, CaseAttribute, DateOrder, SetAside } from './model.ts';

/** The bottleneck finding alone (the full `analyseLog` includes it too). */
export function findBottleneck(log: EventLog, periodUnit?: PeriodUnit): BottleneckFinding {
  const times = transitionTimes(log);
  const durations = caseDurations(log);
  const activities = activityMeasures(log, times, durations);
  let first = Infinity;
  let last = -Infinity;
  for (let c = 0; c < durations.firstStart.length; c++) {
    first = Math.min(first, durations.firstStart[c] as number);
    last = Math.max(last, durations.lastComplete[c] as number);
  }
  const unit = periodUnit ?? choosePeriodUnit(Number.isFinite(first) ? last - first : 0);
  return classifyWaits(log, times, activities, durations, unit);
}
