// Your account: who you are, changing your password (the current one is needed, and every other
// session of yours ends), and signing out everywhere. Forgotten passwords are reset by a link sent
// by email (password-reset.ts). Only for people signed in with a session, never for API tokens.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { formErrors, parseForm } from '../forms.ts';
import { requireSignIn, sessionCookieName } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';

const changeForm = z.object({
  currentPassword: z
    .string()
    .min(1, 'Enter your current password')
    .max(256, 'Password must be 256 characters or fewer'),
  newPassword: z
    .string()
    .min(1, 'Enter a new password')
    .max(256, 'Password must be 256 characters or fewer'),
  confirmPassword: z.string().max(256, 'Password must be 256 characters or fewer'),
});

export const accountRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const { accounts, config } = services;
  const cookieName = sessionCookieName(config.secureCookies);

  app.get('/account', { preHandler: requireSignIn }, async (request, reply) =>
    reply.page('pages/account/index.njk', {
      title: 'Your account',
      idleMinutes: config.sessionIdleMinutes,
      sessionHours: config.sessionHours,
    }),
  );

  const changePage = { title: 'Change your password', backLink: '/account' };

  app.get('/account/password', { preHandler: requireSignIn }, async (_request, reply) =>
    reply.page('pages/account/change-password.njk', changePage),
  );

  app.post('/account/password', { preHandler: requireSignIn }, async (request, reply) => {
    const principal = request.principal;
    if (!principal?.sessionToken) return reply.redirect('/sign-in', 303);
    const form = parseForm(changeForm, request.body);
    let errors = form.ok ? undefined : form.errors;
    if (form.ok && form.data.newPassword !== form.data.confirmPassword) {
      errors = formErrors([['confirmPassword', 'The new passwords do not match']]);
    }
    if (form.ok && !errors) {
      const result = await accounts.changePassword(
        { ...principal, sessionToken: principal.sessionToken },
        { currentPassword: form.data.currentPassword, newPassword: form.data.newPassword },
      );
      if (result.ok) {
        reply.flash(
          'Your password has been changed. You have been signed out on every other device.',
        );
        return reply.redirect('/account', 303);
      }
      errors = formErrors([[result.field, result.message]]);
    }
    reply.code(400);
    return reply.page('pages/account/change-password.njk', {
      ...changePage,
      errors: errors?.list,
      fieldErrors: errors?.byField,
    });
  });

  app.post(
    '/account/sign-out-everywhere',
    { preHandler: requireSignIn },
    async (request, reply) => {
      const principal = request.principal;
      if (principal?.via !== 'session') return reply.redirect('/sign-in', 303);
      await accounts.signOutEverywhere(principal);
      reply.clearCookie(cookieName, { path: '/' });
      return reply.redirect('/signed-out?everywhere=1', 303);
    },
  );
};
