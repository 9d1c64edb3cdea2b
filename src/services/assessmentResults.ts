// Computes a round's results from the stored answers with the pure assessment domain, or reads them
// from the round's finalised snapshot, which never changes once written.
import {
  effectiveLevels,
  orderForAttention,
  protectSummary,
  summariseRound,
  type Answer,
  type AgreedLevel,
  type AttentionEntry,
  type EffectiveLevel,
  type RoundSummary,
} from '../domain/assessment/index.ts';
import type { Framework } from '../domain/framework/index.ts';
import type { AgreedRating, OrgScope, Round } from '../storage/index.ts';
import type { FrameworkRegistry } from './frameworks.ts';

/** What a finalised round stores: the results and the agreed levels as they stood, with the framework used. */
export interface RoundSnapshotContent {
  readonly kind: 'throughline.round-snapshot';
  readonly summary: RoundSummary;
  readonly agreed: readonly AgreedLevel[];
  readonly respondents: number;
  readonly takenAt: string;
}

export interface RoundResults {
  readonly round: Round;
  readonly framework: Framework;
  readonly summary: RoundSummary;
  readonly agreed: readonly AgreedLevel[];
  /**
   * Each capability's one level (agreed, else the median), in the framework's order, and the order
   * for attention by it. Every surface reads these, never `summary.attention`, which is by median.
   */
  readonly levels: readonly EffectiveLevel[];
  readonly attention: readonly AttentionEntry[];
  readonly respondents: number;
  /** Set when the results come from a finalised snapshot. */
  readonly snapshot?: {
    readonly version: number;
    readonly createdAt: string;
    readonly reason: string;
  };
  /** The answers behind the results (empty for snapshots of other rounds); used for the roadmap. */
  readonly answers: readonly Answer[];
  /**
   * Names the figures (summary and respondent count) of a closed or finalised round: two results
   * with the same key have the same figures, so pages drawn from them may be kept. Undefined while
   * the figures can still change (draft and open rounds).
   */
  readonly figuresKey?: string;
}

/**
 * Answers and the summary of closed and finalised rounds, which no longer change: a closed round
 * accepts no answers and only unsubmitted responses can be revoked. The key holds everything else
 * that could change them (reopening and closing again sets a new closing time; an edit may rename
 * groups or change the minimum group size), so a stale entry is never found, in this process or
 * after another process changed the round. Agreed levels and snapshots are still read every time.
 * Bounded, least recently used first out.
 */
interface CachedRound {
  readonly answers: readonly Answer[];
  readonly respondents: number;
  readonly summary: RoundSummary;
}
const CACHE_LIMIT = 32;
const cache = new Map<string, CachedRound>();

function cacheKey(round: Round): string | undefined {
  if (round.status !== 'closed' && round.status !== 'finalised') return undefined;
  return JSON.stringify([
    round.id,
    round.closedAt,
    round.scope,
    round.frameworkId,
    round.frameworkVersion,
    round.minGroupSize,
    round.groups.map((g) => [g.id, g.name]),
  ]);
}

function remember(key: string, entry: CachedRound): void {
  cache.delete(key);
  cache.set(key, entry);
  while (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
}

async function answersAndSummary(
  scope: OrgScope,
  framework: Framework,
  round: Round,
  key: string | undefined,
): Promise<CachedRound> {
  const hit = key === undefined ? undefined : cache.get(key);
  if (key !== undefined && hit) {
    remember(key, hit);
    return hit;
  }
  const answers: Answer[] = (await scope.assessments.submittedAnswers(round.id)).map((a) => ({
    responseId: a.responseId,
    groupId: a.groupId,
    capabilityId: a.capabilityId,
    level: a.dontKnow ? null : a.level,
    indicatorsSeen: a.indicatorsSeen,
    evidence: a.evidence,
    confidence: a.confidence,
  }));
  const entry: CachedRound = {
    answers,
    respondents: new Set(answers.map((a) => a.responseId)).size,
    summary: summariseRound(framework, round.scope, answers, round.groups, {
      minGroupSize: round.minGroupSize,
    }),
  };
  if (key !== undefined) remember(key, entry);
  return entry;
}

export async function roundResults(
  scope: OrgScope,
  frameworks: FrameworkRegistry,
  round: Round,
): Promise<RoundResults> {
  const framework = await frameworks.forRound(scope, round);
  const key = cacheKey(round);
  const { answers, respondents, summary } = await answersAndSummary(scope, framework, round, key);
  if (round.status === 'finalised') {
    const latest = (await scope.assessments.snapshots(round.id)).at(-1);
    if (latest) {
      const content = latest.snapshot as RoundSnapshotContent;
      // Disclosure control applies to snapshots too, including those written before it existed.
      const protectedSummary = protectSummary(content.summary);
      return {
        round,
        framework,
        summary: protectedSummary,
        agreed: content.agreed,
        ...levelsOf(framework, protectedSummary, content.agreed),
        respondents: content.respondents,
        snapshot: { version: latest.version, createdAt: latest.createdAt, reason: latest.reason },
        answers,
        // A snapshot is never changed once written; a correction is a new one.
        figuresKey: JSON.stringify([
          'snapshot',
          round.id,
          latest.id,
          latest.version,
          latest.createdAt,
        ]),
      };
    }
  }
  const agreed = (await scope.assessments.agreedRatings(round.id)).map(toAgreedLevel);
  return {
    round,
    framework,
    summary,
    agreed,
    ...levelsOf(framework, summary, agreed),
    respondents,
    answers,
    ...(key === undefined ? {} : { figuresKey: JSON.stringify(['answers', key]) }),
  };
}

/** The effective levels and attention order of a round's figures with its agreed levels. */
export function levelsOf(
  framework: Framework,
  summary: RoundSummary,
  agreed: readonly AgreedLevel[],
): Pick<RoundResults, 'levels' | 'attention'> {
  return {
    levels: effectiveLevels(summary, agreed),
    attention: orderForAttention(summary.results, framework, agreed),
  };
}

export function toAgreedLevel(a: AgreedRating): AgreedLevel {
  return {
    capabilityId: a.capabilityId,
    agreedLevel: a.agreedLevel,
    evidenceStrength: a.evidenceStrength,
    rationale: a.rationale,
  };
}

export function snapshotOf(
  results: RoundResults,
  agreed: readonly AgreedLevel[],
): RoundSnapshotContent {
  return {
    kind: 'throughline.round-snapshot',
    summary: results.summary,
    agreed,
    respondents: results.respondents,
    takenAt: new Date().toISOString(),
  };
}
