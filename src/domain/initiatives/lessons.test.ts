// The lesson template: a draft from an evaluation quotes its figures, bears on the capabilities
// the evaluation gives evidence about, and can be found by a full-text search; the schema checks a
// lesson as typed, with a specific message for each mistake.
import { describe, expect, it } from 'vitest';
import { readCsvLog } from '../mining/index.ts';
import { buildEvaluation, evaluateFromLog } from './evaluation.ts';
import type { EvaluationInput } from './evaluation.ts';
import {
  lessonFromEvaluation,
  lessonSchema,
  lessonSchemaFor,
  lessonSearchText,
} from './lessons.ts';
import type { Lesson } from './lessons.ts';
import type { Initiative } from './types.ts';
import { sampleInitiative } from '../../../test/helpers/initiatives.ts';

const initiative: Initiative = sampleInitiative({
  id: 'ai-review',
  title: 'AI review support for planners',
  problem: 'Planners cannot keep up with complex applications.',
  chainId: 'planning-permit',
  stageId: 'manual-review',
  competency: 'large-language-models',
  ambition: 'bespoke',
  affects: ['staff', 'public'],
  data: {
    personal: true,
    specialCategory: false,
    criminalOffence: false,
    description: 'Planning applications and their drawings.',
  },
  typologyCells: [5],
  technologyCost: 40_000,
  waysOfWorking: {
    rolesThatChange: 'Planners check summaries instead of reading every page.',
    training: 'Two days.',
    frontlineInvolvement: 'Planners designed the summary layout.',
  },
  supplier: {
    arrangement: 'single-end-to-end',
    suppliers: 'Acme AI',
    lockIn: { dataPortability: true, openFormats: true, exitPlan: false, modelOwner: 'supplier' },
  },
  authorisingNarrative: 'Faster planning decisions for housing.',
  status: 'evaluated',
  liveFrom: '2024-02-01',
});

const input: EvaluationInput = {
  initiativeId: 'ai-review',
  evaluatedOn: '2024-06-30',
  budgetary: {
    inputUnit: 'planner hour',
    costPerUnitOfInput: { before: 45, after: 45 },
    spendPerYear: { before: 700_000, after: 660_000 },
  },
  operational: {
    outputsPerStaffHour: { before: null, after: null },
    costPerOutput: { before: 1136, after: 966 },
    leadTimeDays: { before: null, after: null },
    throughputPerWeek: { before: null, after: null },
  },
  effectiveness: { outcomeName: '', outcomesPerOutput: { before: null, after: null } },
  bottleneck: { before: 'Manual review', after: 'Decision and approval' },
  determinants: 'Planners trusted the summaries after two weeks of side-by-side checks.',
  unintendedConsequences: 'Senior planners became the constraint.',
  staffPerspectives: 'The policy checks saved the most time.',
  outcome: 'partly',
};

// Two cases before go-live (1 February 2024) of 4 and 6 days, two after of 1 and 2 days; Review
// waited for 3 and 5 days before, 0.5 and 1 day after.
async function log() {
  const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString();
  const rows = [
    ['b1', 'Register', 0],
    ['b1', 'Review', 3],
    ['b1', 'Decide', 4],
    ['b2', 'Register', 10],
    ['b2', 'Review', 15],
    ['b2', 'Decide', 16],
    ['a1', 'Register', 40],
    ['a1', 'Review', 40.5],
    ['a1', 'Decide', 41],
    ['a2', 'Register', 45],
    ['a2', 'Review', 46],
    ['a2', 'Decide', 47],
  ] as const;
  return readCsvLog([
    'case:concept:name,concept:name,time:timestamp\n' +
      rows.map(([c, a, d]) => `${c},${a},${day(d)}`).join('\n'),
  ]);
}

describe('lessonFromEvaluation', () => {
  it('drafts the template with the figures quoted, so a search finds them', async () => {
    const fromLog = evaluateFromLog(await log(), { goLive: '2024-02-01', activity: 'Review' });
    const lesson = lessonFromEvaluation(initiative, buildEvaluation(input, fromLog));
    expect(lesson.title).toBe('AI review support for planners: partly succeeded');
    expect([
      lesson.initiativeId,
      lesson.initiativeTitle,
      lesson.competency,
      lesson.ambition,
    ]).toEqual(['ai-review', 'AI review support for planners', 'large-language-models', 'bespoke']);
    expect(lesson.evidence).toEqual([
      'Cost per planner hour stayed at £45.00.',
      'Spend a year fell from £700,000.00 to £660,000.00 (−5.7%): better.',
      'Cost per output fell from £1,136.00 to £966.00 (−15%): better.',
      // Lead time [4, 6] days → [1, 2]: medians 5 and 1.5 days.
      'Median lead time fell from 5 days to 1.5 days (−70%): better (from the event log).',
      // Before: days 0–31, 2 finished = 0.45 a week; after: days 31–47, 2 finished = 0.88 a week.
      'Throughput rose from 0.45 a week to 0.88 a week (+94%), as arrivals did (+94%): the service completed what arrived, so this follows demand and is neither better nor worse (from the event log).',
      'Money saved: £40,000.00 a year.',
      'The constraint moved from Manual review to Decision and approval: the next improvement should look there (Theory of Constraints, section 2.2.1).',
      // Waits [3, 5] days → [0.5, 1]: medians 4 days and 18 hours; 8 of 10 case-days → 1.5 of 3.
      'The median wait before Review fell from 4 days to 18 hours (−81%): better (from the event log).',
      'The share of case time spent waiting for Review fell from 80.0% to 50.0% (−38%): better (from the event log).',
      'Small sample: 2 cases before go-live and 2 cases after. With fewer than 30 on a side the figures can move a long way by chance; treat them as a first indication.',
      expect.stringMatching(/^Median lead time: a fall of 3\.5 days\. A 95% bootstrap interval/),
    ]);
    expect(lesson.whatHappened.split('\n\n')[0]).toBe(
      'AI review support for planners used large language models, as a bespoke or high-stakes system, for this problem: Planners cannot keep up with complex applications. It went live on 1 February 2024.',
    );
    expect(lesson.whatHappened).toContain(
      'Across the delivery chain (section 3.1): budgetary efficiency better; operational efficiency better; effectiveness not measured.',
    );
    expect(lesson.whatWeLearned).toBe(
      'Planners trusted the summaries after two weeks of side-by-side checks.\n\n' +
        'Unintended consequences: Senior planners became the constraint.\n\n' +
        'Frontline staff: The policy checks saved the most time.',
    );
    expect(lesson.whatWeWouldDoDifferently).toBe('');
    expect(lesson.tags).toEqual([
      'large-language-models',
      'bespoke',
      'outcome-partly',
      'typology-cell-5',
      'bottleneck-moved',
      'budgetary-efficiency-better',
      'operational-efficiency-better',
      'unintended-consequences',
    ]);
  });

  it('bears on the capabilities the evaluation gives evidence about', () => {
    // A stage named (planning, Table 1), roles that change (3.3), consequences (3.4), a supplier (3.5).
    expect(lessonFromEvaluation(initiative, buildEvaluation(input)).capabilityIds).toEqual([
      'organisational-learning',
      'planning-and-prioritisation',
      'developing-new-ways-of-working',
      'managing-risk',
      'managing-supplier-relations',
    ]);
    const plain: Initiative = {
      ...initiative,
      stageId: null,
      waysOfWorking: { ...initiative.waysOfWorking, rolesThatChange: ' ' },
      supplier: { ...initiative.supplier, arrangement: 'in-house' },
    };
    const quiet = buildEvaluation({
      ...input,
      bottleneck: { before: '', after: '' },
      unintendedConsequences: 'None found.',
      outcome: 'succeeded',
    });
    expect(lessonFromEvaluation(plain, quiet).capabilityIds).toEqual(['organisational-learning']);
    // A failed or stopped initiative is a lesson about risk even when nothing unintended happened.
    const stopped = buildEvaluation({
      ...input,
      unintendedConsequences: 'none',
      outcome: 'stopped',
    });
    expect(lessonFromEvaluation(plain, stopped).capabilityIds).toContain('managing-risk');
  });

  it('refuses an evaluation of another initiative', () => {
    expect(() =>
      lessonFromEvaluation({ ...initiative, id: 'chatbot' }, buildEvaluation(input)),
    ).toThrow(
      'the evaluation is of initiative "ai-review", not "chatbot" (AI review support for planners)',
    );
  });
});

describe('lessonSearchText', () => {
  it('holds every field in words, with figures written as people search for them', () => {
    const lesson = lessonFromEvaluation(initiative, buildEvaluation(input));
    const text = lessonSearchText(lesson);
    expect(text).toContain('Cost per output fell from £1136.00 to £966.00 (-15%): better.');
    expect(text).not.toMatch(/\u2212/);
    for (const words of [
      'large language models',
      'organisational learning',
      'managing supplier relations',
      'a bespoke or high-stakes system',
      'partly succeeded',
      'Senior planners became the constraint.',
      'bottleneck moved',
      'AI review support for planners',
    ]) {
      expect(text).toContain(words);
    }
    expect(text.split('\n')[0]).toBe('AI review support for planners: partly succeeded');
  });

  it('includes what the team wrote they would do differently', () => {
    const lesson: Lesson = {
      ...lessonFromEvaluation(initiative, buildEvaluation(input)),
      whatWeWouldDoDifferently: 'Add a   senior planner\nbefore go-live.',
    };
    expect(lessonSearchText(lesson)).toContain('Add a senior planner before go-live.');
  });
});

describe('lessonSchema', () => {
  const typed = {
    title: ' Review summaries: partly succeeded ',
    initiativeId: '',
    initiativeTitle: 'AI review support for planners',
    competency: 'large-language-models',
    capabilityIds: 'organisational-learning, managing-risk, managing-risk',
    ambition: 'bespoke',
    outcome: 'partly',
    whatHappened: 'Reviews got faster; approval became the constraint.',
    whatWeLearned: 'Side-by-side checking built trust.',
    whatWeWouldDoDifferently: 'Add a senior planner before go-live.',
    evidence:
      'Median lead time fell from 5 days to 1.5 days (−70%): better.\r\n\r\nMoney saved: £40,000.00 a year.\n',
    tags: 'Lead time, NLP , lead time',
  };

  it('reads a lesson as a form sends it: lists from text, tags as slugs, no duplicates', () => {
    const lesson: Lesson = lessonSchema.parse(typed);
    expect(lesson.title).toBe('Review summaries: partly succeeded');
    expect(lesson.initiativeId).toBeNull();
    expect(lesson.capabilityIds).toEqual(['organisational-learning', 'managing-risk']);
    expect(lesson.evidence).toEqual([
      'Median lead time fell from 5 days to 1.5 days (−70%): better.',
      'Money saved: £40,000.00 a year.',
    ]);
    expect(lesson.tags).toEqual(['lead-time', 'nlp']);
  });

  it('accepts a drafted lesson once the team has said what it would do differently', () => {
    const draft = lessonFromEvaluation(initiative, buildEvaluation(input));
    const done = { ...draft, whatWeWouldDoDifferently: 'Plan for the decision stage.' };
    expect(lessonSchema.parse(done)).toEqual(done);
    const missing = lessonSchema.safeParse(draft);
    expect(missing.success ? [] : missing.error.issues.map((i) => i.message)).toEqual([
      'Enter what you would do differently',
    ]);
  });

  it('gives a specific message for each mistake', () => {
    const messages = (value: unknown, schema = lessonSchema): string[] => {
      const r = schema.safeParse(value);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(
      messages({
        ...typed,
        title: '',
        competency: 'robotics',
        capabilityIds: '',
        ambition: 'moonshot',
        evidence: '\n\n',
        tags: 'lead_time!',
        whatWeLearned: 'x'.repeat(5001),
      }),
    ).toEqual([
      'title: Enter a title for the lesson',
      'competency: Select the AI competency: computer vision, natural language processing, speech analytics, predictive analytics, chatbots, large language models',
      'capabilityIds: Select at least one capability the lesson bears on',
      'ambition: Select the ambition: pilot, bespoke or system-wide',
      'whatWeLearned: What you learned must be 5,000 characters or fewer',
      'evidence: Add at least one piece of evidence, such as a figure from the evaluation',
      'tags.0: Tags may use letters, numbers and hyphens only: "lead_time!"',
    ]);
    const framework = lessonSchemaFor(['organisational-learning', 'planning-and-prioritisation']);
    expect(
      messages(
        { ...typed, capabilityIds: ['organisational-learning', 'managing-risk'] },
        framework,
      ),
    ).toEqual(['capabilityIds: "managing-risk" is not a capability in the framework']);
    expect(messages({ ...typed, capabilityIds: ['Managing Risk'] })).toEqual([
      'capabilityIds.0: "Managing Risk" is not a capability id',
    ]);
  });
});
