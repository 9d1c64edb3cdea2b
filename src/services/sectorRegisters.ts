// The sector's two registers (issue 15, points 4 and 5; paper section 4.2, capability 7, and Table 3).
//  - Client capability: a member's rating derived from its latest finalised organisation-level
//    round by the rule of src/domain/sector/register.ts (the weakest of three capabilities, with the
//    weakest evidence behind them), published by its admin, seen by the institutions it shares
//    register entries with and on the public /register page.
//  - Suppliers: members' reports from their post-implementation evaluations, aggregated by
//    supplier, with figures only where reports come from at least the institution's minimum number
//    of distinct organisations (src/domain/sector/suppliers.ts).
import type { Level } from '../domain/assessment/index.ts';
import { capabilitiesByScope } from '../domain/framework/index.ts';
import {
  isRatingRefusal,
  registerRating,
  supplierEntries,
  supplierKey as supplierKeyOf,
  type RegisterEvidence,
  type RegisterRating,
  type SupplierEntry,
} from '../domain/sector/index.ts';
import type { OrgScope } from '../storage/index.ts';
import { roundResults } from './assessmentResults.ts';
import type { FrameworkRegistry } from './frameworks.ts';

export interface DerivedRating {
  readonly rating: RegisterRating;
  readonly roundId: string;
  readonly roundTitle: string;
  readonly finalisedAt: string;
}

/** The rating this organisation would publish now, or why there is none. */
export async function deriveRating(
  scope: OrgScope,
  frameworks: FrameworkRegistry,
): Promise<DerivedRating | { refused: string }> {
  const latest = (await scope.assessments.rounds())
    .filter((r) => r.scope === 'organisation' && r.status === 'finalised' && r.finalisedAt)
    .sort((a, b) => (b.finalisedAt ?? '').localeCompare(a.finalisedAt ?? ''))[0];
  const round = latest ? await scope.assessments.round(latest.id) : undefined;
  if (!round)
    return {
      refused:
        'Your organisation has no finalised capability assessment yet. Finalise one to derive a rating.',
    };
  const results = await roundResults(scope, frameworks, round);
  const names = new Map(
    capabilitiesByScope(results.framework, 'organisation').map((c) => [c.id, c.name]),
  );
  const agreed = new Map(results.agreed.map((a) => [a.capabilityId, a.evidenceStrength]));
  const rating = registerRating(
    results.levels.map((l) => ({
      capabilityId: l.capabilityId,
      name: names.get(l.capabilityId) ?? l.capabilityId,
      level: l.level as Level | null,
      evidence:
        l.source === 'agreed'
          ? ((agreed.get(l.capabilityId) ?? 'asserted') as RegisterEvidence)
          : 'self-assessed',
    })),
  );
  if (isRatingRefusal(rating)) return rating;
  return {
    rating,
    roundId: round.id,
    roundTitle: round.title,
    finalisedAt: round.finalisedAt ?? results.snapshot?.createdAt ?? '',
  };
}

export interface SupplierRegister {
  readonly minimum: number;
  readonly entries: readonly (SupplierEntry & {
    /** The evaluations behind a shown entry, for the institution to trace each figure. */
    readonly evaluations: readonly {
      readonly member: string;
      readonly initiative: string;
      readonly at: string;
    }[];
  })[];
  readonly members: number;
}

/**
 * An institution's supplier register, from the reports of members that share initiative
 * evaluations with it now. `forInstitution` adds, to shown entries only, which evaluations each
 * figure is drawn from (member and initiative); a member sees the same figures without them.
 */
export async function supplierRegister(
  institution: OrgScope,
  forInstitution: boolean,
): Promise<SupplierRegister> {
  const minimum = await institution.sector.minimumGroupSize();
  const reports = await institution.sectorRegisterReader.supplierReports();
  const entries = supplierEntries(reports, minimum).map((entry) => ({
    ...entry,
    evaluations:
      forInstitution && entry.figures
        ? reports
            .filter((r) => supplierKeyOf(r.supplier) === entry.key)
            .map((r) => ({ member: r.memberName, initiative: r.initiativeTitle, at: r.createdAt }))
        : [],
  }));
  return { minimum, entries, members: new Set(reports.map((r) => r.organisationId)).size };
}
