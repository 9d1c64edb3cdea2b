// Results of a round (consensus, spread, perception gaps, charts with tables, exports), moderation
// by the lead, finalisation into an unchangeable snapshot, and audited corrections as new versions.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  EVIDENCE_STRENGTHS,
  breaksEvidenceRule,
  checkEvidenceRule,
  describeTarget,
  evidenceOverrideText,
  effectiveLevelText,
  levelWithName,
  moderationFlags,
  type AgreedLevel,
  type CapabilityResult,
  type EffectiveLevel,
  type Level,
} from '../../domain/assessment/index.ts';
import { attentionOrderNote } from '../../domain/assessment/order-note.ts';
import { getCapability, levelLabel, MATURITY_LEVELS } from '../../domain/framework/index.ts';
import {
  roundResults,
  roundResultsVersion,
  snapshotOf,
  targetsNote,
  type RoundResults,
} from '../../services/assessmentResults.ts';
import {
  exportFileName,
  responsesCsv,
  resultsAbout,
  resultsCsv,
  resultsReport,
  resultsTables,
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
import { loadRound, STATUS_TAGS, versionOf } from './shared.ts';
import { notFound } from '../plugins/errors.ts';
import { sendWorkbook } from '../xlsx.ts';

/** Why a lead may not download names beside answers; shared with the API's refusal. */
export const IDENTITIES_REFUSED =
  'Only an admin can download responses with names, because they show what each person answered. You can download them numbered, without names.';

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
  // An administrator's override of the evidence rule (issue 12, point 4); anyone else sending these
  // fields is refused by checkEvidenceRule, not silently ignored.
  overrideEvidenceRule: z.enum(['yes']).optional(),
  overrideReason: z
    .string()
    .trim()
    .max(2000, 'The reason for the override must be 2,000 characters or fewer')
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
  const distribution = result.distribution;
  if (distribution === null) return [];
  return MATURITY_LEVELS.map((level) => ({ level, count: distribution[level] }));
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
  isAdmin = false,
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
    isAdmin,
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

  /** The results a reading page shows: of a finalised round, the version asked for (?version=N). */
  async function loadVersion(request: FastifyRequest): Promise<RoundResults | undefined> {
    const round = await loadRound(request);
    return round
      ? roundResultsVersion(request.scope, services.frameworks, round, versionOf(request))
      : undefined;
  }

  const crumbs = (r: RoundResults, ...rest: { text: string; href?: string }[]) => [
    { text: 'Home', href: '/' },
    { text: 'Assessments', href: '/assessments' },
    { text: r.round.title, href: `/assessments/${r.round.id}` },
    ...rest,
  ];

  /** The body of the results page (everything inside the layout), drawn from `r` and `targets`. */
  function drawResults(
    r: RoundResults,
    targets: Record<string, Level>,
    canLead: boolean,
    isAdmin: boolean,
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
      levels: r.levels,
    };
    return app.view('pages/assessments/_results-body.njk', {
      r,
      tag: STATUS_TAGS[r.round.status],
      orderNote: attentionOrderNote(r.framework, r.round.scope),
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
          consensusText: !result.shown
            ? `Not shown: fewer than ${r.summary.options.minGroupSize} people gave a level`
            : result.consensus === null
              ? 'No ratings yet'
              : levelWithName(result.consensus),
          levelText: levelText(result.capabilityId, 'No ratings yet'),
          agreed: agreed && {
            ...agreed,
            levelText: levelWithName(agreed.agreedLevel),
            evidence: EVIDENCE_LABELS[agreed.evidenceStrength].text,
            overrideText: evidenceOverrideText(agreed),
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
      isAdmin,
      resultById,
      targetsNote: targetsNote(r),
    });
  }

  app.get('/assessments/:id/results', { preHandler: requireSignIn }, async (request, reply) => {
    const r = await loadVersion(request);
    if (!r) return notFound(reply);
    // A finalised round's own targets, never today's (RoundResults.targets).
    const targets = r.targets;
    const canLead = hasRole(request.principal?.role ?? 'viewer', 'lead');
    const isAdmin = hasRole(request.principal?.role ?? 'viewer', 'admin');
    const key = bodyKey(request.principal?.organisationId, r, targets, canLead, isAdmin);
    // The layout around the body (navigation, CSRF token, nonce, flash) is right for each request.
    return reply.keptPage('pages/assessments/results.njk', key, async () => {
      let resultsHtml = key === undefined ? undefined : bodies.get(key);
      if (resultsHtml === undefined) resultsHtml = await drawResults(r, targets, canLead, isAdmin);
      if (key !== undefined) keepBody(key, resultsHtml);
      return {
        title: `Results: ${r.round.title}`,
        resultsHtml,
        breadcrumbs: crumbs(r, { text: 'Results' }),
      };
    });
  });

  app.get('/assessments/:id/results.csv', { preHandler: requireSignIn }, async (request, reply) => {
    const r = await loadVersion(request);
    if (!r) return notFound(reply);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportFileName(r)}.csv"`)
      .send(resultsCsv(r));
  });

  // The same tables as the CSV (and the JSON's attention order), as a spreadsheet; ?version=N alike.
  app.get(
    '/assessments/:id/results.xlsx',
    { preHandler: requireSignIn },
    async (request, reply) => {
      const r = await loadVersion(request);
      if (!r) return notFound(reply);
      return sendWorkbook(reply, `${exportFileName(r)}.xlsx`, resultsAbout(r), resultsTables(r));
    },
  );

  app.get(
    '/assessments/:id/results.json',
    { preHandler: requireSignIn },
    async (request, reply) => {
      const r = await loadVersion(request);
      if (!r) return notFound(reply);
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFileName(r)}.json"`)
        .send(JSON.stringify(await resultsReport(request.scope, r), null, 2));
    },
  );

  // Individual answers are for leads; names appear only when an admin asks for them.
  app.get<{ Querystring: { identities?: string } }>(
    '/assessments/:id/responses.csv',
    lead,
    async (request, reply) => {
      const r = await load(request);
      if (!r) return notFound(reply);
      const identities = request.query.identities === 'yes';
      // Names beside answers are for admins only (issue 12, point 2): a lead gets the numbered file.
      if (identities && !hasRole(request.principal?.role ?? 'viewer', 'admin')) {
        reply.code(403);
        return reply.page('pages/errors/forbidden.njk', {
          title: 'You do not have permission to do this',
          requiredRole: 'admin',
          reason: IDENTITIES_REFUSED,
        });
      }
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
    request: FastifyRequest,
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
    const canOverride = hasRole(request.principal?.role ?? 'viewer', 'admin');
    return reply.page('pages/assessments/moderate.njk', {
      title: `Agree the results: ${r.round.title}`,
      r,
      rows,
      allAgreed: rows.every((row) => row.agreedText !== 'Not agreed yet'),
      canOverride,
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
      overrideEvidenceRule: agreed?.evidenceOverride ? 'yes' : undefined,
      overrideReason: agreed?.evidenceOverride?.reason ?? '',
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
      canOverride: hasRole(request.principal?.role ?? 'viewer', 'admin'),
      overrideText: agreed ? evidenceOverrideText(agreed) : undefined,
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
    // The evidence rule: Good or Outstanding needs documented or independently verified evidence,
    // unless an administrator overrides it with a reason (anyone else asking is refused).
    const rule = form.ok
      ? checkEvidenceRule({
          agreedLevel: form.data.agreedLevel as Level,
          evidenceStrength: form.data.evidenceStrength,
          overrideRequested: form.data.overrideEvidenceRule === 'yes',
          overrideReason: form.data.overrideReason,
          mayOverride: hasRole(request.principal?.role ?? 'viewer', 'admin'),
        })
      : undefined;
    if (rule && !rule.ok) problems.push([rule.field, rule.message]);
    if (!form.ok || !rule?.ok || problems.length > 0) {
      return capabilityForm(request, reply, r, capabilityId, {
        values: form.ok
          ? { ...form.data, agreedLevel: String(form.data.agreedLevel) }
          : form.values,
        errors: formErrors(problems),
      });
    }
    const overrideReason = rule.override ? rule.reason : undefined;
    const agreed: AgreedLevel = {
      capabilityId,
      agreedLevel: form.data.agreedLevel as Level,
      evidenceStrength: form.data.evidenceStrength,
      rationale: form.data.rationale,
      ...(overrideReason === undefined
        ? {}
        : {
            evidenceOverride: {
              reason: overrideReason,
              byName: request.principal?.userName ?? 'an administrator',
              at: new Date().toISOString(),
            },
          }),
    };
    if (r.round.status === 'closed') {
      await request.scope.assessments.saveAgreedRating(r.round.id, {
        capabilityId,
        agreedLevel: agreed.agreedLevel,
        evidenceStrength: agreed.evidenceStrength,
        rationale: agreed.rationale,
        ...(overrideReason === undefined ? {} : { overrideReason }),
      });
      reply.flash(
        `Agreed level saved for ${getCapability(r.framework, capabilityId)?.name ?? capabilityId}`,
      );
      return reply.redirect(`/assessments/${r.round.id}/moderate`, 303);
    }
    if (r.round.status === 'finalised') {
      // A finalised round is never edited: the correction becomes the next version of its snapshot.
      // It keeps the targets of the version it corrects, and its roadmap is generated afresh.
      const nextAgreed = [...r.agreed.filter((a) => a.capabilityId !== capabilityId), agreed];
      const version = await request.scope.transaction(async (scope) => {
        const added = await scope.assessments.addSnapshot(
          r.round.id,
          snapshotOf(r, nextAgreed),
          form.data.reason,
        );
        if (added !== undefined && overrideReason !== undefined) {
          await scope.audit({
            action: 'assessment.evidence_rule_overridden',
            entityType: 'assessment_round',
            entityId: r.round.id,
            details: {
              capabilityId,
              level: agreed.agreedLevel,
              evidence: agreed.evidenceStrength,
              reason: overrideReason,
              version: added,
            },
          });
        }
        return added;
      });
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
    // Agreed levels recorded before the evidence rule was enforced must meet it before finalising.
    const unsupported = r.agreed.filter((a) => breaksEvidenceRule(a) && !a.evidenceOverride);
    if (missing.length > 0 || unsupported.length > 0) {
      const name = (id: string) => getCapability(r.framework, id)?.name ?? id;
      const errors = formErrors([
        ...missing.map(
          (x) =>
            [
              `agree-${x.capabilityId}`,
              `Agree a level for ${name(x.capabilityId)} before finalising`,
            ] as [string, string],
        ),
        ...unsupported.map(
          (a) =>
            [
              `agree-${a.capabilityId}`,
              `${name(a.capabilityId)} is agreed at ${levelWithName(a.agreedLevel)} on asserted evidence: record documented or independently verified evidence, or agree a lower level, before finalising`,
            ] as [string, string],
        ),
      ]);
      reply.code(400);
      return moderationPage(request, reply, r, errors);
    }
    // The version keeps today's targets (with their reasons) and the roadmap as generated now.
    const targetDetails = (await request.scope.assessments.targets()).map((t) => ({
      capabilityId: t.capabilityId,
      targetLevel: t.targetLevel,
      rationale: t.rationale,
      setAt: t.setAt,
    }));
    await request.scope.assessments.addSnapshot(
      r.round.id,
      snapshotOf(r, r.agreed, targetDetails),
      'Finalised',
    );
    reply.flash(
      'The round is finalised. Its results are now a dated record that cannot be changed; corrections are kept as new versions.',
    );
    return reply.redirect(`/assessments/${r.round.id}/results`, 303);
  });
};
