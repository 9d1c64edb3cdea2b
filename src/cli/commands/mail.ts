// `throughline mail reminders`: sends the reminders due today to people invited by email to
// answer an assessment round who have not answered yet, and removes addresses no longer needed —
// the same work as the hourly `mail.reminders` job, for every organisation, run by hand or from
// cron. Reads the same environment as the service (DATABASE_URL, SMTP_URL or SMTP_HOST, MAIL_FROM,
// MAIL_REMINDER_DAYS). Exit code 1 when some reminders could not be sent (tried again next run).
import type { Command } from 'commander';
import { CommanderError } from 'commander';

interface RemindersOptions {
  readonly today?: string;
}

export function registerMailCommand(program: Command): void {
  const mail = program
    .command('mail')
    .description('Invitations by email: send the reminders due before rounds close.');
  mail
    .command('reminders')
    .description(
      'Send today’s reminders to people invited by email who have not answered (set SMTP_URL or SMTP_HOST, MAIL_FROM and DATABASE_URL as for the service).',
    )
    .option('--today <date>', 'act as if today were this date (YYYY-MM-DD), e.g. to test')
    .action(async (options: RemindersOptions) => {
      if (options.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.today))
        throw new CommanderError(1, 'mail.today', '--today must be a date like 2027-03-28');
      const { loadConfig } = await import('../../config.ts');
      const { createStorage, migrateToLatest, openDatabase } =
        await import('../../storage/index.ts');
      const { defaultFramework } = await import('../../domain/framework/index.ts');
      const { MailService } = await import('../../services/mail/index.ts');
      const config = loadConfig();
      if (!config.mail) {
        throw new Error(
          'Email is not set up: set SMTP_URL (or SMTP_HOST and SMTP_PORT) and MAIL_FROM to send reminders',
        );
      }
      const db = openDatabase(config.database);
      const service = MailService.fromConfig(createStorage(db), config, defaultFramework);
      try {
        await migrateToLatest(db);
        const run = await service.sendAllReminders(options.today);
        const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
        console.log(
          `${plural(run.sent, 'reminder', 'reminders')} sent` +
            (run.failed > 0 ? `, ${run.failed} not sent` : '') +
            `; ${plural(run.removed, 'email address', 'email addresses')} no longer needed removed.`,
        );
        for (const error of run.errors) console.error(`Not sent: ${error}`);
        if (run.failed > 0)
          throw new Error(
            `${run.failed} not sent: they will be tried again at the next run once the email server answers`,
          );
      } finally {
        service.close();
        await db.close();
      }
    });
}
