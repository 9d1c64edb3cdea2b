// What every part of the JSON API shares: the error body, the bearer-token security requirement and
// an id parameter. Each route's zod schemas both validate the request and generate the OpenAPI
// document at /api/openapi.json, so the description cannot drift from the behaviour. And the area
// of the API each route belongs to, which a token's scopes name.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { accessFor, API_AREAS, tokenMayUse, type ApiArea } from '../services/tokens.ts';

export const errorSchema = z
  .object({ error: z.string(), message: z.string() })
  .meta({ id: 'Error', title: 'Error' });

/** The security requirement of every route that needs a personal API token. */
export const secured = [{ bearerAuth: [] }];

export const idParams = z.object({ id: z.uuid() });

/**
 * The area of the API a route belongs to, which a token's scopes name (services/tokens.ts): the
 * first segment of its path, `/api/<area>/…`. A route whose first segment is not an area's own name
 * is listed here; `any` is a route every valid token may use, `public` one that needs no token at all
 * (and must not declare the bearer-token requirement). A route that is neither is refused to
 * every token, and a test over the route table (test/integration/tokens.test.ts) fails until it has
 * an area, so a new route cannot slip through unscoped.
 */
export const API_AREA_ALIASES: Readonly<Record<string, ApiArea | 'any' | 'public'>> = {
  me: 'any',
  framework: 'public',
  'openapi.json': 'public',
  rounds: 'assessments',
  responses: 'assessments',
  'event-logs': 'logs',
  'comment-sets': 'themes',
  comments: 'themes',
  simulations: 'chains',
  scenarios: 'chains',
  benchmarks: 'sector',
  members: 'organisation',
  invitations: 'organisation',
  audit: 'organisation',
};

/** The area of an API route (its registered path, e.g. `/api/chains/:id`), or undefined. */
export function apiAreaOf(routePath: string): ApiArea | 'any' | 'public' | undefined {
  const first = /^\/api\/([^/?#]+)/.exec(routePath)?.[1];
  if (first === undefined) return undefined;
  if ((API_AREAS as readonly string[]).includes(first)) return first as ApiArea;
  return Object.hasOwn(API_AREA_ALIASES, first) ? API_AREA_ALIASES[first] : undefined;
}

/** Why a request made with an API token is refused by its scopes or its owner's role, if it is. */
export function tokenRefusal(request: FastifyRequest): string | undefined {
  const principal = request.principal;
  if (principal?.via !== 'token') return undefined;
  const area = apiAreaOf(request.routeOptions.url ?? request.url);
  if (area === undefined)
    return 'This part of the API has not been given an area that a token can be scoped to';
  if (area === 'public') return undefined;
  const decision = tokenMayUse(
    { scopes: principal.tokenScopes ?? new Set(), role: principal.role },
    area,
    accessFor(request.method),
  );
  return decision.ok ? undefined : decision.message;
}

/**
 * The OpenAPI document's last step: zod gives every schema with an id (`.meta({ id })`) two
 * components, one as requests are read (`…Input`) and one as answers are written, whether a route
 * uses it or not. Only the components some operation refers to, directly or through another
 * component, are kept, so a client generator sees the API and nothing else.
 */
export function keepReferencedComponents<T extends object>(document: T): T {
  const components = (document as { components?: { schemas?: Record<string, unknown> } })
    .components;
  const schemas = components?.schemas ?? {};
  const prefix = '#/components/schemas/';
  const kept = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string' && child.startsWith(prefix)) {
          const name = decodeURIComponent(child.slice(prefix.length));
          if (!kept.has(name)) {
            kept.add(name);
            visit(schemas[name]);
          }
        } else visit(child);
      }
    }
  };
  visit({ ...document, components: { ...components, schemas: {} } });
  return {
    ...document,
    components: {
      ...components,
      schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => kept.has(name))),
    },
  };
}
