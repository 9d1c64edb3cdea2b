// `throughline user reset-link`: where the service cannot send email, the people who run it make a
// person a reset link. Run as an operator runs it (the installed command, in its own process, on
// the same database as the service), on both databases: the link resets the password once, only
// for a real account, and the person's organisation sees it in its audit log in plain words.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../helpers/databases.ts';
import { Client, csrfTokenFrom, startTestApp, text, type TestApp } from '../helpers/app.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/throughline.js', import.meta.url));
const PERSON = 'auditor@demo-council.example';

describe.each(testDatabases)('throughline user reset-link ($name)', (factory) => {
  let t: TestApp;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp(factory);
    const database = t.config.database;
    env = {
      ...(process.env as Record<string, string>),
      DATABASE_URL: database.kind === 'sqlite' ? `sqlite:${database.file}` : database.url,
      THROUGHLINE_CLI_CACHE: '0',
    };
  });
  afterAll(async () => {
    await t.close();
  });

  const resetLink = (email: string) =>
    run(
      process.execPath,
      [bin, 'user', 'reset-link', email, '--base-url', 'https://tl.example/x'],
      {
        cwd: root,
        env,
      },
    );

  it('makes a link that resets the password once, and says so in the audit log', async () => {
    const { stdout, stderr } = await resetLink(PERSON);
    const link = stdout.trim();
    expect(link).toMatch(/^https:\/\/tl\.example\/reset-password\/[A-Za-z0-9_-]{20,}$/);
    expect(stderr).toContain('Works once, for 60 minutes');
    const path = new URL(link).pathname;

    const person = new Client(t.app);
    const form = await person.get(path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(PERSON);
    const done = await person.post(path, {
      _csrf: csrfTokenFrom(form.body),
      newPassword: 'lantern orchard pebble',
      confirmPassword: 'lantern orchard pebble',
    });
    expect(done.statusCode).toBe(303);
    expect((await new Client(t.app).signIn(PERSON, 'lantern orchard pebble')).statusCode).toBe(303);
    // Used up: a second use is refused.
    const again = await new Client(t.app).get(path);
    expect(again.statusCode).toBe(404);

    const admin = new Client(t.app);
    await admin.signIn('admin@demo-council.example');
    const audit = text((await admin.get('/organisation/audit')).body);
    expect(audit).toContain(
      'was given a link to reset their password by the people who run the service',
    );
  }, 60_000);

  it('refuses an address that has no account, with a clear message and exit code 1', async () => {
    const failed = await resetLink('nobody@nowhere.example').then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('No account that can sign in uses nobody@nowhere.example');
  }, 60_000);
});
