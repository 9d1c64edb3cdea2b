// History and trends (issue 12, point 5): the level of every capability across all the rounds of
// the organisation that have results (closed or finalised), with a chart and a table per capability
// and the same figures as CSV and JSON, marking changes of framework version; and the comparison of
// any two rounds of the same kind. Levels are each round's one level (RoundResults.levels: agreed
// where agreed, else the median), read through roundResults() like every other surface.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  csvField,
  effectiveLevelText,
  TREND_CSV_COLUMNS,
  trendAcrossRounds,
  trendRows,
  type Trend,
} from '../../domain/assessment/index.ts';
import { getCapability } from '../../domain/framework/index.ts';
import { compareRounds } from '../../domain/assessment/index.ts';
import { roundResults, type RoundResults } from '../../services/assessmentResults.ts';
import type { RoundSummary } from '../../storage/index.ts';
import { fileSlug } from '../downloads.ts';
import { formErrors } from '../forms.ts';
import { requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { trendChartSvg, trendTable } from './charts/index.ts';
import { STATUS_TAGS } from './shared.ts';

const SCOPE_NAMES = { organisation: 'The organisation', sector: 'The sector' } as const;

/** Rounds with results: closed or finalised, with at least one answer sent. */
function withResults(rounds: readonly RoundSummary[]): RoundSummary[] {
  return rounds.filter(
    (r) => (r.status === 'closed' || r.status === 'finalised') && r.submitted > 0,
  );
}

/** The comparison of two rounds' results, as the compare page shows it. */
export function comparisonView(earlier: RoundResults, later: RoundResults) {
  const result = compareRounds(
    { framework: earlier.framework, results: earlier.summary.results, agreed: earlier.agreed },
    { framework: later.framework, results: later.summary.results, agreed: later.agreed },
  );
  return {
    ...result,
    rows: result.capabilities.map((c) => ({
      ...c,
      capability:
        getCapability(later.framework, c.capabilityId) ??
        getCapability(earlier.framework, c.capabilityId),
      earlierText: c.earlierLevel ? effectiveLevelText(c.earlierLevel, '–') : '–',
      laterText: c.laterLevel ? effectiveLevelText(c.laterLevel, '–') : '–',
    })),
  };
}

export const trendRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const signedIn = { preHandler: requireSignIn };

  /** One trend per kind of round (the organisation, and the sector for a strategic institution). */
  async function trendsOf(request: FastifyRequest) {
    const rounds = withResults(await request.scope.assessments.rounds());
    const groups: { scope: keyof typeof SCOPE_NAMES; trend: Trend }[] = [];
    for (const scope of ['organisation', 'sector'] as const) {
      const ofScope = rounds.filter((r) => r.scope === scope);
      if (ofScope.length === 0) continue;
      const inputs = [];
      for (const summary of ofScope) {
        const round = await request.scope.assessments.round(summary.id);
        if (!round) continue;
        const r = await roundResults(request.scope, services.frameworks, round);
        inputs.push({
          id: round.id,
          title: round.title,
          status: round.status,
          closedAt: round.closedAt ?? round.closesOn,
          framework: r.framework,
          levels: r.levels,
        });
      }
      groups.push({ scope, trend: trendAcrossRounds(inputs) });
    }
    return groups;
  }

  app.get('/assessments/trends', signedIn, async (request, reply) => {
    const groups = await trendsOf(request);
    return reply.page('pages/assessments/trends.njk', {
      title: 'Trends across rounds',
      groups: groups.map(({ scope, trend }) => ({
        scope,
        name: SCOPE_NAMES[scope],
        trend,
        rounds: trend.rounds.map((round) => ({
          ...round,
          tag: STATUS_TAGS[round.status as keyof typeof STATUS_TAGS],
        })),
        closedNotFinalised: trend.rounds.filter((r) => r.status === 'closed'),
        frameworkChanges: trend.rounds.filter((r) => r.frameworkChanged),
        capabilities: trend.capabilities.map((capability) => ({
          ...capability,
          svg: trendChartSvg(trend, capability, `trend-${scope}-${capability.capabilityId}`),
          table: trendTable(trend, capability),
        })),
      })),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Assessments', href: '/assessments' },
        { text: 'Trends' },
      ],
    });
  });

  app.get('/assessments/trends.csv', signedIn, async (request, reply) => {
    const groups = await trendsOf(request);
    const organisation = await request.scope.organisation();
    const lines = [['Assesses', ...TREND_CSV_COLUMNS].map((c) => csvField(c)).join(',')];
    for (const { scope, trend } of groups) {
      for (const row of trendRows(trend)) {
        lines.push([SCOPE_NAMES[scope], ...row].map((cell) => csvField(cell)).join(','));
      }
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="${fileSlug(organisation.name, 'organisation')}-trends.csv"`,
      )
      .send(`${lines.join('\r\n')}\r\n`);
  });

  app.get('/assessments/trends.json', signedIn, async (request, reply) => {
    const groups = await trendsOf(request);
    const organisation = await request.scope.organisation();
    return reply
      .type('application/json; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="${fileSlug(organisation.name, 'organisation')}-trends.json"`,
      )
      .send(
        JSON.stringify(
          {
            format: 'throughline.assessment-trends',
            formatVersion: 1,
            trends: groups.map(({ scope, trend }) => ({
              assesses: scope,
              rounds: trend.rounds,
              capabilities: trend.capabilities.map((c) => ({
                capabilityId: c.capabilityId,
                name: c.name,
                overall: c.overall,
                points: c.points.map((p) => ({
                  roundId: p.roundId,
                  assessed: p.assessed,
                  level: p.level?.level ?? null,
                  source: p.assessed ? (p.level?.source ?? null) : 'not assessed',
                  median: p.level?.median ?? null,
                  text: p.text,
                  descriptorsChanged: p.descriptorsChanged,
                })),
              })),
            })),
          },
          null,
          2,
        ),
      );
  });

  // ---- any two rounds ----

  const compareQuery = z.object({
    first: z.string().optional(),
    second: z.string().optional(),
  });

  async function comparePage(request: FastifyRequest, reply: FastifyReply) {
    const query = compareQuery.safeParse(request.query ?? {});
    const first = query.success ? (query.data.first ?? '') : '';
    const second = query.success ? (query.data.second ?? '') : '';
    const rounds = withResults(await request.scope.assessments.rounds()).sort((a, b) =>
      (a.closedAt ?? a.closesOn).localeCompare(b.closedAt ?? b.closesOn),
    );
    const items = (selected: string, prompt: string) => [
      { value: '', text: prompt },
      ...rounds.map((r) => ({
        value: r.id,
        text: `${r.title} (${SCOPE_NAMES[r.scope].toLowerCase()}, ${STATUS_TAGS[r.status].text.toLowerCase()})`,
        selected: r.id === selected,
      })),
    ];
    const problems: [string, string][] = [];
    let comparison;
    let earlier: RoundResults | undefined;
    let later: RoundResults | undefined;
    if (first !== '' || second !== '') {
      const a = rounds.find((r) => r.id === first);
      const b = rounds.find((r) => r.id === second);
      if (!a) problems.push(['first', 'Select the first round from the list']);
      if (!b) problems.push(['second', 'Select the second round from the list']);
      if (a && b && a.id === b.id) problems.push(['second', 'Select two different rounds']);
      if (a && b && a.id !== b.id && a.scope !== b.scope) {
        problems.push([
          'second',
          `Select a round of the same kind: “${a.title}” assesses ${SCOPE_NAMES[a.scope].toLowerCase()} and “${b.title}” assesses ${SCOPE_NAMES[b.scope].toLowerCase()}, so their capabilities differ`,
        ]);
      }
      if (problems.length === 0 && a && b) {
        const [older, newer] =
          (a.closedAt ?? a.closesOn) <= (b.closedAt ?? b.closesOn) ? [a, b] : [b, a];
        const olderRound = await request.scope.assessments.round(older.id);
        const newerRound = await request.scope.assessments.round(newer.id);
        if (olderRound && newerRound) {
          earlier = await roundResults(request.scope, services.frameworks, olderRound);
          later = await roundResults(request.scope, services.frameworks, newerRound);
          comparison = comparisonView(earlier, later);
        }
      }
    }
    const errors = problems.length > 0 ? formErrors(problems) : undefined;
    if (errors) reply.code(400);
    return reply.page('pages/assessments/compare-any.njk', {
      title: 'Compare two rounds',
      enough: rounds.length >= 2,
      firstItems: items(first, 'Choose a round'),
      secondItems: items(second, 'Choose a round'),
      earlier,
      later,
      comparison,
      errors: errors?.list,
      fieldErrors: errors?.byField,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Assessments', href: '/assessments' },
        { text: 'Compare two rounds' },
      ],
    });
  }

  app.get('/assessments/compare', signedIn, comparePage);
};
