// The facts the risk rules test, read from an initiative's answers.
import { describe, expect, it } from 'vitest';
import { FACT_DESCRIPTIONS, INITIATIVE_FACTS, initiativeFacts, isInitiativeFact } from './facts.ts';
import { initiative } from '../../../test/helpers/readiness.ts';

const lockIn = {
  dataPortability: false,
  openFormats: false,
  exitPlan: false,
  modelOwner: 'unknown' as const,
};

describe('initiativeFacts', () => {
  it('gives a staff-only in-house initiative no situation facts, only its competency', () => {
    expect(initiativeFacts(initiative())).toEqual(['predictive-analytics']);
  });

  it('counts the widest affected group: vulnerable people are members of the public too', () => {
    expect(initiativeFacts(initiative({ affects: ['staff', 'public'] }))).toEqual([
      'affects-public',
      'predictive-analytics',
    ]);
    expect(initiativeFacts(initiative({ affects: ['vulnerable'] }))).toEqual([
      'affects-public',
      'affects-vulnerable',
      'predictive-analytics',
    ]);
  });

  it('treats special-category and criminal-offence data as personal data', () => {
    const data = { personal: false, specialCategory: true, criminalOffence: true, description: '' };
    expect(initiativeFacts(initiative({ data }))).toEqual([
      'personal-data',
      'special-category-data',
      'criminal-offence-data',
      'predictive-analytics',
    ]);
  });

  it('reads decisions about people and automated decisions', () => {
    expect(
      initiativeFacts(initiative({ decisionsAboutPeople: true, automatedDecisions: true })),
    ).toEqual(['decisions-about-people', 'automated-decisions', 'predictive-analytics']);
  });

  it('reads the lock-in checklist only when there is a supplier to be locked in to', () => {
    expect(
      initiativeFacts(initiative({ supplier: { arrangement: 'in-house', suppliers: '', lockIn } })),
    ).toEqual(['predictive-analytics']);
    expect(
      initiativeFacts(
        initiative({ supplier: { arrangement: 'single-end-to-end', suppliers: 'A', lockIn } }),
      ),
    ).toEqual([
      'single-end-to-end',
      'no-exit-plan',
      'no-data-portability',
      'no-open-formats',
      'model-not-owned',
      'predictive-analytics',
    ]);
    expect(
      initiativeFacts(
        initiative({
          supplier: {
            arrangement: 'modular-multi-supplier',
            suppliers: 'A, B',
            lockIn: {
              dataPortability: true,
              openFormats: true,
              exitPlan: true,
              modelOwner: 'shared',
            },
          },
        }),
      ),
    ).toEqual(['modular-multi-supplier', 'predictive-analytics']);
  });

  it('describes every fact in plain words and recognises only those', () => {
    for (const fact of INITIATIVE_FACTS) expect(FACT_DESCRIPTIONS[fact]).toMatch(/^It/);
    expect(FACT_DESCRIPTIONS.chatbots).toBe(
      'Its AI competency is chatbots and conversational agents (section 2.1).',
    );
    expect(isInitiativeFact('affects-public')).toBe(true);
    expect(isInitiativeFact('affects-everyone')).toBe(false);
  });
});
