// Opens the database named by the configuration — embedded SQLite or PostgreSQL — behind one Kysely
// interface, and runs the versioned migrations. Nothing outside this folder knows which one it is.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Migration,
  type MigrationProvider,
} from 'kysely';
import type { DatabaseConfig } from '../config.ts';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_assessments.ts';
import * as m0003 from './migrations/0003_delivery_chains.ts';
import * as m0004 from './migrations/0004_event_logs.ts';
import * as m0005 from './migrations/0005_comment_themes.ts';
import * as m0006 from './migrations/0006_comment_set_files.ts';
import * as m0007 from './migrations/0007_initiatives.ts';
import * as m0008 from './migrations/0008_round_versions.ts';
import * as m0009 from './migrations/0009_roadmap_items.ts';
import * as m0010 from './migrations/0010_mail.ts';
import * as m0011 from './migrations/0011_audit_index.ts';
import * as m0012 from './migrations/0012_log_corrections.ts';
import * as m0015 from './migrations/0015_sign_in_security.ts';
import * as m0016 from './migrations/0016_job_heartbeats.ts';
import * as m0017 from './migrations/0017_theme_names.ts';
import * as m0018 from './migrations/0018_sector.ts';
import * as m0019 from './migrations/0019_theme_mentions.ts';
import * as m0020 from './migrations/0020_theme_hierarchy.ts';
import * as m0021 from './migrations/0021_sector_chains_registers.ts';
import * as m0022 from './migrations/0022_sector_incidents_exchange.ts';
import * as m0023 from './migrations/0023_token_scopes.ts';
import * as m0024 from './migrations/0024_job_request_id.ts';
import * as m0026 from './migrations/0026_sso.ts';
import * as m0027 from './migrations/0027_comment_set_waves.ts';
import * as m0029 from './migrations/0029_assignment_pages.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: Dialect;
  /** Answers true once the database can be queried (the health check). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /**
   * Holds off every other process's migrations until the returned release is called. PostgreSQL
   * needs nothing here (Kysely's migrator takes an advisory lock in its transaction); SQLite's DDL
   * is not run in one transaction by Kysely, so two processes starting together on a new file both
   * created the same tables (`table "comment_sets" already exists`).
   */
  lockForMigration(): () => void;
}

/** Every migration, in order. A migration, once released, is never edited: add a new one. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_foundation': m0001,
  '0002_assessments': m0002,
  '0003_delivery_chains': m0003,
  '0004_event_logs': m0004,
  '0005_comment_themes': m0005,
  '0006_comment_set_files': m0006,
  '0007_initiatives': m0007,
  '0008_round_versions': m0008,
  '0009_roadmap_items': m0009,
  '0010_mail': m0010,
  '0011_audit_index': m0011,
  '0012_log_corrections': m0012,
  '0015_sign_in_security': m0015,
  '0016_job_heartbeats': m0016,
  '0017_theme_names': m0017,
  '0018_sector': m0018,
  '0019_theme_mentions': m0019,
  '0020_theme_hierarchy': m0020,
  '0021_sector_chains_registers': m0021,
  '0022_sector_incidents_exchange': m0022,
  '0023_token_scopes': m0023,
  '0024_job_request_id': m0024,
  '0026_sso': m0026,
  '0027_comment_set_waves': m0027,
  '0029_assignment_pages': m0029,
};

class StaticMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve({ ...migrations });
  }
}

/** How many prepared statements a SQLite connection keeps (the queries a page makes repeat). */
const STATEMENT_CACHE_LIMIT = 500;

/**
 * The SQLite connection as Kysely sees it, keeping each prepared statement by its SQL text so the
 * same query is compiled once, not on every request (compiling was about a quarter of a page's
 * CPU). Safe because Kysely runs one query at a time on this single connection and runs each
 * statement to completion (`all` or `run`; nothing here streams with `iterate`), and SQLite
 * recompiles a kept statement by itself when a migration changes the schema. Bounded, least
 * recently used first out.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sqlText: string): SQLite.Statement {
      let statement = statements.get(sqlText);
      if (statement === undefined) {
        statement = sqlite.prepare(sqlText);
      } else {
        statements.delete(sqlText);
      }
      statements.set(sqlText, statement);
      if (statements.size > STATEMENT_CACHE_LIMIT) {
        const oldest = statements.keys().next().value;
        if (oldest !== undefined) statements.delete(oldest);
      }
      return statement;
    },
    close(): void {
      statements.clear();
      sqlite.close();
    },
  };
}

export function openDatabase(config: DatabaseConfig): Db {
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(path.dirname(config.file), { recursive: true });
    const sqlite = new SQLite(config.file);
    // WAL lets readers work while one writer commits; foreign keys are off by default in SQLite.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const kysely = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    });
    return wrap(kysely, 'sqlite', () => sqliteMigrationLock(config.file));
  }
  const pool = new pg.Pool({ connectionString: config.url, max: 10 });
  // An idle connection can be dropped by the server (restart, failover); the pool replaces it. Without
  // a listener that error would end the process.
  pool.on('error', (error) => {
    console.error(`PostgreSQL connection lost: ${error.message}`);
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return wrap(kysely, 'postgres', () => () => undefined);
}

/** How long a starting process waits for another's migrations before giving up. */
const MIGRATION_LOCK_WAIT_MS = 120_000;

/**
 * A lock across processes for SQLite migrations: an exclusive transaction on a small companion
 * file (`<database>-migrate-lock`), so SQLite's own file locking makes a second process wait
 * (synchronously: this only runs at start-up, before the server listens) until the first has
 * finished, after which it finds nothing left to apply. The main file cannot hold the lock: the
 * migrations themselves write to it.
 */
function sqliteMigrationLock(file: string): () => void {
  if (file === ':memory:') return () => undefined;
  const lock = new SQLite(`${file}-migrate-lock`);
  try {
    lock.pragma(`busy_timeout = ${MIGRATION_LOCK_WAIT_MS}`);
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    throw new Error(
      `Another process has been migrating ${file} for over ${MIGRATION_LOCK_WAIT_MS / 1000} s: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return () => {
    lock.exec('COMMIT');
    lock.close();
  };
}

function wrap(kysely: Kysely<Database>, dialect: Dialect, lockForMigration: () => () => void): Db {
  return {
    kysely,
    dialect,
    lockForMigration,
    async ping() {
      try {
        await sql`select 1`.execute(kysely);
        return true;
      } catch {
        return false;
      }
    },
    close: () => kysely.destroy(),
  };
}

/** The migrations this database has not run yet (empty when its schema is current). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: new StaticMigrationProvider() });
  return (await migrator.getMigrations())
    .filter((m) => m.executedAt === undefined)
    .map((m) => m.name);
}

/** Brings the schema up to date; throws with the failing migration's name if one fails. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: new StaticMigrationProvider() });
  const release = db.lockForMigration();
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  try {
    outcome = await migrator.migrateToLatest();
  } finally {
    release();
  }
  const { error, results } = outcome;
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    const name = failed?.migrationName ?? 'unknown';
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration ${name} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
