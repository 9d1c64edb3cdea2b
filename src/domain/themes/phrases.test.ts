import { describe, expect, it } from 'vitest';
import { findPhrases, termsOf, type Runs } from './phrases.ts';

const corpus: Runs[] = [
  [['recycl', 'rul'], ['confus']],
  [['recycl', 'rul'], ['chang']],
  [['new', 'recycl', 'rul']],
  [['council', 'tax', 'bill']],
  [['council', 'tax', 'bill'], ['high']],
  [['council', 'tax', 'bill'], ['wrong']],
  [['bin'], ['collect', 'late']],
  [['bin', 'collect']],
  [['late', 'bus']],
  [['rul'], ['bin']],
  [['recycl', 'centr']],
];

describe('findPhrases', () => {
  it('accepts word pairs and triples that occur together far more than chance', () => {
    const { phrases } = findPhrases(corpus, { minCount: 3, minNpmi: 0.3 });
    expect(phrases.has('recycl rul')).toBe(true);
    expect(phrases.has('council tax')).toBe(true);
    expect(phrases.has('tax bill')).toBe(true);
    expect(phrases.has('council tax bill')).toBe(true);
  });

  it('rejects pairs seen too rarely and pairs never adjacent within a run', () => {
    const { phrases } = findPhrases(corpus, { minCount: 3, minNpmi: 0.3 });
    expect(phrases.has('bin collect')).toBe(false); // only twice
    expect(phrases.has('rul confus')).toBe(false); // a stop word stood between them
    expect(phrases.has('collect late')).toBe(false);
  });

  it('rejects frequent pairs of words that are common everywhere (low NPMI)', () => {
    const common: Runs[] = Array.from({ length: 40 }, (_, i) => [
      i % 2 ? ['servic', 'bin'] : ['bin', 'servic'],
    ]);
    const { phrases } = findPhrases(common, { minCount: 3, minNpmi: 0.9 });
    expect(phrases.size).toBe(0);
  });
});

describe('termsOf', () => {
  it('adds the longest phrase found at each word to the words themselves', () => {
    const table = findPhrases(corpus, { minCount: 3, minNpmi: 0.3 });
    expect(termsOf([['council', 'tax', 'bill'], ['high']], table)).toEqual([
      'council',
      'council tax bill',
      'tax',
      'tax bill',
      'bill',
      'high',
    ]);
  });
});
