// The event-log part of the JSON API (issue 17, point 4; paper section 3.1): upload a log (CSV,
// CSV.gz, XES or XES.gz, streamed and compressed as it arrives, with the same caps and messages as
// the upload page) with its column mapping in the same request, poll its import (the same
// background job as the pages), list and read the logs, read an analysis — the process map, the
// waits with their kind and evidence, the bottleneck and the capacity bottleneck — from the very
// function the log page and its exports use, and make a delivery chain from a log as the page's
// button does. Bearer tokens only; the token is checked before anything else (app.ts), and the
// role before the request is read.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  WAIT_KIND_LABELS,
  importLines,
  type BottleneckCandidate,
  type LogAnalysis,
} from '../../domain/mining/index.ts';
import { EVENTLOG_IMPORT, type ImportPayload } from '../../jobs/index.ts';
import type { JobRecord, LogSummary, StoredLog } from '../../storage/index.ts';
import { errorSchema, secured } from '../api.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import type { Services } from '../principal.ts';
import { createChainFromLog, readAnalysis } from './analysis.ts';
import { detectMapping, mappingSchema, toCsvColumns } from './mapping.ts';
import { DEFAULT_UPLOAD_LIMIT, baseName } from './routes.ts';
import { UploadError, megabytes, receiveLog, type ReceivedLog } from './upload.ts';

const UPLOAD_KEPT_MS = 7 * 86_400_000;

const issuesSchema = errorSchema.extend({
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});

const idParams = z.object({ id: z.string().max(100) });
const uuid = z.uuid();

/** A number as JSON can carry it: NaN and infinities (an empty measure) become null. */
const finite = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x;
const measure = z.number().nullable();

const mappingFields = {
  name: z.string().max(200).optional().describe('A name for the log (default: the file name)'),
  caseId: z.string().max(200).optional().describe('CSV: the column holding the case id'),
  activity: z.string().max(200).optional().describe('CSV: the column holding the activity'),
  timestamp: z
    .string()
    .max(200)
    .optional()
    .describe('CSV: the column holding when the activity was done (or finished)'),
  startTimestamp: z
    .string()
    .max(200)
    .optional()
    .describe('CSV (optional): the column holding when the work began'),
  lifecycle: z
    .string()
    .max(200)
    .optional()
    .describe('CSV (optional): the column saying “start” or “complete”'),
  resource: z.string().max(200).optional().describe('CSV (optional): who did it'),
  group: z.string().max(200).optional().describe('CSV (optional): the team of the resource'),
  caseAttributes: z
    .string()
    .max(2000)
    .optional()
    .describe('CSV (optional): case-attribute columns, separated by commas'),
  dateOrder: z
    .string()
    .max(10)
    .optional()
    .describe(
      'CSV: how dates such as 03/04/2024 are written: `dmy`, `mdy` or `auto` (year first). Needed only when the first rows do not settle it',
    ),
  timeZone: z
    .string()
    .max(100)
    .optional()
    .describe('CSV: the time zone of times without an offset, e.g. Europe/London (default UTC)'),
};
type MappingInput = { -readonly [K in keyof typeof mappingFields]?: string };

const uploadBody = z
  .object({
    file: z
      .string()
      .meta({ format: 'binary' })
      .describe('The log: CSV, CSV.gz, XES or XES.gz (the last part of the form)'),
    ...mappingFields,
  })
  .meta({ id: 'EventLogUpload', title: 'Event log upload (multipart form)' });

const importSchema = z
  .object({
    jobId: z.uuid(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    progress: z.number(),
    message: z.string(),
    error: z.string().nullable(),
    logId: z.uuid().nullable().describe('The imported log, once the import has succeeded'),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'EventLogImport', title: 'Import of an event log (a background job)' });

const logSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    fileName: z.string(),
    format: z.enum(['csv', 'xes']),
    cases: z.number().int(),
    events: z.number().int(),
    activities: z.number().int(),
    variants: z.number().int(),
    firstEventAt: z.string().nullable(),
    lastEventAt: z.string().nullable(),
    finding: z.string().describe('The bottleneck finding in one line'),
    createdAt: z.string(),
  })
  .meta({ id: 'EventLogSummary', title: 'Event log (summary)' });

const logSchema = logSummarySchema
  .extend({
    importReport: z
      .array(z.object({ label: z.string(), value: z.string() }))
      .describe('What the import read and set aside, in plain words (as on the log page)'),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'EventLog', title: 'Event log' });

const durationSchema = z.object({
  count: z.number().int(),
  medianSeconds: measure,
  meanSeconds: measure,
  p90Seconds: measure,
});

const waitSchema = z.object({
  rank: z.number().int(),
  activity: z.string(),
  kind: z.enum(['contention', 'timer', 'batching', 'external', 'insufficient-data']),
  kindLabel: z.string(),
  detectedKind: z.enum(['contention', 'timer', 'batching', 'external', 'insufficient-data']),
  correction: z
    .object({
      kind: z.string(),
      kindLabel: z.string(),
      reason: z.string(),
      by: z.string(),
      at: z.string(),
    })
    .nullable()
    .describe('A person’s correction of the kind read from the log, if any'),
  explanation: z.string().describe('Why the wait is of this kind, in plain words'),
  evidence: z.object({
    observations: z.number().int(),
    medianSeconds: measure,
    meanSeconds: measure,
    p90Seconds: measure,
    waitingShare: measure,
    cv: measure,
    queueCorrelation: measure,
    queueGrowth: measure,
    utilisation: measure,
    simultaneousShare: measure,
    fixedSeconds: measure,
    fixedShare: measure,
    wholeDayShare: measure,
  }),
});

const analysisSchema = z
  .object({
    log: z.object({ id: z.uuid(), name: z.string() }),
    filter: z.string().nullable().describe('The filters applied, in words; null for the whole log'),
    timesShownIn: z.string(),
    corrections: z.number().int().describe('People’s corrections of wait kinds applied'),
    analysis: z
      .object({
        counts: z.object({
          cases: z.number().int(),
          events: z.number().int(),
          activities: z.number().int(),
          variants: z.number().int(),
          resources: z.number().int(),
        }),
        period: z.object({ first: z.string(), last: z.string() }).nullable(),
        timing: z.object({
          kind: z.enum(['start-and-complete', 'completion-only', 'partial']),
          startShare: z.number(),
          note: z.string(),
        }),
        map: z.object({
          nodes: z.array(
            z.object({
              activity: z.string(),
              count: z.number().int(),
              cases: z.number().int(),
              starts: z.number().int().describe('Cases that begin here'),
              ends: z.number().int().describe('Cases that end here'),
              waitingShare: z.number().describe('Share of all case time spent waiting for it'),
              wait: durationSchema,
              service: durationSchema.nullable(),
            }),
          ),
          edges: z.array(
            z.object({
              from: z.string(),
              to: z.string(),
              frequency: z.number().int(),
              cases: z.number().int(),
              time: durationSchema,
            }),
          ),
        }),
        waits: z.array(waitSchema).describe('The candidate waits, longest share first'),
        bottleneck: z
          .object({
            activity: z.string(),
            kind: z.enum(['contention', 'timer', 'batching', 'external']),
            kindLabel: z.string(),
            capacity: z
              .boolean()
              .describe('True only for resource contention: a shortage of capacity'),
            waitingShare: z.number(),
            medianWaitSeconds: z.number(),
          })
          .nullable(),
        capacityBottleneck: z
          .object({
            activity: z.string(),
            waitingShare: z.number(),
            medianWaitSeconds: z.number(),
          })
          .nullable()
          .describe(
            'The largest wait that grows with the work waiting, when the bottleneck is a timer, batch or outside wait',
          ),
        statement: z.string().describe('The finding in plain words: why this one, or why none'),
        caveat: z.string().nullable(),
      })
      .nullable()
      .describe('Null when no case matches the filters'),
  })
  .meta({ id: 'EventLogAnalysis', title: 'Analysis of an event log' });

const analysisQuery = z.object({
  from: z.string().max(20).optional().describe('Cases begun on or after this day (YYYY-MM-DD)'),
  to: z.string().max(20).optional().describe('Cases begun on or before this day (YYYY-MM-DD)'),
  variant: z.string().max(10).optional().describe('Only the cases of this variant (its rank)'),
  attribute: z
    .string()
    .max(500)
    .optional()
    .describe('Only the cases with this case attribute, as name=value'),
  zone: z.string().max(100).optional().describe('The clock to read times on (default the log’s)'),
});

const chainBody = analysisQuery
  .extend({
    fold: z
      .string()
      .max(10)
      .optional()
      .describe('Routes taken by fewer than this share of a stage’s cases are folded (per cent)'),
    calendar: z
      .enum(['fit', 'none'])
      .optional()
      .describe('Read opening hours and demand patterns from the log (fit, the default) or not'),
  })
  .strict()
  .meta({ id: 'EventLogChainRequest', title: 'Delivery chain from an event log' });

const stats = (s: {
  count: number;
  median: number;
  mean: number;
  p90: number;
}): z.output<typeof durationSchema> => ({
  count: s.count,
  medianSeconds: s.count === 0 ? null : finite(s.median),
  meanSeconds: s.count === 0 ? null : finite(s.mean),
  p90Seconds: s.count === 0 ? null : finite(s.p90),
});

function summaryOf(l: LogSummary): z.output<typeof logSummarySchema> {
  return {
    id: l.id,
    name: l.name,
    fileName: l.fileName,
    format: l.format,
    cases: l.cases,
    events: l.events,
    activities: l.activities,
    variants: l.variants,
    firstEventAt: l.firstEventAt,
    lastEventAt: l.lastEventAt,
    finding: l.finding,
    createdAt: l.createdAt,
  };
}

function importOf(job: JobRecord): z.output<typeof importSchema> {
  const result = job.result as { logId?: unknown } | null;
  return {
    jobId: job.id,
    status: job.status,
    progress: job.progress,
    message: job.message,
    error: job.error,
    logId: job.status === 'succeeded' && typeof result?.logId === 'string' ? result.logId : null,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
  };
}

function waitOf(c: BottleneckCandidate): z.output<typeof waitSchema> {
  const e = c.evidence;
  return {
    rank: c.rank,
    activity: c.activity,
    kind: c.kind,
    kindLabel: c.kindLabel,
    detectedKind: c.detectedKind ?? c.kind,
    correction:
      c.correction === undefined
        ? null
        : {
            kind: c.correction.kind,
            kindLabel: WAIT_KIND_LABELS[c.correction.kind],
            reason: c.correction.reason,
            by: c.correction.by,
            at: c.correction.at,
          },
    explanation: c.explanation,
    evidence: {
      observations: e.observations,
      medianSeconds: finite(e.medianSeconds),
      meanSeconds: finite(e.meanSeconds),
      p90Seconds: finite(e.p90Seconds),
      waitingShare: finite(e.waitingShare),
      cv: finite(e.cv),
      queueCorrelation: finite(e.queueCorrelation),
      queueGrowth: finite(e.queueGrowth),
      utilisation: finite(e.utilisation),
      simultaneousShare: finite(e.simultaneousShare),
      fixedSeconds: finite(e.fixedSeconds),
      fixedShare: finite(e.fixedShare),
      wholeDayShare: finite(e.wholeDayShare),
    },
  };
}

/** The analysis as the API gives it: the figures of the log page, from the same analysis. */
export function analysisBody(
  a: LogAnalysis,
): NonNullable<z.output<typeof analysisSchema>['analysis']> {
  const starts = new Map(a.startActivities.map((s) => [s.activity, s.count]));
  const ends = new Map(a.endActivities.map((s) => [s.activity, s.count]));
  const b = a.bottleneck;
  return {
    counts: a.counts,
    period: a.period,
    timing: a.timing,
    map: {
      nodes: a.activities.map((m) => ({
        activity: m.activity,
        count: m.count,
        cases: m.cases,
        starts: starts.get(m.activity) ?? 0,
        ends: ends.get(m.activity) ?? 0,
        waitingShare: m.waitingShare,
        wait: stats(m.waitingTime),
        service: m.serviceTime === null ? null : stats(m.serviceTime),
      })),
      edges: a.edges.map((e) => ({
        from: e.from,
        to: e.to,
        frequency: e.frequency,
        cases: e.cases,
        time: stats(e.time),
      })),
    },
    waits: b.candidates.map(waitOf),
    bottleneck: b.bottleneck === null ? null : { ...b.bottleneck },
    capacityBottleneck: b.capacityBottleneck === null ? null : { ...b.capacityBottleneck },
    statement: b.statement,
    caveat: b.caveat,
  };
}

/** Splits a comma-separated list of column names (a name may not itself hold a comma). */
const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/**
 * The import's settings for a received CSV: the mapping given (in the query or the form), with
 * what the upload page would pre-fill for anything not given. Issues name the field.
 */
function csvSettings(
  received: ReceivedLog,
  given: MappingInput,
):
  | { ok: true; payload: Omit<ImportPayload, 'uploadId'> }
  | { ok: false; issues: { path: string; message: string }[] } {
  const detected = detectMapping(received.columns, received.sample);
  const pick = (field: keyof typeof detected.columns) => given[field] ?? detected.columns[field];
  const form = mappingSchema(received.columns).safeParse({
    name: given.name?.trim() || baseName(received.fileName),
    caseId: pick('caseId'),
    activity: pick('activity'),
    timestamp: pick('timestamp'),
    startTimestamp: pick('startTimestamp'),
    lifecycle: pick('lifecycle'),
    resource: pick('resource'),
    group: pick('group'),
    caseAttributes:
      given.caseAttributes === undefined
        ? [...detected.caseAttributes]
        : list(given.caseAttributes),
    dateOrder: given.dateOrder ?? detected.dateOrder,
    timeZone: given.timeZone ?? 'UTC',
  });
  if (!form.success) {
    return {
      ok: false,
      issues: form.error.issues.map((i) => ({
        path: i.path.join('.') || '/',
        message:
          i.path[0] === 'dateOrder' && detected.dateOrderNote !== ''
            ? `${i.message}: dmy, mdy or auto. ${detected.dateOrderNote}`
            : i.message,
      })),
    };
  }
  return {
    ok: true,
    payload: {
      name: form.data.name,
      columns: toCsvColumns(form.data) as ImportPayload['columns'],
      dateOrder: form.data.dateOrder,
      timeZone: form.data.timeZone,
    },
  };
}

export const logApiRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const limit = services.eventLogUploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT;
  if (app.hasContentTypeParser('multipart/form-data'))
    app.removeContentTypeParser('multipart/form-data');
  const fieldNames = Object.keys(mappingFields);
  await app.register(fastifyMultipart, {
    limits: {
      fileSize: limit,
      files: 1,
      fields: fieldNames.length,
      fieldSize: 2000,
      parts: fieldNames.length + 1,
    },
  });

  // Roles are checked as the request arrives (after the token, app.ts), before its body or
  // parameters are read: a viewer asking to change something gets 403 whatever it sent.
  const member = { onRequest: requireRole('member') };
  const lead = { onRequest: requireRole('lead') };

  const refuse = (reply: FastifyReply, status: number, error: string, message: string) =>
    reply.code(status).send({ error, message });

  api.post(
    '/api/event-logs',
    {
      ...member,
      // The body is streamed by the handler; the schema only describes the form for the document.
      validatorCompiler: (route) =>
        route.httpPart === 'body'
          ? (data: unknown) => ({ value: data })
          : validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]),
      schema: {
        summary: 'Upload an event log',
        description: `Uploads a log as \`multipart/form-data\` (members and above), streamed and compressed as it arrives: CSV, CSV.gz, XES or XES.gz, up to ${megabytes(limit)} as sent (more when sent compressed), with the same caps and messages as the upload page. For a CSV, the columns are named in the same request, as form fields before the file or as query parameters; any not named are the ones the upload page would suggest. Nothing is stored unless the file and the mapping are readable. Answers 202 with the import job; poll \`Location\` until its status is \`succeeded\` (then \`logId\` is the log) or \`failed\` (then \`error\` says which line or element is wrong).`,
        tags: ['event logs'],
        security: secured,
        consumes: ['multipart/form-data'],
        querystring: z.object(mappingFields),
        body: uploadBody,
        response: {
          202: importSchema,
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
        return refuse(
          reply,
          415,
          'unsupported_media_type',
          'Send the log as multipart/form-data, with the file in a part named “file”',
        );
      const given: MappingInput = { ...request.query };
      let received: ReceivedLog | null = null;
      const bad = (message: string, status: 400 | 413 = 400) =>
        reply.code(status).send({
          error: status === 413 ? 'payload_too_large' : 'invalid_upload',
          message,
          issues: [{ path: 'file', message }],
        });
      try {
        for await (const part of request.parts()) {
          if (part.type === 'field') {
            if (fieldNames.includes(part.fieldname) && typeof part.value === 'string')
              given[part.fieldname as keyof MappingInput] = part.value;
            continue;
          }
          if (part.fieldname !== 'file' || received !== null || part.filename === '') {
            part.file.resume();
            continue;
          }
          received = await receiveLog(
            part.file,
            part.filename,
            limit,
            () => part.file.truncated,
            services.config.uploads.maxExpandedBytes,
          );
        }
      } catch (error) {
        if (error instanceof UploadError)
          return bad(error.message, error.statusCode === 413 ? 413 : 400);
        const code = (error as { code?: string }).code;
        if (code === 'FST_REQ_FILE_TOO_LARGE')
          return bad(
            `The selected file is larger than ${megabytes(limit)}. Upload a smaller extract of the log, or compress it with gzip first.`,
            413,
          );
        if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT')
          return bad('Send one file, in a part named “file”, and only the mapping’s fields');
        if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' || code === 'FST_PROTO_VIOLATION')
          return bad('The form could not be read as multipart/form-data');
        throw error;
      }
      if (received === null) return bad('Send the log in a part named “file”');
      const name = given.name?.trim() ?? '';
      if (name.length > 120)
        return reply.code(400).send({
          error: 'invalid_mapping',
          message: 'The name must be 120 characters or fewer',
          issues: [{ path: 'name', message: 'The name must be 120 characters or fewer' }],
        });
      let settings: Omit<ImportPayload, 'uploadId'>;
      if (received.format === 'xes') {
        settings = {
          name: name || baseName(received.fileName),
          columns: null,
          dateOrder: 'auto',
          timeZone: 'UTC',
        };
      } else {
        const mapped = csvSettings(received, given);
        if (!mapped.ok)
          return reply.code(400).send({
            error: 'invalid_mapping',
            message: `The columns of the file could not be matched; nothing was stored. The file’s columns are: ${received.columns.join(', ')}`,
            issues: mapped.issues,
          });
        settings = mapped.payload;
      }
      // Files never imported are not kept for ever, as on the upload page.
      await request.scope.logs.discardUploadsBefore(
        new Date(Date.now() - UPLOAD_KEPT_MS).toISOString(),
      );
      const uploadId = await request.scope.logs.createUpload(received);
      const jobId = await services.jobs.enqueue(request.scope, EVENTLOG_IMPORT, {
        uploadId,
        ...settings,
      } satisfies ImportPayload);
      const job = await request.scope.jobs.get(jobId);
      if (job === undefined) return notFound(reply);
      return reply
        .code(202)
        .header('location', `/api/event-logs/imports/${jobId}`)
        .send(importOf(job));
    },
  );

  api.get(
    '/api/event-logs/imports/:id',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'The import of an uploaded event log',
        description:
          'Where the import job stands: queued, running (with its progress), succeeded (with the log’s id) or failed (with what is wrong in the file, in plain words).',
        tags: ['event logs'],
        security: secured,
        params: idParams,
        response: { 200: importSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const id = uuid.safeParse(request.params.id);
      const job = id.success ? await request.scope.jobs.get(id.data) : undefined;
      if (job === undefined || job.kind !== EVENTLOG_IMPORT) return notFound(reply);
      return reply.header('cache-control', 'no-store').send(importOf(job));
    },
  );

  api.get(
    '/api/event-logs',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'Event logs',
        description:
          'The organisation’s imported event logs, and its imports of the last day that are under way or failed.',
        tags: ['event logs'],
        security: secured,
        response: {
          200: z.object({ logs: z.array(logSummarySchema), imports: z.array(importSchema) }),
          401: errorSchema,
        },
      },
    },
    async (request) => {
      const [logs, jobs] = await Promise.all([
        request.scope.logs.list(),
        request.scope.jobs.list({ kind: EVENTLOG_IMPORT, limit: 20 }),
      ]);
      return {
        logs: logs.map(summaryOf),
        imports: jobs
          .filter(
            (j) =>
              j.status === 'queued' ||
              j.status === 'running' ||
              (j.status === 'failed' && Date.now() - Date.parse(j.createdAt) < 86_400_000),
          )
          .map(importOf),
      };
    },
  );

  const findLog = async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const id = uuid.safeParse(request.params.id);
    return id.success ? request.scope.logs.get(id.data) : undefined;
  };

  api.get(
    '/api/event-logs/:id',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'One event log',
        description: 'Its counts, period, one-line finding and the import report.',
        tags: ['event logs'],
        security: secured,
        params: idParams,
        response: { 200: logSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const stored: StoredLog | undefined = await findLog(request);
      if (stored === undefined) return notFound(reply);
      const analysis = stored.analysis as LogAnalysis;
      return {
        ...summaryOf(stored),
        importReport: importLines(analysis.import, analysis.timing),
        warnings: [...analysis.import.warnings],
      };
    },
  );

  api.get(
    '/api/event-logs/:id/analysis',
    {
      preHandler: requireSignIn,
      schema: {
        summary: 'The analysis of an event log',
        description:
          'The figures of the log page, from the same analysis (people’s corrections of wait kinds applied, the same filters): the process map’s activities and paths with their counts and times, each candidate wait with its kind and the evidence for it in plain words, the bottleneck with its kind, and the capacity bottleneck when the bottleneck is a policy or timer wait, a batch or an outside wait. Times are in seconds.',
        tags: ['event logs'],
        security: secured,
        params: idParams,
        querystring: analysisQuery,
        response: { 200: analysisSchema, 400: issuesSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const stored = await findLog(request);
      if (stored === undefined) return notFound(reply);
      const read = await readAnalysis(request, stored, request.query);
      if (read === undefined) return notFound(reply);
      if (read.errors !== undefined)
        return reply.code(400).send({
          error: 'invalid_filter',
          message: read.errors.list.map((e) => e.text).join('. '),
          issues: read.errors.list.map((e) => ({ path: e.href.slice(1), message: e.text })),
        });
      return {
        log: { id: stored.id, name: stored.name },
        filter: read.read.label === '' ? null : read.read.label,
        timesShownIn: read.zone.label,
        corrections: read.corrections.length,
        analysis: read.analysis === null ? null : analysisBody(read.analysis),
      };
    },
  );

  api.post(
    '/api/event-logs/:id/chain',
    {
      ...lead,
      schema: {
        summary: 'Create a delivery chain from an event log',
        description:
          'Calibrates a delivery chain from the log’s cases (all, or those the filters choose), with the wait kinds the log page shows, people’s corrections included — as the log page’s “Create a delivery chain” button does (leads and admins; audited as an imported chain). Answers 201 with the chain’s id; read it at `Location`.',
        tags: ['event logs'],
        security: secured,
        params: idParams,
        body: chainBody.optional(),
        response: {
          201: z.object({ id: z.uuid(), message: z.string() }),
          400: issuesSchema,
          401: errorSchema,
          403: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const stored = await findLog(request);
      if (stored === undefined) return notFound(reply);
      const made = await createChainFromLog(request, stored, request.body ?? {});
      if (made.ok)
        return reply
          .code(201)
          .header('location', `/api/chains/${made.chainId}`)
          .send({ id: made.chainId, message: made.message });
      if (made.reason === 'too-few-cases')
        return reply.code(400).send({
          error: 'too_few_cases',
          message: made.message,
          issues: [{ path: '/', message: made.message }],
        });
      if (made.reason === 'invalid')
        return reply.code(400).send({
          error: 'invalid_request',
          message: made.errors.list.map((e) => e.text).join('. '),
          issues: made.errors.list.map((e) => ({ path: e.href.slice(1), message: e.text })),
        });
      return notFound(reply);
    },
  );
};
