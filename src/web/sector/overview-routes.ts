// The sector view as a printable page and as a PDF (issue 15, point 8): /sector/view and
// /sector/view.pdf, for the institution's own staff only; anyone else (its members, other
// institutions, public bodies) finds nothing (404). Every figure is read as its own page reads it:
// the benchmarks through the benchmark service (the same document as /sector/benchmarks, with its
// hidden figures), incidents through the institution's incident reader, the exchange through the
// exchange store. Nothing is recomputed here; the model (overview.ts) only arranges it.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { capabilitiesByScope } from '../../domain/framework/index.ts';
import {
  EXCHANGE_TEMPLATES,
  exchangeSeries,
  incidentSeries,
  isExchangeKind,
} from '../../domain/sector/index.ts';
import { roundResults } from '../../services/assessmentResults.ts';
import { requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import type { Services } from '../principal.ts';
import { benchmarksFor } from './benchmarks.ts';
import { buildSectorOverview, type SectorOverview, type SectorRoundInput } from './overview.ts';
import { buildSectorOverviewPdf } from './overview-pdf.ts';

/** The institution's latest sector-level round with results: finalised first, else the latest closed. */
async function sectorRound(
  request: FastifyRequest,
  services: Services,
): Promise<SectorRoundInput | null> {
  const rounds = (await request.scope.assessments.rounds()).filter(
    (r) => r.scope === 'sector' && (r.status === 'finalised' || r.status === 'closed'),
  );
  const latest = (status: 'finalised' | 'closed') =>
    rounds
      .filter((r) => r.status === status)
      .sort((a, b) =>
        (b.finalisedAt ?? b.closedAt ?? b.closesOn).localeCompare(
          a.finalisedAt ?? a.closedAt ?? a.closesOn,
        ),
      )[0];
  const chosen = latest('finalised') ?? latest('closed');
  const round = chosen ? await request.scope.assessments.round(chosen.id) : undefined;
  if (!round || (round.status !== 'finalised' && round.status !== 'closed')) return null;
  const results = await roundResults(request.scope, services.frameworks, round);
  return {
    title: round.title,
    status: round.status,
    opensOn: round.opensOn,
    closesOn: round.closesOn,
    finalisedAt: round.finalisedAt,
    respondents: results.respondents,
    groups: round.groups.length,
    capabilities: capabilitiesByScope(results.framework, 'sector'),
    levels: new Map(
      results.levels.map((l) => [l.capabilityId, { level: l.level, source: l.source }]),
    ),
  };
}

/** The whole view, or undefined when the caller is not a strategic institution. */
async function overviewFor(
  request: FastifyRequest,
  services: Services,
): Promise<SectorOverview | undefined> {
  const organisation = await request.scope.organisation();
  if (organisation.kind !== 'strategic_institution') return undefined;
  // All members, no peer group: the benchmarks page's default view, through the same service.
  const found = await benchmarksFor(services, request, {});
  if (!found?.doc) return undefined;
  const store = request.scope.sector;
  const members = await store.members();
  const [sharing, minimum, counts, referred, activity, problems, endorsed, round] =
    await Promise.all([
      request.scope.sectorReader.sharingCounts(),
      store.minimumGroupSize(),
      request.scope.sectorIncidentReader.classCountsByMember(),
      request.scope.sectorIncidentReader.referred(),
      request.scope.sectorExchange.activityItems(organisation.id),
      request.scope.sectorExchange.search(organisation.id, { kind: 'problem' }),
      request.scope.sectorExchange.search(organisation.id, { endorsedOnly: true }),
      sectorRound(request, services),
    ]);
  return buildSectorOverview({
    institutionName: organisation.name,
    now: new Date(),
    minimum,
    members: {
      active: members.filter((m) => m.status === 'active').length,
      invited: members.filter((m) => m.status === 'invited').length,
    },
    sharing,
    round,
    benchmarks: found.doc,
    incidents: incidentSeries(
      counts.map((c) => ({
        month: c.month,
        memberKey: c.memberId,
        class: c.class,
        kind: c.kind,
        count: c.count,
      })),
      minimum,
    ),
    referred: referred.length,
    exchange: exchangeSeries(
      activity.flatMap((a) =>
        isExchangeKind(a.kind)
          ? [
              {
                kind: a.kind,
                createdAt: a.createdAt,
                endorsed: a.endorsed,
                joinedCount: a.joinedCount,
                organisationKey: a.organisationId,
              },
            ]
          : [],
      ),
    ),
    problems: problems.map((p) => ({
      title: p.title,
      member: p.memberName,
      joined: p.joinedCount,
    })),
    endorsed: endorsed.map((i) => ({
      title: i.title,
      kind: isExchangeKind(i.kind) ? EXCHANGE_TEMPLATES[i.kind].label : i.kind,
      member: i.memberName,
    })),
  });
}

export const sectorOverviewRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const signedIn = { preHandler: requireSignIn };

  app.get('/sector/view', signedIn, async (request, reply) => {
    const overview = await overviewFor(request, services);
    if (!overview) return notFound(reply);
    return reply.page('pages/sector/overview.njk', {
      title: 'Sector view',
      breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'Sector view' }],
      overview,
    });
  });

  app.get('/sector/view.pdf', signedIn, async (request, reply) => {
    const overview = await overviewFor(request, services);
    if (!overview) return notFound(reply);
    const pdf = await buildSectorOverviewPdf(overview, { creationDate: new Date() });
    await request.scope.audit({
      action: 'sector.view_exported',
      entityType: 'sector_benchmarks',
      entityId: null,
      details: { format: 'pdf' },
    });
    return reply
      .type('application/pdf')
      .header('content-disposition', 'attachment; filename="sector-view.pdf"')
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });
};
