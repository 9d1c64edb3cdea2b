import { describe, expect, it } from 'vitest';
import {
  applyEdits,
  matchThemes,
  prepareComments,
  reapplyEdits,
  snapshotThemes,
  type ThemeEdit,
  type ThemeSnapshot,
} from './edits.ts';
import type { CommentInput, Theme, ThemeRun } from './types.ts';

/** A hand-built run: comment i belongs to the theme named in `themeOf[i]` (or none). */
function runOf(
  texts: readonly string[],
  themeOf: readonly (string | null)[],
): { run: ThemeRun; comments: CommentInput[] } {
  const comments = texts.map((text) => ({ text }));
  const ids = [...new Set(themeOf.filter((t): t is string => t !== null))];
  const themes: Theme[] = ids.map((id) => ({
    id,
    name: `name of ${id}`,
    description: '',
    label: `label of ${id}`,
    keyPhrases: [id],
    size: themeOf.filter((t) => t === id).length,
    share: 0,
    quotes: texts.filter((_, i) => themeOf[i] === id).slice(0, 2),
    cohesion: 0.5,
  }));
  const run: ThemeRun = {
    themes,
    assignments: [...themeOf],
    reasons: themeOf.map((t) => (t === null ? 'other' : null)),
    other: { size: 0, share: 0, quotes: [] },
    counts: { input: texts.length, analysed: texts.length, blank: 0, duplicate: 0, other: 0 },
    method: {
      seed: 1,
      requestedThemes: null,
      sampleSize: texts.length,
      fineClusters: ids.length,
      wordCoverage: 1,
      silhouette: null,
    },
    centroids: ids.map((_, i) => [i === 0 ? 1 : 0, i === 1 ? 1 : 0, i === 2 ? 1 : 0]),
  };
  return { run, comments };
}

const texts = [
  'bins late',
  'bins missed',
  'bin not emptied',
  'pothole mill lane',
  'pothole high street',
  'permit cost',
  'permit late',
  'library hours',
];
const before = runOf(texts, ['a', 'a', 'a', 'b', 'b', 'c', 'c', null]);
const previous: ThemeSnapshot[] = snapshotThemes(before.run, before.comments);
/** One edit of each kind, on the themes of `before`. */
const FOUR_EDITS: ThemeEdit[] = [
  { kind: 'rename', themeId: 'a', label: 'Bin collections' },
  { kind: 'merge', themeIds: ['b', 'c'], label: 'Roads and parking' },
  {
    kind: 'split',
    themeId: 'a',
    comments: ['bins missed', 'bin not emptied'],
    newThemeId: 'a2',
    label: 'Missed bins',
  },
  { kind: 'move', comment: 'library hours', toThemeId: 'a2' },
];

describe('matchThemes', () => {
  it('finds each old theme again by its comments, whatever its new id', () => {
    const after = runOf(texts, ['x', 'x', 'x', 'y', 'y', 'z', 'z', null]);
    expect(
      Object.fromEntries(matchThemes(previous, snapshotThemes(after.run, after.comments))),
    ).toEqual({ a: 'x', b: 'y', c: 'z' });
  });
});

describe('reapplyEdits', () => {
  it('re-applies a rename, a merge, a split and a move to a new run with new ids', () => {
    const newTexts = [...texts, 'bins late again', 'permit renewal broken'];
    const after = runOf(newTexts, ['x', 'x', 'x', 'y', 'y', 'z', 'z', null, 'x', 'z']);
    const result = reapplyEdits(after.run, after.comments, previous, FOUR_EDITS);
    expect(result.notApplied).toEqual([]);
    expect(result.applied).toHaveLength(4);
    const byId = new Map(result.run.themes.map((t) => [t.id, t]));
    expect(byId.get('x')?.name).toBe('Bin collections');
    expect(byId.get('y')?.name).toBe('Roads and parking');
    expect(byId.has('z')).toBe(false);
    expect(byId.get('a2')?.name).toBe('Missed bins');
    expect(result.run.assignments).toEqual(['x', 'a2', 'a2', 'y', 'y', 'y', 'y', 'a2', 'x', 'y']);
    expect(byId.get('y')?.size).toBe(5);
    expect(result.run.counts.other).toBe(0);
    expect(result.run.reasons[7]).toBeNull();
  });

  it('reports the edits whose themes or comments are gone, and applies the rest', () => {
    // Theme b's comments are now split across themes, so b is not found again.
    const after = runOf(texts, ['x', 'x', 'x', 'x', 'z', 'z', 'z', null]);
    const result = reapplyEdits(after.run, after.comments, previous, [
      { kind: 'rename', themeId: 'b', label: 'Roads' },
      { kind: 'move', comment: 'a comment nobody wrote', toThemeId: 'a' },
      { kind: 'rename', themeId: 'c', label: 'Parking permits' },
    ]);
    expect(result.applied).toEqual([{ kind: 'rename', themeId: 'c', label: 'Parking permits' }]);
    expect(result.notApplied.map((n) => n.reason)).toEqual([
      'theme "b" was not found again in the new run',
      'the comment is not in the new run',
    ]);
    expect(result.run.themes.find((t) => t.id === 'z')?.name).toBe('Parking permits');
  });

  it('moves a comment to "other" when asked', () => {
    const result = reapplyEdits(before.run, before.comments, previous, [
      { kind: 'move', comment: 'Bins LATE', toThemeId: null },
    ]);
    expect(result.run.assignments[0]).toBeNull();
    expect(result.run.reasons[0]).toBe('other');
    expect(result.run.counts.other).toBe(2);
  });
});

describe('applyEdits', () => {
  const edits: ThemeEdit[] = [...FOUR_EDITS, { kind: 'merge', themeIds: ['a', 'a'] }];

  it('gives what reapplyEdits gives with the run’s own snapshot, without matching themes', () => {
    const same = reapplyEdits(before.run, before.comments, previous, edits);
    const applied = applyEdits(before.run, before.comments, edits);
    expect(applied).toEqual(same);
    expect(applied.notApplied.map((n) => n.reason)).toEqual(['the themes are already one theme']);
  });

  it('quotes the redacted text it is given instead of redacting every comment again', () => {
    const withEmail = runOf(
      ['bins late, mail me at a.person@example.com', 'bins missed'],
      ['a', 'a'],
    );
    const prepared = prepareComments(withEmail.comments, ['stored redacted one', 'stored two']);
    const result = applyEdits(withEmail.run, withEmail.comments, [], prepared);
    expect(result.run.themes[0]?.quotes).toEqual(['stored redacted one', 'stored two']);
    const computed = applyEdits(withEmail.run, withEmail.comments, []);
    expect(computed.run.themes[0]?.quotes).toContain('bins late, mail me at [email removed]');
  });
});
