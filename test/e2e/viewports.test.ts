/// <reference lib="dom" />
// Every main page of the product on a 375 px phone and a 1280 px desktop, in real headless
// Chromium, signed in to the demo as its admin: no page is wider than the screen (wide tables scroll
// inside their own box), axe-core finds nothing, and on the desktop the service navigation keeps to
// one line. The audit log is visited holding a 58,000-character reason, which must wrap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { createStorage, openDatabase } from '../../src/storage/index.ts';
import {
  axeViolations,
  browserAvailable,
  describeViolations,
  launch,
  signIn,
} from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PASSWORD = 'e2e-viewports-password-2026';
const WIDTHS = [375, 1280] as const;
const LONG_REASON = `${'The register of risks has not been reviewed since the restructure, so '.repeat(600).slice(0, 42_000)}${'x'.repeat(16_000)}`;

/** The demo's pages: one or more per feature, each holding real demo content. */
async function demoPages(databaseFile: string): Promise<string[]> {
  const db = openDatabase({ kind: 'sqlite', file: databaseFile });
  try {
    const k = db.kysely;
    const org = await k
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'demo-borough-council')
      .executeTakeFirstOrThrow();
    const o = org.id;
    const rounds = await k
      .selectFrom('assessment_rounds')
      .select(['id', 'status'])
      .where('organisation_id', '=', o)
      .execute();
    // The round with the most groups: its results table has a column for each and one for everyone.
    const groupCounts = await k
      .selectFrom('round_groups')
      .select(['round_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('organisation_id', '=', o)
      .groupBy('round_id')
      .execute();
    const widest = [...groupCounts].sort((a, b) => Number(b.n) - Number(a.n))[0];
    expect(Number(widest?.n)).toBeGreaterThanOrEqual(6);
    const chain = await k
      .selectFrom('delivery_chains')
      .select(['id', 'model'])
      .where('organisation_id', '=', o)
      .where('name', '=', 'Planning permit applications')
      .executeTakeFirstOrThrow();
    const intervention = (JSON.parse(chain.model) as { interventions: { id: string }[] })
      .interventions[0]?.id;
    const log = await k
      .selectFrom('event_logs')
      .select('id')
      .where('organisation_id', '=', o)
      .executeTakeFirstOrThrow();
    const analysis = await k
      .selectFrom('theme_analyses')
      .select(['id', 'set_id'])
      .where('organisation_id', '=', o)
      .where('status', '=', 'done')
      .executeTakeFirstOrThrow();
    const initiatives = await k
      .selectFrom('initiatives')
      .select('id')
      .where('organisation_id', '=', o)
      .execute();
    const lesson = await k
      .selectFrom('lessons')
      .select('id')
      .where('organisation_id', '=', o)
      .executeTakeFirstOrThrow();
    const member = await k
      .selectFrom('memberships')
      .select('id')
      .where('organisation_id', '=', o)
      .executeTakeFirstOrThrow();

    // The audit log holds a 58,000-character reason for an agreed level.
    const round = widest?.round_id ?? '';
    await createStorage(db)
      .scope(o, { userId: null, label: 'System (e2e)' })
      .audit({
        action: 'assessment.rating_agreed',
        entityType: 'assessment_round',
        entityId: round,
        details: {
          capabilityId: 'managing-risk',
          before: null,
          after: { level: 4, evidence: 'documented' },
          rationale: LONG_REASON,
        },
      });

    // The tokens page lists every member's tokens, with long scopes, for the admin.
    const lead = await k
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'lead@demo-council.example')
      .executeTakeFirstOrThrow();
    await createStorage(db)
      .scope(o, { userId: lead.id, label: 'e2e' })
      .tokens.create({
        name: 'Monthly export to the performance dashboard',
        tokenHash: 'e2e-viewports-token',
        prefix: 'tl_pat_e2e00',
        scopes: 'assessments:read chains:read chains:write logs:read themes:read sector:read',
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      });

    const pages = [
      '/',
      '/framework',
      '/framework/managing-risk',
      '/organisation',
      '/organisation/members',
      `/organisation/members/${member.id}`,
      '/organisation/invitations',
      '/organisation/invitations/new',
      '/organisation/settings',
      '/organisation/api-tokens',
      '/organisation/audit',
      '/assessments',
      '/assessments/new',
      '/assessments/targets',
      `/assessments/${round}/results`,
      `/assessments/${round}/roadmap`,
      `/assessments/${round}/report`,
      `/assessments/${round}/compare`,
      `/assessments/${round}/moderate`,
      `/assessments/${round}/moderate/managing-risk`,
      `/assessments/${round}/respondents`,
      '/chains',
      '/chains/new',
      `/chains/${chain.id}`,
      `/chains/${chain.id}/edit`,
      `/chains/${chain.id}/simulate`,
      `/chains/${chain.id}/compare`,
      `/chains/${chain.id}/interventions/${intervention ?? ''}`,
      '/logs',
      `/logs/${log.id}`,
      '/themes',
      '/themes/upload',
      `/themes/sets/${analysis.set_id}`,
      `/themes/analyses/${analysis.id}`,
      `/themes/analyses/${analysis.id}/themes/theme-1`,
      '/initiatives',
      '/initiatives/portfolio',
      '/initiatives/risks',
      '/initiatives/settings/readiness',
      ...initiatives.flatMap((i) => [`/initiatives/${i.id}`]),
      `/initiatives/${initiatives[0]?.id ?? ''}/business-case`,
      `/initiatives/${initiatives[0]?.id ?? ''}/risks`,
      `/initiatives/${initiatives[0]?.id ?? ''}/transparency`,
      '/lessons',
      `/lessons/${lesson.id}`,
      '/sector/memberships',
      '/sector/benchmarks',
      '/sector/chains',
      '/sector/register',
      '/sector/suppliers',
      '/register',
    ];
    for (const r of rounds) pages.push(`/assessments/${r.id}`);
    return pages;
  } finally {
    await db.close();
  }
}

describe.skipIf(!browserAvailable)('every page at 375 px and 1280 px, in Chromium', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let pages: string[];

  beforeAll(async () => {
    server = await startServer({ DEMO_PASSWORD: PASSWORD });
    pages = await demoPages(server.databaseFile);
    context = await launch({ javaScriptEnabled: true });
    page = await signIn(context, server.url, {
      email: 'admin@demo-council.example',
      password: PASSWORD,
    });
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
  });

  for (const width of WIDTHS) {
    it(`fits every page into ${width} px, accessibly${width >= 1000 ? ', the navigation on one line' : ''}`, async () => {
      await page.setViewportSize({ width, height: 900 });
      const problems: string[] = [];
      for (const path of pages) {
        const response = await page.goto(`${server.url}${path}`);
        expect(response?.status(), path).toBe(200);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        if (scrollWidth > width) problems.push(`${path} is ${scrollWidth} px wide at ${width} px`);
        const violations = await axeViolations(page);
        if (violations.length > 0) problems.push(describeViolations(path, violations));
        if (width >= 1000) {
          const tops = await page.evaluate(() =>
            [...document.querySelectorAll('.govuk-service-navigation__item')].map((li) =>
              Math.round(li.getBoundingClientRect().top),
            ),
          );
          expect(tops.length, path).toBeGreaterThanOrEqual(6);
          if (new Set(tops).size !== 1)
            problems.push(`${path}: the navigation takes ${new Set(tops).size} lines`);
        }
      }
      expect(problems).toEqual([]);
    }, 400_000);
  }

  it('wraps a 58,000-character reason in the audit log at 1280 px', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/organisation/audit?action=assessment.rating_agreed`);
    await page.getByText('More details').first().click();
    const reason = page.locator('.tl-audit__details dd', { hasText: 'x'.repeat(50) }).first();
    expect((await reason.textContent())?.length).toBeGreaterThanOrEqual(58_000);
    expect(await reason.isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1280,
    );
    const box = await reason.boundingBox();
    expect(box?.width).toBeLessThanOrEqual(1280);
    const violations = await axeViolations(page);
    expect(violations, describeViolations(page.url(), violations)).toEqual([]);
  });
});
