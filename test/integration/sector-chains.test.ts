// Shared delivery chains through HTTP, on every configured database (issue 15, points 3 and 9). The
// demo agency shares the criminal-justice chain (police → Crown Prosecution Service → magistrates'
// court, with the witness-statement rework loop); each stage is owned by the partner that runs it.
// The tests prove that:
//  - each member sees the whole chain (page and API) only while it owns a stage and shares chain
//    measures with the agency; withdrawing the consent hides it everywhere;
//  - a member changes only its own stage: a forged form for another member's stage is not found
//    and changes nothing; a stale form never overwrites someone else's change;
//  - speeding up the police stage moves the bottleneck to the court, and the whole-chain scenario
//    shows the court overloaded by an improvement upstream;
//  - every change is in both the member's and the agency's audit logs;
//  - other organisations (members not in the chain, other tenants) find nothing (404).
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
const POLICE_ADMIN = 'admin@demo-constabulary.example';
const CPS_ADMIN = 'admin@demo-cps.example';

describe.each(testDatabases)('shared delivery chains on $name', (factory) => {
  let t: TestApp;
  let agency: Client;
  let police: Client;
  let cps: Client;
  let sharedId: string;
  let agencyScope: OrgScope;

  const revision = async () => (await agencyScope.sharedChains.get(sharedId))?.revision;
  const actions = async (slug: string) =>
    (await (await scopeOf(t, slug)).auditLog(500)).map((e) => e.action);

  beforeAll(async () => {
    t = await startTestApp(factory);
    agencyScope = await scopeOf(t, 'demo-improvement-agency');
    sharedId = (await agencyScope.sharedChains.convened())[0]?.id ?? '';
    agency = new Client(t.app);
    await agency.signIn(AGENCY_ADMIN);
    police = new Client(t.app);
    await police.signIn(POLICE_ADMIN);
    cps = new Client(t.app);
    await cps.signIn(CPS_ADMIN);
  }, 240_000);

  afterAll(async () => {
    await t?.close();
  });

  it('shows every owner the whole chain, its bottleneck and the scenarios across organisations', async () => {
    expect(sharedId).not.toBe('');
    for (const client of [agency, police, cps]) {
      const page = await client.get(`/sector/chains/${sharedId}`);
      expect(page.statusCode).toBe(200);
      const body = text(page.body);
      expect(body).toContain('The bottleneck: Investigation and witness statements');
      expect(body).toContain('Crown Prosecution Service, Demo Area');
      // The police-only view moves the constraint to the court, run by another organisation.
      expect(body).toContain(
        'The bottleneck moves from Investigation and witness statements (Demo Constabulary) to Court hearings (Demo Magistrates’ Court)',
      );
      // The whole-chain scenario: the court is overloaded by the change upstream.
      expect(body).toContain('Court hearings (Demo Magistrates’ Court) becomes overloaded');
    }
    const list = text((await police.get('/sector/chains')).body);
    expect(list).toContain('Criminal cases: police → prosecution → courts');
    expect(list).toContain('You own 1 of its stages');
  });

  it('lets the police change its own stage, and the bottleneck moves to the court', async () => {
    const form = await police.get(`/sector/chains/${sharedId}/stages/police`);
    expect(form.statusCode).toBe(200);
    const before = await revision();
    const res = await police.post(`/sector/chains/${sharedId}/stages/police`, {
      _csrf: csrfTokenFrom(form.body),
      revision: String(before),
      servers: '9',
      meanHours: '6',
      costPerServerHour: '40',
    });
    expect(res.statusCode).toBe(303);
    expect(await revision()).toBe((before ?? 0) + 1);
    const page = text((await cps.get(`/sector/chains/${sharedId}`)).body);
    expect(page).toContain('The bottleneck: Court hearings');
    expect(await actions('demo-constabulary')).toContain('sector.chain_stage_updated');
    expect(await actions('demo-improvement-agency')).toContain('sector.chain_stage_updated');
  });

  it('refuses a forged form for another member’s stage and changes nothing', async () => {
    const page = await cps.get(`/sector/chains/${sharedId}`);
    const csrf = csrfTokenFrom(page.body);
    const before = await revision();
    const model = JSON.stringify((await agencyScope.sharedChains.get(sharedId))?.model);
    for (const stage of ['police', 'courts', 'nowhere']) {
      const res = await cps.post(`/sector/chains/${sharedId}/stages/${stage}`, {
        _csrf: csrf,
        revision: String(before),
        servers: '1',
        meanHours: '100',
        costPerServerHour: '1',
      });
      expect(res.statusCode, stage).toBe(404);
      expect((await cps.get(`/sector/chains/${sharedId}/stages/${stage}`)).statusCode).toBe(404);
    }
    // The institution convenes the chain but does not own a stage's figures here either.
    const byAgency = await agency.post(`/sector/chains/${sharedId}/stages/police`, {
      _csrf: csrfTokenFrom((await agency.get(`/sector/chains/${sharedId}`)).body),
      revision: String(before),
      meanHours: '100',
    });
    expect(byAgency.statusCode).toBe(404);
    expect(await revision()).toBe(before);
    expect(JSON.stringify((await agencyScope.sharedChains.get(sharedId))?.model)).toBe(model);
  });

  it('says what is wrong beside the field, and never overwrites a newer change', async () => {
    const form = await cps.get(`/sector/chains/${sharedId}/stages/prosecution`);
    const csrf = csrfTokenFrom(form.body);
    const before = await revision();
    const bad = await cps.post(`/sector/chains/${sharedId}/stages/prosecution`, {
      _csrf: csrf,
      revision: String(before),
      servers: '2.5',
      meanHours: 'soon',
      costPerServerHour: '55',
      reworkPercent: '10',
    });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Enter the hours per case as a number');
    expect(text(bad.body)).toContain('Enter the number of staff as a whole number');
    const stale = await cps.post(`/sector/chains/${sharedId}/stages/prosecution`, {
      _csrf: csrf,
      revision: String((before ?? 0) - 1),
      servers: '5',
      meanHours: '4',
      costPerServerHour: '55',
      reworkPercent: '5',
    });
    expect(stale.statusCode).toBe(409);
    expect(await revision()).toBe(before);
    // The rework loop: the CPS halves the files it sends back to the police.
    const ok = await cps.post(`/sector/chains/${sharedId}/stages/prosecution`, {
      _csrf: csrf,
      revision: String(before),
      servers: '5',
      meanHours: '4',
      costPerServerHour: '55',
      reworkPercent: '5',
    });
    expect(ok.statusCode).toBe(303);
    const stage = (await agencyScope.sharedChains.get(sharedId))?.model.stages.find(
      (s) => s.id === 'prosecution',
    );
    const back = stage?.routes.find((r) => r.to === 'police')?.probability ?? 0;
    expect(back).toBeCloseTo(0.05, 6);
  });

  it('hides the chain from a member that stops sharing chain measures — page, form and API', async () => {
    const cpsScope = await scopeOf(t, 'demo-cps');
    const membership = (await cpsScope.sector.memberships()).find((m) => m.status === 'active');
    expect(membership).toBeDefined();
    const token = await apiTokenFor(t, CPS_ADMIN, 'chains');
    const api = (url: string) =>
      t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect((await api(`/api/sector/chains/${sharedId}`)).statusCode).toBe(200);
    await cpsScope.sector.setSharing(membership?.id ?? '', 'chain_measures', false);
    try {
      expect((await cps.get(`/sector/chains/${sharedId}`)).statusCode).toBe(404);
      expect((await cps.get(`/sector/chains/${sharedId}/stages/prosecution`)).statusCode).toBe(404);
      expect((await api(`/api/sector/chains/${sharedId}`)).statusCode).toBe(404);
      const listed = JSON.parse((await api('/api/sector/chains')).body) as {
        visible: boolean;
        stages?: unknown;
      }[];
      expect(listed).toHaveLength(1);
      expect(listed[0]?.visible).toBe(false);
      const page = text((await cps.get('/sector/chains')).body);
      expect(page).toContain('You see this chain once your organisation shares delivery-chain');
      expect(page).not.toContain(`/sector/chains/${sharedId}"`);
    } finally {
      await cpsScope.sector.setSharing(membership?.id ?? '', 'chain_measures', true);
    }
    expect((await cps.get(`/sector/chains/${sharedId}`)).statusCode).toBe(200);
  });

  it('finds nothing for organisations outside the chain, and for ids that are not shared chains', async () => {
    // Ashford Vale is an active member that shares chain measures, but owns no stage.
    const ashford = new Client(t.app);
    await ashford.signIn('admin@ashford-vale.example');
    const council = new Client(t.app);
    await council.signIn('admin@demo-council.example');
    for (const client of [ashford, council]) {
      expect((await client.get(`/sector/chains/${sharedId}`)).statusCode).toBe(404);
      expect((await client.get(`/sector/chains/${sharedId}/stages/police`)).statusCode).toBe(404);
    }
    const chainId = (await agencyScope.sharedChains.get(sharedId))?.chainId ?? '';
    for (const id of [newId(), chainId, 'not-an-id'])
      expect((await police.get(`/sector/chains/${id}`)).statusCode).toBe(404);
    // The institution's own chain pages stay its own.
    expect((await police.get(`/chains/${chainId}`)).statusCode).toBe(404);
    const token = await apiTokenFor(t, 'admin@ashford-vale.example', 'chains');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/sector/chains/${sharedId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(404);
  });

  it('describes shared chains and both registers in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys((JSON.parse(res.body) as { paths: Record<string, unknown> }).paths);
    for (const path of [
      '/api/sector/chains',
      '/api/sector/chains/{id}',
      '/api/sector/register',
      '/api/sector/suppliers',
    ])
      expect(paths).toContain(path);
  });

  it('lets the institution name owners only among its active members, audited on both sides', async () => {
    const page = await agency.get(`/sector/chains/${sharedId}`);
    const csrf = csrfTokenFrom(page.body);
    const council = await scopeOf(t, 'demo-borough-council');
    const refused = await agency.post(`/sector/chains/${sharedId}/owners`, {
      _csrf: csrf,
      'owner-courts': council.organisationId,
    });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('Choose one of your members for Court hearings');
    const police = await scopeOf(t, 'demo-constabulary');
    const moved = await agency.post(`/sector/chains/${sharedId}/owners`, {
      _csrf: csrf,
      'owner-courts': police.organisationId,
    });
    expect(moved.statusCode).toBe(303);
    const owners = (await agencyScope.sharedChains.get(sharedId))?.stages ?? [];
    expect(owners.find((s) => s.stageId === 'courts')?.ownerId).toBe(police.organisationId);
    expect(await actions('demo-constabulary')).toContain('sector.chain_stage_assigned');
    expect(await actions('demo-magistrates')).toContain('sector.chain_stage_assigned');
    // A member cannot name owners.
    const forged = await cps.post(`/sector/chains/${sharedId}/owners`, {
      _csrf: csrfTokenFrom((await cps.get(`/sector/chains/${sharedId}`)).body),
      'owner-police': (await scopeOf(t, 'demo-cps')).organisationId,
    });
    expect(forged.statusCode).toBe(404);
  });
});
