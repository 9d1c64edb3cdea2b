// Delivery chains (paper section 2.2.1): editing a chain, its analysis and bottleneck, simulation,
// interventions and scenarios, and the JSON API.
// One plugin for the feature, registered by app.ts; the feature's routes and view helpers live here.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../principal.ts';
import { chainRoutes } from './routes.ts';
import { chainResultRoutes } from './results.ts';
import { chainApiRoutes } from './api.ts';
import { chainHoursRoutes } from './hours.ts';

export const chainsFeature: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  await app.register(chainRoutes, { services });
  await app.register(chainResultRoutes, { services });
  await app.register(chainApiRoutes, { services });
  await app.register(chainHoursRoutes, { services });
};
