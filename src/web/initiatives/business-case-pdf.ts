// The business case as a PDF: the same model as the printable page (business-case.ts), set in
// Helvetica (built into every reader, nothing embedded or fetched), tagged so screen readers read
// headings, paragraphs, lists and tables in order. Its output depends only on its input.
import PDFDocument from 'pdfkit';
import { pdfSafeText } from '../pdf/text.ts';
import type { BusinessCase } from './business-case.ts';

const MARGIN = 50;
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';

export function buildBusinessCasePdf(
  model: BusinessCase,
  options: { creationDate: Date; compress?: boolean },
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    compress: options.compress ?? true,
    tagged: true,
    displayTitle: true,
    lang: 'en-GB',
    info: {
      Title: pdfSafeText(`Business case: ${model.title}`),
      Author: pdfSafeText(model.organisationName),
      Creator: 'Throughline',
      CreationDate: options.creationDate,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => resolve(Buffer.concat(chunks))),
  );
  const width = doc.page.width - 2 * MARGIN;
  const root = doc.struct('Document');
  doc.addStructure(root);
  /** One tagged element (H1, H2, P, LI) of the document, in reading order. */
  const write = (type: string, text: string, font: string, size: number, gap = 4) => {
    root.add(
      doc.struct(type, {}, () => {
        doc.font(font).fontSize(size).text(pdfSafeText(text), { width });
      }),
    );
    doc.moveDown(gap / size);
  };

  write('H1', `Business case: ${model.title}`, BOLD, 18, 6);
  write(
    'P',
    `${model.organisationName}. Status: ${model.statusText}. Readiness: ${model.verdictText}.`,
    REGULAR,
    10,
    10,
  );
  for (const section of model.sections) {
    write('H2', section.heading, BOLD, 13, 4);
    for (const p of section.paragraphs) write('P', p, REGULAR, 10, 6);
    for (const item of section.items) write('LI', `• ${item}`, REGULAR, 10, 3);
    for (const table of section.tables) {
      write('P', table.caption, BOLD, 10, 3);
      for (const row of table.rows) {
        // A row as "Heading: value" pairs, one line each: readable at any width, in reading order.
        const pairs = row
          .map((cell, i) => `${table.head[i] ?? ''}: ${cell}`)
          .filter((p) => !p.endsWith(': '));
        write('P', pairs.join(' | '), REGULAR, 9, 4);
      }
      doc.moveDown(0.5);
    }
    doc.moveDown(0.6);
  }
  doc.end();
  return done;
}
