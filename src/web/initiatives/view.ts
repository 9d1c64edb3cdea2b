// View helpers of the initiative page: the registration as summary-list rows, and the readiness
// verdict as the page shows it (tag, table of capabilities, blocking gaps with their first actions).
// Levels keep the paper's numbering and words: 1 = Outstanding … 5 = Inadequate.
import { levelName, type MaturityLevel } from '../../domain/framework/index.ts';
import type { Competency } from '../../domain/initiatives/competencies.ts';
import { totalCost } from '../../domain/initiatives/portfolio.ts';
import type { Initiative } from '../../domain/initiatives/types.ts';
import type { ReadinessVerdict } from '../../domain/readiness/index.ts';
import type { ReadinessView } from '../../services/initiatives.ts';
import type { StoredChain } from '../../storage/index.ts';
import { AFFECTED_WORDS, INVESTMENT_WORDS, MODEL_OWNER_WORDS, SUPPLIER_WORDS } from './form.ts';

export const VERDICT_TAGS: Readonly<Record<ReadinessVerdict, { text: string; classes: string }>> = {
  ready: { text: 'Ready', classes: 'govuk-tag--green' },
  'ready-with-conditions': { text: 'Ready with conditions', classes: 'govuk-tag--yellow' },
  'not-ready': { text: 'Not ready', classes: 'govuk-tag--red' },
  'no-assessment': { text: 'No assessment yet', classes: 'govuk-tag--grey' },
};

export const AMBITION_NAMES = {
  pilot: 'Off-the-shelf automation or low-risk pilot',
  bespoke: 'Bespoke or high-stakes system',
  'system-wide': 'System-wide change or new delivery chain',
} as const;

const pounds = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  maximumFractionDigits: 0,
});

export const formatPounds = (value: number): string => pounds.format(value);

/** "2 Good", as the paper numbers and names its levels. */
export const levelText = (level: MaturityLevel | null): string =>
  level === null ? 'Not rated' : `${level} ${levelName(level)}`;

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
const orNone = (value: string) => (value.trim() === '' ? 'Not given' : value);

type Row = { key: { text: string }; value: { text: string } | { html: string } };

const row = (key: string, text: string): Row => ({ key: { text: key }, value: { text } });

/** The registration in the order of the form, as GOV.UK summary-list rows. */
export function detailRows(
  initiative: Initiative,
  chain: StoredChain | null,
  competency: Competency | undefined,
): Row[] {
  const stage = chain?.model.stages.find((s) => s.id === initiative.stageId);
  const data = initiative.data;
  const kinds = [
    data.personal ? 'personal data' : null,
    data.specialCategory ? 'special-category data' : null,
    data.criminalOffence ? 'criminal-offence data' : null,
  ].filter((k) => k !== null);
  const lockIn = initiative.supplier.lockIn;
  return [
    row('The problem', initiative.problem),
    row(
      'Delivery chain and stage',
      chain
        ? `${chain.name}${stage ? `: ${stage.name}` : ' (the whole chain)'}`
        : 'Not tied to a chain',
    ),
    row('AI competency', competency?.name ?? initiative.competency),
    row('Reach', AMBITION_NAMES[initiative.ambition]),
    row('Affects', initiative.affects.map((g) => AFFECTED_WORDS[g]).join('; ')),
    row('Decisions about people', yesNo(initiative.decisionsAboutPeople)),
    row(
      'Automated decisions without meaningful human review',
      yesNo(initiative.automatedDecisions),
    ),
    row(
      'Data',
      `${kinds.length > 0 ? `Uses ${kinds.join(', ')}` : 'No personal data'}${data.description.trim() ? `. ${data.description}` : ''}`,
    ),
    row(
      'Kinds of improvement (Figure 2)',
      initiative.typologyCells.length > 0
        ? initiative.typologyCells.map((c) => `cell ${c}`).join(', ')
        : 'Not said',
    ),
    row('Technology cost', formatPounds(initiative.technologyCost)),
    row(
      'Complementary investments',
      initiative.investments.length > 0
        ? initiative.investments
            .map(
              (inv) =>
                `${INVESTMENT_WORDS[inv.kind]}: ${inv.description}, ${formatPounds(inv.cost)}, owned by ${inv.owner}`,
            )
            .join('; ')
        : 'None listed',
    ),
    row('Total cost', formatPounds(totalCost(initiative))),
    row('Roles that change', orNone(initiative.waysOfWorking.rolesThatChange)),
    row('Training', orNone(initiative.waysOfWorking.training)),
    row('Frontline involvement', orNone(initiative.waysOfWorking.frontlineInvolvement)),
    row(
      'Supplier arrangement',
      `${SUPPLIER_WORDS[initiative.supplier.arrangement].text}${initiative.supplier.suppliers.trim() ? ` (${initiative.supplier.suppliers})` : ''}`,
    ),
    row(
      'Lock-in checklist',
      `Data portable: ${yesNo(lockIn.dataPortability)}. Open formats: ${yesNo(lockIn.openFormats)}. Exit plan: ${yesNo(lockIn.exitPlan)}. Model owned by: ${MODEL_OWNER_WORDS[lockIn.modelOwner].toLowerCase()}.`,
    ),
    row('Priority it serves', orNone(initiative.authorisingNarrative)),
  ];
}

/** The verdict as the page shows it. */
export function readinessView(view: ReadinessView) {
  const { result, assessment } = view;
  return {
    verdict: result.verdict,
    tag: VERDICT_TAGS[result.verdict],
    summary: result.summary,
    note: assessment?.note ?? null,
    roundId: assessment?.round.id ?? null,
    table: result.table,
    conditions: result.conditions,
    rows: result.capabilities.map((c) => ({
      name: c.name,
      required: `${levelText(c.requiredLevel)} or better`,
      requiredFor: c.requiredFor,
      actual: levelText(c.actualLevel),
      source:
        c.source === 'agreed' ? 'agreed in moderation' : c.source === 'median' ? 'median' : '',
      status: c.status,
      gap: c.gap,
      explanation: c.explanation,
    })),
    blocking: result.blocking.map((b) => ({
      name: b.name,
      gap: b.gap,
      explanation: b.explanation,
      condition: b.condition,
      firstActions: b.firstActions
        ? {
            explanation: b.firstActions.explanation,
            actions: b.firstActions.actions.map((a) => a.action),
          }
        : null,
    })),
  };
}
