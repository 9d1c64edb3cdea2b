// The initiative as a user or an API client sends it (issue 11): a zod 4 schema with messages a
// public servant can act on ("Enter a title", "Investment 2: Cost must be a whole number of pounds
// …"), limits that keep a record readable, and defaults for the parts that are often not known at
// the idea stage. `parseInitiativeInput` follows the chain model's `parseChain`: it never throws on
// bad input and returns every issue with its path. The lifecycle fields (status, the reason it was
// stopped, go-live date) are not part of what is sent: they change through their own actions.
//
// The answers the readiness rules read – who it affects, the kinds of data, decisions about people,
// automated decisions, the supplier arrangement – have no default, so a missing answer can never
// quietly lower the bar (readiness README). The lock-in checklist defaults to "no", the cautious
// answer (section 3.5).
import { z } from 'zod';
import { COMPETENCY_IDS } from './competencies.ts';
import {
  AFFECTED_GROUPS,
  AMBITIONS,
  INITIATIVE_STATUSES,
  INVESTMENT_KINDS,
  SUPPLIER_ARRANGEMENTS,
} from './types.ts';
import type { Initiative, InitiativeStatus } from './types.ts';

export const MAX_TITLE_LENGTH = 200;
/** Problem statements, descriptions and narratives: about a page and a half. */
export const MAX_TEXT_LENGTH = 5_000;
/** Names of owners and ids of chains and stages. */
export const MAX_NAME_LENGTH = 200;
/** £10 billion: above any single public-sector AI budget, below where whole pounds lose precision. */
export const MAX_POUNDS = 10_000_000_000;
export const MAX_INVESTMENTS = 20;

/** What `parseInitiativeInput` returns: every field of `Initiative` except its id and lifecycle. */
export type InitiativeInput = Omit<Initiative, 'id' | 'status' | 'stoppedReason' | 'liveFrom'>;

/** An initiative file for the command line: the same fields, plus an optional id and status. */
export type InitiativeFile = InitiativeInput & {
  readonly id?: string;
  readonly status?: InitiativeStatus;
};

export interface InitiativeIssue {
  /** Dotted path to the field, e.g. "investments.1.cost"; empty for the whole initiative. */
  readonly path: string;
  /** A sentence that stands on its own, naming the item when the field is in a list. */
  readonly message: string;
}

export type InitiativeParseResult<T> =
  | { readonly ok: true; readonly initiative: T }
  | { readonly ok: false; readonly issues: readonly InitiativeIssue[] };

const POUNDS = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  maximumFractionDigits: 0,
});

const quoted = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');

/** A required piece of text: "Enter a title", "Title must be 200 characters or fewer". */
function requiredText(name: string, enter: string, max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? enter : `${name} must be text`) })
    .trim()
    .min(1, { error: enter })
    .max(max, { error: `${name} must be ${max.toLocaleString('en-GB')} characters or fewer` });
}

/** Text that may be left out or empty (stored as ""). */
function optionalText(name: string, max = MAX_TEXT_LENGTH) {
  return z
    .string({ error: `${name} must be text` })
    .trim()
    .max(max, { error: `${name} must be ${max.toLocaleString('en-GB')} characters or fewer` })
    .default('');
}

/** An id of something stored elsewhere, or null; an empty string (an unanswered form field) is null. */
function optionalReference(name: string) {
  return z
    .string({ error: `${name} must be text or null` })
    .trim()
    .max(MAX_NAME_LENGTH, { error: `${name} must be ${MAX_NAME_LENGTH} characters or fewer` })
    .nullable()
    .default(null)
    .transform((value) => (value === '' ? null : value));
}

function pounds(name: string) {
  const range = `a whole number of pounds from ${POUNDS.format(0)} to ${POUNDS.format(MAX_POUNDS)}`;
  return z
    .number({ error: `${name} must be a number of pounds, such as 25000` })
    .int({ error: `${name} must be ${range}` })
    .min(0, { error: `${name} must be ${range}` })
    .max(MAX_POUNDS, { error: `${name} must be ${range}` });
}

function yesNo(name: string, question: string) {
  return z.boolean({
    error: (issue) =>
      issue.input === undefined
        ? `Say whether ${question} (true or false)`
        : `${name} must be true or false`,
  });
}

function choice<const T extends readonly string[]>(values: T, select: string, name: string) {
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? `${select} (one of ${quoted(values)})`
        : `${name} must be one of ${quoted(values)}`,
  });
}

const investmentSchema = z.strictObject({
  kind: choice(INVESTMENT_KINDS, 'Select the kind of investment', 'Kind'),
  description: requiredText('Description', 'Describe the investment', MAX_TEXT_LENGTH),
  cost: pounds('Cost'),
  owner: requiredText('Owner', 'Enter who owns the investment', MAX_NAME_LENGTH),
});

const lockInSchema = z
  .strictObject({
    dataPortability: z.boolean({ error: 'Data portability must be true or false' }).default(false),
    openFormats: z.boolean({ error: 'Open formats must be true or false' }).default(false),
    exitPlan: z.boolean({ error: 'Exit plan must be true or false' }).default(false),
    modelOwner: choice(
      ['organisation', 'supplier', 'shared', 'unknown'],
      'Select who owns the model',
      'Model owner',
    ).default('unknown'),
  })
  .default({ dataPortability: false, openFormats: false, exitPlan: false, modelOwner: 'unknown' });

// The shape shared by the input and the file; checks that relate fields are added to each below.
const initiativeShape = {
  title: requiredText('Title', 'Enter a title', MAX_TITLE_LENGTH),
  problem: requiredText(
    'Problem',
    'Describe the problem the initiative addresses',
    MAX_TEXT_LENGTH,
  ),
  chainId: optionalReference('Delivery chain'),
  stageId: optionalReference('Stage'),
  competency: choice(COMPETENCY_IDS, 'Select the AI competency', 'Competency'),
  ambition: choice(
    AMBITIONS,
    'Select the ambition: a pilot, a bespoke system or a system-wide change',
    'Ambition',
  ),
  affects: z
    .array(choice(AFFECTED_GROUPS, 'Select a group', 'Group'), {
      error: (issue) =>
        issue.input === undefined
          ? `Select who the initiative affects (any of ${quoted(AFFECTED_GROUPS)})`
          : `Who it affects must be a list, such as ["staff", "public"]`,
    })
    .min(1, { error: `Select who the initiative affects (any of ${quoted(AFFECTED_GROUPS)})` })
    .refine((groups) => new Set(groups).size === groups.length, {
      error: 'List each affected group once',
    }),
  data: z.strictObject(
    {
      personal: yesNo('Personal data', 'it uses personal data'),
      specialCategory: yesNo(
        'Special-category data',
        'it uses special-category data (health, ethnicity, religion, biometrics …)',
      ),
      criminalOffence: yesNo('Criminal-offence data', 'it uses criminal-offence data'),
      description: optionalText('Data description'),
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? 'Say which data the initiative uses'
          : 'Data must be an object with personal, specialCategory and criminalOffence',
    },
  ),
  typologyCells: z
    .array(z.literal([1, 2, 3, 4, 5, 6], { error: 'Must be a number from 1 to 6 (Figure 2)' }), {
      error: 'Typology cells must be a list of numbers from 1 to 6',
    })
    .max(6, { error: 'There are only six typology cells' })
    .refine((cells) => new Set(cells).size === cells.length, {
      error: 'List each typology cell once',
    })
    .default([]),
  technologyCost: pounds('Technology cost').default(0),
  investments: z
    .array(investmentSchema, { error: 'Investments must be a list' })
    .max(MAX_INVESTMENTS, {
      error: `List at most ${MAX_INVESTMENTS} complementary investments; group small ones together`,
    })
    .default([]),
  waysOfWorking: z
    .strictObject({
      rolesThatChange: optionalText('Roles that change'),
      training: optionalText('Training'),
      frontlineInvolvement: optionalText('Frontline involvement'),
    })
    .default({ rolesThatChange: '', training: '', frontlineInvolvement: '' }),
  supplier: z.strictObject(
    {
      arrangement: choice(
        SUPPLIER_ARRANGEMENTS,
        'Select the supplier arrangement',
        'Supplier arrangement',
      ),
      suppliers: optionalText('Supplier names'),
      lockIn: lockInSchema,
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? `Say how the initiative is supplied (arrangement: one of ${quoted(SUPPLIER_ARRANGEMENTS)})`
          : 'Supplier must be an object with an arrangement',
    },
  ),
  authorisingNarrative: optionalText('Authorising narrative'),
  decisionsAboutPeople: yesNo(
    'Decisions about people',
    'it makes or informs decisions about individual people',
  ),
  automatedDecisions: yesNo(
    'Automated decisions',
    'decisions are taken without meaningful human review',
  ),
};

/**
 * Checks that relate one field to another. They read the raw input (strings trimmed, as the schema
 * does) so that they are reported together with the schema's own issues, not only once those are fixed.
 */
function relationIssues(raw: unknown): InitiativeIssue[] {
  if (!isRecord(raw)) return [];
  const issues: InitiativeIssue[] = [];
  const filled = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  if (filled(raw.stageId) && !filled(raw.chainId)) {
    issues.push({
      path: 'stageId',
      message: 'A stage belongs to a delivery chain: choose the chain as well',
    });
  }
  // UK GDPR: special-category (art. 9) and criminal-offence (art. 10) data are kinds of personal data.
  const data = isRecord(raw.data) ? raw.data : {};
  if (data.personal === false && (data.specialCategory === true || data.criminalOffence === true)) {
    issues.push({
      path: 'data.personal',
      message:
        'Special-category and criminal-offence data are personal data: say that the initiative uses personal data',
    });
  }
  const supplier = isRecord(raw.supplier) ? raw.supplier : {};
  if (supplier.arrangement === 'in-house' && filled(supplier.suppliers)) {
    issues.push({
      path: 'supplier.suppliers',
      message:
        'An in-house initiative has no suppliers: remove the supplier names or choose another arrangement',
    });
  }
  return issues;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const initiativeInputSchema = z.strictObject(initiativeShape, {
  // An unknown field is named, whoever checks the body (the parser below, or the API's validator).
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `Unknown field${issue.keys.length > 1 ? 's' : ''} ${quoted(issue.keys)}: check the spelling`
      : 'The initiative must be a JSON object',
});

export const initiativeFileSchema = z.strictObject(
  {
    ...initiativeShape,
    id: z
      .string({ error: 'Id must be text' })
      .trim()
      .min(1, { error: 'Id must not be empty; leave it out instead' })
      .max(MAX_NAME_LENGTH, { error: `Id must be ${MAX_NAME_LENGTH} characters or fewer` })
      .optional(),
    status: choice(INITIATIVE_STATUSES, 'Select a status', 'Status').optional(),
  },
  { error: 'The initiative file must hold one JSON object' },
);

// Fails to compile if the schemas stop producing the contract's shapes.
type Produces<S extends z.ZodType, T> = z.output<S> extends T ? true : never;
const inputMatchesContract: Produces<typeof initiativeInputSchema, InitiativeInput> = true;
const fileMatchesContract: Produces<typeof initiativeFileSchema, InitiativeFile> = true;
void inputMatchesContract;
void fileMatchesContract;

const LIST_ITEM_NAMES: Readonly<Record<string, string>> = {
  investments: 'Investment',
  affects: 'Affected group',
  typologyCells: 'Typology cell',
};

function describeIssue(issue: z.core.$ZodIssue): InitiativeIssue {
  const path = issue.path.map(String).join('.');
  const [head, index] = issue.path;
  const item = typeof head === 'string' ? LIST_ITEM_NAMES[head] : undefined;
  const inList = item !== undefined && typeof index === 'number';
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const where = inList || issue.path.length === 0 ? '' : ` in ${path}`;
    message = `Unknown field${issue.keys.length > 1 ? 's' : ''} ${quoted(issue.keys)}${where}: check the spelling`;
  }
  // Name the list item ("Investment 3: cost must be …") so a long file's problem is easy to find.
  if (inList) message = `${item} ${index + 1}: ${lowerFirst(message)}`;
  return { path, message };
}

/** "Cost must be" → "cost must be"; "Unknown field" → "unknown field"; an acronym keeps its capitals. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text;
}

function parseWith<T>(schema: z.ZodType, raw: unknown): InitiativeParseResult<T> {
  const parsed = schema.safeParse(raw);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map(describeIssue)),
    ...relationIssues(raw),
  ];
  if (!parsed.success || issues.length > 0) return { ok: false, issues };
  return { ok: true, initiative: deepFreeze(parsed.data) as T };
}

/** Checks an initiative as a form or API client sends it. Never throws on bad input. */
export function parseInitiativeInput(raw: unknown): InitiativeParseResult<InitiativeInput> {
  return parseWith<InitiativeInput>(initiativeInputSchema, raw);
}

/** Checks an initiative file read by the command line (may also carry an id and a status). */
export function parseInitiativeFile(raw: unknown): InitiativeParseResult<InitiativeFile> {
  return parseWith<InitiativeFile>(initiativeFileSchema, raw);
}

/** JSON Schema (draft 2020-12) of what a client sends, for the API documentation and editors. */
export function initiativeInputJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(initiativeInputSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
