// `throughline log analyse FILE` and `throughline log calibrate FILE`: read an event log (CSV or
// XES, gzip detected from the bytes) as a stream, analyse it with the mining engine and print a
// readable summary or JSON. A thin wrapper: every rule lives in src/domain/mining.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type * as MiningEngine from '../../domain/mining/index.ts';
import type { EventLog, LogAnalysis } from '../../domain/mining/index.ts';
import { importLines } from '../../domain/mining/import/report.ts';
import { loadUploadLimits } from '../../config.ts';

// The engine is loaded when a sub-command runs, not when the program starts: `throughline themes`
// does not pay for it.
const engine = (): Promise<typeof MiningEngine> => import('../../domain/mining/index.ts');

interface LogOptions {
  format?: 'csv' | 'xes';
  json?: boolean;
  caseColumn?: string;
  activityColumn?: string;
  timestampColumn?: string;
  startColumn?: string;
  lifecycleColumn?: string;
  resourceColumn?: string;
  groupColumn?: string;
  delimiter?: string;
  dateOrder?: 'dmy' | 'mdy' | 'ymd';
  timezone?: string;
  period?: 'week' | 'month';
  progress?: boolean;
}

/** csv or xes from the name (.csv, .xes, .xes.gz, .csv.gz); null when the name does not say. */
export function formatFromName(file: string): 'csv' | 'xes' | null {
  const name = file.toLowerCase().replace(/\.(gz|gzip)$/, '');
  if (name.endsWith('.csv') || name.endsWith('.tsv') || name.endsWith('.txt')) return 'csv';
  if (name.endsWith('.xes') || name.endsWith('.xml')) return 'xes';
  return null;
}

/** Reads a log file as a stream with the options of the command line. */
export async function readLogFile(file: string, options: LogOptions): Promise<EventLog> {
  const format = options.format ?? formatFromName(file);
  if (format === null) {
    throw new Error(
      `${file}: cannot tell the format from the name; add --format csv or --format xes`,
    );
  }
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'no such file' : 'cannot be read'}`, {
      cause: error,
    });
  }
  // Progress goes to a terminal only, and only for files big enough to take a while.
  const showProgress =
    options.progress !== false && process.stderr.isTTY === true && size > 20_000_000;
  const onProgress = showProgress
    ? (p: { bytes: number; rows: number }): void => {
        const pct = size > 0 ? Math.round((p.bytes / size) * 100) : 100;
        process.stderr.write(`\rread ${p.rows.toLocaleString('en-GB')} rows (${pct}%)`);
      }
    : undefined;
  // The same caps as an upload to the service (UPLOAD_MAX_EXPANDED_MB, UPLOAD_MAX_EVENTS).
  const caps = loadUploadLimits();
  const read = {
    limits: { maxBytes: caps.maxExpandedBytes, maxEvents: caps.maxEvents },
    ...(options.dateOrder === undefined ? {} : { dateOrder: options.dateOrder }),
    ...(options.timezone === undefined ? {} : { timeZone: options.timezone }),
    ...(onProgress === undefined ? {} : { onProgress }),
  };
  const { readCsvLog, readXesLog } = await engine();
  try {
    const stream = createReadStream(file, { highWaterMark: 1 << 20 });
    const log =
      format === 'csv'
        ? await readCsvLog(stream, {
            ...read,
            ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
            columns: {
              ...(options.caseColumn === undefined ? {} : { caseId: options.caseColumn }),
              ...(options.activityColumn === undefined ? {} : { activity: options.activityColumn }),
              ...(options.timestampColumn === undefined
                ? {}
                : { timestamp: options.timestampColumn }),
              ...(options.startColumn === undefined ? {} : { startTimestamp: options.startColumn }),
              ...(options.lifecycleColumn === undefined
                ? {}
                : { lifecycle: options.lifecycleColumn }),
              ...(options.resourceColumn === undefined ? {} : { resource: options.resourceColumn }),
              ...(options.groupColumn === undefined ? {} : { group: options.groupColumn }),
            },
          })
        : await readXesLog(stream, read);
    if (onProgress !== undefined) process.stderr.write('\n');
    return log;
  } catch (error) {
    if (onProgress !== undefined) process.stderr.write('\n');
    throw new Error(
      `${path.basename(file)}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** Rounds every number to the millisecond (seconds) or 6 places, for readable JSON. */
function tidy(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isInteger(value)) return Math.round(value * 1e6) / 1e6;
  return value;
}

/** The JSON document of `log analyse --json`. */
export function analysisJson(file: string, analysis: LogAnalysis): unknown {
  const finding = analysis.bottleneck;
  return {
    file: path.basename(file),
    units: { durations: 'seconds', shares: 'fraction of 1' },
    counts: analysis.counts,
    period: analysis.period,
    timing: analysis.timing,
    import: analysis.import,
    // The same lines as the web log page's "What the import did".
    importReport: importLines(analysis.import, analysis.timing),
    bottleneck: finding.bottleneck,
    bottleneckStatement: finding.statement,
    bottleneckReason: finding.bottleneck === null ? finding.statement : null,
    candidates: finding.candidates,
    activities: analysis.activities,
    edges: analysis.edges,
    startActivities: analysis.startActivities,
    endActivities: analysis.endActivities,
    variants: analysis.variants.slice(0, 50),
    variantsShown: Math.min(50, analysis.variants.length),
    caseDuration: analysis.caseDuration,
    periodUnit: analysis.periodUnit,
    flow: analysis.flow,
    resources: analysis.resources,
  };
}

function pad(text: string, width: number): string {
  return text.length >= width
    ? text.slice(0, width - 1) + '…'
    : text + ' '.repeat(width - text.length);
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** The readable summary of `log analyse` (`formatDuration` is the mining engine's). */
export function analysisText(
  file: string,
  analysis: LogAnalysis,
  formatDuration: (seconds: number) => string,
): string {
  const c = analysis.counts;
  const lines: string[] = [];
  lines.push(
    `${path.basename(file)}: ${c.cases.toLocaleString('en-GB')} cases, ${c.events.toLocaleString('en-GB')} events, ${c.activities} activities, ${c.variants} variants, ${c.resources} resources`,
  );
  if (analysis.period !== null)
    lines.push(`From ${analysis.period.first} to ${analysis.period.last} (UTC).`);
  // The same lines as the web log page's "What the import did" (importLines).
  lines.push('What the import did');
  for (const l of importLines(analysis.import, analysis.timing))
    lines.push(`  ${l.label}: ${l.value}`);
  for (const w of analysis.import.warnings) lines.push(`Note: ${w}`);
  lines.push(analysis.timing.note);
  lines.push('');
  lines.push('Bottleneck');
  lines.push(`  ${analysis.bottleneck.statement}`);
  lines.push('');
  lines.push('Longest waits (candidates, ranked by share of case time)');
  for (const cand of analysis.bottleneck.candidates) {
    const e = cand.evidence;
    lines.push(
      `  ${cand.rank}. ${pad(cand.activity, 44)} ${pad(pct(e.waitingShare), 7)} median ${pad(formatDuration(e.medianSeconds), 12)} mean ${pad(formatDuration(e.meanSeconds), 12)} ${cand.kindLabel}`,
    );
    lines.push(`     ${cand.explanation}`);
  }
  lines.push('');
  lines.push('Activities (by total wait before them)');
  lines.push(
    `  ${pad('activity', 44)} ${pad('count', 8)} ${pad('median wait', 14)} ${pad('share', 7)} service (median)`,
  );
  for (const a of analysis.activities.slice(0, 15)) {
    const service = a.serviceTime === null ? 'not recorded' : formatDuration(a.serviceTime.median);
    lines.push(
      `  ${pad(a.activity, 44)} ${pad(String(a.count), 8)} ${pad(a.waitingTime.count > 0 ? formatDuration(a.waitingTime.median) : '–', 14)} ${pad(pct(a.waitingShare), 7)} ${service}`,
    );
  }
  if (analysis.activities.length > 15)
    lines.push(`  … ${analysis.activities.length - 15} more (use --json for all)`);
  lines.push('');
  lines.push('Most frequent directly-follows edges');
  for (const e of analysis.edges.slice(0, 10)) {
    lines.push(
      `  ${pad(`${e.from} → ${e.to}`, 70)} ${pad(String(e.frequency), 7)} median ${formatDuration(e.time.median)}, p90 ${formatDuration(e.time.p90)}`,
    );
  }
  if (analysis.edges.length > 10)
    lines.push(`  … ${analysis.edges.length - 10} more (use --json for all)`);
  lines.push('');
  const d = analysis.caseDuration;
  lines.push(
    `Case duration: median ${formatDuration(d.median)}, mean ${formatDuration(d.mean)}, 90th percentile ${formatDuration(d.p90)}.`,
  );
  const flow = analysis.flow;
  if (flow.length > 0) {
    const open = flow.map((f) => f.openAtEnd);
    lines.push(
      `Backlog per ${analysis.periodUnit}: ${flow.length} periods, open cases peaked at ${Math.max(...open)}; ${flow.at(-1)?.openAtEnd ?? 0} open at the end.`,
    );
  }
  return lines.join('\n');
}

function addReadOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--format <format>', 'file format (default: from the file name)').choices([
        'csv',
        'xes',
      ]),
    )
    .option('--json', 'print JSON instead of a summary')
    .option(
      '--case-column <name>',
      'CSV column with the case id (default case:concept:name, then case_id)',
    )
    .option(
      '--activity-column <name>',
      'CSV column with the activity (default concept:name, then activity)',
    )
    .option(
      '--timestamp-column <name>',
      'CSV column with the completion time (default time:timestamp, then timestamp)',
    )
    .option(
      '--start-column <name>',
      'CSV column with a start time on the same row (default start_timestamp if present)',
    )
    .option(
      '--lifecycle-column <name>',
      'CSV column with start/complete (default lifecycle:transition, then lifecycle)',
    )
    .option(
      '--resource-column <name>',
      'CSV column with the resource (default org:resource, then resource)',
    )
    .option('--group-column <name>', 'CSV column with the group (default org:group)')
    .option('--delimiter <char>', 'CSV field separator (default ",")')
    .addOption(
      new Option(
        '--date-order <order>',
        'order of day and month in dates like 05/06/2014 (default: infer, only when the data settle it)',
      ).choices(['dmy', 'mdy', 'ymd']),
    )
    .option('--timezone <zone>', 'IANA time zone for timestamps without an offset (default UTC)')
    .option('--no-progress', 'do not show progress while reading');
}

export function registerLogCommand(program: Command): void {
  const log = program
    .command('log')
    .description(
      'Learn from event logs: discover the process, measure waits, name the bottleneck.',
    );
  addReadOptions(
    log
      .command('analyse')
      .alias('analyze')
      .description(
        'Analyse an event log (CSV or XES, gzip allowed): activities, directly-follows edges, waits and the bottleneck.',
      )
      .argument('<file>', 'the event log'),
  )
    .addOption(
      new Option(
        '--period <unit>',
        'period for throughput and backlog (default: week under ~6 months, else month)',
      ).choices(['week', 'month']),
    )
    .action(async (file: string, options: LogOptions) => {
      const { analyseLog, formatDuration } = await engine();
      const eventLog = await readLogFile(file, options);
      const analysis = analyseLog(
        eventLog,
        options.period === undefined ? {} : { periodUnit: options.period },
      );
      console.log(
        options.json === true
          ? JSON.stringify(analysisJson(file, analysis), tidy, 2)
          : analysisText(file, analysis, formatDuration),
      );
    });
  addReadOptions(
    log
      .command('calibrate')
      .description(
        'Fit a delivery-chain model to an event log and report how well it reproduces the observed lead time.',
      )
      .argument('<file>', 'the event log'),
  )
    .option('--cases <n>', 'simulated cases for the lead-time check', '20000')
    .option(
      '--fold <share>',
      'fold routes under this share of a stage’s cases, and stages reached by under a fifth of it of the cases (0 keeps everything; at most 0.3)',
      '0.05',
    )
    .option(
      '--no-calendar',
      'do not read opening hours and demand patterns from the log: demand even over the week, staff round the clock',
    )
    .action(
      async (
        file: string,
        options: LogOptions & { cases: string; fold: string; calendar: boolean },
      ) => {
        const { calibrateDeliveryChain, MAX_FOLD, rosterText } = await engine();
        const cases = Number(options.cases);
        if (!Number.isInteger(cases) || cases < 100)
          throw new Error('--cases must be a whole number of at least 100');
        const fold = Number(options.fold);
        if (options.fold.trim() === '' || !Number.isFinite(fold) || fold < 0 || fold > MAX_FOLD)
          throw new Error(`--fold must be a share between 0 and ${MAX_FOLD}, like 0.05`);
        const eventLog = await readLogFile(file, options);
        // The same calibration as the web's "Create a delivery chain": one function, one set of words.
        const result = calibrateDeliveryChain(eventLog, {
          cases,
          fold,
          calendar: options.calendar,
          name: `Discovered from ${path.basename(file)}`,
        });
        const { calibrated } = result;
        if (options.json === true) {
          console.log(
            JSON.stringify(
              {
                fit: calibrated.fit,
                chainCheck: result.chainCheck,
                fold: calibrated.fold,
                stages: calibrated.stages.map((s) => ({
                  id: s.id,
                  name: s.name,
                  role: s.role,
                  delay: s.delay,
                  capacityUnknown: s.capacityUnknown,
                  servers: s.servers,
                  staffMethod: s.staffMethod,
                  roster: s.roster,
                  hours: s.hours,
                  waitKind: s.waitKind,
                })),
                merged: calibrated.merged,
                calendar: calibrated.calendar,
                notes: result.notes,
                chain: result.chain,
              },
              tidy,
              2,
            ),
          );
        } else {
          console.log(
            `${calibrated.stages.length} ${calibrated.stages.length === 1 ? 'stage' : 'stages'}, ${calibrated.arrivals.reduce((s, a) => s + a.ratePerHour, 0).toFixed(3)} cases per hour.`,
          );
          for (const s of calibrated.stages) {
            const what =
              s.role === 'staffed'
                ? `staffed, ${s.staffMethod ?? ''} ${s.roster === null ? 'On duty round the clock.' : `On duty ${s.roster.shifts.map(rosterText).join('; ')}.`}`
                : s.role === 'delay'
                  ? `delay (${s.delay?.kind ?? ''}), no staff`
                  : `capacity not known: ${s.capacityUnknown ?? ''}`;
            console.log(`  ${s.name}: ${what}`);
          }
          for (const note of result.notes) console.log(note);
        }
      },
    );
}
