// The audit log through HTTP on every database: admins only, who did what in plain words (no
// codes, ids or JSON), filters by person, kind of action and dates checked with clear errors,
// pages, a CSV of the filtered events that is itself audited, and never another organisation's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokenFor, Client, scopeOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { AUDIT_ACTIONS } from '../../src/storage/audit.ts';

/** The text of the events table (tags removed). */
function eventsText(html: string): string {
  const table = /<table class="govuk-table tl-audit">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  return table.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

/** The first event code the log knows that appears in the text, if any. */
const rawCodeIn = (text: string) => AUDIT_ACTIONS.find((a) => text.includes(a));
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch ?? '';
  }
  return rows;
}

describe.each(testDatabases)('the audit log on $name', (factory) => {
  let t: TestApp;
  let admin: Client;
  let lead: Client;
  let leadId: string;
  let institutionAdminId: string;
  const longRationale = `${'Because the register is out of date and '.repeat(1200)}${'x'.repeat(10_000)}`;

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    admin = new Client(t.app);
    await admin.signIn('admin@demo-council.example');
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
    const users = await t.storage.db.kysely.selectFrom('users').select(['id', 'email']).execute();
    leadId = users.find((u) => u.email === 'lead@demo-council.example')?.id ?? '';
    institutionAdminId = users.find((u) => u.email === 'admin@demo-institution.example')?.id ?? '';

    // Another organisation's events, which the council's log must never show.
    const institution = await scopeOf(t, 'demo-improvement-agency');
    await t.storage
      .scope(institution.organisationId, {
        userId: institutionAdminId,
        label: 'Institution Admin <admin@demo-institution.example>',
      })
      .audit({
        action: 'chain.deleted',
        entityType: 'delivery_chain',
        entityId: null,
        details: { name: 'Secret institution chain' },
      });

    // A very long reason, as an agreed level once carried (58,000 characters).
    const council = await scopeOf(t, 'demo-borough-council');
    const round = await t.storage.db.kysely
      .selectFrom('assessment_rounds')
      .select(['id', 'title'])
      .where('organisation_id', '=', council.organisationId)
      .executeTakeFirstOrThrow();
    await t.storage
      .scope(council.organisationId, { userId: leadId, label: 'Priya Shah <lead@x>' })
      .audit({
        action: 'assessment.rating_agreed',
        entityType: 'assessment_round',
        entityId: round.id,
        details: {
          capabilityId: 'managing-risk',
          before: null,
          after: { level: 4, evidence: 'documented' },
          rationale: longRationale,
        },
      });
  });

  afterAll(async () => {
    await t.close();
  });

  it('is for admins only, on the page, in the CSV and through the API', async () => {
    expect((await lead.get('/organisation/audit')).statusCode).toBe(403);
    expect((await lead.get('/organisation/audit.csv')).statusCode).toBe(403);
    // Through the API, a token of the admin's reads the log; a member's session does not.
    expect((await lead.get('/api/organisation/audit')).statusCode).not.toBe(200);
    const token = await apiTokenFor(t, 'admin@demo-council.example', 'audit reader');
    const api = await t.app.inject({
      url: '/api/organisation/audit?limit=500',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.statusCode).toBe(200);
    expect(api.body).not.toContain('Secret institution chain');
    expect((await admin.get('/organisation/audit')).statusCode).toBe(200);
  });

  it('says who did what in plain words, with no codes, ids or JSON', async () => {
    const page = await admin.get('/organisation/audit');
    const text = eventsText(page.body);
    expect(text).toContain('Alex Morgan signed in');
    expect(text).toContain('Priya Shah agreed Managing Risk at 4 Needs Improvement in the round ‘');
    expect(text).toContain('The system created the delivery chain ‘Planning permit applications’');
    expect(rawCodeIn(text)).toBeUndefined();
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(/[{}]|&quot;/);
    // The long reason is kept whole, in the details, in a cell that wraps it.
    expect(page.body).toContain(longRationale.slice(-200));
    expect(page.body).toContain('class="govuk-table__cell tl-audit__what"');
  });

  it('filters by person, kind of action and dates, explaining a bad filter beside its field', async () => {
    const byLead = eventsText((await admin.get(`/organisation/audit?person=${leadId}`)).body);
    expect(byLead).toContain('Priya Shah');
    expect(byLead).not.toContain('Alex Morgan signed in');
    expect(byLead).not.toContain('The system');

    const people = eventsText((await admin.get('/organisation/audit?action=group:people')).body);
    expect(people).toContain('Alex Morgan signed in');
    expect(people).not.toContain('agreed Managing Risk');

    const agreed = await admin.get('/organisation/audit?action=assessment.rating_agreed');
    expect(eventsText(agreed.body)).toContain('agreed Managing Risk');
    expect(eventsText(agreed.body)).not.toContain('signed in');
    expect(agreed.body).toContain(
      '<option value="assessment.rating_agreed" selected>Agreed a level',
    );

    const today = new Date().toISOString().slice(0, 10);
    const inRange = await admin.get(`/organisation/audit?from=${today}&to=${today}`);
    expect(eventsText(inRange.body)).toContain('Alex Morgan signed in');
    const future = await admin.get('/organisation/audit?from=2999-01-01');
    expect(future.body).toContain('No events match these filters.');
    const past = await admin.get('/organisation/audit?to=2000-01-01');
    expect(past.body).toContain('No events match these filters.');

    const bad = await admin.get(
      '/organisation/audit?from=2026-02-30&to=soon&person=nobody&action=x.y',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the start date as a real date, like 2026-03-01');
    expect(bad.body).toContain('Enter the end date as a real date, like 2026-03-01');
    expect(bad.body).toContain('Select a person from the list');
    expect(bad.body).toContain('Select a kind of action from the list');
    expect(bad.body).toContain('href="#from"');
    const backwards = await admin.get('/organisation/audit?from=2026-03-02&to=2026-03-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The end date must be the same as or after the start date');
  });

  it('never shows another organisation’s events, even when asked for its people', async () => {
    const all = await admin.get('/organisation/audit');
    expect(all.body).not.toContain('Secret institution chain');
    const theirs = await admin.get(`/organisation/audit?person=${institutionAdminId}`);
    expect(theirs.body).toContain('No events match these filters.');
    const csv = await admin.get(`/organisation/audit.csv?person=${institutionAdminId}`);
    expect(csv.body).not.toContain('Secret institution chain');
    expect(parseCsv(csv.body)).toHaveLength(1);
  });

  it('pages through the events, 50 at a time, with GOV.UK pagination', async () => {
    const council = await scopeOf(t, 'demo-borough-council');
    const scope = t.storage.scope(council.organisationId, {
      userId: null,
      label: 'System (test)',
    });
    for (let i = 1; i <= 120; i++) {
      await scope.audit({
        action: 'scenario.created',
        entityType: 'chain_scenario',
        entityId: null,
        details: { name: `Scenario number ${i}.` },
      });
    }
    const first = await admin.get('/organisation/audit?action=scenario.created');
    const total = Number(/of (\d+) that match/.exec(first.body)?.[1]);
    expect(total).toBeGreaterThanOrEqual(120);
    expect(first.body).toContain('Showing events 1 to 50 of');
    expect(first.body).toContain('govuk-pagination');
    expect(first.body).toContain('Scenario number 120.');
    expect(first.body).not.toContain('Scenario number 70.');
    expect(first.body).toContain('href="/organisation/audit?action=scenario.created&amp;page=2"');
    const second = await admin.get('/organisation/audit?action=scenario.created&page=2');
    expect(second.body).toContain('Showing events 51 to 100 of');
    expect(second.body).toContain('Scenario number 70.');
    expect(second.body).not.toContain('Scenario number 120.');
    // A page past the end shows the last page.
    const beyond = await admin.get('/organisation/audit?action=scenario.created&page=999');
    expect(beyond.body).toContain(`to ${total} of ${total}`);
  });

  it('exports the filtered events as CSV, in words and raw, and audits the export', async () => {
    const res = await admin.get(`/organisation/audit.csv?person=${leadId}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-log-/);
    const rows = parseCsv(res.body);
    expect(rows[0]).toEqual([
      'When',
      'Who',
      'What happened',
      'Kind of action',
      'Details',
      'Action',
      'Actor user id',
      'Actor label',
      'Entity type',
      'Entity id',
      'Details (JSON)',
    ]);
    const body = rows.slice(1);
    expect(body.length).toBeGreaterThan(0);
    for (const row of body) {
      expect(row[1]).toBe('Priya Shah');
      expect(row[6]).toBe(leadId);
    }
    const agreed = body.find((r) => r[5] === 'assessment.rating_agreed');
    expect(agreed?.[2]).toMatch(/^Priya Shah agreed Managing Risk at 4 Needs Improvement/);
    expect(agreed?.[3]).toBe('Agreed a level');
    expect(agreed?.[4]).toContain(`Reason given: ${longRationale.slice(0, 40)}`);
    expect(JSON.parse(agreed?.[10] ?? '{}')).toMatchObject({ capabilityId: 'managing-risk' });

    const log = eventsText((await admin.get('/organisation/audit?action=audit.exported')).body);
    expect(log).toContain(`Alex Morgan downloaded the audit log (${body.length} event`);
  });
});
