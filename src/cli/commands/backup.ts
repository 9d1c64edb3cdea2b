// `throughline backup FILE` and `throughline restore FILE`: the whole database — every
// organisation — to one file and back (src/services/backup.ts). The database is the service's own:
// DATABASE_URL (or DATA_DIR's default SQLite file), or --database-url. A backup can be taken while
// the service runs; stop the service before restoring.
import type { Command } from 'commander';
import type { BackupSummary, RestoreSummary, TableCounts } from '../../services/backup.ts';

interface Options {
  readonly databaseUrl?: string;
  readonly force?: boolean;
}

/** What a summary names first: the organisation's work, in words. */
const NAMED: readonly [table: string, one: string, many: string][] = [
  ['organisations', 'organisation', 'organisations'],
  ['users', 'person', 'people'],
  ['assessment_rounds', 'assessment round', 'assessment rounds'],
  ['answers', 'answer', 'answers'],
  ['delivery_chains', 'delivery chain', 'delivery chains'],
  ['event_logs', 'event log', 'event logs'],
  ['comment_sets', 'comment set', 'comment sets'],
  ['comments', 'comment', 'comments'],
  ['initiatives', 'initiative', 'initiatives'],
  ['audit_events', 'audit entry', 'audit entries'],
];

export function describeCounts(counts: TableCounts): string {
  const named = NAMED.filter(([table]) => table in counts).map(([table, one, many]) => {
    const n = counts[table] ?? 0;
    return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
  });
  const rows = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const tables = Object.keys(counts).length;
  return `${named.join(', ')} (${rows.toLocaleString('en-GB')} rows in ${tables} tables)`;
}

const KIND = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function databaseConfig(options: Options) {
  const { parseDatabaseUrl } = await import('../../config.ts');
  const path = await import('node:path');
  const dataDir = process.env.DATA_DIR ? path.resolve(process.env.DATA_DIR) : undefined;
  return parseDatabaseUrl(options.databaseUrl ?? process.env.DATABASE_URL, dataDir);
}

export function registerBackupCommand(program: Command): void {
  program
    .command('backup')
    .description(
      'Back up the whole database to FILE while the service runs: SQLite through its online backup API (the write-ahead log included), PostgreSQL with pg_dump (one consistent snapshot).',
    )
    .argument('<file>', 'where to write the backup')
    .option('--database-url <url>', 'the database (default: DATABASE_URL, as for the service)')
    .option('--force', 'replace FILE if it exists')
    .action(async (file: string, options: Options) => {
      const { backup } = await import('../../services/backup.ts');
      const summary: BackupSummary = await backup(await databaseConfig(options), file, options);
      console.log(
        `Backed up the ${KIND[summary.kind]} database to ${summary.file} (${megabytes(summary.bytes)}, migration ${summary.migration}): ${describeCounts(summary.counts)}.`,
      );
    });
  program
    .command('restore')
    .description(
      'Restore a backup made by `throughline backup` into the database (stop the service first). Refuses to replace a database that holds organisations unless --force.',
    )
    .argument('<file>', 'the backup file')
    .option('--database-url <url>', 'the database (default: DATABASE_URL, as for the service)')
    .option('--force', 'replace a database that already holds organisations')
    .action(async (file: string, options: Options) => {
      const { restore } = await import('../../services/backup.ts');
      const summary: RestoreSummary = await restore(await databaseConfig(options), file, options);
      const upgraded =
        summary.applied.length > 0 ? `; brought up to date with ${summary.applied.join(', ')}` : '';
      console.log(
        `Restored the ${KIND[summary.kind]} backup ${file} (migration ${summary.backupMigration}${upgraded}): ${describeCounts(summary.counts)}.`,
      );
    });
}
