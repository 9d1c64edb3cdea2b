// The caps of one upload (issue 16, point 1), on every configured database: a gzip bomb is refused
// at the web upload as it arrives, and by the import job when it reaches the queue another way; a
// log with more events than the cap fails its import with a message naming the cap, in a worker
// thread, with nothing stored and its upload removed; a comments file over its cap is refused; the
// command line refuses the same files. Caps are made small here (environment variables, as an
// operator sets them) so that no test file is large.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createGzip, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTLOG_IMPORT } from '../../src/jobs/index.ts';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const HEADER = 'case:concept:name,concept:name,time:timestamp\n';
const CAPS = { UPLOAD_MAX_EXPANDED_MB: '1', UPLOAD_MAX_EVENTS: '1000', UPLOAD_MAX_COMMENTS: '50' };
const BYTES_MESSAGE =
  'This file expands to more than 1 MB once uncompressed, the most one upload may hold.';
const EVENTS_MESSAGE = 'This log has more than 1,000 events, the most one upload may hold.';

/** A CSV header then `megabytes` MB of zeros, gzip-compressed (about 1 KB per MB). */
async function gzipBomb(megabytes: number): Promise<Buffer> {
  const gzip = createGzip();
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write(HEADER);
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i++)
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  gzip.end();
  await done;
  return Buffer.concat(out);
}

function csvOf(events: number): string {
  const rows: string[] = [];
  for (let i = 0; i < events; i++)
    rows.push(
      `c${Math.floor(i / 3)},Step ${i % 3},2024-01-${String(1 + (i % 28)).padStart(2, '0')}T09:00:00Z`,
    );
  return HEADER + rows.join('\n') + '\n';
}

function xesOf(events: number): string {
  const traces: string[] = [];
  for (let c = 0; c < events / 2; c++)
    traces.push(
      `<trace><string key="concept:name" value="c${c}"/>` +
        `<event><string key="concept:name" value="A"/><date key="time:timestamp" value="2024-01-01T09:00:00Z"/></event>` +
        `<event><string key="concept:name" value="B"/><date key="time:timestamp" value="2024-01-01T10:00:00Z"/></event></trace>`,
    );
  return `<?xml version="1.0"?>\n<log xes.version="1.0">${traces.join('')}</log>`;
}

function multipart(fields: Record<string, string>, file: { name: string; content: Buffer }) {
  const boundary = `----throughline${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

const TABLES = [
  'event_logs',
  'event_log_uploads',
  'comment_sets',
  'comments',
  'comment_set_files',
] as const;

describe.each(testDatabases)('the caps of one upload on $name', (factory) => {
  let t: TestApp;
  let member: Client;
  let bomb: Buffer;

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000', ...CAPS });
    member = new Client(t.app);
    await member.signIn('planner@demo-council.example');
    bomb = await gzipBomb(10);
  });
  afterAll(async () => {
    await t?.close();
  });

  const counts = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const table of TABLES)
      out[table] = (await t.storage.db.kysely.selectFrom(table).selectAll().execute()).length;
    return out;
  };

  const upload = async (url: string, page: string, file: { name: string; content: Buffer }) => {
    const form = await member.get(page);
    const body = multipart({ _csrf: csrfTokenFrom(form.body), name: '' }, file);
    return t.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: ['tl_csrf', 'tl_session'].map((n) => `${n}=${member.cookie(n) ?? ''}`).join('; '),
        'content-type': body.contentType,
        accept: 'text/html',
      },
      payload: body.payload,
    });
  };

  const scope = async () => {
    const org = await t.storage.db.kysely
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'demo-borough-council')
      .executeTakeFirstOrThrow();
    const user = await t.storage.db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'planner@demo-council.example')
      .executeTakeFirstOrThrow();
    return t.storage.scope(org.id, { userId: user.id, label: 'test' });
  };

  it('refuses a gzip bomb at the web upload, naming the cap, and stores nothing', async () => {
    const before = await counts();
    const res = await upload('/logs/upload', '/logs', { name: 'bomb.csv.gz', content: bomb });
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain(BYTES_MESSAGE);
    expect(await counts()).toEqual(before);
  });

  it('takes a gzip file within the cap', async () => {
    const res = await upload('/logs/upload', '/logs', {
      name: 'small.csv.gz',
      content: gzipSync(csvOf(30)),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/logs\/uploads\//);
    await member.post(`${(res.headers.location as string).split('?')[0]}/discard`, {
      _csrf: csrfTokenFrom((await member.get(res.headers.location as string)).body),
    });
  });

  it('fails the import of a log over the event cap in its job, stores no log and removes the upload', async () => {
    const before = await counts();
    const res = await upload('/logs/upload', '/logs', {
      name: 'many.csv',
      content: Buffer.from(csvOf(1001)),
    });
    expect(res.statusCode).toBe(303);
    const mappingUrl = res.headers.location as string;
    const mapping = await member.get(mappingUrl);
    const posted = await member.post(mappingUrl.split('?')[0] as string, {
      _csrf: csrfTokenFrom(mapping.body),
      name: 'Too many events',
      caseId: 'case:concept:name',
      activity: 'concept:name',
      timestamp: 'time:timestamp',
      lifecycle: '',
      resource: '',
      group: '',
      startTimestamp: '',
      dateOrder: 'auto',
      timeZone: 'UTC',
    });
    expect(posted.statusCode).toBe(303);
    await t.jobs.idle();
    const job = await member.get(posted.headers.location as string);
    expect(job.statusCode).toBe(200);
    expect(job.body).toContain('The log could not be imported');
    expect(job.body).toContain(EVENTS_MESSAGE);
    expect(await counts()).toEqual(before);
  });

  it('fails an XES log over the event cap straight after its upload', async () => {
    const before = await counts();
    const res = await upload('/logs/upload', '/logs', {
      name: 'many.xes.gz',
      content: gzipSync(xesOf(1200)),
    });
    expect(res.statusCode).toBe(303);
    await t.jobs.idle();
    const job = await member.get(res.headers.location as string);
    expect(job.body).toContain(EVENTS_MESSAGE);
    expect(await counts()).toEqual(before);
  });

  it('refuses in the import job a gzip bomb that reached the queue without the web form', async () => {
    const s = await scope();
    const before = await counts();
    const uploadId = await s.logs.createUpload({
      fileName: 'bomb.csv.gz',
      format: 'csv',
      sizeBytes: bomb.length,
      content: bomb,
      columns: ['case:concept:name', 'concept:name', 'time:timestamp'],
      sample: [],
    });
    const jobId = await t.jobs.enqueue(s, EVENTLOG_IMPORT, {
      uploadId,
      name: 'Bomb',
      columns: null,
      dateOrder: 'auto',
      timeZone: 'UTC',
    });
    await t.jobs.idle();
    const job = await s.jobs.get(jobId);
    expect(job?.status).toBe('failed');
    expect(job?.error).toContain(BYTES_MESSAGE);
    expect(await counts()).toEqual(before);
  });

  it('refuses a comments file with more comments than the cap, and stores nothing', async () => {
    const before = await counts();
    const lines = Array.from({ length: 51 }, (_, i) => `Comment number ${i + 1} about the bins`);
    const text = await upload('/themes/upload', '/themes/upload', {
      name: 'comments.txt',
      content: Buffer.from(lines.join('\n') + '\n'),
    });
    expect(text.body).toContain(
      'This file has more than 50 comments, the most one upload may hold.',
    );
    const csv = await upload('/themes/upload', '/themes/upload', {
      name: 'comments.csv',
      content: Buffer.from(['comment', ...lines].join('\n') + '\n'),
    });
    expect(csv.body).toContain('This file has more than 50 comments');
    expect(await counts()).toEqual(before);
    // Exactly at the cap is taken.
    const ok = await upload('/themes/upload', '/themes/upload', {
      name: 'fifty.txt',
      content: Buffer.from(lines.slice(0, 50).join('\n') + '\n'),
    });
    expect(ok.statusCode).toBe(303);
  });
});

describe('the caps on the command line', () => {
  it('refuses a gzip bomb and a log over the event cap, naming the cap', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'throughline-caps-'));
    try {
      const bombFile = path.join(dir, 'bomb.csv.gz');
      await writeFile(bombFile, await gzipBomb(10));
      const manyFile = path.join(dir, 'many.csv');
      await writeFile(manyFile, csvOf(1001));
      const env = { ...process.env, ...CAPS, THROUGHLINE_CLI_CACHE: '0' };
      const bin = path.join(ROOT, 'bin', 'throughline.js');
      for (const [file, message] of [
        [bombFile, BYTES_MESSAGE],
        [manyFile, EVENTS_MESSAGE],
      ] as const) {
        const error = await run(process.execPath, [bin, 'log', 'analyse', file], {
          cwd: ROOT,
          env,
        }).then(
          () => null,
          (e: unknown) => e as { code: number; stderr: string },
        );
        expect(error?.code).toBe(1);
        expect(error?.stderr).toContain(message);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
