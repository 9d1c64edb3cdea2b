// Issue 17, point 4: delivery chains through the API — replace a chain at a known revision (409 on
// a stale one), add, replace and remove its interventions, run a simulation as a job and read its
// figures back: the same figures the simulate page shows for the same settings. Role and scope
// refusals, and another organisation's ids answered 404 with nothing changed, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimate, pct } from '../../src/web/chains/format.ts';
import { apiTokenFor, Client, scopeOf, startTestApp, text, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const ADMIN = 'admin@demo-council.example';
const LEAD = 'lead@demo-council.example';
const MEMBER = 'planner@demo-council.example';
const INSTITUTION_ADMIN = 'admin@demo-institution.example';

interface Figure {
  mean: number | null;
  halfWidth: number | null;
  low: number | null;
  high: number | null;
}
interface Simulation {
  id: string;
  status: string;
  revision: number;
  settings: { seed: number; replications: number; weeks: number };
  interventions: string[];
  result: {
    replications: number;
    throughputPerWeek: Figure;
    leadTimeHours: { mean: Figure; median: Figure; p90: Figure };
    stages: { id: string; name: string; utilisation: Figure; waitingHours: Figure }[];
    bindingConstraint: { stageId: string };
  } | null;
  error: string | null;
}

const figure = (f: Figure) => ({
  mean: f.mean ?? Number.NaN,
  halfWidth: f.halfWidth ?? Number.NaN,
  low: f.low ?? Number.NaN,
  high: f.high ?? Number.NaN,
});

describe.each(testDatabases)('delivery chains through the API ($name)', (factory) => {
  let t: TestApp;
  let admin: string;
  let planningId: string;
  let theirChainId: string;

  const call = (method: string, url: string, token: string, payload?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  /** A token made through the page by `email` with the given scope fields. */
  async function scopedToken(email: string, form: Record<string, string | string[]>) {
    const client = new Client(t.app);
    await client.signIn(email);
    const res = await client.submit('/organisation/api-tokens', '/organisation/api-tokens', {
      name: 'scoped',
      expiry: '30',
      ...form,
    });
    return /id="api-token">(tl_pat_[A-Za-z0-9_-]+)</.exec(res.body)?.[1] ?? '';
  }

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    admin = await apiTokenFor(t, ADMIN, 'Chains API');
    const chains = (await call('GET', '/api/chains', admin)).json<{
      chains: { id: string; name: string }[];
    }>().chains;
    planningId = chains.find((c) => c.name === 'Planning permit applications')?.id ?? '';
    const theirs = await scopeOf(t, 'demo-improvement-agency');
    theirChainId = (await theirs.chains.list())[0]?.id ?? '';
    expect(planningId).not.toBe('');
    expect(theirChainId).not.toBe('');
  });
  afterAll(async () => {
    await t.close();
  });

  const chainNow = async () => {
    const res = await call('GET', `/api/chains/${planningId}`, admin);
    return res.json<{ revision: number; chain: Record<string, unknown> }>();
  };

  it('replaces a chain at the revision it was read at; a stale revision gets 409 and stores nothing', async () => {
    const before = await chainNow();
    const changed = { ...before.chain, description: 'Changed through the API' };
    const saved = await call('PUT', `/api/chains/${planningId}`, admin, {
      revision: before.revision,
      chain: changed,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ id: planningId, revision: before.revision + 1 });
    const after = await chainNow();
    expect(after.revision).toBe(before.revision + 1);
    expect(after.chain.description).toBe('Changed through the API');

    // The same change again against the old revision: refused, naming the current one.
    const stale = await call('PUT', `/api/chains/${planningId}`, admin, {
      revision: before.revision,
      chain: { ...before.chain, description: 'Lost update' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'stale_revision', revision: after.revision });
    expect((await chainNow()).chain.description).toBe('Changed through the API');

    // A broken document: each issue named, nothing stored.
    const broken = await call('PUT', `/api/chains/${planningId}`, admin, {
      revision: after.revision,
      chain: { ...after.chain, demand: [{ stage: 'nowhere', rate: 1, per: 'week' }] },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json<{ issues: { message: string }[] }>().issues[0]?.message).toBe(
      'demand arrives at "nowhere", which is not a stage',
    );
    expect((await chainNow()).revision).toBe(after.revision);

    const audit = await (await scopeOf(t, 'demo-borough-council')).auditLog(20);
    expect(
      audit.some((e) => e.action === 'chain.updated' && JSON.stringify(e).includes('"via":"api"')),
    ).toBe(true);
  });

  it('adds, replaces and removes an intervention, as the pages allow', async () => {
    const list = await call('GET', `/api/chains/${planningId}/interventions`, admin);
    expect(list.statusCode).toBe(200);
    const { revision, interventions } = list.json<{
      revision: number;
      interventions: { id: string }[];
    }>();
    expect(interventions.map((i) => i.id)).toContain('faster-printing');

    const intervention = {
      id: 'faster-approval',
      name: 'Faster approval',
      changes: [{ kind: 'scaleServiceTime', stage: 'approval', factor: 0.8 }],
      typologyCells: [5],
    };
    const added = await call('POST', `/api/chains/${planningId}/interventions`, admin, {
      revision,
      intervention,
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toEqual({ id: 'faster-approval', revision: revision + 1 });
    const again = await call('POST', `/api/chains/${planningId}/interventions`, admin, {
      intervention,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: string }>().error).toBe('duplicate_intervention');

    const misfit = await call('POST', `/api/chains/${planningId}/interventions`, admin, {
      intervention: {
        id: 'nowhere',
        name: 'Speeds up a stage the chain has not got',
        changes: [{ kind: 'scaleServiceTime', stage: 'no-such-stage', factor: 0.5 }],
      },
    });
    expect(misfit.statusCode).toBe(400);
    expect(misfit.json<{ issues: { message: string }[] }>().issues[0]?.message).toMatch(
      /no-such-stage/,
    );

    const replaced = await call(
      'PUT',
      `/api/chains/${planningId}/interventions/faster-approval`,
      admin,
      { revision: revision + 1, intervention: { ...intervention, name: 'Much faster approval' } },
    );
    expect(replaced.statusCode).toBe(200);
    const stored = (await (await scopeOf(t, 'demo-borough-council')).chains.get(planningId))?.model;
    expect(stored?.interventions.find((i) => i.id === 'faster-approval')?.name).toBe(
      'Much faster approval',
    );

    // Removing against a revision that has moved on is refused; at the current one it goes.
    const stale = await call(
      'DELETE',
      `/api/chains/${planningId}/interventions/faster-approval?revision=${revision}`,
      admin,
    );
    expect(stale.statusCode).toBe(409);
    const removed = await call(
      'DELETE',
      `/api/chains/${planningId}/interventions/faster-approval?revision=${revision + 2}`,
      admin,
    );
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toEqual({ revision: revision + 3 });
    const gone = await call(
      'DELETE',
      `/api/chains/${planningId}/interventions/faster-approval`,
      admin,
    );
    expect(gone.statusCode).toBe(404);
  });

  it('simulates a chain as a job, and its figures are the ones the simulate page shows', async () => {
    const settings = { seed: 7, replications: 3, weeks: 10 };
    const started = await call('POST', `/api/chains/${planningId}/simulations`, admin, settings);
    expect(started.statusCode).toBe(202);
    const { id } = started.json<{ id: string }>();
    expect(started.headers.location).toBe(`/api/simulations/${id}`);
    await t.jobs.idle();
    const read = await call('GET', `/api/simulations/${id}`, admin);
    expect(read.statusCode).toBe(200);
    const simulation = read.json<Simulation>();
    expect(simulation).toMatchObject({ status: 'succeeded', settings, interventions: [] });
    const result = simulation.result;
    if (!result) throw new Error(`no result: ${simulation.error ?? ''}`);
    expect(result.replications).toBe(3);

    const lead = new Client(t.app);
    await lead.signIn(LEAD);
    const page = text(
      (await lead.get(`/chains/${planningId}/simulate?run=1&seed=7&replications=3&weeks=10`)).body,
    );
    expect(page).toContain(estimate(figure(result.throughputPerWeek)));
    expect(page).toContain(estimate(figure(result.leadTimeHours.mean)));
    expect(page).toContain(estimate(figure(result.leadTimeHours.p90)));
    for (const stage of result.stages) {
      expect(page).toContain(estimate(figure(stage.utilisation), 0, pct));
      expect(page).toContain(estimate(figure(stage.waitingHours)));
    }
    // Another seed gives other figures, so the comparison above can fail.
    const other = text(
      (await lead.get(`/chains/${planningId}/simulate?run=1&seed=8&replications=3&weeks=10`)).body,
    );
    expect(other).not.toContain(estimate(figure(result.leadTimeHours.p90)));

    // With an intervention applied first: the printing stage is quicker.
    const withIntervention = await call('POST', `/api/chains/${planningId}/simulations`, admin, {
      ...settings,
      interventions: ['faster-printing'],
    });
    expect(withIntervention.statusCode).toBe(202);
    await t.jobs.idle();
    const faster = (
      await call('GET', `/api/simulations/${withIntervention.json<{ id: string }>().id}`, admin)
    ).json<Simulation>();
    const printing = (s: Simulation) =>
      s.result?.stages.find((x) => x.id === 'printing')?.utilisation.mean ?? 0;
    expect(faster.status).toBe('succeeded');
    expect(printing(faster)).toBeLessThan(printing(simulation));

    for (const [body, error] of [
      [{ interventions: ['no-such-intervention'] }, 'invalid_interventions'],
      [{ replications: 500 }, 'invalid_request'],
      [{ weeks: 'many' }, 'invalid_request'],
    ] as const) {
      const refused = await call('POST', `/api/chains/${planningId}/simulations`, admin, body);
      expect(refused.statusCode).toBe(400);
      expect(refused.json<{ error: string }>().error).toBe(error);
    }
  });

  it('refuses by role and by scope, and answers 404 for another organisation’s ids', async () => {
    const member = await scopedToken(MEMBER, { write: ['chains'] });
    const readOnly = await scopedToken(ADMIN, { read: 'chains' });
    const { revision, chain } = await chainNow();
    const put = (token: string, id = planningId) =>
      call('PUT', `/api/chains/${id}`, token, { revision, chain });
    expect((await put(member)).statusCode).toBe(403);
    const scoped = await put(readOnly);
    expect(scoped.statusCode).toBe(403);
    expect(scoped.json<{ error: string }>().error).toBe('insufficient_scope');
    expect(
      (
        await call('POST', `/api/chains/${planningId}/interventions`, member, {
          intervention: { id: 'x', name: 'x', changes: [{ kind: 'scaleServiceTime' }] },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await call('DELETE', `/api/chains/${planningId}/interventions/faster-printing`, member))
        .statusCode,
    ).toBe(403);
    // A read-only token reads, but cannot start a simulation.
    expect(
      (await call('GET', `/api/chains/${planningId}/interventions`, readOnly)).statusCode,
    ).toBe(200);
    expect(
      (await call('POST', `/api/chains/${planningId}/simulations`, readOnly, {})).statusCode,
    ).toBe(403);
    expect((await chainNow()).revision).toBe(revision);

    // Another organisation's chain and simulation: 404 everywhere, nothing changed.
    const theirs = await scopeOf(t, 'demo-improvement-agency');
    const theirBefore = await theirs.chains.get(theirChainId);
    const theirRun = await t.storage
      .scope(theirs.organisationId, { userId: null, label: 'test' })
      .jobs.list();
    for (const [method, url, body] of [
      ['GET', `/api/chains/${theirChainId}/interventions`, undefined],
      ['PUT', `/api/chains/${theirChainId}`, { revision: theirBefore?.revision ?? 1, chain }],
      [
        'POST',
        `/api/chains/${theirChainId}/interventions`,
        {
          intervention: {
            id: 'y',
            name: 'y',
            changes: [{ kind: 'scaleServiceTime', stage: 'a', factor: 0.5 }],
          },
        },
      ],
      [
        'PUT',
        `/api/chains/${theirChainId}/interventions/any`,
        { intervention: { id: 'y', name: 'y', changes: [{ kind: 'x' }] } },
      ],
      ['DELETE', `/api/chains/${theirChainId}/interventions/any`, undefined],
      ['POST', `/api/chains/${theirChainId}/simulations`, {}],
    ] as const) {
      const res = await call(method, url, admin, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await theirs.chains.get(theirChainId))?.revision).toBe(theirBefore?.revision);
    expect(
      (await t.storage.scope(theirs.organisationId, { userId: null, label: 'test' }).jobs.list())
        .length,
    ).toBe(theirRun.length);

    // Their simulation is not ours to read.
    const institution = await apiTokenFor(t, INSTITUTION_ADMIN, 'Institution');
    const started = await call('POST', `/api/chains/${theirChainId}/simulations`, institution, {
      replications: 2,
      weeks: 8,
    });
    expect(started.statusCode).toBe(202);
    const theirId = started.json<{ id: string }>().id;
    expect((await call('GET', `/api/simulations/${theirId}`, admin)).statusCode).toBe(404);
    expect((await call('GET', `/api/simulations/${theirId}`, institution)).statusCode).toBe(200);
    await t.jobs.idle();
  });
});
