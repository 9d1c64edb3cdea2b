// The portfolio (issue 11; paper section 3.2 and appendix Table 1, Planning & Prioritisation): every
// initiative of the organisation ranked by the documented score with each component shown, a chart
// and a table of the same figures, how the score is worked out, and the ring-fenced innovation fund
// with its headroom and whether it is protected from in-year reprioritisation. Admins change the
// fund at /initiatives/portfolio/fund; the settings pages (weights, readiness table) are in
// settings.ts and registered with this plugin.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { portfolioPage } from './portfolio-view.ts';
import {
  commitmentRows,
  fundFormValues,
  initiativeItems,
  postedValues,
  readFundForm,
  rowsToShow,
  type CommitmentRow,
} from './fund-form.ts';
import { innovationFundOf, portfolioOf } from '../../services/portfolio.ts';
import { fundPosition } from '../../domain/initiatives/portfolio.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { canChangeSettings, crumbs } from './shared.ts';
import { settingsRoutes } from './settings.ts';

const FUND_TEMPLATE = 'pages/initiatives/portfolio/fund.njk';

export const portfolioRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  await app.register(settingsRoutes, { services });
  const admin = { preHandler: requireRole('admin') };

  app.get('/initiatives/portfolio', { preHandler: requireSignIn }, async (request, reply) => {
    const portfolio = await portfolioOf(request.scope, services.frameworks);
    return reply.page('pages/initiatives/portfolio/index.njk', {
      title: 'Portfolio of AI initiatives',
      breadcrumbs: crumbs(undefined, { text: 'Portfolio' }),
      canChangeSettings: canChangeSettings(request),
      ...portfolioPage(portfolio),
    });
  });

  /** The organisation's initiatives by id, for the "linked to" choice and to check it. */
  async function initiativeTitles(request: FastifyRequest): Promise<Map<string, string>> {
    const list = await request.scope.initiatives.list();
    return new Map(list.map((s) => [s.initiative.id, s.initiative.title]));
  }

  async function showFund(
    request: FastifyRequest,
    reply: FastifyReply,
    form: {
      values: Record<string, string>;
      rows: CommitmentRow[];
      base: number;
      errors?: FormErrors;
    },
  ) {
    const initiatives = await initiativeTitles(request);
    return reply.page(FUND_TEMPLATE, {
      title: 'Change the innovation fund',
      breadcrumbs: crumbs(
        undefined,
        { text: 'Portfolio', href: '/initiatives/portfolio' },
        { text: 'Innovation fund' },
      ),
      values: form.values,
      base: form.base,
      rows: form.rows.map((row) => ({
        ...row,
        initiativeItems: initiativeItems(initiatives, row.initiative),
      })),
      ...(form.errors ? { errors: form.errors.list, fieldErrors: form.errors.byField } : {}),
    });
  }

  app.get('/initiatives/portfolio/fund', admin, async (request, reply) => {
    const saved = await innovationFundOf(request.scope);
    const { values, rows } = fundFormValues(saved?.fund ?? null);
    return showFund(request, reply, {
      values,
      rows: rowsToShow(rows, false),
      base: saved?.version ?? 0,
    });
  });

  app.post('/initiatives/portfolio/fund', admin, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const saved = await innovationFundOf(request.scope);
    const base = saved?.version ?? 0;
    const values = postedValues(body);
    const posted = commitmentRows(body);
    if (body.action === 'add') {
      // Nothing is saved: the form comes back with a blank row more, still tied to the version it
      // was opened on, so a change made meanwhile by someone else is still noticed on saving.
      const opened = Number(body.base);
      return showFund(request, reply, {
        values,
        rows: rowsToShow(posted, true),
        base: Number.isInteger(opened) && opened >= 0 ? opened : base,
      });
    }
    if (String(body.base ?? '') !== String(base)) {
      reply.code(409);
      const current = fundFormValues(saved?.fund ?? null);
      return showFund(request, reply, {
        values: current.values,
        rows: rowsToShow(current.rows, false),
        base,
        errors: formErrors([
          [
            'budget',
            'Someone else changed the fund while you were editing it. This is the fund as it is now: make your changes again.',
          ],
        ]),
      });
    }
    const initiatives = await initiativeTitles(request);
    const read = readFundForm(body, { initiatives, saved: saved?.fund ?? null });
    if (!read.ok) {
      reply.code(400);
      return showFund(request, reply, {
        values,
        rows: rowsToShow(posted, false),
        base,
        errors: read.errors,
      });
    }
    const version = await request.scope.initiatives.saveSetting('innovation-fund', read.fund);
    const position = fundPosition(read.fund);
    reply.flash(`Saved the innovation fund (version ${version}). ${position.summary}`);
    return reply.redirect('/initiatives/portfolio#fund', 303);
  });
};
