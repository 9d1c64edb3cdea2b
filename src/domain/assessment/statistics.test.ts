// Hand-computed medians and Tukey's hinges, and the rounding of a half-way median towards the weaker level.
import { describe, expect, it } from 'vitest';
import { consensusLevel, medianOfSorted, tukeyHinges } from './statistics.ts';

describe('medianOfSorted', () => {
  it('takes the middle value of an odd count', () => {
    expect(medianOfSorted([1, 2, 2, 3, 3, 4, 5])).toBe(3);
  });
  it('takes the mean of the two middle values of an even count', () => {
    expect(medianOfSorted([1, 2, 3, 4])).toBe(2.5);
    expect(medianOfSorted([2, 4])).toBe(3);
  });
  it('refuses an empty list', () => {
    expect(() => medianOfSorted([])).toThrow(RangeError);
  });
});

describe('tukeyHinges', () => {
  it('counts the middle rating in both halves of an odd count', () => {
    // [1, 2, 3] and [3, 4, 5]
    expect(tukeyHinges([1, 2, 3, 4, 5])).toEqual({ lower: 2, median: 3, upper: 4 });
    // [1, 2, 2, 3] and [3, 3, 4, 5]
    expect(tukeyHinges([1, 2, 2, 3, 3, 4, 5])).toEqual({ lower: 2, median: 3, upper: 3.5 });
  });
  it('splits an even count into two equal halves', () => {
    // [1, 2] and [3, 4]
    expect(tukeyHinges([1, 2, 3, 4])).toEqual({ lower: 1.5, median: 2.5, upper: 3.5 });
    // [1, 1, 2, 2, 2] and [2, 2, 2, 4, 4]
    expect(tukeyHinges([1, 1, 2, 2, 2, 2, 2, 2, 4, 4])).toEqual({ lower: 2, median: 2, upper: 2 });
  });
  it('treats a single rating as its own quartiles', () => {
    expect(tukeyHinges([4])).toEqual({ lower: 4, median: 4, upper: 4 });
  });
});

describe('consensusLevel', () => {
  it('rounds a half-way median towards the weaker (higher-numbered) level', () => {
    expect(consensusLevel(2.5)).toBe(3);
    expect(consensusLevel(1.5)).toBe(2);
    expect(consensusLevel(4.5)).toBe(5);
  });
  it('keeps a whole median', () => {
    expect(consensusLevel(1)).toBe(1);
    expect(consensusLevel(5)).toBe(5);
  });
});
