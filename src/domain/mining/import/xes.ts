// Streams an XES event log (IEEE 1849) into the compact `EventLog` with the saxes SAX parser, so
// the document is never held in memory. Reads each trace's `concept:name` (case id) and its
// other attributes (case attributes), each event's `concept:name` (or a declared classifier),
// `time:timestamp`, `lifecycle:transition`, `org:resource`, `org:group`, and a `start_timestamp`
// where a log carries the start on the complete event (as pm4py writes interval logs). Nested
// attributes (`list`, `container`, meta-attributes inside any attribute) are parsed and skipped;
// `<global>` and `<classifier>` declarations are reported. Errors name the element and line.
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import {
  LIFECYCLE_COMPLETE,
  LIFECYCLE_START,
  LogBuilder,
  SetAsideCounter,
  formatCount,
  type EventLog,
} from '../model.ts';
import { LogImportError, lifecycleCode, type ReadOptions } from './csv.ts';
import { LogLimitError, tooManyEvents } from './limits.ts';
import { ByteCounter, openSource, type LogSource } from './source.ts';
import { TimestampError, TimestampReader } from './timestamps.ts';

export interface XesLogOptions extends ReadOptions {
  /** Event attribute holding the activity (default `concept:name`). */
  readonly activityKey?: string;
  /** Name of a declared `<classifier>` whose keys, joined by "+", make the activity. */
  readonly classifier?: string;
  /** Event attribute holding a start time on a complete event (default `start_timestamp`). */
  readonly startKey?: string;
}

const ATTRIBUTE_TAGS = new Set([
  'string',
  'date',
  'int',
  'float',
  'boolean',
  'id',
  'list',
  'container',
]);

interface PendingEvent {
  attributes: Map<string, string>;
  line: number;
  number: number;
}

/** Reads an XES log (plain or gzip). Throws `LogImportError` naming the element and line. */
export async function readXesLog(
  source: LogSource,
  options: XesLogOptions = {},
): Promise<EventLog> {
  let timestamps: TimestampReader;
  try {
    timestamps = new TimestampReader('ymd', options.timeZone ?? 'UTC');
  } catch (error) {
    throw new LogImportError((error as Error).message);
  }
  const startKey = options.startKey ?? 'start_timestamp';
  const counter = new ByteCounter();
  const builder = new LogBuilder();
  const parser = new SaxesParser({ xmlns: false, position: true });
  const every = options.progressEveryRows ?? 50_000;
  const maxEvents = options.limits?.maxEvents ?? Infinity;

  const globals: Record<string, string[]> = {};
  const classifiers: Record<string, string[]> = {};
  let activityKeys: string[] | null = null;
  const stack: string[] = [];
  let sawLog = false;
  let closedLog = false;
  let globalScope: string | null = null;
  let trace: { attributes: Map<string, string>; events: PendingEvent[]; line: number } | null =
    null;
  let event: PendingEvent | null = null;
  let traceNumber = 0;
  let rows = 0;
  let unnamedTraces = 0;
  let emptyActivityRows = 0;
  let emptyTimestampRows = 0;
  const setAside = {
    activity: new SetAsideCounter('empty-activity'),
    timestamp: new SetAsideCounter('empty-timestamp'),
    lifecycle: new SetAsideCounter('other-lifecycle'),
  };
  let starts = 0;
  let completes = 0;
  let others = 0;
  let failure: LogImportError | null = null;

  const fail = (message: string): never => {
    throw new LogImportError(message);
  };

  const resolveActivityKeys = (): string[] => {
    if (activityKeys !== null) return activityKeys;
    if (options.classifier !== undefined) {
      const keys = classifiers[options.classifier];
      if (keys === undefined) {
        fail(
          `the log declares no classifier "${options.classifier}" (declared: ${Object.keys(classifiers).join(', ') || 'none'})`,
        );
      }
      activityKeys = keys as string[];
    } else {
      activityKeys = [options.activityKey ?? 'concept:name'];
    }
    return activityKeys;
  };

  const flushTrace = (): void => {
    if (trace === null) return;
    traceNumber++;
    let caseId = trace.attributes.get('concept:name') ?? '';
    if (caseId === '') {
      unnamedTraces++;
      caseId = `(trace ${traceNumber})`;
    }
    const caseIndex = builder.caseIndex(caseId);
    for (const [key, value] of trace.attributes) {
      if (key !== 'concept:name' && value !== '') builder.setCaseAttribute(caseIndex, key, value);
    }
    const keys = resolveActivityKeys();
    for (const e of trace.events) {
      const activity =
        keys.length === 1
          ? (e.attributes.get(keys[0] as string) ?? '')
          : keys.map((k) => e.attributes.get(k) ?? '').join('+');
      if (keys.every((k) => (e.attributes.get(k) ?? '') === '')) {
        emptyActivityRows++;
        setAside.activity.add(e.line);
        continue;
      }
      const rawTime = e.attributes.get('time:timestamp') ?? '';
      if (rawTime === '') {
        emptyTimestampRows++;
        setAside.timestamp.add(e.line);
        continue;
      }
      let time: number;
      let start = NaN;
      try {
        time = timestamps.read(rawTime, e.line);
        const rawStart = e.attributes.get(startKey);
        if (rawStart !== undefined && rawStart !== '') {
          start = timestamps.read(rawStart, e.line);
          if (start > time) {
            throw new TimestampError(
              `${startKey} "${rawStart}" is after time:timestamp "${rawTime}" (events out of order)`,
            );
          }
        }
      } catch (error) {
        if (error instanceof TimestampError) {
          fail(
            `<event> ${e.number} of trace "${caseId}" (line ${formatCount(e.line)}): ${error.message}`,
          );
        }
        throw error;
      }
      const lifecycle = lifecycleCode(e.attributes.get('lifecycle:transition') ?? '');
      if (lifecycle === LIFECYCLE_START) starts++;
      else if (lifecycle === LIFECYCLE_COMPLETE) completes++;
      else {
        others++;
        setAside.lifecycle.add(e.line);
      }
      builder.add(
        caseIndex,
        activity,
        time as number,
        start,
        lifecycle,
        e.attributes.get('org:resource') || null,
        e.attributes.get('org:group') || null,
      );
    }
    trace = null;
  };

  const describe = (tag: string): string => {
    const inTrace = trace === null ? '' : ` in trace ${traceNumber + 1}`;
    return `<${tag}>${inTrace} (line ${formatCount(parser.line)})`;
  };

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = tag.name;
    const depth = stack.length;
    const parent = stack[depth - 1];
    stack.push(name);
    if (depth === 0) {
      if (name !== 'log') fail(`${describe(name)}: an XES file starts with <log>, not <${name}>`);
      sawLog = true;
      return;
    }
    if (parent === 'log') {
      if (name === 'trace') {
        trace = { attributes: new Map(), events: [], line: parser.line };
      } else if (name === 'global') {
        globalScope = tag.attributes.scope ?? 'event';
        globals[globalScope] ??= [];
      } else if (name === 'classifier') {
        const keys = (tag.attributes.keys ?? '').split(/\s+/).filter((k) => k !== '');
        classifiers[tag.attributes.name ?? `classifier ${Object.keys(classifiers).length + 1}`] =
          keys;
      } else if (name === 'event') {
        fail(`${describe(name)}: an event outside any <trace>`);
      }
      return;
    }
    if (parent === 'global' && globalScope !== null && ATTRIBUTE_TAGS.has(name)) {
      const key = tag.attributes.key;
      if (key !== undefined) (globals[globalScope] as string[]).push(key);
      return;
    }
    if (parent === 'trace' && trace !== null) {
      if (name === 'event') {
        event = { attributes: new Map(), line: parser.line, number: trace.events.length + 1 };
        return;
      }
      if (ATTRIBUTE_TAGS.has(name)) {
        const key = tag.attributes.key;
        if (key === undefined) return fail(`${describe(name)}: an attribute without a key`);
        trace.attributes.set(key, tag.attributes.value ?? '');
      }
      return;
    }
    if (parent === 'event' && event !== null && ATTRIBUTE_TAGS.has(name)) {
      const key = tag.attributes.key;
      if (key === undefined) return fail(`${describe(name)}: an attribute without a key`);
      event.attributes.set(key, tag.attributes.value ?? '');
    }
    // Anything deeper (list items, container members, meta-attributes) is nested: skipped.
  });

  parser.on('closetag', (tag: SaxesTagPlain) => {
    stack.pop();
    const name = tag.name;
    const parent = stack[stack.length - 1];
    if (name === 'event' && parent === 'trace' && event !== null && trace !== null) {
      trace.events.push(event);
      event = null;
      rows++;
      if (rows > maxEvents) throw tooManyEvents(maxEvents);
      if (options.onProgress !== undefined && rows % every === 0) {
        options.onProgress({ bytes: counter.bytes, rows });
      }
    } else if (name === 'trace' && parent === 'log') {
      flushTrace();
    } else if (name === 'global') {
      globalScope = null;
    } else if (name === 'log' && stack.length === 0) {
      closedLog = true;
    }
  });

  parser.on('error', (error: Error) => {
    const inside = stack.length > 0 ? ` (inside ${stack.map((t) => `<${t}>`).join(' › ')})` : '';
    throw new LogImportError(
      `line ${formatCount(parser.line)}${inside}: the XML is not well-formed: ${error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`,
    );
  });

  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of openSource(source, counter, options.limits?.maxBytes)) {
      let text = '';
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        fail(`line ${formatCount(parser.line)}: the file is not valid UTF-8 text`);
      }
      parser.write(text);
    }
    const rest = decoder.decode();
    if (rest !== '') parser.write(rest);
    if (!sawLog)
      fail(counter.bytes === 0 ? 'the file is empty' : 'the file holds no <log> element');
    if (!closedLog) {
      const open = stack.length > 0 ? stack.map((t) => `<${t}>`).join(' › ') : '';
      fail(
        `the file ends before </log> (truncated?)${open === '' ? '' : `; still open: ${open}`} at line ${formatCount(parser.line)}`,
      );
    }
    parser.close();
  } catch (error) {
    if (error instanceof LogLimitError) throw error;
    failure =
      error instanceof LogImportError
        ? error
        : new LogImportError(error instanceof Error ? error.message : String(error), {
            cause: error,
          });
  }
  if (failure !== null) throw failure;

  const warnings: string[] = [];
  if (unnamedTraces > 0) {
    warnings.push(
      `${formatCount(unnamedTraces)} traces had no concept:name and were named by position.`,
    );
  }
  if (emptyActivityRows > 0) {
    warnings.push(`${formatCount(emptyActivityRows)} events had no activity and were not used.`);
  }
  if (emptyTimestampRows > 0) {
    warnings.push(
      `${formatCount(emptyTimestampRows)} events had no time:timestamp and were not used.`,
    );
  }
  if (others > 0) {
    warnings.push(
      `${formatCount(others)} events had a lifecycle transition other than start or complete and were not used.`,
    );
  }
  if (builder.eventCount === 0) fail('the log holds no events with an activity and a timestamp');
  options.onProgress?.({ bytes: counter.bytes, rows });
  return builder.finish({
    format: 'xes',
    rowsRead: rows,
    emptyCaseIdRows: 0,
    emptyActivityRows,
    emptyTimestampRows,
    lifecycle: { start: starts, complete: completes, other: others },
    timestamps: {
      dateOrder: timestamps.dateOrder === 'ymd' ? null : timestamps.dateOrder,
      detected: false,
      evidence: null,
      timeZone: timestamps.timeZone,
      withoutOffset: timestamps.withoutOffset,
      offsetMinutes: timestamps.commonOffset,
    },
    columns: {
      caseId: 'concept:name (trace)',
      activity: (activityKeys ?? [options.activityKey ?? 'concept:name']).join('+'),
      timestamp: 'time:timestamp',
      startTimestamp: startKey,
      lifecycle: 'lifecycle:transition',
      resource: 'org:resource',
      group: 'org:group',
    },
    declarations: { globals, classifiers },
    warnings,
    setAside: Object.values(setAside)
      .map((c) => c.report())
      .filter((c) => c !== null),
  });
}
