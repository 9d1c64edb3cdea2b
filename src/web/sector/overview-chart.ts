// A grid of counts as an accessible SVG, for the sector view's time series: one row per period, one
// column per category (a just-culture class, a kind of exchange item), each cell a bar with its
// count printed beside it, so the figures never rest on colour or length alone. The same counts are
// in the table under the chart.
import {
  BLUE,
  GRID_COLOUR,
  SECONDARY_TEXT_COLOUR,
  TEXT_COLOUR,
  escapeXml,
  svgOpen,
  wrapText,
} from '../charts/svg.ts';

const WIDTH = 640;
const LABEL = 124;
const ROW = 38;
const LABEL_CHARS = 17;
const HEAD_LINE = 16;

export interface CountGrid {
  readonly id: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly { readonly label: string; readonly counts: readonly number[] }[];
}

export function countGridChart(grid: CountGrid): string {
  const columnWidth = (WIDTH - LABEL - 10) / Math.max(grid.columns.length, 1);
  const heads = grid.columns.map((c) => wrapText(c, Math.max(8, Math.floor(columnWidth / 6.6))));
  const headLines = Math.max(1, ...heads.map((h) => h.length));
  const top = 10 + headLines * HEAD_LINE + 8;
  const height = top + grid.rows.length * ROW + 10;
  const max = Math.max(1, ...grid.rows.flatMap((r) => r.counts));
  const barSpace = columnWidth - 34;
  const parts: string[] = [];
  heads.forEach((lines, c) => {
    const x = LABEL + c * columnWidth + 2;
    lines.forEach((line, k) =>
      parts.push(
        `<text x="${x}" y="${10 + (k + 1) * HEAD_LINE - 4}" fill="${SECONDARY_TEXT_COLOUR}" font-size="12">${escapeXml(line)}</text>`,
      ),
    );
  });
  const described: string[] = [];
  grid.rows.forEach((row, r) => {
    const y = top + r * ROW;
    parts.push(
      `<line x1="0" y1="${y}" x2="${WIDTH}" y2="${y}" stroke="${GRID_COLOUR}" stroke-width="1"/>`,
    );
    wrapText(row.label, LABEL_CHARS)
      .slice(0, 2)
      .forEach((line, k) =>
        parts.push(
          `<text x="0" y="${y + 15 + k * 15}" fill="${TEXT_COLOUR}" font-size="12">${escapeXml(line)}</text>`,
        ),
      );
    row.counts.forEach((count, c) => {
      const x = LABEL + c * columnWidth + 2;
      const w = count === 0 ? 0 : Math.max(2, (count / max) * barSpace);
      if (w > 0)
        parts.push(`<rect x="${x}" y="${y + 10}" width="${w}" height="18" fill="${BLUE}"/>`);
      parts.push(
        `<text x="${x + w + 4}" y="${y + 24}" fill="${TEXT_COLOUR}" font-size="12">${count}</text>`,
      );
    });
    described.push(
      `${row.label}: ${grid.columns.map((col, c) => `${col} ${row.counts[c] ?? 0}`).join(', ')}`,
    );
  });
  return (
    svgOpen(grid.id, WIDTH, height, grid.title, `${described.join('. ')}.`) +
    parts.join('') +
    '</svg>'
  );
}
