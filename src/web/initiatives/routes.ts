// The initiative register: the list, registering and changing an initiative, its page with the
// readiness verdict and the bottleneck check, and its lifecycle (idea → assessed → approved → in
// delivery → live → evaluated, or stopped with a reason).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { COMPETENCIES } from '../../domain/initiatives/competencies.ts';
import {
  NEXT_STATUSES,
  STATUS_WORDS,
  transitionProblems,
} from '../../domain/initiatives/lifecycle.ts';
import { INITIATIVE_STATUSES, type InitiativeStatus } from '../../domain/initiatives/types.ts';
import { totalCost } from '../../domain/initiatives/portfolio.ts';
import { parseInitiativeInput } from '../../domain/initiatives/schema.ts';
import {
  chainCheckOf,
  latestAssessment,
  MODELLED_BY,
  readinessOf,
  readinessTableOf,
  readinessWith,
  snapshotOf,
} from '../../services/initiatives.ts';
import { formErrors } from '../forms.ts';
import { approvalBlockersFor } from './governance.ts';
import type { FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import type { Services } from '../principal.ts';
import { formChoices, formValues, initiativeFromForm, issuesAsErrors } from './form.ts';
import { AMBITION_NAMES, detailRows, readinessView, VERDICT_TAGS } from './view.ts';
import { canChange, canChangeSettings, crumbs, initiativeFrom, type Crumb } from './shared.ts';

/** Every chain of the organisation with its stages, for the "where it acts" choice. */
async function chainsWithStages(request: FastifyRequest) {
  const summaries = await request.scope.chains.list();
  const chains = await Promise.all(summaries.map((c) => request.scope.chains.get(c.id)));
  return chains.filter((c) => c !== undefined);
}

/** A chain and stage named by the form must be the organisation's own. */
async function unknownChainOrStage(
  request: FastifyRequest,
  chainId: string | null,
  stageId: string | null,
): Promise<string | undefined> {
  if (chainId === null) return undefined;
  const chain = await request.scope.chains.get(chainId);
  if (!chain) return 'Choose one of your delivery chains';
  if (stageId !== null && !chain.model.stages.some((s) => s.id === stageId)) {
    return `Choose a stage of the chain “${chain.name}”`;
  }
  return undefined;
}

export const initiativeRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const lead = { preHandler: requireRole('lead') };
  const signedIn = { preHandler: requireSignIn };

  async function showForm(
    request: FastifyRequest,
    page: { title: string; action: string; submitText: string; breadcrumbs: Crumb[] },
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) {
    const chains = await chainsWithStages(request);
    return {
      ...page,
      values,
      choices: formChoices(chains, values),
      ...(errors ? { errors: errors.list, fieldErrors: errors.byField } : {}),
    };
  }

  /** Reads the form; either the checked initiative or the form again with its errors. */
  async function readForm(request: FastifyRequest) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const raw = initiativeFromForm(body);
    const parsed = parseInitiativeInput(raw);
    const values = { ...body };
    delete values._csrf;
    if (!parsed.ok) return { ok: false as const, values, errors: issuesAsErrors(parsed.issues) };
    const problem = await unknownChainOrStage(
      request,
      parsed.initiative.chainId,
      parsed.initiative.stageId,
    );
    if (problem) {
      return {
        ok: false as const,
        values,
        errors: issuesAsErrors([{ path: 'chainId', message: problem }]),
      };
    }
    return { ok: true as const, initiative: parsed.initiative };
  }

  app.get('/initiatives', signedIn, async (request, reply) => {
    const [initiatives, assessment, { table }] = await Promise.all([
      request.scope.initiatives.list(),
      latestAssessment(request.scope, services.frameworks),
      readinessTableOf(request.scope),
    ]);
    return reply.page('pages/initiatives/index.njk', {
      title: 'AI initiatives',
      breadcrumbs: crumbs().slice(0, 1),
      canChange: canChange(request),
      canChangeSettings: canChangeSettings(request),
      assessmentNote: assessment?.note ?? null,
      initiatives: initiatives.map(({ initiative }) => ({
        id: initiative.id,
        title: initiative.title,
        status: STATUS_WORDS[initiative.status],
        ambition: AMBITION_NAMES[initiative.ambition],
        verdict: VERDICT_TAGS[readinessWith(initiative, assessment, table).result.verdict],
      })),
    });
  });

  const newPage = {
    title: 'Register an AI initiative',
    action: '/initiatives/new',
    submitText: 'Register the initiative',
    breadcrumbs: crumbs(undefined, { text: 'Register an initiative' }),
  };

  app.get('/initiatives/new', lead, async (request, reply) =>
    reply.page('pages/initiatives/form.njk', await showForm(request, newPage, {})),
  );

  app.post('/initiatives/new', lead, async (request, reply) => {
    const form = await readForm(request);
    if (!form.ok) {
      reply.code(400);
      return reply.page(
        'pages/initiatives/form.njk',
        await showForm(request, newPage, form.values, form.errors),
      );
    }
    const id = await request.scope.initiatives.create(form.initiative);
    reply.flash(`Registered “${form.initiative.title}”`);
    return reply.redirect(`/initiatives/${id}`, 303);
  });

  const editPage = (stored: NonNullable<Awaited<ReturnType<typeof initiativeFrom>>>) => ({
    title: `Change “${stored.initiative.title}”`,
    action: `/initiatives/${stored.initiative.id}/edit`,
    submitText: 'Save changes',
    breadcrumbs: crumbs(stored, { text: 'Change' }),
  });

  app.get('/initiatives/:id/edit', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    return reply.page(
      'pages/initiatives/form.njk',
      await showForm(request, editPage(stored), formValues(stored.initiative)),
    );
  });

  app.post('/initiatives/:id/edit', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const form = await readForm(request);
    if (!form.ok) {
      reply.code(400);
      return reply.page(
        'pages/initiatives/form.njk',
        await showForm(request, editPage(stored), form.values, form.errors),
      );
    }
    await request.scope.initiatives.update(stored.initiative.id, form.initiative);
    reply.flash(`Saved “${form.initiative.title}”`);
    return reply.redirect(`/initiatives/${stored.initiative.id}`, 303);
  });

  app.get('/initiatives/:id', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const { initiative } = stored;
    const [readiness, chainCheck, snapshots, blockers] = await Promise.all([
      readinessOf(request.scope, services.frameworks, initiative),
      chainCheckOf(request.scope, stored),
      request.scope.initiatives.snapshots(initiative.id),
      approvalBlockersFor(request.scope, stored),
    ]);
    const competency = COMPETENCIES.find((c) => c.id === initiative.competency);
    return reply.page('pages/initiatives/initiative.njk', {
      title: initiative.title,
      breadcrumbs: crumbs(stored).slice(0, 2),
      canChange: canChange(request),
      initiative,
      statusText: STATUS_WORDS[initiative.status],
      lifecycle: lifecycleView(initiative.status, {}),
      approvalBlockers: blockers.map((b) => b.message),
      competency,
      totalCost: totalCost(initiative),
      details: detailRows(initiative, chainCheck?.chain ?? null, competency),
      readiness: readinessView(readiness),
      verdictTag: VERDICT_TAGS[readiness.result.verdict],
      chainCheck,
      interventionItems: chainCheck
        ? [
            { value: '', text: 'None yet' },
            ...chainCheck.chain.model.interventions.map((i) => ({ value: i.id, text: i.name })),
          ].map((item) => ({ ...item, selected: item.value === (chainCheck.interventionId ?? '') }))
        : [],
      snapshots,
    });
  });

  app.post('/initiatives/:id/modelled-by', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const wanted = (request.body as Record<string, unknown> | undefined)?.interventionId;
    const chain = stored.initiative.chainId
      ? await request.scope.chains.get(stored.initiative.chainId)
      : undefined;
    if (typeof wanted !== 'string' || !chain) return notFound(reply);
    if (wanted !== '' && !chain.model.interventions.some((i) => i.id === wanted)) {
      reply.code(400);
      return reply.page('pages/errors/bad-request.njk', {
        title: 'That change is not in the chain',
        heading: 'That change is not in the chain',
        message: `Choose one of the interventions of “${chain.name}”.`,
      });
    }
    await request.scope.initiatives.setGovernance(
      stored.initiative.id,
      MODELLED_BY,
      wanted === '' ? null : wanted,
    );
    reply.flash(
      wanted === ''
        ? 'The initiative is no longer modelled'
        : 'Saved how the initiative is modelled',
    );
    return reply.redirect(`/initiatives/${stored.initiative.id}#bottleneck`, 303);
  });

  app.post('/initiatives/:id/status', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const { initiative } = stored;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const to = body.to;
    const liveFrom = typeof body.liveFrom === 'string' ? body.liveFrom.trim() : '';
    const stoppedReason = typeof body.stoppedReason === 'string' ? body.stoppedReason.trim() : '';
    const [readiness, blockers] = await Promise.all([
      readinessOf(request.scope, services.frameworks, initiative),
      approvalBlockersFor(request.scope, stored),
    ]);
    const problems =
      typeof to !== 'string' || !(INITIATIVE_STATUSES as readonly string[]).includes(to)
        ? ['Choose what happens next']
        : transitionProblems(initiative.status, to as InitiativeStatus, {
            verdict: readiness.result.verdict,
            blockers: blockers.map((b) => b.message),
            liveFrom,
            stoppedReason,
          });
    if (problems.length > 0) {
      const field = to === 'live' ? 'liveFrom' : to === 'stopped' ? 'stoppedReason' : 'to';
      // Every reason is listed in the summary (approval may be stopped by several); the field shows
      // the first.
      const errors = {
        list: problems.map((p) => ({ text: p, href: `#${field}` })),
        byField: formErrors([[field, problems[0] ?? '']]).byField,
      };
      reply.code(400);
      return reply.page('pages/initiatives/status.njk', {
        title: `What happens next to “${initiative.title}”`,
        breadcrumbs: crumbs(stored, { text: 'What happens next' }),
        initiative,
        lifecycle: lifecycleView(initiative.status, body),
        errors: errors.list,
        fieldErrors: errors.byField,
      });
    }
    const next = to as InitiativeStatus;
    // Approving keeps the verdict with what it was read against, in the same transaction, so a
    // later change of the readiness table or a new assessment never rewrites it.
    await request.scope.transaction(async (scope) => {
      await scope.initiatives.setStatus(initiative.id, next, {
        ...(next === 'live' ? { liveFrom } : {}),
        ...(next === 'stopped' ? { stoppedReason } : {}),
        ...(next === 'idea' ? { stoppedReason: null } : {}),
      });
      if (next === 'approved') {
        await scope.initiatives.addSnapshot(initiative.id, 'approved', snapshotOf(readiness));
      }
    });
    reply.flash(`“${initiative.title}” is now ${STATUS_WORDS[next].toLowerCase()}`);
    return reply.redirect(`/initiatives/${initiative.id}`, 303);
  });

  // The initiative as a file for `throughline readiness --initiative` (and other systems): what was
  // registered, with its id and status, in the form the command line reads.
  app.get('/initiatives/:id/initiative.json', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const { stoppedReason: _stopped, liveFrom: _live, ...file } = stored.initiative;
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="initiative-${file.id}.json"`)
      .header('cache-control', 'private, no-store')
      .send(JSON.stringify(file, null, 2));
  });
};

/** The lifecycle form: the statuses the initiative may move to, with what each needs. */
function lifecycleView(status: InitiativeStatus, values: Record<string, unknown>) {
  return {
    statusText: STATUS_WORDS[status],
    items: NEXT_STATUSES[status].map((s) => ({
      value: s,
      text: STATUS_WORDS[s],
      checked: values.to === s,
    })),
    values,
  };
}
