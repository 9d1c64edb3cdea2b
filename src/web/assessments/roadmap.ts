// After the results: target levels per capability (the level needed depends on what the body means
// to attempt, section 3), the roadmap to the next level, comparison with an earlier round, and a
// printable report.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  effectiveLevelText,
  evidenceGiven,
  evidenceOverrideText,
  levelWithName,
  moderationFlags,
  type EffectiveLevel,
  type Level,
} from '../../domain/assessment/index.ts';
import {
  capabilitiesByScope,
  getCapability,
  MATURITY_LEVELS,
  type Scope,
} from '../../domain/framework/index.ts';
import {
  roadmapsFor,
  roundResults,
  roundResultsVersion,
  targetsNote,
  type RoundResults,
} from '../../services/assessmentResults.ts';
import { heatMapSvg, heatMapTable, profileChartHtml, profileTable } from './charts/index.ts';
import { formErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { hasRole, type Services } from '../principal.ts';
import { loadRound, STATUS_TAGS, versionOf } from './shared.ts';
import { notFound } from '../plugins/errors.ts';
import { todayIso } from '../initiatives/risk-view.ts';
import { itemView } from './actions.ts';
import { comparisonView } from './trends.ts';

export const roadmapRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const signedIn = { preHandler: requireSignIn };

  /** The results a page shows: of a finalised round, the version asked for (?version=N). */
  async function load(request: FastifyRequest): Promise<RoundResults | undefined> {
    const round = await loadRound(request);
    return round
      ? roundResultsVersion(request.scope, services.frameworks, round, versionOf(request))
      : undefined;
  }

  /**
   * Each capability's roadmap, measured against the round's own targets (a finalised round's, kept
   * with it; else today's) and, for a finalised version, as it was generated then.
   */
  function roadmapsOf(r: RoundResults) {
    const agreedById = new Map(r.agreed.map((a) => [a.capabilityId, a]));
    const levelById = new Map(r.levels.map((l) => [l.capabilityId, l]));
    return roadmapsFor(r).map(({ entry, roadmap: map }) => {
      const capability = getCapability(r.framework, entry.capabilityId);
      const agreed = agreedById.get(entry.capabilityId);
      return {
        capability,
        entry,
        roadmap: map,
        currentText: map ? levelWithName(map.currentLevel) : 'No level yet',
        basis: basisOf(levelById.get(entry.capabilityId)),
        overrideText: agreed ? evidenceOverrideText(agreed) : undefined,
        nextText: map?.nextLevel ? levelWithName(map.nextLevel) : undefined,
      };
    });
  }

  /** The round's tracked actions of each capability, and which of its actions are tracked. */
  async function trackedByCapability(request: FastifyRequest, roundId: string) {
    const today = todayIso();
    const items = (await request.scope.roadmapItems.list({ roundId })).map((item) =>
      itemView(item, services, today),
    );
    return (capabilityId: string) => {
      const own = items.filter((item) => item.capabilityId === capabilityId);
      return {
        tracked: own,
        trackedByIndicator: Object.fromEntries(own.map((item) => [item.indicatorId, item])),
      };
    };
  }

  // ---- targets ----

  async function targetsPage(
    request: FastifyRequest,
    reply: FastifyReply,
    errors?: ReturnType<typeof formErrors>,
  ) {
    const organisation = await request.scope.organisation();
    const scopes: Scope[] =
      organisation.kind === 'strategic_institution' ? ['organisation', 'sector'] : ['organisation'];
    const targets = await request.scope.assessments.targets();
    const byId = new Map(targets.map((t) => [t.capabilityId, t]));
    const fw = services.framework;
    if (errors) reply.code(400);
    return reply.page('pages/assessments/targets.njk', {
      title: 'Target levels',
      canEdit: hasRole(request.principal?.role ?? 'viewer', 'lead'),
      groups: scopes.map((scope) => ({
        scope,
        name: fw.document.scopes.find((s) => s.id === scope)?.name ?? scope,
        capabilities: capabilitiesByScope(fw, scope).map((c) => {
          const target = byId.get(c.id);
          return {
            capability: c,
            target,
            targetText: target ? levelWithName(target.targetLevel) : 'No target',
            items: [
              { value: '', text: 'No target' },
              ...MATURITY_LEVELS.map((l) => ({
                value: String(l),
                text: levelWithName(l),
                selected: target?.targetLevel === l,
              })),
            ],
          };
        }),
      })),
      errors: errors?.list,
      fieldErrors: errors?.byField,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Assessments', href: '/assessments' },
        { text: 'Target levels' },
      ],
    });
  }

  app.get('/assessments/targets', signedIn, (request, reply) => targetsPage(request, reply));

  app.post('/assessments/targets', { preHandler: requireRole('lead') }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const organisation = await request.scope.organisation();
    const scopes: Scope[] =
      organisation.kind === 'strategic_institution' ? ['organisation', 'sector'] : ['organisation'];
    const capabilities = scopes.flatMap((s) => capabilitiesByScope(services.framework, s));
    const existing = new Map(
      (await request.scope.assessments.targets()).map((t) => [t.capabilityId, t]),
    );
    const problems: [string, string][] = [];
    const changes: { capabilityId: string; level: Level; rationale: string }[] = [];
    for (const c of capabilities) {
      const raw = body[`target-${c.id}`];
      const rationale =
        typeof body[`rationale-${c.id}`] === 'string'
          ? (body[`rationale-${c.id}`] as string).trim()
          : '';
      if (raw === undefined || raw === '') continue;
      const level = z.enum(['1', '2', '3', '4', '5']).safeParse(raw);
      if (!level.success) {
        problems.push([`target-${c.id}`, `Choose a target level for ${c.name}`]);
        continue;
      }
      if (rationale.length > 1000)
        problems.push([
          `rationale-${c.id}`,
          `The reason for ${c.name} must be 1,000 characters or fewer`,
        ]);
      const n = Number(level.data) as Level;
      const before = existing.get(c.id);
      if (!before || before.targetLevel !== n || before.rationale !== rationale) {
        changes.push({ capabilityId: c.id, level: n, rationale });
      }
    }
    if (problems.length > 0) return targetsPage(request, reply, formErrors(problems));
    await request.scope.transaction(async (scope) => {
      for (const change of changes)
        await scope.assessments.setTarget(change.capabilityId, change.level, change.rationale);
    });
    reply.flash(
      changes.length === 0
        ? 'No targets changed'
        : `${changes.length} ${changes.length === 1 ? 'target' : 'targets'} saved`,
    );
    return reply.redirect('/assessments/targets', 303);
  });

  // ---- roadmap ----

  app.get('/assessments/:id/roadmap', signedIn, async (request, reply) => {
    const r = await load(request);
    if (!r) return notFound(reply);
    const tracked = await trackedByCapability(request, r.round.id);
    return reply.page('pages/assessments/roadmap.njk', {
      title: `Roadmap: ${r.round.title}`,
      r,
      items: roadmapsOf(r).map((item) => ({
        ...item,
        ...tracked(item.capability?.id ?? item.entry.capabilityId),
      })),
      canTrack: hasRole(request.principal?.role ?? 'viewer', 'member'),
      targetsNote: targetsNote(r),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Assessments', href: '/assessments' },
        { text: r.round.title, href: `/assessments/${r.round.id}` },
        { text: 'Roadmap' },
      ],
    });
  });

  // ---- comparison with an earlier round ----

  app.get<{ Querystring: { with?: string } }>(
    '/assessments/:id/compare',
    signedIn,
    async (request, reply) => {
      const r = await load(request);
      if (!r) return notFound(reply);
      const others = (await request.scope.assessments.rounds()).filter(
        (o) => o.id !== r.round.id && o.scope === r.round.scope && o.submitted > 0,
      );
      const withId = z.uuid().safeParse(request.query.with);
      let comparison;
      let earlier: RoundResults | undefined;
      if (withId.success) {
        const other = await request.scope.assessments.round(withId.data);
        if (!other || other.scope !== r.round.scope) return notFound(reply);
        earlier = await roundResults(request.scope, services.frameworks, other);
        comparison = comparisonView(earlier, r);
      }
      return reply.page('pages/assessments/compare.njk', {
        title: `Compare: ${r.round.title}`,
        r,
        earlier,
        comparison,
        roundItems: [
          { value: '', text: 'Choose an earlier round' },
          ...others.map((o) => ({
            value: o.id,
            text: `${o.title} (${o.opensOn})`,
            selected: o.id === (withId.success ? withId.data : ''),
          })),
        ],
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Assessments', href: '/assessments' },
          { text: r.round.title, href: `/assessments/${r.round.id}` },
          { text: 'Compare' },
        ],
      });
    },
  );

  // ---- printable report ----

  app.get('/assessments/:id/report', signedIn, async (request, reply) => {
    const r = await load(request);
    if (!r) return notFound(reply);
    // A finalised round's own targets, never today's (RoundResults.targets).
    const targets = r.targets;
    const organisation = await request.scope.organisation();
    const agreedById = new Map(r.agreed.map((a) => [a.capabilityId, a]));
    const agreedLevels = Object.fromEntries(r.agreed.map((a) => [a.capabilityId, a.agreedLevel]));
    const levelById = new Map(r.levels.map((l) => [l.capabilityId, l]));
    const chartInput = {
      framework: r.framework,
      results: r.summary.results,
      groups: r.round.groups,
      minGroupSize: r.summary.options.minGroupSize,
      levels: r.levels,
    };
    return reply.page('pages/assessments/report.njk', {
      title: `Report: ${r.round.title}`,
      r,
      organisation,
      tag: STATUS_TAGS[r.round.status],
      generatedAt: new Date().toISOString(),
      capabilities: r.summary.results.map((result) => {
        const agreed = agreedById.get(result.capabilityId);
        return {
          capability: getCapability(r.framework, result.capabilityId),
          result,
          consensusText: result.consensus === null ? 'No ratings' : levelWithName(result.consensus),
          levelText: effectiveLevelText(
            levelById.get(result.capabilityId) ?? noLevel(result.capabilityId),
          ),
          agreed: agreed && {
            ...agreed,
            levelText: levelWithName(agreed.agreedLevel),
            overrideText: evidenceOverrideText(agreed),
          },
          flags: agreed ? moderationFlags(agreed, result) : [],
          evidence: evidenceGiven(r.answers, result.capabilityId),
        };
      }),
      roadmaps: roadmapsOf(r),
      targetsNote: targetsNote(r),
      heatMap: {
        svg: heatMapSvg({ ...chartInput, idPrefix: 'report-heat' }),
        table: heatMapTable(chartInput),
      },
      profile: {
        svg: profileChartHtml({
          framework: r.framework,
          results: r.summary.results,
          targets,
          agreed: agreedLevels,
          idPrefix: 'report-profile',
        }),
        table: profileTable({
          framework: r.framework,
          results: r.summary.results,
          targets,
          agreed: agreedLevels,
        }),
      },
    });
  });
};

function noLevel(capabilityId: string): EffectiveLevel {
  return { capabilityId, level: null, source: 'none', median: null };
}

/** "agreed level, median 3 Adequate" where moderation moved the level; "respondents’ median" else. */
function basisOf(level: EffectiveLevel | undefined): string {
  if (level?.source !== 'agreed') return 'respondents’ median';
  if (level.median === null || level.median === level.level) return 'agreed level';
  return `agreed level, median ${levelWithName(level.median)}`;
}
