// The statistics of a benchmark: quartiles and median of the values sharing members hold, and where
// one member stands. Percentiles use linear interpolation between closest ranks (Hyndman and Fan's
// type 7: the definition of PostgreSQL's percentile_cont, Excel's PERCENTILE.INC and R's default):
// for n sorted values and proportion p, the position h = (n − 1)·p counted from 0, and the value
// x[⌊h⌋] + (h − ⌊h⌋)·(x[⌈h⌉] − x[⌊h⌋]). The database returns only the values at those ranks (or,
// for levels 1–5, a count per level), so the statistics are exact without fetching every value.

export const QUARTILES = [0.25, 0.5, 0.75] as const;

/** The 0-based ranks a percentile p of n values needs: ⌊(n−1)p⌋ and ⌈(n−1)p⌉. */
export function ranksFor(n: number, p: number): readonly [number, number] {
  const h = (n - 1) * p;
  return [Math.floor(h), Math.ceil(h)];
}

/** Every 0-based rank the three quartiles of n values need, without repeats, in order. */
export function quartileRanks(n: number): number[] {
  if (n <= 0) return [];
  return [...new Set(QUARTILES.flatMap((p) => ranksFor(n, p)))].sort((a, b) => a - b);
}

/** The percentile p of n sorted values, given a way to read the value at a 0-based rank. */
export function percentile(n: number, p: number, at: (rank: number) => number): number {
  if (n <= 0) throw new Error('A percentile needs at least one value');
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const low = at(lo);
  return lo === hi ? low : low + (h - lo) * (at(hi) - low);
}

export interface Distribution {
  readonly count: number;
  readonly lowerQuartile: number;
  readonly median: number;
  readonly upperQuartile: number;
}

/** Quartiles from the values at the ranks `quartileRanks(n)` asks for. */
export function distributionFromRanks(
  n: number,
  valuesAtRanks: ReadonlyMap<number, number>,
): Distribution {
  const at = (rank: number) => {
    const v = valuesAtRanks.get(rank);
    if (v === undefined) throw new Error(`The value at rank ${rank} is missing`);
    return v;
  };
  return {
    count: n,
    lowerQuartile: percentile(n, 0.25, at),
    median: percentile(n, 0.5, at),
    upperQuartile: percentile(n, 0.75, at),
  };
}

/** Quartiles of integer values given as counts per value (levels 1–5 from a GROUP BY). */
export function distributionFromCounts(
  counts: ReadonlyArray<{ readonly value: number; readonly count: number }>,
): Distribution | undefined {
  const sorted = counts.filter((c) => c.count > 0).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((s, c) => s + c.count, 0);
  if (n === 0) return undefined;
  const at = (rank: number) => {
    let seen = 0;
    for (const c of sorted) {
      seen += c.count;
      if (rank < seen) return c.value;
    }
    throw new Error('rank beyond the values');
  };
  return {
    count: n,
    lowerQuartile: percentile(n, 0.25, at),
    median: percentile(n, 0.5, at),
    upperQuartile: percentile(n, 0.75, at),
  };
}

export type Quarter = 'best' | 'better-than-median' | 'at-median' | 'worse-than-median' | 'worst';

/**
 * Where a member's value stands against the quartiles, with the direction of the measure (levels
 * and costs: lower is better). Levels are whole numbers, so ties are common: a value equal to the
 * median is "at the median" (not in a quarter); one at or beyond the better quartile is in the best
 * quarter, at or beyond the worse quartile in the worst.
 */
export function quarterOf(value: number, d: Distribution, lowerIsBetter: boolean): Quarter {
  const s = lowerIsBetter ? 1 : -1;
  const v = s * value;
  const [q1, q2, q3] = lowerIsBetter
    ? [d.lowerQuartile, d.median, d.upperQuartile]
    : [-d.upperQuartile, -d.median, -d.lowerQuartile];
  if (v === q2) return 'at-median';
  if (v < q2) return v <= q1 ? 'best' : 'better-than-median';
  return v >= q3 ? 'worst' : 'worse-than-median';
}

export const QUARTER_WORDS: Readonly<Record<Quarter, string>> = {
  best: 'Among the best quarter of members',
  'better-than-median': 'Better than the median',
  'at-median': 'At the median',
  'worse-than-median': 'Worse than the median',
  worst: 'Among the worst quarter of members',
};
