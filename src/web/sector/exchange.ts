// The sector exchange as pages (issue 15, point 7; paper sections 4.1, 4.3, 4.6, 4.7).
//  - /sector/exchange — an institution's exchange, for the institution and its active members only:
//    full-text search with filters (kind, capability, member, endorsed).
//  - /sector/exchange/new?kind= — a member publishes in the kind's standard template.
//  - /sector/exchange/:id — one item: members say they use a component or join a problem statement
//    (counted); the publisher withdraws it; the institution endorses it as recommended practice.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  EXCHANGE_KINDS,
  EXCHANGE_TEMPLATES,
  exchangeSchemaFor,
  exchangeSearchText,
  type ExchangeKind,
} from '../../domain/sector/index.ts';
import type { ExchangeItem } from '../../storage/index.ts';
import { formErrors, parseForm, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import { hasRole, type Services } from '../principal.ts';
import {
  capabilityChoices,
  exchangeContext,
  isExchangeKind,
  itemDocument,
  kindItems,
  type ExchangeContext,
} from './exchangeContext.ts';

const uuid = z.uuid();
const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' && uuid.safeParse(value).success ? value : undefined;

export const searchQuerySchema = z.object({
  institution: z.string().max(60).optional(),
  q: z.string().trim().max(200, 'Enter 200 characters or fewer').optional(),
  kind: z.enum(['', ...EXCHANGE_KINDS]).optional(),
  capability: z.string().max(80).optional(),
  member: z.string().max(60).optional(),
  endorsed: z.enum(['', 'yes']).optional(),
});

type Crumb = { text: string; href?: string };
const crumbs = (...rest: Crumb[]): Crumb[] => [
  { text: 'Home', href: '/' },
  { text: 'Sector', href: '/sector' },
  ...rest,
];

export const sectorExchangeRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const signedIn = { preHandler: requireSignIn };
  const member = { preHandler: requireRole('member') };
  const capabilities = capabilityChoices(services.framework);

  app.get('/sector/exchange', signedIn, async (request, reply) => {
    const parsed = searchQuerySchema.safeParse(request.query ?? {});
    const query = parsed.success ? parsed.data : {};
    const context = await exchangeContext(request, query.institution);
    if (!context) return notFound(reply);
    const store = request.scope.sectorExchange;
    const memberId = idOf(query.member);
    const capabilityId = capabilities.some((c) => c.id === query.capability)
      ? query.capability
      : undefined;
    const items = await store.search(context.institutionId, {
      ...(query.q ? { q: query.q } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(capabilityId ? { capabilityId } : {}),
      ...(memberId ? { memberId } : {}),
      ...(query.endorsed === 'yes' ? { endorsedOnly: true } : {}),
    });
    if (!parsed.success) reply.code(400);
    const publishers = await store.publishers(context.institutionId);
    const role = request.principal?.role ?? 'viewer';
    return reply.page('pages/sector/exchange/index.njk', {
      title: 'Sector exchange',
      breadcrumbs: crumbs({ text: 'Sector exchange' }),
      context,
      items: items.map((i) => itemDocument(i, services.framework)),
      filtered: Boolean(
        query.q || query.kind || capabilityId || memberId || query.endorsed === 'yes',
      ),
      values: { ...query },
      kindItems: kindItems(query.kind),
      capabilityItems: [
        { value: '', text: 'Any capability' },
        ...capabilities.map((c) => ({
          value: c.id,
          text: c.name,
          selected: c.id === capabilityId,
        })),
      ],
      memberItems: [
        { value: '', text: 'Any member' },
        ...publishers.map((p) => ({ value: p.id, text: p.name, selected: p.id === memberId })),
      ],
      institutionItems: context.choices.map((c) => ({
        value: c.institutionId,
        text: c.institutionName,
        selected: c.institutionId === context.institutionId,
      })),
      kinds: EXCHANGE_KINDS.filter((k) => k !== 'lesson').map((k) => ({
        kind: k,
        ...EXCHANGE_TEMPLATES[k],
      })),
      canPublish: !context.isInstitution && hasRole(role, 'member'),
      errors: parsed.success ? undefined : [{ text: 'Enter 200 characters or fewer', href: '#q' }],
      fieldErrors: parsed.success ? undefined : { q: { text: 'Enter 200 characters or fewer' } },
    });
  });

  const newPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    context: ExchangeContext,
    kind: ExchangeKind,
    extra: { errors?: FormErrors; values?: Record<string, unknown> } = {},
  ) => {
    const values = extra.values ?? {};
    const t = EXCHANGE_TEMPLATES[kind];
    return reply.page('pages/sector/exchange/new.njk', {
      title: `Publish a ${t.label.toLowerCase()}`,
      breadcrumbs: crumbs(
        { text: 'Sector exchange', href: `/sector/exchange?institution=${context.institutionId}` },
        { text: `Publish a ${t.label.toLowerCase()}` },
      ),
      context,
      kind,
      template: t,
      fields: t.fields.map((f) => ({
        ...f,
        value: typeof values[f.name] === 'string' ? values[f.name] : '',
        items: f.options
          ? [
              { value: '', text: `Choose the ${f.label.toLowerCase()}` },
              ...f.options.map((o) => ({ ...o, selected: values[f.name] === o.value })),
            ]
          : undefined,
      })),
      capabilityItems: [
        { value: '', text: 'None in particular' },
        ...capabilities.map((c) => ({
          value: c.id,
          text: c.name,
          selected: c.id === values.capabilityId,
        })),
      ],
      values,
      errors: extra.errors?.list,
      fieldErrors: extra.errors?.byField,
    });
  };

  const kindOf = (raw: unknown): ExchangeKind | undefined =>
    isExchangeKind(raw) && raw !== 'lesson' ? raw : undefined;

  app.get('/sector/exchange/new', member, async (request, reply) => {
    const q = (request.query ?? {}) as Record<string, unknown>;
    const context = await exchangeContext(request, q.institution);
    const kind = kindOf(q.kind);
    if (!context || context.isInstitution || !kind) return notFound(reply);
    return newPage(request, reply, context, kind);
  });

  app.post('/sector/exchange/new', member, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const context = await exchangeContext(request, body.institution);
    const kind = kindOf(body.kind);
    if (!context || context.isInstitution || !kind) return notFound(reply);
    const form = parseForm(
      exchangeSchemaFor(
        kind,
        capabilities.map((c) => c.id),
      ),
      body,
    );
    if (!form.ok) {
      reply.code(400);
      return newPage(request, reply, context, kind, { errors: form.errors, values: form.values });
    }
    const capabilityName = capabilities.find((c) => c.id === form.data.capabilityId)?.name ?? null;
    const id = await request.scope.sectorExchange.publish(context.institutionId, {
      ...form.data,
      searchText: exchangeSearchText(form.data, capabilityName),
    });
    if (!id) return notFound(reply);
    reply.flash(`Published to ${context.institutionName}’s sector exchange.`);
    return reply.redirect(`/sector/exchange/${id}`, 303);
  });

  const visibleItem = async (request: FastifyRequest) => {
    const id = idOf((request.params as Record<string, unknown>).id);
    return id ? request.scope.sectorExchange.item(id) : undefined;
  };

  const showPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    item: ExchangeItem,
    errors?: FormErrors,
  ) => {
    const role = request.principal?.role ?? 'viewer';
    const isInstitution = item.institutionId === request.scope.organisationId;
    return reply.page('pages/sector/exchange/show.njk', {
      title: item.title,
      breadcrumbs: crumbs(
        { text: 'Sector exchange', href: `/sector/exchange?institution=${item.institutionId}` },
        { text: item.title },
      ),
      item: itemDocument(item, services.framework),
      canJoin: !isInstitution && !item.ours && hasRole(role, 'member'),
      canWithdraw: item.ours && hasRole(role, 'lead'),
      canEndorse: isInstitution && hasRole(role, 'lead'),
      errors: errors?.list,
      fieldErrors: errors?.byField,
    });
  };

  app.get('/sector/exchange/:id', signedIn, async (request, reply) => {
    const item = await visibleItem(request);
    if (!item) return notFound(reply);
    return showPage(request, reply, item);
  });

  app.post('/sector/exchange/:id/join', member, async (request, reply) => {
    const item = await visibleItem(request);
    if (!item || !EXCHANGE_TEMPLATES[item.kind].join) return notFound(reply);
    const form = parseForm(
      z.object({ joined: z.enum(['yes', 'no'], { error: 'Choose yes or no' }) }),
      request.body,
    );
    if (!form.ok) {
      reply.code(400);
      return showPage(request, reply, item, formErrors([['joined', 'Choose yes or no']]));
    }
    if (!(await request.scope.sectorExchange.setJoined(item.id, form.data.joined === 'yes')))
      return notFound(reply);
    reply.flash(form.data.joined === 'yes' ? 'Saved: your organisation is counted.' : 'Saved.');
    return reply.redirect(`/sector/exchange/${item.id}`, 303);
  });

  app.post(
    '/sector/exchange/:id/withdraw',
    { preHandler: requireRole('lead') },
    async (request, reply) => {
      const item = await visibleItem(request);
      if (!item || !item.ours) return notFound(reply);
      await request.scope.sectorExchange.withdraw(item.id);
      reply.flash(`‘${item.title}’ is withdrawn from the sector exchange.`);
      return reply.redirect(`/sector/exchange?institution=${item.institutionId}`, 303);
    },
  );

  app.post(
    '/sector/exchange/:id/endorse',
    { preHandler: requireRole('lead') },
    async (request, reply) => {
      const item = await visibleItem(request);
      if (!item || item.institutionId !== request.scope.organisationId) return notFound(reply);
      const endorse = (request.body as Record<string, unknown> | undefined)?.endorsed !== 'no';
      await request.scope.sectorExchange.setEndorsed(item.id, endorse);
      reply.flash(endorse ? 'Endorsed as recommended practice.' : 'Endorsement removed.');
      return reply.redirect(`/sector/exchange/${item.id}`, 303);
    },
  );
};
