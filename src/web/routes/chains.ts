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
} from '../chains/edit.ts';
import { num } from '../chains/format.ts';
import { boundaryOf, parseMultipart } from '../chains/multipart.ts';
import { analysisView, stageSummary } from '../chains/view.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import {
  canEdit,
  chainFrom,
  crumbs,
  editCrumbs,
  notFound,
  partFrom,
  saveDraft,
} from './chains-shared.ts';
import { chainApiRoutes } from './chains-api.ts';
import { chainResultRoutes } from './chains-results.ts';

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

export const chainRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const lead = { preHandler: requireRole('lead') };
  const signedIn = { preHandler: requireSignIn };

  // The import form posts multipart/form-data (a file or a pasted document) with its own limit,
  // read whole in this plugin's own context, whatever parser other routes use for streamed uploads.
  if (app.hasContentTypeParser('multipart/form-data')) {
    app.removeContentTypeParser('multipart/form-data');
  }
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT },
    async (request: FastifyRequest, body: Buffer) => {
      const boundary = boundaryOf(request.headers['content-type']);
      try {
        if (boundary === undefined) throw new Error('no boundary');
        const out: Record<string, unknown> = {};
        for (const field of parseMultipart(body, boundary)) {
          const text = field.value.toString('utf8');
          out[field.name] =
            field.fileName === undefined ? text : { fileName: field.fileName, text };
        }
        return out;
      } catch {
        throw Object.assign(new Error('The form could not be read'), { statusCode: 400 });
      }
    },
  );

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
  const inputPage = (
    stored: { id: string },
    inputId: string | undefined,
    extra: Record<string, unknown>,
  ) => ({
    title: inputId === undefined ? 'Add an input' : 'Change an input',
    action:
      inputId === undefined
        ? `/chains/${stored.id}/inputs/new`
        : `/chains/${stored.id}/inputs/${inputId}`,
    kindItems: (selected: unknown) =>
      INPUT_KINDS.map((k) => ({
        value: k.value,
        text: k.text,
        hint: { text: k.hint },
        checked: selected === k.value,
      })),
    ...extra,
  });

  const showInput = async (request: FastifyRequest, reply: FastifyReply, isNew: boolean) => {
    const stored = await chainFrom(request);
    const inputId = isNew ? undefined : partFrom(request, 'part');
    const input =
      inputId === undefined ? undefined : stored?.model.inputs.find((i) => i.id === inputId);
    if (!stored || (!isNew && !input)) return notFound(reply);
    const values =
      input === undefined
        ? {}
        : { name: input.name, kind: input.kind, costPerWeek: String(input.costPerWeek) };
    const page = inputPage(stored, inputId, {
      values,
      breadcrumbs: editCrumbs(stored, isNew ? 'Add an input' : (input?.name ?? '')),
    });
    return reply.page('pages/chains/input.njk', {
      ...page,
      kindItems: page.kindItems(values.kind),
    });
  };

  const saveInput = async (request: FastifyRequest, reply: FastifyReply, isNew: boolean) => {
    const stored = await chainFrom(request);
    const inputId = isNew ? undefined : partFrom(request, 'part');
    const existing =
      inputId === undefined ? undefined : stored?.model.inputs.find((i) => i.id === inputId);
    if (!stored || (!isNew && !existing)) return notFound(reply);
    const values = formValues(request.body);
    const r = new FieldReader(values);
    const name = r.text('name', 'the name of the input');
    const kind = r.choice(
      'kind',
      ['budget', 'staff', 'equipment'] as const,
      'Select what kind of input it is',
    );
    const costPerWeek = r.number('costPerWeek', 'the cost each week', { min: 0 });
    const again = (e: FormErrors) => {
      reply.code(400);
      const page = inputPage(stored, inputId, {
        values,
        breadcrumbs: editCrumbs(stored, isNew ? 'Add an input' : (existing?.name ?? '')),
        ...errorsPage(e),
      });
      return reply.page('pages/chains/input.njk', {
        ...page,
        kindItems: page.kindItems(values.kind),
      });
    };
    if (r.errors !== null) return again(r.errors);
    const draft = draftOf(stored.model);
    const inputs = draft.inputs ?? [];
    if (existing === undefined) {
      inputs.push({
        id: slugFor(
          name,
          inputs.map((i) => i.id),
          'input',
        ),
        name,
        kind,
        costPerWeek,
      });
    } else {
      const target = inputs.find((i) => i.id === existing.id);
      if (target) Object.assign(target, { name, kind, costPerWeek });
    }
    draft.inputs = inputs;
    const saved = await saveDraft(request, stored, draft, 'chain.updated', {
      part: 'inputs',
      input: name,
    });
    if (!saved.ok) return again(issueErrors(saved.issues, 'name'));
    reply.flash(isNew ? `Input added: ${name}` : `Input saved: ${name}`);
    return reply.redirect(`/chains/${stored.id}/edit#inputs`, 303);
  };

  app.get('/chains/:id/inputs/new', lead, (request, reply) => showInput(request, reply, true));
  app.post('/chains/:id/inputs/new', lead, (request, reply) => saveInput(request, reply, true));
  app.get('/chains/:id/inputs/:part', lead, (request, reply) => showInput(request, reply, false));
  app.post('/chains/:id/inputs/:part', lead, (request, reply) => saveInput(request, reply, false));

  // stages
  const stagePage = (
    stored: { id: string },
    stageId: string | undefined,
    values: Record<string, unknown>,
    extra: Record<string, unknown>,
  ) => ({
    title: stageId === undefined ? 'Add a stage' : 'Change a stage',
    action:
      stageId === undefined
        ? `/chains/${stored.id}/stages/new`
        : `/chains/${stored.id}/stages/${stageId}`,
    values,
    serviceItems: serviceKindItems(values.serviceKind),
    ...extra,
  });

  const showStage = async (request: FastifyRequest, reply: FastifyReply, isNew: boolean) => {
    const stored = await chainFrom(request);
    const stageId = isNew ? undefined : partFrom(request, 'part');
    const stage =
      stageId === undefined ? undefined : stored?.model.stages.find((s) => s.id === stageId);
    if (!stored || (!isNew && !stage)) return notFound(reply);
    const organisation = await request.scope.organisation();
    const values =
      stage === undefined
        ? {
            organisation: organisation.name,
            servers: '1',
            serviceKind: 'exponential',
            costPerServerHour: '0',
            costPerCase: '0',
          }
        : stageValues(stored.model, stage.id);
    return reply.page(
      'pages/chains/stage.njk',
      stagePage(stored, stageId, values, {
        breadcrumbs: editCrumbs(stored, stage?.name ?? 'Add a stage'),
        isNew,
      }),
    );
  };

  const saveStage = async (request: FastifyRequest, reply: FastifyReply, isNew: boolean) => {
    const stored = await chainFrom(request);
    const stageId = isNew ? undefined : partFrom(request, 'part');
    const existing =
      stageId === undefined ? undefined : stored?.model.stages.find((s) => s.id === stageId);
    if (!stored || (!isNew && !existing)) return notFound(reply);
    const values = formValues(request.body);
    const r = new FieldReader(values);
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
    const again = (e: FormErrors) => {
      reply.code(400);
      return reply.page(
        'pages/chains/stage.njk',
        stagePage(stored, stageId, values, {
          breadcrumbs: editCrumbs(stored, existing?.name ?? 'Add a stage'),
          isNew,
          ...errorsPage(e),
        }),
      );
    };
    if (r.errors !== null || service === undefined)
      return again(r.errors ?? formErrors([['serviceKind', 'Check the time per case']]));
    const draft = draftOf(stored.model);
    const fields = {
      name,
      organisation,
      servers,
      service,
      costPerServerHour,
      costPerCase,
      ...(singular === '' ? {} : { serverName: { singular, plural } }),
    };
    let id = existing?.id;
    if (existing === undefined) {
      id = slugFor(
        name,
        [...draft.stages.map((s) => s.id), ...draft.outputs.map((o) => o.id)],
        'stage',
      );
      const firstOutput = draft.outputs[0]?.id ?? EXIT;
      draft.stages.push({ id, ...fields, routes: [{ to: firstOutput, probability: 1 }] });
    } else {
      draft.stages = draft.stages.map((s) => {
        if (s.id !== existing.id) return s;
        const { serverName: _dropped, ...rest } = s;
        return { ...rest, ...fields, id: s.id, routes: s.routes };
      });
    }
    const saved = await saveDraft(request, stored, draft, 'chain.updated', {
      part: 'stage',
      stage: id,
      added: isNew,
    });
    if (!saved.ok) return again(issueErrors(saved.issues, 'name'));
    if (isNew) {
      reply.flash(`Stage added: ${name}. Now say where its cases go next.`);
      return reply.redirect(`/chains/${stored.id}/stages/${id ?? ''}/routing`, 303);
    }
    reply.flash(`Stage saved: ${name}`);
    return reply.redirect(`/chains/${stored.id}/edit#stage-${id ?? ''}`, 303);
  };

  app.get('/chains/:id/stages/new', lead, (request, reply) => showStage(request, reply, true));
  app.post('/chains/:id/stages/new', lead, (request, reply) => saveStage(request, reply, true));
  app.get('/chains/:id/stages/:part', lead, (request, reply) => showStage(request, reply, false));
  app.post('/chains/:id/stages/:part', lead, (request, reply) => saveStage(request, reply, false));

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
  const outputPage = (
    stored: { id: string },
    outputId: string | undefined,
    chain: DeliveryChain,
    extra: Record<string, unknown>,
  ) => ({
    title: outputId === undefined ? 'Add an output' : 'Change an output',
    action:
      outputId === undefined
        ? `/chains/${stored.id}/outputs/new`
        : `/chains/${stored.id}/outputs/${outputId}`,
    outcomeName: chain.outcomeName,
    ...extra,
  });

  const showOutput = async (request: FastifyRequest, reply: FastifyReply, isNew: boolean) => {
    const stored = await chainFrom(request);
    const outputId = isNew ? undefined : partFrom(request, 'part');
    const output =
      outputId === undefined ? undefined : stored?.model.outputs.find((o) => o.id === outputId);
    if (!stored || (!isNew && !output)) return notFound(reply);
    const values =
      output === undefined
        ? {}
        : {
            name: output.name,
            percent: num(output.outcomeContribution * 100, 2).replace(/\.?0+$/, ''),
          };
    return reply.page(
      'pages/chains/output.njk',
      outputPage(stored, outputId, stored.model, {
        values,
        breadcrumbs: editCrumbs(stored, output?.name ?? 'Add an output'),
      }),
    );
  };

  const saveOutput = async (request: FastifyRequest, reply: FastifyReply, isNew: boolean) => {
    const stored = await chainFrom(request);
    const outputId = isNew ? undefined : partFrom(request, 'part');
    const existing =
      outputId === undefined ? undefined : stored?.model.outputs.find((o) => o.id === outputId);
    if (!stored || (!isNew && !existing)) return notFound(reply);
    const values = formValues(request.body);
    const r = new FieldReader(values);
    const name = r.text('name', 'the name of the output', 100);
    const percent = r.number('percent', 'the share that achieves the outcome', {
      min: 0,
      max: 100,
    });
    const again = (e: FormErrors) => {
      reply.code(400);
      return reply.page(
        'pages/chains/output.njk',
        outputPage(stored, outputId, stored.model, {
          values,
          breadcrumbs: editCrumbs(stored, existing?.name ?? 'Add an output'),
          ...errorsPage(e),
        }),
      );
    };
    if (r.errors !== null) return again(r.errors);
    const draft = draftOf(stored.model);
    if (existing === undefined) {
      const id = slugFor(
        name,
        [...draft.stages.map((s) => s.id), ...draft.outputs.map((o) => o.id)],
        'output',
      );
      draft.outputs.push({ id, name, outcomeContribution: percent / 100 });
    } else {
      const target = draft.outputs.find((o) => o.id === existing.id);
      if (target) Object.assign(target, { name, outcomeContribution: percent / 100 });
    }
    const saved = await saveDraft(request, stored, draft, 'chain.updated', {
      part: 'outputs',
      output: name,
    });
    if (!saved.ok) return again(issueErrors(saved.issues, 'name'));
    reply.flash(
      isNew
        ? `Output added: ${name}. Send cases to it from a stage’s routing.`
        : `Output saved: ${name}`,
    );
    return reply.redirect(`/chains/${stored.id}/edit#outputs`, 303);
  };

  app.get('/chains/:id/outputs/new', lead, (request, reply) => showOutput(request, reply, true));
  app.post('/chains/:id/outputs/new', lead, (request, reply) => saveOutput(request, reply, true));
  app.get('/chains/:id/outputs/:part', lead, (request, reply) => showOutput(request, reply, false));
  app.post('/chains/:id/outputs/:part', lead, (request, reply) =>
    saveOutput(request, reply, false),
  );

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

  await app.register(chainResultRoutes);
  await app.register(chainApiRoutes);
};
