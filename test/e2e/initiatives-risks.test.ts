/// <reference lib="dom" />
// Issue 11's risk and governance pages as a lead would use them in real headless Chromium, with
// JavaScript on and off, on a desktop screen (1280 px) and a phone (375 px): record a pre-mortem and
// keep its draft risks, see the ethical one flagged above the appetite in the register and on the
// organisation-wide escalation page, record a DPIA screening, and open the transparency record with
// its missing fields. axe-core checks every page visited; on the phone no page scrolls sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { InitiativeFields } from '../../src/storage/index.ts';
import {
  axeViolations,
  browserAvailable,
  checkPage,
  describeViolations,
  launch,
  signIn,
} from '../helpers/browser.ts';
import { startServer, withDemoCouncil, type RunningServer } from '../helpers/server.ts';
import { initiativeFields } from '../helpers/initiatives.ts';

const PASSWORD = 'e2e-risks-password-2026';
const LEAD = { email: 'lead@demo-council.example', password: PASSWORD };
const ADMIN = { email: 'admin@demo-council.example', password: PASSWORD };

const fields: InitiativeFields = initiativeFields({
  title: 'Housing repairs chatbot',
  problem: 'Tenants wait on the phone to report repairs.',
  competency: 'chatbots',
  ambition: 'bespoke',
  affects: ['public'],
  data: {
    personal: true,
    specialCategory: false,
    criminalOffence: false,
    description: 'Tenants’ names, addresses and repair reports.',
  },
  typologyCells: [3],
  technologyCost: 30_000,
  authorisingNarrative: 'Repairs done first time.',
});

const RUNS = [
  { js: true, width: 1280 },
  { js: false, width: 1280 },
  { js: true, width: 375 },
  { js: false, width: 375 },
] as const;

describe.skipIf(!browserAvailable)('initiative risks and governance, in Chromium', () => {
  let server: RunningServer;
  let axeContext: BrowserContext;
  let axePage: Page;
  const initiatives: string[] = [];

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    // Registering an initiative is the register's own journey: each run's is put beside the
    // server's own database, and the run starts from its page.
    await withDemoCouncil(server, async (scope) => {
      for (const run of RUNS) {
        initiatives.push(
          await scope.initiatives.create({
            ...fields,
            title: `${fields.title} (JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px)`,
          }),
        );
      }
    });
    axeContext = await launch({ javaScriptEnabled: true });
    axePage = await signIn(axeContext, server.url, LEAD);
  });

  afterAll(async () => {
    await axeContext?.close();
    await server?.stop();
  });

  RUNS.forEach((run, index) => {
    const label = `JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px`;
    it(`records a pre-mortem, escalates its ethical risk, screens the DPIA and opens the transparency record (${label})`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      try {
        const page = await signIn(context, server.url, LEAD);
        const id = initiatives[index] ?? '';
        const title = `${fields.title} (${label})`;

        const check = (answersPost = false) => checkPage(page, run, axePage, answersPost);

        // The pre-mortem: the answers become draft risks to check.
        await page.goto(`${server.url}/initiatives/${id}`);
        await page.getByRole('link', { name: 'pre-mortem', exact: true }).click();
        await page.waitForURL(`**/initiatives/${id}/pre-mortem`);
        await check();
        await page
          .getByLabel('It is a year from now and this initiative has failed. What went wrong?')
          .fill(
            [
              'The chatbot was biased against tenants whose first language is not English.',
              'Repair staff ignored the chatbot’s reports and kept using email.',
            ].join('\n'),
          );
        await page.getByRole('button', { name: 'Draft the risks' }).click();
        await page.locator('h1', { hasText: 'Check the draft risks' }).waitFor();
        const drafts = page.locator('.govuk-summary-card');
        expect(await drafts.count()).toBe(2);
        expect(await drafts.nth(0).textContent()).toContain('Suggested: Ethical');
        expect(await drafts.nth(1).textContent()).toContain('Suggested: Operational');
        await check(true);
        await page.getByRole('button', { name: 'Add the kept risks to the register' }).click();
        await page.waitForURL(`**/initiatives/${id}/risks`);
        expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
          'Pre-mortem recorded: 2 risks added',
        );
        const ethicalRow = page.locator('tr', { hasText: 'The chatbot was biased' });
        expect(await ethicalRow.textContent()).toContain('Above appetite: escalate');
        expect(await ethicalRow.textContent()).toContain('9, High');
        const operationalRow = page.locator('tr', { hasText: 'Repair staff ignored' });
        expect(await operationalRow.textContent()).not.toContain('Above appetite');
        await check();

        // The organisation-wide escalation page lists the ethical risk, not the operational one.
        await page
          .getByRole('link', { name: 'Risks above the appetite across all initiatives' })
          .click();
        await page.waitForURL('**/initiatives/risks');
        const above = page.locator('table', {
          has: page.locator('caption', { hasText: 'above the appetite' }),
        });
        const aboveRow = above.locator('tr', { hasText: title });
        expect(await aboveRow.count()).toBe(1);
        expect(await aboveRow.textContent()).toContain('The chatbot was biased');
        expect(await aboveRow.textContent()).toContain('3 above the ethical appetite of 6');
        await check();

        // The DPIA screening: prefilled from the initiative, one more answer, the outcome.
        await page.goto(`${server.url}/initiatives/${id}/dpia`);
        await check();
        expect(
          await page
            .getByRole('group', { name: /Will it use information about identifiable people/ })
            .getByLabel('Yes')
            .isChecked(),
        ).toBe(true);
        await page
          .getByRole('group', { name: /Will it combine, compare or match data/ })
          .getByLabel('Yes')
          .check();
        await page.getByRole('button', { name: 'Screen the answers' }).click();
        await page.waitForURL(`**/initiatives/${id}/dpia#outcome`);
        const outcome = await page.locator('main').textContent();
        expect(outcome).toContain('A DPIA is required');
        expect(outcome).toContain('Data matching');
        await check();

        // The transparency record, with the required fields still empty listed first.
        await page.getByRole('link', { name: 'Algorithmic transparency record' }).click();
        await page.waitForURL(`**/initiatives/${id}/transparency`);
        const missing = page.locator('#missing');
        expect(await missing.locator('h2').textContent()).toContain('Still to fill in');
        expect(await missing.textContent()).toContain('1.4 Contact email');
        expect(await missing.textContent()).not.toContain('1.1 Name');
        expect(await page.locator('#f-2-5-2').textContent()).toContain('The chatbot was biased');
        await check();
        await missing.getByRole('link', { name: '1.4 Contact email' }).click();
        expect(page.url()).toContain('#f-1-4');
        await page.getByRole('link', { name: 'Printable version' }).click();
        await page.waitForURL(`**/initiatives/${id}/transparency/print`);
        expect(
          await page.locator('nav.govuk-service-navigation, .govuk-service-navigation').count(),
        ).toBe(0);
        expect(await page.locator('main').textContent()).toContain('1.4 Contact email');
        await check();
      } finally {
        await context.close();
      }
    });
  });

  it('keeps the other pages accessible, their error messages too, and within a phone’s width', async () => {
    const id = initiatives[0] ?? '';
    for (const width of [1280, 375]) {
      const context = await launch({ javaScriptEnabled: true, viewport: { width, height: 900 } });
      try {
        const page = await signIn(context, server.url, ADMIN);
        const check = async () => {
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          expect(scrollWidth, `${page.url()} is ${scrollWidth} px wide`).toBeLessThanOrEqual(width);
          const violations = await axeViolations(page);
          expect(violations, describeViolations(page.url(), violations)).toEqual([]);
        };
        for (const path of [
          `/initiatives/${id}/risks/new`,
          `/initiatives/${id}/ethics-review`,
          `/initiatives/${id}/transparency/edit`,
          '/initiatives/settings/risk-appetite',
        ]) {
          await page.goto(server.url + path);
          await check();
        }
        // Each form's error summary and messages, as a person who leaves it empty meets them.
        await page.goto(`${server.url}/initiatives/${id}/risks/new`);
        await page.getByRole('button', { name: 'Add the risk' }).click();
        await page.locator('.govuk-error-summary').waitFor();
        expect(await page.locator('.govuk-error-summary').textContent()).toContain(
          'Choose whether it is an operational or an ethical risk',
        );
        await check();
        await page.goto(`${server.url}/initiatives/${id}/ethics-review`);
        await page.getByLabel('Approved').check();
        await page.getByRole('button', { name: 'Save the ethics review' }).click();
        await page.locator('.govuk-error-summary').waitFor();
        await check();
        await page.goto(`${server.url}/initiatives/settings/risk-appetite`);
        await page.locator('#ethical').fill('30');
        await page.getByRole('button', { name: 'Save a new version' }).click();
        await page.locator('.govuk-error-summary').waitFor();
        expect(await page.locator('.govuk-error-summary').textContent()).toContain(
          'The ethical appetite must be 25 or less',
        );
        await check();
        // A risk's own page (the pre-mortem above kept two), as its form for a lead or admin.
        await page.goto(`${server.url}/initiatives/${id}/risks`);
        await page.locator('#risks tbody a').first().click();
        await page.locator('h1', { hasText: 'Change a risk' }).waitFor();
        await check();
      } finally {
        await context.close();
      }
    }
  });
});
