// Finalised means frozen (issue 12, point 3). A finalised round keeps its own targets, framework
// version, agreed levels and roadmap as they were when it was finalised, in its snapshot; targets set
// later apply to later rounds only. Snapshots written before targets were kept with them are read
// with the targets as they stood at the finalising time, rebuilt from today's targets and the audit
// history of changes to them, when that history covers every capability; otherwise the page says
// the targets were not recorded with this version, rather than show today's as if they were.
import type { Level } from './types.ts';

export interface TargetNow {
  readonly capabilityId: string;
  readonly targetLevel: Level;
  /** When it was last set (ISO 8601). */
  readonly setAt: string;
}

/** One audited change of a target: the level before (null: there was none) and after. */
export interface TargetChange {
  readonly capabilityId: string;
  readonly before: Level | null;
  readonly after: Level;
  readonly at: string;
}

export type TargetsAsOf =
  | { readonly complete: true; readonly targets: Readonly<Record<string, Level>> }
  | { readonly complete: false };

/**
 * The targets as they stood at `at`. A target last set at or before `at` has not changed since; one
 * set after it had, just before its first change after `at`, that change's `before` level (none if
 * null). If a target was changed after `at` and no audited change after `at` is found for it, the
 * history is incomplete and nothing is claimed.
 */
export function targetsAsOf(
  at: string,
  now: readonly TargetNow[],
  history: readonly TargetChange[],
): TargetsAsOf {
  const targets: Record<string, Level> = {};
  const sorted = [...history].sort((a, b) => a.at.localeCompare(b.at));
  for (const target of now) {
    if (target.setAt <= at) {
      targets[target.capabilityId] = target.targetLevel;
      continue;
    }
    const firstAfter = sorted.find((c) => c.capabilityId === target.capabilityId && c.at > at);
    if (!firstAfter) return { complete: false };
    if (firstAfter.before !== null) targets[target.capabilityId] = firstAfter.before;
  }
  return { complete: true, targets };
}
