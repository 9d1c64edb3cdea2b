// Answering an assessment, one GOV.UK question page per capability, for a signed-in member
// (/assessments/:id/respond) or for someone with a single-use link (/respond/:token). Drafts are
// saved on the server at every step, so a closed browser loses nothing; a link reaches only its own
// response.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkAnswerConsistency } from '../../domain/assessment/index.ts';
import {
  capabilitiesByScope,
  levelLabel,
  type Capability,
  type Framework,
  type MaturityLevel,
} from '../../domain/framework/index.ts';
import { sha256 } from '../../services/secrets.ts';
import type { OrgScope, ResponseRecord, Round, StoredAnswer } from '../../storage/index.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { hasRole, type Services } from '../principal.ts';
import { notFound } from '../plugins/errors.ts';

interface Respondent {
  readonly scope: OrgScope;
  readonly response: ResponseRecord;
  readonly round: Round;
  readonly framework: Framework;
  readonly capabilities: readonly Capability[];
  /** Where this respondent's pages live: /assessments/:id/respond or /respond/:token. */
  readonly base: string;
}

const EVIDENCE_MAX = 5000;

const answerBody = z.object({
  level: z.enum(['1', '2', '3', '4', '5', 'dont-know']).optional(),
  indicators: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
  evidence: z.string().optional().default(''),
  confidence: z.enum(['low', 'medium', 'high']).optional(),
  action: z.enum(['continue', 'later']).optional().default('continue'),
  acknowledged: z.string().optional(),
});

const LINK_TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export const respondRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  /** Resolves a member's own response for the round in the URL, creating nothing. */
  async function memberRespondent(
    request: FastifyRequest,
  ): Promise<Respondent | 'choose-group' | undefined> {
    const principal = request.principal;
    const id = z.uuid().safeParse((request.params as { id?: string }).id);
    if (!principal || !id.success || !hasRole(principal.role, 'member')) return undefined;
    const scope = request.scope;
    const round = await scope.assessments.round(id.data);
    if (!round) return undefined;
    const response = await scope.assessments.responseOfUser(round.id, principal.userId);
    if (!response) return 'choose-group';
    return build(scope, round, response, `/assessments/${round.id}/respond`);
  }

  /** Resolves the one response a single-use link was made for. */
  async function linkRespondent(request: FastifyRequest): Promise<Respondent | undefined> {
    const token = (request.params as { token?: string }).token;
    if (!token || !LINK_TOKEN.test(token)) return undefined;
    const found = await services.storage.platform.findResponseByLink(sha256(token));
    if (!found) return undefined;
    const scope = services.storage.scope(found.organisationId, {
      userId: null,
      label: `Respondent through a link (${found.label})`,
    });
    const round = await scope.assessments.round(found.roundId);
    const response = await scope.assessments.response(found.responseId);
    if (!round || !response) return undefined;
    return build(scope, round, response, `/respond/${token}`);
  }

  async function build(
    scope: OrgScope,
    round: Round,
    response: ResponseRecord,
    base: string,
  ): Promise<Respondent> {
    const framework = await services.frameworks.forRound(scope, round);
    return {
      scope,
      round,
      response,
      framework,
      capabilities: capabilitiesByScope(framework, round.scope),
      base,
    };
  }

  /**
   * Draws the page for a round that is not open, or a response already sent or withdrawn, and says
   * whether it did. It answers true or false rather than the reply: a Fastify reply is thenable, so
   * awaiting one yields undefined, and a caller testing it would go on to send a second page.
   */
  async function unavailable(reply: FastifyReply, r: Respondent): Promise<boolean> {
    if (r.response.revokedAt) {
      reply.code(404);
      await reply.page('pages/respond/unavailable.njk', {
        title: 'This link has been withdrawn',
        message: 'Ask the person who sent it to you for a new one.',
      });
      return true;
    }
    if (r.response.status === 'submitted') {
      await reply.page('pages/respond/done.njk', {
        title: 'Your answers have been sent',
        r,
        already: true,
      });
      return true;
    }
    if (r.round.status !== 'open') {
      reply.code(409);
      await reply.page('pages/respond/unavailable.njk', {
        title:
          r.round.status === 'draft'
            ? 'This assessment has not opened yet'
            : 'This assessment has closed',
        message:
          r.round.status === 'draft'
            ? `It opens on ${r.round.opensOn}. Your link will work then.`
            : 'No more answers are being accepted. Thank you for your interest.',
      });
      return true;
    }
    return false;
  }

  const answersByCapability = async (r: Respondent) =>
    new Map((await r.scope.assessments.answers(r.response.id)).map((a) => [a.capabilityId, a]));

  // ---- the handlers, shared by both ways in ----

  async function overview(request: FastifyRequest, reply: FastifyReply, r: Respondent) {
    if (await unavailable(reply, r)) return reply;
    const answers = await answersByCapability(r);
    return reply.page('pages/respond/overview.njk', {
      title: r.round.title,
      r,
      tasks: r.capabilities.map((c) => ({
        capability: c,
        status: answerStatus(answers.get(c.id)),
      })),
      answered: r.capabilities.filter((c) => isComplete(answers.get(c.id))).length,
    });
  }

  async function question(
    request: FastifyRequest,
    reply: FastifyReply,
    r: Respondent,
    state?: {
      values: { level?: string; indicators: string[]; evidence: string; confidence?: string };
      errors?: FormErrors;
      warning?: string;
    },
  ) {
    if (await unavailable(reply, r)) return reply;
    const capabilityId = (request.params as { capabilityId?: string }).capabilityId;
    const index = r.capabilities.findIndex((c) => c.id === capabilityId);
    const capability = r.capabilities[index];
    if (!capability) return notFound(reply);
    const saved = (await answersByCapability(r)).get(capability.id);
    const values = state?.values ?? {
      level: saved
        ? saved.dontKnow
          ? 'dont-know'
          : saved.level
            ? String(saved.level)
            : undefined
        : undefined,
      indicators: saved?.indicatorsSeen ?? [],
      evidence: saved?.evidence ?? '',
      confidence: saved?.confidence ?? undefined,
    };
    if (state?.errors) reply.code(400);
    return reply.page('pages/respond/question.njk', {
      title: capability.name,
      r,
      capability,
      position: { index: index + 1, of: r.capabilities.length },
      levels: capability.levels.map((level) => ({
        legend: `Level ${level.level}: ${levelLabel(r.framework, capability.scope, level.level)}`,
        description: level.description,
        items: level.indicators.map((i) => ({
          value: i.id,
          text: i.text,
          checked: values.indicators.includes(i.id),
        })),
      })),
      levelItems: [
        ...capability.levels.map((level) => ({
          value: String(level.level),
          text: `${level.level} ${levelLabel(r.framework, capability.scope, level.level)}`,
          hint: { text: level.description },
          checked: values.level === String(level.level),
        })),
        { divider: 'or' },
        { value: 'dont-know', text: 'I don’t know', checked: values.level === 'dont-know' },
      ],
      confidenceItems: ['low', 'medium', 'high'].map((c) => ({
        value: c,
        text: c.charAt(0).toUpperCase() + c.slice(1),
        checked: values.confidence === c,
      })),
      values,
      errors: state?.errors?.list,
      fieldErrors: state?.errors?.byField,
      warning: state?.warning,
      backLink: index > 0 ? `${r.base}/${r.capabilities[index - 1]?.id ?? ''}` : r.base,
    });
  }

  async function saveQuestion(request: FastifyRequest, reply: FastifyReply, r: Respondent) {
    if (await unavailable(reply, r)) return reply;
    const capabilityId = (request.params as { capabilityId?: string }).capabilityId;
    const index = r.capabilities.findIndex((c) => c.id === capabilityId);
    const capability = r.capabilities[index];
    if (!capability) return notFound(reply);
    const parsed = answerBody.safeParse(request.body ?? {});
    if (!parsed.success) {
      return question(request, reply, r, {
        values: { indicators: [], evidence: '' },
        errors: formErrors([
          ['level', 'Something in the form was not recognised. Please answer again'],
        ]),
      });
    }
    const body = parsed.data;
    // Only this capability's indicators count; anything else in the form is ignored.
    const known = new Set(capability.levels.flatMap((l) => l.indicators.map((i) => i.id)));
    const indicators = body.indicators.filter((id) => known.has(id));
    const values = {
      level: body.level,
      indicators,
      evidence: body.evidence,
      confidence: body.confidence,
    };

    const problems: [string, string][] = [];
    if (body.evidence.length > EVIDENCE_MAX) {
      problems.push([
        'evidence',
        `Evidence must be ${EVIDENCE_MAX.toLocaleString('en-GB')} characters or fewer`,
      ]);
    }
    if (body.action === 'continue') {
      if (!body.level)
        problems.push(['level', 'Select the level that fits best, or ‘I don’t know’']);
      if (body.level && body.level !== 'dont-know' && !body.confidence) {
        problems.push(['confidence', 'Select how confident you are in your answer']);
      }
    }
    if (problems.length > 0)
      return question(request, reply, r, { values, errors: formErrors(problems) });

    const level =
      body.level && body.level !== 'dont-know' ? (Number(body.level) as MaturityLevel) : null;
    const saved = await r.scope.assessments.saveAnswer(r.response.id, capability.id, {
      level,
      dontKnow: body.level === 'dont-know',
      indicatorsSeen: indicators,
      evidence: body.evidence.trim(),
      confidence: body.confidence ?? null,
    });
    if (!saved) {
      // The round closed (or the response was withdrawn) while the page was open.
      if (await unavailable(reply, { ...r, round: { ...r.round, status: 'closed' } })) return reply;
      return notFound(reply);
    }

    if (body.action === 'later') {
      return reply.page('pages/respond/saved.njk', { title: 'Your answers have been saved', r });
    }
    if (level !== null && body.acknowledged !== '1') {
      const warning = checkAnswerConsistency(r.framework, capability.id, level, indicators);
      if (warning) return question(request, reply, r, { values, warning });
    }
    const next = r.capabilities[index + 1];
    return reply.redirect(next ? `${r.base}/${next.id}` : `${r.base}/check`, 303);
  }

  async function check(
    request: FastifyRequest,
    reply: FastifyReply,
    r: Respondent,
    errors?: FormErrors,
  ) {
    if (await unavailable(reply, r)) return reply;
    const answers = await answersByCapability(r);
    if (errors) reply.code(400);
    return reply.page('pages/respond/check.njk', {
      title: 'Check your answers before sending them',
      r,
      rows: r.capabilities.map((c) => {
        const a = answers.get(c.id);
        return {
          capability: c,
          complete: isComplete(a),
          level: a?.dontKnow
            ? 'I don’t know'
            : a?.level
              ? `${a.level} ${levelLabel(r.framework, c.scope, a.level)}`
              : 'Not answered',
          indicators: a?.indicatorsSeen.length ?? 0,
          evidence: a?.evidence ?? '',
          confidence: a?.confidence ?? '',
        };
      }),
      errors: errors?.list,
    });
  }

  async function submit(request: FastifyRequest, reply: FastifyReply, r: Respondent) {
    if (await unavailable(reply, r)) return reply;
    const answers = await answersByCapability(r);
    const missing = r.capabilities.filter((c) => !isComplete(answers.get(c.id)));
    if (missing.length > 0) {
      return check(
        request,
        reply,
        r,
        formErrors(
          missing.map(
            (c) =>
              [`answer-${c.id}`, `Answer ${c.name} (you can choose ‘I don’t know’)`] as [
                string,
                string,
              ],
          ),
        ),
      );
    }
    if (!(await r.scope.assessments.submitResponse(r.response.id))) {
      await unavailable(reply, { ...r, round: { ...r.round, status: 'closed' } });
      return reply;
    }
    return reply.redirect(`${r.base}/done`, 303);
  }

  async function done(_request: FastifyRequest, reply: FastifyReply, r: Respondent) {
    if (r.response.status !== 'submitted') return reply.redirect(r.base, 303);
    return reply.page('pages/respond/done.njk', { title: 'Your answers have been sent', r });
  }

  // ---- routes: the same handlers behind both ways in ----

  type Handler = (request: FastifyRequest, reply: FastifyReply, r: Respondent) => Promise<unknown>;
  const viaMember = (handler: Handler) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.principal)
      return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`, 303);
    const r = await memberRespondent(request);
    if (r === undefined) return notFound(reply);
    if (r === 'choose-group')
      return reply.redirect(`/assessments/${(request.params as { id: string }).id}/respond`, 303);
    return handler(request, reply, r);
  };
  const viaLink = (handler: Handler) => async (request: FastifyRequest, reply: FastifyReply) => {
    const r = await linkRespondent(request);
    if (!r) {
      reply.code(404);
      return reply.page('pages/respond/unavailable.njk', {
        title: 'This link cannot be used',
        message:
          'Check you copied the whole link. If it has been withdrawn, ask the person who sent it for a new one.',
      });
    }
    return handler(request, reply, r);
  };

  // A member's own start page: choose a group the first time, then the task list.
  app.get('/assessments/:id/respond', async (request, reply) => {
    if (!request.principal)
      return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`, 303);
    const r = await memberRespondent(request);
    if (r === undefined) return notFound(reply);
    if (r !== 'choose-group') return overview(request, reply, r);
    const round = await request.scope.assessments.round((request.params as { id: string }).id);
    if (!round) return notFound(reply);
    if (round.status !== 'open') {
      reply.code(409);
      return reply.page('pages/respond/unavailable.njk', {
        title: 'This assessment is not open',
        message: 'You can answer while the round is open.',
      });
    }
    return reply.page('pages/respond/choose-group.njk', {
      title: 'Which group are you answering for?',
      round,
      groupItems: round.groups.map((g) => ({ value: g.id, text: g.name })),
    });
  });

  app.post('/assessments/:id/respond', async (request, reply) => {
    if (!request.principal) return reply.redirect('/sign-in', 303);
    const r = await memberRespondent(request);
    if (r === undefined) return notFound(reply);
    if (r !== 'choose-group') return reply.redirect(r.base, 303);
    const round = await request.scope.assessments.round((request.params as { id: string }).id);
    if (!round) return notFound(reply);
    const groupId = z.object({ groupId: z.uuid() }).safeParse(request.body);
    if (round.status !== 'open') return reply.redirect(`/assessments/${round.id}/respond`, 303);
    if (!groupId.success || !round.groups.some((g) => g.id === groupId.data.groupId)) {
      const errors = formErrors([['groupId', 'Select the group you are answering for']]);
      reply.code(400);
      return reply.page('pages/respond/choose-group.njk', {
        title: 'Which group are you answering for?',
        round,
        groupItems: round.groups.map((g) => ({ value: g.id, text: g.name })),
        errors: errors.list,
        fieldErrors: errors.byField,
      });
    }
    await request.scope.assessments.createResponse({
      roundId: round.id,
      groupId: groupId.data.groupId,
      userId: request.principal.userId,
      label: request.principal.userName,
    });
    return reply.redirect(`/assessments/${round.id}/respond`, 303);
  });

  app.get('/assessments/:id/respond/check', viaMember(check));
  app.post('/assessments/:id/respond/submit', viaMember(submit));
  app.get('/assessments/:id/respond/done', viaMember(done));
  app.get(
    '/assessments/:id/respond/:capabilityId',
    viaMember((q, s, r) => question(q, s, r)),
  );
  app.post('/assessments/:id/respond/:capabilityId', viaMember(saveQuestion));

  app.get('/respond/:token', viaLink(overview));
  app.get('/respond/:token/check', viaLink(check));
  app.post('/respond/:token/submit', viaLink(submit));
  app.get('/respond/:token/done', viaLink(done));
  app.get(
    '/respond/:token/:capabilityId',
    viaLink((q, s, r) => question(q, s, r)),
  );
  app.post('/respond/:token/:capabilityId', viaLink(saveQuestion));
};

function isComplete(a: StoredAnswer | undefined): boolean {
  return a !== undefined && (a.dontKnow || a.level !== null);
}

function answerStatus(a: StoredAnswer | undefined): { text: string; classes: string } {
  if (!a) return { text: 'Not started', classes: 'govuk-tag--grey' };
  if (isComplete(a)) return { text: 'Completed', classes: '' };
  return { text: 'In progress', classes: 'govuk-tag--light-blue' };
}
