// Themes from free text (the paper's third channel, section 2.2.3): the public face of the engine.
// Read comments, discover their recurring themes locally, redact personal data in anything shown,
// re-apply people's edits to a new run, and measure quality against known labels.
import { discoverThemes as discover, DEFAULT_METHOD, type MethodSettings } from './discover.ts';
import type { CommentInput, DiscoverOptions, ThemeRun } from './types.ts';
import { loadWordVectors, type WordVectors } from './vectors/load.ts';

export { readComments, checkComments, streamComments, CommentImportError } from './import.ts';
export type {
  ColumnMapping,
  ImportCounts,
  ImportedComment,
  ImportResult,
  ReadOptions,
} from './import.ts';
export { detectDelimiter } from './delimiter.ts';
export { COLUMN_RULES, profileColumn, suggestColumns } from './columns.ts';
export type { ColumnProfile, ColumnRole, ColumnSuggestions } from './columns.ts';
export { isBlankComment } from './setaside.ts';
export { redactPersonalData, passesLuhn } from './redact.ts';
export { applyEdits, matchThemes, prepareComments, reapplyEdits, snapshotThemes } from './edits.ts';
export type { PreparedComments, ReapplyResult, ThemeEdit, ThemeSnapshot } from './edits.ts';
export { normalisedMutualInformation, adjustedRandIndex, npmiCoherence } from './metrics.ts';
export { tokenise } from './tokenise.ts';
export { findMentions, SENTIMENTS, STANCES } from './mentions.ts';
export type {
  CommentMentions,
  Mention,
  MentionOptions,
  MentionsResult,
  Split,
  ThemeMentions,
} from './mentions.ts';
export type { SentimentLabel } from './sentiment.ts';
export type { Stance } from './stance.ts';
export { splitClauses } from './clauses.ts';
export { loadWordVectors } from './vectors/load.ts';
export type {
  BroadTheme,
  CommentInput,
  DiscoverOptions,
  NoThemeReason,
  Theme,
  ThemeRun,
} from './types.ts';
export type { Trend, TrendPoint } from './trend.ts';
export { DEFAULT_METHOD, type MethodSettings };

/**
 * Finds the recurring themes in `comments`, deterministic for `options.seed`. Uses the shipped
 * general-English word vectors unless others are given.
 */
export function discoverThemes(
  comments: readonly (CommentInput | string)[],
  options: DiscoverOptions = {},
  vectors: WordVectors = loadWordVectors(),
  method: MethodSettings = DEFAULT_METHOD,
): ThemeRun {
  const inputs = comments.map((c) => (typeof c === 'string' ? { text: c } : c));
  return discover(inputs, vectors, options, method);
}
