// Themes in free-text comments (paper section 2.2.3): upload, column mapping, analyses, edits and
// exports.
// One plugin for the feature, registered by app.ts; the feature's routes and view helpers live here.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../principal.ts';
import { themeRoutes } from './routes.ts';
import { themeEditRoutes } from './edit-routes.ts';
import { themeWaveRoutes } from './waves.ts';
import { themeApiRoutes } from './api.ts';

export const themesFeature: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  await app.register(themeRoutes, { services });
  await app.register(themeEditRoutes, { services });
  await app.register(themeWaveRoutes, { services });
  await app.register(themeApiRoutes, { services });
};
