// Theme discovery against known labels: NMI, ARI and topic coherence of Throughline's themes beside
// scikit-learn's TF-IDF + k-means and TF-IDF + NMF, each run end to end as its own process (start,
// loading, reading the file, clustering) on the same files, with the gold number of themes and with
// the number Throughline chose. Targets (issue 6): our NMI at least the best baseline's, and at
// least twice as fast end to end. Issue 14 adds the NHS patient-feedback set (44 subcategories) and
// NMI floors with the gold number of themes: 0.72 on banking77, 0.80 on CLINC150, 0.30 on NHS. Where
// scikit-learn is not installed, the baseline rows are the figures stored from an earlier run, and
// the output says so.
import { execFileSync } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import {
  adjustedRandIndex,
  discoverThemes,
  loadWordVectors,
  normalisedMutualInformation,
  npmiCoherence,
  tokenise,
} from '../../src/domain/themes/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = path.resolve(root, '..', 'shared', 'data', 'comments');
const python = '/usr/bin/python3';

interface Dataset {
  readonly name: string;
  readonly file: string;
  /** The CSV column holding the comments. */
  readonly column?: string;
  /** Issue 14's NMI floor with the gold number of themes. */
  readonly target?: number;
  readonly texts: readonly string[];
  readonly gold: readonly string[];
  /** Rows whose gold label means "fits no theme" (CLINC150's out-of-scope requests). */
  readonly outOfScope?: ReadonlySet<number>;
}

interface Outcome {
  readonly method: string;
  readonly themes: number;
  readonly labels: readonly (string | number | null)[];
  readonly topWords: readonly (readonly string[])[];
  readonly seconds: number;
  readonly cpu: number | null;
}

const timeTool = '/usr/bin/time';
const REPEATS = 2;

interface Timed {
  readonly stdout: string;
  readonly seconds: number;
  readonly cpu: number | null;
}

/**
 * Runs a command REPEATS times and keeps the fastest run: the machine is shared, so the minimum is
 * the fairest estimate for both sides. CPU time (user + system) comes from /usr/bin/time where present.
 */
async function run(
  command: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<Timed> {
  let best: Timed | undefined;
  const timeDir = mkdtempSync(path.join(tmpdir(), 'throughline-time-'));
  const cpuFile = path.join(timeDir, 'cpu');
  const withTime = existsSync(timeTool);
  for (let attempt = 0; attempt < REPEATS; attempt++) {
    const started = performance.now();
    const file = withTime ? timeTool : command;
    const fullArgs = withTime ? ['-f', '%U %S', '-o', cpuFile, command, ...args] : [...args];
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        file,
        fullArgs,
        { cwd: root, env: env ?? process.env, maxBuffer: 1 << 28 },
        (error, out, stderr) => {
          if (error)
            reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
          else resolve(out);
        },
      );
    });
    const seconds = (performance.now() - started) / 1000;
    let cpu: number | null = null;
    if (withTime) {
      const [user = 0, system = 0] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number);
      cpu = user + system;
    }
    if (!best || seconds < best.seconds) best = { stdout, seconds, cpu };
  }
  rmSync(timeDir, { recursive: true, force: true });
  if (!best) throw new Error(`${command} did not run`);
  return best;
}

/** The `throughline` command's compiled cache (see bin/throughline.js). */
const cliCache = path.join(root, 'node_modules', '.cache', 'throughline');

function cliArgs(data: Dataset, themes?: number): string[] {
  const args = ['bin/throughline.js', 'themes', data.file, '--text-column', data.column ?? 'text'];
  if (themes !== undefined) args.push('--themes', String(themes));
  args.push('--seed', '1', '--json');
  return args;
}

/**
 * Ours, end to end: the real `throughline themes FILE --text-column text [--themes N] --seed 1
 * --json` command in its own process (Node starts, loads the command from its compiled cache, loads
 * the engine and the word vectors, reads the file, finds the themes, prints JSON).
 */
async function ours(data: Dataset, themes?: number, env?: NodeJS.ProcessEnv): Promise<Outcome> {
  const { stdout, seconds, cpu } = await run(process.execPath, cliArgs(data, themes), env);
  const output = JSON.parse(stdout) as {
    themes: { keyPhrases: string[] }[];
    assignments: (string | null)[];
  };
  return {
    method: themes === undefined ? 'Throughline (automatic)' : 'Throughline',
    themes: output.themes.length,
    labels: output.assignments,
    topWords: output.themes.map((t) =>
      [...new Set(t.keyPhrases.flatMap((p) => p.split(' ')))].slice(0, 10),
    ),
    seconds,
    cpu,
  };
}

/** One run from a clean state: the compiled cache deleted first, so this run builds it. */
async function warmUp(data: Dataset, themes: number): Promise<number> {
  rmSync(cliCache, { recursive: true, force: true });
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, cliArgs(data, themes), { cwd: root, maxBuffer: 1 << 28 }, (error) =>
      error ? reject(error) : resolve(),
    );
  });
  if (!existsSync(path.join(cliCache, 'cli', 'index.mjs')))
    throw new Error(`the warm-up run did not build ${cliCache}`);
  return (performance.now() - started) / 1000;
}

async function sklearn(data: Dataset, method: 'kmeans' | 'nmf', themes: number): Promise<Outcome> {
  // Give the baseline its fastest BLAS kernel: these variables slow a current numpy down.
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const script = path.join(root, 'bench', 'baselines', 'sklearn_themes.py');
  const { stdout, seconds, cpu } = await run(
    python,
    [script, data.file, data.column ?? 'text', method, String(themes), '1'],
    env,
  );
  const output = JSON.parse(stdout) as { labels: number[]; topWords: string[][] };
  return {
    method: method === 'kmeans' ? 'TF-IDF + k-means' : 'TF-IDF + NMF',
    themes,
    labels: output.labels,
    topWords: output.topWords.map((words) => words.slice(0, 10)),
    seconds,
    cpu,
  };
}

function loadDatasets(scratch: string): Dataset[] {
  const bankingFile = path.join(dataDir, 'banking77-test.csv');
  const banking = parse(readFileSync(bankingFile), { columns: true }) as {
    text: string;
    category: string;
  }[];
  const clinc = JSON.parse(readFileSync(path.join(dataDir, 'clinc150.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  const toCsv = (rows: readonly [string, string][], name: string): Dataset => {
    const file = path.join(scratch, `${name}.csv`);
    const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;
    writeFileSync(
      file,
      `text,category\n${rows.map(([t, c]) => `${quote(t)},${quote(c)}`).join('\n')}\n`,
    );
    const outOfScope = new Set(rows.flatMap(([, c], i) => (c === 'oos' ? [i] : [])));
    return { name, file, texts: rows.map(([t]) => t), gold: rows.map(([, c]) => c), outOfScope };
  };
  const nhsFile = path.join(dataDir, 'nhs-fft-phase1.csv');
  const nhs = existsSync(nhsFile)
    ? (parse(readFileSync(nhsFile), { columns: true }) as {
        feedback: string;
        subcategory: string;
      }[])
    : [];
  return [
    {
      name: 'banking77-test',
      file: bankingFile,
      target: 0.72,
      texts: banking.map((r) => r.text),
      gold: banking.map((r) => r.category),
    },
    { ...toCsv(clinc.test ?? [], 'clinc150-test'), target: 0.8 },
    ...(nhs.length > 0
      ? [
          {
            name: 'nhs-fft-phase1',
            file: nhsFile,
            column: 'feedback',
            target: 0.3,
            texts: nhs.map((r) => r.feedback),
            gold: nhs.map((r) => r.subcategory),
          },
        ]
      : []),
  ];
}

const fixed = (x: number, digits = 3): string => x.toFixed(digits);

/** Whether Debian's python3 with scikit-learn is here to run the baselines. */
function sklearnAvailable(): boolean {
  if (!existsSync(python)) return false;
  try {
    execFileSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Baseline NMIs stored from earlier runs of this benchmark with scikit-learn 1.2 (29 November 2026,
 * gold number of themes; the README's table), and issue 14's figure for the NHS set (best of the two
 * methods). Used only where scikit-learn cannot run, and labelled so.
 */
const STORED_BASELINES: Readonly<
  Record<string, { kmeans: number; nmf: number } | { best: number }>
> = {
  'banking77-test': { kmeans: 0.601, nmf: 0.553 },
  'clinc150-test': { kmeans: 0.661, nmf: 0.696 },
  'nhs-fft-phase1': { best: 0.19 },
};

/**
 * With BENCH_THEMES_LARGE=1: 200,000 comments drawn from banking77 (train and test), each with a
 * filler word and a running number appended so that none is a duplicate; ours against k-means.
 */
async function large(scratch: string): Promise<void> {
  const rows = ['banking77-train.csv', 'banking77-test.csv'].flatMap(
    (name) =>
      parse(readFileSync(path.join(dataDir, name)), {
        columns: true,
        relax_column_count: true,
      }) as {
        text: string;
        category: string;
      }[],
  );
  const labelled = rows.filter((r) => r.category);
  const filler =
    'today again please now still urgent thanks asap soon yesterday tomorrow morning'.split(' ');
  let state = 12345;
  const random = (): number => {
    state = (Math.imul(state, 48271) >>> 0) % 2147483647;
    return state / 2147483647;
  };
  const texts: string[] = [];
  const gold: string[] = [];
  for (let i = 0; i < 200_000; i++) {
    const row = labelled[Math.floor(random() * labelled.length)];
    texts.push(
      `${(row?.text ?? '').replace(/\s+/g, ' ')} ${filler[Math.floor(random() * filler.length)] ?? ''} ${i}`,
    );
    gold.push(row?.category ?? '');
  }
  const file = path.join(scratch, 'banking77-200k.csv');
  const quote = (t: string): string => `"${t.replace(/"/g, '""')}"`;
  writeFileSync(
    file,
    `text,category\n${texts.map((t, i) => `${quote(t)},${quote(gold[i] ?? '')}`).join('\n')}\n`,
  );
  const data: Dataset = { name: 'banking77 × 200k', file, texts, gold };
  for (const outcome of [await ours(data, 77), await sklearn(data, 'kmeans', 77)]) {
    console.log(
      `${data.name}  ${outcome.method.padEnd(24)} NMI ${fixed(normalisedMutualInformation(gold, outcome.labels))}  ` +
        `${fixed(outcome.seconds, 1)} s (CPU ${outcome.cpu === null ? '–' : fixed(outcome.cpu, 1)} s)`,
    );
  }
}

export const suite = {
  name: 'themes',
  async run(): Promise<void> {
    if (!existsSync(dataDir)) {
      console.log(
        `skipped: ${dataDir} is absent (the shared data sets are needed for this benchmark)`,
      );
      return;
    }
    const withSklearn = sklearnAvailable();
    if (!withSklearn)
      console.log(
        `scikit-learn is not installed for ${python} (apt-get install python3-sklearn): the baseline ` +
          'NMIs below are the STORED figures of an earlier run, not measured in this run, and no ' +
          'baseline time is given.',
      );
    const scratch = mkdtempSync(path.join(tmpdir(), 'throughline-themes-'));
    try {
      const datasets = loadDatasets(scratch);
      const header = [
        'data',
        'method',
        'themes',
        'NMI',
        'ARI',
        'coherence',
        'other',
        'seconds',
        'CPU s',
      ];
      const table: string[][] = [];
      const verdicts: string[] = [];
      const [first] = datasets;
      const firstThemes = first ? new Set(first.gold).size : 1;
      const warm = first ? await warmUp(first, firstThemes) : NaN;
      const viaTsx = first
        ? await ours(first, firstThemes, { ...process.env, THROUGHLINE_CLI_CACHE: '0' })
        : undefined;
      for (const data of datasets) {
        const docs = data.texts.map((t) => new Set(tokenise(t)));
        const goldThemes = new Set(data.gold).size;
        const auto = await ours(data);
        const gold = await ours(data, goldThemes);
        if (!withSklearn) {
          const stored = STORED_BASELINES[data.name];
          const storedBest =
            stored === undefined
              ? NaN
              : 'best' in stored
                ? stored.best
                : Math.max(stored.kmeans, stored.nmf);
          for (const o of [gold, auto]) {
            const nmi = normalisedMutualInformation(data.gold, o.labels);
            table.push([
              data.name,
              o.method,
              String(o.themes),
              fixed(nmi),
              fixed(adjustedRandIndex(data.gold, o.labels)),
              fixed(npmiCoherence(docs, o.topWords)),
              `${((o.labels.filter((l) => l === null).length / o.labels.length) * 100).toFixed(1)}%`,
              fixed(o.seconds, 2),
              o.cpu === null ? '–' : fixed(o.cpu, 2),
            ]);
          }
          if (stored)
            table.push([
              data.name,
              'scikit-learn best (STORED)',
              String(goldThemes),
              fixed(storedBest),
              '–',
              '–',
              '–',
              '–',
              '–',
            ]);
          const nmi = normalisedMutualInformation(data.gold, gold.labels);
          verdicts.push(
            `${data.name}, ${goldThemes} themes: NMI ${fixed(nmi)} vs target ${fixed(data.target ?? NaN, 2)} — ` +
              `${nmi >= (data.target ?? 0) ? 'met' : 'MISSED'}; vs stored best baseline ${fixed(storedBest)} — ` +
              `${nmi >= storedBest ? 'met' : 'MISSED'} (not measured in this run); automatic: ${auto.themes} themes ` +
              `(true ${goldThemes}), NMI ${fixed(normalisedMutualInformation(data.gold, auto.labels))}`,
          );
          continue;
        }
        const outcomes: Outcome[] = [
          gold,
          await sklearn(data, 'kmeans', goldThemes),
          await sklearn(data, 'nmf', goldThemes),
          auto,
          await sklearn(data, 'kmeans', auto.themes),
          await sklearn(data, 'nmf', auto.themes),
        ];
        const scored = outcomes.map((o) => ({
          ...o,
          nmi: normalisedMutualInformation(data.gold, o.labels),
          ari: adjustedRandIndex(data.gold, o.labels),
          coherence: npmiCoherence(docs, o.topWords),
          other: o.labels.filter((l) => l === null).length / o.labels.length,
        }));
        for (const s of scored) {
          table.push([
            data.name,
            s.method,
            String(s.themes),
            fixed(s.nmi),
            fixed(s.ari),
            fixed(s.coherence),
            `${(s.other * 100).toFixed(1)}%`,
            fixed(s.seconds, 2),
            s.cpu === null ? '–' : fixed(s.cpu, 2),
          ]);
        }
        for (const [from, to] of [
          [0, 3],
          [3, 6],
        ] as const) {
          const group = scored.slice(from, to);
          const [us, ...baselines] = group;
          if (!us) continue;
          const best = baselines.reduce((a, b) => (b.nmi > a.nmi ? b : a));
          const fastest = baselines.reduce((a, b) => (b.seconds < a.seconds ? b : a));
          if (from === 0 && data.target !== undefined)
            verdicts.push(
              `${data.name}, ${us.themes} themes: NMI ${fixed(us.nmi)} vs issue 14's target ${fixed(data.target, 2)} — ${us.nmi >= data.target ? 'met' : 'MISSED'}`,
            );
          verdicts.push(
            `${data.name}, ${us.themes} themes: NMI ${fixed(us.nmi)} vs best baseline ${fixed(best.nmi)} (${best.method}) — ` +
              `${us.nmi >= best.nmi ? 'met' : 'MISSED'}; time ${fixed(us.seconds, 2)} s vs ${fixed(best.seconds, 2)} s ` +
              `(${fixed(best.seconds / us.seconds, 2)}× faster; fastest baseline ${fixed(fastest.seconds, 2)} s) — ` +
              `${us.seconds * 2 <= best.seconds ? 'met' : 'MISSED'}`,
          );
        }
      }
      const widths = header.map((h, c) =>
        Math.max(h.length, ...table.map((r) => (r[c] ?? '').length)),
      );
      const line = (cells: readonly string[]): string =>
        cells
          .map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
          .join('  ');
      console.log(line(header));
      console.log(widths.map((w) => '-'.repeat(w)).join('  '));
      for (const row of table) console.log(line(row));
      console.log(
        `\nEvery time is end to end, the fastest of ${REPEATS} runs, each its own process. "Throughline" ` +
          'rows time the real command, `node bin/throughline.js themes FILE --text-column text ' +
          '[--themes N] --seed 1 --json`: Node starts, loads the command from its compiled cache ' +
          '(node_modules/.cache/throughline/cli/, built by esbuild on the first run after any change ' +
          'under src/), loads the engine and the word vectors, reads the file, finds the themes and ' +
          'prints JSON. The scikit-learn rows time `python3 bench/baselines/sklearn_themes.py` the ' +
          'same way (Python starts, imports scikit-learn from its own __pycache__, reads, clusters, ' +
          'prints JSON).',
      );
      console.log(
        `First run from a clean state (cache deleted; it builds the cache, then runs ${first?.name ?? '–'} ` +
          `with ${firstThemes} themes): ${fixed(warm, 2)} s. The same command without the cache ` +
          `(THROUGHLINE_CLI_CACHE=0: TypeScript compiled by tsx at every start): ` +
          `${viaTsx ? fixed(viaTsx.seconds, 2) : '–'} s.`,
      );
      console.log(
        withSklearn
          ? '\nTargets (NMI ≥ best baseline; at least 2× faster than it, end to end):'
          : '\nTargets (NMI ≥ issue 14 floor and ≥ the stored best baseline):',
      );
      for (const v of verdicts) console.log(`- ${v}`);

      // "Other" on CLINC150 with its out-of-scope requests mixed in, and the time without process start.
      const clinc = JSON.parse(readFileSync(path.join(dataDir, 'clinc150.json'), 'utf8')) as Record<
        string,
        [string, string][]
      >;
      const mixed = [...(clinc.test ?? []), ...(clinc.oos_test ?? [])];
      const vectorsStarted = performance.now();
      const vectors = loadWordVectors();
      const loadSeconds = (performance.now() - vectorsStarted) / 1000;
      const started = performance.now();
      const result = discoverThemes(
        mixed.map(([text]) => text),
        { seed: 1 },
        vectors,
      );
      const seconds = (performance.now() - started) / 1000;
      const oos = mixed.flatMap(([, c], i) => (c === 'oos' ? [i] : []));
      const inScope = mixed.flatMap(([, c], i) => (c !== 'oos' ? [i] : []));
      const otherShare = (rows: number[]): number =>
        rows.filter((i) => result.assignments[i] === null).length / rows.length;
      console.log(
        `\nCLINC150 test + out-of-scope (${mixed.length} requests, ${result.themes.length} themes, in process: ` +
          `vectors loaded in ${fixed(loadSeconds, 2)} s, themes in ${fixed(seconds, 2)} s): ` +
          `${(otherShare(oos) * 100).toFixed(1)}% of out-of-scope requests and ` +
          `${(otherShare(inScope) * 100).toFixed(1)}% of in-scope ones went to "other".`,
      );
      if (process.env.BENCH_THEMES_LARGE === '1') {
        console.log('\nLarge file (BENCH_THEMES_LARGE=1):');
        await large(scratch);
      } else {
        console.log(
          '\n(Set BENCH_THEMES_LARGE=1 to add a 200,000-comment comparison, about 2 minutes.)',
        );
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
