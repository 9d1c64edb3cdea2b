// The published threshold for independent review (paper section 4.4: "A predictable threshold for
// independent review and a well-trusted review process can fundamentally alter this decision-making
// calculus"; Table 4, level 1: "publicly understood criteria for when an incident triggers a
// non-punitive learning review versus a formal accountability investigation"). The institution
// sets the rule for its sector and may change it; every version is kept, a report records the
// version it was judged by, and reporters see the rule in force before they submit. The rule is a
// plain disjunction, so anyone can predict it: a report goes to independent review when ANY
// criterion holds.
import { z } from 'zod';
import { CLASS_WORDS, SEVERITY_WORDS, type JustCultureClass, type Severity } from './incidents.ts';

export interface ReviewRule {
  /** Any harm that reached the public sends a report to review. */
  readonly harmToPublic: boolean;
  /** A report at or above this severity (1 No harm … 5 Severe) goes to review; null: never by severity. */
  readonly severityAtLeast: Severity | null;
  /** This many reports about the same AI system within `windowDays` (this one included); null: off. */
  readonly repeatsAtLeast: number | null;
  readonly windowDays: number;
  /** Reckless conduct always goes to review (the accountability channel, separate from learning). */
  readonly recklessConduct: boolean;
}

/** The rule in force until an institution publishes its own (version 0). */
export const DEFAULT_REVIEW_RULE: ReviewRule = {
  harmToPublic: true,
  severityAtLeast: 4,
  repeatsAtLeast: 3,
  windowDays: 90,
  recklessConduct: true,
};

export interface ReviewFacts {
  readonly harmToPublic: boolean;
  readonly severity: Severity;
  /** Reports about the same system in the organisation within the rule's window, this one included. */
  readonly sameSystemInWindow: number;
  /** Known once triaged. */
  readonly class: JustCultureClass | null;
}

export interface ReviewDecision {
  readonly refer: boolean;
  /** Every criterion that holds, in words. */
  readonly reasons: readonly string[];
}

/** Whether a report goes to independent review under a rule, and why. */
export function reviewDecision(rule: ReviewRule, facts: ReviewFacts): ReviewDecision {
  const reasons: string[] = [];
  if (rule.harmToPublic && facts.harmToPublic) reasons.push('Harm reached the public');
  if (rule.severityAtLeast !== null && facts.severity >= rule.severityAtLeast)
    reasons.push(
      `Severity ${SEVERITY_WORDS[facts.severity].label} is at or above ${SEVERITY_WORDS[rule.severityAtLeast].label}`,
    );
  if (rule.repeatsAtLeast !== null && facts.sameSystemInWindow >= rule.repeatsAtLeast)
    reasons.push(
      `${facts.sameSystemInWindow} reports about the same AI system within ${rule.windowDays} days (the threshold is ${rule.repeatsAtLeast})`,
    );
  if (rule.recklessConduct && facts.class === 'reckless_conduct')
    reasons.push(`Triaged as ${CLASS_WORDS.reckless_conduct.label.toLowerCase()}`);
  return { refer: reasons.length > 0, reasons };
}

/** The rule in sentences, as reporters and reviewers read it. */
export function ruleSentences(rule: ReviewRule): string[] {
  const out: string[] = [];
  if (rule.harmToPublic) out.push('any harm that reached the public');
  if (rule.severityAtLeast !== null)
    out.push(`severity ${SEVERITY_WORDS[rule.severityAtLeast].label} or worse`);
  if (rule.repeatsAtLeast !== null)
    out.push(
      `${rule.repeatsAtLeast} or more reports about the same AI system within ${rule.windowDays} days`,
    );
  if (rule.recklessConduct) out.push('a triage of reckless conduct');
  return out;
}

const optionalWhole = (what: string, min: number, max: number) =>
  z
    .union([z.literal(''), z.string().trim().regex(/^\d+$/, `Enter ${what} as a whole number`)])
    .transform((s) => (s === '' ? null : Number(s)))
    .refine((n) => n === null || (n >= min && n <= max), {
      message: `Enter ${what} from ${min} to ${max}, or leave it empty to switch it off`,
    });

const checkbox = z
  .enum(['yes', 'true', 'on'])
  .optional()
  .transform((v) => v !== undefined);

/** The rule as the institution's form sends it, with a message beside each wrong field. */
export const reviewRuleForm = z
  .object({
    harmToPublic: checkbox,
    severityAtLeast: optionalWhole('the severity', 1, 5),
    repeatsAtLeast: optionalWhole('the number of reports', 2, 100),
    windowDays: z
      .string({ error: 'Enter the number of days' })
      .trim()
      .regex(/^\d+$/, 'Enter the number of days as a whole number, like 90')
      .transform(Number)
      .refine((n) => n >= 7 && n <= 730, 'Enter a number of days from 7 to 730'),
    recklessConduct: checkbox,
  })
  .transform((r): ReviewRule => ({
    harmToPublic: r.harmToPublic,
    severityAtLeast: r.severityAtLeast as Severity | null,
    repeatsAtLeast: r.repeatsAtLeast,
    windowDays: r.windowDays,
    recklessConduct: r.recklessConduct,
  }))
  .refine(
    (r) =>
      r.harmToPublic ||
      r.severityAtLeast !== null ||
      r.repeatsAtLeast !== null ||
      r.recklessConduct,
    {
      message: 'Keep at least one criterion: a rule that sends nothing to review is no threshold',
      path: ['harmToPublic'],
    },
  );

/** A stored rule document, read back defensively (older versions keep their own shape). */
export function parseStoredRule(document: unknown): ReviewRule {
  const d = (document ?? {}) as Partial<ReviewRule>;
  return {
    harmToPublic: d.harmToPublic === true,
    severityAtLeast:
      typeof d.severityAtLeast === 'number' && d.severityAtLeast >= 1 && d.severityAtLeast <= 5
        ? (d.severityAtLeast as Severity)
        : null,
    repeatsAtLeast: typeof d.repeatsAtLeast === 'number' ? d.repeatsAtLeast : null,
    windowDays: typeof d.windowDays === 'number' ? d.windowDays : DEFAULT_REVIEW_RULE.windowDays,
    recklessConduct: d.recklessConduct === true,
  };
}
