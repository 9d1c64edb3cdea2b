import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

  it('returns exactly the number of themes asked for, each in one of the broad themes asked for', async () => {
    // 24 subjects, each said in six ways, one comment per line.
    const subjects =
      'bins pothole parking library tax streetlight noise graffiti pool bus housing dog school recycling planning flooding trees benefits cemetery market cycling allotment museum gritting'.split(
        ' ',
      );
    const frames = [
      'the {} service is a problem',
      'please sort out the {} issue',
      'complaints about {} again',
      '{} needs attention now',
      'why is {} still so poor',
      'nobody answers about {}',
    ];
    const dir = mkdtempSync(path.join(tmpdir(), 'themes-cli-'));
    const file = path.join(dir, 'comments.txt');
    writeFileSync(
      file,
      `${frames.flatMap((f) => subjects.map((s) => f.replace('{}', s))).join('\n')}\n`,
    );
    try {
      const out = await runThemes(file, '--themes', '20', '--broad-themes', '6', '--json');
      const result = JSON.parse(out) as {
        themes: { id: string; parent: string | null }[];
        broadThemes: { id: string; name: string; themes: string[] }[];
      };
      expect(result.themes).toHaveLength(20);
      expect(result.broadThemes).toHaveLength(6);
      for (const theme of result.themes)
        expect(result.broadThemes.find((b) => b.id === theme.parent)?.themes).toContain(theme.id);
      const summary = await runThemes(file, '--themes', '20', '--broad-themes', '6');
      expect(summary).toContain('20 themes (number requested)');
      expect(summary).toContain('6 broad themes, each with its themes:');
      await expect(runThemes(file, '--themes', '5', '--broad-themes', '5')).rejects.toThrow(
        /--broad-themes must be fewer than --themes/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks for the text column of a CSV file', async () => {
    await expect(runThemes(fixture)).rejects.toThrow('--text-column');
  });
});
