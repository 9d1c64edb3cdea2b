// Which comments are set aside before analysis: blank ones (no letter or digit) and exact duplicates
// of an earlier comment once case, spacing and Unicode forms are folded. They keep their place in the
// results, with the reason, and are counted.
import { normaliseText } from './tokenise.ts';
import type { CommentInput, NoThemeReason } from './types.ts';

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

export function setAsideReasons(comments: readonly CommentInput[]): (NoThemeReason | null)[] {
  return foldAndSetAside(comments).reasons;
}

/** The reasons, and each kept comment's folded text (null where set aside), folded once. */
export function foldAndSetAside(comments: readonly CommentInput[]): {
  reasons: (NoThemeReason | null)[];
  folded: (string | null)[];
} {
  const seen = new Set<string>();
  const folded: (string | null)[] = [];
  const reasons = comments.map((comment): NoThemeReason | null => {
    const key = normaliseText(comment.text);
    folded.push(null);
    if (!LETTER_OR_DIGIT.test(key)) return 'blank';
    if (seen.has(key)) return 'duplicate';
    seen.add(key);
    folded[folded.length - 1] = key;
    return null;
  });
  return { reasons, folded };
}
