// Small statistics used across the analysis: duration summaries (mean, median, 90th percentile
// with numpy's linear interpolation, so numbers match a pandas cross-check), the coefficient of
// variation, and Spearman's rank correlation.

/** A summary of durations, in seconds. */
export interface DurationStats {
  readonly count: number;
  readonly total: number;
  readonly mean: number;
  readonly median: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
  /** Standard deviation / mean (population); 0 when the mean is 0. */
  readonly cv: number;
}

export const EMPTY_STATS: DurationStats = {
  count: 0,
  total: 0,
  mean: 0,
  median: 0,
  p90: 0,
  min: 0,
  max: 0,
  cv: 0,
};

/** Quantile q of sorted values, linear interpolation between closest ranks (numpy's default). */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (pos - lo);
}

/** Summarises durations given in milliseconds; sorts the array in place. Output in seconds. */
export function summariseMs(values: Float64Array): DurationStats {
  const n = values.length;
  if (n === 0) return EMPTY_STATS;
  values.sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((values[i] as number) - mean) ** 2;
  const sd = Math.sqrt(squares / n);
  return {
    count: n,
    total: sum / 1000,
    mean: mean / 1000,
    median: quantileSorted(values, 0.5) / 1000,
    p90: quantileSorted(values, 0.9) / 1000,
    min: (values[0] as number) / 1000,
    max: (values[n - 1] as number) / 1000,
    cv: mean > 0 ? sd / mean : 0,
  };
}

/** Ranks with ties averaged (1-based). */
function ranks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const result = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1] as number] === values[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) result[order[k] as number] = rank;
    i = j + 1;
  }
  return result;
}

/** Pearson correlation; NaN when either side has no variance. */
export function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rank correlation; NaN when either side is constant. */
export function spearman(x: Float64Array, y: Float64Array): number {
  return pearson(ranks(x), ranks(y));
}

/** Least-squares slope of y against 0, 1, 2, … */
export function slope(y: readonly number[]): number {
  const n = y.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * ((y[i] as number) - my);
    sxx += (i - mx) ** 2;
  }
  return sxy / sxx;
}

/** Rounds for output (seconds to the millisecond, shares to 4 places). */
export function round(value: number, places = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** places;
  return Math.round(value * f) / f;
}
