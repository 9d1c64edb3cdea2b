import { describe, expect, it } from 'vitest';
import { analyseComment, Spellings } from './analyse.ts';
import { corpusTerms, readCorpus } from './corpus.ts';
import { findPhrases, termsOf } from './phrases.ts';
import { embedWords, sifWeights } from './sif.ts';
import { normaliseText } from './tokenise.ts';
import { loadWordVectors } from './vectors/load.ts';

const comments = [
  'Confusion about the recycling rules for plastic trays',
  'The recycling rules changed again and nobody told us',
  "New recycling rules are confusing; can't tell which bin",
  'Council tax bill is too high this year',
  'My council tax bill was wrong, twice',
  'Council tax bill arrived late',
  'Bins were collected late again',
  'Zzqx flurbo',
  'Recycling centre closed on Sunday',
  'Council tax bill council tax bill',
];

describe('readCorpus and corpusTerms (one pass over every comment)', () => {
  it('give what analyseComment, findPhrases, termsOf and embedWords give one comment at a time', () => {
    const vectors = loadWordVectors();
    const weights = sifWeights(vectors);
    const d = vectors.dimensions;
    const wordView = new Float32Array(comments.length * d);
    const corpus = readCorpus(comments.map(normaliseText), vectors, weights, wordView);
    const sample = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const options = { minCount: 3, minNpmi: 0.3 };
    const terms = corpusTerms(corpus, sample, options);

    const spellings = new Spellings();
    const analysed = comments.map((c) => analyseComment(c, spellings));
    const table = findPhrases(
      analysed.map((a) => a.runs),
      options,
    );
    const expected = new Float32Array(comments.length * d);
    analysed.forEach((a, k) => {
      const known = embedWords(a.words, vectors, weights, expected, k);
      expect(corpus.known[k]).toBe(known);
      const ids = terms.ids.subarray(terms.start[k], terms.start[k + 1]);
      expect(Array.from(ids, (t) => terms.keys[t])).toEqual(termsOf(a.runs, table));
    });
    expect(corpus.known[7]).toBe(0); // no word known
    wordView.forEach((x, j) => expect(x).toBeCloseTo(expected[j] ?? 0, 4));
    expect(terms.keys).toContain('council tax bill');
    expect(corpus.spellings.displayTerm('recycl rule')).toBe(spellings.displayTerm('recycl rule'));
  });
});
