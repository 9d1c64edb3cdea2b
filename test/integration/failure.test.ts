// When the database goes away: the health check says so (503) and pages show the GOV.UK
// "problem with the service" page rather than a stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestApp, type TestApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/databases.ts';

describe.each(testDatabases)('database failure on $name', (factory) => {
  let t: TestApp;
  let client: Client;
  beforeAll(async () => {
    t = await startTestApp(factory);
    client = new Client(t.app);
    await client.signIn('admin@demo-council.example');
    await t.storage.db.close();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the health check with 503', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unavailable', database: { reachable: false } });
  });

  it('shows the GOV.UK 500 page without internals', async () => {
    const res = await client.get('/organisation');
    expect(res.statusCode).toBe(500);
    expect(res.body).toContain('Sorry, there is a problem with the service');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers the API with a JSON 500', async () => {
    const res = await t.app.inject({
      url: '/api/me',
      headers: { authorization: 'Bearer tl_pat_x' },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ error: 'internal' });
  });
});
