// A fast reader for small, well-formed CSV text held whole in memory: the common case of a comment
// file of a few thousand rows, where csv-parse's character-by-character state machine spends most
// of its time before the JIT has warmed up. It finds quotes, delimiters and line ends with the
// engine's native string search instead. It reads only what it is sure to read exactly as csv-parse
// does with the options import.ts uses (header row, the given delimiter, quote `"` escaped by
// doubling, empty lines skipped, LF or CRLF line ends); anything else (a stray quote, text after a
// closing quote, a bare CR or mixed line ends outside quotes, a row with a different number of fields, an unclosed quote) returns
// null, and the caller reads the same text with csv-parse, which gives the usual error or result.

export interface FastCsv {
  /** Header names, trimmed. */
  readonly header: readonly string[];
  /** Each data record's fields, in header order. */
  readonly records: readonly (readonly string[])[];
  /** Line of the file each record ends on (1-based, counting the header). */
  readonly lines: readonly number[];
}

/** Parses `text` as described above, or returns null when it must be left to csv-parse. */
export function parseSimpleCsv(
  text: string,
  delimiter: string,
  maxFieldLength: number,
): FastCsv | null {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n')
    return null;
  if (text.charCodeAt(0) === 0xfeff) return null;
  // The line end is the first one of the file (csv-parse detects it the same way); a header with
  // quotes, or a bare CR, is left to csv-parse.
  const firstEnd = text.search(/[\r\n]/);
  if (firstEnd >= 0 && text.lastIndexOf('"', firstEnd) >= 0) return null;
  const crlf = firstEnd >= 0 && text.charCodeAt(firstEnd) === 13;
  if (crlf && text.charCodeAt(firstEnd + 1) !== 10) return null;
  const eol = crlf ? '\r\n' : '\n';
  const eolLength = eol.length;
  const records: string[][] = [];
  const lines: number[] = [];
  let line = 1; // line of the character at `at`
  let at = 0;
  const length = text.length;
  while (at < length) {
    // An empty line is skipped.
    if (text.startsWith(eol, at)) {
      at += eolLength;
      line++;
      continue;
    }
    const fields: string[] = [];
    const recordStart = at;
    for (;;) {
      let value: string;
      if (text.charCodeAt(at) === 34) {
        // Quoted: up to a quote not followed by another; doubled quotes are one quote.
        let from = at + 1;
        let parts = '';
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote < 0) return null; // unclosed
          if (text.charCodeAt(quote + 1) === 34) {
            parts += text.slice(from, quote + 1);
            from = quote + 2;
            continue;
          }
          parts += text.slice(from, quote);
          at = quote + 1;
          break;
        }
        // Line ends inside the quotes count as lines, each CR and each LF as one (as csv-parse
        // counts them, so a CRLF inside quotes counts two).
        for (let p = 0; p < parts.length; p++) {
          const code = parts.charCodeAt(p);
          if (code === 10 || code === 13) line++;
        }
        value = parts;
      } else {
        // Unquoted: up to the delimiter or the line end; a quote inside is left to csv-parse.
        let end = text.indexOf(eol, at);
        if (end < 0) end = length;
        const next = text.indexOf(delimiter, at);
        if (next >= 0 && next < end) end = next;
        value = text.slice(at, end);
        // A quote, or a line end of the other kind, is left to csv-parse.
        if (value.includes('"') || value.includes('\r') || value.includes('\n')) return null;
        at = end;
      }
      if (value.length > maxFieldLength) return null;
      fields.push(value);
      if (at >= length) break;
      if (text.charCodeAt(at) === delimiter.charCodeAt(0)) {
        at++;
        continue;
      }
      if (text.startsWith(eol, at)) {
        at += eolLength;
        break;
      }
      return null; // text after a closing quote
    }
    if (at - recordStart > maxFieldLength) return null;
    records.push(fields);
    lines.push(line);
    line++;
  }
  const [header, ...rest] = records;
  if (header === undefined) return null;
  const names = header.map((h) => h.trim());
  if (new Set(names).size !== names.length) return null;
  if (rest.some((fields) => fields.length !== names.length)) return null;
  return { header: names, records: rest, lines: lines.slice(1) };
}
