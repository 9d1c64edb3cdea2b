// Screening for a data protection impact assessment (DPIA): does this initiative's processing need
// one? The rules are UK GDPR art. 35(3), the ICO's list of processing "likely to result in high risk"
// (art. 35(4)), and the nine criteria of the European guidelines (WP248rev.01) the ICO adopts: its
// list asks for a DPIA for innovative technology, biometric or genetic data when combined with any
// other of those criteria, and WP248 treats two criteria as needing a DPIA in most cases. Sources
// are named in README.md. Part of the risk work of section 3.4: designing risk out early, for example
// by using less sensitive data, is cheaper than mitigating it later.
import { z } from 'zod';
import { isIsoDate } from './dates.ts';
import type { Initiative } from './types.ts';

/** Monitoring of people, from none to a publicly accessible place (art. 35(3)(c)). */
export type Monitoring = 'none' | 'people' | 'publicly-accessible-area';

/** Answers to the screening questions; every one is yes or no except monitoring. */
export interface DpiaAnswers {
  readonly personalData: boolean;
  readonly specialCategoryData: boolean;
  readonly criminalOffenceData: boolean;
  readonly largeScale: boolean;
  readonly decisionsAboutPeople: boolean;
  readonly profiling: boolean;
  readonly automatedDecisions: boolean;
  readonly significantEffects: boolean;
  readonly accessToService: boolean;
  readonly innovativeTechnology: boolean;
  readonly biometricIdentification: boolean;
  readonly geneticData: boolean;
  readonly dataMatching: boolean;
  readonly invisibleProcessing: boolean;
  readonly tracking: boolean;
  readonly vulnerablePeople: boolean;
  readonly onlineServiceForChildren: boolean;
  readonly physicalHarm: boolean;
  readonly monitoring: Monitoring;
}

export type DpiaQuestionId = keyof DpiaAnswers;

/** The questions in the order a page asks them, in plain words. */
export const DPIA_QUESTIONS: readonly {
  readonly id: DpiaQuestionId;
  readonly question: string;
  readonly hint: string;
}[] = [
  {
    id: 'personalData',
    question: 'Will it use information about identifiable people?',
    hint: 'Personal data: names, addresses, case records, recordings, anything that can be linked to a person.',
  },
  {
    id: 'specialCategoryData',
    question: 'Will it use special-category data?',
    hint: 'Health, ethnicity, religion or belief, sex life or sexual orientation, trade union membership, political opinions, biometrics or genetics (UK GDPR art. 9).',
  },
  {
    id: 'criminalOffenceData',
    question: 'Will it use information about crimes, allegations or convictions?',
    hint: 'Criminal-offence data (UK GDPR art. 10).',
  },
  {
    id: 'largeScale',
    question: 'Is the processing large scale?',
    hint: 'Many people (for example a whole area or service), a lot of data about each, or data kept for a long time.',
  },
  {
    id: 'decisionsAboutPeople',
    question: 'Will it make or inform decisions about individual people?',
    hint: 'For example who is visited first, whose application is checked, who is offered support.',
  },
  {
    id: 'profiling',
    question: 'Will it evaluate or score people?',
    hint: 'Profiling: predicting someone’s risk, need, behaviour, reliability or health.',
  },
  {
    id: 'automatedDecisions',
    question: 'Will decisions be taken without a person meaningfully reviewing them?',
    hint: 'A person who simply accepts the tool’s answer does not count as a review.',
  },
  {
    id: 'significantEffects',
    question: 'Could those decisions have a legal or similarly significant effect on someone?',
    hint: 'For example on their benefits, housing, liberty, job, education, health care or money.',
  },
  {
    id: 'accessToService',
    question: 'Will it help decide whether someone gets a service, opportunity or benefit?',
    hint: 'Including deciding that they do not, or that they wait longer.',
  },
  {
    id: 'innovativeTechnology',
    question: 'Does it use new technology, or existing technology in a new way?',
    hint: 'The ICO counts artificial intelligence and machine learning as innovative technology.',
  },
  {
    id: 'biometricIdentification',
    question: 'Will it use biometric data to identify people?',
    hint: 'Faces, fingerprints, voices or gait used to recognise who someone is.',
  },
  {
    id: 'geneticData',
    question: 'Will it use genetic data?',
    hint: 'Other than by a GP or health professional caring for that person directly.',
  },
  {
    id: 'dataMatching',
    question: 'Will it combine, compare or match data from several sources?',
    hint: 'For example joining council tax, benefits and housing records.',
  },
  {
    id: 'invisibleProcessing',
    question:
      'Will it use personal data that did not come from the people themselves, without telling them?',
    hint: 'Invisible processing: no privacy notice reaches the people concerned.',
  },
  {
    id: 'tracking',
    question: 'Will it track where people go or what they do, online or offline?',
    hint: 'Location, movements, browsing or behaviour over time.',
  },
  {
    id: 'vulnerablePeople',
    question: 'Will it use data about children or other vulnerable people?',
    hint: 'Children, patients, people in crisis, older people needing care; also staff, who may not feel free to object.',
  },
  {
    id: 'onlineServiceForChildren',
    question: 'Will it offer an online service directly to children?',
    hint: 'For example a chatbot that children use.',
  },
  {
    id: 'physicalHarm',
    question: 'Could a leak of the data put someone’s physical health or safety at risk?',
    hint: 'For example the address of someone fleeing domestic abuse.',
  },
  {
    id: 'monitoring',
    question: 'Will it watch or monitor people systematically?',
    hint: 'Cameras, sensors or activity logs; say whether it covers a place the public can enter.',
  },
];

/** Whose rule a criterion is. */
export type CriterionSource = 'UK GDPR art. 35(3)' | 'ICO list' | 'WP248';

export interface DpiaCriterion {
  readonly id: string;
  readonly source: CriterionSource;
  /** The criterion's name, as the source names it. */
  readonly name: string;
  /** Why it is met, from the answers, in plain words. */
  readonly reason: string;
}

export type DpiaOutcome = 'required' | 'recommended' | 'not-required';

export interface DpiaScreening {
  readonly answers: DpiaAnswers;
  readonly outcome: DpiaOutcome;
  /** Every criterion met: art. 35(3) first, then the ICO list, then WP248. */
  readonly criteria: readonly DpiaCriterion[];
  readonly explanation: string;
}

/** Where the organisation has got to with the DPIA itself; recorded by the product. */
export type DpiaStatus = 'not-started' | 'in-progress' | 'completed' | 'not-required';
export const DPIA_STATUSES: readonly DpiaStatus[] = [
  'not-started',
  'in-progress',
  'completed',
  'not-required',
];

export const DPIA_STATUS_LABELS: Readonly<Record<DpiaStatus, string>> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  completed: 'Completed',
  'not-required': 'Not required',
};

/** The DPIA as recorded for an initiative: its status, when it was completed, and the screening. */
export interface DpiaRecord {
  readonly status: DpiaStatus;
  /** ISO yyyy-mm-dd, set when completed. */
  readonly completedOn: string | null;
  readonly screening: DpiaScreening | null;
}

// Answers that only make sense when personal data is used.
const NEEDS_PERSONAL_DATA: readonly { id: DpiaQuestionId; what: string }[] = [
  { id: 'specialCategoryData', what: 'Special-category data' },
  { id: 'criminalOffenceData', what: 'Criminal-offence data' },
  { id: 'decisionsAboutPeople', what: 'A decision about an individual' },
  { id: 'profiling', what: 'Scoring people' },
  { id: 'biometricIdentification', what: 'Biometric data' },
  { id: 'geneticData', what: 'Genetic data' },
  { id: 'invisibleProcessing', what: 'Using someone’s data without telling them' },
  { id: 'tracking', what: 'Tracking people' },
  { id: 'vulnerablePeople', what: 'Data about vulnerable people' },
];

const yesNo = (question: string) =>
  z.preprocess(
    (v) => (v === 'yes' || v === 'true' ? true : v === 'no' || v === 'false' ? false : v),
    z.boolean({ error: `Answer yes or no: ${question}` }),
  );

const questionText = (id: DpiaQuestionId): string =>
  DPIA_QUESTIONS.find((q) => q.id === id)?.question ?? id;

/** The screening answers as a form posts them ("yes" / "no", or booleans from JSON). */
export const dpiaAnswersSchema = z
  .object({
    personalData: yesNo(questionText('personalData')),
    specialCategoryData: yesNo(questionText('specialCategoryData')),
    criminalOffenceData: yesNo(questionText('criminalOffenceData')),
    largeScale: yesNo(questionText('largeScale')),
    decisionsAboutPeople: yesNo(questionText('decisionsAboutPeople')),
    profiling: yesNo(questionText('profiling')),
    automatedDecisions: yesNo(questionText('automatedDecisions')),
    significantEffects: yesNo(questionText('significantEffects')),
    accessToService: yesNo(questionText('accessToService')),
    innovativeTechnology: yesNo(questionText('innovativeTechnology')),
    biometricIdentification: yesNo(questionText('biometricIdentification')),
    geneticData: yesNo(questionText('geneticData')),
    dataMatching: yesNo(questionText('dataMatching')),
    invisibleProcessing: yesNo(questionText('invisibleProcessing')),
    tracking: yesNo(questionText('tracking')),
    vulnerablePeople: yesNo(questionText('vulnerablePeople')),
    onlineServiceForChildren: yesNo(questionText('onlineServiceForChildren')),
    physicalHarm: yesNo(questionText('physicalHarm')),
    monitoring: z.enum(['none', 'people', 'publicly-accessible-area'], {
      error: 'Choose whether it monitors people, and whether in a place the public can enter',
    }),
  })
  .superRefine((a, ctx) => {
    if (a.personalData) return;
    for (const { id, what } of NEEDS_PERSONAL_DATA) {
      if (a[id] === true) {
        ctx.addIssue({
          code: 'custom',
          path: [id],
          message: `${what} is personal data: answer yes to using information about identifiable people, or no here`,
        });
      }
    }
  })
  .superRefine((a, ctx) => {
    if (a.accessToService && !a.decisionsAboutPeople) {
      ctx.addIssue({
        code: 'custom',
        path: ['accessToService'],
        message:
          'Deciding who gets a service is a decision about individual people: answer yes to that question too, or no here',
      });
    }
  });

/**
 * Answers prefilled from the initiative, with the reason for each prefilled one; everything else
 * starts at "no" for the user to answer. AI counts as innovative technology in the ICO's list.
 */
export function dpiaAnswersFromInitiative(initiative: Initiative): {
  readonly answers: DpiaAnswers;
  readonly prefilled: Readonly<Partial<Record<DpiaQuestionId, string>>>;
} {
  const { data } = initiative;
  const prefilled: Partial<Record<DpiaQuestionId, string>> = {};
  const from = (id: DpiaQuestionId, value: boolean, reason: string): boolean => {
    if (value) prefilled[id] = reason;
    return value;
  };
  const answers: DpiaAnswers = {
    personalData: from('personalData', data.personal, 'The initiative says it uses personal data.'),
    specialCategoryData: from(
      'specialCategoryData',
      data.specialCategory,
      'The initiative says it uses special-category data.',
    ),
    criminalOffenceData: from(
      'criminalOffenceData',
      data.criminalOffence,
      'The initiative says it uses criminal-offence data.',
    ),
    largeScale: false,
    decisionsAboutPeople: from(
      'decisionsAboutPeople',
      initiative.decisionsAboutPeople,
      'The initiative says it makes or informs decisions about individual people.',
    ),
    profiling: false,
    automatedDecisions: from(
      'automatedDecisions',
      initiative.automatedDecisions,
      'The initiative says decisions are taken without meaningful human review.',
    ),
    significantEffects: false,
    accessToService: false,
    innovativeTechnology: from(
      'innovativeTechnology',
      true,
      'It is an AI initiative, and the ICO lists artificial intelligence as innovative technology.',
    ),
    biometricIdentification: false,
    geneticData: false,
    dataMatching: false,
    invisibleProcessing: false,
    tracking: false,
    vulnerablePeople: from(
      'vulnerablePeople',
      initiative.affects.includes('vulnerable'),
      'The initiative says it affects vulnerable people.',
    ),
    onlineServiceForChildren: false,
    physicalHarm: false,
    monitoring: 'none',
  };
  return { answers, prefilled };
}

interface Rule {
  readonly id: string;
  readonly source: CriterionSource;
  readonly name: string;
  readonly met: (a: DpiaAnswers, wp248Met: readonly string[]) => boolean;
  readonly reason: (a: DpiaAnswers) => string;
}

// WP248rev.01's nine criteria, in its order.
const WP248: readonly Rule[] = [
  {
    id: 'evaluation-or-scoring',
    source: 'WP248',
    name: 'Evaluation or scoring',
    met: (a) => a.profiling,
    reason: () => 'It evaluates or scores people.',
  },
  {
    id: 'automated-decision-significant-effect',
    source: 'WP248',
    name: 'Automated decision-making with legal or similarly significant effect',
    met: (a) => a.automatedDecisions && a.significantEffects,
    reason: () =>
      'Decisions with legal or similarly significant effects are taken without meaningful human review.',
  },
  {
    id: 'systematic-monitoring',
    source: 'WP248',
    name: 'Systematic monitoring',
    met: (a) => a.monitoring !== 'none',
    reason: (a) =>
      a.monitoring === 'publicly-accessible-area'
        ? 'It monitors a place the public can enter.'
        : 'It monitors people systematically.',
  },
  {
    id: 'sensitive-data',
    source: 'WP248',
    name: 'Sensitive data or data of a highly personal nature',
    met: (a) =>
      a.specialCategoryData || a.criminalOffenceData || a.biometricIdentification || a.geneticData,
    reason: (a) => `It uses ${sensitiveKinds(a)}.`,
  },
  {
    id: 'large-scale',
    source: 'WP248',
    name: 'Data processed on a large scale',
    met: (a) => a.personalData && a.largeScale,
    reason: () => 'The processing is large scale.',
  },
  {
    id: 'matching-or-combining',
    source: 'WP248',
    name: 'Matching or combining datasets',
    met: (a) => a.personalData && a.dataMatching,
    reason: () => 'It combines, compares or matches data from several sources.',
  },
  {
    id: 'vulnerable-data-subjects',
    source: 'WP248',
    name: 'Data concerning vulnerable data subjects',
    met: (a) => a.vulnerablePeople,
    reason: () => 'It uses data about children or other vulnerable people.',
  },
  {
    id: 'innovative-use',
    source: 'WP248',
    name: 'Innovative use or applying new technological or organisational solutions',
    met: (a) => a.personalData && a.innovativeTechnology,
    reason: () => 'It uses new technology, or existing technology in a new way, on personal data.',
  },
  {
    id: 'prevents-rights-or-service',
    source: 'WP248',
    name: 'Processing that prevents people from exercising a right or using a service or contract',
    met: (a) => a.accessToService,
    reason: () => 'It helps decide whether someone gets a service, opportunity or benefit.',
  },
];

// The ICO's "combined with any other criterion": biometric and genetic data already meet WP248's
// sensitive-data criterion, and innovative technology its innovative-use one, so those do not count
// as the second.
const others = (wp248Met: readonly string[], self: string) => wp248Met.filter((id) => id !== self);

// Processing that always needs a DPIA: art. 35(3), then the ICO's list (art. 35(4)) in its order.
const ALWAYS: readonly Rule[] = [
  {
    id: 'systematic-extensive-evaluation',
    source: 'UK GDPR art. 35(3)',
    name: 'Systematic and extensive evaluation of people, with decisions that significantly affect them (art. 35(3)(a))',
    met: (a) =>
      (a.profiling || a.automatedDecisions) && a.decisionsAboutPeople && a.significantEffects,
    reason: (a) =>
      `It ${a.profiling ? 'scores people' : 'takes automated decisions'} and the decisions about them can have legal or similarly significant effects.`,
  },
  {
    id: 'large-scale-sensitive-data',
    source: 'UK GDPR art. 35(3)',
    name: 'Large-scale special-category or criminal-offence data (art. 35(3)(b))',
    met: (a) => a.largeScale && (a.specialCategoryData || a.criminalOffenceData),
    reason: (a) =>
      `It uses ${[a.specialCategoryData ? 'special-category' : '', a.criminalOffenceData ? 'criminal-offence' : ''].filter(Boolean).join(' and ')} data on a large scale.`,
  },
  {
    id: 'public-monitoring',
    source: 'UK GDPR art. 35(3)',
    name: 'Systematic monitoring of a publicly accessible area on a large scale (art. 35(3)(c))',
    met: (a) => a.monitoring === 'publicly-accessible-area' && a.largeScale,
    reason: () => 'It monitors a place the public can enter, on a large scale.',
  },
  {
    id: 'innovative-technology',
    source: 'ICO list',
    name: 'Innovative technology',
    met: (a, wp) =>
      a.personalData && a.innovativeTechnology && others(wp, 'innovative-use').length > 0,
    reason: () =>
      'It uses new technology (such as AI) on personal data together with another high-risk criterion.',
  },
  {
    id: 'denial-of-service',
    source: 'ICO list',
    name: 'Denial of service',
    met: (a) => a.accessToService && (a.profiling || a.automatedDecisions || a.specialCategoryData),
    reason: (a) =>
      `It helps decide whether someone gets a service, opportunity or benefit, ${a.profiling || a.automatedDecisions ? 'using automated decision-making or profiling' : 'using special-category data'}.`,
  },
  {
    id: 'large-scale-profiling',
    source: 'ICO list',
    name: 'Large-scale profiling',
    met: (a) => a.profiling && a.largeScale,
    reason: () => 'It scores or profiles people on a large scale.',
  },
  {
    id: 'biometric-data',
    source: 'ICO list',
    name: 'Biometric data',
    met: (a, wp) => a.biometricIdentification && others(wp, 'sensitive-data').length > 0,
    reason: () =>
      'It uses biometric data to identify people, together with another high-risk criterion.',
  },
  {
    id: 'genetic-data',
    source: 'ICO list',
    name: 'Genetic data',
    met: (a, wp) => a.geneticData && others(wp, 'sensitive-data').length > 0,
    reason: () => 'It uses genetic data, together with another high-risk criterion.',
  },
  {
    id: 'data-matching',
    source: 'ICO list',
    name: 'Data matching',
    met: (a) => a.personalData && a.dataMatching,
    reason: () => 'It combines, compares or matches personal data from several sources.',
  },
  {
    id: 'invisible-processing',
    source: 'ICO list',
    name: 'Invisible processing',
    met: (a) => a.invisibleProcessing,
    reason: () =>
      'It uses personal data that did not come from the people themselves, without telling them.',
  },
  {
    id: 'tracking',
    source: 'ICO list',
    name: 'Tracking',
    met: (a) => a.tracking,
    reason: () => 'It tracks people’s location or behaviour.',
  },
  {
    id: 'targeting-children-vulnerable',
    source: 'ICO list',
    name: 'Targeting of children or other vulnerable individuals',
    met: (a) =>
      (a.vulnerablePeople && (a.profiling || a.automatedDecisions)) || a.onlineServiceForChildren,
    reason: (a) =>
      a.onlineServiceForChildren
        ? 'It offers an online service directly to children.'
        : 'It profiles or takes automated decisions about children or other vulnerable people.',
  },
  {
    id: 'risk-of-physical-harm',
    source: 'ICO list',
    name: 'Risk of physical harm',
    met: (a) => a.personalData && a.physicalHarm,
    reason: () => 'A leak of the data could put someone’s physical health or safety at risk.',
  },
];

/** WP248: "in most cases" processing that meets two of its criteria needs a DPIA. */
export const WP248_CRITERIA_FOR_DPIA = 2;

/**
 * Screens the answers:
 * - no personal data: not required (a DPIA assesses risks to people from processing their data);
 * - any art. 35(3) or ICO-list criterion met, or two or more WP248 criteria: required;
 * - one WP248 criterion: recommended (the ICO calls a DPIA good practice for any major project
 *   using personal data, and one criterion is a sign of risk);
 * - otherwise not required, with the reasons recorded.
 * Throws with the form's own messages if the answers are inconsistent.
 */
export function screenDpia(raw: DpiaAnswers): DpiaScreening {
  const parsed = dpiaAnswersSchema.safeParse(raw);
  if (!parsed.success) {
    throw new RangeError(
      `The DPIA screening answers do not fit together: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  const answers: DpiaAnswers = parsed.data;
  if (!answers.personalData) {
    return {
      answers,
      outcome: 'not-required',
      criteria: [],
      explanation:
        'Not required: it uses no information about identifiable people, and a DPIA assesses the risks of processing personal data. Screen it again if that changes.',
    };
  }
  const wp248 = WP248.filter((rule) => rule.met(answers, []));
  const wp248Ids = wp248.map((rule) => rule.id);
  const always = ALWAYS.filter((rule) => rule.met(answers, wp248Ids));
  const criteria = [...always, ...wp248].map((rule): DpiaCriterion => ({
    id: rule.id,
    source: rule.source,
    name: rule.name,
    reason: rule.reason(answers),
  }));
  const names = (rules: readonly Rule[]) => rules.map((r) => `“${shortName(r.name)}”`).join(', ');
  if (always.length > 0) {
    return {
      answers,
      outcome: 'required',
      criteria,
      explanation: `Required: it meets ${always.length === 1 ? 'a criterion' : 'criteria'} for which a DPIA must always be done (${names(always)}). Complete the DPIA before the processing starts.`,
    };
  }
  if (wp248.length >= WP248_CRITERIA_FOR_DPIA) {
    return {
      answers,
      outcome: 'required',
      criteria,
      explanation: `Required: it meets ${wp248.length} of the nine high-risk criteria of the European guidelines the ICO follows (${names(wp248)}), and two or more call for a DPIA. Complete the DPIA before the processing starts.`,
    };
  }
  if (wp248.length === 1) {
    return {
      answers,
      outcome: 'recommended',
      criteria,
      explanation: `Recommended: it meets one high-risk criterion (${names(wp248)}). A DPIA is not strictly required, but the ICO considers one good practice, and it is the place to record how the risk is kept low.`,
    };
  }
  return {
    answers,
    outcome: 'not-required',
    criteria,
    explanation:
      'Not required: it uses personal data but meets none of the high-risk criteria. Record this decision; the ICO still considers a DPIA good practice for any major project using personal data.',
  };
}

function sensitiveKinds(a: DpiaAnswers): string {
  const kinds = [
    a.specialCategoryData ? 'special-category data' : '',
    a.criminalOffenceData ? 'criminal-offence data' : '',
    a.biometricIdentification ? 'biometric data' : '',
    a.geneticData ? 'genetic data' : '',
  ].filter(Boolean);
  return kinds.length <= 1
    ? (kinds[0] ?? '')
    : `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)}`;
}

const shortName = (name: string) => name.replace(/\s*\(art\. 35\(3\)\([abc]\)\)$/, '');

/** The DPIA record as a user sets it: status, and the completion date once completed. */
export const dpiaStatusSchema = z
  .object({
    status: z.enum(['not-started', 'in-progress', 'completed', 'not-required'], {
      error: 'Choose where the DPIA has got to',
    }),
    completedOn: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v === undefined || v === '' ? null : v))
      .refine(
        (v) => v === null || isIsoDate(v),
        'Enter the date it was completed as a real date, for example 2026-03-31',
      ),
  })
  .superRefine((record, ctx) => {
    if (record.status === 'completed' && record.completedOn === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['completedOn'],
        message: 'Enter the date the DPIA was completed',
      });
    }
    if (record.status !== 'completed' && record.completedOn !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['completedOn'],
        message:
          'Only a completed DPIA has a completion date: clear the date or choose “Completed”',
      });
    }
  });

/** "Completed on 3 March 2026", "In progress" … for pages and the transparency record. */
export function describeDpia(record: DpiaRecord): string {
  const screening = record.screening
    ? ` The screening found a DPIA ${record.screening.outcome === 'not-required' ? 'not required' : record.screening.outcome}.`
    : '';
  switch (record.status) {
    case 'completed':
      return `Data protection impact assessment (DPIA): completed${record.completedOn ? ` on ${longDate(record.completedOn)}` : ''}.${screening}`;
    case 'in-progress':
      return `Data protection impact assessment (DPIA): in progress.${screening}`;
    case 'not-started':
      return `Data protection impact assessment (DPIA): not started.${screening}`;
    case 'not-required':
      return `Data protection impact assessment (DPIA): not required.${screening}`;
  }
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** 2026-03-03 → "3 March 2026" (GOV.UK style). */
export function longDate(iso: string): string {
  if (!isIsoDate(iso)) throw new RangeError(`Expected a date written yyyy-mm-dd; got "${iso}"`);
  return LONG_DATE.format(new Date(`${iso}T00:00:00Z`));
}
