// Disclosure control through HTTP on every database (issue 12, point 2). Two closed rounds of the
// demo council with the same answers overall, except that the one member of the "Audit committee"
// swaps answers with a frontline member: the committee member rates every capability 5 Inadequate
// in round X and 1 Outstanding in round Y. Every page and export of the two rounds must be the same
// (so nothing in them, alone or combined, tells the rating), and the committee's name must appear in
// none of the exports. Names in the responses export are for admins only, by page and by API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Level } from '../../src/domain/assessment/index.ts';
import { defaultFramework } from '../../src/domain/framework/index.ts';
import { AccountService } from '../../src/services/accounts.ts';
import type { Storage } from '../../src/storage/index.ts';
import { apiTokenFor, Client, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { pdfText } from '../helpers/pdf-text.ts';
import { demoCouncilAndLead, ORG_CAPABILITIES } from '../helpers/rounds.ts';

const SMALL = 'Audit committee';
const FRONT = 'Frontline staff';

/** People as [group, level for every capability]. */
async function seedRound(
  storage: Storage,
  title: string,
  people: readonly (readonly [string, Level])[],
): Promise<string> {
  const { council, lead } = await demoCouncilAndLead(storage);
  return storage.transaction(async ({ scope }) => {
    const store = scope(council.id, { userId: lead.id, label: 'Test set-up' }).assessments;
    const id = await store.createRound({
      scope: 'organisation',
      title,
      opensOn: '2027-01-04',
      closesOn: '2027-01-29',
      groups: ['Leadership', FRONT, SMALL],
      minGroupSize: 3,
      framework: {
        id: defaultFramework.id,
        version: defaultFramework.version,
        document: defaultFramework.document,
      },
    });
    await store.changeStatus(id, ['draft'], 'open');
    const round = await store.round(id);
    if (!round) throw new Error('round missing');
    for (const [i, [groupName, level]] of people.entries()) {
      const group = round.groups.find((g) => g.name === groupName);
      if (!group) throw new Error('no group');
      const responseId = await store.createResponse({
        roundId: id,
        groupId: group.id,
        label: `Person ${i + 1}`,
      });
      for (const capability of ORG_CAPABILITIES) {
        await store.saveAnswer(responseId, capability, {
          level,
          dontKnow: false,
          indicatorsSeen: [],
          evidence: '',
          confidence: 'medium',
        });
      }
      await store.submitResponse(responseId);
    }
    await store.changeStatus(id, ['open'], 'closed');
    return id;
  });
}

/** Five leaders at 2, frontline staff at 3, 3, 5 and `fourth`, and the committee member. */
function people(committee: Level, fourth: Level): [string, Level][] {
  return [
    ...Array.from({ length: 5 }, (): [string, Level] => ['Leadership', 2]),
    [FRONT, 3],
    [FRONT, 3],
    [FRONT, 5],
    [FRONT, fourth],
    [SMALL, committee],
  ];
}

describe.each(testDatabases)('disclosure control on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let admin: Client;
  let leadToken: string;
  let adminToken: string;
  const ids = { x: '', y: '' };
  const titles = { x: 'Privacy check X', y: 'Privacy check Y' };

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    ids.x = await seedRound(t.storage, titles.x, people(5, 1));
    ids.y = await seedRound(t.storage, titles.y, people(1, 5));
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
    admin = new Client(t.app);
    await admin.signIn('admin@demo-council.example');
    adminToken = await apiTokenFor(t, 'admin@demo-council.example', 'Privacy');
    // Only admins make tokens through the pages; a lead's token is made as the service makes one.
    const db = t.storage.db.kysely;
    const council = await db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Demo Borough Council')
      .executeTakeFirstOrThrow();
    const leadUser = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'lead@demo-council.example')
      .executeTakeFirstOrThrow();
    leadToken = (
      await new AccountService(t.storage, { sessionHours: 8 }).createApiToken(
        t.storage.scope(council.id, { userId: leadUser.id, label: 'Test set-up' }),
        'Lead',
      )
    ).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const api = (url: string, token: string) =>
    t.app.inject({ url, headers: { authorization: `Bearer ${token}` } });

  /** Every surface of a round, as text, with the round's own id and title taken out. */
  async function surfaces(key: 'x' | 'y'): Promise<Record<string, string>> {
    const id = ids[key];
    const plain = (text: string) =>
      text
        .replaceAll(id, 'ROUND')
        .replaceAll(titles[key], 'TITLE')
        // Each round has its own group ids.
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')
        .replace(/ nonce="[^"]*"/g, '')
        .replace(/name="_csrf" value="[^"]*"/g, '');
    const page = async (url: string) => {
      const res = await lead.get(url);
      expect(res.statusCode).toBe(200);
      const html = res.body;
      return plain(html.slice(html.indexOf('<main'), html.indexOf('</main>')));
    };
    const json = (await lead.get(`/assessments/${id}/results.json`)).json<{ round: unknown }>();
    const pdf = await lead.get(`/assessments/${id}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    const apiResults = (await api(`/api/assessments/rounds/${id}/results`, adminToken)).json<{
      round: unknown;
    }>();
    return {
      resultsPage: await page(`/assessments/${id}/results`),
      reportPage: (await page(`/assessments/${id}/report`)).replace(/Printed [^.]*\./, 'Printed.'),
      roadmapPage: await page(`/assessments/${id}/roadmap`),
      resultsCsv: (await lead.get(`/assessments/${id}/results.csv`)).body,
      resultsJson: plain(JSON.stringify({ ...json, round: null })),
      responsesCsv: (await lead.get(`/assessments/${id}/responses.csv`)).body,
      pdf: plain(pdfText(pdf.rawPayload))
        .replace(/\d{1,2} \w+ \d{4} at \d{1,2}:\d{2}[ap]m/g, 'WHEN')
        .replace(/Page \d+ of \d+/g, 'PAGE'),
      apiResults: plain(JSON.stringify({ ...apiResults, round: null })),
      apiResultsCsv: (await api(`/api/assessments/rounds/${id}/results.csv`, adminToken)).body,
      apiResponsesCsv: (await api(`/api/assessments/rounds/${id}/responses.csv`, leadToken)).body,
    };
  }

  it('publishes the same pages and exports whether the committee member rated 5 or 1', async () => {
    const x = await surfaces('x');
    const y = await surfaces('y');
    expect(Object.keys(x)).toHaveLength(10);
    for (const key of Object.keys(x)) expect({ key, text: x[key] }).toEqual({ key, text: y[key] });
    // Not vacuous: the leaders' Good is shown on the page and in the CSV.
    expect(x.resultsPage).toContain('Leadership');
    expect(x.resultsCsv).toMatch(/,Leadership,5,5,0,2,Good,2,/);
  });

  it('names neither the committee nor the frontline group hidden with it in any export', async () => {
    const x = await surfaces('x');
    for (const key of [
      'resultsCsv',
      'resultsJson',
      'responsesCsv',
      'pdf',
      'apiResults',
      'apiResultsCsv',
      'apiResponsesCsv',
    ]) {
      expect({ key, small: x[key]?.includes(SMALL) }).toEqual({ key, small: false });
      expect({ key, front: x[key]?.includes(FRONT) }).toEqual({ key, front: false });
    }
    // Nor as a column of the heat map on the page: a group hidden everywhere has none.
    expect(x.resultsPage).not.toContain(`>${SMALL}<`);
    expect(x.responsesCsv).toContain('Hidden groups (combined)');
  });

  it('keeps names in the responses export for admins: a lead is refused on the page and the API', async () => {
    const page = await lead.get(`/assessments/${ids.x}/responses.csv?identities=yes`);
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('Only an admin can download responses with names');
    const refused = await api(
      `/api/assessments/rounds/${ids.x}/responses.csv?identities=true`,
      leadToken,
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      error: 'forbidden',
      message: expect.stringContaining('Only an admin'),
    });
    const named = await api(
      `/api/assessments/rounds/${ids.x}/responses.csv?identities=true`,
      adminToken,
    );
    expect(named.statusCode).toBe(200);
    expect(named.body).toContain('Person 10');
    const audited = await t.storage.db.kysely
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'assessment.responses_exported')
      .where('entity_id', '=', ids.x)
      .execute();
    const details = audited.map((a) =>
      typeof a.details === 'string' ? a.details : JSON.stringify(a.details),
    );
    expect(details).toContainEqual(expect.stringContaining('"identities":true'));
  });

  it('sums up the demo’s perception gaps: leadership against frontline first, the rest folded away', async () => {
    const list = (await lead.get('/assessments')).body;
    const id = /href="\/assessments\/([0-9a-f-]{36})">Capability review, autumn 2026</.exec(
      list,
    )?.[1];
    const html = (await lead.get(`/assessments/${id}/results`)).body;
    const start = html.indexOf('id="capability-planning-and-prioritisation"');
    const planning = html.slice(start, html.indexOf('</section>', start));
    const gaps = planning.slice(planning.indexOf('Perception gaps'));
    expect(gaps).toContain(
      'Largest gap, between leadership and frontline staff: Frontline staff see this capability as weaker (4 Needs Improvement) than Leadership do (2 Good): 2 levels apart.',
    );
    // The one-level gaps between the other groups are in a details element, not in the way.
    const details = /<details[\s\S]*?<\/details>/.exec(gaps)?.[0] ?? '';
    expect(details).toContain('8 other gaps between groups');
    expect(details.match(/<li>/g)).toHaveLength(8);
    const before = gaps.slice(0, gaps.indexOf('<details'));
    expect(before.match(/<li>/g)).toBeNull();
  });

  it('shows no distribution for a round with fewer answers than the minimum', async () => {
    const id = await seedRound(t.storage, 'One answer', [['Leadership', 4]]);
    const html = (await lead.get(`/assessments/${id}/results`)).body;
    expect(html).toContain('Fewer than 3 people have sent answers');
    expect(html).toContain('1 answer. Fewer than 3 people gave a level, so no figures are shown');
    expect(html).toContain('Not shown: fewer than 3 people gave a level');
    // The level appears only in the charts' keys, never as anyone's rating.
    expect(html).not.toContain('median 4');
    expect(html).not.toContain('>4 Needs Improvement</td>');
    expect(html).not.toContain('How the 1 rating was spread');
    const csv = (await lead.get(`/assessments/${id}/results.csv`)).body;
    expect(csv).not.toMatch(/,4,Needs Improvement,/);
    const json = (await lead.get(`/assessments/${id}/results.json`)).json<{
      capabilities: { result: { responses: number; distribution: unknown; median: unknown } }[];
    }>();
    for (const c of json.capabilities) {
      expect(c.result).toMatchObject({ responses: 1, distribution: null, median: null });
    }
  });
});
