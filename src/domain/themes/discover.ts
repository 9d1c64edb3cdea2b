// Theme discovery: from comments to themes with labels, sizes, quotes and trends, deterministic for a
// seed. Stages: set aside blank and duplicate comments → words, stems and phrases → two views of each
// comment (SIF-weighted general-English word vectors; LSA of TF-IDF) joined into one unit vector →
// spherical k-means on a sample (over-clustered, then merged to the best level unless a number of
// themes is given) → every comment assigned to its nearest theme, or to "other" when it fits none →
// labels, quotes and trends.
import { corpusTerms, readCorpus } from './corpus.ts';
import { chooseByJump, chooseLevel, mergeTree, type Linkage } from './hierarchy.ts';
import { refine, sphericalKMeans, type KMeansResult } from './kmeans.ts';
import { classTfidf, labelFrom } from './label.ts';
import { isNothingComment, nameThemes } from './names.ts';
import { normaliseRows } from './linalg.ts';
import { DEFAULT_PHRASE_OPTIONS } from './phrases.ts';
import { redactPersonalData } from './redact.ts';
import { sampleIndices, seededRandom } from './rng.ts';
import { stem } from './stem.ts';
import { foldAndSetAside } from './setaside.ts';
import { removeCommonComponent, sifWeights } from './sif.ts';
import { RowSpace } from './simd/space.ts';
import { fitLsa, inverseDocumentFrequency, projectRow, tfidfRows } from './tfidf.ts';
import { normaliseText } from './tokenise.ts';
import { choosePeriod, dateRange, parseCommentDate, trendOf } from './trend.ts';
import type {
  BroadTheme,
  CommentInput,
  DiscoverOptions,
  NoThemeReason,
  Theme,
  ThemeRun,
} from './types.ts';
import type { WordVectors } from './vectors/load.ts';

/** Settings of the method itself, fixed by measurement (see README); exposed for the benchmark. */
export interface MethodSettings {
  readonly lsaDimensions: number;
  /** Power iterations of the randomised SVD (more: closer to the exact SVD, slower). */
  readonly lsaPowerIterations: number;
  /** Weight of the word-vector view against the LSA view in the joined vector (0 … 1). */
  readonly wordVectorWeight: number;
  /** Fine clusters per allowed theme before merging. */
  readonly overClusterFactor: number;
  readonly duplicateThemeSimilarity: number;
  /** A comment is "other" when its similarity to its theme is this many robust deviations below the theme's median. */
  readonly otherDeviations: number;
  readonly minThemesAutomatic: number;
  /** Lloyd iterations at most (k-means rarely gains after this on comments). */
  readonly iterations: number;
  /** Lloyd iterations from the merged centres, after choosing the level. */
  readonly refineIterations: number;
  /** Rows of the sample scored (mean silhouette) when choosing the number of themes. */
  readonly silhouetteRows: number;
  /** With no number asked for: fine clusters per square root of the comments clustered. */
  readonly fineClustersPerRoot: number;
  /**
   * With no number asked for: at most this many fine clusters (more cost time in k-means, merging and
   * naming, and on large sets of templated comments split them into hundreds of near-identical themes).
   */
  readonly maxFineClusters: number;
  /** With no number asked for: a fine cluster has at least this many comments on average. */
  readonly minFineClusterSize: number;
  /** How the merge tree joins clusters (hierarchy.ts). */
  readonly linkage: Linkage;
  /** The broad level is chosen within this range (and at most half the number of themes). */
  readonly minBroadThemes: number;
  readonly maxBroadThemes: number;
  /** How the automatic number of themes is chosen from the merge tree. */
  readonly levelRule: 'silhouette' | 'jump';
  /** SIF's smoothing a: a word's weight is a / (a + p(word)). */
  readonly sifSmoothing: number;
  /** Principal components shared by all comments removed from the word-vector view. */
  readonly commonComponents: number;
  /** Comments saying there is nothing to improve all share one vector (their mean). */
  readonly nothingAsOne: boolean;
  /** How strongly such answers are drawn together: each becomes itself plus this × their mean direction. */
  readonly nothingPull: number;
}

export const DEFAULT_METHOD: MethodSettings = {
  lsaDimensions: 50,
  lsaPowerIterations: 0,
  wordVectorWeight: 0.5,
  overClusterFactor: 1.5,
  duplicateThemeSimilarity: 0.95,
  otherDeviations: 3,
  minThemesAutomatic: 2,
  iterations: 8,
  refineIterations: 3,
  silhouetteRows: 1000,
  fineClustersPerRoot: 3,
  maxFineClusters: 240,
  minFineClusterSize: 5,
  linkage: 'ward',
  minBroadThemes: 8,
  maxBroadThemes: 20,
  levelRule: 'silhouette',
  sifSmoothing: 1e-3,
  commonComponents: 1,
  nothingAsOne: true,
  nothingPull: 2,
};

interface Prepared {
  readonly active: number[]; // input indices analysed
  readonly folded: string[]; // their folded text, for tokenising
  readonly reasons: (NoThemeReason | null)[];
  readonly blank: number;
  readonly duplicate: number;
}

function setAside(comments: readonly CommentInput[]): Prepared {
  const { reasons, folded: all } = foldAndSetAside(comments);
  const active: number[] = [];
  const folded: string[] = [];
  let blank = 0;
  let duplicate = 0;
  reasons.forEach((reason, i) => {
    if (reason === 'blank') blank++;
    else if (reason === 'duplicate') duplicate++;
    else {
      active.push(i);
      folded.push(all[i] ?? '');
    }
  });
  return { active, folded, reasons, blank, duplicate };
}

/**
 * Where the merged themes' k-means starts: each row in the theme of its fine cluster, and bounds on
 * its similarity to each theme (written to the space's boundsB) from the fine clustering's bounds. A
 * theme's centre is the unit sum of its fine clusters' unit centres f_c, so a row's similarity to it
 * is Σ s(x, f_c) / |Σ f_c|, at most the same sum of the fine bounds (plus a margin for the float32
 * rounding of centres and bounds).
 */
function mergedStart(
  space: RowSpace,
  fine: KMeansResult,
  fineClusters: number,
  groupOf: Int32Array,
  k: number,
  d: number,
): Int32Array {
  const n = fine.labels.length;
  // |Σ f_c| of each theme, from the sums before normalising (recomputed here in double precision).
  const sums = new Float64Array(k * d);
  for (let c = 0; c < fineClusters; c++) {
    const g = groupOf[c] as number;
    for (let j = 0; j < d; j++)
      sums[g * d + j] = (sums[g * d + j] as number) + (fine.centroids[c * d + j] as number);
  }
  const inverse = new Float64Array(k);
  for (let g = 0; g < k; g++) {
    let sq = 0;
    for (let j = 0; j < d; j++) sq += (sums[g * d + j] as number) ** 2;
    inverse[g] = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  }
  const labels = new Int32Array(n);
  const bounds = space.boundsB;
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    labels[i] = groupOf[fine.labels[i] as number] as number;
    row.fill(0);
    const at = i * fineClusters;
    for (let c = 0; c < fineClusters; c++) {
      const g = groupOf[c] as number;
      row[g] = (row[g] as number) + (fine.bounds[at + c] as number);
    }
    for (let g = 0; g < k; g++) {
      const inv = inverse[g] as number;
      bounds[i * k + g] = inv > 0 ? (row[g] as number) * inv + 1e-5 : Infinity;
    }
  }
  return labels;
}

/**
 * Fine clusters (of the clustered rows, whose texts are given) in which most comments say there is
 * nothing to improve are joined into one leaf of the merge tree, so that "Nothing", "n/a" and "No
 * complaints" end in one theme rather than several. Returns the leaf of each fine cluster (leaves
 * numbered in order of their first fine cluster); never fewer leaves than `atLeast`.
 */
export function nothingTogether(
  labels: Int32Array,
  fineClusters: number,
  texts: readonly string[],
  atLeast = 1,
): Int32Array {
  const size = new Int32Array(fineClusters);
  const nothing = new Int32Array(fineClusters);
  labels.forEach((c, i) => {
    size[c] = (size[c] as number) + 1;
    if (isNothingComment(texts[i] ?? '')) nothing[c] = (nothing[c] as number) + 1;
  });
  const joined: number[] = [];
  for (let c = 0; c < fineClusters; c++)
    if ((nothing[c] as number) * 2 > (size[c] as number)) joined.push(c);
  const leafOf = Int32Array.from({ length: fineClusters }, (_, c) => c);
  if (joined.length < 2 || fineClusters - joined.length + 1 < atLeast) return leafOf;
  const first = joined[0] as number;
  let next = 0;
  for (let c = 0; c < fineClusters; c++) {
    if (c !== first && joined.includes(c)) continue;
    leafOf[c] = next++;
  }
  for (const c of joined) leafOf[c] = leafOf[first] as number;
  return leafOf;
}

/**
 * Draws the listed rows (unit vectors, n × d row-major) towards their common direction: each becomes
 * itself plus `pull` × the unit mean of them all, scaled to unit length again. Other rows are left
 * as they are; with fewer than two rows listed nothing changes.
 */
export function drawTogether(
  data: Float32Array,
  d: number,
  rows: readonly number[],
  pull: number,
): void {
  if (rows.length < 2 || pull <= 0) return;
  const mean = new Float32Array(d);
  for (const i of rows)
    for (let j = 0; j < d; j++) mean[j] = (mean[j] ?? 0) + (data[i * d + j] ?? 0);
  normaliseRows(mean, d);
  for (const i of rows) {
    const row = data.subarray(i * d, i * d + d);
    for (let j = 0; j < d; j++) row[j] = (row[j] ?? 0) + pull * (mean[j] ?? 0);
    normaliseRows(row, d);
  }
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? (values[mid] ?? 0) : ((values[mid - 1] ?? 0) + (values[mid] ?? 0)) / 2;
}

/** Discovers themes in the comments. `vectors` are the general-English word vectors (see loadWordVectors). */
export function discoverThemes(
  input: readonly CommentInput[],
  vectors: WordVectors,
  options: DiscoverOptions = {},
  method: MethodSettings = DEFAULT_METHOD,
): ThemeRun {
  // Personal data goes before anything is derived: words, phrases, names and quotes all come from
  // the redacted text, and the tokeniser skips the notes redaction leaves ("[name removed]").
  const comments = input.map((c) => ({ ...c, text: redactPersonalData(c.text) }));
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const progress = options.onProgress ?? (() => undefined);
  const { active, folded, reasons, blank, duplicate } = setAside(comments);
  const n = active.length;
  const maxThemes = options.maxThemes;
  const minThemeSize = options.minThemeSize ?? Math.max(5, Math.ceil(n * 0.001));
  const sampleCap = options.sampleSize ?? 20_000;
  const sample = sampleIndices(n, Math.min(n, sampleCap), random);

  // Words, stems and phrases, in one pass: each comment is tokenised once and each distinct word
  // looked up once. Phrases are found on the sample, then marked in every comment.
  progress('reading words', 0, n);
  const dw = vectors.dimensions;
  const wordView = new Float32Array(n * dw);
  const corpus = readCorpus(
    folded,
    vectors,
    sifWeights(vectors, method.sifSmoothing),
    wordView,
    (done) => progress('reading words', done, n),
  );
  folded.length = 0; // the folded texts are no longer needed
  const { spellings } = corpus;
  const terms = corpusTerms(corpus, sample, {
    ...DEFAULT_PHRASE_OPTIONS,
    minCount: Math.max(DEFAULT_PHRASE_OPTIONS.minCount, Math.round(sample.length / 2000)),
  });
  const termKeys = terms.keys;
  const empty = new Uint8Array(n);
  for (let k = 0; k < n; k++)
    if (corpus.known[k] === 0 && terms.start[k] === terms.start[k + 1]) empty[k] = 1;
  const covered = corpus.knownWords;
  const totalWords = corpus.totalWords;

  // View 1: SIF word vectors, common component removed. View 2: LSA of TF-IDF.
  progress('building vectors', 0, n);
  for (let r = 0; r < method.commonComponents; r++) removeCommonComponent(wordView, dw, sample);
  normaliseRows(wordView, dw);
  const idf = inverseDocumentFrequency(terms, sample, termKeys.length);
  const lsa = fitLsa(
    tfidfRows(terms, sample, idf),
    termKeys.length,
    method.lsaDimensions,
    random,
    method.lsaPowerIterations,
  );
  const dl = lsa.dimensions;
  const d = dw + dl;
  const data = new Float32Array(n * d);
  const alpha = Math.sqrt(method.wordVectorWeight);
  const beta = Math.sqrt(1 - method.wordVectorWeight);
  const chunk = 10_000;
  const lsaRow = new Float32Array(dl);
  for (let from = 0; from < n; from += chunk) {
    const rows = Array.from({ length: Math.min(chunk, n - from) }, (_, i) => from + i);
    const tfidf = tfidfRows(terms, rows, idf);
    rows.forEach((k, i) => {
      lsaRow.fill(0);
      projectRow(tfidf, i, lsa, lsaRow, 0);
      let norm = 0;
      for (let j = 0; j < dl; j++) norm += (lsaRow[j] ?? 0) ** 2;
      const inv = norm > 0 ? beta / Math.sqrt(norm) : 0;
      const at = k * d;
      for (let j = 0; j < dw; j++) data[at + j] = alpha * (wordView[k * dw + j] ?? 0);
      for (let j = 0; j < dl; j++) data[at + dw + j] = inv * (lsaRow[j] ?? 0);
    });
  }
  normaliseRows(data, d);

  // Clustering on the sample.
  progress('finding themes', 0, 1);
  const clusterRows = sample.filter((k) => !empty[k]);
  // Answers saying there is nothing to improve ("Nothing", "n/a", "Can't think of anything") are
  // one answer in many words: each is drawn towards their mean direction, so they form one theme
  // however many are asked. (Not made identical: k-means cannot split identical rows, and a number
  // of themes asked for must still be returned.)
  if (method.nothingAsOne) {
    const says: number[] = [];
    for (let i = 0; i < n; i++)
      if (!empty[i] && isNothingComment(comments[active[i] ?? 0]?.text ?? '')) says.push(i);
    drawTogether(data, d, says, method.nothingPull);
  }
  const requested = options.themes;
  let centroids: Float32Array;
  // The clustered rows' nearest centroid and similarity, as the last k-means step left them.
  let clustered: { labels: Int32Array; similarity: Float32Array } | undefined;
  let k: number;
  let fineClusters: number;
  let silhouette: number | null = null;
  let assignSpace: RowSpace;
  /** Broad theme (0 … broad − 1) of each theme, or undefined when there is no broad level. */
  let parentOf: Int32Array | undefined;
  const m = clusterRows.length;
  const sampleMinSize = Math.max(2, (minThemeSize * m) / Math.max(n, 1));
  if (requested !== undefined && requested >= m) {
    // As many themes as comments (or more) asked for: each its own.
    k = Math.max(1, m);
    fineClusters = k;
    const space = new RowSpace(data, d, clusterRows, { clusters: k });
    const result = sphericalKMeans(space, k, random, method.iterations);
    centroids = result.centroids;
    clustered = result;
    assignSpace = space;
  } else {
    // Over-cluster, then merge (hierarchy.ts) to the number asked for, or to the best level.
    fineClusters =
      requested !== undefined
        ? Math.min(m, Math.max(requested, Math.round(requested * method.overClusterFactor)))
        : Math.max(
            1,
            Math.min(
              maxThemes === undefined ? Infinity : Math.round(maxThemes * method.overClusterFactor),
              Math.round(method.fineClustersPerRoot * Math.sqrt(m)),
              method.maxFineClusters,
              Math.floor(m / Math.max(sampleMinSize, method.minFineClusterSize)),
            ),
          );
    fineClusters = Math.max(fineClusters, Math.min(m, requested ?? 1));
    const space = new RowSpace(data, d, clusterRows, {
      clusters: fineClusters,
      scoredRows: method.silhouetteRows,
      secondBounds: method.refineIterations > 0,
    });
    const fine = sphericalKMeans(space, fineClusters, random, method.iterations);
    // Fine clusters whose comments mostly say there is nothing to improve are one theme from the start.
    const leafOf = nothingTogether(
      fine.labels,
      fineClusters,
      clusterRows.map((row) => comments[active[row] ?? 0]?.text ?? ''),
      requested,
    );
    const leaves = leafOf.reduce((most, g) => Math.max(most, g + 1), 0);
    const leafLabels = Int32Array.from(fine.labels, (c) => leafOf[c] as number);
    const broadRange = (themes: number): [number, number] => {
      const most = Math.min(method.maxBroadThemes, Math.floor(themes / 2));
      return [Math.min(method.minBroadThemes, most), most];
    };
    const scoreUpTo =
      requested !== undefined
        ? options.broadThemes !== undefined
          ? 0
          : broadRange(requested)[1]
        : maxThemes === undefined
          ? leaves
          : maxThemes;
    const levels = mergeTree(
      space,
      leafLabels,
      leaves,
      scoreUpTo,
      method.silhouetteRows,
      method.linkage,
    );
    const level =
      requested !== undefined
        ? (levels.find((l) => l.themes === requested) ?? levels[0])
        : method.levelRule === 'jump'
          ? (chooseByJump(
              levels,
              Math.min(method.minThemesAutomatic, leaves),
              Math.min(maxThemes ?? leaves, Math.floor(leaves / method.overClusterFactor)),
            ) ?? levels[0])
          : chooseLevel(levels, {
              minThemes: Math.min(method.minThemesAutomatic, leaves),
              maxThemes: maxThemes ?? leaves,
              duplicateSimilarity: method.duplicateThemeSimilarity,
            });
    if (!level) throw new Error('the merge tree has no level');
    silhouette = requested !== undefined ? null : level.silhouette;
    k = level.themes;
    const groupOf = Int32Array.from(leafOf, (leaf) => level.groupOf[leaf] as number);
    // The broad level: asked for, or the best-scored level within the range.
    const [fewest, most] = broadRange(k);
    const wanted = options.broadThemes;
    const broad =
      wanted !== undefined
        ? wanted < k
          ? levels.find((l) => l.themes === Math.max(1, wanted))
          : undefined
        : most >= method.minBroadThemes
          ? chooseByJump(levels, fewest, most)
          : undefined;
    if (broad) {
      parentOf = new Int32Array(k);
      for (let c = 0; c < leaves; c++)
        parentOf[level.groupOf[c] as number] = broad.groupOf[c] as number;
    }
    centroids = new Float32Array(k * d);
    for (let c = 0; c < fineClusters; c++) {
      const g = groupOf[c] ?? 0;
      for (let j = 0; j < d; j++)
        centroids[g * d + j] = (centroids[g * d + j] ?? 0) + (fine.centroids[c * d + j] ?? 0);
    }
    normaliseRows(centroids, d);
    if (method.refineIterations > 0 && k < fineClusters) {
      const start = { labels: mergedStart(space, fine, fineClusters, groupOf, k, d) };
      space.setCentroids(centroids, k);
      const result = refine(space, k, method.refineIterations, { kind: 'start', start });
      centroids = result.centroids;
      clustered = result;
    } else if (k === fineClusters) {
      centroids = fine.centroids;
      clustered = fine;
    }
    assignSpace = space;
  }

  // Assign every comment; themes below the minimum size give their comments to the next nearest.
  progress('assigning comments', 0, n);
  const label = new Int32Array(n).fill(-1);
  const similarity = new Float32Array(n);
  /** Each listed comment to the nearest of the current centroids, in the kernels. */
  const assignNearest = (rows: readonly number[]): void => {
    assignSpace.setCentroids(centroids, k);
    const labels = new Int32Array(rows.length);
    const similarities = new Float32Array(rows.length);
    assignSpace.assignRows(data, rows, k, labels, similarities);
    rows.forEach((i, r) => {
      label[i] = labels[r] as number;
      similarity[i] = similarities[r] as number;
    });
  };
  const themeSizes = (): Int32Array => {
    const sizes = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const c = label[i] as number;
      if (c >= 0) sizes[c] = (sizes[c] as number) + 1;
    }
    return sizes;
  };
  const assignAll = (): Int32Array => {
    // Rows just clustered already know their nearest centroid (k-means ends on an assignment); the
    // rest are assigned in the space's kernels, a chunk at a time.
    const known = new Int32Array(n).fill(-1);
    if (clustered) clusterRows.forEach((row, i) => (known[row] = i));
    const rest: number[] = [];
    for (let i = 0; i < n; i++) {
      if (empty[i]) continue;
      const j = known[i] as number;
      if (clustered && j >= 0) {
        label[i] = clustered.labels[j] as number;
        similarity[i] = clustered.similarity[j] as number;
      } else rest.push(i);
    }
    assignNearest(rest);
    clustered = undefined; // valid for these centroids only
    return themeSizes();
  };
  let sizes = assignAll();
  if (requested === undefined) {
    for (let round = 0; round < 3; round++) {
      const keep: number[] = [];
      for (let c = 0; c < k; c++) if ((sizes[c] ?? 0) >= minThemeSize) keep.push(c);
      if (keep.length === k || keep.length === 0) break;
      const kept = new Float32Array(keep.length * d);
      const renumber = new Int32Array(k).fill(-1);
      keep.forEach((c, i) => {
        kept.set(centroids.subarray(c * d, c * d + d), i * d);
        renumber[c] = i;
      });
      centroids = kept;
      k = keep.length;
      if (parentOf) parentOf = Int32Array.from(keep, (c) => (parentOf as Int32Array)[c] as number);
      // A comment whose theme is kept keeps it: its nearest centre is still among those left, and
      // the order (which breaks ties) is unchanged. Only the dropped themes' comments move.
      const moving: number[] = [];
      for (let i = 0; i < n; i++) {
        const old = label[i] as number;
        if (old < 0) continue;
        label[i] = renumber[old] as number;
        if ((label[i] as number) < 0) moving.push(i);
      }
      assignNearest(moving);
      sizes = themeSizes();
    }
  }

  // With no number asked for, themes whose most typical comments (the 20 of the sample nearest the
  // centre, as names.ts reads them) mostly say there is nothing to improve become one: the fine
  // clusters were joined, but k-means can gather such answers again.
  if (requested === undefined && k > 1) {
    const central: number[][] = Array.from({ length: k }, () => []);
    for (const row of clusterRows) {
      const c = label[row] ?? -1;
      if (c >= 0) central[c]?.push(row);
    }
    const joined: number[] = [];
    central.forEach((rows, c) => {
      const top = rows
        .sort((a, b) => (similarity[b] ?? 0) - (similarity[a] ?? 0) || a - b)
        .slice(0, 20);
      const says = top.filter((row) => isNothingComment(comments[active[row] ?? 0]?.text ?? ''));
      if (top.length > 0 && says.length * 2 > top.length) joined.push(c);
    });
    if (joined.length > 1) {
      // Into the largest of them, which keeps its broad theme.
      const into = joined.reduce((a, b) => ((sizes[b] as number) > (sizes[a] as number) ? b : a));
      const isJoined = new Uint8Array(k);
      for (const c of joined) isJoined[c] = 1;
      for (let i = 0; i < n; i++) {
        const c = label[i] ?? -1;
        if (c >= 0 && isJoined[c] && c !== into) label[i] = into;
      }
      sizes = themeSizes();
    }
  }

  // "Other": comments far less similar to their theme than its typical member, or with no known word.
  const byTheme: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) {
    const c = label[i] ?? -1;
    if (c >= 0) byTheme[c]?.push(similarity[i] ?? 0);
  }
  const threshold = byTheme.map((sims) => {
    const m = median([...sims]);
    const mad = median(sims.map((s) => Math.abs(s - m)));
    return m - method.otherDeviations * 1.4826 * mad;
  });
  const isOther = new Uint8Array(n);
  const best = new Int32Array(k).fill(-1); // each theme's most similar comment
  for (let i = 0; i < n; i++) {
    const c = label[i] ?? -1;
    if (c < 0 || (similarity[i] ?? 0) < (threshold[c] ?? 0)) isOther[i] = 1;
    if (c >= 0 && (best[c] === -1 || (similarity[i] ?? 0) > (similarity[best[c] as number] ?? 0)))
      best[c] = i;
  }
  // A theme asked for is never emptied into "other": it keeps at least its most typical comment.
  for (let c = 0; c < k; c++) if ((best[c] as number) >= 0) isOther[best[c] as number] = 0;
  return describe();

  function describe(): ThemeRun {
    // Final centres from members; themes ordered by size.
    const members: number[][] = Array.from({ length: k }, () => []);
    for (let i = 0; i < n; i++)
      if (!isOther[i] && (label[i] ?? -1) >= 0) members[label[i] ?? 0]?.push(i);
    const order = Array.from({ length: k }, (_, c) => c)
      .filter((c) => (members[c]?.length ?? 0) > 0)
      .sort((a, b) => (members[b]?.length ?? 0) - (members[a]?.length ?? 0) || a - b);
    const finalCentroids = order.map((c) => {
      const sum = new Float64Array(d);
      for (const i of members[c] ?? [])
        for (let j = 0; j < d; j++) sum[j] = (sum[j] ?? 0) + (data[i * d + j] ?? 0);
      const norm = Math.sqrt(sum.reduce((s, x) => s + x * x, 0)) || 1;
      return Array.from(sum, (x) => x / norm);
    });
    const perTheme = order.map(() => new Map<number, number>());
    const overall = new Map<number, number>();
    order.forEach((c, t) => {
      const counts = perTheme[t] ?? new Map<number, number>();
      for (const i of members[c] ?? []) {
        const seenHere = new Set<number>();
        for (let p = terms.start[i] ?? 0; p < (terms.start[i + 1] ?? 0); p++) {
          const term = terms.ids[p] ?? 0;
          if (seenHere.has(term)) continue;
          seenHere.add(term);
          counts.set(term, (counts.get(term) ?? 0) + 1);
          overall.set(term, (overall.get(term) ?? 0) + 1);
        }
      }
    });
    const keyTerms = classTfidf(
      { perTheme, overall },
      (t) => termKeys[t] ?? '',
      options.keyPhrasesPerTheme ?? 8,
    );
    const dates = comments.map((c) => (c.date ? parseCommentDate(c.date) : undefined));
    const activeDates = active.map((i) => dates[i]).filter((t): t is number => t !== undefined);
    const range = dateRange(activeDates);
    const first = range?.first;
    const last = range?.last;
    const period =
      first !== undefined && last !== undefined ? choosePeriod(first, last) : undefined;
    const quotesPerTheme = options.quotesPerTheme ?? 5;
    /** Rows nearest the centre first (each scored once: a scoring comparator would redo it). */
    const ranked = (rows: number[], sims: (i: number) => number): number[] => {
      const scores = new Map(rows.map((i) => [i, sims(i)]));
      return [...rows].sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || a - b);
    };
    const textOf = (i: number): string => (comments[active[i] ?? 0]?.text ?? '').trim();
    const quotesFrom = (rows: readonly number[]): string[] => {
      const quotes: string[] = [];
      const seenQuotes = new Set<string>();
      for (const i of rows) {
        if (quotes.length >= quotesPerTheme) break;
        const quote = textOf(i);
        const key = normaliseText(quote);
        if (seenQuotes.has(key)) continue;
        seenQuotes.add(key);
        quotes.push(quote);
      }
      return quotes;
    };
    const quotesOf = (rows: number[], sims: (i: number) => number): string[] =>
      quotesFrom(ranked(rows, sims));
    // Readable names (names.ts): from each theme's central comments and how typical each word's
    // stem is of the theme (class-based TF-IDF over comments).
    const stemIndex = new Map(corpus.stems.map((s, i) => [s, i]));
    const averageDocs = order.reduce((s, c) => s + (members[c]?.length ?? 0), 0) / Math.max(k, 1);
    const namingRows: number[][] = [];
    const themeIdOf = new Map<number, string>();
    const themes: Theme[] = order.map((c, t) => {
      const rows = members[c] ?? [];
      const id = `theme-${t + 1}`;
      themeIdOf.set(c, id);
      const centre = finalCentroids[t] ?? [];
      const sim = (i: number): number => {
        let s = 0;
        for (let j = 0; j < d; j++) s += (data[i * d + j] ?? 0) * (centre[j] ?? 0);
        return s;
      };
      const keyPhrases = (keyTerms[t] ?? []).map((e) =>
        spellings.displayTerm(termKeys[e.term] ?? ''),
      );
      const memberDates = rows
        .map((i) => dates[active[i] ?? 0])
        .filter((x): x is number => x !== undefined);
      const near = ranked(rows, sim);
      namingRows.push(near.slice(0, 40));
      return {
        id,
        name: '',
        description: '',
        label: labelFrom(keyPhrases),
        keyPhrases,
        size: rows.length,
        share: rows.length / Math.max(n, 1),
        quotes: quotesFrom(near),
        cohesion: rows.reduce((s, i) => s + sim(i), 0) / Math.max(rows.length, 1),
        trend:
          period !== undefined &&
          first !== undefined &&
          last !== undefined &&
          memberDates.length > 0
            ? trendOf(memberDates, period, first, last)
            : undefined,
      };
    });
    const names = nameThemes(
      themes.map((theme, t) => {
        const counts = perTheme[t] ?? new Map<number, number>();
        const size = Math.max(theme.size, 1);
        return {
          texts: (namingRows[t] ?? []).map(textOf),
          keyPhrases: theme.keyPhrases,
          weight: (word: string) => {
            const id = stemIndex.get(stem(word));
            if (id === undefined) return 0;
            const c = counts.get(id) ?? 0;
            return (c / size) * Math.log(1 + averageDocs / Math.max(overall.get(id) ?? c, 1));
          },
        };
      }),
    );
    const broad = describeBroad();
    const named: Theme[] = themes.map((theme, t) => {
      const result = names[t];
      const similar = result?.similarTo ?? null;
      const parent = broad.parentOfTheme[t];
      return {
        ...theme,
        name: result?.name ?? theme.label,
        description: result?.description ?? '',
        similarTo: similar === null ? undefined : themes[similar]?.id,
        ...(parent === undefined ? {} : { parent }),
      };
    });
    /** The broad level: each broad theme's themes, key phrases, name and central comments. */
    function describeBroad(): { themes: BroadTheme[]; parentOfTheme: (string | undefined)[] } {
      if (!parentOf) return { themes: [], parentOfTheme: [] };
      const groups = new Map<number, number[]>(); // broad index → themes (positions in `order`)
      order.forEach((c, t) => {
        const b = (parentOf as Int32Array)[c] as number;
        groups.set(b, [...(groups.get(b) ?? []), t]);
      });
      const sizeOf = (ts: readonly number[]): number =>
        ts.reduce((sum, t) => sum + (themes[t]?.size ?? 0), 0);
      const broadOrder = [...groups.values()].sort(
        (a, b) => sizeOf(b) - sizeOf(a) || (a[0] ?? 0) - (b[0] ?? 0),
      );
      const perBroad = broadOrder.map((ts) => {
        const sum = new Map<number, number>();
        for (const t of ts)
          for (const [term, c] of perTheme[t] ?? []) sum.set(term, (sum.get(term) ?? 0) + c);
        return sum;
      });
      const broadTerms = classTfidf(
        { perTheme: perBroad, overall },
        (t) => termKeys[t] ?? '',
        options.keyPhrasesPerTheme ?? 8,
      );
      const averageBroad = n / Math.max(broadOrder.length, 1);
      const broadNames = nameThemes(
        broadOrder.map((ts, b) => {
          const counts = perBroad[b] ?? new Map<number, number>();
          const size = Math.max(sizeOf(ts), 1);
          // Central comments: each theme's most typical, in turn, so every theme is heard.
          const texts: string[] = [];
          for (let r = 0; texts.length < 40 && r < 40; r++)
            for (const t of ts) {
              const row = namingRows[t]?.[r];
              if (row !== undefined && texts.length < 40) texts.push(textOf(row));
            }
          return {
            texts,
            keyPhrases: (broadTerms[b] ?? []).map((e) =>
              spellings.displayTerm(termKeys[e.term] ?? ''),
            ),
            weight: (word: string) => {
              const id = stemIndex.get(stem(word));
              if (id === undefined) return 0;
              const c = counts.get(id) ?? 0;
              return (c / size) * Math.log(1 + averageBroad / Math.max(overall.get(id) ?? c, 1));
            },
          };
        }),
      );
      const parentOfTheme: (string | undefined)[] = [];
      const list = broadOrder.map((ts, b): BroadTheme => {
        const id = `broad-${b + 1}`;
        for (const t of ts) parentOfTheme[t] = id;
        const keyPhrases = (broadTerms[b] ?? []).map((e) =>
          spellings.displayTerm(termKeys[e.term] ?? ''),
        );
        const size = sizeOf(ts);
        return {
          id,
          name: broadNames[b]?.name ?? labelFrom(keyPhrases),
          description: broadNames[b]?.description ?? '',
          label: labelFrom(keyPhrases),
          keyPhrases,
          size,
          share: size / Math.max(n, 1),
          themes: ts.map((t) => themes[t]?.id ?? ''),
        };
      });
      return { themes: list, parentOfTheme };
    }
    const assignments: (string | null)[] = new Array<string | null>(comments.length).fill(null);
    const otherRows: number[] = [];
    for (let i = 0; i < n; i++) {
      const input = active[i] ?? 0;
      if (isOther[i] || (label[i] ?? -1) < 0) {
        reasons[input] = 'other';
        otherRows.push(i);
      } else {
        assignments[input] = themeIdOf.get(label[i] ?? 0) ?? null;
      }
    }
    return {
      themes: named,
      broadThemes: broad.themes,
      assignments,
      reasons,
      other: {
        size: otherRows.length,
        share: otherRows.length / Math.max(n, 1),
        quotes: quotesOf(otherRows, (i) => -(similarity[i] ?? 0)),
      },
      counts: { input: comments.length, analysed: n, blank, duplicate, other: otherRows.length },
      method: {
        seed,
        requestedThemes: requested ?? null,
        sampleSize: sample.length,
        fineClusters,
        wordCoverage: totalWords > 0 ? covered / totalWords : 0,
        silhouette,
        requestedBroadThemes: options.broadThemes ?? null,
      },
      centroids: finalCentroids,
    };
  }
}
