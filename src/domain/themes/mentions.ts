// Several themes per comment, with a score each, the respondent's stance towards each (for a
// consultation question) and sentiment — computed after the themes are found, from the comments
// and each comment's primary theme, so it applies as well to a run people have edited (merged,
// split, moved) as to the engine's own.
//
// 1. Each comment is split into clauses (clauses.ts). Each clause, and each theme, is described two
//    ways, as the themes themselves are: the SIF average of the clause's general-English word
//    vectors (sif.ts) less the mean of all comments', and the TF-IDF of its content-word stems. A
//    theme's centre in each view is the unit sum of its primary members' unit vectors.
// 2. A clause's score for a theme is the mean of the two cosine similarities; a comment's score for
//    a theme is its best clause's.
// 3. A comment also mentions a theme other than its primary one when one of its clauses is closer
//    to that theme than to any other and scores at least the lowest tenth of the theme's own
//    primary members' scores, or when the comment's score for it is at least `relative` (0.9) × its
//    best score and at least the lower quartile of the members' scores — so a passing resemblance
//    does not count. At most `maxThemes` (3) themes a comment, primary first, then by score.
// 4. Stance (stance.ts) towards each theme from the clauses linked to it (those closest to it, or
//    else its best clause); sentiment (sentiment.ts) of the comment, and of each mention from the
//    same linked clauses, so "Lovely staff but the parking is awful" counts as positive for staff
//    and negative for parking.
import { splitClauses } from './clauses.ts';
import { scoreText, sentimentOf, sentimentOfScores, type SentimentLabel } from './sentiment.ts';
import { sifWeights } from './sif.ts';
import { stem } from './stem.ts';
import { isStopWord } from './stopwords.ts';
import { questionKind, stanceOf, type Stance } from './stance.ts';
import { tokenise } from './tokenise.ts';
import type { WordVectors } from './vectors/load.ts';

export interface Mention {
  readonly theme: string;
  /** Similarity of the comment's closest clause to the theme (−1 … 1, higher is closer). */
  readonly score: number;
  /** The comment's primary theme (the one it is counted in). */
  readonly primary: boolean;
  readonly sentiment: SentimentLabel;
  /** Only when a consultation question was given. */
  readonly stance?: Stance | undefined;
}

export interface CommentMentions {
  /** Primary theme first; empty for a comment with no theme ("other", blank, duplicate). */
  readonly themes: readonly Mention[];
  /** Null for a blank comment. */
  readonly sentiment: SentimentLabel | null;
}

export interface Split<K extends string> {
  readonly counts: Readonly<Record<K, number>>;
  readonly total: number;
}

export interface ThemeMentions {
  /** Comments counted in the theme (their primary theme). */
  readonly primary: number;
  /** Comments that also mention it, counted in another theme. */
  readonly also: number;
  /** Sentiment of the comments mentioning it (primary and also), from the clauses about it. */
  readonly sentiment: Split<SentimentLabel>;
  /** Stance towards it, only when a question was given. */
  readonly stance?: Split<Stance> | undefined;
}

export interface MentionsResult {
  /** One entry per comment, in input order. */
  readonly comments: readonly CommentMentions[];
  readonly themes: Readonly<Record<string, ThemeMentions>>;
  /** Sentiment of every comment that is not blank. */
  readonly sentiment: Split<SentimentLabel>;
  readonly method: {
    readonly maxThemes: number;
    readonly relative: number;
    readonly floorQuantile: number;
    readonly clauseFloorQuantile: number;
    readonly question: string | null;
  };
}

export interface MentionOptions {
  readonly maxThemes?: number | undefined;
  readonly relative?: number | undefined;
  /** A consultation question: stance is read only when one is given. */
  readonly question?: string | undefined;
  /** Only the primary theme (a baseline for the benchmark). */
  readonly singleLabel?: boolean | undefined;
  /**
   * Given themes: one text per theme (a name and description, in `themeIds` order) to describe it
   * instead of its members; each comment's primary theme is then its closest. `primary` still says
   * which comments have a theme at all (null: none).
   */
  readonly themeTexts?: readonly string[] | undefined;
}

export const SENTIMENTS: readonly SentimentLabel[] = ['positive', 'negative', 'mixed', 'neutral'];
export const STANCES: readonly Stance[] = ['supports', 'opposes', 'neutral'];

const FLOOR_QUANTILE = 0.25;
/** A theme a clause is closest to needs less: the lowest tenth of its members' scores. */
const CLAUSE_FLOOR_QUANTILE = 0.1;

function emptySplit<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return -Infinity;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(q * (values.length - 1)))] ?? -Infinity;
}

interface Piece {
  /** Word-vector view: SIF average less the mean, unnormalised (length dw). */
  readonly vector: Float32Array;
  readonly vectorNorm: number;
  /** TF-IDF view: term ids and weights (unit length). */
  readonly terms: readonly number[];
  readonly weights: readonly number[];
}

/**
 * Finds every theme each comment clearly speaks to. `texts` are the comments as analysed
 * (redacted), `primary` each one's theme id or null, `themeIds` the themes in display order.
 */
export function findMentions(
  texts: readonly string[],
  primary: readonly (string | null)[],
  themeIds: readonly string[],
  vectors: WordVectors,
  options: MentionOptions = {},
): MentionsResult {
  const maxThemes = options.singleLabel ? 1 : Math.max(1, options.maxThemes ?? 3);
  const relative = options.relative ?? 0.9;
  const question = options.question?.trim() ? options.question.trim() : null;
  const kind = question === null ? null : questionKind(question);
  const k = themeIds.length;
  const themeIndex = new Map(themeIds.map((id, t) => [id, t]));
  const dw = vectors.dimensions;
  const weights = sifWeights(vectors);

  // Words and stems of every clause, once.
  const termIds = new Map<string, number>();
  const documentFrequency: number[] = [];
  const clausesOf: string[][] = [];
  const wordsOf: string[][][] = [];
  const termsOf: number[][][] = [];
  texts.forEach((text, i) => {
    const clauses = primary[i] === null ? [] : splitClauses(text);
    clausesOf.push(clauses);
    const words = clauses.map((c) => tokenise(c));
    wordsOf.push(words);
    const seen = new Set<number>();
    const terms = words.map((ws) => {
      const ids: number[] = [];
      for (const w of ws) {
        if (w.length < 2 || isStopWord(w) || !/\p{L}/u.test(w)) continue;
        const s = stem(w);
        if (isStopWord(s)) continue;
        let id = termIds.get(s);
        if (id === undefined) {
          id = documentFrequency.length;
          termIds.set(s, id);
          documentFrequency.push(0);
        }
        if (!ids.includes(id)) ids.push(id);
        if (!seen.has(id)) {
          seen.add(id);
          documentFrequency[id] = (documentFrequency[id] ?? 0) + 1;
        }
      }
      return ids;
    });
    termsOf.push(terms);
  });
  const documents = texts.filter((_, i) => primary[i] !== null).length;
  const idf = documentFrequency.map((df) => Math.log((1 + documents) / (1 + df)) + 1);

  /** The SIF-weighted sum of some words' vectors, and the sum of their weights. */
  interface Sum {
    readonly sum: Float32Array;
    readonly total: number;
  }
  const rawSum = (words: readonly string[]): Sum => {
    const sum = new Float32Array(dw);
    let total = 0;
    for (const word of words) {
      const i = vectors.lookup(word);
      if (i < 0) continue;
      const w = (weights[i] ?? 0) * (vectors.scales[i] ?? 0);
      const from = i * dw;
      for (let j = 0; j < dw; j++)
        sum[j] = (sum[j] as number) + w * (vectors.values[from + j] as number);
      total += weights[i] ?? 0;
    }
    return { sum, total };
  };
  /** The sums of several pieces together (a whole comment from its clauses). */
  const combine = (parts: readonly Sum[]): Sum => {
    if (parts.length === 1 && parts[0]) return parts[0];
    const sum = new Float32Array(dw);
    let total = 0;
    for (const p of parts) {
      for (let j = 0; j < dw; j++) sum[j] = (sum[j] as number) + (p.sum[j] as number);
      total += p.total;
    }
    return { sum, total };
  };
  // Each clause's sum, once; each comment's from its clauses.
  const sumsOf: Sum[][] = wordsOf.map((clauses) => clauses.map(rawSum));
  const wholeSums: Sum[] = sumsOf.map(combine);
  // The mean comment vector (the direction every comment shares).
  const mean = new Float64Array(dw);
  for (const { sum, total } of wholeSums)
    if (total > 0) for (let j = 0; j < dw; j++) mean[j] = (mean[j] ?? 0) + (sum[j] ?? 0) / total;
  for (let j = 0; j < dw; j++) mean[j] = (mean[j] ?? 0) / Math.max(documents, 1);

  const piece = ({ sum, total }: Sum, terms: readonly number[]): Piece => {
    const vector = new Float32Array(dw);
    let sq = 0;
    for (let j = 0; j < dw; j++) {
      vector[j] = (total > 0 ? (sum[j] as number) / total : 0) - (mean[j] as number);
      sq += (vector[j] as number) ** 2;
    }
    const raw = terms.map((t) => idf[t] ?? 0);
    const norm = Math.sqrt(raw.reduce((s, x) => s + x * x, 0)) || 1;
    return { vector, vectorNorm: Math.sqrt(sq), terms, weights: raw.map((x) => x / norm) };
  };

  // Theme centres from their primary members.
  const centreVectors = new Float64Array(k * dw);
  const centreTerms: Map<number, number>[] = Array.from({ length: k }, () => new Map());
  const wholes: (Piece | null)[] = texts.map((_, i) => {
    const t = themeIndex.get(primary[i] ?? '');
    if (t === undefined) return null;
    const whole = piece(wholeSums[i] ?? combine([]), [...new Set(termsOf[i]?.flat() ?? [])]);
    if (whole.vectorNorm > 0)
      for (let j = 0; j < dw; j++)
        centreVectors[t * dw + j] =
          (centreVectors[t * dw + j] ?? 0) + (whole.vector[j] ?? 0) / whole.vectorNorm;
    const terms = centreTerms[t] ?? new Map<number, number>();
    whole.terms.forEach((term, p) =>
      terms.set(term, (terms.get(term) ?? 0) + (whole.weights[p] ?? 0)),
    );
    return whole;
  });
  const given = options.themeTexts;
  if (given !== undefined) {
    centreVectors.fill(0);
    given.forEach((text, t) => {
      const words = tokenise(text);
      const ids = [
        ...new Set(words.map((w) => termIds.get(stem(w))).filter((x) => x !== undefined)),
      ];
      const p = piece(rawSum(words), ids);
      const terms = new Map<number, number>();
      p.terms.forEach((term, q) => terms.set(term, p.weights[q] ?? 0));
      centreTerms[t] = terms;
      for (let j = 0; j < dw; j++) centreVectors[t * dw + j] = p.vector[j] ?? 0;
    });
  }
  for (let t = 0; t < k; t++) {
    let sq = 0;
    for (let j = 0; j < dw; j++) sq += (centreVectors[t * dw + j] ?? 0) ** 2;
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let j = 0; j < dw; j++) centreVectors[t * dw + j] = (centreVectors[t * dw + j] ?? 0) * inv;
    const terms = centreTerms[t] ?? new Map<number, number>();
    const norm = Math.sqrt([...terms.values()].reduce((s, x) => s + x * x, 0)) || 1;
    for (const [term, w] of terms) terms.set(term, w / norm);
  }
  // Each term's weight in every theme's centre, one array a term (looked up once a clause).
  const termCentres = new Map<number, Float64Array>();
  centreTerms.forEach((terms, t) => {
    for (const [term, w] of terms) {
      let row = termCentres.get(term);
      if (!row) {
        row = new Float64Array(k);
        termCentres.set(term, row);
      }
      row[t] = w;
    }
  });
  const scoresOf = (p: Piece): Float64Array => {
    const out = new Float64Array(k);
    if (p.vectorNorm > 0) {
      const v = p.vector;
      for (let t = 0; t < k; t++) {
        let dot = 0;
        const at = t * dw;
        for (let j = 0; j < dw; j++) dot += (v[j] as number) * (centreVectors[at + j] as number);
        out[t] = (0.5 * dot) / p.vectorNorm;
      }
    }
    p.terms.forEach((term, q) => {
      const row = termCentres.get(term);
      if (!row) return;
      const w = 0.5 * (p.weights[q] ?? 0);
      for (let t = 0; t < k; t++) out[t] = (out[t] as number) + w * (row[t] as number);
    });
    return out;
  };

  // Each comment's clause scores; each theme's floor from its own members.
  const clauseScores: Float64Array[][] = texts.map((_, i) => {
    if (wholes[i] === null) return [];
    const clauses = clausesOf[i] ?? [];
    if (clauses.length <= 1) return [scoresOf(wholes[i] as Piece)];
    return clauses.map((_, c) =>
      scoresOf(piece(sumsOf[i]?.[c] ?? combine([]), termsOf[i]?.[c] ?? [])),
    );
  });
  const best = (scores: readonly Float64Array[], t: number): number =>
    scores.reduce((m, s) => Math.max(m, s[t] ?? -Infinity), -Infinity);
  const primaryOf = texts.map((_, i): number | undefined => {
    const t = themeIndex.get(primary[i] ?? '');
    if (t === undefined || given === undefined) return t;
    const scores = clauseScores[i] ?? [];
    let at = 0;
    for (let u = 1; u < k; u++) if (best(scores, u) > best(scores, at)) at = u;
    return at;
  });
  const own: number[][] = Array.from({ length: k }, () => []);
  primaryOf.forEach((t, i) => {
    if (t !== undefined) own[t]?.push(best(clauseScores[i] ?? [], t));
  });
  const floor = own.map((values) => quantile(values, FLOOR_QUANTILE));
  const clauseFloor = own.map((values) => quantile(values, CLAUSE_FLOOR_QUANTILE));

  const themeTotals = themeIds.map(() => ({
    primary: 0,
    also: 0,
    sentiment: emptySplit(SENTIMENTS),
    stance: emptySplit(STANCES),
  }));
  const overall = emptySplit(SENTIMENTS);
  const comments: CommentMentions[] = texts.map((text, i) => {
    // Each clause scored once; the comment's sentiment from all, a theme's from those linked to it.
    const clauseTexts = clausesOf[i] ?? [];
    const clauseSentiment = new Map(clauseTexts.map((c) => [c, scoreText(c)]));
    const sentiment =
      text.trim() === ''
        ? null
        : clauseTexts.length > 0
          ? sentimentOfScores([...clauseSentiment.values()]).label
          : sentimentOf(text).label;
    const sentimentOfLinked = (linked: readonly string[]): SentimentLabel =>
      linked.length === 1 && linked[0] === text
        ? (sentiment ?? 'neutral')
        : sentimentOfScores(linked.map((c) => clauseSentiment.get(c) ?? scoreText(c))).label;
    if (sentiment !== null) overall[sentiment]++;
    const p = primaryOf[i];
    if (p === undefined) return { themes: [], sentiment };
    const scores = clauseScores[i] ?? [];
    const clauses = clausesOf[i] ?? [];
    // The theme each clause is closest to.
    const nearest = scores.map((s) => {
      let at = 0;
      for (let t = 1; t < k; t++) if ((s[t] ?? 0) > (s[at] ?? 0)) at = t;
      return at;
    });
    const commentScore = Array.from({ length: k }, (_, t) => best(scores, t));
    const top = Math.max(...commentScore);
    const chosen = [p];
    if (maxThemes > 1) {
      const candidates = commentScore
        .map((s, t) => ({ t, s }))
        .filter(
          ({ t, s }) =>
            t !== p &&
            ((nearest.includes(t) && s >= (clauseFloor[t] ?? Infinity)) ||
              (s >= relative * top && s >= (floor[t] ?? Infinity))),
        )
        .sort((a, b) => b.s - a.s || a.t - b.t);
      for (const { t } of candidates.slice(0, maxThemes - 1)) chosen.push(t);
    }
    const themes: Mention[] = chosen.map((t, rank) => {
      let linked = clauses.filter((_, c) => nearest[c] === t);
      if (linked.length === 0) {
        let at = 0;
        scores.forEach((s, c) => {
          if ((s[t] ?? 0) > (scores[at]?.[t] ?? 0)) at = c;
        });
        linked = clauses.length > 0 ? [clauses[Math.min(at, clauses.length - 1)] ?? text] : [text];
      }
      if (clauses.length <= 1) linked = [text];
      const mentionSentiment = sentimentOfLinked(linked);
      const stance = kind === null ? undefined : stanceOf(linked, kind);
      const totals = themeTotals[t];
      if (totals) {
        if (rank === 0) totals.primary++;
        else totals.also++;
        totals.sentiment[mentionSentiment]++;
        if (stance !== undefined) totals.stance[stance]++;
      }
      return {
        theme: themeIds[t] ?? '',
        score: Math.round((commentScore[t] ?? 0) * 1000) / 1000,
        primary: rank === 0,
        sentiment: mentionSentiment,
        ...(stance === undefined ? {} : { stance }),
      };
    });
    return { themes, sentiment };
  });
  const total = (counts: Record<string, number>): number =>
    Object.values(counts).reduce((s, x) => s + x, 0);
  return {
    comments,
    themes: Object.fromEntries(
      themeIds.map((id, t) => {
        const totals = themeTotals[t] ?? {
          primary: 0,
          also: 0,
          sentiment: emptySplit(SENTIMENTS),
          stance: emptySplit(STANCES),
        };
        return [
          id,
          {
            primary: totals.primary,
            also: totals.also,
            sentiment: { counts: totals.sentiment, total: total(totals.sentiment) },
            ...(kind === null
              ? {}
              : { stance: { counts: totals.stance, total: total(totals.stance) } }),
          },
        ];
      }),
    ),
    sentiment: { counts: overall, total: total(overall) },
    method: {
      maxThemes,
      relative,
      floorQuantile: FLOOR_QUANTILE,
      clauseFloorQuantile: CLAUSE_FLOOR_QUANTILE,
      question,
    },
  };
}
