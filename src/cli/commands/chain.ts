// `throughline chain`: analyse a delivery chain from a JSON file, simulate it, compare its
// interventions, or print a demo chain from the paper — a thin wrapper over src/domain/chain.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type * as ChainEngine from '../../domain/chain/index.ts';
import type {
  ChainAnalysis,
  DeliveryChain,
  Estimate,
  ScenarioComparison,
  SimulationResult,
} from '../../domain/chain/index.ts';

interface SimulateFlags {
  json?: boolean;
  simulate?: boolean;
  seed: string;
  replications: string;
  weeks: string;
}

type Engine = typeof ChainEngine;

// The engine is loaded when a sub-command runs, not when the program starts: `throughline themes`
// does not pay for it.
const engine = (): Promise<Engine> => import('../../domain/chain/index.ts');

const demoNames = ['planning-permit', 'police-prosecution-courts'] as const;

export function registerChainCommand(program: Command): void {
  const chain = program
    .command('chain')
    .description(
      'Delivery chains (paper section 2.2.1): find the bottleneck, simulate, compare interventions.',
    );
  const simOptions = (c: Command): Command =>
    c
      .option('--json', 'print the full result as JSON')
      .option('--seed <n>', 'seed of the first replication', '1')
      .option('--replications <n>', 'independent replications', '10')
      .option('--weeks <n>', 'simulated weeks per replication (4 of them warm-up)', '52');

  simOptions(
    chain
      .command('analyse')
      .alias('analyze')
      .argument('<file>', 'chain JSON file')
      .description('Utilisation, bottleneck, throughput, lead time and cost from the closed forms.')
      .option('--simulate', 'also simulate the chain'),
  ).action(async (file: string, flags: SimulateFlags) => {
    const { analyseChain, simulateChain, parseChain } = await engine();
    const c = load(parseChain, file);
    const analysis = analyseChain(c);
    const simulation = flags.simulate === true ? simulateChain(c, simOpts(c, flags)) : null;
    if (flags.json === true) return printJson({ analysis, simulation });
    printAnalysis(c, analysis);
    if (simulation !== null) printSimulation(c, simulation);
  });

  simOptions(
    chain
      .command('simulate')
      .argument('<file>', 'chain JSON file')
      .description('Discrete-event simulation with confidence intervals.'),
  ).action(async (file: string, flags: SimulateFlags) => {
    const { simulateChain, parseChain } = await engine();
    const c = load(parseChain, file);
    const simulation = simulateChain(c, simOpts(c, flags));
    if (flags.json === true) return printJson(simulation);
    printSimulation(c, simulation);
  });

  simOptions(
    chain
      .command('compare')
      .argument('<file>', 'chain JSON file with interventions')
      .description('Compare the baseline with each intervention in the file.')
      .option('--no-simulate', 'closed forms only'),
  ).action(async (file: string, flags: SimulateFlags) => {
    const { compareScenarios, parseChain } = await engine();
    const c = load(parseChain, file);
    const comparison = compareScenarios(c, {
      simulation: flags.simulate === false ? false : simOpts(c, flags),
    });
    if (flags.json === true) {
      return printJson({
        ...comparison,
        scenarios: comparison.scenarios.map((s) => ({
          ...s,
          simulation: undefined,
          chain: undefined,
        })),
        baseline: { ...comparison.baseline, simulation: undefined, chain: undefined },
      });
    }
    printComparison(c, comparison);
  });

  chain
    .command('demo')
    .argument('<name>', demoNames.join(' or '))
    .description("Print one of the paper's demo chains as JSON (save it and edit it).")
    .action(async (name: string) => {
      const { planningPermitChainJson, policeProsecutionCourtsChainJson } = await engine();
      const demos: Record<(typeof demoNames)[number], unknown> = {
        'planning-permit': planningPermitChainJson,
        'police-prosecution-courts': policeProsecutionCourtsChainJson,
      };
      const demo = (demos as Record<string, unknown>)[name];
      if (demo === undefined) {
        throw new Error(`no demo chain "${name}"; try ${demoNames.join(' or ')}`);
      }
      printJson(demo);
    });
}

function load(parseChain: Engine['parseChain'], file: string): DeliveryChain {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const result = parseChain(raw);
  if (!result.ok) {
    const n = result.issues.length;
    throw new Error(
      [
        `invalid: ${file} (${n} problem${n === 1 ? '' : 's'})`,
        ...result.issues.map((i) => `  ${i.message}`),
      ].join('\n'),
    );
  }
  return result.chain;
}

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a whole number of at least 1`);
  return n;
}

function simOpts(c: DeliveryChain, flags: SimulateFlags) {
  const weeks = positiveInt(flags.weeks, 'weeks');
  if (weeks <= 4) throw new Error('--weeks must be more than the 4 weeks of warm-up');
  return {
    seed: positiveInt(flags.seed, 'seed'),
    replications: positiveInt(flags.replications, 'replications'),
    horizonHours: weeks * c.hoursPerWeek,
    warmupHours: 4 * c.hoursPerWeek,
  };
}

function printJson(value: unknown): void {
  console.log(
    JSON.stringify(value, (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v), 2),
  );
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .flatMap((r, i) => {
      const line = r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
        .join('  ');
      return i === 0 ? [line, widths.map((w) => '-'.repeat(w)).join('  ')] : [line];
    })
    .join('\n');
}

const f1 = (x: number | null): string => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(1));
const pc = (x: number): string => `${Math.round(x * 100)}%`;
const ci = (e: Estimate, digits = 1): string =>
  Number.isFinite(e.mean) ? `${e.mean.toFixed(digits)} ± ${e.halfWidth.toFixed(digits)}` : '—';

function printAnalysis(c: DeliveryChain, a: ChainAnalysis): void {
  console.log(
    `${c.name} — analysis (${a.method}; times in working hours, ${c.hoursPerWeek} a week)\n`,
  );
  console.log(
    table([
      ['stage', 'organisation', 'servers', 'visits/wk', 'capacity/wk', 'utilisation', 'wait h', ''],
      ...a.stages.map((s) => [
        s.name,
        s.organisation,
        String(s.servers),
        f1(s.visitsPerWeek),
        f1(s.capacityPerWeek),
        pc(s.utilisation),
        f1(s.waitingHours),
        s.id === a.bottleneck.stageId ? '← bottleneck' : '',
      ]),
    ]),
  );
  console.log('');
  console.log(
    table([
      ['measure', 'value'],
      [`demand (${c.unitOfWork.plural}/week)`, f1(a.demandPerWeek)],
      ['throughput (outputs/week)', f1(a.throughputPerWeek)],
      ['maximum sustainable throughput', f1(a.maxThroughputPerWeek)],
      ['backlog growth/week', f1(a.backlogGrowthPerWeek)],
      ['mean lead time (hours)', f1(a.leadTimeHours)],
      [`${c.outcomeName}/week`, f1(a.outcomesPerWeek)],
      ['cost per output', f1(a.cost.perOutput)],
    ]),
  );
  console.log('');
  for (const finding of a.findings) console.log(`• ${finding}`);
  for (const assumption of a.assumptions) console.log(`  (${assumption})`);
}

function printSimulation(c: DeliveryChain, s: SimulationResult): void {
  const weeks = s.horizonHours / c.hoursPerWeek;
  console.log(
    `\n${c.name} — simulation: ${s.replications} replications × ${Number.isFinite(weeks) ? weeks.toFixed(0) : '?'} weeks, ${pc(s.confidence)} intervals\n`,
  );
  console.log(
    table([
      ['stage', 'utilisation', 'mean waiting h', `${c.unitOfWork.plural} at stage`],
      ...s.stages.map((st) => [
        st.name,
        ci(st.utilisation, 3),
        ci(st.waitingHours),
        ci(st.meanAtStage),
      ]),
    ]),
  );
  console.log('');
  console.log(
    table([
      ['measure', 'mean ± half-width'],
      ['throughput (outputs/week)', ci(s.throughputPerWeek)],
      ['lead time: mean (hours)', ci(s.leadTimeHours.mean)],
      ['lead time: median (hours)', ci(s.leadTimeHours.median)],
      ['lead time: 90th percentile (hours)', ci(s.leadTimeHours.p90)],
      [`${c.unitOfWork.plural} in the chain at the end`, ci(s.backlogAtEnd)],
      [`${c.outcomeName}/week`, ci(s.outcomesPerWeek)],
      ['cost per output', ci(s.costPerOutput, 0)],
    ]),
  );
  console.log(`\n• ${s.bindingConstraint.explanation}`);
  for (const note of s.notes) console.log(`• ${note}`);
}

function printComparison(c: DeliveryChain, cmp: ScenarioComparison): void {
  const all = [cmp.baseline, ...cmp.scenarios];
  const value = (s: (typeof all)[number], key: string): string => {
    const m = s.measures.find((x) => x.key === key);
    if (m === undefined) return '—';
    if (m.simulated !== null) return ci(m.simulated.value, key === 'costPerOutput' ? 0 : 1);
    return f1(m.analytic.value);
  };
  console.log(`${c.name} — scenarios\n`);
  console.log(
    table([
      [
        'scenario',
        'bottleneck',
        'throughput/wk',
        'lead time h',
        `${c.outcomeName}/wk`,
        'cost/output',
        'moved (B/O/E)',
      ],
      ...all.map((s) => [
        s.name,
        s.analysis.bottleneck.name,
        value(s, 'throughputPerWeek'),
        value(s, 'leadTimeHours'),
        value(s, 'outcomesPerWeek'),
        value(s, 'costPerOutput'),
        s === cmp.baseline
          ? ''
          : [s.moved.budgetary, s.moved.operational, s.moved.effectiveness].join('/'),
      ]),
    ]),
  );
  for (const s of cmp.scenarios) {
    console.log(`\n${s.name}`);
    for (const finding of s.findings) console.log(`• ${finding}`);
  }
  console.log('');
  for (const note of cmp.notes) console.log(`(${note})`);
}
