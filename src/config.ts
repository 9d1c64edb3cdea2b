// Every environment variable the product reads, in one place, validated once at start-up into one typed object.
import path from 'node:path';
import { z } from 'zod';

export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string };

/**
 * Where background jobs run: `in-process` (the embedded default: inside the web process) or
 * `pg-boss` (a PostgreSQL-backed queue, for scale-out: web processes enqueue, and any process
 * with a concurrency above 0 — a web process or `npm run worker` — runs jobs).
 */
export interface JobQueueConfig {
  readonly kind: 'in-process' | 'pg-boss';
  /** Jobs of each kind run at once by this process; 0 with pg-boss means enqueue only. */
  readonly concurrency: number;
  /** How often a running job's heartbeat is written, in ms (JOB_HEARTBEAT_SECONDS, default 5). */
  readonly heartbeatMs: number;
  /**
   * A running job without a heartbeat for this long (ms) lost its process and is tried again
   * (JOB_STALE_SECONDS, default 30; at least three heartbeats).
   */
  readonly staleAfterMs: number;
  /** Tries a job gets when its process keeps dying, then it fails (JOB_MAX_ATTEMPTS, default 3). */
  readonly maxAttempts: number;
}

/** Outgoing email (SMTP), for invitations and reminders. Absent: links are copied by hand. */
export interface MailConfig {
  /** A full SMTP URL (smtp:// or smtps://, with user and password if needed), or host settings. */
  readonly url: string | undefined;
  readonly host: string | undefined;
  readonly port: number;
  /** True: TLS from the start (port 465). False: STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** The From address, e.g. `Throughline <assessments@council.example>`. */
  readonly from: string;
  /** Reminders go this many days before a round's closing date (default 3 and 1). */
  readonly reminderDays: readonly number[];
}

/**
 * What one upload may hold once uncompressed, checked while it is read (a small gzip file can
 * expand to gigabytes): beyond a cap the upload is refused with a message naming it.
 */
export interface UploadLimits {
  /** Bytes an uploaded file may expand to (UPLOAD_MAX_EXPANDED_MB, default 2,048: 2 GB). */
  readonly maxExpandedBytes: number;
  /** Events in one event log (UPLOAD_MAX_EVENTS, default 10,000,000). */
  readonly maxEvents: number;
  /** Comments (rows) in one comments file (UPLOAD_MAX_COMMENTS, default 1,000,000). */
  readonly maxComments: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxExpandedBytes: 2048 * 1024 * 1024,
  maxEvents: 10_000_000,
  maxComments: 1_000_000,
};

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  /** Overrides the cookie-signing secret otherwise generated once and kept in the database. */
  readonly cookieSecret: string | undefined;
  /**
   * The key that encrypts secrets kept in the database (an identity provider's client secret).
   * Unset: a random key made once in DATA_DIR/secrets.key. Machines sharing a database share it.
   */
  readonly secretsKey: string | undefined;
  /** Cookies get the Secure flag (and the __Host- prefix) when the service is reached over HTTPS. */
  readonly secureCookies: boolean;
  readonly sessionHours: number;
  /** Failed sign-ins allowed from one address in a sliding window (shared through the database). */
  readonly signInRateLimit: { readonly max: number; readonly windowMs: number };
  /** Failed sign-ins allowed against one account, from any address, in a sliding window. */
  readonly signInAccountLimit: { readonly max: number; readonly windowMs: number };
  /** A session unused for this long ends (sign in again). */
  readonly sessionIdleMinutes: number;
  /** How long a password-reset link sent by email works. */
  readonly passwordResetMinutes: number;
  /**
   * The address people reach the service at, e.g. `https://throughline.council.example`: links in
   * password-reset emails point here, never at a Host header a caller sent. Unset, such links are
   * made only for requests to localhost (the demo).
   */
  readonly publicUrl: string | undefined;
  readonly demoPassword: string | undefined;
  readonly trustProxy: boolean;
  readonly logLevel: string;
  /** Where generated files (compiled CSS, the default SQLite file) live. */
  readonly dataDir: string;
  readonly jobs: JobQueueConfig;
  /** Undefined when no SMTP server is configured: the product then says links must be copied. */
  readonly mail: MailConfig | undefined;
  readonly uploads: UploadLimits;
  /** How long a stopping process waits for requests in flight before closing them (ms). */
  readonly shutdownGraceMs: number;
}

const DEFAULT_DATA_DIR = path.resolve(process.cwd(), 'data');

/** Reads `sqlite:PATH`, `sqlite::memory:` or `postgres://…`; absent means the default SQLite file. */
export function parseDatabaseUrl(
  value: string | undefined,
  dataDir = DEFAULT_DATA_DIR,
): DatabaseConfig {
  if (value === undefined || value.trim() === '') {
    return { kind: 'sqlite', file: path.join(dataDir, 'throughline.sqlite') };
  }
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file === '')
      throw new Error(
        'DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/throughline.sqlite',
      );
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
  }
  if (value.startsWith('postgres://') || value.startsWith('postgresql://')) {
    return { kind: 'postgres', url: value };
  }
  throw new Error(
    `DATABASE_URL must start with sqlite: or postgres:// (got "${value.split(':')[0] ?? ''}:…")`,
  );
}

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  COOKIE_SECRET: z.string().min(32, 'COOKIE_SECRET must be at least 32 characters').optional(),
  SECRETS_KEY: z.string().min(32, 'SECRETS_KEY must be at least 32 characters').optional(),
  SECURE_COOKIES: boolish.optional(),
  SESSION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  SIGN_IN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  SIGN_IN_RATE_WINDOW_SECONDS: z.coerce.number().int().positive().default(300),
  SIGN_IN_ACCOUNT_LIMIT: z.coerce.number().int().positive().default(10),
  SIGN_IN_ACCOUNT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  PASSWORD_RESET_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an http:// or https:// address' })
    .optional(),
  DEMO_PASSWORD: z.string().min(1).optional(),
  TRUST_PROXY: boolish.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  DATA_DIR: z.string().optional(),
  JOB_QUEUE: z.enum(['in-process', 'pg-boss']).default('in-process'),
  JOB_CONCURRENCY: z.coerce.number().int().min(0).max(32).optional(),
  JOB_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(300).default(5),
  JOB_STALE_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  UPLOAD_MAX_EXPANDED_MB: z.coerce.number().positive().max(1_048_576).optional(),
  UPLOAD_MAX_EVENTS: z.coerce.number().int().min(1).max(1_000_000_000).optional(),
  UPLOAD_MAX_COMMENTS: z.coerce.number().int().min(1).max(100_000_000).optional(),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'SMTP_URL must look like smtp://host:587 or smtps://host:465')
    .optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_SECURE: boolish.optional(),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).max(320).optional(),
  MAIL_REMINDER_DAYS: z
    .string()
    .regex(
      /^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$/,
      'MAIL_REMINDER_DAYS must be whole numbers of days separated by commas, like 3,1',
    )
    .optional(),
});

/** Reads the SMTP settings; undefined when none are set. Throws when they are incomplete. */
function mailConfig(e: z.infer<typeof envSchema>): MailConfig | undefined {
  const url = e.SMTP_URL?.trim() || undefined;
  const host = e.SMTP_HOST?.trim() || undefined;
  if (url === undefined && host === undefined) return undefined;
  if (url !== undefined && host !== undefined)
    throw new Error('Set either SMTP_URL or SMTP_HOST (with SMTP_PORT), not both');
  if (e.MAIL_FROM === undefined)
    throw new Error(
      'MAIL_FROM is required with SMTP settings: the address invitations are sent from, e.g. "Throughline <assessments@council.example>"',
    );
  if ((e.SMTP_USER === undefined) !== (e.SMTP_PASSWORD === undefined))
    throw new Error('Set both SMTP_USER and SMTP_PASSWORD, or neither');
  const reminderDays = [
    ...new Set((e.MAIL_REMINDER_DAYS ?? '3,1').split(',').map((d) => Number(d.trim()))),
  ].sort((a, b) => b - a);
  const secure = e.SMTP_SECURE ?? (url?.startsWith('smtps:') || e.SMTP_PORT === 465);
  return {
    url,
    host,
    port: e.SMTP_PORT ?? (secure ? 465 : 587),
    secure,
    user: e.SMTP_USER,
    password: e.SMTP_PASSWORD,
    from: e.MAIL_FROM,
    reminderDays,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = e.DATA_DIR ? path.resolve(e.DATA_DIR) : DEFAULT_DATA_DIR;
  const production = e.NODE_ENV === 'production';
  if (production && e.DATABASE_URL === undefined) {
    // A production deployment must say where its data lives rather than fall back silently.
    throw new Error('DATABASE_URL is required when NODE_ENV=production');
  }
  const database = parseDatabaseUrl(e.DATABASE_URL, dataDir);
  if (e.JOB_QUEUE === 'pg-boss' && database.kind !== 'postgres') {
    throw new Error(
      'JOB_QUEUE=pg-boss keeps its queue in PostgreSQL: set DATABASE_URL to a postgres:// URL, or use JOB_QUEUE=in-process',
    );
  }
  if (e.JOB_QUEUE === 'in-process' && e.JOB_CONCURRENCY === 0) {
    throw new Error(
      'JOB_CONCURRENCY=0 would leave in-process jobs queued for ever: use at least 1, or JOB_QUEUE=pg-boss with a separate worker',
    );
  }
  if (e.JOB_STALE_SECONDS < 3 * e.JOB_HEARTBEAT_SECONDS) {
    throw new Error(
      `JOB_STALE_SECONDS (${e.JOB_STALE_SECONDS}) must be at least three heartbeats (3 × JOB_HEARTBEAT_SECONDS = ${3 * e.JOB_HEARTBEAT_SECONDS}), or slow jobs would be taken for dead ones`,
    );
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database,
    cookieSecret: e.COOKIE_SECRET,
    secretsKey: e.SECRETS_KEY,
    secureCookies: e.SECURE_COOKIES ?? production,
    sessionHours: e.SESSION_HOURS,
    signInRateLimit: { max: e.SIGN_IN_RATE_LIMIT, windowMs: e.SIGN_IN_RATE_WINDOW_SECONDS * 1000 },
    signInAccountLimit: {
      max: e.SIGN_IN_ACCOUNT_LIMIT,
      windowMs: e.SIGN_IN_ACCOUNT_WINDOW_SECONDS * 1000,
    },
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    passwordResetMinutes: e.PASSWORD_RESET_MINUTES,
    publicUrl: e.PUBLIC_URL === undefined ? undefined : new URL(e.PUBLIC_URL).origin,
    demoPassword: e.DEMO_PASSWORD,
    trustProxy: e.TRUST_PROXY ?? false,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    dataDir,
    jobs: {
      kind: e.JOB_QUEUE,
      concurrency: e.JOB_CONCURRENCY ?? 2,
      heartbeatMs: e.JOB_HEARTBEAT_SECONDS * 1000,
      staleAfterMs: e.JOB_STALE_SECONDS * 1000,
      maxAttempts: e.JOB_MAX_ATTEMPTS,
    },
    mail: mailConfig(e),
    uploads: uploadLimitsOf(e),
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
  };
}

function uploadLimitsOf(e: {
  UPLOAD_MAX_EXPANDED_MB?: number | undefined;
  UPLOAD_MAX_EVENTS?: number | undefined;
  UPLOAD_MAX_COMMENTS?: number | undefined;
}): UploadLimits {
  return {
    maxExpandedBytes:
      e.UPLOAD_MAX_EXPANDED_MB === undefined
        ? DEFAULT_UPLOAD_LIMITS.maxExpandedBytes
        : Math.round(e.UPLOAD_MAX_EXPANDED_MB * 1024 * 1024),
    maxEvents: e.UPLOAD_MAX_EVENTS ?? DEFAULT_UPLOAD_LIMITS.maxEvents,
    maxComments: e.UPLOAD_MAX_COMMENTS ?? DEFAULT_UPLOAD_LIMITS.maxComments,
  };
}

/**
 * Only the upload caps, for commands that read files without the rest of the configuration
 * (`throughline log analyse`): the same variables, the same defaults.
 */
export function loadUploadLimits(env: NodeJS.ProcessEnv = process.env): UploadLimits {
  const parsed = envSchema
    .pick({ UPLOAD_MAX_EXPANDED_MB: true, UPLOAD_MAX_EVENTS: true, UPLOAD_MAX_COMMENTS: true })
    .safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return uploadLimitsOf(parsed.data);
}
