// Comparison over time (issue 14, point 7): a comment set that is a later wave of an earlier set
// (next quarter's survey) is compared with it, theme by theme, from each set's newest finished
// analysis. The themes are the earlier wave's as people named and edited them; the later wave's
// engine themes are matched to them by the pure rules in domain/themes/compare.ts.
import { compareWaves, finalKeysOf, type WaveComparison } from '../../domain/themes/compare.ts';
import type { CommentSet, OrgScope } from '../../storage/index.ts';
import { mergeThemes, renameTheme } from './edits.ts';

export type WaveState =
  /** The set is not a later wave of any set. */
  | { readonly kind: 'no-earlier'; readonly later: CommentSet }
  /** The earlier set was deleted. */
  | { readonly kind: 'earlier-gone'; readonly later: CommentSet }
  /** One of the two sets has no finished analysis yet. */
  | {
      readonly kind: 'not-analysed';
      readonly later: CommentSet;
      readonly earlier: CommentSet;
      readonly missing: 'earlier' | 'later' | 'both';
    }
  | {
      readonly kind: 'compared';
      readonly later: CommentSet;
      readonly earlier: CommentSet;
      readonly earlierAnalysisId: string;
      readonly laterAnalysisId: string;
      readonly comparison: WaveComparison;
    };

/** The newest finished analysis of a set, if any. */
async function latestDone(scope: OrgScope, setId: string): Promise<string | undefined> {
  return (await scope.themes.analysesOf(setId)).find((a) => a.status === 'done')?.id;
}

/** A set compared with the earlier wave it follows; undefined when the set is not this organisation's. */
export async function compareWithEarlierWave(
  scope: OrgScope,
  setId: string,
): Promise<WaveState | undefined> {
  const later = await scope.themes.set(setId);
  if (!later) return undefined;
  if (later.previousSetId === null) return { kind: 'no-earlier', later };
  const earlier = await scope.themes.set(later.previousSetId);
  if (!earlier) return { kind: 'earlier-gone', later };
  const [earlierId, laterId] = await Promise.all([
    latestDone(scope, earlier.id),
    latestDone(scope, later.id),
  ]);
  if (earlierId === undefined || laterId === undefined)
    return {
      kind: 'not-analysed',
      later,
      earlier,
      missing: earlierId === undefined ? (laterId === undefined ? 'both' : 'earlier') : 'later',
    };
  const [before, after] = await Promise.all([
    scope.themes.waveAnalysis(earlierId),
    scope.themes.waveAnalysis(laterId),
  ]);
  if (!before || !after)
    return { kind: 'not-analysed', later, earlier, missing: !before ? 'earlier' : 'later' };
  const finalKey = finalKeysOf(before.rawKeys, before.finalKeys);
  const comparison = compareWaves(
    {
      analysed: before.analysed,
      themes: before.themes.map((t) => ({ key: t.key, name: t.label, size: t.size })),
      engineThemes: before.engineThemes.map((t) => ({
        ...t,
        finalKey: finalKey.get(t.id) ?? null,
      })),
    },
    { analysed: after.analysed, engineThemes: after.engineThemes },
  );
  return {
    kind: 'compared',
    later,
    earlier,
    earlierAnalysisId: earlierId,
    laterAnalysisId: laterId,
    comparison,
  };
}

/**
 * Gives the later wave's own themes the earlier wave's names, as edits of its newest analysis (each
 * audited, kept on a re-run like any other): a later theme matched to an earlier one takes its name;
 * several matched to one earlier theme are merged under its name. New themes keep theirs.
 * Undefined when there is no comparison to take the names from.
 */
export async function adoptEarlierNames(
  scope: OrgScope,
  setId: string,
): Promise<{ readonly renamed: number; readonly merged: number } | undefined> {
  const state = await compareWithEarlierWave(scope, setId);
  if (!state || state.kind !== 'compared') return undefined;
  const laterId = state.laterAnalysisId;
  const later = await scope.themes.waveAnalysis(laterId);
  if (!later) return undefined;
  // The later wave's engine themes as its themes are now (a person may have edited them).
  const finalOf = finalKeysOf(later.rawKeys, later.finalKeys);
  const names = new Map(later.themes.map((t) => [t.key, t.label]));
  const used = new Set<string>();
  let renamed = 0;
  let merged = 0;
  for (const change of state.comparison.changes) {
    if (change.verdict === 'new') continue;
    const keys = [
      ...new Set(
        change.laterThemes
          .map((id) => finalOf.get(id))
          .filter((k): k is string => k != null && names.has(k) && !used.has(k)),
      ),
    ];
    for (const k of keys) used.add(k);
    const [first] = keys;
    if (first === undefined) continue;
    if (keys.length === 1) {
      if (names.get(first) === change.name) continue;
      await renameTheme(scope, laterId, first, change.name);
      renamed++;
    } else {
      await mergeThemes(scope, laterId, keys, change.name);
      merged++;
    }
  }
  return { renamed, merged };
}
