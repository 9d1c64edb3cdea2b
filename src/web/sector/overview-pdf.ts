// The sector view as a PDF: the same model as the printable page (overview.ts), set in Helvetica
// (built into every reader, nothing embedded or fetched), tagged so screen readers read headings,
// paragraphs, lists and tables in order, each section on a new A4 page. The charts are not drawn:
// every figure in them is in the tables, which are. Its output depends only on its input.
import { BOLD, REGULAR, taggedPdf } from '../pdf/document.ts';
import type { SectorOverview } from './overview.ts';

export function buildSectorOverviewPdf(
  model: SectorOverview,
  options: { creationDate: Date; compress?: boolean },
): Promise<Buffer> {
  const { doc, write, finish } = taggedPdf({
    title: `Sector view: ${model.institutionName}`,
    author: model.institutionName,
    creationDate: options.creationDate,
    compress: options.compress,
  });

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
  return finish();
}
