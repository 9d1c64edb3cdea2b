import { describe, expect, it } from 'vitest';
import { classTfidf, labelFrom } from './label.ts';

const keys = ['recycl', 'rule', 'recycl rule', 'confus', 'bin', 'pothole', 'road'];
const key = (t: number): string => keys[t] ?? '';

describe('classTfidf', () => {
  it('ranks terms frequent in a theme and rare elsewhere, a phrase absorbing its words', () => {
    // Theme 0: recycling rules; theme 1: potholes; "bin" is common to both.
    const perTheme = [
      new Map([
        [0, 10],
        [1, 9],
        [2, 9],
        [3, 6],
        [4, 5],
      ]),
      new Map([
        [5, 12],
        [6, 8],
        [4, 5],
      ]),
    ];
    const overall = new Map<number, number>();
    for (const m of perTheme) for (const [t, c] of m) overall.set(t, (overall.get(t) ?? 0) + c);
    const [recycling, potholes] = classTfidf({ perTheme, overall }, key, 3).map((terms) =>
      terms.map((e) => key(e.term)),
    );
    expect(recycling).toEqual(['recycl rule', 'confus', 'bin']);
    expect(potholes?.[0]).toBe('pothole');
    expect(potholes).not.toContain('recycl');
  });

  it('lets a longer phrase replace a shorter one it contains', () => {
    const words = ['kept time', 'form kept time', 'submit', 'form'];
    const word = (t: number): string => words[t] ?? '';
    // "kept time" scores first, then "form kept time" (which contains it), then "submit".
    const perTheme = [
      new Map([
        [0, 12],
        [1, 10],
        [2, 8],
      ]),
    ];
    const overall = new Map(perTheme[0]);
    const [terms] = classTfidf({ perTheme, overall }, word, 3).map((t) =>
      t.map((e) => word(e.term)),
    );
    expect(terms).toEqual(['form kept time', 'submit']);
  });
});

describe('labelFrom', () => {
  it('joins the first three key phrases, with a fallback for none', () => {
    expect(labelFrom(['recycling rules', 'confusing', 'bin', 'glass'])).toBe(
      'recycling rules — confusing — bin',
    );
    expect(labelFrom([])).toBe('unlabelled theme');
  });
});
