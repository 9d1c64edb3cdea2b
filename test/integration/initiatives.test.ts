// The initiative register through HTTP, on every configured database: registering with the form (and
// its errors beside the fields), the verdict the page gives agreeing with the engine for the same
// levels, the bottleneck warning with numbers, roles (only leads and admins change initiatives),
// and another organisation's ids.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index.ts';
import { assessReadiness, capabilityLevels } from '../../src/domain/readiness/index.ts';
import { latestAssessment } from '../../src/services/initiatives.ts';
import { FrameworkRegistry } from '../../src/services/frameworks.ts';
import { defaultFramework } from '../../src/domain/framework/index.ts';
import type { OrgScope } from '../../src/storage/index.ts';
import { apiTokenFor, Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { pdfText } from '../helpers/pdf-text.ts';
import { testDatabases } from '../helpers/databases.ts';

const LEAD = 'lead@demo-council.example';
const VIEWER = 'auditor@demo-council.example';
const MEMBER = 'planner@demo-council.example';
const INSTITUTION_ADMIN = 'admin@demo-institution.example';

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** A bespoke predictive system that informs decisions about the public: the paper's hard case. */
const bespoke = {
  title: 'Predicting which planning applications will be refused',
  problem: 'Planners cannot tell early which applications need the most scrutiny.',
  competency: 'predictive-analytics',
  ambition: 'bespoke',
  affects: ['public'],
  'data-personal': 'yes',
  'data-specialCategory': 'no',
  'data-criminalOffence': 'no',
  decisionsAboutPeople: 'yes',
  automatedDecisions: 'no',
  technologyCost: '£120,000',
  'inv-0-kind': 'data',
  'inv-0-description': 'Clean ten years of decisions',
  'inv-0-cost': '40000',
  'inv-0-owner': 'Head of planning',
  'supplier-arrangement': 'single-end-to-end',
  'supplier-suppliers': 'Acme Analytics',
  'lockin-exitPlan': 'no',
};

/** An off-the-shelf pilot for staff only. */
const pilot = {
  title: 'Meeting notes for social workers',
  problem: 'Social workers spend hours a week typing up notes of visits.',
  competency: 'speech-analytics',
  ambition: 'pilot',
  affects: ['staff'],
  'data-personal': 'no',
  'data-specialCategory': 'no',
  'data-criminalOffence': 'no',
  decisionsAboutPeople: 'no',
  automatedDecisions: 'no',
  technologyCost: '5000',
  'supplier-arrangement': 'in-house',
};

describe.each(testDatabases)('the initiative register on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let council: OrgScope;

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn(LEAD);
    const org = (await t.storage.db.kysely.selectFrom('organisations').selectAll().execute()).find(
      (o) => o.slug === 'demo-borough-council',
    );
    if (!org) throw new Error('demo council missing');
    council = t.storage.scope(org.id, { userId: null, label: 'test' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function register(form: Record<string, string | string[]>): Promise<string> {
    const response = await lead.submit('/initiatives/new', '/initiatives/new', form);
    expect(response.statusCode, text(response.body).slice(0, 600)).toBe(303);
    const id = /\/initiatives\/([0-9a-f-]{36})$/.exec(String(response.headers.location))?.[1];
    if (!id) throw new Error(`no initiative id in ${String(response.headers.location)}`);
    return id;
  }

  /** The verdict the engine gives for the same initiative against the same assessment. */
  async function engineVerdict(id: string) {
    const stored = await council.initiatives.get(id);
    const basis = await latestAssessment(council, new FrameworkRegistry(defaultFramework));
    if (!stored || !basis) throw new Error('missing initiative or assessment');
    return assessReadiness({
      initiative: stored.initiative,
      levels: capabilityLevels(basis.results.summary.results, basis.results.agreed),
      framework: basis.results.framework,
      results: basis.results.summary.results,
    });
  }

  it('judges a bespoke system affecting the public against the finalised assessment, as the engine does', async () => {
    const id = await registerBespoke();
    const page = await lead.get(`/initiatives/${id}`);
    expect(page.statusCode).toBe(200);
    const result = await engineVerdict(id);
    const body = text(page.body);
    expect(body).toContain(result.summary);
    expect(result.verdict).toBe('not-ready');
    expect(body).toContain('Not ready');
    expect(body).toContain('Read against the finalised assessment');
    // Every blocking capability is named with its first actions.
    for (const b of result.blocking) {
      expect(body).toContain(b.name);
      for (const action of b.firstActions?.actions ?? [])
        expect(body).toContain(text(action.action));
    }
    // The costs add up: £120,000 of technology and £40,000 of data work.
    expect(body).toContain('£160,000');
  });

  async function registerBespoke() {
    return register(bespoke);
  }

  it('finds an off-the-shelf staff pilot ready', async () => {
    const id = await register(pilot);
    const result = await engineVerdict(id);
    expect(['ready', 'ready-with-conditions']).toContain(result.verdict);
    const body = text((await lead.get(`/initiatives/${id}`)).body);
    expect(body).toContain(result.summary);
  });

  it('warns, with numbers, when an initiative aims at a stage that is not the bottleneck', async () => {
    const chains = await council.chains.list();
    const planning = chains.find((c) => c.name.startsWith('Planning permit'));
    if (!planning) throw new Error('no planning chain');
    const id = await register({
      ...pilot,
      title: 'Faster permit printing with AI templates',
      chainStage: `${planning.id}/printing`,
    });
    const page = await lead.get(`/initiatives/${id}`);
    const body = text(page.body);
    expect(body).toContain('Permit printing runs at');
    expect(body).toMatch(/the bottleneck is Manual review at \d+%/);
    expect(body).toContain('Theory of Constraints');

    // Modelling it with the chain's own intervention shows its (lack of) effect on throughput.
    const modelled = await lead.submit(`/initiatives/${id}`, `/initiatives/${id}/modelled-by`, {
      interventionId: 'faster-printing',
    });
    expect(modelled.statusCode).toBe(303);
    const after = text((await lead.get(`/initiatives/${id}`)).body);
    expect(after).toContain('Modelled by “Faster permit printing”');
    expect(after).toContain('changes by 0%');
    // A change that is not in the chain is refused, and nothing changes.
    const forged = await lead.submit(`/initiatives/${id}`, `/initiatives/${id}/modelled-by`, {
      interventionId: 'no-such-change',
    });
    expect(forged.statusCode).toBe(400);
    expect((await council.initiatives.get(id))?.governance.modelledBy).toBe('faster-printing');
  });

  it('shows each problem beside its field and stores nothing when the form is wrong', async () => {
    const before = (await council.initiatives.list()).length;
    const response = await lead.submit('/initiatives/new', '/initiatives/new', {
      ...bespoke,
      title: '',
      competency: 'telepathy',
      technologyCost: 'lots',
      'inv-0-cost': '-5',
      'data-personal': 'no',
      'data-specialCategory': 'yes',
      chainStage: '00000000-0000-4000-8000-000000000000/review',
      'wow-training': 'x'.repeat(6000),
    });
    expect(response.statusCode).toBe(400);
    const body = text(response.body);
    expect(body).toContain('There is a problem');
    expect(body).toContain('Enter a title');
    expect(body).toContain('Competency must be one of');
    expect(body).toContain('Technology cost must be a number of pounds');
    expect(body).toContain('Investment 1: cost must be a whole number of pounds');
    expect(body).toContain('Special-category and criminal-offence data are personal data');
    expect(body).toContain('Training must be 5,000 characters or fewer');
    // Each message links to its field.
    expect(response.body).toContain('href="#title"');
    expect(response.body).toContain('href="#inv-0-cost"');
    expect(response.body).toContain('href="#data-personal"');
    // What was typed is kept.
    expect(response.body).toContain('Clean ten years of decisions');
    expect((await council.initiatives.list()).length).toBe(before);

    // A chain of another organisation, or one that does not exist, is refused too.
    const unknownChain = await lead.submit('/initiatives/new', '/initiatives/new', {
      ...pilot,
      chainStage: '00000000-0000-4000-8000-000000000000/review',
    });
    expect(unknownChain.statusCode).toBe(400);
    expect(text(unknownChain.body)).toContain('Choose one of your delivery chains');
    expect((await council.initiatives.list()).length).toBe(before);
  });

  it('lets a lead change an initiative, audited, and keeps viewers and members to reading', async () => {
    const id = await register({ ...pilot, title: 'Chatbot for bin collection questions' });
    const edit = await lead.get(`/initiatives/${id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="Chatbot for bin collection questions"');
    const saved = await lead.post(`/initiatives/${id}/edit`, {
      _csrf: csrfTokenFrom(edit.body),
      ...pilot,
      title: 'Chatbot for bin collection questions',
      technologyCost: '9000',
    });
    expect(saved.statusCode).toBe(303);
    expect((await council.initiatives.get(id))?.initiative.technologyCost).toBe(9000);
    const audit = await t.storage.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['initiative.created', 'initiative.updated']);

    for (const email of [VIEWER, MEMBER]) {
      const reader = new Client(t.app);
      await reader.signIn(email);
      expect((await reader.get(`/initiatives/${id}`)).statusCode).toBe(200);
      expect((await reader.get('/initiatives/new')).statusCode).toBe(403);
      expect((await reader.get(`/initiatives/${id}/edit`)).statusCode).toBe(403);
      const page = await reader.get(`/initiatives/${id}`);
      const refused = await reader.post(`/initiatives/${id}/edit`, {
        _csrf: csrfTokenFrom(page.body),
        ...pilot,
        title: 'Changed by a reader',
      });
      expect(refused.statusCode).toBe(403);
    }
    expect((await council.initiatives.get(id))?.initiative.title).toBe(
      'Chatbot for bin collection questions',
    );
  });

  it('answers 404 to another organisation for every initiative page and change', async () => {
    const id = await register({ ...pilot, title: 'Not for other eyes' });
    const other = new Client(t.app);
    await other.signIn(INSTITUTION_ADMIN);
    expect((await other.get(`/initiatives/${id}`)).statusCode).toBe(404);
    expect((await other.get(`/initiatives/${id}/edit`)).statusCode).toBe(404);
    const list = await other.get('/initiatives');
    expect(list.body).not.toContain('Not for other eyes');
    const refused = await other.post(`/initiatives/${id}/edit`, {
      _csrf: csrfTokenFrom(list.body),
      ...pilot,
      title: 'Taken over',
    });
    expect(refused.statusCode).toBe(404);
    expect((await council.initiatives.get(id))?.initiative.title).toBe('Not for other eyes');
    expect((await other.get('/initiatives/not-a-uuid')).statusCode).toBe(404);
  });
  it('gathers the business case on one page and in a PDF that say the same', async () => {
    const chains = await council.chains.list();
    const planning = chains.find((c) => c.name.startsWith('Planning permit'));
    if (!planning) throw new Error('no planning chain');
    const id = await register({
      ...bespoke,
      title: 'AI review support for planners',
      chainStage: `${planning.id}/manual-review`,
    });
    await lead.submit(`/initiatives/${id}`, `/initiatives/${id}/modelled-by`, {
      interventionId: 'ai-review-support',
    });
    const page = await lead.get(`/initiatives/${id}/business-case`);
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    const pdf = await lead.get(`/initiatives/${id}/business-case.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(
      'attachment; filename="ai-review-support-for-planners-business-case.pdf"',
    );
    const printed = pdfText(pdf.rawPayload);
    // Every section, the bottleneck verdict, the modelled effects family by family and the
    // investments appear on both surfaces.
    for (const expected of [
      '1. The problem',
      '2. The bottleneck (paper section 2.2.1)',
      '3. Effects across the three measures (Figure 1)',
      'Budgetary efficiency: how well inputs are bought',
      'Operational efficiency: how inputs are turned into outputs',
      'Effectiveness: how outputs turn into outcomes',
      'This initiative addresses the bottleneck: Manual review runs at',
      'Clean ten years of decisions',
      'Total cost: £160,000',
      '8. Readiness (paper section 3)',
    ]) {
      expect(body).toContain(expected);
      expect(printed).toContain(expected);
    }
    // The throughput effect is simulated, with its interval.
    expect(body).toMatch(/Outputs a week \(throughput\): [\d.]+ → [\d.]+ \(\+[\d.]+%\)/);
    expect(body).toContain('95% interval');
  });

  it('offers the register through the JSON API, with the same verdicts, scoped to the token’s organisation', async () => {
    const tokenFor = (email: string) => apiTokenFor(t, email, 'Initiatives');
    const admin = await tokenFor('admin@demo-council.example');
    const call = (method: 'GET' | 'POST' | 'PUT', url: string, bearer: string, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${bearer}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
    const input = {
      title: 'Predicting missed bin collections',
      problem: 'Crews find out about missed bins from complaints.',
      competency: 'predictive-analytics',
      ambition: 'bespoke',
      affects: ['public'],
      data: { personal: true, specialCategory: false, criminalOffence: false, description: '' },
      decisionsAboutPeople: false,
      automatedDecisions: false,
      supplier: { arrangement: 'in-house' },
    };
    const created = await call('POST', '/api/initiatives', admin, input);
    expect(created.statusCode, created.body).toBe(201);
    const { id, readiness } = created.json<{
      id: string;
      readiness: { verdict: string; summary: string };
    }>();
    expect((await engineVerdict(id)).summary).toBe(readiness.summary);

    const list = await call('GET', '/api/initiatives', admin);
    expect(list.statusCode).toBe(200);
    const listed = list.json<{ initiatives: { id: string; readiness: { summary: string } }[] }>();
    expect(listed.initiatives.find((i) => i.id === id)?.readiness.summary).toBe(readiness.summary);
    // The page says the same.
    expect(text((await lead.get(`/initiatives/${id}`)).body)).toContain(readiness.summary);

    const one = await call('GET', `/api/initiatives/${id}`, admin);
    expect(one.json<{ initiative: { title: string } }>().initiative.title).toBe(input.title);

    const changed = await call('PUT', `/api/initiatives/${id}`, admin, {
      ...input,
      ambition: 'pilot',
    });
    expect(changed.statusCode).toBe(200);
    expect((await council.initiatives.get(id))?.initiative.ambition).toBe('pilot');

    // Bad input: every issue named, nothing stored.
    const before = (await council.initiatives.list()).length;
    const bad = await call('POST', '/api/initiatives', admin, {
      ...input,
      title: '',
      technologyCost: -3,
      surprise: true,
      chainId: '00000000-0000-4000-8000-000000000000',
    });
    expect(bad.statusCode).toBe(400);
    const issues = bad.json<{ issues: { path: string; message: string }[] }>().issues;
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['/title', '/technologyCost', '/']),
    );
    expect(bad.body).toContain('Enter a title');
    expect(bad.body).toContain('Technology cost must be a whole number of pounds');
    expect(bad.body).toContain('surprise');
    const foreign = await call('POST', '/api/initiatives', admin, {
      ...input,
      chainId: '00000000-0000-4000-8000-000000000000',
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body).toContain('No delivery chain of your organisation has this id');
    expect((await council.initiatives.list()).length).toBe(before);

    // Another organisation's token finds nothing and changes nothing. (Only admins hold tokens.)
    const other = await tokenFor(INSTITUTION_ADMIN);
    expect((await call('GET', `/api/initiatives/${id}`, other)).statusCode).toBe(404);
    expect((await call('PUT', `/api/initiatives/${id}`, other, input)).statusCode).toBe(404);
    const theirs = await call('GET', '/api/initiatives', other);
    expect(theirs.body).not.toContain(id);

    // The OpenAPI document describes the routes and the body.
    const openapi = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/initiatives', '/api/initiatives/{id}']),
    );
    expect(JSON.stringify(openapi.paths['/api/initiatives'])).toContain('authorisingNarrative');
  });
  it('moves an initiative through its lifecycle, keeps the verdict at approval, and refuses what is not ready', async () => {
    const id = await register({ ...pilot, title: 'Transcribing home visits' });
    const own = await lead.get(`/initiatives/${id}`);
    expect(own.body).toContain(`action="/initiatives/${id}/status"`);
    expect(text(own.body)).toContain('What happens next?');
    const move = (form: Record<string, string>) =>
      lead.submit(`/initiatives/${id}`, `/initiatives/${id}/status`, form);
    // An idea cannot be approved straight away.
    const early = await move({ to: 'approved' });
    expect(early.statusCode).toBe(400);
    expect(text(early.body)).toContain('cannot become “Approved”');
    expect((await move({ to: 'assessed' })).statusCode).toBe(303);
    const approved = await move({ to: 'approved' });
    expect(approved.statusCode, text(approved.body).slice(0, 800)).toBe(303);
    const kept = await council.initiatives.snapshots<{
      verdict: string;
      summary: string;
      inputs: { table: { version: string } };
    }>(id);
    expect(kept).toHaveLength(1);
    const verdictThen = await engineVerdict(id);
    expect(kept[0]?.snapshot.summary).toBe(verdictThen.summary);

    // A stricter readiness table later does not rewrite the verdict kept at approval.
    const { DEFAULT_READINESS_TABLE } = await import('../../src/domain/readiness/index.ts');
    const stricter = structuredClone(DEFAULT_READINESS_TABLE) as unknown as {
      version: string;
      ambitions: Record<string, { requirements: Record<string, { level: number }> }>;
    };
    stricter.version = '1.0.1-test';
    for (const req of Object.values(stricter.ambitions.pilot?.requirements ?? {})) req.level = 1;
    await council.initiatives.saveSetting('readiness-table', stricter);
    const page = text((await lead.get(`/initiatives/${id}`)).body);
    expect(page).toContain('Verdicts kept on the record');
    expect(page).toContain(`${kept[0]?.snapshot.summary}`);
    expect(page).toContain(`version ${kept[0]?.snapshot.inputs.table.version}`);
    expect(await council.initiatives.snapshots(id)).toHaveLength(1);

    // Going live needs a real date; stopping needs a reason.
    expect((await move({ to: 'in-delivery' })).statusCode).toBe(303);
    const noDate = await move({ to: 'live', liveFrom: '31/02/2026' });
    expect(noDate.statusCode).toBe(400);
    expect(text(noDate.body)).toContain('The go-live date must be a real date');
    expect((await move({ to: 'live', liveFrom: '2026-03-02' })).statusCode).toBe(303);
    expect((await council.initiatives.get(id))?.initiative).toMatchObject({
      status: 'live',
      liveFrom: '2026-03-02',
    });
    const noReason = await move({ to: 'stopped' });
    expect(text(noReason.body)).toContain('Say why the initiative is stopped');
    expect((await council.initiatives.get(id))?.initiative.status).toBe('live');

    // A bespoke system affecting the public that is not ready cannot be approved.
    const bespokeId = await register({ ...bespoke, title: 'Risk scores for housing applicants' });
    await lead.submit(`/initiatives/${bespokeId}`, `/initiatives/${bespokeId}/status`, {
      to: 'assessed',
    });
    const refused = await lead.submit(
      `/initiatives/${bespokeId}`,
      `/initiatives/${bespokeId}/status`,
      {
        to: 'approved',
      },
    );
    expect(refused.statusCode).toBe(400);
    const bespokePage = text((await lead.get(`/initiatives/${bespokeId}`)).body);
    expect(bespokePage).toContain('Before it can be approved:');
    expect(bespokePage).toMatch(/ethics review/i);
    const refusal = text(refused.body);
    expect(refusal).toContain('It is not ready');
    expect(refusal).toContain('ethics review');
    expect((await council.initiatives.get(bespokeId))?.initiative.status).toBe('assessed');
    expect(await council.initiatives.snapshots(bespokeId)).toHaveLength(0);
    // A viewer cannot move it.
    const viewer = new Client(t.app);
    await viewer.signIn(VIEWER);
    const page2 = await viewer.get(`/initiatives/${bespokeId}`);
    expect(page2.body).not.toContain(`action="/initiatives/${bespokeId}/status"`);
    const forced = await viewer.post(`/initiatives/${bespokeId}/status`, {
      _csrf: csrfTokenFrom(page2.body),
      to: 'stopped',
      stoppedReason: 'x',
    });
    expect(forced.statusCode).toBe(403);
  });
  it('tells the demo’s story: one of each verdict, a warned initiative, a risk above appetite, an evaluation from the log, and lessons', async () => {
    const byTitle = new Map(
      (await council.initiatives.list()).map((s) => [s.initiative.title, s.initiative]),
    );
    const idOf = (title: string) => {
      const found = byTitle.get(title);
      if (!found) throw new Error(`demo initiative “${title}” missing`);
      return found.id;
    };
    const verdicts = {
      'Summaries of planning policy for case officers': 'ready',
      'Route planning for recycling crews': 'ready-with-conditions',
      'Predicting which planning applications will be refused': 'not-ready',
    } as const;
    for (const [title, verdict] of Object.entries(verdicts)) {
      expect((await engineVerdict(idOf(title))).verdict, title).toBe(verdict);
      const tag = {
        ready: 'Ready',
        'ready-with-conditions': 'Ready with conditions',
        'not-ready': 'Not ready',
      }[verdict];
      expect(text((await lead.get(`/initiatives/${idOf(title)}`)).body)).toContain(tag);
    }
    // The approved one kept its verdict on the record.
    expect(
      await council.initiatives.snapshots(idOf('Summaries of planning policy for case officers')),
    ).toHaveLength(1);
    // Aimed at printing, which is not the bottleneck: warned with numbers.
    const printing = text(
      (await lead.get(`/initiatives/${idOf('AI templates for printing permits')}`)).body,
    );
    expect(printing).toMatch(
      /Permit printing runs at \d+% of its capacity; the bottleneck is Manual review at \d+%/,
    );
    // The pre-mortem's bias risk is above the ethical appetite and on the escalation page.
    const escalation = text((await lead.get('/initiatives/risks')).body);
    expect(escalation).toContain('Predicting which planning applications will be refused');
    // Live and evaluated from the demo event log, with its lesson found by a word of its evaluation.
    const evaluated = byTitle.get('Sorting incoming permit applications');
    expect(evaluated).toMatchObject({ status: 'evaluated', liveFrom: '2011-06-01' });
    const evaluations = await council.initiatives.evaluations<{ fromLog: unknown }>(
      idOf('Sorting incoming permit applications'),
    );
    expect(evaluations).toHaveLength(1);
    expect(evaluations[0]?.logId).not.toBeNull();
    const found = text((await lead.get('/lessons?q=batches')).body);
    expect(found).toContain('Sorting incoming permit applications');
    const stopped = text((await lead.get('/lessons?q=account')).body);
    expect(stopped).toContain('A chatbot cannot answer questions about an account it cannot see');
  });
  it('gives the same verdict from `throughline readiness` on the exported initiative and results files', async () => {
    const id = await register({ ...bespoke, title: 'Exported for the command line' });
    const initiativeFile = await lead.get(`/initiatives/${id}/initiative.json`);
    expect(initiativeFile.statusCode).toBe(200);
    expect(initiativeFile.headers['content-disposition']).toContain('attachment');
    const basis = await latestAssessment(council, new FrameworkRegistry(defaultFramework));
    const results = await lead.get(`/assessments/${basis?.round.id ?? ''}/results.json`);
    expect(results.statusCode).toBe(200);
    const dir = mkdtempSync(path.join(tmpdir(), 'throughline-readiness-'));
    try {
      writeFileSync(path.join(dir, 'initiative.json'), initiativeFile.body);
      writeFileSync(path.join(dir, 'results.json'), results.body);
      let out = '';
      const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
        out += parts.map(String).join(' ');
      });
      const code = await main([
        'node',
        'throughline',
        'readiness',
        '--initiative',
        path.join(dir, 'initiative.json'),
        '--assessment',
        path.join(dir, 'results.json'),
        '--json',
      ]);
      log.mockRestore();
      const cli = JSON.parse(out) as { verdict: string; summary: string };
      const page = text((await lead.get(`/initiatives/${id}`)).body);
      expect(cli.verdict).toBe('not-ready');
      expect(code).toBe(2);
      expect(page).toContain(cli.summary);
      expect(cli.summary).toBe((await engineVerdict(id)).summary);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
