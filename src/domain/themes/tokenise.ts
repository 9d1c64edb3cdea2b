// Normalisation and tokenisation of free-text comments: Unicode folding, lower case, contractions
// expanded ("can't" → "can not") so the words match the general-English word vectors, and words
// split on anything that is not a letter or digit (keeping inner hyphens and apostrophes).

const CONTRACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bcan't\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/\bshan't\b/g, 'shall not'],
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'ve\b/g, ' have'],
  [/'ll\b/g, ' will'],
  [/'m\b/g, ' am'],
  [/'d\b/g, ' would'],
  [/'s\b/g, ''],
];

const URL = /\b(?:https?:\/\/|www\.)\S+/g;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
const TOKEN = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;

/** Folds a comment to a canonical form: NFKC, lower case, straight quotes, single spaces. */
export function normaliseText(text: string): string {
  // Plain ASCII is already in normal form; NFKC is slow enough to matter on a million comments.
  return (/^[\x20-\x7e]*$/.test(text) ? text : text.normalize('NFKC'))
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words of a comment, in order, lower case, with contractions expanded. */
export function tokenise(text: string): string[] {
  let folded = normaliseText(text).replace(URL, ' ').replace(EMAIL, ' ');
  for (const [pattern, replacement] of CONTRACTIONS) folded = folded.replace(pattern, replacement);
  const tokens: string[] = [];
  for (const match of folded.matchAll(TOKEN)) {
    // Strip leftover apostrophes ("students'") and split numbers from units ("10am" stays whole).
    const token = match[0].replace(/'/g, '');
    if (token.length > 0) tokens.push(token);
  }
  return tokens;
}
