// Personal API tokens: what a token may do (scopes: read or write, per area of the API), until
// when (an expiry chosen when it is made, a year at most), and the owner's current role as a
// ceiling, checked on every request. Plain functions over plain data: no HTTP, no SQL. The map from
// an API route to its area is in src/web/api.ts.
import type { Role } from '../storage/index.ts';

/** The parts of the API a token can be given: each is read or read-and-write. */
export const API_AREAS = [
  'assessments',
  'chains',
  'logs',
  'themes',
  'initiatives',
  'sector',
  'organisation',
] as const;
export type ApiArea = (typeof API_AREAS)[number];
export type ApiAccess = 'read' | 'write';

/** How each area is named to people choosing a token's scopes. */
export const API_AREA_LABELS: Readonly<Record<ApiArea, string>> = {
  assessments: 'Assessments (rounds, results, answers)',
  chains: 'Delivery chains and simulations',
  logs: 'Event logs and their analyses',
  themes: 'Comment sets and themes',
  initiatives: 'AI initiatives',
  sector: 'Sector benchmarks',
  organisation: 'Organisation (members, invitations, audit log)',
};

/**
 * The least role whose token may use an area at all, whatever its scopes. Members' e-mail addresses
 * and the audit log are an admin's business: a token whose owner is no longer an admin loses the
 * organisation area at once. Every other area is open to every role, and each route's own role
 * check (a lead to change a chain, …) applies to tokens exactly as to pages.
 */
export const AREA_MIN_ROLE: Readonly<Record<ApiArea, Role>> = {
  assessments: 'viewer',
  chains: 'viewer',
  logs: 'viewer',
  themes: 'viewer',
  initiatives: 'viewer',
  sector: 'viewer',
  organisation: 'admin',
};

const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 0, member: 1, lead: 2, admin: 3 };

export type Scope = `${ApiArea}:${ApiAccess}`;

export function isScope(value: string): value is Scope {
  const [area, access, ...rest] = value.split(':');
  return (
    rest.length === 0 &&
    (API_AREAS as readonly string[]).includes(area ?? '') &&
    (access === 'read' || access === 'write')
  );
}

/** Scopes as stored: space-separated, in the order of API_AREAS, read before write; unknown words dropped. */
export function formatScopes(scopes: Iterable<string>): string {
  const given = new Set(scopes);
  return API_AREAS.flatMap((area) =>
    (['read', 'write'] as const).map((access) => `${area}:${access}` as const),
  )
    .filter((scope) => given.has(scope))
    .join(' ');
}

export function parseScopes(stored: string): ReadonlySet<Scope> {
  return new Set(stored.split(/\s+/).filter(isScope));
}

/**
 * The scopes for a token from the areas ticked to read and to change: changing an area includes
 * reading it (a script that updates a chain must be able to read it back).
 */
export function scopesFrom(read: readonly string[], write: readonly string[]): Scope[] {
  const scopes = new Set<string>();
  for (const area of read) scopes.add(`${area}:read`);
  for (const area of write) {
    scopes.add(`${area}:read`);
    scopes.add(`${area}:write`);
  }
  return [...parseScopes(formatScopes(scopes))];
}

/** Every scope: what tokens made before scopes existed were given, and what tests use. */
export const ALL_SCOPES: readonly Scope[] = scopesFrom([], [...API_AREAS]);

/** The access a request needs: reading for GET and HEAD, writing for everything else. */
export function accessFor(method: string): ApiAccess {
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

export type ScopeDecision =
  { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Whether a token may make a request to an area of the API, given the scopes it was made with and
 * its owner's role now. `any` is a route every valid token may use (who the token belongs to).
 */
export function tokenMayUse(
  token: { readonly scopes: ReadonlySet<string>; readonly role: Role },
  area: ApiArea | 'any',
  access: ApiAccess,
): ScopeDecision {
  if (area === 'any') return { ok: true };
  const minimum = AREA_MIN_ROLE[area];
  if (ROLE_RANK[token.role] < ROLE_RANK[minimum]) {
    return {
      ok: false,
      message: `This token’s owner is now ${article(token.role)} ${token.role}; the ${area} part of the API needs the ${minimum} role`,
    };
  }
  if (!token.scopes.has(`${area}:${access}`)) {
    return {
      ok: false,
      message: `This token may not ${access === 'read' ? 'read' : 'change'} ${area}: it needs the ${area}:${access} scope. Create a token with it under Organisation settings, API tokens`,
    };
  }
  return { ok: true };
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** The expiries offered when a token is made, in days; or a date of one's own, a year away at most. */
export const EXPIRY_DAYS = [30, 90, 365] as const;
const DAY_MS = 86_400_000;

export type ExpiryChoice =
  | { readonly kind: 'days'; readonly days: number }
  | { readonly kind: 'date'; readonly year: number; readonly month: number; readonly day: number };

/**
 * When a token made now expires, or why the choice is refused. A date of one's own ends at the close
 * of that day (UTC); it must be after today and no more than a year from now.
 */
export function expiryFrom(
  choice: ExpiryChoice,
  now: number,
): { ok: true; expiresAt: string } | { ok: false; message: string } {
  if (choice.kind === 'days') {
    if (!(EXPIRY_DAYS as readonly number[]).includes(choice.days))
      return { ok: false, message: 'Select when the token expires' };
    return { ok: true, expiresAt: new Date(now + choice.days * DAY_MS).toISOString() };
  }
  const { year, month, day } = choice;
  const date = new Date(Date.UTC(year, month - 1, day, 23, 59, 59));
  if (
    !Number.isInteger(year) ||
    !Number.isInteger(month) ||
    !Number.isInteger(day) ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return { ok: false, message: 'Expiry date must be a real date, like 31 3 2027' };
  }
  if (date.getTime() <= now) return { ok: false, message: 'Expiry date must be in the future' };
  if (date.getTime() - now > 365 * DAY_MS + DAY_MS)
    return { ok: false, message: 'Expiry date must be no more than a year from today' };
  return { ok: true, expiresAt: date.toISOString() };
}

/** A token's last-used time is written at most this often, to spare a write on every request. */
export const TOKEN_TOUCH_EVERY_MS = 60_000;

export function shouldTouch(lastUsedAt: string | null, now: number): boolean {
  return lastUsedAt === null || now - Date.parse(lastUsedAt) >= TOKEN_TOUCH_EVERY_MS;
}
