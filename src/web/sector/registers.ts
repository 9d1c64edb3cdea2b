// The sector's registers as pages (issue 15, points 4 and 5; paper section 4.2, capability 7, and
// Table 3 level 1: "a public 'client capability register' … and a single, audited supplier register").
//  - /sector/register — a member: the rating its latest finalised assessment gives (and the rule),
//    published or not; its admins publish or remove it. An institution: the entries of members that
//    share register entries with it.
//  - /register — the public register, without sign-in: name, rating, evidence, round and dates only.
//  - /sector/suppliers — the supplier register: figures per supplier only from at least the minimum
//    number of distinct organisations; the institution sees which evaluations each figure is drawn
//    from; a member sees the figures, and adds or removes reports from its own evaluations.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  EVIDENCE_WORDS,
  LEVEL_NAMES,
  MIN_ORGANISATIONS,
  RATING_RULE,
  supplierKey,
  type RegisterEvidence,
  type SupplierFigure,
} from '../../domain/sector/index.ts';
import type { Level } from '../../domain/assessment/index.ts';
import { deriveRating, supplierRegister } from '../../services/sectorRegisters.ts';
import { publishedRegister, type RegisterEntry } from '../../storage/index.ts';
import { formErrors, parseForm, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import { hasRole, type Services } from '../principal.ts';
import { dateWords } from './view.ts';

const home = { text: 'Home', href: '/' };

export const levelWords = (level: number) => `${level} ${LEVEL_NAMES[level as Level] ?? ''}`.trim();
export const evidenceWords = (e: string) => (isEvidence(e) ? EVIDENCE_WORDS[e] : 'Not stated');
const isEvidence = (e: string): e is RegisterEvidence => e in EVIDENCE_WORDS;

/** The published entry as every page and the API show it: nothing beyond what was published. */
export function entryView(e: RegisterEntry) {
  return {
    organisation: e.organisationName,
    level: e.level,
    rating: levelWords(e.level),
    evidence: evidenceWords(e.evidence),
    counted: e.basis.map((b) => ({ name: b.name, level: levelWords(b.level) })),
    round: e.roundTitle,
    finalised: dateWords(e.finalisedAt),
    published: dateWords(e.publishedAt),
  };
}

const figureWords = (f: SupplierFigure | undefined) =>
  f ? `${f.yes} of ${f.of} (${Math.round((f.yes / Math.max(f.of, 1)) * 100)}%)` : '';

const reportSchema = z.object({
  evaluationId: z.uuid({ error: 'Choose the evaluation the report comes from' }),
  supplier: z
    .string({ error: 'Enter the supplier’s name' })
    .trim()
    .min(2, 'Enter the supplier’s name')
    .max(120, 'Enter a name of 120 characters or fewer')
    .refine((s) => supplierKey(s) !== '', 'Enter the supplier’s name in letters or digits'),
  delivered: z.enum(['yes', 'no'], { error: 'Say whether the supplier delivered' }),
  onTime: z.enum(['yes', 'no'], { error: 'Say whether it was delivered on time' }),
  benefits: z.enum(['realised', 'partly', 'not-realised'], {
    error: 'Say whether the benefits were realised',
  }),
  lockIn: z.enum(['yes', 'no'], { error: 'Say whether there were lock-in problems' }),
});

const yesNo = (name: string, legend: string, hint: string) => ({ name, legend, hint });

export const registerRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const signedIn = { preHandler: requireSignIn };
  const admin = { preHandler: requireRole('admin') };
  const lead = { preHandler: requireRole('lead') };

  // ---- the public register ----

  app.get('/register', async (_request, reply) => {
    const entries = (await publishedRegister(services.storage.db.kysely)).map(entryView);
    return reply.page('pages/sector/register-public.njk', {
      title: 'Client-capability register',
      breadcrumbs: [home, { text: 'Client-capability register' }],
      entries,
      rule: RATING_RULE,
    });
  });

  // ---- a member's entry, and the institution's view ----

  const registerPage = async (request: FastifyRequest, reply: FastifyReply, error?: string) => {
    const organisation = await request.scope.organisation();
    const role = request.principal?.role ?? 'viewer';
    if (organisation.kind === 'strategic_institution') {
      const entries = (await request.scope.sectorRegisterReader.registerEntries()).map(entryView);
      const sharing = (await request.scope.sectorReader.sharingCounts()).register;
      return reply.page('pages/sector/register.njk', {
        title: 'Client-capability register',
        breadcrumbs: [home, { text: 'Client-capability register' }],
        institution: true,
        entries,
        sharing,
        rule: RATING_RULE,
      });
    }
    const store = request.scope.sectorRegister;
    const derived = await deriveRating(request.scope, services.frameworks);
    const entry = await store.entry();
    return reply.page('pages/sector/register.njk', {
      title: 'Client-capability register',
      breadcrumbs: [home, { text: 'Client-capability register' }],
      institution: false,
      entry: entry ? entryView(entry) : null,
      derived:
        'refused' in derived
          ? { refused: derived.refused }
          : {
              rating: levelWords(derived.rating.level),
              evidence: EVIDENCE_WORDS[derived.rating.evidence],
              counted: derived.rating.counted.map((c) => ({
                name: c.name,
                level: levelWords(c.level),
                evidence: EVIDENCE_WORDS[c.evidence],
              })),
              round: derived.roundTitle,
              finalised: dateWords(derived.finalisedAt),
            },
      sharingWith: await store.sharingWith('register'),
      canPublish: hasRole(role, 'admin'),
      rule: RATING_RULE,
      errors: error ? [{ text: error, href: '#publish' }] : undefined,
    });
  };

  app.get('/sector/register', signedIn, async (request, reply) => registerPage(request, reply));

  app.post('/sector/register/publish', admin, async (request, reply) => {
    const organisation = await request.scope.organisation();
    if (organisation.kind === 'strategic_institution') return notFound(reply);
    const derived = await deriveRating(request.scope, services.frameworks);
    if ('refused' in derived) {
      reply.code(400);
      return registerPage(request, reply, derived.refused);
    }
    const published = await request.scope.sectorRegister.publish({
      level: derived.rating.level,
      basis: derived.rating.counted.map((c) => ({
        capabilityId: c.capabilityId,
        name: c.name,
        level: c.level,
        evidence: c.evidence,
      })),
      evidence: derived.rating.evidence,
      roundId: derived.roundId,
      roundTitle: derived.roundTitle,
      finalisedAt: derived.finalisedAt,
    });
    if (!published) {
      reply.code(400);
      return registerPage(
        request,
        reply,
        'Share register entries with an institution first (under Sector memberships): only then is an entry published',
      );
    }
    reply.flash('Your entry is published on the public client-capability register.');
    return reply.redirect('/sector/register', 303);
  });

  app.post('/sector/register/unpublish', admin, async (request, reply) => {
    if (!(await request.scope.sectorRegister.unpublish())) return notFound(reply);
    reply.flash('Your entry is removed from the client-capability register.');
    return reply.redirect('/sector/register', 303);
  });

  // ---- suppliers ----

  const suppliersPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FormErrors; values?: Record<string, unknown> } = {},
  ) => {
    const organisation = await request.scope.organisation();
    const role = request.principal?.role ?? 'viewer';
    const institution = organisation.kind === 'strategic_institution';
    // A member sees only shown entries: that a supplier has any report at all is one member's word.
    const rows = (register: Awaited<ReturnType<typeof supplierRegister>>) =>
      register.entries
        .filter((e) => institution || e.figures !== undefined)
        .map((e) => ({
          name: e.name,
          shown: e.figures !== undefined,
          hidden: `Hidden: reports from fewer than ${register.minimum} organisations`,
          organisations: e.organisations,
          reports: e.reports,
          delivered: figureWords(e.figures?.delivered),
          onTime: figureWords(e.figures?.onTime),
          benefits: e.figures
            ? `${figureWords(e.figures.benefitsRealised)} fully, ${e.figures.benefitsPartly.yes} partly`
            : '',
          lockIn: figureWords(e.figures?.lockIn),
          period: e.figures ? `${dateWords(e.period.from)} to ${dateWords(e.period.to)}` : '',
          evaluations: e.evaluations.map((v) => ({ ...v, at: dateWords(v.at) })),
        }));
    if (institution) {
      const register = await supplierRegister(request.scope, true);
      return reply.page('pages/sector/suppliers.njk', {
        title: 'Supplier register',
        breadcrumbs: [home, { text: 'Supplier register' }],
        institution: true,
        registers: [
          { institutionName: organisation.name, minimum: register.minimum, rows: rows(register) },
        ],
      });
    }
    const memberships = (await request.scope.sector.memberships()).filter(
      (m) => m.status === 'active',
    );
    const registers = [];
    for (const m of memberships) {
      const register = await supplierRegister(
        services.storage.scope(m.institutionId, {
          userId: null,
          label: 'System (supplier register)',
        }),
        false,
      );
      registers.push({
        institutionName: m.institutionName,
        minimum: register.minimum,
        rows: rows(register),
      });
    }
    const store = request.scope.sectorRegister;
    const reports = await store.supplierReports();
    const reported = new Set(reports.map((r) => r.evaluationId));
    const evaluations = await store.evaluations();
    return reply.page('pages/sector/suppliers.njk', {
      title: 'Supplier register',
      breadcrumbs: [home, { text: 'Supplier register' }],
      institution: false,
      registers,
      reports: reports.map((r) => ({
        ...r,
        initiative: evaluations.find((e) => e.id === r.evaluationId)?.initiativeTitle ?? '',
        benefitsText:
          r.benefits === 'realised'
            ? 'realised'
            : r.benefits === 'partly'
              ? 'partly realised'
              : 'not realised',
        at: dateWords(r.createdAt),
      })),
      evaluationItems: [
        { value: '', text: 'Choose an evaluation' },
        ...evaluations
          .filter((e) => !reported.has(e.id))
          .map((e) => ({
            value: e.id,
            text: `${e.initiativeTitle} (evaluated ${dateWords(e.createdAt)})`,
            selected: extra.values?.evaluationId === e.id,
          })),
      ],
      questions: [
        yesNo('delivered', 'Did the supplier deliver what was agreed?', ''),
        yesNo('onTime', 'Was it delivered on time?', ''),
        yesNo(
          'lockIn',
          'Were there lock-in problems?',
          'For example, data you could not take out, or terms that kept you from changing supplier.',
        ),
      ],
      sharingEvaluations: (await store.sharingWith('evaluations')).length > 0,
      canReport: hasRole(role, 'lead'),
      minimum: MIN_ORGANISATIONS,
      values: extra.values ?? {},
      errors: extra.errors?.list,
      fieldErrors: extra.errors?.byField,
    });
  };

  app.get('/sector/suppliers', signedIn, async (request, reply) => suppliersPage(request, reply));

  app.post('/sector/suppliers/reports', lead, async (request, reply) => {
    const organisation = await request.scope.organisation();
    if (organisation.kind === 'strategic_institution') return notFound(reply);
    const form = parseForm(reportSchema, request.body);
    if (!form.ok) {
      reply.code(400);
      return suppliersPage(request, reply, { errors: form.errors, values: form.values });
    }
    const added = await request.scope.sectorRegister.addSupplierReport({
      evaluationId: form.data.evaluationId,
      supplier: form.data.supplier,
      supplierKey: supplierKey(form.data.supplier),
      delivered: form.data.delivered === 'yes',
      onTime: form.data.onTime === 'yes',
      benefits: form.data.benefits,
      lockIn: form.data.lockIn === 'yes',
    });
    if (typeof added !== 'string') {
      reply.code(400);
      return suppliersPage(request, reply, {
        errors: formErrors([['evaluationId', added.refused]]),
        values: form.data,
      });
    }
    reply.flash(
      `Report on ${form.data.supplier} added. It counts in the register once reports come from enough organisations.`,
    );
    return reply.redirect('/sector/suppliers', 303);
  });

  app.post('/sector/suppliers/reports/:id/remove', lead, async (request, reply) => {
    const id = (request.params as Record<string, unknown>).id;
    if (typeof id !== 'string' || !z.uuid().safeParse(id).success) return notFound(reply);
    if (!(await request.scope.sectorRegister.removeSupplierReport(id))) return notFound(reply);
    reply.flash('Report removed from the supplier register.');
    return reply.redirect('/sector/suppliers', 303);
  });
};
