// `npm run worker`: a process that runs background jobs from the pg-boss queue and serves no
// pages, for scale-out (JOB_QUEUE=pg-boss, DATABASE_URL=postgres://…). Web processes enqueue —
// with JOB_CONCURRENCY=0 they only enqueue — and any number of these workers run the jobs; the
// job records in the database show progress on every web process alike.
import { loadConfig } from './config.ts';
import { createJobQueue } from './jobs/index.ts';
import { defaultFramework } from './domain/framework/index.ts';
import { MailService } from './services/mail/index.ts';
import { runMain, stopOnSignals } from './process.ts';
import { createStorage, migrateToLatest, openDatabase } from './storage/index.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.jobs.kind !== 'pg-boss') {
    throw new Error(
      'npm run worker runs jobs from the pg-boss queue: set JOB_QUEUE=pg-boss and DATABASE_URL=postgres://… (with the default in-process queue, npm start runs jobs itself)',
    );
  }
  if (config.jobs.concurrency === 0) {
    throw new Error('A worker with JOB_CONCURRENCY=0 would run nothing: use at least 1');
  }
  const db = openDatabase(config.database);
  await migrateToLatest(db);
  const storage = createStorage(db);
  const mail = MailService.fromConfig(storage, config, defaultFramework);
  const queue = createJobQueue(storage, config, { mail });
  // One JSON object per line, in the web processes' (pino's) shape, so one log pipeline reads
  // both; each job's lines carry its id and the web request that queued it.
  const levels: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };
  const threshold = levels[config.logLevel] ?? (config.logLevel === 'fatal' ? 60 : Infinity);
  const line = (level: number, details: object, msg: string) => {
    if (level < threshold) return;
    const fields: Record<string, unknown> = { ...details };
    const err = fields.err;
    if (err instanceof Error)
      fields.err = { type: err.name, message: err.message, stack: err.stack };
    process.stdout.write(
      `${JSON.stringify({ level, time: Date.now(), pid: process.pid, msg, ...fields })}\n`,
    );
  };
  const log = {
    error: (details: object, message: string) => line(50, details, message),
    info: (details: object, message: string) => line(30, details, message),
  };
  await queue.start(log);
  console.log(
    `Throughline worker running ${config.jobs.concurrency} job(s) of each kind at a time from the pg-boss queue`,
  );
  stopOnSignals(
    (signal) => console.log(`${signal} received: finishing running jobs, then stopping`),
    async () => {
      await queue.stop();
      mail.close();
      await db.close();
    },
  );
}

runMain(main);
