#!/usr/bin/env node
// The `throughline` command. The code is TypeScript, and the checkout needs no build step: like
// Python's __pycache__, the first run compiles the command line (src/cli and everything it imports)
// into JavaScript with esbuild, kept in node_modules/.cache/throughline/cli/, and later runs load it
// directly, without compiling TypeScript at start-up. The output is split: a small entry file with
// the command line itself, and one chunk per sub-command's engine (named by a hash of its content),
// so `throughline themes` never parses the event-log miner or the framework's schemas. It is rebuilt
// whenever the entry is missing or older than any file under src/, this file, package.json or the
// installed packages. If it cannot be built, the TypeScript runs through tsx as before.
// THROUGHLINE_CLI_CACHE=0 always uses tsx.
import {
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'throughline');
const outDir = path.join(cacheDir, 'cli');
const bundle = path.join(outDir, 'index.mjs');
/** Chunks of earlier builds are removed once they are this old (a run started before may still load one). */
const STALE_CHUNK_MS = 10 * 60 * 1000;

/** Modification time of a file, or -Infinity when it is absent. */
function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -Infinity;
  }
}

/** True when any file or folder under `dir` was modified after `time`. */
function changedSince(dir, time) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (statSync(full).mtimeMs > time) return true;
    if (entry.isDirectory() && changedSince(full, time)) return true;
  }
  return false;
}

function isFresh() {
  const built = mtime(bundle);
  if (built === -Infinity) return false;
  const inputs = [
    fileURLToPath(import.meta.url),
    path.join(root, 'package.json'),
    path.join(root, 'node_modules', '.package-lock.json'),
  ];
  return (
    inputs.every((file) => mtime(file) <= built) && !changedSince(path.join(root, 'src'), built)
  );
}

/**
 * A bundled module's `import.meta.url` would be the bundle's own address, which breaks paths to the
 * files shipped beside the source (the word vectors). Each source file's `import.meta.url` is
 * therefore replaced by its own address, written relative to the bundle so that a moved checkout
 * still works.
 */
const sourceAddresses = {
  name: 'source-addresses',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async ({ path: file }) => {
      if (file.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(file, 'utf8');
      if (!text.includes('import.meta.')) return undefined;
      const relative = path
        .relative(outDir, file)
        .split(path.sep)
        .map((part) => encodeURIComponent(part))
        .join('/');
      const url = `new URL(${JSON.stringify(relative)}, import.meta.url)`;
      const contents = text
        .replaceAll('import.meta.url', `${url}.href`)
        .replaceAll('import.meta.filename', `__throughlineFileName(${url})`)
        .replaceAll('import.meta.dirname', `__throughlineDirName(${url})`);
      return { contents, loader: path.extname(file).slice(1).replace(/^[cm]/, '') };
    });
  },
};

async function buildBundle() {
  const started = Date.now();
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { index: path.join(root, 'src', 'cli', 'index.ts') },
    bundle: true,
    splitting: true,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages are bundled too, into the chunk of the sub-command that imports them, so they load
    // only when it runs; those with native code or files of their own stay outside.
    external: ['better-sqlite3', 'pg', 'pg-boss', 'pdfkit', 'sass', 'fastify', '@fastify/*'],
    banner: {
      js: [
        "import { createRequire as __throughlineRequire } from 'node:module';",
        "import { fileURLToPath as __throughlineFileName } from 'node:url';",
        "import { dirname as __throughlineDirname } from 'node:path';",
        'const require = __throughlineRequire(import.meta.url);',
        'const __throughlineDirName = (url) => __throughlineDirname(__throughlineFileName(url));',
      ].join('\n'),
    },
    plugins: [sourceAddresses],
    write: false,
    logLevel: 'silent',
  });
  mkdirSync(outDir, { recursive: true });
  rmSync(path.join(cacheDir, 'cli.mjs'), { force: true }); // the single file of earlier versions
  const written = new Set();
  let entry;
  for (const output of result.outputFiles) {
    if (output.path === bundle) {
      entry = output;
      continue;
    }
    // A chunk's name carries a hash of its content: one already there is this very file.
    written.add(path.basename(output.path));
    if (mtime(output.path) === -Infinity) writeAtomically(output.path, output.contents);
  }
  if (!entry) throw new Error('esbuild produced no entry file');
  // The entry goes last, dated from the start of the build (a source saved during the build makes
  // it stale), and written aside and renamed, so a run started meanwhile never sees half a file.
  writeAtomically(bundle, entry.contents, new Date(started));
  written.add(path.basename(bundle));
  for (const name of readdirSync(outDir)) {
    const file = path.join(outDir, name);
    if (!written.has(name) && mtime(file) < Date.now() - STALE_CHUNK_MS)
      rmSync(file, { force: true });
  }
}

function writeAtomically(file, contents, date) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, contents);
    if (date) utimesSync(temporary, date, date);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}

async function loadCli() {
  if (process.env.THROUGHLINE_CLI_CACHE !== '0') {
    try {
      if (!isFresh()) await buildBundle();
      return await import(pathToFileURL(bundle).href);
    } catch (error) {
      process.stderr.write(
        `throughline: could not build the command-line cache (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); running through tsx.\n`,
      );
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/index.ts');
}

// Piping into `head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await loadCli();
process.exitCode = await main(process.argv);
