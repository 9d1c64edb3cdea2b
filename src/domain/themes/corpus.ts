// One pass over the comments' words, for speed on large sets: each comment is tokenised once, each
// distinct word is looked up (word vector, stop word, stem) once, and comments are kept as integer
// stem ids rather than strings. It yields what analyse.ts and phrases.ts yield for one comment, for
// all of them: the SIF word-vector average, the runs of content-word stems (−1 between runs), the
// phrases found on the sample and the terms (stems and phrases) of every comment.
import { Spellings } from './analyse.ts';
import type { PhraseOptions } from './phrases.ts';
import { isStopWord } from './stopwords.ts';
import { stem } from './stem.ts';
import { tokeniseFolded } from './tokenise.ts';
import type { WordVectors } from './vectors/load.ts';

const CONTENT = /\p{L}/u;

export interface CorpusWords {
  /** Stem ids of comment k in stream[streamStart[k] … streamStart[k + 1]), −1 between runs. */
  readonly streamStart: Int32Array;
  readonly stream: Int32Array;
  /** Text of each stem id. */
  readonly stems: readonly string[];
  readonly spellings: Spellings;
  /** How many words of each comment have a word vector (0: none known). */
  readonly known: Int32Array;
  readonly totalWords: number;
  readonly knownWords: number;
}

/**
 * Tokenises every comment (given already folded by normaliseText) and writes its SIF-weighted
 * average word vector into row k of `wordView` (n × vectors.dimensions).
 */
export function readCorpus(
  folded: readonly string[],
  vectors: WordVectors,
  weights: Float32Array,
  wordView: Float32Array,
  onProgress?: (done: number) => void,
): CorpusWords {
  const n = folded.length;
  const d = vectors.dimensions;
  const values = vectors.values;
  // Per distinct word: its vector row (−1: none) and its stem id (−1: not a content word).
  const wordId = new Map<string, number>();
  const wordVector: number[] = [];
  const wordStem: number[] = [];
  const wordUses: number[] = [];
  const words: string[] = [];
  const stemId = new Map<string, number>();
  const stems: string[] = [];
  const streamStart = new Int32Array(n + 1);
  let stream = new Int32Array(Math.max(16, n * 8));
  let length = 0;
  const known = new Int32Array(n);
  let totalWords = 0;
  let knownWords = 0;
  const sum = new Float64Array(d);
  for (let k = 0; k < n; k++) {
    const tokens = tokeniseFolded(folded[k] ?? '');
    totalWords += tokens.length;
    if (length + tokens.length * 2 > stream.length) {
      const grown = new Int32Array(Math.max(stream.length * 2, length + tokens.length * 2));
      grown.set(stream.subarray(0, length));
      stream = grown;
    }
    sum.fill(0);
    let total = 0;
    let knownHere = 0;
    let breakPending = false;
    const from = length;
    for (const token of tokens) {
      let id = wordId.get(token);
      if (id === undefined) {
        id = words.length;
        wordId.set(token, id);
        words.push(token);
        wordVector.push(vectors.lookup(token));
        let s = -1;
        if (!isStopWord(token) && token.length >= 2 && CONTENT.test(token)) {
          const stemmed = stem(token);
          if (!isStopWord(stemmed)) {
            s = stemId.get(stemmed) ?? -1;
            if (s < 0) {
              s = stems.length;
              stemId.set(stemmed, s);
              stems.push(stemmed);
            }
          }
        }
        wordStem.push(s);
        wordUses.push(0);
      }
      const v = wordVector[id] as number;
      if (v >= 0) {
        const w = weights[v] as number;
        const at = v * d;
        for (let j = 0; j < d; j++) sum[j] = (sum[j] as number) + w * (values[at + j] as number);
        total += w;
        knownHere++;
      }
      const s = wordStem[id] as number;
      if (s < 0) {
        breakPending = true;
        continue;
      }
      wordUses[id] = (wordUses[id] as number) + 1;
      if (breakPending && length > from) stream[length++] = -1;
      breakPending = false;
      stream[length++] = s;
    }
    streamStart[k + 1] = length;
    known[k] = knownHere;
    knownWords += knownHere;
    if (total > 0) {
      const row = k * d;
      for (let j = 0; j < d; j++) wordView[row + j] = (sum[j] as number) / total;
    }
    if (onProgress && k % 50_000 === 49_999) onProgress(k + 1);
  }
  const spellings = new Spellings();
  for (let id = 0; id < words.length; id++) {
    const s = wordStem[id] as number;
    const uses = wordUses[id] as number;
    if (s >= 0 && uses > 0) spellings.add(stems[s] ?? '', words[id] ?? '', uses);
  }
  return {
    streamStart,
    stream: stream.subarray(0, length),
    stems,
    spellings,
    known,
    totalWords,
    knownWords,
  };
}

function npmi(joint: number, a: number, b: number, total: number): number {
  if (joint <= 0 || total <= 0) return -1;
  const pxy = joint / total;
  const pmi = Math.log(pxy / ((a / total) * (b / total)));
  return pmi / -Math.log(pxy);
}

export interface CorpusTerms {
  /** Terms of comment k in ids[start[k] … start[k + 1]): stems are 0 … S − 1, phrases S and above. */
  readonly start: Int32Array;
  readonly ids: Int32Array;
  /** Each term as stems joined by spaces ("council tax bill"). */
  readonly keys: readonly string[];
}

/**
 * Finds phrases on the sampled comments (as findPhrases in phrases.ts: adjacent pairs, then triples
 * of two overlapping pairs, by count and NPMI) and lists every comment's terms (as termsOf).
 */
export function corpusTerms(
  corpus: CorpusWords,
  sample: readonly number[],
  options: PhraseOptions,
): CorpusTerms {
  const { stream, streamStart, stems } = corpus;
  const S = stems.length;
  const unigrams = new Int32Array(S);
  const bigrams = new Map<number, number>();
  let total = 0;
  for (const k of sample) {
    const end = streamStart[k + 1] as number;
    for (let p = streamStart[k] as number; p < end; p++) {
      const a = stream[p] as number;
      if (a < 0) continue;
      unigrams[a] = (unigrams[a] as number) + 1;
      total++;
      const b = p + 1 < end ? (stream[p + 1] as number) : -1;
      if (b >= 0) {
        const key = a * S + b;
        bigrams.set(key, (bigrams.get(key) ?? 0) + 1);
      }
    }
  }
  // Accepted pairs (key → phrase index) and triples (pair index × S + third stem → phrase index).
  const pairPhrase = new Map<number, number>();
  const pairKey: number[] = [];
  const phraseKeys: string[] = [];
  for (const [key, count] of bigrams) {
    if (count < options.minCount) continue;
    const a = Math.floor(key / S);
    const b = key - a * S;
    if (npmi(count, unigrams[a] as number, unigrams[b] as number, total) < options.minNpmi)
      continue;
    pairPhrase.set(key, phraseKeys.length);
    pairKey.push(key);
    phraseKeys.push(`${stems[a] ?? ''} ${stems[b] ?? ''}`);
  }
  const tripleCounts = new Map<number, number>();
  for (const k of sample) {
    const end = streamStart[k + 1] as number;
    for (let p = streamStart[k] as number; p + 2 < end; p++) {
      const a = stream[p] as number;
      const b = stream[p + 1] as number;
      const c = stream[p + 2] as number;
      if (a < 0 || b < 0 || c < 0) continue;
      const left = pairPhrase.get(a * S + b);
      if (left === undefined || !pairPhrase.has(b * S + c)) continue;
      const key = left * S + c;
      tripleCounts.set(key, (tripleCounts.get(key) ?? 0) + 1);
    }
  }
  const triplePhrase = new Map<number, number>();
  for (const [key, count] of tripleCounts) {
    if (count < options.minCount) continue;
    const left = Math.floor(key / S);
    const c = key - left * S;
    const ab = bigrams.get(pairKey[left] ?? -1) ?? 0;
    if (npmi(count, ab, unigrams[c] as number, total) < options.minNpmi) continue;
    triplePhrase.set(key, phraseKeys.length);
    phraseKeys.push(`${phraseKeys[left] ?? ''} ${stems[c] ?? ''}`);
  }

  const n = streamStart.length - 1;
  const start = new Int32Array(n + 1);
  let ids = new Int32Array(Math.max(16, stream.length + (stream.length >> 1)));
  let length = 0;
  for (let k = 0; k < n; k++) {
    const end = streamStart[k + 1] as number;
    if (length + 2 * (end - (streamStart[k] as number)) > ids.length) {
      const grown = new Int32Array(
        Math.max(ids.length * 2, length + 2 * (end - (streamStart[k] as number))),
      );
      grown.set(ids.subarray(0, length));
      ids = grown;
    }
    for (let p = streamStart[k] as number; p < end; p++) {
      const a = stream[p] as number;
      if (a < 0) continue;
      ids[length++] = a;
      const b = p + 1 < end ? (stream[p + 1] as number) : -1;
      if (b < 0 || pairPhrase.size === 0) continue;
      const pair = pairPhrase.get(a * S + b);
      const c = p + 2 < end ? (stream[p + 2] as number) : -1;
      const triple = pair !== undefined && c >= 0 ? triplePhrase.get(pair * S + c) : undefined;
      if (triple !== undefined) ids[length++] = S + triple;
      else if (pair !== undefined) ids[length++] = S + pair;
    }
    start[k + 1] = length;
  }
  return { start, ids: ids.subarray(0, length), keys: [...stems, ...phraseKeys] };
}
