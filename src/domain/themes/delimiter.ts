// Which character separates the columns of a comment CSV, guessed from its header line. One rule,
// so the upload's column preview and the import that stores the comments read a file alike.

/** Delimiters a comment CSV may use, in the order a tie is settled. */
const CANDIDATES = [',', ';', '\t', '|'] as const;

/** The candidate found most often in the header line; a comma when none is found. */
export function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of CANDIDATES) {
    const count = headerLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}
