// The initiative register: the list, registering and changing an initiative, its page with the
// readiness verdict and the bottleneck check, and its lifecycle (idea → assessed → approved → in
// delivery → live → evaluated, or stopped with a reason).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { parseInitiativeInput } from '../../domain/initiatives/schema.ts';
import type { FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import type { Services } from '../principal.ts';
import { formChoices, formValues, initiativeFromForm, issuesAsErrors } from './form.ts';
import { canChange, crumbs, initiativeFrom, type Crumb } from './shared.ts';

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

export const initiativeRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
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
    const initiatives = await request.scope.initiatives.list();
    return reply.page('pages/initiatives/index.njk', {
      title: 'AI initiatives',
      breadcrumbs: crumbs().slice(0, 1),
      canChange: canChange(request),
      initiatives: initiatives.map((s) => s.initiative),
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
};
