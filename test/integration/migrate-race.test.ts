// Issue 16, point 3: two web processes (and a worker) starting together on an empty database must
// not race the migrations. Three real processes migrate one fresh database at the same instant:
// all succeed, every migration is applied exactly once, and the schema is complete.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, migrations, openDatabase } from '../../src/storage/database.ts';
import { testDatabases, type TestDatabase } from '../helpers/databases.ts';

const run = promisify(execFile);
const child = path.join(import.meta.dirname, '..', 'helpers', 'migrate-child.ts');

describe.each(testDatabases)(
  'migrations started by several processes at once ($name)',
  (factory) => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await factory.create();
    });
    afterAll(async () => {
      await database.drop();
    });

    it('apply each migration once, whichever process gets there first', async () => {
      const startAt = Date.now() + 4000;
      const outputs = await Promise.all(
        [0, 1, 2].map(() =>
          run(
            process.execPath,
            ['--import', 'tsx', child, JSON.stringify(database.config), String(startAt)],
            { timeout: 60_000 },
          ),
        ),
      );
      const applied = outputs.map((o) => (JSON.parse(o.stdout) as { applied: string[] }).applied);
      const names = Object.keys(migrations);
      // Between them the processes applied every migration, and none applied one twice.
      expect(applied.flat().sort()).toEqual([...names].sort());

      const db = openDatabase(database.config);
      try {
        const rows = await db.kysely
          .selectFrom('kysely_migration' as never)
          .select(['name' as never])
          .execute();
        const recorded = (rows as unknown as { name: string }[]).map((r) => r.name).sort();
        expect(recorded).toEqual([...names].sort());
        // A later start finds nothing left to do.
        expect(await migrateToLatest(db)).toEqual([]);
      } finally {
        await db.close();
      }
    }, 90_000);
  },
);
