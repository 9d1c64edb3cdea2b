/// <reference lib="dom" />
// Issue 6 "done when", tried as a new user would in real headless Chromium, with JavaScript on and
// off: upload a CSV of comments, map its columns, watch the progress, read the themes with their
// quotes, merge two themes, link one to a delivery-chain stage and export the result; and a file
// whose comments cannot be stored, deep inside, saying which line and what is wrong. axe-core
// checks every page visited (with JavaScript on) and must find nothing.
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, browserAvailable, describeViolations, launch } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { commentsCsv, generateComments } from '../../src/seed/comments.ts';
import { createStorage, openDatabase } from '../../src/storage/index.ts';

const PASSWORD = 'e2e-demo-password-2026';

describe.skipIf(!browserAvailable)('themes from comments, in Chromium', () => {
  let server: RunningServer;
  let withJs: BrowserContext;
  let withoutJs: BrowserContext;

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    withJs = await launch({ javaScriptEnabled: true });
    withoutJs = await launch({ javaScriptEnabled: false });
  });

  afterAll(async () => {
    await withJs?.close();
    await withoutJs?.close();
    await server?.stop();
  });

  async function expectAccessible(page: Page) {
    const violations = await axeViolations(page);
    expect(violations, describeViolations(page.url(), violations)).toEqual([]);
  }

  for (const js of [true, false]) {
    it(`uploads, maps, watches progress, reads, merges, links and exports (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const context = js ? withJs : withoutJs;
      const page = await context.newPage();
      const check = async () => {
        if (js) await expectAccessible(page);
      };

      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Email address').fill('lead@demo-council.example');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/organisation');

      await page.getByRole('link', { name: 'Comments' }).first().click();
      await page.waitForURL('**/themes');
      expect(await page.locator('h1').textContent()).toContain('Comments and their themes');
      await check();

      await page.getByRole('button', { name: 'Upload comments' }).click();
      await page.waitForURL('**/themes/upload');
      await check();
      // Uploading nothing says what to do.
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.waitForLoadState();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'Choose a CSV or text file of comments',
      );
      await check();
      const name = `Autumn consultation ${js ? 'A' : 'B'}`;
      await page.getByLabel('Name (optional)').fill(name);
      await page.getByLabel('File of comments').setInputFiles({
        name: 'consultation.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(commentsCsv(generateComments(600, js ? 21 : 22))),
      });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.waitForURL('**/columns');
      expect(await page.locator('h1').textContent()).toContain('Which column holds what?');
      expect(await page.getByLabel('Comments', { exact: true }).inputValue()).toBe('comment');
      await check();
      await page.getByLabel('Date (optional)').selectOption('submitted');
      await page.getByRole('button', { name: 'Find the themes' }).click();

      // The progress page refreshes itself (no JavaScript needed) until the themes are ready.
      await page.waitForURL('**/themes/analyses/*');
      if ((await page.locator('h1').textContent())?.includes('Finding themes')) {
        expect(await page.locator('progress').count()).toBe(1);
        await check();
      }
      await page.locator('h1', { hasText: /^Themes$/ }).waitFor({ timeout: 30_000 });
      const analysisUrl = page.url();
      // Two charts: the themes' sizes, and sentiment by theme (no stance without a question),
      // each with its table.
      expect(await page.locator('svg[role="img"] title').count()).toBe(2);
      expect(await page.locator('table#sentiment tbody tr').count()).toBeGreaterThan(2);
      expect(await page.locator('table#stance').count()).toBe(0);
      expect(await page.locator('table#themes tbody tr').count()).toBeGreaterThan(2);
      await check();

      // Read a theme with its quotes and trend.
      await page.locator('table#themes tbody th a').first().click();
      await page.waitForURL('**/themes/analyses/*/themes/*');
      expect(await page.locator('blockquote').count()).toBeGreaterThan(0);
      expect(await page.locator('h2', { hasText: 'Over time' }).count()).toBe(1);
      await check();

      // Merge the second and third themes.
      await page.goto(analysisUrl);
      const boxes = page.locator('table#themes input[name="themes"]');
      const before = await boxes.count();
      await boxes.nth(1).check();
      await boxes.nth(2).check();
      await page.getByLabel('Name of the merged theme (optional)').fill('Merged by a person');
      await page.getByRole('button', { name: 'Merge the ticked themes' }).click();
      await page.waitForURL('**/themes/analyses/*/themes/*');
      expect(await page.locator('h1').textContent()).toContain('Merged by a person');
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
        '2 themes merged into one',
      );
      await check();

      // Link it to the planning chain's validation stage.
      await page
        .getByRole('link', { name: 'Link this theme to a chain stage or a capability' })
        .click();
      await page.waitForURL('**/link');
      await check();
      await page
        .getByLabel('Delivery chain and stage')
        .selectOption({ label: 'Planning permit applications — Validation' });
      await page.getByRole('button', { name: 'Link the theme' }).click();
      await page.waitForURL('**/themes/analyses/*/themes/*');
      expect(await page.locator('main').textContent()).toContain(
        'Planning permit applications — Validation',
      );
      await check();

      await page.goto(analysisUrl);
      expect(await page.locator('table#themes input[name="themes"]').count()).toBe(before - 1);
      expect(await page.locator('table#themes').textContent()).toContain(
        'Linked: Planning permit applications — Validation',
      );
      await check();

      // Export comment → theme.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /Download comment → theme/ }).click(),
      ]);
      const csv = await readFile((await download.path()) ?? '', 'utf8');
      const lines = csv
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines[0]).toBe(
        'row,line,date,channel,area,respondent_group,comment,theme_id,theme,theme_key_words,status,' +
          'stance,also_mentions,sentiment,broad_theme_id,broad_theme',
      );
      expect(lines.length).toBeGreaterThan(600);
      expect(csv).toContain('Merged by a person');
      await page.close();
    });
  }

  it('says which line of a file could not be stored, stores nothing and lets the columns be chosen again', async () => {
    // A file kept by the server but never checked whole (as one kept by an older version would
    // be), with an over-long field at line 1,202: no form can make one, so it is put beside the
    // server's own database.
    const header = 'submitted,channel,ward,respondent,comment';
    const lines = commentsCsv(generateComments(1_500, 23)).trimEnd().split('\n').slice(1);
    const content = [
      header,
      ...lines.slice(0, 1200),
      `2026-03-02,email,Riverside,resident,"${'x'.repeat(150_000)}"`,
      ...lines.slice(1200),
    ].join('\n');
    const db = openDatabase({ kind: 'sqlite', file: server.databaseFile });
    let setId: string;
    try {
      const org = await db.kysely
        .selectFrom('organisations')
        .select('id')
        .where('slug', '=', 'demo-borough-council')
        .executeTakeFirstOrThrow();
      setId = await createStorage(db)
        .scope(org.id, { userId: null, label: 'e2e' })
        .themes.createPendingSet({
          name: 'Kept consultation',
          fileName: 'kept.csv',
          format: 'csv',
          columns: header.split(','),
          compressedChunks: Readable.from([gzipSync(Buffer.from(content))]),
        });
    } finally {
      await db.close();
    }

    const context = await launch({ javaScriptEnabled: true });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Email address').fill('lead@demo-council.example');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/organisation');

      await page.goto(`${server.url}/themes/sets/${setId}`);
      await page.waitForURL('**/columns');
      await page.getByRole('button', { name: 'Find the themes' }).click();
      // The progress page follows the job and shows what went wrong once it has failed.
      await page
        .locator('h1', { hasText: 'The comments could not be stored' })
        .waitFor({ timeout: 30_000 });
      const message = 'Line 1202: a field is larger than the limit';
      expect(await page.locator('main').textContent()).toContain(message);
      expect(await page.locator('main').textContent()).toContain('Nothing was stored.');
      await expectAccessible(page);

      // The set's page says so too, and the columns can be chosen again.
      await page.getByRole('link', { name: /Go back to Kept consultation/ }).click();
      await page.waitForURL(`**/themes/sets/${setId}`);
      expect(await page.locator('.govuk-warning-text').textContent()).toContain(message);
      await expectAccessible(page);
      await page.getByRole('link', { name: 'choose the columns again' }).click();
      await page.waitForURL('**/columns');
      expect(await page.locator('.govuk-warning-text').textContent()).toContain(message);
      await expectAccessible(page);
      await page.close();
    } finally {
      await context.close();
    }
    const after = openDatabase({ kind: 'sqlite', file: server.databaseFile });
    try {
      const stored = await after.kysely
        .selectFrom('comments')
        .select('id')
        .where('set_id', '=', setId)
        .execute();
      expect(stored).toHaveLength(0);
    } finally {
      await after.close();
    }
  });
});
