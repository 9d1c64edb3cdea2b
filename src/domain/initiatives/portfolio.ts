// The portfolio view of issue 11 (paper section 3.2 and appendix Table 1, Planning & Prioritisation):
// a transparent score that ranks initiatives by their effect on the delivery chain's bottleneck per
// pound, the organisation's readiness for them, and their risks above the appetite; and the ring-fenced
// innovation fund, with what is committed from it and whether it is protected from in-year
// reprioritisation. Every number the score uses is returned so the page can show the working.
import { z } from 'zod';
import type { Risk, RiskAppetite } from './risks.ts';
import { DEFAULT_RISK_APPETITE, appetiteExcess, parseRiskAppetite, riskScore } from './risks.ts';
import type { Initiative, InitiativeStatus } from './types.ts';

/** The readiness verdict the readiness engine gives an initiative. */
export type PortfolioReadiness = 'ready' | 'ready-with-conditions' | 'not-ready' | 'no-assessment';

/** One initiative as the portfolio sees it. */
export interface PortfolioCandidate {
  readonly initiative: Initiative;
  /**
   * The modelled change in the delivery chain's throughput, in per cent (from the chain engine's
   * scenario comparison): 20 means 20% more output. 0 means modelled and no gain, which is what an
   * initiative away from the bottleneck gets (section 2.2.1). null means not modelled: unknown.
   */
  readonly bottleneckEffect: number | null;
  readonly readiness: PortfolioReadiness;
  /** The initiative's risk register. */
  readonly risks: readonly Risk[];
}

/**
 * The weights of the three components, set by an admin. They add up to 1, so the score runs from
 * 0 to 1 (shown as 0 to 100 points). `version` is the format of this record.
 */
export interface PortfolioWeights {
  readonly version: 1;
  readonly bottleneckEffectPerPound: number;
  readonly readiness: number;
  readonly risksAboveAppetite: number;
}

/**
 * Defaults: half the score is the effect on the bottleneck per pound, because investing where the
 * constraint is gives the greatest productivity gain and investing elsewhere little or none
 * (section 3.2, Theory of Constraints); 0.3 readiness, because the twelve capabilities decide
 * whether an AI project raises productivity or fails (section 3); 0.2 risks above the appetite
 * (section 3.4), which matter but should not make every bold idea lose to a timid one.
 */
export const DEFAULT_PORTFOLIO_WEIGHTS: PortfolioWeights = {
  version: 1,
  bottleneckEffectPerPound: 0.5,
  readiness: 0.3,
  risksAboveAppetite: 0.2,
};

const WEIGHT_SUM_TOLERANCE = 1e-9;

const weight = (name: string) =>
  z
    .number({ error: `Enter the weight for ${name} as a number from 0 to 1` })
    .min(0, `The weight for ${name} must be 0 or more`)
    .max(1, `The weight for ${name} must be 1 or less`);

export const portfolioWeightsSchema = z
  .object({
    version: z.literal(1, { error: 'Unknown portfolio weights format: expected version 1' }),
    bottleneckEffectPerPound: weight('the effect on the bottleneck per pound'),
    readiness: weight('readiness'),
    risksAboveAppetite: weight('risks above the appetite'),
  })
  .superRefine((w, ctx) => {
    const sum = w.bottleneckEffectPerPound + w.readiness + w.risksAboveAppetite;
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `The three weights must add up to 1; they add up to ${Number(sum.toFixed(6))}`,
      });
    }
  });

export type WeightsParseResult =
  | { readonly ok: true; readonly weights: PortfolioWeights }
  | { readonly ok: false; readonly issues: readonly { path: string; message: string }[] };

export function parsePortfolioWeights(raw: unknown): WeightsParseResult {
  const parsed = portfolioWeightsSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  }
  return { ok: true, weights: Object.freeze(parsed.data) };
}

/** Readiness as a share of its weight: conditions count half, no verdict counts nothing. */
export const READINESS_VALUES: Readonly<Record<PortfolioReadiness, number>> = {
  ready: 1,
  'ready-with-conditions': 0.5,
  'not-ready': 0,
  'no-assessment': 0,
};

/** Statuses that are listed but not ranked: there is nothing left to decide about them. */
export const UNRANKED_STATUSES: readonly InitiativeStatus[] = ['stopped', 'evaluated'];

export type PortfolioComponentId =
  'bottleneck-effect-per-pound' | 'readiness' | 'risks-above-appetite';

export interface PortfolioComponent {
  readonly id: PortfolioComponentId;
  readonly label: string;
  /** 0 to 1, higher is better. */
  readonly value: number;
  readonly weight: number;
  /** weight × value: this component's share of the score. */
  readonly contribution: number;
  /** How the value was found, in plain words. */
  readonly detail: string;
}

/** Something the team should put right for the score to mean more. */
export type PortfolioFlag =
  | 'effect-not-modelled'
  | 'effect-not-positive'
  | 'no-cost-recorded'
  | 'no-assessment'
  | 'risks-above-appetite';

export interface RankedInitiative {
  readonly rank: number;
  readonly initiativeId: string;
  readonly title: string;
  readonly status: InitiativeStatus;
  /** Technology plus complementary investments, whole pounds. */
  readonly totalCost: number;
  readonly bottleneckEffect: number | null;
  /** 0 to 1. */
  readonly score: number;
  /** score × 100, for display. */
  readonly points: number;
  readonly components: readonly PortfolioComponent[];
  readonly flags: readonly PortfolioFlag[];
  readonly explanation: string;
}

export interface UnrankedInitiative {
  readonly initiativeId: string;
  readonly title: string;
  readonly status: InitiativeStatus;
  readonly reason: string;
}

export interface PortfolioRanking {
  readonly weights: PortfolioWeights;
  readonly appetite: RiskAppetite;
  readonly ranked: readonly RankedInitiative[];
  readonly unranked: readonly UnrankedInitiative[];
  /** How the score works, for the top of the page. */
  readonly method: string;
}

/** Technology cost plus every complementary investment (section 3.2), in whole pounds. */
export function totalCost(initiative: Initiative): number {
  const costs = [
    { what: 'technology cost', cost: initiative.technologyCost },
    ...initiative.investments.map((i) => ({ what: `${i.kind} investment`, cost: i.cost })),
  ];
  for (const { what, cost } of costs) {
    if (!Number.isFinite(cost) || cost < 0) {
      throw new RangeError(
        `Initiative “${initiative.title}”: the ${what} must be a number of pounds, 0 or more; got ${cost}`,
      );
    }
  }
  return costs.reduce((sum, c) => sum + c.cost, 0);
}

const PER = 100_000;

/**
 * Ranks the initiatives still to be decided on; stopped and evaluated ones are listed apart.
 *
 * Score = Σ weight × component, each component from 0 to 1:
 * - bottleneck effect per pound: (effect % ÷ total cost) ÷ the best such ratio among the ranked
 *   initiatives, so the best value in the portfolio scores 1. Not modelled, no gain, a loss, or no
 *   recorded cost all score 0, each with its own explanation and flag.
 * - readiness: ready 1, ready with conditions 0.5, not ready or no assessment 0.
 * - risks above the appetite: 1 minus, for each risk not closed that is above the appetite, how far
 *   it is from the appetite towards the worst score of 25 ((score − appetite) ÷ (25 − appetite)),
 *   never below 0. One risk at 25 takes the whole component.
 * Ties on score are broken by the larger effect per pound, then the lower total cost, then the
 * title, then the id, so the order never depends on the order of the input.
 */
export function rankPortfolio(
  candidates: readonly PortfolioCandidate[],
  weights: PortfolioWeights = DEFAULT_PORTFOLIO_WEIGHTS,
  appetite: RiskAppetite = DEFAULT_RISK_APPETITE,
): PortfolioRanking {
  const checked = parsePortfolioWeights(weights);
  if (!checked.ok) throw new RangeError(checked.issues.map((i) => i.message).join('; '));
  const checkedAppetite = parseRiskAppetite(appetite);
  if (!checkedAppetite.ok) {
    throw new RangeError(checkedAppetite.issues.map((i) => i.message).join('; '));
  }
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.initiative.id)) {
      throw new Error(`Initiative ${c.initiative.id} (“${c.initiative.title}”) is listed twice`);
    }
    seen.add(c.initiative.id);
    if (c.bottleneckEffect !== null && !Number.isFinite(c.bottleneckEffect)) {
      throw new RangeError(
        `Initiative “${c.initiative.title}”: the bottleneck effect must be a number of per cent or null (not modelled); got ${c.bottleneckEffect}`,
      );
    }
    for (const risk of c.risks) {
      if (risk.initiativeId !== c.initiative.id) {
        throw new Error(
          `Risk “${risk.title}” belongs to initiative ${risk.initiativeId}, but was given with “${c.initiative.title}” (${c.initiative.id})`,
        );
      }
    }
  }

  const rankable = candidates.filter((c) => !UNRANKED_STATUSES.includes(c.initiative.status));
  const unranked = candidates
    .filter((c) => UNRANKED_STATUSES.includes(c.initiative.status))
    .map((c): UnrankedInitiative => ({
      initiativeId: c.initiative.id,
      title: c.initiative.title,
      status: c.initiative.status,
      reason:
        c.initiative.status === 'stopped'
          ? `Stopped${c.initiative.stoppedReason ? `: ${c.initiative.stoppedReason}` : ''}. Not ranked; its lessons belong in the lessons repository.`
          : 'Evaluated: the decision has been made and its results are known. Not ranked.',
    }))
    .sort((a, b) => compareText(a.title, b.title) || compareText(a.initiativeId, b.initiativeId));

  const costs = new Map(rankable.map((c) => [c.initiative.id, totalCost(c.initiative)]));
  const ratio = (c: PortfolioCandidate): number | null => {
    const cost = costs.get(c.initiative.id) ?? 0;
    return c.bottleneckEffect !== null && c.bottleneckEffect > 0 && cost > 0
      ? c.bottleneckEffect / cost
      : null;
  };
  const best = Math.max(0, ...rankable.map((c) => ratio(c) ?? 0));

  const scored = rankable.map((c) => {
    const cost = costs.get(c.initiative.id) ?? 0;
    const r = ratio(c);
    const effect = effectComponent(c, cost, r, best, weights.bottleneckEffectPerPound);
    const readiness = readinessComponent(c.readiness, weights.readiness);
    const risk = riskComponent(c.risks, appetite, weights.risksAboveAppetite);
    const components = [effect.component, readiness.component, risk.component];
    const score = components.reduce((sum, k) => sum + k.contribution, 0);
    return {
      candidate: c,
      cost,
      ratio: r ?? 0,
      score,
      components,
      flags: [...effect.flags, ...readiness.flags, ...risk.flags],
    };
  });

  const sameScore = (a: number, b: number) => Math.abs(a - b) <= 1e-9;
  const order = (a: (typeof scored)[number], b: (typeof scored)[number]): number =>
    (sameScore(a.score, b.score) ? 0 : b.score - a.score) ||
    (sameScore(a.ratio, b.ratio) ? 0 : b.ratio - a.ratio) ||
    a.cost - b.cost ||
    compareText(a.candidate.initiative.title, b.candidate.initiative.title) ||
    compareText(a.candidate.initiative.id, b.candidate.initiative.id);
  scored.sort(order);

  const ranked = scored.map((s, index): RankedInitiative => {
    const { initiative } = s.candidate;
    const above = index > 0 ? scored[index - 1] : undefined;
    const tie =
      above && sameScore(above.score, s.score)
        ? ` Level with “${above.candidate.initiative.title}” on ${formatPoints(s.score)} points; placed below it because ${tieReason(above, s)}.`
        : '';
    const lines = s.components.map(
      (k) =>
        `${k.label}: ${k.detail} ${formatShare(k.value)} × ${formatWeight(k.weight)} = ${formatPoints(k.contribution)} points.`,
    );
    return {
      rank: index + 1,
      initiativeId: initiative.id,
      title: initiative.title,
      status: initiative.status,
      totalCost: s.cost,
      bottleneckEffect: s.candidate.bottleneckEffect,
      score: s.score,
      points: s.score * 100,
      components: s.components,
      flags: s.flags,
      explanation:
        `Ranked ${index + 1} of ${scored.length} with ${formatPoints(s.score)} points out of 100.${tie} ` +
        lines.join(' '),
    };
  });

  return {
    weights,
    appetite,
    ranked,
    unranked,
    method:
      `Each initiative still to be decided scores up to 100 points: ` +
      `${formatPoints(weights.bottleneckEffectPerPound)} for its effect on the delivery chain’s bottleneck per pound spent, compared with the best in this portfolio (section 3.2); ` +
      `${formatPoints(weights.readiness)} for readiness (ready counts in full, ready with conditions half); ` +
      `${formatPoints(weights.risksAboveAppetite)} for staying within the risk appetite, less for each risk above it (section 3.4). ` +
      'Total cost includes the complementary investments in data, infrastructure, skills and process redesign. Stopped and evaluated initiatives are listed but not ranked.',
  };
}

interface Part {
  readonly component: PortfolioComponent;
  readonly flags: readonly PortfolioFlag[];
}

function effectComponent(
  c: PortfolioCandidate,
  cost: number,
  ratio: number | null,
  best: number,
  weight: number,
): Part {
  const make = (value: number, detail: string, flags: PortfolioFlag[]): Part => ({
    component: {
      id: 'bottleneck-effect-per-pound',
      label: 'Effect on the bottleneck per pound',
      value,
      weight,
      contribution: weight * value,
      detail,
    },
    flags,
  });
  const effect = c.bottleneckEffect;
  if (effect === null) {
    return make(
      0,
      'Its effect on the delivery chain has not been modelled, so it scores nothing here for now. That is not the same as having no effect: model it on the chain to score it (section 2.2.1).',
      ['effect-not-modelled'],
    );
  }
  if (effect === 0) {
    return make(
      0,
      'Modelled: no change in the chain’s throughput. An initiative away from the bottleneck adds little or nothing to what the chain delivers (section 3.2).',
      ['effect-not-positive'],
    );
  }
  if (effect < 0) {
    return make(
      0,
      `Modelled: the chain’s throughput falls by ${formatPercent(-effect)}; it would slow the chain, perhaps by moving the bottleneck downstream (section 2.2.1).`,
      ['effect-not-positive'],
    );
  }
  if (cost === 0 || ratio === null) {
    return make(
      0,
      `Modelled: throughput up ${formatPercent(effect)}, but no cost is recorded, so value for money cannot be worked out. Enter the technology cost and the complementary investments (section 3.2).`,
      ['no-cost-recorded'],
    );
  }
  const value = ratio / best;
  const perUnit = `${formatPercent(ratio * PER)} per £100,000`;
  return make(
    value,
    `Throughput up ${formatPercent(effect)} for ${formatPounds(cost)} in total (${perUnit}), ` +
      (value === 1
        ? 'the best value at the bottleneck in this portfolio.'
        : `${formatPercent(value * 100)} of the best in this portfolio (${formatPercent(best * PER)} per £100,000).`),
    [],
  );
}

function readinessComponent(readiness: PortfolioReadiness, weight: number): Part {
  const value = READINESS_VALUES[readiness];
  const details: Record<PortfolioReadiness, string> = {
    ready: 'Ready: the organisation’s capabilities meet what this initiative needs.',
    'ready-with-conditions': 'Ready with conditions: counts half until the conditions are met.',
    'not-ready': 'Not ready: counts nothing until the capability gaps that block it are closed.',
    'no-assessment':
      'No capability assessment to judge readiness by: counts nothing until one is done.',
  };
  return {
    component: {
      id: 'readiness',
      label: 'Readiness',
      value,
      weight,
      contribution: weight * value,
      detail: details[readiness],
    },
    flags: readiness === 'no-assessment' ? ['no-assessment'] : [],
  };
}

function riskComponent(risks: readonly Risk[], appetite: RiskAppetite, weight: number): Part {
  const above = risks
    .filter((r) => r.status !== 'closed' && appetiteExcess(r, appetite) > 0)
    .map((r) => ({
      risk: r,
      score: riskScore(r),
      limit: appetite[r.kind],
      share: appetiteExcess(r, appetite) / (25 - appetite[r.kind]),
    }))
    .sort((a, b) => b.share - a.share || compareText(a.risk.title, b.risk.title));
  const taken = above.reduce((sum, a) => sum + a.share, 0);
  const value = Math.max(0, 1 - taken);
  const detail =
    above.length === 0
      ? 'No open risk is above the appetite.'
      : `${above.length === 1 ? 'One risk is' : `${above.length} risks are`} above the appetite (` +
        above
          .map((a) => `“${a.risk.title}”, ${a.risk.kind}, ${a.score} against ${a.limit}`)
          .join('; ') +
        `), taking ${formatPercent(Math.min(1, taken) * 100)} off this part.`;
  return {
    component: {
      id: 'risks-above-appetite',
      label: 'Risks above the appetite',
      value,
      weight,
      contribution: weight * value,
      detail,
    },
    flags: above.length > 0 ? ['risks-above-appetite'] : [],
  };
}

function tieReason(
  above: { ratio: number; cost: number; candidate: PortfolioCandidate },
  below: { ratio: number; cost: number; candidate: PortfolioCandidate },
): string {
  if (Math.abs(above.ratio - below.ratio) > 1e-9) {
    return 'that one has the larger effect on the bottleneck per pound';
  }
  if (above.cost !== below.cost) return 'that one costs less in total';
  if (compareText(above.candidate.initiative.title, below.candidate.initiative.title) !== 0) {
    return 'everything else is equal, and that one’s title comes first alphabetically';
  }
  return 'everything else is equal, and that one’s reference comes first';
}

// ----- Innovation fund -------------------------------------------------------------------------

/** Money committed from the fund, to an initiative or to something else (a discovery, training …). */
export interface FundCommitment {
  readonly id: string;
  readonly description: string;
  /** Whole pounds, more than 0. */
  readonly amount: number;
  readonly initiativeId: string | null;
}

/**
 * The dedicated, ring-fenced fund for innovation and experimentation of Table 1 (Planning &
 * Prioritisation, level 1), and whether it is protected from in-year reprioritisation (level 2).
 */
export interface InnovationFund {
  /** Whole pounds available for the year. */
  readonly budget: number;
  readonly commitments: readonly FundCommitment[];
  readonly protectedFromInYearReprioritisation: boolean;
}

const pounds = (what: string) =>
  z
    .number({ error: `Enter ${what} in whole pounds` })
    .int(`Enter ${what} in whole pounds, without pence`)
    .min(0, `${what.charAt(0).toUpperCase()}${what.slice(1)} cannot be negative`)
    .max(1e12, `${what.charAt(0).toUpperCase()}${what.slice(1)} is too large`);

export const fundCommitmentSchema = z.object({
  id: z.string().min(1),
  description: z
    .string({ error: 'Describe what the money is committed to' })
    .trim()
    .min(1, 'Describe what the money is committed to')
    .max(300, 'The description must be 300 characters or fewer'),
  amount: pounds('the amount').refine((n) => n > 0, 'The amount must be more than £0'),
  initiativeId: z.string().min(1).nullable(),
});

export const innovationFundSchema = z
  .object({
    budget: pounds('the budget'),
    commitments: z.array(fundCommitmentSchema).max(500, 'A fund can hold at most 500 commitments'),
    protectedFromInYearReprioritisation: z.boolean({
      error: 'Say whether the fund is protected from in-year reprioritisation',
    }),
  })
  .superRefine((fund, ctx) => {
    const ids = new Set<string>();
    fund.commitments.forEach((c, i) => {
      if (ids.has(c.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['commitments', i, 'id'],
          message: `Commitment ${c.id} is listed twice`,
        });
      }
      ids.add(c.id);
    });
  });

export interface FundPosition {
  readonly budget: number;
  readonly committed: number;
  /** Budget minus commitments; negative when over-committed. */
  readonly headroom: number;
  readonly overCommitted: boolean;
  /** How much more is committed than the budget; 0 when within it. */
  readonly overCommittedBy: number;
  readonly committedToInitiatives: readonly {
    readonly initiativeId: string;
    readonly title: string | null;
    readonly amount: number;
  }[];
  /** Commitments not linked to an initiative. */
  readonly committedElsewhere: number;
  /** Commitments that need attention: to stopped or unknown initiatives. */
  readonly warnings: readonly string[];
  readonly protectedFromInYearReprioritisation: boolean;
  /** What the protection (or its absence) means, per Table 1 levels 1–2. */
  readonly consequence: string;
  readonly summary: string;
}

/**
 * Where the fund stands: committed, headroom, over-commitment, and commitments that look wrong
 * (money still committed to a stopped initiative, or to one that is not in the list given).
 * Throws with the schema's message for a malformed fund.
 */
export function fundPosition(
  fund: InnovationFund,
  initiatives: readonly Initiative[] = [],
): FundPosition {
  const parsed = innovationFundSchema.safeParse(fund);
  if (!parsed.success) {
    throw new RangeError(
      `The innovation fund is not valid: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  const byId = new Map(initiatives.map((i) => [i.id, i]));
  const committed = fund.commitments.reduce((sum, c) => sum + c.amount, 0);
  const headroom = fund.budget - committed;
  const perInitiative = new Map<string, number>();
  let committedElsewhere = 0;
  const warnings: string[] = [];
  for (const c of fund.commitments) {
    if (c.initiativeId === null) {
      committedElsewhere += c.amount;
      continue;
    }
    perInitiative.set(c.initiativeId, (perInitiative.get(c.initiativeId) ?? 0) + c.amount);
  }
  for (const [id, amount] of perInitiative) {
    const initiative = byId.get(id);
    if (initiatives.length > 0 && !initiative) {
      warnings.push(
        `${formatPounds(amount)} is committed to initiative ${id}, which is not in this organisation’s list.`,
      );
    } else if (initiative?.status === 'stopped') {
      warnings.push(
        `${formatPounds(amount)} is still committed to “${initiative.title}”, which was stopped: release it for other work.`,
      );
    }
  }
  const committedToInitiatives = [...perInitiative]
    .map(([initiativeId, amount]) => ({
      initiativeId,
      title: byId.get(initiativeId)?.title ?? null,
      amount,
    }))
    .sort(
      (a, b) =>
        b.amount - a.amount || compareText(a.title ?? a.initiativeId, b.title ?? b.initiativeId),
    );
  const overCommitted = headroom < 0;
  const consequence = fund.protectedFromInYearReprioritisation
    ? 'The fund is protected from in-year reprioritisation: what is committed from it stays committed through the year, so teams can plan beyond one budget round and staff can put effort into work they do not expect to be cancelled. Table 1 (Planning & Prioritisation) counts protected budgets as Good (level 2) and a ring-fenced innovation fund as Outstanding (level 1).'
    : 'The fund is not protected from in-year reprioritisation: its money can be moved to short-term pressures during the year. Section 3.2 warns that this drains long-term, uncertain projects and that staff will not invest effort in work they expect to be cancelled. Protecting it is part of Good (level 2) in Table 1 (Planning & Prioritisation), and a ring-fenced fund part of Outstanding (level 1).';
  const summary = overCommitted
    ? `Over-committed: ${formatPounds(committed)} is committed against a budget of ${formatPounds(fund.budget)}, ${formatPounds(-headroom)} more than the fund holds.`
    : `${formatPounds(committed)} of ${formatPounds(fund.budget)} committed; ${formatPounds(headroom)} left.`;
  return {
    budget: fund.budget,
    committed,
    headroom,
    overCommitted,
    overCommittedBy: overCommitted ? -headroom : 0,
    committedToInitiatives,
    committedElsewhere,
    warnings,
    protectedFromInYearReprioritisation: fund.protectedFromInYearReprioritisation,
    consequence,
    summary,
  };
}

// ----- Formatting ------------------------------------------------------------------------------

const POUNDS = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  maximumFractionDigits: 0,
});

function formatPounds(amount: number): string {
  return POUNDS.format(amount);
}

/** One decimal place, without a trailing ".0": 12.5%, 20%. */
function formatPercent(value: number): string {
  return `${Number(value.toFixed(1))}%`;
}

/** A 0–1 score as points out of 100, one decimal place. */
function formatPoints(value: number): string {
  return (value * 100).toFixed(1);
}

function formatShare(value: number): string {
  return value.toFixed(2);
}

function formatWeight(value: number): string {
  return `${formatPoints(value)} points`;
}

const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });
function compareText(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
