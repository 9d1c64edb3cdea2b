// Splits a comment into the clauses that can each make a point of their own, so that a response
// making two points ("Fund treatment services. Also ban adverts before 9pm") can reach two themes,
// and a stance or a sentiment can be read from the part of the comment that speaks to a theme.
//
// A clause ends at a sentence's end (. ! ? and line breaks), a semicolon or colon, and before a
// word that turns to another point or against the one before: "but", "however", "whereas",
// "although", "though", "instead", "rather than", "also", "as well as", "on the other hand". The
// turning word starts the next clause, where stance reads it ("instead of a ban" opposes a ban).
// Pieces of fewer than two words are joined to the clause before them ("No. Never." stays one).

/** Words before which a new clause starts (lower case; matched as whole words). */
const TURNS = [
  'but',
  'however',
  'whereas',
  'although',
  'though',
  'instead',
  'rather than',
  'also',
  'as well as',
  'on the other hand',
  'while',
];

const TURN = new RegExp(
  `\\s+(?=(?:${TURNS.map((t) => t.replace(/ /g, '\\s+')).join('|')})\\b)`,
  'giu',
);
const END = /(?<=[.!?;:])\s+|\s*[\r\n]+\s*/u;
const WORD = /[\p{L}\p{N}]+/gu;

/** The number of words in a piece of text. */
export function wordCount(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/** The clauses of a comment, in order, trimmed; at least one when the comment has a word. */
export function splitClauses(text: string, minWords = 2): string[] {
  const pieces: string[] = [];
  for (const sentence of text.split(END)) {
    for (const piece of sentence.split(TURN)) {
      const trimmed = piece.trim();
      if (trimmed.length > 0) pieces.push(trimmed);
    }
  }
  const clauses: string[] = [];
  for (const piece of pieces) {
    const last = clauses.length - 1;
    if (wordCount(piece) === 0) {
      if (last >= 0) clauses[last] = `${clauses[last] ?? ''} ${piece}`;
      continue;
    }
    if (last >= 0 && (wordCount(piece) < minWords || wordCount(clauses[last] ?? '') < minWords))
      clauses[last] = `${clauses[last] ?? ''} ${piece}`;
    else clauses.push(piece);
  }
  return clauses;
}
