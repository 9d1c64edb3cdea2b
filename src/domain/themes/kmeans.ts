// Spherical k-means on unit vectors: cosine similarity, seeded k-means++ start, Lloyd iterations
// until (almost) no point moves. Deterministic for a seed. The rows live in a RowSpace (simd/space.ts)
// and the similarity loops run in its WebAssembly SIMD kernels; the choices (seeding draws, empty
// clusters, stopping) stay here.
import { dot } from './linalg.ts';
import type { Random } from './rng.ts';
import type { RowSpace } from './simd/space.ts';

export interface KMeansResult {
  /** k × d unit centroids, row-major (unpadded). */
  readonly centroids: Float32Array;
  /** Cluster of each row of the space, in its order. */
  readonly labels: Int32Array;
  /** Cosine similarity of each row to its centroid. */
  readonly similarity: Float32Array;
  /**
   * size × k upper bounds on each row's similarity to each centroid (exact where last computed): a
   * view of the space's memory, valid until the space next clusters into the same bound matrix.
   */
  readonly bounds: Float32Array;
}

/** A starting assignment for refine: a guessed centroid per row, with bounds already in boundsB. */
export interface KMeansStart {
  /** Guessed centroid of each row of the space (its similarity is computed exactly). */
  readonly labels: Int32Array;
}

/** Index of the centroid most similar to row `at` of `data`, and that similarity. */
export function nearestCentroid(
  data: Float32Array,
  at: number,
  centroids: Float32Array,
  k: number,
  d: number,
): [number, number] {
  let best = 0;
  let bestSim = -Infinity;
  for (let c = 0; c < k; c++) {
    const s = dot(data, at, centroids, c * d, d);
    if (s > bestSim) {
      bestSim = s;
      best = c;
    }
  }
  return [best, bestSim];
}

/**
 * k-means++ seeding into the space's centroids. Every row's similarity to every chosen centre is
 * computed on the way; they are kept in boundsA (size × k) so that the first Lloyd iteration need
 * not compute them again.
 */
function seedPlusPlus(space: RowSpace, k: number, random: Random): void {
  const n = space.size;
  const { matrix, centroids, boundsA: similarities, kernels, rowBytes, width: w } = space;
  const distance = new Float64Array(n).fill(Infinity);
  let pick = Math.floor(random() * n);
  for (let c = 0; c < k; c++) {
    centroids.set(matrix.subarray(pick * w, pick * w + w), c * w);
    kernels.column(
      matrix.byteOffset,
      n,
      rowBytes,
      centroids.byteOffset + c * rowBytes,
      similarities.byteOffset + c * 4,
      k * 4,
    );
    let total = 0;
    for (let i = 0; i < n; i++) {
      const dist = Math.max(0, 1 - (similarities[i * k + c] as number));
      const sq = dist * dist;
      if (sq < (distance[i] as number)) distance[i] = sq;
      total += distance[i] as number;
    }
    if (total <= 0) {
      pick = Math.floor(random() * n);
      continue;
    }
    let target = random() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= distance[i] as number;
      if (target <= 0) {
        pick = i;
        break;
      }
    }
  }
}

/** Recomputes the unit centroids from the labels; an empty cluster takes the worst-fitting row. */
function updateCentroids(space: RowSpace, k: number): void {
  const { matrix, centroids, labels, similarity, kernels, rowBytes, width: w } = space;
  const n = space.size;
  centroids.fill(0, 0, k * w);
  kernels.accumulate(matrix.byteOffset, n, rowBytes, labels.byteOffset, centroids.byteOffset);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i] as number;
    counts[c] = (counts[c] as number) + 1;
  }
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) {
      let worst = 0;
      for (let i = 1; i < n; i++)
        if ((similarity[i] as number) < (similarity[worst] as number)) worst = i;
      centroids.set(matrix.subarray(worst * w, worst * w + w), c * w);
      similarity[worst] = 1;
      continue;
    }
    let norm = 0;
    for (let j = c * w; j < c * w + w; j++) norm += (centroids[j] as number) ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0)
      for (let j = c * w; j < c * w + w; j++) centroids[j] = (centroids[j] as number) / norm;
  }
}

export type RefineFrom =
  /** The similarities of every row to every centroid are in boundsA (from seeding). */
  | { readonly kind: 'seeded' }
  /** A guessed assignment, with upper bounds on the similarities in boundsB. */
  | { readonly kind: 'start'; readonly start: KMeansStart }
  /** Nothing known. */
  | { readonly kind: 'none' };

/**
 * Lloyd iterations from the centroids in the space (modified in place), until fewer than one row in
 * a thousand changes cluster. Elkan's bounds, adapted to cosine similarity, skip most similarity
 * computations: a centroid that moved by δ changes any unit row's similarity to it by at most δ, so
 * a centroid whose bound is below the row's own similarity cannot take the row.
 */
export function refine(
  space: RowSpace,
  k: number,
  maxIterations = 30,
  from: RefineFrom = { kind: 'none' },
): KMeansResult {
  const n = space.size;
  const {
    matrix,
    centroids,
    spare: previous,
    labels,
    similarity,
    kernels,
    rowBytes,
    width: w,
  } = space;
  const bound = (from.kind === 'start' ? space.boundsB : space.boundsA).subarray(0, n * k);
  if (from.kind === 'start') labels.set(from.start.labels);
  else labels.fill(-1);
  if (from.kind === 'none') bound.fill(Infinity);
  if (from.kind === 'seeded') {
    // The first assignment straight from the known similarities (ties to the lower index).
    for (let i = 0; i < n; i++) {
      const b = i * k;
      let best = 0;
      let bestSim = bound[b] as number;
      for (let c = 1; c < k; c++) {
        const s = bound[b + c] as number;
        if (s > bestSim) {
          bestSim = s;
          best = c;
        }
      }
      labels[i] = best;
      similarity[i] = bestSim;
    }
  }
  const drift = space.drift;
  const tolerance = Math.floor(n / 1000);
  for (let iter = 0; ; iter++) {
    let moved = n;
    if (iter > 0 || from.kind !== 'seeded') {
      moved = kernels.assign(
        matrix.byteOffset,
        n,
        rowBytes,
        centroids.byteOffset,
        k,
        bound.byteOffset,
        labels.byteOffset,
        similarity.byteOffset,
      );
      // Every row has its first real assignment now: as from no assignment at all, all have moved.
      if (iter === 0) moved = n;
    }
    // The labels and similarities returned always belong to the centroids returned.
    if (moved <= tolerance || iter >= maxIterations - 1) break;
    previous.set(centroids.subarray(0, k * w));
    updateCentroids(space, k);
    for (let c = 0; c < k; c++) {
      let sq = 0;
      for (let j = c * w; j < c * w + w; j++)
        sq += ((centroids[j] as number) - (previous[j] as number)) ** 2;
      // A little more than the movement, so that float32 rounding never makes a bound too low.
      drift[c] = Math.sqrt(sq) * (1 + 1e-6) + 1e-6;
    }
    kernels.addDrift(bound.byteOffset, n, k, drift.byteOffset);
  }
  return {
    centroids: space.copyCentroids(k),
    labels: Int32Array.from(labels),
    similarity: Float32Array.from(similarity),
    bounds: bound,
  };
}

/** Spherical k-means of the rows of the space into k clusters (k ≤ space.maxClusters). */
export function sphericalKMeans(
  space: RowSpace,
  k: number,
  random: Random,
  maxIterations = 30,
): KMeansResult {
  const clusters = Math.max(1, Math.min(k, space.size, space.maxClusters));
  seedPlusPlus(space, clusters, random);
  return refine(space, clusters, maxIterations, { kind: 'seeded' });
}
