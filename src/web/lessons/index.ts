// The lessons repository (paper section 3.1, knowledge codification; Table 1, Organisational
// Learning): every evaluation files a lesson in the standard template, and anyone in the
// organisation can find it again by a word of its text or by its competency, capability, ambition
// and outcome. One plugin for the feature, registered by app.ts after the initiatives feature.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../principal.ts';
import { lessonRoutes } from './routes.ts';

export const lessonsFeature: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  await app.register(lessonRoutes, { services });
};
