// Over-cluster, then merge: clusters are joined pairwise, most similar first (cosine of their mean
// directions, whatever their sizes, so a small tight group is not swallowed just for being small),
// giving a tree from many fine themes to one. The level kept is the one where comments sit best in
// their own theme against the next best (mean simplified silhouette), within the allowed range.

import type { RowSpace } from './simd/space.ts';

/**
 * How the two groups to join are chosen: `centroid` — the highest cosine of their mean directions,
 * whatever their sizes; `average` — the highest mean similarity of their rows' pairs; `ward` — the
 * smallest rise in the within-group sum of squares (Ward 1963, on the unit vectors).
 */
export type Linkage = 'centroid' | 'average' | 'ward';

export interface MergeLevel {
  /** Number of themes at this level. */
  readonly themes: number;
  /** Theme (0 … themes − 1) of each fine cluster at this level. */
  readonly groupOf: Int32Array;
  /** Cosine similarity of the two themes merged to reach the next level down (NaN at the last). */
  readonly nextMergeSimilarity: number;
  /**
   * What joining the next pair costs (NaN at the last level): 1 − cosine for the centroid linkage,
   * 1 − mean similarity for average, the rise in the within-group sum of squares for Ward.
   */
  readonly nextMergeCost: number;
  /** Mean simplified silhouette of the sample at this level (NaN where not scored). */
  readonly silhouette: number;
  /** Standard error of that mean (NaN where not scored). */
  readonly silhouetteError: number;
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
  /** How the closest pair is found (see Linkage). */
  linkage: Linkage = 'centroid',
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
  // Rows in each group, for the linkages that weigh sizes.
  const sizes = new Float64Array(k);
  for (let i = 0; i < rows; i++) {
    const c = labels[i] as number;
    sizes[c] = (sizes[c] as number) + 1;
  }
  // link[a·k + b]: how strongly groups a and b should be joined (the largest is joined first).
  const link = linkage === 'centroid' ? cos : new Float64Array(k * k);
  const linkOf = (a: number, b: number, sim: number): number => {
    if (linkage === 'centroid') return sim;
    const na = Math.max(sizes[a] as number, 1);
    const nb = Math.max(sizes[b] as number, 1);
    const gab = gram[a * k + b] as number;
    if (linkage === 'average') return gab / (na * nb);
    // Ward: minus the rise in the within-group sum of squares, n_a n_b / (n_a + n_b) · |μ_a − μ_b|².
    const gaa = gram[a * k + a] as number;
    const gbb = gram[b * k + b] as number;
    const apart = gaa / (na * na) + gbb / (nb * nb) - (2 * gab) / (na * nb);
    return (-(na * nb) / (na + nb)) * Math.max(apart, 0);
  };
  for (let a = 0; a < k; a++)
    for (let b = a + 1; b < k; b++) {
      const sim = similarity(a, b);
      cos[a * k + b] = sim;
      cos[b * k + a] = sim;
      if (link !== cos) {
        const l = linkOf(a, b, sim);
        link[a * k + b] = l;
        link[b * k + a] = l;
      }
    }

  const levels: MergeLevel[] = [];
  for (let count = k; count >= 1; count--) {
    const slots = alive.flatMap((live, s) => (live ? [s] : []));
    const norms = new Float64Array(k);
    for (const s of slots) norms[s] = Math.sqrt(Math.max(gram[s * k + s] ?? 0, 1e-24));
    for (let i = 0; i < n; i++) own[i] = member[fineOf[i] as number] as number;
    const [silhouette, silhouetteError] =
      count > scoreUpTo
        ? [NaN, NaN]
        : slots.length > 1
          ? meanSilhouette(proj, k, own, slots, norms)
          : [0, 0];
    // The most similar pair of live groups.
    let bestA = -1;
    let bestB = -1;
    let bestLink = -Infinity;
    for (let x = 0; x < slots.length; x++) {
      const a = slots[x] as number;
      for (let y = x + 1; y < slots.length; y++) {
        const b = slots[y] as number;
        const l = link[a * k + b] as number;
        if (l > bestLink) {
          bestLink = l;
          bestA = a;
          bestB = b;
        }
      }
    }
    const bestSim = bestA < 0 ? NaN : (cos[bestA * k + bestB] as number);
    const slotIndex = new Map(slots.map((s, i) => [s, i]));
    const groupOf = new Int32Array(k);
    for (let c = 0; c < k; c++) groupOf[c] = slotIndex.get(member[c] ?? 0) ?? 0;
    levels.push({
      themes: count,
      groupOf,
      nextMergeSimilarity: bestA < 0 ? NaN : bestSim,
      nextMergeCost: bestA < 0 ? NaN : linkage === 'ward' ? -bestLink : 1 - bestLink,
      silhouette,
      silhouetteError,
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
    sizes[bestA] = (sizes[bestA] as number) + (sizes[bestB] as number);
    for (let c = 0; c < k; c++) if (member[c] === bestB) member[c] = bestA;
    for (const s of slots) {
      if (s === bestA || s === bestB) continue;
      const sim = similarity(bestA, s);
      cos[bestA * k + s] = sim;
      cos[s * k + bestA] = sim;
      if (link !== cos) {
        const l = linkOf(bestA, s, sim);
        link[bestA * k + s] = l;
        link[s * k + bestA] = l;
      }
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
): [mean: number, standardError: number] {
  const n = own.length;
  const slots = Int32Array.from(slotList);
  const count = slots.length;
  let total = 0;
  let squares = 0;
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
    const score = m > 0 ? (b - a) / m : 0;
    total += score;
    squares += score * score;
  }
  const mean = total / n;
  const variance = n > 1 ? Math.max(0, squares / n - mean * mean) * (n / (n - 1)) : 0;
  return [mean, Math.sqrt(variance / n)];
}

export interface LevelChoice {
  readonly minThemes: number;
  readonly maxThemes: number;
  /** Themes whose directions are at least this similar are near-duplicates and always merged. */
  readonly duplicateSimilarity: number;
}

/**
 * The level with the fewest themes whose silhouette is within one standard error of the best among
 * those allowed (the one-standard-error rule: no more themes than the data clearly support, so the
 * number follows how distinct the comments are rather than the number of fine clusters).
 */
export function chooseLevel(levels: readonly MergeLevel[], choice: LevelChoice): MergeLevel {
  const allowed = levels.filter(
    (level) =>
      level.themes <= choice.maxThemes &&
      level.themes >= choice.minThemes &&
      !(level.nextMergeSimilarity >= choice.duplicateSimilarity) &&
      !Number.isNaN(level.silhouette),
  );
  let top: MergeLevel | undefined;
  for (const level of allowed) if (!top || level.silhouette > top.silhouette) top = level;
  let best: MergeLevel | undefined;
  if (top) {
    const floor = top.silhouette - (Number.isFinite(top.silhouetteError) ? top.silhouetteError : 0);
    for (const level of allowed)
      if (level.silhouette >= floor && (!best || level.themes < best.themes)) best = level;
  }
  const fallback = best ?? levels.find((l) => l.themes <= choice.maxThemes) ?? levels.at(-1);
  if (!fallback) throw new Error('an empty merge tree has no level to choose');
  return fallback;
}

/**
 * The level within [fewest, most] themes just before the largest relative jump in merge cost: where
 * joining one more pair would cost the most more than the joins before it (the "elbow" of the tree).
 * Levels are as mergeTree returns them (most themes first).
 */
export function chooseByJump(
  levels: readonly MergeLevel[],
  fewest: number,
  most: number,
): MergeLevel | undefined {
  let best: MergeLevel | undefined;
  let bestJump = -Infinity;
  for (let i = 1; i < levels.length; i++) {
    const level = levels[i] as MergeLevel;
    if (level.themes < fewest || level.themes > most) continue;
    const before = (levels[i - 1] as MergeLevel).nextMergeCost;
    const jump = level.nextMergeCost / Math.max(before, 1e-12);
    if (Number.isFinite(jump) && jump > bestJump) {
      bestJump = jump;
      best = level;
    }
  }
  return best;
}
