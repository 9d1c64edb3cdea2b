import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../framework/index.ts';
import { effectiveLevels } from './levels.ts';
import { summariseRound } from './results.ts';
import type { Answer, Level } from './types.ts';

const groups = [{ id: 'g', name: 'Everyone' }];
const answer = (n: number, capabilityId: string, level: Level | null): Answer => ({
  responseId: `r${n}`,
  groupId: 'g',
  capabilityId,
  level,
  indicatorsSeen: [],
  evidence: '',
  confidence: null,
});

describe('effectiveLevels', () => {
  const answers = [1, 2, 3].flatMap((n) => [
    answer(n, 'managing-risk', 3),
    answer(n, 'organisational-learning', ([2, 2, 3] as const)[n - 1] as Level),
    answer(n, 'planning-and-prioritisation', null),
  ]);
  const summary = summariseRound(defaultFramework, 'organisation', answers, groups, {
    minGroupSize: 3,
  });

  it('takes the agreed level where moderation agreed one, and keeps the median beside it', () => {
    const levels = effectiveLevels(summary, [
      {
        capabilityId: 'managing-risk',
        agreedLevel: 4,
        evidenceStrength: 'documented',
        rationale: 'No risk register in use',
      },
    ]);
    const byId = new Map(levels.map((l) => [l.capabilityId, l]));
    expect(byId.get('managing-risk')).toEqual({
      capabilityId: 'managing-risk',
      level: 4,
      source: 'agreed',
      median: 3,
    });
    expect(byId.get('organisational-learning')).toEqual({
      capabilityId: 'organisational-learning',
      level: 2,
      source: 'median',
      median: 2,
    });
    // Nobody gave a level: no level, said so.
    expect(byId.get('planning-and-prioritisation')).toMatchObject({ level: null, source: 'none' });
    // One entry per capability of the scope, in the framework's order.
    expect(levels.map((l) => l.capabilityId)).toEqual(summary.results.map((r) => r.capabilityId));
  });
});
