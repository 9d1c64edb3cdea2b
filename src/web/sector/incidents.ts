// Incident and near-miss reporting as pages (issue 15, point 6; paper section 4.4).
//  - /sector/incidents/new — anyone signed in at a member organisation reports, anonymously if they
//    choose, after reading the institution's threshold for independent review.
//  - /sector/incidents — the member's triage role (its admins) sees its reports; other staff see
//    only the rule and the way to report. The institution sees its rule (and publishes new
//    versions), reports by class and month across active members, and the reports its rule sends
//    to independent review — never who reported anything.
//  - /sector/incidents/:id — the triage role's page: the report, its reporter when one was named,
//    the decision aid, the follow-up the class requires, closing, and turning it into a lesson.
// Triage sits with the member's admins, not the institution: the paper separates the non-punitive
// reporting channel (learning, inside the organisation) from independent review (accountability),
// and a reporter's name reaching the accountability side would close the learning channel.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { COMPETENCY_WORDS } from '../../domain/initiatives/lessons.ts';
import { AMBITIONS } from '../../domain/initiatives/types.ts';
import { EVALUATION_OUTCOMES, OUTCOME_WORDS } from '../../domain/initiatives/evaluation.ts';
import {
  CLASS_WORDS,
  INCIDENT_KIND_WORDS,
  INCIDENT_STATUS_WORDS,
  JUST_CULTURE_CLASSES,
  SEVERITIES,
  SEVERITY_WORDS,
  TRIAGE_QUESTIONS,
  isJustCultureClass,
  isSeverity,
  parseStoredRule as reviewRuleFromDocument,
  reviewRuleForm,
  ruleSentences,
  systemKey,
  triage,
  type TriageAnswers,
  type TriageQuestionId,
} from '../../domain/sector/index.ts';
import {
  incidentToLesson,
  lessonFromIncident,
  ruleInForce,
  ruleVersion,
  triageIncident,
} from '../../services/sectorIncidents.ts';
import type { Organisation, StoredIncident } from '../../storage/index.ts';
import { formErrors, parseForm, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import { notFound } from '../plugins/errors.ts';
import { hasRole, type Services } from '../principal.ts';
import { dateWords } from './view.ts';

const uuid = z.uuid();
const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' && uuid.safeParse(value).success ? value : undefined;

const AMBITION_LABELS: Record<string, string> = {
  pilot: 'An off-the-shelf tool or low-risk pilot',
  bespoke: 'A bespoke or high-stakes system',
  'system-wide': 'A system-wide change',
};

const reportSchema = z.object({
  institutionId: z.uuid({ error: 'Choose the institution whose rule applies' }),
  kind: z.enum(['incident', 'near_miss'], { error: 'Choose incident or near miss' }),
  title: z
    .string({ error: 'Enter a short title' })
    .trim()
    .min(1, 'Enter a short title')
    .max(200, 'The title must be 200 characters or fewer'),
  systemName: z
    .string({ error: 'Enter the AI system’s name' })
    .trim()
    .min(1, 'Enter the AI system’s name')
    .max(120, 'The system’s name must be 120 characters or fewer'),
  competency: z.enum(Object.keys(COMPETENCY_WORDS) as [string, ...string[]], {
    error: 'Choose the kind of AI',
  }),
  whatHappened: z
    .string({ error: 'Say what happened' })
    .trim()
    .min(1, 'Say what happened')
    .max(5000, 'What happened must be 5,000 characters or fewer'),
  occurredOn: z
    .string({ error: 'Enter the date it happened' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date it happened, like 2026-11-30')
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'Enter a real date')
    .refine(
      (d) => d <= new Date().toISOString().slice(0, 10),
      'The date it happened must be today or in the past',
    ),
  harmToPublic: z.enum(['yes', 'no'], { error: 'Say whether harm reached the public' }),
  severity: z
    .string({ error: 'Choose how serious it was' })
    .regex(/^[1-5]$/, 'Choose how serious it was')
    .transform(Number),
  identity: z.enum(['named', 'anonymous'], {
    error: 'Choose whether to give your name or report anonymously',
  }),
});

const yesNo = z.enum(['yes', 'no']).optional();
const triageSchema = z.object({
  knowingRisk: yesNo,
  sanctionedTrial: yesNo,
  departedFromProcedure: yesNo,
  othersWouldToo: yesNo,
  followUp: z
    .string()
    .trim()
    .max(4000, 'The follow-up must be 4,000 characters or fewer')
    .default(''),
  intent: z.enum(['check', 'save']).default('save'),
});

const lessonSchema = z.object({
  whatWeWouldDoDifferently: z
    .string({ error: 'Say what you would do differently' })
    .trim()
    .min(1, 'Say what you would do differently')
    .max(5000, 'This must be 5,000 characters or fewer'),
  ambition: z.enum(AMBITIONS as [string, ...string[]], { error: 'Choose the kind of AI project' }),
  outcome: z.enum(EVALUATION_OUTCOMES as [string, ...string[]], {
    error: 'Choose how the AI system’s use turned out',
  }),
  share: z.enum(['yes', 'no'], { error: 'Choose whether to share the lesson with the sector' }),
});

type Crumb = { text: string; href?: string };
const crumbs = (...rest: Crumb[]): Crumb[] => [
  { text: 'Home', href: '/' },
  { text: 'Sector', href: '/sector' },
  ...rest,
];

const isInstitution = (o: Organisation) => o.kind === 'strategic_institution';

function incidentRow(i: StoredIncident) {
  return {
    id: i.id,
    title: i.title,
    kind: INCIDENT_KIND_WORDS[i.kind],
    system: i.systemName,
    severity: isSeverity(i.severity) ? SEVERITY_WORDS[i.severity].label : String(i.severity),
    reportedOn: dateWords(i.reportedOn),
    status: INCIDENT_STATUS_WORDS[i.status],
    class: isJustCultureClass(i.class) ? CLASS_WORDS[i.class].label : 'Not yet triaged',
    refer: i.refer === true,
  };
}

function ruleView(r: {
  version: number;
  rule: Parameters<typeof ruleSentences>[0];
  publishedAt: string | null;
}) {
  return {
    version: r.version,
    sentences: ruleSentences(r.rule),
    publishedAt: r.publishedAt ? dateWords(r.publishedAt) : null,
    rule: r.rule,
  };
}

export const sectorIncidentRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const signedIn = { preHandler: requireSignIn };
  const admin = { preHandler: requireRole('admin') };

  const activeMemberships = async (request: FastifyRequest) =>
    (await request.scope.sector.memberships()).filter((m) => m.status === 'active');

  // ---- reporting ----

  const newPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FormErrors; values?: Record<string, unknown> } = {},
  ) => {
    const memberships = await activeMemberships(request);
    if (memberships.length === 0) return notFound(reply);
    const values = extra.values ?? {};
    const chosen =
      memberships.find((m) => m.institutionId === values.institutionId) ?? memberships[0];
    const rules = [];
    for (const m of memberships)
      rules.push({
        institutionName: m.institutionName,
        ...ruleView(await ruleInForce(request.scope, m.institutionId)),
      });
    return reply.page('pages/sector/incidents/new.njk', {
      title: 'Report an AI incident or near miss',
      breadcrumbs: crumbs({ text: 'Report an incident or near miss' }),
      rules,
      institutions: memberships.map((m) => ({
        value: m.institutionId,
        text: m.institutionName,
        checked: m.institutionId === chosen?.institutionId,
      })),
      single: memberships.length === 1 ? memberships[0] : null,
      competencies: Object.entries(COMPETENCY_WORDS).map(([value, text]) => ({
        value,
        text: text.charAt(0).toUpperCase() + text.slice(1),
        selected: values.competency === value,
      })),
      severities: SEVERITIES.map((s) => ({
        value: String(s),
        text: SEVERITY_WORDS[s].label,
        hint: { text: SEVERITY_WORDS[s].hint },
        checked: values.severity === String(s),
      })),
      values,
      errors: extra.errors?.list,
      fieldErrors: extra.errors?.byField,
    });
  };

  app.get('/sector/incidents/new', signedIn, async (request, reply) => newPage(request, reply));

  app.post('/sector/incidents', signedIn, async (request, reply) => {
    const memberships = await activeMemberships(request);
    if (memberships.length === 0) return notFound(reply);
    const body = { ...((request.body as Record<string, unknown>) ?? {}) };
    if (memberships.length === 1 && body.institutionId === undefined)
      body.institutionId = memberships[0]?.institutionId;
    const form = parseForm(reportSchema, body);
    if (!form.ok) {
      reply.code(400);
      return newPage(request, reply, { errors: form.errors, values: form.values });
    }
    const d = form.data;
    if (!memberships.some((m) => m.institutionId === d.institutionId)) {
      reply.code(400);
      return newPage(request, reply, {
        errors: formErrors([['institutionId', 'Choose an institution you are a member of']]),
        values: body,
      });
    }
    await request.scope.sectorIncidents.report({
      institutionId: d.institutionId,
      kind: d.kind,
      title: d.title,
      systemName: d.systemName,
      systemKey: systemKey(d.systemName),
      competency: d.competency,
      whatHappened: d.whatHappened,
      occurredOn: d.occurredOn,
      harmToPublic: d.harmToPublic === 'yes',
      severity: d.severity,
      anonymous: d.identity === 'anonymous',
    });
    reply.flash(
      d.identity === 'anonymous'
        ? 'Thank you. Your report was received anonymously: your name was not recorded anywhere.'
        : 'Thank you. Your report was received. Only the people who triage reports can see your name.',
    );
    return reply.redirect('/sector/incidents', 303);
  });

  // ---- lists ----

  app.get('/sector/incidents', signedIn, async (request, reply) => {
    const organisation = await request.scope.organisation();
    const role = request.principal?.role ?? 'viewer';
    if (isInstitution(organisation)) {
      const current = await ruleInForce(request.scope, organisation.id);
      const history = await request.scope.sectorIncidents.ruleHistory(organisation.id);
      const counts = await request.scope.sectorIncidentReader.classCounts();
      const referred = await request.scope.sectorIncidentReader.referred();
      const byClass = [...JUST_CULTURE_CLASSES, null].map((c) => ({
        label: c === null ? 'Not yet triaged' : CLASS_WORDS[c].label,
        response: c === null ? '' : CLASS_WORDS[c].response,
        incidents: counts
          .filter((x) => x.class === c && x.kind === 'incident')
          .reduce((a, x) => a + x.count, 0),
        nearMisses: counts
          .filter((x) => x.class === c && x.kind === 'near_miss')
          .reduce((a, x) => a + x.count, 0),
      }));
      return reply.page('pages/sector/incidents/institution.njk', {
        title: 'AI incidents in the sector',
        breadcrumbs: crumbs({ text: 'AI incidents' }),
        current: ruleView(current),
        history: history.map((h) => ({
          version: h.version,
          publishedAt: dateWords(h.createdAt),
          sentences: ruleSentences(
            (current.version === h.version ? current.rule : undefined) ??
              reviewRuleFromDocument(h.rule),
          ),
        })),
        byClass,
        total: counts.reduce((a, x) => a + x.count, 0),
        referred: referred.map((r) => ({
          ...r,
          kind: INCIDENT_KIND_WORDS[r.kind],
          severity: isSeverity(r.severity) ? SEVERITY_WORDS[r.severity].label : '',
          class: isJustCultureClass(r.class) ? CLASS_WORDS[r.class].label : 'Not yet triaged',
          reportedOn: dateWords(r.reportedOn),
        })),
        canEdit: hasRole(role, 'admin'),
        ruleErrors: undefined,
        values: ruleValues(current.rule),
        severityItems: severityItems(current.rule.severityAtLeast),
      });
    }
    const memberships = await activeMemberships(request);
    if (memberships.length === 0) return notFound(reply);
    const triager = hasRole(role, 'admin');
    return reply.page('pages/sector/incidents/index.njk', {
      title: 'AI incidents and near misses',
      breadcrumbs: crumbs({ text: 'AI incidents and near misses' }),
      triager,
      incidents: triager ? (await request.scope.sectorIncidents.list()).map(incidentRow) : [],
    });
  });

  app.post('/sector/incidents/rule', admin, async (request, reply) => {
    const organisation = await request.scope.organisation();
    if (!isInstitution(organisation)) return notFound(reply);
    const form = parseForm(reviewRuleForm, request.body);
    if (!form.ok) {
      reply.code(400);
      const current = await ruleInForce(request.scope, organisation.id);
      return reply.page('pages/sector/incidents/rule-error.njk', {
        title: 'Threshold for independent review',
        breadcrumbs: crumbs(
          { text: 'AI incidents', href: '/sector/incidents' },
          { text: 'Threshold' },
        ),
        current: ruleView(current),
        values: form.values,
        severityItems: severityItems(
          typeof form.values.severityAtLeast === 'string' &&
            /^[1-5]$/.test(form.values.severityAtLeast)
            ? Number(form.values.severityAtLeast)
            : null,
        ),
        errors: form.errors.list,
        fieldErrors: form.errors.byField,
      });
    }
    const version = await request.scope.sectorIncidents.publishRule(form.data);
    reply.flash(
      `Version ${version} of the threshold is published. Reporters see it before they submit, and reports triaged from now on are judged by it.`,
    );
    return reply.redirect('/sector/incidents', 303);
  });

  // ---- triage ----

  const ownIncident = async (request: FastifyRequest) => {
    const id = idOf((request.params as Record<string, unknown>).id);
    return id ? request.scope.sectorIncidents.get(id) : undefined;
  };

  const incidentPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    incident: StoredIncident,
    extra: {
      errors?: FormErrors;
      answers?: TriageAnswers;
      followUp?: string;
      lessonValues?: Record<string, unknown>;
    } = {},
  ) => {
    const answers = extra.answers ?? (incident.answers as TriageAnswers | null) ?? {};
    const outcome = triage(answers);
    const onPath = new Set(outcome.path.map((s) => s.id));
    const cls = outcome.class;
    const rule = await ruleInForce(request.scope, incident.institutionId);
    const judgedBy =
      incident.ruleVersion === null
        ? null
        : ruleSentences(
            await ruleVersion(request.scope, incident.institutionId, incident.ruleVersion),
          );
    const membership = (await request.scope.sector.memberships()).find(
      (m) => m.institutionId === incident.institutionId,
    );
    return reply.page('pages/sector/incidents/show.njk', {
      title: incident.title,
      breadcrumbs: crumbs(
        { text: 'AI incidents and near misses', href: '/sector/incidents' },
        { text: incident.title },
      ),
      incident: {
        ...incidentRow(incident),
        whatHappened: incident.whatHappened,
        occurredOn: dateWords(incident.occurredOn),
        competency: COMPETENCY_WORDS[incident.competency as keyof typeof COMPETENCY_WORDS] ?? '',
        harmToPublic: incident.harmToPublic ? 'Yes' : 'No',
        statusKey: incident.status,
        followUp: incident.followUp,
        reasons: incident.reviewReasons,
        ruleVersion: incident.ruleVersion,
        closingNote: incident.closingNote,
        closedOn: incident.closedOn ? dateWords(incident.closedOn) : null,
        lessonId: incident.lessonId,
        exchangeItemId: incident.exchangeItemId,
      },
      institutionName: membership?.institutionName ?? 'the institution',
      reporter: await request.scope.sectorIncidents.reporter(incident.id),
      questions: TRIAGE_QUESTIONS.map((q) => ({
        ...q,
        onPath: onPath.has(q.id),
        items: [
          { value: 'yes', text: 'Yes', checked: answers[q.id] === true },
          { value: 'no', text: 'No', checked: answers[q.id] === false },
        ],
      })),
      decided: cls ? { key: cls, ...CLASS_WORDS[cls] } : null,
      next: outcome.next,
      followUp: extra.followUp ?? incident.followUp ?? '',
      rule: ruleView(rule),
      judgedBy,
      lessonAmbitions: AMBITIONS.map((a) => ({
        value: a,
        text: AMBITION_LABELS[a] ?? a,
        checked: extra.lessonValues?.ambition === a,
      })),
      lessonOutcomes: EVALUATION_OUTCOMES.map((o) => ({
        value: o,
        text: `The use of the system ${OUTCOME_WORDS[o]}`,
        checked: extra.lessonValues?.outcome === o,
      })),
      lessonValues: extra.lessonValues ?? {},
      errors: extra.errors?.list,
      fieldErrors: extra.errors?.byField,
    });
  };

  app.get('/sector/incidents/:id', admin, async (request, reply) => {
    const incident = await ownIncident(request);
    if (!incident) return notFound(reply);
    return incidentPage(request, reply, incident);
  });

  app.post('/sector/incidents/:id/triage', admin, async (request, reply) => {
    const incident = await ownIncident(request);
    if (!incident || incident.status === 'closed') return notFound(reply);
    const form = parseForm(triageSchema, request.body);
    if (!form.ok) {
      reply.code(400);
      return incidentPage(request, reply, incident, { errors: form.errors });
    }
    const answers: TriageAnswers = {};
    for (const q of TRIAGE_QUESTIONS) {
      const v = form.data[q.id as TriageQuestionId];
      if (v !== undefined) answers[q.id] = v === 'yes';
    }
    const outcome = triage(answers);
    if (outcome.class === null) {
      reply.code(400);
      const q = TRIAGE_QUESTIONS.find((x) => x.id === outcome.next);
      return incidentPage(request, reply, incident, {
        answers,
        followUp: form.data.followUp,
        errors: formErrors([
          [`q-${outcome.next ?? 'knowingRisk'}`, `Answer: ${q?.question ?? ''}`],
        ]),
      });
    }
    if (form.data.intent === 'check' || form.data.followUp === '') {
      if (form.data.intent !== 'check') reply.code(400);
      return incidentPage(request, reply, incident, {
        answers,
        followUp: form.data.followUp,
        ...(form.data.intent === 'check'
          ? {}
          : {
              errors: formErrors([
                [
                  'followUp',
                  `Enter the follow-up: ${CLASS_WORDS[outcome.class].followUp.toLowerCase()}`,
                ],
              ]),
            }),
      });
    }
    const result = await triageIncident(request.scope, incident, answers, form.data.followUp);
    if (!result.ok) return notFound(reply);
    reply.flash(
      `Triaged as ${CLASS_WORDS[outcome.class].label.toLowerCase()}: ${CLASS_WORDS[outcome.class].response.toLowerCase()}.${result.refer ? ' Under the published threshold this report goes to independent review.' : ''}`,
    );
    return reply.redirect(`/sector/incidents/${incident.id}`, 303);
  });

  app.post('/sector/incidents/:id/close', admin, async (request, reply) => {
    const incident = await ownIncident(request);
    if (!incident || incident.status !== 'triaged') return notFound(reply);
    const form = parseForm(
      z.object({
        closingNote: z
          .string({ error: 'Say what was done' })
          .trim()
          .min(1, 'Say what was done about the follow-up')
          .max(4000, 'The note must be 4,000 characters or fewer'),
      }),
      request.body,
    );
    if (!form.ok) {
      reply.code(400);
      return incidentPage(request, reply, incident, { errors: form.errors });
    }
    await request.scope.sectorIncidents.close(incident.id, form.data.closingNote);
    reply.flash('Report closed.');
    return reply.redirect(`/sector/incidents/${incident.id}`, 303);
  });

  app.post('/sector/incidents/:id/lesson', admin, async (request, reply) => {
    const incident = await ownIncident(request);
    if (!incident || incident.status !== 'closed' || incident.lessonId !== null)
      return notFound(reply);
    const form = parseForm(lessonSchema, request.body);
    if (!form.ok) {
      reply.code(400);
      return incidentPage(request, reply, incident, {
        errors: form.errors,
        lessonValues: form.values,
      });
    }
    const lesson = lessonFromIncident(incident, {
      whatWeWouldDoDifferently: form.data.whatWeWouldDoDifferently,
      ambition: form.data.ambition as (typeof AMBITIONS)[number],
      outcome: form.data.outcome as (typeof EVALUATION_OUTCOMES)[number],
    });
    const { exchangeItemId } = await incidentToLesson(
      request.scope,
      incident,
      lesson,
      form.data.share === 'yes',
    );
    reply.flash(
      exchangeItemId
        ? 'The lesson is in your lessons repository and shared with the sector.'
        : 'The lesson is in your lessons repository.',
    );
    return reply.redirect(`/sector/incidents/${incident.id}`, 303);
  });
};

function severityItems(selected: number | null) {
  return [
    { value: '', text: 'Not used', selected: selected === null },
    ...SEVERITIES.map((s) => ({
      value: String(s),
      text: `${SEVERITY_WORDS[s].label} or worse`,
      selected: selected === s,
    })),
  ];
}

function ruleValues(rule: ReturnType<typeof reviewRuleFromDocument>) {
  return {
    harmToPublic: rule.harmToPublic,
    repeatsAtLeast: rule.repeatsAtLeast === null ? '' : String(rule.repeatsAtLeast),
    windowDays: String(rule.windowDays),
    recklessConduct: rule.recklessConduct,
  };
}
