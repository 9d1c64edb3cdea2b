// Result charts of the delivery-chain pages as accessible SVG strings: horizontal bars (utilisation
// of each stage against its capacity, or one measure across scenarios) with confidence intervals
// drawn as whiskers, and the backlog over time as a line with its interval as a band. Every bar and
// point carries its figure as text, the bottleneck is named in words, and each chart has a table of
// the same numbers beside it on the page.
import {
  escapeXml,
  safeId,
  wrapText,
  TEXT_COLOUR as TEXT,
  SECONDARY_TEXT_COLOUR as SECONDARY,
  GRID_COLOUR as GRID,
  FONT_FAMILY as FONT,
  BLUE as BAR,
} from '../charts/svg.ts';

const BAR_HIGHLIGHT = '#0b0c0c';
const BAND = '#d2e2f1';

export interface BarRow {
  readonly label: string;
  readonly value: number;
  /** Confidence interval, drawn as a whisker when given. */
  readonly low?: number;
  readonly high?: number;
  /** The figure printed at the end of the bar. */
  readonly text: string;
  /** Drawn darker and with `note` beside the figure, e.g. "bottleneck". */
  readonly highlight?: boolean;
  readonly note?: string;
}

export interface BarChartInput {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly rows: readonly BarRow[];
  /** A vertical line, e.g. capacity at 100%. */
  readonly reference?: { readonly value: number; readonly label: string };
  /** Axis tick labels. */
  readonly tick: (value: number) => string;
}

const LABEL_WIDTH = 210;
const PLOT_WIDTH = 300;
const ROW = 56;

function niceMax(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (step * power >= x) return step * power;
  }
  return 10 * power;
}

function open(id: string, width: number, height: number, title: string, desc: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `width="100%" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="14">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(desc)}</desc>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`
  );
}

export function barChartSvg(input: BarChartInput): string {
  const id = safeId(input.id);
  const top = 30;
  const left = LABEL_WIDTH;
  const extra = 150; // room for the figure and note to the right of the bars
  const width = left + PLOT_WIDTH + extra;
  const height = top + input.rows.length * ROW + 36;
  const max = niceMax(
    Math.max(
      input.reference?.value ?? 0,
      ...input.rows.map((r) => Math.max(r.value, r.high ?? r.value)),
    ) * 1.05,
  );
  const scale = (v: number): number => left + (Math.max(0, Math.min(v, max)) / max) * PLOT_WIDTH;
  const out: string[] = [open(id, width, height, input.title, input.description)];
  const axisY = top + input.rows.length * ROW;
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    const gx = scale(v);
    out.push(
      `<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${axisY}" stroke="${GRID}" stroke-width="1"/>`,
    );
    out.push(
      `<text x="${gx}" y="${axisY + 18}" text-anchor="middle" font-size="12" fill="${SECONDARY}">${escapeXml(input.tick(v))}</text>`,
    );
  }
  input.rows.forEach((row, i) => {
    const y = top + i * ROW;
    const wrapped = wrapText(row.label, 26);
    const label = wrapped.slice(0, 3);
    if (wrapped.length > 3) label[2] = `${label[2] ?? ''}…`;
    label.forEach((line, k) => {
      out.push(
        `<text x="${left - 10}" y="${y + 24 + k * 16 - (label.length - 1) * 8}" text-anchor="end" fill="${TEXT}"${row.highlight === true ? ' font-weight="bold"' : ''}>${escapeXml(line)}</text>`,
      );
    });
    const end = scale(row.value);
    out.push(
      `<rect x="${left}" y="${y + 10}" width="${Math.max(1, end - left)}" height="${ROW - 24}" fill="${row.highlight === true ? BAR_HIGHLIGHT : BAR}"/>`,
    );
    let textX = end + 8;
    if (row.low !== undefined && row.high !== undefined && row.high > row.low) {
      const lx = scale(row.low);
      const hx = scale(row.high);
      const my = y + 10 + (ROW - 24) / 2;
      out.push(
        `<line x1="${lx}" y1="${my}" x2="${hx}" y2="${my}" stroke="${TEXT}" stroke-width="2"/>` +
          `<line x1="${lx}" y1="${my - 8}" x2="${lx}" y2="${my + 8}" stroke="${TEXT}" stroke-width="2"/>` +
          `<line x1="${hx}" y1="${my - 8}" x2="${hx}" y2="${my + 8}" stroke="${TEXT}" stroke-width="2"/>`,
      );
      textX = Math.max(textX, hx + 8);
    }
    // Keep the figure clear of the reference line when the bar ends just before it.
    const refX = input.reference === undefined ? null : scale(input.reference.value);
    if (refX !== null && refX >= end - 4 && refX < textX + 24) textX = refX + 6;
    out.push(
      `<text x="${textX}" y="${y + 31}" fill="${TEXT}"${row.highlight === true ? ' font-weight="bold"' : ''}>${escapeXml(row.text + (row.note === undefined ? '' : ` ${row.note}`))}</text>`,
    );
  });
  if (input.reference !== undefined) {
    const rx = scale(input.reference.value);
    out.push(
      `<line x1="${rx}" y1="${top - 8}" x2="${rx}" y2="${axisY}" stroke="${TEXT}" stroke-width="2" stroke-dasharray="6 4"/>` +
        `<text x="${rx}" y="${top - 12}" text-anchor="middle" font-size="13" fill="${TEXT}">${escapeXml(input.reference.label)}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}

export interface LinePoint {
  readonly x: number;
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

export interface LineChartInput {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly points: readonly LinePoint[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xTick: (x: number) => string;
  readonly yTick: (y: number) => string;
}

/** A line with its confidence band, for the backlog over time. */
export function lineChartSvg(input: LineChartInput): string {
  const id = safeId(input.id);
  const left = 70;
  const top = 36;
  const plotW = 520;
  const plotH = 240;
  const width = left + plotW + 30;
  const height = top + plotH + 56;
  const xs = input.points.map((p) => p.x);
  const xMin = Math.min(...xs, 0);
  const xMax = Math.max(...xs, 1);
  const yMax = niceMax(Math.max(1, ...input.points.map((p) => p.high)) * 1.05);
  const sx = (x: number): number => left + ((x - xMin) / (xMax - xMin || 1)) * plotW;
  const sy = (y: number): number => top + plotH - (Math.max(0, y) / yMax) * plotH;
  const out: string[] = [open(id, width, height, input.title, input.description)];
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    out.push(
      `<line x1="${left}" y1="${sy(v)}" x2="${left + plotW}" y2="${sy(v)}" stroke="${GRID}"/>` +
        `<text x="${left - 8}" y="${sy(v) + 4}" text-anchor="end" font-size="12" fill="${SECONDARY}">${escapeXml(input.yTick(v))}</text>`,
    );
  }
  for (let k = 0; k <= 4; k++) {
    const v = xMin + ((xMax - xMin) * k) / 4;
    out.push(
      `<text x="${sx(v)}" y="${top + plotH + 18}" text-anchor="middle" font-size="12" fill="${SECONDARY}">${escapeXml(input.xTick(v))}</text>`,
    );
  }
  if (input.points.length > 0) {
    const upper = input.points.map((p) => `${sx(p.x)},${sy(p.high)}`);
    const lower = [...input.points].reverse().map((p) => `${sx(p.x)},${sy(p.low)}`);
    out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${BAND}" stroke="none"/>`);
    out.push(
      `<polyline points="${input.points.map((p) => `${sx(p.x)},${sy(p.mean)}`).join(' ')}" fill="none" stroke="${BAR}" stroke-width="3"/>`,
    );
    const last = input.points[input.points.length - 1];
    if (last !== undefined) {
      out.push(
        `<text x="${sx(last.x) - 4}" y="${sy(last.mean) - 10}" text-anchor="end" font-weight="bold" fill="${TEXT}">${escapeXml(input.yTick(last.mean))}</text>`,
      );
    }
  }
  out.push(
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="${TEXT}"/>` +
      `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="${TEXT}"/>` +
      `<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle" font-size="13" fill="${TEXT}">${escapeXml(input.xLabel)}</text>` +
      `<text x="${left - 60}" y="${top - 14}" font-size="13" fill="${TEXT}">${escapeXml(input.yLabel)}</text>`,
  );
  out.push('</svg>');
  return out.join('');
}
