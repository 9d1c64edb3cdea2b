// Comparison over time (issue 14, point 7): a comment set imported again later (next quarter's
// survey) is a later wave of an earlier set. Its themes are matched to the earlier wave's by the
// direction of their word-vector centres (the part of the engine's vectors that means the same in
// every run), so the earlier wave's names and edits carry over; a later theme that matches none
// becomes "new", an earlier theme that nothing matches "not found". For each theme: its share in
// each wave, the change in percentage points, a two-proportion z-test, and Holm's correction across
// all themes, so that a change is only called a change when the evidence holds for the whole list —
// a manager who takes "complaints about X grew" to a board must be able to defend it (the paper,
// section 5: "credible, evidence-based improvement options").

/** Thresholds of the comparison, each with why. */
export const WAVE_RULES = {
  /**
   * A later theme is an earlier theme when their word-vector centres are at least this similar
   * (cosine). Lower than a re-run's 0.9 (edits.ts), because a later wave has other comments and the
   * engine other clusters. Measured on two waves of 600 generated resident comments (seeds 11 and
   * 12, one with 80 library comments added): later themes on the same subject as an earlier theme
   * were 0.70–0.96 similar to it, the library themes at most 0.32 to any earlier theme.
   */
  minCentroidSimilarity: 0.7,
  /** Word-vector part of a centre: the first 100 numbers (GloVe 100-d, shared by every run). */
  wordVectorDimensions: 100,
  /** Family-wise error rate across all themes compared (Holm). */
  alpha: 0.05,
} as const;

/** An earlier wave's theme as people see it now (after their renames, merges and splits). */
export interface EarlierTheme {
  readonly key: string;
  readonly name: string;
  readonly size: number;
}

/** A theme cluster as the engine found it, with its centre: the unit of matching. */
export interface EngineTheme {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly centroid: readonly number[];
}

export interface WaveInput {
  /** Comments analysed (blank and duplicate comments excluded): the denominator of each share. */
  readonly analysed: number;
}

export interface EarlierWave extends WaveInput {
  /** The themes people see (names and edits included). */
  readonly themes: readonly EarlierTheme[];
  /** The engine's themes of the earlier run, each with the theme people see it as now. */
  readonly engineThemes: readonly (EngineTheme & { readonly finalKey: string | null })[];
}

export interface LaterWave extends WaveInput {
  readonly engineThemes: readonly EngineTheme[];
}

export type WaveVerdict = 'grew' | 'shrank' | 'no clear change' | 'new' | 'not found';

export interface ThemeChange {
  /** The earlier theme's key, or the later engine theme's id (prefixed "new:") for a new one. */
  readonly key: string;
  readonly name: string;
  readonly earlier: { readonly count: number; readonly share: number };
  readonly later: { readonly count: number; readonly share: number };
  /** Later share minus earlier share, in percentage points. */
  readonly changePoints: number;
  /** Two-sided p-value of the two-proportion z-test, before correction. */
  readonly p: number;
  /** Holm-adjusted p-value across all themes compared. */
  readonly adjustedP: number;
  /** Whether the change holds after Holm's correction (adjusted p < alpha). */
  readonly significant: boolean;
  readonly verdict: WaveVerdict;
  /** The verdict in a sentence. */
  readonly explanation: string;
  /** Ids of the later wave's engine themes counted in this theme. */
  readonly laterThemes: readonly string[];
}

export interface WaveComparison {
  readonly changes: readonly ThemeChange[];
  readonly earlierAnalysed: number;
  readonly laterAnalysed: number;
  readonly method: {
    readonly test: 'two-proportion z-test (pooled), two-sided';
    readonly correction: 'Holm';
    readonly alpha: number;
    readonly minCentroidSimilarity: number;
  };
}

/** Cosine similarity of the word-vector parts of two centres. */
export function wordVectorSimilarity(a: readonly number[], b: readonly number[]): number {
  const d = Math.min(WAVE_RULES.wordVectorDimensions, a.length, b.length);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < d; j++) {
    const x = a[j] ?? 0;
    const y = b[j] ?? 0;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** Standard normal cumulative distribution (Abramowitz and Stegun 7.1.26 via erf; |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Two-sided p-value that two proportions x1/n1 and x2/n2 differ (pooled two-proportion z-test).
 * 1 when either wave is empty or the pooled share is 0 or 1 (no variation to test).
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): number {
  if (n1 <= 0 || n2 <= 0) return 1;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return 1;
  const z = (x2 / n2 - x1 / n1) / se;
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
}

/**
 * Holm's step-down adjustment: the i-th smallest of m p-values is multiplied by (m − i), made
 * monotone and capped at 1. Controls the chance of any false "changed" across all themes, without
 * assuming the tests are independent (the shares of one wave are not).
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

const pct = (share: number): string => `${(share * 100).toFixed(1)} %`;
const points = (change: number): string =>
  `${Math.abs(change).toFixed(1)} percentage point${Math.abs(change).toFixed(1) === '1.0' ? '' : 's'}`;

/**
 * Matches the later wave's engine themes to the earlier wave's (each later theme to the most
 * similar earlier engine theme at or above the threshold, several later themes may join one earlier
 * theme), counts each earlier theme as people see it now in both waves, and tests every change.
 */
export function compareWaves(earlier: EarlierWave, later: LaterWave): WaveComparison {
  const earlierCount = new Map(earlier.themes.map((t) => [t.key, t.size]));
  const laterCount = new Map<string, number>(earlier.themes.map((t) => [t.key, 0]));
  const laterThemes = new Map<string, string[]>(earlier.themes.map((t) => [t.key, []]));
  const fresh: EngineTheme[] = [];
  for (const theme of later.engineThemes) {
    let best: { key: string; similarity: number } | undefined;
    for (const old of earlier.engineThemes) {
      if (old.finalKey === null || !earlierCount.has(old.finalKey)) continue;
      const similarity = wordVectorSimilarity(theme.centroid, old.centroid);
      if (
        similarity >= WAVE_RULES.minCentroidSimilarity &&
        (best === undefined || similarity > best.similarity)
      )
        best = { key: old.finalKey, similarity };
    }
    if (best === undefined) fresh.push(theme);
    else {
      laterCount.set(best.key, (laterCount.get(best.key) ?? 0) + theme.size);
      laterThemes.get(best.key)?.push(theme.id);
    }
  }
  const rows = [
    ...earlier.themes.map((t) => ({
      key: t.key,
      name: t.name,
      x1: t.size,
      x2: laterCount.get(t.key) ?? 0,
      laterThemes: laterThemes.get(t.key) ?? [],
      isNew: false,
    })),
    ...fresh.map((t) => ({
      key: `new:${t.id}`,
      name: t.name,
      x1: 0,
      x2: t.size,
      laterThemes: [t.id],
      isNew: true,
    })),
  ];
  const n1 = earlier.analysed;
  const n2 = later.analysed;
  const p = rows.map((r) => twoProportionTest(r.x1, n1, r.x2, n2));
  const adjusted = holmAdjust(p);
  const changes = rows.map((r, i): ThemeChange => {
    const s1 = n1 > 0 ? r.x1 / n1 : 0;
    const s2 = n2 > 0 ? r.x2 / n2 : 0;
    const changePoints = (s2 - s1) * 100;
    const adjustedP = adjusted[i] ?? 1;
    const significant = adjustedP < WAVE_RULES.alpha;
    const evidence = significant
      ? `the change holds after allowing for ${rows.length} themes compared (adjusted p ${adjustedP < 0.001 ? '< 0.001' : `= ${adjustedP.toFixed(3)}`})`
      : `a change this size could be chance once ${rows.length} themes are compared (adjusted p = ${adjustedP.toFixed(3)})`;
    let verdict: WaveVerdict;
    let explanation: string;
    if (r.isNew) {
      verdict = 'new';
      explanation = `New: no theme of the earlier wave is like it; ${pct(s2)} of the later comments. ${significant ? 'It is a real addition: ' : 'It may be small: '}${evidence}.`;
    } else if (r.x2 === 0) {
      verdict = 'not found';
      explanation = `Not found in the later wave (${pct(s1)} of the earlier comments); its comments may have joined another theme. ${significant ? 'The fall holds: ' : 'The fall may be chance: '}${evidence}.`;
    } else if (significant) {
      verdict = s2 > s1 ? 'grew' : 'shrank';
      explanation = `${verdict === 'grew' ? 'Grew' : 'Shrank'} from ${pct(s1)} to ${pct(s2)} of comments (${points(changePoints)}); ${evidence}.`;
    } else {
      verdict = 'no clear change';
      explanation = `No clear change: ${pct(s1)} then ${pct(s2)} of comments; ${evidence}.`;
    }
    return {
      key: r.key,
      name: r.name,
      earlier: { count: r.x1, share: s1 },
      later: { count: r.x2, share: s2 },
      changePoints,
      p: p[i] ?? 1,
      adjustedP,
      significant,
      verdict,
      explanation,
      laterThemes: r.laterThemes,
    };
  });
  return {
    changes: changes.sort(
      (a, b) => Math.abs(b.changePoints) - Math.abs(a.changePoints) || a.key.localeCompare(b.key),
    ),
    earlierAnalysed: n1,
    laterAnalysed: n2,
    method: {
      test: 'two-proportion z-test (pooled), two-sided',
      correction: 'Holm',
      alpha: WAVE_RULES.alpha,
      minCentroidSimilarity: WAVE_RULES.minCentroidSimilarity,
    },
  };
}

/**
 * Each of an earlier run's engine themes with the theme people see it as now: the final theme most
 * of its comments are in (a rename keeps it, a merge joins it, a split leaves it where most went).
 */
export function finalKeysOf(
  rawAssignments: readonly (string | null)[],
  finalAssignments: readonly (string | null)[],
): Map<string, string | null> {
  const tally = new Map<string, Map<string, number>>();
  rawAssignments.forEach((raw, i) => {
    const final = finalAssignments[i];
    if (raw === null || final === null || final === undefined) return;
    const counts = tally.get(raw) ?? new Map<string, number>();
    counts.set(final, (counts.get(final) ?? 0) + 1);
    tally.set(raw, counts);
  });
  const result = new Map<string, string | null>();
  for (const [raw, counts] of tally) {
    const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    result.set(raw, best?.[0] ?? null);
  }
  return result;
}
