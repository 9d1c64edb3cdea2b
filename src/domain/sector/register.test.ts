import { describe, expect, it } from 'vitest';
import { isRatingRefusal, registerRating, type RegisterEvidence } from './register.ts';
import type { Level } from '../assessment/index.ts';

const level = (
  capabilityId: string,
  value: Level | null,
  evidence: RegisterEvidence = 'documented',
) => ({ capabilityId, name: capabilityId, level: value, evidence });

describe('the client-capability rating', () => {
  it('is the weakest of the three counted capabilities, other capabilities ignored', () => {
    const rating = registerRating([
      level('organisational-learning', 5),
      level('planning-and-prioritisation', 2),
      level('developing-new-ways-of-working', 5),
      level('managing-risk', 3),
      level('managing-supplier-relations', 2),
    ]);
    if (isRatingRefusal(rating)) throw new Error(rating.refused);
    expect(rating.level).toBe(3);
    expect(rating.levelName).toBe('Adequate');
    expect(rating.counted.map((c) => c.capabilityId)).toEqual([
      'managing-supplier-relations',
      'managing-risk',
      'planning-and-prioritisation',
    ]);
  });

  it('states the weakest evidence behind the counted levels', () => {
    const rating = registerRating([
      level('planning-and-prioritisation', 1, 'independently-verified'),
      level('managing-risk', 1, 'self-assessed'),
      level('managing-supplier-relations', 1, 'documented'),
      level('organisational-learning', 1, 'asserted'),
    ]);
    if (isRatingRefusal(rating)) throw new Error(rating.refused);
    expect(rating.level).toBe(1);
    expect(rating.levelName).toBe('Outstanding');
    expect(rating.evidence).toBe('self-assessed');
  });

  it('is refused when a counted capability has no level', () => {
    const rating = registerRating([
      level('planning-and-prioritisation', 2),
      level('managing-risk', null),
      level('managing-supplier-relations', 2),
    ]);
    expect(isRatingRefusal(rating)).toBe(true);
    expect(isRatingRefusal(rating) && rating.refused).toContain('managing-risk');
    expect(isRatingRefusal(registerRating([]))).toBe(true);
  });
});
