/// <reference lib="dom" />
// Issue 14, point 4, tried as a new user would in real headless Chromium at 1280 px and 375 px:
// upload a file of comments, run it again asking for 20 themes in 6 broad themes, and read the
// broad themes with the themes in each, following one to its theme. axe-core checks every page and
// nothing may scroll sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-demo-password-2026';

function comments(): string {
  const subjects =
    'bins pothole parking library tax streetlight noise graffiti pool bus housing dog school recycling planning flooding trees benefits cemetery market cycling allotment museum gritting'.split(
      ' ',
    );
  const frames = [
    'the {} service is a problem',
    'please sort out the {} issue',
    'complaints about {} again',
    '{} needs attention now',
    'why is {} still so poor',
    'nobody answers about {}',
  ];
  return `${frames.flatMap((f) => subjects.map((s) => f.replace('{}', s))).join('\n')}\n`;
}

describe.skipIf(!browserAvailable)('broad themes and their themes, in Chromium', () => {
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

  for (const width of [1280, 375]) {
    it(`shows 20 themes in 6 broad themes at ${width} px`, async () => {
      const page = await signIn(context, server.url, {
        email: 'lead@demo-council.example',
        password: PASSWORD,
      });
      await page.setViewportSize({ width, height: 900 });
      const run = { js: true, width };
      await page.goto(`${server.url}/themes/upload`);
      await page.getByLabel('Name (optional)').fill(`Service comments ${width}`);
      await page.getByLabel('File of comments').setInputFiles({
        name: 'services.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(comments()),
      });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.waitForURL('**/themes/analyses/*');
      await page.locator('h1', { hasText: /^Themes$/ }).waitFor({ timeout: 60_000 });

      // Run again with both numbers set.
      await page.getByRole('link', { name: 'Run again or see earlier analyses' }).click();
      await page.waitForURL('**/themes/sets/*');
      await checkPage(page, run, page);
      await page.getByLabel('Number of themes (optional)').fill('20');
      await page.getByLabel('Number of broad themes (optional)').fill('6');
      await page.getByRole('button', { name: 'Find the themes again' }).click();
      await page.waitForURL('**/themes/analyses/*');
      await page.locator('h1', { hasText: /^Themes$/ }).waitFor({ timeout: 60_000 });

      const section = page.locator('section#broad-themes');
      await expect(section.locator('h2').textContent()).resolves.toContain(
        '6 broad themes and the themes in each',
      );
      expect(await section.locator('h3').count()).toBe(6);
      // Every theme is listed once, under one broad theme, and the table says which.
      expect(await section.locator('li ul a').count()).toBe(20);
      expect(await page.locator('table#themes tbody th', { hasText: 'Broad theme:' }).count()).toBe(
        20,
      );
      await checkPage(page, run, page);

      // Follow a theme from its broad theme.
      const first = section.locator('li ul a').first();
      const name = (await first.textContent()) ?? '';
      await first.click();
      await page.waitForURL('**/themes/analyses/*/themes/*');
      expect(await page.locator('h1').textContent()).toContain(name.trim());
      await checkPage(page, run, page);
      await page.close();
    });
  }
});
