// The lessons repository (paper section 3.1: insights codified and kept in a shared repository;
// Table 1, Organisational Learning level 2: findings tracked in a central repository). /lessons
// lists the organisation's lessons newest first, or best match first for a search, with filters
// by AI competency, capability, ambition and outcome in a GET form, so /lessons?q=WORD works as a
// plain link; /lessons/:id shows one in the standard template; /lessons/new files one by hand, or
// reviews the one drafted from an evaluation (?initiative=…&evaluation=…); /lessons/:id/edit
// changes one. Leads and admins file and change lessons; everyone signed in reads and searches.
// Another organisation's lesson, initiative or evaluation is never found.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Evaluation } from '../../domain/initiatives/evaluation.ts';
import {
  lessonFromEvaluation,
  lessonSchemaFor,
  lessonIndex,
  type Lesson,
} from '../../domain/initiatives/lessons.ts';
import type { StoredLesson } from '../../storage/index.ts';
import type { FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import { hasRole, type Services } from '../principal.ts';
import {
  MAX_RESULTS,
  filterItems,
  filterWords,
  formValuesOf,
  lessonErrors,
  lessonFormItems,
  lessonValues,
  lessonView,
  noneMessage,
  readSearch,
  resultView,
  type LessonDocument,
} from './view.ts';

const uuid = z.uuid();
const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' && uuid.safeParse(value).success ? value : undefined;

type Crumb = { text: string; href?: string };
const crumbs = (...rest: Crumb[]): Crumb[] => [
  { text: 'Home', href: '/' },
  { text: 'Lessons', href: '/lessons' },
  ...rest,
];

export const lessonRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const signedIn = { preHandler: requireSignIn };
  const lead = { preHandler: requireRole('lead') };
  const capabilities = services.framework.capabilities;
  const schema = lessonSchemaFor(capabilities.map((c) => c.id));

  const lessonFrom = async (
    request: FastifyRequest,
  ): Promise<StoredLesson<LessonDocument> | undefined> => {
    const id = idOf((request.params as Record<string, unknown>).id);
    return id === undefined ? undefined : request.scope.initiatives.lesson<LessonDocument>(id);
  };

  /** The lesson already filed from an evaluation, if there is one. */
  const lessonOfEvaluation = async (request: FastifyRequest, initiativeId: string, id: string) =>
    (await request.scope.initiatives.lessons<LessonDocument>({})).find(
      (l) => l.initiativeId === initiativeId && l.lesson.evaluationId === id,
    );

  /** The stored evaluation of one of the organisation's initiatives, with its initiative. */
  const evaluationFrom = async (request: FastifyRequest, initiativeId: unknown, id: unknown) => {
    const iid = idOf(initiativeId);
    const eid = idOf(id);
    if (iid === undefined || eid === undefined) return undefined;
    const stored = await request.scope.initiatives.get(iid);
    if (!stored) return undefined;
    const evaluation = (await request.scope.initiatives.evaluations<Evaluation>(iid)).find(
      (e) => e.id === eid,
    );
    return evaluation === undefined ? undefined : { stored, evaluation };
  };

  // ---- the repository and its search ----

  app.get('/lessons', signedIn, async (request, reply) => {
    const read = readSearch(request.query, capabilities);
    const lessons =
      read.errors === null
        ? await request.scope.initiatives.lessons<LessonDocument>(read.query)
        : [];
    if (read.errors !== null) reply.code(400);
    const searching = Object.keys(read.query).length > 0;
    return reply.page('pages/lessons/index.njk', {
      title: read.query.q ? `Lessons matching “${read.query.q}”` : 'Lessons',
      breadcrumbs: crumbs().slice(0, 1).concat({ text: 'Lessons' }),
      values: read.values,
      items: filterItems(read.values, capabilities),
      searching,
      filtersOpen: read.errors !== null || Object.keys(read.query).some((k) => k !== 'q'),
      filters: filterWords(read.query, capabilities),
      total: lessons.length,
      results: lessons.slice(0, MAX_RESULTS).map((l) => resultView(l, read.query.q ?? '')),
      noneText:
        read.errors === null && lessons.length === 0 ? noneMessage(read.query, capabilities) : null,
      canChange: hasRole(request.principal?.role ?? 'viewer', 'lead'),
      errors: read.errors?.list,
      fieldErrors: read.errors?.byField,
    });
  });

  // ---- filing and changing a lesson ----

  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    page: {
      title: string;
      action: string;
      values: Record<string, unknown>;
      evaluationId?: string | null;
      draftedFrom?: string | null;
      breadcrumbs: Crumb[];
      button: string;
    },
    errors?: FormErrors,
  ) => {
    const initiatives = (await request.scope.initiatives.list()).map((s) => s.initiative);
    return reply.page('pages/lessons/form.njk', {
      ...page,
      items: lessonFormItems(page.values, capabilities, initiatives),
      errors: errors?.list,
      fieldErrors: errors?.byField,
    });
  };

  /**
   * Reads and checks the form. The initiative must be one of the organisation's (its title fills
   * the name when that is left blank); a lesson drafted from an evaluation stays tied to it.
   */
  const readLesson = async (
    request: FastifyRequest,
    values: Record<string, unknown>,
    evaluationId: string | null,
  ): Promise<{ ok: true; lesson: Lesson } | { ok: false; errors: FormErrors }> => {
    const extra: [string, string][] = [];
    const input = { ...values };
    const chosen = values.initiativeId;
    if (chosen !== undefined && chosen !== '') {
      const id = idOf(chosen);
      const stored = id === undefined ? undefined : await request.scope.initiatives.get(id);
      if (!stored) {
        extra.push(['initiativeId', 'Choose one of your organisation’s initiatives, or “None”']);
      } else {
        if (typeof input.initiativeTitle !== 'string' || input.initiativeTitle.trim() === '') {
          input.initiativeTitle = stored.initiative.title;
        }
        if (evaluationId !== null) {
          const own = await request.scope.initiatives.evaluations(stored.initiative.id);
          if (!own.some((e) => e.id === evaluationId)) {
            extra.push([
              'initiativeId',
              'This lesson was drafted from an evaluation of another initiative: choose that initiative',
            ]);
          }
        }
      }
    } else if (evaluationId !== null) {
      extra.push([
        'initiativeId',
        'This lesson was drafted from an evaluation: choose the initiative that was evaluated',
      ]);
    }
    const parsed = schema.safeParse(input);
    if (parsed.success && extra.length === 0) return { ok: true, lesson: parsed.data as Lesson };
    return { ok: false, errors: lessonErrors(parsed.success ? [] : parsed.error.issues, extra) };
  };

  app.get('/lessons/new', lead, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    if (query.evaluation === undefined && query.initiative === undefined) {
      return formPage(request, reply, {
        title: 'File a lesson',
        action: '/lessons/new',
        values: {},
        breadcrumbs: crumbs({ text: 'File a lesson' }),
        button: 'File the lesson',
      });
    }
    const found = await evaluationFrom(request, query.initiative, query.evaluation);
    if (!found) return notFound(reply);
    const { stored, evaluation } = found;
    const filed = await lessonOfEvaluation(request, stored.initiative.id, evaluation.id);
    if (filed) {
      reply.flash('A lesson from this evaluation has already been filed: here it is.');
      return reply.redirect(`/lessons/${filed.id}`, 303);
    }
    const draft = lessonFromEvaluation(stored.initiative, evaluation.evaluation);
    return formPage(request, reply, {
      title: 'Review and file the lesson',
      action: '/lessons/new',
      values: lessonValues(draft),
      evaluationId: evaluation.id,
      draftedFrom: stored.initiative.title,
      breadcrumbs: crumbs({ text: 'Review and file the lesson' }),
      button: 'File the lesson',
    });
  });

  app.post('/lessons/new', lead, async (request, reply) => {
    const values = formValuesOf(request.body);
    const rawEvaluation = values.evaluationId;
    const evaluationId =
      rawEvaluation === undefined || rawEvaluation === '' ? null : (idOf(rawEvaluation) ?? '');
    const page = {
      title: evaluationId === null ? 'File a lesson' : 'Review and file the lesson',
      action: '/lessons/new',
      values,
      evaluationId,
      breadcrumbs: crumbs({
        text: evaluationId === null ? 'File a lesson' : 'Review and file the lesson',
      }),
      button: 'File the lesson',
    };
    if (evaluationId !== null) {
      // Filed once: a second press of the button (or the back button) finds the first.
      const filed = (await request.scope.initiatives.lessons<LessonDocument>({})).find(
        (l) => l.lesson.evaluationId === evaluationId,
      );
      if (filed) {
        reply.flash('A lesson from this evaluation has already been filed: here it is.');
        return reply.redirect(`/lessons/${filed.id}`, 303);
      }
    }
    const read = await readLesson(request, values, evaluationId);
    if (!read.ok) {
      reply.code(400);
      return formPage(request, reply, page, read.errors);
    }
    const document: LessonDocument = { ...read.lesson, evaluationId };
    const id = await request.scope.initiatives.createLesson(lessonIndex(read.lesson), document);
    reply.flash('Lesson filed. Anyone in your organisation can now find it in the lessons.');
    return reply.redirect(`/lessons/${id}`, 303);
  });

  app.get('/lessons/:id', signedIn, async (request, reply) => {
    const stored = await lessonFrom(request);
    if (!stored) return notFound(reply);
    const initiativeId = stored.lesson.initiativeId;
    const initiative =
      initiativeId === null ? undefined : await request.scope.initiatives.get(initiativeId);
    return reply.page('pages/lessons/lesson.njk', {
      title: stored.lesson.title,
      breadcrumbs: crumbs({ text: stored.lesson.title }),
      lesson: lessonView(stored, capabilities, initiative !== undefined),
      canChange: hasRole(request.principal?.role ?? 'viewer', 'lead'),
    });
  });

  app.get('/lessons/:id/edit', lead, async (request, reply) => {
    const stored = await lessonFrom(request);
    if (!stored) return notFound(reply);
    return formPage(request, reply, {
      title: 'Change the lesson',
      action: `/lessons/${stored.id}/edit`,
      values: lessonValues(stored.lesson),
      breadcrumbs: crumbs(
        { text: stored.lesson.title, href: `/lessons/${stored.id}` },
        { text: 'Change' },
      ),
      button: 'Save the lesson',
    });
  });

  app.post('/lessons/:id/edit', lead, async (request, reply) => {
    const stored = await lessonFrom(request);
    if (!stored) return notFound(reply);
    const values = formValuesOf(request.body);
    const evaluationId = stored.lesson.evaluationId ?? null;
    const read = await readLesson(request, values, evaluationId);
    if (!read.ok) {
      reply.code(400);
      return formPage(
        request,
        reply,
        {
          title: 'Change the lesson',
          action: `/lessons/${stored.id}/edit`,
          values,
          breadcrumbs: crumbs(
            { text: stored.lesson.title, href: `/lessons/${stored.id}` },
            { text: 'Change' },
          ),
          button: 'Save the lesson',
        },
        read.errors,
      );
    }
    const document: LessonDocument = { ...read.lesson, evaluationId };
    if (
      !(await request.scope.initiatives.updateLesson(stored.id, lessonIndex(read.lesson), document))
    ) {
      return notFound(reply);
    }
    reply.flash('Lesson saved.');
    return reply.redirect(`/lessons/${stored.id}`, 303);
  });
};
