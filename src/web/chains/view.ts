// View models of the delivery-chain pages: the engine's results turned into GOV.UK table rows,
// summary lists and charts, so templates only lay them out. Every chart here comes with a table
// of the same figures.
import {
  CONTEXT_DEFINITION,
  FAMILY_DEFINITIONS,
  MEASURES,
  MEASURE_FAMILIES,
  VERDICT_WORDS,
  closedFormVersusSimulation,
  compareMeasures,
  describeShift,
  differenceInWords,
  measureValue,
  staffLabel,
} from '../../domain/chain/index.ts';
import type {
  ChainAnalysis,
  DeliveryChain,
  MeasureComparison,
  MeasureGroup,
  ScenarioComparison,
  SimulationResult,
  TypologyReading,
} from '../../domain/chain/index.ts';
import { barChartSvg, lineChartSvg } from './charts.ts';
import { chainDiagramSvg } from './diagram.ts';
import { describeService } from './edit.ts';
import { change, estimate, hours, money, num, pct } from './format.ts';

type Cell =
  { text: string; format?: 'numeric'; classes?: string } | { html: string; format?: 'numeric' };
export interface TableView {
  readonly caption: string;
  readonly captionClasses: string;
  readonly firstCellIsHeader: boolean;
  readonly head: readonly { text: string; format?: 'numeric' }[];
  readonly rows: readonly (readonly Cell[])[];
}

const n = (text: string): Cell => ({ text, format: 'numeric' });

function table(
  caption: string,
  head: readonly string[],
  rows: readonly (readonly Cell[])[],
  numericFrom = 1,
): TableView {
  return {
    caption,
    captionClasses: 'govuk-table__caption--s',
    firstCellIsHeader: true,
    head: head.map((text, i) =>
      i >= numericFrom ? { text, format: 'numeric' as const } : { text },
    ),
    rows,
  };
}

export interface SummaryRow {
  readonly key: { text: string };
  readonly value: { text: string };
}
const row = (key: string, value: string): SummaryRow => ({
  key: { text: key },
  value: { text: value },
});

/** Who works at a stage, in the stage table ("2 planners", "none: a delay (a timer …)"). */
function staffCell(chain: DeliveryChain, id: string): string {
  const stage = chain.stages.find((st) => st.id === id);
  return stage === undefined ? '' : staffLabel(stage);
}

export function analysisView(chain: DeliveryChain, a: ChainAnalysis) {
  const unit = chain.unitOfWork.plural;
  const bottleneckId = a.bottleneck.stageId;
  const stages = table(
    'Each stage, from the closed-form analysis',
    [
      'Stage',
      'Run by',
      'Staff or machines',
      `Visits a week`,
      'Capacity a week',
      'Busy',
      'Average wait',
    ],
    a.stages.map((s) => [
      { text: s.id === bottleneckId ? `${s.name} (bottleneck)` : s.name },
      { text: s.organisation },
      s.role === 'staffed' && s.serversOnDuty !== undefined
        ? n(`up to ${s.servers}, ${num(s.serversOnDuty, 1)} on average`)
        : { text: staffCell(chain, s.id) },
      n(
        num(s.visitsPerWeek) +
          (s.reworkVisitsPerWeek > 0.05 ? ` (${num(s.reworkVisitsPerWeek)} rework)` : ''),
      ),
      n(s.role === 'staffed' ? num(s.capacityPerWeek) : s.role === 'delay' ? 'none' : 'not known'),
      n(s.role === 'staffed' ? pct(s.utilisation) : '–'),
      n(s.waitingHours === null ? 'growing' : hours(s.waitingHours, a.hoursPerWeek)),
    ]),
    2,
  );
  // Delays and stages of unknown capacity have no utilisation to chart.
  const staffed = a.stages.filter((s) => s.role === 'staffed');
  const utilisationChart = barChartSvg({
    id: 'utilisation-chart',
    title: 'How busy each stage is',
    description: `Utilisation of each staffed stage as a share of its capacity. ${staffed
      .map((s) => `${s.name}: ${pct(s.utilisation)}${s.id === bottleneckId ? ' (bottleneck)' : ''}`)
      .join('; ')}. 100% means fully busy; above it, work piles up.`,
    rows: staffed.map((s) => ({
      label: s.name,
      value: s.utilisation,
      text: pct(s.utilisation),
      highlight: s.id === bottleneckId,
      ...(s.id === bottleneckId ? { note: 'bottleneck' } : {}),
    })),
    reference: { value: 1, label: 'Capacity (100%)' },
    tick: (v) => pct(v),
  });
  const measures: SummaryRow[] = [
    row(`New ${unit} a week`, num(a.demandPerWeek)),
    row('Most the chain could deliver a week', num(a.maxThroughputPerWeek)),
    row(
      `${unit.charAt(0).toUpperCase()}${unit.slice(1)} in progress (WIP)`,
      a.wip === null ? 'Keeps growing' : num(a.wip),
    ),
  ];
  // Figure 1's three measures of this chain as it is: its prices, its ratios, its outcomes.
  const itself = { chain, analysis: a, simulation: null };
  const own = compareMeasures(itself, itself);
  const families = [...MEASURE_FAMILIES, 'context' as const].map((group) => ({
    ...groupHeading(group),
    rows: own
      .filter(
        (m) =>
          m.family === group &&
          // With nothing to compare against, the cost per output at baseline prices is the cost per output.
          m.key !== 'costPerOutput',
      )
      .map((m): SummaryRow => {
        if (m.key === 'backlogGrowthPerWeek') {
          return row(
            'Backlog',
            a.stable
              ? 'Not growing: every stage keeps up'
              : `Grows by ${num(a.backlogGrowthPerWeek)} ${unit} a week`,
          );
        }
        if (m.key === 'leadTimeHours' && a.leadTimeHours === null) {
          return row('Average lead time (arrival to leaving)', 'No steady state: it keeps growing');
        }
        const label =
          m.key === 'costPerOutputAtBaselinePrices'
            ? 'Cost per output'
            : m.key === 'outcomeShare'
              ? `${cap(chain.outcomeName)} per output`
              : m.key === 'outcomesPerWeek'
                ? `${cap(chain.outcomeName)} a week`
                : m.label;
        return row(label, measureText(m, 'value', a.hoursPerWeek));
      }),
  }));
  const outputs = table(
    'Outputs and outcomes',
    [
      'Output',
      'A week',
      `Share achieving ${chain.outcomeName}`,
      `${cap(chain.outcomeName)} a week`,
    ],
    a.outputs.map((o) => [
      { text: o.name },
      n(num(o.perWeek)),
      n(pct(o.outcomeContribution)),
      n(num(o.perWeek * o.outcomeContribution)),
    ]),
  );
  return {
    diagram: chainDiagramSvg(chain, a),
    stages,
    utilisationChart,
    measures,
    families,
    outputs,
    method: a.method,
  };
}

/** A family's name and its "what this measures" line (paper Figure 1), or the context line. */
function groupHeading(group: MeasureGroup): {
  key: MeasureGroup;
  label: string;
  definition: string;
  /** The definition to follow "What this measures:". */
  measures: string;
} {
  const { label, definition } =
    group === 'context'
      ? { label: 'For context', definition: CONTEXT_DEFINITION }
      : FAMILY_DEFINITIONS[group];
  return {
    key: group,
    label,
    definition,
    measures: `${definition.charAt(0).toLowerCase()}${definition.slice(1)}`,
  };
}

/** Money below 100 keeps its pence, so that prices such as 33.33 an hour can be told apart. */
function price(x: number): string {
  return Math.abs(x) >= 100
    ? money(x)
    : x.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A measure's value on its basis: a simulated mean with its interval, or the closed form. */
function measureText(
  m: MeasureComparison,
  which: 'baseline' | 'value',
  hoursPerWeek: number,
): string {
  const missing = MEASURES.find((d) => d.key === m.key)?.whenMissing ?? 'none';
  const scale = Math.max(
    Math.abs(m.analytic.baseline ?? 0),
    Math.abs(m.simulated?.baseline.mean ?? 0),
  );
  const digits = scale >= 10 ? 1 : scale >= 1 ? 2 : 3;
  const format = (x: number): string =>
    m.format === 'money'
      ? price(x)
      : m.format === 'percent'
        ? pct(x)
        : m.format === 'hours'
          ? hours(x, hoursPerWeek)
          : num(x, digits);
  if (m.simulated !== null) return estimate(m.simulated[which], digits, format);
  const v = m.analytic[which];
  if (v === null) return missing === 'unbounded' ? 'grows without limit' : 'none';
  return format(v);
}

function cap(s: string): string {
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
}

/** The chain's model as summary-list rows, stage by stage (for the edit overview). */
export function stageSummary(chain: DeliveryChain, stageId: string): SummaryRow[] {
  const stage = chain.stages.find((s) => s.id === stageId);
  if (stage === undefined) return [];
  const target = (id: string): string =>
    chain.stages.find((s) => s.id === id)?.name ??
    (chain.outputs.find((o) => o.id === id)?.name !== undefined
      ? `output “${chain.outputs.find((o) => o.id === id)?.name ?? ''}”`
      : 'leaves the chain');
  const noun = stage.serverName ?? { singular: 'server', plural: 'servers' };
  return [
    row('Run by', stage.organisation),
    row(
      'Staff or machines',
      stage.delay !== undefined || stage.capacityUnknown !== undefined
        ? `${staffLabel(stage)}: ${stage.delay?.reason ?? stage.capacityUnknown?.reason ?? ''}`
        : `${stage.servers} ${stage.servers === 1 ? noun.singular : noun.plural}`,
    ),
    ...(stage.pool !== undefined
      ? [
          row(
            'On duty',
            `Shares the staff of ${chain.pools?.find((p) => p.id === stage.pool)?.name ?? stage.pool}`,
          ),
        ]
      : stage.roster !== undefined
        ? [row('On duty', stage.roster.shifts.map((sh) => describeShift(sh)).join('; '))]
        : chain.calendar !== undefined
          ? [row('On duty', 'Round the clock')]
          : []),
    row('Time per case', describeService(stage.service)),
    row(
      'Costs',
      `${money(stage.costPerServerHour)} an hour each, ${money(stage.costPerCase)} per case`,
    ),
    row(
      'Where cases go next',
      stage.routes
        .map(
          (r) =>
            `${pct(r.probability)} ${r.rework === true ? 'back for rework to' : 'to'} ${target(r.to)}`,
        )
        .join('; '),
    ),
  ];
}

/** Closed forms against the simulation: which figures to trust, and why (agreement.ts). */
export function agreementView(chain: DeliveryChain, analysis: ChainAnalysis, s: SimulationResult) {
  const a = closedFormVersusSimulation(chain, analysis, s);
  const hpw = chain.hoursPerWeek;
  const show = (x: number, format: 'hours' | 'number' | 'percent'): string =>
    format === 'hours' ? hours(x, hpw) : format === 'percent' ? pct(x) : num(x);
  return {
    trust: a.trust,
    summary: a.summary,
    reasons: a.reasons,
    table: table(
      'The formulas and the simulation side by side',
      ['Figure', 'Formulas', 'Simulation (95% interval)', 'Agree?'],
      a.rows.map((r) => [
        { text: r.label },
        n(r.closedForm === null ? 'none (no steady state)' : show(r.closedForm, r.format)),
        n(estimate(r.simulated, 1, (x) => show(x, r.format))),
        { text: r.closedForm === null ? '–' : r.agrees ? 'Yes' : 'No' },
      ]),
    ),
  };
}

export function simulationView(chain: DeliveryChain, s: SimulationResult) {
  const unit = chain.unitOfWork.plural;
  const hpw = s.hoursPerWeek;
  const weeks = (h: number): string => num(h / hpw, 0);
  const measures = table(
    `Results, with ${pct(s.confidence)} confidence intervals`,
    ['Measure', 'Average (interval)'],
    [
      [{ text: 'Outputs a week (throughput)' }, n(estimate(s.throughputPerWeek))],
      [{ text: 'Lead time: average, hours' }, n(estimate(s.leadTimeHours.mean))],
      [
        { text: 'Lead time: median (half of cases take less), hours' },
        n(estimate(s.leadTimeHours.median)),
      ],
      [
        { text: 'Lead time: 90th percentile (9 in 10 take less), hours' },
        n(estimate(s.leadTimeHours.p90)),
      ],
      [{ text: `${cap(unit)} in progress on average` }, n(estimate(s.wip))],
      [{ text: `${cap(unit)} in the chain at the end` }, n(estimate(s.backlogAtEnd))],
      [{ text: `${cap(chain.outcomeName)} a week` }, n(estimate(s.outcomesPerWeek))],
      [{ text: 'Cost per output' }, n(estimate(s.costPerOutput, 0, money))],
    ],
  );
  const bindingId = s.bindingConstraint.stageId;
  const stages = table(
    'Each stage, simulated',
    ['Stage', 'Busy', 'Average wait, hours', `${cap(unit)} at the stage`],
    s.stages.map((st) => [
      { text: st.id === bindingId ? `${st.name} (binding constraint)` : st.name },
      n(estimate(st.utilisation, 0, pct)),
      n(estimate(st.waitingHours)),
      n(estimate(st.meanAtStage)),
    ]),
  );
  const utilisationChart = barChartSvg({
    id: 'simulated-utilisation-chart',
    title: 'How busy each stage was in the simulation',
    description: s.stages
      .map(
        (st) =>
          `${st.name}: ${estimate(st.utilisation, 0, pct)}${st.id === bindingId ? ' (binding constraint)' : ''}`,
      )
      .join('; '),
    rows: s.stages.map((st) => ({
      label: st.name,
      value: st.utilisation.mean,
      low: st.utilisation.low,
      high: st.utilisation.high,
      text: pct(st.utilisation.mean),
      highlight: st.id === bindingId,
      ...(st.id === bindingId ? { note: 'constraint' } : {}),
    })),
    reference: { value: 1, label: 'Capacity (100%)' },
    tick: (v) => pct(v),
  });
  const points = s.backlog.timesHours.map((t, i) => {
    const e = s.backlog.total[i];
    return { x: t / hpw, mean: e?.mean ?? 0, low: e?.low ?? 0, high: e?.high ?? 0 };
  });
  const backlogChart = lineChartSvg({
    id: 'backlog-chart',
    title: `${cap(unit)} in the chain over time`,
    description: `Average over ${s.replications} runs, with its ${pct(s.confidence)} interval as a band. From ${num(points[0]?.mean ?? 0)} at week ${num(points[0]?.x ?? 0, 0)} to ${num(points[points.length - 1]?.mean ?? 0)} at week ${num(points[points.length - 1]?.x ?? 0, 0)}.`,
    points,
    xLabel: 'Week',
    yLabel: `${cap(unit)} in the chain`,
    xTick: (x) => num(x, 0),
    yTick: (y) => num(y, 0),
  });
  const backlog = table(
    `${cap(unit)} in the chain over time`,
    ['Week', 'Average', 'Interval'],
    points.map((p) => [
      { text: num(p.x, 0) },
      n(num(p.mean)),
      n(`${num(p.low)} to ${num(p.high)}`),
    ]),
  );
  return {
    measures,
    stages,
    utilisationChart,
    backlogChart,
    backlog,
    binding: s.bindingConstraint,
    notes: s.notes,
    weeks: weeks(s.horizonHours),
    warmup: s.warmup.explanation,
  };
}

// ---- scenario comparison ----

const MOVED_TEXT = {
  better: 'Better',
  worse: 'Worse',
  mixed: 'Mixed',
  no: 'Did not move',
} as const;

const ROW_TEXT = { substitution: 'substitution', technical: 'technical improvement' } as const;

/** An intervention's Figure 2 reading as sentences: each suggested cell with its reasons, then why not elsewhere. */
export function typologyLines(reading: TypologyReading): string[] {
  return [
    ...reading.suggestions.map(
      (s) =>
        `Cell ${s.cell}, ${ROW_TEXT[s.row]} in ${FAMILY_DEFINITIONS[s.column].label.toLowerCase()} (${EFFECT_TEXT[s.effect]}): ${s.reasons.join(' ')} Measured: ${s.evidence.join(' ')}`,
    ),
    ...reading.columns.flatMap((c) => (c.note === null ? [] : [`${c.label}: ${c.note}`])),
  ];
}

export const EFFECT_TEXT = {
  improves: 'improves',
  worsens: 'worsens',
  mixed: 'improves and worsens',
} as const;

/** The change in a table cell: the change when it moved, else what the noise allows, with its interval. */
function verdictText(m: MeasureComparison): string {
  if (m.moved) return change(m.relativeChange);
  if (m.test === undefined) return 'no material change';
  const d = m.simulated?.difference;
  const b = Math.abs(m.simulated?.baseline.mean ?? 0);
  const range =
    d === undefined || b === 0 || (d.low === 0 && d.high === 0)
      ? ''
      : `: ${change(d.low / b)} to ${change(d.high / b)}`;
  return `${VERDICT_WORDS[m.test.verdict]}${range}`;
}

/**
 * The comparison's statistics as plain data: what the page's "How sure" section shows and what
 * the JSON download returns, from one source so that the two cannot disagree.
 */
export function comparisonSummary(chain: DeliveryChain, cmp: ScenarioComparison) {
  const st = cmp.statistics;
  const hpw = chain.hoursPerWeek;
  return {
    chain: { id: chain.id, name: chain.name },
    basis: st === null ? ('formulas' as const) : ('simulation' as const),
    materiality: cmp.materiality,
    statistics:
      st === null
        ? null
        : {
            replicationsPerScenario: st.replications,
            startedAt: st.minReplications,
            mostAllowed: st.maxReplications,
            precision: st.precision,
            precisionReached: st.precisionReached,
            precisionNotReachedFor: st.notReached,
            warmupHours: st.warmup.hours,
            warmupMethod: st.warmup.method,
            warmupSettled: st.warmup.settled,
            warmupExplanation: st.warmup.explanation,
            alpha: st.alpha,
            testsJudgedTogether: st.tests,
            correction: 'Holm–Bonferroni',
            commonRandomNumbers: true,
            explanation: st.explanation,
          },
    scenarios: cmp.scenarios.map((s) => ({
      id: s.id,
      name: s.name,
      findings: s.findings,
      measures: s.measures.map((m) => ({
        key: m.key,
        label: m.label,
        family: m.family,
        basis: m.basis,
        baseline: measureValue(m, 'baseline'),
        value: measureValue(m, 'value'),
        relativeChange: m.relativeChange,
        moved: m.moved,
        direction: m.direction,
        verdict: m.test?.verdict ?? (m.moved ? 'moved' : 'no-material-change'),
        difference:
          m.simulated === null
            ? null
            : {
                mean: m.simulated.difference.mean,
                low: m.simulated.difference.low,
                high: m.simulated.difference.high,
                confidence: m.test === undefined ? null : 1 - m.test.level,
                pValue: m.test?.pValue ?? null,
                inWords: differenceInWords(m, '', hpw),
              },
      })),
    })),
  };
}

export function comparisonView(chain: DeliveryChain, cmp: ScenarioComparison) {
  const all = [cmp.baseline, ...cmp.scenarios];
  const hpw = chain.hoursPerWeek;
  // One table per family of Figure 1, so that a volume is never read as an effectiveness gain.
  const families = [...MEASURE_FAMILIES, 'context' as const].map((group) => {
    const heading = groupHeading(group);
    const keys = cmp.baseline.measures.filter((m) => m.family === group);
    const bottleneck: Cell[][] =
      group === 'operational'
        ? [
            [
              { text: 'Bottleneck' },
              ...all.map((s) => ({
                text: `${s.analysis.bottleneck.name} (${pct(s.analysis.bottleneck.utilisation)})`,
              })),
            ],
          ]
        : [];
    return {
      ...heading,
      table: table(
        `${heading.label}: baseline and each scenario (change from the baseline in brackets)`,
        ['Measure', ...all.map((s) => s.name)],
        [
          ...bottleneck,
          ...keys.map((k) => [
            { text: k.label },
            ...all.map((s): Cell => {
              const m = s.measures.find((x) => x.key === k.key);
              if (m === undefined) return n('–');
              const value = measureText(m, 'value', hpw);
              if (s === cmp.baseline) return n(value);
              return n(`${value} [${verdictText(m)}]`);
            }),
          ]),
        ],
      ),
    };
  });
  const moved = table(
    'Which of Figure 1’s three measures moved beyond their uncertainty',
    [
      'Scenario',
      'Typology cells (Figure 2)',
      ...MEASURE_FAMILIES.map((f) => FAMILY_DEFINITIONS[f].label),
    ],
    cmp.scenarios.map((s) => [
      { text: s.name },
      {
        text:
          [...new Set(s.interventions.flatMap((i) => i.typologyCells))].sort().join(', ') || 'none',
      },
      ...MEASURE_FAMILIES.map((f) => ({
        text: MOVED_TEXT[s.moved[f]],
      })),
    ]),
    9,
  );
  const tput = (s: (typeof all)[number]) => {
    const m = s.measures.find((x) => x.key === 'throughputPerWeek');
    return (
      m?.simulated?.value ?? {
        mean: m?.analytic.value ?? 0,
        low: m?.analytic.value ?? 0,
        high: m?.analytic.value ?? 0,
        halfWidth: 0,
      }
    );
  };
  const throughputChart = barChartSvg({
    id: 'throughput-comparison-chart',
    title: 'Throughput of each scenario',
    description: all.map((s) => `${s.name}: ${estimate(tput(s))} outputs a week`).join('; '),
    rows: all.map((s) => {
      const e = tput(s);
      return {
        label: s.name,
        value: e.mean,
        low: e.low,
        high: e.high,
        text: num(e.mean),
        highlight: s === cmp.baseline,
        ...(s === cmp.baseline ? { note: '(baseline)' } : {}),
      };
    }),
    reference: { value: tput(cmp.baseline).mean, label: 'Baseline' },
    tick: (v) => num(v, 0),
  });
  const throughputTable = table(
    'Throughput (outputs a week)',
    ['Scenario', 'Average', '95% interval', 'Bottleneck'],
    all.map((s) => {
      const e = tput(s);
      return [
        { text: s.name },
        n(num(e.mean)),
        n(`${num(e.low)} to ${num(e.high)}`),
        { text: s.analysis.bottleneck.name },
      ];
    }),
    1,
  );
  const scenarios = cmp.scenarios.map((s) => ({
    id: s.id,
    name: s.name,
    findings: s.findings,
    bottleneckMoved: s.analysis.bottleneck.stageId !== cmp.baseline.analysis.bottleneck.stageId,
    bottleneck: s.analysis.bottleneck.name,
    interventions: s.interventions,
    typology: s.interventions.map((i) => ({ name: i.name, lines: typologyLines(i.typology) })),
  }));
  const summary = comparisonSummary(chain, cmp);
  const st = summary.statistics;
  const sureness =
    st === null
      ? null
      : {
          rows: [
            row(
              'Runs',
              `${st.replicationsPerScenario} per scenario, the same for each (started at ${st.startedAt}, at most ${st.mostAllowed})`,
            ),
            row(
              'Precision',
              st.precisionReached
                ? `Reached: every difference known to within ${num(st.precision * 100, st.precision * 100 >= 1 ? 0 : 1)}% of its baseline value, or clearly larger than ${pct(summary.materiality)}`
                : `Not reached after the most runs allowed, for: ${st.precisionNotReachedFor.join('; ')}`,
            ),
            row('Warm-up', st.warmupExplanation),
            row(
              'Many measures at once',
              `${st.testsJudgedTogether} simulated measures judged together (${st.correction}), so the chance of any false “moved” is at most ${pct(st.alpha)}`,
            ),
            row('Same random numbers', st.explanation[0] ?? ''),
          ],
          differences: table(
            'Each simulated difference from the baseline, and what it amounts to',
            ['Scenario', 'Measure', 'Difference (interval)', 'Verdict'],
            summary.scenarios.flatMap((s) =>
              s.measures
                .filter((m) => m.difference !== null && m.difference.confidence !== null)
                .map((m) => [
                  { text: s.name },
                  { text: m.label },
                  { text: m.difference?.inWords ?? '' },
                  {
                    text:
                      m.verdict === 'moved'
                        ? `Moved (${m.direction === 'better' ? 'better' : 'worse'})`
                        : cap(VERDICT_WORDS[m.verdict as keyof typeof VERDICT_WORDS] ?? m.verdict),
                  },
                ]),
            ),
            4,
          ),
        };
  return {
    summary,
    sureness,
    agreement:
      cmp.baseline.simulation === null
        ? null
        : agreementView(chain, cmp.baseline.analysis, cmp.baseline.simulation),
    families,
    definitions: [...MEASURE_FAMILIES, 'context' as const].map(groupHeading),
    moved,
    throughputChart,
    throughputTable,
    scenarios,
    notes: cmp.notes,
    baselineFindings: cmp.baseline.findings,
  };
}
