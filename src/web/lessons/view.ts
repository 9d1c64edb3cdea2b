// What the lessons pages show and read: the search and its filters as a GET form (checked, each
// mistake named), a short extract of each result with the words searched for marked, one lesson in
// the standard template, and the lesson form as typed (the domain's lessonSchemaFor does the
// checking; the organisation's own initiatives are checked here).
import type { z } from 'zod';
import type { Capability } from '../../domain/framework/index.ts';
import {
  EVALUATION_OUTCOMES,
  OUTCOME_WORDS,
  type EvaluationOutcome,
} from '../../domain/initiatives/evaluation.ts';
import { COMPETENCY_WORDS, type Lesson } from '../../domain/initiatives/lessons.ts';
import { AMBITIONS, type Ambition, type CompetencyId } from '../../domain/initiatives/types.ts';
import type { LessonQuery, StoredLesson } from '../../storage/index.ts';
import { formErrors, type FormErrors } from '../forms.ts';

/** A lesson as stored: the template, and the evaluation it was drafted from, if any. */
export type LessonDocument = Lesson & { readonly evaluationId: string | null };

/** Longest search accepted, in characters. */
export const MAX_SEARCH = 200;
/** Most results listed at once; the page says when there are more. */
export const MAX_RESULTS = 100;

const COMPETENCIES = Object.keys(COMPETENCY_WORDS) as CompetencyId[];

export const AMBITION_LABELS: Readonly<Record<Ambition, { text: string; hint: string }>> = {
  pilot: { text: 'Pilot', hint: 'An off-the-shelf tool or a low-risk pilot' },
  bespoke: {
    text: 'Bespoke',
    hint: 'A bespoke or high-stakes system, such as one that informs decisions about people',
  },
  'system-wide': {
    text: 'System-wide',
    hint: 'A change across the whole system, or a new delivery chain',
  },
};

export const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export const competencyName = (id: string): string =>
  capitalise(COMPETENCY_WORDS[id as CompetencyId] ?? id);

export const outcomeName = (id: string): string =>
  capitalise(OUTCOME_WORDS[id as EvaluationOutcome] ?? id);

// ---------------------------------------------------------------------------------------------
// Searching

export interface SearchRead {
  readonly query: LessonQuery;
  /** What was asked, as the form shows it again. */
  readonly values: Readonly<
    Record<'q' | 'competency' | 'capability' | 'ambition' | 'outcome', string>
  >;
  readonly errors: FormErrors | null;
}

/** Reads `/lessons?q=…&competency=…`: every filter must be one of the form's own choices. */
export function readSearch(raw: unknown, capabilities: readonly Capability[]): SearchRead {
  const source = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const errors: [string, string][] = [];
  const values = { q: '', competency: '', capability: '', ambition: '', outcome: '' };
  const take = (name: keyof typeof values, what: string): string => {
    const v = source[name];
    if (v === undefined) return '';
    if (typeof v !== 'string') {
      errors.push([name, `Choose one ${what}`]);
      return '';
    }
    return v.trim();
  };
  values.q = take('q', 'set of search words');
  if (values.q.length > MAX_SEARCH) {
    errors.push(['q', `Search words must be ${MAX_SEARCH} characters or fewer`]);
    values.q = values.q.slice(0, MAX_SEARCH);
  }
  const choose = (
    name: 'competency' | 'capability' | 'ambition' | 'outcome',
    what: string,
    allowed: readonly string[],
  ) => {
    const v = take(name, what);
    if (v !== '' && !allowed.includes(v)) {
      errors.push([name, `Choose ${what} from the list`]);
      return '';
    }
    values[name] = v;
    return v;
  };
  const competency = choose('competency', 'an AI competency', COMPETENCIES);
  const capability = choose(
    'capability',
    'a capability',
    capabilities.map((c) => c.id),
  );
  const ambition = choose('ambition', 'an ambition', AMBITIONS);
  const outcome = choose('outcome', 'an outcome', EVALUATION_OUTCOMES);
  return {
    query: {
      ...(values.q === '' ? {} : { q: values.q }),
      ...(competency === '' ? {} : { competency }),
      ...(capability === '' ? {} : { capability }),
      ...(ambition === '' ? {} : { ambition }),
      ...(outcome === '' ? {} : { outcome }),
    },
    values,
    errors: errors.length === 0 ? null : formErrors(errors),
  };
}

const any = (text: string, selected: string) => [{ value: '', text, selected: selected === '' }];

export function filterItems(values: SearchRead['values'], capabilities: readonly Capability[]) {
  return {
    competency: [
      ...any('Any competency', values.competency),
      ...COMPETENCIES.map((c) => ({
        value: c,
        text: competencyName(c),
        selected: values.competency === c,
      })),
    ],
    capability: [
      ...any('Any capability', values.capability),
      ...capabilities.map((c) => ({
        value: c.id,
        text: `${c.number}. ${c.name}`,
        selected: values.capability === c.id,
      })),
    ],
    ambition: [
      ...any('Any ambition', values.ambition),
      ...AMBITIONS.map((a) => ({
        value: a,
        text: AMBITION_LABELS[a].text,
        selected: values.ambition === a,
      })),
    ],
    outcome: [
      ...any('Any outcome', values.outcome),
      ...EVALUATION_OUTCOMES.map((o) => ({
        value: o,
        text: outcomeName(o),
        selected: values.outcome === o,
      })),
    ],
  };
}

/** The filters in force, in words: "competency: computer vision and outcome: failed". */
export function filterWords(query: LessonQuery, capabilities: readonly Capability[]): string {
  const parts: string[] = [];
  if (query.competency) parts.push(`competency: ${competencyName(query.competency).toLowerCase()}`);
  if (query.capability) {
    const c = capabilities.find((x) => x.id === query.capability);
    parts.push(`capability: ${c?.name ?? query.capability}`);
  }
  if (query.ambition) {
    parts.push(`ambition: ${AMBITION_LABELS[query.ambition as Ambition].text.toLowerCase()}`);
  }
  if (query.outcome) parts.push(`outcome: ${outcomeName(query.outcome).toLowerCase()}`);
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** "No lessons match “drone” with competency: computer vision." */
export function noneMessage(query: LessonQuery, capabilities: readonly Capability[]): string {
  const filters = filterWords(query, capabilities);
  if (query.q) {
    return `No lessons match “${query.q}”${filters === '' ? '' : ` with ${filters}`}.`;
  }
  return filters === ''
    ? 'There are no lessons yet.'
    : `No lessons match the filters (${filters}).`;
}

export interface Segment {
  readonly text: string;
  readonly mark: boolean;
}

/** Longest extract shown under a result, in characters. */
export const EXTRACT_LENGTH = 240;

const SUFFIXES = ['ations', 'ation', 'ings', 'ing', 'edly', 'ies', 'ied', 'ed', 'es', 's', 'ly'];

/** A rough stem, so "waiting" marks "waits" as the stemmed search found it. */
function stem(word: string): string {
  for (const suffix of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      return word.slice(0, -suffix.length);
    }
  }
  return word;
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * A short extract of a lesson: around the first word that matches the search (whole text, then
 * marked words), else the start of what was learned. Never cuts a word in half.
 */
export function extract(lesson: Lesson, q: string, length = EXTRACT_LENGTH): Segment[] {
  const text = [
    lesson.whatWeLearned,
    lesson.whatHappened,
    lesson.whatWeWouldDoDifferently,
    ...lesson.evidence,
  ]
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  const stems = [...new Set((q.toLowerCase().match(WORD) ?? []).slice(0, 20).map(stem))];
  const matches = (word: string): boolean => {
    const lower = word.toLowerCase();
    return stems.some((s) => lower.startsWith(s));
  };
  let first = -1;
  if (stems.length > 0) {
    for (const m of text.matchAll(WORD)) {
      if (matches(m[0])) {
        first = m.index;
        break;
      }
    }
  }
  let start = first < 0 ? 0 : Math.max(0, first - 60);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space < 0 || space > first ? start : space + 1;
  }
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start) end = space;
  }
  const window = text.slice(start, end);
  const segments: Segment[] = [];
  let at = 0;
  if (stems.length > 0) {
    for (const m of window.matchAll(WORD)) {
      if (!matches(m[0])) continue;
      if (m.index > at) segments.push({ text: window.slice(at, m.index), mark: false });
      segments.push({ text: m[0], mark: true });
      at = m.index + m[0].length;
    }
  }
  if (at < window.length) segments.push({ text: window.slice(at), mark: false });
  if (start > 0) segments.unshift({ text: '…', mark: false });
  if (end < text.length) segments.push({ text: '…', mark: false });
  return segments;
}

export function resultView(stored: StoredLesson<LessonDocument>, q: string) {
  const l = stored.lesson;
  return {
    id: stored.id,
    title: l.title,
    meta: [competencyName(l.competency), AMBITION_LABELS[l.ambition].text, outcomeName(l.outcome)],
    createdAt: stored.createdAt,
    extract: extract(l, q),
  };
}

// ---------------------------------------------------------------------------------------------
// One lesson

/** Paragraphs of a text typed with blank lines between them. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export function lessonView(
  stored: StoredLesson<LessonDocument>,
  capabilities: readonly Capability[],
  initiativeExists: boolean,
) {
  const l = stored.lesson;
  return {
    id: stored.id,
    title: l.title,
    initiative: {
      title: l.initiativeTitle,
      href: l.initiativeId !== null && initiativeExists ? `/initiatives/${l.initiativeId}` : null,
    },
    competency: competencyName(l.competency),
    capabilities: l.capabilityIds.map((id) => {
      const c = capabilities.find((x) => x.id === id);
      return { id, text: c ? `${c.number}. ${c.name}` : id, known: c !== undefined };
    }),
    ambition: `${AMBITION_LABELS[l.ambition].text}: ${AMBITION_LABELS[l.ambition].hint.toLowerCase()}`,
    outcome: outcomeName(l.outcome),
    whatHappened: paragraphs(l.whatHappened),
    whatWeLearned: paragraphs(l.whatWeLearned),
    whatWeWouldDoDifferently: paragraphs(l.whatWeWouldDoDifferently),
    evidence: l.evidence,
    tags: l.tags.map((t) => ({
      text: t,
      href: `/lessons?q=${encodeURIComponent(t.replace(/-/g, ' '))}`,
    })),
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt === stored.createdAt ? null : stored.updatedAt,
    fromEvaluation: l.evaluationId !== null,
  };
}

// ---------------------------------------------------------------------------------------------
// The lesson form

/** The form's fields, in the order they appear (the error summary follows it). */
export const LESSON_FIELDS = [
  'title',
  'initiativeId',
  'initiativeTitle',
  'competency',
  'capabilityIds',
  'ambition',
  'outcome',
  'whatHappened',
  'whatWeLearned',
  'whatWeWouldDoDifferently',
  'evidence',
  'tags',
] as const;

/** A lesson as the form shows it: lists as one text, one item a line or separated by commas. */
export function lessonValues(l: Lesson): Record<string, unknown> {
  return {
    title: l.title,
    initiativeId: l.initiativeId ?? '',
    initiativeTitle: l.initiativeTitle,
    competency: l.competency,
    capabilityIds: [...l.capabilityIds],
    ambition: l.ambition,
    outcome: l.outcome,
    whatHappened: l.whatHappened,
    whatWeLearned: l.whatWeLearned,
    whatWeWouldDoDifferently: l.whatWeWouldDoDifferently,
    evidence: l.evidence.join('\n'),
    tags: l.tags.join(', '),
  };
}

/** Keeps what the form can show again: texts, and lists of texts for the checkboxes. */
export function formValuesOf(body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (body === null || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === '_csrf') continue;
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v) => typeof v === 'string');
  }
  return out;
}

export function lessonFormItems(
  values: Record<string, unknown>,
  capabilities: readonly Capability[],
  initiatives: readonly { id: string; title: string }[],
) {
  const chosen = new Set(
    Array.isArray(values.capabilityIds)
      ? (values.capabilityIds as string[])
      : typeof values.capabilityIds === 'string'
        ? [values.capabilityIds]
        : [],
  );
  return {
    initiative: [
      { value: '', text: 'None: it is not in the register', selected: !values.initiativeId },
      ...initiatives.map((i) => ({
        value: i.id,
        text: i.title,
        selected: values.initiativeId === i.id,
      })),
    ],
    competency: [
      { value: '', text: 'Choose a competency', selected: !values.competency },
      ...COMPETENCIES.map((c) => ({
        value: c,
        text: competencyName(c),
        selected: values.competency === c,
      })),
    ],
    capabilities: capabilities.map((c) => ({
      value: c.id,
      text: `${c.number}. ${c.name}`,
      hint: { text: c.scope === 'organisation' ? 'Organisation capability' : 'Sector capability' },
      checked: chosen.has(c.id),
    })),
    ambition: AMBITIONS.map((a) => ({
      value: a,
      text: AMBITION_LABELS[a].text,
      hint: { text: AMBITION_LABELS[a].hint },
      checked: values.ambition === a,
    })),
    outcome: EVALUATION_OUTCOMES.map((o) => ({
      value: o,
      text: outcomeName(o),
      checked: values.outcome === o,
    })),
  };
}

/** The schema's problems and the page's own, in the order of the form. */
export function lessonErrors(
  issues: readonly z.core.$ZodIssue[],
  extra: readonly [string, string][],
): FormErrors {
  const entries: [string, string][] = [
    ...issues.map((i) => [String(i.path[0] ?? 'title'), i.message] as [string, string]),
    ...extra,
  ];
  const order = (field: string) => {
    const at = (LESSON_FIELDS as readonly string[]).indexOf(field);
    return at < 0 ? LESSON_FIELDS.length : at;
  };
  return formErrors([...entries].sort((a, b) => order(a[0]) - order(b[0])));
}
