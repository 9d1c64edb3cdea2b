// AI initiatives (paper section 3, issue 11): the register, the readiness gate, the bottleneck check
// and business case, risks and governance, evaluation, the transparency record, the portfolio, and
// the lessons repository, with the JSON API.
// One plugin for the feature, registered by app.ts; the feature's routes and view helpers live here.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../principal.ts';
import { initiativeRoutes } from './routes.ts';
import { portfolioRoutes } from './portfolio.ts';

export const initiativesFeature: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  await app.register(initiativeRoutes, { services });
  await app.register(portfolioRoutes, { services });
};
