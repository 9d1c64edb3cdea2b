// The audit log page's filters (person, kind of action, date range) read from the address with a
// schema, its pagination, and the names of what a page of events points at.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../storage/audit.ts';
import type { AuditEvent } from '../../storage/repositories/scoped.ts';
import type { AuditFilter } from '../../storage/repositories/audit-reader.ts';
import { parseForm, type FormErrors } from '../forms.ts';
import type { Services } from '../principal.ts';
import { ACTION_GROUPS, actionLabel, auditReferences, type AuditNames } from './audit-words.ts';

export { ACTION_GROUPS };

export const AUDIT_PAGE_SIZE = 50;
/** The most events one CSV holds; narrow the filter for more. */
export const AUDIT_CSV_MAX = 100_000;

const ACTIONS = new Set<string>(AUDIT_ACTIONS);
const GROUP_KEYS = new Set(ACTION_GROUPS.map((g) => `group:${g.key}`));

function realDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const dateField = (which: string) =>
  z
    .string()
    .trim()
    .max(10, `Enter the ${which} date as a real date, like 2026-03-01`)
    .refine(
      (v) => v === '' || realDate(v),
      `Enter the ${which} date as a real date, like 2026-03-01`,
    );

const auditQuery = z
  .object({
    person: z
      .string()
      .trim()
      .refine(
        (v) => v === '' || v === 'system' || z.uuid().safeParse(v).success,
        'Select a person from the list',
      ),
    action: z
      .string()
      .trim()
      .refine(
        (v) => v === '' || ACTIONS.has(v) || GROUP_KEYS.has(v),
        'Select a kind of action from the list',
      ),
    from: dateField('start'),
    to: dateField('end'),
  })
  .refine((q) => q.from === '' || q.to === '' || q.from <= q.to, {
    path: ['to'],
    message: 'The end date must be the same as or after the start date',
  });

export interface AuditQueryValues {
  readonly person: string;
  readonly action: string;
  readonly from: string;
  readonly to: string;
}

export type AuditQuery =
  | {
      readonly ok: true;
      readonly filter: AuditFilter;
      readonly page: number;
      readonly filtered: boolean;
      readonly values: AuditQueryValues;
    }
  | { readonly ok: false; readonly errors: FormErrors; readonly values: AuditQueryValues };

const one = (value: unknown): string =>
  typeof value === 'string' ? value : Array.isArray(value) ? String(value[0] ?? '') : '';

/** Reads the filters and the page number from the query string. */
export function readAuditQuery(raw: unknown): AuditQuery {
  const q = (raw ?? {}) as Record<string, unknown>;
  const values: AuditQueryValues = {
    person: one(q.person).slice(0, 100),
    action: one(q.action).slice(0, 100),
    from: one(q.from).slice(0, 40),
    to: one(q.to).slice(0, 40),
  };
  const parsed = parseForm(auditQuery, values);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, values };
  const { person, action, from, to } = parsed.data;
  const pageNumber = Number(one(q.page));
  const page = Number.isInteger(pageNumber) && pageNumber >= 1 ? Math.min(pageNumber, 1e6) : 1;
  const actions = action.startsWith('group:')
    ? ACTION_GROUPS.find((g) => `group:${g.key}` === action)?.actions.map((a) => a.action)
    : action === ''
      ? undefined
      : [action];
  return {
    ok: true,
    page,
    filtered: person !== '' || action !== '' || from !== '' || to !== '',
    values: parsed.data,
    filter: {
      ...(person === '' ? {} : { actorUserId: person === 'system' ? null : person }),
      ...(actions === undefined ? {} : { actions }),
      ...(from === '' ? {} : { from }),
      ...(to === '' ? {} : { to }),
    },
  };
}

/** "?person=…&action=…" for the filters that are set (and a page), or "". */
export function queryString(values: AuditQueryValues, page?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== '') params.set(key, value);
  if (page !== undefined && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The filters in words, as the export's audit entry records them. */
export function describeFilter(values: AuditQueryValues): Record<string, string> {
  const action = values.action.startsWith('group:')
    ? ACTION_GROUPS.find((g) => `group:${g.key}` === values.action)?.label
    : values.action === ''
      ? undefined
      : actionLabel(values.action);
  return {
    ...(values.person === ''
      ? {}
      : { person: values.person === 'system' ? 'the system' : 'one person' }),
    ...(action === undefined ? {} : { action }),
    ...(values.from === '' ? {} : { from: values.from }),
    ...(values.to === '' ? {} : { to: values.to }),
  };
}

/** The GOV.UK pagination component's parameters: previous, next and numbered pages with gaps. */
export function paginationFor(page: number, pages: number, values: AuditQueryValues) {
  if (pages <= 1) return undefined;
  const href = (n: number) => `/organisation/audit${queryString(values, n)}`;
  const shown = new Set([1, pages, page - 1, page, page + 1].filter((n) => n >= 1 && n <= pages));
  const items: ({ number: string; href: string; current: boolean } | { ellipsis: true })[] = [];
  let last = 0;
  for (const n of [...shown].sort((a, b) => a - b)) {
    if (n - last > 1) items.push({ ellipsis: true });
    items.push({ number: String(n), href: href(n), current: n === page });
    last = n;
  }
  return {
    items,
    ...(page > 1 ? { previous: { href: href(page - 1), labelText: 'Newer events' } } : {}),
    ...(page < pages ? { next: { href: href(page + 1), labelText: 'Older events' } } : {}),
    landmarkLabel: 'Pages of the audit log',
  };
}

/** The people who can be chosen in the filter: members and anyone else the log names. */
export async function personItems(request: FastifyRequest, selected: string) {
  const members = await request.scope.members();
  const actors = await request.scope.auditRecords.actors();
  const people = new Map(members.map((m) => [m.userId, m.name]));
  let system = false;
  for (const a of actors) {
    if (a.userId === null) system = true;
    else if (!people.has(a.userId))
      people.set(a.userId, `${a.label.replace(/\s*<[^>]*>\s*$/, '')} (former member)`);
  }
  return [
    { value: '', text: 'Everyone', selected: selected === '' },
    ...[...people]
      .sort((a, b) => a[1].localeCompare(b[1], 'en-GB'))
      .map(([value, text]) => ({ value, text, selected: selected === value })),
    ...(system ? [{ value: 'system', text: 'The system', selected: selected === 'system' }] : []),
  ];
}

/** Names of everything the events point at, capabilities from the organisation's framework. */
export async function auditNames(
  request: FastifyRequest,
  services: Services,
  events: readonly AuditEvent[],
): Promise<AuditNames> {
  const found = await request.scope.auditRecords.names(auditReferences(events));
  return {
    ...found,
    capabilities: new Map(services.framework.capabilities.map((c) => [c.id, c.name])),
  };
}
