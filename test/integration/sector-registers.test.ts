// The client-capability and supplier registers through HTTP, on every configured database (issue
// 15, points 4, 5 and 9). Six demo councils share register entries with the agency and have
// published their rating. The tests prove that:
//  - /register lists published entries without sign-in, and nothing beyond the published entry;
//  - an entry appears (public page, institution page, API) only while published AND shared as
//    register entries; withdrawing the consent or unpublishing removes it everywhere;
//  - the supplier register never shows a figure drawn from fewer than five organisations (pages
//    and API), however many reports one member files; the institution can trace shown figures to
//    their evaluations, members cannot see whose they are (the demo's own three suppliers stay
//    beside the one these tests report on, which is read by its row);
//  - every publication and report is in the member's and the institution's audit logs;
//  - another organisation's evaluations and reports are not found.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import type { OrgScope } from '../../src/storage/index.ts';
import {
  Client,
  apiTokenFor,
  csrfTokenFrom,
  scopeOf,
  startTestApp,
  text,
  type TestApp,
} from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const AGENCY_ADMIN = 'admin@demo-institution.example';
const SUPPLIER = 'Northwind Analytics Ltd';

describe.each(testDatabases)('sector registers on $name', (factory) => {
  let t: TestApp;
  let agency: Client;
  let calderbrook: Client;
  let calderScope: OrgScope;
  let membershipId: string;
  let agencyToken: string;
  const evaluations = new Map<string, string[]>();

  const api = (token: string, url: string) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const actions = async (slug: string) =>
    (await (await scopeOf(t, slug)).auditLog(500)).map((e) => e.action);

  /** Two evaluated initiatives in a member, written straight to the tables (the initiatives feature owns their pages). */
  const evaluationsOf = async (slug: string): Promise<string[]> => {
    const scope = await scopeOf(t, slug);
    const ids: string[] = [];
    for (const title of ['Triage assistant', 'Letter drafting']) {
      const initiativeId = newId();
      const now = new Date().toISOString();
      await t.storage.db.kysely
        .insertInto('initiatives')
        .values({
          id: initiativeId,
          organisation_id: scope.organisationId,
          title,
          status: 'evaluated',
          model: '{}',
          chain_id: null,
          stopped_reason: null,
          live_from: null,
          governance: '{}',
          revision: 1,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      ids.push(await scope.initiatives.addEvaluation(initiativeId, null, { outcome: 'partly' }));
    }
    const membership = (await scope.sector.memberships()).find((m) => m.status === 'active');
    await scope.sector.setSharing(membership?.id ?? '', 'evaluations', true);
    return ids;
  };

  /** The row of the supplier these tests report on, in a supplier register page. */
  const rowOf = (html: string) =>
    text(html)
      .split('<tr')
      .find((row) => row.includes(SUPPLIER)) ?? '';

  beforeAll(async () => {
    t = await startTestApp(factory);
    agency = new Client(t.app);
    await agency.signIn(AGENCY_ADMIN);
    calderbrook = new Client(t.app);
    await calderbrook.signIn('admin@calderbrook.example');
    calderScope = await scopeOf(t, 'calderbrook');
    membershipId =
      (await calderScope.sector.memberships()).find((m) => m.status === 'active')?.id ?? '';
    agencyToken = await apiTokenFor(t, AGENCY_ADMIN, 'registers');
    for (const slug of [
      'ashford-vale',
      'brindley',
      'calderbrook',
      'dunmere',
      'eastwick',
      'fellgate',
    ])
      evaluations.set(slug, await evaluationsOf(slug));
  }, 240_000);

  afterAll(async () => {
    await t?.close();
  });

  it('lists published entries on /register without sign-in, and only the published entry', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/register' });
    expect(res.statusCode).toBe(200);
    const body = text(res.body);
    expect(body).toContain('6 published entries');
    expect(body).toContain('Ashford Vale Metropolitan Borough Council');
    expect(body).toContain('4 Needs Improvement');
    expect(body).toContain('Managing Supplier Relations: 4 Needs Improvement');
    expect(body).toContain('Agreed, evidence documented');
    // Councils that did not publish, and capabilities the rating does not count, are not there.
    expect(body).not.toContain('Calderbrook');
    expect(body).not.toContain('Hartmoor');
    expect(body).not.toContain('Organisational Learning');
    expect(body).not.toContain('Developing New Ways of Working');
    expect(body).not.toContain('Sign out');
  });

  it('publishes a member’s rating only while it shares register entries, audited on both sides', async () => {
    const page = await calderbrook.get('/sector/register');
    expect(page.statusCode).toBe(200);
    // Calderbrook's levels are 3, 4, 2, 4, 3: planning 4, risk 4, supplier relations 3 → 4.
    expect(text(page.body)).toContain('4 Needs Improvement');
    const csrf = csrfTokenFrom(page.body);
    const refused = await calderbrook.post('/sector/register/publish', { _csrf: csrf });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('Share register entries with an institution first');
    expect(text((await t.app.inject({ method: 'GET', url: '/register' })).body)).not.toContain(
      'Calderbrook',
    );

    await calderScope.sector.setSharing(membershipId, 'register', true);
    const published = await calderbrook.post('/sector/register/publish', { _csrf: csrf });
    expect(published.statusCode).toBe(303);
    const pub = text((await t.app.inject({ method: 'GET', url: '/register' })).body);
    expect(pub).toContain('Calderbrook Metropolitan Borough Council');
    expect(pub).toContain('7 published entries');
    expect(text((await agency.get('/sector/register')).body)).toContain(
      'Calderbrook Metropolitan Borough Council',
    );
    const doc = JSON.parse((await api(agencyToken, '/api/sector/register')).body) as {
      entries: { organisation: string; level: number }[];
    };
    expect(doc.entries.find((e) => e.organisation.startsWith('Calderbrook'))?.level).toBe(4);
    expect(await actions('calderbrook')).toContain('sector.register_published');
    expect(await actions('demo-improvement-agency')).toContain('sector.register_published');
  });

  it('removes the entry everywhere when the consent is withdrawn, and when unpublished', async () => {
    await calderScope.sector.setSharing(membershipId, 'register', false);
    const names = async () => [
      text((await t.app.inject({ method: 'GET', url: '/register' })).body),
      text((await agency.get('/sector/register')).body),
      (await api(agencyToken, '/api/sector/register')).body,
    ];
    for (const body of await names()) expect(body).not.toContain('Calderbrook');
    await calderScope.sector.setSharing(membershipId, 'register', true);
    for (const body of await names()) expect(body).toContain('Calderbrook');
    const page = await calderbrook.get('/sector/register');
    const removed = await calderbrook.post('/sector/register/unpublish', {
      _csrf: csrfTokenFrom(page.body),
    });
    expect(removed.statusCode).toBe(303);
    for (const body of await names()) expect(body).not.toContain('Calderbrook');
    expect(await actions('calderbrook')).toContain('sector.register_unpublished');
  });

  it('hides a supplier’s figures until five organisations report, whatever one member files', async () => {
    const report = async (
      slug: string,
      evaluationId: string,
      extra: Record<string, string> = {},
    ) => {
      const client = new Client(t.app);
      await client.signIn(`admin@${slug}.example`);
      const page = await client.get('/sector/suppliers');
      return client.post('/sector/suppliers/reports', {
        _csrf: csrfTokenFrom(page.body),
        evaluationId,
        supplier: SUPPLIER,
        delivered: 'yes',
        onTime: 'no',
        benefits: 'realised',
        lockIn: 'no',
        ...extra,
      });
    };
    // Ashford Vale files on both its evaluations, then three more members: four organisations.
    const ashford = evaluations.get('ashford-vale') ?? [];
    for (const id of ashford) expect((await report('ashford-vale', id)).statusCode).toBe(303);
    for (const slug of ['brindley', 'calderbrook', 'dunmere'])
      expect((await report(slug, evaluations.get(slug)?.[0] ?? '')).statusCode).toBe(303);
    const hidden = text((await agency.get('/sector/suppliers')).body);
    expect(rowOf(hidden)).toContain('Hidden: reports from fewer than 5 organisations');
    expect(rowOf(hidden)).not.toMatch(/ of \d/);
    expect(hidden).not.toContain(`The evaluations behind ${SUPPLIER}`);
    expect(hidden).not.toContain(': Triage assistant');
    const hiddenDoc = JSON.parse((await api(agencyToken, '/api/sector/suppliers')).body) as {
      suppliers: Record<string, unknown>[];
    };
    expect(hiddenDoc.suppliers.filter((x) => x.name === SUPPLIER)).toEqual([
      { name: SUPPLIER, shown: false },
    ]);
    // A member sees no trace of a hidden supplier at all.
    const memberRegister = text((await calderbrook.get('/sector/suppliers')).body).split(
      'Your reports',
    )[0];
    expect(memberRegister).toContain('Kept by Demo Local Government Improvement Agency');
    expect(memberRegister).not.toContain(SUPPLIER);

    // The fifth organisation makes the figures appear, traceable for the institution only.
    expect(
      (await report('eastwick', evaluations.get('eastwick')?.[0] ?? '', { lockIn: 'yes' }))
        .statusCode,
    ).toBe(303);
    const shown = text((await agency.get('/sector/suppliers')).body);
    expect(rowOf(shown)).toContain('6 evaluations from 5 organisations');
    expect(rowOf(shown)).toContain('6 of 6 (100%)');
    expect(rowOf(shown)).toContain('1 of 6 (17%)');
    expect(shown).toContain('Ashford Vale Metropolitan Borough Council: Triage assistant');
    const doc = JSON.parse((await api(agencyToken, '/api/sector/suppliers')).body) as {
      suppliers: { name: string; shown: boolean; organisations: number; evaluations: unknown[] }[];
    };
    const ours = doc.suppliers.find((x) => x.name === SUPPLIER);
    expect(ours?.shown).toBe(true);
    expect(ours?.organisations).toBe(5);
    expect(ours?.evaluations).toHaveLength(6);
    const memberView = text((await calderbrook.get('/sector/suppliers')).body);
    expect(rowOf(memberView)).toContain('6 evaluations from 5 organisations');
    expect(memberView).not.toContain('Ashford Vale');
    expect(await actions('eastwick')).toContain('sector.supplier_reported');
    expect(await actions('demo-improvement-agency')).toContain('sector.supplier_reported');

    // Withdrawing one member's evaluations takes the figures back below the minimum.
    const eastwick = await scopeOf(t, 'eastwick');
    const m = (await eastwick.sector.memberships()).find((x) => x.status === 'active');
    await eastwick.sector.setSharing(m?.id ?? '', 'evaluations', false);
    expect(rowOf((await agency.get('/sector/suppliers')).body)).toContain(
      'Hidden: reports from fewer than 5 organisations',
    );
    await eastwick.sector.setSharing(m?.id ?? '', 'evaluations', true);
  });

  it('refuses another organisation’s evaluation and report, and checks the form beside its fields', async () => {
    const page = await calderbrook.get('/sector/suppliers');
    const csrf = csrfTokenFrom(page.body);
    const foreign = await calderbrook.post('/sector/suppliers/reports', {
      _csrf: csrf,
      evaluationId: evaluations.get('fellgate')?.[0] ?? '',
      supplier: SUPPLIER,
      delivered: 'no',
      onTime: 'no',
      benefits: 'not-realised',
      lockIn: 'yes',
    });
    expect(foreign.statusCode).toBe(400);
    expect(text(foreign.body)).toContain('Choose one of your evaluations');
    const bad = await calderbrook.post('/sector/suppliers/reports', { _csrf: csrf, supplier: '' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Enter the supplier’s name');
    expect(text(bad.body)).toContain('Say whether the supplier delivered');
    const ashfordReports = await (
      await scopeOf(t, 'ashford-vale')
    ).sectorRegister.supplierReports();
    const ashfordReport = ashfordReports[0];
    const removed = await calderbrook.post(
      `/sector/suppliers/reports/${ashfordReport?.id ?? ''}/remove`,
      {
        _csrf: csrf,
      },
    );
    expect(removed.statusCode).toBe(404);
    expect((await (await scopeOf(t, 'ashford-vale')).sectorRegister.supplierReports()).length).toBe(
      ashfordReports.length,
    );
    // A member's token cannot read the institution's supplier register through the API.
    const memberToken = await apiTokenFor(t, 'admin@calderbrook.example', 'suppliers');
    expect((await api(memberToken, '/api/sector/suppliers')).statusCode).toBe(404);
  });
});
