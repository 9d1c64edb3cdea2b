// The comment-themes part of the JSON API (issue 17, point 4), on every configured database: upload
// comments with their columns and options in one request, poll the analysis, read the themes with
// their quotes — none of the synthetic names, postcodes, phone numbers or e-mail addresses in the
// file may appear in any answer — page through every comment's themes, edit the themes as the pages
// do (audited), and start another analysis; a mapping or options that do not fit store nothing; the
// token comes first (401), then the role (403), then the token's scope; another organisation's sets
// and analyses are 404 and are not changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, scopeOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { multipart, type Part } from '../helpers/multipart.ts';

const ADMIN = 'admin@demo-council.example';
const MEMBER = 'planner@demo-council.example';
const VIEWER = 'auditor@demo-council.example';
const OTHER = 'admin@demo-institution.example';

/** What must never be given out, as case-insensitive patterns. */
const PERSONAL = [
  /higginbotham/i,
  /penelope/i,
  /okonkwo/i,
  /sw1a/i,
  /\b1aa\b/i,
  /07700/,
  /900123/,
  /jane\.doe/i,
  /example\.com/i,
];
const TOPICS = [
  'The bins were not collected again this week and the street smells',
  'Potholes on the main road damaged my car tyre and nobody fixed them',
  'The library opening hours are too short for people who work',
  'Parking permits cost too much and the online form keeps failing',
];
const BITS = [
  'Mrs Higginbotham next door agrees.',
  'My daughter Penelope saw it.',
  'Nurse Okonkwo was kind.',
  'Call me on 07700 900123.',
  'Email jane.doe@example.com.',
  'I live at SW1A 1AA.',
];

/** 48 comments on four topics, each with a piece of personal data, and a postcode as the area. */
function commentsCsv(): Buffer {
  const lines = ['id,comment,channel,area'];
  let i = 0;
  for (const topic of TOPICS)
    for (let k = 0; k < 12; k++) {
      i++;
      const text = `${topic} (${k % 5} times). ${BITS[i % BITS.length] ?? ''}`;
      lines.push(`${i},"${text}",${i % 2 ? 'web' : 'phone'},${i % 3 ? 'SW1A 1AA' : 'North ward'}`);
    }
  return Buffer.from(`${lines.join('\n')}\n`);
}

function expectClean(where: string, body: string): void {
  const text = body.replace(
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
    '<id>',
  );
  for (const pattern of PERSONAL) expect(pattern.exec(text)?.[0], `${where}`).toBeUndefined();
}

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
    name: `api-themes ${email}`,
    expiry: '30',
    ...form,
  });
  const token = /id="api-token">(tl_pat_[A-Za-z0-9_-]+)</.exec(res.body)?.[1];
  if (!token) throw new Error(`no token for ${email}: ${res.statusCode}`);
  return token;
}

interface Theme {
  key: string;
  name: string;
  description: string | null;
  keyWords: string | null;
  keyPhrases: string[];
  size: number;
  quotes: string[];
  mentions: { sentiment: { shares: Record<string, number> }; stance: unknown } | null;
}
interface AnalysisBody {
  id: string;
  setId: string;
  status: string;
  error: string | null;
  themes: Theme[];
  counts: { input: number; other: number } | null;
}
interface Assignment {
  id: string;
  row: number;
  text: string;
  area: string | null;
  theme: string | null;
  status: string;
  themes: { theme: string; score: number }[] | null;
}

describe.each(testDatabases)('comment-themes API ($name)', (factory) => {
  let t: TestApp;
  let member: string;
  let viewer: string;
  let other: string;
  /** Every JSON answer given, to be searched for personal data at the end. */
  const answers: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(factory, {
      SIGN_IN_RATE_LIMIT: '1000',
      // The upload page's cap, small enough to pass here.
      COMMENT_UPLOAD_LIMIT_BYTES: String(64 * 1024),
    });
    member = await tokenFor(t, MEMBER);
    viewer = await tokenFor(t, VIEWER);
    other = await tokenFor(t, OTHER);
  });
  afterAll(async () => {
    await t?.close();
  });

  const keep = <R extends { body: string }>(res: R): R => {
    answers.push(res.body);
    return res;
  };

  const get = async (token: string | null, url: string) =>
    keep(
      await t.app.inject({
        method: 'GET',
        url,
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
      }),
    );

  const postJson = async (token: string | null, url: string, payload: unknown) =>
    keep(
      await t.app.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/json',
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      }),
    );

  const upload = async (token: string | null, parts: readonly Part[], query = '') => {
    const { body, contentType } = multipart(parts);
    return keep(
      await t.app.inject({
        method: 'POST',
        url: `/api/comment-sets${query}`,
        headers: {
          'content-type': contentType,
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        },
        payload: body,
      }),
    );
  };

  const count = async (table: 'comment_sets' | 'theme_analyses' | 'comments') =>
    (await t.storage.db.kysely.selectFrom(table).select('id').execute()).length;

  let location = '';
  let analysis: AnalysisBody;

  it('uploads comments with their columns and options, and gives the themes with quotes', async () => {
    const accepted = await upload(member, [
      { name: 'name', value: 'Residents’ comments via the API' },
      { name: 'text', value: 'comment' },
      { name: 'area', value: 'area' },
      { name: 'themes', value: '4' },
      { name: 'question', value: 'Do you support the changes to council services?' },
      { name: 'file', filename: 'comments.csv', content: commentsCsv() },
    ]);
    expect(accepted.statusCode, accepted.body).toBe(202);
    location = accepted.headers.location as string;
    const queued = accepted.json<AnalysisBody>();
    expect(location).toBe(`/api/comment-sets/${queued.setId}/analyses/${queued.id}`);
    await t.jobs.idle();
    const done = await get(viewer, location);
    expect(done.statusCode).toBe(200);
    analysis = done.json<AnalysisBody>();
    expect(analysis.status, analysis.error ?? '').toBe('done');
    expect(analysis.counts?.input).toBe(48);
    expect(analysis.themes.length).toBeGreaterThanOrEqual(2);
    for (const theme of analysis.themes) {
      expect(theme.name.length).toBeGreaterThan(2);
      expect(theme.quotes.length).toBeGreaterThan(0);
      expect(theme.size).toBeGreaterThan(0);
      // A question was given: each theme has a stance split, and a sentiment split.
      expect(theme.mentions?.stance).not.toBeNull();
      expect(Object.keys(theme.mentions?.sentiment.shares ?? {})).toContain('negative');
    }
    // The quotes carry the words of the comments, with the personal data replaced.
    expect(analysis.themes.flatMap((x) => x.quotes).join(' ')).toMatch(
      /bins|potholes|library|parking/i,
    );

    const set = await get(viewer, `/api/comment-sets/${queued.setId}`);
    expect(
      set.json<{ name: string; comments: number; analyses: { id: string }[] }>(),
    ).toMatchObject({ name: 'Residents’ comments via the API', comments: 48 });
    const sets = await get(viewer, '/api/comment-sets');
    expect(sets.json<{ sets: { id: string }[] }>().sets.map((s) => s.id)).toContain(queued.setId);
  });

  it('pages through every comment with its themes, redacted', async () => {
    const seen: Assignment[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(
        viewer,
        `${location}/assignments?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ comments: Assignment[]; nextCursor: string | null }>();
      expect(page.comments.length).toBeLessThanOrEqual(7);
      seen.push(...page.comments);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(pages).toBe(7);
    expect(seen.map((c) => c.row)).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
    expect(new Set(seen.map((c) => c.id)).size).toBe(48);
    const themed = seen.filter((c) => c.status === 'theme');
    expect(themed.length).toBeGreaterThan(24);
    for (const c of themed) {
      expect(c.themes?.[0]?.theme).toBe(c.theme);
      expect(typeof c.themes?.[0]?.score).toBe('number');
    }
    // The same themes as the analysis says, in the same numbers.
    for (const theme of analysis.themes)
      expect(seen.filter((c) => c.theme === theme.key).length).toBe(theme.size);
    expect(seen.some((c) => c.area === 'North ward')).toBe(true);
    const bad = await get(viewer, `${location}/assignments?limit=5000`);
    expect(bad.statusCode).toBe(400);
    expect((await get(viewer, `${location}/assignments?cursor=-1`)).statusCode).toBe(400);
  });

  it('edits the themes as the pages do, audited, and starts another analysis', async () => {
    const [first, second, third] = analysis.themes;
    if (!first || !second || !third) throw new Error('too few themes');
    const renamed = await postJson(member, `${location}/edits`, {
      kind: 'rename',
      theme: first.key,
      name: 'Bins and collections',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const after = (await get(viewer, location)).json<AnalysisBody>();
    expect(after.themes.find((x) => x.key === first.key)?.name).toBe('Bins and collections');

    const merged = await postJson(member, `${location}/edits`, {
      kind: 'merge',
      themes: [second.key, third.key],
      name: 'Roads and libraries',
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json<{ theme: string }>().theme).toBe(second.key);

    const page = (await get(viewer, `${location}/assignments?limit=48`)).json<{
      comments: Assignment[];
    }>();
    const comment = page.comments.find((c) => c.theme === first.key);
    if (!comment) throw new Error('no comment in the first theme');
    const moved = await postJson(member, `${location}/edits`, {
      kind: 'move',
      comment: comment.id,
      to: null,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const again = await postJson(member, `${location}/edits`, {
      kind: 'move',
      comment: comment.id,
      to: null,
    });
    expect(again.statusCode).toBe(400);
    expect(again.json<{ message: string }>().message).toBe('The comment is already there');
    expect(
      (await postJson(member, `${location}/edits`, { kind: 'rename', theme: 'nope', name: 'x' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await postJson(member, `${location}/edits`, { kind: 'explode', theme: first.key }))
        .statusCode,
    ).toBe(400);

    // Split two comments of the merged theme off into a new one.
    const mergedComments = (await get(viewer, `${location}/assignments?limit=48`))
      .json<{ comments: Assignment[] }>()
      .comments.filter((c) => c.theme === second.key)
      .slice(0, 2);
    expect(mergedComments.length).toBe(2);
    const split = await postJson(member, `${location}/edits`, {
      kind: 'split',
      theme: second.key,
      comments: mergedComments.map((c) => c.id),
      name: 'Split off',
    });
    expect(split.statusCode, split.body).toBe(200);
    const newKey = split.json<{ theme: string }>().theme;
    const afterSplit = (await get(viewer, location)).json<AnalysisBody>();
    expect(afterSplit.themes.find((x) => x.key === newKey)).toMatchObject({
      name: 'Split off',
      size: 2,
    });

    const scope = await scopeOf(t, 'demo-borough-council');
    const actions = (await scope.auditLog(30)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'themes.renamed',
        'themes.merged',
        'themes.split',
        'themes.comment_moved',
      ]),
    );

    const rerun = await postJson(member, `/api/comment-sets/${analysis.setId}/analyses`, {
      themes: 3,
      seed: 2,
    });
    expect(rerun.statusCode, rerun.body).toBe(202);
    await t.jobs.idle();
    const rerunDone = await get(viewer, rerun.headers.location as string);
    expect(rerunDone.json<AnalysisBody>().status).toBe('done');
    const badOptions = await postJson(member, `/api/comment-sets/${analysis.setId}/analyses`, {
      themes: 3,
      broadThemes: 5,
    });
    expect(badOptions.statusCode).toBe(400);
    expect(badOptions.json<{ issues: { path: string; message: string }[] }>().issues[0]).toEqual({
      path: 'broadThemes',
      message: 'Enter fewer broad themes than themes: each broad theme groups several themes',
    });
  });

  it('takes a text file, and refuses columns or options that do not fit, storing nothing', async () => {
    const text = await upload(
      member,
      [
        {
          name: 'file',
          filename: 'notes.txt',
          content: Buffer.from(
            `${TOPICS.flatMap((x) => [x, `${x} again`, `${x} as ever`]).join('\n')}\n`,
          ),
        },
      ],
      '?seed=3',
    );
    expect(text.statusCode, text.body).toBe(202);
    await t.jobs.idle();
    expect((await get(viewer, text.headers.location as string)).json<AnalysisBody>().status).toBe(
      'done',
    );

    const before = [await count('comment_sets'), await count('theme_analyses')];
    const wrongColumn = await upload(member, [
      { name: 'text', value: 'no such column' },
      { name: 'file', filename: 'comments.csv', content: commentsCsv() },
    ]);
    expect(wrongColumn.statusCode).toBe(400);
    expect(
      wrongColumn.json<{ error: string; issues: { path: string; message: string }[] }>(),
    ).toMatchObject({
      error: 'invalid_mapping',
      issues: [{ path: 'text', message: 'The file has no column named “no such column”' }],
    });
    const sameColumn = await upload(
      member,
      [{ name: 'file', filename: 'comments.csv', content: commentsCsv() }],
      '?text=comment&area=comment',
    );
    expect(sameColumn.statusCode).toBe(400);
    const badThemes = await upload(member, [
      { name: 'themes', value: '1' },
      { name: 'file', filename: 'comments.csv', content: commentsCsv() },
    ]);
    expect(badThemes.statusCode).toBe(400);
    expect(badThemes.json<{ issues: { path: string }[] }>().issues[0]?.path).toBe('themes');
    const empty = await upload(member, [
      { name: 'file', filename: 'empty.csv', content: Buffer.from('') },
    ]);
    expect(empty.statusCode).toBe(400);
    const big = Buffer.concat(Array.from({ length: 14 }, () => commentsCsv()));
    expect(big.length).toBeGreaterThan(64 * 1024);
    const tooBig = await upload(member, [{ name: 'file', filename: 'big.csv', content: big }]);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json<{ message: string }>().message).toMatch(/^The file is too large/);
    const json = await postJson(member, '/api/comment-sets', '{"file": "a"}');
    expect(json.statusCode).toBe(415);
    expect([await count('comment_sets'), await count('theme_analyses')]).toEqual(before);
  });

  it('asks for the token before anything else, then the role, then the token’s scope', async () => {
    const garbage = '{"kind": {"__proto__": {"x": 1}}, "themes": "x"';
    for (const res of [
      await postJson(null, '/api/comment-sets/..%2fnot-an-id/analyses/x/edits', garbage),
      await postJson('tl_pat_nope', `${location}/edits`, garbage),
      await upload(null, [{ name: 'file', filename: 'c.csv', content: commentsCsv() }]),
      await get(null, '/api/comment-sets/%00/analyses/x/assignments?limit=nope'),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.json<{ error: string }>().error).toBe('unauthorised');
    }
    const sets = await count('comment_sets');
    for (const res of [
      await upload(viewer, [{ name: 'file', filename: 'c.csv', content: commentsCsv() }]),
      await postJson(viewer, `${location}/edits`, garbage),
      await postJson(viewer, `/api/comment-sets/${analysis.setId}/analyses`, '{}'),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json<{ error: string }>().error).toBe('forbidden');
    }
    expect(await count('comment_sets')).toBe(sets);
    const logsOnly = await tokenFor(t, ADMIN, { write: 'logs' });
    for (const res of [
      await get(logsOnly, '/api/comment-sets'),
      await get(logsOnly, location),
      await postJson(logsOnly, `${location}/edits`, {
        kind: 'move',
        comment: analysis.id,
        to: null,
      }),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json<{ error: string }>().error).toBe('insufficient_scope');
    }
    const readOnly = await tokenFor(t, ADMIN, { read: 'themes' });
    expect((await get(readOnly, location)).statusCode).toBe(200);
    expect(
      (await postJson(readOnly, `/api/comment-sets/${analysis.setId}/analyses`, '{}')).statusCode,
    ).toBe(403);
  });

  it('answers 404 for another organisation’s sets and analyses, changing nothing', async () => {
    const before = (await get(viewer, location)).body;
    for (const res of [
      await get(other, `/api/comment-sets/${analysis.setId}`),
      await get(other, location),
      await get(other, `${location}/assignments`),
      await postJson(other, `${location}/edits`, {
        kind: 'rename',
        theme: analysis.themes[0]?.key,
        name: 'Taken over',
      }),
      await postJson(other, `/api/comment-sets/${analysis.setId}/analyses`, {}),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json<{ error: string }>().error).toBe('not_found');
    }
    const theirs = (await get(other, '/api/comment-sets')).json<{ sets: { id: string }[] }>();
    expect(theirs.sets.map((s) => s.id)).not.toContain(analysis.setId);
    expect((await get(viewer, location)).body).toBe(before);
  });

  it('never gives out the personal data in the file', () => {
    expect(answers.length).toBeGreaterThan(30);
    const file = commentsCsv().toString();
    for (const pattern of PERSONAL) expect(file).toMatch(pattern);
    answers.forEach((body, i) => expectClean(`answer ${i}`, body));
  });
});
