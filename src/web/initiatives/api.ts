// The initiatives' JSON API: the register with each initiative's readiness verdict, one initiative
// with its full verdict and the verdicts kept on the record, and registering or changing one with
// the token of a lead or admin. The verdict is the one the pages give (src/services/initiatives.ts).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { initiativeInputSchema, parseInitiativeInput } from '../../domain/initiatives/schema.ts';
import { INITIATIVE_STATUSES } from '../../domain/initiatives/types.ts';
import { latestAssessment, readinessTableOf, readinessWith } from '../../services/initiatives.ts';
import { errorSchema, idParams, secured } from '../api.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';

const issuesSchema = errorSchema.extend({
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});

const verdictSchema = z
  .object({
    verdict: z.enum(['ready', 'ready-with-conditions', 'not-ready', 'no-assessment']),
    summary: z.string(),
    blocking: z.array(
      z.object({
        capabilityId: z.string(),
        name: z.string(),
        requiredLevel: z.number().int(),
        actualLevel: z.number().int().nullable(),
        source: z.enum(['agreed', 'median']).nullable(),
        gap: z.number().int().nullable(),
        condition: z.string().nullable(),
      }),
    ),
    conditions: z.array(z.string()),
    table: z.object({ id: z.string(), version: z.string() }),
    assessment: z
      .object({
        roundId: z.string().nullable(),
        title: z.string().nullable(),
        date: z.string().nullable(),
        basis: z.enum(['finalised', 'closed']),
      })
      .nullable(),
  })
  .meta({ id: 'ReadinessVerdict', title: 'Readiness verdict' });

const summarySchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    status: z.enum(INITIATIVE_STATUSES),
    ambition: z.string(),
    competency: z.string(),
    chainId: z.string().nullable(),
    stageId: z.string().nullable(),
    readiness: verdictSchema,
  })
  .meta({ id: 'InitiativeSummary', title: 'Initiative with its readiness verdict' });

// The domain's own schema documents and checks the body (its messages name the field: "Investment
// 2: cost must be …"); the domain's parser then adds the checks between fields.
const inputBody = initiativeInputSchema;

export const initiativeApiRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  /** Reads the assessment and table once for every initiative of a request. */
  async function verdicts(request: Parameters<typeof requireSignIn>[0]) {
    const [assessment, { table }] = await Promise.all([
      latestAssessment(request.scope, services.frameworks),
      readinessTableOf(request.scope),
    ]);
    return (initiative: Parameters<typeof readinessWith>[0]): z.infer<typeof verdictSchema> => {
      const { result } = readinessWith(initiative, assessment, table);
      return {
        verdict: result.verdict,
        summary: result.summary,
        blocking: result.blocking.map((b) => ({
          capabilityId: b.capabilityId,
          name: b.name,
          requiredLevel: b.requiredLevel,
          actualLevel: b.actualLevel,
          source: b.source,
          gap: b.gap,
          condition: b.condition,
        })),
        conditions: [...result.conditions],
        table: result.table,
        assessment: assessment ? { ...assessment.reference, basis: assessment.basis } : null,
      };
    };
  }

  api.get(
    '/api/initiatives',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'The initiative register, with readiness verdicts',
        description:
          "Every AI initiative of the token's organisation with its readiness verdict against the latest finalised assessment (else the latest closed one), as the pages show it.",
        tags: ['initiatives'],
        security: secured,
        response: { 200: z.object({ initiatives: z.array(summarySchema) }), 401: errorSchema },
      },
    },
    async (request) => {
      const verdictOf = await verdicts(request);
      const stored = await request.scope.initiatives.list();
      return {
        initiatives: stored.map(({ initiative: i }) => ({
          id: i.id,
          title: i.title,
          status: i.status,
          ambition: i.ambition,
          competency: i.competency,
          chainId: i.chainId,
          stageId: i.stageId,
          readiness: verdictOf(i),
        })),
      };
    },
  );

  api.get(
    '/api/initiatives/:id',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'One initiative',
        description:
          'Everything registered, its lifecycle, its readiness verdict, and the verdicts kept on the record when it was approved.',
        tags: ['initiatives'],
        security: secured,
        params: idParams,
        response: {
          200: z.object({
            initiative: z.record(z.string(), z.unknown()),
            readiness: verdictSchema,
            keptVerdicts: z.array(
              z.object({ reason: z.string(), createdAt: z.string(), snapshot: z.unknown() }),
            ),
          }),
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const stored = await request.scope.initiatives.get(request.params.id);
      if (!stored) {
        return reply.code(404).send({ error: 'not_found', message: 'No such initiative' });
      }
      const verdictOf = await verdicts(request);
      const kept = await request.scope.initiatives.snapshots(stored.initiative.id);
      return {
        initiative: { ...stored.initiative },
        readiness: verdictOf(stored.initiative),
        keptVerdicts: kept.map((k) => ({
          reason: k.reason,
          createdAt: k.createdAt,
          snapshot: k.snapshot,
        })),
      };
    },
  );

  api.post(
    '/api/initiatives',
    {
      preHandler: requireRole('lead'),
      bodyLimit: 256 * 1024,
      schema: {
        summary: 'Register an initiative',
        description:
          'Leads and admins. Nothing is stored if any check fails; each issue names its field.',
        tags: ['initiatives'],
        security: secured,
        body: inputBody,
        response: {
          201: z.object({ id: z.uuid(), readiness: verdictSchema }),
          400: issuesSchema,
          401: errorSchema,
          403: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const parsed = parseInitiativeInput(request.body);
      if (!parsed.ok) {
        return reply.code(400).send({
          error: 'invalid_initiative',
          message: 'The initiative has problems; nothing was stored',
          issues: [...parsed.issues],
        });
      }
      const problem = await foreignChain(request, parsed.initiative);
      if (problem) return reply.code(400).send(problem);
      const id = await request.scope.initiatives.create(parsed.initiative, 'api');
      const verdictOf = await verdicts(request);
      const created = {
        ...parsed.initiative,
        id,
        status: 'idea' as const,
        stoppedReason: null,
        liveFrom: null,
      };
      return reply.code(201).send({ id, readiness: verdictOf(created) });
    },
  );

  api.put(
    '/api/initiatives/:id',
    {
      preHandler: requireRole('lead'),
      bodyLimit: 256 * 1024,
      schema: {
        summary: 'Change an initiative',
        description:
          'Replaces what was registered (leads and admins). The lifecycle changes through the pages, where approval keeps the verdict on the record.',
        tags: ['initiatives'],
        security: secured,
        params: idParams,
        body: inputBody,
        response: {
          200: z.object({ id: z.uuid(), readiness: verdictSchema }),
          400: issuesSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const stored = await request.scope.initiatives.get(request.params.id);
      if (!stored) {
        return reply.code(404).send({ error: 'not_found', message: 'No such initiative' });
      }
      const parsed = parseInitiativeInput(request.body);
      if (!parsed.ok) {
        return reply.code(400).send({
          error: 'invalid_initiative',
          message: 'The initiative has problems; nothing was stored',
          issues: [...parsed.issues],
        });
      }
      const problem = await foreignChain(request, parsed.initiative);
      if (problem) return reply.code(400).send(problem);
      await request.scope.initiatives.update(stored.initiative.id, parsed.initiative);
      const verdictOf = await verdicts(request);
      return {
        id: stored.initiative.id,
        readiness: verdictOf({ ...stored.initiative, ...parsed.initiative }),
      };
    },
  );
};

/** A chain or stage that is not the organisation's own: the same answer as one that does not exist. */
async function foreignChain(
  request: Parameters<typeof requireSignIn>[0],
  initiative: { chainId: string | null; stageId: string | null },
) {
  if (initiative.chainId === null) return undefined;
  const chain = await request.scope.chains.get(initiative.chainId);
  const stageOk =
    initiative.stageId === null || chain?.model.stages.some((s) => s.id === initiative.stageId);
  if (chain && stageOk) return undefined;
  return {
    error: 'invalid_initiative',
    message: 'The initiative has problems; nothing was stored',
    issues: [
      chain
        ? {
            path: 'stageId',
            message: `The chain “${chain.name}” has no stage “${initiative.stageId}”`,
          }
        : { path: 'chainId', message: 'No delivery chain of your organisation has this id' },
    ],
  };
}
