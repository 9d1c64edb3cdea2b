// Plain-language sentences for findings: numbers formatted the same way everywhere, and the
// bottleneck explained in the terms a service manager uses (paper section 3.2).

/** A number with a fixed count of decimals, locale-independent ("12.0"). */
export function fmt(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return x > 0 ? 'unbounded' : 'n/a';
  return x.toFixed(digits);
}

/** A share as a whole percentage ("118%"). */
export function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** A duration in hours shown in the largest sensible unit of working time. */
export function duration(hours: number, hoursPerWeek: number): string {
  if (!Number.isFinite(hours)) return 'growing without limit';
  if (hours < 1) return `${Math.round(hours * 60)} minutes`;
  if (hours < 16) return `${fmt(hours)} hours`;
  // A chain with a calendar counts calendar hours (168 a week): say days, not working weeks.
  if (hoursPerWeek === 168) return `${fmt(hours)} hours (${fmt(hours / 24)} days)`;
  const weeks = hours / hoursPerWeek;
  return `${fmt(hours)} working hours (${fmt(weeks)} weeks)`;
}

/** "1 planner" / "3 planners". */
export function count(n: number, singular: string, plural: string): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** A relative change as a signed percentage with one decimal ("+12.5%", "−3.0%"). */
export function signedChange(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '';
  const p = Math.round(x * 1000) / 10;
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${Math.abs(p).toFixed(1)}%`;
}

/** A share as a percentage with as many decimals as it needs, up to `digits` ("99.6%", "0.5%"). */
export function pctPrecise(x: number, digits = 1): string {
  const p = x * 100;
  for (let d = 0; d < digits; d++) {
    if (Math.abs(p - Number(p.toFixed(d))) < 1e-9) return `${p.toFixed(d)}%`;
  }
  return `${p.toFixed(digits)}%`;
}

/**
 * A signed number with two significant figures of the larger of itself and `scale`, so the two ends
 * of an interval read alike ("−0.012", "+0.034"); zero has no sign.
 */
export function signedSignificant(x: number, scale: number = Math.abs(x)): string {
  const size = Math.max(Math.abs(x), Math.abs(scale));
  const digits = size === 0 ? 0 : Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(size))));
  const text = Math.abs(x).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${x > 0 ? '+' : '−'}${text}`;
}
