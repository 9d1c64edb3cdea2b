// The facts about an initiative that the readiness table's risk rules can test: who it reaches, the
// kinds of data it uses, how far it decides about people, how it is supplied, and its AI competency.
// Rules name these facts in their `when` lists, so the vocabulary is fixed here and described in plain
// words for the README and for anyone editing a table.
import { COMPETENCIES, COMPETENCY_IDS } from '../initiatives/competencies.ts';
import type { CompetencyId, Initiative } from '../initiatives/types.ts';

/** What the readiness check reads from an initiative; a full `Initiative` or a parsed input will do. */
export type ReadinessInitiative = Pick<
  Initiative,
  | 'title'
  | 'competency'
  | 'ambition'
  | 'affects'
  | 'data'
  | 'decisionsAboutPeople'
  | 'automatedDecisions'
  | 'supplier'
>;

const SITUATION_FACTS = [
  'affects-public',
  'affects-vulnerable',
  'personal-data',
  'special-category-data',
  'criminal-offence-data',
  'decisions-about-people',
  'automated-decisions',
  'single-end-to-end',
  'modular-multi-supplier',
  'no-exit-plan',
  'no-data-portability',
  'no-open-formats',
  'model-not-owned',
] as const;

export type SituationFact = (typeof SITUATION_FACTS)[number];
/** A situation fact, or the initiative's AI competency (section 2.1). */
export type InitiativeFact = SituationFact | CompetencyId;

export const INITIATIVE_FACTS: readonly InitiativeFact[] = [...SITUATION_FACTS, ...COMPETENCY_IDS];

const SITUATION_DESCRIPTIONS: Readonly<Record<SituationFact, string>> = {
  'affects-public':
    'It affects members of the public (the widest group counts, so this includes vulnerable people).',
  'affects-vulnerable': 'It affects vulnerable people.',
  'personal-data':
    'It uses personal data (special-category and criminal-offence data count as personal data).',
  'special-category-data':
    'It uses special-category data (UK GDPR article 9: health, ethnicity, religion, biometrics …).',
  'criminal-offence-data': 'It uses criminal-offence data (UK GDPR article 10).',
  'decisions-about-people': 'It makes, or informs, decisions about individual people.',
  'automated-decisions': 'Its decisions are taken without meaningful human review.',
  'single-end-to-end': 'It has one supplier with end-to-end responsibility (section 3.5).',
  'modular-multi-supplier':
    'It is split into modules with several suppliers, the organisation acting as integrator (section 3.5).',
  'no-exit-plan': 'It has a supplier and no plan for leaving that supplier (section 3.5).',
  'no-data-portability':
    'It has a supplier and the data cannot be taken to another supplier (section 3.5).',
  'no-open-formats': 'It has a supplier and does not use open formats (section 3.5).',
  'model-not-owned':
    'It has a supplier, and the supplier owns the model or nobody knows who does (section 3.5).',
};

/** Plain words for every fact a rule can name. */
export const FACT_DESCRIPTIONS: Readonly<Record<InitiativeFact, string>> = {
  ...SITUATION_DESCRIPTIONS,
  ...(Object.fromEntries(
    COMPETENCIES.map((c) => [c.id, `Its AI competency is ${c.name.toLowerCase()} (section 2.1).`]),
  ) as Record<CompetencyId, string>),
};

export function isInitiativeFact(value: unknown): value is InitiativeFact {
  return (INITIATIVE_FACTS as readonly unknown[]).includes(value);
}

/** The facts that hold for an initiative, in the order of `INITIATIVE_FACTS`. */
export function initiativeFacts(initiative: ReadinessInitiative): readonly InitiativeFact[] {
  const { affects, data, supplier } = initiative;
  const hasSupplier = supplier.arrangement !== 'in-house';
  const holds: Record<SituationFact, boolean> = {
    'affects-public': affects.includes('public') || affects.includes('vulnerable'),
    'affects-vulnerable': affects.includes('vulnerable'),
    'personal-data': data.personal || data.specialCategory || data.criminalOffence,
    'special-category-data': data.specialCategory,
    'criminal-offence-data': data.criminalOffence,
    'decisions-about-people': initiative.decisionsAboutPeople,
    'automated-decisions': initiative.automatedDecisions,
    'single-end-to-end': supplier.arrangement === 'single-end-to-end',
    'modular-multi-supplier': supplier.arrangement === 'modular-multi-supplier',
    // Lock-in is a risk of buying from someone (section 3.5); an in-house build has no one to leave.
    'no-exit-plan': hasSupplier && !supplier.lockIn.exitPlan,
    'no-data-portability': hasSupplier && !supplier.lockIn.dataPortability,
    'no-open-formats': hasSupplier && !supplier.lockIn.openFormats,
    'model-not-owned':
      hasSupplier &&
      (supplier.lockIn.modelOwner === 'supplier' || supplier.lockIn.modelOwner === 'unknown'),
  };
  return INITIATIVE_FACTS.filter((fact) =>
    isCompetencyFact(fact) ? fact === initiative.competency : holds[fact],
  );
}

function isCompetencyFact(fact: InitiativeFact): fact is CompetencyId {
  return (COMPETENCY_IDS as readonly string[]).includes(fact);
}
