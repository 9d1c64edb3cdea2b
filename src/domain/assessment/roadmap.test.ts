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
  indicatorStance,
  isOverdue,
  roadmap,
  roadmapItemsToCsv,
  SHORTCOMINGS_AT_GOOD,
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

  it('speaks of one respondent in the singular', () => {
    const plan = roadmap(fw, CAP, 3, undefined, {}, [], { respondents: 1 });
    expect(plan.explanation).toContain('not yet seen by the one respondent');
    expect(plan.explanation).not.toContain('1 respondents');
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

// Issue 12, point 6: the roadmap's sentences read naturally for every indicator of the framework.
// A sentence asking to "make sure that" something negative is true asks for the opposite of what the
// paper means; these words mark a negative statement in the framework's indicators.
const NEGATIVE =
  /\b(no|not|never|nobody|nothing|none|without|hard to|difficult|inconsistent(ly)?|ad hoc|unaddressed|compete|duplicated|must navigate|unreliable|lack(s|ing)?|only|ignored|fear)\b/i;

// Practices whose words include one of those markers but which state a practice to build, read one
// by one: "…part of everyday work, not an occasional exercise", "…redesigned before go-live, not
// after", "the risk of doing nothing is weighed…", "…a no-blame learning review…".
const PRACTICES_WITH_A_NEGATIVE_WORD = new Set([
  'organisational-learning.1.1',
  'developing-new-ways-of-working.2.2',
  'managing-risk.1.2',
  'governing-failure.1.3',
]);

describe('roadmap wording over every indicator of the framework', () => {
  const everyStart = fw.capabilities.flatMap((capability) =>
    ([2, 3, 4, 5] as const).map((level) => ({ capability, level })),
  );

  it('never asks to "make sure that" a shortcoming is true, from any level of any capability', () => {
    const wrong: string[] = [];
    for (const { capability, level } of everyStart) {
      const plan = roadmap(fw, capability.id, level, undefined, {}, []);
      for (const action of plan.actions) {
        if (
          action.kind === 'build' &&
          NEGATIVE.test(action.indicatorText) &&
          !PRACTICES_WITH_A_NEGATIVE_WORD.has(action.indicatorId)
        ) {
          wrong.push(`${action.indicatorId}: ${action.action}`);
        }
        if (action.kind === 'build') expect(action.action).toMatch(/^Make sure that /);
        else expect(action.action).toMatch(/^Tackle this: /);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reads every indicator of 1 Outstanding and 2 Good as a practice or, where it states a lack, as a shortcoming', () => {
    for (const capability of fw.capabilities) {
      for (const entry of capability.levels.filter((l) => l.level <= 2)) {
        for (const indicator of entry.indicators) {
          const stance = indicatorStance(entry.level, indicator);
          const action = indicatorAsAction(indicator.text);
          // Every sentence is a whole sentence with the indicator's words.
          expect(action.endsWith('.')).toBe(true);
          if (stance === 'shortcoming') {
            expect(SHORTCOMINGS_AT_GOOD.has(indicator.id) || indicator.kind === 'shortcoming').toBe(
              true,
            );
          }
        }
      }
    }
    // Each listed id is a real indicator of 2 Good (no stale entries).
    const ids = new Set(
      fw.capabilities.flatMap((c) =>
        c.levels.filter((l) => l.level === 2).flatMap((l) => l.indicators.map((i) => i.id)),
      ),
    );
    for (const id of SHORTCOMINGS_AT_GOOD) expect(ids.has(id)).toBe(true);
  });

  it('turns "There is no unified skills framework" into something to leave behind, not to build', () => {
    const to2 = roadmap(fw, 'flow-of-human-capital', 3, undefined, {}, []);
    expect(to2.actions.map((a) => a.indicatorId)).not.toContain('flow-of-human-capital.2.4');
    expect(to2.actions.some((a) => /make sure that there is no/i.test(a.action))).toBe(false);
    const to1 = roadmap(fw, 'flow-of-human-capital', 2, undefined, {}, []);
    const leave = to1.actions.find((a) => a.indicatorId === 'flow-of-human-capital.2.4');
    expect(leave?.action).toBe('Tackle this: there is no unified skills framework.');
    expect(leave?.kind).toBe('leave-behind');
    expect(to1.explanation).toContain('Then what 2 Good still lacks, to leave behind.');
  });

  it('keeps the practices stated at lower levels out of "Tackle this"', () => {
    for (const { capability, level } of everyStart) {
      const plan = roadmap(fw, capability.id, level, undefined, {}, []);
      for (const action of plan.actions.filter((a) => a.kind === 'leave-behind')) {
        const located = capability.levels
          .flatMap((l) => l.indicators.map((i) => ({ level: l.level, i })))
          .find((x) => x.i.id === action.indicatorId);
        expect(located && indicatorStance(located.level, located.i)).toBe('shortcoming');
      }
    }
  });
});

describe('roadmap items', () => {
  it('calls an item overdue when its due date has passed and it is not done', () => {
    expect(isOverdue({ status: 'in-progress', dueOn: '2026-12-06' }, '2026-12-07')).toBe(true);
    expect(isOverdue({ status: 'blocked', dueOn: '2026-12-06' }, '2026-12-07')).toBe(true);
    expect(isOverdue({ status: 'done', dueOn: '2026-12-06' }, '2026-12-07')).toBe(false);
    expect(isOverdue({ status: 'not-started', dueOn: '2026-12-07' }, '2026-12-07')).toBe(false);
    expect(isOverdue({ status: 'not-started', dueOn: null }, '2026-12-07')).toBe(false);
  });

  it('writes the items as CSV with the status in words and formulas defused', () => {
    const csv = roadmapItemsToCsv([
      {
        capabilityName: 'Managing Risk',
        action: 'Make sure that risk is managed, "proactively".',
        roundTitle: 'Review',
        owner: 'Alex Morgan',
        dueOn: '2027-01-31',
        status: 'in-progress',
        overdue: false,
        initiative: null,
        notes: '=HYPERLINK("x")',
        updatedAt: '2026-12-07T10:00:00.000Z',
      },
    ]);
    const [head, row] = csv.split('\r\n');
    expect(head).toBe(
      'Capability,Action,Round,Owner,Due date,Status,Overdue,Linked initiative,Notes,Last changed',
    );
    expect(row).toBe(
      'Managing Risk,"Make sure that risk is managed, ""proactively"".",Review,Alex Morgan,2027-01-31,In progress,No,,"\'=HYPERLINK(""x"")",2026-12-07T10:00:00.000Z',
    );
  });
});
