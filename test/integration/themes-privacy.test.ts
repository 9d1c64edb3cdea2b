// No personal data anywhere (issue 14, point 2), adversarially: a comment file stuffed with names
// (titled, after a relation, given name + surname in either case), postcodes in every form, phone
// numbers, e-mail addresses and an NI number goes through the upload, the column mapping, the
// import and analysis jobs, and then every surface — the set's pages, the themes page, each theme's
// page, "other", the CSV and JSON exports, and the CLI's summary and JSON — must carry none of it,
// on every configured database. Theme names and descriptions must be there (readable names), and an
// analysis stored before names (migration 0017) still shows and renames its themes by their label.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const LEAD = 'lead@demo-council.example';
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin', 'throughline.js');

/** What must never be shown, as case-insensitive patterns. */
const PERSONAL = [
  /penelope/i,
  /gwendolyn/i,
  /reginald/i,
  /higginbotham/i,
  /pemberton/i,
  /fitzgerald/i,
  /okonkwo/i,
  /\bpatel\b/i,
  /winifred/i,
  /sw1a/i,
  /\b1aa\b/i,
  /m1 ?1ae/i,
  /ec1a/i,
  /07700/,
  /900123/,
  /7946/,
  /jane\.doe/i,
  /example\.com/i,
  /ab ?12 ?34 ?56/i,
];

const TOPICS = [
  'The bins were not collected again this week and the street smells',
  'Potholes on the main road damaged my car tyre and nobody fixed them',
  'The library opening hours are too short for people who work',
  'Parking permits cost too much and the online form keeps failing',
];
const PERSONAL_BITS = [
  'My daughter Penelope saw it.',
  'Ask Dr Patel about it.',
  'Mrs Higginbotham next door agrees.',
  'reginald pemberton said so too.',
  'Gwendolyn Fitzgerald complained as well.',
  'Call me on 07700 900123.',
  'Ring +44 20 7946 0958 please.',
  'Email jane.doe@example.com.',
  'I live at SW1A 1AA.',
  'postcode, sw1a, 1aa',
  'Our postcode is EC1A and the street is busy.',
  'sent to m1 1ae last week',
  'my NI is AB 12 34 56 C',
  'Nurse Okonkwo was kind.',
  'my husband, Winifred, agrees',
];

function personalCsv(): string {
  const lines = ['comment,channel'];
  let i = 0;
  for (let round = 0; round < 6; round++)
    for (const topic of TOPICS)
      for (const bit of PERSONAL_BITS.slice(round * 2, round * 2 + 6)) {
        i++;
        const text = `${topic} (${i % 7} times). ${bit}`;
        lines.push(`"${text.replaceAll('"', '""')}",${i % 2 ? 'web' : 'email'}`);
      }
  return `${lines.join('\n')}\n`;
}

function expectClean(where: string, text: string): void {
  for (const pattern of PERSONAL) {
    const match = pattern.exec(text);
    expect(match?.[0], `${where} shows ${String(pattern)}`).toBeUndefined();
  }
}

function multipart(
  fields: Record<string, string>,
  file: { name: string; content: string },
): { payload: Buffer; contentType: string } {
  const boundary = `----throughline${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([key, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`,
    `--${boundary}--\r\n`,
  );
  return {
    payload: Buffer.from(parts.join('')),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describe('the synthetic file of personal data', () => {
  it('has each kind of personal data in it, so the checks below can fail', () => {
    const csv = personalCsv();
    for (const pattern of PERSONAL) expect(csv).toMatch(pattern);
  });

  it('leaves no trace in the CLI’s summary or JSON', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tl-privacy-'));
    try {
      const file = path.join(dir, 'personal.csv');
      writeFileSync(file, personalCsv());
      const run = promisify(execFile);
      const env = { ...process.env, THROUGHLINE_CLI_CACHE: '0' };
      const args = [bin, 'themes', file, '--text-column', 'comment', '--themes', '4'];
      const summary = await run(process.execPath, args, { cwd: root, env });
      expectClean('the CLI summary', summary.stdout);
      const json = await run(process.execPath, [...args, '--json'], { cwd: root, env });
      expectClean('the CLI JSON', json.stdout);
      const parsed = JSON.parse(json.stdout) as {
        themes: { name: string; description: string; keyWords: string }[];
      };
      expect(parsed.themes).toHaveLength(4);
      for (const theme of parsed.themes) {
        expect(theme.name.length).toBeGreaterThan(0);
        expect(theme.name).not.toContain(' — ');
        expect(theme.description.length).toBeGreaterThan(0);
        expect(theme.keyWords).not.toMatch(/\bremoved\b|\bname\b/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.each(testDatabases)('no personal data on any surface, on $name', (factory) => {
  let t: TestApp;
  let client: Client;
  let analysisPath = '';

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    client = new Client(t.app);
    await client.signIn(LEAD);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows and exports names and themes, but none of the personal data', async () => {
    const form = await client.get('/themes/upload');
    const body = multipart(
      { _csrf: csrfTokenFrom(form.body), name: 'Personal data test' },
      { name: 'personal.csv', content: personalCsv() },
    );
    const uploaded = await t.app.inject({
      method: 'POST',
      url: '/themes/upload',
      headers: {
        cookie: ['tl_csrf', 'tl_session'].map((n) => `${n}=${client.cookie(n) ?? ''}`).join('; '),
        'content-type': body.contentType,
        accept: 'text/html',
      },
      payload: body.payload,
    });
    expect(uploaded.statusCode).toBe(303);
    const columnsUrl = uploaded.headers.location as string;
    const setUrl = columnsUrl.replace(/\/columns$/, '');
    const columns = await client.get(columnsUrl);
    expect(columns.statusCode).toBe(200);
    expectClean('the columns page', columns.body);
    const mapped = await client.post(columnsUrl, {
      _csrf: csrfTokenFrom(columns.body),
      text: 'comment',
      channel: 'channel',
      themes: '4',
      seed: '1',
    });
    expect(mapped.statusCode).toBe(303);
    const analysisUrl = mapped.headers.location as string;
    analysisPath = analysisUrl;
    await t.jobs.idle();

    const pages: [string, string][] = [];
    const analysis = await client.get(analysisUrl);
    expect(analysis.statusCode).toBe(200);
    expect(analysis.body).toContain('Themes, largest first');
    expect(analysis.body).toContain('Key words:');
    pages.push(['the themes page', analysis.body]);
    pages.push(['the set page', (await client.get(setUrl)).body]);
    const themeLinks = [
      ...new Set(
        [...analysis.body.matchAll(/href="(\/themes\/analyses\/[^"]+\/themes\/[^"]+)"/g)].map(
          (m) => m[1] ?? '',
        ),
      ),
    ];
    expect(themeLinks.length).toBe(4);
    for (const link of themeLinks) {
      const page = await client.get(link);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Comments often mention');
      pages.push([link, page.body]);
    }
    pages.push(['the other page', (await client.get(`${analysisUrl}/other`)).body]);
    const csv = await client.get(`${analysisUrl}/export.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('[name removed]');
    expect(csv.body).toContain('[postcode removed]');
    pages.push(['the CSV export', csv.body]);
    const json = await client.get(`${analysisUrl}/export.json`);
    expect(json.statusCode).toBe(200);
    const parsed = JSON.parse(json.body) as {
      themes: { name: string; description: string; keyWords: string }[];
      rows: unknown[];
    };
    expect(parsed.themes).toHaveLength(4);
    expect(parsed.rows.length).toBeGreaterThan(80);
    for (const theme of parsed.themes) expect(theme.name).not.toContain(' — ');
    pages.push(['the JSON export', json.body]);
    for (const [where, text] of pages) expectClean(where, text);
  }, 120_000);

  it('still shows, and renames, a theme stored before names, by its label', async () => {
    const analysisId = analysisPath.split('/')[3] ?? '';
    expect(analysisId).not.toBe('');
    const db = t.storage.db.kysely;
    // As stored before migration 0017: no key words, description or near-duplicate, and the
    // engine's themes without names.
    const first = await db
      .selectFrom('themes')
      .select('theme_key')
      .where('analysis_id', '=', analysisId)
      .orderBy('position')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('themes')
      .set({
        key_words: null,
        description: null,
        similar_to: null,
        label: 'bins — street — smells',
      })
      .where('analysis_id', '=', analysisId)
      .where('theme_key', '=', first.theme_key)
      .execute();
    const row = await db
      .selectFrom('theme_analyses')
      .select('raw_themes')
      .where('id', '=', analysisId)
      .executeTakeFirstOrThrow();
    const raw = JSON.parse(row.raw_themes) as { themes: Record<string, unknown>[] };
    for (const theme of raw.themes) {
      delete theme.name;
      delete theme.description;
    }
    await db
      .updateTable('theme_analyses')
      .set({ raw_themes: JSON.stringify(raw) })
      .where('id', '=', analysisId)
      .execute();
    const page = await client.get(analysisPath);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('bins — street — smells');
    const themeUrl = `${analysisPath}/themes/${first.theme_key}`;
    const themePage = await client.get(themeUrl);
    expect(themePage.statusCode).toBe(200);
    expect(themePage.body).toContain('bins — street — smells');
    expect(themePage.body).not.toContain('Comments often mention');
    // A rename is re-applied over the engine's themes as stored, and wins over any name.
    const renamed = await client.post(`${themeUrl}/rename`, {
      _csrf: csrfTokenFrom(themePage.body),
      label: 'Bins left out',
    });
    expect(renamed.statusCode).toBe(303);
    const after = await client.get(analysisPath);
    expect(after.body).toContain('Bins left out');
    expect(after.body).not.toContain('bins — street — smells');
  });
});
