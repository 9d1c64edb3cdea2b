// `throughline backup` and `throughline restore` (issue 16, point 6): a whole database to one file
// and back, while the service runs (backup) or is stopped (restore).
//
// - SQLite: SQLite's online backup API (better-sqlite3's `backup()`), which copies the database
//   page by page through SQLite itself, so what is still in the write-ahead log is included and the
//   copy is consistent even while the service writes (copying the file with `cp` is not: a copy
//   taken during a burst of answers held 134 of 265 acknowledged ones). The backup is itself a
//   SQLite database file.
// - PostgreSQL: `pg_dump --format=custom`, which reads the whole database in one snapshot
//   (a repeatable-read transaction), so the copy is consistent while the service writes; restored
//   with `pg_restore` in one transaction. pg_dump is PostgreSQL's own, well-proven tool, kept
//   compatible with every server version it supports, and covers what a hand-written export would
//   have to re-learn (types, sequences, indexes, the pg-boss queue's own schema). It must be the
//   server's major version or newer (Debian: the postgresql-client package).
//
// Restore checks that the file is a Throughline backup (its migrations table), made by this
// version or an older one (newer migrations are refused), refuses to replace a database that holds
// organisations unless forced, brings the schema up to date afterwards, and says what it restored.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { DatabaseConfig } from '../config.ts';
import { migrateToLatest, migrations, openDatabase, type Db } from '../storage/database.ts';

export type BackupKind = 'sqlite' | 'postgres';

/** Rows per table (the migration bookkeeping left out), as a backup or restore reports them. */
export type TableCounts = Record<string, number>;

export interface BackupSummary {
  readonly kind: BackupKind;
  readonly file: string;
  readonly bytes: number;
  /** The newest migration the backed-up database had. */
  readonly migration: string;
  readonly counts: TableCounts;
}

export interface RestoreSummary {
  readonly kind: BackupKind;
  /** The newest migration in the backup. */
  readonly backupMigration: string;
  /** Migrations applied after restoring, to bring an older backup up to date. */
  readonly applied: readonly string[];
  readonly counts: TableCounts;
}

/** A problem the person can fix (printed as it is, without a stack trace). */
export class BackupError extends Error {
  override readonly name = 'BackupError';
}

const KNOWN_MIGRATIONS = new Set(Object.keys(migrations));

/** better-sqlite3's largest step: every remaining page at once. */
const ALL_PAGES = 0x7fffffff;

/** What kind of backup a file is, by its first bytes. */
export function backupKindOf(file: string): BackupKind | undefined {
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1', 0, 15) === 'SQLite format 3') return 'sqlite';
  if (head.toString('latin1', 0, 5) === 'PGDMP') return 'postgres';
  return undefined;
}

/** Checks the migrations a backup holds: a Throughline database, and not from a newer version. */
export function checkMigrations(names: readonly string[], file: string): string {
  if (!names.includes('0001_foundation'))
    throw new BackupError(`${file} is not a Throughline backup (it has no Throughline tables).`);
  const unknown = names.filter((n) => !KNOWN_MIGRATIONS.has(n));
  if (unknown.length > 0)
    throw new BackupError(
      `${file} was made by a newer version of Throughline (its database has ${unknown.join(', ')}, which this version does not know). Restore it with that version or a later one.`,
    );
  return [...names].sort().at(-1) ?? '';
}

/** Rows in every table of the product's schema (not the migration bookkeeping, not pg-boss). */
export async function tableCounts(db: Db): Promise<TableCounts> {
  const tables = await db.kysely.introspection.getTables();
  const counts: TableCounts = {};
  for (const table of tables
    .filter((t) => !t.isView && !t.name.startsWith('kysely_') && !t.name.startsWith('sqlite_'))
    .filter((t) => db.dialect === 'sqlite' || t.schema === 'public' || t.schema === undefined)
    .map((t) => t.name)
    .sort()) {
    const row = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`
      .execute(db.kysely)
      .then((r) => r.rows[0]);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

async function latestMigration(db: Db): Promise<string> {
  const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db.kysely);
  return checkMigrations(
    rows.rows.map((r) => r.name),
    'the database',
  );
}

/** A backup file is written beside its final name and renamed, so a half-written one never shows. */
function partialName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
}

function refuseExisting(file: string, force: boolean): void {
  if (existsSync(file) && !force)
    throw new BackupError(
      `${file} already exists. Choose another name, or add --force to replace it.`,
    );
}

// ---- backup ----

export async function backup(
  config: DatabaseConfig,
  file: string,
  options: { force?: boolean } = {},
): Promise<BackupSummary> {
  const target = path.resolve(file);
  refuseExisting(target, options.force === true);
  if (!existsSync(path.dirname(target)))
    throw new BackupError(`The folder ${path.dirname(target)} does not exist: create it first.`);
  return config.kind === 'sqlite'
    ? backupSqlite(config.file, target)
    : backupPostgres(config.url, target);
}

async function backupSqlite(source: string, target: string): Promise<BackupSummary> {
  if (source === ':memory:') throw new BackupError('An in-memory database cannot be backed up.');
  if (!existsSync(source)) throw new BackupError(`There is no database at ${source}.`);
  const partial = partialName(target);
  const database = new SQLite(source, { fileMustExist: true });
  try {
    database.pragma('busy_timeout = 5000');
    // The online backup API: consistent while the service writes, the write-ahead log included.
    // All pages in one step, inside one read transaction (which, in WAL mode, does not hold up
    // the service's writes): copied a hundred pages at a time, as by default, the copy starts over
    // whenever another process writes between steps, and a steady stream of answers could keep
    // it from ever finishing.
    await database.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    database.close();
  }
  let summary: Omit<BackupSummary, 'bytes' | 'file'>;
  const copy = openDatabase({ kind: 'sqlite', file: partial });
  try {
    const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
      copy.kysely,
    );
    if (check.rows[0]?.integrity_check !== 'ok')
      throw new BackupError('The copy failed SQLite’s integrity check; the backup was not kept.');
    summary = {
      kind: 'sqlite',
      migration: await latestMigration(copy),
      counts: await tableCounts(copy),
    };
  } catch (error) {
    await copy.close();
    rmSync(partial, { force: true });
    for (const extra of ['-wal', '-shm']) rmSync(partial + extra, { force: true });
    throw error;
  }
  await copy.close();
  for (const extra of ['-wal', '-shm']) rmSync(partial + extra, { force: true });
  renameSync(partial, target);
  return { ...summary, file: target, bytes: statSync(target).size };
}

/** pg_dump and pg_restore get the connection from the environment, so no password is in `ps`. */
function libpqEnvironment(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.hostname) env.PGHOST = decodeURIComponent(u.hostname);
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (database) env.PGDATABASE = database;
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  for (const [param, variable] of [
    ['sslrootcert', 'PGSSLROOTCERT'],
    ['sslcert', 'PGSSLCERT'],
    ['sslkey', 'PGSSLKEY'],
  ] as const) {
    const value = u.searchParams.get(param);
    if (value) env[variable] = value;
  }
  return env;
}

/** Runs a PostgreSQL client tool; resolves to its standard output. */
function runTool(tool: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new BackupError(
              `${tool} was not found. Backups of PostgreSQL use PostgreSQL’s own ${tool}: install the PostgreSQL client tools (on Debian or Ubuntu: apt-get install postgresql-client), of the server’s major version or newer, and run again.`,
            )
          : error,
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else
        reject(
          new BackupError(`${tool} failed (exit code ${code}): ${err.trim() || 'no message'}`),
        );
    });
  });
}

async function backupPostgres(url: string, target: string): Promise<BackupSummary> {
  const db = openDatabase({ kind: 'postgres', url });
  let migration: string;
  let counts: TableCounts;
  try {
    if (!(await db.ping())) throw new BackupError('The PostgreSQL database cannot be reached.');
    migration = await latestMigration(db);
    counts = await tableCounts(db);
  } finally {
    await db.close();
  }
  const partial = partialName(target);
  try {
    // One snapshot of the whole database; custom format, compressed, restorable table by table.
    await runTool(
      'pg_dump',
      ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`],
      libpqEnvironment(url),
    );
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, target);
  // The counts above were read just before the snapshot; the restore reports the snapshot's own.
  return { kind: 'postgres', file: target, bytes: statSync(target).size, migration, counts };
}

// ---- restore ----

export async function restore(
  config: DatabaseConfig,
  file: string,
  options: { force?: boolean } = {},
): Promise<RestoreSummary> {
  const source = path.resolve(file);
  if (!existsSync(source)) throw new BackupError(`There is no file ${source}.`);
  const kind = backupKindOf(source);
  if (kind === undefined)
    throw new BackupError(
      `${source} is not a Throughline backup (neither a SQLite database nor a pg_dump archive).`,
    );
  if (kind !== config.kind) {
    const names = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
    throw new BackupError(
      `${source} is a backup of a ${names[kind]} database, and DATABASE_URL names a ${names[config.kind]} one. A backup restores into the same kind of database.`,
    );
  }
  return config.kind === 'sqlite'
    ? restoreSqlite(source, config.file, options.force === true)
    : restorePostgres(source, config.url, options.force === true);
}

/** Organisations in a database, or 0 if it has none (or no tables yet). */
async function organisationsIn(db: Db): Promise<number> {
  const tables = await db.kysely.introspection.getTables();
  if (!tables.some((t) => t.name === 'organisations' && (t.schema ?? 'public') === 'public'))
    return 0;
  const row = await sql<{ n: number | string }>`select count(*) as n from organisations`.execute(
    db.kysely,
  );
  return Number(row.rows[0]?.n ?? 0);
}

function refuseNonEmpty(organisations: number, force: boolean): void {
  if (organisations > 0 && !force)
    throw new BackupError(
      `The database already holds ${organisations} organisation${organisations === 1 ? '' : 's'}: restoring would replace everything in it. Stop the service, and if you mean to replace it, run again with --force.`,
    );
}

async function restoreSqlite(
  source: string,
  target: string,
  force: boolean,
): Promise<RestoreSummary> {
  if (target === ':memory:')
    throw new BackupError('Nothing can be restored into an in-memory database.');
  // The backup: a Throughline database, intact, of a migration level this version knows.
  let backupMigration: string;
  const backupDb = openDatabase({ kind: 'sqlite', file: source });
  try {
    const check = await sql<{ integrity_check: string }>`pragma integrity_check`
      .execute(backupDb.kysely)
      .catch(() => ({ rows: [{ integrity_check: 'not a database' }] }));
    if (check.rows[0]?.integrity_check !== 'ok')
      throw new BackupError(
        `${source} is damaged (SQLite’s integrity check failed); it was not restored.`,
      );
    const hasMigrations = (
      await backupDb.kysely.introspection.getTables({ withInternalKyselyTables: true })
    ).some((t) => t.name === 'kysely_migration');
    if (!hasMigrations)
      throw new BackupError(
        `${source} is not a Throughline backup (it has no Throughline tables).`,
      );
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(
      backupDb.kysely,
    );
    backupMigration = checkMigrations(
      rows.rows.map((r) => r.name),
      source,
    );
  } finally {
    await backupDb.close();
  }
  // The database it replaces.
  if (existsSync(target)) {
    const current = openDatabase({ kind: 'sqlite', file: target });
    try {
      refuseNonEmpty(await organisationsIn(current), force);
    } finally {
      await current.close();
    }
  }
  // Copied beside the target through SQLite, then put in its place (a fresh data folder is made).
  mkdirSync(path.dirname(target), { recursive: true });
  const partial = partialName(target);
  const reader = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    await reader.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    reader.close();
  }
  for (const extra of ['-wal', '-shm']) rmSync(target + extra, { force: true });
  renameSync(partial, target);
  const db = openDatabase({ kind: 'sqlite', file: target });
  try {
    const applied = await migrateToLatest(db);
    return { kind: 'sqlite', backupMigration, applied, counts: await tableCounts(db) };
  } finally {
    await db.close();
  }
}

/** The names in the backup's kysely_migration table, read from the archive without restoring it. */
function migrationsInDump(data: string): string[] {
  const names: string[] = [];
  let inCopy = false;
  for (const line of data.split('\n')) {
    if (line.startsWith('COPY public.kysely_migration ')) inCopy = true;
    else if (inCopy && line === '\\.') break;
    else if (inCopy && line !== '') names.push(line.split('\t')[0] ?? '');
  }
  return names;
}

async function restorePostgres(
  source: string,
  url: string,
  force: boolean,
): Promise<RestoreSummary> {
  const env = libpqEnvironment(url);
  let listing: string;
  try {
    listing = await runTool('pg_restore', ['--list', source], env);
  } catch (error) {
    if (error instanceof BackupError && error.message.includes('not found')) throw error;
    throw new BackupError(
      `${source} could not be read as a pg_dump archive: ${(error as Error).message}`,
    );
  }
  if (
    !/TABLE public kysely_migration /.test(listing) ||
    !/TABLE public organisations /.test(listing)
  )
    throw new BackupError(`${source} is not a Throughline backup (it has no Throughline tables).`);
  const backupMigration = checkMigrations(
    migrationsInDump(
      await runTool(
        'pg_restore',
        ['--data-only', '--table=kysely_migration', '--file=-', source],
        env,
      ),
    ),
    source,
  );
  const db = openDatabase({ kind: 'postgres', url });
  try {
    if (!(await db.ping())) throw new BackupError('The PostgreSQL database cannot be reached.');
    refuseNonEmpty(await organisationsIn(db), force);
    // Whatever is there goes (an empty schema from an earlier start, or — forced — old data), so
    // that the restored database is exactly the backup.
    await db.kysely.transaction().execute(async (tx) => {
      await sql`drop schema if exists pgboss cascade`.execute(tx);
      await sql`drop schema if exists public cascade`.execute(tx);
      await sql`create schema public`.execute(tx);
    });
  } finally {
    await db.close();
  }
  await runTool(
    'pg_restore',
    [
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      `--dbname=${env.PGDATABASE ?? ''}`,
      source,
    ],
    env,
  );
  const restored = openDatabase({ kind: 'postgres', url });
  try {
    const applied = await migrateToLatest(restored);
    return { kind: 'postgres', backupMigration, applied, counts: await tableCounts(restored) };
  } finally {
    await restored.close();
  }
}
