/// <reference lib="dom" />
// Issue 11's evaluation and lessons as a lead would use them in real headless Chromium, with
// JavaScript on and off, on a desktop (1280 px) and on a phone (375 px): evaluate a live initiative
// from the demo receipt log (the figures and the cautions, the trend already under way before
// go-live among them), save it, review and file the drafted lesson, and find it with the search
// box. axe-core checks every page visited, and no page scrolls sideways on the phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { InitiativeFields } from '../../src/storage/index.ts';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, withDemoCouncil, type RunningServer } from '../helpers/server.ts';
import { initiativeFields } from '../helpers/initiatives.ts';

const PASSWORD = 'e2e-lessons-password-2026';
const LEAD = { email: 'lead@demo-council.example', password: PASSWORD };
const T06 = 'T06 Determine necessity of stop advice';

const fields: InitiativeFields = initiativeFields({
  title: '',
  problem: 'Permit applications wait days for someone to decide whether stop advice is needed.',
  competency: 'natural-language-processing',
  ambition: 'pilot',
  typologyCells: [4],
  technologyCost: 18_000,
  authorisingNarrative: 'Faster environmental permits.',
});

const RUNS = [true, false].flatMap((js) => [1280, 375].map((width) => ({ js, width })));
const nameOf = (run: { js: boolean; width: number }) =>
  `JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px`;

describe.skipIf(!browserAvailable)('evaluation and lessons, in Chromium', () => {
  let server: RunningServer;
  let axeContext: BrowserContext;
  let axePage: Page;
  const initiatives = new Map<string, string>();

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    // No form can set an initiative live yet on this branch: put them beside the server's database.
    await withDemoCouncil(server, async (scope) => {
      for (const run of RUNS) {
        const id = await scope.initiatives.create({
          ...fields,
          title: `Stop-advice triage (${nameOf(run)})`,
        });
        await scope.initiatives.setStatus(id, 'live', { liveFrom: '2011-06-01' });
        initiatives.set(nameOf(run), id);
      }
    });
    axeContext = await launch({ javaScriptEnabled: true });
    axePage = await signIn(axeContext, server.url, LEAD);
  });

  afterAll(async () => {
    await axeContext?.close();
    await server?.stop();
  });

  for (const run of RUNS) {
    it(`evaluates a live initiative from its event log, files the lesson and finds it (${nameOf(run)})`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      try {
        const page = await signIn(context, server.url, LEAD);
        const word = `kingfisher${run.js ? 'on' : 'off'}${run.width}`;
        const initiativeTitle = `Stop-advice triage (${nameOf(run)})`;

        const check = (answersPost = false) => checkPage(page, run, axePage, answersPost);

        // Step 1: the organisation's receipt log, and the activity the initiative changed.
        await page.goto(`${server.url}/initiatives/${initiatives.get(nameOf(run))}/evaluation`);
        expect(await page.locator('h1').textContent()).toContain('Post-implementation evaluation');
        expect(await page.locator('main').textContent()).toContain('It went live on 1 June 2011.');
        await check();
        const logSelect = page.getByLabel('Event log of the service');
        expect(await logSelect.locator('option:checked').textContent()).toContain(
          'Environmental permit applications: receipt phase',
        );
        await page
          .getByLabel('Activity the initiative changed (the targeted stage)')
          .selectOption(T06);
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL('**/evaluation/figures?**');

        // Step 2: the figures from the log, with the cautions in view before the table.
        const cautions = await page.locator('#cautions').textContent();
        expect(cautions).toContain('Before you draw conclusions');
        expect(cautions).toContain('Median lead time was already falling before go-live');
        const table = await page.locator('#figures').textContent();
        expect(table).toMatch(/Cases \(started and finished in the period\)\s*754\s*666/);
        expect(table).toContain(`Median wait before ${T06}`);
        expect(await page.locator('#changes + ul').textContent()).toContain(
          'Median lead time fell from 1.8 days to 4.6 minutes (−99.8%): better.',
        );
        expect(await page.locator('main').textContent()).toContain('95% bootstrap interval');
        await check();

        // Saving with nothing typed names every missing answer and saves nothing.
        await page.getByRole('button', { name: 'Save the evaluation' }).click();
        await page.waitForLoadState();
        const summary = await page.locator('.govuk-error-summary').textContent();
        expect(summary).toContain('Enter what decided the result');
        expect(summary).toContain('Select the outcome');
        expect(await page.locator('#cautions').textContent()).toContain(
          'Median lead time was already falling',
        );
        await check(true);

        await page.locator('#costPerOutput-before').fill('142');
        await page.locator('#costPerOutput-after').fill('118');
        await page.getByLabel('The bottleneck after go-live (optional)').fill('T02 Check');
        await page
          .getByLabel('What decided the result')
          .fill(`Parked applications were released the same day (${word}).`);
        await page
          .getByLabel('Unintended consequences')
          .fill('Checks bunched up at confirmation of receipt.');
        await page.getByLabel('What frontline staff said').fill('The queue felt lighter.');
        await page.getByLabel('Partly succeeded').check();
        await page.getByRole('button', { name: 'Save the evaluation' }).click();
        await page.waitForURL('**/lessons/new?**');

        // The drafted lesson: review it, add what we would do differently, and file it.
        expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
          'Evaluation saved and the initiative marked evaluated.',
        );
        expect(await page.getByLabel('Title').inputValue()).toBe(
          `${initiativeTitle}: partly succeeded`,
        );
        expect(await page.getByLabel('What happened').inputValue()).toContain(
          'Median lead time fell from 1.8 days to 4.6 minutes (−99.8%): better (from the event log).',
        );
        await check();
        await page
          .getByLabel('What we would do differently')
          .fill('Model the confirmation check before go-live.');
        await page.getByRole('button', { name: 'File the lesson' }).click();
        await page.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);
        expect(await page.locator('h1').textContent()).toBe(`${initiativeTitle}: partly succeeded`);
        expect(await page.locator('main').textContent()).toContain(
          'Model the confirmation check before go-live.',
        );
        await check();

        // Find it with the search box.
        await page.getByRole('link', { name: 'Back to all lessons' }).click();
        await page.waitForURL('**/lessons');
        await check();
        await page.getByLabel('Search the lessons').fill(word);
        await page.getByRole('button', { name: 'Search' }).click();
        await page.waitForURL(`**/lessons?q=${word}**`);
        const results = page.locator('#results');
        expect(await results.locator('h2').textContent()).toContain(`1 lesson matching “${word}”`);
        expect(await results.locator('h3').allTextContents()).toEqual([
          `${initiativeTitle}: partly succeeded`,
        ]);
        expect(await results.locator('mark').first().textContent()).toBe(word);
        await check();
        await results.getByRole('link', { name: `${initiativeTitle}: partly succeeded` }).click();
        await page.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);

        // The evaluation page now lists the evaluation with its lesson.
        await page.goto(`${server.url}/initiatives/${initiatives.get(nameOf(run))}/evaluation`);
        expect(await page.locator('#saved ~ section h3').first().textContent()).toContain(
          'partly succeeded',
        );
        await expect(
          page.getByRole('link', { name: 'Read the lesson filed from this evaluation' }).count(),
        ).resolves.toBe(1);
        await check();
      } finally {
        await context.close();
      }
    });
  }
});
