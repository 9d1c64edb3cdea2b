// Sign-in hardening (issue 17, point 1) through HTTP on every database, as an attacker would try
// it: return addresses that try to leave the site, password guessing from many addresses (and from
// two processes sharing one database), common passwords, session rotation, idle timeout, signing
// out everywhere, changing a password, resetting one by a link emailed to a real SMTP server on
// loopback, and the headers that keep private pages out of caches and frames.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { defaultFramework } from '../../src/domain/framework/index.ts';
import { createJobRunner } from '../../src/jobs/index.ts';
import { AccountService } from '../../src/services/accounts.ts';
import { FrameworkRegistry } from '../../src/services/frameworks.ts';
import { createStorage, openDatabase } from '../../src/storage/index.ts';
import { buildApp } from '../../src/web/app.ts';
import {
  Client,
  DEMO_PASSWORD,
  csrfTokenFrom,
  scopeOf,
  FULL_TOKEN_FORM,
  startTestApp,
  text,
  type TestApp,
} from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { linkIn, TestSmtpServer } from '../helpers/smtp.ts';

const COUNCIL_ADMIN = 'admin@demo-council.example';
const LEAD = 'lead@demo-council.example';
const PLANNER = 'planner@demo-council.example';
const AUDITOR = 'auditor@demo-council.example';
const INSTITUTION_ADMIN = 'admin@demo-institution.example';
const FROM = 'Throughline <accounts@demo-council.example>';
const SITE = 'http://localhost';
const THROTTLED = 'Too many attempts to sign in. Wait 15 minutes, then try again';

/** A second web process on the same database, as a scaled-out deployment runs. */
async function secondApp(t: TestApp, env: Record<string, string> = {}) {
  const config = {
    ...loadConfig({ NODE_ENV: 'test', DATA_DIR: 'data', LOG_LEVEL: 'silent', ...env }),
    database: t.config.database,
  };
  const db = openDatabase(config.database);
  const storage = createStorage(db);
  const accounts = new AccountService(storage, config);
  const app = await buildApp({
    config,
    storage,
    accounts,
    framework: defaultFramework,
    frameworks: new FrameworkRegistry(defaultFramework),
    jobs: createJobRunner(storage, { pollMs: 200 }),
  });
  await app.ready();
  return {
    app,
    accounts,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** One sign-in from a given client address (a fresh browser each time). */
async function signInFrom(
  app: FastifyInstance,
  email: string,
  password: string,
  remoteAddress: string,
): Promise<LightMyRequestResponse> {
  const page = await app.inject({ url: '/sign-in', remoteAddress });
  const cookie = page.cookies.map((c) => `${c.name}=${encodeURIComponent(c.value)}`).join('; ');
  return app.inject({
    method: 'POST',
    url: '/sign-in',
    remoteAddress,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfTokenFrom(page.body), email, password }).toString(),
  });
}

const sessionsOf = async (t: TestApp, email: string) =>
  t.storage.db.kysely
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.last_seen_at'])
    .where('u.email', '=', email)
    .execute();

describe.each(testDatabases)('sign-in hardening on $name', (factory) => {
  const smtp = new TestSmtpServer();
  let t: TestApp;

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp(factory, {
      SIGN_IN_RATE_LIMIT: '1000',
      SMTP_URL: smtp.url,
      MAIL_FROM: FROM,
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  describe('returnTo', () => {
    const hostile = [
      '//evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\\/evil.example',
      'https://evil.example/',
      'https:evil.example',
      'javascript:alert(1)',
      '/.//evil.example',
      '/..//evil.example',
      '/%2e/%2e//evil.example',
      ' //evil.example',
      '/\u00a0/evil.example',
    ];

    /** The Location a response sends the browser to, resolved as a browser would. */
    const landing = (res: LightMyRequestResponse) => {
      const location = String(res.headers.location ?? '');
      // eslint-disable-next-line no-control-regex -- a raw control character is what must never appear
      expect(location).not.toMatch(/[\u0000-\u001f\u007f]/);
      return new URL(location, SITE);
    };

    it.each(hostile)('never sends a signed-in person off the site (%j)', async (returnTo) => {
      const client = new Client(t.app);
      const form = await client.get(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
      expect(form.statusCode).toBe(200);
      const res = await client.post('/sign-in', {
        _csrf: csrfTokenFrom(form.body),
        email: LEAD,
        password: DEMO_PASSWORD,
        returnTo,
      });
      expect(res.statusCode).toBe(303);
      expect(landing(res).origin).toBe(SITE);
      expect(landing(res).pathname).toBe('/organisation');
      // Already signed in, the sign-in page redirects at once: the same rule holds there.
      const again = await client.get(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
      expect(again.statusCode).toBe(303);
      expect(landing(again).origin).toBe(SITE);
    });

    it('handles encodings sent as they arrive on the wire, never with a 500', async () => {
      const client = new Client(t.app);
      await client.signIn(LEAD);
      for (const raw of [
        '/%09/evil.example',
        '/%0A/evil.example',
        '/%0D%0ALocation:%20https://evil.example',
        '%2F%2Fevil.example',
        '/%5Cevil.example',
        '/%2F%2Fevil.example',
        '%252F%252Fevil.example',
        '/%E0%A4%A',
        '/%00/evil.example',
      ]) {
        const res = await client.get(`/sign-in?returnTo=${raw}`);
        expect(res.statusCode, raw).toBe(303);
        expect(landing(res).origin, raw).toBe(SITE);
        expect(String(res.headers.location).startsWith('//'), raw).toBe(false);
      }
    });

    it('keeps a same-site path, with its query', async () => {
      const client = new Client(t.app);
      const form = await client.get('/sign-in?returnTo=%2Fchains%3Fview%3Dall');
      const res = await client.post('/sign-in', {
        _csrf: csrfTokenFrom(form.body),
        email: LEAD,
        password: DEMO_PASSWORD,
        returnTo: '/chains?view=all',
      });
      expect(res.headers.location).toBe('/chains?view=all');
    });
  });

  describe('throttling', () => {
    it('refuses five addresses × twelve tries at one account after the account limit, unknown accounts alike', async () => {
      const run = async (email: string, prefix: string) => {
        const statuses: number[] = [];
        for (let a = 1; a <= 5; a++) {
          for (let i = 0; i < 12; i++) {
            const res = await signInFrom(t.app, email, `wrong-guess-${a}-${i}-x`, `${prefix}.${a}`);
            statuses.push(res.statusCode);
            if (res.statusCode === 429) expect(text(res.body)).toContain(THROTTLED);
          }
        }
        // Even the right password, from an address never seen, is refused within the window.
        const right = await signInFrom(t.app, email, DEMO_PASSWORD, `${prefix}.99`);
        return { statuses, right };
      };
      const known = await run(AUDITOR, '198.51.100');
      expect(known.statuses.filter((s) => s === 401)).toHaveLength(10);
      expect(known.statuses.slice(10).every((s) => s === 429)).toBe(true);
      expect(known.right.statusCode).toBe(429);
      expect(known.right.cookies.find((c) => c.name === 'tl_session')).toBeUndefined();
      // An address nobody has gives exactly the same answers, so the limit reveals no account.
      const unknown = await run('nobody-here@demo-council.example', '203.0.113');
      expect(unknown.statuses).toEqual(known.statuses);
      expect(text(unknown.right.body)).toContain(THROTTLED);
      // The council's audit log says once that signing in was paused.
      const log = await (await scopeOf(t, 'demo-borough-council')).auditLog(200);
      expect(log.filter((e) => e.action === 'account.sign_in_throttled')).toHaveLength(1);
      // Once the window has passed (the failures aged), the right password works again.
      await t.storage.db.kysely
        .updateTable('auth_attempts')
        .set({ at: new Date(Date.now() - 16 * 60_000).toISOString() })
        .execute();
      expect((await signInFrom(t.app, AUDITOR, DEMO_PASSWORD, '198.51.100.1')).statusCode).toBe(
        303,
      );
    });

    it('shares the count between two processes on one database', async () => {
      const other = await secondApp(t, { SIGN_IN_RATE_LIMIT: '1000' });
      try {
        for (let i = 0; i < 10; i++) {
          const app = i % 2 === 0 ? t.app : other.app;
          const res = await signInFrom(app, INSTITUTION_ADMIN, `wrong-${i}-guess`, `192.0.2.${i}`);
          expect(res.statusCode).toBe(401);
        }
        for (const app of [t.app, other.app]) {
          const res = await signInFrom(app, INSTITUTION_ADMIN, DEMO_PASSWORD, '192.0.2.200');
          expect(res.statusCode).toBe(429);
        }
      } finally {
        await other.close();
      }
      await t.storage.db.kysely.deleteFrom('auth_attempts').execute();
    });

    it('keeps no e-mail or client address in the table of attempts', async () => {
      await signInFrom(t.app, LEAD, 'not-the-password-1', '192.0.2.77');
      const rows = await t.storage.db.kysely.selectFrom('auth_attempts').selectAll().execute();
      expect(rows.length).toBeGreaterThan(0);
      const stored = JSON.stringify(rows);
      expect(stored).not.toContain('demo-council');
      expect(stored).not.toContain('192.0.2.77');
      await t.storage.db.kysely.deleteFrom('auth_attempts').execute();
    });
  });

  describe('sessions', () => {
    it('rotates the session at sign-in and ends the one held before', async () => {
      const client = new Client(t.app);
      await client.signIn(PLANNER);
      const before = client.cookie('tl_session') ?? '';
      expect(before).not.toBe('');
      // Signing in again from the same browser (any signed-in page carries a CSRF token).
      const page = await client.get('/organisation');
      const res = await client.post('/sign-in', {
        _csrf: csrfTokenFrom(page.body),
        email: PLANNER,
        password: DEMO_PASSWORD,
      });
      expect(res.statusCode).toBe(303);
      const after = client.cookie('tl_session') ?? '';
      expect(after).not.toBe('');
      expect(after).not.toBe(before);
      // The CSRF secret is renewed too: the old page's token no longer works.
      expect(res.cookies.find((c) => c.name === 'tl_csrf')?.value).toBe('');
      const replay = await t.app.inject({
        url: '/organisation',
        headers: { cookie: `tl_session=${encodeURIComponent(before)}` },
      });
      expect(replay.statusCode).toBe(303);
      expect(replay.headers.location).toBe('/sign-in?returnTo=%2Forganisation');
      expect((await client.get('/organisation')).statusCode).toBe(200);
      expect(await sessionsOf(t, PLANNER)).toHaveLength(1);
    });

    it('ends a session left idle past the timeout, and writes last-seen at most once a minute', async () => {
      // Sessions left by the tests above would be counted too.
      await t.storage.db.kysely.deleteFrom('sessions').execute();
      const client = new Client(t.app);
      await client.signIn(LEAD);
      const db = t.storage.db.kysely;
      const setLastSeen = (ms: number) =>
        db
          .updateTable('sessions')
          .set({ last_seen_at: new Date(Date.now() - ms).toISOString() })
          .where('user_id', '=', db.selectFrom('users').select('id').where('email', '=', LEAD))
          .execute();
      await setLastSeen(30_000);
      const halfMinute = (await sessionsOf(t, LEAD)).map((s) => s.last_seen_at);
      expect((await client.get('/organisation')).statusCode).toBe(200);
      expect((await sessionsOf(t, LEAD)).map((s) => s.last_seen_at)).toEqual(halfMinute);
      await setLastSeen(5 * 60_000);
      const fiveMinutes = (await sessionsOf(t, LEAD)).map((s) => s.last_seen_at);
      expect((await client.get('/organisation')).statusCode).toBe(200);
      const touched = (await sessionsOf(t, LEAD)).map((s) => s.last_seen_at);
      expect(touched).not.toEqual(fiveMinutes);
      await setLastSeen(31 * 60_000);
      const idle = await client.get('/organisation');
      expect(idle.statusCode).toBe(303);
      expect(idle.headers.location).toBe('/sign-in?returnTo=%2Forganisation');
      expect(await sessionsOf(t, LEAD)).toHaveLength(0);
    });

    it('signs out everywhere: every session of the person ends, and it is audited', async () => {
      // Sessions left by the tests above would be counted too.
      await t.storage.db.kysely.deleteFrom('sessions').execute();
      const laptop = new Client(t.app);
      const phone = new Client(t.app);
      await laptop.signIn(LEAD);
      await phone.signIn(LEAD);
      const bystander = new Client(t.app);
      await bystander.signIn(PLANNER);
      const res = await laptop.submit('/account', '/account/sign-out-everywhere', {});
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/signed-out?everywhere=1');
      expect((await laptop.get('/signed-out?everywhere=1')).body).toContain(
        'You have signed out everywhere',
      );
      expect((await phone.get('/organisation')).statusCode).toBe(303);
      expect(await sessionsOf(t, LEAD)).toHaveLength(0);
      expect((await bystander.get('/organisation')).statusCode).toBe(200);
      const log = await (await scopeOf(t, 'demo-borough-council')).auditLog(20);
      expect(log.find((e) => e.action === 'account.signed_out_everywhere')?.details).toEqual({
        sessionsEnded: 2,
      });
    });
  });

  describe('passwords', () => {
    it('changes a password with the current one, signing out every other device', async () => {
      // Sessions left by the tests above would be counted too.
      await t.storage.db.kysely.deleteFrom('sessions').execute();
      const here = new Client(t.app);
      const there = new Client(t.app);
      await here.signIn(PLANNER);
      await there.signIn(PLANNER);
      const page = await here.get('/account/password');
      expect(page.statusCode).toBe(200);
      await t.storage.db.kysely.deleteFrom('auth_attempts').execute();
      const failures = async () =>
        (
          await t.storage.db.kysely
            .selectFrom('auth_attempts')
            .select('id')
            .where('bucket', '=', 'sign_in:account')
            .execute()
        ).length;
      const attempt = (form: Record<string, string>) =>
        here.submit('/account/password', '/account/password', form);
      const wrong = await attempt({
        currentPassword: 'not-my-password',
        newPassword: 'kettle orbit lantern',
        confirmPassword: 'kettle orbit lantern',
      });
      expect(wrong.statusCode).toBe(400);
      expect(text(wrong.body)).toContain('Enter your current password correctly');
      // A wrong current password counts as a failed sign-in for the account.
      expect(await failures()).toBe(1);
      const common = await attempt({
        currentPassword: DEMO_PASSWORD,
        newPassword: '123456789012',
        confirmPassword: '123456789012',
      });
      expect(common.statusCode).toBe(400);
      expect(text(common.body)).toMatch(
        /id="newPassword-error"[\s\S]*Password is on a list of common passwords/,
      );
      const mismatch = await attempt({
        currentPassword: DEMO_PASSWORD,
        newPassword: 'kettle orbit lantern',
        confirmPassword: 'kettle orbit lanterns',
      });
      expect(text(mismatch.body)).toContain('The new passwords do not match');
      const ok = await attempt({
        currentPassword: DEMO_PASSWORD,
        newPassword: 'kettle orbit lantern',
        confirmPassword: 'kettle orbit lantern',
      });
      expect(ok.statusCode).toBe(303);
      expect(ok.headers.location).toBe('/account');
      expect((await here.get('/account')).body).toContain('Your password has been changed');
      expect((await there.get('/organisation')).statusCode).toBe(303);
      expect((await new Client(t.app).signIn(PLANNER)).statusCode).toBe(401);
      expect((await new Client(t.app).signIn(PLANNER, 'kettle orbit lantern')).statusCode).toBe(
        303,
      );
      const log = await (await scopeOf(t, 'demo-borough-council')).auditLog(20);
      expect(log.find((e) => e.action === 'account.password_changed')?.details).toEqual({
        otherSessionsEnded: 1,
      });
    });

    it('refuses a common password when someone joins by invitation', async () => {
      const admin = new Client(t.app);
      await admin.signIn(COUNCIL_ADMIN);
      const created = await admin.submit(
        '/organisation/invitations/new',
        '/organisation/invitations',
        { name: 'Sam Common', email: 'sam.common@example.org', role: 'member' },
      );
      const link = /\/invitations\/([A-Za-z0-9_-]+)/.exec(created.body)?.[0] ?? '';
      expect(link).not.toBe('');
      const invitee = new Client(t.app);
      const res = await invitee.submit(link, link, {
        name: 'Sam Common',
        password: '123456789012',
        confirmPassword: '123456789012',
      });
      expect(res.statusCode).toBe(400);
      expect(text(res.body)).toContain('Password is on a list of common passwords');
      expect(
        await t.storage.db.kysely
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'sam.common@example.org')
          .execute(),
      ).toHaveLength(0);
    });

    it('resets a forgotten password by a single-use link emailed to the SMTP server', async () => {
      const forgot = new Client(t.app);
      const page = await forgot.get('/forgotten-password');
      expect(page.body).toContain('Send me a link');
      const known = await forgot.submit('/forgotten-password', '/forgotten-password', {
        email: 'Auditor@Demo-Council.example',
      });
      const unknown = await forgot.submit('/forgotten-password', '/forgotten-password', {
        email: 'no-account@demo-council.example',
      });
      // The same answer whether or not the account exists.
      expect([known.statusCode, known.headers.location]).toEqual([303, '/forgotten-password/sent']);
      expect([unknown.statusCode, unknown.headers.location]).toEqual([
        known.statusCode,
        known.headers.location,
      ]);
      await t.accounts.whenIdle();
      expect(smtp.to('no-account@demo-council.example')).toHaveLength(0);
      const [mail, ...more] = smtp.to(AUDITOR);
      expect(more).toHaveLength(0);
      expect(mail?.subject).toBe('Reset your Throughline password');
      expect(mail?.text).toContain('The link works once, for 1 hour.');
      expect(mail?.text).toMatch(/http:\/\/localhost(:80)?\/reset-password\//);
      const link = linkIn(mail?.text ?? '', '/reset-password/');
      // Only a hash of the link is kept.
      const stored = await t.storage.db.kysely.selectFrom('password_resets').selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(link.split('/').pop() ?? '');

      const person = new Client(t.app);
      const form = await person.get(link);
      expect(form.statusCode).toBe(200);
      expect(form.headers['cache-control']).toBe('no-store');
      expect(form.body).toContain(AUDITOR);
      const common = await person.post(link, {
        _csrf: csrfTokenFrom(form.body),
        newPassword: '123456789012',
        confirmPassword: '123456789012',
      });
      expect(common.statusCode).toBe(400);
      expect(text(common.body)).toContain('Password is on a list of common passwords');
      const signedInElsewhere = new Client(t.app);
      await signedInElsewhere.signIn(AUDITOR);
      const done = await person.post(link, {
        _csrf: csrfTokenFrom(form.body),
        newPassword: 'marble heron compass',
        confirmPassword: 'marble heron compass',
      });
      expect(done.statusCode).toBe(303);
      expect(done.headers.location).toBe('/sign-in');
      expect((await signedInElsewhere.get('/organisation')).statusCode).toBe(303);
      // The link works once.
      const again = await person.get(link);
      expect(again.statusCode).toBe(404);
      expect(again.body).toContain('This link cannot be used');
      const reuse = await person.post(link, {
        _csrf: csrfTokenFrom(form.body),
        newPassword: 'another fresh phrase',
        confirmPassword: 'another fresh phrase',
      });
      expect(reuse.statusCode).toBe(404);
      expect((await new Client(t.app).signIn(AUDITOR, 'marble heron compass')).statusCode).toBe(
        303,
      );
      const actions = (await (await scopeOf(t, 'demo-borough-council')).auditLog(30)).map(
        (e) => e.action,
      );
      expect(actions).toContain('account.password_reset_requested');
      expect(actions).toContain('account.password_reset');
    });

    it('sends at most three reset links an hour for one account, answering every request alike', async () => {
      const before = smtp.to(COUNCIL_ADMIN).length;
      for (let i = 0; i < 5; i++) {
        const res = await new Client(t.app).submit('/forgotten-password', '/forgotten-password', {
          email: COUNCIL_ADMIN,
        });
        expect(res.headers.location).toBe('/forgotten-password/sent');
        // One after another (requests at the same moment may be held to fewer, never to more).
        await t.accounts.whenIdle();
      }
      expect(smtp.to(COUNCIL_ADMIN).length - before).toBe(3);
    });

    it('refuses an expired reset link and leaves the password as it was', async () => {
      const before = smtp.to(LEAD).length;
      await new Client(t.app).submit('/forgotten-password', '/forgotten-password', {
        email: LEAD,
      });
      await t.accounts.whenIdle();
      const mail = smtp.to(LEAD)[before];
      const link = linkIn(mail?.text ?? '', '/reset-password/');
      await t.storage.db.kysely
        .updateTable('password_resets')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .execute();
      const person = new Client(t.app);
      const page = await person.get(link);
      expect(page.statusCode).toBe(404);
      const res = await person.post(link, {
        _csrf: csrfTokenFrom((await person.get('/forgotten-password')).body),
        newPassword: 'marble heron compass',
        confirmPassword: 'marble heron compass',
      });
      expect(res.statusCode).toBe(404);
      expect((await new Client(t.app).signIn(LEAD)).statusCode).toBe(303);
    });

    it('never makes a link for a Host header a caller chose', async () => {
      const before = smtp.messages.length;
      const client = new Client(t.app);
      const page = await client.get('/forgotten-password', { host: 'evil.example' });
      expect(page.body).toContain('Ask the people who run Throughline for your organisation');
      expect(page.body).not.toContain('Send me a link');
      const form = await client.get('/sign-in', { host: 'evil.example' });
      const res = await client.post(
        '/forgotten-password',
        { _csrf: csrfTokenFrom(form.body), email: LEAD },
        { host: 'evil.example' },
      );
      expect(res.statusCode).toBe(409);
      await t.accounts.whenIdle();
      expect(smtp.messages.length).toBe(before);
    });

    it('says who to ask where no email is set up, and links from PUBLIC_URL where set', async () => {
      const noMail = await secondApp(t);
      try {
        const page = await new Client(noMail.app).get('/forgotten-password');
        expect(text(page.body)).toContain('This service cannot send email');
        expect(page.body).toContain('Ask the people who run Throughline for your organisation');
      } finally {
        await noMail.close();
      }
      const before = smtp.to(LEAD).length;
      const published = await secondApp(t, {
        SMTP_URL: smtp.url,
        MAIL_FROM: FROM,
        PUBLIC_URL: 'https://throughline.council.example/',
      });
      try {
        const client = new Client(published.app);
        const page = await client.get('/forgotten-password', { host: 'evil.example' });
        const res = await client.post(
          '/forgotten-password',
          { _csrf: csrfTokenFrom(page.body), email: LEAD },
          { host: 'evil.example' },
        );
        expect(res.statusCode).toBe(303);
        await published.accounts.whenIdle();
        const mail = smtp.to(LEAD)[before];
        expect(mail?.text).toMatch(
          /^https:\/\/throughline\.council\.example\/reset-password\/[A-Za-z0-9_-]+$/m,
        );
        expect(mail?.text).not.toContain('evil.example');
      } finally {
        await published.close();
      }
    });
  });

  describe('headers', () => {
    it('keeps every signed-in page, export and new token out of caches, and agrees on framing', async () => {
      const admin = new Client(t.app);
      await admin.signIn(COUNCIL_ADMIN);
      for (const url of ['/organisation', '/account', '/organisation/audit.csv', '/chains']) {
        const res = await admin.get(url);
        expect(res.headers['cache-control'], url).toBe('no-store');
      }
      const token = await admin.submit('/organisation/api-tokens', '/organisation/api-tokens', {
        name: 'headers check',
        ...FULL_TOKEN_FORM,
      });
      expect(token.body).toMatch(/tl_pat_/);
      expect(token.headers['cache-control']).toBe('no-store');
      const home = await new Client(t.app).get('/framework');
      expect(home.headers['cache-control']).toBeUndefined();
      expect(home.headers['x-frame-options']).toBe('DENY');
      expect(String(home.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    });
  });
});
