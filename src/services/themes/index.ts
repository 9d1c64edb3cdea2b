// Comment themes as the application works with them: running an analysis (analysis.ts). Jobs,
// pages and the seed call these; these call the pure engine (domain/themes) and the theme store.
export {
  ASSIGNMENTS_PER_TRANSACTION,
  describeEdit,
  discoverHere,
  runAnalysis,
  type Discover,
  type ProgressReport,
  type RunOptions,
} from './analysis.ts';
