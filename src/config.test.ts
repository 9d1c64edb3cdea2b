import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadConfig, parseDatabaseUrl } from './config.ts';

describe('parseDatabaseUrl', () => {
  it('defaults to the SQLite file under the data folder', () => {
    expect(parseDatabaseUrl(undefined, '/srv/tl')).toEqual({
      kind: 'sqlite',
      file: path.join('/srv/tl', 'throughline.sqlite'),
    });
    expect(parseDatabaseUrl('  ', '/srv/tl').kind).toBe('sqlite');
  });
  it('reads sqlite: and postgres:// URLs', () => {
    expect(parseDatabaseUrl('sqlite:/tmp/x.sqlite')).toEqual({
      kind: 'sqlite',
      file: '/tmp/x.sqlite',
    });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(parseDatabaseUrl('postgres://u:p@h:5432/db')).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@h:5432/db',
    });
    expect(parseDatabaseUrl('postgresql://h/db').kind).toBe('postgres');
  });
  it('refuses anything else with a message that says what is expected', () => {
    expect(() => parseDatabaseUrl('mysql://h/db')).toThrow(
      /must start with sqlite: or postgres:\/\//,
    );
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/needs a file path/);
  });
});

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.secureCookies).toBe(false);
    expect(config.signInRateLimit).toEqual({ max: 10, windowMs: 300_000 });
  });
  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', COOKIE_SECRET: 'short' })).toThrow(
      /PORT[\s\S]*COOKIE_SECRET: COOKIE_SECRET must be at least 32 characters/,
    );
  });
  it('insists on an explicit database and secure cookies in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL is required/);
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://h/db' });
    expect(config.secureCookies).toBe(true);
    expect(
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'sqlite:/x', SECURE_COOKIES: 'false' })
        .secureCookies,
    ).toBe(false);
  });
  it('runs jobs in-process by default, and on pg-boss only with PostgreSQL', () => {
    const timing = { heartbeatMs: 5000, staleAfterMs: 30_000, maxAttempts: 3 };
    expect(loadConfig({}).jobs).toEqual({ kind: 'in-process', concurrency: 2, ...timing });
    expect(
      loadConfig({ JOB_QUEUE: 'pg-boss', DATABASE_URL: 'postgres://h/db', JOB_CONCURRENCY: '0' })
        .jobs,
    ).toEqual({ kind: 'pg-boss', concurrency: 0, ...timing });
    expect(() => loadConfig({ JOB_QUEUE: 'pg-boss' })).toThrow(
      /JOB_QUEUE=pg-boss keeps its queue in PostgreSQL/,
    );
    expect(() => loadConfig({ JOB_CONCURRENCY: '0' })).toThrow(
      /would leave in-process jobs queued/,
    );
    expect(() => loadConfig({ JOB_QUEUE: 'redis' })).toThrow(/JOB_QUEUE/);
  });
  it('reads how jobs whose process died are noticed and tried again', () => {
    expect(
      loadConfig({ JOB_HEARTBEAT_SECONDS: '1', JOB_STALE_SECONDS: '5', JOB_MAX_ATTEMPTS: '2' })
        .jobs,
    ).toMatchObject({ heartbeatMs: 1000, staleAfterMs: 5000, maxAttempts: 2 });
    expect(() => loadConfig({ JOB_HEARTBEAT_SECONDS: '5', JOB_STALE_SECONDS: '10' })).toThrow(
      /JOB_STALE_SECONDS \(10\) must be at least three heartbeats/,
    );
    expect(() => loadConfig({ JOB_MAX_ATTEMPTS: '0' })).toThrow(/JOB_MAX_ATTEMPTS/);
  });
});
