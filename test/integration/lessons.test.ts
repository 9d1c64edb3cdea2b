// The post-implementation evaluation and the lessons repository through HTTP, on every configured
// database: filing a lesson and finding it by a word of its body (and another form of the word),
// filters narrowing the results, another organisation's lessons found neither by search nor by id,
// viewers unable to file, forged forms refused with a specific message and nothing stored; and the
// evaluation of an initiative that went live on 1 June 2011 from the demo receipt log, whose
// figures must be the engine's own, saved, marking the initiative evaluated and drafting a lesson
// that search then finds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateFromLog, type Evaluation } from '../../src/domain/initiatives/evaluation.ts';
import { formatDuration } from '../../src/domain/mining/index.ts';
import { seedDemoEventLog } from '../../src/seed/logs.ts';
import { decodeEventLog, type InitiativeFields, type OrgScope } from '../../src/storage/index.ts';
import { Client, csrfTokenFrom, startTestApp, text, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { initiativeFields } from '../helpers/initiatives.ts';

const LEAD = 'lead@demo-council.example';
const MEMBER = 'planner@demo-council.example';
const VIEWER = 'auditor@demo-council.example';
const OTHER_ADMIN = 'admin@demo-institution.example';
const T06 = 'T06 Determine necessity of stop advice';

const fields: InitiativeFields = initiativeFields({
  title: 'Stop-advice triage assistant',
  problem: 'Permit applications wait days for someone to decide whether stop advice is needed.',
  competency: 'natural-language-processing',
  ambition: 'pilot',
  typologyCells: [4],
  technologyCost: 18_000,
  waysOfWorking: { rolesThatChange: 'Case officers', training: '', frontlineInvolvement: '' },
  authorisingNarrative: 'Faster environmental permits.',
});

/** A complete lesson as the form sends it. */
const lessonForm = (over: Record<string, string | string[]> = {}) => ({
  title: 'Release parked applications daily',
  initiativeId: '',
  initiativeTitle: 'Permit intake pilot',
  competency: 'predictive-analytics',
  capabilityIds: ['organisational-learning', 'planning-and-prioritisation'],
  ambition: 'pilot',
  outcome: 'succeeded',
  whatHappened:
    'Applications were parked in weekly batches before anyone looked at them, so most of their waiting happened before the first check.',
  whatWeLearned:
    'Batching, not a shortage of planners, made the queue. Releasing work daily cut it.',
  whatWeWouldDoDifferently: 'Measure the waits from the event log before buying anything.',
  evidence: 'Median wait fell from 3 days to 6 hours.\nNo extra staff were needed.',
  tags: 'batching, intake',
  ...over,
});

describe.each(testDatabases)('evaluation and lessons on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let member: Client;
  let viewer: Client;
  let other: Client;
  let council: OrgScope;
  let demoLessons = new Set<string>();
  let institution: OrgScope;
  let receiptId: string;

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn(LEAD);
    member = new Client(t.app);
    await member.signIn(MEMBER);
    viewer = new Client(t.app);
    await viewer.signIn(VIEWER);
    other = new Client(t.app);
    await other.signIn(OTHER_ADMIN);
    const orgs = await t.storage.db.kysely.selectFrom('organisations').selectAll().execute();
    const scopeOf = (slug: string) => {
      const org = orgs.find((o) => o.slug === slug);
      if (!org) throw new Error(`${slug} missing`);
      return t.storage.scope(org.id, { userId: null, label: 'test' });
    };
    council = scopeOf('demo-borough-council');
    institution = orgs
      .filter((o) => o.slug !== 'demo-borough-council')
      .map((o) => t.storage.scope(o.id, { userId: null, label: 'test' }))[0] as OrgScope;
    // The demo files lessons of its own; these tests look only at the lessons they file.
    demoLessons = new Set((await council.initiatives.lessons()).map((l) => l.title));
    const logs = await council.logs.list();
    receiptId = logs.find((l) => l.name.startsWith('Environmental permit'))?.id ?? '';
    expect(receiptId).not.toBe('');
  });
  afterAll(async () => {
    await t?.close();
  });

  const lessonCount = async () =>
    (await t.storage.db.kysely.selectFrom('lessons').select('id').execute()).length;

  /** Files a lesson through the form; returns its id. */
  async function file(client: Client, form: Record<string, string | string[]>) {
    const response = await client.submit('/lessons/new', '/lessons/new', form);
    expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
    const id = /^\/lessons\/([0-9a-f-]{36})$/.exec(response.headers.location as string)?.[1];
    expect(id).toBeDefined();
    return id as string;
  }

  /** Titles of the results on a search page, in order, leaving out the demo's own lessons. */
  const titles = (html: string) =>
    [...html.matchAll(/<a class="govuk-link" href="\/lessons\/[0-9a-f-]{36}">([^<]+)<\/a>/g)]
      .map((m) => text(m[1] as string))
      .filter((title) => !demoLessons.has(title));

  it('files a lesson by hand and finds it by a word of its body, and by another form of that word', async () => {
    const id = await file(lead, lessonForm());
    const page = await lead.get(`/lessons/${id}`);
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain('Release parked applications daily');
    expect(body).toContain('Lesson filed.');
    expect(body).toContain('Permit intake pilot');
    expect(body).toContain('Predictive analytics');
    expect(body).toContain('1. Organisational Learning');
    expect(body).toContain('2. Planning & Prioritisation');
    expect(body).toContain('Pilot: an off-the-shelf tool or a low-risk pilot');
    expect(body).toContain('Measure the waits from the event log before buying anything.');
    expect(body).toContain('<li>Median wait fell from 3 days to 6 hours.</li>');
    expect(body).toContain('href="/lessons?q=batching"');

    // A word of the body, as a plain link.
    const found = await viewer.get('/lessons?q=parked');
    expect(found.statusCode).toBe(200);
    expect(titles(found.body)).toEqual(['Release parked applications daily']);
    expect(found.body).toContain('<mark>parked</mark>');
    // Another form of a word: the body says "waiting" and "waits" is searched for.
    expect(titles((await viewer.get('/lessons?q=waits')).body)).toEqual([
      'Release parked applications daily',
    ]);
    expect(titles((await viewer.get('/lessons?q=batch')).body)).toEqual([
      'Release parked applications daily',
    ]);
    const none = await viewer.get('/lessons?q=zeppelin');
    expect(none.statusCode).toBe(200);
    expect(text(none.body)).toContain('No lessons match “zeppelin”.');
    expect(titles(none.body)).toEqual([]);

    const audit = await council.auditLog(5);
    expect(audit.find((e) => e.action === 'lesson.created')?.entityId).toBe(id);
  });

  it('narrows the results with filters and names them when nothing matches', async () => {
    await file(
      lead,
      lessonForm({
        title: 'Chatbot answered the wrong questions',
        competency: 'chatbots',
        outcome: 'failed',
        capabilityIds: ['managing-risk'],
        ambition: 'bespoke',
        whatHappened:
          'A chatbot for permit questions was trained on old guidance and gave wrong answers, so calls rose.',
        tags: '',
      }),
    );
    const all = titles((await lead.get('/lessons')).body);
    expect(all[0]).toBe('Chatbot answered the wrong questions'); // newest first
    expect(all).toContain('Release parked applications daily');

    expect(titles((await lead.get('/lessons?competency=chatbots')).body)).toEqual([
      'Chatbot answered the wrong questions',
    ]);
    expect(titles((await lead.get('/lessons?outcome=succeeded')).body)).toEqual([
      'Release parked applications daily',
    ]);
    expect(titles((await lead.get('/lessons?capability=managing-risk')).body)).toEqual([
      'Chatbot answered the wrong questions',
    ]);
    expect(titles((await lead.get('/lessons?ambition=bespoke&outcome=failed')).body)).toEqual([
      'Chatbot answered the wrong questions',
    ]);
    // Words and filters together: "permit" is in both, the filter keeps one.
    expect(titles((await lead.get('/lessons?q=permit&competency=chatbots')).body)).toEqual([
      'Chatbot answered the wrong questions',
    ]);
    const none = await lead.get('/lessons?q=parked&competency=chatbots&outcome=failed');
    expect(text(none.body)).toContain(
      'No lessons match “parked” with competency: chatbots and outcome: failed.',
    );
    const noFilterMatch = await lead.get('/lessons?competency=computer-vision');
    expect(text(noFilterMatch.body)).toContain(
      'No lessons match the filters (competency: computer vision).',
    );

    // A filter the form never offers is named, not ignored.
    const forged = await lead.get('/lessons?competency=telepathy&q=permit');
    expect(forged.statusCode).toBe(400);
    expect(text(forged.body)).toContain('Choose an AI competency from the list');
    expect(titles(forged.body)).toEqual([]);
    const long = await lead.get(`/lessons?q=${'a'.repeat(201)}`);
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('Search words must be 200 characters or fewer');
  });

  it('hides a lesson from another organisation, in search and by id', async () => {
    const id = await file(
      lead,
      lessonForm({
        title: 'Council only: kestrel lesson',
        whatWeLearned: 'The kestrel word is unique.',
      }),
    );
    expect(titles((await lead.get('/lessons?q=kestrel')).body)).toEqual([
      'Council only: kestrel lesson',
    ]);
    const search = await other.get('/lessons?q=kestrel');
    expect(search.statusCode).toBe(200);
    expect(titles(search.body)).toEqual([]);
    expect(text(search.body)).toContain('No lessons match “kestrel”.');
    expect(titles((await other.get('/lessons')).body)).toEqual([]);
    expect((await other.get(`/lessons/${id}`)).statusCode).toBe(404);
    expect((await other.get(`/lessons/${id}/edit`)).statusCode).toBe(404);
    const page = await other.get('/lessons');
    const changed = await other.post(`/lessons/${id}/edit`, {
      _csrf: csrfTokenFrom(page.body),
      ...lessonForm({ title: 'Taken over' }),
    });
    expect(changed.statusCode).toBe(404);
    expect((await council.initiatives.lesson<{ title: string }>(id))?.lesson.title).toBe(
      'Council only: kestrel lesson',
    );
    expect((await lead.get('/lessons/not-an-id')).statusCode).toBe(404);
  });

  it('lets viewers and members read lessons but not file or change them', async () => {
    const before = await lessonCount();
    expect((await viewer.get('/lessons/new')).statusCode).toBe(403);
    expect((await member.get('/lessons/new')).statusCode).toBe(403);
    const page = await viewer.get('/lessons');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('href="/lessons/new"');
    const posted = await viewer.post('/lessons/new', {
      _csrf: csrfTokenFrom(page.body),
      ...lessonForm({ title: 'Filed by a viewer' }),
    });
    expect(posted.statusCode).toBe(403);
    expect(await lessonCount()).toBe(before);
    const id =
      titles(page.body).length > 0
        ? /href="\/lessons\/([0-9a-f-]{36})"/.exec(page.body)?.[1]
        : undefined;
    expect(id).toBeDefined();
    expect((await viewer.get(`/lessons/${id}`)).statusCode).toBe(200);
    expect((await viewer.get(`/lessons/${id}`)).body).not.toContain('Change this lesson');
    expect((await viewer.get(`/lessons/${id}/edit`)).statusCode).toBe(403);
  });

  it('refuses a forged lesson form with a specific message and stores nothing', async () => {
    const before = await lessonCount();
    const forged = await lead.submit(
      '/lessons/new',
      '/lessons/new',
      lessonForm({ competency: 'telepathy' }),
    );
    expect(forged.statusCode).toBe(400);
    expect(text(forged.body)).toContain(
      'Select the AI competency: computer vision, natural language processing, speech analytics, predictive analytics, chatbots, large language models',
    );
    // What was typed is kept.
    expect(forged.body).toContain('Release parked applications daily');

    const capability = await lead.submit(
      '/lessons/new',
      '/lessons/new',
      lessonForm({ capabilityIds: ['made-up-capability'] }),
    );
    expect(capability.statusCode).toBe(400);
    expect(text(capability.body)).toContain(
      '"made-up-capability" is not a capability in the framework',
    );

    const tooLong = await lead.submit(
      '/lessons/new',
      '/lessons/new',
      lessonForm({ whatHappened: 'x'.repeat(6000) }),
    );
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('What happened must be 5,000 characters or fewer');

    // 100 kB in one field is more than any form of the product sends: refused before it is read.
    const huge = await lead.submit(
      '/lessons/new',
      '/lessons/new',
      lessonForm({ whatWeLearned: 'y'.repeat(100 * 1024) }),
    );
    expect(huge.statusCode).toBe(413);
    expect(huge.body).toContain('What you sent is too large');
    expect(huge.body).toContain('Nothing was saved');

    // Another organisation's initiative cannot be named.
    const theirs = await institution.initiatives.create({ ...fields, title: 'Institution work' });
    const foreign = await lead.submit(
      '/lessons/new',
      '/lessons/new',
      lessonForm({ initiativeId: theirs, initiativeTitle: '' }),
    );
    expect(foreign.statusCode).toBe(400);
    expect(text(foreign.body)).toContain(
      'Choose one of your organisation’s initiatives, or “None”',
    );
    expect(foreign.body).not.toContain('Institution work');

    const empty = await lead.submit('/lessons/new', '/lessons/new', {});
    expect(empty.statusCode).toBe(400);
    const summary = text(empty.body);
    expect(summary).toContain('Enter a title for the lesson');
    expect(summary).toContain('Select at least one capability the lesson bears on');
    expect(summary).toContain('Enter what you would do differently');
    expect(await lessonCount()).toBe(before);
  });

  it('changes a lesson and finds it by its new words only', async () => {
    const id = await file(
      lead,
      lessonForm({ title: 'Osprey lesson', whatWeLearned: 'Egret before the change.' }),
    );
    const edit = await lead.get(`/lessons/${id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('Egret before the change.');
    const saved = await lead.submit(
      `/lessons/${id}/edit`,
      `/lessons/${id}/edit`,
      lessonForm({ title: 'Osprey lesson', whatWeLearned: 'Heron after the change.' }),
    );
    expect(saved.statusCode).toBe(303);
    expect(titles((await lead.get('/lessons?q=heron')).body)).toEqual(['Osprey lesson']);
    expect(titles((await lead.get('/lessons?q=Osprey')).body)).toEqual(['Osprey lesson']);
    // The old words are gone from the index.
    const gone = await lead.get('/lessons?q=egret');
    expect(titles(gone.body)).toEqual([]);
    expect(text(gone.body)).toContain('No lessons match “egret”.');
    expect((await council.auditLog(3)).map((e) => e.action)).toContain('lesson.updated');
  });

  it('explains why an initiative that is not live cannot be evaluated, and saves nothing', async () => {
    const id = await council.initiatives.create({ ...fields, title: 'Still in delivery' });
    await council.initiatives.setStatus(id, 'in-delivery');
    const page = await lead.get(`/initiatives/${id}/evaluation`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('This initiative is in delivery, not live.');
    expect(text(page.body)).toContain(
      'it needs a go-live date, which is set when the initiative goes live',
    );
    expect(page.body).not.toContain('name="log"');
    const posted = await lead.post(`/initiatives/${id}/evaluation`, {
      _csrf: csrfTokenFrom(page.body),
      log: 'none',
      determinants: 'x',
      unintendedConsequences: 'None found',
      staffPerspectives: 'x',
      outcome: 'succeeded',
    });
    expect(posted.statusCode).toBe(409);
    expect(await council.initiatives.evaluations(id)).toHaveLength(0);
    expect((await council.initiatives.get(id))?.initiative.status).toBe('in-delivery');
    // Another organisation's initiative is not there at all.
    expect((await other.get(`/initiatives/${id}/evaluation`)).statusCode).toBe(404);
  });

  it('evaluates a live initiative from the receipt log with the engine’s figures, marks it evaluated and files the drafted lesson', async () => {
    // A chain calibrated from the log, so the initiative's stage is one of the log's activities.
    const logPage = await lead.get(`/logs/${receiptId}`);
    const made = await lead.post(`/logs/${receiptId}/chain`, {
      _csrf: csrfTokenFrom(logPage.body),
    });
    expect(made.statusCode).toBe(303);
    const chainId = /\/chains\/([0-9a-f-]{36})/.exec(made.headers.location as string)?.[1] ?? null;
    const id = await council.initiatives.create({
      ...fields,
      chainId,
      stageId: 't06-determine-necessity-of-stop-advice',
    });
    await council.initiatives.setStatus(id, 'live', { liveFrom: '2011-06-01' });

    // Step 1: the receipt log and the activity named like the stage are chosen already.
    const step1 = await lead.get(`/initiatives/${id}/evaluation`);
    expect(step1.statusCode).toBe(200);
    expect(text(step1.body)).toContain('It went live on 1 June 2011.');
    expect(step1.body).toMatch(new RegExp(`<option value="${receiptId}" selected>`));
    expect(text(step1.body)).toMatch(new RegExp(`<option value="${T06}" selected>`));
    expect(step1.body).toContain('None: type the figures');

    // Step 2: the figures, as the engine computes them on the same stored log.
    const url = `/initiatives/${id}/evaluation/figures?log=${receiptId}&activity=${encodeURIComponent(T06)}&shownFor=${receiptId}`;
    const step2 = await lead.get(url);
    expect(step2.statusCode).toBe(200);
    const page = text(step2.body);
    const log = decodeEventLog((await council.logs.data(receiptId)) as Buffer);
    const engine = evaluateFromLog(log, { goLive: '2011-06-01', activity: T06 });
    expect(engine.before.cases).toBe(754);
    expect(engine.after.cases).toBe(666);
    const row = (label: string, before: string, after: string) =>
      expect(page).toMatch(
        new RegExp(
          `${label.replace(/[()]/g, '\\$&')}</th>\\s*<td class="govuk-table__cell">${before}</td>\\s*<td class="govuk-table__cell">${after}</td>`,
        ),
      );
    row('Cases (started and finished in the period)', '754', '666');
    row(
      'Lead time: median',
      formatDuration(engine.before.leadTime.median),
      formatDuration(engine.after.leadTime.median),
    );
    row(
      'Lead time: mean',
      formatDuration(engine.before.leadTime.mean),
      formatDuration(engine.after.leadTime.mean),
    );
    row(
      'Lead time: slowest tenth (90th percentile)',
      formatDuration(engine.before.leadTime.p90),
      formatDuration(engine.after.leadTime.p90),
    );
    row(
      `Median wait before ${T06}`,
      formatDuration(engine.before.activity?.wait.median ?? NaN),
      formatDuration(engine.after.activity?.wait.median ?? NaN),
    );
    row(
      'Throughput: cases finished a week',
      engine.before.throughputPerWeek.toFixed(1),
      engine.after.throughputPerWeek.toFixed(1),
    );
    expect(page).toContain(`left out of the lead times and waits: ${engine.spanning}.`);
    for (const c of [
      engine.changes.leadTimeMedian,
      engine.changes.waitMedian,
      engine.changes.throughput,
    ]) {
      expect(page).toContain(c?.sentence);
    }
    expect(page).toContain('Median lead time fell from 1.8 days to 4.6 minutes (−99.8%): better.');
    // The interval and every caution, the trend already under way among them.
    expect(page).toContain(engine.confidence.statements[0]);
    expect(engine.cautions.length).toBeGreaterThanOrEqual(4);
    for (const caution of engine.cautions) expect(page).toContain(caution);
    expect(page).toContain('Median lead time was already falling before go-live');
    expect(page.indexOf('Before you draw conclusions')).toBeLessThan(page.indexOf('id="figures"'));
    // The log fills lead time and throughput unless the team types its own.
    expect(page).toContain(
      'From the event log: a median of 1.75 days before and 0.00319 days (4.6 minutes) after.',
    );
    expect(page).toContain(`<input type="hidden" name="log" value="${receiptId}">`);
    expect(page).toContain(
      'name="bottleneckBefore" type="text" value="T06 Determine necessity of stop advice"',
    );

    // Step 1's mistakes are named: another organisation's log, an activity the log lacks, a bad window.
    const theirLog = await seedDemoEventLog(institution);
    const foreignLog = await lead.get(`/initiatives/${id}/evaluation/figures?log=${theirLog}`);
    expect(foreignLog.statusCode).toBe(400);
    expect(text(foreignLog.body)).toContain(
      'Choose one of your organisation’s event logs from the list',
    );
    const noSuch = await lead.get(
      `/initiatives/${id}/evaluation/figures?log=${receiptId}&activity=Fly&shownFor=${receiptId}`,
    );
    expect(noSuch.statusCode).toBe(400);
    expect(text(noSuch.body)).toContain(
      'Choose an activity of “Environmental permit applications: receipt phase”: it has no activity called “Fly”',
    );
    const switched = await lead.get(
      `/initiatives/${id}/evaluation/figures?log=${receiptId}&activity=Fly&shownFor=${theirLog}`,
    );
    expect(switched.statusCode).toBe(303);
    expect(switched.headers.location).toContain(`/initiatives/${id}/evaluation?log=${receiptId}`);
    const window = await lead.get(
      `/initiatives/${id}/evaluation/figures?log=${receiptId}&windowDays=lots`,
    );
    expect(window.statusCode).toBe(400);
    expect(window.body).toContain(
      'Enter the windows as a whole number of days, like 90, or leave it blank',
    );
    const windowed = await lead.get(
      `/initiatives/${id}/evaluation/figures?log=${receiptId}&activity=${encodeURIComponent(T06)}&windowDays=90`,
    );
    expect(windowed.statusCode).toBe(200);
    const engine90 = evaluateFromLog(log, { goLive: '2011-06-01', activity: T06, windowDays: 90 });
    row('Cases (started and finished in the period)', '754', '666');
    expect(windowed.body).toMatch(
      new RegExp(
        `Cases \\(started and finished in the period\\)</th>\\s*<td class="govuk-table__cell">${engine90.before.cases}</td>\\s*<td class="govuk-table__cell">${engine90.after.cases}</td>`,
      ),
    );
    expect(engine90.before.cases).toBeLessThan(754);

    // Viewers read the page but cannot evaluate.
    const viewerPage = await viewer.get(`/initiatives/${id}/evaluation`);
    expect(viewerPage.statusCode).toBe(200);
    expect(viewerPage.body).not.toContain('name="log"');
    expect((await viewer.get(url)).statusCode).toBe(403);

    // A forged or absurd figure is named and nothing is saved.
    const form = {
      log: receiptId,
      activity: T06,
      windowDays: '',
      inputUnit: 'staff hour',
      'costPerUnitOfInput-before': '£31.50',
      'costPerUnitOfInput-after': '£31.50',
      'costPerOutput-before': '142',
      'costPerOutput-after': '118',
      'leadTimeDays-before': '',
      'leadTimeDays-after': '',
      outcomeName: 'decisions not overturned',
      'outcomesPerOutput-before': '0.91',
      'outcomesPerOutput-after': '0.93',
      bottleneckBefore: T06,
      bottleneckAfter: 'T02 Check confirmation of receipt',
      determinants:
        'The triage assistant released parked applications the same day; the ospreyword logs showed the batches disappear.',
      unintendedConsequences: 'More applications reached the confirmation check at once.',
      staffPerspectives: 'Case officers said the queue felt lighter but checks bunched up.',
      outcome: 'partly',
    };
    const bad = await lead.submit(url, `/initiatives/${id}/evaluation`, {
      ...form,
      'costPerOutput-after': 'lots',
      'spendPerYear-before': '5000000000000',
    });
    expect(bad.statusCode).toBe(400);
    const badText = text(bad.body);
    expect(badText).toContain('Enter the cost per output after go-live as a number, like 42.50');
    expect(badText).toContain('The spend a year before go-live must be 1,000,000,000 or less');
    expect(badText).toContain('Before you draw conclusions'); // the figures are shown again
    expect(await council.initiatives.evaluations(id)).toHaveLength(0);
    expect((await council.initiatives.get(id))?.initiative.status).toBe('live');

    // Saved: the figures are computed again on the server, whatever else the browser sends.
    const saved = await lead.submit(url, `/initiatives/${id}/evaluation`, {
      ...form,
      'before-cases': '1',
      fromLog: '{"before":{"cases":1}}',
    });
    expect(saved.statusCode).toBe(303);
    const evaluations = await council.initiatives.evaluations<Evaluation>(id);
    expect(evaluations).toHaveLength(1);
    const stored = evaluations[0];
    expect(stored?.logId).toBe(receiptId);
    expect(stored?.evaluation.fromLog?.before.cases).toBe(754);
    expect(stored?.evaluation.fromLog?.cautions).toEqual(engine.cautions);
    expect(stored?.evaluation.input.initiativeId).toBe(id);
    expect(stored?.evaluation.figures.find((f) => f.key === 'leadTimeDays')?.source).toBe(
      'event log',
    );
    // Lead time better; throughput fell only as arrivals did (demand, not efficiency): the engine
    // calls operational efficiency better, not mixed.
    expect(stored?.evaluation.measures.operational).toBe('better');
    expect(
      stored?.evaluation.figures.find((f) => f.key === 'throughputPerWeek')?.change?.verdict,
    ).toBe('unchanged');
    expect((await council.initiatives.get(id))?.initiative.status).toBe('evaluated');
    const actions = (await council.auditLog(10)).map((e) => e.action);
    expect(actions).toContain('initiative.evaluated');
    expect(actions).toContain('initiative.status_changed');
    expect(saved.headers.location).toBe(`/lessons/new?initiative=${id}&evaluation=${stored?.id}`);

    // The drafted lesson, to review and file.
    const draft = await lead.get(saved.headers.location as string);
    expect(draft.statusCode).toBe(200);
    const draftText = text(draft.body);
    expect(draftText).toContain('Evaluation saved and the initiative marked evaluated.');
    expect(draftText).toContain('value="Stop-advice triage assistant: partly succeeded"');
    expect(draftText).toContain(
      'Median lead time fell from 1.8 days to 4.6 minutes (−99.8%): better',
    );
    expect(draftText).toContain(`value="${stored?.id}"`);
    expect(draft.body).toMatch(/value="managing-risk" checked/);
    // Another organisation cannot open it.
    expect((await other.get(saved.headers.location as string)).statusCode).toBe(404);

    const draftValue = (name: string) =>
      text(
        new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(
          draft.body,
        )?.[1] ?? '',
      ).replace(/^\n/, '');
    const filed = await lead.post('/lessons/new', {
      _csrf: csrfTokenFrom(draft.body),
      evaluationId: stored?.id ?? '',
      title: 'Stop-advice triage assistant: partly succeeded',
      initiativeId: id,
      initiativeTitle: 'Stop-advice triage assistant',
      competency: 'natural-language-processing',
      capabilityIds: ['organisational-learning', 'planning-and-prioritisation', 'managing-risk'],
      ambition: 'pilot',
      outcome: 'partly',
      whatHappened: draftValue('whatHappened'),
      whatWeLearned: draftValue('whatWeLearned'),
      whatWeWouldDoDifferently: 'Model the confirmation check before go-live.',
      evidence: draftValue('evidence'),
      tags: 'triage',
    });
    expect(filed.statusCode, filed.body.slice(0, 3000)).toBe(303);
    const lessonId = /\/lessons\/([0-9a-f-]{36})$/.exec(filed.headers.location as string)?.[1];
    const lesson = text((await lead.get(`/lessons/${lessonId}`)).body);
    expect(lesson).toContain(`href="/initiatives/${id}"`);
    expect(lesson).toContain('drafted from a post-implementation evaluation');
    expect(lesson).toContain('Median lead time fell from 1.8 days to 4.6 minutes');

    // Search finds it by a word of the evaluation.
    expect(titles((await viewer.get('/lessons?q=ospreyword')).body)).toEqual([
      'Stop-advice triage assistant: partly succeeded',
    ]);
    expect(titles((await viewer.get('/lessons?q=bunched')).body)).toContain(
      'Stop-advice triage assistant: partly succeeded',
    );
    // The evaluation page lists it, linked to its lesson; filing it twice finds the first.
    const after = await viewer.get(`/initiatives/${id}/evaluation`);
    expect(text(after.body)).toContain('partly succeeded');
    expect(after.body).toContain(`href="/lessons/${lessonId}"`);
    const again = await lead.get(saved.headers.location as string);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/lessons/${lessonId}`);
  });

  it('evaluates with typed figures only when no log is chosen, and refuses a go-live the log does not cover', async () => {
    const id = await council.initiatives.create({ ...fields, title: 'Future go-live' });
    await council.initiatives.setStatus(id, 'live', { liveFrom: '2030-01-01' });
    const outside = await lead.get(`/initiatives/${id}/evaluation/figures?log=${receiptId}`);
    expect(outside.statusCode).toBe(400);
    expect(text(outside.body)).toContain(
      '“Environmental permit applications: receipt phase” cannot show a change around go-live on 1 January 2030',
    );
    const typed = await lead.get(`/initiatives/${id}/evaluation/figures?log=none`);
    expect(typed.statusCode).toBe(200);
    expect(text(typed.body)).toContain('No event log was chosen, so type the figures you have.');
    expect(typed.body).not.toContain('Before you draw conclusions');
    const saved = await lead.submit(
      `/initiatives/${id}/evaluation/figures?log=none`,
      `/initiatives/${id}/evaluation`,
      {
        log: 'none',
        'leadTimeDays-before': '9',
        'leadTimeDays-after': '6',
        determinants: 'Typed figures only.',
        unintendedConsequences: 'None found',
        staffPerspectives: 'Fine.',
        outcome: 'succeeded',
      },
    );
    expect(saved.statusCode).toBe(303);
    const [stored] = await council.initiatives.evaluations<Evaluation>(id);
    expect(stored?.logId).toBeNull();
    expect(stored?.evaluation.fromLog).toBeNull();
    expect(stored?.evaluation.figures.find((f) => f.key === 'leadTimeDays')?.change?.sentence).toBe(
      'Median lead time fell from 9 days to 6 days (−33%): better.',
    );
  });
});
