// Issue 17, point 4: assessment answers sent through the API by an organisation that collects them
// in its own survey tool. The same rules as the question pages — round open, group of the round,
// every capability once, a confidence with every level, evidence length, the capability's own
// indicators — one response per respondent reference, all or nothing, audited; lead role and the
// assessments write scope; another organisation's round is 404 with nothing stored. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFramework } from '../../src/domain/framework/index.ts';
import { apiTokenFor, Client, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { ORG_CAPABILITIES } from '../helpers/rounds.ts';

async function openRound(t: TestApp, slug: string, email: string, title: string) {
  const db = t.storage.db.kysely;
  const org = await db
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const store = t.storage.scope(org.id, { userId: user.id, label: 'Test set-up' }).assessments;
  const id = await store.createRound({
    scope: 'organisation',
    title,
    opensOn: '2027-01-04',
    closesOn: '2027-01-29',
    groups: ['Frontline staff', 'Managers'],
    minGroupSize: 3,
    framework: {
      id: defaultFramework.id,
      version: defaultFramework.version,
      document: defaultFramework.document,
    },
  });
  await store.changeStatus(id, ['draft'], 'open');
  const round = await store.round(id);
  if (!round) throw new Error('round missing');
  return { id, groups: round.groups, store };
}

const answers = (level: 1 | 2 | 3 | 4 | 5) =>
  ORG_CAPABILITIES.map((capabilityId, i) =>
    i === 0
      ? { capabilityId, level: 'dont-know' as const }
      : { capabilityId, level, confidence: 'medium' as const, evidence: 'Seen in the survey' },
  );

describe.each(testDatabases)('assessment answers through the API ($name)', (factory) => {
  let t: TestApp;
  let lead: string;
  let round: Awaited<ReturnType<typeof openRound>>;

  const post = (token: string, roundId: string, body: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `/api/assessments/rounds/${roundId}/responses`,
      headers: { authorization: `Bearer ${token}` },
      payload: body as Record<string, unknown>,
    });

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = await apiTokenFor(t, 'lead@demo-council.example', 'Survey tool');
    round = await openRound(t, 'demo-borough-council', 'lead@demo-council.example', 'Survey');
  });
  afterAll(async () => {
    await t.close();
  });

  it('records a respondent’s answers as one submitted response, audited, and refuses it twice', async () => {
    const group = round.groups[0];
    if (!group) throw new Error('no group');
    const sent = await post(lead, round.id, {
      groupId: group.id,
      respondent: 'survey-0001',
      answers: answers(2),
    });
    expect(sent.statusCode).toBe(201);
    const { id } = sent.json<{ id: string }>();
    const response = await round.store.response(id);
    expect(response).toMatchObject({
      status: 'submitted',
      groupId: group.id,
      label: 'survey-0001',
    });
    const stored = await round.store.answers(id);
    expect(stored).toHaveLength(ORG_CAPABILITIES.length);
    expect(stored.find((a) => a.capabilityId === ORG_CAPABILITIES[0])).toMatchObject({
      dontKnow: true,
      level: null,
    });
    expect(stored.find((a) => a.capabilityId === ORG_CAPABILITIES[1])).toMatchObject({
      level: 2,
      confidence: 'medium',
      evidence: 'Seen in the survey',
    });
    // The round's summary counts it as submitted.
    const summary = await t.app.inject({
      url: `/api/assessments/rounds/${round.id}`,
      headers: { authorization: `Bearer ${lead}` },
    });
    expect(summary.json<{ submitted: number }>().submitted).toBe(1);
    const audit = (await round.store.responses(round.id)).length;
    expect(audit).toBe(1);
    const db = t.storage.db.kysely;
    const actions = (
      await db.selectFrom('audit_events').select('action').where('entity_id', '=', id).execute()
    ).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['assessment.respondent_added', 'assessment.response_submitted']),
    );

    // A retried request with the same reference: refused, naming the first, nothing added.
    const again = await post(lead, round.id, {
      groupId: group.id,
      respondent: 'survey-0001',
      answers: answers(4),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'duplicate_response', responseId: id });
    expect(await round.store.responses(round.id)).toHaveLength(1);
  });

  it('names every problem at once and stores nothing', async () => {
    const group = round.groups[1];
    if (!group) throw new Error('no group');
    const before = (await round.store.responses(round.id)).length;
    const broken = answers(3).slice(1);
    const first = broken[0];
    if (!first) throw new Error('no answer');
    const bad = await post(lead, round.id, {
      groupId: group.id,
      respondent: 'survey-0002',
      answers: [
        { ...first, confidence: undefined, indicators: ['not-an-indicator'] },
        ...broken.slice(1),
        { capabilityId: 'made-up', level: 1, confidence: 'high' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    const body = bad.json<{ error: string; issues: { path: string; message: string }[] }>();
    expect(body.error).toBe('invalid_answers');
    expect(body.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'answers.0.confidence',
        'answers.0.indicators',
        `answers.${broken.length}.capabilityId`,
        'answers',
      ]),
    );
    // Levels outside 1–5 and wrong types are refused at the edge.
    for (const level of [0, 6, '2', null]) {
      const res = await post(lead, round.id, {
        groupId: group.id,
        respondent: 'survey-0003',
        answers: [{ capabilityId: ORG_CAPABILITIES[0], level, confidence: 'low' }],
      });
      expect(res.statusCode).toBe(400);
    }
    const wrongGroup = await post(lead, round.id, {
      groupId: '00000000-0000-4000-8000-000000000000',
      respondent: 'survey-0004',
      answers: answers(3),
    });
    expect(wrongGroup.statusCode).toBe(400);
    expect(wrongGroup.json<{ error: string }>().error).toBe('invalid_group');
    expect(await round.store.responses(round.id)).toHaveLength(before);
  });

  it('takes answers only while the round is open', async () => {
    const closed = await openRound(t, 'demo-borough-council', 'lead@demo-council.example', 'Shut');
    await closed.store.changeStatus(closed.id, ['open'], 'closed');
    const res = await post(lead, closed.id, {
      groupId: closed.groups[0]?.id,
      respondent: 'late',
      answers: answers(2),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: string }>().error).toBe('round_not_open');
    expect(await closed.store.responses(closed.id)).toHaveLength(0);
  });

  it('needs a lead and the assessments write scope; another organisation’s round is 404', async () => {
    const body = { groupId: round.groups[0]?.id, respondent: 'x-1', answers: answers(2) };
    // A member (planner) with every scope is below the lead role.
    const planner = new Client(t.app);
    await planner.signIn('planner@demo-council.example');
    const made = await planner.submit('/organisation/api-tokens', '/organisation/api-tokens', {
      name: 'planner',
      expiry: '30',
      write: ['assessments'],
    });
    const plannerToken = /id="api-token">(tl_pat_[A-Za-z0-9_-]+)</.exec(made.body)?.[1] ?? '';
    expect((await post(plannerToken, round.id, body)).statusCode).toBe(403);
    // A lead's read-only token.
    const leadClient = new Client(t.app);
    await leadClient.signIn('lead@demo-council.example');
    const readOnly =
      /id="api-token">(tl_pat_[A-Za-z0-9_-]+)</.exec(
        (
          await leadClient.submit('/organisation/api-tokens', '/organisation/api-tokens', {
            name: 'read only',
            expiry: '30',
            read: 'assessments',
          })
        ).body,
      )?.[1] ?? '';
    const scoped = await post(readOnly, round.id, body);
    expect(scoped.statusCode).toBe(403);
    expect(scoped.json<{ error: string }>().error).toBe('insufficient_scope');

    const theirs = await openRound(
      t,
      'demo-improvement-agency',
      'admin@demo-institution.example',
      'Theirs',
    );
    const foreign = await post(lead, theirs.id, {
      groupId: theirs.groups[0]?.id,
      respondent: 'intruder',
      answers: answers(1),
    });
    expect(foreign.statusCode).toBe(404);
    expect(await theirs.store.responses(theirs.id)).toHaveLength(0);
  });
});
