// Turns one comment into what the analysis needs: its words (for word vectors) and its runs of
// content-word stems (for phrases and TF-IDF), remembering how each stem was spelt so that labels
// can show real words.
import { isStopWord } from './stopwords.ts';
import { stem } from './stem.ts';
import { tokenise } from './tokenise.ts';
import type { Runs } from './phrases.ts';

export interface AnalysedComment {
  readonly words: readonly string[];
  readonly runs: Runs;
}

/** Counts of surface spellings per stem, to show "recycling" rather than "recycl". */
export class Spellings {
  private readonly counts = new Map<string, Map<string, number>>();

  add(stemmed: string, word: string, times = 1): void {
    let forms = this.counts.get(stemmed);
    if (!forms) {
      forms = new Map();
      this.counts.set(stemmed, forms);
    }
    forms.set(word, (forms.get(word) ?? 0) + times);
  }

  /** The most frequent spelling of a stem (ties: the shorter, then alphabetical). */
  display(stemmed: string): string {
    const forms = this.counts.get(stemmed);
    if (!forms) return stemmed;
    let best = stemmed;
    let bestCount = -1;
    for (const [form, count] of forms) {
      if (
        count > bestCount ||
        (count === bestCount &&
          (form.length < best.length || (form.length === best.length && form < best)))
      ) {
        best = form;
        bestCount = count;
      }
    }
    return best;
  }

  /** A term (a stem or a phrase of stems separated by spaces) in readable words. */
  displayTerm(term: string): string {
    return term
      .split(' ')
      .map((s) => this.display(s))
      .join(' ');
  }
}

const CONTENT = /\p{L}/u;

/** Tokenises a comment and splits its content words into runs broken by stop words. */
export function analyseComment(text: string, spellings?: Spellings): AnalysedComment {
  const words = tokenise(text);
  const runs: string[][] = [];
  let run: string[] = [];
  for (const word of words) {
    if (isStopWord(word) || word.length < 2 || !CONTENT.test(word)) {
      if (run.length > 0) runs.push(run);
      run = [];
      continue;
    }
    const s = stem(word);
    if (isStopWord(s)) {
      if (run.length > 0) runs.push(run);
      run = [];
      continue;
    }
    spellings?.add(s, word);
    run.push(s);
  }
  if (run.length > 0) runs.push(run);
  return { words, runs };
}
