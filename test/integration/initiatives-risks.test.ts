// An initiative's risks and governance through HTTP, on every configured database: the risk register
// (add, change, delete, each audited), who may read and who may change, another organisation's ids,
// forged forms, the pre-mortem and its drafts, the organisation-wide list of risks above the
// appetite, the appetite and its versions (admins only), the ethics review and DPIA screening with
// the approval gate that reads them, and the transparency record: page, JSON and CSV the same record.
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATRS_FIELDS, describeField } from '../../src/domain/initiatives/transparency.ts';
import type { RiskInput } from '../../src/domain/initiatives/risks.ts';
import type { InitiativeFields, OrgScope } from '../../src/storage/index.ts';
import { approvalBlockersFor, governanceOf } from '../../src/web/initiatives/governance.ts';
import {
  Client,
  csrfTokenFrom,
  scopeOf,
  startTestApp,
  text,
  type TestApp,
} from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { initiativeFields } from '../helpers/initiatives.ts';

const ADMIN = 'admin@demo-council.example';
const LEAD = 'lead@demo-council.example';
const MEMBER = 'planner@demo-council.example';
const VIEWER = 'auditor@demo-council.example';
const OTHER_ADMIN = 'admin@demo-institution.example';

const fields: InitiativeFields = initiativeFields({
  title: 'Benefit claims triage',
  problem: 'Claims wait weeks for a first look because every claim is read in full.',
  competency: 'natural-language-processing',
  ambition: 'bespoke',
  affects: ['public'],
  data: {
    personal: true,
    specialCategory: false,
    criminalOffence: false,
    description: 'Claim forms and case notes from the benefits system.',
  },
  typologyCells: [3],
  technologyCost: 40_000,
  waysOfWorking: {
    rolesThatChange: 'Assessors check the suggested order instead of sorting the post.',
    training: 'Half a day for every assessor.',
    frontlineInvolvement: 'Assessors designed the triage rules.',
  },
  supplier: {
    arrangement: 'single-end-to-end',
    suppliers: 'Acme Analytics Ltd',
    lockIn: { dataPortability: true, openFormats: false, exitPlan: false, modelOwner: 'supplier' },
  },
  authorisingNarrative: 'Faster support for residents in hardship.',
  decisionsAboutPeople: true,
});

const aRisk = (extra: Partial<RiskInput> = {}): RiskInput => ({
  kind: 'operational',
  title: 'Staff keep the old spreadsheet',
  description: '',
  likelihood: 2,
  impact: 2,
  owner: 'Head of Benefits',
  mitigations: '',
  status: 'open',
  reviewDate: '2030-03-31',
  source: 'register',
  escalatedTo: null,
  ...extra,
});

/** The add/change form as a browser sends it. */
const riskForm = (extra: Record<string, string> = {}): Record<string, string> => ({
  kind: 'ethical',
  title: 'Scores are less accurate for disabled claimants',
  description: 'The training data has few claims from disabled people.',
  likelihood: '3',
  impact: '3',
  owner: 'Head of Benefits',
  mitigations: 'Check accuracy by group every month.',
  status: 'open',
  'reviewDate-day': '31',
  'reviewDate-month': '3',
  'reviewDate-year': '2030',
  escalatedTo: '',
  ...extra,
});

describe.each(testDatabases)('initiative risks and governance on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let admin: Client;
  let council: OrgScope;
  let institution: OrgScope;

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn(LEAD);
    admin = new Client(t.app);
    await admin.signIn(ADMIN);
    council = await scopeOf(t, 'demo-borough-council');
    institution = await scopeOf(t, 'demo-improvement-agency');
  });
  afterAll(async () => {
    await t.close();
  });

  const newInitiative = (title: string, extra: Partial<InitiativeFields> = {}) =>
    council.initiatives.create({ ...fields, title, ...extra });

  /** A page's CSRF token for a signed-in client (any page with a form, such as sign-out, has one). */
  const token = async (client: Client, url = '/initiatives') =>
    csrfTokenFrom((await client.get(url)).body);

  const actions = async (n: number) => (await council.auditLog(n)).map((e) => e.action);

  it('lets a lead add, change and delete a risk, each change audited', async () => {
    const id = await newInitiative('Register test');
    const base = `/initiatives/${id}/risks`;
    const empty = await lead.get(base);
    expect(empty.statusCode).toBe(200);
    expect(text(empty.body)).toContain('There are no risks in the register yet');
    expect(text(empty.body)).toContain('operational risks up to a score of <strong>12</strong>');

    const form = await lead.get(`${base}/new`);
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toContain('decisions people cannot meaningfully challenge');
    expect(form.body).toContain('5 Almost certain');
    expect(form.body).toContain('5 Severe');

    const added = await lead.post(`${base}/new`, {
      _csrf: csrfTokenFrom(form.body),
      ...riskForm(),
      source: 'pre-mortem', // forged: a new risk always comes from the register
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(base);
    const stored = await council.initiatives.risks<RiskInput>(id);
    expect(stored).toHaveLength(1);
    const riskId = stored[0]?.id ?? '';
    expect(stored[0]?.risk).toEqual({
      kind: 'ethical',
      title: 'Scores are less accurate for disabled claimants',
      description: 'The training data has few claims from disabled people.',
      likelihood: 3,
      impact: 3,
      owner: 'Head of Benefits',
      mitigations: 'Check accuracy by group every month.',
      status: 'open',
      reviewDate: '2030-03-31',
      source: 'register',
      escalatedTo: null,
    });
    const register = text((await lead.get(base)).body);
    expect(register).toContain('Scores are less accurate for disabled claimants');
    expect(register).toContain('9, High');
    expect(register).toContain('Possible (3) × Moderate (3)');
    expect(register).toContain('Above appetite: escalate');
    expect(register).toContain('3 above the ethical appetite of 6');
    expect(register).toContain('Review: 31 Mar 2030');
    expect(register).not.toContain('Incomplete');
    expect(register).toMatch(/What still stops approval[\s\S]*is 3 above the ethical appetite/);

    const change = await lead.get(`${base}/${riskId}`);
    expect(change.statusCode).toBe(200);
    expect(change.body).toMatch(/name="likelihood" type="radio" value="3" checked/);
    const changed = await lead.post(`${base}/${riskId}`, {
      _csrf: csrfTokenFrom(change.body),
      ...riskForm({ likelihood: '1', impact: '2', status: 'mitigating' }),
    });
    expect(changed.statusCode).toBe(303);
    expect((await council.initiatives.risks<RiskInput>(id))[0]?.risk).toMatchObject({
      likelihood: 1,
      impact: 2,
      status: 'mitigating',
    });
    const after = text((await lead.get(base)).body);
    expect(after).toContain('2, Low');
    expect(after).not.toContain('Above appetite');

    const confirm = await lead.get(`${base}/${riskId}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(text(confirm.body)).toContain(
      'Delete the risk “Scores are less accurate for disabled claimants”?',
    );
    const deleted = await lead.post(`${base}/${riskId}/delete`, {
      _csrf: csrfTokenFrom(confirm.body),
    });
    expect(deleted.statusCode).toBe(303);
    expect(await council.initiatives.risks(id)).toHaveLength(0);

    const log = (await council.auditLog(10)).filter((e) => e.entityId === riskId);
    expect(log.map((e) => e.action)).toEqual(['risk.deleted', 'risk.updated', 'risk.created']);
    expect(log.every((e) => e.actorUserId !== null)).toBe(true);
  });

  it('lets viewers and members read everything but change nothing (403)', async () => {
    const id = await newInitiative('Read-only test');
    const riskId = await council.initiatives.addRisk(id, aRisk({ title: 'Read me' }));
    const base = `/initiatives/${id}`;
    const before = await council.initiatives.get(id);
    for (const email of [VIEWER, MEMBER]) {
      const client = new Client(t.app);
      await client.signIn(email);
      for (const url of [
        `${base}/risks`,
        `${base}/risks/${riskId}`,
        `${base}/pre-mortem`,
        `${base}/ethics-review`,
        `${base}/dpia`,
        `${base}/transparency`,
        `${base}/transparency/print`,
        `${base}/transparency.json`,
        `${base}/transparency.csv`,
        '/initiatives/risks',
      ]) {
        expect((await client.get(url)).statusCode, url).toBe(200);
      }
      const readOnly = await client.get(`${base}/risks/${riskId}`);
      expect(readOnly.body).toContain('Read me');
      expect(readOnly.body).not.toContain('<form method="post" action="/initiatives');
      expect((await client.get(`${base}/risks`)).body).not.toContain('Add a risk');
      for (const url of [
        `${base}/risks/new`,
        `${base}/risks/${riskId}/delete`,
        `${base}/transparency/edit`,
        '/initiatives/settings/risk-appetite',
      ]) {
        expect((await client.get(url)).statusCode, url).toBe(403);
      }
      const csrf = await token(client);
      for (const [url, form] of [
        [`${base}/risks/new`, riskForm()],
        [`${base}/risks/${riskId}`, riskForm({ title: 'Changed by a reader' })],
        [`${base}/risks/${riskId}/delete`, {}],
        [`${base}/pre-mortem`, { answers: 'It was biased.' }],
        [`${base}/pre-mortem/confirm`, { answers: 'It was biased.', keep: '0', owner: 'Me' }],
        [`${base}/ethics-review`, { status: 'not-started' }],
        [`${base}/dpia/status`, { status: 'not-started' }],
        [`${base}/transparency/edit`, { 'a-1-4': 'x@example.gov.uk' }],
        ['/initiatives/settings/risk-appetite', { operational: '25', ethical: '25' }],
      ] as const) {
        const response = await client.post(url, { _csrf: csrf, ...form });
        expect(response.statusCode, url).toBe(403);
      }
    }
    const risks = await council.initiatives.risks<RiskInput>(id);
    expect(risks.map((r) => r.risk.title)).toEqual(['Read me']);
    expect((await council.initiatives.get(id))?.governance).toEqual(before?.governance);
    expect(await council.initiatives.setting('risk-appetite')).toBeUndefined();
  });

  it('answers 404 for another organisation’s initiative and risk ids, and changes nothing', async () => {
    const own = await newInitiative('Own initiative');
    const foreign = await institution.initiatives.create({ ...fields, title: 'Agency initiative' });
    const foreignRisk = await institution.initiatives.addRisk(
      foreign,
      aRisk({ title: 'Agency risk' }),
    );
    const csrf = await token(lead);
    const made = '00000000-0000-4000-8000-000000000000';
    for (const base of [`/initiatives/${foreign}`, `/initiatives/${made}`, '/initiatives/nope']) {
      for (const path of [
        '/risks',
        '/risks/new',
        `/risks/${foreignRisk}`,
        `/risks/${foreignRisk}/delete`,
        '/pre-mortem',
        '/ethics-review',
        '/dpia',
        '/transparency',
        '/transparency/edit',
        '/transparency/print',
        '/transparency.json',
        '/transparency.csv',
      ]) {
        expect((await lead.get(base + path)).statusCode, base + path).toBe(404);
      }
      for (const [path, form] of [
        ['/risks/new', riskForm()],
        [`/risks/${foreignRisk}`, riskForm()],
        [`/risks/${foreignRisk}/delete`, {}],
        ['/pre-mortem', { answers: 'It failed.' }],
        ['/pre-mortem/confirm', { answers: 'It failed.', keep: '0', owner: 'Me' }],
        ['/ethics-review', { status: 'not-started' }],
        ['/dpia/status', { status: 'not-started' }],
        ['/transparency/edit', { 'a-1-4': 'x@example.gov.uk' }],
      ] as const) {
        expect((await lead.post(base + path, { _csrf: csrf, ...form })).statusCode).toBe(404);
      }
    }
    // The other organisation's risk id under our own initiative finds nothing either.
    for (const path of [`/risks/${foreignRisk}`, `/risks/${foreignRisk}/delete`]) {
      expect((await lead.get(`/initiatives/${own}${path}`)).statusCode).toBe(404);
      expect(
        (await lead.post(`/initiatives/${own}${path}`, { _csrf: csrf, ...riskForm() })).statusCode,
      ).toBe(404);
    }
    // And the other organisation's admin cannot reach ours.
    const other = new Client(t.app);
    await other.signIn(OTHER_ADMIN);
    expect((await other.get(`/initiatives/${own}/risks`)).statusCode).toBe(404);
    expect(
      (
        await other.post(`/initiatives/${own}/risks/new`, {
          _csrf: await token(other),
          ...riskForm(),
        })
      ).statusCode,
    ).toBe(404);
    expect((await other.get('/initiatives/risks')).body).not.toContain('Own initiative');

    expect((await institution.initiatives.risks<RiskInput>(foreign))[0]?.risk).toEqual(
      aRisk({ title: 'Agency risk' }),
    );
    expect((await institution.initiatives.get(foreign))?.governance).toEqual({});
    expect(await council.initiatives.risks(own)).toHaveLength(0);
    expect((await council.initiatives.get(own))?.governance).toEqual({});
  });

  it('refuses a forged risk form with specific errors and stores nothing', async () => {
    const id = await newInitiative('Forgery test');
    const base = `/initiatives/${id}/risks`;
    const csrf = await token(lead, `${base}/new`);
    const forged = await lead.post(`${base}/new`, {
      _csrf: csrf,
      ...riskForm({ kind: 'catastrophic', likelihood: '9', title: 'x'.repeat(121) }),
    });
    expect(forged.statusCode).toBe(400);
    const body = text(forged.body);
    expect(body).toContain('There is a problem');
    expect(body).toContain('Choose whether it is an operational or an ethical risk');
    expect(body).toContain('The title must be 120 characters or fewer');
    expect(body).toContain('The likelihood must be from 1 to 5');
    expect(body).toContain('href="#kind"');
    // What was typed is kept, except the forged choices, which match no radio.
    expect(body).toContain('Head of Benefits');

    const huge = await lead.post(`${base}/new`, {
      _csrf: csrf,
      ...riskForm({ title: 'x'.repeat(100 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(text(huge.body)).toContain('What you sent is too large');
    expect(text(huge.body)).toContain('Nothing was saved');

    const badDate = await lead.post(`${base}/new`, {
      _csrf: csrf,
      ...riskForm({ 'reviewDate-day': '30', 'reviewDate-month': '2' }),
    });
    expect(badDate.statusCode).toBe(400);
    expect(text(badDate.body)).toContain('The review date must be a real date');
    expect(badDate.body).toContain('href="#reviewDate-day"');
    expect(await council.initiatives.risks(id)).toHaveLength(0);

    // A forged change leaves the stored risk as it was.
    const riskId = await council.initiatives.addRisk(id, aRisk());
    const changed = await lead.post(`${base}/${riskId}`, {
      _csrf: csrf,
      ...riskForm({ impact: '0', status: 'forgotten', owner: '' }),
    });
    expect(changed.statusCode).toBe(400);
    expect(text(changed.body)).toContain('The impact must be from 1 to 5');
    expect(text(changed.body)).toContain('Choose the status of the risk');
    expect(text(changed.body)).toContain('Enter who owns the risk');
    expect((await council.initiatives.risks<RiskInput>(id))[0]?.risk).toEqual(aRisk());
  });

  it('shows an incomplete stored risk with what it lacks, and lets an unreadable one be deleted', async () => {
    const id = await newInitiative('Old records test');
    // As another tool might keep it: only the columns storage requires.
    const partial = await council.initiatives.addRisk(id, {
      kind: 'ethical',
      likelihood: 4,
      impact: 4,
      status: 'open',
      title: 'Kept without an owner',
    });
    const broken = await council.initiatives.addRisk(id, aRisk({ title: 'Soon unreadable' }));
    await t.storage.db.kysely
      .updateTable('initiative_risks')
      .set({ risk: JSON.stringify({ kind: 'catastrophic', title: 'Soon unreadable' }) })
      .where('id', '=', broken)
      .execute();
    const register = text((await lead.get(`/initiatives/${id}/risks`)).body);
    expect(register).toContain('Kept without an owner');
    expect(register).toContain('16, Extreme');
    expect(register).toContain('Above appetite: escalate');
    expect(register).toContain('Incomplete: Enter who owns the risk');
    expect(register).toContain('1 stored risk could not be read');
    expect(register).not.toContain('Soon unreadable');
    const form = await lead.get(`/initiatives/${id}/risks/${partial}`);
    expect(text(form.body)).toContain('This risk’s record is incomplete: Enter who owns the risk');
    const unreadable = await lead.get(`/initiatives/${id}/risks/${broken}`);
    expect(text(unreadable.body)).toContain('This risk’s record cannot be read');
    // The approval gate still counts the incomplete risk.
    const stored = await council.initiatives.get(id);
    if (!stored) throw new Error('missing');
    expect(
      (await approvalBlockersFor(council, stored)).filter((b) => b.code === 'risk-above-appetite'),
    ).toEqual([expect.objectContaining({ riskId: partial })]);
    const confirm = await lead.get(`/initiatives/${id}/risks/${broken}/delete`);
    expect(confirm.statusCode).toBe(200);
    const deleted = await lead.post(`/initiatives/${id}/risks/${broken}/delete`, {
      _csrf: csrfTokenFrom(confirm.body),
    });
    expect(deleted.statusCode).toBe(303);
    expect((await council.initiatives.risks(id)).map((r) => r.id)).toEqual([partial]);
  });

  it('turns pre-mortem answers into drafts of the right kinds and stores only the kept ones', async () => {
    const id = await newInitiative('Pre-mortem test');
    const base = `/initiatives/${id}`;
    const page = await lead.get(`${base}/pre-mortem`);
    expect(text(page.body)).toContain(
      'It is a year from now and this initiative has failed. What went wrong?',
    );
    const csrf = csrfTokenFrom(page.body);
    const empty = await lead.post(`${base}/pre-mortem`, { _csrf: csrf, answers: '  \n ' });
    expect(empty.statusCode).toBe(400);
    expect(text(empty.body)).toContain('Enter at least one reason it failed');
    const tooMany = await lead.post(`${base}/pre-mortem`, {
      _csrf: csrf,
      answers: Array.from({ length: 51 }, (_, i) => `Reason ${i + 1}`).join('\n'),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(text(tooMany.body)).toContain('Enter at most 50 reasons at once: there are 51 lines');

    const answers = [
      'It was biased against disabled applicants and nobody could challenge its decisions.',
      'Staff stopped using it because it was slower than the old spreadsheet.',
      '- Residents lost trust in the council after a story about the tool.',
    ].join('\n');
    const check = await lead.post(`${base}/pre-mortem`, { _csrf: csrf, answers });
    expect(check.statusCode).toBe(200);
    const checkBody = text(check.body);
    expect(checkBody).toContain('Check the draft risks');
    // The suggested kinds, each ticked on its radios, with the reason for the suggestion.
    expect(check.body).toMatch(/name="kind-0" type="radio" value="ethical" checked/);
    expect(check.body).toMatch(/name="kind-1" type="radio" value="operational" checked/);
    expect(check.body).toMatch(/name="kind-2" type="radio" value="ethical" checked/);
    expect(checkBody).toContain('Suggested as ethical because it mentions “bias”');
    expect(checkBody).toContain('“public trust”');
    expect(checkBody).toContain('Suggested as operational because it mentions no harm to people');
    expect(checkBody).toContain('Possible (3) × Moderate (3) = 9');
    expect(await council.initiatives.risks(id)).toHaveLength(0);

    const forged = await lead.post(`${base}/pre-mortem/confirm`, {
      _csrf: csrf,
      answers,
      keep: ['0', '7'],
      owner: 'Head of Service Design',
    });
    expect(forged.statusCode).toBe(400);
    expect(text(forged.body)).toContain('“7” is not one of them');
    expect(await council.initiatives.risks(id)).toHaveLength(0);

    const kept = await lead.post(`${base}/pre-mortem/confirm`, {
      _csrf: csrf,
      answers,
      keep: ['0', '1'],
      'kind-0': 'ethical',
      'kind-1': 'operational',
      'kind-2': 'ethical',
      owner: 'Head of Service Design',
    });
    expect(kept.statusCode).toBe(303);
    expect(kept.headers.location).toBe(`${base}/risks`);
    // Added in the same millisecond, so put in a known order (ethical first) to compare.
    const risks = (await council.initiatives.risks<RiskInput>(id)).sort((a, b) =>
      a.risk.kind.localeCompare(b.risk.kind),
    );
    expect(risks.map((r) => [r.risk.kind, r.risk.title, r.risk.source])).toEqual([
      [
        'ethical',
        // Cut at a word to 80 characters.
        'It was biased against disabled applicants and nobody could challenge its…',
        'pre-mortem',
      ],
      [
        'operational',
        'Staff stopped using it because it was slower than the old spreadsheet',
        'pre-mortem',
      ],
    ]);
    expect(risks[0]?.risk).toMatchObject({
      likelihood: 3,
      impact: 3,
      owner: 'Head of Service Design',
      status: 'open',
    });
    const stored = await council.initiatives.get(id);
    const preMortem = stored ? governanceOf(stored).preMortem : null;
    expect(preMortem?.exercises).toHaveLength(1);
    expect(preMortem?.exercises[0]).toMatchObject({
      answers: [answers],
      drafts: 3,
      recordedBy: 'Priya Shah',
      kept: [
        { riskId: risks[0]?.id, kind: 'ethical' },
        { riskId: risks[1]?.id, kind: 'operational' },
      ],
    });
    expect(await actions(3)).toEqual([
      'initiative.governance_recorded',
      'risk.created',
      'risk.created',
    ]);
    const register = text((await lead.get(`${base}/risks`)).body);
    expect(register).toContain('Ethical, from a pre-mortem');
    expect(text((await lead.get(`${base}/pre-mortem`)).body)).toContain('2 of 3 draft risks kept');
  });

  it('lists an ethical risk above the default appetite across initiatives, but not an operational one of the same score', async () => {
    const id = await newInitiative('Escalation test');
    const csrf = await token(lead, `/initiatives/${id}/risks/new`);
    for (const [kind, title] of [
      ['ethical', 'Ethical nine'],
      ['operational', 'Operational nine'],
    ] as const) {
      const added = await lead.post(`/initiatives/${id}/risks/new`, {
        _csrf: csrf,
        ...riskForm({ kind, title }),
      });
      expect(added.statusCode).toBe(303);
    }
    await lead.post(`/initiatives/${id}/risks/new`, {
      _csrf: csrf,
      ...riskForm({
        kind: 'operational',
        title: 'Review long overdue',
        likelihood: '1',
        'reviewDate-year': '2020',
      }),
    });
    const page = await lead.get('/initiatives/risks');
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    const above = body.slice(body.indexOf('id="above"'), body.indexOf('id="overdue"'));
    expect(above).toContain('Ethical nine');
    expect(above).toContain('3 above the ethical appetite of 6');
    expect(above).toContain('Escalation test');
    expect(above).toContain('Head of Benefits');
    expect(above).not.toContain('Operational nine');
    const overdue = body.slice(body.indexOf('id="overdue"'));
    expect(overdue).toContain('Review long overdue');
    expect(overdue).toContain('31 Mar 2020');
  });

  it('lets only admins change the risk appetite, keeping every version', async () => {
    for (const client of [lead]) {
      expect((await client.get('/initiatives/settings/risk-appetite')).statusCode).toBe(403);
      const refused = await client.post('/initiatives/settings/risk-appetite', {
        _csrf: await token(client),
        operational: '1',
        ethical: '1',
      });
      expect(refused.statusCode).toBe(403);
    }
    const page = await admin.get('/initiatives/settings/risk-appetite');
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain(
      'No appetite has been saved yet, so the defaults apply: operational 12, ethical 6',
    );
    const csrf = csrfTokenFrom(page.body);
    const forged = await admin.post('/initiatives/settings/risk-appetite', {
      _csrf: csrf,
      operational: 'twelve',
      ethical: '30',
    });
    expect(forged.statusCode).toBe(400);
    expect(text(forged.body)).toContain(
      'The operational appetite must be a whole number from 1 to 25',
    );
    expect(text(forged.body)).toContain('The ethical appetite must be 25 or less');
    expect(await council.initiatives.settingHistory('risk-appetite')).toHaveLength(0);

    // Lowering the operational appetite to 8 escalates the operational risk scoring 9.
    const saved = await admin.post('/initiatives/settings/risk-appetite', {
      _csrf: csrf,
      operational: '8',
      ethical: '6',
    });
    expect(saved.statusCode).toBe(303);
    expect(await actions(1)).toEqual(['initiative.setting_changed']);
    const above = text((await lead.get('/initiatives/risks')).body);
    expect(above.slice(0, above.indexOf('id="overdue"'))).toContain('Operational nine');
    await admin.post('/initiatives/settings/risk-appetite', {
      _csrf: csrf,
      operational: '10',
      ethical: '4',
    });
    const history = text((await admin.get('/initiatives/settings/risk-appetite')).body);
    expect(history).toContain('In force: version 2, operational 10, ethical 4');
    const versionRow = (n: number) =>
      new RegExp(
        `<th scope="row" class="govuk-table__header">${n}</th>\\s*<td class="govuk-table__cell">(.*?)</td>\\s*<td class="govuk-table__cell">(.*?)</td>`,
      ).exec(history);
    expect(text(versionRow(2)?.[1] ?? '').replace(/<[^>]+>/g, ' ')).toMatch(
      /Operational 10\s+Ethical 4/,
    );
    expect(versionRow(2)?.[2]).toMatch(/^Alex Morgan/);
    expect(text(versionRow(1)?.[1] ?? '').replace(/<[^>]+>/g, ' ')).toMatch(
      /Operational 8\s+Ethical 6/,
    );
    // Back to the defaults for the tests that follow.
    await admin.post('/initiatives/settings/risk-appetite', {
      _csrf: csrf,
      operational: '12',
      ethical: '6',
    });
  });

  it('records the ethics review and the DPIA, which the approval gate reads', async () => {
    const id = await newInitiative('Governance test');
    const base = `/initiatives/${id}`;
    const initial = await council.initiatives.get(id);
    if (!initial) throw new Error('missing');
    expect((await approvalBlockersFor(council, initial)).map((b) => b.code)).toEqual([
      'ethics-review',
      'dpia',
    ]);

    const ethics = await lead.get(`${base}/ethics-review`);
    expect(text(ethics.body)).toContain(
      'It affects members of the public, so an ethics review must approve it',
    );
    const csrf = csrfTokenFrom(ethics.body);
    const incomplete = await lead.post(`${base}/ethics-review`, {
      _csrf: csrf,
      status: 'approved',
    });
    expect(incomplete.statusCode).toBe(400);
    expect(text(incomplete.body)).toContain('Enter who is reviewing it');
    const badDate = await lead.post(`${base}/ethics-review`, {
      _csrf: csrf,
      status: 'approved',
      reviewer: 'Data ethics committee',
      'date-day': '31',
      'date-month': '2',
      'date-year': '2026',
    });
    expect(badDate.statusCode).toBe(400);
    expect(text(badDate.body)).toContain('The date of the decision must be a real date');
    const noDate = await lead.post(`${base}/ethics-review`, {
      _csrf: csrf,
      status: 'approved',
      reviewer: 'Data ethics committee',
    });
    expect(text(noDate.body)).toContain('Enter the date the review approved it');
    expect((await council.initiatives.get(id))?.governance).toEqual({});
    const approved = await lead.post(`${base}/ethics-review`, {
      _csrf: csrf,
      status: 'approved',
      reviewer: 'Data ethics committee',
      'date-day': '3',
      'date-month': '3',
      'date-year': '2026',
      notes: 'Approved on condition that accuracy is checked by group.',
    });
    expect(approved.statusCode).toBe(303);
    expect(text((await lead.get(`${base}/ethics-review`)).body)).toContain('3 March 2026');

    const dpiaPage = await lead.get(`${base}/dpia`);
    const dpiaBody = text(dpiaPage.body);
    expect(dpiaBody).toContain('Prefilled:</strong> The initiative says it uses personal data.');
    expect(dpiaBody).toContain(
      'Prefilled:</strong> It is an AI initiative, and the ICO lists artificial intelligence as innovative technology.',
    );
    expect(dpiaPage.body).toMatch(/name="personalData" type="radio" value="yes" checked/);
    expect(dpiaPage.body).toMatch(/name="decisionsAboutPeople" type="radio" value="yes" checked/);
    const answers: Record<string, string> = {
      personalData: 'yes',
      specialCategoryData: 'no',
      criminalOffenceData: 'no',
      largeScale: 'no',
      decisionsAboutPeople: 'yes',
      profiling: 'yes',
      automatedDecisions: 'no',
      significantEffects: 'no',
      accessToService: 'no',
      innovativeTechnology: 'yes',
      biometricIdentification: 'no',
      geneticData: 'no',
      dataMatching: 'no',
      invisibleProcessing: 'no',
      tracking: 'no',
      vulnerablePeople: 'no',
      onlineServiceForChildren: 'no',
      physicalHarm: 'no',
      monitoring: 'none',
    };
    const contradictory = await lead.post(`${base}/dpia`, {
      _csrf: csrf,
      ...answers,
      personalData: 'no',
    });
    expect(contradictory.statusCode).toBe(400);
    expect(text(contradictory.body)).toContain(
      'A decision about an individual is personal data: answer yes to using information about identifiable people, or no here',
    );
    const screened = await lead.post(`${base}/dpia`, { _csrf: csrf, ...answers });
    expect(screened.statusCode).toBe(303);
    const outcome = text((await lead.get(`${base}/dpia`)).body);
    expect(outcome).toContain('A DPIA is required');
    expect(outcome).toContain('<strong>Innovative technology</strong> (ICO list)');
    expect(outcome).toContain('<strong>Evaluation or scoring</strong> (WP248)');

    let stored = await council.initiatives.get(id);
    if (!stored) throw new Error('missing');
    expect((await approvalBlockersFor(council, stored)).map((b) => b.code)).toEqual(['dpia']);

    const noCompletion = await lead.post(`${base}/dpia/status`, {
      _csrf: csrf,
      status: 'completed',
    });
    expect(noCompletion.statusCode).toBe(400);
    expect(text(noCompletion.body)).toContain('Enter the date the DPIA was completed');
    const datedInProgress = await lead.post(`${base}/dpia/status`, {
      _csrf: csrf,
      status: 'in-progress',
      'completedOn-day': '1',
      'completedOn-month': '4',
      'completedOn-year': '2026',
    });
    expect(datedInProgress.statusCode).toBe(400);
    expect(text(datedInProgress.body)).toContain('Only a completed DPIA has a completion date');
    const completed = await lead.post(`${base}/dpia/status`, {
      _csrf: csrf,
      status: 'completed',
      'completedOn-day': '1',
      'completedOn-month': '4',
      'completedOn-year': '2026',
    });
    expect(completed.statusCode).toBe(303);
    stored = await council.initiatives.get(id);
    if (!stored) throw new Error('missing');
    const governance = governanceOf(stored);
    expect(governance.ethicsReview).toMatchObject({
      status: 'approved',
      reviewer: 'Data ethics committee',
      date: '2026-03-03',
      recordedBy: 'Priya Shah',
    });
    expect(governance.dpia).toMatchObject({ status: 'completed', completedOn: '2026-04-01' });
    expect(governance.dpia?.screening?.outcome).toBe('required');
    expect(await approvalBlockersFor(council, stored)).toEqual([]);

    // A risk above the appetite blocks approval again.
    await council.initiatives.addRisk(id, aRisk({ kind: 'ethical', likelihood: 4, impact: 4 }));
    expect((await approvalBlockersFor(council, stored)).map((b) => b.code)).toEqual([
      'risk-above-appetite',
    ]);
    const audits = (await council.auditLog(20)).filter(
      (e) => e.action === 'initiative.governance_recorded' && e.entityId === id,
    );
    expect(audits.map((e) => e.details.record)).toEqual(['dpia', 'dpia', 'ethicsReview']);

    // A record that no longer fits its schema reads as absent.
    await council.initiatives.setGovernance(id, 'ethicsReview', { status: 'waved through' });
    await council.initiatives.setGovernance(id, 'dpia', {
      status: 'completed',
      completedOn: '2026-04-01',
      screening: { answers: { personalData: 'perhaps' } },
    });
    stored = await council.initiatives.get(id);
    if (!stored) throw new Error('missing');
    expect(governanceOf(stored)).toMatchObject({ ethicsReview: null, dpia: null });
    expect((await lead.get(`${base}/ethics-review`)).statusCode).toBe(200);
  });

  it('shows the same transparency record on the page, in JSON and in CSV', async () => {
    const id = await newInitiative('Transparency test');
    await council.initiatives.addRisk(
      id,
      aRisk({ kind: 'ethical', title: 'Bias, "quoted", against a group', mitigations: 'Checks' }),
    );
    const base = `/initiatives/${id}`;
    const edit = await lead.get(`${base}/transparency/edit`);
    expect(edit.statusCode).toBe(200);
    const csrf = csrfTokenFrom(edit.body);
    for (const [form, message] of [
      [{ 'a-9-9': 'x' }, 'The form sent a field the record does not have'],
      [{ 'a-0-1': 'x' }, 'The form sent a field the record does not have'],
      [{ 'a-2-4-2-1': 'x' }, 'The form sent a field the record does not have'],
      [{ 'm11-2-4-2-1': 'x' }, 'A record can describe at most 10 models'],
      [{ 'a-1-4': 'not an address' }, '1.4 Contact email must be an email address'],
      [{ 'a-2-2-1': 'x'.repeat(5001) }, '2.2.1 Detailed description must be 5,000 characters'],
    ] as const) {
      const refused = await lead.post(`${base}/transparency/edit`, { _csrf: csrf, ...form });
      expect(refused.statusCode).toBe(400);
      expect(text(refused.body)).toContain(message);
    }
    expect((await council.initiatives.get(id))?.governance).toEqual({});
    const saved = await lead.post(`${base}/transparency/edit`, {
      _csrf: csrf,
      'a-1-4': 'ai-team@example.gov.uk',
      'a-2-1-3': 'Director of Digital',
      'a-2-2-1': 'Line one, with a comma\nLine two',
      'm1-2-4-2-1': 'Claims triage model',
      'd1-2-4-3-1': '',
    });
    expect(saved.statusCode).toBe(303);

    const page = await lead.get(`${base}/transparency`);
    expect(page.statusCode).toBe(200);
    const json = await lead.get(`${base}/transparency.json`);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.headers['content-disposition']).toBe(
      'attachment; filename="transparency-record-transparency-test.json"',
    );
    const csv = await lead.get(`${base}/transparency.csv`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="transparency-record-transparency-test.csv"',
    );
    const record = JSON.parse(json.body) as {
      standard: string;
      version: string;
      fields: {
        reference: string;
        name: string;
        category: string;
        required: boolean;
        copy: number | null;
        value: string;
      }[];
    };
    expect(record.version).toBe('3.0');
    const rows = parseCsv(csv.body, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(record.fields.length);

    // The page's value of each field, by its anchor.
    const body = page.body;
    const pageValue = (anchor: string): string | undefined => {
      const start = body.indexOf(`id="${anchor}"`);
      if (start < 0) return undefined;
      const row = body.slice(start, body.indexOf('</div>', start));
      const lines = [
        ...row.matchAll(/<p class="govuk-body govuk-!-margin-bottom-1">([^<]*)<\/p>/g),
      ];
      return lines.map((m) => text(m[1] ?? '')).join('\n');
    };
    record.fields.forEach((f, i) => {
      const row = rows[i];
      expect(row?.['reference number']).toBe(f.reference);
      expect(row?.copy).toBe(f.copy === null ? '' : String(f.copy));
      expect(row?.value).toBe(f.value);
      const suffix =
        f.copy === null ? '' : `-${f.category === 'Model Specification' ? 'm' : 'd'}${f.copy}`;
      expect(pageValue(`f-${f.reference.replace(/\./g, '-')}${suffix}`), f.reference).toBe(f.value);
    });
    const byRef = (ref: string) => record.fields.find((f) => f.reference === ref)?.value;
    expect(byRef('1.4')).toBe('ai-team@example.gov.uk');
    expect(byRef('2.2.1')).toBe('Line one, with a comma\nLine two');
    expect(byRef('2.4.2.1')).toBe('Claims triage model');
    expect(byRef('2.1.4.1')).toBe('Acme Analytics Ltd');
    expect(byRef('2.5.2')).toContain('Bias, "quoted", against a group (ethical risk');

    // The same required fields are missing in all three.
    const atrsTeam = new Set(
      ATRS_FIELDS.filter((f) => f.completedBy === 'atrs-team').map((f) => f.reference),
    );
    const fromJson = record.fields
      .filter((f) => f.required && f.value === '' && !atrsTeam.has(f.reference))
      .map((f) =>
        describeField({
          reference: f.reference,
          name: f.name,
          category: f.category as never,
          copy: f.copy,
        }),
      );
    const fromCsv = rows
      .filter(
        (r) =>
          r.required === 'TRUE' && r.value === '' && !atrsTeam.has(r['reference number'] ?? ''),
      )
      .map((r) =>
        describeField({
          reference: r['reference number'] ?? '',
          name: r.name ?? '',
          category: (r.category ?? '') as never,
          copy: r.copy ? Number(r.copy) : null,
        }),
      );
    const missingBlock = body.slice(
      body.indexOf('id="missing"'),
      body.indexOf('</ul>', body.indexOf('id="missing"')),
    );
    const fromPage = [
      ...missingBlock.matchAll(/<a class="govuk-link" href="#(f-[^"]+)">([^<]+)<\/a>/g),
    ].map((m) => text(m[2] ?? ''));
    expect(fromJson.length).toBeGreaterThan(0);
    expect(fromPage).toEqual(fromJson);
    expect(fromCsv).toEqual(fromJson);
    expect(fromPage).toContain('1.3 Website URL');
    expect(fromPage).not.toContain('1.4 Contact email');
    expect(fromPage).toContain('2.4.2.2 Model version (model 1)');
    // Every link in the list goes to a field on the page.
    for (const m of missingBlock.matchAll(/href="#(f-[^"]+)"/g)) {
      expect(body).toContain(`id="${m[1] ?? ''}"`);
    }

    // The printable page has the record without the navigation.
    const print = await lead.get(`${base}/transparency/print`);
    expect(print.statusCode).toBe(200);
    expect(print.body).not.toContain('govuk-service-navigation');
    expect(print.body).not.toContain('govuk-breadcrumbs');
    expect(print.body).not.toContain('<form');
    expect(text(print.body)).toContain('2.4.2.1 Model name');
    expect(text(print.body)).toContain('Claims triage model');

    const audit = (await council.auditLog(1))[0];
    expect(audit?.action).toBe('initiative.governance_recorded');
    expect(audit?.details.record).toBe('transparency');
  });
});
