// The delivery-chain model (paper section 2.2.1, Figure 1): inputs → stages (activities) → outputs
// → outcomes, as a versioned JSON document with a zod 4 schema. `parseChain` turns untrusted JSON
// into a checked, frozen `DeliveryChain`; every error names the field and, where there is one, the
// stage ("stage "review": routing probabilities sum to 1.2, expected 1").
//
// Units: the model clock runs in working hours (`timeUnit: "hour"`). Service times are hours of
// work per case; demand is given per hour or per week, a week being `hoursPerWeek` working hours
// (37.5 by default). Costs are money per server-hour, per case, or per week.
import { z } from 'zod';
import { calendarSchema, poolSchema, rosterSchema, shiftSchema } from './calendar.ts';
import { checkCalendar } from './rosters.ts';

/** Recursively read-only view of a value (the engine never mutates its inputs). */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The current version of the JSON form. */
export const CHAIN_SCHEMA_VERSION = 1;
/** Route target meaning "the case leaves the chain without producing an output". */
export const EXIT = 'exit';

const id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]*$/,
    'use lower-case letters, digits and hyphens (e.g. "manual-review")',
  );
const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const probability = z.number().min(0).max(1);

/** Service-time distributions; every time is in hours of work. */
export const serviceTimeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('exponential'), mean: positive }),
  z.object({ kind: z.literal('deterministic'), mean: positive }),
  z.object({ kind: z.literal('lognormal'), mean: positive, cv: positive }),
  z.object({ kind: z.literal('gamma'), mean: positive, cv: positive }),
  z.object({ kind: z.literal('erlang'), mean: positive, phases: z.number().int().min(1) }),
  z.object({ kind: z.literal('empirical'), samples: z.array(positive).min(1) }),
]);

export const nounSchema = z.object({ singular: z.string().min(1), plural: z.string().min(1) });

export const routeSchema = z.object({
  /** A stage id, an output id, or "exit" (leaves with no output, e.g. withdrawn). */
  to: z.string().min(1),
  probability,
  /** Marks a return to a stage for rework (errors found, more information needed). */
  rework: z.boolean().optional(),
});

/**
 * Why a stage is a pure delay: it holds a case for a time but has no staff and no queue (an
 * infinite-server stage). A timer or legal period, a wait on someone outside, work released in
 * batches, an automatic step taking no time, or a wait an event log could not measure.
 */
export const DELAY_KINDS = ['timer', 'external', 'batching', 'instant', 'unmeasured'] as const;
export type DelayKind = (typeof DELAY_KINDS)[number];
export const delaySchema = z.object({
  kind: z.enum(DELAY_KINDS),
  reason: z.string().min(1).max(2000),
});

export const stageSchema = z.object({
  id,
  name: z.string().min(1),
  /** The organisation that runs the stage: chains cross organisations (police → CPS → courts). */
  organisation: z.string().min(1),
  /** Staff or machines working in parallel (ignored for a delay; 1 when left out). */
  servers: z.number().int().min(1).default(1),
  /** Set on a pure delay: its time adds to lead time; it has no servers, queue or capacity. */
  delay: delaySchema.optional(),
  /**
   * Set on a staffed stage whose capacity cannot be known (e.g. calibrated from a log with
   * completion times only): its time per visit is taken as observed, no queue is modelled, and
   * no utilisation, capacity or "needs N more" is stated.
   */
  capacityUnknown: z.object({ reason: z.string().min(1).max(2000) }).optional(),
  /** What one server is called, for findings such as "needs 3 more planners". */
  serverName: nounSchema.optional(),
  service: serviceTimeSchema,
  costPerServerHour: nonNegative.default(0),
  costPerCase: nonNegative.default(0),
  routes: z.array(routeSchema).min(1),
  /** Who is on duty when (needs a chain calendar); without one, `servers` work round the clock. */
  roster: rosterSchema.optional(),
  /** The id of a staff pool this stage shares (its own `servers` and `roster` then do not apply). */
  pool: id.optional(),
  /**
   * What happens to a case in service here when its staff go off duty: `finish` (the default: a
   * hearing or a short task is finished) or `pause` (the file is put down and picked up again at
   * the next shift with the work left on it — casework that spans days, like a planner's review).
   */
  atShiftEnd: z.enum(['finish', 'pause']).optional(),
});

export const outputSchema = z.object({
  id,
  name: z.string().min(1),
  /** Share of this output that achieves the desired outcome (e.g. a just outcome), 0–1. */
  outcomeContribution: probability,
});

export const inputSchema = z.object({
  id,
  name: z.string().min(1),
  kind: z.enum(['budget', 'staff', 'equipment']),
  /** Fixed cost per week (licences, equipment, overheads); staff time on stages is costed there. */
  costPerWeek: nonNegative,
  /**
   * How many units the cost buys (10 licences, 3 vehicles); 1 when left out. Budgetary efficiency
   * is the price of one unit (paper Figure 1), so a bulk deal shows as a lower price per unit.
   */
  quantity: positive.optional(),
  /** What one unit is called ("licence"/"licences"); "unit" when left out. */
  unit: nounSchema.optional(),
  /**
   * The id of an input this one is bought instead of (an exchange, Figure 2 cell 1): prices are
   * then compared unit for unit with the input it replaces. Adding it removes that input.
   */
  replaces: z.string().min(1).optional(),
});

export const demandSchema = z.object({
  stage: z.string().min(1),
  /** Poisson arrivals: mean number of new cases per `per`. */
  rate: nonNegative,
  per: z.enum(['hour', 'week']),
  /** Optional time-varying rate: the rate is multiplied by multipliers[k] in the k-th period, cyclically. */
  profile: z.object({ periodHours: positive, multipliers: z.array(nonNegative).min(1) }).optional(),
});

const stageRef = z.string().min(1);
export const changeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('setServers'), stage: stageRef, servers: z.number().int().min(1) }),
  z.object({ kind: z.literal('addServers'), stage: stageRef, delta: z.number().int() }),
  z.object({ kind: z.literal('scaleServiceTime'), stage: stageRef, factor: positive }),
  z.object({ kind: z.literal('setService'), stage: stageRef, service: serviceTimeSchema }),
  z.object({
    kind: z.literal('setCost'),
    stage: stageRef,
    costPerServerHour: nonNegative.optional(),
    costPerCase: nonNegative.optional(),
  }),
  z.object({ kind: z.literal('setRoutes'), stage: stageRef, routes: z.array(routeSchema).min(1) }),
  /** Multiplies the stage's rework probabilities (0.5 halves errors); other routes take up the rest. */
  z.object({ kind: z.literal('scaleRework'), stage: stageRef, factor: nonNegative }),
  /** Sends an extra share of the stage's cases back for re-checking (to itself unless `to` is set). */
  z.object({
    kind: z.literal('addRework'),
    stage: stageRef,
    share: z.number().min(0).lt(1),
    to: stageRef.optional(),
  }),
  z.object({ kind: z.literal('replaceStage'), stage: stageRef, with: stageSchema }),
  z.object({
    kind: z.literal('setOutcomeContribution'),
    output: z.string().min(1),
    outcomeContribution: probability,
  }),
  z.object({ kind: z.literal('scaleDemand'), factor: nonNegative, stage: stageRef.optional() }),
  z.object({ kind: z.literal('addInput'), input: inputSchema }),
  z.object({ kind: z.literal('removeInput'), input: z.string().min(1) }),
  z.object({ kind: z.literal('setInputCost'), input: z.string().min(1), costPerWeek: nonNegative }),
  /** A new roster for a stage (or, with `pool`, for a staff pool). */
  z.object({
    kind: z.literal('setRoster'),
    stage: stageRef.optional(),
    pool: z.string().min(1).optional(),
    roster: rosterSchema,
  }),
  /** Extra hours on duty, e.g. Saturday 09:00–13:00 with 2 staff ("open on Saturday mornings"). */
  z.object({
    kind: z.literal('extendHours'),
    stage: stageRef.optional(),
    pool: z.string().min(1).optional(),
    shift: shiftSchema,
  }),
]);

export const typologyCellSchema = z.number().int().min(1).max(6);

export const interventionSchema = z.object({
  id,
  name: z.string().min(1),
  description: z.string().optional(),
  changes: z.array(changeSchema).min(1),
  /** The user's final placement in Figure 2's six cells (suggested by `suggestTypologyCells`). */
  typologyCells: z.array(typologyCellSchema).optional(),
});

export const deliveryChainSchema = z.object({
  version: z.literal(CHAIN_SCHEMA_VERSION),
  id,
  name: z.string().min(1),
  description: z.string().optional(),
  timeUnit: z.literal('hour'),
  hoursPerWeek: positive.default(37.5),
  unitOfWork: nounSchema.default({ singular: 'case', plural: 'cases' }),
  /** What an output's contribution counts, e.g. "just outcomes". */
  outcomeName: z.string().min(1).default('outcomes'),
  inputs: z.array(inputSchema).default([]),
  stages: z.array(stageSchema).min(1),
  outputs: z.array(outputSchema).min(1),
  demand: z.array(demandSchema).min(1),
  interventions: z.array(interventionSchema).default([]),
  /**
   * Opening hours and seasons: with a calendar the clock runs in calendar hours (`hoursPerWeek`
   * must be 168), demand varies by hour of the week and season, and stages may have rosters.
   */
  calendar: calendarSchema.optional(),
  /** Staff shared by several stages. */
  pools: z.array(poolSchema).optional(),
});

export type ServiceTime = DeepReadonly<z.output<typeof serviceTimeSchema>>;
export type Route = DeepReadonly<z.output<typeof routeSchema>>;
export type Stage = DeepReadonly<z.output<typeof stageSchema>>;
export type Output = DeepReadonly<z.output<typeof outputSchema>>;
export type Input = DeepReadonly<z.output<typeof inputSchema>>;
export type Demand = DeepReadonly<z.output<typeof demandSchema>>;
export type Change = DeepReadonly<z.output<typeof changeSchema>>;
export type Intervention = DeepReadonly<z.output<typeof interventionSchema>>;
export type TypologyCellNumber = 1 | 2 | 3 | 4 | 5 | 6;
export type DeliveryChain = DeepReadonly<z.output<typeof deliveryChainSchema>>;
/** The JSON form as written by a person (defaults may be left out). */
export type DeliveryChainInput = z.input<typeof deliveryChainSchema>;

/** One problem with a chain document. */
export interface ChainIssue {
  /** Dotted path to the field, e.g. "stages.2.routes". */
  readonly path: string;
  /** Plain-language message naming the stage where there is one. */
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly chain: DeliveryChain }
  | { readonly ok: false; readonly issues: readonly ChainIssue[] };

const PROBABILITY_TOLERANCE = 1e-6;

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function describePath(raw: unknown, path: readonly PropertyKey[]): string {
  // Name the stage or intervention the field belongs to, so a long file's error is easy to find.
  const [head, index, ...rest] = path;
  if (
    (head === 'stages' || head === 'interventions' || head === 'outputs') &&
    typeof index === 'number'
  ) {
    const list = (raw as Record<string, unknown> | null)?.[head];
    const item = Array.isArray(list) ? (list[index] as { id?: unknown } | undefined) : undefined;
    const label = head === 'stages' ? 'stage' : head === 'outputs' ? 'output' : 'intervention';
    const name = typeof item?.id === 'string' ? `"${item.id}"` : `#${index + 1}`;
    return rest.length > 0 ? `${label} ${name}, field "${rest.join('.')}"` : `${label} ${name}`;
  }
  return path.length > 0 ? `field "${path.join('.')}"` : 'chain';
}

/** Routing problems of one stage's routes (sum to 1, known targets). */
function checkRoutes(
  owner: string,
  routes: readonly Route[],
  stageIds: ReadonlySet<string>,
  outputIds: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const sum = routes.reduce((s, r) => s + r.probability, 0);
  if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
    problems.push(`${owner}: routing probabilities sum to ${round(sum)}, expected 1`);
  }
  const seen = new Set<string>();
  for (const route of routes) {
    if (seen.has(route.to)) problems.push(`${owner}: route to "${route.to}" is listed twice`);
    seen.add(route.to);
    const known = stageIds.has(route.to) || outputIds.has(route.to) || route.to === EXIT;
    if (!known) {
      problems.push(`${owner}: routes to "${route.to}", which is not a stage, an output or "exit"`);
    } else if (route.rework === true && !stageIds.has(route.to)) {
      problems.push(`${owner}: rework route to "${route.to}" must go back to a stage`);
    }
  }
  return problems;
}

/** A delay has no staff to cost, and a stage is either a delay or staffed. */
function checkUnqueued(stage: Stage): string[] {
  const problems: string[] = [];
  if (stage.delay !== undefined && stage.capacityUnknown !== undefined) {
    problems.push(
      `stage "${stage.id}": a delay has no staff, so its capacity cannot also be "unknown"`,
    );
  }
  if (stage.delay !== undefined && stage.costPerServerHour > 0) {
    problems.push(`stage "${stage.id}": a delay has no staff, so it cannot cost per server-hour`);
  }
  return problems;
}

/**
 * Checks the meaning of an already well-typed chain: unique ids, routing that sums to 1 and
 * targets known stages and outputs, demand at known stages, and a way out of every stage (the
 * traffic equations have a solution only if no case can circulate for ever).
 */
export function checkChain(chain: DeliveryChain): ChainIssue[] {
  const issues: ChainIssue[] = [];
  const stageIds = new Set<string>();
  const outputIds = new Set<string>();
  chain.stages.forEach((stage, i) => {
    if (stage.id === EXIT) issues.push({ path: `stages.${i}.id`, message: `"exit" is reserved` });
    if (stageIds.has(stage.id)) {
      issues.push({ path: `stages.${i}.id`, message: `stage "${stage.id}": id is used twice` });
    }
    stageIds.add(stage.id);
  });
  chain.outputs.forEach((output, i) => {
    if (output.id === EXIT) issues.push({ path: `outputs.${i}.id`, message: `"exit" is reserved` });
    if (stageIds.has(output.id) || outputIds.has(output.id)) {
      issues.push({
        path: `outputs.${i}.id`,
        message: `output "${output.id}": id is already used by a stage or output`,
      });
    }
    outputIds.add(output.id);
  });
  const inputIds = new Set<string>();
  chain.inputs.forEach((input, i) => {
    if (inputIds.has(input.id)) {
      issues.push({ path: `inputs.${i}.id`, message: `input "${input.id}": id is used twice` });
    }
    inputIds.add(input.id);
  });
  chain.inputs.forEach((input, i) => {
    // An input bought instead of another cannot be bought alongside it.
    if (
      input.replaces !== undefined &&
      (input.replaces === input.id || inputIds.has(input.replaces))
    ) {
      issues.push({
        path: `inputs.${i}.replaces`,
        message: `input "${input.id}": replaces "${input.replaces}", which is still bought`,
      });
    }
  });
  // An intervention may exchange an input for one another intervention adds.
  const knownInputs = new Set(inputIds);
  for (const intervention of chain.interventions) {
    for (const change of intervention.changes) {
      if (change.kind === 'addInput') knownInputs.add(change.input.id);
    }
  }
  chain.stages.forEach((stage, i) => {
    for (const message of checkUnqueued(stage)) issues.push({ path: `stages.${i}`, message });
  });
  chain.stages.forEach((stage, i) => {
    for (const message of checkRoutes(`stage "${stage.id}"`, stage.routes, stageIds, outputIds)) {
      issues.push({ path: `stages.${i}.routes`, message });
    }
  });
  chain.demand.forEach((demand, i) => {
    if (!stageIds.has(demand.stage)) {
      issues.push({
        path: `demand.${i}.stage`,
        message: `demand arrives at "${demand.stage}", which is not a stage`,
      });
    }
  });
  if (issues.length === 0) {
    // Every stage must be able to reach an output or the exit, or cases would circulate for ever.
    const leaves = new Set<string>();
    let changed = true;
    while (changed) {
      changed = false;
      for (const stage of chain.stages) {
        if (leaves.has(stage.id)) continue;
        const out = stage.routes.some(
          (r) => r.probability > 0 && (!stageIds.has(r.to) || leaves.has(r.to)),
        );
        if (out) {
          leaves.add(stage.id);
          changed = true;
        }
      }
    }
    chain.stages.forEach((stage, i) => {
      if (!leaves.has(stage.id)) {
        issues.push({
          path: `stages.${i}.routes`,
          message: `stage "${stage.id}": cases can never leave the chain from here (every route loops back)`,
        });
      }
    });
  }
  issues.push(...checkCalendar(chain));
  chain.interventions.forEach((intervention, i) => {
    const owner = `intervention "${intervention.id}"`;
    intervention.changes.forEach((change, j) => {
      const path = `interventions.${i}.changes.${j}`;
      if ('stage' in change && change.stage !== undefined && !stageIds.has(change.stage)) {
        issues.push({ path, message: `${owner}: changes "${change.stage}", which is not a stage` });
      }
      if (change.kind === 'addRework' && change.to !== undefined && !stageIds.has(change.to)) {
        issues.push({
          path,
          message: `${owner}: sends rework to "${change.to}", which is not a stage`,
        });
      }
      if (change.kind === 'setOutcomeContribution' && !outputIds.has(change.output)) {
        issues.push({ path, message: `${owner}: "${change.output}" is not an output` });
      }
      if (change.kind === 'removeInput' || change.kind === 'setInputCost') {
        if (!knownInputs.has(change.input)) {
          issues.push({ path, message: `${owner}: "${change.input}" is not an input` });
        }
      }
      if (change.kind === 'addInput' && change.input.replaces !== undefined) {
        if (!knownInputs.has(change.input.replaces) || change.input.replaces === change.input.id) {
          issues.push({
            path,
            message: `${owner}: "${change.input.id}" replaces "${change.input.replaces}", which is not another input`,
          });
        }
      }
    });
  });
  return issues;
}

/** Parses and checks the JSON form of a delivery chain. Never throws on bad input. */
export function parseChain(raw: unknown): ParseResult {
  const parsed = deliveryChainSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: `${describePath(raw, issue.path)}: ${issue.message}`,
      })),
    };
  }
  const chain = deepFreeze(parsed.data) as DeliveryChain;
  const issues = checkChain(chain);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, chain };
}

/** Like `parseChain` but throws one error listing every issue (for demo data and tests). */
export function parseChainOrThrow(raw: unknown): DeliveryChain {
  const result = parseChain(raw);
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('\n'));
  return result.chain;
}

/** Demand rate of one arrival stream in cases per hour (the model clock). */
export function ratePerHour(demand: Demand, hoursPerWeek: number): number {
  const base = demand.per === 'hour' ? demand.rate : demand.rate / hoursPerWeek;
  if (demand.profile === undefined) return base;
  const m = demand.profile.multipliers;
  return (base * m.reduce((s, x) => s + x, 0)) / m.length;
}

/** Mean and squared coefficient of variation of a service time (hours). */
export function serviceMoments(service: ServiceTime): { mean: number; scv: number } {
  switch (service.kind) {
    case 'exponential':
      return { mean: service.mean, scv: 1 };
    case 'deterministic':
      return { mean: service.mean, scv: 0 };
    case 'lognormal':
    case 'gamma':
      return { mean: service.mean, scv: service.cv * service.cv };
    case 'erlang':
      return { mean: service.mean, scv: 1 / service.phases };
    case 'empirical': {
      const n = service.samples.length;
      const mean = service.samples.reduce((s, x) => s + x, 0) / n;
      const variance = service.samples.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
      return { mean, scv: variance / (mean * mean) };
    }
  }
}

/** True for a pure delay (no servers, no queue). */
export function isDelay(stage: Stage): boolean {
  return stage.delay !== undefined;
}

/**
 * True when the stage forms a queue for its servers. A delay does not, nor does a stage whose
 * capacity is unknown: both hold a case for their time and no more.
 */
export function isQueued(stage: Stage): boolean {
  return stage.delay === undefined && stage.capacityUnknown === undefined;
}

/** What a stage is, for pages and findings. */
export type StageRole = 'staffed' | 'delay' | 'capacity-unknown';
export function stageRole(stage: Stage): StageRole {
  return stage.delay !== undefined
    ? 'delay'
    : stage.capacityUnknown !== undefined
      ? 'capacity-unknown'
      : 'staffed';
}

/** Plain words for the kinds of delay. */
export const DELAY_KIND_LABELS: Record<DelayKind, string> = {
  timer: 'a timer or set period',
  external: 'a wait on someone outside',
  batching: 'work released in batches',
  instant: 'an automatic step that takes no time',
  unmeasured: 'a wait the log could not measure',
};

/** What works at a stage, for tables: "3 planners", "none: a delay (…)", "unknown". */
export function staffLabel(stage: Stage): string {
  if (stage.delay !== undefined) return `none: a delay (${DELAY_KIND_LABELS[stage.delay.kind]})`;
  if (stage.capacityUnknown !== undefined) return 'not known from the evidence';
  return `${stage.servers} ${serverNoun(stage, stage.servers)}`;
}

/** "planner"/"planners" for a stage, falling back to "server"/"servers". */
export function serverNoun(stage: Stage, count: number): string {
  const noun = stage.serverName ?? { singular: 'server', plural: 'servers' };
  return count === 1 ? noun.singular : noun.plural;
}

/** JSON Schema (draft 2020-12) of the file format, for editors, API docs and other tools. */
export function chainJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(deliveryChainSchema, { io: 'input' }) as Record<string, unknown>;
}
