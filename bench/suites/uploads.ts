// Uploads that cannot take the site down (issue 16, point 1): a synthetic gzip event log of about
// 8 million events (BENCH_UPLOAD_EVENTS) is uploaded to a real server — `npm start` in its own
// process, NODE_ENV=production, the embedded default (SQLite, in-process jobs), a temporary file
// and a free loopback port — mapped and imported, then its page opened as a viewer, whole and
// filtered. Throughout, /healthz is asked every 50 ms and the server's resident memory read from
// /proc. Targets: /healthz p99 < 100 ms in every phase, the web process under 1 GB.
// Bounded: each phase has a deadline, and the server is stopped at the end. Reports; never fails
// on a missed target.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

const EVENTS = Number(process.env.BENCH_UPLOAD_EVENTS ?? 8_000_000);
const TARGET_P99_MS = 100;
const TARGET_RSS_MB = 1024;
const PASSWORD = 'bench-password-not-secret';
const MEMBER = 'lead@demo-council.example';
const VIEWER = 'auditor@demo-council.example';
const ACTIVITIES = ['Receive', 'Register', 'Check', 'Assess', 'Decide', 'Notify', 'Pay', 'Close'];
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Writes the synthetic log (8 events a case, an hour apart) as gzip, streamed. */
async function generate(file: string, events: number): Promise<number> {
  const gzip = createGzip({ level: 9 });
  const out = createWriteStream(file);
  gzip.pipe(out);
  const start = Date.UTC(2023, 0, 1);
  const lines: string[] = ['case,activity,timestamp'];
  for (let i = 0; i < events; i++) {
    const c = Math.floor(i / 8);
    const at = start + c * 30_000 + (i % 8) * 3_600_000;
    lines.push(`${c},${ACTIVITIES[i % 8]},${new Date(at).toISOString().slice(0, 19)}Z`);
    if (lines.length >= 50_000) {
      if (!gzip.write(lines.join('\n') + '\n')) await once(gzip, 'drain');
      lines.length = 0;
    }
  }
  gzip.end(lines.join('\n') + '\n');
  await once(out, 'close');
  return statSync(file).size;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function startServer(file: string, dataDir: string) {
  const port = await freePort();
  let out = '';
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)]
    : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', 'src/main.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        SECURE_COOKIES: 'false',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${file}`,
        DATA_DIR: dataDir,
        DEMO_PASSWORD: PASSWORD,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start in 120 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, output: () => out };
}

/** A browser's cookies, enough for these pages. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = (pair ?? '').indexOf('=');
      if (at > 0) this.cookies.set((pair ?? '').slice(0, at), (pair ?? '').slice(at + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const tokenOf = (html: string): string => {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (token === undefined) throw new Error('no CSRF token on the page');
  return token;
};

async function get(
  url: string,
  jar: Jar,
): Promise<{ status: number; body: string; res: Response }> {
  const res = await fetch(url, { headers: { cookie: jar.header() }, redirect: 'manual' });
  jar.take(res);
  return { status: res.status, body: await res.text(), res };
}

async function postForm(url: string, jar: Jar, fields: Record<string, string>): Promise<Response> {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams(fields).toString(),
  });
  jar.take(res);
  return res;
}

async function signIn(url: string, email: string): Promise<Jar> {
  const jar = new Jar();
  const page = await get(`${url}/sign-in`, jar);
  const res = await postForm(`${url}/sign-in`, jar, {
    _csrf: tokenOf(page.body),
    email,
    password: PASSWORD,
  });
  if (res.status !== 303) throw new Error(`sign-in as ${email} failed with ${res.status}`);
  return jar;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/** Resident memory of a process, in MB, from /proc (VmRSS now, VmHWM its peak). */
function memoryMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Asks /healthz every 50 ms, recording each answer's time under the current phase. */
class Prober {
  readonly byPhase = new Map<string, number[]>();
  phase = 'idle';
  private running = true;
  private readonly done: Promise<void>;
  failures = 0;
  peakRss = 0;
  constructor(
    private readonly url: string,
    private readonly pid: number | undefined,
  ) {
    this.done = this.loop();
  }
  private async loop(): Promise<void> {
    while (this.running) {
      const start = performance.now();
      try {
        const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(60_000) });
        await res.text();
        if (!res.ok) this.failures++;
      } catch {
        this.failures++;
      }
      const took = performance.now() - start;
      const list = this.byPhase.get(this.phase) ?? [];
      list.push(took);
      this.byPhase.set(this.phase, list);
      this.peakRss = Math.max(this.peakRss, memoryMb(this.pid, 'VmRSS'));
      const wait = 50 - (performance.now() - start);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

async function until<T>(what: string, seconds: number, read: () => Promise<T | undefined>) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${seconds} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export const suite = {
  name: 'uploads',
  async run() {
    const dir = mkdtempSync(path.join(tmpdir(), 'throughline-bench-uploads-'));
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    let prober: Prober | undefined;
    try {
      const logFile = path.join(dir, 'synthetic.csv.gz');
      let began = performance.now();
      const size = await generate(logFile, EVENTS);
      console.log(
        `synthetic log: ${EVENTS.toLocaleString('en-GB')} events, ${(size / 1024 / 1024).toFixed(1)} MB gzip, made in ${((performance.now() - began) / 1000).toFixed(1)} s`,
      );
      server = await startServer(path.join(dir, 'bench.sqlite'), dir);
      const { url } = server;
      const member = await signIn(url, MEMBER);
      const viewer = await signIn(url, VIEWER);
      prober = new Prober(url, server.child.pid);
      await new Promise((r) => setTimeout(r, 2000));

      // 1. The upload, streamed and kept compressed.
      prober.phase = 'upload';
      began = performance.now();
      const form = await get(`${url}/logs`, member);
      const boundary = `----bench${Date.now()}`;
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${tokenOf(form.body)}\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nSynthetic\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="synthetic.csv.gz"\r\nContent-Type: application/gzip\r\n\r\n`,
        ),
        readFileSync(logFile),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const uploaded = await fetch(`${url}/logs/upload`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: member.header(),
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        body,
      });
      member.take(uploaded);
      const mappingUrl = uploaded.headers.get('location');
      if (uploaded.status !== 303 || mappingUrl === null)
        throw new Error(
          `upload answered ${uploaded.status}: ${(await uploaded.text()).slice(0, 500)}`,
        );
      const uploadSeconds = (performance.now() - began) / 1000;

      // 2. The mapping, then the import as a background job.
      const mapping = await get(`${url}${mappingUrl}`, member);
      prober.phase = 'import';
      began = performance.now();
      const posted = await postForm(`${url}${mappingUrl.split('?')[0]}`, member, {
        _csrf: tokenOf(mapping.body),
        name: 'Synthetic',
        caseId: 'case',
        activity: 'activity',
        timestamp: 'timestamp',
        lifecycle: '',
        resource: '',
        group: '',
        startTimestamp: '',
        dateOrder: 'auto',
        timeZone: 'UTC',
      });
      const jobUrl = posted.headers.get('location');
      if (posted.status !== 303 || jobUrl === null)
        throw new Error(`the mapping answered ${posted.status}`);
      const outcome = await until('the import', 900, async () => {
        const status = (await (
          await fetch(`${url}${jobUrl}/status`, { headers: { cookie: member.header() } })
        ).json()) as { status: string; message: string };
        return status.status === 'succeeded' || status.status === 'failed' ? status : undefined;
      });
      const importSeconds = (performance.now() - began) / 1000;
      if (outcome.status !== 'succeeded') throw new Error(`the import failed: ${outcome.message}`);
      const done = await get(`${url}${jobUrl}`, member);
      const logUrl = done.res.headers.get('location');
      if (logUrl === null) throw new Error('the finished job did not lead to the log');

      // 3. The log's page as a viewer: whole (the stored analysis), then filtered.
      prober.phase = 'log page';
      began = performance.now();
      const whole = await get(`${url}${logUrl}`, viewer);
      const wholeSeconds = (performance.now() - began) / 1000;
      prober.phase = 'filtered view';
      began = performance.now();
      const filtered = await get(`${url}${logUrl}?from=2023-01-01&to=2023-01-31`, viewer);
      const filteredSeconds = (performance.now() - began) / 1000;
      prober.phase = 'after';
      await new Promise((r) => setTimeout(r, 2000));
      await prober.stop();

      console.log(
        `upload ${uploadSeconds.toFixed(1)} s; import ${importSeconds.toFixed(1)} s (${outcome.message}); ` +
          `log page ${whole.status} in ${wholeSeconds.toFixed(2)} s; filtered view ${filtered.status} in ${filteredSeconds.toFixed(2)} s`,
      );
      let worst = 0;
      for (const [phase, list] of prober.byPhase) {
        const sorted = [...list].sort((a, b) => a - b);
        const p99 = percentile(sorted, 99);
        if (phase !== 'idle') worst = Math.max(worst, p99);
        console.log(
          `  /healthz during ${phase}: ${sorted.length} probes, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} ms`,
        );
      }
      const peak = Math.max(prober.peakRss, memoryMb(server.child.pid, 'VmHWM'));
      console.log(
        `  /healthz p99 (worst phase) ${worst.toFixed(1)} ms (target < ${TARGET_P99_MS} ms) ${worst < TARGET_P99_MS ? 'met' : 'MISSED'}; ` +
          `${prober.failures} probes failed`,
      );
      console.log(
        `  web process peak RSS ${peak.toFixed(0)} MB (target < ${TARGET_RSS_MB} MB) ${peak < TARGET_RSS_MB ? 'met' : 'MISSED'}; ` +
          `load average ${loadavg()
            .map((l) => l.toFixed(1))
            .join(', ')} on ${availableParallelism()} cores`,
      );
    } finally {
      await prober?.stop();
      if (server) {
        const child = server.child;
        await new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
        });
      }
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
