// Builds the stylesheet from govuk-frontend's Sass once per version, and caches it on disk.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const webDir = path.dirname(fileURLToPath(import.meta.url));
export const govukDist = path.join(
  path.dirname(require.resolve('govuk-frontend/package.json')),
  'dist',
);
const scssFile = path.join(webDir, 'styles', 'throughline.scss');

/** Returns the path of the compiled CSS, compiling it only when the Sass or govuk-frontend changed. */
export async function buildStylesheet(cacheDir: string): Promise<string> {
  const govukVersion = (
    JSON.parse(readFileSync(path.join(govukDist, '..', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const source = readFileSync(scssFile, 'utf8');
  const key = createHash('sha256').update(govukVersion).update(source).digest('hex').slice(0, 12);
  const out = path.join(cacheDir, `throughline-${key}.css`);
  if (existsSync(out)) return out;
  const sass = await import('sass');
  const result = sass.compile(scssFile, {
    loadPaths: [govukDist],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import'],
  });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(out, result.css);
  return out;
}
