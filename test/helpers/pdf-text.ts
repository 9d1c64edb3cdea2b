// Reads the text back out of a PDF that PDFKit wrote with the standard fonts, so that tests can check
// what a generated report says. Not a general PDF parser: it inflates the content streams
// (FlateDecode or none) and decodes the hex strings of the TJ/Tj text operators as WinAnsi.
import { inflateSync } from 'node:zlib';

/** Windows-1252 bytes 0x80–0x9f that differ from Latin-1. */
const WIN_ANSI_HIGH: Readonly<Record<number, string>> = {
  0x80: '€',
  0x82: '‚',
  0x83: 'ƒ',
  0x84: '„',
  0x85: '…',
  0x86: '†',
  0x87: '‡',
  0x88: 'ˆ',
  0x89: '‰',
  0x8a: 'Š',
  0x8b: '‹',
  0x8c: 'Œ',
  0x8e: 'Ž',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x98: '˜',
  0x99: '™',
  0x9a: 'š',
  0x9b: '›',
  0x9c: 'œ',
  0x9e: 'ž',
  0x9f: 'Ÿ',
};

function decodeHex(hex: string): string {
  let out = '';
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const byte = parseInt(hex.slice(i, i + 2), 16);
    out += WIN_ANSI_HIGH[byte] ?? String.fromCharCode(byte);
  }
  return out;
}

/** The content streams of the document, inflated where compressed. */
export function pdfStreams(pdf: Buffer): string[] {
  const streams: string[] = [];
  const raw = pdf.toString('latin1');
  const pattern = /<<((?:(?!>>\s*stream)[\s\S])*)>>\s*stream\r?\n/g;
  for (let match = pattern.exec(raw); match; match = pattern.exec(raw)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    const bytes = pdf.subarray(start, end);
    const dictionary = match[1] ?? '';
    if (/\/FlateDecode/.test(dictionary)) {
      try {
        streams.push(inflateSync(bytes).toString('latin1'));
      } catch {
        // Not a content stream we can read (an image, say): skip it.
      }
    } else if (!/\/Filter/.test(dictionary)) {
      streams.push(bytes.toString('latin1'));
    }
    pattern.lastIndex = end;
  }
  return streams;
}

/** Every piece of text drawn, one entry per text operator (usually one line), in drawing order. */
export function pdfTextLines(pdf: Buffer): string[] {
  const lines: string[] = [];
  for (const stream of pdfStreams(pdf)) {
    const operators = /\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g;
    for (let match = operators.exec(stream); match; match = operators.exec(stream)) {
      const pieces = match[1] !== undefined ? [...match[1].matchAll(/<([0-9a-fA-F]*)>/g)] : [];
      const text =
        match[1] !== undefined
          ? pieces.map((piece) => decodeHex(piece[1] ?? '')).join('')
          : decodeHex(match[2] ?? '');
      lines.push(text);
    }
  }
  return lines;
}

/** All the text, lines joined by spaces and runs of white space collapsed. */
export function pdfText(pdf: Buffer): string {
  return pdfTextLines(pdf).join(' ').replace(/\s+/g, ' ');
}
