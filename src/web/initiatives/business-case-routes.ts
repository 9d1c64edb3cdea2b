// The business case of an initiative as a printable page and as a PDF, both drawn from one model
// (business-case.ts). The scenario that models the initiative is simulated here, so its effects come
// with intervals; everything else is read as the initiative's page reads it.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { chainCheckOf, readinessOf } from '../../services/initiatives.ts';
import type { StoredInitiative } from '../../storage/index.ts';
import { fileSlug } from '../downloads.ts';
import { requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import type { Services } from '../principal.ts';
import { buildBusinessCase } from './business-case.ts';
import { buildBusinessCasePdf } from './business-case-pdf.ts';
import { currentAppetite, readRisks } from './risk-view.ts';
import { crumbs, initiativeFrom } from './shared.ts';

export const businessCaseRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const signedIn = { preHandler: requireSignIn };

  async function model(request: FastifyRequest, stored: StoredInitiative) {
    const [readiness, chainCheck, storedRisks, { appetite }, organisation] = await Promise.all([
      readinessOf(request.scope, services.frameworks, stored.initiative),
      chainCheckOf(request.scope, stored, { simulate: true }),
      request.scope.initiatives.risks(stored.initiative.id),
      currentAppetite(request.scope),
      request.scope.organisation(),
    ]);
    const risks = readRisks(storedRisks).risks.map((r) => r.risk);
    return buildBusinessCase({
      stored,
      organisationName: organisation.name,
      readiness,
      chainCheck,
      risks,
      appetite,
    });
  }

  app.get('/initiatives/:id/business-case', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const businessCase = await model(request, stored);
    return reply.page('pages/initiatives/business-case.njk', {
      title: `Business case: ${stored.initiative.title}`,
      breadcrumbs: crumbs(stored, { text: 'Business case' }),
      initiative: stored.initiative,
      businessCase,
    });
  });

  app.get('/initiatives/:id/business-case.pdf', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const pdf = await buildBusinessCasePdf(await model(request, stored), {
      creationDate: new Date(),
    });
    return reply
      .type('application/pdf')
      .header(
        'content-disposition',
        `attachment; filename="${fileSlug(stored.initiative.title, 'initiative')}-business-case.pdf"`,
      )
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });
};
