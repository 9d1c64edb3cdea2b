// Running a theme analysis (issue 6): reads the set's comments, finds their themes with the engine,
// re-applies the edits people made to the set's previous analysis and carries its links over to the
// themes found again, and stores the result, reporting progress all the way. Storage only reads and
// writes rows (storage/repositories/themes.ts); the order of the work, and what happens when it
// fails, is decided here. Called by the themes jobs, the seed and tests.
//
// Written so a large set never holds the database: the comments are read a page at a time (the
// store's paged read), the assignments are written a few thousand per short transaction, and
// everything else in one last short transaction that marks the analysis done.
import {
  applyEdits,
  discoverThemes,
  findMentions,
  loadWordVectors,
  prepareComments,
  reapplyEdits,
  redactPersonalData,
  snapshotThemes,
  type CommentInput,
  type DiscoverOptions,
  type MentionOptions,
  type MentionsResult,
  type ThemeEdit,
  type ThemeRun,
} from '../../domain/themes/index.ts';
import type {
  AnalysisComment,
  CarriedLink,
  NotApplied,
  OrgScope,
  StoredMentions,
  ThemeStore,
} from '../../storage/index.ts';

/**
 * Comment assignments written per transaction: a million rows in one would hold SQLite's only
 * writer for half a minute, and every page with it.
 */
export const ASSIGNMENTS_PER_TRANSACTION = 5000;

export type ProgressReport = (percent: number, stage: string) => Promise<void> | void;

/** Runs the theme engine; `onProgress` gets its stage and how far through (0 … 1) it is. */
export type Discover = (
  comments: readonly CommentInput[],
  options: Omit<DiscoverOptions, 'onProgress'>,
  onProgress: (stage: string, fraction: number) => void,
) => Promise<ThemeRun>;

/** The engine in this thread (the seed, small sets); the job runs it in a worker instead. */
export const discoverHere: Discover = (comments, options, onProgress) =>
  Promise.resolve(
    discoverThemes(comments, {
      ...options,
      onProgress: (stage, done, total) => onProgress(stage, total > 0 ? done / total : 0),
    }),
  );

/** Finds every theme each comment speaks to (mentions.ts); the job runs it in a worker too. */
export type FindMentions = (
  texts: readonly string[],
  primary: readonly (string | null)[],
  themeIds: readonly string[],
  options: MentionOptions,
) => Promise<MentionsResult>;

/** Mentions in this thread (the seed, small sets). */
export const mentionsHere: FindMentions = (texts, primary, themeIds, options) =>
  Promise.resolve(findMentions(texts, primary, themeIds, loadWordVectors(), options));

export interface RunOptions {
  /** Hears the overall progress (0–100) and stage, as the analysis record does. */
  readonly report?: ProgressReport | undefined;
  readonly discover?: Discover | undefined;
  readonly mentions?: FindMentions | undefined;
  /** Where this run starts on the progress bar (an import before it took the part below). */
  readonly progressFrom?: number | undefined;
}

/** An edit in words, for the list of edits that could not be re-applied. */
export function describeEdit(edit: ThemeEdit, labels: ReadonlyMap<string, string>): string {
  const name = (id: string | null): string =>
    id === null ? '“Other”' : `“${labels.get(id) ?? id}”`;
  switch (edit.kind) {
    case 'rename':
      return `Rename ${name(edit.themeId)} to “${edit.label}”`;
    case 'merge':
      return `Merge ${edit.themeIds.map(name).join(' and ')}${edit.label ? ` as “${edit.label}”` : ''}`;
    case 'split':
      return `Split ${edit.comments.length} comment${edit.comments.length === 1 ? '' : 's'} from ${name(edit.themeId)} into “${edit.label}”`;
    case 'move':
      return `Move the comment “${truncate(redactPersonalData(edit.comment), 60)}” to ${name(edit.toThemeId)}`;
  }
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** The ids an edit names, changed by `map` (ids it does not know stay as they are). */
function translateEdit(edit: ThemeEdit, map: ReadonlyMap<string, string>): ThemeEdit {
  const to = (id: string): string => map.get(id) ?? id;
  switch (edit.kind) {
    case 'rename':
      return { ...edit, themeId: to(edit.themeId) };
    case 'merge':
      return { ...edit, themeIds: edit.themeIds.map(to) };
    case 'split':
      return { ...edit, themeId: to(edit.themeId) };
    case 'move':
      return { ...edit, toThemeId: edit.toThemeId === null ? null : to(edit.toThemeId) };
  }
}

/** What a re-run keeps of the previous analysis: its edits and links, and what it could not keep. */
interface CarriedOver {
  readonly final: ThemeRun;
  readonly edits: readonly ThemeEdit[];
  readonly links: readonly CarriedLink[];
  readonly notApplied: readonly NotApplied[];
}

/**
 * Re-applies the previous analysis's edits to the engine's new run, and carries its links over to
 * the themes found again; what cannot be kept is listed with the reason.
 */
async function carryOver(
  themes: ThemeStore,
  previousId: string | null,
  run: ThemeRun,
  comments: readonly AnalysisComment[],
): Promise<CarriedOver> {
  const nothing = { final: run, edits: [], links: [], notApplied: [] };
  if (previousId === null) return nothing;
  const previousRaw = await themes.engineRun(previousId, comments);
  if (!previousRaw) return nothing;
  const previousEdits = (await themes.edits(previousId)).map((e) => e.edit);
  const labels = new Map((await themes.themes(previousId)).map((t) => [t.key, t.label]));
  for (const t of previousRaw.themes) if (!labels.has(t.id)) labels.set(t.id, t.name);
  const prepared = prepareComments(
    comments,
    comments.map((c) => c.redacted),
  );
  const result = reapplyEdits(
    run,
    comments,
    snapshotThemes(previousRaw, comments, prepared),
    previousEdits,
    prepared,
  );
  const edits = result.applied.map((e) => translateEdit(e, result.matched));
  const notApplied: NotApplied[] = result.notApplied.map(({ edit, reason }) => ({
    description: describeEdit(edit, labels),
    reason,
  }));
  const final = applyEdits(run, comments, edits, prepared).run;
  const present = new Set(final.themes.map((t) => t.id));
  const links: CarriedLink[] = [];
  for (const link of await themes.links(previousId)) {
    const key = result.matched.get(link.themeKey) ?? link.themeKey;
    if (present.has(key)) links.push({ link, key });
    else
      notApplied.push({
        description: `Link from “${labels.get(link.themeKey) ?? link.themeKey}” to ${link.note}`,
        reason: 'the theme was not found again in the new run',
      });
  }
  // Two old themes found again as one would otherwise link it twice to the same place.
  const distinct = links.filter(
    (c, i) =>
      links.findIndex(
        (d) => d.key === c.key && d.link.note === c.link.note && d.link.kind === c.link.kind,
      ) === i,
  );
  return { final, edits, links: distinct, notApplied };
}

/**
 * Runs a queued analysis: reads the set's comments, finds the themes, re-applies the previous
 * analysis's edits and links, and stores the result. Safe to call from a background job. If
 * anything fails, the assignments written so far are removed, the analysis is marked failed with
 * the error's message, and the error is thrown again.
 */
export async function runAnalysis(
  scope: OrgScope,
  analysisId: string,
  options: RunOptions = {},
): Promise<void> {
  const themes = scope.themes;
  const {
    report,
    discover = discoverHere,
    mentions: find = mentionsHere,
    progressFrom = 0,
  } = options;
  const progress: ProgressReport = async (percent, stage) => {
    const overall = progressFrom + (percent * (100 - progressFrom)) / 100;
    await themes.reportProgress(analysisId, overall, stage);
    await report?.(overall, stage);
  };
  const analysis = await themes.analysis(analysisId);
  if (!analysis) throw new Error('No such analysis');
  if (analysis.status === 'done') return;
  try {
    await themes.markRunning(analysisId);
    await progress(2, 'reading comments');
    const comments = await themes.analysisComments(analysis.setId);
    const stages: string[] = [];
    let writing: Promise<void> = Promise.resolve();
    const run = await discover(
      comments,
      {
        seed: analysis.seed,
        themes: analysis.requestedThemes ?? undefined,
        broadThemes: analysis.requestedBroadThemes ?? undefined,
      },
      (stage, fraction) => {
        if (stages.at(-1) !== stage) stages.push(stage);
        writing = writing.then(() => progress(10 + 70 * fraction, stage)).catch(() => undefined);
      },
    );
    await writing;
    await progress(80, 'applying your edits');
    const carried = await carryOver(themes, analysis.previousId, run, comments);
    const { final } = carried;
    // Several themes per comment, sentiment, and stance when a question was given (mentions.ts),
    // for the themes people see, from the redacted text only.
    await progress(82, 'finding every theme each comment speaks to');
    const mentions = await find(
      comments.map((c) => c.redacted),
      final.assignments,
      final.themes.map((t) => t.id),
      { question: analysis.question ?? undefined },
    );
    const stored: StoredMentions = {
      themes: mentions.themes,
      sentiment: mentions.sentiment,
      method: mentions.method,
    };
    await progress(85, 'saving the themes');
    // The assignments first, in short transactions. Pages read them only once the analysis is
    // done, which the last transaction records; if anything fails before, they are removed again
    // (see the catch).
    await themes.clearAssignments(analysisId);
    for (let from = 0; from < comments.length; from += ASSIGNMENTS_PER_TRANSACTION) {
      const batch = comments.slice(from, from + ASSIGNMENTS_PER_TRANSACTION);
      await themes.saveAssignments(
        analysisId,
        batch.map((c, offset) => ({
          commentId: c.id,
          position: c.position,
          rawThemeKey: run.assignments[from + offset] ?? null,
          themeKey: final.assignments[from + offset] ?? null,
          reason: final.reasons[from + offset] ?? null,
          mentions: mentions.comments[from + offset] ?? null,
        })),
      );
      await progress(
        85 + (14 * Math.min(comments.length, from + batch.length)) / Math.max(comments.length, 1),
        'saving the themes',
      );
    }
    await themes.finishAnalysis(analysisId, {
      engine: run,
      final,
      stages,
      carriedEdits: carried.edits,
      carriedLinks: carried.links,
      notApplied: carried.notApplied,
      mentions: stored,
    });
  } catch (error) {
    await themes.clearAssignments(analysisId).catch(() => undefined);
    await themes.markFailed(analysisId, error instanceof Error ? error.message : String(error));
    throw error;
  }
}
