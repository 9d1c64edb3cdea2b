// Builds the real application on a fresh, migrated, demo-seeded database for integration tests,
// and a small cookie-keeping client that signs in through the real forms.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { defaultFramework } from '../../src/domain/framework/index.ts';
import { AccountService } from '../../src/services/accounts.ts';
import { API_AREAS } from '../../src/services/tokens.ts';
import { FrameworkRegistry } from '../../src/services/frameworks.ts';
import {
  createStorage,
  migrateToLatest,
  openDatabase,
  type OrgScope,
  type Storage,
} from '../../src/storage/index.ts';
import { seedDemoIfEmpty } from '../../src/seed/demo.ts';
import { buildApp } from '../../src/web/app.ts';
import { createJobRunner, type InProcessJobRunner } from '../../src/jobs/index.ts';
import type { TestDatabase, TestDatabaseFactory } from './databases.ts';

export const DEMO_PASSWORD = 'correct-horse-battery-staple';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly storage: Storage;
  readonly config: Config;
  /** The accounts service the app was built with (`await t.accounts.whenIdle()` waits for reset emails). */
  readonly accounts: AccountService;
  /** The in-process job runner: `await t.jobs.idle()` waits for queued jobs to finish. */
  readonly jobs: InProcessJobRunner;
  /** The application's log lines at warning level and above, as JSON. */
  readonly warnings: readonly string[];
  close(): Promise<void>;
}

export async function startTestApp(
  factory: TestDatabaseFactory,
  env: Record<string, string> = {},
  /** `seed: false` leaves the database empty (a new instance, for imports). */
  options: { readonly seed?: boolean } = {},
): Promise<TestApp> {
  const database: TestDatabase = await factory.create();
  const config: Config = {
    // Warnings are kept, not printed: a handler that sends a second reply is a defect at its cause.
    ...loadConfig({ NODE_ENV: 'test', DATA_DIR: 'data', LOG_LEVEL: 'warn', ...env }),
    database: database.config,
  };
  const db = openDatabase(config.database);
  await migrateToLatest(db);
  const storage = createStorage(db);
  if (options.seed !== false) await seedDemoIfEmpty(storage, { password: DEMO_PASSWORD });
  const accounts = new AccountService(storage, config);
  const jobs = createJobRunner(storage, { pollMs: 200, uploads: config.uploads });
  const warnings: string[] = [];
  const app = await buildApp({
    logStream: { write: (line) => void warnings.push(line) },
    config,
    storage,
    accounts,
    framework: defaultFramework,
    frameworks: new FrameworkRegistry(defaultFramework),
    jobs,
    // Tests of the upload limit set a small one (any other variable is ignored by loadConfig).
    ...(env.EVENT_LOG_UPLOAD_LIMIT_BYTES === undefined
      ? {}
      : { eventLogUploadLimitBytes: Number(env.EVENT_LOG_UPLOAD_LIMIT_BYTES) }),
    ...(env.COMMENT_UPLOAD_LIMIT_BYTES === undefined
      ? {}
      : { commentUploadLimitBytes: Number(env.COMMENT_UPLOAD_LIMIT_BYTES) }),
  });
  await app.ready();
  return {
    app,
    storage,
    config,
    accounts,
    jobs,
    warnings,
    async close() {
      await app.close();
      // A test may already have closed the database on purpose.
      await db.close().catch(() => undefined);
      await database.drop();
      const twice = warnings.filter((line) => line.includes('FST_ERR_REP_ALREADY_SENT'));
      if (twice.length > 0) {
        throw new Error(
          `A handler sent a second reply (Fastify's "Reply was already sent"): ${twice
            .map((line) => (JSON.parse(line) as { msg?: string }).msg ?? line)
            .join('; ')}`,
        );
      }
    },
  };
}

/** A browser-like client over fastify.inject: keeps cookies and reads CSRF tokens from forms. */
export class Client {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly app: FastifyInstance) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private remember(response: LightMyRequestResponse) {
    for (const c of response.cookies) {
      const expires = c.expires instanceof Date ? c.expires.getTime() : undefined;
      if (c.value === '' || (expires !== undefined && expires < Date.now()) || c.maxAge === 0) {
        this.cookies.delete(c.name);
      } else {
        this.cookies.set(c.name, c.value);
      }
    }
  }

  /** Cookies as a browser sends them back: light-my-request gives decoded values, so encode again. */
  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}) {
    const response = await this.app.inject({
      method: 'GET',
      url,
      headers: { cookie: this.cookieHeader(), accept: 'text/html', ...headers },
    });
    this.remember(response);
    return response;
  }

  async post(
    url: string,
    form: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: this.cookieHeader(),
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      payload: body.toString(),
    });
    this.remember(response);
    return response;
  }

  /** Loads a page and submits its form, with the page's own CSRF token. */
  async submit(pageUrl: string, actionUrl: string, form: Record<string, string | string[]>) {
    const page = await this.get(pageUrl);
    return this.post(actionUrl, { _csrf: csrfTokenFrom(page.body), ...form });
  }

  async signIn(email: string, password = DEMO_PASSWORD) {
    return this.submit('/sign-in', '/sign-in', { email, password });
  }
}

export function csrfTokenFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('No CSRF token in the page');
  return match[1];
}

/** Decodes the HTML entities Nunjucks writes, so assertions read like the page. */
export function text(html: string): string {
  return html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** An organisation's storage scope by its slug (the demo's are `demo-borough-council` and others). */
export async function scopeOf(t: TestApp, slug: string): Promise<OrgScope> {
  const org = (await t.storage.db.kysely.selectFrom('organisations').selectAll().execute()).find(
    (o) => o.slug === slug,
  );
  if (!org) throw new Error(`${slug} missing`);
  return t.storage.scope(org.id, { userId: null, label: 'test' });
}

/** The token form's fields for a token that may read and change every area, for 90 days. */
export const FULL_TOKEN_FORM: Readonly<Record<string, string | string[]>> = {
  write: [...API_AREAS],
  expiry: '90',
};

/** Signs in as `email` (an admin) and creates a personal API token named `name`; returns it. */
export async function apiTokenFor(t: TestApp, email: string, name: string): Promise<string> {
  const client = new Client(t.app);
  await client.signIn(email);
  const created = await client.submit('/organisation/api-tokens', '/organisation/api-tokens', {
    name,
    ...FULL_TOKEN_FORM,
  });
  return /id="api-token">(tl_pat_[A-Za-z0-9_-]+)</.exec(created.body)?.[1] ?? '';
}
