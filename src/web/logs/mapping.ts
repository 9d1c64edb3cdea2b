// The column-mapping form for a CSV event log: which column holds the case id, the activity and the
// timestamp (and, if the log has them, a start time, lifecycle transition, resource, group and case
// attributes), the order of day and month in dates, and the time zone of times without an offset.
// Pre-filled with the column names the engine looks for by default (the XES names used in
// receipt.csv, then common plain names); the date order is made an explicit choice.
import { z } from 'zod';
import type { CsvColumns, DateOrderOption } from '../../domain/mining/index.ts';

export type MappedField =
  'caseId' | 'activity' | 'timestamp' | 'startTimestamp' | 'lifecycle' | 'resource' | 'group';

export const FIELDS: readonly {
  readonly field: MappedField;
  readonly label: string;
  readonly hint: string;
  readonly required: boolean;
  readonly names: readonly string[];
}[] = [
  {
    field: 'caseId',
    label: 'Case id',
    hint: 'The reference of the case (application, claim, patient) each row belongs to',
    required: true,
    names: ['case:concept:name', 'case_id', 'case id', 'caseid', 'case'],
  },
  {
    field: 'activity',
    label: 'Activity',
    hint: 'What was done, for example “Check application”',
    required: true,
    names: ['concept:name', 'activity', 'activity_name', 'activity name', 'event'],
  },
  {
    field: 'timestamp',
    label: 'Timestamp',
    hint: 'When it was done (or finished)',
    required: true,
    names: ['time:timestamp', 'timestamp', 'complete_timestamp', 'end_timestamp', 'time'],
  },
  {
    field: 'startTimestamp',
    label: 'Start time (optional)',
    hint: 'When the work began, if the log records it on the same row',
    required: false,
    names: ['start_timestamp', 'start timestamp', 'time:start'],
  },
  {
    field: 'lifecycle',
    label: 'Lifecycle transition (optional)',
    hint: 'A column saying “start” or “complete”, if the log records both',
    required: false,
    names: ['lifecycle:transition', 'lifecycle', 'transition'],
  },
  {
    field: 'resource',
    label: 'Resource (optional)',
    hint: 'Who did it: a person, team or system',
    required: false,
    names: ['org:resource', 'resource', 'user'],
  },
  {
    field: 'group',
    label: 'Group (optional)',
    hint: 'The team or department of the resource',
    required: false,
    names: ['org:group'],
  },
];

export interface Detected {
  readonly columns: Readonly<Record<MappedField, string>>;
  /** Columns named `case:*` (other than the case id): case attributes by default. */
  readonly caseAttributes: readonly string[];
  readonly dateOrder: DateOrderOption | '';
  /** Why that date order was suggested, in plain words. */
  readonly dateOrderNote: string;
}

const SLASH_DATE = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b/;

/** The mapping the engine would use by default, and a date order if the first rows settle it. */
export function detectMapping(
  header: readonly string[],
  sample: readonly (readonly string[])[],
): Detected {
  const folded = new Map(header.map((h) => [h.trim().toLowerCase(), h]));
  const used = new Set<string>();
  const columns = {} as Record<MappedField, string>;
  for (const f of FIELDS) {
    const found = f.names.map((n) => folded.get(n)).find((c) => c !== undefined && !used.has(c));
    columns[f.field] = found ?? '';
    if (found !== undefined) used.add(found);
  }
  const caseAttributes = header.filter((h) => h.startsWith('case:') && h !== columns.caseId);
  const index = header.indexOf(columns.timestamp);
  let dateOrder: DateOrderOption | '' = '';
  let note = '';
  const slashDates =
    index < 0 ? [] : sample.map((r) => SLASH_DATE.exec(r[index] ?? '')).filter((m) => m !== null);
  if (index >= 0 && slashDates.length === 0) {
    dateOrder = 'auto';
    note =
      'The dates in the first rows are written year first, so the order of day and month is not in doubt.';
  } else if (slashDates.length > 0) {
    const dayFirst = slashDates.find((m) => Number(m[1]) > 12);
    const monthFirst = slashDates.find((m) => Number(m[2]) > 12);
    if (dayFirst && !monthFirst) {
      dateOrder = 'dmy';
      note = `The first rows settle it: “${dayFirst[0].trim()}” can only be day first.`;
    } else if (monthFirst && !dayFirst) {
      dateOrder = 'mdy';
      note = `The first rows settle it: “${monthFirst[0].trim()}” can only be month first.`;
    } else {
      note = `Dates such as “${(slashDates[0] as RegExpExecArray)[0].trim()}” fit both orders. Choose the one your system uses.`;
    }
  }
  return { columns, caseAttributes, dateOrder, dateOrderNote: note };
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The mapping form, checked against the file's own columns. */
export function mappingSchema(header: readonly string[]) {
  const column = (label: string, required: boolean) =>
    z
      .string()
      .trim()
      .refine((v) => (required ? v !== '' : true), `Select the column that holds the ${label}`)
      .refine(
        (v) => v === '' || header.includes(v),
        `Select one of the file’s columns for the ${label}`,
      );
  return z
    .object({
      name: z
        .string()
        .trim()
        .min(1, 'Enter a name for the log')
        .max(120, 'The name must be 120 characters or fewer'),
      caseId: column('case id', true),
      activity: column('activity', true),
      timestamp: column('timestamp', true),
      startTimestamp: column('start time', false).default(''),
      lifecycle: column('lifecycle transition', false).default(''),
      resource: column('resource', false).default(''),
      group: column('group', false).default(''),
      caseAttributes: z
        .union([z.string(), z.array(z.string())])
        .optional()
        .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
        .refine(
          (v) => v.every((c) => header.includes(c)),
          'Select case attributes from the file’s columns',
        ),
      dateOrder: z.enum(['auto', 'dmy', 'mdy'], {
        error: 'Choose how dates are written in the file',
      }),
      timeZone: z
        .string()
        .trim()
        .min(1, 'Enter a time zone, for example Europe/London or UTC')
        .refine(
          validZone,
          'Enter a time zone the way computers name them, for example Europe/London or UTC',
        ),
    })
    .superRefine((form, ctx) => {
      const seen = new Map<string, string>();
      for (const f of FIELDS) {
        const value = form[f.field];
        if (value === '') continue;
        const other = seen.get(value);
        if (other !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [f.field],
            message: `The column “${value}” is already used for the ${other.toLowerCase()}: choose a different column for the ${f.label.replace(' (optional)', '').toLowerCase()}`,
          });
        }
        seen.set(value, f.label.replace(' (optional)', ''));
      }
    });
}

export type MappingForm = z.output<ReturnType<typeof mappingSchema>>;

/** The engine's column options from the form: empty optional fields are ignored (null). */
export function toCsvColumns(form: MappingForm): CsvColumns {
  const optional = (v: string) => (v === '' ? null : v);
  return {
    caseId: form.caseId,
    activity: form.activity,
    timestamp: form.timestamp,
    startTimestamp: optional(form.startTimestamp),
    lifecycle: optional(form.lifecycle),
    resource: optional(form.resource),
    group: optional(form.group),
    caseAttributes: form.caseAttributes.filter((c) => !FIELDS.some((f) => form[f.field] === c)),
  };
}
