// Comparing rounds (issue 3, point 8), including across two framework versions.
import { describe, expect, it } from 'vitest';
import { defaultFramework, loadFramework } from '../framework/index.ts';
import type { Framework } from '../framework/index.ts';
import { compareRounds, describeChange } from './history.ts';
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
