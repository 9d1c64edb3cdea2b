// The process map (issue 5): the directly-follows graph of an analysed event log as an accessible
// SVG string, laid out by dagre (a proven layered-graph layout, rather than one of our own). Each
// activity box gives its name, how often it happened and the median wait before it; each arrow its
// frequency and median wait. The bottleneck, if the evidence names one, is marked in words
// ("Bottleneck") as well as by a heavier border and fill; other long waits say what kind they are.
// The same figures are in the tables beside it. Built without a DOM or JavaScript.
import dagre from '@dagrejs/dagre';
import type { LogAnalysis } from '../../domain/mining/index.ts';
import {
  escapeXml,
  safeId,
  wrapText,
  TEXT_COLOUR as TEXT,
  SECONDARY_TEXT_COLOUR as SECONDARY,
  LINE_COLOUR as LINE,
  FONT_FAMILY as FONT,
  BOTTLENECK_FILL,
  LIGHT_GREY,
  WHITE,
} from '../charts/svg.ts';
import { count, duration, percent, shortDuration } from './format.ts';

const START = '__start__';
const END = '__end__';
const NODE_WIDTH = 210;
const NAME_CHARS = 24;
const LINE_HEIGHT = 17;
/**
 * How much of the map to draw: paths taken at least this often, as a percentage of the cases (0:
 * every path and activity, up to MAX_ALL activities). The page offers exactly these choices.
 */
export const PATH_SHARES = ['0', '1', '2', '5', '10', '20', '50'] as const;
/** Activities drawn at most: when paths are thinned, and when every path is asked for. */
const MAX_MAIN = 25;
const MAX_ALL = 60;

/** Frequency: how often each path is taken; performance: how long each takes (median). */
export type MapView = 'frequency' | 'performance';

export interface MapOptions {
  readonly view: MapView;
  /** Paths taken by fewer than this share of the cases are not drawn (0: draw them all). */
  readonly minShare: number;
}

export interface ProcessMap {
  readonly svg: string;
  readonly shownActivities: number;
  readonly shownEdges: number;
  readonly totalActivities: number;
  readonly totalEdges: number;
  /** What was left out of the drawing (never out of the tables). */
  readonly omitted: string | null;
}

interface NodeInfo {
  readonly id: string;
  readonly lines: readonly { text: string; bold?: boolean; small?: boolean }[];
  readonly kind: 'terminal' | 'activity' | 'bottleneck' | 'candidate';
}

/** A smooth curve through dagre's bend points: straight to the first midpoint, then quadratic. */
function smoothPath(points: readonly { x: number; y: number }[]): string {
  const f = (n: number) => n.toFixed(1);
  const first = points[0] as { x: number; y: number };
  if (points.length < 3)
    return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${f(p.x)},${f(p.y)}`).join(' ');
  let d = `M${f(first.x)},${f(first.y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i] as { x: number; y: number };
    const next = points[i + 1] as { x: number; y: number };
    const end = i === points.length - 2 ? next : { x: (p.x + next.x) / 2, y: (p.y + next.y) / 2 };
    if (i === 1) {
      const prev = points[0] as { x: number; y: number };
      d += ` L${f((prev.x + p.x) / 2)},${f((prev.y + p.y) / 2)}`;
    }
    d += ` Q${f(p.x)},${f(p.y)} ${f(end.x)},${f(end.y)}`;
  }
  return d;
}

/** Chooses what to draw: every path, or (by default) the paths that carry most of the cases. */
function select(analysis: LogAnalysis, minShare: number) {
  const cases = Math.max(1, analysis.counts.cases);
  const edges = [...analysis.edges].sort((a, b) => b.frequency - a.frequency);
  const byCases = [...analysis.activities].sort((a, b) => b.cases - a.cases || b.count - a.count);
  if (minShare === 0) {
    // Even "every activity" has a ceiling: a layout of hundreds of boxes is neither quick nor legible.
    const activities = new Set(byCases.slice(0, MAX_ALL).map((a) => a.activity));
    for (const name of bottleneckNames(analysis)) activities.add(name);
    return {
      edges: edges.filter((e) => activities.has(e.from) && activities.has(e.to)),
      activities,
    };
  }
  // The most common activities (in at least the chosen share of cases, and never fewer than 2%),
  // and paths taken at least as often as the chosen share of the cases.
  const activities = new Set(
    byCases
      .filter((a) => a.cases >= cases * Math.max(0.02, minShare))
      .slice(0, MAX_MAIN)
      .map((a) => a.activity),
  );
  for (const name of bottleneckNames(analysis)) activities.add(name);
  const kept = edges.filter(
    (e) => activities.has(e.from) && activities.has(e.to) && e.frequency >= cases * minShare,
  );
  // Every kept activity keeps at least its most frequent way in and out.
  for (const name of activities) {
    for (const side of ['to', 'from'] as const) {
      if (kept.some((e) => e[side] === name)) continue;
      const best = edges.find(
        (e) => e[side] === name && activities.has(side === 'to' ? e.from : e.to),
      );
      if (best) kept.push(best);
    }
  }
  return { edges: kept, activities };
}

function bottleneckNames(analysis: LogAnalysis): string[] {
  const named = analysis.bottleneck.bottleneck?.activity;
  return [
    ...(named === undefined ? [] : [named]),
    ...analysis.bottleneck.candidates.slice(0, 3).map((c) => c.activity),
  ];
}

export function processMapSvg(
  analysis: LogAnalysis,
  options: Partial<MapOptions> & { idPrefix?: string } = {},
): ProcessMap {
  const minShare = options.minShare ?? 0.05;
  const view = options.view ?? 'frequency';
  const prefix = safeId(options.idPrefix ?? 'process-map');
  const { edges, activities } = select(analysis, minShare);
  const named = analysis.bottleneck.bottleneck?.activity ?? null;
  const namedKind = analysis.bottleneck.bottleneck?.kindLabel ?? null;
  const candidates = new Map(analysis.bottleneck.candidates.map((c) => [c.activity, c]));
  const measures = new Map(analysis.activities.map((a) => [a.activity, a]));

  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 36, ranksep: 56, edgesep: 14, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));

  const nodes = new Map<string, NodeInfo>();
  const addNode = (info: NodeInfo) => {
    nodes.set(info.id, info);
    const height = info.kind === 'terminal' ? 36 : info.lines.length * LINE_HEIGHT + 16;
    g.setNode(info.id, { width: info.kind === 'terminal' ? 90 : NODE_WIDTH, height });
  };
  addNode({ id: START, lines: [{ text: 'Start', bold: true }], kind: 'terminal' });
  addNode({ id: END, lines: [{ text: 'End', bold: true }], kind: 'terminal' });
  for (const name of activities) {
    const m = measures.get(name);
    if (m === undefined) continue;
    const candidate = candidates.get(name);
    const kind = name === named ? 'bottleneck' : candidate ? 'candidate' : 'activity';
    const lines: { text: string; bold?: boolean; small?: boolean }[] = [];
    if (kind === 'bottleneck') {
      lines.push({ text: 'Bottleneck', bold: true });
      if (namedKind !== null) lines.push({ text: `(${namedKind})`, small: true });
    }
    for (const part of wrapText(name, NAME_CHARS).slice(0, 3))
      lines.push({ text: part, bold: true });
    lines.push({ text: `${count(m.count)} times` });
    if (m.waitingTime.count > 0) {
      lines.push({ text: `median wait ${shortDuration(m.waitingTime.median)}` });
    }
    if (kind !== 'activity' && candidate) {
      // Small text wraps narrower than names: 12px Arial fits about 32 characters in a box.
      for (const part of wrapText(
        `${percent(candidate.evidence.waitingShare)} of case time: ${candidate.kindLabel}`,
        32,
      )) {
        lines.push({ text: part, small: true });
      }
    }
    addNode({ id: name, lines, kind });
  }
  const shown: { from: string; to: string; label: string; weight: number }[] = [];
  // A self-loop (an activity repeated straight after itself) is drawn by hand as a loop on the
  // box's right-hand side: a layered layout has no place for an arrow back into the same box.
  const loops: { at: string; label: string; weight: number }[] = [];
  const addEdge = (from: string, to: string, label: string, weight: number) => {
    if (!g.hasNode(from) || !g.hasNode(to)) return;
    if (from === to) {
      loops.push({ at: from, label, weight });
      return;
    }
    shown.push({ from, to, label, weight });
    g.setEdge(from, to, { width: label.length * 7 + 10, height: 18, labelpos: 'c' });
  };
  const minTerminal = minShare === 0 ? 0 : analysis.counts.cases * minShare;
  // Starts and ends too: rare ones only where an activity would otherwise have no way in or out.
  for (const s of analysis.startActivities) {
    if (!activities.has(s.activity)) continue;
    if (
      s.count >= minTerminal ||
      !edges.some((e) => e.to === s.activity && e.from !== s.activity)
    ) {
      addEdge(START, s.activity, count(s.count), view === 'performance' ? 0 : s.count);
    }
  }
  for (const e of edges) {
    if (view === 'performance')
      addEdge(e.from, e.to, shortDuration(e.time.median), Math.max(1, e.time.median));
    else addEdge(e.from, e.to, count(e.frequency), e.frequency);
  }
  for (const s of analysis.endActivities) {
    if (!activities.has(s.activity)) continue;
    if (
      s.count >= minTerminal ||
      !edges.some((e) => e.from === s.activity && e.to !== s.activity)
    ) {
      addEdge(s.activity, END, count(s.count), view === 'performance' ? 0 : s.count);
    }
  }
  dagre.layout(g);

  const graph = g.graph();
  const loopRoom =
    loops.length === 0 ? 0 : 40 + Math.max(...loops.map((l) => l.label.length * 7 + 8));
  const width = Math.ceil((graph.width ?? 400) + loopRoom);
  const height = Math.ceil(graph.height ?? 200);
  const maxWeight = Math.max(1, ...shown.map((e) => e.weight), ...loops.map((l) => l.weight));
  const out: string[] = [];
  const title = 'Process map';
  const desc =
    `The process discovered from the log, from Start to End: ${activities.size} of ${analysis.counts.activities} activities and ${shown.length + loops.length} paths are drawn${loops.length > 0 ? `, ${loops.length} of them ${loops.length === 1 ? 'a loop' : 'loops'} from an activity back to itself` : ''}. ` +
    (view === 'performance'
      ? 'Arrows are labelled with the median time between the two activities, and thicker arrows take longer. '
      : 'Arrows are labelled with how often the path was taken, and thicker arrows are taken more often. ') +
    (named === null
      ? analysis.bottleneck.statement
      : `The bottleneck is “${named}” (${namedKind ?? ''}). `) +
    ' The tables below give the same figures.';
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" aria-labelledby="${prefix}-title ${prefix}-desc" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="14">`,
    `<title id="${prefix}-title">${escapeXml(title)}</title><desc id="${prefix}-desc">${escapeXml(desc)}</desc>`,
    `<defs><marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${LINE}"/></marker></defs>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="${WHITE}"/>`,
  );
  // Arrows first, so boxes and labels sit on top of them.
  for (const e of shown) {
    const edge = g.edge(e.from, e.to) as { points?: { x: number; y: number }[] } | undefined;
    const points = edge?.points ?? [];
    if (points.length < 2) continue;
    const d = smoothPath(points);
    const stroke = 1 + (4 * e.weight) / maxWeight;
    out.push(
      `<path d="${d}" fill="none" stroke="${LINE}" stroke-width="${stroke.toFixed(1)}" marker-end="url(#${prefix}-arrow)"/>`,
    );
  }
  for (const e of shown) {
    const edge = g.edge(e.from, e.to) as { x?: number; y?: number } | undefined;
    if (edge?.x === undefined || edge.y === undefined) continue;
    const w = e.label.length * 7 + 8;
    out.push(
      `<rect x="${(edge.x - w / 2).toFixed(1)}" y="${(edge.y - 10).toFixed(1)}" width="${w}" height="19" fill="${WHITE}"/>`,
      `<text x="${edge.x.toFixed(1)}" y="${(edge.y + 4).toFixed(1)}" font-size="13" text-anchor="middle" fill="${TEXT}">${escapeXml(e.label)}</text>`,
    );
  }
  for (const l of loops) {
    const n = g.node(l.at) as { x: number; y: number; width: number; height: number } | undefined;
    if (n === undefined) continue;
    const right = n.x + n.width / 2;
    const f = (v: number) => v.toFixed(1);
    const stroke = 1 + (4 * l.weight) / maxWeight;
    out.push(
      `<path class="app-self-loop" d="M${f(right)},${f(n.y - 10)} C${f(right + 34)},${f(n.y - 30)} ${f(right + 34)},${f(n.y + 30)} ${f(right + 1)},${f(n.y + 10)}" fill="none" stroke="${LINE}" stroke-width="${stroke.toFixed(1)}" marker-end="url(#${prefix}-arrow)"/>`,
      `<text x="${f(right + 30)}" y="${f(n.y + 4)}" font-size="13" fill="${TEXT}">${escapeXml(l.label)}</text>`,
    );
  }
  for (const [id, info] of nodes) {
    const n = g.node(id) as { x: number; y: number; width: number; height: number } | undefined;
    if (n === undefined) continue;
    const left = n.x - n.width / 2;
    const top = n.y - n.height / 2;
    if (info.kind === 'terminal') {
      out.push(
        `<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${n.width}" height="${n.height}" rx="18" fill="${WHITE}" stroke="${TEXT}" stroke-width="2"/>`,
        `<text x="${n.x.toFixed(1)}" y="${(n.y + 5).toFixed(1)}" text-anchor="middle" font-weight="bold" fill="${TEXT}">${escapeXml(info.lines[0]?.text ?? '')}</text>`,
      );
      continue;
    }
    const fill =
      info.kind === 'bottleneck' ? BOTTLENECK_FILL : info.kind === 'candidate' ? LIGHT_GREY : WHITE;
    const stroke =
      info.kind === 'bottleneck'
        ? `stroke="${TEXT}" stroke-width="4"`
        : info.kind === 'candidate'
          ? `stroke="${TEXT}" stroke-width="2" stroke-dasharray="6 3"`
          : `stroke="${LINE}" stroke-width="1.5"`;
    out.push(
      `<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${n.width}" height="${n.height}" rx="4" fill="${fill}" ${stroke}/>`,
    );
    info.lines.forEach((line, i) => {
      const y = top + 8 + LINE_HEIGHT * (i + 1) - 4;
      out.push(
        `<text x="${n.x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="middle"${line.bold === true ? ' font-weight="bold"' : ''} font-size="${line.small === true ? 12 : 14}" fill="${line.small === true ? SECONDARY : TEXT}">${escapeXml(line.text)}</text>`,
      );
    });
  }
  out.push('</svg>');
  const omittedActivities = analysis.counts.activities - activities.size;
  const omittedEdges = analysis.edges.length - edges.length;
  const threshold = `${Math.round(minShare * 1000) / 10}%`;
  return {
    svg: out.join(''),
    shownActivities: activities.size,
    shownEdges: edges.length,
    totalActivities: analysis.counts.activities,
    totalEdges: analysis.edges.length,
    omitted:
      omittedActivities > 0 || omittedEdges > 0
        ? `To keep the map readable, ${omittedActivities > 0 ? `${count(omittedActivities)} less common ${omittedActivities === 1 ? 'activity' : 'activities'} and ` : ''}${count(omittedEdges)} ${omittedEdges === 1 ? 'path' : 'paths'} taken by fewer than ${threshold} of the cases ${omittedEdges === 1 ? 'is' : 'are'} not drawn. The tables include them.`
        : null,
  };
}

/** The wait kinds in words, for the tables. */
export function waitLabel(analysis: LogAnalysis, activity: string): string {
  const named = analysis.bottleneck.bottleneck;
  if (named?.activity === activity) return `Bottleneck (${named.kindLabel})`;
  const c = analysis.bottleneck.candidates.find((x) => x.activity === activity);
  return c ? `Long wait: ${c.kindLabel}` : '';
}

export { duration };
