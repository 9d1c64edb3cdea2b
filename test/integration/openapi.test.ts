// Issue 17, point 4: the OpenAPI document at /api/openapi.json is complete and valid. An
// independent validator (@seriousme/openapi-schema-validator, against the official OpenAPI 3.1
// schema) accepts it; every $ref in it resolves to something it defines; and every /api route the
// application registers (its route table) is described in it — so a route added later by anyone
// is checked the day it is added, without this test naming it.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[] }>>;
  components?: { schemas?: Record<string, unknown> };
}

/** Every `$ref` in a document, with where it was found. */
function refsIn(value: unknown, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => refsIn(item, `${at}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === '$ref' && typeof child === 'string'
      ? [{ ref: child, at }]
      : refsIn(child, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
  );
}

/** Follows a local JSON pointer (`#/components/schemas/X`) in the document; undefined if absent. */
function resolve(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

describe.each(testDatabases)('the OpenAPI document ($name)', (factory) => {
  let t: TestApp;
  let document: Document;
  beforeAll(async () => {
    t = await startTestApp(factory);
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    document = response.json<Document>();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is accepted by an independent OpenAPI 3.1 validator', async () => {
    expect(document.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(
      structuredClone(document) as unknown as Record<string, unknown>,
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // The validator's own resolver follows every reference too (it throws on one it cannot).
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('defines every schema it refers to, and only those', () => {
    const refs = refsIn(document);
    // The component schemas the routes use (DeliveryChainSummary, AssessmentResults, Error …).
    expect(refs.length).toBeGreaterThan(20);
    const unresolved = refs.filter(({ ref }) => resolve(document, ref) === undefined);
    expect(unresolved).toEqual([]);
    const defined = Object.keys(document.components?.schemas ?? {});
    for (const name of ['Error', 'DeliveryChainSummary', 'AssessmentResults', 'AssessmentRound'])
      expect(defined).toContain(name);
    const used = new Set(refs.map(({ ref }) => ref.replace('#/components/schemas/', '')));
    expect(defined.filter((name) => !used.has(name))).toEqual([]);
  });

  it('describes every /api route the application registers', () => {
    const api = t.app.routeTable.filter((r) => r.url === '/api' || r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThanOrEqual(25);
    const missing = api
      .map((r) => ({ method: r.method.toLowerCase(), path: r.url.replace(/:(\w+)/g, '{$1}') }))
      .filter(({ method, path }) => document.paths[path]?.[method] === undefined)
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(missing).toEqual([]);
    // And nothing but the API: no page of the site is described.
    expect(Object.keys(document.paths).filter((p) => !p.startsWith('/api/'))).toEqual([]);
  });
});
