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

/** The Gram matrix MᵀM (k × k) of the columns of an n × k row-major matrix. */
export function columnGram(matrix: Float64Array, n: number, k: number): Float64Array {
  const gram = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    const at = i * k;
    for (let a = 0; a < k; a++) {
      const x = matrix[at + a] as number;
      if (x === 0) continue;
      const row = a * k;
      for (let b = a; b < k; b++)
        gram[row + b] = (gram[row + b] as number) + x * (matrix[at + b] as number);
    }
  }
  for (let a = 0; a < k; a++)
    for (let b = 0; b < a; b++) gram[a * k + b] = gram[b * k + a] as number;
  return gram;
}

/**
 * Given the Gram matrix G = YᵀY of k columns, a k × k upper-triangular T (row-major) such that the
 * columns of Y T are orthonormal: Gram–Schmidt in the inner product of G, twice over for accuracy, on
 * k-vectors instead of the n-long columns — O(k³) instead of O(n k²). A column whose part not spanned
 * by the earlier ones is negligible (relative squared norm ≤ 10⁻¹²) gets a zero column of T, as
 * orthonormaliseColumns gives a zero column.
 */
export function gramOrthonormaliser(gram: Float64Array, k: number): Float64Array {
  const t = new Float64Array(k * k); // column c of T at t[r * k + c]
  const u = new Float64Array(k * k); // u[c * k + r] = (G t_c)_r, so that t_cᵀ G v = u_c · v
  const v = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    v.fill(0);
    v[c] = 1;
    const own = gram[c * k + c] as number;
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        let proj = 0;
        for (let r = 0; r <= c; r++) proj += (u[p * k + r] as number) * (v[r] as number);
        if (proj === 0) continue;
        for (let r = 0; r <= p; r++) v[r] = (v[r] as number) - proj * (t[r * k + p] as number);
      }
    }
    let norm = 0;
    for (let a = 0; a < k; a++) {
      let sum = 0;
      for (let b = 0; b <= c; b++) sum += (gram[a * k + b] as number) * (v[b] as number);
      u[c * k + a] = sum;
      if (a <= c) norm += sum * (v[a] as number);
    }
    if (!(own > 0) || !(norm > 1e-12 * own)) {
      u.fill(0, c * k, c * k + k);
      continue;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let r = 0; r <= c; r++) t[r * k + c] = (v[r] as number) * inv;
    for (let a = 0; a < k; a++) u[c * k + a] = (u[c * k + a] as number) * inv;
  }
  return t;
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
  const n = k;
  const v = Float64Array.from(input.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: v };
  tridiagonalise(v, d, e, n);
  tridiagonalQl(v, d, e, n);
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

/** Householder tridiagonalisation (tred2): v becomes the orthogonal transform, d the diagonal, e the off-diagonal. */
function tridiagonalise(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j] as number;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let q = 0; q < i; q++) scale += Math.abs(d[q] as number);
    if (scale === 0) {
      e[i] = d[i - 1] as number;
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j] as number;
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      for (let q = 0; q < i; q++) {
        d[q] = (d[q] as number) / scale;
        h += (d[q] as number) * (d[q] as number);
      }
      let f = d[i - 1] as number;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        v[j * n + i] = f;
        g = (e[j] as number) + (v[j * n + j] as number) * f;
        for (let q = j + 1; q <= i - 1; q++) {
          const vqj = v[q * n + j] as number;
          g += vqj * (d[q] as number);
          e[q] = (e[q] as number) + vqj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = (e[j] as number) / h;
        f += (e[j] as number) * (d[j] as number);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = (e[j] as number) - hh * (d[j] as number);
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        g = e[j] as number;
        for (let q = j; q <= i - 1; q++)
          v[q * n + j] = (v[q * n + j] as number) - (f * (e[q] as number) + g * (d[q] as number));
        d[j] = v[(i - 1) * n + j] as number;
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i] as number;
    v[i * n + i] = 1;
    const h = d[i + 1] as number;
    if (h !== 0) {
      for (let q = 0; q <= i; q++) d[q] = (v[q * n + i + 1] as number) / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let q = 0; q <= i; q++) g += (v[q * n + i + 1] as number) * (v[q * n + j] as number);
        for (let q = 0; q <= i; q++) v[q * n + j] = (v[q * n + j] as number) - g * (d[q] as number);
      }
    }
    for (let q = 0; q <= i; q++) v[q * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j] as number;
    v[(n - 1) * n + j] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal (d, e) (tql2), accumulating rotations into v. */
function tridiagonalQl(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i] as number;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l] as number) + Math.abs(e[l] as number));
    let m = l;
    while (m < n - 1 && Math.abs(e[m] as number) > eps * tst1) m++;
    if (m > l) {
      for (let iter = 0; iter < 100; iter++) {
        let g = d[l] as number;
        let p = ((d[l + 1] as number) - g) / (2 * (e[l] as number));
        let r = Math.sqrt(p * p + 1);
        if (p < 0) r = -r;
        d[l] = (e[l] as number) / (p + r);
        d[l + 1] = (e[l] as number) * (p + r);
        const dl1 = d[l + 1] as number;
        let h = g - (d[l] as number);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - h;
        f += h;
        p = d[m] as number;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1] as number;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = e[i] as number;
          g = c * ei;
          h = c * p;
          r = Math.sqrt(p * p + ei * ei);
          e[i + 1] = s * r;
          s = ei / r;
          c = p / r;
          p = c * (d[i] as number) - s * g;
          d[i + 1] = h + s * (c * g + s * (d[i] as number));
          for (let q = 0; q < n; q++) {
            const at = q * n + i;
            const hq = v[at + 1] as number;
            const vi = v[at] as number;
            v[at + 1] = s * vi + c * hq;
            v[at] = c * vi - s * hq;
          }
        }
        p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (Math.abs(e[l] as number) <= eps * tst1) break;
      }
    }
    d[l] = (d[l] as number) + f;
    e[l] = 0;
  }
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
  const list = Int32Array.from(rows);
  const m = list.length;
  let u = new Float64Array(d);
  for (let r = 0; r < m; r++) {
    const at = (list[r] as number) * d;
    for (let j = 0; j < d; j++) u[j] = (u[j] as number) + (matrix[at + j] as number);
  }
  let start = 0;
  for (let j = 0; j < d; j++) start += (u[j] as number) ** 2;
  if (start > 0) for (let j = 0; j < d; j++) u[j] = (u[j] as number) / Math.sqrt(start);
  else u.fill(1 / Math.sqrt(d));
  let next = new Float64Array(d);
  for (let iter = 0; iter < 50; iter++) {
    next.fill(0);
    for (let r = 0; r < m; r++) {
      const at = (list[r] as number) * d;
      let p = 0;
      for (let j = 0; j < d; j++) p += (matrix[at + j] as number) * (u[j] as number);
      for (let j = 0; j < d; j++) next[j] = (next[j] as number) + p * (matrix[at + j] as number);
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (next[j] as number) ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return u;
    let change = 0;
    for (let j = 0; j < d; j++) {
      const x = (next[j] as number) / norm;
      change += Math.abs(x - (u[j] as number));
      next[j] = x;
    }
    [u, next] = [next, u];
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
    for (let j = 0; j < d; j++) p += (matrix[at + j] as number) * (u[j] as number);
    for (let j = 0; j < d; j++) matrix[at + j] = (matrix[at + j] as number) - p * (u[j] as number);
  }
}
