import { describe, expect, it } from 'vitest';
import {
  exchangeSeries,
  incidentSeries,
  periodOfQuarters,
  quarterKey,
  quarterWords,
  quartersBetween,
  type IncidentCountRow,
} from './overview.ts';

const row = (
  month: string,
  memberKey: string,
  cls: string | null = 'blameless_error',
  kind: 'incident' | 'near_miss' = 'incident',
  count = 1,
): IncidentCountRow => ({ month, memberKey, class: cls, kind, count });

describe('quarters', () => {
  it('reads the quarter of a date and says it in words', () => {
    expect(quarterKey('2026-08-14')).toBe('2026-Q3');
    expect(quarterKey('2026-12-31T23:59:59Z')).toBe('2026-Q4');
    expect(quarterKey('2026-01')).toBe('2026-Q1');
    expect(quarterKey('soon')).toBeUndefined();
    expect(quarterKey('2026-13-01')).toBeUndefined();
    expect(quarterWords('2026-Q3')).toBe('July to September 2026');
    expect(periodOfQuarters('2025-Q3', '2026-Q1')).toBe('July 2025 to March 2026');
    expect(periodOfQuarters('2026-Q2', '2026-Q2')).toBe('April to June 2026');
    expect(quartersBetween('2025-Q4', '2026-Q2')).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
  });
});

describe('incidents by class over time', () => {
  const five = ['a', 'b', 'c', 'd', 'e'];

  it('keeps each quarter whose reports come from at least the minimum number of members', () => {
    const rows = [
      ...five.map((m) => row('2026-04', m)),
      ...five.map((m) => row('2026-07', m, 'reckless_conduct', 'near_miss')),
    ];
    const s = incidentSeries(rows, 5);
    expect(s.periods.map((p) => [p.from, p.to, p.merged, p.total])).toEqual([
      ['2026-Q2', '2026-Q2', false, 5],
      ['2026-Q3', '2026-Q3', false, 5],
    ]);
    expect(s.periods[1]?.byClass.reckless_conduct).toEqual({ incidents: 0, nearMisses: 5 });
    expect(s.widened).toBe(false);
  });

  it('widens a quarter in which one member reported until enough members stand behind it', () => {
    // Q1: only member "a" (three reports); Q2: five members. Q1 alone would be a's quarter.
    const rows = [
      row('2026-02', 'a', 'reckless_conduct', 'incident', 3),
      ...five.map((m) => row('2026-05', m)),
    ];
    const s = incidentSeries(rows, 5);
    expect(s.periods).toHaveLength(1);
    expect(s.periods[0]).toMatchObject({ from: '2026-Q1', to: '2026-Q2', merged: true, total: 8 });
    expect(s.widened).toBe(true);
  });

  it('merges a short last run into the period before it, so no figure is the difference of two', () => {
    const rows = [...five.map((m) => row('2026-01', m)), row('2026-10', 'z', null, 'near_miss')];
    const s = incidentSeries(rows, 5);
    expect(s.periods.map((p) => [p.from, p.to])).toEqual([['2026-Q1', '2026-Q4']]);
    // The totals always add up, whatever was merged.
    expect(s.total).toBe(6);
    expect(s.totals.untriaged).toEqual({ incidents: 0, nearMisses: 1 });
    expect(s.periods.reduce((a, p) => a + p.total, 0)).toBe(s.total);
  });

  it('counts distinct members, not reports: many reports from one member count once', () => {
    const rows = ['a', 'b', 'c', 'd'].map((m) => row('2026-04', m, null, 'incident', 10));
    const s = incidentSeries(rows, 5);
    expect(s.tooFewMembers).toBe(true);
    expect(s.periods).toHaveLength(1);
    expect(s.total).toBe(40);
  });

  it('never uses a minimum below five, and a higher one widens more', () => {
    const rows = [...five.map((m) => row('2026-01', m)), ...five.map((m) => row('2026-04', m))];
    expect(incidentSeries(rows, 2).periods).toHaveLength(2);
    expect(incidentSeries(rows, 2).minimum).toBe(5);
    const six = [...rows, row('2026-04', 'f')];
    expect(incidentSeries(six, 6).periods.map((p) => [p.from, p.to])).toEqual([
      ['2026-Q1', '2026-Q2'],
    ]);
  });

  it('has no periods without reports', () => {
    expect(incidentSeries([], 5)).toMatchObject({ periods: [], total: 0 });
  });
});

describe('the exchange’s activity', () => {
  it('counts items per quarter by kind, with every quarter between, endorsements and joins', () => {
    const s = exchangeSeries([
      {
        kind: 'case_study',
        createdAt: '2026-01-10T09:00:00Z',
        endorsed: true,
        joinedCount: 0,
        organisationKey: 'a',
      },
      {
        kind: 'problem',
        createdAt: '2026-07-01T09:00:00Z',
        endorsed: false,
        joinedCount: 2,
        organisationKey: 'b',
      },
      {
        kind: 'problem',
        createdAt: '2026-07-02T09:00:00Z',
        endorsed: false,
        joinedCount: 1,
        organisationKey: 'a',
      },
      {
        kind: 'component',
        createdAt: '2026-08-02T09:00:00Z',
        endorsed: true,
        joinedCount: 3,
        organisationKey: 'c',
      },
    ]);
    expect(s.quarters.map((q) => [q.quarter, q.total])).toEqual([
      ['2026-Q1', 1],
      ['2026-Q2', 0],
      ['2026-Q3', 3],
    ]);
    expect(s.quarters[2]?.byKind.problem).toBe(2);
    expect(s).toMatchObject({ total: 4, endorsed: 2, publishers: 3, problems: 2, problemJoins: 3 });
    expect(s.byKind.component).toBe(1);
  });
});
