// The site's own pages: the start page, about, signing in and out, your account and password
// resets, personal API tokens, single sign-on, and the health check.
// One plugin for the feature, registered by app.ts; the feature's routes and view helpers live here.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../principal.ts';
import { healthRoutes } from './health.ts';
import { startRoutes } from './start.ts';
import { authRoutes } from './sign-in.ts';
import { accountRoutes } from './account.ts';
import { passwordResetRoutes } from './password-reset.ts';
import { tokenRoutes } from './tokens.ts';
import { ssoRoutes } from './sso.ts';

export const siteFeature: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  await app.register(healthRoutes, { services });
  await app.register(startRoutes, { services });
  await app.register(authRoutes, { services });
  await app.register(accountRoutes, { services });
  await app.register(passwordResetRoutes, { services });
  await app.register(tokenRoutes, { services });
  await app.register(ssoRoutes, { services });
};
