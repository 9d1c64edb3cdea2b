// The installed command (bin/throughline.js), run as a user runs it: from its compiled cache, split so
// that `themes` loads only its own chunk, and giving exactly what the TypeScript gives through tsx.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/throughline.js', import.meta.url));
const fixture = fileURLToPath(
  new URL('../fixtures/comments/council-comments.csv', import.meta.url),
);
const cacheDir = fileURLToPath(
  new URL('../../node_modules/.cache/throughline/cli', import.meta.url),
);

async function themes(cache: boolean): Promise<{ assignments: (string | null)[] }> {
  const { stdout } = await run(
    process.execPath,
    [bin, 'themes', fixture, '--text-column', 'comment', '--seed', '3', '--json'],
    { cwd: root, env: { ...process.env, THROUGHLINE_CLI_CACHE: cache ? '1' : '0' } },
  );
  return JSON.parse(stdout) as { assignments: (string | null)[] };
}

describe('bin/throughline.js', () => {
  it('runs from its split cache and agrees with the TypeScript run through tsx', async () => {
    const cached = await themes(true);
    expect(existsSync(`${cacheDir}/index.mjs`)).toBe(true);
    const files = readdirSync(cacheDir);
    expect(files.some((name) => /^themes-[A-Z0-9]+\.mjs$/.test(name))).toBe(true);
    expect(files.some((name) => name.endsWith('.tmp'))).toBe(false);
    expect(cached.assignments).toHaveLength(51);
    expect(cached.assignments.filter((id) => id !== null).length).toBeGreaterThan(25);
    expect(await themes(false)).toEqual(cached);
  }, 60_000);
});
