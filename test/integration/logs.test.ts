// Event logs through HTTP, on every configured database: upload (streamed, CSRF checked from the
// form's first field), column mapping, the import as a background job with progress, the analysis
// page with the bottleneck finding, filters, malformed files refused with nothing stored, the size
// limit, roles, organisation isolation, audit entries, and a delivery chain made from a log.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const RECEIPT = readFileSync(path.join(ROOT, 'examples', 'eventlogs', 'receipt.csv.gz'));
const NESTED_XES = readFileSync(path.join(ROOT, 'test', 'fixtures', 'eventlogs', 'nested.xes'));
const SMALL_CSV = readFileSync(path.join(ROOT, 'test', 'fixtures', 'eventlogs', 'small.csv'));
const LIMIT = 64 * 1024;

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer };

function multipart(parts: readonly Part[]): { body: Buffer; contentType: string } {
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

describe.each(testDatabases)('event logs on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let viewer: Client;
  let member: Client;
  let other: Client;

  beforeAll(async () => {
    t = await startTestApp(factory, {
      SIGN_IN_RATE_LIMIT: '1000',
      EVENT_LOG_UPLOAD_LIMIT_BYTES: String(LIMIT * 4),
    });
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
    member = new Client(t.app);
    await member.signIn('planner@demo-council.example');
    viewer = new Client(t.app);
    await viewer.signIn('auditor@demo-council.example');
    other = new Client(t.app);
    await other.signIn('admin@demo-institution.example');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Posts the upload form as a browser would: the CSRF token first, then the name, then the file. */
  async function upload(
    client: Client,
    filename: string,
    content: Buffer,
    options: { token?: string | null; name?: string } = {},
  ) {
    const page = await client.get('/logs');
    const token = options.token === undefined ? csrfTokenFrom(page.body) : options.token;
    const parts: Part[] = [
      ...(token === null ? [] : [{ name: '_csrf', value: token }]),
      { name: 'name', value: options.name ?? '' },
      { name: 'file', filename, content },
    ];
    const { body, contentType } = multipart(parts);
    return t.app.inject({
      method: 'POST',
      url: '/logs/upload',
      headers: { cookie: cookieOf(client), 'content-type': contentType, accept: 'text/html' },
      payload: body,
    });
  }

  function cookieOf(client: Client): string {
    return ['tl_session', 'tl_csrf']
      .map((name) => [name, client.cookie(name)] as const)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  async function count(table: 'event_logs' | 'event_log_uploads' | 'jobs'): Promise<number> {
    const rows = await t.storage.db.kysely.selectFrom(table).select('id').execute();
    return rows.length;
  }

  /** Follows the import to its end: the job page refreshes itself until the job is done. */
  async function finish(client: Client, jobUrl: string) {
    await t.jobs.idle();
    return client.get(jobUrl);
  }

  it('shows the demo council’s receipt log, analysed, with the bottleneck finding', async () => {
    const list = await viewer.get('/logs');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Environmental permit applications: receipt phase');
    expect(list.body).not.toContain('Upload an event log');
    expect(list.body).toMatch(/>1,434<\/td>\s*<td[^>]*>8,577</);
    expect(list.body).toContain(
      'T06 Determine necessity of stop advice – batching, not a shortage of capacity (39% of case time)',
    );
    const href = /href="\/logs\/([0-9a-f-]{36})"/.exec(list.body)?.[1];
    expect(href).toBeDefined();
    const page = await viewer.get(`/logs/${href}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('1,434');
    expect(page.body).toContain('8,577');
    expect(page.body).toContain(
      'The bottleneck is the wait before &#39;T06 Determine necessity of stop advice&#39; (39% of case time): a batching delay, not a shortage of capacity.',
    );
    expect(page.body).toContain(
      'Bottleneck: T06 Determine necessity of stop advice (batching, not a shortage of capacity)',
    );
    expect(page.body).toContain('T06 Determine necessity of stop advice');
    expect(page.body).toContain('waiting and service cannot be told apart');
    expect(page.body).toContain('Bottleneck (batching)');
    expect(page.body).not.toContain('Bottleneck (resource contention)');
    expect(page.body).toContain('role="img"');
    expect(page.body).toContain('Process map');
    // The institution cannot see it.
    expect((await other.get(`/logs/${href}`)).statusCode).toBe(404);
  });

  it('uploads a CSV, offers the detected mapping, runs the import as a job and shows the analysis', async () => {
    const before = await count('event_logs');
    const res = await upload(member, 'receipt.csv.gz', RECEIPT, { name: 'Receipt again' });
    expect(res.statusCode).toBe(303);
    const mappingUrl = res.headers.location as string;
    expect(mappingUrl).toMatch(/^\/logs\/uploads\/[0-9a-f-]{36}\?name=Receipt%20again$/);
    const mapping = await member.get(mappingUrl);
    expect(mapping.statusCode).toBe(200);
    expect(mapping.body).toContain('Match the columns');
    expect(mapping.body).toMatch(/<option value="case:concept:name" selected>/);
    expect(mapping.body).toMatch(/<option value="time:timestamp" selected>/);
    expect(mapping.body).toContain('value="Receipt again"');
    const action = mappingUrl.split('?')[0] as string;
    const posted = await member.post(action, {
      _csrf: csrfTokenFrom(mapping.body),
      name: 'Receipt again',
      caseId: 'case:concept:name',
      activity: 'concept:name',
      timestamp: 'time:timestamp',
      lifecycle: 'lifecycle:transition',
      resource: 'org:resource',
      group: 'org:group',
      startTimestamp: '',
      caseAttributes: ['case:channel', 'case:department'],
      dateOrder: 'auto',
      timeZone: 'UTC',
    });
    expect(posted.statusCode).toBe(303);
    const jobUrl = posted.headers.location as string;
    expect(jobUrl).toMatch(/^\/logs\/jobs\//);
    const progress = await member.get(jobUrl);
    expect(progress.statusCode === 200 || progress.statusCode === 303).toBe(true);
    if (progress.statusCode === 200) expect(progress.body).toContain('http-equiv="refresh"');
    const done = await finish(member, jobUrl);
    expect(done.statusCode).toBe(303);
    const logUrl = done.headers.location as string;
    const page = await member.get(logUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Imported 8,577 events in 1,434 cases');
    expect(page.body).toContain('a batching delay, not a shortage of capacity');
    expect(await count('event_logs')).toBe(before + 1);
    // The upload is gone once imported; the audit trail has the upload, the queued job and the import.
    const scope = t.storage.scope(await orgId('demo-borough-council'), {
      userId: null,
      label: 't',
    });
    const actions = (await scope.auditLog(20)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['eventlog.uploaded', 'job.queued', 'eventlog.imported']),
    );
    expect((await scope.logs.uploads()).length).toBe(0);

    // Filter to one channel: fewer cases, same page.
    const internet = await member.get(
      `${logUrl}?attribute=${encodeURIComponent('case:channel=Internet')}`,
    );
    expect(internet.statusCode).toBe(200);
    expect(internet.body).toContain('1,250 of 1,434');
    const bad = await member.get(`${logUrl}?from=2011-13-45`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the start date as a real date');

    // Another organisation finds neither the log nor the job.
    expect((await other.get(logUrl)).statusCode).toBe(404);
    expect((await other.get(jobUrl)).statusCode).toBe(404);
  });

  async function orgId(slug: string): Promise<string> {
    const org = await t.storage.db.kysely
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    return org.id;
  }

  it('imports an XES file straight away (no mapping needed)', async () => {
    const res = await upload(lead, 'nested.xes', NESTED_XES);
    expect(res.statusCode).toBe(303);
    const jobUrl = res.headers.location as string;
    expect(jobUrl).toMatch(/^\/logs\/jobs\//);
    const done = await finish(lead, jobUrl);
    expect(done.statusCode).toBe(303);
    expect((await lead.get(done.headers.location as string)).statusCode).toBe(200);
  });

  it('refuses malformed files with a clear message and stores nothing', async () => {
    const logsBefore = await count('event_logs');
    // Empty.
    const empty = await upload(lead, 'empty.csv', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('The selected file is empty');
    // Binary garbage.
    const garbage = await upload(
      lead,
      'garbage.csv',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1, 2, 3]),
    );
    expect(garbage.statusCode).toBe(400);
    expect(garbage.body).toContain('not a CSV or XES event log');
    expect(await count('event_log_uploads')).toBe(0);

    // Truncated XML: the job fails naming the problem, and the upload is not kept.
    const truncated = await upload(
      lead,
      'truncated.xes',
      NESTED_XES.subarray(0, Math.floor(NESTED_XES.length / 2)),
    );
    expect(truncated.statusCode).toBe(303);
    const failed = await finish(lead, truncated.headers.location as string);
    expect(failed.statusCode).toBe(200);
    expect(failed.body).toContain('The log could not be imported');
    expect(failed.body).toContain('truncated');
    expect(failed.body).not.toContain('http-equiv="refresh"');
    expect(await count('event_log_uploads')).toBe(0);

    // Unparseable timestamps, and a wrong mapping: the job fails naming the line; the upload stays
    // so the mapping can be corrected.
    const badTimes = Buffer.from(
      'case_id,activity,timestamp\nc1,A,2024-01-01T09:00:00Z\nc1,B,not a date\n',
    );
    const uploaded = await upload(lead, 'bad-times.csv', badTimes);
    expect(uploaded.statusCode).toBe(303);
    const mappingUrl = uploaded.headers.location as string;
    const mapping = await lead.get(mappingUrl);
    expect(mapping.body).toMatch(/<option value="case_id" selected>/);
    const jobRes = await lead.post(mappingUrl, {
      _csrf: csrfTokenFrom(mapping.body),
      name: 'Bad times',
      caseId: 'case_id',
      activity: 'activity',
      timestamp: 'timestamp',
      dateOrder: 'auto',
      timeZone: 'UTC',
    });
    expect(jobRes.statusCode).toBe(303);
    const jobPage = await finish(lead, jobRes.headers.location as string);
    expect(jobPage.body).toContain('line 3');
    expect(jobPage.body).toContain('not a date');
    expect(jobPage.body).toContain('Change the column mapping');

    const wrong = await lead.post(mappingUrl, {
      _csrf: csrfTokenFrom(mapping.body),
      name: 'Wrong mapping',
      caseId: 'case_id',
      activity: 'timestamp',
      timestamp: 'activity',
      dateOrder: 'auto',
      timeZone: 'UTC',
    });
    const wrongPage = await finish(lead, wrong.headers.location as string);
    expect(wrongPage.body).toContain('The file could not be imported: line 2');

    // The form itself refuses a column used twice, a missing column and an unknown zone.
    const twice = await lead.post(mappingUrl, {
      _csrf: csrfTokenFrom(mapping.body),
      name: 'x',
      caseId: 'case_id',
      activity: 'case_id',
      timestamp: '',
      dateOrder: 'auto',
      timeZone: 'Mars/Olympus',
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('is already used for the case id');
    expect(twice.body).toContain('Select the column that holds the timestamp');
    expect(twice.body).toContain('Enter a time zone the way computers name them');

    // Failures are in the audit trail; no log was stored.
    const scope = t.storage.scope(await orgId('demo-borough-council'), {
      userId: null,
      label: 't',
    });
    expect(
      (await scope.auditLog(50)).filter((e) => e.action === 'job.failed').length,
    ).toBeGreaterThanOrEqual(3);
    expect(await count('event_logs')).toBe(logsBefore);
    // Discarding the upload removes it.
    const discard = await lead.post(`${mappingUrl}/discard`, {
      _csrf: csrfTokenFrom(mapping.body),
    });
    expect(discard.statusCode).toBe(303);
    expect(await count('event_log_uploads')).toBe(0);
  });

  it('refuses a file over the size limit with a clear message', async () => {
    const huge = Buffer.alloc(LIMIT * 4 + 1024, 'x');
    const res = await upload(lead, 'huge.csv', huge);
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('The selected file is larger than');
    expect(await count('event_log_uploads')).toBe(0);
  });

  it('refuses a forged upload (no or wrong CSRF token) and a viewer', async () => {
    const missing = await upload(lead, 'small.csv', SMALL_CSV, { token: null });
    expect(missing.statusCode).toBe(403);
    const forged = await upload(lead, 'small.csv', SMALL_CSV, { token: 'forged-token' });
    expect(forged.statusCode).toBe(403);
    expect(await count('event_log_uploads')).toBe(0);
    // A viewer has no form; posting anyway is refused.
    const page = await viewer.get('/logs');
    const { body, contentType } = multipart([
      { name: '_csrf', value: csrfTokenFrom(page.body) },
      { name: 'file', filename: 'small.csv', content: SMALL_CSV },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/logs/upload',
      headers: { cookie: cookieOf(viewer), 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode).toBe(403);
    expect(await count('event_log_uploads')).toBe(0);
    // Signed out: sent to sign in.
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/logs/upload',
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(anonymous.statusCode).toBe(303);
  });

  it('creates a delivery chain from a filtered log (lead only)', async () => {
    const list = await lead.get('/logs');
    const id = /href="\/logs\/([0-9a-f-]{36})">Environmental permit/.exec(list.body)?.[1] as string;
    const page = await lead.get(
      `/logs/${id}?attribute=${encodeURIComponent('case:channel=Internet')}`,
    );
    expect(page.body).toContain('Create a delivery chain from the filtered cases');
    const token = csrfTokenFrom(page.body);
    const denied = await member.post(`/logs/${id}/chain`, {
      _csrf: csrfTokenFrom((await member.get(`/logs/${id}`)).body),
    });
    expect(denied.statusCode).toBe(403);
    const res = await lead.post(`/logs/${id}/chain`, {
      _csrf: token,
      attribute: 'case:channel=Internet',
      from: '',
      to: '',
    });
    expect(res.statusCode).toBe(303);
    const chainUrl = res.headers.location as string;
    expect(chainUrl).toMatch(/^\/chains\/[0-9a-f-]{36}$/);
    const chainId = chainUrl.split('/').pop() as string;
    const scope = t.storage.scope(await orgId('demo-borough-council'), {
      userId: null,
      label: 't',
    });
    const chain = await scope.chains.get(chainId);
    expect(chain?.name).toContain('Channel: Internet');
    expect(chain?.model.stages.length).toBeGreaterThan(5);
    expect((await other.post(`/logs/${id}/chain`, { _csrf: 'x' })).statusCode).toBe(403);
  });

  it('removes files left unmapped for a week when another is uploaded', async () => {
    const first = await upload(member, 'small.csv', SMALL_CSV);
    const oldId = /uploads\/([0-9a-f-]{36})/.exec(first.headers.location as string)?.[1] as string;
    await t.storage.db.kysely
      .updateTable('event_log_uploads')
      .set({ created_at: '2020-01-01T00:00:00.000Z' })
      .where('id', '=', oldId)
      .execute();
    const second = await upload(member, 'small.csv', SMALL_CSV);
    expect(second.statusCode).toBe(303);
    const ids = (
      await t.storage.db.kysely.selectFrom('event_log_uploads').select('id').execute()
    ).map((r) => r.id);
    expect(ids).not.toContain(oldId);
    expect(ids).toHaveLength(1);
    const scope = t.storage.scope(await orgId('demo-borough-council'), {
      userId: null,
      label: 't',
    });
    expect((await scope.auditLog(5)).map((e) => e.action)).toContain('eventlog.upload_expired');
    await member.post(`/logs/uploads/${ids[0]}/discard`, {
      _csrf: csrfTokenFrom((await member.get('/logs')).body),
    });
  });

  it('deletes a log (lead only) with an audit entry', async () => {
    const res = await upload(lead, 'small.csv.gz', gzipSync(SMALL_CSV));
    const mappingUrl = res.headers.location as string;
    const mapping = await lead.get(mappingUrl);
    const posted = await lead.post(mappingUrl, {
      _csrf: csrfTokenFrom(mapping.body),
      name: 'Small',
      caseId: 'case:concept:name',
      activity: 'concept:name',
      timestamp: 'time:timestamp',
      resource: 'org:resource',
      dateOrder: 'auto',
      timeZone: 'UTC',
    });
    const done = await finish(lead, posted.headers.location as string);
    expect(done.statusCode).toBe(303);
    const logUrl = done.headers.location as string;
    const page = await lead.get(logUrl);
    expect(page.statusCode).toBe(200);
    const memberTry = await member.post(`${logUrl}/delete`, {
      _csrf: csrfTokenFrom((await member.get(logUrl)).body),
    });
    expect(memberTry.statusCode).toBe(403);
    const deleted = await lead.post(`${logUrl}/delete`, { _csrf: csrfTokenFrom(page.body) });
    expect(deleted.statusCode).toBe(303);
    expect((await lead.get(logUrl)).statusCode).toBe(404);
    const scope = t.storage.scope(await orgId('demo-borough-council'), {
      userId: null,
      label: 't',
    });
    expect((await scope.auditLog(5)).map((e) => e.action)).toContain('eventlog.deleted');
  });
});
