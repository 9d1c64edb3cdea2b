// Issue 17, point 6: tenant isolation generated from the route table. Every registered route, for
// every role of a second organisation (signed out, viewer, member, lead, admin, and an API token),
// is called with the demo's real ids: the answer is 404 — or 401/403/a redirect to sign-in for a
// role that may not enter — never 5xx, never a page naming the demo's objects, and the demo's rows
// are the same afterwards. The test fails when a route has a parameter this file cannot fill or a
// route without parameters answers a signed-out caller without being on the public list, so a new
// route cannot be added without being covered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { testDatabases } from '../helpers/databases.ts';
import { csrfTokenFrom, startTestApp, text, type Client, type TestApp } from '../helpers/app.ts';
import {
  buildIsolationFixture,
  changedTables,
  databaseDigest,
  fillRoute,
  paramKeys,
  ROLES,
  type IsolationFixture,
} from '../helpers/isolation.ts';
import { initiativeFields } from '../helpers/initiatives.ts';
import { ORG_CAPABILITIES } from '../helpers/rounds.ts';

/** Routes anyone may call, each with the reason. */
const PUBLIC: Readonly<Record<string, string>> = {
  'GET /assets/*': 'stylesheet, scripts, fonts and images',
  'GET /assets/govuk-frontend.min.js': 'the design system’s script',
  'GET /healthz': 'liveness probe for the platform',
  'GET /readyz': 'readiness probe for the platform',
  'GET /': 'the start page',
  'GET /about': 'what the service is',
  'GET /sign-in': 'the sign-in form',
  'POST /sign-in': 'signing in',
  'POST /sign-out': 'signing out (ends the caller’s own session only)',
  'GET /signed-out': 'the page after signing out',
  'GET /forgotten-password': 'asking for a reset link',
  'POST /forgotten-password': 'asking for a reset link',
  'GET /forgotten-password/sent': 'the page after asking',
  'GET /reset-password/:token': 'the reset link from the e-mail (the token is the secret)',
  'POST /reset-password/:token': 'setting the new password from the e-mail’s link',
  'GET /sign-in/sso': 'choosing an organisation’s single sign-on',
  'GET /sign-in/sso/callback': 'the identity provider’s answer (state checked)',
  'GET /sign-in/sso/:slug': 'an organisation’s single sign-on page',
  'GET /sign-in/sso/:slug/start': 'starting single sign-on',
  'GET /framework': 'the published framework',
  'GET /framework/:id': 'one capability of the published framework',
  'GET /api/framework': 'the published framework as JSON',
  'GET /api/framework/capabilities/:id': 'one capability as JSON',
  'GET /api/framework/schema.json': 'the framework’s JSON schema',
  'GET /invitations/:token': 'accepting an invitation (the token is the secret)',
  'POST /invitations/:token': 'accepting an invitation',
  'GET /respond/:token': 'answering a round through a single-use link (the token is the secret)',
  'GET /respond/:token/check': 'the same respondent, checking answers',
  'POST /respond/:token/submit': 'the same respondent, sending answers',
  'GET /respond/:token/done': 'the same respondent, done',
  'GET /respond/:token/:capabilityId': 'the same respondent, one question',
  'POST /respond/:token/:capabilityId': 'the same respondent, saving one answer',
  'GET /logs/progress.js': 'a static script',
  'GET /themes/progress.js': 'a static script',
  'GET /register': 'the sector’s published AI register (published on purpose)',
  'GET /api/sector/register': 'the published AI register as JSON',
  'GET /api/openapi.json': 'the API description',
};

/** Values for the parameters of public routes: secrets nobody has, or public names. */
const PUBLIC_PARAMS: Readonly<Record<string, string>> = {
  '/reset-password/:token': 'not-a-reset-token-0000000000000000',
  '/invitations/:token': 'not-an-invitation-token-000000000000',
  '/respond/:token': 'not-a-respondent-token-0000000000000',
  '/respond/:token/:capabilityId': ORG_CAPABILITIES[0] ?? '',
  '/sign-in/sso/:slug': 'demo-borough-council',
  '/framework/:id': ORG_CAPABILITIES[0] ?? '',
  '/api/framework/capabilities/:id': ORG_CAPABILITIES[0] ?? '',
};

/**
 * Routes whose owner does not get 200 with the fixture's ids, and why (the check that every id in
 * the table is a real one that the owner can open).
 */
const OWNER_NOT_OK: Readonly<Record<string, string>> = {
  'GET /themes/sets/:setId/columns': 'choosing columns is only for a set still being uploaded',
  'GET /themes/sets/:setId/compare.csv':
    'the demo’s comment set has no earlier wave (themes-waves.test.ts compares two, and refuses another organisation’s)',
  'GET /themes/sets/:setId/compare.json':
    'the demo’s comment set has no earlier wave (themes-waves.test.ts compares two, and refuses another organisation’s)',
};

/**
 * Well-formed bodies for the API's changes by id, so that the call reaches the lookup of the id (an
 * empty body would stop at validation, and prove nothing about isolation).
 */
const API_BODIES: Readonly<Record<string, unknown>> = {
  'PATCH /api/organisation/members/:id': { role: 'viewer' },
  'PUT /api/initiatives/:id': initiativeFields({ title: 'Taken over', problem: 'Taken over' }),
  'POST /api/assessments/rounds/:id/responses': {
    groupId: '00000000-0000-4000-8000-000000000000',
    respondent: 'Taken over',
    answers: [],
  },
  'PUT /api/chains/:id': { revision: 1, chain: {} },
  'POST /api/chains/:id/interventions': {
    intervention: { id: 'taken', name: 'Taken over', changes: [{ kind: 'addServers' }] },
  },
  'PUT /api/chains/:id/interventions/:iid': {
    intervention: { id: 'taken', name: 'Taken over', changes: [{ kind: 'addServers' }] },
  },
  'POST /api/comment-sets/:id/analyses/:analysisId/edits': {
    kind: 'rename',
    theme: 'taken',
    name: 'Taken over',
  },
};

type Who = (typeof ROLES)[number] | 'signed out' | 'token';

interface Outcome {
  readonly route: string;
  readonly who: Who;
  readonly status: number;
  readonly detail: string;
}

function isSignInRedirect(response: LightMyRequestResponse): boolean {
  return (
    (response.statusCode === 302 || response.statusCode === 303) &&
    String(response.headers.location ?? '').startsWith('/sign-in')
  );
}

describe.each(testDatabases)('isolation matrix from the route table ($name)', (factory) => {
  let t: TestApp;
  let f: IsolationFixture;
  const csrf = new Map<Who, string>();

  beforeAll(async () => {
    t = await startTestApp(factory);
    f = await buildIsolationFixture(t);
    await t.jobs.idle();
    for (const role of ROLES)
      csrf.set(role, csrfTokenFrom((await f.clients[role].get('/account/password')).body));
    csrf.set('signed out', csrfTokenFrom((await f.signedOut.get('/sign-in')).body));
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  /** The value of a parameter: a public one, or the demo's real id of that kind. */
  function valueOf(key: string): string {
    const value = PUBLIC_PARAMS[key] ?? f.params.get(key)?.value;
    if (value === undefined) throw new Error(`No value for the route parameter ${key}`);
    return value;
  }

  async function call(
    who: Who,
    method: string,
    url: string,
    route: string,
  ): Promise<LightMyRequestResponse> {
    if (who === 'token') {
      const body =
        method === 'GET' || method === 'DELETE'
          ? undefined
          : JSON.stringify(API_BODIES[`${method} ${route}`] ?? {});
      return t.app.inject({
        method: method as 'GET',
        url,
        headers: {
          authorization: `Bearer ${f.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: body }),
      });
    }
    const client: Client = who === 'signed out' ? f.signedOut : f.clients[who];
    if (method === 'GET') return client.get(url);
    if (method === 'POST') return client.post(url, { _csrf: csrf.get(who) ?? '' });
    // No form sends PUT or PATCH: those are the API's, which takes no cookies.
    return t.app.inject({ method: method as 'PUT', url, payload: {} });
  }

  it('every route has a value for each parameter and is classified', () => {
    const missing = new Set<string>();
    for (const route of t.app.routeTable)
      for (const { key } of paramKeys(route.url))
        if (PUBLIC_PARAMS[key] === undefined && !f.params.has(key)) missing.add(key);
    // A new parameter needs an entry in buildIsolationFixture (test/helpers/isolation.ts).
    expect([...missing]).toEqual([]);
    const routes = new Set(t.app.routeTable.map((r) => `${r.method} ${r.url}`));
    expect(Object.keys(PUBLIC).filter((r) => !routes.has(r))).toEqual([]);
    expect(t.app.routeTable.length).toBeGreaterThan(250);
  });

  it('no role of another organisation reaches, changes or sees the demo’s objects', async () => {
    const before = await databaseDigest(t, f.otherOrganisationId);
    const wrong: Outcome[] = [];
    let cases = 0;
    const who: readonly Who[] = ['signed out', ...ROLES, 'token'];
    for (const route of t.app.routeTable) {
      const name = `${route.method} ${route.url}`;
      const isPublic = PUBLIC[name] !== undefined;
      const params = paramKeys(route.url);
      // Routes without parameters: role rules only, by reading (their forms are the fuzz test's).
      if (params.length === 0 && route.method !== 'GET') continue;
      const url = fillRoute(route.url.replace('*', 'no-such-asset.css'), valueOf);
      for (const w of who) {
        if (w === 'token' && !route.url.startsWith('/api/') && params.length === 0) continue;
        cases += 1;
        const response = await call(w, route.method, url, route.url);
        const status = response.statusCode;
        const shown = text(response.body);
        const leaked = isPublic ? undefined : f.markers.find((m) => shown.includes(m));
        if (status >= 500) {
          wrong.push({ route: name, who: w, status, detail: shown.slice(0, 200) });
        } else if (leaked !== undefined) {
          wrong.push({ route: name, who: w, status, detail: `shows “${leaked}”` });
        } else if (isPublic) {
          continue;
        } else if (
          w === 'signed out' ||
          // The API takes only tokens; pages take only the session cookie.
          (w === 'token') !== route.url.startsWith('/api/')
        ) {
          if (!(isSignInRedirect(response) || status === 401 || status === 403))
            wrong.push({ route: name, who: w, status, detail: 'answered a caller not signed in' });
        } else if (params.length === 0) {
          if (!(status === 200 || status === 403 || status === 404 || status === 303))
            wrong.push({ route: name, who: w, status, detail: response.body.slice(0, 120) });
        } else if (!(status === 404 || status === 403)) {
          wrong.push({
            route: name,
            who: w,
            status,
            detail: `${String(response.headers.location ?? '')} ${shown.slice(0, 120)}`,
          });
        }
      }
    }
    await t.jobs.idle();
    const after = await databaseDigest(t, f.otherOrganisationId);
    console.log(
      `isolation matrix (${factory.name}): ${cases} cases over ${t.app.routeTable.length} routes, ${
        who.length
      } roles; ${wrong.length} wrong`,
    );
    expect(wrong.map((o) => `${o.route} as ${o.who}: ${o.status} ${o.detail}`)).toEqual([]);
    expect(changedTables(before, after)).toEqual([]);
  }, 600_000);

  it('the ids are real: their owners open every page that takes them', async () => {
    const wrong: string[] = [];
    let checked = 0;
    let named = 0;
    for (const route of t.app.routeTable) {
      const name = `${route.method} ${route.url}`;
      const params = paramKeys(route.url);
      if (route.method !== 'GET' || params.length === 0 || PUBLIC[name] !== undefined) continue;
      const owner = f.params.get(params.at(-1)?.key ?? '')?.ownerId ?? f.councilId;
      const url = fillRoute(route.url, valueOf);
      const response = route.url.startsWith('/api/')
        ? await t.app.inject({
            method: 'GET',
            url,
            headers: { authorization: `Bearer ${await f.ownerToken(owner)}` },
          })
        : await (await f.owner(owner)).get(url);
      checked += 1;
      // The leak check can fail: the owner's own pages do show the names it looks for.
      if (f.markers.some((m) => text(response.body).includes(m))) named += 1;
      if (response.statusCode === 404 || response.statusCode >= 500)
        if (OWNER_NOT_OK[name] === undefined) wrong.push(`${name}: ${response.statusCode}`);
    }
    console.log(
      `isolation matrix (${factory.name}): ${checked} pages opened by their owners, ${named} naming their objects`,
    );
    expect(wrong).toEqual([]);
    expect(named).toBeGreaterThan(checked / 2);
  }, 300_000);
});
