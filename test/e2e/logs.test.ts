/// <reference lib="dom" />
// Learning from an event log as a new user would, in real headless Chromium with JavaScript on and
// off: upload the receipt log, match its columns, watch the import's progress, read the process map
// and the bottleneck finding, filter to one channel, and create a delivery chain from it. axe-core
// checks every event-log page visited and must find nothing.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, browserAvailable, describeViolations, launch } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-demo-password-2026';
const RECEIPT = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'examples',
  'eventlogs',
  'receipt.csv.gz',
);

describe.skipIf(!browserAvailable)('event logs, in Chromium', () => {
  let server: RunningServer;
  let withJs: BrowserContext;
  let withoutJs: BrowserContext;
  const timings: string[] = [];

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    withJs = await launch({ javaScriptEnabled: true });
    withoutJs = await launch({ javaScriptEnabled: false });
  });

  afterAll(async () => {
    await withJs?.close();
    await withoutJs?.close();
    await server?.stop();
    if (timings.length > 0) console.log(timings.join('\n'));
  });

  async function expectAccessible(page: Page) {
    const violations = await axeViolations(page);
    expect(violations, describeViolations(page.url(), violations)).toEqual([]);
  }

  for (const js of [true, false]) {
    it(`uploads the receipt log, follows the import, filters to one channel and makes a chain (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const context = js ? withJs : withoutJs;
      const page = await context.newPage();
      // axe needs JavaScript: with it off, the pages are checked in the JavaScript-on run.
      const check = async () => {
        if (js) await expectAccessible(page);
      };

      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Email address').fill('lead@demo-council.example');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForLoadState();

      await page.goto(`${server.url}/logs`);
      expect(await page.locator('h1').textContent()).toContain('Event logs');
      // The demo log is there already.
      expect(await page.locator('table').textContent()).toContain(
        'Environmental permit applications',
      );
      await check();

      const began = Date.now();
      await page
        .getByLabel('Name of the log (optional)')
        .fill(`Receipt ${js ? 'with' : 'without'} JavaScript`);
      await page.setInputFiles('#file', RECEIPT);
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.waitForURL(/\/logs\/uploads\//);
      expect(await page.locator('h1').textContent()).toContain('Match the columns');
      expect(await page.locator('#caseId').inputValue()).toBe('case:concept:name');
      expect(await page.locator('#activity').inputValue()).toBe('concept:name');
      expect(await page.locator('#timestamp').inputValue()).toBe('time:timestamp');
      expect(await page.getByLabel('Work it out from the dates').isChecked()).toBe(true);
      await check();

      await page.getByRole('button', { name: 'Import the log' }).click();
      // The progress page refreshes itself (a meta refresh, so it works without JavaScript) and
      // moves on to the analysis when the job is done.
      if (/\/logs\/jobs\//.test(page.url())) {
        expect(await page.locator('h1').textContent()).toContain('Importing the log');
        expect(await page.locator('[role="status"]').textContent()).toMatch(/\d+% done/);
        await check();
      }
      await page.waitForURL(/\/logs\/[0-9a-f-]{36}$/, { timeout: 30_000 });
      timings.push(
        `upload, import and analysis of receipt.csv.gz through the web (JavaScript ${js ? 'on' : 'off'}): ${Date.now() - began} ms`,
      );
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
        'Imported 8,577 events in 1,434 cases',
      );
      expect(await page.locator('#bottleneck + .govuk-inset-text').textContent()).toContain(
        'Bottleneck: T06 Determine necessity of stop advice (batching, not a shortage of capacity)',
      );
      const map = page.locator('svg[aria-labelledby^="process-map"]');
      expect(await map.count()).toBe(1);
      expect(await map.locator('text', { hasText: 'T06 Determine necessity' }).count()).toBe(1);
      expect(await page.locator('#activities tbody tr').count()).toBe(27);
      await check();

      await page.getByLabel('Case attribute').selectOption({ label: 'Channel: Internet' });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/attribute=case%3Achannel%3DInternet/);
      expect(await page.locator('.govuk-summary-list').first().textContent()).toContain(
        '1,250 of 1,434',
      );
      await check();

      await page
        .getByRole('button', { name: 'Create a delivery chain from the filtered cases' })
        .click();
      await page.waitForURL(/\/chains\/[0-9a-f-]{36}$/);
      expect(await page.locator('h1').textContent()).toContain('Channel: Internet');
      await page.close();
    });
  }
});
