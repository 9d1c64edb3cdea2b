// The profile chart of an assessment round (issue 3, point 7): one row per capability, a dot at the
// consensus level on an axis running from 1 Outstanding (left, "Better") to 5 Inadequate (right,
// "Worse"), the inter-quartile range as a whisker and the target as a diamond. Positions, not bars:
// a bar's length would suggest that more is better, and on this scale a lower number is better.
import { getCapability, levelName, MATURITY_LEVELS } from '../../../domain/framework/index.ts';
import type { Framework } from '../../../domain/framework/index.ts';
import { describeTarget, formatNumber } from '../../../domain/assessment/index.ts';
import type { CapabilityResult, Level } from '../../../domain/assessment/index.ts';
import {
  escapeXml,
  FONT_SIZE,
  SECONDARY_TEXT_COLOUR,
  svgOpen,
  TEXT_COLOUR,
  textBlock,
  wrapText,
} from '../../charts/svg.ts';
import type { ChartTable } from '../../charts/svg.ts';

export interface ProfileInput {
  readonly framework: Framework;
  readonly results: readonly CapabilityResult[];
  /** Target level per capability id. */
  readonly targets?: Readonly<Record<string, Level>>;
  /**
   * Moderated (agreed) level per capability id. When given, the chart marks it with a square, the
   * table gains an "Agreed level" column, and the distance to target is measured from it.
   */
  readonly agreed?: Readonly<Record<string, Level>>;
  readonly title?: string;
  readonly idPrefix?: string;
}

const LABEL_WIDTH = 330;
const LABEL_CHARS = 36;
const PLOT_LEFT = LABEL_WIDTH + 60;
const STEP = 110;
const LINE = FONT_SIZE + 4;

/**
 * Where things go. Wide: the names on the left and the scale beside them, for a desktop column.
 * Stacked: each name above its own scale, in a chart a phone shows at nearly its own size, so the
 * text stays readable (about 13 px on a 375 px screen rather than 5 px for the wide chart shrunk).
 */
interface Layout {
  readonly stacked: boolean;
  readonly plotLeft: number;
  readonly step: number;
  readonly width: number;
  readonly labelChars: number;
  readonly keyChars: number;
}

const WIDE: Layout = {
  stacked: false,
  plotLeft: PLOT_LEFT,
  step: STEP,
  width: PLOT_LEFT + 4 * STEP + 90,
  labelChars: LABEL_CHARS,
  keyChars: 200,
};

const STACKED: Layout = {
  stacked: true,
  plotLeft: 44,
  step: 68,
  width: 44 + 4 * 68 + 44,
  labelChars: 44,
  keyChars: 40,
};

const xAt = (layout: Layout, level: number) => layout.plotLeft + (level - 1) * layout.step;
const PAD = 16;
const DOT_COLOUR = '#1d70b8';
const GRID_COLOUR = '#b1b4b6';

/** Horizontal position of a level (or a quartile between levels): 1 at the left. */
export function levelX(level: number): number {
  return PLOT_LEFT + (level - 1) * STEP;
}

function capabilityName(framework: Framework, id: string): string {
  return getCapability(framework, id)?.name ?? id;
}

function consensusText(result: CapabilityResult): string {
  return result.consensus === null
    ? 'no ratings'
    : `${result.consensus} ${levelName(result.consensus)}`;
}

function middleHalfText(result: CapabilityResult): string {
  return result.lowerQuartile === null || result.upperQuartile === null
    ? '–'
    : `${formatNumber(result.lowerQuartile)} to ${formatNumber(result.upperQuartile)}`;
}

function targetTexts(
  current: Level | null,
  target: Level | undefined,
): { target: string; distance: string } {
  if (target === undefined) return { target: 'none set', distance: '–' };
  return {
    target: `${target} ${levelName(target)}`,
    distance: current === null ? 'cannot tell: no ratings' : describeTarget(current, target).text,
  };
}

/** The profile chart's figures as a table. */
export function profileTable(input: ProfileInput): ChartTable {
  return {
    caption: `${input.title ?? 'Capability profile'} (1 = Outstanding is best, 5 = Inadequate is worst)`,
    head: [
      'Capability',
      'Consensus level',
      ...(input.agreed ? ['Agreed level'] : []),
      'Middle half of ratings (inter-quartile range)',
      'Disagreement',
      'Target',
      'Distance to target',
    ],
    rows: input.results.map((result) => {
      const agreed = input.agreed?.[result.capabilityId];
      const target = targetTexts(agreed ?? result.consensus, input.targets?.[result.capabilityId]);
      return [
        capabilityName(input.framework, result.capabilityId),
        consensusText(result),
        ...(input.agreed
          ? [agreed === undefined ? 'not agreed' : `${agreed} ${levelName(agreed)}`]
          : []),
        result.interQuartileRange === null
          ? '–'
          : `${middleHalfText(result)} (${formatNumber(result.interQuartileRange)})`,
        result.disagreement ? 'Yes' : 'No',
        target.target,
        target.distance,
      ];
    }),
  };
}

/**
 * The profile chart for a page: the wide chart on a tablet or larger, the stacked one on a phone
 * (the stylesheet shows one; the other is not displayed, so a screen reader meets one chart).
 */
export function profileChartHtml(input: ProfileInput): string {
  const idPrefix = input.idPrefix ?? 'profile';
  return (
    `<div class="tl-chart-wide">${profileChartSvg(input)}</div>` +
    `<div class="tl-chart-narrow">${profileChartSvg({ ...input, idPrefix: `${idPrefix}-stacked` }, 'stacked')}</div>`
  );
}

export function profileChartSvg(input: ProfileInput, shape: 'wide' | 'stacked' = 'wide'): string {
  const layout = shape === 'stacked' ? STACKED : WIDE;
  const levelX = (level: number) => xAt(layout, level);
  const idPrefix = input.idPrefix ?? 'profile';
  const title = input.title ?? 'Capability profile';
  const width = layout.width;
  const axisTop = PAD;
  // "← Better" / "Worse →", then the level numbers, then the level names (up to two lines; the
  // stacked chart names the levels in its key instead, as its columns are too narrow for them).
  const tickNameLines = MATURITY_LEVELS.map((level) =>
    layout.stacked ? [] : wrapText(levelName(level), 12),
  );
  const axisHeight = LINE * 2 + Math.max(...tickNameLines.map((lines) => lines.length)) * LINE + 8;
  const keyLines = [
    'Consensus (median) level',
    'Middle half of the ratings (inter-quartile range)',
    'Target level. 1 Outstanding is best, 5 Inadequate is worst.',
    'Agreed level after moderation',
  ].map((text) => wrapText(text, layout.keyChars));
  const levelKey = layout.stacked
    ? wrapText(MATURITY_LEVELS.map((level) => `${level} ${levelName(level)}`).join(', '), 44)
    : [];

  const rows = input.results.map((result) => {
    const target = input.targets?.[result.capabilityId];
    const agreed = input.agreed?.[result.capabilityId];
    const lines = [
      ...wrapText(capabilityName(input.framework, result.capabilityId), layout.labelChars),
    ];
    const detail = [
      `Consensus ${consensusText(result)}`,
      ...(agreed === undefined ? [] : [`agreed ${agreed} ${levelName(agreed)}`]),
      ...(target === undefined ? [] : [`target ${target} ${levelName(target)}`]),
    ].join('; ');
    // Wrapped at the same width as the name so that it never runs under the plot.
    const detailLines = wrapText(detail, layout.labelChars + 4);
    const textHeight = (lines.length + detailLines.length) * LINE + 16;
    return {
      result,
      target,
      agreed,
      lines,
      detailLines,
      textHeight,
      // Stacked, the scale has a band of its own under the words.
      height: textHeight + (layout.stacked ? 34 : 0),
    };
  });

  const plotTop = axisTop + axisHeight + 8;
  const plotHeight = rows.reduce((sum, row) => sum + row.height, 0);
  const legendTop = plotTop + plotHeight + PAD * 2;
  const showAgreed = rows.some((row) => row.agreed !== undefined);
  const keyRows = keyLines.slice(0, showAgreed ? 4 : 3);
  const keyHeight =
    keyRows.reduce((sum, lines) => sum + Math.max(26, lines.length * LINE + 8), 0) +
    levelKey.length * LINE;
  const height = legendTop + keyHeight + PAD;

  const parts: string[] = [
    svgOpen(
      idPrefix,
      width,
      height,
      title,
      `Profile of the consensus level of each capability on a scale from 1 Outstanding (left, better) to 5 Inadequate (right, worse); a lower number is better. ` +
        `A dot marks the consensus (median) level, a horizontal line the middle half of the ratings (inter-quartile range), and a diamond the target level where one is set${showAgreed ? '; a square marks the level agreed after moderation' : ''}. ` +
        `Each row also prints its consensus level in words. The same figures are in the table that follows the chart.`,
    ),
  ];

  // Axis: the ends in words first, so that the direction is read before any mark.
  parts.push(
    `<text x="${levelX(1) - 12}" y="${axisTop + LINE - 4}" font-weight="bold" fill="${TEXT_COLOUR}">← Better</text>`,
    `<text x="${levelX(5) + 12}" y="${axisTop + LINE - 4}" text-anchor="end" font-weight="bold" fill="${TEXT_COLOUR}">Worse →</text>`,
  );
  MATURITY_LEVELS.forEach((level, index) => {
    const x = levelX(level);
    parts.push(
      `<text x="${x}" y="${axisTop + LINE * 2}" text-anchor="middle" font-weight="bold" fill="${TEXT_COLOUR}">${level}</text>`,
      textBlock(
        tickNameLines[index] ?? [],
        x,
        axisTop + LINE * 3,
        `text-anchor="middle" fill="${TEXT_COLOUR}"`,
      ),
    );
    // Stacked, each row draws the grid in its own band, clear of the words above it.
    if (!layout.stacked) {
      parts.push(
        `<line x1="${x}" y1="${plotTop}" x2="${x}" y2="${plotTop + plotHeight}" stroke="${GRID_COLOUR}" stroke-width="1" stroke-dasharray="2 4"/>`,
      );
    }
  });

  let y = plotTop;
  for (const row of rows) {
    const centre = layout.stacked ? y + row.textHeight + 10 : y + row.height / 2;
    parts.push(
      `<line x1="0" y1="${y}" x2="${width}" y2="${y}" stroke="${GRID_COLOUR}" stroke-width="1"/>`,
      textBlock(row.lines, 8, y + LINE, `fill="${TEXT_COLOUR}"`),
      textBlock(
        row.detailLines,
        8,
        y + LINE * (row.lines.length + 1),
        `fill="${SECONDARY_TEXT_COLOUR}"`,
      ),
    );
    if (layout.stacked) {
      for (const level of MATURITY_LEVELS) {
        parts.push(
          `<line x1="${levelX(level)}" y1="${y + row.textHeight - 6}" x2="${levelX(level)}" y2="${y + row.height}" stroke="${GRID_COLOUR}" stroke-width="1" stroke-dasharray="2 4"/>`,
        );
      }
    }
    const { result } = row;
    if (result.lowerQuartile !== null && result.upperQuartile !== null) {
      const x1 = levelX(result.lowerQuartile);
      const x2 = levelX(result.upperQuartile);
      parts.push(
        `<line x1="${x1}" y1="${centre}" x2="${x2}" y2="${centre}" stroke="${TEXT_COLOUR}" stroke-width="2"/>`,
        `<line x1="${x1}" y1="${centre - 8}" x2="${x1}" y2="${centre + 8}" stroke="${TEXT_COLOUR}" stroke-width="2"/>`,
        `<line x1="${x2}" y1="${centre - 8}" x2="${x2}" y2="${centre + 8}" stroke="${TEXT_COLOUR}" stroke-width="2"/>`,
      );
    }
    if (row.target !== undefined) {
      const x = levelX(row.target);
      parts.push(
        `<path d="M ${x} ${centre - 11} L ${x + 11} ${centre} L ${x} ${centre + 11} L ${x - 11} ${centre} Z" fill="none" stroke="${TEXT_COLOUR}" stroke-width="2"><title>${escapeXml(`Target: ${row.target} ${levelName(row.target)}`)}</title></path>`,
      );
    }
    if (row.agreed !== undefined) {
      const x = levelX(row.agreed);
      parts.push(
        `<path d="M ${x - 12} ${centre - 12} h 24 v 24 h -24 Z" fill="none" stroke="${TEXT_COLOUR}" stroke-width="2"><title>${escapeXml(`Agreed: ${row.agreed} ${levelName(row.agreed)}`)}</title></path>`,
      );
    }
    if (result.consensus === null) {
      parts.push(
        `<text x="${levelX(3)}" y="${centre + 5}" text-anchor="middle" fill="${TEXT_COLOUR}">no ratings</text>`,
      );
    } else {
      parts.push(
        `<circle cx="${levelX(result.consensus)}" cy="${centre}" r="7" fill="${DOT_COLOUR}" stroke="${TEXT_COLOUR}" stroke-width="1"><title>${escapeXml(`Consensus: ${consensusText(result)}`)}</title></circle>`,
      );
    }
    y += row.height;
  }
  parts.push(
    `<line x1="0" y1="${y}" x2="${width}" y2="${y}" stroke="${GRID_COLOUR}" stroke-width="1"/>`,
  );

  // Key: each mark beside its words, one under the other.
  const keyX = 8;
  let keyY = legendTop;
  const marks = [
    (cy: number) =>
      `<circle cx="${keyX + 12}" cy="${cy}" r="7" fill="${DOT_COLOUR}" stroke="${TEXT_COLOUR}" stroke-width="1"/>`,
    (cy: number) =>
      `<line x1="${keyX}" y1="${cy}" x2="${keyX + 24}" y2="${cy}" stroke="${TEXT_COLOUR}" stroke-width="2"/>`,
    (cy: number) =>
      `<path d="M ${keyX + 12} ${cy - 11} L ${keyX + 23} ${cy} L ${keyX + 12} ${cy + 11} L ${keyX + 1} ${cy} Z" fill="none" stroke="${TEXT_COLOUR}" stroke-width="2"/>`,
    (cy: number) =>
      `<path d="M ${keyX + 3} ${cy - 9} h 18 v 18 h -18 Z" fill="none" stroke="${TEXT_COLOUR}" stroke-width="2"/>`,
  ];
  keyRows.forEach((lines, index) => {
    parts.push(
      marks[index]?.(keyY) ?? '',
      textBlock(lines, keyX + 32, keyY + 5, `fill="${TEXT_COLOUR}"`),
    );
    keyY += Math.max(26, lines.length * LINE + 8);
  });
  if (levelKey.length > 0) {
    parts.push(textBlock(levelKey, keyX, keyY + 5, `fill="${TEXT_COLOUR}"`));
  }
  parts.push('</svg>');
  return parts.join('');
}
