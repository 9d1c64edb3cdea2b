// Text for the PDF's standard fonts. Helvetica is built into every PDF reader, so nothing is embedded
// or downloaded, but it covers only the Windows-1252 (WinAnsi) characters. Anything else is written
// in the nearest characters it has: arrows as words, accented letters outside the set (Welsh ŵ, ŷ)
// as their base letter, and the rest as "?", so that no character is silently printed as a blank box.

/** Characters outside Latin-1 that WinAnsi still has (as PDFKit maps them). */
const WIN_ANSI_EXTRA = new Set(
  [
    0x0152, 0x0153, 0x0160, 0x0161, 0x0178, 0x017d, 0x017e, 0x0192, 0x02c6, 0x02dc, 0x2013, 0x2014,
    0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039,
    0x203a, 0x20ac, 0x2122,
  ].map((code) => String.fromCodePoint(code)),
);

const REPLACEMENTS: Readonly<Record<string, string>> = {
  '→': '->',
  '←': '<-',
  '↑': '^',
  '↓': 'v',
  '≤': '<=',
  '≥': '>=',
  '≠': '!=',
  '−': '-',
  '‑': '-',
  '‒': '-',
  '―': '-',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2007': ' ',
  '\u2008': ' ',
  '\u2028': ' ',
  '\u2029': ' ',
  '\t': ' ',
  '\r': '',
  '′': "'",
  '″': '"',
  '✓': 'yes',
  '✔': 'yes',
  '✗': 'no',
  '×': 'x',
};

function representable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xff) ||
    WIN_ANSI_EXTRA.has(char)
  );
}

/** `text` in characters Helvetica can draw; line breaks are kept. */
export function pdfSafeText(text: string): string {
  let out = '';
  for (const char of text) {
    if (representable(char)) {
      out += char;
      continue;
    }
    const replacement = REPLACEMENTS[char];
    if (replacement !== undefined) {
      out += replacement;
      continue;
    }
    // Zero-width and joining characters carry nothing visible.
    if (/^[\u200b-\u200d\u2060\ufeff]$/.test(char) || /^\p{M}$/u.test(char)) continue;
    const base = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (base !== '' && [...base].every(representable)) out += base;
    else if (/[\p{Cc}]/u.test(char)) continue;
    else out += '?';
  }
  return out;
}
