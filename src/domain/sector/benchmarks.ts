// Benchmarks as pages, exports and the API show them (paper section 4.5, capability 10): for each
// organisation-level capability, and for each chain measure of each kind of service, the
// distribution across sharing members — count, lower quartile, median, upper quartile, and the
// period the figures cover — with every figure from too few organisations hidden by the rule in
// disclosure.ts, and, for a member, the quarter its own value falls in. Built from aggregates only.
import { MIN_ORGANISATIONS, releaseGroups, type SuppressionReason } from './disclosure.ts';
import {
  distributionFromCounts,
  distributionFromRanks,
  quarterOf,
  type Distribution,
  type Quarter,
} from './statistics.ts';
import { CHAIN_BENCHMARKS, SERVICE_TYPES, type ChainBenchmarkKey } from './services.ts';

export interface Period {
  readonly from: string;
  readonly to: string;
}

/** One benchmark figure: shown (distribution and period) or hidden (reason only, no numbers). */
export type Figure =
  | {
      readonly shown: true;
      readonly count: number;
      readonly distribution: Distribution;
      readonly period: Period;
    }
  | { readonly shown: false; readonly reason: SuppressionReason | 'no-data' };

export interface OwnPosition {
  readonly value: number;
  readonly quarter: Quarter | null;
}

export interface CapabilityBenchmark {
  readonly capabilityId: string;
  readonly name: string;
  /** All sharing members. */
  readonly all: Figure;
  /** The peer group asked for (null: all members). */
  readonly group: Figure | null;
  readonly own?: OwnPosition;
}

export interface LevelCount {
  readonly peerGroup: string;
  readonly capabilityId: string;
  readonly level: number;
  readonly count: number;
  readonly from: string;
  readonly to: string;
}

function periodOf(rows: readonly LevelCount[]): Period {
  return {
    from: rows.reduce((m, r) => (r.from < m ? r.from : m), rows[0]?.from ?? ''),
    to: rows.reduce((m, r) => (r.to > m ? r.to : m), rows[0]?.to ?? ''),
  };
}

function figureOf(rows: readonly LevelCount[], hidden: SuppressionReason | undefined): Figure {
  if (hidden) return { shown: false, reason: hidden };
  const distribution = distributionFromCounts(
    rows.map((r) => ({ value: r.level, count: r.count })),
  );
  if (!distribution) return { shown: false, reason: 'no-data' };
  return { shown: true, count: distribution.count, distribution, period: periodOf(rows) };
}

/**
 * Capability benchmarks from counts per level and peer group. Which groups may be shown is decided
 * for every group at once, whichever group is asked for, so the answer never depends on the filter.
 */
export function capabilityBenchmarks(input: {
  readonly capabilities: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly counts: readonly LevelCount[];
  readonly minimum: number;
  /** A peer group to show beside all members; null or '' for none. */
  readonly group?: string | null;
  /** The viewing member's own levels, by capability. */
  readonly own?: ReadonlyMap<string, number>;
}): CapabilityBenchmark[] {
  const minimum = Math.max(input.minimum, MIN_ORGANISATIONS);
  return input.capabilities.map((capability) => {
    const rows = input.counts.filter((r) => r.capabilityId === capability.id);
    const total = rows.reduce((s, r) => s + r.count, 0);
    const byGroup = new Map<string, number>();
    for (const r of rows)
      if (r.peerGroup !== '') byGroup.set(r.peerGroup, (byGroup.get(r.peerGroup) ?? 0) + r.count);
    const release = releaseGroups(
      total,
      [...byGroup].map(([group, count]) => ({ group, count })),
      minimum,
    );
    const all =
      total === 0
        ? ({ shown: false, reason: 'no-data' } as const)
        : figureOf(rows, release.total.suppressed);
    let group: Figure | null = null;
    if (input.group) {
      const wanted = input.group;
      const decided = release.groups.find((g) => g.group === wanted);
      group = !decided
        ? { shown: false, reason: 'no-data' }
        : figureOf(
            rows.filter((r) => r.peerGroup === wanted),
            release.total.suppressed ?? decided.suppressed,
          );
    }
    const ownLevel = input.own?.get(capability.id);
    return {
      capabilityId: capability.id,
      name: capability.name,
      all,
      group,
      ...(ownLevel === undefined
        ? {}
        : {
            own: {
              value: ownLevel,
              quarter: all.shown ? quarterOf(ownLevel, all.distribution, true) : null,
            },
          }),
    };
  });
}

export interface RankValue {
  readonly serviceType: string;
  readonly measure: ChainBenchmarkKey;
  readonly rank: number;
  readonly count: number;
  readonly value: number;
}

export interface ChainMeasureBenchmark {
  readonly key: ChainBenchmarkKey;
  readonly label: string;
  readonly format: 'money' | 'hours' | 'number' | 'percent';
  readonly lowerIsBetter: boolean;
  readonly figure: Figure;
  readonly own?: OwnPosition;
}

export interface ServiceBenchmark {
  readonly serviceType: string;
  readonly label: string;
  readonly measures: readonly ChainMeasureBenchmark[];
}

/**
 * Chain-measure benchmarks per kind of service from the values at the quartiles' ranks. Kinds of
 * service are disjoint (one chain per organisation and kind), so no difference of two of them
 * isolates anyone; each figure needs the minimum on its own.
 */
export function serviceBenchmarks(input: {
  readonly ranks: readonly RankValue[];
  readonly periods: ReadonlyMap<string, Period>;
  readonly minimum: number;
  /** The viewing member's own values: service type → measure → value. */
  readonly own?: ReadonlyMap<string, Readonly<Partial<Record<ChainBenchmarkKey, number | null>>>>;
}): ServiceBenchmark[] {
  const minimum = Math.max(input.minimum, MIN_ORGANISATIONS);
  const types = new Set([...input.ranks.map((r) => r.serviceType), ...(input.own?.keys() ?? [])]);
  return SERVICE_TYPES.filter((s) => types.has(s.id)).map((service) => ({
    serviceType: service.id,
    label: service.label,
    measures: CHAIN_BENCHMARKS.map((m) => {
      const rows = input.ranks.filter((r) => r.serviceType === service.id && r.measure === m.key);
      const count = rows[0]?.count ?? 0;
      const release = releaseGroups(count, [], minimum);
      const period = input.periods.get(service.id) ?? { from: '', to: '' };
      const figure: Figure =
        count === 0
          ? { shown: false, reason: 'no-data' }
          : release.total.suppressed
            ? { shown: false, reason: release.total.suppressed }
            : {
                shown: true,
                count,
                distribution: distributionFromRanks(
                  count,
                  new Map(rows.map((r) => [r.rank, r.value])),
                ),
                period,
              };
      const ownValue = input.own?.get(service.id)?.[m.key];
      return {
        key: m.key,
        label: m.label,
        format: m.format,
        lowerIsBetter: m.lowerIsBetter,
        figure,
        ...(ownValue === undefined || ownValue === null
          ? {}
          : {
              own: {
                value: ownValue,
                quarter: figure.shown
                  ? quarterOf(ownValue, figure.distribution, m.lowerIsBetter)
                  : null,
              },
            }),
      };
    }),
  }));
}
