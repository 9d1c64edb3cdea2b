// Shared delivery chains as pages (issue 15, point 3; paper sections 2.2.1 and 3.2): one chain that
// crosses organisations — police → Crown Prosecution Service → magistrates' court — convened by an
// institution, each stage owned by the member that runs it.
//  - /sector/chains — the institution's convened chains and a form to share one of its own chains;
//    a member's chains in which it owns a stage (visible while it shares chain measures).
//  - /sector/chains/:id — the whole chain as the chain engine reads it (bottleneck, diagram, how busy
//    each organisation's stage is, results) and each of its interventions read across organisations:
//    where the bottleneck goes, and which organisation's stage an improvement elsewhere overloads.
//    The institution names each stage's owner here; the full chain pages stay the institution's.
//  - /sector/chains/:id/stages/:stageId — the owner's form for its stage's figures. Anyone else's
//    stage, a chain the caller cannot see, or a withdrawn consent: 404, and nothing changes.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { analyseChain, type DeliveryChain } from '../../domain/chain/index.ts';
import {
  applyStageFigures,
  figureChanges,
  hasStaff,
  readSharedScenarios,
  stageFigures,
  type StageFigures,
} from '../../domain/sector/index.ts';
import type { SharedChain } from '../../storage/index.ts';
import { analysisView } from '../chains/view.ts';
import { formErrors, parseForm, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import { hasRole, type Services } from '../principal.ts';

const uuid = z.uuid();
const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' && uuid.safeParse(value).success ? value : undefined;

type Crumb = { text: string; href?: string };
const crumbs = (...rest: Crumb[]): Crumb[] => [
  { text: 'Home', href: '/' },
  { text: 'Shared delivery chains', href: '/sector/chains' },
  ...rest,
];

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** A number field: required, within bounds, with a message naming the field. */
const numberField = (label: string, min: number, max: number, whole = false) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .regex(/^\d+(\.\d+)?$/, `Enter ${label} as a number, like ${whole ? '4' : '2.5'}`)
    .transform(Number)
    .refine((n) => !whole || Number.isInteger(n), `Enter ${label} as a whole number`)
    .refine((n) => n >= min && n <= max, `Enter ${label} between ${min} and ${max}`);

const stageSchema = (staffed: boolean, rework: boolean) =>
  z.object({
    revision: z.string().regex(/^\d+$/).transform(Number),
    meanHours: numberField('the hours per case', 0.01, 10_000),
    ...(staffed
      ? {
          servers: numberField('the number of staff', 1, 10_000, true),
          costPerServerHour: numberField('the cost per staff hour', 0, 100_000),
        }
      : {}),
    ...(rework ? { reworkPercent: numberField('the share sent back', 0, 99) } : {}),
  });

/** The view of a shared chain: the engine's analysis, owners, and scenarios across organisations. */
function chainPage(shared: SharedChain, organisationId: string) {
  const chain = shared.model;
  const analysis = analyseChain(chain);
  const owners = new Map(shared.stages.map((s) => [s.stageId, s]));
  const scenarios = readSharedScenarios(chain, analysis);
  return {
    chain,
    analysis,
    view: analysisView(chain, analysis),
    stages: chain.stages.map((s) => {
      const a = analysis.stages.find((x) => x.id === s.id);
      const owner = owners.get(s.id);
      return {
        id: s.id,
        name: s.name,
        organisation: s.organisation,
        ownerId: owner?.ownerId ?? null,
        ownerName: owner?.ownerName ?? `${shared.institutionName} (not assigned)`,
        mine: owner?.ownerId === organisationId,
        busy: a && a.role === 'staffed' ? pct(a.utilisation) : '–',
        isBottleneck: analysis.bottleneck.stageId === s.id,
      };
    }),
    scenarios: scenarios.map((s) => ({
      ...s,
      loadRows: s.loads.map((l) => [
        { text: `${l.name} (${l.organisation})` },
        { text: pct(l.before), format: 'numeric' },
        { text: pct(l.after), format: 'numeric' },
        {
          text: l.after >= 1 ? 'Overloaded' : l.changedHere ? 'Changed here' : 'Knock-on only',
        },
      ]),
    })),
  };
}

export const sharedChainRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const signedIn = { preHandler: requireSignIn };
  const lead = { preHandler: requireRole('lead') };

  const sharedFrom = async (request: FastifyRequest): Promise<SharedChain | undefined> => {
    const id = idOf((request.params as Record<string, unknown>).id);
    return id ? request.scope.sharedChains.get(id) : undefined;
  };

  const listPage = async (request: FastifyRequest, reply: FastifyReply, errors?: FormErrors) => {
    const organisation = await request.scope.organisation();
    const institution = organisation.kind === 'strategic_institution';
    const role = request.principal?.role ?? 'viewer';
    if (institution) {
      const convened = await request.scope.sharedChains.convened();
      const taken = new Set(convened.map((c) => c.chainId));
      const own = (await request.scope.chains.list()).filter((c) => !taken.has(c.id));
      return reply.page('pages/sector/chains.njk', {
        title: 'Shared delivery chains',
        breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'Shared delivery chains' }],
        institution,
        convened,
        canConvene: hasRole(role, 'lead'),
        chainItems: [
          { value: '', text: 'Choose a chain' },
          ...own.map((c) => ({ value: c.id, text: c.name })),
        ],
        errors: errors?.list,
        fieldErrors: errors?.byField,
      });
    }
    const chains = await request.scope.sharedChains.ownedStages();
    return reply.page('pages/sector/chains.njk', {
      title: 'Shared delivery chains',
      breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'Shared delivery chains' }],
      institution,
      chains: chains.map((c) => ({
        ...c,
        mine: c.stages.filter((s) => s.ownerId === organisation.id).length,
      })),
    });
  };

  app.get('/sector/chains', signedIn, async (request, reply) => listPage(request, reply));

  app.post('/sector/chains', lead, async (request, reply) => {
    const organisation = await request.scope.organisation();
    if (organisation.kind !== 'strategic_institution') return notFound(reply);
    const form = parseForm(
      z.object({ chainId: z.uuid({ error: 'Choose one of your chains to share' }) }),
      request.body,
    );
    const id = form.ok ? await request.scope.sharedChains.convene(form.data.chainId) : undefined;
    if (!id) {
      reply.code(400);
      return listPage(
        request,
        reply,
        formErrors([['chainId', 'Choose one of your chains that is not shared yet']]),
      );
    }
    reply.flash('Chain shared. Now name the member organisation that owns each stage.');
    return reply.redirect(`/sector/chains/${id}`, 303);
  });

  const sharedPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    shared: SharedChain,
    errors?: FormErrors,
  ) => {
    const role = request.principal?.role ?? 'viewer';
    const page = chainPage(shared, request.scope.organisationId);
    const members =
      shared.as === 'institution'
        ? (await request.scope.sector.members()).filter((m) => m.status === 'active')
        : [];
    return reply.page('pages/sector/chain.njk', {
      title: shared.name,
      breadcrumbs: crumbs({ text: shared.name }),
      shared,
      ...page,
      isInstitution: shared.as === 'institution',
      canAssign: shared.as === 'institution' && hasRole(role, 'lead'),
      canEdit: shared.as === 'member' && hasRole(role, 'lead'),
      ownerItems: (stageId: string, current: string | null) => [
        { value: '', text: `${shared.institutionName} (not assigned)`, selected: current === null },
        ...members.map((m) => ({
          value: m.memberId,
          text:
            m.memberName +
            (m.sharing.includes('chain_measures') ? '' : ' (not sharing chain measures yet)'),
          selected: m.memberId === current,
        })),
      ],
      errors: errors?.list,
      fieldErrors: errors?.byField,
    });
  };

  app.get('/sector/chains/:id', signedIn, async (request, reply) => {
    const shared = await sharedFrom(request);
    if (!shared) return notFound(reply);
    return sharedPage(request, reply, shared);
  });

  app.post('/sector/chains/:id/owners', lead, async (request, reply) => {
    const shared = await sharedFrom(request);
    if (!shared || shared.as !== 'institution') return notFound(reply);
    const body = (request.body as Record<string, unknown> | undefined) ?? {};
    const members = new Set(
      (await request.scope.sector.members())
        .filter((m) => m.status === 'active')
        .map((m) => m.memberId),
    );
    const chosen: [string, string | null][] = [];
    const problems: [string, string][] = [];
    for (const stage of shared.model.stages) {
      const raw = body[`owner-${stage.id}`];
      if (raw === undefined) continue;
      const value = typeof raw === 'string' ? raw : '';
      if (value === '') chosen.push([stage.id, null]);
      else if (members.has(value)) chosen.push([stage.id, value]);
      else problems.push([`owner-${stage.id}`, `Choose one of your members for ${stage.name}`]);
    }
    if (problems.length > 0) {
      reply.code(400);
      return sharedPage(request, reply, shared, formErrors(problems));
    }
    await request.scope.transaction(async (scope) => {
      for (const [stageId, owner] of chosen)
        await scope.sharedChains.assignStage(shared.id, stageId, owner);
    });
    reply.flash('Stage owners saved. Each owner can now change its own stage’s figures.');
    return reply.redirect(`/sector/chains/${shared.id}`, 303);
  });

  app.post('/sector/chains/:id/stop', lead, async (request, reply) => {
    const shared = await sharedFrom(request);
    if (!shared || shared.as !== 'institution') return notFound(reply);
    await request.scope.sharedChains.stop(shared.id);
    reply.flash(`‘${shared.name}’ is no longer shared. It stays among your own chains.`);
    return reply.redirect('/sector/chains', 303);
  });

  // ---- a member's own stage ----

  const ownStage = async (request: FastifyRequest) => {
    const shared = await sharedFrom(request);
    const stageId = (request.params as Record<string, unknown>).stageId;
    if (!shared || shared.as !== 'member' || typeof stageId !== 'string') return undefined;
    const owned = shared.stages.find(
      (s) => s.stageId === stageId && s.ownerId === request.scope.organisationId,
    );
    const stage = shared.model.stages.find((s) => s.id === stageId);
    const figures = stageFigures(shared.model, stageId);
    if (!owned || !stage || !figures) return undefined;
    return { shared, stage, figures };
  };

  const stagePage = (
    reply: FastifyReply,
    found: NonNullable<Awaited<ReturnType<typeof ownStage>>>,
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) =>
    reply.page('pages/sector/chain-stage.njk', {
      title: `Your stage: ${found.stage.name}`,
      breadcrumbs: crumbs(
        { text: found.shared.name, href: `/sector/chains/${found.shared.id}` },
        { text: found.stage.name },
      ),
      shared: found.shared,
      stage: found.stage,
      staffed: hasStaff(found.stage),
      pooled: found.stage.pool !== undefined,
      rework: found.figures.reworkShare !== null,
      values,
      errors: errors?.list,
      fieldErrors: errors?.byField,
    });

  const valuesOf = (f: StageFigures, revision: number) => ({
    revision: String(revision),
    servers: String(f.servers),
    meanHours: String(Math.round(f.meanHours * 1000) / 1000),
    costPerServerHour: String(f.costPerServerHour),
    reworkPercent: f.reworkShare === null ? '' : String(Math.round(f.reworkShare * 1000) / 10),
  });

  app.get('/sector/chains/:id/stages/:stageId', lead, async (request, reply) => {
    const found = await ownStage(request);
    if (!found) return notFound(reply);
    return stagePage(reply, found, valuesOf(found.figures, found.shared.revision));
  });

  app.post('/sector/chains/:id/stages/:stageId', lead, async (request, reply) => {
    const found = await ownStage(request);
    if (!found) return notFound(reply);
    const { shared, stage, figures } = found;
    const form = parseForm(
      stageSchema(hasStaff(stage) && stage.pool === undefined, figures.reworkShare !== null),
      request.body,
    );
    if (!form.ok) {
      reply.code(400);
      return stagePage(reply, found, form.values, form.errors);
    }
    const typed = (request.body as Record<string, unknown> | undefined) ?? {};
    const data = form.data as {
      revision: number;
      meanHours: number;
      servers?: number;
      costPerServerHour?: number;
      reworkPercent?: number;
    };
    const next: StageFigures = {
      servers: data.servers ?? figures.servers,
      meanHours: data.meanHours,
      costPerServerHour: data.costPerServerHour ?? figures.costPerServerHour,
      reworkShare:
        figures.reworkShare === null || data.reworkPercent === undefined
          ? figures.reworkShare
          : data.reworkPercent / 100,
    };
    const applied = applyStageFigures(shared.model, stage.id, next);
    if (!applied.ok) {
      reply.code(400);
      return stagePage(
        reply,
        found,
        typed,
        formErrors([['meanHours', applied.issues.map((i) => i.message).join('; ')]]),
      );
    }
    const before = analyseChain(shared.model).bottleneck;
    const after = analyseChain(applied.chain).bottleneck;
    const outcome = await request.scope.sharedChains.updateOwnStage(
      shared.id,
      stage.id,
      data.revision,
      applied.chain as DeliveryChain,
      { changes: figureChanges(figures, next) },
    );
    if (outcome === false) return notFound(reply);
    if (outcome === 'conflict') {
      reply.code(409);
      const fresh = await request.scope.sharedChains.get(shared.id);
      const freshFigures = fresh ? stageFigures(fresh.model, stage.id) : undefined;
      return stagePage(
        reply,
        fresh && freshFigures ? { shared: fresh, stage, figures: freshFigures } : found,
        freshFigures && fresh ? valuesOf(freshFigures, fresh.revision) : typed,
        formErrors([
          [
            'meanHours',
            'Someone changed this chain while you were editing. The figures below are the latest; enter your change again.',
          ],
        ]),
      );
    }
    reply.flash(
      before.stageId === after.stageId
        ? `Figures of ${stage.name} saved. The bottleneck is still ${after.name}.`
        : `Figures of ${stage.name} saved. The bottleneck has moved from ${before.name} to ${after.name}.`,
    );
    return reply.redirect(`/sector/chains/${shared.id}`, 303);
  });
};
