// "Forgotten your password?": a single-use link, sent by email through the product's SMTP server,
// to set a new one. The answer is the same whether or not an account uses the address (the work is
// done after answering); the link works once, for PASSWORD_RESET_MINUTES, is kept only as a hash,
// and setting a new password ends every session of the person. Links point at PUBLIC_URL, never at
// a Host header a caller chose (which would send someone's reset link to another site); without
// PUBLIC_URL they are made only for a service reached on localhost. Without email, or without a
// safe address for links, the page says to ask an admin instead.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formErrors, parseForm } from '../forms.ts';
import type { Services } from '../principal.ts';

const requestForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address')
    .max(320, 'Email address must be 320 characters or fewer')
    .pipe(z.email('Enter an email address in the correct format, like name@example.org')),
});

const resetForm = z.object({
  newPassword: z
    .string()
    .min(1, 'Enter a new password')
    .max(256, 'Password must be 256 characters or fewer'),
  confirmPassword: z.string().max(256, 'Password must be 256 characters or fewer'),
});

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export const passwordResetRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const { accounts, config, mail } = services;

  /** Where reset links point, or undefined when no address is safe to use. */
  function linkOrigin(request: FastifyRequest): string | undefined {
    if (config.publicUrl !== undefined) return config.publicUrl;
    if (LOOPBACK_NAMES.has(request.hostname)) return `${request.protocol}://${request.host}`;
    return undefined;
  }
  const available = (request: FastifyRequest) =>
    mail?.enabled === true && linkOrigin(request) !== undefined;

  const requestPage = (request: FastifyRequest) => ({
    title: 'Reset your password',
    available: available(request),
    emailMissing: mail?.enabled !== true,
  });

  app.get('/forgotten-password', async (request, reply) =>
    reply.page('pages/account/forgotten-password.njk', requestPage(request)),
  );

  app.post(
    '/forgotten-password',
    {
      config: {
        rateLimit: {
          max: config.signInRateLimit.max * 10,
          timeWindow: config.signInRateLimit.windowMs,
          keyGenerator: (request: FastifyRequest) => `reset:${request.ip}`,
        },
      },
    },
    async (request, reply) => {
      const origin = linkOrigin(request);
      if (!mail?.enabled || origin === undefined) {
        reply.code(409);
        return reply.page('pages/account/forgotten-password.njk', requestPage(request));
      }
      const form = parseForm(requestForm, request.body);
      if (!form.ok) {
        reply.code(400);
        return reply.page('pages/account/forgotten-password.njk', {
          ...requestPage(request),
          errors: form.errors.list,
          fieldErrors: form.errors.byField,
          values: form.values,
        });
      }
      accounts.requestPasswordReset(
        form.data.email,
        request.ip,
        (token) => `${origin}/reset-password/${token}`,
        (to, message) => mail.sendMessage(to, message),
        (error) => request.log.error(error, 'password reset email failed'),
      );
      return reply.redirect('/forgotten-password/sent', 303);
    },
  );

  app.get('/forgotten-password/sent', async (_request, reply) =>
    reply.page('pages/account/forgotten-password-sent.njk', {
      title: 'Check your email',
      minutes: config.passwordResetMinutes,
    }),
  );

  const tokenOf = (request: FastifyRequest) => {
    const token = (request.params as { token?: unknown }).token;
    return typeof token === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
  };
  const unusable = { title: 'This link cannot be used' };

  app.get('/reset-password/:token', async (request, reply) => {
    const token = tokenOf(request);
    const found = token ? await accounts.findPasswordReset(token) : undefined;
    if (!token || !found) {
      reply.code(404);
      return reply.page('pages/account/reset-unusable.njk', unusable);
    }
    return reply.page('pages/account/reset-password.njk', {
      title: 'Choose a new password',
      token,
      email: found.email,
    });
  });

  app.post('/reset-password/:token', async (request, reply) => {
    const token = tokenOf(request);
    const found = token ? await accounts.findPasswordReset(token) : undefined;
    if (!token || !found) {
      reply.code(404);
      return reply.page('pages/account/reset-unusable.njk', unusable);
    }
    const form = parseForm(resetForm, request.body);
    let errors = form.ok ? undefined : form.errors;
    if (form.ok && form.data.newPassword !== form.data.confirmPassword) {
      errors = formErrors([['confirmPassword', 'The passwords do not match']]);
    }
    if (form.ok && !errors) {
      const result = await accounts.resetPassword(token, form.data.newPassword);
      if (result.ok) {
        reply.flash('Your password has been reset. Sign in with your new password.');
        return reply.redirect('/sign-in', 303);
      }
      if (result.field === 'token') {
        reply.code(404);
        return reply.page('pages/account/reset-unusable.njk', unusable);
      }
      errors = formErrors([[result.field, result.message]]);
    }
    reply.code(400);
    return reply.page('pages/account/reset-password.njk', {
      title: 'Choose a new password',
      token,
      email: found.email,
      errors: errors?.list,
      fieldErrors: errors?.byField,
    });
  });

  // Reset emails still being sent when the service stops are finished first.
  app.addHook('onClose', () => accounts.whenIdle());
};
