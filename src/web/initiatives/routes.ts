// The initiative register: the list, registering and changing an initiative, its page with the
// readiness verdict and the bottleneck check, and its lifecycle (idea → assessed → approved → in
// delivery → live → evaluated, or stopped with a reason).
import type { FastifyPluginAsync } from 'fastify';
import { requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { canChange, crumbs } from './shared.ts';

export const initiativeRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  app.get('/initiatives', { preHandler: requireSignIn }, async (request, reply) => {
    const initiatives = await request.scope.initiatives.list();
    return reply.page('pages/initiatives/index.njk', {
      title: 'AI initiatives',
      breadcrumbs: crumbs().slice(0, 1),
      canChange: canChange(request),
      initiatives: initiatives.map((s) => s.initiative),
    });
  });
};
