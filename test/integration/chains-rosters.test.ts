// Opening hours, demand by hour and rosters of a delivery chain through HTTP, on every configured
// database (issue 13, point 4): the form refuses bad times and unbounded numbers with errors beside
// the field and stores nothing; good answers are saved, audited and change the chain page (waits
// for staff to come on duty, staff on duty day by day); an "Extra opening hours" intervention
// raises the bottleneck's capacity; viewers cannot change rosters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Client,
  csrfTokenFrom,
  scopeOf,
  startTestApp,
  text,
  type TestApp,
} from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { parseChainOrThrow, planningPermitChainJson } from '../../src/domain/chain/index.ts';
import { withoutOpeningHours } from '../../src/domain/chain/testChains.ts';

const LEAD = 'lead@demo-council.example';
const VIEWER = 'auditor@demo-council.example';
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
const STAFF: Record<string, string> = {
  submission: '2',
  validation: '1',
  'manual-review': '4',
  approval: '1',
  printing: '1',
};

/** Every stage on duty Monday to Friday 09:00–16:30 with today's staff (37.5 hours a week). */
function officeHours(): Record<string, string> {
  const fields: Record<string, string> = { mode: 'roster' };
  for (const [stage, servers] of Object.entries(STAFF)) {
    for (const day of WEEKDAYS) {
      fields[`roster-${stage}-${day}-from`] = '09:00';
      fields[`roster-${stage}-${day}-to`] = '16:30';
      fields[`roster-${stage}-${day}-servers`] = servers;
    }
  }
  return fields;
}

describe.each(testDatabases)('opening hours and rosters on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn(LEAD);
    // The seeded planning demo already works to office hours; these tests set them on the same
    // chain as it was before, with no calendar (37.5 working hours a week).
    const scope = await scopeOf(t, 'demo-borough-council');
    id = await scope.chains.create(
      parseChainOrThrow({
        ...withoutOpeningHours(planningPermitChainJson),
        name: 'Planning permit applications (no opening hours)',
      }),
      'seeded',
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const model = async () =>
    JSON.parse((await lead.get(`/chains/${id}/download`)).body) as {
      hoursPerWeek: number;
      calendar?: unknown;
      stages: { id: string; roster?: { shifts: unknown[] } }[];
      interventions: { id: string }[];
    };

  it('refuses bad times and unbounded numbers beside the field, and stores nothing', async () => {
    const url = `/chains/${id}/hours`;
    const bad = await lead.submit(url, url, {
      ...officeHours(),
      'roster-manual-review-sat-from': '09:00',
      'roster-manual-review-sat-to': '08:00',
      'roster-manual-review-sat-servers': '1e308',
      'roster-approval-mon-from': '9am',
      'demand-mon-level': '2',
      'month-1': '1.5',
    });
    expect(bad.statusCode).toBe(400);
    const page = text(bad.body);
    expect(page).toContain('The end on Saturday at Manual review must be after the start (09:00)');
    expect(page).toContain(
      'The staff on duty on Saturday at Manual review must be a whole number from 0 to 1000',
    );
    expect(page).toContain(
      'The start on Monday at Decision and approval must be a 24-hour time such as 09:00 or 17:30',
    );
    expect(page).toContain('Enter the hours new cases arrive on Monday, or clear how busy it is');
    expect(page).toContain('Enter how busy February is, or clear every month');
    // Each error is linked to its field, and the answers are kept.
    expect(bad.body).toContain('href="#roster-manual-review-sat-to"');
    expect(bad.body).toContain('id="roster-manual-review-sat-to"');
    expect(bad.body).toContain('value="1e308"');
    const stored = await model();
    expect(stored.calendar).toBeUndefined();
    expect(stored.hoursPerWeek).toBe(37.5);

    const nobody = await lead.submit(url, url, {
      ...officeHours(),
      ...Object.fromEntries(WEEKDAYS.map((d) => [`roster-printing-${d}-servers`, '0'])),
    });
    expect(nobody.statusCode).toBe(400);
    expect(text(nobody.body)).toContain(
      'Permit printing has nobody on duty at any time: enter the staff on duty, or clear the table for staff round the clock',
    );
  });

  it('saves office hours, audits them, and the chain page shows the weekend effect', async () => {
    const before = text((await lead.get(`/chains/${id}`)).body);
    expect(before).toContain('Set opening hours and rosters');
    expect(before).not.toContain('Opening hours and staff on duty');

    const url = `/chains/${id}/hours`;
    const form = await lead.get(url);
    expect(form.statusCode).toBe(200);
    // A first visit suggests today's staff on weekdays for a fifth of the 37.5-hour week.
    expect(form.body).toContain(
      'id="roster-manual-review-mon-to" name="roster-manual-review-mon-to" type="text" value="16:30"',
    );
    const saved = await lead.submit(url, url, officeHours());
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/chains/${id}#week`);

    const stored = await model();
    expect(stored.hoursPerWeek).toBe(168);
    expect(stored.calendar).toEqual({});
    expect(stored.stages.find((s) => s.id === 'manual-review')?.roster).toEqual({
      shifts: [{ days: WEEKDAYS, from: '09:00', to: '16:30', servers: 4 }],
    });

    const page = text((await lead.get(`/chains/${id}`)).body);
    expect(page).toContain('Opening hours and staff on duty');
    // The same 37.5 staff hours a week: the bottleneck and its capacity are unchanged …
    expect(page).toContain('Manual review (Council planning service) is the bottleneck');
    expect(page).toContain('can handle 12.0');
    // … but work that arrives in the evening or at the weekend waits for Monday morning.
    expect(page).toMatch(
      /Submission: work reaching it while nobody is on duty waits 1\d\.\d hours on average for staff to come on duty\./,
    );
    const html = (await lead.get(`/chains/${id}`)).body;
    expect(html).toMatch(/<td class="govuk-table__cell[^"]*">\s*09:00–16:30: 4\s*<\/td>/);
    // Saturday and Sunday, five stages.
    expect(html.match(/<td class="govuk-table__cell[^"]*">\s*Nobody\s*<\/td>/g)?.length).toBe(10);

    const log = await (await scopeOf(t, 'demo-borough-council')).auditLog(20);
    const entry = log.find((e) => e.entityId === id && e.action === 'chain.updated');
    expect(entry?.details).toMatchObject({ part: 'hours' });
  });

  it('tests "open on Saturday mornings" as an intervention that raises the bottleneck’s capacity', async () => {
    const base = `/chains/${id}/interventions/new`;
    const kinds = await lead.get(base);
    expect(text(kinds.body)).toContain('Extra opening hours at a stage');
    const bad = await lead.submit(`${base}/extendHours`, `${base}/extendHours`, {
      name: 'Open on Saturday mornings',
      stage: 'manual-review',
      days: 'sat',
      from: '09:00',
      to: '25:00',
      servers: '4',
    });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('The end time must be a 24-hour time such as 09:00');
    const added = await lead.submit(`${base}/extendHours`, `${base}/extendHours`, {
      name: 'Open on Saturday mornings',
      stage: 'manual-review',
      days: 'sat',
      from: '09:00',
      to: '13:00',
      servers: '4',
    });
    expect(added.statusCode).toBe(303);
    const page = text((await lead.get(added.headers.location as string)).body);
    expect(page).toContain('Manual review: extra hours, Saturday 09:00–13:00, 4 on duty');
    expect(page).toContain('Throughput rises');
    expect((await model()).interventions.map((i) => i.id)).toContain('open-on-saturday-mornings');
  });

  it('lets a viewer see the week but not change the rosters', async () => {
    const viewer = new Client(t.app);
    await viewer.signIn(VIEWER);
    const page = await viewer.get(`/chains/${id}`);
    expect(text(page.body)).toContain('Opening hours and staff on duty');
    expect(page.body).not.toContain(`href="/chains/${id}/hours"`);
    expect((await viewer.get(`/chains/${id}/hours`)).statusCode).toBe(403);
    const refused = await viewer.post(`/chains/${id}/hours`, {
      _csrf: csrfTokenFrom(page.body),
      mode: 'none',
    });
    expect(refused.statusCode).toBe(403);
    expect((await model()).hoursPerWeek).toBe(168);
  });

  it('turns opening hours off again, back to working hours', async () => {
    const url = `/chains/${id}/hours`;
    // The intervention needs opening hours, so the engine refuses and nothing changes.
    const refused = await lead.submit(url, url, { mode: 'none' });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain(
      'intervention "open-on-saturday-mornings": a roster change needs a calendar on the chain',
    );
    const remove = `/chains/${id}/interventions/open-on-saturday-mornings/remove`;
    expect((await lead.submit(remove, remove, {})).statusCode).toBe(303);
    expect((await lead.submit(url, url, { mode: 'none' })).statusCode).toBe(303);
    const stored = await model();
    expect(stored.calendar).toBeUndefined();
    expect(stored.hoursPerWeek).toBe(37.5);
    expect(stored.stages.every((s) => s.roster === undefined)).toBe(true);
  });
});
