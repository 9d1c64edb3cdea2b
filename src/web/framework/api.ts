// The framework's JSON API: the twelve capabilities as data, one capability, and the JSON Schema of
// a framework document. Public: no token needed.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  capabilitySchema,
  frameworkDocumentSchema,
  getCapability,
} from '../../domain/framework/index.ts';
import { errorSchema } from '../api.ts';
import type { Services } from '../principal.ts';

export const frameworkApiRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const fw = services.framework;

  api.get(
    '/api/framework',
    {
      schema: {
        summary: 'The capability framework',
        description:
          'All twelve capabilities with their five maturity levels (1 = Outstanding … 5 = Inadequate) and indicators, as validated at start-up. Public.',
        tags: ['framework'],
        response: { 200: frameworkDocumentSchema },
      },
    },
    async () => fw.document,
  );

  api.get(
    '/api/framework/capabilities/:id',
    {
      schema: {
        summary: 'One capability',
        description:
          'A capability by its stable id (e.g. "managing-risk") or its number (1–12). Public.',
        tags: ['framework'],
        params: z.object({ id: z.string().max(100) }),
        response: { 200: capabilitySchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const capability = getCapability(
        fw,
        /^\d+$/.test(request.params.id) ? Number(request.params.id) : request.params.id,
      );
      if (!capability) {
        return reply
          .code(404)
          .send({ error: 'not_found', message: `No capability "${request.params.id}"` });
      }
      return capability;
    },
  );

  api.get(
    '/api/framework/schema.json',
    {
      schema: {
        summary: 'JSON Schema of a framework document',
        description: 'For bodies that write their own variant of the framework. Public.',
        tags: ['framework'],
      },
    },
    async () => z.toJSONSchema(frameworkDocumentSchema, { target: 'draft-2020-12' }),
  );
};
