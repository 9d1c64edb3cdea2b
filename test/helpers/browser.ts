/// <reference lib="dom" />
// Debian's Chromium driven by playwright-core (never a downloaded browser), and axe-core injected
// into each page to check accessibility. CI sets REQUIRE_BROWSER=1 so a missing browser fails the
// run instead of skipping the end-to-end tests.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable = existsSync(chromiumPath);

if (!browserAvailable) {
  const message = `Chromium not found at ${chromiumPath}: install Debian's chromium package (apt-get install chromium)`;
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${message}`);
  console.warn(`${message}. End-to-end tests are skipped.`);
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export async function launch(options: {
  javaScriptEnabled: boolean;
  viewport?: { width: number; height: number };
}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(
    mkdtempSync(path.join(tmpdir(), 'throughline-chromium-')),
    {
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      javaScriptEnabled: options.javaScriptEnabled,
      // axe is injected as a script; the product's strict CSP would rightly refuse it.
      bypassCSP: true,
      viewport: options.viewport ?? { width: 1280, height: 900 },
    },
  );
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: ReadonlyArray<{ target: unknown; html: string }>;
}

/** Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the page and returns the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })),
    }));
  });
}

export function describeViolations(url: string, violations: readonly AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${url}: ${v.id} (${v.impact}) ${v.help}\n  ${v.nodes.map((n) => n.html).join('\n  ')}`,
    )
    .join('\n');
}

/**
 * Signs in through the real form in a new page of the context and returns the page; a context
 * that is already signed in (the sign-in page then has no form) is left as it is.
 */
export async function signIn(
  context: BrowserContext,
  baseUrl: string,
  account: { readonly email: string; readonly password: string },
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/sign-in`);
  if ((await page.getByLabel('Email address').count()) === 0) return page;
  await page.getByLabel('Email address').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/organisation');
  return page;
}

/**
 * Checks a page as a run (JavaScript on or off, at a width) shows it: nothing may scroll sideways,
 * and axe finds nothing. axe needs JavaScript, so with it off the same address is checked in
 * `axePage`, a signed-in JavaScript page set to the same width (nothing on these pages is built by
 * scripts); a page that answers a form post cannot be fetched again by its address, so it is
 * checked where it is when JavaScript is on, and not by axe when it is off.
 */
export async function checkPage(
  page: Page,
  run: { readonly js: boolean; readonly width: number },
  axePage: Page,
  answersPost = false,
): Promise<void> {
  // A form post's answer is visible before its stylesheet has loaded; an unstyled page is wider
  // than the styled one (the hours page measured 666 px at 375 once under load), so measure only
  // once the page has finished loading.
  await page.waitForLoadState('load');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${page.url()} is ${width} px wide`).toBeLessThanOrEqual(run.width);
  let target = page;
  if (!run.js) {
    if (answersPost) return;
    await axePage.setViewportSize({ width: run.width, height: 900 });
    await axePage.goto(page.url());
    target = axePage;
  }
  const violations = await axeViolations(target);
  expect(violations, describeViolations(page.url(), violations)).toEqual([]);
}
