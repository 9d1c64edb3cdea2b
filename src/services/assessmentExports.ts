// Export builders shared by the pages and the JSON API, so both give exactly the same files.
import {
  responsesToCsv,
  resultsToCsv,
  roundReport,
  type Answer,
  type Level,
  type RoundReport,
} from '../domain/assessment/index.ts';
import type { OrgScope } from '../storage/index.ts';
import type { RoundResults } from './assessmentResults.ts';

export async function targetsOf(scope: OrgScope): Promise<Record<string, Level>> {
  return Object.fromEntries(
    (await scope.assessments.targets()).map((t) => [t.capabilityId, t.targetLevel]),
  );
}

export async function resultsReport(_scope: OrgScope, r: RoundResults): Promise<RoundReport> {
  return Promise.resolve(resultsReportOf(r));
}

/** The JSON report: a finalised round's own targets (RoundResults.targets), never today's. */
export function resultsReportOf(r: RoundResults): RoundReport {
  return roundReport(r.framework, r.summary, {
    agreed: r.agreed,
    targets: r.targets,
    round: {
      id: r.round.id,
      title: r.round.title,
      scope: r.round.scope,
      status: r.round.status,
      opensOn: r.round.opensOn,
      closesOn: r.round.closesOn,
      respondents: r.respondents,
      snapshotVersion: r.snapshot?.version ?? null,
      snapshotCreatedAt: r.snapshot?.createdAt ?? null,
      // Issue 12, point 3: where the targets come from ('current' for a round not yet finalised;
      // 'recorded', 'reconstructed' or 'unrecorded' for a finalised one). Not the newest version's
      // number: a version's export stays byte for byte the same after a correction.
      targetsBasis: r.targetsBasis,
    },
  });
}

export function resultsCsv(r: RoundResults): string {
  return resultsToCsv(r.framework, r.summary.results, r.agreed);
}

/**
 * Individual responses (submitted, not withdrawn); respondents are numbered unless identities are
 * asked for (admins only), and groups hidden anywhere in the results are not named (responsesCsv.ts).
 */
export async function responsesCsv(
  scope: OrgScope,
  r: RoundResults,
  identities: boolean,
): Promise<string> {
  const responses = (await scope.assessments.responses(r.round.id)).filter(
    (x) => x.status === 'submitted' && x.revokedAt === null,
  );
  const byResponse = new Map<string, Answer[]>();
  for (const a of r.answers)
    byResponse.set(a.responseId, [...(byResponse.get(a.responseId) ?? []), a]);
  return responsesToCsv(
    r.framework,
    responses.map((x) => ({
      responseId: x.id,
      groupId: x.groupId,
      groupName: x.groupName,
      label: x.label,
      submittedAt: x.submittedAt,
      answers: byResponse.get(x.id) ?? [],
    })),
    { identities, results: r.summary.results, minGroupSize: r.summary.options.minGroupSize },
  );
}

export function exportFileName(r: RoundResults): string {
  const slug =
    r.round.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'round';
  return `throughline-${slug}${r.snapshot ? `-v${r.snapshot.version}` : ''}`;
}
