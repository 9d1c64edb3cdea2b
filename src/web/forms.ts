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

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  return Array.isArray(value) && value.some(hasNul);
}

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const values =
    body !== null && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {};
  delete values._csrf;
  // A NUL character cannot be stored (PostgreSQL refuses it in text) and is never typed on purpose:
  // refused beside its field before the schema sees it (found by test/integration/fuzz.test.ts,
  // which had it answered with a 500).
  const withNul = Object.keys(values).filter((key) => hasNul(values[key]));
  if (withNul.length > 0)
    return {
      ok: false,
      values,
      errors: formErrors(
        withNul.map((key) => [
          key,
          'Remove the invisible control character (NUL) from this answer, then try again',
        ]),
      ),
    };
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

/** The origin relative paths are resolved against: a reserved name, so only a same-site path keeps it. */
const SITE_ORIGIN = 'http://throughline.invalid';
const MAX_RETURN_PATH = 2000;

/**
 * A local path to go back to after signing in; anything else is ignored. The raw value must start
 * with one "/" not followed by "/" or "\\", and hold no control characters, spaces or backslashes
 * (the URL parser drops tabs and newlines, which is how "/<TAB>/evil.example" becomes
 * "//evil.example"); then it is parsed with the WHATWG URL parser against the site's own origin and
 * must keep that origin, and the path it parses to must again start with a single "/" ("/.//evil"
 * parses to "//evil"). What is returned is the parser's own serialisation, so a Location header
 * never carries a raw control character.
 */
export function safeReturnPath(value: unknown, fallback = '/organisation'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RETURN_PATH)
    return fallback;
  if (value[0] !== '/' || value[1] === '/' || value[1] === '\\') return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u0020\u007F-\u00A0\u2028\u2029\\]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, SITE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== SITE_ORIGIN) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return fallback;
  if (/^\/sign-(in|out)(\/|\?|#|$)/.test(path)) return fallback;
  return path;
}
