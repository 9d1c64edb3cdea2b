// One organisation in a freshly migrated database, for tests of code that works on a scope (jobs,
// storage): the database, the storage over it and the organisation's scope, acting as "Tester".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createStorage,
  migrateToLatest,
  openDatabase,
  type Db,
  type OrgScope,
  type Storage,
} from '../../src/storage/index.ts';
import type { DatabaseConfig } from '../../src/config.ts';

export interface TestScope {
  readonly db: Db;
  readonly storage: Storage;
  readonly scope: OrgScope;
  /** Closes the database (and removes a temporary SQLite file). */
  close(): Promise<void>;
}

/** A scope over `config`, or over a new temporary SQLite file when none is given. */
export async function testScope(config?: DatabaseConfig): Promise<TestScope> {
  const dir = config ? undefined : mkdtempSync(path.join(tmpdir(), 'throughline-scope-'));
  const db = openDatabase(config ?? { kind: 'sqlite', file: path.join(dir ?? '', 'test.sqlite') });
  await migrateToLatest(db);
  const storage = createStorage(db);
  const org = await storage.platform.createOrganisation({
    name: 'Test Council',
    slug: 'test-council',
    kind: 'public_body',
    sector: 'Local government',
  });
  return {
    db,
    storage,
    scope: storage.scope(org.id, { userId: null, label: 'Tester' }),
    async close() {
      await db.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
