// Keeping the assessments tidy through HTTP on every database (issue 12, point 11): deleting a round
// that never opened, group names that differ only in capitals, counts in the right number, the order
// of a sector round explained with sector capabilities, and pages for a sent link that send once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { answerAll } from '../helpers/rounds.ts';

const DATES = {
  'opensOn-day': '1',
  'opensOn-month': '3',
  'opensOn-year': '2027',
  'closesOn-day': '31',
  'closesOn-month': '3',
  'closesOn-year': '2027',
};

async function createRound(client: Client, title: string, groups: string) {
  const res = await client.submit('/assessments/new', '/assessments', {
    title,
    scope: 'organisation',
    ...DATES,
    groups,
    minGroupSize: '3',
  });
  return { res, id: /\/assessments\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '')?.[1] };
}

describe.each(testDatabases)('assessment housekeeping on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses group names that differ only in capitals or spaces, saying which, and keeps nothing', async () => {
    const before = await t.storage.db.kysely.selectFrom('assessment_rounds').select('id').execute();
    const { res } = await createRound(lead, 'Clash', 'Leadership\nFrontline  staff\nleadership');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('‘Leadership’ and ‘leadership’ are the same group');
    const after = await t.storage.db.kysely.selectFrom('assessment_rounds').select('id').execute();
    expect(after).toHaveLength(before.length);

    const { id } = await createRound(lead, 'Two groups', 'Leadership\nFrontline staff');
    const edit = await lead.get(`/assessments/${id}/edit`);
    const groupIds = [...edit.body.matchAll(/name="group-([0-9a-f-]{36})"/g)].map((m) => m[1]);
    const renamed = await lead.post(`/assessments/${id}/edit`, {
      _csrf: csrfTokenFrom(edit.body),
      title: 'Two groups',
      ...DATES,
      minGroupSize: '3',
      [`group-${groupIds[0]}`]: 'Leadership',
      [`group-${groupIds[1]}`]: 'Frontline staff',
      newGroups: 'FRONTLINE STAFF',
    });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.body).toContain('‘Frontline staff’ and ‘FRONTLINE STAFF’ are the same group');
    const stored = await t.storage.db.kysely
      .selectFrom('round_groups')
      .select('name')
      .where('round_id', '=', id ?? '')
      .execute();
    expect(stored.map((g) => g.name).sort()).toEqual(['Frontline staff', 'Leadership']);
  });

  it('deletes a draft round with its links, audited, and refuses to delete one that has opened', async () => {
    const { id } = await createRound(lead, 'Drafted by mistake', 'Leadership\nManagers');
    const respondents = await lead.get(`/assessments/${id}/respondents`);
    const groupId =
      /<option value="([0-9a-f-]{36})">Leadership<\/option>/.exec(respondents.body)?.[1] ?? '';
    const links = await lead.post(`/assessments/${id}/links`, {
      _csrf: csrfTokenFrom(respondents.body),
      groupId,
      count: '2',
    });
    expect(links.statusCode).toBe(200);

    const round = await lead.get(`/assessments/${id}`);
    expect(round.body).toContain('Delete this draft round');
    const confirm = await lead.get(`/assessments/${id}/delete`);
    expect(confirm.body).toContain(
      '2 response links or invitations made for this round will stop working',
    );

    // A member cannot delete it, nor can another organisation's admin.
    const member = new Client(t.app);
    await member.signIn('planner@demo-council.example');
    const refused = await member.post(`/assessments/${id}/delete`, {
      _csrf: csrfTokenFrom((await member.get('/assessments')).body),
    });
    expect(refused.statusCode).toBe(403);
    const stranger = new Client(t.app);
    await stranger.signIn('admin@demo-institution.example');
    const elsewhere = await stranger.post(`/assessments/${id}/delete`, {
      _csrf: csrfTokenFrom((await stranger.get('/assessments')).body),
    });
    expect(elsewhere.statusCode).toBe(404);

    const deleted = await lead.post(`/assessments/${id}/delete`, {
      _csrf: csrfTokenFrom(confirm.body),
    });
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe('/assessments');
    expect((await lead.get(`/assessments/${id}`)).statusCode).toBe(404);
    const db = t.storage.db.kysely;
    for (const table of ['round_groups', 'responses'] as const) {
      const rows = await db
        .selectFrom(table)
        .select('id')
        .where('round_id', '=', id ?? '')
        .execute();
      expect(rows).toHaveLength(0);
    }
    const audit = await db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('entity_id', '=', id ?? '')
      .where('action', '=', 'assessment.round_deleted')
      .executeTakeFirstOrThrow();
    expect(audit.details).toContain('Drafted by mistake');

    // A round that has been opened cannot be deleted, even by a forged form.
    const { id: opened } = await createRound(lead, 'Opened', 'Leadership');
    const page = await lead.get(`/assessments/${opened}`);
    await lead.post(`/assessments/${opened}/open`, { _csrf: csrfTokenFrom(page.body) });
    expect((await lead.get(`/assessments/${opened}`)).body).not.toContain(
      'Delete this draft round',
    );
    const forged = await lead.post(`/assessments/${opened}/delete`, {
      _csrf: csrfTokenFrom(page.body),
    });
    expect(forged.statusCode).toBe(303);
    expect((await lead.get(`/assessments/${opened}`)).statusCode).toBe(200);
  });

  it('explains the order of a sector round with sector capabilities', async () => {
    const institution = new Client(t.app);
    await institution.signIn('admin@demo-institution.example');
    const index = await institution.get('/assessments');
    const sectorId = /href="\/assessments\/([0-9a-f-]{36})"/.exec(index.body)?.[1];
    const results = await institution.get(`/assessments/${sectorId}/results`);
    expect(results.statusCode).toBe(200);
    expect(results.body).toContain(
      'Flow of Human Capital comes before every other sector capability',
    );
    expect(results.body).not.toMatch(/organisational learning comes before/i);
    const council = await lead.get('/assessments');
    const councilRound = /href="\/assessments\/([0-9a-f-]{36})"/.exec(council.body)?.[1];
    const councilResults = await lead.get(`/assessments/${councilRound}/results`);
    expect(councilResults.body).toContain(
      'Organisational Learning comes before Planning &amp; Prioritisation (section 3)',
    );
  });

  it('shows a sent link its own page once, without sending a second reply', async () => {
    const { id } = await createRound(lead, 'Answer once', 'Leadership');
    const respondents = await lead.get(`/assessments/${id}/respondents`);
    const groupId =
      /<option value="([0-9a-f-]{36})">Leadership<\/option>/.exec(respondents.body)?.[1] ?? '';
    const links = await lead.post(`/assessments/${id}/links`, {
      _csrf: csrfTokenFrom(respondents.body),
      groupId,
      count: '1',
    });
    expect(links.body).toContain('1 response link created');
    const base = /http:\/\/[^/<]+(\/respond\/[A-Za-z0-9_-]+)/.exec(links.body)?.[1] ?? '';
    const page = await lead.get(`/assessments/${id}`);
    await lead.post(`/assessments/${id}/open`, { _csrf: csrfTokenFrom(page.body) });
    const respondent = new Client(t.app);
    await answerAll(respondent, base, '3');
    const check = await respondent.get(`${base}/check`);
    await respondent.post(`${base}/submit`, { _csrf: csrfTokenFrom(check.body) });
    // Every page of a sent response says so; the check that no handler sent two replies runs when
    // the app closes (test/helpers/app.ts).
    for (const path of [base, `${base}/managing-risk`, `${base}/check`]) {
      const again = await respondent.get(path);
      expect(again.body).toContain('You have already sent your answers');
    }
    const closed = await lead.get(`/assessments/${id}`);
    await lead.post(`/assessments/${id}/close`, { _csrf: csrfTokenFrom(closed.body) });
    const after = await respondent.post(`${base}/managing-risk`, {
      _csrf: csrfTokenFrom(check.body),
      level: '1',
      confidence: 'high',
      action: 'continue',
    });
    expect(after.body).toContain('You have already sent your answers');
    const report = await lead.get(`/assessments/${id}/report`);
    expect(report.body).toContain('1 respondent.');
    expect(t.warnings.filter((w) => w.includes('FST_ERR_REP_ALREADY_SENT'))).toEqual([]);
  });
});
