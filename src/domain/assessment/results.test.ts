// Aggregation rules of issue 3, point 4, against hand-computed expectations: consensus, spread,
// don't-knows, disagreement edges, small-group hiding, perception gaps, and the order for attention.
import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../framework/index.ts';
import {
  DISAGREEMENT_MIN_AT_EACH_END,
  DISAGREEMENT_MIN_IQR,
  DISAGREEMENT_MIN_RANGE,
  DISAGREEMENT_MIN_RATED,
  orderForAttention,
  summariseCapability,
  summariseRound,
} from './results.ts';
import { answersFor } from './testAnswers.ts';
import type { AttentionEntry, Group, Level } from './types.ts';

const CAP = 'organisational-learning';
const groups: Group[] = [
  { id: 'leadership', name: 'Leadership' },
  { id: 'frontline', name: 'Frontline staff' },
  { id: 'digital', name: 'Digital & data' },
];

function resultOf(levels: (Level | null)[], capabilityId = CAP) {
  return summariseCapability(capabilityId, answersFor(capabilityId, 'leadership', levels), groups);
}

describe('summariseCapability: consensus and spread', () => {
  it('computes an odd count by hand', () => {
    // Sorted 1 2 2 3 3 4 5: median 3; halves [1 2 2 3] → 2 and [3 3 4 5] → 3.5.
    const result = resultOf([3, 1, 4, 2, 5, 3, 2]);
    expect(result).toMatchObject({
      responses: 7,
      rated: 7,
      dontKnows: 0,
      distribution: { 1: 1, 2: 2, 3: 2, 4: 1, 5: 1 },
      median: 3,
      consensus: 3,
      lowerQuartile: 2,
      upperQuartile: 3.5,
      interQuartileRange: 1.5,
      best: 1,
      worst: 5,
      range: 4,
    });
    expect(result.explanations.consensus).toBe(
      "Median of 7 ratings (don't know excluded): 3 Adequate.",
    );
    expect(result.explanations.spread).toContain(
      'Half the ratings lie between 2 and 3.5 (inter-quartile range 1.5',
    );
  });

  it('rounds an even count’s half-way median towards the weaker level and says so', () => {
    // Sorted 2 2 3 3: median 2.5 → 3 Adequate (not 2 Good); halves [2 2] → 2, [3 3] → 3.
    const result = resultOf([3, 2, 3, 2]);
    expect(result.median).toBe(2.5);
    expect(result.consensus).toBe(3);
    expect(result.interQuartileRange).toBe(1);
    expect(result.explanations.consensus).toBe(
      "Median of 4 ratings (don't know excluded): the two middle ratings are 2 and 3, so the median is 2.5, rounded towards the weaker level: 3 Adequate.",
    );
  });

  it("excludes don't-knows from every figure but the counts", () => {
    const withDontKnows = resultOf([3, null, 2, 3, null, 2]);
    const without = resultOf([3, 2, 3, 2]);
    expect(withDontKnows).toMatchObject({ responses: 6, rated: 4, dontKnows: 2 });
    for (const key of [
      'median',
      'consensus',
      'lowerQuartile',
      'upperQuartile',
      'distribution',
    ] as const) {
      expect(withDontKnows[key]).toEqual(without[key]);
    }
    expect(withDontKnows.explanations.responses).toBe(
      "6 responses: 4 gave a level and 2 said don't know.",
    );
  });

  it('has no consensus when everyone says don’t know, and ignores other capabilities', () => {
    const answers = [
      ...answersFor(CAP, 'leadership', [null, null]),
      ...answersFor('managing-risk', 'leadership', [1, 1, 1]),
    ];
    const result = summariseCapability(CAP, answers, groups);
    // Fewer ratings than the minimum: nothing but the number of answers is kept.
    expect(result).toMatchObject({
      responses: 2,
      shown: false,
      rated: null,
      dontKnows: null,
      consensus: null,
      median: null,
    });
    expect(result.interQuartileRange).toBeNull();
    expect(result.disagreement).toBe(false);
  });

  it('counts confidence, with unstated answers apart', () => {
    const answers = [
      ...answersFor(CAP, 'leadership', [2, 3], { confidence: 'high' }),
      ...answersFor(CAP, 'leadership', [4]),
    ];
    expect(summariseCapability(CAP, answers, groups).confidence).toEqual({
      low: 0,
      medium: 0,
      high: 2,
      unstated: 1,
    });
  });

  it('refuses a nonsensical minimum group size', () => {
    expect(() => summariseCapability(CAP, [], groups, { minGroupSize: 0 })).toThrow(RangeError);
    expect(() => summariseCapability(CAP, [], groups, { minGroupSize: 2.5 })).toThrow(RangeError);
  });
});

describe('summariseCapability: disagreement thresholds', () => {
  it('uses the documented constants', () => {
    expect([
      DISAGREEMENT_MIN_RATED,
      DISAGREEMENT_MIN_IQR,
      DISAGREEMENT_MIN_RANGE,
      DISAGREEMENT_MIN_AT_EACH_END,
    ]).toEqual([3, 2, 3, 2]);
  });
  it('flags an inter-quartile range of exactly 2', () => {
    // [1 2] → 1.5, [3 4] → 3.5
    const result = resultOf([1, 2, 3, 4]);
    expect(result.interQuartileRange).toBe(2);
    expect(result.disagreement).toBe(true);
    expect(result.disagreementReasons[0]).toContain('spans 2 levels');
  });
  it('does not flag an inter-quartile range of 1.5 with a single outlier at each end', () => {
    expect(resultOf([1, 2, 2, 3, 3, 4, 5]).disagreement).toBe(false);
  });
  it('flags ratings 3 levels apart held by at least 2 respondents at each end', () => {
    // IQR 0, but two say 1 Outstanding and two say 4 Needs Improvement.
    const result = resultOf([1, 1, 2, 2, 2, 2, 2, 2, 4, 4]);
    expect(result.interQuartileRange).toBe(0);
    expect(result.disagreement).toBe(true);
    expect(result.disagreementReasons).toEqual([
      '2 respondents chose 1 Outstanding and 2 chose 4 Needs Improvement, 3 levels apart.',
    ]);
  });
  it('does not let one outlier set the flag', () => {
    expect(resultOf([1, 2, 2, 2, 2, 2, 2, 2, 4, 4]).disagreement).toBe(false);
  });
  it('does not flag ratings only 2 levels apart when the middle half is narrow', () => {
    // [2 2 2 2 2] → 2, [2 2 2 4 4] → 2
    expect(resultOf([2, 2, 2, 2, 2, 2, 2, 2, 4, 4]).disagreement).toBe(false);
  });
  it('needs at least 3 ratings', () => {
    expect(resultOf([1, 5]).disagreement).toBe(false);
    expect(resultOf([1, 5]).explanations.disagreement).toContain(
      'Fewer than 3 people gave a level',
    );
    expect(resultOf([1, 5, null]).explanations.disagreement).toContain('Fewer than 3');
    expect(resultOf([1, 1, 5, 5]).disagreement).toBe(true);
  });
});

describe('summariseCapability: groups', () => {
  const answers = [
    ...answersFor(CAP, 'leadership', [2, 2, 2]),
    ...answersFor(CAP, 'frontline', [4, 4, 5, 4]),
    // Three responses but only two levels: the median would be close to one person's answer.
    ...answersFor(CAP, 'digital', [1, 1, null]),
    // Answers in no listed group, so that the hidden rest (2 + 2 ratings) is large enough and no
    // second group need be hidden against subtraction (tested in disclosure.test.ts).
    ...answersFor(CAP, 'unlisted', [3, 3]),
  ];
  const result = summariseCapability(CAP, answers, groups);

  it('shows a group with at least the minimum number of ratings', () => {
    expect(result.groups[0]).toMatchObject({
      groupId: 'leadership',
      name: 'Leadership',
      hidden: false,
      responses: 3,
      rated: 3,
      consensus: 2,
    });
    expect(result.groups[1]).toMatchObject({ hidden: false, responses: 4, consensus: 4 });
  });

  it('hides a group with fewer ratings than the minimum, with every figure null', () => {
    expect(result.groups[2]).toEqual({
      groupId: 'digital',
      name: 'Digital & data',
      hidden: true,
      responses: null,
      rated: null,
      median: null,
      consensus: null,
      explanation:
        "Hidden: fewer than 3 people in this group gave a level, or showing it would let a small group's answers be worked out from the total.",
    });
  });

  it('honours another minimum group size', () => {
    const lenient = summariseCapability(CAP, answers, groups, { minGroupSize: 2 });
    expect(lenient.groups[2]).toMatchObject({ hidden: false, consensus: 1 });
    const strict = summariseCapability(CAP, answers, groups, { minGroupSize: 4 });
    expect(strict.groups.map((group) => group.hidden)).toEqual([true, false, true]);
  });

  it('names the groups of a perception gap and which sees the capability as weaker', () => {
    expect(result.perceptionGaps).toHaveLength(1);
    expect(result.perceptionGaps[0]).toMatchObject({
      weakerGroupId: 'frontline',
      weakerGroupName: 'Frontline staff',
      weakerConsensus: 4,
      strongerGroupId: 'leadership',
      strongerGroupName: 'Leadership',
      strongerConsensus: 2,
      levels: 2,
    });
    expect(result.perceptionGaps[0]?.explanation).toBe(
      'Frontline staff see this capability as weaker (4 Needs Improvement) than Leadership do (2 Good): 2 levels apart.',
    );
  });

  it('reports gaps of one level, largest first, and none between equal groups', () => {
    const gaps = summariseCapability(
      CAP,
      [
        ...answersFor(CAP, 'leadership', [2, 2, 2]),
        ...answersFor(CAP, 'frontline', [4, 4, 4]),
        ...answersFor(CAP, 'digital', [3, 3, 3]),
      ],
      groups,
    ).perceptionGaps;
    expect(gaps.map((gap) => [gap.weakerGroupId, gap.strongerGroupId, gap.levels])).toEqual([
      ['frontline', 'leadership', 2],
      ['digital', 'leadership', 1],
      ['frontline', 'digital', 1],
    ]);
    const none = summariseCapability(
      CAP,
      [...answersFor(CAP, 'leadership', [3, 3, 3]), ...answersFor(CAP, 'frontline', [3, 3, 3])],
      groups,
    );
    expect(none.perceptionGaps).toEqual([]);
  });

  it('never compares a hidden group', () => {
    expect(
      result.perceptionGaps.some((gap) =>
        [gap.weakerGroupId, gap.strongerGroupId].includes('digital'),
      ),
    ).toBe(false);
  });
});

describe('summariseRound and orderForAttention', () => {
  const group = [{ id: 'all', name: 'All staff' }];
  function roundWith(levels: Record<string, Level[]>) {
    const answers = Object.entries(levels).flatMap(([id, list]) => answersFor(id, 'all', list));
    return summariseRound(defaultFramework, 'organisation', answers, group);
  }

  it('returns a result per capability of the scope, in the paper’s order', () => {
    const summary = roundWith({});
    expect(summary.results.map((result) => result.capabilityId)).toEqual([
      'organisational-learning',
      'planning-and-prioritisation',
      'developing-new-ways-of-working',
      'managing-risk',
      'managing-supplier-relations',
    ]);
    expect(summary).toMatchObject({
      frameworkId: 'hoskins-2025',
      frameworkVersion: '1.1.0',
      scope: 'organisation',
      options: { minGroupSize: 3 },
    });
  });

  it('lists a weak prerequisite before the capability that depends on it (section 3)', () => {
    const summary = roundWith({
      'organisational-learning': [3, 3, 3],
      'planning-and-prioritisation': [5, 5, 5],
      'developing-new-ways-of-working': [2, 2, 2],
      'managing-risk': [4, 4, 4],
      'managing-supplier-relations': [4, 4, 4],
    });
    expect(summary.attention.map((entry) => entry.capabilityId)).toEqual([
      'organisational-learning',
      'planning-and-prioritisation',
      'managing-risk',
      'managing-supplier-relations',
      'developing-new-ways-of-working',
    ]);
    const first = summary.attention[0];
    expect(first?.position).toBe(1);
    expect(first?.prerequisiteOf).toEqual(['planning-and-prioritisation']);
    expect(first?.reason).toBe(
      'Consensus 3 Adequate. Listed before Planning & Prioritisation, which depends on it (the paper, section 3).',
    );
    // Managing risk is weaker-placed anyway, and is still recorded as supplier relations' prerequisite.
    expect(summary.attention[2]?.prerequisiteOf).toEqual(['managing-supplier-relations']);
  });

  it('does not move a prerequisite that is already Good', () => {
    const summary = roundWith({
      'organisational-learning': [2, 2, 2],
      'planning-and-prioritisation': [5, 5, 5],
      'developing-new-ways-of-working': [2, 2, 2],
      'managing-risk': [3, 3, 3],
      'managing-supplier-relations': [4, 4, 4],
    });
    expect(summary.attention.map((entry) => entry.capabilityId)).toEqual([
      'planning-and-prioritisation',
      'managing-risk',
      'managing-supplier-relations',
      'organisational-learning',
      'developing-new-ways-of-working',
    ]);
    expect(summary.attention[0]?.prerequisiteOf).toEqual([]);
  });

  it('breaks ties by disagreement, then spread, and puts unrated capabilities last', () => {
    const summary = roundWith({
      'organisational-learning': [2, 2, 2, 2],
      'planning-and-prioritisation': [1, 1, 2, 4, 4],
      'developing-new-ways-of-working': [2, 2, 3, 3],
      'managing-supplier-relations': [1, 2, 2, 2],
    });
    // Consensus: learning 2, planning 2 (with disagreement), new ways 3 (2.5 rounded), supplier 2 (IQR 0.5).
    expect(summary.attention.map((entry) => entry.capabilityId)).toEqual([
      'developing-new-ways-of-working',
      'planning-and-prioritisation',
      'managing-supplier-relations',
      'organisational-learning',
      'managing-risk',
    ]);
    expect(summary.attention[4]?.reason).toBe('No one gave a level, so it is listed last.');
  });

  it('puts a weak flow of human capital before every sector capability built on it (section 4.6)', () => {
    const answers = [
      ...answersFor('flow-of-human-capital', 'all', [4, 4, 4]),
      ...answersFor('governing-failure', 'all', [5, 5, 5]),
      ...answersFor('strengthening-innovation-networks', 'all', [5, 5, 5]),
    ];
    const summary = summariseRound(defaultFramework, 'sector', answers, group);
    const order = summary.attention.map((entry) => entry.capabilityId);
    expect(order.slice(0, 3)).toEqual([
      'flow-of-human-capital',
      'strengthening-innovation-networks',
      'governing-failure',
    ]);
    expect(summary.attention[0]?.prerequisiteOf).toEqual([
      'strengthening-innovation-networks',
      'governing-failure',
    ]);
    expect(summary.attention[0]?.reason).toBe(
      'Consensus 4 Needs Improvement. Listed before Strengthening Innovation Networks and Governing Failure, which depend on it (the paper, section 4.6).',
    );
  });

  it('orders results given in any order the same way', () => {
    const summary = roundWith({
      'organisational-learning': [4, 4, 4],
      'planning-and-prioritisation': [4, 4, 4],
      'managing-risk': [3, 3, 3],
      'managing-supplier-relations': [5, 5, 5],
    });
    const view = (entries: readonly AttentionEntry[]) =>
      entries.map((entry) => [entry.capabilityId, entry.prerequisiteOf, entry.reason]);
    const reversed = orderForAttention([...summary.results].reverse(), defaultFramework);
    expect(view(reversed)).toEqual(view(summary.attention));
    expect(summary.attention.map((entry) => entry.capabilityId)).toEqual([
      'managing-risk',
      'managing-supplier-relations',
      'organisational-learning',
      'planning-and-prioritisation',
      'developing-new-ways-of-working',
    ]);
  });
});
