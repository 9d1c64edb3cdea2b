// Personal API tokens (issue 17, point 2): anyone signed in makes tokens for their own scripts,
// choosing what each may read or change (per area of the API) and when it expires; an admin sees
// and revokes every member's. The page that shows a new token's secret is never stored by the
// browser (`Cache-Control: no-store`, as every signed-in page). The checks a token meets on each
// request are in src/web/api.ts and src/services/tokens.ts.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  API_AREA_LABELS,
  API_AREAS,
  AREA_MIN_ROLE,
  EXPIRY_DAYS,
  expiryFrom,
  parseScopes,
  scopesFrom,
  type ExpiryChoice,
} from '../../services/tokens.ts';
import type { ApiTokenRecord } from '../../storage/index.ts';
import { formErrors, parseForm } from '../forms.ts';
import { requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import { hasRole, type Services } from '../principal.ts';

/** A checkbox group arrives as a string for one box ticked and an array for several. */
const ticked = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
  .pipe(z.array(z.enum(API_AREAS, { error: 'Select areas from the list' })).max(API_AREAS.length));

const datePart = z.string().trim().max(4).optional();

const tokenForm = z.object({
  name: z
    .string({ error: 'Enter a name for the token' })
    .trim()
    .min(1, 'Enter a name for the token')
    .max(100, 'Name must be 100 characters or fewer'),
  read: ticked,
  write: ticked,
  expiry: z.enum(['30', '90', '365', 'custom'], { error: 'Select when the token expires' }),
  'expiresOn-day': datePart,
  'expiresOn-month': datePart,
  'expiresOn-year': datePart,
});

const idParam = z.object({ id: z.uuid() });

type TokenRow = ApiTokenRecord & { readonly scopeText: string; readonly expired: boolean };

function describeScopes(stored: string): string {
  const scopes = parseScopes(stored);
  if (API_AREAS.every((area) => scopes.has(`${area}:write`))) return 'Everything: read and change';
  const parts = API_AREAS.flatMap((area) => {
    if (scopes.has(`${area}:write`)) return [`${area}: read and change`];
    if (scopes.has(`${area}:read`)) return [`${area}: read`];
    return [];
  });
  return parts.join('; ') || 'Nothing';
}

export const tokenRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const { accounts } = services;

  const areaItems = (kind: 'read' | 'write', chosen: readonly string[], isAdmin: boolean) =>
    API_AREAS.map((area) => ({
      value: area,
      text: API_AREA_LABELS[area],
      checked: chosen.includes(area),
      ...(AREA_MIN_ROLE[area] === 'admin' && kind === 'read'
        ? {
            hint: {
              text: isAdmin
                ? 'Admins only: the token loses it if you stop being an admin'
                : 'Admins only: a token of yours cannot use it',
            },
          }
        : {}),
    }));

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, unknown>; [key: string]: unknown } = {},
  ) => {
    const principal = request.principal;
    if (!principal) return notFound(reply);
    const isAdmin = hasRole(principal.role, 'admin');
    const now = Date.now();
    const rows: TokenRow[] = (
      await request.scope.tokens.list(isAdmin ? undefined : principal.userId)
    ).map((t) => ({
      ...t,
      scopeText: describeScopes(t.scopes),
      expired: t.expiresAt !== null && Date.parse(t.expiresAt) <= now,
    }));
    const values = extra.values ?? {};
    const listOf = (v: unknown) =>
      v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
    const organisation = await request.scope.organisation();
    return reply.page('pages/organisation/api-tokens.njk', {
      title: 'API tokens',
      isAdmin,
      tokens: rows,
      anyMigrated: rows.some((t) => t.expiryMigrated && !t.revokedAt),
      readItems: areaItems('read', listOf(values.read), isAdmin),
      writeItems: areaItems('write', listOf(values.write), isAdmin),
      expiryValue: typeof values.expiry === 'string' ? values.expiry : '90',
      expiryDays: EXPIRY_DAYS,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: organisation.name, href: '/organisation' },
        { text: 'API tokens' },
      ],
      ...extra,
      values,
    });
  };

  const signedIn = { preHandler: requireSignIn };

  app.get('/organisation/api-tokens', signedIn, (request, reply) => page(request, reply));

  app.post('/organisation/api-tokens', signedIn, async (request, reply) => {
    const form = parseForm(tokenForm, request.body);
    const entries: [string, string][] = [];
    let scopes: ReturnType<typeof scopesFrom> = [];
    let expiresAt: string | undefined;
    if (form.ok) {
      scopes = scopesFrom(form.data.read, form.data.write);
      if (scopes.length === 0)
        entries.push(['read', 'Select at least one area the token may read or change']);
      const choice: ExpiryChoice =
        form.data.expiry === 'custom'
          ? {
              kind: 'date',
              day: Number(form.data['expiresOn-day'] || NaN),
              month: Number(form.data['expiresOn-month'] || NaN),
              year: Number(form.data['expiresOn-year'] || NaN),
            }
          : { kind: 'days', days: Number(form.data.expiry) };
      const expiry = expiryFrom(choice, Date.now());
      if (expiry.ok) expiresAt = expiry.expiresAt;
      else entries.push([choice.kind === 'date' ? 'expiresOn' : 'expiry', expiry.message]);
    }
    if (!form.ok || entries.length > 0 || expiresAt === undefined) {
      const errors = form.ok ? formErrors(entries) : form.errors;
      reply.code(400);
      return page(request, reply, {
        values: form.ok ? (request.body as Record<string, unknown>) : form.values,
        errors: errors.list,
        fieldErrors: errors.byField,
      });
    }
    const created = await accounts.createApiToken(request.scope, form.data.name, {
      scopes,
      expiresAt,
    });
    return page(request, reply, {
      created: {
        name: form.data.name,
        token: created.token,
        scopeText: describeScopes(scopes.join(' ')),
        expiresAt,
      },
    });
  });

  app.post('/organisation/api-tokens/:id/revoke', signedIn, async (request, reply) => {
    const parsed = idParam.safeParse(request.params);
    const principal = request.principal;
    if (!parsed.success || !principal) return notFound(reply);
    const owner = hasRole(principal.role, 'admin') ? undefined : principal.userId;
    if (!(await request.scope.tokens.revoke(parsed.data.id, owner))) return notFound(reply);
    reply.flash('The API token has been revoked. Scripts using it will stop working.');
    return reply.redirect('/organisation/api-tokens', 303);
  });
};
