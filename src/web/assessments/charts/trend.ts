// A capability's level across rounds (issue 12, point 5): one point per round, oldest on the left,
// 1 Outstanding at the top (a lower number is better, so "up" is better), joined by a line where
// both neighbours have a level. A round whose framework version did not assess the capability, or
// where nobody gave a level, is a gap in the line, never a zero. A dashed line marks each change of
// framework version. Every point prints its level; a filled point is an agreed level, an open one
// the median. The same figures are in the table beside the chart (trendTable).
import type { CapabilityTrend, Trend } from '../../../domain/assessment/index.ts';
import { levelName, MATURITY_LEVELS } from '../../../domain/framework/index.ts';
import {
  BLUE,
  GRID_COLOUR,
  LINE_COLOUR,
  SECONDARY_TEXT_COLOUR,
  TEXT_COLOUR,
  WHITE,
  escapeXml,
  svgOpen,
  textBlock,
  wrapText,
  type ChartTable,
} from '../../charts/svg.ts';

const LEFT = 180;
const COLUMN = 150;
const TOP = 44;
const ROW = 40;
const LINE = 18;

function roundX(index: number): number {
  return LEFT + COLUMN / 2 + index * COLUMN;
}

function levelY(level: number): number {
  return TOP + (level - 1) * ROW;
}

export function trendChartSvg(trend: Trend, capability: CapabilityTrend, idPrefix: string): string {
  const count = trend.rounds.length;
  const width = LEFT + count * COLUMN + 10;
  const labelLines = trend.rounds.map((round) => wrapText(round.title, 18).slice(0, 3));
  const labelsTop = levelY(5) + 34;
  const height = labelsTop + Math.max(1, ...labelLines.map((l) => l.length)) * LINE + 12;
  const described = capability.points
    .map((point, index) => `${trend.rounds[index]?.title ?? ''}: ${point.text}`)
    .join('; ');
  const parts: string[] = [
    svgOpen(
      idPrefix,
      width,
      height,
      `${capability.name}: level in each round`,
      `Level of ${capability.name} in each round, oldest first, on a scale from 1 Outstanding (top, better) to 5 Inadequate (bottom, worse). ${described}. Overall: ${capability.overall}. A filled dot is a level agreed in moderation, an open dot the respondents' median; a dashed line marks a change of framework version. The same figures are in the table that follows the chart.`,
    ),
  ];
  for (const level of MATURITY_LEVELS) {
    const y = levelY(level);
    parts.push(
      `<line x1="${LEFT}" y1="${y}" x2="${width - 10}" y2="${y}" stroke="${GRID_COLOUR}" stroke-width="1" stroke-dasharray="2 4"/>`,
      `<text x="8" y="${y + 5}" fill="${TEXT_COLOUR}"><tspan font-weight="bold">${level}</tspan> ${escapeXml(levelName(level))}</text>`,
    );
  }
  trend.rounds.forEach((round, index) => {
    if (round.frameworkChanged && index > 0) {
      const x = LEFT + index * COLUMN;
      parts.push(
        `<line x1="${x}" y1="${TOP - 30}" x2="${x}" y2="${levelY(5) + 14}" stroke="${LINE_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>`,
        `<text x="${x + 4}" y="${TOP - 20}" fill="${SECONDARY_TEXT_COLOUR}">Framework ${escapeXml(round.frameworkVersion)}</text>`,
      );
    }
    parts.push(
      textBlock(
        labelLines[index] ?? [],
        roundX(index),
        labelsTop,
        `text-anchor="middle" fill="${TEXT_COLOUR}"`,
        LINE,
      ),
    );
  });
  // The line between neighbouring rounds that both have a level.
  capability.points.forEach((point, index) => {
    const previous = index > 0 ? capability.points[index - 1] : undefined;
    const a = previous?.level?.level;
    const b = point.level?.level;
    if (a != null && b != null) {
      parts.push(
        `<line x1="${roundX(index - 1)}" y1="${levelY(a)}" x2="${roundX(index)}" y2="${levelY(b)}" stroke="${BLUE}" stroke-width="3"/>`,
      );
    }
  });
  capability.points.forEach((point, index) => {
    const x = roundX(index);
    const level = point.level?.level;
    if (level == null) {
      parts.push(
        `<text x="${x}" y="${levelY(3) + 5}" text-anchor="middle" fill="${SECONDARY_TEXT_COLOUR}">${point.assessed ? 'No ratings' : 'Not assessed'}</text>`,
      );
      return;
    }
    const agreed = point.level?.source === 'agreed';
    parts.push(
      `<circle cx="${x}" cy="${levelY(level)}" r="8" fill="${agreed ? BLUE : WHITE}" stroke="${BLUE}" stroke-width="3"/>`,
      `<text x="${x + 14}" y="${levelY(level) - 8}" font-weight="bold" fill="${TEXT_COLOUR}">${level}${agreed ? ' agreed' : ''}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The chart's figures: one row per round. */
export function trendTable(trend: Trend, capability: CapabilityTrend): ChartTable {
  return {
    caption: `${capability.name}: level in each round (a lower number is better)`,
    head: ['Round', 'Level', 'Framework'],
    rows: capability.points.map((point, index) => {
      const round = trend.rounds[index];
      return [
        round?.title ?? '',
        point.text,
        `${round?.frameworkVersion ?? ''}${round?.frameworkNote ? ' (changed since the round before)' : ''}${point.descriptorsChanged ? '; descriptors of this capability changed' : ''}`,
      ];
    }),
  };
}
