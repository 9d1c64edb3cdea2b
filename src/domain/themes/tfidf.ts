// The TF-IDF view of comments and its latent semantic analysis (LSA): a sparse term matrix reduced
// to a few dozen dimensions by a randomised truncated SVD (Halko, Martinsson and Tropp, 2011), fitted
// on a sample and then applied to every comment.
import { eigenInPlace, orthonormaliseColumns } from './linalg.ts';
import { normal, type Random } from './rng.ts';
import { workspace } from './simd/workspace.ts';

/** Rows of term ids (a comment may repeat a term). */
export interface TermRows {
  readonly start: Int32Array; // n + 1 offsets into ids
  readonly ids: Int32Array;
}

/** A CSR sparse matrix of TF-IDF weights, rows L2-normalised. */
export interface SparseRows {
  readonly start: Int32Array;
  readonly cols: Int32Array;
  readonly values: Float32Array;
}

/** Smoothed inverse document frequency of each term, from the rows listed. */
export function inverseDocumentFrequency(
  terms: TermRows,
  rows: readonly number[],
  termCount: number,
): Float32Array {
  const df = new Int32Array(termCount);
  const seen = new Int32Array(termCount).fill(-1);
  for (const r of rows) {
    for (let p = terms.start[r] ?? 0; p < (terms.start[r + 1] ?? 0); p++) {
      const t = terms.ids[p] ?? 0;
      if (seen[t] !== r) {
        seen[t] = r;
        df[t] = (df[t] ?? 0) + 1;
      }
    }
  }
  const idf = new Float32Array(termCount);
  const n = rows.length;
  // Terms seen in fewer than two sampled comments carry no shared meaning: weight 0.
  for (let t = 0; t < termCount; t++)
    idf[t] = (df[t] ?? 0) >= 2 ? Math.log((1 + n) / (1 + (df[t] ?? 0))) + 1 : 0;
  return idf;
}

/** Sublinear TF-IDF rows (1 + log tf) × idf, L2-normalised, for the rows listed. */
export function tfidfRows(terms: TermRows, rows: readonly number[], idf: Float32Array): SparseRows {
  const start = new Int32Array(rows.length + 1);
  const cols: number[] = [];
  const values: number[] = [];
  const counts = new Map<number, number>();
  rows.forEach((r, k) => {
    counts.clear();
    for (let p = terms.start[r] ?? 0; p < (terms.start[r + 1] ?? 0); p++) {
      const t = terms.ids[p] ?? 0;
      if ((idf[t] ?? 0) > 0) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    let norm = 0;
    const from = cols.length;
    for (const [t, c] of counts) {
      const w = (1 + Math.log(c)) * (idf[t] ?? 0);
      cols.push(t);
      values.push(w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let p = from; p < values.length; p++) values[p] = (values[p] ?? 0) / norm;
    start[k + 1] = cols.length;
  });
  return { start, cols: Int32Array.from(cols), values: Float32Array.from(values) };
}

export interface LsaModel {
  readonly dimensions: number;
  /** Term loadings, termCount × dimensions, row-major: a comment's LSA vector is its TF-IDF row times this. */
  readonly loadings: Float32Array;
}

/** Fits a rank-`k` LSA model to the rows by randomised SVD with power iterations. */
export function fitLsa(
  full: SparseRows,
  termCount: number,
  k: number,
  random: Random,
  powerIterations = 1,
): LsaModel {
  // Work on the columns that occur (terms with weight), then spread the loadings back.
  const compact = new Int32Array(termCount).fill(-1);
  const used: number[] = [];
  const cols = full.cols.map((t) => {
    let c = compact[t] as number;
    if (c < 0) {
      c = used.length;
      compact[t] = c;
      used.push(t);
    }
    return c;
  });
  const matrix: SparseRows = { start: full.start, cols, values: full.values };
  const model = fitCompact(matrix, used.length, k, random, powerIterations);
  const loadings = new Float32Array(termCount * model.dimensions);
  used.forEach((t, c) =>
    loadings.set(
      model.loadings.subarray(c * model.dimensions, (c + 1) * model.dimensions),
      t * model.dimensions,
    ),
  );
  return { dimensions: model.dimensions, loadings };
}

function fitCompact(
  matrix: SparseRows,
  termCount: number,
  k: number,
  random: Random,
  powerIterations: number,
): LsaModel {
  const n = matrix.start.length - 1;
  const l = Math.min(k + 10, n, termCount);
  const dims = Math.min(k, l);
  const nnz = matrix.cols.length;
  // Everything below lives in one kernel workspace; the loops run in WebAssembly (linalg.ts).
  const { kernels, views: w } = workspace({
    start: ['i32', n + 1],
    cols: ['i32', nnz],
    values: ['f32', nnz],
    omega: ['f64', termCount * l],
    y: ['f64', n * l],
    z: ['f64', termCount * l],
    gram: ['f64', l * l],
    t: ['f64', l * l],
    u: ['f64', l * l],
    v: ['f64', l],
    mt: ['f64', l * l],
    eigen: ['f64', l * l],
    d: ['f64', l],
    e: ['f64', l],
    eigenValues: ['f64', l],
    eigenVectors: ['f64', l * l],
    mix: ['f64', l * dims],
    loadings: ['f32', termCount * dims],
    row: ['f64', dims],
  });
  w.start.set(matrix.start);
  w.cols.set(matrix.cols);
  w.values.set(matrix.values);
  const sparse = [w.start.byteOffset, w.cols.byteOffset, w.values.byteOffset, n] as const;
  const multiplyA = (right: Float64Array, out: Float64Array): void =>
    kernels.multiplyA(...sparse, right.byteOffset, l, out.byteOffset);
  const multiplyAt = (left: Float64Array, out: Float64Array): void =>
    kernels.multiplyAt(...sparse, left.byteOffset, l, out.byteOffset, termCount);
  // Y = A Ω
  for (let i = 0; i < w.omega.length; i++) w.omega[i] = normal(random);
  multiplyA(w.omega, w.y);
  // Q, an orthonormal basis of the range of Y, is Y T. Without power iterations Q is never formed:
  // T comes from the small Gram matrix YᵀY, and Bᵀ = Aᵀ Q = (Aᵀ Y) T.
  const hasT = powerIterations <= 0;
  if (hasT) {
    kernels.columnGram(w.y.byteOffset, n, l, w.gram.byteOffset);
    kernels.gramOrthonormaliser(
      w.gram.byteOffset,
      l,
      w.t.byteOffset,
      w.u.byteOffset,
      w.v.byteOffset,
    );
  } else {
    orthonormaliseColumns(w.y, n, l);
    for (let iter = 0; iter < powerIterations; iter++) {
      multiplyAt(w.y, w.z);
      orthonormaliseColumns(w.z, termCount, l);
      multiplyA(w.z, w.y);
      orthonormaliseColumns(w.y, n, l);
    }
  }
  // B Bᵀ = Tᵀ (Aᵀ Y)ᵀ (Aᵀ Y) T, l × l.
  multiplyAt(w.y, w.z);
  kernels.columnGram(w.z.byteOffset, termCount, l, w.gram.byteOffset);
  if (hasT)
    kernels.congruence(w.gram.byteOffset, w.t.byteOffset, l, w.mt.byteOffset, w.eigen.byteOffset);
  else w.eigen.set(w.gram);
  const { values, vectors } = eigenInPlace(kernels, w.eigen, w.d, w.e, l);
  w.eigenValues.set(values);
  w.eigenVectors.set(vectors);
  // Right singular vectors V = Bᵀ Ũ Σ⁻¹ = (Aᵀ Y) T Ũ Σ⁻¹; a row's coordinates x V equal its U Σ.
  kernels.lsaLoadings(
    w.t.byteOffset,
    hasT ? 1 : 0,
    w.eigenValues.byteOffset,
    w.eigenVectors.byteOffset,
    l,
    dims,
    w.mix.byteOffset,
    w.z.byteOffset,
    termCount,
    w.loadings.byteOffset,
    w.row.byteOffset,
  );
  return { dimensions: dims, loadings: Float32Array.from(w.loadings) };
}

/** Writes the LSA vector of one TF-IDF row (row `k` of `matrix`) into `out` at `outAt`. */
export function projectRow(
  matrix: SparseRows,
  k: number,
  model: LsaModel,
  out: Float32Array,
  outAt: number,
): void {
  const d = model.dimensions;
  for (let p = matrix.start[k] ?? 0; p < (matrix.start[k + 1] ?? 0); p++) {
    const v = matrix.values[p] ?? 0;
    const from = (matrix.cols[p] ?? 0) * d;
    for (let j = 0; j < d; j++)
      out[outAt + j] = (out[outAt + j] ?? 0) + v * (model.loadings[from + j] ?? 0);
  }
}
