// Themes from free text through HTTP, on every configured database (issue 6, points 4–6): the demo
// council's analysed comments; upload → column mapping → storing the comments and finding their
// themes as a background job → themes page; a file whose import fails deep inside storing nothing,
// with the line and the problem on the set's pages; rename, merge, split, move and link with audit
// entries; a re-run keeping the edits; the CSV export; malformed and forged uploads refused with
// nothing stored; other organisations' ids answering 404; viewers reading but not editing.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { commentsCsv, generateComments } from '../../src/seed/comments.ts';
import { readComments } from '../../src/domain/themes/index.ts';
import { renameTheme, runAnalysis } from '../../src/services/themes/index.ts';

const LEAD = 'lead@demo-council.example';
const VIEWER = 'auditor@demo-council.example';
const OTHER_ORG = 'admin@demo-institution.example';

/** A multipart/form-data body built by hand, as a browser would send it. */
function multipart(
  fields: Record<string, string>,
  file?: { name: string; content: Buffer | string; type?: string },
): { payload: Buffer; contentType: string } {
  const boundary = `----throughline${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(fields))
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`,
      ),
    );
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'text/csv'}\r\n\r\n`,
      ),
      typeof file.content === 'string' ? Buffer.from(file.content) : file.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

const SMALL_CSV =
  commentsCsv(generateComments(150, 7)).trimEnd() +
  '\n2026-03-02,email,Riverside,resident,"Which bin do pizza boxes go in? Email me at jane.doe@example.com or ring 07700 900123"\n';

describe.each(testDatabases)('themes on $name', (factory) => {
  let t: TestApp;
  const lead = () => new Client(t.app);
  let client: Client;
  let setId = '';
  let analysisId = '';
  let demoAnalysis = '';

  beforeAll(async () => {
    t = await startTestApp(factory, {
      SIGN_IN_RATE_LIMIT: '1000',
      // A small upload limit, so that refusing a file too large needs no huge test file.
      COMMENT_UPLOAD_LIMIT_BYTES: String(2 * 1024 * 1024),
    });
    client = lead();
    await client.signIn(LEAD);
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = async (
    c: Client,
    file: { name: string; content: Buffer | string },
    fields: Record<string, string> = {},
    token?: string,
  ) => {
    const page = await c.get('/themes/upload');
    const body = multipart({ _csrf: token ?? csrfTokenFrom(page.body), ...fields }, file);
    return t.app.inject({
      method: 'POST',
      url: '/themes/upload',
      headers: {
        cookie: ['tl_csrf', 'tl_session'].map((n) => `${n}=${c.cookie(n) ?? ''}`).join('; '),
        'content-type': body.contentType,
        accept: 'text/html',
      },
      payload: body.payload,
    });
  };

  const setCount = async () =>
    Number(
      (
        await t.storage.db.kysely
          .selectFrom('comment_sets')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const commentCount = async () =>
    Number(
      (
        await t.storage.db.kysely
          .selectFrom('comments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const auditActions = async () =>
    (
      await t.storage.db.kysely
        .selectFrom('audit_events')
        .select('action')
        .where('action', 'like', 'themes.%')
        .execute()
    ).map((r) => r.action);
  /** The stored chunks of a set's waiting file. */
  const fileChunks = async (id: string) =>
    (
      await t.storage.db.kysely
        .selectFrom('comment_set_files')
        .select('data')
        .where('set_id', '=', id)
        .orderBy('seq')
        .execute()
    ).map((r) => r.data);
  const setRow = (id: string) =>
    t.storage.db.kysely
      .selectFrom('comment_sets')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const commentsOfSet = async (id: string) =>
    t.storage.db.kysely
      .selectFrom('comments')
      .select(['position', 'line', 'text', 'redacted', 'set_aside', 'channel'])
      .where('set_id', '=', id)
      .orderBy('position')
      .execute();
  const demoScope = async () => {
    const org = await t.storage.db.kysely
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'demo-borough-council')
      .executeTakeFirstOrThrow();
    return t.storage.scope(org.id, { userId: null, label: 'test' });
  };
  /**
   * A set keeping a file that was never checked whole, as one kept by an older version or under a
   * larger limit would be: stored as the upload stores files, gzip-compressed in several chunks.
   */
  const keepUncheckedFile = async (content: Buffer, columns: string[]) => {
    const packed = gzipSync(content);
    const pieces: Buffer[] = [];
    for (let at = 0; at < packed.length; at += 64 * 1024)
      pieces.push(packed.subarray(at, at + 64 * 1024));
    return (await demoScope()).themes.createPendingSet({
      name: 'Kept file',
      fileName: 'kept.csv',
      format: 'csv',
      columns,
      compressedChunks: Readable.from(pieces),
    });
  };
  const themeKeys = (html: string) =>
    [...html.matchAll(/name="themes" type="checkbox" value="([^"]+)"/g)].map((m) => m[1] ?? '');

  it('shows the demo council’s comments analysed, with the recycling-rules theme linked to a chain stage', async () => {
    const list = await client.get('/themes');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Resident comments, July 2025 to October 2026');
    expect(list.body).toMatch(/govuk-table__cell--numeric">\d{1},\d{3}</);
    const href = /href="(\/themes\/analyses\/[0-9a-f-]{36})"/.exec(list.body)?.[1];
    expect(href).toBeDefined();
    demoAnalysis = href?.split('/')[3] ?? '';
    const page = await client.get(href ?? '');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Confusion about recycling rules');
    expect(page.body).toContain('Linked: Household recycling collection');
    expect(page.body).toMatch(/<svg[^>]*role="img"/);
    expect(page.body).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--m">Themes, largest first',
    );
    // Quotes are redacted: no e-mail address or mobile number of the generator reaches the page.
    expect(page.body).not.toMatch(/@example\.com/);
    const theme =
      /href="(\/themes\/analyses\/[^"]+\/themes\/[^"]+)">Confusion about recycling rules/.exec(
        page.body,
      )?.[1];
    const themePage = await client.get(theme ?? '');
    expect(themePage.statusCode).toBe(200);
    expect(themePage.body).toContain('What people said');
    expect(themePage.body).toContain('Over time');
    expect(themePage.body).toContain('April 2026');
    // The link leads to the recycling chain, which the chain pages can analyse.
    const chain = /href="(\/chains\/[0-9a-f-]{36})">Household recycling collection/.exec(
      themePage.body,
    )?.[1];
    const chainPage = await client.get(chain ?? '');
    expect(chainPage.statusCode).toBe(200);
    expect(chainPage.body).toContain('Kerbside collection and bin checks');
  });

  it('uploads a CSV, suggests the columns, runs the analysis as a job and shows the themes', async () => {
    const before = await setCount();
    const res = await upload(
      client,
      { name: 'survey.csv', content: SMALL_CSV },
      { name: 'Spring survey' },
    );
    expect(res.statusCode).toBe(303);
    const columnsUrl = res.headers.location as string;
    expect(columnsUrl).toMatch(/^\/themes\/sets\/[0-9a-f-]{36}\/columns$/);
    setId = columnsUrl.split('/')[3] ?? '';
    expect(await setCount()).toBe(before + 1);
    const columns = await client.get(columnsUrl);
    expect(columns.statusCode).toBe(200);
    expect(columns.body).toContain('<option value="comment" selected>');
    expect(columns.body).toContain('<option value="submitted" selected>');
    // Each suggestion says why, beside its field (columns.ts).
    expect(columns.body).toContain(
      'id="date-reason">Suggested because 100 % of the values of “submitted” are dates.</span>',
    );
    expect(columns.body).toMatch(
      /id="text-reason">Suggested because “comment” holds long, varied text/,
    );
    // The preview hides personal details.
    expect(columns.body).not.toContain('jane.doe@example.com');

    // Choosing an empty column for the comments is refused.
    const wrong = await client.post(columnsUrl, {
      _csrf: csrfTokenFrom(columns.body),
      text: 'nonexistent',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The file has no column named');

    const mapped = await client.post(columnsUrl, {
      _csrf: csrfTokenFrom(columns.body),
      text: 'comment',
      date: 'submitted',
      channel: 'channel',
      area: 'ward',
      group: 'respondent',
      themes: '6',
      seed: '1',
    });
    expect(mapped.statusCode).toBe(303);
    const analysisUrl = mapped.headers.location as string;
    analysisId = analysisUrl.split('/')[3] ?? '';
    // Until the job has run, the page shows progress and refreshes itself.
    const progress = await client.get(analysisUrl);
    expect(progress.statusCode).toBe(200);
    if (progress.body.includes('Finding themes</h1>'))
      expect(progress.body).toContain('<meta http-equiv="refresh" content="2">');
    expect(progress.statusCode).toBe(200);
    await t.jobs.idle();
    expect(await commentCount()).toBeGreaterThan(3000);
    const page = await client.get(analysisUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Themes, largest first');
    expect(themeKeys(page.body)).toHaveLength(6);
    expect(page.body).not.toContain('jane.doe@example.com');
    const job = await t.storage.db.kysely
      .selectFrom('jobs')
      .select(['kind', 'status'])
      .where('kind', '=', 'themes.import')
      .execute();
    expect(job.some((j) => j.status === 'succeeded')).toBe(true);
  });

  it('renames, merges, splits, moves and links, each with an audit entry', async () => {
    const page = await client.get(`/themes/analyses/${analysisId}`);
    const [first = '', second = '', third = ''] = themeKeys(page.body);
    const token = csrfTokenFrom(page.body);

    const renamed = await client.post(`/themes/analyses/${analysisId}/themes/${first}/rename`, {
      _csrf: token,
      label: 'Bins not collected',
    });
    expect(renamed.statusCode).toBe(303);
    const empty = await client.post(`/themes/analyses/${analysisId}/themes/${first}/rename`, {
      _csrf: token,
      label: '  ',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter a name for the theme');

    const tooFew = await client.post(`/themes/analyses/${analysisId}/merge`, {
      _csrf: token,
      themes: second,
    });
    expect(tooFew.statusCode).toBe(400);
    expect(tooFew.body).toContain('Choose two or more themes to merge');
    const merged = await client.post(`/themes/analyses/${analysisId}/merge`, {
      _csrf: token,
      themes: [second, third],
      label: 'Roads and parking',
    });
    expect(merged.statusCode).toBe(303);
    const after = await client.get(`/themes/analyses/${analysisId}`);
    expect(themeKeys(after.body)).toHaveLength(5);
    expect(after.body).toContain('Roads and parking');
    expect(after.body).toContain('Bins not collected');

    const themePage = await client.get(merged.headers.location as string);
    const comments = [
      ...themePage.body.matchAll(/name="comments" type="checkbox" value="([^"]+)"/g),
    ].map((m) => m[1] ?? '');
    expect(comments.length).toBeGreaterThan(3);
    const split = await client.post(`/themes/analyses/${analysisId}/themes/${second}/split`, {
      _csrf: token,
      comments: comments.slice(0, 2),
      newLabel: 'Split-off theme',
    });
    expect(split.statusCode).toBe(303);
    const splitPage = await client.get(split.headers.location as string);
    expect(splitPage.body).toContain('Split-off theme');
    expect(splitPage.body).toContain('2 comments');

    const movePage = await client.get(
      `/themes/analyses/${analysisId}/comments/${comments[2] ?? ''}/move`,
    );
    expect(movePage.statusCode).toBe(200);
    const moved = await client.post(
      `/themes/analyses/${analysisId}/comments/${comments[2] ?? ''}/move`,
      { _csrf: csrfTokenFrom(movePage.body), to: 'other' },
    );
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe(`/themes/analyses/${analysisId}/other`);
    const other = await client.get(`/themes/analyses/${analysisId}/other`);
    expect(other.body).toContain(`comments/${comments[2] ?? ''}/move`);

    const linkPage = await client.get(`/themes/analyses/${analysisId}/themes/${first}/link`);
    expect(linkPage.statusCode).toBe(200);
    const stage =
      /<option value="([0-9a-f-]{36}:validation)">Planning permit applications — Validation/.exec(
        linkPage.body,
      )?.[1];
    expect(stage).toBeDefined();
    const noKind = await client.post(`/themes/analyses/${analysisId}/themes/${first}/link`, {
      _csrf: csrfTokenFrom(linkPage.body),
    });
    expect(noKind.statusCode).toBe(400);
    const linked = await client.post(`/themes/analyses/${analysisId}/themes/${first}/link`, {
      _csrf: csrfTokenFrom(linkPage.body),
      stage: stage ?? '',
    });
    expect(linked.statusCode).toBe(303);
    const capability = await client.post(`/themes/analyses/${analysisId}/themes/${first}/link`, {
      _csrf: csrfTokenFrom(linkPage.body),
      capability: 'organisational-learning',
    });
    expect(capability.statusCode).toBe(303);
    const linkedPage = await client.get(`/themes/analyses/${analysisId}/themes/${first}`);
    expect(linkedPage.body).toContain('Planning permit applications — Validation');
    expect(linkedPage.body).toContain('Capability 1. Organisational Learning');

    expect(await auditActions()).toEqual(
      expect.arrayContaining([
        'themes.renamed',
        'themes.merged',
        'themes.split',
        'themes.comment_moved',
        'themes.linked',
      ]),
    );
  });

  it('keeps the edits and links when the analysis is run again', async () => {
    const set = await client.get(`/themes/sets/${setId}`);
    const rerun = await client.post(`/themes/sets/${setId}/analyses`, {
      _csrf: csrfTokenFrom(set.body),
      themes: '6',
      seed: '1',
    });
    expect(rerun.statusCode).toBe(303);
    const next = (rerun.headers.location as string).split('/')[3] ?? '';
    expect(next).not.toBe(analysisId);
    await t.jobs.idle();
    const page = await client.get(`/themes/analyses/${next}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Bins not collected');
    expect(page.body).toContain('Roads and parking');
    expect(page.body).toContain('Split-off theme');
    expect(page.body).toContain('Linked: Planning permit applications — Validation');
    expect(page.body).not.toContain('could not be carried over');
    expect(themeKeys(page.body)).toHaveLength(6);

    // A different number of themes: the page says which changes could not be carried over, if any.
    const again = await client.post(`/themes/sets/${setId}/analyses`, {
      _csrf: csrfTokenFrom(set.body),
      themes: '3',
      seed: '2',
    });
    await t.jobs.idle();
    const third = await client.get(again.headers.location as string);
    expect(third.statusCode).toBe(200);
    expect(third.body).toContain('Themes, largest first');
  });

  it('exports comment → theme as CSV, one row per uploaded row, redacted', async () => {
    const res = await client.get(`/themes/analyses/${analysisId}/export.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('spring-survey-themes.csv');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'row,line,date,channel,area,respondent_group,comment,theme_id,theme,theme_key_words,status,' +
        'stance,also_mentions,sentiment,broad_theme_id,broad_theme',
    );
    expect(lines).toHaveLength(1 + SMALL_CSV.trimEnd().split('\n').length - 1);
    expect(res.body).toContain('Bins not collected');
    expect(res.body).toContain('[email removed]');
    expect(res.body).not.toContain('jane.doe@example.com');
    expect(res.body).toContain('set aside: repeat of an earlier comment');
  });

  it('refuses malformed uploads with a clear message and stores nothing', async () => {
    const sets = await setCount();
    const comments = await commentCount();
    const cases: {
      file: { name: string; content: Buffer | string };
      status: number;
      message: string;
    }[] = [
      {
        file: {
          name: 'utf16.csv',
          content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('c\u0000o\u0000')]),
        },
        status: 400,
        message: 'UTF-16',
      },
      {
        file: { name: 'latin1.csv', content: Buffer.from('comment\nCaf\xe9 closed\n', 'latin1') },
        status: 400,
        message: 'not valid UTF-8',
      },
      {
        file: { name: 'numbers.csv', content: 'id,score\n1,2\n3,4\n' },
        status: 400,
        message: 'No column of the file has any text in it',
      },
      {
        file: { name: 'runaway.csv', content: `id,comment\n1,"${'x'.repeat(150_000)}\n2,fine\n` },
        status: 400,
        message: 'larger than the limit',
      },
      {
        file: { name: 'empty.csv', content: '' },
        status: 400,
        message: 'Choose a CSV or text file',
      },
      {
        file: { name: 'huge.csv', content: Buffer.alloc(3 * 1024 * 1024, 'a') },
        status: 413,
        message: 'The file is too large',
      },
    ];
    for (const c of cases) {
      const res = await upload(client, c.file);
      expect(res.statusCode, c.file.name).toBe(c.status);
      expect(res.body, c.file.name).toContain(c.message);
    }
    expect(await setCount()).toBe(sets);
    expect(await commentCount()).toBe(comments);
  });

  it('streams a large CSV to disk, keeps it compressed until mapped, and leaves no temporary file', async () => {
    const temporary = () =>
      readdirSync(tmpdir()).filter((f) => f.startsWith('throughline-comments-')).length;
    const before = temporary();
    // About 1.9 MB: past the 256 KB preview, under the 2 MB limit set for these tests.
    const rows = generateComments(12_500, 5);
    const csv = commentsCsv(rows);
    expect(csv.length).toBeGreaterThan(1_000_000);
    expect(csv.length).toBeLessThan(2 * 1024 * 1024);
    const res = await upload(client, { name: 'large.csv', content: csv });
    expect(res.statusCode).toBe(303);
    const columnsUrl = res.headers.location as string;
    const id = columnsUrl.split('/')[3] ?? '';
    const stored = await t.storage.db.kysely
      .selectFrom('comment_sets')
      .select('pending_file')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.pending_file).toBe('gzip-chunks');
    const chunks = await fileChunks(id);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBeLessThan(csv.length / 2);
    const columns = await client.get(columnsUrl);
    expect(columns.statusCode).toBe(200);
    expect(columns.body).toContain('<option value="comment" selected>');
    const comments = await commentCount();
    const mapped = await client.post(columnsUrl, {
      _csrf: csrfTokenFrom(columns.body),
      text: 'comment',
      themes: '5',
      seed: '1',
    });
    expect(mapped.statusCode).toBe(303);
    await t.jobs.idle();
    expect(await commentCount()).toBe(comments + rows.length);
    // Once stored, the file is gone.
    expect(await fileChunks(id)).toHaveLength(0);
    expect(temporary()).toBe(before);
    // The analysis read every comment (more than one page of the store's paged reads), each once.
    const analysis = await t.storage.db.kysely
      .selectFrom('theme_analyses')
      .select(['id', 'counts'])
      .where('set_id', '=', id)
      .executeTakeFirstOrThrow();
    expect((JSON.parse(analysis.counts ?? '{}') as { input?: number }).input).toBe(rows.length);
    const assigned = await t.storage.db.kysely
      .selectFrom('comment_assignments')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('position').as('last')])
      .where('analysis_id', '=', analysis.id)
      .executeTakeFirstOrThrow();
    expect(Number(assigned.n)).toBe(rows.length);
    expect(Number(assigned.last)).toBe(rows.length - 1);
  });

  it('answers the column mapping at once and stores the comments in the background, counted as reading the file whole counts them', async () => {
    // Blank comments, and repeats differing only in case and spacing, beside the generated ones.
    const csv =
      SMALL_CSV +
      '2026-03-03,web,Riverside,resident,"   "\n' +
      '2026-03-04,phone,Riverside,resident,"which BIN  do pizza boxes go in? Email me at jane.doe@example.com or ring 07700 900123"\n' +
      '2026-03-05,letter,Hillside,business,\n';
    const mapping = { text: 'comment', date: 'submitted', channel: 'channel' };
    // The runner is stopped, so what the request itself did can be seen before the job runs.
    await t.jobs.stop();
    let id = '';
    let analysisUrl = '';
    try {
      const res = await upload(client, { name: 'counted.csv', content: csv });
      expect(res.statusCode).toBe(303);
      const columnsUrl = res.headers.location as string;
      id = columnsUrl.split('/')[3] ?? '';
      const columns = await client.get(columnsUrl);
      const form = { _csrf: csrfTokenFrom(columns.body), ...mapping, themes: '4', seed: '1' };
      const mapped = await client.post(columnsUrl, form);
      expect(mapped.statusCode).toBe(303);
      analysisUrl = mapped.headers.location as string;
      expect(analysisUrl).toMatch(/^\/themes\/analyses\/[0-9a-f-]{36}$/);
      // The request only queued the work: nothing is stored yet, and the file still waits.
      expect(await commentsOfSet(id)).toHaveLength(0);
      expect((await setRow(id)).status).toBe('awaiting_mapping');
      expect((await fileChunks(id)).length).toBeGreaterThan(0);
      const queued = await t.storage.db.kysely
        .selectFrom('jobs')
        .select(['kind', 'status', 'payload'])
        .where('kind', '=', 'themes.import')
        .where('status', '=', 'queued')
        .execute();
      expect(queued).toHaveLength(1);
      // Posted again (a double click): nothing more is queued; the same progress page answers.
      const twice = await client.post(columnsUrl, form);
      expect(twice.statusCode).toBe(303);
      expect(twice.headers.location).toBe(analysisUrl);
      expect((await client.get(columnsUrl)).headers.location).toBe(analysisUrl);
      const progress = await client.get(analysisUrl);
      expect(progress.statusCode).toBe(200);
      expect(progress.body).toContain('Storing the comments, then finding their themes.');
      expect(progress.body).toContain('Waiting to start');
      expect(progress.body).toContain(
        '<noscript><meta http-equiv="refresh" content="2"></noscript>',
      );
      const set = await client.get(`/themes/sets/${id}`);
      expect(set.statusCode).toBe(200);
      expect(set.body).toContain('Being stored (0% done)');
      expect((await client.get('/themes')).body).toContain('Storing the comments (0%)');
      // A set whose comments are being stored cannot be deleted from under the job.
      const remove = await client.post(`/themes/sets/${id}/delete`, {
        _csrf: csrfTokenFrom(set.body),
      });
      expect(remove.statusCode).toBe(409);
    } finally {
      await t.jobs.start();
    }
    await t.jobs.idle();
    expect(
      await t.storage.db.kysely
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', 'themes.import')
        .where('status', '=', 'queued')
        .execute(),
    ).toHaveLength(0);

    const whole = await readComments(Readable.from([Buffer.from(csv)]), {
      format: 'csv',
      columns: mapping,
      maxFieldBytes: 100_000,
    });
    expect(whole.counts.blank).toBeGreaterThanOrEqual(2);
    expect(whole.counts.duplicate).toBeGreaterThanOrEqual(1);
    const row = await setRow(id);
    expect(row.status).toBe('ready');
    expect(row.pending_file).toBeNull();
    expect(await fileChunks(id)).toHaveLength(0);
    expect({
      rows: row.comment_count,
      blank: row.blank_count,
      duplicate: row.duplicate_count,
    }).toEqual(whole.counts);
    const stored = await commentsOfSet(id);
    expect(stored.map((c) => c.position)).toEqual(whole.comments.map((_, i) => i));
    expect(stored.map((c) => c.line)).toEqual(whole.comments.map((c) => c.line));
    expect(stored.map((c) => c.text)).toEqual(whole.comments.map((c) => c.text));
    expect(stored.map((c) => c.channel)).toEqual(whole.comments.map((c) => c.channel ?? null));
    expect(stored.map((c) => c.set_aside)).toEqual(whole.setAside);
    // The redacted copy is what pages show; the original is kept for re-runs.
    expect(stored.some((c) => c.text.includes('jane.doe@example.com'))).toBe(true);
    expect(stored.some((c) => c.redacted.includes('jane.doe@example.com'))).toBe(false);
    const imported = await t.storage.db.kysely
      .selectFrom('audit_events')
      .select(['details'])
      .where('action', '=', 'comments.imported')
      .where('entity_id', '=', id)
      .execute();
    expect(imported).toHaveLength(1);
    expect(JSON.parse(imported[0]?.details ?? '{}')).toMatchObject({
      name: 'counted',
      mapping,
      counts: whole.counts,
    });
    const page = await client.get(analysisUrl);
    expect(page.body).toContain('Themes, largest first');
    expect(themeKeys(page.body)).toHaveLength(4);
    const job = await t.storage.db.kysely
      .selectFrom('jobs')
      .select(['status', 'message'])
      .where('kind', '=', 'themes.import')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('succeeded');
    expect(job.message).toContain(`Stored ${whole.counts.rows} comments`);
  });

  // Two imports of up to 70,000 comments each: about 30 s on a busy 2-core machine, so it has its
  // own limit rather than the suite's 30 s.
  it('stores nothing when a row deep in the file cannot be read, and says which line and what is wrong', async () => {
    const header = 'submitted,channel,ward,respondent,comment';
    const lines = commentsCsv(generateComments(70_000, 9)).trimEnd().split('\n').slice(1);
    const cases = [
      {
        // An over-long field at row 4,501 (line 4,502, counting the header).
        content: Buffer.from(
          [
            header,
            ...lines.slice(0, 4500),
            `2026-03-02,email,Riverside,resident,"${'x'.repeat(150_000)}"`,
            ...lines.slice(4500, 5000),
          ].join('\n') + '\n',
        ),
        message: 'Line 4502: a field is larger than the limit',
      },
      {
        // Bytes that are not UTF-8 at row 65,001 of a 9 MB file: read as a stream, in batches.
        content: Buffer.concat([
          Buffer.from([header, ...lines.slice(0, 65_000)].join('\n') + '\n'),
          Buffer.from('2026-03-02,email,Riverside,resident,Caf\xe9 closed\n', 'latin1'),
          Buffer.from(lines.slice(65_000).join('\n') + '\n'),
        ]),
        message: 'Line 65002: the text is not valid UTF-8',
      },
    ];
    for (const c of cases) {
      const id = await keepUncheckedFile(c.content, header.split(','));
      const before = await fileChunks(id);
      const columnsUrl = `/themes/sets/${id}/columns`;
      const columns = await client.get(columnsUrl);
      expect(columns.statusCode).toBe(200);
      const form = { _csrf: csrfTokenFrom(columns.body), text: 'comment', date: 'submitted' };
      const mapped = await client.post(columnsUrl, form);
      expect(mapped.statusCode, c.message).toBe(303);
      const analysisUrl = mapped.headers.location as string;
      await t.jobs.idle();

      // Nothing half-written: no comment of the set, its file kept as it was, still waiting.
      expect(await commentsOfSet(id)).toHaveLength(0);
      const row = await setRow(id);
      expect(row.status).toBe('awaiting_mapping');
      expect(row.mapping).toBeNull();
      expect([row.comment_count, row.blank_count, row.duplicate_count]).toEqual([0, 0, 0]);
      expect(row.pending_file).toBe('gzip-chunks');
      expect(await fileChunks(id)).toEqual(before);
      const audit = await t.storage.db.kysely
        .selectFrom('audit_events')
        .select('action')
        .where('entity_id', '=', id)
        .execute();
      expect(audit.map((a) => a.action)).not.toContain('comments.imported');

      // The progress page, the set's page and its columns page all say what is wrong and where.
      const progress = await client.get(analysisUrl);
      expect(progress.statusCode).toBe(200);
      expect(progress.body).toContain('The comments could not be stored');
      expect(progress.body).toContain(c.message);
      expect(progress.body).toContain('Nothing was stored.');
      expect(progress.body).not.toContain('http-equiv="refresh"');
      expect(progress.body).toContain(`href="${columnsUrl}"`);
      const set = await client.get(`/themes/sets/${id}`);
      expect(set.statusCode).toBe(200);
      expect(set.body).toContain(c.message);
      expect((await client.get('/themes')).body).toContain('Could not be stored');
      const again = await client.get(columnsUrl);
      expect(again.statusCode).toBe(200);
      expect(again.body).toContain(c.message);
      const job = await t.storage.db.kysely
        .selectFrom('jobs')
        .select(['status', 'error'])
        .where('kind', '=', 'themes.import')
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
      expect(job.status).toBe('failed');
      expect(job.error).toContain(c.message);

      // The columns can be chosen again: a new attempt runs (and, the file being what it is,
      // fails the same way, again storing nothing).
      const retry = await client.post(columnsUrl, { ...form, _csrf: csrfTokenFrom(again.body) });
      expect(retry.statusCode).toBe(303);
      expect(retry.headers.location).not.toBe(analysisUrl);
      await t.jobs.idle();
      expect((await client.get(retry.headers.location as string)).body).toContain(c.message);
      expect(await commentsOfSet(id)).toHaveLength(0);
      expect(await fileChunks(id)).toEqual(before);

      // A lead can delete the set, file and all.
      const removed = await client.post(`/themes/sets/${id}/delete`, {
        _csrf: csrfTokenFrom(set.body),
      });
      expect(removed.statusCode).toBe(303);
      expect(await fileChunks(id)).toHaveLength(0);
    }
  }, 120_000);

  it('removes what an import wrote when its job died with the process, so the set is as before', async () => {
    const csv = commentsCsv(generateComments(300, 13));
    const res = await upload(client, { name: 'interrupted.csv', content: csv });
    const columnsUrl = res.headers.location as string;
    const id = columnsUrl.split('/')[3] ?? '';
    const scope = await demoScope();
    await t.jobs.stop();
    let analysisUrl = '';
    try {
      const columns = await client.get(columnsUrl);
      const mapped = await client.post(columnsUrl, {
        _csrf: csrfTokenFrom(columns.body),
        text: 'comment',
      });
      analysisUrl = mapped.headers.location as string;
      // As if the job had written a batch and its process had then stopped.
      await scope.themes.stageComments(id, [
        { position: 0, comment: { line: 2, text: 'half written' }, setAside: null },
        { position: 1, comment: { line: 3, text: 'half written too' }, setAside: null },
      ]);
      const job = await t.storage.db.kysely
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', 'themes.import')
        .where('status', '=', 'queued')
        .executeTakeFirstOrThrow();
      await t.storage.db.kysely
        .updateTable('jobs')
        .set({
          status: 'failed',
          error: 'The service restarted while this job was running, so it did not finish.',
        })
        .where('id', '=', job.id)
        .execute();
      expect(await commentsOfSet(id)).toHaveLength(2);
      const page = await client.get(analysisUrl);
      expect(page.body).toContain('The comments could not be stored');
      expect(page.body).toContain('The service restarted');
      expect(await commentsOfSet(id)).toHaveLength(0);
      expect((await setRow(id)).status).toBe('awaiting_mapping');
    } finally {
      await t.jobs.start();
    }
    // Chosen again, the columns are stored in full.
    const columns = await client.get(columnsUrl);
    expect(columns.statusCode).toBe(200);
    const mapped = await client.post(columnsUrl, {
      _csrf: csrfTokenFrom(columns.body),
      text: 'comment',
    });
    expect(mapped.headers.location).not.toBe(analysisUrl);
    await t.jobs.idle();
    const whole = await readComments(Readable.from([Buffer.from(csv)]), {
      format: 'csv',
      columns: { text: 'comment' },
    });
    expect(await commentsOfSet(id)).toHaveLength(whole.counts.rows);
    expect((await setRow(id)).comment_count).toBe(whole.counts.rows);
    expect((await setRow(id)).status).toBe('ready');
  });

  it('refuses a file past the limit part-way through, storing nothing and keeping no copy', async () => {
    const temporary = () =>
      readdirSync(tmpdir()).filter((f) => f.startsWith('throughline-comments-')).length;
    const before = temporary();
    const sets = await setCount();
    const line = 'The bins were not collected again this week and nobody answered the phone\n';
    const res = await upload(client, {
      name: 'many.txt',
      content: line.repeat(Math.ceil((2.5 * 1024 * 1024) / line.length)),
    });
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('The file is too large');
    expect(res.body).toContain('2 MB');
    expect(await setCount()).toBe(sets);
    expect(temporary()).toBe(before);
  });

  it('takes a plain text file with one comment per line straight to the analysis', async () => {
    const lines = generateComments(60, 11).map((c) => c.text);
    const res = await upload(client, { name: 'notes.txt', content: lines.join('\n') });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/themes\/analyses\//);
    await t.jobs.idle();
    const page = await client.get(res.headers.location as string);
    expect(page.body).toContain('Themes, largest first');
  });

  it('refuses a forged upload (no or wrong CSRF token) and stores nothing', async () => {
    const sets = await setCount();
    const forged = await upload(
      client,
      { name: 'forged.csv', content: SMALL_CSV },
      {},
      'not-a-token',
    );
    expect(forged.statusCode).toBe(403);
    const body = multipart({}, { name: 'forged.csv', content: SMALL_CSV });
    const missing = await t.app.inject({
      method: 'POST',
      url: '/themes/upload',
      headers: {
        cookie: `tl_session=${client.cookie('tl_session') ?? ''}`,
        'content-type': body.contentType,
      },
      payload: body.payload,
    });
    expect(missing.statusCode).toBe(403);
    expect(await setCount()).toBe(sets);
  });

  it('takes two people’s edits to one analysis in turn, losing neither', async () => {
    const org = await t.storage.db.kysely
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'demo-borough-council')
      .executeTakeFirstOrThrow();
    const scope = (name: string) => t.storage.scope(org.id, { userId: null, label: name });
    const themes = await scope('a').themes.themes(demoAnalysis);
    const [a, b] = themes.filter((th) => th.label !== 'Confusion about recycling rules');
    await Promise.all([
      renameTheme(scope('a'), demoAnalysis, a?.key ?? '', 'Renamed by A'),
      renameTheme(scope('b'), demoAnalysis, b?.key ?? '', 'Renamed by B'),
    ]);
    const labels = (await scope('a').themes.themes(demoAnalysis)).map((th) => th.label);
    expect(labels).toEqual(
      expect.arrayContaining(['Renamed by A', 'Renamed by B', 'Confusion about recycling rules']),
    );
    const seqs = (await scope('a').themes.edits(demoAnalysis)).map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('shows progress, refreshing itself, while an analysis waits or runs', async () => {
    const org = await t.storage.db.kysely
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'demo-borough-council')
      .executeTakeFirstOrThrow();
    const scope = t.storage.scope(org.id, { userId: null, label: 'test' });
    const demo = (await scope.themes.sets()).find((s) => s.name.startsWith('Resident comments'));
    const analysis =
      (await scope.themes.createAnalysis(demo?.id ?? '', { seed: 3, themes: 5 })) ?? '';
    const waiting = await client.get(`/themes/analyses/${analysis}`);
    expect(waiting.body).toContain('Waiting to start');
    expect(waiting.body).toContain('<noscript><meta http-equiv="refresh" content="2"></noscript>');
    expect(waiting.body).toContain('?refresh=off');
    const still = await client.get(`/themes/analyses/${analysis}?refresh=off`);
    expect(still.body).not.toContain('http-equiv="refresh"');
    const status = await client.get(`/themes/analyses/${analysis}/status`);
    expect(status.json()).toMatchObject({ status: 'queued', progress: 0 });
    expect((await client.get('/themes/progress.js')).statusCode).toBe(200);
    await scope.themes.reportProgress(analysis, 40, 'finding themes');
    await t.storage.db.kysely
      .updateTable('theme_analyses')
      .set({ status: 'running' })
      .where('id', '=', analysis)
      .execute();
    const running = await client.get(`/themes/analyses/${analysis}`);
    expect(running.body).toContain('Finding themes. 40% done.');
    expect(running.body).toMatch(/<progress[^>]*value="40"/);
    await runAnalysis(scope, analysis);
    const done = await client.get(`/themes/analyses/${analysis}`);
    expect(done.body).toContain('Themes, largest first');
    // The demo's named theme is carried over to this re-run of the demo set.
    expect(done.body).toContain('Confusion about recycling rules');
  });

  it('shows an analysis whose job failed as not finished, and stops refreshing', async () => {
    const org = await t.storage.db.kysely
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'demo-borough-council')
      .executeTakeFirstOrThrow();
    const scope = t.storage.scope(org.id, { userId: null, label: 'test' });
    const [demo] = await scope.themes.sets();
    const analysis =
      (await scope.themes.createAnalysis(demo?.id ?? '', { seed: 1, themes: 4 })) ?? '';
    // A payload the handler refuses: the job fails before the analysis starts.
    const jobId = await t.jobs.enqueue(scope, 'themes.analyse', { analysisId: 'not-an-id' });
    await scope.themes.attachJob(analysis, jobId);
    await t.jobs.idle();
    const page = await client.get(`/themes/analyses/${analysis}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The analysis did not finish');
    expect(page.body).not.toContain('http-equiv="refresh"');
    expect((await scope.themes.analysis(analysis))?.status).toBe('failed');
  });

  it('answers 404 for another organisation’s comments and themes', async () => {
    const outsider = new Client(t.app);
    await outsider.signIn(OTHER_ORG);
    const own = await outsider.get('/themes');
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain('Spring survey');
    for (const url of [
      `/themes/sets/${setId}`,
      `/themes/analyses/${analysisId}`,
      `/themes/analyses/${analysisId}/export.csv`,
      `/themes/analyses/${analysisId}/other`,
      `/themes/analyses/${analysisId}/themes/theme-1`,
    ])
      expect((await outsider.get(url)).statusCode, url).toBe(404);
    const token = csrfTokenFrom(own.body);
    const rename = await outsider.post(`/themes/analyses/${analysisId}/themes/theme-1/rename`, {
      _csrf: token,
      label: 'Hijacked',
    });
    expect(rename.statusCode).toBe(404);
    const remove = await outsider.post(`/themes/sets/${setId}/delete`, { _csrf: token });
    expect(remove.statusCode).toBe(404);
  });

  it('lets a viewer read the themes but not change them', async () => {
    const viewer = new Client(t.app);
    await viewer.signIn(VIEWER);
    const page = await viewer.get(`/themes/analyses/${analysisId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Merge the ticked themes');
    expect((await viewer.get('/themes/upload')).statusCode).toBe(403);
    const rename = await viewer.post(`/themes/analyses/${analysisId}/themes/theme-1/rename`, {
      _csrf: csrfTokenFrom(page.body),
      label: 'Not allowed',
    });
    expect(rename.statusCode).toBe(403);
    expect((await viewer.get(`/themes/analyses/${analysisId}/export.csv`)).statusCode).toBe(200);
  });

  it('lets a lead delete a set with its comments', async () => {
    const set = await client.get(`/themes/sets/${setId}`);
    const res = await client.post(`/themes/sets/${setId}/delete`, {
      _csrf: csrfTokenFrom(set.body),
    });
    expect(res.statusCode).toBe(303);
    expect((await client.get(`/themes/sets/${setId}`)).statusCode).toBe(404);
    expect(await auditActions()).toContain('themes.analysis_finished');
  });
});
