// The initiative's algorithmic transparency record: the UK Algorithmic Transparency Recording Standard
// (ATRS), version 3.0, with its published field names, reference numbers, order and required flags
// (the v3.0 template table in github.com/co-cddo/algorithmic-transparency-recording-standard). We fill
// every field the initiative can answer – its description, supplier arrangement (section 3.5), risks
// and mitigations (section 3.4), DPIA and ethics review – and list the required fields still empty,
// so a public body can publish how it uses AI (the public trust section 3.4 says the social licence
// to innovate rests on). Fields the initiative cannot fill stay empty; no field is invented.
import { csvField } from '../assessment/exports.ts';
import type { DpiaRecord } from './dpia.ts';
import { describeDpia, longDate } from './dpia.ts';
import type { EthicsReview, Risk } from './risks.ts';
import { IMPACT_LABELS, LIKELIHOOD_LABELS, riskRating, riskScore } from './risks.ts';
import type { CompetencyId, Initiative, InitiativeStatus } from './types.ts';

/** The version of the standard these fields follow. */
export const ATRS_VERSION = '3.0';
export const ATRS_NAME = 'Algorithmic Transparency Recording Standard';

/** The published categories (one sheet of the template each), in order. */
export type AtrsCategory =
  | 'Metadata'
  | 'Title Information'
  | 'Tier 1 Information'
  | 'Owner and Responsibility'
  | 'Description and Rationale'
  | 'Decision-making Process'
  | 'Tool Specification'
  | 'Model Specification'
  | 'Data Specification'
  | 'Risks, mitigations and impact assessments';

export interface AtrsField {
  /** The reference number, e.g. "2.1.3". */
  readonly reference: string;
  /** The attribute, e.g. "senior_responsible_owner". */
  readonly attribute: string;
  /** The published name, e.g. "Senior responsible owner". */
  readonly name: string;
  /** 1 or 2; null for metadata and title information ("N/A" in the standard). */
  readonly tier: 1 | 2 | null;
  readonly category: AtrsCategory;
  readonly required: boolean;
  /**
   * Who fills it: the organisation, or the ATRS team when it reviews and publishes the record (the
   * v2.1→v3.0 change log: the filtering metadata "will be completed by the reviewer"; the v3.0→v4.0
   * change log moved all of 0.1–0.10 to the publishing platform).
   */
  readonly completedBy: 'organisation' | 'atrs-team';
  /** Model and data specifications are copied once per model or dataset. */
  readonly repeats: 'model' | 'dataset' | null;
}

type Row = readonly [reference: string, attribute: string, name: string, required: boolean];

const section = (
  category: AtrsCategory,
  tier: 1 | 2 | null,
  rows: readonly Row[],
  extra: Partial<Pick<AtrsField, 'completedBy' | 'repeats'>> = {},
): AtrsField[] =>
  rows.map(([reference, attribute, name, required]) => ({
    reference,
    attribute,
    name,
    tier,
    category,
    required,
    completedBy: extra.completedBy ?? 'organisation',
    repeats: extra.repeats ?? null,
  }));

/** Every field of ATRS v3.0, in the standard's order. */
export const ATRS_FIELDS: readonly AtrsField[] = Object.freeze([
  ...section('Metadata', null, [['0.1', 'id', 'ID', true]], { completedBy: 'atrs-team' }),
  ...section('Metadata', null, [['0.2', 'standard_version', 'Standard version', true]]),
  ...section(
    'Metadata',
    null,
    [
      ['0.3', 'organisation_type', 'Organisation type', true],
      ['0.4', 'function', 'Function', true],
      ['0.5', 'capability', 'Capability', true],
      ['0.6', 'task', 'Task', true],
      ['0.7', 'tags', 'Tags', true],
      ['0.8', 'date_of_completion', 'Date of completion', true],
      ['0.9', 'date_updated', 'Date updated', true],
      ['0.10', 'date_archived', 'Date archived', true],
    ],
    { completedBy: 'atrs-team' },
  ),
  ...section('Title Information', null, [
    ['0.11', 'title', 'Title', true],
    ['0.12', 'organisation_name', 'Organisation name', true],
    ['0.13', 'phase', 'Phase', true],
    ['0.14', 'region', 'Region', true],
    ['0.15', 'one_sentence_description', 'One sentence description', true],
  ]),
  ...section('Tier 1 Information', 1, [
    ['1.1', 'name', 'Name', true],
    ['1.2', 'description', 'Description', true],
    ['1.3', 'website_url', 'Website URL', true],
    ['1.4', 'contact_email', 'Contact email', true],
  ]),
  ...section('Owner and Responsibility', 2, [
    ['2.1.1', 'organisation_or_department', 'Organisation or department', true],
    ['2.1.2', 'team', 'Team', true],
    ['2.1.3', 'senior_responsible_owner', 'Senior responsible owner', true],
    ['2.1.4', 'external_supplier_involvement', 'External supplier involvement', true],
    ['2.1.4.1', 'external_supplier', 'External supplier', false],
    ['2.1.4.2', 'companies_house_number', 'Companies House Number', false],
    ['2.1.4.3', 'external_supplier_role', 'External supplier role', false],
    ['2.1.4.4', 'procurement_procedure_type', 'Procurement procedure type', false],
    ['2.1.4.5', 'data_access_terms', 'Data access terms', false],
  ]),
  ...section('Description and Rationale', 2, [
    ['2.2.1', 'detailed_description', 'Detailed description', false],
    ['2.2.2', 'scope', 'Scope', true],
    ['2.2.3', 'benefit', 'Benefit', true],
    ['2.2.4', 'previous_process', 'Previous process', false],
    ['2.2.5', 'alternatives_considered', 'Alternatives considered', false],
  ]),
  ...section('Decision-making Process', 2, [
    ['2.3.1', 'process_integration', 'Process integration', true],
    ['2.3.2', 'provided_information', 'Provided information', true],
    ['2.3.3', 'frequency_and_scale_of_usage', 'Frequency and scale of usage', true],
    ['2.3.4', 'human_decisions_and_review', 'Human decisions and review', true],
    ['2.3.5', 'required_training', 'Required training', true],
    ['2.3.6', 'appeals_and_review', 'Appeals and review', false],
  ]),
  ...section('Tool Specification', 2, [
    ['2.4.1.1', 'system_architecture', 'System architecture', true],
    ['2.4.1.2', 'phase', 'Phase', true],
    ['2.4.1.3', 'maintenance', 'Maintenance', true],
    ['2.4.1.4', 'models', 'Models', true],
  ]),
  ...section(
    'Model Specification',
    2,
    [
      ['2.4.2.1', 'model_name', 'Model name', true],
      ['2.4.2.2', 'model_version', 'Model version', true],
      ['2.4.2.3', 'model_task', 'Model task', true],
      ['2.4.2.4', 'model_input', 'Model input', true],
      ['2.4.2.5', 'model_output', 'Model output', true],
      ['2.4.2.6', 'model_architecture', 'Model architecture', true],
      ['2.4.2.7', 'model_performance', 'Model performance', true],
      ['2.4.2.8', 'datasets', 'Datasets', true],
      ['2.4.2.9', 'dataset_purposes', 'Dataset purposes', true],
    ],
    { repeats: 'model' },
  ),
  ...section(
    'Data Specification',
    2,
    [
      ['2.4.3.1', 'source_data_name', 'Source data name', true],
      ['2.4.3.2', 'data_modality', 'Data modality', true],
      ['2.4.3.3', 'data_description', 'Data description', true],
      ['2.4.3.4', 'data_quantities', 'Data quantities', true],
      ['2.4.3.5', 'sensitive_attributes', 'Sensitive attributes', true],
      [
        '2.4.3.6',
        'data_completeness_and_representativeness',
        'Data completeness and representativeness',
        true,
      ],
      ['2.4.3.7', 'source_data_url', 'Source data URL', true],
      ['2.4.3.8', 'data_collection', 'Data collection', true],
      ['2.4.3.9', 'data_cleaning', 'Data cleaning', false],
      ['2.4.3.10', 'data_sharing_agreements', 'Data sharing agreements', true],
      ['2.4.3.11', 'data_access_and_storage', 'Data access and storage', true],
    ],
    { repeats: 'dataset' },
  ),
  ...section('Risks, mitigations and impact assessments', 2, [
    ['2.5.1', 'impact_assessment', 'Impact assessment', true],
    ['2.5.2', 'risks_and_mitigations', 'Risks and mitigations', true],
  ]),
]);

/** Answers keyed by reference number, e.g. { '1.4': 'ai-team@example.gov.uk' }. */
export type AtrsAnswers = Readonly<Record<string, string>>;

/** What the product knows besides the initiative itself. */
export interface TransparencyExtras {
  readonly organisationName: string;
  readonly risks?: readonly Risk[];
  readonly dpia?: DpiaRecord | null;
  readonly ethicsReview?: EthicsReview | null;
  /** The user's own answers to fields outside the model and data specifications; they win over prefills. */
  readonly answers?: AtrsAnswers;
  /** One set of answers (2.4.2.x) per model; the record always has at least one model section. */
  readonly models?: readonly AtrsAnswers[];
  /** One set of answers (2.4.3.x) per dataset; the record always has at least one data section. */
  readonly datasets?: readonly AtrsAnswers[];
}

export type AtrsValueSource = 'answer' | 'initiative' | 'product';

export interface AtrsEntry {
  readonly field: AtrsField;
  /** Which copy of a model or data section (1, 2 …); null for other fields. */
  readonly copy: number | null;
  /** Empty when nothing is known yet. */
  readonly value: string;
  readonly source: AtrsValueSource | null;
  /** Where a prefilled value came from, in plain words, so the user can check it. */
  readonly note: string | null;
}

export interface AtrsRecord {
  readonly standard: typeof ATRS_NAME;
  readonly version: typeof ATRS_VERSION;
  readonly initiativeId: string;
  readonly entries: readonly AtrsEntry[];
}

interface Prefill {
  readonly value: string;
  readonly note: string;
  readonly source?: AtrsValueSource;
}

const COMPETENCY_WORDS: Readonly<Record<CompetencyId, string>> = {
  'computer-vision': 'computer vision (software that reads images or video)',
  'natural-language-processing': 'natural language processing (software that reads text)',
  'speech-analytics': 'speech analytics (software that transcribes and analyses speech)',
  'predictive-analytics': 'predictive analytics (a model that estimates what is likely to happen)',
  chatbots: 'a chatbot that answers questions in conversation',
  'large-language-models': 'a large language model (AI that writes and summarises text)',
};

// The phases the v3.0 guidance names; a stopped initiative is left for the user to say.
function phaseOf(status: InitiativeStatus): Prefill | null {
  if (status === 'live' || status === 'evaluated') {
    return { value: 'Production', note: `From the initiative’s status (${status}).` };
  }
  if (status === 'stopped') return null;
  return { value: 'Pre-deployment', note: `From the initiative’s status (${status}).` };
}

const AFFECTED_WORDS = {
  staff: 'staff',
  public: 'members of the public',
  vulnerable: 'vulnerable people',
};

function prefills(initiative: Initiative, extras: TransparencyExtras): Map<string, Prefill> {
  const out = new Map<string, Prefill>();
  const set = (reference: string, value: string, note: string, source?: AtrsValueSource) => {
    if (value.trim() !== '')
      out.set(reference, { value: value.trim(), note, ...(source ? { source } : {}) });
  };
  set('0.2', ATRS_VERSION, 'The version of the standard this record follows.', 'product');
  set('0.11', initiative.title, 'From the initiative’s title.');
  set('0.12', extras.organisationName, 'The organisation’s name.');
  const phase = phaseOf(initiative.status);
  if (phase) {
    set('0.13', phase.value, phase.note);
    set('2.4.1.2', phase.value, phase.note);
  }
  set('1.1', initiative.title, 'From the initiative’s title.');
  set(
    '1.2',
    joinSentences(initiative.problem, `It uses ${COMPETENCY_WORDS[initiative.competency]}.`),
    'From the problem the initiative addresses and its AI competency.',
  );
  set('2.1.1', extras.organisationName, 'The organisation’s name.');

  const { supplier } = initiative;
  const inHouse = supplier.arrangement === 'in-house';
  set('2.1.4', inHouse ? 'No' : 'Yes', `From the supplier arrangement (${supplier.arrangement}).`);
  if (!inHouse) {
    set('2.1.4.1', supplier.suppliers, 'From the initiative’s supplier details.');
    const arrangement =
      supplier.arrangement === 'single-end-to-end'
        ? 'One supplier is responsible for the tool from end to end.'
        : 'Several suppliers each provide a separate component, and the organisation integrates them.';
    const owner: Record<typeof supplier.lockIn.modelOwner, string> = {
      organisation: 'The organisation owns the model.',
      supplier: 'The supplier owns the model.',
      shared: 'The organisation and the supplier share ownership of the model.',
      unknown: '',
    };
    set(
      '2.1.4.3',
      joinSentences(arrangement, owner[supplier.lockIn.modelOwner]),
      'From the supplier arrangement and model ownership (section 3.5).',
    );
  }

  const affected = initiative.affects.map((g) => AFFECTED_WORDS[g]);
  set(
    '2.2.2',
    joinSentences(
      initiative.problem,
      affected.length > 0 ? `It affects ${listWords(affected)}.` : '',
    ),
    'From the problem the initiative addresses and who it affects.',
  );
  set(
    '2.2.3',
    initiative.authorisingNarrative,
    'From the initiative’s authorising narrative: the priority it serves (section 3.2).',
  );

  const decisions = !initiative.decisionsAboutPeople
    ? 'The tool does not make or inform decisions about individual people.'
    : initiative.automatedDecisions
      ? 'The tool takes decisions about individual people without a person meaningfully reviewing each one.'
      : 'The tool informs decisions about individual people; a person takes each decision.';
  const roles = initiative.waysOfWorking.rolesThatChange.trim();
  set(
    '2.3.1',
    joinSentences(decisions, roles ? `Roles that change: ${roles}` : ''),
    'From whether it makes decisions about people, and the roles that change (section 3.3).',
  );
  if (initiative.decisionsAboutPeople) {
    set(
      '2.3.4',
      initiative.automatedDecisions
        ? 'Decisions are taken without meaningful human review.'
        : 'A person reviews the tool’s output and takes every decision about an individual.',
      'From whether decisions are automated.',
    );
  }
  set('2.3.5', initiative.waysOfWorking.training, 'From the training planned (section 3.3).');

  const assessments = [
    extras.dpia ? describeDpia(extras.dpia) : '',
    extras.ethicsReview ? describeEthicsReview(extras.ethicsReview) : '',
  ].filter(Boolean);
  set(
    '2.5.1',
    assessments.join('\n'),
    'From the DPIA screening and status, and the ethics review.',
    'product',
  );
  set(
    '2.5.2',
    describeRisks(extras.risks ?? []),
    'From the initiative’s risk register: every risk not closed, highest score first.',
    'product',
  );
  return out;
}

function datasetPrefills(initiative: Initiative): Map<string, Prefill> {
  const out = new Map<string, Prefill>();
  const { data } = initiative;
  if (data.description.trim() !== '') {
    out.set('2.4.3.3', {
      value: data.description.trim(),
      note: 'From the initiative’s description of its data.',
    });
  }
  const kinds = [
    data.personal ? 'personal data' : '',
    data.specialCategory ? 'special-category data (UK GDPR art. 9)' : '',
    data.criminalOffence ? 'criminal-offence data (UK GDPR art. 10)' : '',
  ].filter(Boolean);
  out.set('2.4.3.5', {
    value:
      kinds.length === 0
        ? 'None: the data includes no personal data.'
        : `The data includes ${listWords(kinds)}.`,
    note: 'From what the initiative says about its data.',
  });
  return out;
}

/**
 * The record, every field in the standard's order, prefilled where the initiative, its supplier
 * arrangement, risks, DPIA and ethics review can answer, and with the user's own answers on top.
 * Throws if an answer names a reference number the standard does not have, or one in the wrong
 * section (model answers belong to 2.4.2, dataset answers to 2.4.3).
 */
export function transparencyRecord(initiative: Initiative, extras: TransparencyExtras): AtrsRecord {
  checkAnswers(extras.answers ?? {}, null, 'answers');
  const models = extras.models && extras.models.length > 0 ? extras.models : [{}];
  const datasets = extras.datasets && extras.datasets.length > 0 ? extras.datasets : [{}];
  models.forEach((m, i) => checkAnswers(m, 'model', `model ${i + 1}`));
  datasets.forEach((d, i) => checkAnswers(d, 'dataset', `dataset ${i + 1}`));

  const fromInitiative = prefills(initiative, extras);
  const modelNames = models.map((m) => (m['2.4.2.1'] ?? '').trim()).filter(Boolean);
  if (modelNames.length > 0) {
    fromInitiative.set('2.4.1.4', {
      value: modelNames.join('\n'),
      note: 'From the names given in the model specifications.',
      source: 'product',
    });
  }
  // With one data section the initiative's own data description belongs to it; with several it
  // cannot be split between them.
  const fromData = datasets.length === 1 ? datasetPrefills(initiative) : new Map<string, Prefill>();

  const entry = (
    field: AtrsField,
    copy: number | null,
    answer: string | undefined,
    prefill: Prefill | undefined,
  ): AtrsEntry => {
    if (answer !== undefined && answer.trim() !== '') {
      return { field, copy, value: answer.trim(), source: 'answer', note: null };
    }
    if (prefill) {
      return {
        field,
        copy,
        value: prefill.value,
        source: prefill.source ?? 'initiative',
        note: prefill.note,
      };
    }
    return { field, copy, value: '', source: null, note: null };
  };

  const entries: AtrsEntry[] = [];
  const answers = extras.answers ?? {};
  for (const category of categoriesInOrder()) {
    const fields = ATRS_FIELDS.filter((f) => f.category === category);
    const repeats = fields[0]?.repeats ?? null;
    if (repeats === null) {
      for (const field of fields) {
        entries.push(
          entry(field, null, answers[field.reference], fromInitiative.get(field.reference)),
        );
      }
      continue;
    }
    const copies = repeats === 'model' ? models : datasets;
    copies.forEach((copyAnswers, index) => {
      for (const field of fields) {
        const prefill = repeats === 'dataset' ? fromData.get(field.reference) : undefined;
        entries.push(entry(field, index + 1, copyAnswers[field.reference], prefill));
      }
    });
  }
  return { standard: ATRS_NAME, version: ATRS_VERSION, initiativeId: initiative.id, entries };
}

function categoriesInOrder(): AtrsCategory[] {
  const seen: AtrsCategory[] = [];
  for (const f of ATRS_FIELDS) if (!seen.includes(f.category)) seen.push(f.category);
  return seen;
}

function checkAnswers(answers: AtrsAnswers, repeats: AtrsField['repeats'], where: string): void {
  for (const reference of Object.keys(answers)) {
    const field = ATRS_FIELDS.find((f) => f.reference === reference);
    if (!field) {
      throw new RangeError(
        `The ${where} name field ${reference}, which ATRS ${ATRS_VERSION} does not have`,
      );
    }
    if (field.repeats !== repeats) {
      const belongs =
        field.repeats === 'model'
          ? 'a model specification'
          : field.repeats === 'dataset'
            ? 'a data specification'
            : 'the main answers';
      throw new RangeError(
        `Field ${reference} (${field.name}) belongs in ${belongs}, not in the ${where}`,
      );
    }
    if (typeof answers[reference] !== 'string') {
      throw new RangeError(`The answer to field ${reference} (${field.name}) must be text`);
    }
  }
}

export interface MissingField {
  readonly reference: string;
  readonly name: string;
  readonly category: AtrsCategory;
  readonly copy: number | null;
}

/**
 * The required fields still empty, by their published names and in the standard's order. Fields the
 * ATRS team fills when it publishes (ID, the filtering metadata, the publication dates) are left out:
 * the organisation cannot fill them.
 */
export function missingRequiredFields(record: AtrsRecord): readonly MissingField[] {
  return record.entries
    .filter(
      (e) => e.field.required && e.field.completedBy === 'organisation' && e.value.trim() === '',
    )
    .map((e) => ({
      reference: e.field.reference,
      name: e.field.name,
      category: e.field.category,
      copy: e.copy,
    }));
}

/** "2.4.2.1 Model name (model 2)" */
export function describeField(field: MissingField): string {
  const copy =
    field.copy === null
      ? ''
      : ` (${field.category === 'Model Specification' ? 'model' : 'dataset'} ${field.copy})`;
  return `${field.reference} ${field.name}${copy}`;
}

/** The CSV's columns: the template table's own columns for a field, then the copy and the value. */
export const ATRS_CSV_COLUMNS = [
  'reference number',
  'attribute',
  'name',
  'tier',
  'category',
  'required',
  'copy',
  'value',
] as const;

/**
 * One row per field, in the standard's order, as its template lists them (a sheet per category,
 * a row per field); model and data sections repeat with their copy number. RFC 4180: fields with a
 * comma, quote or line break are quoted and quotes doubled; CRLF between rows.
 */
export function transparencyRecordCsv(record: AtrsRecord): string {
  const rows = [ATRS_CSV_COLUMNS.map((c) => csvField(c)).join(',')];
  for (const e of record.entries) {
    rows.push(
      [
        e.field.reference,
        e.field.attribute,
        e.field.name,
        e.field.tier === null ? 'N/A' : String(e.field.tier),
        e.field.category,
        e.field.required ? 'TRUE' : 'FALSE',
        e.copy === null ? '' : String(e.copy),
        e.value,
      ]
        .map((cell) => csvField(cell))
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}

export interface AtrsJson {
  readonly standard: typeof ATRS_NAME;
  readonly version: typeof ATRS_VERSION;
  readonly fields: readonly {
    readonly reference: string;
    readonly attribute: string;
    readonly name: string;
    readonly tier: 1 | 2 | null;
    readonly category: AtrsCategory;
    readonly required: boolean;
    readonly copy: number | null;
    readonly value: string;
  }[];
}

/** The JSON form: the same fields in the same order, with the standard and its version. */
export function transparencyRecordJson(record: AtrsRecord): AtrsJson {
  return {
    standard: record.standard,
    version: record.version,
    fields: record.entries.map((e) => ({
      reference: e.field.reference,
      attribute: e.field.attribute,
      name: e.field.name,
      tier: e.field.tier,
      category: e.field.category,
      required: e.field.required,
      copy: e.copy,
      value: e.value,
    })),
  };
}

function describeEthicsReview(review: EthicsReview): string {
  const by = review.reviewer.trim() ? ` by ${review.reviewer.trim()}` : '';
  const on = review.date ? ` on ${longDate(review.date)}` : '';
  switch (review.status) {
    case 'approved':
      return `Ethics review: approved${by}${on}.`;
    case 'rejected':
      return `Ethics review: rejected${by}${on}.`;
    case 'in-review':
      return `Ethics review: under way${by}.`;
    case 'not-started':
      return 'Ethics review: not started.';
  }
}

/** One line per risk not closed, highest score first: title, kind, score and mitigations. */
export function describeRisks(risks: readonly Risk[]): string {
  return risks
    .filter((r) => r.status !== 'closed')
    .map((r) => ({ risk: r, score: riskScore(r) }))
    .sort((a, b) => b.score - a.score || a.risk.title.localeCompare(b.risk.title, 'en-GB'))
    .map(({ risk, score }) => {
      const mitigation = risk.mitigations.trim() || 'none recorded yet';
      return (
        `${risk.title.trim()} (${risk.kind} risk; likelihood ${LIKELIHOOD_LABELS[risk.likelihood].toLowerCase()}, ` +
        `impact ${IMPACT_LABELS[risk.impact].toLowerCase()}: ${riskRating(score).label.toLowerCase()}). ` +
        `Mitigation: ${mitigation}`
      );
    })
    .join('\n');
}

function joinSentences(...parts: string[]): string {
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (/[.!?]$/.test(p) ? p : `${p}.`))
    .join(' ');
}

function listWords(words: readonly string[]): string {
  return words.length <= 1
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
