/// <reference lib="dom" />
// Issue 4's "Done when", as a new user would try it in real headless Chromium, with JavaScript on
// and off: open the demo planning-permit chain and see its bottleneck and why; add an intervention
// at a stage that is not the bottleneck and one at the bottleneck, and compare them; see the
// witness-statement scenario move the bottleneck in the police → prosecution → courts chain; run a
// simulation; meet a routing error that names the stage. axe-core checks every page visited.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, browserAvailable, describeViolations, launch } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-chains-password-2026';

describe.skipIf(!browserAvailable)('delivery chains, in Chromium', () => {
  let server: RunningServer;
  let withJs: BrowserContext;
  let withoutJs: BrowserContext;
  let axePage: Page;
  const visited = new Set<string>();

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    withJs = await launch({ javaScriptEnabled: true });
    withoutJs = await launch({ javaScriptEnabled: false });
    axePage = await withJs.newPage();
  });

  afterAll(async () => {
    await withJs?.close();
    await withoutJs?.close();
    await server?.stop();
  });

  async function signIn(context: BrowserContext) {
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    // The JavaScript context is signed in once for axe and then stays signed in.
    if ((await page.getByLabel('Email address').count()) === 0) return page;
    await page.getByLabel('Email address').fill('lead@demo-council.example');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/organisation');
    return page;
  }

  /**
   * axe needs JavaScript, so with it off the same address is checked in a JavaScript page (the HTML
   * is the same: nothing on these pages is built by scripts). Pages that answer a form post are
   * checked where they are, when JavaScript is on.
   */
  async function expectAccessible(page: Page, js: boolean) {
    const url = page.url();
    visited.add(new URL(url).pathname.replace(/[0-9a-f-]{36}/, ':id'));
    let target = page;
    if (!js) {
      await axePage.goto(url);
      target = axePage;
    }
    const violations = await axeViolations(target);
    expect(violations, describeViolations(url, violations)).toEqual([]);
  }

  beforeAll(async () => {
    // The axe page signs in once, so it sees what the signed-in user sees.
    await (await signIn(withJs)).close();
  });

  for (const js of [true, false]) {
    const suffix = js ? 'on' : 'off';
    it(`finds the bottleneck, tests interventions and compares them (JavaScript ${suffix})`, async () => {
      const page = await signIn(js ? withJs : withoutJs);
      const check = () => expectAccessible(page, js);

      await page.getByRole('link', { name: 'Delivery chains' }).first().click();
      await page.waitForURL('**/chains');
      await check();
      await page.getByRole('link', { name: 'Planning permit applications' }).click();
      await page.waitForURL(/\/chains\/[0-9a-f-]{36}$/);
      const chainUrl = page.url();
      expect(await page.locator('h2#bottleneck').textContent()).toContain(
        'The bottleneck: Manual review',
      );
      expect(await page.locator('.govuk-inset-text').textContent()).toContain(
        'is the bottleneck: it runs at 118% of capacity',
      );
      expect(await page.locator('svg[role="img"] text', { hasText: /^Bottleneck$/ }).count()).toBe(
        1,
      );
      await check();

      // An intervention at a stage that is not the bottleneck.
      await page.getByRole('button', { name: 'Add an intervention' }).click();
      await page.waitForURL('**/interventions/new');
      await check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForLoadState();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'Select what the intervention changes',
      );
      if (js) await check();
      await page.getByLabel('A stage takes less (or more) time per case').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL('**/interventions/new/scaleServiceTime');
      await check();
      await page.getByLabel('Name of the intervention').fill(`Faster validation (JS ${suffix})`);
      await page.getByLabel('Which stage does it change?').selectOption('validation');
      await page.getByLabel('Time per case after the change').fill('60');
      await page.getByRole('button', { name: 'Add intervention' }).click();
      await page.waitForURL(/\/interventions\/faster-validation-js-/);
      expect(await page.locator('#effect').textContent()).toContain(
        'No effect on throughput: Validation is not the bottleneck (Manual review is).',
      );
      // Off the bottleneck no measure moves, so no cell is suggested and the page says why.
      const reasons = await page.locator('#reasons').textContent();
      expect(reasons).toContain('No cell is suggested.');
      expect(reasons).toContain('No operational efficiency measure moved');
      await check();
      await page.getByLabel('None of these').check();
      await page.getByRole('button', { name: 'Save typology' }).click();
      await page.waitForLoadState();
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
        'Saved: no typology cell',
      );
      await check();

      // An intervention at the bottleneck.
      await page.goto(chainUrl);
      await page.getByRole('button', { name: 'Add an intervention' }).click();
      await page.getByLabel('More (or fewer) staff or machines at a stage').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL('**/interventions/new/addServers');
      await page.getByLabel('Name of the intervention').fill(`Two more planners (JS ${suffix})`);
      await page.getByLabel('Which stage does it change?').selectOption('manual-review');
      await page.getByLabel('How many more?').fill('2');
      await page.getByRole('button', { name: 'Add intervention' }).click();
      await page.waitForURL(/\/interventions\/two-more-planners-js-/);
      const effect = await page.locator('#effect').textContent();
      expect(effect).toContain('Throughput rises');
      expect(effect).toContain('The bottleneck moves from Manual review to Decision and approval');
      await check();

      // Compare them side by side.
      await page.getByRole('link', { name: 'Compare all interventions' }).click();
      await page.waitForURL('**/compare');
      const compare = await page.locator('main').textContent();
      expect(compare).toContain(`Faster validation (JS ${suffix})`);
      expect(compare).toContain(
        'No detectable effect on throughput: Validation is not the bottleneck (Manual review is).',
      );
      expect(compare).toContain(
        'No detectable effect on throughput: Permit printing is not the bottleneck',
      );
      expect(compare).toContain('The bottleneck moves from Manual review to Decision and approval');
      expect(compare).toContain('Which measures moved');
      expect(compare).toContain('What this measures: how outputs achieve outcomes');
      await check();

      // Simulate the chain.
      await page.goto(`${chainUrl}/simulate`);
      await check();
      await page.getByLabel('Number of runs').fill('4');
      await page.getByLabel('Weeks in each run').fill('26');
      await page.getByRole('button', { name: 'Run the simulation' }).click();
      await page.waitForURL(/simulate\?run=1/);
      expect(await page.locator('main').textContent()).toContain('is the binding constraint');
      expect(await page.locator('main').textContent()).toContain('Backlog over time');
      await check();

      // The witness-statement scenario moves the bottleneck downstream.
      await page.goto(`${server.url}/chains`);
      await page.getByRole('link', { name: /Criminal cases/ }).click();
      await page.waitForURL(/\/chains\/[0-9a-f-]{36}$/);
      expect(await page.locator('h2#bottleneck').textContent()).toContain(
        'Investigation and witness statements',
      );
      await check();
      await page.getByRole('link', { name: 'AI-drafted witness statements (whole chain)' }).click();
      await page.waitForLoadState();
      expect(await page.locator('#effect').textContent()).toContain(
        'The bottleneck moves from Investigation and witness statements to Court hearings',
      );
      await check();
      await page.getByRole('link', { name: 'Compare all interventions' }).click();
      await page.waitForURL('**/compare');
      expect(await page.locator('main').textContent()).toContain(
        'The bottleneck moves from Investigation and witness statements to Court hearings',
      );
      await check();

      // Changing the chain: the routing check names the stage.
      await page.goto(chainUrl);
      await page.getByRole('link', { name: 'Change the chain' }).click();
      await page.waitForURL('**/edit');
      await check();
      await page.getByRole('link', { name: 'Change routing of Validation' }).click();
      await page.waitForURL('**/stages/validation/routing');
      await check();
      await page.getByLabel('On to Manual review').fill('95');
      await page.getByRole('button', { name: 'Save routing' }).click();
      await page.waitForLoadState();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'The shares for stage “Validation” add up to 105%',
      );
      if (js) await check();
      await page.goto(page.url().replace('/routing', ''));
      await check();
      await page.goto(chainUrl.replace(/\/chains\/.*/, '/chains/import'));
      await check();
      await page.close();
    });
  }

  it('builds a new chain with forms alone (JavaScript off)', async () => {
    const page = await signIn(withoutJs);
    const check = () => expectAccessible(page, false);
    await page.goto(`${server.url}/chains/new`);
    await check();
    await page.getByLabel('Name of the chain').fill('Blue badge applications');
    await page.getByLabel('One', { exact: true }).fill('application');
    await page.getByLabel('Several', { exact: true }).fill('applications');
    await page.getByRole('button', { name: 'Create chain' }).click();
    await page.waitForURL(/\/chains\/[0-9a-f-]{36}\/edit$/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'Chain created',
    );
    await check();

    await page.getByRole('button', { name: 'Add a stage' }).click();
    await page.waitForURL('**/stages/new');
    await check();
    await page.getByLabel('Name of the stage').fill('Assessment');
    await page.getByLabel('Organisation that runs it').fill('Adult social care');
    await page.getByLabel('Staff or machines working on it in parallel').fill('1');
    await page.getByLabel('Always the same (fixed)').check();
    await page.getByLabel('Average time per case, in hours').fill('2');
    await page.getByRole('button', { name: 'Save and set routing' }).click();
    await page.waitForURL('**/stages/assessment/routing');
    await check();
    await page.getByRole('button', { name: 'Save routing' }).click();
    await page.waitForURL('**/edit#stage-assessment');

    // Send every case from the first stage on to the new one.
    await page.getByRole('link', { name: 'Change routing of First stage' }).click();
    await page.getByLabel('On to Assessment').fill('100');
    await page.getByLabel('Finished: Completed').fill('');
    await page.getByRole('button', { name: 'Save routing' }).click();
    await page.waitForURL('**/edit#stage-first-stage');

    await page.getByRole('button', { name: 'Change demand' }).click();
    await page.waitForURL('**/demand');
    await check();
    await page.getByLabel('New applications a week at First stage').fill('25');
    await page.getByRole('button', { name: 'Save demand' }).click();
    await page.waitForURL('**/edit#demand');

    await page.getByRole('link', { name: 'Done: see the bottleneck and results' }).click();
    await page.waitForURL(/\/chains\/[0-9a-f-]{36}$/);
    // 25 a week at 2 hours each is 50 hours of work for one assessor's 37.5: over capacity.
    expect(await page.locator('h2#bottleneck').textContent()).toContain(
      'The bottleneck: Assessment',
    );
    expect(await page.locator('main').textContent()).toContain('Adult social care');
    await check();

    await page.goto(`${server.url}/chains/import`);
    await page.getByLabel('Or paste the JSON').fill('{"version": 1, "stages": []}');
    await page.getByRole('button', { name: 'Import chain' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('field "id"');

    // A real file upload of an example that ships with Throughline.
    await page
      .getByLabel('Choose a JSON file')
      .setInputFiles(
        fileURLToPath(
          new URL('../../examples/chains/police-prosecution-courts.json', import.meta.url),
        ),
      );
    await page.getByLabel('Or paste the JSON').fill('');
    await page.getByRole('button', { name: 'Import chain' }).click();
    await page.waitForURL(/\/chains\/[0-9a-f-]{36}$/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'Chain imported: Criminal cases',
    );
    expect(await page.locator('h2#bottleneck').textContent()).toContain(
      'Investigation and witness statements',
    );
    await page.close();
  });

  it('checked every kind of chain page', () => {
    for (const path of [
      '/chains',
      '/chains/:id',
      '/chains/:id/edit',
      '/chains/:id/simulate',
      '/chains/:id/compare',
      '/chains/:id/interventions/new',
      '/chains/:id/stages/validation',
      '/chains/:id/stages/validation/routing',
      '/chains/import',
      '/chains/new',
      '/chains/:id/stages/new',
      '/chains/:id/demand',
    ]) {
      expect(visited).toContain(path);
    }
  });
});
