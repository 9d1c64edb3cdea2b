import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { screenDpia, dpiaAnswersFromInitiative } from './dpia.ts';
import type { Risk } from './risks.ts';
import {
  ATRS_FIELDS,
  ATRS_VERSION,
  describeField,
  missingRequiredFields,
  transparencyRecord,
  transparencyRecordCsv,
  transparencyRecordJson,
} from './transparency.ts';
import type { AtrsRecord, TransparencyExtras } from './transparency.ts';
import type { Initiative } from './types.ts';
import { sampleInitiative } from '../../../test/helpers/initiatives.ts';

// ATRS v3.0 as published (template_table.md of co-cddo/algorithmic-transparency-recording-standard,
// "V3.0 (March 2024)"): reference number, name and required flag, in the standard's order.
const PUBLISHED_V3: readonly [string, string, boolean][] = [
  ['0.1', 'ID', true],
  ['0.2', 'Standard version', true],
  ['0.3', 'Organisation type', true],
  ['0.4', 'Function', true],
  ['0.5', 'Capability', true],
  ['0.6', 'Task', true],
  ['0.7', 'Tags', true],
  ['0.8', 'Date of completion', true],
  ['0.9', 'Date updated', true],
  ['0.10', 'Date archived', true],
  ['0.11', 'Title', true],
  ['0.12', 'Organisation name', true],
  ['0.13', 'Phase', true],
  ['0.14', 'Region', true],
  ['0.15', 'One sentence description', true],
  ['1.1', 'Name', true],
  ['1.2', 'Description', true],
  ['1.3', 'Website URL', true],
  ['1.4', 'Contact email', true],
  ['2.1.1', 'Organisation or department', true],
  ['2.1.2', 'Team', true],
  ['2.1.3', 'Senior responsible owner', true],
  ['2.1.4', 'External supplier involvement', true],
  ['2.1.4.1', 'External supplier', false],
  ['2.1.4.2', 'Companies House Number', false],
  ['2.1.4.3', 'External supplier role', false],
  ['2.1.4.4', 'Procurement procedure type', false],
  ['2.1.4.5', 'Data access terms', false],
  ['2.2.1', 'Detailed description', false],
  ['2.2.2', 'Scope', true],
  ['2.2.3', 'Benefit', true],
  ['2.2.4', 'Previous process', false],
  ['2.2.5', 'Alternatives considered', false],
  ['2.3.1', 'Process integration', true],
  ['2.3.2', 'Provided information', true],
  ['2.3.3', 'Frequency and scale of usage', true],
  ['2.3.4', 'Human decisions and review', true],
  ['2.3.5', 'Required training', true],
  ['2.3.6', 'Appeals and review', false],
  ['2.4.1.1', 'System architecture', true],
  ['2.4.1.2', 'Phase', true],
  ['2.4.1.3', 'Maintenance', true],
  ['2.4.1.4', 'Models', true],
  ['2.4.2.1', 'Model name', true],
  ['2.4.2.2', 'Model version', true],
  ['2.4.2.3', 'Model task', true],
  ['2.4.2.4', 'Model input', true],
  ['2.4.2.5', 'Model output', true],
  ['2.4.2.6', 'Model architecture', true],
  ['2.4.2.7', 'Model performance', true],
  ['2.4.2.8', 'Datasets', true],
  ['2.4.2.9', 'Dataset purposes', true],
  ['2.4.3.1', 'Source data name', true],
  ['2.4.3.2', 'Data modality', true],
  ['2.4.3.3', 'Data description', true],
  ['2.4.3.4', 'Data quantities', true],
  ['2.4.3.5', 'Sensitive attributes', true],
  ['2.4.3.6', 'Data completeness and representativeness', true],
  ['2.4.3.7', 'Source data URL', true],
  ['2.4.3.8', 'Data collection', true],
  ['2.4.3.9', 'Data cleaning', false],
  ['2.4.3.10', 'Data sharing agreements', true],
  ['2.4.3.11', 'Data access and storage', true],
  ['2.5.1', 'Impact assessment', true],
  ['2.5.2', 'Risks and mitigations', true],
];

const triage: Initiative = sampleInitiative({
  id: 'i-1',
  title: 'Planning application triage',
  problem: 'Planners are overwhelmed by complex applications, so decisions take months.',
  chainId: 'planning',
  stageId: 'manual-review',
  competency: 'natural-language-processing',
  ambition: 'bespoke',
  affects: ['staff', 'public'],
  data: {
    personal: true,
    specialCategory: false,
    criminalOffence: false,
    description: 'Planning applications and their supporting documents',
  },
  typologyCells: [3],
  technologyCost: 80_000,
  waysOfWorking: {
    rolesThatChange: 'Planning officers review flagged sections instead of reading every page',
    training: 'Half a day on reading the tool’s flags, and when to ignore them',
    frontlineInvolvement: '',
  },
  supplier: {
    arrangement: 'single-end-to-end',
    suppliers: 'Acme Planning Ltd',
    lockIn: { dataPortability: false, openFormats: false, exitPlan: false, modelOwner: 'supplier' },
  },
  authorisingNarrative: 'Cutting waiting times for planning decisions, a council priority',
  decisionsAboutPeople: true,
  status: 'approved',
});

const risks: Risk[] = [
  {
    id: 'r-1',
    initiativeId: 'i-1',
    kind: 'operational',
    title: 'Officers stop checking the flags',
    description: '',
    likelihood: 2,
    impact: 3,
    owner: 'Head of Planning',
    mitigations: 'Monthly sample checks of unflagged sections',
    status: 'mitigating',
    reviewDate: '2026-06-30',
    source: 'pre-mortem',
    escalatedTo: null,
  },
  {
    id: 'r-2',
    initiativeId: 'i-1',
    kind: 'ethical',
    title: 'Applications from some areas are flagged more often',
    description: '',
    likelihood: 3,
    impact: 4,
    owner: 'Head of Planning',
    mitigations: '',
    status: 'open',
    reviewDate: '2026-06-30',
    source: 'register',
    escalatedTo: null,
  },
  {
    id: 'r-3',
    initiativeId: 'i-1',
    kind: 'operational',
    title: 'Closed risk',
    description: '',
    likelihood: 5,
    impact: 5,
    owner: 'Head of Planning',
    mitigations: '',
    status: 'closed',
    reviewDate: '2026-01-01',
    source: 'register',
    escalatedTo: null,
  },
];

const extras: TransparencyExtras = {
  organisationName: 'Exampleshire County Council',
  risks,
  dpia: {
    status: 'completed',
    completedOn: '2026-02-03',
    screening: screenDpia(dpiaAnswersFromInitiative(triage).answers),
  },
  ethicsReview: {
    status: 'approved',
    reviewer: 'Data ethics committee',
    date: '2026-02-10',
    notes: '',
  },
};

const value = (record: AtrsRecord, reference: string, copy: number | null = null) =>
  record.entries.find((e) => e.field.reference === reference && e.copy === copy)?.value;

describe('the ATRS fields', () => {
  it('follow the published v3.0 list: names, order and required flags', () => {
    expect(ATRS_VERSION).toBe('3.0');
    expect(ATRS_FIELDS.map((f) => [f.reference, f.name, f.required])).toEqual(PUBLISHED_V3);
  });

  it('leave ID, the filtering metadata and the publication dates to the ATRS team', () => {
    expect(
      ATRS_FIELDS.filter((f) => f.completedBy === 'atrs-team').map((f) => f.reference),
    ).toEqual(['0.1', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9', '0.10']);
  });
});

describe('transparencyRecord', () => {
  const record = transparencyRecord(triage, extras);

  it('prefills what the initiative, its supplier, risks, DPIA and ethics review can say', () => {
    expect(value(record, '0.2')).toBe('3.0');
    expect(value(record, '0.11')).toBe('Planning application triage');
    expect(value(record, '0.12')).toBe('Exampleshire County Council');
    expect(value(record, '0.13')).toBe('Pre-deployment');
    expect(value(record, '2.4.1.2')).toBe('Pre-deployment');
    expect(value(record, '1.1')).toBe('Planning application triage');
    expect(value(record, '1.2')).toBe(
      'Planners are overwhelmed by complex applications, so decisions take months. It uses natural language processing (software that reads text).',
    );
    expect(value(record, '2.1.1')).toBe('Exampleshire County Council');
    expect(value(record, '2.1.4')).toBe('Yes');
    expect(value(record, '2.1.4.1')).toBe('Acme Planning Ltd');
    expect(value(record, '2.1.4.3')).toBe(
      'One supplier is responsible for the tool from end to end. The supplier owns the model.',
    );
    expect(value(record, '2.2.2')).toBe(
      'Planners are overwhelmed by complex applications, so decisions take months. It affects staff and members of the public.',
    );
    expect(value(record, '2.2.3')).toBe(
      'Cutting waiting times for planning decisions, a council priority',
    );
    expect(value(record, '2.3.1')).toBe(
      'The tool informs decisions about individual people; a person takes each decision. Roles that change: Planning officers review flagged sections instead of reading every page.',
    );
    expect(value(record, '2.3.4')).toBe(
      'A person reviews the tool’s output and takes every decision about an individual.',
    );
    expect(value(record, '2.3.5')).toBe(
      'Half a day on reading the tool’s flags, and when to ignore them',
    );
    expect(value(record, '2.4.3.3', 1)).toBe(
      'Planning applications and their supporting documents',
    );
    expect(value(record, '2.4.3.5', 1)).toBe('The data includes personal data.');
    expect(value(record, '2.5.1')).toBe(
      'Data protection impact assessment (DPIA): completed on 3 February 2026. The screening found a DPIA recommended.\n' +
        'Ethics review: approved by Data ethics committee on 10 February 2026.',
    );
    expect(value(record, '2.5.2')).toBe(
      'Applications from some areas are flagged more often (ethical risk; likelihood possible, impact major: high). Mitigation: none recorded yet\n' +
        'Officers stop checking the flags (operational risk; likelihood unlikely, impact moderate: moderate). Mitigation: Monthly sample checks of unflagged sections',
    );
    const note = record.entries.find((e) => e.field.reference === '2.1.4.3')?.note;
    expect(note).toBe('From the supplier arrangement and model ownership (section 3.5).');
  });

  it('says "No" to supplier involvement for an in-house tool and leaves supplier fields empty', () => {
    const inHouse = transparencyRecord(
      { ...triage, supplier: { ...triage.supplier, arrangement: 'in-house', suppliers: '' } },
      extras,
    );
    expect(value(inHouse, '2.1.4')).toBe('No');
    expect(value(inHouse, '2.1.4.1')).toBe('');
    expect(value(inHouse, '2.1.4.3')).toBe('');
  });

  it('lets the user’s answers win, with one model section per model', () => {
    const answered = transparencyRecord(triage, {
      ...extras,
      answers: {
        '1.2': 'Helps planners find the parts of an application that need attention.',
        '1.4': 'planning-ai@example.gov.uk',
      },
      models: [{ '2.4.2.1': 'Section classifier' }, { '2.4.2.1': 'Summary model', '2.4.2.2': '2' }],
    });
    expect(value(answered, '1.2')).toBe(
      'Helps planners find the parts of an application that need attention.',
    );
    expect(answered.entries.find((e) => e.field.reference === '1.2')?.source).toBe('answer');
    expect(value(answered, '2.4.1.4')).toBe('Section classifier\nSummary model');
    expect(
      answered.entries
        .filter((e) => e.field.category === 'Model Specification')
        .map((e) => `${e.copy}:${e.field.reference}`),
    ).toEqual([
      ...PUBLISHED_V3.filter(([r]) => r.startsWith('2.4.2.')).map(([r]) => `1:${r}`),
      ...PUBLISHED_V3.filter(([r]) => r.startsWith('2.4.2.')).map(([r]) => `2:${r}`),
    ]);
    expect(value(answered, '2.4.2.2', 2)).toBe('2');
  });

  it('refuses answers to fields the standard does not have, or in the wrong section', () => {
    expect(() => transparencyRecord(triage, { ...extras, answers: { '1.5': 'x' } })).toThrow(
      'The answers name field 1.5, which ATRS 3.0 does not have',
    );
    expect(() => transparencyRecord(triage, { ...extras, answers: { '2.4.2.1': 'x' } })).toThrow(
      'Field 2.4.2.1 (Model name) belongs in a model specification, not in the answers',
    );
    expect(() => transparencyRecord(triage, { ...extras, datasets: [{ '1.1': 'x' }] })).toThrow(
      'Field 1.1 (Name) belongs in the main answers, not in the dataset 1',
    );
  });
});

describe('missingRequiredFields', () => {
  it('lists the required fields still empty, by published name, in order', () => {
    const missing = missingRequiredFields(transparencyRecord(triage, extras));
    expect(missing.map(describeField)).toEqual([
      '0.14 Region',
      '0.15 One sentence description',
      '1.3 Website URL',
      '1.4 Contact email',
      '2.1.2 Team',
      '2.1.3 Senior responsible owner',
      '2.3.2 Provided information',
      '2.3.3 Frequency and scale of usage',
      '2.4.1.1 System architecture',
      '2.4.1.3 Maintenance',
      '2.4.1.4 Models',
      '2.4.2.1 Model name (model 1)',
      '2.4.2.2 Model version (model 1)',
      '2.4.2.3 Model task (model 1)',
      '2.4.2.4 Model input (model 1)',
      '2.4.2.5 Model output (model 1)',
      '2.4.2.6 Model architecture (model 1)',
      '2.4.2.7 Model performance (model 1)',
      '2.4.2.8 Datasets (model 1)',
      '2.4.2.9 Dataset purposes (model 1)',
      '2.4.3.1 Source data name (dataset 1)',
      '2.4.3.2 Data modality (dataset 1)',
      '2.4.3.4 Data quantities (dataset 1)',
      '2.4.3.6 Data completeness and representativeness (dataset 1)',
      '2.4.3.7 Source data URL (dataset 1)',
      '2.4.3.8 Data collection (dataset 1)',
      '2.4.3.10 Data sharing agreements (dataset 1)',
      '2.4.3.11 Data access and storage (dataset 1)',
    ]);
  });

  it('drops a field once it is answered', () => {
    const record = transparencyRecord(triage, {
      ...extras,
      answers: { '0.14': 'England', '1.4': 'ai@example.gov.uk' },
    });
    const names = missingRequiredFields(record).map((m) => m.reference);
    expect(names).not.toContain('0.14');
    expect(names).not.toContain('1.4');
    expect(names).toContain('1.3');
  });
});

describe('the CSV and JSON forms', () => {
  const record = transparencyRecord(triage, {
    ...extras,
    answers: {
      '2.2.4': 'Officers read each "complex" case, then\nwrote notes, by hand',
      '1.3': '=HYPERLINK("http://example.com")',
    },
  });

  it('writes one row per field in the standard’s order, quoted as RFC 4180 asks', () => {
    const csv = transparencyRecordCsv(record);
    expect(csv.split('\r\n')[0]).toBe(
      'reference number,attribute,name,tier,category,required,copy,value',
    );
    expect(csv).toContain(
      '2.2.4,previous_process,Previous process,2,Description and Rationale,FALSE,,"Officers read each ""complex"" case, then\nwrote notes, by hand"\r\n',
    );
    expect(csv).toContain('"Risks, mitigations and impact assessments"');
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(record.entries.length);
    expect(rows.map((r) => r['reference number'])).toEqual(
      record.entries.map((e) => e.field.reference),
    );
    expect(rows.find((r) => r['reference number'] === '2.2.4')?.value).toBe(
      'Officers read each "complex" case, then\nwrote notes, by hand',
    );
    // A formula is neutralised, as in every export of the product.
    expect(rows.find((r) => r['reference number'] === '1.3')?.value).toBe(
      '\'=HYPERLINK("http://example.com")',
    );
    expect(rows.find((r) => r['reference number'] === '0.1')?.tier).toBe('N/A');
    expect(rows.find((r) => r['reference number'] === '2.4.2.1')?.copy).toBe('1');
  });

  it('writes the same fields as JSON with the standard and its version', () => {
    const json = transparencyRecordJson(record);
    expect([json.standard, json.version]).toEqual([
      'Algorithmic Transparency Recording Standard',
      '3.0',
    ]);
    expect(json.fields.map((f) => f.reference)).toEqual(
      record.entries.map((e) => e.field.reference),
    );
    expect(json.fields.find((f) => f.reference === '2.1.3')).toEqual({
      reference: '2.1.3',
      attribute: 'senior_responsible_owner',
      name: 'Senior responsible owner',
      tier: 2,
      category: 'Owner and Responsibility',
      required: true,
      copy: null,
      value: '',
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
