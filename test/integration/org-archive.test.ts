// One organisation's entire data to an archive and into another instance (issue 16, point 6),
// through `throughline org export` / `org import` (bin/throughline.js, as an operator runs them):
// the demo council goes SQLite → PostgreSQL → SQLite, and every row of every table it owns comes
// back exactly (the imports add only their own audit entries). The imported council is then used
// through the web pages: its lead signs in with the same password and finds its chains, logs and
// rounds. Refusals leave the database as it was: the organisation already there, a person's e-mail
// address taken by someone else, a file cut short. Secrets of the source instance (sessions, API
// tokens) never enter an archive.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_POLICY, referenceOrder } from '../../src/services/archive.ts';
import { sha256 } from '../../src/services/secrets.ts';
import { apiTokenFor, Client, startTestApp, text, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(root, 'bin', 'throughline.js');

function urlOf(t: TestApp): string {
  const config = t.config.database;
  return config.kind === 'sqlite' ? `sqlite:${config.file}` : config.url;
}

async function throughline(args: readonly string[], databaseUrl: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, THROUGHLINE_CLI_CACHE: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

type Row = Record<string, unknown>;

/** An archive's rows by table, each row as sorted-key JSON (order within a table not compared). */
function rowsByTable(file: string): Map<string, string[]> {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter(Boolean);
  const out = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const { t, r } = JSON.parse(line) as { t: string; r: Row };
    const sorted = Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
    out.set(t, [...(out.get(t) ?? []), JSON.stringify(sorted)]);
  }
  for (const rows of out.values()) rows.sort();
  return out;
}

const isImportEntry = (json: string) => json.includes('"action":"organisation.imported"');

describe('referenceOrder', () => {
  it('puts every table after the tables it refers to, and reports a circle', () => {
    const keys = [
      { table: 'answers', column: 'response_id', refTable: 'responses', refColumn: 'id' },
      { table: 'responses', column: 'round_id', refTable: 'rounds', refColumn: 'id' },
      { table: 'rounds', column: 'previous_id', refTable: 'rounds', refColumn: 'id' },
    ];
    expect(referenceOrder(['answers', 'responses', 'rounds'], keys)).toEqual([
      'rounds',
      'responses',
      'answers',
    ]);
    expect(() =>
      referenceOrder(
        ['a', 'b'],
        [
          { table: 'a', column: 'b_id', refTable: 'b', refColumn: 'id' },
          { table: 'b', column: 'a_id', refTable: 'a', refColumn: 'id' },
        ],
      ),
    ).toThrow(/circle/);
  });
});

const sqlite = testDatabases.find((d) => d.name === 'sqlite');
const postgres = testDatabases.find((d) => d.name === 'postgres');

describe.skipIf(postgres === undefined)('an organisation moved between instances', () => {
  let dir: string;
  let source: TestApp;
  let middle: TestApp;
  let last: TestApp;
  let secret: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'throughline-archive-'));
    source = await startTestApp(sqlite as NonNullable<typeof sqlite>);
    middle = await startTestApp(postgres as NonNullable<typeof postgres>, {}, { seed: false });
    last = await startTestApp(sqlite as NonNullable<typeof sqlite>, {}, { seed: false });
    // A signed-in session and an API token at the source: neither may travel.
    secret = await apiTokenFor(source, 'admin@demo-council.example', 'Moves with me?');
    expect(secret).toMatch(/^tl_pat_/);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([source?.close(), middle?.close(), last?.close()]);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('covers every table of the schema, on both databases', async () => {
    for (const t of [source, middle]) {
      const tables = (await t.storage.db.kysely.introspection.getTables())
        .filter((x) => x.schema === undefined || x.schema === 'public')
        .map((x) => x.name)
        .filter((n) => !n.startsWith('kysely_migration') && !/_fts(_|$)/.test(n));
      expect(tables.length).toBeGreaterThan(40);
      expect(tables.filter((n) => !(n in ARCHIVE_POLICY))).toEqual([]);
    }
  });

  it('goes SQLite → PostgreSQL → SQLite with every row exactly as it was', async () => {
    const a = path.join(dir, 'a.jsonl.gz');
    const b = path.join(dir, 'b.jsonl.gz');
    const c = path.join(dir, 'c.jsonl.gz');
    const exported = await throughline(['org', 'export', 'demo-borough-council', a], urlOf(source));
    expect(exported.code, exported.out).toBe(0);
    expect(exported.out).toContain('Exported Demo Borough Council');
    expect(exported.out).toContain('api_tokens: API tokens are secrets of this instance');

    const imported = await throughline(['org', 'import', a], urlOf(middle));
    expect(imported.code, imported.out).toBe(0);
    expect(imported.out).toContain('Imported Demo Borough Council');
    expect(
      (await throughline(['org', 'export', 'demo-borough-council', b], urlOf(middle))).code,
    ).toBe(0);
    expect((await throughline(['org', 'import', b], urlOf(last))).code).toBe(0);
    expect(
      (await throughline(['org', 'export', 'demo-borough-council', c], urlOf(last))).code,
    ).toBe(0);

    const rowsA = rowsByTable(a);
    // The archive holds the council's work, and the tables that are never carried are absent.
    for (const table of [
      'assessment_rounds',
      'answers',
      'delivery_chains',
      'event_logs',
      'comments',
      'theme_analyses',
      'initiatives',
      'audit_events',
      'users',
    ])
      expect(rowsA.get(table)?.length ?? 0, table).toBeGreaterThan(0);
    for (const table of ['sessions', 'api_tokens', 'password_resets', 'auth_attempts'])
      expect(rowsA.has(table), table).toBe(false);
    const raw = gunzipSync(readFileSync(a)).toString('utf8');
    expect(raw).not.toContain(secret);
    expect(raw).not.toContain(sha256(secret));

    // Each import adds its own audit entry and nothing else; every other row is identical.
    for (const [file, imports] of [
      [b, 1],
      [c, 2],
    ] as const) {
      const rows = rowsByTable(file);
      expect([...rows.keys()].sort()).toEqual([...rowsA.keys()].sort());
      for (const [table, expected] of rowsA) {
        const got = rows.get(table) ?? [];
        if (table === 'audit_events') {
          expect(got.filter(isImportEntry)).toHaveLength(imports);
          expect(got.filter((r) => !isImportEntry(r))).toEqual(expected);
        } else expect(got, `${table} after ${path.basename(file)}`).toEqual(expected);
      }
    }
  }, 300_000);

  it('serves the imported council: its lead signs in with the same password and finds its work', async () => {
    const client = new Client(middle.app);
    const signedIn = await client.signIn('lead@demo-council.example');
    expect(signedIn.statusCode).toBe(303);
    const chains = await client.get('/chains');
    expect(chains.statusCode).toBe(200);
    const sourceChains = await source.storage.db.kysely
      .selectFrom('delivery_chains')
      .innerJoin('organisations', 'organisations.id', 'delivery_chains.organisation_id')
      .where('organisations.slug', '=', 'demo-borough-council')
      .select('delivery_chains.name')
      .execute();
    for (const { name } of sourceChains) expect(text(chains.body)).toContain(name);
    const logs = await client.get('/logs');
    expect(logs.statusCode).toBe(200);
    const audit = new Client(middle.app);
    await audit.signIn('admin@demo-council.example');
    const log = await audit.get('/organisation/audit');
    expect(text(log.body)).toContain('imported this organisation from an archive');
  });

  it('refuses, changing nothing: the organisation already here, an e-mail taken, a file cut short', async () => {
    const a = path.join(dir, 'a.jsonl.gz');
    const count = async () =>
      Number(
        (
          await middle.storage.db.kysely
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const again = await throughline(['org', 'import', a], urlOf(middle));
    expect(again.code).toBe(1);
    expect(again.out).toContain('Demo Borough Council is already here');
    expect(await count()).toBe(before);

    // Another, empty instance: a file cut short; then a person of the council's e-mail there.
    const other = await startTestApp(sqlite as NonNullable<typeof sqlite>, {}, { seed: false });
    try {
      const cut = path.join(dir, 'cut.jsonl.gz');
      const whole = readFileSync(a);
      writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
      const short = await throughline(['org', 'import', cut], urlOf(other));
      expect(short.code).toBe(1);
      expect(short.out).toContain('cut short');
      // Written as far as the cut, then rolled back: nothing stays.
      expect(await other.storage.platform.countOrganisations()).toBe(0);
      expect(await other.storage.db.kysely.selectFrom('users').select('id').execute()).toEqual([]);

      await other.storage.platform.createUser({
        email: 'lead@demo-council.example',
        name: 'Someone else',
        passwordHash: 'x',
      });
      const taken = await throughline(['org', 'import', a], urlOf(other));
      expect(taken.code).toBe(1);
      expect(taken.out).toContain("lead@demo-council.example is already someone else's account");
      expect(await other.storage.platform.countOrganisations()).toBe(0);

      const notOne = path.join(dir, 'not.json.gz');
      writeFileSync(notOne, readFileSync(path.join(root, 'package.json')));
      const wrong = await throughline(['org', 'import', notOne], urlOf(other));
      expect(wrong.code).toBe(1);
      expect(wrong.out).toContain('is not a Throughline organisation archive');
    } finally {
      await other.close();
    }
  }, 120_000);
});
