import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PORTFOLIO_WEIGHTS,
  fundPosition,
  parsePortfolioWeights,
  rankPortfolio,
  totalCost,
} from './portfolio.ts';
import type { InnovationFund, PortfolioCandidate } from './portfolio.ts';
import type { Risk } from './risks.ts';
import type { Initiative } from './types.ts';
import { sampleInitiative } from '../../../test/helpers/initiatives.ts';

function initiative(id: string, title: string, overrides: Partial<Initiative> = {}): Initiative {
  return sampleInitiative({
    id,
    title,
    chainId: 'planning',
    competency: 'natural-language-processing',
    ambition: 'bespoke',
    typologyCells: [3],
    technologyCost: 50_000,
    status: 'assessed',
    ...overrides,
  });
}

const biasRisk: Risk = {
  id: 'r-1',
  initiativeId: 'b',
  kind: 'ethical',
  title: 'Biased triage',
  description: '',
  likelihood: 3,
  impact: 3,
  owner: 'Head of Planning',
  mitigations: '',
  status: 'open',
  reviewDate: '2026-06-30',
  source: 'pre-mortem',
  escalatedTo: null,
};

// A: 20% for £100,000 (technology £80,000 + data £20,000), ready, no risks.
// B: 30% for £200,000, ready with conditions, one ethical risk of 9 against an appetite of 6.
// C: effect not modelled; D: modelled, no effect. Both £50,000 and ready: level on score.
// E stopped, F evaluated: listed, not ranked.
const candidates: PortfolioCandidate[] = [
  {
    initiative: initiative('a', 'Triage planning applications', {
      technologyCost: 80_000,
      investments: [
        { kind: 'data', description: 'Clean the case records', cost: 20_000, owner: 'Data team' },
      ],
    }),
    bottleneckEffect: 20,
    readiness: 'ready',
    risks: [],
  },
  {
    initiative: initiative('b', 'Draft decision notices', { technologyCost: 200_000 }),
    bottleneckEffect: 30,
    readiness: 'ready-with-conditions',
    risks: [biasRisk],
  },
  {
    initiative: initiative('c', 'Summarise case notes'),
    bottleneckEffect: null,
    readiness: 'ready',
    risks: [],
  },
  {
    initiative: initiative('d', 'Online booking portal'),
    bottleneckEffect: 0,
    readiness: 'ready',
    risks: [],
  },
  {
    initiative: initiative('e', 'Chatbot for planning queries', {
      status: 'stopped',
      stoppedReason: 'Answers were unreliable',
    }),
    bottleneckEffect: 5,
    readiness: 'ready',
    risks: [],
  },
  {
    initiative: initiative('f', 'Scan old plans', { status: 'evaluated' }),
    bottleneckEffect: 2,
    readiness: 'ready',
    risks: [],
  },
];

describe('rankPortfolio', () => {
  const ranking = rankPortfolio(candidates);

  it('scores by hand-computable components and ranks by score', () => {
    expect(ranking.ranked.map((r) => [r.rank, r.initiativeId])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'd'],
      [4, 'c'],
    ]);
    const [a, b] = ranking.ranked;
    // A: effect 1 (the best ratio, 20% per £100,000) × 0.5 + ready 1 × 0.3 + no risks 1 × 0.2 = 1.
    expect(a?.score).toBeCloseTo(1, 12);
    expect(a?.totalCost).toBe(100_000);
    // B: ratio 15% per £100,000 is 0.75 of the best; conditions 0.5; risk 1 − (9 − 6)/(25 − 6) = 16/19.
    const expected: [string, number, number][] = [
      ['bottleneck-effect-per-pound', 0.75, 0.375],
      ['readiness', 0.5, 0.15],
      ['risks-above-appetite', 16 / 19, 0.2 * (16 / 19)],
    ];
    expect(b?.components.map((k) => k.id)).toEqual(expected.map(([id]) => id));
    expected.forEach(([, value, contribution], i) => {
      expect(b?.components[i]?.value).toBeCloseTo(value, 12);
      expect(b?.components[i]?.contribution).toBeCloseTo(contribution, 12);
    });
    expect(b?.score).toBeCloseTo(0.375 + 0.15 + 3.2 / 19, 12);
    expect(b?.points).toBeCloseTo(69.3421, 3);
  });

  it('explains every component in plain words', () => {
    expect(ranking.ranked[1]?.explanation).toBe(
      'Ranked 2 of 4 with 69.3 points out of 100. ' +
        'Effect on the bottleneck per pound: Throughput up 30% for £200,000 in total (15% per £100,000), 75% of the best in this portfolio (20% per £100,000). 0.75 × 50.0 points = 37.5 points. ' +
        'Readiness: Ready with conditions: counts half until the conditions are met. 0.50 × 30.0 points = 15.0 points. ' +
        'Risks above the appetite: One risk is above the appetite (“Biased triage”, ethical, 9 against 6), taking 15.8% off this part. 0.84 × 20.0 points = 16.8 points.',
    );
    expect(ranking.method).toMatch(
      /^Each initiative still to be decided scores up to 100 points: 50\.0 for its effect/,
    );
  });

  it('tells an unknown effect apart from no effect, though both score nothing for now', () => {
    const byId = new Map(ranking.ranked.map((r) => [r.initiativeId, r]));
    const unknown = byId.get('c');
    const none = byId.get('d');
    expect(unknown?.components[0]?.value).toBe(0);
    expect(none?.components[0]?.value).toBe(0);
    expect(unknown?.bottleneckEffect).toBeNull();
    expect(none?.bottleneckEffect).toBe(0);
    expect(unknown?.flags).toEqual(['effect-not-modelled']);
    expect(none?.flags).toEqual(['effect-not-positive']);
    expect(unknown?.components[0]?.detail).toMatch(
      /^Its effect on the delivery chain has not been modelled/,
    );
    expect(none?.components[0]?.detail).toMatch(/^Modelled: no change in the chain’s throughput/);
  });

  it('breaks a tie deterministically and says how', () => {
    const [, , third, fourth] = ranking.ranked;
    expect(third?.score).toBeCloseTo(0.5, 12);
    expect(fourth?.score).toBeCloseTo(0.5, 12);
    expect(fourth?.explanation).toContain(
      'Level with “Online booking portal” on 50.0 points; placed below it because everything else is equal, and that one’s title comes first alphabetically.',
    );
    const shuffled = rankPortfolio([...candidates].reverse());
    expect(shuffled.ranked.map((r) => r.initiativeId)).toEqual(['a', 'b', 'd', 'c']);
  });

  it('on a tie, puts the cheaper initiative first', () => {
    const tied = rankPortfolio([
      {
        initiative: initiative('x', 'Aaa dearer', { technologyCost: 90_000 }),
        bottleneckEffect: null,
        readiness: 'ready',
        risks: [],
      },
      {
        initiative: initiative('y', 'Zzz cheaper', { technologyCost: 10_000 }),
        bottleneckEffect: null,
        readiness: 'ready',
        risks: [],
      },
    ]);
    expect(tied.ranked.map((r) => r.initiativeId)).toEqual(['y', 'x']);
    expect(tied.ranked[1]?.explanation).toContain(
      'placed below it because that one costs less in total.',
    );
  });

  it('lists stopped and evaluated initiatives without ranking them', () => {
    expect(ranking.unranked).toEqual([
      {
        initiativeId: 'e',
        title: 'Chatbot for planning queries',
        status: 'stopped',
        reason:
          'Stopped: Answers were unreliable. Not ranked; its lessons belong in the lessons repository.',
      },
      {
        initiativeId: 'f',
        title: 'Scan old plans',
        status: 'evaluated',
        reason: 'Evaluated: the decision has been made and its results are known. Not ranked.',
      },
    ]);
    // The stopped initiative's ratio (5% per £50,000) would have been the best: it does not set the scale.
    expect(ranking.ranked[0]?.components[0]?.value).toBe(1);
  });

  it('scores a slower chain or an uncosted initiative as nothing on effect, each flagged', () => {
    const r = rankPortfolio([
      {
        initiative: initiative('s', 'Faster statements'),
        bottleneckEffect: -5,
        readiness: 'ready',
        risks: [],
      },
      {
        initiative: initiative('n', 'Free trial', { technologyCost: 0 }),
        bottleneckEffect: 10,
        readiness: 'no-assessment',
        risks: [],
      },
    ]);
    const byId = new Map(r.ranked.map((x) => [x.initiativeId, x]));
    expect(byId.get('s')?.components[0]?.detail).toMatch(
      /throughput falls by 5%; it would slow the chain/,
    );
    expect(byId.get('n')?.flags).toEqual(['no-cost-recorded', 'no-assessment']);
    expect(byId.get('n')?.score).toBeCloseTo(0.2, 12);
  });

  it('follows an admin’s own weights', () => {
    const readinessOnly = {
      version: 1 as const,
      bottleneckEffectPerPound: 0,
      readiness: 1,
      risksAboveAppetite: 0,
    };
    expect(rankPortfolio(candidates, readinessOnly).ranked.map((r) => r.initiativeId)).toEqual([
      'a', // ready, and the larger effect per pound breaks the tie
      'd',
      'c',
      'b',
    ]);
  });

  it('refuses bad input with a specific message', () => {
    const [first] = candidates;
    if (!first) throw new Error('no candidates');
    expect(() => rankPortfolio([first, first])).toThrow(
      'Initiative a (“Triage planning applications”) is listed twice',
    );
    expect(() => rankPortfolio([{ ...first, risks: [biasRisk] }])).toThrow(
      'Risk “Biased triage” belongs to initiative b, but was given with “Triage planning applications” (a)',
    );
    expect(() => totalCost(initiative('z', 'Negative', { technologyCost: -1 }))).toThrow(
      'Initiative “Negative”: the technology cost must be a number of pounds, 0 or more; got -1',
    );
  });
});

describe('portfolio weights', () => {
  it('accepts the defaults and rejects weights that do not add up to 1', () => {
    expect(parsePortfolioWeights(DEFAULT_PORTFOLIO_WEIGHTS).ok).toBe(true);
    const bad = parsePortfolioWeights({
      version: 1,
      bottleneckEffectPerPound: 0.6,
      readiness: 0.3,
      risksAboveAppetite: 0.2,
    });
    expect(bad).toEqual({
      ok: false,
      issues: [{ path: '', message: 'The three weights must add up to 1; they add up to 1.1' }],
    });
    const negative = parsePortfolioWeights({
      version: 1,
      bottleneckEffectPerPound: -0.1,
      readiness: 0.9,
      risksAboveAppetite: 0.2,
    });
    expect(negative.ok ? [] : negative.issues.map((i) => i.message)).toEqual([
      'The weight for the effect on the bottleneck per pound must be 0 or more',
    ]);
  });
});

describe('fundPosition', () => {
  const initiatives = candidates.map((c) => c.initiative);
  const fund: InnovationFund = {
    budget: 250_000,
    commitments: [
      { id: 'c1', description: 'Triage pilot', amount: 100_000, initiativeId: 'a' },
      { id: 'c2', description: 'Notices', amount: 120_000, initiativeId: 'b' },
      { id: 'c3', description: 'AI skills for planners', amount: 50_000, initiativeId: null },
      { id: 'c4', description: 'Chatbot licence', amount: 10_000, initiativeId: 'e' },
    ],
    protectedFromInYearReprioritisation: false,
  };

  it('adds up commitments, flags over-commitment and money left on a stopped initiative', () => {
    const p = fundPosition(fund, initiatives);
    expect([
      p.committed,
      p.headroom,
      p.overCommitted,
      p.overCommittedBy,
      p.committedElsewhere,
    ]).toEqual([280_000, -30_000, true, 30_000, 50_000]);
    expect(p.summary).toBe(
      'Over-committed: £280,000 is committed against a budget of £250,000, £30,000 more than the fund holds.',
    );
    expect(p.committedToInitiatives.map((c) => [c.title, c.amount])).toEqual([
      ['Draft decision notices', 120_000],
      ['Triage planning applications', 100_000],
      ['Chatbot for planning queries', 10_000],
    ]);
    expect(p.warnings).toEqual([
      '£10,000 is still committed to “Chatbot for planning queries”, which was stopped: release it for other work.',
    ]);
  });

  it('says what protection from in-year reprioritisation means, per Table 1', () => {
    const unprotected = fundPosition(fund, initiatives).consequence;
    expect(unprotected).toMatch(/^The fund is not protected from in-year reprioritisation/);
    expect(unprotected).toContain('Good (level 2)');
    const within = fundPosition(
      {
        ...fund,
        commitments: fund.commitments.slice(0, 1),
        protectedFromInYearReprioritisation: true,
      },
      initiatives,
    );
    expect([within.overCommitted, within.headroom]).toEqual([false, 150_000]);
    expect(within.summary).toBe('£100,000 of £250,000 committed; £150,000 left.');
    expect(within.consequence).toMatch(
      /^The fund is protected from in-year reprioritisation: what is committed/,
    );
    expect(within.consequence).toContain('Outstanding (level 1)');
  });

  it('refuses a malformed fund with the form’s message', () => {
    expect(() =>
      fundPosition({
        ...fund,
        commitments: [{ id: 'c1', description: 'x', amount: 10.5, initiativeId: null }],
      }),
    ).toThrow('The innovation fund is not valid: Enter the amount in whole pounds, without pence');
    const [c1] = fund.commitments;
    if (!c1) throw new Error('no commitments');
    expect(() => fundPosition({ ...fund, commitments: [c1, c1] })).toThrow(
      'Commitment c1 is listed twice',
    );
  });
});
