// Delivery chains through HTTP, on every configured database: the list and the chain page with its
// bottleneck, building and changing a chain with forms (and the engine's errors naming the stage
// and the field), importing and downloading JSON, roles, another organisation's ids, the audit
// trail, simulation bounds, interventions with their typology, and the scenario comparison.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChainOrThrow, planningPermitChainJson } from '../../src/domain/chain/index.ts';
import {
  apiTokenFor,
  Client,
  csrfTokenFrom,
  scopeOf,
  startTestApp,
  text,
  type TestApp,
} from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const LEAD = 'lead@demo-council.example';
const VIEWER = 'auditor@demo-council.example';
const MEMBER = 'planner@demo-council.example';
const INSTITUTION_ADMIN = 'admin@demo-institution.example';

describe.each(testDatabases)('delivery chains on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let planningId: string;
  let policeId: string;

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn(LEAD);
    const list = await lead.get('/chains');
    const link = (name: string) =>
      new RegExp(`href="/chains/([0-9a-f-]{36})">${name}`).exec(list.body)?.[1] ?? '';
    planningId = link('Planning permit applications');
    policeId = link('Criminal cases');
  });
  afterAll(async () => {
    await t.close();
  });

  const councilScope = () => scopeOf(t, 'demo-borough-council');

  /** Posts a multipart form (the import page) with the client's cookies. */
  async function postMultipart(
    client: Client,
    url: string,
    fields: Record<string, string>,
    file?: { name: string; content: string },
  ) {
    const page = await client.get('/chains/import');
    const form = new FormData();
    form.append('_csrf', csrfTokenFrom(page.body));
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file)
      form.append('file', new Blob([file.content], { type: 'application/json' }), file.name);
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    const body = Buffer.from(await request.arrayBuffer());
    const cookie = ['tl_session', 'tl_csrf']
      .map((n) => [n, client.cookie(n)] as const)
      .filter(([, v]) => v !== undefined)
      .map(([n, v]) => `${n}=${v ?? ''}`)
      .join('; ');
    return t.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie,
        accept: 'text/html',
        'content-type': request.headers.get('content-type') ?? '',
      },
      payload: body,
    });
  }

  it('lists the demo chains and shows the planning-permit bottleneck with why', async () => {
    expect(planningId).toMatch(/^[0-9a-f-]{36}$/);
    expect(policeId).toMatch(/^[0-9a-f-]{36}$/);
    const page = await lead.get(`/chains/${planningId}`);
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain('The bottleneck: Manual review');
    expect(body).toContain(
      'Manual review (Council planning service) is the bottleneck: it runs at 118% of capacity',
    );
    expect(body).toContain('It needs 1 more planner');
    // The diagram: an image with a title, the bottleneck marked in words, rework drawn and named.
    expect(body).toMatch(/<svg[^>]*role="img"/);
    expect(body).toContain('>Bottleneck</text>');
    expect(body).toContain('Rework 10%');
    expect(body).toContain('Council planning service');
    expect(body).toContain('Manual review (bottleneck)');
    // Figure 1's three measures, each with what it measures, and volumes kept apart as context.
    const section = (id: string, next: string): string =>
      body.slice(body.indexOf(`id="measures-${id}"`), body.indexOf(`id="measures-${next}"`));
    expect(section('budgetary', 'operational')).toContain(
      'What this measures: how well inputs are bought: the price paid for each unit of input',
    );
    expect(section('budgetary', 'operational')).toMatch(
      /Cost per staff or machine hour\s*<\/dt>\s*<dd[^>]*>\s*39\.22/,
    );
    expect(section('operational', 'effectiveness')).toContain('Outputs per staff hour');
    expect(section('effectiveness', 'context')).toMatch(
      /Sound decisions \(not overturned on appeal\) per output\s*<\/dt>\s*<dd[^>]*>\s*94%/,
    );
    expect(section('effectiveness', 'context')).not.toContain('a week');
    expect(section('context', 'xx')).toContain('Sound decisions (not overturned on appeal) a week');
  });

  it('shows the comment themes linked to a chain’s stages, with links to them', async () => {
    const list = await lead.get('/chains');
    const recyclingId =
      /href="\/chains\/([0-9a-f-]{36})">Household recycling collection/.exec(list.body)?.[1] ?? '';
    const page = await lead.get(`/chains/${recyclingId}`);
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain('What residents and staff say about its stages');
    const row =
      /<tr class="govuk-table__row">\s*<td class="govuk-table__cell">Kerbside collection and bin checks[\s\S]*?<\/tr>/.exec(
        page.body,
      )?.[0];
    expect(row).toMatch(/>Confusion about recycling rules</i);
    expect(row).toMatch(/>\d+ \(\d+(?:\.\d)?%\)</);
    expect(page.body).toMatch(/href="\/themes\/analyses\/[0-9a-f-]{36}\/themes\/[^"]+"/);
    // A chain no theme is linked to has no such section.
    expect((await lead.get(`/chains/${planningId}`)).body).not.toContain(
      'What residents and staff say about its stages',
    );
  });

  it('lets a viewer and a member read chains but not change them; a lead can', async () => {
    for (const email of [VIEWER, MEMBER]) {
      const client = new Client(t.app);
      await client.signIn(email);
      expect((await client.get(`/chains/${planningId}`)).statusCode).toBe(200);
      expect((await client.get(`/chains/${planningId}/compare`)).statusCode).toBe(200);
      const list = await client.get('/chains');
      expect(list.body).not.toContain('Create a chain');
      expect((await client.get('/chains/new')).statusCode).toBe(403);
      expect((await client.get(`/chains/${planningId}/edit`)).statusCode).toBe(403);
      const page = await client.get(`/chains/${planningId}`);
      const refused = await client.post(`/chains/${planningId}/details`, {
        _csrf: csrfTokenFrom(page.body),
        name: 'Renamed by a viewer',
      });
      expect(refused.statusCode).toBe(403);
    }
    expect((await lead.get(`/chains/${planningId}/edit`)).statusCode).toBe(200);
    expect((await lead.get(`/chains/${planningId}`)).body).not.toContain('Renamed by a viewer');
  });

  it('answers 404 for another organisation’s chain, a made-up id and a malformed one', async () => {
    const other = new Client(t.app);
    await other.signIn(INSTITUTION_ADMIN);
    for (const path of [
      '',
      '/edit',
      '/download',
      '/simulate',
      '/compare',
      '/stages/manual-review',
    ]) {
      const res = await other.get(`/chains/${planningId}${path}`);
      expect(res.statusCode, path).toBe(404);
      expect(res.body).not.toContain('Manual review');
    }
    const page = await other.get('/chains');
    expect(page.body).not.toContain('Planning permit');
    const forged = await other.post(`/chains/${planningId}/details`, {
      _csrf: csrfTokenFrom(page.body),
      name: 'Taken over',
      unitSingular: 'a',
      unitPlural: 'b',
      outcomeName: 'c',
      hoursPerWeek: '37.5',
    });
    expect(forged.statusCode).toBe(404);
    expect((await lead.get('/chains/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await lead.get('/chains/not-an-id')).statusCode).toBe(404);
    expect((await lead.get(`/chains/${planningId}/stages/no-such-stage`)).statusCode).toBe(404);
    expect((await lead.get(`/chains/${planningId}`)).body).not.toContain('Taken over');
  });

  it('builds a chain with forms, names the stage in routing errors, and audits every change', async () => {
    const created = await lead.submit('/chains/new', '/chains', {
      name: 'Blue badge applications',
      description: 'Parking permits for disabled people',
      unitSingular: 'application',
      unitPlural: 'applications',
      outcomeName: 'correct decisions',
      hoursPerWeek: '37.5',
    });
    expect(created.statusCode).toBe(303);
    const editUrl = created.headers.location as string;
    expect(editUrl).toMatch(/^\/chains\/[0-9a-f-]{36}\/edit$/);
    const id = editUrl.split('/')[2] ?? '';

    const missing = await lead.submit('/chains/new', '/chains', { name: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Enter the name of the chain');

    const stage = await lead.submit(`/chains/${id}/stages/new`, `/chains/${id}/stages/new`, {
      name: 'Assessment',
      organisation: 'Adult social care',
      servers: '2',
      serverSingular: 'assessor',
      serverPlural: 'assessors',
      serviceKind: 'lognormal',
      mean: '3',
      cv: '0.5',
      costPerServerHour: '30',
      costPerCase: '0',
    });
    expect(stage.statusCode).toBe(303);
    expect(stage.headers.location).toBe(`/chains/${id}/stages/assessment/routing`);

    const badStage = await lead.submit(`/chains/${id}/stages/new`, `/chains/${id}/stages/new`, {
      name: 'Broken',
      organisation: 'x',
      servers: '0',
      serviceKind: 'lognormal',
      mean: '-1',
      costPerServerHour: '0',
      costPerCase: '0',
    });
    expect(badStage.statusCode).toBe(400);
    expect(text(badStage.body)).toContain(
      'The number of staff or machines must be a whole number from 1 to 10000',
    );
    expect(text(badStage.body)).toContain('Enter the variability (coefficient of variation)');

    // The first stage now sends every case on to the new one.
    const routingUrl = `/chains/${id}/stages/first-stage/routing`;
    const notHundred = await lead.submit(routingUrl, routingUrl, {
      'route-assessment': '80',
      'route-completed': '30',
    });
    expect(notHundred.statusCode).toBe(400);
    expect(text(notHundred.body)).toContain(
      'The shares for stage “First stage” add up to 110%: they must add up to 100%',
    );
    expect(notHundred.body).toContain('href="#route-first-stage"');

    const loop = await lead.submit(
      `/chains/${id}/stages/assessment/routing`,
      `/chains/${id}/stages/assessment/routing`,
      { 'route-assessment': '100' },
    );
    expect(loop.statusCode).toBe(400);
    expect(text(loop.body)).toContain(
      'stage "assessment": cases can never leave the chain from here (every route loops back)',
    );

    expect(
      (await lead.submit(routingUrl, routingUrl, { 'route-assessment': '100' })).statusCode,
    ).toBe(303);
    const routed = await lead.submit(
      `/chains/${id}/stages/assessment/routing`,
      `/chains/${id}/stages/assessment/routing`,
      { 'route-first-stage': '5', 'route-completed': '90', 'route-exit': '5' },
    );
    expect(routed.statusCode).toBe(303);
    const demand = await lead.submit(`/chains/${id}/demand`, `/chains/${id}/demand`, {
      'demand-first-stage': '20',
    });
    expect(demand.statusCode).toBe(303);
    const noDemand = await lead.submit(`/chains/${id}/demand`, `/chains/${id}/demand`, {});
    expect(noDemand.statusCode).toBe(400);
    expect(noDemand.body).toContain('Enter the new applications a week for at least one stage');
    expect(
      (
        await lead.submit(`/chains/${id}/outputs/new`, `/chains/${id}/outputs/new`, {
          name: 'Badge issued',
          percent: '97',
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (
        await lead.submit(`/chains/${id}/inputs/new`, `/chains/${id}/inputs/new`, {
          name: 'Case system',
          kind: 'equipment',
          costPerWeek: '120',
        })
      ).statusCode,
    ).toBe(303);

    const page = text((await lead.get(`/chains/${id}`)).body);
    expect(page).toContain('Blue badge applications');
    expect(page).toContain('Adult social care');
    expect(page).toContain('Rework 5%');
    const edit = text((await lead.get(`/chains/${id}/edit`)).body);
    expect(edit).toContain('5% back for rework to First stage');
    expect(edit).toContain('Case system');
    expect(edit).toContain('Badge issued');

    const log = await (await councilScope()).auditLog(50);
    const mine = log.filter((e) => e.entityId === id);
    expect(mine.map((e) => e.action)).toEqual(
      expect.arrayContaining(['chain.created', 'chain.updated']),
    );
    expect(mine.filter((e) => e.action === 'chain.updated').length).toBeGreaterThanOrEqual(6);
    expect(mine.every((e) => e.actorLabel.includes(LEAD))).toBe(true);

    // Removing a stage that others still send cases to is refused with the engine's reason.
    const remove = await lead.submit(
      `/chains/${id}/stages/assessment/remove`,
      `/chains/${id}/stages/assessment/remove`,
      {},
    );
    expect(remove.statusCode).toBe(400);
    expect(text(remove.body)).toContain(
      'stage "first-stage": routes to "assessment", which is not a stage',
    );
  });

  it('imports a chain from JSON, and stores nothing when the file has errors', async () => {
    const count = async () => (await (await councilScope()).chains.list()).length;
    const before = await count();
    const broken = JSON.parse(JSON.stringify(planningPermitChainJson)) as {
      stages: { routes: { probability: number }[]; servers: number }[];
    };
    if (broken.stages[0]) broken.stages[0].servers = 0;
    const bad = await postMultipart(lead, '/chains/import', { json: JSON.stringify(broken) });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('stage "submission", field "servers"');
    expect(await count()).toBe(before);

    const badRouting = JSON.parse(JSON.stringify(planningPermitChainJson)) as typeof broken;
    const r = badRouting.stages[2]?.routes[0];
    if (r) r.probability = 0.7;
    const sum = await postMultipart(
      lead,
      '/chains/import',
      {},
      { name: 'bad.json', content: JSON.stringify(badRouting) },
    );
    expect(sum.statusCode).toBe(400);
    expect(text(sum.body)).toContain(
      'stage "manual-review": routing probabilities sum to 0.7, expected 1',
    );
    expect(await count()).toBe(before);

    const notJson = await postMultipart(lead, '/chains/import', { json: '{ not json' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.body).toContain('The text is not valid JSON');
    expect(await count()).toBe(before);

    // The import form is CSRF-checked like every other form.
    const forged = await t.app.inject({
      method: 'POST',
      url: '/chains/import',
      headers: {
        cookie: `tl_session=${lead.cookie('tl_session') ?? ''}`,
        'content-type': 'multipart/form-data; boundary=x',
      },
      payload: `--x\r\nContent-Disposition: form-data; name="json"\r\n\r\n${JSON.stringify(planningPermitChainJson)}\r\n--x--\r\n`,
    });
    expect(forged.statusCode).toBe(403);
    expect(await count()).toBe(before);

    const tooBig = await postMultipart(lead, '/chains/import', { json: 'x'.repeat(600 * 1024) });
    expect(tooBig.statusCode).toBe(413);

    const ok = await postMultipart(
      lead,
      '/chains/import',
      {},
      { name: 'planning-permit.json', content: JSON.stringify(planningPermitChainJson) },
    );
    expect(ok.statusCode).toBe(303);
    expect(await count()).toBe(before + 1);
    const id = String(ok.headers.location).split('/')[2] ?? '';
    const log = await (await councilScope()).auditLog(5);
    expect(log.find((e) => e.entityId === id)?.action).toBe('chain.imported');

    // What is downloaded imports again unchanged.
    const download = await lead.get(`/chains/${id}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toBe(
      'attachment; filename="planning-permit.json"',
    );
    const json = JSON.parse(download.body) as {
      stages: { id: string }[];
      interventions: unknown[];
    };
    expect(json.stages.map((s) => s.id)).toEqual([
      'submission',
      'validation',
      'manual-review',
      'approval',
      'printing',
    ]);
    expect(json.interventions).toHaveLength(3);
    const again = await postMultipart(lead, '/chains/import', { json: download.body });
    expect(again.statusCode).toBe(303);

    // Deleting a chain is confirmed on its own page, audited, and leaves nothing behind.
    const deleted = await lead.submit(`/chains/${id}/delete`, `/chains/${id}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    expect((await lead.get(`/chains/${id}`)).statusCode).toBe(404);
    expect((await (await councilScope()).auditLog(3)).map((e) => e.action)).toContain(
      'chain.deleted',
    );
  });

  it('simulates within bounds and explains the binding constraint', async () => {
    const bad = await lead.get(
      `/chains/${planningId}/simulate?run=1&replications=500&weeks=2&seed=1`,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Run the simulation at most 20 times');
    expect(bad.body).toContain('Simulate at least 8 weeks');
    const ok = await lead.get(
      `/chains/${planningId}/simulate?run=1&replications=4&weeks=20&seed=7`,
    );
    expect(ok.statusCode).toBe(200);
    const body = text(ok.body);
    expect(body).toContain('Manual review (Council planning service) is the binding constraint');
    expect(body).toContain('Lead time: 90th percentile');
    expect(body).toContain('Backlog over time');
    expect(body).toContain('Manual review (binding constraint)');
  });

  it('adds interventions off and at the bottleneck, classifies them, and compares them', async () => {
    const base = `/chains/${planningId}/interventions/new`;
    const choose = await lead.submit(base, base, {});
    expect(choose.statusCode).toBe(400);
    expect(choose.body).toContain('Select what the intervention changes');
    const chosen = await lead.submit(base, base, { kind: 'scaleServiceTime' });
    expect(chosen.headers.location).toBe(`${base}/scaleServiceTime`);

    const offBottleneck = await lead.submit(
      `${base}/scaleServiceTime`,
      `${base}/scaleServiceTime`,
      {
        name: 'Faster validation checks',
        stage: 'validation',
        percent: '60',
      },
    );
    expect(offBottleneck.statusCode).toBe(303);
    const offUrl = offBottleneck.headers.location as string;
    expect(offUrl).toBe(`/chains/${planningId}/interventions/faster-validation-checks`);
    const offPage = text((await lead.get(offUrl)).body);
    expect(offPage).toContain(
      'No effect on throughput: Validation is not the bottleneck (Manual review is).',
    );
    // Off the bottleneck nothing moves, so nothing is suggested, and the page says why.
    expect(offPage).toContain('No cell is suggested.');
    expect(offPage).toContain(
      'Operational efficiency: No operational efficiency measure moved, so no cell is suggested here, although: The same task made quicker: Validation takes 40% less time per application.',
    );

    const atBottleneck = await lead.submit(`${base}/addServers`, `${base}/addServers`, {
      name: 'Two more planners',
      stage: 'manual-review',
      delta: '2',
    });
    expect(atBottleneck.statusCode).toBe(303);
    const atUrl = atBottleneck.headers.location as string;
    const atPage = text((await lead.get(atUrl)).body);
    expect(atPage).toContain('Throughput rises');
    expect(atPage).toContain('The bottleneck moves from Manual review to');
    expect(atPage).toContain('No cell is suggested');
    expect(atPage).toContain(
      '2 more planners at Manual review: more or less of the same input is neither an exchange nor an improvement of a task',
    );

    const invalid = await lead.submit(`${base}/addServers`, `${base}/addServers`, {
      name: 'Nobody',
      stage: 'manual-review',
      delta: '-9',
    });
    expect(invalid.statusCode).toBe(400);
    expect(text(invalid.body)).toContain('cannot remove 9 of 4 servers');

    const noCells = await lead.submit(atUrl, `${atUrl}/typology`, {});
    expect(noCells.statusCode).toBe(400);
    expect(noCells.body).toContain('Select at least one typology cell');
    const classified = await lead.submit(atUrl, `${atUrl}/typology`, { cells: 'none' });
    expect(classified.statusCode).toBe(303);
    const cells = await lead.submit(offUrl, `${offUrl}/typology`, { cells: ['5', '2'] });
    expect(cells.statusCode).toBe(303);
    const scope = await councilScope();
    const stored = await scope.chains.get(planningId);
    expect(
      stored?.model.interventions.find((i) => i.id === 'faster-validation-checks')?.typologyCells,
    ).toEqual([2, 5]);
    expect(
      stored?.model.interventions.find((i) => i.id === 'two-more-planners')?.typologyCells,
    ).toEqual([]);

    const compare = text(
      (await lead.get(`/chains/${planningId}/compare?replications=4&weeks=26`)).body,
    );
    expect(compare).toContain(
      'No detectable effect on throughput: Permit printing is not the bottleneck (Manual review is).',
    );
    expect(compare).toContain(
      'No detectable effect on throughput: Validation is not the bottleneck (Manual review is).',
    );
    expect(compare).toContain('The bottleneck moves from Manual review to Decision and approval');
    expect(compare).toContain('Budgetary efficiency');
    expect(compare).toMatch(/12\.0 \(\d+\.\d to \d+\.\d\)/);
    for (const line of [
      'What this measures: how well inputs are bought',
      'What this measures: how inputs are turned into outputs',
      'What this measures: how outputs achieve outcomes',
    ]) {
      expect(compare).toContain(line);
    }
    // More decisions a week from AI review support is volume, not effectiveness.
    const aiReview = text(
      (await lead.get(`/chains/${planningId}/interventions/ai-review-support`)).body,
    );
    expect(aiReview).toContain(
      'Sound decisions (not overturned on appeal) rise from 11.3 to 13.4 a week (+18.3%), only because the number of outputs rises: the share of outputs achieving them is unchanged, so this is a change in volume, not in effectiveness.',
    );
    const effectiveness = compare.slice(
      compare.indexOf('id="measures-effectiveness"'),
      compare.indexOf('id="measures-context"'),
    );
    expect(effectiveness).toContain('Outcomes per output');
    expect(effectiveness).not.toContain('Outcomes a week');
    expect(compare).toContain(
      'Classified under operational efficiency (cell 5), but no operational efficiency measure moved beyond its uncertainty.',
    );

    const scenario = await lead.submit(
      `/chains/${planningId}/compare`,
      `/chains/${planningId}/scenarios`,
      {
        scenarioName: 'Portal and AI review together',
        interventions: ['online-portal', 'ai-review-support'],
      },
    );
    expect(scenario.statusCode).toBe(303);
    const withScenario = text(
      (await lead.get(`/chains/${planningId}/compare?replications=3&weeks=20`)).body,
    );
    expect(withScenario).toContain('Portal and AI review together');
    // The demo's own scenario: two investments off the bottleneck together still change nothing.
    expect(withScenario).toMatch(
      /Online portal and faster printing together[\s\S]*No detectable effect on throughput: Submission, Validation and Permit printing are not the bottleneck/,
    );
    const tooFew = await lead.submit(
      `/chains/${planningId}/compare`,
      `/chains/${planningId}/scenarios`,
      {
        scenarioName: 'Alone',
        interventions: 'online-portal',
      },
    );
    expect(tooFew.statusCode).toBe(400);
    expect(tooFew.body).toContain('Select at least two interventions to combine');

    const actions = (await scope.auditLog(30)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'chain.intervention_added',
        'chain.intervention_classified',
        'scenario.created',
      ]),
    );

    // Removing an intervention removes the scenarios that used it.
    const removeUrl = `/chains/${planningId}/interventions/ai-review-support/remove`;
    expect((await lead.submit(removeUrl, removeUrl, {})).statusCode).toBe(303);
    expect((await scope.chains.scenarios(planningId)).map((x) => x.name)).toEqual([
      'Online portal and faster printing together',
    ]);
    expect((await scope.auditLog(5)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['chain.intervention_removed', 'scenario.deleted']),
    );
  });

  it('changes a stage without losing its routing, and builds an intervention of several changes', async () => {
    const url = `/chains/${policeId}/stages/prosecution`;
    const page = await lead.get(url);
    expect(page.body).toContain('value="Crown Prosecution Service"');
    const saved = await lead.submit(url, url, {
      name: 'Prosecution file review',
      organisation: 'Crown Prosecution Service',
      servers: '6',
      serverSingular: 'prosecutor',
      serverPlural: 'prosecutors',
      serviceKind: 'gamma',
      mean: '4',
      cv: '0.7',
      costPerServerHour: '55',
      costPerCase: '0',
    });
    expect(saved.statusCode).toBe(303);
    const scope = await councilScope();
    const chain = (await scope.chains.get(policeId))?.model;
    const stage = chain?.stages.find((x) => x.id === 'prosecution');
    expect(stage?.servers).toBe(6);
    expect(stage?.routes).toEqual([
      { to: 'courts', probability: 0.75 },
      { to: 'police', probability: 0.1, rework: true },
      { to: 'discontinued', probability: 0.15 },
    ]);

    const base = `/chains/${policeId}/interventions/ai-statements-police-view/changes/new`;
    const chosen = await lead.submit(base, base, { kind: 'addRework' });
    expect(chosen.headers.location).toBe(`${base}/addRework`);
    const added = await lead.submit(`${base}/addRework`, `${base}/addRework`, {
      stage: 'prosecution',
      percent: '9',
      to: 'police',
    });
    expect(added.statusCode).toBe(303);
    const intervention = text((await lead.get(added.headers.location as string)).body);
    expect(intervention).toContain(
      'Prosecution file review: 9% of cases sent back to Investigation and witness statements',
    );
    expect(intervention).toContain(
      'Cell 5, technical improvement in operational efficiency (improves): The same task made quicker: Investigation and witness statements takes 40% less time per case. The same task with more errors: Prosecution file review sends 10% → 18% of its cases back for rework.',
    );
    // The change opens on its own form with its answers, and is changed in place.
    const editUrl = `/chains/${policeId}/interventions/ai-statements-police-view/changes/1/edit`;
    const form = await lead.get(editUrl);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="9"');
    expect(form.body).toMatch(/<option value="police" selected>/);
    const refused = await lead.submit(editUrl, editUrl, { stage: 'prosecution', percent: '120' });
    expect(refused.statusCode).toBe(400);
    expect(
      (await scope.chains.get(policeId))?.model.interventions.find(
        (i) => i.id === 'ai-statements-police-view',
      )?.changes[1],
    ).toMatchObject({ share: 0.09 });
    const edited = await lead.submit(editUrl, editUrl, {
      stage: 'prosecution',
      percent: '12',
      to: 'police',
    });
    expect(edited.statusCode).toBe(303);
    const changesNow = (await scope.chains.get(policeId))?.model.interventions.find(
      (i) => i.id === 'ai-statements-police-view',
    )?.changes;
    expect(changesNow).toHaveLength(2);
    expect(changesNow?.[1]).toEqual({
      kind: 'addRework',
      stage: 'prosecution',
      share: 0.12,
      to: 'police',
    });
    expect(text((await lead.get(edited.headers.location as string)).body)).toContain(
      'Prosecution file review: 12% of cases sent back to Investigation and witness statements',
    );
    expect(
      (await scope.auditLog()).find((e) => e.action === 'chain.intervention_updated')?.details,
    ).toMatchObject({ changed: 1 });
    expect((await lead.get(editUrl.replace('/1/edit', '/7/edit'))).statusCode).toBe(404);
    const removeUrl = `/chains/${policeId}/interventions/ai-statements-police-view/changes/1/remove`;
    expect((await lead.submit(removeUrl, removeUrl, {})).statusCode).toBe(303);
    const after = (await scope.chains.get(policeId))?.model.interventions.find(
      (i) => i.id === 'ai-statements-police-view',
    );
    expect(after?.changes).toHaveLength(1);
    // The last change cannot be removed: remove the intervention instead.
    expect(
      (
        await lead.get(
          `/chains/${policeId}/interventions/ai-statements-police-view/changes/0/remove`,
        )
      ).statusCode,
    ).toBe(404);
  });

  it('offers chains through the JSON API, scoped to the token’s organisation', async () => {
    const tokenFor = (email: string) => apiTokenFor(t, email, 'Chains');
    const token = await tokenFor('admin@demo-council.example');
    const call = (method: 'GET' | 'POST', url: string, bearer: string, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${bearer}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });

    const list = await call('GET', '/api/chains', token);
    expect(list.statusCode).toBe(200);
    expect(list.json<{ chains: { name: string }[] }>().chains.map((c) => c.name)).toContain(
      'Planning permit applications',
    );
    const one = await call('GET', `/api/chains/${planningId}`, token);
    expect(one.statusCode).toBe(200);
    const body = one.json<{
      chain: { id: string };
      results: { bottleneck: { stageId: string } };
    }>();
    expect(body.chain.id).toBe('planning-permit');
    expect(body.results.bottleneck.stageId).toBe('manual-review');

    const broken = JSON.parse(JSON.stringify(planningPermitChainJson)) as {
      demand: { stage: string }[];
    };
    if (broken.demand[0]) broken.demand[0].stage = 'nowhere';
    const refused = await call('POST', '/api/chains', token, broken);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ issues: { message: string }[] }>().issues[0]?.message).toBe(
      'demand arrives at "nowhere", which is not a stage',
    );
    const stored = await call('POST', '/api/chains', token, planningPermitChainJson);
    expect(stored.statusCode).toBe(201);
    const newId = stored.json<{ id: string }>().id;
    expect((await call('GET', `/api/chains/${newId}`, token)).statusCode).toBe(200);

    const other = await tokenFor(INSTITUTION_ADMIN);
    expect((await call('GET', `/api/chains/${planningId}`, other)).statusCode).toBe(404);
    // The institution sees its own chains only (the shared criminal-justice chain it convenes).
    const theirs = (await call('GET', '/api/chains', other)).json<{ chains: { id: string }[] }>()
      .chains;
    const own = await t.storage.db.kysely
      .selectFrom('delivery_chains')
      .innerJoin('organisations', 'organisations.id', 'delivery_chains.organisation_id')
      .where('organisations.slug', '=', 'demo-improvement-agency')
      .select('delivery_chains.id')
      .execute();
    expect(theirs.map((c) => c.id).sort()).toEqual(own.map((c) => c.id).sort());
    expect(theirs.map((c) => c.id)).not.toContain(planningId);
    expect(theirs.map((c) => c.id)).not.toContain(newId);
    expect((await t.app.inject({ url: '/api/chains' })).statusCode).toBe(401);
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/chains', '/api/chains/{id}']),
    );
  });

  it('names an intervention that no longer fits the chain instead of failing', async () => {
    const scope = await councilScope();
    const json = JSON.parse(
      JSON.stringify(planningPermitChainJson),
    ) as typeof planningPermitChainJson;
    json.interventions = [
      {
        id: 'fewer-planners',
        name: 'Three fewer planners',
        changes: [{ kind: 'addServers', stage: 'manual-review', delta: -3 }],
      },
    ];
    const id = await scope.chains.create(parseChainOrThrow(json), 'imported');
    const url = `/chains/${id}/stages/manual-review`;
    const values = {
      name: 'Manual review',
      organisation: 'Council planning service',
      servers: '2',
      serverSingular: 'planner',
      serverPlural: 'planners',
      serviceKind: 'exponential',
      mean: '12.5',
      costPerServerHour: '45',
      costPerCase: '0',
    };
    expect((await lead.submit(url, url, values)).statusCode).toBe(303);
    const page = text((await lead.get(`/chains/${id}/interventions/fewer-planners`)).body);
    expect(page).toContain('It cannot be applied to the chain as it is now');
    expect(page).toContain('cannot remove 3 of 2 servers');
    const compare = await lead.get(`/chains/${id}/compare?replications=2&weeks=8`);
    expect(compare.statusCode).toBe(200);
    expect(text(compare.body)).toContain(
      'Left out because it no longer fits the chain – Three fewer planners',
    );
  });

  it('shows the witness-statement scenario moving the bottleneck to the courts', async () => {
    const page = text((await lead.get(`/chains/${policeId}/compare?replications=4&weeks=26`)).body);
    expect(page).toContain(
      'The bottleneck moves from Investigation and witness statements to Court hearings',
    );
    expect(page).toContain('A backlog now builds at Court hearings');
    expect(page).toContain('Just outcomes fall');
    const chain = text((await lead.get(`/chains/${policeId}`)).body);
    expect(chain).toContain('The bottleneck: Investigation and witness statements');
    expect(chain).toContain('HM Courts & Tribunals Service');
  });

  it('states how sure a comparison is, on the page and in its JSON, from the same figures', async () => {
    const query = 'replications=4&weeks=26&seed=3';
    const json = await lead.get(`/chains/${planningId}/compare.json?${query}`);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-disposition']).toContain('comparison.json');
    const data = JSON.parse(json.body) as {
      basis: string;
      statistics: {
        replicationsPerScenario: number;
        startedAt: number;
        correction: string;
        testsJudgedTogether: number;
        warmupMethod: string;
        warmupExplanation: string;
        precisionReached: boolean;
      };
      scenarios: {
        name: string;
        findings: string[];
        measures: {
          key: string;
          moved: boolean;
          verdict: string;
          difference: { low: number; high: number; inWords: string; confidence: number } | null;
        }[];
      }[];
    };
    expect(data.basis).toBe('simulation');
    expect(data.statistics.startedAt).toBe(4);
    expect(data.statistics.replicationsPerScenario).toBeGreaterThanOrEqual(4);
    expect(data.statistics.correction).toBe('Holm–Bonferroni');
    expect(data.statistics.warmupMethod).toBe('mser-5');
    const printing = data.scenarios.find((x) => x.name === 'Faster permit printing');
    const tp = printing?.measures.find((m) => m.key === 'throughputPerWeek');
    expect(tp?.moved).toBe(false);
    expect(tp?.verdict).toBe('no-detectable-effect');
    expect(tp?.difference?.low ?? 1).toBeLessThanOrEqual(0);
    expect(tp?.difference?.high ?? -1).toBeGreaterThanOrEqual(0);

    const page = text((await lead.get(`/chains/${planningId}/compare?${query}`)).body);
    expect(page).toContain('How sure these figures are');
    expect(page).toContain(
      `${data.statistics.testsJudgedTogether} simulated measures judged together (Holm–Bonferroni)`,
    );
    expect(page).toContain(`${data.statistics.replicationsPerScenario} per scenario`);
    expect(page).toContain(data.statistics.warmupExplanation);
    for (const s of data.scenarios) for (const f of s.findings) expect(page).toContain(f);
    // Every simulated difference in the JSON is on the page with its interval in the same words.
    for (const s of data.scenarios) {
      for (const m of s.measures) {
        if (m.difference?.inWords) expect(page).toContain(m.difference.inWords);
      }
    }
    expect(page).toContain('Formulas or simulation: which to trust');
    expect(page).toContain('Use the simulation: demand exceeds capacity');

    const bad = await lead.get(`/chains/${planningId}/compare.json?replications=500`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Run the simulation at most 20 times');
    const viewer = new Client(t.app);
    await viewer.signIn(VIEWER);
    expect((await viewer.get(`/chains/${planningId}/compare.json?${query}`)).statusCode).toBe(200);
    const other = new Client(t.app);
    await other.signIn(INSTITUTION_ADMIN);
    expect((await other.get(`/chains/${planningId}/compare.json`)).statusCode).toBe(404);
    expect((await lead.get('/chains/not-an-id/compare.json')).statusCode).toBe(404);

    const simulated = text(
      (await lead.get(`/chains/${planningId}/simulate?run=1&replications=3&weeks=26&seed=1`)).body,
    );
    expect(simulated).toContain('Formulas or simulation: which to trust');
    expect(simulated).toMatch(/never settles \(the backlog keeps growing\)/);
    expect(simulated).not.toContain('weeks are a warm-up');
  });
});
