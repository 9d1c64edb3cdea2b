// The capability assessment report as a PDF (issue 3, point 9): the same content as the printable
// HTML report — title block, the level scale in words, the profile and the heat map drawn as vector
// graphics each followed by a table of the same figures, per-capability results with evidence, and
// the roadmap. A function from plain data to a Buffer: apart from PDFKit it touches nothing, and its
// output depends only on its input (the creation date is part of the input).
//
// On the paper's scale 1 = Outstanding is the best level and 5 = Inadequate the worst. The profile
// places a dot on an axis labelled "Better" on the left and "Worse" on the right; nothing is drawn
// as a bar whose length could suggest that a higher number is better.
import PDFDocument from 'pdfkit';
import type { Level } from '../../../domain/assessment/index.ts';
import { levelName, MATURITY_LEVELS } from '../../../domain/framework/index.ts';
import {
  EMPTY_SWATCH,
  HIDDEN_SWATCH,
  LEVEL_SWATCHES,
  SECONDARY_TEXT_COLOUR,
  TEXT_COLOUR,
  type ChartTable,
  type Swatch,
} from '../../charts/svg.ts';
import { pdfSafeText } from '../../pdf/text.ts';

export interface ReportPdfProfileRow {
  readonly name: string;
  readonly consensus: Level | null;
  readonly lowerQuartile: number | null;
  readonly upperQuartile: number | null;
  readonly target?: Level | undefined;
  /** The level agreed in moderation, drawn as a hollow square beside the consensus dot. */
  readonly agreed?: Level | undefined;
}

export interface ReportPdfHeatCell {
  readonly level: Level | null;
  readonly hidden: boolean;
  /** What the cell says in words: "2 Good", "4 Needs Improvement (agreed)", "hidden (privacy rule)". */
  readonly text: string;
  /** The level was agreed in moderation (first column only). */
  readonly agreed?: boolean;
}

export interface ReportPdfHeatRow {
  readonly name: string;
  /** All respondents first, then one per group, in the order of `columns`. */
  readonly cells: readonly ReportPdfHeatCell[];
}

export interface ReportPdfCapability {
  /** "3. Developing New Ways of Working" */
  readonly heading: string;
  /** The effective level in words: "agreed 4 Needs Improvement, median 3 Adequate" or "median 3 Adequate". */
  readonly levelText: string;
  readonly medianText: string;
  readonly spreadText: string;
  /** "Agreed: 4 Needs Improvement (documented evidence): rationale." when moderated. */
  readonly agreedText?: string | undefined;
  readonly flags: readonly string[];
  readonly perceptionGaps: readonly string[];
  /** Quotations as printed, with their marks: “Reviews are written up” (3 respondents). */
  readonly evidence: readonly string[];
}

export interface ReportPdfRoadmapItem {
  /** "1. Managing Risk: 4 Needs Improvement → 3 Adequate" */
  readonly heading: string;
  readonly targetText?: string | undefined;
  readonly actions: readonly string[];
}

/** Everything the PDF prints, already in words; dates already formatted for people. */
export interface ReportPdfData {
  readonly organisationName: string;
  readonly title: string;
  readonly statusText: string;
  readonly scopeText: string;
  readonly opensOnText: string;
  readonly closesOnText: string;
  readonly respondents: number;
  readonly framework: { readonly id: string; readonly version: string; readonly citation: string };
  readonly finalised?:
    | {
        readonly version: number;
        readonly createdAtText: string;
        readonly note?: string | undefined;
      }
    | undefined;
  readonly generatedAtText: string;
  readonly profile: { readonly rows: readonly ReportPdfProfileRow[]; readonly table: ChartTable };
  readonly heatMap: {
    readonly columns: readonly string[];
    readonly rows: readonly ReportPdfHeatRow[];
    readonly minGroupSize: number;
    readonly table: ChartTable;
  };
  readonly capabilities: readonly ReportPdfCapability[];
  readonly roadmaps: readonly ReportPdfRoadmapItem[];
}

export interface ReportPdfOptions {
  /** Written into the document's metadata; the only thing that changes between two builds. */
  readonly creationDate: Date;
  /** Compress page content (default true). Tests may turn it off to read the text directly. */
  readonly compress?: boolean;
}

/** The words for the scale, as the HTML report prints them. */
export const LEVEL_SCALE_TEXT =
  'Levels: 1 Outstanding (best), 2 Good, 3 Adequate, 4 Needs Improvement, 5 Inadequate (weakest). A lower number is a better level.';

const MARGIN = 50;
const BODY_SIZE = 10;
const SMALL_SIZE = 9;
const TABLE_SIZE = 8;
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const GRID_COLOUR = '#b1b4b6';
const DOT_COLOUR = '#1d70b8';
const FOOTER_SPACE = 24;

type Doc = PDFKit.PDFDocument;

export function buildAssessmentReportPdf(
  data: ReportPdfData,
  options: ReportPdfOptions,
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER_SPACE, left: MARGIN, right: MARGIN },
    compress: options.compress ?? true,
    bufferPages: true,
    // Tagged, so that screen readers read headings, paragraphs, lists and tables in order.
    pdfVersion: '1.7',
    tagged: true,
    autoFirstPage: true,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: pdfSafeText(`Capability assessment report: ${data.title}`),
      Author: pdfSafeText(data.organisationName),
      Subject: pdfSafeText(
        `Framework ${data.framework.id} version ${data.framework.version}. ${data.framework.citation}`,
      ),
      Creator: 'Throughline',
      Producer: 'Throughline (PDFKit)',
      CreationDate: options.creationDate,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  structure.set(doc, { root, inFigure: false });

  titleBlock(doc, data);
  heading(doc, 'Profile', 14, 160);
  figure(
    doc,
    'Profile chart: for each capability a dot at its consensus level on a scale from 1 Outstanding (left, better) to 5 Inadequate (right, worse), a line over the middle half of the ratings, a diamond at the target level and a square at the level agreed in moderation, if any. The same figures are in the table that follows.',
    () => profileChart(doc, data.profile.rows),
  );
  chartTable(doc, data.profile.table);
  heading(doc, 'By group', 14, 160);
  figure(
    doc,
    'Heat map: the level of each capability, agreed where agreed (else the median of all respondents), and the consensus in each group, printed in each cell as the level number and name; groups hidden by the privacy rule (too small, or they would reveal a small group) are marked hidden, and a group hidden on every capability has no column. The same figures are in the table that follows.',
    () => heatMapChart(doc, data.heatMap),
  );
  chartTable(doc, data.heatMap.table);
  capabilitySections(doc, data.capabilities);
  roadmapSections(doc, data.roadmaps);
  footers(doc, data);

  doc.end();
  return done;
}

// ---- structure for screen readers ----

interface Structure {
  readonly root: PDFKit.PDFStructureElement;
  /** Inside a figure, text belongs to the figure and is not tagged again. */
  inFigure: boolean;
}
const structure = new WeakMap<Doc, Structure>();

/** Draws `draw` as one structure element of `type` (P, H1, …) under the document. */
function tag(doc: Doc, type: string, draw: () => void): void {
  const state = structure.get(doc);
  if (!state || state.inFigure) return draw();
  state.root.add(doc.struct(type, {}, draw));
}

/** A chart: one Figure element with a text alternative; its drawn labels are not read twice. */
function figure(doc: Doc, alt: string, draw: () => void): void {
  const state = structure.get(doc);
  if (!state) return draw();
  state.root.add(
    doc.struct('Figure', { alt }, () => {
      state.inFigure = true;
      try {
        draw();
      } finally {
        state.inFigure = false;
      }
    }),
  );
}

// ---- text helpers ----

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page unless `height` points still fit on this one. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function paragraph(
  doc: Doc,
  text: string,
  { size = BODY_SIZE, font = REGULAR, colour = TEXT_COLOUR, gap = 6, indent = 0, type = 'P' } = {},
): void {
  doc.font(font).fontSize(size).fillColor(colour);
  tag(doc, type, () => {
    doc.text(pdfSafeText(text), doc.page.margins.left + indent, doc.y, {
      width: contentWidth(doc) - indent,
      lineGap: 2,
    });
  });
  doc.y += gap;
}

/** `keep`: how much of what follows must fit on the page with the heading. */
function heading(doc: Doc, text: string, size: number, keep = 4 * BODY_SIZE): void {
  const safe = pdfSafeText(text);
  doc.font(BOLD).fontSize(size);
  ensureSpace(doc, doc.heightOfString(safe, { width: contentWidth(doc) }) + keep + 12);
  doc.y += size >= 14 ? 8 : 4;
  doc.fillColor(TEXT_COLOUR);
  tag(doc, size >= 14 ? 'H2' : 'H3', () => {
    doc.text(safe, doc.page.margins.left, doc.y, { width: contentWidth(doc), lineGap: 1 });
  });
  doc.y += 4;
}

function bullets(doc: Doc, items: readonly string[], size = SMALL_SIZE): void {
  const indent = 12;
  const state = structure.get(doc);
  const list = state && !state.inFigure ? doc.struct('L') : undefined;
  if (state && list) state.root.add(list);
  for (const item of items) {
    const safe = pdfSafeText(item);
    doc.font(REGULAR).fontSize(size);
    const height = doc.heightOfString(safe, { width: contentWidth(doc) - indent, lineGap: 2 });
    ensureSpace(doc, Math.min(height, 3 * size));
    const top = doc.y;
    doc.fillColor(TEXT_COLOUR);
    const label = () => doc.text('•', doc.page.margins.left, top, { lineBreak: false });
    const body = () =>
      doc.text(safe, doc.page.margins.left + indent, top, {
        width: contentWidth(doc) - indent,
        lineGap: 2,
      });
    if (list) {
      list.add(doc.struct('LI', {}, [doc.struct('Lbl', {}, label), doc.struct('LBody', {}, body)]));
    } else {
      label();
      body();
    }
    doc.y += 3;
  }
  list?.end();
  doc.y += 3;
}

// ---- title block ----

function titleBlock(doc: Doc, data: ReportPdfData): void {
  paragraph(doc, `${data.organisationName} · ${data.statusText}`, {
    colour: SECONDARY_TEXT_COLOUR,
    size: 12,
    gap: 2,
  });
  paragraph(doc, data.title, { font: BOLD, size: 22, gap: 8, type: 'H1' });
  const finalised = data.finalised
    ? ` Finalised results, version ${data.finalised.version} of ${data.finalised.createdAtText}.${data.finalised.note ? ` ${data.finalised.note}` : ''}`
    : '';
  paragraph(
    doc,
    `Capability assessment report, ${data.scopeText} level, ${data.opensOnText} to ${data.closesOnText}. ` +
      `${data.respondents} ${data.respondents === 1 ? 'respondent' : 'respondents'}. ` +
      `Framework ${data.framework.id} version ${data.framework.version}, paraphrasing ${data.framework.citation}` +
      `${finalised} Printed ${data.generatedAtText}.`,
  );
  paragraph(doc, LEVEL_SCALE_TEXT, { font: BOLD });
}

// ---- the profile chart ----

const PROFILE_LABEL_WIDTH = 190;

function profileChart(doc: Doc, rows: readonly ReportPdfProfileRow[]): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const plotLeft = left + PROFILE_LABEL_WIDTH + 20;
  const plotRight = left + width - 20;
  const step = (plotRight - plotLeft) / 4;
  const xOf = (level: number) => plotLeft + (level - 1) * step;

  const axis = () => {
    ensureSpace(doc, 70);
    const top = doc.y;
    doc.font(BOLD).fontSize(SMALL_SIZE).fillColor(TEXT_COLOUR);
    doc.text('< Better', xOf(1) - 14, top, { lineBreak: false });
    const worse = 'Worse >';
    doc.text(worse, xOf(5) + 14 - doc.widthOfString(worse), top, { lineBreak: false });
    for (const level of MATURITY_LEVELS) {
      const x = xOf(level);
      doc.font(BOLD).fontSize(SMALL_SIZE);
      doc.text(String(level), x - 20, top + 13, { width: 40, align: 'center' });
      doc.font(REGULAR).fontSize(TABLE_SIZE);
      doc.text(levelName(level), x - step / 2 + 2, top + 25, {
        width: step - 4,
        align: 'center',
      });
    }
    doc.y = top + 50;
  };

  axis();
  for (const row of rows) {
    const name = pdfSafeText(row.name);
    const detail = pdfSafeText(
      [
        `Consensus ${row.consensus === null ? 'no ratings' : `${row.consensus} ${levelName(row.consensus)}`}`,
        ...(row.agreed === undefined ? [] : [`agreed ${row.agreed} ${levelName(row.agreed)}`]),
        ...(row.target === undefined ? [] : [`target ${row.target} ${levelName(row.target)}`]),
      ].join('; '),
    );
    doc.font(BOLD).fontSize(SMALL_SIZE);
    const nameHeight = doc.heightOfString(name, { width: PROFILE_LABEL_WIDTH });
    doc.font(REGULAR).fontSize(TABLE_SIZE);
    const detailHeight = doc.heightOfString(detail, { width: PROFILE_LABEL_WIDTH });
    const height = Math.max(36, nameHeight + detailHeight + 14);
    if (doc.y + height > bottom(doc)) {
      doc.addPage();
      axis();
    }
    const top = doc.y;
    const centre = top + height / 2;
    doc.save();
    doc.lineWidth(0.5).strokeColor(GRID_COLOUR);
    doc
      .moveTo(left, top)
      .lineTo(left + width, top)
      .stroke();
    doc.dash(1, { space: 3 });
    for (const level of MATURITY_LEVELS)
      doc
        .moveTo(xOf(level), top)
        .lineTo(xOf(level), top + height)
        .stroke();
    doc.undash();
    doc.restore();

    doc.font(BOLD).fontSize(SMALL_SIZE).fillColor(TEXT_COLOUR);
    doc.text(name, left, top + 6, { width: PROFILE_LABEL_WIDTH });
    doc.font(REGULAR).fontSize(TABLE_SIZE).fillColor(SECONDARY_TEXT_COLOUR);
    doc.text(detail, left, top + 8 + nameHeight, { width: PROFILE_LABEL_WIDTH });

    doc.save().lineWidth(1.5).strokeColor(TEXT_COLOUR);
    if (row.lowerQuartile !== null && row.upperQuartile !== null) {
      const x1 = xOf(row.lowerQuartile);
      const x2 = xOf(row.upperQuartile);
      doc.moveTo(x1, centre).lineTo(x2, centre).stroke();
      doc
        .moveTo(x1, centre - 6)
        .lineTo(x1, centre + 6)
        .stroke();
      doc
        .moveTo(x2, centre - 6)
        .lineTo(x2, centre + 6)
        .stroke();
    }
    if (row.target !== undefined) {
      const x = xOf(row.target);
      doc.polygon([x, centre - 8], [x + 8, centre], [x, centre + 8], [x - 8, centre]).stroke();
    }
    if (row.agreed !== undefined) {
      doc.rect(xOf(row.agreed) - 9, centre - 9, 18, 18).stroke();
    }
    if (row.consensus === null) {
      doc.font(REGULAR).fontSize(TABLE_SIZE).fillColor(TEXT_COLOUR);
      doc.text('no ratings', xOf(3) - 40, centre - 4, { width: 80, align: 'center' });
    } else {
      doc
        .lineWidth(0.75)
        .circle(xOf(row.consensus), centre, 5)
        .fillAndStroke(DOT_COLOUR, TEXT_COLOUR);
    }
    doc.restore();
    doc.y = top + height;
  }
  doc
    .save()
    .lineWidth(0.5)
    .strokeColor(GRID_COLOUR)
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .stroke()
    .restore();
  doc.y += 10;

  // Key.
  ensureSpace(doc, 50);
  const keyTop = doc.y;
  doc.save().lineWidth(0.75);
  doc
    .circle(left + 8, keyTop + 5, 5)
    .fillAndStroke(DOT_COLOUR, TEXT_COLOUR)
    .lineWidth(1.5)
    .strokeColor(TEXT_COLOUR);
  doc
    .moveTo(left, keyTop + 20)
    .lineTo(left + 16, keyTop + 20)
    .stroke();
  doc
    .polygon(
      [left + 8, keyTop + 28],
      [left + 16, keyTop + 36],
      [left + 8, keyTop + 44],
      [left, keyTop + 36],
    )
    .stroke();
  doc.restore();
  doc.font(REGULAR).fontSize(SMALL_SIZE).fillColor(TEXT_COLOUR);
  doc.text('Consensus (median) level', left + 24, keyTop + 1, { lineBreak: false });
  doc.text('Middle half of the ratings (inter-quartile range)', left + 24, keyTop + 16, {
    lineBreak: false,
  });
  doc.text('Target level. 1 Outstanding is best, 5 Inadequate is worst.', left + 24, keyTop + 32, {
    lineBreak: false,
  });
  doc.x = left;
  doc.y = keyTop + 52;
}

// ---- the heat map ----

function swatchFor(cell: ReportPdfHeatCell): Swatch {
  if (cell.hidden) return HIDDEN_SWATCH;
  return cell.level === null ? EMPTY_SWATCH : LEVEL_SWATCHES[cell.level];
}

function heatMapChart(doc: Doc, heatMap: ReportPdfData['heatMap']): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const labelWidth = 120;
  const cellWidth = (width - labelWidth) / Math.max(1, heatMap.columns.length);

  const header = () => {
    doc.font(BOLD).fontSize(TABLE_SIZE);
    const heights = heatMap.columns.map((c) =>
      doc.heightOfString(pdfSafeText(c), { width: cellWidth - 4 }),
    );
    const height = Math.max(...heights, TABLE_SIZE) + 6;
    ensureSpace(doc, height + 40);
    const top = doc.y;
    doc.fillColor(TEXT_COLOUR);
    heatMap.columns.forEach((column, index) => {
      const h = heights[index] ?? 0;
      doc.text(
        pdfSafeText(column),
        left + labelWidth + index * cellWidth + 2,
        top + height - h - 3,
        {
          width: cellWidth - 4,
          align: 'center',
        },
      );
    });
    doc.y = top + height;
  };

  header();
  for (const row of heatMap.rows) {
    const name = pdfSafeText(row.name);
    doc.font(REGULAR).fontSize(SMALL_SIZE);
    const height = Math.max(34, doc.heightOfString(name, { width: labelWidth - 6 }) + 10);
    if (doc.y + height > bottom(doc)) {
      doc.addPage();
      header();
    }
    const top = doc.y;
    doc
      .fillColor(TEXT_COLOUR)
      .text(name, left, top + (height - doc.heightOfString(name, { width: labelWidth - 6 })) / 2, {
        width: labelWidth - 6,
      });
    row.cells.forEach((cell, index) => {
      const x = left + labelWidth + index * cellWidth;
      const swatch = swatchFor(cell);
      doc
        .save()
        .lineWidth(0.5)
        .rect(x, top, cellWidth, height)
        .fillAndStroke(swatch.fill, GRID_COLOUR)
        .restore();
      doc.fillColor(swatch.text);
      if (cell.level !== null && !cell.hidden) {
        doc.font(BOLD).fontSize(11);
        doc.text(String(cell.level), x, top + 5, { width: cellWidth, align: 'center' });
        doc.font(REGULAR).fontSize(7);
        doc.text(`${levelName(cell.level)}${cell.agreed ? ' (agreed)' : ''}`, x + 2, top + 18, {
          width: cellWidth - 4,
          align: 'center',
        });
      } else {
        const text = cell.text;
        doc.font(REGULAR).fontSize(7);
        const h = doc.heightOfString(pdfSafeText(text), { width: cellWidth - 4 });
        doc.text(pdfSafeText(text), x + 2, top + (height - h) / 2, {
          width: cellWidth - 4,
          align: 'center',
        });
      }
    });
    doc.y = top + height;
  }
  doc.x = left;
  doc.y += 8;

  // Key: every level with its colour, best first.
  ensureSpace(doc, 30);
  paragraph(doc, 'Key: 1 = Outstanding is best, 5 = Inadequate is worst (lower is better)', {
    font: BOLD,
    size: SMALL_SIZE,
    gap: 2,
  });
  const entries: { swatch: Swatch; sample: string; label: string }[] = [
    ...MATURITY_LEVELS.map((level) => ({
      swatch: LEVEL_SWATCHES[level],
      sample: String(level),
      label: levelName(level),
    })),
    { swatch: HIDDEN_SWATCH, sample: '-', label: 'hidden: privacy rule' },
  ];
  const keyWidth = width / entries.length;
  const top = doc.y;
  entries.forEach((entry, index) => {
    const x = left + index * keyWidth;
    doc
      .save()
      .lineWidth(0.5)
      .rect(x, top, 16, 14)
      .fillAndStroke(entry.swatch.fill, GRID_COLOUR)
      .restore();
    doc.font(BOLD).fontSize(TABLE_SIZE).fillColor(entry.swatch.text);
    doc.text(entry.sample, x, top + 3, { width: 16, align: 'center' });
    doc.font(REGULAR).fontSize(TABLE_SIZE).fillColor(TEXT_COLOUR);
    doc.text(entry.label, x + 20, top + 3, { width: keyWidth - 22 });
  });
  doc.x = left;
  doc.y = top + 30;
}

// ---- tables of the same figures ----

const CELL_PADDING = 4;

/**
 * A table of a chart's figures. Rows never split across pages; where the table does not fit, it
 * continues on the next page under a repeated header row, as a printed table should.
 */
function chartTable(doc: Doc, table: ChartTable): void {
  const width = contentWidth(doc);
  const columns = table.head.length;
  const firstWidth = columns > 1 ? Math.max(90, width * 0.2) : width;
  const otherWidth = columns > 1 ? (width - firstWidth) / (columns - 1) : 0;
  const widths = table.head.map((_h, index) => (index === 0 ? firstWidth : otherWidth));
  const rowHeight = (cells: readonly string[], header: boolean) => {
    doc.font(header ? BOLD : REGULAR).fontSize(TABLE_SIZE);
    return (
      Math.max(
        ...cells.map((text, index) =>
          doc.heightOfString(pdfSafeText(text), {
            width: (widths[index] ?? otherWidth) - 2 * CELL_PADDING,
          }),
        ),
      ) +
      2 * CELL_PADDING +
      2
    );
  };
  const headHeight = rowHeight(table.head, true);
  const heights = table.rows.map((row) => rowHeight(row, false));
  const total = headHeight + heights.reduce((sum, h) => sum + h, 0);

  doc.font(BOLD).fontSize(SMALL_SIZE);
  const captionHeight = doc.heightOfString(pdfSafeText(table.caption), { width, lineGap: 2 }) + 6;
  const fullPage = bottom(doc) - doc.page.margins.top;
  // Start on a new page when the whole table would fit there but not here.
  if (doc.y + captionHeight + total > bottom(doc) && captionHeight + total <= fullPage)
    doc.addPage();
  else ensureSpace(doc, captionHeight + headHeight + (heights[0] ?? 0));
  paragraph(doc, table.caption, { font: BOLD, size: SMALL_SIZE, gap: 4 });

  const cell = (text: string, header: boolean) => ({
    text: pdfSafeText(text),
    type: header ? ('TH' as const) : ('TD' as const),
    font: { src: header ? BOLD : REGULAR, size: TABLE_SIZE },
    backgroundColor: header ? '#f3f2f1' : undefined,
  });
  let next = 0;
  while (next < table.rows.length || next === 0) {
    let room = bottom(doc) - doc.y - headHeight;
    let end = next;
    while (end < table.rows.length && (heights[end] ?? 0) <= room) {
      room -= heights[end] ?? 0;
      end++;
    }
    // A single row taller than a page is drawn anyway, and left to PDFKit to split.
    if (end === next && next < table.rows.length) {
      if (doc.y > doc.page.margins.top + 1) {
        doc.addPage();
        continue;
      }
      end = next + 1;
    }
    const state = structure.get(doc);
    doc.table({
      // Accepted by PDFKit, though not yet in its type declarations: the table's TH and TD cells
      // become structure elements under the document.
      ...(state ? ({ structParent: state.root } as object) : {}),
      position: { x: doc.page.margins.left, y: doc.y },
      maxWidth: width,
      columnStyles: widths,
      defaultStyle: {
        border: 0.5,
        borderColor: GRID_COLOUR,
        padding: CELL_PADDING,
        textColor: TEXT_COLOUR,
      },
      data: [
        table.head.map((h) => cell(h, true)),
        ...table.rows.slice(next, end).map((row) => row.map((c) => cell(c, false))),
      ],
    });
    doc.x = doc.page.margins.left;
    next = end;
    if (next >= table.rows.length) break;
    doc.addPage();
  }
  doc.y += 10;
}

// ---- per capability, and the roadmap ----

function capabilitySections(doc: Doc, capabilities: readonly ReportPdfCapability[]): void {
  heading(doc, 'Answers and evidence', 14, 120);
  for (const c of capabilities) {
    heading(doc, c.heading, 11);
    paragraph(doc, `Level: ${c.levelText}. Respondents’ median: ${c.medianText}. ${c.spreadText}`, {
      size: SMALL_SIZE,
    });
    if (c.agreedText) paragraph(doc, c.agreedText, { size: SMALL_SIZE });
    for (const flag of c.flags) paragraph(doc, `Check: ${flag}`, { size: SMALL_SIZE, font: BOLD });
    for (const gap of c.perceptionGaps) paragraph(doc, gap, { size: SMALL_SIZE });
    if (c.evidence.length > 0) {
      paragraph(doc, 'Evidence respondents gave:', { size: SMALL_SIZE, gap: 2 });
      bullets(doc, c.evidence);
    }
  }
}

function roadmapSections(doc: Doc, roadmaps: readonly ReportPdfRoadmapItem[]): void {
  heading(doc, 'Roadmap', 14, 120);
  paragraph(
    doc,
    'Weakest capabilities first. For each, what moving up one level takes, as actions: the practices of the next level that most respondents do not yet see where that level is 2 Good or 1 Outstanding; otherwise the shortcomings of the current level to leave behind, most often seen first.',
    { size: SMALL_SIZE },
  );
  for (const item of roadmaps) {
    heading(doc, item.heading, 11);
    if (item.targetText) paragraph(doc, item.targetText, { size: SMALL_SIZE });
    if (item.actions.length > 0) bullets(doc, item.actions);
  }
}

function footers(doc: Doc, data: ReportPdfData): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    // Writing below the bottom margin would otherwise start a new page.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc
      .font(REGULAR)
      .fontSize(TABLE_SIZE)
      .fillColor(SECONDARY_TEXT_COLOUR)
      .text(
        pdfSafeText(
          `${data.organisationName}: ${data.title}. Page ${index + 1} of ${range.count}. 1 = Outstanding (best) … 5 = Inadequate.`,
        ),
        doc.page.margins.left,
        doc.page.height - MARGIN,
        { width: contentWidth(doc), align: 'center', lineBreak: false },
      );
    doc.endMarkedContent();
    doc.page.margins.bottom = margin;
  }
}
