// Single sign-on pages (issue 17, point 3): finding your organisation's identity provider by your
// email address, a sign-in link per organisation (/sign-in/sso/<short name>), the round trip to
// the provider and back, and the admin's settings page. The rules are in src/services/sso.ts.
//
// The trip to the provider starts from a link (GET), not a form: the Content-Security-Policy's
// `form-action 'self'` would stop a form from being redirected to another site. A cookie made for
// the trip ties the provider's answer to this browser; signing in rotates the session exactly as
// signing in with a password does (startSession).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ROLE_DESCRIPTIONS, ROLES } from '../../services/accounts.ts';
import { SsoService, type SsoFailure } from '../../services/sso.ts';
import type { Role } from '../../storage/index.ts';
import { formErrors, parseForm, safeReturnPath } from '../forms.ts';
import { requireRole, startSession } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const CALLBACK_PATH = '/sign-in/sso/callback';

const emailField = z
  .string()
  .trim()
  .min(1, 'Enter your work email address')
  .max(320, 'Email address must be 320 characters or fewer')
  .pipe(z.email('Enter an email address in the correct format, like name@example.org'));

const findForm = z.object({ email: emailField, returnTo: z.string().max(2000).optional() });

const domainPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const settingsForm = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, 'Enter the name people know the provider by, like Council staff login')
    .max(60, 'Name must be 60 characters or fewer'),
  issuer: z
    .string()
    .trim()
    .min(1, 'Enter the issuer address the identity provider gave you')
    .max(500, 'Issuer must be 500 characters or fewer'),
  clientId: z
    .string()
    .trim()
    .min(1, 'Enter the client id the identity provider gave you')
    .max(200, 'Client id must be 200 characters or fewer'),
  clientSecret: z.string().max(500, 'Client secret must be 500 characters or fewer').default(''),
  allowedDomains: z
    .string()
    .max(2000, 'Domains must be 2,000 characters or fewer')
    .transform((value) =>
      value
        .toLowerCase()
        .split(/[\s,;]+/)
        .map((d) => d.replace(/^@/, ''))
        .filter((d) => d !== ''),
    )
    .pipe(
      z
        .array(
          z.string().regex(domainPattern, 'Enter each domain like council.gov.uk, without the @'),
        )
        .min(1, 'Enter at least one email domain, like council.gov.uk')
        .max(20, 'Enter 20 domains or fewer'),
    ),
  newUserRole: z.enum(ROLES as [Role, ...Role[]], { error: 'Select the role for new people' }),
  enabled: z.enum(['yes', 'no'], { error: 'Select whether single sign-on is switched on' }),
});

const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,100}$/) });

export const ssoRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  const { config } = services;
  const sso = new SsoService(services.storage, services.accounts, config);
  const cookieName = config.secureCookies ? '__Host-tl_sso' : 'tl_sso';

  /** Where the provider sends people back to, or undefined when no address is safe to use. */
  function redirectUri(request: FastifyRequest): string | undefined {
    if (config.publicUrl !== undefined) return `${config.publicUrl}${CALLBACK_PATH}`;
    if (LOOPBACK_NAMES.has(request.hostname))
      return `${request.protocol}://${request.host}${CALLBACK_PATH}`;
    return undefined;
  }

  const refused = (reply: FastifyReply, status: number, result: SsoFailure) => {
    reply.code(status);
    return reply.page('pages/sso/refused.njk', {
      title: 'You have not been signed in',
      message: result.message,
    });
  };

  // ---- finding your provider ----

  app.get<{ Querystring: { email?: string; returnTo?: string } }>(
    '/sign-in/sso',
    async (request, reply) => {
      const returnTo = safeReturnPath(request.query.returnTo);
      if (request.query.email === undefined)
        return reply.page('pages/sso/find.njk', {
          title: 'Sign in with single sign-on',
          values: { returnTo },
        });
      const form = parseForm(findForm, request.query);
      const providers = form.ok ? await sso.forEmail(form.data.email) : [];
      const errors = form.ok
        ? providers.length === 0
          ? formErrors([
              [
                'email',
                `No organisation here uses single sign-on for addresses at ${form.data.email.split('@')[1] ?? ''}. Sign in with your email address and password instead`,
              ],
            ])
          : undefined
        : form.errors;
      if (errors) reply.code(400);
      return reply.page('pages/sso/find.njk', {
        title: 'Sign in with single sign-on',
        values: { email: request.query.email, returnTo },
        providers: providers.map((p) => ({
          ...p,
          href: `/sign-in/sso/${p.slug}/start?returnTo=${encodeURIComponent(returnTo)}`,
        })),
        ...(errors ? { errors: errors.list, fieldErrors: errors.byField } : {}),
      });
    },
  );

  app.get(CALLBACK_PATH, async (request, reply) => {
    const uri = redirectUri(request);
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const browserValue = request.cookies[cookieName];
    reply.clearCookie(cookieName, { path: '/' });
    if (uri === undefined)
      return refused(reply, 400, {
        ok: false,
        reason: 'not_configured',
        message: 'Single sign-on needs the service’s address (PUBLIC_URL) to be set',
      });
    const result = await sso.finish(query, browserValue, uri);
    if (!result.ok) {
      request.log.info({ reason: result.reason, detail: result.detail }, 'single sign-on refused');
      return refused(reply, result.reason === 'domain_refused' ? 403 : 400, result);
    }
    await startSession(request, reply, services, result.token);
    return reply.redirect(safeReturnPath(result.returnTo), 303);
  });

  // ---- one organisation's link ----

  app.get<{ Params: { slug: string }; Querystring: { returnTo?: string } }>(
    '/sign-in/sso/:slug',
    async (request, reply) => {
      const parsed = slugParam.safeParse(request.params);
      const found = parsed.success ? await sso.forSlug(parsed.data.slug) : undefined;
      const returnTo = safeReturnPath(request.query.returnTo);
      if (!found) {
        reply.code(404);
        return reply.page('pages/sso/organisation.njk', {
          title: 'Single sign-on is not set up',
          missing: true,
        });
      }
      return reply.page('pages/sso/organisation.njk', {
        title: `Sign in to ${found.organisationName}`,
        organisationName: found.organisationName,
        displayName: found.config.displayName,
        href: `/sign-in/sso/${parsed.data?.slug ?? ''}/start?returnTo=${encodeURIComponent(returnTo)}`,
      });
    },
  );

  app.get<{ Params: { slug: string }; Querystring: { returnTo?: string } }>(
    '/sign-in/sso/:slug/start',
    {
      config: {
        rateLimit: {
          max: 60,
          timeWindow: 60_000,
          keyGenerator: (request: FastifyRequest) => `sso-start:${request.ip}`,
        },
      },
    },
    async (request, reply) => {
      const parsed = slugParam.safeParse(request.params);
      const uri = redirectUri(request);
      if (!parsed.success || uri === undefined)
        return refused(reply, 404, {
          ok: false,
          reason: 'not_configured',
          message:
            uri === undefined
              ? 'Single sign-on needs the service’s address (PUBLIC_URL) to be set'
              : 'This organisation does not use single sign-on here',
        });
      await sso.prune();
      const result = await sso.begin(parsed.data.slug, safeReturnPath(request.query.returnTo), uri);
      if (!result.ok) {
        request.log.info(
          { reason: result.reason, detail: result.detail },
          'single sign-on not started',
        );
        return refused(reply, result.reason === 'not_configured' ? 404 : 503, result);
      }
      reply.setCookie(cookieName, result.browserValue, {
        path: '/',
        httpOnly: true,
        // Lax: sent when the provider sends the browser back (a top-level navigation).
        sameSite: 'lax',
        secure: config.secureCookies,
        maxAge: 600,
      });
      return reply.redirect(result.url, 303);
    },
  );

  // ---- the admin's settings ----

  const admin = { preHandler: requireRole('admin') };

  const settingsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const organisation = await request.scope.organisation();
    const current = await sso.settingsOf(request.scope);
    const saved = current.config;
    const values = (extra.values as Record<string, unknown> | undefined) ?? {
      displayName: saved?.displayName ?? '',
      issuer: saved?.issuer ?? '',
      clientId: saved?.clientId ?? '',
      allowedDomains: saved?.allowedDomains.join(' ') ?? '',
      newUserRole: saved?.newUserRole ?? 'member',
      enabled: saved === undefined || saved.enabled ? 'yes' : 'no',
    };
    const uri = redirectUri(request);
    return reply.page('pages/organisation/single-sign-on.njk', {
      title: 'Single sign-on',
      organisation,
      saved,
      hasSecret: current.hasSecret,
      secretReadable: current.secretReadable,
      redirectUri: uri,
      link:
        uri === undefined ? undefined : `${new URL(uri).origin}/sign-in/sso/${organisation.slug}`,
      roleItems: ROLES.map((role) => ({
        value: role,
        text: role.charAt(0).toUpperCase() + role.slice(1),
        hint: { text: ROLE_DESCRIPTIONS[role] },
        checked: values.newUserRole === role,
      })),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: organisation.name, href: '/organisation' },
        { text: 'Single sign-on' },
      ],
      ...extra,
      values,
    });
  };

  app.get('/organisation/single-sign-on', admin, (request, reply) => settingsPage(request, reply));

  app.post('/organisation/single-sign-on', admin, async (request, reply) => {
    const form = parseForm(settingsForm, request.body);
    const { _csrf: _token, ...body } = (request.body ?? {}) as Record<string, unknown>;
    const shown = { ...body, clientSecret: '' };
    if (!form.ok) {
      reply.code(400);
      return settingsPage(request, reply, {
        values: { ...form.values, clientSecret: '' },
        errors: form.errors.list,
        fieldErrors: form.errors.byField,
      });
    }
    const result = await sso.save(request.scope, {
      displayName: form.data.displayName,
      issuer: form.data.issuer,
      clientId: form.data.clientId,
      clientSecret: form.data.clientSecret,
      allowedDomains: [...new Set(form.data.allowedDomains)],
      newUserRole: form.data.newUserRole,
      enabled: form.data.enabled === 'yes',
    });
    if (!result.ok) {
      const errors = formErrors([[result.field, result.message]]);
      reply.code(400);
      return settingsPage(request, reply, {
        values: shown,
        errors: errors.list,
        fieldErrors: errors.byField,
      });
    }
    reply.flash('Single sign-on settings saved');
    return reply.redirect('/organisation/single-sign-on', 303);
  });

  app.post('/organisation/single-sign-on/remove', admin, async (request, reply) => {
    const removed = await request.scope.sso.remove();
    reply.flash(
      removed
        ? 'Single sign-on removed. People sign in with their email address and password'
        : 'Single sign-on was not set up',
    );
    return reply.redirect('/organisation/single-sign-on', 303);
  });
};
