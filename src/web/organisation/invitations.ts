// Accepting an invitation: the link's secret token is the only thing that finds the invitation,
// and it works once.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formErrors } from '../forms.ts';
import { startSession } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';

const acceptForm = z.object({
  name: z.string().max(200, 'Name must be 200 characters or fewer').optional().default(''),
  password: z.string().max(256, 'Password must be 256 characters or fewer').optional().default(''),
  confirmPassword: z.string().max(256).optional().default(''),
});

const tokenOf = (request: FastifyRequest) => {
  const token = (request.params as { token?: unknown }).token;
  return typeof token === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
};

export const invitationRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const { accounts } = services;

  app.get('/invitations/:token', async (request, reply) => {
    const token = tokenOf(request);
    const invitation = token ? await accounts.findInvitation(token) : undefined;
    if (!token || !invitation) {
      reply.code(404);
      return reply.page('pages/invitations/unusable.njk', {
        title: 'This invitation link cannot be used',
      });
    }
    return reply.page('pages/invitations/accept.njk', {
      title: `Join ${invitation.organisationName} on Throughline`,
      invitation,
      token,
      values: { name: invitation.name },
    });
  });

  app.post('/invitations/:token', async (request, reply) => {
    const token = tokenOf(request);
    const invitation = token ? await accounts.findInvitation(token) : undefined;
    if (!token || !invitation) {
      reply.code(404);
      return reply.page('pages/invitations/unusable.njk', {
        title: 'This invitation link cannot be used',
      });
    }
    const parsed = acceptForm.safeParse(request.body ?? {});
    const values = parsed.success ? parsed.data : { name: '', password: '', confirmPassword: '' };
    let errors = parsed.success ? undefined : formErrors([['password', 'Enter a password']]);
    if (!errors && !invitation.hasAccount && values.password !== values.confirmPassword) {
      errors = formErrors([['confirmPassword', 'The passwords do not match']]);
    }
    if (!errors) {
      const result = await accounts.acceptInvitation(token, values);
      if (result.ok) {
        const session = await accounts.openSession(result.userId, result.organisationId);
        if (session) await startSession(request, reply, services, session.token);
        reply.flash(`Welcome to ${invitation.organisationName}`);
        return reply.redirect('/organisation', 303);
      }
      if (result.field === 'token') {
        reply.code(409);
        return reply.page('pages/invitations/unusable.njk', {
          title: 'This invitation link cannot be used',
        });
      }
      errors = formErrors([[result.field, result.message]]);
    }
    reply.code(400);
    return reply.page('pages/invitations/accept.njk', {
      title: `Join ${invitation.organisationName} on Throughline`,
      invitation,
      token,
      values: { name: values.name },
      errors: errors.list,
      fieldErrors: errors.byField,
    });
  });
};
