// Comparing rounds (issue 3, point 8), including across two framework versions.
import { describe, expect, it } from 'vitest';
import { defaultFramework, loadFramework } from '../framework/index.ts';
import type { Framework } from '../framework/index.ts';
import {
  compareRounds,
  describeChange,
  NOT_ASSESSED_TEXT,
  trendAcrossRounds,
  trendRows,
} from './history.ts';
import { effectiveLevels } from './levels.ts';
import { summariseRound } from './results.ts';
import { answersFor } from './testAnswers.ts';
import type { Level } from './types.ts';

const group = [{ id: 'all', name: 'All staff' }];
function results(framework: Framework, levels: Record<string, Level[]>) {
  const answers = Object.entries(levels).flatMap(([id, list]) => answersFor(id, 'all', list));
  return summariseRound(framework, 'organisation', answers, group).results;
}

/** The default framework with one indicator reworded, as version 1.2.0. */
function rewordedFramework(): Framework {
  const document = structuredClone(defaultFramework.document);
  document.version = '1.2.0';
  const learning = document.capabilities.find((c) => c.id === 'organisational-learning');
  const indicator = learning?.levels.find((l) => l.level === 2)?.indicators[0];
  if (!indicator) throw new Error('fixture: indicator not found');
  indicator.text = 'Every project is reviewed after delivery, using both discussion and data';
  return loadFramework(document);
}

describe('describeChange', () => {
  it('calls a fall in the level number an improvement', () => {
    expect(describeChange(-1)).toBe('improved by 1 level');
    expect(describeChange(2)).toBe('worsened by 2 levels');
    expect(describeChange(0)).toBe('no change');
  });
});

describe('compareRounds', () => {
  const later = rewordedFramework();
  const comparison = compareRounds(
    {
      framework: defaultFramework,
      results: results(defaultFramework, {
        'organisational-learning': [3, 3, 3],
        'planning-and-prioritisation': [3, 3, 4, 4],
        'managing-risk': [2, 2, 2],
      }),
    },
    {
      framework: later,
      results: results(later, {
        'organisational-learning': [2, 2, 2],
        'planning-and-prioritisation': [3, 3, 3],
        'managing-risk': [4, 4, 4],
      }),
    },
  );
  const byId = (id: string) => comparison.capabilities.find((c) => c.capabilityId === id);

  it('names both framework versions', () => {
    expect(comparison.earlierFramework).toEqual({ id: 'hoskins-2025', version: '1.1.0' });
    expect(comparison.laterFramework).toEqual({ id: 'hoskins-2025', version: '1.2.0' });
    expect(comparison.sameFrameworkVersion).toBe(false);
  });

  it('reports an improvement beyond the spread, and where descriptors changed', () => {
    const learning = byId('organisational-learning');
    expect(learning).toMatchObject({
      status: 'both',
      earlierConsensus: 3,
      laterConsensus: 2,
      change: -1,
      direction: 'improved',
      changeInWords: 'improved by 1 level',
      beyondSpread: true,
      descriptorsChanged: true,
    });
    expect(learning?.descriptorChanges).toEqual([
      'level 2 Good: indicators reworded: organisational-learning.2.1',
    ]);
    expect(learning?.explanation).toContain('so part of any change may come from the new wording');
  });

  it('does not call a change beyond the spread when it is no larger than an inter-quartile range', () => {
    // Earlier 3 3 4 4: median 3.5 → 4, hinges 3 and 4 (IQR 1). Later 3 3 3. Change −1, not > 1.
    expect(byId('planning-and-prioritisation')).toMatchObject({
      earlierConsensus: 4,
      laterConsensus: 3,
      change: -1,
      changeInWords: 'improved by 1 level',
      beyondSpread: false,
      descriptorsChanged: false,
      descriptorChanges: [],
    });
  });

  it('reports a worsening with its direction', () => {
    expect(byId('managing-risk')).toMatchObject({
      change: 2,
      direction: 'worsened',
      changeInWords: 'worsened by 2 levels',
      beyondSpread: true,
    });
  });

  it('cannot compare when a round has no ratings', () => {
    expect(byId('managing-supplier-relations')).toMatchObject({
      status: 'both',
      change: null,
      changeInWords: 'cannot compare',
      beyondSpread: false,
    });
  });

  it('reports capabilities present in only one round', () => {
    const earlierResults = results(defaultFramework, { 'managing-risk': [3, 3, 3] });
    const laterResults = results(defaultFramework, { 'managing-risk': [3, 3, 3] }).filter(
      (result) => result.capabilityId !== 'managing-risk',
    );
    const partial = compareRounds(
      { framework: defaultFramework, results: earlierResults },
      { framework: defaultFramework, results: laterResults },
    );
    expect(partial.sameFrameworkVersion).toBe(true);
    const risk = partial.capabilities.at(-1);
    expect(risk).toMatchObject({
      capabilityId: 'managing-risk',
      status: 'only-earlier',
      earlierConsensus: 3,
      laterConsensus: null,
      changeInWords: 'only in the earlier round',
    });
    const onlyLater = compareRounds(
      { framework: defaultFramework, results: laterResults },
      { framework: defaultFramework, results: earlierResults },
    ).capabilities.find((c) => c.capabilityId === 'managing-risk');
    expect(onlyLater?.status).toBe('only-later');
  });
});

describe('trendAcrossRounds (issue 12, point 5)', () => {
  const reworded = rewordedFramework();
  /** An older version, 0.9.0; the round below did not assess Organisational Learning in it. */
  const older = (() => {
    const document = structuredClone(defaultFramework.document);
    document.version = '0.9.0';
    return loadFramework(document);
  })();
  function round(
    id: string,
    closedAt: string,
    framework: Framework,
    levels: Record<string, Level[]>,
    agreed: { capabilityId: string; agreedLevel: Level }[] = [],
  ) {
    const summary = {
      results: results(framework, levels).filter(
        (r) => id !== 'a' || r.capabilityId !== 'organisational-learning',
      ),
    };
    return {
      id,
      title: `Round ${id}`,
      status: 'finalised',
      closedAt,
      framework,
      levels: effectiveLevels(summary, agreed),
    };
  }
  // Given out of order: the trend orders them by closing date.
  const trend = trendAcrossRounds([
    round('c', '2026-10-01', reworded, {
      'organisational-learning': [2, 2, 2],
      // Three answers: fewer than the smallest group shown would give no median at all.
      'managing-risk': [3, 3, 3],
    }),
    round('a', '2025-10-01', older, { 'managing-risk': [4, 4, 4] }),
    round(
      'b',
      '2026-04-01',
      defaultFramework,
      { 'organisational-learning': [4, 4, 4], 'managing-risk': [3, 3, 3] },
      [{ capabilityId: 'managing-risk', agreedLevel: 4 }],
    ),
  ]);

  it('orders the rounds oldest first and marks each change of framework version', () => {
    expect(trend.rounds.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(trend.rounds.map((r) => r.frameworkChanged)).toEqual([false, true, true]);
    expect(trend.rounds[1]?.frameworkNote).toBe('Framework 1.1.0 (was 0.9.0)');
    expect(trend.rounds[2]?.frameworkNote).toBe('Framework 1.2.0 (was 1.1.0)');
  });

  it('uses the agreed level where there is one, else the median', () => {
    const risk = trend.capabilities.find((c) => c.capabilityId === 'managing-risk');
    expect(risk?.points.map((p) => p.level?.level)).toEqual([4, 4, 3]);
    expect(risk?.points[1]?.text).toBe('agreed 4 Needs Improvement, median 3 Adequate');
    expect(risk?.points[2]?.text).toBe('median 3 Adequate');
    expect(risk?.overall).toBe('improved by 1 level');
  });

  it('shows a capability absent from a version as a gap, not a zero, and notes reworded descriptors', () => {
    const learning = trend.capabilities.find((c) => c.capabilityId === 'organisational-learning');
    expect(learning?.points[0]).toMatchObject({
      assessed: false,
      level: null,
      text: NOT_ASSESSED_TEXT,
    });
    expect(learning?.points.map((p) => p.level?.level ?? null)).toEqual([null, 4, 2]);
    expect(learning?.points[2]?.descriptorsChanged).toBe(true);
    expect(learning?.overall).toBe('improved by 2 levels');
  });

  it('gives one CSV row per capability and round with the same words as the page', () => {
    const rows = trendRows(trend);
    expect(rows).toHaveLength(trend.capabilities.length * 3);
    const riskB = rows.find((r) => r[0] === 'Managing Risk' && r[1] === 'Round b');
    expect(riskB).toEqual([
      'Managing Risk',
      'Round b',
      'finalised',
      '2026-04-01',
      defaultFramework.id,
      '1.1.0',
      'Yes',
      4,
      'Needs Improvement',
      'agreed',
      3,
      'agreed 4 Needs Improvement, median 3 Adequate',
    ]);
    const learningA = rows.find((r) => r[0] === 'Organisational Learning' && r[1] === 'Round a');
    expect(learningA?.slice(7)).toEqual([null, null, 'not assessed', null, NOT_ASSESSED_TEXT]);
  });
});
