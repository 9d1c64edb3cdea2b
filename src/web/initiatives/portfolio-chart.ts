// The portfolio's chart as an accessible SVG string: one horizontal bar per ranked initiative, its
// score out of 100 points stacked by what each component contributes (effect on the bottleneck per
// pound, readiness, risks above the appetite). Sized to be read on a 375 px phone: the chart is
// drawn 480 units wide and shrinks to fit, so its smallest text (17 units) is still about 12 px;
// each initiative's name sits above its bar, and under the bar its points are written out, so
// neither colour nor the legend is needed to read it. The page gives the same figures in a table.
import type { PortfolioComponentId, RankedInitiative } from '../../domain/initiatives/portfolio.ts';
import {
  BLUE,
  FONT_FAMILY,
  GRID_COLOUR,
  SECONDARY_TEXT_COLOUR,
  TEXT_COLOUR,
  WHITE,
  escapeXml,
  safeId,
  textBlock,
  wrapText,
} from '../charts/svg.ts';

export const CHART_WIDTH = 480;
const LEFT = 10;
/** 0 to 100 points across this width. */
const PLOT = 330;
const LABEL_SIZE = 18;
const SMALL_SIZE = 17;
const LINE = 22;
const BAR_HEIGHT = 24;
/** Characters of an initiative's name per line (Arial at 18 units averages well under 10 units). */
const LABEL_CHARS = 42;

/** Each component's colour (all at least 4.5:1 against white) and how its segment is filled. */
export const SEGMENTS: readonly {
  readonly id: PortfolioComponentId;
  readonly colour: string;
  readonly short: string;
  /** Hatched segments differ from solid ones by more than colour. */
  readonly hatched: boolean;
}[] = [
  { id: 'bottleneck-effect-per-pound', colour: BLUE, short: 'bottleneck', hatched: false },
  { id: 'readiness', colour: '#00703c', short: 'readiness', hatched: true },
  { id: 'risks-above-appetite', colour: '#4c2c92', short: 'risk', hatched: false },
];

/** Points out of 100 with one decimal place: 62.5. */
export function formatPoints(share: number): string {
  return (share * 100).toFixed(1);
}

function fillOf(segment: (typeof SEGMENTS)[number], id: string): string {
  return segment.hatched ? `url(#${id}-hatch-${segment.id})` : segment.colour;
}

function patterns(id: string): string {
  return SEGMENTS.filter((s) => s.hatched)
    .map(
      (s) =>
        `<pattern id="${id}-hatch-${s.id}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
        `<rect width="8" height="8" fill="${s.colour}"/><line x1="0" y1="0" x2="0" y2="8" stroke="${WHITE}" stroke-width="3"/></pattern>`,
    )
    .join('');
}

/** "Bottleneck 40.0, readiness 15.0, risk 20.0" */
function breakdown(row: RankedInitiative): string {
  const parts = SEGMENTS.map((s) => {
    const component = row.components.find((k) => k.id === s.id);
    return `${s.short} ${formatPoints(component?.contribution ?? 0)}`;
  });
  const text = parts.join(', ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** The text alternative: every initiative with its rank, score and each component's points. */
export function chartDescription(ranked: readonly RankedInitiative[]): string {
  return (
    'Scores out of 100 points, highest first. ' +
    ranked
      .map(
        (row) =>
          `${row.rank}. ${row.title}: ${formatPoints(row.score)} points (` +
          row.components.map((k) => `${k.label} ${formatPoints(k.contribution)}`).join(', ') +
          ')',
      )
      .join('; ') +
    '.'
  );
}

/** The stacked bar chart of the ranking; an empty string when nothing is ranked. */
export function portfolioChartSvg(ranked: readonly RankedInitiative[]): string {
  if (ranked.length === 0) return '';
  const id = safeId('portfolio-scores');
  const x = (points: number) => LEFT + (Math.max(0, Math.min(points, 100)) / 100) * PLOT;
  const out: string[] = [];

  // Legend: one line per component, its swatch filled as its segments are.
  let y = 8;
  for (const segment of SEGMENTS) {
    const label = ranked[0]?.components.find((k) => k.id === segment.id)?.label ?? segment.short;
    out.push(
      `<rect x="${LEFT}" y="${y}" width="18" height="18" fill="${fillOf(segment, id)}" stroke="${segment.colour}" stroke-width="1"/>` +
        `<text x="${LEFT + 26}" y="${y + 15}" font-size="${SMALL_SIZE}" fill="${TEXT_COLOUR}">${escapeXml(label)}</text>`,
    );
    y += LINE + 2;
  }

  // Scale: 0 to 100 points, the same for every portfolio.
  y += 10;
  const axisY = y + SMALL_SIZE;
  const ticks = [0, 25, 50, 75, 100];
  for (const tick of ticks) {
    out.push(
      `<text x="${x(tick)}" y="${axisY}" text-anchor="${tick === 0 ? 'start' : tick === 100 ? 'end' : 'middle'}" font-size="${SMALL_SIZE}" fill="${SECONDARY_TEXT_COLOUR}">${tick}</text>`,
    );
  }
  y = axisY + 16;

  const rows: string[] = [];
  for (const row of ranked) {
    const wrapped = wrapText(`${row.rank}. ${row.title}`, LABEL_CHARS);
    const label = wrapped.slice(0, 2);
    if (wrapped.length > 2) label[1] = `${(label[1] ?? '').slice(0, LABEL_CHARS - 1)}…`;
    rows.push(
      textBlock(
        label,
        LEFT,
        y + LABEL_SIZE - 2,
        `font-size="${LABEL_SIZE}" font-weight="bold" fill="${TEXT_COLOUR}"`,
        LINE,
      ),
    );
    y += label.length * LINE + 4;
    // Grid lines only behind the bar, so they never cross the text.
    for (const tick of ticks) {
      rows.push(
        `<line x1="${x(tick)}" y1="${y - 3}" x2="${x(tick)}" y2="${y + BAR_HEIGHT + 3}" stroke="${GRID_COLOUR}" stroke-width="1"/>`,
      );
    }
    let start = 0;
    for (const segment of SEGMENTS) {
      const points = (row.components.find((k) => k.id === segment.id)?.contribution ?? 0) * 100;
      if (points <= 0) continue;
      const from = x(start);
      const to = x(start + points);
      // A white gap of 2 units between segments keeps neighbours apart.
      const width = Math.max(1, to - from - (start > 0 ? 2 : 0));
      rows.push(
        `<rect x="${start > 0 ? from + 2 : from}" y="${y}" width="${width}" height="${BAR_HEIGHT}" fill="${fillOf(segment, id)}" stroke="${segment.colour}" stroke-width="1"/>`,
      );
      start += points;
    }
    // The score after the bar, on white so that no grid line runs through it.
    const score = `${formatPoints(row.score)} points`;
    rows.push(
      `<rect x="${x(start) + 4}" y="${y - 3}" width="${score.length * 11 + 8}" height="${BAR_HEIGHT + 6}" fill="${WHITE}"/>` +
        `<text x="${x(start) + 8}" y="${y + BAR_HEIGHT - 6}" font-size="${LABEL_SIZE}" font-weight="bold" fill="${TEXT_COLOUR}">${escapeXml(score)}</text>`,
    );
    y += BAR_HEIGHT + 4;
    rows.push(
      `<text x="${LEFT}" y="${y + SMALL_SIZE}" font-size="${SMALL_SIZE}" fill="${SECONDARY_TEXT_COLOUR}">${escapeXml(breakdown(row))}</text>`,
    );
    y += SMALL_SIZE + 22;
  }
  const height = y - 6;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}" font-family="${FONT_FAMILY}" font-size="${SMALL_SIZE}">` +
    `<title id="${id}-title">Portfolio scores, out of 100 points</title>` +
    `<desc id="${id}-desc">${escapeXml(chartDescription(ranked))}</desc>` +
    `<defs>${patterns(id)}</defs>` +
    `<rect x="0" y="0" width="${CHART_WIDTH}" height="${height}" fill="${WHITE}"/>` +
    out.join('') +
    rows.join('') +
    '</svg>'
  );
}
