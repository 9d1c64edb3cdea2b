// Issue 16, point 3: /readyz answers whether this process should get traffic — the database
// answers, its schema has every migration, and the job queue takes jobs — on both databases, and
// says which check failed when one does. /healthz stays the liveness probe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  migrateToLatest,
  migrations,
  openDatabase,
  pendingMigrations,
} from '../../src/storage/database.ts';
import { testDatabases, type TestDatabase } from '../helpers/databases.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

interface Readiness {
  status: string;
  database: { reachable: boolean };
  migrations: { current: boolean; pending: string[] };
  queue: { ready: boolean; detail: string };
}

describe.each(testDatabases)('readiness probe ($name)', (factory) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(factory);
  });
  afterAll(async () => {
    await t.close();
  });

  it('is ready when the database, its migrations and the queue are', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json<Readiness>()).toMatchObject({
      status: 'ready',
      database: { reachable: true },
      migrations: { current: true, pending: [] },
      queue: { ready: true },
    });
  });

  it('is not ready, and says it is the queue, once the job runner has stopped', async () => {
    await t.jobs.stop();
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    const body = response.json<Readiness>();
    expect(body.status).toBe('not ready');
    expect(body.database.reachable).toBe(true);
    expect(body.migrations.current).toBe(true);
    expect(body.queue.ready).toBe(false);
    expect(body.queue.detail).toContain('not started');
    // Alive all the same: liveness and readiness are different questions.
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await t.jobs.start();
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});

describe.each(testDatabases)('pending migrations ($name)', (factory) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await factory.create();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('lists every migration a new database has not run, and none once migrated', async () => {
    const db = openDatabase(database.config);
    try {
      expect(await pendingMigrations(db)).toEqual(Object.keys(migrations));
      await migrateToLatest(db);
      expect(await pendingMigrations(db)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
