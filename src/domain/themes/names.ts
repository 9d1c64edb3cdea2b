// Readable theme names ("Long waits for an ambulance") and a one-sentence description, built from
// the theme's own comments (redacted: see redact.ts), with no external service.
//
// Candidates are word runs of 2–6 words taken from the comments nearest the theme's centre, within
// one clause, starting and ending on a content word (so never "on time" or "the staff were") and
// holding at least two content words. Each is scored by
//
//   coverage × typicality × length
//
// - coverage: the share of the central comments that use the run, each comment weighted by its
//   closeness to the centre (1 for the nearest, falling to 0.5 for the furthest read);
// - typicality: the mean class-based TF-IDF of the run's content words in this theme (frequent here,
//   rare in other themes), relative to the theme's most typical word;
// - length: (content words)^0.75, less 10 % for each stop word inside, so "long waits for an
//   ambulance" beats "long waits" when as many comments say it, and a rambling run cannot.
//
// The run is shown as most comments spell it, in sentence case (acronyms such as GP and NHS kept).
// Names are made distinct: a theme whose best name another, larger theme already has takes its next
// candidate with at least 60 % of the best score, and failing that adds its most distinguishing key
// phrase ("Friendly staff — reception"); names still sharing half their content words are flagged
// as near-duplicates. A theme whose central comments mostly say there is nothing to improve is named
// "Nothing to improve".
import { isStopWord } from './stopwords.ts';
import { stem } from './stem.ts';

export interface NamingInput {
  /** The theme's comments, redacted, nearest the centre first (a few dozen are enough). */
  readonly texts: readonly string[];
  /** The theme's key phrases (class-based TF-IDF), most typical first. */
  readonly keyPhrases: readonly string[];
  /** How typical a word is of this theme (class-based TF-IDF of its stem; 0 if unknown). */
  readonly weight: (word: string) => number;
}

export interface ThemeName {
  readonly name: string;
  readonly description: string;
  /** Index of an earlier theme whose name is nearly the same, or null. */
  readonly similarTo: number | null;
}

export const NOTHING_TO_IMPROVE = 'Nothing to improve';

const NOTE = /\[(?:email|phone|postcode|NI number|card number|name) removed\]/gi;
const HAS_NOTE = /\[(?:email|phone|postcode|NI number|card number|name) removed\]/i;
const CLAUSE = /[.!?;:,()[\]{}"“”|/\n\r\t…]+|\s[-–—]+\s|\bbut\b|\band\b|\bbecause\b/giu;
const TOKEN = /[\p{L}\p{N}]+(?:['’&-][\p{L}\p{N}]+)*/gu;
const NOTHING_START =
  /^\W*(?:(?:i )?(?:can'?t|cannot|could ?n[o']t) think of anything|no (?:complaints|improvements?|issues|problems|suggestions)\b|nothing\b(?! (?:was|is|has|had|got|gets|ever|happened|done|seems)\b)|n\/a\b)/i;
const NOTHING =
  /^\W*(?:(?:no(?:thing)?|none)(?: at all| really| else| thanks?(?: you)?| comments?| improvements?| complaints?| to (?:add|say|improve|change)| i can think of)*|n\/?a|nil|not really|not applicable|all (?:good|fine|great)|everything (?:was |is )?(?:fine|good|great|perfect)|can'?t think of anything|cannot think of anything|nothing (?:could|can|needs to) be (?:improved|better)|keep (?:it )?up the good work)\W*$/i;
const MAX_TEXTS = 40;
const MAX_NAME_WORDS = 6;
/** Words of each comment read for names: the opening of a long comment says what it is about. */
const MAX_WORDS_PER_TEXT = 40;
/** Candidates kept per theme, best first (a name clash looks no further). */
const MAX_CANDIDATES = 30;

interface Candidate {
  readonly key: string;
  /** Content-word stems, for comparing names. */
  readonly stems: readonly string[];
  readonly score: number;
  readonly surface: string;
}

const foldWord = (word: string): string => word.toLowerCase().replace(/['’]/g, '');

/** Words that may open a name though they are stop words: "More activities", "Not enough staff". */
const OPENERS = new Set(['more', 'less', 'fewer', 'no', 'not', 'too', 'lack']);
/** Particles that may close one: "Looked after", "Followed up". */
const CLOSERS = new Set(['after', 'up', 'out']);

function isContent(lower: string): boolean {
  if (lower.length < 2 || isStopWord(lower) || !/\p{L}/u.test(lower)) return false;
  // A data set's own anonymisation marks ("XXXX") are not words.
  if (/^x{2,}$/.test(lower)) return false;
  return !isStopWord(stem(lower));
}

/** Whether a comment says there is nothing to improve or add ("Nothing", "n/a", "All good"). */
export function isNothingComment(text: string): boolean {
  const trimmed = text.trim().replace(/[’]/g, "'");
  return NOTHING.test(trimmed) || NOTHING_START.test(trimmed);
}

/** A phrase in sentence case: lower case but for "I" and words the comments write in capitals. */
function sentenceCase(
  words: readonly string[],
  capitals: ReadonlySet<string>,
  titles: ReadonlySet<string> = new Set(),
): string {
  const out = words.map((w) => {
    const lower = w.toLowerCase();
    if (lower === 'i') return 'I';
    if (capitals.has(lower)) return w.toUpperCase();
    return titles.has(lower) ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower;
  });
  const text = out.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The candidate names of one theme, best first. */
function candidates(input: NamingInput): Candidate[] {
  const texts = input.texts.slice(0, MAX_TEXTS);
  const found = new Map<
    string,
    { weight: number; forms: Map<string, number>; content: string[]; stops: number }
  >();
  const capitalCount = new Map<string, number>();
  const contentCache = new Map<string, boolean>();
  const titleCount = new Map<string, number>();
  const wordCount = new Map<string, number>();
  let totalWeight = 0;
  texts.forEach((text, rank) => {
    const closeness = 1 - (0.5 * rank) / Math.max(texts.length, 1);
    totalWeight += closeness;
    const seen = new Set<string>();
    let budget = MAX_WORDS_PER_TEXT;
    for (const clause of text.replace(NOTE, '|').split(CLAUSE)) {
      if (budget <= 0) break;
      const words = [...clause.matchAll(TOKEN)].slice(0, budget).map((m) => m[0]);
      budget -= words.length;
      const lowers = words.map(foldWord);
      const content = lowers.map((lower) => {
        let known = contentCache.get(lower);
        if (known === undefined) {
          known = isContent(lower);
          contentCache.set(lower, known);
        }
        return known;
      });
      words.forEach((w, i) => {
        const lower = lowers[i] ?? '';
        wordCount.set(lower, (wordCount.get(lower) ?? 0) + 1);
        if (w.length >= 2 && w.length <= 5 && w === w.toUpperCase() && /\p{L}/u.test(w))
          capitalCount.set(lower, (capitalCount.get(lower) ?? 0) + 1);
      });
      for (let i = 0; i < words.length; i++) {
        const opener = OPENERS.has(lowers[i] ?? '');
        if (!content[i] && !opener) continue;
        let contentWords = content[i] ? 1 : 0;
        let key = '';
        let form = '';
        for (let j = i; j < Math.min(words.length, i + MAX_NAME_WORDS); j++) {
          // The run so far, built a word at a time.
          key = j === i ? (lowers[j] ?? '') : `${key} ${lowers[j] ?? ''}`;
          form = j === i ? (words[j] ?? '') : `${form} ${words[j] ?? ''}`;
          if (j > i && content[j]) contentWords++;
          const closes = j > i && CLOSERS.has(lowers[j] ?? '') && content[j - 1];
          if (!(content[j] || closes) || contentWords === 0) continue;
          if (j === i && opener) continue;
          if (seen.has(key)) continue;
          seen.add(key);
          let entry = found.get(key);
          if (!entry) {
            entry = {
              weight: 0,
              forms: new Map(),
              content: lowers.slice(i, j + 1).filter((_, k) => content[i + k]),
              stops: j + 1 - i - contentWords - (opener ? 1 : 0) - (closes ? 1 : 0),
            };
            found.set(key, entry);
          }
          entry.weight += closeness;
          entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1);
        }
        const w = words[i] ?? '';
        if (i > 0 && /^\p{Lu}\p{Ll}/u.test(w))
          titleCount.set(lowers[i] ?? '', (titleCount.get(lowers[i] ?? '') ?? 0) + 1);
      }
    }
  });
  // Words written in capitals in at least half their uses (GP, NHS) keep them.
  const capitals = new Set(
    [...capitalCount].filter(([w, c]) => c * 2 >= (wordCount.get(w) ?? 1)).map(([w]) => w),
  );
  // Words written with a capital inside sentences in most of their uses (Nottingham) keep it.
  const titles = new Set(
    [...titleCount].filter(([w, c]) => c * 2 >= (wordCount.get(w) ?? 1)).map(([w]) => w),
  );
  let maxWeight = 0;
  const weights = new Map<string, number>();
  for (const entry of found.values())
    for (const w of entry.content) {
      if (weights.has(w)) continue;
      const value = Math.max(0, input.weight(w));
      weights.set(w, value);
      maxWeight = Math.max(maxWeight, value);
    }
  const minSupport = texts.length >= 4 ? 2 : 1;
  const scored: { key: string; score: number; forms: Map<string, number>; content: string[] }[] =
    [];
  for (const [key, entry] of found) {
    let support = 0;
    for (const c of entry.forms.values()) support += c;
    if (support < minSupport) continue;
    const typical =
      entry.content.reduce((s, w) => s + (weights.get(w) ?? 0), 0) /
      entry.content.length /
      Math.max(maxWeight, 1e-12);
    const length = entry.content.length ** 0.75 * 0.9 ** Math.max(entry.stops, 0);
    const score = (entry.weight / Math.max(totalWeight, 1e-12)) * typical * length;
    if (score > 0) scored.push({ key, score, forms: entry.forms, content: entry.content });
  }
  scored.sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
  // A single word only when no run of two words or more is shared by the comments.
  const phrases = scored.filter((c) => c.key.includes(' '));
  // Only the best few are ever used: spell them out (stems, the comments' own spelling) alone.
  return (phrases.length > 0 ? phrases : scored).slice(0, MAX_CANDIDATES).map((c) => {
    let surface = c.key;
    let best = -1;
    for (const [form, count] of c.forms) if (count > best) [surface, best] = [form, count];
    return {
      key: c.key,
      stems: c.content.map(stem),
      score: c.score,
      surface: sentenceCase(surface.split(' '), capitals, titles),
    };
  });
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let common = 0;
  for (const x of sa) if (sb.has(x)) common++;
  const union = sa.size + sb.size - common;
  return union === 0 ? 0 : common / union;
}

const phraseStems = (phrase: string): string[] =>
  [...phrase.matchAll(TOKEN)]
    .map((m) => foldWord(m[0]))
    .filter(isContent)
    .map(stem);

/**
 * A short quote for a description: the first central comment of 3 words or more that uses the
 * name's words (else the first of 3 words or more), cut at a word.
 */
function shortQuote(texts: readonly string[], name: string): string | undefined {
  const phrase = name.toLowerCase().split(' — ')[0] ?? '';
  const long = texts.filter((t) => t.trim().split(/\s+/).length >= 3 && !HAS_NOTE.test(t));
  const text =
    long.find((t) => t.toLowerCase().replace(/\s+/g, ' ').includes(phrase)) ?? long[0] ?? texts[0];
  if (text === undefined) return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= 90) return flat;
  const cut = flat.slice(0, 90);
  const space = cut.lastIndexOf(' ');
  return `${(space > 40 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

/** Names and descriptions of a run's themes, given largest first. */
export function nameThemes(inputs: readonly NamingInput[]): ThemeName[] {
  const taken: { lower: string; stems: readonly string[] }[] = [];
  return inputs.map((input) => {
    const central = input.texts.slice(0, 20);
    const nothing =
      central.length > 0 &&
      central.filter(isNothingComment).length * 2 > central.length &&
      input.texts.length > 0;
    const ranked = nothing
      ? [
          {
            key: 'nothing to improve',
            stems: ['nothing', 'improv'],
            score: 1,
            surface: NOTHING_TO_IMPROVE,
          },
        ]
      : candidates(input);
    const fallback = input.keyPhrases.slice(0, 1).filter((p) => p.length > 0);
    if (ranked.length === 0 && fallback.length > 0) {
      const words = fallback.join(' ').split(' ');
      ranked.push({
        key: words.join(' ').toLowerCase(),
        stems: fallback.flatMap(phraseStems),
        score: 1,
        surface: sentenceCase(words, new Set()),
      });
    }
    const clash = (c: { surface: string; stems: readonly string[] }): boolean =>
      taken.some(
        (t) =>
          t.lower === c.surface.toLowerCase() ||
          (c.stems.length > 0 && jaccard(t.stems, c.stems) === 1),
      );
    const best = ranked[0];
    let chosen = best && !clash(best) ? best : undefined;
    if (!chosen && best && !nothing)
      chosen = ranked.find((c) => c.score >= 0.6 * best.score && !clash(c));
    let name = chosen?.surface ?? best?.surface ?? 'Unnamed theme';
    let stems = chosen?.stems ?? best?.stems ?? [];
    if (!chosen) {
      // Add the most distinguishing key phrase not already in the name.
      for (const phrase of input.keyPhrases) {
        const extra = phraseStems(phrase);
        if (extra.length === 0 || extra.every((s) => stems.includes(s))) continue;
        const candidate = {
          surface: `${name} — ${phrase.toLowerCase()}`,
          stems: [...stems, ...extra],
        };
        if (!clash(candidate)) {
          name = candidate.surface;
          stems = candidate.stems;
          break;
        }
      }
      // Still taken (no key phrase tells them apart): the first words of its most central comment.
      const opening = (input.texts[0] ?? '').replace(NOTE, ' ').split(/\s+/).slice(0, 5).join(' ');
      if (clash({ surface: name, stems: [] }) && opening.trim().length > 0)
        name = `${name} — “${opening.trim()}…”`;
    }
    let similarTo: number | null = null;
    taken.forEach((t, i) => {
      if (similarTo === null && stems.length > 0 && jaccard(t.stems, stems) >= 0.5) similarTo = i;
    });
    if (similarTo === null && nothing)
      similarTo = taken.findIndex((t) => t.lower.startsWith(NOTHING_TO_IMPROVE.toLowerCase()));
    if (similarTo === -1) similarTo = null;
    taken.push({ lower: name.toLowerCase(), stems });
    const quote = shortQuote(input.texts, name);
    const nameStems = new Set(stems);
    const mentions = input.keyPhrases
      .filter((p) => !phraseStems(p).every((s) => nameStems.has(s)))
      .slice(0, 3);
    const about = nothing
      ? 'Comments saying there is nothing to improve or add'
      : mentions.length > 0
        ? `Comments often mention ${list(mentions)}`
        : `Comments about ${name.charAt(0).toLowerCase()}${name.slice(1)}`;
    const description = quote
      ? `${about}, as in “${quote}”${/[.!?…]$/.test(quote) ? '' : '.'}`
      : `${about}.`;
    return { name, description, similarTo };
  });
}
