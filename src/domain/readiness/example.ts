// The example assessment behind examples/initiatives/assessment-results.json: a fictional council's
// organisation-level round with fifteen respondents in four groups, exported by the product's own
// `roundReport`, so the file the command line is tried on is exactly what the product writes. The
// answers are chosen to look like a real round: leaders rate higher than the frontline (a perception
// gap on Managing Risk), some say "don't know" about suppliers, and the lead agreed Planning &
// Prioritisation one level above the median on documented evidence.
import { roundReport } from '../assessment/exports.ts';
import type { RoundReport } from '../assessment/exports.ts';
import type { AgreedLevel } from '../assessment/moderation.ts';
import { summariseRound } from '../assessment/results.ts';
import type { Answer, Confidence, Group, Level } from '../assessment/types.ts';
import { defaultFramework } from '../framework/index.ts';

const GROUPS: readonly (Group & { readonly size: number; readonly confidence: Confidence })[] = [
  { id: 'leadership', name: 'Leadership team', size: 3, confidence: 'high' },
  { id: 'managers', name: 'Service managers', size: 4, confidence: 'medium' },
  { id: 'frontline', name: 'Frontline staff', size: 5, confidence: 'medium' },
  { id: 'digital', name: 'Digital and data', size: 3, confidence: 'high' },
];

interface CapabilityAnswers {
  /** One level per respondent, in group order (leadership, managers, frontline, digital); null = don't know. */
  readonly levels: readonly (Level | null)[];
  /** How many respondents tick each indicator: the first that many who gave a level. */
  readonly ticks: Readonly<Record<string, number>>;
  /** Evidence written by a respondent, by their position in the list. */
  readonly evidence: Readonly<Record<number, string>>;
}

const ANSWERS: Readonly<Record<string, CapabilityAnswers>> = {
  'organisational-learning': {
    levels: [2, 3, 3, 3, 3, 4, 3, 4, 3, 4, 3, 3, 3, 2, 3],
    ticks: {
      'organisational-learning.3.1': 9,
      'organisational-learning.3.2': 7,
      'organisational-learning.3.3': 6,
      'organisational-learning.2.1': 4,
      'organisational-learning.2.4': 3,
    },
    evidence: {
      0: 'Post-project reviews are required for anything over £250k; the last two were written up.',
      7: 'Lessons from the housing repairs project were never shared with our team.',
      13: 'We keep review actions in a spreadsheet, but nobody owns it.',
    },
  },
  'planning-and-prioritisation': {
    levels: [2, 2, 3, 3, 3, 2, 3, 3, 4, 3, null, 3, 3, 3, 2],
    ticks: {
      'planning-and-prioritisation.3.1': 8,
      'planning-and-prioritisation.3.3': 7,
      'planning-and-prioritisation.2.1': 6,
      'planning-and-prioritisation.2.2': 5,
    },
    evidence: {
      0: 'The portfolio board has prioritised projects on strategic fit and return since April.',
      1: 'Business cases now have to say which bottleneck they relieve.',
      8: 'Data quality work keeps slipping behind this year’s deliverables.',
    },
  },
  'developing-new-ways-of-working': {
    levels: [2, 3, 2, 3, 3, 3, 4, 4, 4, 3, 3, 4, 3, 3, 3],
    ticks: {
      'developing-new-ways-of-working.3.1': 10,
      'developing-new-ways-of-working.3.2': 8,
      'developing-new-ways-of-working.4.1': 4,
      'developing-new-ways-of-working.2.3': 3,
    },
    evidence: {
      6: 'Training on the new case system came three weeks after go-live.',
      11: 'Our roles did not change when the scheduling tool arrived, so we work around it.',
    },
  },
  'managing-risk': {
    levels: [2, 2, 3, 3, 3, 3, 2, 4, 4, 3, 4, 3, 3, 3, 4],
    ticks: {
      'managing-risk.3.1': 11,
      'managing-risk.3.2': 8,
      'managing-risk.2.1': 9,
      'managing-risk.3.4': 6,
      'managing-risk.4.4': 4,
    },
    evidence: {
      0: 'We adopted a corporate risk management framework with named risk owners last year.',
      7: 'People do not raise problems early in case they get the blame.',
      10: 'Risk registers are filled in at the start and then forgotten.',
    },
  },
  'managing-supplier-relations': {
    levels: [3, 3, 3, 3, 4, 3, 3, null, null, 4, null, 3, 3, 4, 3],
    ticks: {
      'managing-supplier-relations.3.1': 8,
      'managing-supplier-relations.3.2': 7,
      'managing-supplier-relations.3.4': 6,
      'managing-supplier-relations.2.5': 2,
    },
    evidence: {
      2: 'We can talk technically with suppliers but rarely challenge what they recommend.',
      13: 'Most of our systems come from one supplier because integration is hard.',
    },
  },
};

const AGREED: readonly AgreedLevel[] = [
  {
    capabilityId: 'planning-and-prioritisation',
    agreedLevel: 2,
    evidenceStrength: 'documented',
    rationale:
      'Portfolio board terms of reference and six months of minutes show projects prioritised on strategic fit and return, and business cases naming the bottleneck they address.',
  },
];

const ROUND = {
  id: 'round-2026-spring',
  title: 'Northshire Council capability self-assessment, spring 2026',
  scope: 'organisation',
  status: 'closed',
  opensOn: '2026-03-02',
  closesOn: '2026-03-27',
  respondents: 15,
  snapshotVersion: 1,
  snapshotCreatedAt: '2026-03-30T10:15:00.000Z',
} as const;

function answers(): Answer[] {
  const respondents = GROUPS.flatMap((group) =>
    Array.from({ length: group.size }, () => group),
  ).map((group, index) => ({
    responseId: `response-${String(index + 1).padStart(2, '0')}`,
    group,
  }));
  return Object.entries(ANSWERS).flatMap(([capabilityId, spec]) => {
    if (spec.levels.length !== respondents.length) {
      throw new RangeError(`${capabilityId}: one level per respondent expected`);
    }
    let ratedSoFar = 0;
    return respondents.map(({ responseId, group }, index): Answer => {
      const level = spec.levels[index] ?? null;
      const position = level === null ? Infinity : ratedSoFar++;
      return {
        responseId,
        groupId: group.id,
        capabilityId,
        level,
        indicatorsSeen: Object.entries(spec.ticks)
          .filter(([, count]) => position < count)
          .map(([id]) => id),
        evidence: spec.evidence[index] ?? '',
        confidence: level === null ? null : group.confidence,
      };
    });
  });
}

/** The example round's results export, as the product writes it. */
export function exampleAssessmentResults(): RoundReport {
  const summary = summariseRound(defaultFramework, 'organisation', answers(), GROUPS);
  return roundReport(defaultFramework, summary, {
    round: ROUND,
    agreed: AGREED,
    targets: { 'managing-risk': 2 },
  });
}
