import { describe, expect, it } from 'vitest';
import { nothingTogether } from './discover.ts';
import { chooseByJump, chooseLevel, mergeTree, type MergeLevel } from './hierarchy.ts';
import { discoverThemes } from './index.ts';
import { RowSpace } from './simd/space.ts';

// A synthetic survey: `topics` subjects, each with its own pair of words, said in several ways.
const SUBJECTS = [
  ['bins', 'collection'],
  ['pothole', 'road'],
  ['parking', 'permit'],
  ['library', 'books'],
  ['council', 'tax'],
  ['streetlight', 'broken'],
  ['noise', 'neighbours'],
  ['graffiti', 'walls'],
  ['swimming', 'pool'],
  ['bus', 'timetable'],
  ['housing', 'repairs'],
  ['dog', 'fouling'],
  ['school', 'admissions'],
  ['recycling', 'rules'],
  ['planning', 'application'],
  ['flooding', 'drains'],
  ['trees', 'pruning'],
  ['benefits', 'claim'],
  ['cemetery', 'grounds'],
  ['market', 'stalls'],
  ['cycle', 'lanes'],
  ['allotment', 'waiting'],
  ['museum', 'exhibition'],
  ['snow', 'gritting'],
  ['website', 'login'],
];
const FRAMES = [
  'the {a} {b} is a real problem here',
  'please sort out the {a} {b} soon',
  'I keep complaining about the {a} {b}',
  '{a} {b} needs attention from the council',
  'why is the {a} {b} still so poor',
  'my neighbour and I worry about {a} {b}',
  'nobody answers about the {a} {b}',
  'the {b} for {a} has got worse this year',
];

function survey(topics: number): { texts: string[]; gold: number[] } {
  const texts: string[] = [];
  const gold: number[] = [];
  for (let f = 0; f < FRAMES.length; f++)
    for (let t = 0; t < topics; t++) {
      const [a = '', b = ''] = SUBJECTS[t] ?? [];
      texts.push((FRAMES[f] ?? '').replace('{a}', a).replace('{b}', b));
      gold.push(t);
    }
  return { texts, gold };
}

describe('the merge tree', () => {
  it('goes from every fine cluster to one, each level nesting in the one above', () => {
    // Four unit vectors in two tight pairs.
    const data = Float32Array.from([1, 0, 0.99, 0.141, 0, 1, 0.141, 0.99]);
    const space = new RowSpace(data, 2, [0, 1, 2, 3], { clusters: 4, scoredRows: 4 });
    const levels = mergeTree(space, Int32Array.from([0, 1, 2, 3]), 4, 4, 4, 'ward');
    expect(levels.map((l) => l.themes)).toEqual([4, 3, 2, 1]);
    const two = levels[2] as MergeLevel;
    expect(two.groupOf[0]).toBe(two.groupOf[1]);
    expect(two.groupOf[2]).toBe(two.groupOf[3]);
    expect(two.groupOf[0]).not.toBe(two.groupOf[2]);
    // Joining the two pairs costs far more than joining within a pair.
    expect((levels[2] as MergeLevel).nextMergeCost).toBeGreaterThan(
      10 * (levels[0] as MergeLevel).nextMergeCost,
    );
    expect((levels[3] as MergeLevel).nextMergeCost).toBeNaN();
  });

  const level = (themes: number, silhouette: number, next: number, cost = 1): MergeLevel => ({
    themes,
    groupOf: new Int32Array(0),
    nextMergeSimilarity: next,
    nextMergeCost: cost,
    silhouette,
    silhouetteError: 0.01,
  });

  it('never keeps two near-identical themes apart, and takes the fewest themes the data support', () => {
    const levels = [
      level(5, 0.5, 0.97),
      level(4, 0.45, 0.5),
      level(3, 0.445, 0.4),
      level(2, 0.3, 0.2),
    ];
    // 5 themes scores best but two of them are 0.97 alike: near-duplicates are merged. Of the rest,
    // 3 is within one standard error of the best allowed (4) and has fewer themes.
    expect(
      chooseLevel(levels, { minThemes: 2, maxThemes: 10, duplicateSimilarity: 0.95 }).themes,
    ).toBe(3);
  });

  it('cuts the broad level before the largest jump in merge cost within the range', () => {
    const levels = [level(6, 0, 0, 1), level(5, 0, 0, 1.1), level(4, 0, 0, 5), level(3, 0, 0, 6)];
    expect(chooseByJump(levels, 3, 6)?.themes).toBe(4);
    expect(chooseByJump(levels, 5, 6)?.themes).toBe(5);
  });
});

describe('"nothing to improve" comments', () => {
  it('joins the fine clusters where most comments say there is nothing to improve', () => {
    const texts = ['Nothing.', 'n/a', 'bins late', 'No complaints', 'All good', 'pothole'];
    const labels = Int32Array.from([0, 0, 1, 2, 2, 3]);
    const leafOf = nothingTogether(labels, 4, texts);
    expect(Array.from(leafOf)).toEqual([0, 1, 0, 2]);
    // Never fewer leaves than asked for.
    expect(Array.from(nothingTogether(labels, 4, texts, 4))).toEqual([0, 1, 2, 3]);
  });

  it('ends in one theme however many ways it is said', () => {
    const { texts } = survey(12);
    const nothing = [
      'Nothing.',
      'nothing at all',
      'n/a',
      'No complaints',
      'No complaints at all',
      'All good',
      'None',
      'nothing really',
      'Nothing to add',
      'not really',
      'no improvements',
      'nothing else thanks',
      'All fine',
      'none at all',
      'Nothing to improve',
      'NA',
    ];
    const run = discoverThemes([...texts, ...nothing], { seed: 3 });
    const themesOfNothing = new Set(run.assignments.slice(texts.length).filter((a) => a !== null));
    expect(themesOfNothing.size).toBe(1);
  });
});

describe('the number of themes', () => {
  const { texts, gold } = survey(25);

  it('returns exactly the number asked for', () => {
    for (const themes of [20, 25, 7]) {
      const run = discoverThemes(texts, { themes, seed: 1 });
      expect(run.themes).toHaveLength(themes);
      expect(run.method.requestedThemes).toBe(themes);
    }
  });

  it('finds the subjects on its own, with broad themes of 8–20 each holding its themes', () => {
    const run = discoverThemes(texts, { seed: 1 });
    expect(run.themes.length).toBeGreaterThanOrEqual(20);
    expect(run.themes.length).toBeLessThanOrEqual(30);
    // Each subject's comments land (almost) whole in one theme.
    for (let t = 0; t < 25; t++) {
      const ids = run.assignments.filter((a, i) => gold[i] === t && a !== null);
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id ?? '', (counts.get(id ?? '') ?? 0) + 1);
      expect(Math.max(...counts.values())).toBeGreaterThanOrEqual(6);
    }
    const broad = run.broadThemes ?? [];
    expect(broad.length).toBeGreaterThanOrEqual(8);
    expect(broad.length).toBeLessThanOrEqual(Math.min(20, run.themes.length / 2));
    // Every theme in exactly one broad theme, which lists it; sizes add up.
    const listed = broad.flatMap((b) => b.themes);
    expect(new Set(listed).size).toBe(run.themes.length);
    for (const theme of run.themes) {
      const parent = broad.find((b) => b.id === theme.parent);
      expect(parent?.themes).toContain(theme.id);
    }
    for (const b of broad) {
      const size = run.themes.filter((t) => t.parent === b.id).reduce((s, t) => s + t.size, 0);
      expect(b.size).toBe(size);
      expect(b.name.length).toBeGreaterThan(0);
    }
  });

  it('honours a number of broad themes asked for, at either level', () => {
    const run = discoverThemes(texts, { themes: 20, broadThemes: 5, seed: 2 });
    expect(run.themes).toHaveLength(20);
    expect(run.broadThemes).toHaveLength(5);
    expect(run.method.requestedBroadThemes).toBe(5);
    // Too few themes for two levels and none asked for: one level.
    const small = discoverThemes(survey(6).texts, { seed: 1 });
    expect(small.broadThemes ?? []).toEqual([]);
    expect(small.themes.every((t) => t.parent === undefined)).toBe(true);
  });
});
