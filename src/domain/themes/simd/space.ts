// The rows being clustered, packed into WebAssembly memory for the SIMD kernels (kernels.wat): each
// row padded with zeros to a multiple of 16 floats, so that a dot product is whole 4-lane steps.
// Beside the rows, the space holds everything the k-means loops read and write (centres, bounds,
// labels, similarities, scratch), all allocated once: the memory never grows, so the typed-array
// views below stay valid for the life of the space, and a view's byteOffset is the pointer the
// kernels take.
import { KERNELS_WASM_BASE64 } from './kernels.wasm.ts';

/** The kernels exported by kernels.wat; every pointer is a byte offset into the space's memory. */
export interface Kernels {
  dot(a: number, b: number, bytes: number): number;
  nearest(
    mat: number,
    m: number,
    row: number,
    cent: number,
    k: number,
    labels: number,
    sim: number,
  ): void;
  assign(
    mat: number,
    m: number,
    row: number,
    cent: number,
    k: number,
    bound: number,
    labels: number,
    sim: number,
  ): number;
  column(mat: number, m: number, row: number, vec: number, out: number, stride: number): void;
  similarities(
    a: number,
    idx: number,
    count: number,
    row: number,
    b: number,
    nb: number,
    out: number,
  ): void;
  accumulate(mat: number, m: number, row: number, labels: number, sums: number): void;
  addDrift(bound: number, m: number, k: number, drift: number): void;
}

/** Floats per padded row: the kernels step through 16 floats (four 4-lane vectors) at a time. */
export const LANE_GROUP = 16;

export function paddedWidth(d: number): number {
  return Math.max(LANE_GROUP, Math.ceil(d / LANE_GROUP) * LANE_GROUP);
}

let compiled: WebAssembly.Module | undefined;

/** The kernels' compiled module, built once per process (about 1 kB of WebAssembly). */
function kernelModule(): WebAssembly.Module {
  if (!compiled) {
    const binary = atob(KERNELS_WASM_BASE64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

const PAGE = 65_536;
const ALIGN = 64;

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
    const sizes = {
      matrix: m * w,
      centroids: k * w,
      spare: k * w,
      boundsA: m * k,
      boundsB: options.secondBounds ? m * k : 0,
      labels: m,
      similarity: m,
      drift: k,
      index: scored,
      scratch: scored * k,
      chunk: chunkRows * w,
      chunkLabels: chunkRows,
      chunkSimilarity: chunkRows,
    };
    const offsets = {} as Record<keyof typeof sizes, number>;
    let end = 0;
    for (const [name, floats] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      offsets[name] = end;
      end += Math.ceil((floats * 4) / ALIGN) * ALIGN;
    }
    const pages = Math.max(1, Math.ceil(end / PAGE));
    if (pages > 65_536)
      throw new RangeError(
        `clustering ${m} rows into ${k} groups needs ${Math.ceil(end / 2 ** 20)} MB, more than 4 GB`,
      );
    const memory = new WebAssembly.Memory({ initial: pages });
    const instance = new WebAssembly.Instance(kernelModule(), { env: { memory } });
    this.kernels = instance.exports as unknown as Kernels;
    const buffer = memory.buffer;
    const f32 = (name: keyof typeof sizes): Float32Array =>
      new Float32Array(buffer, offsets[name], sizes[name]);
    const i32 = (name: keyof typeof sizes): Int32Array =>
      new Int32Array(buffer, offsets[name], sizes[name]);
    this.size = m;
    this.dimensions = d;
    this.width = w;
    this.rowBytes = w * 4;
    this.maxClusters = k;
    this.matrix = f32('matrix');
    this.centroids = f32('centroids');
    this.spare = f32('spare');
    this.boundsA = f32('boundsA');
    this.boundsB = f32('boundsB');
    this.labels = i32('labels');
    this.similarity = f32('similarity');
    this.drift = f32('drift');
    this.index = i32('index');
    this.scratch = f32('scratch');
    this.chunkRows = chunkRows;
    this.chunk = f32('chunk');
    this.chunkLabels = i32('chunkLabels');
    this.chunkSimilarity = f32('chunkSimilarity');
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
