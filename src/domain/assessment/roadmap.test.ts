// Targets and the roadmap to the next level (issue 3, point 6).
import { describe, expect, it } from 'vitest';
import { defaultFramework, getCapability, getCapabilityLevel } from '../framework/index.ts';
import { summariseCapability } from './results.ts';
import {
  capabilityRoadmap,
  countIndicatorsSeen,
  describeTarget,
  evidenceGiven,
  indicatorAsAction,
  roadmap,
} from './roadmap.ts';
import { answersFor } from './testAnswers.ts';

const fw = defaultFramework;
const CAP = 'organisational-learning';

describe('indicatorAsAction', () => {
  it('turns an observation into an action without changing its words', () => {
    expect(
      indicatorAsAction(
        'Post-project reviews are standard and combine discussion with data analysis',
      ),
    ).toBe(
      'Make sure that post-project reviews are standard and combine discussion with data analysis.',
    );
  });
  it('keeps acronyms and quotes, and drops trailing punctuation', () => {
    expect(indicatorAsAction('AI pilots are evaluated.')).toBe(
      'Make sure that AI pilots are evaluated.',
    );
    expect(indicatorAsAction("'Lessons learned' notes are kept")).toBe(
      "Make sure that 'Lessons learned' notes are kept.",
    );
  });
});

describe('roadmap', () => {
  const capability = getCapability(fw, CAP);
  const level2 = capability && getCapabilityLevel(capability, 2);
  const [first, second, third, fourth] = [1, 2, 3, 4].map((n) => `${CAP}.2.${n}`);

  it('uses the four level-2 indicators of organisational learning', () => {
    expect(level2?.indicators.map((indicator) => indicator.id)).toEqual([
      first,
      second,
      third,
      fourth,
    ]);
  });

  it('lists the next level’s indicators most respondents do not see, as actions', () => {
    const plan = roadmap(
      fw,
      CAP,
      3,
      1,
      { [`${first}`]: 5, [`${second}`]: 3, [`${third}`]: 0, 'organisational-learning.1.1': 6 },
      ['  We log reviews in SharePoint ', ''],
      { respondents: 6 },
    );
    expect(plan.nextLevel).toBe(2);
    expect(plan.nextLevelDescription).toBe(level2?.description);
    // 5 of 6 is most; 3 of 6 is not more than half.
    expect(plan.alreadySeen.map((action) => action.indicatorId)).toEqual([first]);
    expect(plan.actions.map((action) => [action.indicatorId, action.seenBy])).toEqual([
      [second, 3],
      [third, 0],
      [fourth, 0],
    ]);
    expect(plan.actions[0]?.action).toBe(
      'Make sure that review findings and actions are logged and tracked in a central repository.',
    );
    expect(plan.evidence).toEqual(['We log reviews in SharePoint']);
    expect(plan.target).toEqual({
      level: 1,
      levelsToGo: 2,
      met: false,
      text: '2 levels to go to reach your target of 1 Outstanding',
    });
    expect(plan.explanation).toContain('not yet seen by more than half of the 6 respondents');
  });

  it('without a respondent count, treats an indicator anyone ticked as seen', () => {
    const plan = roadmap(fw, CAP, 3, undefined, { [`${first}`]: 1 }, []);
    expect(plan.alreadySeen.map((action) => action.indicatorId)).toEqual([first]);
    expect(plan.actions).toHaveLength(3);
    expect(plan.target).toBeNull();
  });

  it('from 5 Inadequate, turns the shortcomings respondents see into actions, most seen first', () => {
    const plan = roadmap(
      fw,
      CAP,
      5,
      2,
      { [`${CAP}.5.2`]: 4, [`${CAP}.5.4`]: 6, [`${CAP}.4.1`]: 9 },
      [],
      { respondents: 8 },
    );
    expect(plan.kind).toBe('leave-behind');
    expect(plan.nextLevel).toBe(4);
    // The level-5 shortcomings, most seen first, then in the framework's order; level 4 is not an aim.
    expect(plan.actions.map((a) => [a.indicatorId, a.seenBy])).toEqual([
      [`${CAP}.5.4`, 6],
      [`${CAP}.5.2`, 4],
      [`${CAP}.5.1`, 0],
      [`${CAP}.5.3`, 0],
      [`${CAP}.5.5`, 0],
    ]);
    expect(plan.actions[1]?.action).toBe('Tackle this: data are ignored or mistrusted.');
    expect(plan.actions.some((a) => a.action.startsWith('Make sure that'))).toBe(false);
    expect(plan.alreadySeen).toEqual([]);
    expect(plan.nextLevelIndicators[0]).toBe(
      'Learning depends on individual initiative and stays inside teams',
    );
    expect(plan.explanation).toContain('The practices to build begin at 2 Good.');
    expect(plan.target?.levelsToGo).toBe(3);
  });

  it('from 4, still leaves shortcomings behind; from 3, builds the practices of 2 Good', () => {
    expect(roadmap(fw, CAP, 4, undefined, {}, []).actions[0]?.action).toBe(
      'Tackle this: learning depends on individual initiative and stays inside teams.',
    );
    const from3 = roadmap(fw, CAP, 3, undefined, {}, []);
    expect(from3.kind).toBe('build');
    expect(from3.actions[0]?.action).toMatch(/^Make sure that post-project reviews/);
  });

  it('never turns a practice named at a lower level into something to tackle', () => {
    const plan = roadmap(fw, 'managing-supplier-relations', 4, undefined, {}, []);
    expect(plan.actions.map((a) => a.indicatorText)).toEqual([
      'The supplier defines the solution',
      'The supplier also writes the technical requirements',
      'Problems turn into formal contract disputes instead of being solved jointly',
    ]);
    expect(plan.nextLevelIndicators).toContain(
      'Staff can take part in technical discussions with suppliers',
    );
  });

  it('has no next level at Outstanding', () => {
    const plan = roadmap(fw, CAP, 1, 1, {}, []);
    expect(plan.nextLevel).toBeNull();
    expect(plan.kind).toBe('top');
    expect(plan.actions).toEqual([]);
    expect(plan.target?.text).toBe('At or better than your target of 1 Outstanding');
  });

  it('refuses an unknown capability', () => {
    expect(() => roadmap(fw, 'nope', 3, undefined, {}, [])).toThrow(RangeError);
  });
});

describe('describeTarget', () => {
  it('counts levels to go, lower numbers being better', () => {
    expect(describeTarget(4, 2).text).toBe('2 levels to go to reach your target of 2 Good');
    expect(describeTarget(3, 2).text).toBe('1 level to go to reach your target of 2 Good');
    expect(describeTarget(3, 3)).toMatchObject({ met: true, levelsToGo: 0 });
    expect(describeTarget(2, 3)).toMatchObject({
      met: true,
      levelsToGo: -1,
      text: 'At or better than your target of 3 Adequate',
    });
  });
});

describe('countIndicatorsSeen and evidenceGiven', () => {
  it('count each respondent once per indicator and keep only this capability', () => {
    const answers = [
      ...answersFor(CAP, 'g', [2], { indicatorsSeen: ['a', 'a', 'b'], evidence: 'Minutes' }),
      ...answersFor(CAP, 'g', [3], { indicatorsSeen: ['a'], evidence: ' ' }),
      ...answersFor('managing-risk', 'g', [3], { indicatorsSeen: ['a'], evidence: 'Other' }),
    ];
    expect(countIndicatorsSeen(answers, CAP)).toEqual({ a: 2, b: 1 });
    expect(evidenceGiven(answers, CAP)).toEqual(['Minutes']);
  });
});

describe('capabilityRoadmap', () => {
  const answers = [
    ...answersFor(CAP, 'g', [3, 3], { indicatorsSeen: [`${CAP}.2.1`, `${CAP}.2.2`] }),
    ...answersFor(CAP, 'g', [4], { indicatorsSeen: [`${CAP}.2.1`, 'managing-risk.2.1'] }),
    ...answersFor(CAP, 'g', [null]),
  ];
  const result = summariseCapability(CAP, answers, []);

  it('keeps per-indicator counts for this capability only in the result', () => {
    expect(result.indicatorsSeen).toEqual({ [`${CAP}.2.1`]: 3, [`${CAP}.2.2`]: 2 });
  });

  it('starts from the consensus and counts most of everyone who answered', () => {
    // 4 responses: 2.1 seen by 3 (most), 2.2 by 2 (not more than half).
    const plan = capabilityRoadmap(fw, result, { targetLevel: 2 });
    expect(plan?.currentLevel).toBe(3);
    expect(plan?.alreadySeen.map((action) => action.indicatorId)).toEqual([`${CAP}.2.1`]);
    expect(plan?.actions.map((action) => action.indicatorId)).toEqual([
      `${CAP}.2.2`,
      `${CAP}.2.3`,
      `${CAP}.2.4`,
    ]);
    expect(plan?.target?.text).toBe('1 level to go to reach your target of 2 Good');
  });

  it('starts from the agreed level when there is one, and gives up without any level', () => {
    expect(capabilityRoadmap(fw, result, { agreedLevel: 2 })?.nextLevel).toBe(1);
    const none = summariseCapability(CAP, answersFor(CAP, 'g', [null]), []);
    expect(capabilityRoadmap(fw, none)).toBeUndefined();
  });
});
