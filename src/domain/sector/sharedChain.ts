// Delivery chains shared across organisations (paper section 2.2.1: "a delivery chain may cross
// organisational boundaries", police → prosecution → courts; section 3.2: the bottleneck sets the
// pace of the whole chain). An institution convenes one chain and each stage has an owner: the
// member organisation that runs it, and the only one that may change its figures. Everything here
// uses the one chain engine (src/domain/chain): a stage's figures are changed with the engine's own
// changes (setServers, scaleServiceTime, setCost, scaleRework), and scenarios are the chain's own
// interventions read with its closed forms.
import {
  analyseChain,
  applyInterventions,
  type ChainAnalysis,
  type Change,
  type DeliveryChain,
  type ParseResult,
  type Stage,
} from '../chain/index.ts';

/** The figures a stage's owner keeps up to date. */
export interface StageFigures {
  /** Staff or machines working in parallel (staffed stages only). */
  readonly servers: number;
  /** Mean hours of work (or of delay) per visit. */
  readonly meanHours: number;
  /** Cost per staff hour (staffed stages only). */
  readonly costPerServerHour: number;
  /** Share of the stage's cases sent back for rework; null when the stage sends none back. */
  readonly reworkShare: number | null;
}

const reworkOf = (stage: Stage): number =>
  stage.routes.filter((r) => r.rework === true).reduce((s, r) => s + r.probability, 0);

/** A stage's current figures, as its owner's form shows them. */
export function stageFigures(chain: DeliveryChain, stageId: string): StageFigures | undefined {
  const stage = chain.stages.find((s) => s.id === stageId);
  if (!stage) return undefined;
  const analysed = analyseChain(chain).stages.find((s) => s.id === stageId);
  const rework = reworkOf(stage);
  return {
    servers: stage.servers,
    meanHours: analysed?.meanServiceHours ?? 0,
    costPerServerHour: stage.costPerServerHour,
    reworkShare: rework > 0 ? rework : null,
  };
}

/** Whether the stage has staff whose number and cost its owner sets (not a delay). */
export const hasStaff = (stage: Stage): boolean => stage.delay === undefined;

/**
 * The chain with one stage's figures changed, through the engine's own changes (so the result is
 * checked exactly as any other change to a chain). Only that stage is touched.
 */
export function applyStageFigures(
  chain: DeliveryChain,
  stageId: string,
  figures: StageFigures,
): ParseResult {
  const stage = chain.stages.find((s) => s.id === stageId);
  const before = stageFigures(chain, stageId);
  if (!stage || !before)
    return { ok: false, issues: [{ path: 'stage', message: `No stage "${stageId}"` }] };
  const changes: Change[] = [];
  if (hasStaff(stage) && stage.pool === undefined && figures.servers !== before.servers)
    changes.push({ kind: 'setServers', stage: stageId, servers: figures.servers });
  if (Math.abs(figures.meanHours - before.meanHours) > 1e-12 && before.meanHours > 0)
    changes.push({
      kind: 'scaleServiceTime',
      stage: stageId,
      factor: figures.meanHours / before.meanHours,
    });
  if (hasStaff(stage) && figures.costPerServerHour !== before.costPerServerHour)
    changes.push({ kind: 'setCost', stage: stageId, costPerServerHour: figures.costPerServerHour });
  if (
    before.reworkShare !== null &&
    figures.reworkShare !== null &&
    Math.abs(figures.reworkShare - before.reworkShare) > 1e-12
  )
    changes.push({
      kind: 'scaleRework',
      stage: stageId,
      factor: figures.reworkShare / before.reworkShare,
    });
  if (changes.length === 0) return { ok: true, chain };
  return applyInterventions(chain, [{ id: 'owner-update', name: 'Owner update', changes }]);
}

/** What changed in one stage's figures, for the audit log and the confirmation. */
export function figureChanges(
  before: StageFigures,
  after: StageFigures,
): Record<string, { before: number | null; after: number | null }> {
  const out: Record<string, { before: number | null; after: number | null }> = {};
  for (const key of ['servers', 'meanHours', 'costPerServerHour', 'reworkShare'] as const) {
    const a = before[key];
    const b = after[key];
    if (a === null && b === null) continue;
    if (a !== null && b !== null && Math.abs(a - b) < 1e-9) continue;
    out[key] = { before: a === null ? null : round(a), after: b === null ? null : round(b) };
  }
  return out;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export interface StageLoad {
  readonly stageId: string;
  readonly name: string;
  readonly organisation: string;
  readonly before: number;
  readonly after: number;
  /** This scenario changes the stage itself (not only the work that reaches it). */
  readonly changedHere: boolean;
}

export interface ScenarioReading {
  readonly interventionId: string;
  readonly name: string;
  readonly bottleneckBefore: { readonly stageId: string; readonly name: string };
  readonly bottleneckAfter: { readonly stageId: string; readonly name: string };
  readonly stable: boolean;
  readonly backlogGrowthPerWeek: number;
  readonly loads: readonly StageLoad[];
  /** Plain-words findings: where the bottleneck moved, which organisation's stage is overloaded. */
  readonly findings: readonly string[];
  /** Set when the scenario's changes cannot be applied to the chain as it is now. */
  readonly problem?: string;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const num = (x: number) => (Math.round(x * 10) / 10).toLocaleString('en-GB');

/**
 * Each of the chain's interventions read across organisations with the closed forms: where the
 * bottleneck goes, how busy each organisation's stage becomes, and — the paper's point (sections
 * 2.2.1 and 3.2) — when an improvement in one organisation's stage moves the constraint to, or
 * overloads, a stage another organisation runs.
 */
export function readSharedScenarios(
  chain: DeliveryChain,
  baseline: ChainAnalysis = analyseChain(chain),
): ScenarioReading[] {
  const stageName = (id: string) => chain.stages.find((s) => s.id === id)?.name ?? id;
  const orgOf = (id: string) => chain.stages.find((s) => s.id === id)?.organisation ?? '';
  return chain.interventions.map((intervention) => {
    const changed = new Set(
      intervention.changes.flatMap((c) => ('stage' in c && c.stage ? [c.stage] : [])),
    );
    const base = {
      interventionId: intervention.id,
      name: intervention.name,
      bottleneckBefore: { stageId: baseline.bottleneck.stageId, name: baseline.bottleneck.name },
    };
    const applied = applyInterventions(chain, [intervention]);
    if (!applied.ok) {
      return {
        ...base,
        bottleneckAfter: base.bottleneckBefore,
        stable: baseline.stable,
        backlogGrowthPerWeek: baseline.backlogGrowthPerWeek,
        loads: [],
        findings: [],
        problem: applied.issues.map((i) => i.message).join('; '),
      };
    }
    const after = analyseChain(applied.chain);
    const loads: StageLoad[] = baseline.stages
      .filter((s) => s.role === 'staffed')
      .map((s) => ({
        stageId: s.id,
        name: s.name,
        organisation: s.organisation,
        before: s.utilisation,
        after: after.stages.find((x) => x.id === s.id)?.utilisation ?? s.utilisation,
        changedHere: changed.has(s.id),
      }));
    const findings: string[] = [];
    const changedOrgs = new Set([...changed].map(orgOf));
    const from = baseline.bottleneck.stageId;
    const to = after.bottleneck.stageId;
    if (from !== '' && to !== '' && from !== to) {
      const crossed = !changedOrgs.has(orgOf(to));
      findings.push(
        `The bottleneck moves from ${stageName(from)} (${orgOf(from)}) to ${stageName(to)} (${orgOf(to)})` +
          (crossed
            ? `: the gain at ${[...changedOrgs].join(' and ')} is limited by a stage another organisation runs.`
            : '.'),
      );
    } else if (from !== '' && from === to) {
      findings.push(`The bottleneck stays at ${stageName(from)} (${orgOf(from)}).`);
    }
    for (const load of loads) {
      if (load.after >= 1 && load.before < 1) {
        findings.push(
          `${load.name} (${load.organisation}) becomes overloaded: ${pct(load.after)} busy, so its backlog grows` +
            (load.changedHere
              ? ' — the extra work arrives from the change upstream as well as at this stage.'
              : ' although nothing changes at this stage: more work reaches it from upstream.'),
        );
      } else if (!load.changedHere && load.after - load.before >= 0.01) {
        findings.push(
          `${load.name} (${load.organisation}) gets busier, ${pct(load.before)} → ${pct(load.after)}, without any change of its own.`,
        );
      }
    }
    if (!after.stable)
      findings.push(
        `The chain as a whole cannot keep up: its backlog grows by ${num(after.backlogGrowthPerWeek)} ${chain.unitOfWork.plural} a week.`,
      );
    return {
      ...base,
      bottleneckAfter: { stageId: to, name: after.bottleneck.name },
      stable: after.stable,
      backlogGrowthPerWeek: after.backlogGrowthPerWeek,
      loads,
      findings,
    };
  });
}

// ---- the structure of a convened chain ----
//
// Once a chain is convened, its structure — the stages, who runs each, where each sends its work
// (and which of those routes are rework), staff pools, where demand enters, outputs and inputs — is
// the convening institution's to change; each member changes only its own stage's figures. A
// member's change is checked against this: everything but that stage's figures must be as it was.

/** A stage's figures: what its owner may change (staff, time per visit, cost, route shares). */
function withoutStageFigures(chain: DeliveryChain, stageId: string): unknown {
  return {
    ...chain,
    stages: chain.stages.map((s) =>
      s.id === stageId
        ? {
            ...s,
            servers: 0,
            service: null,
            costPerServerHour: 0,
            routes: s.routes.map((r) => ({ ...r, probability: 0 })),
          }
        : s,
    ),
  };
}

/**
 * True when `after` differs from `before` only in the figures of stage `stageId` (its staff, time
 * per visit, cost per staff hour and the shares of its routes): no other stage, route target,
 * stage, demand, output, input, pool or intervention changed.
 */
export function onlyStageFiguresChanged(
  before: DeliveryChain,
  after: DeliveryChain,
  stageId: string,
): boolean {
  if (!before.stages.some((s) => s.id === stageId)) return false;
  return (
    JSON.stringify(withoutStageFigures(before, stageId)) ===
    JSON.stringify(withoutStageFigures(after, stageId))
  );
}

const stageKind = (s: Stage) =>
  s.delay ? 'a delay' : s.capacityUnknown ? 'a stage of unknown capacity' : 'a staffed stage';

const routeKey = (s: Stage) =>
  s.routes
    .map((r) => `${r.to}${r.rework ? '*' : ''}`)
    .sort()
    .join(',');

const routeWords = (chain: DeliveryChain, s: Stage) =>
  s.routes
    .map((r) => {
      const to = chain.stages.find((x) => x.id === r.to)?.name ?? r.to;
      return r.rework ? `${to} (rework)` : to;
    })
    .sort()
    .join(', ');

/**
 * What changed in a convened chain's structure, in plain words for the audit logs of the
 * institution and every stage owner. `owned` names the stages members own: a change the
 * institution makes to such a stage's figures is reported too, so its owner learns of it. Empty
 * when nothing else changed (the figures of stages nobody owns, demand rates, interventions).
 */
export function structureChanges(
  previous: DeliveryChain,
  after: DeliveryChain,
  owned: ReadonlySet<string> = new Set(),
): string[] {
  const out: string[] = [];
  const was = new Map(previous.stages.map((s) => [s.id, s]));
  const now = new Map(after.stages.map((s) => [s.id, s]));
  for (const s of previous.stages) if (!now.has(s.id)) out.push(`stage ${s.name} removed`);
  for (const s of after.stages) {
    const old = was.get(s.id);
    if (!old) {
      out.push(`stage ${s.name} added (run by ${s.organisation})`);
      continue;
    }
    const noted = out.length;
    if (old.name !== s.name) out.push(`stage ${old.name} renamed ${s.name}`);
    if (old.organisation !== s.organisation)
      out.push(`${s.name} now run by ${s.organisation}, not ${old.organisation}`);
    if (stageKind(old) !== stageKind(s)) out.push(`${s.name} is now ${stageKind(s)}`);
    if ((old.pool ?? '') !== (s.pool ?? '')) out.push(`${s.name}'s staff pool changed`);
    if (routeKey(old) !== routeKey(s))
      out.push(`${s.name} now sends its work to ${routeWords(after, s)}`);
    // A member's stage changed by the institution: its owner is told, though not the structure.
    if (out.length === noted && owned.has(s.id) && JSON.stringify(old) !== JSON.stringify(s))
      out.push(`figures of ${s.name} changed by the convening institution`);
  }
  const entries = (c: DeliveryChain) =>
    c.demand
      .map((d) => c.stages.find((s) => s.id === d.stage)?.name ?? d.stage)
      .sort()
      .join(', ');
  if (entries(previous) !== entries(after)) out.push(`work now enters at ${entries(after)}`);
  const names = (xs: readonly { readonly name: string }[]) =>
    xs
      .map((x) => x.name)
      .sort()
      .join(', ');
  if (names(previous.outputs) !== names(after.outputs))
    out.push(`outputs are now ${names(after.outputs)}`);
  if (names(previous.pools ?? []) !== names(after.pools ?? [])) out.push('staff pools changed');
  return out;
}
