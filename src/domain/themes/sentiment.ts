// Sentiment of a comment and of its clauses, from the `sentiment` package: the AFINN-165 word list
// (3,382 English words rated from −5 to +5 by Finn Årup Nielsen) shipped inside the package, with
// its negation rule (a rated word straight after "not", "don't", "never" … counts with its sign
// turned: "not helpful" is negative, "not bad" positive). Each clause (clauses.ts) is scored on its
// own — the sum of its words' ratings — so "Lovely staff but the wait was awful" is read as mixed
// rather than as a neutral sum of +3 and −3.
import Sentiment from 'sentiment';
import { splitClauses } from './clauses.ts';

export type SentimentLabel = 'positive' | 'negative' | 'mixed' | 'neutral';

export interface CommentSentiment {
  readonly label: SentimentLabel;
  /** Sum of the rated words over the whole comment (AFINN units; 0 when none is rated). */
  readonly score: number;
}

const analyser = new Sentiment();

/**
 * Ratings the AFINN list gets wrong for comments on public services: words that name a topic,
 * not a feeling ("support" services, a "ban", "care", "help" lines) or that are neutral here.
 */
const EXTRAS: Readonly<Record<string, number>> = {
  ban: 0,
  banned: 0,
  bans: 0,
  care: 0,
  help: 0,
  // Politeness asks for something; it does not praise ("Please send me a new card").
  please: 0,
  support: 0,
  supported: 0,
  protect: 0,
  protecting: 0,
  vulnerable: 0,
  addiction: 0,
  gambling: 0,
  limit: 0,
  limited: -1,
  restriction: 0,
  restrictions: 0,
  waiting: -1,
  wait: -1,
  rude: -3,
  friendly: 2,
  polite: 2,
  caring: 2,
};

/**
 * The AFINN score of one piece of text (negation applied). A question asks rather than judges, so
 * in a clause ending in "?" only the negative ratings count: "Where do I top up?" or "Can I get a
 * better rate?" is not praise, while "Why was my card declined?" or "Why is the app not good?"
 * still complains. (Seen on the banking77 requests, where "top up" scored +2 and a theme of plain
 * questions read as 73 % positive.)
 */
export function scoreText(text: string): number {
  const result = analyser.analyze(text, { extras: EXTRAS });
  if (!text.trimEnd().endsWith('?')) return result.score;
  let score = 0;
  for (const word of result.calculation)
    for (const rating of Object.values(word)) if (rating < 0) score += rating;
  return score;
}

/** Positive when every scored clause is positive, negative when every one is negative, mixed when both occur. */
export function sentimentOf(text: string): CommentSentiment {
  return sentimentOfScores(splitClauses(text).map(scoreText));
}

/** The same from the scores of a comment's clauses (scoreText of each). */
export function sentimentOfScores(scores: readonly number[]): CommentSentiment {
  let positive = false;
  let negative = false;
  let score = 0;
  for (const s of scores) {
    score += s;
    if (s > 0) positive = true;
    else if (s < 0) negative = true;
  }
  const label: SentimentLabel =
    positive && negative ? 'mixed' : positive ? 'positive' : negative ? 'negative' : 'neutral';
  return { label, score };
}
