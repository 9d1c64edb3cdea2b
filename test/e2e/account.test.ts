// Passwords as people manage them, in Chromium with JavaScript on and off, at 375 px and 1280 px,
// against a real SMTP server on loopback: forget a password, get the link by email, set a new one
// (a common one is refused beside the field), sign in with it, change it on the account page, then
// sign out everywhere. Every page fits the width and axe finds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { linkIn, TestSmtpServer } from '../helpers/smtp.ts';

const PASSWORD = 'e2e-demo-password-2026';

/** Waits until a message to `address` beyond the first `seen` has arrived, and returns it. */
async function nextMail(smtp: TestSmtpServer, address: string, seen: number) {
  for (let i = 0; i < 200; i++) {
    const mail = smtp.to(address)[seen];
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No email to ${address} arrived`);
}

describe.skipIf(!browserAvailable)('passwords and sessions, in Chromium', () => {
  const smtp = new TestSmtpServer();
  let server: RunningServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await smtp.start();
    server = await startServer({
      DEMO_PASSWORD: PASSWORD,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Throughline <accounts@demo-council.example>',
    });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await server?.stop();
    await smtp.stop();
  });

  for (const run of [
    { js: true, width: 375, email: 'planner@demo-council.example' },
    { js: false, width: 1280, email: 'auditor@demo-council.example' },
  ]) {
    it(`resets a forgotten password, changes it and signs out everywhere (JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px)`, async () => {
      const context = await launch({
        javaScriptEnabled: run.js,
        viewport: { width: run.width, height: 900 },
      });
      const checker = await launch({ javaScriptEnabled: true });
      contexts.push(context, checker);
      // axe runs in a page of someone else, so this person's sessions can end without it.
      const axePage = await signIn(checker, server.url, {
        email: 'admin@demo-council.example',
        password: PASSWORD,
      });
      const page = await context.newPage();
      const fresh = `fresh ${run.js ? 'lantern' : 'compass'} meadow`;
      const changed = `changed ${run.js ? 'harbour' : 'orchard'} kettle`;

      await page.goto(`${server.url}/sign-in`);
      await page.getByRole('link', { name: 'Forgotten your password?' }).click();
      await page.waitForURL('**/forgotten-password');
      await checkPage(page, run, axePage);
      await page.getByLabel('Email address').fill('not-an-address');
      await page.getByRole('button', { name: 'Send me a link' }).click();
      await page.waitForLoadState();
      expect(await page.locator('#email-error').textContent()).toContain(
        'Enter an email address in the correct format',
      );
      await checkPage(page, run, axePage, true);
      const seen = smtp.to(run.email).length;
      await page.getByLabel('Email address').fill(run.email);
      await page.getByRole('button', { name: 'Send me a link' }).click();
      await page.waitForURL('**/forgotten-password/sent');
      expect(await page.locator('h1').textContent()).toContain('Check your email');
      await checkPage(page, run, axePage);

      const mail = await nextMail(smtp, run.email, seen);
      expect(mail.subject).toBe('Reset your Throughline password');
      const link = linkIn(mail.text, '/reset-password/');
      await page.goto(`${server.url}${link}`);
      expect(await page.locator('h1').textContent()).toContain('Choose a new password');
      await checkPage(page, run, axePage);
      await page.getByLabel('New password', { exact: true }).fill('123456789012');
      await page.getByLabel('Confirm new password').fill('123456789012');
      await page.getByRole('button', { name: 'Set new password' }).click();
      await page.waitForLoadState();
      expect(await page.locator('#newPassword-error').textContent()).toContain(
        'Password is on a list of common passwords',
      );
      await checkPage(page, run, axePage, true);
      await page.getByLabel('New password', { exact: true }).fill(fresh);
      await page.getByLabel('Confirm new password').fill(fresh);
      await page.getByRole('button', { name: 'Set new password' }).click();
      await page.waitForURL('**/sign-in');
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
        'Your password has been reset',
      );
      await checkPage(page, run, axePage, true);
      // The link worked once.
      await page.goto(`${server.url}${link}`);
      expect(await page.locator('h1').textContent()).toContain('This link cannot be used');
      await checkPage(page, run, axePage);

      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Email address').fill(run.email);
      await page.getByLabel('Password', { exact: true }).fill(fresh);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/organisation');
      await page.getByRole('link', { name: /Your account/ }).click();
      await page.waitForURL('**/account');
      await checkPage(page, run, axePage);
      await page.getByRole('link', { name: /Change\s+your password/ }).click();
      await page.waitForURL('**/account/password');
      await checkPage(page, run, axePage);
      await page.getByLabel('Current password').fill('not my password at all');
      await page.getByLabel('New password', { exact: true }).fill(changed);
      await page.getByLabel('Confirm new password').fill(changed);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.waitForLoadState();
      expect(await page.locator('#currentPassword-error').textContent()).toContain(
        'Enter your current password correctly',
      );
      await checkPage(page, run, axePage, true);
      await page.getByLabel('Current password').fill(fresh);
      await page.getByLabel('New password', { exact: true }).fill(changed);
      await page.getByLabel('Confirm new password').fill(changed);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.waitForURL('**/account');
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
        'Your password has been changed',
      );
      await checkPage(page, run, axePage, true);

      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.waitForURL('**/signed-out?everywhere=1');
      expect(await page.locator('h1').textContent()).toContain('You have signed out everywhere');
      await checkPage(page, run, axePage, true);
      await page.goto(`${server.url}/account`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
    });
  }
});
