// Sector membership, consent and benchmarks through HTTP, on every configured database (issue 15,
// points 1, 2 and 9). The demo agency has fourteen member councils sharing results in three peer
// groups, and three criminal-justice partners sharing only chain measures (seventeen members in
// all); a second institution, set up here, has five members of which only four share with it —
// one of them shares with the demo agency but not with this one. The tests prove that:
//  - a member's data is used only while it shares that kind with that institution: absent before it
//    shares, present after, absent again once withdrawn — on the page, in the CSV, the JSON and the
//    API alike, and a figure from fewer than five organisations carries no number anywhere;
//  - filters cannot be differenced to recover a hidden group (page, CSV, JSON and API agree);
//  - every invite, accept, share and withdraw is in both organisations' audit logs;
//  - another organisation's memberships and institutions are not found (404), and roles hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { defaultFramework } from '../../src/domain/framework/index.ts';
import { finaliseAgreedRound } from '../../src/seed/sector.ts';
import { hashPassword } from '../../src/services/secrets.ts';
import type { OrgScope } from '../../src/storage/index.ts';
import {
  Client,
  DEMO_PASSWORD,
  apiTokenFor,
  csrfTokenFrom,
  scopeOf,
  text,
  startTestApp,
  type TestApp,
} from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const AGENCY_ADMIN = 'admin@demo-institution.example';
const COUNCIL_ADMIN = 'admin@demo-council.example';
const COUNCIL_LEAD = 'lead@demo-council.example';
const COUNCIL_MEMBER = 'planner@demo-council.example';
const OTHER_ADMIN = 'admin@other-agency.example';

interface Figure {
  shown: boolean;
  organisations?: number;
  median?: number;
  hidden?: string;
}
interface Doc {
  institution: string;
  minimumOrganisations: number;
  membersSharing: { results: number };
  peerGroups: string[];
  peerGroup: string | null;
  capabilities: {
    name: string;
    allMembers: Figure;
    peerGroupFigure: Figure | null;
    own: unknown;
  }[];
  services: { serviceType: string; measures: { allMembers: Figure; own: unknown }[] }[];
}

describe.each(testDatabases)('sector membership and benchmarks on $name', (factory) => {
  let t: TestApp;
  let agency: Client;
  let council: Client;
  let other: Client;
  let eastwick: Client;
  let otherId: string;
  let agencyId: string;
  let otherMemberships: Map<string, string>;

  const json = async (client: Client, url: string): Promise<Doc> => {
    const res = await client.get(url);
    expect(res.statusCode, url).toBe(200);
    return JSON.parse(res.body) as Doc;
  };
  const api = async (token: string, url: string) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    t = await startTestApp(factory);
    agency = new Client(t.app);
    await agency.signIn(AGENCY_ADMIN);
    council = new Client(t.app);
    await council.signIn(COUNCIL_ADMIN);
    agencyId = (await scopeOf(t, 'demo-improvement-agency')).organisationId;

    // A second institution with five of the demo councils as members; Eastwick accepts but shares
    // nothing with it (it shares its results with the demo agency only).
    const platform = t.storage.platform;
    const institution = await platform.createOrganisation({
      name: 'Other Improvement Agency',
      slug: 'other-agency',
      kind: 'strategic_institution',
      sector: 'Local government',
    });
    otherId = institution.id;
    const adminId = await platform.createUser({
      email: OTHER_ADMIN,
      name: 'Olu Adeyemi',
      passwordHash: await hashPassword(DEMO_PASSWORD),
    });
    const system = { userId: null, label: 'test' };
    await t.storage.scope(otherId, system).addMember(adminId, 'admin', 'test');
    const otherScope = t.storage.scope(otherId, { userId: adminId, label: 'Olu Adeyemi' });
    otherMemberships = new Map();
    for (const slug of ['ashford-vale', 'brindley', 'calderbrook', 'dunmere', 'eastwick']) {
      const member: OrgScope = await scopeOf(t, slug);
      const id = await otherScope.sector.invite(member.organisationId, '');
      otherMemberships.set(slug, id);
      const acting = t.storage.scope(member.organisationId, { userId: null, label: 'test' });
      await acting.sector.respond(id, 'accept');
      if (slug !== 'eastwick') await acting.sector.setSharing(id, 'results', true);
    }
    other = new Client(t.app);
    await other.signIn(OTHER_ADMIN);
    eastwick = new Client(t.app);
    await eastwick.signIn('admin@eastwick.example');
  }, 240_000);

  afterAll(async () => {
    await t?.close();
  });

  it('tells the institution how many members it has and what each shares', async () => {
    const page = await agency.get('/sector/members');
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain('17 member organisations, and 1 invitation waiting for an answer');
    expect(body).toContain('Ashford Vale Metropolitan Borough Council');
    expect(body).toContain('Demo Borough Council');
  });

  it('finds organisations to invite by a word of their name, never institutions', async () => {
    const found = text((await agency.get('/sector/members?q=borough')).body);
    expect(found).toContain('Ashford Vale Metropolitan Borough Council');
    expect(found).toContain('Member already.');
    expect(text((await agency.get('/sector/members?q=agency')).body)).toContain(
      'No public body’s name contains “agency”',
    );
  });

  it('refuses an invitation to an institution, itself or an existing member, beside the field', async () => {
    const page = await agency.get('/sector/members');
    const csrf = csrfTokenFrom(page.body);
    for (const organisationId of [otherId, agencyId, newId()]) {
      const res = await agency.post('/sector/members/invite', { _csrf: csrf, organisationId });
      expect(res.statusCode).toBe(400);
      expect(text(res.body)).toContain('Choose a public body from the search results');
    }
    const ashford = (await scopeOf(t, 'ashford-vale')).organisationId;
    const again = await agency.post('/sector/members/invite', {
      _csrf: csrf,
      organisationId: ashford,
    });
    expect(again.statusCode).toBe(400);
    expect(text(again.body)).toContain('This organisation is already a member');
  });

  it('invites an organisation found by name and can withdraw the invitation, audited on both sides', async () => {
    const westbury = await t.storage.platform.createOrganisation({
      name: 'Westbury Town Council',
      slug: 'westbury-town',
      kind: 'public_body',
      sector: 'Local government',
    });
    const found = await agency.get('/sector/members?q=westbury');
    expect(text(found.body)).toContain('Westbury Town Council');
    const invited = await agency.post('/sector/members/invite', {
      _csrf: csrfTokenFrom(found.body),
      organisationId: westbury.id,
      peerGroup: 'Town councils',
      q: 'westbury',
    });
    expect(invited.statusCode).toBe(303);
    expect(text((await agency.get('/sector/members')).body)).toContain(
      '17 member organisations, and 2 invitations waiting for an answer',
    );
    const westburyScope = t.storage.scope(westbury.id, { userId: null, label: 'test' });
    const membership = (await westburyScope.sector.memberships())[0];
    expect(membership).toMatchObject({ status: 'invited', peerGroup: 'Town councils' });
    const page = await agency.get('/sector/members');
    const ended = await agency.post(`/sector/members/${membership?.id}/end`, {
      _csrf: csrfTokenFrom(page.body),
    });
    expect(ended.statusCode).toBe(303);
    expect((await westburyScope.sector.memberships())[0]?.status).toBe('ended');
    const westburyLog = (await westburyScope.auditLog(50)).map((e) => e.action);
    expect(westburyLog).toEqual(['sector.invitation_withdrawn', 'sector.member_invited']);
    const agencyLog = (await (await scopeOf(t, 'demo-improvement-agency')).auditLog(50))
      .filter((e) => e.entityId === membership?.id)
      .map((e) => e.action);
    expect(agencyLog).toEqual(['sector.invitation_withdrawn', 'sector.member_invited']);
  });

  it('shows the distribution across sharing members with its count and period', async () => {
    const doc = await json(agency, '/sector/benchmarks.json');
    expect(doc.membersSharing.results).toBe(14);
    expect(doc.minimumOrganisations).toBe(5);
    const learning = doc.capabilities.find((c) => c.name === 'Organisational Learning');
    expect(learning?.allMembers).toMatchObject({ shown: true, organisations: 14 });
    const page = text((await agency.get('/sector/benchmarks')).body);
    expect(page).toContain('14 members share finalised assessment results');
    expect(page).toMatch(/Rounds finalised \d+ \w+ 20\d\d/);
    // Seven councils share their planning chain: a service benchmark appears.
    expect(doc.services[0]?.serviceType).toBe('planning-applications');
    expect(doc.services[0]?.measures[0]?.allMembers).toMatchObject({
      shown: true,
      organisations: 7,
    });
  });

  it('hides a small peer group, and the group whose difference would reveal it, everywhere', async () => {
    const token = await apiTokenFor(t, AGENCY_ADMIN, 'sector test');
    for (const [group, reason] of [
      ['Unitary authorities', 'too-few'],
      ['District councils', 'protects-another-group'],
    ] as const) {
      const q = `?group=${encodeURIComponent(group)}`;
      const doc = await json(agency, `/sector/benchmarks.json${q}`);
      const viaApi = JSON.parse((await api(token, `/api/sector/benchmarks${q}`)).body) as Doc;
      for (const d of [doc, viaApi]) {
        expect(d.peerGroup).toBe(group);
        for (const c of d.capabilities) {
          expect(c.peerGroupFigure).toEqual({ shown: false, hidden: reason });
          expect(c.allMembers.organisations).toBe(14);
        }
      }
      const csv = (await agency.get(`/sector/benchmarks.csv${q}`)).body;
      const groupRows = csv.split('\r\n').filter((l) => l.includes(`,${group},`));
      expect(groupRows).toHaveLength(5);
      for (const row of groupRows) expect(row).toMatch(new RegExp(`,${group},,,,,,,Hidden`));
      const page = text((await agency.get(`/sector/benchmarks${q}`)).body);
      expect(page).toContain(
        reason === 'too-few'
          ? 'Hidden: fewer than 5 organisations'
          : 'Hidden: showing it would reveal a smaller group',
      );
    }
    // The large group is shown; with it and all members, nothing smaller than five is isolated.
    const metropolitan = await json(
      agency,
      `/sector/benchmarks.json?group=${encodeURIComponent('Metropolitan boroughs')}`,
    );
    expect(metropolitan.capabilities[0]?.peerGroupFigure).toMatchObject({
      shown: true,
      organisations: 6,
    });
  });

  it('lets the minimum be raised but never lowered below five, and applies it at once', async () => {
    const page = await agency.get('/sector/members');
    const low = await agency.post('/sector/settings', {
      _csrf: csrfTokenFrom(page.body),
      minimum: '4',
    });
    expect(low.statusCode).toBe(400);
    expect(text(low.body)).toContain('The minimum cannot be below 5 organisations');
    const raised = await agency.post('/sector/settings', {
      _csrf: csrfTokenFrom(page.body),
      minimum: '7',
    });
    expect(raised.statusCode).toBe(303);
    const doc = await json(
      agency,
      `/sector/benchmarks.json?group=${encodeURIComponent('Metropolitan boroughs')}`,
    );
    expect(doc.minimumOrganisations).toBe(7);
    expect(doc.capabilities[0]?.peerGroupFigure).toEqual({ shown: false, hidden: 'too-few' });
    await agency.post('/sector/settings', { _csrf: csrfTokenFrom(page.body), minimum: '5' });
  });

  it('uses a member’s results only while it shares them with that institution', async () => {
    const otherToken = await apiTokenFor(t, OTHER_ADMIN, 'other test');
    const allHidden = async () => {
      const doc = await json(other, '/sector/benchmarks.json');
      const viaApi = JSON.parse((await api(otherToken, '/api/sector/benchmarks')).body) as Doc;
      const csv = (await other.get('/sector/benchmarks.csv')).body;
      const page = text((await other.get('/sector/benchmarks')).body);
      return { doc, viaApi, csv, page };
    };
    // Four share with this institution: Eastwick shares only with the demo agency.
    let seen = await allHidden();
    for (const d of [seen.doc, seen.viaApi]) {
      expect(d.membersSharing.results).toBe(4);
      for (const c of d.capabilities) {
        expect(c.allMembers).toEqual({ shown: false, hidden: 'too-few' });
        expect(JSON.stringify(c.allMembers)).not.toMatch(/\d/);
      }
    }
    for (const row of seen.csv.split('\r\n').slice(1, -1))
      expect(row).toMatch(/,All members,,,,,,,Hidden: fewer than 5 organisations$/);
    expect(seen.page).not.toContain('Adequate');

    // Eastwick shares its results with this institution too: five, so figures appear.
    const membershipId = otherMemberships.get('eastwick') ?? '';
    const page = await eastwick.get('/sector/memberships');
    expect(text(page.body)).toContain('Other Improvement Agency');
    const shared = await eastwick.post(`/sector/memberships/${membershipId}/sharing`, {
      _csrf: csrfTokenFrom(page.body),
      kinds: ['results'],
    });
    expect(shared.statusCode).toBe(303);
    seen = await allHidden();
    for (const d of [seen.doc, seen.viaApi]) {
      expect(d.membersSharing.results).toBe(5);
      expect(d.capabilities[0]?.allMembers).toMatchObject({ shown: true, organisations: 5 });
    }
    expect(seen.csv).toMatch(/,All members,5,/);

    // Withdrawn: absent from every benchmark computed after.
    const withdrawn = await eastwick.post(`/sector/memberships/${membershipId}/sharing`, {
      _csrf: csrfTokenFrom(page.body),
    });
    expect(withdrawn.statusCode).toBe(303);
    seen = await allHidden();
    for (const d of [seen.doc, seen.viaApi]) {
      expect(d.membersSharing.results).toBe(4);
      expect(d.capabilities[0]?.allMembers).toEqual({ shown: false, hidden: 'too-few' });
    }
    // The demo agency, which Eastwick still shares with, still counts it.
    expect((await json(agency, '/sector/benchmarks.json')).membersSharing.results).toBe(14);
  });

  it('records invitation, acceptance, sharing and withdrawal in both organisations’ audit logs', async () => {
    const membership = (await (await scopeOf(t, 'demo-borough-council')).sector.memberships())[0];
    expect(membership?.status).toBe('invited');
    const page = await council.get('/sector/memberships');
    expect(text(page.body)).toContain('Demo Local Government Improvement Agency');
    const csrf = csrfTokenFrom(page.body);
    const accepted = await council.post(`/sector/memberships/${membership?.id}/respond`, {
      _csrf: csrf,
      answer: 'accept',
    });
    expect(accepted.statusCode).toBe(303);
    // A member shares nothing by default: still fourteen.
    expect((await json(agency, '/sector/benchmarks.json')).membersSharing.results).toBe(14);
    const counted = async () =>
      (await json(agency, '/sector/benchmarks.json')).capabilities[0]?.allMembers.organisations;
    await council.post(`/sector/memberships/${membership?.id}/sharing`, {
      _csrf: csrf,
      kinds: ['results', 'register'],
    });
    expect(await counted()).toBe(15);
    // The member sees its own position beside the sector's.
    const own = text((await council.get('/sector/benchmarks')).body);
    expect(own).toContain('Your organisation');
    expect((await json(council, '/sector/benchmarks.json')).capabilities[0]?.own).not.toBeNull();
    await council.post(`/sector/memberships/${membership?.id}/sharing`, {
      _csrf: csrf,
      kinds: ['register'],
    });
    expect(await counted()).toBe(14);

    for (const slug of ['demo-borough-council', 'demo-improvement-agency']) {
      const log = await (await scopeOf(t, slug)).auditLog(500);
      const actions = log.filter((e) => e.entityId === membership?.id).map((e) => e.action);
      expect(actions, slug).toEqual(
        expect.arrayContaining([
          'sector.member_invited',
          'sector.invitation_accepted',
          'sector.data_shared',
          'sector.data_withdrawn',
        ]),
      );
      expect(
        actions.filter((a) => a === 'sector.data_shared'),
        slug,
      ).toHaveLength(2);
    }
    // The institution's log names who acted for the member, without their e-mail address.
    const agencyLog = await (await scopeOf(t, 'demo-improvement-agency')).auditLog(500);
    const withdrawal = agencyLog.find((e) => e.action === 'sector.data_withdrawn');
    expect(withdrawal?.actorLabel).toBe('Alex Morgan (Demo Borough Council)');
    expect(withdrawal?.actorUserId).toBeNull();
    const words = text((await agency.get('/organisation/audit')).body);
    expect(words).toContain('stopped sharing finalised assessment results of Demo Borough Council');
  });

  it('takes a member’s newer finalised round into the benchmarks computed after it', async () => {
    const eastwickScope = await scopeOf(t, 'eastwick');
    const before = await eastwickScope.sector.ownLevels();
    expect(before.map((l) => l.level)).not.toEqual([1, 1, 1, 1, 1]);
    const admin = await t.storage.platform.findUserByEmail('admin@eastwick.example');
    const acting = t.storage.scope(eastwickScope.organisationId, {
      userId: admin?.id ?? null,
      label: 'test',
    });
    const roundId = await finaliseAgreedRound(acting, defaultFramework, {
      title: 'Capability check, winter 2026',
      opensOn: '2026-11-01',
      closesOn: '2026-11-20',
      levels: [1, 1, 1, 1, 1],
    });
    const doc = await json(agency, '/sector/benchmarks.json');
    expect(doc.membersSharing.results).toBe(14);
    const after = await eastwickScope.sector.ownLevels();
    expect(after.map((l) => l.level)).toEqual([1, 1, 1, 1, 1]);
    expect(after.every((l) => l.roundId === roundId)).toBe(true);
  });

  it('describes the benchmarks in the OpenAPI document, behind a token', async () => {
    const spec = JSON.parse((await t.app.inject({ url: '/api/openapi.json' })).body) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(spec.paths)).toContain('/api/sector/benchmarks');
    const anonymous = await t.app.inject({ url: '/api/sector/benchmarks' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('finds nothing of another organisation’s memberships or institutions (404)', async () => {
    const page = await council.get('/sector/memberships');
    const csrf = csrfTokenFrom(page.body);
    const ashfordWithAgency = (await (await scopeOf(t, 'ashford-vale')).sector.memberships()).find(
      (m) => m.institutionId === agencyId,
    );
    for (const id of [
      ashfordWithAgency?.id ?? '',
      otherMemberships.get('brindley') ?? '',
      newId(),
    ]) {
      expect(
        (
          await council.post(`/sector/memberships/${id}/sharing`, {
            _csrf: csrf,
            kinds: ['results'],
          })
        ).statusCode,
      ).toBe(404);
      expect(
        (await council.post(`/sector/memberships/${id}/end`, { _csrf: csrf })).statusCode,
      ).toBe(404);
      expect(
        (
          await council.post(`/sector/memberships/${id}/respond`, {
            _csrf: csrf,
            answer: 'decline',
          })
        ).statusCode,
      ).toBe(404);
    }
    // The other institution cannot end the demo agency's membership.
    const otherPage = await other.get('/sector/members');
    expect(
      (
        await other.post(`/sector/members/${ashfordWithAgency?.id}/end`, {
          _csrf: csrfTokenFrom(otherPage.body),
        })
      ).statusCode,
    ).toBe(404);
    const still = (await (await scopeOf(t, 'ashford-vale')).sector.memberships()).find(
      (m) => m.id === ashfordWithAgency?.id,
    );
    expect(still?.status).toBe('active');
    expect(still?.sharing).toContain('results');
    // A member cannot read the benchmarks of an institution it does not belong to.
    expect((await council.get(`/sector/benchmarks?institution=${otherId}`)).statusCode).toBe(404);
    expect((await council.get(`/sector/benchmarks.json?institution=${otherId}`)).statusCode).toBe(
      404,
    );
    const councilToken = await apiTokenFor(t, COUNCIL_ADMIN, 'council sector');
    expect(
      (await api(councilToken, `/api/sector/benchmarks?institution=${otherId}`)).statusCode,
    ).toBe(404);
    // A public body has no members page; an institution has no memberships page.
    expect((await council.get('/sector/members')).statusCode).toBe(404);
    expect((await agency.get('/sector/memberships')).statusCode).toBe(404);
  });

  it('lets only admins answer invitations and change sharing, and leads tag chains', async () => {
    const lead = new Client(t.app);
    await lead.signIn(COUNCIL_LEAD);
    const membership = (await (await scopeOf(t, 'demo-borough-council')).sector.memberships())[0];
    const page = await lead.get('/sector/memberships');
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Only your organisation’s admins can accept invitations');
    const res = await lead.post(`/sector/memberships/${membership?.id}/sharing`, {
      _csrf: csrfTokenFrom(page.body),
      kinds: ['results'],
    });
    expect(res.statusCode).toBe(403);
    const planner = new Client(t.app);
    await planner.signIn(COUNCIL_MEMBER);
    const chainId = (await (await scopeOf(t, 'demo-borough-council')).chains.list())[0]?.id ?? '';
    const tag = await planner.post('/sector/services', {
      _csrf: csrfTokenFrom((await planner.get('/sector/memberships')).body),
      chainId,
      serviceType: 'planning-applications',
    });
    expect(tag.statusCode).toBe(403);
    const forged = await lead.post('/sector/services', {
      _csrf: csrfTokenFrom(page.body),
      chainId,
      serviceType: 'not-a-service',
    });
    expect(forged.statusCode).toBe(400);
    expect(text(forged.body)).toContain('Choose a kind of service from the list');
  });

  it('ends a membership from the member’s side and stops all sharing', async () => {
    const membership = (await (await scopeOf(t, 'demo-borough-council')).sector.memberships())[0];
    const page = await council.get('/sector/memberships');
    const res = await council.post(`/sector/memberships/${membership?.id}/end`, {
      _csrf: csrfTokenFrom(page.body),
    });
    expect(res.statusCode).toBe(303);
    const after = (await (await scopeOf(t, 'demo-borough-council')).sector.memberships())[0];
    expect(after?.status).toBe('ended');
    expect(after?.sharing).toEqual([]);
    expect(text((await agency.get('/sector/members')).body)).toContain('17 member organisations.');
  });
});
