// Builders for an AI initiative in tests: a neutral one – a staff-only, in-house pilot with no
// personal data, no decisions about people and a full lock-in checklist – so each test passes only
// what its case is about (and any value its expectations read, such as a title or a cost).
import type { Initiative } from '../../src/domain/initiatives/types.ts';
import type { InitiativeFields } from '../../src/storage/index.ts';

/** What a register form or `initiatives.create` takes. */
export function initiativeFields(overrides: Partial<InitiativeFields> = {}): InitiativeFields {
  return {
    title: 'Test initiative',
    problem: '',
    chainId: null,
    stageId: null,
    competency: 'predictive-analytics',
    ambition: 'pilot',
    affects: ['staff'],
    data: { personal: false, specialCategory: false, criminalOffence: false, description: '' },
    typologyCells: [],
    technologyCost: 10_000,
    investments: [],
    waysOfWorking: { rolesThatChange: '', training: '', frontlineInvolvement: '' },
    supplier: {
      arrangement: 'in-house',
      suppliers: '',
      lockIn: {
        dataPortability: true,
        openFormats: true,
        exitPlan: true,
        modelOwner: 'organisation',
      },
    },
    authorisingNarrative: '',
    decisionsAboutPeople: false,
    automatedDecisions: false,
    ...overrides,
  };
}

/** A registered initiative: the fields above, an id, and the status of a new idea. */
export function sampleInitiative(overrides: Partial<Initiative> = {}): Initiative {
  return {
    id: 'i-1',
    ...initiativeFields(),
    status: 'idea',
    stoppedReason: null,
    liveFrom: null,
    ...overrides,
  };
}
