// The sector exchange through HTTP on every configured database (issue 15, points 7 and 9). The
// demo agency's members publish case studies, components, problem statements, skills offers and
// lessons. The tests prove that:
//  - a member publishes in the kind's template, with a message beside each missing field;
//  - full-text search finds words by stem on both databases, with filters by kind, capability and
//    member, and the API returns the same items;
//  - a problem statement counts the other members that join it (the publisher cannot join its own);
//  - the institution endorses an item as recommended practice; a member cannot;
//  - only the institution and its active members see the exchange — an invited organisation and an
//    API token of one get 404 for lists and items — and a member that leaves takes its items with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, apiTokenFor, scopeOf, text, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

interface ApiItem {
  id: string;
  title: string;
  kind: string;
  member: string;
  joinedBy: number | null;
  endorsed: boolean;
}

describe.each(testDatabases)('sector exchange on $name', (factory) => {
  let t: TestApp;
  let brindley: Client;
  let hartmoor: Client;
  let agency: Client;
  let outsider: Client;
  let tokens: { brindley: string; outsider: string; agency: string };

  const api = (token: string, url: string) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const apiItems = async (token: string, url: string): Promise<ApiItem[]> => {
    const res = await api(token, url);
    expect(res.statusCode, url).toBe(200);
    return (JSON.parse(res.body) as { items: ApiItem[] }).items;
  };
  const itemId = async (title: string): Promise<string> =>
    (
      await t.storage.db.kysely
        .selectFrom('sector_exchange_items')
        .select('id')
        .where('title', '=', title)
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    t = await startTestApp(factory);
    brindley = new Client(t.app);
    await brindley.signIn('admin@brindley.example');
    hartmoor = new Client(t.app);
    await hartmoor.signIn('admin@hartmoor.example');
    agency = new Client(t.app);
    await agency.signIn('admin@demo-institution.example');
    // The demo council is only invited: not a member yet.
    outsider = new Client(t.app);
    await outsider.signIn('admin@demo-council.example');
    tokens = {
      brindley: await apiTokenFor(t, 'admin@brindley.example', 'x1'),
      outsider: await apiTokenFor(t, 'admin@demo-council.example', 'x2'),
      agency: await apiTokenFor(t, 'admin@demo-institution.example', 'x3'),
    };
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('holds an item of every kind in the demo, and lists them for members and the institution', async () => {
    const items = await apiItems(tokens.brindley, '/api/sector/exchange');
    expect(new Set(items.map((i) => i.kind))).toEqual(
      new Set(['case_study', 'component', 'problem', 'skills', 'lesson']),
    );
    const page = text((await agency.get('/sector/exchange')).body);
    expect(page).toContain('Reading handwritten social care forms');
  });

  it('publishes in the template, refusing missing fields beside each one', async () => {
    const url = '/sector/exchange/new?kind=case_study';
    const bad = await brindley.submit(url, '/sector/exchange/new', {
      kind: 'case_study',
      title: 'Validation triage for licensing',
      problem: 'Licence applications queue at validation.',
      tried: '',
      budgetary: 'Not measured',
      operational: 'Lead time 9 to 3 days',
      effectiveness: 'Not yet',
      advice: 'Measure first.',
    });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Enter what was tried');
    const ok = await brindley.submit(url, '/sector/exchange/new', {
      kind: 'case_study',
      title: 'Validation triage for licensing',
      problem: 'Licence applications queue at validation.',
      tried: 'A checker flags incomplete licence applications.',
      budgetary: 'Not measured',
      operational: 'Lead time fell from 9 to 3 days; cost per licence from £1,136 to £700.',
      effectiveness: 'Not yet',
      advice: 'Measure first.',
      capabilityId: 'planning-and-prioritisation',
    });
    expect(ok.statusCode).toBe(303);
    const id = await itemId('Validation triage for licensing');
    const shown = text((await hartmoor.get(`/sector/exchange/${id}`)).body);
    expect(shown).toContain('Results: operational efficiency');
    expect(shown).toContain('Brindley Metropolitan Borough Council');
  });

  it('searches the full text by stem, with filters, in pages and the API alike', async () => {
    // "validating" and "1136" find "validation" and "£1,136".
    for (const q of ['validating licensing', '1136']) {
      const page = text((await hartmoor.get(`/sector/exchange?q=${encodeURIComponent(q)}`)).body);
      expect(page, q).toContain('Validation triage for licensing');
      expect(page, q).not.toContain('Reading handwritten social care forms');
      const items = await apiItems(
        tokens.brindley,
        `/api/sector/exchange?q=${encodeURIComponent(q)}`,
      );
      expect(
        items.map((i) => i.title),
        q,
      ).toContain('Validation triage for licensing');
    }
    expect((await apiItems(tokens.brindley, '/api/sector/exchange?q=zebrafish')).length).toBe(0);
    const problems = await apiItems(tokens.brindley, '/api/sector/exchange?kind=problem');
    expect(problems.every((i) => i.kind === 'problem')).toBe(true);
    expect(problems.length).toBeGreaterThan(0);
    const brindleyId = (await scopeOf(t, 'brindley')).organisationId;
    const byMember = await apiItems(tokens.brindley, `/api/sector/exchange?member=${brindleyId}`);
    expect(byMember.length).toBeGreaterThan(0);
    expect(byMember.every((i) => i.member === 'Brindley Metropolitan Borough Council')).toBe(true);
    const byCapability = text(
      (await hartmoor.get('/sector/exchange?capability=managing-supplier-relations')).body,
    );
    expect(byCapability).toContain('Contract clause: access to model performance data');
    expect(byCapability).not.toContain('Validation triage for licensing');
  });

  it('counts the other members that join a problem statement; the publisher cannot join its own', async () => {
    const id = await itemId('Reading handwritten social care forms');
    const before = await api(tokens.brindley, `/api/sector/exchange/${id}`);
    expect((JSON.parse(before.body) as ApiItem).joinedBy).toBe(2);
    const join = await brindley.submit(`/sector/exchange/${id}`, `/sector/exchange/${id}/join`, {
      joined: 'yes',
    });
    expect(join.statusCode).toBe(303);
    expect(text((await hartmoor.get(`/sector/exchange/${id}`)).body)).toContain(
      'Joined by 3 other members',
    );
    const fellgate = new Client(t.app);
    await fellgate.signIn('admin@fellgate.example');
    const own = await fellgate.submit(`/sector/exchange/${id}`, `/sector/exchange/${id}/join`, {
      joined: 'yes',
    });
    expect(own.statusCode).toBe(404);
    const leave = await brindley.submit(`/sector/exchange/${id}`, `/sector/exchange/${id}/join`, {
      joined: 'no',
    });
    expect(leave.statusCode).toBe(303);
    expect(
      (JSON.parse((await api(tokens.brindley, `/api/sector/exchange/${id}`)).body) as ApiItem)
        .joinedBy,
    ).toBe(2);
    const audit = (await (await scopeOf(t, 'brindley')).auditLog(50)).map((e) => e.action);
    expect(audit).toContain('sector.exchange_joined');
    expect(audit).toContain('sector.exchange_left');
  });

  it('lets the institution, not a member, endorse an item as recommended practice', async () => {
    const id = await itemId('Model card template for council AI systems');
    expect(
      (
        await brindley.submit(`/sector/exchange/${id}`, `/sector/exchange/${id}/endorse`, {
          endorsed: 'yes',
        })
      ).statusCode,
    ).toBe(404);
    const ok = await agency.submit(`/sector/exchange/${id}`, `/sector/exchange/${id}/endorse`, {
      endorsed: 'yes',
    });
    expect(ok.statusCode).toBe(303);
    const endorsed = await apiItems(tokens.agency, '/api/sector/exchange?endorsed=yes');
    expect(endorsed.map((i) => i.title)).toContain('Model card template for council AI systems');
    expect(endorsed.every((i) => i.endorsed)).toBe(true);
  });

  it('is hidden from an organisation that is not an active member (404 everywhere)', async () => {
    const id = await itemId('Reading handwritten social care forms');
    expect((await outsider.get('/sector/exchange')).statusCode).toBe(404);
    expect((await outsider.get(`/sector/exchange/${id}`)).statusCode).toBe(404);
    expect((await outsider.get('/sector/exchange/new?kind=problem')).statusCode).toBe(404);
    expect((await api(tokens.outsider, '/api/sector/exchange')).statusCode).toBe(404);
    expect((await api(tokens.outsider, `/api/sector/exchange/${id}`)).statusCode).toBe(404);
    const agencyId = (await scopeOf(t, 'demo-improvement-agency')).organisationId;
    expect(
      (await api(tokens.outsider, `/api/sector/exchange?institution=${agencyId}`)).statusCode,
    ).toBe(404);
    const join = await outsider.post(`/sector/exchange/${id}/join`, { joined: 'yes' });
    expect([403, 404]).toContain(join.statusCode);
    // An unknown id is 404 for a member too.
    expect(
      (await brindley.get('/sector/exchange/00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);
  });

  it('drops a member’s items when it leaves the institution', async () => {
    const greyholme = await scopeOf(t, 'greyholme');
    const membership = (await greyholme.sector.memberships()).find((m) => m.status === 'active');
    expect(membership).toBeDefined();
    const id = await itemId('Data engineer secondment');
    expect((await hartmoor.get(`/sector/exchange/${id}`)).statusCode).toBe(200);
    await greyholme.sector.end(membership?.id ?? '');
    expect((await hartmoor.get(`/sector/exchange/${id}`)).statusCode).toBe(404);
    const titles = (await apiItems(tokens.brindley, '/api/sector/exchange')).map((i) => i.title);
    expect(titles).not.toContain('Data engineer secondment');
    // Its join of the problem statement no longer counts.
    const problem = await itemId('Reading handwritten social care forms');
    expect(
      (JSON.parse((await api(tokens.brindley, `/api/sector/exchange/${problem}`)).body) as ApiItem)
        .joinedBy,
    ).toBe(1);
  });
});
