/// <reference lib="dom" />
// Issue 11's register as a transformation lead would use it, in real headless Chromium with
// JavaScript on and off, on a desktop screen (1280 px) and a phone (375 px): register a bespoke
// predictive system that affects the public and see it judged not ready with the blocking
// capabilities and first actions; aim an off-the-shelf pilot at a stage that is not the bottleneck and
// see the warning with numbers; open the business case; move the demo's ready pilot along. axe-core
// checks every page visited; on the phone no page scrolls sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-initiatives-password-2026';
const LEAD = { email: 'lead@demo-council.example', password: PASSWORD };

const RUNS = [
  { js: true, width: 1280 },
  { js: false, width: 1280 },
  { js: true, width: 375 },
  { js: false, width: 375 },
] as const;

describe.skipIf(!browserAvailable)('the initiative register, in Chromium', () => {
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

  RUNS.forEach((run) => {
    const label = `JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px`;
    it(`registers, judges, warns and writes the business case (${label})`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      try {
        const page = await signIn(context, server.url, LEAD);
        const check = (answersPost = false) => checkPage(page, run, axePage, answersPost);

        // The list, with the demo's initiatives and their verdicts.
        await page.goto(`${server.url}/initiatives`);
        await check();
        expect(await page.locator('main').textContent()).toContain(
          'Summaries of planning policy for case officers',
        );

        // Register a bespoke predictive system that informs decisions about the public.
        await page.getByRole('button', { name: 'Register an initiative' }).click();
        await page.waitForURL('**/initiatives/new');
        await check();
        // First, an empty form: every problem beside its field, nothing stored.
        await page.getByRole('button', { name: 'Register the initiative' }).click();
        await page.locator('.govuk-error-summary').waitFor();
        expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter a title');
        await check(true);
        const title = `Refusal predictions (${label})`;
        await page.getByLabel('Title', { exact: true }).fill(title);
        await page
          .getByLabel('The problem, in the words of the people who have it')
          .fill('Planners cannot tell early which applications need the most scrutiny.');
        await page.getByLabel('Predictive analytics').check();
        await page.getByLabel('A bespoke or high-stakes system').check();
        await page.getByLabel('The public').check();
        const yes = (group: RegExp) => page.getByRole('group', { name: group }).getByLabel('Yes');
        const no = (group: RegExp) => page.getByRole('group', { name: group }).getByLabel('No');
        await yes(/decisions about individual people/).check();
        await no(/without meaningful human review/).check();
        await yes(/^Personal data/).check();
        await no(/^Special-category data/).check();
        await no(/^Criminal-offence data/).check();
        await page.getByLabel('One supplier, end to end').check();
        await page.getByRole('button', { name: 'Register the initiative' }).click();
        await page.locator('h1', { hasText: title }).waitFor();
        await check(true);
        const judged = (await page.locator('main').textContent()) ?? '';
        expect(judged).toContain('Not ready');
        expect(judged).toContain('Managing Risk is at 3 Adequate');
        expect(judged).toContain('First actions:');
        await check();

        // An off-the-shelf pilot aimed at permit printing: warned that it is not the bottleneck.
        await page.goto(`${server.url}/initiatives/new`);
        const pilot = `Printing templates (${label})`;
        await page.getByLabel('Title', { exact: true }).fill(pilot);
        await page
          .getByLabel('The problem, in the words of the people who have it')
          .fill('Printing permits takes too long.');
        await page
          .getByLabel('Where it acts in a delivery chain (optional)')
          .selectOption({ label: 'Planning permit applications: Permit printing' });
        await page.getByLabel('Large language models').check();
        await page.getByLabel('An off-the-shelf automation or a low-risk pilot').check();
        await page.getByLabel('Staff only').check();
        await no(/decisions about individual people/).check();
        await no(/without meaningful human review/).check();
        await no(/^Personal data/).check();
        await no(/^Special-category data/).check();
        await no(/^Criminal-offence data/).check();
        await page.getByLabel('Built and run in-house').check();
        await page.getByRole('button', { name: 'Register the initiative' }).click();
        await page.locator('h1', { hasText: pilot }).waitFor();
        const warned = (await page.locator('main').textContent()) ?? '';
        expect(warned).toMatch(/Permit printing runs at \d+% of its capacity/);
        expect(warned).toMatch(/the bottleneck is Manual review at \d+%/);
        await check();

        // Its business case, printable, with the PDF offered.
        await page.getByRole('link', { name: 'Business case', exact: true }).click();
        await page.locator('h1', { hasText: 'Business case' }).waitFor();
        const businessCase = (await page.locator('main').textContent()) ?? '';
        expect(businessCase).toContain('2. The bottleneck (paper section 2.2.1)');
        expect(businessCase).toContain('Download the business case as a PDF');
        await check();
      } finally {
        await context.close();
      }
    });
  });
});
