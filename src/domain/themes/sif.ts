// Sentence vectors by smooth inverse frequency (SIF; Arora, Liang and Ma, 2017): the average of a
// comment's word vectors, each weighted a / (a + p(word)) where p is the word's frequency in general
// English (from its GloVe rank, by Zipf's law) — never in the comments themselves, so that a word
// every resident uses ("bins" in a bins survey) still counts. The common direction shared by all
// comments is then removed.
import { firstPrincipalDirection, removeDirection } from './linalg.ts';
import type { WordVectors } from './vectors/load.ts';

export const SIF_SMOOTHING = 1e-3;

/** Per-word SIF weights, indexed like the vectors. */
export function sifWeights(vectors: WordVectors, a = SIF_SMOOTHING): Float32Array {
  // Zipf: p(rank r, 1-based) = 1 / (r · H_N), with H_N the harmonic number of the vocabulary size.
  const harmonic = Math.log(vectors.corpusVocabulary) + 0.5772;
  const weights = new Float32Array(vectors.ranks.length);
  for (let i = 0; i < weights.length; i++) {
    const p = 1 / (((vectors.ranks[i] ?? 0) + 1) * harmonic);
    weights[i] = a / (a + p);
  }
  return weights;
}

/**
 * Writes the weighted average word vector of `words` into `out` at row `row`.
 * Returns how many of the words had a vector (0: the comment has no known word).
 */
export function embedWords(
  words: readonly string[],
  vectors: WordVectors,
  weights: Float32Array,
  out: Float32Array,
  row: number,
): number {
  const d = vectors.dimensions;
  const at = row * d;
  let known = 0;
  let total = 0;
  for (const word of words) {
    const i = vectors.lookup(word);
    if (i < 0) continue;
    const w = weights[i] ?? 0;
    const from = i * d;
    for (let j = 0; j < d; j++)
      out[at + j] = (out[at + j] ?? 0) + w * (vectors.values[from + j] ?? 0);
    total += w;
    known++;
  }
  if (total > 0) for (let j = 0; j < d; j++) out[at + j] = (out[at + j] ?? 0) / total;
  return known;
}

/** Removes the first principal component, estimated on `sampleRows`, from every row. */
export function removeCommonComponent(
  matrix: Float32Array,
  d: number,
  sampleRows: readonly number[],
): void {
  removeDirection(matrix, d, firstPrincipalDirection(matrix, d, sampleRows));
}
