// Accessible SVG charts for themes, built as strings (no JavaScript, no DOM): a horizontal bar chart
// of comments per theme, and a column chart of one theme's comments per month or week. Every bar
// carries its number as text, text is at least 12px, colours have at least 4.5:1 contrast, and the
// same numbers are always given in a table beside the chart.
import { MONTH_NAMES } from '../../lib/dates.ts';
import {
  FONT_FAMILY,
  FONT_SIZE,
  TEXT_COLOUR,
  WHITE,
  escapeXml,
  safeId,
  wrapText,
  GRID_COLOUR as GRID,
  BLUE as BAR,
  LINE_COLOUR as OTHER_BAR,
} from '../charts/svg.ts';

// Bars in GOV.UK blue (5.2:1 against white); "Other" in dark grey, and it says so in words.
export { BAR, OTHER_BAR };

export interface BarDatum {
  readonly label: string;
  readonly count: number;
  readonly share: number;
  readonly other?: boolean;
}

const percent = (share: number): string =>
  share > 0 && share < 0.001 ? '<0.1%' : `${(share * 100).toFixed(1)}%`;

const number = (n: number): string => n.toLocaleString('en-GB');

/** Comments per theme as horizontal bars, largest first as given. */
export function themeBarChartSvg(data: readonly BarDatum[], title: string): string {
  const id = safeId(`themes-${title}`);
  const labelWidth = 300;
  const barArea = 360;
  const valueWidth = 130;
  const width = labelWidth + barArea + valueWidth;
  const lineHeight = 18;
  const max = Math.max(1, ...data.map((d) => d.count));
  let y = 10;
  const rows: string[] = [];
  for (const d of data) {
    const lines = wrapText(d.label, 40).slice(0, 2);
    const height = Math.max(28, lines.length * lineHeight + 10);
    const barWidth = Math.max(2, Math.round((d.count / max) * barArea));
    const text = lines
      .map(
        (line, i) =>
          `<tspan x="${labelWidth - 10}" dy="${i === 0 ? 0 : lineHeight}">${escapeXml(line)}</tspan>`,
      )
      .join('');
    const textY = y + height / 2 - ((lines.length - 1) * lineHeight) / 2 + 5;
    rows.push(
      `<g><text x="${labelWidth - 10}" y="${textY}" text-anchor="end" fill="${TEXT_COLOUR}">${text}</text>` +
        `<rect x="${labelWidth}" y="${y + height / 2 - 10}" width="${barWidth}" height="20" fill="${d.other ? OTHER_BAR : BAR}"${d.other ? ` stroke="${TEXT_COLOUR}" stroke-dasharray="4 2"` : ''}/>` +
        `<text x="${labelWidth + barWidth + 8}" y="${y + height / 2 + 5}" fill="${TEXT_COLOUR}">${escapeXml(`${number(d.count)} (${percent(d.share)})`)}</text></g>`,
    );
    y += height;
  }
  const height = y + 10;
  const desc = data
    .map((d) => `${d.label}: ${number(d.count)} comments, ${percent(d.share)}`)
    .join('; ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="100%" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(desc)}</desc>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="${WHITE}"/>` +
    `<line x1="${labelWidth}" y1="6" x2="${labelWidth}" y2="${height - 6}" stroke="${GRID}"/>` +
    rows.join('') +
    `</svg>`
  );
}

export interface TrendDatum {
  /** First day of the period, YYYY-MM-DD. */
  readonly start: string;
  readonly count: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "March 2026", or "week of 2 March 2026". */
export function periodName(start: string, period: 'month' | 'week'): string {
  const [y, m, d] = start.split('-').map(Number);
  const month = MONTH_NAMES[(m ?? 1) - 1] ?? '';
  return period === 'month' ? `${month} ${y}` : `Week of ${d} ${month} ${y}`;
}

function shortPeriod(start: string, period: 'month' | 'week'): string[] {
  const [y, m, d] = start.split('-').map(Number);
  const month = MONTHS[(m ?? 1) - 1] ?? '';
  return period === 'month' ? [month, String(y)] : [`${d} ${month}`, String(y)];
}

/** One theme's comments per period as columns, oldest on the left. */
export function trendChartSvg(
  points: readonly TrendDatum[],
  period: 'month' | 'week',
  title: string,
): string {
  const id = safeId(`trend-${title}`);
  const column = 44;
  const left = 50;
  const top = 24;
  const plot = 180;
  const width = left + Math.max(points.length, 1) * column + 10;
  const height = top + plot + 50;
  const max = Math.max(1, ...points.map((p) => p.count));
  const ticks = [0, Math.ceil(max / 2), max];
  const axis = ticks
    .map((t) => {
      const y = top + plot - (t / max) * plot;
      return `<line x1="${left}" y1="${y}" x2="${width - 10}" y2="${y}" stroke="${GRID}"/><text x="${left - 6}" y="${y + 5}" text-anchor="end" fill="${TEXT_COLOUR}">${t}</text>`;
    })
    .join('');
  const bars = points
    .map((p, i) => {
      const h = Math.round((p.count / max) * plot);
      const x = left + i * column + 6;
      const [a, b] = shortPeriod(p.start, period);
      // Year under the first column and under each January only, to keep the axis readable.
      const showYear = i === 0 || (period === 'month' && p.start.slice(5, 7) === '01');
      return (
        `<rect x="${x}" y="${top + plot - h}" width="${column - 12}" height="${h}" fill="${BAR}"/>` +
        `<text x="${x + (column - 12) / 2}" y="${top + plot - h - 5}" text-anchor="middle" fill="${TEXT_COLOUR}" font-size="12">${p.count}</text>` +
        `<text x="${x + (column - 12) / 2}" y="${top + plot + 18}" text-anchor="middle" fill="${TEXT_COLOUR}" font-size="12">${escapeXml(a ?? '')}</text>` +
        (showYear
          ? `<text x="${x + (column - 12) / 2}" y="${top + plot + 34}" text-anchor="middle" fill="${TEXT_COLOUR}" font-size="12">${escapeXml(b ?? '')}</text>`
          : '')
      );
    })
    .join('');
  const desc = points.map((p) => `${periodName(p.start, period)}: ${p.count}`).join('; ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="100%" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(desc)}</desc>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="${WHITE}"/>` +
    axis +
    bars +
    `</svg>`
  );
}

export { percent as formatShare, number as formatCount };

export interface SplitRow {
  readonly label: string;
  /** Counts in the order of `parts`. */
  readonly counts: readonly number[];
}

export interface SplitPart {
  readonly name: string;
  readonly colour: string;
  /** Colour of the share written inside the segment (at least 4.5:1 against `colour`). */
  readonly ink: string;
}

/** GOV.UK green, red, dark grey and light grey, with ink of 4.5:1 or more on each. */
export const SENTIMENT_PARTS: readonly SplitPart[] = [
  { name: 'positive', colour: '#00703c', ink: WHITE },
  { name: 'negative', colour: '#d4351c', ink: WHITE },
  { name: 'mixed', colour: '#505a5f', ink: WHITE },
  { name: 'neutral', colour: '#dddddd', ink: TEXT_COLOUR },
];

export const STANCE_PARTS: readonly SplitPart[] = [
  { name: 'supports', colour: '#00703c', ink: WHITE },
  { name: 'opposes', colour: '#d4351c', ink: WHITE },
  { name: 'neutral', colour: '#dddddd', ink: TEXT_COLOUR },
];

/**
 * Shares of each row's comments as one stacked bar per row (100 % wide), with a legend in words and
 * each segment's share written in it where it fits; the same numbers are in a table beside it.
 */
export function splitBarsSvg(
  rows: readonly SplitRow[],
  parts: readonly SplitPart[],
  title: string,
): string {
  const id = safeId(`split-${title}`);
  const labelWidth = 260;
  const barArea = 420;
  const width = labelWidth + barArea + 20;
  const lineHeight = 18;
  const out: string[] = [];
  // Legend.
  let x = labelWidth;
  parts.forEach((p) => {
    out.push(
      `<rect x="${x}" y="8" width="14" height="14" fill="${p.colour}" stroke="${TEXT_COLOUR}"/>` +
        `<text x="${x + 20}" y="20" fill="${TEXT_COLOUR}">${escapeXml(p.name)}</text>`,
    );
    x += 26 + p.name.length * 8;
  });
  let y = 34;
  for (const row of rows) {
    const lines = wrapText(row.label, 34).slice(0, 2);
    const height = Math.max(28, lines.length * lineHeight + 10);
    const total = row.counts.reduce((s, c) => s + c, 0);
    const text = lines
      .map(
        (line, i) =>
          `<tspan x="${labelWidth - 10}" dy="${i === 0 ? 0 : lineHeight}">${escapeXml(line)}</tspan>`,
      )
      .join('');
    const textY = y + height / 2 - ((lines.length - 1) * lineHeight) / 2 + 5;
    out.push(
      `<text x="${labelWidth - 10}" y="${textY}" text-anchor="end" fill="${TEXT_COLOUR}">${text}</text>`,
    );
    let at = labelWidth;
    row.counts.forEach((count, i) => {
      const part = parts[i];
      if (!part || total === 0 || count === 0) return;
      const w = (count / total) * barArea;
      const share = `${Math.round((100 * count) / total)}%`;
      out.push(
        `<rect x="${at.toFixed(1)}" y="${y + height / 2 - 11}" width="${w.toFixed(1)}" height="22" fill="${part.colour}"/>` +
          (w >= 40
            ? `<text x="${(at + w / 2).toFixed(1)}" y="${y + height / 2 + 5}" text-anchor="middle" fill="${part.ink}">${share}</text>`
            : ''),
      );
      at += w;
    });
    if (total === 0)
      out.push(
        `<text x="${labelWidth + 8}" y="${y + height / 2 + 5}" fill="${TEXT_COLOUR}">no comments</text>`,
      );
    y += height;
  }
  const height = y + 10;
  const desc = rows
    .map((r) => {
      const total = r.counts.reduce((s, c) => s + c, 0);
      return `${r.label}: ${parts
        .map((p, i) => `${p.name} ${total ? Math.round((100 * (r.counts[i] ?? 0)) / total) : 0}%`)
        .join(', ')}`;
    })
    .join('; ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="100%" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(desc)}</desc>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="${WHITE}"/>` +
    out.join('') +
    `</svg>`
  );
}
