// The binary layout of the shipped word vectors: int8 values with one scale per word, plus each
// word's general-English frequency rank. Written by scripts/build-word-vectors.ts, read by the loader.
//
// Layout (little-endian): "TLWV" | u32 version (1) | u32 words | u32 dimensions |
// f32 scale[words] | u32 rank[words] | i8 value[words × dimensions].
// A word's vector is value × scale, which keeps each vector within 0.4 % of its largest entry.

const MAGIC = 0x5657_4c54; // "TLWV" read as a little-endian u32
const VERSION = 1;
const HEADER_BYTES = 16;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

export interface EncodableVectors {
  readonly dimensions: number;
  readonly ranks: readonly number[];
  readonly vectors: readonly Float32Array[];
}

export interface DecodedVectors {
  readonly dimensions: number;
  readonly count: number;
  /** Quantised vectors, row-major: word i is values[i × dimensions …] × scales[i]. */
  readonly values: Int8Array;
  readonly scales: Float32Array;
  /** Zero-based frequency rank of each word in the general-English corpus the vectors came from. */
  readonly ranks: Uint32Array;
}

export function encodeWordVectors(input: EncodableVectors): Uint8Array {
  const { dimensions, ranks, vectors } = input;
  const count = vectors.length;
  if (ranks.length !== count) throw new Error('one rank per vector is required');
  const bytes = new Uint8Array(HEADER_BYTES + count * 8 + count * dimensions);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, count, true);
  view.setUint32(12, dimensions, true);
  const valuesAt = HEADER_BYTES + count * 8;
  for (let i = 0; i < count; i++) {
    const vector = vectors[i];
    if (!vector || vector.length !== dimensions) throw new Error(`vector ${i} has the wrong size`);
    let largest = 0;
    for (const x of vector) largest = Math.max(largest, Math.abs(x));
    const scale = largest > 0 ? largest / 127 : 1;
    view.setFloat32(HEADER_BYTES + i * 4, scale, true);
    view.setUint32(HEADER_BYTES + count * 4 + i * 4, ranks[i] ?? 0, true);
    for (let d = 0; d < dimensions; d++) {
      view.setInt8(valuesAt + i * dimensions + d, Math.round((vector[d] ?? 0) / scale));
    }
  }
  return bytes;
}

export function decodeWordVectors(bytes: Uint8Array): DecodedVectors {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < HEADER_BYTES || view.getUint32(0, true) !== MAGIC) {
    throw new Error('not a Throughline word-vector file');
  }
  if (view.getUint32(4, true) !== VERSION) throw new Error('unsupported word-vector file version');
  const count = view.getUint32(8, true);
  const dimensions = view.getUint32(12, true);
  const valuesAt = HEADER_BYTES + count * 8;
  if (bytes.byteLength !== valuesAt + count * dimensions) {
    throw new Error('word-vector file is truncated');
  }
  // Views straight onto the file's bytes where they are aligned and the machine is little-endian
  // (every current platform): no copy, no per-word decoding. Otherwise, a copy read field by field.
  const at = bytes.byteOffset + HEADER_BYTES;
  let scales: Float32Array;
  let ranks: Uint32Array;
  if (LITTLE_ENDIAN && at % 4 === 0) {
    scales = new Float32Array(bytes.buffer, at, count);
    ranks = new Uint32Array(bytes.buffer, at + count * 4, count);
  } else {
    scales = new Float32Array(count);
    ranks = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      scales[i] = view.getFloat32(HEADER_BYTES + i * 4, true);
      ranks[i] = view.getUint32(HEADER_BYTES + count * 4 + i * 4, true);
    }
  }
  // Dequantised lazily by the reader: decoding stays a few milliseconds.
  const values = new Int8Array(bytes.buffer, bytes.byteOffset + valuesAt, count * dimensions);
  return { dimensions, count, values, scales, ranks };
}
