// Small wording helpers so every explanation says levels, counts and differences the same way.
// Lower level numbers are better (1 = Outstanding), so differences are always put into words.
import { levelName } from '../framework/index.ts';
import type { Level } from './types.ts';

/** "3 Adequate": the number and the paper's name, as displays and exports show a level. */
export function levelWithName(level: Level): string {
  return `${level} ${levelName(level)}`;
}

/** Up to two decimals, no trailing zeros: 2.5 → "2.5", 3 → "3". */
export function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** "1 level", "2 levels", "0.5 levels". */
export function levels(count: number): string {
  return `${formatNumber(count)} ${count === 1 ? 'level' : 'levels'}`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * A move from one level to another in words: "1 level better", "2 levels worse", "the same level".
 * `to` minus `from` is negative when things got better, because the scale counts down to Outstanding.
 */
export function levelDifference(from: number, to: number): string {
  const delta = to - from;
  if (delta === 0) return 'the same level';
  return `${levels(Math.abs(delta))} ${delta < 0 ? 'better' : 'worse'}`;
}

/** "A", "A and B", "A, B and C". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}
