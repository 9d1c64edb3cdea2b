// The event-log part of the JSON API (issue 17, point 4), on every configured database: upload a
// log with its mapping in one request, poll the import job, read the log and its analysis — the
// same figures as the log page's CSV export — and make a delivery chain from it; a mapping that does
// not fit stores nothing; the token comes before everything (401), then the role (403), then the
// token's scopes; another organisation's logs and imports are 404.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, scopeOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { multipart, type Part } from '../helpers/multipart.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SMALL_CSV = readFileSync(path.join(ROOT, 'test', 'fixtures', 'eventlogs', 'small.csv'));
const NESTED_XES = readFileSync(path.join(ROOT, 'test', 'fixtures', 'eventlogs', 'nested.xes'));

const ADMIN = 'admin@demo-council.example';
const LEAD = 'lead@demo-council.example';
const MEMBER = 'planner@demo-council.example';
const VIEWER = 'auditor@demo-council.example';
const OTHER = 'admin@demo-institution.example';

interface Import {
  jobId: string;
  status: string;
  logId: string | null;
  error: string | null;
}

/** A token made through the page as `email`, with the areas given (all, to write, by default). */
async function tokenFor(
  t: TestApp,
  email: string,
  form: Record<string, string | string[]> = {
    write: ['assessments', 'chains', 'logs', 'themes', 'initiatives', 'sector'],
  },
): Promise<string> {
  const client = new Client(t.app);
  await client.signIn(email);
  const res = await client.submit('/organisation/api-tokens', '/organisation/api-tokens', {
    name: `api-logs ${email}`,
    expiry: '30',
    ...form,
  });
  const token = /id="api-token">(tl_pat_[A-Za-z0-9_-]+)</.exec(res.body)?.[1];
  if (!token) throw new Error(`no token for ${email}: ${res.statusCode}`);
  return token;
}

describe.each(testDatabases)('event-log API ($name)', (factory) => {
  let t: TestApp;
  let admin: string;
  let lead: string;
  let member: string;
  let viewer: string;
  let other: string;

  beforeAll(async () => {
    t = await startTestApp(factory, {
      SIGN_IN_RATE_LIMIT: '1000',
      // The caps of one upload, small enough to pass here: the same as the upload page's.
      EVENT_LOG_UPLOAD_LIMIT_BYTES: String(256 * 1024),
      UPLOAD_MAX_EXPANDED_MB: '1',
    });
    [admin, lead, member, viewer, other] = [
      await tokenFor(t, ADMIN),
      await tokenFor(t, LEAD),
      await tokenFor(t, MEMBER),
      await tokenFor(t, VIEWER),
      await tokenFor(t, OTHER),
    ];
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (token: string | null, url: string) =>
    t.app.inject({
      method: 'GET',
      url,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });

  const upload = (token: string | null, parts: readonly Part[], query = '') => {
    const { body, contentType } = multipart(parts);
    return t.app.inject({
      method: 'POST',
      url: `/api/event-logs${query}`,
      headers: {
        'content-type': contentType,
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      payload: body,
    });
  };

  const postJson = (token: string | null, url: string, payload: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      payload,
    });

  const count = async (table: 'event_logs' | 'event_log_uploads' | 'jobs') =>
    (await t.storage.db.kysely.selectFrom(table).select('id').execute()).length;

  /** Uploads, waits for the import job and returns the finished import. */
  async function imported(parts: readonly Part[], query = ''): Promise<Import> {
    const accepted = await upload(member, parts, query);
    expect(accepted.statusCode, accepted.body).toBe(202);
    const location = accepted.headers.location as string;
    expect(location).toBe(`/api/event-logs/imports/${accepted.json<Import>().jobId}`);
    expect(['queued', 'running']).toContain(accepted.json<Import>().status);
    await t.jobs.idle();
    const polled = await get(member, location);
    expect(polled.statusCode).toBe(200);
    return polled.json<Import>();
  }

  let smallLogId = '';
  let smallJobId = '';

  it('uploads a CSV with its mapping in the form, imports it as a job, and reads it back', async () => {
    const done = await imported([
      { name: 'name', value: 'Small via the API' },
      { name: 'caseId', value: 'case:concept:name' },
      { name: 'activity', value: 'concept:name' },
      { name: 'timestamp', value: 'time:timestamp' },
      { name: 'resource', value: 'org:resource' },
      { name: 'caseAttributes', value: 'case:channel' },
      { name: 'timeZone', value: 'Europe/London' },
      { name: 'file', filename: 'small.csv', content: SMALL_CSV },
    ]);
    expect(done.status, done.error ?? '').toBe('succeeded');
    expect(done.logId).toMatch(/^[0-9a-f-]{36}$/);
    smallLogId = done.logId ?? '';
    smallJobId = done.jobId;

    const log = await get(viewer, `/api/event-logs/${smallLogId}`);
    expect(log.statusCode).toBe(200);
    const body = log.json<{
      name: string;
      cases: number;
      events: number;
      importReport: unknown[];
    }>();
    expect(body.name).toBe('Small via the API');
    // c1, c2 and "NA" (a real case id); the row with no case id is set aside and reported.
    expect(body.cases).toBe(3);
    expect(body.events).toBe(9);
    expect(JSON.stringify(body.importReport)).toMatch(/no case id|empty case/i);

    const listed = await get(viewer, '/api/event-logs');
    expect(listed.json<{ logs: { id: string }[] }>().logs.map((l) => l.id)).toContain(smallLogId);

    const analysis = await get(viewer, `/api/event-logs/${smallLogId}/analysis`);
    expect(analysis.statusCode).toBe(200);
    const a = analysis.json<{
      analysis: {
        map: {
          nodes: { activity: string; count: number }[];
          edges: { from: string; to: string; frequency: number }[];
        };
      };
    }>().analysis;
    expect(a.map.nodes.map((n) => [n.activity, n.count]).sort()).toEqual([
      ['A', 3],
      ['B', 3],
      ['C', 3],
    ]);
    expect(a.map.edges.find((e) => e.from === 'A' && e.to === 'B')?.frequency).toBe(2);
  });

  it('takes the mapping from the query too, and an XES log (gzip) with none', async () => {
    const fromQuery = await imported(
      [{ name: 'file', filename: 'small.csv.gz', content: gzipSync(SMALL_CSV) }],
      '?name=Query+mapped&caseId=case%3Aconcept%3Aname&timeZone=UTC',
    );
    expect(fromQuery.status, fromQuery.error ?? '').toBe('succeeded');
    const xes = await imported([
      { name: 'file', filename: 'nested.xes.gz', content: gzipSync(NESTED_XES) },
    ]);
    expect(xes.status, xes.error ?? '').toBe('succeeded');
    const log = await get(member, `/api/event-logs/${xes.logId}`);
    expect(log.json<{ format: string; name: string }>()).toMatchObject({
      format: 'xes',
      name: 'nested',
    });
  });

  it('refuses a mapping that does not fit the file, and anything but a form, storing nothing', async () => {
    const before = [await count('event_log_uploads'), await count('jobs')];
    const wrong = await upload(member, [
      { name: 'caseId', value: 'no such column' },
      { name: 'timeZone', value: 'Mars/Olympus' },
      { name: 'file', filename: 'small.csv', content: SMALL_CSV },
    ]);
    expect(wrong.statusCode).toBe(400);
    const body = wrong.json<{ error: string; message: string; issues: { path: string }[] }>();
    expect(body.error).toBe('invalid_mapping');
    expect(body.message).toContain('case:concept:name, concept:name, time:timestamp');
    expect(body.issues.map((i) => i.path).sort()).toEqual(['caseId', 'timeZone']);

    const empty = await upload(member, [
      { name: 'file', filename: 'e.csv', content: Buffer.from('') },
    ]);
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ message: string }>().message).toBe('The selected file is empty');
    const binary = await upload(member, [
      { name: 'file', filename: 'x.csv', content: Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]) },
    ]);
    expect(binary.statusCode).toBe(400);
    expect(binary.json<{ message: string }>().message).toMatch(/binary file/);
    const noFile = await upload(member, [{ name: 'name', value: 'x' }]);
    expect(noFile.statusCode).toBe(400);
    const json = await postJson(member, '/api/event-logs', '{"file": "a,b,c"}');
    expect(json.statusCode).toBe(415);
    expect([await count('event_log_uploads'), await count('jobs')]).toEqual(before);
  });

  it('holds an upload to the same caps as the upload page: its size, and what it expands to', async () => {
    const before = [await count('event_log_uploads'), await count('jobs')];
    const rows = Array.from(
      { length: 6000 },
      (_, i) => `c${i},Check the application,2024-01-01T09:00:00Z`,
    );
    const big = Buffer.from(`case,activity,timestamp\n${rows.join('\n')}\n`);
    expect(big.length).toBeGreaterThan(256 * 1024);
    const tooBig = await upload(member, [{ name: 'file', filename: 'big.csv', content: big }]);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json<{ error: string; message: string }>()).toMatchObject({
      error: 'payload_too_large',
    });
    expect(tooBig.json<{ message: string }>().message).toMatch(/^The selected file is larger than/);
    // A small gzip file that would expand past the cap (1 MB here) is refused as it is read.
    const same = 'c1,Check the application,2024-01-01T09:00:00Z\n'.repeat(40_000);
    const bomb = gzipSync(Buffer.from(`case,activity,timestamp\n${same}`));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const refused = await upload(member, [
      { name: 'file', filename: 'bomb.csv.gz', content: bomb },
    ]);
    expect(refused.statusCode).toBe(413);
    expect(refused.json<{ message: string }>().message).toMatch(/expands to more than/);
    expect([await count('event_log_uploads'), await count('jobs')]).toEqual(before);
  });

  it('gives the same figures as the log page’s CSV export, for the demo’s receipt log', async () => {
    const logs = (await get(viewer, '/api/event-logs')).json<{
      logs: { id: string; name: string }[];
    }>().logs;
    const receipt = logs.find((l) => l.name.startsWith('Environmental permit applications'));
    expect(receipt).toBeDefined();
    const id = receipt?.id ?? '';
    const body = (await get(viewer, `/api/event-logs/${id}/analysis`)).json<{
      analysis: {
        counts: { cases: number };
        map: {
          nodes: {
            activity: string;
            count: number;
            cases: number;
            waitingShare: number;
            wait: { medianSeconds: number | null; p90Seconds: number | null };
          }[];
        };
        waits: { activity: string; kind: string; kindLabel: string; explanation: string }[];
        bottleneck: { activity: string; kind: string; capacity: boolean } | null;
        capacityBottleneck: { activity: string } | null;
        statement: string;
      };
    }>().analysis;
    expect(body.counts.cases).toBe(1434);
    expect(body.bottleneck).toMatchObject({
      activity: 'T06 Determine necessity of stop advice',
      kind: 'batching',
      capacity: false,
    });
    expect(body.statement.length).toBeGreaterThan(40);
    expect(body.waits.every((w) => w.explanation.length > 10)).toBe(true);

    const web = new Client(t.app);
    await web.signIn(VIEWER);
    const csv = await web.get(`/logs/${id}/analysis.csv`);
    expect(csv.statusCode).toBe(200);
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(body.map.nodes.length);
    const round = (n: number | null) => (n === null ? '' : String(Math.round(n * 1000) / 1000));
    const kinds = new Map(body.waits.map((w) => [w.activity, w.kindLabel]));
    for (const row of rows) {
      const node = body.map.nodes.find((n) => n.activity === row.activity);
      expect(node, row.activity).toBeDefined();
      if (!node) continue;
      expect([node.count, node.cases]).toEqual([Number(row.times), Number(row.cases)]);
      expect(round(node.wait.medianSeconds)).toBe(row.median_wait_seconds);
      expect(round(node.wait.p90Seconds)).toBe(row.p90_wait_seconds);
      expect(round(node.waitingShare)).toBe(row.share_of_case_time_waiting);
      expect(kinds.get(node.activity) ?? '').toBe(row.wait_kind);
      expect(row.bottleneck).toBe(body.bottleneck?.activity === node.activity ? 'yes' : 'no');
      expect(row.capacity_bottleneck).toBe(
        body.capacityBottleneck?.activity === node.activity ? 'yes' : 'no',
      );
    }
    // The page names the same bottleneck.
    const page = await web.get(`/logs/${id}`);
    expect(page.body).toContain('T06 Determine necessity of stop advice');

    // A filter as on the page; a filter that is not a date is a 400 naming the field.
    const filtered = await get(viewer, `/api/event-logs/${id}/analysis?from=2099-01-01`);
    expect(filtered.statusCode).toBe(200);
    expect(filtered.json<{ analysis: unknown; filter: string }>().analysis).toBeNull();
    const bad = await get(viewer, `/api/event-logs/${id}/analysis?from=yesterday`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ issues: { path: string }[] }>().issues[0]?.path).toBe('from');
  });

  it('makes a delivery chain from a log as the page’s button does (leads), audited', async () => {
    const refused = await postJson(member, `/api/event-logs/${smallLogId}/chain`, '{}');
    expect(refused.statusCode).toBe(403);
    const chains = await count('jobs');
    const made = await postJson(lead, `/api/event-logs/${smallLogId}/chain`, '{"fold": "5"}');
    expect(made.statusCode, made.body).toBe(201);
    const { id } = made.json<{ id: string; message: string }>();
    expect(made.headers.location).toBe(`/api/chains/${id}`);
    const chain = await get(viewer, `/api/chains/${id}`);
    expect(chain.statusCode).toBe(200);
    expect(chain.json<{ chain: { name: string; description: string } }>().chain.name).toBe(
      'Small via the API',
    );
    const scope = await scopeOf(t, 'demo-borough-council');
    const entry = (await scope.auditLog(10)).find(
      (e) => e.action === 'chain.imported' && e.entityId === id,
    );
    expect(entry).toBeDefined();
    expect(await count('jobs')).toBe(chains);

    const badFold = await postJson(lead, `/api/event-logs/${smallLogId}/chain`, '{"fold": "90"}');
    expect(badFold.statusCode).toBe(400);
    expect(badFold.json<{ issues: { path: string }[] }>().issues[0]?.path).toBe('fold');
    const unknownField = await postJson(lead, `/api/event-logs/${smallLogId}/chain`, '{"x": 1}');
    expect(unknownField.statusCode).toBe(400);
  });

  it('asks for the token before anything else, then the role, then the token’s scope', async () => {
    const garbage = '{"fold": {"__proto__": {"x": 1}}, "calendar": 12';
    for (const res of [
      await postJson(null, '/api/event-logs/..%2f..%2fnot-an-id/chain', garbage),
      await postJson('tl_pat_not-a-token', '/api/event-logs/not-a-uuid/chain', garbage),
      await upload(null, [{ name: 'file', filename: 'x.csv', content: SMALL_CSV }]),
      await get(null, '/api/event-logs/imports/%00'),
      await get(null, '/api/event-logs/x/analysis?from=nonsense'),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.json<{ error: string }>().error).toBe('unauthorised');
    }
    // A viewer reads, but may not upload or make a chain, whatever the body.
    expect((await get(viewer, `/api/event-logs/${smallLogId}`)).statusCode).toBe(200);
    const before = await count('event_log_uploads');
    const viewerUpload = await upload(viewer, [
      { name: 'file', filename: 'small.csv', content: SMALL_CSV },
    ]);
    expect(viewerUpload.statusCode).toBe(403);
    expect(await count('event_log_uploads')).toBe(before);
    expect((await postJson(viewer, `/api/event-logs/not-an-id/chain`, garbage)).statusCode).toBe(
      403,
    );
    // A token made for chains alone may not read or upload event logs.
    const chainsOnly = await tokenFor(t, ADMIN, { read: 'chains' });
    for (const res of [
      await get(chainsOnly, '/api/event-logs'),
      await get(chainsOnly, `/api/event-logs/${smallLogId}/analysis`),
      await upload(chainsOnly, [{ name: 'file', filename: 'small.csv', content: SMALL_CSV }]),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json<{ error: string }>().error).toBe('insufficient_scope');
    }
    // Reading logs does not let a token change them.
    const readLogs = await tokenFor(t, ADMIN, { read: 'logs' });
    expect((await get(readLogs, '/api/event-logs')).statusCode).toBe(200);
    expect((await postJson(readLogs, `/api/event-logs/${smallLogId}/chain`, '{}')).statusCode).toBe(
      403,
    );
    expect(admin).not.toBe('');
  });

  it('answers 404 for another organisation’s logs and imports, and lists none of them', async () => {
    for (const url of [
      `/api/event-logs/${smallLogId}`,
      `/api/event-logs/${smallLogId}/analysis`,
      `/api/event-logs/imports/${smallJobId}`,
    ]) {
      const res = await get(other, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json<{ error: string }>().error).toBe('not_found');
    }
    const chains = (await t.storage.db.kysely.selectFrom('delivery_chains').select('id').execute())
      .length;
    const cross = await postJson(other, `/api/event-logs/${smallLogId}/chain`, '{}');
    expect(cross.statusCode).toBe(404);
    expect(
      (await t.storage.db.kysely.selectFrom('delivery_chains').select('id').execute()).length,
    ).toBe(chains);
    const theirs = (await get(other, '/api/event-logs')).json<{ logs: { id: string }[] }>();
    expect(theirs.logs.map((l) => l.id)).not.toContain(smallLogId);
  });
});
