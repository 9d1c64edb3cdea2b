// Over-cluster, then merge: clusters are joined pairwise, most similar first (cosine of their mean
// directions, whatever their sizes, so a small tight group is not swallowed just for being small),
// giving a tree from many fine themes to one. The level kept is the one where comments sit best in
// their own theme against the next best (mean simplified silhouette), within the allowed range.

import type { RowSpace } from './simd/space.ts';

export interface MergeLevel {
  /** Number of themes at this level. */
  readonly themes: number;
  /** Theme (0 … themes − 1) of each fine cluster at this level. */
  readonly groupOf: Int32Array;
  /** Cosine similarity of the two themes merged to reach the next level down (NaN at the last). */
  readonly nextMergeSimilarity: number;
  /** Mean simplified silhouette of the sample at this level (NaN where not scored). */
  readonly silhouette: number;
}

/**
 * Builds the merge tree of `k` fine clusters of the rows of the space (unit vectors) and scores each
 * level. `labels[i]` is the fine cluster of row i of the space.
 */
export function mergeTree(
  space: RowSpace,
  labels: Int32Array,
  k: number,
  /** Levels with more themes than this are not scored (their silhouette is NaN). */
  scoreUpTo = k,
  /**
   * At most this many rows are scored for the silhouette, evenly spaced through the space (the
   * merges themselves always use every row): the mean silhouette of a few thousand rows is as
   * telling as that of all of them, and scoring is most of the work.
   */
  scoreAtMost = Infinity,
): MergeLevel[] {
  const { kernels, matrix, rowBytes, width: w } = space;
  const rows = space.size;
  // Each fine cluster's sum of rows, in the space's spare centre matrix.
  const sums = space.spare;
  sums.fill(0, 0, k * w);
  space.labels.set(labels);
  kernels.accumulate(matrix.byteOffset, rows, rowBytes, space.labels.byteOffset, sums.byteOffset);
  // The rows scored: positions in the space, evenly spaced.
  const n = Math.max(0, Math.min(rows, Math.floor(scoreAtMost), space.index.length));
  const scored = Int32Array.from({ length: n }, (_, i) => Math.floor((i * rows) / Math.max(n, 1)));
  // gram[a][b] = S_a · S_b for group sums; proj[i][g] = x_i · S_g.
  const index = space.index;
  for (let c = 0; c < k; c++) index[c] = c;
  kernels.similarities(
    sums.byteOffset,
    index.byteOffset,
    k,
    rowBytes,
    sums.byteOffset,
    k,
    space.scratch.byteOffset,
  );
  const gram = Float64Array.from(space.scratch.subarray(0, k * k));
  index.set(scored);
  kernels.similarities(
    matrix.byteOffset,
    index.byteOffset,
    n,
    rowBytes,
    sums.byteOffset,
    k,
    space.scratch.byteOffset,
  );
  const proj = Float64Array.from(space.scratch.subarray(0, n * k));
  const alive = new Array<boolean>(k).fill(true);
  const member = Int32Array.from({ length: k }, (_, c) => c); // fine cluster → current group slot
  // Fine cluster of each scored row, and its current group slot (updated at each merge).
  const fineOf = Int32Array.from(scored, (at) => labels[at] ?? 0);
  const own = new Int32Array(n);
  const similarity = (a: number, b: number): number =>
    (gram[a * k + b] as number) /
    Math.sqrt(Math.max((gram[a * k + a] as number) * (gram[b * k + b] as number), 1e-24));
  // cos[a·k + b]: the cosine similarity of live groups a and b, kept up to date at each merge, so
  // that finding the closest pair is a scan of stored numbers.
  const cos = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = a + 1; b < k; b++) {
      const sim = similarity(a, b);
      cos[a * k + b] = sim;
      cos[b * k + a] = sim;
    }

  const levels: MergeLevel[] = [];
  for (let count = k; count >= 1; count--) {
    const slots = alive.flatMap((live, s) => (live ? [s] : []));
    const norms = new Float64Array(k);
    for (const s of slots) norms[s] = Math.sqrt(Math.max(gram[s * k + s] ?? 0, 1e-24));
    for (let i = 0; i < n; i++) own[i] = member[fineOf[i] as number] as number;
    const silhouette =
      count > scoreUpTo ? NaN : slots.length > 1 ? meanSilhouette(proj, k, own, slots, norms) : 0;
    // The most similar pair of live groups.
    let bestA = -1;
    let bestB = -1;
    let bestSim = -Infinity;
    for (let x = 0; x < slots.length; x++) {
      const a = slots[x] as number;
      for (let y = x + 1; y < slots.length; y++) {
        const b = slots[y] as number;
        const sim = cos[a * k + b] as number;
        if (sim > bestSim) {
          bestSim = sim;
          bestA = a;
          bestB = b;
        }
      }
    }
    const slotIndex = new Map(slots.map((s, i) => [s, i]));
    const groupOf = new Int32Array(k);
    for (let c = 0; c < k; c++) groupOf[c] = slotIndex.get(member[c] ?? 0) ?? 0;
    levels.push({
      themes: count,
      groupOf,
      nextMergeSimilarity: bestA < 0 ? NaN : bestSim,
      silhouette,
    });
    if (bestA < 0) break;
    // Merge b into a.
    const gab = gram[bestA * k + bestB] ?? 0;
    const gaa = gram[bestA * k + bestA] ?? 0;
    const gbb = gram[bestB * k + bestB] ?? 0;
    for (let s = 0; s < k; s++) {
      const v = (gram[bestA * k + s] ?? 0) + (gram[bestB * k + s] ?? 0);
      gram[bestA * k + s] = v;
      gram[s * k + bestA] = v;
    }
    gram[bestA * k + bestA] = gaa + 2 * gab + gbb;
    for (let i = 0; i < n; i++)
      proj[i * k + bestA] = (proj[i * k + bestA] ?? 0) + (proj[i * k + bestB] ?? 0);
    alive[bestB] = false;
    for (let c = 0; c < k; c++) if (member[c] === bestB) member[c] = bestA;
    for (const s of slots) {
      if (s === bestA || s === bestB) continue;
      const sim = similarity(bestA, s);
      cos[bestA * k + s] = sim;
      cos[s * k + bestA] = sim;
    }
  }
  return levels;
}

/**
 * Mean simplified silhouette of the scored rows: (b − a) / max(a, b) with a the cosine distance to
 * the row's own group and b that to the nearest other group. Its own function so that V8 optimises
 * it as such (run inline in the merge loop it stayed several times slower).
 */
function meanSilhouette(
  proj: Float64Array,
  k: number,
  own: Int32Array,
  slotList: readonly number[],
  norms: Float64Array,
): number {
  const n = own.length;
  const slots = Int32Array.from(slotList);
  const count = slots.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const mine = own[i] as number;
    const at = i * k;
    const a = 1 - (proj[at + mine] as number) / (norms[mine] as number);
    let best = -Infinity;
    for (let x = 0; x < count; x++) {
      const s = slots[x] as number;
      if (s === mine) continue;
      const sim = (proj[at + s] as number) / (norms[s] as number);
      if (sim > best) best = sim;
    }
    const b = 1 - best;
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}

export interface LevelChoice {
  readonly minThemes: number;
  readonly maxThemes: number;
  /** Themes whose directions are at least this similar are near-duplicates and always merged. */
  readonly duplicateSimilarity: number;
}

/** The level with the best silhouette among those allowed. */
export function chooseLevel(levels: readonly MergeLevel[], choice: LevelChoice): MergeLevel {
  let best: MergeLevel | undefined;
  for (const level of levels) {
    if (level.themes > choice.maxThemes || level.themes < choice.minThemes) continue;
    if (level.nextMergeSimilarity >= choice.duplicateSimilarity) continue;
    if (!best || level.silhouette > best.silhouette) best = level;
  }
  const fallback = best ?? levels.find((l) => l.themes <= choice.maxThemes) ?? levels.at(-1);
  if (!fallback) throw new Error('an empty merge tree has no level to choose');
  return fallback;
}
