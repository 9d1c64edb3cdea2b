// Running an analysis against a real temporary SQLite database, with a stand-in engine so the
// storage work is what is tested: assignments written 5,000 per short transaction with progress
// after each; a failure part way removes what was written and marks the analysis failed; a re-run
// keeps the previous analysis's edits and links on the themes found again and lists the rest.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommentInput, ThemeRun } from '../../domain/themes/index.ts';
import type { OrgScope } from '../../storage/index.ts';
import { ThemeStore } from '../../storage/repositories/themes.ts';
import { testScope, type TestScope } from '../../../test/helpers/scope.ts';
import { runAnalysis, type Discover } from './analysis.ts';
import { renameTheme } from './edits.ts';

let t: TestScope;
let scope: OrgScope;

beforeEach(async () => {
  t = await testScope();
  ({ scope } = t);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await t.close();
});

/** Two themes, the even comments in the first and the odd in the second (the last two in Other). */
const twoThemes: Discover = (comments: readonly CommentInput[]) => {
  const n = comments.length;
  const assignments = comments.map((_, i) =>
    i >= n - 2 ? null : i % 2 === 0 ? 'theme-1' : 'theme-2',
  );
  const size = (id: string) => assignments.filter((a) => a === id).length;
  const run: ThemeRun = {
    themes: [1, 2].map((k) => ({
      id: `theme-${k}`,
      name: `Theme ${k}`,
      description: '',
      label: `Theme ${k}`,
      keyPhrases: [],
      size: size(`theme-${k}`),
      share: size(`theme-${k}`) / n,
      quotes: [],
      cohesion: 0.5,
    })),
    assignments,
    reasons: assignments.map((a) => (a === null ? 'other' : null)),
    other: { size: 2, share: 2 / n, quotes: [] },
    counts: { input: n, analysed: n, blank: 0, duplicate: 0, other: 2 },
    method: {
      seed: 1,
      requestedThemes: null,
      sampleSize: n,
      fineClusters: 2,
      wordCoverage: 1,
      silhouette: null,
    },
    centroids: [
      [1, 0],
      [0, 1],
    ],
  };
  return Promise.resolve(run);
};

async function commentSet(count: number): Promise<string> {
  const comments = Array.from({ length: count }, (_, i) => ({
    line: i + 2,
    text: `Comment ${i} about the ${i % 2 === 0 ? 'bins' : 'buses'}`,
  }));
  return scope.themes.createSet({
    name: 'Survey',
    fileName: 'survey.txt',
    format: 'text',
    columns: [],
    mapping: null,
    read: {
      comments,
      columns: [],
      setAside: comments.map(() => null),
      counts: { rows: count, blank: 0, duplicate: 0 },
    },
  });
}

async function queued(setId: string): Promise<string> {
  const id = await scope.themes.createAnalysis(setId, { seed: 1, themes: null });
  if (id === undefined) throw new Error('not queued');
  return id;
}

const assignmentCount = async (analysisId: string) =>
  Number(
    (
      await t.db.kysely
        .selectFrom('comment_assignments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('analysis_id', '=', analysisId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('runAnalysis', () => {
  it('writes the assignments 5,000 per transaction, with progress after each', async () => {
    const analysisId = await queued(await commentSet(12_000));
    const save = vi.spyOn(ThemeStore.prototype, 'saveAssignments');
    const reports: [number, string][] = [];
    await runAnalysis(scope, analysisId, {
      discover: twoThemes,
      report: (percent, stage) => void reports.push([percent, stage]),
    });
    expect(save.mock.calls.map(([, rows]) => rows.length)).toEqual([5000, 5000, 2000]);
    const saving = reports.filter(([, stage]) => stage === 'saving the themes');
    expect(saving.map(([p]) => Math.round(p))).toEqual([85, 91, 97, 99]);
    const analysis = await scope.themes.analysis(analysisId);
    expect(analysis).toMatchObject({ status: 'done', progress: 100, stage: 'finished' });
    expect(await assignmentCount(analysisId)).toBe(12_000);
    expect((await scope.themes.themes(analysisId)).map((th) => th.size)).toEqual([5999, 5999]);
  }, 30_000); // 12,000 comments, each also read for several themes and sentiment

  it('starts its progress where an import before it stopped', async () => {
    const analysisId = await queued(await commentSet(10));
    const reports: number[] = [];
    await runAnalysis(scope, analysisId, {
      discover: twoThemes,
      report: (percent) => void reports.push(percent),
      progressFrom: 40,
    });
    expect(Math.min(...reports)).toBeGreaterThanOrEqual(40);
    expect(reports.at(-1)).toBeCloseTo(99.4);
  });

  it('removes the assignments it wrote and marks the analysis failed when it fails part way', async () => {
    const analysisId = await queued(await commentSet(12_000));
    let saved = 0;
    const run = runAnalysis(scope, analysisId, {
      discover: twoThemes,
      report: async (_percent, stage) => {
        if (stage === 'saving the themes' && ++saved === 3) {
          expect(await assignmentCount(analysisId)).toBe(10_000);
          throw new Error('the disk is full');
        }
      },
    });
    await expect(run).rejects.toThrow('the disk is full');
    expect(await assignmentCount(analysisId)).toBe(0);
    expect(await scope.themes.analysis(analysisId)).toMatchObject({
      status: 'failed',
      error: 'the disk is full',
    });
    const [entry] = await scope.auditLog(1);
    expect(entry?.action).toBe('themes.analysis_failed');
  }, 30_000); // 12,000 comments, each also read for several themes and sentiment

  it('keeps the previous analysis’s edits and links on the themes found again, and lists the rest', async () => {
    const setId = await commentSet(40);
    const first = await queued(setId);
    await runAnalysis(scope, first, { discover: twoThemes });
    await renameTheme(scope, first, 'theme-1', 'Missed bin collections');
    await scope.themes.addLink(first, 'theme-1', { kind: 'capability', note: 'Data' });

    const second = await queued(setId);
    await runAnalysis(scope, second, { discover: twoThemes });
    const themes = await scope.themes.themes(second);
    expect(themes.map((th) => th.label)).toContain('Missed bin collections');
    expect((await scope.themes.links(second)).map((l) => l.note)).toEqual(['Data']);
    expect((await scope.themes.edits(second)).map((e) => e.carried)).toEqual([true]);
    expect((await scope.themes.analysis(second))?.notApplied).toEqual([]);

    // A run that finds only one of the themes again cannot keep the link of the other.
    await scope.themes.addLink(second, 'theme-2', { kind: 'capability', note: 'Leadership' });
    const third = await queued(setId);
    const oneTheme: Discover = async (comments, options, onProgress) => {
      const run = await twoThemes(comments, options, onProgress);
      return {
        ...run,
        themes: run.themes.slice(0, 1),
        centroids: run.centroids.slice(0, 1),
        assignments: run.assignments.map((a) => (a === 'theme-1' ? a : null)),
        reasons: run.assignments.map((a) => (a === 'theme-1' ? null : 'other')),
      };
    };
    await runAnalysis(scope, third, { discover: oneTheme });
    expect((await scope.themes.links(third)).map((l) => l.note)).toEqual(['Data']);
    expect((await scope.themes.analysis(third))?.notApplied).toEqual([
      {
        description: 'Link from “Theme 2” to Leadership',
        reason: 'the theme was not found again in the new run',
      },
    ]);
    const [entry] = await scope.auditLog(1);
    expect(entry).toMatchObject({
      action: 'themes.analysis_finished',
      details: { themes: 1, editsCarried: 1, linksCarried: 1, notApplied: 1 },
    });
  });
});
