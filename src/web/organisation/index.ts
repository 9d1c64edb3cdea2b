// An organisation's settings, members, invitations, API tokens and audit log, and their JSON API.
// One plugin for the feature, registered by app.ts; the feature's routes and view helpers live here.
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../principal.ts';
import { organisationRoutes } from './routes.ts';
import { invitationRoutes } from './invitations.ts';
import { organisationApiRoutes } from './api.ts';

export const organisationFeature: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  await app.register(organisationRoutes, { services });
  await app.register(invitationRoutes, { services });
  await app.register(organisationApiRoutes, { services });
};
