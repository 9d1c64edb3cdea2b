// The capability framework: its pages and its public JSON API (paper, appendix Tables 1–5).
// One plugin for the feature, registered by app.ts; the feature's routes and view helpers live here.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../principal.ts';
import { frameworkRoutes } from './routes.ts';
import { frameworkApiRoutes } from './api.ts';

export const frameworkFeature: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  await app.register(frameworkRoutes, { services });
  await app.register(frameworkApiRoutes, { services });
};
