// Stance of a consultation response towards one of its themes: supports, opposes or neutral, read
// from the clause(s) of the response that speak to the theme (mentions.ts links them).
//
// The method, in order (the first rule that applies decides):
// 1. A clause that starts by turning away — "instead of …", "rather than …" — opposes what it names.
// 2. Words of opposition ("oppose", "am against", "disagree", "object", "reject", "unfair",
//    "unnecessary", "waste of", "no need for", "scrap", "stop") oppose; a negated word of support
//    ("do not support", "don't agree", "shouldn't", "must not", "not a good idea") opposes too.
// 3. Words of support ("support", "agree", "favour", "welcome", "should", "must", "need to",
//    "require", "would help", "good idea") support, unless negated (rule 2).
// 4. Otherwise it depends on the question. An open question that asks for proposals ("What …
//    could be used", "How …", "Which …", "suggest", "ideas") is answered by proposing: a clause that
//    is not negated supports what it proposes. A question asking for agreement ("Do you agree …",
//    "Should …") is answered by the clause's sentiment: clearly positive (AFINN ≥ 2) supports,
//    clearly negative (≤ −2) opposes, anything else is neutral.
// Negation is a "not", "no", "never" or "n't" within the three words before the cue.
import { scoreText } from './sentiment.ts';
import { tokenise } from './tokenise.ts';

export type Stance = 'supports' | 'opposes' | 'neutral';

export type QuestionKind = 'proposals' | 'agreement';

const TURN_AWAY = /^\s*(?:but\s+)?(?:instead\s+of|rather\s+than)\b/iu;

const OPPOSE = new Set([
  'oppose',
  'opposed',
  'opposes',
  'opposing',
  'disagree',
  'disagrees',
  'object',
  'objection',
  'reject',
  'rejected',
  'unfair',
  'unnecessary',
  'pointless',
  'scrap',
  'overreach',
  'unworkable',
  'counterproductive',
]);
const OPPOSE_PHRASES = [
  /\b(?:am|are|is|be|strongly|firmly|completely|totally|vote|voted|very much) against\b/u,
  /^against\b/u,
  /\bwaste of\b/u,
  /\bno need (?:for|to)\b/u,
  /\bgo(?:es)? too far\b/u,
  /\bnanny state\b/u,
];

const SUPPORT = new Set([
  'support',
  'supports',
  'supported',
  'agree',
  'agrees',
  'favour',
  'favor',
  'welcome',
  'should',
  'must',
  'require',
  'required',
  'requiring',
  'mandatory',
  'essential',
  'vital',
  'important',
  'needed',
  'recommend',
  'encourage',
  'introduce',
  'ensure',
  'would',
  'yes',
]);
const SUPPORT_PHRASES = [/\bneeds? to\b/u, /\bgood idea\b/u, /\bin favour\b/u, /\bwould help\b/u];

const NEGATORS = new Set(['not', 'no', 'never', 'nor', 'neither', 'without', 'hardly']);

/** Whether the question asks for proposals (open) or for agreement with one (closed). */
export function questionKind(question: string): QuestionKind {
  const q = question.trim().toLowerCase();
  if (/^(?:do|does|did|should|would|will|is|are|was|can|could|to what extent)\b/u.test(q))
    return /\b(?:what|which|how)\b.*\b(?:could|would|should|can)\b.*\b(?:used|done|approach|approaches|ideas?|ways?)\b/u.test(
      q,
    )
      ? 'proposals'
      : 'agreement';
  if (/\b(?:agree|disagree|support|oppose)\b/u.test(q)) return 'agreement';
  return 'proposals';
}

function negatedAt(words: readonly string[], at: number): boolean {
  for (let j = Math.max(0, at - 3); j < at; j++) if (NEGATORS.has(words[j] ?? '')) return true;
  return false;
}

/** The stance of one clause towards what it speaks about. */
export function clauseStance(clause: string, kind: QuestionKind): Stance {
  if (TURN_AWAY.test(clause)) return 'opposes';
  const words = tokenise(clause);
  const folded = words.join(' ');
  let support = false;
  let negated = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (OPPOSE.has(word)) {
      if (negatedAt(words, i)) support = true;
      else return 'opposes';
    }
    if (SUPPORT.has(word)) {
      if (negatedAt(words, i) || NEGATORS.has(words[i + 1] ?? '')) return 'opposes';
      support = true;
    }
    if (NEGATORS.has(word)) negated = true;
  }
  if (OPPOSE_PHRASES.some((p) => p.test(folded))) return 'opposes';
  if (SUPPORT_PHRASES.some((p) => p.test(folded))) {
    const at = SUPPORT_PHRASES.map((p) => folded.search(p)).find((i) => i >= 0) ?? 0;
    const before = folded.slice(0, at).split(' ').filter(Boolean);
    return negatedAt(before, before.length) ? 'opposes' : 'supports';
  }
  if (support) return 'supports';
  if (kind === 'proposals') {
    // "No odds, no offers" in a proposal restricts something: it still proposes. A clause that
    // opens with a negation ("Not more warnings") turns the proposal down.
    return /^\s*(?:not|never|don't|do not|no more)\b/iu.test(clause) ? 'opposes' : 'supports';
  }
  const score = scoreText(clause);
  if (negated && score === 0) return 'neutral';
  return score >= 2 ? 'supports' : score <= -2 ? 'opposes' : 'neutral';
}

/**
 * The stance of a response towards a theme from the clauses that speak to it: opposing wins when
 * any of them opposes and none supports; supports when any supports; else neutral.
 */
export function stanceOf(clauses: readonly string[], kind: QuestionKind): Stance {
  const stances = clauses.map((c) => clauseStance(c, kind));
  const supports = stances.includes('supports');
  const opposes = stances.includes('opposes');
  if (opposes && !supports) return 'opposes';
  if (supports) return 'supports';
  return 'neutral';
}
