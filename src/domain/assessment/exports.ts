// Exports of a round's results (issue 3, point 9): CSV for spreadsheets and publication, and a
// JSON-friendly report whose shape is versioned (REPORT_FORMAT_VERSION) and names the framework
// version used. Hidden groups produce no rows, no figures and no label in either (disclosure.ts).
import {
  columns,
  csvField as tableCsvField,
  tableToCsv,
  type Table,
  type TableCell,
} from '../../lib/table.ts';
import { getCapability, levelName } from '../framework/index.ts';
import type { Framework } from '../framework/index.ts';
import { effectiveLevelsById } from './levels.ts';
import type { EffectiveLevel } from './levels.ts';
import type { AgreedLevel, ModerationFlag } from './moderation.ts';
import { evidenceOverrideText, moderationFlags } from './moderation.ts';
import {
  DISAGREEMENT_MIN_AT_EACH_END,
  DISAGREEMENT_MIN_IQR,
  DISAGREEMENT_MIN_RANGE,
  DISAGREEMENT_MIN_RATED,
  PERCEPTION_GAP_MIN_LEVELS,
  PREREQUISITE_WEAK_FROM,
  orderForAttention,
} from './results.ts';
import { describeTarget } from './roadmap.ts';
import type { RoadmapTarget } from './roadmap.ts';
import type { AttentionEntry, CapabilityResult, Level, RoundSummary } from './types.ts';

export const REPORT_FORMAT = 'throughline.assessment-results';
export const REPORT_FORMAT_VERSION = 1;

/** The label of the row that covers every respondent, before the per-group rows. */
export const ALL_RESPONDENTS = 'All respondents';

export const CSV_COLUMNS = [
  'Framework',
  'Framework version',
  'Capability number',
  'Capability',
  'Group',
  'Responses',
  'Ratings given',
  "Don't know",
  'Consensus level',
  'Consensus level name',
  'Median',
  'Lower quartile',
  'Upper quartile',
  'Inter-quartile range',
  'Best rating',
  'Worst rating',
  'Disagreement',
  'Ratings at 1 Outstanding',
  'Ratings at 2 Good',
  'Ratings at 3 Adequate',
  'Ratings at 4 Needs Improvement',
  'Ratings at 5 Inadequate',
  // Appended, so that readers of the first 22 columns keep working: the level agreed in moderation,
  // and the level to act on (agreed, else the consensus) with where it comes from.
  'Agreed level',
  'Effective level',
  'Effective level name',
  'Effective level source',
  // Appended by issue 12: an administrator's override of the evidence rule, by whom and why.
  'Evidence rule override',
] as const;

type Cell = TableCell;

/** RFC 4180 quoting with formula protection (src/lib/table.ts); kept here for its many readers. */
export const csvField = tableCsvField;

/**
 * The results table: one row per capability for all respondents, then one per visible group. The
 * agreed and effective levels are the round's, so they are on the all-respondents row only. The CSV
 * and the spreadsheet are both written from it.
 */
export function resultsTable(
  framework: Framework,
  results: readonly CapabilityResult[],
  agreed: readonly Pick<AgreedLevel, 'capabilityId' | 'agreedLevel' | 'evidenceOverride'>[] = [],
): Table {
  const rows: Cell[][] = [];
  const effective = effectiveLevelsById({ results }, agreed);
  const overrideById = new Map(
    agreed.map((a) => [a.capabilityId, evidenceOverrideText(a) ?? null] as const),
  );
  for (const result of results) {
    const capability = getCapability(framework, result.capabilityId);
    const level = effective.get(result.capabilityId);
    const lead: Cell[] = [
      framework.id,
      framework.version,
      capability?.number ?? null,
      capability?.name ?? result.capabilityId,
    ];
    rows.push([
      ...lead,
      ALL_RESPONDENTS,
      result.responses,
      result.rated,
      result.dontKnows,
      result.consensus,
      result.consensus === null ? null : levelName(result.consensus),
      result.median,
      result.lowerQuartile,
      result.upperQuartile,
      result.interQuartileRange,
      result.best,
      result.worst,
      // Nothing at all, not even "no", where too few gave a level to show figures.
      result.shown === false ? null : result.disagreement ? 'yes' : 'no',
      result.distribution?.[1] ?? null,
      result.distribution?.[2] ?? null,
      result.distribution?.[3] ?? null,
      result.distribution?.[4] ?? null,
      result.distribution?.[5] ?? null,
      level?.source === 'agreed' ? level.level : null,
      level?.level ?? null,
      level?.level == null ? null : levelName(level.level),
      level?.source ?? 'none',
      overrideById.get(result.capabilityId) ?? null,
    ]);
    for (const group of result.groups) {
      if (group.hidden) continue;
      rows.push([
        ...lead,
        group.name,
        group.responses,
        group.rated,
        group.responses === null || group.rated === null ? null : group.responses - group.rated,
        group.consensus,
        group.consensus === null ? null : levelName(group.consensus),
        group.median,
        // Spread and distribution are reported for all respondents only.
        ...Array<Cell>(11).fill(null),
        ...Array<Cell>(5).fill(null),
      ]);
    }
  }
  return { name: 'Results', columns: columns(CSV_COLUMNS), rows };
}

/** The results table as CSV (CRLF line ends). */
export function resultsToCsv(
  framework: Framework,
  results: readonly CapabilityResult[],
  agreed: readonly Pick<AgreedLevel, 'capabilityId' | 'agreedLevel' | 'evidenceOverride'>[] = [],
): string {
  return tableToCsv(resultsTable(framework, results, agreed), csvField);
}

export interface RoundReportExtras {
  /** Whatever the caller wants to say about the round (id, title, dates); copied as given. */
  readonly round?: Readonly<Record<string, string | number | boolean | null>>;
  readonly agreed?: readonly AgreedLevel[];
  readonly targets?: Readonly<Record<string, Level>>;
}

export interface RoundReportCapability {
  readonly capabilityId: string;
  readonly number: number | null;
  readonly name: string;
  /** The capability's figures; hidden groups are left out altogether, name included. */
  readonly result: CapabilityResult;
  /** How many of the round's groups are hidden for this capability (disclosure.ts). */
  readonly hiddenGroups: number;
  /** The level to act on (agreed, else the consensus), where it comes from, and the median. */
  readonly level: EffectiveLevel;
  readonly agreed: (AgreedLevel & { readonly flags: readonly ModerationFlag[] }) | null;
  readonly target: RoadmapTarget | null;
}

export interface RoundReport {
  readonly format: typeof REPORT_FORMAT;
  readonly formatVersion: typeof REPORT_FORMAT_VERSION;
  readonly framework: { readonly id: string; readonly version: string };
  readonly scope: RoundSummary['scope'];
  readonly levelScale: string;
  readonly round: Readonly<Record<string, string | number | boolean | null>> | null;
  readonly methods: {
    readonly consensus: string;
    readonly quartiles: string;
    readonly disagreement: string;
    readonly minGroupSize: number;
    readonly perceptionGapMinLevels: number;
    readonly effectiveLevel: string;
    readonly attentionOrder: string;
  };
  readonly capabilities: readonly RoundReportCapability[];
  readonly attention: readonly Omit<AttentionEntry, 'result'>[];
}

/** A plain object, safe for JSON.stringify, with everything a published report needs. */
export function roundReport(
  framework: Framework,
  summary: RoundSummary,
  extras: RoundReportExtras = {},
): RoundReport {
  const agreedById = new Map((extras.agreed ?? []).map((agreed) => [agreed.capabilityId, agreed]));
  const effective = effectiveLevelsById(summary, extras.agreed ?? []);
  const capabilities = summary.results.map((result): RoundReportCapability => {
    const capability = getCapability(framework, result.capabilityId);
    const agreed = agreedById.get(result.capabilityId);
    const target = extras.targets?.[result.capabilityId];
    const level = effective.get(result.capabilityId) ?? {
      capabilityId: result.capabilityId,
      level: null,
      source: 'none',
      median: null,
    };
    const current = level.level;
    return {
      capabilityId: result.capabilityId,
      number: capability?.number ?? null,
      name: capability?.name ?? result.capabilityId,
      // A hidden group's label is not published either: only that some groups are hidden.
      result: { ...result, groups: result.groups.filter((g) => !g.hidden) },
      hiddenGroups: result.groups.filter((g) => g.hidden).length,
      level,
      agreed: agreed ? { ...agreed, flags: moderationFlags(agreed, result) } : null,
      target: target === undefined || current === null ? null : describeTarget(current, target),
    };
  });
  return {
    format: REPORT_FORMAT,
    formatVersion: REPORT_FORMAT_VERSION,
    framework: { id: framework.id, version: framework.version },
    scope: summary.scope,
    levelScale:
      '1 = Outstanding (best), 2 = Good, 3 = Adequate, 4 = Needs Improvement, 5 = Inadequate (worst). A lower number is better.',
    round: extras.round ?? null,
    methods: {
      consensus:
        "Median of the levels given (don't know excluded); a half-way median from an even count is rounded towards the weaker level.",
      quartiles:
        "Tukey's hinges: the medians of the lower and upper halves of the sorted ratings, the middle rating counted in both halves when the count is odd.",
      disagreement: `Set when at least ${DISAGREEMENT_MIN_RATED} people gave a level and either the inter-quartile range is at least ${DISAGREEMENT_MIN_IQR}, or the best and worst ratings are at least ${DISAGREEMENT_MIN_RANGE} levels apart with at least ${DISAGREEMENT_MIN_AT_EACH_END} respondents at each.`,
      minGroupSize: summary.options.minGroupSize,
      perceptionGapMinLevels: PERCEPTION_GAP_MIN_LEVELS,
      effectiveLevel:
        'The level agreed in moderation where there is one, else the consensus (median); targets and the attention order use it.',
      attentionOrder: `Weakest effective level first; ties by disagreement, then wider inter-quartile range, then wider range. A prerequisite at ${PREREQUISITE_WEAK_FROM} or weaker is listed before the capabilities that depend on it.`,
    },
    capabilities,
    // Ordered afresh with the agreed levels: a snapshot's stored order is by consensus only.
    attention: orderForAttention(summary.results, framework, extras.agreed ?? []).map(
      ({ result: _result, ...entry }) => entry,
    ),
  };
}

/**
 * The JSON report's attention order as a table: where to look first, at which level, and why, with
 * each capability's target where one is set. Only capabilities, never groups, so nothing hidden.
 */
export function attentionTable(report: RoundReport): Table {
  const byId = new Map(report.capabilities.map((c) => [c.capabilityId, c]));
  const name = (id: string) => byId.get(id)?.name ?? id;
  return {
    name: 'Attention order',
    columns: columns([
      'Order',
      'Capability number',
      'Capability',
      'Effective level',
      'Effective level name',
      'Effective level source',
      'Before the capabilities that depend on it',
      'Why here',
      'Target level',
      'Levels to go (0 or less: target met)',
      'Target',
    ]),
    rows: report.attention.map((entry): Cell[] => {
      const capability = byId.get(entry.capabilityId);
      const target = capability?.target ?? null;
      return [
        entry.position,
        capability?.number ?? null,
        name(entry.capabilityId),
        entry.level,
        entry.level === null ? null : levelName(entry.level),
        entry.levelSource,
        entry.prerequisiteOf.length === 0 ? null : entry.prerequisiteOf.map(name).join('; '),
        entry.reason,
        target?.level ?? null,
        target?.levelsToGo ?? null,
        target?.text ?? null,
      ];
    }),
  };
}
