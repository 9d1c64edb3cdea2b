// The initiatives store on both databases: every read is scoped to the organisation, every change is
// audited, settings keep their versions, and a lesson is found by a word of its body (SQLite FTS5
// with the Porter stemmer; PostgreSQL's English text search), with no way to inject search syntax.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InitiativeFields, OrgScope } from '../../src/storage/index.ts';
import { testDatabases, type TestDatabase } from '../helpers/databases.ts';
import { initiativeFields } from '../helpers/initiatives.ts';
import { testScope, type TestScope } from '../helpers/scope.ts';

const fields: InitiativeFields = initiativeFields({
  title: 'Triage of permit applications',
  problem: 'Planners spend days sorting simple applications from complex ones.',
  competency: 'natural-language-processing',
  ambition: 'pilot',
  typologyCells: [5],
  technologyCost: 20_000,
  authorisingNarrative: 'Cutting waiting times for planning decisions.',
});

const lessonIndex = (title: string, body: string, extra: Partial<{ competency: string }> = {}) => ({
  title,
  initiativeId: null,
  competency: extra.competency ?? 'natural-language-processing',
  ambition: 'pilot',
  outcome: 'succeeded',
  capabilities: ['organisational-learning'],
  searchText: `${title}\n${body}`,
});

describe.each(testDatabases)('initiatives store on $name', (factory) => {
  let database: TestDatabase;
  let t: TestScope;
  let other: OrgScope;

  beforeAll(async () => {
    database = await factory.create();
    t = await testScope(database.config);
    const org = await t.storage.platform.createOrganisation({
      name: 'Other Council',
      slug: 'other-council',
      kind: 'public_body',
      sector: 'Local government',
    });
    other = t.storage.scope(org.id, { userId: null, label: 'Other' });
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  it('keeps an initiative, moves it through its lifecycle, audits each change, and hides it from another organisation', async () => {
    const id = await t.scope.initiatives.create(fields);
    const stored = await t.scope.initiatives.get(id);
    expect(stored?.initiative).toMatchObject({ ...fields, id, status: 'idea', liveFrom: null });
    expect(await other.initiatives.get(id)).toBeUndefined();
    expect(await other.initiatives.list()).toHaveLength(0);
    expect(await other.initiatives.setStatus(id, 'stopped', { stoppedReason: 'x' })).toBe(false);

    expect(await t.scope.initiatives.update(id, { ...fields, technologyCost: 25_000 })).toBe(true);
    expect(await t.scope.initiatives.setStatus(id, 'live', { liveFrom: '2011-06-01' })).toBe(true);
    const live = await t.scope.initiatives.get(id);
    expect(live?.initiative).toMatchObject({
      status: 'live',
      liveFrom: '2011-06-01',
      technologyCost: 25_000,
    });
    expect(live?.revision).toBe(3);
    const audit = await t.storage.db.kysely
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('entity_id', '=', id)
      .orderBy('at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'initiative.created',
      'initiative.updated',
      'initiative.status_changed',
    ]);
    expect(JSON.parse(audit[1]?.details ?? '{}')).toMatchObject({ changed: ['technologyCost'] });
  });

  it('keeps risks and readiness snapshots per initiative, scoped to the organisation', async () => {
    const id = await t.scope.initiatives.create({ ...fields, title: 'Risky' });
    const risk = {
      kind: 'ethical' as const,
      likelihood: 4,
      impact: 5,
      status: 'open',
      title: 'Bias against a protected group',
    };
    const riskId = await t.scope.initiatives.addRisk(id, risk);
    expect((await t.scope.initiatives.risks(id)).map((r) => r.risk)).toEqual([risk]);
    expect(await other.initiatives.risks()).toHaveLength(0);
    expect(await other.initiatives.updateRisk(id, riskId, { ...risk, impact: 1 })).toBe(false);
    expect(await other.initiatives.removeRisk(id, riskId)).toBe(false);
    expect(await t.scope.initiatives.risks(id)).toHaveLength(1);

    await t.scope.initiatives.addSnapshot(id, 'approved', { verdict: 'ready', table: '1.0.0' });
    expect((await t.scope.initiatives.snapshots(id)).map((s) => s.snapshot)).toEqual([
      { verdict: 'ready', table: '1.0.0' },
    ]);
    expect(await other.initiatives.snapshots(id)).toHaveLength(0);
  });

  it('keeps every version of a setting and answers with the latest unless asked for another', async () => {
    expect(await t.scope.initiatives.setting('risk-appetite')).toBeUndefined();
    expect(await t.scope.initiatives.saveSetting('risk-appetite', { ethical: 6 })).toBe(1);
    expect(await t.scope.initiatives.saveSetting('risk-appetite', { ethical: 8 })).toBe(2);
    expect((await t.scope.initiatives.setting('risk-appetite'))?.document).toEqual({ ethical: 8 });
    expect((await t.scope.initiatives.setting('risk-appetite', 1))?.document).toEqual({
      ethical: 6,
    });
    expect(await other.initiatives.setting('risk-appetite')).toBeUndefined();
    expect(await other.initiatives.saveSetting('risk-appetite', { ethical: 3 })).toBe(1);
    expect((await t.scope.initiatives.setting('risk-appetite'))?.version).toBe(2);
  });

  it('finds a lesson by a word of its body, stemmed, only in its own organisation, with filters', async () => {
    const batching = await t.scope.initiatives.createLesson(
      lessonIndex(
        'Release work daily',
        'Applications waited for weekly batches; releasing them every day cut the median lead time.',
      ),
      { body: 'x' },
    );
    const chatbot = await t.scope.initiatives.createLesson(
      lessonIndex('Chatbot answers', 'Residents trusted the chatbot less than the phone line.', {
        competency: 'chatbots',
      }),
      { body: 'y' },
    );
    await other.initiatives.createLesson(
      lessonIndex('Their batches', 'Batches in another council.'),
      {},
    );

    const ids = async (q: Parameters<OrgScope['initiatives']['lessons']>[0]) =>
      (await t.scope.initiatives.lessons(q)).map((l) => l.id);
    expect(await ids({ q: 'batches' })).toEqual([batching]);
    // Stemmed: "batch" finds "batches", and "released" finds "releasing" (no prefix of it).
    expect(await ids({ q: 'batch' })).toEqual([batching]);
    expect(await ids({ q: 'released' })).toEqual([batching]);
    expect(await ids({ q: 'trusted chatbot' })).toEqual([chatbot]);
    expect(await ids({ q: 'chatbot batches' })).toEqual([]);
    expect(await ids({ q: 'batches', competency: 'chatbots' })).toEqual([]);
    expect(await ids({ competency: 'chatbots' })).toEqual([chatbot]);
    expect(await ids({ capability: 'organisational-learning' })).toHaveLength(2);
    expect(await ids({ capability: 'managing-risk' })).toEqual([]);
    // Search syntax is taken as words, never as operators or SQL.
    for (const q of ['"', 'NEAR(', "'; drop table lessons; --", 'batch* OR', ')(']) {
      await expect(t.scope.initiatives.lessons({ q })).resolves.toBeDefined();
    }
    expect(await ids({ q: 'batches OR chatbot' })).toEqual([]);

    // An edit re-indexes the lesson; the old words no longer find it.
    await t.scope.initiatives.updateLesson(
      batching,
      lessonIndex('Release work daily', 'Work released every morning.'),
      {},
    );
    expect(await ids({ q: 'batches' })).toEqual([]);
    expect(await ids({ q: 'morning' })).toEqual([batching]);
  });
  it('keeps every governance record when several are saved at the same moment', async () => {
    const id = await t.scope.initiatives.create({ ...fields, title: 'Saved at once' });
    const keys = Array.from({ length: 8 }, (_, i) => `record${i}`);
    // Each save reads the governance records and writes them back with its own added: without the
    // row locked for the change, PostgreSQL lets one save overwrite another.
    const scopes = keys.map(() =>
      t.storage.scope(t.scope.organisationId, { userId: null, label: 'x' }),
    );
    await Promise.all(keys.map((key, i) => scopes[i]?.initiatives.setGovernance(id, key, { i })));
    const stored = await t.scope.initiatives.get(id);
    expect(Object.keys(stored?.governance ?? {}).sort()).toEqual(keys);
    expect(stored?.revision).toBe(1 + keys.length);
  });
});
