// Spreadsheet (XLSX) downloads through HTTP on every database (issue 17, point 5). Each workbook is
// read back with exceljs and every cell of the sheet the CSV also carries is compared with the CSV's,
// cell by cell; the other sheets with the JSON export of the same surface. Privacy is adversarial:
// two rounds that differ only in how a one-person group rated give the same workbook, naming neither
// that group nor the one hidden with it; benchmarks hide a small peer group and the group whose
// difference would reveal it exactly as the CSV; comments stay redacted; the same people are refused
// as for the CSV, and another organisation's ids are not found.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Level } from '../../src/domain/assessment/index.ts';
import { defaultFramework } from '../../src/domain/framework/index.ts';
import type { Storage } from '../../src/storage/index.ts';
import { Client, scopeOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';
import { demoCouncilAndLead, ORG_CAPABILITIES } from '../helpers/rounds.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SMALL = 'Audit committee';
const FRONT = 'Frontline staff';

/** A closed round: five leaders at 2, frontline staff at 3, 3, 5 and `fourth`, the committee member. */
async function seedRound(
  storage: Storage,
  title: string,
  committee: Level,
  fourth: Level,
): Promise<string> {
  const people: [string, Level][] = [
    ...Array.from({ length: 5 }, (): [string, Level] => ['Leadership', 2]),
    [FRONT, 3],
    [FRONT, 3],
    [FRONT, 5],
    [FRONT, fourth],
    [SMALL, committee],
  ];
  const { council, lead } = await demoCouncilAndLead(storage);
  return storage.transaction(async ({ scope }) => {
    const store = scope(council.id, { userId: lead.id, label: 'Test set-up' }).assessments;
    const id = await store.createRound({
      scope: 'organisation',
      title,
      opensOn: '2027-01-04',
      closesOn: '2027-01-29',
      groups: ['Leadership', FRONT, SMALL],
      minGroupSize: 3,
      framework: {
        id: defaultFramework.id,
        version: defaultFramework.version,
        document: defaultFramework.document,
      },
    });
    await store.changeStatus(id, ['draft'], 'open');
    const round = await store.round(id);
    for (const [i, [groupName, level]] of people.entries()) {
      const group = round?.groups.find((g) => g.name === groupName);
      if (!group) throw new Error('no group');
      const responseId = await store.createResponse({
        roundId: id,
        groupId: group.id,
        label: `Person ${i + 1}`,
      });
      for (const capability of ORG_CAPABILITIES) {
        await store.saveAnswer(responseId, capability, {
          level,
          dontKnow: false,
          indicatorsSeen: [],
          evidence: '',
          confidence: 'medium',
        });
      }
      await store.submitResponse(responseId);
    }
    await store.changeStatus(id, ['open'], 'closed');
    return id;
  });
}

type Sheets = Record<string, string[][]>;

/** A cell as the CSV writes it: blank, the number's text, an ISO date, or the text itself. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  throw new Error(`Unexpected cell value ${JSON.stringify(value)}`);
}

/** Every sheet of the workbook as rows of cell text, the header row first. */
async function readWorkbook(body: Buffer): Promise<{ book: ExcelJS.Workbook; sheets: Sheets }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const sheets: Sheets = {};
  for (const sheet of book.worksheets) {
    const width = sheet.getRow(1).cellCount;
    const rows: string[][] = [];
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      rows.push(Array.from({ length: width }, (_, c) => cellText(row.getCell(c + 1).value)));
    }
    sheets[sheet.name] = rows;
  }
  return { book, sheets };
}

/** The CSV's cells, without the apostrophe that keeps a spreadsheet from running text as a formula. */
function csvRows(body: string): string[][] {
  const rows = parse(body.replace(/^\uFEFF/, ''), { relax_column_count: false }) as string[][];
  return rows.map((row) => row.map((cell) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell)));
}

describe.each(testDatabases)('spreadsheet downloads on $name', (factory) => {
  let t: TestApp;
  let lead: Client;
  let viewer: Client;
  let agency: Client;
  const ids = { x: '', y: '' };
  const titles = { x: 'Spreadsheet check X', y: 'Spreadsheet check Y' };
  let logId: string;
  let analysisId: string;

  beforeAll(async () => {
    t = await startTestApp(factory, { SIGN_IN_RATE_LIMIT: '1000' });
    ids.x = await seedRound(t.storage, titles.x, 5, 1);
    ids.y = await seedRound(t.storage, titles.y, 1, 5);
    lead = new Client(t.app);
    await lead.signIn('lead@demo-council.example');
    viewer = new Client(t.app);
    await viewer.signIn('auditor@demo-council.example');
    agency = new Client(t.app);
    await agency.signIn('admin@demo-institution.example');
    const council = await scopeOf(t, 'demo-borough-council');
    logId = (await council.logs.list())[0]?.id ?? '';
    analysisId =
      (await council.themes.sets()).find((s) => s.latest?.status === 'done')?.latest?.id ?? '';
    expect(logId).not.toBe('');
    expect(analysisId).not.toBe('');
  }, 240_000);

  afterAll(async () => {
    await t?.close();
  });

  /** Downloads a workbook, checking it is sent as a spreadsheet that no cache keeps. */
  async function workbook(client: Client, url: string, fileName: RegExp) {
    const res = await client.get(url);
    expect(res.statusCode, url).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toMatch(fileName);
    expect(res.headers['cache-control']).toBe('no-store');
    return readWorkbook(res.rawPayload);
  }

  describe('assessment results', () => {
    it('carries the CSV cell for cell, numbers as numbers, and the JSON’s attention order', async () => {
      const url = `/assessments/${ids.x}/results`;
      const { book, sheets } = await workbook(
        lead,
        `${url}.xlsx`,
        /^attachment; filename="throughline-spreadsheet-check-x\.xlsx"$/,
      );
      expect(Object.keys(sheets)).toEqual(['About', 'Results', 'Attention order']);
      const csv = csvRows((await lead.get(`${url}.csv`)).body);
      expect(csv.length).toBeGreaterThan(ORG_CAPABILITIES.length);
      expect(sheets.Results).toEqual(csv);
      // The leaders' row: counts and levels are numbers in the spreadsheet, not text.
      const results = book.getWorksheet('Results');
      const leaders = results
        ?.getRows(2, results.rowCount)
        ?.find((r) => r.getCell(5).value === 'Leadership');
      expect(leaders?.getCell(6).value).toBe(5);
      expect(leaders?.getCell(9).value).toBe(2);
      expect(results?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

      const json = (await lead.get(`${url}.json`)).json<{
        attention: { position: number; capabilityId: string; reason: string }[];
        capabilities: { capabilityId: string; name: string }[];
      }>();
      const names = new Map(json.capabilities.map((c) => [c.capabilityId, c.name]));
      expect(sheets['Attention order']?.slice(1).map((r) => [r[0], r[2], r[7]])).toEqual(
        json.attention.map((a) => [String(a.position), names.get(a.capabilityId), a.reason]),
      );
      const about = new Map(sheets.About?.map((r) => [r[0], r[1]]));
      expect(about.get('Period')).toBe('Opens 2027-01-04, closes 2027-01-29.');
      expect(about.get('Privacy')).toContain('at least 3 people in it gave a level');
      expect(about.get('Generated')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it('is the same workbook whether the one-person group rated 5 or 1, naming no hidden group', async () => {
      const plain = async (key: 'x' | 'y') => {
        const { sheets } = await workbook(
          lead,
          `/assessments/${ids[key]}/results.xlsx`,
          /\.xlsx"$/,
        );
        const { Generated: _when, ...rest } = Object.fromEntries(
          (sheets.About ?? []).map((r) => [r[0], r[1]]),
        );
        return JSON.stringify({ ...sheets, About: rest }).replaceAll(titles[key], 'TITLE');
      };
      const x = await plain('x');
      expect(x).toBe(await plain('y'));
      expect(x).toContain('Leadership');
      // The committee is too small, and the frontline group is hidden with it (else X − Y gives it).
      expect(x).not.toContain(SMALL);
      expect(x).not.toContain(FRONT);
      expect(x).toContain("2 of the round's 3 groups are hidden");
    });

    it('reads a finalised round’s earlier version with ?version=N, as the CSV does', async () => {
      const council = await scopeOf(t, 'demo-borough-council');
      const round = (await council.assessments.rounds()).find((r) => r.status === 'finalised');
      if (!round) throw new Error('the demo has a finalised round');
      const capability = ORG_CAPABILITIES[0] ?? '';
      const moderate = `/assessments/${round.id}/moderate/${capability}`;
      const before = await workbook(lead, `/assessments/${round.id}/results.xlsx`, /\.xlsx"$/);
      const corrected = await lead.submit(moderate, moderate, {
        agreedLevel: '5',
        evidenceStrength: 'documented',
        rationale: 'Found out of date',
        reason: 'Internal audit found it out of date',
      });
      expect(corrected.statusCode).toBe(303);
      const v1 = await workbook(
        lead,
        `/assessments/${round.id}/results.xlsx?version=1`,
        /-v1\.xlsx"$/,
      );
      expect(v1.sheets.Results).toEqual(
        csvRows((await lead.get(`/assessments/${round.id}/results.csv?version=1`)).body),
      );
      expect(v1.sheets.Results).toEqual(before.sheets.Results);
      const latest = await workbook(lead, `/assessments/${round.id}/results.xlsx`, /-v2\.xlsx"$/);
      expect(latest.sheets.Results).toEqual(
        csvRows((await lead.get(`/assessments/${round.id}/results.csv`)).body),
      );
      expect(latest.sheets.Results).not.toEqual(v1.sheets.Results);
      expect(new Map(latest.sheets.About?.map((r) => [r[0], r[1]])).get('Source')).toContain(
        'finalised version 2 of 2',
      );
      for (const version of ['99', 'abc']) {
        const csv = await lead.get(`/assessments/${round.id}/results.csv?version=${version}`);
        const xlsx = await lead.get(`/assessments/${round.id}/results.xlsx?version=${version}`);
        expect(xlsx.statusCode).toBe(csv.statusCode);
        expect(xlsx.statusCode).toBe(404);
      }
    });
  });

  describe('sector benchmarks', () => {
    it('hides a small peer group, and the group that would reveal it, exactly as the CSV', async () => {
      for (const group of [
        '',
        'Unitary authorities',
        'District councils',
        'Metropolitan boroughs',
      ]) {
        const q = group === '' ? '' : `?group=${encodeURIComponent(group)}`;
        const { sheets } = await workbook(
          agency,
          `/sector/benchmarks.xlsx${q}`,
          /^attachment; filename="sector-benchmarks-\d{4}-\d{2}-\d{2}\.xlsx"$/,
        );
        expect(Object.keys(sheets)).toEqual(['About', 'Benchmarks']);
        const csv = csvRows((await agency.get(`/sector/benchmarks.csv${q}`)).body);
        expect(sheets.Benchmarks).toEqual(csv);
        if (group !== '' && group !== 'Metropolitan boroughs') {
          const rows = (sheets.Benchmarks ?? []).filter((r) => r[2] === group);
          expect(rows).toHaveLength(5);
          // No organisations, quartiles, median or period: only the reason.
          for (const row of rows) expect(row.slice(3, 9)).toEqual(['', '', '', '', '', '']);
          for (const row of rows) expect(row[9]).toMatch(/^Hidden/);
        }
      }
      const audit = await (await scopeOf(t, 'demo-improvement-agency')).auditLog(50);
      expect(
        audit.filter(
          (e) =>
            e.action === 'sector.benchmarks_exported' &&
            (e.details as { format?: string }).format === 'xlsx',
        ),
      ).toHaveLength(4);
    });

    it('writes the periods as dates and the counts as numbers', async () => {
      const { book } = await workbook(agency, '/sector/benchmarks.xlsx', /\.xlsx"$/);
      const row = book.getWorksheet('Benchmarks')?.getRow(2);
      expect(typeof row?.getCell(4).value).toBe('number');
      expect(row?.getCell(8).value).toBeInstanceOf(Date);
    });
  });

  describe('event-log analysis', () => {
    it('carries the activities CSV cell for cell, and the waits and paths of the JSON', async () => {
      const { sheets } = await workbook(lead, `/logs/${logId}/analysis.xlsx`, /-analysis\.xlsx"$/);
      expect(Object.keys(sheets)).toEqual([
        'About',
        'Activities',
        'Waits and their kinds',
        'Paths',
      ]);
      const csv = csvRows((await lead.get(`/logs/${logId}/analysis.csv`)).body);
      expect(csv.length).toBeGreaterThan(2);
      expect(sheets.Activities).toEqual(csv);
      const json = (await lead.get(`/logs/${logId}/analysis.json`)).json<{
        analysis: {
          waits: { activity: string; kindLabel: string; explanation: string }[];
          variants: { cases: number; activities: string[] }[];
          bottleneck: { activity: string } | null;
          statement: string;
        };
      }>();
      expect(sheets['Waits and their kinds']?.slice(1).map((r) => [r[1], r[2], r[4]])).toEqual(
        json.analysis.waits.map((w) => [w.activity, w.kindLabel, w.explanation]),
      );
      expect(sheets.Paths?.slice(1).map((r) => [r[1], r[4]])).toEqual(
        json.analysis.variants.map((v) => [String(v.cases), v.activities.join(' → ')]),
      );
      const about = new Map(sheets.About?.map((r) => [r[0], r[1]]));
      expect(about.get('Finding')).toBe(json.analysis.statement);
    });

    it('refuses a filter it cannot read with the same message as the CSV', async () => {
      const bad = '?from=2020-13-45';
      const csv = await lead.get(`/logs/${logId}/analysis.csv${bad}`);
      const xlsx = await lead.get(`/logs/${logId}/analysis.xlsx${bad}`);
      expect(csv.statusCode).toBe(400);
      expect(xlsx.statusCode).toBe(400);
      expect(xlsx.body).toBe(csv.body);
    });
  });

  describe('themes of an analysis', () => {
    it('carries the comment → theme CSV cell for cell, redacted, and the themes of the JSON', async () => {
      const url = `/themes/analyses/${analysisId}/export`;
      const { sheets } = await workbook(lead, `${url}.xlsx`, /-themes\.xlsx"$/);
      const csv = csvRows((await lead.get(`${url}.csv`)).body);
      expect(csv.length).toBeGreaterThan(100);
      expect(sheets['Comments and themes']).toEqual(csv);
      const json = (await lead.get(`${url}.json`)).json<{
        themes: { id: string; name: string; size: number; keyWords: string | null }[];
        broadThemes: { id: string; name: string }[];
      }>();
      expect(sheets.Themes?.slice(1).map((r) => [r[0], r[1], r[3], r[5]])).toEqual(
        json.themes.map((th) => [th.id, th.name, th.keyWords ?? '', String(th.size)]),
      );
      if (json.broadThemes.length > 0)
        expect(sheets['Broad themes']?.slice(1).map((r) => r[1])).toEqual(
          json.broadThemes.map((b) => b.name),
        );
      // Nothing personal in any sheet: no e-mail address, no UK mobile number.
      const all = JSON.stringify(sheets);
      expect(all).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
      expect(all).toContain('[phone removed]');
    });
  });

  describe('who may download', () => {
    it('refuses the same people as the CSV, and another organisation’s ids are not found', async () => {
      const pairs = [
        [`/assessments/${ids.x}/results.csv`, `/assessments/${ids.x}/results.xlsx`],
        ['/sector/benchmarks.csv', '/sector/benchmarks.xlsx'],
        [`/logs/${logId}/analysis.csv`, `/logs/${logId}/analysis.xlsx`],
        [`/themes/analyses/${analysisId}/export.csv`, `/themes/analyses/${analysisId}/export.xlsx`],
      ];
      const anonymous = new Client(t.app);
      for (const client of [anonymous, viewer, agency, lead]) {
        for (const [csvUrl = '', xlsxUrl = ''] of pairs) {
          const csv = await client.get(csvUrl);
          const xlsx = await client.get(xlsxUrl);
          expect({ xlsxUrl, status: xlsx.statusCode, location: xlsx.headers.location }).toEqual({
            xlsxUrl,
            status: csv.statusCode,
            location: csv.headers.location?.toString().replace('.csv', '.xlsx'),
          });
          if (csv.statusCode !== 200) expect(xlsx.headers['content-type']).not.toBe(XLSX);
        }
      }
      // The agency is another organisation: the council's round, log and analysis are not found.
      for (const [, xlsxUrl = ''] of pairs.filter(([u]) => !u?.startsWith('/sector')))
        expect((await agency.get(xlsxUrl)).statusCode).toBe(404);
      // The viewer reads results like the CSV; a signed-out visitor is sent to sign in.
      expect((await viewer.get(`/assessments/${ids.x}/results.xlsx`)).statusCode).toBe(200);
      expect((await anonymous.get(`/assessments/${ids.x}/results.xlsx`)).statusCode).toBe(303);
      for (const url of [
        '/assessments/not-an-id/results.xlsx',
        '/logs/not-an-id/analysis.xlsx',
        '/themes/analyses/not-an-id/export.xlsx',
      ])
        expect((await lead.get(url)).statusCode).toBe(404);
    });
  });
});
