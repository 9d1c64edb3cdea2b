/// <reference lib="dom" />
// A new user's first visit, in real headless Chromium, with JavaScript on and off: read the
// framework, sign in as the demo admin, invite a member, sign out. axe-core checks every page
// visited and must find nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, browserAvailable, describeViolations, launch } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-demo-password-2026';

describe.skipIf(!browserAvailable)('a new user, in Chromium', () => {
  let server: RunningServer;
  let withJs: BrowserContext;
  let withoutJs: BrowserContext;
  const visited = new Set<string>();

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    withJs = await launch({ javaScriptEnabled: true });
    withoutJs = await launch({ javaScriptEnabled: false });
  });

  afterAll(async () => {
    await withJs?.close();
    await withoutJs?.close();
    await server?.stop();
  });

  /** Checks the page with axe (in a JavaScript-enabled page, so axe can run) and remembers it. */
  async function expectAccessible(page: Page) {
    const url = page.url();
    visited.add(new URL(url).pathname);
    const violations = await axeViolations(page);
    expect(violations, describeViolations(url, violations)).toEqual([]);
  }

  it('prints the demo sign-in on first start', () => {
    expect(server.output()).toContain('admin@demo-council.example');
    expect(server.output()).toContain('admin@demo-institution.example');
    expect(server.output()).toContain('(the value of DEMO_PASSWORD)');
  });

  for (const js of [true, false]) {
    it(`reads a capability, signs in, invites a member and signs out (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const context = js ? withJs : withoutJs;
      const page = await context.newPage();
      const check = async () => {
        if (js) await expectAccessible(page);
      };

      await page.goto(`${server.url}/`);
      await expect(page.locator('h1')).toBeTruthy();
      expect(await page.locator('h1').textContent()).toContain('productivity from AI');
      await check();

      await page.getByRole('link', { name: 'Capability framework' }).first().click();
      await page.waitForURL('**/framework');
      expect(await page.locator('table a[href^="/framework/"]').count()).toBe(12);
      await check();

      await page.getByRole('link', { name: 'Managing Risk' }).click();
      await page.waitForURL('**/framework/managing-risk');
      expect(await page.locator('h1').textContent()).toContain('Managing Risk');
      expect(await page.locator('section h3').count()).toBe(5);
      await check();

      await page.goto(`${server.url}/sign-in`);
      await check();
      await page.getByLabel('Email address').fill('admin@demo-council.example');
      await page.getByLabel('Password', { exact: true }).fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForLoadState();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'Enter a correct email address and password',
      );
      await check();
      await page.getByLabel('Email address').fill('admin@demo-council.example');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/organisation');
      expect(await page.locator('h1').textContent()).toContain('Demo Borough Council');
      await check();

      await page.getByRole('link', { name: 'Invite someone' }).click();
      await page.waitForURL('**/organisation/invitations/new');
      await check();
      await page.getByRole('button', { name: 'Create invitation' }).click();
      await page.waitForLoadState();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'Enter the person’s full name',
      );
      await check();
      const email = `new.member.${js ? 'js' : 'nojs'}@example.org`;
      await page.getByLabel('Full name').fill('New Member');
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Member', { exact: true }).check();
      await page.getByRole('button', { name: 'Create invitation' }).click();
      await page.waitForLoadState();
      expect(await page.locator('.govuk-panel__title').textContent()).toContain(
        'Invitation created',
      );
      const link = (await page.locator('#invitation-link').textContent())?.trim() ?? '';
      expect(link).toMatch(/\/invitations\/[A-Za-z0-9_-]{20,}$/);
      await check();

      await page.goto(`${server.url}/organisation/invitations`);
      expect(await page.locator('table').textContent()).toContain(email);
      await check();

      await page.goto(`${server.url}/organisation/members`);
      await check();
      await page.goto(`${server.url}/organisation/audit`);
      expect(await page.locator('table').textContent()).toContain(
        `invited ${email} to join as a member`,
      );
      await check();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/signed-out');
      expect(await page.locator('h1').textContent()).toContain('You have signed out');
      await check();

      // The invitee joins through the link, in the same kind of browser.
      await page.goto(link);
      await check();
      await page.getByLabel('Create a password').fill('a-good-long-password');
      await page.getByLabel('Confirm password').fill('a-good-long-password');
      await page.getByRole('button', { name: /^Join / }).click();
      await page.waitForURL('**/organisation');
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
        'Welcome to Demo Borough Council',
      );
      expect(await page.locator('main').textContent()).toContain('New Member');
      await check();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/signed-out');

      const notFound = await page.goto(`${server.url}/no-such-page`);
      expect(notFound?.status()).toBe(404);
      await check();
      await page.close();
    });
  }

  it('checked the pages a new user sees', () => {
    for (const path of [
      '/',
      '/framework',
      '/framework/managing-risk',
      '/sign-in',
      '/organisation',
      '/signed-out',
    ]) {
      expect(visited).toContain(path);
    }
  });

  it('can fail: axe finds violations on a deliberately broken page', async () => {
    const page = await withJs.newPage();
    await page.goto(`${server.url}/framework`);
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/assets/favicon.svg';
      document.querySelector('main')?.appendChild(img);
      const input = document.createElement('input');
      input.type = 'text';
      document.querySelector('main')?.appendChild(input);
    });
    const violations = await axeViolations(page);
    expect(violations.map((v) => v.id)).toEqual(expect.arrayContaining(['image-alt', 'label']));
    await page.close();
  });
});
