// Plain-words formatting for the event-log pages: counts with separators, durations in the largest
// sensible unit, and shares as percentages.
import { formatDuration } from '../../domain/mining/index.ts';

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-GB');
}

/** "3.1 days", "5.2 hours", "12 minutes", "40 seconds"; "none" for 0. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds === 0) return '0 seconds';
  return formatDuration(seconds);
}

/** Shorter form for chart labels: "3.1 d", "5.2 h", "12 min", "40 s". */
export function shortDuration(seconds: number): string {
  const one = (value: number, unit: string) =>
    `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${unit}`;
  if (seconds >= 86_400) return one(seconds / 86_400, 'd');
  if (seconds >= 3600) return one(seconds / 3600, 'h');
  if (seconds >= 60) return one(seconds / 60, 'min');
  return one(seconds, 's');
}

export function percent(share: number): string {
  const p = share * 100;
  if (p === 0) return '0%';
  if (p < 0.1) return 'under 0.1%';
  return p >= 10 ? `${Math.round(p)}%` : `${Math.round(p * 10) / 10}%`;
}

export function megabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
