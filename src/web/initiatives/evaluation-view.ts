// What the evaluation pages show and read (paper section 3.1): the event log's figures before and
// after go-live as rows and sentences, the log and activity choices of step 1 (with the activity
// that matches the initiative's stage chosen for the user), the typed form of step 2 turned into
// the engine's EvaluationInput (each problem named beside its field), and a saved evaluation as
// the page lists it. Every figure shown comes from the engine; nothing here computes one.
import {
  EVALUATION_OUTCOMES,
  OUTCOME_WORDS,
  evaluationInputSchema,
  type Evaluation,
  type EvaluationInput,
  type FigureKey,
  type LogEvaluation,
  type PeriodFigures,
} from '../../domain/initiatives/evaluation.ts';
import type { InitiativeStatus } from '../../domain/initiatives/types.ts';
import { formatDuration } from '../../domain/mining/index.ts';
import type { LogSummary } from '../../storage/index.ts';
import { formErrors, type FormErrors } from '../forms.ts';

/** Longest window either side of go-live, in days. */
export const MAX_WINDOW_DAYS = 3650;

const longDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

export function dateWords(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : longDate.format(t);
}

const STATUS_WORDS: Readonly<Record<InitiativeStatus, string>> = {
  idea: 'an idea',
  assessed: 'assessed',
  approved: 'approved',
  'in-delivery': 'in delivery',
  live: 'live',
  evaluated: 'evaluated',
  stopped: 'stopped',
};

export function statusWords(status: InitiativeStatus): string {
  return STATUS_WORDS[status];
}

// ---------------------------------------------------------------------------------------------
// Step 1: which log, which activity, which windows

/** "None: type the figures" in the log select. */
export const NO_LOG = 'none';

function normalise(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The log activity that is the initiative's stage: the one with the same name (ignoring case and
 * punctuation), else the shortest whose name contains the stage's ("T06 Determine necessity of stop
 * advice" for "Determine necessity of stop advice"), else the longest contained in the stage's name.
 */
export function matchActivity(
  activities: readonly string[],
  stageName: string | null,
): string | undefined {
  if (stageName === null) return undefined;
  const stage = normalise(stageName);
  if (stage === '') return undefined;
  const named = activities.map((a) => ({ a, n: normalise(a) })).filter((x) => x.n !== '');
  const same = named.find((x) => x.n === stage);
  if (same) return same.a;
  const containing = named
    .filter((x) => x.n.includes(stage))
    .sort((x, y) => x.n.length - y.n.length);
  if (containing[0]) return containing[0].a;
  const contained = named
    .filter((x) => x.n.length >= 4 && stage.includes(x.n))
    .sort((x, y) => y.n.length - x.n.length);
  return contained[0]?.a;
}

/** "2010 to 2012", or "2011" when the log lies within one year. */
function yearsOf(first: string, last: string): string {
  const [a, b] = [first.slice(0, 4), last.slice(0, 4)];
  return a === b ? a : `${a} to ${b}`;
}

export function logItems(logs: readonly LogSummary[], selected: string) {
  return [
    ...logs.map((l) => ({
      value: l.id,
      text: `${l.name} (${l.cases.toLocaleString('en-GB')} cases${l.firstEventAt && l.lastEventAt ? `, ${yearsOf(l.firstEventAt, l.lastEventAt)}` : ''})`,
      selected: l.id === selected,
    })),
    { value: NO_LOG, text: 'None: type the figures', selected: selected === NO_LOG },
  ];
}

export function activityItems(activities: readonly string[], selected: string) {
  return [
    { value: '', text: 'No particular activity: the whole case', selected: selected === '' },
    ...[...activities]
      .sort((a, b) => a.localeCompare(b, 'en-GB', { numeric: true }))
      .map((a) => ({ value: a, text: a, selected: a === selected })),
  ];
}

/** A query or form value that must be one text: a repeated field (a forged form) is not. */
export function single(value: unknown): string | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : null;
}

/** The window as typed: blank is none, else a whole number of days from 1 to MAX_WINDOW_DAYS. */
export function readWindow(raw: unknown): { days: number | null } | { error: string } {
  const text = single(raw);
  if (text === null) return { error: 'Enter one number of days for the windows' };
  const value = (text ?? '').trim();
  if (value === '') return { days: null };
  if (!/^\d{1,7}$/.test(value)) {
    return { error: 'Enter the windows as a whole number of days, like 90, or leave it blank' };
  }
  const days = Number(value);
  if (days < 1) return { error: 'The windows must be at least 1 day' };
  if (days > MAX_WINDOW_DAYS) {
    return {
      error: `The windows must be ${MAX_WINDOW_DAYS.toLocaleString('en-GB')} days (10 years) or fewer`,
    };
  }
  return { days };
}

// ---------------------------------------------------------------------------------------------
// Step 2: the figures from the log

export interface Row {
  readonly label: string;
  readonly before: string;
  readonly after: string;
}

const one = (x: number): string =>
  x.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const count = (n: number): string => n.toLocaleString('en-GB');

function periodText(p: PeriodFigures, side: 'before' | 'after'): string {
  return side === 'before'
    ? `${dateWords(p.from)} to go-live (${one(p.weeks)} weeks)`
    : `Go-live to ${dateWords(p.to)} (${one(p.weeks)} weeks)`;
}

/** The before-and-after table: every figure the engine measured for the two periods. */
export function periodRows(e: LogEvaluation): Row[] {
  const b = e.before;
  const a = e.after;
  const rows: Row[] = [
    { label: 'Period', before: periodText(b, 'before'), after: periodText(a, 'after') },
    {
      label: 'Cases (started and finished in the period)',
      before: count(b.cases),
      after: count(a.cases),
    },
  ];
  const lead = (label: string, pick: (p: PeriodFigures) => number) => {
    rows.push({
      label,
      before: b.cases > 0 ? formatDuration(pick(b)) : 'no cases',
      after: a.cases > 0 ? formatDuration(pick(a)) : 'no cases',
    });
  };
  lead('Lead time: median', (p) => p.leadTime.median);
  lead('Lead time: mean', (p) => p.leadTime.mean);
  lead('Lead time: slowest tenth (90th percentile)', (p) => p.leadTime.p90);
  const wb = b.activity;
  const wa = a.activity;
  if (wb !== null && wa !== null) {
    const wait = (label: string, pick: (p: NonNullable<PeriodFigures['activity']>) => string) =>
      rows.push({ label: `${label} ${wb.activity}`, before: pick(wb), after: pick(wa) });
    const stat = (pick: (w: NonNullable<PeriodFigures['activity']>) => number) => {
      return (w: NonNullable<PeriodFigures['activity']>) =>
        w.wait.count > 0 ? formatDuration(pick(w)) : 'no waits';
    };
    wait(
      'Waits measured before',
      (w) => `${count(w.wait.count)} in ${count(w.casesVisiting)} cases`,
    );
    wait(
      'Median wait before',
      stat((w) => w.wait.median),
    );
    wait(
      'Mean wait before',
      stat((w) => w.wait.mean),
    );
    wait('Share of case time spent waiting for', (w) => `${one(w.shareOfCaseTime * 100)}%`);
  }
  rows.push(
    {
      label: 'Throughput: cases finished a week',
      before: one(b.throughputPerWeek),
      after: one(a.throughputPerWeek),
    },
    {
      label: 'Demand: cases started a week',
      before: one(b.arrivalsPerWeek),
      after: one(a.arrivalsPerWeek),
    },
    {
      label: 'Cases in progress on average',
      before: one(b.meanWip),
      after: one(a.meanWip),
    },
  );
  return rows;
}

/** Every change the engine described, in plain words, lead time first. */
export function changeSentences(e: LogEvaluation): string[] {
  const c = e.changes;
  return [
    c.leadTimeMedian,
    c.leadTimeMean,
    c.leadTimeP90,
    c.waitMedian,
    c.waitMean,
    c.waitShare,
    c.throughput,
  ].flatMap((d) => (d === null ? [] : [d.sentence]));
}

/** What the log offers for the operational figures it can measure, as the form's hints say it. */
export function logFigureHints(e: LogEvaluation | null): Partial<Record<FigureKey, string>> {
  if (e === null || e.before.cases === 0 || e.after.cases === 0) return {};
  // In days, as the field asks, and in words when a day is the wrong scale (4.6 minutes).
  const days = (s: number) => {
    const d = (s / 86_400).toLocaleString('en-GB', { maximumSignificantDigits: 3 });
    return s >= 86_400 ? `${d} days` : `${d} days (${formatDuration(s)})`;
  };
  return {
    leadTimeDays: `From the event log: a median of ${days(e.before.leadTime.median)} before and ${days(e.after.leadTime.median)} after. Leave both blank to use these figures.`,
    throughputPerWeek: `From the event log: ${one(e.before.throughputPerWeek)} before and ${one(e.after.throughputPerWeek)} after. Leave both blank to use these figures.`,
  };
}

/** The log's evaluation as the page shows it. */
export function logView(e: LogEvaluation, logName: string) {
  const interval = e.confidence.leadTimeMedianChange;
  return {
    logName,
    goLive: dateWords(e.goLive),
    activity: e.activity,
    windowDays: e.windowDays,
    comparedSentence: e.findings[0] ?? '',
    changes: changeSentences(e),
    rows: periodRows(e),
    spanning: e.spanning,
    outsideWindows: e.outsideWindows,
    interval:
      interval === null
        ? null
        : {
            low: signedDuration(interval.low),
            high: signedDuration(interval.high),
            estimate: signedDuration(interval.estimate),
            excludesZero: interval.excludesZero,
          },
    confidence: e.confidence.statements,
    cautions: e.cautions,
  };
}

function signedDuration(seconds: number): string {
  if (seconds === 0) return 'no change';
  return `${seconds < 0 ? 'a fall of' : 'a rise of'} ${formatDuration(Math.abs(seconds))}`;
}

// ---------------------------------------------------------------------------------------------
// Step 2: what the team types

export interface FigureField {
  readonly key: FigureKey;
  readonly label: string;
  readonly hint: string;
  /** The unit shown after the input. */
  readonly suffix: string;
}

export const MEASURES: readonly {
  readonly family: 'budgetary' | 'operational' | 'effectiveness';
  readonly heading: string;
  readonly hint: string;
  readonly figures: readonly FigureField[];
}[] = [
  {
    family: 'budgetary',
    heading: 'Budgetary efficiency: how well inputs are bought',
    hint: 'The price paid for what goes into the service: staff, licences, equipment (section 2.2.1).',
    figures: [
      {
        key: 'costPerUnitOfInput',
        label: 'Cost per unit of input',
        hint: 'Pounds for one unit of the input named above, for example £32 for one staff hour.',
        suffix: '£',
      },
      {
        key: 'spendPerYear',
        label: 'Spend on the service a year',
        hint: 'Pounds a year. The fall is the money saved.',
        suffix: '£',
      },
    ],
  },
  {
    family: 'operational',
    heading: 'Operational efficiency: inputs turned into outputs',
    hint: 'What the service produces for what it uses: staff time and other resources.',
    figures: [
      {
        key: 'outputsPerStaffHour',
        label: 'Outputs per staff hour',
        hint: 'For example, applications decided for each hour of staff time.',
        suffix: '',
      },
      {
        key: 'costPerOutput',
        label: 'Cost per output',
        hint: 'Pounds for each output, for example the cost of one decision.',
        suffix: '£',
      },
      {
        key: 'leadTimeDays',
        label: 'Median lead time in days',
        hint: 'Days from the start of a case to its end.',
        suffix: 'days',
      },
      {
        key: 'throughputPerWeek',
        label: 'Throughput: outputs a week',
        hint: 'Cases finished a week.',
        suffix: 'a week',
      },
    ],
  },
  {
    family: 'effectiveness',
    heading: 'Effectiveness: outputs turned into outcomes',
    hint: 'Whether the outputs do the public good they are for. More outcomes only because there were more outputs is not a gain in effectiveness: give the share.',
    figures: [
      {
        key: 'outcomesPerOutput',
        label: 'Outcomes per output',
        hint: 'A share from 0 to 1, for example 0.92 if 92 decisions in 100 are not overturned on appeal.',
        suffix: '',
      },
    ],
  },
];

const FIGURE_PATHS: Readonly<Record<FigureKey, readonly [string, string]>> = {
  costPerUnitOfInput: ['budgetary', 'costPerUnitOfInput'],
  spendPerYear: ['budgetary', 'spendPerYear'],
  outputsPerStaffHour: ['operational', 'outputsPerStaffHour'],
  costPerOutput: ['operational', 'costPerOutput'],
  leadTimeDays: ['operational', 'leadTimeDays'],
  throughputPerWeek: ['operational', 'throughputPerWeek'],
  outcomesPerOutput: ['effectiveness', 'outcomesPerOutput'],
};

/** The form's flat field names for the nested fields of EvaluationInput (ids of the error summary). */
const TEXT_PATHS: Readonly<Record<string, string>> = {
  'budgetary.inputUnit': 'inputUnit',
  'effectiveness.outcomeName': 'outcomeName',
  'bottleneck.before': 'bottleneckBefore',
  'bottleneck.after': 'bottleneckAfter',
  determinants: 'determinants',
  unintendedConsequences: 'unintendedConsequences',
  staffPerspectives: 'staffPerspectives',
  outcome: 'outcome',
};

/** The form's fields, in the order they appear (the error summary follows it). */
const pairOf = (key: FigureKey) => [`${key}-before`, `${key}-after`];
const FIELD_ORDER = [
  'inputUnit',
  ...pairOf('costPerUnitOfInput'),
  ...pairOf('spendPerYear'),
  ...pairOf('outputsPerStaffHour'),
  ...pairOf('costPerOutput'),
  ...pairOf('leadTimeDays'),
  ...pairOf('throughputPerWeek'),
  'outcomeName',
  ...pairOf('outcomesPerOutput'),
  'bottleneckBefore',
  'bottleneckAfter',
  'determinants',
  'unintendedConsequences',
  'staffPerspectives',
  'outcome',
];

function fieldOf(path: readonly PropertyKey[]): string {
  const joined = path.map(String).join('.');
  if (TEXT_PATHS[joined]) return TEXT_PATHS[joined];
  for (const [key, [family, name]] of Object.entries(FIGURE_PATHS)) {
    if (path[0] === family && path[1] === name) return `${key}-${String(path[2] ?? 'before')}`;
  }
  return 'determinants';
}

export type EvaluationFormResult =
  | { readonly ok: true; readonly input: EvaluationInput }
  | { readonly ok: false; readonly errors: FormErrors };

/**
 * Reads the typed half of the evaluation. The initiative and the date come from the server, never
 * from the form; each mistake is reported beside its own field.
 */
export function readEvaluationForm(
  body: Record<string, unknown>,
  initiativeId: string,
  evaluatedOn: string,
): EvaluationFormResult {
  const pair = (key: FigureKey) => ({ before: body[`${key}-before`], after: body[`${key}-after`] });
  const raw = {
    initiativeId,
    evaluatedOn,
    budgetary: {
      inputUnit: body.inputUnit,
      costPerUnitOfInput: pair('costPerUnitOfInput'),
      spendPerYear: pair('spendPerYear'),
    },
    operational: {
      outputsPerStaffHour: pair('outputsPerStaffHour'),
      costPerOutput: pair('costPerOutput'),
      leadTimeDays: pair('leadTimeDays'),
      throughputPerWeek: pair('throughputPerWeek'),
    },
    effectiveness: {
      outcomeName: body.outcomeName,
      outcomesPerOutput: pair('outcomesPerOutput'),
    },
    bottleneck: { before: body.bottleneckBefore, after: body.bottleneckAfter },
    determinants: body.determinants,
    unintendedConsequences: body.unintendedConsequences,
    staffPerspectives: body.staffPerspectives,
    outcome: body.outcome,
  };
  const parsed = evaluationInputSchema.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data };
  const entries = parsed.error.issues
    .map((issue) => [fieldOf(issue.path), issue.message] as [string, string])
    .sort((x, y) => FIELD_ORDER.indexOf(x[0]) - FIELD_ORDER.indexOf(y[0]));
  return { ok: false, errors: formErrors(entries) };
}

export const outcomeItems = (selected: unknown) =>
  EVALUATION_OUTCOMES.map((o) => ({
    value: o,
    text: OUTCOME_WORDS[o].charAt(0).toUpperCase() + OUTCOME_WORDS[o].slice(1),
    checked: selected === o,
  }));

// ---------------------------------------------------------------------------------------------
// A saved evaluation

const VERDICT_WORDS: Readonly<Record<string, string>> = {
  better: 'Better',
  worse: 'Worse',
  mixed: 'Mixed: some figures better, some worse',
  unchanged: 'Unchanged',
  'not measured': 'Not measured',
};

export function savedEvaluationView(
  stored: {
    readonly id: string;
    readonly logId: string | null;
    readonly evaluation: Evaluation;
    readonly createdAt: string;
  },
  logName: string | null,
  lessonId: string | null,
) {
  const e = stored.evaluation;
  return {
    id: stored.id,
    evaluatedOn: dateWords(e.input.evaluatedOn),
    outcome: OUTCOME_WORDS[e.input.outcome],
    log:
      stored.logId === null
        ? 'None: the figures were typed'
        : (logName ?? 'An event log that has since been deleted'),
    activity: e.fromLog?.activity ?? null,
    measures: [
      { name: 'Budgetary efficiency', verdict: VERDICT_WORDS[e.measures.budgetary] },
      { name: 'Operational efficiency', verdict: VERDICT_WORDS[e.measures.operational] },
      { name: 'Effectiveness', verdict: VERDICT_WORDS[e.measures.effectiveness] },
    ],
    summary: e.summary,
    determinants: e.input.determinants,
    unintendedConsequences: e.input.unintendedConsequences,
    staffPerspectives: e.input.staffPerspectives,
    cautions: e.fromLog?.cautions ?? [],
    confidence: e.fromLog?.confidence.statements ?? [],
    lessonId,
  };
}
