// The demo's capability assessments, written to echo the paper's account of a council early in its
// journey (section 3): two organisation-level rounds a year apart with forty respondents each, in
// which organisational learning improves (Table 1), leaders rate planning higher than frontline
// staff do (staff see flaws their leaders do not, 3.1), and people disagree sharply about managing
// risk; plus a sector-level round for the strategic institution (section 4). Deterministic, so the
// demo looks the same every time.
import type { Level } from '../domain/assessment/index.ts';
import type { Framework } from '../domain/framework/index.ts';
import { roundResults, snapshotOf } from '../services/assessmentResults.ts';
import { FrameworkRegistry } from '../services/frameworks.ts';
import { newSecretToken, sha256 } from '../services/secrets.ts';
import type { OrgScope } from '../storage/index.ts';

/** A rating for person `i` (0-based, within their group) in `group`. */
type Rater = (group: string, i: number) => Level | null;

interface RoundSpec {
  readonly title: string;
  readonly scope: 'organisation' | 'sector';
  readonly opensOn: string;
  readonly closesOn: string;
  readonly groups: ReadonlyArray<readonly [name: string, people: number]>;
  readonly ratings: Readonly<Record<string, Rater>>;
  readonly evidence: Readonly<Record<string, readonly string[]>>;
  /** Finalise with the median as the agreed level (documented evidence). */
  readonly finalise: boolean;
}

const cycle = <T>(values: readonly T[], i: number): T => values[i % values.length] as T;

const COUNCIL_GROUPS = [
  ['Leadership', 6],
  ['Managers', 8],
  ['Frontline staff', 12],
  ['Digital & data', 6],
  ['HR & workforce', 3],
  ['Procurement & commercial', 5],
] as const;

const ORGANISATION_EVIDENCE: Readonly<Record<string, readonly string[]>> = {
  'organisational-learning': [
    'Post-project reviews happen for big projects but actions are rarely followed up.',
    'Lessons from the last system change were lost when the project manager left.',
    'Data on planning applications sits in the case system and in personal spreadsheets.',
    'Since spring, reviews of the permit service are written up and shared on the intranet.',
  ],
  'planning-and-prioritisation': [
    'Business cases describe the technology but not which delay in the service it removes.',
    'Several small digital pilots run in parallel with no shared plan.',
    'The corporate plan names digital priorities and funds them for three years.',
  ],
  'developing-new-ways-of-working': [
    'Training for the new case system was arranged after go-live.',
    'Some teams try new ways of working but do not share what they learn.',
  ],
  'managing-risk': [
    'Risk registers are written at the start of projects and then not looked at again.',
    'There is a clear escalation route to the risk board for project risks.',
    'There is no ethics review for data projects yet.',
    'People are wary of raising problems early because of how the last failure was handled.',
  ],
  'managing-supplier-relations': [
    'The supplier wrote the requirements for the last system.',
    'We lack the in-house skills to challenge supplier claims.',
  ],
};

const SECTOR_EVIDENCE: Readonly<Record<string, readonly string[]>> = {
  'strengthening-innovation-networks': [
    'Regional digital networks exist but are not connected with each other.',
  ],
  'clarity-on-collaborative-performance': [
    'Suppliers tell us some councils are far easier partners than others.',
  ],
  'funding-and-coordinating-research': [
    'Councils commission similar research on the same problems.',
  ],
  'governing-failure': ['After the last failed project the review looked for someone to blame.'],
  'maintaining-pressure-for-productivity': [
    'Performance data are collected but do not affect funding.',
  ],
  'flow-of-human-capital': ['Each council trains its own data staff, who then move on.'],
  'standardising-and-scaling-best-practice': [
    'Good practice is shared at conferences but rarely copied successfully.',
  ],
};

/** Ratings shared by both council rounds; only organisational learning differs between them. */
function councilRatings(
  learning: Level,
  suppliers: readonly Level[] = [4, 4, 3, 4],
): Readonly<Record<string, Rater>> {
  return {
    // Tight agreement, so a one-level change is beyond the spread.
    'organisational-learning': (g, i) =>
      g === 'Digital & data' && i === 0 ? null : i % 9 === 8 ? ((learning + 1) as Level) : learning,
    // Leaders see Good; frontline staff see Needs Improvement: a perception gap.
    'planning-and-prioritisation': (g, i) =>
      g === 'Leadership'
        ? cycle<Level>([2, 2, 3], i)
        : g === 'Frontline staff'
          ? cycle<Level>([4, 4, 4, 3], i)
          : cycle<Level>([3, 4, 3], i),
    'developing-new-ways-of-working': (_g, i) => cycle<Level>([3, 3, 4, 3, 2], i),
    // Half see a working framework, half see blame and concealment: disagreement.
    'managing-risk': (g, i) => (g === 'HR & workforce' ? 3 : cycle<Level>([2, 5, 2, 5, 3], i)),
    'managing-supplier-relations': (g, i) =>
      g === 'HR & workforce' && i === 2 ? null : cycle<Level>(suppliers, i),
  };
}

async function seedRound(scope: OrgScope, framework: Framework, spec: RoundSpec): Promise<string> {
  const store = scope.assessments;
  const capabilities = framework.capabilities.filter((c) => c.scope === spec.scope);
  const roundId = await store.createRound({
    scope: spec.scope,
    title: spec.title,
    opensOn: spec.opensOn,
    closesOn: spec.closesOn,
    groups: spec.groups.map(([name]) => name),
    minGroupSize: 3,
    framework: { id: framework.id, version: framework.version, document: framework.document },
  });
  await store.changeStatus(roundId, ['draft'], 'open');
  const round = await store.round(roundId);
  if (!round) throw new Error('demo round missing');
  let n = 0;
  for (const [name, people] of spec.groups) {
    const groupId = round.groups.find((g) => g.name === name)?.id;
    if (!groupId) continue;
    for (let i = 0; i < people; i++) {
      n++;
      const responseId = await store.createResponse({
        roundId,
        groupId,
        label: `${name} respondent ${i + 1}`,
        linkTokenHash: sha256(newSecretToken('', 24)),
      });
      for (const capability of capabilities) {
        // A rater may answer null ("don't know"); only a capability with no rater defaults to 3.
        const rater = spec.ratings[capability.id];
        const level = rater ? rater(name, i) : 3;
        const evidence = spec.evidence[capability.id] ?? [];
        // People tick what they see at the level they chose and one thing from the level below.
        const seen =
          level === null
            ? []
            : [level, Math.min(5, level + 1)].flatMap(
                (l) =>
                  capability.levels
                    .find((x) => x.level === l)
                    ?.indicators.slice(0, 2)
                    .map((x) => x.id) ?? [],
              );
        await store.saveAnswer(responseId, capability.id, {
          level,
          dontKnow: level === null,
          indicatorsSeen: n % 3 === 0 ? [] : seen,
          evidence: level === null || n % 2 === 0 ? '' : cycle(evidence, n),
          confidence: level === null ? null : cycle(['medium', 'high', 'low'] as const, n),
        });
      }
      await store.submitResponse(responseId);
    }
  }
  await store.changeStatus(roundId, ['open'], 'closed');
  if (spec.finalise) {
    const closed = await store.round(roundId);
    if (!closed) throw new Error('demo round missing');
    const results = await roundResults(scope, new FrameworkRegistry(framework), closed);
    const agreed = results.summary.results.flatMap((r) =>
      r.consensus === null
        ? []
        : [
            {
              capabilityId: r.capabilityId,
              agreedLevel: r.consensus,
              evidenceStrength: 'documented' as const,
              rationale: 'Agreed at the leadership team with the review documents.',
            },
          ],
    );
    for (const a of agreed) await store.saveAgreedRating(roundId, a);
    await store.addSnapshot(roundId, snapshotOf(results, agreed), 'Finalised');
  }
  return roundId;
}

/**
 * The council's targets and its three rounds: the autumn 2025 baseline and a spring 2026 check, both
 * finalised (learning improved, and a new contract manager brought supplier relations to Adequate:
 * the levels the demo's AI initiatives are judged against), and the autumn 2026 review, closed and
 * waiting for moderation.
 */
export async function seedCouncilAssessments(
  scope: OrgScope,
  framework: Framework,
): Promise<string[]> {
  // Set first, so the finalised rounds keep them (a finalised round keeps its own targets).
  const store = scope.assessments;
  await store.setTarget(
    'organisational-learning',
    2,
    'Needed before we can find our bottlenecks from evidence',
  );
  await store.setTarget('planning-and-prioritisation', 2, 'Investment must follow the bottleneck');
  await store.setTarget('managing-risk', 3, 'Enough for low-risk, off-the-shelf pilots');
  const earlier = await seedRound(scope, framework, {
    title: 'Capability baseline, autumn 2025',
    scope: 'organisation',
    opensOn: '2025-10-06',
    closesOn: '2025-10-31',
    groups: COUNCIL_GROUPS,
    ratings: councilRatings(4),
    evidence: ORGANISATION_EVIDENCE,
    finalise: true,
  });
  const middle = await seedRound(scope, framework, {
    title: 'Capability check, spring 2026',
    scope: 'organisation',
    opensOn: '2026-03-02',
    closesOn: '2026-03-27',
    groups: COUNCIL_GROUPS,
    ratings: councilRatings(3, [3, 3, 4, 3]),
    evidence: ORGANISATION_EVIDENCE,
    finalise: true,
  });
  const latest = await seedRound(scope, framework, {
    title: 'Capability review, autumn 2026',
    scope: 'organisation',
    opensOn: '2026-10-05',
    closesOn: '2026-10-30',
    groups: COUNCIL_GROUPS,
    ratings: councilRatings(3),
    evidence: ORGANISATION_EVIDENCE,
    finalise: false,
  });
  return [earlier, middle, latest];
}

/** The strategic institution's closed sector-level round. */
export async function seedInstitutionAssessment(
  scope: OrgScope,
  framework: Framework,
): Promise<string> {
  return seedRound(scope, framework, {
    title: 'State of the sector, autumn 2026',
    scope: 'sector',
    opensOn: '2026-09-14',
    closesOn: '2026-10-09',
    groups: [
      ['Institution leadership', 4],
      ['Member councils', 9],
      ['Partners & suppliers', 5],
    ],
    ratings: {
      'strengthening-innovation-networks': (_g, i) => cycle<Level>([3, 3, 2, 3], i),
      'clarity-on-collaborative-performance': (g, i) =>
        g === 'Partners & suppliers' ? 4 : cycle<Level>([3, 3, 4], i),
      'funding-and-coordinating-research': (_g, i) => cycle<Level>([4, 3, 4], i),
      'governing-failure': (_g, i) => cycle<Level>([4, 4, 5, 3], i),
      'maintaining-pressure-for-productivity': (_g, i) => cycle<Level>([3, 4], i),
      'flow-of-human-capital': (_g, i) => cycle<Level>([4, 4, 3], i),
      'standardising-and-scaling-best-practice': (_g, i) => cycle<Level>([3, 3, 4, 3], i),
    },
    evidence: SECTOR_EVIDENCE,
    finalise: false,
  });
}
