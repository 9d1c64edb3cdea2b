// The TF-IDF view of comments and its latent semantic analysis (LSA): a sparse term matrix reduced
// to a few dozen dimensions by a randomised truncated SVD (Halko, Martinsson and Tropp, 2011), fitted
// on a sample and then applied to every comment.
import {
  columnGram,
  gramOrthonormaliser,
  orthonormaliseColumns,
  symmetricEigen,
} from './linalg.ts';
import { normal, type Random } from './rng.ts';

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
  // Y = A Ω
  const omega = new Float64Array(termCount * l);
  for (let i = 0; i < omega.length; i++) omega[i] = normal(random);
  const y = new Float64Array(n * l);
  const multiplyA = (right: Float64Array, out: Float64Array): void => {
    out.fill(0);
    for (let r = 0; r < n; r++) {
      for (let p = matrix.start[r] ?? 0; p < (matrix.start[r + 1] ?? 0); p++) {
        const v = matrix.values[p] ?? 0;
        const from = (matrix.cols[p] ?? 0) * l;
        for (let j = 0; j < l; j++)
          out[r * l + j] = (out[r * l + j] ?? 0) + v * (right[from + j] ?? 0);
      }
    }
  };
  const multiplyAt = (left: Float64Array, out: Float64Array): void => {
    out.fill(0);
    for (let r = 0; r < n; r++) {
      for (let p = matrix.start[r] ?? 0; p < (matrix.start[r + 1] ?? 0); p++) {
        const v = matrix.values[p] ?? 0;
        const to = (matrix.cols[p] ?? 0) * l;
        for (let j = 0; j < l; j++) out[to + j] = (out[to + j] ?? 0) + v * (left[r * l + j] ?? 0);
      }
    }
  };
  multiplyA(omega, y);
  // Q, an orthonormal basis of the range of Y, is Y T. Without power iterations Q is never formed:
  // T comes from the small Gram matrix YᵀY, and Bᵀ = Aᵀ Q = (Aᵀ Y) T.
  let t: Float64Array | undefined;
  const z = new Float64Array(termCount * l);
  if (powerIterations > 0) {
    orthonormaliseColumns(y, n, l);
    for (let iter = 0; iter < powerIterations; iter++) {
      multiplyAt(y, z);
      orthonormaliseColumns(z, termCount, l);
      multiplyA(z, y);
      orthonormaliseColumns(y, n, l);
    }
  } else {
    t = gramOrthonormaliser(columnGram(y, n, l), l);
  }
  // B Bᵀ = Tᵀ (Aᵀ Y)ᵀ (Aᵀ Y) T, l × l.
  multiplyAt(y, z);
  let gram = columnGram(z, termCount, l);
  if (t) gram = congruence(gram, t, l);
  const { values, vectors } = symmetricEigen(gram, l);
  // Right singular vectors V = Bᵀ Ũ Σ⁻¹ = (Aᵀ Y) T Ũ Σ⁻¹; a row's coordinates x V equal its U Σ.
  const mix = new Float64Array(l * dims); // T Ũ Σ⁻¹, l × dims
  for (let c = 0; c < dims; c++) {
    const sigma = Math.sqrt(Math.max(values[c] ?? 0, 0));
    if (sigma < 1e-9) continue;
    for (let a = 0; a < l; a++) {
      let sum = 0;
      if (t)
        for (let b = a; b < l; b++)
          sum += (t[a * l + b] as number) * (vectors[b * l + c] as number);
      else sum = vectors[a * l + c] as number;
      mix[a * dims + c] = sum / sigma;
    }
  }
  const loadings = new Float32Array(termCount * dims);
  const row = new Float64Array(dims);
  for (let term = 0; term < termCount; term++) {
    row.fill(0);
    const at = term * l;
    for (let a = 0; a < l; a++) {
      const za = z[at + a] as number;
      if (za === 0) continue;
      const from = a * dims;
      for (let c = 0; c < dims; c++) row[c] = (row[c] as number) + za * (mix[from + c] as number);
    }
    loadings.set(row, term * dims);
  }
  return { dimensions: dims, loadings };
}

/** Tᵀ M T for a symmetric l × l M and an upper-triangular l × l T (both row-major). */
function congruence(m: Float64Array, t: Float64Array, l: number): Float64Array {
  const mt = new Float64Array(l * l); // M T
  for (let a = 0; a < l; a++)
    for (let c = 0; c < l; c++) {
      let sum = 0;
      for (let b = 0; b <= c; b++) sum += (m[a * l + b] as number) * (t[b * l + c] as number);
      mt[a * l + c] = sum;
    }
  const out = new Float64Array(l * l);
  for (let a = 0; a < l; a++)
    for (let c = a; c < l; c++) {
      let sum = 0;
      for (let b = 0; b <= a; b++) sum += (t[b * l + a] as number) * (mt[b * l + c] as number);
      out[a * l + c] = sum;
      out[c * l + a] = sum;
    }
  return out;
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
