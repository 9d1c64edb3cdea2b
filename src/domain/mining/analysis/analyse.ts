// One call that runs every measure over an imported log: counts, activities, the
// directly-follows graph, variants, case durations, flow over time, resource workload and the
// bottleneck finding. Pure: the same log always gives the same analysis.
import type { EventLog, ImportReport } from '../model.ts';
import {
  activityMeasures,
  caseDurations,
  variants,
  type ActivityMeasures,
  type Variant,
} from './activities.ts';
import {
  caseFlow,
  choosePeriodUnit,
  resourceWorkload,
  type PeriodFlow,
  type PeriodUnit,
  type ResourceWorkload,
} from './backlog.ts';
import { directlyFollows, transitionTimes, type ActivityCount, type DfgEdge } from './dfg.ts';
import { quantileSorted, summariseMs, type DurationStats } from './stats.ts';
import { findBottleneck, type BottleneckFinding } from './waits.ts';

export interface AnalyseOptions {
  /** Period for throughput and backlog; by default weekly for logs under ~6 months, else monthly. */
  readonly periodUnit?: PeriodUnit;
}

export interface LogAnalysis {
  readonly counts: {
    readonly cases: number;
    readonly events: number;
    readonly activities: number;
    readonly variants: number;
    readonly resources: number;
  };
  /** First and last instants in the log (ISO 8601, UTC). */
  readonly period: { readonly first: string; readonly last: string } | null;
  /** Whether waits and service can be told apart. */
  readonly timing: {
    readonly kind: 'start-and-complete' | 'completion-only' | 'partial';
    /** Share of events with a recorded start. */
    readonly startShare: number;
    readonly note: string;
  };
  readonly activities: readonly ActivityMeasures[];
  readonly edges: readonly DfgEdge[];
  readonly startActivities: readonly ActivityCount[];
  readonly endActivities: readonly ActivityCount[];
  readonly variants: readonly Variant[];
  /** Case durations in seconds, with deciles (10 %, 20 %, … 90 %). */
  readonly caseDuration: DurationStats & { readonly deciles: readonly number[] };
  readonly periodUnit: PeriodUnit;
  readonly flow: readonly PeriodFlow[];
  readonly resources: readonly ResourceWorkload[];
  readonly bottleneck: BottleneckFinding;
  readonly import: ImportReport;
}

export function analyseLog(log: EventLog, options: AnalyseOptions = {}): LogAnalysis {
  const events = log.complete.length;
  const times = transitionTimes(log);
  const durations = caseDurations(log);
  const activities = activityMeasures(log, times, durations);
  const dfg = directlyFollows(log, times);
  const { variants: variantList } = variants(log);
  let first = Infinity;
  let last = -Infinity;
  for (let c = 0; c < durations.firstStart.length; c++) {
    first = Math.min(first, durations.firstStart[c] as number);
    last = Math.max(last, durations.lastComplete[c] as number);
  }
  const unit = options.periodUnit ?? choosePeriodUnit(Number.isFinite(first) ? last - first : 0);
  let withStart = 0;
  for (let i = 0; i < events; i++) if (!Number.isNaN(log.start[i] as number)) withStart++;
  const startShare = events > 0 ? withStart / events : 0;
  const kind =
    startShare === 0 ? 'completion-only' : startShare === 1 ? 'start-and-complete' : 'partial';
  const note =
    kind === 'completion-only'
      ? 'This log records completion times only: each wait includes the work of the activity itself, so waiting and service cannot be told apart.'
      : kind === 'partial'
        ? 'Some events record a start time and some do not: service time is measured only where a start is known, and elsewhere the wait includes the work.'
        : 'Every event records a start and a completion: waiting (before the start) and service (start to completion) are measured separately.';
  const perCase = Float64Array.from(durations.perCase);
  const caseStats = summariseMs(perCase);
  const deciles = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) =>
    perCase.length > 0 ? quantileSorted(perCase, d / 10) / 1000 : 0,
  );
  return {
    counts: {
      cases: log.caseIds.length,
      events,
      activities: activities.length,
      variants: variantList.length,
      resources: log.resourceNames.length,
    },
    period: Number.isFinite(first)
      ? { first: new Date(first).toISOString(), last: new Date(last).toISOString() }
      : null,
    timing: { kind, startShare, note },
    activities,
    edges: dfg.edges,
    startActivities: dfg.startActivities,
    endActivities: dfg.endActivities,
    variants: variantList,
    caseDuration: { ...caseStats, deciles },
    periodUnit: unit,
    flow: caseFlow(durations, unit),
    resources: resourceWorkload(log),
    bottleneck: findBottleneck(log, times, activities, durations, unit),
    import: log.report,
  };
}
