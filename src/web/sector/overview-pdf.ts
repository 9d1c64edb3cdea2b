// The sector view as a PDF: the same model as the printable page (overview.ts), set in Helvetica
// (built into every reader, nothing embedded or fetched), tagged so screen readers read headings,
// paragraphs, lists and tables in order, each section on a new A4 page. The charts are not drawn:
// every figure in them is in the tables, which are. Its output depends only on its input.
import PDFDocument from 'pdfkit';
import { pdfSafeText } from '../pdf/text.ts';
import type { SectorOverview } from './overview.ts';

const MARGIN = 50;
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';

export function buildSectorOverviewPdf(
  model: SectorOverview,
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
      Title: pdfSafeText(`Sector view: ${model.institutionName}`),
      Author: pdfSafeText(model.institutionName),
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
  const write = (type: string, text: string, font: string, size: number, gap = 4) => {
    root.add(
      doc.struct(type, {}, () => {
        doc.font(font).fontSize(size).text(pdfSafeText(text), { width });
      }),
    );
    doc.moveDown(gap / size);
  };

  write('H1', `Sector view: ${model.institutionName}`, BOLD, 18, 6);
  write('P', `Printed on ${model.printedOn}.`, REGULAR, 10, 4);
  write('P', model.privacyRule, REGULAR, 10, 6);
  for (const line of model.summary) write('LI', `• ${line}`, REGULAR, 10, 3);
  for (const section of model.sections) {
    doc.addPage();
    write('H2', section.heading, BOLD, 14, 4);
    for (const f of section.facts) write('P', `${f.key}: ${f.value}`, REGULAR, 9, 2);
    doc.moveDown(0.4);
    for (const p of section.paragraphs) write('P', p, REGULAR, 10, 6);
    for (const item of section.items) write('LI', `• ${item}`, REGULAR, 10, 3);
    for (const table of section.tables) {
      write('P', table.caption, BOLD, 10, 3);
      for (const row of table.rows) {
        // A row as "Heading: value" pairs: readable at any width, in reading order.
        const pairs = row
          .map((cell, i) => (i === 0 ? cell : `${table.head[i] ?? ''}: ${cell}`))
          .filter((p) => !p.endsWith(': '));
        write('P', pairs.join(' | '), REGULAR, 9, 4);
      }
      doc.moveDown(0.5);
    }
  }
  doc.end();
  return done;
}
