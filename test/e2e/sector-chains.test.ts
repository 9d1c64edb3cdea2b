/// <reference lib="dom" />
// Issue 15's shared delivery chain and client-capability register as people would use them, in
// real headless Chromium, with JavaScript on and off, at 1280 px and 375 px: the police force's
// admin opens the shared criminal-justice chain, speeds up its own stage and sees the bottleneck
// move to the magistrates' court; a council's admin shares register entries, publishes its rating
// and finds it on the public register signed out; the agency sees its chains and registers.
// axe-core checks every page visited; no page scrolls sideways on the phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-sector-chains-password-2026';
const POLICE = { email: 'admin@demo-constabulary.example', password: PASSWORD };
const HARTMOOR = { email: 'admin@hartmoor.example', password: PASSWORD };
const AGENCY = { email: 'admin@demo-institution.example', password: PASSWORD };

const RUNS = [true, false].flatMap((js) => [1280, 375].map((width) => ({ js, width })));
const nameOf = (run: { js: boolean; width: number }) =>
  `JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px`;

describe.skipIf(!browserAvailable)('shared chains and registers, in Chromium', () => {
  let server: RunningServer;
  const axe = new Map<string, { context: BrowserContext; page: Page }>();
  let publicAxe: BrowserContext;

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    // Signed out, JavaScript on: where axe checks the public register for the runs without JavaScript.
    publicAxe = await launch({ javaScriptEnabled: true });
    for (const account of [POLICE, HARTMOOR, AGENCY]) {
      const context = await launch({ javaScriptEnabled: true });
      axe.set(account.email, { context, page: await signIn(context, server.url, account) });
    }
  });

  afterAll(async () => {
    for (const { context } of axe.values()) await context.close();
    await publicAxe?.close();
    await server?.stop();
  });

  const axePage = (email: string): Page => {
    const found = axe.get(email);
    if (!found) throw new Error(`no axe page for ${email}`);
    return found.page;
  };

  for (const run of RUNS) {
    it(`a stage owner speeds up its stage and the bottleneck moves downstream (${nameOf(run)})`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      try {
        const page = await signIn(context, server.url, POLICE);
        const check = (answersPost = false) =>
          checkPage(page, run, axePage(POLICE.email), answersPost);
        await page.getByRole('link', { name: 'Sector', exact: true }).click();
        await page.waitForURL('**/sector/memberships');
        await page
          .getByRole('link', { name: 'Shared delivery chains in which you own a stage' })
          .click();
        await page.waitForURL('**/sector/chains');
        await check();
        await page.getByRole('link', { name: /See the whole chain/ }).click();
        await page.waitForURL('**/sector/chains/*');
        const main = page.locator('main');
        expect(await main.textContent()).toContain('becomes overloaded');
        await check();
        // Put the stage back to its demo figures first, so every run starts from the same chain.
        for (const hours of ['9.5', '6']) {
          await page.getByRole('link', { name: /Change your figures/ }).click();
          await page.waitForURL('**/stages/police');
          await check();
          await page.getByLabel('Hours of work per case, on average').fill(hours);
          await page.getByRole('button', { name: 'Save your figures' }).click();
          await page.waitForURL(/\/sector\/chains\/[^/]+$/);
        }
        expect(await page.locator('h2#bottleneck').textContent()).toContain('Court hearings');
        expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
          'The bottleneck has moved from Investigation and witness statements to Court hearings',
        );
        await check(true);
      } finally {
        await context.close();
      }
    }, 180_000);

    it(`a member publishes its rating and finds it on the public register (${nameOf(run)})`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      try {
        const page = await signIn(context, server.url, HARTMOOR);
        const check = (answersPost = false) =>
          checkPage(page, run, axePage(HARTMOOR.email), answersPost);
        await page.goto(`${server.url}/sector/memberships`);
        await page.getByLabel('Register entries').check();
        await page.getByRole('button', { name: 'Save what you share' }).click();
        await page.waitForURL('**/sector/memberships');
        await page.getByRole('link', { name: 'Your client-capability register entry' }).click();
        await page.waitForURL('**/sector/register');
        // Hartmoor's levels: planning 4, risk 3, supplier relations 5 — the weakest is 5.
        expect(await page.locator('main').textContent()).toContain('5 Inadequate');
        await check();
        await page.getByRole('button', { name: /^Publish this rating/ }).click();
        await page.waitForURL('**/sector/register');
        await check(true);
        const anonymous = await launch({
          javaScriptEnabled: run.js,
          viewport: { width: run.width, height: 900 },
        });
        try {
          const pub = await anonymous.newPage();
          await pub.goto(`${server.url}/register`);
          const text = (await pub.locator('main').textContent()) ?? '';
          expect(text).toContain('Hartmoor District Council');
          expect(text).toContain('5 Inadequate');
          await checkPage(pub, run, run.js ? pub : await publicAxe.newPage());
        } finally {
          await anonymous.close();
        }
      } finally {
        await context.close();
      }
    }, 180_000);

    it(`the institution sees its shared chain and its registers (${nameOf(run)})`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      try {
        const page = await signIn(context, server.url, AGENCY);
        const check = () => checkPage(page, run, axePage(AGENCY.email));
        await page.goto(`${server.url}/sector/members`);
        await page.getByRole('link', { name: 'Shared delivery chains' }).click();
        await page.waitForURL('**/sector/chains');
        await check();
        await page
          .getByRole('link', { name: 'Criminal cases: police → prosecution → courts' })
          .click();
        await page.waitForURL('**/sector/chains/*');
        expect(await page.getByLabel('Owner of Court hearings').inputValue()).not.toBe('');
        await check();
        await page.goto(`${server.url}/sector/register`);
        expect(await page.locator('main').textContent()).toContain(
          'Ashford Vale Metropolitan Borough Council',
        );
        await check();
        await page.goto(`${server.url}/sector/suppliers`);
        await check();
      } finally {
        await context.close();
      }
    }, 180_000);
  }
});
