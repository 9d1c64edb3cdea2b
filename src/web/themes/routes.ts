// Themes from free text (issue 6; paper section 2.2.3): the list of comment sets, uploading a CSV or
// text file with its own size limit, mapping the CSV's columns, storing the comments and finding
// their themes as a background job with a progress page that refreshes itself, re-running, deleting
// a set, and the CSV export of comment → theme. Reading and changing themes is in edit-routes.ts.
// Every page works without JavaScript; text shown or exported is always the redacted copy.
import { countOf } from '../../lib/plural.ts';
import { readFileSync } from 'node:fs';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { redactPersonalData, type ColumnMapping } from '../../domain/themes/index.ts';
import { queueAnalysis, queueImport, settleAnalysis } from '../../services/themes/index.ts';
import type { AnalysisSummary, CommentSet, OrgScope } from '../../storage/index.ts';
import { formErrors, parseForm, type FormErrors } from '../forms.ts';
import { checkCsrfFirst, malformedUpload } from '../uploads.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { hasRole, type Services } from '../principal.ts';
import { csvExport, jsonExport, themeTables, themesAbout } from './export.ts';
import {
  COMMENT_UPLOAD_LIMIT,
  UploadError,
  packPending,
  pendingHead,
  previewCsv,
  receiveComments,
  tooLarge,
  type ReceivedFile,
} from './upload.ts';
import { analysisPage, progressView } from './view.ts';
import { canEditThemes, themesCrumbs } from './shared.ts';
import { analysisOptions, checkCommentUpload, mappingProblem } from './store.ts';
import { notFound } from '../plugins/errors.ts';
import { sendWorkbook } from '../xlsx.ts';

const ID = /^[0-9a-f-]{36}$/;

const PROGRESS_SCRIPT = readFileSync(new URL('../themes/progress.js', import.meta.url), 'utf8');

function errorsOf(errors: FormErrors) {
  return { errors: errors.list, fieldErrors: errors.byField };
}

/**
 * Where a set waiting for its comments stands: the import queued or running now, or the last one,
 * failed, with its message (which line of the file, what is wrong).
 */
async function importState(
  scope: OrgScope,
  set: CommentSet,
): Promise<{ running: AnalysisSummary | undefined; failed: AnalysisSummary | undefined }> {
  if (set.status !== 'awaiting_mapping') return { running: undefined, failed: undefined };
  const [latest] = await scope.themes.analysesOf(set.id);
  if (latest === undefined) return { running: undefined, failed: undefined };
  const { analysis } = await settleAnalysis(scope, latest, async () =>
    (await scope.themes.analysesOf(set.id)).find((a) => a.id === latest.id),
  );
  if (analysis.status === 'failed') return { running: undefined, failed: analysis };
  if (analysis.status === 'queued' || analysis.status === 'running')
    return { running: analysis, failed: undefined };
  return { running: undefined, failed: undefined };
}

export const themeRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const signedIn = { preHandler: requireSignIn };
  const member = { preHandler: requireRole('member') };
  const lead = { preHandler: requireRole('lead') };

  // Uploads are multipart and streamed (see POST /themes/upload): the file goes to a temporary file
  // as it arrives and is refused past the limit. (Another plugin's multipart parser, if one was
  // registered above us, is replaced in this scope.)
  const limit = services.commentUploadLimitBytes ?? COMMENT_UPLOAD_LIMIT;
  if (app.hasContentTypeParser('multipart/form-data'))
    app.removeContentTypeParser('multipart/form-data');
  await app.register(fastifyMultipart, {
    limits: { fileSize: limit, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
  });

  const uploadPage = (extra: Record<string, unknown>) => ({
    title: 'Upload comments',
    limitMb: Math.round(limit / 1024 / 1024),
    breadcrumbs: themesCrumbs({ text: 'Upload comments' }),
    values: {},
    ...extra,
  });

  const refuseUpload = (reply: FastifyReply, status: number, message: string, values: object) => {
    reply.code(status);
    return reply.page(
      'pages/themes/upload.njk',
      uploadPage({ values, ...errorsOf(formErrors([['file', message]])) }),
    );
  };

  app.get('/themes', signedIn, async (request, reply) => {
    return reply.page('pages/themes/index.njk', {
      title: 'Comments and their themes',
      sets: await request.scope.themes.sets(),
      canEdit: canEditThemes(request),
      breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'Comments' }],
    });
  });

  app.get('/themes/upload', member, async (_request, reply) => {
    return reply.page('pages/themes/upload.njk', uploadPage({}));
  });

  app.post(
    '/themes/upload',
    { ...member, config: { csrf: 'first-multipart-field' } },
    async (request, reply) => {
      if (!request.isMultipart())
        return refuseUpload(reply, 400, 'Choose a CSV or text file of comments', {});
      // The form's first field is its CSRF token: checked before a byte of the file is read.
      const parts = await checkCsrfFirst(app, request, reply);
      let name = '';
      let received: ReceivedFile | null = null;
      try {
        try {
          for await (const part of parts) {
            if (part.type === 'field') {
              if (part.fieldname === 'name' && typeof part.value === 'string')
                name = part.value.trim();
              continue;
            }
            if (part.fieldname !== 'file' || received !== null || part.filename === '') {
              part.file.resume();
              continue;
            }
            received = await receiveComments(
              part.file,
              part.filename,
              limit,
              () => part.file.truncated,
            );
          }
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (error instanceof UploadError)
            return refuseUpload(reply, error.statusCode, error.message, { name });
          if (code === 'FST_REQ_FILE_TOO_LARGE') {
            const refused = tooLarge(limit);
            return refuseUpload(reply, refused.statusCode, refused.message, { name });
          }
          if (
            code === 'FST_PARTS_LIMIT' ||
            code === 'FST_FILES_LIMIT' ||
            code === 'FST_FIELDS_LIMIT'
          )
            return refuseUpload(reply, 400, 'Upload one file at a time', { name });
          const malformed = malformedUpload(error);
          if (malformed)
            return refuseUpload(reply, malformed.statusCode, malformed.message, { name });
          throw error;
        }
        return await storeUpload(request, reply, name, received);
      } finally {
        await received?.discard();
      }
    },
  );

  /**
   * Checks a received file in full and keeps it, compressed, in a new set; nothing is kept unless
   * the whole file reads. A text file's comments are then stored and analysed by a background job
   * at once; a CSV waits for its columns to be chosen.
   */
  const storeUpload = async (
    request: FastifyRequest,
    reply: FastifyReply,
    name: string,
    file: ReceivedFile | null,
  ) => {
    const values = { name };
    const checked = await checkCommentUpload(services, name, file);
    if (!checked.ok || file === null)
      return refuseUpload(reply, 400, checked.ok ? '' : checked.message, values);
    const { setName } = checked;
    const scope = request.scope;
    if (checked.format === 'text') {
      const rows = checked.rows;
      const setId = await scope.themes.createPendingSet({
        name: setName,
        fileName: file.fileName,
        format: 'text',
        columns: [],
        compressedChunks: await packPending(file.path),
      });
      const started = await queueImport(services.jobs, scope, setId, null, {
        seed: 1,
        themes: null,
      });
      if (started === undefined) return notFound(reply);
      reply.flash(`${countOf(rows, 'comment')} uploaded.`);
      return reply.redirect(`/themes/analyses/${started.analysisId}`, 303);
    }
    const preview = checked.preview;
    const setId = await scope.themes.createPendingSet({
      name: setName,
      fileName: file.fileName,
      format: 'csv',
      columns: preview.columns,
      compressedChunks: await packPending(file.path),
    });
    return reply.redirect(`/themes/sets/${setId}/columns`, 303);
  };

  // ---- column mapping ----

  const columnsPage = async (
    request: FastifyRequest,
    setId: string,
    extra: Record<string, unknown>,
  ) => {
    const set = await request.scope.themes.set(setId);
    if (!set || set.status !== 'awaiting_mapping' || set.format !== 'csv') return undefined;
    const file = await request.scope.themes.pendingFile(setId);
    if (!file) return undefined;
    const { failed } = await importState(request.scope, set);
    const preview = previewCsv(await pendingHead(file));
    const values: Record<string, unknown> = {
      ...preview.suggested,
      themes: '',
      broadThemes: '',
      seed: '1',
      ...((extra.values as Record<string, unknown> | undefined) ?? {}),
    };
    // The reason for each suggestion, beside its field (columns.ts).
    const reasonFor = (id: string): string | null =>
      (preview.reasons as Readonly<Record<string, string | null>>)[id] ?? null;
    const select = (id: string, label: string, hint: string, optional: boolean) => ({
      id,
      label,
      hint,
      reason: reasonFor(id),
      items: [
        ...(optional ? [{ value: '', text: 'Not in this file' }] : []),
        ...set.columns.map((c) => ({ value: c, text: c })),
      ].map((item) => ({ ...item, selected: (values[id] ?? '') === item.value })),
    });
    return {
      title: 'Which column holds what?',
      set,
      preview: {
        columns: preview.columns,
        rows: preview.rows.map((r) =>
          preview.columns.map((c) => redactPersonalData((r[c] ?? '').slice(0, 120))),
        ),
      },
      selects: [
        select('text', 'Comments', 'The column with the words people wrote', false),
        select('date', 'Date (optional)', 'For trends over time: 2026-03-31 or 31/03/2026', true),
        select('channel', 'Channel (optional)', 'For example web, phone, e-mail or letter', true),
        select('area', 'Area (optional)', 'For example ward or district', true),
        select(
          'group',
          'Respondent group (optional)',
          'For example resident, business or staff',
          true,
        ),
      ],
      // The last attempt to store the comments, if it failed: what was wrong, and where.
      importError: failed?.error ?? null,
      breadcrumbs: themesCrumbs({ text: set.name }),
      ...extra,
      values,
    };
  };

  /** The progress page of a set's import, if one is queued or running now. */
  const runningImport = async (request: FastifyRequest, setId: string) => {
    const set = await request.scope.themes.set(setId);
    if (!set) return undefined;
    const { running } = await importState(request.scope, set);
    return running ? `/themes/analyses/${running.id}` : undefined;
  };

  app.get<{ Params: { setId: string } }>(
    '/themes/sets/:setId/columns',
    member,
    async (request, reply) => {
      if (!ID.test(request.params.setId)) return notFound(reply);
      // While the comments are being stored, the columns are chosen: show how far it has got.
      const running = await runningImport(request, request.params.setId);
      if (running !== undefined) return reply.redirect(running, 303);
      const page = await columnsPage(request, request.params.setId, {});
      if (!page) return notFound(reply);
      return reply.page('pages/themes/columns.njk', page);
    },
  );

  const mappingSchema = analysisOptions.extend({
    text: z.string().min(1, { message: 'Choose the column that holds the comments' }),
    date: z.string().optional(),
    channel: z.string().optional(),
    area: z.string().optional(),
    group: z.string().optional(),
  });

  app.post<{ Params: { setId: string } }>(
    '/themes/sets/:setId/columns',
    member,
    async (request, reply) => {
      const { setId } = request.params;
      if (!ID.test(setId)) return notFound(reply);
      const scope = request.scope;
      // Posted twice (a second click, a second tab): the first import carries on; show it.
      const running = await runningImport(request, setId);
      if (running !== undefined) return reply.redirect(running, 303);
      const set = await scope.themes.set(setId);
      if (!set || set.status !== 'awaiting_mapping' || set.format !== 'csv') return notFound(reply);
      const file = await scope.themes.pendingFile(setId);
      if (!file) return notFound(reply);
      const form = parseForm(mappingSchema, request.body);
      const again = async (errors: FormErrors, values: Record<string, unknown>) => {
        reply.code(400);
        const page = await columnsPage(request, setId, { values, ...errorsOf(errors) });
        return reply.page('pages/themes/columns.njk', page ?? {});
      };
      if (!form.ok) return again(form.errors, form.values);
      const data = form.data;
      const pick = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
      const mapping: ColumnMapping = {
        text: data.text,
        date: pick(data.date),
        channel: pick(data.channel),
        area: pick(data.area),
        group: pick(data.group),
      };
      const values = { ...(request.body as object) };
      const problem = mappingProblem(set.columns, previewCsv(await pendingHead(file)), mapping);
      if (problem !== null) return again(formErrors([[problem.field, problem.message]]), values);
      const started = await queueImport(services.jobs, scope, setId, mapping, {
        seed: data.seed,
        themes: data.themes,
        question: data.question,
        broadThemes: data.broadThemes,
      });
      if (started === undefined) return notFound(reply);
      if (!started.busy) reply.flash('Storing the comments, then finding their themes.');
      return reply.redirect(`/themes/analyses/${started.analysisId}`, 303);
    },
  );

  // ---- a set: its analyses, re-running, deleting ----

  const setPage = async (
    request: FastifyRequest,
    setId: string,
    extra: Record<string, unknown>,
  ) => {
    const set = await request.scope.themes.set(setId);
    if (!set) return undefined;
    const { running, failed } = await importState(request.scope, set);
    return {
      title: set.name,
      set,
      // A set still waiting for its comments: the import under way, or what went wrong last time.
      importing: running ?? null,
      importError: failed?.error ?? null,
      analyses: await request.scope.themes.analysesOf(setId),
      canEdit: canEditThemes(request),
      canDelete: request.principal !== undefined && hasRole(request.principal.role, 'lead'),
      values: { themes: '', broadThemes: '', seed: '1' },
      breadcrumbs: themesCrumbs({ text: set.name }),
      ...extra,
    };
  };

  app.get<{ Params: { setId: string } }>(
    '/themes/sets/:setId',
    signedIn,
    async (request, reply) => {
      if (!ID.test(request.params.setId)) return notFound(reply);
      const page = await setPage(request, request.params.setId, {});
      if (!page) return notFound(reply);
      // A CSV whose columns are still to be chosen goes to its columns (the set's page says why an
      // earlier attempt to store its comments failed, or shows one under way).
      if (
        page.set.status === 'awaiting_mapping' &&
        page.set.format === 'csv' &&
        page.canEdit &&
        page.importing === null &&
        page.importError === null
      )
        return reply.redirect(`/themes/sets/${page.set.id}/columns`, 303);
      return reply.page('pages/themes/set.njk', page);
    },
  );

  app.post<{ Params: { setId: string } }>(
    '/themes/sets/:setId/analyses',
    member,
    async (request, reply) => {
      const { setId } = request.params;
      if (!ID.test(setId)) return notFound(reply);
      const form = parseForm(analysisOptions, request.body);
      if (!form.ok) {
        const page = await setPage(request, setId, {
          values: form.values,
          ...errorsOf(form.errors),
        });
        if (!page) return notFound(reply);
        reply.code(400);
        return reply.page('pages/themes/set.njk', page);
      }
      const analysisId = await queueAnalysis(services.jobs, request.scope, setId, form.data);
      if (analysisId === undefined) return notFound(reply);
      reply.flash(
        'Finding the themes again. Your changes to the last analysis will be carried over where the themes are found again.',
      );
      return reply.redirect(`/themes/analyses/${analysisId}`, 303);
    },
  );

  app.post<{ Params: { setId: string } }>(
    '/themes/sets/:setId/delete',
    lead,
    async (request, reply) => {
      const { setId } = request.params;
      if (!ID.test(setId)) return notFound(reply);
      const set = await request.scope.themes.set(setId);
      if (!set) return notFound(reply);
      // An analysis whose job died with its process is not running any more.
      for (const a of await request.scope.themes.analysesOf(setId))
        await settleAnalysis(request.scope, a, () => Promise.resolve(a));
      const busy = (await request.scope.themes.analysesOf(setId)).some(
        (a) => a.status === 'queued' || a.status === 'running',
      );
      if (busy) {
        const page = await setPage(request, setId, {
          ...errorsOf(
            formErrors([
              ['delete', 'Wait until the analysis has finished, then delete the comments'],
            ]),
          ),
        });
        reply.code(409);
        return reply.page('pages/themes/set.njk', page ?? {});
      }
      await request.scope.themes.removeSet(setId);
      reply.flash(`“${set.name}” and all its comments have been deleted.`);
      return reply.redirect('/themes', 303);
    },
  );

  // ---- an analysis: progress while it runs, then its themes ----

  app.get<{ Params: { analysisId: string } }>(
    '/themes/analyses/:analysisId',
    signedIn,
    async (request, reply) => {
      const { analysisId } = request.params;
      if (!ID.test(analysisId)) return notFound(reply);
      const found = await request.scope.themes.analysis(analysisId);
      if (!found) return notFound(reply);
      let set = await request.scope.themes.set(found.setId);
      if (!set) return notFound(reply);
      // The job may have failed without the analysis hearing of it (the process stopped mid-run).
      const { analysis, jobError } = await settleAnalysis(request.scope, found, () =>
        request.scope.themes.analysis(analysisId),
      );
      if (analysis.status !== 'done') {
        set = (await request.scope.themes.set(analysis.setId)) ?? set;
        // Still waiting for its comments: this analysis stores them first (the themes.import job).
        const storing = set.status === 'awaiting_mapping';
        const failed = analysis.status === 'failed';
        return reply.page('pages/themes/progress.njk', {
          title: failed
            ? storing
              ? 'The comments could not be stored'
              : 'The analysis did not finish'
            : 'Finding themes',
          // A finished analysis shows its themes; this page only while it runs or after it failed.
          set,
          analysis,
          storing,
          canEdit: canEditThemes(request),
          progress: progressView(analysis),
          jobError,
          refresh: analysis.status === 'queued' || analysis.status === 'running',
          autoRefresh: (request.query as Record<string, unknown>).refresh !== 'off',
          breadcrumbs: themesCrumbs({ text: set.name, href: `/themes/sets/${set.id}` }),
        });
      }
      return reply.page(
        'pages/themes/analysis.njk',
        await analysisPage(request.scope, set, analysis, {
          canEdit: canEditThemes(request),
          breadcrumbs: themesCrumbs(
            { text: set.name, href: `/themes/sets/${set.id}` },
            { text: 'Themes' },
          ),
        }),
      );
    },
  );

  app.get('/themes/progress.js', (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(PROGRESS_SCRIPT),
  );

  app.get<{ Params: { analysisId: string } }>(
    '/themes/analyses/:analysisId/status',
    signedIn,
    async (request, reply) => {
      const { analysisId } = request.params;
      if (!ID.test(analysisId)) return notFound(reply);
      const analysis = await request.scope.themes.analysis(analysisId);
      if (!analysis) return notFound(reply);
      const job =
        analysis.jobId !== null && analysis.status !== 'done'
          ? await request.scope.jobs.get(analysis.jobId)
          : undefined;
      const view = progressView(analysis);
      return reply.header('cache-control', 'no-store').send({
        status: job?.status === 'failed' ? 'failed' : analysis.status,
        progress: view.percent,
        stage: view.stage,
        message: view.message,
        next: `/themes/analyses/${analysis.id}`,
      });
    },
  );

  /** What the CSV and the spreadsheet are written from: the redacted rows, themes and broad themes. */
  async function exportOf(request: FastifyRequest<{ Params: { analysisId: string } }>) {
    const { analysisId } = request.params;
    if (!ID.test(analysisId)) return undefined;
    const analysis = await request.scope.themes.analysis(analysisId);
    if (!analysis || analysis.status !== 'done') return undefined;
    const set = await request.scope.themes.set(analysis.setId);
    const name =
      (set?.name ?? 'comments')
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase() || 'comments';
    return {
      analysis,
      set,
      fileName: `${name}-themes`,
      themes: await request.scope.themes.themes(analysisId),
      rows: await request.scope.themes.exportRows(analysisId),
      broadThemes: await request.scope.themes.broadThemes(analysisId),
    };
  }

  app.get<{ Params: { analysisId: string } }>(
    '/themes/analyses/:analysisId/export.csv',
    signedIn,
    async (request, reply) => {
      const found = await exportOf(request);
      if (!found) return notFound(reply);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${found.fileName}.csv"`)
        .send(csvExport(found.rows, found.themes, found.analysis.mentions, found.broadThemes));
    },
  );

  app.get<{ Params: { analysisId: string } }>(
    '/themes/analyses/:analysisId/export.xlsx',
    signedIn,
    async (request, reply) => {
      const found = await exportOf(request);
      if (!found) return notFound(reply);
      return sendWorkbook(
        reply,
        `${found.fileName}.xlsx`,
        themesAbout(found),
        themeTables(found.rows, found.themes, found.analysis.mentions, found.broadThemes),
      );
    },
  );

  app.get<{ Params: { analysisId: string } }>(
    '/themes/analyses/:analysisId/export.json',
    signedIn,
    async (request, reply) => {
      const { analysisId } = request.params;
      if (!ID.test(analysisId)) return notFound(reply);
      const analysis = await request.scope.themes.analysis(analysisId);
      if (!analysis || analysis.status !== 'done') return notFound(reply);
      const set = await request.scope.themes.set(analysis.setId);
      const themes = await request.scope.themes.themes(analysisId);
      const rows = await request.scope.themes.exportRows(analysisId);
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="themes-${analysisId}.json"`)
        .send(
          JSON.stringify(
            jsonExport(
              rows,
              themes,
              { set: set?.name ?? '', analysisId },
              analysis.mentions,
              await request.scope.themes.broadThemes(analysisId),
            ),
          ),
        );
    },
  );
};
