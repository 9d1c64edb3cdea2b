// Comment themes as the application works with them: running an analysis (analysis.ts) and people's
// edits of its themes (edits.ts). Jobs, pages and the seed call these; these call the pure engine
// (domain/themes) and the theme store, which only reads and writes rows.
export {
  ASSIGNMENTS_PER_TRANSACTION,
  describeEdit,
  discoverHere,
  runAnalysis,
  type Discover,
  type ProgressReport,
  type RunOptions,
} from './analysis.ts';
export { ThemeEditError, mergeThemes, moveComment, renameTheme, splitTheme } from './edits.ts';
