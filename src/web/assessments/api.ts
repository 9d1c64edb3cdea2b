// Assessment rounds, results and exports through the JSON API (personal API tokens), described in
// /api/openapi.json from the same schemas that validate the requests.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REPORT_FORMAT, REPORT_FORMAT_VERSION } from '../../domain/assessment/index.ts';
import { roundResults, roundResultsVersion } from '../../services/assessmentResults.ts';
import { responsesCsv, resultsCsv, resultsReport } from '../../services/assessmentExports.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { hasRole, type Services } from '../principal.ts';
import { IDENTITIES_REFUSED } from './results.ts';
import { errorSchema, secured, idParams } from '../api.ts';
import { recordSurveyResponse } from '../../services/surveyResponses.ts';
import { EVIDENCE_MAX } from '../../domain/assessment/surveyAnswers.ts';

const issuesSchema = errorSchema.extend({
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});

const surveyResponseSchema = z
  .object({
    groupId: z
      .uuid()
      .describe('One of the round’s respondent groups (GET /api/assessments/rounds/{id})'),
    respondent: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe(
        'How the respondent is named in the round — your survey tool’s own reference for the response, say. A round takes one response per name: sending it again is refused with 409 "duplicate_response", so a retried request never counts twice.',
      ),
    answers: z
      .array(
        z.object({
          capabilityId: z.string().max(100),
          level: z
            .union([
              z.literal(1),
              z.literal(2),
              z.literal(3),
              z.literal(4),
              z.literal(5),
              z.literal('dont-know'),
            ])
            .describe(
              '1 Outstanding, 2 Good, 3 Adequate, 4 Needs Improvement, 5 Inadequate (lower is better), or "dont-know"',
            ),
          confidence: z
            .enum(['low', 'medium', 'high'])
            .optional()
            .describe('How confident the respondent is; needed with every level'),
          evidence: z
            .string()
            .max(EVIDENCE_MAX * 2)
            .optional(),
          indicators: z
            .array(z.string().max(100))
            .max(200)
            .optional()
            .describe('Ids of the capability’s indicators the respondent has seen'),
        }),
      )
      .max(200),
  })
  .meta({ id: 'SurveyResponse', title: 'A respondent’s answers from your own survey tool' });

/** A finalised round's version of the results (1, 2 …); the latest when left out. */
const versionQuery = z.object({ version: z.coerce.number().int().positive().optional() });

const roundSummarySchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    scope: z.enum(['organisation', 'sector']),
    status: z.enum(['draft', 'open', 'closed', 'finalised']),
    opensOn: z.iso.date(),
    closesOn: z.iso.date(),
    frameworkId: z.string(),
    frameworkVersion: z.string(),
    minGroupSize: z.number().int(),
    responses: z.number().int().describe('Respondents invited or enrolled, not withdrawn'),
    submitted: z.number().int(),
  })
  .meta({ id: 'AssessmentRound', title: 'Assessment round' });

const roundDetailSchema = roundSummarySchema
  .extend({ groups: z.array(z.object({ id: z.uuid(), name: z.string() })) })
  .meta({ id: 'AssessmentRoundDetail', title: 'Assessment round with its groups' });

export const apiAssessmentRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const summaryOf = (r: z.infer<typeof roundSummarySchema>) => ({
    id: r.id,
    title: r.title,
    scope: r.scope,
    status: r.status,
    opensOn: r.opensOn,
    closesOn: r.closesOn,
    frameworkId: r.frameworkId,
    frameworkVersion: r.frameworkVersion,
    minGroupSize: r.minGroupSize,
    responses: r.responses,
    submitted: r.submitted,
  });

  api.get(
    '/api/assessments/rounds',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Assessment rounds of your organisation, newest first',
        tags: ['assessments'],
        security: secured,
        response: { 200: z.object({ rounds: z.array(roundSummarySchema) }), 401: errorSchema },
      },
    },
    async (request) => ({ rounds: (await request.scope.assessments.rounds()).map(summaryOf) }),
  );

  api.get(
    '/api/assessments/rounds/:id',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'One assessment round',
        tags: ['assessments'],
        security: secured,
        params: idParams,
        response: { 200: roundDetailSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const summary = (await request.scope.assessments.rounds()).find(
        (r) => r.id === request.params.id,
      );
      const round = summary ? await request.scope.assessments.round(summary.id) : undefined;
      if (!summary || !round)
        return reply
          .code(404)
          .send({ error: 'not_found', message: 'No such round in your organisation' });
      return {
        ...summaryOf(summary),
        groups: round.groups.map((g) => ({ id: g.id, name: g.name })),
      };
    },
  );

  api.get(
    '/api/assessments/rounds/:id/results',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Results of a round',
        description: `The round's results in the documented "${REPORT_FORMAT}" format, version ${REPORT_FORMAT_VERSION}: per capability the number of answers, distribution over levels, consensus (median), quartiles, disagreement, group results (a group is left out when fewer than the round's minimum gave a level, and so is another where the left-out group's figures could otherwise be worked out from the total; "hiddenGroups" counts them; a capability rated by fewer than the minimum has no distribution or median, "shown": false), perception gaps, agreed level with moderation flags, and target; the attention order; and the methods used. Levels: 1 = Outstanding (best) … 5 = Inadequate. A finalised round answers from its latest snapshot, or the version asked for (?version=N), with the targets kept with it.`,
        tags: ['assessments'],
        security: secured,
        params: idParams,
        querystring: versionQuery,
        response: {
          200: z
            .looseObject({
              format: z.literal(REPORT_FORMAT),
              formatVersion: z.number(),
              framework: z.object({ id: z.string(), version: z.string() }),
              capabilities: z.array(z.looseObject({ capabilityId: z.string() })),
            })
            .meta({ id: 'AssessmentResults', title: 'Assessment results' }),
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const round = await request.scope.assessments.round(request.params.id);
      if (!round)
        return reply
          .code(404)
          .send({ error: 'not_found', message: 'No such round in your organisation' });
      const results = await roundResultsVersion(
        request.scope,
        services.frameworks,
        round,
        request.query.version,
      );
      if (!results)
        return reply
          .code(404)
          .send({ error: 'not_found', message: 'This round has no such version' });
      return (await resultsReport(request.scope, results)) as unknown as {
        format: typeof REPORT_FORMAT;
        formatVersion: number;
        framework: { id: string; version: string };
        capabilities: { capabilityId: string }[];
      };
    },
  );

  api.get(
    '/api/assessments/rounds/:id/results.csv',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Results of a round as CSV',
        description: 'One row per capability for all respondents, then one per visible group.',
        tags: ['assessments'],
        security: secured,
        params: idParams,
        querystring: versionQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const round = await request.scope.assessments.round(request.params.id);
      if (!round)
        return reply
          .code(404)
          .send({ error: 'not_found', message: 'No such round in your organisation' });
      const results = await roundResultsVersion(
        request.scope,
        services.frameworks,
        round,
        request.query.version,
      );
      if (!results)
        return reply
          .code(404)
          .send({ error: 'not_found', message: 'This round has no such version' });
      return reply.type('text/csv; charset=utf-8').send(resultsCsv(results));
    },
  );

  api.get(
    '/api/assessments/rounds/:id/responses.csv',
    {
      preHandler: requireRole('lead'),
      schema: {
        summary: 'Individual responses of a round as CSV (leads)',
        description:
          'One row per respondent and capability. Respondents are numbered, in no order that follows who they are, and groups hidden anywhere in the results are labelled "Hidden groups (combined)". identities=true adds names and the time sent, for admins only (403 for others). Audited.',
        tags: ['assessments'],
        security: secured,
        params: idParams,
        querystring: z.object({ identities: z.enum(['true', 'false']).default('false') }),
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const round = await request.scope.assessments.round(request.params.id);
      if (!round)
        return reply
          .code(404)
          .send({ error: 'not_found', message: 'No such round in your organisation' });
      const results = await roundResults(request.scope, services.frameworks, round);
      const identities = request.query.identities === 'true';
      if (identities && !hasRole(request.principal?.role ?? 'viewer', 'admin')) {
        return reply.code(403).send({ error: 'forbidden', message: IDENTITIES_REFUSED });
      }
      await request.scope.audit({
        action: 'assessment.responses_exported',
        entityType: 'assessment_round',
        entityId: round.id,
        details: { identities, via: 'api' },
      });
      return reply
        .type('text/csv; charset=utf-8')
        .send(await responsesCsv(request.scope, results, identities));
    },
  );

  api.post(
    '/api/assessments/rounds/:id/responses',
    {
      preHandler: requireRole('lead'),
      bodyLimit: 512 * 1024,
      schema: {
        summary: 'Send one respondent’s answers collected in your own survey tool (leads)',
        description: `For organisations that collect the assessment in their own survey tool. Records one respondent's answers as a submitted response, by the same rules as the question pages: the round must be open (409 "round_not_open" otherwise), the group one of the round's, every capability of the round answered exactly once — a level, or "dont-know" — with a confidence for every level, evidence of at most ${EVIDENCE_MAX.toLocaleString('en-GB')} characters, and only the capability's own indicators. Every problem is listed at once (400), and nothing is stored unless everything is. Audited as a respondent added and a response sent.`,
        tags: ['assessments'],
        security: secured,
        params: idParams,
        body: surveyResponseSchema,
        response: {
          201: z.object({ id: z.uuid().describe('The response') }),
          400: issuesSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
          409: errorSchema.extend({ responseId: z.uuid().optional() }),
        },
      },
    },
    async (request, reply) => {
      const outcome = await recordSurveyResponse(
        request.scope,
        services.frameworks,
        request.params.id,
        request.body,
      );
      if (outcome.ok)
        return reply
          .code(201)
          .header('location', `/api/assessments/rounds/${request.params.id}`)
          .send({ id: outcome.responseId });
      const { status, error, message, issues, responseId } = outcome;
      if (status === 400)
        return reply.code(400).send({ error, message, issues: [...(issues ?? [])] });
      if (status === 409)
        return reply
          .code(409)
          .send({ error, message, ...(responseId === undefined ? {} : { responseId }) });
      return reply.code(404).send({ error, message });
    },
  );
};
