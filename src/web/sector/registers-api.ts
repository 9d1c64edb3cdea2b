// The registers in the JSON API (issue 15, points 4, 5 and 9), drawn from the same reads as the
// pages: an institution's token sees the register entries of members that share register entries
// with it; a member's token sees its own entry. The supplier register gives figures only where
// reports come from at least the minimum number of distinct organisations, and only the
// institution sees which evaluations they are drawn from.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RATING_RULE } from '../../domain/sector/index.ts';
import { supplierRegister } from '../../services/sectorRegisters.ts';
import { requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { errorSchema, secured } from '../api.ts';
import type { RegisterEntry } from '../../storage/index.ts';

const entrySchema = z
  .object({
    organisation: z.string(),
    level: z.number().int().describe('1 Outstanding … 5 Inadequate; lower is better'),
    levelName: z.string(),
    evidence: z.string(),
    counted: z.array(z.object({ capabilityId: z.string(), name: z.string(), level: z.number() })),
    round: z.string(),
    finalisedAt: z.string(),
    publishedAt: z.string(),
  })
  .meta({ id: 'ClientCapabilityEntry', title: 'Client-capability register entry' });

const figure = z.object({ yes: z.number().int(), of: z.number().int() });
const supplierSchema = z
  .object({
    minimumOrganisations: z.number().int(),
    suppliers: z.array(
      z.object({
        name: z.string(),
        shown: z.boolean(),
        organisations: z.number().int().optional(),
        reports: z.number().int().optional(),
        delivered: figure.optional(),
        onTime: figure.optional(),
        benefitsRealised: figure.optional(),
        benefitsPartly: figure.optional(),
        lockIn: figure.optional(),
        evaluations: z
          .array(z.object({ member: z.string(), initiative: z.string(), at: z.string() }))
          .optional(),
      }),
    ),
  })
  .meta({ id: 'SupplierRegister', title: 'Supplier register' });

const LEVEL_NAMES = ['', 'Outstanding', 'Good', 'Adequate', 'Needs Improvement', 'Inadequate'];
const entryDoc = (e: RegisterEntry) => ({
  organisation: e.organisationName,
  level: e.level,
  levelName: LEVEL_NAMES[e.level] ?? '',
  evidence: e.evidence,
  counted: e.basis.map((b) => ({ capabilityId: b.capabilityId, name: b.name, level: b.level })),
  round: e.roundTitle,
  finalisedAt: e.finalisedAt,
  publishedAt: e.publishedAt,
});

export const registerApiRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/sector/register',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Client-capability register',
        description: `Published ratings of capability to run complex AI projects (paper section 4.2, Table 3). For an institution, its members’ entries (only members sharing register entries with it); for a member, its own entry. ${RATING_RULE}`,
        tags: ['sector'],
        security: secured,
        response: { 200: z.object({ entries: z.array(entrySchema) }), 401: errorSchema },
      },
    },
    async (request) => {
      const organisation = await request.scope.organisation();
      const entries =
        organisation.kind === 'strategic_institution'
          ? await request.scope.sectorRegisterReader.registerEntries()
          : [await request.scope.sectorRegister.entry()].flatMap((e) => (e ? [e] : []));
      return { entries: entries.map(entryDoc) };
    },
  );

  api.get(
    '/api/sector/suppliers',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Supplier register',
        description:
          'Suppliers’ track records from members’ post-implementation evaluations (institutions only). A supplier’s figures are given only when reports come from at least the minimum number of distinct organisations; otherwise `shown` is false and nothing else is given.',
        tags: ['sector'],
        security: secured,
        response: { 200: supplierSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const organisation = await request.scope.organisation();
      if (organisation.kind !== 'strategic_institution')
        return reply
          .code(404)
          .send({ error: 'not_found', message: 'Only an institution keeps a supplier register' });
      const register = await supplierRegister(request.scope, true);
      return {
        minimumOrganisations: register.minimum,
        suppliers: register.entries.map((e) =>
          e.figures
            ? {
                name: e.name,
                shown: true,
                organisations: e.organisations,
                reports: e.reports,
                ...e.figures,
                evaluations: [...e.evaluations],
              }
            : { name: e.name, shown: false },
        ),
      };
    },
  );
};
