// Theme labels from class-based TF-IDF (as in BERTopic): a term scores high for a theme when it is
// frequent among the theme's comments and rare across the other themes. Phrases absorb the words
// they contain, so a label reads "recycling rules — confusing", not "recycling — rules — recycling rules".

export interface TermCounts {
  /** Term → count within each theme; index = theme. */
  readonly perTheme: readonly Map<number, number>[];
  /** Term → count over all themes. */
  readonly overall: Map<number, number>;
}

export function classTfidf(
  counts: TermCounts,
  termKey: (term: number) => string,
  top: number,
): { term: number; score: number }[][] {
  const themes = counts.perTheme.length;
  let totalWords = 0;
  for (const c of counts.overall.values()) totalWords += c;
  const averageWords = totalWords / Math.max(themes, 1);
  return counts.perTheme.map((termCounts) => {
    let themeWords = 0;
    for (const c of termCounts.values()) themeWords += c;
    const scored: { term: number; score: number }[] = [];
    for (const [term, c] of termCounts) {
      if (c < 2) continue;
      const f = counts.overall.get(term) ?? c;
      scored.push({ term, score: (c / Math.max(themeWords, 1)) * Math.log(1 + averageWords / f) });
    }
    scored.sort((a, b) => b.score - a.score || a.term - b.term);
    // A phrase absorbs its words; a word already covered by a higher phrase is skipped.
    const chosen: { term: number; score: number }[] = [];
    const covered = new Set<string>();
    for (const candidate of scored) {
      if (chosen.length >= top) break;
      const key = termKey(candidate.term);
      const parts = key.split(' ');
      if (parts.length === 1 && covered.has(key)) continue;
      if (parts.length > 1) {
        // Replace words and shorter phrases already chosen that this phrase contains
        // ("form kept timing" replaces "kept timing").
        for (let i = chosen.length - 1; i >= 0; i--) {
          const entry = chosen[i];
          if (entry && ` ${key} `.includes(` ${termKey(entry.term)} `)) chosen.splice(i, 1);
        }
        if (chosen.some((c) => ` ${termKey(c.term)} `.includes(` ${key} `))) continue;
      }
      for (const p of parts) covered.add(p);
      chosen.push(candidate);
    }
    return chosen;
  });
}

/** A short readable label from the first key phrases: "recycling rules — confusing — bins". */
export function labelFrom(keyPhrases: readonly string[], parts = 3): string {
  const label = keyPhrases.slice(0, parts).join(' — ');
  return label.length > 0 ? label : 'unlabelled theme';
}
