import { describe, expect, it } from 'vitest';
import { exchangeSeries, incidentSeries } from '../../domain/sector/index.ts';
import { buildSectorOverview, type OverviewInput } from './overview.ts';
import type { BenchmarksDocument } from './view.ts';

const benchmarks = (shown: boolean): BenchmarksDocument => ({
  institution: 'Test Agency',
  minimumOrganisations: 5,
  computedAt: '2026-12-01T00:00:00.000Z',
  percentileMethod: '',
  membersSharing: { results: shown ? 6 : 3, chainMeasures: 0 },
  peerGroups: [],
  peerGroup: null,
  capabilities: [
    {
      capabilityId: 'managing-risk',
      name: 'Managing Risk',
      allMembers: shown
        ? {
            shown: true,
            organisations: 6,
            lowerQuartile: 2,
            median: 3,
            upperQuartile: 4,
            periodFrom: '2026-03-01T00:00:00.000Z',
            periodTo: '2026-09-01T00:00:00.000Z',
          }
        : { shown: false, hidden: 'too-few' },
      peerGroupFigure: null,
      own: null,
    },
  ],
  services: [],
});

const input = (shown: boolean): OverviewInput => ({
  institutionName: 'Test Agency',
  now: new Date('2026-12-08T09:00:00Z'),
  minimum: 5,
  members: { active: 6, invited: 1 },
  sharing: { results: 6, chain_measures: 0, evaluations: 0, register: 0 },
  round: null,
  benchmarks: benchmarks(shown),
  incidents: incidentSeries([], 5),
  referred: 0,
  exchange: exchangeSeries([]),
  problems: [],
  endorsed: [],
});

describe('the sector view’s model', () => {
  it('states the printed date, the privacy rule and each section’s period, source and organisations', () => {
    const view = buildSectorOverview(input(true));
    expect(view.printedOn).toBe('8 December 2026');
    expect(view.privacyRule).toContain('fewer than 5 organisations is hidden');
    for (const s of view.sections)
      expect(s.facts.map((f) => f.key)).toEqual(['Period', 'Source', 'Organisations']);
    const bench = view.sections.find((s) => s.id === 'benchmarks');
    expect(bench?.tables[0]?.rows[0]).toEqual([
      'Managing Risk',
      '3 Adequate',
      '2 Good to 4 Needs Improvement',
      '6',
      '1 March 2026 to 1 September 2026',
    ]);
  });

  it('carries no figure of a hidden benchmark, in the table or the chart', () => {
    const view = buildSectorOverview(input(false));
    const bench = view.sections.find((s) => s.id === 'benchmarks');
    const row = bench?.tables[0]?.rows[0] ?? [];
    expect(row[1]).toContain('fewer than 5 organisations');
    expect(row.slice(2)).toEqual(['–', '–', '–']);
    expect(bench?.chart).toContain('Managing Risk: Hidden: fewer than 5 organisations');
    expect(bench?.chart).not.toContain('fill-opacity');
    expect(JSON.stringify(view)).not.toContain('Adequate');
  });

  it('says plainly when there is no sector-level round, no report and nothing published', () => {
    const view = buildSectorOverview(input(true));
    const text = JSON.stringify(view);
    expect(text).toContain('No sector-level round has closed yet');
    expect(text).toContain('No report yet');
    expect(text).toContain('Nothing published yet');
    expect(view.sections.find((s) => s.id === 'incidents')?.chart).toBeNull();
  });
});
