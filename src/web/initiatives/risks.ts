// The risk register of an initiative (paper section 3.4, appendix Table 2, Managing Risk): risks kept
// apart as operational or ethical failure (section 2.1), scored likelihood × impact, compared with
// the organisation's risk appetite and flagged for escalation, reviewed on time; a pre-mortem whose
// answers become draft risks (Klein 2007, cited in 3.4); the organisation-wide list of risks above
// the appetite and overdue reviews (Table 2, level 2: a line of sight to senior management); and the
// appetite itself, which only admins change, kept as versions.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  DEFAULT_RISK_APPETITE,
  PRE_MORTEM_QUESTION,
  RISK_KIND_LABELS,
  RISK_LIMITS,
  RISK_RATING_BANDS,
  approvalBlockers,
  draftRisksFromPreMortem,
  escalationList,
  isIsoDate,
  overdueReviews,
  preMortemAnswersSchema,
  riskAppetiteSchema,
  riskInputSchema,
  type DraftRisk,
  type RiskAppetite,
  type RiskInput,
  type RiskKind,
} from '../../domain/initiatives/risks.ts';
import { longDate } from '../../domain/initiatives/dpia.ts';
import type { StoredInitiative, StoredRisk } from '../../storage/index.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import type { Services } from '../principal.ts';
import { governanceOf, PRE_MORTEM_HISTORY, type PreMortemExercise } from './governance.ts';
import {
  RISK_STATUS_LABELS,
  addMonths,
  currentAppetite,
  dateItems,
  governanceLinks,
  impactItems,
  kindItems,
  likelihoodItems,
  readRisk,
  readRiskForm,
  readRisks,
  riskFormValues,
  riskRows,
  shortDate,
  statusItems,
  todayIso,
  withoutReviewDate,
  type ReadRisk,
} from './risk-view.ts';
import { canChange, canChangeSettings, crumbs, initiativeFrom } from './shared.ts';

/** How far ahead a risk kept from a pre-mortem is first reviewed. */
export const PRE_MORTEM_REVIEW_MONTHS = 3;

/** Most reasons one pre-mortem turns into drafts; a longer list is better split over sessions. */
export const PRE_MORTEM_MAX_DRAFTS = 50;

const riskParams = z.object({ riskId: z.uuid() }).loose();

function errorsPage(errors: FormErrors) {
  return { errors: errors.list, fieldErrors: errors.byField };
}

function formValues(body: unknown): Record<string, unknown> {
  const values =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? { ...(body as Record<string, unknown>) }
      : {};
  delete values._csrf;
  return values;
}

/** The risk named by :riskId on the caller's initiative, or undefined. */
async function riskFrom(
  request: FastifyRequest,
  stored: StoredInitiative,
): Promise<{ stored: StoredRisk; read: ReadRisk | null } | undefined> {
  const parsed = riskParams.safeParse(request.params);
  if (!parsed.success) return undefined;
  const found = (await request.scope.initiatives.risks(stored.initiative.id)).find(
    (r) => r.id === parsed.data.riskId,
  );
  return found ? { stored: found, read: readRisk(found) } : undefined;
}

// ----- The pre-mortem --------------------------------------------------------------------------

type AnswersCheck =
  | { readonly ok: true; readonly answers: string; readonly drafts: readonly DraftRisk[] }
  | { readonly ok: false; readonly message: string };

/**
 * The answers box as the domain reads it: one answer, one reason per line. Each reason becomes a
 * risk's description, so each must fit one; and one session gives at most 50 drafts.
 */
function checkAnswers(raw: unknown): AnswersCheck {
  if (raw !== undefined && typeof raw !== 'string') {
    return { ok: false, message: 'Enter the reasons as text, one per line' };
  }
  const answers = raw ?? '';
  const parsed = preMortemAnswersSchema.safeParse([answers]);
  if (!parsed.success) {
    return { ok: false, message: parsed.error.issues[0]?.message ?? 'Enter the reasons' };
  }
  const drafts = draftRisksFromPreMortem([answers]);
  if (drafts.length > PRE_MORTEM_MAX_DRAFTS) {
    return {
      ok: false,
      message: `Enter at most ${PRE_MORTEM_MAX_DRAFTS} reasons at once: there are ${drafts.length} lines. Record the rest in a second pre-mortem.`,
    };
  }
  const long = drafts.findIndex((d) => d.description.length > RISK_LIMITS.description);
  if (long >= 0) {
    return {
      ok: false,
      message: `Each reason must be ${RISK_LIMITS.description.toLocaleString('en-GB')} characters or fewer: reason ${long + 1} has ${(drafts[long]?.description.length ?? 0).toLocaleString('en-GB')}. Split it over several lines.`,
    };
  }
  return { ok: true, answers, drafts };
}

/** The drafts to keep and the kind chosen for each, from the check page; or what is wrong. */
function readKept(
  values: Record<string, unknown>,
  drafts: readonly DraftRisk[],
): { ok: true; kept: { index: number; kind: RiskKind }[] } | { ok: false; errors: FormErrors } {
  const raw = values.keep === undefined ? [] : [values.keep].flat();
  const kept: { index: number; kind: RiskKind }[] = [];
  const problems: [string, string][] = [];
  for (const v of raw) {
    const index = typeof v === 'string' && /^\d{1,3}$/.test(v) ? Number(v) : -1;
    if (index < 0 || index >= drafts.length || kept.some((k) => k.index === index)) {
      problems.push([
        'keep',
        `Choose the risks to keep from the list: “${String(v).slice(0, 20)}” is not one of them`,
      ]);
      break;
    }
    const kind = values[`kind-${index}`] ?? drafts[index]?.kind;
    if (kind !== 'operational' && kind !== 'ethical') {
      problems.push([
        `kind-${index}`,
        `Choose whether reason ${index + 1} is an operational or an ethical risk`,
      ]);
      continue;
    }
    kept.push({ index, kind });
  }
  return problems.length > 0 ? { ok: false, errors: formErrors(problems) } : { ok: true, kept };
}

// ----- Routes ----------------------------------------------------------------------------------

export const riskRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const lead = { preHandler: requireRole('lead') };
  const admin = { preHandler: requireRole('admin') };
  const signedIn = { preHandler: requireSignIn };

  // ---- the organisation's risks above appetite (registered before /initiatives/:id can match) ----

  app.get('/initiatives/risks', signedIn, async (request, reply) => {
    const [initiatives, stored, appetite] = await Promise.all([
      request.scope.initiatives.list(),
      request.scope.initiatives.risks(),
      currentAppetite(request.scope),
    ]);
    const titles = new Map(initiatives.map((i) => [i.initiative.id, i.initiative.title]));
    const { risks, unreadable } = readRisks(stored);
    const all = risks.map((r) => r.risk);
    const today = todayIso();
    const initiativeOf = (id: string) => ({
      id,
      title: titles.get(id) ?? 'An initiative',
    });
    return reply.page('pages/initiatives/risks/escalation.njk', {
      title: 'Risks above the risk appetite',
      appetite,
      canChangeSettings: canChangeSettings(request),
      escalations: escalationList(all, appetite.appetite).map((e) => ({
        ...e,
        kindLabel: RISK_KIND_LABELS[e.risk.kind],
        ratingLabel: RISK_RATING_BANDS.find((b) => b.rating === e.rating)?.label ?? '',
        statusLabel: RISK_STATUS_LABELS[e.risk.status],
        initiative: initiativeOf(e.risk.initiativeId),
      })),
      overdue: overdueReviews(
        all.filter((r) => isIsoDate(r.reviewDate)),
        today,
      ).map((o) => ({
        ...o,
        reviewDate: shortDate(o.risk.reviewDate),
        statusLabel: RISK_STATUS_LABELS[o.risk.status],
        initiative: initiativeOf(o.risk.initiativeId),
      })),
      undated: withoutReviewDate(risks).map((r) => ({
        risk: r,
        initiative: initiativeOf(r.initiativeId),
      })),
      unreadable,
      breadcrumbs: crumbs(undefined, { text: 'Risks above the appetite' }),
    });
  });

  // ---- the risk appetite (admins) ----

  const appetitePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown> | null,
    extra: Record<string, unknown> = {},
  ) => {
    const [current, history, members] = await Promise.all([
      currentAppetite(request.scope),
      request.scope.initiatives.settingHistory('risk-appetite'),
      request.scope.members(),
    ]);
    const names = new Map(members.map((m) => [m.userId, m.name]));
    return reply.page('pages/initiatives/risks/appetite.njk', {
      title: 'Risk appetite',
      current,
      defaults: DEFAULT_RISK_APPETITE,
      bands: RISK_RATING_BANDS,
      values: values ?? {
        operational: String(current.appetite.operational),
        ethical: String(current.appetite.ethical),
      },
      history: history.map((h) => {
        const doc = riskAppetiteSchema.safeParse(h.document);
        return {
          version: h.version,
          operational: doc.success ? String(doc.data.operational) : 'Could not be read',
          ethical: doc.success ? String(doc.data.ethical) : 'Could not be read',
          by: h.createdBy === null ? 'System' : (names.get(h.createdBy) ?? 'A former member'),
          at: h.createdAt,
        };
      }),
      breadcrumbs: crumbs(undefined, { text: 'Risk appetite' }),
      ...extra,
    });
  };

  app.get('/initiatives/settings/risk-appetite', admin, async (request, reply) =>
    appetitePage(request, reply, null),
  );

  app.post('/initiatives/settings/risk-appetite', admin, async (request, reply) => {
    const values = formValues(request.body);
    const problems: [string, string][] = [];
    const numbers: Partial<Record<RiskKind, number>> = {};
    for (const kind of ['operational', 'ethical'] as const) {
      const raw = values[kind];
      const typed = typeof raw === 'string' ? raw.trim() : '';
      if (typed === '') {
        problems.push([
          kind,
          `Enter the highest ${kind} risk score the organisation accepts, from 1 to 25`,
        ]);
        continue;
      }
      if (!/^\d{1,3}$/.test(typed)) {
        problems.push([kind, `The ${kind} appetite must be a whole number from 1 to 25`]);
        continue;
      }
      // Each number is checked by the domain's own rule for it, so both fields get their message.
      const checked = riskAppetiteSchema.shape[kind].safeParse(Number(typed));
      if (checked.success) numbers[kind] = checked.data;
      else problems.push([kind, checked.error.issues[0]?.message ?? 'Enter a number from 1 to 25']);
    }
    const parsed = riskAppetiteSchema.safeParse({ version: 1, ...numbers });
    if (problems.length > 0 || !parsed.success) {
      reply.code(400);
      return appetitePage(request, reply, values, errorsPage(formErrors(problems)));
    }
    const appetite: RiskAppetite = parsed.data;
    const version = await request.scope.initiatives.saveSetting('risk-appetite', appetite);
    reply.flash(
      `Risk appetite saved as version ${version}: operational ${appetite.operational}, ethical ${appetite.ethical}`,
    );
    return reply.redirect('/initiatives/settings/risk-appetite', 303);
  });

  // ---- an initiative's register ----

  app.get('/initiatives/:id/risks', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const id = stored.initiative.id;
    const [storedRisks, appetite] = await Promise.all([
      request.scope.initiatives.risks(id),
      currentAppetite(request.scope),
    ]);
    const { risks, unreadable } = readRisks(storedRisks);
    const rows = [...riskRows(risks, appetite.appetite, todayIso())].sort(
      (a, b) => b.score - a.score || a.risk.title.localeCompare(b.risk.title, 'en-GB'),
    );
    const governance = governanceOf(stored);
    const blockers = approvalBlockers(
      stored.initiative,
      risks.map((r) => r.risk),
      appetite.appetite,
      governance.ethicsReview,
      governance.dpia,
    ).map((b) => ({
      ...b,
      href:
        b.code === 'ethics-review'
          ? `/initiatives/${id}/ethics-review`
          : b.code === 'dpia'
            ? `/initiatives/${id}/dpia`
            : `/initiatives/${id}/risks/${b.riskId ?? ''}`,
    }));
    return reply.page('pages/initiatives/risks/index.njk', {
      title: `Risk register: ${stored.initiative.title}`,
      stored,
      rows,
      aboveCount: rows.filter((r) => r.above).length,
      overdueCount: rows.filter((r) => r.overdueDays !== null).length,
      unreadable,
      appetite,
      blockers,
      canChange: canChange(request),
      links: governanceLinks(id, `/initiatives/${id}/risks`),
      breadcrumbs: crumbs(stored, { text: 'Risk register' }),
    });
  });

  // ---- adding and changing a risk ----

  const formPage = (
    reply: FastifyReply,
    stored: StoredInitiative,
    risk: { id: string; title: string } | null,
    values: Record<string, unknown>,
    reviewDate: string | null,
    extra: Record<string, unknown> = {},
  ) => {
    const base = `/initiatives/${stored.initiative.id}/risks`;
    const title = risk ? 'Change a risk' : 'Add a risk';
    return reply.page('pages/initiatives/risks/form.njk', {
      title,
      stored,
      action: risk ? `${base}/${risk.id}` : `${base}/new`,
      button: risk ? 'Save the risk' : 'Add the risk',
      cancel: base,
      deleteHref: risk ? `${base}/${risk.id}/delete` : null,
      values,
      limits: RISK_LIMITS,
      kindItems: kindItems(values),
      likelihoodItems: likelihoodItems(values),
      impactItems: impactItems(values),
      statusItems: statusItems(values),
      reviewDateItems: dateItems('reviewDate', reviewDate, values),
      breadcrumbs: crumbs(stored, { text: 'Risk register', href: base }, { text: title }),
      ...extra,
    });
  };

  app.get('/initiatives/:id/risks/new', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    return formPage(reply, stored, null, { status: 'open' }, addMonths(todayIso(), 3));
  });

  app.post('/initiatives/:id/risks/new', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const values = formValues(request.body);
    const read = readRiskForm(values, 'register');
    if (!read.ok) {
      reply.code(400);
      return formPage(reply, stored, null, values, null, errorsPage(read.errors));
    }
    await request.scope.initiatives.addRisk(stored.initiative.id, read.risk);
    reply.flash(`Risk added: ${read.risk.title}`);
    return reply.redirect(`/initiatives/${stored.initiative.id}/risks`, 303);
  });

  const unreadablePage = (reply: FastifyReply, stored: StoredInitiative) =>
    reply.page('pages/initiatives/risks/remove.njk', {
      title: 'This risk’s record cannot be read',
      body: 'Its kind, likelihood or impact is missing or not one the register knows, so it cannot be scored or changed here. Delete it and add it again.',
      cancel: `/initiatives/${stored.initiative.id}/risks`,
      breadcrumbs: crumbs(stored, {
        text: 'Risk register',
        href: `/initiatives/${stored.initiative.id}/risks`,
      }),
    });

  // Everyone signed in may read a risk; leads and admins see it as a form they can change.
  app.get('/initiatives/:id/risks/:riskId', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    const found = stored && (await riskFrom(request, stored));
    if (!stored || !found) return notFound(reply);
    if (!found.read) return unreadablePage(reply, stored);
    const { risk, problems } = found.read;
    if (canChange(request)) {
      return formPage(
        reply,
        stored,
        risk,
        riskFormValues(risk),
        risk.reviewDate || null,
        problems.length > 0 ? { incomplete: problems } : {},
      );
    }
    const appetite = await currentAppetite(request.scope);
    const [row] = riskRows([found.read], appetite.appetite, todayIso());
    return reply.page('pages/initiatives/risks/risk.njk', {
      title: risk.title,
      stored,
      row,
      reviewDate: risk.reviewDate ? longDate(risk.reviewDate) : 'Not set',
      breadcrumbs: crumbs(
        stored,
        { text: 'Risk register', href: `/initiatives/${stored.initiative.id}/risks` },
        { text: risk.title },
      ),
    });
  });

  app.post('/initiatives/:id/risks/:riskId', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    const found = stored && (await riskFrom(request, stored));
    if (!stored || !found) return notFound(reply);
    const values = formValues(request.body);
    const source = found.read?.risk.source ?? 'register';
    const read = readRiskForm(values, source);
    const risk = { id: found.stored.id, title: found.read?.risk.title ?? 'Risk' };
    if (!read.ok) {
      reply.code(400);
      return formPage(reply, stored, risk, values, null, errorsPage(read.errors));
    }
    const saved = await request.scope.initiatives.updateRisk(
      stored.initiative.id,
      found.stored.id,
      read.risk,
    );
    if (!saved) return notFound(reply);
    reply.flash(`Risk saved: ${read.risk.title}`);
    return reply.redirect(`/initiatives/${stored.initiative.id}/risks`, 303);
  });

  // ---- deleting a risk, confirmed on its own page ----

  app.get('/initiatives/:id/risks/:riskId/delete', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    const found = stored && (await riskFrom(request, stored));
    if (!stored || !found) return notFound(reply);
    const base = `/initiatives/${stored.initiative.id}/risks`;
    const title = found.read?.risk.title ?? 'this risk';
    return reply.page('pages/initiatives/risks/remove.njk', {
      title: `Delete the risk “${title}”?`,
      body: 'It leaves the register and the transparency record. The audit log keeps a note that it was deleted and by whom. If the risk has been dealt with, you can close it instead, which keeps its history.',
      action: `${base}/${found.stored.id}/delete`,
      button: 'Delete the risk',
      cancel: `${base}/${found.stored.id}`,
      breadcrumbs: crumbs(stored, { text: 'Risk register', href: base }, { text: 'Delete' }),
    });
  });

  app.post('/initiatives/:id/risks/:riskId/delete', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    const found = stored && (await riskFrom(request, stored));
    if (!stored || !found) return notFound(reply);
    const removed = await request.scope.initiatives.removeRisk(
      stored.initiative.id,
      found.stored.id,
    );
    if (!removed) return notFound(reply);
    reply.flash(`Risk deleted: ${found.read?.risk.title ?? 'a risk'}`);
    return reply.redirect(`/initiatives/${stored.initiative.id}/risks`, 303);
  });

  // ---- the pre-mortem ----

  const preMortemPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    stored: StoredInitiative,
    answers: string,
    extra: Record<string, unknown> = {},
  ) => {
    const id = stored.initiative.id;
    const record = governanceOf(stored).preMortem;
    return reply.page('pages/initiatives/risks/pre-mortem.njk', {
      title: 'Pre-mortem',
      stored,
      question: PRE_MORTEM_QUESTION,
      answers,
      maxDrafts: PRE_MORTEM_MAX_DRAFTS,
      exercises: (record?.exercises ?? []).map((e) => ({
        ...e,
        reasons: draftRisksFromPreMortem(e.answers).map((d) => d.description),
      })),
      canChange: canChange(request),
      action: `/initiatives/${id}/pre-mortem`,
      links: governanceLinks(id, `/initiatives/${id}/pre-mortem`),
      breadcrumbs: crumbs(stored, { text: 'Pre-mortem' }),
      ...extra,
    });
  };

  const checkPage = (
    reply: FastifyReply,
    stored: StoredInitiative,
    check: Extract<AnswersCheck, { ok: true }>,
    values: Record<string, unknown> | null,
    extra: Record<string, unknown> = {},
  ) => {
    const id = stored.initiative.id;
    const reviewDate = addMonths(todayIso(), PRE_MORTEM_REVIEW_MONTHS);
    const keep = values === null ? null : [values.keep ?? []].flat().map(String);
    return reply.page('pages/initiatives/risks/pre-mortem-check.njk', {
      title: 'Check the draft risks',
      stored,
      answers: check.answers,
      drafts: check.drafts.map((d, i) => ({
        ...d,
        number: i + 1,
        kindLabel: RISK_KIND_LABELS[d.kind],
        keepId: i === 0 ? 'keep' : `keep-${i + 1}`,
        keep: keep === null ? true : keep.includes(String(i)),
        kindItems: (['operational', 'ethical'] as const).map((k) => ({
          value: k,
          text: RISK_KIND_LABELS[k],
          checked: (values?.[`kind-${i}`] ?? d.kind) === k,
        })),
      })),
      owner: values === null ? (reply.request.principal?.userName ?? '') : values.owner,
      reviewDate: longDate(reviewDate),
      action: `/initiatives/${id}/pre-mortem/confirm`,
      back: `/initiatives/${id}/pre-mortem`,
      breadcrumbs: crumbs(
        stored,
        { text: 'Pre-mortem', href: `/initiatives/${id}/pre-mortem` },
        { text: 'Check the draft risks' },
      ),
      ...extra,
    });
  };

  app.get('/initiatives/:id/pre-mortem', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    return preMortemPage(request, reply, stored, '');
  });

  app.post('/initiatives/:id/pre-mortem', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const values = formValues(request.body);
    const check = checkAnswers(values.answers);
    if (!check.ok) {
      reply.code(400);
      return preMortemPage(
        request,
        reply,
        stored,
        typeof values.answers === 'string' ? values.answers : '',
        errorsPage(formErrors([['answers', check.message]])),
      );
    }
    return checkPage(reply, stored, check, null);
  });

  app.post('/initiatives/:id/pre-mortem/confirm', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const values = formValues(request.body);
    // The drafts are worked out again from the answers, never taken from the form.
    const check = checkAnswers(values.answers);
    if (!check.ok) {
      reply.code(400);
      return preMortemPage(
        request,
        reply,
        stored,
        typeof values.answers === 'string' ? values.answers : '',
        errorsPage(formErrors([['answers', check.message]])),
      );
    }
    const kept = readKept(values, check.drafts);
    const today = todayIso();
    const reviewDate = addMonths(today, PRE_MORTEM_REVIEW_MONTHS);
    let risks: RiskInput[] = [];
    let problems: FormErrors | null = kept.ok ? null : kept.errors;
    if (kept.ok && kept.kept.length > 0) {
      const parsed = kept.kept.map(({ index, kind }) => {
        const draft = check.drafts[index] as DraftRisk;
        return riskInputSchema.safeParse({
          kind,
          title: draft.title,
          description: draft.description,
          likelihood: draft.likelihood,
          impact: draft.impact,
          owner: values.owner,
          mitigations: '',
          status: 'open',
          reviewDate,
          source: 'pre-mortem',
          escalatedTo: '',
        });
      });
      const failed = parsed.find((p) => !p.success);
      if (failed && !failed.success) {
        const issue = failed.error.issues[0];
        problems = formErrors([
          [String(issue?.path[0] ?? 'owner'), issue?.message ?? 'Check the draft risks'],
        ]);
      } else {
        risks = parsed.flatMap((p) => (p.success ? [p.data] : []));
      }
    }
    if (problems !== null || !kept.ok) {
      reply.code(400);
      return checkPage(reply, stored, check, values, errorsPage(problems ?? formErrors([])));
    }
    const id = stored.initiative.id;
    await request.scope.transaction(async (scope) => {
      const keptRisks: PreMortemExercise['kept'][number][] = [];
      for (const risk of risks) {
        const riskId = await scope.initiatives.addRisk(id, risk);
        keptRisks.push({ riskId, title: risk.title, kind: risk.kind });
      }
      // Read inside the transaction, so a pre-mortem recorded meanwhile is not lost.
      const latest = await scope.initiatives.get(id);
      const earlier = latest ? (governanceOf(latest).preMortem?.exercises ?? []) : [];
      const exercise: PreMortemExercise = {
        question: PRE_MORTEM_QUESTION,
        answers: [check.answers],
        recordedAt: new Date().toISOString(),
        recordedBy: request.principal?.userName ?? 'Unknown',
        drafts: check.drafts.length,
        kept: keptRisks,
      };
      await scope.initiatives.setGovernance(id, 'preMortem', {
        exercises: [exercise, ...earlier].slice(0, PRE_MORTEM_HISTORY),
      });
    });
    const n = risks.length;
    reply.flash(
      n === 0
        ? 'Pre-mortem recorded. No draft risks were kept.'
        : `Pre-mortem recorded: ${n} ${n === 1 ? 'risk' : 'risks'} added to the register at Possible × Moderate. Change each one’s likelihood and impact to fit.`,
    );
    return reply.redirect(`/initiatives/${id}/risks`, 303);
  });
};
