// Which comments are set aside before analysis: blank ones (no letter or digit) and exact duplicates
// of an earlier comment once case, spacing and Unicode forms are folded. They keep their place in the
// results, with the reason, and are counted.
import { normaliseText } from './tokenise.ts';
import type { CommentInput, NoThemeReason } from './types.ts';

export function setAsideReasons(comments: readonly CommentInput[]): (NoThemeReason | null)[] {
  const seen = new Set<string>();
  return comments.map((comment) => {
    const key = normaliseText(comment.text);
    if (!/[\p{L}\p{N}]/u.test(key)) return 'blank';
    if (seen.has(key)) return 'duplicate';
    seen.add(key);
    return null;
  });
}
