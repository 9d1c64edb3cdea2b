// The rows being clustered, packed into a kernel workspace (workspace.ts) for the SIMD kernels
// (assembly/kernels.ts): each row padded with zeros to a multiple of 16 floats, so that a dot product
// is whole 4-lane steps. Beside the rows, the space holds everything the k-means loops read and write
// (centres, bounds, labels, similarities, scratch), all allocated once.
import { workspace, type Kernels } from './workspace.ts';

export type { Kernels } from './workspace.ts';

/** Floats per padded row: the kernels step through 16 floats (four 4-lane vectors) at a time. */
export const LANE_GROUP = 16;

export function paddedWidth(d: number): number {
  return Math.max(LANE_GROUP, Math.ceil(d / LANE_GROUP) * LANE_GROUP);
}

export interface SpaceOptions {
  /** The most centres any clustering in this space uses. */
  readonly clusters: number;
  /** Rows scored at once by `similarities` (the silhouette sample); the scratch is this × clusters. */
  readonly scoredRows?: number;
  /** Whether a second bound matrix is needed (a refinement from merged centres). */
  readonly secondBounds?: boolean;
  /** Rows of other data assigned at a time by `assignRows`. */
  readonly chunkRows?: number;
}

/** Rows of `data` (n × d, row-major) packed for the kernels, with the k-means working memory. */
export class RowSpace {
  /** Rows packed. */
  readonly size: number;
  /** Floats of each row that carry data. */
  readonly dimensions: number;
  /** Floats of each packed row (dimensions rounded up to LANE_GROUP). */
  readonly width: number;
  readonly rowBytes: number;
  readonly maxClusters: number;
  readonly kernels: Kernels;
  /** size × width: the packed rows. */
  readonly matrix: Float32Array;
  /** maxClusters × width: the centres in use. */
  readonly centroids: Float32Array;
  /** maxClusters × width: the centres before the last update, or group sums. */
  readonly spare: Float32Array;
  /** size × k bounds (k ≤ maxClusters, stride k): the first and the second matrix. */
  readonly boundsA: Float32Array;
  readonly boundsB: Float32Array;
  readonly labels: Int32Array;
  readonly similarity: Float32Array;
  readonly drift: Float32Array;
  readonly index: Int32Array;
  readonly scratch: Float32Array;
  readonly chunkRows: number;
  readonly chunk: Float32Array;
  readonly chunkLabels: Int32Array;
  readonly chunkSimilarity: Float32Array;

  constructor(data: Float32Array, d: number, rows: ArrayLike<number>, options: SpaceOptions) {
    const m = rows.length;
    const k = Math.max(1, options.clusters);
    const w = paddedWidth(d);
    const scored = Math.max(options.scoredRows ?? 0, k);
    const chunkRows = Math.max(1, options.chunkRows ?? 4096);
    const { kernels, views } = workspace({
      matrix: ['f32', m * w],
      centroids: ['f32', k * w],
      spare: ['f32', k * w],
      boundsA: ['f32', m * k],
      boundsB: ['f32', options.secondBounds ? m * k : 0],
      labels: ['i32', m],
      similarity: ['f32', m],
      drift: ['f32', k],
      index: ['i32', scored],
      scratch: ['f32', scored * k],
      chunk: ['f32', chunkRows * w],
      chunkLabels: ['i32', chunkRows],
      chunkSimilarity: ['f32', chunkRows],
    });
    this.kernels = kernels;
    this.size = m;
    this.dimensions = d;
    this.width = w;
    this.rowBytes = w * 4;
    this.maxClusters = k;
    this.matrix = views.matrix;
    this.centroids = views.centroids;
    this.spare = views.spare;
    this.boundsA = views.boundsA;
    this.boundsB = views.boundsB;
    this.labels = views.labels;
    this.similarity = views.similarity;
    this.drift = views.drift;
    this.index = views.index;
    this.scratch = views.scratch;
    this.chunkRows = chunkRows;
    this.chunk = views.chunk;
    this.chunkLabels = views.chunkLabels;
    this.chunkSimilarity = views.chunkSimilarity;
    for (let i = 0; i < m; i++) {
      const from = (rows[i] as number) * d;
      this.matrix.set(data.subarray(from, from + d), i * w);
    }
  }

  /** Copies k unpadded centres (k × d) into `centroids`. */
  setCentroids(source: Float32Array, k: number): void {
    const { dimensions: d, width: w } = this;
    this.centroids.fill(0, 0, k * w);
    for (let c = 0; c < k; c++) this.centroids.set(source.subarray(c * d, c * d + d), c * w);
  }

  /** The first k centres, unpadded (k × d), as a new array. */
  copyCentroids(k: number): Float32Array {
    const { dimensions: d, width: w } = this;
    const out = new Float32Array(k * d);
    for (let c = 0; c < k; c++) out.set(this.centroids.subarray(c * w, c * w + d), c * d);
    return out;
  }

  /**
   * The nearest of the k centres now in `centroids` for each listed row of `data` (n × d, the same
   * d), written to labels[i] and similarity[i] (one entry per listed row): packed a chunk at a time.
   */
  assignRows(
    data: Float32Array,
    rows: ArrayLike<number>,
    k: number,
    labels: Int32Array,
    similarity: Float32Array,
  ): void {
    const { dimensions: d, width: w, chunkRows } = this;
    for (let from = 0; from < rows.length; from += chunkRows) {
      const count = Math.min(chunkRows, rows.length - from);
      for (let i = 0; i < count; i++) {
        const at = (rows[from + i] as number) * d;
        this.chunk.set(data.subarray(at, at + d), i * w);
      }
      this.kernels.nearest(
        this.chunk.byteOffset,
        count,
        this.rowBytes,
        this.centroids.byteOffset,
        k,
        this.chunkLabels.byteOffset,
        this.chunkSimilarity.byteOffset,
      );
      labels.set(this.chunkLabels.subarray(0, count), from);
      similarity.set(this.chunkSimilarity.subarray(0, count), from);
    }
  }
}
