// The portfolio of issue 11 (paper section 3.2 and appendix Table 1, Planning & Prioritisation):
// gathers what the portfolio engine needs from storage – every initiative of the organisation with
// its modelled effect on the bottleneck, its readiness verdict and its risks, the weights and the
// risk appetite the organisation set (else the defaults) – and ranks them; and reads the innovation
// fund. The latest assessment and the readiness table are read once per portfolio, not once per
// initiative, so every verdict on the page is read against the same two.
import { currentAppetite, readRisk } from './risks.ts';
import {
  DEFAULT_PORTFOLIO_WEIGHTS,
  fundPosition,
  innovationFundSchema,
  parsePortfolioWeights,
  rankPortfolio,
  type FundPosition,
  type InnovationFund,
  type PortfolioCandidate,
  type PortfolioRanking,
  type PortfolioWeights,
} from '../domain/initiatives/portfolio.ts';
import { type Risk, type RiskAppetite } from '../domain/initiatives/risks.ts';
import type { ReadinessResult, ReadinessTable } from '../domain/readiness/index.ts';
import type { OrgScope, StoredInitiative } from '../storage/index.ts';
import type { FrameworkRegistry } from './frameworks.ts';
import {
  chainCheckOf,
  latestAssessment,
  readinessTableOf,
  readinessWith,
  type AssessmentBasis,
} from './initiatives.ts';

/** A setting as the portfolio uses it: the organisation's latest version, or the default (version null). */
export interface SettingInUse<T> {
  readonly value: T;
  /** The stored version in use; null when the default applies. */
  readonly version: number | null;
  /** Said when a stored version could not be read and the default is used instead. */
  readonly problem: string | null;
}

/** The organisation's portfolio weights, else the default. */
export async function portfolioWeightsOf(scope: OrgScope): Promise<SettingInUse<PortfolioWeights>> {
  const stored = await scope.initiatives.setting('portfolio-weights');
  if (!stored) return { value: DEFAULT_PORTFOLIO_WEIGHTS, version: null, problem: null };
  const parsed = parsePortfolioWeights(stored.document);
  return parsed.ok
    ? { value: parsed.weights, version: stored.version, problem: null }
    : {
        value: DEFAULT_PORTFOLIO_WEIGHTS,
        version: null,
        problem: `The saved weights (version ${stored.version}) could not be read (${parsed.issues.map((i) => i.message).join('; ')}), so the default weights are used.`,
      };
}

/** The organisation's risk appetite, else the default, as the risk pages read it. */
export async function riskAppetiteOf(scope: OrgScope): Promise<SettingInUse<RiskAppetite>> {
  const { appetite, version, unreadable } = await currentAppetite(scope);
  return {
    value: appetite,
    version,
    problem: unreadable
      ? 'The saved risk appetite could not be read, so the default appetite is used.'
      : null,
  };
}

/** The organisation's innovation fund as last saved, or null when none has been set up. */
export async function innovationFundOf(
  scope: OrgScope,
): Promise<{ fund: InnovationFund; version: number } | null> {
  const stored = await scope.initiatives.setting('innovation-fund');
  if (!stored) return null;
  const parsed = innovationFundSchema.safeParse(stored.document);
  // Every version was checked by the same schema when it was saved; one that no longer checks
  // (a format change) is shown as missing rather than half-read.
  return parsed.success ? { fund: parsed.data, version: stored.version } : null;
}

export interface Portfolio {
  readonly ranking: PortfolioRanking;
  readonly initiatives: readonly StoredInitiative[];
  /** Each initiative's readiness verdict, by initiative id. */
  readonly readiness: ReadonlyMap<string, ReadinessResult>;
  readonly assessment: AssessmentBasis | null;
  readonly table: { readonly table: ReadinessTable; readonly version: number | null };
  readonly weights: SettingInUse<PortfolioWeights>;
  readonly appetite: SettingInUse<RiskAppetite>;
  readonly fund: {
    readonly fund: InnovationFund;
    readonly version: number;
    readonly position: FundPosition;
  } | null;
  /** Risks whose stored document could not be read, left out of the score. */
  readonly unreadableRisks: number;
}

/** Every initiative of the organisation ranked, with everything the ranking was read against. */
export async function portfolioOf(
  scope: OrgScope,
  frameworks: FrameworkRegistry,
): Promise<Portfolio> {
  const [initiatives, assessment, table, storedRisks, weights, appetite, fund] = await Promise.all([
    scope.initiatives.list(),
    latestAssessment(scope, frameworks),
    readinessTableOf(scope),
    scope.initiatives.risks(),
    portfolioWeightsOf(scope),
    riskAppetiteOf(scope),
    innovationFundOf(scope),
  ]);
  const risksOf = new Map<string, Risk[]>();
  let unreadableRisks = 0;
  for (const stored of storedRisks) {
    const risk = readRisk(stored)?.risk ?? null;
    if (risk === null) {
      unreadableRisks += 1;
      continue;
    }
    risksOf.set(risk.initiativeId, [...(risksOf.get(risk.initiativeId) ?? []), risk]);
  }
  const readiness = new Map<string, ReadinessResult>();
  const candidates = await Promise.all(
    initiatives.map(async (stored): Promise<PortfolioCandidate> => {
      const { result } = readinessWith(stored.initiative, assessment, table.table);
      readiness.set(stored.initiative.id, result);
      const check = await chainCheckOf(scope, stored);
      return {
        initiative: stored.initiative,
        bottleneckEffect: check?.throughputEffect ?? null,
        readiness: result.verdict,
        risks: risksOf.get(stored.initiative.id) ?? [],
      };
    }),
  );
  return {
    ranking: rankPortfolio(candidates, weights.value, appetite.value),
    initiatives,
    readiness,
    assessment,
    table,
    weights,
    appetite,
    fund: fund
      ? {
          ...fund,
          position: fundPosition(
            fund.fund,
            initiatives.map((s) => s.initiative),
          ),
        }
      : null,
    unreadableRisks,
  };
}
