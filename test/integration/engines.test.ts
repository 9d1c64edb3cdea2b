// Issue 16, point 3: no installed dependency may declare engines that exclude the Node version we
// run on (Node 20 here; `npm install` warned that content-disposition@3 and cookie@2 need Node 22,
// now pinned to compatible releases with npm `overrides` in package.json). The lock file is what a
// fresh `npm install` installs, so the check reads it, and the installed copies as well.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
interface LockEntry {
  readonly version?: string;
  readonly engines?: { readonly node?: string } | readonly string[];
}
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
};

function nodeRange(entry: LockEntry): string | undefined {
  return Array.isArray(entry.engines) ? undefined : (entry.engines as { node?: string })?.node;
}

describe('dependencies run on our Node', () => {
  it('the product itself declares the Node it runs on', () => {
    expect(semver.satisfies(process.version, manifest.engines.node)).toBe(true);
  });

  it('every package in the lock file accepts this Node version', () => {
    const excluded: string[] = [];
    let checked = 0;
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = nodeRange(entry);
      if (!path || !range) continue;
      checked += 1;
      if (!semver.satisfies(process.version, range, { includePrerelease: true })) {
        excluded.push(`${path}@${entry.version ?? '?'} needs node ${range}`);
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(excluded).toEqual([]);
  });

  it('the installed copies match the lock (the overrides took effect)', () => {
    const excluded: string[] = [];
    for (const path of Object.keys(lock.packages)) {
      if (!path) continue;
      const file = join(root, path, 'package.json');
      if (!existsSync(file)) continue; // optional, platform-specific packages
      const installed = JSON.parse(readFileSync(file, 'utf8')) as LockEntry;
      const range = nodeRange(installed);
      if (range && !semver.satisfies(process.version, range, { includePrerelease: true })) {
        excluded.push(`${path}@${installed.version ?? '?'} needs node ${range}`);
      }
    }
    expect(excluded).toEqual([]);
  });
});
