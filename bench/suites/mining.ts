// Benchmark of the process-mining engine (issue 5): import + analysis of the real logs, and of
// receipt.csv scaled up to about a million events (written to the temp folder, deleted after),
// side by side with the independent pandas script bench/mining_pandas.py when Debian's
// python3-pandas is installed. On receipt.csv it also checks that every directly-follows time and
// every per-activity wait equals the pandas computation to the second.
// Targets (issue 5): at least 3× faster than pandas; peak memory at most twice the CSV's size.
// The engine is measured in a child process (this file, run with MINING_BENCH_WORKER set), so
// its peak RSS is its own and not the generator's.
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  openSync,
  statSync,
  unlinkSync,
  writeSync,
  closeSync,
  readFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyseLog, readCsvLog, readXesLog } from '../../src/domain/mining/index.ts';
import { activityMeasures, caseDurations } from '../../src/domain/mining/analysis/activities.ts';
import { directlyFollows, transitionTimes } from '../../src/domain/mining/analysis/dfg.ts';

const HERE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(HERE), '../..');
const LOGS = path.resolve(ROOT, '../shared/data/eventlogs');
const PYTHON = '/usr/bin/python3';
const PANDAS_SCRIPT = path.join(ROOT, 'bench/mining_pandas.py');
const TARGET_EVENTS = 1_000_000;

interface WorkerResult {
  events: number;
  cases: number;
  importSeconds: number;
  /** Per-activity waits and the directly-follows graph only: what the pandas script computes. */
  sameSeconds: number;
  analyseSeconds: number;
  peakRssMB: number;
  peakHeapMB: number;
  baselineRssMB: number;
}

interface PandasResult {
  cases: number;
  events: number;
  activities: number;
  edges: { from: string; to: string; count: number; mean: number; median: number; p90: number }[];
  waits: {
    activity: string;
    count: number;
    mean: number;
    median: number;
    p90: number;
    share: number;
  }[];
  seconds: number;
  peakMB: number;
}

/** The columns pandas reads (case, activity, timestamp), for a like-for-like import. */
const PANDAS_COLUMNS = {
  caseAttributes: [],
  lifecycle: null,
  resource: null,
  group: null,
} as const;

async function worker(file: string, mode: string): Promise<void> {
  const baseline = process.memoryUsage().rss;
  let peakHeap = 0;
  const sample = setInterval(
    () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)),
    20,
  );
  const t0 = performance.now();
  const log = await readCsvLog(
    createReadStream(file, { highWaterMark: 1 << 20 }),
    mode === 'same' ? { columns: PANDAS_COLUMNS } : {},
  );
  const t1 = performance.now();
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  const times = transitionTimes(log);
  directlyFollows(log, times);
  activityMeasures(log, times, caseDurations(log));
  const t15 = performance.now();
  if (mode !== 'same') analyseLog(log);
  const t2 = performance.now();
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  clearInterval(sample);
  const result: WorkerResult = {
    events: log.complete.length,
    cases: log.caseIds.length,
    importSeconds: (t1 - t0) / 1000,
    sameSeconds: (t15 - t1) / 1000,
    analyseSeconds: (t2 - t15) / 1000,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    peakHeapMB: peakHeap / 2 ** 20,
    baselineRssMB: baseline / 2 ** 20,
  };
  process.stdout.write(JSON.stringify(result));
}

function pandasAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', 'import pandas'], { encoding: 'utf8' }).status === 0;
}

function runPandas(file: string): PandasResult {
  const run = spawnSync(PYTHON, [PANDAS_SCRIPT, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`pandas script failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as PandasResult;
}

/** Shifts "2011-10-11 13:45:40.276000+02:00" by whole days, keeping its format and offset. */
function shiftDays(stamp: string, days: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(.*)$/.exec(stamp);
  if (m === null) return stamp;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  const ymd = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  return ymd + (m[4] as string);
}

/** receipt.csv repeated with new case ids, each copy shifted by a week, to ≥ 1M events. */
function writeScaledReceipt(file: string): { events: number; bytes: number } {
  const lines = readFileSync(path.join(LOGS, 'receipt.csv'), 'utf8').trimEnd().split('\n');
  const header = (lines[0] as string).split(',');
  const caseCol = header.indexOf('case:concept:name');
  const dateCols = header
    .map((h, i) =>
      h === 'time:timestamp' || (h.startsWith('case:') && /date|deadline/.test(h)) ? i : -1,
    )
    .filter((i) => i >= 0);
  const rows = lines.slice(1).map((l) => l.split(','));
  const copies = Math.ceil(TARGET_EVENTS / rows.length);
  const fd = openSync(file, 'w');
  writeSync(fd, `${lines[0]}\n`);
  let events = 0;
  for (let k = 0; k < copies; k++) {
    const out: string[] = [];
    for (const row of rows) {
      const copy = row.slice();
      copy[caseCol] = `${row[caseCol]}-${k}`;
      for (const c of dateCols) if (copy[c] !== '') copy[c] = shiftDays(copy[c] as string, 7 * k);
      out.push(copy.join(','));
      events++;
    }
    writeSync(fd, `${out.join('\n')}\n`);
  }
  closeSync(fd);
  return { events, bytes: statSync(file).size };
}

function runWorker(file: string, mode: 'full' | 'same'): WorkerResult {
  const run = spawnSync(process.execPath, ['--import', 'tsx', HERE], {
    cwd: ROOT,
    env: { ...process.env, MINING_BENCH_WORKER: file, MINING_BENCH_MODE: mode },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`mining worker failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as WorkerResult;
}

const fmt = (x: number, digits = 2): string => x.toFixed(digits);

async function realLogs(): Promise<void> {
  console.log('Real logs (import + analysis, in process):');
  const files = [
    'receipt.csv',
    'bpic15-1-building-permits.csv',
    'sepsis.csv',
    'running-example.xes',
    'interval_event_log.xes',
  ];
  for (const name of files) {
    const file = path.join(LOGS, name);
    if (!existsSync(file)) continue;
    const t0 = performance.now();
    const log = name.endsWith('.csv')
      ? await readCsvLog(createReadStream(file))
      : await readXesLog(createReadStream(file));
    const t1 = performance.now();
    const analysis = analyseLog(log);
    const t2 = performance.now();
    const b = analysis.bottleneck;
    const kind =
      b.bottleneck === null
        ? `none named (top wait: ${b.candidates[0]?.kindLabel ?? '—'})`
        : `'${b.bottleneck.activity}' (contention)`;
    console.log(
      `  ${name.padEnd(32)} ${String(analysis.counts.events).padStart(7)} events  import ${fmt(t1 - t0, 0).padStart(4)} ms  analyse ${fmt(t2 - t1, 0).padStart(4)} ms  bottleneck: ${kind}`,
    );
  }
}

async function crossCheck(): Promise<void> {
  const file = path.join(LOGS, 'receipt.csv');
  const pandas = runPandas(file);
  const analysis = analyseLog(await readCsvLog(createReadStream(file)));
  let worst = 0;
  let compared = 0;
  const diff = (a: number, b: number): void => {
    worst = Math.max(worst, Math.abs(a - b));
    compared++;
  };
  for (const e of pandas.edges) {
    const ours = analysis.edges.find((x) => x.from === e.from && x.to === e.to);
    if (ours === undefined || ours.frequency !== e.count)
      throw new Error(`edge ${e.from} → ${e.to} differs`);
    diff(ours.time.mean, e.mean);
    diff(ours.time.median, e.median);
    diff(ours.time.p90, e.p90);
  }
  for (const w of pandas.waits) {
    const ours = analysis.activities.find((x) => x.activity === w.activity);
    if (ours === undefined || ours.waitingTime.count !== w.count)
      throw new Error(`waits before ${w.activity} differ`);
    diff(ours.waitingTime.mean, w.mean);
    diff(ours.waitingTime.median, w.median);
    diff(ours.waitingTime.p90, w.p90);
    diff(ours.waitingShare * 1e6, w.share * 1e6);
  }
  const counts = analysis.counts;
  const same =
    counts.cases === pandas.cases &&
    counts.events === pandas.events &&
    counts.activities === pandas.activities &&
    analysis.edges.length === pandas.edges.length;
  console.log(
    `Cross-check with pandas on receipt.csv: counts ${same ? 'equal' : 'DIFFER'}; ${compared} numbers over ${pandas.edges.length} edges and ${pandas.waits.length} activities; largest difference ${worst.toExponential(2)} s.`,
  );
  if (!same || worst >= 1) throw new Error('the engine and pandas disagree on receipt.csv');
}

export const suite = {
  name: 'mining',
  async run(): Promise<void> {
    const haveLogs = existsSync(path.join(LOGS, 'receipt.csv'));
    if (!haveLogs) {
      console.log(`skipped: ${LOGS} is absent`);
      return;
    }
    await realLogs();
    const withPandas = pandasAvailable();
    if (withPandas) await crossCheck();
    else
      console.log(
        'pandas not installed (Debian package python3-pandas): cross-check and side-by-side skipped.',
      );

    const file = path.join(os.tmpdir(), `throughline-mining-bench-${process.pid}.csv`);
    try {
      const t0 = performance.now();
      const written = writeScaledReceipt(file);
      console.log(
        `\nScaled receipt.csv: ${written.events.toLocaleString('en-GB')} events, ${fmt(written.bytes / 2 ** 20, 0)} MB (written in ${fmt((performance.now() - t0) / 1000)} s)`,
      );
      const csvMB = written.bytes / 2 ** 20;
      // Like for like: the 3 columns pandas reads, then per-activity waits and the graph.
      const same = runWorker(file, 'same');
      const sameTotal = same.importSeconds + same.sameSeconds;
      // Everything: all 15 columns (case attributes, lifecycle, resources) and the full analysis.
      const full = runWorker(file, 'full');
      const fullTotal = full.importSeconds + full.sameSeconds + full.analyseSeconds;
      const memory = (r: WorkerResult): string =>
        `peak RSS ${fmt(r.peakRssMB, 0)} MB (${fmt(r.peakRssMB / csvMB)}× the CSV; Node alone ${fmt(r.baselineRssMB, 0)} MB), peak heap ${fmt(r.peakHeapMB, 0)} MB`;
      console.log(
        `  Throughline, same columns as pandas: import ${fmt(same.importSeconds)} s + waits and directly-follows graph ${fmt(same.sameSeconds)} s = ${fmt(sameTotal)} s; ${memory(same)}`,
      );
      console.log(
        `  Throughline, all columns + full analysis (variants, backlog, resources, bottleneck): import ${fmt(full.importSeconds)} s + ${fmt(full.sameSeconds + full.analyseSeconds)} s = ${fmt(fullTotal)} s; ${memory(full)}`,
      );
      if (withPandas) {
        const pandas = runPandas(file);
        console.log(
          `  pandas 1.5 (bench/mining_pandas.py: 3 columns, waits + directly-follows): ${fmt(pandas.seconds)} s; peak RSS ${fmt(pandas.peakMB, 0)} MB`,
        );
        console.log(
          `  ratio: ${fmt(pandas.seconds / sameTotal)}× as fast as pandas like for like (target ≥ 3×); ${fmt(pandas.seconds / fullTotal)}× doing everything; memory target ≤ 2× the CSV`,
        );
      } else {
        console.log(
          '  pandas (RESEARCH.md, same machine class): about 5.6 s and 370 MB on 1M events',
        );
        console.log(
          `  ratio against that figure: ${fmt(5.6 / sameTotal)}× like for like (target ≥ 3×)`,
        );
      }
    } finally {
      if (existsSync(file)) unlinkSync(file);
    }
  },
};

if (process.env.MINING_BENCH_WORKER !== undefined) {
  await worker(process.env.MINING_BENCH_WORKER, process.env.MINING_BENCH_MODE ?? 'full');
}
