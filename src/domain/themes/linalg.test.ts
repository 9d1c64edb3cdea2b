import { describe, expect, it } from 'vitest';
import { columnGram, gramOrthonormaliser, symmetricEigen } from './linalg.ts';
import { normal, seededRandom } from './rng.ts';

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: rows * cols }, () => normal(random));
}

describe('symmetricEigen', () => {
  it('returns decreasing eigenvalues and orthonormal eigenvectors with A v = λ v', () => {
    const k = 12;
    const m = randomMatrix(20, k, 1);
    const a = columnGram(m, 20, k);
    a[0] = -50; // an indefinite matrix
    const { values, vectors } = symmetricEigen(a, k);
    for (let c = 1; c < k; c++) expect(values[c]).toBeLessThanOrEqual(values[c - 1] as number);
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += (a[i * k + j] as number) * (vectors[j * k + c] as number);
        expect(s).toBeCloseTo((values[c] as number) * (vectors[i * k + c] as number), 9);
      }
      for (let c2 = 0; c2 < k; c2++) {
        let s = 0;
        for (let j = 0; j < k; j++)
          s += (vectors[j * k + c] as number) * (vectors[j * k + c2] as number);
        expect(s).toBeCloseTo(c === c2 ? 1 : 0, 9);
      }
    }
  });

  it('handles 1 × 1 and diagonal matrices', () => {
    expect(Array.from(symmetricEigen(Float64Array.of(3), 1).values)).toEqual([3]);
    const { values } = symmetricEigen(Float64Array.of(1, 0, 0, 0, 5, 0, 0, 0, 2), 3);
    expect(Array.from(values)).toEqual([5, 2, 1]);
  });
});

describe('gramOrthonormaliser', () => {
  it('makes Y T orthonormal, with a zero column for a dependent column', () => {
    const n = 30;
    const k = 5;
    const y = randomMatrix(n, k, 2);
    for (let i = 0; i < n; i++) y[i * k + 3] = 2 * (y[i * k + 1] as number) - (y[i * k] as number);
    const t = gramOrthonormaliser(columnGram(y, n, k), k);
    const q = new Float64Array(n * k);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++)
        for (let b = 0; b <= c; b++)
          q[i * k + c] =
            (q[i * k + c] as number) + (y[i * k + b] as number) * (t[b * k + c] as number);
    const g = columnGram(q, n, k);
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) expect(g[a * k + b]).toBeCloseTo(a === b && a !== 3 ? 1 : 0, 9);
  });
});
