// GET /healthz: 200 once the database answers, 503 while it does not (for load balancers).
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../principal.ts';

export const healthRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    const started = performance.now();
    const ok = await services.storage.db.ping();
    return reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'unavailable',
      database: { dialect: services.storage.db.dialect, reachable: ok },
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      framework: {
        id: services.framework.document.id,
        version: services.framework.document.version,
      },
    });
  });
};
