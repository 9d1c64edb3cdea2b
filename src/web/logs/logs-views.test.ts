// The event-log pages' pure pieces: the stored form of a log reads back exactly; the process map
// and flow charts are accessible SVG (title and description, escaped text, no text under 12px,
// no style attributes, the bottleneck marked in words); the mapping form's detection and checks;
// and the upload's first look at a file (CSV or XES, empty, binary, too few columns).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseLog, readCsvLog, type LogAnalysis } from '../../domain/mining/index.ts';
import { decodeEventLog, encodeEventLog } from '../../storage/index.ts';
import { contrastRatio } from '../charts/svg.ts';
import { backlogSvg, throughputSvg } from './flow-charts.ts';
import { detectMapping, mappingSchema, toCsvColumns } from './mapping.ts';
import { processMapSvg } from './process-map.ts';
import { UploadError, describe as describeHead } from './upload.ts';
import { readFilter, readMapOptions } from './view.ts';
import { dayStartUtc, displayZone, localDateTime, localDay } from './zone.ts';

const UTC = displayZone(
  {
    timestamps: {
      dateOrder: null,
      detected: false,
      evidence: null,
      timeZone: 'UTC',
      withoutOffset: 1,
      offsetMinutes: null,
    },
  } as unknown as LogAnalysis['import'],
  'log',
);

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const SMALL = readFileSync(path.join(ROOT, 'test', 'fixtures', 'eventlogs', 'small.csv'));
const RECEIPT = readFileSync(path.join(ROOT, 'examples', 'eventlogs', 'receipt.csv.gz'));

function fontSizes(svg: string): number[] {
  return [...svg.matchAll(/font-size="(\d+(?:\.\d+)?)"/g)].map((m) => Number(m[1]));
}

describe('stored event logs', () => {
  it('read back exactly as written', async () => {
    const log = await readCsvLog([RECEIPT]);
    const back = decodeEventLog(encodeEventLog(log));
    expect(back.caseIds).toEqual(log.caseIds);
    expect([...back.caseOffsets]).toEqual([...log.caseOffsets]);
    expect([...back.activity]).toEqual([...log.activity]);
    expect([...back.complete]).toEqual([...log.complete]);
    expect(Object.is(back.start[0], NaN)).toBe(true);
    expect([...back.caseAttributes.keys()]).toEqual([...log.caseAttributes.keys()]);
    expect([...(back.caseAttributes.get('case:channel')?.codes ?? [])]).toEqual([
      ...(log.caseAttributes.get('case:channel')?.codes ?? []),
    ]);
    expect(analyseLog(back)).toEqual(analyseLog(log));
  });
});

describe('process map and flow charts', () => {
  let receipt: LogAnalysis;
  it('draws the receipt process accessibly', async () => {
    receipt = analyseLog(await readCsvLog([RECEIPT]));
    const map = processMapSvg(receipt);
    expect(map.svg).toMatch(
      /^<svg [^>]*role="img" aria-labelledby="process-map-title process-map-desc"/,
    );
    expect(map.svg).toContain('<title id="process-map-title">Process map</title>');
    expect(map.svg).not.toContain('style=');
    expect(Math.min(...fontSizes(map.svg))).toBeGreaterThanOrEqual(12);
    expect(map.svg).toContain('T06 Determine necessity');
    expect(map.svg).toContain('batching');
    expect(map.shownActivities).toBeLessThan(map.totalActivities);
    expect(map.omitted).toContain('The tables include them');
    const all = processMapSvg(receipt, { minShare: 0 });
    expect(all.shownActivities).toBe(27);
    expect(all.shownEdges).toBe(receipt.edges.length);
  });

  it('marks a named bottleneck in words and escapes names', () => {
    const named: LogAnalysis = {
      ...receipt,
      activities: receipt.activities.map((a) =>
        a.activity === 'T12 Check document X request unlicensed'
          ? { ...a, activity: 'A <b> & "c"' }
          : a,
      ),
      bottleneck: {
        ...receipt.bottleneck,
        bottleneck: {
          activity: 'T06 Determine necessity of stop advice',
          kind: 'contention',
          kindLabel: 'resource contention',
          capacity: true,
          waitingShare: 0.39,
          medianWaitSeconds: 46,
        },
      },
    };
    const map = processMapSvg(named, { minShare: 0 });
    expect(map.svg).toContain('>Bottleneck<');
    expect(map.svg).toContain('>(resource contention)<');
    expect(map.svg).toContain('stroke-width="4"');
    expect(map.svg).toContain('A &lt;b&gt; &amp; &quot;c&quot;');
    expect(map.svg).not.toContain('<b>');
  });

  it('charts throughput and backlog with labelled series and readable text', () => {
    for (const svg of [throughputSvg(receipt.flow, 'month'), backlogSvg(receipt.flow, 'month')]) {
      expect(svg).toMatch(/role="img"/);
      expect(svg).toMatch(/<title id="[^"]+">/);
      expect(svg).not.toContain('style=');
      expect(Math.min(...fontSizes(svg))).toBeGreaterThanOrEqual(12);
    }
    const throughput = throughputSvg(receipt.flow, 'month');
    expect(throughput).toContain('● Arrived');
    expect(throughput).toContain('■ Finished');
    expect(throughput).toContain('stroke-dasharray');
    // The colours used for text pass 4.5:1 on white.
    for (const colour of ['#1d70b8', '#0b0c0c', '#484949']) {
      expect(contrastRatio(colour, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('filters', () => {
  it('reads period, variant and case attribute, and refuses bad values', async () => {
    const analysis = analyseLog(await readCsvLog([SMALL]));
    expect(readFilter({}, analysis, UTC).filter).toBeNull();
    const read = readFilter(
      { from: '2024-01-01', variant: '1', attribute: 'case:channel=Internet' },
      analysis,
      UTC,
    );
    expect(read.errors).toBeNull();
    expect(read.filter).toMatchObject({
      period: { from: '2024-01-01T00:00:00.000Z', mode: 'started' },
      variants: [analysis.variants[0]?.activities],
      caseAttribute: { name: 'case:channel', values: ['Internet'] },
    });
    expect(read.label).toBe('Channel: Internet, variant 1, started from 2024-01-01');
    const bad = readFilter({ from: '2024-02-30', to: '2023-01-01', variant: '999' }, analysis, UTC);
    expect(bad.errors?.list.map((e) => e.href)).toEqual(['#from', '#variant']);
  });
});

describe('column mapping', () => {
  it('pre-selects the engine’s default names and settles the date order only when a date does', () => {
    const header = ['Case ID', 'Activity', 'Timestamp', 'Resource', 'case:channel'];
    const detected = detectMapping(header, [['1', 'A', '31/03/2024 10:00', 'Ann', 'Web']]);
    expect(detected.columns).toMatchObject({
      caseId: 'Case ID',
      activity: 'Activity',
      timestamp: 'Timestamp',
      resource: 'Resource',
      lifecycle: '',
    });
    expect(detected.caseAttributes).toEqual(['case:channel']);
    expect(detected.dateOrder).toBe('dmy');
    expect(detectMapping(header, [['1', 'A', '03/04/2024', 'Ann', 'Web']]).dateOrder).toBe('');
    expect(
      detectMapping(header, [['1', 'A', '2024-03-04T10:00:00Z', 'Ann', 'Web']]).dateOrder,
    ).toBe('auto');
  });

  it('checks the form against the file’s columns', () => {
    const schema = mappingSchema(['id', 'what', 'when', 'who']);
    const ok = schema.safeParse({
      name: 'Log',
      caseId: 'id',
      activity: 'what',
      timestamp: 'when',
      resource: 'who',
      dateOrder: 'dmy',
      timeZone: 'Europe/London',
    });
    expect(ok.success).toBe(true);
    if (ok.success) {
      expect(toCsvColumns(ok.data)).toEqual({
        caseId: 'id',
        activity: 'what',
        timestamp: 'when',
        startTimestamp: null,
        lifecycle: null,
        resource: 'who',
        group: null,
        caseAttributes: [],
      });
    }
    const bad = schema.safeParse({
      name: '',
      caseId: 'id',
      activity: 'id',
      timestamp: 'nope',
      dateOrder: 'ymd',
      timeZone: 'Nowhere/Special',
    });
    expect(bad.success).toBe(false);
    const messages = bad.success ? [] : bad.error.issues.map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'Enter a name for the log',
        'Select one of the file’s columns for the timestamp',
        'Choose how dates are written in the file',
        'Enter a time zone the way computers name them, for example Europe/London or UTC',
      ]),
    );
  });
});

describe('a first look at an uploaded file', () => {
  it('tells CSV from XES and reads the header and first rows', () => {
    const csv = describeHead(SMALL);
    expect(csv.format).toBe('csv');
    expect(csv.columns).toEqual([
      'case:concept:name',
      'concept:name',
      'time:timestamp',
      'org:resource',
      'case:channel',
    ]);
    expect(csv.sample.length).toBe(5);
    expect(
      describeHead(Buffer.from('\ufeff<?xml version="1.0"?>\n<log xes.version="1.0">')).format,
    ).toBe('xes');
  });

  it('refuses empty, binary, non-XES XML and one-column files with plain messages', () => {
    const refuse = (text: string | Buffer) => {
      try {
        describeHead(Buffer.isBuffer(text) ? text : Buffer.from(text));
        return '';
      } catch (error) {
        expect(error).toBeInstanceOf(UploadError);
        return (error as Error).message;
      }
    };
    expect(refuse('  \n')).toBe('The selected file is empty');
    expect(refuse(Buffer.from([0x50, 0x4b, 3, 4, 0, 0]))).toContain('binary file');
    expect(refuse('<html><body></body></html>')).toContain('not an XES event log');
    expect(refuse('just one column\nvalue\n')).toContain('has 1 column');
    expect(refuse('a,b,a\n1,2,3\n')).toContain('both called “a”');
  });
});

describe('issue 13, point 5: the log page’s clock, map choices and self-loops', () => {
  const PLUS_ONE = [
    'case_id,activity,timestamp',
    'c1,Register,2024-03-01T00:30:00+01:00',
    'c1,Decide,2024-03-01T09:00:00+01:00',
    'c2,Register,2024-03-02T00:15:00+01:00',
    'c2,Decide,2024-03-02T10:00:00+01:00',
  ].join('\n');

  it('shows a +01:00 log in its own offset, not a day early, and reads filter dates the same way', async () => {
    const log = await readCsvLog([Buffer.from(PLUS_ONE)]);
    const analysis = analyseLog(log);
    expect(analysis.import.timestamps.offsetMinutes).toBe(60);
    const zone = displayZone(analysis.import, 'log');
    expect(zone.label).toContain('+01:00');
    const first = analysis.period?.first as string;
    expect(first).toBe('2024-02-29T23:30:00.000Z');
    expect(localDay(first, zone)).toBe('2024-03-01');
    expect(localDateTime(first, zone)).toBe('1 March 2024 at 12:30am');
    // In UTC, chosen and stated, it is the day before.
    expect(localDay(first, displayZone(analysis.import, 'UTC'))).toBe('2024-02-29');
    expect(dayStartUtc('2024-03-01', zone)).toBe('2024-02-29T23:00:00.000Z');
    const read = readFilter({ from: '2024-03-02' }, analysis, zone);
    expect(read.filter?.period?.from).toBe('2024-03-01T23:00:00.000Z');
    // Europe/London in summer is +01:00.
    const london = displayZone(analysis.import, 'Europe/London');
    expect(dayStartUtc('2024-07-01', london)).toBe('2024-06-30T23:00:00.000Z');
  });

  it('offers only the listed map choices: an absurd number is refused with a message', () => {
    expect(readMapOptions({}).options).toEqual({ view: 'frequency', minShare: 0.05 });
    expect(readMapOptions({ view: 'performance', paths: '20' }).options).toEqual({
      view: 'performance',
      minShare: 0.2,
    });
    for (const paths of ['1e308', '-5', '3', 'NaN', 'Infinity']) {
      const read = readMapOptions({ paths });
      expect(read.errors.map((e) => e[0])).toEqual(['paths']);
      expect(read.errors[0]?.[1]).toContain('Choose how much of the map to show');
    }
    expect(readMapOptions({ view: 'x' }).errors.map((e) => e[0])).toEqual(['view']);
  });

  it('draws a self-loop as a loop beside its box, and labels arrows by the view chosen', async () => {
    const csv = [
      'case_id,activity,timestamp',
      ...Array.from({ length: 6 }, (_, c) => [
        `c${c},Register,2024-01-0${c + 1}T09:00:00Z`,
        `c${c},Check,2024-01-0${c + 1}T10:00:00Z`,
        `c${c},Check,2024-01-0${c + 1}T12:00:00Z`,
        `c${c},Decide,2024-01-0${c + 1}T15:00:00Z`,
      ]).flat(),
    ].join('\n');
    const analysis = analyseLog(await readCsvLog([Buffer.from(csv)]));
    expect(analysis.edges.some((e) => e.from === 'Check' && e.to === 'Check')).toBe(true);
    const frequency = processMapSvg(analysis, { view: 'frequency', minShare: 0 });
    const loops = [
      ...frequency.svg.matchAll(
        /<path class="app-self-loop" d="M([\d.]+),([\d.]+) C[^"]* ([\d.]+),([\d.]+)"/g,
      ),
    ];
    expect(loops).toHaveLength(1);
    const loop = loops[0] as RegExpMatchArray;
    // It starts and ends on the box's right edge, not in empty space.
    expect(Math.abs(Number(loop[1]) - Number(loop[3]))).toBeLessThanOrEqual(1);
    expect(frequency.svg).toContain('1 of them a loop');
    expect(frequency.svg).toContain('>6<');
    const performance = processMapSvg(analysis, { view: 'performance', minShare: 0 });
    expect(performance.svg).toContain('>2 h<');
    expect(performance.svg).toContain('median time between');
  });
});
