// Comparison over time through HTTP, on every configured database (issue 14, point 7): two waves of
// synthetic comments uploaded as two sets; the second said to be a later wave of the first; the
// first wave's theme renamed by a person. The comparison page, its CSV and its JSON agree: potholes
// clearly grew under the person's name for the theme, the library theme is new, and the small
// random movements of the other themes are "no clear change". Another organisation's set cannot be
// chosen as the earlier wave, nor can a loop of waves, and nothing is stored when refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, csrfTokenFrom, scopeOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { WAVE_ONE, WAVE_TWO, waveText } from '../helpers/waves.ts';

const LEAD = 'lead@demo-council.example';
const OTHER_ORG = 'admin@demo-institution.example';

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

interface Figures {
  earlier: { name: string; analysed: number };
  later: { name: string; analysed: number };
  method: { correction: string };
  themes: {
    key: string;
    name: string;
    earlierCount: number;
    laterCount: number;
    changePoints: number;
    adjustedP: number;
    significant: boolean;
    verdict: string;
  }[];
}

describe.each(testDatabases)('comparison between waves on $name', (factory) => {
  let t: TestApp;
  let client: Client;

  /** Uploads a text file of comments as a set, waits for its analysis; returns the set's id. */
  const uploadSet = async (c: Client, name: string, content: string): Promise<string> => {
    const page = await c.get('/themes/upload');
    const body = multipart(
      { _csrf: csrfTokenFrom(page.body), name },
      { name: 'wave.txt', content },
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/themes/upload',
      headers: {
        cookie: ['tl_csrf', 'tl_session'].map((n) => `${n}=${c.cookie(n) ?? ''}`).join('; '),
        'content-type': body.contentType,
        accept: 'text/html',
      },
      payload: body.payload,
    });
    expect(res.statusCode).toBe(303);
    await t.jobs.idle();
    const analysis = await c.get(res.headers.location as string);
    const setId = /\/themes\/sets\/([0-9a-f-]{36})/.exec(analysis.body)?.[1] ?? '';
    expect(setId).not.toBe('');
    return setId;
  };

  let first = '';
  let second = '';

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    client = new Client(t.app);
    await client.signIn(LEAD);
    first = await uploadSet(client, 'Residents survey spring', waveText(WAVE_ONE));
    second = await uploadSet(client, 'Residents survey summer', waveText(WAVE_TWO, 7));
  });
  afterAll(async () => {
    await t.close();
  });

  it('before a wave is chosen, the set offers to choose one and the comparison says there is none', async () => {
    const set = await client.get(`/themes/sets/${second}`);
    expect(set.body).toContain(`href="/themes/sets/${second}/wave" id="wave-link"`);
    const page = await client.get(`/themes/sets/${second}/compare`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('This set is not a later wave of another set.');
    expect((await client.get(`/themes/sets/${second}/compare.json`)).statusCode).toBe(404);
  });

  it('compares the waves under the names people gave, with grew, new and no clear change', async () => {
    // A person renames the first wave's pothole theme.
    const scope = await scopeOf(t, 'demo-borough-council');
    const [earlierAnalysis] = await scope.themes.analysesOf(first);
    const themes = await scope.themes.themes(earlierAnalysis?.id ?? '');
    const potholes = themes.find((th) => /pothole|tyre|road/i.test(th.label));
    expect(potholes).toBeDefined();
    const themePage = await client.get(
      `/themes/analyses/${earlierAnalysis?.id}/themes/${potholes?.key}`,
    );
    const renamed = await client.post(
      `/themes/analyses/${earlierAnalysis?.id}/themes/${potholes?.key}/rename`,
      { _csrf: csrfTokenFrom(themePage.body), label: 'Potholes wrecking cars' },
    );
    expect(renamed.statusCode).toBe(303);

    const form = await client.get(`/themes/sets/${second}/wave`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Residents survey spring');
    const saved = await client.post(`/themes/sets/${second}/wave`, {
      _csrf: csrfTokenFrom(form.body),
      previousSetId: first,
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/themes/sets/${second}/compare`);

    const json = JSON.parse(
      (await client.get(`/themes/sets/${second}/compare.json`)).body,
    ) as Figures;
    expect(json.earlier.name).toBe('Residents survey spring');
    expect(json.method.correction).toBe('Holm');
    const byName = new Map(json.themes.map((th) => [th.name, th]));
    const grown = byName.get('Potholes wrecking cars');
    expect(grown).toMatchObject({ verdict: 'grew', significant: true, earlierCount: 60 });
    expect(grown?.laterCount).toBeGreaterThan(140);
    const fresh = json.themes.filter((th) => th.verdict === 'new');
    expect(fresh).toHaveLength(1);
    expect(fresh[0]?.name).toMatch(/librar/i);
    expect(fresh[0]?.laterCount).toBe(60);
    // Everything else moved by a few comments: no clear change, never "significant".
    const rest = json.themes.filter((th) => th !== grown && th !== fresh[0]);
    expect(rest).toHaveLength(5);
    for (const th of rest) {
      expect(th.verdict).toBe('no clear change');
      expect(th.significant).toBe(false);
      expect(th.adjustedP).toBeGreaterThanOrEqual(0.05);
    }

    // The page: the person's name, the verdicts, the chart and the same figures in a table.
    const page = await client.get(`/themes/sets/${second}/compare`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<svg');
    expect(page.body).toContain('role="img"');
    expect(page.body).toMatch(
      /<th scope="row" class="govuk-table__header">Potholes wrecking cars<p[^>]*>Grew from 10\.0 % to [\d.]+ % of comments[^<]*<\/p><\/th>\s*<td[^>]*>60 \(10\.0\u00a0%\)/,
    );
    expect(page.body).toContain('Grew from 10.0 % to');
    expect(page.body).toContain('1 theme grew and 0 shrank clearly');

    // The CSV carries the same figures.
    const csv = (await client.get(`/themes/sets/${second}/compare.csv`)).body
      .trimEnd()
      .split('\r\n');
    expect(csv[0]).toBe(
      'theme,earlier_count,earlier_share,later_count,later_share,change_percentage_points,p_value,holm_adjusted_p_value,significant_after_correction,verdict,explanation',
    );
    const potholeRow = csv.find((line) => line.startsWith('Potholes wrecking cars,'));
    expect(potholeRow?.split(',').slice(1, 4)).toEqual([
      '60',
      (60 / json.earlier.analysed).toFixed(4),
      String(grown?.laterCount),
    ]);
    expect(csv).toHaveLength(json.themes.length + 1);

    // The set's page links to the comparison; the audit log says what was linked.
    const set = await client.get(`/themes/sets/${second}`);
    expect(set.body).toContain(`href="/themes/sets/${second}/compare" id="compare-link"`);
    const audit = await t.storage.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'comments.wave_linked')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('gives the later wave’s own themes the earlier names, as audited edits', async () => {
    const page = await client.get(`/themes/sets/${second}/compare`);
    expect(page.body).toContain('id="adopt-names"');
    const adopted = await client.post(`/themes/sets/${second}/compare/names`, {
      _csrf: csrfTokenFrom(page.body),
    });
    expect(adopted.statusCode).toBe(303);
    const scope = await scopeOf(t, 'demo-borough-council');
    const [laterAnalysis] = await scope.themes.analysesOf(second);
    const names = (await scope.themes.themes(laterAnalysis?.id ?? '')).map((th) => th.label);
    expect(names).toContain('Potholes wrecking cars');
    // Every theme found again carries its earlier name; the new library theme keeps its own.
    const earlier = (await scope.themes.themes((await scope.themes.analysesOf(first))[0]?.id ?? ''))
      .map((th) => th.label)
      .sort();
    expect(names.filter((n) => earlier.includes(n)).sort()).toEqual(earlier);
    expect(names.some((n) => /librar/i.test(n))).toBe(true);
    // The comparison still reads the same.
    const json = JSON.parse(
      (await client.get(`/themes/sets/${second}/compare.json`)).body,
    ) as Figures;
    expect(json.themes.find((th) => th.name === 'Potholes wrecking cars')?.verdict).toBe('grew');
  });

  it('refuses a loop of waves and a set of another organisation, storing nothing', async () => {
    const form = await client.get(`/themes/sets/${first}/wave`);
    const loop = await client.post(`/themes/sets/${first}/wave`, {
      _csrf: csrfTokenFrom(form.body),
      previousSetId: second,
    });
    expect(loop.statusCode).toBe(400);
    expect(loop.body).toContain('That set is itself a later wave of this one');

    const self = await client.post(`/themes/sets/${first}/wave`, {
      _csrf: csrfTokenFrom(form.body),
      previousSetId: first,
    });
    expect(self.statusCode).toBe(400);
    expect(self.body).toContain('A set cannot be a later wave of itself');

    // Another organisation uploads a set; the council cannot follow it, nor see the comparison.
    const other = new Client(t.app);
    await other.signIn(OTHER_ORG);
    const foreign = await uploadSet(other, 'Institution survey', waveText({ bins: 30, tax: 30 }));
    const refused = await client.post(`/themes/sets/${first}/wave`, {
      _csrf: csrfTokenFrom(form.body),
      previousSetId: foreign,
    });
    expect(refused.statusCode).toBe(404);
    expect(refused.body).toContain('Choose one of the comment sets listed');
    expect(refused.body).not.toContain('Institution survey');
    // Nor can the other organisation link its set to the council's, or read the council's comparison.
    const otherForm = await other.get(`/themes/sets/${foreign}/wave`);
    const reverse = await other.post(`/themes/sets/${foreign}/wave`, {
      _csrf: csrfTokenFrom(otherForm.body),
      previousSetId: second,
    });
    expect(reverse.statusCode).toBe(404);
    expect((await other.get(`/themes/sets/${second}/compare`)).statusCode).toBe(404);
    expect((await other.get(`/themes/sets/${second}/compare.json`)).statusCode).toBe(404);
    expect((await other.get(`/themes/sets/${second}/wave`)).statusCode).toBe(404);

    const scope = await scopeOf(t, 'demo-borough-council');
    expect((await scope.themes.set(first))?.previousSetId).toBeNull();
    expect((await scope.themes.set(second))?.previousSetId).toBe(first);
    const otherScope = await scopeOf(t, 'demo-improvement-agency');
    expect((await otherScope.themes.set(foreign))?.previousSetId).toBeNull();
  });

  it('a garbled choice is refused beside the field', async () => {
    const form = await client.get(`/themes/sets/${second}/wave`);
    const bad = await client.post(`/themes/sets/${second}/wave`, {
      _csrf: csrfTokenFrom(form.body),
      previousSetId: 'not-an-id',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="previousSetId-error"');
    const scope = await scopeOf(t, 'demo-borough-council');
    expect((await scope.themes.set(second))?.previousSetId).toBe(first);
  });
});
