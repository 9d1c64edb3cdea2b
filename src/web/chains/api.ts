// The delivery-chain part of the JSON API (Bearer tokens only, like the rest of /api): list the
// organisation's chains, fetch one as its JSON document with the bottleneck and headline results,
// and import a chain (leads). The zod schemas validate requests and describe the routes in the
// OpenAPI document; the chain document itself is checked by the engine's parseChain.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { analyseChain, parseChain } from '../../domain/chain/index.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { errorSchema, secured } from '../api.ts';

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

export const chainApiRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
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
};
