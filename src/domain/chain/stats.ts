// Statistics for simulation output: Student-t confidence intervals across replications (the
// quantile found from the regularised incomplete beta function) and sample quantiles.

/** A mean over replications with its confidence interval. */
export interface Estimate {
  readonly mean: number;
  /** Half-width of the confidence interval (0 with a single replication: no interval known). */
  readonly halfWidth: number;
  readonly low: number;
  readonly high: number;
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0] ?? 0;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] ?? 0) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-14) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The t value with P(T ≤ t) = p (bisection on the CDF; plenty fast for a handful of calls). */
export function studentTQuantile(p: number, df: number): number {
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-10) break;
  }
  return (lo + hi) / 2;
}

const multipliers = new Map<string, number>();

/** The two-sided Student-t multiplier for a confidence level, memoised (series call it often). */
export function tMultiplier(confidence: number, df: number): number {
  const key = `${confidence}:${df}`;
  let t = multipliers.get(key);
  if (t === undefined) {
    t = studentTQuantile(1 - (1 - confidence) / 2, df);
    multipliers.set(key, t);
  }
  return t;
}

/** Mean and Student-t confidence interval of independent replication values. */
export function estimate(values: ArrayLike<number>, confidence = 0.95): Estimate {
  const n = values.length;
  if (n === 0)
    return { mean: Number.NaN, halfWidth: Number.NaN, low: Number.NaN, high: Number.NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] ?? 0;
  const mean = sum / n;
  if (n === 1 || !Number.isFinite(mean)) return { mean, halfWidth: 0, low: mean, high: mean };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] ?? 0) - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const halfWidth = tMultiplier(confidence, n - 1) * (sd / Math.sqrt(n));
  return { mean, halfWidth, low: mean - halfWidth, high: mean + halfWidth };
}

/** The q-quantile of sorted values (linear interpolation between order statistics). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] ?? 0;
  return a + ((sorted[hi] ?? 0) - a) * (pos - lo);
}

/**
 * Two-sided p-value of the paired t-test that the mean of `differences` is zero. Identical pairs
 * (no spread) give 1 when every difference is zero and 0 otherwise.
 */
export function pairedPValue(differences: ArrayLike<number>): number {
  const n = differences.length;
  if (n < 2) return 1;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += differences[i] ?? 0;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((differences[i] ?? 0) - mean) ** 2;
  const se = Math.sqrt(ss / (n - 1) / n);
  if (se === 0 || !Number.isFinite(se)) return mean === 0 ? 1 : 0;
  const t = Math.abs(mean / se);
  return Math.min(1, 2 * (1 - studentTCdf(t, n - 1)));
}

/** One test's result under Holm's step-down procedure. */
export interface HolmDecision {
  readonly pValue: number;
  /** Whether the null hypothesis (no difference) is rejected with the family-wise error rate ≤ α. */
  readonly rejected: boolean;
  /**
   * The significance level this test was judged at: α/(m − k + 1) for the k-th smallest p-value
   * while the procedure rejects, and the level at which it stopped for every later one. An interval
   * at confidence 1 − level agrees with the decision (excludes zero exactly when rejected).
   */
  readonly level: number;
}

/**
 * Holm–Bonferroni (Holm 1979): sort the m p-values, reject the k-th smallest while
 * p(k) ≤ α/(m − k + 1), stop at the first that is not. Controls the family-wise error rate — the
 * chance of calling any unchanged measure "moved" — at α under any dependence between the tests.
 */
export function holm(pValues: readonly number[], alpha = 0.05): HolmDecision[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const out = new Array<HolmDecision>(m);
  let stopped: number | null = null;
  order.forEach(({ p, i }, k) => {
    const level = stopped ?? alpha / (m - k);
    const rejected = stopped === null && p <= level;
    if (!rejected && stopped === null) stopped = level;
    out[i] = { pValue: p, rejected, level };
  });
  return out;
}

/** Mean and interval of independent values at an explicit confidence level (e.g. 1 − α/m). */
export function estimateAt(values: ArrayLike<number>, confidence: number): Estimate {
  return estimate(values, Math.min(1 - 1e-12, Math.max(0.5, confidence)));
}

/** Where MSER-5 truncates an output series. */
export interface Mser5Result {
  /** Observations to discard (a multiple of 5). */
  readonly truncate: number;
  /** Batches of 5 the series held. */
  readonly batches: number;
  /**
   * False when the minimum fell near the end of the range searched (past 80% of the first half):
   * the series had not settled, e.g. a backlog that keeps growing, so no steady state was found.
   */
  readonly settled: boolean;
}

/**
 * MSER-5 (White 1997; Franklin and White 2008): average the series in batches of 5, and choose the
 * truncation point d that minimises the marginal standard error of the rest,
 * MSER(d) = Σ_{j>d} (Y_j − Ȳ_d)² / (b − d)², searching the first half of the batches only (past
 * that the statistic is known to be unreliable).
 */
export function mser5(series: ArrayLike<number>): Mser5Result {
  const b = Math.floor(series.length / 5);
  if (b < 4) return { truncate: 0, batches: b, settled: true };
  const y = new Float64Array(b);
  for (let j = 0; j < b; j++) {
    let s = 0;
    for (let k = 0; k < 5; k++) s += series[j * 5 + k] ?? 0;
    y[j] = s / 5;
  }
  // Suffix sums make each MSER(d) O(1).
  const sum = new Float64Array(b + 1);
  const sq = new Float64Array(b + 1);
  for (let j = b - 1; j >= 0; j--) {
    sum[j] = (sum[j + 1] ?? 0) + (y[j] ?? 0);
    sq[j] = (sq[j + 1] ?? 0) + (y[j] ?? 0) ** 2;
  }
  const limit = Math.floor(b / 2);
  let best = 0;
  let bestValue = Infinity;
  for (let d = 0; d <= limit; d++) {
    const n = b - d;
    const mean = (sum[d] ?? 0) / n;
    const value = Math.max(0, (sq[d] ?? 0) - n * mean * mean) / (n * n);
    // Strictly smaller (beyond rounding): ties keep the earlier, shorter truncation.
    if (d === 0 || value < bestValue * (1 - 1e-12)) {
      bestValue = value;
      best = d;
    }
  }
  // A minimum near the end of the range is the statistic chasing a trend, not a warm-up: Franklin
  // and White's advice is to distrust it, so anything past 80% of the half searched counts as unsettled.
  return { truncate: best * 5, batches: b, settled: best < 0.8 * limit };
}
