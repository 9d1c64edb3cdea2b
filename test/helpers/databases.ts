// The databases every integration test runs against: SQLite always, PostgreSQL when
// TEST_POSTGRES_URL names a server. CI sets REQUIRE_POSTGRES=1 so a missing server fails the run
// instead of silently skipping half the suite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.ts';

export interface TestDatabase {
  readonly name: 'sqlite' | 'postgres';
  readonly config: DatabaseConfig;
  drop(): Promise<void>;
}

export type TestDatabaseFactory = {
  readonly name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
};

const postgresUrl = process.env.TEST_POSTGRES_URL;
if (process.env.REQUIRE_POSTGRES === '1' && !postgresUrl) {
  throw new Error(
    'REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set: PostgreSQL tests cannot run',
  );
}

const sqlite: TestDatabaseFactory = {
  name: 'sqlite',
  create() {
    const dir = mkdtempSync(path.join(tmpdir(), 'throughline-test-'));
    return Promise.resolve({
      name: 'sqlite',
      config: { kind: 'sqlite', file: path.join(dir, 'test.sqlite') },
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    });
  },
};

/** A fresh database per test file on the PostgreSQL server, dropped afterwards. */
const postgres = (adminUrl: string): TestDatabaseFactory => ({
  name: 'postgres',
  async create() {
    const name = `throughline_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      name: 'postgres',
      config: { kind: 'postgres', url: url.toString() },
      async drop() {
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        try {
          // Connections closed a moment ago may still be finishing: wait for them rather than
          // killing them, which would surface as errors in the test that owned them.
          for (let attempt = 0; ; attempt++) {
            try {
              await client.query(`drop database if exists ${name}`);
              break;
            } catch (error) {
              if (attempt >= 50) throw error;
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
          }
        } finally {
          await client.end();
        }
      },
    };
  },
});

export const testDatabases: readonly TestDatabaseFactory[] = postgresUrl
  ? [sqlite, postgres(postgresUrl)]
  : [sqlite];

if (!postgresUrl) {
  console.warn('TEST_POSTGRES_URL is not set: integration tests run on SQLite only.');
}
