// The sector exchange (paper sections 4.1, 4.3, 4.6 and 4.7): members publish to the sector what
// others can reuse. Case studies in one reporting template (section 4.7: best practice spreads when
// it is codified in a standard form; results across the three measures of the delivery chain,
// Figure 1: budgetary efficiency, operational efficiency and effectiveness); reusable components
// and standards that members say they use (4.7); problem statements other members join, so that
// demand is pooled for joint research or procurement (4.3: "aggregating and co-ordinating demand");
// secondment and skills offers (4.6, the flow of human capital); and lessons from near misses
// (4.4: near misses are "free lessons"). Each kind has a fixed template, so items compare.
import { z } from 'zod';

export const EXCHANGE_KINDS = ['case_study', 'component', 'problem', 'skills', 'lesson'] as const;
export type ExchangeKind = (typeof EXCHANGE_KINDS)[number];

export const isExchangeKind = (value: unknown): value is ExchangeKind =>
  typeof value === 'string' && (EXCHANGE_KINDS as readonly string[]).includes(value);

export interface TemplateField {
  readonly name: string;
  readonly label: string;
  readonly hint: string;
  /** A choice from a list instead of text. */
  readonly options?: readonly { readonly value: string; readonly text: string }[];
  readonly max: number;
}

export interface ExchangeKindWords {
  readonly label: string;
  readonly plural: string;
  readonly description: string;
  /** What members do to show they take part: use a component, join a problem statement. */
  readonly join?: { readonly action: string; readonly undo: string; readonly counted: string };
  readonly fields: readonly TemplateField[];
}

const LONG = 4000;

export const EXCHANGE_TEMPLATES: Readonly<Record<ExchangeKind, ExchangeKindWords>> = {
  case_study: {
    label: 'Case study',
    plural: 'Case studies',
    description: 'What one member tried, in the standard reporting template, with its results.',
    fields: [
      {
        name: 'problem',
        label: 'Problem and bottleneck',
        hint: 'The service, the delivery chain and the stage that held it back.',
        max: LONG,
      },
      {
        name: 'tried',
        label: 'What was tried',
        hint: 'The AI system or change in ways of working, and how it was introduced.',
        max: LONG,
      },
      {
        name: 'budgetary',
        label: 'Results: budgetary efficiency',
        hint: 'How well inputs are bought: the price of staff hours, equipment or services. Say "not measured" if so.',
        max: LONG,
      },
      {
        name: 'operational',
        label: 'Results: operational efficiency',
        hint: 'How inputs became outputs: cost per output, lead time, outputs per staff hour.',
        max: LONG,
      },
      {
        name: 'effectiveness',
        label: 'Results: effectiveness',
        hint: 'How outputs achieved outcomes for the public.',
        max: LONG,
      },
      {
        name: 'advice',
        label: 'What others should know',
        hint: 'What determined success or failure, and what you would do differently.',
        max: LONG,
      },
    ],
  },
  component: {
    label: 'Reusable component or standard',
    plural: 'Components and standards',
    description:
      'A model card, a contract clause, a data specification: something others can reuse.',
    join: { action: 'We use this', undo: 'We no longer use this', counted: 'used by' },
    fields: [
      {
        name: 'componentType',
        label: 'Kind of component',
        hint: '',
        options: [
          { value: 'model-card', text: 'Model card' },
          { value: 'contract-clause', text: 'Contract clause' },
          { value: 'data-specification', text: 'Data specification' },
          { value: 'other-standard', text: 'Another standard or template' },
        ],
        max: 40,
      },
      {
        name: 'description',
        label: 'What it is for',
        hint: 'The problem it solves and where it has been used.',
        max: LONG,
      },
      {
        name: 'content',
        label: 'The component',
        hint: 'The text of the clause or specification, or where to find it.',
        max: LONG,
      },
    ],
  },
  problem: {
    label: 'Problem statement',
    plural: 'Problem statements',
    description:
      'A problem other members share, so demand is pooled for joint research or procurement.',
    join: { action: 'Join this problem', undo: 'Leave this problem', counted: 'joined by' },
    fields: [
      {
        name: 'pooling',
        label: 'What pooled demand is for',
        hint: '',
        options: [
          { value: 'joint-research', text: 'Joint research' },
          { value: 'joint-procurement', text: 'Joint procurement' },
          { value: 'either', text: 'Research or procurement, to be decided' },
        ],
        max: 40,
      },
      {
        name: 'statement',
        label: 'The problem',
        hint: 'The service, the bottleneck and who it affects, in words another member would recognise.',
        max: LONG,
      },
      {
        name: 'need',
        label: 'What a solution must do',
        hint: 'The capability you would procure or the question research should answer.',
        max: LONG,
      },
    ],
  },
  skills: {
    label: 'Secondment or skills offer',
    plural: 'Secondments and skills',
    description: 'People or expertise a member can lend to others in the sector.',
    fields: [
      {
        name: 'offerType',
        label: 'Kind of offer',
        hint: '',
        options: [
          { value: 'secondment', text: 'Secondment' },
          { value: 'skills', text: 'Skills or advice' },
        ],
        max: 40,
      },
      {
        name: 'offer',
        label: 'What is offered',
        hint: 'The skills, the role and what the person would work on.',
        max: LONG,
      },
      {
        name: 'availability',
        label: 'When and how much',
        hint: 'For example “two days a week from March for six months”.',
        max: 500,
      },
    ],
  },
  lesson: {
    label: 'Lesson',
    plural: 'Lessons',
    description: 'What a member learned from a failure or near miss, shared with the sector.',
    fields: [
      { name: 'whatHappened', label: 'What happened', hint: '', max: LONG },
      { name: 'whatWeLearned', label: 'What we learned', hint: '', max: LONG },
      {
        name: 'whatWeWouldDoDifferently',
        label: 'What we would do differently',
        hint: '',
        max: LONG,
      },
    ],
  },
};

export interface ExchangeDraft {
  readonly kind: ExchangeKind;
  readonly title: string;
  /** A capability of the framework the item bears on, or null. */
  readonly capabilityId: string | null;
  readonly body: Readonly<Record<string, string>>;
}

/** The schema of one kind's form; capability ids are checked against the framework's. */
export function exchangeSchemaFor(kind: ExchangeKind, capabilityIds: readonly string[]) {
  const fields: Record<string, z.ZodType<string>> = {};
  for (const f of EXCHANGE_TEMPLATES[kind].fields) {
    fields[f.name] = f.options
      ? z.enum(f.options.map((o) => o.value) as [string, ...string[]], {
          error: `Choose the ${f.label.toLowerCase()}`,
        })
      : z
          .string({ error: `Enter ${f.label.toLowerCase()}` })
          .trim()
          .min(1, `Enter ${f.label.toLowerCase()}`)
          .max(f.max, `${f.label} must be ${f.max.toLocaleString('en-GB')} characters or fewer`);
  }
  return z
    .object({
      title: z
        .string({ error: 'Enter a title' })
        .trim()
        .min(1, 'Enter a title')
        .max(200, 'The title must be 200 characters or fewer'),
      capabilityId: z
        .string()
        .trim()
        .default('')
        .refine(
          (id) => id === '' || capabilityIds.includes(id),
          'Choose a capability from the list',
        ),
      ...fields,
    })
    .transform((v): ExchangeDraft => ({
      kind,
      title: v.title,
      capabilityId: v.capabilityId === '' ? null : v.capabilityId,
      body: Object.fromEntries(
        EXCHANGE_TEMPLATES[kind].fields.map((f) => [
          f.name,
          String((v as Record<string, unknown>)[f.name] ?? ''),
        ]),
      ),
    }));
}

/** A stored field's value in words (an option's text, else the text itself). */
export function fieldWords(kind: ExchangeKind, name: string, value: string): string {
  const field = EXCHANGE_TEMPLATES[kind].fields.find((f) => f.name === name);
  return field?.options?.find((o) => o.value === value)?.text ?? value;
}

/**
 * What the full-text index holds for an item: its title, kind, capability and every field in words,
 * a true minus sign as "-" and thousands separators dropped (so "1136" finds "£1,136").
 */
export function exchangeSearchText(draft: ExchangeDraft, capabilityName: string | null): string {
  const t = EXCHANGE_TEMPLATES[draft.kind];
  return [
    draft.title,
    t.label,
    capabilityName ?? '',
    ...t.fields.map((f) => fieldWords(draft.kind, f.name, draft.body[f.name] ?? '')),
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
