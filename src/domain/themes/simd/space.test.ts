import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernels, KERNELS_SOURCE } from '../../../../scripts/build-kernels.ts';
import { dot } from '../linalg.ts';
import { seededRandom } from '../rng.ts';
import { KERNELS_WASM_BASE64 } from './kernels.wasm.ts';
import { paddedWidth, RowSpace } from './space.ts';
import { workspace } from './workspace.ts';

function randomMatrix(rows: number, d: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: rows * d }, () => random() * 2 - 1);
}

describe('SIMD kernels', () => {
  it('ship as compiled from assembly/kernels.ts (run `npm run build:kernels` after editing it)', async () => {
    const bytes = await compileKernels(readFileSync(KERNELS_SOURCE, 'utf8'));
    expect(bytes.toString('base64')).toBe(KERNELS_WASM_BASE64);
  }, 30_000);

  it('write nothing into the memory they are given until called (no data of their own)', () => {
    const { views } = workspace({ all: ['i32', 16_384] });
    expect(views.all.every((x) => x === 0)).toBe(true);
  });

  it('pads rows to whole groups of 16 floats', () => {
    expect([1, 16, 17, 150].map(paddedWidth)).toEqual([16, 16, 32, 160]);
  });

  it('compute the same similarities and nearest centres as plain arithmetic', () => {
    const d = 37; // not a multiple of the lane group: the padding must not count
    const data = randomMatrix(50, d, 1);
    const rows = [49, 3, 17, 0, 8, 22];
    const k = 5;
    const centres = randomMatrix(k, d, 2);
    const space = new RowSpace(data, d, rows, { clusters: k });
    space.setCentroids(centres, k);
    expect(Array.from(space.copyCentroids(k))).toEqual(Array.from(centres));

    // similarities: listed rows of the space against the centres.
    space.index.set([5, 0, 2]);
    space.kernels.similarities(
      space.matrix.byteOffset,
      space.index.byteOffset,
      3,
      space.rowBytes,
      space.centroids.byteOffset,
      k,
      space.scratch.byteOffset,
    );
    [5, 0, 2].forEach((position, i) => {
      for (let c = 0; c < k; c++) {
        const exact = dot(data, (rows[position] as number) * d, centres, c * d, d);
        expect(space.scratch[i * k + c]).toBeCloseTo(exact, 5);
      }
    });

    // nearest, through assignRows on rows that are not in the space.
    const others = [1, 2, 30, 40];
    const labels = new Int32Array(others.length);
    const similarity = new Float32Array(others.length);
    space.assignRows(data, others, k, labels, similarity);
    others.forEach((row, i) => {
      const sims = Array.from({ length: k }, (_, c) => dot(data, row * d, centres, c * d, d));
      const best = sims.indexOf(Math.max(...sims));
      expect(labels[i]).toBe(best);
      expect(similarity[i]).toBeCloseTo(sims[best] as number, 5);
    });
  });

  it('assign with bounds gives the exhaustive assignment and counts the rows that moved', () => {
    const d = 20;
    const data = randomMatrix(40, d, 3);
    const rows = Array.from({ length: 40 }, (_, i) => i);
    const k = 4;
    const space = new RowSpace(data, d, rows, { clusters: k });
    space.setCentroids(randomMatrix(k, d, 4), k);
    space.labels.fill(-1);
    space.boundsA.fill(Infinity);
    const { kernels, matrix, rowBytes, centroids, boundsA, labels, similarity } = space;
    const step = (): number =>
      kernels.assign(
        matrix.byteOffset,
        40,
        rowBytes,
        centroids.byteOffset,
        k,
        boundsA.byteOffset,
        labels.byteOffset,
        similarity.byteOffset,
      );
    const moved = step();
    expect(moved).toBe(40);
    const centres = space.copyCentroids(k);
    for (let i = 0; i < 40; i++) {
      const sims = Array.from({ length: k }, (_, c) => dot(data, i * d, centres, c * d, d));
      expect(labels[i]).toBe(sims.indexOf(Math.max(...sims)));
      // Every bound is now exact, so a second step with the same centres moves nothing.
      for (let c = 0; c < k; c++) expect(boundsA[i * k + c]).toBeCloseTo(sims[c] as number, 5);
    }
    const again = step();
    expect(again).toBe(0);
  });

  it('accumulate sums rows by label, and addDrift raises every bound by its centre’s drift', () => {
    const d = 5;
    const data = Float32Array.from({ length: 4 * d }, (_, i) => i);
    const space = new RowSpace(data, d, [0, 1, 2, 3], { clusters: 2 });
    space.labels.set([1, 0, 1, 1]);
    space.centroids.fill(0);
    space.kernels.accumulate(
      space.matrix.byteOffset,
      4,
      space.rowBytes,
      space.labels.byteOffset,
      space.centroids.byteOffset,
    );
    expect(Array.from(space.copyCentroids(2))).toEqual([5, 6, 7, 8, 9, 25, 28, 31, 34, 37]);
    space.boundsA.fill(0.5);
    space.drift.set([0.25, 0.125]);
    space.kernels.addDrift(space.boundsA.byteOffset, 4, 2, space.drift.byteOffset);
    expect(Array.from(space.boundsA.subarray(0, 8))).toEqual([
      0.75, 0.625, 0.75, 0.625, 0.75, 0.625, 0.75, 0.625,
    ]);
  });
});
