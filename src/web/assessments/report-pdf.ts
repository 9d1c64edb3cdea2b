// The capability assessment report as a PDF download (issue 3, point 9): the same content as the
// printable HTML report at /assessments/:id/report, for anyone signed in to the round's organisation.
// Another organisation's round is simply not found (404), as everywhere else.
import type { FastifyPluginAsync } from 'fastify';
import type { Level } from '../../domain/assessment/index.ts';
import { exportFileName } from '../../services/assessmentExports.ts';
import { roundResults } from '../../services/assessmentResults.ts';
import { buildAssessmentReportPdf } from './pdf/report.ts';
import { reportPdfData } from './pdf/report-data.ts';
import { requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { loadRound } from './shared.ts';
import { notFound } from '../plugins/errors.ts';

export const reportPdfRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  app.get('/assessments/:id/report.pdf', { preHandler: requireSignIn }, async (request, reply) => {
    const round = await loadRound(request);
    if (!round) return notFound(reply);
    const r = await roundResults(request.scope, services.frameworks, round);
    const targets: Record<string, Level> = Object.fromEntries(
      (await request.scope.assessments.targets()).map((t) => [t.capabilityId, t.targetLevel]),
    );
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
