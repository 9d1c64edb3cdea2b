// How numbers read on the delivery-chain pages: one decimal for rates and hours, whole percentages,
// money without pence, and simulated values as "12.0 (11.6 to 12.4)" with their interval, so the
// same figure looks the same in a table, a chart and a sentence.
import type { Estimate } from '../../domain/chain/index.ts';

// One formatter per number of digits, made once: `toLocaleString` with options builds a new
// Intl.NumberFormat on every call, which was the chain page's costliest function of its own.
const formatters = new Map<number, Intl.NumberFormat>();
const wholeNumbers = new Intl.NumberFormat('en-GB');

export function num(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? 'unbounded' : '–';
  let format = formatters.get(digits);
  if (format === undefined) {
    format = new Intl.NumberFormat('en-GB', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(digits, format);
  }
  return format.format(x);
}

export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return `${Math.round(x * 100)}%`;
}

/** Money in the model's own currency, rounded to whole units (the file does not say which currency). */
export function money(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return wholeNumbers.format(Math.round(x));
}

/** Hours as "12.5 hours", or weeks too when long ("293.9 hours (7.8 weeks)"). */
export function hours(h: number | null | undefined, hoursPerWeek: number): string {
  if (h === null || h === undefined) return 'no steady state (the backlog grows)';
  if (!Number.isFinite(h)) return 'growing without limit';
  if (h < 1) return `${Math.round(h * 60)} minutes`;
  if (h < hoursPerWeek) return `${num(h)} hours`;
  return `${num(h)} hours (${num(h / hoursPerWeek)} weeks)`;
}

/** A simulated mean with its confidence interval. */
export function estimate(e: Estimate, digits = 1, format = (x: number) => num(x, digits)): string {
  if (!Number.isFinite(e.mean)) return '–';
  if (!Number.isFinite(e.halfWidth) || e.halfWidth === 0) return format(e.mean);
  return `${format(e.mean)} (${format(e.low)} to ${format(e.high)})`;
}

/** A relative change as "+16.2%", "−0.6%". */
export function change(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const p = Math.round(x * 1000) / 10;
  if (p === 0) return '0.0%';
  return `${p > 0 ? '+' : '−'}${Math.abs(p).toFixed(1)}%`;
}
