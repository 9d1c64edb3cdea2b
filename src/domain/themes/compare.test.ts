import { describe, expect, it } from 'vitest';
import {
  compareWaves,
  finalKeysOf,
  holmAdjust,
  normalCdf,
  twoProportionTest,
  type EarlierWave,
} from './compare.ts';

/** A unit centre pointing mostly along axis `axis` of the 100 word-vector numbers. */
function centre(axis: number, wobble = 0): number[] {
  const v = new Array<number>(150).fill(0);
  v[axis] = 1;
  v[(axis + 1) % 100] = wobble;
  return v;
}

describe('the statistics', () => {
  it('normal distribution and two-proportion test agree with tables', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 5);
    // 50/100 against 30/100: pooled z = 2.8868, p = 0.00389 (scipy's proportions_ztest).
    expect(twoProportionTest(50, 100, 30, 100)).toBeCloseTo(0.00389, 4);
    expect(twoProportionTest(10, 100, 10, 100)).toBeCloseTo(1, 6);
    expect(twoProportionTest(0, 100, 0, 50)).toBe(1);
    expect(twoProportionTest(1, 0, 1, 10)).toBe(1);
  });

  it("Holm's adjustment multiplies by the remaining count, stays monotone and caps at 1", () => {
    expect(holmAdjust([0.01, 0.04, 0.03, 0.5])).toEqual([0.04, 0.09, 0.09, 0.5]);
    expect(holmAdjust([0.9, 0.6])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });
});

describe('finalKeysOf', () => {
  it('follows each engine theme to where most of its comments are now', () => {
    const raw = ['theme-1', 'theme-1', 'theme-2', 'theme-2', 'theme-2', 'theme-3', null];
    const final = ['theme-1', 'theme-1', 'theme-1', 'theme-1', 'theme-9', null, null];
    expect(finalKeysOf(raw, final)).toEqual(
      new Map([
        ['theme-1', 'theme-1'],
        ['theme-2', 'theme-1'],
      ]),
    );
  });
});

describe('compareWaves', () => {
  const earlier: EarlierWave = {
    analysed: 1000,
    themes: [
      { key: 'theme-1', name: 'Missed bin collections', size: 300 },
      { key: 'theme-2', name: 'Parking permit costs', size: 200 },
      { key: 'theme-3', name: 'Street lights out', size: 100 },
    ],
    engineThemes: [
      { id: 'theme-1', name: 'bins', size: 180, centroid: centre(1), finalKey: 'theme-1' },
      // Merged by a person into "Missed bin collections".
      { id: 'theme-4', name: 'bin day', size: 120, centroid: centre(4), finalKey: 'theme-1' },
      { id: 'theme-2', name: 'permits', size: 200, centroid: centre(2), finalKey: 'theme-2' },
      { id: 'theme-3', name: 'lights', size: 100, centroid: centre(3), finalKey: 'theme-3' },
    ],
  };

  it('carries names over, finds growth, new and lost themes, and no change where it is noise', () => {
    const result = compareWaves(earlier, {
      analysed: 1000,
      engineThemes: [
        { id: 'theme-1', name: 'bin collection', size: 250, centroid: centre(1, 0.1) },
        { id: 'theme-2', name: 'bins again', size: 150, centroid: centre(4, 0.2) },
        { id: 'theme-3', name: 'permit price', size: 190, centroid: centre(2, 0.1) },
        { id: 'theme-4', name: 'Library opening hours', size: 80, centroid: centre(7) },
      ],
    });
    const byKey = new Map(result.changes.map((c) => [c.key, c]));
    const bins = byKey.get('theme-1');
    expect(bins).toMatchObject({
      name: 'Missed bin collections',
      earlier: { count: 300, share: 0.3 },
      later: { count: 400, share: 0.4 },
      verdict: 'grew',
      significant: true,
      laterThemes: ['theme-1', 'theme-2'],
    });
    expect(bins?.changePoints).toBeCloseTo(10, 9);
    expect(bins?.explanation).toMatch(
      /^Grew from 30\.0 % to 40\.0 % of comments \(10\.0 percentage points\); the change holds after allowing for 4 themes compared \(adjusted p < 0\.001\)\.$/,
    );
    expect(byKey.get('theme-2')).toMatchObject({
      name: 'Parking permit costs',
      verdict: 'no clear change',
      significant: false,
    });
    expect(byKey.get('theme-3')).toMatchObject({ verdict: 'not found', later: { count: 0 } });
    expect(byKey.get('new:theme-4')).toMatchObject({
      name: 'Library opening hours',
      verdict: 'new',
      earlier: { count: 0 },
      later: { count: 80, share: 0.08 },
      significant: true,
    });
    expect(result.method.correction).toBe('Holm');
  });

  it('a change with raw p < 0.05 is not called a change after Holm across the themes', () => {
    // 100/1000 then 130/1000: p ≈ 0.036 alone, but one of four themes compared.
    const result = compareWaves(
      {
        analysed: 1000,
        themes: [
          { key: 'a', name: 'A', size: 100 },
          { key: 'b', name: 'B', size: 300 },
          { key: 'c', name: 'C', size: 300 },
          { key: 'd', name: 'D', size: 300 },
        ],
        engineThemes: ['a', 'b', 'c', 'd'].map((k, i) => ({
          id: k,
          name: k,
          size: 100,
          centroid: centre(10 + i),
          finalKey: k,
        })),
      },
      {
        analysed: 1000,
        engineThemes: [
          { id: 'x', name: 'x', size: 130, centroid: centre(10) },
          { id: 'y', name: 'y', size: 290, centroid: centre(11) },
          { id: 'z', name: 'z', size: 290, centroid: centre(12) },
          { id: 'w', name: 'w', size: 290, centroid: centre(13) },
        ],
      },
    );
    const a = result.changes.find((c) => c.key === 'a');
    expect(a?.p).toBeLessThan(0.05);
    expect(a?.adjustedP).toBeGreaterThanOrEqual(0.05);
    expect(a?.significant).toBe(false);
    expect(a?.verdict).toBe('no clear change');
    expect(a?.explanation).toContain('could be chance once 4 themes are compared');
    expect(result.changes.every((c) => !c.significant)).toBe(true);
  });

  it('a later theme too unlike every earlier one is new, not forced onto the nearest', () => {
    const tilted = centre(1);
    tilted[2] = 1;
    tilted[3] = 1; // cosine 0.58 with axes 1, 2 and 3: below the threshold
    const result = compareWaves(earlier, {
      analysed: 100,
      engineThemes: [{ id: 'theme-1', name: 'Mixed', size: 100, centroid: tilted }],
    });
    expect(result.changes.find((c) => c.key === 'new:theme-1')?.verdict).toBe('new');
    expect(result.changes.find((c) => c.key === 'theme-1')?.later.count).toBe(0);
  });
});
