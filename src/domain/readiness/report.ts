// Reading the inputs of a readiness check from an assessment results export (the file the product
// writes with `roundReport`, format "throughline.assessment-results"): the level of each capability
// (agreed where the export carries an agreed level, else the consensus), the indicator counts the
// first actions need, and which round it was. Only the parts readiness uses are checked; the rest of
// the export is left alone, so a newer export with more fields still reads.
import { z } from 'zod';
import { REPORT_FORMAT, REPORT_FORMAT_VERSION } from '../assessment/exports.ts';
import type { CapabilityLevel } from '../initiatives/types.ts';
import type { RoadmapEvidence } from './assess.ts';
import { capabilityLevels } from './levels.ts';

/** The round the levels come from, for the readiness snapshot. */
export interface AssessmentReference {
  readonly roundId: string | null;
  readonly title: string | null;
  /** When the results were fixed: the snapshot's date, else the round's closing date. */
  readonly date: string | null;
}

export interface ReportInputs {
  readonly levels: readonly CapabilityLevel[];
  readonly results: readonly RoadmapEvidence[];
  readonly assessment: AssessmentReference;
  readonly framework: { readonly id: string; readonly version: string };
  /** Capabilities in the export with neither an agreed level nor a consensus. */
  readonly unrated: readonly string[];
}

export type ReportReadResult =
  | ({ readonly ok: true } & ReportInputs)
  | { readonly ok: false; readonly issues: readonly string[] };

const level = z.literal([1, 2, 3, 4, 5], {
  error: 'must be a level from 1 (Outstanding) to 5 (Inadequate)',
});

const reportSchema = z.looseObject({
  framework: z.looseObject({ id: z.string().min(1), version: z.string().min(1) }),
  scope: z.enum(['organisation', 'sector']),
  round: z.record(z.string(), z.unknown()).nullable().default(null),
  capabilities: z.array(
    z.looseObject({
      capabilityId: z.string().min(1),
      result: z.looseObject({
        consensus: level.nullable(),
        responses: z.int().min(0),
        indicatorsSeen: z.record(z.string(), z.int().min(0)).optional(),
      }),
      agreed: z.looseObject({ agreedLevel: level }).nullable().default(null),
    }),
  ),
});

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

export function readinessInputsFromReport(raw: unknown): ReportReadResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, issues: ['not an assessment results export: expected a JSON object'] };
  }
  const { format, formatVersion } = raw as { format?: unknown; formatVersion?: unknown };
  if (format !== REPORT_FORMAT) {
    return {
      ok: false,
      issues: [
        `not an assessment results export: expected "format": "${REPORT_FORMAT}", found ${
          format === undefined ? 'no "format" field' : JSON.stringify(format)
        }`,
      ],
    };
  }
  if (formatVersion !== REPORT_FORMAT_VERSION) {
    return {
      ok: false,
      issues: [
        `results export format version ${JSON.stringify(formatVersion)} cannot be read; this build reads version ${REPORT_FORMAT_VERSION}`,
      ],
    };
  }
  const parsed = reportSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map(
        (issue) => `${issue.path.map(String).join('.') || 'export'}: ${issue.message}`,
      ),
    };
  }
  const report = parsed.data;
  if (report.scope !== 'organisation') {
    return {
      ok: false,
      issues: [
        'this is a sector-level assessment; readiness is judged on an organisation-level assessment (section 3)',
      ],
    };
  }
  const seen = new Set<string>();
  for (const entry of report.capabilities) {
    if (seen.has(entry.capabilityId)) {
      return {
        ok: false,
        issues: [`capability "${entry.capabilityId}" appears twice in the export`],
      };
    }
    seen.add(entry.capabilityId);
  }

  const results = report.capabilities.map((entry) => ({
    capabilityId: entry.capabilityId,
    consensus: entry.result.consensus,
    responses: entry.result.responses,
    indicatorsSeen: entry.result.indicatorsSeen ?? {},
  }));
  const agreed = report.capabilities.flatMap((entry) =>
    entry.agreed === null
      ? []
      : [{ capabilityId: entry.capabilityId, agreedLevel: entry.agreed.agreedLevel }],
  );
  const levels = capabilityLevels(results, agreed);
  const rated = new Set(levels.map((entry) => entry.capabilityId));
  const round = report.round ?? {};
  return {
    ok: true,
    levels,
    results: results.map(({ capabilityId, responses, indicatorsSeen }) => ({
      capabilityId,
      responses,
      indicatorsSeen,
    })),
    assessment: {
      roundId: text(round.id),
      title: text(round.title),
      date: text(round.snapshotCreatedAt) ?? text(round.closesOn),
    },
    framework: { id: report.framework.id, version: report.framework.version },
    unrated: results.filter((r) => !rated.has(r.capabilityId)).map((r) => r.capabilityId),
  };
}
