import { describe, expect, it } from 'vitest';
import { analyseComment, Spellings } from './analyse.ts';
import { normaliseText, tokenise } from './tokenise.ts';

describe('normaliseText', () => {
  it('folds case, curly quotes, Unicode forms and spacing', () => {
    expect(normaliseText('  Bins\u00a0NOT  collected \u2019again\u2019 ')).toBe(
      "bins not collected 'again'",
    );
    expect(normaliseText('ﬁne')).toBe('fine');
  });
});

describe('tokenise', () => {
  it('splits words, keeping inner hyphens and expanding contractions', () => {
    expect(tokenise("I can't find the drop-off point, it's closed!")).toEqual([
      'i',
      'can',
      'not',
      'find',
      'the',
      'drop-off',
      'point',
      'it',
      'closed',
    ]);
    expect(tokenise('They don’t know; we’ve asked')).toEqual([
      'they',
      'do',
      'not',
      'know',
      'we',
      'have',
      'asked',
    ]);
  });

  it('drops web addresses and e-mail addresses but keeps numbers and accented words', () => {
    expect(tokenise('See https://council.gov.uk/bins or mail a@b.com by 10am, café')).toEqual([
      'see',
      'or',
      'mail',
      'by',
      '10am',
      'café',
    ]);
  });

  it('returns nothing for punctuation only', () => {
    expect(tokenise(' ... !!! ')).toEqual([]);
  });
});

describe('analyseComment', () => {
  it('breaks content words into runs at stop words and stems them, remembering spellings', () => {
    const spellings = new Spellings();
    const { runs } = analyseComment(
      'Confusion about the recycling rules for plastic trays',
      spellings,
    );
    expect(runs).toEqual([['confusion'], ['recycl', 'rule'], ['plastic', 'tray']]);
    expect(spellings.displayTerm('recycl rule')).toBe('recycling rules');
  });
});
