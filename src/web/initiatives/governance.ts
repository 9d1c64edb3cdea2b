// An initiative's governance records (paper section 3.4, appendix Table 2, Managing Risk): the ethics
// review, the data protection impact assessment (DPIA) screening and status, the pre-mortems and the
// answers of its transparency record, kept as JSON on the initiative (`setGovernance`) and read back
// through the domain's schemas; the approval gate that reads them; and the ethics-review and DPIA
// pages. Nothing stored is trusted: a record that no longer fits its schema reads as absent.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  DPIA_QUESTIONS,
  DPIA_STATUSES,
  DPIA_STATUS_LABELS,
  dpiaAnswersFromInitiative,
  dpiaAnswersSchema,
  dpiaStatusSchema,
  longDate,
  screenDpia,
  type DpiaAnswers,
  type DpiaRecord,
  type DpiaStatus,
} from '../../domain/initiatives/dpia.ts';
import {
  ETHICS_REVIEW_STATUSES,
  approvalBlockers,
  ethicsReviewSchema,
  preMortemAnswersSchema,
  type ApprovalBlocker,
  type EthicsReview,
  type EthicsReviewStatus,
  type RiskKind,
} from '../../domain/initiatives/risks.ts';
import { ATRS_FIELDS } from '../../domain/initiatives/transparency.ts';
import { nowIso } from '../../lib/ids.ts';
import type { OrgScope, StoredInitiative } from '../../storage/index.ts';
import { formErrors, parseForm, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import type { Services } from '../principal.ts';
import { canChange, crumbs, initiativeFrom } from './shared.ts';
import {
  currentAppetite,
  dateItems,
  governanceLinks,
  linkDateErrors,
  readDate,
  readRisks,
} from './risk-view.ts';

// ----- The records -----------------------------------------------------------------------------

/** Who recorded a governance record and when; null for a record kept before this was noted. */
export interface Recorded {
  readonly recordedAt: string | null;
  readonly recordedBy: string | null;
}

export type RecordedEthicsReview = EthicsReview & Recorded;

/** The DPIA record, with when and by whom the screening was last answered. */
export type RecordedDpia = DpiaRecord &
  Recorded & { readonly screenedAt: string | null; readonly screenedBy: string | null };

/** One pre-mortem exercise (Klein 2007, section 3.4): what was asked, answered and kept. */
export interface PreMortemExercise {
  readonly question: string;
  readonly answers: readonly string[];
  readonly recordedAt: string;
  readonly recordedBy: string;
  /** How many draft risks the answers gave. */
  readonly drafts: number;
  /** The drafts kept as risks. */
  readonly kept: readonly { riskId: string; title: string; kind: RiskKind }[];
}

/** The initiative's pre-mortems, newest first. */
export interface PreMortemRecord {
  readonly exercises: readonly PreMortemExercise[];
}

/** At most this many pre-mortems are kept on an initiative; older ones stay in the audit log. */
export const PRE_MORTEM_HISTORY = 20;

/** The transparency record's typed answers, keyed by ATRS reference number. */
export interface TransparencyAnswers extends Recorded {
  readonly answers: Readonly<Record<string, string>>;
  /** One set of 2.4.2.x answers per model. */
  readonly models: readonly Readonly<Record<string, string>>[];
  /** One set of 2.4.3.x answers per dataset. */
  readonly datasets: readonly Readonly<Record<string, string>>[];
}

export const TRANSPARENCY_LIMITS = { answer: 5000, copies: 10 } as const;

/** Every governance record of an initiative, each null when absent or no longer valid. */
export interface InitiativeGovernance {
  readonly ethicsReview: RecordedEthicsReview | null;
  readonly dpia: RecordedDpia | null;
  readonly preMortem: PreMortemRecord | null;
  readonly transparency: TransparencyAnswers | null;
}

const recorded = {
  recordedAt: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  recordedBy: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function readEthicsReview(raw: unknown): RecordedEthicsReview | null {
  if (!isRecord(raw)) return null;
  const review = ethicsReviewSchema.safeParse({ ...raw, date: raw.date ?? undefined });
  const meta = z.object(recorded).safeParse(raw);
  return review.success && meta.success ? { ...review.data, ...meta.data } : null;
}

// The screening is worked out again from its stored answers, so what a page shows always follows
// the rules in force and can never disagree with the answers.
function readDpia(raw: unknown): RecordedDpia | null {
  if (!isRecord(raw)) return null;
  const status = dpiaStatusSchema.safeParse({
    status: raw.status,
    completedOn: raw.completedOn ?? undefined,
  });
  const meta = z
    .object({
      ...recorded,
      screenedAt: z
        .string()
        .nullish()
        .transform((v) => v ?? null),
      screenedBy: z
        .string()
        .nullish()
        .transform((v) => v ?? null),
    })
    .safeParse(raw);
  if (!status.success || !meta.success) return null;
  let screening: DpiaRecord['screening'] = null;
  if (raw.screening !== null && raw.screening !== undefined) {
    const answers = isRecord(raw.screening)
      ? dpiaAnswersSchema.safeParse(raw.screening.answers)
      : null;
    if (!answers?.success) return null;
    screening = screenDpia(answers.data);
  }
  return { ...status.data, screening, ...meta.data };
}

const preMortemRecordSchema = z.object({
  exercises: z
    .array(
      z.object({
        question: z.string(),
        answers: preMortemAnswersSchema,
        recordedAt: z.string(),
        recordedBy: z.string(),
        drafts: z.number().int().min(0),
        kept: z.array(
          z.object({
            riskId: z.string(),
            title: z.string(),
            kind: z.enum(['operational', 'ethical']),
          }),
        ),
      }),
    )
    .max(PRE_MORTEM_HISTORY),
});

const answerText = z
  .string()
  .max(TRANSPARENCY_LIMITS.answer, `Each answer must be 5,000 characters or fewer`);
const answerSet = z.record(z.string(), answerText);

/** The problem with an answer set's reference numbers, or null: only fields an organisation fills. */
export function transparencyAnswerProblem(
  answers: Readonly<Record<string, string>>,
  repeats: 'model' | 'dataset' | null,
): string | null {
  for (const reference of Object.keys(answers)) {
    const field = ATRS_FIELDS.find((f) => f.reference === reference);
    if (!field) return `ATRS 3.0 has no field ${reference}`;
    if (field.repeats !== repeats || field.completedBy !== 'organisation') {
      return `Field ${reference} (${field.name}) cannot be answered here`;
    }
  }
  return null;
}

const transparencySchema = z
  .object({
    answers: answerSet,
    models: z.array(answerSet).max(TRANSPARENCY_LIMITS.copies),
    datasets: z.array(answerSet).max(TRANSPARENCY_LIMITS.copies),
    ...recorded,
  })
  .superRefine((doc, ctx) => {
    const problem =
      transparencyAnswerProblem(doc.answers, null) ??
      doc.models.map((m) => transparencyAnswerProblem(m, 'model')).find(Boolean) ??
      doc.datasets.map((d) => transparencyAnswerProblem(d, 'dataset')).find(Boolean);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * The initiative's governance records, typed: each parsed with the domain's schema (the ethics
 * review, the DPIA status and screening answers, the pre-mortem answers) or this file's (the
 * transparency answers), and null when absent or invalid.
 */
export function governanceOf(stored: StoredInitiative): InitiativeGovernance {
  const g = stored.governance;
  const preMortem = preMortemRecordSchema.safeParse(g.preMortem);
  const transparency = transparencySchema.safeParse(g.transparency);
  return {
    ethicsReview: readEthicsReview(g.ethicsReview),
    dpia: readDpia(g.dpia),
    preMortem: preMortem.success ? preMortem.data : null,
    transparency: transparency.success ? transparency.data : null,
  };
}

/**
 * What still stops the initiative being approved (the domain's `approvalBlockers`): its ethics
 * review, its DPIA, and its risks above the organisation's appetite (the latest saved version, else
 * the default). Risks whose records cannot be read at all are left out; the risk register names them.
 */
export async function approvalBlockersFor(
  scope: OrgScope,
  stored: StoredInitiative,
): Promise<readonly ApprovalBlocker[]> {
  const [{ appetite }, risks] = await Promise.all([
    currentAppetite(scope),
    scope.initiatives.risks(stored.initiative.id),
  ]);
  const governance = governanceOf(stored);
  return approvalBlockers(
    stored.initiative,
    readRisks(risks).risks.map((r) => r.risk),
    appetite,
    governance.ethicsReview,
    governance.dpia,
  );
}

// ----- Labels ----------------------------------------------------------------------------------

export const ETHICS_STATUS_LABELS: Readonly<Record<EthicsReviewStatus, string>> = {
  'not-started': 'Not started',
  'in-review': 'In review',
  approved: 'Approved',
  rejected: 'Rejected',
};

const ETHICS_STATUS_HINTS: Readonly<Record<EthicsReviewStatus, string>> = {
  'not-started': 'Nobody has been asked to review it yet',
  'in-review': 'The ethics board, committee or reviewer is considering it',
  approved: 'The review found it acceptable, with any conditions in the notes',
  rejected: 'The review found it unacceptable as it stands: say why in the notes',
};

const DPIA_STATUS_HINTS: Readonly<Record<DpiaStatus, string>> = {
  'not-started': 'Nobody has started the assessment',
  'in-progress': 'The assessment is being written or reviewed',
  completed: 'The assessment is finished and signed off',
  'not-required': 'The organisation decided that no DPIA is needed',
};

export const DPIA_OUTCOME_LABELS = {
  required: 'A DPIA is required',
  recommended: 'A DPIA is recommended',
  'not-required': 'A DPIA is not required',
} as const;

/** Who the initiative affects, for the sentence saying whether an ethics review is required. */
function ethicsNeed(stored: StoredInitiative): { required: boolean; who: string } {
  const { affects } = stored.initiative;
  if (affects.includes('vulnerable')) return { required: true, who: 'vulnerable people' };
  if (affects.includes('public')) return { required: true, who: 'members of the public' };
  return { required: false, who: affects.includes('staff') ? 'staff only' : 'nobody named yet' };
}

// ----- The pages -------------------------------------------------------------------------------

function errorsPage(errors: FormErrors) {
  return { errors: errors.list, fieldErrors: errors.byField };
}

function formValues(body: unknown): Record<string, unknown> {
  const values = isRecord(body) ? { ...body } : {};
  delete values._csrf;
  return values;
}

const ethicsValues = (review: RecordedEthicsReview | null): Record<string, unknown> => ({
  status: review?.status ?? '',
  reviewer: review?.reviewer ?? '',
  notes: review?.notes ?? '',
});

const dpiaFormValues = (answers: DpiaAnswers): Record<string, unknown> =>
  Object.fromEntries(
    DPIA_QUESTIONS.map((q) => {
      const v = answers[q.id];
      return [q.id, typeof v === 'boolean' ? (v ? 'yes' : 'no') : v];
    }),
  );

export const governanceRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const lead = { preHandler: requireRole('lead') };
  const signedIn = { preHandler: requireSignIn };
  const who = (request: FastifyRequest) => request.principal?.userName ?? 'Unknown';

  // ---- ethics review ----

  const ethicsPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    stored: StoredInitiative,
    values: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => {
    const review = governanceOf(stored).ethicsReview;
    const base = `/initiatives/${stored.initiative.id}`;
    return reply.page('pages/initiatives/governance/ethics-review.njk', {
      title: 'Ethics review',
      stored,
      review,
      reviewStatus: review ? ETHICS_STATUS_LABELS[review.status] : 'Not started',
      reviewDate: review?.date ? longDate(review.date) : null,
      need: ethicsNeed(stored),
      canChange: canChange(request),
      action: `${base}/ethics-review`,
      values,
      statusItems: ETHICS_REVIEW_STATUSES.map((s) => ({
        value: s,
        text: ETHICS_STATUS_LABELS[s],
        hint: { text: ETHICS_STATUS_HINTS[s] },
        checked: values.status === s,
      })),
      dateItems: dateItems('date', review?.date ?? null, values),
      links: governanceLinks(stored.initiative.id, `${base}/ethics-review`),
      breadcrumbs: crumbs(stored, { text: 'Ethics review' }),
      ...extra,
    });
  };

  app.get('/initiatives/:id/ethics-review', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    return ethicsPage(request, reply, stored, ethicsValues(governanceOf(stored).ethicsReview));
  });

  app.post('/initiatives/:id/ethics-review', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const values = formValues(request.body);
    const date = readDate(values, 'date', 'date of the decision');
    const parsed = parseForm(ethicsReviewSchema, {
      status: values.status,
      reviewer: values.reviewer,
      notes: values.notes,
      date: date.ok ? date.iso : '',
    });
    if (!parsed.ok || !date.ok) {
      const entries: [string, string][] = [];
      for (const field of ['status', 'reviewer', 'date', 'notes']) {
        const message =
          field === 'date' && !date.ok
            ? date.message
            : parsed.ok
              ? undefined
              : parsed.errors.byField[field]?.text;
        if (message) entries.push([field, message]);
      }
      reply.code(400);
      return ethicsPage(
        request,
        reply,
        stored,
        values,
        errorsPage(linkDateErrors(formErrors(entries), ['date'])),
      );
    }
    const review: RecordedEthicsReview = {
      ...parsed.data,
      recordedAt: nowIso(),
      recordedBy: who(request),
    };
    await request.scope.initiatives.setGovernance(stored.initiative.id, 'ethicsReview', review);
    reply.flash(`Ethics review recorded: ${ETHICS_STATUS_LABELS[review.status].toLowerCase()}`);
    return reply.redirect(`/initiatives/${stored.initiative.id}/ethics-review`, 303);
  });

  // ---- DPIA screening and status ----

  const dpiaPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    stored: StoredInitiative,
    forms: {
      readonly screening?: Record<string, unknown>;
      readonly status?: Record<string, unknown>;
      readonly errors?: FormErrors;
    } = {},
  ) => {
    const dpia = governanceOf(stored).dpia;
    const prefill = dpiaAnswersFromInitiative(stored.initiative);
    const values = forms.screening ?? dpiaFormValues(dpia?.screening?.answers ?? prefill.answers);
    const statusValues = forms.status ?? {
      status: dpia?.status ?? '',
    };
    const base = `/initiatives/${stored.initiative.id}`;
    const yesNo = (id: string) =>
      ['yes', 'no'].map((v) => ({
        value: v,
        text: v === 'yes' ? 'Yes' : 'No',
        checked: values[id] === v,
      }));
    return reply.page('pages/initiatives/governance/dpia.njk', {
      title: 'Data protection impact assessment (DPIA) screening',
      stored,
      dpia,
      outcomeLabel: dpia?.screening ? DPIA_OUTCOME_LABELS[dpia.screening.outcome] : null,
      statusLabel: dpia ? DPIA_STATUS_LABELS[dpia.status] : 'Not started',
      completedOn: dpia?.completedOn ? longDate(dpia.completedOn) : null,
      contradiction:
        dpia?.screening?.outcome === 'required' && dpia.status === 'not-required'
          ? 'The screening found that a DPIA is required, but its status says not required. Approval stays blocked until a DPIA is completed.'
          : null,
      personalData: stored.initiative.data.personal,
      canChange: canChange(request),
      screeningAction: `${base}/dpia`,
      statusAction: `${base}/dpia/status`,
      questions: DPIA_QUESTIONS.map((q) => ({
        id: q.id,
        question: q.question,
        hint: q.hint,
        prefilled: prefill.prefilled[q.id] ?? null,
        items:
          q.id === 'monitoring'
            ? [
                { value: 'none', text: 'No' },
                { value: 'people', text: 'Yes, people (for example staff or service users)' },
                {
                  value: 'publicly-accessible-area',
                  text: 'Yes, including a place the public can enter',
                },
              ].map((i) => ({ ...i, checked: values.monitoring === i.value }))
            : yesNo(q.id),
      })),
      statusItems: DPIA_STATUSES.map((s) => ({
        value: s,
        text: DPIA_STATUS_LABELS[s],
        hint: { text: DPIA_STATUS_HINTS[s] },
        checked: statusValues.status === s,
      })),
      completedItems: dateItems('completedOn', dpia?.completedOn ?? null, statusValues),
      links: governanceLinks(stored.initiative.id, `${base}/dpia`),
      breadcrumbs: crumbs(stored, { text: 'DPIA screening' }),
      ...(forms.errors ? errorsPage(forms.errors) : {}),
    });
  };

  app.get('/initiatives/:id/dpia', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    return dpiaPage(request, reply, stored);
  });

  app.post('/initiatives/:id/dpia', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const values = formValues(request.body);
    const parsed = parseForm(dpiaAnswersSchema, values);
    if (!parsed.ok) {
      reply.code(400);
      return dpiaPage(request, reply, stored, { screening: values, errors: parsed.errors });
    }
    const before = governanceOf(stored).dpia;
    const screening = screenDpia(parsed.data);
    const now = nowIso();
    const record: RecordedDpia = {
      status: before?.status ?? 'not-started',
      completedOn: before?.completedOn ?? null,
      screening,
      screenedAt: now,
      screenedBy: who(request),
      recordedAt: before?.recordedAt ?? null,
      recordedBy: before?.recordedBy ?? null,
    };
    await request.scope.initiatives.setGovernance(stored.initiative.id, 'dpia', record);
    reply.flash(`Screening recorded. ${screening.explanation}`);
    return reply.redirect(`/initiatives/${stored.initiative.id}/dpia#outcome`, 303);
  });

  app.post('/initiatives/:id/dpia/status', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const values = formValues(request.body);
    const date = readDate(values, 'completedOn', 'date it was completed');
    const parsed = parseForm(dpiaStatusSchema, {
      status: values.status,
      completedOn: date.ok ? date.iso : '',
    });
    if (!parsed.ok || !date.ok) {
      const entries: [string, string][] = [];
      const statusError = parsed.ok ? undefined : parsed.errors.byField.status?.text;
      if (statusError) entries.push(['status', statusError]);
      const dateError = !date.ok
        ? date.message
        : parsed.ok
          ? undefined
          : parsed.errors.byField.completedOn?.text;
      if (dateError) entries.push(['completedOn', dateError]);
      reply.code(400);
      return dpiaPage(request, reply, stored, {
        status: values,
        errors: linkDateErrors(formErrors(entries), ['completedOn']),
      });
    }
    const before = governanceOf(stored).dpia;
    const record: RecordedDpia = {
      ...parsed.data,
      screening: before?.screening ?? null,
      screenedAt: before?.screenedAt ?? null,
      screenedBy: before?.screenedBy ?? null,
      recordedAt: nowIso(),
      recordedBy: who(request),
    };
    await request.scope.initiatives.setGovernance(stored.initiative.id, 'dpia', record);
    reply.flash(`DPIA status recorded: ${DPIA_STATUS_LABELS[record.status].toLowerCase()}`);
    return reply.redirect(`/initiatives/${stored.initiative.id}/dpia#dpia-status`, 303);
  });
};
