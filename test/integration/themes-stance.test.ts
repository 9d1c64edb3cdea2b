// Several themes per comment, stance and sentiment through HTTP, on every configured database
// (issue 14, point 3): the consultation responses uploaded as CSV with their question; the job finds
// the themes, every theme each response speaks to, its stance and sentiment; the themes page, the
// CSV and the JSON export all show the same figures from the one stored analysis; a question that
// is too long is refused beside its field; a person's rename keeps the figures and a merge counts them again.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, csrfTokenFrom, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const LEAD = 'lead@demo-council.example';
const DIR = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'comments',
  'consultation',
);
const present = existsSync(path.join(DIR, 'q2-responses.jsonl'));
if (!present) console.warn(`themes-stance: skipped, the consultation set is not in ${DIR}`);

function multipart(fields: Record<string, string>, file: { name: string; content: string }) {
  const boundary = `----throughline${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n--${boundary}--\r\n`,
  );
  return {
    payload: Buffer.from(parts.join('')),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

interface JsonExport {
  question: string | null;
  themes: {
    id: string;
    name: string;
    mentions: {
      primary: number;
      also: number;
      sentiment: { counts: Record<string, number>; total: number };
      stance?: { counts: Record<string, number>; total: number };
    } | null;
  }[];
  rows: {
    row: number;
    theme: string | null;
    themes: { theme: string; primary: boolean; stance?: string; sentiment: string }[] | null;
    sentiment: string | null;
  }[];
}

/** Parses the CSV export (quoted cells with doubled quotes; no line breaks in these comments). */
function parseCsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((line) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (quoted && ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') quoted = !quoted;
        else if (ch === ',' && !quoted) {
          cells.push(cell);
          cell = '';
        } else cell += ch;
      }
      cells.push(cell);
      return cells;
    });
}

const pct = (n: number, total: number) => (total > 0 ? `${Math.round((100 * n) / total)}%` : '–');

describe.skipIf(!present).each(testDatabases)(
  'several themes a comment, with stance, on $name',
  (factory) => {
    let t: TestApp;
    let client: Client;
    let analysisId = '';
    const question = present
      ? (
          JSON.parse(readFileSync(path.join(DIR, 'q2-question.json'), 'utf8')) as {
            question_text: string;
          }
        ).question_text
      : '';

    beforeAll(async () => {
      t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
      client = new Client(t.app);
      await client.signIn(LEAD);
    });
    afterAll(async () => {
      await t.close();
    });

    it('takes the question with the columns (refusing one too long) and stores several themes per response', async () => {
      const responses = readFileSync(path.join(DIR, 'q2-responses.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => (JSON.parse(l) as { response: string }).response);
      const csv = `response\n${responses.map((r) => `"${r.replaceAll('"', '""')}"`).join('\n')}\n`;
      const page = await client.get('/themes/upload');
      const body = multipart(
        { _csrf: csrfTokenFrom(page.body), name: 'Gambling adverts' },
        {
          name: 'q2.csv',
          content: csv,
        },
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
      const columnsUrl = res.headers.location as string;
      const columns = await client.get(columnsUrl);
      expect(columns.body).toContain('Consultation question (optional)');
      const tooLong = await client.post(columnsUrl, {
        _csrf: csrfTokenFrom(columns.body),
        text: 'response',
        themes: '11',
        seed: '1',
        question: 'x'.repeat(1001),
      });
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.body).toContain('Enter a question of 1,000 characters or fewer');
      const mapped = await client.post(columnsUrl, {
        _csrf: csrfTokenFrom(columns.body),
        text: 'response',
        themes: '11',
        seed: '1',
        question,
      });
      expect(mapped.statusCode).toBe(303);
      analysisId = (mapped.headers.location as string).split('/')[3] ?? '';
      await t.jobs.idle();
      const analysis = await t.storage.db.kysely
        .selectFrom('theme_analyses')
        .select(['status', 'question', 'mentions'])
        .where('id', '=', analysisId)
        .executeTakeFirstOrThrow();
      expect(analysis.status).toBe('done');
      expect(analysis.question).toBe(question);
      expect(analysis.mentions).not.toBeNull();
    });

    it('shows the same figures on the page, in the CSV and in the JSON', async () => {
      const json = JSON.parse(
        (await client.get(`/themes/analyses/${analysisId}/export.json`)).body,
      ) as JsonExport;
      expect(json.question).toBe(question);
      expect(json.rows).toHaveLength(100);
      // Several themes for some responses, primary first, each with a stance.
      const multi = json.rows.filter((r) => (r.themes?.length ?? 0) > 1);
      expect(multi.length).toBeGreaterThan(0);
      for (const r of json.rows) {
        expect(['positive', 'negative', 'mixed', 'neutral']).toContain(r.sentiment);
        // A response in no theme ("other") mentions none.
        if (r.theme === null) {
          expect(r.themes ?? []).toEqual([]);
          continue;
        }
        expect(r.themes?.[0]?.theme).toBe(r.theme);
        expect(r.themes?.[0]?.primary).toBe(true);
        for (const m of r.themes ?? [])
          expect(['supports', 'opposes', 'neutral']).toContain(m.stance);
        expect(['positive', 'negative', 'mixed', 'neutral']).toContain(r.sentiment);
      }
      // Each theme's counts are the rows'.
      for (const theme of json.themes) {
        const m = theme.mentions;
        expect(m).not.toBeNull();
        expect(m?.primary).toBe(json.rows.filter((r) => r.theme === theme.id).length);
        expect(m?.also).toBe(
          json.rows.filter((r) => r.themes?.slice(1).some((x) => x.theme === theme.id)).length,
        );
        expect(m?.stance?.total).toBe((m?.primary ?? 0) + (m?.also ?? 0));
        const supports = json.rows.filter((r) =>
          r.themes?.some((x) => x.theme === theme.id && x.stance === 'supports'),
        ).length;
        expect(m?.stance?.counts.supports).toBe(supports);
      }

      // The CSV: the same stance, other themes and sentiment per row.
      const csv = parseCsv((await client.get(`/themes/analyses/${analysisId}/export.csv`)).body);
      const header = csv[0] ?? [];
      const col = (name: string) => header.indexOf(name);
      expect(col('stance')).toBeGreaterThan(0);
      const names = new Map(json.themes.map((x) => [x.id, x.name]));
      json.rows.forEach((r, i) => {
        const cells = csv[i + 1] ?? [];
        expect(cells[col('theme_id')]).toBe(r.theme ?? '');
        expect(cells[col('stance')]).toBe(r.themes?.[0]?.stance ?? '');
        expect(cells[col('sentiment')]).toBe(r.sentiment ?? '');
        const others = (r.themes ?? [])
          .slice(1)
          .map((x) => `${names.get(x.theme) ?? x.theme} (${x.stance})`)
          .join('; ');
        expect(cells[col('also_mentions')]).toBe(others);
      });

      // The page: the same shares in the sentiment and stance tables.
      const page = await client.get(`/themes/analyses/${analysisId}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Sentiment and stance by theme');
      expect(page.body).toMatch(
        /<svg[^>]*role="img"[^>]*>\s*<title[^>]*>Sentiment of the comments/,
      );
      const table = (id: string) =>
        page.body.slice(
          page.body.indexOf(`id="${id}"`),
          page.body.indexOf('</table>', page.body.indexOf(`id="${id}"`)),
        );
      const sentimentTable = table('sentiment');
      const stanceTable = table('stance');
      for (const theme of json.themes) {
        const m = theme.mentions;
        if (!m) continue;
        const sentimentCells = [
          String(m.also),
          ...['positive', 'negative', 'mixed', 'neutral'].map((k) =>
            pct(m.sentiment.counts[k] ?? 0, m.sentiment.total),
          ),
        ];
        const rowHtml = (html: string) => {
          const at = html.indexOf(`>${theme.name.replaceAll('&', '&amp;')}</th>`);
          expect(at).toBeGreaterThan(0);
          return html.slice(at, html.indexOf('</tr>', at));
        };
        const cells = (html: string) =>
          [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((x) => x[1]);
        expect(cells(rowHtml(sentimentTable))).toEqual(sentimentCells);
        expect(cells(rowHtml(stanceTable))).toEqual(
          ['supports', 'opposes', 'neutral'].map((k) =>
            pct(m.stance?.counts[k] ?? 0, m.stance?.total ?? 0),
          ),
        );
      }
    });

    it('keeps the figures after a rename and counts them again after a merge', async () => {
      const before = JSON.parse(
        (await client.get(`/themes/analyses/${analysisId}/export.json`)).body,
      ) as JsonExport;
      const [first, second] = before.themes;
      const theme = first?.id ?? '';
      const themePage = await client.get(`/themes/analyses/${analysisId}/themes/${theme}`);
      const renamed = await client.post(`/themes/analyses/${analysisId}/themes/${theme}/rename`, {
        _csrf: csrfTokenFrom(themePage.body),
        label: 'Teach the odds in schools',
      });
      expect(renamed.statusCode).toBe(303);
      // A rename moves no comment: the same figures, under the new name.
      const afterRename = JSON.parse(
        (await client.get(`/themes/analyses/${analysisId}/export.json`)).body,
      ) as JsonExport;
      expect(afterRename.themes.map((x) => x.mentions)).toEqual(
        before.themes.map((x) => x.mentions),
      );
      expect(afterRename.themes[0]?.name).toBe('Teach the odds in schools');

      // A merge: the figures are counted again for the merged theme (issue 14: they used to be
      // hidden until the analysis was run again).
      const merged = await client.post(`/themes/analyses/${analysisId}/merge`, {
        _csrf: csrfTokenFrom(themePage.body),
        themes: [theme, second?.id ?? ''],
        label: 'Schools and odds',
      });
      expect(merged.statusCode).toBe(303);
      const after = JSON.parse(
        (await client.get(`/themes/analyses/${analysisId}/export.json`)).body,
      ) as JsonExport;
      expect(after.themes).toHaveLength(before.themes.length - 1);
      expect(after.themes.every((x) => x.mentions !== null)).toBe(true);
      const joined = after.themes.find((x) => x.name === 'Schools and odds');
      const members = after.rows.filter((r) => r.theme === joined?.id);
      expect(joined?.mentions?.primary).toBe(members.length);
      expect(members.length).toBe(
        before.rows.filter((r) => r.theme === theme || r.theme === second?.id).length,
      );
      // No comment still mentions the theme that was merged away, and each names its own theme first.
      for (const r of after.rows) {
        expect(r.themes?.some((m) => m.theme === second?.id) ?? false).toBe(false);
        if (r.theme !== null)
          expect(r.themes?.[0]).toMatchObject({ theme: r.theme, primary: true });
      }
      // Stance for the merged theme, counted from its comments' clauses.
      expect(joined?.mentions?.stance?.total).toBeGreaterThanOrEqual(members.length);
      const page = await client.get(`/themes/analyses/${analysisId}`);
      expect(page.body).toContain('id="sentiment"');
      expect(page.body).not.toContain('run the analysis again to see them');
    });
  },
);
