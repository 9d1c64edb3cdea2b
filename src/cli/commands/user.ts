// `throughline user reset-link EMAIL`: for the people who run the service. Where the service cannot
// send email, a person who has forgotten their password gets back in with a link made here — the
// same single-use link, expiring after the same time, as the emailed one — handed over by a channel
// the operator trusts (never a chat an attacker could read). Reads the same environment as the
// service (DATABASE_URL or DATA_DIR, PASSWORD_RESET_MINUTES, PUBLIC_URL for the link's address).
import type { Command } from 'commander';
import { CommanderError } from 'commander';

interface ResetLinkOptions {
  readonly baseUrl?: string;
}

export function registerUserCommand(program: Command): void {
  const user = program.command('user').description('Accounts: help a person back in.');
  user
    .command('reset-link')
    .argument('<email>', 'the email address the person signs in with')
    .description(
      'Make a one-time link to reset a person’s password, for services that cannot send email. Audited in each of their organisations.',
    )
    .option(
      '--base-url <url>',
      'the address people reach the service at (default: PUBLIC_URL, else http://localhost:PORT)',
    )
    .action(async (email: string, options: ResetLinkOptions) => {
      const { loadConfig } = await import('../../config.ts');
      const { createStorage, migrateToLatest, openDatabase } =
        await import('../../storage/index.ts');
      const { AccountService } = await import('../../services/accounts.ts');
      const config = loadConfig();
      let origin: string;
      try {
        origin = new URL(options.baseUrl ?? config.publicUrl ?? `http://localhost:${config.port}`)
          .origin;
      } catch {
        throw new CommanderError(
          1,
          'user.base-url',
          '--base-url must be an address like https://throughline.example.gov.uk',
        );
      }
      const db = openDatabase(config.database);
      try {
        await migrateToLatest(db);
        const accounts = new AccountService(createStorage(db), config);
        const made = await accounts.makePasswordResetLink(
          email.trim(),
          (token) => `${origin}/reset-password/${token}`,
        );
        if (!made)
          throw new Error(
            `No account that can sign in uses ${email.trim()} (unknown, disabled, or in no organisation)`,
          );
        console.log(made.link);
        console.error(
          `Works once, for ${made.minutes} minutes. Give it to the person by a channel you trust.`,
        );
      } finally {
        await db.close();
      }
    });
}
