// Theme discovery in a worker thread gives exactly what it gives in this thread, for a seed, and
// reports the engine's stages as rising progress.
import { describe, expect, it } from 'vitest';
import { discoverThemes } from '../domain/themes/index.ts';
import { generateComments } from '../seed/comments.ts';
import { discoverInWorker } from './themes-discover.ts';

describe('discovery in a worker', () => {
  it('matches discovery in this thread and reports progress', async () => {
    const comments = generateComments(300, 9).map((c) => ({ text: c.text, date: c.date }));
    const seen: number[] = [];
    const run = await discoverInWorker(comments, { seed: 4, themes: 5 }, (_stage, fraction) =>
      seen.push(fraction),
    );
    const here = discoverThemes(comments, { seed: 4, themes: 5 });
    expect(run.assignments).toEqual(here.assignments);
    expect(run.themes.map((t) => t.label)).toEqual(here.themes.map((t) => t.label));
    expect(seen.length).toBeGreaterThan(2);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  }, 30_000);
});
