/// <reference lib="dom" />
// Issue 14, point 7, tried as a new user would in real headless Chromium at 1280 px and 375 px:
// upload this quarter's and next quarter's comments, say the second is a later wave of the first,
// and read which themes grew, appeared or did not change — chart and table — on the comparison
// page. The column-mapping page's reasons (point 6) are checked on the way for a CSV. axe-core
// checks every page and nothing may scroll sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { WAVE_ONE, WAVE_TWO, waveText } from '../helpers/waves.ts';

const PASSWORD = 'e2e-demo-password-2026';

describe.skipIf(!browserAvailable)('comparing two waves of comments, in Chromium', () => {
  let server: RunningServer;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    context = await launch({ javaScriptEnabled: true });
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  const upload = async (page: Page, name: string, content: string): Promise<string> => {
    await page.goto(`${server.url}/themes/upload`);
    await page.getByLabel('Name (optional)').fill(name);
    await page.getByLabel('File of comments').setInputFiles({
      name: 'wave.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(content),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForURL('**/themes/analyses/*');
    await page.locator('h1', { hasText: /^Themes$/ }).waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Run again or see earlier analyses' }).click();
    await page.waitForURL('**/themes/sets/*');
    return page.url();
  };

  for (const width of [1280, 375]) {
    it(`shows which themes grew, appeared or held steady at ${width} px`, async () => {
      const page = await signIn(context, server.url, {
        email: 'lead@demo-council.example',
        password: PASSWORD,
      });
      await page.setViewportSize({ width, height: 900 });
      const run = { js: true, width };

      // The column-mapping page explains its suggestions (point 6).
      await page.goto(`${server.url}/themes/upload`);
      await page.getByLabel('Name (optional)').fill(`Mapped ${width}`);
      await page.getByLabel('File of comments').setInputFiles({
        name: 'survey.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          `respondent_id,submitted,channel_flag,comment\n${Array.from(
            { length: 30 },
            (_, i) =>
              `${9000 + i},2026-0${1 + (i % 9)}-1${i % 10},${i % 2},The bins on street ${i} were not collected again this week`,
          ).join('\n')}\n`,
        ),
      });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.waitForURL('**/columns');
      await expect(page.locator('#date-reason').textContent()).resolves.toBe(
        'Suggested because 100 % of the values of “submitted” are dates.',
      );
      await expect(page.locator('#group-reason').textContent()).resolves.toBe(
        'Not suggested as a group: “respondent_id” has 30 different values in 30 rows — looks like an id.',
      );
      await expect(page.locator('#channel-reason').textContent()).resolves.toContain(
        'holds only 0 and 1 — a yes/no flag',
      );
      await checkPage(page, run, page);

      await upload(page, `Spring ${width}`, waveText(WAVE_ONE));
      const later = await upload(page, `Summer ${width}`, waveText(WAVE_TWO, 7));
      await page.getByRole('link', { name: 'Is this a later wave of an earlier set?' }).click();
      await page.waitForURL('**/wave');
      await checkPage(page, run, page);
      await page.getByLabel(`Spring ${width}`).check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(`${later}/compare`);
      await page.locator('h1', { hasText: 'Compared with the earlier wave' }).waitFor();

      const table = page.locator('table#comparison');
      expect(await table.locator('tbody tr').count()).toBe(7);
      await expect(
        table.locator('tbody tr', { hasText: 'Public library' }).textContent(),
      ).resolves.toContain('new');
      await expect(page.locator('#summary').textContent()).resolves.toContain(
        '1 theme grew and 0 shrank clearly',
      );
      // The chart names every theme, with the same percentages as the table.
      const chart = page.locator('svg[role="img"]');
      await expect(chart.locator('desc').textContent()).resolves.toMatch(
        /Public library[^;]*: 0\.0% of comments in the earlier wave, 8\.4% in the later wave, new/,
      );
      await checkPage(page, run, page);
    });
  }
});
