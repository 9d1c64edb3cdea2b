// A readiness verdict frozen for the record, stored with an initiative when it is approved: the
// verdict and everything it was computed from (the levels and where each came from, the round, the
// table's id and version) and the full result as it read then. A later edit of the table, a new
// framework version or a new assessment round never rewrites it; a risk board or an auditor reading
// it years later sees what the approver saw.
import type { ReadinessInitiative } from './facts.ts';
import type { ReadinessResult, ReadinessVerdict } from './assess.ts';
import type { AssessmentReference } from './report.ts';
import type { CapabilityLevel } from '../initiatives/types.ts';

export const READINESS_SNAPSHOT_VERSION = 1;

export interface ReadinessSnapshot {
  readonly snapshotVersion: typeof READINESS_SNAPSHOT_VERSION;
  readonly verdict: ReadinessVerdict;
  readonly summary: string;
  readonly inputs: {
    readonly initiative: ReadinessInitiative;
    readonly levels: readonly CapabilityLevel[];
    readonly assessment: AssessmentReference | null;
    readonly table: { readonly id: string; readonly version: string };
    readonly framework: { readonly id: string; readonly version: string };
  };
  /** The whole result, copied: requirements, reasons, gaps, conditions and first actions as they were. */
  readonly result: ReadinessResult;
  /** ISO 8601 instant, supplied by the caller (the domain has no clock). */
  readonly computedAt: string;
}

export interface SnapshotContext {
  /** The round the levels came from, as the caller knows it; null when not known. */
  readonly assessment: AssessmentReference | null;
  readonly computedAt: Date | string;
}

function instant(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (
    Number.isNaN(date.getTime()) ||
    (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}T/.test(value))
  ) {
    throw new RangeError(
      `computedAt must be a date and time such as "2026-05-01T09:30:00Z", not ${JSON.stringify(String(value))}`,
    );
  }
  return date.toISOString();
}

/** A deep, frozen, JSON-safe copy of a verdict with its inputs; nothing in it refers to the live table. */
export function snapshotReadiness(
  result: ReadinessResult,
  context: SnapshotContext,
): ReadinessSnapshot {
  const copy = JSON.parse(JSON.stringify(result)) as ReadinessResult;
  const assessment =
    context.assessment === null
      ? null
      : {
          roundId: context.assessment.roundId,
          title: context.assessment.title,
          date: context.assessment.date,
        };
  return deepFreeze({
    snapshotVersion: READINESS_SNAPSHOT_VERSION,
    verdict: copy.verdict,
    summary: copy.summary,
    inputs: {
      initiative: copy.initiative,
      levels: copy.levels,
      assessment,
      table: copy.table,
      framework: copy.framework,
    },
    result: copy,
    computedAt: instant(context.computedAt),
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
