/// <reference lib="dom" />
// The evidence rule and finalised versions (issue 12, points 3 and 4) as people would meet them, in
// Chromium with axe-core: on the demo council's closed autumn 2026 review an administrator tries to
// agree Organisational Learning at 2 Good on asserted evidence, is told why not beside the field,
// overrides the rule with a reason (the reason box is revealed by the checkbox), agrees the rest and
// finalises; the override shows on the results, and the round page lists the version with who,
// when and why. Pages are checked by axe at 1280 px, and the agreement form and version list at 375 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import {
  axeViolations,
  browserAvailable,
  checkPage,
  describeViolations,
  launch,
  signIn,
} from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-demo-password-2026';
const REASON = 'The internal audit report confirming the learning reviews is due in May';

describe.skipIf(!browserAvailable)('the evidence rule and finalised versions, in Chromium', () => {
  let server: RunningServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await server?.stop();
  });

  it('refuses Good on asserted evidence, takes an administrator’s override with a reason, and lists the version', async () => {
    const context = await launch({
      javaScriptEnabled: true,
      viewport: { width: 1280, height: 900 },
    });
    const checker = await launch({ javaScriptEnabled: true });
    contexts.push(context, checker);
    const page = await signIn(context, server.url, {
      email: 'admin@demo-council.example',
      password: PASSWORD,
    });
    const axePage = await signIn(checker, server.url, {
      email: 'admin@demo-council.example',
      password: PASSWORD,
    });
    const wide = { js: true, width: 1280 };
    const narrow = { js: true, width: 375 };

    await page.goto(`${server.url}/assessments`);
    await page.getByRole('link', { name: 'Capability review, autumn 2026' }).click();
    await page.waitForLoadState();
    const roundUrl = page.url();
    await page.goto(`${roundUrl}/moderate`);
    await checkPage(page, wide, axePage);
    await page.getByRole('link', { name: 'Agree Organisational Learning' }).click();
    await page.waitForLoadState();
    await checkPage(page, wide, axePage);
    await page.setViewportSize({ width: 375, height: 900 });
    await checkPage(page, narrow, axePage);
    await page.setViewportSize({ width: 1280, height: 900 });

    // The reason box is hidden until the override is ticked (JavaScript on).
    await expect.poll(() => page.getByLabel(/Why should this level stand/).isVisible()).toBe(false);
    await page.getByLabel('2 Good').check();
    await page.getByLabel('Asserted').check();
    await page.getByLabel('Rationale').fill('Reviews happen after every project');
    await page.getByRole('button', { name: 'Save agreed level' }).click();
    await page.waitForLoadState();
    const error = page.locator('#evidenceStrength-error');
    expect(await error.textContent()).toContain(
      'An agreed level of 2 Good needs documented or independently verified evidence',
    );
    await checkPage(page, wide, axePage, true);

    await page.getByLabel('Override the evidence rule for this level').check();
    await page.getByLabel(/Why should this level stand/).fill(REASON);
    await page.getByRole('button', { name: 'Save agreed level' }).click();
    await page.waitForURL('**/moderate');
    const shown = `Evidence rule overridden by Alex Morgan: ${REASON}`;
    expect(await page.locator('main').textContent()).toContain(shown);

    for (const capability of [
      'Planning & Prioritisation',
      'Developing New Ways of Working',
      'Managing Risk',
      'Managing Supplier Relations',
    ]) {
      await page.getByRole('link', { name: `Agree ${capability}` }).click();
      await page.waitForLoadState();
      await page.getByLabel('Documented', { exact: true }).check();
      await page.getByRole('button', { name: 'Save agreed level' }).click();
      await page.waitForURL('**/moderate');
    }
    await page.getByRole('button', { name: 'Finalise the round' }).click();
    await page.waitForURL('**/results');
    const results = (await page.locator('main').textContent()) ?? '';
    expect(results).toContain('Finalised results, version 1');
    expect(results).toContain(shown);
    expect(results).toContain('Targets are those set when the round was finalised');
    // axe only: the results page's width (its wide group table) is issue 12, point 10.
    const violations = await axeViolations(page);
    expect(violations, describeViolations(page.url(), violations)).toEqual([]);

    await page.goto(roundUrl);
    const versions = page.getByRole('table', { name: 'Versions of the finalised results' });
    expect(await versions.textContent()).toContain('Alex Morgan');
    await checkPage(page, wide, axePage);
    // At 375 px the list of versions scrolls inside its own box (the page's other tables are point 10).
    await page.setViewportSize({ width: 375, height: 900 });
    const region = page.getByRole('region', { name: 'Versions of the finalised results' });
    expect((await region.boundingBox())?.width ?? 999).toBeLessThanOrEqual(375);
    await versions.getByRole('link', { name: /Version 1/ }).click();
    await page.waitForURL('**/results?version=1');
    expect(await page.locator('main').textContent()).toContain(shown);
  });
});
