import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { drawTogether } from './discover.ts';
import { discoverThemes, readComments, type ImportedComment } from './index.ts';

const fixture = fileURLToPath(
  new URL('../../../test/fixtures/comments/council-comments.csv', import.meta.url),
);
let comments: readonly ImportedComment[];

beforeAll(async () => {
  const read = await readComments(createReadStream(fixture), {
    format: 'csv',
    columns: { text: 'comment', date: 'submitted', channel: 'channel' },
  });
  comments = read.comments;
});

describe('discoverThemes on the council fixture', () => {
  it('finds the four themes written into it, with readable labels', () => {
    const run = discoverThemes(comments, { seed: 1 });
    expect(run.themes).toHaveLength(4);
    const labels = run.themes.map((t) => t.label);
    expect(labels.some((l) => l.startsWith('recycling rules'))).toBe(true);
    expect(labels.some((l) => l.includes('council tax'))).toBe(true);
    expect(labels.some((l) => l.includes('parking permit'))).toBe(true);
    expect(labels.some((l) => l.includes('pothole'))).toBe(true);
    // Each written theme lands (almost) whole in one discovered theme.
    for (let block = 0; block < 4; block++) {
      const ids = run.assignments.slice(block * 12, block * 12 + 12).filter((id) => id !== null);
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      expect(Math.max(...counts.values())).toBeGreaterThanOrEqual(11);
    }
  });

  it('gives one assignment per input row, null with a reason for set-aside and "other" rows', () => {
    const run = discoverThemes(comments, { seed: 1 });
    expect(run.assignments).toHaveLength(comments.length);
    expect(run.reasons[48]).toBe('blank');
    expect(run.reasons[49]).toBe('duplicate');
    expect(run.assignments[48]).toBeNull();
    expect(run.assignments[49]).toBeNull();
    // The lone comment about the library fits no theme.
    expect(run.assignments[50]).toBeNull();
    expect(run.reasons[50]).toBe('other');
    expect(run.counts).toMatchObject({ input: 51, analysed: 49, blank: 1, duplicate: 1 });
    const themed = run.assignments.filter((a) => a !== null).length;
    expect(themed + run.counts.other + 2).toBe(51);
    expect(run.themes.reduce((s, t) => s + t.size, 0)).toBe(themed);
  });

  it('is deterministic for a seed', () => {
    const a = discoverThemes(comments, { seed: 7 });
    const b = discoverThemes(comments, { seed: 7 });
    expect(b.assignments).toEqual(a.assignments);
    expect(b.themes).toEqual(a.themes);
  });

  it('honours a requested number of themes', () => {
    const run = discoverThemes(comments, { seed: 1, themes: 2 });
    expect(run.themes).toHaveLength(2);
    expect(run.method.requestedThemes).toBe(2);
  });

  it('redacts personal data in quotes and builds weekly trends from dates within three months', () => {
    const run = discoverThemes(comments, { seed: 1, quotesPerTheme: 12 });
    const quotes = run.themes.flatMap((t) => t.quotes);
    expect(quotes.join(' ')).not.toMatch(/07700|jo\.bloggs/);
    expect(quotes.some((q) => q.includes('[phone removed]'))).toBe(true);
    for (const theme of run.themes) {
      expect(new Set(theme.quotes).size).toBe(theme.quotes.length);
      expect(theme.trend?.period).toBe('week');
      expect(theme.trend?.points).toHaveLength(13);
      expect(theme.trend?.points[0]?.start).toBe('2025-01-06');
      expect(theme.trend?.points.at(-1)?.start).toBe('2025-03-31');
      expect(theme.trend?.points.reduce((s, p) => s + p.count, 0)).toBe(theme.size);
    }
  });

  it('copes with no comments, only blanks, and a handful of comments', () => {
    expect(discoverThemes([]).themes).toEqual([]);
    const blanks = discoverThemes(['', '   ', '...']);
    expect(blanks.assignments).toEqual([null, null, null]);
    expect(blanks.reasons).toEqual(['blank', 'blank', 'blank']);
    const few = discoverThemes(['bins late', 'bins late again', 'pothole']);
    expect(few.assignments).toHaveLength(3);
  });
});

describe('drawTogether ("nothing to improve" answers)', () => {
  const d = 8;
  // Four unit rows pointing different ways, and a fifth left alone.
  const rows = [
    [1, 0, 0, 0, 0, 0, 0, 0],
    [0, 1, 0, 0, 0, 0, 0, 0],
    [0, 0, 1, 0, 0, 0, 0, 0],
    [0.6, 0, 0, 0.8, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 1],
  ];
  const cos = (m: Float32Array, a: number, b: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (m[a * d + j] ?? 0) * (m[b * d + j] ?? 0);
    return s;
  };

  it('brings the listed rows close together, keeps them unit length and leaves the rest', () => {
    const data = Float32Array.from(rows.flat());
    expect(cos(data, 0, 1)).toBe(0);
    drawTogether(data, d, [0, 1, 2, 3], 2);
    for (const a of [0, 1, 2, 3]) {
      expect(cos(data, a, a)).toBeCloseTo(1, 5);
      for (const b of [0, 1, 2, 3]) if (a !== b) expect(cos(data, a, b)).toBeGreaterThan(0.75);
    }
    expect(Array.from(data.subarray(4 * d))).toEqual(rows[4]);
    // Still distinct rows (k-means could not split identical ones).
    expect(cos(data, 0, 1)).toBeLessThan(0.99);
  });

  it('changes nothing with a single row or no pull', () => {
    const data = Float32Array.from(rows.flat());
    drawTogether(data, d, [1], 2);
    drawTogether(data, d, [0, 1, 2], 0);
    expect(data).toEqual(Float32Array.from(rows.flat()));
  });
});
