// Turns a round's results into the plain data the PDF report prints, in the same words as the HTML
// report (src/web/views/pages/assessments/report.njk): consensus and spread, agreed levels and
// their flags, perception gaps, evidence quotes, and the roadmap, weakest capability first.
import {
  ALL_RESPONDENTS,
  evidenceGiven,
  evidenceOverrideText,
  effectiveLevelText,
  levelWithName,
  moderationFlags,
  type AgreedLevel,
  type CapabilityResult,
  type Level,
} from '../../../domain/assessment/index.ts';
import { getCapability, levelName } from '../../../domain/framework/index.ts';
import {
  roadmapsFor,
  targetsNote,
  type RoundResults,
} from '../../../services/assessmentResults.ts';
import { heatMapCells, heatMapGroups, heatMapTable, profileTable } from '../charts/index.ts';
import { formatDate, formatDateTime } from '../../plugins/views.ts';
import type { ReportPdfData } from './report.ts';

const STATUS_TEXT: Readonly<Record<RoundResults['round']['status'], string>> = {
  draft: 'Draft',
  open: 'Open',
  closed: 'Closed',
  finalised: 'Finalised',
};

const EVIDENCE_WORDS: Readonly<Record<AgreedLevel['evidenceStrength'], string>> = {
  asserted: 'asserted',
  documented: 'documented',
  'independently-verified': 'independently verified',
};

/** Each distinct piece of evidence once, in the order first given, saying how many gave it. */
function quotes(evidence: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const e of evidence) counts.set(e, (counts.get(e) ?? 0) + 1);
  return [...counts].map(([text, n]) => (n > 1 ? `“${text}” (${n} respondents)` : `“${text}”`));
}

/** The gaps in brief, as on the results page: the largest first, leadership and frontline named. */
function perceptionGapLines(result: CapabilityResult): string[] {
  const summary = result.perceptionGapSummary;
  if (!summary) return [];
  const lf = summary.leadershipFrontline;
  return [
    summary.headline,
    ...(lf && lf.gap !== summary.largest ? [`Leadership and frontline: ${lf.text}`] : []),
    ...(summary.others.length > 0
      ? [
          `Other gaps: ${summary.others.map((g) => `${g.weakerGroupName} ${levelWithName(g.weakerConsensus)} against ${g.strongerGroupName} ${levelWithName(g.strongerConsensus)}`).join('; ')}.`,
        ]
      : []),
  ];
}

export function reportPdfData(
  r: RoundResults,
  context: {
    readonly organisationName: string;
    readonly targets: Readonly<Record<string, Level>>;
    readonly generatedAt: Date;
  },
): ReportPdfData {
  const { targets } = context;
  const name = (id: string) => getCapability(r.framework, id)?.name ?? id;
  const agreedById = new Map(r.agreed.map((a) => [a.capabilityId, a]));
  const levelById = new Map(r.levels.map((l) => [l.capabilityId, l]));
  const minGroupSize = r.summary.options.minGroupSize;
  const chartInput = {
    framework: r.framework,
    results: r.summary.results,
    groups: r.round.groups,
    minGroupSize,
    levels: r.levels,
  };

  return {
    organisationName: context.organisationName,
    title: r.round.title,
    statusText: STATUS_TEXT[r.round.status],
    scopeText: r.round.scope === 'sector' ? 'sector' : 'organisation',
    opensOnText: formatDate(r.round.opensOn),
    closesOnText: formatDate(r.round.closesOn),
    respondents: r.respondents,
    framework: {
      id: r.framework.id,
      version: r.framework.version,
      citation: r.framework.document.source.citation,
    },
    finalised: r.snapshot && {
      version: r.snapshot.version,
      createdAtText: formatDateTime(r.snapshot.createdAt),
      note: targetsNote(r),
    },
    generatedAtText: formatDateTime(context.generatedAt.toISOString()),
    profile: {
      rows: r.summary.results.map((result) => ({
        name: name(result.capabilityId),
        consensus: result.consensus,
        lowerQuartile: result.lowerQuartile,
        upperQuartile: result.upperQuartile,
        target: targets[result.capabilityId],
        agreed: agreedById.get(result.capabilityId)?.agreedLevel,
      })),
      table: profileTable({
        framework: r.framework,
        results: r.summary.results,
        targets,
        agreed: Object.fromEntries(r.agreed.map((a) => [a.capabilityId, a.agreedLevel])),
      }),
    },
    heatMap: {
      columns: [ALL_RESPONDENTS, ...heatMapGroups(chartInput).map((g) => g.name)],
      rows: r.summary.results.map((result) => ({
        name: name(result.capabilityId),
        cells: heatMapCells(chartInput, result),
      })),
      minGroupSize,
      table: heatMapTable(chartInput),
    },
    capabilities: r.summary.results.map((result) => {
      const capability = getCapability(r.framework, result.capabilityId);
      const agreed = agreedById.get(result.capabilityId);
      return {
        heading: capability
          ? `${capability.number}. ${capability.name}`
          : name(result.capabilityId),
        levelText: effectiveLevelText(
          levelById.get(result.capabilityId) ?? {
            capabilityId: result.capabilityId,
            level: null,
            source: 'none',
            median: null,
          },
        ),
        medianText: result.consensus === null ? 'No ratings' : levelWithName(result.consensus),
        spreadText: result.explanations.spread,
        agreedText: agreed
          ? `Agreed: ${levelWithName(agreed.agreedLevel)} (${EVIDENCE_WORDS[agreed.evidenceStrength]} evidence)${agreed.rationale ? `: ${agreed.rationale}` : ''}.${agreed.evidenceOverride ? ` ${evidenceOverrideText(agreed) ?? ''}.` : ''}`
          : undefined,
        flags: agreed ? moderationFlags(agreed, result).map((f) => f.message) : [],
        perceptionGaps: perceptionGapLines(result),
        evidence: quotes(evidenceGiven(r.answers, result.capabilityId)),
      };
    }),
    // A finalised version's roadmap as it was generated; else generated now with these targets.
    roadmaps: roadmapsFor({ ...r, targets }).map(({ entry, roadmap: map }, index) => {
      const current = map ? levelWithName(map.currentLevel) : 'No level yet';
      const next = map?.nextLevel ? ` → ${map.nextLevel} ${levelName(map.nextLevel)}` : '';
      return {
        heading: `${index + 1}. ${name(entry.capabilityId)}: ${current}${next}`,
        targetText: map?.target?.text,
        actions: map ? map.actions.map((a) => a.action) : [],
      };
    }),
  };
}
