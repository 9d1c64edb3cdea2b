// Background jobs: the interface (types.ts), the embedded in-process runner (in-process.ts) and
// the handlers the product knows. `createJobRunner` builds the default runner with every handler;
// a new kind of job adds its handler to `jobHandlers`.
import type { DatabaseConfig, JobQueueConfig } from '../config.ts';
import type { Storage } from '../storage/index.ts';
import type { MailService } from '../services/mail/index.ts';
import { mailRemindersHandler } from './mail-reminders.ts';
import { chainSimulateHandler } from './chain-simulate.ts';
import { eventLogImport } from './eventlog-import.ts';
import type { UploadLimits } from '../config.ts';
import { themesAnalysisHandler } from './themes-analysis.ts';
import { themesImport } from './themes-import.ts';
import { InProcessJobRunner, type InProcessOptions } from './in-process.ts';
import { PgBossJobQueue } from './pg-boss.ts';
import type { JobHandler, JobQueue } from './types.ts';

export { InProcessJobRunner, type InProcessOptions } from './in-process.ts';
export { PgBossJobQueue, type PgBossOptions } from './pg-boss.ts';
export { runJob, GENERIC_FAILURE, LOST_JOB } from './run.ts';
export { sweepStaleJobs, gaveUpMessage, retryMessage } from './sweeper.ts';
export { JobFailure } from './types.ts';
export type { JobContext, JobHandler, JobLogger, JobQueue, JobRecord, JobStatus } from './types.ts';
export {
  EVENTLOG_IMPORT,
  importEventLog,
  eventLogImport,
  eventLogImportHandler,
} from './eventlog-import.ts';
export type { ImportPayload, ImportResult } from './eventlog-import.ts';
export { THEMES_ANALYSE, themesAnalysisHandler } from './themes-analysis.ts';
export {
  THEMES_IMPORT,
  themesImport,
  themesImportHandler,
  importComments,
} from './themes-import.ts';
export { MAIL_REMINDERS, mailRemindersHandler } from './mail-reminders.ts';
export { CHAINS_SIMULATE, chainSimulateHandler } from './chain-simulate.ts';

/** What some handlers need besides storage (reminders need the mail service). */
export interface HandlerServices {
  readonly mail?: MailService;
  /** The caps of one upload (config.uploads); none when left out. */
  readonly uploads?: UploadLimits;
}

/** Every kind of job the product runs. */
export function jobHandlers(services: HandlerServices = {}): JobHandler[] {
  return [
    eventLogImport(
      services.uploads === undefined
        ? {}
        : { maxBytes: services.uploads.maxExpandedBytes, maxEvents: services.uploads.maxEvents },
    ) as JobHandler,
    themesAnalysisHandler as JobHandler,
    chainSimulateHandler as JobHandler,
    themesImport(services.uploads?.maxComments) as JobHandler,
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
  config: {
    readonly jobs: JobQueueConfig;
    readonly database: DatabaseConfig;
    readonly uploads?: UploadLimits;
  },
  services: HandlerServices = {},
): JobQueue {
  if (services.uploads === undefined && config.uploads !== undefined)
    services = { ...services, uploads: config.uploads };
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
