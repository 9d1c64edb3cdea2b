/// <reference lib="dom" />
// Issue 15's membership and benchmarks as people would use them, in real headless Chromium, with
// JavaScript on and off, at 1280 px and 375 px: the council's admin accepts the demo agency's
// invitation, shares its finalised results and sees its position against the sector; the agency's
// admin sees the benchmarks with the small peer group hidden and cannot recover it by choosing
// another group. axe-core checks every page visited; no page scrolls sideways on the phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-sector-password-2026';
const COUNCIL = { email: 'admin@demo-council.example', password: PASSWORD };
const AGENCY = { email: 'admin@demo-institution.example', password: PASSWORD };

const RUNS = [true, false].flatMap((js) => [1280, 375].map((width) => ({ js, width })));
const nameOf = (run: { js: boolean; width: number }) =>
  `JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px`;

describe.skipIf(!browserAvailable)('sector membership and benchmarks, in Chromium', () => {
  let server: RunningServer;
  let councilAxe: BrowserContext;
  let councilAxePage: Page;
  let agencyAxe: BrowserContext;
  let agencyAxePage: Page;

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    councilAxe = await launch({ javaScriptEnabled: true });
    councilAxePage = await signIn(councilAxe, server.url, COUNCIL);
    agencyAxe = await launch({ javaScriptEnabled: true });
    agencyAxePage = await signIn(agencyAxe, server.url, AGENCY);
  });

  afterAll(async () => {
    await councilAxe?.close();
    await agencyAxe?.close();
    await server?.stop();
  });

  for (const [index, run] of RUNS.entries()) {
    it(`a member shares its results and sees its position (${nameOf(run)})`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      try {
        const page = await signIn(context, server.url, COUNCIL);
        const check = (answersPost = false) => checkPage(page, run, councilAxePage, answersPost);
        await page.getByRole('link', { name: 'Sector', exact: true }).click();
        await page.waitForURL('**/sector/memberships');
        await check();
        const main = page.locator('main');
        if (index === 0) {
          // The first run answers the invitation; later runs find the membership already there.
          expect(await main.textContent()).toContain('Invited you to be a member');
          await page.getByRole('button', { name: /^Accept/ }).click();
          await page.waitForURL('**/sector/memberships');
          expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
            'Nothing is shared until you choose below',
          );
        }
        // Share finalised results (and nothing else), then see the benchmarks.
        const results = page.getByLabel('Finalised assessment results');
        await results.check();
        await page.getByRole('button', { name: 'Save what you share' }).click();
        await page.waitForURL('**/sector/memberships');
        expect(await main.textContent()).toMatch(/You share: Finalised assessment results\./);
        await check(true);
        await page.getByRole('link', { name: /See its benchmarks and your position/ }).click();
        await page.waitForURL('**/sector/benchmarks?institution=*');
        const text = (await main.textContent()) ?? '';
        expect(text).toContain('15 members share finalised assessment results');
        expect(text).toContain('Your organisation');
        expect(text).toMatch(
          /Among the best quarter|Better than the median|At the median|Worse than the median|Among the worst quarter/,
        );
        expect(await page.locator('svg.app-chart title').first().textContent()).toContain(
          'Capability levels across sharing members',
        );
        await check();
      } finally {
        await context.close();
      }
    }, 180_000);

    it(`an institution sees benchmarks, a small group hidden however it filters (${nameOf(run)})`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      try {
        const page = await signIn(context, server.url, AGENCY);
        const check = () => checkPage(page, run, agencyAxePage);
        await page.goto(`${server.url}/sector/members`);
        expect(await page.locator('#member-count').textContent()).toMatch(
          /18 member organisations/,
        );
        await check();
        await page.goto(`${server.url}/sector/benchmarks`);
        await check();
        for (const [group, words] of [
          ['Unitary authorities', 'Hidden: fewer than 5 organisations'],
          ['District councils', 'Hidden: showing it would reveal a smaller group'],
        ] as const) {
          await page.getByLabel('Compare a peer group with all members').selectOption(group);
          await page.getByRole('button', { name: 'Show' }).click();
          await page.waitForURL('**/sector/benchmarks?group=*');
          const table = page.locator('#capability-benchmarks');
          expect(await table.textContent()).toContain(words);
          expect(await table.locator('td', { hasText: words }).count()).toBe(5);
          await check();
        }
        await page
          .getByLabel('Compare a peer group with all members')
          .selectOption('Metropolitan boroughs');
        await page.getByRole('button', { name: 'Show' }).click();
        await page.waitForURL('**/sector/benchmarks?group=*');
        expect(await page.locator('#capability-benchmarks').textContent()).not.toContain('Hidden');
        await check();
      } finally {
        await context.close();
      }
    }, 180_000);
  }
});
