// Background jobs: the interface (types.ts), the embedded in-process runner (in-process.ts) and
// the handlers the product knows. `createJobRunner` builds the default runner with every handler;
// a new kind of job (the themes feature's analysis, say) adds its handler to `jobHandlers`.
import type { Storage } from '../storage/index.ts';
import { eventLogImportHandler } from './eventlog-import.ts';
import { themesAnalysisHandler } from './themes-analysis.ts';
import { InProcessJobRunner, type InProcessOptions } from './in-process.ts';
import type { JobHandler } from './types.ts';

export { InProcessJobRunner, type InProcessOptions } from './in-process.ts';
export { PgBossJobQueue, type PgBossOptions } from './pg-boss.ts';
export { runJob, GENERIC_FAILURE } from './run.ts';
export { JobFailure } from './types.ts';
export type { JobContext, JobHandler, JobLogger, JobQueue, JobRecord, JobStatus } from './types.ts';
export { EVENTLOG_IMPORT, importEventLog, eventLogImportHandler } from './eventlog-import.ts';
export type { ImportPayload, ImportResult } from './eventlog-import.ts';
export { THEMES_ANALYSE, themesAnalysisHandler } from './themes-analysis.ts';

/** Every kind of job the product runs. */
export function jobHandlers(): JobHandler[] {
  return [eventLogImportHandler as JobHandler, themesAnalysisHandler as JobHandler];
}

/** The embedded default: jobs run inside this process, two at a time. */
export function createJobRunner(
  storage: Storage,
  options: InProcessOptions = {},
): InProcessJobRunner {
  return new InProcessJobRunner(storage, jobHandlers(), options);
}
