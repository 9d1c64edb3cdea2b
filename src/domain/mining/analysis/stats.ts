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

/** Below this many values the built-in sort is as quick as a radix sort. */
const RADIX_MIN = 1024;

/**
 * Sorts in place, ascending, as `values.sort()` does; returns the array. Times and durations in
 * whole milliseconds (every instant the readers produce) take a least-significant-digit radix
 * sort of (value − minimum) on digits of at most 12 bits: a few linear passes instead of n log n
 * comparisons, and the same numbers back (min + (v − min) is exact below 2^53). Anything else
 * (fractions, NaN, infinities, −0, a span of 2^48 ms or more) takes the built-in sort.
 */
export function sortNumbers(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN) return values.sort();
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== Math.floor(v) || (v === 0 && 1 / v < 0)) return values.sort();
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  if (!(range < 2 ** 48) || Math.abs(min) + range >= 2 ** 53) return values.sort();
  if (range === 0) return values;
  let bits = 1;
  while (2 ** bits <= range) bits++;
  const passes = Math.ceil(bits / 12);
  const width = Math.ceil(bits / passes);
  const mask = (1 << width) - 1;
  const count = new Uint32Array(1 << width);
  if (bits <= 32) {
    let keys = new Uint32Array(n);
    let next = new Uint32Array(n);
    for (let i = 0; i < n; i++) keys[i] = (values[i] as number) - min;
    for (let pass = 0, shift = 0; pass < passes; pass++, shift += width) {
      count.fill(0);
      for (let i = 0; i < n; i++) (count[((keys[i] as number) >>> shift) & mask] as number)++;
      prefixSums(count);
      for (let i = 0; i < n; i++) {
        const k = keys[i] as number;
        next[(count[(k >>> shift) & mask] as number)++] = k;
      }
      [keys, next] = [next, keys];
    }
    for (let i = 0; i < n; i++) values[i] = (keys[i] as number) + min;
  } else {
    let keys = new Float64Array(n);
    let next = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (values[i] as number) - min;
    for (let pass = 0, scale = 1; pass < passes; pass++, scale *= 2 ** width) {
      count.fill(0);
      for (let i = 0; i < n; i++)
        (count[Math.floor((keys[i] as number) / scale) & mask] as number)++;
      prefixSums(count);
      for (let i = 0; i < n; i++) {
        const k = keys[i] as number;
        next[(count[Math.floor(k / scale) & mask] as number)++] = k;
      }
      [keys, next] = [next, keys];
    }
    for (let i = 0; i < n; i++) values[i] = (keys[i] as number) + min;
  }
  return values;
}

/** Turns counts into the start of each bucket. */
function prefixSums(count: Uint32Array): void {
  let sum = 0;
  for (let d = 0; d < count.length; d++) {
    const c = count[d] as number;
    count[d] = sum;
    sum += c;
  }
}

/** Summarises durations given in milliseconds; sorts the array in place. Output in seconds. */
export function summariseMs(values: Float64Array): DurationStats {
  const n = values.length;
  if (n === 0) return EMPTY_STATS;
  sortNumbers(values);
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
