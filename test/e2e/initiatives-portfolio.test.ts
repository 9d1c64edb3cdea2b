/// <reference lib="dom" />
// Issue 11's portfolio as an admin would use it in real headless Chromium, with JavaScript on and
// off, at 1280 px and on a 375 px phone: open the portfolio and read the ranking and its chart,
// change the weights and see the order change, record a commitment from the innovation fund and see
// the headroom change, and read the readiness table and its form. axe-core checks every page at both
// widths, and no page scrolls sideways on the phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { InitiativeFields } from '../../src/storage/index.ts';
import { MODELLED_BY } from '../../src/services/initiatives.ts';
import {
  axeViolations,
  browserAvailable,
  describeViolations,
  launch,
  signIn,
} from '../helpers/browser.ts';
import { startServer, withDemoCouncil, type RunningServer } from '../helpers/server.ts';
import { initiativeFields } from '../helpers/initiatives.ts';

const PASSWORD = 'e2e-portfolio-password-2026';
const ADMIN = { email: 'admin@demo-council.example', password: PASSWORD };
const PHONE = { width: 375, height: 800 };

const REVIEW = 'AI review support for planners';
const ROTA = 'Staff rota assistant';

function fields(overrides: Partial<InitiativeFields>): InitiativeFields {
  return initiativeFields({
    title: 'An initiative',
    problem: 'Work waits too long.',
    competency: 'large-language-models',
    ambition: 'pilot',
    typologyCells: [5],
    technologyCost: 10_000,
    ...overrides,
  });
}

const pounds = (text: string | null): number => Number((text ?? '').replace(/[£,\s]/g, ''));

describe.skipIf(!browserAvailable)('the portfolio, in Chromium', () => {
  let server: RunningServer;
  const contexts: BrowserContext[] = [];
  /** JavaScript on, signed in as the admin: axe runs here, at each width. */
  let axeDesktop: Page;
  let axePhone: Page;

  async function context(js: boolean, viewport?: { width: number; height: number }) {
    const made = await launch({ javaScriptEnabled: js, ...(viewport ? { viewport } : {}) });
    contexts.push(made);
    return made;
  }

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    // Which chain intervention models an initiative is recorded by the initiative's own pages, not
    // yet by a form on this branch, so the two initiatives are put beside the server's database.
    await withDemoCouncil(server, async (scope) => {
      const planning = (await scope.chains.list()).find((c) =>
        c.name.startsWith('Planning permit'),
      );
      const review = await scope.initiatives.create(
        fields({
          title: REVIEW,
          chainId: planning?.id ?? null,
          stageId: 'manual-review',
          ambition: 'bespoke',
          technologyCost: 40_000,
        }),
      );
      await scope.initiatives.setGovernance(review, MODELLED_BY, 'ai-review-support');
      await scope.initiatives.create(fields({ title: ROTA, technologyCost: 5_000 }));
    });
    axeDesktop = await signIn(await context(true), server.url, ADMIN);
    axePhone = await signIn(await context(true, PHONE), server.url, ADMIN);
  });

  afterAll(async () => {
    for (const made of contexts) await made.close();
    await server?.stop();
  });

  /**
   * axe at 1280 px and at 375 px on the page's address (axe needs JavaScript, so a page seen with it
   * off is checked at the same address with it on: nothing on these pages is built by scripts), and
   * on the phone the page must not scroll sideways.
   */
  async function check(page: Page, phone: Page) {
    const url = page.url();
    for (const target of [axeDesktop, axePhone]) {
      await target.goto(url);
      const violations = await axeViolations(target);
      expect(violations, describeViolations(url, violations)).toEqual([]);
    }
    await phone.goto(url);
    await expectNoSidewaysScroll(phone);
  }

  /** A page that answers a form post (JavaScript on), checked where it is, at both widths. */
  async function checkHere(page: Page) {
    for (const viewport of [{ width: 1280, height: 900 }, PHONE]) {
      await page.setViewportSize(viewport);
      const violations = await axeViolations(page);
      expect(violations, describeViolations(page.url(), violations)).toEqual([]);
    }
    await expectNoSidewaysScroll(page);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  async function expectNoSidewaysScroll(phone: Page) {
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${phone.url()} is ${width} px wide on a 375 px phone`).toBeLessThanOrEqual(375);
  }

  /** Our two initiatives in the order the ranking shows them (the demo council's own are ranked too). */
  async function order(page: Page): Promise<string[]> {
    const titles = await page.locator('tr[id^="rank-"] th a').allTextContents();
    return titles.filter((t) => t === REVIEW || t === ROTA);
  }

  async function setWeights(page: Page, points: [string, string, string]) {
    await page.goto(`${server.url}/initiatives/settings/portfolio-weights`);
    await page.getByLabel('Effect on the bottleneck per pound').fill(points[0]);
    await page.getByLabel('Readiness', { exact: true }).fill(points[1]);
    await page.getByLabel('Risks above the appetite').fill(points[2]);
    await page.getByRole('button', { name: 'Save the weights' }).click();
    await page.waitForLoadState();
  }

  for (const js of [true, false]) {
    const suffix = js ? 'on' : 'off';
    it(`ranks, re-weights and funds initiatives (JavaScript ${suffix})`, async () => {
      const page = await signIn(await context(js), server.url, ADMIN);
      const phone = await signIn(await context(js, PHONE), server.url, ADMIN);

      // The portfolio: the ranking, its chart and the method.
      await page.goto(`${server.url}/initiatives/portfolio`);
      expect(await page.locator('h1').textContent()).toContain('Portfolio of AI initiatives');
      await check(page, phone);
      // The chart's smallest text is still 12 px or more on the phone.
      await phone.goto(`${server.url}/initiatives/portfolio`);
      const smallest = await phone.evaluate(() => {
        const svg = document.querySelector('svg[role="img"]');
        if (!svg) return 0;
        const scale = svg.getBoundingClientRect().width / Number(svg.getAttribute('width'));
        const sizes = [...svg.querySelectorAll('[font-size]')].map((e) =>
          Number(e.getAttribute('font-size')),
        );
        return Math.min(...sizes) * scale;
      });
      expect(smallest).toBeGreaterThanOrEqual(12);

      // Weights that favour the bottleneck: the review support leads.
      await setWeights(page, ['50', '30', '20']);
      await page.waitForURL('**/initiatives/portfolio');
      expect(await order(page)).toEqual([REVIEW, ROTA]);
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
        'Saved the portfolio weights',
      );

      // Weights that count only readiness: the pilot the council is ready for now comes first.
      await setWeights(page, ['0', '90', '20']);
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'The three weights must add up to 100 points; they add up to 110',
      );
      if (js) await checkHere(page);
      await setWeights(page, ['0', '100', '0']);
      await page.waitForURL('**/initiatives/portfolio');
      expect(await order(page)).toEqual([ROTA, REVIEW]);
      await page.goto(`${server.url}/initiatives/settings/portfolio-weights`);
      expect(await page.locator('#history').count()).toBe(1);
      expect(await page.locator('main').textContent()).toContain('0, 100, 0');
      await check(page, phone);

      // The fund: record a commitment and see the headroom fall by it.
      await page.goto(`${server.url}/initiatives/portfolio`);
      const before = (await page.locator('#fund-headroom').count())
        ? pounds(await page.locator('#fund-headroom').textContent())
        : 100_000;
      await page
        .getByRole('link', { name: /innovation fund$/ })
        .last()
        .click();
      await page.waitForURL('**/initiatives/portfolio/fund');
      await check(page, phone);
      await page.getByLabel('Budget for the year, in pounds').fill('100000');
      await page.getByLabel('Yes, it is protected').check();
      const rows = await page.getByLabel('What the money is for').count();
      await page.getByRole('button', { name: 'Add another commitment' }).click();
      await page.waitForLoadState();
      expect(await page.getByLabel('What the money is for').count()).toBe(rows + 1);
      await page.getByLabel('What the money is for').last().fill(`Discovery sprint (JS ${suffix})`);
      await page.getByLabel('Amount in pounds').last().fill('5000');
      await page.getByLabel('Initiative it is for').last().selectOption({ label: REVIEW });
      await page.getByRole('button', { name: 'Save the fund' }).click();
      await page.waitForURL('**/initiatives/portfolio#fund');
      expect(pounds(await page.locator('#fund-headroom').textContent())).toBe(before - 5_000);
      const main = await page.locator('main').textContent();
      expect(main).toContain(`Discovery sprint (JS ${suffix})`);
      expect(main).toContain('The fund is protected from in-year reprioritisation');
      await check(page, phone);

      // The readiness table, an older version, and its form.
      await page.goto(`${server.url}/initiatives/settings/readiness`);
      expect(await page.locator('main').textContent()).toContain('Good (2) or better');
      await check(page, phone);
      await page.getByRole('button', { name: 'Change the table' }).click();
      await page.waitForURL('**/readiness/edit');
      await check(page, phone);
      await page.getByRole('button', { name: 'Check and save the table' }).click();
      await page.waitForLoadState();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'Nothing has changed',
      );
      if (js) await checkHere(page);
    });
  }
});
