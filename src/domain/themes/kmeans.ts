// Spherical k-means on unit vectors in a typed array: cosine similarity, seeded k-means++ start,
// Lloyd iterations until no point moves. Deterministic for a seed.
import { dot } from './linalg.ts';
import type { Random } from './rng.ts';

export interface KMeansResult {
  /** k × d unit centroids, row-major. */
  readonly centroids: Float32Array;
  /** Cluster of each row listed, in the order given. */
  readonly labels: Int32Array;
  /** Cosine similarity of each row to its centroid. */
  readonly similarity: Float32Array;
  /** n × k upper bounds on each row's similarity to each centroid (exact where last computed). */
  readonly bounds: Float32Array;
}

/** A starting assignment for refine: a guessed centroid per row and upper bounds on similarities. */
export interface KMeansStart {
  /** Guessed centroid of each row listed (its similarity is computed exactly). */
  readonly labels: Int32Array;
  /** n × k upper bounds on each row's similarity to each centroid (taken over, not copied). */
  readonly bounds: Float32Array;
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
 * k-means++ seeding. Every row's similarity to every chosen centre is computed on the way; they are
 * kept in `similarities` (n × k) so that the first Lloyd iteration need not compute them again.
 */
function seedPlusPlus(
  data: Float32Array,
  d: number,
  rows: readonly number[],
  k: number,
  random: Random,
  similarities: Float32Array,
): Float32Array {
  const n = rows.length;
  const centroids = new Float32Array(k * d);
  const distance = new Float64Array(n).fill(Infinity);
  let pick = Math.floor(random() * n);
  for (let c = 0; c < k; c++) {
    const from = (rows[pick] ?? 0) * d;
    centroids.set(data.subarray(from, from + d), c * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const at = (rows[i] ?? 0) * d;
      const s = dot(data, at, centroids, c * d, d);
      similarities[i * k + c] = s;
      const dist = Math.max(0, 1 - s);
      const sq = dist * dist;
      if (sq < (distance[i] ?? 0)) distance[i] = sq;
      total += distance[i] ?? 0;
    }
    if (total <= 0) {
      pick = Math.floor(random() * n);
      continue;
    }
    let target = random() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= distance[i] ?? 0;
      if (target <= 0) {
        pick = i;
        break;
      }
    }
  }
  return centroids;
}

/** Recomputes unit centroids from labels; an empty cluster takes the worst-fitting point. */
function updateCentroids(
  data: Float32Array,
  d: number,
  rows: readonly number[],
  labels: Int32Array,
  similarity: Float32Array,
  k: number,
  centroids: Float32Array,
): void {
  centroids.fill(0);
  const counts = new Int32Array(k);
  rows.forEach((r, i) => {
    const c = labels[i] ?? 0;
    counts[c] = (counts[c] ?? 0) + 1;
    const at = r * d;
    for (let j = 0; j < d; j++)
      centroids[c * d + j] = (centroids[c * d + j] ?? 0) + (data[at + j] ?? 0);
  });
  for (let c = 0; c < k; c++) {
    if ((counts[c] ?? 0) === 0) {
      let worst = 0;
      for (let i = 1; i < rows.length; i++)
        if ((similarity[i] ?? 0) < (similarity[worst] ?? 0)) worst = i;
      const at = (rows[worst] ?? 0) * d;
      centroids.set(data.subarray(at, at + d), c * d);
      similarity[worst] = 1;
      continue;
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (centroids[c * d + j] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0)
      for (let j = 0; j < d; j++) centroids[c * d + j] = (centroids[c * d + j] ?? 0) / norm;
  }
}

/**
 * Lloyd iterations from the given centroids (modified in place), until fewer than one row in a
 * thousand changes cluster. Elkan's bounds, adapted to cosine similarity, skip most similarity
 * computations: a centroid that moved by δ changes any unit row's similarity to it by at most δ, so
 * a centroid whose bound is below the row's own similarity cannot take the row.
 */
export function refine(
  data: Float32Array,
  d: number,
  rows: readonly number[],
  centroids: Float32Array,
  k: number,
  maxIterations = 30,
  /** Exact similarities of every row to every centroid, n × k, when already known (from seeding). */
  known?: Float32Array,
  /**
   * Or a guessed assignment with upper bounds on the similarities: the first assignment is then the
   * one computing every similarity would give (up to exact ties), with most of them skipped.
   */
  start?: KMeansStart,
): KMeansResult {
  const n = rows.length;
  const labels = start ? Int32Array.from(start.labels) : new Int32Array(n).fill(-1);
  const similarity = new Float32Array(n);
  // bound[i·k + c] ≥ the similarity of row i to centroid c.
  const bound = known ?? start?.bounds ?? new Float32Array(n * k).fill(Infinity);
  if (known) {
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
  const previous = new Float32Array(k * d);
  const drift = new Float64Array(k);
  const tolerance = Math.floor(n / 1000);
  for (let iter = 0; ; iter++) {
    let moved = n;
    if (iter > 0 || !known) {
      moved = 0;
      for (let i = 0; i < n; i++) {
        const at = (rows[i] as number) * d;
        const b = i * k;
        let best = labels[i] as number;
        let bestSim: number;
        if (best >= 0) {
          bestSim = dot(data, at, centroids, best * d, d);
          bound[b + best] = bestSim;
        } else {
          best = 0;
          bestSim = dot(data, at, centroids, 0, d);
          bound[b] = bestSim;
        }
        for (let c = 0; c < k; c++) {
          if (c === best || (bound[b + c] as number) <= bestSim) continue;
          const s = dot(data, at, centroids, c * d, d);
          bound[b + c] = s;
          if (s > bestSim) {
            bestSim = s;
            best = c;
          }
        }
        if (best !== labels[i]) moved++;
        labels[i] = best;
        similarity[i] = bestSim;
      }
      // Every row has its first real assignment now: as from no assignment at all, all have moved.
      if (iter === 0) moved = n;
    }
    // The labels and similarities returned always belong to the centroids returned.
    if (moved <= tolerance || iter >= maxIterations - 1) break;
    previous.set(centroids);
    updateCentroids(data, d, rows, labels, similarity, k, centroids);
    for (let c = 0; c < k; c++) {
      let sq = 0;
      for (let j = 0; j < d; j++)
        sq += ((centroids[c * d + j] as number) - (previous[c * d + j] as number)) ** 2;
      drift[c] = Math.sqrt(sq);
    }
    for (let i = 0; i < n; i++) {
      const b = i * k;
      for (let c = 0; c < k; c++) bound[b + c] = (bound[b + c] as number) + (drift[c] as number);
    }
  }
  return { centroids, labels, similarity, bounds: bound };
}

/** Spherical k-means of the listed rows of `data` (n × d unit vectors) into k clusters. */
export function sphericalKMeans(
  data: Float32Array,
  d: number,
  rows: readonly number[],
  k: number,
  random: Random,
  maxIterations = 30,
): KMeansResult {
  const clusters = Math.max(1, Math.min(k, rows.length));
  const similarities = new Float32Array(rows.length * clusters);
  const centroids = seedPlusPlus(data, d, rows, clusters, random, similarities);
  return refine(data, d, rows, centroids, clusters, maxIterations, similarities);
}
