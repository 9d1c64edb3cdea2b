// The chain diagram (paper section 2.2.1, Figure 1) as an accessible SVG string: stages left to
// right in the model's order, each naming the organisation that runs it, its staff or machines and
// how busy it is; arrows for the routes between stages, dashed loops above for rework, stubs below
// for the outputs and exits a stage leads to, and the bottleneck marked in words ("Bottleneck") as
// well as by a heavier border. Built without a DOM or JavaScript, so it renders everywhere.
import { EXIT } from '../../domain/chain/index.ts';
import type { ChainAnalysis, DeliveryChain } from '../../domain/chain/index.ts';
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
import { num, pct } from './format.ts';

const COLUMN = 190;
const BOX_WIDTH = 140;
const LEFT = 96;
const STUB_HEIGHT = 56;
const STUB_GAP = 8;
const NAME_CHARS = 18;

interface Arc {
  readonly from: number;
  readonly to: number;
  readonly probability: number;
  readonly rework: boolean;
}

function text(x: number, y: number, value: string, attrs = ''): string {
  return `<text x="${x}" y="${y}" ${attrs}>${escapeXml(value)}</text>`;
}

function lines(x: number, y: number, values: readonly string[], attrs: string, step = 16): string {
  return values.map((v, i) => text(x, y + i * step, v, attrs)).join('');
}

/** A label on a white background, so that it stays readable where lines cross it. */
function label(x: number, y: number, value: string, anchor: 'middle' | 'start' = 'middle'): string {
  const width = value.length * 7 + 8;
  const left = anchor === 'middle' ? x - width / 2 : x - 4;
  return (
    `<rect x="${left}" y="${y - 13}" width="${width}" height="18" fill="${WHITE}"/>` +
    text(x, y, value, `font-size="13" text-anchor="${anchor}" fill="${TEXT}"`)
  );
}

function plainDescription(chain: DeliveryChain, analysis: ChainAnalysis): string {
  const stageName = (id: string): string =>
    id === EXIT
      ? 'leaves the chain'
      : (chain.stages.find((s) => s.id === id)?.name ??
        `output “${chain.outputs.find((o) => o.id === id)?.name ?? id}”`);
  const parts = chain.stages.map((stage, i) => {
    const a = analysis.stages[i];
    const routes = stage.routes
      .map(
        (r) =>
          `${pct(r.probability)} ${r.rework === true ? 'back for rework to ' : 'to '}${stageName(r.to)}`,
      )
      .join(', ');
    return `Stage ${i + 1}, ${stage.name}, run by ${stage.organisation}, ${a === undefined ? '' : a.role === 'delay' ? 'a delay with no staff' : a.role === 'capacity-unknown' ? 'capacity not known' : `${pct(a.utilisation)} busy`}${stage.id === analysis.bottleneck.stageId ? ' (the bottleneck)' : ''}; routes: ${routes}.`;
  });
  return `${chain.stages.length} stages from left to right. ${parts.join(' ')}`;
}

/** Wraps to at most `max` lines, ending the last with "…" if the text was longer. */
function clip(value: string, chars: number, max: number): string[] {
  const wrapped = wrapText(value, chars);
  const kept = wrapped.slice(0, max);
  if (wrapped.length > max) kept[max - 1] = `${kept[max - 1] ?? ''}…`;
  return kept;
}

interface BoxText {
  readonly name: string[];
  readonly org: string[];
  readonly staff: string[];
  readonly busy: string[];
  readonly height: number;
}

function boxText(
  stage: DeliveryChain['stages'][number],
  utilisation: number | undefined,
  bottleneck: boolean,
): BoxText {
  const noun = stage.serverName ?? { singular: 'server', plural: 'servers' };
  const name = clip(stage.name, NAME_CHARS, 3);
  const org = clip(stage.organisation, NAME_CHARS + 2, 2);
  const staff = clip(
    stage.delay !== undefined
      ? `delay: ${stage.delay.kind}`
      : stage.capacityUnknown !== undefined
        ? 'capacity not known'
        : `${stage.servers} ${stage.servers === 1 ? noun.singular : noun.plural}`,
    NAME_CHARS + 2,
    2,
  );
  const busy =
    utilisation === undefined || stage.delay !== undefined || stage.capacityUnknown !== undefined
      ? []
      : wrapText(
          utilisation >= 1 ? `${pct(utilisation)} busy: over capacity` : `${pct(utilisation)} busy`,
          NAME_CHARS + 2,
        );
  const height =
    (bottleneck ? 24 : 0) +
    20 +
    name.length * 17 +
    org.length * 15 +
    2 +
    staff.length * 15 +
    busy.length * 15;
  return { name, org, staff, busy, height };
}

/** The chain diagram. `idPrefix` keeps ids unique when a page shows more than one. */
export function chainDiagramSvg(
  chain: DeliveryChain,
  analysis: ChainAnalysis,
  idPrefix = 'chain-diagram',
): string {
  const id = safeId(idPrefix);
  const index = new Map(chain.stages.map((s, i) => [s.id, i]));
  const n = chain.stages.length;
  const x = (i: number): number => LEFT + i * COLUMN;

  // Routes that are not drawn as a straight arrow to the next stage become arcs above the boxes.
  const arcs: Arc[] = [];
  const stubs: { stage: number; to: string; probability: number }[] = [];
  chain.stages.forEach((stage, i) => {
    for (const route of stage.routes) {
      const j = index.get(route.to);
      if (j === undefined) stubs.push({ stage: i, to: route.to, probability: route.probability });
      else if (j !== i + 1 || route.rework === true)
        arcs.push({
          from: i,
          to: j,
          probability: route.probability,
          rework: route.rework === true || j <= i,
        });
    }
  });
  const arcHeight = (a: Arc): number =>
    a.from === a.to ? 44 : 40 + 26 * (Math.abs(a.to - a.from) - (a.to > a.from ? 1 : 0));
  const texts = chain.stages.map((stage, i) =>
    boxText(stage, analysis.stages[i]?.utilisation, stage.id === analysis.bottleneck.stageId),
  );
  const BOX_HEIGHT = Math.max(110, ...texts.map((t) => t.height + 4));
  const top = Math.max(70, ...arcs.map((a) => arcHeight(a) + 34));
  const boxY = top;
  const stubsPerStage = chain.stages.map((_, i) => stubs.filter((s) => s.stage === i).length);
  const maxStubs = Math.max(0, ...stubsPerStage);
  // At least a page's width, so that a short chain is not drawn larger than a long one.
  const width = Math.max(900, LEFT + n * COLUMN - (COLUMN - BOX_WIDTH) + 16);
  const height = boxY + BOX_HEIGHT + 26 + maxStubs * (STUB_HEIGHT + STUB_GAP) + 12;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
      `width="100%" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="14">` +
      `<title id="${id}-title">${escapeXml(`Diagram of the delivery chain: ${chain.name}`)}</title>` +
      `<desc id="${id}-desc">${escapeXml(plainDescription(chain, analysis))}</desc>` +
      `<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
      `<path d="M0,0 L10,5 L0,10 z" fill="${TEXT}"/></marker></defs>` +
      `<rect x="0" y="0" width="${width}" height="${height}" fill="${WHITE}"/>`,
  );
  const arrow = `marker-end="url(#${id}-arrow)"`;

  // Demand: an arrow from the left into the first stage, or from above into any other entry stage.
  for (const demand of chain.demand) {
    const i = index.get(demand.stage);
    if (i === undefined) continue;
    const perWeek = demand.per === 'week' ? demand.rate : demand.rate * chain.hoursPerWeek;
    const what = `${num(perWeek)} new a week`;
    if (i === 0) {
      const y = boxY + BOX_HEIGHT / 2;
      out.push(
        `<line x1="6" y1="${y}" x2="${x(0) - 2}" y2="${y}" stroke="${TEXT}" stroke-width="2" ${arrow}/>`,
      );
      out.push(lines(6, y - 24, wrapText(what, 12), `font-size="13" fill="${TEXT}"`, 15));
    } else {
      const ax = x(i) + BOX_WIDTH - 14;
      out.push(
        `<line x1="${ax}" y1="${boxY - 26}" x2="${ax}" y2="${boxY - 2}" stroke="${TEXT}" stroke-width="2" ${arrow}/>`,
      );
      out.push(label(ax, boxY - 30, what));
    }
  }

  // Straight arrows between neighbouring stages.
  chain.stages.forEach((stage, i) => {
    const next = stage.routes.find((r) => index.get(r.to) === i + 1 && r.rework !== true);
    if (next === undefined) return;
    const y = boxY + BOX_HEIGHT / 2;
    out.push(
      `<line x1="${x(i) + BOX_WIDTH}" y1="${y}" x2="${x(i + 1) - 2}" y2="${y}" stroke="${TEXT}" stroke-width="2" ${arrow}/>`,
    );
    if (next.probability < 1)
      out.push(label((x(i) + BOX_WIDTH + x(i + 1)) / 2, y - 10, pct(next.probability)));
  });

  // Arcs above: rework loops (dashed, labelled "Rework") and routes that skip a stage.
  for (const a of arcs) {
    const h = arcHeight(a);
    const x1 =
      a.from === a.to
        ? x(a.from) + BOX_WIDTH * 0.3
        : x(a.from) + BOX_WIDTH * (a.rework ? 0.35 : 0.65);
    const x2 =
      a.from === a.to ? x(a.to) + BOX_WIDTH * 0.7 : x(a.to) + BOX_WIDTH * (a.rework ? 0.65 : 0.35);
    const apex = boxY - h;
    out.push(
      `<path d="M${x1},${boxY} C${x1},${apex} ${x2},${apex} ${x2},${boxY - 2}" fill="none" stroke="${a.rework ? TEXT : LINE}" stroke-width="2"${a.rework ? ' stroke-dasharray="6 4"' : ''} ${arrow}/>`,
    );
    const words = a.rework ? `Rework ${pct(a.probability)}` : pct(a.probability);
    out.push(label((x1 + x2) / 2, boxY - h * 0.75 - 4, words));
  }

  // Stage boxes.
  chain.stages.forEach((stage, i) => {
    const isBottleneck = stage.id === analysis.bottleneck.stageId;
    const bx = x(i);
    out.push(
      `<rect x="${bx}" y="${boxY}" width="${BOX_WIDTH}" height="${BOX_HEIGHT}" rx="4" fill="${isBottleneck ? BOTTLENECK_FILL : WHITE}" stroke="${TEXT}" stroke-width="${isBottleneck ? 4 : 1.5}"/>`,
    );
    let y = boxY + 20;
    if (isBottleneck) {
      out.push(`<rect x="${bx}" y="${boxY}" width="${BOX_WIDTH}" height="24" fill="${TEXT}"/>`);
      out.push(
        text(
          bx + BOX_WIDTH / 2,
          boxY + 17,
          'Bottleneck',
          `font-weight="bold" text-anchor="middle" fill="${WHITE}"`,
        ),
      );
      y += 24;
    }
    const t = texts[i];
    if (t === undefined) return;
    out.push(lines(bx + 8, y, t.name, `font-weight="bold" fill="${TEXT}"`, 17));
    y += t.name.length * 17;
    out.push(lines(bx + 8, y, t.org, `font-size="13" fill="${SECONDARY}"`, 15));
    y += t.org.length * 15 + 2;
    out.push(lines(bx + 8, y, t.staff, `font-size="13" fill="${TEXT}"`, 15));
    y += t.staff.length * 15;
    out.push(lines(bx + 8, y, t.busy, `font-size="13" font-weight="bold" fill="${TEXT}"`, 15));
  });

  // Stubs below each stage: the outputs it produces and the share that leaves without one.
  chain.stages.forEach((_, i) => {
    const mine = stubs.filter((s) => s.stage === i);
    if (mine.length === 0) return;
    const bx = x(i);
    const spine = bx + 12;
    const firstTop = boxY + BOX_HEIGHT + 22;
    const lastMid = firstTop + (mine.length - 1) * (STUB_HEIGHT + STUB_GAP) + STUB_HEIGHT / 2;
    out.push(
      `<line x1="${spine}" y1="${boxY + BOX_HEIGHT}" x2="${spine}" y2="${lastMid}" stroke="${TEXT}" stroke-width="2"/>`,
    );
    mine.forEach((s, k) => {
      const sy = firstTop + k * (STUB_HEIGHT + STUB_GAP);
      const output = chain.outputs.find((o) => o.id === s.to);
      const title = output === undefined ? 'Leaves, no output' : output.name;
      out.push(
        `<line x1="${spine}" y1="${sy + STUB_HEIGHT / 2}" x2="${bx + 26}" y2="${sy + STUB_HEIGHT / 2}" stroke="${TEXT}" stroke-width="2" ${arrow}/>`,
      );
      out.push(
        `<rect x="${bx + 28}" y="${sy}" width="${BOX_WIDTH - 28}" height="${STUB_HEIGHT}" rx="12" fill="${LIGHT_GREY}" stroke="${LINE}"/>`,
      );
      const wrapped = wrapText(title, 16);
      const titleLines = wrapped.slice(0, 2);
      if (wrapped.length > 2) titleLines[1] = `${titleLines[1] ?? ''}…`;
      out.push(lines(bx + 36, sy + 16, titleLines, `font-size="13" fill="${TEXT}"`, 15));
      out.push(
        text(
          bx + 36,
          sy + 16 + titleLines.length * 15,
          `${pct(s.probability)}${output === undefined ? '' : ' · output'}`,
          `font-size="13" fill="${SECONDARY}"`,
        ),
      );
    });
  });

  out.push('</svg>');
  return out.join('');
}
