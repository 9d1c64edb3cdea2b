// People stay in charge of the themes (issue 6, point 4): renaming, merging and splitting themes and
// moving a comment. An edit is never made on the stored result directly: the engine re-applies every
// edit of the analysis, this one last, to its own themes, and what it gives replaces what is stored,
// with the edit and its audit entry, in one transaction. Edits of one analysis take turns. A re-run
// carries them over (analysis.ts).
import {
  applyEdits,
  prepareComments,
  type MentionOptions,
  type MentionsResult,
  type NoThemeReason,
  type ThemeEdit,
} from '../../domain/themes/index.ts';
import { mentionsInWorker } from '../../jobs/themes-discover.ts';
import { newId } from '../../lib/ids.ts';
import type { OrgScope, SavedEdit, ThemeEditAudit } from '../../storage/index.ts';
import { ThemeEditError } from '../../storage/repositories/themes.ts';

export { ThemeEditError };

/** Finds every theme each comment speaks to (mentions.ts); the same contract as a run's. */
export type RecountMentions = (
  texts: readonly string[],
  primary: readonly (string | null)[],
  themeIds: readonly string[],
  options: MentionOptions,
) => Promise<MentionsResult>;

const recount: RecountMentions = (texts, primary, themeIds, options) =>
  mentionsInWorker(texts, primary, themeIds, options);

/**
 * Counts again, for the themes as an edit left them, every theme each comment speaks to, with
 * stance and sentiment (issue 14: they used to stay hidden until the analysis was run again), and
 * stores them unless a later edit came meanwhile. In a worker thread, as a run does: on a large set
 * it takes seconds. Returns whether they were stored; if counting fails the figures stay hidden
 * (the page says to run the analysis again) and the edit itself stands.
 */
export async function recountMentions(scope: OrgScope, analysisId: string): Promise<boolean> {
  const themes = scope.themes;
  const edits = (await themes.edits(analysisId)).length;
  const analysis = await themes.analysis(analysisId);
  if (!analysis || analysis.status !== 'done' || analysis.mentions !== null) return false;
  const comments = await themes.analysisComments(analysis.setId);
  const now = new Map((await themes.assignmentsOf(analysisId)).map((a) => [a.commentId, a]));
  const themeIds = (await themes.themes(analysisId)).map((t) => t.key);
  let found: MentionsResult;
  try {
    found = await recount(
      comments.map((c) => c.redacted),
      comments.map((c) => now.get(c.id)?.themeKey ?? null),
      themeIds,
      { question: analysis.question ?? undefined },
    );
  } catch {
    return false;
  }
  const stored = await themes.storedMentions(analysisId);
  const changed = comments.flatMap((c, i) => {
    const mentions = found.comments[i] ?? null;
    const text = mentions ? JSON.stringify(mentions) : null;
    return stored.get(c.id) === text ? [] : [{ commentId: c.id, mentions }];
  });
  return themes.saveRecountedMentions(
    analysisId,
    edits,
    { themes: found.themes, sentiment: found.sentiment, method: found.method },
    changed,
  );
}

/** Makes one edit of a finished analysis; throws ThemeEditError, saying why, if it cannot. */
async function applyEdit(
  scope: OrgScope,
  analysisId: string,
  edit: ThemeEdit,
  audit: ThemeEditAudit,
): Promise<void> {
  await scope.transaction(async (tx) => {
    const themes = tx.themes;
    await themes.lockForEdit(analysisId);
    const analysis = await themes.analysis(analysisId);
    if (!analysis || analysis.status !== 'done')
      throw new ThemeEditError('This analysis has not finished');
    const comments = await themes.analysisComments(analysis.setId);
    const raw = await themes.engineRun(analysisId, comments);
    if (!raw) throw new ThemeEditError('This analysis has not finished');
    const previous = (await themes.edits(analysisId)).map((e) => e.edit);
    // Every edit so far, and this one, on the engine's own themes (no matching needed), with the
    // redacted text as stored (no comment redacted again).
    const result = applyEdits(
      raw,
      comments,
      [...previous, edit],
      prepareComments(
        comments,
        comments.map((c) => c.redacted),
      ),
    );
    const refused = result.notApplied.find((n) => n.edit === edit);
    if (refused) throw new ThemeEditError(`This change could not be made: ${refused.reason}`);
    const run = result.run;
    const now = new Map((await themes.assignmentsOf(analysisId)).map((a) => [a.commentId, a]));
    const changes = new Map<string, string[]>();
    comments.forEach((c, i) => {
      const key = run.assignments[i] ?? null;
      const reason = run.reasons[i] ?? null;
      const before = now.get(c.id);
      if (before && before.themeKey === key && before.reason === reason) return;
      const group = JSON.stringify([key, reason]);
      const list = changes.get(group) ?? [];
      list.push(c.id);
      changes.set(group, list);
    });
    const reassigned: SavedEdit['reassigned'] = [...changes].map(([group, commentIds]) => {
      const [themeKey, reason] = JSON.parse(group) as [string | null, NoThemeReason | null];
      return { themeKey, reason, commentIds };
    });
    // Links follow a merged theme to the theme it joined.
    let linksFollow: SavedEdit['linksFollow'];
    if (edit.kind === 'merge') {
      const present = new Set(run.themes.map((t) => t.id));
      const target = edit.themeIds.find((id) => present.has(id));
      if (target !== undefined) linksFollow = { from: edit.themeIds, to: target };
    }
    await themes.saveEdit(analysisId, { edit, run, reassigned, linksFollow }, audit);
  });
  if (edit.kind !== 'rename') await recountMentions(scope, analysisId);
}

export async function renameTheme(
  scope: OrgScope,
  analysisId: string,
  themeKey: string,
  label: string,
): Promise<void> {
  const before = await scope.themes.theme(analysisId, themeKey);
  if (!before) throw new ThemeEditError('No such theme');
  await applyEdit(
    scope,
    analysisId,
    { kind: 'rename', themeId: themeKey, label },
    {
      action: 'themes.renamed',
      details: { theme: themeKey, before: before.label, after: label },
    },
  );
}

/** Merges themes into the first of them (in the order given); returns the merged theme's key. */
export async function mergeThemes(
  scope: OrgScope,
  analysisId: string,
  themeKeys: readonly string[],
  label?: string,
): Promise<string> {
  const themes = await scope.themes.themes(analysisId);
  const chosen = themeKeys.map((k) => themes.find((t) => t.key === k));
  if (chosen.some((t) => t === undefined)) throw new ThemeEditError('No such theme');
  if (new Set(themeKeys).size < 2) throw new ThemeEditError('Choose at least two themes');
  await applyEdit(
    scope,
    analysisId,
    { kind: 'merge', themeIds: [...themeKeys], label },
    {
      action: 'themes.merged',
      details: { themes: chosen.map((t) => ({ key: t?.key, label: t?.label })), label },
    },
  );
  const after = new Set((await scope.themes.themes(analysisId)).map((t) => t.key));
  return themeKeys.find((k) => after.has(k)) ?? themeKeys[0] ?? '';
}

/** Moves the chosen comments of a theme into a new theme; returns the new theme's key. */
export async function splitTheme(
  scope: OrgScope,
  analysisId: string,
  themeKey: string,
  commentIds: readonly string[],
  label: string,
): Promise<string> {
  const theme = await scope.themes.theme(analysisId, themeKey);
  if (!theme) throw new ThemeEditError('No such theme');
  const rows = (await scope.themes.commentsForEdit(analysisId, commentIds)).filter(
    (r) => r.themeKey === themeKey,
  );
  if (rows.length === 0) throw new ThemeEditError('Choose comments of this theme to split off');
  if (rows.length >= theme.size)
    throw new ThemeEditError('Leave at least one comment in the theme, or rename it instead');
  const newKey = `split-${newId().slice(0, 8)}`;
  await applyEdit(
    scope,
    analysisId,
    {
      kind: 'split',
      themeId: themeKey,
      comments: rows.map((r) => r.text),
      newThemeId: newKey,
      label,
    },
    {
      action: 'themes.split',
      details: {
        theme: themeKey,
        label: theme.label,
        newTheme: newKey,
        newLabel: label,
        comments: rows.length,
      },
    },
  );
  return newKey;
}

/** Moves a comment to another theme, or to "other" when `toThemeKey` is null. */
export async function moveComment(
  scope: OrgScope,
  analysisId: string,
  commentId: string,
  toThemeKey: string | null,
): Promise<void> {
  const [row] = await scope.themes.commentsForEdit(analysisId, [commentId]);
  if (!row) throw new ThemeEditError('No such comment');
  if (row.reason === 'blank' || row.reason === 'duplicate')
    throw new ThemeEditError('Blank and repeated comments are set aside and cannot be moved');
  if (toThemeKey !== null && !(await scope.themes.theme(analysisId, toThemeKey)))
    throw new ThemeEditError('No such theme');
  if (row.themeKey === toThemeKey) throw new ThemeEditError('The comment is already there');
  await applyEdit(
    scope,
    analysisId,
    { kind: 'move', comment: row.text, toThemeId: toThemeKey },
    {
      action: 'themes.comment_moved',
      details: { comment: commentId, from: row.themeKey, to: toThemeKey },
    },
  );
}
