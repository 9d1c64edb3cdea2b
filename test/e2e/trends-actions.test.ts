/// <reference lib="dom" />
// Issue 12, points 5 and 6, as a lead would use them on a phone (375 px), in real headless Chromium
// with JavaScript on and off: read the trend across the council's three rounds, open the comparison
// of two rounds, then take on an action of the autumn 2026 roadmap and assign it to a colleague with
// a due date, and find it among the tracked actions. axe-core checks every page visited, and no page
// scrolls sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-trends-password-2026';
const LEAD = { email: 'lead@demo-council.example', password: PASSWORD };
const COLLEAGUE = 'Sam Okafor';
const TITLES = [
  'Capability baseline, autumn 2025',
  'Capability check, spring 2026',
  'Capability review, autumn 2026',
];

const RUNS = [
  { js: true, width: 375 },
  { js: false, width: 375 },
] as const;

describe.skipIf(!browserAvailable)('trends and tracked actions, in Chromium', () => {
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

  RUNS.forEach((run, index) => {
    const label = `JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px`;
    it(`reads the trend and assigns a roadmap action to a colleague with a due date (${label})`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      try {
        const page = await signIn(context, server.url, LEAD);
        const check = (answersPost = false) => checkPage(page, run, axePage, answersPost);

        await page.goto(`${server.url}/assessments`);
        await page.getByRole('link', { name: 'Trends across rounds' }).click();
        await page.waitForURL('**/assessments/trends');
        await check();
        const trend = (await page.locator('main').textContent()) ?? '';
        for (const title of TITLES) expect(trend).toContain(title);
        expect(trend).toContain('closed, not finalised');
        expect(await page.locator('main svg[role="img"]').count()).toBeGreaterThanOrEqual(5);

        await page.getByRole('link', { name: 'Compare any two rounds' }).click();
        await page.waitForURL('**/assessments/compare');
        await page
          .getByLabel('First round')
          .selectOption({ label: `${TITLES[0]} (the organisation, finalised)` });
        await page
          .getByLabel('Second round')
          .selectOption({ label: `${TITLES[2]} (the organisation, closed)` });
        await page.getByRole('button', { name: 'Compare' }).click();
        await page.waitForURL('**/assessments/compare?**');
        await check();
        expect(await page.locator('main').textContent()).toContain(
          `${TITLES[0]} compared with ${TITLES[2]}`,
        );

        // The autumn 2026 roadmap: take on its first action not yet tracked.
        await page.goto(`${server.url}/assessments`);
        await page.getByRole('link', { name: TITLES[2] }).click();
        await page.goto(`${page.url()}/roadmap`);
        await check();
        await page
          .getByRole('button', { name: /^Track this action/ })
          .first()
          .click();
        await page.waitForURL('**/assessments/actions/**');
        await check();
        const action = (await page.locator('h1').textContent())?.trim() ?? '';
        expect(action).toMatch(/^(Make sure that|Tackle this:) /);

        // Assign it to a colleague with a due date; a date in the past is refused beside the field.
        await page
          .getByLabel('Owner')
          .selectOption({ label: `${COLLEAGUE} (planner@demo-council.example)` });
        await page.getByLabel('Day').fill('30');
        await page.getByLabel('Month').fill('6');
        await page.getByLabel('Year').fill('2020');
        await page.getByLabel('In progress').check();
        await page.getByRole('button', { name: 'Save action' }).click();
        await page.locator('.govuk-error-summary').waitFor();
        expect(await page.locator('.govuk-error-summary').textContent()).toContain(
          'The due date must be today or in the future',
        );
        await check(true);
        await page.getByLabel('Year').fill(String(2090 + index));
        await page.getByRole('button', { name: 'Save action' }).click();
        await page.waitForURL('**/assessments/actions');
        await check();
        const list = (await page.locator('main').textContent()) ?? '';
        expect(list).toContain('Action saved');
        expect(list).toContain(action);

        // Filtered to the colleague, the action is there with its due date and status.
        await page.getByLabel('Owner').selectOption({ label: COLLEAGUE });
        await page.getByRole('button', { name: 'Show actions' }).click();
        await page.waitForURL('**/assessments/actions?**');
        await check();
        const row = page.locator('tr', { hasText: action });
        await expect.poll(() => row.count()).toBe(1);
        const cells = (await row.textContent()) ?? '';
        expect(cells).toContain(COLLEAGUE);
        expect(cells).toContain(`Due 30 June ${2090 + index}`);
        expect(cells).toContain('In progress');
      } finally {
        await context.close();
      }
    });
  });
});
