// The results page of a large round under load (issue 3, "Tests and benchmarks"): a closed
// organisation-level round with 200 respondents answering every capability, written straight through
// the storage layer, then `GET /assessments/:id/results` from 50 concurrent connections for about
// 10 s with autocannon. The server runs as `npm start` does, in its own process with
// NODE_ENV=production (templates cached), on a temporary SQLite file and a free loopback port, so
// that the load generator does not share its event loop. Targets: p95 ≤ 50 ms and ≥ 500 requests/s
// on the 2-core development machine. Reports; never fails on a missed target.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.ts';
import type { Level } from '../../src/domain/assessment/index.ts';
import { capabilitiesByScope, defaultFramework } from '../../src/domain/framework/index.ts';
import { seedDemoIfEmpty } from '../../src/seed/demo.ts';
import { createStorage, migrateToLatest, openDatabase } from '../../src/storage/index.ts';

const RESPONDENTS = 200;
const CONNECTIONS = 50;
const SECONDS = 10;
const TARGET_P95_MS = 50;
const TARGET_RPS = 500;
const PASSWORD = 'bench-password-not-secret';
const LEAD = 'lead@demo-council.example';
const GROUPS = [
  'Leadership',
  'Managers',
  'Frontline staff',
  'Digital & data',
  'HR & workforce',
  'Procurement & commercial',
];
const EVIDENCE = [
  'Post-project reviews are written up and shared with the board',
  'Lessons are lost when people leave',
  'The risk register is reviewed monthly',
  'Suppliers set the pace of change',
];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no free port')),
      );
    });
  });
}

/** A deterministic pseudo-random level per respondent and capability, leaning to 3 and 4. */
function levelFor(respondent: number, capability: number): Level | null {
  const x = (respondent * 7919 + capability * 104729) % 100;
  if (x < 4) return null;
  if (x < 12) return 1;
  if (x < 32) return 2;
  if (x < 62) return 3;
  if (x < 88) return 4;
  return 5;
}

/** Migrates and seeds the file, then writes the closed round; returns the round id. */
export async function prepare(file: string, dataDir: string): Promise<string> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${file}`,
    LOG_LEVEL: 'silent',
  });
  const db = openDatabase(config.database);
  try {
    await migrateToLatest(db);
    const storage = createStorage(db);
    await seedDemoIfEmpty(storage, { password: PASSWORD });
    const council = await db.kysely
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Demo Borough Council')
      .executeTakeFirstOrThrow();
    const lead = await db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', LEAD)
      .executeTakeFirstOrThrow();
    const capabilities = capabilitiesByScope(defaultFramework, 'organisation');
    return await storage.transaction(async ({ scope }) => {
      const store = scope(council.id, { userId: lead.id, label: 'Benchmark set-up' }).assessments;
      const roundId = await store.createRound({
        scope: 'organisation',
        title: 'Benchmark round, 200 respondents',
        opensOn: '2027-01-04',
        closesOn: '2027-01-29',
        groups: GROUPS,
        minGroupSize: 3,
        framework: {
          id: defaultFramework.id,
          version: defaultFramework.version,
          document: defaultFramework.document,
        },
      });
      await store.changeStatus(roundId, ['draft'], 'open');
      const round = await store.round(roundId);
      if (!round) throw new Error('benchmark round missing');
      for (let i = 0; i < RESPONDENTS; i++) {
        const group = round.groups[i % round.groups.length];
        if (!group) throw new Error('no group');
        const responseId = await store.createResponse({
          roundId,
          groupId: group.id,
          label: `Respondent ${i + 1}`,
        });
        for (const [c, capability] of capabilities.entries()) {
          const level = levelFor(i, c);
          const seen =
            level === null
              ? []
              : (capability.levels
                  .find((l) => l.level === level)
                  ?.indicators.slice(0, 2)
                  .map((x) => x.id) ?? []);
          await store.saveAnswer(responseId, capability.id, {
            level,
            dontKnow: level === null,
            indicatorsSeen: seen,
            evidence: level === null || i % 3 !== 0 ? '' : (EVIDENCE[i % EVIDENCE.length] ?? ''),
            confidence:
              level === null ? null : ((['low', 'medium', 'high'] as const)[i % 3] ?? null),
          });
        }
        await store.submitResponse(responseId);
      }
      await store.changeStatus(roundId, ['open'], 'closed');
      return roundId;
    });
  } finally {
    await db.close();
  }
}

async function startServer(
  file: string,
  dataDir: string,
): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  let out = '';
  // BENCH_CPU_PROF=DIR writes the server's CPU profile there (open it in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)]
    : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SECURE_COOKIES: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${file}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start in 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, output: () => out };
}

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
}

/** Signs in through the real form and returns the Cookie header of the session. */
async function signIn(url: string): Promise<string> {
  const page = await fetch(`${url}/sign-in`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error('no CSRF token on the sign-in page');
  const res = await fetch(`${url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookiesOf(page).join('; '),
    },
    body: new URLSearchParams({ _csrf: csrf, email: LEAD, password: PASSWORD }).toString(),
  });
  const session = cookiesOf(res).filter((c) => /session/.test(c));
  if (res.status !== 303 || session.length === 0)
    throw new Error(`sign-in failed with ${res.status}`);
  return session.join('; ');
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined where there is none. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    // Fields 14 and 15 of /proc/PID/stat, after the command name in parentheses, in clock ticks.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export const suite = {
  name: 'assessments',
  async run() {
    const dir = mkdtempSync(path.join(tmpdir(), 'throughline-bench-'));
    const file = path.join(dir, 'bench.sqlite');
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      const setUpStart = performance.now();
      const roundId = await prepare(file, dir);
      console.log(
        `set-up: demo seed + closed round of ${RESPONDENTS} respondents × 5 capabilities in ${((performance.now() - setUpStart) / 1000).toFixed(1)} s`,
      );
      server = await startServer(file, dir);
      const cookie = await signIn(server.url);
      const target = `${server.url}/assessments/${roundId}/results`;
      const first = await fetch(target, { headers: { cookie } });
      const body = await first.text();
      if (first.status !== 200 || !body.includes('Benchmark round'))
        throw new Error(`results page answered ${first.status}`);
      if (!body.includes(`${RESPONDENTS} people have sent answers`))
        throw new Error('the results page does not count 200 respondents');
      console.log(`results page: ${(body.length / 1024).toFixed(0)} KiB of HTML`);

      // One client alone first: the time a single request takes when nothing else is waiting.
      const alone: number[] = [];
      for (let i = 0; i < 30; i++) await (await fetch(target, { headers: { cookie } })).text();
      for (let i = 0; i < 200; i++) {
        const start = performance.now();
        await (await fetch(target, { headers: { cookie } })).text();
        alone.push(performance.now() - start);
      }
      alone.sort((a, b) => a - b);
      console.log(
        `one client, 200 requests in turn: p50 ${percentile(alone, 50).toFixed(1)} ms, p95 ${percentile(alone, 95).toFixed(1)} ms`,
      );

      const latencies: number[] = [];
      const cpuBefore = cpuSeconds(server.child.pid);
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: target,
            connections: CONNECTIONS,
            duration: SECONDS,
            headers: { cookie, accept: 'text/html' },
          },
          (error: unknown, outcome: autocannon.Result) =>
            error
              ? reject(error instanceof Error ? error : new Error(String(error)))
              : resolve(outcome),
        );
        instance.on('response', (_client, _status, _bytes, responseTime) => {
          latencies.push(responseTime);
        });
      });
      const cpuAfter = cpuSeconds(server.child.pid);
      latencies.sort((a, b) => a - b);
      const seconds = result.duration;
      const rps = result.requests.total / seconds;
      const p95 = percentile(latencies, 95);
      const failures = result.non2xx + result.errors + result.timeouts;
      console.log(
        `GET /assessments/:id/results, ${CONNECTIONS} connections, ${seconds.toFixed(1)} s: ` +
          `${result.requests.total} requests, ${failures} not 2xx or failed`,
      );
      console.log(
        `  requests/s ${rps.toFixed(0)} (target ≥ ${TARGET_RPS}) ${rps >= TARGET_RPS ? 'met' : 'MISSED'}`,
      );
      console.log(
        `  latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target ≤ ${TARGET_P95_MS} ms) ${p95 <= TARGET_P95_MS ? 'met' : 'MISSED'}, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
      );
      if (cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0) {
        // Independent of other work on the machine: what one request costs the server's one thread.
        const perRequest = ((cpuAfter - cpuBefore) * 1000) / result.requests.total;
        console.log(
          `  server CPU per request ${perRequest.toFixed(2)} ms (one core could serve about ${(1000 / perRequest).toFixed(0)} requests/s); load average ${loadavg()
            .map((l) => l.toFixed(1))
            .join(', ')} on ${availableParallelism()} cores`,
        );
      }
      if (failures > 0) console.log('  some requests failed: the figures above are not valid');
    } finally {
      if (server) {
        const child = server.child;
        await new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
        });
      }
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
