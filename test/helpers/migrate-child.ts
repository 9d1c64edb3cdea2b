// A separate process that migrates one database, for the test that starts several together
// (issue 16: migrations run once, not raced by two processes starting at the same moment).
// Arguments: the database configuration as JSON, and the instant (ms since the epoch) at which to
// start, so every process has finished loading its modules and they really start together.
import { migrateToLatest, openDatabase } from '../../src/storage/database.ts';
import type { DatabaseConfig } from '../../src/config.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as DatabaseConfig;
const startAt = Number(process.argv[3] ?? 0);
const db = openDatabase(config);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
try {
  const applied = await migrateToLatest(db);
  process.stdout.write(JSON.stringify({ applied }));
} finally {
  await db.close();
}
