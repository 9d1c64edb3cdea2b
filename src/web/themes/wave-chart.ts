// The comparison between two waves of comments as an accessible SVG (issue 14, point 7): for each
// theme a pair of bars, the earlier wave's share above in grey and the later wave's below in blue,
// each with its percentage as text, and the verdict in words beside the name. The same figures are
// always in the table under the chart.
import {
  BLUE,
  FONT_FAMILY,
  FONT_SIZE,
  GRID_COLOUR,
  LINE_COLOUR,
  TEXT_COLOUR,
  WHITE,
  escapeXml,
  safeId,
  wrapText,
} from '../charts/svg.ts';

export interface WaveBar {
  readonly name: string;
  readonly earlierShare: number;
  readonly laterShare: number;
  /** The verdict in a word or two ("grew", "no clear change"). */
  readonly verdict: string;
}

const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;

export function waveChartSvg(bars: readonly WaveBar[], title: string): string {
  const id = safeId(`waves-${title}`);
  const labelWidth = 300;
  const barArea = 340;
  const valueWidth = 150;
  const width = labelWidth + barArea + valueWidth;
  const lineHeight = 18;
  const max = Math.max(0.0001, ...bars.flatMap((b) => [b.earlierShare, b.laterShare]));
  const rows: string[] = [];
  // A key in words and swatches at the top.
  rows.push(
    `<g><rect x="${labelWidth}" y="8" width="14" height="14" fill="${LINE_COLOUR}"/>` +
      `<text x="${labelWidth + 20}" y="20" fill="${TEXT_COLOUR}">Earlier wave</text>` +
      `<rect x="${labelWidth + 140}" y="8" width="14" height="14" fill="${BLUE}"/>` +
      `<text x="${labelWidth + 160}" y="20" fill="${TEXT_COLOUR}">Later wave</text></g>`,
  );
  let y = 34;
  for (const b of bars) {
    const lines = [...wrapText(b.name, 38).slice(0, 2), `(${b.verdict})`];
    const height = Math.max(52, lines.length * lineHeight + 14);
    const text = lines
      .map(
        (line, i) =>
          `<tspan x="${labelWidth - 10}" dy="${i === 0 ? 0 : lineHeight}">${escapeXml(line)}</tspan>`,
      )
      .join('');
    const textY = y + height / 2 - ((lines.length - 1) * lineHeight) / 2 + 5;
    const bar = (share: number, top: number, fill: string) => {
      const w = share > 0 ? Math.max(2, Math.round((share / max) * barArea)) : 0;
      return (
        `<rect x="${labelWidth}" y="${top}" width="${w}" height="18" fill="${fill}"/>` +
        `<text x="${labelWidth + w + 8}" y="${top + 14}" fill="${TEXT_COLOUR}">${escapeXml(pct(share))}</text>`
      );
    };
    rows.push(
      `<g><text x="${labelWidth - 10}" y="${textY}" text-anchor="end" fill="${TEXT_COLOUR}">${text}</text>` +
        bar(b.earlierShare, y + height / 2 - 20, LINE_COLOUR) +
        bar(b.laterShare, y + height / 2 + 2, BLUE) +
        `</g>`,
    );
    y += height;
  }
  const height = y + 10;
  const desc = bars
    .map(
      (b) =>
        `${b.name}: ${pct(b.earlierShare)} of comments in the earlier wave, ${pct(b.laterShare)} in the later wave, ${b.verdict}`,
    )
    .join('; ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="100%" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(desc)}</desc>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="${WHITE}"/>` +
    `<line x1="${labelWidth}" y1="30" x2="${labelWidth}" y2="${height - 6}" stroke="${GRID_COLOUR}"/>` +
    rows.join('') +
    `</svg>`
  );
}
