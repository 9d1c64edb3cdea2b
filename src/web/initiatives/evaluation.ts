// Post-implementation evaluation of an initiative (paper section 3.1; Table 1, Organisational
// Learning at level 2: formal post-project reviews whose findings go to a central repository), at
// /initiatives/:id/evaluation. Only a live (or already evaluated) initiative has a go-live date to
// compare around. Step 1 chooses the organisation's event log, the activity that is the targeted
// stage and, if wanted, equal windows either side of go-live; step 2 shows the figures the engine
// computes from the log before and after go-live, with its interval and every caution, and asks
// for the rest: the three measures of Figure 1, the bottleneck, the determinants, unintended
// consequences, staff perspectives and the outcome. Saving keeps the evaluation with its log,
// marks the initiative evaluated, and opens the lesson drafted from it (/lessons/new). The choice
// of log travels in the query and in hidden fields, and the figures are computed again from the
// stored log on every request: nothing the browser sends is taken as a figure. Leads and admins
// evaluate; everyone signed in reads the saved evaluations.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  buildEvaluation,
  evaluateFromLog,
  type Evaluation,
  type LogEvaluation,
} from '../../domain/initiatives/evaluation.ts';
import type { EventLog } from '../../domain/mining/index.ts';
import { decodeEventLog, type StoredInitiative } from '../../storage/index.ts';
import type { FormErrors } from '../forms.ts';
import { formErrors } from '../forms.ts';
import { cachedLog } from '../logs/cache.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import type { Services } from '../principal.ts';
import {
  MEASURES,
  NO_LOG,
  activityItems,
  dateWords,
  logFigureHints,
  logItems,
  logView,
  matchActivity,
  outcomeItems,
  readEvaluationForm,
  readWindow,
  savedEvaluationView,
  single,
  statusWords,
} from './evaluation-view.ts';
import { canChange, crumbs, initiativeFrom } from './shared.ts';

/** What step 1 chose, checked against the organisation's own logs, with the engine's figures. */
interface Chosen {
  readonly logId: string | null;
  readonly logName: string | null;
  readonly activity: string | null;
  readonly windowDays: number | null;
  readonly fromLog: LogEvaluation | null;
}

type ChoiceResult =
  | { readonly kind: 'chosen'; readonly chosen: Chosen }
  /** Another log was chosen while the activities of the one before were shown: ask again. */
  | { readonly kind: 'switched'; readonly logId: string }
  | { readonly kind: 'invalid'; readonly errors: FormErrors };

const uuid = z.uuid();

/** Texts only: a repeated (forged) field is dropped, so the form shows it empty. */
function textValues(source: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (source === null || typeof source !== 'object') return out;
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    if (key !== '_csrf' && typeof value === 'string') out[key] = value;
  }
  return out;
}

/** Today's date in the UK, yyyy-mm-dd. */
function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
}

/** Why an initiative cannot be evaluated, or null when it can. */
function notEvaluable(stored: StoredInitiative): string | null {
  const i = stored.initiative;
  if (i.status !== 'live' && i.status !== 'evaluated') {
    return `This initiative is ${statusWords(i.status)}, not live. An evaluation compares the service before and after go-live, so it needs a go-live date, which is set when the initiative goes live. Come back once it is live and has run long enough to show a change.`;
  }
  if (i.liveFrom === null) {
    return 'This initiative is marked live but has no go-live date. An evaluation compares the service before and after go-live: set the date it went live on the initiative’s page, then come back.';
  }
  return null;
}

export const evaluationRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const lead = { preHandler: requireRole('lead') };
  const signedIn = { preHandler: requireSignIn };

  const loadLog = (request: FastifyRequest, id: string): Promise<EventLog | undefined> =>
    cachedLog(request.scope.organisationId, id, async () => {
      const data = await request.scope.logs.data(id);
      return data === undefined ? undefined : decodeEventLog(data);
    });

  /** The name of the stage the initiative targets, from its delivery chain, if it names one. */
  const stageName = async (request: FastifyRequest, stored: StoredInitiative) => {
    const { chainId, stageId } = stored.initiative;
    if (chainId === null || stageId === null) return null;
    const chain = await request.scope.chains.get(chainId);
    return chain?.model.stages.find((s) => s.id === stageId)?.name ?? null;
  };

  /** Checks step 1's answers (from the query or the hidden fields) and computes the figures. */
  const readChoice = async (
    request: FastifyRequest,
    stored: StoredInitiative,
    source: Record<string, unknown>,
  ): Promise<ChoiceResult> => {
    const goLive = stored.initiative.liveFrom ?? '';
    const errors: [string, string][] = [];
    const invalid = (): ChoiceResult => ({ kind: 'invalid', errors: formErrors(errors) });
    const logRaw = single(source.log);
    if (logRaw === null) errors.push(['log', 'Choose one event log']);
    else if (logRaw === undefined || logRaw.trim() === '') {
      errors.push(['log', 'Choose an event log, or “None: type the figures”']);
    }
    if (errors.length > 0) return invalid();
    const logId = (logRaw as string).trim();
    if (logId === NO_LOG) {
      return {
        kind: 'chosen',
        chosen: { logId: null, logName: null, activity: null, windowDays: null, fromLog: null },
      };
    }
    const summary = uuid.safeParse(logId).success ? await request.scope.logs.get(logId) : undefined;
    const eventLog = summary === undefined ? undefined : await loadLog(request, summary.id);
    if (summary === undefined || eventLog === undefined) {
      errors.push(['log', 'Choose one of your organisation’s event logs from the list']);
      return invalid();
    }
    const window = readWindow(source.windowDays);
    if ('error' in window) errors.push(['windowDays', window.error]);
    const activityRaw = single(source.activity);
    let activity: string | null = null;
    if (activityRaw === null) errors.push(['activity', 'Choose one activity']);
    else if (activityRaw !== undefined && activityRaw !== '') {
      if (eventLog.activityNames.includes(activityRaw)) activity = activityRaw;
      else {
        const shownFor = single(source.shownFor);
        if (typeof shownFor === 'string' && shownFor !== logId) {
          return { kind: 'switched', logId };
        }
        errors.push([
          'activity',
          `Choose an activity of “${summary.name}”: it has no activity called “${activityRaw.slice(0, 100)}”`,
        ]);
      }
    }
    if (errors.length > 0 || 'error' in window) return invalid();
    try {
      const fromLog = evaluateFromLog(eventLog, {
        goLive,
        ...(activity === null ? {} : { activity }),
        ...(window.days === null ? {} : { windowDays: window.days }),
      });
      return {
        kind: 'chosen',
        chosen: { logId, logName: summary.name, activity, windowDays: window.days, fromLog },
      };
    } catch (error) {
      const reason = (error as Error).message;
      errors.push([
        'log',
        `“${summary.name}” cannot show a change around go-live on ${dateWords(goLive)}: ${reason}. Choose another log, or “None: type the figures”`,
      ]);
      return invalid();
    }
  };

  /** The evaluation page: saved evaluations for everyone, and step 1 for leads and admins. */
  const indexPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    stored: StoredInitiative,
    values: Record<string, string>,
    errors?: FormErrors,
  ) => {
    const scope = request.scope;
    const [logs, evaluations, lessons] = await Promise.all([
      scope.logs.list(),
      scope.initiatives.evaluations<Evaluation>(stored.initiative.id),
      scope.initiatives.lessons<{ evaluationId?: string | null }>({}),
    ]);
    const logNames = new Map(logs.map((l) => [l.id, l.name]));
    const lessonOf = new Map(
      lessons
        .filter((l) => l.initiativeId === stored.initiative.id && l.lesson.evaluationId)
        .map((l) => [l.lesson.evaluationId as string, l.id]),
    );
    const reason = notEvaluable(stored);
    let step1: Record<string, unknown> | null = null;
    if (reason === null && canChange(request)) {
      const asked = values.log ?? '';
      const selected = logs.some((l) => l.id === asked)
        ? asked
        : asked === NO_LOG || logs.length === 0
          ? NO_LOG
          : (logs[0]?.id ?? NO_LOG);
      let activities: readonly string[] = [];
      let activity = '';
      if (selected !== NO_LOG) {
        activities = (await loadLog(request, selected))?.activityNames ?? [];
        activity = activities.includes(values.activity ?? '')
          ? (values.activity ?? '')
          : (matchActivity(activities, await stageName(request, stored)) ?? '');
      }
      step1 = {
        logItems: logItems(logs, selected),
        selectedLogName: logNames.get(selected) ?? null,
        shownFor: selected,
        activityItems: selected === NO_LOG ? null : activityItems(activities, activity),
        windowDays: values.windowDays ?? '',
        switched: values.switched === '1',
      };
    }
    return reply.page('pages/initiatives/evaluation/index.njk', {
      title: `Evaluation: ${stored.initiative.title}`,
      breadcrumbs: crumbs(stored, { text: 'Evaluation' }),
      initiative: stored.initiative,
      goLive: stored.initiative.liveFrom === null ? null : dateWords(stored.initiative.liveFrom),
      reason,
      canChange: canChange(request),
      step1,
      saved: evaluations.map((e) =>
        savedEvaluationView(
          e,
          e.logId === null ? null : (logNames.get(e.logId) ?? null),
          lessonOf.get(e.id) ?? null,
        ),
      ),
      errors: errors?.list,
      fieldErrors: errors?.byField,
    });
  };

  /** Step 2: the figures from the log and the form for the rest. */
  const figuresPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    stored: StoredInitiative,
    chosen: Chosen,
    values: Record<string, string>,
    errors?: FormErrors,
  ) => {
    const id = stored.initiative.id;
    const hints = logFigureHints(chosen.fromLog);
    const field = (name: string) => ({
      id: name,
      value: values[name] ?? '',
      error: errors?.byField[name],
    });
    const back = new URLSearchParams({
      log: chosen.logId ?? NO_LOG,
      activity: chosen.activity ?? '',
      windowDays: chosen.windowDays === null ? '' : String(chosen.windowDays),
    });
    return reply.page('pages/initiatives/evaluation/figures.njk', {
      title: `What changed: ${stored.initiative.title}`,
      breadcrumbs: crumbs(
        stored,
        { text: 'Evaluation', href: `/initiatives/${id}/evaluation` },
        { text: 'What changed' },
      ),
      backLink: `/initiatives/${id}/evaluation?${back.toString()}`,
      initiative: stored.initiative,
      goLive: dateWords(stored.initiative.liveFrom ?? ''),
      view: chosen.fromLog === null ? null : logView(chosen.fromLog, chosen.logName ?? ''),
      hidden: {
        log: chosen.logId ?? NO_LOG,
        activity: chosen.activity ?? '',
        windowDays: chosen.windowDays === null ? '' : String(chosen.windowDays),
      },
      measures: MEASURES.map((m) => ({
        ...m,
        figures: m.figures.map((f) => ({
          ...f,
          hint: hints[f.key] ?? f.hint,
          fromLog: hints[f.key] !== undefined,
          before: field(`${f.key}-before`),
          after: field(`${f.key}-after`),
        })),
      })),
      values,
      outcomeItems: outcomeItems(values.outcome),
      errors: errors?.list,
      fieldErrors: errors?.byField,
    });
  };

  app.get('/initiatives/:id/evaluation', signedIn, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    return indexPage(request, reply, stored, textValues(request.query));
  });

  app.get('/initiatives/:id/evaluation/figures', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const query = textValues(request.query);
    if (notEvaluable(stored) !== null) return indexPage(request, reply, stored, query);
    const choice = await readChoice(request, stored, request.query as Record<string, unknown>);
    if (choice.kind === 'switched') {
      const next = new URLSearchParams({
        log: choice.logId,
        windowDays: query.windowDays ?? '',
        switched: '1',
      });
      return reply.redirect(
        `/initiatives/${stored.initiative.id}/evaluation?${next}#activity`,
        303,
      );
    }
    if (choice.kind === 'invalid') {
      reply.code(400);
      return indexPage(request, reply, stored, query, choice.errors);
    }
    return figuresPage(request, reply, stored, choice.chosen, {
      bottleneckBefore: (await stageName(request, stored)) ?? '',
    });
  });

  app.post('/initiatives/:id/evaluation', lead, async (request, reply) => {
    const stored = await initiativeFrom(request);
    if (!stored) return notFound(reply);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = textValues(body);
    if (notEvaluable(stored) !== null) {
      reply.code(409);
      return indexPage(request, reply, stored, {});
    }
    // The log is read again and the figures computed again: the browser sends only the choice.
    const { shownFor: _ignored, ...choiceSource } = body;
    const choice = await readChoice(request, stored, choiceSource);
    if (choice.kind !== 'chosen') {
      reply.code(400);
      return indexPage(
        request,
        reply,
        stored,
        values,
        choice.kind === 'invalid'
          ? choice.errors
          : formErrors([['log', 'Choose an event log again: the one chosen has changed']]),
      );
    }
    const form = readEvaluationForm(body, stored.initiative.id, today());
    if (!form.ok) {
      reply.code(400);
      return figuresPage(request, reply, stored, choice.chosen, values, form.errors);
    }
    const evaluation = buildEvaluation(form.input, choice.chosen.fromLog);
    const evaluationId = await request.scope.transaction(async (scope) => {
      const saved = await scope.initiatives.addEvaluation(
        stored.initiative.id,
        choice.chosen.logId,
        evaluation,
      );
      if (stored.initiative.status === 'live') {
        await scope.initiatives.setStatus(stored.initiative.id, 'evaluated');
      }
      return saved;
    });
    reply.flash(
      'Evaluation saved and the initiative marked evaluated. A lesson has been drafted from it: add what you would do differently, check the rest, and file it.',
    );
    const next = new URLSearchParams({
      initiative: stored.initiative.id,
      evaluation: evaluationId,
    });
    return reply.redirect(`/lessons/new?${next}`, 303);
  });
};
