// The initiative's algorithmic transparency record (the UK Algorithmic Transparency Recording
// Standard, ATRS v3.0): generated from the register – the initiative, its supplier arrangement
// (section 3.5), its risks and mitigations (section 3.4), the DPIA screening and the ethics review –
// with the answers people type on top, keyed by reference number. The page shows tier 1 then tier 2
// as the standard groups them, with the required fields still empty listed first; the same record is
// downloaded as JSON and CSV in the standard's field order and shown as a plain printable page.
import { fileSlug } from '../downloads.ts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  ATRS_FIELDS,
  ATRS_NAME,
  ATRS_VERSION,
  describeField,
  missingRequiredFields,
  transparencyRecord,
  transparencyRecordCsv,
  transparencyRecordJson,
  type AtrsCategory,
  type AtrsEntry,
  type AtrsField,
  type AtrsRecord,
  type MissingField,
} from '../../domain/initiatives/transparency.ts';
import { nowIso } from '../../lib/ids.ts';
import type { StoredInitiative } from '../../storage/index.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import type { Services } from '../principal.ts';
import {
  governanceOf,
  TRANSPARENCY_LIMITS,
  transparencyAnswerProblem,
  type TransparencyAnswers,
} from './governance.ts';
import { governanceLinks, readRisks } from './risk-view.ts';
import { canChange, crumbs, initiativeFrom } from './shared.ts';

type Copy = { readonly kind: 'model' | 'dataset'; readonly number: number } | null;

// ----- Names and anchors -----------------------------------------------------------------------

const dashed = (reference: string) => reference.replace(/\./g, '-');

/** Where a field is shown on the record page: "f-2-1-3", "f-2-4-2-1-m1". */
function recordAnchor(reference: string, category: AtrsCategory, copy: number | null): string {
  const suffix = copy === null ? '' : `-${category === 'Model Specification' ? 'm' : 'd'}${copy}`;
  return `f-${dashed(reference)}${suffix}`;
}

/** A field's name (and id) on the form: "a-2-1-3", "m1-2-4-2-1", "d2-2-4-3-5". */
function inputName(reference: string, copy: Copy): string {
  return copy === null
    ? `a-${dashed(reference)}`
    : `${copy.kind === 'model' ? 'm' : 'd'}${copy.number}-${dashed(reference)}`;
}

/** The reverse of `inputName`, or null for a name the form does not have. */
function readInputName(name: string): { field: AtrsField; copy: Copy } | null {
  const match = /^(?:a|([md])(\d{1,2}))-(\d+(?:-\d+){0,3})$/.exec(name);
  if (!match) return null;
  const reference = (match[3] ?? '').replace(/-/g, '.');
  const field = ATRS_FIELDS.find((f) => f.reference === reference);
  if (!field || !typeable(field)) return null;
  const kind = match[1] === 'm' ? 'model' : match[1] === 'd' ? 'dataset' : null;
  if (field.repeats !== kind) return null;
  return { field, copy: kind === null ? null : { kind, number: Number(match[2]) } };
}

/** Fields a person types: those the organisation fills, except the standard's version. */
function typeable(field: AtrsField): boolean {
  return field.completedBy === 'organisation' && field.reference !== '0.2';
}

// Fields whose answer is a word, a name or an address rather than a paragraph.
const SHORT_FIELDS = new Set([
  '0.13',
  '0.14',
  '1.3',
  '1.4',
  '2.1.2',
  '2.1.3',
  '2.1.4',
  '2.1.4.2',
  '2.4.1.2',
  '2.4.2.1',
  '2.4.2.2',
  '2.4.3.1',
  '2.4.3.7',
]);

// ----- The record ------------------------------------------------------------------------------

interface Built {
  readonly record: AtrsRecord;
  readonly missing: readonly MissingField[];
  readonly answers: TransparencyAnswers | null;
}

/** The record generated from what the register holds, with the typed answers on top. */
async function buildRecord(request: FastifyRequest, stored: StoredInitiative): Promise<Built> {
  const [organisation, risks] = await Promise.all([
    request.scope.organisation(),
    request.scope.initiatives.risks(stored.initiative.id),
  ]);
  const governance = governanceOf(stored);
  const answers = governance.transparency;
  const record = transparencyRecord(stored.initiative, {
    organisationName: organisation.name,
    risks: readRisks(risks).risks.map((r) => r.risk),
    dpia: governance.dpia,
    ethicsReview: governance.ethicsReview,
    answers: answers?.answers ?? {},
    models: answers?.models ?? [],
    datasets: answers?.datasets ?? [],
  });
  return { record, missing: missingRequiredFields(record), answers };
}

const TIER_GROUPS: readonly { heading: string; intro: string; test: (f: AtrsField) => boolean }[] =
  [
    {
      heading: 'Tier 1 information',
      intro:
        'A short summary for members of the public: what the tool is, why it is used, and who to contact.',
      test: (f) => f.tier === 1,
    },
    {
      heading: 'Tier 2 information',
      intro:
        'The detail for specialists and the interested public: who is responsible, how the tool is used in decisions, the models and data, and the risks.',
      test: (f) => f.tier === 2,
    },
    {
      heading: 'Title information',
      intro: 'How the record is listed when it is published.',
      test: (f) => f.category === 'Title Information',
    },
    {
      heading: 'Metadata',
      intro:
        'Filled in by the ATRS team when it reviews and publishes the record, apart from the version of the standard.',
      test: (f) => f.category === 'Metadata',
    },
  ];

const SOURCE_WORDS = {
  answer: 'Typed in',
  initiative: 'Prefilled',
  product: 'Filled in by Throughline',
} as const;

function entryView(e: AtrsEntry, canEdit: boolean, base: string) {
  const copy: Copy =
    e.copy === null
      ? null
      : { kind: e.field.category === 'Model Specification' ? 'model' : 'dataset', number: e.copy };
  const missing = e.field.required && e.field.completedBy === 'organisation' && e.value === '';
  return {
    anchor: recordAnchor(e.field.reference, e.field.category, e.copy),
    reference: e.field.reference,
    name: e.field.name,
    required: e.field.required,
    atrsTeam: e.field.completedBy === 'atrs-team',
    lines: e.value === '' ? [] : e.value.split(/\r?\n/),
    source: e.source ? SOURCE_WORDS[e.source] : null,
    note: e.note,
    missing,
    changeHref:
      canEdit && typeable(e.field)
        ? `${base}/transparency/edit#${inputName(e.field.reference, copy)}`
        : null,
  };
}

/** The record as the page shows it: tier 1, tier 2, then title and metadata, each by category. */
function recordView(record: AtrsRecord, canEdit: boolean, base: string) {
  return TIER_GROUPS.map((group) => {
    const entries = record.entries.filter((e) => group.test(e.field));
    const sections: {
      heading: string | null;
      id: string;
      fields: ReturnType<typeof entryView>[];
    }[] = [];
    for (const e of entries) {
      const heading =
        e.copy === null
          ? e.field.category
          : `${e.field.category}: ${e.field.category === 'Model Specification' ? 'model' : 'dataset'} ${e.copy}`;
      let section = sections.find((s) => s.id === sectionId(heading));
      if (!section) {
        section = {
          // "Tier 1 information" holds one category of the same name: no second heading for it.
          heading: heading.toLowerCase() === group.heading.toLowerCase() ? null : heading,
          id: sectionId(heading),
          fields: [],
        };
        sections.push(section);
      }
      section.fields.push(entryView(e, canEdit, base));
    }
    return { heading: group.heading, intro: group.intro, sections };
  });
}

const sectionId = (heading: string) => `s-${heading.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

function missingView(missing: readonly MissingField[]) {
  return missing.map((m) => ({
    text: describeField(m),
    href: `#${recordAnchor(m.reference, m.category, m.copy)}`,
  }));
}

function fileName(stored: StoredInitiative, ext: 'json' | 'csv'): string {
  return `transparency-record-${fileSlug(stored.initiative.title, stored.initiative.id)}.${ext}`;
}

// ----- The form --------------------------------------------------------------------------------

type AnswerSet = Record<string, string>;

interface FormRead {
  readonly doc: { answers: AnswerSet; models: AnswerSet[]; datasets: AnswerSet[] };
  readonly errors: FormErrors | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkValue(field: AtrsField, value: string): string | null {
  const label = `${field.reference} ${field.name}`;
  if (value.length > TRANSPARENCY_LIMITS.answer) {
    return `${label} must be ${TRANSPARENCY_LIMITS.answer.toLocaleString('en-GB')} characters or fewer`;
  }
  if (value === '') return null;
  if (field.reference === '1.4' && !EMAIL.test(value)) {
    return `${label} must be an email address, like ai-team@example.gov.uk`;
  }
  if (field.reference === '1.3' || field.reference === '2.4.3.7') {
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      return `${label} must be a web address starting with https://`;
    }
  }
  return null;
}

/** Reads the form: every name must be a field of the form, every value text within its limit. */
function readForm(values: Record<string, unknown>): FormRead {
  const problems: [string, string][] = [];
  const answers: AnswerSet = {};
  const models = new Map<number, AnswerSet>();
  const datasets = new Map<number, AnswerSet>();
  for (const [name, raw] of Object.entries(values)) {
    if (name === 'add') continue;
    const known = readInputName(name);
    if (!known) {
      problems.push([
        'form',
        `The form sent a field the record does not have (“${name.slice(0, 40)}”): reload the page and try again`,
      ]);
      continue;
    }
    const { field, copy } = known;
    if (copy !== null && (copy.number < 1 || copy.number > TRANSPARENCY_LIMITS.copies)) {
      problems.push([
        name,
        `A record can describe at most ${TRANSPARENCY_LIMITS.copies} ${copy.kind === 'model' ? 'models' : 'datasets'}`,
      ]);
      continue;
    }
    if (typeof raw !== 'string') {
      problems.push([name, `Enter ${field.reference} ${field.name} once, as text`]);
      continue;
    }
    const value = raw.trim();
    const problem = checkValue(field, value);
    if (problem) {
      problems.push([name, problem]);
      continue;
    }
    if (value === '') continue;
    if (copy === null) answers[field.reference] = value;
    else {
      const sets = copy.kind === 'model' ? models : datasets;
      const set = sets.get(copy.number) ?? {};
      set[field.reference] = value;
      sets.set(copy.number, set);
    }
  }
  // Sections left empty are dropped; the rest keep their order.
  const ordered = (sets: Map<number, AnswerSet>) =>
    [...sets.entries()].sort((a, b) => a[0] - b[0]).map(([, set]) => set);
  const doc = { answers, models: ordered(models), datasets: ordered(datasets) };
  const problem =
    transparencyAnswerProblem(doc.answers, null) ??
    doc.models.map((m) => transparencyAnswerProblem(m, 'model')).find(Boolean) ??
    doc.datasets.map((d) => transparencyAnswerProblem(d, 'dataset')).find(Boolean);
  if (problem) problems.push(['form', problem]);
  return { doc, errors: problems.length > 0 ? formErrors(problems) : null };
}

/** The form's sections: main fields by category, then each model and each dataset. */
function formView(
  record: AtrsRecord,
  answers: TransparencyAnswers | null,
  values: Record<string, unknown> | null,
  counts: { models: number; datasets: number },
  fieldErrors: FormErrors['byField'] | undefined,
) {
  const prefills = new Map<string, string>();
  for (const e of record.entries) {
    if (e.source !== null && e.source !== 'answer' && e.copy === null) {
      prefills.set(e.field.reference, e.value);
    }
  }
  const stored = (field: AtrsField, copy: Copy): string => {
    if (copy === null) return answers?.answers[field.reference] ?? '';
    const sets = copy.kind === 'model' ? answers?.models : answers?.datasets;
    return sets?.[copy.number - 1]?.[field.reference] ?? '';
  };
  const input = (field: AtrsField, copy: Copy) => {
    const name = inputName(field.reference, copy);
    const typed = values?.[name];
    const prefill = copy === null ? prefills.get(field.reference) : undefined;
    return {
      name,
      label: `${field.reference} ${field.name}${field.required ? '' : ' (optional)'}`,
      short: SHORT_FIELDS.has(field.reference),
      value: values === null ? stored(field, copy) : typeof typed === 'string' ? typed : '',
      prefill: prefill ?? null,
      error: fieldErrors?.[name],
    };
  };
  const sections: { heading: string; id: string; inputs: ReturnType<typeof input>[] }[] = [];
  const main = ATRS_FIELDS.filter((f) => typeable(f) && f.repeats === null);
  const order: AtrsCategory[] = [
    'Tier 1 Information',
    'Owner and Responsibility',
    'Description and Rationale',
    'Decision-making Process',
    'Tool Specification',
    'Risks, mitigations and impact assessments',
    'Title Information',
  ];
  for (const category of order) {
    const fields = main.filter((f) => f.category === category);
    if (fields.length === 0) continue;
    sections.push({
      heading: category,
      id: sectionId(category),
      inputs: fields.map((f) => input(f, null)),
    });
  }
  for (const kind of ['model', 'dataset'] as const) {
    const category: AtrsCategory = kind === 'model' ? 'Model Specification' : 'Data Specification';
    const fields = ATRS_FIELDS.filter((f) => f.category === category);
    const count = kind === 'model' ? counts.models : counts.datasets;
    for (let n = 1; n <= count; n++) {
      sections.push({
        heading: `${category}: ${kind} ${n}`,
        id: `${kind === 'model' ? 'm' : 'd'}${n}`,
        inputs: fields.map((f) => input(f, { kind, number: n })),
      });
    }
  }
  return sections;
}

// ----- Routes ----------------------------------------------------------------------------------

export const transparencyRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const lead = { preHandler: requireRole('lead') };
  const signedIn = { preHandler: requireSignIn };

  app.get('/initiatives/:id/transparency', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const { record, missing, answers } = await buildRecord(request, stored);
    const base = `/initiatives/${stored.initiative.id}`;
    return reply.page('pages/initiatives/transparency/record.njk', {
      title: `Algorithmic transparency record: ${stored.initiative.title}`,
      stored,
      standard: { name: ATRS_NAME, version: ATRS_VERSION },
      groups: recordView(record, canChange(request), base),
      missing: missingView(missing),
      answers,
      canChange: canChange(request),
      base,
      links: governanceLinks(stored.initiative.id, `${base}/transparency`),
      breadcrumbs: crumbs(stored, { text: 'Transparency record' }),
    });
  });

  app.get('/initiatives/:id/transparency/print', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const { record, missing } = await buildRecord(request, stored);
    const base = `/initiatives/${stored.initiative.id}`;
    return reply.page('pages/initiatives/transparency/print.njk', {
      title: `Algorithmic transparency record: ${stored.initiative.title}`,
      stored,
      standard: { name: ATRS_NAME, version: ATRS_VERSION },
      groups: recordView(record, false, base),
      missing: missing.map((m) => describeField(m)),
      generatedAt: nowIso(),
      back: `${base}/transparency`,
    });
  });

  app.get('/initiatives/:id/transparency.json', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const { record } = await buildRecord(request, stored);
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName(stored, 'json')}"`)
      .send(`${JSON.stringify(transparencyRecordJson(record), null, 2)}\n`);
  });

  app.get('/initiatives/:id/transparency.csv', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const { record } = await buildRecord(request, stored);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName(stored, 'csv')}"`)
      .send(transparencyRecordCsv(record));
  });

  const editPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    stored: StoredInitiative,
    values: Record<string, unknown> | null,
    counts: { models: number; datasets: number },
    errors?: FormErrors,
  ) => {
    const { record, answers } = await buildRecord(request, stored);
    const base = `/initiatives/${stored.initiative.id}`;
    return reply.page('pages/initiatives/transparency/edit.njk', {
      title: 'Fill in the transparency record',
      stored,
      sections: formView(record, answers, values, counts, errors?.byField),
      canAddModel: counts.models < TRANSPARENCY_LIMITS.copies,
      canAddDataset: counts.datasets < TRANSPARENCY_LIMITS.copies,
      action: `${base}/transparency/edit`,
      cancel: `${base}/transparency`,
      breadcrumbs: crumbs(
        stored,
        { text: 'Transparency record', href: `${base}/transparency` },
        { text: 'Fill in' },
      ),
      ...(errors ? { errors: errors.list, fieldErrors: errors.byField } : {}),
    });
  };

  app.get('/initiatives/:id/transparency/edit', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const answers = governanceOf(stored).transparency;
    const add = (request.query as Record<string, unknown>).add;
    const cap = (n: number) => Math.min(n, TRANSPARENCY_LIMITS.copies);
    return editPage(request, reply, stored, null, {
      models: cap(Math.max(1, (answers?.models.length ?? 0) + (add === 'model' ? 1 : 0))),
      datasets: cap(Math.max(1, (answers?.datasets.length ?? 0) + (add === 'dataset' ? 1 : 0))),
    });
  });

  app.post('/initiatives/:id/transparency/edit', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const values =
      typeof request.body === 'object' && request.body !== null
        ? { ...(request.body as Record<string, unknown>) }
        : {};
    delete values._csrf;
    const { doc, errors } = readForm(values);
    if (errors) {
      // The form shows as many sections as were sent, so nothing typed disappears.
      const copies = (prefix: 'm' | 'd') =>
        Math.max(
          1,
          ...Object.keys(values).map((k) => {
            const n = new RegExp(`^${prefix}(\\d{1,2})-`).exec(k)?.[1];
            return n ? Math.min(Number(n), TRANSPARENCY_LIMITS.copies) : 1;
          }),
        );
      reply.code(400);
      return editPage(
        request,
        reply,
        stored,
        values,
        { models: copies('m'), datasets: copies('d') },
        errors,
      );
    }
    const record: TransparencyAnswers = {
      ...doc,
      recordedAt: nowIso(),
      recordedBy: request.principal?.userName ?? 'Unknown',
    };
    await request.scope.initiatives.setGovernance(stored.initiative.id, 'transparency', record);
    const base = `/initiatives/${stored.initiative.id}`;
    const add = values.add;
    if (add === 'model' || add === 'dataset') {
      const n = Math.min(
        Math.max(1, (add === 'model' ? doc.models.length : doc.datasets.length) + 1),
        TRANSPARENCY_LIMITS.copies,
      );
      reply.flash(`Saved. Describe the next ${add} below.`);
      return reply.redirect(
        `${base}/transparency/edit?add=${add}#${add === 'model' ? 'm' : 'd'}${n}`,
        303,
      );
    }
    reply.flash('Transparency record saved');
    return reply.redirect(`${base}/transparency`, 303);
  });
};
