/// <reference lib="dom" />
// The sector view as a sector lead would use it before a board meeting, in real headless Chromium,
// with JavaScript on and off, at 1280 px and 375 px: the agency's admin opens it from the members
// page, reads each section with its charts and tables, axe-core finds nothing, the page fits a
// phone, and printed (print media emulated) the navigation, account bar and breadcrumbs are gone,
// the printed date shows, each section starts a new page, and the PDF has A4 pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-sector-view-password-2026';
const AGENCY = { email: 'admin@demo-institution.example', password: PASSWORD };

const RUNS = [true, false].flatMap((js) => [1280, 375].map((width) => ({ js, width })));
const nameOf = (run: { js: boolean; width: number }) =>
  `JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px`;

describe.skipIf(!browserAvailable)('the sector view, in Chromium', () => {
  let server: RunningServer;
  let axe: BrowserContext;
  let axePage: Page;

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    axe = await launch({ javaScriptEnabled: true });
    axePage = await signIn(axe, server.url, AGENCY);
  });

  afterAll(async () => {
    await axe?.close();
    await server?.stop();
  });

  for (const run of RUNS) {
    it(`opens from the members page and reads section by section (${nameOf(run)})`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      try {
        const page = await signIn(context, server.url, AGENCY);
        await page.goto(`${server.url}/sector/members`);
        await page.getByRole('link', { name: 'Open the sector view' }).click();
        await page.waitForURL('**/sector/view');
        await checkPage(page, run, axePage);
        const main = page.locator('main');
        expect(await main.locator('h1').textContent()).toBe('Sector view');
        expect(await main.locator('section h2').allTextContents()).toEqual([
          '1. Members and what they share',
          '2. The sector’s own capabilities (capabilities 6–12)',
          '3. Members’ benchmarks (capabilities 1–5 and delivery chains)',
          '4. AI incidents and near misses by just-culture class',
          '5. The sector exchange',
        ]);
        // Every section says its period, source and organisations.
        for (const section of await main.locator('section').all())
          expect(await section.locator('dt').allTextContents()).toEqual([
            'Period',
            'Source',
            'Organisations',
          ]);
        // Three charts, each an image with a title, each with its figures in a table.
        const charts = main.locator('svg.app-chart[role="img"]');
        expect(await charts.count()).toBe(3);
        expect(await charts.locator('title').allTextContents()).toEqual([
          'Capability levels across sharing members (1 Outstanding, 5 Inadequate)',
          'Reports by just-culture class and period',
          'Items published to the exchange by kind and quarter',
        ]);
        expect(await main.locator('#round-levels tbody tr').count()).toBe(7);
      } finally {
        await context.close();
      }
    });
  }

  it('prints without navigation, a section to a page, with the date and the privacy rule', async () => {
    const context = await launch({
      javaScriptEnabled: true,
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await signIn(context, server.url, AGENCY);
      await page.goto(`${server.url}/sector/view`);
      const printedDate = page.locator('.tl-print-only');
      expect(await printedDate.isVisible()).toBe(false);
      await page.emulateMedia({ media: 'print' });
      for (const hidden of [
        '.govuk-service-navigation',
        '.tl-account',
        '.govuk-breadcrumbs',
        '.govuk-footer',
        'main .tl-no-print',
      ])
        expect(await page.locator(hidden).first().isVisible(), hidden).toBe(false);
      expect(await printedDate.isVisible()).toBe(true);
      expect(await printedDate.textContent()).toMatch(/^Printed on \d{1,2} \w+ \d{4}\.$/);
      expect(await page.locator('#privacy-rule').isVisible()).toBe(true);
      const breaks = await page
        .locator('section.tl-sector-view__section')
        .evaluateAll((all) => all.map((s) => getComputedStyle(s).breakBefore));
      expect(breaks).toEqual(['page', 'page', 'page', 'page', 'page']);
      // Charts fit the printed width.
      const widths = await page
        .locator('svg.app-chart')
        .evaluateAll((all) =>
          all.map(
            (s) => s.getBoundingClientRect().width <= (s.parentElement?.clientWidth ?? 0) + 1,
          ),
        );
      expect(widths.every(Boolean)).toBe(true);
      const pdf = await page.pdf({ format: 'A4' });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(6);
    } finally {
      await context.close();
    }
  });
});
