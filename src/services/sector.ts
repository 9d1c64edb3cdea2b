// Sector benchmarks, put together (issue 15, point 2): keeps each sharing member's derived figures
// current — the level of each capability in its latest finalised round (agreed, else the median,
// as assessmentResults computes them) and the measures of its tagged chains (from the chain
// engine) — then reads the aggregates through the one cross-organisation reader and applies the
// disclosure rules of src/domain/sector. Benchmarks are computed on every read, so a member that
// withdraws is absent from every benchmark computed after.
import { analyseChain, MEASURES, type DeliveryChain } from '../domain/chain/index.ts';
import { capabilitiesByScope, type Framework } from '../domain/framework/index.ts';
import {
  capabilityBenchmarks,
  serviceBenchmarks,
  type CapabilityBenchmark,
  type ChainBenchmarkKey,
  type ServiceBenchmark,
} from '../domain/sector/index.ts';
import type { ChainMeasureColumn, OrgScope, Storage } from '../storage/index.ts';
import { roundResults } from './assessmentResults.ts';
import type { FrameworkRegistry } from './frameworks.ts';

const SYSTEM = { userId: null, label: 'System (sector benchmarks)' } as const;

/** The four benchmarked measures of a chain, from the engine's own definitions (Figure 1). */
export function chainMeasures(chain: DeliveryChain): Record<ChainMeasureColumn, number | null> {
  const analysis = analyseChain(chain);
  const value = (key: string): number | null => {
    const def = MEASURES.find((m) => m.key === key);
    // The chain is its own baseline: only the prices of a changed chain need another one.
    const measured = { chain, analysis, simulation: null };
    const v = def?.analytic(measured, measured);
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  return {
    cost_per_output: value('costPerOutput'),
    lead_time_hours: value('leadTimeHours'),
    outputs_per_staff_hour: value('outputsPerStaffHour'),
    outcomes_per_output: value('outcomeShare'),
  };
}

/**
 * Brings an organisation's derived levels up to date with its latest finalised organisation-level
 * round (by finalising date), when a version has been added since they were computed.
 */
export async function refreshOwnLevels(
  scope: OrgScope,
  frameworks: FrameworkRegistry,
): Promise<void> {
  const store = scope.sector;
  const stamp = await store.currentLevelStamp();
  if ((await store.levelStamp()) === stamp) return;
  const latest = (await scope.assessments.rounds())
    .filter((r) => r.scope === 'organisation' && r.status === 'finalised' && r.finalisedAt)
    .sort((a, b) => (b.finalisedAt ?? '').localeCompare(a.finalisedAt ?? ''))[0];
  const round = latest ? await scope.assessments.round(latest.id) : undefined;
  if (!round) {
    await store.replaceLevels(stamp, []);
    return;
  }
  const results = await roundResults(scope, frameworks, round);
  const finalisedAt = round.finalisedAt ?? results.snapshot?.createdAt ?? '';
  await store.replaceLevels(
    stamp,
    results.levels.flatMap((l) =>
      l.level === null
        ? []
        : [{ capabilityId: l.capabilityId, level: l.level, roundId: round.id, finalisedAt }],
    ),
  );
}

/** Recomputes the measures of an organisation's tagged chains that changed since they were stored. */
export async function refreshOwnChains(scope: OrgScope): Promise<void> {
  for (const stale of await scope.sector.staleChainTags()) {
    const chain = await scope.chains.get(stale.chainId);
    if (!chain) continue;
    await scope.sector.tagChain(
      chain.id,
      stale.serviceType,
      chain.revision,
      chainMeasures(chain.model),
    );
  }
}

export interface SectorBenchmarks {
  readonly minimum: number;
  readonly sharing: { readonly results: number; readonly chainMeasures: number };
  readonly peerGroups: readonly string[];
  readonly group: string | null;
  readonly capabilities: readonly CapabilityBenchmark[];
  readonly services: readonly ServiceBenchmark[];
  readonly computedAt: string;
}

/**
 * The benchmarks of an institution, as seen by the institution (no `viewer`) or by one of its
 * members (`viewer`: that member's own scope, for its own position). Refreshes stale members first.
 */
export async function sectorBenchmarks(input: {
  readonly storage: Storage;
  readonly frameworks: FrameworkRegistry;
  readonly framework: Framework;
  readonly institutionId: string;
  readonly group?: string | null;
  readonly viewer?: OrgScope;
}): Promise<SectorBenchmarks> {
  const institution = input.storage.scope(input.institutionId, SYSTEM);
  const reader = institution.sectorReader;
  for (const memberId of await reader.staleLevelMembers())
    await refreshOwnLevels(input.storage.scope(memberId, SYSTEM), input.frameworks);
  for (const memberId of await reader.staleChainMembers())
    await refreshOwnChains(input.storage.scope(memberId, SYSTEM));

  const minimum = await institution.sector.minimumGroupSize();
  const [counts, groups, sharing, chainRanks] = [
    await reader.levelCounts(),
    await reader.peerGroups(),
    await reader.sharingCounts(),
    await reader.chainRanks(),
  ];
  let ownLevels: Map<string, number> | undefined;
  let ownChains: Map<string, Partial<Record<ChainBenchmarkKey, number | null>>> | undefined;
  if (input.viewer) {
    await refreshOwnLevels(input.viewer, input.frameworks);
    await refreshOwnChains(input.viewer);
    ownLevels = new Map(
      (await input.viewer.sector.ownLevels()).map((l) => [l.capabilityId, l.level]),
    );
    ownChains = new Map(
      (await input.viewer.sector.chainTags()).map((t) => [t.serviceType, { ...t.measures }]),
    );
  }
  const peerGroups = groups.filter((g) => g !== '').sort((a, b) => a.localeCompare(b));
  const group = input.group && peerGroups.includes(input.group) ? input.group : null;
  return {
    minimum,
    sharing: { results: sharing.results, chainMeasures: sharing.chain_measures },
    peerGroups,
    group,
    capabilities: capabilityBenchmarks({
      capabilities: capabilitiesByScope(input.framework, 'organisation').map((c) => ({
        id: c.id,
        name: c.name,
      })),
      counts,
      minimum,
      group,
      ...(ownLevels ? { own: ownLevels } : {}),
    }),
    services: serviceBenchmarks({
      ranks: chainRanks.ranks,
      periods: chainRanks.periods,
      minimum,
      ...(ownChains ? { own: ownChains } : {}),
    }),
    computedAt: new Date().toISOString(),
  };
}
