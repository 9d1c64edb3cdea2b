// People stay in charge: renames, merges, splits and moved comments that a person made to an earlier
// run are re-applied to a new run (for example after more comments arrive), wherever the themes they
// touched can still be found. A theme is found again by its comments (at least half of the new
// theme's and the old theme's comments in common, Jaccard ≥ 0.5) or, failing that, by the direction
// of its word-vector centre. Edits that cannot be re-applied are reported, never silently dropped.
import { redactPersonalData } from './redact.ts';
import { normaliseText } from './tokenise.ts';
import { choosePeriod, dateRange, parseCommentDate, trendOf } from './trend.ts';
import type { CommentInput, NoThemeReason, Theme, ThemeRun } from './types.ts';

export type ThemeEdit =
  | { readonly kind: 'rename'; readonly themeId: string; readonly label: string }
  | {
      readonly kind: 'merge';
      readonly themeIds: readonly string[];
      readonly label?: string | undefined;
    }
  | {
      readonly kind: 'split';
      readonly themeId: string;
      /** The comments (by text) that leave for the new theme. */
      readonly comments: readonly string[];
      readonly newThemeId: string;
      readonly label: string;
    }
  | { readonly kind: 'move'; readonly comment: string; readonly toThemeId: string | null };

/** What must be kept of a run to re-apply edits to a later one. */
export interface ThemeSnapshot {
  readonly id: string;
  readonly label: string;
  /** Folded text of each member comment. */
  readonly members: readonly string[];
  readonly centroid: readonly number[];
}

export interface ReapplyResult {
  readonly run: ThemeRun;
  readonly applied: readonly ThemeEdit[];
  readonly notApplied: readonly { readonly edit: ThemeEdit; readonly reason: string }[];
  /** Old theme id → theme id in the new run, for the themes found again. */
  readonly matched: ReadonlyMap<string, string>;
}

/** Theme matching thresholds. */
export const MATCH = {
  minJaccard: 0.5,
  minCentroidSimilarity: 0.9,
  wordVectorDimensions: 100,
} as const;

export const commentKey = (text: string): string => normaliseText(text);

/**
 * What the edits need of every comment, worked out once per set of comments: its key (folded text,
 * by which split and moved comments are named) and its redacted text (what quotes show). Storage
 * keeps the redacted text already, so it can pass it instead of redacting every comment again.
 */
export interface PreparedComments {
  readonly keys: readonly string[];
  readonly redacted: readonly string[];
}

export function prepareComments(
  comments: readonly CommentInput[],
  redacted?: readonly string[],
): PreparedComments {
  return {
    keys: comments.map((c) => commentKey(c.text)),
    redacted: redacted ?? comments.map((c) => redactPersonalData(c.text.trim())),
  };
}

/** The snapshot of each theme of a run, to store beside the edits. */
export function snapshotThemes(
  run: ThemeRun,
  comments: readonly CommentInput[],
  prepared?: PreparedComments,
): ThemeSnapshot[] {
  const members = new Map<string, string[]>();
  run.assignments.forEach((id, i) => {
    if (id === null) return;
    const list = members.get(id) ?? [];
    list.push(prepared?.keys[i] ?? commentKey(comments[i]?.text ?? ''));
    members.set(id, list);
  });
  return run.themes.map((theme, t) => ({
    id: theme.id,
    label: theme.name,
    members: members.get(theme.id) ?? [],
    centroid: run.centroids[t] ?? [],
  }));
}

function wordVectorSimilarity(a: readonly number[], b: readonly number[]): number {
  const d = Math.min(MATCH.wordVectorDimensions, a.length, b.length);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < d; j++) {
    ab += (a[j] ?? 0) * (b[j] ?? 0);
    aa += (a[j] ?? 0) ** 2;
    bb += (b[j] ?? 0) ** 2;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** Matches each old theme to at most one new theme, best overlap first. */
export function matchThemes(
  previous: readonly ThemeSnapshot[],
  current: readonly ThemeSnapshot[],
): Map<string, string> {
  const candidates: { from: string; to: string; score: number }[] = [];
  const currentSets = current.map((c) => new Set(c.members));
  for (const old of previous) {
    const oldSet = new Set(old.members);
    current.forEach((now, i) => {
      const set = currentSets[i] ?? new Set<string>();
      let common = 0;
      for (const key of oldSet) if (set.has(key)) common++;
      const union = oldSet.size + set.size - common;
      const jaccard = union > 0 ? common / union : 0;
      if (jaccard >= MATCH.minJaccard)
        candidates.push({ from: old.id, to: now.id, score: 1 + jaccard });
      else {
        const similarity = wordVectorSimilarity(old.centroid, now.centroid);
        if (similarity >= MATCH.minCentroidSimilarity)
          candidates.push({ from: old.id, to: now.id, score: similarity });
      }
    });
  }
  candidates.sort(
    (a, b) => b.score - a.score || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
  );
  const matched = new Map<string, string>();
  const taken = new Set<string>();
  for (const c of candidates) {
    if (matched.has(c.from) || taken.has(c.to)) continue;
    matched.set(c.from, c.to);
    taken.add(c.to);
  }
  return matched;
}

interface Draft {
  id: string;
  /** The name people see: the engine's, or a person's rename (which always wins). */
  name: string;
  description: string;
  similarTo: string | undefined;
  /** The key words. */
  label: string;
  keyPhrases: string[];
  quotes: string[];
  cohesion: number;
  /** The broad theme it belongs to (a merge keeps the first theme's; a split its source's). */
  parent: string | undefined;
}

/**
 * Re-applies `edits`, made on the run described by `previous`, to the new `run` of `comments`.
 * Edits are applied in order; an edit naming a theme created by an earlier edit (a split) works too.
 */
export function reapplyEdits(
  run: ThemeRun,
  comments: readonly CommentInput[],
  previous: readonly ThemeSnapshot[],
  edits: readonly ThemeEdit[],
  prepared: PreparedComments = prepareComments(comments),
): ReapplyResult {
  const matched = matchThemes(previous, snapshotThemes(run, comments, prepared));
  return replay(run, comments, prepared, matched, new Set(previous.map((p) => p.id)), edits);
}

/**
 * Applies `edits` made on this very run (its own theme ids): every theme is itself, so there is no
 * matching to do. The same result as reapplyEdits with the run's own snapshot, for a fraction of the
 * work on a large set (an edit made on a page).
 */
export function applyEdits(
  run: ThemeRun,
  comments: readonly CommentInput[],
  edits: readonly ThemeEdit[],
  prepared: PreparedComments = prepareComments(comments),
): ReapplyResult {
  const ids = run.themes.map((t) => t.id);
  return replay(run, comments, prepared, new Map(ids.map((id) => [id, id])), new Set(ids), edits);
}

function replay(
  run: ThemeRun,
  comments: readonly CommentInput[],
  prepared: PreparedComments,
  matched: Map<string, string>,
  previousIds: ReadonlySet<string>,
  edits: readonly ThemeEdit[],
): ReapplyResult {
  const resolve = new Map(matched); // old or edit-created id → current id
  const drafts = new Map<string, Draft>(
    run.themes.map((t) => [
      t.id,
      {
        id: t.id,
        name: t.name,
        description: t.description,
        similarTo: t.similarTo,
        label: t.label,
        keyPhrases: [...t.keyPhrases],
        quotes: [...t.quotes],
        cohesion: t.cohesion,
        parent: t.parent,
      },
    ]),
  );
  for (const id of drafts.keys()) if (!resolve.has(id) && !previousIds.has(id)) resolve.set(id, id);
  const assignments = [...run.assignments];
  const reasons: (NoThemeReason | null)[] = [...run.reasons];
  const keyIndex = new Map<string, number[]>();
  prepared.keys.forEach((key, i) => {
    const list = keyIndex.get(key) ?? [];
    list.push(i);
    keyIndex.set(key, list);
  });
  const applied: ThemeEdit[] = [];
  const notApplied: { edit: ThemeEdit; reason: string }[] = [];
  const missing = (id: string): string => `theme "${id}" was not found again in the new run`;

  for (const edit of edits) {
    switch (edit.kind) {
      case 'rename': {
        const draft = drafts.get(resolve.get(edit.themeId) ?? '');
        if (!draft) notApplied.push({ edit, reason: missing(edit.themeId) });
        else {
          draft.name = edit.label;
          draft.similarTo = undefined;
          applied.push(edit);
        }
        break;
      }
      case 'merge': {
        const ids = edit.themeIds.map((id) => resolve.get(id));
        const lost = edit.themeIds.filter(
          (_, i) => ids[i] === undefined || !drafts.has(ids[i] ?? ''),
        );
        const present = [
          ...new Set(ids.filter((id): id is string => id !== undefined && drafts.has(id))),
        ];
        if (lost.length > 0 || present.length < 2) {
          notApplied.push({
            edit,
            reason:
              lost.length > 0 ? lost.map(missing).join('; ') : 'the themes are already one theme',
          });
          break;
        }
        const [keep = '', ...others] = present;
        const target = drafts.get(keep);
        if (!target) break;
        for (const other of others) {
          const draft = drafts.get(other);
          if (!draft) continue;
          target.keyPhrases = [...new Set([...target.keyPhrases, ...draft.keyPhrases])];
          target.quotes = [...new Set([...target.quotes, ...draft.quotes])];
          for (let i = 0; i < assignments.length; i++)
            if (assignments[i] === other) assignments[i] = keep;
          drafts.delete(other);
        }
        if (edit.label !== undefined) target.name = edit.label;
        target.similarTo = undefined;
        for (const id of edit.themeIds) resolve.set(id, keep);
        applied.push(edit);
        break;
      }
      case 'split': {
        const from = resolve.get(edit.themeId);
        const draft = drafts.get(from ?? '');
        if (!draft || from === undefined) {
          notApplied.push({ edit, reason: missing(edit.themeId) });
          break;
        }
        const rows = edit.comments
          .flatMap((text) => keyIndex.get(commentKey(text)) ?? [])
          .filter((i) => assignments[i] === from);
        if (rows.length === 0) {
          notApplied.push({
            edit,
            reason: `none of the comments split off are in theme "${edit.themeId}" now`,
          });
          break;
        }
        const newId = drafts.has(edit.newThemeId) ? `${edit.newThemeId}-split` : edit.newThemeId;
        for (const i of rows) assignments[i] = newId;
        drafts.set(newId, {
          id: newId,
          name: edit.label,
          description: '',
          similarTo: undefined,
          label: edit.label,
          keyPhrases: [],
          quotes: [],
          cohesion: draft.cohesion,
          parent: draft.parent,
        });
        resolve.set(edit.newThemeId, newId);
        applied.push(edit);
        break;
      }
      case 'move': {
        const rows = keyIndex.get(commentKey(edit.comment)) ?? [];
        const to = edit.toThemeId === null ? null : resolve.get(edit.toThemeId);
        if (rows.length === 0)
          notApplied.push({ edit, reason: 'the comment is not in the new run' });
        else if (to === undefined || (to !== null && !drafts.has(to))) {
          notApplied.push({ edit, reason: missing(edit.toThemeId ?? '') });
        } else {
          for (const i of rows) {
            if (reasons[i] === 'blank' || reasons[i] === 'duplicate') continue;
            assignments[i] = to;
            reasons[i] = to === null ? 'other' : null;
          }
          applied.push(edit);
        }
        break;
      }
    }
  }
  return {
    run: rebuild(run, comments, prepared, drafts, assignments, reasons),
    applied,
    notApplied,
    matched,
  };
}

/** Recounts sizes, shares, quotes and trends after edits. */
function rebuild(
  run: ThemeRun,
  comments: readonly CommentInput[],
  prepared: PreparedComments,
  drafts: Map<string, Draft>,
  assignments: (string | null)[],
  reasons: (NoThemeReason | null)[],
): ThemeRun {
  const members = new Map<string, number[]>();
  assignments.forEach((id, i) => {
    if (id === null) return;
    const list = members.get(id) ?? [];
    list.push(i);
    members.set(id, list);
  });
  const analysed = run.counts.analysed;
  const dates = comments.map((c) => (c.date ? parseCommentDate(c.date) : undefined));
  const dated = dates.filter(
    (t, i): t is number => t !== undefined && reasons[i] !== 'blank' && reasons[i] !== 'duplicate',
  );
  const range = dateRange(dated);
  const first = range?.first;
  const last = range?.last;
  const quotesWanted = Math.max(...run.themes.map((t) => t.quotes.length), 1);
  const oldCentroid = new Map(run.themes.map((t, i) => [t.id, run.centroids[i] ?? []]));
  const themes: Theme[] = [];
  const centroids: (readonly number[])[] = [];
  for (const draft of drafts.values()) {
    const rows = members.get(draft.id) ?? [];
    if (rows.length === 0) continue;
    const texts = rows.map((i) => prepared.redacted[i] ?? '');
    const present = new Set(texts);
    const quotes = [...new Set([...draft.quotes.filter((q) => present.has(q)), ...texts])].slice(
      0,
      quotesWanted,
    );
    const memberDates = rows.map((i) => dates[i]).filter((t): t is number => t !== undefined);
    themes.push({
      id: draft.id,
      name: draft.name,
      description: draft.description,
      similarTo:
        draft.similarTo !== undefined && drafts.has(draft.similarTo) ? draft.similarTo : undefined,
      label: draft.label,
      keyPhrases: draft.keyPhrases,
      size: rows.length,
      share: rows.length / Math.max(analysed, 1),
      quotes,
      cohesion: draft.cohesion,
      trend:
        first !== undefined && last !== undefined && memberDates.length > 0
          ? trendOf(memberDates, choosePeriod(first, last), first, last)
          : undefined,
      ...(draft.parent === undefined ? {} : { parent: draft.parent }),
    });
    centroids.push(oldCentroid.get(draft.id) ?? []);
  }
  const other = reasons.filter((r) => r === 'other').length;
  // The broad themes, recounted from the themes now in each (a broad theme left empty goes).
  const broadThemes = (run.broadThemes ?? []).flatMap((broad) => {
    const inside = themes
      .filter((t) => t.parent === broad.id)
      .sort((a, b) => b.size - a.size || a.id.localeCompare(b.id));
    const size = inside.reduce((sum, t) => sum + t.size, 0);
    return inside.length === 0
      ? []
      : [{ ...broad, size, share: size / Math.max(analysed, 1), themes: inside.map((t) => t.id) }];
  });
  return {
    ...run,
    ...(run.broadThemes === undefined ? {} : { broadThemes }),
    themes,
    centroids,
    assignments,
    reasons,
    other: { ...run.other, size: other, share: other / Math.max(analysed, 1) },
    counts: { ...run.counts, other },
  };
}
