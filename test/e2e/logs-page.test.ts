/// <reference lib="dom" />
// Issue 13 (points 1 and 5) on the event-log page as a lead would use it, in real headless
// Chromium with JavaScript on and off, at 1280 px and 375 px: what the import did, the times'
// zone stated, the capacity bottleneck named or its absence said, the map redrawn in the
// performance view with every path (a GET form, no script needed), its SVG downloaded, and a wait
// kind corrected with a reason and withdrawn again. axe-core checks every state of the page, and
// nothing scrolls sideways on the phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-log-page-password-2026';
const LEAD = { email: 'lead@demo-council.example', password: PASSWORD };
const T06 = 'T06 Determine necessity of stop advice';

const RUNS = [true, false].flatMap((js) => [1280, 375].map((width) => ({ js, width })));
const nameOf = (run: { js: boolean; width: number }) =>
  `JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px`;

describe.skipIf(!browserAvailable)('the event-log page, in Chromium', () => {
  let server: RunningServer;
  let axeContext: BrowserContext;
  let axePage: Page;

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    axeContext = await launch({ javaScriptEnabled: true });
    axePage = await signIn(axeContext, server.url, LEAD);
  });

  afterAll(async () => {
    await axeContext?.close();
    await server?.stop();
  });

  for (const run of RUNS) {
    it(`reports the import, redraws the map and corrects a wait kind (${nameOf(run)})`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      try {
        const page = await signIn(context, server.url, LEAD);
        const check = (answersPost = false) => checkPage(page, run, axePage, answersPost);
        await page.goto(`${server.url}/logs`);
        await page
          .getByRole('link', { name: /Environmental permit applications/ })
          .first()
          .click();
        await page.waitForURL(/\/logs\/[0-9a-f-]{36}$/);
        const logUrl = page.url();
        const main = page.locator('main');
        expect(await page.locator('#import').textContent()).toContain('What the import did');
        expect(await main.textContent()).toContain('8,577 rows after the header');
        expect(await main.textContent()).toContain('None: every row was used');
        expect(await main.textContent()).toContain('the offset the log’s own timestamps carry');
        expect(await page.locator('#capacity-bottleneck').textContent()).toContain(
          'No capacity bottleneck',
        );
        await check();

        // The map: the performance view, every path, without a script.
        await page.getByLabel('Label the arrows with').selectOption('performance');
        await page.getByLabel('How much of the map to draw').selectOption('0');
        await page.getByRole('button', { name: 'Redraw the map' }).click();
        await page.waitForURL(/view=performance&paths=0/);
        const map = page.locator('svg[aria-labelledby^="process-map"]');
        expect(await map.locator('desc').textContent()).toContain(
          'labelled with the median time between the two activities',
        );
        await check();
        const download = await page.request.get(`${logUrl}/map.svg?view=performance&paths=0`);
        expect(download.status()).toBe(200);
        expect(await download.text()).toContain(
          '<title id="process-map-title">Process map</title>',
        );

        // Correct the kind of the wait before T06, with a reason.
        await page.goto(logUrl);
        await page.getByText('Correct the kind of a wait').click();
        await page.getByLabel('Which wait').selectOption(T06);
        await page.getByLabel('policy or timer wait', { exact: true }).check();
        await page.getByRole('button', { name: 'Save the correction' }).click();
        // No reason: a message beside the field, nothing saved.
        expect(await page.locator('.govuk-error-summary').textContent()).toContain(
          'Say why this wait is of that kind',
        );
        await check(true);
        await page.getByLabel('Which wait').selectOption(T06);
        await page.getByLabel('policy or timer wait', { exact: true }).check();
        await page.getByLabel('Why').fill(`Held for a set period by law (${nameOf(run)})`);
        await page.getByRole('button', { name: 'Save the correction' }).click();
        await page.waitForURL(/\/logs\/[0-9a-f-]{36}(#bottleneck)?$/);
        expect(await main.textContent()).toContain('Corrected by Priya Shah');
        expect(await main.textContent()).not.toContain(`Bottleneck: ${T06} (batching`);
        await check();

        // Withdrawn: the log's own reading again.
        await page.getByText('Correct the kind of a wait').click();
        await page.getByLabel('Which wait').selectOption(T06);
        await page.getByLabel('Use the kind read from the log (remove a correction)').check();
        await page.getByRole('button', { name: 'Save the correction' }).click();
        await page.waitForURL(/\/logs\/[0-9a-f-]{36}(#bottleneck)?$/);
        expect(await main.textContent()).toContain(
          `Bottleneck: ${T06} (batching, not a shortage of capacity)`,
        );
        expect(await main.textContent()).not.toContain('Corrected by');
      } finally {
        await context.close();
      }
    });
  }
});
