/// <reference lib="dom" />
// Debian's Chromium driven by playwright-core (never a downloaded browser), and axe-core injected
// into each page to check accessibility. CI sets REQUIRE_BROWSER=1 so a missing browser fails the
// run instead of skipping the end-to-end tests.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
