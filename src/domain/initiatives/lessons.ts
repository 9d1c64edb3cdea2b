// The lesson template: how an evaluated initiative becomes a lesson that others can find. Section
// 3.1 ends the learning cycle with knowledge codification — insights kept in a shared digital
// repository — and Table 1 (Organisational Learning) separates level 4, where lessons are informal,
// verbal and lost when people leave, from level 2, where findings sit in a central repository.
// Every lesson has the same parts, `lessonFromEvaluation` drafts one with the evaluation's figures
// quoted in its text (so a search for "lead time" or "30%" finds it), `lessonSchemaFor` checks one
// as a user typed it, and `lessonSearchText` is what a full-text index should hold.
import { z } from 'zod';
import type { Ambition, CompetencyId, Initiative } from './types.ts';
import { AMBITIONS } from './types.ts';
import { EVALUATION_OUTCOMES, OUTCOME_WORDS, figureSentence } from './evaluation.ts';
import type { Evaluation, EvaluationOutcome } from './evaluation.ts';

/** One lesson, in the standard template. */
export interface Lesson {
  readonly title: string;
  /** The initiative it comes from, when it is registered here. */
  readonly initiativeId: string | null;
  readonly initiativeTitle: string;
  readonly competency: CompetencyId;
  /** Capability ids of the framework (e.g. "organisational-learning") the lesson bears on. */
  readonly capabilityIds: readonly string[];
  readonly ambition: Ambition;
  readonly outcome: EvaluationOutcome;
  readonly whatHappened: string;
  /** What determined success or failure (section 3.1's second question). */
  readonly whatWeLearned: string;
  readonly whatWeWouldDoDifferently: string;
  /** Figures and findings from the evaluation, one per line. */
  readonly evidence: readonly string[];
  /** Lower-case words joined by hyphens, for browsing. */
  readonly tags: readonly string[];
}

/** The six competencies of section 2.1 in words. */
export const COMPETENCY_WORDS: Readonly<Record<CompetencyId, string>> = {
  'computer-vision': 'computer vision',
  'natural-language-processing': 'natural language processing',
  'speech-analytics': 'speech analytics',
  'predictive-analytics': 'predictive analytics',
  chatbots: 'chatbots',
  'large-language-models': 'large language models',
};
const COMPETENCIES = Object.keys(COMPETENCY_WORDS) as CompetencyId[];

const AMBITION_WORDS: Readonly<Record<Ambition, string>> = {
  pilot: 'an off-the-shelf tool or low-risk pilot',
  bespoke: 'a bespoke or high-stakes system',
  'system-wide': 'a system-wide change',
};

/** Answers to "unintended consequences" that mean there were none. */
const NONE = /^(none|none found|none known|none seen|no|nil|n\/a|not applicable)\.?$/i;

/**
 * Drafts a lesson from an initiative and its evaluation. The capabilities it bears on follow from
 * what the evaluation recorded (see README, "Lessons"); "what we would do differently" is left
 * empty for the team, because no figure can say it, and the schema requires it before saving.
 */
export function lessonFromEvaluation(initiative: Initiative, evaluation: Evaluation): Lesson {
  const input = evaluation.input;
  if (input.initiativeId !== initiative.id) {
    throw new Error(
      `the evaluation is of initiative "${input.initiativeId}", not "${initiative.id}" (${initiative.title})`,
    );
  }
  const consequences = input.unintendedConsequences.trim();
  const hadConsequences = consequences !== '' && !NONE.test(consequences);

  const capabilityIds = ['organisational-learning'];
  if (initiative.stageId !== null || evaluation.constraint.before !== null) {
    capabilityIds.push('planning-and-prioritisation');
  }
  if (initiative.waysOfWorking.rolesThatChange.trim() !== '') {
    capabilityIds.push('developing-new-ways-of-working');
  }
  if (hadConsequences || input.outcome === 'failed' || input.outcome === 'stopped') {
    capabilityIds.push('managing-risk');
  }
  if (initiative.supplier.arrangement !== 'in-house') {
    capabilityIds.push('managing-supplier-relations');
  }

  const live =
    initiative.liveFrom === null ? '' : ` It went live on ${longDate(initiative.liveFrom)}.`;
  const whatHappened = [
    `${initiative.title} used ${COMPETENCY_WORDS[initiative.competency]}, as ${AMBITION_WORDS[initiative.ambition]}, for this problem: ${initiative.problem.trim()}${live}`,
    ...evaluation.summary,
  ].join('\n\n');
  const whatWeLearned = [
    input.determinants.trim(),
    `Unintended consequences: ${consequences === '' ? 'none recorded' : consequences}`,
    `Frontline staff: ${input.staffPerspectives.trim()}`,
  ].join('\n\n');

  const evidence = [
    ...evaluation.figures.flatMap((f) => {
      const sentence = figureSentence(f);
      return sentence === null ? [] : [sentence];
    }),
    ...(evaluation.moneySavedPerYear === null
      ? []
      : evaluation.summary.filter((s) => s.startsWith('Money saved') || s.startsWith('No money'))),
    evaluation.constraint.statement,
  ];
  const log = evaluation.fromLog;
  if (log !== null) {
    for (const c of [log.changes.waitMedian, log.changes.waitShare]) {
      if (c !== null) evidence.push(`${c.sentence.replace(/\.$/, '')} (from the event log).`);
    }
    evidence.push(...log.confidence.statements);
  }

  const tags = new Set<string>([
    initiative.competency,
    initiative.ambition,
    `outcome-${input.outcome}`,
    ...initiative.typologyCells.map((c) => `typology-cell-${c}`),
  ]);
  if (evaluation.constraint.moved !== null) {
    tags.add(evaluation.constraint.moved ? 'bottleneck-moved' : 'bottleneck-not-moved');
  }
  for (const [family, verdict] of Object.entries(evaluation.measures)) {
    if (verdict === 'better' || verdict === 'worse' || verdict === 'mixed') {
      tags.add(`${family === 'effectiveness' ? family : `${family}-efficiency`}-${verdict}`);
    }
  }
  if (hadConsequences) tags.add('unintended-consequences');

  return {
    title: `${initiative.title}: ${OUTCOME_WORDS[input.outcome]}`,
    initiativeId: initiative.id,
    initiativeTitle: initiative.title,
    competency: initiative.competency,
    capabilityIds,
    ambition: initiative.ambition,
    outcome: input.outcome,
    whatHappened,
    whatWeLearned,
    whatWeWouldDoDifferently: '',
    evidence,
    tags: [...tags],
  };
}

/**
 * The text a full-text index should hold for a lesson: every field in words, codes turned into
 * words ("natural-language-processing" → "natural language processing"), a true minus sign as
 * "-" and thousands separators dropped, so a search for "-30%" or "1136" finds "−30%" and
 * "£1,136.00".
 */
export function lessonSearchText(lesson: Lesson): string {
  const words = (slug: string): string => slug.replace(/-/g, ' ');
  return [
    lesson.title,
    lesson.initiativeTitle,
    COMPETENCY_WORDS[lesson.competency],
    ...lesson.capabilityIds.map(words),
    lesson.ambition,
    AMBITION_WORDS[lesson.ambition],
    OUTCOME_WORDS[lesson.outcome],
    lesson.whatHappened,
    lesson.whatWeLearned,
    lesson.whatWeWouldDoDifferently,
    ...lesson.evidence,
    ...lesson.tags.map(words),
  ]
    .map((part) =>
      part
        .replace(/\u2212/g, '-')
        .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((part) => part !== '')
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// What users type

export const MAX_TITLE = 200;
export const MAX_LESSON_TEXT = 5000;
export const MAX_EVIDENCE_ITEMS = 30;
export const MAX_EVIDENCE_LENGTH = 500;
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 40;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A list typed as one text (one item a line, or separated by `separator`) or sent as a list. */
function list(separator: RegExp) {
  return (raw: unknown): unknown => {
    if (raw === undefined || raw === null) return [];
    const items = typeof raw === 'string' ? raw.split(separator) : raw;
    if (!Array.isArray(items)) return raw;
    return items.map((x) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== '');
  };
}

function text(what: string, empty: string, max: number) {
  return z
    .string({ error: empty })
    .trim()
    .min(1, { error: empty })
    .max(max, { error: `${what} must be ${max.toLocaleString('en-GB')} characters or fewer` });
}

/**
 * The schema for a lesson as typed. Given the framework's capability ids, it also refuses ids the
 * framework does not have (a body may load its own variant, so the list is not fixed here).
 */
export function lessonSchemaFor(capabilityIds: readonly string[] | null = null) {
  const known = capabilityIds === null ? null : new Set(capabilityIds);
  return z.object({
    title: text('The title', 'Enter a title for the lesson', MAX_TITLE),
    initiativeId: z
      .string({ error: 'The initiative id must be text' })
      .trim()
      .max(100, { error: 'The initiative id must be 100 characters or fewer' })
      .nullable()
      .default(null)
      .transform((s) => (s === '' ? null : s)),
    initiativeTitle: text(
      'The initiative',
      'Enter the initiative the lesson comes from',
      MAX_TITLE,
    ),
    competency: z.enum(COMPETENCIES as [CompetencyId, ...CompetencyId[]], {
      error: `Select the AI competency: ${COMPETENCIES.map((c) => COMPETENCY_WORDS[c]).join(', ')}`,
    }),
    capabilityIds: z.preprocess(
      list(/,/),
      z
        .array(
          z.string().regex(SLUG, {
            error: (issue) => `"${String(issue.input)}" is not a capability id`,
          }),
          { error: 'Select at least one capability the lesson bears on' },
        )
        .min(1, { error: 'Select at least one capability the lesson bears on' })
        .max(12, { error: 'Select at most 12 capabilities' })
        .transform((ids) => [...new Set(ids)])
        .superRefine((ids, ctx) => {
          if (known === null) return;
          for (const id of ids) {
            if (!known.has(id)) {
              ctx.addIssue({
                code: 'custom',
                message: `"${id}" is not a capability in the framework`,
              });
            }
          }
        }),
    ),
    ambition: z.enum(AMBITIONS as [Ambition, ...Ambition[]], {
      error: 'Select the ambition: pilot, bespoke or system-wide',
    }),
    outcome: z.enum(EVALUATION_OUTCOMES as [EvaluationOutcome, ...EvaluationOutcome[]], {
      error: 'Select the outcome: succeeded, partly succeeded, failed or stopped',
    }),
    whatHappened: text('What happened', 'Enter what happened', MAX_LESSON_TEXT),
    whatWeLearned: text(
      'What you learned',
      'Enter what you learned: what decided the result',
      MAX_LESSON_TEXT,
    ),
    whatWeWouldDoDifferently: text(
      'What you would do differently',
      'Enter what you would do differently',
      MAX_LESSON_TEXT,
    ),
    evidence: z.preprocess(
      list(/\r?\n/),
      z
        .array(
          z.string().max(MAX_EVIDENCE_LENGTH, {
            error: `Each piece of evidence must be ${MAX_EVIDENCE_LENGTH} characters or fewer`,
          }),
          { error: 'Enter the evidence, one figure or finding a line' },
        )
        .min(1, {
          error: 'Add at least one piece of evidence, such as a figure from the evaluation',
        })
        .max(MAX_EVIDENCE_ITEMS, {
          error: `Add at most ${MAX_EVIDENCE_ITEMS} pieces of evidence`,
        }),
    ),
    tags: z.preprocess(
      (raw) => {
        const items = list(/,/)(raw);
        return Array.isArray(items)
          ? items.map((t) => (typeof t === 'string' ? t.toLowerCase().replace(/\s+/g, '-') : t))
          : items;
      },
      z
        .array(
          z
            .string()
            .max(MAX_TAG_LENGTH, {
              error: `Each tag must be ${MAX_TAG_LENGTH} characters or fewer`,
            })
            .regex(SLUG, {
              error: (issue) =>
                `Tags may use letters, numbers and hyphens only: "${String(issue.input)}"`,
            }),
          { error: 'Enter the tags separated by commas' },
        )
        .max(MAX_TAGS, { error: `Add at most ${MAX_TAGS} tags` })
        .transform((tags) => [...new Set(tags)]),
    ),
  });
}

/** The lesson schema without a framework at hand: capability ids are checked for form only. */
export const lessonSchema = lessonSchemaFor();

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

function longDate(isoDate: string): string {
  const t = Date.parse(isoDate);
  return Number.isNaN(t) ? isoDate : dateFormat.format(t);
}

/** The columns a lessons repository filters and searches a lesson by (section 3.1). */
export function lessonIndex(lesson: Lesson): {
  readonly title: string;
  readonly initiativeId: string | null;
  readonly competency: string;
  readonly ambition: string;
  readonly outcome: string;
  readonly capabilities: readonly string[];
  readonly searchText: string;
} {
  return {
    title: lesson.title,
    initiativeId: lesson.initiativeId,
    competency: lesson.competency,
    ambition: lesson.ambition,
    outcome: lesson.outcome,
    capabilities: lesson.capabilityIds,
    searchText: lessonSearchText(lesson),
  };
}
