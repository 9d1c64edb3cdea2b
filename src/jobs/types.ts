// The background-job interface. Long work (importing an event log, finding themes in thousands of
// comments) runs as a job: a named kind with a JSON payload, owned by one organisation, moving
// queued → running → succeeded | failed, with progress from 0 to 1 and a message. The record lives
// in the database (storage/repositories/jobs.ts), so a page reload — on any web process — shows
// where a job has got to. A handler does the work; a queue decides where and when it runs.
//
// Two queues fit this interface: `InProcessJobRunner` (in-process.ts), the embedded default, runs
// jobs inside the web process with bounded concurrency; a PostgreSQL-backed queue (pg-boss 10.x)
// for scale-out would write the same job record in `enqueue`, `send` the job id to pg-boss, and in
// its `work` callback call the same `runJob` (run.ts) — so handlers never know which queue ran them.
import type { OrgScope } from '../storage/index.ts';

export type { JobRecord, JobStatus } from '../storage/index.ts';

/** Where a queue reports unexpected errors (a pino or Fastify logger fits). */
export interface JobLogger {
  error(details: object, message: string): void;
  /** Each job's start and end, with the id of the web request that queued it (`requestId`). */
  info?(details: object, message: string): void;
}

/** What a handler is given while it runs. */
export interface JobContext {
  readonly jobId: string;
  /**
   * Which try this is (1 the first). A later try follows a runner that died mid-job: the handler
   * must cope with what an interrupted try left (each handler's work is written so that it can).
   */
  readonly attempt: number;
  /** The job's organisation, acting as the person who queued it (audit entries name them). */
  readonly scope: OrgScope;
  /** Aborted when the runner stops; long loops check it and give up. */
  readonly signal: AbortSignal;
  /** Reports progress (0–1) and what is happening, in plain words. Cheap: writes are throttled. */
  progress(fraction: number, message: string): void;
}

/** The work of one kind of job. */
export interface JobHandler<P = unknown, R = unknown> {
  /** A stable name, e.g. `eventlog.import`; stored with each job. */
  readonly kind: string;
  /** Checks a payload read back from the database (it is JSON). Throw to fail the job. */
  parse(payload: unknown): P;
  run(payload: P, context: JobContext): Promise<R>;
  /** The message shown once the job has succeeded. */
  doneMessage?(result: R): string;
}

/** A failure whose message is meant for the person who queued the job (shown as it is). */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
}

/** Where jobs are queued and run. */
export interface JobQueue {
  /**
   * Records a queued job of this kind for the scope's organisation (with an audit entry) and
   * makes sure a worker will pick it up. Returns the job's id.
   */
  enqueue(scope: OrgScope, kind: string, payload: unknown): Promise<string>;
  /**
   * Starts taking jobs (and puts back in the queue jobs whose process died while running them).
   * Unexpected errors are written to `log` (the web app passes its logger).
   */
  start(log?: JobLogger): Promise<void>;
  /**
   * Stops taking jobs and hands running ones back (they are asked to stop and are waited for), but
   * still accepts new ones: while a web process closes, a request in flight may queue work, which
   * another process (or this one's next start) runs. `stop` pauses first.
   */
  pause(): Promise<void>;
  /** Stops taking jobs and accepting them; running ones are asked to stop and are waited for. */
  stop(): Promise<void>;
  /** Whether the queue takes and hands out jobs now, for the readiness probe (`/readyz`). */
  readiness(): Promise<QueueReadiness>;
}

export interface QueueReadiness {
  readonly ready: boolean;
  /** What was found, in words for the engineer reading the probe. */
  readonly detail: string;
}
