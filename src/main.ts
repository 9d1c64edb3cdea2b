// `npm start`: read the configuration, open and migrate the database, seed the demo into an empty
// one, and serve the web application until told to stop.
import { loadConfig } from './config.ts';
import { defaultFramework } from './domain/framework/index.ts';
import { AccountService } from './services/accounts.ts';
import { FrameworkRegistry } from './services/frameworks.ts';
import { createStorage, migrateToLatest, openDatabase } from './storage/index.ts';
import { DEMO_ACCOUNTS, seedDemoIfEmpty } from './seed/demo.ts';
import { buildApp } from './web/app.ts';
import { createJobQueue } from './jobs/index.ts';
import { MailService } from './services/mail/index.ts';
import { startReminderSchedule } from './services/mail/schedule.ts';
import { runMain, stopOnSignals } from './process.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = openDatabase(config.database);
  const applied = await migrateToLatest(db);
  const storage = createStorage(db);
  const seed = await seedDemoIfEmpty(storage, { password: config.demoPassword });
  const accounts = new AccountService(storage, config);
  const mail = MailService.fromConfig(storage, config, defaultFramework);
  const jobs = createJobQueue(storage, config, { mail });
  const app = await buildApp({
    config,
    storage,
    accounts,
    framework: defaultFramework,
    frameworks: new FrameworkRegistry(defaultFramework),
    jobs,
    mail,
  });

  const address = await app.listen({ port: config.port, host: config.host });
  const where =
    config.database.kind === 'sqlite' ? `SQLite at ${config.database.file}` : 'PostgreSQL';
  const lines = [
    '',
    `Throughline is running at ${address.replace('127.0.0.1', 'localhost')}`,
    `Database: ${where}${applied.length ? ` (applied migrations: ${applied.join(', ')})` : ''}`,
    `Email: ${config.mail ? `invitations and reminders sent through ${config.mail.url ? 'SMTP_URL' : `${config.mail.host}:${config.mail.port}`}` : 'not set up (SMTP_URL or SMTP_HOST): invitation links are copied by hand'}`,
    `Background jobs: ${config.jobs.kind === 'in-process' ? 'in this process' : `pg-boss queue in PostgreSQL${config.jobs.concurrency === 0 ? ' (run by worker processes: npm run worker)' : ''}`}`,
  ];
  if (seed.seeded) {
    lines.push(
      '',
      'Demo organisations created. Sign in with:',
      ...DEMO_ACCOUNTS.filter((a) => a.role === 'admin').map((a) => `  ${a.email}`),
      `  password: ${seed.passwordFromEnvironment ? '(the value of DEMO_PASSWORD)' : seed.password}`,
      'Other demo people (same password): ' +
        DEMO_ACCOUNTS.filter((a) => a.role !== 'admin')
          .map((a) => `${a.email} (${a.role})`)
          .join(', '),
      'The password is shown only now. Set DEMO_PASSWORD to choose it.',
    );
  }
  console.log(lines.join('\n') + '\n');

  // Expired sessions are swept hourly; a crashed sweep must not stop the service.
  const sweep = setInterval(() => {
    accounts.pruneSessions().catch((error: unknown) => app.log.warn(error, 'session sweep failed'));
  }, 3_600_000);
  sweep.unref();
  // Reminders by email before a round closes go through the job runner, queued hourly.
  const reminders = startReminderSchedule({ storage, mail, queue: jobs, log: app.log });

  stopOnSignals(
    (signal) => app.log.info(`${signal} received: finishing requests in flight, then stopping`),
    async () => {
      clearInterval(sweep);
      reminders.stop();
      // No new connections; requests in flight finish (new ones on open connections get 503),
      // running jobs go back in the queue (the app's onClose stops the runner). Requests still
      // open after the grace period are cut, so a stop never hangs.
      const grace = setTimeout(() => {
        app.log.warn(
          `requests still open after ${config.shutdownGraceMs / 1000} s (SHUTDOWN_GRACE_SECONDS): closing them`,
        );
        app.server.closeAllConnections();
      }, config.shutdownGraceMs);
      grace.unref();
      await app.close();
      clearTimeout(grace);
      mail.close();
      await db.close();
    },
  );
}

runMain(main);
