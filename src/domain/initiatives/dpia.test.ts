import { describe, expect, it } from 'vitest';
import {
  DPIA_QUESTIONS,
  describeDpia,
  dpiaAnswersFromInitiative,
  dpiaAnswersSchema,
  dpiaStatusSchema,
  longDate,
  screenDpia,
} from './dpia.ts';
import type { DpiaAnswers } from './dpia.ts';
import type { Initiative } from './types.ts';
import { sampleInitiative } from '../../../test/helpers/initiatives.ts';

const NO: DpiaAnswers = {
  personalData: false,
  specialCategoryData: false,
  criminalOffenceData: false,
  largeScale: false,
  decisionsAboutPeople: false,
  profiling: false,
  automatedDecisions: false,
  significantEffects: false,
  accessToService: false,
  innovativeTechnology: false,
  biometricIdentification: false,
  geneticData: false,
  dataMatching: false,
  invisibleProcessing: false,
  tracking: false,
  vulnerablePeople: false,
  onlineServiceForChildren: false,
  physicalHarm: false,
  monitoring: 'none',
};

function initiative(overrides: Partial<Initiative> = {}): Initiative {
  return sampleInitiative({
    id: 'i-1',
    title: 'Draft replies to residents',
    problem: 'Replies to residents take too long.',
    competency: 'large-language-models',
    ambition: 'pilot',
    typologyCells: [3],
    technologyCost: 5_000,
    supplier: {
      arrangement: 'single-end-to-end',
      suppliers: 'Office suite vendor',
      lockIn: { dataPortability: true, openFormats: true, exitPlan: false, modelOwner: 'supplier' },
    },
    status: 'idea',
    ...overrides,
  });
}

const ids = (answers: DpiaAnswers) => screenDpia(answers).criteria.map((c) => c.id);

describe('screenDpia', () => {
  it('requires a DPIA for special-category data and automated decisions, prefilled from the initiative', () => {
    const benefits = initiative({
      data: {
        personal: true,
        specialCategory: true,
        criminalOffence: false,
        description: 'Health information in housing applications',
      },
      decisionsAboutPeople: true,
      automatedDecisions: true,
      affects: ['public'],
    });
    const { answers, prefilled } = dpiaAnswersFromInitiative(benefits);
    expect(Object.keys(prefilled)).toEqual([
      'personalData',
      'specialCategoryData',
      'decisionsAboutPeople',
      'automatedDecisions',
      'innovativeTechnology',
    ]);
    const screening = screenDpia(answers);
    expect(screening.outcome).toBe('required');
    // AI on personal data (innovative technology) combined with special-category data: the ICO's
    // list requires a DPIA; both WP248 criteria are listed too.
    expect(screening.criteria.map((c) => [c.source, c.id])).toEqual([
      ['ICO list', 'innovative-technology'],
      ['WP248', 'sensitive-data'],
      ['WP248', 'innovative-use'],
    ]);
    expect(screening.explanation).toBe(
      'Required: it meets a criterion for which a DPIA must always be done (“Innovative technology”). Complete the DPIA before the processing starts.',
    );
    expect(screening.criteria[1]?.reason).toBe('It uses special-category data.');
  });

  it('does not require one for a staff-only, off-the-shelf tool that uses no personal data', () => {
    const { answers } = dpiaAnswersFromInitiative(initiative());
    const screening = screenDpia(answers);
    expect(screening.outcome).toBe('not-required');
    expect(screening.criteria).toEqual([]);
    expect(screening.explanation).toBe(
      'Not required: it uses no information about identifiable people, and a DPIA assesses the risks of processing personal data. Screen it again if that changes.',
    );
  });

  it('recommends one when a single high-risk criterion is met', () => {
    const screening = screenDpia({ ...NO, personalData: true, innovativeTechnology: true });
    expect(screening.outcome).toBe('recommended');
    expect(screening.criteria.map((c) => c.id)).toEqual(['innovative-use']);
    expect(screening.explanation).toContain('it meets one high-risk criterion (“Innovative use');
  });

  it('requires one for two WP248 criteria even when no always-required one is met', () => {
    const screening = screenDpia({
      ...NO,
      personalData: true,
      specialCategoryData: true,
      vulnerablePeople: true,
    });
    expect(screening.outcome).toBe('required');
    expect(screening.criteria.map((c) => c.id)).toEqual([
      'sensitive-data',
      'vulnerable-data-subjects',
    ]);
    expect(screening.explanation).toMatch(/^Required: it meets 2 of the nine high-risk criteria/);
  });

  it('records personal data that meets no criterion as not required, with the reason', () => {
    const screening = screenDpia({ ...NO, personalData: true });
    expect(screening.outcome).toBe('not-required');
    expect(screening.explanation).toMatch(/^Not required: it uses personal data but meets none/);
  });

  it('applies the three cases of art. 35(3)', () => {
    expect(
      ids({
        ...NO,
        personalData: true,
        decisionsAboutPeople: true,
        profiling: true,
        significantEffects: true,
      }),
    ).toEqual(['systematic-extensive-evaluation', 'evaluation-or-scoring']);
    expect(ids({ ...NO, personalData: true, criminalOffenceData: true, largeScale: true })).toEqual(
      ['large-scale-sensitive-data', 'sensitive-data', 'large-scale'],
    );
    expect(
      ids({ ...NO, personalData: true, monitoring: 'publicly-accessible-area', largeScale: true }),
    ).toEqual(['public-monitoring', 'systematic-monitoring', 'large-scale']);
    // Without large scale, monitoring a public place is one WP248 criterion: recommended.
    expect(
      screenDpia({ ...NO, personalData: true, monitoring: 'publicly-accessible-area' }).outcome,
    ).toBe('recommended');
  });

  it('needs another criterion besides the data itself for biometrics, as the ICO list says', () => {
    const alone = screenDpia({ ...NO, personalData: true, biometricIdentification: true });
    expect(alone.outcome).toBe('recommended');
    expect(alone.criteria.map((c) => c.id)).toEqual(['sensitive-data']);
    const withAi = screenDpia({
      ...NO,
      personalData: true,
      biometricIdentification: true,
      innovativeTechnology: true,
    });
    expect(withAi.criteria.map((c) => c.id)).toEqual([
      'innovative-technology',
      'biometric-data',
      'sensitive-data',
      'innovative-use',
    ]);
  });

  it('applies the ICO criteria that stand alone', () => {
    const personal = { ...NO, personalData: true };
    expect(ids({ ...personal, dataMatching: true })).toEqual([
      'data-matching',
      'matching-or-combining',
    ]);
    expect(ids({ ...personal, invisibleProcessing: true })).toEqual(['invisible-processing']);
    expect(ids({ ...personal, tracking: true })).toEqual(['tracking']);
    expect(ids({ ...personal, physicalHarm: true })).toEqual(['risk-of-physical-harm']);
    expect(ids({ ...personal, onlineServiceForChildren: true })).toEqual([
      'targeting-children-vulnerable',
    ]);
    expect(
      ids({
        ...personal,
        decisionsAboutPeople: true,
        accessToService: true,
        automatedDecisions: true,
      }),
    ).toEqual(['denial-of-service', 'prevents-rights-or-service']);
    expect(ids({ ...personal, profiling: true, largeScale: true })).toEqual([
      'large-scale-profiling',
      'evaluation-or-scoring',
      'large-scale',
    ]);
    for (const answers of [
      { ...personal, invisibleProcessing: true },
      { ...personal, tracking: true },
    ]) {
      expect(screenDpia(answers).outcome).toBe('required');
    }
  });

  it('refuses answers that contradict each other, naming the question', () => {
    expect(() => screenDpia({ ...NO, specialCategoryData: true })).toThrow(
      'The DPIA screening answers do not fit together: Special-category data is personal data: answer yes to using information about identifiable people, or no here',
    );
    const result = dpiaAnswersSchema.safeParse({
      ...NO,
      personalData: true,
      accessToService: true,
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.map((i) => [i.path[0], i.message])).toEqual([
      [
        'accessToService',
        'Deciding who gets a service is a decision about individual people: answer yes to that question too, or no here',
      ],
    ]);
  });
});

describe('the screening form', () => {
  it('asks every question once, in a plain-words order', () => {
    expect(DPIA_QUESTIONS.map((q) => q.id).sort()).toEqual(Object.keys(NO).sort());
  });

  it('reads yes/no answers as a form posts them, and says which one is missing', () => {
    const posted = Object.fromEntries(
      Object.entries(NO).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 'yes' : 'no') : v]),
    );
    expect(dpiaAnswersSchema.parse({ ...posted, personalData: 'yes' })).toEqual({
      ...NO,
      personalData: true,
    });
    const missing = dpiaAnswersSchema.safeParse({ ...posted, tracking: undefined });
    expect(missing.success).toBe(false);
    if (missing.success) return;
    expect(missing.error.issues[0]?.message).toBe(
      'Answer yes or no: Will it track where people go or what they do, online or offline?',
    );
  });
});

describe('the DPIA record', () => {
  it('needs a date once completed, and only then', () => {
    const noDate = dpiaStatusSchema.safeParse({ status: 'completed', completedOn: '' });
    expect(noDate.success).toBe(false);
    if (!noDate.success) {
      expect(noDate.error.issues[0]?.message).toBe('Enter the date the DPIA was completed');
    }
    const early = dpiaStatusSchema.safeParse({ status: 'in-progress', completedOn: '2026-01-01' });
    expect(early.success).toBe(false);
    expect(dpiaStatusSchema.parse({ status: 'completed', completedOn: '2026-03-03' })).toEqual({
      status: 'completed',
      completedOn: '2026-03-03',
    });
  });

  it('describes itself in plain words for the transparency record', () => {
    const screening = screenDpia({ ...NO, personalData: true, tracking: true });
    expect(describeDpia({ status: 'completed', completedOn: '2026-03-03', screening })).toBe(
      'Data protection impact assessment (DPIA): completed on 3 March 2026. The screening found a DPIA required.',
    );
    expect(describeDpia({ status: 'not-required', completedOn: null, screening: null })).toBe(
      'Data protection impact assessment (DPIA): not required.',
    );
    expect(longDate('2026-12-25')).toBe('25 December 2026');
  });
});
