/// <reference lib="dom" />
// Issue 13's acceptance for a ticketing process, in real headless Chromium: a generated helpdesk
// log (test/helpers/synthetic-logs.ts; tickets close automatically exactly 15 days after the
// reply) uploaded through the web form and its columns matched as a user would, for a busy team
// and an idle one; then the log page at 1280 px and 375 px: the closure wait shown as a policy or
// timer wait with its evidence, the capacity bottleneck named only for the busy team, every row
// set aside listed by file line, times at the log's own +01:00. axe-core checks each page, and
// nothing may scroll sideways on the phone. Then a weekday-only office: the chain preview gives its
// staffed stage a Monday-to-Friday roster, says on what evidence, and can be switched off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import {
  HELPDESK_EMPTY_CASE_ID_LINES,
  HELPDESK_NO_TIMESTAMP_LINES,
  helpdeskCsv,
} from '../helpers/synthetic-logs.ts';
import { rowsToCsv, weekdayOfficeRows } from '../../src/domain/mining/testLogs.ts';

const PASSWORD = 'e2e-helpdesk-password-2026';
const LEAD = { email: 'lead@demo-council.example', password: PASSWORD };
const VARIANTS = ['busy', 'idle'] as const;

describe.skipIf(!browserAvailable)('the helpdesk acceptance (issue 13), in Chromium', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  const logUrl = new Map<(typeof VARIANTS)[number], string>();
  let officeUrl = '';

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    context = await launch({ javaScriptEnabled: true });
    page = await signIn(context, server.url, LEAD);
    for (const variant of VARIANTS) {
      await page.goto(`${server.url}/logs`);
      await page.getByLabel('Name of the log (optional)').fill(`Helpdesk, ${variant} team`);
      await page.setInputFiles('#file', {
        name: `helpdesk-${variant}.csv`,
        mimeType: 'text/csv',
        buffer: Buffer.from(helpdeskCsv(variant).csv),
      });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.waitForURL(/\/logs\/uploads\//);
      expect(await page.locator('#caseId').inputValue()).toBe('case_id');
      expect(await page.locator('#activity').inputValue()).toBe('activity');
      expect(await page.locator('#timestamp').inputValue()).toBe('timestamp');
      await page.getByRole('button', { name: 'Import the log' }).click();
      await page.waitForURL(/\/logs\/[0-9a-f-]{36}$/, { timeout: 30_000 });
      logUrl.set(variant, page.url());
    }
    await page.goto(`${server.url}/logs`);
    await page.getByLabel('Name of the log (optional)').fill('Weekday office');
    await page.setInputFiles('#file', {
      name: 'office.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rowsToCsv(weekdayOfficeRows(1000, 3))),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForURL(/\/logs\/uploads\//);
    await page.getByRole('button', { name: 'Import the log' }).click();
    await page.waitForURL(/\/logs\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    officeUrl = page.url();
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  for (const variant of VARIANTS) {
    for (const width of [1280, 375]) {
      it(`shows the ${variant} team's log at ${width} px`, async () => {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(logUrl.get(variant) as string);
        const main = page.locator('main');
        const importReport = await page.locator('#import + p + .govuk-summary-list').textContent();
        expect(importReport?.replace(/\s+/g, ' ')).toContain(
          `an empty case id 3 rows, file lines ${HELPDESK_EMPTY_CASE_ID_LINES.join(', ')}`,
        );
        expect(importReport?.replace(/\s+/g, ' ')).toContain(
          `no timestamp 4 rows, file lines ${HELPDESK_NO_TIMESTAMP_LINES.join(', ')}`,
        );
        const summary = (await main.locator('.govuk-summary-list').first().textContent()) ?? '';
        expect(summary.replace(/\s+/g, ' ')).toContain('1 April 2024 at 12:30am to');
        const waits = page.locator('table', {
          has: page.locator('caption', { hasText: 'The longest waits' }),
        });
        const closed = waits.locator('tr', {
          has: page.locator('th[scope="row"]', { hasText: /^\s*Closed/ }),
        });
        const closedText = ((await closed.textContent()) ?? '').replace(/\s+/g, ' ');
        expect(closedText).toContain('policy or timer wait');
        expect(closedText).toMatch(/\d+% of the 600 waits before 'Closed' are exactly 15 days/);
        const capacity = (await page.locator('#capacity-bottleneck').textContent()) ?? '';
        if (variant === 'busy') expect(capacity).toContain('Capacity bottleneck: Reply sent');
        else expect(capacity).toContain('No capacity bottleneck');
        await checkPage(page, { js: true, width }, page);
      });
    }
  }

  for (const width of [1280, 375]) {
    it(`previews a weekday office's chain with its roster at ${width} px, and without`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${officeUrl}#chain`);
      const stages = page.locator('table', {
        has: page.locator('caption', { hasText: 'The stages of the chain and what each is' }),
      });
      const assess = (
        (await stages.locator('tr', { hasText: 'Assess' }).textContent()) ?? ''
      ).replace(/\s+/g, ' ');
      expect(assess).toContain('On duty Monday to Friday, 08:00–18:00.');
      const preview = ((await page.locator('#chain ~ ul').first().textContent()) ?? '').replace(
        /\s+/g,
        ' ',
      );
      expect(preview).toContain('No case started on Saturdays or Sundays');
      expect(preview).toContain('“Register” into “Assess”');
      expect(await page.getByLabel('Read them from the log').isChecked()).toBe(true);
      await checkPage(page, { js: true, width }, page);

      await page.getByLabel(/Leave them out/).check();
      await page.getByRole('button', { name: 'Show the chain with these choices' }).click();
      await page.waitForURL(/calendar=none/);
      const off = ((await stages.locator('tr', { hasText: 'Assess' }).textContent()) ?? '').replace(
        /\s+/g,
        ' ',
      );
      expect(off).toContain('On duty round the clock.');
      expect(await page.getByLabel(/Leave them out/).isChecked()).toBe(true);
      await checkPage(page, { js: true, width }, page);
    });
  }
});
