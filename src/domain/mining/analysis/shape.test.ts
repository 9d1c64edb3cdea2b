import { describe, expect, it } from 'vitest';
import { fixedDuration } from './shape.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const tol = { minMs: 15 * MINUTE, share: 0.01 };

describe('fixedDuration', () => {
  it('finds the duration most waits share, not the densest pair of nearby clusters', () => {
    // Ten waits of exactly 2 hours; six of 3 hours and six of 3 hours 30. A 30-minute window
    // holds the twelve at 3:00 and 3:30, but no single duration has more than ten waits within
    // ±15 minutes of it. The engine used to report "6 waits at 3 hours" (found by the
    // independent checks of issue 13, point 6).
    const waits = [
      ...Array<number>(10).fill(2 * HOUR),
      ...Array<number>(6).fill(3 * HOUR),
      ...Array<number>(6).fill(3.5 * HOUR),
    ];
    const mode = fixedDuration(Float64Array.from(waits), HOUR, tol);
    expect(mode).toMatchObject({ ms: 2 * HOUR, count: 10 });
  });

  it('counts every wait within ±max(15 minutes, 1 %) of the mode, and takes the middle of a tie', () => {
    // Fifteen days with a few minutes' jitter either side (±1 % of 15 days is 3.6 hours).
    const day = 24 * HOUR;
    const waits = [-5, -3, -1, 0, 2, 4, 6].map((m) => 15 * day + m * MINUTE);
    waits.push(10 * day, 20 * day, 30 * MINUTE);
    const mode = fixedDuration(Float64Array.from(waits).sort(), HOUR, tol);
    expect(mode).toMatchObject({ ms: 15 * day, count: 7 });
  });

  it('ignores waits under the floor as centres but counts them near one', () => {
    const waits = [50 * MINUTE, 55 * MINUTE, 58 * MINUTE, 61 * MINUTE, 5 * HOUR];
    const mode = fixedDuration(Float64Array.from(waits), HOUR, tol);
    expect(mode).toMatchObject({ ms: 61 * MINUTE, count: 4 });
    expect(fixedDuration(Float64Array.from([10 * MINUTE]), HOUR, tol)).toBeNull();
  });
});
