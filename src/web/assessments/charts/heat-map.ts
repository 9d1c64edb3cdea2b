// The heat map of an assessment round (issue 3, point 7): capabilities down, respondent groups across,
// each cell printing the consensus level's number and name. Groups below the minimum size print
// "hidden" and nothing else, so no small group's answers can be read from the picture.
import { getCapability, levelName, MATURITY_LEVELS } from '../../../domain/framework/index.ts';
import type { Framework } from '../../../domain/framework/index.ts';
import { ALL_RESPONDENTS } from '../../../domain/assessment/index.ts';
import type { CapabilityResult, Group, Level } from '../../../domain/assessment/index.ts';
import {
  EMPTY_SWATCH,
  escapeXml,
  FONT_SIZE,
  HIDDEN_SWATCH,
  LEVEL_SWATCHES,
  svgOpen,
  TEXT_COLOUR,
  textBlock,
  wrapText,
} from '../../charts/svg.ts';
import type { ChartTable, Swatch } from '../../charts/svg.ts';

export interface HeatMapInput {
  readonly framework: Framework;
  /** Rows, in this order. */
  readonly results: readonly CapabilityResult[];
  /** Columns, in this order, after the all-respondents column. */
  readonly groups: readonly Group[];
  readonly minGroupSize: number;
  readonly title?: string;
  /** Makes the title and description ids unique on a page with several charts. */
  readonly idPrefix?: string;
}

interface Cell {
  readonly text: string;
  readonly level: Level | null;
  readonly hidden: boolean;
}

const LABEL_WIDTH = 250;
const LABEL_CHARS = 34;
const CELL_WIDTH = 150;
const COLUMN_CHARS = 16;
const LINE = FONT_SIZE + 4;
const PAD = 16;

export function hiddenText(minGroupSize: number): string {
  return `hidden (fewer than ${minGroupSize})`;
}

function capabilityName(framework: Framework, id: string): string {
  return getCapability(framework, id)?.name ?? id;
}

function cellsFor(input: HeatMapInput, result: CapabilityResult): Cell[] {
  const overall: Cell =
    result.consensus === null
      ? { text: 'no ratings', level: null, hidden: false }
      : {
          text: `${result.consensus} ${levelName(result.consensus)}`,
          level: result.consensus,
          hidden: false,
        };
  const perGroup = input.groups.map((group): Cell => {
    const found = result.groups.find((entry) => entry.groupId === group.id);
    // A group missing from the result is treated as hidden: nothing is known that could be shown.
    if (!found || found.hidden || found.consensus === null) {
      return { text: hiddenText(input.minGroupSize), level: null, hidden: true };
    }
    return {
      text: `${found.consensus} ${levelName(found.consensus)}`,
      level: found.consensus,
      hidden: false,
    };
  });
  return [overall, ...perGroup];
}

function swatchFor(cell: Cell): Swatch {
  if (cell.hidden) return HIDDEN_SWATCH;
  return cell.level === null ? EMPTY_SWATCH : LEVEL_SWATCHES[cell.level];
}

/** The heat map's figures as a table: a row per capability, a column per group. */
export function heatMapTable(input: HeatMapInput): ChartTable {
  return {
    caption: `${input.title ?? 'Consensus level by capability and group'} (1 = Outstanding is best, 5 = Inadequate is worst)`,
    head: ['Capability', ALL_RESPONDENTS, ...input.groups.map((group) => group.name)],
    rows: input.results.map((result) => [
      capabilityName(input.framework, result.capabilityId),
      ...cellsFor(input, result).map((cell) => cell.text),
    ]),
  };
}

export function heatMapSvg(input: HeatMapInput): string {
  const idPrefix = input.idPrefix ?? 'heat-map';
  const title = input.title ?? 'Consensus level by capability and group';
  const columns = [ALL_RESPONDENTS, ...input.groups.map((group) => group.name)];
  const columnLines = columns.map((name) => wrapHeader(name));
  const headerHeight = Math.max(...columnLines.map((lines) => lines.length)) * LINE + PAD;

  const rows = input.results.map((result) => {
    const name = capabilityName(input.framework, result.capabilityId);
    const lines = wrapHeader(name, LABEL_CHARS);
    return {
      name,
      lines,
      cells: cellsFor(input, result),
      height: Math.max(2 * LINE + 16, lines.length * LINE + 14),
    };
  });

  const width = LABEL_WIDTH + columns.length * CELL_WIDTH + PAD;
  const gridTop = PAD + headerHeight;
  const gridHeight = rows.reduce((sum, row) => sum + row.height, 0);
  const legendTop = gridTop + gridHeight + PAD * 2;
  const legendEntries = MATURITY_LEVELS.length + 1;
  const height = legendTop + LINE + legendEntries * 28 + PAD;

  const parts: string[] = [
    svgOpen(
      idPrefix,
      width,
      height,
      title,
      `Heat map of the consensus level for each capability (rows) among all respondents and in each respondent group (columns). ` +
        `Each cell prints the level number and name. 1 = Outstanding is the best level and 5 = Inadequate the worst; a lower number is better. ` +
        `Groups where fewer than ${input.minGroupSize} people gave a level are shown as hidden so that no one's answer can be identified. ` +
        `The same figures are in the table that follows the chart.`,
    ),
  ];

  columns.forEach((_name, index) => {
    const x = LABEL_WIDTH + index * CELL_WIDTH + CELL_WIDTH / 2;
    const lines = columnLines[index] ?? [];
    parts.push(
      textBlock(
        lines,
        x,
        PAD + headerHeight - PAD / 2 - (lines.length - 1) * LINE,
        `text-anchor="middle" font-weight="bold" fill="${TEXT_COLOUR}"`,
      ),
    );
  });

  let y = gridTop;
  for (const row of rows) {
    parts.push(
      textBlock(
        row.lines,
        8,
        y + row.height / 2 - ((row.lines.length - 1) * LINE) / 2 + 5,
        `fill="${TEXT_COLOUR}"`,
      ),
    );
    row.cells.forEach((cell, index) => {
      const x = LABEL_WIDTH + index * CELL_WIDTH;
      const swatch = swatchFor(cell);
      parts.push(
        `<g><title>${escapeXml(`${row.name}, ${columns[index] ?? ''}: ${cell.text}`)}</title>` +
          `<rect x="${x}" y="${y}" width="${CELL_WIDTH}" height="${row.height}" fill="${swatch.fill}" stroke="#b1b4b6" stroke-width="1"/>` +
          cellText(cell, x + CELL_WIDTH / 2, y + row.height / 2, swatch, input.minGroupSize) +
          '</g>',
      );
    });
    y += row.height;
  }

  parts.push(
    `<text x="8" y="${legendTop}" font-weight="bold" fill="${TEXT_COLOUR}">Key: 1 = Outstanding is best, 5 = Inadequate is worst (lower is better)</text>`,
  );
  const legend: { swatch: Swatch; sample: string; label: string }[] = [
    ...MATURITY_LEVELS.map((level) => ({
      swatch: LEVEL_SWATCHES[level],
      sample: String(level),
      label: `${level} ${levelName(level)}${level === 1 ? ' (best)' : level === 5 ? ' (worst)' : ''}`,
    })),
    {
      swatch: HIDDEN_SWATCH,
      sample: '–',
      label: `${hiddenText(input.minGroupSize)}: too few people in the group gave a level to show it`,
    },
  ];
  legend.forEach((entry, index) => {
    const top = legendTop + LINE + index * 28 - 4;
    parts.push(
      `<rect x="8" y="${top}" width="32" height="22" fill="${entry.swatch.fill}" stroke="#b1b4b6" stroke-width="1"/>` +
        `<text x="24" y="${top + 16}" text-anchor="middle" font-weight="bold" fill="${entry.swatch.text}">${escapeXml(entry.sample)}</text>` +
        `<text x="50" y="${top + 16}" fill="${TEXT_COLOUR}">${escapeXml(entry.label)}</text>`,
    );
  });

  parts.push('</svg>');
  return parts.join('');
}

/**
 * A cell's text on two lines so that columns stay narrow: the level number in bold over its name, or
 * "hidden" over the reason. Read aloud or copied, the lines join into "4 Needs Improvement".
 */
function cellText(
  cell: Cell,
  centreX: number,
  centreY: number,
  swatch: Swatch,
  minGroupSize: number,
): string {
  const attributes = `text-anchor="middle" fill="${swatch.text}"`;
  if (cell.level !== null) {
    return (
      `<text ${attributes}><tspan x="${centreX}" y="${centreY - 3}" font-weight="bold" font-size="16">${cell.level}</tspan>` +
      `<tspan x="${centreX}" dy="${LINE}"> ${escapeXml(levelName(cell.level))}</tspan></text>`
    );
  }
  const lines = cell.hidden ? ['hidden', `(fewer than ${minGroupSize})`] : [cell.text];
  return textBlock(lines, centreX, centreY + 5 - ((lines.length - 1) * LINE) / 2, attributes);
}

function wrapHeader(text: string, maxChars = COLUMN_CHARS): string[] {
  return wrapText(text, maxChars);
}
