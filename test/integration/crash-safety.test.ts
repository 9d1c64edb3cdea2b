// Crash safety (issue 16, point 5): what the service has acknowledged survives `kill -9`, on both
// databases. A real web process (src/main.ts, a child) takes a burst of respondents answering and
// sending their responses through their links, 20 at a time; part-way through it is killed with
// SIGKILL while requests are in flight. Every answer it acknowledged (303) is in the database with
// its level, every response it acknowledged as sent is "submitted", and nothing it never saw is
// there. Started again on the same database, it serves the round, and an event log import it
// reports finished is kept whole when it is killed at once after.
// Deterministic: it asserts what is stored, never how fast; the kill lands wherever it lands.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../src/seed/demo.ts';
import { createStorage, migrateToLatest, openDatabase } from '../../src/storage/index.ts';
import { testDatabases, type TestDatabase } from '../helpers/databases.ts';
import { generatedLog, queueImport } from '../helpers/imports.ts';
import { startWeb, waitFor, type ChildService } from '../helpers/processes.ts';
import { CAPABILITIES, openRoundWithLinks, Respondent } from '../helpers/respondents.ts';

const ports = { sqlite: 3266, postgres: 3267 } as const;

describe.each(testDatabases)('acknowledged writes survive kill -9 ($name)', (factory) => {
  let database: TestDatabase;
  let dir: string;
  let web: ChildService | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await factory.create();
    dir = mkdtempSync(path.join(tmpdir(), 'throughline-crash-safety-'));
    const config = database.config;
    env = {
      DATABASE_URL: config.kind === 'sqlite' ? `sqlite:${config.file}` : config.url,
      DATA_DIR: dir,
    };
  }, 60_000);

  afterAll(async () => {
    await web?.crash();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('keeps every acknowledged answer and sent response, and an import reported finished', async () => {
    const setUp = openDatabase(database.config);
    await migrateToLatest(setUp);
    const storage = createStorage(setUp);
    await seedDemoIfEmpty(storage, { password: 'correct-horse-battery-staple' });
    const links = await openRoundWithLinks(storage, 'Crash burst', 40);

    web = await startWeb(ports[factory.name], env);
    const url = `http://127.0.0.1:${ports[factory.name]}`;

    // Each respondent answers every capability, then sends the response.
    type Step = { respondent: Respondent; capability: string | null; level: number };
    const steps: Step[][] = links.map(({ token, responseId }, r) => {
      const respondent = new Respondent(`${url}/respond/${token}`, responseId);
      return [
        ...CAPABILITIES.map((capability, c) => ({
          respondent,
          capability,
          level: ((r + c) % 5) + 1,
        })),
        { respondent, capability: null, level: 0 },
      ];
    });
    const answered = new Map<string, number>();
    const sent = new Set<string>();
    const attempted = new Set<string>();
    /** Respondents with at least one answer acknowledged. */
    const begun = new Set<string>();
    let killed: Promise<void> | undefined;
    let next = 0;
    const lane = async () => {
      for (;;) {
        const respondentSteps = steps[next++];
        if (respondentSteps === undefined || killed !== undefined) return;
        for (const step of respondentSteps) {
          const id = step.respondent.responseId;
          let ok = false;
          try {
            attempted.add(id);
            ok =
              step.capability === null
                ? await step.respondent.submit()
                : await step.respondent.answer(step.capability, step.level);
          } catch {
            return; // the connection died with the process
          }
          if (!ok) return;
          if (step.capability === null) sent.add(id);
          else {
            answered.set(`${id}/${step.capability}`, step.level);
            begun.add(id);
          }
          // Once some responses are sent and others half answered, the process is killed while
          // the other lanes are mid-request.
          // "Half answered" counts respondents with a capability still to answer, so their send
          // cannot be in flight when the process dies.
          const halfAnswered = [...begun].filter(
            (r) => !sent.has(r) && CAPABILITIES.some((c) => !answered.has(`${r}/${c}`)),
          ).length;
          if (killed === undefined && sent.size >= 5 && halfAnswered >= 5)
            killed = (web as ChildService).crash();
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, lane));
    await killed;
    expect(killed, 'the burst ended before the process was killed').toBeDefined();
    expect(sent.size).toBeGreaterThanOrEqual(5);
    expect([...begun].filter((r) => !sent.has(r)).length).toBeGreaterThanOrEqual(5);

    const responseIds = links.map((l) => l.responseId);
    const rows = await setUp.kysely
      .selectFrom('answers')
      .select(['response_id', 'capability_id', 'level'])
      .where('response_id', 'in', responseIds)
      .execute();
    const stored = new Map(rows.map((r) => [`${r.response_id}/${r.capability_id}`, r.level]));
    const lost = [...answered].filter(([key, level]) => stored.get(key) !== level);
    expect(lost).toEqual([]);
    // Nothing stored for a respondent who never got a request in.
    const untouched = responseIds.filter((id) => !attempted.has(id));
    expect(rows.filter((r) => untouched.includes(r.response_id))).toEqual([]);
    const statuses = await setUp.kysely
      .selectFrom('responses')
      .select(['id', 'status'])
      .where('id', 'in', [...sent])
      .execute();
    expect(statuses.filter((s) => s.status !== 'submitted')).toEqual([]);
    expect(statuses).toHaveLength(sent.size);

    // Started again on the same database: the round is served, a kept answer shown where it was.
    web = await startWeb(ports[factory.name], env);
    // A respondent still answering when the process died: a sent response shows no questions. The
    // database decides, not `sent`: a send in flight at the kill may have committed unacknowledged.
    const stillOpen = new Set(
      (
        await setUp.kysely
          .selectFrom('responses')
          .select(['id', 'status'])
          .where('id', 'in', responseIds)
          .execute()
      )
        .filter((r) => r.status !== 'submitted')
        .map((r) => r.id),
    );
    const [firstKey, firstLevel] =
      [...answered].find(([key]) => stillOpen.has(key.slice(0, key.indexOf('/')))) ?? [];
    const first = links.find((l) => firstKey?.startsWith(`${l.responseId}/`));
    if (!first || !firstKey || firstLevel === undefined) throw new Error('no answer acknowledged');
    const capability = firstKey.slice(first.responseId.length + 1);
    const page = await fetch(`${url}/respond/${first.token}/${capability}`);
    const html = await page.text();
    expect(page.status, html.slice(0, 500)).toBe(200);
    expect(html).toMatch(new RegExp(`value="${firstLevel}"[^>]*checked`));

    // An import the service reports finished is kept whole when it is killed straight after.
    const council = await setUp.kysely
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Demo Borough Council')
      .executeTakeFirstOrThrow();
    const scope = storage.scope(council.id, { userId: null, label: 'Crash test' });
    const jobId = await queueImport(scope, generatedLog(40_000), 'Kept through a crash', 1);
    await waitFor(
      'the import to finish',
      () => scope.jobs.get(jobId),
      (j) => j?.status === 'succeeded' || j?.status === 'failed',
    );
    await web.crash();
    web = undefined;
    expect(await scope.jobs.get(jobId)).toMatchObject({ status: 'succeeded' });
    const log = (await scope.logs.list()).find((l) => l.name === 'Kept through a crash');
    expect(log).toMatchObject({ events: 40_000, cases: 10_000, activities: 4 });
    await setUp.close();
  }, 300_000);
});
