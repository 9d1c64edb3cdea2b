// `throughline chain`: analyse a delivery chain from a JSON file, simulate it, compare its
// interventions, or print a demo chain from the paper — a thin wrapper over src/domain/chain.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type * as ChainEngine from '../../domain/chain/index.ts';
import type {
  ChainAnalysis,
  DeliveryChain,
  Estimate,
  MeasureComparison,
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
      .option('--weeks <n>', 'simulated weeks per replication (warm-up detected by MSER-5)', '52');

  simOptions(
    chain
      .command('analyse')
      .alias('analyze')
      .argument('<file>', 'chain JSON file')
      .description('Utilisation, bottleneck, throughput, lead time and cost from the closed forms.')
      .option('--simulate', 'also simulate the chain'),
  ).action(async (file: string, flags: SimulateFlags) => {
    const eng = await engine();
    const c = load(eng.parseChain, file);
    const analysis = eng.analyseChain(c);
    const simulation = flags.simulate === true ? eng.simulateChain(c, simOpts(c, flags)) : null;
    if (flags.json === true) return printJson({ analysis, simulation });
    printAnalysis(eng, c, analysis);
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
    const eng = await engine();
    const c = load(eng.parseChain, file);
    const comparison = eng.compareScenarios(c, {
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
    printComparison(eng, c, comparison);
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
  if (weeks < 2) throw new Error('--weeks must be at least 2');
  return {
    seed: positiveInt(flags.seed, 'seed'),
    replications: positiveInt(flags.replications, 'replications'),
    horizonHours: weeks * c.hoursPerWeek,
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

function printAnalysis(eng: Engine, c: DeliveryChain, a: ChainAnalysis): void {
  console.log(
    `${c.name} — analysis (${a.method}; times in working hours, ${c.hoursPerWeek} a week)\n`,
  );
  console.log(
    table([
      ['stage', 'organisation', 'servers', 'visits/wk', 'capacity/wk', 'utilisation', 'wait h', ''],
      ...a.stages.map((s) => [
        s.name,
        s.organisation,
        s.role === 'staffed' ? String(s.servers) : s.role === 'delay' ? 'delay' : 'unknown',
        f1(s.visitsPerWeek),
        s.role === 'staffed' ? f1(s.capacityPerWeek) : '–',
        s.role === 'staffed' ? pc(s.utilisation) : '–',
        f1(s.waitingHours),
        s.id === a.bottleneck.stageId ? '← bottleneck' : '',
      ]),
    ]),
  );
  console.log('');
  console.log(
    table([
      ['flow', 'value'],
      [`demand (${c.unitOfWork.plural}/week)`, f1(a.demandPerWeek)],
      ['maximum sustainable throughput', f1(a.maxThroughputPerWeek)],
    ]),
  );
  // The three measures of Figure 1 for this chain on its own: its prices, its ratios, its outcomes.
  const itself = { chain: c, analysis: a, simulation: null };
  const measures = eng.compareMeasures(itself, itself);
  for (const group of [...eng.MEASURE_FAMILIES, 'context'] as const) {
    console.log(`\n${groupHeading(eng, group)}`);
    console.log(
      table([
        ['measure', 'value'],
        ...measures
          .filter((m) => m.family === group)
          .map((m) => [m.label, shown(eng, c, m, 'value')]),
      ]),
    );
  }
  console.log('');
  for (const finding of a.findings) console.log(`• ${finding}`);
  for (const assumption of a.assumptions) console.log(`  (${assumption})`);
}

/** "Budgetary efficiency — how well inputs are bought: …", or the context line. */
function groupHeading(eng: Engine, group: MeasureComparison['family']): string {
  if (group === 'context') return `Context — ${eng.CONTEXT_DEFINITION}`;
  const d = eng.FAMILY_DEFINITIONS[group];
  return `${d.label} — ${d.definition.charAt(0).toLowerCase()}${d.definition.slice(1)}`;
}

/** A measure's value on its basis: a simulated mean ± half-width, or the closed form. */
function shown(
  eng: Engine,
  c: DeliveryChain,
  m: MeasureComparison,
  which: 'baseline' | 'value',
): string {
  const missing = eng.MEASURES.find((d) => d.key === m.key)?.whenMissing ?? 'none';
  if (m.simulated !== null) {
    const e = m.simulated[which];
    const mean = eng.formatMeasure(e.mean, m.format, c.hoursPerWeek, missing);
    return m.format === 'number' || m.format === 'money'
      ? `${mean} ± ${eng.formatMeasure(e.halfWidth, m.format, c.hoursPerWeek, missing, e.mean)}`
      : mean;
  }
  return eng.formatMeasure(m.analytic[which], m.format, c.hoursPerWeek, missing);
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
  console.log(`• ${s.warmup.explanation}`);
  for (const note of s.notes) console.log(`• ${note}`);
}

function printComparison(eng: Engine, c: DeliveryChain, cmp: ScenarioComparison): void {
  const all = [cmp.baseline, ...cmp.scenarios];
  console.log(`${c.name} — scenarios\n`);
  console.log(
    table([
      ['scenario', 'bottleneck', 'budgetary', 'operational', 'effectiveness'],
      ...all.map((s) => [
        s.name,
        s.analysis.bottleneck.name,
        ...eng.MEASURE_FAMILIES.map((f) => (s === cmp.baseline ? '' : MOVED[s.moved[f]])),
      ]),
    ]),
  );
  // One table per family of Figure 1, so a volume is never read as an effectiveness gain.
  for (const group of [...eng.MEASURE_FAMILIES, 'context'] as const) {
    console.log(`\n${groupHeading(eng, group)}`);
    const keys = cmp.baseline.measures.filter((m) => m.family === group);
    console.log(
      table([
        ['measure', ...all.map((s) => s.name)],
        ...keys.map((k) => [
          k.label,
          ...all.map((s) => {
            const m = s.measures.find((x) => x.key === k.key);
            if (m === undefined) return '—';
            const value = shown(eng, c, m, 'value');
            if (s === cmp.baseline || !m.moved) return value;
            return `${value} (${eng.signedChange(m.relativeChange) || m.direction})`;
          }),
        ]),
      ]),
    );
  }
  for (const s of cmp.scenarios) {
    console.log(`\n${s.name}`);
    for (const finding of s.findings) console.log(`• ${finding}`);
    for (const i of s.interventions) {
      for (const cell of i.typology.suggestions) {
        console.log(
          `  Suggested cell ${cell.cell} (${cell.row}, ${cell.column}; ${cell.effect}): ${cell.reasons.join(' ')}`,
        );
      }
      for (const column of i.typology.columns) {
        if (column.note !== null) console.log(`  ${column.label}: ${column.note}`);
      }
    }
  }
  console.log('');
  for (const note of cmp.notes) console.log(`(${note})`);
}

const MOVED = { better: 'better', worse: 'worse', mixed: 'mixed', no: 'did not move' } as const;
