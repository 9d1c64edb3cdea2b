// API tokens as people make them, in Chromium with JavaScript on and off, at 375 px and 1280 px: a
// lead picks what a token may read and change and a date of their own; a date too far away is
// refused beside the field; the token is shown once and works on the API within its scopes only;
// an admin sees it among every member's tokens and revokes it. Every page fits and axe finds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-tokens-password-2026';

describe.skipIf(!browserAvailable)('API tokens, in Chromium', () => {
  let server: RunningServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await server?.stop();
  });

  for (const run of [
    { js: true, width: 375, name: 'Chains dashboard (phone)' },
    { js: false, width: 1280, name: 'Chains dashboard (desktop)' },
  ]) {
    it(`makes a scoped token with its own expiry, and an admin revokes it (JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px)`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      const checker = await launch({ javaScriptEnabled: true });
      contexts.push(context, checker);
      const axePage = await signIn(checker, server.url, {
        email: 'admin@demo-council.example',
        password: PASSWORD,
      });
      const page = await signIn(context, server.url, {
        email: 'lead@demo-council.example',
        password: PASSWORD,
      });
      await page.goto(`${server.url}/organisation`);
      await page.getByRole('link', { name: 'Your API tokens' }).click();
      await checkPage(page, run, axePage);

      await page.getByLabel('Name').fill(run.name);
      await page
        .getByRole('group', { name: 'What may it change?' })
        .getByLabel('Delivery chains and simulations')
        .check();
      await page
        .getByRole('group', { name: 'What may it read?' })
        .getByLabel('Sector benchmarks')
        .check();
      await page.getByLabel('On a date of my choice').check();
      const far = new Date(Date.now() + 500 * 86_400_000);
      await page.getByLabel('Day', { exact: true }).fill(String(far.getUTCDate()));
      await page.getByLabel('Month', { exact: true }).fill(String(far.getUTCMonth() + 1));
      await page.getByLabel('Year', { exact: true }).fill(String(far.getUTCFullYear()));
      await page.getByRole('button', { name: 'Create token' }).click();
      await expect
        .poll(() => page.locator('.govuk-error-summary').textContent())
        .toContain('Expiry date must be no more than a year from today');
      await checkPage(page, run, axePage, true);

      const soon = new Date(Date.now() + 45 * 86_400_000);
      await page.getByLabel('Year', { exact: true }).fill(String(soon.getUTCFullYear()));
      await page.getByLabel('Month', { exact: true }).fill(String(soon.getUTCMonth() + 1));
      await page.getByLabel('Day', { exact: true }).fill(String(soon.getUTCDate()));
      await page.getByRole('button', { name: 'Create token' }).click();
      await expect
        .poll(() => page.locator('.govuk-panel__title').textContent())
        .toContain('API token created');
      const token = (await page.locator('#api-token').textContent())?.trim() ?? '';
      expect(token).toMatch(/^tl_pat_/);
      expect(await page.locator('main').textContent()).toContain(
        'chains: read and change; sector: read',
      );
      await checkPage(page, run, axePage, true);

      const api = (path: string, method = 'GET') =>
        fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
      expect((await api('/api/chains')).status).toBe(200);
      expect((await api('/api/initiatives')).status).toBe(403);
      expect((await api('/api/organisation/members')).status).toBe(403);

      // The admin sees it, with its owner, and revokes it.
      await axePage.setViewportSize({ width: run.width, height: 900 });
      await axePage.goto(`${server.url}/organisation/api-tokens`);
      const row = axePage.getByRole('row').filter({ hasText: run.name });
      await expect.poll(() => row.textContent()).toContain('lead@demo-council.example');
      await row.getByRole('button', { name: `Revoke token ${run.name}` }).click();
      await expect
        .poll(() => axePage.locator('.govuk-notification-banner').textContent())
        .toContain('The API token has been revoked');
      await checkPage(axePage, { js: true, width: run.width }, axePage);
      expect((await api('/api/chains')).status).toBe(401);
    }, 120_000);
  }
});
