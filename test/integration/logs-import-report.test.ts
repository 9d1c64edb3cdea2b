// Issue 13 (points 1 and 5) through HTTP, on every configured database: the web import lists every
// row it set aside (empty case id, no timestamp) with line numbers, as the CLI does, kept with the
// log; a +01:00 log shows its own dates; absurd or forged numbers in the log page's query are
// refused with a message; a lead corrects a wait kind with a reason — stored, audited, shown as
// "Corrected by", and used by the page's finding and by every export alike; the page and its
// downloads agree; another organisation can neither read nor correct the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

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

/** A +01:00 log of 30 cases with an empty case id on line 3 and no timestamp on lines 6 and 9. */
function messyCsv(): Buffer {
  const lines = ['case_id,activity,timestamp'];
  for (let c = 0; c < 30; c++) {
    const day = String(1 + (c % 28)).padStart(2, '0');
    lines.push(`c${c},Register,2024-03-${day}T00:30:00+01:00`);
    lines.push(`c${c},Decide,2024-03-${day}T09:00:00+01:00`);
  }
  lines.splice(2, 0, ',Register,2024-03-01T10:00:00+01:00');
  lines.splice(5, 0, 'c1,Check,');
  lines.splice(8, 0, 'c2,Check,');
  return Buffer.from(lines.join('\n'));
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe.each(testDatabases)('event-log imports and wait-kind corrections on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let member: Client;
  let viewer: Client;
  let other: Client;
  let demoLog: string;

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
    member = new Client(t.app);
    await member.signIn('planner@demo-council.example');
    viewer = new Client(t.app);
    await viewer.signIn('auditor@demo-council.example');
    other = new Client(t.app);
    await other.signIn('admin@demo-institution.example');
    const list = await viewer.get('/logs');
    demoLog = /href="\/logs\/([0-9a-f-]{36})"/.exec(list.body)?.[1] as string;
    expect(demoLog).toBeDefined();
  });
  afterAll(async () => {
    await t?.close();
  });

  function cookieOf(client: Client): string {
    return ['tl_session', 'tl_csrf']
      .map((name) => [name, client.cookie(name)] as const)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  it('lists every row the web import set aside, with line numbers, and shows a +01:00 log on its own dates', async () => {
    const page = await member.get('/logs');
    const { body, contentType } = multipart([
      { name: '_csrf', value: csrfTokenFrom(page.body) },
      { name: 'name', value: 'Messy log' },
      { name: 'file', filename: 'messy.csv', content: messyCsv() },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/logs/upload',
      headers: { cookie: cookieOf(member), 'content-type': contentType, accept: 'text/html' },
      payload: body,
    });
    expect(res.statusCode).toBe(303);
    const mappingUrl = (res.headers.location as string).split('?')[0] as string;
    const mapping = await member.get(mappingUrl);
    const posted = await member.post(mappingUrl, {
      _csrf: csrfTokenFrom(mapping.body),
      name: 'Messy log',
      caseId: 'case_id',
      activity: 'activity',
      timestamp: 'timestamp',
      lifecycle: '',
      resource: '',
      group: '',
      startTimestamp: '',
      dateOrder: 'auto',
      timeZone: 'UTC',
    });
    expect(posted.statusCode).toBe(303);
    await t.jobs.idle();
    const done = await member.get(posted.headers.location as string);
    expect(done.statusCode).toBe(303);
    const logPage = await member.get(done.headers.location as string);
    expect(logPage.statusCode).toBe(200);
    const words = text(logPage.body);
    expect(words).toContain('What the import did');
    expect(words).toContain('Rows read 63 rows after the header');
    expect(words).toContain('Rows set aside 3 rows not used');
    expect(words).toContain('Set aside: an empty case id 1 row, file line 3');
    expect(words).toContain('Set aside: no timestamp 2 rows, file lines 6, 9');
    expect(words).toContain('Every timestamp carried an offset, most often +01:00');
    // Times in the log's own offset: the first case began on 1 March, not 29 February.
    expect(words).toContain('1 March 2024 at 12:30am to');
    expect(words).toContain('+01:00, the offset the log’s own timestamps carry');
    expect(words).not.toContain('29 February 2024');
    // In UTC, chosen and stated, it is the day before.
    const utc = text((await member.get(`${done.headers.location as string}?zone=UTC`)).body);
    expect(utc).toContain('29 February 2024 at 11:30pm to');
  });

  it('refuses absurd or forged numbers in the page and its downloads with a message', async () => {
    for (const query of ['paths=1e308', 'paths=-1', 'paths=Infinity']) {
      const res = await viewer.get(`/logs/${demoLog}?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('Choose how much of the map to show from the list');
      const svg = await viewer.get(`/logs/${demoLog}/map.svg?${query}`);
      expect(svg.statusCode).toBe(400);
      expect(svg.body).toContain('Choose how much of the map to show');
    }
    const variant = await viewer.get(`/logs/${demoLog}?variant=1e308`);
    expect(variant.statusCode).toBe(400);
    expect(variant.body).toContain('Select a variant from the list');
    const zone = await viewer.get(`/logs/${demoLog}?zone=Mars%2FOlympus`);
    expect(zone.statusCode).toBe(400);
    expect(zone.body).toContain('Choose a time zone from the list');
  });

  it('keeps the page and its downloads on the same analysis', async () => {
    const page = text((await viewer.get(`/logs/${demoLog}?view=performance&paths=0`)).body);
    const named = /Bottleneck: (.+?) \(/.exec(page)?.[1];
    expect(named).toBe('T06 Determine necessity of stop advice');
    const json = await viewer.get(`/logs/${demoLog}/analysis.json?view=performance&paths=0`);
    expect(json.statusCode).toBe(200);
    const data = JSON.parse(json.body) as {
      analysis: { bottleneck: { activity: string }; capacityBottleneck: unknown };
      importReport: { label: string }[];
    };
    expect(data.analysis.bottleneck.activity).toBe(named);
    expect(data.importReport.map((l) => l.label)).toContain('Rows read');
    const csv = await viewer.get(`/logs/${demoLog}/analysis.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body.trim().split('\r\n');
    expect(rows).toHaveLength(28);
    const bottleneckRows = rows.filter((r) => r.split(',').at(-2) === 'yes');
    expect(bottleneckRows).toHaveLength(1);
    expect(bottleneckRows[0]).toContain(named as string);
    const svg = await viewer.get(`/logs/${demoLog}/map.svg?view=performance&paths=0`);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.headers['content-disposition']).toContain('process-map.svg');
    const pageHtml = (await viewer.get(`/logs/${demoLog}?view=performance&paths=0`)).body;
    const drawn = /<svg[^>]*aria-labelledby="process-map-title[\s\S]*?<\/svg>/.exec(pageHtml)?.[0];
    expect(drawn).toBeDefined();
    expect(svg.body).toContain(drawn as string);
  });

  it('lets a lead correct a wait kind with a reason: stored, audited, shown and used downstream', async () => {
    const url = `/logs/${demoLog}`;
    const form = async (client: Client) => csrfTokenFrom((await client.get(url)).body);
    const activity = 'T06 Determine necessity of stop advice';

    // A member or viewer cannot; another organisation finds no such log.
    for (const client of [member, viewer]) {
      const res = await client.post(`${url}/wait-kinds`, {
        _csrf: await form(client),
        activity,
        kind: 'timer',
        reason: 'A rule',
      });
      expect(res.statusCode).toBe(403);
    }
    const foreign = await other.post(`${url}/wait-kinds`, {
      _csrf: csrfTokenFrom((await other.get('/logs')).body),
      activity,
      kind: 'timer',
      reason: 'A rule',
    });
    expect(foreign.statusCode).toBe(404);
    expect((await other.get(`${url}/analysis.json`)).statusCode).toBe(404);
    expect((await other.get(`${url}/analysis.csv`)).statusCode).toBe(404);
    expect((await other.get(`${url}/map.svg`)).statusCode).toBe(404);
    const stored = () =>
      t.storage.db.kysely.selectFrom('event_log_corrections').selectAll().execute();
    expect(await stored()).toHaveLength(0);

    // Bad input: a clear message beside the field, nothing stored.
    const noReason = await lead.post(`${url}/wait-kinds`, {
      _csrf: await form(lead),
      activity,
      kind: 'timer',
      reason: '  ',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Say why this wait is of that kind');
    const notAWait = await lead.post(`${url}/wait-kinds`, {
      _csrf: await form(lead),
      activity: 'No such activity',
      kind: 'timer',
      reason: 'x',
    });
    expect(notAWait.statusCode).toBe(400);
    expect(notAWait.body).toContain('Choose the wait to correct from the list');
    const badKind = await lead.post(`${url}/wait-kinds`, {
      _csrf: await form(lead),
      activity,
      kind: 'insufficient-data',
      reason: 'x',
    });
    expect(badKind.statusCode).toBe(400);
    expect(await stored()).toHaveLength(0);

    // The correction: T06 is a set period, not a batch.
    const saved = await lead.post(`${url}/wait-kinds`, {
      _csrf: await form(lead),
      activity,
      kind: 'timer',
      reason: 'Advice is held for a 2-day cooling-off period by law',
    });
    expect(saved.statusCode).toBe(303);
    expect(await stored()).toHaveLength(1);
    const page = text((await viewer.get(url)).body);
    expect(page).toContain('Corrected by Priya Shah');
    expect(page).toContain('Advice is held for a 2-day cooling-off period by law');
    expect(page).toContain('The log’s evidence read it as batching');
    // Used by the finding: no longer "batching"; and the page and exports agree.
    expect(page).not.toContain(`Bottleneck: ${activity} (batching`);
    const named = /Bottleneck: (.+?) \(([^)]+)\)/.exec(page);
    const json = JSON.parse((await viewer.get(`${url}/analysis.json`)).body) as {
      analysis: {
        bottleneck: { activity: string; kindLabel: string } | null;
        waits: { activity: string; kind: string; detectedKind: string }[];
      };
      corrections: { activity: string; kind: string; by: string }[];
    };
    const wait = json.analysis.waits.find((w) => w.activity === activity);
    expect(wait).toMatchObject({ kind: 'timer', detectedKind: 'batching' });
    expect(json.corrections).toEqual([
      expect.objectContaining({ activity, kind: 'timer', by: 'Priya Shah' }),
    ]);
    expect(json.analysis.bottleneck?.activity ?? null).toBe(named?.[1] ?? null);
    const csvRow = (await viewer.get(`${url}/analysis.csv`)).body
      .split('\r\n')
      .find((r) => r.startsWith(activity));
    expect(csvRow).toContain('policy or timer wait,batching,Priya Shah');
    // The chain made from the log carries the correction in its description.
    const chain = await lead.post(`${url}/chain`, { _csrf: await form(lead) });
    expect(chain.statusCode).toBe(303);
    const chainPage = text((await lead.get(chain.headers.location as string)).body);
    expect(chainPage).toContain(
      `Priya Shah corrected the wait before “${activity}” to policy or timer wait`,
    );

    // Audited, with what the engine read and the reason.
    const org = await t.storage.db.kysely
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'demo-borough-council')
      .executeTakeFirstOrThrow();
    const scope = t.storage.scope(org.id, { userId: null, label: 't' });
    const entry = (await scope.auditLog(20)).find(
      (e) => e.action === 'eventlog.wait_kind_corrected',
    );
    expect(entry).toBeDefined();
    expect(JSON.stringify(entry)).toContain('cooling-off');
    expect(JSON.stringify(entry)).toContain('batching');

    // Withdrawn: the log's own reading again, also audited.
    const back = await lead.post(`${url}/wait-kinds`, {
      _csrf: await form(lead),
      activity,
      kind: 'detected',
      reason: '',
    });
    expect(back.statusCode).toBe(303);
    expect(await stored()).toHaveLength(0);
    expect(text((await viewer.get(url)).body)).toContain(
      `Bottleneck: ${activity} (batching, not a shortage of capacity)`,
    );
    expect((await scope.auditLog(20)).map((e) => e.action)).toContain(
      'eventlog.wait_kind_correction_removed',
    );
  });
});
