// Throughput and backlog over time for an analysed event log, as accessible SVG strings: cases
// arrived and finished per week or month (two lines, told apart by their dash pattern, marker shape
// and a label at the end of each line, not by colour alone), and cases still open at the end of
// each period (bars with their numbers). The same figures are in a table beside each chart.
import type { PeriodFlow } from '../../domain/mining/index.ts';
import {
  escapeXml,
  safeId,
  TEXT_COLOUR as TEXT,
  SECONDARY_TEXT_COLOUR as SECONDARY,
  GRID_COLOUR as GRID,
  FONT_FAMILY as FONT,
  BLUE as BAR,
} from '../charts/svg.ts';
import { count } from './format.ts';

const ARRIVED = '#1d70b8';
const COMPLETED = '#0b0c0c';

const LEFT = 64;
const RIGHT = 110;
const TOP = 24;
const BOTTOM = 56;
const HEIGHT = 300;

/** An axis maximum whose quarters are whole, round numbers (15, 40, 250, …). */
function niceMax(value: number): number {
  const quarter = Math.max(1, value / 4);
  const power = 10 ** Math.floor(Math.log10(quarter));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const tick = step * power;
    if (tick >= quarter && Number.isInteger(tick)) return tick * 4;
  }
  return 40 * power;
}

function frame(id: string, width: number, title: string, desc: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${id}-title ${id}-desc" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" font-family="${FONT}" font-size="14">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(desc)}</desc>` +
    `<rect x="0" y="0" width="${width}" height="${HEIGHT}" fill="#ffffff"/>`
  );
}

function axes(
  width: number,
  max: number,
  flow: readonly PeriodFlow[],
  step: number,
  yLabel: string,
): string {
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const out: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const value = (max * i) / 4;
    const y = TOP + plotHeight - (plotHeight * i) / 4;
    out.push(
      `<line x1="${LEFT}" x2="${width - RIGHT}" y1="${y}" y2="${y}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${LEFT - 8}" y="${y + 5}" text-anchor="end" font-size="12" fill="${SECONDARY}">${escapeXml(count(value))}</text>`,
    );
  }
  const every = Math.max(1, Math.ceil(flow.length / 12));
  flow.forEach((p, i) => {
    if (i % every !== 0) return;
    const x = LEFT + step * (i + 0.5);
    out.push(
      `<text x="${x.toFixed(1)}" y="${HEIGHT - BOTTOM + 20}" text-anchor="middle" font-size="12" fill="${SECONDARY}">${escapeXml(p.period)}</text>`,
    );
  });
  out.push(
    `<text x="${LEFT}" y="${HEIGHT - 10}" font-size="12" fill="${SECONDARY}">${escapeXml(yLabel)}</text>`,
  );
  return out.join('');
}

function width(flow: readonly PeriodFlow[]): number {
  return Math.max(480, Math.min(960, LEFT + RIGHT + flow.length * 40));
}

/** Cases arrived and finished per period. */
export function throughputSvg(
  flow: readonly PeriodFlow[],
  unit: 'week' | 'month',
  idPrefix = 'throughput',
): string {
  const id = safeId(idPrefix);
  const w = width(flow);
  const step = (w - LEFT - RIGHT) / Math.max(1, flow.length);
  const max = niceMax(Math.max(1, ...flow.map((p) => Math.max(p.arrived, p.completed))));
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const y = (v: number) => TOP + plotHeight - (plotHeight * v) / max;
  const totalIn = flow.reduce((s, p) => s + p.arrived, 0);
  const totalOut = flow.reduce((s, p) => s + p.completed, 0);
  const desc = `Cases arrived and finished each ${unit}, over ${flow.length} ${unit}s: ${count(totalIn)} arrived and ${count(totalOut)} finished in all. The table below gives each ${unit}'s figures.`;
  const line = (key: 'arrived' | 'completed', colour: string, dash: string) =>
    `<path d="${flow.map((p, i) => `${i === 0 ? 'M' : 'L'}${(LEFT + step * (i + 0.5)).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2.5"${dash}/>`;
  const markers = flow
    .map((p, i) => {
      const x = LEFT + step * (i + 0.5);
      return (
        `<circle cx="${x.toFixed(1)}" cy="${y(p.arrived).toFixed(1)}" r="4" fill="${ARRIVED}"/>` +
        `<rect x="${(x - 4).toFixed(1)}" y="${(y(p.completed) - 4).toFixed(1)}" width="8" height="8" fill="${COMPLETED}"/>`
      );
    })
    .join('');
  const last = flow[flow.length - 1];
  const labelX = w - RIGHT + 8;
  let arrivedY = last ? y(last.arrived) : TOP;
  let completedY = last ? y(last.completed) : TOP;
  if (Math.abs(arrivedY - completedY) < 16) {
    if (arrivedY <= completedY) completedY = arrivedY + 16;
    else arrivedY = completedY + 16;
  }
  return (
    frame(id, w, `Cases arrived and finished per ${unit}`, desc) +
    axes(w, max, flow, step, `Cases per ${unit}`) +
    line('arrived', ARRIVED, '') +
    line('completed', COMPLETED, ' stroke-dasharray="6 4"') +
    markers +
    `<text x="${labelX}" y="${(arrivedY + 5).toFixed(1)}" font-size="14" fill="${ARRIVED}">● Arrived</text>` +
    `<text x="${labelX}" y="${(completedY + 5).toFixed(1)}" font-size="14" fill="${COMPLETED}">■ Finished</text>` +
    '</svg>'
  );
}

/** Cases open (begun, not finished) at the end of each period. */
export function backlogSvg(
  flow: readonly PeriodFlow[],
  unit: 'week' | 'month',
  idPrefix = 'backlog',
): string {
  const id = safeId(idPrefix);
  const w = width(flow);
  const step = (w - LEFT - RIGHT) / Math.max(1, flow.length);
  const max = niceMax(Math.max(1, ...flow.map((p) => p.openAtEnd)));
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const peak = flow.reduce<PeriodFlow | null>(
    (best, p) => (best === null || p.openAtEnd > best.openAtEnd ? p : best),
    null,
  );
  const desc = `Cases still open at the end of each ${unit}, over ${flow.length} ${unit}s${peak ? `; the most was ${count(peak.openAtEnd)} in ${peak.period}` : ''}. The table below gives each ${unit}'s figure.`;
  const showNumbers = flow.length <= 24;
  const bars = flow
    .map((p, i) => {
      const h = (plotHeight * p.openAtEnd) / max;
      const x = LEFT + step * i + step * 0.15;
      const bw = step * 0.7;
      return (
        `<rect x="${x.toFixed(1)}" y="${(TOP + plotHeight - h).toFixed(1)}" width="${bw.toFixed(1)}" height="${h.toFixed(1)}" fill="${BAR}"/>` +
        (showNumbers
          ? `<text x="${(x + bw / 2).toFixed(1)}" y="${(TOP + plotHeight - h - 4).toFixed(1)}" text-anchor="middle" font-size="12" fill="${TEXT}">${escapeXml(count(p.openAtEnd))}</text>`
          : '')
      );
    })
    .join('');
  return (
    frame(id, w, `Open cases at the end of each ${unit}`, desc) +
    axes(w, max, flow, step, `Open cases`) +
    bars +
    '</svg>'
  );
}
