// The caps on what one event log may hold once read: the bytes it expands to (a few megabytes of
// gzip can inflate to gigabytes) and its events. They are checked while the file streams past, so
// a file over a cap is stopped there — never inflated or held whole — with a message naming the
// cap. The values come from the caller (the product's configuration, src/config.ts).

/** The caps a reader enforces; either may be left out (no cap). */
export interface LogLimits {
  /** Bytes the file may expand to, after gzip is undone. */
  readonly maxBytes?: number;
  /** Events (CSV data rows, XES events) the file may hold. */
  readonly maxEvents?: number;
}

/** A file over a cap: refused whole, with a message meant for the person who sent it. */
export class LogLimitError extends Error {
  override readonly name = 'LogLimitError';
  constructor(
    readonly cap: 'bytes' | 'events',
    readonly limit: number,
    message: string,
  ) {
    super(message);
  }
}

/** A size in words: "2 GB", "500 MB", "1.5 GB". */
export function sizeInWords(bytes: number): string {
  const gb = bytes / (1024 * 1024 * 1024);
  if (gb >= 1) return `${Number.isInteger(gb) ? gb : gb.toFixed(1)} GB`;
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Math.round(mb)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function tooManyBytes(limit: number): LogLimitError {
  return new LogLimitError(
    'bytes',
    limit,
    `This file expands to more than ${sizeInWords(limit)} once uncompressed, the most one upload may hold. Upload a smaller extract of the log (for example one year), or ask the people who run the service to raise the limit.`,
  );
}

export function tooManyEvents(limit: number): LogLimitError {
  return new LogLimitError(
    'events',
    limit,
    `This log has more than ${limit.toLocaleString('en-GB')} events, the most one upload may hold. Upload a smaller extract of the log (for example one year), or ask the people who run the service to raise the limit.`,
  );
}
