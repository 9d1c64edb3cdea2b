// The demo council's capability assessment: a closed organisation-level round answered by people in
// five groups, written to echo the paper's account of a council early in its journey (section 3):
// leaders rate the organisation higher than frontline staff do (staff see flaws their leaders do
// not, 3.1), "bottleneck" is not yet part of the planning vocabulary (Table 1), and suppliers define
// the solutions (Table 2). A newcomer sees consensus, spread and perception gaps at once.
import { newSecretToken, sha256 } from '../services/secrets.ts';
import type { Framework } from '../domain/framework/index.ts';
import type { OrgScope } from '../storage/index.ts';

type Level = 1 | 2 | 3 | 4 | 5;

/** Per group: how many respondents, and each one's level per capability (in framework order 1–5). */
const DEMO_GROUPS: ReadonlyArray<{ name: string; people: ReadonlyArray<readonly Level[]> }> = [
  {
    name: 'Leadership',
    people: [
      [2, 3, 3, 2, 3],
      [3, 3, 2, 3, 3],
      [2, 4, 3, 3, 4],
    ],
  },
  {
    name: 'Managers',
    people: [
      [3, 4, 3, 3, 4],
      [3, 3, 3, 4, 4],
      [4, 4, 3, 3, 3],
      [3, 4, 4, 3, 4],
    ],
  },
  {
    name: 'Frontline staff',
    people: [
      [4, 4, 4, 4, 4],
      [5, 4, 3, 4, 5],
      [4, 5, 4, 3, 4],
      [4, 4, 4, 4, 4],
      [4, 4, 5, 4, 4],
    ],
  },
  {
    name: 'Digital & data',
    people: [
      [4, 4, 3, 3, 4],
      [3, 4, 3, 4, 5],
      [4, 3, 3, 4, 4],
    ],
  },
  // Two people: fewer than the smallest group shown, so their answers count only in the totals.
  {
    name: 'HR & workforce',
    people: [
      [3, 4, 3, 3, 4],
      [4, 4, 4, 3, 4],
    ],
  },
  {
    name: 'Procurement & commercial',
    people: [
      [3, 4, 3, 3, 4],
      [4, 4, 3, 4, 4],
    ],
  },
];

const EVIDENCE: Readonly<Record<string, readonly string[]>> = {
  'organisational-learning': [
    'Post-project reviews happen for big projects but actions are rarely followed up.',
    'Lessons from the last system change were lost when the project manager left.',
    'Data on planning applications sits in the case system and in personal spreadsheets.',
  ],
  'planning-and-prioritisation': [
    'Business cases describe the technology but not which delay in the service it removes.',
    'Several small digital pilots run in parallel with no shared plan.',
  ],
  'developing-new-ways-of-working': [
    'Training for the new case system was arranged after go-live.',
    'Some teams try new ways of working but do not share what they learn.',
  ],
  'managing-risk': [
    'Risk registers are written at the start of projects and then not looked at again.',
    'There is no ethics review for data projects yet.',
  ],
  'managing-supplier-relations': [
    'The supplier wrote the requirements for the last system.',
    'We lack the in-house skills to challenge supplier claims.',
  ],
};

/** Creates the demo round, its respondents and answers, and closes it; returns the round id. */
export async function seedDemoAssessment(scope: OrgScope, framework: Framework): Promise<string> {
  const store = scope.assessments;
  const capabilities = framework.capabilities.filter((c) => c.scope === 'organisation');
  const roundId = await store.createRound({
    scope: 'organisation',
    title: 'Capability baseline, autumn 2026',
    opensOn: '2026-10-05',
    closesOn: '2026-10-30',
    groups: DEMO_GROUPS.map((g) => g.name),
    minGroupSize: 3,
    framework: { id: framework.id, version: framework.version, document: framework.document },
  });
  await store.changeStatus(roundId, ['draft'], 'open');
  const round = await store.round(roundId);
  if (!round) throw new Error('demo round missing');
  let n = 0;
  for (const group of DEMO_GROUPS) {
    const groupId = round.groups.find((g) => g.name === group.name)?.id;
    if (!groupId) continue;
    for (const levels of group.people) {
      n++;
      const responseId = await store.createResponse({
        roundId,
        groupId,
        label: `${group.name} respondent ${n}`,
        linkTokenHash: sha256(newSecretToken('', 24)),
      });
      for (const [i, capability] of capabilities.entries()) {
        const level = levels[i];
        const evidence = EVIDENCE[capability.id] ?? [];
        // People tick what they see at the level they chose, and one thing from the level below.
        const seen = [level, level === undefined ? undefined : Math.min(5, level + 1)]
          .filter((l): l is number => l !== undefined)
          .flatMap(
            (l) => capability.levels.find((x) => x.level === l)?.indicators.slice(0, 2) ?? [],
          )
          .map((indicator) => indicator.id);
        await store.saveAnswer(responseId, capability.id, {
          level: level ?? null,
          dontKnow: level === undefined,
          indicatorsSeen: level === undefined ? [] : seen,
          evidence: level === undefined ? '' : (evidence[n % Math.max(1, evidence.length)] ?? ''),
          confidence:
            level === undefined ? null : ((['medium', 'high', 'low'] as const)[n % 3] ?? 'medium'),
        });
      }
      await store.submitResponse(responseId);
    }
  }
  await store.changeStatus(roundId, ['open'], 'closed');
  await store.setTarget(
    'organisational-learning',
    2,
    'Needed before we can find our bottlenecks from evidence',
  );
  await store.setTarget('planning-and-prioritisation', 2, 'Investment must follow the bottleneck');
  await store.setTarget('managing-risk', 3, 'Enough for low-risk, off-the-shelf pilots');
  return roundId;
}
