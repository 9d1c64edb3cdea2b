// A workspace for the numeric kernels (assembly/kernels.ts): one WebAssembly memory, sized once for
// the named regions asked for, with a typed-array view of each and an instance of the kernels bound
// to it. The memory never grows, so the views stay valid for the life of the workspace, and a view's
// byteOffset is the pointer the kernels take. A workspace is garbage-collected like any object.
import { KERNELS_WASM_BASE64 } from './kernels.wasm.ts';

/** The kernels; every pointer is a byte offset into the workspace's memory (see assembly/kernels.ts). */
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
  principalDirection(
    mat: number,
    m: number,
    row: number,
    d: number,
    u: number,
    next: number,
  ): number;
  multiplyA(
    start: number,
    cols: number,
    values: number,
    n: number,
    right: number,
    l: number,
    out: number,
  ): void;
  multiplyAt(
    start: number,
    cols: number,
    values: number,
    n: number,
    left: number,
    l: number,
    out: number,
    terms: number,
  ): void;
  columnGram(matrix: number, n: number, k: number, gram: number): void;
  gramOrthonormaliser(gram: number, k: number, t: number, u: number, v: number): void;
  congruence(m: number, t: number, l: number, mt: number, out: number): void;
  tridiagonalise(v: number, d: number, e: number, n: number): void;
  tridiagonalQl(v: number, d: number, e: number, n: number): void;
  lsaLoadings(
    t: number,
    hasT: number,
    values: number,
    vectors: number,
    l: number,
    dims: number,
    mix: number,
    z: number,
    terms: number,
    loadings: number,
    row: number,
  ): void;
}

let compiled: WebAssembly.Module | undefined;

/** The kernels' compiled module, built once per process (a few kB of WebAssembly). */
function kernelModule(): WebAssembly.Module {
  if (!compiled) {
    const binary = atob(KERNELS_WASM_BASE64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

type Kind = 'f32' | 'f64' | 'i32';
/** Named regions: the kind of number and how many. */
export type Layout = Readonly<Record<string, readonly [Kind, number]>>;
type ViewOf<K extends Kind> = K extends 'f64'
  ? Float64Array
  : K extends 'i32'
    ? Int32Array
    : Float32Array;
export type Views<L extends Layout> = { readonly [N in keyof L]: ViewOf<L[N][0]> };

const PAGE = 65_536;
/** Regions start on 64-byte boundaries (a cache line; whole SIMD vectors). */
const ALIGN = 64;
const BYTES: Record<Kind, number> = { f32: 4, f64: 8, i32: 4 };

export interface Workspace<L extends Layout> {
  readonly kernels: Kernels;
  readonly views: Views<L>;
}

/** A fresh memory with the regions of `layout`, zero-filled, and the kernels bound to it. */
export function workspace<L extends Layout>(layout: L): Workspace<L> {
  const offsets: Record<string, number> = {};
  let end = 0;
  for (const [name, [kind, count]] of Object.entries(layout)) {
    offsets[name] = end;
    end += Math.ceil((Math.max(0, count) * BYTES[kind]) / ALIGN) * ALIGN;
  }
  const pages = Math.max(1, Math.ceil(end / PAGE));
  if (pages > 65_536)
    throw new RangeError(
      `the analysis needs ${Math.ceil(end / 2 ** 20)} MB of working memory, more than 4 GB`,
    );
  const memory = new WebAssembly.Memory({ initial: pages });
  const instance = new WebAssembly.Instance(kernelModule(), { env: { memory } });
  const buffer = memory.buffer;
  const views: Record<string, Float32Array | Float64Array | Int32Array> = {};
  for (const [name, [kind, count]] of Object.entries(layout)) {
    const at = offsets[name] as number;
    const length = Math.max(0, count);
    views[name] =
      kind === 'f64'
        ? new Float64Array(buffer, at, length)
        : kind === 'i32'
          ? new Int32Array(buffer, at, length)
          : new Float32Array(buffer, at, length);
  }
  return { kernels: instance.exports as unknown as Kernels, views: views as Views<L> };
}
