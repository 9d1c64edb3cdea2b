// What the upload page and the JSON API share when comments arrive: the whole received file checked
// as the import job will read it (keeping no comment), the options of an analysis with their
// messages, and the column mapping checked against the file — so a file or a mapping refused on one
// path is refused on the other with the same words, and nothing is stored unless it all reads.
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import {
  isBlankComment,
  redactPersonalData,
  type ColumnMapping,
} from '../../domain/themes/index.ts';
import { noCommentsMessage } from '../../jobs/themes-import.ts';
import type { Services } from '../principal.ts';
import {
  checkUpload,
  formatOf,
  headOf,
  importErrorMessage,
  previewCsv,
  type CsvPreview,
  type ReceivedFile,
} from './upload.ts';

/** The options of an analysis as the forms send them (strings), with their messages. */
export const analysisOptions = z
  .object({
    themes: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v === undefined || v === '' ? null : Number(v)))
      .refine((v) => v === null || (Number.isInteger(v) && v >= 2 && v <= 150), {
        message: 'Enter a whole number of themes from 2 to 150, or leave it empty to let us choose',
      }),
    seed: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v === undefined || v === '' ? 1 : Number(v)))
      .refine((v) => Number.isInteger(v) && v >= 0 && v <= 1_000_000, {
        message: 'Enter a whole number from 0 to 1,000,000 as the starting point',
      }),
    broadThemes: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v === undefined || v === '' ? null : Number(v)))
      .refine((v) => v === null || (Number.isInteger(v) && v >= 2 && v <= 50), {
        message:
          'Enter a whole number of broad themes from 2 to 50, or leave it empty to let us choose',
      }),
    // The consultation question the comments answer (optional): each theme then gets a stance split.
    // Personal data in it is removed before it is stored, as in the comments.
    question: z
      .string()
      .trim()
      .max(1000, 'Enter a question of 1,000 characters or fewer')
      .optional()
      .transform((v) => (v === undefined || v === '' ? null : redactPersonalData(v))),
  })
  .refine((o) => o.themes === null || o.broadThemes === null || o.broadThemes < o.themes, {
    path: ['broadThemes'],
    message: 'Enter fewer broad themes than themes: each broad theme groups several themes',
  });

export type CheckedUpload =
  | { readonly ok: false; readonly message: string }
  | { readonly ok: true; readonly format: 'text'; readonly setName: string; readonly rows: number }
  | {
      readonly ok: true;
      readonly format: 'csv';
      readonly setName: string;
      readonly preview: CsvPreview;
    };

/**
 * Checks a received file in full, as the import job will read it, keeping no comment: a text
 * file must hold a comment; a CSV must read to its end and have a column with text in it.
 */
export async function checkCommentUpload(
  services: Pick<Services, 'config'>,
  name: string,
  file: ReceivedFile | null,
): Promise<CheckedUpload> {
  if (!file || file.sizeBytes === 0)
    return { ok: false, message: 'Choose a CSV or text file of comments' };
  if (name.length > 120)
    return { ok: false, message: 'Give the comments a name of 120 characters or fewer' };
  const setName = name || file.fileName.replace(/\.[^.]+$/, '') || 'Comments';
  if (formatOf(file.fileName) === 'text') {
    let rows = 0;
    let comments = 0;
    try {
      ({ rows } = await checkUpload(
        createReadStream(file.path),
        'text',
        undefined,
        (c) => {
          if (comments === 0 && !isBlankComment(c.text)) comments++;
        },
        services.config.uploads.maxComments,
      ));
    } catch (error) {
      return { ok: false, message: importErrorMessage(error) };
    }
    if (comments === 0) return { ok: false, message: noCommentsMessage(null) };
    return { ok: true, format: 'text', setName, rows };
  }
  // A CSV: check the whole file now (keeping no comment), so a bad file is refused before
  // anything is stored.
  const preview = previewCsv(await headOf(file.path));
  if (preview.columns.length === 0)
    return { ok: false, message: 'The file is empty or has no header row' };
  try {
    await checkUpload(
      createReadStream(file.path),
      'csv',
      { text: preview.columns[0] ?? '' },
      undefined,
      services.config.uploads.maxComments,
    );
  } catch (error) {
    return { ok: false, message: importErrorMessage(error) };
  }
  if (preview.textColumns.length === 0)
    return {
      ok: false,
      message:
        'No column of the file has any text in it. Check that it is the file of comments, with a header row naming its columns',
    };
  return { ok: true, format: 'csv', setName, preview };
}

/**
 * Checks a column mapping against a CSV's columns and the start of its rows: every column named
 * is the file's, each is used once, and the comments' column has comments in it. Returns the field
 * at fault and why, or null when the mapping will do.
 */
export function mappingProblem(
  columns: readonly string[],
  preview: CsvPreview,
  mapping: ColumnMapping,
): { readonly field: string; readonly message: string } | null {
  for (const [field, column] of Object.entries(mapping)) {
    if (column !== undefined && !columns.includes(column))
      return { field, message: `The file has no column named “${column}”` };
  }
  const chosen = Object.values(mapping).filter((c): c is string => c !== undefined);
  if (new Set(chosen).size !== chosen.length)
    return { field: 'text', message: 'Choose a different column for each kind of information' };
  // A first look at the start of the file is enough to tell an empty column; the whole file
  // was checked when it was uploaded, and is read again, in the background, as it is stored.
  if (!preview.commentColumns.includes(mapping.text))
    return { field: 'text', message: noCommentsMessage(mapping) };
  return null;
}
