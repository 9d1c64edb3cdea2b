// The delivery-chain part of the JSON API (Bearer tokens only, like the rest of /api): list the
// organisation's chains, fetch one as its JSON document with the bottleneck and headline results,
// import a chain and replace it at a known revision (leads), its interventions (list; add, replace
// and remove for leads), and simulations run as jobs and read back. The zod schemas validate
// requests and describe the routes in the OpenAPI document; the chain document itself is checked by
// the engine's parseChain, so the API accepts exactly what the pages and the import accept.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { analyseChain, parseChain, type DeliveryChain } from '../../domain/chain/index.ts';
import {
  SIMULATION_LIMITS,
  chainWithInterventions,
  simulationEvents,
  tooBusyMessage,
} from '../../services/chainSimulations.ts';
import { CHAINS_SIMULATE } from '../../jobs/chain-simulate.ts';
import type { StoredChain } from '../../storage/index.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { errorSchema, secured } from '../api.ts';
import { MAX_INTERVENTIONS } from './results.ts';

const issuesSchema = errorSchema.extend({
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});

const summarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    revision: z.number().int(),
    stages: z.number().int(),
    interventions: z.number().int(),
    organisations: z.array(z.string()),
    updatedAt: z.string(),
  })
  .meta({ id: 'DeliveryChainSummary', title: 'Delivery chain (summary)' });

const resultsSchema = z
  .object({
    bottleneck: z.object({
      stageId: z.string(),
      name: z.string(),
      utilisation: z.number(),
      extraServersNeeded: z.number(),
      explanation: z.string(),
    }),
    stable: z.boolean(),
    demandPerWeek: z.number(),
    throughputPerWeek: z.number(),
    maxThroughputPerWeek: z.number().nullable(),
    backlogGrowthPerWeek: z.number(),
    leadTimeHours: z.number().nullable(),
    costPerOutput: z.number().nullable(),
    outcomesPerWeek: z.number(),
    utilisation: z.record(z.string(), z.number()),
  })
  .meta({ id: 'DeliveryChainResults', title: 'Delivery chain results (closed forms)' });

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

const chainParams = z.object({ id: z.string().max(100) });
const interventionParams = z.object({ id: z.string().max(100), iid: z.string().max(100) });
const revisionField = z
  .number()
  .int()
  .positive()
  .describe(
    'The revision the change was made against (from GET /api/chains/{id}); 409 if the chain has moved on since',
  );

const staleSchema = errorSchema
  .extend({ revision: z.number().int().describe('The chain’s revision now') })
  .meta({ id: 'StaleRevision', title: 'The chain changed since that revision' });

const interventionSchema = z
  .looseObject({
    id: z.string().max(100).describe('A short id, unique in the chain (letters, digits, - and _)'),
    name: z.string().max(200),
    description: z.string().max(2000).optional(),
    changes: z
      .array(z.looseObject({ kind: z.string() }))
      .min(1)
      .max(50)
      .describe(
        'What the intervention changes, in the chain document’s format (see `throughline chain` and the import page): each change names its kind and the stage, input or output it applies to',
      ),
    typologyCells: z.array(z.number().int().min(1).max(6)).optional(),
  })
  .meta({ id: 'ChainIntervention', title: 'Intervention on a delivery chain' });

const estimateSchema = z
  .object({
    mean: z.number().nullable(),
    halfWidth: z.number().nullable().describe('Half the width of the confidence interval'),
    low: z.number().nullable(),
    high: z.number().nullable(),
  })
  .meta({ id: 'Estimate', title: 'A simulated figure with its confidence interval' });

const simulationResultSchema = z
  .object({
    replications: z.number().int(),
    confidence: z.number(),
    horizonHours: z.number(),
    warmupHours: z.number(),
    warmup: z.object({
      method: z.enum(['mser-5', 'fixed', 'none']),
      settled: z.boolean(),
      explanation: z.string(),
    }),
    hoursPerWeek: z.number(),
    events: z.number(),
    throughputPerWeek: estimateSchema,
    leadTimeHours: z.object({ mean: estimateSchema, median: estimateSchema, p90: estimateSchema }),
    wip: estimateSchema,
    backlogAtEnd: estimateSchema,
    outcomesPerWeek: estimateSchema,
    costPerOutput: estimateSchema,
    stages: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        utilisation: estimateSchema,
        waitingHours: estimateSchema,
        meanAtStage: estimateSchema,
      }),
    ),
    outputs: z.array(z.object({ id: z.string(), name: z.string(), perWeek: estimateSchema })),
    bindingConstraint: z.object({
      stageId: z.string(),
      name: z.string(),
      replications: z.number().int(),
      explanation: z.string(),
    }),
    notes: z.array(z.string()),
  })
  .meta({
    id: 'ChainSimulationResult',
    title: 'Figures of a simulation (as the simulate page shows)',
  });

const settingsSchema = z.object({
  seed: z.number().int().min(SIMULATION_LIMITS.seed.min).max(SIMULATION_LIMITS.seed.max),
  replications: z
    .number()
    .int()
    .min(SIMULATION_LIMITS.replications.min)
    .max(SIMULATION_LIMITS.replications.max),
  weeks: z.number().int().min(SIMULATION_LIMITS.weeks.min).max(SIMULATION_LIMITS.weeks.max),
});

const simulationSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    progress: z.number(),
    message: z.string(),
    chainId: z.uuid(),
    revision: z.number().int(),
    settings: settingsSchema,
    interventions: z.array(z.string()),
    result: simulationResultSchema.nullable(),
    error: z.string().nullable(),
  })
  .meta({
    id: 'ChainSimulation',
    title: 'A simulation of a delivery chain, and its figures once run',
  });

const simulationPayload = z.object({
  chainId: z.uuid(),
  revision: z.number().int(),
  settings: settingsSchema,
  interventions: z.array(z.string()),
});

const notFoundChain = { error: 'not_found', message: 'No such delivery chain' } as const;

/** The chain named by the path, if it is one of the caller's organisation's. */
async function chainOf(request: FastifyRequest): Promise<StoredChain | undefined> {
  const id = z.uuid().safeParse((request.params as { id?: string }).id);
  return id.success ? request.scope.chains.get(id.data) : undefined;
}

/** The chain checked by the engine, or its issues in the API's shape. */
function checkedChain(raw: unknown) {
  const parsed = parseChain(raw);
  if (parsed.ok) return parsed;
  return {
    ok: false as const,
    body: {
      error: 'invalid_chain',
      message: 'The chain document has problems; nothing was stored',
      issues: [...parsed.issues],
    },
  };
}

export const chainApiRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/chains',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Delivery chains',
        description: 'The organisation’s delivery chains (paper section 2.2.1).',
        tags: ['chains'],
        security: secured,
        response: { 200: z.object({ chains: z.array(summarySchema) }), 401: errorSchema },
      },
    },
    async (request) => ({
      chains: (await request.scope.chains.list()).map((c) => ({
        id: c.id,
        name: c.name,
        description: c.description,
        revision: c.revision,
        stages: c.stageCount,
        interventions: c.interventionCount,
        organisations: [...c.organisations],
        updatedAt: c.updatedAt,
      })),
    }),
  );

  api.get(
    '/api/chains/:id',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'One delivery chain',
        description:
          'The chain as its JSON document (the format of `throughline chain` and of the import page), with its bottleneck and headline results from the closed forms.',
        tags: ['chains'],
        security: secured,
        params: z.object({ id: z.string().max(100) }),
        response: {
          200: z.object({
            id: z.uuid(),
            revision: z.number().int(),
            chain: z.record(z.string(), z.unknown()),
            results: resultsSchema,
          }),
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const id = z.uuid().safeParse(request.params.id);
      const stored = id.success ? await request.scope.chains.get(id.data) : undefined;
      if (!stored) {
        return reply.code(404).send({ error: 'not_found', message: 'No such delivery chain' });
      }
      const a = analyseChain(stored.model);
      return {
        id: stored.id,
        revision: stored.revision,
        chain: JSON.parse(JSON.stringify(stored.model)) as Record<string, unknown>,
        results: {
          bottleneck: {
            stageId: a.bottleneck.stageId,
            name: a.bottleneck.name,
            utilisation: a.bottleneck.utilisation,
            extraServersNeeded: a.bottleneck.extraServersNeeded,
            explanation: a.bottleneck.explanation,
          },
          stable: a.stable,
          demandPerWeek: a.demandPerWeek,
          throughputPerWeek: a.throughputPerWeek,
          maxThroughputPerWeek: finite(a.maxThroughputPerWeek),
          backlogGrowthPerWeek: a.backlogGrowthPerWeek,
          leadTimeHours: a.leadTimeHours,
          costPerOutput: finite(a.cost.perOutput),
          outcomesPerWeek: a.outcomesPerWeek,
          utilisation: Object.fromEntries(a.stages.map((s) => [s.id, s.utilisation])),
        },
      };
    },
  );

  api.post(
    '/api/chains',
    {
      preHandler: requireRole('lead'),
      bodyLimit: 512 * 1024,
      schema: {
        summary: 'Import a delivery chain',
        description:
          'Stores a chain document (leads and admins). Nothing is stored if any check fails; each issue names the field and the stage.',
        tags: ['chains'],
        security: secured,
        body: z.unknown(),
        response: {
          201: z.object({ id: z.uuid() }),
          400: issuesSchema,
          401: errorSchema,
          403: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const parsed = parseChain(request.body);
      if (!parsed.ok) {
        return reply.code(400).send({
          error: 'invalid_chain',
          message: 'The chain document has problems; nothing was stored',
          issues: [...parsed.issues],
        });
      }
      const id = await request.scope.chains.create(parsed.chain, 'imported');
      return reply.code(201).send({ id });
    },
  );

  /** Writes a changed chain at the revision the caller saw (or the current one); answers for it. */
  const save = async (
    request: FastifyRequest,
    reply: FastifyReply,
    stored: StoredChain,
    model: DeliveryChain,
    revision: number | undefined,
    action:
      | 'chain.updated'
      | 'chain.intervention_added'
      | 'chain.intervention_updated'
      | 'chain.intervention_removed',
    details: Record<string, unknown>,
  ): Promise<number | undefined> => {
    const outcome = await request.scope.chains.updateAtRevision(
      stored.id,
      model,
      { action, details: { ...details, via: 'api' } },
      revision ?? stored.revision,
    );
    if (outcome === 'missing') {
      await reply.code(404).send(notFoundChain);
      return undefined;
    }
    if (outcome === 'stale') {
      const now = await request.scope.chains.get(stored.id);
      await reply.code(409).send({
        error: 'stale_revision',
        message: `The chain was changed since revision ${revision ?? stored.revision}; read it again and repeat the change against revision ${now?.revision ?? stored.revision}`,
        revision: now?.revision ?? stored.revision,
      });
      return undefined;
    }
    return (revision ?? stored.revision) + 1;
  };

  const stale = (reply: FastifyReply, stored: StoredChain, revision: number) =>
    reply.code(409).send({
      error: 'stale_revision',
      message: `The chain was changed since revision ${revision}; read it again and repeat the change against revision ${stored.revision}`,
      revision: stored.revision,
    });

  api.put(
    '/api/chains/:id',
    {
      preHandler: requireRole('lead'),
      bodyLimit: 512 * 1024,
      schema: {
        summary: 'Replace a delivery chain',
        description:
          'Replaces the chain with a new version of its document (leads and admins), only if it is still at `revision`: otherwise 409 with the current revision, and nothing is stored. Checked exactly as an import is; each issue names the field and the stage. Saved scenarios that name an intervention the new version no longer has are removed. Audited.',
        tags: ['chains'],
        security: secured,
        params: chainParams,
        body: z.object({
          revision: revisionField,
          chain: z.record(z.string(), z.unknown()).describe('The chain document'),
        }),
        response: {
          200: z.object({ id: z.uuid(), revision: z.number().int() }),
          400: issuesSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
          409: staleSchema,
        },
      },
    },
    async (request, reply) => {
      const stored = await chainOf(request);
      if (!stored) return reply.code(404).send(notFoundChain);
      if (stored.revision !== request.body.revision)
        return stale(reply, stored, request.body.revision);
      const checked = checkedChain(request.body.chain);
      if (!checked.ok) return reply.code(400).send(checked.body);
      const revision = await save(
        request,
        reply,
        stored,
        checked.chain,
        request.body.revision,
        'chain.updated',
        { part: 'document' },
      );
      if (revision === undefined) return reply;
      return { id: stored.id, revision };
    },
  );

  api.get(
    '/api/chains/:id/interventions',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Interventions on a delivery chain',
        description:
          'The changes proposed to the chain, each with what it changes and its place in the paper’s six-cell typology (Figure 2) once chosen.',
        tags: ['chains'],
        security: secured,
        params: chainParams,
        response: {
          200: z.object({ revision: z.number().int(), interventions: z.array(interventionSchema) }),
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const stored = await chainOf(request);
      if (!stored) return reply.code(404).send(notFoundChain);
      return {
        revision: stored.revision,
        interventions: JSON.parse(JSON.stringify(stored.model.interventions)) as z.infer<
          typeof interventionSchema
        >[],
      };
    },
  );

  /** The chain with `intervention` in place of the one with its id (or added), checked. */
  const withIntervention = (
    stored: StoredChain,
    intervention: z.infer<typeof interventionSchema>,
    replacing: boolean,
  ) => {
    const interventions = replacing
      ? stored.model.interventions.map((i) => (i.id === intervention.id ? intervention : i))
      : [...stored.model.interventions, intervention];
    const checked = checkedChain({ ...stored.model, interventions });
    if (!checked.ok) return checked;
    const applies = chainWithInterventions(checked.chain, [intervention.id]);
    if (!applies.ok)
      return {
        ok: false as const,
        body: {
          error: 'invalid_chain',
          message: 'The intervention does not fit the chain; nothing was stored',
          issues: [{ path: `interventions.${intervention.id}.changes`, message: applies.message }],
        },
      };
    return checked;
  };

  api.post(
    '/api/chains/:id/interventions',
    {
      preHandler: requireRole('lead'),
      bodyLimit: 128 * 1024,
      schema: {
        summary: 'Add an intervention to a delivery chain',
        description: `Leads and admins. The intervention is checked against the chain as the pages check it (every change must apply); a chain holds at most ${MAX_INTERVENTIONS}. With \`revision\`, only if the chain is still at it (else 409). Audited.`,
        tags: ['chains'],
        security: secured,
        params: chainParams,
        body: z.object({ revision: revisionField.optional(), intervention: interventionSchema }),
        response: {
          201: z.object({ id: z.string(), revision: z.number().int() }),
          400: issuesSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
          409: staleSchema.or(errorSchema),
        },
      },
    },
    async (request, reply) => {
      const stored = await chainOf(request);
      if (!stored) return reply.code(404).send(notFoundChain);
      const { revision, intervention } = request.body;
      if (revision !== undefined && stored.revision !== revision)
        return stale(reply, stored, revision);
      if (stored.model.interventions.some((i) => i.id === intervention.id))
        return reply.code(409).send({
          error: 'duplicate_intervention',
          message: `The chain already has an intervention "${intervention.id}"; replace it with PUT /api/chains/${stored.id}/interventions/${intervention.id}`,
        });
      if (stored.model.interventions.length >= MAX_INTERVENTIONS)
        return reply.code(400).send({
          error: 'too_many_interventions',
          message: `A chain can hold ${MAX_INTERVENTIONS} interventions. Remove one before adding another`,
          issues: [],
        });
      const checked = withIntervention(stored, intervention, false);
      if (!checked.ok) return reply.code(400).send(checked.body);
      const saved = await save(
        request,
        reply,
        stored,
        checked.chain,
        revision,
        'chain.intervention_added',
        { intervention: intervention.id, name: intervention.name },
      );
      if (saved === undefined) return reply;
      return reply
        .code(201)
        .header('location', `/api/chains/${stored.id}/interventions`)
        .send({ id: intervention.id, revision: saved });
    },
  );

  api.put(
    '/api/chains/:id/interventions/:iid',
    {
      preHandler: requireRole('lead'),
      bodyLimit: 128 * 1024,
      schema: {
        summary: 'Replace an intervention on a delivery chain',
        description:
          'Leads and admins. The intervention keeps the id in the path. Checked as when adding; with `revision`, only if the chain is still at it (else 409). Audited.',
        tags: ['chains'],
        security: secured,
        params: interventionParams,
        body: z.object({ revision: revisionField.optional(), intervention: interventionSchema }),
        response: {
          200: z.object({ id: z.string(), revision: z.number().int() }),
          400: issuesSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
          409: staleSchema,
        },
      },
    },
    async (request, reply) => {
      const stored = await chainOf(request);
      if (!stored) return reply.code(404).send(notFoundChain);
      const { iid } = request.params;
      if (!stored.model.interventions.some((i) => i.id === iid))
        return reply
          .code(404)
          .send({ error: 'not_found', message: 'The chain has no such intervention' });
      const { revision } = request.body;
      if (revision !== undefined && stored.revision !== revision)
        return stale(reply, stored, revision);
      const intervention = { ...request.body.intervention, id: iid };
      const checked = withIntervention(stored, intervention, true);
      if (!checked.ok) return reply.code(400).send(checked.body);
      const saved = await save(
        request,
        reply,
        stored,
        checked.chain,
        revision,
        'chain.intervention_updated',
        { intervention: iid, name: intervention.name },
      );
      if (saved === undefined) return reply;
      return { id: iid, revision: saved };
    },
  );

  api.delete(
    '/api/chains/:id/interventions/:iid',
    {
      preHandler: requireRole('lead'),
      schema: {
        summary: 'Remove an intervention from a delivery chain',
        description:
          'Leads and admins. Saved scenarios that use it are removed with it, as on the pages. With `?revision=`, only if the chain is still at it (else 409). Audited.',
        tags: ['chains'],
        security: secured,
        params: interventionParams,
        querystring: z.object({ revision: z.coerce.number().int().positive().optional() }),
        response: {
          200: z.object({ revision: z.number().int() }),
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
          409: staleSchema,
        },
      },
    },
    async (request, reply) => {
      const stored = await chainOf(request);
      if (!stored) return reply.code(404).send(notFoundChain);
      const { iid } = request.params;
      const removed = stored.model.interventions.find((i) => i.id === iid);
      if (!removed)
        return reply
          .code(404)
          .send({ error: 'not_found', message: 'The chain has no such intervention' });
      const { revision } = request.query;
      if (revision !== undefined && stored.revision !== revision)
        return stale(reply, stored, revision);
      const model = {
        ...stored.model,
        interventions: stored.model.interventions.filter((i) => i.id !== iid),
      };
      const saved = await save(
        request,
        reply,
        stored,
        model,
        revision,
        'chain.intervention_removed',
        { intervention: iid, name: removed.name },
      );
      if (saved === undefined) return reply;
      return { revision: saved };
    },
  );

  api.post(
    '/api/chains/:id/simulations',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Simulate a delivery chain',
        description: `Starts a simulation with the simulate page's settings — the seed of the first run, the number of runs (${SIMULATION_LIMITS.replications.min}–${SIMULATION_LIMITS.replications.max}, default ${SIMULATION_LIMITS.replications.default}) and the weeks each runs (${SIMULATION_LIMITS.weeks.min}–${SIMULATION_LIMITS.weeks.max}, default ${SIMULATION_LIMITS.weeks.default}) — optionally with some of the chain's interventions applied first, in the order given. Answers 202 with the simulation's address (Location); read it with GET /api/simulations/{id} until its status is "succeeded" (the figures) or "failed" (why). A chain too big to simulate quickly is refused with 400 "too_busy".`,
        tags: ['chains'],
        security: secured,
        params: chainParams,
        body: z
          .object({
            revision: revisionField.optional(),
            seed: settingsSchema.shape.seed.default(SIMULATION_LIMITS.seed.default),
            replications: settingsSchema.shape.replications.default(
              SIMULATION_LIMITS.replications.default,
            ),
            weeks: settingsSchema.shape.weeks.default(SIMULATION_LIMITS.weeks.default),
            interventions: z.array(z.string().max(100)).max(MAX_INTERVENTIONS).default([]),
          })
          .default({
            seed: SIMULATION_LIMITS.seed.default,
            replications: SIMULATION_LIMITS.replications.default,
            weeks: SIMULATION_LIMITS.weeks.default,
            interventions: [],
          }),
        response: {
          202: z.object({ id: z.uuid(), status: z.literal('queued') }),
          400: errorSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
          409: staleSchema,
        },
      },
    },
    async (request, reply) => {
      const stored = await chainOf(request);
      if (!stored) return reply.code(404).send(notFoundChain);
      const { revision, seed, replications, weeks, interventions } = request.body;
      if (revision !== undefined && stored.revision !== revision)
        return stale(reply, stored, revision);
      const simulated = chainWithInterventions(stored.model, interventions);
      if (!simulated.ok)
        return reply.code(400).send({ error: 'invalid_interventions', message: simulated.message });
      const settings = { seed, replications, weeks };
      if (simulationEvents(simulated.chain, settings) > SIMULATION_LIMITS.events)
        return reply
          .code(400)
          .send({ error: 'too_busy', message: tooBusyMessage(simulated.chain) });
      const id = await services.jobs.enqueue(request.scope, CHAINS_SIMULATE, {
        chainId: stored.id,
        revision: stored.revision,
        settings,
        interventions,
      });
      return reply
        .code(202)
        .header('location', `/api/simulations/${id}`)
        .send({ id, status: 'queued' });
    },
  );

  api.get(
    '/api/simulations/:id',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'A simulation and its figures',
        description:
          'The simulation’s status and, once it has succeeded, its figures with their confidence intervals — the same numbers the chain’s simulate page shows for the same settings.',
        tags: ['chains'],
        security: secured,
        params: z.object({ id: z.string().max(100) }),
        response: { 200: simulationSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const id = z.uuid().safeParse(request.params.id);
      const job = id.success ? await request.scope.jobs.get(id.data) : undefined;
      const payload = simulationPayload.safeParse(job?.payload);
      if (!job || job.kind !== CHAINS_SIMULATE || !payload.success)
        return reply.code(404).send({ error: 'not_found', message: 'No such simulation' });
      const result =
        job.status === 'succeeded' ? simulationResultSchema.safeParse(job.result) : undefined;
      return {
        id: job.id,
        status: job.status,
        progress: job.progress,
        message: job.message,
        ...payload.data,
        result: result?.success ? result.data : null,
        error: job.error,
      };
    },
  );
};
