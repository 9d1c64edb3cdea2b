// Issue 17, point 3: single sign-on with OpenID Connect, end to end against a real provider
// (`oidc-provider`) started on loopback: an admin sets it up (the client secret stored encrypted),
// a newcomer signs in and gets an account just in time, an existing person is linked by their
// verified address, and the attacks a reviewer would try are refused — a wrong audience, an expired
// ID token, a replayed state, another browser's state, an unverified address and an address at a
// domain the organisation does not accept — with no session and no account made. On both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, scopeOf, startTestApp, text, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider.ts';

const PUBLIC_URL = 'http://localhost:4999';
const CALLBACK = `${PUBLIC_URL}/sign-in/sso/callback`;
const ORG = 'demo-borough-council';
const ADMIN = 'admin@demo-council.example';
const SESSION = 'tl_session';

const PEOPLE = {
  newcomer: { email: 'Sam.Newcomer@demo-council.example', name: 'Sam Newcomer' },
  planner: { email: 'planner@demo-council.example', name: 'Planner at the provider' },
  outsider: { email: 'someone@elsewhere.example', name: 'Someone Else' },
  unverified: { email: 'unverified@demo-council.example', emailVerified: false },
  late: { email: 'late@demo-council.example' },
  wrongaud: { email: 'wrongaud@demo-council.example' },
  replay: { email: 'replay@demo-council.example' },
  twin: { email: 'twin@demo-council.example' },
} as const;

describe.each(testDatabases)('Single sign-on with OpenID Connect ($name)', (factory) => {
  let t: TestApp;
  let provider: TestProvider;

  const usersCount = async () =>
    Number(
      (
        await t.storage.db.kysely
          .selectFrom('users')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const auditActions = async () =>
    (await (await scopeOf(t, ORG)).auditLog(200)).map((e) => e.action);

  /** Starts at the organisation's link and plays the person at the provider; the callback URL. */
  async function throughProvider(client: Client, login: string, returnTo = '/organisation') {
    const start = await client.get(
      `/sign-in/sso/${ORG}/start?returnTo=${encodeURIComponent(returnTo)}`,
    );
    expect(start.statusCode).toBe(303);
    const to = new URL(start.headers.location as string);
    expect(to.origin).toBe(provider.issuer);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('state')).toBeTruthy();
    expect(to.searchParams.get('nonce')).toBeTruthy();
    expect(to.searchParams.get('redirect_uri')).toBe(CALLBACK);
    const back = await provider.signInThrough(to.href, login);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    return `${back.pathname}${back.search}`;
  }

  beforeAll(async () => {
    provider = await startTestProvider({ redirectUris: [CALLBACK], people: PEOPLE });
    t = await startTestApp(factory, {
      PUBLIC_URL,
      SECRETS_KEY: 'a-test-key-for-secrets-0123456789abcdef',
    });
  });

  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  it('refuses the settings page to anyone but an admin', async () => {
    const lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
    expect((await lead.get('/organisation/single-sign-on')).statusCode).toBe(403);
    const anonymous = new Client(t.app);
    expect((await anonymous.get('/organisation/single-sign-on')).statusCode).toBe(303);
  });

  it('checks the settings beside each field, and reads the provider before saving', async () => {
    const admin = new Client(t.app);
    await admin.signIn(ADMIN);
    const bad = await admin.submit('/organisation/single-sign-on', '/organisation/single-sign-on', {
      displayName: 'Council login',
      issuer: 'http://idp.example.org',
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      allowedDomains: '@demo-council.example',
      newUserRole: 'viewer',
      enabled: 'yes',
    });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('The issuer must start with https://');
    const noDomain = await admin.submit(
      '/organisation/single-sign-on',
      '/organisation/single-sign-on',
      {
        displayName: 'Council login',
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        allowedDomains: 'not a domain',
        newUserRole: 'viewer',
        enabled: 'yes',
      },
    );
    expect(noDomain.statusCode).toBe(400);
    expect(text(noDomain.body)).toContain('Enter each domain like council.gov.uk');
    const unreachable = await admin.submit(
      '/organisation/single-sign-on',
      '/organisation/single-sign-on',
      {
        displayName: 'Council login',
        issuer: 'http://127.0.0.1:9/nothing-here',
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        allowedDomains: 'demo-council.example',
        newUserRole: 'viewer',
        enabled: 'yes',
      },
    );
    expect(unreachable.statusCode).toBe(400);
    expect(text(unreachable.body)).toContain('Could not read the provider’s settings');
    expect(await t.storage.db.kysely.selectFrom('sso_configs').selectAll().execute()).toHaveLength(
      0,
    );
  });

  it('refuses a settings form without its CSRF token, saving nothing', async () => {
    const admin = new Client(t.app);
    await admin.signIn(ADMIN);
    const forged = await admin.post('/organisation/single-sign-on', {
      displayName: 'Forged',
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      allowedDomains: 'demo-council.example',
      newUserRole: 'admin',
      enabled: 'yes',
    });
    expect(forged.statusCode).toBe(403);
    expect(await t.storage.db.kysely.selectFrom('sso_configs').selectAll().execute()).toHaveLength(
      0,
    );
  });

  it('saves the settings with the client secret encrypted, and audits them', async () => {
    const admin = new Client(t.app);
    await admin.signIn(ADMIN);
    const saved = await admin.submit(
      '/organisation/single-sign-on',
      '/organisation/single-sign-on',
      {
        displayName: 'Council login',
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        allowedDomains: 'demo-council.example, @Demo-Council.example',
        newUserRole: 'viewer',
        enabled: 'yes',
      },
    );
    expect(saved.statusCode).toBe(303);
    const page = await admin.get('/organisation/single-sign-on');
    expect(text(page.body)).toContain('Stored, encrypted');
    expect(page.body).toContain(CALLBACK);
    const [secret] = await t.storage.db.kysely.selectFrom('sso_secrets').selectAll().execute();
    expect(secret?.client_secret.startsWith('v1.')).toBe(true);
    expect(secret?.client_secret).not.toContain(provider.clientSecret);
    const [config] = await t.storage.db.kysely.selectFrom('sso_configs').selectAll().execute();
    expect(config?.allowed_domains).toBe('demo-council.example');
    const audit = await (await scopeOf(t, ORG)).auditLog(5);
    const entry = audit.find((e) => e.action === 'sso.configured');
    expect(entry?.details.secretChanged).toBe(true);
    expect(JSON.stringify(entry?.details)).not.toContain(provider.clientSecret);
  });

  it('offers the organisation’s provider for an address at its domain, and says when none does', async () => {
    const client = new Client(t.app);
    const found = await client.get('/sign-in/sso?email=someone%40demo-council.example');
    expect(found.statusCode).toBe(200);
    expect(text(found.body)).toContain('Sign in with Council login');
    expect(found.body).toContain(`/sign-in/sso/${ORG}/start`);
    const none = await client.get('/sign-in/sso?email=someone%40elsewhere.example');
    expect(none.statusCode).toBe(400);
    expect(text(none.body)).toContain(
      'No organisation here uses single sign-on for addresses at elsewhere.example',
    );
    expect((await client.get('/sign-in')).body).toContain('/sign-in/sso');
  });

  it('signs a newcomer in and makes their account just in time, with the configured role', async () => {
    const before = await usersCount();
    const client = new Client(t.app);
    // A session cookie planted before signing in is not the one used after.
    await client.signIn('auditor@demo-council.example');
    const planted = client.cookie(SESSION);
    const callback = await throughProvider(client, 'newcomer', '/organisation/members');
    const done = await client.get(callback);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/organisation/members');
    expect(client.cookie(SESSION)).toBeTruthy();
    expect(client.cookie(SESSION)).not.toBe(planted);
    const home = await client.get('/organisation');
    expect(home.statusCode).toBe(200);
    expect(text(home.body)).toContain('Sam Newcomer (sam.newcomer@demo-council.example)');
    expect(home.body).toContain('with the <strong>viewer</strong> role');
    expect(await usersCount()).toBe(before + 1);
    // The old session was ended.
    const old = await t.app.inject({
      url: '/organisation',
      headers: { cookie: `${SESSION}=${planted}` },
    });
    expect(old.statusCode).toBe(303);
    const actions = await auditActions();
    expect(actions).toContain('sso.account_created');
    expect(actions).toContain('session.signed_in');
    // Signing in again finds the same person by the provider's id: no second account.
    const again = new Client(t.app);
    expect((await again.get(await throughProvider(again, 'newcomer'))).statusCode).toBe(303);
    expect(await usersCount()).toBe(before + 1);
  });

  it('makes one account when a newcomer’s first two sign-ins finish at the same moment', async () => {
    const before = await usersCount();
    const first = new Client(t.app);
    const second = new Client(t.app);
    const callbacks = [
      await throughProvider(first, 'twin'),
      await throughProvider(second, 'twin'),
    ] as const;
    const answers = await Promise.all([first.get(callbacks[0]), second.get(callbacks[1])]);
    expect(answers.map((a) => a.statusCode)).toEqual([303, 303]);
    expect(await usersCount()).toBe(before + 1);
  });

  it('links an existing person by their verified address, keeping their role', async () => {
    const before = await usersCount();
    const client = new Client(t.app);
    const done = await client.get(await throughProvider(client, 'planner'));
    expect(done.statusCode).toBe(303);
    const home = await client.get('/organisation');
    expect(home.body).toContain(
      '(planner@demo-council.example), with the <strong>member</strong> role',
    );
    expect(await usersCount()).toBe(before);
    expect(await auditActions()).toContain('sso.account_linked');
    const links = await t.storage.db.kysely
      .selectFrom('sso_identities')
      .select(['subject', 'issuer'])
      .where('subject', '=', 'planner')
      .execute();
    expect(links).toEqual([{ subject: 'planner', issuer: provider.issuer }]);
  });

  it('refuses an ID token made for another client (wrong audience)', async () => {
    const before = await usersCount();
    const client = new Client(t.app);
    const callback = await throughProvider(client, 'wrongaud');
    provider.tamper('wrong-audience');
    try {
      const refused = await client.get(callback);
      // The provider did issue the altered token (correctly signed): the product refused it.
      expect(provider.tampered()).toEqual({ mode: 'wrong-audience', count: 1 });
      expect(refused.statusCode).toBe(400);
      expect(text(refused.body)).toContain('could not be checked, so you have not been signed in');
      expect(client.cookie(SESSION)).toBeUndefined();
    } finally {
      provider.tamper('none');
    }
    expect(await usersCount()).toBe(before);
  });

  it('refuses an expired ID token', async () => {
    const before = await usersCount();
    const client = new Client(t.app);
    const callback = await throughProvider(client, 'late');
    provider.tamper('expired');
    try {
      const refused = await client.get(callback);
      // The provider did issue the altered token (correctly signed): the product refused it.
      expect(provider.tampered()).toEqual({ mode: 'expired', count: 1 });
      expect(refused.statusCode).toBe(400);
      expect(text(refused.body)).toContain('could not be checked, so you have not been signed in');
      expect(client.cookie(SESSION)).toBeUndefined();
    } finally {
      provider.tamper('none');
    }
    expect(await usersCount()).toBe(before);
  });

  it('refuses a replayed state, and a state finished in another browser', async () => {
    const client = new Client(t.app);
    const callback = await throughProvider(client, 'replay');
    const browserValue = client.cookie('tl_sso');
    expect(browserValue).toBeTruthy();
    // Another browser (an attacker who captured the answer) cannot finish it.
    const other = await t.app.inject({ url: callback, headers: { accept: 'text/html' } });
    expect(other.statusCode).toBe(400);
    expect(text(other.body)).toContain('has expired or has already been used');
    // That attempt used the state up: even the right browser cannot finish it now.
    const replay = await client.get(callback);
    expect(replay.statusCode).toBe(400);
    expect(client.cookie(SESSION)).toBeUndefined();

    // A good sign-in, then the same answer sent again with the same cookie: refused.
    const good = new Client(t.app);
    const goodCallback = await throughProvider(good, 'replay');
    const cookie = `tl_sso=${good.cookie('tl_sso') ?? ''}`;
    expect((await good.get(goodCallback)).statusCode).toBe(303);
    const replayed = await t.app.inject({
      url: goodCallback,
      headers: { cookie, accept: 'text/html' },
    });
    expect(replayed.statusCode).toBe(400);
    expect(text(replayed.body)).toContain('has expired or has already been used');
    expect(replayed.cookies.find((c) => c.name === SESSION && c.value !== '')).toBeUndefined();
  });

  it('refuses someone at another e-mail domain, and audits it', async () => {
    const before = await usersCount();
    const client = new Client(t.app);
    const refused = await client.get(await throughProvider(client, 'outsider'));
    expect(refused.statusCode).toBe(403);
    expect(text(refused.body)).toContain(
      'Addresses at elsewhere.example cannot sign in to this organisation',
    );
    expect(client.cookie(SESSION)).toBeUndefined();
    expect(await usersCount()).toBe(before);
    expect(await auditActions()).toContain('sso.sign_in_refused');
  });

  it('refuses an address the provider has not verified', async () => {
    const before = await usersCount();
    const client = new Client(t.app);
    const refused = await client.get(await throughProvider(client, 'unverified'));
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('did not give a verified email address');
    expect(await usersCount()).toBe(before);
  });

  it('stops offering single sign-on once it is switched off', async () => {
    const admin = new Client(t.app);
    await admin.signIn(ADMIN);
    const off = await admin.submit('/organisation/single-sign-on', '/organisation/single-sign-on', {
      displayName: 'Council login',
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: '',
      allowedDomains: 'demo-council.example',
      newUserRole: 'viewer',
      enabled: 'no',
    });
    expect(off.statusCode).toBe(303);
    const client = new Client(t.app);
    expect((await client.get(`/sign-in/sso/${ORG}/start`)).statusCode).toBe(404);
    expect((await client.get(`/sign-in/sso/${ORG}`)).statusCode).toBe(404);
  });
});
