// Assessment rounds for leads: create a round with its respondent groups, open and close it, and
// invite respondents — signed-in members, or people without an account through single-use links.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { groupNameClashes, tidyGroupName } from '../../domain/assessment/index.ts';
import { MailError, type InviteResult } from '../../services/mail/index.ts';
import { inviteEmail, readInviteCsv } from '../../services/mail/invites-csv.ts';
import { newSecretToken, sha256 } from '../../services/secrets.ts';
import type { Round } from '../../storage/index.ts';
import { acceptSmallMultipartForms } from '../multipart.ts';
import { formErrors, parseForm } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { hasRole, type Services } from '../principal.ts';
import { notFound } from '../plugins/errors.ts';
import { loadRound, STATUS_TAGS } from './shared.ts';

export const DEFAULT_GROUPS = [
  'Leadership',
  'Managers',
  'Frontline staff',
  'Digital & data',
  'HR & workforce',
  'Procurement & commercial',
];

/** Reads a GOV.UK date input (day, month, year) into an ISO date, or says what is wrong with it. */
export function readDateInput(
  day: string,
  month: string,
  year: string,
  label: string,
): { ok: true; iso: string } | { ok: false; message: string } {
  if (day === '' && month === '' && year === '')
    return { ok: false, message: `Enter the ${label}` };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const date = new Date(Date.UTC(y, m - 1, d));
  const real =
    /^\d{1,2}$/.test(day) &&
    /^\d{1,2}$/.test(month) &&
    /^\d{4}$/.test(year) &&
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === m - 1 &&
    date.getUTCDate() === d;
  if (!real) return { ok: false, message: `The ${label} must be a real date, like 27 3 2027` };
  return { ok: true, iso: date.toISOString().slice(0, 10) };
}

const roundForm = z.object({
  title: z
    .string()
    .trim()
    .min(1, 'Enter a title for the round')
    .max(200, 'Title must be 200 characters or fewer'),
  scope: z.enum(['organisation', 'sector'], { error: 'Select what the round assesses' }),
  groups: z
    .string()
    .max(5000, 'Groups must be 5,000 characters or fewer')
    .transform((text) =>
      text
        .split(/\r?\n/)
        .map(tidyGroupName)
        .filter((g) => g !== ''),
    )
    .pipe(
      z
        .array(z.string().max(100, 'Each group name must be 100 characters or fewer'))
        .min(1, 'Enter at least one respondent group')
        .max(30, 'Enter 30 groups or fewer')
        .superRefine((names, context) => {
          for (const clash of groupNameClashes(names)) {
            context.addIssue({ code: 'custom', message: clash.message });
          }
        }),
    ),
  minGroupSize: z
    .string()
    .trim()
    .regex(/^\d+$/, 'Enter the smallest group size as a whole number, like 3')
    .transform(Number)
    .pipe(
      z
        .number()
        .min(2, 'The smallest group shown must be 2 or more')
        .max(50, 'The smallest group shown must be 50 or fewer'),
    ),
});

const respondentForm = z.object({
  membershipUserId: z.uuid({ error: 'Select a member' }),
  groupId: z.uuid({ error: 'Select a group' }),
});

const linksForm = z.object({
  groupId: z.uuid({ error: 'Select a group' }),
  count: z
    .string()
    .trim()
    .regex(/^\d+$/, 'Enter how many links, as a whole number')
    .transform(Number)
    .pipe(z.number().min(1, 'Make at least 1 link').max(200, 'Make 200 links or fewer at a time')),
  label: z.string().trim().max(100, 'Label must be 100 characters or fewer').optional().default(''),
});

const emailInviteForm = z.object({
  email: inviteEmail,
  groupId: z.uuid({ error: 'Select a group' }),
});

/** Largest CSV of people to invite (200 rows fit in far less). */
const INVITE_CSV_LIMIT = 256 * 1024;

function dateFields(prefix: string, iso: unknown, values: Record<string, unknown>) {
  const [y, m, d] = typeof iso === 'string' ? iso.split('-') : [];
  return [
    {
      name: 'day',
      classes: 'govuk-input--width-2',
      value: values[`${prefix}-day`] ?? (d ? String(Number(d)) : ''),
    },
    {
      name: 'month',
      classes: 'govuk-input--width-2',
      value: values[`${prefix}-month`] ?? (m ? String(Number(m)) : ''),
    },
    { name: 'year', classes: 'govuk-input--width-4', value: values[`${prefix}-year`] ?? y ?? '' },
  ];
}

export const assessmentRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const lead = { preHandler: requireRole('lead') };
  const signedIn = { preHandler: requireSignIn };

  const crumbs = (round?: Round, ...rest: { text: string; href?: string }[]) => [
    { text: 'Home', href: '/' },
    { text: 'Assessments', href: '/assessments' },
    ...(round ? [{ text: round.title, href: `/assessments/${round.id}` }] : []),
    ...rest,
  ];

  app.get('/assessments', signedIn, async (request, reply) => {
    const rounds = await request.scope.assessments.rounds();
    return reply.page('pages/assessments/index.njk', {
      title: 'Capability assessments',
      rounds: rounds.map((r) => ({ ...r, tag: STATUS_TAGS[r.status] })),
      canLead: hasRole(request.principal?.role ?? 'viewer', 'lead'),
      breadcrumbs: crumbs(),
    });
  });

  const renderNew = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    errors?: { list: unknown; byField: unknown },
  ) => {
    const organisation = await request.scope.organisation();
    return reply.page('pages/assessments/new.njk', {
      title: 'Start an assessment round',
      values,
      institution: organisation.kind === 'strategic_institution',
      opensOn: dateFields('opensOn', values.opensOn, values),
      closesOn: dateFields('closesOn', values.closesOn, values),
      errors: errors?.list,
      fieldErrors: errors?.byField,
      breadcrumbs: crumbs(undefined, { text: 'New round' }),
    });
  };

  app.get('/assessments/new', lead, async (request, reply) => {
    const today = new Date();
    const inFourWeeks = new Date(today.getTime() + 28 * 86_400_000);
    return renderNew(request, reply, {
      title: '',
      scope: 'organisation',
      groups: DEFAULT_GROUPS.join('\n'),
      minGroupSize: '3',
      opensOn: today.toISOString().slice(0, 10),
      closesOn: inFourWeeks.toISOString().slice(0, 10),
    });
  });

  app.post('/assessments', lead, async (request, reply) => {
    const organisation = await request.scope.organisation();
    const body: Record<string, unknown> = {
      scope: 'organisation',
      ...(request.body as Record<string, unknown>),
    };
    const form = parseForm(roundForm, body);
    // Dates are read apart from the schema so that every problem is reported at once.
    const field = (name: string) =>
      typeof body[name] === 'string' ? (body[name] as string).trim() : '';
    const opens = readDateInput(
      field('opensOn-day'),
      field('opensOn-month'),
      field('opensOn-year'),
      'opening date',
    );
    const closes = readDateInput(
      field('closesOn-day'),
      field('closesOn-month'),
      field('closesOn-year'),
      'closing date',
    );
    const problems: [string, string][] = form.ok
      ? []
      : form.errors.list.map((e) => [e.href.slice(1), e.text] as [string, string]);
    if (!opens.ok) problems.push(['opensOn', opens.message]);
    if (!closes.ok) problems.push(['closesOn', closes.message]);
    if (form.ok && form.data.scope === 'sector' && organisation.kind !== 'strategic_institution') {
      problems.push(['scope', 'Only a strategic institution can run a sector-level round']);
    }
    if (opens.ok && closes.ok && closes.iso < opens.iso) {
      problems.push(['closesOn', 'The closing date must be the same as or after the opening date']);
    }
    if (!form.ok || !opens.ok || !closes.ok || problems.length > 0) {
      reply.code(400);
      return renderNew(request, reply, body, formErrors(problems));
    }
    const fw = services.framework;
    const id = await request.scope.assessments.createRound({
      scope: form.data.scope,
      title: form.data.title,
      opensOn: opens.iso,
      closesOn: closes.iso,
      groups: form.data.groups,
      minGroupSize: form.data.minGroupSize,
      framework: { id: fw.id, version: fw.version, document: fw.document },
    });
    reply.flash('Round created. Open it when you are ready for people to answer.');
    return reply.redirect(`/assessments/${id}`, 303);
  });

  app.get('/assessments/:id', signedIn, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    const responses = await request.scope.assessments.responses(round.id);
    const live = responses.filter((r) => r.revokedAt === null);
    const byGroup = round.groups.map((g) => {
      const mine = live.filter((r) => r.groupId === g.id);
      return {
        ...g,
        invited: mine.length,
        inProgress: mine.filter((r) => r.status === 'in_progress').length,
        submitted: mine.filter((r) => r.status === 'submitted').length,
      };
    });
    const principal = request.principal;
    const own = principal ? live.find((r) => r.userId === principal.userId) : undefined;
    // Every version of a finalised round's results: who recorded it, when and why (issue 12, point 3).
    const versions =
      round.status === 'finalised'
        ? (await request.scope.assessments.snapshots(round.id)).map((s) => ({
            version: s.version,
            createdAt: s.createdAt,
            createdByName: s.createdByName,
            reason: s.reason,
          }))
        : [];
    return reply.page('pages/assessments/round.njk', {
      title: round.title,
      round,
      versions,
      tag: STATUS_TAGS[round.status],
      byGroup,
      totals: {
        invited: live.length,
        submitted: live.filter((r) => r.status === 'submitted').length,
      },
      own,
      canLead: hasRole(principal?.role ?? 'viewer', 'lead'),
      canAnswer: hasRole(principal?.role ?? 'viewer', 'member'),
      breadcrumbs: crumbs(undefined, { text: round.title }),
    });
  });

  // ---- editing a round before it is finalised ----

  const renderEdit = async (
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    values: Record<string, unknown>,
    errors?: { list: unknown; byField: unknown },
  ) => {
    const responses = await request.scope.assessments.responses(round.id);
    return reply.page('pages/assessments/edit.njk', {
      title: `Change ${round.title}`,
      round,
      values,
      groups: round.groups.map((g) => ({
        ...g,
        respondents: responses.filter((r) => r.groupId === g.id).length,
        value: typeof values[`group-${g.id}`] === 'string' ? values[`group-${g.id}`] : g.name,
        remove: values[`remove-${g.id}`] === 'yes',
      })),
      opensOn: dateFields('opensOn', round.opensOn, values),
      closesOn: dateFields('closesOn', round.closesOn, values),
      errors: errors?.list,
      fieldErrors: errors?.byField,
      breadcrumbs: crumbs(round, { text: 'Change the round' }),
    });
  };

  app.get('/assessments/:id/edit', lead, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    if (round.status === 'finalised') return reply.redirect(`/assessments/${round.id}`, 303);
    return renderEdit(request, reply, round, {
      title: round.title,
      minGroupSize: String(round.minGroupSize),
    });
  });

  app.post('/assessments/:id/edit', lead, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    if (round.status === 'finalised') return reply.redirect(`/assessments/${round.id}`, 303);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const text = (name: string) =>
      typeof body[name] === 'string' ? (body[name] as string).trim() : '';
    const problems: [string, string][] = [];
    const title = text('title');
    if (title === '') problems.push(['title', 'Enter a title for the round']);
    if (title.length > 200) problems.push(['title', 'Title must be 200 characters or fewer']);
    const opens = readDateInput(
      text('opensOn-day'),
      text('opensOn-month'),
      text('opensOn-year'),
      'opening date',
    );
    const closes = readDateInput(
      text('closesOn-day'),
      text('closesOn-month'),
      text('closesOn-year'),
      'closing date',
    );
    if (!opens.ok) problems.push(['opensOn', opens.message]);
    if (!closes.ok) problems.push(['closesOn', closes.message]);
    if (opens.ok && closes.ok && closes.iso < opens.iso) {
      problems.push(['closesOn', 'The closing date must be the same as or after the opening date']);
    }
    const minGroupSize = Number(text('minGroupSize'));
    if (!/^\d+$/.test(text('minGroupSize')) || minGroupSize < 2 || minGroupSize > 50) {
      problems.push([
        'minGroupSize',
        'Enter the smallest group size as a whole number from 2 to 50',
      ]);
    }
    const renames = round.groups.map((g) => ({
      groupId: g.id,
      name: tidyGroupName(text(`group-${g.id}`)) || g.name,
    }));
    for (const r of renames) {
      if (r.name.length > 100)
        problems.push([`group-${r.groupId}`, 'Each group name must be 100 characters or fewer']);
    }
    const removals = round.groups.filter((g) => body[`remove-${g.id}`] === 'yes').map((g) => g.id);
    const additions = text('newGroups')
      .split(/\r?\n/)
      .map(tidyGroupName)
      .filter((g) => g !== '');
    if (additions.some((g) => g.length > 100))
      problems.push(['newGroups', 'Each group name must be 100 characters or fewer']);
    // Names are compared as the round will hold them: kept groups (renamed or not), then additions.
    const kept = renames.filter((r) => body[`remove-${r.groupId}`] !== 'yes');
    const fieldOf = new Map<string, string>(kept.map((r) => [r.name, `group-${r.groupId}`]));
    for (const clash of groupNameClashes([...kept.map((r) => r.name), ...additions])) {
      problems.push([fieldOf.get(clash.repeated) ?? 'newGroups', clash.message]);
    }
    if (problems.length === 0 && opens.ok && closes.ok) {
      const problem = await request.scope.assessments.updateRound(round.id, {
        title,
        opensOn: opens.iso,
        closesOn: closes.iso,
        minGroupSize,
        renames,
        removals,
        additions,
      });
      if (!problem) {
        reply.flash('The round has been changed');
        return reply.redirect(`/assessments/${round.id}`, 303);
      }
      problems.push(['groups', problem]);
    }
    reply.code(400);
    return renderEdit(request, reply, round, body, formErrors(problems));
  });

  for (const [action, from, to, message] of [
    ['open', ['draft', 'closed'], 'open', 'The round is open: respondents can now answer.'],
    ['close', ['open'], 'closed', 'The round is closed: no more answers are accepted.'],
  ] as const) {
    app.post(`/assessments/:id/${action}`, lead, async (request, reply) => {
      const round = await loadRound(request);
      if (!round) return notFound(reply);
      const changed = await request.scope.assessments.changeStatus(round.id, from, to);
      if (changed) reply.flash(message);
      return reply.redirect(`/assessments/${round.id}`, 303);
    });
  }

  // ---- deleting a round that never opened ----

  app.get('/assessments/:id/delete', lead, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    if (round.status !== 'draft') return reply.redirect(`/assessments/${round.id}`, 303);
    const links = (await request.scope.assessments.responses(round.id)).filter(
      (r) => r.revokedAt === null,
    ).length;
    return reply.page('pages/assessments/delete.njk', {
      title: `Delete ${round.title}`,
      round,
      links,
      breadcrumbs: crumbs(round, { text: 'Delete' }),
    });
  });

  app.post('/assessments/:id/delete', lead, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    if (!(await request.scope.assessments.deleteDraftRound(round.id))) {
      reply.flash('Only a round that has never been opened can be deleted.');
      return reply.redirect(`/assessments/${round.id}`, 303);
    }
    reply.flash(`‘${round.title}’ has been deleted.`);
    return reply.redirect('/assessments', 303);
  });

  // ---- respondents ----

  // The CSV of people to invite by email is posted as multipart/form-data, read whole within a
  // small limit in this plugin's own context (the CSRF token is one of its fields).
  acceptSmallMultipartForms(app, INVITE_CSV_LIMIT);

  const mail = services.mail;
  const mailEnabled = mail?.enabled === true;

  const renderRespondents = async (
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    extra: Record<string, unknown> = {},
  ) => {
    const responses = await request.scope.assessments.responses(round.id);
    const members = await request.scope.members();
    const taken = new Set(responses.filter((r) => r.revokedAt === null).map((r) => r.userId));
    const byResponse = new Map(
      (await request.scope.mail.recipientsOfRound(round.id)).map((m) => [m.responseId, m]),
    );
    return reply.page('pages/assessments/respondents.njk', {
      title: `Respondents: ${round.title}`,
      round,
      responses: responses.map((r) => ({ ...r, mail: byResponse.get(r.id) })),
      mailEnabled,
      reminderDays: mail?.reminderDays ?? [],
      memberItems: [
        { value: '', text: 'Choose a member' },
        ...members
          .filter((m) => !taken.has(m.userId) && m.role !== 'viewer')
          .map((m) => ({ value: m.userId, text: `${m.name} (${m.email})` })),
      ],
      groupItems: [
        { value: '', text: 'Choose a group' },
        ...round.groups.map((g) => ({ value: g.id, text: g.name })),
      ],
      values: {},
      breadcrumbs: crumbs(round, { text: 'Respondents' }),
      ...extra,
    });
  };

  /** The page after invitations by email: who was sent what, and every link to copy. */
  const renderInvited = (
    reply: FastifyReply,
    round: Round,
    results: InviteResult[],
    skipped: number,
  ) => {
    const sent = results.filter((r) => r.sent).length;
    return reply.page('pages/assessments/links-created.njk', {
      title:
        sent === results.length
          ? `${sent} ${sent === 1 ? 'invitation' : 'invitations'} sent by email`
          : `${sent} of ${results.length} invitations sent by email`,
      round,
      byEmail: true,
      failed: results.filter((r) => !r.sent),
      skipped,
      links: results.map((r) => ({
        label: r.label,
        url: r.url,
        email: r.email,
        group: r.groupName,
        sent: r.sent,
        error: r.error,
      })),
      linksText: results.map((r) => `${r.email}\t${r.groupName}\t${r.url}`).join('\n'),
      breadcrumbs: crumbs(
        round,
        { text: 'Respondents', href: `/assessments/${round.id}/respondents` },
        { text: 'Invitations sent' },
      ),
    });
  };

  /** Emails that already have a working invitation in this round (not answered, not withdrawn). */
  const alreadyInvited = async (request: FastifyRequest, round: Round): Promise<Set<string>> => {
    const responses = new Map(
      (await request.scope.assessments.responses(round.id)).map((r) => [r.id, r]),
    );
    return new Set(
      (await request.scope.mail.recipientsOfRound(round.id))
        .filter((m) => {
          const r = m.responseId ? responses.get(m.responseId) : undefined;
          return m.email !== null && r !== undefined && r.revokedAt === null;
        })
        .map((m) => m.email ?? ''),
    );
  };

  const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

  app.post('/assessments/:id/invite-email', lead, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    const form = parseForm(emailInviteForm, request.body);
    let errors = form.ok ? undefined : form.errors;
    if (!mail || !mailEnabled)
      errors = formErrors([
        ['email', 'Email is not set up on this service: make links below and copy them to people'],
      ]);
    else if (form.ok && !round.groups.some((g) => g.id === form.data.groupId))
      errors = formErrors([['email-groupId', 'Select a group']]);
    else if (form.ok && round.status === 'finalised')
      errors = formErrors([['email', 'This round is finalised']]);
    else if (form.ok && (await alreadyInvited(request, round)).has(form.data.email))
      errors = formErrors([
        ['email', `${form.data.email} has already been invited to this round by email`],
      ]);
    if (!form.ok || errors || !mail) {
      reply.code(400);
      const values = form.ok ? form.data : form.values;
      return renderRespondents(request, reply, round, {
        emailValues: values,
        errors: errors?.list.map((e) =>
          e.href === '#groupId' ? { ...e, href: '#email-groupId' } : e,
        ),
        fieldErrors: remapGroupError(errors?.byField),
      });
    }
    try {
      const results = await mail.inviteRespondents(
        request.scope,
        round,
        [{ email: form.data.email, groupId: form.data.groupId }],
        origin(request),
      );
      return renderInvited(reply, round, results, 0);
    } catch (error) {
      if (!(error instanceof MailError)) throw error;
      reply.code(503);
      const message = `The invitation was not sent: ${error.message} Nothing was made. Try again later, or make a link below and copy it to them.`;
      return renderRespondents(request, reply, round, {
        emailValues: form.data,
        errors: [{ text: message, href: '#email' }],
        fieldErrors: { email: { text: message } },
      });
    }
  });

  app.post('/assessments/:id/invite-csv', lead, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const file = body.file as { fileName?: string; text?: string } | undefined;
    const refuse = (problems: string[], code = 400) => {
      reply.code(code);
      return renderRespondents(request, reply, round, {
        errors: problems.map((text) => ({ text, href: '#file' })),
        fieldErrors: {
          file: {
            text:
              problems.length === 1
                ? (problems[0] ?? '')
                : `The file has ${problems.length} problems, listed at the top of the page. No one was invited: correct the file and upload it again.`,
          },
        },
      });
    };
    if (!mail || !mailEnabled)
      return refuse([
        'Email is not set up on this service: make links below and copy them to people',
      ]);
    if (round.status === 'finalised') return refuse(['This round is finalised']);
    if (typeof file !== 'object' || !file.fileName || !file.text)
      return refuse(['Select a CSV file with the columns email and group']);
    const read = readInviteCsv(file.text, round.groups);
    if (!read.ok) return refuse([...read.problems]);
    const invited = await alreadyInvited(request, round);
    const fresh = read.invites.filter((i) => !invited.has(i.email));
    const skipped = read.invites.length - fresh.length;
    if (fresh.length === 0)
      return refuse(['Everyone in the file has already been invited to this round by email']);
    try {
      const results = await mail.inviteRespondents(request.scope, round, fresh, origin(request));
      return renderInvited(reply, round, results, skipped);
    } catch (error) {
      if (!(error instanceof MailError)) throw error;
      return refuse(
        [
          `The invitations were not sent: ${error.message} No one was invited and no links were made. Try again later, or make links below and copy them to people.`,
        ],
        503,
      );
    }
  });

  app.post('/assessments/:id/respondents/:responseId/resend', lead, async (request, reply) => {
    const round = await loadRound(request);
    const responseId = z.uuid().safeParse((request.params as { responseId?: string }).responseId);
    if (!round || !responseId.success || !mail) return notFound(reply);
    const result = await mail.resendToRespondent(request.scope, round, responseId.data);
    if (result.ok) {
      reply.flash(`A new link has been sent to ${result.email}; the earlier link no longer works`);
      return reply.redirect(`/assessments/${round.id}/respondents`, 303);
    }
    reply.code(result.error.startsWith('The email server') ? 503 : 400);
    return renderRespondents(request, reply, round, {
      errors: [{ text: `The invitation was not sent again: ${result.error}`, href: '#invited' }],
    });
  });

  app.get('/assessments/:id/respondents', lead, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    return renderRespondents(request, reply, round);
  });

  app.post('/assessments/:id/respondents', lead, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    const form = parseForm(respondentForm, request.body);
    let errors = form.ok ? undefined : form.errors;
    let member;
    if (form.ok) {
      member = await request.scope.memberByUserId(form.data.membershipUserId);
      const existing = await request.scope.assessments.responseOfUser(
        round.id,
        form.data.membershipUserId,
      );
      if (!member || member.role === 'viewer')
        errors = formErrors([
          ['membershipUserId', 'Select a member who can answer (viewers cannot)'],
        ]);
      else if (existing)
        errors = formErrors([['membershipUserId', `${member.name} is already a respondent`]]);
      else if (!round.groups.some((g) => g.id === form.data.groupId))
        errors = formErrors([['groupId', 'Select a group']]);
      else if (round.status === 'finalised')
        errors = formErrors([['membershipUserId', 'This round is finalised']]);
    }
    if (!form.ok || errors || !member) {
      reply.code(400);
      return renderRespondents(request, reply, round, {
        values: form.ok ? form.data : form.values,
        errors: errors?.list,
        fieldErrors: errors?.byField,
      });
    }
    await request.scope.assessments.createResponse({
      roundId: round.id,
      groupId: form.data.groupId,
      userId: member.userId,
      label: member.name,
    });
    reply.flash(`${member.name} has been added as a respondent`);
    return reply.redirect(`/assessments/${round.id}/respondents`, 303);
  });

  app.post('/assessments/:id/links', lead, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    const form = parseForm(linksForm, request.body);
    let errors = form.ok ? undefined : form.errors;
    if (form.ok && !round.groups.some((g) => g.id === form.data.groupId))
      errors = formErrors([['groupId', 'Select a group']]);
    if (form.ok && round.status === 'finalised')
      errors = formErrors([['groupId', 'This round is finalised']]);
    if (!form.ok || errors) {
      reply.code(400);
      return renderRespondents(request, reply, round, {
        linkValues: form.ok ? form.data : form.values,
        errors: errors?.list,
        fieldErrors: errors?.byField,
      });
    }
    const group = round.groups.find((g) => g.id === form.data.groupId);
    const links: { label: string; url: string }[] = [];
    await request.scope.transaction(async (scope) => {
      const start = (await scope.assessments.responses(round.id)).filter((r) => r.viaLink).length;
      for (let i = 0; i < form.data.count; i++) {
        const token = newSecretToken('', 24);
        const label = `${form.data.label || `${group?.name ?? 'Group'} link`} ${start + i + 1}`;
        await scope.assessments.createResponse({
          roundId: round.id,
          groupId: form.data.groupId,
          label,
          linkTokenHash: sha256(token),
        });
        links.push({ label, url: `${request.protocol}://${request.host}/respond/${token}` });
      }
    });
    return reply.page('pages/assessments/links-created.njk', {
      title: `${links.length} response ${links.length === 1 ? 'link' : 'links'} created`,
      round,
      group,
      links,
      linksText: links.map((l) => `${l.label}\t${l.url}`).join('\n'),
      breadcrumbs: crumbs(
        round,
        { text: 'Respondents', href: `/assessments/${round.id}/respondents` },
        { text: 'New links' },
      ),
    });
  });

  app.post('/assessments/:id/respondents/:responseId/revoke', lead, async (request, reply) => {
    const round = await loadRound(request);
    const responseId = z.uuid().safeParse((request.params as { responseId?: string }).responseId);
    if (!round || !responseId.success) return notFound(reply);
    const response = await request.scope.assessments.response(responseId.data);
    if (!response || response.roundId !== round.id) return notFound(reply);
    if (await request.scope.assessments.revokeResponse(response.id)) {
      reply.flash(`${response.label} has been withdrawn: the link or invitation no longer works`);
    }
    return reply.redirect(`/assessments/${round.id}/respondents`, 303);
  });
};

/** The email form's group select has its own id, so its error links to it. */
function remapGroupError(
  byField: Readonly<Record<string, { text: string }>> | undefined,
): Record<string, { text: string }> | undefined {
  if (!byField) return undefined;
  const out: Record<string, { text: string }> = {};
  for (const [field, message] of Object.entries(byField))
    out[field === 'groupId' ? 'email-groupId' : field] = message;
  return out;
}
