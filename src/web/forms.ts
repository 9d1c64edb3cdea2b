// Server-rendered form validation: a zod schema checks the body, and failures become the GOV.UK
// error summary (linking to each field) plus a message beside each field.
import type { z } from 'zod';

export interface FormErrors {
  /** For govukErrorSummary: one entry per field, in form order. */
  readonly list: ReadonlyArray<{ text: string; href: string }>;
  /** For each field's errorMessage. */
  readonly byField: Readonly<Record<string, { text: string }>>;
}

export type FormResult<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly errors: FormErrors; readonly values: Record<string, unknown> };

export function formErrors(entries: ReadonlyArray<[field: string, message: string]>): FormErrors {
  const byField: Record<string, { text: string }> = {};
  const list: { text: string; href: string }[] = [];
  for (const [field, message] of entries) {
    if (byField[field]) continue;
    byField[field] = { text: message };
    list.push({ text: message, href: `#${field}` });
  }
  return { list, byField };
}

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const values =
    body !== null && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {};
  delete values._csrf;
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    values,
    errors: formErrors(
      result.error.issues.map(
        (issue) => [String(issue.path[0] ?? 'form'), issue.message] as [string, string],
      ),
    ),
  };
}

/** A local path to go back to after signing in; anything else (other sites, odd schemes) is ignored. */
export function safeReturnPath(value: unknown, fallback = '/organisation'): string {
  if (typeof value !== 'string') return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (value.startsWith('/sign-in') || value.startsWith('/sign-out')) return fallback;
  return value;
}
