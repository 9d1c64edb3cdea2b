import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, normalisedMutualInformation, npmiCoherence } from './metrics.ts';

describe('normalisedMutualInformation', () => {
  it('is 1 for the same partition under other names', () => {
    expect(normalisedMutualInformation([0, 0, 1, 1, 2], ['b', 'b', 'a', 'a', 'c'])).toBeCloseTo(
      1,
      12,
    );
  });

  it('matches scikit-learn on a known case', () => {
    // sklearn.metrics.normalized_mutual_info_score([0,0,0,1,1,1], [0,0,1,1,2,2]) = 0.5158037429793889
    expect(normalisedMutualInformation([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(
      0.5158037429793889,
      12,
    );
  });

  it('is 0 when the prediction says nothing about the truth', () => {
    expect(normalisedMutualInformation([0, 1, 0, 1], [0, 0, 1, 1])).toBeCloseTo(0, 12);
  });

  it('treats null as a label of its own', () => {
    expect(normalisedMutualInformation(['x', 'x', 'y', 'y'], [null, null, 'a', 'a'])).toBeCloseTo(
      1,
      12,
    );
  });
});

describe('adjustedRandIndex', () => {
  it('matches scikit-learn on known cases', () => {
    // sklearn.metrics.adjusted_rand_score([0,0,1,1], [0,0,1,2]) = 0.5714285714285715
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285715, 12);
    // sklearn.metrics.adjusted_rand_score([0,0,0,1,1,1], [0,0,1,1,2,2]) = 0.24242424242424246
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(
      0.24242424242424246,
      12,
    );
  });

  it('is 1 for identical partitions and negative for a worse-than-chance one', () => {
    expect(adjustedRandIndex([1, 1, 2, 2], [5, 5, 7, 7])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeLessThan(0);
  });

  it('rejects lists of different lengths', () => {
    expect(() => adjustedRandIndex([0], [0, 1])).toThrow(/length/);
  });
});

describe('npmiCoherence', () => {
  const docs = [
    new Set(['bin', 'collection', 'missed']),
    new Set(['bin', 'collection', 'late']),
    new Set(['parking', 'permit', 'renew']),
    new Set(['parking', 'permit', 'cost']),
  ];

  it('is 1 for words that always appear together', () => {
    expect(npmiCoherence(docs, [['bin', 'collection']])).toBeCloseTo(1, 12);
  });

  it('is −1 for words that never appear together, and ranks topics in between', () => {
    expect(npmiCoherence(docs, [['bin', 'parking']])).toBe(-1);
    const mixed = npmiCoherence(docs, [['bin', 'collection', 'missed']]);
    expect(mixed).toBeGreaterThan(0);
    expect(mixed).toBeLessThan(1);
  });
});
