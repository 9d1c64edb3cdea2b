import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../framework/index.ts';
import { capabilityLevels } from '../readiness/levels.ts';
import { resultsToCsv, roundReport } from './exports.ts';
import { compareRounds } from './history.ts';
import { effectiveLevels, effectiveLevelText } from './levels.ts';
import type { AgreedLevel } from './moderation.ts';
import { orderForAttention, summariseRound } from './results.ts';
import { answersFor } from './testAnswers.ts';
import type { Answer, Level } from './types.ts';

const groups = [{ id: 'g', name: 'Everyone' }];
const answer = (n: number, capabilityId: string, level: Level | null): Answer => ({
  responseId: `r${n}`,
  groupId: 'g',
  capabilityId,
  level,
  indicatorsSeen: [],
  evidence: '',
  confidence: null,
});

describe('effectiveLevels', () => {
  const answers = [1, 2, 3].flatMap((n) => [
    answer(n, 'managing-risk', 3),
    answer(n, 'organisational-learning', ([2, 2, 3] as const)[n - 1] as Level),
    answer(n, 'planning-and-prioritisation', null),
  ]);
  const summary = summariseRound(defaultFramework, 'organisation', answers, groups, {
    minGroupSize: 3,
  });

  it('takes the agreed level where moderation agreed one, and keeps the median beside it', () => {
    const levels = effectiveLevels(summary, [
      {
        capabilityId: 'managing-risk',
        agreedLevel: 4,
        evidenceStrength: 'documented',
        rationale: 'No risk register in use',
      },
    ]);
    const byId = new Map(levels.map((l) => [l.capabilityId, l]));
    expect(byId.get('managing-risk')).toEqual({
      capabilityId: 'managing-risk',
      level: 4,
      source: 'agreed',
      median: 3,
    });
    expect(byId.get('organisational-learning')).toEqual({
      capabilityId: 'organisational-learning',
      level: 2,
      source: 'median',
      median: 2,
    });
    // Nobody gave a level: no level, said so.
    expect(byId.get('planning-and-prioritisation')).toMatchObject({ level: null, source: 'none' });
    // One entry per capability of the scope, in the framework's order.
    expect(levels.map((l) => l.capabilityId)).toEqual(summary.results.map((r) => r.capabilityId));
  });
});

// One worked case through every pure surface (issue 12, point 1): Managing Risk rated 3, 3, 3 and
// agreed at 4 in moderation. Developing New Ways of Working is also at 3 (capability 3, so it comes
// before Managing Risk, capability 4, on a tie); Organisational Learning's median is 2.
describe('one source of the level: Managing Risk agreed 4 against a median of 3', () => {
  const round = summariseRound(
    defaultFramework,
    'organisation',
    [
      ...answersFor('managing-risk', 'g', [3, 3, 3]),
      ...answersFor('developing-new-ways-of-working', 'g', [3, 3, 3]),
      ...answersFor('organisational-learning', 'g', [2, 2, 3]),
    ],
    groups,
  );
  const agreed: AgreedLevel[] = [
    {
      capabilityId: 'managing-risk',
      agreedLevel: 4,
      evidenceStrength: 'documented',
      rationale: 'No risk register in use',
    },
  ];
  const rated = (entries: readonly { capabilityId: string }[]) =>
    entries
      .map((e) => e.capabilityId)
      .filter((id) => !['planning-and-prioritisation', 'managing-supplier-relations'].includes(id));

  it('says where the level comes from', () => {
    const byId = new Map(effectiveLevels(round, agreed).map((l) => [l.capabilityId, l]));
    const text = (id: string) => {
      const level = byId.get(id);
      if (!level) throw new Error(`no level for ${id}`);
      return effectiveLevelText(level);
    };
    expect(text('managing-risk')).toBe('agreed 4 Needs Improvement, median 3 Adequate');
    expect(text('organisational-learning')).toBe('median 2 Good');
    expect(text('planning-and-prioritisation')).toBe('No ratings');
    expect(effectiveLevelText({ capabilityId: 'x', level: 3, source: 'agreed', median: 3 })).toBe(
      'agreed 3 Adequate, as the median',
    );
  });

  it('orders for attention by the agreed level', () => {
    // By median the tie at 3 goes to the lower capability number; agreed at 4, Managing Risk leads.
    expect(rated(orderForAttention(round.results, defaultFramework))).toEqual([
      'developing-new-ways-of-working',
      'managing-risk',
      'organisational-learning',
    ]);
    const order = orderForAttention(round.results, defaultFramework, agreed);
    expect(rated(order)).toEqual([
      'managing-risk',
      'developing-new-ways-of-working',
      'organisational-learning',
    ]);
    expect(order[0]).toMatchObject({ position: 1, level: 4, levelSource: 'agreed' });
    expect(order[0]?.reason).toBe('Agreed 4 Needs Improvement, median 3 Adequate.');
    expect(order[1]).toMatchObject({ level: 3, levelSource: 'median' });
    expect(order[1]?.reason).toBe('Consensus 3 Adequate.');
  });

  it('compares rounds by the agreed level', () => {
    const earlier = { framework: defaultFramework, results: round.results };
    const mr = (c: ReturnType<typeof compareRounds>) =>
      c.capabilities.find((x) => x.capabilityId === 'managing-risk');
    // The same ratings, no agreement: no change.
    expect(mr(compareRounds(earlier, earlier))?.changeInWords).toBe('no change');
    const compared = mr(compareRounds(earlier, { ...earlier, agreed }));
    expect(compared).toMatchObject({
      earlierConsensus: 3,
      laterConsensus: 3,
      earlierLevel: { level: 3, source: 'median' },
      laterLevel: { level: 4, source: 'agreed', median: 3 },
      change: 1,
      direction: 'worsened',
      changeInWords: 'worsened by 1 level',
      beyondSpread: true,
    });
    expect(compared?.explanation).toBe(
      'Level went from median 3 Adequate to agreed 4 Needs Improvement, median 3 Adequate: worsened by 1 level. The change of 1 level is larger than the spread of either round (the larger inter-quartile range is 0), so it is beyond the spread.',
    );
  });

  it('measures the target from the agreed level', () => {
    const report = roundReport(defaultFramework, round, {
      agreed,
      targets: { 'managing-risk': 3 },
    });
    const mr = report.capabilities.find((c) => c.capabilityId === 'managing-risk');
    expect(mr?.target?.text).toBe('1 level to go to reach your target of 3 Adequate');
    expect(mr?.level).toEqual({
      capabilityId: 'managing-risk',
      level: 4,
      source: 'agreed',
      median: 3,
    });
    // Without the agreement the same median would be at the target.
    const unmoderated = roundReport(defaultFramework, round, { targets: { 'managing-risk': 3 } });
    expect(
      unmoderated.capabilities.find((c) => c.capabilityId === 'managing-risk')?.target?.text,
    ).toBe('At or better than your target of 3 Adequate');
  });

  it('carries both levels in the JSON report and orders its attention list by the agreed one', () => {
    const report = roundReport(defaultFramework, round, { agreed });
    expect(report.attention[0]).toMatchObject({
      capabilityId: 'managing-risk',
      level: 4,
      levelSource: 'agreed',
    });
    const ol = report.capabilities.find((c) => c.capabilityId === 'organisational-learning');
    expect(ol?.level).toMatchObject({ level: 2, source: 'median', median: 2 });
    expect(ol?.result.consensus).toBe(2);
  });

  it('writes the agreed and effective levels after the median in the CSV', () => {
    const rows = resultsToCsv(defaultFramework, round.results, agreed).split('\r\n');
    expect(rows[0]?.split(',').slice(8, 9)).toEqual(['Consensus level']);
    expect(rows[0]?.split(',').slice(22, 26)).toEqual([
      'Agreed level',
      'Effective level',
      'Effective level name',
      'Effective level source',
    ]);
    const mr = rows.find((row) => row.includes(',Managing Risk,All respondents,'))?.split(',');
    expect(mr?.[8]).toBe('3'); // consensus level: the median, as before
    expect(mr?.slice(22, 26)).toEqual(['4', '4', 'Needs Improvement', 'agreed']);
    const ol = rows
      .find((row) => row.includes(',Organisational Learning,All respondents,'))
      ?.split(',');
    expect(ol?.slice(22, 26)).toEqual(['', '2', 'Good', 'median']);
    const planning = rows
      .find((row) => row.includes(',Planning & Prioritisation,All respondents,'))
      ?.split(',');
    expect(planning?.slice(22, 26)).toEqual(['', '', '', 'none']);
  });

  it('gives the readiness gate the same levels', () => {
    expect(capabilityLevels(round.results, agreed)).toEqual(
      effectiveLevels(round, agreed)
        .filter((l) => l.level !== null)
        .map(({ capabilityId, level, source }) => ({ capabilityId, level, source })),
    );
  });
});
