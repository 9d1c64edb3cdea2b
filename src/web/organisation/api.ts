// The organisation's JSON API: who the token belongs to, members, invitations and the audit log.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, secured } from '../api.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';

const roleSchema = z.enum(['admin', 'lead', 'member', 'viewer']);

const memberSchema = z
  .object({
    membershipId: z.uuid(),
    userId: z.uuid(),
    name: z.string(),
    email: z.string(),
    role: roleSchema,
    joinedAt: z.iso.datetime(),
  })
  .meta({ id: 'Member', title: 'Member' });

const auditEventSchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    actorLabel: z.string(),
    actorUserId: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent', title: 'Audit event' });

export const organisationApiRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/me',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Who the token belongs to',
        tags: ['organisation'],
        security: secured,
        response: {
          200: z.object({
            user: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
            organisation: z.object({
              id: z.uuid(),
              name: z.string(),
              kind: z.enum(['public_body', 'strategic_institution']),
              sector: z.string(),
            }),
            role: roleSchema,
          }),
          401: errorSchema,
        },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (!principal) throw new Error('unreachable: requireSignIn');
      const organisation = await request.scope.organisation();
      return {
        user: { id: principal.userId, name: principal.userName, email: principal.email },
        organisation: {
          id: organisation.id,
          name: organisation.name,
          kind: organisation.kind,
          sector: organisation.sector,
        },
        role: principal.role,
      };
    },
  );

  api.get(
    '/api/organisation/members',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Members of your organisation',
        tags: ['organisation'],
        security: secured,
        response: { 200: z.object({ members: z.array(memberSchema) }), 401: errorSchema },
      },
    },
    async (request) => ({ members: await request.scope.members() }),
  );

  api.patch(
    '/api/organisation/members/:id',
    {
      preHandler: requireRole('admin'),
      schema: {
        summary: 'Change a member’s role',
        description: 'Admins only. An organisation always keeps at least one admin. Audited.',
        tags: ['organisation'],
        security: secured,
        params: z.object({ id: z.uuid() }),
        body: z.object({ role: roleSchema }).strict(),
        response: {
          200: memberSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
          409: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const member = await request.scope.member(request.params.id);
      if (!member)
        return reply
          .code(404)
          .send({ error: 'not_found', message: 'No such member in your organisation' });
      if (
        member.role === 'admin' &&
        request.body.role !== 'admin' &&
        (await request.scope.countAdmins()) <= 1
      ) {
        return reply
          .code(409)
          .send({ error: 'last_admin', message: 'An organisation must keep at least one admin' });
      }
      await request.scope.changeRole(member.membershipId, request.body.role);
      return { ...member, role: request.body.role };
    },
  );

  api.post(
    '/api/organisation/invitations',
    {
      preHandler: requireRole('admin'),
      schema: {
        summary: 'Invite someone',
        description:
          'Admins only. Returns the single-use invitation link once; only its hash is stored. Audited.',
        tags: ['organisation'],
        security: secured,
        body: z
          .object({
            name: z.string().trim().min(1).max(200),
            email: z.email().max(320),
            role: roleSchema,
          })
          .strict(),
        response: {
          201: z.object({ invitationId: z.uuid(), link: z.url(), expiresInDays: z.number() }),
          401: errorSchema,
          403: errorSchema,
          409: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const email = request.body.email.toLowerCase();
      if ((await request.scope.members()).some((m) => m.email === email)) {
        return reply
          .code(409)
          .send({ error: 'already_member', message: `${email} is already a member` });
      }
      const { invitationId, token } = await services.accounts.invite(request.scope, request.body);
      return reply.code(201).send({
        invitationId,
        link: `${request.protocol}://${request.host}/invitations/${token}`,
        expiresInDays: 14,
      });
    },
  );

  api.get(
    '/api/organisation/audit',
    {
      preHandler: requireRole('admin'),
      schema: {
        summary: 'Your organisation’s audit log, newest first',
        description: 'Admins only, as on the audit log page.',
        tags: ['organisation'],
        security: secured,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: z.uuid().optional(),
        }),
        response: {
          200: z.object({ events: z.array(auditEventSchema) }),
          401: errorSchema,
          403: errorSchema,
        },
      },
    },
    async (request) => ({
      events: await request.scope.auditLog(request.query.limit, request.query.before),
    }),
  );
};
