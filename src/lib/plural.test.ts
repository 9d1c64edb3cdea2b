import { describe, expect, it } from 'vitest';
import { countOf } from './plural.ts';

describe('countOf', () => {
  it('uses the singular for one and the plural otherwise, with separators', () => {
    expect(countOf(1, 'answer')).toBe('1 answer');
    expect(countOf(0, 'answer')).toBe('0 answers');
    expect(countOf(3046, 'comment')).toBe('3,046 comments');
    expect(countOf(2, 'activity', 'activities')).toBe('2 activities');
  });
});
