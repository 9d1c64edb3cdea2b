// Application service of the initiatives feature (issue 11): gathers what the pure engines need from
// storage – the organisation's latest assessment (finalised, else the latest closed round, said so),
// its readiness table, the initiative's chain and the intervention that models it – and calls the
// engines. Pages, the JSON API and the portfolio all ask for a verdict here, so each shows the same.
import { analyseChain, compareScenarios } from '../domain/chain/index.ts';
import type { ScenarioResult } from '../domain/chain/index.ts';
import { checkBottleneck, type BottleneckCheck } from '../domain/initiatives/bottleneck.ts';
import type { Initiative } from '../domain/initiatives/types.ts';
import {
  assessReadiness,
  capabilityLevels,
  DEFAULT_READINESS_TABLE,
  parseReadinessTable,
  snapshotReadiness,
  type AssessmentReference,
  type ReadinessResult,
  type ReadinessSnapshot,
  type ReadinessTable,
} from '../domain/readiness/index.ts';
import type { OrgScope, Round, StoredChain, StoredInitiative } from '../storage/index.ts';
import { roundResults, type RoundResults } from './assessmentResults.ts';
import type { FrameworkRegistry } from './frameworks.ts';

/** The assessment a verdict is read against. */
export interface AssessmentBasis {
  readonly round: Round;
  /** A finalised round is the organisation's settled view; a closed one is used only when none is. */
  readonly basis: 'finalised' | 'closed';
  readonly results: RoundResults;
  readonly reference: AssessmentReference;
  /** Said beside every verdict read against this round. */
  readonly note: string;
}

/** The organisation's latest finalised organisation-level round, else its latest closed one. */
export async function latestAssessment(
  scope: OrgScope,
  frameworks: FrameworkRegistry,
): Promise<AssessmentBasis | null> {
  const rounds = (await scope.assessments.rounds()).filter((r) => r.scope === 'organisation');
  // The latest by when the round closed to answers (its own date), not by when someone finalised it.
  const latest = (status: 'finalised' | 'closed') =>
    rounds
      .filter((r) => r.status === status)
      .sort((a, b) => b.closesOn.localeCompare(a.closesOn) || b.id.localeCompare(a.id))[0];
  const chosen = latest('finalised') ?? latest('closed');
  if (!chosen) return null;
  const round = await scope.assessments.round(chosen.id);
  if (!round) return null;
  const results = await roundResults(scope, frameworks, round);
  const basis = round.status === 'finalised' ? 'finalised' : 'closed';
  const date =
    basis === 'finalised'
      ? (results.snapshot?.createdAt ?? round.finalisedAt ?? round.closesOn)
      : (round.closedAt ?? round.closesOn);
  return {
    round,
    basis,
    results,
    reference: { roundId: round.id, title: round.title, date: date.slice(0, 10) },
    note:
      basis === 'finalised'
        ? `Read against the finalised assessment “${round.title}”.`
        : `No assessment has been finalised yet, so this is read against the latest closed one, “${round.title}”, whose levels may still change in moderation.`,
  };
}

/** The organisation's readiness table (an admin's latest version), else the paper's default. */
export async function readinessTableOf(
  scope: OrgScope,
): Promise<{ table: ReadinessTable; version: number | null }> {
  const stored = await scope.initiatives.setting('readiness-table');
  if (!stored) return { table: DEFAULT_READINESS_TABLE, version: null };
  const parsed = parseReadinessTable(stored.document);
  // A stored table was checked when saved; one that no longer checks falls back, never half-applies.
  return parsed.ok
    ? { table: parsed.table, version: stored.version }
    : { table: DEFAULT_READINESS_TABLE, version: null };
}

export interface ReadinessView {
  readonly result: ReadinessResult;
  readonly assessment: AssessmentBasis | null;
}

/** The verdict for an initiative against the organisation's latest assessment and table. */
export function readinessWith(
  initiative: Initiative,
  assessment: AssessmentBasis | null,
  table: ReadinessTable,
): ReadinessView {
  const result = assessReadiness({
    initiative,
    levels: assessment
      ? capabilityLevels(assessment.results.summary.results, assessment.results.agreed)
      : [],
    table,
    ...(assessment
      ? { framework: assessment.results.framework, results: assessment.results.summary.results }
      : {}),
  });
  return { result, assessment };
}

export async function readinessOf(
  scope: OrgScope,
  frameworks: FrameworkRegistry,
  initiative: Initiative,
): Promise<ReadinessView> {
  const [assessment, { table }] = await Promise.all([
    latestAssessment(scope, frameworks),
    readinessTableOf(scope),
  ]);
  return readinessWith(initiative, assessment, table);
}

/** The verdict as it stands now, frozen for the record (kept when an initiative is approved). */
export function snapshotOf(view: ReadinessView, now = new Date()): ReadinessSnapshot {
  return snapshotReadiness(view.result, {
    assessment: view.assessment?.reference ?? null,
    computedAt: now,
  });
}

/** The governance key naming the chain intervention that models an initiative. */
export const MODELLED_BY = 'modelledBy';

export interface ChainCheck {
  readonly chain: StoredChain;
  /** Null when the initiative names the chain but not a stage. */
  readonly check: BottleneckCheck | null;
  /** The intervention that models the initiative, when one is chosen and still exists. */
  readonly interventionId: string | null;
  /** The modelled change in the chain's maximum throughput, per cent; null when not modelled. */
  readonly throughputEffect: number | null;
}

/**
 * Where the initiative acts in its chain and, when an intervention models it, what that does. With
 * `simulate`, the scenario is also simulated (intervals for the business case); otherwise the closed
 * forms alone answer, fast enough for every page.
 */
export async function chainCheckOf(
  scope: OrgScope,
  stored: StoredInitiative,
  options: { simulate?: boolean } = {},
): Promise<ChainCheck | null> {
  const { chainId, stageId } = stored.initiative;
  if (chainId === null) return null;
  const chain = await scope.chains.get(chainId);
  if (!chain) return null;
  const wanted = stored.governance[MODELLED_BY];
  const intervention =
    typeof wanted === 'string' ? chain.model.interventions.find((i) => i.id === wanted) : undefined;
  let scenario: ScenarioResult | undefined;
  if (intervention) {
    const comparison = compareScenarios(chain.model, {
      scenarios: [
        { id: intervention.id, name: intervention.name, interventions: [intervention.id] },
      ],
      ...(options.simulate ? {} : { simulation: false }),
    });
    scenario = comparison.scenarios[0];
  }
  const stageKnown = stageId !== null && chain.model.stages.some((s) => s.id === stageId);
  const check = stageKnown ? checkBottleneck(chain.model, stageId, scenario) : null;
  const base = analyseChain(chain.model).maxThroughputPerWeek;
  const after = scenario?.analysis.maxThroughputPerWeek;
  return {
    chain,
    check,
    interventionId: intervention?.id ?? null,
    throughputEffect:
      after === undefined || base <= 0 ? null : Math.round(((after - base) / base) * 1000) / 10,
  };
}
