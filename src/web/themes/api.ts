// The comment-themes part of the JSON API (issue 17, point 4; paper section 2.2.3): upload a set of
// comments (CSV or text, streamed to a temporary file with the upload page's limit and checks) with
// its column mapping and analysis options in the same request, so no mapping step is needed; list
// and read sets; start an analysis with the options of the page's form; read its themes — names,
// descriptions, key words and phrases, broad themes, counts, sentiment and stance, quotes — and each
// comment's themes a page at a time; and make the edits people make on the pages (rename, merge,
// split, move), through the same services, audited the same way. Every text given out is the
// redacted copy the pages show. Bearer tokens only; the token and then the role are checked before
// the request is read.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { redactPersonalData, type ColumnMapping } from '../../domain/themes/index.ts';
import {
  ThemeEditError,
  mergeThemes,
  moveComment,
  queueAnalysis,
  queueImport,
  renameTheme,
  settleAnalysis,
  splitTheme,
  type AnalysisOptions,
} from '../../services/themes/index.ts';
import type {
  Analysis,
  AnalysisSummary,
  CommentSet,
  CommentSetSummary,
  OrgScope,
  StoredTheme,
  ThemeComment,
} from '../../storage/index.ts';
import { errorSchema, secured } from '../api.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import type { Services } from '../principal.ts';
import { progressView } from './view.ts';
import { analysisOptions, checkCommentUpload, mappingProblem } from './store.ts';
import {
  COMMENT_UPLOAD_LIMIT,
  UploadError,
  megabytes,
  packPending,
  receiveComments,
  tooLarge,
  type ReceivedFile,
} from './upload.ts';

const KEY = /^[a-z0-9-]{1,60}$/;
const uuid = z.uuid();
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

const issuesSchema = errorSchema.extend({
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});

const setParams = z.object({ id: z.string().max(100) });
const analysisParams = z.object({ id: z.string().max(100), analysisId: z.string().max(100) });

const optionFields = {
  themes: z
    .string()
    .max(10)
    .optional()
    .describe('How many themes to find, 2 to 150 (default: chosen from the comments)'),
  broadThemes: z
    .string()
    .max(10)
    .optional()
    .describe('How many broad themes to group them in, 2 to 50, fewer than the themes'),
  seed: z.string().max(10).optional().describe('The starting point, 0 to 1,000,000 (default 1)'),
  question: z
    .string()
    .max(1000)
    .optional()
    .describe('The consultation question the comments answer: each theme then gets a stance'),
};
const mappingFields = {
  name: z.string().max(200).optional().describe('A name for the comments (default: the file name)'),
  text: z.string().max(200).optional().describe('CSV: the column with the comments'),
  date: z.string().max(200).optional().describe('CSV (optional): a date column, for trends'),
  channel: z.string().max(200).optional().describe('CSV (optional): web, phone, letter …'),
  area: z.string().max(200).optional().describe('CSV (optional): ward or district'),
  group: z.string().max(200).optional().describe('CSV (optional): the respondent group'),
};
const uploadFields = { ...mappingFields, ...optionFields };
type UploadInput = { -readonly [K in keyof typeof uploadFields]?: string };

const uploadBody = z
  .object({
    file: z
      .string()
      .meta({ format: 'binary' })
      .describe('The comments: a CSV with a header row, or a text file of one comment a line'),
    ...uploadFields,
  })
  .meta({ id: 'CommentSetUpload', title: 'Comment set upload (multipart form)' });

const analysisRequest = z
  .object({
    themes: z.number().int().nullable().optional(),
    broadThemes: z.number().int().nullable().optional(),
    seed: z.number().int().optional(),
    question: z.string().max(1000).nullable().optional(),
  })
  .strict()
  .meta({ id: 'ThemeAnalysisRequest', title: 'Options of a theme analysis' });

const statusSchema = z.enum(['queued', 'running', 'done', 'failed']);

const analysisSummarySchema = z
  .object({
    id: z.uuid(),
    setId: z.uuid(),
    status: statusSchema,
    progress: z.number().describe('Per cent done'),
    stage: z.string(),
    error: z.string().nullable().describe('What went wrong, in plain words, when it failed'),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'ThemeAnalysisSummary', title: 'Theme analysis (status)' });

const setSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    fileName: z.string(),
    format: z.enum(['csv', 'text']),
    status: z.enum(['awaiting_mapping', 'ready']),
    comments: z.number().int(),
    blank: z.number().int(),
    duplicates: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'CommentSetSummary', title: 'Comment set (summary)' });

const splitSchema = z.object({
  counts: z.record(z.string(), z.number().int()),
  shares: z.record(z.string(), z.number()),
  total: z.number().int(),
});

const themeSchema = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  keyWords: z.string().nullable(),
  keyPhrases: z.array(z.string()),
  broadTheme: z.object({ id: z.string(), name: z.string() }).nullable(),
  similarTo: z.string().nullable(),
  size: z.number().int().describe('Comments counted in the theme'),
  share: z.number().describe('Of the comments analysed'),
  quotes: z.array(z.string()).describe('Representative comments, with personal data removed'),
  mentions: z
    .object({
      primary: z.number().int(),
      also: z.number().int().describe('Comments counted in another theme that also mention it'),
      sentiment: splitSchema,
      stance: splitSchema.nullable().describe('Only when the analysis was given a question'),
    })
    .nullable()
    .describe('Null for analyses stored before, or edited since they were found'),
});

const analysisSchema = analysisSummarySchema
  .extend({
    question: z.string().nullable(),
    counts: z
      .object({
        input: z.number().int(),
        analysed: z.number().int(),
        blank: z.number().int(),
        duplicate: z.number().int(),
        other: z.number().int().describe('Comments that fit no theme'),
      })
      .nullable(),
    themes: z.array(themeSchema),
    broadThemes: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string(),
        keyWords: z.string(),
        size: z.number().int(),
        share: z.number(),
        themes: z.array(z.string()),
      }),
    ),
    sentiment: splitSchema.nullable(),
    notApplied: z
      .array(z.object({ description: z.string(), reason: z.string() }))
      .describe('People’s edits of the previous analysis that could not be carried over'),
  })
  .meta({ id: 'ThemeAnalysis', title: 'Theme analysis with its themes' });

const assignmentSchema = z.object({
  id: z.uuid(),
  row: z.number().int().describe('The comment’s row in the file (1 is the first comment)'),
  line: z.number().int(),
  text: z.string().describe('The comment, with personal data removed'),
  date: z.string().nullable(),
  channel: z.string().nullable(),
  area: z.string().nullable(),
  group: z.string().nullable(),
  theme: z.string().nullable().describe('The theme it is counted in'),
  status: z.enum(['theme', 'blank', 'duplicate', 'other']),
  themes: z
    .array(
      z.object({
        theme: z.string(),
        score: z.number(),
        primary: z.boolean(),
        sentiment: z.string(),
        stance: z.string().nullable(),
      }),
    )
    .nullable()
    .describe('Every theme it speaks to, with its score; null while the analysis has none'),
  sentiment: z.string().nullable(),
});

const assignmentsPageSchema = z
  .object({
    comments: z.array(assignmentSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe('Give it as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'ThemeAssignmentsPage', title: 'A page of comments with their themes' });

const label = z.string().trim().min(1).max(120);
const themeKey = z.string().regex(KEY, 'A theme’s key, as the analysis gives it');
const editRequest = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('rename'), theme: themeKey, name: label }).strict(),
    z
      .object({
        kind: z.literal('merge'),
        themes: z.array(themeKey).min(2).max(150),
        name: label.optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('split'),
        theme: themeKey,
        comments: z.array(z.uuid()).min(1).max(10_000),
        name: label,
      })
      .strict(),
    z
      .object({
        kind: z.literal('move'),
        comment: z.uuid(),
        to: themeKey.nullable().describe('The theme to move it to; null for “other”'),
      })
      .strict(),
  ])
  .meta({ id: 'ThemeEdit', title: 'An edit of a theme analysis' });

const shares = (counts: Readonly<Record<string, number>>, total: number) =>
  Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, total > 0 ? n / total : 0]));

const split = (s: { counts: Readonly<Record<string, number>>; total: number } | undefined) =>
  s === undefined
    ? null
    : { counts: { ...s.counts }, shares: shares(s.counts, s.total), total: s.total };

function summaryOf(a: AnalysisSummary, error: string | null = a.error) {
  const view = progressView(a);
  return {
    id: a.id,
    setId: a.setId,
    status: a.status,
    progress: view.percent,
    stage: a.stage,
    error,
    createdAt: a.createdAt,
    finishedAt: a.finishedAt,
  };
}

function setOf(s: CommentSet | CommentSetSummary) {
  return {
    id: s.id,
    name: s.name,
    fileName: s.fileName,
    format: s.format,
    status: s.status,
    comments: s.commentCount,
    blank: s.blankCount,
    duplicates: s.duplicateCount,
    createdAt: s.createdAt,
  };
}

function themeOf(
  t: StoredTheme,
  analysis: Analysis,
  broad: ReadonlyMap<string, string>,
): z.output<typeof themeSchema> {
  const m = analysis.mentions?.themes[t.key];
  return {
    key: t.key,
    name: t.label,
    description: t.description,
    keyWords: t.keyWords,
    keyPhrases: [...t.keyPhrases],
    broadTheme: t.parent === null ? null : { id: t.parent, name: broad.get(t.parent) ?? t.parent },
    similarTo: t.similarTo,
    size: t.size,
    share: t.share,
    quotes: [...t.quotes],
    mentions:
      m === undefined
        ? null
        : {
            primary: m.primary,
            also: m.also,
            sentiment: split(m.sentiment) ?? { counts: {}, shares: {}, total: 0 },
            stance: split(m.stance),
          },
  };
}

const redactOrNull = (value: string | null): string | null =>
  value === null ? null : redactPersonalData(value);

function assignmentOf(c: ThemeComment, analysis: Analysis): z.output<typeof assignmentSchema> {
  // Several themes per comment only while the analysis has them (as in the exports).
  const m = analysis.mentions ? c.mentions : null;
  return {
    id: c.id,
    row: c.position + 1,
    line: c.line,
    text: c.text,
    date: c.date,
    channel: redactOrNull(c.channel),
    area: redactOrNull(c.area),
    group: redactOrNull(c.group),
    theme: c.themeKey,
    status: c.themeKey !== null ? 'theme' : (c.reason ?? 'other'),
    themes:
      m === null
        ? null
        : m.themes.map((x) => ({
            theme: x.theme,
            score: x.score,
            primary: x.primary,
            sentiment: x.sentiment,
            stance: x.stance ?? null,
          })),
    sentiment: m?.sentiment ?? null,
  };
}

/** The options of an analysis through the page's own rules and messages. */
function readOptions(given: {
  themes?: unknown;
  broadThemes?: unknown;
  seed?: unknown;
  question?: unknown;
}):
  | { ok: true; options: AnalysisOptions }
  | { ok: false; issues: { path: string; message: string }[] } {
  const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  const parsed = analysisOptions.safeParse({
    themes: text(given.themes),
    broadThemes: text(given.broadThemes),
    seed: text(given.seed),
    question: text(given.question),
  });
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({
        path: i.path.join('.') || '/',
        message: i.message,
      })),
    };
  return { ok: true, options: parsed.data };
}

export const themeApiRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const limit = services.commentUploadLimitBytes ?? COMMENT_UPLOAD_LIMIT;
  if (app.hasContentTypeParser('multipart/form-data'))
    app.removeContentTypeParser('multipart/form-data');
  const fieldNames = Object.keys(uploadFields);
  await app.register(fastifyMultipart, {
    limits: {
      fileSize: limit,
      files: 1,
      fields: fieldNames.length,
      fieldSize: 2000,
      parts: fieldNames.length + 1,
    },
  });

  // Roles are checked as the request arrives (after the token, app.ts), before it is read.
  const member = { onRequest: requireRole('member') };
  const signedIn = { preHandler: requireSignIn };

  const invalid = (
    reply: FastifyReply,
    error: string,
    message: string,
    issues: { path: string; message: string }[],
  ) => reply.code(400).send({ error, message, issues });

  api.post(
    '/api/comment-sets',
    {
      ...member,
      // The body is streamed by the handler; the schema only describes the form for the document.
      validatorCompiler: (route) =>
        route.httpPart === 'body'
          ? (data: unknown) => ({ value: data })
          : validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]),
      schema: {
        summary: 'Upload comments and find their themes',
        description: `Uploads comments as \`multipart/form-data\` (members and above): a CSV with a header row, or a text file (.txt) of one comment a line, up to ${megabytes(limit)}, streamed, with the upload page’s checks. The columns (CSV) and the analysis’s options are named in the same request, as form fields before the file or as query parameters; a column not named is the one the page would suggest, and an empty value means the file has none. Nothing is stored unless the file, the columns and the options are all right. Answers 202: the comments are stored and their themes found by a background job; poll \`Location\`.`,
        tags: ['comment themes'],
        security: secured,
        consumes: ['multipart/form-data'],
        querystring: z.object(uploadFields),
        body: uploadBody,
        response: {
          202: analysisSummarySchema,
          400: issuesSchema,
          401: errorSchema,
          403: errorSchema,
          413: errorSchema,
          415: errorSchema,
        },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart())
        return reply.code(415).send({
          error: 'unsupported_media_type',
          message: 'Send the comments as multipart/form-data, with the file in a part named “file”',
        });
      const given: UploadInput = { ...request.query };
      let received: ReceivedFile | null = null;
      const bad = (message: string, status: 400 | 413 = 400) =>
        reply.code(status).send({
          error: status === 413 ? 'payload_too_large' : 'invalid_upload',
          message,
          issues: [{ path: 'file', message }],
        });
      try {
        try {
          for await (const part of request.parts()) {
            if (part.type === 'field') {
              if (fieldNames.includes(part.fieldname) && typeof part.value === 'string')
                given[part.fieldname as keyof UploadInput] = part.value;
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
            return bad(error.message, error.statusCode === 413 ? 413 : 400);
          if (code === 'FST_REQ_FILE_TOO_LARGE') return bad(tooLarge(limit).message, 413);
          if (
            code === 'FST_PARTS_LIMIT' ||
            code === 'FST_FILES_LIMIT' ||
            code === 'FST_FIELDS_LIMIT'
          )
            return bad('Send one file, in a part named “file”, and only the fields described');
          if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' || code === 'FST_PROTO_VIOLATION')
            return bad('The form could not be read as multipart/form-data');
          throw error;
        }
        const name = given.name?.trim() ?? '';
        const options = readOptions(given);
        if (!options.ok)
          return invalid(
            reply,
            'invalid_options',
            'The options of the analysis have problems; nothing was stored',
            options.issues,
          );
        const checked = await checkCommentUpload(services, name, received);
        if (!checked.ok || received === null)
          return bad(checked.ok ? 'Send the comments in a part named “file”' : checked.message);
        let mapping: ColumnMapping | null = null;
        if (checked.format === 'csv') {
          const { preview } = checked;
          const pick = (field: 'date' | 'channel' | 'area' | 'group') => {
            const value = given[field] ?? preview.suggested[field];
            return value === undefined || value.trim() === '' ? undefined : value.trim();
          };
          mapping = {
            text: given.text?.trim() || preview.suggested.text,
            date: pick('date'),
            channel: pick('channel'),
            area: pick('area'),
            group: pick('group'),
          };
          const problem = mappingProblem(preview.columns, preview, mapping);
          if (problem !== null)
            return invalid(
              reply,
              'invalid_mapping',
              `The columns could not be matched; nothing was stored. The file’s columns are: ${preview.columns.join(', ')}`,
              [{ path: problem.field, message: problem.message }],
            );
        }
        const setId = await request.scope.themes.createPendingSet({
          name: checked.setName,
          fileName: received.fileName,
          format: checked.format,
          columns: checked.format === 'csv' ? checked.preview.columns : [],
          compressedChunks: await packPending(received.path),
        });
        const started = await queueImport(
          services.jobs,
          request.scope,
          setId,
          mapping,
          options.options,
        );
        const analysis =
          started === undefined
            ? undefined
            : await request.scope.themes.analysis(started.analysisId);
        if (analysis === undefined) return notFound(reply);
        return reply
          .code(202)
          .header('location', `/api/comment-sets/${setId}/analyses/${analysis.id}`)
          .send(summaryOf(analysis));
      } finally {
        await received?.discard();
      }
    },
  );

  api.get(
    '/api/comment-sets',
    {
      ...signedIn,
      schema: {
        summary: 'Comment sets',
        description:
          'The organisation’s sets of comments, newest first, with their latest analysis.',
        tags: ['comment themes'],
        security: secured,
        response: {
          200: z.object({
            sets: z.array(setSummarySchema.extend({ latest: analysisSummarySchema.nullable() })),
          }),
          401: errorSchema,
        },
      },
    },
    async (request) => ({
      sets: (await request.scope.themes.sets()).map((s) => ({
        ...setOf(s),
        latest: s.latest === undefined ? null : summaryOf(s.latest),
      })),
    }),
  );

  /** The set named in the address, in this organisation. */
  const findSet = async (scope: OrgScope, id: string): Promise<CommentSet | undefined> => {
    const parsed = uuid.safeParse(id);
    return parsed.success ? scope.themes.set(parsed.data) : undefined;
  };

  api.get(
    '/api/comment-sets/:id',
    {
      ...signedIn,
      schema: {
        summary: 'One comment set',
        description: 'The set, with its analyses, newest first.',
        tags: ['comment themes'],
        security: secured,
        params: setParams,
        response: {
          200: setSummarySchema.extend({
            columns: z.array(z.string()),
            analyses: z.array(analysisSummarySchema),
          }),
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const set = await findSet(request.scope, request.params.id);
      if (set === undefined) return notFound(reply);
      const analyses = [];
      for (const a of await request.scope.themes.analysesOf(set.id)) {
        const settled = await settleAnalysis(request.scope, a, async () =>
          (await request.scope.themes.analysesOf(set.id)).find((x) => x.id === a.id),
        );
        analyses.push(summaryOf(settled.analysis, settled.jobError ?? settled.analysis.error));
      }
      return { ...setOf(set), columns: [...set.columns], analyses };
    },
  );

  api.post(
    '/api/comment-sets/:id/analyses',
    {
      ...member,
      schema: {
        summary: 'Find the themes again',
        description:
          'Starts an analysis of a set whose comments are stored, with the options of the set page’s form (members and above). People’s edits of the last analysis are carried over where the themes are found again. Answers 202; poll `Location`.',
        tags: ['comment themes'],
        security: secured,
        params: setParams,
        body: analysisRequest.optional(),
        response: {
          202: analysisSummarySchema,
          400: issuesSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
          409: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const set = await findSet(request.scope, request.params.id);
      if (set === undefined) return notFound(reply);
      const options = readOptions(request.body ?? {});
      if (!options.ok)
        return invalid(reply, 'invalid_options', 'The options have problems', options.issues);
      if (set.status !== 'ready')
        return reply.code(409).send({
          error: 'not_ready',
          message: 'The comments of this set are not stored yet: wait for its import to finish',
        });
      const analysisId = await queueAnalysis(services.jobs, request.scope, set.id, options.options);
      const analysis =
        analysisId === undefined ? undefined : await request.scope.themes.analysis(analysisId);
      if (analysis === undefined) return notFound(reply);
      return reply
        .code(202)
        .header('location', `/api/comment-sets/${set.id}/analyses/${analysis.id}`)
        .send(summaryOf(analysis));
    },
  );

  /** The analysis named in the address, of the set named there, in this organisation. */
  const findAnalysis = async (
    scope: OrgScope,
    params: { id: string; analysisId: string },
  ): Promise<{ analysis: Analysis; jobError: string | null } | undefined> => {
    const setId = uuid.safeParse(params.id);
    const analysisId = uuid.safeParse(params.analysisId);
    if (!setId.success || !analysisId.success) return undefined;
    const found = await scope.themes.analysis(analysisId.data);
    if (found === undefined || found.setId !== setId.data) return undefined;
    return settleAnalysis(scope, found, () => scope.themes.analysis(analysisId.data));
  };

  api.get(
    '/api/comment-sets/:id/analyses/:analysisId',
    {
      ...signedIn,
      schema: {
        summary: 'A theme analysis',
        description:
          'Its status while it runs; once done, its themes as the analysis page shows them: name, description, key words and phrases, broad theme, counts, sentiment and stance shares, and quotes, with personal data removed.',
        tags: ['comment themes'],
        security: secured,
        params: analysisParams,
        response: { 200: analysisSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const found = await findAnalysis(request.scope, request.params);
      if (found === undefined) return notFound(reply);
      const { analysis, jobError } = found;
      const done = analysis.status === 'done';
      const [themes, broad] = done
        ? await Promise.all([
            request.scope.themes.themes(analysis.id),
            request.scope.themes.broadThemes(analysis.id),
          ])
        : [[], []];
      const broadNames = new Map(broad.map((b) => [b.id, b.name]));
      const m = analysis.mentions;
      reply.header('cache-control', 'no-store');
      return {
        ...summaryOf(analysis, jobError ?? analysis.error),
        question: analysis.question,
        counts: done ? analysis.counts : null,
        themes: themes.map((t) => themeOf(t, analysis, broadNames)),
        broadThemes: broad.map((b) => ({
          id: b.id,
          name: b.name,
          description: b.description,
          keyWords: b.label,
          size: b.size,
          share: b.share,
          themes: [...b.themes],
        })),
        sentiment: done && m ? split(m.sentiment) : null,
        notApplied: done ? analysis.notApplied.map((n) => ({ ...n })) : [],
      };
    },
  );

  api.get(
    '/api/comment-sets/:id/analyses/:analysisId/assignments',
    {
      ...signedIn,
      schema: {
        summary: 'Comments with their themes, a page at a time',
        description: `Every comment of a finished analysis in the file’s order, with personal data removed: the theme it is counted in (or why none: blank, a repeat, or other), and every theme it speaks to with its score. At most \`limit\` a page (default ${DEFAULT_PAGE}, at most ${MAX_PAGE}); pass \`nextCursor\` as \`cursor\` for the next.`,
        tags: ['comment themes'],
        security: secured,
        params: analysisParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional(),
          cursor: z
            .string()
            .regex(/^\d{1,10}$/, 'The cursor is the nextCursor of the page before')
            .optional(),
        }),
        response: {
          200: assignmentsPageSchema,
          400: issuesSchema,
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const found = await findAnalysis(request.scope, request.params);
      if (found === undefined || found.analysis.status !== 'done') return notFound(reply);
      const size = request.query.limit ?? DEFAULT_PAGE;
      const after = request.query.cursor === undefined ? -1 : Number(request.query.cursor) - 1;
      const page = await request.scope.themes.assignmentsPage(found.analysis.id, after, size);
      const last = page.at(-1);
      return {
        comments: page.map((c) => assignmentOf(c, found.analysis)),
        // The row of the last comment given: the next page starts after it.
        nextCursor: page.length === size && last !== undefined ? String(last.position + 1) : null,
      };
    },
  );

  api.post(
    '/api/comment-sets/:id/analyses/:analysisId/edits',
    {
      ...member,
      schema: {
        summary: 'Change the themes',
        description:
          'Makes one of the edits people make on the theme pages (members and above), audited the same way: `rename` a theme, `merge` themes into the first named, `split` chosen comments of a theme into a new one, or `move` a comment to another theme (or to “other” with `to: null`). The engine re-applies every edit of the analysis, this one last; a re-run carries them over. Answers with the theme the edit leaves, and the analysis at `Location`.',
        tags: ['comment themes'],
        security: secured,
        params: analysisParams,
        body: editRequest,
        response: {
          200: z.object({ theme: z.string().nullable(), message: z.string() }),
          400: issuesSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const found = await findAnalysis(request.scope, request.params);
      if (found === undefined || found.analysis.status !== 'done') return notFound(reply);
      const id = found.analysis.id;
      const scope = request.scope;
      const edit = request.body;
      try {
        let theme: string | null;
        let message: string;
        if (edit.kind === 'rename') {
          await renameTheme(scope, id, edit.theme, edit.name);
          theme = edit.theme;
          message = `Theme renamed “${edit.name}”.`;
        } else if (edit.kind === 'merge') {
          theme = await mergeThemes(scope, id, edit.themes, edit.name);
          message = `${edit.themes.length} themes merged into one.`;
        } else if (edit.kind === 'split') {
          theme = await splitTheme(scope, id, edit.theme, edit.comments, edit.name);
          message = `Comments split off into “${edit.name}”.`;
        } else {
          await moveComment(scope, id, edit.comment, edit.to);
          theme = edit.to;
          message = 'Comment moved.';
        }
        return reply
          .header('location', `/api/comment-sets/${found.analysis.setId}/analyses/${id}`)
          .send({ theme, message });
      } catch (error) {
        if (!(error instanceof ThemeEditError)) throw error;
        const status = error.message.startsWith('No such') ? 404 : 400;
        if (status === 404) return notFound(reply);
        return invalid(reply, 'edit_refused', error.message, [
          { path: edit.kind === 'move' ? 'comment' : 'theme', message: error.message },
        ]);
      }
    },
  );
};
