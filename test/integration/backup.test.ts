// `throughline backup` and `throughline restore` (issue 16, point 6), run as a person runs them
// (bin/throughline.js):
// - SQLite: a backup taken while the service (a real child process) acknowledges a burst of
//   answers over HTTP, restored into a fresh data directory, holds every answer acknowledged before
//   the backup began — what a plain file copy loses when it sits in the write-ahead log.
// - PostgreSQL: the demo backed up and restored into a fresh database has the same rows in every
//   table; restore refuses a database that holds organisations, and a file that is not a backup.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../src/seed/demo.ts';
import { tableCounts } from '../../src/services/backup.ts';
import { createStorage, migrateToLatest, openDatabase } from '../../src/storage/index.ts';
import { testDatabases } from '../helpers/databases.ts';
import { startWeb, type ChildService } from '../helpers/processes.ts';
import { CAPABILITIES, openRoundWithLinks, Respondent } from '../helpers/respondents.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(root, 'bin', 'throughline.js');

/** Runs `throughline …` with DATABASE_URL; resolves to its exit code and output. */
async function throughline(
  args: readonly string[],
  databaseUrl: string,
): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: root,
      // Straight from this checkout's TypeScript: the compiled cache lives in node_modules, which
      // several checkouts may share (cli-bin.test.ts tests the cache itself).
      env: { ...process.env, DATABASE_URL: databaseUrl, THROUGHLINE_CLI_CACHE: '0' },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('throughline backup of a running SQLite service, during a burst of answers', () => {
  let dir: string;
  let web: ChildService | undefined;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'throughline-backup-'));
  });

  afterAll(async () => {
    await web?.crash();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores every answer acknowledged before the backup began', async () => {
    const file = path.join(dir, 'live.sqlite');
    // The demo, and in its council an open round with a response link per respondent (set up as
    // the round pages would).
    const setUp = openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(setUp);
    const storage = createStorage(setUp);
    await seedDemoIfEmpty(storage, { password: 'correct-horse-battery-staple' });
    const respondents = 60;
    const tokens = await openRoundWithLinks(storage, 'Backup burst', respondents);
    await setUp.close();

    const port = 3262;
    web = await startWeb(port, { DATABASE_URL: `sqlite:${file}`, DATA_DIR: dir });
    const url = `http://127.0.0.1:${port}`;

    // The burst: every respondent answers every capability, 20 requests at a time; each answer
    // acknowledged is noted with the moment it was.
    const work = tokens.flatMap(({ token, responseId }, r) =>
      CAPABILITIES.map((capability, c) => ({
        respondent: new Respondent(`${url}/respond/${token}`, responseId),
        responseId,
        capability,
        level: ((r + c) % 5) + 1,
      })),
    );
    const acknowledged: { responseId: string; capability: string; level: number; at: number }[] =
      [];
    let backupStarted = Infinity;
    let backup: Promise<{ code: number; out: string }> | undefined;
    const backupFile = path.join(dir, 'during-burst.sqlite');
    let next = 0;
    const lane = async () => {
      for (;;) {
        const item = work[next++];
        if (item === undefined) return;
        if (await item.respondent.answer(item.capability, item.level))
          acknowledged.push({ ...item, at: performance.now() });
        // A third of the way in, the backup starts, while the answers keep coming.
        if (backup === undefined && acknowledged.length >= work.length / 3) {
          backupStarted = performance.now();
          backup = throughline(['backup', backupFile], `sqlite:${file}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, lane));
    const result = await backup;
    expect(result?.code, result?.out).toBe(0);
    expect(result?.out).toContain('Backed up the SQLite database');
    await web.stop();
    web = undefined;

    // Restored into a fresh data directory, as after losing the machine.
    const restoredFile = path.join(dir, 'fresh', 'restored.sqlite');
    const restored = await throughline(['restore', backupFile], `sqlite:${restoredFile}`);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toContain('Restored the SQLite backup');

    const before = acknowledged.filter((a) => a.at < backupStarted);
    expect(before.length).toBeGreaterThanOrEqual(Math.floor(work.length / 3));
    const db = openDatabase({ kind: 'sqlite', file: restoredFile });
    try {
      const rows = await db.kysely
        .selectFrom('answers')
        .select(['response_id', 'capability_id', 'level'])
        .where(
          'response_id',
          'in',
          tokens.map((t) => t.responseId),
        )
        .execute();
      const found = new Map(rows.map((r) => [`${r.response_id}/${r.capability_id}`, r.level]));
      const missing = before.filter(
        (a) => found.get(`${a.responseId}/${a.capability}`) !== a.level,
      );
      expect(missing).toEqual([]);
      // Nothing of this burst in the copy that was never acknowledged.
      const all = new Set(acknowledged.map((a) => `${a.responseId}/${a.capability}`));
      expect([...found.keys()].filter((k) => !all.has(k))).toEqual([]);
    } finally {
      await db.close();
    }
  }, 300_000);
});

const postgres = testDatabases.find((d) => d.name === 'postgres');

describe.skipIf(postgres === undefined)('throughline backup and restore on PostgreSQL', () => {
  const dropped: (() => Promise<void>)[] = [];
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'throughline-pg-backup-'));
  });

  afterAll(async () => {
    for (const drop of dropped) await drop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function database(): Promise<string> {
    const created = await (postgres as NonNullable<typeof postgres>).create();
    dropped.push(() => created.drop());
    if (created.config.kind !== 'postgres') throw new Error('expected PostgreSQL');
    return created.config.url;
  }

  it('round-trips the demo into a fresh database with the same rows in every table', async () => {
    const source = await database();
    const db = openDatabase({ kind: 'postgres', url: source });
    let counts: Record<string, number>;
    try {
      await migrateToLatest(db);
      await seedDemoIfEmpty(createStorage(db), { password: 'correct-horse-battery-staple' });
      counts = await tableCounts(db);
    } finally {
      await db.close();
    }
    expect(counts.organisations).toBeGreaterThan(1);
    expect(counts.answers).toBeGreaterThan(0);
    expect(counts.audit_events).toBeGreaterThan(0);

    const file = path.join(dir, 'demo.dump');
    const backedUp = await throughline(['backup', file], source);
    expect(backedUp.code, backedUp.out).toBe(0);
    expect(backedUp.out).toContain('Backed up the PostgreSQL database');

    // A database that holds organisations is not replaced without --force.
    const refused = await throughline(['restore', file], source);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/already holds \d+ organisations.*--force/s);

    const target = await database();
    const restored = await throughline(['restore', file], target);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toContain('Restored the PostgreSQL backup');
    const copy = openDatabase({ kind: 'postgres', url: target });
    try {
      expect(await tableCounts(copy)).toEqual(counts);
    } finally {
      await copy.close();
    }

    // Forced, it replaces what is there with the backup.
    const again = await throughline(['restore', '--force', file], target);
    expect(again.code, again.out).toBe(0);
    const twice = openDatabase({ kind: 'postgres', url: target });
    try {
      expect(await tableCounts(twice)).toEqual(counts);
    } finally {
      await twice.close();
    }
  }, 300_000);

  it('refuses a file that is not a Throughline backup, naming it', async () => {
    const target = await database();
    const notBackup = path.join(dir, 'notes.txt');
    writeFileSync(notBackup, 'not a backup');
    const result = await throughline(['restore', notBackup], target);
    expect(result.code).toBe(1);
    expect(result.out).toContain('notes.txt is not a Throughline backup');
  });
});
