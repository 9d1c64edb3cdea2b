// Issue 17, point 2: personal API tokens with scopes (read / write per area of the API), an
// expiry, the owner's current role as a ceiling, an admin's list of every token with revoke, and
// a last-used time written at most once a minute. The scope matrix and the route-table check are
// generated from the OpenAPI document, so a new route is covered (or fails the test) the day it
// is added.
import { Migrator, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_AREAS, type ApiArea } from '../../src/services/tokens.ts';
import { migrations, openDatabase } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/index.ts';
import { apiAreaOf } from '../../src/web/api.ts';
import {
  Client,
  csrfTokenFrom,
  scopeOf,
  startTestApp,
  text,
  type TestApp,
} from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const ADMIN = 'admin@demo-council.example';
const LEAD = 'lead@demo-council.example';
const MEMBER = 'planner@demo-council.example';
const VIEWER = 'auditor@demo-council.example';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly secured: boolean;
}

async function operations(t: TestApp): Promise<Operation[]> {
  const document = (await t.app.inject({ url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  }>();
  const found: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      found.push({
        method: method.toUpperCase(),
        path: template.replace(/\{([^}]+)\}/g, ':$1'),
        // Malformed parameters: a request the scope lets through stops at validation, cheaply.
        url: template.replace(/\{[^}]+\}/g, 'not-an-id'),
        secured: (operation.security?.length ?? 0) > 0,
      });
    }
  }
  return found;
}

/** Creates a token through the page as `email`; returns the secret and the page's answer. */
async function tokenThroughPage(
  t: TestApp,
  email: string,
  form: Record<string, string | string[]>,
): Promise<{ token: string; status: number; body: string; headers: Record<string, unknown> }> {
  const client = new Client(t.app);
  await client.signIn(email);
  const res = await client.submit('/organisation/api-tokens', '/organisation/api-tokens', {
    name: 'test token',
    expiry: '30',
    ...form,
  });
  return {
    token: /id="api-token">(tl_pat_[A-Za-z0-9_-]+)</.exec(res.body)?.[1] ?? '',
    status: res.statusCode,
    body: res.body,
    headers: res.headers,
  };
}

const call = (t: TestApp, token: string, method: string, url: string) =>
  t.app.inject({
    method: method as 'GET',
    url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
    },
    ...(method === 'GET' || method === 'DELETE' ? {} : { payload: '{}' }),
  });

const refusedByScope = (res: { statusCode: number; body: string }) =>
  res.statusCode === 403 && res.body.includes('"insufficient_scope"');

describe.each(testDatabases)('API tokens ($name)', (factory) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(factory);
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives every API route an area, and every public one no bearer requirement', async () => {
    const ops = await operations(t);
    expect(ops.length).toBeGreaterThanOrEqual(20);
    const withoutArea = ops.filter((op) => apiAreaOf(op.path) === undefined);
    expect(withoutArea.map((op) => `${op.method} ${op.path}`)).toEqual([]);
    const wrongPublic = ops.filter((op) => (apiAreaOf(op.path) === 'public') === op.secured);
    expect(wrongPublic.map((op) => `${op.method} ${op.path}`)).toEqual([]);
    // And a path with no area is refused to every token (fails closed).
    expect(apiAreaOf('/api/not-an-area/x')).toBeUndefined();
  });

  it('lets a token use exactly the areas and access it was made with (the scope matrix)', async () => {
    const ops = (await operations(t)).filter((op) => op.secured);
    const areaOf = (op: Operation) => apiAreaOf(op.path) as ApiArea | 'any';
    let checked = 0;
    const wrong: string[] = [];
    for (const area of API_AREAS) {
      for (const kind of ['read', 'write'] as const) {
        const { token } = await tokenThroughPage(t, ADMIN, { [kind]: area });
        expect(token, `${area}:${kind}`).toMatch(/^tl_pat_/);
        for (const op of ops) {
          const access = op.method === 'GET' ? 'read' : 'write';
          const allowed =
            areaOf(op) === 'any' ||
            (areaOf(op) === area && (kind === 'write' || access === 'read'));
          const res = await call(t, token, op.method, op.url);
          checked += 1;
          if (refusedByScope(res) === allowed || res.statusCode >= 500)
            wrong.push(`${area}:${kind} ${op.method} ${op.path} → ${res.statusCode}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(API_AREAS.length * 2 * ops.length);
    // Every API route × every area × read/write: it grows with the API (about 1,000 requests now).
  }, 180_000);

  it('caps every token at its owner’s role: only an admin’s reaches the organisation area', async () => {
    const ops = (await operations(t)).filter((op) => op.secured);
    for (const [email, role] of [
      [ADMIN, 'admin'],
      [LEAD, 'lead'],
      [MEMBER, 'member'],
      [VIEWER, 'viewer'],
    ] as const) {
      const { token } = await tokenThroughPage(t, email, { write: [...API_AREAS] });
      for (const op of ops) {
        const res = await call(t, token, op.method, op.url);
        const expectRefused = apiAreaOf(op.path) === 'organisation' && role !== 'admin';
        expect(refusedByScope(res), `${role} ${op.method} ${op.path}`).toBe(expectRefused);
        expect(res.statusCode, `${role} ${op.method} ${op.path}`).toBeLessThan(500);
      }
      if (role !== 'admin') {
        const audit = await call(t, token, 'GET', '/api/organisation/audit');
        expect(audit.json<{ message: string }>().message).toContain(`now a ${role}`);
      }
    }
  });

  it('narrows a demoted admin’s token at once, and widens it again on promotion', async () => {
    const { token } = await tokenThroughPage(t, ADMIN, { write: [...API_AREAS] });
    const scope = await scopeOf(t, 'demo-borough-council');
    const extra = (await scope.members()).find((m) => m.email === LEAD);
    const me = (await scope.members()).find((m) => m.email === ADMIN);
    if (!extra || !me) throw new Error('demo members missing');
    // Someone else must stay admin.
    await scope.changeRole(extra.membershipId, 'admin');
    expect((await call(t, token, 'GET', '/api/organisation/audit')).statusCode).toBe(200);
    const members = await call(t, token, 'GET', '/api/organisation/members');
    expect(members.statusCode).toBe(200);
    expect(members.body).toContain(VIEWER);

    await scope.changeRole(me.membershipId, 'viewer');
    const audit = await call(t, token, 'GET', '/api/organisation/audit');
    expect(audit.statusCode).toBe(403);
    const after = await call(t, token, 'GET', '/api/organisation/members');
    expect(after.statusCode).toBe(403);
    expect(after.body).not.toContain(VIEWER);
    expect((await call(t, token, 'GET', '/api/chains')).statusCode).toBe(200);
    // A viewer's role check on a write applies to the token too.
    const create = await call(t, token, 'POST', '/api/chains');
    expect(create.statusCode).toBe(403);
    expect(refusedByScope(create)).toBe(false);

    await scope.changeRole(me.membershipId, 'admin');
    expect((await call(t, token, 'GET', '/api/organisation/audit')).statusCode).toBe(200);
    await scope.changeRole(extra.membershipId, 'lead');
  });

  it('refuses an expired token with a clear 401, and checks the expiry chosen on the page', async () => {
    const scope = await scopeOf(t, 'demo-borough-council');
    const admin = (await scope.members()).find((m) => m.email === ADMIN);
    if (!admin) throw new Error('admin missing');
    const own = t.storage.scope(scope.organisationId, { userId: admin.userId, label: 'test' });
    const { token } = await t.accounts.createApiToken(own, 'short-lived', {
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    const res = await call(t, token, 'GET', '/api/chains');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'token_expired' });
    expect(res.json<{ message: string }>().message).toMatch(/expired on \d{4}-\d{2}-\d{2}/);
    // Even with a malformed id: authentication first.
    expect((await call(t, token, 'GET', '/api/chains/not-an-id')).statusCode).toBe(401);

    const tooFar = new Date(Date.now() + 400 * 86_400_000);
    const far = await tokenThroughPage(t, ADMIN, {
      read: 'chains',
      expiry: 'custom',
      'expiresOn-day': String(tooFar.getUTCDate()),
      'expiresOn-month': String(tooFar.getUTCMonth() + 1),
      'expiresOn-year': String(tooFar.getUTCFullYear()),
    });
    expect(far.status).toBe(400);
    expect(text(far.body)).toContain('Expiry date must be no more than a year from today');
    expect(far.token).toBe('');

    const none = await tokenThroughPage(t, ADMIN, { expiry: '30' });
    expect(none.status).toBe(400);
    expect(text(none.body)).toContain('Select at least one area the token may read or change');

    const noExpiry = await tokenThroughPage(t, ADMIN, { read: 'chains', expiry: 'never' });
    expect(noExpiry.status).toBe(400);
    expect(text(noExpiry.body)).toContain('Select when the token expires');

    const inMonth = new Date(Date.now() + 40 * 86_400_000);
    const chosen = await tokenThroughPage(t, ADMIN, {
      read: 'chains',
      expiry: 'custom',
      'expiresOn-day': String(inMonth.getUTCDate()),
      'expiresOn-month': String(inMonth.getUTCMonth() + 1),
      'expiresOn-year': String(inMonth.getUTCFullYear()),
    });
    expect(chosen.status).toBe(200);
    expect(chosen.headers['cache-control']).toBe('no-store');
    const row = (await own.tokens.list(admin.userId)).find((r) =>
      chosen.token.startsWith(r.prefix),
    );
    expect(row?.expiresAt).toBe(`${inMonth.toISOString().slice(0, 10)}T23:59:59.000Z`);
    expect(row?.scopes).toBe('chains:read');
  });

  it('lists every member’s tokens for an admin, who can revoke any (audited); others see their own', async () => {
    const lead = await tokenThroughPage(t, LEAD, { read: 'chains', name: 'Lead script' });
    expect((await call(t, lead.token, 'GET', '/api/chains')).statusCode).toBe(200);
    const viewer = await tokenThroughPage(t, VIEWER, { read: 'sector', name: 'Viewer script' });

    // The lead sees only their own tokens and cannot revoke the viewer's.
    const leadClient = new Client(t.app);
    await leadClient.signIn(LEAD);
    const leadPage = await leadClient.get('/organisation/api-tokens');
    expect(text(leadPage.body)).toContain('Lead script');
    expect(text(leadPage.body)).not.toContain('Viewer script');
    const scope = await scopeOf(t, 'demo-borough-council');
    const viewerRow = (await scope.tokens.list()).find((r) => r.name === 'Viewer script');
    const leadRow = (await scope.tokens.list()).find((r) => r.name === 'Lead script');
    if (!viewerRow || !leadRow) throw new Error('tokens missing');
    const denied = await leadClient.post(`/organisation/api-tokens/${viewerRow.id}/revoke`, {
      _csrf: csrfTokenFrom(leadPage.body),
    });
    expect(denied.statusCode).toBe(404);
    expect((await call(t, viewer.token, 'GET', '/api/sector/benchmarks')).statusCode).not.toBe(401);

    // The admin sees both, with their owners, and revokes the lead's.
    const admin = new Client(t.app);
    await admin.signIn(ADMIN);
    const page = await admin.get('/organisation/api-tokens');
    expect(text(page.body)).toContain('Lead script');
    expect(text(page.body)).toContain('Viewer script');
    expect(text(page.body)).toContain(LEAD);
    const revoked = await admin.post(`/organisation/api-tokens/${leadRow.id}/revoke`, {
      _csrf: csrfTokenFrom(page.body),
    });
    expect(revoked.statusCode).toBe(303);
    expect((await call(t, lead.token, 'GET', '/api/chains')).statusCode).toBe(401);
    const entry = (await scope.auditLog(20)).find((e) => e.action === 'api_token.revoked');
    expect(entry?.details).toMatchObject({ name: 'Lead script', owner: LEAD });
    expect(entry?.actorLabel).toContain(ADMIN);
    const audit = await admin.get('/organisation/audit');
    expect(text(audit.body)).toContain(`revoked the API token ‘Lead script’ of ${LEAD}`);
    // Revoking again finds nothing live.
    const again = await admin.post(`/organisation/api-tokens/${leadRow.id}/revoke`, {
      _csrf: csrfTokenFrom(page.body),
    });
    expect(again.statusCode).toBe(404);

    // A token given its expiry by migration 0023 says so on the page.
    await t.storage.db.kysely
      .updateTable('api_tokens')
      .set({ expiry_migrated: 1 })
      .where('id', '=', viewerRow.id)
      .execute();
    const noted = text((await admin.get('/organisation/api-tokens')).body);
    expect(noted).toContain('Set when scopes were added');
    expect(noted).toContain('expire 90 days after the update that added scopes');

    // Another organisation's admin cannot see or revoke them.
    const other = new Client(t.app);
    await other.signIn('admin@demo-institution.example');
    const otherPage = await other.get('/organisation/api-tokens');
    expect(text(otherPage.body)).not.toContain('Viewer script');
    const cross = await other.post(`/organisation/api-tokens/${viewerRow.id}/revoke`, {
      _csrf: csrfTokenFrom(otherPage.body),
    });
    expect(cross.statusCode).toBe(404);
    expect((await scope.tokens.list()).find((r) => r.id === viewerRow.id)?.revokedAt).toBeNull();
  });

  it('writes the last-used time at most once a minute', async () => {
    const { token } = await tokenThroughPage(t, ADMIN, { read: 'chains', name: 'touch test' });
    const scope = await scopeOf(t, 'demo-borough-council');
    const row = async () => (await scope.tokens.list()).find((r) => r.name === 'touch test');
    expect((await row())?.lastUsedAt).toBeNull();
    const start = Date.now();
    expect((await t.accounts.resolveApiToken(token, start)).ok).toBe(true);
    const first = (await row())?.lastUsedAt;
    expect(first).toBe(new Date(start).toISOString());
    await t.accounts.resolveApiToken(token, start + 59_000);
    expect((await row())?.lastUsedAt).toBe(first);
    await t.accounts.resolveApiToken(token, start + 61_000);
    expect((await row())?.lastUsedAt).toBe(new Date(start + 61_000).toISOString());
  });
});

describe.each(testDatabases)('Migration 0023 of existing tokens ($name)', (factory) => {
  it('gives a token made before scopes every area and 90 days from the migration', async () => {
    const database = await factory.create();
    const db = openDatabase(database.config);
    try {
      const migrator = new Migrator({
        db: db.kysely,
        provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
      });
      const names = Object.keys(migrations);
      const before = names[names.indexOf('0023_token_scopes') - 1] ?? '';
      expect((await migrator.migrateTo(before)).error).toBeUndefined();
      const k = db.kysely as unknown as Kysely<Record<string, Record<string, unknown>>>;
      await k
        .insertInto('organisations')
        .values({
          id: 'o1',
          name: 'Old',
          slug: 'old',
          kind: 'public_body',
          sector: 'x',
          created_at: '2026-01-01T00:00:00.000Z',
        })
        .execute();
      await k
        .insertInto('users')
        .values({
          id: 'u1',
          email: 'a@old.example',
          name: 'A',
          password_hash: 'x',
          created_at: '2026-01-01T00:00:00.000Z',
          disabled_at: null,
        })
        .execute();
      await k
        .insertInto('api_tokens')
        .values({
          id: 't1',
          organisation_id: 'o1',
          user_id: 'u1',
          name: 'old',
          token_hash: 'h',
          prefix: 'tl_pat_x',
          created_at: '2026-01-01T00:00:00.000Z',
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
      const at = Date.now();
      await migrateToLatest(db);
      const row = await db.kysely.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
      expect(row.scopes.split(' ')).toHaveLength(API_AREAS.length * 2);
      expect(Number(row.expiry_migrated)).toBe(1);
      const days = (Date.parse(row.expires_at ?? '') - at) / 86_400_000;
      expect(days).toBeGreaterThan(89.9);
      expect(days).toBeLessThan(90.1);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
