// Shared pieces of the accessible SVG charts: escaping, wrapping, colours with checked contrast, and
// the level palette. Charts are built as strings so that they render without JavaScript and test
// without a DOM; every chart prints its figures as text, so colour is never the only carrier.
import type { Level } from '../../domain/assessment/index.ts';

/** Text smaller than this is hard to read; no chart uses less. */
export const MIN_FONT_SIZE = 12;
export const FONT_SIZE = 14;
export const FONT_FAMILY = 'Arial, Helvetica, sans-serif';
/** GOV.UK text colour and white. */
export const TEXT_COLOUR = '#0b0c0c';
export const SECONDARY_TEXT_COLOUR = '#484949';
/** GOV.UK mid grey, for grid lines. */
export const GRID_COLOUR = '#b1b4b6';
/** GOV.UK dark grey, for arrows and box borders. */
export const LINE_COLOUR = '#505a5f';
/** GOV.UK blue, for bars and the first series. */
export const BLUE = '#1d70b8';
export const WHITE = '#ffffff';
/** GOV.UK light yellow: the bottleneck's box, beside the word "Bottleneck" and a heavier border. */
export const BOTTLENECK_FILL = '#fff7bf';
/** GOV.UK light grey, for secondary boxes (outputs, candidates, hidden cells). */
export const LIGHT_GREY = '#f3f2f1';

export interface Swatch {
  readonly fill: string;
  readonly text: string;
}

/**
 * One colour per level, 1 = Outstanding (dark green) to 5 = Inadequate (dark red), each paired with a
 * text colour of at least 4.5:1 contrast (checked in the tests). The level number is printed in every
 * cell, so the colours only reinforce it.
 */
export const LEVEL_SWATCHES: Readonly<Record<Level, Swatch>> = {
  1: { fill: '#00703c', text: WHITE },
  2: { fill: '#cce2d8', text: TEXT_COLOUR },
  3: { fill: BOTTLENECK_FILL, text: TEXT_COLOUR },
  4: { fill: '#fcd6c3', text: TEXT_COLOUR },
  5: { fill: '#942514', text: WHITE },
};
export const HIDDEN_SWATCH: Swatch = { fill: LIGHT_GREY, text: TEXT_COLOUR };
export const EMPTY_SWATCH: Swatch = { fill: WHITE, text: TEXT_COLOUR };

// XML 1.0 forbids most control characters even when escaped; they are dropped.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Escapes text for XML element content and attribute values (either quote style). */
export function escapeXml(value: string): string {
  return value
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** An id safe in an XML attribute and in aria-labelledby (no spaces), starting with a letter. */
export function safeId(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_-]+/g, '-');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `chart-${cleaned}`;
}

/**
 * Greedy word wrap by character count. A word longer than the width (a pasted URL as a group name) is
 * cut, so that it cannot run across neighbouring columns.
 */
export function wrapText(text: string, maxChars: number): string[] {
  const words = text
    .split(/\s+/)
    .filter((part) => part.length > 0)
    .flatMap((word) => {
      const pieces: string[] = [];
      for (let start = 0; start < word.length; start += maxChars) {
        pieces.push(word.slice(start, start + maxChars));
      }
      return pieces;
    });
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= maxChars) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** Text lines as a <text> with one <tspan> per line. */
export function textBlock(
  lines: readonly string[],
  x: number,
  y: number,
  attributes: string,
  lineHeight = FONT_SIZE + 4,
): string {
  const spans = lines
    .map(
      (line, index) =>
        `<tspan x="${x}" ${index === 0 ? `y="${y}"` : `dy="${lineHeight}"`}>${escapeXml(line)}</tspan>`,
    )
    .join('');
  return `<text ${attributes}>${spans}</text>`;
}

/** WCAG relative luminance of a #rrggbb colour. */
export function relativeLuminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new RangeError(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [match[1], match[2], match[3]].map((part) => {
    const channel = parseInt(part ?? '0', 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two #rrggbb colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}

/** The opening tag of every chart: an image with its title and description for assistive technology. */
export function svgOpen(
  idPrefix: string,
  width: number,
  height: number,
  title: string,
  description: string,
): string {
  const id = safeId(idPrefix);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}">` +
    `<title id="${id}-title">${escapeXml(title)}</title>` +
    `<desc id="${id}-desc">${escapeXml(description)}</desc>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="${WHITE}"/>`
  );
}

/** A plain table of the same figures as a chart, for a GOV.UK table beside it. */
export interface ChartTable {
  readonly caption: string;
  readonly head: readonly string[];
  /** The first cell of each row is its header. */
  readonly rows: readonly (readonly string[])[];
}
