// History, trends and a roadmap people can act on (issue 12, points 5 and 6), through HTTP on every
// database. The demo council has three organisation rounds (autumn 2025 and spring 2026 finalised,
// autumn 2026 closed): the trend shows all three, each round at the level its own results state,
// and the CSV and JSON carry exactly the page's figures. Any two rounds of the same kind can be
// compared; with nothing to compare, no empty form is shown. Roadmap actions become items with an
// owner, a due date, a status, notes and a linked initiative; another organisation's people,
// initiatives, rounds and items are refused.
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveLevelText, type EffectiveLevel } from '../../src/domain/assessment/index.ts';
import { Client, scopeOf, startTestApp, text, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { initiativeFields } from '../helpers/initiatives.ts';
import { seedClosedRound } from '../helpers/rounds.ts';

const TITLES = [
  'Capability baseline, autumn 2025',
  'Capability check, spring 2026',
  'Capability review, autumn 2026',
];
const AGENCY = 'Demo Local Government Improvement Agency';

interface TrendJson {
  trends: {
    assesses: string;
    rounds: { id: string; title: string; status: string }[];
    capabilities: {
      capabilityId: string;
      name: string;
      points: { roundId: string; level: number | null; source: string | null; text: string }[];
    }[];
  }[];
}

function roundIds(html: string): Map<string, string> {
  return new Map(
    [...html.matchAll(/href="\/assessments\/([0-9a-f-]{36})">([^<]+)</g)].map((m) => [
      text(m[2] ?? ''),
      m[1] ?? '',
    ]),
  );
}

describe.each(testDatabases)('trends and tracked actions on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let viewer: Client;
  let agency: Client;
  let ids: Map<string, string>;
  const autumn26 = () => ids.get(TITLES[2] ?? '') ?? '';
  const autumn25 = () => ids.get(TITLES[0] ?? '') ?? '';

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
    viewer = new Client(t.app);
    await viewer.signIn('auditor@demo-council.example');
    agency = new Client(t.app);
    await agency.signIn('admin@demo-institution.example');
    const index = await lead.get('/assessments');
    ids = roundIds(index.body);
    for (const title of TITLES) expect(ids.get(title)).toMatch(/^[0-9a-f-]{36}$/);
    expect(index.body).toContain('href="/assessments/trends"');
    expect(index.body).toContain('href="/assessments/actions"');
  });
  afterAll(async () => {
    await t.close();
  });

  // ---- point 5 ----

  it('shows all three rounds, oldest first, and says which is closed but not finalised', async () => {
    const page = text((await lead.get('/assessments/trends')).body);
    const positions = TITLES.map((title) => page.indexOf(`>${title}</a>: `));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(page).toContain(`${TITLES[2]}</a>: closed, not finalised`);
    expect(page).toContain(`${TITLES[0]}</a>: finalised`);
    // One chart per capability, each an image with a title, followed by its table.
    expect(page.match(/<svg [^>]*role="img"/g)?.length).toBe(
      page.match(/: level in each round \(a lower number is better\)<\/caption>/g)?.length,
    );
  });

  it('states each round at the level of its own results (agreed where agreed, else the median), the same on the page, in the CSV and the JSON', async () => {
    const page = text((await lead.get('/assessments/trends')).body);
    const json = (await lead.get('/assessments/trends.json')).json<TrendJson>();
    const csvResponse = await lead.get('/assessments/trends.csv');
    expect(csvResponse.headers['content-type']).toContain('text/csv');
    const rows = parseCsv(csvResponse.body, { columns: true }) as Record<string, string>[];

    const organisation = json.trends.find((g) => g.assesses === 'organisation');
    expect(organisation?.rounds.map((r) => r.title)).toEqual(TITLES);
    const capabilities = organisation?.capabilities ?? [];
    // The five organisation-level capabilities of the framework.
    expect(capabilities).toHaveLength(5);
    expect(rows).toHaveLength(capabilities.length * TITLES.length);

    // Each round's own results.json is the reference for its level.
    const levelOf = new Map<string, Map<string, EffectiveLevel>>();
    for (const title of TITLES) {
      const id = ids.get(title) ?? '';
      const report = (await lead.get(`/assessments/${id}/results.json`)).json<{
        capabilities: { capabilityId: string; level: EffectiveLevel }[];
      }>();
      levelOf.set(id, new Map(report.capabilities.map((c) => [c.capabilityId, c.level])));
    }

    let agreedSeen = 0;
    for (const capability of capabilities) {
      const cells = [
        ...page.matchAll(
          new RegExp(`data-trend-cell="${capability.capabilityId}">([^<]*)</td>`, 'g'),
        ),
      ].map((m) => m[1]);
      const csvCells = rows
        .filter((r) => r.Capability === capability.name)
        .map((r) => r['Level in words']);
      const expected = capability.points.map((point) => {
        const reference = levelOf.get(point.roundId)?.get(capability.capabilityId);
        if (!reference) throw new Error(`no level for ${capability.capabilityId}`);
        if (reference.source === 'agreed') agreedSeen += 1;
        expect(point.level).toBe(reference.level);
        return effectiveLevelText(reference);
      });
      expect(cells).toEqual(expected);
      expect(csvCells).toEqual(expected);
      expect(capability.points.map((p) => p.text)).toEqual(expected);
    }
    // The finalised rounds carry agreed levels, so the check above covered both sources.
    expect(agreedSeen).toBeGreaterThan(0);
    const anyRow = rows.find((r) => r.Round === TITLES[1]);
    expect(anyRow?.['Framework changed since the round before']).toBe('No');
  });

  it('compares any two rounds of the same kind, older first, and refuses two of different kinds', async () => {
    const res = await lead.get(`/assessments/compare?first=${autumn26()}&second=${autumn25()}`);
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain(`${TITLES[0]} compared with ${TITLES[2]}`);

    const same = await lead.get(`/assessments/compare?first=${autumn26()}&second=${autumn26()}`);
    expect(same.statusCode).toBe(400);
    expect(same.body).toContain('Select two different rounds');

    // Another organisation's round is not in the list.
    const agencyRounds = roundIds((await agency.get('/assessments')).body);
    const sectorId = agencyRounds.get('State of the sector, autumn 2026') ?? '';
    expect(sectorId).toMatch(/^[0-9a-f-]{36}$/);
    const foreign = await lead.get(`/assessments/compare?first=${sectorId}&second=${autumn25()}`);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body).toContain('Select the first round from the list');
    expect(foreign.body).not.toContain('State of the sector');

    // The agency has one round with results: nothing to compare, and no empty form.
    const nothing = await agency.get('/assessments/compare');
    expect(text(nothing.body)).toContain('There is nothing to compare yet');
    expect(nothing.body).not.toContain('name="first"');
    const perRound = await agency.get(`/assessments/${sectorId}/compare`);
    expect(text(perRound.body)).toContain('There is nothing to compare yet');
    expect(perRound.body).not.toContain('name="with"');

    // With an organisation round beside its sector round, the two cannot be compared.
    const orgRound = await seedClosedRound(t.storage, {
      title: 'Agency self-assessment',
      groups: ['Staff'],
      levels: [3, 3, 4],
      organisation: AGENCY,
      leadEmail: 'admin@demo-institution.example',
    });
    const mixed = await agency.get(`/assessments/compare?first=${sectorId}&second=${orgRound}`);
    expect(mixed.statusCode).toBe(400);
    expect(text(mixed.body)).toContain('Select a round of the same kind');
  });

  // ---- point 6 ----

  async function trackFirstAction(client: Client, roundId: string) {
    const roadmap = (await client.get(`/assessments/${roundId}/roadmap`)).body;
    const form =
      /name="capabilityId" value="([^"]+)">\s*<input type="hidden" name="indicatorId" value="([^"]+)">/.exec(
        roadmap,
      );
    if (!form?.[1] || !form[2]) throw new Error('no "Track this action" form on the roadmap');
    const res = await client.submit(
      `/assessments/${roundId}/roadmap`,
      `/assessments/${roundId}/roadmap/items`,
      { capabilityId: form[1], indicatorId: form[2] },
    );
    return { res, capabilityId: form[1], indicatorId: form[2] };
  }

  it('takes on a roadmap action, assigns it, refuses bad and foreign values, filters and exports it', async () => {
    const council = await scopeOf(t, 'demo-borough-council');
    const members = await council.members();
    const planner = members.find((m) => m.email === 'planner@demo-council.example');
    if (!planner) throw new Error('planner missing');
    const initiative = (await council.initiatives.list())[0]?.initiative;
    if (!initiative) throw new Error('the demo council has initiatives');
    const agencyScope = await scopeOf(t, 'demo-improvement-agency');
    const agencyAdmin = (await agencyScope.members())[0];
    const agencyInitiative = await agencyScope.initiatives.create(
      initiativeFields({ title: 'Agency pilot' }),
    );

    // A viewer cannot take an action on; a lead can.
    const { res, capabilityId, indicatorId } = await trackFirstAction(lead, autumn26());
    const viewerRoadmap = await viewer.get(`/assessments/${autumn26()}/roadmap`);
    expect(viewerRoadmap.body).not.toContain('name="indicatorId"');
    const refused = await viewer.submit(
      `/assessments/${autumn26()}/roadmap`,
      `/assessments/${autumn26()}/roadmap/items`,
      { capabilityId, indicatorId: `${capabilityId}.2.1` },
    );
    expect(refused.statusCode).toBe(403);
    expect(res.statusCode).toBe(303);
    const itemUrl = String(res.headers.location);
    expect(itemUrl).toMatch(/^\/assessments\/actions\/[0-9a-f-]{36}$/);
    const itemId = itemUrl.split('/').at(-1) ?? '';
    const stored = await council.roadmapItems.get(itemId);
    expect(stored).toMatchObject({ capabilityId, indicatorId, status: 'not-started' });
    expect(stored?.actionText).toMatch(/^(Make sure that|Tackle this:) /);
    // The same action again opens the same item.
    const again = await lead.submit(
      `/assessments/${autumn26()}/roadmap`,
      `/assessments/${autumn26()}/roadmap/items`,
      { capabilityId, indicatorId },
    );
    expect(again.headers.location).toBe(itemUrl);
    // An indicator that is not an action of this roadmap is refused.
    const forged = await lead.submit(
      `/assessments/${autumn26()}/roadmap`,
      `/assessments/${autumn26()}/roadmap/items`,
      { capabilityId, indicatorId: `${capabilityId}.9.9` },
    );
    expect(forged.statusCode).toBe(404);

    const valid = {
      ownerUserId: planner.userId,
      'dueOn-day': '31',
      'dueOn-month': '3',
      'dueOn-year': '2099',
      status: 'in-progress',
      initiativeId: initiative.id,
      notes: 'Draft the framework with the audit committee',
    };
    const save = (changes: Record<string, string>) =>
      lead.submit(itemUrl, itemUrl, { ...valid, ...changes });

    const cases: [Record<string, string>, string][] = [
      [
        { 'dueOn-year': '2020', 'dueOn-month': '1', 'dueOn-day': '1' },
        'The due date must be today or in the future',
      ],
      [
        { 'dueOn-day': '31', 'dueOn-month': '2' },
        'The due date must be a real date, like 27 3 2027',
      ],
      [
        { ownerUserId: agencyAdmin?.userId ?? 'x' },
        'Select an owner from the members of your organisation',
      ],
      [{ ownerUserId: 'not-a-person' }, 'Select an owner from the members of your organisation'],
      [
        { initiativeId: agencyInitiative },
        'Select an initiative from your organisation’s register',
      ],
      [{ initiativeId: 'forged' }, 'Select an initiative from your organisation’s register'],
      [{ status: 'finished' }, 'Select a status'],
    ];
    for (const [changes, message] of cases) {
      const bad = await save(changes);
      expect(bad.statusCode, message).toBe(400);
      expect(text(bad.body)).toContain(message);
      // Nothing is half-written.
      expect((await council.roadmapItems.get(itemId))?.status).toBe('not-started');
    }

    const ok = await save({});
    expect(ok.statusCode).toBe(303);
    expect(await council.roadmapItems.get(itemId)).toMatchObject({
      ownerUserId: planner.userId,
      dueOn: '2099-03-31',
      status: 'in-progress',
      initiativeId: initiative.id,
      notes: 'Draft the framework with the audit committee',
    });

    // Listed across capabilities, filtered by owner and status, and on the round's roadmap.
    const all = text((await lead.get('/assessments/actions')).body);
    expect(all).toContain(stored?.actionText ?? '?');
    expect(all).toContain(planner.name);
    expect(all).toContain(`Initiative: ${initiative.title}`);
    const mine = text((await lead.get(`/assessments/actions?owner=${planner.userId}`)).body);
    expect(mine).toContain(stored?.actionText ?? '?');
    const done = text((await lead.get('/assessments/actions?status=done')).body);
    expect(done).toContain('No tracked actions match these choices.');
    const roadmap = text((await lead.get(`/assessments/${autumn26()}/roadmap`)).body);
    expect(roadmap).toContain('Tracked actions for');
    expect(roadmap).toContain('Tracked: <a class="govuk-link"');

    // The CSV holds the same item, with the owner's name and the initiative's title.
    const csv = parseCsv((await lead.get('/assessments/actions.csv')).body, {
      columns: true,
    }) as Record<string, string>[];
    expect(csv).toHaveLength(1);
    expect(csv[0]).toMatchObject({
      Action: stored?.actionText,
      Round: TITLES[2],
      Owner: planner.name,
      'Due date': '2099-03-31',
      Status: 'In progress',
      Overdue: 'No',
      'Linked initiative': initiative.title,
    });
    const json = (await lead.get('/assessments/actions.json')).json<{
      items: Record<string, unknown>[];
    }>();
    expect(json.items).toMatchObject([
      {
        id: itemId,
        action: stored?.actionText,
        owner: planner.name,
        dueOn: '2099-03-31',
        status: 'in-progress',
        initiativeId: initiative.id,
      },
    ]);
    const noneCsv = parseCsv((await lead.get('/assessments/actions.csv?status=done')).body, {
      columns: true,
    }) as unknown[];
    expect(noneCsv).toHaveLength(0);

    // Overdue: a due date passed while not done (set in storage: the form refuses past dates).
    await t.storage.db.kysely
      .updateTable('roadmap_items')
      .set({ due_on: '2020-01-31' })
      .where('id', '=', itemId)
      .execute();
    const overdue = text((await lead.get('/assessments/actions?overdue=yes')).body);
    expect(overdue).toContain('1 action is past its due date and not done.');
    expect(overdue).toContain('Overdue');
    expect(
      parseCsv((await lead.get('/assessments/actions.csv?overdue=yes')).body, {
        columns: true,
      }) as Record<string, string>[],
    ).toMatchObject([{ Overdue: 'Yes' }]);

    // Every change is audited.
    const log = await council.auditLog(50);
    expect(log.filter((e) => e.entityId === itemId).map((e) => e.action)).toEqual([
      'roadmap_item.updated',
      'roadmap_item.created',
    ]);

    // Another organisation cannot see or change the item, nor take on an action of its rounds.
    expect((await agency.get(itemUrl)).statusCode).toBe(404);
    const agencyActions = text((await agency.get('/assessments/actions')).body);
    expect(agencyActions).not.toContain(stored?.actionText ?? '?');
    const sneaky = await agency.submit('/assessments/actions', itemUrl, valid);
    expect(sneaky.statusCode).toBe(404);
    expect((await council.roadmapItems.get(itemId))?.dueOn).toBe('2020-01-31');
    const foreignRound = await agency.submit(
      '/assessments/actions',
      `/assessments/${autumn26()}/roadmap/items`,
      { capabilityId, indicatorId },
    );
    expect(foreignRound.statusCode).toBe(404);
  });
});
