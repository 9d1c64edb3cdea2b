// Signing in and out. Sign-in is rate limited per address; the same error whether the e-mail
// address is unknown or the password wrong, so the form does not reveal who has an account.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { formErrors, parseForm, safeReturnPath } from '../forms.ts';
import { sessionCookieName } from '../plugins/auth.ts';
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

export const authRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  const { config, accounts } = services;
  const cookieName = sessionCookieName(config.secureCookies);

  app.get<{ Querystring: { returnTo?: string } }>('/sign-in', async (request, reply) => {
    if (request.principal) return reply.redirect(safeReturnPath(request.query.returnTo), 303);
    return reply.page('pages/sign-in.njk', {
      title: 'Sign in to Throughline',
      values: { returnTo: safeReturnPath(request.query.returnTo) },
    });
  });

  app.post(
    '/sign-in',
    {
      config: {
        rateLimit: {
          max: config.signInRateLimit.max,
          timeWindow: config.signInRateLimit.windowMs,
          keyGenerator: (request) => `sign-in:${request.ip}`,
        },
      },
    },
    async (request, reply) => {
      const form = parseForm(signInForm, request.body);
      if (!form.ok) {
        reply.code(400);
        return reply.page('pages/sign-in.njk', {
          title: 'Sign in to Throughline',
          errors: form.errors.list,
          fieldErrors: form.errors.byField,
          values: { ...form.values, password: '' },
        });
      }
      const result = await accounts.signIn(form.data.email, form.data.password);
      if (!result) {
        request.log.info({ email: form.data.email }, 'sign-in refused');
        const errors = formErrors([['email', 'Enter a correct email address and password']]);
        reply.code(401);
        return reply.page('pages/sign-in.njk', {
          title: 'Sign in to Throughline',
          errors: errors.list,
          fieldErrors: errors.byField,
          values: { email: form.data.email, returnTo: form.data.returnTo },
        });
      }
      reply.setCookie(cookieName, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        maxAge: config.sessionHours * 3600,
      });
      return reply.redirect(safeReturnPath(form.data.returnTo), 303);
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

  app.get('/signed-out', async (request, reply) => {
    if (request.principal) return reply.redirect('/organisation', 303);
    return reply.page('pages/signed-out.njk', { title: 'You have signed out' });
  });
};
