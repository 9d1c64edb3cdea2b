// Throughline's numeric kernels, in AssemblyScript (TypeScript with WebAssembly's number types),
// compiled to WebAssembly by `npm run build:kernels` (scripts/build-kernels.ts) and shipped as bytes in
// ../kernels.wasm.ts; a unit test checks that the two agree.
//
// Why: theme discovery runs once per command, so plain JavaScript spends most of its time in V8's
// interpreter before its loops are optimised. WebAssembly is compiled before it runs, and its SIMD
// instructions compute four float32 products at once.
//
// Conventions: every pointer is a byte offset into the memory the caller imports (the kernels
// allocate nothing); matrices are row-major. The f32 kernels take rows `row` bytes long, a multiple of
// 64 (rows are padded with zeros to 16 floats). The f64 kernels repeat the JavaScript they replace
// operation for operation, so they give the same numbers to the last bit.

// ---- access helpers (inlined by the optimiser) ----

function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}
function setF64(base: usize, i: i32, value: f64): void {
  store<f64>(base + ((<usize>i) << 3), value);
}
function f32At(base: usize, i: i32): f32 {
  return load<f32>(base + ((<usize>i) << 2));
}
function setF32(base: usize, i: i32, value: f32): void {
  store<f32>(base + ((<usize>i) << 2), value);
}
function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + ((<usize>i) << 2));
}
function setI32(base: usize, i: i32, value: i32): void {
  store<i32>(base + ((<usize>i) << 2), value);
}

// ---- float32 similarity kernels (spherical k-means) ----

/** a · b over `bytes` bytes (a multiple of 64): four 4-lane accumulators. */
export function dot(a: usize, b: usize, bytes: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  const end = a + <usize>bytes;
  while (a < end) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a), v128.load(b)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a, 16), v128.load(b, 16)));
    s2 = f32x4.add(s2, f32x4.mul(v128.load(a, 32), v128.load(b, 32)));
    s3 = f32x4.add(s3, f32x4.mul(v128.load(a, 48), v128.load(b, 48)));
    a += 64;
    b += 64;
  }
  const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
  return (
    f32x4.extract_lane(s, 0) +
    f32x4.extract_lane(s, 1) +
    (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3))
  );
}

/**
 * For each of the m rows of `mat`: the most similar of the k rows of `cent` (ties to the lower index)
 * into labels[i] and that similarity into sim[i].
 */
export function nearest(
  mat: usize,
  m: i32,
  row: i32,
  cent: usize,
  k: i32,
  labels: usize,
  sim: usize,
): void {
  let x = mat;
  for (let i = 0; i < m; i++) {
    let best = 0;
    let bestSim = -Infinity as f32;
    let c = cent;
    for (let j = 0; j < k; j++) {
      const s = dot(x, c, row);
      if (s > bestSim) {
        bestSim = s;
        best = j;
      }
      c += <usize>row;
    }
    setI32(labels, i, best);
    setF32(sim, i, bestSim);
    x += <usize>row;
  }
}

/**
 * One assignment step of k-means with Elkan-style bounds. bound (m × k) holds an upper bound on each
 * row's similarity to each centre; labels[i] is the row's current centre (or −1 for none). The row's
 * similarity to its own centre is computed; any other centre whose bound exceeds the best similarity
 * so far is computed too (and its bound made exact). Returns how many rows changed centre.
 */
export function assign(
  mat: usize,
  m: i32,
  row: i32,
  cent: usize,
  k: i32,
  bound: usize,
  labels: usize,
  sim: usize,
): i32 {
  let moved = 0;
  let x = mat;
  let b = bound;
  for (let i = 0; i < m; i++) {
    const old = i32At(labels, i);
    let best = old >= 0 ? old : 0;
    let bestSim = dot(x, cent + <usize>(best * row), row);
    setF32(b, best, bestSim);
    for (let c = 0; c < k; c++) {
      if (c != best && f32At(b, c) > bestSim) {
        const s = dot(x, cent + <usize>(c * row), row);
        setF32(b, c, s);
        if (s > bestSim) {
          bestSim = s;
          best = c;
        }
      }
    }
    if (best != old) moved++;
    setI32(labels, i, best);
    setF32(sim, i, bestSim);
    x += <usize>row;
    b += <usize>(k << 2);
  }
  return moved;
}

/** out[i · stride] = row i of mat · vec, for the m rows of mat (stride in bytes). */
export function column(mat: usize, m: i32, row: i32, vec: usize, out: usize, stride: i32): void {
  for (let i = 0; i < m; i++) {
    store<f32>(out, dot(mat, vec, row));
    mat += <usize>row;
    out += <usize>stride;
  }
}

/** out[i · nb + j] = row idx[i] of a · row j of b, for the `count` rows listed in idx. */
export function similarities(
  a: usize,
  idx: usize,
  count: i32,
  row: i32,
  b: usize,
  nb: i32,
  out: usize,
): void {
  for (let i = 0; i < count; i++) {
    const x = a + <usize>(i32At(idx, i) * row);
    let y = b;
    for (let j = 0; j < nb; j++) {
      store<f32>(out, dot(x, y, row));
      out += 4;
      y += <usize>row;
    }
  }
}

/** sums[labels[i]] += row i of mat, for the m rows of mat. */
export function accumulate(mat: usize, m: i32, row: i32, labels: usize, sums: usize): void {
  for (let i = 0; i < m; i++) {
    let y = sums + <usize>(i32At(labels, i) * row);
    let x = mat + <usize>(i * row);
    const end = x + <usize>row;
    while (x < end) {
      v128.store(y, f32x4.add(v128.load(y), v128.load(x)));
      v128.store(y, f32x4.add(v128.load(y, 16), v128.load(x, 16)), 16);
      v128.store(y, f32x4.add(v128.load(y, 32), v128.load(x, 32)), 32);
      v128.store(y, f32x4.add(v128.load(y, 48), v128.load(x, 48)), 48);
      x += 64;
      y += 64;
    }
  }
}

/** bound[i · k + c] += drift[c] for the m rows of bound (m × k): centres moved by drift. */
export function addDrift(bound: usize, m: i32, k: i32, drift: usize): void {
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < k; c++) setF32(bound, c, f32At(bound, c) + f32At(drift, c));
    bound += <usize>(k << 2);
  }
}

// ---- float64 kernels: the first principal direction (SIF) ----

/**
 * The first principal direction (uncentred) of the m rows of `mat` (float32, `row` bytes apart, the
 * first d floats used), by power iteration from the rows' mean direction, into u (d float64s);
 * `next` is d float64s of scratch. Returns the iterations run.
 */
export function principalDirection(
  mat: usize,
  m: i32,
  row: i32,
  d: i32,
  u: usize,
  next: usize,
): i32 {
  memory.fill(u, 0, <usize>(d << 3));
  for (let r = 0; r < m; r++) {
    const at = mat + <usize>(r * row);
    for (let j = 0; j < d; j++) setF64(u, j, f64At(u, j) + <f64>f32At(at, j));
  }
  let start: f64 = 0;
  for (let j = 0; j < d; j++) start += f64At(u, j) * f64At(u, j);
  if (start > 0) for (let j = 0; j < d; j++) setF64(u, j, f64At(u, j) / Math.sqrt(start));
  else for (let j = 0; j < d; j++) setF64(u, j, 1 / Math.sqrt(<f64>d));
  let current = u;
  let other = next;
  let iter = 0;
  for (; iter < 50; iter++) {
    memory.fill(other, 0, <usize>(d << 3));
    for (let r = 0; r < m; r++) {
      const at = mat + <usize>(r * row);
      let p: f64 = 0;
      for (let j = 0; j < d; j++) p += <f64>f32At(at, j) * f64At(current, j);
      for (let j = 0; j < d; j++) setF64(other, j, f64At(other, j) + p * <f64>f32At(at, j));
    }
    let norm: f64 = 0;
    for (let j = 0; j < d; j++) norm += f64At(other, j) * f64At(other, j);
    norm = Math.sqrt(norm);
    if (norm == 0) break;
    let change: f64 = 0;
    for (let j = 0; j < d; j++) {
      const x = f64At(other, j) / norm;
      change += Math.abs(x - f64At(current, j));
      setF64(other, j, x);
    }
    const swap = current;
    current = other;
    other = swap;
    if (change < 1e-9) {
      iter++;
      break;
    }
  }
  if (current != u) memory.copy(u, current, <usize>(d << 3));
  return iter;
}

// ---- float64 kernels: LSA by randomised SVD (tfidf.ts) ----

/** out (n × l) = A right, with A the n-row CSR matrix (start, cols, values f32) and right (· × l). */
export function multiplyA(
  start: usize,
  cols: usize,
  values: usize,
  n: i32,
  right: usize,
  l: i32,
  out: usize,
): void {
  memory.fill(out, 0, (<usize>(n * l)) << 3);
  for (let r = 0; r < n; r++) {
    const to = r * l;
    for (let p = i32At(start, r); p < i32At(start, r + 1); p++) {
      const v = <f64>f32At(values, p);
      const from = i32At(cols, p) * l;
      for (let j = 0; j < l; j++)
        setF64(out, to + j, f64At(out, to + j) + v * f64At(right, from + j));
    }
  }
}

/** out (terms × l) = Aᵀ left, with A as in multiplyA and left (n × l). */
export function multiplyAt(
  start: usize,
  cols: usize,
  values: usize,
  n: i32,
  left: usize,
  l: i32,
  out: usize,
  terms: i32,
): void {
  memory.fill(out, 0, (<usize>(terms * l)) << 3);
  for (let r = 0; r < n; r++) {
    const from = r * l;
    for (let p = i32At(start, r); p < i32At(start, r + 1); p++) {
      const v = <f64>f32At(values, p);
      const to = i32At(cols, p) * l;
      for (let j = 0; j < l; j++)
        setF64(out, to + j, f64At(out, to + j) + v * f64At(left, from + j));
    }
  }
}

/** gram (k × k) = MᵀM for the n × k matrix M. */
export function columnGram(matrix: usize, n: i32, k: i32, gram: usize): void {
  memory.fill(gram, 0, (<usize>(k * k)) << 3);
  for (let i = 0; i < n; i++) {
    const at = i * k;
    for (let a = 0; a < k; a++) {
      const x = f64At(matrix, at + a);
      if (x == 0) continue;
      const row = a * k;
      for (let b = a; b < k; b++)
        setF64(gram, row + b, f64At(gram, row + b) + x * f64At(matrix, at + b));
    }
  }
  for (let a = 0; a < k; a++)
    for (let b = 0; b < a; b++) setF64(gram, a * k + b, f64At(gram, b * k + a));
}

/**
 * Given the Gram matrix G = YᵀY of k columns, the upper-triangular T (k × k) such that the columns of
 * Y T are orthonormal (see linalg.ts). u (k × k) and v (k) are scratch.
 */
export function gramOrthonormaliser(gram: usize, k: i32, t: usize, u: usize, v: usize): void {
  memory.fill(t, 0, (<usize>(k * k)) << 3);
  memory.fill(u, 0, (<usize>(k * k)) << 3);
  for (let c = 0; c < k; c++) {
    memory.fill(v, 0, (<usize>k) << 3);
    setF64(v, c, 1);
    const own = f64At(gram, c * k + c);
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        let proj: f64 = 0;
        for (let r = 0; r <= c; r++) proj += f64At(u, p * k + r) * f64At(v, r);
        if (proj == 0) continue;
        for (let r = 0; r <= p; r++) setF64(v, r, f64At(v, r) - proj * f64At(t, r * k + p));
      }
    }
    let norm: f64 = 0;
    for (let a = 0; a < k; a++) {
      let sum: f64 = 0;
      for (let b = 0; b <= c; b++) sum += f64At(gram, a * k + b) * f64At(v, b);
      setF64(u, c * k + a, sum);
      if (a <= c) norm += sum * f64At(v, a);
    }
    if (!(own > 0) || !(norm > 1e-12 * own)) {
      memory.fill(u + ((<usize>(c * k)) << 3), 0, (<usize>k) << 3);
      continue;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let r = 0; r <= c; r++) setF64(t, r * k + c, f64At(v, r) * inv);
    for (let a = 0; a < k; a++) setF64(u, c * k + a, f64At(u, c * k + a) * inv);
  }
}

/** out = Tᵀ M T for a symmetric l × l M and an upper-triangular T; mt (l × l) is scratch. */
export function congruence(m: usize, t: usize, l: i32, mt: usize, out: usize): void {
  for (let a = 0; a < l; a++)
    for (let c = 0; c < l; c++) {
      let sum: f64 = 0;
      for (let b = 0; b <= c; b++) sum += f64At(m, a * l + b) * f64At(t, b * l + c);
      setF64(mt, a * l + c, sum);
    }
  for (let a = 0; a < l; a++)
    for (let c = a; c < l; c++) {
      let sum: f64 = 0;
      for (let b = 0; b <= a; b++) sum += f64At(t, b * l + a) * f64At(mt, b * l + c);
      setF64(out, a * l + c, sum);
      setF64(out, c * l + a, sum);
    }
}

/**
 * Householder tridiagonalisation (tred2 of EISPACK, as in JAMA) of the symmetric n × n matrix in v:
 * v becomes the orthogonal transform, d (n) the diagonal and e (n) the off-diagonal.
 */
export function tridiagonalise(v: usize, d: usize, e: usize, n: i32): void {
  for (let j = 0; j < n; j++) setF64(d, j, f64At(v, (n - 1) * n + j));
  for (let i = n - 1; i > 0; i--) {
    let scale: f64 = 0;
    let h: f64 = 0;
    for (let q = 0; q < i; q++) scale += Math.abs(f64At(d, q));
    if (scale == 0) {
      setF64(e, i, f64At(d, i - 1));
      for (let j = 0; j < i; j++) {
        setF64(d, j, f64At(v, (i - 1) * n + j));
        setF64(v, i * n + j, 0);
        setF64(v, j * n + i, 0);
      }
    } else {
      for (let q = 0; q < i; q++) {
        setF64(d, q, f64At(d, q) / scale);
        h += f64At(d, q) * f64At(d, q);
      }
      let f = f64At(d, i - 1);
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      setF64(e, i, scale * g);
      h -= f * g;
      setF64(d, i - 1, f - g);
      for (let j = 0; j < i; j++) setF64(e, j, 0);
      for (let j = 0; j < i; j++) {
        f = f64At(d, j);
        setF64(v, j * n + i, f);
        g = f64At(e, j) + f64At(v, j * n + j) * f;
        for (let q = j + 1; q <= i - 1; q++) {
          const vqj = f64At(v, q * n + j);
          g += vqj * f64At(d, q);
          setF64(e, q, f64At(e, q) + vqj * f);
        }
        setF64(e, j, g);
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        setF64(e, j, f64At(e, j) / h);
        f += f64At(e, j) * f64At(d, j);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) setF64(e, j, f64At(e, j) - hh * f64At(d, j));
      for (let j = 0; j < i; j++) {
        f = f64At(d, j);
        g = f64At(e, j);
        for (let q = j; q <= i - 1; q++)
          setF64(v, q * n + j, f64At(v, q * n + j) - (f * f64At(e, q) + g * f64At(d, q)));
        setF64(d, j, f64At(v, (i - 1) * n + j));
        setF64(v, i * n + j, 0);
      }
    }
    setF64(d, i, h);
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    setF64(v, (n - 1) * n + i, f64At(v, i * n + i));
    setF64(v, i * n + i, 1);
    const h = f64At(d, i + 1);
    if (h != 0) {
      for (let q = 0; q <= i; q++) setF64(d, q, f64At(v, q * n + i + 1) / h);
      for (let j = 0; j <= i; j++) {
        let g: f64 = 0;
        for (let q = 0; q <= i; q++) g += f64At(v, q * n + i + 1) * f64At(v, q * n + j);
        for (let q = 0; q <= i; q++) setF64(v, q * n + j, f64At(v, q * n + j) - g * f64At(d, q));
      }
    }
    for (let q = 0; q <= i; q++) setF64(v, q * n + i + 1, 0);
  }
  for (let j = 0; j < n; j++) {
    setF64(d, j, f64At(v, (n - 1) * n + j));
    setF64(v, (n - 1) * n + j, 0);
  }
  setF64(v, (n - 1) * n + n - 1, 1);
  setF64(e, 0, 0);
}

/** Implicit QL iterations (tql2) on the tridiagonal (d, e), accumulating the rotations into v. */
export function tridiagonalQl(v: usize, d: usize, e: usize, n: i32): void {
  for (let i = 1; i < n; i++) setF64(e, i - 1, f64At(e, i));
  setF64(e, n - 1, 0);
  let f: f64 = 0;
  let tst1: f64 = 0;
  const eps: f64 = 2.220446049250313e-16; // 2⁻⁵², written out: Math.pow would bring tables into memory
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(f64At(d, l)) + Math.abs(f64At(e, l)));
    let m = l;
    while (m < n - 1 && Math.abs(f64At(e, m)) > eps * tst1) m++;
    if (m > l) {
      for (let iter = 0; iter < 100; iter++) {
        let g = f64At(d, l);
        let p = (f64At(d, l + 1) - g) / (2 * f64At(e, l));
        let r = Math.sqrt(p * p + 1);
        if (p < 0) r = -r;
        setF64(d, l, f64At(e, l) / (p + r));
        setF64(d, l + 1, f64At(e, l) * (p + r));
        const dl1 = f64At(d, l + 1);
        let h = g - f64At(d, l);
        for (let i = l + 2; i < n; i++) setF64(d, i, f64At(d, i) - h);
        f += h;
        p = f64At(d, m);
        let c: f64 = 1;
        let c2 = c;
        let c3 = c;
        const el1 = f64At(e, l + 1);
        let s: f64 = 0;
        let s2: f64 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = f64At(e, i);
          g = c * ei;
          h = c * p;
          r = Math.sqrt(p * p + ei * ei);
          setF64(e, i + 1, s * r);
          s = ei / r;
          c = p / r;
          p = c * f64At(d, i) - s * g;
          setF64(d, i + 1, h + s * (c * g + s * f64At(d, i)));
          for (let q = 0; q < n; q++) {
            const at = q * n + i;
            const hq = f64At(v, at + 1);
            const vi = f64At(v, at);
            setF64(v, at + 1, s * vi + c * hq);
            setF64(v, at, c * vi - s * hq);
          }
        }
        p = (-s * s2 * c3 * el1 * f64At(e, l)) / dl1;
        setF64(e, l, s * p);
        setF64(d, l, c * p);
        if (Math.abs(f64At(e, l)) <= eps * tst1) break;
      }
    }
    setF64(d, l, f64At(d, l) + f);
    setF64(e, l, 0);
  }
}

/**
 * The LSA loadings from the sketch: mix (l × dims) = T Ũ Σ⁻¹ (or Ũ Σ⁻¹ when hasT is 0), from the
 * eigenvalues (l, decreasing) and eigenvectors (l × l, as columns); then loadings (terms × dims,
 * float32) = z mix, with z = Aᵀ Y (terms × l). row is dims float64s of scratch.
 */
export function lsaLoadings(
  t: usize,
  hasT: i32,
  values: usize,
  vectors: usize,
  l: i32,
  dims: i32,
  mix: usize,
  z: usize,
  terms: i32,
  loadings: usize,
  row: usize,
): void {
  memory.fill(mix, 0, (<usize>(l * dims)) << 3);
  for (let c = 0; c < dims; c++) {
    const sigma = Math.sqrt(Math.max(f64At(values, c), 0));
    if (sigma < 1e-9) continue;
    for (let a = 0; a < l; a++) {
      let sum: f64 = 0;
      if (hasT) for (let b = a; b < l; b++) sum += f64At(t, a * l + b) * f64At(vectors, b * l + c);
      else sum = f64At(vectors, a * l + c);
      setF64(mix, a * dims + c, sum / sigma);
    }
  }
  for (let term = 0; term < terms; term++) {
    memory.fill(row, 0, (<usize>dims) << 3);
    const at = term * l;
    for (let a = 0; a < l; a++) {
      const za = f64At(z, at + a);
      if (za == 0) continue;
      const from = a * dims;
      for (let c = 0; c < dims; c++) setF64(row, c, f64At(row, c) + za * f64At(mix, from + c));
    }
    for (let c = 0; c < dims; c++) setF32(loadings, term * dims + c, <f32>f64At(row, c));
  }
}
