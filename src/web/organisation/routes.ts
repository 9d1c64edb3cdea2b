// Organisation settings: the overview, members and their roles, invitations, and the audit log
// (personal API tokens are in src/web/site/tokens.ts). Every handler reads and writes through request.scope, the caller's own
// organisation: an id from another organisation finds nothing and answers 404.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ROLE_DESCRIPTIONS, ROLES } from '../../services/accounts.ts';
import { MailError } from '../../services/mail/index.ts';
import { newSecretToken, sha256 } from '../../services/secrets.ts';
import type { Role } from '../../storage/index.ts';
import { parseForm, formErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { hasRole, type Services } from '../principal.ts';
import { notFound } from '../plugins/errors.ts';
import { csvField as csvCell } from '../../domain/assessment/exports.ts';
import {
  ACTION_GROUPS,
  auditNames,
  AUDIT_CSV_MAX,
  AUDIT_PAGE_SIZE,
  describeFilter,
  paginationFor,
  personItems,
  queryString,
  readAuditQuery,
} from './audit.ts';
import { describeAuditEvent } from './audit-words.ts';

const roleSchema = z.enum(['admin', 'lead', 'member', 'viewer'], { error: 'Select a role' });

const inviteForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter the person’s full name')
    .max(200, 'Name must be 200 characters or fewer'),
  email: z
    .string()
    .trim()
    .min(1, 'Enter the person’s email address')
    .max(320, 'Email address must be 320 characters or fewer')
    .pipe(z.email('Enter an email address in the correct format, like name@example.org')),
  role: roleSchema,
  /** "yes" to send the link by email (when email is set up). */
  sendEmail: z.enum(['yes']).optional(),
});

const roleForm = z.object({ role: roleSchema });

const settingsForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter the organisation’s name')
    .max(200, 'Name must be 200 characters or fewer'),
  sector: z
    .string()
    .trim()
    .min(1, 'Enter the sector')
    .max(100, 'Sector must be 100 characters or fewer'),
});

const roleItems = (selected?: string) =>
  ROLES.map((role) => ({
    value: role,
    text: role.charAt(0).toUpperCase() + role.slice(1),
    hint: { text: ROLE_DESCRIPTIONS[role] },
    checked: role === selected,
  }));

const idParam = z.object({ id: z.uuid() });

/** Parses the :id parameter; a malformed id is treated like a missing one. */
function idFrom(request: FastifyRequest): string | undefined {
  const parsed = idParam.safeParse(request.params);
  return parsed.success ? parsed.data.id : undefined;
}

const breadcrumbs = (organisationName: string, ...rest: { text: string; href?: string }[]) => [
  { text: 'Home', href: '/' },
  { text: organisationName, href: '/organisation' },
  ...rest,
];

export const organisationRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const { accounts, mail } = services;
  const mailEnabled = mail?.enabled === true;
  const admin = { preHandler: requireRole('admin') };

  app.get('/organisation', { preHandler: requireSignIn }, async (request, reply) => {
    const organisation = await request.scope.organisation();
    const members = await request.scope.members();
    return reply.page('pages/organisation/index.njk', {
      title: organisation.name,
      organisation,
      memberCount: members.length,
      isAdmin: hasRole(request.principal?.role ?? 'viewer', 'admin'),
    });
  });

  app.get('/organisation/settings', admin, async (request, reply) => {
    const organisation = await request.scope.organisation();
    return reply.page('pages/organisation/settings.njk', {
      title: 'Organisation details',
      values: organisation,
      organisation,
      breadcrumbs: breadcrumbs(organisation.name, { text: 'Organisation details' }),
    });
  });

  app.post('/organisation/settings', admin, async (request, reply) => {
    const form = parseForm(settingsForm, request.body);
    const organisation = await request.scope.organisation();
    if (!form.ok) {
      reply.code(400);
      return reply.page('pages/organisation/settings.njk', {
        title: 'Organisation details',
        organisation,
        values: form.values,
        errors: form.errors.list,
        fieldErrors: form.errors.byField,
        breadcrumbs: breadcrumbs(organisation.name, { text: 'Organisation details' }),
      });
    }
    await request.scope.updateOrganisation(form.data);
    reply.flash('Organisation details saved');
    return reply.redirect('/organisation', 303);
  });

  // ---- members ----

  app.get('/organisation/members', { preHandler: requireSignIn }, async (request, reply) => {
    const organisation = await request.scope.organisation();
    return reply.page('pages/organisation/members.njk', {
      title: 'Members',
      members: await request.scope.members(),
      isAdmin: hasRole(request.principal?.role ?? 'viewer', 'admin'),
      breadcrumbs: breadcrumbs(organisation.name, { text: 'Members' }),
    });
  });

  app.get('/organisation/members/:id', admin, async (request, reply) => {
    const id = idFrom(request);
    const member = id ? await request.scope.member(id) : undefined;
    if (!member) return notFound(reply);
    const organisation = await request.scope.organisation();
    return reply.page('pages/organisation/member.njk', {
      title: `Change ${member.name}’s role`,
      member,
      roleItems: roleItems(member.role),
      breadcrumbs: breadcrumbs(
        organisation.name,
        { text: 'Members', href: '/organisation/members' },
        { text: member.name },
      ),
    });
  });

  app.post('/organisation/members/:id', admin, async (request, reply) => {
    const id = idFrom(request);
    const member = id ? await request.scope.member(id) : undefined;
    if (!id || !member) return notFound(reply);
    const form = parseForm(roleForm, request.body);
    let errors = form.ok ? undefined : form.errors;
    if (
      form.ok &&
      member.role === 'admin' &&
      form.data.role !== 'admin' &&
      (await request.scope.countAdmins()) <= 1
    ) {
      errors = formErrors([
        ['role', 'An organisation must keep at least one admin. Make someone else an admin first'],
      ]);
    }
    if (errors || !form.ok) {
      const organisation = await request.scope.organisation();
      reply.code(400);
      return reply.page('pages/organisation/member.njk', {
        title: `Change ${member.name}’s role`,
        member,
        roleItems: roleItems(form.ok ? form.data.role : member.role),
        errors: errors?.list,
        fieldErrors: errors?.byField,
        breadcrumbs: breadcrumbs(
          organisation.name,
          { text: 'Members', href: '/organisation/members' },
          { text: member.name },
        ),
      });
    }
    await request.scope.changeRole(id, form.data.role);
    reply.flash(`${member.name} is now ${articleFor(form.data.role)} ${form.data.role}`);
    return reply.redirect('/organisation/members', 303);
  });

  app.get('/organisation/members/:id/remove', admin, async (request, reply) => {
    const id = idFrom(request);
    const member = id ? await request.scope.member(id) : undefined;
    if (!member) return notFound(reply);
    return reply.page('pages/organisation/remove-member.njk', {
      title: `Remove ${member.name} from the organisation`,
      member,
      backLink: '/organisation/members',
    });
  });

  app.post('/organisation/members/:id/remove', admin, async (request, reply) => {
    const id = idFrom(request);
    const member = id ? await request.scope.member(id) : undefined;
    if (!id || !member) return notFound(reply);
    if (member.role === 'admin' && (await request.scope.countAdmins()) <= 1) {
      reply.code(400);
      const errors = formErrors([
        [
          'confirm',
          'An organisation must keep at least one admin. Make someone else an admin first',
        ],
      ]);
      return reply.page('pages/organisation/remove-member.njk', {
        title: `Remove ${member.name} from the organisation`,
        member,
        errors: errors.list,
        backLink: '/organisation/members',
      });
    }
    await request.scope.removeMember(id);
    reply.flash(`${member.name} has been removed`);
    return reply.redirect('/organisation/members', 303);
  });

  // ---- invitations ----

  const renderInvitations = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const organisation = await request.scope.organisation();
    const now = new Date().toISOString();
    const emails = new Map(
      (await request.scope.mail.recipientsOfInvitations()).map((m) => [m.invitationId, m]),
    );
    const invitations = (await request.scope.invitations()).map((i) => ({
      ...i,
      mail: emails.get(i.id),
      status: i.acceptedAt
        ? 'Accepted'
        : i.revokedAt
          ? 'Withdrawn'
          : i.expiresAt <= now
            ? 'Expired'
            : 'Waiting',
    }));
    return reply.page('pages/organisation/invitations.njk', {
      title: 'Invitations',
      invitations,
      mailEnabled,
      breadcrumbs: breadcrumbs(organisation.name, { text: 'Invitations' }),
      ...extra,
    });
  };

  app.get('/organisation/invitations', admin, (request, reply) =>
    renderInvitations(request, reply),
  );

  app.get('/organisation/invitations/new', admin, async (request, reply) => {
    return reply.page('pages/organisation/invite.njk', {
      title: 'Invite someone to your organisation',
      values: { sendEmail: mailEnabled ? 'yes' : undefined },
      mailEnabled,
      roleItems: roleItems('member'),
      backLink: '/organisation/invitations',
    });
  });

  app.post('/organisation/invitations', admin, async (request, reply) => {
    const form = parseForm(inviteForm, request.body);
    let errors = form.ok ? undefined : form.errors;
    if (form.ok) {
      const existing = await request.scope.members();
      if (existing.some((m) => m.email === form.data.email.toLowerCase())) {
        errors = formErrors([
          ['email', `${form.data.email} is already a member of this organisation`],
        ]);
      }
    }
    if (errors || !form.ok) {
      reply.code(400);
      const values = form.ok ? form.data : form.values;
      return reply.page('pages/organisation/invite.njk', {
        title: 'Invite someone to your organisation',
        values,
        roleItems: roleItems(typeof values.role === 'string' ? values.role : undefined),
        mailEnabled,
        errors: errors?.list,
        fieldErrors: errors?.byField,
        backLink: '/organisation/invitations',
      });
    }
    const byEmail = form.data.sendEmail === 'yes' && mail !== undefined && mailEnabled;
    if (byEmail) {
      // The mail server is checked first: if it cannot be reached, nothing is made.
      try {
        await mail.check();
      } catch (error) {
        if (!(error instanceof MailError)) throw error;
        reply.code(503);
        const message = `The invitation was not sent: ${error.message} Nothing was made. Try again later, or untick “Send the invitation by email” to copy the link yourself.`;
        return reply.page('pages/organisation/invite.njk', {
          title: 'Invite someone to your organisation',
          values: form.data,
          roleItems: roleItems(form.data.role),
          mailEnabled,
          errors: [{ text: message, href: '#sendEmail' }],
          fieldErrors: { sendEmail: { text: message } },
          backLink: '/organisation/invitations',
        });
      }
    }
    const { token, invitationId } = await accounts.invite(request.scope, form.data);
    const origin = `${request.protocol}://${request.host}`;
    const link = `${origin}/invitations/${token}`;
    const invitation = await request.scope.invitation(invitationId);
    const emailed =
      byEmail && invitation
        ? await mail.sendMemberInvitation(
            request.scope,
            invitation,
            ROLE_DESCRIPTIONS[invitation.role],
            link,
            origin,
          )
        : undefined;
    return reply.page('pages/organisation/invitation-created.njk', {
      title: emailed?.sent ? 'Invitation sent' : 'Invitation created',
      invitee: form.data,
      link,
      emailed,
    });
  });

  app.post('/organisation/invitations/:id/resend', admin, async (request, reply) => {
    const id = idFrom(request);
    const invitation = id ? await request.scope.invitation(id) : undefined;
    if (!id || !invitation || !mail) return notFound(reply);
    const now = new Date().toISOString();
    const waiting = !invitation.acceptedAt && !invitation.revokedAt && invitation.expiresAt > now;
    const previous = (await request.scope.mail.recipientsOfInvitations()).find(
      (m) => m.invitationId === id,
    );
    let error: string | undefined;
    if (!waiting) error = 'This invitation has been accepted, withdrawn or has expired.';
    else {
      try {
        await mail.check();
      } catch (e) {
        if (!(e instanceof MailError)) throw e;
        error = e.message;
      }
    }
    if (error === undefined) {
      // A new link: the one in the earlier message stops working once this one is sent.
      const token = newSecretToken('', 24);
      const origin = previous?.linkOrigin ?? `${request.protocol}://${request.host}`;
      const sent = await mail.sendMemberInvitation(
        request.scope,
        invitation,
        ROLE_DESCRIPTIONS[invitation.role],
        `${origin}/invitations/${token}`,
        origin,
        previous?.id,
      );
      if (sent.sent) {
        await request.scope.mail.replaceInvitationToken(id, sha256(token));
        reply.flash(
          `The invitation has been sent again to ${invitation.email}; the earlier link no longer works`,
        );
        return reply.redirect('/organisation/invitations', 303);
      }
      error = sent.error;
    }
    reply.code(error?.startsWith('The email server') ? 503 : 400);
    return renderInvitations(request, reply, {
      errors: [
        {
          text: `The invitation to ${invitation.email} was not sent again: ${error ?? ''}`,
          href: '#invitations',
        },
      ],
    });
  });

  app.post('/organisation/invitations/:id/revoke', admin, async (request, reply) => {
    const id = idFrom(request);
    const invitation = id ? await request.scope.invitation(id) : undefined;
    if (!id || !invitation) return notFound(reply);
    if (await request.scope.revokeInvitation(id)) {
      reply.flash(`The invitation to ${invitation.email} has been withdrawn`);
    }
    return reply.redirect('/organisation/invitations', 303);
  });

  // ---- audit log ----

  app.get('/organisation/audit', admin, async (request, reply) => {
    const organisation = await request.scope.organisation();
    const query = readAuditQuery(request.query);
    const reader = request.scope.auditRecords;
    const filter = query.ok ? query.filter : {};
    const total = await reader.count(filter);
    const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
    const pageNumber = Math.min(query.ok ? query.page : 1, pages);
    const events = await reader.events(filter, (pageNumber - 1) * AUDIT_PAGE_SIZE, AUDIT_PAGE_SIZE);
    const names = await auditNames(request, services, events);
    if (!query.ok) reply.code(400);
    return reply.page('pages/organisation/audit.njk', {
      title: 'Audit log',
      events: events.map((e) => ({ at: e.at, ...describeAuditEvent(e, names) })),
      total,
      filtered: query.ok && query.filtered,
      values: query.values,
      errors: query.ok ? undefined : query.errors.list,
      fieldErrors: query.ok ? undefined : query.errors.byField,
      personItems: await personItems(request, query.values.person),
      actionGroups: ACTION_GROUPS,
      pagination: paginationFor(pageNumber, pages, query.values),
      firstShown: total === 0 ? 0 : (pageNumber - 1) * AUDIT_PAGE_SIZE + 1,
      lastShown: (pageNumber - 1) * AUDIT_PAGE_SIZE + events.length,
      csvHref: `/organisation/audit.csv${queryString(query.values)}`,
      breadcrumbs: breadcrumbs(organisation.name, { text: 'Audit log' }),
    });
  });

  app.get('/organisation/audit.csv', admin, async (request, reply) => {
    const query = readAuditQuery(request.query);
    if (!query.ok) return reply.redirect(`/organisation/audit${queryString(query.values)}`, 303);
    const reader = request.scope.auditRecords;
    const rows: string[] = [
      [
        'When',
        'Who',
        'What happened',
        'Kind of action',
        'Details',
        'Action',
        'Actor user id',
        'Actor label',
        'Entity type',
        'Entity id',
        'Details (JSON)',
      ]
        .map(csvCell)
        .join(','),
    ];
    let shown = 0;
    for (let offset = 0; offset < AUDIT_CSV_MAX; offset += 1000) {
      const events = await reader.events(query.filter, offset, 1000);
      if (events.length === 0) break;
      const names = await auditNames(request, services, events);
      for (const e of events) {
        const d = describeAuditEvent(e, names);
        rows.push(
          [
            e.at,
            d.who,
            d.sentence,
            d.label,
            d.details.map((x) => `${x.label}: ${x.value}`).join('; '),
            e.action,
            e.actorUserId,
            e.actorLabel,
            e.entityType,
            e.entityId,
            JSON.stringify(e.details),
          ]
            .map(csvCell)
            .join(','),
        );
      }
      shown += events.length;
      if (events.length < 1000) break;
    }
    await request.scope.audit({
      action: 'audit.exported',
      entityType: 'audit_log',
      entityId: null,
      details: { events: shown, filters: describeFilter(query.values) },
    });
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`,
      )
      .send(`${rows.join('\r\n')}\r\n`);
  });
};

function articleFor(role: Role): string {
  return role === 'admin' ? 'an' : 'a';
}
