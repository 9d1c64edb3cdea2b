// Our side of the themes benchmark, shaped like sklearn_themes.py beside it: one process that
// starts, loads the engine and the shipped word vectors, reads the CSV (streamed, with the product's
// reader), finds the themes and prints JSON. The `throughline themes` command does the same work
// behind its command-line parser, which also loads every other sub-command's engine; the suite times
// that too and prints it on its own line.
//
//     node --import tsx bench/baselines/throughline_themes.ts FILE.csv TEXT_COLUMN THEMES|auto SEED
//
// Prints {"themes": n, "assignments": [...], "topWords": [[...], ...], "vectorsMs": …}.
import { createReadStream } from 'node:fs';
import { discoverThemes, loadWordVectors, readComments } from '../../src/domain/themes/index.ts';

const [file = '', column = 'text', themes = 'auto', seed = '1'] = process.argv.slice(2);
const started = performance.now();
const vectors = loadWordVectors();
const vectorsMs = performance.now() - started;
const imported = await readComments(createReadStream(file), {
  format: 'csv',
  columns: { text: column },
});
const run = discoverThemes(
  imported.comments,
  { seed: Number(seed), themes: themes === 'auto' ? undefined : Number(themes) },
  vectors,
);
const topWords = run.themes.map((t) =>
  [...new Set(t.keyPhrases.flatMap((p) => p.split(' ')))].slice(0, 10),
);
process.stdout.write(
  `${JSON.stringify({ themes: run.themes.length, assignments: run.assignments, topWords, vectorsMs })}\n`,
);
