// Builds the web application: external plugins (security headers, cookies, forms, CSRF, rate
// limits, views, static assets), then the caller's identity, then the thin route handlers.
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildStylesheet, govukDist, webDir } from './assets.ts';
import { recordRoutes } from './plugins/route-table.ts';
import { isApiRequest, refuseApiUnauthenticated, registerAuth } from './plugins/auth.ts';
import { apiAreaOf, keepReferencedComponents, tokenRefusal } from './api.ts';
import { registerErrorPages } from './plugins/errors.ts';
import { registerSecurityHeaders } from './plugins/security.ts';
import { registerViews } from './plugins/views.ts';
import type { Services } from './principal.ts';
import { assessmentsFeature } from './assessments/index.ts';
import { chainsFeature } from './chains/index.ts';
import { frameworkFeature } from './framework/index.ts';
import { initiativesFeature } from './initiatives/index.ts';
import { lessonsFeature } from './lessons/index.ts';
import { logsFeature } from './logs/index.ts';
import { organisationFeature } from './organisation/index.ts';
import { sectorFeature } from './sector/index.ts';
import { siteFeature } from './site/index.ts';
import { themesFeature } from './themes/index.ts';
import { MailService } from '../services/mail/index.ts';

export const FORM_BODY_LIMIT = 64 * 1024;

export async function buildApp(given: Services): Promise<FastifyInstance> {
  // Email (invitations, reminders) is set up from the configuration unless the caller gave it.
  const services: Services = {
    ...given,
    mail: given.mail ?? MailService.fromConfig(given.storage, given.config, given.framework),
  };
  const { config } = services;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(services.logStream === undefined ? {} : { stream: services.logStream }),
    },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestTimeout: 30_000,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  recordRoutes(app);

  // The cookie-signing secret is shared by every web process through the database.
  const cookieSecret =
    config.cookieSecret ??
    (await services.storage.platform.getOrCreateSetting('cookie_secret', () =>
      randomBytes(32).toString('base64url'),
    ));

  await registerSecurityHeaders(app, config.secureCookies);
  await app.register(fastifyCookie, { secret: cookieSecret });
  await app.register(fastifyFormbody, { bodyLimit: FORM_BODY_LIMIT });
  await app.register(fastifyCsrf, {
    cookieKey: config.secureCookies ? '__Host-tl_csrf' : 'tl_csrf',
    cookieOpts: {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      signed: true,
    },
    getToken: (request) => (request.body as Record<string, unknown> | undefined)?._csrf as string,
  });
  await app.register(fastifyRateLimit, { global: false });

  const cssFile = await buildStylesheet(path.join(config.dataDir, '.cache'));
  const stylesheetUrl = `/assets/${path.basename(cssFile)}`;
  await app.register(fastifyStatic, {
    root: [
      path.join(govukDist, 'govuk', 'assets'),
      path.join(webDir, 'public'),
      path.dirname(cssFile),
    ],
    prefix: '/assets/',
    maxAge: config.env === 'production' ? '1d' : 0,
  });
  app.get('/assets/govuk-frontend.min.js', (_request, reply) =>
    reply.sendFile('govuk-frontend.min.js', path.join(govukDist, 'govuk')),
  );

  await registerViews(app, services, stylesheetUrl);
  await registerAuth(app, services);
  await registerErrorPages(app);

  // Every state-changing form is checked against its CSRF token, by construction rather than by
  // each route remembering to. The API is exempt: it accepts only Bearer tokens, never cookies.
  app.addHook('preValidation', async (request, reply) => {
    const method = request.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return;
    if (request.url.startsWith('/api/')) return;
    // A streamed upload (an event log) checks its token itself, from the form's first field,
    // before it reads the file: see src/web/logs/routes.ts.
    if (request.routeOptions.config.csrf === 'first-multipart-field' && request.isMultipart())
      return;
    await new Promise<void>((resolve, reject) => {
      app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()));
    });
  });

  // The API authenticates before it parses or validates: without a valid token every /api route
  // but the public ones (API_AREA_ALIASES) answers 401, whatever its parameters, body or content
  // type (a malformed id used to get a 400 first, which told an unauthenticated caller about the
  // route's schema). Decided here once from the route's path, so a route that forgets to declare
  // the bearer-token requirement is still closed. Registered after registerAuth, so its onRequest
  // hook has resolved the token already; onRequest runs before the body is even read.
  app.addHook('onRequest', async (request, reply) => {
    if (!isApiRequest(request) || request.routeOptions.url === undefined) return;
    if (!request.principal) {
      if (apiAreaOf(request.routeOptions.url) !== 'public')
        return refuseApiUnauthenticated(request, reply);
      return;
    }
    // Then the token's scopes for the route's area, with its owner's current role as the ceiling.
    const refusal = tokenRefusal(request);
    if (refusal) return reply.code(403).send({ error: 'insufficient_scope', message: refusal });
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Throughline API',
        version: '0.1.0',
        description:
          'Throughline’s JSON API. Send a personal API token (made under Organisation, API tokens) as `Authorization: Bearer …`. Every answer is scoped to the token’s organisation. A token may read (GET) or change (anything else) only the areas it was made for, where an area is the first segment of the path (`/api/chains/…` is `chains`; `/api/me` is open to any token): otherwise 403 `insufficient_scope`. It never does more than its owner’s role allows now, and the `organisation` area needs the owner to be an admin. An expired token gets 401 `token_expired`.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      },
    },
    // Only /api routes belong in the API description; pages are not part of it.
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      if (!input.url.startsWith('/api/')) return { ...out, schema: { ...out.schema, hide: true } };
      return out;
    },
    // Every schema given an id (`.meta({ id })`) becomes a component the routes refer to by $ref.
    transformObject: (input) => keepReferencedComponents(jsonSchemaTransformObject(input)),
  });

  // One plugin per feature; each holds its pages and its part of the JSON API.
  await app.register(siteFeature, { services });
  await app.register(frameworkFeature, { services });
  await app.register(organisationFeature, { services });
  await app.register(assessmentsFeature, { services });
  await app.register(chainsFeature, { services });
  await app.register(logsFeature, { services });
  await app.register(themesFeature, { services });
  await app.register(initiativesFeature, { services });
  await app.register(lessonsFeature, { services });
  await app.register(sectorFeature, { services });
  // Background jobs run while the app is up. Closing the app pauses the runner first (preClose), so
  // a running job is handed back at once rather than after the requests in flight have drained
  // (an import could otherwise finish — or half-finish — during that wait). The queue still accepts
  // jobs while those requests finish, and closes with the server (onClose).
  app.addHook('onReady', () => services.jobs.start(app.log));
  app.addHook('preClose', async () => {
    await services.jobs.pause();
  });
  app.addHook('onClose', async () => {
    await services.jobs.stop();
    if (given.mail === undefined) services.mail?.close();
  });
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/openapi.json',
    {
      schema: {
        summary: 'This description of the API',
        description:
          'The OpenAPI 3.1 document of every route under /api, generated from the schemas that validate the requests. Needs no token.',
        tags: ['meta'],
        response: { 200: z.looseObject({ openapi: z.string(), paths: z.looseObject({}) }) },
      },
    },
    () => app.swagger() as unknown as { openapi: string; paths: Record<string, unknown> },
  );
  return app;
}
