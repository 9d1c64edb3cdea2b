// Signing in and out. Sign-in is throttled per account and per address through the database (see
// AccountService.signIn), with the same error whether the e-mail address is unknown or the password
// wrong, so the form does not reveal who has an account. Signing in rotates the session: a new
// session id and a new CSRF secret, and any session the browser held before is ended.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formErrors, parseForm, safeReturnPath } from '../forms.ts';
import { sessionCookieName, startSession } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';

const signInForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address')
    .max(320, 'Email address must be 320 characters or fewer')
    .pipe(z.email('Enter an email address in the correct format, like name@example.org')),
  password: z
    .string()
    .min(1, 'Enter your password')
    .max(256, 'Password must be 256 characters or fewer'),
  returnTo: z.string().max(2000).optional(),
});

const TITLE = 'Sign in to Throughline';

export const authRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  const { config, accounts } = services;
  const cookieName = sessionCookieName(config.secureCookies);

  app.get<{ Querystring: { returnTo?: string } }>('/sign-in', async (request, reply) => {
    if (request.principal) return reply.redirect(safeReturnPath(request.query.returnTo), 303);
    return reply.page('pages/sign-in.njk', {
      title: TITLE,
      values: { returnTo: safeReturnPath(request.query.returnTo) },
    });
  });

  app.post(
    '/sign-in',
    {
      config: {
        // A flood guard in each process; the limits that matter are counted in the database.
        rateLimit: {
          max: config.signInRateLimit.max * 10,
          timeWindow: config.signInRateLimit.windowMs,
          keyGenerator: (request: FastifyRequest) => `sign-in:${request.ip}`,
        },
      },
    },
    async (request, reply) => {
      const form = parseForm(signInForm, request.body);
      if (!form.ok) {
        reply.code(400);
        return reply.page('pages/sign-in.njk', {
          title: TITLE,
          errors: form.errors.list,
          fieldErrors: form.errors.byField,
          values: { ...form.values, password: '', returnTo: safeReturnPath(form.values.returnTo) },
        });
      }
      const returnTo = safeReturnPath(form.data.returnTo);
      const result = await accounts.signIn(form.data.email, form.data.password, request.ip);
      if (!result.ok) {
        request.log.info({ reason: result.reason }, 'sign-in refused');
        const throttled = result.reason === 'throttled';
        const errors = formErrors([
          [
            'email',
            throttled
              ? `Too many attempts to sign in. Wait ${result.minutes} minutes, then try again, or reset your password`
              : 'Enter a correct email address and password',
          ],
        ]);
        reply.code(throttled ? 429 : 401);
        return reply.page('pages/sign-in.njk', {
          title: TITLE,
          errors: errors.list,
          fieldErrors: errors.byField,
          values: { email: form.data.email, returnTo },
        });
      }
      await startSession(request, reply, services, result.token);
      return reply.redirect(returnTo, 303);
    },
  );

  app.post('/sign-out', async (request, reply) => {
    const principal = request.principal;
    if (principal?.sessionToken) {
      await accounts.signOut(principal.sessionToken, principal);
    }
    reply.clearCookie(cookieName, { path: '/' });
    return reply.redirect('/signed-out', 303);
  });

  app.get<{ Querystring: { everywhere?: string } }>('/signed-out', async (request, reply) => {
    if (request.principal) return reply.redirect('/organisation', 303);
    const everywhere = request.query.everywhere === '1';
    return reply.page('pages/signed-out.njk', {
      title: everywhere ? 'You have signed out everywhere' : 'You have signed out',
      everywhere,
    });
  });
};
