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

/** Builds word vectors from the raw bytes of the .bin file and the text of the vocabulary file. */
export function parseWordVectors(bin: Uint8Array, vocabulary: string): WordVectors {
  const decoded = decodeWordVectors(bin);
  const words = vocabulary.split('\n', decoded.count);
  if (words.length < decoded.count || words.some((w) => w === '')) {
    throw new Error('vocabulary file is shorter than the vectors');
  }
  for (let i = 1; i < words.length; i++) {
    if ((words[i - 1] ?? '') >= (words[i] ?? ''))
      throw new Error('vocabulary file is not in order');
  }
  // The vocabulary is sorted, so a word is found by binary search; a small cache keeps repeats cheap.
  const cache = new Map<string, number>();
  const lookup = (word: string): number => {
    const known = cache.get(word);
    if (known !== undefined) return known;
    let lo = 0;
    let hi = words.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const w = words[mid] ?? '';
      if (w === word) {
        found = mid;
        break;
      }
      if (w < word) lo = mid + 1;
      else hi = mid - 1;
    }
    if (cache.size < 200_000) cache.set(word, found);
    return found;
  };
  return {
    dimensions: decoded.dimensions,
    count: decoded.count,
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
