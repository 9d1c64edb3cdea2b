// Computes a round's results from the stored answers with the pure assessment domain, or reads them
// from the round's finalised snapshot, which never changes once written. A finalised round is frozen
// (issue 12, point 3): its snapshot keeps the targets, framework version, agreed levels (with their
// evidence and any override of the evidence rule) and the roadmap as they were when it was
// finalised, and every page and export of it reads them from there, never today's targets.
import {
  capabilityRoadmap,
  effectiveLevels,
  evidenceGiven,
  orderForAttention,
  protectSummary,
  summariseRound,
  targetsAsOf,
  type Answer,
  type AgreedLevel,
  type AttentionEntry,
  type EffectiveLevel,
  type Level,
  type Roadmap,
  type RoundSummary,
} from '../domain/assessment/index.ts';
import type { Framework } from '../domain/framework/index.ts';
import type { AgreedRating, OrgScope, Round, RoundSnapshot } from '../storage/index.ts';
import type { FrameworkRegistry } from './frameworks.ts';

/** A target as it stood when the round was finalised. */
export interface FrozenTarget {
  readonly capabilityId: string;
  readonly targetLevel: Level;
  readonly rationale: string;
  readonly setAt: string;
}

/** A capability's roadmap as generated when the version was written (null: no level to start from). */
export interface FrozenRoadmap {
  readonly capabilityId: string;
  readonly roadmap: Roadmap | null;
}

/**
 * What a finalised round stores: the results and the agreed levels as they stood, with the framework
 * used, the targets and the roadmap. `framework`, `targets` and `roadmaps` were added by issue 12;
 * older snapshots have none of them and are read as `readSnapshot` explains.
 */
export interface RoundSnapshotContent {
  readonly kind: 'throughline.round-snapshot';
  readonly summary: RoundSummary;
  readonly agreed: readonly AgreedLevel[];
  readonly respondents: number;
  readonly takenAt: string;
  readonly framework?: { readonly id: string; readonly version: string };
  /** Absent in older snapshots; when present, the only targets of this version. */
  readonly targets?: readonly FrozenTarget[];
  readonly roadmaps?: readonly FrozenRoadmap[];
}

/**
 * Where the targets of a result come from: `current` (the organisation's targets today, for a
 * round not yet finalised), `recorded` (kept in the snapshot), `reconstructed` (an older snapshot:
 * rebuilt from the audit history of target changes as of finalising) or `unrecorded` (an older
 * snapshot whose targets cannot be rebuilt: none are shown).
 */
export type TargetsBasis = 'current' | 'recorded' | 'reconstructed' | 'unrecorded';

/** One version of a finalised round's results: who made it, when and why. */
export interface RoundVersion {
  readonly version: number;
  readonly createdAt: string;
  readonly createdByName: string;
  readonly reason: string;
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
  /** The targets every surface measures this round against (see `targetsBasis`). */
  readonly targets: Readonly<Record<string, Level>>;
  readonly targetsBasis: TargetsBasis;
  /** The targets kept in a finalised version, with their reasons (recorded basis only). */
  readonly frozenTargets?: readonly FrozenTarget[];
  /** The roadmap as generated when the version was written (snapshots from issue 12 on). */
  readonly frozenRoadmaps?: readonly FrozenRoadmap[];
  /** Set when the results come from a finalised snapshot. */
  readonly snapshot?: {
    readonly version: number;
    readonly createdAt: string;
    readonly reason: string;
    readonly createdByName: string;
    /** The newest version: when it is not this one, the page says so. */
    readonly latestVersion: number;
    /** Every version, oldest first. */
    readonly versions: readonly RoundVersion[];
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

/**
 * A round's results: of a finalised round, its latest version (or `version`, when given); of any
 * other round, computed from the answers with today's targets. Undefined only when a version is
 * asked for that the round does not have.
 */
export async function roundResultsVersion(
  scope: OrgScope,
  frameworks: FrameworkRegistry,
  round: Round,
  version?: number,
): Promise<RoundResults | undefined> {
  const framework = await frameworks.forRound(scope, round);
  const key = cacheKey(round);
  const { answers, respondents, summary } = await answersAndSummary(scope, framework, round, key);
  if (round.status === 'finalised') {
    const all = await scope.assessments.snapshots(round.id);
    const chosen = version === undefined ? all.at(-1) : all.find((s) => s.version === version);
    if (version !== undefined && !chosen) return undefined;
    if (chosen) {
      const content = chosen.snapshot as RoundSnapshotContent;
      const { targets, targetsBasis } = await snapshotTargets(scope, round, all, content);
      // Disclosure control applies to snapshots too, including those written before it existed.
      const protectedSummary = protectSummary(content.summary);
      return {
        round,
        framework,
        summary: protectedSummary,
        agreed: content.agreed,
        ...levelsOf(framework, protectedSummary, content.agreed),
        respondents: content.respondents,
        targets,
        targetsBasis,
        ...(content.targets ? { frozenTargets: content.targets } : {}),
        ...(content.roadmaps ? { frozenRoadmaps: content.roadmaps } : {}),
        snapshot: {
          version: chosen.version,
          createdAt: chosen.createdAt,
          reason: chosen.reason,
          createdByName: chosen.createdByName,
          latestVersion: all.at(-1)?.version ?? chosen.version,
          versions: all.map((s) => ({
            version: s.version,
            createdAt: s.createdAt,
            createdByName: s.createdByName,
            reason: s.reason,
          })),
        },
        answers,
        // A snapshot is never changed once written; a correction is a new one.
        figuresKey: JSON.stringify([
          'snapshot',
          round.id,
          chosen.id,
          chosen.version,
          chosen.createdAt,
        ]),
      };
    }
  } else if (version !== undefined) {
    return undefined;
  }
  const agreed = (await scope.assessments.agreedRatings(round.id)).map(toAgreedLevel);
  return {
    round,
    framework,
    summary,
    agreed,
    ...levelsOf(framework, summary, agreed),
    respondents,
    targets: Object.fromEntries(
      (await scope.assessments.targets()).map((t) => [t.capabilityId, t.targetLevel]),
    ),
    targetsBasis: 'current',
    answers,
    ...(key === undefined ? {} : { figuresKey: JSON.stringify(['answers', key]) }),
  };
}

/** What a page says about where a finalised version's targets come from; undefined for live rounds. */
export function targetsNote(r: Pick<RoundResults, 'targetsBasis'>): string | undefined {
  switch (r.targetsBasis) {
    case 'recorded':
      return 'Targets are those set when the round was finalised; targets set later apply to later rounds.';
    case 'reconstructed':
      return 'Targets were not recorded with this version; those shown are the targets as they stood when the round was finalised, rebuilt from the audit log.';
    case 'unrecorded':
      return 'Targets were not recorded with this version, so none are shown.';
    default:
      return undefined;
  }
}

/** A round's results (of a finalised round, its latest version). */
export async function roundResults(
  scope: OrgScope,
  frameworks: FrameworkRegistry,
  round: Round,
): Promise<RoundResults> {
  const results = await roundResultsVersion(scope, frameworks, round);
  if (!results) throw new Error('A round without a version asked for always has results');
  return results;
}

/**
 * The targets of a finalised version: those kept in it, or, for a snapshot written before targets
 * were kept, those that stood when the round was finalised, rebuilt from the audit history; if that
 * history does not reach, none (and the pages say the targets were not recorded with this version).
 */
async function snapshotTargets(
  scope: OrgScope,
  round: Round,
  all: readonly RoundSnapshot[],
  content: RoundSnapshotContent,
): Promise<Pick<RoundResults, 'targets' | 'targetsBasis'>> {
  if (content.targets) {
    return {
      targets: Object.fromEntries(content.targets.map((t) => [t.capabilityId, t.targetLevel])),
      targetsBasis: 'recorded',
    };
  }
  const finalisedAt = all[0]?.createdAt ?? round.finalisedAt ?? content.takenAt;
  const rebuilt = targetsAsOf(
    finalisedAt,
    await scope.assessments.targets(),
    await scope.assessments.targetHistory(),
  );
  return rebuilt.complete
    ? { targets: rebuilt.targets, targetsBasis: 'reconstructed' }
    : { targets: {}, targetsBasis: 'unrecorded' };
}

/**
 * Each capability's roadmap in the order for attention: as generated when a finalised version was
 * written, else generated now from the results, agreed levels and targets.
 */
export function roadmapsFor(
  r: Pick<RoundResults, 'attention' | 'framework' | 'agreed' | 'targets' | 'answers'> & {
    readonly frozenRoadmaps?: readonly FrozenRoadmap[];
  },
): { readonly entry: AttentionEntry; readonly roadmap: Roadmap | undefined }[] {
  const frozen = r.frozenRoadmaps && new Map(r.frozenRoadmaps.map((f) => [f.capabilityId, f]));
  const agreedById = new Map(r.agreed.map((a) => [a.capabilityId, a]));
  return r.attention.map((entry) => {
    const kept = frozen?.get(entry.capabilityId);
    if (frozen) return { entry, roadmap: kept?.roadmap ?? undefined };
    return {
      entry,
      roadmap: capabilityRoadmap(r.framework, entry.result, {
        targetLevel: r.targets[entry.capabilityId],
        agreedLevel: agreedById.get(entry.capabilityId)?.agreedLevel,
        evidence: evidenceGiven(r.answers, entry.capabilityId),
      }),
    };
  });
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
    ...(a.evidenceOverride
      ? {
          evidenceOverride: {
            reason: a.evidenceOverride.reason,
            byName: a.evidenceOverride.byName,
            at: a.evidenceOverride.at,
          },
        }
      : {}),
  };
}

/**
 * The content of a new version: the results with these agreed levels, the targets the round is
 * measured against (today's when finalising; a correction keeps those of the version it corrects),
 * the framework and the roadmap generated from them.
 */
export function snapshotOf(
  results: RoundResults,
  agreed: readonly AgreedLevel[],
  targetDetails: readonly FrozenTarget[] = results.frozenTargets ?? [],
): RoundSnapshotContent {
  const detailById = new Map(targetDetails.map((t) => [t.capabilityId, t]));
  const targets: FrozenTarget[] | undefined =
    results.targetsBasis === 'unrecorded'
      ? undefined
      : Object.entries(results.targets).map(([capabilityId, targetLevel]) => ({
          capabilityId,
          targetLevel,
          rationale: detailById.get(capabilityId)?.rationale ?? '',
          setAt: detailById.get(capabilityId)?.setAt ?? '',
        }));
  const next = { ...results, agreed, ...levelsOf(results.framework, results.summary, agreed) };
  const roadmaps = roadmapsFor({ ...next, frozenRoadmaps: undefined }).map(
    ({ entry, roadmap }) => ({ capabilityId: entry.capabilityId, roadmap: roadmap ?? null }),
  );
  return {
    kind: 'throughline.round-snapshot',
    summary: results.summary,
    agreed,
    respondents: results.respondents,
    takenAt: new Date().toISOString(),
    framework: { id: results.framework.id, version: results.framework.version },
    ...(targets ? { targets } : {}),
    roadmaps,
  };
}
