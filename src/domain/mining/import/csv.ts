// Streams an event log from CSV (our own splitter, csv-splitter.ts, for speed) into the compact `EventLog`. Columns are mapped by
// name; by default the XES names used in receipt.csv (`case:concept:name`, `concept:name`,
// `time:timestamp`, `lifecycle:transition`, `org:resource`, `org:group`, `case:*` attributes),
// falling back to common plain names (`case_id`, `activity`, `timestamp`, …) — the report says
// which column was used for what. Every error names the line and what is wrong; a file that
// fails yields nothing.
import {
  LIFECYCLE_COMPLETE,
  LIFECYCLE_OTHER,
  LIFECYCLE_START,
  LogBuilder,
  SetAsideCounter,
  formatCount,
  type CaseAttributeHandle,
  type EventLog,
} from '../model.ts';
import { isAscii } from 'node:buffer';
import { CsvSplitter, CsvSyntaxError, type CsvRow } from './csv-splitter.ts';
import { LogLimitError, tooManyEvents, type LogLimits } from './limits.ts';
import { ByteCounter, openSource, type LogSource, type ProgressCallback } from './source.ts';
import { TimestampError, TimestampReader, type DateOrderOption } from './timestamps.ts';

/**
 * Which column holds what. Leave a field out to use its default name; set an optional one to
 * null to ignore it even when a column of the default name exists.
 */
export interface CsvColumns {
  readonly caseId?: string;
  readonly activity?: string;
  /** The completion time (or the event's time when a lifecycle column says start/complete). */
  readonly timestamp?: string;
  /** A start time on the same row, when the log records one (e.g. `start_timestamp`). */
  readonly startTimestamp?: string | null;
  readonly lifecycle?: string | null;
  readonly resource?: string | null;
  readonly group?: string | null;
  /** Case attributes to keep; by default every `case:*` column other than the case id. */
  readonly caseAttributes?: readonly string[];
}

export interface ReadOptions {
  /** Order of day and month in `a/b/yyyy` dates; `auto` infers it only when the data settle it. */
  readonly dateOrder?: DateOrderOption;
  /** IANA zone for timestamps without an offset (default UTC). */
  readonly timeZone?: string;
  readonly onProgress?: ProgressCallback;
  /** Report progress every this many rows (default 50,000). */
  readonly progressEveryRows?: number;
  /** Caps on the bytes the file expands to and on its events (`LogLimitError` past either). */
  readonly limits?: LogLimits;
}

export interface CsvLogOptions extends ReadOptions {
  readonly columns?: CsvColumns;
  readonly delimiter?: string;
}

/** An import error: the file is rejected as a whole. */
export class LogImportError extends Error {}

const MAX_RECORD_CHARS = 1 << 20;

type Field =
  'caseId' | 'activity' | 'timestamp' | 'startTimestamp' | 'lifecycle' | 'resource' | 'group';

const DEFAULTS: Record<Field, readonly string[]> = {
  caseId: ['case:concept:name', 'case_id', 'case id', 'caseid', 'case'],
  activity: ['concept:name', 'activity', 'activity_name', 'activity name', 'event'],
  timestamp: ['time:timestamp', 'timestamp', 'complete_timestamp', 'end_timestamp', 'time'],
  startTimestamp: ['start_timestamp', 'start timestamp', 'time:start'],
  lifecycle: ['lifecycle:transition', 'lifecycle', 'transition'],
  resource: ['org:resource', 'resource', 'user'],
  group: ['org:group'],
};

const FIELD_WORDS: Record<Field, string> = {
  caseId: 'case id',
  activity: 'activity',
  timestamp: 'timestamp',
  startTimestamp: 'start timestamp',
  lifecycle: 'lifecycle',
  resource: 'resource',
  group: 'group',
};

function listColumns(header: readonly string[]): string {
  const shown = header.slice(0, 30).map((h) => `"${h}"`);
  return shown.join(', ') + (header.length > 30 ? `, … (${header.length} in all)` : '');
}

function resolveColumns(header: readonly string[], columns: CsvColumns): Record<Field, number> {
  const exact = new Map<string, number>();
  const folded = new Map<string, number>();
  header.forEach((name, i) => {
    if (!exact.has(name)) exact.set(name, i);
    const key = name.trim().toLowerCase();
    if (!folded.has(key)) folded.set(key, i);
  });
  const result = {} as Record<Field, number>;
  for (const field of Object.keys(DEFAULTS) as Field[]) {
    const given = columns[field];
    if (given === null) {
      result[field] = -1;
      continue;
    }
    if (given !== undefined) {
      const index = exact.get(given) ?? folded.get(given.trim().toLowerCase());
      if (index === undefined) {
        throw new LogImportError(
          `line 1: there is no column "${given}" for the ${FIELD_WORDS[field]}; the columns are ${listColumns(header)}`,
        );
      }
      result[field] = index;
      continue;
    }
    let index = -1;
    for (const name of DEFAULTS[field]) {
      const found = exact.get(name) ?? folded.get(name);
      if (found !== undefined) {
        index = found;
        break;
      }
    }
    if (index < 0 && (field === 'caseId' || field === 'activity' || field === 'timestamp')) {
      throw new LogImportError(
        `line 1: no ${FIELD_WORDS[field]} column: expected "${DEFAULTS[field][0]}" (or ${DEFAULTS[
          field
        ]
          .slice(1)
          .map((n) => `"${n}"`)
          .join(
            ', ',
          )}); the columns are ${listColumns(header)}. Map the ${FIELD_WORDS[field]} column by name.`,
      );
    }
    result[field] = index;
  }
  const used = new Map<number, Field>();
  for (const field of Object.keys(result) as Field[]) {
    const index = result[field];
    if (index < 0) continue;
    const other = used.get(index);
    if (other !== undefined) {
      throw new LogImportError(
        `line 1: column "${header[index]}" is mapped to both the ${FIELD_WORDS[other]} and the ${FIELD_WORDS[field]}`,
      );
    }
    used.set(index, field);
  }
  return result;
}

export function lifecycleCode(value: string): number {
  if (value === '' || value === 'complete') return LIFECYCLE_COMPLETE;
  const lower = value.trim().toLowerCase();
  if (lower === 'complete' || lower === '') return LIFECYCLE_COMPLETE;
  if (lower === 'start') return LIFECYCLE_START;
  return LIFECYCLE_OTHER;
}

/** Whether text holds `value` at `at` (as text.startsWith(value, at), which is slower). */
function sameText(text: string, at: number, value: string): boolean {
  for (let j = 0; j < value.length; j++)
    if (text.charCodeAt(at + j) !== value.charCodeAt(j)) return false;
  return true;
}

function lineLabel(line: number): string {
  return `line ${formatCount(line)}`;
}

/** Reads a CSV event log. Throws `LogImportError` naming the line of the first problem. */
export async function readCsvLog(
  source: LogSource,
  options: CsvLogOptions = {},
): Promise<EventLog> {
  let timestamps: TimestampReader;
  try {
    timestamps = new TimestampReader(options.dateOrder ?? 'auto', options.timeZone ?? 'UTC');
  } catch (error) {
    throw new LogImportError((error as Error).message);
  }
  const counter = new ByteCounter();
  const builder = new LogBuilder();
  const every = options.progressEveryRows ?? 50_000;
  const maxEvents = options.limits?.maxEvents ?? Infinity;
  let header = null as string[] | null;
  let map = null as Record<Field, number> | null;
  let attributeColumns: { name: string; index: number }[] = [];
  let width = 0;
  let lastCaseId = '';
  let lastCaseIndex = -1;
  let attributeHandles: CaseAttributeHandle[] = [];
  let attributeIndexes = new Int32Array(0);
  const interners = builder.interners;
  let rows = 0;
  let emptyCaseIdRows = 0;
  let emptyActivityRows = 0;
  let emptyTimestampRows = 0;
  let starts = 0;
  let completes = 0;
  let others = 0;
  const setAside = {
    caseId: new SetAsideCounter('empty-case-id'),
    activity: new SetAsideCounter('empty-activity'),
    timestamp: new SetAsideCounter('empty-timestamp'),
    lifecycle: new SetAsideCounter('other-lifecycle'),
  };

  const onRecord = (record: CsvRow, line: number): void => {
    if (header === null) {
      header = record.all().map((h) => h.trim());
      map = resolveColumns(header, options.columns ?? {});
      const caseColumn = map.caseId;
      const wanted = options.columns?.caseAttributes;
      attributeColumns =
        wanted === undefined
          ? header
              .map((name, index) => ({ name, index }))
              .filter((c) => c.name.startsWith('case:') && c.index !== caseColumn)
          : wanted.map((name) => {
              const index = (header as string[]).indexOf(name);
              if (index < 0) {
                throw new LogImportError(
                  `line 1: there is no case-attribute column "${name}"; the columns are ${listColumns(header as string[])}`,
                );
              }
              return { name, index };
            });
      width = header.length;
      attributeHandles = attributeColumns.map((c) => builder.caseAttribute(c.name));
      attributeIndexes = Int32Array.from(attributeColumns, (c) => c.index);
      return;
    }
    if (record.width !== width) {
      throw new LogImportError(
        `${lineLabel(line)}: expected ${width} fields (as in the header), found ${record.width}`,
      );
    }
    const m = map as Record<Field, number>;
    rows++;
    if (rows > maxEvents) throw tooManyEvents(maxEvents);
    // Fields are read in place (record.text between start and end): a value seen before makes
    // no string.
    const text = record.text;
    const caseStart = record.start(m.caseId);
    const caseEnd = record.end(m.caseId);
    if (caseEnd === caseStart) {
      emptyCaseIdRows++;
      setAside.caseId.add(line);
      return;
    }
    const activityStart = record.start(m.activity);
    const activityEnd = record.end(m.activity);
    if (activityEnd === activityStart) {
      emptyActivityRows++;
      setAside.activity.add(line);
      return;
    }
    const timeStart = record.start(m.timestamp);
    const timeEnd = record.end(m.timestamp);
    if (timeEnd === timeStart) {
      emptyTimestampRows++;
      setAside.timestamp.add(line);
      return;
    }
    let time: number;
    let altTime: number;
    let start = NaN;
    let altStart = NaN;
    try {
      time = timestamps.readRange(text, timeStart, timeEnd, line);
      altTime = timestamps.alternate;
      if (m.startTimestamp >= 0) {
        const rawStart = record.field(m.startTimestamp);
        if (rawStart !== '') {
          start = timestamps.read(rawStart, line);
          altStart = timestamps.alternate;
          if (start > time) {
            throw new TimestampError(
              `the start "${rawStart}" is after the completion "${text.slice(timeStart, timeEnd)}" (events out of order)`,
            );
          }
        }
      }
    } catch (error) {
      if (error instanceof TimestampError) {
        throw new LogImportError(`${lineLabel(line)}: ${error.message}`);
      }
      throw error;
    }
    let lifecycle = LIFECYCLE_COMPLETE;
    if (m.lifecycle >= 0) {
      const from = record.start(m.lifecycle);
      const to = record.end(m.lifecycle);
      if (to > from && !(to - from === 8 && sameText(text, from, 'complete')))
        lifecycle = lifecycleCode(text.slice(from, to));
    }
    if (lifecycle === LIFECYCLE_START) starts++;
    else if (lifecycle === LIFECYCLE_COMPLETE) completes++;
    else {
      others++;
      setAside.lifecycle.add(line);
    }
    let resource = -1;
    if (m.resource >= 0) {
      const from = record.start(m.resource);
      const to = record.end(m.resource);
      if (to > from) resource = interners.resources.internRange(text, from, to);
    }
    let group = -1;
    if (m.group >= 0) {
      const from = record.start(m.group);
      const to = record.end(m.group);
      if (to > from) group = interners.groups.internRange(text, from, to);
    }
    // Rows of one case usually come together: skip the lookup when the case repeats.
    const caseIndex =
      caseEnd - caseStart === lastCaseId.length && sameText(text, caseStart, lastCaseId)
        ? lastCaseIndex
        : interners.cases.internRange(text, caseStart, caseEnd);
    if (caseIndex !== lastCaseIndex) {
      lastCaseIndex = caseIndex;
      lastCaseId = interners.cases.names[caseIndex] as string;
    }
    builder.addCoded(
      caseIndex,
      interners.activities.internRange(text, activityStart, activityEnd),
      time,
      start,
      lifecycle,
      resource,
      group,
      altTime,
      altStart,
    );
    for (let k = 0; k < attributeIndexes.length; k++) {
      const handle = attributeHandles[k] as CaseAttributeHandle;
      // Only the first value of a case is kept: read the field only while it is missing.
      if (caseIndex < handle.codes.length && handle.codes[caseIndex] !== -1) continue;
      const column = attributeIndexes[k] as number;
      const from = record.start(column);
      const to = record.end(column);
      if (to > from) builder.setCaseAttributeRange(handle, caseIndex, text, from, to);
    }
    if (options.onProgress !== undefined && rows % every === 0) {
      options.onProgress({ bytes: counter.bytes, rows });
    }
  };

  const splitter = new CsvSplitter(options.delimiter ?? ',', onRecord, MAX_RECORD_CHARS);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let ascii = true;
  try {
    for await (const chunk of openSource(source, counter, options.limits?.maxBytes)) {
      let text: string;
      try {
        // Plain ASCII (most logs) is decoded much faster as latin1; once a chunk is not ASCII,
        // the streaming UTF-8 decoder takes over (it may hold a split character).
        if (ascii && isAscii(chunk)) text = chunk.toString('latin1');
        else {
          ascii = false;
          text = decoder.decode(chunk, { stream: true });
        }
      } catch {
        throw new LogImportError(
          `the file is not UTF-8 text (near line ${formatCount(rows + 2)}); save it as UTF-8`,
        );
      }
      splitter.push(text);
    }
    splitter.push(decoder.decode());
    splitter.end();
  } catch (error) {
    if (error instanceof LogImportError || error instanceof LogLimitError) throw error;
    if (error instanceof CsvSyntaxError)
      throw new LogImportError(`${lineLabel(error.line)}: ${error.message}`);
    throw new LogImportError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }

  if (header === null) throw new LogImportError('the file is empty');
  if (timestamps.ambiguous) {
    throw new LogImportError(
      `every date such as ${timestamps.firstYearLast} fits both day-first and month-first; choose the date order (dmy or mdy)`,
    );
  }
  const warnings: string[] = [];
  if (emptyCaseIdRows > 0) {
    warnings.push(`${formatCount(emptyCaseIdRows)} rows had an empty case id and were not used.`);
  }
  if (emptyActivityRows > 0) {
    warnings.push(
      `${formatCount(emptyActivityRows)} rows had an empty activity and were not used.`,
    );
  }
  if (emptyTimestampRows > 0) {
    warnings.push(
      `${formatCount(emptyTimestampRows)} rows had an empty timestamp and were not used.`,
    );
  }
  if (others > 0) {
    warnings.push(
      `${formatCount(others)} rows had a lifecycle transition other than start or complete and were not used.`,
    );
  }
  if (builder.eventCount === 0) {
    throw new LogImportError(
      rows === 0
        ? 'the file has a header but no events'
        : 'no row has a case id, an activity and a timestamp',
    );
  }
  options.onProgress?.({ bytes: counter.bytes, rows });
  const m = map as Record<Field, number>;
  const column = (i: number): string | null =>
    i >= 0 ? ((header as string[])[i] as string) : null;
  const log = builder.finish(
    {
      format: 'csv',
      rowsRead: rows,
      emptyCaseIdRows,
      emptyActivityRows,
      emptyTimestampRows,
      lifecycle: { start: starts, complete: completes, other: others },
      timestamps: {
        dateOrder: timestamps.dateOrder,
        detected: timestamps.detected,
        evidence: timestamps.evidence,
        timeZone: timestamps.timeZone,
        withoutOffset: timestamps.withoutOffset,
        offsetMinutes: timestamps.commonOffset,
      },
      columns: {
        caseId: column(m.caseId),
        activity: column(m.activity),
        timestamp: column(m.timestamp),
        startTimestamp: column(m.startTimestamp),
        lifecycle: column(m.lifecycle),
        resource: column(m.resource),
        group: column(m.group),
        caseAttributes: attributeColumns.map((c) => c.name).join(', ') || null,
      },
      warnings,
      setAside: Object.values(setAside)
        .map((c) => c.report())
        .filter((c) => c !== null),
    },
    timestamps.dateOrder === 'mdy' && timestamps.detected,
  );
  return log;
}
