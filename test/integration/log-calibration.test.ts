// A delivery chain made from an event log states the same thing wherever it is read (issue 13,
// point 2): a synthetic helpdesk whose tickets close automatically 15 days after the reply is
// uploaded, the log page previews the chain, "Create a delivery chain" stores it, and the chain
// page and `throughline log calibrate` (the installed command) say the same — the closure wait a
// timer delay with no servers, the agents the only staffed stage with the method stated, the same
// lead-time fit — on every configured database.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpdeskRows, rowsToCsv, weekdayOfficeRows } from '../../src/domain/mining/testLogs.ts';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/throughline.js', import.meta.url));
const CSV = rowsToCsv(helpdeskRows(1200, 5, true));
// An office open on weekdays 08:00–18:00 only: its staffed stage gets a Monday-to-Friday roster.
const OFFICE = rowsToCsv(weekdayOfficeRows(1500, 3));

function multipart(
  parts: readonly (
    { name: string; value: string } | { name: string; filename: string; content: Buffer }
  )[],
) {
  const boundary = `----throughline${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('value' in part) {
      chunks.push(
        Buffer.from(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`),
      );
    } else {
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        part.content,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

interface CliStage {
  id: string;
  name: string;
  role: string;
  delay: { kind: string } | null;
  servers: number | null;
  staffMethod: string | null;
  roster: { shifts: { days: string[]; from: string; to: string; servers: number }[] } | null;
  hours: string | null;
}

interface CliOutput {
  stages: CliStage[];
  notes: string[];
  merged: { name: string; into: string | null }[];
  chain: {
    stages: { id: string; servers: number; delay?: { kind: string }; roster?: unknown }[];
    calendar?: { weekly?: { hours: number[] } };
  };
}

async function calibrateByCli(name: string, csv: string, extra: string[] = []): Promise<CliOutput> {
  const dir = mkdtempSync(path.join(tmpdir(), 'calib-'));
  const file = path.join(dir, name);
  writeFileSync(file, csv);
  const { stdout } = await run(
    process.execPath,
    [bin, 'log', 'calibrate', file, '--json', '--fold', '0.05', '--cases', '20000', ...extra],
    {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
      // From this source through tsx: the compiled cache lives in node_modules, which worktrees share.
      env: { ...process.env, THROUGHLINE_CLI_CACHE: '0' },
    },
  );
  return JSON.parse(stdout) as CliOutput;
}

const decode = (html: string): string =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

describe.each(testDatabases)('a delivery chain calibrated from a log on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let cli: CliOutput;
  let logId: string;

  // Upload, map and import a file as a person would; the new log's id.
  async function upload(name: string, csv: string): Promise<string> {
    const list = await lead.get('/logs');
    const { body, contentType } = multipart([
      { name: '_csrf', value: csrfTokenFrom(list.body) },
      { name: 'name', value: name },
      { name: 'file', filename: `${name}.csv.gz`, content: gzipSync(Buffer.from(csv)) },
    ]);
    const cookie = ['tl_session', 'tl_csrf'].map((n) => `${n}=${lead.cookie(n) ?? ''}`).join('; ');
    const uploaded = await t.app.inject({
      method: 'POST',
      url: '/logs/upload',
      headers: { cookie, 'content-type': contentType, accept: 'text/html' },
      payload: body,
    });
    expect(uploaded.statusCode).toBe(303);
    const mappingUrl = uploaded.headers.location as string;
    const mapping = await lead.get(mappingUrl);
    const posted = await lead.post(mappingUrl.split('?')[0] as string, {
      _csrf: csrfTokenFrom(mapping.body),
      name,
      caseId: 'case_id',
      activity: 'activity',
      timestamp: 'timestamp',
      lifecycle: '',
      resource: 'resource',
      group: '',
      startTimestamp: 'start_timestamp',
      dateOrder: 'auto',
      timeZone: 'UTC',
    });
    expect(posted.statusCode).toBe(303);
    await t.jobs.idle();
    const done = await lead.get(posted.headers.location as string);
    expect(done.statusCode).toBe(303);
    return (done.headers.location as string).split('/').pop() as string;
  }

  async function storedChain(chainId: string) {
    const org = await t.storage.db.kysely
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'demo-borough-council')
      .executeTakeFirstOrThrow();
    return t.storage.scope(org.id, { userId: null, label: 't' }).chains.get(chainId);
  }

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
    cli = await calibrateByCli('helpdesk.csv', CSV);
    logId = await upload('Helpdesk', CSV);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('agrees between the CLI, the log page’s preview, the stored chain and the chain page', async () => {
    // The CLI: the closure wait is a timer delay with no servers; the agents are staffed, 3 of them.
    const wait = cli.stages.find((s) => s.name === 'Wait before Closed');
    expect(wait?.role).toBe('delay');
    expect(wait?.delay?.kind).toBe('timer');
    expect(wait?.servers).toBeNull();
    const reply = cli.stages.find((s) => s.name === 'Reply');
    expect(reply?.role).toBe('staffed');
    expect(reply?.servers).toBe(3);

    // The log page previews the same stages, in the same words.
    const page = await lead.get(`/logs/${logId}`);
    expect(page.statusCode).toBe(200);
    const text = decode(page.body);
    expect(text).toContain('What the chain will be');
    expect(text).toContain(cli.notes[0]);
    expect(text).toContain('Delay: a timer or set period');
    expect(text).toContain(reply?.staffMethod ?? 'missing');

    // Create it: the stored chain has the CLI's delays and staff, stage by stage.
    const res = await lead.post(`/logs/${logId}/chain`, {
      _csrf: csrfTokenFrom(page.body),
      fold: '5',
    });
    expect(res.statusCode).toBe(303);
    const chainId = (res.headers.location as string).split('/').pop() as string;
    const stored = await storedChain(chainId);
    const shape = (stages: readonly { id: string; servers: number; delay?: { kind: string } }[]) =>
      stages.map((s) => [s.id, s.delay?.kind ?? s.servers]);
    expect(shape(stored?.model.stages ?? [])).toEqual(shape(cli.chain.stages));
    expect(shape(cli.chain.stages)).toContainEqual(['wait-before-closed', 'timer']);
    // The description holds the same statements, the fit included.
    for (const note of cli.notes.slice(0, 3)) expect(stored?.model.description).toContain(note);

    // The zero-time steps are merged, the same on every surface; no stage has a roster (the agents
    // work at all hours), and all three say so.
    expect(cli.merged).toEqual([
      { name: 'Logged', into: 'Reply' },
      { name: 'Closed', into: 'Wait before Closed' },
    ]);
    const mergedNote = cli.notes.find((n) => n.startsWith('2 instantaneous stages were merged'));
    expect(mergedNote).toContain('“Logged” into “Reply”');
    expect(text).toContain(mergedNote ?? 'missing');
    expect(stored?.model.description).toContain(mergedNote ?? 'missing');
    expect((stored?.model.stages ?? []).map((s) => s.name).sort()).toEqual([
      'Reply',
      'Wait before Closed',
    ]);
    expect(cli.stages.every((s) => s.roster === null)).toBe(true);
    expect((stored?.model.stages ?? []).every((s) => s.roster === undefined)).toBe(true);
    const allHours = cli.notes.find((n) => n.startsWith('“Reply” is worked at all hours'));
    expect(allHours).toBeDefined();
    expect(text).toContain(allHours ?? 'missing');
    expect(text).toContain('On duty round the clock.');

    // The chain page: no servers and no "needs N more" at the closure; the agents are the constraint.
    const chainPage = decode((await lead.get(`/chains/${chainId}`)).body);
    expect(chainPage).toContain('none: a delay (a timer or set period)');
    expect(chainPage).not.toMatch(/Wait before Closed[^.]*needs \d+ more/);
    expect(chainPage).toContain('The bottleneck: Reply');
    expect(chainPage).not.toContain('The bottleneck: Wait before Closed');
  });

  it('gives a weekday office the same Monday-to-Friday roster on the page, the stored chain and the CLI; switched off, none', async () => {
    const office = await calibrateByCli('office.csv', OFFICE);
    const id = await upload('Office', OFFICE);
    const assess = office.stages.find((s) => s.name === 'Assess');
    expect(assess?.roster).toEqual({
      shifts: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00', servers: 2 },
      ],
    });
    const weekend = office.notes.find((n) => n.includes('No case started on Saturdays or Sundays'));
    expect(weekend).toBeDefined();

    const page = decode((await lead.get(`/logs/${id}`)).body);
    expect(page).toContain(assess?.staffMethod ?? 'missing');
    expect(page).toContain('On duty Monday to Friday, 08:00–18:00.');
    expect(page).toContain(weekend ?? 'missing');
    expect(page).toContain(assess?.hours ?? 'missing');

    const res = await lead.post(`/logs/${id}/chain`, {
      _csrf: csrfTokenFrom(page),
      fold: '5',
      calendar: 'fit',
    });
    expect(res.statusCode).toBe(303);
    const stored = await storedChain((res.headers.location as string).split('/').pop() as string);
    const doc = stored?.model;
    expect(doc?.stages.map((s) => [s.id, s.roster])).toEqual(
      office.chain.stages.map((s) => [s.id, s.roster]),
    );
    expect(doc?.calendar?.weekly?.hours).toEqual(office.chain.calendar?.weekly?.hours);
    expect(doc?.description).toContain(weekend ?? 'missing');
    const chainPage = decode((await lead.get(res.headers.location as string)).body);
    expect(chainPage).toContain('staff work to rosters, so the clock runs in calendar hours');

    // Switched off on the page and with --no-calendar: no calendar, no roster, both say so.
    const plain = await calibrateByCli('office.csv', OFFICE, ['--no-calendar']);
    expect(plain.chain.calendar).toBeUndefined();
    expect(plain.stages.every((s) => s.roster === null)).toBe(true);
    const off = decode((await lead.get(`/logs/${id}?calendar=none`)).body);
    expect(off).toContain('Opening hours and demand patterns were not fitted (switched off)');
    expect(off).not.toContain('On duty Monday to Friday');
    const res2 = await lead.post(`/logs/${id}/chain`, {
      _csrf: csrfTokenFrom(page),
      fold: '5',
      calendar: 'none',
    });
    const stored2 = await storedChain((res2.headers.location as string).split('/').pop() as string);
    expect(stored2?.model.calendar).toBeUndefined();
    expect(stored2?.model.stages.map((s) => [s.id, s.servers, s.roster])).toEqual(
      plain.chain.stages.map((s) => [s.id, s.servers, s.roster]),
    );
    // A choice not offered is refused beside the field, and nothing is stored.
    const before = await t.storage.db.kysely.selectFrom('delivery_chains').select('id').execute();
    const bad = await lead.post(`/logs/${id}/chain`, {
      _csrf: csrfTokenFrom(page),
      fold: '5',
      calendar: 'sometimes',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain(
      'Choose whether to read opening hours and demand patterns from the log',
    );
    expect(bad.body).toMatch(/id="calendar-error"/);
    const after = await t.storage.db.kysely.selectFrom('delivery_chains').select('id').execute();
    expect(after.length).toBe(before.length);
  }, 120_000);

  it('refuses a folding threshold out of bounds, beside the field, and stores nothing', async () => {
    const page = await lead.get(`/logs/${logId}`);
    const before = await t.storage.db.kysely.selectFrom('delivery_chains').select('id').execute();
    const res = await lead.post(`/logs/${logId}/chain`, {
      _csrf: csrfTokenFrom(page.body),
      fold: '1e308',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter a share between 0 and 30 (per cent), like 5');
    expect(res.body).toMatch(/id="fold-error"/);
    const after = await t.storage.db.kysely.selectFrom('delivery_chains').select('id').execute();
    expect(after.length).toBe(before.length);
    const preview = await lead.get(`/logs/${logId}?fold=0`);
    expect(decode(preview.body)).toContain(
      'Nothing was folded: every stage and route of the log is kept.',
    );
  });
});
