// Theme work on the job queue: an analysis, or the import of a set's waiting file followed by its
// analysis, queued as one background job on an analysis record whose page shows its progress; and
// an unfinished analysis kept true to its job, cleaning up after a job that died with its process.
import { THEMES_ANALYSE } from '../../jobs/themes-analysis.ts';
import { THEMES_IMPORT, type ThemesImportPayload } from '../../jobs/themes-import.ts';
import type { JobQueue } from '../../jobs/types.ts';
import type { ColumnMapping } from '../../domain/themes/index.ts';
import type { AnalysisSummary, OrgScope } from '../../storage/index.ts';

/** An analysis queued this long ago that no job ever took up will not run (ms). */
const NEVER_STARTED_MS = 10 * 60_000;

type Jobs = Pick<JobQueue, 'enqueue'>;

export interface AnalysisOptions {
  readonly seed: number;
  readonly themes: number | null;
  /** The consultation question the comments answer: each theme then gets a stance split. */
  readonly question?: string | null | undefined;
  /** Broad themes wanted (the upper level); null: chosen automatically. */
  readonly broadThemes?: number | null;
}

/**
 * Queues an analysis of a ready set as a background job (the newest finished analysis of the set
 * passes its edits and links on); its page shows progress until it is done. Undefined if the set is
 * not this organisation's or not ready.
 */
export async function queueAnalysis(
  jobs: Jobs,
  scope: OrgScope,
  setId: string,
  options: AnalysisOptions,
): Promise<string | undefined> {
  const analysisId = await scope.themes.createAnalysis(setId, options);
  if (analysisId === undefined) return undefined;
  const jobId = await jobs.enqueue(scope, THEMES_ANALYSE, { analysisId });
  await scope.themes.attachJob(analysisId, jobId);
  return analysisId;
}

/**
 * Queues the import of a set's waiting file (then its analysis) as one background job, on an
 * analysis record whose page shows the progress of both. Undefined if the set has no waiting file;
 * `busy` with the running import's analysis if one is already queued or running.
 */
export async function queueImport(
  jobs: Jobs,
  scope: OrgScope,
  setId: string,
  mapping: ColumnMapping | null,
  options: AnalysisOptions,
): Promise<{ analysisId: string; busy: boolean } | undefined> {
  const queued = await scope.themes.queueImport(setId, options);
  if (queued === undefined) return undefined;
  if ('busy' in queued) return { analysisId: queued.busy, busy: true };
  const payload: ThemesImportPayload = { setId, analysisId: queued.analysisId, mapping };
  const jobId = await jobs.enqueue(scope, THEMES_IMPORT, payload);
  await scope.themes.attachJob(queued.analysisId, jobId);
  return { analysisId: queued.analysisId, busy: false };
}

/**
 * Brings an unfinished analysis up to date with its job: if the job failed without the analysis
 * hearing of it (the process stopped mid-run), or no job was ever queued for it, the analysis is
 * marked failed — and if it was storing a set's comments, what it wrote is removed, so the set is
 * as it was before. Returns the analysis as it now is, with the job's error for the person.
 */
export async function settleAnalysis<A extends AnalysisSummary>(
  scope: OrgScope,
  analysis: A,
  reload: () => Promise<A | undefined>,
): Promise<{ analysis: A; jobError: string | null }> {
  if (analysis.status === 'done') return { analysis, jobError: null };
  const job = analysis.jobId !== null ? await scope.jobs.get(analysis.jobId) : undefined;
  const unfinished = analysis.status === 'queued' || analysis.status === 'running';
  const neverStarted =
    analysis.status === 'queued' &&
    analysis.jobId === null &&
    Date.now() - Date.parse(analysis.createdAt) > NEVER_STARTED_MS;
  let error = job?.status === 'failed' ? (job.error ?? 'The job failed') : null;
  if (neverStarted) error = 'The work was never started. Start it again.';
  if (unfinished && error !== null) {
    await scope.themes.markFailed(analysis.id, error);
    await scope.themes.clearStagedComments(analysis.setId);
    return { analysis: (await reload()) ?? analysis, jobError: error };
  }
  return { analysis, jobError: error };
}
