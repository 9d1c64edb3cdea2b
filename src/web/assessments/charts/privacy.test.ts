// Proof that a hidden group's answers leak nowhere: two rounds that differ ONLY in how answers are
// split between two small (hidden) groups — same pooled ratings overall — must give byte-identical
// results, CSV, JSON report, charts and tables. If any per-group figure of a hidden group (a count,
// a level, a median) reached any output, the outputs would differ.
import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../../../domain/framework/index.ts';
import { resultsToCsv, roundReport, summariseRound } from '../../../domain/assessment/index.ts';
import type { Answer, Level } from '../../../domain/assessment/index.ts';
import { heatMapSvg, heatMapTable, profileChartSvg, profileTable } from './index.ts';

const CAP = 'organisational-learning';
const groups = [
  { id: 'lead', name: 'Leadership' },
  { id: 'front', name: 'Frontline staff' },
  { id: 'tiny', name: 'Tiny team' },
  { id: 'small', name: 'Small team' },
];

function answer(id: string, groupId: string, level: Level | null): Answer {
  return {
    responseId: id,
    groupId,
    capabilityId: CAP,
    level,
    indicatorsSeen: [],
    evidence: '',
    confidence: null,
  };
}

const common: Answer[] = [
  answer('l1', 'lead', 2),
  answer('l2', 'lead', 2),
  answer('l3', 'lead', 3),
  answer('f1', 'front', 4),
  answer('f2', 'front', 4),
  answer('f3', 'front', 5),
];

// Pooled, the hidden groups give 1, 1, 5 and one don't-know in both rounds.
const roundA = [
  ...common,
  answer('h1', 'tiny', 1),
  answer('h2', 'tiny', 1),
  answer('h3', 'small', 5),
  answer('h4', 'small', null),
];
const roundB = [
  ...common,
  answer('h1', 'tiny', 5),
  answer('h2', 'small', 1),
  answer('h3', 'small', 1),
  answer('h4', 'tiny', null),
];

function everything(answers: Answer[]) {
  const summary = summariseRound(defaultFramework, 'organisation', answers, groups);
  const input = { framework: defaultFramework, results: summary.results, groups, minGroupSize: 3 };
  return {
    summary: JSON.stringify(summary),
    csv: resultsToCsv(defaultFramework, summary.results),
    report: JSON.stringify(roundReport(defaultFramework, summary)),
    heatMap: heatMapSvg(input),
    heatTable: JSON.stringify(heatMapTable(input)),
    profile: profileChartSvg({ framework: defaultFramework, results: summary.results }),
    profileTable: JSON.stringify(
      profileTable({ framework: defaultFramework, results: summary.results }),
    ),
  };
}

describe('small-group hiding', () => {
  const a = everything(roundA);
  const b = everything(roundB);

  it('hides both small groups and shows the others', () => {
    const result = summariseRound(defaultFramework, 'organisation', roundA, groups).results[0];
    expect(result?.groups.map((group) => group.hidden)).toEqual([false, false, true, true]);
    // The control: visible groups do show their figures, so the test below is not vacuous.
    expect(a.heatMap).toContain('>4</tspan><tspan');
    expect(a.heatMap).toContain('> Needs Improvement</tspan>');
    expect(a.csv).toContain('Frontline staff');
  });

  for (const key of [
    'summary',
    'csv',
    'report',
    'heatMap',
    'heatTable',
    'profile',
    'profileTable',
  ] as const) {
    it(`leaks nothing of a hidden group through the ${key}`, () => {
      expect(a[key]).toBe(b[key]);
    });
  }

  it('would notice a leak: the same rounds with a smaller minimum differ', () => {
    const lenient = (answers: Answer[]) =>
      JSON.stringify(
        summariseRound(defaultFramework, 'organisation', answers, groups, { minGroupSize: 1 }),
      );
    expect(lenient(roundA)).not.toBe(lenient(roundB));
  });
});
