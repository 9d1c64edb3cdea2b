// Small dense linear algebra on typed arrays, enough for LSA (randomised SVD) and for removing the
// common component of sentence vectors: no numeric library needed.

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

/**
 * Eigen-decomposition of a symmetric k × k matrix by cyclic Jacobi rotations.
 * Returns eigenvalues in decreasing order and the matching eigenvectors as columns (row-major).
 */
export function symmetricEigen(
  input: Float64Array,
  k: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += (a[p * k + q] ?? 0) ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q] ?? 0;
        if (Math.abs(apq) < 1e-15) continue;
        const app = a[p * k + p] ?? 0;
        const aqq = a[q * k + q] ?? 0;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p] ?? 0;
          const arq = a[r * k + q] ?? 0;
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r] ?? 0;
          const aqr = a[q * k + r] ?? 0;
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p] ?? 0;
          const vrq = v[r * k + q] ?? 0;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort(
    (x, y) => (a[y * k + y] ?? 0) - (a[x * k + x] ?? 0),
  );
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * k);
  order.forEach((from, to) => {
    values[to] = a[from * k + from] ?? 0;
    for (let r = 0; r < k; r++) vectors[r * k + to] = v[r * k + from] ?? 0;
  });
  return { values, vectors };
}

/**
 * The first principal direction (uncentred, as in SIF) of an n × d matrix, by power iteration.
 */
export function firstPrincipalDirection(
  matrix: Float32Array,
  d: number,
  rows: readonly number[],
): Float64Array {
  let u = new Float64Array(d).fill(1 / Math.sqrt(d));
  for (let iter = 0; iter < 50; iter++) {
    const next = new Float64Array(d);
    for (const i of rows) {
      const at = i * d;
      let p = 0;
      for (let j = 0; j < d; j++) p += (matrix[at + j] ?? 0) * (u[j] ?? 0);
      for (let j = 0; j < d; j++) next[j] = (next[j] ?? 0) + p * (matrix[at + j] ?? 0);
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (next[j] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return u;
    let change = 0;
    for (let j = 0; j < d; j++) {
      const x = (next[j] ?? 0) / norm;
      change += Math.abs(x - (u[j] ?? 0));
      next[j] = x;
    }
    u = next;
    if (change < 1e-9) break;
  }
  return u;
}

/** Removes from every row its projection on the unit vector u. */
export function removeDirection(matrix: Float32Array, d: number, u: Float64Array): void {
  const n = matrix.length / d;
  for (let i = 0; i < n; i++) {
    const at = i * d;
    let p = 0;
    for (let j = 0; j < d; j++) p += (matrix[at + j] ?? 0) * (u[j] ?? 0);
    for (let j = 0; j < d; j++) matrix[at + j] = (matrix[at + j] ?? 0) - p * (u[j] ?? 0);
  }
}
