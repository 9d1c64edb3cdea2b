import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerThemesCommand } from './themes.ts';

const fixture = fileURLToPath(
  new URL('../../../test/fixtures/comments/council-comments.csv', import.meta.url),
);

async function runThemes(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerThemesCommand(program);
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  await program.parseAsync(['node', 'throughline', 'themes', ...args]);
  return out;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('throughline themes', () => {
  it('prints JSON with the themes and one assignment per input row', async () => {
    const out = await runThemes(
      fixture,
      '--text-column',
      'comment',
      '--date-column',
      'submitted',
      '--json',
    );
    const result = JSON.parse(out) as {
      themes: { id: string; label: string; size: number; quotes: string[]; trend: unknown }[];
      assignments: (string | null)[];
      reasons: (string | null)[];
    };
    expect(result.themes).toHaveLength(4);
    expect(result.assignments).toHaveLength(51);
    expect(result.reasons.slice(48)).toEqual(['blank', 'duplicate', 'other']);
    const ids = new Set(result.themes.map((t) => t.id));
    for (const a of result.assignments) if (a !== null) expect(ids.has(a)).toBe(true);
    expect(result.themes.every((t) => t.trend !== null)).toBe(true);
  });

  it('prints a readable summary with the number of themes requested', async () => {
    const out = await runThemes(
      fixture,
      '--text-column',
      'comment',
      '--themes',
      '3',
      '--seed',
      '2',
    );
    expect(out).toContain('51 comments; 49 analysed (1 blank and 1 duplicate set aside).');
    expect(out).toContain('3 themes (number requested)');
  });

  it('asks for the text column of a CSV file', async () => {
    await expect(runThemes(fixture)).rejects.toThrow('--text-column');
  });
});
