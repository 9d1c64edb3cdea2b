// Two levels of themes through HTTP, on every configured database (issue 14, point 4): a run asked
// for 20 themes in 6 broad themes gets exactly that, and the themes page, both exports and the
// stored analysis agree on which broad theme each theme belongs to; the form refuses as many broad
// themes as themes, beside the field; an analysis stored before the broad level still shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const LEAD = 'lead@demo-council.example';

/** 24 subjects, each said in six ways, one comment per line. */
function comments(): string {
  const subjects =
    'bins pothole parking library tax streetlight noise graffiti pool bus housing dog school recycling planning flooding trees benefits cemetery market cycling allotment museum gritting'.split(
      ' ',
    );
  const frames = [
    'the {} service is a problem',
    'please sort out the {} issue',
    'complaints about {} again',
    '{} needs attention now',
    'why is {} still so poor',
    'nobody answers about {}',
  ];
  return `${frames.flatMap((f) => subjects.map((s) => f.replace('{}', s))).join('\n')}\n`;
}

function multipart(fields: Record<string, string>, file: { name: string; content: string }) {
  const boundary = `----throughline${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([key, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/plain\r\n\r\n${file.content}\r\n`,
    `--${boundary}--\r\n`,
  );
  return {
    payload: Buffer.from(parts.join('')),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describe.each(testDatabases)('broad themes on $name', (factory) => {
  let t: TestApp;
  let client: Client;
  let setId = '';

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    client = new Client(t.app);
    await client.signIn(LEAD);
    const page = await client.get('/themes/upload');
    const body = multipart(
      { _csrf: csrfTokenFrom(page.body) },
      { name: 'services.txt', content: comments() },
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/themes/upload',
      headers: {
        cookie: ['tl_csrf', 'tl_session'].map((n) => `${n}=${client.cookie(n) ?? ''}`).join('; '),
        'content-type': body.contentType,
        accept: 'text/html',
      },
      payload: body.payload,
    });
    expect(res.statusCode).toBe(303);
    await t.jobs.idle();
    const first = await client.get(res.headers.location as string);
    setId = /\/themes\/sets\/([0-9a-f-]{36})/.exec(first.body)?.[1] ?? '';
    expect(setId).not.toBe('');
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs with 20 themes in 6 broad themes, and the page, the exports and the store agree', async () => {
    const set = await client.get(`/themes/sets/${setId}`);
    expect(set.body).toContain('Number of broad themes (optional)');
    const rerun = await client.post(`/themes/sets/${setId}/analyses`, {
      _csrf: csrfTokenFrom(set.body),
      themes: '20',
      broadThemes: '6',
      seed: '1',
    });
    expect(rerun.statusCode).toBe(303);
    const analysisId = (rerun.headers.location as string).split('/')[3] ?? '';
    await t.jobs.idle();

    const json = JSON.parse(
      (await client.get(`/themes/analyses/${analysisId}/export.json`)).body,
    ) as {
      broadThemes: { id: string; name: string; size: number; themes: string[] }[];
      themes: { id: string; name: string; parent: string | null; size: number }[];
      rows: { theme: string | null; broadTheme: string | null }[];
    };
    expect(json.themes).toHaveLength(20);
    expect(json.broadThemes).toHaveLength(6);
    const parentOf = new Map(json.themes.map((th) => [th.id, th.parent]));
    for (const b of json.broadThemes) {
      for (const id of b.themes) expect(parentOf.get(id)).toBe(b.id);
      expect(b.size).toBe(
        json.themes.filter((th) => th.parent === b.id).reduce((s, th) => s + th.size, 0),
      );
    }
    expect(json.broadThemes.flatMap((b) => b.themes).sort()).toEqual(
      json.themes.map((th) => th.id).sort(),
    );
    for (const row of json.rows)
      expect(row.broadTheme).toBe(row.theme === null ? null : parentOf.get(row.theme));

    // The CSV: each row's broad theme is its theme's.
    const csv = (await client.get(`/themes/analyses/${analysisId}/export.csv`)).body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(csv[0]).toMatch(/,status,stance,also_mentions,sentiment,broad_theme_id,broad_theme$/);
    const broadName = new Map(json.broadThemes.map((b) => [b.id, b.name]));
    json.rows.forEach((row, i) => {
      const cells = (csv[i + 1] ?? '').split(',');
      const parent = row.theme === null ? '' : (parentOf.get(row.theme) ?? '');
      expect(cells.at(-2)).toBe(parent);
      if (parent !== '' && !/[",]/.test(broadName.get(parent) ?? ''))
        expect(cells.at(-1)).toBe(broadName.get(parent));
    });

    // The page: one section per broad theme, each listing links to its themes.
    const page = await client.get(`/themes/analyses/${analysisId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('6 broad themes and the themes in each');
    const section = /<section id="broad-themes"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
    const items = section.split('<h3').slice(1);
    expect(items).toHaveLength(6);
    json.broadThemes.forEach((b, i) => {
      const item = items[i] ?? '';
      expect(item).toContain(`id="${b.id}"`);
      const linked = [...item.matchAll(/\/themes\/([^"/]+)"/g)].map((m) =>
        decodeURIComponent(m[1] ?? ''),
      );
      expect(linked).toEqual(b.themes);
    });

    // The store keeps the same.
    const rows = await t.storage.db.kysely
      .selectFrom('themes')
      .select(['theme_key', 'parent_key'])
      .where('analysis_id', '=', analysisId)
      .execute();
    expect(rows).toHaveLength(20);
    for (const r of rows) expect(r.parent_key).toBe(parentOf.get(r.theme_key));
  });

  it('refuses as many broad themes as themes, beside the field, and queues nothing', async () => {
    const set = await client.get(`/themes/sets/${setId}`);
    const before = await t.storage.db.kysely
      .selectFrom('theme_analyses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await client.post(`/themes/sets/${setId}/analyses`, {
      _csrf: csrfTokenFrom(set.body),
      themes: '5',
      broadThemes: '5',
      seed: '1',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="broadThemes-error"');
    expect(res.body).toContain('Enter fewer broad themes than themes');
    const after = await t.storage.db.kysely
      .selectFrom('theme_analyses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('still shows an analysis stored before the broad level, with one level', async () => {
    const done = await t.storage.db.kysely
      .selectFrom('theme_analyses')
      .select('id')
      .where('set_id', '=', setId)
      .where('status', '=', 'done')
      .execute();
    const id = done[0]?.id ?? '';
    await t.storage.db.kysely
      .updateTable('theme_analyses')
      .set({ broad_themes: null })
      .where('id', '=', id)
      .execute();
    await t.storage.db.kysely
      .updateTable('themes')
      .set({ parent_key: null })
      .where('analysis_id', '=', id)
      .execute();
    const page = await client.get(`/themes/analyses/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Themes, largest first');
    expect(page.body).not.toContain('id="broad-themes"');
    const json = JSON.parse((await client.get(`/themes/analyses/${id}/export.json`)).body) as {
      broadThemes: unknown[];
    };
    expect(json.broadThemes).toEqual([]);
  });
});
