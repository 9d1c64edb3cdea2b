// The capability assessment report as a PDF download (issue 3, point 9): the same content as the
// printable HTML report at /assessments/:id/report, for anyone signed in to the round's organisation.
// Another organisation's round is simply not found (404), as everywhere else.
import type { FastifyPluginAsync } from 'fastify';
import { exportFileName } from '../../services/assessmentExports.ts';
import { roundResultsVersion } from '../../services/assessmentResults.ts';
import { buildAssessmentReportPdf } from './pdf/report.ts';
import { reportPdfData } from './pdf/report-data.ts';
import { requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { loadRound, versionOf } from './shared.ts';
import { notFound } from '../plugins/errors.ts';

export const reportPdfRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  app.get('/assessments/:id/report.pdf', { preHandler: requireSignIn }, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    const r = await roundResultsVersion(
      request.scope,
      services.frameworks,
      round,
      versionOf(request),
    );
    if (!r) return notFound(reply);
    // A finalised round's own targets, never today's (RoundResults.targets).
    const targets = r.targets;
    const organisation = await request.scope.organisation();
    const generatedAt = new Date();
    const pdf = await buildAssessmentReportPdf(
      reportPdfData(r, { organisationName: organisation.name, targets, generatedAt }),
      { creationDate: generatedAt },
    );
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${exportFileName(r)}-report.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });
};
