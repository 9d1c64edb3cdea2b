/// <reference lib="dom" />
// Upload progress (src/web/public/upload.js), in real headless Chromium: with JavaScript the form is
// sent with XMLHttpRequest and the page says how much has gone; an error page replaces the form in
// place; a connection lost part-way says so and lets the person try again. Without JavaScript the
// same forms post as usual (covered by the themes and event-log journeys).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, browserAvailable, describeViolations, launch } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { commentsCsv, generateComments } from '../../src/seed/comments.ts';

const PASSWORD = 'e2e-upload-password-2026';

describe.skipIf(!browserAvailable)('upload progress, in Chromium', () => {
  let server: RunningServer;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    context = await launch({ javaScriptEnabled: true });
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  /** A new page in the signed-in context (the first call signs in through the form). */
  let signedInOnce = false;
  async function signedIn(): Promise<Page> {
    const page = await context.newPage();
    if (!signedInOnce) {
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Email address').fill('lead@demo-council.example');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/organisation');
      signedInOnce = true;
    }
    return page;
  }

  async function expectAccessible(page: Page) {
    const violations = await axeViolations(page);
    expect(violations, describeViolations(page.url(), violations)).toEqual([]);
  }

  it('says how much of the file has gone, then goes on to the next step', async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/themes/upload`);
    const csv = commentsCsv(generateComments(4000, 5));
    await page.getByLabel('File of comments').setInputFiles({
      name: 'survey.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    // Hold the request until the page has shown its progress.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/themes/upload', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      expect(route.request().postData()?.startsWith('------')).toBe(true);
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    const status = page.locator('form[data-upload-progress] + div [role="status"]');
    await expect.poll(async () => status.textContent()).toMatch(/survey\.csv/);
    expect(await page.locator('progress[aria-label="Progress of the upload"]').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Upload' }).isDisabled()).toBe(true);
    await expectAccessible(page);
    release();
    await page.waitForURL('**/columns');
    expect(await page.locator('h1').textContent()).toContain('Which column holds what?');
    await page.close();
  });

  it('shows the server’s errors in place of the form, focused, and the form still works', async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/themes/upload`);
    // UTF-16 text is refused by the server with a clear message.
    await page.getByLabel('File of comments').setInputFiles({
      name: 'utf16.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('\ufeffcomment\nThe bins\n', 'utf16le'),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/UTF-16|UTF-8/);
    expect(new URL(page.url()).pathname).toBe('/themes/upload');
    expect(await page.evaluate(() => document.activeElement?.className ?? '')).toContain(
      'govuk-error-summary',
    );
    await expectAccessible(page);
    // The replaced form is enhanced too: a good file now goes through.
    await page.getByLabel('File of comments').setInputFiles({
      name: 'good.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(commentsCsv(generateComments(200, 6))),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForURL('**/columns');
    await page.close();
  });

  it('says so when the connection is lost, stores nothing, and lets the person try again', async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/logs`);
    const before = await page.locator('table').first().textContent();
    await page.route('**/logs/upload', (route) => route.abort('connectionreset'));
    await page.getByLabel('Event log file').setInputFiles({
      name: 'events.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('case,activity,time\nc1,Apply,2026-01-01T09:00:00Z\n'),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The upload stopped before it finished');
    expect(await page.getByRole('button', { name: 'Upload' }).isDisabled()).toBe(false);
    await page.unroute('**/logs/upload');
    await page.reload();
    expect(await page.locator('table').first().textContent()).toBe(before);
    await page.close();
  });
});
