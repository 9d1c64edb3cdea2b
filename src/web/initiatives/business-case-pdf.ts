// The business case as a PDF: the same model as the printable page (business-case.ts), set in
// Helvetica (built into every reader, nothing embedded or fetched), tagged so screen readers read
// headings, paragraphs, lists and tables in order. Its output depends only on its input.
import { BOLD, REGULAR, taggedPdf } from '../pdf/document.ts';
import type { BusinessCase } from './business-case.ts';

export function buildBusinessCasePdf(
  model: BusinessCase,
  options: { creationDate: Date; compress?: boolean },
): Promise<Buffer> {
  const { doc, write, finish } = taggedPdf({
    title: `Business case: ${model.title}`,
    author: model.organisationName,
    creationDate: options.creationDate,
    compress: options.compress,
  });

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
  return finish();
}
