// Theme discovery in a worker thread gives exactly what it gives in this thread, for a seed, and
// reports the engine's stages as rising progress.
import { describe, expect, it } from 'vitest';
import { discoverThemes, findMentions, loadWordVectors } from '../domain/themes/index.ts';
import { generateComments } from '../seed/comments.ts';
import { discoverInWorker, mentionsInWorker } from './themes-discover.ts';

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

  it('finds the same mentions, sentiment and stance in a worker as in this thread', async () => {
    const comments = generateComments(300, 9).map((c) => c.text);
    const run = discoverThemes(comments, { seed: 4, themes: 5 });
    const ids = run.themes.map((t) => t.id);
    const options = { question: 'Should the council collect bins weekly?' };
    const inWorker = await mentionsInWorker(comments, run.assignments, ids, options);
    const here = findMentions(comments, run.assignments, ids, loadWordVectors(), options);
    expect(inWorker).toEqual(here);
    expect(inWorker.comments.some((c) => c.themes.length > 1)).toBe(true);
  }, 30_000);
});
