// The six AI competencies of Hoskins (2025), section 2.1, as data: what each one does, what the
// paper shows it doing well, and the limits that make it fail. Registering an initiative starts by
// naming its competency, so these words are what a public servant reads before anything else; the
// limits say which of the paper's two kinds of failure (operational or ethical) each one risks.
import type { CompetencyId } from './types.ts';

/**
 * The paper's two kinds of failure (section 2.1). Operational: the system delivers little, nothing or
 * less than nothing for productivity against what it promised. Ethical: it harms members of the
 * public. Either can turn into the other.
 */
export type FailureKind = 'operational' | 'ethical';

export const FAILURE_KINDS: Readonly<Record<FailureKind, string>> = {
  operational:
    'Operational failure: the system gives little, no or even negative productivity gain against what it promised, for example when unreliable output is shown with false certainty and staff waste time or decide badly (section 2.1).',
  ethical:
    'Ethical failure: the system harms members of the public, for example through unlawful bias under the Equality Act 2010 or opaque decisions that cannot be challenged (section 2.1).',
};

/**
 * Families of limit the paper describes (section 2.1 unless said otherwise). Each competency's
 * limits are tagged with one, so a risk register or a checklist can group them.
 */
export type LimitKind =
  | 'data-quality'
  | 'imitation'
  | 'fabrication'
  | 'brittleness'
  | 'false-certainty'
  | 'opacity'
  | 'historical-bias'
  | 'downstream-errors'
  | 'autonomy';

export const LIMIT_KINDS: Readonly<Record<LimitKind, string>> = {
  'data-quality':
    'Garbage in, garbage out: a model is only as good as the quality, breadth and representativeness of its data.',
  imitation:
    "A 'stochastic parrot': the model copies patterns in its training data without understanding what they stand for.",
  fabrication: 'Made-up information presented as fact.',
  brittleness:
    'Predictions that do not hold up and fail unpredictably in situations they have not met.',
  'false-certainty':
    'Unreliable output shown with more certainty than it deserves, so staff waste time or decide badly.',
  opacity:
    'Accurate forecasts with no theory of cause that people can follow, so decisions are hard to explain or challenge.',
  'historical-bias':
    'Trained on past decisions, a model repeats their bias (sections 2.2.1 and 3.4).',
  'downstream-errors':
    'A faster but less accurate stage creates extra work, and a worse bottleneck, further down the delivery chain (section 2.2.1).',
  autonomy:
    'Systems acting with less human oversight may pursue unintended sub-goals that conflict with the public interest.',
};

export interface CompetencyUse {
  /** What the paper shows the competency doing, paraphrased. */
  readonly text: string;
  readonly section: string;
}

export interface CompetencyLimit {
  readonly kind: LimitKind;
  /** How the limit shows up for this competency, in plain words. */
  readonly text: string;
  /** The kinds of failure it can lead to (section 2.1). */
  readonly failure: readonly FailureKind[];
  readonly section: string;
}

export interface Competency {
  readonly id: CompetencyId;
  readonly name: string;
  readonly summary: string;
  readonly goodAt: readonly CompetencyUse[];
  readonly limits: readonly CompetencyLimit[];
  /** Where the paper describes the competency. */
  readonly section: string;
}

/** In the order the paper introduces them (section 2.1). */
export const COMPETENCY_IDS = [
  'computer-vision',
  'natural-language-processing',
  'speech-analytics',
  'predictive-analytics',
  'chatbots',
  'large-language-models',
] as const satisfies readonly CompetencyId[];

// Fails to compile if types.ts gains a competency that this list leaves out.
type MissingCompetency = Exclude<CompetencyId, (typeof COMPETENCY_IDS)[number]>;
const everyCompetencyListed: MissingCompetency extends never ? true : never = true;
void everyCompetencyListed;

// Section 2.1 says every model's performance is tied to its data, so each competency carries this.
const dataQuality = (text: string): CompetencyLimit => ({
  kind: 'data-quality',
  text,
  failure: ['operational', 'ethical'],
  section: '2.1',
});

const BY_ID: Readonly<Record<CompetencyId, Competency>> = {
  'computer-vision': {
    id: 'computer-vision',
    name: 'Computer vision',
    summary:
      'Analyses images and video to recognise objects, faces or patterns, so visual tasks can be done at great scale and speed.',
    goodAt: [
      {
        text: 'Searching large amounts of surveillance footage for people of interest almost at once, work that used to be done by hand.',
        section: '2.1',
      },
      {
        text: 'Reading medical images: one evaluated system classified lung cancer on CT scans correctly 95% of the time, against 83% for radiologists.',
        section: '2.1',
      },
      {
        text: 'Spotting falls among people with dementia from camera images, replacing a reactive emergency response (Figure 2, cell 2).',
        section: '2.2.1',
      },
    ],
    limits: [
      dataQuality(
        'Images that are unrepresentative of the people or places it will see give skewed or unfair recognition.',
      ),
      {
        kind: 'brittleness',
        text: 'Recognition learned in one setting can fail without warning when cameras, lighting or populations differ.',
        failure: ['operational', 'ethical'],
        section: '2.1',
      },
      {
        kind: 'false-certainty',
        text: 'A confident match that is wrong sends staff after the wrong person or case.',
        failure: ['operational', 'ethical'],
        section: '2.1',
      },
    ],
    section: '2.1',
  },
  'natural-language-processing': {
    id: 'natural-language-processing',
    name: 'Natural language processing',
    summary:
      'Extracts and interprets information from unstructured text such as emails, reports and transcripts.',
    goodAt: [
      {
        text: 'Capturing patient information in clinical records with less manual effort and fewer errors.',
        section: '2.1',
      },
      {
        text: 'Finding unusual links, deceptive sentiment or odd topics in large volumes of email and contract data during corruption investigations.',
        section: '2.1',
      },
      {
        text: 'Reviewing citizen applications faster, freeing skilled staff for complex cases (Figure 2, cells 5, 3 and 1).',
        section: '2.2.1',
      },
      {
        text: 'Reading thousands of comments from surveys, suggestion schemes and complaints and surfacing recurring themes a manager could never read in full.',
        section: '2.2.3',
      },
    ],
    limits: [
      dataQuality(
        'Text that is incomplete or unrepresentative of the people writing it gives skewed readings.',
      ),
      {
        kind: 'downstream-errors',
        text: 'Text produced or summarised faster but less accurately (witness statements, for example) creates checking work for the next organisation in the chain.',
        failure: ['operational'],
        section: '2.2.1',
      },
      {
        kind: 'false-certainty',
        text: 'Extracted facts are shown as certain even when the source text was ambiguous.',
        failure: ['operational'],
        section: '2.1',
      },
    ],
    section: '2.1',
  },
  'speech-analytics': {
    id: 'speech-analytics',
    name: 'Speech analytics',
    summary:
      'Turns speech into text (automatic speech recognition), then applies natural language processing to interpret what was said.',
    goodAt: [
      {
        text: 'Automatic transcripts that cut the time and errors of manual note-taking, helping transparency as well as efficiency.',
        section: '2.1',
      },
      {
        text: 'Extracting usable information from what was said, once it is transcribed.',
        section: '2.1',
      },
      {
        text: 'Real-time translation so that staff and the public can talk in services that serve many languages.',
        section: '2.1',
      },
    ],
    limits: [
      dataQuality(
        'Recordings from accents, languages or settings the model learned little from are transcribed less accurately.',
      ),
      {
        kind: 'downstream-errors',
        text: 'A record made faster but less accurately creates verification work, and challenges, further down the chain.',
        failure: ['operational', 'ethical'],
        section: '2.2.1',
      },
      {
        kind: 'false-certainty',
        text: 'A transcript reads as a faithful record even where words were misheard.',
        failure: ['operational', 'ethical'],
        section: '2.1',
      },
    ],
    section: '2.1',
  },
  'predictive-analytics': {
    id: 'predictive-analytics',
    name: 'Predictive analytics',
    summary:
      'Finds complex, non-linear patterns in large datasets, including text and images, to forecast trends and classify cases.',
    goodAt: [
      {
        text: 'Detecting strokes and cancer sooner from scans, so waiting lists can be triaged better.',
        section: '2.1',
      },
      {
        text: 'Forecasting national energy demand from weather and large public events, so that supply can be balanced.',
        section: '2.1',
      },
      {
        text: 'Putting police resources in the right place at the right time (Figure 2, cell 2).',
        section: '2.2.1',
      },
    ],
    limits: [
      {
        kind: 'opacity',
        text: 'It can forecast accurately with no theory of cause a person can follow: one model told patients’ gender from chest X-rays even with the usual anatomical clues hidden, and researchers could not find out how.',
        failure: ['ethical'],
        section: '2.1',
      },
      {
        kind: 'historical-bias',
        text: 'Trained on skewed past decisions it repeats them, as a recruitment tool did with gender and as predictive policing can, losing public trust and co-operation.',
        failure: ['ethical', 'operational'],
        section: '2.2.1, 3.4',
      },
      dataQuality('Biased, incomplete or inaccurate data give skewed, flawed or unfair forecasts.'),
      {
        kind: 'brittleness',
        text: 'Forecasts can fail unpredictably when conditions differ from those in the data it learned from.',
        failure: ['operational', 'ethical'],
        section: '2.1',
      },
    ],
    section: '2.1',
  },
  chatbots: {
    id: 'chatbots',
    name: 'Chatbots and conversational agents',
    summary:
      'Use natural language processing and search to hold a conversation, acting as a virtual assistant for staff or the public.',
    goodAt: [
      {
        text: 'Answering routine HR and IT questions from staff, freeing colleagues from repetitive queries and answering faster.',
        section: '2.1',
      },
      {
        text: 'Guiding the public through forms or explaining policy, which can make services easier to reach.',
        section: '2.1',
      },
      {
        text: 'Letting staff search large document collections without knowing where things are kept.',
        section: '2.1',
      },
    ],
    limits: [
      {
        kind: 'fabrication',
        text: 'Can give a made-up answer as if it were fact.',
        failure: ['operational', 'ethical'],
        section: '2.1',
      },
      {
        kind: 'false-certainty',
        text: 'Answers sound equally sure whether they are right or wrong, so people act on wrong guidance.',
        failure: ['operational', 'ethical'],
        section: '2.1',
      },
      dataQuality(
        'Answers are only as good as the documents and examples behind them; out-of-date or incomplete ones give wrong guidance.',
      ),
    ],
    section: '2.1',
  },
  'large-language-models': {
    id: 'large-language-models',
    name: 'Large language models',
    summary:
      'Generate new content, interpreting, reasoning over and combining information, and can tackle problems they were not explicitly trained for.',
    goodAt: [
      { text: 'Reviewing legal contracts for possible problems.', section: '2.1' },
      { text: 'Writing working software code.', section: '2.1' },
      { text: 'Proposing new scientific hypotheses.', section: '2.1' },
    ],
    limits: [
      {
        kind: 'fabrication',
        text: 'Can present fabricated information as fact.',
        failure: ['operational', 'ethical'],
        section: '2.1',
      },
      {
        kind: 'imitation',
        text: 'Mimics patterns in its training data without understanding the real-world things they refer to.',
        failure: ['operational'],
        section: '2.1',
      },
      {
        kind: 'brittleness',
        text: 'Output can fail unpredictably on tasks unlike those it has seen.',
        failure: ['operational', 'ethical'],
        section: '2.1',
      },
      dataQuality('Biased or inaccurate training data show through in what it writes.'),
      {
        kind: 'autonomy',
        text: 'Given more autonomy and less human oversight, it may pursue unintended sub-goals that conflict with the public interest.',
        failure: ['ethical'],
        section: '2.1',
      },
    ],
    section: '2.1',
  },
};

/** The six competencies in the paper's order (section 2.1). */
export const COMPETENCIES: readonly Competency[] = deepFreeze(
  COMPETENCY_IDS.map((id) => BY_ID[id]),
);

export function isCompetencyId(value: unknown): value is CompetencyId {
  return (COMPETENCY_IDS as readonly unknown[]).includes(value);
}

/** Looks a competency up by id; throws a RangeError naming the valid ids for anything else. */
export function competency(id: string): Competency {
  if (!isCompetencyId(id)) {
    throw new RangeError(
      `Unknown AI competency "${id}"; the paper's six (section 2.1) are ${COMPETENCY_IDS.join(', ')}`,
    );
  }
  return BY_ID[id];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
