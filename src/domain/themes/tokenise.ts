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
// The notes redaction leaves in place of personal data (redact.ts), folded: never words of a comment.
const REDACTION_NOTE = /\[(?:email|phone|postcode|ni number|card number|name) removed\]/g;
const TOKEN = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;

const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** Folds a comment to a canonical form: NFKC, lower case, straight quotes, single spaces. */
export function normaliseText(text: string): string {
  // Plain printable ASCII is already in normal form and has no curly quotes, dashes or odd spaces:
  // NFKC and those replacements are slow enough to matter on a million comments.
  if (PLAIN_ASCII.test(text)) {
    let lower = text.toLowerCase();
    if (lower.includes('`')) lower = lower.replace(/`/g, "'");
    return (lower.includes('  ') ? lower.replace(/ {2,}/g, ' ') : lower).trim();
  }
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words of a comment, in order, lower case, with contractions expanded. */
export function tokenise(text: string): string[] {
  return tokeniseFolded(normaliseText(text));
}

/** The words of a comment already folded by normaliseText (saves folding it twice). */
export function tokeniseFolded(text: string): string[] {
  let folded = text;
  // Each pattern needs a character most comments lack: test for it before running the pattern.
  if (folded.includes('http') || folded.includes('www.')) folded = folded.replace(URL, ' ');
  if (folded.includes('@')) folded = folded.replace(EMAIL, ' ');
  if (folded.includes(' removed]')) folded = folded.replace(REDACTION_NOTE, ' ');
  if (folded.includes("'")) {
    for (const [pattern, replacement] of CONTRACTIONS)
      folded = folded.replace(pattern, replacement);
  }
  const tokens: string[] = [];
  for (const match of folded.matchAll(TOKEN)) {
    // Strip leftover apostrophes ("students'") and split numbers from units ("10am" stays whole).
    const token = match[0].includes("'") ? match[0].replace(/'/g, '') : match[0];
    if (token.length > 0) tokens.push(token);
  }
  return tokens;
}
