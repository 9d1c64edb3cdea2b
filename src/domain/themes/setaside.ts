// Which comments are set aside before analysis: blank ones (no letter or digit) and exact duplicates
// of an earlier comment once case, spacing and Unicode forms are folded. They keep their place in the
// results, with the reason, and are counted.
import { hash } from 'node:crypto';
import { normaliseText } from './tokenise.ts';
import type { CommentInput, NoThemeReason } from './types.ts';

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Whether a folded text (normaliseText) is blank: no letter or digit. */
function blankKey(key: string): boolean {
  return !LETTER_OR_DIGIT.test(key);
}

/** Whether a comment is blank (has no letter or digit once folded), as set aside below. */
export function isBlankComment(text: string): boolean {
  return blankKey(normaliseText(text));
}

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
    if (blankKey(key)) return 'blank';
    if (seen.has(key)) return 'duplicate';
    seen.add(key);
    folded[folded.length - 1] = key;
    return null;
  });
  return { reasons, folded };
}

/**
 * The same rules one comment at a time, for a stream of comments too large to hold: give it each
 * comment's text in input order and it answers as `setAsideReasons` would for that position. It
 * keeps a SHA-256 digest of each distinct folded text rather than the text (about 90 bytes a
 * comment, however long the comments are).
 */
export function setAsideTracker(): (text: string) => 'blank' | 'duplicate' | null {
  const seen = new Set<string>();
  return (text) => {
    const key = normaliseText(text);
    if (blankKey(key)) return 'blank';
    const digest = hash('sha256', key, 'base64');
    if (seen.has(digest)) return 'duplicate';
    seen.add(digest);
    return null;
  };
}
