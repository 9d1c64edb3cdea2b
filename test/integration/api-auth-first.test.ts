// Issue 17: the API authenticates before it validates. Generated from the OpenAPI document, so a
// new route is covered the day it is added: every operation that declares the bearer-token
// requirement, called without a token (and with a wrong one) using malformed path parameters and a
// hostile body, answers 401 — never 400, 404 or 5xx — and says how to authenticate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../helpers/databases.ts';
import { apiTokenFor, startTestApp, type TestApp } from '../helpers/app.ts';
import { apiAreaOf } from '../../src/web/api.ts';

interface Operation {
  readonly security?: readonly unknown[];
}
type PathItem = Record<string, Operation>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe.each(testDatabases)('API authentication comes first ($name)', (factory) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(factory);
  });
  afterAll(async () => {
    await t.close();
  });

  it('every secured operation answers 401 to a caller without a valid token, whatever it sends', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, PathItem>;
    }>();
    const cases: { method: (typeof METHODS)[number]; url: string }[] = [];
    for (const [template, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation?.security?.length) continue;
        // Every path parameter malformed: not a uuid, not a number, with path tricks.
        const url = template.replace(/\{[^}]+\}/g, '..%2f..%2fnot-an-id');
        cases.push({ method, url });
      }
    }
    expect(cases.length).toBeGreaterThanOrEqual(15);
    const refused: string[] = [];
    for (const { method, url } of cases) {
      for (const authorization of [undefined, 'Bearer not-a-real-token', 'Basic abc']) {
        const response = await t.app.inject({
          method: method.toUpperCase() as 'GET',
          url,
          headers: {
            ...(authorization ? { authorization } : {}),
            ...(method === 'get' || method === 'delete'
              ? {}
              : { 'content-type': 'application/json' }),
          },
          ...(method === 'get' || method === 'delete'
            ? {}
            : { payload: '{"role": 12, "name": {"__proto__": {"x": 1}}, "stages": "x"}' }),
        });
        if (
          response.statusCode !== 401 ||
          response.json<{ error: string }>().error !== 'unauthorised'
        )
          refused.push(
            `${method.toUpperCase()} ${url} (${authorization ?? 'no token'}): ${response.statusCode}`,
          );
        else expect(response.headers['www-authenticate']).toBe('Bearer');
      }
    }
    expect(refused).toEqual([]);
  });

  it('every /api route in the route table but the public ones answers 401 first, whatever its parameters, body or content type', async () => {
    // From the route table, not the document: a route that forgot to declare the bearer-token
    // requirement (or to be documented at all) is closed all the same.
    const routes = t.app.routeTable.filter(
      (r) => r.url.startsWith('/api/') && apiAreaOf(r.url) !== 'public',
    );
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const variants: { label: string; headers: Record<string, string>; payload?: string }[] = [
      {
        label: 'malformed JSON',
        headers: { 'content-type': 'application/json' },
        payload: '{"a":',
      },
      {
        label: 'XML with an entity',
        headers: { 'content-type': 'application/xml' },
        payload: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      },
      {
        label: 'multipart without a boundary',
        headers: { 'content-type': 'multipart/form-data' },
        payload: '--x\r\n',
      },
      {
        label: 'form-encoded',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'a=1&_csrf=x',
      },
      { label: 'no body', headers: {} },
    ];
    const ids = ['not-an-id', '%00', '..%2f..%2fadmin', '00000000-0000-0000-0000-000000000000'];
    const wrong: string[] = [];
    let sent = 0;
    for (const route of routes) {
      for (const [i, variant] of variants.entries()) {
        const url = route.url.replace(/:\w+/g, ids[i % ids.length] ?? 'x');
        const bodyless = route.method === 'GET' || route.method === 'DELETE';
        sent += 1;
        const response = await t.app.inject({
          method: route.method as 'GET',
          url: `${url}?version=-1&identities=maybe`,
          headers: bodyless ? {} : variant.headers,
          ...(bodyless || variant.payload === undefined ? {} : { payload: variant.payload }),
        });
        if (
          response.statusCode !== 401 ||
          response.json<{ error: string }>().error !== 'unauthorised'
        )
          wrong.push(`${route.method} ${url} (${variant.label}): ${response.statusCode}`);
      }
    }
    expect(sent).toBeGreaterThanOrEqual(100);
    expect(wrong).toEqual([]);
  });

  it('with a valid token, hostile bodies and malformed ids get a clear 4xx, never a 5xx', async () => {
    const token = await apiTokenFor(t, 'admin@demo-council.example', 'Hostile bodies');
    const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, PathItem>;
    }>();
    const bodies = [
      '{"role": 12, "name": {"__proto__": {"x": 1}}, "stages": "x"}', // prototype poisoning
      '{"constructor": {"prototype": {"admin": true}}}',
      '{"name": "', // truncated
      '[1, 2, 3]',
      'null',
      `{"name": "${'x'.repeat(100_000)}"}`,
    ];
    const failures: string[] = [];
    let sent = 0;
    for (const [template, item] of Object.entries(document.paths)) {
      for (const method of ['post', 'put', 'patch'] as const) {
        if (!item[method]?.security?.length) continue;
        const url = template.replace(/\{[^}]+\}/g, 'not-a-uuid');
        for (const payload of bodies) {
          sent += 1;
          const response = await t.app.inject({
            method: method.toUpperCase() as 'POST',
            url,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            payload,
          });
          if (response.statusCode >= 500 || response.statusCode < 400)
            failures.push(
              `${method.toUpperCase()} ${url} ${payload.slice(0, 40)}: ${response.statusCode}`,
            );
          else expect(response.json<{ error: string }>().error).toMatch(/^[a-z_]+$/);
        }
      }
    }
    expect(sent).toBeGreaterThanOrEqual(30);
    expect(failures).toEqual([]);
  });

  it('a public operation still answers without a token', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/framework' });
    expect(response.statusCode).toBe(200);
  });
});
