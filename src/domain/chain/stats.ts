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
