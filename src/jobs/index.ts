// Background jobs: the interface (types.ts), the embedded in-process runner (in-process.ts) and
// the handlers the product knows. `createJobRunner` builds the default runner with every handler;
// a new kind of job adds its handler to `jobHandlers`.
import type { DatabaseConfig, JobQueueConfig } from '../config.ts';
import type { Storage } from '../storage/index.ts';
import type { MailService } from '../services/mail/index.ts';
import { mailRemindersHandler } from './mail-reminders.ts';
import { eventLogImportHandler } from './eventlog-import.ts';
import { themesAnalysisHandler } from './themes-analysis.ts';
import { themesImportHandler } from './themes-import.ts';
import { InProcessJobRunner, type InProcessOptions } from './in-process.ts';
import { PgBossJobQueue } from './pg-boss.ts';
import type { JobHandler, JobQueue } from './types.ts';

export { InProcessJobRunner, type InProcessOptions } from './in-process.ts';
export { PgBossJobQueue, type PgBossOptions } from './pg-boss.ts';
export { runJob, GENERIC_FAILURE, LOST_JOB } from './run.ts';
export { sweepStaleJobs, gaveUpMessage, retryMessage } from './sweeper.ts';
export { JobFailure } from './types.ts';
export type { JobContext, JobHandler, JobLogger, JobQueue, JobRecord, JobStatus } from './types.ts';
export { EVENTLOG_IMPORT, importEventLog, eventLogImportHandler } from './eventlog-import.ts';
export type { ImportPayload, ImportResult } from './eventlog-import.ts';
export { THEMES_ANALYSE, themesAnalysisHandler } from './themes-analysis.ts';
export { THEMES_IMPORT, themesImportHandler, importComments } from './themes-import.ts';
export { MAIL_REMINDERS, mailRemindersHandler } from './mail-reminders.ts';

/** What some handlers need besides storage (reminders need the mail service). */
export interface HandlerServices {
  readonly mail?: MailService;
}

/** Every kind of job the product runs. */
export function jobHandlers(services: HandlerServices = {}): JobHandler[] {
  return [
    eventLogImportHandler as JobHandler,
    themesAnalysisHandler as JobHandler,
    themesImportHandler as JobHandler,
    ...(services.mail ? [mailRemindersHandler(services.mail) as JobHandler] : []),
  ];
}

/** The embedded default: jobs run inside this process, two at a time. */
export function createJobRunner(
  storage: Storage,
  options: InProcessOptions & HandlerServices = {},
): InProcessJobRunner {
  return new InProcessJobRunner(storage, jobHandlers(options), options);
}

/**
 * The queue the configuration asks for: the in-process runner (default), or pg-boss in the
 * product's own PostgreSQL database (`JOB_QUEUE=pg-boss`), running `concurrency` jobs of each
 * kind in this process (0: enqueue only, leaving the work to `npm run worker` processes).
 */
export function createJobQueue(
  storage: Storage,
  config: { readonly jobs: JobQueueConfig; readonly database: DatabaseConfig },
  services: HandlerServices = {},
): JobQueue {
  const { heartbeatMs, staleAfterMs, maxAttempts } = config.jobs;
  if (config.jobs.kind === 'in-process') {
    return createJobRunner(storage, {
      concurrency: config.jobs.concurrency,
      heartbeatMs,
      staleAfterMs,
      maxAttempts,
      ...services,
    });
  }
  if (config.database.kind !== 'postgres') {
    throw new Error('JOB_QUEUE=pg-boss needs DATABASE_URL to be a postgres:// URL');
  }
  return new PgBossJobQueue(storage, jobHandlers(services), {
    connectionString: config.database.url,
    concurrency: config.jobs.concurrency,
    heartbeatMs,
    staleAfterMs,
    maxAttempts,
  });
}
