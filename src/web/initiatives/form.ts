// The register's form, both ways: a flat HTML form body (GOV.UK inputs, radios and checkboxes, rows of
// complementary investments) becomes the initiative as the domain's schema reads it, and the
// schema's issues become messages beside the right fields. Works without JavaScript: the form always
// offers two blank investment rows more than it has, and blank rows are ignored.
import { COMPETENCIES } from '../../domain/initiatives/competencies.ts';
import type { InitiativeInput, InitiativeIssue } from '../../domain/initiatives/schema.ts';
import { MAX_INVESTMENTS } from '../../domain/initiatives/schema.ts';
import {
  AFFECTED_GROUPS,
  AMBITIONS,
  INVESTMENT_KINDS,
  SUPPLIER_ARRANGEMENTS,
  type Initiative,
} from '../../domain/initiatives/types.ts';
import { TYPOLOGY_CELLS } from '../../domain/chain/typology.ts';
import type { StoredChain } from '../../storage/index.ts';
import { formErrors, type FormErrors } from '../forms.ts';

type Body = Record<string, unknown>;

/** Blank investment rows offered beyond those already filled in. */
export const SPARE_INVESTMENT_ROWS = 2;

function text(body: Body, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}

function list(body: Body, name: string): string[] {
  const value = body[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

function yesNo(body: Body, name: string): boolean | undefined {
  const value = text(body, name);
  return value === 'yes' ? true : value === 'no' ? false : undefined;
}

/** "£25,000" and "25 000" read as 25000; anything else is passed on for the schema to refuse. */
function pounds(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const cleaned = value.replace(/[£,\s]/g, '');
  if (cleaned === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : value;
}

/** Indexes of the investment rows present in the body (inv-N-…), in order. */
function investmentRows(body: Body): number[] {
  const rows = new Set<number>();
  for (const key of Object.keys(body)) {
    const match = /^inv-(\d{1,3})-(kind|description|cost|owner)$/.exec(key);
    if (match) rows.add(Number(match[1]));
  }
  return [...rows].sort((a, b) => a - b).slice(0, MAX_INVESTMENTS + SPARE_INVESTMENT_ROWS + 1);
}

/** The flat form body as the nested object `parseInitiativeInput` checks. */
export function initiativeFromForm(body: Body): Record<string, unknown> {
  const [chainId, stageId] = (text(body, 'chainStage') ?? '').split('/');
  const investments = investmentRows(body)
    .map((n) => ({
      kind: text(body, `inv-${n}-kind`) ?? '',
      description: text(body, `inv-${n}-description`) ?? '',
      cost: pounds(text(body, `inv-${n}-cost`)),
      owner: text(body, `inv-${n}-owner`) ?? '',
    }))
    .filter(
      (row) =>
        row.kind !== '' ||
        row.description.trim() !== '' ||
        row.cost !== undefined ||
        row.owner.trim() !== '',
    );
  return {
    title: text(body, 'title') ?? '',
    problem: text(body, 'problem') ?? '',
    chainId: chainId || null,
    stageId: stageId || null,
    competency: text(body, 'competency'),
    ambition: text(body, 'ambition'),
    affects: list(body, 'affects'),
    data: {
      personal: yesNo(body, 'data-personal'),
      specialCategory: yesNo(body, 'data-specialCategory'),
      criminalOffence: yesNo(body, 'data-criminalOffence'),
      description: text(body, 'data-description') ?? '',
    },
    decisionsAboutPeople: yesNo(body, 'decisionsAboutPeople'),
    automatedDecisions: yesNo(body, 'automatedDecisions'),
    typologyCells: list(body, 'typologyCells').map((c) => (/^\d$/.test(c) ? Number(c) : c)),
    technologyCost: pounds(text(body, 'technologyCost')) ?? 0,
    investments: investments.map((row) => ({ ...row, cost: row.cost ?? '' })),
    waysOfWorking: {
      rolesThatChange: text(body, 'wow-rolesThatChange') ?? '',
      training: text(body, 'wow-training') ?? '',
      frontlineInvolvement: text(body, 'wow-frontlineInvolvement') ?? '',
    },
    supplier: {
      arrangement: text(body, 'supplier-arrangement'),
      suppliers: text(body, 'supplier-suppliers') ?? '',
      lockIn: {
        dataPortability: yesNo(body, 'lockin-dataPortability') ?? false,
        openFormats: yesNo(body, 'lockin-openFormats') ?? false,
        exitPlan: yesNo(body, 'lockin-exitPlan') ?? false,
        modelOwner: text(body, 'lockin-modelOwner') || 'unknown',
      },
    },
    authorisingNarrative: text(body, 'authorisingNarrative') ?? '',
  };
}

/** The form field an issue of the schema belongs to (the id its error summary links to). */
export function fieldOf(path: string): string {
  const parts = path.split('.');
  const [head, second, third] = parts;
  switch (head) {
    case 'chainId':
    case 'stageId':
      return 'chainStage';
    case 'affects':
    case 'typologyCells':
      return head;
    case 'data':
      return second ? `data-${second}` : 'data-personal';
    case 'waysOfWorking':
      return `wow-${second ?? 'rolesThatChange'}`;
    case 'investments':
      return second !== undefined && /^\d+$/.test(second)
        ? `inv-${second}-${third ?? 'kind'}`
        : 'inv-0-kind';
    case 'supplier':
      if (second === 'lockIn') return `lockin-${third ?? 'dataPortability'}`;
      return `supplier-${second ?? 'arrangement'}`;
    case undefined:
    case '':
      return 'title';
    default:
      return head;
  }
}

export function issuesAsErrors(issues: readonly InitiativeIssue[]): FormErrors {
  return formErrors(issues.map((i) => [fieldOf(i.path), i.message] as [string, string]));
}

/** An initiative as the flat values the form shows (for editing). */
export function formValues(initiative: InitiativeInput | Initiative): Record<string, unknown> {
  const values: Record<string, unknown> = {
    title: initiative.title,
    problem: initiative.problem,
    chainStage: initiative.chainId
      ? initiative.stageId
        ? `${initiative.chainId}/${initiative.stageId}`
        : initiative.chainId
      : '',
    competency: initiative.competency,
    ambition: initiative.ambition,
    affects: [...initiative.affects],
    'data-personal': initiative.data.personal ? 'yes' : 'no',
    'data-specialCategory': initiative.data.specialCategory ? 'yes' : 'no',
    'data-criminalOffence': initiative.data.criminalOffence ? 'yes' : 'no',
    'data-description': initiative.data.description,
    decisionsAboutPeople: initiative.decisionsAboutPeople ? 'yes' : 'no',
    automatedDecisions: initiative.automatedDecisions ? 'yes' : 'no',
    typologyCells: initiative.typologyCells.map(String),
    technologyCost: String(initiative.technologyCost),
    'wow-rolesThatChange': initiative.waysOfWorking.rolesThatChange,
    'wow-training': initiative.waysOfWorking.training,
    'wow-frontlineInvolvement': initiative.waysOfWorking.frontlineInvolvement,
    'supplier-arrangement': initiative.supplier.arrangement,
    'supplier-suppliers': initiative.supplier.suppliers,
    'lockin-dataPortability': initiative.supplier.lockIn.dataPortability ? 'yes' : 'no',
    'lockin-openFormats': initiative.supplier.lockIn.openFormats ? 'yes' : 'no',
    'lockin-exitPlan': initiative.supplier.lockIn.exitPlan ? 'yes' : 'no',
    'lockin-modelOwner': initiative.supplier.lockIn.modelOwner,
    authorisingNarrative: initiative.authorisingNarrative,
  };
  initiative.investments.forEach((inv, n) => {
    values[`inv-${n}-kind`] = inv.kind;
    values[`inv-${n}-description`] = inv.description;
    values[`inv-${n}-cost`] = String(inv.cost);
    values[`inv-${n}-owner`] = inv.owner;
  });
  return values;
}

const AMBITION_WORDS = {
  pilot: {
    text: 'An off-the-shelf automation or a low-risk pilot',
    hint: 'A product others already use, tried on a small scale, easy to stop. Adequate capability may be enough (section 3).',
  },
  bespoke: {
    text: 'A bespoke or high-stakes system',
    hint: 'Built or tailored for you, or one that informs decisions about people. Needs Good capability or better (section 3).',
  },
  'system-wide': {
    text: 'A system-wide change or a new delivery chain',
    hint: 'Reorganises how a whole service is delivered (section 2.2.2). Needs Good or Outstanding capability (section 3).',
  },
} as const;

const COLUMN_WORDS = {
  budgetary: 'budgetary efficiency',
  operational: 'operational efficiency',
  effectiveness: 'effectiveness',
} as const;

export const AFFECTED_WORDS = {
  staff: 'Staff only',
  public: 'The public',
  vulnerable:
    'Vulnerable groups (for example children, people in crisis, people who lack capacity)',
} as const;

export const SUPPLIER_WORDS = {
  'in-house': {
    text: 'Built and run in-house',
    hint: 'Your own staff build and run it.',
  },
  'single-end-to-end': {
    text: 'One supplier, end to end',
    hint: 'A single contract for the whole thing: simple to manage, but the riskiest arrangement and the easiest to be locked into (section 3.5).',
  },
  'modular-multi-supplier': {
    text: 'Several suppliers, each for a part',
    hint: 'Smaller contracts you can replace one at a time: less risk and lock-in, but you must integrate them (section 3.5).',
  },
} as const;

export const INVESTMENT_WORDS = {
  data: 'Data (collecting, cleaning, sharing)',
  infrastructure: 'Digital infrastructure',
  skills: 'Skills and training',
  'process-redesign': 'Redesigning the process',
} as const;

export const MODEL_OWNER_WORDS = {
  organisation: 'We do',
  supplier: 'The supplier does',
  shared: 'Shared',
  unknown: 'Not known yet',
} as const;

type Chains = readonly Pick<StoredChain, 'id' | 'name' | 'model'>[];

/** Everything the form template needs besides the values and errors. */
export function formChoices(chains: Chains, values: Record<string, unknown>) {
  const chosen = (name: string, value: string) => {
    const v = values[name];
    return Array.isArray(v) ? v.includes(value) : v === value;
  };
  const yesNoItems = (name: string) => [
    { value: 'yes', text: 'Yes', checked: chosen(name, 'yes') },
    { value: 'no', text: 'No', checked: chosen(name, 'no') },
  ];
  const filledRows = investmentRowsOf(values);
  return {
    chainStageItems: [
      { value: '', text: 'Not tied to a delivery chain' },
      ...chains.flatMap((c) => [
        { value: c.id, text: `${c.name} (the whole chain)` },
        ...c.model.stages.map((s) => ({ value: `${c.id}/${s.id}`, text: `${c.name}: ${s.name}` })),
      ]),
    ].map((item) => ({ ...item, selected: values.chainStage === item.value })),
    competencyItems: COMPETENCIES.map((c) => ({
      value: c.id,
      text: c.name,
      hint: { text: `${c.summary} Watch for: ${c.limits.map((l) => l.text).join(' ')}` },
      checked: chosen('competency', c.id),
    })),
    ambitionItems: AMBITIONS.map((a) => ({
      value: a,
      text: AMBITION_WORDS[a].text,
      hint: { text: AMBITION_WORDS[a].hint },
      checked: chosen('ambition', a),
    })),
    affectsItems: AFFECTED_GROUPS.map((g) => ({
      value: g,
      text: AFFECTED_WORDS[g],
      checked: chosen('affects', g),
    })),
    typologyItems: TYPOLOGY_CELLS.map((cell) => ({
      value: String(cell.cell),
      text: `${cell.cell}. ${cell.row === 'substitution' ? 'Substitution' : 'Technical'} improvement in ${COLUMN_WORDS[cell.column]}`,
      hint: { text: `${cell.meaning[0]?.toUpperCase() ?? ''}${cell.meaning.slice(1)}` },
      checked: chosen('typologyCells', String(cell.cell)),
    })),
    supplierItems: SUPPLIER_ARRANGEMENTS.map((a) => ({
      value: a,
      text: SUPPLIER_WORDS[a].text,
      hint: { text: SUPPLIER_WORDS[a].hint },
      checked: chosen('supplier-arrangement', a),
    })),
    modelOwnerItems: (Object.keys(MODEL_OWNER_WORDS) as (keyof typeof MODEL_OWNER_WORDS)[]).map(
      (o) => ({ value: o, text: MODEL_OWNER_WORDS[o], checked: chosen('lockin-modelOwner', o) }),
    ),
    yesNo: {
      personal: yesNoItems('data-personal'),
      specialCategory: yesNoItems('data-specialCategory'),
      criminalOffence: yesNoItems('data-criminalOffence'),
      decisionsAboutPeople: yesNoItems('decisionsAboutPeople'),
      automatedDecisions: yesNoItems('automatedDecisions'),
      dataPortability: yesNoItems('lockin-dataPortability'),
      openFormats: yesNoItems('lockin-openFormats'),
      exitPlan: yesNoItems('lockin-exitPlan'),
    },
    investmentRows: Array.from(
      { length: Math.min(filledRows + SPARE_INVESTMENT_ROWS, MAX_INVESTMENTS) },
      (_, n) => ({
        n,
        kindItems: [
          { value: '', text: 'Choose a kind' },
          ...INVESTMENT_KINDS.map((k) => ({ value: k, text: INVESTMENT_WORDS[k] })),
        ].map((item) => ({ ...item, selected: values[`inv-${n}-kind`] === item.value })),
      }),
    ),
  };
}

/** How many investment rows the values fill (the highest row index with anything in it, plus one). */
function investmentRowsOf(values: Record<string, unknown>): number {
  let rows = 0;
  for (const [key, value] of Object.entries(values)) {
    const match = /^inv-(\d{1,3})-/.exec(key);
    if (match && typeof value === 'string' && value.trim() !== '') {
      rows = Math.max(rows, Number(match[1]) + 1);
    }
  }
  return rows;
}
