// Every runtime dependency must be explained in the README, so none arrives unnoticed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  dependencies: Record<string, string>;
};
const readme = readFileSync(new URL('README.md', root), 'utf8');

describe('runtime dependencies', () => {
  it.each(Object.keys(pkg.dependencies))('%s has a line in the README saying why', (name) => {
    expect(readme).toContain(`\`${name}\``);
  });
});
