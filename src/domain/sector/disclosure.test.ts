import { describe, expect, it } from 'vitest';
import { MIN_ORGANISATIONS, minimumRefusal, releaseGroups } from './disclosure.ts';

const shown = (r: ReturnType<typeof releaseGroups>) =>
  r.groups.filter((g) => g.suppressed === undefined).map((g) => g.group);

describe('suppression of small groups', () => {
  it('hides every figure when fewer than five organisations share', () => {
    const r = releaseGroups(4, [{ group: 'A', count: 4 }]);
    expect(r.total.suppressed).toBe('too-few');
    expect(r.groups[0]?.suppressed).toBe('too-few');
  });

  it('shows the sector and every group of five or more', () => {
    const r = releaseGroups(11, [
      { group: 'Districts', count: 6 },
      { group: 'Counties', count: 5 },
    ]);
    expect(r.total.suppressed).toBeUndefined();
    expect(shown(r)).toEqual(['Districts', 'Counties']);
  });

  it('refuses the differencing attack: all members minus a shown group would isolate 1 to 4', () => {
    // Two filters — "all members" (n) and "Districts" (n − k) — whose difference isolates k members.
    for (let k = 1; k < MIN_ORGANISATIONS; k++) {
      const r = releaseGroups(8 + k, [
        { group: 'Districts', count: 8 },
        { group: 'Unitaries', count: k },
      ]);
      expect(r.total.suppressed).toBeUndefined();
      expect(r.groups.find((g) => g.group === 'Unitaries')?.suppressed).toBe('too-few');
      expect(r.groups.find((g) => g.group === 'Districts')?.suppressed, `k=${k}`).toBe(
        'protects-another-group',
      );
    }
  });

  it('counts members in no group as part of the hidden remainder', () => {
    const r = releaseGroups(9, [{ group: 'Districts', count: 7 }]);
    // 9 − 7 = 2 unassigned members would be singled out by difference.
    expect(r.groups[0]?.suppressed).toBe('protects-another-group');
    expect(shown(releaseGroups(12, [{ group: 'Districts', count: 7 }]))).toEqual(['Districts']);
  });

  it('hides the smallest shown group first and stops once the remainder is large enough', () => {
    const r = releaseGroups(14, [
      { group: 'Metropolitan', count: 6 },
      { group: 'Districts', count: 5 },
      { group: 'Unitaries', count: 3 },
    ]);
    expect(shown(r)).toEqual(['Metropolitan']);
    expect(r.groups.find((g) => g.group === 'Districts')?.suppressed).toBe(
      'protects-another-group',
    );
    // Whatever is shown, the hidden organisations number 0 or at least the minimum.
    const hidden = r.groups.filter((g) => g.suppressed).reduce((s, g) => s + g.count, 0);
    expect(hidden === 0 || hidden >= MIN_ORGANISATIONS).toBe(true);
  });

  it('never leaves a hidden remainder of 1 to min−1 for any partition (exhaustive, small sizes)', () => {
    for (let a = 0; a <= 12; a++)
      for (let b = 0; b <= 12; b++)
        for (let c = 0; c <= 6; c++)
          for (const min of [5, 7]) {
            const total = a + b + c;
            const r = releaseGroups(
              total,
              [
                { group: 'A', count: a },
                { group: 'B', count: b },
              ],
              min,
            );
            if (r.total.suppressed) continue;
            const shownCount = r.groups
              .filter((g) => g.suppressed === undefined)
              .reduce((s, g) => s + g.count, 0);
            const remainder = total - shownCount;
            expect(remainder === 0 || remainder >= min, `${a},${b},${c} min ${min}`).toBe(true);
            for (const g of r.groups)
              if (!g.suppressed) expect(g.count).toBeGreaterThanOrEqual(min);
          }
  });

  it('uses a raised minimum and never a lower one', () => {
    // With a minimum of 8, a group of 6 is hidden, and so is the other: 20 − 14 would reveal it.
    const raised = releaseGroups(
      20,
      [
        { group: 'A', count: 6 },
        { group: 'B', count: 14 },
      ],
      8,
    );
    expect(raised.groups.map((g) => g.suppressed)).toEqual(['too-few', 'protects-another-group']);
    expect(
      shown(
        releaseGroups(
          20,
          [
            { group: 'A', count: 6 },
            { group: 'B', count: 14 },
          ],
          5,
        ),
      ),
    ).toEqual(['A', 'B']);
    expect(releaseGroups(6, [], 3).total.suppressed).toBeUndefined();
    expect(releaseGroups(4, [], 3).total.suppressed).toBe('too-few');
  });

  it('allows the minimum to be raised but never lowered below five', () => {
    expect(minimumRefusal(5)).toBeUndefined();
    expect(minimumRefusal(8)).toBeUndefined();
    expect(minimumRefusal(4)).toMatch(/cannot be below 5/);
    expect(minimumRefusal(0)).toMatch(/cannot be below 5/);
    expect(minimumRefusal(5.5)).toMatch(/whole number/);
  });
});
