// Small dense linear algebra, enough for LSA (randomised SVD) and for removing the common component
// of sentence vectors: no numeric library needed. The heavy loops run in the WebAssembly kernels
// (simd/assembly/kernels.ts), which repeat the arithmetic of the plain versions operation for
// operation; these functions copy their inputs into a kernel workspace and their results out.
import { workspace, type Kernels } from './simd/workspace.ts';

/** Scales each row of an n × d row-major matrix to unit length (zero rows stay zero). */
export function normaliseRows(matrix: Float32Array, d: number): void {
  const n = matrix.length / d;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) sum += (matrix[row + j] ?? 0) ** 2;
    if (sum <= 0) continue;
    const inv = 1 / Math.sqrt(sum);
    for (let j = 0; j < d; j++) matrix[row + j] = (matrix[row + j] ?? 0) * inv;
  }
}

/** Dot product of a[aAt … aAt + d) and b[bAt … bAt + d), unrolled by four for speed. */
export function dot(a: Float32Array, aAt: number, b: Float32Array, bAt: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    s0 += (a[aAt + j] as number) * (b[bAt + j] as number);
    s1 += (a[aAt + j + 1] as number) * (b[bAt + j + 1] as number);
    s2 += (a[aAt + j + 2] as number) * (b[bAt + j + 2] as number);
    s3 += (a[aAt + j + 3] as number) * (b[bAt + j + 3] as number);
  }
  for (; j < d; j++) s0 += (a[aAt + j] as number) * (b[bAt + j] as number);
  return s0 + s1 + s2 + s3;
}

/** Orthonormalises the columns of an n × k row-major matrix in place (modified Gram–Schmidt). */
export function orthonormaliseColumns(matrix: Float64Array, n: number, k: number): void {
  // Work on a column-major copy so that each column is contiguous.
  const cols = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) cols[c * n + i] = matrix[i * k + c] as number;
  for (let c = 0; c < k; c++) {
    const at = c * n;
    for (let p = 0; p < c; p++) {
      const pt = p * n;
      let proj = 0;
      for (let i = 0; i < n; i++) proj += (cols[at + i] as number) * (cols[pt + i] as number);
      for (let i = 0; i < n; i++)
        cols[at + i] = (cols[at + i] as number) - proj * (cols[pt + i] as number);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (cols[at + i] as number) ** 2;
    norm = Math.sqrt(norm);
    const inv = norm > 1e-12 ? 1 / norm : 0;
    for (let i = 0; i < n; i++) cols[at + i] = (cols[at + i] as number) * inv;
  }
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) matrix[i * k + c] = cols[c * n + i] as number;
}

/** The Gram matrix MᵀM (k × k) of the columns of an n × k row-major matrix. */
export function columnGram(matrix: Float64Array, n: number, k: number): Float64Array {
  const { kernels, views } = workspace({ matrix: ['f64', n * k], gram: ['f64', k * k] });
  views.matrix.set(matrix.subarray(0, n * k));
  kernels.columnGram(views.matrix.byteOffset, n, k, views.gram.byteOffset);
  return Float64Array.from(views.gram);
}

/**
 * Given the Gram matrix G = YᵀY of k columns, a k × k upper-triangular T (row-major) such that the
 * columns of Y T are orthonormal: Gram–Schmidt in the inner product of G, twice over for accuracy, on
 * k-vectors instead of the n-long columns — O(k³) instead of O(n k²). A column whose part not spanned
 * by the earlier ones is negligible (relative squared norm ≤ 10⁻¹²) gets a zero column of T, as
 * orthonormaliseColumns gives a zero column.
 */
export function gramOrthonormaliser(gram: Float64Array, k: number): Float64Array {
  const { kernels, views } = workspace({
    gram: ['f64', k * k],
    t: ['f64', k * k],
    u: ['f64', k * k],
    v: ['f64', k],
  });
  views.gram.set(gram.subarray(0, k * k));
  kernels.gramOrthonormaliser(
    views.gram.byteOffset,
    k,
    views.t.byteOffset,
    views.u.byteOffset,
    views.v.byteOffset,
  );
  return Float64Array.from(views.t);
}

/**
 * Eigen-decomposition of a symmetric k × k matrix: Householder reduction to tridiagonal form, then
 * the implicit QL method (tred2 and tql2 of EISPACK, as in JAMA) — O(k³) with a small constant,
 * several times quicker than cyclic Jacobi rotations at the sizes used here (k ≈ 60).
 * Returns eigenvalues in decreasing order and the matching unit eigenvectors as columns (row-major).
 */
export function symmetricEigen(
  input: Float64Array,
  k: number,
): { values: Float64Array; vectors: Float64Array } {
  const { kernels, views } = workspace({ v: ['f64', k * k], d: ['f64', k], e: ['f64', k] });
  views.v.set(input.subarray(0, k * k));
  return eigenInPlace(kernels, views.v, views.d, views.e, k);
}

/**
 * symmetricEigen on a matrix already in a kernel workspace: v (k × k, overwritten), with d and e (k)
 * of the same workspace as scratch. The results are new arrays.
 */
export function eigenInPlace(
  kernels: Kernels,
  v: Float64Array,
  d: Float64Array,
  e: Float64Array,
  k: number,
): { values: Float64Array; vectors: Float64Array } {
  const n = k;
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  kernels.tridiagonalise(v.byteOffset, d.byteOffset, e.byteOffset, n);
  kernels.tridiagonalQl(v.byteOffset, d.byteOffset, e.byteOffset, n);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (x, y) => (d[y] as number) - (d[x] as number) || x - y,
  );
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = d[from] as number;
    for (let r = 0; r < n; r++) vectors[r * n + to] = v[r * n + from] as number;
  });
  return { values, vectors };
}

/**
 * The first principal direction (uncentred, as in SIF) of an n × d matrix, by power iteration
 * started from the rows' mean direction, which for sentence vectors lies close to it (a few
 * iterations instead of a few dozen from an arbitrary start).
 */
export function firstPrincipalDirection(
  matrix: Float32Array,
  d: number,
  rows: readonly number[],
): Float64Array {
  const m = rows.length;
  const { kernels, views } = workspace({
    rows: ['f32', m * d],
    u: ['f64', d],
    next: ['f64', d],
  });
  for (let r = 0; r < m; r++) {
    const at = (rows[r] as number) * d;
    views.rows.set(matrix.subarray(at, at + d), r * d);
  }
  kernels.principalDirection(
    views.rows.byteOffset,
    m,
    d * 4,
    d,
    views.u.byteOffset,
    views.next.byteOffset,
  );
  return Float64Array.from(views.u);
}

/** Removes from every row its projection on the unit vector u. */
export function removeDirection(matrix: Float32Array, d: number, u: Float64Array): void {
  const n = matrix.length / d;
  for (let i = 0; i < n; i++) {
    const at = i * d;
    let p = 0;
    for (let j = 0; j < d; j++) p += (matrix[at + j] as number) * (u[j] as number);
    for (let j = 0; j < d; j++) matrix[at + j] = (matrix[at + j] as number) - p * (u[j] as number);
  }
}
