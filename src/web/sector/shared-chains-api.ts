// Shared delivery chains in the JSON API (issue 15, points 3 and 9), with exactly the rules of the
// pages: both read through `OrgScope.sharedChains`, so an institution sees the chains it convened,
// and a member sees a chain only while it owns a stage of it, is an active member and shares chain
// measures with the institution. Anything else is "not found".
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { analyseChain } from '../../domain/chain/index.ts';
import { readSharedScenarios } from '../../domain/sector/index.ts';
import { requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { errorSchema, idParams, secured } from '../api.ts';

const stageSchema = z.object({
  stageId: z.string(),
  name: z.string(),
  organisation: z.string(),
  owner: z.string().nullable().describe('The member organisation that owns the stage'),
  utilisation: z.number().nullable(),
});

const summarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    institution: z.string(),
    revision: z.number().int(),
    updatedAt: z.string(),
    owners: z.array(z.object({ stageId: z.string(), owner: z.string() })),
    visible: z.boolean(),
  })
  .meta({ id: 'SharedChainSummary', title: 'Shared delivery chain (summary)' });

const chainSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    institution: z.string(),
    revision: z.number().int(),
    bottleneck: z.object({ stageId: z.string(), name: z.string(), explanation: z.string() }),
    stable: z.boolean(),
    stages: z.array(stageSchema),
    scenarios: z.array(
      z.object({
        interventionId: z.string(),
        name: z.string(),
        bottleneckAfter: z.string(),
        stable: z.boolean(),
        findings: z.array(z.string()),
        loads: z.array(z.object({ stageId: z.string(), before: z.number(), after: z.number() })),
      }),
    ),
  })
  .meta({ id: 'SharedChain', title: 'Shared delivery chain' });

export const sharedChainApiRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/sector/chains',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Shared delivery chains',
        description:
          'For an institution, the chains it shares with its members; for a member, the shared chains in which it owns a stage, with `visible` false while it does not share chain measures with that institution (paper section 2.2.1: chains that cross organisations).',
        tags: ['sector'],
        security: secured,
        response: { 200: z.array(summarySchema), 401: errorSchema },
      },
    },
    async (request) => {
      const organisation = await request.scope.organisation();
      const list =
        organisation.kind === 'strategic_institution'
          ? (await request.scope.sharedChains.convened()).map((c) => ({ ...c, visible: true }))
          : await request.scope.sharedChains.ownedStages();
      return list.map((c) => ({
        id: c.id,
        name: c.name,
        institution: c.institutionName,
        revision: c.revision,
        updatedAt: c.updatedAt,
        owners: c.stages.map((s) => ({ stageId: s.stageId, owner: s.ownerName })),
        visible: c.visible,
      }));
    },
  );

  api.get(
    '/api/sector/chains/:id',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'One shared delivery chain, whole',
        description:
          'Its bottleneck, how busy each organisation’s stage is, and each intervention read across organisations (where the bottleneck goes, which stage becomes overloaded). Not found unless the caller convened it, or owns a stage of it and shares chain measures with the institution.',
        tags: ['sector'],
        security: secured,
        params: idParams,
        response: { 200: chainSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const shared = await request.scope.sharedChains.get(request.params.id);
      if (!shared)
        return reply.code(404).send({ error: 'not_found', message: 'No such shared chain' });
      const chain = shared.model;
      const analysis = analyseChain(chain);
      const owners = new Map(shared.stages.map((s) => [s.stageId, s.ownerName]));
      return {
        id: shared.id,
        name: shared.name,
        institution: shared.institutionName,
        revision: shared.revision,
        bottleneck: {
          stageId: analysis.bottleneck.stageId,
          name: analysis.bottleneck.name,
          explanation: analysis.bottleneck.explanation,
        },
        stable: analysis.stable,
        stages: analysis.stages.map((s) => ({
          stageId: s.id,
          name: s.name,
          organisation: s.organisation,
          owner: owners.get(s.id) ?? null,
          utilisation: s.role === 'staffed' ? s.utilisation : null,
        })),
        scenarios: readSharedScenarios(chain, analysis).map((s) => ({
          interventionId: s.interventionId,
          name: s.name,
          bottleneckAfter: s.bottleneckAfter.name,
          stable: s.stable,
          findings: [...s.findings],
          loads: s.loads.map((l) => ({ stageId: l.stageId, before: l.before, after: l.after })),
        })),
      };
    },
  );
};
