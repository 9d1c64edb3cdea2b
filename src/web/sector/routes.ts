// Sector membership, consent and benchmarks as pages (issue 15, points 1 and 2; paper section 4).
//  - /sector/members — a strategic institution's members and invitations (leads and admins): how
//    many members it has, what each shares, inviting an organisation found by a word of its name or
//    its short name, ending a membership, peer groups, and the smallest group a figure may show.
//  - /sector/memberships — a public body's side: the institutions it belongs to or is invited by;
//    its admin accepts, declines, leaves, and chooses per kind of data what it shares (nothing by
//    default); leads tag chains with the kind of service they deliver.
//  - /sector/benchmarks (and .csv, .json) — the distribution of sharing members' figures, with small
//    groups hidden; seen by the institution, and by each active member with its own position.
// Every id is looked up within the caller's own memberships: anyone else's finds nothing (404).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  DATA_KIND_WORDS,
  SECTOR_DATA_KINDS,
  SERVICE_TYPES,
  STATUS_WORDS,
  invitationRefusal,
  isSectorDataKind,
  isServiceType,
  minimumRefusal,
} from '../../domain/sector/index.ts';
import { chainMeasures } from '../../services/sector.ts';
import type { Organisation, SectorMembership } from '../../storage/index.ts';
import { formErrors, parseForm, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import { hasRole, type Services } from '../principal.ts';
import { benchmarkChart } from './chart.ts';
import { benchmarksFor } from './benchmarks.ts';
import { sendWorkbook } from '../xlsx.ts';
import {
  PERCENTILE_METHOD,
  benchmarksAbout,
  benchmarksCsv,
  benchmarksTable,
  type BenchmarksDocument,
  dateWords,
  hiddenWords,
  levelFigure,
  measureFigure,
  periodWords,
  quarterWords,
  type FigureDocument,
} from './view.ts';

const uuid = z.uuid();
const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' && uuid.safeParse(value).success ? value : undefined;

const peerGroupField = z.string().trim().max(60, 'Enter a peer group of 60 characters or fewer');

const inviteSchema = z.object({
  organisationId: z.uuid({ error: 'Choose an organisation to invite' }),
  peerGroup: peerGroupField.default(''),
});

const minimumSchema = z.object({
  minimum: z
    .string({ error: 'Enter the smallest number of organisations' })
    .trim()
    .min(1, 'Enter the smallest number of organisations')
    .regex(/^\d+$/, 'Enter a whole number of organisations, like 5 or 8')
    .transform(Number)
    .superRefine((n, ctx) => {
      const refusal = minimumRefusal(n);
      if (refusal) ctx.addIssue({ code: 'custom', message: refusal });
    }),
});

const searchSchema = z.object({
  q: z.string().trim().max(100, 'Enter 100 characters or fewer').optional(),
});

type Crumb = { text: string; href?: string };
const crumbs = (...rest: Crumb[]): Crumb[] => [{ text: 'Home', href: '/' }, ...rest];

/** The caller's organisation, to decide which side of the sector it is on. */
const organisationOf = (request: FastifyRequest): Promise<Organisation> =>
  request.scope.organisation();

const isInstitution = (o: Organisation) => o.kind === 'strategic_institution';

export const sectorRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const signedIn = { preHandler: requireSignIn };
  const lead = { preHandler: requireRole('lead') };
  const admin = { preHandler: requireRole('admin') };

  app.get('/sector', signedIn, async (request, reply) =>
    reply.redirect(
      isInstitution(await organisationOf(request)) ? '/sector/members' : '/sector/memberships',
      303,
    ),
  );

  // ---- the institution's side ----

  const membersPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      errors?: FormErrors;
      values?: Record<string, unknown>;
      query?: string;
    } = {},
  ) => {
    const store = request.scope.sector;
    const members = await store.members();
    const query = extra.query ?? '';
    const current = new Map(
      members
        .filter((m) => m.status === 'invited' || m.status === 'active')
        .map((m) => [m.memberId, m.status]),
    );
    const found = query === '' ? [] : await store.directory(query);
    return reply.page('pages/sector/members.njk', {
      title: 'Sector members',
      breadcrumbs: crumbs({ text: 'Sector members' }),
      activeCount: members.filter((m) => m.status === 'active').length,
      invitedCount: members.filter((m) => m.status === 'invited').length,
      members: members.map((m) => memberRow(m)),
      query,
      searched: query !== '',
      found: found.map((f) => ({
        ...f,
        status: current.get(f.id) ? STATUS_WORDS[current.get(f.id) ?? 'active'] : null,
      })),
      minimum: await store.minimumGroupSize(),
      canSetMinimum: hasRole(request.principal?.role ?? 'viewer', 'admin'),
      values: extra.values ?? {},
      errors: extra.errors?.list,
      fieldErrors: extra.errors?.byField,
    });
  };

  app.get('/sector/members', lead, async (request, reply) => {
    if (!isInstitution(await organisationOf(request))) return notFound(reply);
    const search = searchSchema.safeParse(request.query ?? {});
    if (!search.success) {
      reply.code(400);
      return membersPage(request, reply, {
        errors: formErrors([['q', 'Enter 100 characters or fewer']]),
      });
    }
    return membersPage(request, reply, { query: search.data.q ?? '' });
  });

  app.post('/sector/members/invite', lead, async (request, reply) => {
    const organisation = await organisationOf(request);
    if (!isInstitution(organisation)) return notFound(reply);
    const form = parseForm(inviteSchema, request.body);
    const query =
      typeof (request.body as Record<string, unknown>)?.q === 'string'
        ? String((request.body as Record<string, unknown>).q)
        : '';
    if (!form.ok) {
      reply.code(400);
      return membersPage(request, reply, { errors: form.errors, values: form.values, query });
    }
    const store = request.scope.sector;
    const kind = await store.organisationKind(form.data.organisationId);
    // An organisation that does not exist is refused like one that is not a public body.
    const refusal =
      kind !== 'public_body'
        ? 'Choose a public body from the search results'
        : invitationRefusal({
            institutionId: organisation.id,
            institutionKind: organisation.kind,
            memberId: form.data.organisationId,
            current: await store.currentStatusWith(form.data.organisationId),
          });
    if (refusal) {
      reply.code(400);
      return membersPage(request, reply, {
        errors: formErrors([['organisationId', refusal]]),
        values: { peerGroup: form.data.peerGroup },
        query,
      });
    }
    await store.invite(form.data.organisationId, form.data.peerGroup);
    reply.flash(
      'Invitation sent. The organisation’s admins see it under Sector memberships and can accept or decline it.',
    );
    return reply.redirect('/sector/members', 303);
  });

  app.post('/sector/members/:id/peer-group', lead, async (request, reply) => {
    if (!isInstitution(await organisationOf(request))) return notFound(reply);
    const id = idOf((request.params as Record<string, unknown>).id);
    const membership = id ? await request.scope.sector.membership(id) : undefined;
    if (!membership || membership.institutionId !== request.scope.organisationId)
      return notFound(reply);
    const form = parseForm(z.object({ peerGroup: peerGroupField }), request.body);
    if (!form.ok) {
      reply.code(400);
      return membersPage(request, reply, { errors: form.errors });
    }
    await request.scope.sector.setPeerGroup(membership.id, form.data.peerGroup);
    reply.flash(`Peer group of ${membership.memberName} saved.`);
    return reply.redirect('/sector/members', 303);
  });

  app.post('/sector/members/:id/end', lead, async (request, reply) => {
    if (!isInstitution(await organisationOf(request))) return notFound(reply);
    const id = idOf((request.params as Record<string, unknown>).id);
    const membership = id ? await request.scope.sector.membership(id) : undefined;
    if (!membership || membership.institutionId !== request.scope.organisationId)
      return notFound(reply);
    if (!(await request.scope.sector.end(membership.id))) return notFound(reply);
    reply.flash(
      membership.status === 'invited'
        ? `Invitation to ${membership.memberName} withdrawn.`
        : `Membership of ${membership.memberName} ended. Nothing it shared is used from now on.`,
    );
    return reply.redirect('/sector/members', 303);
  });

  app.post('/sector/settings', admin, async (request, reply) => {
    if (!isInstitution(await organisationOf(request))) return notFound(reply);
    const form = parseForm(minimumSchema, request.body);
    if (!form.ok) {
      reply.code(400);
      return membersPage(request, reply, { errors: form.errors, values: form.values });
    }
    await request.scope.sector.setMinimumGroupSize(form.data.minimum);
    reply.flash(
      `Benchmarks now hide any figure from fewer than ${form.data.minimum} organisations.`,
    );
    return reply.redirect('/sector/members', 303);
  });

  // ---- the member's side ----

  const membershipsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors?: FormErrors,
  ) => {
    const role = request.principal?.role ?? 'viewer';
    const memberships = await request.scope.sector.memberships();
    const chains = await request.scope.chains.list();
    const tags = new Map(
      (await request.scope.sector.chainTags()).map((t) => [t.chainId, t.serviceType]),
    );
    return reply.page('pages/sector/memberships.njk', {
      title: 'Sector memberships',
      breadcrumbs: crumbs({ text: 'Sector memberships' }),
      invitations: memberships.filter((m) => m.status === 'invited'),
      active: memberships
        .filter((m) => m.status === 'active')
        .map((m) => ({
          ...m,
          kinds: SECTOR_DATA_KINDS.map((kind) => ({
            value: kind,
            text: DATA_KIND_WORDS[kind].label,
            hint: { text: DATA_KIND_WORDS[kind].hint },
            checked: m.sharing.includes(kind),
          })),
          sharingWords: m.sharing.map((k) => DATA_KIND_WORDS[k].label),
        })),
      past: memberships
        .filter((m) => m.status === 'declined' || m.status === 'ended')
        .map((m) => ({
          ...m,
          statusText: STATUS_WORDS[m.status],
          when: dateWords(m.endedAt ?? m.respondedAt ?? m.invitedAt),
        })),
      chains: chains.map((c) => ({
        id: c.id,
        name: c.name,
        items: [
          { value: '', text: 'Not compared' },
          ...SERVICE_TYPES.map((s) => ({
            value: s.id,
            text: s.label,
            selected: tags.get(c.id) === s.id,
          })),
        ],
      })),
      canAct: hasRole(role, 'admin'),
      canTag: hasRole(role, 'lead'),
      dateWords,
      errors: errors?.list,
      fieldErrors: errors?.byField,
    });
  };

  const ownMembership = async (request: FastifyRequest): Promise<SectorMembership | undefined> => {
    const id = idOf((request.params as Record<string, unknown>).id);
    const m = id ? await request.scope.sector.membership(id) : undefined;
    return m && m.memberId === request.scope.organisationId ? m : undefined;
  };

  app.get('/sector/memberships', signedIn, async (request, reply) => {
    if (isInstitution(await organisationOf(request))) return notFound(reply);
    return membershipsPage(request, reply);
  });

  app.post('/sector/memberships/:id/respond', admin, async (request, reply) => {
    const membership = await ownMembership(request);
    if (!membership) return notFound(reply);
    const form = parseForm(
      z.object({ answer: z.enum(['accept', 'decline'], { error: 'Choose accept or decline' }) }),
      request.body,
    );
    if (!form.ok) {
      reply.code(400);
      return membershipsPage(request, reply, form.errors);
    }
    if (!(await request.scope.sector.respond(membership.id, form.data.answer)))
      return notFound(reply);
    reply.flash(
      form.data.answer === 'accept'
        ? `You are now a member of ${membership.institutionName}. Nothing is shared until you choose below.`
        : `You declined the invitation from ${membership.institutionName}.`,
    );
    return reply.redirect('/sector/memberships', 303);
  });

  app.post('/sector/memberships/:id/end', admin, async (request, reply) => {
    const membership = await ownMembership(request);
    if (!membership) return notFound(reply);
    if (!(await request.scope.sector.end(membership.id))) return notFound(reply);
    reply.flash(`You left ${membership.institutionName}. It no longer uses anything you shared.`);
    return reply.redirect('/sector/memberships', 303);
  });

  app.post('/sector/memberships/:id/sharing', admin, async (request, reply) => {
    const membership = await ownMembership(request);
    if (!membership || membership.status !== 'active') return notFound(reply);
    const raw = (request.body as Record<string, unknown> | undefined)?.kinds;
    const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    if (!list.every(isSectorDataKind)) {
      reply.code(400);
      return membershipsPage(
        request,
        reply,
        formErrors([[`kinds-${membership.id}`, 'Choose only from the kinds of data listed']]),
      );
    }
    const chosen = new Set(list);
    await request.scope.transaction(async (scope) => {
      for (const kind of SECTOR_DATA_KINDS)
        await scope.sector.setSharing(membership.id, kind, chosen.has(kind));
    });
    reply.flash(
      chosen.size === 0
        ? `You share nothing with ${membership.institutionName}.`
        : `Sharing with ${membership.institutionName} saved.`,
    );
    return reply.redirect('/sector/memberships', 303);
  });

  app.post('/sector/services', lead, async (request, reply) => {
    if (isInstitution(await organisationOf(request))) return notFound(reply);
    const body = (request.body as Record<string, unknown> | undefined) ?? {};
    const chainId = idOf(body.chainId);
    const chain = chainId ? await request.scope.chains.get(chainId) : undefined;
    if (!chain) return notFound(reply);
    const serviceType = body.serviceType === '' ? null : body.serviceType;
    if (serviceType !== null && !isServiceType(serviceType)) {
      reply.code(400);
      return membershipsPage(
        request,
        reply,
        formErrors([[`service-${chain.id}`, 'Choose a kind of service from the list']]),
      );
    }
    const refusal = await request.scope.sector.tagChain(
      chain.id,
      serviceType,
      chain.revision,
      chainMeasures(chain.model),
    );
    if (refusal) {
      reply.code(400);
      return membershipsPage(request, reply, formErrors([[`service-${chain.id}`, refusal]]));
    }
    reply.flash(`Kind of service of ‘${chain.name}’ saved.`);
    return reply.redirect('/sector/memberships#services', 303);
  });

  // ---- benchmarks ----

  app.get('/sector/benchmarks', signedIn, async (request, reply) => {
    const found = await benchmarksFor(services, request);
    if (!found) return notFound(reply);
    const { context, doc } = found;
    const suffix = new URLSearchParams({
      ...(context.member && context.institutionId ? { institution: context.institutionId } : {}),
      ...(doc?.peerGroup ? { group: doc.peerGroup } : {}),
    }).toString();
    return reply.page('pages/sector/benchmarks.njk', {
      title: 'Sector benchmarks',
      breadcrumbs: crumbs({ text: 'Sector benchmarks' }),
      member: context.member,
      institutionId: context.institutionId,
      institutionName: context.institutionName,
      choices: context.choices.map((m) => ({
        value: m.institutionId,
        text: m.institutionName,
        selected: m.institutionId === context.institutionId,
      })),
      doc,
      chart: doc ? benchmarkChart(doc) : null,
      groupItems: doc
        ? [
            { value: '', text: 'All members only' },
            ...doc.peerGroups.map((g) => ({ value: g, text: g, selected: g === doc.peerGroup })),
          ]
        : [],
      capabilityRows: doc ? capabilityRows(doc) : [],
      serviceTables: doc ? serviceTables(doc) : [],
      sharesResults: context.choices
        .find((m) => m.institutionId === context.institutionId)
        ?.sharing.includes('results'),
      query: suffix === '' ? '' : `?${suffix}`,
      method: PERCENTILE_METHOD,
    });
  });

  for (const format of ['csv', 'json', 'xlsx'] as const) {
    app.get(`/sector/benchmarks.${format}`, signedIn, async (request, reply) => {
      const found = await benchmarksFor(services, request);
      if (!found || !found.doc) return notFound(reply);
      await request.scope.audit({
        action: 'sector.benchmarks_exported',
        entityType: 'sector_benchmarks',
        entityId: null,
        details: { format, institution: found.doc.institution },
      });
      const name = `sector-benchmarks-${found.doc.computedAt.slice(0, 10)}.${format}`;
      if (format === 'xlsx')
        return sendWorkbook(reply, name, benchmarksAbout(found.doc), [benchmarksTable(found.doc)]);
      reply.header('content-disposition', `attachment; filename="${name}"`);
      return format === 'csv'
        ? reply.type('text/csv; charset=utf-8').send(benchmarksCsv(found.doc))
        : reply.type('application/json; charset=utf-8').send(JSON.stringify(found.doc, null, 2));
    });
  }
};

function memberRow(m: SectorMembership) {
  return {
    id: m.id,
    name: m.memberName,
    sector: m.memberSector,
    status: m.status,
    statusText: STATUS_WORDS[m.status],
    peerGroup: m.peerGroup,
    since: dateWords(m.respondedAt ?? m.invitedAt),
    endedAt: dateWords(m.endedAt ?? undefined),
    endedBy:
      m.endedBySide === 'member' ? 'the member' : m.endedBySide === 'institution' ? 'you' : '',
    sharing: m.sharing.map((k) => DATA_KIND_WORDS[k].label),
    current: m.status === 'active' || m.status === 'invited',
  };
}

function figureCells(f: FigureDocument, minimum: number, format: (x?: number) => string) {
  if (!f.shown) return [{ text: hiddenWords(f, minimum), colspan: 4 }];
  return [
    { text: String(f.organisations ?? ''), format: 'numeric' },
    { text: format(f.lowerQuartile) },
    { text: format(f.median) },
    { text: format(f.upperQuartile) },
  ];
}

function capabilityRows(doc: BenchmarksDocument) {
  return doc.capabilities.map((c) => ({
    name: c.name,
    all: figureCells(c.allMembers, doc.minimumOrganisations, levelFigure),
    allPeriod: periodWords(c.allMembers.periodFrom, c.allMembers.periodTo),
    group: c.peerGroupFigure
      ? figureCells(c.peerGroupFigure, doc.minimumOrganisations, levelFigure)
      : null,
    own: c.own ? { level: levelFigure(c.own.value), quarter: quarterWords(c.own.quarter) } : null,
  }));
}

function serviceTables(doc: BenchmarksDocument) {
  return doc.services.map((s) => ({
    name: s.name,
    rows: s.measures.map((m) => ({
      name: m.name,
      direction: m.lowerIsBetter ? 'lower is better' : 'higher is better',
      cells: figureCells(m.allMembers, doc.minimumOrganisations, (x) => measureFigure(x, m.key)),
      period: periodWords(m.allMembers.periodFrom, m.allMembers.periodTo),
      own: m.own
        ? { value: measureFigure(m.own.value, m.key), quarter: quarterWords(m.own.quarter) }
        : null,
    })),
  }));
}
