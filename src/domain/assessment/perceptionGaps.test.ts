// Perception gaps in brief (issue 12, point 7): largest first, leadership against frontline named.
import { describe, expect, it } from 'vitest';
import { groupRole, summarisePerceptionGaps } from './perceptionGaps.ts';
import { summariseCapability } from './results.ts';
import { answersFor } from './testAnswers.ts';
import type { Group, Level } from './types.ts';

const CAP = 'planning-and-prioritisation';

function resultFor(spec: readonly [string, readonly Level[]][]) {
  const groups: Group[] = spec.map(([name], i) => ({ id: `g${i}`, name }));
  const answers = spec.flatMap(([, levels], i) => answersFor(CAP, `g${i}`, levels));
  return summariseCapability(CAP, answers, groups);
}

describe('groupRole', () => {
  it('recognises leadership and frontline names whatever their case and punctuation', () => {
    for (const name of ['Leadership', 'Senior leaders', 'EXECUTIVE', 'Senior Leadership Team'])
      expect(groupRole(name)).toBe('leadership');
    for (const name of ['Frontline', 'Front-line staff', 'operational staff', 'Frontline staff'])
      expect(groupRole(name)).toBe('frontline');
    for (const name of ['Managers', 'Digital & data', 'Leadership development'])
      expect(groupRole(name)).toBeNull();
  });
});

describe('summarisePerceptionGaps', () => {
  // The demo's planning capability: leaders see Good, frontline staff Needs Improvement, and the
  // other groups sit between, one level from each — nine pairs in all.
  const result = resultFor([
    ['Leadership', [2, 2, 3, 2, 2, 3]],
    ['Managers', [3, 4, 3, 3, 4, 3, 3, 4]],
    ['Frontline staff', [4, 4, 4, 3, 4, 4, 4, 3, 4, 4, 4, 3]],
    ['Digital & data', [3, 4, 3, 3, 4, 3]],
    ['Procurement & commercial', [3, 4, 3, 3, 4]],
  ]);
  const summary = result.perceptionGapSummary;

  it('puts the leadership–frontline gap first, named, when it is the largest', () => {
    expect(result.perceptionGaps.length).toBeGreaterThan(3);
    expect(summary?.largest).toMatchObject({
      weakerGroupName: 'Frontline staff',
      strongerGroupName: 'Leadership',
      levels: 2,
    });
    expect(summary?.headline).toBe(
      'Largest gap, between leadership and frontline staff: Frontline staff see this capability as weaker (4 Needs Improvement) than Leadership do (2 Good): 2 levels apart.',
    );
    expect(summary?.leadershipFrontline?.gap).toBe(summary?.largest);
  });

  it('keeps every other gap, and only those, for the details', () => {
    expect(summary?.others).toHaveLength(result.perceptionGaps.length - 1);
    expect(summary?.others).not.toContain(summary?.largest);
    expect(summary?.others.every((g) => g.levels === 1)).toBe(true);
  });

  it('leads with the largest gap when leadership and frontline are close, and still names them', () => {
    const close = resultFor([
      ['Senior leaders', [3, 3, 3]],
      ['Front-line staff', [3, 3, 3]],
      ['Managers', [1, 1, 1]],
    ]).perceptionGapSummary;
    expect(close?.largest).toMatchObject({ strongerGroupName: 'Managers', levels: 2 });
    expect(close?.headline).toMatch(/^Largest gap: /);
    expect(close?.leadershipFrontline).toMatchObject({
      leadershipGroupName: 'Senior leaders',
      frontlineGroupName: 'Front-line staff',
      gap: null,
      text: 'Senior leaders and Front-line staff see this capability alike (3 Adequate).',
    });
  });

  it('has no summary without gaps, and never compares a hidden group', () => {
    expect(resultFor([['Leadership', [2, 2, 2]]]).perceptionGapSummary).toBeNull();
    const hidden = resultFor([
      ['Leadership', [2, 2, 2, 2]],
      ['Frontline staff', [5, 5]],
      ['Managers', [3, 3, 3, 3]],
    ]);
    // Frontline staff are too few; Managers are hidden too, against subtraction: no gap is left.
    expect(hidden.perceptionGapSummary).toBeNull();
    expect(summarisePerceptionGaps(hidden.groups, [])).toBeNull();
  });
});
