// Phrase detection: pairs and triples of adjacent content words that occur together far more often
// than chance ("recycling rules", "council tax bill"), scored by normalised pointwise mutual
// information (NPMI) over the comments themselves. Phrases become terms for labels and the TF-IDF view.

export interface PhraseOptions {
  /** A phrase must occur at least this often. */
  readonly minCount: number;
  /** And score at least this NPMI (−1 … 1; 0 is chance). */
  readonly minNpmi: number;
}

export const DEFAULT_PHRASE_OPTIONS: PhraseOptions = { minCount: 3, minNpmi: 0.3 };

/** A document as runs of adjacent content-word stems: stop words and punctuation break a run. */
export type Runs = readonly (readonly string[])[];

export interface PhraseTable {
  /** Accepted phrases, keyed by their stems joined with a space. */
  readonly phrases: ReadonlyMap<string, number>;
}

function npmi(joint: number, a: number, b: number, total: number): number {
  if (joint <= 0 || total <= 0) return -1;
  const pxy = joint / total;
  const pmi = Math.log(pxy / ((a / total) * (b / total)));
  return pmi / -Math.log(pxy);
}

/** Finds the phrases of a corpus (pairs first, then triples made of two overlapping pairs). */
export function findPhrases(
  docs: readonly Runs[],
  options: PhraseOptions = DEFAULT_PHRASE_OPTIONS,
): PhraseTable {
  const unigrams = new Map<string, number>();
  const bigrams = new Map<string, number>();
  let total = 0;
  for (const runs of docs) {
    for (const run of runs) {
      for (let i = 0; i < run.length; i++) {
        const w = run[i] ?? '';
        unigrams.set(w, (unigrams.get(w) ?? 0) + 1);
        total++;
        if (i + 1 < run.length) {
          const key = `${w} ${run[i + 1] ?? ''}`;
          bigrams.set(key, (bigrams.get(key) ?? 0) + 1);
        }
      }
    }
  }
  const phrases = new Map<string, number>();
  for (const [key, count] of bigrams) {
    if (count < options.minCount) continue;
    const [a = '', b = ''] = key.split(' ');
    const score = npmi(count, unigrams.get(a) ?? 0, unigrams.get(b) ?? 0, total);
    if (score >= options.minNpmi) phrases.set(key, score);
  }
  const trigrams = new Map<string, number>();
  for (const runs of docs) {
    for (const run of runs) {
      for (let i = 0; i + 2 < run.length; i++) {
        const left = `${run[i] ?? ''} ${run[i + 1] ?? ''}`;
        const right = `${run[i + 1] ?? ''} ${run[i + 2] ?? ''}`;
        if (!phrases.has(left) || !phrases.has(right)) continue;
        const key = `${left} ${run[i + 2] ?? ''}`;
        trigrams.set(key, (trigrams.get(key) ?? 0) + 1);
      }
    }
  }
  for (const [key, count] of trigrams) {
    if (count < options.minCount) continue;
    const words = key.split(' ');
    const left = bigrams.get(`${words[0] ?? ''} ${words[1] ?? ''}`) ?? 0;
    const score = npmi(count, left, unigrams.get(words[2] ?? '') ?? 0, total);
    if (score >= options.minNpmi) phrases.set(key, score);
  }
  return { phrases };
}

/**
 * The terms of one document: every content-word stem, plus every accepted phrase found in it
 * (longest first, so a triple is not also counted as its two pairs).
 */
export function termsOf(runs: Runs, table: PhraseTable): string[] {
  const terms: string[] = [];
  for (const run of runs) {
    let i = 0;
    while (i < run.length) {
      const w = run[i] ?? '';
      terms.push(w);
      const two = i + 1 < run.length ? `${w} ${run[i + 1] ?? ''}` : undefined;
      const three =
        two !== undefined && i + 2 < run.length ? `${two} ${run[i + 2] ?? ''}` : undefined;
      if (three !== undefined && table.phrases.has(three)) {
        terms.push(three);
      } else if (two !== undefined && table.phrases.has(two)) {
        terms.push(two);
      }
      i++;
    }
  }
  return terms;
}
