// Comment themes as the application works with them: running an analysis (analysis.ts), people's
// edits of its themes (edits.ts), and queuing the work as background jobs (queue.ts). Jobs, pages
// and the seed call these; these call the pure engine (domain/themes) and the theme store, which
// only reads and writes rows. (The jobs import analysis.ts itself: queue.ts imports the jobs.)
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
export { queueAnalysis, queueImport, settleAnalysis, type AnalysisOptions } from './queue.ts';
export { adoptEarlierNames, compareWithEarlierWave, type WaveState } from './waves.ts';
