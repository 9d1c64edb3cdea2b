// Single sign-on as people use it, in Chromium against a real OpenID Connect provider on loopback
// (`oidc-provider`): an admin sets it up on the settings page; then someone new finds their
// organisation's login from the sign-in page by their work address, clicks "Sign in with Council
// login", signs in and consents on the provider's own pages, and lands back in Throughline signed in
// with the role the admin chose. The product's pages fit 375 px and 1280 px, with JavaScript on and
// off, and axe finds nothing on them (the provider's development pages are not ours to check).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider.ts';

const PASSWORD = 'e2e-demo-password-2026';

describe.skipIf(!browserAvailable)('single sign-on, in Chromium', () => {
  let server: RunningServer;
  let provider: TestProvider;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer({
      DEMO_PASSWORD: PASSWORD,
      SECRETS_KEY: 'an-e2e-key-for-secrets-0123456789abcdef',
    });
    provider = await startTestProvider({
      redirectUris: [`${server.url}/sign-in/sso/callback`],
      people: {
        robin: { email: 'robin.fairweather@demo-council.example', name: 'Robin Fairweather' },
        kit: { email: 'kit.marsh@demo-council.example', name: 'Kit Marsh' },
      },
    });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await provider?.close();
    await server?.stop();
  });

  it('an admin sets up single sign-on on the settings page (1280 px, then 375 px)', async () => {
    const context = await launch({
      javaScriptEnabled: true,
      viewport: { width: 1280, height: 900 },
    });
    contexts.push(context);
    const page = await signIn(context, server.url, {
      email: 'admin@demo-council.example',
      password: PASSWORD,
    });
    await page.getByRole('link', { name: 'Single sign-on' }).click();
    await page.waitForURL('**/organisation/single-sign-on');
    await checkPage(page, { js: true, width: 1280 }, page);
    expect(await page.locator('#redirect-uri').textContent()).toBe(
      `${server.url}/sign-in/sso/callback`,
    );
    await page.getByLabel('Name on the sign-in button').fill('Council login');
    await page.getByLabel('Issuer').fill(provider.issuer);
    await page.getByLabel('Client id').fill(provider.clientId);
    await page.getByLabel('Client secret', { exact: true }).fill(provider.clientSecret);
    await page.getByLabel('Email domains allowed').fill('demo-council.example');
    await page.getByLabel('Viewer').check();
    await page.getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/organisation/single-sign-on');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'Single sign-on settings saved',
    );
    expect(await page.locator('.govuk-summary-list').textContent()).toContain('Stored, encrypted');
    await page.setViewportSize({ width: 375, height: 900 });
    await page.reload();
    await checkPage(page, { js: true, width: 375 }, page);
  });

  for (const run of [
    { js: true, width: 375, login: 'robin', name: 'Robin Fairweather' },
    { js: false, width: 1280, login: 'kit', name: 'Kit Marsh' },
  ]) {
    it(`someone new signs in through the provider and joins as a viewer (JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px)`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      const checker = await launch({ javaScriptEnabled: true });
      contexts.push(context, checker);
      // axe runs in a page of someone else's (JavaScript on), on the product's pages only.
      const axePage = await signIn(checker, server.url, {
        email: 'admin@demo-council.example',
        password: PASSWORD,
      });
      const page = await context.newPage();

      await page.goto(`${server.url}/sign-in`);
      await page.getByRole('link', { name: 'Sign in with your organisation’s login' }).click();
      await page.waitForURL('**/sign-in/sso?**');
      await checkPage(page, run, axePage);
      await page.getByLabel('Work email address').fill(`${run.login}@elsewhere.example`);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForLoadState();
      expect(await page.locator('#email-error').textContent()).toContain(
        'No organisation here uses single sign-on for addresses at elsewhere.example',
      );
      await checkPage(page, run, axePage);
      await page.getByLabel('Work email address').fill(`${run.login}@demo-council.example`);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForLoadState();
      await checkPage(page, run, axePage);

      await page.getByRole('button', { name: 'Sign in with Council login' }).click();
      await page.waitForURL(`${provider.issuer}/**`);
      await page.locator('input[name="login"]').fill(run.login);
      await page.locator('input[name="password"]').fill('any password will do');
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(`${provider.issuer}/**`);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(`${server.url}/organisation`);
      const intro = await page.locator('main p.govuk-body').first().textContent();
      expect(intro).toContain(`You are signed in as ${run.name}`);
      expect(intro).toContain('viewer');
      await checkPage(page, run, axePage);
    });
  }
});
