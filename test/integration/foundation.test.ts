// The foundation through HTTP, against every configured database: sign-in and sign-out, CSRF,
// roles, organisation isolation, invitations, API tokens, the audit trail and the public API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Client,
  DEMO_PASSWORD,
  csrfTokenFrom,
  FULL_TOKEN_FORM,
  startTestApp,
  type TestApp,
} from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { seedDemoIfEmpty } from '../../src/seed/demo.ts';
import { DEMO_MEMBERS } from '../../src/seed/sector.ts';

const COUNCIL_ADMIN = 'admin@demo-council.example';
const INSTITUTION_ADMIN = 'admin@demo-institution.example';

describe.each(testDatabases)('foundation on $name', (factory) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
  });
  afterAll(async () => {
    await t.close();
  });

  const councilScope = async () => {
    const org = (await t.storage.db.kysely.selectFrom('organisations').selectAll().execute()).find(
      (o) => o.slug === 'demo-borough-council',
    );
    if (!org) throw new Error('demo council missing');
    return t.storage.scope(org.id, { userId: null, label: 'test' });
  };

  it('reports health once the database answers', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      database: { dialect: factory.name, reachable: true },
    });
  });

  it('serves the framework publicly as JSON: 12 capabilities with 5 levels each', async () => {
    const res = await t.app.inject({ url: '/api/framework' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      capabilities: { id: string; number: number; scope: string; levels: unknown[] }[];
    }>();
    expect(body.capabilities).toHaveLength(12);
    expect(
      body.capabilities.filter((c) => c.scope === 'organisation').map((c) => c.number),
    ).toEqual([1, 2, 3, 4, 5]);
    for (const c of body.capabilities) expect(c.levels).toHaveLength(5);
    const one = await t.app.inject({ url: '/api/framework/capabilities/9' });
    expect(one.json()).toMatchObject({ id: 'governing-failure', number: 9, scope: 'sector' });
    expect((await t.app.inject({ url: '/api/framework/capabilities/nope' })).statusCode).toBe(404);
  });

  it('describes the API in a valid OpenAPI 3 document generated from the route schemas', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/framework', '/api/me', '/api/organisation/members/{id}']),
    );
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/'))).toBe(true);
    const patch = doc.paths['/api/organisation/members/{id}']?.patch as {
      requestBody: {
        content: Record<string, { schema: { properties: { role: { enum: string[] } } } }>;
      };
    };
    expect(patch.requestBody.content['application/json']?.schema.properties.role.enum).toEqual([
      'admin',
      'lead',
      'member',
      'viewer',
    ]);
  });

  it('renders the framework browser with all 12 capabilities linked', async () => {
    const res = await new Client(t.app).get('/framework');
    expect(res.statusCode).toBe(200);
    const links = new Set(
      [...res.body.matchAll(/href="\/framework\/([a-z-]+)"/g)].map((m) => m[1]),
    );
    expect(links.size).toBe(12);
    const page = await new Client(t.app).get('/framework/organisational-learning');
    expect(page.body).toContain('Organisational Learning');
    expect(page.body).toContain('Table 1');
  });

  it('signs in with a correct password and records it in the audit log', async () => {
    const client = new Client(t.app);
    const res = await client.signIn(COUNCIL_ADMIN);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/organisation');
    const cookie = res.cookies.find((c) => c.name === 'tl_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const page = await client.get('/organisation');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Demo Borough Council');
    const log = await (await councilScope()).auditLog(10);
    expect(
      log.some((e) => e.action === 'session.signed_in' && e.actorLabel.includes(COUNCIL_ADMIN)),
    ).toBe(true);
  });

  it('refuses a wrong password with the same message as an unknown address, and no session', async () => {
    for (const email of [COUNCIL_ADMIN, 'nobody@example.org']) {
      const client = new Client(t.app);
      const res = await client.signIn(email, 'wrong-password-123');
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('Enter a correct email address and password');
      expect(client.cookie('tl_session')).toBeUndefined();
    }
  });

  it('rejects a form without a valid CSRF token, and changes nothing', async () => {
    const client = new Client(t.app);
    await client.get('/sign-in');
    const missing = await client.post('/sign-in', {
      email: COUNCIL_ADMIN,
      password: DEMO_PASSWORD,
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('Your form could not be sent');
    const forged = await client.post('/sign-in', {
      _csrf: 'forged-token',
      email: COUNCIL_ADMIN,
      password: DEMO_PASSWORD,
    });
    expect(forged.statusCode).toBe(403);
    expect(client.cookie('tl_session')).toBeUndefined();

    // A signed-in admin's state-changing form without its token does nothing either.
    const admin = new Client(t.app);
    await admin.signIn(COUNCIL_ADMIN);
    const before = (await (await councilScope()).invitations()).length;
    const res = await admin.post('/organisation/invitations', {
      name: 'Forged',
      email: 'forged@example.org',
      role: 'admin',
    });
    expect(res.statusCode).toBe(403);
    expect((await (await councilScope()).invitations()).length).toBe(before);
  });

  it('signs out: the session no longer works, even if the cookie is replayed', async () => {
    const client = new Client(t.app);
    await client.signIn(COUNCIL_ADMIN);
    const token = client.cookie('tl_session');
    const page = await client.get('/organisation');
    const out = await client.post('/sign-out', { _csrf: csrfTokenFrom(page.body) });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/signed-out');
    const replay = await t.app.inject({
      url: '/organisation',
      headers: { cookie: `tl_session=${token}` },
    });
    expect(replay.statusCode).toBe(303);
    expect(replay.headers.location).toBe('/sign-in?returnTo=%2Forganisation');
  });

  it('enforces roles: members and viewers cannot invite or change roles', async () => {
    const member = new Client(t.app);
    await member.signIn('planner@demo-council.example');
    const page = await member.get('/organisation/invitations/new');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('You do not have permission');
    const members = await (await councilScope()).members();
    const target = members.find((m) => m.email === 'auditor@demo-council.example');
    const org = await member.get('/organisation');
    const res = await member.post(`/organisation/members/${target?.membershipId}`, {
      _csrf: csrfTokenFrom(org.body),
      role: 'admin',
    });
    expect(res.statusCode).toBe(403);
    expect((await (await councilScope()).member(target?.membershipId ?? ''))?.role).toBe('viewer');
  });

  it('refuses another organisation’s ids with 404, without revealing them', async () => {
    const admin = new Client(t.app);
    await admin.signIn(COUNCIL_ADMIN);
    const institutionAdmin = new Client(t.app);
    await institutionAdmin.signIn(INSTITUTION_ADMIN);
    const theirMembers = await t.app.inject({
      url: '/organisation/members',
      headers: { cookie: '' },
    });
    expect(theirMembers.statusCode).toBe(303);
    const institutionPage = await institutionAdmin.get('/organisation/members');
    const otherId = /\/organisation\/members\/([0-9a-f-]{36})/.exec(institutionPage.body)?.[1];
    expect(otherId).toBeDefined();

    const view = await admin.get(`/organisation/members/${otherId}`);
    expect(view.statusCode).toBe(404);
    expect(view.body).not.toContain('demo-institution.example');
    const org = await admin.get('/organisation');
    const change = await admin.post(`/organisation/members/${otherId}`, {
      _csrf: csrfTokenFrom(org.body),
      role: 'viewer',
    });
    expect(change.statusCode).toBe(404);
    const remove = await admin.post(`/organisation/members/${otherId}/remove`, {
      _csrf: csrfTokenFrom(org.body),
    });
    expect(remove.statusCode).toBe(404);
    const institutionMembers = await institutionAdmin.get('/organisation/members');
    expect(institutionMembers.body).toContain('Admin');
    expect(institutionMembers.body).toContain(INSTITUTION_ADMIN);
  });

  it('lets an admin invite someone, who joins once through the link; the trail is audited', async () => {
    const admin = new Client(t.app);
    await admin.signIn(COUNCIL_ADMIN);
    const bad = await admin.submit('/organisation/invitations/new', '/organisation/invitations', {
      name: '',
      email: 'not-an-email',
      role: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('Enter the person’s full name');
    expect(bad.body).toContain('Enter an email address in the correct format');

    const created = await admin.submit(
      '/organisation/invitations/new',
      '/organisation/invitations',
      {
        name: 'Dana Frontline',
        email: 'Dana@Example.org',
        role: 'member',
      },
    );
    expect(created.statusCode).toBe(200);
    const link = /http:\/\/[^/]+(\/invitations\/[A-Za-z0-9_-]+)/.exec(created.body)?.[1];
    expect(link).toBeDefined();

    const invitee = new Client(t.app);
    const accept = await invitee.get(link ?? '');
    expect(accept.statusCode).toBe(200);
    expect(accept.body).toContain('Join Demo Borough Council');
    const mismatch = await invitee.post(link ?? '', {
      _csrf: csrfTokenFrom(accept.body),
      name: 'Dana Frontline',
      password: 'a-long-enough-password',
      confirmPassword: 'something-else-entirely',
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('The passwords do not match');
    const joined = await invitee.post(link ?? '', {
      _csrf: csrfTokenFrom(accept.body),
      name: 'Dana Frontline',
      password: 'a-long-enough-password',
      confirmPassword: 'a-long-enough-password',
    });
    expect(joined.statusCode).toBe(303);
    expect((await invitee.get('/organisation')).body).toContain(
      'with the <strong>member</strong> role',
    );

    // Single use: the link does nothing a second time.
    const again = await new Client(t.app).get(link ?? '');
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('This invitation link cannot be used');

    const signIn = await new Client(t.app).signIn('dana@example.org', 'a-long-enough-password');
    expect(signIn.statusCode).toBe(303);

    const log = await (await councilScope()).auditLog(50);
    const actions = log.map((e) => e.action);
    expect(actions).toContain('invitation.created');
    expect(actions).toContain('member.added');
    const added = log.find((e) => e.action === 'member.added');
    expect(added?.actorLabel).toContain('dana@example.org');
  });

  it('changes a role, audits the change, and never leaves an organisation without an admin', async () => {
    const admin = new Client(t.app);
    await admin.signIn(COUNCIL_ADMIN);
    const scope = await councilScope();
    const lead = (await scope.members()).find((m) => m.email === 'lead@demo-council.example');
    const res = await admin.submit(
      `/organisation/members/${lead?.membershipId}`,
      `/organisation/members/${lead?.membershipId}`,
      {
        role: 'viewer',
      },
    );
    expect(res.statusCode).toBe(303);
    expect((await scope.member(lead?.membershipId ?? ''))?.role).toBe('viewer');
    const entry = (await scope.auditLog(20)).find((e) => e.action === 'member.role_changed');
    expect(entry?.details).toMatchObject({ before: 'lead', after: 'viewer' });
    expect(entry?.actorLabel).toContain(COUNCIL_ADMIN);

    const self = (await scope.members()).find((m) => m.email === COUNCIL_ADMIN);
    const demote = await admin.submit(
      `/organisation/members/${self?.membershipId}`,
      `/organisation/members/${self?.membershipId}`,
      {
        role: 'member',
      },
    );
    expect(demote.statusCode).toBe(400);
    expect(demote.body).toContain('at least one admin');
    expect((await scope.member(self?.membershipId ?? ''))?.role).toBe('admin');
    await scope.changeRole(lead?.membershipId ?? '', 'lead');
  });

  it('issues personal API tokens that scope the API to their organisation and can be revoked', async () => {
    const admin = new Client(t.app);
    await admin.signIn(COUNCIL_ADMIN);
    const created = await admin.submit('/organisation/api-tokens', '/organisation/api-tokens', {
      name: 'Monthly export',
      ...FULL_TOKEN_FORM,
    });
    expect(created.statusCode).toBe(200);
    const token = /id="api-token">(tl_pat_[A-Za-z0-9_-]+)</.exec(created.body)?.[1];
    expect(token).toBeDefined();
    const stored = await t.storage.db.kysely
      .selectFrom('api_tokens')
      .select('token_hash')
      .execute();
    expect(stored.some((r) => r.token_hash === token)).toBe(false);

    const me = await t.app.inject({
      url: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      organisation: { name: 'Demo Borough Council' },
      role: 'admin',
    });

    const institution = new Client(t.app);
    await institution.signIn(INSTITUTION_ADMIN);
    const otherId = /\/organisation\/members\/([0-9a-f-]{36})/.exec(
      (await institution.get('/organisation/members')).body,
    )?.[1];
    const cross = await t.app.inject({
      method: 'PATCH',
      url: `/api/organisation/members/${otherId}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { role: 'viewer' },
    });
    expect(cross.statusCode).toBe(404);

    const invalid = await t.app.inject({
      method: 'PATCH',
      url: `/api/organisation/members/${otherId}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { role: 'emperor' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ error: 'invalid_request' });

    const tokensPage = await admin.get('/organisation/api-tokens');
    const id = /\/organisation\/api-tokens\/([0-9a-f-]{36})\/revoke/.exec(tokensPage.body)?.[1];
    const revoked = await admin.post(`/organisation/api-tokens/${id}/revoke`, {
      _csrf: csrfTokenFrom(tokensPage.body),
    });
    expect(revoked.statusCode).toBe(303);
    const after = await t.app.inject({
      url: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
  });

  it('does not accept the session cookie on the API (which therefore needs no CSRF defence)', async () => {
    const client = new Client(t.app);
    await client.signIn(COUNCIL_ADMIN);
    const res = await t.app.inject({
      url: '/api/me',
      headers: { cookie: `tl_session=${client.cookie('tl_session')}` },
    });
    expect(res.statusCode).toBe(401);
  });

  it('answers unknown pages with a GOV.UK 404 page, and unknown API paths with JSON', async () => {
    const page = await new Client(t.app).get('/no-such-page');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Page not found');
    const api = await t.app.inject({ url: '/api/no-such-thing' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: 'not_found' });
  });

  it('sets security headers with a nonce-based Content-Security-Policy', async () => {
    const res = await new Client(t.app).get('/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(res.body).toContain(`nonce="${nonce}"`);
  });

  it('refuses an oversized form with 413 and stores nothing', async () => {
    const admin = new Client(t.app);
    await admin.signIn(COUNCIL_ADMIN);
    const before = (await (await councilScope()).invitations()).length;
    const page = await admin.get('/organisation/invitations/new');
    const res = await admin.post('/organisation/invitations', {
      _csrf: csrfTokenFrom(page.body),
      name: 'x'.repeat(70_000),
      email: 'big@example.org',
      role: 'member',
    });
    expect(res.statusCode).toBe(413);
    expect((await (await councilScope()).invitations()).length).toBe(before);
  });

  it('never seeds the demo into a database that has data', async () => {
    const result = await seedDemoIfEmpty(t.storage, { password: 'another-password-123' });
    expect(result.seeded).toBe(false);
    const orgs = await t.storage.platform.countOrganisations();
    // The council, the institution and the institution's demo member councils.
    expect(orgs).toBe(2 + DEMO_MEMBERS.length);
  });
});

describe.each(testDatabases)('sign-in rate limit on $name', (factory) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 after too many attempts, even with the right password', async () => {
    const client = new Client(t.app);
    for (let i = 0; i < 3; i++) {
      expect((await client.signIn(COUNCIL_ADMIN, 'wrong-password-123')).statusCode).toBe(401);
    }
    const blocked = await client.signIn(COUNCIL_ADMIN);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('Too many attempts');
    expect(client.cookie('tl_session')).toBeUndefined();
  });
});
