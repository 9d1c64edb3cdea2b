// Delivery chains, continued: simulating a chain from its page, adding interventions one change
// per page and placing each in the paper's six-cell typology (Figure 2), and the scenario
// comparison — baseline against each intervention and each saved combination, side by side with
// their uncertainty (section 2.2.1: only relieving the bottleneck raises throughput).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  TYPOLOGY_CELLS,
  analyseChain,
  applyInterventions,
  chosenTypologyCells,
  compareScenarios,
  readTypology,
  simulateChain,
  suggestTypologyCells,
} from '../../domain/chain/index.ts';
import type { DeliveryChain, ScenarioSpec, TypologyReading } from '../../domain/chain/index.ts';
import type { StoredChain } from '../../storage/index.ts';
import {
  CHANGE_KINDS,
  DAY_CHOICES,
  changeFormValues,
  changeKind,
  describeChange,
  type ChangeKind,
} from './changes.ts';
import {
  FieldReader,
  draftOf,
  formValues,
  issueErrors,
  serviceKindItems,
  slugFor,
} from './edit.ts';
import { num } from './format.ts';
import {
  EFFECT_TEXT,
  agreementView,
  comparisonSummary,
  comparisonView,
  simulationView,
  typologyLines,
} from './view.ts';
import { formErrors, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { canEdit, chainFrom, crumbs, partFrom, saveDraft, stageItems } from './shared.ts';
import { notFound } from '../plugins/errors.ts';
import {
  SIMULATION_LIMITS,
  simulationEvents,
  simulationOptions,
  tooBusyMessage,
} from '../../services/chainSimulations.ts';

// The bounds, options and event budget of a simulation are shared with the API's simulation job.
export { SIMULATION_LIMITS };
export const MAX_INTERVENTIONS = 20;
export const MAX_SCENARIOS = 10;
/** Most replications sequential stopping may add in one request. */
const MAX_REPLICATIONS = 40;

const simulationQuery = z.object({
  seed: z.coerce
    .number({ error: 'Enter the seed as a whole number' })
    .int('Enter the seed as a whole number')
    .min(SIMULATION_LIMITS.seed.min, 'The seed must be 1 or more')
    .max(SIMULATION_LIMITS.seed.max, 'The seed must be 2,147,483,647 or less'),
  replications: z.coerce
    .number({ error: 'Enter the number of runs as a whole number' })
    .int('Enter the number of runs as a whole number')
    .min(
      SIMULATION_LIMITS.replications.min,
      `Run the simulation at least ${SIMULATION_LIMITS.replications.min} times`,
    )
    .max(
      SIMULATION_LIMITS.replications.max,
      `Run the simulation at most ${SIMULATION_LIMITS.replications.max} times`,
    ),
  weeks: z.coerce
    .number({ error: 'Enter the number of weeks as a whole number' })
    .int('Enter the number of weeks as a whole number')
    .min(SIMULATION_LIMITS.weeks.min, `Simulate at least ${SIMULATION_LIMITS.weeks.min} weeks`)
    .max(SIMULATION_LIMITS.weeks.max, `Simulate at most ${SIMULATION_LIMITS.weeks.max} weeks`),
});
type SimulationSettings = z.output<typeof simulationQuery>;

const DEFAULT_SETTINGS: SimulationSettings = {
  seed: SIMULATION_LIMITS.seed.default,
  replications: SIMULATION_LIMITS.replications.default,
  weeks: SIMULATION_LIMITS.weeks.default,
};

/** Reads ?seed=&replications=&weeks= (blank fields take the defaults). */
function readSettings(query: unknown): {
  settings: SimulationSettings;
  errors: FormErrors | null;
  values: Record<string, string>;
} {
  const raw = (query ?? {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const key of ['seed', 'replications', 'weeks'] as const) {
    const v = raw[key];
    values[key] =
      typeof v === 'string' && v.trim() !== '' ? v.trim() : String(DEFAULT_SETTINGS[key]);
  }
  const parsed = simulationQuery.safeParse(values);
  if (parsed.success) return { settings: parsed.data, errors: null, values };
  return {
    settings: DEFAULT_SETTINGS,
    values,
    errors: formErrors(
      parsed.error.issues.map((i) => [String(i.path[0] ?? 'seed'), i.message] as [string, string]),
    ),
  };
}

const options = simulationOptions;
const eventEstimate = simulationEvents;

/** Most replications per scenario a comparison of `versions` chains may run within the budget. */
function replicationBudget(chain: DeliveryChain, s: SimulationSettings, versions: number): number {
  const perRun =
    eventEstimate(chain, { ...s, replications: 1 }) -
    eventEstimate(chain, { ...s, replications: 0 });
  const pilots = eventEstimate(chain, { ...s, replications: 0 }) * versions;
  const affordable =
    perRun > 0
      ? Math.floor((SIMULATION_LIMITS.events - pilots) / (perRun * versions))
      : MAX_REPLICATIONS;
  return Math.max(s.replications, Math.min(MAX_REPLICATIONS, affordable));
}

const tooBusy = tooBusyMessage;

/**
 * The Figure 2 grid, with each cell's suggestion and whether the user chose it, and the reading
 * behind it: the paper's test of each change and, per column, whether its measures moved.
 */
function typologyGrid(reading: TypologyReading, chosen: readonly number[]) {
  const suggested = reading.suggestions;
  const cell = (n: number) => {
    const c = TYPOLOGY_CELLS.find((x) => x.cell === n);
    const s = suggested.find((x) => x.cell === n);
    return { cell: n, meaning: c?.meaning ?? '', suggestion: s, chosen: chosen.includes(n) };
  };
  return {
    suggested,
    lines: typologyLines(reading),
    rows: [
      { label: 'Substitution', cells: [1, 2, 3].map(cell) },
      { label: 'Technical improvement', cells: [4, 5, 6].map(cell) },
    ],
  };
}

export const chainResultRoutes: FastifyPluginAsync<{ services: Services }> = async (app) => {
  const lead = { preHandler: requireRole('lead') };
  const signedIn = { preHandler: requireSignIn };

  // ---- simulation ----

  app.get('/chains/:id/simulate', signedIn, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    const chain = stored.model;
    const query = request.query as Record<string, unknown>;
    const run = query.run !== undefined;
    const { settings, errors, values } = readSettings(query);
    let result:
      (ReturnType<typeof simulationView> & { agreement: ReturnType<typeof agreementView> }) | null =
      null;
    let problem: FormErrors | null = run ? errors : null;
    if (run && errors === null) {
      if (eventEstimate(chain, settings) > SIMULATION_LIMITS.events) {
        problem = formErrors([['replications', tooBusy(chain)]]);
      } else {
        const simulation = simulateChain(chain, options(chain, settings));
        result = {
          ...simulationView(chain, simulation),
          agreement: agreementView(chain, analyseChain(chain), simulation),
        };
      }
    }
    if (problem !== null) reply.code(400);
    return reply.page('pages/chains/simulate.njk', {
      title: `Simulate: ${chain.name}`,
      stored,
      chain,
      values,
      settings,
      limits: SIMULATION_LIMITS,
      result,
      ...(problem === null ? {} : { errors: problem.list, fieldErrors: problem.byField }),
      breadcrumbs: crumbs(stored, { text: 'Simulate' }),
    });
  });

  // ---- interventions ----

  const interventionFrom = (stored: StoredChain | undefined, request: FastifyRequest) => {
    const iid = partFrom(request, 'iid');
    return stored?.model.interventions.find((i) => i.id === iid);
  };

  const kindItems = (chain: DeliveryChain, selected: unknown) =>
    CHANGE_KINDS.filter(
      (k) =>
        (k.needs !== 'inputs' || chain.inputs.length > 0) &&
        (k.needs !== 'calendar' || chain.calendar !== undefined),
    ).map((k) => ({
      value: k.kind,
      text: k.title,
      hint: { text: k.hint },
      checked: selected === k.kind,
    }));

  /** Page 1: what kind of change (for a new intervention, or another change to one). */
  const chooseKind = async (request: FastifyRequest, reply: FastifyReply, adding: boolean) => {
    const stored = await chainFrom(request);
    const intervention = adding ? interventionFrom(stored, request) : undefined;
    if (!stored || (adding && !intervention)) return notFound(reply);
    const base = adding
      ? `/chains/${stored.id}/interventions/${intervention?.id ?? ''}/changes/new`
      : `/chains/${stored.id}/interventions/new`;
    let errors: FormErrors | null = null;
    if (request.method === 'POST') {
      const kind = formValues(request.body).kind;
      if (typeof kind === 'string' && changeKind(kind) !== undefined)
        return reply.redirect(`${base}/${kind}`, 303);
      errors = formErrors([['kind', 'Select what the intervention changes']]);
      reply.code(400);
    }
    if (!adding && stored.model.interventions.length >= MAX_INTERVENTIONS) {
      return reply.code(400).page('pages/chains/remove.njk', {
        title: 'This chain has as many interventions as it can hold',
        body: `A chain can hold ${MAX_INTERVENTIONS} interventions. Remove one before adding another.`,
        cancel: `/chains/${stored.id}`,
        breadcrumbs: crumbs(stored, { text: 'Add an intervention' }),
      });
    }
    return reply.page('pages/chains/intervention-kind.njk', {
      title: adding ? `Add a change to “${intervention?.name ?? ''}”` : 'Add an intervention',
      adding,
      action: base,
      items: kindItems(stored.model, undefined),
      ...(errors === null ? {} : { errors: errors.list, fieldErrors: errors.byField }),
      breadcrumbs: crumbs(stored, {
        text: adding ? (intervention?.name ?? '') : 'Add an intervention',
      }),
    });
  };

  app.get('/chains/:id/interventions/new', lead, (request, reply) =>
    chooseKind(request, reply, false),
  );
  app.post('/chains/:id/interventions/new', lead, (request, reply) =>
    chooseKind(request, reply, false),
  );
  app.get('/chains/:id/interventions/:iid/changes/new', lead, (request, reply) =>
    chooseKind(request, reply, true),
  );
  app.post('/chains/:id/interventions/:iid/changes/new', lead, (request, reply) =>
    chooseKind(request, reply, true),
  );

  /** Page 2: the change's own questions (and, for a new intervention, its name). */
  const changePage = (
    stored: StoredChain,
    kind: ChangeKind,
    adding: boolean,
    values: Record<string, unknown>,
    extra: Record<string, unknown>,
  ) => {
    const chain = stored.model;
    return {
      title: kind.title,
      kind,
      adding,
      values,
      fields: kind.fields.map((f) => ({
        ...f,
        items:
          f.type === 'stage'
            ? stageItems(chain, values[f.name], f.optional)
            : f.type === 'output'
              ? chain.outputs.map((o) => ({
                  value: o.id,
                  text: o.name,
                  selected: values[f.name] === o.id,
                }))
              : f.type === 'input'
                ? chain.inputs.map((i) => ({
                    value: i.id,
                    text: i.name,
                    selected: values[f.name] === i.id,
                  }))
                : f.type === 'inputKind'
                  ? (['budget', 'staff', 'equipment'] as const).map((k) => ({
                      value: k,
                      text: k.charAt(0).toUpperCase() + k.slice(1),
                      checked: values[f.name] === k,
                    }))
                  : f.type === 'service'
                    ? serviceKindItems(values.serviceKind)
                    : f.type === 'days'
                      ? DAY_CHOICES.map((d) => ({ ...d, checked: values[f.name] === d.value }))
                      : [],
      })),
      ...extra,
    };
  };

  /**
   * The form of one change: `new` starts an intervention with it, `add` adds it to an intervention,
   * `edit` changes the intervention's change number `:index` in place.
   */
  const changeForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    mode: 'new' | 'add' | 'edit',
  ) => {
    const stored = await chainFrom(request);
    const adding = mode !== 'new';
    const intervention = adding ? interventionFrom(stored, request) : undefined;
    const params = request.params as Record<string, unknown>;
    const index = mode === 'edit' ? Number(params.index) : -1;
    const existing =
      mode === 'edit' && Number.isInteger(index) ? intervention?.changes[index] : undefined;
    const kindParam = mode === 'edit' ? existing?.kind : params.kind;
    const kind = typeof kindParam === 'string' ? changeKind(kindParam) : undefined;
    const existingValues = existing === undefined ? undefined : changeFormValues(existing);
    if (
      !stored ||
      !kind ||
      (adding && !intervention) ||
      (mode === 'edit' && existingValues === undefined)
    )
      return notFound(reply);
    const chain = stored.model;
    const title = adding ? (intervention?.name ?? '') : 'Add an intervention';
    const breadcrumbs =
      mode === 'edit' && intervention
        ? crumbs(
            stored,
            {
              text: intervention.name,
              href: `/chains/${stored.id}/interventions/${intervention.id}`,
            },
            { text: 'Change' },
          )
        : crumbs(stored, { text: title });
    const action = request.url.split('?')[0];
    const extra = { action, breadcrumbs, editing: mode === 'edit' };
    if (request.method === 'GET') {
      return reply.page(
        'pages/chains/intervention-change.njk',
        changePage(stored, kind, adding, existingValues ?? { serviceKind: 'exponential' }, extra),
      );
    }
    const values = formValues(request.body);
    const r = new FieldReader(values);
    const name = adding ? '' : r.text('name', 'a name for the intervention', 120);
    const description = adding ? '' : r.text('description', 'a description', 2000, true);
    const change = kind.read(r, chain);
    const again = (e: FormErrors) => {
      reply.code(400);
      return reply.page(
        'pages/chains/intervention-change.njk',
        changePage(stored, kind, adding, values, {
          ...extra,
          errors: e.list,
          fieldErrors: e.byField,
        }),
      );
    };
    if (r.errors !== null || change === undefined)
      return again(r.errors ?? formErrors([['form', 'Check your answers']]));
    const draft = draftOf(chain);
    const interventions = draft.interventions ?? [];
    let iid: string;
    if (intervention === undefined) {
      iid = slugFor(
        name,
        interventions.map((i) => i.id),
        'intervention',
      );
      interventions.push({
        id: iid,
        name,
        ...(description === '' ? {} : { description }),
        changes: [JSON.parse(JSON.stringify(change))],
      });
    } else {
      iid = intervention.id;
      const target = interventions.find((i) => i.id === iid);
      if (mode === 'edit') target?.changes.splice(index, 1, JSON.parse(JSON.stringify(change)));
      else target?.changes.push(JSON.parse(JSON.stringify(change)));
    }
    draft.interventions = interventions;
    // The intervention must also apply cleanly to the chain (e.g. not remove the last planner).
    const applied = applyInterventions(chain, [
      JSON.parse(JSON.stringify(interventions.find((i) => i.id === iid))),
    ]);
    if (!applied.ok)
      return again(
        issueErrors(
          applied.issues,
          kind.fields[0]?.type === 'service'
            ? 'serviceKind'
            : ((kind.fields[0] as { name?: string } | undefined)?.name ?? 'form'),
        ),
      );
    const saved = await saveDraft(
      request,
      stored,
      draft,
      adding ? 'chain.intervention_updated' : 'chain.intervention_added',
      {
        intervention: iid,
        change: change.kind,
        ...(mode === 'edit' ? { changed: index } : {}),
      },
    );
    if (!saved.ok) return again(issueErrors(saved.issues, 'name'));
    reply.flash(
      mode === 'edit'
        ? 'Change saved. Check the suggested typology cells below.'
        : adding
          ? 'Change added. Check the suggested typology cells below.'
          : `Intervention added: ${name}. Check where it sits in the typology below.`,
    );
    return reply.redirect(`/chains/${stored.id}/interventions/${iid}`, 303);
  };

  app.get('/chains/:id/interventions/new/:kind', lead, (request, reply) =>
    changeForm(request, reply, 'new'),
  );
  app.post('/chains/:id/interventions/new/:kind', lead, (request, reply) =>
    changeForm(request, reply, 'new'),
  );
  app.get('/chains/:id/interventions/:iid/changes/new/:kind', lead, (request, reply) =>
    changeForm(request, reply, 'add'),
  );
  app.post('/chains/:id/interventions/:iid/changes/new/:kind', lead, (request, reply) =>
    changeForm(request, reply, 'add'),
  );
  app.get('/chains/:id/interventions/:iid/changes/:index/edit', lead, (request, reply) =>
    changeForm(request, reply, 'edit'),
  );
  app.post('/chains/:id/interventions/:iid/changes/:index/edit', lead, (request, reply) =>
    changeForm(request, reply, 'edit'),
  );

  const interventionPage = (stored: StoredChain, iid: string, extra: Record<string, unknown>) => {
    const chain = stored.model;
    const intervention = chain.interventions.find((i) => i.id === iid);
    if (!intervention) return undefined;
    // An intervention can stop fitting the chain after the chain is changed (e.g. fewer staff than
    // it removes): say so rather than fail.
    const applied = applyInterventions(chain, [intervention]);
    const alone = applied.ok
      ? compareScenarios(chain, {
          scenarios: [
            { id: intervention.id, name: intervention.name, interventions: [intervention.id] },
          ],
          simulation: false,
        }).scenarios[0]
      : undefined;
    const findings =
      alone?.findings ??
      (applied.ok
        ? []
        : [
            `It cannot be applied to the chain as it is now: ${applied.issues.map((i) => i.message).join('; ')}.`,
          ]);
    // The same reading the comparison made, so the page and the comparison never disagree.
    const reading = alone?.interventions[0]?.typology ?? readTypology(intervention, chain);
    const chosen =
      intervention.typologyCells !== undefined
        ? chosenTypologyCells(intervention, chain)
        : reading.suggestions.map((x) => x.cell);
    return {
      title: intervention.name,
      stored,
      intervention,
      changes: intervention.changes.map((c) => ({
        text: describeChange(c, chain),
        editable: changeFormValues(c) !== undefined,
      })),
      grid: typologyGrid(reading, chosen),
      effectText: EFFECT_TEXT,
      userChose: intervention.typologyCells !== undefined,
      chosenNone:
        intervention.typologyCells !== undefined && intervention.typologyCells.length === 0,
      findings,
      breadcrumbs: crumbs(stored, { text: intervention.name }),
      ...extra,
    };
  };

  app.get('/chains/:id/interventions/:iid', signedIn, async (request, reply) => {
    const stored = await chainFrom(request);
    const intervention = interventionFrom(stored, request);
    if (!stored || !intervention) return notFound(reply);
    return reply.page('pages/chains/intervention.njk', {
      ...interventionPage(stored, intervention.id, {}),
      canEdit: canEdit(request),
    });
  });

  app.post('/chains/:id/interventions/:iid/typology', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    const intervention = interventionFrom(stored, request);
    if (!stored || !intervention) return notFound(reply);
    const raw = formValues(request.body).cells;
    const picked = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
    const none = picked.includes('none');
    const cells = [...new Set(picked.filter((c) => /^[1-6]$/.test(c)).map(Number))].sort(
      (a, b) => a - b,
    );
    let error: string | null = null;
    if (none && cells.length > 0) error = 'Select typology cells, or “None of these”, not both';
    else if (!none && cells.length === 0)
      error = 'Select at least one typology cell, or “None of these”';
    if (error !== null) {
      reply.code(400);
      const e = formErrors([['cells', error]]);
      return reply.page('pages/chains/intervention.njk', {
        ...interventionPage(stored, intervention.id, { errors: e.list, fieldErrors: e.byField }),
        canEdit: true,
      });
    }
    const draft = draftOf(stored.model);
    const target = draft.interventions?.find((i) => i.id === intervention.id);
    if (target) target.typologyCells = cells;
    const saved = await saveDraft(request, stored, draft, 'chain.intervention_classified', {
      intervention: intervention.id,
      typologyCells: cells,
      suggested: suggestTypologyCells(intervention, stored.model).map((s) => s.cell),
    });
    if (!saved.ok) return notFound(reply);
    reply.flash(
      cells.length === 0
        ? 'Saved: no typology cell'
        : `Saved: typology cell${cells.length === 1 ? '' : 's'} ${cells.join(', ')}`,
    );
    return reply.redirect(`/chains/${stored.id}/interventions/${intervention.id}`, 303);
  });

  // Removing a change from an intervention, or the whole intervention (confirmed on its own page).
  const removalOf = (stored: StoredChain, request: FastifyRequest) => {
    const intervention = interventionFrom(stored, request);
    if (!intervention) return undefined;
    const indexParam = (request.params as Record<string, unknown>).index;
    if (indexParam === undefined) {
      return {
        title: `Remove the intervention “${intervention.name}”?`,
        body: 'Scenarios that use it are removed too.',
        button: 'Remove intervention',
        apply: (draft: ReturnType<typeof draftOf>) => {
          draft.interventions = (draft.interventions ?? []).filter((i) => i.id !== intervention.id);
        },
        action: 'chain.intervention_removed' as const,
        done: `/chains/${stored.id}`,
        intervention,
      };
    }
    const index = Number(indexParam);
    const change = Number.isInteger(index) ? intervention.changes[index] : undefined;
    if (change === undefined || intervention.changes.length < 2) return undefined;
    return {
      title: 'Remove this change?',
      body: describeChange(change, stored.model),
      button: 'Remove change',
      apply: (draft: ReturnType<typeof draftOf>) => {
        const target = draft.interventions?.find((i) => i.id === intervention.id);
        if (target) target.changes = target.changes.filter((_, k) => k !== index);
      },
      action: 'chain.intervention_updated' as const,
      done: `/chains/${stored.id}/interventions/${intervention.id}`,
      intervention,
    };
  };

  for (const path of [
    '/chains/:id/interventions/:iid/remove',
    '/chains/:id/interventions/:iid/changes/:index/remove',
  ]) {
    app.get(path, lead, async (request, reply) => {
      const stored = await chainFrom(request);
      const r = stored ? removalOf(stored, request) : undefined;
      if (!stored || !r) return notFound(reply);
      return reply.page('pages/chains/remove.njk', {
        title: r.title,
        body: r.body,
        action: request.url,
        cancel: `/chains/${stored.id}/interventions/${r.intervention.id}`,
        button: r.button,
        breadcrumbs: crumbs(
          stored,
          {
            text: r.intervention.name,
            href: `/chains/${stored.id}/interventions/${r.intervention.id}`,
          },
          { text: 'Remove' },
        ),
      });
    });
    app.post(path, lead, async (request, reply) => {
      const stored = await chainFrom(request);
      const r = stored ? removalOf(stored, request) : undefined;
      if (!stored || !r) return notFound(reply);
      const draft = draftOf(stored.model);
      r.apply(draft);
      const saved = await saveDraft(request, stored, draft, r.action, {
        intervention: r.intervention.id,
        removed: r.button,
      });
      if (!saved.ok) return notFound(reply);
      reply.flash(
        r.button === 'Remove change'
          ? 'Change removed'
          : `Intervention removed: ${r.intervention.name}`,
      );
      return reply.redirect(r.done, 303);
    });
  }

  // ---- scenario comparison ----

  /** The comparison a page or its JSON download shows, from the same settings. */
  const comparisonFor = async (request: FastifyRequest, stored: StoredChain) => {
    const chain = stored.model;
    const saved = await request.scope.chains.scenarios(stored.id);
    const { settings, errors, values } = readSettings(request.query);
    const specs: ScenarioSpec[] = [
      ...chain.interventions.map((i) => ({
        id: `intervention-${i.id}`,
        name: i.name,
        interventions: [i.id],
      })),
      ...saved.map((s) => ({
        id: `scenario-${s.id}`,
        name: s.name,
        interventions: s.interventions,
      })),
    ];
    // Scenarios that no longer fit the chain are left out and named, rather than failing the page.
    const byId = new Map(chain.interventions.map((i) => [i.id, i]));
    const unusable: string[] = [];
    const usable = specs.filter((spec) => {
      const result = applyInterventions(
        chain,
        spec.interventions.flatMap((id) => byId.get(id) ?? []),
      );
      if (!result.ok) {
        unusable.push(`${spec.name}: ${result.issues.map((i) => i.message).join('; ')}`);
      }
      return result.ok;
    });
    specs.splice(0, specs.length, ...usable);
    let simulated = errors === null;
    if (simulated && eventEstimate(chain, settings) * (1 + specs.length) > SIMULATION_LIMITS.events)
      simulated = false;
    const comparison =
      specs.length === 0
        ? null
        : compareScenarios(chain, {
            scenarios: specs,
            simulation: simulated ? options(chain, settings) : false,
            maxReplications: replicationBudget(chain, settings, 1 + specs.length),
          });
    return { saved, settings, errors, values, unusable, simulated, comparison };
  };

  const comparePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    stored: StoredChain,
    extra: Record<string, unknown>,
  ) => {
    const chain = stored.model;
    const { saved, settings, errors, values, unusable, simulated, comparison } =
      await comparisonFor(request, stored);
    const formProblem = errors;
    if (formProblem !== null) reply.code(400);
    return reply.page('pages/chains/compare.njk', {
      title: `Compare interventions: ${chain.name}`,
      stored,
      chain,
      view: comparison === null ? null : comparisonView(chain, comparison),
      simulated,
      tooBusy: errors === null && !simulated ? tooBusy(chain) : null,
      unusable,
      saved: saved.map((s) => ({
        ...s,
        names: s.interventions.map(
          (id) => chain.interventions.find((i) => i.id === id)?.name ?? id,
        ),
      })),
      interventionItems: chain.interventions.map((i) => ({
        value: i.id,
        text: i.name,
        checked: false,
      })),
      canEdit: canEdit(request),
      values,
      settings,
      limits: SIMULATION_LIMITS,
      weeksText: num(settings.weeks, 0),
      ...(formProblem === null
        ? {}
        : { errors: formProblem.list, fieldErrors: formProblem.byField }),
      breadcrumbs: crumbs(stored, { text: 'Compare interventions' }),
      ...extra,
    });
  };

  app.get('/chains/:id/compare', signedIn, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    return comparePage(request, reply, stored, {});
  });

  // The comparison's figures and statistics as JSON: the same summary the page's tables are built from.
  app.get('/chains/:id/compare.json', signedIn, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    const { errors, comparison, unusable } = await comparisonFor(request, stored);
    if (errors !== null) {
      return reply
        .code(400)
        .send({ errors: errors.list.map((e) => ({ field: e.href.slice(1), message: e.text })) });
    }
    return reply
      .header('content-disposition', `attachment; filename="${stored.id}-comparison.json"`)
      .send({
        ...(comparison === null
          ? { chain: { id: stored.model.id, name: stored.model.name }, scenarios: [] }
          : comparisonSummary(stored.model, comparison)),
        leftOut: unusable,
      });
  });

  app.post('/chains/:id/scenarios', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    if (!stored) return notFound(reply);
    const values = formValues(request.body);
    const r = new FieldReader(values);
    const name = r.text('scenarioName', 'a name for the scenario', 120);
    const raw = values.interventions;
    const picked = [
      ...new Set((Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String)),
    ];
    const known = new Set(stored.model.interventions.map((i) => i.id));
    const chosen = stored.model.interventions
      .map((i) => i.id)
      .filter((id) => picked.includes(id) && known.has(id));
    if (chosen.length < 2) r.fail('interventions', 'Select at least two interventions to combine');
    const existing = await request.scope.chains.scenarios(stored.id);
    if (existing.length >= MAX_SCENARIOS)
      r.fail('scenarioName', `A chain can hold ${MAX_SCENARIOS} scenarios: delete one first`);
    if (r.errors === null) {
      const applied = applyInterventions(
        stored.model,
        stored.model.interventions.filter((i) => chosen.includes(i.id)),
      );
      if (!applied.ok) for (const issue of applied.issues) r.fail('interventions', issue.message);
    }
    if (r.errors !== null) {
      reply.code(400);
      return comparePage(request, reply, stored, {
        errors: r.errors.list,
        fieldErrors: r.errors.byField,
        scenarioValues: values,
      });
    }
    await request.scope.chains.createScenario(stored.id, name, chosen);
    reply.flash(`Scenario saved: ${name}`);
    return reply.redirect(`/chains/${stored.id}/compare`, 303);
  });

  app.post('/chains/:id/scenarios/:sid/remove', lead, async (request, reply) => {
    const stored = await chainFrom(request);
    const sid = z.uuid().safeParse((request.params as Record<string, unknown>).sid);
    if (!stored || !sid.success) return notFound(reply);
    if (!(await request.scope.chains.removeScenario(stored.id, sid.data))) return notFound(reply);
    reply.flash('Scenario deleted');
    return reply.redirect(`/chains/${stored.id}/compare`, 303);
  });
};
