import { describe, expect, it } from 'vitest';
import { analyseLog, filterLog, readCsvLog } from '../../domain/mining/index.ts';
import { encodeEventLog } from '../../storage/repositories/logs-codec.ts';
import { filteredAnalysis, forgetFiltered } from './filtered.ts';

const CSV = [
  'case:concept:name,concept:name,time:timestamp,case:channel',
  'c1,A,2024-01-01T09:00:00Z,Internet',
  'c1,B,2024-01-01T10:00:00Z,Internet',
  'c2,A,2024-01-02T09:00:00Z,Paper',
  'c2,B,2024-01-02T12:00:00Z,Paper',
  'c3,A,2024-01-03T09:00:00Z,Internet',
  'c3,B,2024-01-03T11:00:00Z,Internet',
].join('\n');

describe('filtered views of large logs', () => {
  it('works out the same analysis in a worker thread, once, then serves it from what it kept', async () => {
    const log = await readCsvLog(CSV);
    const data = encodeEventLog(log);
    const filter = { caseAttribute: { name: 'case:channel', values: ['Internet'] } };
    let loads = 0;
    const load = () => {
      loads++;
      return Promise.resolve(data);
    };
    const first = await filteredAnalysis('org', 'log', 'channel=Internet', filter, load);
    const expected = analyseLog(filterLog(log, filter));
    expect(first).toEqual({ ok: true, analysis: expected });
    expect(first?.ok === true && first.analysis?.counts.cases).toBe(2);
    const again = await filteredAnalysis('org', 'log', 'channel=Internet', filter, load);
    expect(again).toBe(first);
    expect(loads).toBe(1);
    // Another organisation's log of the same id is its own entry.
    await filteredAnalysis('other', 'log', 'channel=Internet', filter, load);
    expect(loads).toBe(2);
    forgetFiltered('org', 'log');
    await filteredAnalysis('org', 'log', 'channel=Internet', filter, load);
    expect(loads).toBe(3);
  }, 120_000);

  it('reports a filter the log cannot take as a message', async () => {
    const data = encodeEventLog(await readCsvLog(CSV));
    const outcome = await filteredAnalysis(
      'org',
      'bad',
      'x',
      { caseAttribute: { name: 'case:nothing', values: ['x'] } },
      () => Promise.resolve(data),
    );
    expect(outcome?.ok).toBe(false);
  }, 60_000);
});
