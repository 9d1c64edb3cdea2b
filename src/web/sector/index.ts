// Sector stewardship (paper section 4; issue 15, points 1 and 2): membership and consent between a
// strategic institution and its member organisations, and benchmarks that protect small groups.
// One plugin for the feature: its pages and its part of the JSON API.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../principal.ts';
import { sectorApiRoutes } from './api.ts';
import { sectorRoutes } from './routes.ts';
import { sectorIncidentRoutes } from './incidents.ts';
import { sectorExchangeRoutes } from './exchange.ts';
import { sectorExchangeApiRoutes } from './exchangeApi.ts';
import { sharedChainRoutes } from './shared-chains.ts';
import { registerRoutes } from './registers.ts';
import { registerApiRoutes } from './registers-api.ts';
import { sharedChainApiRoutes } from './shared-chains-api.ts';
import { sectorOverviewRoutes } from './overview-routes.ts';

export const sectorFeature: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  await app.register(sectorRoutes, { services });
  await app.register(sectorApiRoutes, { services });
  await app.register(sectorIncidentRoutes, { services });
  await app.register(sectorExchangeRoutes, { services });
  await app.register(sectorExchangeApiRoutes, { services });
  await app.register(sharedChainRoutes, { services });
  await app.register(sharedChainApiRoutes, { services });
  await app.register(registerRoutes, { services });
  await app.register(registerApiRoutes, { services });
  await app.register(sectorOverviewRoutes, { services });
};
