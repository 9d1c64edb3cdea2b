// The capability benchmarks as an accessible SVG: one strip per capability on the levels scale
// (1 Outstanding on the left, 5 Inadequate on the right), a box from the lower to the upper
// quartile, a line at the median, and a diamond with the words "You" at the member's own level.
// A hidden figure is drawn as words, never as a box. The same figures are in the table below it.
import {
  BLUE,
  FONT_SIZE,
  GRID_COLOUR,
  LINE_COLOUR,
  SECONDARY_TEXT_COLOUR,
  TEXT_COLOUR,
  escapeXml,
  svgOpen,
} from '../charts/svg.ts';
import { hiddenWords, type BenchmarksDocument } from './view.ts';

const WIDTH = 640;
const LEFT = 20;
const RIGHT = 20;
const ROW = 64;
const TOP = 40;

export function benchmarkChart(doc: BenchmarksDocument): string {
  const rows = doc.capabilities;
  const height = TOP + rows.length * ROW + 10;
  const x = (level: number) => LEFT + ((level - 1) / 4) * (WIDTH - LEFT - RIGHT);
  const parts: string[] = [];
  // The scale: five levels, lower is better.
  for (let level = 1; level <= 5; level++) {
    parts.push(
      `<line x1="${x(level)}" y1="${TOP - 8}" x2="${x(level)}" y2="${height - 10}" stroke="${GRID_COLOUR}" stroke-width="1"/>`,
      `<text x="${x(level)}" y="${TOP - 14}" text-anchor="${level === 1 ? 'start' : level === 5 ? 'end' : 'middle'}" fill="${SECONDARY_TEXT_COLOUR}">${level}${level === 1 ? ' Outstanding' : level === 5 ? ' Inadequate' : ''}</text>`,
    );
  }
  const described: string[] = [];
  rows.forEach((c, i) => {
    const y = TOP + i * ROW;
    parts.push(
      `<text x="${LEFT}" y="${y + 16}" fill="${TEXT_COLOUR}" font-weight="bold">${escapeXml(c.name)}</text>`,
    );
    const f = c.allMembers;
    const mid = y + 38;
    if (f.shown && f.lowerQuartile !== undefined && f.upperQuartile !== undefined) {
      const x1 = x(f.lowerQuartile);
      const x2 = Math.max(x(f.upperQuartile), x1 + 3);
      parts.push(
        `<rect x="${x1}" y="${mid - 10}" width="${x2 - x1}" height="20" fill="${BLUE}" fill-opacity="0.25" stroke="${BLUE}" stroke-width="2"/>`,
        `<line x1="${x(f.median ?? 0)}" y1="${mid - 14}" x2="${x(f.median ?? 0)}" y2="${mid + 14}" stroke="${TEXT_COLOUR}" stroke-width="3"/>`,
      );
      described.push(
        `${c.name}: median ${f.median}, quartiles ${f.lowerQuartile} to ${f.upperQuartile}, ${f.organisations} organisations`,
      );
    } else {
      parts.push(
        `<text x="${WIDTH / 2}" y="${mid + 5}" text-anchor="middle" fill="${SECONDARY_TEXT_COLOUR}">${escapeXml(hiddenWords(f, doc.minimumOrganisations))}</text>`,
      );
      described.push(`${c.name}: ${hiddenWords(f, doc.minimumOrganisations)}`);
    }
    if (c.own) {
      const ox = x(c.own.value);
      parts.push(
        `<path d="M ${ox} ${mid - 9} L ${ox + 9} ${mid} L ${ox} ${mid + 9} L ${ox - 9} ${mid} Z" fill="${LINE_COLOUR}" stroke="#ffffff" stroke-width="1.5"/>`,
        `<text x="${Math.min(ox + 12, WIDTH - 30)}" y="${mid - 12}" fill="${TEXT_COLOUR}" font-size="${FONT_SIZE}">You</text>`,
      );
      described[described.length - 1] += `; your level ${c.own.value}`;
    }
  });
  return (
    svgOpen(
      'sector-benchmarks',
      WIDTH,
      height,
      'Capability levels across sharing members (1 Outstanding, 5 Inadequate)',
      `Each strip shows the middle half of members (a box from the lower to the upper quartile) and the median (a line). ${described.join('. ')}.`,
    ) +
    parts.join('') +
    '</svg>'
  );
}
