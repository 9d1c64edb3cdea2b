// The demo's supplier register (issue 15, points 5 and 10): thirteen member councils each evaluated
// an AI tool bought from one of three suppliers and report, from that post-implementation
// evaluation, whether the supplier delivered, on time, whether the benefits were realised and
// whether there were lock-in problems; each shares its initiative evaluations with the agency.
// Northgate Analytics (six councils) and CivicBot Solutions (five) have figures in the register;
// Brightwater AI, reported by two councils only, is listed without figures — no supplier is
// judged on fewer than five organisations' word. Deterministic.
import { buildEvaluation } from '../domain/initiatives/evaluation.ts';
import { parseInitiativeInput } from '../domain/initiatives/schema.ts';
import { supplierKey } from '../domain/sector/index.ts';
import type { Repositories } from '../storage/index.ts';

type Benefits = 'realised' | 'partly' | 'not-realised';

interface SupplierSpec {
  readonly supplier: string;
  readonly tool: string;
  readonly competency: string;
  readonly problem: string;
  readonly reports: readonly {
    readonly slug: string;
    readonly delivered: boolean;
    readonly onTime: boolean;
    readonly benefits: Benefits;
    readonly lockIn: boolean;
  }[];
}

const r = (
  slug: string,
  delivered: boolean,
  onTime: boolean,
  benefits: Benefits,
  lockIn = false,
) => ({
  slug,
  delivered,
  onTime,
  benefits,
  lockIn,
});

export const DEMO_SUPPLIERS: readonly SupplierSpec[] = [
  {
    supplier: 'Northgate Analytics Ltd',
    tool: 'Sorting incoming correspondence',
    competency: 'natural-language-processing',
    problem:
      'Letters and emails wait days in a shared inbox before anyone reads them and passes them to the right team.',
    reports: [
      r('ashford-vale', true, true, 'realised'),
      r('brindley', true, false, 'partly'),
      r('calderbrook', true, true, 'realised'),
      r('dunmere', true, false, 'partly', true),
      r('eastwick', false, false, 'not-realised'),
      r('fellgate', true, true, 'partly'),
    ],
  },
  {
    supplier: 'CivicBot Solutions',
    tool: 'Resident enquiries chatbot',
    competency: 'chatbots',
    problem:
      'The contact centre answers the same questions about bins and council tax all day, and callers wait.',
    reports: [
      r('greyholme', true, false, 'partly', true),
      r('hartmoor', true, true, 'realised'),
      r('ivybridge-fields', false, false, 'not-realised', true),
      r('kestrel-downs', true, false, 'partly', true),
      r('larkfield', true, true, 'not-realised'),
    ],
  },
  {
    supplier: 'Brightwater AI',
    tool: 'Predicting which homes need repairs',
    competency: 'predictive-analytics',
    problem: 'Repairs are found only when tenants report them, often too late to be cheap.',
    reports: [r('marshton', true, true, 'realised'), r('northby', true, false, 'partly')],
  },
];

const OUTCOME = { realised: 'succeeded', partly: 'partly', 'not-realised': 'failed' } as const;

export async function seedDemoSupplierReports(
  repositories: Repositories,
  members: ReadonlyMap<string, string>,
): Promise<void> {
  const label = 'System (demo set-up)';
  for (const [index, spec] of DEMO_SUPPLIERS.entries()) {
    for (const report of spec.reports) {
      const organisationId = members.get(report.slug);
      if (!organisationId) throw new Error(`demo member ${report.slug} missing`);
      const scope = repositories.scope(organisationId, { userId: null, label });
      const parsed = parseInitiativeInput({
        title: spec.tool,
        problem: spec.problem,
        chainId: '',
        stageId: '',
        competency: spec.competency,
        ambition: 'pilot',
        affects: ['staff'],
        data: { personal: false, specialCategory: false, criminalOffence: false, description: '' },
        typologyCells: [5],
        technologyCost: 20_000 + index * 5_000,
        investments: [],
        waysOfWorking: {
          rolesThatChange: 'Staff check the tool’s suggestion before acting on it.',
          training: 'A half-day session for the team.',
          frontlineInvolvement: 'Two team members helped choose the tool.',
        },
        supplier: {
          arrangement: 'single-end-to-end',
          suppliers: spec.supplier,
          lockIn: {
            dataPortability: !report.lockIn,
            openFormats: !report.lockIn,
            exitPlan: !report.lockIn,
            modelOwner: report.lockIn ? 'supplier' : 'organisation',
          },
        },
        authorisingNarrative: 'Faster answers for residents.',
        decisionsAboutPeople: false,
        automatedDecisions: false,
      });
      if (!parsed.ok)
        throw new Error(
          `demo supplier initiative: ${parsed.issues.map((i) => i.message).join('; ')}`,
        );
      const store = scope.initiatives;
      const id = await store.create(parsed.initiative, 'seeded');
      await store.setStatus(id, 'assessed');
      await store.setStatus(id, 'approved');
      await store.setStatus(id, 'in-delivery');
      await store.setStatus(id, 'live', { liveFrom: '2026-03-01' });
      const none = { before: null, after: null };
      const evaluation = buildEvaluation({
        initiativeId: id,
        evaluatedOn: '2026-09-30',
        budgetary: { inputUnit: 'staff hour', costPerUnitOfInput: none, spendPerYear: none },
        operational: {
          outputsPerStaffHour: none,
          costPerOutput: none,
          leadTimeDays: none,
          throughputPerWeek: none,
        },
        effectiveness: { outcomeName: 'enquiries resolved first time', outcomesPerOutput: none },
        bottleneck: { before: '', after: '' },
        determinants: report.delivered
          ? 'The supplier delivered what was agreed; how the team changed its ways of working decided the benefit.'
          : 'The supplier did not deliver what was agreed, and the team went back to the old way of working.',
        unintendedConsequences: report.lockIn
          ? 'Our data could not be taken out in a usable format when we asked.'
          : 'None found.',
        staffPerspectives: 'Staff wanted more say in how the tool was configured.',
        outcome: OUTCOME[report.benefits],
      });
      const evaluationId = await store.addEvaluation(id, null, evaluation);
      await store.setStatus(id, 'evaluated');
      const membership = (await scope.sector.memberships()).find((m) => m.status === 'active');
      if (!membership) throw new Error(`demo member ${report.slug} has no membership`);
      await scope.sector.setSharing(membership.id, 'evaluations', true);
      const added = await scope.sectorRegister.addSupplierReport({
        evaluationId,
        supplier: spec.supplier,
        supplierKey: supplierKey(spec.supplier),
        delivered: report.delivered,
        onTime: report.onTime,
        benefits: report.benefits,
        lockIn: report.lockIn,
      });
      if (typeof added !== 'string')
        throw new Error(`demo supplier report ${report.slug}: ${added.refused}`);
    }
  }
}
