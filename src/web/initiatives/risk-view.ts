// What the risk pages share: reading a stored risk back into the domain's Risk, the organisation's
// risk appetite (its latest saved version, else the domain's default), today's date in the UK, the
// GOV.UK radio items of the 5×5 matrix, reading the risk form, and the rows of a register.
import {
  IMPACT_HINTS,
  IMPACT_LABELS,
  LIKELIHOOD_HINTS,
  LIKELIHOOD_LABELS,
  RISK_KIND_HINTS,
  RISK_KIND_LABELS,
  RISK_KINDS,
  RISK_LEVELS,
  RISK_STATUSES,
  escalationList,
  isIsoDate,
  overdueReviews,
  riskInputSchema,
  riskRating,
  riskScore,
  type EscalationEntry,
  type Risk,
  type RiskInput,
  type RiskAppetite,
  type RiskStatus,
} from '../../domain/initiatives/risks.ts';
import type { ReadRisk } from '../../services/risks.ts';
import { readDateInput } from '../assessments/rounds.ts';
import { formErrors, type FormErrors } from '../forms.ts';

// Reading stored risks and the appetite lives in the service, so the register, the approval gate,
// the business case and the portfolio read them one way.
export {
  currentAppetite,
  readRisk,
  readRisks,
  type CurrentAppetite,
  type ReadRisk,
} from '../../services/risks.ts';

// ----- Dates -----------------------------------------------------------------------------------

const UK_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today in the UK, yyyy-mm-dd: a review is overdue from the day after its date. */
export function todayIso(now = new Date()): string {
  return UK_DATE.format(now);
}

/** The same day some months later (the 31st becomes the month's last day), yyyy-mm-dd. */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

const SHORT_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** 2026-03-31 → "31 Mar 2026" (GOV.UK's short form, for tables). */
export function shortDate(iso: string): string {
  return isIsoDate(iso) ? SHORT_DATE.format(new Date(`${iso}T00:00:00Z`)) : '';
}

/** The three boxes of a GOV.UK date input, from what was typed or else from an ISO date. */
export function dateItems(prefix: string, iso: string | null, values: Record<string, unknown>) {
  const [y, m, d] = iso && isIsoDate(iso) ? iso.split('-') : [];
  const typed = (part: string) => {
    const v = values[`${prefix}-${part}`];
    return typeof v === 'string' ? v : undefined;
  };
  return [
    {
      name: 'day',
      classes: 'govuk-input--width-2',
      value: typed('day') ?? (d ? String(Number(d)) : ''),
    },
    {
      name: 'month',
      classes: 'govuk-input--width-2',
      value: typed('month') ?? (m ? String(Number(m)) : ''),
    },
    { name: 'year', classes: 'govuk-input--width-4', value: typed('year') ?? y ?? '' },
  ];
}

/**
 * Reads a GOV.UK date input into yyyy-mm-dd: '' when all three boxes are empty, else the date or
 * the problem with it. A forged value that is not text counts as a problem.
 */
export function readDate(
  values: Record<string, unknown>,
  prefix: string,
  label: string,
): { ok: true; iso: string } | { ok: false; message: string } {
  const parts = ['day', 'month', 'year'].map((p) => values[`${prefix}-${p}`] ?? '');
  if (parts.some((p) => typeof p !== 'string')) {
    return { ok: false, message: `The ${label} must be a real date, like 27 3 2027` };
  }
  const [day, month, year] = (parts as string[]).map((p) => p.trim()) as [string, string, string];
  if (day === '' && month === '' && year === '') return { ok: true, iso: '' };
  const read = readDateInput(day, month, year, label);
  return read.ok ? read : { ok: false, message: read.message };
}

// ----- Radio items -----------------------------------------------------------------------------

export const RISK_STATUS_LABELS: Readonly<Record<RiskStatus, string>> = {
  open: 'Open',
  mitigating: 'Being mitigated',
  accepted: 'Accepted',
  closed: 'Closed',
};

const RISK_STATUS_HINTS: Readonly<Record<RiskStatus, string>> = {
  open: 'Recorded; nothing is being done about it yet',
  mitigating: 'Actions are under way to make it less likely or less harmful',
  accepted:
    'It stays as it is, knowingly: above the appetite, someone above the project must accept it',
  closed: 'It can no longer happen, or has been dealt with',
};

const checked = (values: Record<string, unknown>, name: string, value: string) =>
  String(values[name] ?? '') === value;

export function kindItems(values: Record<string, unknown>) {
  return RISK_KINDS.map((k) => ({
    value: k,
    text: RISK_KIND_LABELS[k],
    hint: { text: RISK_KIND_HINTS[k] },
    checked: checked(values, 'kind', k),
  }));
}

export function likelihoodItems(values: Record<string, unknown>) {
  return RISK_LEVELS.map((l) => ({
    value: String(l),
    text: `${l} ${LIKELIHOOD_LABELS[l]}`,
    hint: { text: LIKELIHOOD_HINTS[l] },
    checked: checked(values, 'likelihood', String(l)),
  }));
}

export function impactItems(values: Record<string, unknown>) {
  return RISK_LEVELS.map((l) => ({
    value: String(l),
    text: `${l} ${IMPACT_LABELS[l]}`,
    hint: { text: IMPACT_HINTS[l] },
    checked: checked(values, 'impact', String(l)),
  }));
}

export function statusItems(values: Record<string, unknown>) {
  return RISK_STATUSES.map((s) => ({
    value: s,
    text: RISK_STATUS_LABELS[s],
    hint: { text: RISK_STATUS_HINTS[s] },
    checked: checked(values, 'status', s),
  }));
}

// ----- The risk form ---------------------------------------------------------------------------

/** The form's fields in page order: the error summary lists problems in this order. */
const RISK_FORM_ORDER = [
  'kind',
  'title',
  'description',
  'likelihood',
  'impact',
  'owner',
  'mitigations',
  'status',
  'reviewDate',
  'escalatedTo',
] as const;

/** The answers a form opens with for a stored risk. */
export function riskFormValues(risk: Risk): Record<string, unknown> {
  return {
    kind: risk.kind,
    title: risk.title,
    description: risk.description,
    likelihood: String(risk.likelihood),
    impact: String(risk.impact),
    owner: risk.owner,
    mitigations: risk.mitigations,
    status: risk.status,
    escalatedTo: risk.escalatedTo ?? '',
  };
}

export type RiskFormResult =
  | { readonly ok: true; readonly risk: RiskInput }
  | { readonly ok: false; readonly errors: FormErrors };

/**
 * Reads the add or change form with the domain's risk schema. The source is never read from the
 * form: a new risk comes from the register, a changed one keeps where it came from.
 */
export function readRiskForm(
  values: Record<string, unknown>,
  source: Risk['source'],
): RiskFormResult {
  const date = readDate(values, 'reviewDate', 'review date');
  const fields: Record<string, unknown> = {};
  for (const name of RISK_FORM_ORDER) if (name !== 'reviewDate') fields[name] = values[name];
  const parsed = riskInputSchema.safeParse({
    ...fields,
    reviewDate: date.ok ? date.iso : '2000-01-01',
    source,
  });
  const problems = new Map<string, string>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'title');
      if (!problems.has(field)) problems.set(field, issue.message);
    }
  }
  if (!date.ok) problems.set('reviewDate', date.message);
  if (problems.size > 0 || !parsed.success) {
    const ordered = RISK_FORM_ORDER.filter((f) => problems.has(f)).map(
      (f) => [f, problems.get(f) ?? ''] as [string, string],
    );
    return { ok: false, errors: linkDateErrors(formErrors(ordered), ['reviewDate']) };
  }
  return { ok: true, risk: parsed.data };
}

/** A date input's error links to its first box, as the GOV.UK error summary asks. */
export function linkDateErrors(errors: FormErrors, dateFields: readonly string[]): FormErrors {
  return {
    byField: errors.byField,
    list: errors.list.map((e) =>
      dateFields.some((f) => e.href === `#${f}`) ? { ...e, href: `${e.href}-day` } : e,
    ),
  };
}

// ----- A register's rows -----------------------------------------------------------------------

export interface RiskRow {
  readonly risk: Risk;
  readonly kindLabel: string;
  readonly score: number;
  readonly ratingLabel: string;
  readonly rating: string;
  /** "Possible (3) × Major (4)" */
  readonly matrix: string;
  readonly statusLabel: string;
  readonly reviewDate: string;
  readonly above: EscalationEntry | null;
  readonly overdueDays: number | null;
  readonly problems: readonly string[];
}

/** One row per risk, in the order kept (the order they were added). */
export function riskRows(
  read: readonly ReadRisk[],
  appetite: RiskAppetite,
  today: string,
): readonly RiskRow[] {
  const escalations = new Map(
    escalationList(
      read.map((r) => r.risk),
      appetite,
    ).map((e) => [e.risk.id, e]),
  );
  const overdue = new Map(
    overdueReviews(
      read.map((r) => r.risk).filter((r) => isIsoDate(r.reviewDate)),
      today,
    ).map((o) => [o.risk.id, o.daysOverdue]),
  );
  return read.map(({ risk, problems }) => {
    const score = riskScore(risk);
    const rating = riskRating(score);
    return {
      risk,
      kindLabel: RISK_KIND_LABELS[risk.kind],
      score,
      ratingLabel: rating.label,
      rating: rating.rating,
      matrix: `${LIKELIHOOD_LABELS[risk.likelihood]} (${risk.likelihood}) × ${IMPACT_LABELS[risk.impact]} (${risk.impact})`,
      statusLabel: RISK_STATUS_LABELS[risk.status],
      reviewDate: shortDate(risk.reviewDate),
      above: escalations.get(risk.id) ?? null,
      overdueDays: overdue.get(risk.id) ?? null,
      problems,
    };
  });
}

/** Risks whose record has no review date: they can never be found overdue, so they are named. */
export function withoutReviewDate(read: readonly ReadRisk[]): readonly Risk[] {
  return read.map((r) => r.risk).filter((r) => r.status !== 'closed' && r.reviewDate === '');
}

// ----- Links between the risk and governance pages ---------------------------------------------

/** The pages of an initiative's risk and governance work, for the list on each of them. */
export function governanceLinks(initiativeId: string, current: string) {
  const base = `/initiatives/${initiativeId}`;
  return [
    { href: `${base}/risks`, text: 'Risk register' },
    { href: `${base}/pre-mortem`, text: 'Pre-mortem' },
    { href: `${base}/ethics-review`, text: 'Ethics review' },
    { href: `${base}/dpia`, text: 'Data protection (DPIA) screening' },
    { href: `${base}/transparency`, text: 'Algorithmic transparency record' },
  ].map((l) => ({ ...l, current: l.href === current }));
}
