// The sector view through HTTP, on every configured database (issue 15, point 8). The tests prove:
//  - every figure is the one its own page shows: benchmarks as /sector/benchmarks.json, incidents by
//    class as /sector/incidents, the exchange's counts as /sector/exchange, members as /sector/members;
//  - only the institution's staff see it: members get 404 for the page and the PDF, and another
//    institution sees only its own sector, where every figure is hidden (too few members share);
//  - a hidden benchmark stays hidden in the page and in the PDF's text, and no reporter is named;
//  - the PDF download is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/services/secrets.ts';
import type { BenchmarksDocument } from '../../src/web/sector/view.ts';
import { levelFigure } from '../../src/web/sector/view.ts';
import {
  Client,
  DEMO_PASSWORD,
  scopeOf,
  startTestApp,
  text,
  type TestApp,
} from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { pdfText } from '../helpers/pdf-text.ts';

const AGENCY_ADMIN = 'admin@demo-institution.example';
const OTHER_ADMIN = 'admin@other-view-agency.example';

/** The rows of the table with `id`, each as its cells' text. */
function tableRows(html: string, id: string): string[][] {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return [];
  const table = html.slice(start, html.indexOf('</table>', start));
  const body = table.slice(table.indexOf('<tbody'));
  return body
    .split(/<tr[\s>]/)
    .slice(1)
    .map((row) =>
      [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) =>
        text((m[1] ?? '').replace(/<[^>]+>/g, ' '))
          .replace(/\s+/g, ' ')
          .trim(),
      ),
    );
}

describe.each(testDatabases)('the sector view on $name', (factory) => {
  let t: TestApp;
  let agency: Client;

  beforeAll(async () => {
    t = await startTestApp(factory);
    agency = new Client(t.app);
    await agency.signIn(AGENCY_ADMIN);
  }, 240_000);

  afterAll(async () => {
    await t?.close();
  });

  it('shows the institution the same figures as the benchmarks, incidents, exchange and members pages', async () => {
    const res = await agency.get('/sector/view');
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const page = text(html);
    for (const heading of [
      '1. Members and what they share',
      '2. The sector’s own capabilities (capabilities 6–12)',
      '3. Members’ benchmarks (capabilities 1–5 and delivery chains)',
      '4. AI incidents and near misses by just-culture class',
      '5. The sector exchange',
    ])
      expect(page).toContain(heading);
    expect(page).toContain(
      'Privacy rule: any benchmark figure drawn from fewer than 5 organisations',
    );

    // Benchmarks: the benchmark service's own document, figure for figure.
    const doc = JSON.parse(
      (await agency.get('/sector/benchmarks.json')).body,
    ) as BenchmarksDocument;
    const rows = tableRows(html, 'capability-benchmarks');
    expect(rows).toHaveLength(doc.capabilities.length);
    for (const [i, c] of doc.capabilities.entries()) {
      expect(c.allMembers.shown).toBe(true);
      expect(rows[i]?.[0]).toBe(c.name);
      expect(rows[i]?.[1]).toBe(levelFigure(c.allMembers.median));
      expect(rows[i]?.[3]).toBe(String(c.allMembers.organisations));
    }
    expect(page).toContain(`${doc.membersSharing.results} members sharing results`);
    const planning = tableRows(html, 'service-planning-applications');
    expect(planning.map((r) => r[3])).toEqual(
      doc.services
        .find((s) => s.serviceType === 'planning-applications')
        ?.measures.map((m) => String(m.allMembers.organisations)),
    );

    // The sector-level round, in the paper's level words.
    const round = tableRows(html, 'round-levels');
    expect(round).toHaveLength(7);
    expect(round[0]?.[0]).toBe('6. Strengthening Innovation Networks');
    for (const r of round)
      expect(r[2]).toMatch(/^[1-5] (Outstanding|Good|Adequate|Needs Improvement|Inadequate)$/);

    // Incidents by class: the incidents page's own table.
    const incidentsPage = (await agency.get('/sector/incidents')).body;
    expect(tableRows(html, 'incidents-by-class')).toEqual(tableRows(incidentsPage, 'by-class'));
    const periods = tableRows(html, 'incidents-by-period');
    const total = tableRows(incidentsPage, 'by-class').reduce(
      (a, r) => a + Number(r[2]) + Number(r[3]),
      0,
    );
    expect(total).toBeGreaterThan(0);
    expect(periods.reduce((a, r) => a + Number(r.at(-1)), 0)).toBe(total);

    // The exchange: each kind's count is what the exchange page finds for that kind.
    const exchange = tableRows(html, 'exchange-by-quarter');
    const all = exchange.at(-1) ?? [];
    expect(all[0]).toBe('All quarters');
    const kinds = ['case_study', 'component', 'problem', 'skills', 'lesson'];
    for (const [i, kind] of kinds.entries()) {
      const found = (await agency.get(`/sector/exchange?kind=${kind}`)).body;
      expect(/id="results">(\d+) item/.exec(found)?.[1], kind).toBe(all[i + 1]);
    }
    const endorsed = (await agency.get('/sector/exchange?endorsed=yes')).body;
    const endorsedCount = tableRows(html, 'endorsed-items').length;
    expect(endorsedCount).toBeGreaterThan(0);
    expect(/id="results">(\d+) item/.exec(endorsed)?.[1]).toBe(String(endorsedCount));
    const problems = tableRows(html, 'pooled-problems');
    expect(problems.length).toBeGreaterThan(0);
    expect(Number(problems[0]?.[2])).toBeGreaterThanOrEqual(2);

    // Members: the members page's count.
    const members = text((await agency.get('/sector/members')).body);
    const active = /(\d+) member organisations/.exec(members)?.[1];
    expect(page).toContain(`${active} active members`);

    // No reporter is named: the demo's named reporter at Ashford Vale appears nowhere.
    expect(page).not.toContain('Sam Okafor');
    expect(page).not.toContain('officer@ashford-vale.example');
  });

  it('offers a PDF that says the same, with the privacy rule and the date, and audits it', async () => {
    const res = await agency.get('/sector/view.pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const pdf = pdfText(res.rawPayload);
    expect(pdf).toContain('Sector view: Demo Local Government Improvement Agency');
    expect(pdf).toContain('Privacy rule');
    expect(pdf).toMatch(/Printed on \d{1,2} \w+ \d{4}/);
    expect(pdf).toContain('Strengthening Innovation Networks');
    expect(pdf).not.toContain('Sam Okafor');
    const log = await (await scopeOf(t, 'demo-improvement-agency')).auditLog(50);
    expect(log.map((e) => e.action)).toContain('sector.view_exported');
  });

  it('keeps a hidden benchmark hidden in the page and the PDF', async () => {
    const agencyScope = await scopeOf(t, 'demo-improvement-agency');
    const shownBefore = JSON.parse(
      (await agency.get('/sector/benchmarks.json')).body,
    ) as BenchmarksDocument;
    const median = levelFigure(shownBefore.capabilities[0]?.allMembers.median);
    // 14 members share results; a minimum of 15 hides every figure.
    await agencyScope.sector.setMinimumGroupSize(15);
    try {
      const doc = JSON.parse(
        (await agency.get('/sector/benchmarks.json')).body,
      ) as BenchmarksDocument;
      expect(doc.capabilities.every((c) => !c.allMembers.shown)).toBe(true);
      const html = (await agency.get('/sector/view')).body;
      const rows = tableRows(html, 'capability-benchmarks');
      for (const r of rows) {
        expect(r[1]).toContain('fewer than 15 organisations');
        expect(r.slice(2)).toEqual(['–', '–', '–']);
      }
      const planning = tableRows(html, 'service-planning-applications');
      for (const r of planning) expect(r[1]).toContain('fewer than 15 organisations');
      const pdf = pdfText((await agency.get('/sector/view.pdf')).rawPayload);
      expect(pdf).toContain('fewer than 15 organisations');
      expect(pdf).not.toContain(`Median: ${median}`);
      expect(pdf).not.toMatch(/Middle half of members: \d/);
      expect(text(html)).not.toMatch(/£\d/);
      // Incident periods widen to one over the whole time: no quarter stands on fewer members.
      expect(tableRows(html, 'incidents-by-period')).toHaveLength(1);
    } finally {
      await agencyScope.sector.setMinimumGroupSize(5);
    }
  });

  it('is not found for members, and another institution sees only its own sector', async () => {
    for (const email of [
      'admin@demo-council.example',
      'admin@ashford-vale.example',
      'admin@demo-constabulary.example',
    ]) {
      const member = new Client(t.app);
      await member.signIn(email);
      expect((await member.get('/sector/view')).statusCode, email).toBe(404);
      expect((await member.get('/sector/view.pdf')).statusCode, email).toBe(404);
    }
    expect((await new Client(t.app).get('/sector/view')).statusCode).not.toBe(200);

    // A second institution with four of the demo councils sharing results with it.
    const institution = await t.storage.platform.createOrganisation({
      name: 'Other View Agency',
      slug: 'other-view-agency',
      kind: 'strategic_institution',
      sector: 'Local government',
    });
    const adminId = await t.storage.platform.createUser({
      email: OTHER_ADMIN,
      name: 'Kit Marlow',
      passwordHash: await hashPassword(DEMO_PASSWORD),
    });
    await t.storage
      .scope(institution.id, { userId: null, label: 'test' })
      .addMember(adminId, 'admin', 'test');
    const otherScope = t.storage.scope(institution.id, { userId: adminId, label: 'Kit Marlow' });
    for (const slug of ['ashford-vale', 'brindley', 'calderbrook', 'dunmere']) {
      const member = await scopeOf(t, slug);
      const id = await otherScope.sector.invite(member.organisationId, '');
      await member.sector.respond(id, 'accept');
      await member.sector.setSharing(id, 'results', true);
    }
    const other = new Client(t.app);
    await other.signIn(OTHER_ADMIN);
    const res = await other.get('/sector/view');
    expect(res.statusCode).toBe(200);
    const page = text(res.body);
    expect(page).toContain('4 active members');
    expect(page).not.toContain('Demo Local Government Improvement Agency');
    expect(page).not.toContain('State of the sector, autumn 2026');
    for (const r of tableRows(res.body, 'capability-benchmarks'))
      expect(r[1]).toContain('fewer than 5 organisations');
    // Nothing of the agency's sector reaches it: no incidents, no exchange items of the agency.
    expect(tableRows(res.body, 'incidents-by-period')).toEqual([]);
    expect(tableRows(res.body, 'pooled-problems')).toEqual([]);
    const pdf = pdfText((await other.get('/sector/view.pdf')).rawPayload);
    expect(pdf).toContain('Sector view: Other View Agency');
    expect(pdf).toContain('fewer than 5 organisations');
  });
});
