// Resolves the caller on every request — a session cookie for pages, a Bearer token for the API —
// and gives routes an organisation scope built from it. Routes never choose the organisation.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorLabel } from '../../services/accounts.ts';
import type { Role } from '../../storage/index.ts';
import { hasRole, type Guard, type Principal, type Services } from '../principal.ts';

export const SESSION_COOKIE_INSECURE = 'tl_session';
export const SESSION_COOKIE_SECURE = '__Host-tl_session';

export function sessionCookieName(secure: boolean): string {
  return secure ? SESSION_COOKIE_SECURE : SESSION_COOKIE_INSECURE;
}

/** The CSRF secret's cookie (set by @fastify/csrf-protection, registered in app.ts). */
export function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-tl_csrf' : 'tl_csrf';
}

/**
 * Hands the browser a session just opened (by signing in or joining by invitation), rotating what
 * it held: any session its cookie named before is ended, and the CSRF secret is renewed (the next
 * page makes a new one), so nothing planted before signing in carries over.
 */
export async function startSession(
  request: FastifyRequest,
  reply: FastifyReply,
  services: Pick<Services, 'config' | 'accounts'>,
  token: string,
): Promise<void> {
  const { config } = services;
  const cookieName = sessionCookieName(config.secureCookies);
  const previous = request.cookies[cookieName];
  if (previous && previous !== token) await services.accounts.dropSession(previous);
  reply.clearCookie(csrfCookieName(config.secureCookies), { path: '/' });
  reply.setCookie(cookieName, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    maxAge: config.sessionHours * 3600,
  });
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url === '/api' || request.url.startsWith('/api/');
}

export async function registerAuth(app: FastifyInstance, services: Services): Promise<void> {
  const cookieName = sessionCookieName(services.config.secureCookies);
  app.decorateRequest('principal', undefined);
  app.decorateRequest('apiTokenRefusal', undefined);
  app.decorateRequest('scope', {
    getter() {
      throw new Error('request.scope used on a route without requireSignIn');
    },
  });

  app.addHook('onRequest', async (request) => {
    let principal: Principal | undefined;
    const authorization = request.headers.authorization;
    if (isApiRequest(request)) {
      // The API takes only Bearer tokens, never the session cookie, so it needs no CSRF defence.
      if (authorization?.startsWith('Bearer ')) {
        const found = await services.accounts.resolveApiToken(authorization.slice(7).trim());
        if (found.ok) {
          principal = {
            via: 'token',
            ...found.principal,
            organisationName: '',
            tokenScopes: found.scopes,
          };
        } else if (found.expiredAt !== undefined) {
          request.apiTokenRefusal = `This API token expired on ${found.expiredAt.slice(0, 10)}. Ask for a new one under Organisation settings, API tokens`;
        }
      }
    } else {
      const token = request.cookies[cookieName];
      if (token) {
        const found = await services.accounts.resolveSession(token);
        if (found)
          principal = { via: 'session', ...found, organisationName: '', sessionToken: token };
      }
    }
    if (principal) {
      const scope = services.storage.scope(principal.organisationId, {
        userId: principal.userId,
        label: actorLabel(principal),
      });
      const organisation = await scope.organisation();
      const inSector =
        organisation.kind === 'strategic_institution' || (await scope.sector.isInSector());
      request.principal = { ...principal, organisationName: organisation.name, inSector };
      Object.defineProperty(request, 'scope', { value: scope, enumerable: false });
    }
  });
}

/** The 401 of the API: an expired token is told so; anything else is asked for a token. */
export function refuseApiUnauthenticated(request: FastifyRequest, reply: FastifyReply) {
  const expired = request.apiTokenRefusal;
  return reply
    .code(401)
    .header(
      'WWW-Authenticate',
      expired === undefined
        ? 'Bearer'
        : 'Bearer error="invalid_token", error_description="expired"',
    )
    .send(
      expired === undefined
        ? {
            error: 'unauthorised',
            message: 'Send a personal API token as "Authorization: Bearer …"',
          }
        : { error: 'token_expired', message: expired },
    );
}

function refuseUnsignedIn(request: FastifyRequest, reply: FastifyReply) {
  if (isApiRequest(request)) return refuseApiUnauthenticated(request, reply);
  const returnTo = encodeURIComponent(request.url);
  return reply.redirect(`/sign-in?returnTo=${returnTo}`, 303);
}

export const requireSignIn: Guard = async (request, reply) => {
  if (!request.principal) await refuseUnsignedIn(request, reply);
};

export function requireRole(role: Role): Guard {
  return async (request, reply) => {
    const principal = request.principal;
    if (!principal) {
      await refuseUnsignedIn(request, reply);
      return;
    }
    if (!hasRole(principal.role, role)) {
      if (isApiRequest(request)) {
        await reply.code(403).send({
          error: 'forbidden',
          message: `This needs the ${role} role; you are ${principal.role}`,
        });
        return;
      }
      reply.code(403);
      await reply.page('pages/errors/forbidden.njk', {
        title: 'You do not have permission to do this',
        requiredRole: role,
      });
    }
  };
}
