// Interventions: what an initiative changes in a delivery chain — a stage's servers, speed, cost,
// rework; extra or less work at another stage (the downstream verification effect, paper section
// 2.2.1); a stage replaced by a different one; an output's contribution to outcomes; demand; inputs.
// `applyInterventions` returns a new chain and never mutates the one given.
import { checkChain } from './model.ts';
import type {
  Change,
  ChainIssue,
  DeliveryChain,
  Intervention,
  ParseResult,
  Route,
  ServiceTime,
  Stage,
} from './model.ts';

/** The same distribution with every duration multiplied by `factor` (0.7 = 30% faster). */
export function scaleService(service: ServiceTime, factor: number): ServiceTime {
  if (service.kind === 'empirical') {
    return { kind: 'empirical', samples: service.samples.map((x) => x * factor) };
  }
  return { ...service, mean: service.mean * factor };
}

function rescaleRework(routes: readonly Route[], factor: number): Route[] | string {
  const rework = routes.filter((r) => r.rework === true).reduce((s, r) => s + r.probability, 0);
  const scaled = rework * factor;
  if (scaled > 1 + 1e-9) return `rework would rise to ${scaled.toFixed(2)}, above 1`;
  if (rework >= 1 - 1e-12) return 'every route is rework, so nothing can take up the change';
  const rest = (1 - scaled) / (1 - rework);
  return routes.map((r) => ({
    ...r,
    probability: r.probability * (r.rework === true ? factor : rest),
  }));
}

function addRework(routes: readonly Route[], share: number, to: string): Route[] {
  const kept = routes.map((r) => ({ ...r, probability: r.probability * (1 - share) }));
  const existing = kept.find((r) => r.to === to);
  if (existing !== undefined) {
    return kept.map((r) =>
      r === existing ? { ...r, probability: r.probability + share, rework: true } : r,
    );
  }
  return [...kept, { to, probability: share, rework: true }];
}

/**
 * Why staff cannot be changed at a stage: a delay has none (shorten it instead, a policy change),
 * and a stage of unknown capacity has no staff figure to change. Undefined when they can.
 */
function noServers(stage: Stage): string | undefined {
  if (stage.delay !== undefined) {
    return `“${stage.name}” is a delay (${stage.delay.reason}), with no staff to add or remove; shorten its time instead (scale its time), which is a change of policy or of what others do, not of capacity`;
  }
  if (stage.capacityUnknown !== undefined) {
    return `the capacity of “${stage.name}” cannot be known (${stage.capacityUnknown.reason}), so a change of staff there cannot be modelled`;
  }
  return undefined;
}

/** Most staff on duty at once under a stage's roster (its servers when it has none). */
function rosterMax(stage: Stage): number {
  return stage.roster === undefined
    ? stage.servers
    : Math.max(...stage.roster.shifts.map((sh) => sh.servers));
}

/**
 * A stage with `delta` more (or fewer) staff. Under a roster the staff work its shifts, so every
 * shift that has anyone on duty gets `delta` more: "one more planner" is one more on each shift,
 * not a planner who is never on duty. Refused when a staffed shift would be left with nobody.
 */
function withStaff(stage: Stage, delta: number, servers: number): Stage | string {
  if (servers < 1) return `cannot have ${servers} servers (at least 1 must remain)`;
  const roster = stage.roster;
  if (roster === undefined) return { ...stage, servers };
  const staffed = roster.shifts.filter((sh) => sh.servers > 0);
  const least = Math.min(...staffed.map((sh) => sh.servers));
  if (least + delta < 1) {
    return `cannot remove ${-delta} from each shift: a shift has only ${least} on duty (at least 1 must remain)`;
  }
  return {
    ...stage,
    servers,
    roster: {
      ...roster,
      shifts: roster.shifts.map((sh) =>
        sh.servers > 0 ? { ...sh, servers: sh.servers + delta } : sh,
      ),
    },
  };
}

function applyChange(chain: DeliveryChain, change: Change, owner: string): DeliveryChain | string {
  const mapStage = (id: string, f: (s: Stage) => Stage | string): DeliveryChain | string => {
    const index = chain.stages.findIndex((s) => s.id === id);
    const stage = chain.stages[index];
    if (stage === undefined) return `${owner}: "${id}" is not a stage`;
    const next = f(stage);
    if (typeof next === 'string') return `${owner}: stage "${id}": ${next}`;
    return { ...chain, stages: chain.stages.map((s, i) => (i === index ? next : s)) };
  };
  switch (change.kind) {
    case 'setServers':
      return mapStage(
        change.stage,
        (s) => noServers(s) ?? withStaff(s, change.servers - rosterMax(s), change.servers),
      );
    case 'addServers':
      return mapStage(
        change.stage,
        (s) =>
          noServers(s) ??
          (s.servers + change.delta < 1
            ? `cannot remove ${-change.delta} of ${s.servers} servers (at least 1 must remain)`
            : withStaff(s, change.delta, s.servers + change.delta)),
      );
    case 'scaleServiceTime':
      return mapStage(change.stage, (s) => ({
        ...s,
        service: scaleService(s.service, change.factor),
      }));
    case 'setService':
      return mapStage(change.stage, (s) => ({ ...s, service: change.service }));
    case 'setCost':
      return mapStage(change.stage, (s) => ({
        ...s,
        costPerServerHour: change.costPerServerHour ?? s.costPerServerHour,
        costPerCase: change.costPerCase ?? s.costPerCase,
      }));
    case 'setRoutes':
      return mapStage(change.stage, (s) => ({ ...s, routes: change.routes }));
    case 'scaleRework':
      return mapStage(change.stage, (s) => {
        const routes = rescaleRework(s.routes, change.factor);
        return typeof routes === 'string' ? routes : { ...s, routes };
      });
    case 'addRework':
      return mapStage(change.stage, (s) => ({
        ...s,
        routes: addRework(s.routes, change.share, change.to ?? change.stage),
      }));
    case 'replaceStage':
      // The replacement keeps the stage's id so that routes into it still arrive.
      return mapStage(change.stage, (s) => ({ ...change.with, id: s.id }));
    case 'setOutcomeContribution':
      if (!chain.outputs.some((o) => o.id === change.output)) {
        return `${owner}: "${change.output}" is not an output`;
      }
      return {
        ...chain,
        outputs: chain.outputs.map((o) =>
          o.id === change.output ? { ...o, outcomeContribution: change.outcomeContribution } : o,
        ),
      };
    case 'scaleDemand':
      return {
        ...chain,
        demand: chain.demand.map((d) =>
          change.stage === undefined || d.stage === change.stage
            ? { ...d, rate: d.rate * change.factor }
            : d,
        ),
      };
    case 'addInput': {
      const replaced = change.input.replaces;
      if (chain.inputs.some((i) => i.id === change.input.id)) {
        return `${owner}: input "${change.input.id}" already exists`;
      }
      if (replaced === undefined) return { ...chain, inputs: [...chain.inputs, change.input] };
      // An exchange: the new input takes the place of the one it replaces.
      if (!chain.inputs.some((i) => i.id === replaced)) {
        return `${owner}: "${change.input.id}" replaces "${replaced}", which is not an input`;
      }
      return {
        ...chain,
        inputs: chain.inputs.map((i) => (i.id === replaced ? change.input : i)),
      };
    }
    case 'removeInput':
      if (!chain.inputs.some((i) => i.id === change.input))
        return `${owner}: "${change.input}" is not an input`;
      return { ...chain, inputs: chain.inputs.filter((i) => i.id !== change.input) };
    case 'setRoster':
    case 'extendHours':
      return applyRosterChange(chain, change, owner);
    case 'setInputCost':
      if (!chain.inputs.some((i) => i.id === change.input))
        return `${owner}: "${change.input}" is not an input`;
      return {
        ...chain,
        inputs: chain.inputs.map((i) =>
          i.id === change.input ? { ...i, costPerWeek: change.costPerWeek } : i,
        ),
      };
  }
}

/**
 * Applies interventions in order (combined scenarios apply several) and checks the result, so an
 * intervention that breaks the routing is reported by name rather than producing nonsense.
 */
export function applyInterventions(
  chain: DeliveryChain,
  interventions: readonly Intervention[],
): ParseResult {
  let current = chain;
  const issues: ChainIssue[] = [];
  for (const intervention of interventions) {
    for (const [j, change] of intervention.changes.entries()) {
      const next = applyChange(current, change, `intervention "${intervention.id}"`);
      if (typeof next === 'string') {
        issues.push({ path: `interventions.${intervention.id}.changes.${j}`, message: next });
      } else {
        current = next;
      }
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  const after = checkChain(current).map((issue) => ({
    ...issue,
    message: `after ${interventions.map((i) => `"${i.id}"`).join(' + ')}: ${issue.message}`,
  }));
  return after.length > 0 ? { ok: false, issues: after } : { ok: true, chain: current };
}

/** Ids of the stages an intervention changes directly. */
export function stagesTouched(intervention: Intervention): string[] {
  const ids = new Set<string>();
  for (const change of intervention.changes) {
    if ('stage' in change && change.stage !== undefined) ids.add(change.stage);
  }
  return [...ids];
}

/** A new roster, or extra hours on duty, for a stage or a pool (rosters need a chain calendar). */
function applyRosterChange(
  chain: DeliveryChain,
  change: Extract<Change, { kind: 'setRoster' | 'extendHours' }>,
  owner: string,
): DeliveryChain | string {
  if (chain.calendar === undefined)
    return `${owner}: a roster change needs a calendar on the chain`;
  const next = (roster: Stage['roster'], servers: number): NonNullable<Stage['roster']> =>
    change.kind === 'setRoster'
      ? change.roster
      : {
          ...(roster?.closures === undefined ? {} : { closures: roster.closures }),
          // Staff round the clock become an explicit roster before hours are added to it.
          shifts: [
            ...(roster?.shifts ?? [
              {
                days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const,
                from: '00:00',
                to: '24:00',
                servers,
              },
            ]),
            change.shift,
          ],
        };
  if (change.pool !== undefined) {
    const pools = chain.pools ?? [];
    if (!pools.some((p) => p.id === change.pool)) return `${owner}: "${change.pool}" is not a pool`;
    return {
      ...chain,
      pools: pools.map((p) =>
        p.id === change.pool ? { ...p, roster: next(p.roster, p.servers) } : p,
      ),
    };
  }
  const index = chain.stages.findIndex((s) => s.id === change.stage);
  const stage = chain.stages[index];
  if (stage === undefined) return `${owner}: "${change.stage ?? ''}" is not a stage`;
  if (stage.pool !== undefined) {
    return `${owner}: stage "${stage.id}" shares pool "${stage.pool}": change the pool's roster instead`;
  }
  const changed: Stage = { ...stage, roster: next(stage.roster, stage.servers) };
  return { ...chain, stages: chain.stages.map((s, i) => (i === index ? changed : s)) };
}
