// Assessment rounds through HTTP on every database: creating and opening a round, inviting
// respondents, answering with drafts that survive a closed browser, submitting, closing, and the
// walls between organisations and between single-use links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokenFor, Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { ORG_CAPABILITIES, answerAll } from '../helpers/rounds.ts';

async function createRound(lead: Client, title: string, extra: Record<string, string> = {}) {
  const res = await lead.submit('/assessments/new', '/assessments', {
    title,
    scope: 'organisation',
    'opensOn-day': '1',
    'opensOn-month': '3',
    'opensOn-year': '2027',
    'closesOn-day': '31',
    'closesOn-month': '3',
    'closesOn-year': '2027',
    groups: 'Leadership\nFrontline staff',
    minGroupSize: '3',
    ...extra,
  });
  const id = /\/assessments\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '')?.[1];
  return { res, id };
}

describe.each(testDatabases)('assessment rounds on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let roundId: string;
  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
  });
  afterAll(async () => {
    await t.close();
  });

  it('validates a new round and explains each problem', async () => {
    const { res } = await createRound(lead, '', {
      'closesOn-day': '31',
      'closesOn-month': '2',
      groups: '   ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter a title for the round');
    expect(res.body).toContain('The closing date must be a real date');
    expect(res.body).toContain('Enter at least one respondent group');
  });

  it('lets only a strategic institution run a sector round', async () => {
    const { res } = await createRound(lead, 'Sector try', { scope: 'sector' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Only a strategic institution can run a sector-level round');
  });

  it('creates a draft round with its groups and the framework version, audited', async () => {
    const { res, id } = await createRound(lead, 'Baseline 2027');
    expect(res.statusCode).toBe(303);
    expect(id).toBeDefined();
    roundId = id ?? '';
    const page = await lead.get(`/assessments/${roundId}`);
    expect(page.body).toContain('Baseline 2027');
    expect(page.body).toContain('Draft');
    expect(page.body).toContain('hoskins-2025 version 1.1.0');
    // The audit log is for admins; it says what happened in words, not codes.
    const admin = new Client(t.app);
    await admin.signIn('admin@demo-council.example');
    const log = await admin.get('/organisation/audit');
    expect(log.body).toContain('Priya Shah created the round ‘Baseline 2027’');
    expect(log.body.split('<table')[1]).not.toContain('assessment.round_created');
  });

  it('changes the dates and groups of a round before it is finalised, audited', async () => {
    const bad = await lead.submit(`/assessments/${roundId}/edit`, `/assessments/${roundId}/edit`, {
      title: '',
      'opensOn-day': '1',
      'opensOn-month': '3',
      'opensOn-year': '2027',
      'closesOn-day': '1',
      'closesOn-month': '2',
      'closesOn-year': '2027',
      minGroupSize: '3',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a title for the round');
    expect(bad.body).toContain('The closing date must be the same as or after the opening date');

    const dates = {
      'opensOn-day': '1',
      'opensOn-month': '3',
      'opensOn-year': '2027',
      'closesOn-day': '15',
      'closesOn-month': '4',
      'closesOn-year': '2027',
      minGroupSize: '3',
    };
    const added = await lead.submit(
      `/assessments/${roundId}/edit`,
      `/assessments/${roundId}/edit`,
      {
        title: 'Baseline 2027',
        ...dates,
        newGroups: 'Volunteers',
      },
    );
    expect(added.statusCode).toBe(303);
    const page = await lead.get(`/assessments/${roundId}`);
    expect(page.body).toContain('Volunteers');
    expect(page.body).toContain('15 April 2027');
    const form = await lead.get(`/assessments/${roundId}/edit`);
    const volunteers =
      /name="remove-([0-9a-f-]{36})"[^>]*value="yes"[^>]*>\s*<label[^>]*>\s*Remove Volunteers/.exec(
        form.body,
      )?.[1];
    expect(volunteers).toBeDefined();
    const removed = await lead.post(`/assessments/${roundId}/edit`, {
      _csrf: csrfTokenFrom(form.body),
      title: 'Baseline 2027',
      ...dates,
      [`remove-${volunteers}`]: 'yes',
    });
    expect(removed.statusCode).toBe(303);
    expect((await lead.get(`/assessments/${roundId}`)).body).not.toContain('Volunteers');
    const log = await t.storage.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'assessment.round_updated')
      .execute();
    expect(log.length).toBeGreaterThanOrEqual(2);
  });

  it('does not let a member or viewer create or open rounds', async () => {
    const member = new Client(t.app);
    await member.signIn('planner@demo-council.example');
    expect((await member.get('/assessments/new')).statusCode).toBe(403);
    const page = await member.get(`/assessments/${roundId}`);
    const open = await member.post(`/assessments/${roundId}/open`, {
      _csrf: csrfTokenFrom(page.body),
    });
    expect(open.statusCode).toBe(403);
  });

  it('refuses answers before the round opens', async () => {
    const member = new Client(t.app);
    await member.signIn('planner@demo-council.example');
    const res = await member.get(`/assessments/${roundId}/respond`);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('This assessment is not open');
  });

  let linkBase = '';
  let otherLinkBase = '';
  it('makes single-use links, each reaching only its own response', async () => {
    const page = await lead.get(`/assessments/${roundId}/respondents`);
    const frontline = /<option value="([0-9a-f-]{36})">Frontline staff<\/option>/.exec(
      page.body,
    )?.[1];
    const res = await lead.post(`/assessments/${roundId}/links`, {
      _csrf: csrfTokenFrom(page.body),
      groupId: frontline ?? '',
      count: '2',
      label: 'Depot',
    });
    expect(res.statusCode).toBe(200);
    const links = [...res.body.matchAll(/http:\/\/[^/<]+(\/respond\/[A-Za-z0-9_-]+)/g)].map(
      (m) => m[1] ?? '',
    );
    expect(new Set(links).size).toBe(2);
    [linkBase, otherLinkBase] = links as [string, string];
    const stored = await t.storage.db.kysely
      .selectFrom('responses')
      .select('link_token_hash')
      .execute();
    expect(stored.some((r) => linkBase.endsWith(r.link_token_hash ?? '-'))).toBe(false);
  });

  it('opens the round (audited)', async () => {
    const page = await lead.get(`/assessments/${roundId}`);
    const res = await lead.post(`/assessments/${roundId}/open`, {
      _csrf: csrfTokenFrom(page.body),
    });
    expect(res.statusCode).toBe(303);
    expect((await lead.get(`/assessments/${roundId}`)).body).toContain('Close the round');
  });

  it('keeps a draft on the server when the browser is closed, and resumes from the same link', async () => {
    const first = new Client(t.app);
    const page = await first.get(`${linkBase}/managing-risk`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Managing Risk');
    const later = await first.post(`${linkBase}/managing-risk`, {
      _csrf: csrfTokenFrom(page.body),
      level: '3',
      indicators: 'managing-risk.3.1',
      evidence: 'Risk registers per project only',
      action: 'later',
    });
    expect(later.statusCode).toBe(200);
    expect(later.body).toContain('Your answers have been saved');

    const reopened = await new Client(t.app).get(`${linkBase}/managing-risk`);
    expect(reopened.body).toContain('Risk registers per project only');
    expect(reopened.body).toMatch(/value="managing-risk\.3\.1" checked/);
    expect(reopened.body).toMatch(/name="level" type="radio" value="3" checked/);

    // The other link sees nothing of it.
    const other = await new Client(t.app).get(`${otherLinkBase}/managing-risk`);
    expect(other.body).not.toContain('Risk registers per project only');
  });

  it('asks for a level and confidence before continuing, and says gently when the level contradicts what was ticked', async () => {
    const client = new Client(t.app);
    const page = await client.get(`${linkBase}/organisational-learning`);
    const missing = await client.post(`${linkBase}/organisational-learning`, {
      _csrf: csrfTokenFrom(page.body),
      action: 'continue',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Select the level that fits best, or ‘I don’t know’');

    const contradictory = await client.post(`${linkBase}/organisational-learning`, {
      _csrf: csrfTokenFrom(page.body),
      level: '1',
      indicators: [
        'organisational-learning.5.1',
        'organisational-learning.5.2',
        'organisational-learning.5.3',
      ],
      confidence: 'high',
      evidence: '',
      action: 'continue',
    });
    expect(contradictory.statusCode).toBe(200);
    expect(contradictory.body).toContain('govuk-warning-text');
    expect(contradictory.body).toContain('name="acknowledged" value="1"');
    const kept = await client.post(`${linkBase}/organisational-learning`, {
      _csrf: csrfTokenFrom(contradictory.body),
      level: '1',
      confidence: 'high',
      acknowledged: '1',
      action: 'continue',
    });
    expect(kept.statusCode).toBe(303);
  });

  it('will not send an incomplete response, then sends a complete one once', async () => {
    const client = new Client(t.app);
    const check = await client.get(`${linkBase}/check`);
    const early = await client.post(`${linkBase}/submit`, { _csrf: csrfTokenFrom(check.body) });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Answer Planning');

    await answerAll(client, linkBase, '4');
    const ready = await client.get(`${linkBase}/check`);
    expect(ready.body).toContain('4 Needs Improvement');
    const sent = await client.post(`${linkBase}/submit`, { _csrf: csrfTokenFrom(ready.body) });
    expect(sent.statusCode).toBe(303);
    const done = await client.get(`${linkBase}/done`);
    expect(done.body).toContain('Your answers have been sent');

    const again = await client.get(`${linkBase}/managing-risk`);
    expect(again.body).toContain('You have already sent your answers');
    const page = await client.get(`${otherLinkBase}/managing-risk`);
    const change = await client.post(`${linkBase}/managing-risk`, {
      _csrf: csrfTokenFrom(page.body),
      level: '1',
      confidence: 'high',
      action: 'continue',
    });
    expect(change.body).toContain('You have already sent your answers');
    const stored = await t.storage.db.kysely
      .selectFrom('answers')
      .select(['capability_id', 'level'])
      .execute();
    expect(
      stored.filter((a) => a.capability_id === 'managing-risk').map((a) => a.level),
    ).not.toContain(1);
  });

  it('lets a signed-in member choose a group and answer', async () => {
    const member = new Client(t.app);
    await member.signIn('planner@demo-council.example');
    const choose = await member.get(`/assessments/${roundId}/respond`);
    expect(choose.body).toContain('Which group are you answering for?');
    const leadership = /value="([0-9a-f-]{36})"[^>]*>\s*<label[^>]*>\s*Leadership/.exec(
      choose.body,
    )?.[1];
    const picked = await member.post(`/assessments/${roundId}/respond`, {
      _csrf: csrfTokenFrom(choose.body),
      groupId: leadership ?? '',
    });
    expect(picked.statusCode).toBe(303);
    const base = `/assessments/${roundId}/respond`;
    await answerAll(member, base, '2');
    const check = await member.get(`${base}/check`);
    const sent = await member.post(`${base}/submit`, { _csrf: csrfTokenFrom(check.body) });
    expect(sent.statusCode).toBe(303);
  });

  it('hides the round from another organisation (404) and keeps links out of other rounds', async () => {
    const other = new Client(t.app);
    await other.signIn('admin@demo-institution.example');
    expect((await other.get(`/assessments/${roundId}`)).statusCode).toBe(404);
    expect((await other.get(`/assessments/${roundId}/respondents`)).statusCode).toBe(404);
    expect((await other.get(`/assessments/${roundId}/respond`)).statusCode).toBe(404);
    const forged = await new Client(t.app).get(
      '/respond/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/managing-risk',
    );
    expect(forged.statusCode).toBe(404);
    expect(forged.body).toContain('This link cannot be used');
  });

  it('accepts no answers once the round is closed', async () => {
    const page = await lead.get(`/assessments/${roundId}`);
    const closed = await lead.post(`/assessments/${roundId}/close`, {
      _csrf: csrfTokenFrom(page.body),
    });
    expect(closed.statusCode).toBe(303);
    const client = new Client(t.app);
    const res = await client.get(`${otherLinkBase}/managing-risk`);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('This assessment has closed');
    const csrfPage = await client.get('/sign-in');
    const post = await client.post(`${otherLinkBase}/managing-risk`, {
      _csrf: csrfTokenFrom(csrfPage.body),
      level: '2',
      confidence: 'low',
      action: 'continue',
    });
    expect(post.statusCode).toBe(409);
  });
});

describe.each(testDatabases)('assessment results on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let roundId: string;
  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
    const created = await createRound(lead, 'Results round', { minGroupSize: '2' });
    roundId = created.id ?? '';
    const page = await lead.get(`/assessments/${roundId}/respondents`);
    const groups = [
      ...page.body.matchAll(
        /<option value="([0-9a-f-]{36})">(Leadership|Frontline staff)<\/option>/g,
      ),
    ];
    const leadership = groups.find((g) => g[2] === 'Leadership')?.[1] ?? '';
    const frontline = groups.find((g) => g[2] === 'Frontline staff')?.[1] ?? '';
    const links = async (groupId: string, count: string) => {
      const p = await lead.get(`/assessments/${roundId}/respondents`);
      const res = await lead.post(`/assessments/${roundId}/links`, {
        _csrf: csrfTokenFrom(p.body),
        groupId,
        count,
      });
      const found = [...res.body.matchAll(/http:\/\/[^/<]+(\/respond\/[A-Za-z0-9_-]+)/g)];
      return [...new Set(found.map((m) => m[1] ?? ''))];
    };
    const leaders = await links(leadership, '2');
    const staff = await links(frontline, '3');
    const openPage = await lead.get(`/assessments/${roundId}`);
    await lead.post(`/assessments/${roundId}/open`, { _csrf: csrfTokenFrom(openPage.body) });
    // Leaders see Good (2); frontline staff see Needs Improvement (4): a perception gap.
    for (const [bases, level] of [
      [leaders, '2'],
      [staff, '4'],
    ] as const) {
      for (const base of bases) {
        const client = new Client(t.app);
        await answerAll(
          client,
          base,
          level,
          level === '4' ? 'Lessons are lost when people leave' : 'Reviews are documented',
        );
        const check = await client.get(`${base}/check`);
        await client.post(`${base}/submit`, { _csrf: csrfTokenFrom(check.body) });
      }
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows consensus, spread, the perception gap between named groups, and how each figure was computed', async () => {
    const res = await lead.get(`/assessments/${roundId}/results`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('5 people have sent answers');
    expect(res.body).toContain('4 Needs Improvement');
    expect(res.body).toMatch(/Frontline staff[^<]*Leadership|Leadership[^<]*Frontline staff/);
    expect(res.body).toContain('How these figures were worked out');
    expect(res.body).toContain('<svg');
    expect(res.body).toContain('role="img"');
  });

  it('exports CSV and JSON with the same figures', async () => {
    const csv = await lead.get(`/assessments/${roundId}/results.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain(',');
    expect(csv.body).toContain('Frontline staff');
    const json = await lead.get(`/assessments/${roundId}/results.json`);
    const report = JSON.parse(json.body) as {
      capabilities: { capabilityId: string; result: { consensus: number } }[];
    };
    expect(report.capabilities).toHaveLength(5);
    expect(report.capabilities.every((c) => c.result.consensus === 4)).toBe(true);
  });

  it('does not let moderation start while the round is open, and hides results from other organisations', async () => {
    expect((await lead.get(`/assessments/${roundId}/moderate`)).statusCode).toBe(303);
    const other = new Client(t.app);
    await other.signIn('admin@demo-institution.example');
    expect((await other.get(`/assessments/${roundId}/results`)).statusCode).toBe(404);
    expect((await other.get(`/assessments/${roundId}/results.csv`)).statusCode).toBe(404);
  });

  it('records agreed levels, flags an unevidenced claim of Good, refuses to finalise until all are agreed, then freezes the result', async () => {
    const page = await lead.get(`/assessments/${roundId}`);
    await lead.post(`/assessments/${roundId}/close`, { _csrf: csrfTokenFrom(page.body) });

    const early = await lead.submit(
      `/assessments/${roundId}/moderate`,
      `/assessments/${roundId}/finalise`,
      {},
    );
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Agree a level for');

    const noReason = await lead.submit(
      `/assessments/${roundId}/moderate/managing-risk`,
      `/assessments/${roundId}/moderate/managing-risk`,
      { agreedLevel: '2', evidenceStrength: 'asserted', rationale: '' },
    );
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Explain why the agreed level differs');

    // The evidence rule (issue 12, point 4): Good on asserted evidence is refused beside the field.
    const unevidenced = await lead.submit(
      `/assessments/${roundId}/moderate/managing-risk`,
      `/assessments/${roundId}/moderate/managing-risk`,
      {
        agreedLevel: '2',
        evidenceStrength: 'asserted',
        rationale: 'Leaders believe the framework is in place',
      },
    );
    expect(unevidenced.statusCode).toBe(400);
    expect(unevidenced.body).toContain('id="evidenceStrength-error"');
    expect(unevidenced.body).toContain('needs documented or independently verified evidence');

    for (const capability of ORG_CAPABILITIES) {
      const res = await lead.submit(
        `/assessments/${roundId}/moderate/${capability}`,
        `/assessments/${roundId}/moderate/${capability}`,
        capability === 'managing-risk'
          ? {
              agreedLevel: '2',
              evidenceStrength: 'documented',
              rationale: 'The risk framework and its reviews are documented',
            }
          : { agreedLevel: '4', evidenceStrength: 'documented', rationale: '' },
      );
      expect(res.statusCode).toBe(303);
    }

    const final = await lead.submit(
      `/assessments/${roundId}/moderate`,
      `/assessments/${roundId}/finalise`,
      {},
    );
    expect(final.statusCode).toBe(303);
    const results = await lead.get(`/assessments/${roundId}/results`);
    expect(results.body).toContain('Finalised results, version 1');

    const correction = await lead.submit(
      `/assessments/${roundId}/moderate/managing-risk`,
      `/assessments/${roundId}/moderate/managing-risk`,
      {
        agreedLevel: '3',
        evidenceStrength: 'documented',
        rationale: 'Audit report found gaps',
        reason: 'Internal audit report received',
      },
    );
    expect(correction.statusCode).toBe(303);
    const after = await lead.get(`/assessments/${roundId}/results`);
    expect(after.body).toContain('version 2');
    expect(after.body).toContain('Internal audit report received');
    const snapshots = await t.storage.db.kysely
      .selectFrom('round_snapshots')
      .select(['version', 'reason'])
      .where('round_id', '=', roundId)
      .orderBy('version')
      .execute();
    expect(snapshots.map((s) => s.version)).toEqual([1, 2]);
    const log = await t.storage.db.kysely.selectFrom('audit_events').select('action').execute();
    const actions = log.map((l) => l.action);
    expect(actions).toContain('assessment.round_finalised');
    expect(actions).toContain('assessment.round_corrected');
    expect(actions.filter((a) => a === 'assessment.rating_agreed').length).toBeGreaterThanOrEqual(
      5,
    );
  });
  it('sets audited target levels and shows the roadmap to the next level with the distance to target', async () => {
    const viewer = new Client(t.app);
    await viewer.signIn('auditor@demo-council.example');
    const readOnly = await viewer.get('/assessments/targets');
    expect(readOnly.statusCode).toBe(200);
    expect(readOnly.body).not.toContain('Save targets');

    const bad = await lead.submit('/assessments/targets', '/assessments/targets', {
      'target-managing-risk': '9',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose a target level for Managing Risk');

    const saved = await lead.submit('/assessments/targets', '/assessments/targets', {
      'target-managing-risk': '2',
      'rationale-managing-risk': 'We plan a bespoke predictive tool',
      'target-organisational-learning': '3',
    });
    expect(saved.statusCode).toBe(303);
    // The targets apply to rounds not yet finalised (the demo's autumn 2026 review, median 3)…
    const list = (await lead.get('/assessments')).body;
    const review = /href="\/assessments\/([0-9a-f-]{36})">Capability review, autumn 2026</.exec(
      list,
    )?.[1];
    const roadmap = await lead.get(`/assessments/${review ?? ''}/roadmap`);
    expect(roadmap.statusCode).toBe(200);
    expect(roadmap.body).toContain('Make sure that');
    expect(roadmap.body).toContain('1 level to go to reach your target of 2 Good');
    // …not to this finalised round, which keeps the target it was finalised with (the demo's 3).
    const frozen = (await lead.get(`/assessments/${roundId}/roadmap`)).body;
    const start = frozen.indexOf('id="roadmap-managing-risk"');
    const managingRisk = frozen.slice(start, frozen.indexOf('</section>', start));
    expect(start).toBeGreaterThan(0);
    expect(managingRisk).toContain('your target of 3 Adequate');
    expect(managingRisk).not.toContain('your target of 2 Good');
    const log = await t.storage.db.kysely
      .selectFrom('audit_events')
      .select(['action', 'actor_label'])
      .where('action', '=', 'assessment.target_set')
      .execute();
    expect(log.filter((l) => l.actor_label.includes('lead@demo-council.example'))).toHaveLength(2);
  });

  it('compares with an earlier round and prints a report', async () => {
    const compare = await lead.get(`/assessments/${roundId}/compare`);
    expect(compare.statusCode).toBe(200);
    const demoRound = /<option value="([0-9a-f-]{36})">Capability baseline, autumn 2025/.exec(
      compare.body,
    )?.[1];
    expect(demoRound).toBeDefined();
    const compared = await lead.get(`/assessments/${roundId}/compare?with=${demoRound}`);
    expect(compared.statusCode).toBe(200);
    expect(compared.body).toContain('Capability baseline, autumn 2025 compared with Results round');
    expect(compared.body).toMatch(/improved by|worsened by|no change/);
    const report = await lead.get(`/assessments/${roundId}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('Capability assessment report');
    expect(report.body).toContain('Lessons are lost when people leave');
    const other = new Client(t.app);
    await other.signIn('admin@demo-institution.example');
    expect((await other.get(`/assessments/${roundId}/report`)).statusCode).toBe(404);
    expect((await other.get(`/assessments/${roundId}/compare?with=${roundId}`)).statusCode).toBe(
      404,
    );
  });
  it('changes nothing in a finalised round through any route except an audited correction', async () => {
    const before = {
      snapshots: await t.storage.db.kysely
        .selectFrom('round_snapshots')
        .select('version')
        .where('round_id', '=', roundId)
        .execute(),
      agreed: await t.storage.db.kysely
        .selectFrom('agreed_ratings')
        .selectAll()
        .where('round_id', '=', roundId)
        .execute(),
      responses: await t.storage.db.kysely
        .selectFrom('responses')
        .select(['id', 'status'])
        .where('round_id', '=', roundId)
        .execute(),
      status: (
        await t.storage.db.kysely
          .selectFrom('assessment_rounds')
          .select('status')
          .where('id', '=', roundId)
          .executeTakeFirst()
      )?.status,
    };
    expect(before.status).toBe('finalised');
    const page = await lead.get(`/assessments/${roundId}`);
    const csrf = csrfTokenFrom(page.body);
    const groupId =
      /<option value="([0-9a-f-]{36})">Leadership<\/option>/.exec(
        (await lead.get(`/assessments/${roundId}/respondents`)).body,
      )?.[1] ?? '';
    for (const [url, form] of [
      [`/assessments/${roundId}/open`, {}],
      [`/assessments/${roundId}/close`, {}],
      [`/assessments/${roundId}/finalise`, {}],
      [`/assessments/${roundId}/links`, { groupId, count: '1' }],
      [
        `/assessments/${roundId}/moderate/managing-risk`,
        { agreedLevel: '1', evidenceStrength: 'documented', rationale: 'x' },
      ],
      [`/assessments/${roundId}/respondents/${before.responses[0]?.id}/revoke`, {}],
    ] as const) {
      const res = await lead.post(url, { _csrf: csrf, ...form });
      expect(res.statusCode, url).not.toBe(500);
    }
    const after = {
      snapshots: await t.storage.db.kysely
        .selectFrom('round_snapshots')
        .select('version')
        .where('round_id', '=', roundId)
        .execute(),
      agreed: await t.storage.db.kysely
        .selectFrom('agreed_ratings')
        .selectAll()
        .where('round_id', '=', roundId)
        .execute(),
      responses: await t.storage.db.kysely
        .selectFrom('responses')
        .select(['id', 'status'])
        .where('round_id', '=', roundId)
        .execute(),
      status: (
        await t.storage.db.kysely
          .selectFrom('assessment_rounds')
          .select('status')
          .where('id', '=', roundId)
          .executeTakeFirst()
      )?.status,
    };
    expect(after).toEqual(before);
  });

  it('exports individual responses to leads only, numbered unless names are asked for, audited', async () => {
    const viewer = new Client(t.app);
    await viewer.signIn('auditor@demo-council.example');
    expect((await viewer.get(`/assessments/${roundId}/responses.csv`)).statusCode).toBe(403);
    const anonymous = await lead.get(`/assessments/${roundId}/responses.csv`);
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.body).toContain('Respondent 5,');
    expect(anonymous.body).not.toMatch(/link \d/);
    expect(anonymous.body).toContain('Lessons are lost when people leave');
    // Names are for admins only (issue 12, point 2): a lead is refused, with the reason.
    const refused = await lead.get(`/assessments/${roundId}/responses.csv?identities=yes`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Only an admin can download responses with names');
    const admin = new Client(t.app);
    await admin.signIn('admin@demo-council.example');
    expect((await admin.get(`/assessments/${roundId}/results`)).body).toContain(
      'Names show what each person answered',
    );
    expect((await lead.get(`/assessments/${roundId}/results`)).body).not.toContain(
      'Include respondents’ names',
    );
    const named = await admin.get(`/assessments/${roundId}/responses.csv?identities=yes`);
    expect(named.statusCode).toBe(200);
    expect(named.body).toMatch(/Frontline staff link \d/);
    const log = await t.storage.db.kysely
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'assessment.responses_exported')
      .execute();
    // The refused request wrote nothing; the two downloads are recorded.
    expect(log).toHaveLength(2);
  });

  it('serves rounds, results and exports through the JSON API with a token, scoped to the organisation', async () => {
    const token = await apiTokenFor(t, 'admin@demo-council.example', 'Reports');
    const auth = { authorization: `Bearer ${token}` };
    const list = await t.app.inject({ url: '/api/assessments/rounds', headers: auth });
    expect(list.statusCode).toBe(200);
    const rounds = list.json<{ rounds: { id: string; title: string }[] }>().rounds;
    expect(rounds.map((r) => r.title)).toContain('Results round');
    const results = await t.app.inject({
      url: `/api/assessments/rounds/${roundId}/results`,
      headers: auth,
    });
    expect(results.statusCode).toBe(200);
    expect(results.json()).toMatchObject({
      format: 'throughline.assessment-results',
      round: { title: 'Results round', snapshotVersion: 2 },
    });
    const csv = await t.app.inject({
      url: `/api/assessments/rounds/${roundId}/results.csv`,
      headers: auth,
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    const responses = await t.app.inject({
      url: `/api/assessments/rounds/${roundId}/responses.csv?identities=false`,
      headers: auth,
    });
    expect(responses.statusCode).toBe(200);
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/assessments/rounds', '/api/assessments/rounds/{id}/results']),
    );

    const otherToken = await apiTokenFor(t, 'admin@demo-institution.example', 'x');
    expect(otherToken).toMatch(/^tl_pat_/);
    const refused = await t.app.inject({
      url: `/api/assessments/rounds/${roundId}/results`,
      headers: { authorization: `Bearer ${otherToken}` },
    });
    expect(refused.statusCode).toBe(404);
  });
});
