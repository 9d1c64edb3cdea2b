// The portfolio page's words and figures: the ranking as table rows with every component's value,
// weight and points, the flags in words, the method with its citations, and the innovation fund.
// Pure: it formats what the portfolio service worked out and decides nothing.
import type {
  FundPosition,
  InnovationFund,
  PortfolioFlag,
  PortfolioRanking,
  PortfolioWeights,
  RankedInitiative,
} from '../../domain/initiatives/portfolio.ts';
import type { InitiativeStatus } from '../../domain/initiatives/types.ts';
import type { ReadinessVerdict } from '../../domain/readiness/index.ts';
import type { Portfolio } from '../../services/portfolio.ts';
import { chartDescription, formatPoints, portfolioChartSvg } from './portfolio-chart.ts';

const POUNDS = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  maximumFractionDigits: 0,
});

export function formatPounds(amount: number): string {
  return POUNDS.format(amount);
}

/** A weight (0 to 1) as the points it is worth out of 100: 0.5 → "50", 1/3 → "33.3". */
export function weightPoints(weight: number): string {
  return String(Number((weight * 100).toFixed(1)));
}

export const FLAG_WORDS: Readonly<Record<PortfolioFlag, string>> = {
  'effect-not-modelled': 'Effect on the delivery chain not modelled yet',
  'effect-not-positive': 'No gain in the chain’s throughput',
  'no-cost-recorded': 'No cost recorded',
  'no-assessment': 'No capability assessment to judge readiness by',
  'risks-above-appetite': 'Risks above the appetite',
};

export const STATUS_WORDS: Readonly<Record<InitiativeStatus, string>> = {
  idea: 'Idea',
  assessed: 'Assessed',
  approved: 'Approved',
  'in-delivery': 'In delivery',
  live: 'Live',
  evaluated: 'Evaluated',
  stopped: 'Stopped',
};

export const VERDICT_WORDS: Readonly<Record<ReadinessVerdict, string>> = {
  ready: 'Ready',
  'ready-with-conditions': 'Ready with conditions',
  'not-ready': 'Not ready',
  'no-assessment': 'No assessment',
};

/** Why each component is in the score, in plain words, with where the paper says so. */
const COMPONENT_METHOD = [
  {
    id: 'bottleneck-effect-per-pound',
    key: 'bottleneckEffectPerPound',
    label: 'Effect on the bottleneck per pound',
    how: 'The modelled rise in the delivery chain’s throughput, per pound of total cost (the technology and its complementary investments in data, infrastructure, skills and process redesign), compared with the best in this portfolio: the best scores 1. Not modelled, no gain, a fall, or no recorded cost score 0, each flagged.',
    why: 'Money spent at the bottleneck raises what the whole chain delivers; money spent elsewhere adds little or nothing, and business cases must name the bottleneck they address.',
    source: 'Section 2.2.1 and 3.2; Table 1, Planning & Prioritisation, Good (2)',
  },
  {
    id: 'readiness',
    key: 'readiness',
    label: 'Readiness',
    how: 'The readiness verdict against the latest capability assessment and the readiness table: ready 1, ready with conditions 0.5, not ready 0, no assessment 0.',
    why: 'The organisation’s capabilities decide whether an AI project raises productivity or becomes a costly failure; what is enough depends on the ambition.',
    source: 'Section 3 (introduction); Tables 1 and 2',
  },
  {
    id: 'risks-above-appetite',
    key: 'risksAboveAppetite',
    label: 'Risks above the appetite',
    how: 'Full marks with no open risk above the organisation’s risk appetite. Each risk above it takes off how far it is above, as a share of the distance from the appetite to the worst score of 25, down to 0.',
    why: 'Operational and ethical risks above what the organisation accepts must weigh against an initiative, but not so much that every bold idea loses to a timid one.',
    source: 'Section 2.1 and 3.4; Table 2, Managing Risk',
  },
] as const;

export function methodRows(weights: PortfolioWeights) {
  return COMPONENT_METHOD.map((m) => ({ ...m, points: weightPoints(weights[m.key]) }));
}

/**
 * The engine's explanation up to the first component ("Ranked 2 of 3 with 38.4 points out of 100.",
 * with the tie-break when there is one); the page lists the components' working itself.
 */
function rankSentence(row: RankedInitiative): string {
  const first = row.components[0];
  const at = first ? row.explanation.indexOf(` ${first.label}: `) : -1;
  return at > 0 ? row.explanation.slice(0, at) : row.explanation;
}

export function rankingRows(portfolio: Portfolio) {
  const { ranking, readiness } = portfolio;
  return ranking.ranked.map((row) => ({
    rank: row.rank,
    id: row.initiativeId,
    title: row.title,
    status: STATUS_WORDS[row.status],
    totalCost: formatPounds(row.totalCost),
    effect:
      row.bottleneckEffect === null
        ? 'Not modelled'
        : `${row.bottleneckEffect > 0 ? '+' : row.bottleneckEffect < 0 ? '−' : ''}${Math.abs(row.bottleneckEffect)}%`,
    verdict: VERDICT_WORDS[readiness.get(row.initiativeId)?.verdict ?? 'no-assessment'],
    verdictSummary: readiness.get(row.initiativeId)?.summary ?? '',
    components: row.components.map((k) => ({
      id: k.id,
      label: k.label,
      value: k.value.toFixed(2),
      weight: weightPoints(k.weight),
      points: formatPoints(k.contribution),
      detail: k.detail,
    })),
    score: formatPoints(row.score),
    flags: row.flags.map((f) => FLAG_WORDS[f]),
    rankSentence: rankSentence(row),
  }));
}

export function unrankedRows(ranking: PortfolioRanking) {
  return ranking.unranked.map((u) => ({
    id: u.initiativeId,
    title: u.title,
    status: STATUS_WORDS[u.status],
    reason: u.reason,
  }));
}

export function fundView(
  fund: { fund: InnovationFund; version: number; position: FundPosition },
  titles: ReadonlyMap<string, string>,
) {
  const { position } = fund;
  return {
    version: fund.version,
    budget: formatPounds(position.budget),
    committed: formatPounds(position.committed),
    headroom: formatPounds(position.headroom),
    overCommitted: position.overCommitted,
    overCommittedBy: formatPounds(position.overCommittedBy),
    protected: position.protectedFromInYearReprioritisation,
    consequence: position.consequence,
    summary: position.summary,
    warnings: position.warnings,
    commitments: fund.fund.commitments.map((c) => ({
      description: c.description,
      amount: formatPounds(c.amount),
      initiativeId: c.initiativeId,
      initiativeTitle: c.initiativeId === null ? null : (titles.get(c.initiativeId) ?? null),
    })),
  };
}

/** Everything the portfolio template shows. */
export function portfolioPage(portfolio: Portfolio) {
  const { ranking, assessment, table, weights, appetite } = portfolio;
  const titles = new Map(portfolio.initiatives.map((s) => [s.initiative.id, s.initiative.title]));
  return {
    ranked: rankingRows(portfolio),
    unranked: unrankedRows(ranking),
    chartSvg: portfolioChartSvg(ranking.ranked),
    chartDescription: chartDescription(ranking.ranked),
    method: ranking.method,
    methodRows: methodRows(weights.value),
    weightsVersion: weights.version,
    settingProblems: [weights.problem, appetite.problem].filter((p): p is string => p !== null),
    appetite: {
      operational: appetite.value.operational,
      ethical: appetite.value.ethical,
      version: appetite.version,
    },
    assessmentNote: assessment?.note ?? null,
    assessmentHref: assessment ? `/assessments/${assessment.round.id}` : null,
    readinessTable: {
      title: table.table.title,
      version: table.table.version,
      storedVersion: table.version,
    },
    fund: portfolio.fund ? fundView(portfolio.fund, titles) : null,
    unreadableRisks: portfolio.unreadableRisks,
    count: portfolio.initiatives.length,
  };
}
