/// <reference lib="dom" />
// Issue 13 point 4 as a new user would try it, in real headless Chromium with JavaScript off and
// on, at 1280 px and on a 375 px phone: set office hours on a demo chain that has none from its
// page, meet a clear error beside a bad time, save, and read the weekend effect and the week chart
// (an SVG image with a table of the same figures). axe-core checks every page; nothing may scroll
// sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-rosters-password-2026';
const ACCOUNT = { email: 'lead@demo-council.example', password: PASSWORD };

describe.skipIf(!browserAvailable)('opening hours and rosters, in Chromium', () => {
  let server: RunningServer;
  let contexts: BrowserContext[] = [];
  let axePage: Page;

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    const withJs = await launch({ javaScriptEnabled: true });
    contexts = [withJs];
    axePage = await signIn(withJs, server.url, ACCOUNT);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await server?.stop();
  });

  for (const run of [
    // The planning-permit demo already works to office hours; the recycling chain does not.
    { js: false, width: 375, chain: 'Household recycling collection' },
    { js: true, width: 1280, chain: 'Criminal cases' },
  ]) {
    it(`sets office hours and shows the weekend effect (JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px)`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      contexts.push(context);
      const page = await signIn(context, server.url, ACCOUNT);
      await page.goto(`${server.url}/chains`);
      await page.getByRole('link', { name: run.chain }).first().click();
      await page.getByRole('link', { name: 'Set opening hours and rosters' }).click();
      await page.waitForURL(/\/hours$/);
      await checkPage(page, run, axePage);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
        'Opening hours and rosters',
      );

      await page.getByLabel('Yes: staff work to opening hours and rosters').check();
      // A Saturday shift that ends before it starts is refused beside the field.
      const firstStage = page.locator('h3.govuk-heading-s').first();
      const stageName = (await firstStage.innerText()).trim();
      await page.getByLabel(`${stageName}, Saturday, starts`).fill('10:00');
      await page.getByLabel(`${stageName}, Saturday, ends`).fill('09:00');
      await page.getByLabel(`${stageName}, Saturday, staff on duty`).fill('1');
      await page.getByRole('button', { name: 'Save opening hours and rosters' }).click();
      const summary = page.locator('.govuk-error-summary');
      await expect.poll(() => summary.isVisible()).toBe(true);
      const message = `The end on Saturday at ${stageName} must be after the start (10:00)`;
      expect(await summary.innerText()).toContain(message);
      expect(await page.locator('.govuk-error-message').first().innerText()).toContain(message);
      await checkPage(page, run, axePage, true);

      await page.getByLabel(`${stageName}, Saturday, starts`).fill('');
      await page.getByLabel(`${stageName}, Saturday, ends`).fill('');
      await page.getByLabel(`${stageName}, Saturday, staff on duty`).fill('');
      await page.getByRole('button', { name: 'Save opening hours and rosters' }).click();
      await page.waitForURL(/\/chains\/[0-9a-f-]{36}#week$/);
      await checkPage(page, run, axePage);
      const main = await page.locator('main').innerText();
      expect(main).toContain('Opening hours and rosters saved');
      expect(main).toContain('Opening hours and staff on duty');
      expect(main).toMatch(/work reaching it while nobody is on duty waits \d+(\.\d)? hours/);
      const chart = page.getByRole('img', { name: /staff on duty across the week/ });
      expect(await chart.count()).toBe(1);
      const table = page.getByRole('table', { name: /staff on duty, day by day/ });
      expect(await table.getByRole('row').count()).toBe(8); // header and seven days
      expect(await table.innerText()).toContain('Nobody');
    });
  }
});
