// The order statistics behind consensus and spread. Kept apart so that the methods are stated once:
// the median of the ratings, and quartiles as Tukey's hinges (median of each half, the middle rating
// counted in both halves when the count is odd) — easy to check by hand on a results page.
import type { Level } from './types.ts';

/** Median of numbers already sorted ascending; the mean of the two middle values for an even count. */
export function medianOfSorted(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('median of an empty list');
  const middle = Math.floor(n / 2);
  const upper = sorted[middle] as number;
  if (n % 2 === 1) return upper;
  const lower = sorted[middle - 1] as number;
  return (lower + upper) / 2;
}

export interface Hinges {
  readonly lower: number;
  readonly median: number;
  readonly upper: number;
}

/**
 * Tukey's hinges. For [1, 2, 3, 4, 5]: halves [1, 2, 3] and [3, 4, 5], hinges 2 and 4.
 * For [1, 2, 3, 4]: halves [1, 2] and [3, 4], hinges 1.5 and 3.5. A single rating is its own hinges.
 */
export function tukeyHinges(sorted: readonly number[]): Hinges {
  const n = sorted.length;
  if (n === 0) throw new RangeError('hinges of an empty list');
  const half = Math.ceil(n / 2);
  return {
    lower: medianOfSorted(sorted.slice(0, half)),
    median: medianOfSorted(sorted),
    upper: medianOfSorted(sorted.slice(n - half)),
  };
}

/**
 * A median as a maturity level. An even count can give a half-way value such as 2.5; rounding it
 * to the better level (2) would flatter the organisation, so it is rounded towards the weaker one (3).
 */
export function consensusLevel(median: number): Level {
  return Math.min(5, Math.max(1, Math.ceil(median))) as Level;
}

export function sortedLevels(levels: readonly Level[]): Level[] {
  return [...levels].sort((a, b) => a - b);
}
