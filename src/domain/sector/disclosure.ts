// Disclosure control for sector benchmarks (paper section 4.5, capability 10: benchmarks are only
// useful when trusted, and members share only when they cannot be singled out). A figure drawn from
// fewer than the minimum number of organisations is suppressed (primary suppression). Because the
// whole sector and its groups are both shown, a hidden group could be recovered as "all members
// minus the groups shown", so when the groups left hidden hold fewer than the minimum between them
// (but more than none), the smallest group still shown is hidden too (secondary suppression), until
// the hidden remainder is empty or large enough. This is the rule statistical offices apply to
// tables with totals (tau-ARGUS); RESEARCH.md, "Disclosure control".

/** The default and the floor of the minimum number of organisations behind any figure. */
export const MIN_ORGANISATIONS = 5;

/** Why a proposed minimum is refused, or undefined when it is allowed (only upward from 5). */
export function minimumRefusal(value: number): string | undefined {
  if (!Number.isInteger(value)) return 'Enter a whole number of organisations, like 5 or 8';
  if (value < MIN_ORGANISATIONS)
    return `The minimum cannot be below ${MIN_ORGANISATIONS} organisations: smaller groups could identify a member`;
  if (value > 1000) return 'Enter a minimum of 1,000 organisations or fewer';
  return undefined;
}

export type SuppressionReason = 'too-few' | 'protects-another-group';

export interface GroupRelease {
  readonly group: string;
  readonly count: number;
  /** Undefined when the group's figures are shown. */
  readonly suppressed?: SuppressionReason;
}

export interface Release {
  /** Whether the figures over all members are shown. */
  readonly total: { readonly count: number; readonly suppressed?: SuppressionReason };
  readonly groups: readonly GroupRelease[];
}

/**
 * Which groups' figures may be shown, given how many organisations each holds for one figure. The
 * groups partition the members counted in `total` (an organisation in no group counts in total
 * only: it is part of the hidden remainder). Deterministic: ties broken by group name.
 */
export function releaseGroups(
  total: number,
  groups: ReadonlyArray<{ readonly group: string; readonly count: number }>,
  minimum: number = MIN_ORGANISATIONS,
): Release {
  const min = Math.max(minimum, MIN_ORGANISATIONS);
  if (total < min) {
    return {
      total: { count: total, suppressed: 'too-few' },
      groups: groups.map((g) => ({ ...g, suppressed: 'too-few' as const })),
    };
  }
  const state = new Map<string, SuppressionReason | undefined>();
  for (const g of groups) state.set(g.group, g.count < min ? 'too-few' : undefined);
  const grouped = groups.reduce((s, g) => s + g.count, 0);
  const hidden = () =>
    total -
    grouped +
    groups.filter((g) => state.get(g.group) !== undefined).reduce((s, g) => s + g.count, 0);
  // Hide the smallest shown group until the remainder cannot single out fewer than the minimum.
  for (;;) {
    const remainder = hidden();
    if (remainder === 0 || remainder >= min) break;
    const shown = groups
      .filter((g) => state.get(g.group) === undefined)
      .sort((a, b) => a.count - b.count || a.group.localeCompare(b.group));
    const next = shown[0];
    if (next === undefined) break;
    state.set(next.group, 'protects-another-group');
  }
  return {
    total: { count: total },
    groups: groups.map((g) => {
      const reason = state.get(g.group);
      return reason === undefined ? { ...g } : { ...g, suppressed: reason };
    }),
  };
}

/** What a page says in place of a hidden figure. */
export function suppressionWords(reason: SuppressionReason, minimum: number): string {
  return reason === 'too-few'
    ? `Hidden: fewer than ${minimum} organisations`
    : `Hidden: showing it would reveal a smaller group`;
}
