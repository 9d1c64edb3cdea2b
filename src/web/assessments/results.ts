// Results of a round (consensus, spread, perception gaps, charts with tables, exports), moderation
// by the lead, finalisation into an unchangeable snapshot, and audited corrections as new versions.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  EVIDENCE_STRENGTHS,
  describeTarget,
  effectiveLevelText,
  levelWithName,
  moderationFlags,
  type AgreedLevel,
  type CapabilityResult,
  type EffectiveLevel,
  type Level,
} from '../../domain/assessment/index.ts';
import { getCapability, levelLabel, MATURITY_LEVELS } from '../../domain/framework/index.ts';
import { roundResults, snapshotOf, type RoundResults } from '../../services/assessmentResults.ts';
import {
  exportFileName,
  responsesCsv,
  resultsCsv,
  resultsReport,
} from '../../services/assessmentExports.ts';
import {
  heatMapSvg,
  heatMapTable,
  profileChartHtml,
  profileTable,
  type ChartTable,
} from './charts/index.ts';
import { formErrors, parseForm } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { hasRole, type Services } from '../principal.ts';
import { loadRound, STATUS_TAGS } from './shared.ts';
import { notFound } from '../plugins/errors.ts';

const EVIDENCE_LABELS: Readonly<
  Record<AgreedLevel['evidenceStrength'], { text: string; hint: string }>
> = {
  asserted: { text: 'Asserted', hint: 'Said by respondents, not yet backed by documents' },
  documented: { text: 'Documented', hint: 'Backed by documents such as reviews, plans or minutes' },
  'independently-verified': {
    text: 'Independently verified',
    hint: 'Checked by someone outside the team, such as internal audit or a peer review',
  },
};

const agreedForm = z.object({
  agreedLevel: z
    .enum(['1', '2', '3', '4', '5'], { error: 'Select the agreed level' })
    .transform(Number),
  evidenceStrength: z.enum(['asserted', 'documented', 'independently-verified'], {
    error: 'Select how strong the evidence is',
  }),
  rationale: z.string().trim().max(5000, 'Rationale must be 5,000 characters or fewer'),
  reason: z
    .string()
    .trim()
    .max(2000, 'Reason must be 2,000 characters or fewer')
    .optional()
    .default(''),
});

/** "2 Good: 1 level to go to reach your target of 2 Good", measured from the effective level. */
function targetText(
  target: Level | undefined,
  level: EffectiveLevel | undefined,
): string | undefined {
  if (target === undefined) return undefined;
  if (!level || level.level === null) return `${levelWithName(target)} (no level to measure from)`;
  return `${levelWithName(target)}: ${describeTarget(level.level, target).text} (from the ${level.source === 'agreed' ? 'agreed level' : 'median'})`;
}

function levelCells(result: CapabilityResult) {
  return MATURITY_LEVELS.map((level) => ({ level, count: result.distribution[level] }));
}

interface Charts {
  readonly heatMap: { readonly svg: string; readonly table: ChartTable };
  readonly profile: { readonly svg: string; readonly table: ChartTable };
}

/**
 * The results page's charts, drawn once per summary and set of targets. A closed round's summary is
 * one object shared between requests (src/services/assessmentResults.ts), so its charts are too; an
 * open round's summary is new on every request, and so are its charts.
 */
const chartCache = new WeakMap<RoundResults['summary'], Map<string, Charts>>();

function charts(r: RoundResults, targets: Record<string, Level>, draw: () => Charts): Charts {
  let byTargets = chartCache.get(r.summary);
  if (!byTargets) {
    byTargets = new Map();
    chartCache.set(r.summary, byTargets);
  }
  // The profile marks the agreed levels and measures the distance to target from them.
  const key = JSON.stringify([
    Object.entries(targets).sort(([a], [b]) => a.localeCompare(b)),
    r.levels.map((l) => [l.capabilityId, l.level, l.source]),
  ]);
  const cached = byTargets.get(key);
  if (cached) return cached;
  const drawn = draw();
  if (byTargets.size >= 16) byTargets.clear();
  byTargets.set(key, drawn);
  return drawn;
}

/**
 * The drawn body of the results page of closed and finalised rounds, whose figures no longer change
 * (RoundResults.figuresKey). The key holds everything else the body is drawn from, all of it read
 * afresh on every request: the organisation, the round as stored (title, status, groups, closing
 * time…), the snapshot version and reason, the agreed levels, the targets and whether the caller
 * may lead. So a moderation change, correction, new target or reopening gives a new key at once, in
 * this process or after another process made the change, and one organisation's key never matches
 * another's. Nothing per request (CSRF token, nonce, navigation, flash) is in the body: the layout
 * around it is `reply.keptPage()`'s. Bounded, least recently used first out.
 */
const BODY_LIMIT = 32;
const bodies = new Map<string, string>();

function bodyKey(
  organisationId: string | undefined,
  r: RoundResults,
  targets: Record<string, Level>,
  canLead: boolean,
): string | undefined {
  if (organisationId === undefined || r.figuresKey === undefined) return undefined;
  return JSON.stringify([
    organisationId,
    r.figuresKey,
    r.round,
    r.snapshot ?? null,
    r.respondents,
    r.agreed,
    Object.entries(targets).sort(([a], [b]) => a.localeCompare(b)),
    canLead,
  ]);
}

function keepBody(key: string, html: string): void {
  bodies.delete(key);
  bodies.set(key, html);
  while (bodies.size > BODY_LIMIT) {
    const oldest = bodies.keys().next().value;
    if (oldest === undefined) break;
    bodies.delete(oldest);
  }
}

export const resultRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const lead = { preHandler: requireRole('lead') };

  async function load(request: FastifyRequest): Promise<RoundResults | undefined> {
    const round = await loadRound(request);
    return round ? roundResults(request.scope, services.frameworks, round) : undefined;
  }

  const crumbs = (r: RoundResults, ...rest: { text: string; href?: string }[]) => [
    { text: 'Home', href: '/' },
    { text: 'Assessments', href: '/assessments' },
    { text: r.round.title, href: `/assessments/${r.round.id}` },
    ...rest,
  ];

  async function targetsOf(request: FastifyRequest): Promise<Record<string, Level>> {
    return Object.fromEntries(
      (await request.scope.assessments.targets()).map((t) => [t.capabilityId, t.targetLevel]),
    );
  }

  /** The body of the results page (everything inside the layout), drawn from `r` and `targets`. */
  function drawResults(
    r: RoundResults,
    targets: Record<string, Level>,
    canLead: boolean,
  ): Promise<string> {
    const agreedById = new Map(r.agreed.map((a) => [a.capabilityId, a]));
    const levelById = new Map(r.levels.map((l) => [l.capabilityId, l]));
    const levelText = (id: string, none: string) => {
      const level = levelById.get(id);
      return level ? effectiveLevelText(level, none) : none;
    };
    const agreedLevels = Object.fromEntries(r.agreed.map((a) => [a.capabilityId, a.agreedLevel]));
    const resultById = new Map(r.summary.results.map((x) => [x.capabilityId, x]));
    const chartInput = {
      framework: r.framework,
      results: r.summary.results,
      groups: r.round.groups,
      minGroupSize: r.summary.options.minGroupSize,
    };
    return app.view('pages/assessments/_results-body.njk', {
      r,
      tag: STATUS_TAGS[r.round.status],
      attention: r.attention.map((a) => ({
        ...a,
        capability: getCapability(r.framework, a.capabilityId),
        levelText: levelText(a.capabilityId, 'No ratings'),
      })),
      capabilities: r.summary.results.map((result) => {
        const capability = getCapability(r.framework, result.capabilityId);
        const agreed = agreedById.get(result.capabilityId);
        return {
          capability,
          result,
          levels: levelCells(result).map((c) => ({
            ...c,
            label: capability
              ? levelLabel(r.framework, capability.scope, c.level)
              : String(c.level),
          })),
          consensusText:
            result.consensus === null ? 'No ratings yet' : levelWithName(result.consensus),
          levelText: levelText(result.capabilityId, 'No ratings yet'),
          agreed: agreed && {
            ...agreed,
            levelText: levelWithName(agreed.agreedLevel),
            evidence: EVIDENCE_LABELS[agreed.evidenceStrength].text,
          },
          flags: agreed ? moderationFlags(agreed, result) : [],
          targetText: targetText(targets[result.capabilityId], levelById.get(result.capabilityId)),
        };
      }),
      ...charts(r, targets, () => ({
        heatMap: {
          svg: heatMapSvg({ ...chartInput, idPrefix: 'heat' }),
          table: heatMapTable(chartInput),
        },
        profile: {
          svg: profileChartHtml({
            framework: r.framework,
            results: r.summary.results,
            targets,
            agreed: agreedLevels,
            idPrefix: 'profile',
          }),
          table: profileTable({
            framework: r.framework,
            results: r.summary.results,
            targets,
            agreed: agreedLevels,
          }),
        },
      })),
      canLead,
      resultById,
    });
  }

  app.get('/assessments/:id/results', { preHandler: requireSignIn }, async (request, reply) => {
    const r = await load(request);
    if (!r) return notFound(reply);
    const targets = await targetsOf(request);
    const canLead = hasRole(request.principal?.role ?? 'viewer', 'lead');
    const key = bodyKey(request.principal?.organisationId, r, targets, canLead);
    // The layout around the body (navigation, CSRF token, nonce, flash) is right for each request.
    return reply.keptPage('pages/assessments/results.njk', key, async () => {
      let resultsHtml = key === undefined ? undefined : bodies.get(key);
      if (resultsHtml === undefined) resultsHtml = await drawResults(r, targets, canLead);
      if (key !== undefined) keepBody(key, resultsHtml);
      return {
        title: `Results: ${r.round.title}`,
        resultsHtml,
        breadcrumbs: crumbs(r, { text: 'Results' }),
      };
    });
  });

  app.get('/assessments/:id/results.csv', { preHandler: requireSignIn }, async (request, reply) => {
    const r = await load(request);
    if (!r) return notFound(reply);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportFileName(r)}.csv"`)
      .send(resultsCsv(r));
  });

  app.get(
    '/assessments/:id/results.json',
    { preHandler: requireSignIn },
    async (request, reply) => {
      const r = await load(request);
      if (!r) return notFound(reply);
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFileName(r)}.json"`)
        .send(JSON.stringify(await resultsReport(request.scope, r), null, 2));
    },
  );

  // Individual answers are for the lead only; names appear only when the lead asks for them.
  app.get<{ Querystring: { identities?: string } }>(
    '/assessments/:id/responses.csv',
    lead,
    async (request, reply) => {
      const r = await load(request);
      if (!r) return notFound(reply);
      const identities = request.query.identities === 'yes';
      await request.scope.audit({
        action: 'assessment.responses_exported',
        entityType: 'assessment_round',
        entityId: r.round.id,
        details: { identities },
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFileName(r)}-responses.csv"`)
        .send(await responsesCsv(request.scope, r, identities));
    },
  );

  // ---- moderation: the lead records an agreed level per capability, then finalises ----

  async function moderationPage(
    _request: FastifyRequest,
    reply: FastifyReply,
    r: RoundResults,
    errors?: ReturnType<typeof formErrors>,
  ) {
    const agreedById = new Map(r.agreed.map((a) => [a.capabilityId, a]));
    const rows = r.summary.results.map((result) => {
      const agreed = agreedById.get(result.capabilityId);
      return {
        capability: getCapability(r.framework, result.capabilityId),
        result,
        consensusText: result.consensus === null ? 'No ratings' : levelWithName(result.consensus),
        agreedText: agreed ? levelWithName(agreed.agreedLevel) : 'Not agreed yet',
        flags: agreed ? moderationFlags(agreed, result) : [],
      };
    });
    return reply.page('pages/assessments/moderate.njk', {
      title: `Agree the results: ${r.round.title}`,
      r,
      rows,
      allAgreed: rows.every((row) => row.agreedText !== 'Not agreed yet'),
      errors: errors?.list,
      breadcrumbs: crumbs(r, { text: 'Agree the results' }),
    });
  }

  app.get('/assessments/:id/moderate', lead, async (request, reply) => {
    const r = await load(request);
    if (!r) return notFound(reply);
    if (r.round.status !== 'closed' && r.round.status !== 'finalised') {
      return reply.redirect(`/assessments/${r.round.id}`, 303);
    }
    return moderationPage(request, reply, r);
  });

  async function capabilityForm(
    request: FastifyRequest,
    reply: FastifyReply,
    r: RoundResults,
    capabilityId: string,
    state: { values?: Record<string, unknown>; errors?: ReturnType<typeof formErrors> } = {},
  ) {
    const capability = getCapability(r.framework, capabilityId);
    const result = r.summary.results.find((x) => x.capabilityId === capabilityId);
    if (!capability || !result) return notFound(reply);
    const agreed = r.agreed.find((a) => a.capabilityId === capabilityId);
    const values = state.values ?? {
      agreedLevel: agreed
        ? String(agreed.agreedLevel)
        : result.consensus !== null
          ? String(result.consensus)
          : undefined,
      evidenceStrength: agreed?.evidenceStrength,
      rationale: agreed?.rationale ?? '',
    };
    if (state.errors) reply.code(400);
    const correcting = r.round.status === 'finalised';
    return reply.page('pages/assessments/agree.njk', {
      title: `${correcting ? 'Correct' : 'Agree'} the level for ${capability.name}`,
      r,
      capability,
      result,
      correcting,
      consensusText: result.consensus === null ? 'No ratings' : levelWithName(result.consensus),
      levels: levelCells(result).map((c) => ({
        ...c,
        label: levelLabel(r.framework, capability.scope, c.level),
      })),
      levelItems: MATURITY_LEVELS.map((level) => ({
        value: String(level),
        text: `${level} ${levelLabel(r.framework, capability.scope, level)}`,
        checked: values.agreedLevel === String(level),
      })),
      evidenceItems: EVIDENCE_STRENGTHS.map((e) => ({
        value: e,
        text: EVIDENCE_LABELS[e].text,
        hint: { text: EVIDENCE_LABELS[e].hint },
        checked: values.evidenceStrength === e,
      })),
      evidenceGiven: r.answers
        .filter((a) => a.capabilityId === capabilityId && a.evidence.trim() !== '')
        .map((a) => a.evidence),
      values,
      errors: state.errors?.list,
      fieldErrors: state.errors?.byField,
      backLink: `/assessments/${r.round.id}/moderate`,
    });
  }

  app.get('/assessments/:id/moderate/:capabilityId', lead, async (request, reply) => {
    const r = await load(request);
    if (!r) return notFound(reply);
    if (r.round.status !== 'closed' && r.round.status !== 'finalised') {
      return reply.redirect(`/assessments/${r.round.id}`, 303);
    }
    return capabilityForm(
      request,
      reply,
      r,
      (request.params as { capabilityId: string }).capabilityId,
    );
  });

  app.post('/assessments/:id/moderate/:capabilityId', lead, async (request, reply) => {
    const r = await load(request);
    if (!r) return notFound(reply);
    const capabilityId = (request.params as { capabilityId: string }).capabilityId;
    const result = r.summary.results.find((x) => x.capabilityId === capabilityId);
    if (!result) return notFound(reply);
    const form = parseForm(agreedForm, request.body);
    const problems: [string, string][] = form.ok
      ? []
      : form.errors.list.map((e) => [e.href.slice(1), e.text] as [string, string]);
    if (form.ok) {
      const differs = result.consensus !== null && form.data.agreedLevel !== result.consensus;
      if (differs && form.data.rationale === '') {
        problems.push([
          'rationale',
          'Explain why the agreed level differs from the respondents’ median',
        ]);
      }
      if (r.round.status === 'finalised' && form.data.reason === '') {
        problems.push(['reason', 'Say why this correction is needed']);
      }
    }
    if (!form.ok || problems.length > 0) {
      return capabilityForm(request, reply, r, capabilityId, {
        values: form.ok
          ? { ...form.data, agreedLevel: String(form.data.agreedLevel) }
          : form.values,
        errors: formErrors(problems),
      });
    }
    const agreed: AgreedLevel = {
      capabilityId,
      agreedLevel: form.data.agreedLevel as Level,
      evidenceStrength: form.data.evidenceStrength,
      rationale: form.data.rationale,
    };
    if (r.round.status === 'closed') {
      await request.scope.assessments.saveAgreedRating(r.round.id, agreed);
      reply.flash(
        `Agreed level saved for ${getCapability(r.framework, capabilityId)?.name ?? capabilityId}`,
      );
      return reply.redirect(`/assessments/${r.round.id}/moderate`, 303);
    }
    if (r.round.status === 'finalised') {
      // A finalised round is never edited: the correction becomes the next version of its snapshot.
      const nextAgreed = [...r.agreed.filter((a) => a.capabilityId !== capabilityId), agreed];
      const version = await request.scope.assessments.addSnapshot(
        r.round.id,
        snapshotOf(r, nextAgreed),
        form.data.reason,
      );
      reply.flash(`Correction saved as version ${version ?? '?'} of the results`);
      return reply.redirect(`/assessments/${r.round.id}/results`, 303);
    }
    return reply.redirect(`/assessments/${r.round.id}`, 303);
  });

  app.post('/assessments/:id/finalise', lead, async (request, reply) => {
    const r = await load(request);
    if (!r) return notFound(reply);
    if (r.round.status !== 'closed') return reply.redirect(`/assessments/${r.round.id}`, 303);
    const missing = r.summary.results.filter(
      (x) => !r.agreed.some((a) => a.capabilityId === x.capabilityId),
    );
    if (missing.length > 0) {
      const errors = formErrors(
        missing.map(
          (x) =>
            [
              `agree-${x.capabilityId}`,
              `Agree a level for ${getCapability(r.framework, x.capabilityId)?.name ?? x.capabilityId} before finalising`,
            ] as [string, string],
        ),
      );
      reply.code(400);
      return moderationPage(request, reply, r, errors);
    }
    await request.scope.assessments.addSnapshot(r.round.id, snapshotOf(r, r.agreed), 'Finalised');
    reply.flash(
      'The round is finalised. Its results are now a dated record that cannot be changed; corrections are kept as new versions.',
    );
    return reply.redirect(`/assessments/${r.round.id}/results`, 303);
  });
};
