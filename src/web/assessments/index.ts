// Capability assessments (paper section 3, Tables 1–5): rounds, answering, results, roadmap, the PDF
// report and the JSON API.
// One plugin for the feature, registered by app.ts; the feature's routes and view helpers live here.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../principal.ts';
import { assessmentRoutes } from './rounds.ts';
import { respondRoutes } from './respond.ts';
import { resultRoutes } from './results.ts';
import { roadmapRoutes } from './roadmap.ts';
import { actionRoutes } from './actions.ts';
import { trendRoutes } from './trends.ts';
import { reportPdfRoutes } from './report-pdf.ts';
import { apiAssessmentRoutes } from './api.ts';

export const assessmentsFeature: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  await app.register(assessmentRoutes, { services });
  await app.register(respondRoutes, { services });
  await app.register(resultRoutes, { services });
  await app.register(roadmapRoutes, { services });
  await app.register(actionRoutes, { services });
  await app.register(trendRoutes, { services });
  await app.register(reportPdfRoutes, { services });
  await app.register(apiAssessmentRoutes, { services });
};
