// `npm run bench`: runs every suite in bench/suites (or only those named on the command line).
// Speed and memory targets live here, never in timed tests.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

interface Suite {
  readonly name: string;
  run(): Promise<void>;
}

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'suites');
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith('.ts')).sort();
let failed = 0;
for (const file of files) {
  const suite = (await import(pathToFileURL(path.join(dir, file)).href)) as { suite: Suite };
  // A name also runs its parts: `themes` runs `themes-consultation`.
  const name = suite.suite.name;
  if (only.length > 0 && !only.some((o) => name === o || name.startsWith(`${o}-`))) continue;
  console.log(`\n## ${suite.suite.name}`);
  try {
    await suite.suite.run();
  } catch (error) {
    failed++;
    console.error(`bench ${suite.suite.name} failed:`, error);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
