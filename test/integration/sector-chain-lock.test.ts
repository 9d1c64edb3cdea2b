// The locked structure of a convened chain, through HTTP and the stores, on every configured
// database (issue 15, point 3). Once the agency convenes the criminal-justice chain, its structure
// (stages, who runs each, routes, owners) is the agency's alone:
//  - a member's forged stage form carrying structural fields changes only its own stage's figures;
//  - a member's write that changes anything else — built by hand, past the form — is refused and
//    changes nothing, even for the stage it owns;
//  - a member cannot reach the agency's chain editor, owners form or delete (404, nothing changes);
//  - when the agency changes the structure, the change is audited in its log and in every stage
//    owner's log in plain words, and the owner of a removed stage loses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryChain } from '../../src/domain/chain/index.ts';
import { onlyStageFiguresChanged } from '../../src/domain/sector/index.ts';
import type { OrgScope } from '../../src/storage/index.ts';
import { Client, csrfTokenFrom, scopeOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const POLICE_ADMIN = 'admin@demo-constabulary.example';

describe.each(testDatabases)('a convened chain’s locked structure on $name', (factory) => {
  let t: TestApp;
  let police: Client;
  let agencyScope: OrgScope;
  let policeScope: OrgScope;
  let sharedId: string;

  const stored = async () => {
    const shared = await agencyScope.sharedChains.get(sharedId);
    if (!shared) throw new Error('shared chain missing');
    return shared;
  };
  const logOf = async (slug: string) => (await scopeOf(t, slug)).auditLog(500);

  beforeAll(async () => {
    t = await startTestApp(factory);
    agencyScope = await scopeOf(t, 'demo-improvement-agency');
    policeScope = await scopeOf(t, 'demo-constabulary');
    sharedId = (await agencyScope.sharedChains.convened())[0]?.id ?? '';
    police = new Client(t.app);
    await police.signIn(POLICE_ADMIN);
  }, 240_000);

  afterAll(async () => {
    await t?.close();
  });

  it('takes only the figures from a member’s forged form that also names structure', async () => {
    const before = await stored();
    const form = await police.get(`/sector/chains/${sharedId}/stages/police`);
    const res = await police.post(`/sector/chains/${sharedId}/stages/police`, {
      _csrf: csrfTokenFrom(form.body),
      revision: String(before.revision),
      servers: '9',
      meanHours: '6',
      costPerServerHour: '40',
      // Forged: structure the form does not offer.
      name: 'Police (renamed)',
      organisation: 'Someone else',
      'routes[0][to]': 'courts',
      to: 'courts',
      stageId: 'courts',
      'owner-courts': policeScope.organisationId,
    });
    expect(res.statusCode).toBe(303);
    const after = await stored();
    expect(after.revision).toBe(before.revision + 1);
    expect(onlyStageFiguresChanged(before.model, after.model, 'police')).toBe(true);
    expect(after.model.stages.find((s) => s.id === 'police')?.servers).toBe(9);
    expect(after.stages).toEqual(before.stages);
  });

  it('refuses a member’s write that changes anything but its own stage’s figures', async () => {
    const before = await stored();
    const police = (model: DeliveryChain) =>
      policeScope.sharedChains.updateOwnStage(sharedId, 'police', before.revision, model, {});
    const renamed = {
      ...before.model,
      stages: before.model.stages.map((s) =>
        s.id === 'police' ? { ...s, name: 'Our stage now' } : s,
      ),
    };
    const rerouted = {
      ...before.model,
      stages: before.model.stages.map((s) =>
        s.id === 'police' ? { ...s, routes: [{ to: 'courts', probability: 1 }] } : s,
      ),
    };
    const courtsFaster = {
      ...before.model,
      stages: before.model.stages.map((s) =>
        s.id === 'courts' ? { ...s, servers: s.servers + 5 } : s,
      ),
    };
    const noInterventions = { ...before.model, interventions: [] };
    for (const model of [renamed, rerouted, courtsFaster, noInterventions])
      expect(await police(model as DeliveryChain)).toBe(false);
    const after = await stored();
    expect(after.revision).toBe(before.revision);
    expect(JSON.stringify(after.model)).toBe(JSON.stringify(before.model));
  });

  it('keeps the agency’s chain editor, owners form and delete out of a member’s reach', async () => {
    const before = await stored();
    const csrf = csrfTokenFrom((await police.get(`/sector/chains/${sharedId}`)).body);
    const attempts = [
      [`/sector/chains/${sharedId}/owners`, { 'owner-courts': policeScope.organisationId }],
      [`/sector/chains/${sharedId}/stop`, {}],
      [`/chains/${before.chainId}/details`, { name: 'Taken over', description: '' }],
      [`/chains/${before.chainId}/stages/courts/remove`, {}],
      [`/chains/${before.chainId}/delete`, {}],
    ] as const;
    for (const [url, form] of attempts)
      expect((await police.post(url, { _csrf: csrf, ...form })).statusCode, url).toBe(404);
    const after = await stored();
    expect(after.revision).toBe(before.revision);
    expect(after.stages).toEqual(before.stages);
    expect(after.name).toBe(before.name);
  });

  it('tells every owner when the agency changes the structure, and a removed stage loses its owner', async () => {
    const before = await stored();
    const changed = {
      ...before.model,
      interventions: [],
      stages: before.model.stages
        .filter((s) => s.id !== 'courts')
        .map((s) =>
          s.id === 'prosecution'
            ? {
                ...s,
                routes: s.routes.map((r) => (r.to === 'courts' ? { ...r, to: 'concluded' } : r)),
              }
            : s.id === 'police'
              ? { ...s, name: 'Investigation' }
              : s,
        ),
    };
    const agency = t.storage.scope(agencyScope.organisationId, {
      userId: null,
      label: 'Agency analyst',
    });
    expect(
      await agency.chains.update(before.chainId, changed as DeliveryChain, {
        action: 'chain.updated',
      }),
    ).toBe(true);
    const after = await stored();
    expect(after.stages.map((s) => s.stageId).sort()).toEqual(['police', 'prosecution']);
    for (const slug of [
      'demo-improvement-agency',
      'demo-constabulary',
      'demo-cps',
      'demo-magistrates',
    ]) {
      const event = (await logOf(slug)).find((e) => e.action === 'sector.chain_structure_changed');
      expect(event, slug).toBeDefined();
      const words = String(event?.details.changes);
      expect(words).toContain('stage Court hearings removed');
      expect(words).toContain('stage Investigation and witness statements renamed Investigation');
    }
    const own = (await logOf('demo-magistrates')).find(
      (e) => e.action === 'sector.chain_structure_changed',
    );
    expect(own?.actorLabel).toBe('Demo Local Government Improvement Agency (convener)');
    // The court no longer owns a stage, so it no longer sees the chain.
    const court = new Client(t.app);
    await court.signIn('admin@demo-magistrates.example');
    expect((await court.get(`/sector/chains/${sharedId}`)).statusCode).toBe(404);
    // A change of figures only, to a stage nobody owns, tells no member.
    const count = async () =>
      (await logOf('demo-cps')).filter((e) => e.action === 'sector.chain_structure_changed').length;
    const cpsEvents = await count();
    const current = (await stored()).model;
    await agency.chains.update(
      before.chainId,
      { ...current, demand: current.demand.map((d) => ({ ...d, rate: d.rate * 1.1 })) },
      { action: 'chain.updated' },
    );
    expect(await count()).toBe(cpsEvents);
  });
});
