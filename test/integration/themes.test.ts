// Themes from free text through HTTP, on every configured database (issue 6, points 4–6): the demo
// council's analysed comments; upload → column mapping → analysis as a background job → themes page;
// rename, merge, split, move and link with audit entries; a re-run keeping the edits; the CSV export;
// malformed and forged uploads refused with nothing stored; other organisations' ids answering 404;
// viewers reading but not editing.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { commentsCsv, generateComments } from '../../src/seed/comments.ts';

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
    expect(await commentCount()).toBeGreaterThan(3000);
    // Until the job has run, the page shows progress and refreshes itself.
    const progress = await client.get(analysisUrl);
    expect(progress.statusCode).toBe(200);
    if (progress.body.includes('Finding themes</h1>'))
      expect(progress.body).toContain('<meta http-equiv="refresh" content="2">');
    expect(progress.statusCode).toBe(200);
    await t.jobs.idle();
    const page = await client.get(analysisUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Themes, largest first');
    expect(themeKeys(page.body)).toHaveLength(6);
    expect(page.body).not.toContain('jane.doe@example.com');
    const job = await t.storage.db.kysely
      .selectFrom('jobs')
      .select(['kind', 'status'])
      .where('kind', '=', 'themes.analyse')
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
      'row,line,date,channel,area,respondent_group,comment,theme_id,theme,status',
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
    expect(stored.pending_file?.startsWith('gzip+base64:')).toBe(true);
    expect(stored.pending_file?.length ?? Infinity).toBeLessThan(csv.length / 2);
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
    expect(await commentCount()).toBe(comments + rows.length);
    await t.jobs.idle();
    expect(temporary()).toBe(before);
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
      scope('a').themes.rename(demoAnalysis, a?.key ?? '', 'Renamed by A'),
      scope('b').themes.rename(demoAnalysis, b?.key ?? '', 'Renamed by B'),
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
    await scope.themes.runAnalysis(analysis);
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
