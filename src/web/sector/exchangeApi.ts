// The sector exchange in the JSON API (issue 15, point 9): list and search an institution's
// exchange, and read one item — with exactly the pages' membership rules (the institution itself
// or an active member; a publisher that left takes its items with it), since both read through
// `ExchangeStore`. Any other caller, or another tenant's id, gets 404.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EXCHANGE_KINDS } from '../../domain/sector/index.ts';
import { requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { errorSchema, idParams, secured } from '../api.ts';
import { capabilityChoices, exchangeContext, itemDocument } from './exchangeContext.ts';

const itemSchema = z
  .object({
    id: z.string(),
    kind: z.enum(EXCHANGE_KINDS),
    kindLabel: z.string(),
    title: z.string(),
    member: z.string().describe('The publishing member organisation'),
    capability: z.object({ id: z.string(), name: z.string() }).nullable(),
    fields: z.array(z.object({ name: z.string(), label: z.string(), value: z.string() })),
    endorsed: z.boolean().describe('Endorsed by the institution as recommended practice'),
    endorsedAt: z.string().nullable(),
    publishedAt: z.string(),
    joinedBy: z
      .number()
      .int()
      .nullable()
      .describe(
        'Other members that use this component or joined this problem statement; null for kinds with no joining',
      ),
    joinedByUs: z.boolean(),
  })
  .meta({ id: 'ExchangeItem', title: 'Sector exchange item' });

const notFoundBody = {
  error: 'not_found',
  message: 'No such institution or item among your organisation’s sector memberships',
} as const;

export const sectorExchangeApiRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const capabilities = capabilityChoices(services.framework);
  const toApi = (doc: ReturnType<typeof itemDocument>): z.infer<typeof itemSchema> => ({
    id: doc.id,
    kind: doc.kind,
    kindLabel: doc.kindLabel,
    title: doc.title,
    member: doc.member,
    capability: doc.capability,
    fields: doc.fields,
    endorsed: doc.endorsed,
    endorsedAt: doc.endorsedAt,
    publishedAt: doc.publishedAt,
    joinedBy: doc.joinedBy,
    joinedByUs: doc.joinedByUs,
  });

  api.get(
    '/api/sector/exchange',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Search the sector exchange',
        description:
          'Case studies, reusable components and standards, problem statements, secondment and skills offers, and lessons that members publish to an institution’s sector (paper sections 4.1, 4.3, 4.4, 4.6, 4.7). Only the institution and its active members can read it. `q` searches the full text (every word, as a prefix, stemmed).',
        tags: ['sector'],
        security: secured,
        querystring: z.object({
          institution: z
            .uuid()
            .optional()
            .describe('For a member: which institution (default: the first).'),
          q: z.string().max(200).optional(),
          kind: z.enum(EXCHANGE_KINDS).optional(),
          capability: z.string().max(80).optional(),
          member: z.uuid().optional().describe('Only items published by this member organisation.'),
          endorsed: z.enum(['yes']).optional(),
        }),
        response: {
          200: z.object({ institution: z.string(), items: z.array(itemSchema) }),
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const context = await exchangeContext(request, query.institution);
      if (!context) return reply.code(404).send(notFoundBody);
      const capabilityId = capabilities.some((c) => c.id === query.capability)
        ? query.capability
        : undefined;
      if (query.capability && !capabilityId)
        return { institution: context.institutionName, items: [] };
      const items = await request.scope.sectorExchange.search(context.institutionId, {
        ...(query.q ? { q: query.q } : {}),
        ...(query.kind ? { kind: query.kind } : {}),
        ...(capabilityId ? { capabilityId } : {}),
        ...(query.member ? { memberId: query.member } : {}),
        ...(query.endorsed === 'yes' ? { endorsedOnly: true } : {}),
      });
      return {
        institution: context.institutionName,
        items: items.map((i) => toApi(itemDocument(i, services.framework))),
      };
    },
  );

  api.get(
    '/api/sector/exchange/:id',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Read a sector exchange item',
        tags: ['sector'],
        security: secured,
        params: idParams,
        response: { 200: itemSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const item = await request.scope.sectorExchange.item(request.params.id);
      if (!item) return reply.code(404).send(notFoundBody);
      return toApi(itemDocument(item, services.framework));
    },
  );
};
