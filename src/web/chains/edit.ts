// Editing a delivery chain through forms: a mutable copy of the stored model (a "draft"), small
// changes to it, and a check by the engine's own parseChain before anything is saved — so the
// forms can never store a chain that the engine, the CLI or an import would refuse. Also turns
// form fields (percentages, service-time choices) into the model's units and back.
import { parseChain } from '../../domain/chain/index.ts';
import type {
  ChainIssue,
  DeliveryChain,
  DeliveryChainInput,
  ParseResult,
  ServiceTime,
} from '../../domain/chain/index.ts';
import { formErrors, type FormErrors } from '../forms.ts';

/** A mutable copy of a chain document, for one edit. */
export type Draft = DeliveryChainInput;
export type DraftStage = Draft['stages'][number];
export type DraftService = DraftStage['service'];

export function draftOf(chain: DeliveryChain): Draft {
  return JSON.parse(JSON.stringify(chain)) as Draft;
}

export function check(draft: Draft): ParseResult {
  return parseChain(JSON.parse(JSON.stringify(draft)));
}

/** The engine's issues as a GOV.UK error summary; each links to `field` (or the first field). */
export function issueErrors(issues: readonly ChainIssue[], field: string): FormErrors {
  const list = issues.map((issue) => ({ text: issue.message, href: `#${field}` }));
  return { list, byField: { [field]: { text: issues[0]?.message ?? 'There is a problem' } } };
}

/** "Manual review" → "manual-review", unique among `taken` (and never "exit" or "new"). */
export function slugFor(name: string, taken: Iterable<string>, fallback = 'item'): string {
  const used = new Set(taken);
  // "exit" is a route target; "new" would clash with the add-pages' addresses.
  used.add('exit');
  used.add('new');
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/g, '') || fallback;
  const start = /^[a-z0-9]/.test(base) ? base : `${fallback}-${base}`;
  let id = start;
  for (let k = 2; used.has(id); k++) id = `${start}-${k}`;
  return id;
}

/** A chain to start from: one stage, one output and some demand, so it is valid from the start. */
export function starterChain(details: ChainDetails, organisationName: string): Draft {
  return {
    version: 1,
    id: slugFor(details.name, [], 'chain'),
    name: details.name,
    ...(details.description === '' ? {} : { description: details.description }),
    timeUnit: 'hour',
    hoursPerWeek: details.hoursPerWeek,
    unitOfWork: { singular: details.unitSingular, plural: details.unitPlural },
    outcomeName: details.outcomeName,
    inputs: [],
    stages: [
      {
        id: 'first-stage',
        name: 'First stage',
        organisation: organisationName,
        servers: 1,
        service: { kind: 'exponential', mean: 1 },
        costPerServerHour: 0,
        costPerCase: 0,
        routes: [{ to: 'completed', probability: 1 }],
      },
    ],
    outputs: [{ id: 'completed', name: 'Completed', outcomeContribution: 1 }],
    demand: [{ stage: 'first-stage', rate: 10, per: 'week' }],
    interventions: [],
  };
}

export interface ChainDetails {
  readonly name: string;
  readonly description: string;
  readonly unitSingular: string;
  readonly unitPlural: string;
  readonly outcomeName: string;
  readonly hoursPerWeek: number;
}

// ---- reading numbers from forms ----

export type FieldResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** A number from a text field, with a message that says what was expected. */
export function readNumber(
  raw: unknown,
  what: string,
  options: {
    min?: number;
    max?: number;
    integer?: boolean;
    optional?: boolean;
    above?: number;
  } = {},
): FieldResult<number | undefined> {
  const text = typeof raw === 'string' ? raw.trim().replace(/,/g, '') : '';
  if (text === '') {
    return options.optional === true
      ? { ok: true, value: undefined }
      : { ok: false, message: `Enter ${what}` };
  }
  const value = Number(text);
  const range =
    options.min !== undefined && options.max !== undefined
      ? ` from ${options.min} to ${options.max}`
      : options.above !== undefined
        ? ` greater than ${options.above}`
        : options.min !== undefined
          ? ` of ${options.min} or more`
          : '';
  const kind = options.integer === true ? 'a whole number' : 'a number';
  const message = `${what.charAt(0).toUpperCase()}${what.slice(1)} must be ${kind}${range}`;
  if (!Number.isFinite(value) || (options.integer === true && !Number.isInteger(value))) {
    return { ok: false, message };
  }
  if (options.min !== undefined && value < options.min) return { ok: false, message };
  if (options.max !== undefined && value > options.max) return { ok: false, message };
  if (options.above !== undefined && value <= options.above) return { ok: false, message };
  return { ok: true, value };
}

export function readText(
  raw: unknown,
  what: string,
  max = 200,
  optional = false,
): FieldResult<string> {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '' && !optional) return { ok: false, message: `Enter ${what}` };
  if (text.length > max) {
    return {
      ok: false,
      message: `${what.charAt(0).toUpperCase()}${what.slice(1)} must be ${max} characters or fewer`,
    };
  }
  return { ok: true, value: text };
}

/** Collects field results; `errors` is null when every field was read. */
export class FieldReader {
  private readonly problems: [string, string][] = [];
  constructor(readonly body: Record<string, unknown>) {}

  text(field: string, what: string, max = 200, optional = false): string {
    const r = readText(this.body[field], what, max, optional);
    if (!r.ok) this.problems.push([field, r.message]);
    return r.ok ? r.value : '';
  }

  number(field: string, what: string, options: Parameters<typeof readNumber>[2] = {}): number {
    const r = readNumber(this.body[field], what, options);
    if (!r.ok) this.problems.push([field, r.message]);
    return r.ok ? (r.value ?? Number.NaN) : Number.NaN;
  }

  optionalNumber(
    field: string,
    what: string,
    options: Parameters<typeof readNumber>[2] = {},
  ): number | undefined {
    const r = readNumber(this.body[field], what, { ...options, optional: true });
    if (!r.ok) this.problems.push([field, r.message]);
    return r.ok ? r.value : undefined;
  }

  choice<T extends string>(field: string, allowed: readonly T[], message: string): T {
    const value = this.body[field];
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
      return value as T;
    this.problems.push([field, message]);
    return allowed[0] as T;
  }

  fail(field: string, message: string): void {
    this.problems.push([field, message]);
  }

  get errors(): FormErrors | null {
    return this.problems.length === 0 ? null : formErrors(this.problems);
  }
}

/** Form values without the CSRF token. */
export function formValues(body: unknown): Record<string, unknown> {
  const values =
    body !== null && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {};
  delete values._csrf;
  return values;
}

// ---- service times ----

export const SERVICE_KINDS = [
  {
    value: 'exponential',
    text: 'Varies a lot (exponential)',
    hint: 'Most cases are quick, a few take much longer. Needs the average time.',
  },
  {
    value: 'lognormal',
    text: 'Varies by a known amount (log-normal)',
    hint: 'Needs the average time and the variability.',
  },
  {
    value: 'gamma',
    text: 'Varies by a known amount (gamma)',
    hint: 'Like log-normal with a shorter tail. Needs the average time and the variability.',
  },
  {
    value: 'erlang',
    text: 'Several steps of similar length (Erlang)',
    hint: 'Needs the average time and the number of steps.',
  },
  {
    value: 'deterministic',
    text: 'Always the same (fixed)',
    hint: 'Every case takes exactly the average time.',
  },
  {
    value: 'empirical',
    text: 'Measured times (samples)',
    hint: 'Times recorded for real cases, for example from a case-management system.',
  },
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number]['value'];

/** Form fields of a service time (for re-showing a stored stage in its form). */
export function serviceFields(service: ServiceTime, prefix = ''): Record<string, string> {
  const fields: Record<string, string> = { [`${prefix}serviceKind`]: service.kind };
  if (service.kind === 'empirical') fields[`${prefix}samples`] = service.samples.join(', ');
  else fields[`${prefix}mean`] = String(service.mean);
  if (service.kind === 'lognormal' || service.kind === 'gamma')
    fields[`${prefix}cv`] = String(service.cv);
  if (service.kind === 'erlang') fields[`${prefix}phases`] = String(service.phases);
  return fields;
}

/** Reads a service time from the fields written by the service-time part of a form. */
export function readService(reader: FieldReader, prefix = ''): DraftService | undefined {
  const kind = reader.choice<ServiceKind>(
    `${prefix}serviceKind`,
    SERVICE_KINDS.map((k) => k.value),
    'Select how the time per case varies',
  );
  if (kind === 'empirical') {
    const raw = reader.body[`${prefix}samples`];
    const parts = (typeof raw === 'string' ? raw : '').split(/[\s,;]+/).filter((p) => p !== '');
    const samples = parts.map(Number);
    if (parts.length === 0) {
      reader.fail(`${prefix}samples`, 'Enter at least one measured time, in hours');
      return undefined;
    }
    if (parts.length > 10_000 || samples.some((s) => !Number.isFinite(s) || s <= 0)) {
      reader.fail(
        `${prefix}samples`,
        'Measured times must be up to 10,000 numbers of hours, each greater than 0',
      );
      return undefined;
    }
    return { kind, samples };
  }
  const mean = reader.number(`${prefix}mean`, 'the average time per case, in hours', { above: 0 });
  if (kind === 'lognormal' || kind === 'gamma') {
    const cv = reader.number(`${prefix}cv`, 'the variability (coefficient of variation)', {
      above: 0,
      max: 10,
    });
    return { kind, mean, cv };
  }
  if (kind === 'erlang') {
    const phases = reader.number(`${prefix}phases`, 'the number of steps', {
      integer: true,
      min: 1,
      max: 100,
    });
    return { kind, mean, phases };
  }
  return { kind, mean };
}

/** "Log-normal, average 12.5 hours, variability 0.7". */
export function describeService(service: ServiceTime): string {
  switch (service.kind) {
    case 'exponential':
      return `Varies a lot (exponential), average ${service.mean} hours`;
    case 'deterministic':
      return `Always ${service.mean} hours`;
    case 'lognormal':
      return `Log-normal, average ${service.mean} hours, variability ${service.cv}`;
    case 'gamma':
      return `Gamma, average ${service.mean} hours, variability ${service.cv}`;
    case 'erlang':
      return `Erlang with ${service.phases} steps, average ${service.mean} hours`;
    case 'empirical': {
      const mean = service.samples.reduce((s, x) => s + x, 0) / service.samples.length;
      return `${service.samples.length} measured times, average ${Math.round(mean * 100) / 100} hours`;
    }
  }
}

/** Radio items for the service-time kinds. */
export function serviceKindItems(
  selected: unknown,
): { value: string; text: string; hint: { text: string }; checked: boolean }[] {
  return SERVICE_KINDS.map((k) => ({
    value: k.value,
    text: k.text,
    hint: { text: k.hint },
    checked: selected === k.value,
  }));
}
