// Benchmark of the process-mining engine (issue 5): import + analysis of the real logs, and of
// receipt.csv scaled up to about a million events (written to the temp folder, deleted after),
// side by side with the independent pandas script bench/mining_pandas.py when Debian's
// python3-pandas is installed. The script's full mode does the same work as readCsvLog +
// analyseLog (same columns, same measures); on receipt.csv every number of it is checked against
// ours first (crossCheck), so the two sides provably compute the same thing.
// Targets (issue 5): the full analysis at least 3× faster than pandas end to end; peak memory at
// most twice the CSV's size. The engine is measured in a child process (this file, run with
// MINING_BENCH_WORKER set), so its peak RSS is its own and not the generator's.
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
import {
  analyseLog,
  readCsvLog,
  readXesLog,
  type LogAnalysis,
} from '../../src/domain/mining/index.ts';
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
  /** CPU seconds (user + system, all threads) from the start of the import to the end. */
  cpuSeconds: number;
  peakRssMB: number;
  peakHeapMB: number;
  baselineRssMB: number;
}

interface PandasStats {
  count: number;
  total: number;
  mean: number;
  median: number;
  p90: number;
  min: number;
  max: number;
  cv: number;
}

/** What bench/mining_pandas.py prints (the full mode's extra fields are absent in subset mode). */
interface PandasResult {
  cases: number;
  events: number;
  activities: number;
  edges: ({ from: string; to: string; cases?: number } & PandasStats)[];
  waits: ({ activity: string; share: number } & PandasStats)[];
  counts?: LogAnalysis['counts'];
  activityMeasures?: {
    activity: string;
    count: number;
    cases: number;
    caseStarts: number;
    resources: number;
    waitingShare: number;
  }[];
  startActivities?: Record<string, number>;
  endActivities?: Record<string, number>;
  variants?: { activities: string[]; cases: number }[];
  caseDuration?: PandasStats & { deciles: number[] };
  periodUnit?: string;
  flow?: { period: string; arrived: number; completed: number; openAtEnd: number }[];
  resources?: {
    resource: string;
    events: number;
    cases: number;
    activities: number;
    eventsPerWeek: number;
    busySeconds: number | null;
  }[];
  candidates?: {
    rank: number;
    activity: string;
    kind: string;
    evidence: {
      observations: number;
      medianSeconds: number;
      meanSeconds: number;
      p90Seconds: number;
      waitingShare: number;
      cv: number;
      nearMedianShare: number;
      queueCorrelation: number | null;
      queueGrowth: number | null;
      utilisation: number | null;
      simultaneousShare: number;
    };
  }[];
  bottleneck?: { activity: string; kind: string } | null;
  seconds: number;
  cpuSeconds: number;
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
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const log = await readCsvLog(
    createReadStream(file, { highWaterMark: 1 << 20 }),
    mode === 'same' ? { columns: PANDAS_COLUMNS } : {},
  );
  const t1 = performance.now();
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  // Like for like: only what the pandas subset computes. Full: analyseLog alone (it computes the
  // graph and the waits itself).
  if (mode === 'same') {
    const times = transitionTimes(log);
    directlyFollows(log, times);
    activityMeasures(log, times, caseDurations(log));
  }
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
    cpuSeconds: ((cpu) => (cpu.user + cpu.system) / 1e6)(process.cpuUsage(cpu0)),
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

function runPandas(file: string, mode: 'full' | 'subset'): PandasResult {
  const run = spawnSync(PYTHON, [PANDAS_SCRIPT, file, mode], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
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
        : `'${b.bottleneck.activity}' (${b.bottleneck.kindLabel})`;
    console.log(
      `  ${name.padEnd(32)} ${String(analysis.counts.events).padStart(7)} events  import ${fmt(t1 - t0, 0).padStart(4)} ms  analyse ${fmt(t2 - t1, 0).padStart(4)} ms  bottleneck: ${kind}`,
    );
  }
}

/**
 * The pandas script's full analysis of receipt.csv against ours, number by number: the proof that
 * the two sides of the side-by-side do the same work. Times to 1e-6 s, shares and correlations to
 * 1e-9, counts, names and orders exactly.
 */
async function crossCheck(): Promise<void> {
  const file = path.join(LOGS, 'receipt.csv');
  const pandas = runPandas(file, 'full');
  const analysis = analyseLog(await readCsvLog(createReadStream(file)));
  let worstSeconds = 0;
  let worstRatio = 0;
  let compared = 0;
  const problems: string[] = [];
  const seconds = (what: string, ours: number, theirs: number): void => {
    compared++;
    const d = Math.abs(ours - theirs);
    worstSeconds = Math.max(worstSeconds, d);
    if (!(d < 1e-6)) problems.push(`${what}: ${ours} ≠ ${theirs}`);
  };
  const ratio = (what: string, ours: number | null, theirs: number | null): void => {
    compared++;
    if (ours === null || theirs === null) {
      if (ours !== theirs) problems.push(`${what}: ${ours} ≠ ${theirs}`);
      return;
    }
    const d = Math.abs(ours - theirs);
    worstRatio = Math.max(worstRatio, d);
    if (!(d < 1e-9)) problems.push(`${what}: ${ours} ≠ ${theirs}`);
  };
  const exact = (what: string, ours: unknown, theirs: unknown): void => {
    compared++;
    if (JSON.stringify(ours) !== JSON.stringify(theirs))
      problems.push(`${what}: ${JSON.stringify(ours)} ≠ ${JSON.stringify(theirs)}`);
  };
  const stats = (
    what: string,
    ours: LogAnalysis['caseDuration'] | LogAnalysis['edges'][number]['time'],
    theirs: PandasStats,
  ): void => {
    exact(`${what} count`, ours.count, theirs.count);
    for (const k of ['total', 'mean', 'median', 'p90', 'min', 'max'] as const)
      seconds(`${what} ${k}`, ours[k], theirs[k]);
    ratio(`${what} cv`, ours.cv, theirs.cv);
  };
  exact('counts', analysis.counts, pandas.counts);
  exact('edges', analysis.edges.length, pandas.edges.length);
  for (const e of pandas.edges) {
    const ours = analysis.edges.find((x) => x.from === e.from && x.to === e.to);
    if (ours === undefined) {
      problems.push(`edge ${e.from} → ${e.to} missing`);
      continue;
    }
    exact(`edge ${e.from} → ${e.to} cases`, ours.cases, e.cases);
    stats(`edge ${e.from} → ${e.to}`, ours.time, e);
  }
  for (const w of pandas.waits) {
    const ours = analysis.activities.find((x) => x.activity === w.activity);
    if (ours === undefined) {
      problems.push(`activity ${w.activity} missing`);
      continue;
    }
    stats(`wait before ${w.activity}`, ours.waitingTime, w);
  }
  exact(
    'activities in order',
    analysis.activities.map((a) => [a.activity, a.count, a.cases, a.caseStarts, a.resources]),
    pandas.activityMeasures?.map((a) => [a.activity, a.count, a.cases, a.caseStarts, a.resources]),
  );
  analysis.activities.forEach((a, k) =>
    ratio(
      `waiting share ${a.activity}`,
      a.waitingShare,
      pandas.activityMeasures?.[k]?.waitingShare ?? null,
    ),
  );
  const counted = (list: LogAnalysis['startActivities']): Record<string, number> =>
    Object.fromEntries(
      [...list]
        .sort((x, y) => x.activity.localeCompare(y.activity))
        .map((x) => [x.activity, x.count]),
    );
  const sortedKeys = (r: Record<string, number> | undefined): Record<string, number> =>
    Object.fromEntries(Object.entries(r ?? {}).sort(([x], [y]) => x.localeCompare(y)));
  exact('start activities', counted(analysis.startActivities), sortedKeys(pandas.startActivities));
  exact('end activities', counted(analysis.endActivities), sortedKeys(pandas.endActivities));
  exact(
    'variants in order',
    analysis.variants.map((v) => [v.activities, v.cases]),
    pandas.variants?.map((v) => [v.activities, v.cases]),
  );
  if (pandas.caseDuration !== undefined) {
    stats('case duration', analysis.caseDuration, pandas.caseDuration);
    analysis.caseDuration.deciles.forEach((d, k) =>
      seconds(`case-duration decile ${k + 1}`, d, pandas.caseDuration?.deciles[k] ?? NaN),
    );
  }
  exact('period unit', analysis.periodUnit, pandas.periodUnit);
  exact(
    'flow',
    analysis.flow.map((f) => [f.period, f.arrived, f.completed, f.openAtEnd]),
    pandas.flow?.map((f) => [f.period, f.arrived, f.completed, f.openAtEnd]),
  );
  exact(
    'resources',
    analysis.resources.map((r) => [r.resource, r.events, r.cases, r.activities, r.busySeconds]),
    pandas.resources?.map((r) => [r.resource, r.events, r.cases, r.activities, r.busySeconds]),
  );
  analysis.resources.forEach((r, k) =>
    ratio(
      `events per week ${r.resource}`,
      r.eventsPerWeek,
      pandas.resources?.[k]?.eventsPerWeek ?? null,
    ),
  );
  exact(
    'bottleneck candidates',
    analysis.bottleneck.candidates.map((c) => [c.rank, c.activity, c.kind]),
    pandas.candidates?.map((c) => [c.rank, c.activity, c.kind]),
  );
  analysis.bottleneck.candidates.forEach((c, k) => {
    const theirs = pandas.candidates?.[k]?.evidence;
    if (theirs === undefined) return;
    const e = c.evidence;
    exact(`${c.activity} observations`, e.observations, theirs.observations);
    for (const key of ['medianSeconds', 'meanSeconds', 'p90Seconds'] as const)
      seconds(`${c.activity} ${key}`, e[key], theirs[key]);
    for (const key of [
      'waitingShare',
      'cv',
      'nearMedianShare',
      'queueCorrelation',
      'queueGrowth',
      'utilisation',
      'simultaneousShare',
    ] as const)
      ratio(`${c.activity} ${key}`, e[key], theirs[key]);
  });
  exact(
    'bottleneck',
    analysis.bottleneck.bottleneck === null
      ? null
      : {
          activity: analysis.bottleneck.bottleneck.activity,
          kind: analysis.bottleneck.bottleneck.kind,
        },
    pandas.bottleneck,
  );
  console.log(
    `Cross-check of the full analysis with pandas on receipt.csv: ${compared} comparisons (counts, graph, activities, variants, case durations, flow, resources, bottleneck evidence); largest difference ${worstSeconds.toExponential(2)} s in times, ${worstRatio.toExponential(2)} in shares and correlations${problems.length === 0 ? '' : `; ${problems.length} DIFFER`}.`,
  );
  if (problems.length > 0) {
    throw new Error(
      `the engine and pandas disagree on receipt.csv:\n  ${problems.slice(0, 20).join('\n  ')}`,
    );
  }
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
      // The machine may be shared: each side runs RUNS times, alternately, and the best run of
      // each is compared (CPU seconds too, which other processes disturb less than the clock).
      const runs = Math.max(1, Number(process.env.MINING_BENCH_RUNS ?? 2));
      const best = <T>(list: T[], time: (x: T) => number): T =>
        list.reduce((a, b) => (time(b) < time(a) ? b : a));
      const sameTime = (r: WorkerResult): number => r.importSeconds + r.sameSeconds;
      const fullTime = (r: WorkerResult): number =>
        r.importSeconds + r.sameSeconds + r.analyseSeconds;
      const sames: WorkerResult[] = [];
      const fulls: WorkerResult[] = [];
      const pandasFulls: PandasResult[] = [];
      const pandasSubsets: PandasResult[] = [];
      for (let r = 0; r < runs; r++) {
        // Like for like: the 3 columns pandas reads, then per-activity waits and the graph.
        sames.push(runWorker(file, 'same'));
        if (withPandas) pandasSubsets.push(runPandas(file, 'subset'));
        // Everything: all case attributes, lifecycle, resources and groups, and the full analysis.
        fulls.push(runWorker(file, 'full'));
        if (withPandas) pandasFulls.push(runPandas(file, 'full'));
      }
      const same = best(sames, sameTime);
      const full = best(fulls, fullTime);
      const sameTotal = sameTime(same);
      const fullTotal = fullTime(full);
      const memory = (r: WorkerResult): string =>
        `peak RSS ${fmt(r.peakRssMB, 0)} MB (${fmt(r.peakRssMB / csvMB)}× the CSV; Node alone ${fmt(r.baselineRssMB, 0)} MB), peak heap ${fmt(r.peakHeapMB, 0)} MB`;
      console.log(`  best of ${runs} run(s) each, alternating:`);
      console.log(
        `  Throughline, same columns as pandas: import ${fmt(same.importSeconds)} s + waits and directly-follows graph ${fmt(same.sameSeconds)} s = ${fmt(sameTotal)} s (CPU ${fmt(same.cpuSeconds)} s); ${memory(same)}`,
      );
      console.log(
        `  Throughline, all columns + full analysis (variants, backlog, resources, bottleneck): import ${fmt(full.importSeconds)} s + ${fmt(full.sameSeconds + full.analyseSeconds)} s = ${fmt(fullTotal)} s (CPU ${fmt(full.cpuSeconds)} s); ${memory(full)}`,
      );
      if (withPandas) {
        const pandasFull = best(pandasFulls, (p) => p.seconds);
        const pandasSubset = best(pandasSubsets, (p) => p.seconds);
        const cpu = (list: { cpuSeconds: number }[]): number =>
          Math.min(...list.map((x) => x.cpuSeconds));
        console.log(
          `  pandas 1.5 (bench/mining_pandas.py full: the same columns and the same analysis): ${fmt(pandasFull.seconds)} s (CPU ${fmt(cpu(pandasFulls))} s); peak RSS ${fmt(pandasFull.peakMB, 0)} MB`,
        );
        console.log(
          `  pandas 1.5 (bench/mining_pandas.py subset: 3 columns, waits + directly-follows): ${fmt(pandasSubset.seconds)} s (CPU ${fmt(cpu(pandasSubsets))} s); peak RSS ${fmt(pandasSubset.peakMB, 0)} MB`,
        );
        console.log(
          `  ratio: ${fmt(pandasFull.seconds / fullTotal)}× as fast as pandas for the full analysis (target ≥ 3×; CPU ${fmt(cpu(pandasFulls) / cpu(fulls))}×); ${fmt(pandasSubset.seconds / sameTotal)}× on the like-for-like subset (CPU ${fmt(cpu(pandasSubsets) / cpu(sames))}×); peak RSS ${fmt(full.peakRssMB / csvMB)}× the CSV (target ≤ 2×)`,
        );
      } else {
        console.log(
          '  pandas not installed: no side-by-side (the target is ≥ 3× faster than pandas)',
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
