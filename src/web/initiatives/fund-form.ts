// The innovation fund's form, both ways: a flat HTML form body (the budget, the protection from
// in-year reprioritisation, and rows of commitments c-N-description / c-N-amount / c-N-initiative,
// with a hidden c-N-id for a commitment already saved and a c-N-remove box) becomes the fund as
// `innovationFundSchema` reads it, and the schema's issues become messages beside the right fields.
// Rows are added without JavaScript: "Add another commitment" posts the form and it comes back with
// one more blank row and nothing saved. Blank rows are ignored.
import { innovationFundSchema, type InnovationFund } from '../../domain/initiatives/portfolio.ts';
import { newId } from '../../lib/ids.ts';
import { formErrors, type FormErrors } from '../forms.ts';

type Body = Record<string, unknown>;

/** A fund holds at most this many commitments (the schema's limit); rows beyond it are not read. */
export const MAX_COMMITMENTS = 500;

export interface CommitmentRow {
  /** The row's number in the form (c-N-…), not its position among the commitments. */
  readonly n: number;
  readonly id: string;
  readonly description: string;
  readonly amount: string;
  readonly initiative: string;
  readonly remove: boolean;
}

function text(body: Body, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}

/** "£25,000" and "25 000" read as 25000; anything else is passed on for the schema to refuse. */
export function readPounds(value: string): number | string | undefined {
  const cleaned = value.replace(/[£,\s]/g, '');
  if (cleaned === '') return undefined;
  return /^-?\d{1,20}(\.\d+)?$/.test(cleaned) ? Number(cleaned) : value;
}

/** The commitment rows present in the body, in order of their number. */
export function commitmentRows(body: Body): CommitmentRow[] {
  const numbers = new Set<number>();
  for (const key of Object.keys(body)) {
    const match = /^c-(\d{1,3})-(id|description|amount|initiative|remove)$/.exec(key);
    if (match) numbers.add(Number(match[1]));
  }
  return [...numbers]
    .sort((a, b) => a - b)
    .slice(0, MAX_COMMITMENTS + 1)
    .map((n) => ({
      n,
      id: text(body, `c-${n}-id`).trim(),
      description: text(body, `c-${n}-description`),
      amount: text(body, `c-${n}-amount`),
      initiative: text(body, `c-${n}-initiative`),
      remove: text(body, `c-${n}-remove`) === 'yes',
    }));
}

const isBlank = (row: CommitmentRow) =>
  row.id === '' &&
  row.description.trim() === '' &&
  row.amount.trim() === '' &&
  row.initiative === '';

/** The form's values for a saved fund (or for none: an empty form). */
export function fundFormValues(fund: InnovationFund | null): {
  values: Record<string, string>;
  rows: CommitmentRow[];
} {
  const rows = (fund?.commitments ?? []).map((c, n) => ({
    n,
    id: c.id,
    description: c.description,
    amount: String(c.amount),
    initiative: c.initiativeId ?? '',
    remove: false,
  }));
  return {
    values: {
      budget: fund ? String(fund.budget) : '',
      protected: fund ? (fund.protectedFromInYearReprioritisation ? 'yes' : 'no') : '',
    },
    rows,
  };
}

/**
 * The rows to show: those filled in, then the blank rows that were there (at least one), and one
 * more when "Add another commitment" was pressed.
 */
export function rowsToShow(rows: readonly CommitmentRow[], addOne: boolean): CommitmentRow[] {
  const kept = rows.filter((r) => !isBlank(r));
  const blanksBefore = rows.length - kept.length;
  const next = Math.max(-1, ...rows.map((r) => r.n)) + 1;
  const blanks = Array.from({ length: Math.max(1, blanksBefore + (addOne ? 1 : 0)) }, (_, k) => ({
    n: next + k,
    id: '',
    description: '',
    amount: '',
    initiative: '',
    remove: false,
  }));
  return [...kept, ...blanks].slice(0, MAX_COMMITMENTS + 1);
}

export type FundFormResult =
  | { readonly ok: true; readonly fund: InnovationFund; readonly removed: number }
  | { readonly ok: false; readonly errors: FormErrors };

const FIELD_OF_KEY: Readonly<Record<string, string>> = {
  id: 'description',
  description: 'description',
  amount: 'amount',
  initiativeId: 'initiative',
};

function lowerFirst(message: string): string {
  return `${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

/**
 * Reads the posted form into a fund. A commitment may name only one of `initiatives` (the
 * organisation's own), and a row's hidden id only one of the saved fund's commitments, so a forged
 * value is refused with a message rather than stored.
 */
export function readFundForm(
  body: Body,
  options: {
    readonly initiatives: ReadonlyMap<string, string>;
    readonly saved: InnovationFund | null;
  },
): FundFormResult {
  const rows = commitmentRows(body);
  const savedIds = new Set((options.saved?.commitments ?? []).map((c) => c.id));
  const problems: [string, string][] = [];
  const used: CommitmentRow[] = [];
  let removed = 0;
  rows.forEach((row) => {
    if (isBlank(row)) return;
    if (row.id !== '' && !savedIds.has(row.id)) {
      problems.push([
        `c-${row.n}-description`,
        `Commitment ${row.n + 1} is not one of this fund’s commitments: it may have been removed by someone else. Reload the page and try again.`,
      ]);
      return;
    }
    if (row.remove) {
      removed += 1;
      return;
    }
    if (row.initiative !== '' && !options.initiatives.has(row.initiative)) {
      problems.push([
        `c-${row.n}-initiative`,
        `Commitment ${row.n + 1}: choose one of your organisation’s initiatives, or “Not linked to an initiative”`,
      ]);
    }
    used.push(row);
  });
  const protectedAnswer = text(body, 'protected');
  const raw = {
    budget: readPounds(text(body, 'budget')),
    protectedFromInYearReprioritisation:
      protectedAnswer === 'yes' ? true : protectedAnswer === 'no' ? false : undefined,
    commitments: used.map((row) => ({
      id: row.id === '' ? newId() : row.id,
      description: row.description,
      amount: readPounds(row.amount),
      initiativeId: row.initiative === '' ? null : row.initiative,
    })),
  };
  const parsed = innovationFundSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, index, key] = issue.path;
      if (head === 'budget') problems.push(['budget', issue.message]);
      else if (head === 'protectedFromInYearReprioritisation') {
        problems.push(['protected', issue.message]);
      } else if (head === 'commitments' && typeof index === 'number') {
        const row = used[index];
        if (row === undefined) continue;
        problems.push([
          `c-${row.n}-${FIELD_OF_KEY[String(key)] ?? 'description'}`,
          `Commitment ${row.n + 1}: ${lowerFirst(issue.message)}`,
        ]);
      } else {
        problems.push([`c-${used[0]?.n ?? 0}-description`, issue.message]);
      }
    }
  }
  // Keep the form's order: budget, protection, then the rows.
  const order = (field: string) =>
    field === 'budget'
      ? -2
      : field === 'protected'
        ? -1
        : Number(/^c-(\d+)-/.exec(field)?.[1] ?? 0);
  problems.sort((a, b) => order(a[0]) - order(b[0]));
  if (problems.length > 0 || !parsed.success) return { ok: false, errors: formErrors(problems) };
  return { ok: true, fund: parsed.data, removed };
}

/** Form values from a posted body (to show the form again as it was sent). */
export function postedValues(body: Body): Record<string, string> {
  return { budget: text(body, 'budget'), protected: text(body, 'protected') };
}

/** Every initiative of the organisation as the commitment's "linked to" choice. */
export function initiativeItems(
  initiatives: ReadonlyMap<string, string>,
  chosen: string,
): { value: string; text: string; selected: boolean }[] {
  return [
    { value: '', text: 'Not linked to an initiative' },
    ...[...initiatives].map(([id, title]) => ({ value: id, text: title })),
  ].map((item) => ({ ...item, selected: item.value === chosen }));
}
