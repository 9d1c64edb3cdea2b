// The heat map of an assessment round (issue 3, point 7): capabilities down, respondent groups across,
// each cell printing the consensus level's number and name. The first column is the round's level:
// agreed in moderation where agreed (and saying so), else the median (issue 12, point 1). Groups
// hidden by disclosure control (domain/assessment/disclosure.ts) print "hidden" and nothing else, and
// a group hidden on every capability has no column at all, so not even its name is shown.
import { getCapability, levelName, MATURITY_LEVELS } from '../../../domain/framework/index.ts';
import type { Framework } from '../../../domain/framework/index.ts';
import { ALL_RESPONDENTS } from '../../../domain/assessment/index.ts';
import type {
  CapabilityResult,
  EffectiveLevel,
  Group,
  Level,
} from '../../../domain/assessment/index.ts';
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
  /** The round's effective levels (agreed, else median); without them the median is shown. */
  readonly levels?: readonly EffectiveLevel[];
  readonly title?: string;
  /** Makes the title and description ids unique on a page with several charts. */
  readonly idPrefix?: string;
}

export interface HeatCell {
  readonly text: string;
  readonly level: Level | null;
  readonly hidden: boolean;
  /** The level was agreed in moderation (first column only). */
  readonly agreed: boolean;
}
type Cell = HeatCell;

const LABEL_WIDTH = 250;
const LABEL_CHARS = 34;
const CELL_WIDTH = 150;
const COLUMN_CHARS = 16;
const LINE = FONT_SIZE + 4;
const PAD = 16;

/**
 * What a hidden cell says. The same for a group that is too small and for one hidden so that a small
 * group cannot be worked out by subtraction: telling them apart would point at the small one.
 */
export function hiddenText(): string {
  return 'hidden (privacy rule)';
}

/** Why cells are hidden, for keys and descriptions. */
export function hiddenRule(minGroupSize: number): string {
  return `a group is hidden when fewer than ${minGroupSize} of its people gave a level, or when showing it would let a hidden group's answers be worked out from the total`;
}

/** The groups that are shown for at least one capability: only they get a column. */
export function heatMapGroups(input: Pick<HeatMapInput, 'results' | 'groups'>): Group[] {
  return input.groups.filter((group) =>
    input.results.some((result) =>
      result.groups.some((entry) => entry.groupId === group.id && !entry.hidden),
    ),
  );
}

function withoutColumn(input: HeatMapInput): number {
  return input.groups.length - heatMapGroups(input).length;
}

/** The first cell of a row: the agreed level where agreed, else the median; nothing when too few. */
function overallCell(input: HeatMapInput, result: CapabilityResult): Cell {
  const effective = input.levels?.find((l) => l.capabilityId === result.capabilityId);
  if (effective?.source === 'agreed' && effective.level !== null) {
    return {
      text: `${effective.level} ${levelName(effective.level)} (agreed)`,
      level: effective.level,
      hidden: false,
      agreed: true,
    };
  }
  if (!result.shown && result.responses > 0) {
    return { text: 'too few answers to show', level: null, hidden: false, agreed: false };
  }
  return result.consensus === null
    ? { text: 'no ratings', level: null, hidden: false, agreed: false }
    : {
        text: `${result.consensus} ${levelName(result.consensus)}`,
        level: result.consensus,
        hidden: false,
        agreed: false,
      };
}

/** The cells of one row: the round's level, then each group that has a column. */
export function heatMapCells(input: HeatMapInput, result: CapabilityResult): HeatCell[] {
  return cellsFor(input, result);
}

function capabilityName(framework: Framework, id: string): string {
  return getCapability(framework, id)?.name ?? id;
}

function cellsFor(input: HeatMapInput, result: CapabilityResult): Cell[] {
  const overall = overallCell(input, result);
  const perGroup = heatMapGroups(input).map((group): Cell => {
    const found = result.groups.find((entry) => entry.groupId === group.id);
    // A group missing from the result is treated as hidden: nothing is known that could be shown.
    if (!found || found.hidden || found.consensus === null) {
      return { text: hiddenText(), level: null, hidden: true, agreed: false };
    }
    return {
      text: `${found.consensus} ${levelName(found.consensus)}`,
      level: found.consensus,
      hidden: false,
      agreed: false,
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
  const dropped = withoutColumn(input);
  return {
    caption:
      `${input.title ?? 'Consensus level by capability and group'} (1 = Outstanding is best, 5 = Inadequate is worst)` +
      (dropped > 0
        ? `. ${dropped === 1 ? '1 group is' : `${dropped} groups are`} hidden on every capability and ${dropped === 1 ? 'has' : 'have'} no column`
        : ''),
    head: ['Capability', ALL_RESPONDENTS, ...heatMapGroups(input).map((group) => group.name)],
    rows: input.results.map((result) => [
      capabilityName(input.framework, result.capabilityId),
      ...cellsFor(input, result).map((cell) => cell.text),
    ]),
  };
}

export function heatMapSvg(input: HeatMapInput): string {
  const idPrefix = input.idPrefix ?? 'heat-map';
  const title = input.title ?? 'Consensus level by capability and group';
  const columns = [ALL_RESPONDENTS, ...heatMapGroups(input).map((group) => group.name)];
  const dropped = withoutColumn(input);
  const columnLines = columns.map((name) => wrapHeader(name));
  const headerHeight = Math.max(...columnLines.map((lines) => lines.length)) * LINE + PAD;

  const rows = input.results.map((result) => {
    const name = capabilityName(input.framework, result.capabilityId);
    const lines = wrapHeader(name, LABEL_CHARS);
    const cells = cellsFor(input, result);
    return {
      name,
      lines,
      cells,
      height: Math.max(
        (cells.some((cell) => cell.agreed) ? 3 : 2) * LINE + 16,
        lines.length * LINE + 14,
      ),
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
      `Heat map of the consensus level for each capability (rows) among all respondents and in each respondent group (columns); ` +
        `the first column gives the level agreed in moderation where one was agreed, marked agreed, else the median of all respondents. ` +
        `Each cell prints the level number and name. 1 = Outstanding is the best level and 5 = Inadequate the worst; a lower number is better. ` +
        `So that no one's answer can be identified, ${hiddenRule(input.minGroupSize)}; hidden cells say so` +
        (dropped > 0 ? `, and groups hidden on every capability have no column` : '') +
        `. The same figures are in the table that follows the chart.`,
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
          cellText(cell, x + CELL_WIDTH / 2, y + row.height / 2, swatch) +
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
      label: `${hiddenText()}: too few people, or it would reveal a small group`,
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
function cellText(cell: Cell, centreX: number, centreY: number, swatch: Swatch): string {
  const attributes = `text-anchor="middle" fill="${swatch.text}"`;
  if (cell.level !== null) {
    const top = cell.agreed ? centreY - 3 - LINE / 2 : centreY - 3;
    return (
      `<text ${attributes}><tspan x="${centreX}" y="${top}" font-weight="bold" font-size="16">${cell.level}</tspan>` +
      `<tspan x="${centreX}" dy="${LINE}"> ${escapeXml(levelName(cell.level))}</tspan>` +
      (cell.agreed ? `<tspan x="${centreX}" dy="${LINE}"> (agreed)</tspan>` : '') +
      `</text>`
    );
  }
  const lines = cell.hidden ? ['hidden', '(privacy rule)'] : wrapText(cell.text, COLUMN_CHARS);
  return textBlock(lines, centreX, centreY + 5 - ((lines.length - 1) * LINE) / 2, attributes);
}

function wrapHeader(text: string, maxChars = COLUMN_CHARS): string[] {
  return wrapText(text, maxChars);
}
