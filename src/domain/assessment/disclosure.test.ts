// Disclosure control (issue 12, point 2): the threshold rule with complementary suppression, and the
// subtraction attack — a round with one small group, whose one person's rating must not be
// recoverable from any combination of what is published.
import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../framework/index.ts';
import { disclosureControl, HIDDEN_GROUPS_LABEL, labelledGroups } from './disclosure.ts';
import { resultsToCsv, roundReport } from './exports.ts';
import { protectSummary, summariseRound } from './results.ts';
import { responsesToCsv, type ResponseRow } from './responsesCsv.ts';
import { tukeyHinges } from './statistics.ts';
import type { Answer, Group, Level } from './types.ts';

describe('disclosureControl', () => {
  const cell = (id: string, rated: number | null, responses = rated) => ({ id, rated, responses });

  it('hides a group with fewer ratings than the minimum, and nothing else when the rest is safe', () => {
    const decision = disclosureControl({
      minGroupSize: 3,
      overall: { rated: 14, responses: 14 },
      groups: [cell('a', 5), cell('b', 4), cell('c', 1), cell('d', 2), cell('e', 2)],
    });
    // Hidden together, c, d and e hold 5 ratings: enough that none of them can be singled out.
    expect(decision).toMatchObject({ primary: ['c', 'd', 'e'], secondary: [], shown: ['a', 'b'] });
    expect(decision.residual).toEqual({ rated: 5, responses: 5 });
  });

  it('hides the smallest shown group too when the hidden rest would be fewer than the minimum', () => {
    const decision = disclosureControl({
      minGroupSize: 3,
      overall: { rated: 10, responses: 10 },
      groups: [cell('a', 5), cell('b', 4), cell('c', 1)],
    });
    expect(decision).toMatchObject({ primary: ['c'], secondary: ['b'], shown: ['a'] });
    expect(decision.residual).toEqual({ rated: 5, responses: 5 });
  });

  it('counts don’t-knows too: a hidden rest of one don’t-know is not safe', () => {
    // c has no rating but one don't-know; overall answers minus the shown groups' would show it.
    const decision = disclosureControl({
      minGroupSize: 3,
      overall: { rated: 9, responses: 10 },
      groups: [cell('a', 5, 5), cell('b', 4, 4), cell('c', 0, 1)],
    });
    expect(decision.secondary).toEqual(['b']);
  });

  it('counts answers in no group as part of the hidden rest', () => {
    const decision = disclosureControl({
      minGroupSize: 3,
      overall: { rated: 8, responses: 8 },
      groups: [cell('a', 5), cell('b', 3)],
    });
    expect(decision.secondary).toEqual([]);
    expect(decision.residual).toEqual({ rated: 0, responses: 0 });
    const oneOutside = disclosureControl({
      minGroupSize: 3,
      overall: { rated: 9, responses: 9 },
      groups: [cell('a', 5), cell('b', 3)],
    });
    expect(oneOutside.secondary).toEqual(['b']);
  });

  it('works from stored results, where hidden groups have no figures', () => {
    const decision = disclosureControl({
      minGroupSize: 3,
      overall: { rated: 10, responses: 10 },
      groups: [cell('a', 5), cell('b', 4), cell('c', null)],
    });
    expect(decision).toMatchObject({ primary: ['c'], secondary: ['b'] });
  });

  it('shows no distribution at all when fewer than the minimum gave a level', () => {
    expect(
      disclosureControl({ minGroupSize: 3, overall: { rated: 1, responses: 1 }, groups: [] })
        .overallShown,
    ).toBe(false);
    expect(
      disclosureControl({ minGroupSize: 3, overall: { rated: 3, responses: 3 }, groups: [] })
        .overallShown,
    ).toBe(true);
  });

  it('labels respondents by group only for groups shown everywhere, with a large enough bucket', () => {
    const counts = new Map([
      ['a', 5],
      ['b', 4],
      ['c', 1],
    ]);
    // c is hidden somewhere: alone in the bucket it would be named by elimination, so b joins it.
    expect([...labelledGroups(3, counts, 10, new Set(['a', 'b']))]).toEqual(['a']);
    // Shown everywhere but one person: still not named, and b joins the bucket again.
    expect([...labelledGroups(3, counts, 10, new Set(['a', 'b', 'c']))]).toEqual(['a']);
    const big = new Map([...counts, ['c', 3]]);
    expect([...labelledGroups(3, big, 12, new Set(['a', 'b', 'c']))]).toEqual(['a', 'b', 'c']);
  });
});

// ---- the subtraction attack ----

const CAPS = defaultFramework.capabilities
  .filter((c) => c.scope === 'organisation')
  .map((c) => c.id);
const groups: Group[] = [
  { id: 'lead', name: 'Leadership' },
  { id: 'front', name: 'Frontline staff' },
  { id: 'board', name: 'Board member' },
];

/** One respondent's answers: the same level for every capability, with a don't-know on one. */
function person(id: string, groupId: string, level: Level, dontKnowOn?: string): Answer[] {
  return CAPS.map((capabilityId) => ({
    responseId: id,
    groupId,
    capabilityId,
    level: capabilityId === dontKnowOn ? null : level,
    indicatorsSeen: [],
    evidence: '',
    confidence: capabilityId === dontKnowOn ? null : ('medium' as const),
  }));
}

/**
 * Five leaders who see Good, four frontline staff who see 3, 3, 5 and one more, and the one board
 * member. Rounds X and Y swap the board member's answers with that fourth frontline person's: the
 * same answers overall, but the board member rated 5 in X and 1 in Y.
 */
function round(board: Level, fourth: Level): Answer[] {
  return [
    ...['l1', 'l2', 'l3', 'l4', 'l5'].flatMap((id) => person(id, 'lead', 2)),
    ...person('f1', 'front', 3),
    ...person('f2', 'front', 3),
    ...person('f3', 'front', 5),
    ...person('f4', 'front', fourth),
    ...person('b1', 'board', board),
  ];
}
const X = round(5, 1);
const Y = round(1, 5);

function published(answers: Answer[]) {
  const summary = summariseRound(defaultFramework, 'organisation', answers, groups);
  const byResponse = new Map<string, Answer[]>();
  for (const a of answers)
    byResponse.set(a.responseId, [...(byResponse.get(a.responseId) ?? []), a]);
  const rows: ResponseRow[] = [...byResponse].map(([responseId, list]) => ({
    responseId,
    groupId: list[0]?.groupId ?? '',
    groupName: groups.find((g) => g.id === list[0]?.groupId)?.name ?? '',
    label: responseId,
    submittedAt: '2026-10-07T09:00:00.000Z',
    answers: list,
  }));
  return {
    summary,
    outputs: {
      summary: JSON.stringify(summary),
      resultsCsv: resultsToCsv(defaultFramework, summary.results),
      report: JSON.stringify(roundReport(defaultFramework, summary)),
      responsesCsv: responsesToCsv(defaultFramework, rows, {
        identities: false,
        results: summary.results,
        minGroupSize: 3,
      }),
    },
  };
}

describe('the subtraction attack on a round with one small group', () => {
  const x = published(X);
  const y = published(Y);

  it('would succeed without complementary suppression: the frontline median gives the board member away', () => {
    // The control, so that the test below can fail: shown, the frontline group's median differs
    // between X (3, 3, 5, 1 → 3) and Y (3, 3, 5, 5 → 4), and with the totals it would tell the two
    // apart — whether the board member rated 5 or 1.
    const frontMedian = (fourth: Level) =>
      tukeyHinges([3, 3, 5, fourth].sort((a, b) => a - b)).median;
    expect(frontMedian(1)).not.toBe(frontMedian(5));
  });

  it('hides the frontline group as well as the board member, and keeps Leadership', () => {
    for (const result of x.summary.results) {
      expect(result.groups.map((g) => [g.groupId, g.hidden])).toEqual([
        ['lead', false],
        ['front', true],
        ['board', true],
      ]);
    }
  });

  for (const key of ['summary', 'resultsCsv', 'report', 'responsesCsv'] as const) {
    it(`publishes the same ${key} whether the board member rated 5 or 1`, () => {
      expect(x.outputs[key]).toBe(y.outputs[key]);
    });
  }

  it('leaves a hidden rest of none or at least the minimum in every published total', () => {
    for (const result of x.summary.results) {
      const shown = result.groups.filter((g) => !g.hidden);
      const rated = (result.rated ?? 0) - shown.reduce((s, g) => s + (g.rated ?? 0), 0);
      const answered = result.responses - shown.reduce((s, g) => s + (g.responses ?? 0), 0);
      for (const rest of [rated, answered]) expect(rest === 0 || rest >= 3).toBe(true);
    }
  });

  it('does not name the board in the responses CSV, nor the frontline group hidden with it', () => {
    const csv = x.outputs.responsesCsv;
    expect(csv).not.toContain('Board member');
    expect(csv).not.toContain('Frontline staff');
    expect(csv).toContain('Leadership');
    expect(csv.split(HIDDEN_GROUPS_LABEL).length - 1).toBe(5 * CAPS.length);
  });

  it('also holds when the board member said don’t know on one capability', () => {
    const withDontKnow = [
      ...X.filter((a) => a.responseId !== 'b1'),
      ...person('b1', 'board', 5, CAPS[0]),
    ];
    const result = published(withDontKnow).summary.results[0];
    expect(result?.groups.find((g) => g.groupId === 'front')?.hidden).toBe(true);
  });

  it('is applied again, unchanged, to a stored summary', () => {
    expect(JSON.stringify(protectSummary(x.summary))).toBe(x.outputs.summary);
  });
});

describe('a round with fewer answers than the minimum', () => {
  const one = summariseRound(defaultFramework, 'organisation', person('only', 'lead', 4), groups);

  it('shows no distribution, median, spread or confidence, only how many answered', () => {
    for (const result of one.results) {
      expect(result).toMatchObject({
        responses: 1,
        shown: false,
        rated: null,
        dontKnows: null,
        distribution: null,
        median: null,
        consensus: null,
        best: null,
        worst: null,
        confidence: null,
        indicatorsSeen: {},
      });
      expect(result.explanations.consensus).toContain('Fewer than 3 people gave a level');
    }
  });

  it('writes no level into the results CSV', () => {
    const csv = resultsToCsv(defaultFramework, one.results);
    for (const line of csv.trimEnd().split('\r\n').slice(1)) {
      const cells = line.split(',');
      // Responses is 1; every figure after it is empty, and the effective level source is none.
      expect(cells[5]).toBe('1');
      expect(cells.slice(6, 25).every((c) => c === '')).toBe(true);
      expect(cells[25]).toBe('none');
    }
  });
});
