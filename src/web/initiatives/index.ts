// AI initiatives (paper section 3, issue 11): the register, the readiness gate, the bottleneck check
// and business case, risks and governance, evaluation, the transparency record, the portfolio, and
// the lessons repository, with the JSON API.
// One plugin for the feature, registered by app.ts; the feature's routes and view helpers live here.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../principal.ts';
import { initiativeApiRoutes } from './api.ts';
import { businessCaseRoutes } from './business-case-routes.ts';
import { evaluationRoutes } from './evaluation.ts';
import { initiativeRoutes } from './routes.ts';
import { governanceRoutes } from './governance.ts';
import { portfolioRoutes } from './portfolio.ts';
import { riskRoutes } from './risks.ts';
import { transparencyRoutes } from './transparency.ts';

export const initiativesFeature: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  await app.register(initiativeRoutes, { services });
  await app.register(businessCaseRoutes, { services });
  await app.register(riskRoutes, { services });
  await app.register(governanceRoutes, { services });
  await app.register(transparencyRoutes, { services });
  await app.register(evaluationRoutes, { services });
  await app.register(initiativeApiRoutes, { services });
  await app.register(portfolioRoutes, { services });
};
