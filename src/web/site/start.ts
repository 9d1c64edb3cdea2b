// The start page and the "about" page: what Throughline is for, and its basis in the paper.
import type { FastifyPluginAsync } from 'fastify';
import { capabilitiesByScope } from '../../domain/framework/index.ts';
import type { Services } from '../principal.ts';

export const startRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const fw = services.framework;
  app.get('/', async (_request, reply) =>
    reply.page('pages/start.njk', {
      title: 'Find the bottleneck, build the capabilities, take the AI opportunities that are real',
      organisationCapabilities: capabilitiesByScope(fw, 'organisation'),
      sectorCapabilities: capabilitiesByScope(fw, 'sector'),
    }),
  );
  app.get('/about', async (_request, reply) =>
    reply.page('pages/about.njk', { title: 'About Throughline', source: fw.document.source }),
  );
};
