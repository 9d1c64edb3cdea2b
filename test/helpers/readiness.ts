// Builders for the readiness tests: an initiative with only the answers a case changes, and levels
// from a short list, so every expectation can be checked by hand against the default table.
import type { CapabilityLevel } from '../../src/domain/initiatives/types.ts';
import type { MaturityLevel } from '../../src/domain/framework/index.ts';
import type { ReadinessInitiative } from '../../src/domain/readiness/facts.ts';

/** A staff-facing, in-house pilot with no personal data: no risk rule applies to it. */
export function initiative(changes: Partial<ReadinessInitiative> = {}): ReadinessInitiative {
  return {
    title: 'Test initiative',
    competency: 'predictive-analytics',
    ambition: 'pilot',
    affects: ['staff'],
    data: { personal: false, specialCategory: false, criminalOffence: false, description: '' },
    decisionsAboutPeople: false,
    automatedDecisions: false,
    supplier: {
      arrangement: 'in-house',
      suppliers: '',
      lockIn: {
        dataPortability: false,
        openFormats: false,
        exitPlan: false,
        modelOwner: 'unknown',
      },
    },
    ...changes,
  };
}

/** The five organisation-level capabilities, in the paper's order. */
export const ORGANISATION_CAPABILITIES = [
  'organisational-learning',
  'planning-and-prioritisation',
  'developing-new-ways-of-working',
  'managing-risk',
  'managing-supplier-relations',
] as const;

/**
 * Levels in the paper's order (learning, planning, ways of working, risk, suppliers); null leaves a
 * capability unrated. Every level is a median unless `agreed` names the capability.
 */
export function levels(
  values: readonly (MaturityLevel | null)[],
  agreed: readonly string[] = [],
): CapabilityLevel[] {
  return ORGANISATION_CAPABILITIES.flatMap((capabilityId, index): CapabilityLevel[] => {
    const level = values[index] ?? null;
    return level === null
      ? []
      : [{ capabilityId, level, source: agreed.includes(capabilityId) ? 'agreed' : 'median' }];
  });
}
