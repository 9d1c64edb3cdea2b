// Load (issue 16, point 4): many respondents at once, each answering through their own
// single-use link of an open round, against real web processes (src/main.ts as children,
// NODE_ENV=production, loopback only):
//   (a) one process on SQLite (the embedded default);
//   (b) two processes on PostgreSQL (BENCH_POSTGRES_URL or TEST_POSTGRES_URL; a fresh database
//       made and dropped by the bench; jobs on pg-boss, run by no worker here), the respondents
//       shared between the two ports as a load balancer would.
// Each respondent opens its first question once (for its CSRF cookie and token, as a browser
// does), then — measured — saves an answer to every capability and sends the response: POSTs
// that must each be acknowledged with 303. 500 connections (BENCH_LOAD_CONNECTIONS), one
// respondent at a time each, for BENCH_LOAD_SECONDS (default 20): first flat out (the throughput),
// then paced at the target of 500 requests a second (the latency a respondent sees at that rate —
// flat out, with 500 requests always waiting, latency is just concurrency ÷ throughput, by Little's
// law, whatever the server does). Then a delivery chain page,
// signed in, uncached, from 200 connections for 10 s. Afterwards the database is read: every
// acknowledged answer and sent response must be there.
// Targets (reported, never failing the run): ≥ 500 submissions/s and p95 ≤ 100 ms on SQLite with
// one process; zero errors everywhere; the chain page ≥ 500 requests/s.
// BENCH_CPU_PROF=DIR writes each server's CPU profile there (summarise it with
// `node --import tsx bench/cpuprofile.ts DIR/*.cpuprofile`). BENCH_LOAD_JSON=FILE writes the
// figures as JSON.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.ts';
import { seedDemoIfEmpty } from '../../src/seed/demo.ts';
import { createStorage, migrateToLatest, openDatabase } from '../../src/storage/index.ts';
import { CAPABILITIES, openRoundWithLinks } from '../../test/helpers/respondents.ts';

const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 500);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const CHAIN_CONNECTIONS = 200;
const CHAIN_SECONDS = 10;
/**
 * Respondents for the flat-out burst: enough for 2,000 requests a second (a quiet machine reached
 * about 1,400 on SQLite); the burst stops early if they run out.
 */
const RESPONDENTS = Number(
  process.env.BENCH_LOAD_RESPONDENTS ??
    Math.max(CONNECTIONS * 2, Math.ceil((2000 * SECONDS) / (CAPABILITIES.length + 1))),
);

/** BENCH_LOAD_DATABASES=sqlite (or postgres) runs one scenario only, e.g. while profiling. */
const DATABASES = (process.env.BENCH_LOAD_DATABASES ?? 'sqlite,postgres').split(',');
const TARGET_SUBMISSIONS = 500;
const TARGET_P95_MS = 100;
/** Respondents for the burst paced at the target rate, with a margin. */
const PACED_RESPONDENTS = Math.max(
  CONNECTIONS * 2,
  Math.ceil((1.2 * TARGET_SUBMISSIONS * SECONDS) / (CAPABILITIES.length + 1)),
);
const TARGET_CHAIN_RPS = 500;
const PASSWORD = 'bench-password-not-secret';
const LEAD = 'lead@demo-council.example';
const root = fileURLToPath(new URL('../..', import.meta.url));

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

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
}

async function startServer(
  name: string,
  database: DatabaseConfig,
  dataDir: string,
  extra: Record<string, string>,
): Promise<Server> {
  const port = await freePort();
  let out = '';
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
      DATABASE_URL: database.kind === 'sqlite' ? `sqlite:${database.file}` : database.url,
      DATA_DIR: dataDir,
      DEMO_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server ${name} exited early:\n${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server ${name} did not start in 90 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, output: () => out };
}

/** SIGTERM (so a CPU profile is written), then SIGKILL after 15 s. */
async function stopServer(server: Server): Promise<void> {
  const child = server.child;
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}

const cookiesOf = (res: Response): string[] =>
  res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
const tokenOf = (html: string): string | undefined =>
  /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

/** A respondent ready to answer: its link, its CSRF cookie and the form's token. */
interface Ready {
  readonly token: string;
  readonly responseId: string;
  readonly cookie: string;
  readonly csrf: string;
}

/** Opens each respondent's first question (as their browser would), `lanes` at a time. */
async function openLinks(
  urls: readonly string[],
  links: readonly { token: string; responseId: string }[],
  lanes: number,
): Promise<Ready[]> {
  const ready: Ready[] = [];
  let next = 0;
  const lane = async () => {
    for (;;) {
      const i = next++;
      const link = links[i];
      if (link === undefined) return;
      const base = urls[i % urls.length] ?? '';
      const page = await fetch(`${base}/respond/${link.token}/${CAPABILITIES[0] ?? ''}`);
      const csrf = tokenOf(await page.text());
      if (page.status !== 200 || csrf === undefined)
        throw new Error(`a respondent's first question answered ${page.status}`);
      ready[i] = { ...link, cookie: cookiesOf(page).join('; '), csrf };
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return ready;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

interface Figures {
  readonly scenario: string;
  readonly seconds: number;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** Answers that were not the expected status (303 for a save or send, 200 for a page). */
  readonly wrongStatus: number;
  /** Socket errors and timeouts. */
  readonly socketErrors: number;
  readonly statuses: Record<string, number>;
  /** CPU time the web processes spent per request (user + system), steadier than rates on a busy machine. */
  readonly cpuMsPerRequest: number;
}

interface Run {
  readonly latencies: number[];
  readonly statuses: Map<number, number>;
  wrong: number;
  ok: number;
  /** Set once the respondents ran out: what is still answered repeats the last one, not counted. */
  stopped?: boolean;
}

/** One autocannon instance against `url`; resolves with its result once it stops. */
function cannon(
  options: autocannon.Options,
  run: Run,
  expected: number,
  register?: (instance: autocannon.Instance) => void,
): Promise<autocannon.Result> {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, outcome: autocannon.Result) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(outcome),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      if (run.stopped) return;
      run.latencies.push(responseTime);
      run.statuses.set(status, (run.statuses.get(status) ?? 0) + 1);
      if (status === expected) run.ok++;
      else run.wrong++;
    });
    register?.(instance);
  });
}

/** CPU seconds (user + system) the processes have used so far, from /proc. */
function cpuSeconds(servers: readonly Server[]): number {
  let total = 0;
  for (const s of servers) {
    try {
      // Fields 14 and 15 of /proc/PID/stat, after the command name in parentheses, in clock ticks.
      const stat = readFileSync(`/proc/${s.child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return Number.NaN;
    }
  }
  return total;
}

function figures(
  scenario: string,
  run: Run,
  results: readonly autocannon.Result[] | number,
  seconds: number,
  cpu: number,
): Figures {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  return {
    cpuMsPerRequest: (cpu * 1000) / sorted.length,
    scenario,
    seconds,
    requests: sorted.length,
    perSecond: run.ok / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    wrongStatus: run.wrong,
    socketErrors:
      typeof results === 'number'
        ? results
        : results.reduce((n, r) => n + r.errors + r.timeouts, 0),
    statuses: Object.fromEntries([...run.statuses].map(([k, v]) => [String(k), v])),
  };
}

/**
 * The respondents' burst: `urls` share `CONNECTIONS` connections; each connection takes the next
 * respondent, saves every answer, sends the response, and takes the next. Returns the figures and
 * what was acknowledged.
 */
async function answerBurst(
  scenario: string,
  servers: readonly Server[],
  ready: readonly Ready[],
  /** Requests a second offered in all (paced), or flat out when left out. */
  rate?: number,
): Promise<{ figures: Figures; answers: number; sent: Set<string> }> {
  let next = 0;
  const instances: autocannon.Instance[] = [];
  let exhausted = false;
  const sent = new Set<string>();
  let answers = 0;
  interface Context {
    r?: Ready;
  }
  const take = (context: Context): Ready => {
    const r = ready[next++];
    if (r === undefined) {
      // Every respondent has answered: stop, and send the last again meanwhile (not counted).
      if (!exhausted) {
        exhausted = true;
        run.stopped = true;
        setImmediate(() => instances.forEach((i) => i.stop()));
      }
      context.r ??= ready[0] as Ready;
      return context.r;
    }
    context.r = r;
    return r;
  };
  const post = (
    r: Ready,
    request: autocannon.Request,
    pathEnd: string,
    fields: Record<string, string>,
  ): autocannon.Request => ({
    ...request,
    method: 'POST',
    path: `/respond/${r.token}/${pathEnd}`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: r.cookie,
    },
    body: new URLSearchParams({ _csrf: r.csrf, ...fields }).toString(),
  });
  const requests: autocannon.Request[] = [
    ...CAPABILITIES.map((capability, c): autocannon.Request => ({
      setupRequest: (request, context) => {
        const r = c === 0 ? take(context as Context) : ((context as Context).r as Ready);
        return post(r, request, capability, {
          level: String(((next + c) % 5) + 1),
          evidence: `Seen in review of ${capability}`,
          confidence: 'medium',
          action: 'continue',
          acknowledged: '1',
        });
      },
      onResponse: (status) => {
        if (status === 303 && !exhausted) answers++;
      },
    })),
    {
      setupRequest: (request, context) =>
        post((context as Context).r as Ready, request, 'submit', {}),
      onResponse: (status, _body, context) => {
        const r = (context as Context).r;
        if (status === 303 && r) sent.add(r.responseId);
      },
    },
  ];
  const urls = servers.map((s) => s.url);
  const run: Run = { latencies: [], statuses: new Map(), wrong: 0, ok: 0 };
  const cpu = cpuSeconds(servers);
  const began = performance.now();
  const results = await Promise.all(
    urls.map((url, u) =>
      cannon(
        {
          url,
          connections:
            Math.floor(CONNECTIONS / urls.length) + (u < CONNECTIONS % urls.length ? 1 : 0),
          duration: SECONDS,
          timeout: 30,
          requests,
          ...(rate === undefined ? {} : { overallRate: Math.ceil(rate / urls.length) }),
        },
        run,
        303,
        (instance) => instances.push(instance),
      ),
    ),
  );
  const seconds = (performance.now() - began) / 1000;
  return {
    figures: figures(scenario, run, results, seconds, cpuSeconds(servers) - cpu),
    answers,
    sent,
  };
}

/**
 * The respondents' burst at a steady rate: `CONNECTIONS` respondents in progress at once, each
 * saving every answer and sending, one request at a time; a new request starts every 1 ÷ `rate`
 * seconds, evenly spread (an open arrival process, as respondents on their own devices are),
 * taken by the respondent idle longest. autocannon's own pacing starts every connection's request
 * on the same tick, which measures a burst of 500 at once, not 500 a second.
 */
async function pacedBurst(
  scenario: string,
  servers: readonly Server[],
  ready: readonly Ready[],
  rate: number,
): Promise<{ figures: Figures; answers: number; sent: Set<string> }> {
  const agents = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS }));
  const run: Run = { latencies: [], statuses: new Map(), wrong: 0, ok: 0 };
  const sent = new Set<string>();
  let answers = 0;
  let socketErrors = 0;
  let next = 0;
  interface Lane {
    r: Ready;
    step: number;
    server: number;
  }
  const idle: Lane[] = [];
  for (let i = 0; i < CONNECTIONS && next < ready.length; i++)
    idle.push({ r: ready[next++] as Ready, step: 0, server: i % servers.length });
  const send = (lane: Lane): Promise<void> => {
    const capability = CAPABILITIES[lane.step];
    const url = new URL(servers[lane.server]?.url ?? '');
    const fields: Record<string, string> =
      capability === undefined
        ? { _csrf: lane.r.csrf }
        : {
            _csrf: lane.r.csrf,
            level: String(((lane.step + next) % 5) + 1),
            evidence: `Seen in review of ${capability}`,
            confidence: 'medium',
            action: 'continue',
            acknowledged: '1',
          };
    const body = new URLSearchParams(fields).toString();
    const began = performance.now();
    return new Promise<void>((resolve) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: `/respond/${lane.r.token}/${capability ?? 'submit'}`,
          agent: agents[lane.server],
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            cookie: lane.r.cookie,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            run.latencies.push(performance.now() - began);
            run.statuses.set(status, (run.statuses.get(status) ?? 0) + 1);
            if (status === 303) {
              run.ok++;
              if (capability === undefined) sent.add(lane.r.responseId);
              else answers++;
            } else run.wrong++;
            resolve();
          });
        },
      );
      request.on('error', () => {
        socketErrors++;
        resolve();
      });
      request.end(body);
    });
  };
  const inFlight = new Set<Promise<void>>();
  let started = 0;
  let late = 0;
  const cpu = cpuSeconds(servers);
  const began = performance.now();
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const elapsed = (performance.now() - began) / 1000;
      if (elapsed >= SECONDS) {
        clearInterval(timer);
        done();
        return;
      }
      const due = Math.floor(elapsed * rate);
      while (started < due) {
        const lane = idle.shift();
        if (lane === undefined) {
          // Every respondent is waiting for an answer: the arrival is late (counted, not queued).
          late += due - started;
          started = due;
          break;
        }
        started++;
        const request = send(lane).then(() => {
          inFlight.delete(request);
          lane.step++;
          if (lane.step > CAPABILITIES.length) {
            const r = ready[next++];
            if (r === undefined) return;
            lane.r = r;
            lane.step = 0;
          }
          idle.push(lane);
        });
        inFlight.add(request);
      }
    }, 2);
  });
  await Promise.all([...inFlight]);
  const seconds = (performance.now() - began) / 1000;
  for (const agent of agents) agent.destroy();
  if (late > 0)
    console.log(
      `${scenario}: ${late} requests could not start on time (every respondent was waiting)`,
    );
  return {
    figures: figures(scenario, run, socketErrors, seconds, cpuSeconds(servers) - cpu),
    answers,
    sent,
  };
}

/** Signs in as the lead; returns the session's cookie header. */
async function signIn(url: string): Promise<string> {
  const page = await fetch(`${url}/sign-in`);
  const csrf = tokenOf(await page.text());
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
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
  return cookiesOf(res).join('; ');
}

/** A delivery chain's page, signed in, from many connections shared between `urls`. */
async function chainPage(scenario: string, servers: readonly Server[]): Promise<Figures> {
  const urls = servers.map((s) => s.url);
  const first = urls[0] ?? '';
  const cookie = await signIn(first);
  const list = await (await fetch(`${first}/chains`, { headers: { cookie } })).text();
  const chain = /href="(\/chains\/[0-9a-f-]{36})"/.exec(list)?.[1];
  if (!chain) throw new Error('no delivery chain listed in the demo');
  const page = await fetch(`${first}${chain}`, { headers: { cookie } });
  if (page.status !== 200) throw new Error(`the chain page answered ${page.status}`);
  const run: Run = { latencies: [], statuses: new Map(), wrong: 0, ok: 0 };
  const cpu = cpuSeconds(servers);
  const began = performance.now();
  const results = await Promise.all(
    urls.map((url) =>
      cannon(
        {
          url: `${url}${chain}`,
          connections: Math.ceil(CHAIN_CONNECTIONS / urls.length),
          duration: CHAIN_SECONDS,
          timeout: 30,
          headers: { cookie, accept: 'text/html' },
        },
        run,
        200,
      ),
    ),
  );
  const seconds = (performance.now() - began) / 1000;
  return figures(scenario, run, results, seconds, cpuSeconds(servers) - cpu);
}

/** What the database holds of the round: answer rows and sent responses among `ids`. */
async function stored(
  database: DatabaseConfig,
  ids: readonly string[],
): Promise<{ answers: number; submitted: Set<string> }> {
  const db = openDatabase(database);
  try {
    let answers = 0;
    const submitted = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      const rows = await db.kysely
        .selectFrom('answers')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('response_id', 'in', part)
        .executeTakeFirstOrThrow();
      answers += Number(rows.n);
      const sent = await db.kysely
        .selectFrom('responses')
        .select('id')
        .where('id', 'in', part)
        .where('status', '=', 'submitted')
        .execute();
      for (const s of sent) submitted.add(s.id);
    }
    return { answers, submitted };
  } finally {
    await db.close();
  }
}

/** Migrates and seeds the database and opens a round with a link per respondent. */
async function prepare(database: DatabaseConfig) {
  const db = openDatabase(database);
  try {
    await migrateToLatest(db);
    const storage = createStorage(db);
    await seedDemoIfEmpty(storage, { password: PASSWORD });
    const count = RESPONDENTS + PACED_RESPONDENTS;
    return await openRoundWithLinks(storage, `Load, ${count} respondents`, count);
  } finally {
    await db.close();
  }
}

/** One database: start its processes, open the links, run both bursts, check what was kept. */
async function scenario(
  label: string,
  database: DatabaseConfig,
  processes: number,
  dataDir: string,
  extra: Record<string, string>,
): Promise<{ answers: Figures; paced: Figures; chain: Figures; kept: string }> {
  let began = performance.now();
  const links = await prepare(database);
  console.log(
    `${label}: ${links.length} respondent links made in ${((performance.now() - began) / 1000).toFixed(1)} s`,
  );
  const servers: Server[] = [];
  try {
    for (let i = 0; i < processes; i++)
      servers.push(await startServer(`${label}-${i + 1}`, database, dataDir, extra));
    const urls = servers.map((s) => s.url);
    began = performance.now();
    const ready = await openLinks(urls, links, 32);
    console.log(
      `${label}: ${ready.length} first questions opened in ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );
    // Flat out (the throughput the processes reach), then paced at the target rate (the latency a
    // respondent sees when 500 requests a second arrive: flat out, 500 connections always waiting
    // make the latency concurrency ÷ throughput, whatever the server does).
    const flatOut = ready.slice(0, RESPONDENTS);
    const burst = await answerBurst(`${label}: answers saved and sent`, servers, flatOut);
    const paced = await pacedBurst(
      `${label}: answers at ${TARGET_SUBMISSIONS} requests/s`,
      servers,
      ready.slice(RESPONDENTS),
      TARGET_SUBMISSIONS,
    );
    const chain = await chainPage(`${label}: delivery chain page`, servers);
    for (const s of servers) await stopServer(s);
    const kept = await stored(
      database,
      links.map((l) => l.responseId),
    );
    const lost = [...burst.sent].filter((id) => !kept.submitted.has(id)).length;
    const keptLine =
      `${burst.answers} answers and ${burst.sent.size} sends acknowledged; stored ${kept.answers} answers, ` +
      `${kept.submitted.size} sent responses; ${lost === 0 && kept.answers >= burst.answers ? 'nothing acknowledged is missing' : `MISSING: ${lost} sent responses, answers short by ${Math.max(0, burst.answers - kept.answers)}`}`;
    return { answers: burst.figures, paced: paced.figures, chain, kept: keptLine };
  } finally {
    for (const s of servers) await stopServer(s);
  }
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function table(rows: readonly Figures[]): void {
  console.log(
    '\n| scenario | seconds | requests | ok/s | p50 ms | p95 ms | p99 ms | wrong status | socket errors | server CPU ms/request |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.scenario} | ${fmt(r.seconds, 1)} | ${r.requests} | ${fmt(r.perSecond)} | ${fmt(r.p50, 1)} | ${fmt(r.p95, 1)} | ${fmt(r.p99, 1)} | ${r.wrongStatus} | ${r.socketErrors} | ${fmt(r.cpuMsPerRequest, 2)} |`,
    );
}

export const suite = {
  name: 'load',
  async run() {
    const dir = mkdtempSync(path.join(tmpdir(), 'throughline-bench-load-'));
    const rows: Figures[] = [];
    const verdicts: string[] = [];
    const notes: string[] = [];
    const load = () =>
      loadavg()
        .map((l) => l.toFixed(1))
        .join(', ');
    console.log(
      `${CONNECTIONS} connections, ${SECONDS} s a burst; load average ${load()} on ${availableParallelism()} cores`,
    );
    try {
      // (a) One process on SQLite.
      if (DATABASES.includes('sqlite')) {
        const sqlite = await scenario(
          'SQLite, 1 process',
          { kind: 'sqlite', file: path.join(dir, 'load.sqlite') },
          1,
          dir,
          {},
        );
        rows.push(sqlite.answers, sqlite.paced, sqlite.chain);
        notes.push(`SQLite: ${sqlite.kept}`);
        verdicts.push(
          `submissions/s on SQLite, 1 process: ${fmt(sqlite.answers.perSecond)} (target ≥ ${TARGET_SUBMISSIONS}) ${sqlite.answers.perSecond >= TARGET_SUBMISSIONS ? 'met' : 'MISSED'}`,
          `p95 on SQLite, 1 process, at ${TARGET_SUBMISSIONS} requests/s: ${fmt(sqlite.paced.p95, 1)} ms (target ≤ ${TARGET_P95_MS} ms) ${sqlite.paced.p95 <= TARGET_P95_MS && sqlite.paced.perSecond >= 0.95 * TARGET_SUBMISSIONS ? 'met' : 'MISSED'} (flat out: ${fmt(sqlite.answers.p95, 1)} ms with ${CONNECTIONS} requests always waiting)`,
          `chain page on SQLite: ${fmt(sqlite.chain.perSecond)} requests/s (target ≥ ${TARGET_CHAIN_RPS}) ${sqlite.chain.perSecond >= TARGET_CHAIN_RPS ? 'met' : 'MISSED'}`,
        );
      }

      // (b) Two processes on PostgreSQL.
      const adminUrl = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
      if (!DATABASES.includes('postgres')) {
        // left out by BENCH_LOAD_DATABASES
      } else if (adminUrl === undefined) {
        console.log(
          'PostgreSQL skipped: set BENCH_POSTGRES_URL (or TEST_POSTGRES_URL) to a server the bench may create a database on',
        );
      } else {
        const name = `throughline_load_${randomBytes(6).toString('hex')}`;
        const admin = new pg.Client({ connectionString: adminUrl });
        await admin.connect();
        await admin.query(`create database ${name}`);
        const url = new URL(adminUrl);
        url.pathname = `/${name}`;
        try {
          const postgres = await scenario(
            'PostgreSQL, 2 processes',
            { kind: 'postgres', url: url.toString() },
            2,
            dir,
            { JOB_QUEUE: 'pg-boss', JOB_CONCURRENCY: '0' },
          );
          rows.push(postgres.answers, postgres.paced, postgres.chain);
          notes.push(`PostgreSQL: ${postgres.kept}`);
          verdicts.push(
            `chain page on PostgreSQL, 2 processes: ${fmt(postgres.chain.perSecond)} requests/s (target ≥ ${TARGET_CHAIN_RPS}) ${postgres.chain.perSecond >= TARGET_CHAIN_RPS ? 'met' : 'MISSED'}`,
          );
        } finally {
          await admin.query(`drop database if exists ${name} with (force)`);
          await admin.end();
        }
      }
      table(rows);
      const errors = rows.reduce((n, r) => n + r.wrongStatus + r.socketErrors, 0);
      verdicts.push(`errors everywhere: ${errors} (target 0) ${errors === 0 ? 'met' : 'MISSED'}`);
      console.log('');
      for (const n of notes) console.log(n);
      for (const v of verdicts) console.log(`  ${v}`);
      for (const r of rows)
        if (r.wrongStatus > 0)
          console.log(`  statuses in ${r.scenario}: ${JSON.stringify(r.statuses)}`);
      console.log(`load average at the end ${load()} on ${availableParallelism()} cores`);
      if (process.env.BENCH_LOAD_JSON)
        writeFileSync(
          process.env.BENCH_LOAD_JSON,
          JSON.stringify(
            { connections: CONNECTIONS, seconds: SECONDS, loadAverage: loadavg(), rows, verdicts },
            null,
            2,
          ),
        );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
