// A roadmap people can act on (issue 12, point 6): an action of a round's roadmap is taken on as an
// item with an owner (a member of the organisation), a due date, a status, notes and optionally the
// AI initiative it feeds. Items are listed per capability on the round's roadmap and on one page
// across capabilities (filtered by owner and status, overdue shown), and exported as CSV. Owners and
// initiatives are checked against the caller's organisation, so another organisation's ids are
// refused with a message beside the field; every change is audited by the store.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  capabilityRoadmap,
  isOverdue,
  roadmapItemsToCsv,
  ROADMAP_ITEM_STATUSES,
  ROADMAP_ITEM_STATUS_TAGS,
  type RoadmapItemStatus,
} from '../../domain/assessment/index.ts';
import { getCapability } from '../../domain/framework/index.ts';
import { roundResults } from '../../services/assessmentResults.ts';
import type { OrgScope, RoadmapItem } from '../../storage/index.ts';
import { fileSlug } from '../downloads.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { todayIso } from '../initiatives/risk-view.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import { hasRole, type Services } from '../principal.ts';
import { readDateInput } from './rounds.ts';
import { loadRound } from './shared.ts';

const NOTES_MAX = 2000;

const createForm = z.object({
  capabilityId: z.string().trim().min(1).max(200),
  indicatorId: z.string().trim().min(1).max(200),
});

const itemForm = z.object({
  status: z.enum(ROADMAP_ITEM_STATUSES, { error: 'Select a status' }),
  ownerUserId: z.string().trim().max(100).default(''),
  initiativeId: z.string().trim().max(100).default(''),
  notes: z
    .string()
    .trim()
    .max(NOTES_MAX, `Notes must be ${NOTES_MAX.toLocaleString('en-GB')} characters or fewer`)
    .default(''),
  'dueOn-day': z.string().trim().max(10).default(''),
  'dueOn-month': z.string().trim().max(10).default(''),
  'dueOn-year': z.string().trim().max(10).default(''),
});

const filterQuery = z.object({
  owner: z.string().max(100).optional(),
  status: z.enum(ROADMAP_ITEM_STATUSES).optional().catch(undefined),
  overdue: z.enum(['yes']).optional().catch(undefined),
});

const itemParams = z.object({ itemId: z.uuid() });

/** The words and tag of an item's status, whether it is overdue, and its capability's name. */
export function itemView(item: RoadmapItem, services: Services, today: string) {
  const capability = getCapability(services.framework, item.capabilityId);
  return {
    ...item,
    capabilityName: capability?.name ?? item.capabilityId,
    tag: ROADMAP_ITEM_STATUS_TAGS[item.status],
    overdue: isOverdue(item, today),
  };
}

async function ownerItems(scope: OrgScope, selected: string | null) {
  const members = await scope.members();
  return [
    { value: '', text: 'No owner yet' },
    ...members.map((m) => ({
      value: m.userId,
      text: `${m.name} (${m.email})`,
      selected: m.userId === selected,
    })),
  ];
}

async function initiativeItems(scope: OrgScope, selected: string | null) {
  const initiatives = await scope.initiatives.list();
  return [
    { value: '', text: 'Not linked to an initiative' },
    ...initiatives.map((i) => ({
      value: i.initiative.id,
      text: i.initiative.title,
      selected: i.initiative.id === selected,
    })),
  ];
}

function dateItems(iso: string | null, values: Record<string, unknown>) {
  const [y, m, d] = iso ? iso.split('-') : [];
  const pick = (name: string, fallback: string) =>
    typeof values[`dueOn-${name}`] === 'string' ? (values[`dueOn-${name}`] as string) : fallback;
  return [
    {
      name: 'day',
      classes: 'govuk-input--width-2',
      value: pick('day', d ? String(Number(d)) : ''),
    },
    {
      name: 'month',
      classes: 'govuk-input--width-2',
      value: pick('month', m ? String(Number(m)) : ''),
    },
    { name: 'year', classes: 'govuk-input--width-4', value: pick('year', y ?? '') },
  ];
}

export const actionRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const signedIn = { preHandler: requireSignIn };
  const member = { preHandler: requireRole('member') };

  // ---- take on an action of a round's roadmap ----

  app.post('/assessments/:id/roadmap/items', member, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    const form = createForm.safeParse(request.body ?? {});
    if (!form.success) return notFound(reply);
    const r = await roundResults(request.scope, services.frameworks, round);
    // The action's words come from the round's own roadmap, never from the form.
    const level = r.levels.find((l) => l.capabilityId === form.data.capabilityId);
    const result = r.summary.results.find((x) => x.capabilityId === form.data.capabilityId);
    const map =
      result &&
      capabilityRoadmap(r.framework, result, {
        agreedLevel: level?.source === 'agreed' && level.level !== null ? level.level : undefined,
      });
    const action = map?.actions.find((a) => a.indicatorId === form.data.indicatorId);
    if (!action) return notFound(reply);
    const { id, created } = await request.scope.roadmapItems.create({
      roundId: round.id,
      capabilityId: form.data.capabilityId,
      indicatorId: action.indicatorId,
      actionText: action.action,
    });
    reply.flash(created ? 'Action added to the tracked actions' : 'This action is already tracked');
    return reply.redirect(`/assessments/actions/${id}`, 303);
  });

  // ---- every tracked action, across capabilities ----

  async function filtered(request: FastifyRequest) {
    const query = filterQuery.safeParse(request.query ?? {});
    const filter = query.success ? query.data : {};
    const members = await request.scope.members();
    const owner =
      filter.owner !== undefined && members.some((m) => m.userId === filter.owner)
        ? filter.owner
        : undefined;
    const today = todayIso();
    const items = (
      await request.scope.roadmapItems.list({
        ...(owner ? { ownerUserId: owner } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      })
    )
      .map((item) => itemView(item, services, today))
      .filter((item) => filter.overdue !== 'yes' || item.overdue);
    return { items, members, owner, status: filter.status, overdue: filter.overdue === 'yes' };
  }

  app.get('/assessments/actions', signedIn, async (request, reply) => {
    const f = await filtered(request);
    const query = new URLSearchParams();
    if (f.owner) query.set('owner', f.owner);
    if (f.status) query.set('status', f.status);
    if (f.overdue) query.set('overdue', 'yes');
    return reply.page('pages/assessments/actions.njk', {
      title: 'Tracked actions',
      items: f.items,
      overdueCount: f.items.filter((i) => i.overdue).length,
      filtered: Boolean(f.owner || f.status || f.overdue),
      csvHref: `/assessments/actions.csv${query.size > 0 ? `?${query.toString()}` : ''}`,
      jsonHref: `/assessments/actions.json${query.size > 0 ? `?${query.toString()}` : ''}`,
      ownerItems: [
        { value: '', text: 'Anyone' },
        ...f.members.map((m) => ({
          value: m.userId,
          text: m.name,
          selected: m.userId === f.owner,
        })),
      ],
      statusItems: [
        { value: '', text: 'Any status' },
        ...ROADMAP_ITEM_STATUSES.map((s) => ({
          value: s,
          text: ROADMAP_ITEM_STATUS_TAGS[s].text,
          selected: s === f.status,
        })),
      ],
      overdueChecked: f.overdue,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Assessments', href: '/assessments' },
        { text: 'Tracked actions' },
      ],
    });
  });

  app.get('/assessments/actions.csv', signedIn, async (request, reply) => {
    const f = await filtered(request);
    const organisation = await request.scope.organisation();
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="${fileSlug(organisation.name, 'organisation')}-actions.csv"`,
      )
      .send(
        roadmapItemsToCsv(
          f.items.map((i) => ({
            capabilityName: i.capabilityName,
            action: i.actionText,
            roundTitle: i.roundTitle,
            owner: i.ownerName,
            dueOn: i.dueOn,
            status: i.status,
            overdue: i.overdue,
            initiative: i.initiativeTitle,
            notes: i.notes,
            updatedAt: i.updatedAt,
          })),
        ),
      );
  });

  app.get('/assessments/actions.json', signedIn, async (request, reply) => {
    const f = await filtered(request);
    return reply.type('application/json; charset=utf-8').send(
      JSON.stringify(
        {
          format: 'throughline.roadmap-items',
          formatVersion: 1,
          items: f.items.map((i) => ({
            id: i.id,
            roundId: i.roundId,
            round: i.roundTitle,
            capabilityId: i.capabilityId,
            capability: i.capabilityName,
            indicatorId: i.indicatorId,
            action: i.actionText,
            owner: i.ownerName,
            dueOn: i.dueOn,
            status: i.status,
            statusText: i.tag.text,
            overdue: i.overdue,
            initiativeId: i.initiativeId,
            initiative: i.initiativeTitle,
            notes: i.notes,
            updatedAt: i.updatedAt,
          })),
        },
        null,
        2,
      ),
    );
  });

  // ---- one item ----

  async function loadItem(request: FastifyRequest): Promise<RoadmapItem | undefined> {
    const params = itemParams.safeParse(request.params);
    return params.success ? request.scope.roadmapItems.get(params.data.itemId) : undefined;
  }

  async function itemPage(
    request: FastifyRequest,
    reply: FastifyReply,
    item: RoadmapItem,
    errors?: FormErrors,
    values: Record<string, unknown> = {},
  ) {
    const view = itemView(item, services, todayIso());
    const str = (key: string, fallback: string | null) =>
      typeof values[key] === 'string' ? (values[key] as string) : (fallback ?? '');
    if (errors) reply.code(400);
    return reply.page('pages/assessments/action.njk', {
      title: `Action: ${view.capabilityName}`,
      item: view,
      canEdit: hasRole(request.principal?.role ?? 'viewer', 'member'),
      ownerItems: await ownerItems(request.scope, str('ownerUserId', item.ownerUserId) || null),
      initiativeItems: await initiativeItems(
        request.scope,
        str('initiativeId', item.initiativeId) || null,
      ),
      statusItems: ROADMAP_ITEM_STATUSES.map((s) => ({
        value: s,
        text: ROADMAP_ITEM_STATUS_TAGS[s].text,
        checked: s === str('status', item.status),
      })),
      dueItems: dateItems(item.dueOn, values),
      notes: str('notes', item.notes),
      errors: errors?.list,
      fieldErrors: errors?.byField,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Assessments', href: '/assessments' },
        { text: 'Tracked actions', href: '/assessments/actions' },
        { text: view.capabilityName },
      ],
    });
  }

  app.get('/assessments/actions/:itemId', signedIn, async (request, reply) => {
    const item = await loadItem(request);
    if (!item) return notFound(reply);
    return itemPage(request, reply, item);
  });

  app.post('/assessments/actions/:itemId', member, async (request, reply) => {
    const item = await loadItem(request);
    if (!item) return notFound(reply);
    const values =
      request.body !== null && typeof request.body === 'object'
        ? { ...(request.body as Record<string, unknown>) }
        : {};
    delete values._csrf;
    const form = itemForm.safeParse(values);
    if (!form.success) {
      return itemPage(
        request,
        reply,
        item,
        formErrors(form.error.issues.map((i) => [String(i.path[0] ?? 'form'), i.message])),
        values,
      );
    }
    const data = form.data;
    const problems: [string, string][] = [];

    let dueOn: string | null = null;
    const [day, month, year] = [data['dueOn-day'], data['dueOn-month'], data['dueOn-year']];
    if (day !== '' || month !== '' || year !== '') {
      const due = readDateInput(day, month, year, 'due date');
      if (!due.ok) problems.push(['dueOn', due.message]);
      else if (due.iso !== item.dueOn && due.iso < todayIso())
        problems.push(['dueOn', 'The due date must be today or in the future']);
      else dueOn = due.iso;
    }

    let ownerUserId: string | null = null;
    if (data.ownerUserId !== '') {
      const owner = await request.scope.memberByUserId(data.ownerUserId);
      if (!owner)
        problems.push(['ownerUserId', 'Select an owner from the members of your organisation']);
      else ownerUserId = owner.userId;
    }

    let initiativeId: string | null = null;
    if (data.initiativeId !== '') {
      const parsed = z.uuid().safeParse(data.initiativeId);
      const found = parsed.success ? await request.scope.initiatives.get(parsed.data) : undefined;
      if (!found)
        problems.push(['initiativeId', 'Select an initiative from your organisation’s register']);
      else initiativeId = found.initiative.id;
    }

    if (problems.length > 0) return itemPage(request, reply, item, formErrors(problems), values);
    await request.scope.roadmapItems.update(item.id, {
      status: data.status as RoadmapItemStatus,
      ownerUserId,
      dueOn,
      notes: data.notes,
      initiativeId,
    });
    reply.flash('Action saved');
    return reply.redirect('/assessments/actions', 303);
  });
};
