// The sector part of the JSON API (Bearer tokens only, like the rest of /api): the benchmarks an
// institution keeps, as the institution or one of its active members sees them, with exactly the
// consent and suppression rules of the pages (both are drawn from `benchmarksFor`): a hidden figure
// comes back as `shown: false` with its reason and no number.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { errorSchema, secured } from '../api.ts';
import { benchmarksFor } from './benchmarks.ts';

const figureSchema = z
  .object({
    shown: z.boolean(),
    organisations: z.number().int().optional(),
    lowerQuartile: z.number().optional(),
    median: z.number().optional(),
    upperQuartile: z.number().optional(),
    periodFrom: z.string().optional(),
    periodTo: z.string().optional(),
    hidden: z.enum(['too-few', 'protects-another-group', 'no-data']).optional(),
  })
  .meta({
    id: 'BenchmarkFigure',
    title: 'Benchmark figure',
    description:
      'Quartiles and median across sharing members, with how many organisations and the period they cover; or, when hidden, only why.',
  });

const ownSchema = z
  .object({
    value: z.number(),
    quarter: z
      .enum(['best', 'better-than-median', 'at-median', 'worse-than-median', 'worst'])
      .nullable(),
  })
  .nullable();

const benchmarksSchema = z
  .object({
    institution: z.string(),
    minimumOrganisations: z.number().int(),
    computedAt: z.string(),
    percentileMethod: z.string(),
    membersSharing: z.object({ results: z.number().int(), chainMeasures: z.number().int() }),
    peerGroups: z.array(z.string()),
    peerGroup: z.string().nullable(),
    capabilities: z.array(
      z.object({
        capabilityId: z.string(),
        name: z.string(),
        allMembers: figureSchema,
        peerGroupFigure: figureSchema.nullable(),
        own: ownSchema,
      }),
    ),
    services: z.array(
      z.object({
        serviceType: z.string(),
        name: z.string(),
        measures: z.array(
          z.object({
            key: z.string(),
            name: z.string(),
            lowerIsBetter: z.boolean(),
            allMembers: figureSchema,
            own: ownSchema,
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'SectorBenchmarks', title: 'Sector benchmarks' });

export const sectorApiRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/sector/benchmarks',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Sector benchmarks',
        description:
          'Capability levels (1 Outstanding to 5 Inadequate) and delivery-chain measures across the members that share them with an institution (paper section 4.5, capability 10). Any figure from fewer than the minimum number of organisations (at least 5) is hidden, and so is a peer group whose difference from the whole would reveal a smaller one. An institution’s token sees its own benchmarks; a member’s token sees those of an institution it is an active member of, with its own position.',
        tags: ['sector'],
        security: secured,
        querystring: z.object({
          institution: z
            .uuid()
            .optional()
            .describe('For a member: which institution (default: the first).'),
          group: z.string().max(60).optional().describe('A peer group to show beside all members.'),
        }),
        response: { 200: benchmarksSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const found = await benchmarksFor(services, request, request.query);
      if (!found || !found.doc) {
        return reply.code(404).send({
          error: 'not_found',
          message: 'No such institution among your organisation’s sector memberships',
        });
      }
      // The document's arrays are read-only; the schema's type is the same shape, writable.
      return found.doc as z.infer<typeof benchmarksSchema>;
    },
  );
};
