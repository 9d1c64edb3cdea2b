// `throughline org export SLUG FILE` and `throughline org import FILE`: one organisation's entire
// data to one archive and into another instance, on either database and across them
// (src/services/archive.ts). The database is the service's own: DATABASE_URL (or DATA_DIR's default
// SQLite file), or --database-url.
import type { Command } from 'commander';
import type { ArchiveSummary } from '../../services/archive.ts';
import { describeCounts } from './backup.ts';

interface Options {
  readonly databaseUrl?: string;
  readonly force?: boolean;
}

async function open(options: Options) {
  const { parseDatabaseUrl } = await import('../../config.ts');
  const path = await import('node:path');
  const { migrateToLatest, openDatabase } = await import('../../storage/index.ts');
  const dataDir = process.env.DATA_DIR ? path.resolve(process.env.DATA_DIR) : undefined;
  const db = openDatabase(
    parseDatabaseUrl(options.databaseUrl ?? process.env.DATABASE_URL, dataDir),
  );
  await migrateToLatest(db);
  return db;
}

function leftOut(summary: ArchiveSummary): string {
  return Object.entries(summary.leftOut)
    .map(([table, why]) => `  ${table}: ${why}`)
    .join('\n');
}

export function registerOrgCommand(program: Command): void {
  const org = program
    .command('org')
    .description("Move one organisation's data between instances (an archive file).");
  org
    .command('export')
    .description(
      "Write an organisation's entire data — assessments, chains, event logs, comment sets and analyses, initiatives, the audit log and its people — to FILE (gzip-compressed JSON lines).",
    )
    .argument('<organisation>', "the organisation's short name (slug) or id")
    .argument('<file>', 'where to write the archive')
    .option('--database-url <url>', 'the database (default: DATABASE_URL, as for the service)')
    .option('--force', 'replace FILE if it exists')
    .action(async (which: string, file: string, options: Options) => {
      const { exportOrganisation } = await import('../../services/archive.ts');
      const db = await open(options);
      try {
        const summary = await exportOrganisation(db, which, file, options);
        console.log(
          `Exported ${summary.organisation.name} to ${file} (${(summary.bytes / 1024 / 1024).toFixed(1)} MB): ${describeCounts(summary.counts)}.\nNot carried:\n${leftOut(summary)}`,
        );
      } finally {
        await db.close();
      }
    });
  org
    .command('import')
    .description(
      'Import an organisation archive made by `throughline org export`, in one transaction: refused if the organisation is already here or a person’s e-mail address is someone else’s here.',
    )
    .argument('<file>', 'the archive')
    .option('--database-url <url>', 'the database (default: DATABASE_URL, as for the service)')
    .action(async (file: string, options: Options) => {
      const { importOrganisation } = await import('../../services/archive.ts');
      const db = await open(options);
      try {
        const summary = await importOrganisation(db, file);
        console.log(
          `Imported ${summary.organisation.name} from ${file}: ${describeCounts(summary.counts)}.\nNot carried (set up again here):\n${leftOut(summary)}`,
        );
      } finally {
        await db.close();
      }
    });
}
