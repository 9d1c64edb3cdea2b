// A tagged A4 PDF set in Helvetica (built into every reader, nothing embedded or fetched), shared by
// the printable documents (the business case, the sector view): `write` adds one tagged element
// (H1, H2, P, LI) in reading order, so screen readers read headings, paragraphs, lists and tables in
// order; `finish` ends the document and gives its bytes. Output depends only on the input.
import PDFDocument from 'pdfkit';
import { pdfSafeText } from './text.ts';

const MARGIN = 50;
export const REGULAR = 'Helvetica';
export const BOLD = 'Helvetica-Bold';

export interface TaggedPdf {
  readonly doc: PDFKit.PDFDocument;
  write(type: string, text: string, font: string, size: number, gap?: number): void;
  finish(): Promise<Buffer>;
}

export function taggedPdf(options: {
  title: string;
  author: string;
  creationDate: Date;
  compress?: boolean;
}): TaggedPdf {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    compress: options.compress ?? true,
    tagged: true,
    displayTitle: true,
    lang: 'en-GB',
    info: {
      Title: pdfSafeText(options.title),
      Author: pdfSafeText(options.author),
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
  return {
    doc,
    write(type, text, font, size, gap = 4) {
      root.add(
        doc.struct(type, {}, () => {
          doc.font(font).fontSize(size).text(pdfSafeText(text), { width });
        }),
      );
      doc.moveDown(gap / size);
    },
    finish() {
      doc.end();
      return done;
    },
  };
}
