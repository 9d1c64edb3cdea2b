// The `themes.analyse` job (issue 6): finds the themes of an uploaded comment set, re-applies the
// edits and links of the set's previous analysis, and stores the result (services/themes). The
// analysis record itself carries the progress the themes pages show; the job record carries the same
// for the job list.
import { countOf } from '../lib/plural.ts';
import { z } from 'zod';
import { runAnalysis } from '../services/themes/analysis.ts';
import { discoverInWorker, mentionsInWorker } from './themes-discover.ts';
import type { JobContext, JobHandler } from './types.ts';

export const THEMES_ANALYSE = 'themes.analyse';

const payloadSchema = z.object({ analysisId: z.uuid() });

export type ThemesAnalysePayload = z.output<typeof payloadSchema>;

/**
 * Runs an analysis inside a job, its progress shown on the job too, the engine in a worker thread
 * that the job's signal stops (finding the themes, then every theme each comment speaks to); `from` is where the analysis's part of the progress bar starts
 * (after an import's). Resolves to the number of themes found.
 */
export async function analyseInJob(
  analysisId: string,
  context: JobContext,
  from?: number,
): Promise<number> {
  await runAnalysis(context.scope, analysisId, {
    report: (percent, stage) => {
      context.progress(percent / 100, stage);
    },
    discover: (comments, options, onProgress) =>
      discoverInWorker(comments, options, onProgress, context.signal),
    mentions: (texts, primary, themeIds, options) =>
      mentionsInWorker(texts, primary, themeIds, options, context.signal),
    progressFrom: from,
  });
  return (await context.scope.themes.themes(analysisId)).length;
}

export const themesAnalysisHandler: JobHandler<ThemesAnalysePayload, { themes: number }> = {
  kind: THEMES_ANALYSE,
  parse: (payload) => payloadSchema.parse(payload),
  async run({ analysisId }, context) {
    return { themes: await analyseInJob(analysisId, context) };
  },
  doneMessage: (result) => `Found ${countOf(result.themes, 'theme')}`,
};
