// Delivery chains (issue 4, paper section 2.2.1): the list, creating a chain with GOV.UK forms or
// importing its JSON, the chain page (diagram, bottleneck and results), downloading the JSON, and
// changing a chain one part per page — details, inputs, stages, routing, demand and outputs. Every
// change is checked by the engine's parseChain before it is saved, and every page works without
// JavaScript. Simulation, interventions and scenarios are in chains-results.ts.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { EXIT, analyseChain, chosenTypologyCells, parseChain } from '../../domain/chain/index.ts';
import type { DeliveryChain } from '../../domain/chain/index.ts';
import {
  FieldReader,
  draftOf,
  formValues,
  issueErrors,
  readService,
  serviceFields,
  serviceKindItems,
  slugFor,
  starterChain,
  type ChainDetails,
  type Draft,
} from './edit.ts';
import { num } from './format.ts';
import { acceptSmallMultipartForms } from '../multipart.ts';
import { analysisView, stageSummary } from './view.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import type { StoredChain } from '../../storage/index.ts';
import { canEdit, chainFrom, crumbs, editCrumbs, partFrom, saveDraft } from './shared.ts';
import { notFound } from '../plugins/errors.ts';
import { weekView } from './hours.ts';

/** Largest chain file accepted by "Import a chain from JSON". */
export const IMPORT_LIMIT = 512 * 1024;

const INPUT_KINDS = [
  {
    value: 'budget',
    text: 'Budget',
    hint: 'Money spent each week, for example a grant or an overhead',
  },
  { value: 'staff', text: 'Staff', hint: 'People not already counted on a stage' },
  { value: 'equipment', text: 'Equipment', hint: 'Systems, licences, vehicles or buildings' },
] as const;

function errorsPage(errors: FormErrors) {
  return { errors: errors.list, fieldErrors: errors.byField };
}

function readDetails(body: unknown): {
  details: ChainDetails;
  errors: FormErrors | null;
  values: Record<string, unknown>;
} {
  const values = formValues(body);
  const r = new FieldReader(values);
  const details: ChainDetails = {
    name: r.text('name', 'the name of the chain'),
    description: r.text('description', 'a description', 2000, true),
    unitSingular: r.text('unitSingular', 'what one case is called', 60),
    unitPlural: r.text('unitPlural', 'what several cases are called', 60),
    outcomeName: r.text('outcomeName', 'what the outcomes are called', 100),
    hoursPerWeek: r.number('hoursPerWeek', 'the working hours in a week', { above: 0, max: 168 }),
  };
  return { details, errors: r.errors, values };
}

function detailsValues(chain: DeliveryChain): Record<string, unknown> {
  return {
    name: chain.name,
    description: chain.description ?? '',
    unitSingular: chain.unitOfWork.singular,
    unitPlural: chain.unitOfWork.plural,
    outcomeName: chain.outcomeName,
    hoursPerWeek: String(chain.hoursPerWeek),
  };
}

function stageValues(chain: DeliveryChain, stageId: string): Record<string, unknown> {
  const s = chain.stages.find((x) => x.id === stageId);
  if (s === undefined) return {};
  return {
    name: s.name,
    organisation: s.organisation,
    servers: String(s.servers),
    serverSingular: s.serverName?.singular ?? '',
    serverPlural: s.serverName?.plural ?? '',
    costPerServerHour: String(s.costPerServerHour),
    costPerCase: String(s.costPerCase),
    ...serviceFields(s.service),
  };
}

/** Where each route target is shown on the routing page, in the order of the chain. */
function routeTargets(chain: DeliveryChain, stageId: string) {
  const own = chain.stages.findIndex((s) => s.id === stageId);
  return [
    ...chain.stages.map((s, i) => ({
      id: s.id,
      field: `route-${s.id}`,
      label: i <= own ? `Sent back for rework to ${s.name}` : `On to ${s.name}`,
      hint: i === own ? 'The same stage does the work again' : s.organisation,
      rework: i <= own,
    })),
    ...chain.outputs.map((o) => ({
      id: o.id,
      field: `route-${o.id}`,
      label: `Finished: ${o.name}`,
      hint: 'An output of the chain',
      rework: false,
    })),
    {
      id: EXIT,
      field: `route-${EXIT}`,
      label: 'Leaves without an output',
      hint: 'For example, withdrawn',
      rework: false,
    },
  ];
}

type InputKind = 'budget' | 'staff' | 'equipment';

/** What the stage form reads: a stage without its id and routing. */
type StageFields = Omit<Draft['stages'][number], 'id' | 'routes'>;

export const chainRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const lead = { preHandler: requireRole('lead') };
  const signedIn = { preHandler: requireSignIn };

  /**
   * The add and change forms of one kind of part of a chain (inputs, stages, outputs) at
   * `/chains/:id/<path>/new` and `/chains/:id/<path>/:part`: the part is found (404 otherwise), its
   * form is shown with its answers, read with the form's own rules, applied to a draft of the chain,
   * checked, saved with an audit entry, and the person is sent on; every problem is shown on the
   * form with what was entered.
   */
  const partForm = <P extends { readonly id: string; readonly name: string }, F>(form: {
    readonly path: 'inputs' | 'stages' | 'outputs';
    readonly template: string;
    /** Titles of the add and the change form. */
    readonly titles: readonly [string, string];
    find(chain: DeliveryChain, id: string): P | undefined;
    /** The answers the form opens with: a new part's defaults or the stored part's. */
    values(
      existing: P | undefined,
      request: FastifyRequest,
      stored: StoredChain,
    ): Promise<Record<string, unknown>>;
    /** What else the page needs, from the answers shown. */
    context(values: Record<string, unknown>, isNew: boolean, chain: DeliveryChain): object;
    /** Reads the answers (problems go to the reader); undefined when they cannot make a part. */
    read(reader: FieldReader): F | undefined;
    /** The problem to show when `read` gives nothing but the reader has none. */
    readonly incomplete?: readonly [string, string];
    /** Adds or changes the part in the draft; returns the audit details. */
    apply(draft: Draft, existing: P | undefined, fields: F): Record<string, unknown>;
    done(
      stored: StoredChain,
      audit: Record<string, unknown>,
      fields: F,
      isNew: boolean,
    ): { flash: string; to: string };
  }) => {
    const located = async (request: FastifyRequest, isNew: boolean) => {
      const stored = await chainFrom(request);
      const partId = isNew ? undefined : partFrom(request, 'part');
      const existing = partId === undefined ? undefined : stored && form.find(stored.model, partId);
      if (!stored || (!isNew && !existing)) return undefined;
      return { stored, partId, existing };
    };
    const render = (
      reply: FastifyReply,
      where: NonNullable<Awaited<ReturnType<typeof located>>>,
      values: Record<string, unknown>,
      isNew: boolean,
      extra: object = {},
    ) => {
      const { stored, partId, existing } = where;
      const title = form.titles[isNew ? 0 : 1];
      return reply.page(form.template, {
        title,
        action: `/chains/${stored.id}/${form.path}/${partId ?? 'new'}`,
        values,
        breadcrumbs: editCrumbs(stored, existing?.name ?? title),
        ...form.context(values, isNew, stored.model),
        ...extra,
      });
    };
    const show = async (request: FastifyRequest, reply: FastifyReply, isNew: boolean) => {
      const where = await located(request, isNew);
      if (!where) return notFound(reply);
      return render(reply, where, await form.values(where.existing, request, where.stored), isNew);
    };
    const save = async (request: FastifyRequest, reply: FastifyReply, isNew: boolean) => {
      const where = await located(request, isNew);
      if (!where) return notFound(reply);
      const values = formValues(request.body);
      const r = new FieldReader(values);
      const fields = form.read(r);
      const again = (e: FormErrors) => {
        reply.code(400);
        return render(reply, where, values, isNew, errorsPage(e));
      };
      if (r.errors !== null || fields === undefined) {
        return again(
          r.errors ?? formErrors([[...(form.incomplete ?? ['name', 'Check your answers'])]]),
        );
      }
      const draft = draftOf(where.stored.model);
      const audit = form.apply(draft, where.existing, fields);
      const saved = await saveDraft(request, where.stored, draft, 'chain.updated', audit);
      if (!saved.ok) return again(issueErrors(saved.issues, 'name'));
      const next = form.done(where.stored, audit, fields, isNew);
      reply.flash(next.flash);
      return reply.redirect(next.to, 303);
    };
    app.get(`/chains/:id/${form.path}/new`, lead, (request, reply) => show(request, reply, true));
    app.post(`/chains/:id/${form.path}/new`, lead, (request, reply) => save(request, reply, true));
    app.get(`/chains/:id/${form.path}/:part`, lead, (request, reply) =>
      show(request, reply, false),
    );
    app.post(`/chains/:id/${form.path}/:part`, lead, (request, reply) =>
      save(request, reply, false),
    );
  };

  // The import form posts multipart/form-data (a file or a pasted document) with its own limit,
  // read whole in this plugin's own context, whatever parser other routes use for streamed uploads.
  acceptSmallMultipartForms(app, IMPORT_LIMIT);

  app.get('/chains', signedIn, async (request, reply) => {
    return reply.page('pages/chains/index.njk', {
      title: 'Delivery chains',
      chains: await request.scope.chains.list(),
      canEdit: canEdit(request),
      breadcrumbs: [{ text: 'Home', href: '/' }, { text: 'Delivery chains' }],
    });
  });

  // ---- create ----

  const newPage = (extra: Record<string, unknown>) => ({
    title: 'Create a chain',
    action: '/chains',
    button: 'Create chain',
    creating: true,
    breadcrumbs: crumbs(undefined, { text: 'Create a chain' }),
    ...extra,
  });

  app.get('/chains/new', lead, async (_request, reply) => {
    return reply.page(
      'pages/chains/details.njk',
      newPage({
        values: {
          unitSingular: 'case',
          unitPlural: 'cases',
          outcomeName: 'outcomes',
          hoursPerWeek: '37.5',
        },
      }),
    );
  });

  app.post('/chains', lead, async (request, reply) => {
    const { details, errors, values } = readDetails(request.body);
    if (errors !== null) {
      reply.code(400);
      return reply.page('pages/chains/details.njk', newPage({ values, ...errorsPage(errors) }));
    }
    const organisation = await request.scope.organisation();
    const parsed = parseChain(starterChain(details, organisation.name));
    if (!parsed.ok) {
      reply.code(400);
      return reply.page(
        'pages/chains/details.njk',
        newPage({ values, ...errorsPage(issueErrors(parsed.issues, 'name')) }),
      );
    }
    const id = await request.scope.chains.create(parsed.chain, 'created');
    reply.flash(
      `Chain created. It starts with one stage, one output and 10 ${details.unitPlural} a week: change them below.`,
    );
    return reply.redirect(`/chains/${id}/edit`, 303);
  });

  // ---- import ----

  const importPage = (extra: Record<string, unknown>) => ({
    title: 'Import a chain from JSON',
    limitKb: IMPORT_LIMIT / 1024,
    breadcrumbs: crumbs(undefined, { text: 'Import a chain from JSON' }),
    ...extra,
  });

  app.get('/chains/import', lead, async (_request, reply) => {
    return reply.page('pages/chains/import.njk', importPage({ values: {} }));
  });

  app.post('/chains/import', lead, async (request, reply) => {
    const body = formValues(request.body);
    const file = body.file as { fileName?: string; text?: string } | undefined;
    const fromFile = typeof file?.text === 'string' && file.text.trim() !== '';
    const text = fromFile ? (file?.text ?? '') : typeof body.json === 'string' ? body.json : '';
    const field = fromFile ? 'file' : 'json';
    const fail = (errors: FormErrors) => {
      reply.code(400);
      return reply.page(
        'pages/chains/import.njk',
        importPage({ values: { json: fromFile ? '' : text }, ...errorsPage(errors) }),
      );
    };
    if (text.trim() === '')
      return fail(formErrors([['json', 'Choose a JSON file or paste the chain’s JSON']]));
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return fail(
        formErrors([
          [
            field,
            `The ${fromFile ? 'file' : 'text'} is not valid JSON: ${error instanceof Error ? error.message : 'it could not be read'}`,
          ],
        ]),
      );
    }
    const parsed = parseChain(raw);
    if (!parsed.ok) return fail(issueErrors(parsed.issues, field));
    const id = await request.scope.chains.create(parsed.chain, 'imported');
    reply.flash(`Chain imported: ${parsed.chain.name}`);
    return reply.redirect(`/chains/${id}`, 303);
  });

  // ---- the chain page and its JSON ----

  app.get('/chains/:id', signedIn, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    const chain = stored.model;
    const analysis = analyseChain(chain);
    return reply.page('pages/chains/chain.njk', {
      title: chain.name,
      stored,
      chain,
      analysis,
      view: analysisView(chain, analysis),
      week: weekView(chain),
      rosterNotes: analysis.assumptions.filter(
        (a) =>
          (a.includes('nobody is on duty') && !a.startsWith('Approximate: staff work')) ||
          a.includes('busiest staffed hour') ||
          a.includes('shared pool'),
      ),
      interventions: chain.interventions.map((i) => ({
        id: i.id,
        name: i.name,
        description:
          i.description ?? `${i.changes.length} change${i.changes.length === 1 ? '' : 's'}`,
        cells: chosenTypologyCells(i, chain).join(', ') || 'none',
        chosen: i.typologyCells !== undefined,
      })),
      scenarios: await request.scope.chains.scenarios(stored.id),
      linkedThemes: (await request.scope.themes.linkedToChain(stored.id))
        .filter((t) => chain.stages.some((s) => s.id === t.stageId))
        .map((t) => ({
          ...t,
          stage: chain.stages.find((s) => s.id === t.stageId)?.name ?? t.stageId,
          isBottleneck: analysis.bottleneck.stageId === t.stageId,
          share: `${Math.round(t.share * 1000) / 10}%`,
        })),
      canEdit: canEdit(request),
      breadcrumbs: crumbs(undefined, { text: chain.name }),
    });
  });

  app.get('/chains/:id/download', signedIn, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${stored.model.id}.json"`)
      .send(`${JSON.stringify(stored.model, null, 2)}\n`);
  });

  // ---- changing the chain ----

  app.get('/chains/:id/edit', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    const chain = stored.model;
    const analysis = analyseChain(chain);
    return reply.page('pages/chains/edit.njk', {
      title: `Change the chain: ${chain.name}`,
      stored,
      chain,
      stages: chain.stages.map((s, i) => ({
        stage: s,
        rows: stageSummary(chain, s.id),
        unreached: (analysis.stages[i]?.visitsPerCase ?? 0) === 0,
      })),
      demand: chain.demand.map((d) => ({
        stage: chain.stages.find((s) => s.id === d.stage)?.name ?? d.stage,
        perWeek: num(d.per === 'week' ? d.rate : d.rate * chain.hoursPerWeek),
        varies: d.profile !== undefined,
      })),
      breadcrumbs: crumbs(stored, { text: 'Change the chain' }),
    });
  });

  // details
  const detailsPage = (
    stored: { id: string; name: string; revision: number },
    extra: Record<string, unknown>,
  ) => ({
    title: 'Chain details',
    action: `/chains/${stored.id}/details`,
    button: 'Save details',
    ...extra,
  });

  app.get('/chains/:id/details', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    return reply.page(
      'pages/chains/details.njk',
      detailsPage(stored, {
        values: detailsValues(stored.model),
        breadcrumbs: editCrumbs(stored, 'Chain details'),
      }),
    );
  });

  app.post('/chains/:id/details', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    const { details, errors, values } = readDetails(request.body);
    const again = (e: FormErrors) => {
      reply.code(400);
      return reply.page(
        'pages/chains/details.njk',
        detailsPage(stored, {
          values,
          breadcrumbs: editCrumbs(stored, 'Chain details'),
          ...errorsPage(e),
        }),
      );
    };
    if (errors !== null) return again(errors);
    const draft = draftOf(stored.model);
    draft.name = details.name;
    if (details.description === '') delete draft.description;
    else draft.description = details.description;
    draft.unitOfWork = { singular: details.unitSingular, plural: details.unitPlural };
    draft.outcomeName = details.outcomeName;
    draft.hoursPerWeek = details.hoursPerWeek;
    const saved = await saveDraft(request, stored, draft, 'chain.updated', { part: 'details' });
    if (!saved.ok) return again(issueErrors(saved.issues, 'name'));
    reply.flash('Chain details saved');
    return reply.redirect(`/chains/${stored.id}/edit`, 303);
  });

  // inputs
  partForm<DeliveryChain['inputs'][number], { name: string; kind: InputKind; costPerWeek: number }>(
    {
      path: 'inputs',
      template: 'pages/chains/input.njk',
      titles: ['Add an input', 'Change an input'],
      find: (chain, id) => chain.inputs.find((i) => i.id === id),
      values: (input) =>
        Promise.resolve(
          input === undefined
            ? {}
            : { name: input.name, kind: input.kind, costPerWeek: String(input.costPerWeek) },
        ),
      context: (values) => ({
        kindItems: INPUT_KINDS.map((k) => ({
          value: k.value,
          text: k.text,
          hint: { text: k.hint },
          checked: values.kind === k.value,
        })),
      }),
      read: (r) => ({
        name: r.text('name', 'the name of the input'),
        kind: r.choice(
          'kind',
          ['budget', 'staff', 'equipment'] as const,
          'Select what kind of input it is',
        ),
        costPerWeek: r.number('costPerWeek', 'the cost each week', { min: 0 }),
      }),
      apply: (draft, existing, fields) => {
        const inputs = draft.inputs ?? [];
        const target = existing && inputs.find((i) => i.id === existing.id);
        if (target) Object.assign(target, fields);
        else
          inputs.push({
            id: slugFor(
              fields.name,
              inputs.map((i) => i.id),
              'input',
            ),
            ...fields,
          });
        draft.inputs = inputs;
        return { part: 'inputs', input: fields.name };
      },
      done: (stored, _id, fields, isNew) => ({
        flash: isNew ? `Input added: ${fields.name}` : `Input saved: ${fields.name}`,
        to: `/chains/${stored.id}/edit#inputs`,
      }),
    },
  );

  // stages
  partForm<DeliveryChain['stages'][number], StageFields>({
    path: 'stages',
    template: 'pages/chains/stage.njk',
    titles: ['Add a stage', 'Change a stage'],
    find: (chain, id) => chain.stages.find((st) => st.id === id),
    values: async (stage, request, stored) =>
      stage === undefined
        ? {
            organisation: (await request.scope.organisation()).name,
            servers: '1',
            serviceKind: 'exponential',
            costPerServerHour: '0',
            costPerCase: '0',
          }
        : stageValues(stored.model, stage.id),
    context: (values, isNew) => ({ serviceItems: serviceKindItems(values.serviceKind), isNew }),
    read: (r) => {
      const name = r.text('name', 'the name of the stage', 100);
      const organisation = r.text('organisation', 'the organisation that runs the stage', 200);
      const servers = r.number('servers', 'the number of staff or machines', {
        integer: true,
        min: 1,
        max: 10_000,
      });
      const singular = r.text('serverSingular', 'what one of them is called', 60, true);
      const plural = r.text('serverPlural', 'what several of them are called', 60, true);
      if ((singular === '') !== (plural === '')) {
        r.fail(
          singular === '' ? 'serverSingular' : 'serverPlural',
          'Enter both what one of them is called and what several are called, or neither',
        );
      }
      const service = readService(r);
      const costPerServerHour = r.number('costPerServerHour', 'the cost of an hour of each', {
        min: 0,
      });
      const costPerCase = r.number('costPerCase', 'the cost for each case', { min: 0 });
      if (service === undefined) return undefined;
      return {
        name,
        organisation,
        servers,
        service,
        costPerServerHour,
        costPerCase,
        ...(singular === '' ? {} : { serverName: { singular, plural } }),
      };
    },
    incomplete: ['serviceKind', 'Check the time per case'],
    apply: (draft, existing, fields) => {
      let id = existing?.id;
      if (existing === undefined) {
        id = slugFor(
          fields.name,
          [...draft.stages.map((st) => st.id), ...draft.outputs.map((o) => o.id)],
          'stage',
        );
        const firstOutput = draft.outputs[0]?.id ?? EXIT;
        draft.stages.push({ id, ...fields, routes: [{ to: firstOutput, probability: 1 }] });
      } else {
        draft.stages = draft.stages.map((st) => {
          if (st.id !== existing.id) return st;
          const { serverName: _dropped, ...rest } = st;
          return { ...rest, ...fields, id: st.id, routes: st.routes };
        });
      }
      return { part: 'stage', stage: id, added: existing === undefined };
    },
    done: (stored, audit, fields, isNew) => {
      const id = String(audit.stage ?? '');
      return isNew
        ? {
            flash: `Stage added: ${fields.name}. Now say where its cases go next.`,
            to: `/chains/${stored.id}/stages/${id}/routing`,
          }
        : { flash: `Stage saved: ${fields.name}`, to: `/chains/${stored.id}/edit#stage-${id}` };
    },
  });

  // routing of one stage
  const routingPage = (
    stored: { id: string; name: string },
    chain: DeliveryChain,
    stageId: string,
    values: Record<string, unknown>,
    extra: Record<string, unknown>,
  ) => {
    const stage = chain.stages.find((s) => s.id === stageId);
    return {
      title: `Where ${chain.unitOfWork.plural} go after ${stage?.name ?? stageId}`,
      unit: chain.unitOfWork.plural,
      stage,
      action: `/chains/${stored.id}/stages/${stageId}/routing`,
      targets: routeTargets(chain, stageId),
      values,
      ...extra,
    };
  };

  app.get('/chains/:id/stages/:part/routing', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    const stageId = partFrom(request, 'part');
    const stage = stored?.model.stages.find((s) => s.id === stageId);
    if (!stored || !stage) return notFound(reply);
    const values = Object.fromEntries(
      stage.routes.map((r) => [`route-${r.to}`, num(r.probability * 100, 4).replace(/\.?0+$/, '')]),
    );
    return reply.page(
      'pages/chains/routing.njk',
      routingPage(stored, stored.model, stage.id, values, {
        breadcrumbs: editCrumbs(stored, `Routing: ${stage.name}`),
      }),
    );
  });

  app.post('/chains/:id/stages/:part/routing', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    const stageId = partFrom(request, 'part');
    const stage = stored?.model.stages.find((s) => s.id === stageId);
    if (!stored || !stage) return notFound(reply);
    const chain = stored.model;
    const values = formValues(request.body);
    const targets = routeTargets(chain, stage.id);
    const r = new FieldReader(values);
    const shares = targets.map((t) => ({
      target: t,
      percent:
        r.optionalNumber(t.field, `the share of cases that go ${t.label.toLowerCase()}`, {
          min: 0,
          max: 100,
        }) ?? 0,
    }));
    const again = (e: FormErrors) => {
      reply.code(400);
      return reply.page(
        'pages/chains/routing.njk',
        routingPage(stored, chain, stage.id, values, {
          breadcrumbs: editCrumbs(stored, `Routing: ${stage.name}`),
          ...errorsPage(e),
        }),
      );
    };
    if (r.errors !== null) return again(r.errors);
    const firstField = targets[0]?.field ?? 'routes';
    const total = shares.reduce((s, x) => s + x.percent, 0);
    if (Math.abs(total - 100) > 1e-4) {
      return again(
        formErrors([
          [
            firstField,
            `The shares for stage “${stage.name}” add up to ${num(total, 1).replace(/\.0$/, '')}%: they must add up to 100%`,
          ],
        ]),
      );
    }
    const before = new Map(stage.routes.map((x) => [x.to, x]));
    const routes = shares
      .filter((x) => x.percent > 0)
      .map((x) => {
        const rework = before.get(x.target.id)?.rework ?? x.target.rework;
        return {
          to: x.target.id,
          probability: x.percent / 100,
          ...(rework && x.target.id !== EXIT ? { rework: true } : {}),
        };
      });
    const draft = draftOf(chain);
    const target = draft.stages.find((s) => s.id === stage.id);
    if (target) target.routes = routes;
    const saved = await saveDraft(request, stored, draft, 'chain.updated', {
      part: 'routing',
      stage: stage.id,
    });
    // The engine's own words name the stage and the field ("stage "x": cases can never leave …").
    if (!saved.ok) return again(issueErrors(saved.issues, firstField));
    reply.flash(`Routing saved for ${stage.name}`);
    return reply.redirect(`/chains/${stored.id}/edit#stage-${stage.id}`, 303);
  });

  // demand
  const demandPage = (
    stored: { id: string },
    chain: DeliveryChain,
    values: Record<string, unknown>,
    extra: Record<string, unknown>,
  ) => ({
    title: 'Demand: where new cases arrive',
    action: `/chains/${stored.id}/demand`,
    stages: chain.stages.map((s) => ({
      id: s.id,
      field: `demand-${s.id}`,
      name: s.name,
      organisation: s.organisation,
    })),
    unit: chain.unitOfWork.plural,
    varies: chain.demand.some((d) => d.profile !== undefined),
    values,
    ...extra,
  });

  app.get('/chains/:id/demand', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    const chain = stored.model;
    const values: Record<string, string> = {};
    for (const d of chain.demand) {
      const perWeek = d.per === 'week' ? d.rate : d.rate * chain.hoursPerWeek;
      const key = `demand-${d.stage}`;
      values[key] = String(Math.round((Number(values[key] ?? 0) + perWeek) * 1e6) / 1e6);
    }
    return reply.page(
      'pages/chains/demand.njk',
      demandPage(stored, chain, values, { breadcrumbs: editCrumbs(stored, 'Demand') }),
    );
  });

  app.post('/chains/:id/demand', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    const chain = stored.model;
    const values = formValues(request.body);
    const r = new FieldReader(values);
    const rates = chain.stages.map((s) => ({
      stage: s,
      rate:
        r.optionalNumber(
          `demand-${s.id}`,
          `the new ${chain.unitOfWork.plural} a week at ${s.name}`,
          { min: 0, max: 1e7 },
        ) ?? 0,
    }));
    const again = (e: FormErrors) => {
      reply.code(400);
      return reply.page(
        'pages/chains/demand.njk',
        demandPage(stored, chain, values, {
          breadcrumbs: editCrumbs(stored, 'Demand'),
          ...errorsPage(e),
        }),
      );
    };
    if (r.errors !== null) return again(r.errors);
    if (!rates.some((x) => x.rate > 0)) {
      return again(
        formErrors([
          [
            `demand-${chain.stages[0]?.id ?? ''}`,
            `Enter the new ${chain.unitOfWork.plural} a week for at least one stage`,
          ],
        ]),
      );
    }
    const draft = draftOf(chain);
    draft.demand = rates
      .filter((x) => x.rate > 0)
      .map((x) => {
        const profile = chain.demand.find((d) => d.stage === x.stage.id)?.profile;
        return {
          stage: x.stage.id,
          rate: x.rate,
          per: 'week' as const,
          ...(profile === undefined
            ? {}
            : {
                profile: {
                  periodHours: profile.periodHours,
                  multipliers: [...profile.multipliers],
                },
              }),
        };
      });
    const saved = await saveDraft(request, stored, draft, 'chain.updated', { part: 'demand' });
    if (!saved.ok) return again(issueErrors(saved.issues, `demand-${chain.stages[0]?.id ?? ''}`));
    reply.flash('Demand saved');
    return reply.redirect(`/chains/${stored.id}/edit#demand`, 303);
  });

  // outputs
  partForm<DeliveryChain['outputs'][number], { name: string; outcomeContribution: number }>({
    path: 'outputs',
    template: 'pages/chains/output.njk',
    titles: ['Add an output', 'Change an output'],
    find: (chain, id) => chain.outputs.find((o) => o.id === id),
    values: (output) =>
      Promise.resolve(
        output === undefined
          ? {}
          : {
              name: output.name,
              percent: num(output.outcomeContribution * 100, 2).replace(/\.?0+$/, ''),
            },
      ),
    context: (_values, _isNew, chain) => ({ outcomeName: chain.outcomeName }),
    read: (r) => ({
      name: r.text('name', 'the name of the output', 100),
      outcomeContribution:
        r.number('percent', 'the share that achieves the outcome', { min: 0, max: 100 }) / 100,
    }),
    apply: (draft, existing, fields) => {
      const target = existing && draft.outputs.find((o) => o.id === existing.id);
      if (target) Object.assign(target, fields);
      else {
        const id = slugFor(
          fields.name,
          [...draft.stages.map((st) => st.id), ...draft.outputs.map((o) => o.id)],
          'output',
        );
        draft.outputs.push({ id, ...fields });
      }
      return { part: 'outputs', output: fields.name };
    },
    done: (stored, _audit, fields, isNew) => ({
      flash: isNew
        ? `Output added: ${fields.name}. Send cases to it from a stage’s routing.`
        : `Output saved: ${fields.name}`,
      to: `/chains/${stored.id}/edit#outputs`,
    }),
  });

  // removing a stage, an output, an input, or the whole chain (each confirmed on its own page)
  type Removal = { what: string; name: string; apply: (draft: Draft) => void; part: string };
  const removal = (
    chain: DeliveryChain,
    kind: string,
    partId: string | undefined,
  ): Removal | undefined => {
    if (kind === 'stages') {
      const s = chain.stages.find((x) => x.id === partId);
      if (!s) return undefined;
      return {
        what: 'stage',
        name: s.name,
        part: 'stage',
        apply: (d) => {
          d.stages = d.stages.filter((x) => x.id !== s.id);
          d.demand = d.demand.filter((x) => x.stage !== s.id);
        },
      };
    }
    if (kind === 'outputs') {
      const o = chain.outputs.find((x) => x.id === partId);
      if (!o) return undefined;
      return {
        what: 'output',
        name: o.name,
        part: 'outputs',
        apply: (d) => void (d.outputs = d.outputs.filter((x) => x.id !== o.id)),
      };
    }
    if (kind === 'inputs') {
      const i = chain.inputs.find((x) => x.id === partId);
      if (!i) return undefined;
      return {
        what: 'input',
        name: i.name,
        part: 'inputs',
        apply: (d) => void (d.inputs = (d.inputs ?? []).filter((x) => x.id !== i.id)),
      };
    }
    return undefined;
  };

  for (const kind of ['stages', 'outputs', 'inputs'] as const) {
    app.get(`/chains/:id/${kind}/:part/remove`, lead, async (request, reply) => {
      const stored = await chainFrom(request);
      const r = stored ? removal(stored.model, kind, partFrom(request, 'part')) : undefined;
      if (!stored || !r) return notFound(reply);
      return reply.page('pages/chains/remove.njk', {
        title: `Remove the ${r.what} “${r.name}”?`,
        action: request.url,
        cancel: `/chains/${stored.id}/edit`,
        button: `Remove ${r.what}`,
        breadcrumbs: editCrumbs(stored, `Remove ${r.name}`),
      });
    });
    app.post(`/chains/:id/${kind}/:part/remove`, lead, async (request, reply) => {
      const stored = await chainFrom(request);
      const r = stored ? removal(stored.model, kind, partFrom(request, 'part')) : undefined;
      if (!stored || !r) return notFound(reply);
      const draft = draftOf(stored.model);
      r.apply(draft);
      const saved = await saveDraft(request, stored, draft, 'chain.updated', {
        part: r.part,
        removed: r.name,
      });
      if (!saved.ok) {
        reply.code(400);
        return reply.page('pages/chains/remove.njk', {
          title: `Remove the ${r.what} “${r.name}”?`,
          action: request.url,
          cancel: `/chains/${stored.id}/edit`,
          button: `Remove ${r.what}`,
          breadcrumbs: editCrumbs(stored, `Remove ${r.name}`),
          blocked: true,
          ...errorsPage(issueErrors(saved.issues, 'remove')),
        });
      }
      reply.flash(`Removed the ${r.what} “${r.name}”`);
      return reply.redirect(`/chains/${stored.id}/edit`, 303);
    });
  }

  app.get('/chains/:id/delete', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    return reply.page('pages/chains/remove.njk', {
      title: `Delete the chain “${stored.name}”?`,
      body: 'Its interventions and scenarios are deleted with it. Download its JSON first if you may want it again.',
      action: `/chains/${stored.id}/delete`,
      cancel: `/chains/${stored.id}`,
      button: 'Delete chain',
      breadcrumbs: crumbs(stored, { text: 'Delete' }),
    });
  });

  app.post('/chains/:id/delete', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    await request.scope.chains.remove(stored.id);
    reply.flash(`Deleted the chain “${stored.name}”`);
    return reply.redirect('/chains', 303);
  });
};
