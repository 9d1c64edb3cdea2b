/// <reference lib="dom" />
// Issue 15's incident reporting and sector exchange as people would use them, in real headless
// Chromium, with JavaScript on and off, at 1280 px and 375 px: an officer reads the threshold and
// reports a near miss anonymously; the council's admin triages it with the decision aid, closes it
// and turns it into a lesson shared with the sector; another member finds it in the exchange by
// searching, and joins a problem statement; the agency sees reports by class and the referred ones —
// from the second run on, the repeated reports about one system cross its published threshold.
// axe-core checks every page visited; no page scrolls sideways on the phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-sector-incidents-2026';
const OFFICER = { email: 'officer@ashford-vale.example', password: PASSWORD };
const ASHFORD = { email: 'admin@ashford-vale.example', password: PASSWORD };
const HARTMOOR = { email: 'admin@hartmoor.example', password: PASSWORD };
const AGENCY = { email: 'admin@demo-institution.example', password: PASSWORD };

const RUNS = [true, false].flatMap((js) => [1280, 375].map((width) => ({ js, width })));
const nameOf = (run: { js: boolean; width: number }) =>
  `JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px`;

describe.skipIf(!browserAvailable)('sector incidents and exchange, in Chromium', () => {
  let server: RunningServer;
  const axe: Record<string, { context: BrowserContext; page: Page }> = {};

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    for (const [key, who] of Object.entries({ OFFICER, ASHFORD, HARTMOOR, AGENCY })) {
      const context = await launch({ javaScriptEnabled: true });
      axe[key] = { context, page: await signIn(context, server.url, who) };
    }
  });

  afterAll(async () => {
    for (const a of Object.values(axe)) await a.context.close();
    await server?.stop();
  });

  const session = async (
    run: { js: boolean; width: number },
    who: { email: string; password: string },
    axeKey: string,
  ) => {
    const context = await launch({
      javaScriptEnabled: run.js,
      viewport: { width: run.width, height: 900 },
    });
    const page = await signIn(context, server.url, who);
    const axePage = axe[axeKey]?.page;
    if (!axePage) throw new Error('no axe page');
    return {
      context,
      page,
      check: (answersPost = false) => checkPage(page, run, axePage, answersPost),
    };
  };

  for (const [index, run] of RUNS.entries()) {
    it(`an anonymous near miss becomes a sector lesson (${nameOf(run)})`, async () => {
      const title = `Near miss in run ${index + 1}: drafting tool used an old address`;
      // The officer reports anonymously, after reading the threshold.
      const officer = await session(run, OFFICER, 'OFFICER');
      try {
        const page = officer.page;
        await page.goto(`${server.url}/sector/incidents/new`);
        await officer.check();
        expect(await page.locator('#review-threshold').textContent()).toContain(
          'A report goes to independent review when any of these holds',
        );
        await page.getByLabel('A near miss').check();
        await page.getByLabel('A short title').fill(title);
        await page.getByLabel('The AI system').fill('Letter drafting assistant');
        await page.getByLabel('Kind of AI').selectOption('large-language-models');
        await page.getByLabel('What happened').fill('It filled in an address from an older case.');
        await page.getByLabel('Date it happened').fill('2026-11-20');
        await page.locator('#harmToPublic-2').check();
        await page.getByLabel('Minor').check();
        await page.getByLabel(/Report anonymously/).check();
        await page.getByRole('button', { name: 'Send the report' }).click();
        await page.waitForURL('**/sector/incidents');
        expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
          'your name was not recorded anywhere',
        );
        await officer.check(true);
      } finally {
        await officer.context.close();
      }

      // The admin triages, closes and shares it as a lesson.
      const admin = await session(run, ASHFORD, 'ASHFORD');
      try {
        const page = admin.page;
        await page.goto(`${server.url}/sector/incidents`);
        await admin.check();
        await page.getByRole('link', { name: title }).click();
        await page.waitForURL('**/sector/incidents/*');
        await admin.check();
        expect(await page.locator('main').textContent()).toContain(
          'Anonymous – no name was recorded',
        );
        await page.locator('#q-knowingRisk-2').check();
        await page.locator('#q-sanctionedTrial-2').check();
        await page.locator('#q-departedFromProcedure-2').check();
        await page.getByRole('button', { name: 'Show the class' }).click();
        await page.waitForSelector('#triage-class');
        expect(await page.locator('#triage-class').textContent()).toContain(
          'Blameless human error',
        );
        await admin.check(true);
        await page.getByLabel('Change to the system').fill('Reset the tool between cases.');
        await page.getByRole('button', { name: 'Save the triage' }).click();
        await page.waitForSelector('.govuk-notification-banner');
        expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
          'improve the system',
        );
        await page.getByLabel('What was done about the follow-up').fill('Reset added.');
        await page.getByRole('button', { name: 'Close the report' }).click();
        await page.waitForSelector('#whatWeWouldDoDifferently');
        await admin.check(true);
        await page.getByLabel('What we would do differently').fill('Test with several cases.');
        await page.locator('#ambition').check();
        await page.locator('#outcome-2').check();
        await page.getByLabel('Yes, share it with the sector').check();
        await page.getByRole('button', { name: 'Make it a lesson' }).click();
        await page.waitForSelector('#lesson-made');
        await admin.check(true);
      } finally {
        await admin.context.close();
      }

      // Another member finds it by searching the exchange, and joins the problem statement.
      const other = await session(run, HARTMOOR, 'HARTMOOR');
      try {
        const page = other.page;
        await page.goto(`${server.url}/sector/exchange`);
        await other.check();
        await page.getByLabel('Search the exchange').fill(`run ${index + 1} drafting`);
        await page.getByRole('button', { name: 'Search' }).click();
        await page.waitForURL('**/sector/exchange?*');
        await other.check();
        await page.getByRole('link', { name: `Near miss: ${title}` }).click();
        await page.waitForURL('**/sector/exchange/*');
        await other.check();
        expect(await page.locator('main').textContent()).toContain('Ashford Vale');
        await page.goto(`${server.url}/sector/exchange?kind=problem`);
        await page.getByRole('link', { name: 'Reading handwritten social care forms' }).click();
        await page.waitForURL('**/sector/exchange/*');
        await other.check();
        const button = page.getByRole('button', { name: /Join this problem|Leave this problem/ });
        const joining = ((await button.textContent()) ?? '').includes('Join');
        await button.click();
        await page.waitForSelector('.govuk-notification-banner');
        expect(await page.locator('main').textContent()).toContain(
          joining ? 'Joined by 2 other members' : 'Joined by 1 other member',
        );
        await other.check(true);
        await page.goto(`${server.url}/sector/exchange/new?kind=case_study`);
        await other.check();
      } finally {
        await other.context.close();
      }

      // The agency sees reports by class and the one its threshold referred.
      const agency = await session(run, AGENCY, 'AGENCY');
      try {
        const page = agency.page;
        await page.goto(`${server.url}/sector/incidents`);
        await agency.check();
        const text = (await page.locator('main').textContent()) ?? '';
        expect(text).toContain('Risk score delayed support for families');
        expect(text).toContain('Blameless human error');
        // The demo has one earlier report about the same drafting assistant; the threshold (version
        // 2) refers a third within 60 days, so from the second run on the report is referred.
        if (index === 0) expect(text).not.toContain(title);
        else {
          expect(text).toContain(title);
          expect(text).toMatch(/\d reports about the same AI system within 60 days/);
        }
        await page.goto(`${server.url}/sector/exchange`);
        await agency.check();
      } finally {
        await agency.context.close();
      }
    }, 240_000);
  }
});
