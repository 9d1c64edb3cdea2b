// One source of the level (issue 12, point 1) through HTTP on every database. On the demo council's
// autumn 2026 review, Managing Risk (median 3 Adequate, target 3) is agreed one level weaker, at 4,
// through the real moderation form, and so is Developing New Ways of Working (median 3, last in the
// median's order: Managing Risk already comes first, as a weak prerequisite of supplier relations),
// and the round is finalised. Every surface that states a level
// must then state the agreed 4 beside the median 3 and act on it: the results page (each
// capability, the profile's table, where to look first), the roadmap's order, the comparison with
// spring 2026, results.csv, results.json, the printable report, the heat map, the PDF and the JSON API. Each check below fails if its
// surface goes back to the median.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokenFor, Client, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { pdfText } from '../helpers/pdf-text.ts';

const AUTUMN = 'Capability review, autumn 2026';
const SPRING = 'Capability check, spring 2026';
const MR = 'managing-risk';
const DNW = 'developing-new-ways-of-working';
const MOVED = [MR, DNW];
const BOTH = 'agreed 4 Needs Improvement, median 3 Adequate';

interface Report {
  capabilities: {
    capabilityId: string;
    name: string;
    result: { consensus: number | null };
    level: { level: number | null; source: string; median: number | null };
    target: { text: string } | null;
  }[];
  attention: { capabilityId: string; level: number | null; levelSource: string }[];
}

/** The rows of a CSV without quoted fields that span lines (enough for the all-respondents rows). */
function csvRow(csv: string, startsWith: RegExp): string[] {
  const row = csv.split('\r\n').find((line) => startsWith.test(line));
  if (!row) throw new Error(`no CSV row matching ${startsWith}`);
  return row.split(',');
}

function between(html: string, from: string, to: string): string {
  const start = html.indexOf(from);
  const end = html.indexOf(to, start + from.length);
  if (start < 0 || end < 0) throw new Error(`no section from ${from} to ${to}`);
  return html.slice(start, end);
}

function idsIn(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(pattern)].map((m) => m[1] ?? '');
}

describe.each(testDatabases)('one source of the level on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let roundId: string;
  let springId: string;
  let medianOrder: string[];
  let report: Report;

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
    const list = (await lead.get('/assessments')).body;
    const idOf = (title: string) =>
      new RegExp(`href="/assessments/([0-9a-f-]{36})">${title}<`).exec(list)?.[1] ?? '';
    roundId = idOf(AUTUMN);
    springId = idOf(SPRING);
    expect(roundId).not.toBe('');
    expect(springId).not.toBe('');

    // Before moderation: the median is the level, and Managing Risk is at its target of 3.
    const before = (await lead.get(`/assessments/${roundId}/results.json`)).json<Report>();
    medianOrder = before.attention.map((a) => a.capabilityId);
    const medians = new Map(before.capabilities.map((c) => [c.capabilityId, c.result.consensus]));
    expect(medians.get(MR)).toBe(3);
    expect(medians.get(DNW)).toBe(3);
    expect(before.capabilities.find((c) => c.capabilityId === MR)?.target?.text).toBe(
      'At or better than your target of 3 Adequate',
    );

    // The closed round's results page is kept once drawn; the agreed levels must be in its key.
    const page = () => lead.get(`/assessments/${roundId}/results`).then((res) => res.body);
    expect(await page()).toContain('Managing Risk</a>: median 3 Adequate.');
    expect(await page()).toContain('Managing Risk</a>: median 3 Adequate.');

    // Moderation through the real form: two capabilities one level weaker, the rest at their median.
    for (const [capabilityId, median] of medians) {
      const url = `/assessments/${roundId}/moderate/${capabilityId}`;
      const res = await lead.submit(
        url,
        url,
        MOVED.includes(capabilityId)
          ? {
              agreedLevel: '4',
              evidenceStrength: 'documented',
              rationale: 'The risk register has not been reviewed since spring',
            }
          : { agreedLevel: String(median), evidenceStrength: 'documented', rationale: '' },
      );
      expect(res.statusCode).toBe(303);
      // An agreed level shows at once on the kept page of the closed round.
      if (capabilityId === MR) expect(await page()).toContain(`Managing Risk</a>: ${BOTH}.`);
    }
    const final = await lead.submit(
      `/assessments/${roundId}/moderate`,
      `/assessments/${roundId}/finalise`,
      {},
    );
    expect(final.statusCode).toBe(303);
    report = (await lead.get(`/assessments/${roundId}/results.json`)).json<Report>();
  });
  afterAll(async () => {
    await t.close();
  });

  it('orders for attention by the agreed level, which moves Developing New Ways of Working up', () => {
    const order = report.attention.map((a) => a.capabilityId);
    expect(medianOrder.at(-1)).toBe(DNW);
    expect(order).not.toEqual(medianOrder);
    expect(order.indexOf(DNW)).toBeLessThan(medianOrder.indexOf(DNW));
    for (const id of MOVED) {
      expect(report.attention.find((a) => a.capabilityId === id)).toMatchObject({
        level: 4,
        levelSource: 'agreed',
      });
    }
  });

  it('carries the agreed and the median level in results.json, and measures the target from the agreed one', () => {
    const mr = report.capabilities.find((c) => c.capabilityId === MR);
    expect(mr?.level).toEqual({ capabilityId: MR, level: 4, source: 'agreed', median: 3 });
    expect(mr?.result.consensus).toBe(3);
    expect(mr?.target?.text).toBe('1 level to go to reach your target of 3 Adequate');
  });

  it('shows the agreed level on the results page: each capability, the profile table and where to look first', async () => {
    const html = (await lead.get(`/assessments/${roundId}/results`)).body;
    const look = between(html, 'Where to look first</h2>', 'Profile</h2>');
    expect(idsIn(look, /href="#capability-([a-z-]+)"/g)).toEqual(
      report.attention.map((a) => a.capabilityId),
    );
    expect(look).toContain(`Managing Risk</a>: ${BOTH}.`);
    expect(look).toContain(`Developing New Ways of Working</a>: ${BOTH}.`);

    const profile = between(html, 'Profile</h2>', 'By group</h2>');
    const mrRow = between(profile, 'class="govuk-table__header">Managing Risk</th>', '</tr>');
    expect(mrRow).toContain('4 Needs Improvement');
    expect(mrRow).toContain('1 level to go to reach your target of 3 Adequate');
    expect(profile).not.toContain('At or better than your target of 3 Adequate');

    const section = between(html, 'id="capability-managing-risk"', '</section>');
    expect(section).toContain(BOTH);
    expect(section).toContain('1 level to go to reach your target of 3 Adequate');
    expect(section).not.toContain('At or better than your target');

    // The heat map's first column and its table give the agreed level, saying so.
    const byGroup = between(html, 'By group</h2>', 'Each capability</h2>');
    const heatRow = between(byGroup, 'class="govuk-table__header">Managing Risk', '</tr>');
    expect(heatRow).toMatch(
      /^[^<]*<\/th>\s*<td class="govuk-table__cell">4 Needs Improvement \(agreed\)<\/td>/,
    );
    expect(byGroup).toContain(
      '<title>Managing Risk, All respondents: 4 Needs Improvement (agreed)</title>',
    );
  });

  it('shows the agreed level on the printable report: each capability and the heat map', async () => {
    const html = (await lead.get(`/assessments/${roundId}/report`)).body;
    const answers = between(html, 'Answers and evidence</h2>', 'Roadmap</h2>');
    const mr = between(answers, 'Managing Risk</h3>', '</h3>');
    expect(mr).toContain(`Level: ${BOTH}.`);
    expect(mr).toContain('Respondents’ median: 3 Adequate.');
    const dnw = between(answers, 'Developing New Ways of Working</h3>', '</h3>');
    expect(dnw).toContain(`Level: ${BOTH}.`);
    const byGroup = between(html, 'By group</h2>', 'Answers and evidence</h2>');
    const heatRow = between(byGroup, 'class="govuk-table__header">Managing Risk', '</tr>');
    // In the first column, all respondents, not a group's.
    expect(heatRow).toMatch(
      /^[^<]*<\/th>\s*<td class="govuk-table__cell">4 Needs Improvement \(agreed\)<\/td>/,
    );
    // The roadmap in the attention order.
    const roadmap = html.slice(html.indexOf('Roadmap</h2>'));
    const position = report.attention.findIndex((a) => a.capabilityId === DNW) + 1;
    expect(roadmap).toContain(`${position}. Developing New Ways of Working: 4 Needs Improvement`);
  });

  it('orders the roadmap by the agreed level and says where its level comes from', async () => {
    const html = (await lead.get(`/assessments/${roundId}/roadmap`)).body;
    expect(idsIn(html, /id="roadmap-([a-z-]+)"/g)).toEqual(
      report.attention.map((a) => a.capabilityId),
    );
    const mr = between(html, 'id="roadmap-managing-risk"', '</section>');
    expect(mr).toContain('4 Needs Improvement (agreed level, median 3 Adequate)');
    expect(mr).toContain('1 level to go to reach your target of 3 Adequate');
  });

  it('compares with spring 2026 by the agreed level', async () => {
    const html = (await lead.get(`/assessments/${roundId}/compare?with=${springId}`)).body;
    const row = between(html, 'Managing Risk', '</tr>');
    expect(row).toContain('agreed 3 Adequate, as the median');
    expect(row).toContain(BOTH);
    expect(row).toContain('worsened by 1 level');
  });

  it('writes both levels in results.csv, the agreed one as the effective level', async () => {
    const csv = (await lead.get(`/assessments/${roundId}/results.csv`)).body;
    const header = csv.split('\r\n')[0]?.split(',') ?? [];
    const row = csvRow(csv, /^[^,]+,[^,]+,4,Managing Risk,All respondents,/);
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('Consensus level')).toBe('3');
    expect(cell('Agreed level')).toBe('4');
    expect(cell('Effective level')).toBe('4');
    expect(cell('Effective level name')).toBe('Needs Improvement');
    expect(cell('Effective level source')).toBe('agreed');
  });

  it('prints the agreed level, its order and its target in the PDF', async () => {
    const res = await lead.get(`/assessments/${roundId}/report.pdf`);
    expect(res.statusCode).toBe(200);
    const text = pdfText(res.rawPayload);
    expect(text).toContain(`Level: ${BOTH}.`);
    // The profile chart's label beside Managing Risk names both levels.
    expect(text).toContain('Consensus 3 Adequate; agreed 4 Needs Improvement; target 3 Adequate');
    // The roadmap in the attention order: Developing New Ways of Working moved up from last.
    const position = report.attention.findIndex((a) => a.capabilityId === DNW) + 1;
    expect(position).toBeLessThan(medianOrder.length);
    expect(text).toContain(`${position}. Developing New Ways of Working: 4 Needs Improvement`);
    expect(text).toContain('1 level to go to reach your target of 3 Adequate');
    expect(text).not.toContain('At or better than your target of 3 Adequate');
  });

  it('answers the JSON API with the same levels and order as results.json', async () => {
    const token = await apiTokenFor(t, 'admin@demo-council.example', 'Levels');
    expect(token).toMatch(/^tl_pat_/);
    const api = await t.app.inject({
      url: `/api/assessments/rounds/${roundId}/results`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.statusCode).toBe(200);
    const body = api.json<Report>();
    expect(body.attention).toEqual(report.attention);
    expect(body.capabilities.map((c) => [c.capabilityId, c.level])).toEqual(
      report.capabilities.map((c) => [c.capabilityId, c.level]),
    );
    expect(body.capabilities.find((c) => c.capabilityId === MR)?.level).toMatchObject({
      level: 4,
      source: 'agreed',
      median: 3,
    });
  });
});
