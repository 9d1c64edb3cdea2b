// GET /healthz (alive: 200 once the database answers, 503 while it does not) and GET /readyz (ready
// for traffic: the database answers, its schema has every migration, and the job queue takes jobs)
// for load balancers and orchestrators. Neither needs signing in; neither says anything about data.
import type { FastifyPluginAsync } from 'fastify';
import { pendingMigrations } from '../../storage/index.ts';
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

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const reachable = await services.storage.db.ping();
    let pending: string[] | null = null;
    if (reachable) {
      try {
        pending = await pendingMigrations(services.storage.db);
      } catch {
        pending = null;
      }
    }
    const queue = await services.jobs.readiness();
    const migrationsCurrent = pending !== null && pending.length === 0;
    const ready = reachable && migrationsCurrent && queue.ready;
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({
        status: ready ? 'ready' : 'not ready',
        database: { dialect: services.storage.db.dialect, reachable },
        migrations: {
          current: migrationsCurrent,
          pending: pending ?? [],
          ...(pending === null ? { detail: 'the applied migrations could not be read' } : {}),
        },
        queue,
      });
  });
};
