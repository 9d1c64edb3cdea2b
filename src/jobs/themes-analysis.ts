// The `themes.analyse` job (issue 6): finds the themes of an uploaded comment set, re-applies the
// edits and links of the set's previous analysis, and stores the result. The analysis record itself
// (storage/repositories/themes.ts) carries the progress the themes pages show; the job record
// carries the same for the job list.
import { z } from 'zod';
import { discoverInWorker } from './themes-discover.ts';
import type { JobHandler } from './types.ts';

export const THEMES_ANALYSE = 'themes.analyse';

const payloadSchema = z.object({ analysisId: z.uuid() });

export type ThemesAnalysePayload = z.output<typeof payloadSchema>;

export const themesAnalysisHandler: JobHandler<ThemesAnalysePayload, { themes: number }> = {
  kind: THEMES_ANALYSE,
  parse: (payload) => payloadSchema.parse(payload),
  async run({ analysisId }, context) {
    const themes = context.scope.themes;
    await themes.runAnalysis(
      analysisId,
      (percent, stage) => {
        context.progress(percent / 100, stage);
      },
      (comments, options, onProgress) =>
        discoverInWorker(comments, options, onProgress, context.signal),
    );
    return { themes: (await themes.themes(analysisId)).length };
  },
  doneMessage: (result) => `Found ${result.themes} themes`,
};
