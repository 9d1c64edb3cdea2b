// AI incident and near-miss reporting through HTTP on every configured database (issue 15, point
// 6). The demo agency's member councils report; Ashford Vale's officer (role member) reports, its
// admin triages. The tests prove that:
//  - an anonymous reporter cannot be found through any page, export, audit entry or API response —
//    every body is searched for the officer's name, e-mail address and user id — and no reporter is
//    stored at all;
//  - a named reporter is shown only to the triage role (the member's admins), not to the institution,
//    the reporter's colleagues, the audit log or its export;
//  - triage follows the decision aid, the response follows the class, and the published threshold
//    (versioned) decides independent review; the institution sees referred reports only;
//  - a closed near miss becomes a lesson, shared with the sector when the member agrees;
//  - another organisation's report ids are not found (404), and bad input is refused beside the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, apiTokenFor, scopeOf, text, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const OFFICER = 'officer@ashford-vale.example';
const OFFICER_NAME = 'Sam Okafor';
const ASHFORD_ADMIN = 'admin@ashford-vale.example';
const BRINDLEY_ADMIN = 'admin@brindley.example';
const AGENCY_ADMIN = 'admin@demo-institution.example';

const report = (over: Record<string, string> = {}) => ({
  kind: 'near_miss',
  title: 'Scheduling model double-booked an interpreter',
  systemName: 'Interpreter scheduling model',
  competency: 'predictive-analytics',
  whatHappened: 'The model booked one interpreter for two hearings at once; a clerk noticed.',
  occurredOn: '2026-11-20',
  harmToPublic: 'no',
  severity: '2',
  identity: 'anonymous',
  ...over,
});

describe.each(testDatabases)('sector incidents on $name', (factory) => {
  let t: TestApp;
  let officer: Client;
  let ashford: Client;
  let brindley: Client;
  let agency: Client;
  let officerId: string;

  const idOfReport = async (title: string): Promise<string> => {
    const row = await t.storage.db.kysely
      .selectFrom('sector_incidents')
      .select('id')
      .where('title', '=', title)
      .executeTakeFirstOrThrow();
    return row.id;
  };

  beforeAll(async () => {
    t = await startTestApp(factory);
    officer = new Client(t.app);
    await officer.signIn(OFFICER);
    ashford = new Client(t.app);
    await ashford.signIn(ASHFORD_ADMIN);
    brindley = new Client(t.app);
    await brindley.signIn(BRINDLEY_ADMIN);
    agency = new Client(t.app);
    await agency.signIn(AGENCY_ADMIN);
    const user = await t.storage.platform.findUserByEmail(OFFICER);
    officerId = user?.id ?? '';
    expect(officerId).not.toBe('');
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('shows the threshold in force to the reporter before they submit', async () => {
    const page = text((await officer.get('/sector/incidents/new')).body);
    expect(page).toContain('When a report goes to independent review');
    // The demo agency's version 2: three reports about one system within 60 days.
    expect(page).toContain('version 2');
    expect(page).toContain('3 or more reports about the same AI system within 60 days');
  });

  it('refuses a report with missing or wrong fields, beside each field', async () => {
    const res = await officer.submit('/sector/incidents/new', '/sector/incidents', {
      ...report({ title: '', severity: '9', occurredOn: '2999-01-01' }),
    });
    expect(res.statusCode).toBe(400);
    const page = text(res.body);
    expect(page).toContain('Enter a short title');
    expect(page).toContain('Choose how serious it was');
    expect(page).toContain('The date it happened must be today or in the past');
    const count = await t.storage.db.kysely
      .selectFrom('sector_incidents')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('title', '=', '')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('keeps an anonymous reporter out of every page, export, audit entry and API response', async () => {
    const title = 'Anonymous near miss about interpreter bookings';
    const res = await officer.submit(
      '/sector/incidents/new',
      '/sector/incidents',
      report({ title }),
    );
    expect(res.statusCode).toBe(303);
    const id = await idOfReport(title);
    const row = await t.storage.db.kysely
      .selectFrom('sector_incidents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.reporter_user_id).toBeNull();
    const audit = await t.storage.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_id', '=', id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_user_id).toBeNull();
    expect(audit[0]?.actor_label).toBe('Anonymous reporter');
    expect(audit[0]?.at.endsWith('T00:00:00.000Z')).toBe(true);

    // The triage role triages and closes it, and makes it a shared lesson.
    await ashford.submit(`/sector/incidents/${id}`, `/sector/incidents/${id}/triage`, {
      knowingRisk: 'no',
      sanctionedTrial: 'no',
      departedFromProcedure: 'no',
      followUp: 'Show clashes before a booking is confirmed.',
      intent: 'save',
    });
    await ashford.submit(`/sector/incidents/${id}`, `/sector/incidents/${id}/close`, {
      closingNote: 'Clash warning added.',
    });
    const lesson = await ashford.submit(
      `/sector/incidents/${id}`,
      `/sector/incidents/${id}/lesson`,
      {
        whatWeWouldDoDifferently: 'Test bookings across courtrooms.',
        ambition: 'pilot',
        outcome: 'partly',
        share: 'yes',
      },
    );
    expect(lesson.statusCode).toBe(303);

    const tokens = {
      ashford: await apiTokenFor(t, ASHFORD_ADMIN, 'anon-a'),
      agency: await apiTokenFor(t, AGENCY_ADMIN, 'anon-b'),
      brindley: await apiTokenFor(t, BRINDLEY_ADMIN, 'anon-c'),
    };
    const stored = await t.storage.db.kysely
      .selectFrom('sector_incidents')
      .select(['lesson_id', 'exchange_item_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.lesson_id).not.toBeNull();
    expect(stored.exchange_item_id).not.toBeNull();

    const bodies: [string, string][] = [];
    const pages: [Client, string][] = [
      [ashford, '/sector/incidents'],
      [ashford, `/sector/incidents/${id}`],
      [ashford, `/lessons/${stored.lesson_id}`],
      [ashford, '/lessons'],
      [ashford, `/sector/exchange/${stored.exchange_item_id}`],
      [ashford, '/sector/exchange?q=interpreter'],
      [agency, '/sector/incidents'],
      [agency, '/organisation/audit'],
      [agency, '/organisation/audit.csv'],
      [agency, `/sector/exchange/${stored.exchange_item_id}`],
      [brindley, `/sector/exchange/${stored.exchange_item_id}`],
      [brindley, '/sector/exchange'],
    ];
    for (const [client, url] of pages) {
      const r = await client.get(url);
      expect(r.statusCode, url).toBe(200);
      bodies.push([url, r.body]);
    }
    for (const [who, token] of Object.entries(tokens)) {
      for (const url of [
        '/api/sector/exchange',
        `/api/sector/exchange/${stored.exchange_item_id}`,
        '/api/sector/exchange?q=interpreter',
      ]) {
        const r = await t.app.inject({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${token}` },
        });
        expect(r.statusCode, `${who} ${url}`).toBe(200);
        bodies.push([`${who} ${url}`, r.body]);
      }
    }
    expect(bodies.some(([, b]) => b.includes('interpreter'))).toBe(true);
    for (const [url, body] of bodies) {
      expect(body, url).not.toContain(OFFICER_NAME);
      expect(body, url).not.toContain(OFFICER);
      expect(body, url).not.toContain(officerId);
    }
    // The audit log names the officer where the officer acted (signing in), so no entry about the
    // report, its triage, lesson or exchange item may name them, on the page or in the export.
    for (const client of [ashford, agency]) {
      const csv = (await client.get('/organisation/audit.csv')).body.split('\n');
      const about = csv.filter((line) => /interpreter/i.test(line));
      expect(about.length).toBeGreaterThan(0);
      for (const line of about) {
        expect(line).not.toContain(OFFICER_NAME);
        expect(line).not.toContain(OFFICER);
        expect(line).not.toContain(officerId);
      }
    }
    const reportEntry = await t.storage.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_type', '=', 'sector_incident')
      .where('entity_id', '=', id)
      .execute();
    for (const e of reportEntry) {
      expect(e.actor_user_id === officerId).toBe(false);
      expect(e.actor_label).not.toContain(OFFICER_NAME);
      expect(e.details).not.toContain(officerId);
    }
    // The triage page says it was anonymous.
    expect(text((await ashford.get(`/sector/incidents/${id}`)).body)).toContain(
      'Anonymous – no name was recorded',
    );
  }, 120_000);

  it('shows a named reporter to the triage role only', async () => {
    const title = 'Named report about a chatbot answer';
    await officer.submit(
      '/sector/incidents/new',
      '/sector/incidents',
      report({ title, identity: 'named', kind: 'incident' }),
    );
    const id = await idOfReport(title);
    const triagePage = text((await ashford.get(`/sector/incidents/${id}`)).body);
    expect(triagePage).toContain(OFFICER_NAME);
    expect(triagePage).toContain(OFFICER);
    // The reporter, a colleague, cannot open the triage page; the list is not shown to them.
    expect((await officer.get(`/sector/incidents/${id}`)).statusCode).toBe(403);
    expect(text((await officer.get('/sector/incidents')).body)).not.toContain(title);
    // Nowhere else: not the lists, the institution's pages, nor any audit entry about the report.
    for (const [client, url] of [
      [ashford, '/sector/incidents'],
      [agency, '/sector/incidents'],
      [agency, '/organisation/audit.csv'],
    ] as const) {
      const body = (await client.get(url)).body;
      expect(body, url).not.toContain(OFFICER_NAME);
      expect(body, url).not.toContain(OFFICER);
    }
    const csv = (await ashford.get('/organisation/audit.csv')).body.split('\n');
    const about = csv.filter((line) => line.includes(title));
    expect(about).toHaveLength(1);
    expect(about[0]).not.toContain(OFFICER_NAME);
    expect(about[0]).toContain('named to the triage role only');
  });

  it('triages with the decision aid: the response follows the class, and the rule decides review', async () => {
    const title = 'Harm to the public from a wrong letter';
    await officer.submit(
      '/sector/incidents/new',
      '/sector/incidents',
      report({ title, kind: 'incident', harmToPublic: 'yes', severity: '3' }),
    );
    const id = await idOfReport(title);
    // Only some answers: the page asks the next question and stores nothing.
    const partial = await ashford.submit(
      `/sector/incidents/${id}`,
      `/sector/incidents/${id}/triage`,
      {
        knowingRisk: 'no',
        intent: 'save',
      },
    );
    expect(partial.statusCode).toBe(400);
    expect(text(partial.body)).toContain('Answer: Was this part of a planned and approved trial');
    // "Show the class" shows the class and the follow-up it requires, without saving.
    const check = await ashford.submit(
      `/sector/incidents/${id}`,
      `/sector/incidents/${id}/triage`,
      {
        knowingRisk: 'no',
        sanctionedTrial: 'no',
        departedFromProcedure: 'yes',
        othersWouldToo: 'no',
        intent: 'check',
      },
    );
    expect(check.statusCode).toBe(200);
    expect(text(check.body)).toContain('Class: At-risk behaviour');
    expect(text(check.body)).toContain('Coaching agreed');
    const before = await t.storage.db.kysely
      .selectFrom('sector_incidents')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(before.status).toBe('open');
    // Saving without the follow-up is refused.
    const noFollowUp = await ashford.submit(
      `/sector/incidents/${id}`,
      `/sector/incidents/${id}/triage`,
      {
        knowingRisk: 'no',
        sanctionedTrial: 'no',
        departedFromProcedure: 'yes',
        othersWouldToo: 'no',
        followUp: '',
        intent: 'save',
      },
    );
    expect(noFollowUp.statusCode).toBe(400);
    expect(text(noFollowUp.body)).toContain('Enter the follow-up: coaching agreed');
    const saved = await ashford.submit(
      `/sector/incidents/${id}`,
      `/sector/incidents/${id}/triage`,
      {
        knowingRisk: 'no',
        sanctionedTrial: 'no',
        departedFromProcedure: 'yes',
        othersWouldToo: 'no',
        followUp: 'Coaching on checking letters before sending.',
        intent: 'save',
      },
    );
    expect(saved.statusCode).toBe(303);
    const row = await t.storage.db.kysely
      .selectFrom('sector_incidents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.class).toBe('at_risk_behaviour');
    expect(Number(row.refer)).toBe(1);
    expect(Number(row.rule_version)).toBe(2);
    expect(JSON.parse(row.review_reasons ?? '[]')).toContain('Harm reached the public');
    // The institution sees it referred, with its member, and its class counted.
    const agencyPage = text((await agency.get('/sector/incidents')).body);
    expect(agencyPage).toContain(title);
    expect(agencyPage).toContain('Ashford Vale Metropolitan Borough Council');
    // A report below the threshold is not shown to the institution.
    expect(agencyPage).not.toContain('Named report about a chatbot answer');
  });

  it('publishes a new version of the threshold, keeping the earlier ones, for the institution’s admin only', async () => {
    const bad = await agency.submit('/sector/incidents', '/sector/incidents/rule', {
      severityAtLeast: '',
      repeatsAtLeast: '1',
      windowDays: '90',
    });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Enter the number of reports from 2 to 100');
    const ok = await agency.submit('/sector/incidents', '/sector/incidents/rule', {
      harmToPublic: 'yes',
      severityAtLeast: '3',
      repeatsAtLeast: '',
      windowDays: '90',
    });
    expect(ok.statusCode).toBe(303);
    const page = text((await agency.get('/sector/incidents')).body);
    expect(page).toContain('version 3');
    expect(page).toContain('Version 2');
    expect(page).toContain('Version 1');
    expect(text((await officer.get('/sector/incidents/new')).body)).toContain(
      'severity Moderate or worse',
    );
    // A member cannot publish the institution's rule.
    const member = await ashford.submit('/sector/incidents', '/sector/incidents/rule', {
      harmToPublic: 'yes',
      windowDays: '90',
    });
    expect(member.statusCode).toBe(404);
  });

  it('finds no report of another organisation (404)', async () => {
    const calderbrook = await scopeOf(t, 'calderbrook');
    const theirs = (await calderbrook.sectorIncidents.list())[0];
    expect(theirs).toBeDefined();
    expect((await ashford.get(`/sector/incidents/${theirs?.id}`)).statusCode).toBe(404);
    const post = await ashford.submit(
      '/sector/incidents',
      `/sector/incidents/${theirs?.id}/close`,
      {
        closingNote: 'x',
      },
    );
    expect(post.statusCode).toBe(404);
    expect((await agency.get(`/sector/incidents/${theirs?.id}`)).statusCode).toBe(404);
  });
});
