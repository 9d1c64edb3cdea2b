import { describe, expect, it } from 'vitest';
import { mergeTree, chooseLevel } from './hierarchy.ts';
import { sphericalKMeans } from './kmeans.ts';
import { normaliseRows } from './linalg.ts';
import { seededRandom } from './rng.ts';
import { RowSpace } from './simd/space.ts';

/** Points scattered tightly around the given directions in 3-D. */
function blobs(centres: number[][], sizes: number[], spread: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const rows: number[] = [];
  centres.forEach((c, b) => {
    for (let i = 0; i < (sizes[b] ?? 0); i++)
      rows.push(...c.map((x) => x + (random() - 0.5) * spread));
  });
  const data = Float32Array.from(rows);
  normaliseRows(data, 3);
  return data;
}

describe('sphericalKMeans', () => {
  it('separates well-separated directions, the same way for the same seed', () => {
    const data = blobs(
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      [20, 20, 20],
      0.2,
      3,
    );
    const rows = Array.from({ length: 60 }, (_, i) => i);
    const a = sphericalKMeans(new RowSpace(data, 3, rows, { clusters: 3 }), 3, seededRandom(1));
    const b = sphericalKMeans(new RowSpace(data, 3, rows, { clusters: 3 }), 3, seededRandom(1));
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    for (let blob = 0; blob < 3; blob++) {
      expect(new Set(Array.from(a.labels.slice(blob * 20, blob * 20 + 20))).size).toBe(1);
    }
    expect(new Set(Array.from(a.labels)).size).toBe(3);
    expect(Math.min(...a.similarity)).toBeGreaterThan(0.9);
  });
});

describe('mergeTree and chooseLevel', () => {
  it('merges over-split clusters back and keeps a small tight group apart', () => {
    // A large group, a second large group, and a small tight group of 4.
    const data = blobs(
      [
        [1, 0, 0],
        [0, 1, 0],
        [0.1, 0.1, 1],
      ],
      [40, 40, 4],
      0.3,
      5,
    );
    const rows = Array.from({ length: 84 }, (_, i) => i);
    const space = new RowSpace(data, 3, rows, { clusters: 8, scoredRows: rows.length });
    const fine = sphericalKMeans(space, 8, seededRandom(2));
    const levels = mergeTree(space, fine.labels, 8);
    expect(levels.map((l) => l.themes)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    const level = chooseLevel(levels, { minThemes: 2, maxThemes: 8, duplicateSimilarity: 0.99 });
    expect(level.themes).toBe(3);
    const theme = (i: number): number => level.groupOf[fine.labels[i] ?? 0] ?? -1;
    const small = new Set([80, 81, 82, 83].map(theme));
    expect(small.size).toBe(1);
    expect(theme(0)).not.toBe(theme(80));
    expect(theme(40)).not.toBe(theme(80));
  });
});
