// Event logs (paper section 3.1): upload, column mapping, the import job's progress and the analysis.
// One plugin for the feature, registered by app.ts; the feature's routes and view helpers live here.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../principal.ts';
import { logRoutes } from './routes.ts';
import { logApiRoutes } from './api.ts';

export const logsFeature: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  await app.register(logRoutes, { services });
  await app.register(logApiRoutes, { services });
};
