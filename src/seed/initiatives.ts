// The demo council's AI initiatives (issue 11), written so a newcomer meets every verdict at once,
// each against the council's latest finalised assessment (spring 2026): an off-the-shelf pilot that
// is ready and approved, a pilot with several suppliers that is ready with conditions, a bespoke
// predictive system affecting the public that is not ready (with its pre-mortem, an ethical risk above
// appetite and an ethics review under way), a template tool aimed at permit printing, which is not
// the planning chain's bottleneck (warned), a triage tool that went live on the real receipt log's
// timeline and was evaluated from it, and a stopped chatbot whose lesson was kept. Deterministic.
import { buildEvaluation, evaluateFromLog } from '../domain/initiatives/evaluation.ts';
import { lessonFromEvaluation, lessonIndex, type Lesson } from '../domain/initiatives/lessons.ts';
import { PRE_MORTEM_QUESTION, draftRisksFromPreMortem } from '../domain/initiatives/risks.ts';
import type { Initiative } from '../domain/initiatives/types.ts';
import { parseInitiativeInput, type InitiativeInput } from '../domain/initiatives/schema.ts';
import { defaultFramework } from '../domain/framework/index.ts';
import { FrameworkRegistry } from '../services/frameworks.ts';
import {
  latestAssessment,
  MODELLED_BY,
  readinessWith,
  snapshotOf,
} from '../services/initiatives.ts';
import { DEFAULT_READINESS_TABLE } from '../domain/readiness/index.ts';
import { decodeEventLog, type OrgScope } from '../storage/index.ts';

/** The go-live of the evaluated demo initiative, inside the receipt log's 2010–2012 timeline. */
export const DEMO_GO_LIVE = '2011-06-01';
/** The receipt log's activity the triage tool changed. */
export const DEMO_TARGET_ACTIVITY = 'T06 Determine necessity of stop advice';

const noLockIn = {
  dataPortability: true,
  openFormats: true,
  exitPlan: true,
  modelOwner: 'organisation',
} as const;
const noData = { personal: false, specialCategory: false, criminalOffence: false, description: '' };
const ways = (rolesThatChange: string, training: string, frontlineInvolvement: string) => ({
  rolesThatChange,
  training,
  frontlineInvolvement,
});

function checked(raw: unknown): InitiativeInput {
  const parsed = parseInitiativeInput(raw);
  if (!parsed.ok)
    throw new Error(`demo initiative: ${parsed.issues.map((i) => i.message).join('; ')}`);
  return parsed.initiative;
}

export interface DemoInitiatives {
  readonly ready: string;
  readonly conditions: string;
  readonly notReady: string;
  readonly offBottleneck: string;
  readonly evaluated: string;
  readonly stopped: string;
}

/** Seeds the council's initiatives; `logId` is the demo receipt log's. */
export async function seedDemoInitiatives(
  scope: OrgScope,
  logId: string,
): Promise<DemoInitiatives> {
  const chains = await scope.chains.list();
  const planning = chains.find((c) => c.name.startsWith('Planning permit'));
  const recycling = chains.find((c) => c.name.startsWith('Household recycling'));
  if (!planning || !recycling) throw new Error('demo chains missing');
  const store = scope.initiatives;
  const assessment = await latestAssessment(scope, new FrameworkRegistry(defaultFramework));
  const approve = async (id: string) => {
    const stored = await store.get(id);
    if (!stored) throw new Error('demo initiative missing');
    await store.setStatus(id, 'assessed');
    await store.setStatus(id, 'approved');
    const view = readinessWith(stored.initiative, assessment, DEFAULT_READINESS_TABLE);
    await store.addSnapshot(id, 'approved', snapshotOf(view));
  };

  // 1. Ready: an off-the-shelf tool for staff, no personal data, an exit plan.
  const ready = await store.create(
    checked({
      title: 'Summaries of planning policy for case officers',
      problem:
        'Case officers spend an hour or more finding the policy paragraphs that apply to each application.',
      chainId: planning.id,
      stageId: 'manual-review',
      competency: 'large-language-models',
      ambition: 'pilot',
      affects: ['staff'],
      data: noData,
      typologyCells: [5],
      technologyCost: 12_000,
      investments: [
        {
          kind: 'skills',
          description: 'Half-day training on checking AI summaries',
          cost: 3_000,
          owner: 'Planning service manager',
        },
      ],
      waysOfWorking: ways(
        'Officers check each summary against the policy before relying on it.',
        'Half a day for every officer, before the pilot starts.',
        'Two officers helped choose the tool and write the checking rule.',
      ),
      supplier: {
        arrangement: 'single-end-to-end',
        suppliers: 'PolicyAssist Ltd',
        lockIn: noLockIn,
      },
      authorisingNarrative: 'Cutting waiting times for planning decisions.',
      decisionsAboutPeople: false,
      automatedDecisions: false,
    }),
    'seeded',
  );
  await approve(ready);

  // 2. Ready with conditions: several suppliers raise the bar for supplier relations (section 3.5).
  const conditions = await store.create(
    checked({
      title: 'Route planning for recycling crews',
      problem:
        'Crews miss bins on long rounds and come back the next day, which is what holds collection up.',
      chainId: recycling.id,
      stageId: 'kerbside-collection',
      competency: 'predictive-analytics',
      ambition: 'pilot',
      affects: ['staff'],
      data: noData,
      typologyCells: [5],
      technologyCost: 30_000,
      investments: [
        {
          kind: 'data',
          description: 'Clean the street and bin location data',
          cost: 8_000,
          owner: 'Waste data officer',
        },
        {
          kind: 'infrastructure',
          description: 'Tablets in every cab',
          cost: 9_500,
          owner: 'Fleet manager',
        },
      ],
      waysOfWorking: ways(
        'Crew leaders follow suggested rounds and report where they differ.',
        'A morning briefing for each crew.',
        'Crew leaders tried three versions of the rounds before choosing.',
      ),
      supplier: {
        arrangement: 'modular-multi-supplier',
        suppliers: 'RouteWise (routing), CabTech (tablets)',
        lockIn: noLockIn,
      },
      authorisingNarrative: 'Fewer missed bins.',
      decisionsAboutPeople: false,
      automatedDecisions: false,
    }),
    'seeded',
  );
  await store.setStatus(conditions, 'assessed');

  // 3. Not ready: bespoke, predictive, informs decisions about members of the public.
  const notReadyInput = checked({
    title: 'Predicting which planning applications will be refused',
    problem:
      'Planners cannot tell early which applications need the most scrutiny, so complex ones wait in the same queue as simple ones.',
    chainId: planning.id,
    stageId: 'manual-review',
    competency: 'predictive-analytics',
    ambition: 'bespoke',
    affects: ['public'],
    data: {
      personal: true,
      specialCategory: false,
      criminalOffence: false,
      description: 'Ten years of applications and decisions, with applicants’ names and addresses.',
    },
    typologyCells: [2, 6],
    technologyCost: 120_000,
    investments: [
      {
        kind: 'data',
        description: 'Clean ten years of decisions',
        cost: 40_000,
        owner: 'Head of planning',
      },
      {
        kind: 'skills',
        description: 'A data scientist to check the model for bias',
        cost: 55_000,
        owner: 'Chief digital officer',
      },
    ],
    waysOfWorking: ways(
      'Senior planners take the applications the model flags.',
      'How to read a score and when to overrule it.',
      'Not yet planned.',
    ),
    supplier: {
      arrangement: 'single-end-to-end',
      suppliers: 'Acme Analytics',
      lockIn: {
        dataPortability: false,
        openFormats: false,
        exitPlan: false,
        modelOwner: 'supplier',
      },
    },
    authorisingNarrative: 'Faster planning decisions for housing growth.',
    decisionsAboutPeople: true,
    automatedDecisions: false,
  });
  const notReady = await store.create(notReadyInput, 'seeded');
  await store.setStatus(notReady, 'assessed');
  await store.setGovernance(notReady, MODELLED_BY, 'ai-review-support');
  const answers = [
    'The model learnt from past refusals and flags applications from some areas far more often: people there are treated unfairly.',
    'Applicants could not find out why they were flagged, so they could not challenge it.',
    'The supplier owned the model and we could not change it when planning policy changed.',
  ];
  const drafts = draftRisksFromPreMortem(answers);
  const kept = [];
  for (const [i, draft] of drafts.entries()) {
    const risk = {
      kind: draft.kind,
      title: draft.title,
      description: draft.description,
      // The first, bias, is judged likely and severe: above the ethical appetite (Table 2).
      likelihood: i === 0 ? 3 : draft.likelihood,
      impact: i === 0 ? 5 : draft.impact,
      owner: 'Head of planning',
      mitigations:
        i === 0 ? 'Test the model for unequal error rates by area before any pilot.' : '',
      status: 'open',
      reviewDate: '2027-01-15',
      source: 'pre-mortem',
      escalatedTo: null,
    } as const;
    const riskId = await store.addRisk(notReady, risk);
    kept.push({ riskId, title: risk.title, kind: risk.kind });
  }
  await store.setGovernance(notReady, 'preMortem', {
    exercises: [
      {
        question: PRE_MORTEM_QUESTION,
        answers: [answers.join('\n')],
        recordedAt: '2026-11-20T10:00:00.000Z',
        recordedBy: 'Priya Shah',
        drafts: drafts.length,
        kept,
      },
    ],
  });
  await store.setGovernance(notReady, 'ethicsReview', {
    status: 'in-review',
    reviewer: 'Data Ethics Panel',
    date: null,
    notes: 'Asked for the bias tests before the panel meets.',
    recordedAt: '2026-11-25T10:00:00.000Z',
    recordedBy: 'Priya Shah',
  });

  // 4. Aimed at a stage that is not the bottleneck (section 2.2.1): warned, with numbers.
  const offBottleneck = await store.create(
    checked({
      title: 'AI templates for printing permits',
      problem: 'Printing and issuing a permit takes officers longer than it should.',
      chainId: planning.id,
      stageId: 'printing',
      competency: 'large-language-models',
      ambition: 'pilot',
      affects: ['staff'],
      data: noData,
      typologyCells: [5],
      technologyCost: 6_000,
      investments: [],
      waysOfWorking: ways('', '', ''),
      supplier: { arrangement: 'in-house', suppliers: '', lockIn: noLockIn },
      authorisingNarrative: '',
      decisionsAboutPeople: false,
      automatedDecisions: false,
    }),
    'seeded',
  );
  await store.setGovernance(offBottleneck, MODELLED_BY, 'faster-printing');

  // 5. Live and evaluated from the demo's event log (the receipt phase of permit applications).
  const evaluatedInput = checked({
    title: 'Sorting incoming permit applications',
    problem:
      'Officers read every new application to decide whether stop advice is needed, and applications wait days for it.',
    chainId: planning.id,
    stageId: 'validation',
    competency: 'natural-language-processing',
    ambition: 'pilot',
    affects: ['staff'],
    data: noData,
    typologyCells: [2],
    technologyCost: 18_000,
    investments: [
      {
        kind: 'process-redesign',
        description: 'Release checked applications every day instead of in weekly batches',
        cost: 4_000,
        owner: 'Permits team leader',
      },
    ],
    waysOfWorking: ways(
      'Officers review the tool’s suggestion instead of reading each application from scratch.',
      'Two sessions for the permits team.',
      'The permits team wrote the list of cases the tool must always pass to a person.',
    ),
    supplier: { arrangement: 'in-house', suppliers: '', lockIn: noLockIn },
    authorisingNarrative: 'Faster permits for local businesses.',
    decisionsAboutPeople: false,
    automatedDecisions: false,
  });
  const evaluated = await store.create(evaluatedInput, 'seeded');
  await approve(evaluated);
  await store.setStatus(evaluated, 'in-delivery');
  await store.setStatus(evaluated, 'live', { liveFrom: DEMO_GO_LIVE });
  const data = await scope.logs.data(logId);
  if (!data) throw new Error('demo event log missing');
  const fromLog = evaluateFromLog(decodeEventLog(data), {
    goLive: DEMO_GO_LIVE,
    activity: DEMO_TARGET_ACTIVITY,
  });
  const none = { before: null, after: null };
  const evaluation = buildEvaluation(
    {
      initiativeId: evaluated,
      evaluatedOn: '2012-01-31',
      budgetary: {
        inputUnit: 'staff hour',
        costPerUnitOfInput: { before: 31, after: 31 },
        spendPerYear: none,
      },
      operational: {
        outputsPerStaffHour: none,
        costPerOutput: none,
        leadTimeDays: none,
        throughputPerWeek: none,
      },
      effectiveness: {
        outcomeName: 'applications accepted without rework',
        outcomesPerOutput: none,
      },
      bottleneck: { before: DEMO_TARGET_ACTIVITY, after: DEMO_TARGET_ACTIVITY },
      determinants:
        'Releasing applications every day mattered more than the tool: the wait before stop advice was work parked in batches, not a shortage of officers.',
      unintendedConsequences:
        'Officers passed more borderline cases to the senior officer in the first month.',
      staffPerspectives:
        'The permits team trusted the suggestions once they could see why each was made.',
      outcome: 'partly',
    },
    fromLog,
  );
  const evaluationId = await store.addEvaluation(evaluated, logId, evaluation);
  await store.setStatus(evaluated, 'evaluated');
  const storedEvaluated = await store.get(evaluated);
  if (!storedEvaluated) throw new Error('demo initiative missing');
  const drafted = lessonFromEvaluation(storedEvaluated.initiative, evaluation);
  const lesson: Lesson = {
    ...drafted,
    whatWeWouldDoDifferently:
      'Change how work is released before buying a tool, and measure the trend before go-live so the change is not credited to the tool.',
  };
  await store.createLesson(lessonIndex(lesson), { ...lesson, evaluationId });

  // 6. Stopped, with its lesson kept (section 3.1: lessons from failure too).
  const stopped = await store.create(
    checked({
      title: 'Chatbot for council tax questions',
      problem: 'The contact centre answers the same council tax questions many times a day.',
      chainId: null,
      stageId: null,
      competency: 'chatbots',
      ambition: 'pilot',
      affects: ['public'],
      data: {
        personal: true,
        specialCategory: false,
        criminalOffence: false,
        description: 'Residents’ account numbers.',
      },
      typologyCells: [1],
      technologyCost: 25_000,
      investments: [],
      waysOfWorking: ways('', '', ''),
      supplier: {
        arrangement: 'single-end-to-end',
        suppliers: 'ChatCo',
        lockIn: { ...noLockIn, exitPlan: false },
      },
      authorisingNarrative: 'Better service for residents.',
      decisionsAboutPeople: false,
      automatedDecisions: false,
    }),
    'seeded',
  );
  await store.setStatus(stopped, 'stopped', {
    stoppedReason:
      'Residents’ questions needed their own account details, which the chatbot could not see; most chats ended with a phone call.',
  });
  const stoppedInitiative: Initiative | undefined = (await store.get(stopped))?.initiative;
  const stoppedLesson: Lesson = {
    title: 'A chatbot cannot answer questions about an account it cannot see',
    initiativeId: stopped,
    initiativeTitle: stoppedInitiative?.title ?? 'Chatbot for council tax questions',
    competency: 'chatbots',
    capabilityIds: ['organisational-learning', 'developing-new-ways-of-working'],
    ambition: 'pilot',
    outcome: 'stopped',
    whatHappened:
      'Most council tax questions were about the resident’s own account. The chatbot could only give general answers, so most chats ended in a phone call and the contact centre’s workload did not fall.',
    whatWeLearned:
      'Read a sample of real contacts before choosing a competency: the bottleneck was access to account data, not answering questions.',
    whatWeWouldDoDifferently:
      'Test the chatbot on a week of real questions before buying, and involve contact centre staff from the start.',
    evidence: ['About seven in ten chats were handed over to a phone call.'],
    tags: ['chatbot', 'contact-centre', 'council-tax'],
  };
  await store.createLesson(lessonIndex(stoppedLesson), { ...stoppedLesson, evaluationId: null });

  return { ready, conditions, notReady, offBottleneck, evaluated, stopped };
}
