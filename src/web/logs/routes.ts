// Event logs (issue 5; paper section 3.1, organisational learning from case files): upload a log
// (CSV or XES, streamed and compressed as it arrives), map its columns, watch the import run as a
// background job, then read the analysis — the process map with the bottleneck, the activity
// table, throughput and backlog — filtered by period, variant or case attribute, and turn the
// discovered process into a delivery chain. Every page works without JavaScript: the progress page
// refreshes itself.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  CORRECTABLE_KINDS,
  MAX_CORRECTION_REASON,
  WAIT_KIND_LABELS,
  MAX_FOLD,
  calibrateStructure,
  importLines,
  type LogAnalysis,
} from '../../domain/mining/index.ts';
import { EVENTLOG_IMPORT, type ImportPayload } from '../../jobs/index.ts';
import { type LogUpload, type StoredLog } from '../../storage/index.ts';
import { fileSlug } from '../downloads.ts';
import { correctionSchema } from './corrections.ts';
import { calibrationPreview, readCalendar, readFold } from './calibration-view.ts';
import { analysisAbout, analysisExportCsv, analysisExportJson, analysisTables } from './export.ts';
import { PATH_SHARES, processMapSvg } from './process-map.ts';
import { ZONE_CHOICES } from './zone.ts';
import { formErrors, parseForm, type FormErrors } from '../forms.ts';
import { forgetLog } from './cache.ts';
import { createChainFromLog, loadLog, readAnalysis } from './analysis.ts';
import { LARGE_LOG_EVENTS, forgetFiltered } from './filtered.ts';
import { FIELDS, detectMapping, mappingSchema, toCsvColumns } from './mapping.ts';
import { UploadError, megabytes, receiveLog } from './upload.ts';
import { analysisView, filterChoices, type FilterQuery } from './view.ts';
import { checkCsrfFirst, malformedUpload } from '../uploads.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { hasRole, type Services } from '../principal.ts';
import { notFound } from '../plugins/errors.ts';
import { sendWorkbook } from '../xlsx.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `first-multipart-field`: the route checks the CSRF token itself (see app.ts). */
    csrf?: 'first-multipart-field';
  }
}

/** The case attributes stored with the log that can be filtered by. */
function attributeChoices(
  settings: Readonly<Record<string, unknown>>,
): { name: string; values: string[] }[] {
  const raw = settings.caseAttributes;
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (a): a is { name: string; values: string[] } =>
      typeof (a as { name?: unknown }).name === 'string' &&
      Array.isArray((a as { values?: unknown }).values),
  );
}

const PROGRESS_SCRIPT = readFileSync(new URL('../logs/progress.js', import.meta.url), 'utf8');

const UPLOAD_KEPT_MS = 7 * 86_400_000;

export const DEFAULT_UPLOAD_LIMIT = 200 * 1024 * 1024;

const idParams = z.object({ id: z.uuid() });

function idFrom(request: FastifyRequest): string | undefined {
  const parsed = idParams.safeParse(request.params);
  return parsed.success ? parsed.data.id : undefined;
}

function crumbs(...rest: { text: string; href?: string }[]) {
  return [{ text: 'Home', href: '/' }, { text: 'Event logs', href: '/logs' }, ...rest];
}

export function baseName(fileName: string): string {
  const plain = fileName.replace(/\.gz$/i, '').replace(/\.(csv|xes|txt)$/i, '');
  return (plain.trim() || 'Event log').slice(0, 120);
}

export const logRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  const limit = services.eventLogUploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT;
  await app.register(fastifyMultipart, {
    limits: { fileSize: limit, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
  });
  const signedIn = { preHandler: requireSignIn };
  const member = { preHandler: requireRole('member') };
  const lead = { preHandler: requireRole('lead') };

  const listPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const scope = request.scope;
    const [logs, uploads, jobs] = await Promise.all([
      scope.logs.list(),
      scope.logs.uploads(),
      scope.jobs.list({ kind: EVENTLOG_IMPORT, limit: 10 }),
    ]);
    const role = request.principal?.role ?? 'viewer';
    return reply.page('pages/logs/index.njk', {
      title: 'Event logs',
      breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'Event logs' }],
      logs: logs.map((l) => ({
        ...l,
        cases: l.cases.toLocaleString('en-GB'),
        events: l.events.toLocaleString('en-GB'),
      })),
      uploads: uploads.map((u) => ({ ...u, size: megabytes(u.sizeBytes) })),
      // Imports under way, and failures of the last day (older ones are in the audit log).
      jobs: jobs
        .filter(
          (j) =>
            j.status === 'queued' ||
            j.status === 'running' ||
            (j.status === 'failed' && Date.now() - Date.parse(j.createdAt) < 86_400_000),
        )
        .slice(0, 5),
      canUpload: hasRole(role, 'member'),
      limitText: megabytes(limit),
      ...extra,
    });
  };

  app.get('/logs', signedIn, async (request, reply) => listPage(request, reply));

  // ---- upload ----

  app.post(
    '/logs/upload',
    { ...member, config: { csrf: 'first-multipart-field' } },
    async (request, reply) => {
      const refuse = (error: UploadError) => {
        reply.code(error.statusCode);
        return listPage(request, reply, {
          errors: [{ text: error.message, href: '#file' }],
          fieldErrors: { file: { text: error.message } },
        });
      };
      if (!request.isMultipart()) return refuse(new UploadError('Choose a file to upload'));
      // The form's first field is its CSRF token: checked before a byte of the file is read.
      const parts = await checkCsrfFirst(app, request, reply);
      let name = '';
      let received: Awaited<ReturnType<typeof receiveLog>> | null = null;
      try {
        for await (const part of parts) {
          if (part.type === 'field') {
            if (part.fieldname === 'name' && typeof part.value === 'string')
              name = part.value.trim();
            continue;
          }
          if (part.fieldname !== 'file' || received !== null) {
            part.file.resume();
            continue;
          }
          if (part.filename === '') {
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
        if (error instanceof UploadError) return refuse(error);
        const code = (error as { code?: string }).code;
        if (code === 'FST_REQ_FILE_TOO_LARGE') {
          return refuse(
            new UploadError(
              `The selected file is larger than ${megabytes(limit)}. Upload a smaller extract of the log, or compress it with gzip first.`,
              413,
            ),
          );
        }
        if (
          code === 'FST_PARTS_LIMIT' ||
          code === 'FST_FILES_LIMIT' ||
          code === 'FST_FIELDS_LIMIT'
        ) {
          return refuse(new UploadError('Upload one file at a time'));
        }
        const malformed = malformedUpload(error);
        if (malformed) return refuse(malformed);
        throw error;
      }
      if (received === null) return refuse(new UploadError('Choose a file to upload'));
      // Files never mapped are not kept for ever: a week is long enough to come back to one.
      await request.scope.logs.discardUploadsBefore(
        new Date(Date.now() - UPLOAD_KEPT_MS).toISOString(),
      );
      const uploadId = await request.scope.logs.createUpload(received);
      if (received.format === 'xes') {
        const payload: ImportPayload = {
          uploadId,
          name: name || baseName(received.fileName),
          columns: null,
          dateOrder: 'auto',
          timeZone: 'UTC',
        };
        const jobId = await services.jobs.enqueue(request.scope, EVENTLOG_IMPORT, payload);
        return reply.redirect(`/logs/jobs/${jobId}`, 303);
      }
      return reply.redirect(
        `/logs/uploads/${uploadId}${name ? `?name=${encodeURIComponent(name)}` : ''}`,
        303,
      );
    },
  );

  // ---- column mapping ----

  const mappingPage = (
    reply: FastifyReply,
    upload: LogUpload,
    values: Record<string, unknown>,
    errors?: FormErrors,
  ) => {
    const detected = detectMapping(upload.columns, upload.sample);
    const selected = (field: string) => String(values[field] ?? '');
    const columnItems = (field: string, required: boolean) => [
      {
        value: '',
        text: required ? 'Select a column' : 'Not in this log',
        selected: selected(field) === '',
      },
      ...upload.columns.map((c) => ({ value: c, text: c, selected: selected(field) === c })),
    ];
    const chosenAttributes = new Set(
      Array.isArray(values.caseAttributes)
        ? (values.caseAttributes as string[])
        : typeof values.caseAttributes === 'string'
          ? [values.caseAttributes]
          : [],
    );
    return reply.page('pages/logs/columns.njk', {
      title: 'Match the columns',
      breadcrumbs: crumbs({ text: 'Match the columns' }),
      upload: { ...upload, size: megabytes(upload.sizeBytes) },
      fields: FIELDS.map((f) => ({ ...f, items: columnItems(f.field, f.required) })),
      attributeItems: upload.columns.map((c) => ({
        value: c,
        text: c,
        checked: chosenAttributes.has(c),
      })),
      dateOrderNote: detected.dateOrderNote,
      values,
      errors: errors?.list,
      fieldErrors: errors?.byField,
    });
  };

  app.get('/logs/uploads/:id', member, async (request, reply) => {
    const id = idFrom(request);
    const upload = id === undefined ? undefined : await request.scope.logs.upload(id);
    if (upload === undefined || upload.format !== 'csv') return notFound(reply);
    const detected = detectMapping(upload.columns, upload.sample);
    const query = request.query as Record<string, unknown>;
    const name =
      typeof query.name === 'string' && query.name.trim() !== ''
        ? query.name.trim().slice(0, 120)
        : baseName(upload.fileName);
    return mappingPage(reply, upload, {
      name,
      ...detected.columns,
      caseAttributes: detected.caseAttributes,
      dateOrder: detected.dateOrder,
      timeZone: 'UTC',
    });
  });

  app.post('/logs/uploads/:id', member, async (request, reply) => {
    const id = idFrom(request);
    const upload = id === undefined ? undefined : await request.scope.logs.upload(id);
    if (upload === undefined || upload.format !== 'csv') return notFound(reply);
    const form = parseForm(mappingSchema(upload.columns), request.body);
    if (!form.ok) {
      reply.code(400);
      return mappingPage(reply, upload, form.values, form.errors);
    }
    const payload: ImportPayload = {
      uploadId: upload.id,
      name: form.data.name,
      columns: toCsvColumns(form.data) as ImportPayload['columns'],
      dateOrder: form.data.dateOrder,
      timeZone: form.data.timeZone,
    };
    const jobId = await services.jobs.enqueue(request.scope, EVENTLOG_IMPORT, payload);
    return reply.redirect(`/logs/jobs/${jobId}`, 303);
  });

  app.post('/logs/uploads/:id/discard', member, async (request, reply) => {
    const id = idFrom(request);
    if (id === undefined || !(await request.scope.logs.discardUpload(id))) return notFound(reply);
    reply.flash('The uploaded file has been discarded.');
    return reply.redirect('/logs', 303);
  });

  // ---- import progress ----

  app.get('/logs/jobs/:id', signedIn, async (request, reply) => {
    const id = idFrom(request);
    const job = id === undefined ? undefined : await request.scope.jobs.get(id);
    if (job === undefined || job.kind !== EVENTLOG_IMPORT) return notFound(reply);
    const result = job.result as { logId?: string } | null;
    if (job.status === 'succeeded' && typeof result?.logId === 'string') {
      reply.flash(job.message);
      return reply.redirect(`/logs/${result.logId}`, 303);
    }
    const payload = job.payload as Partial<ImportPayload>;
    const upload =
      typeof payload.uploadId === 'string'
        ? await request.scope.logs.upload(payload.uploadId)
        : undefined;
    return reply.page('pages/logs/job.njk', {
      title: job.status === 'failed' ? 'The log could not be imported' : 'Importing the log',
      breadcrumbs: crumbs({ text: 'Import' }),
      job,
      name: payload.name ?? 'Event log',
      percentage: Math.round(job.progress * 100),
      refresh: job.status === 'queued' || job.status === 'running',
      autoRefresh: (request.query as Record<string, unknown>).refresh !== 'off',
      retryUrl:
        upload !== undefined && upload.format === 'csv'
          ? `/logs/uploads/${upload.id}?name=${encodeURIComponent(payload.name ?? '')}`
          : null,
      errors:
        job.status === 'failed' && job.error
          ? [{ text: job.error, href: '#job-error' }]
          : undefined,
    });
  });

  // The progress page's script and the status it polls (the page works without either).
  app.get('/logs/progress.js', (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(PROGRESS_SCRIPT),
  );

  app.get('/logs/jobs/:id/status', signedIn, async (request, reply) => {
    const id = idFrom(request);
    const job = id === undefined ? undefined : await request.scope.jobs.get(id);
    if (job === undefined || job.kind !== EVENTLOG_IMPORT) return notFound(reply);
    return reply.header('cache-control', 'no-store').send({
      status: job.status,
      progress: job.progress,
      message: job.message,
      // Where to go once it has finished: the job page redirects to the log or shows the error.
      next: `/logs/jobs/${job.id}`,
    });
  });

  // ---- the analysis ----

  const logPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    stored: StoredLog,
    query: FilterQuery,
    correction: { values: Record<string, unknown>; errors: FormErrors } | null = null,
  ) => {
    const read = await readAnalysis(request, stored, query);
    if (read === undefined) return notFound(reply);
    const { whole, analysis, zone, map } = read;
    const fold = readFold(query.fold);
    const calendar = readCalendar(query.calendar);
    const previewErrors: [string, string][] = [];
    if (fold.error !== null) previewErrors.push(['fold', fold.error]);
    if (calendar.error !== null) previewErrors.push(['calendar', calendar.error]);
    const errors =
      correction?.errors ??
      read.errors ??
      (previewErrors.length === 0 ? undefined : formErrors(previewErrors));
    if (errors !== undefined) reply.code(400);
    const role = request.principal?.role ?? 'viewer';
    const canCorrect = hasRole(role, 'lead');
    // What the chain made from this log would be: calibration's own statements, with the page's
    // (corrected) wait kinds, for the cases shown.
    let chainPreview: ReturnType<typeof calibrationPreview> | null = null;
    // (Not for a large log: calibrating its structure would read millions of events on this
    // thread; the chain is made from it on request.)
    if (hasRole(role, 'lead') && analysis !== null && stored.events <= LARGE_LOG_EVENTS) {
      const log = read.chosen ?? (await loadLog(request, stored.id));
      if (log !== undefined && log.caseIds.length >= 2) {
        chainPreview = calibrationPreview(
          calibrateStructure(log, {
            finding: analysis.bottleneck,
            fold: fold.share,
            calendar: calendar.fit,
          }),
        );
      }
    }
    const exportQuery = new URLSearchParams(read.read.queryString);
    if (map.view !== 'frequency') exportQuery.set('view', map.view);
    const paths = String(Math.round(map.minShare * 100));
    if (paths !== '5') exportQuery.set('paths', paths);
    if (zone.choice !== 'log') exportQuery.set('zone', zone.choice);
    const exportSuffix = exportQuery.toString() === '' ? '' : `?${exportQuery.toString()}`;
    const correctionValues = correction?.values ?? {};
    return reply.page('pages/logs/log.njk', {
      title: stored.name,
      breadcrumbs: crumbs({ text: stored.name }),
      log: stored,
      zone,
      zoneItems: ZONE_CHOICES.map((z) => ({
        value: z,
        text: z === 'log' ? `The log’s own clock` : z,
        selected: zone.choice === z,
      })),
      importRows: importLines(whole.import, whole.timing).map((l) => ({
        key: { text: l.label },
        value: { text: l.value },
      })),
      filterParams: Object.fromEntries(new URLSearchParams(read.read.queryString)),
      view: analysis === null ? null : analysisView(analysis, { map, zone }),
      mapChoices: {
        viewItems: [
          {
            value: 'frequency',
            text: 'How often each path is taken',
            selected: map.view === 'frequency',
          },
          {
            value: 'performance',
            text: 'How long each path takes (median)',
            selected: map.view === 'performance',
          },
        ],
        pathItems: PATH_SHARES.map((p) => ({
          value: p,
          text: p === '0' ? 'Every path' : `Paths taken by at least ${p}% of cases`,
          selected: p === paths,
        })),
      },
      exportSuffix,
      whole: { cases: whole.counts.cases.toLocaleString('en-GB') },
      filters: filterChoices(whole, query, attributeChoices(stored.settings), zone),
      filtered: read.read.filter !== null && read.errors === undefined,
      filterQuery: read.read.queryString,
      filterLabel: read.read.label,
      canCreateChain: hasRole(role, 'lead'),
      chainPreview,
      fold: { percent: fold.percent, max: MAX_FOLD * 100 },
      calendarChoice: calendar.value,
      canDelete: hasRole(role, 'lead'),
      canCorrect,
      correction: {
        activityItems: [
          { value: '', text: 'Choose a wait', selected: (correctionValues.activity ?? '') === '' },
          ...whole.bottleneck.candidates.map((c) => ({
            value: c.activity,
            text: `Wait before ${c.activity} (${c.kindLabel})`,
            selected: correctionValues.activity === c.activity,
          })),
        ],
        kindItems: [
          ...CORRECTABLE_KINDS.map((k) => ({
            value: k,
            text: WAIT_KIND_LABELS[k],
            checked: correctionValues.kind === k,
          })),
          { divider: 'or' },
          {
            value: 'detected',
            text: 'Use the kind read from the log (remove a correction)',
            checked: correctionValues.kind === 'detected',
          },
        ],
        reason: typeof correctionValues.reason === 'string' ? correctionValues.reason : '',
        maxReason: MAX_CORRECTION_REASON,
      },
      errors: errors?.list,
      fieldErrors: errors?.byField,
    });
  };

  app.get('/logs/:id', signedIn, async (request, reply) => {
    const id = idFrom(request);
    const stored = id === undefined ? undefined : await request.scope.logs.get(id);
    if (stored === undefined) return notFound(reply);
    return logPage(request, reply, stored, request.query as FilterQuery);
  });

  // ---- corrections of wait kinds (issue 13, point 1) ----

  app.post('/logs/:id/wait-kinds', lead, async (request, reply) => {
    const id = idFrom(request);
    const stored = id === undefined ? undefined : await request.scope.logs.get(id);
    if (stored === undefined) return notFound(reply);
    const analysis = stored.analysis as LogAnalysis;
    const form = parseForm(
      correctionSchema(analysis.bottleneck.candidates.map((c) => c.activity)),
      request.body,
    );
    if (!form.ok) {
      return logPage(request, reply, stored, {}, { values: form.values, errors: form.errors });
    }
    const { activity, kind, reason } = form.data;
    const detected = analysis.bottleneck.candidates.find((c) => c.activity === activity);
    await request.scope.logs.correctWaitKind(stored.id, {
      activity,
      kind: kind === 'detected' ? null : kind,
      reason: kind === 'detected' ? '' : reason,
      detected: detected?.kind ?? 'insufficient-data',
    });
    reply.flash(
      kind === 'detected'
        ? `The wait before “${activity}” is read from the log again.`
        : `The wait before “${activity}” is now treated as ${WAIT_KIND_LABELS[kind]}. The bottleneck and the exports use the correction.`,
    );
    return reply.redirect(`/logs/${stored.id}#bottleneck`, 303);
  });

  // ---- exports: the map as SVG, the analysis as JSON, CSV and XLSX ----

  const exportOf = async (request: FastifyRequest, reply: FastifyReply) => {
    const id = idFrom(request);
    const stored = id === undefined ? undefined : await request.scope.logs.get(id);
    if (stored === undefined) return undefined;
    const read = await readAnalysis(request, stored, request.query as FilterQuery);
    if (read === undefined) return undefined;
    if (read.errors !== undefined) {
      reply.code(400);
      return { stored, read, error: read.errors.list.map((e) => e.text).join('. ') };
    }
    return { stored, read, error: null };
  };

  app.get('/logs/:id/map.svg', signedIn, async (request, reply) => {
    const found = await exportOf(request, reply);
    if (found === undefined) return notFound(reply);
    if (found.error !== null) return reply.type('text/plain; charset=utf-8').send(found.error);
    if (found.read.analysis === null) {
      reply.code(404);
      return reply.type('text/plain; charset=utf-8').send('No cases match these filters.');
    }
    const map = processMapSvg(found.read.analysis, found.read.map);
    return reply
      .type('image/svg+xml; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="${fileSlug(found.stored.name, 'event-log')}-process-map.svg"`,
      )
      .send(`<?xml version="1.0" encoding="UTF-8"?>\n${map.svg}`);
  });

  app.get('/logs/:id/analysis.json', signedIn, async (request, reply) => {
    const found = await exportOf(request, reply);
    if (found === undefined) return notFound(reply);
    if (found.error !== null) return reply.send({ error: found.error });
    return reply
      .header(
        'content-disposition',
        `attachment; filename="${fileSlug(found.stored.name, 'event-log')}-analysis.json"`,
      )
      .send(analysisExportJson(found.stored, found.read));
  });

  app.get('/logs/:id/analysis.csv', signedIn, async (request, reply) => {
    const found = await exportOf(request, reply);
    if (found === undefined) return notFound(reply);
    if (found.error !== null) return reply.type('text/plain; charset=utf-8').send(found.error);
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="${fileSlug(found.stored.name, 'event-log')}-activities.csv"`,
      )
      .send(analysisExportCsv(found.read.analysis));
  });

  app.get('/logs/:id/analysis.xlsx', signedIn, async (request, reply) => {
    const found = await exportOf(request, reply);
    if (found === undefined) return notFound(reply);
    if (found.error !== null) return reply.type('text/plain; charset=utf-8').send(found.error);
    return sendWorkbook(
      reply,
      `${fileSlug(found.stored.name, 'event-log')}-analysis.xlsx`,
      analysisAbout(found.stored, found.read),
      analysisTables(found.read.analysis),
    );
  });

  app.post('/logs/:id/chain', lead, async (request, reply) => {
    const id = idFrom(request);
    const stored = id === undefined ? undefined : await request.scope.logs.get(id);
    if (stored === undefined) return notFound(reply);
    const body = (request.body ?? {}) as FilterQuery;
    const made = await createChainFromLog(request, stored, body);
    if (!made.ok && made.reason === 'not-found') return notFound(reply);
    if (!made.ok && made.reason === 'too-few-cases') {
      reply.flash(made.message);
      return reply.redirect(`/logs/${stored.id}`, 303);
    }
    if (!made.ok && made.reason === 'invalid')
      return logPage(request, reply, stored, body, { values: {}, errors: made.errors });
    if (!made.ok) return notFound(reply);
    reply.flash(made.message);
    const chainId = made.chainId;
    return reply.redirect(`/chains/${chainId}`, 303);
  });

  app.post('/logs/:id/delete', lead, async (request, reply) => {
    const id = idFrom(request);
    if (id === undefined || !(await request.scope.logs.remove(id))) return notFound(reply);
    forgetLog(request.scope.organisationId, id);
    forgetFiltered(request.scope.organisationId, id);
    reply.flash('The event log has been deleted.');
    return reply.redirect('/logs', 303);
  });
};
