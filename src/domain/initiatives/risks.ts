// The risk register rules of issue 11 (paper section 3.4 and appendix Table 2, Managing Risk): risks
// kept apart as operational or ethical failure (section 2.1), scored on the UK public sector's 5×5
// likelihood × impact matrix, compared with the organisation's risk appetite, escalated when above it,
// reviewed on time, drafted from a pre-mortem (Klein 2007, cited in 3.4), and the approval gate that
// says what still stops an initiative being approved.
import { isIsoDate } from './dates.ts';
import { z } from 'zod';
import type { DpiaRecord } from './dpia.ts';
import type { Initiative } from './types.ts';

/**
 * Section 2.1: operational failure (little or no productivity gain for what was promised) and
 * ethical failure (harm to members of the public). Each can turn into the other, so a register keeps
 * both and the organisation sets a separate appetite for each.
 */
export type RiskKind = 'operational' | 'ethical';
export const RISK_KINDS: readonly RiskKind[] = ['operational', 'ethical'];

export const RISK_KIND_LABELS: Readonly<Record<RiskKind, string>> = {
  operational: 'Operational',
  ethical: 'Ethical',
};

/** What each kind means, in plain words, with the paper's examples of ethical failure (section 2.1). */
export const RISK_KIND_HINTS: Readonly<Record<RiskKind, string>> = {
  operational:
    'The initiative delivers little or nothing for what it costs: unreliable outputs, staff time wasted, a delay moved elsewhere in the chain.',
  ethical:
    'The initiative harms members of the public: bias against people with protected characteristics (Equality Act 2010), decisions people cannot meaningfully challenge, intrusion into privacy, or loss of public trust.',
};

export type RiskStatus = 'open' | 'mitigating' | 'accepted' | 'closed';
export const RISK_STATUSES: readonly RiskStatus[] = ['open', 'mitigating', 'accepted', 'closed'];

/** Where a risk came from: the register itself, or a pre-mortem exercise (section 3.4). */
export type RiskSource = 'register' | 'pre-mortem';
export const RISK_SOURCES: readonly RiskSource[] = ['register', 'pre-mortem'];

/** One step of the 5×5 matrix, for likelihood and for impact alike. */
export type RiskLevel = 1 | 2 | 3 | 4 | 5;
export const RISK_LEVELS: readonly RiskLevel[] = [1, 2, 3, 4, 5];

// The wording of the 5×5 matrix most UK public bodies use (the NPSA's "A risk matrix for risk
// managers", 2008, and the registers built on HM Treasury's Orange Book); the top impact is called
// "Severe" here, where the NPSA says "Catastrophic".
export const LIKELIHOOD_LABELS: Readonly<Record<RiskLevel, string>> = {
  1: 'Rare',
  2: 'Unlikely',
  3: 'Possible',
  4: 'Likely',
  5: 'Almost certain',
};

export const LIKELIHOOD_HINTS: Readonly<Record<RiskLevel, string>> = {
  1: 'Would happen only in exceptional circumstances',
  2: 'Not expected, but could happen',
  3: 'Might happen now and then',
  4: 'Will probably happen, but is not a persistent issue',
  5: 'Will happen, possibly often',
};

export const IMPACT_LABELS: Readonly<Record<RiskLevel, string>> = {
  1: 'Negligible',
  2: 'Minor',
  3: 'Moderate',
  4: 'Major',
  5: 'Severe',
};

export const IMPACT_HINTS: Readonly<Record<RiskLevel, string>> = {
  1: 'Hardly noticed: no harm to anyone, no real cost',
  2: 'Small, short-lived harm or cost, put right locally',
  3: 'Noticeable harm to some people, or a cost or delay that needs management action',
  4: 'Serious harm to people, or a large loss, delay or complaint that reaches senior leaders',
  5: 'Lasting harm to people, or failure of the service, legal action or national attention',
};

/** One risk as the register keeps it. The score and rating are worked out, never stored. */
export interface Risk {
  readonly id: string;
  readonly initiativeId: string;
  readonly kind: RiskKind;
  readonly title: string;
  readonly description: string;
  readonly likelihood: RiskLevel;
  readonly impact: RiskLevel;
  /** The person (a role is better) answerable for the risk. */
  readonly owner: string;
  readonly mitigations: string;
  readonly status: RiskStatus;
  /** Next review, ISO yyyy-mm-dd. */
  readonly reviewDate: string;
  readonly source: RiskSource;
  /**
   * Who the risk was escalated to because it is above the appetite (a board or a senior owner above
   * the project), or null. Table 2, level 2: escalation paths for risks that exceed tolerance.
   */
  readonly escalatedTo: string | null;
}

export type RiskRating = 'low' | 'moderate' | 'high' | 'extreme';

/** The NPSA bands of the 5×5 score. Every product of two levels falls in exactly one. */
export const RISK_RATING_BANDS: readonly {
  readonly rating: RiskRating;
  readonly label: string;
  readonly from: number;
  readonly to: number;
}[] = [
  { rating: 'low', label: 'Low', from: 1, to: 3 },
  { rating: 'moderate', label: 'Moderate', from: 4, to: 6 },
  { rating: 'high', label: 'High', from: 8, to: 12 },
  { rating: 'extreme', label: 'Extreme', from: 15, to: 25 },
];

/** Likelihood × impact: 1 to 25. */
export function riskScore(risk: Pick<Risk, 'likelihood' | 'impact'>): number {
  checkLevel(risk.likelihood, 'likelihood');
  checkLevel(risk.impact, 'impact');
  return risk.likelihood * risk.impact;
}

/** The band a score falls in; throws for a number that no likelihood × impact can give. */
export function riskRating(score: number): { readonly rating: RiskRating; readonly label: string } {
  const band = RISK_RATING_BANDS.find((b) => score >= b.from && score <= b.to);
  const isProduct = RISK_LEVELS.some((l) => Number.isInteger(score / l) && score / l <= 5);
  if (!band || !Number.isInteger(score) || !isProduct) {
    throw new RangeError(
      `A risk score is likelihood × impact, a whole number from 1 to 25 such as 6 or 12; got ${score}`,
    );
  }
  return { rating: band.rating, label: band.label };
}

/** "Possible (3) × Major (4) = 12, High" */
export function describeScore(risk: Pick<Risk, 'likelihood' | 'impact'>): string {
  const score = riskScore(risk);
  return `${LIKELIHOOD_LABELS[risk.likelihood]} (${risk.likelihood}) × ${IMPACT_LABELS[risk.impact]} (${risk.impact}) = ${score}, ${riskRating(score).label}`;
}

function checkLevel(value: number, name: string): void {
  if (!RISK_LEVELS.includes(value as RiskLevel)) {
    throw new RangeError(`The ${name} of a risk is a whole number from 1 to 5; got ${value}`);
  }
}

// ----- Risk appetite ---------------------------------------------------------------------------

/**
 * The organisation's risk appetite (Table 2, level 1: formal governance, including ethics review and
 * stakeholder engagement, defines the appetite that lets teams take calculated risks): the highest
 * score of each kind it will carry without escalation. `version` is the format of this record.
 */
export interface RiskAppetite {
  readonly version: 1;
  readonly operational: number;
  readonly ethical: number;
}

/**
 * Defaults, for an organisation that has not set its own:
 * - operational 12 (the top of the High band): only Extreme operational risks need escalating.
 *   The paper asks for tolerance of intelligent failure (Table 1, level 1) and warns that a
 *   zero-tolerance, compliance-heavy regime kills adoption (section 3.4; Table 2, level 5).
 * - ethical 6 (the top of the Moderate band): harm to the public costs the people harmed, and an
 *   ethical failure soon becomes an operational one when public cooperation falls (section 2.1).
 *   The social licence to try bolder AI rests on being seen to manage such risks (section 3.4).
 */
export const DEFAULT_RISK_APPETITE: RiskAppetite = { version: 1, operational: 12, ethical: 6 };

const appetiteScore = (kind: string) =>
  z
    .number({
      error: `Enter the highest ${kind} risk score the organisation accepts, from 1 to 25`,
    })
    .int(`The ${kind} appetite must be a whole number from 1 to 25`)
    .min(1, `The ${kind} appetite must be at least 1`)
    .max(25, `The ${kind} appetite must be 25 or less`);

export const riskAppetiteSchema = z.object({
  version: z.literal(1, { error: 'Unknown risk appetite format: expected version 1' }),
  operational: appetiteScore('operational'),
  ethical: appetiteScore('ethical'),
});

export type AppetiteParseResult =
  | { readonly ok: true; readonly appetite: RiskAppetite }
  | { readonly ok: false; readonly issues: readonly { path: string; message: string }[] };

export function parseRiskAppetite(raw: unknown): AppetiteParseResult {
  const parsed = riskAppetiteSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  return { ok: true, appetite: Object.freeze(parsed.data) };
}

/** True when the risk's score is higher than the appetite for its kind. */
export function aboveAppetite(risk: Risk, appetite: RiskAppetite): boolean {
  return appetiteExcess(risk, appetite) > 0;
}

/** Score minus the appetite for the risk's kind: how far above (positive) or below it is. */
export function appetiteExcess(risk: Risk, appetite: RiskAppetite): number {
  return riskScore(risk) - appetite[risk.kind];
}

export interface EscalationEntry {
  readonly risk: Risk;
  readonly score: number;
  readonly rating: RiskRating;
  readonly appetite: number;
  /** Points above the appetite, at least 1. */
  readonly excess: number;
  readonly explanation: string;
}

/**
 * The risks to escalate (Table 2, level 2: a line of sight from project risks to senior management,
 * with escalation paths for risks above tolerance): every risk that is not closed and scores above
 * the appetite for its kind, furthest above first. Equal excess: the higher score, then ethical before
 * operational (harm to people first), then title and id, so the order never depends on input order.
 */
export function escalationList(
  risks: readonly Risk[],
  appetite: RiskAppetite,
): readonly EscalationEntry[] {
  const entries = risks
    .filter((r) => r.status !== 'closed' && aboveAppetite(r, appetite))
    .map((risk): EscalationEntry => {
      const score = riskScore(risk);
      const excess = score - appetite[risk.kind];
      return {
        risk,
        score,
        rating: riskRating(score).rating,
        appetite: appetite[risk.kind],
        excess,
        explanation:
          `${RISK_KIND_LABELS[risk.kind]} risk “${risk.title}” scores ${describeScore(risk)}: ` +
          `${excess} above the ${risk.kind} appetite of ${appetite[risk.kind]}. ` +
          (risk.status === 'accepted' && nonEmpty(risk.escalatedTo)
            ? `Escalated to ${risk.escalatedTo?.trim()} and accepted.`
            : 'Escalate it above the project, and reduce it or have it accepted there.'),
      };
    });
  return entries.sort(
    (a, b) =>
      b.excess - a.excess ||
      b.score - a.score ||
      kindOrder(a.risk.kind) - kindOrder(b.risk.kind) ||
      compareText(a.risk.title, b.risk.title) ||
      compareText(a.risk.id, b.risk.id),
  );
}

const kindOrder = (kind: RiskKind) => (kind === 'ethical' ? 0 : 1);

export interface OverdueReview {
  readonly risk: Risk;
  readonly daysOverdue: number;
}

/**
 * Risks whose review date has passed (Table 2, level 4 describes registers written at the start and
 * never used again). Closed risks need no review. Most overdue first.
 */
export function overdueReviews(risks: readonly Risk[], today: string): readonly OverdueReview[] {
  if (!isIsoDate(today)) {
    throw new RangeError(
      `"today" must be a date written yyyy-mm-dd, such as 2026-03-31; got "${today}"`,
    );
  }
  const overdue: OverdueReview[] = [];
  for (const risk of risks) {
    if (risk.status === 'closed') continue;
    if (!isIsoDate(risk.reviewDate)) {
      throw new RangeError(
        `Risk “${risk.title}” has review date "${risk.reviewDate}", which is not a date written yyyy-mm-dd`,
      );
    }
    const days = daysBetween(risk.reviewDate, today);
    if (days > 0) overdue.push({ risk, daysOverdue: days });
  }
  return overdue.sort(
    (a, b) => b.daysOverdue - a.daysOverdue || compareText(a.risk.title, b.risk.title),
  );
}

// ----- Dates -----------------------------------------------------------------------------------

export { isIsoDate };

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// ----- Forms -----------------------------------------------------------------------------------

/** Limits of a risk's text fields, shared with the page's character counts. */
export const RISK_LIMITS = {
  title: 120,
  description: 2000,
  owner: 100,
  mitigations: 2000,
  escalatedTo: 100,
} as const;

// Form posts carry strings: an empty choice must say "choose", not be coerced to 0.
const levelField = (what: 'likelihood' | 'impact') => {
  const choose = what === 'likelihood' ? 'Choose how likely it is' : 'Choose how bad it would be';
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v),
    z
      .number({ error: choose })
      .int(`The ${what} must be a whole number from 1 to 5`)
      .min(1, `The ${what} must be from 1 to 5`)
      .max(5, `The ${what} must be from 1 to 5`)
      .transform((n) => n as RiskLevel),
  );
};

const optionalText = (limit: number, what: string) =>
  z
    .string()
    .trim()
    .max(limit, `${what} must be ${limit} characters or fewer`)
    .optional()
    .transform((v) => v ?? '');

/** A risk as a user types it into the register (or edits a pre-mortem draft). */
export const riskInputSchema = z.object({
  kind: z.enum(['operational', 'ethical'], {
    error: 'Choose whether it is an operational or an ethical risk',
  }),
  title: z
    .string({ error: 'Enter a short title for the risk' })
    .trim()
    .min(1, 'Enter a short title for the risk')
    .max(RISK_LIMITS.title, `The title must be ${RISK_LIMITS.title} characters or fewer`),
  description: optionalText(RISK_LIMITS.description, 'The description'),
  likelihood: levelField('likelihood'),
  impact: levelField('impact'),
  owner: z
    .string({ error: 'Enter who owns the risk' })
    .trim()
    .min(1, 'Enter who owns the risk, for example “Head of Planning”')
    .max(RISK_LIMITS.owner, `The owner must be ${RISK_LIMITS.owner} characters or fewer`),
  mitigations: optionalText(RISK_LIMITS.mitigations, 'The mitigations'),
  status: z.enum(['open', 'mitigating', 'accepted', 'closed'], {
    error: 'Choose the status of the risk',
  }),
  reviewDate: z
    .string({ error: 'Enter the date of the next review' })
    .trim()
    .min(1, 'Enter the date of the next review')
    .refine(isIsoDate, 'Enter the review date as a real date, for example 2026-03-31'),
  source: z.enum(['register', 'pre-mortem']).default('register'),
  escalatedTo: optionalText(RISK_LIMITS.escalatedTo, 'Who it was escalated to').transform((v) =>
    v === '' ? null : v,
  ),
});

export type RiskInput = z.output<typeof riskInputSchema>;

export type EthicsReviewStatus = 'not-started' | 'in-review' | 'approved' | 'rejected';
export const ETHICS_REVIEW_STATUSES: readonly EthicsReviewStatus[] = [
  'not-started',
  'in-review',
  'approved',
  'rejected',
];

/**
 * The record of an ethics review (Table 2, level 1: formal governance including ethics review;
 * section 3.4: ethics boards keep risks within organisational and societal tolerance).
 */
export interface EthicsReview {
  readonly status: EthicsReviewStatus;
  /** The board or person who reviews it; empty until someone is asked. */
  readonly reviewer: string;
  /** The date of the decision (approved or rejected), ISO yyyy-mm-dd, else null. */
  readonly date: string | null;
  readonly notes: string;
}

export const ethicsReviewSchema = z
  .object({
    status: z.enum(['not-started', 'in-review', 'approved', 'rejected'], {
      error: 'Choose where the ethics review has got to',
    }),
    reviewer: optionalText(100, 'The reviewer'),
    date: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v === undefined || v === '' ? null : v))
      .refine(
        (v) => v === null || isIsoDate(v),
        'Enter the date as a real date, for example 2026-03-31',
      ),
    notes: optionalText(4000, 'The notes'),
  })
  .superRefine((review, ctx) => {
    if (review.status !== 'not-started' && review.reviewer === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['reviewer'],
        message: 'Enter who is reviewing it, for example “Data ethics committee”',
      });
    }
    if ((review.status === 'approved' || review.status === 'rejected') && review.date === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['date'],
        message: `Enter the date the review ${review.status === 'approved' ? 'approved' : 'rejected'} it`,
      });
    }
    if (review.status === 'rejected' && review.notes === '') {
      ctx.addIssue({ code: 'custom', path: ['notes'], message: 'Say why the review rejected it' });
    }
  });

// ----- Pre-mortem ------------------------------------------------------------------------------

/** The question a pre-mortem asks (Klein 2007, cited in section 3.4). */
export const PRE_MORTEM_QUESTION =
  'It is a year from now and this initiative has failed. What went wrong?';

/** The default a draft starts from: "Possible" × "Moderate". The user then edits both. */
export const PRE_MORTEM_DEFAULT_LIKELIHOOD: RiskLevel = 3;
export const PRE_MORTEM_DEFAULT_IMPACT: RiskLevel = 3;

export const PRE_MORTEM_LIMITS = { answers: 50, answerLength: 5000, titleLength: 80 } as const;

export const preMortemAnswersSchema = z
  .array(
    z
      .string()
      .max(
        PRE_MORTEM_LIMITS.answerLength,
        `Each answer must be ${PRE_MORTEM_LIMITS.answerLength} characters or fewer`,
      ),
  )
  .max(PRE_MORTEM_LIMITS.answers, `Enter at most ${PRE_MORTEM_LIMITS.answers} answers at once`)
  .refine((answers) => answers.some((a) => a.trim() !== ''), 'Enter at least one reason it failed');

export interface DraftRisk {
  /** Which answer (0-based) the reason came from. */
  readonly answerIndex: number;
  readonly kind: RiskKind;
  readonly title: string;
  /** The reason as written. */
  readonly description: string;
  readonly likelihood: RiskLevel;
  readonly impact: RiskLevel;
  readonly source: 'pre-mortem';
  /** The words that made it ethical; empty for an operational suggestion. */
  readonly signals: readonly string[];
  /** Why this kind was suggested, in plain words. */
  readonly why: string;
}

// Words that speak of harm to people (section 2.1's ethical failure). Each signal has a label
// shown to the user, so the suggestion can be checked.
const ETHICAL_SIGNALS: readonly { readonly label: string; readonly pattern: RegExp }[] = [
  { label: 'bias', pattern: /\bbias(?:ed|es)?\b/i },
  { label: 'discrimination', pattern: /\bdiscriminat\w*/i },
  { label: 'fairness', pattern: /\b(?:un)?fair(?:ly|ness)?\b/i },
  { label: 'equality', pattern: /\bequalit(?:y|ies)\b|\bequality act\b/i },
  {
    label: 'protected characteristics',
    pattern:
      /\bprotected characteristics?\b|\b(?:racis\w*|racial\w*|ethnic\w*|gender|sexis\w*|disabilit\w*|disabled|religio\w*)\b/i,
  },
  {
    label: 'privacy',
    pattern: /\bprivacy\b|\bpersonal data\b|\bdata breach\w*|\bleak(?:ed|s)?\b/i,
  },
  {
    label: 'challenge or appeal',
    pattern:
      /\bappeal\w*|\bcontest\w*|\bredress\b|\b(?:cannot|can't|could not|couldn't|unable to)\s+(?:be\s+)?challeng\w*|\bchalleng\w*\s+(?:the\s+|a\s+|their\s+|its\s+)?(?:decision|outcome|result|score)s?\b|\bopaque\b|\bblack box\b|\bunexplain\w*/i,
  },
  {
    label: 'harm to people',
    pattern: /\bharm\w*|\bhardship\b|\bdistress\w*|\bunsafe\b|\binjur\w*/i,
  },
  { label: 'vulnerable people', pattern: /\bvulnerab\w*|\bchild(?:ren)?\b|\bsafeguard\w*/i },
  {
    label: 'wrong decisions about people',
    pattern:
      /\bwrong(?:ly|fully)\s+(?:denied|refused|flagged|accused|rejected|stopped|frozen|froze|sanctioned|arrested|targeted|evicted)\b/i,
  },
  { label: 'surveillance', pattern: /\bsurveil\w*/i },
  { label: 'human rights', pattern: /\bhuman rights?\b|\bdignity\b/i },
];

// "Staff did not trust it" is an adoption problem; "residents lost trust" is the loss of public
// trust that section 2.1 counts as ethical. Trust is ethical only when the public is named with it.
const TRUST = /\btrust\w*|\bconfidence\b/i;
const PUBLIC =
  /\b(?:public|residents?|citizens?|communit(?:y|ies)|people|service users?|patients?|victims?|famil(?:y|ies)|tenants?|claimants?|applicants?|parents?)\b/i;

/** The kind a reason reads as, with the words that decided it. */
export function suggestRiskKind(text: string): {
  readonly kind: RiskKind;
  readonly signals: readonly string[];
} {
  const signals = ETHICAL_SIGNALS.filter((s) => s.pattern.test(text)).map((s) => s.label);
  if (TRUST.test(text) && PUBLIC.test(text)) signals.push('public trust');
  return { kind: signals.length > 0 ? 'ethical' : 'operational', signals };
}

/**
 * Drafts a risk from each reason given in a pre-mortem ("it is a year from now and this initiative
 * failed – why?", Klein 2007, section 3.4). Each non-empty line or bullet of an answer is one reason.
 * The kind is suggested from its words, the title from its first sentence, and the score starts at
 * Possible × Moderate for the team to edit: nothing is saved until they do.
 */
export function draftRisksFromPreMortem(answers: readonly string[]): readonly DraftRisk[] {
  const parsed = preMortemAnswersSchema.safeParse(answers);
  if (!parsed.success) {
    throw new RangeError(parsed.error.issues.map((i) => i.message).join('; '));
  }
  const drafts: DraftRisk[] = [];
  answers.forEach((answer, answerIndex) => {
    for (const reason of splitReasons(answer)) {
      const { kind, signals } = suggestRiskKind(reason);
      drafts.push({
        answerIndex,
        kind,
        title: suggestTitle(reason),
        description: reason,
        likelihood: PRE_MORTEM_DEFAULT_LIKELIHOOD,
        impact: PRE_MORTEM_DEFAULT_IMPACT,
        source: 'pre-mortem',
        signals,
        why:
          kind === 'ethical'
            ? `Suggested as ethical because it mentions ${listWords(signals)}: harm to members of the public is an ethical failure (section 2.1). Change it if the reason is really about productivity.`
            : 'Suggested as operational because it mentions no harm to people (such as bias, unfairness, privacy, appeals or public trust): it reads as the initiative delivering less than promised (section 2.1). Change it if people could be harmed.',
      });
    }
  });
  return drafts;
}

const BULLET = /^\s*(?:[-*•–—]|\d{1,2}[.)]|[a-z][.)])\s+/i;

/** One reason per line or bullet; bullet marks and blank lines dropped. */
export function splitReasons(answer: string): readonly string[] {
  return answer
    .split(/\r\n|\r|\n|\s•\s/)
    .map((line) => line.replace(BULLET, '').replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '' && !/^[-*•–—]+$/.test(line));
}

const LEAD_IN =
  /^(?:(?:it|this|the\s+(?:initiative|project|pilot|system|tool|programme))\s+(?:has\s+|had\s+)?failed\s+(?:because|as|since)\s+(?:of\s+)?|because\s+(?:of\s+)?)/i;

/** The first sentence of a reason, without "it failed because", cut at a word to 80 characters. */
export function suggestTitle(reason: string): string {
  const text = reason.replace(LEAD_IN, '').trim();
  const sentence = (/^(.+?[.!?])(?:\s|$)/.exec(text)?.[1] ?? text).replace(/[.!?;:,]+$/, '');
  const limit = PRE_MORTEM_LIMITS.titleLength;
  let title = sentence;
  if (title.length > limit) {
    const cut = title.slice(0, limit - 1);
    const space = cut.lastIndexOf(' ');
    title = `${(space > limit / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
  }
  return title.charAt(0).toUpperCase() + title.slice(1);
}

function listWords(words: readonly string[]): string {
  const quoted = words.map((w) => `“${w}”`);
  return quoted.length <= 1
    ? (quoted[0] ?? '')
    : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

// ----- Approval gate ---------------------------------------------------------------------------

export type ApprovalBlockerCode = 'ethics-review' | 'dpia' | 'risk-above-appetite';

export interface ApprovalBlocker {
  readonly code: ApprovalBlockerCode;
  readonly message: string;
  /** For a risk blocker, the risk. */
  readonly riskId: string | null;
}

/**
 * What still stops the initiative being approved, in the order a team would tackle it:
 * 1. It affects members of the public or vulnerable people, so an ethics review must have approved
 *    it (Table 2, level 1; section 3.4).
 * 2. It uses personal data, so it must have been screened for a DPIA, and a required DPIA must be
 *    completed (UK GDPR art. 35; see dpia.ts).
 * 3. Every risk above the appetite that is not closed must have been escalated above the project and
 *    accepted there (Table 2, level 2), or brought within the appetite.
 * An empty list means nothing here stops approval. Throws if a risk belongs to another initiative.
 */
export function approvalBlockers(
  initiative: Initiative,
  risks: readonly Risk[],
  appetite: RiskAppetite,
  ethicsReview: EthicsReview | null,
  dpia: DpiaRecord | null,
): readonly ApprovalBlocker[] {
  for (const risk of risks) {
    if (risk.initiativeId !== initiative.id) {
      throw new Error(
        `Risk “${risk.title}” (${risk.id}) belongs to initiative ${risk.initiativeId}, not to “${initiative.title}” (${initiative.id})`,
      );
    }
  }
  const blockers: ApprovalBlocker[] = [];
  const ethics = ethicsBlocker(initiative, ethicsReview);
  if (ethics) blockers.push({ code: 'ethics-review', message: ethics, riskId: null });
  const dpiaMessage = dpiaBlocker(initiative, dpia);
  if (dpiaMessage) blockers.push({ code: 'dpia', message: dpiaMessage, riskId: null });
  for (const entry of escalationList(risks, appetite)) {
    const { risk } = entry;
    if (risk.status === 'accepted' && nonEmpty(risk.escalatedTo)) continue;
    const where = `“${risk.title}” (${risk.kind}, score ${entry.score}) is ${entry.excess} above the ${risk.kind} appetite of ${entry.appetite}`;
    const message =
      risk.status === 'accepted'
        ? `${where}. It is marked accepted, but not escalated: record who above the project accepted it.`
        : `${where}. Escalate it above the project and have it accepted there, or reduce it to ${entry.appetite} or less.`;
    blockers.push({ code: 'risk-above-appetite', message, riskId: risk.id });
  }
  return blockers;
}

function ethicsBlocker(initiative: Initiative, review: EthicsReview | null): string | null {
  const who = initiative.affects.includes('vulnerable')
    ? 'vulnerable people'
    : initiative.affects.includes('public')
      ? 'members of the public'
      : null;
  if (who === null) return null;
  const reason = `It affects ${who}, so an ethics review must approve it before it is approved (section 3.4)`;
  switch (review?.status ?? 'not-started') {
    case 'approved':
      return null;
    case 'not-started':
      return `${reason}: ask the ethics board or committee to review it.`;
    case 'in-review':
      return `${reason}: the review by ${review?.reviewer.trim() || 'the reviewer'} is still under way.`;
    case 'rejected':
      return `${reason}: the ethics review rejected it. Change the initiative to answer its concerns and ask for a new review.`;
  }
}

function dpiaBlocker(initiative: Initiative, dpia: DpiaRecord | null): string | null {
  if (!initiative.data.personal) return null;
  if (dpia === null || dpia.screening === null) {
    return 'It uses personal data: answer the screening questions to find out whether a data protection impact assessment (DPIA) is required.';
  }
  if (dpia.screening.outcome !== 'required' || dpia.status === 'completed') return null;
  const state =
    dpia.status === 'not-required'
      ? 'is recorded as not required, but the screening found that one is required'
      : dpia.status === 'in-progress'
        ? 'is in progress'
        : 'has not been started';
  return `A data protection impact assessment (DPIA) is required and ${state}: complete it before approval.`;
}

// ----- Helpers ---------------------------------------------------------------------------------

const nonEmpty = (v: string | null): boolean => v !== null && v.trim() !== '';

const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });
function compareText(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

function zodIssues(error: z.ZodError): readonly { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
