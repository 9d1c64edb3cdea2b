// Loads the shipped general-English word vectors (GloVe 6B, 100 dimensions, the 100,000 most
// frequent words) from the files beside this module. No network: the files are in the repository.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeWordVectors } from './format.ts';

export const VECTOR_FILE_BASE = 'glove-100d-100k';

export interface WordVectors {
  readonly dimensions: number;
  /** How many words have vectors. */
  readonly count: number;
  /** Row of a word in `values` and `ranks`, or −1 when the word has no vector. */
  lookup(word: string): number;
  /** Int8 values, row-major; a word's vector is its row times its scale. */
  readonly values: Int8Array;
  readonly scales: Float32Array;
  /** Zero-based frequency rank of each word in general English (GloVe's corpus order). */
  readonly ranks: Uint32Array;
  /** Size of the full vocabulary the ranks come from, for turning a rank into a probability. */
  readonly corpusVocabulary: number;
}

let cached: WordVectors | undefined;

/** The vector of row `i`, as floats. */
export function wordVector(vectors: WordVectors, i: number): Float32Array {
  const d = vectors.dimensions;
  const scale = vectors.scales[i] ?? 0;
  return Float32Array.from(vectors.values.subarray(i * d, (i + 1) * d), (q) => q * scale);
}

/** Compares `word` with `text[from, to)` by UTF-16 code units, as `<` on strings does. */
function compareAt(word: string, text: string, from: number, to: number): number {
  const length = to - from;
  const common = Math.min(word.length, length);
  for (let j = 0; j < common; j++) {
    const diff = word.charCodeAt(j) - text.charCodeAt(from + j);
    if (diff !== 0) return diff;
  }
  return word.length - length;
}

/**
 * Builds word vectors from the raw bytes of the .bin file and the text of the vocabulary file. The
 * vocabulary stays one string: words are found by binary search over their line offsets, so loading
 * creates no string per word. `verify` checks that the vocabulary is in order (the shipped files are
 * checked by the tests, not at every load).
 */
export function parseWordVectors(bin: Uint8Array, vocabulary: string, verify = false): WordVectors {
  const decoded = decodeWordVectors(bin);
  const count = decoded.count;
  const starts = new Int32Array(count + 1);
  let at = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = at;
    const end = vocabulary.indexOf('\n', at);
    if ((end < 0 ? vocabulary.length : end) === at) {
      throw new Error('vocabulary file is shorter than the vectors');
    }
    at = end < 0 ? vocabulary.length : end + 1;
    if (end < 0 && i < count - 1) throw new Error('vocabulary file is shorter than the vectors');
  }
  starts[count] = at;
  // Line i runs from starts[i] to the character before starts[i + 1] (its newline).
  const endOf = (i: number): number => {
    const next = starts[i + 1] as number;
    return next > 0 && vocabulary.charCodeAt(next - 1) === 10 ? next - 1 : next;
  };
  if (verify) {
    for (let i = 1; i < count; i++) {
      const previous = vocabulary.slice(starts[i - 1], endOf(i - 1));
      if (compareAt(previous, vocabulary, starts[i] as number, endOf(i)) >= 0)
        throw new Error('vocabulary file is not in order');
    }
  }
  // A small cache keeps repeated words cheap.
  const cache = new Map<string, number>();
  const lookup = (word: string): number => {
    const known = cache.get(word);
    if (known !== undefined) return known;
    let lo = 0;
    let hi = count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const order = compareAt(word, vocabulary, starts[mid] as number, endOf(mid));
      if (order === 0) {
        found = mid;
        break;
      }
      if (order > 0) lo = mid + 1;
      else hi = mid - 1;
    }
    if (cache.size < 200_000) cache.set(word, found);
    return found;
  };
  return {
    dimensions: decoded.dimensions,
    count,
    lookup,
    values: decoded.values,
    scales: decoded.scales,
    ranks: decoded.ranks,
    corpusVocabulary: 400_000,
  };
}

/** The shipped word vectors, read once per process (well under 0.1 s). */
export function loadWordVectors(): WordVectors {
  if (cached) return cached;
  const bin = readFileSync(fileURLToPath(new URL(`./${VECTOR_FILE_BASE}.bin`, import.meta.url)));
  const vocabulary = readFileSync(
    fileURLToPath(new URL(`./${VECTOR_FILE_BASE}.vocab.txt`, import.meta.url)),
    'utf8',
  );
  cached = parseWordVectors(bin, vocabulary);
  return cached;
}
