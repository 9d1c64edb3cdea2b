// Invitations by email as people would send them, in Chromium with JavaScript on and off, at
// 375 px and 1280 px, against a real SMTP server on loopback: a lead invites one person and a
// CSV file of people to a round; an admin invites a member. Every page fits the width and axe
// finds nothing; the messages arrive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { browserAvailable, checkPage, launch, signIn } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

const PASSWORD = 'e2e-demo-password-2026';

describe.skipIf(!browserAvailable)('invitations by email, in Chromium', () => {
  const smtp = new TestSmtpServer();
  let server: RunningServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await smtp.start();
    server = await startServer({
      DEMO_PASSWORD: PASSWORD,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Throughline <assessments@demo-council.example>',
    });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await server?.stop();
    await smtp.stop();
  });

  for (const run of [
    { js: true, width: 375 },
    { js: false, width: 1280 },
  ]) {
    it(`invites people to a round and a member to the organisation (JavaScript ${run.js ? 'on' : 'off'}, ${run.width} px)`, async () => {
      const context = await launch({ javaScriptEnabled: run.js });
      const checker = await launch({ javaScriptEnabled: true });
      contexts.push(context, checker);
      await context.pages()[0]?.close();
      const lead = await signIn(context, server.url, {
        email: 'lead@demo-council.example',
        password: PASSWORD,
      });
      await lead.setViewportSize({ width: run.width, height: 900 });
      const axePage = await signIn(checker, server.url, {
        email: 'lead@demo-council.example',
        password: PASSWORD,
      });
      const tag = `${run.js ? 'on' : 'off'}${run.width}`;

      await lead.goto(`${server.url}/assessments/new`);
      await lead.getByLabel('Title').fill(`Email round ${tag}`);
      await lead.getByRole('button', { name: /Create|Start/ }).click();
      await lead.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
      const roundUrl = lead.url();

      await lead.goto(`${roundUrl}/respondents`);
      await checkPage(lead, run, axePage);
      await lead.getByLabel('Email address').fill(`one-${tag}@example.org`);
      await lead.locator('#email-groupId').selectOption({ label: 'Leadership' });
      await lead.getByRole('button', { name: 'Send invitation', exact: true }).click();
      await expect
        .poll(() => lead.getByRole('heading', { level: 1 }).textContent())
        .toBe('1 invitation sent by email');
      await checkPage(lead, run, axePage, true);
      expect(smtp.to(`one-${tag}@example.org`)).toHaveLength(1);

      await lead.goto(`${roundUrl}/respondents`);
      await lead.getByLabel('CSV file').setInputFiles({
        name: 'people.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          `email,group\na-${tag}@example.org,Managers\nb-${tag}@example.org,frontline staff\n`,
        ),
      });
      await lead.getByRole('button', { name: 'Send invitations' }).click();
      await expect
        .poll(() => lead.getByRole('heading', { level: 1 }).textContent())
        .toBe('2 invitations sent by email');
      await checkPage(lead, run, axePage, true);
      expect(smtp.to(`b-${tag}@example.org`)).toHaveLength(1);

      await lead.goto(`${roundUrl}/respondents`);
      await checkPage(lead, run, axePage);

      const admin = await signIn(await launch({ javaScriptEnabled: run.js }), server.url, {
        email: 'admin@demo-council.example',
        password: PASSWORD,
      });
      contexts.push(admin.context());
      await admin.setViewportSize({ width: run.width, height: 900 });
      const adminAxe = await signIn(await launch({ javaScriptEnabled: true }), server.url, {
        email: 'admin@demo-council.example',
        password: PASSWORD,
      });
      contexts.push(adminAxe.context());
      await admin.goto(`${server.url}/organisation/invitations/new`);
      await checkPage(admin, run, adminAxe);
      await admin.getByLabel('Full name').fill('Morgan Member');
      await admin.getByLabel('Email address').fill(`member-${tag}@example.org`);
      await admin.getByRole('button', { name: 'Create invitation' }).click();
      await expect
        .poll(() => admin.getByRole('heading', { level: 1 }).textContent())
        .toContain('Invitation sent');
      await checkPage(admin, run, adminAxe, true);
      expect(smtp.to(`member-${tag}@example.org`)).toHaveLength(1);
      await admin.goto(`${server.url}/organisation/invitations`);
      await checkPage(admin, run, adminAxe);
    });
  }
});
