// Comparison over time (issue 14, point 7): saying that a comment set is a later wave of an earlier
// set of the same organisation, and the comparison page — which themes grew, shrank, appeared or
// were not found again, with the test behind each verdict — as a chart, the same figures in a
// table, a CSV and JSON. Validate → call the service → render.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ThemeChange, WaveComparison } from '../../domain/themes/compare.ts';
import {
  adoptEarlierNames,
  compareWithEarlierWave,
  type WaveState,
} from '../../services/themes/index.ts';
import type { CommentSet } from '../../storage/index.ts';
import { formErrors, parseForm, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import type { Services } from '../principal.ts';
import { csvCell } from './export.ts';
import { canEditThemes, themesCrumbs } from './shared.ts';
import { waveChartSvg } from './wave-chart.ts';

const ID = /^[0-9a-f-]{36}$/;

const waveSchema = z.object({
  previousSetId: z
    .string({ message: 'Choose the earlier set, or say it is not a later wave' })
    .trim()
    .refine((v) => v === '' || ID.test(v), {
      message: 'Choose one of the comment sets listed',
    }),
});

/** "10.0 %", kept on one line in a narrow table cell. */
const percent = (share: number): string => `${(share * 100).toFixed(1)}\u00a0%`;
const signedPoints = (points: number): string =>
  `${points > 0 ? '+' : points < 0 ? '−' : ''}${Math.abs(points).toFixed(1)}`;
const pValue = (p: number): string => (p < 0.001 ? '< 0.001' : p.toFixed(3));

/** The comparison's figures as plain data: what the table, the CSV and the JSON all show. */
export function comparisonFigures(
  state: Extract<WaveState, { kind: 'compared' }>,
): Record<string, unknown> {
  const c = state.comparison;
  return {
    earlier: {
      setId: state.earlier.id,
      name: state.earlier.name,
      analysisId: state.earlierAnalysisId,
      analysed: c.earlierAnalysed,
    },
    later: {
      setId: state.later.id,
      name: state.later.name,
      analysisId: state.laterAnalysisId,
      analysed: c.laterAnalysed,
    },
    method: c.method,
    themes: c.changes.map((t) => ({
      key: t.key,
      name: t.name,
      earlierCount: t.earlier.count,
      earlierShare: t.earlier.share,
      laterCount: t.later.count,
      laterShare: t.later.share,
      changePoints: t.changePoints,
      p: t.p,
      adjustedP: t.adjustedP,
      significant: t.significant,
      verdict: t.verdict,
      explanation: t.explanation,
    })),
  };
}

const CSV_HEADER = [
  'theme',
  'earlier_count',
  'earlier_share',
  'later_count',
  'later_share',
  'change_percentage_points',
  'p_value',
  'holm_adjusted_p_value',
  'significant_after_correction',
  'verdict',
  'explanation',
];

export function comparisonCsv(comparison: WaveComparison): string {
  // Numbers as numbers (a leading minus is a number here, not a formula); text guarded by csvCell.
  const num = (n: number, digits: number) => n.toFixed(digits);
  const lines = [CSV_HEADER.join(',')];
  for (const t of comparison.changes)
    lines.push(
      [
        csvCell(t.name),
        String(t.earlier.count),
        num(t.earlier.share, 4),
        String(t.later.count),
        num(t.later.share, 4),
        num(t.changePoints, 2),
        num(t.p, 6),
        num(t.adjustedP, 6),
        t.significant ? 'yes' : 'no',
        csvCell(t.verdict),
        csvCell(t.explanation),
      ].join(','),
    );
  return `${lines.join('\r\n')}\r\n`;
}

const VERDICT_TAG: Readonly<Record<ThemeChange['verdict'], string>> = {
  grew: 'govuk-tag--orange',
  shrank: 'govuk-tag--green',
  'no clear change': 'govuk-tag--grey',
  new: 'govuk-tag--purple',
  'not found': 'govuk-tag--grey',
};

const fileNameOf = (set: CommentSet, ext: string): string =>
  `${
    set.name
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'comments'
  }-compared.${ext}`;

export const themeWaveRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const signedIn = { preHandler: requireSignIn };
  const member = { preHandler: requireRole('member') };

  // ---- which earlier set a set follows ----

  const wavePage = async (
    request: FastifyRequest,
    setId: string,
    extra: { values?: Record<string, unknown>; errors?: FormErrors },
  ) => {
    const set = await request.scope.themes.set(setId);
    if (!set) return undefined;
    const others = (await request.scope.themes.sets()).filter((s) => s.id !== set.id);
    const chosen = String(extra.values?.previousSetId ?? set.previousSetId ?? '');
    return {
      title: 'Is this a later wave?',
      set,
      items: [
        ...others.map((s) => ({
          value: s.id,
          text: s.name,
          hint: { text: `${s.fileName}, uploaded ${s.createdAt.slice(0, 10)}` },
          checked: chosen === s.id,
        })),
        ...(others.length > 0 ? [{ divider: 'or' }] : []),
        { value: '', text: 'Not a later wave of another set', checked: chosen === '' },
      ],
      errors: extra.errors?.list,
      fieldErrors: extra.errors?.byField,
      breadcrumbs: themesCrumbs(
        { text: set.name, href: `/themes/sets/${set.id}` },
        { text: 'Earlier wave' },
      ),
    };
  };

  app.get<{ Params: { setId: string } }>(
    '/themes/sets/:setId/wave',
    member,
    async (request, reply) => {
      if (!ID.test(request.params.setId)) return notFound(reply);
      const page = await wavePage(request, request.params.setId, {});
      if (!page) return notFound(reply);
      return reply.page('pages/themes/wave.njk', page);
    },
  );

  app.post<{ Params: { setId: string } }>(
    '/themes/sets/:setId/wave',
    member,
    async (request, reply) => {
      const { setId } = request.params;
      if (!ID.test(setId)) return notFound(reply);
      const refuse = async (
        status: number,
        errors: FormErrors,
        values: Record<string, unknown>,
      ) => {
        const page = await wavePage(request, setId, { values, errors });
        if (!page) return notFound(reply);
        reply.code(status);
        return reply.page('pages/themes/wave.njk', page);
      };
      const form = parseForm(waveSchema, request.body);
      if (!form.ok) return refuse(400, form.errors, form.values);
      const previous = form.data.previousSetId === '' ? null : form.data.previousSetId;
      if (previous === setId)
        return refuse(
          400,
          formErrors([['previousSetId', 'A set cannot be a later wave of itself']]),
          form.data,
        );
      const result = await request.scope.themes.linkWave(setId, previous);
      if (result === 'not-found') {
        // The set itself, or an earlier set that is not this organisation's: nothing is stored.
        if (!(await request.scope.themes.set(setId))) return notFound(reply);
        return refuse(
          404,
          formErrors([['previousSetId', 'Choose one of the comment sets listed']]),
          form.data,
        );
      }
      if (result === 'circular')
        return refuse(
          400,
          formErrors([
            [
              'previousSetId',
              'That set is itself a later wave of this one. Choose a set that came before it',
            ],
          ]),
          form.data,
        );
      reply.flash(
        previous === null
          ? 'This set is no longer a later wave of another set.'
          : 'Saved. The comparison with the earlier wave is below.',
      );
      return reply.redirect(
        previous === null ? `/themes/sets/${setId}` : `/themes/sets/${setId}/compare`,
        303,
      );
    },
  );

  // ---- the comparison ----

  const compared = async (request: FastifyRequest, reply: FastifyReply, setId: string) => {
    const state = ID.test(setId) ? await compareWithEarlierWave(request.scope, setId) : undefined;
    if (!state) notFound(reply);
    return state;
  };

  app.get<{ Params: { setId: string } }>(
    '/themes/sets/:setId/compare',
    signedIn,
    async (request, reply) => {
      const state = await compared(request, reply, request.params.setId);
      if (!state) return reply;
      const base = {
        title: `Compared with the earlier wave: ${state.later.name}`,
        state: state.kind,
        later: state.later,
        canEdit: canEditThemes(request),
        breadcrumbs: themesCrumbs(
          { text: state.later.name, href: `/themes/sets/${state.later.id}` },
          { text: 'Compared with the earlier wave' },
        ),
      };
      if (state.kind !== 'compared')
        return reply.page('pages/themes/compare.njk', {
          ...base,
          earlier: 'earlier' in state ? state.earlier : null,
          missing: state.kind === 'not-analysed' ? state.missing : null,
        });
      const c = state.comparison;
      const rows = c.changes.map((t) => ({
        name: t.name,
        earlier: `${t.earlier.count.toLocaleString('en-GB')} (${percent(t.earlier.share)})`,
        later: `${t.later.count.toLocaleString('en-GB')} (${percent(t.later.share)})`,
        change: signedPoints(t.changePoints),
        adjustedP: pValue(t.adjustedP),
        verdict: t.verdict,
        tag: VERDICT_TAG[t.verdict],
        explanation: t.explanation,
      }));
      const count = (v: ThemeChange['verdict']) => c.changes.filter((t) => t.verdict === v).length;
      return reply.page('pages/themes/compare.njk', {
        ...base,
        earlier: state.earlier,
        comparison: c,
        rows,
        summary: {
          grew: count('grew'),
          shrank: count('shrank'),
          same: count('no clear change'),
          fresh: count('new'),
          notFound: count('not found'),
        },
        chart: waveChartSvg(
          c.changes.map((t) => ({
            name: t.name,
            earlierShare: t.earlier.share,
            laterShare: t.later.share,
            verdict: t.verdict,
          })),
          `Share of comments in each theme: ${state.earlier.name} and ${state.later.name}`,
        ),
        earlierHref: `/themes/analyses/${state.earlierAnalysisId}`,
        laterHref: `/themes/analyses/${state.laterAnalysisId}`,
        csvHref: `/themes/sets/${state.later.id}/compare.csv`,
        jsonHref: `/themes/sets/${state.later.id}/compare.json`,
      });
    },
  );

  app.post<{ Params: { setId: string } }>(
    '/themes/sets/:setId/compare/names',
    member,
    async (request, reply) => {
      const { setId } = request.params;
      if (!ID.test(setId)) return notFound(reply);
      const done = await adoptEarlierNames(request.scope, setId);
      if (!done) return notFound(reply);
      const changed = done.renamed + done.merged;
      reply.flash(
        changed === 0
          ? 'The later wave’s themes already have the earlier wave’s names.'
          : `The later wave’s themes now have the earlier wave’s names (${changed} theme${changed === 1 ? '' : 's'} changed).`,
      );
      return reply.redirect(`/themes/sets/${setId}/compare`, 303);
    },
  );

  app.get<{ Params: { setId: string } }>(
    '/themes/sets/:setId/compare.csv',
    signedIn,
    async (request, reply) => {
      const state = await compared(request, reply, request.params.setId);
      if (!state) return reply;
      if (state.kind !== 'compared') return notFound(reply);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileNameOf(state.later, 'csv')}"`)
        .send(comparisonCsv(state.comparison));
    },
  );

  app.get<{ Params: { setId: string } }>(
    '/themes/sets/:setId/compare.json',
    signedIn,
    async (request, reply) => {
      const state = await compared(request, reply, request.params.setId);
      if (!state) return reply;
      if (state.kind !== 'compared') return notFound(reply);
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileNameOf(state.later, 'json')}"`)
        .send(JSON.stringify(comparisonFigures(state)));
    },
  );
};
